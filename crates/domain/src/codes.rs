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
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
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

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        $crate::sqlx_code!($name);
    };
}

/// With the `sqlx` feature, a code list is read from a text column by its code: a stored value
/// that is not one of the codes is a decoding error naming the column, never a default.
#[cfg(feature = "sqlx")]
#[doc(hidden)]
#[macro_export]
macro_rules! sqlx_code {
    ($name:ident) => {
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            String: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let code = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
                Ok($name::from_code(code)?)
            }
        }
    };
}

#[cfg(not(feature = "sqlx"))]
#[doc(hidden)]
#[macro_export]
macro_rules! sqlx_code {
    ($name:ident) => {};
}
