//! Shared machinery for the small code lists (enums stored and sent as snake_case strings).

/// A value that is not one of a code list's codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code '{value}' for {list}")]
pub struct CodeError {
    pub list: &'static str,
    pub value: String,
}

/// Declares a code-list enum with its snake_case codes, Swedish and English labels.
#[macro_export]
macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident, $list:literal { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $sv:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// The stored and transmitted code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
            /// Parses a stored or transmitted code.
            pub fn from_code(value: &str) -> Result<Self, $crate::codes::CodeError> {
                match value {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::codes::CodeError { list: $list, value: value.to_owned() }),
                }
            }
            /// Label in the user's language ("en" or Swedish).
            pub fn label(self, lang: &str) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, "en") => $en,)+
                    $(($name::$variant, _) => $sv,)+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::codes::CodeError;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::from_code(s) }
        }
    };
}
