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
            pub fn from_code(value: &str) -> ::std::result::Result<Self, $crate::codes::CodeError> {
                match value {
                    $($code => ::std::result::Result::Ok($name::$variant),)+
                    _ => ::std::result::Result::Err($crate::codes::CodeError { list: $list, value: value.to_owned() }),
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
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> { Self::from_code(s) }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        $crate::__code_list_schema!($name, $list, $(($code, $en)),+);
        $crate::sqlx_code!($name);
    };
}

/// Used by [`code_list!`]: with the `openapi` feature, the list's OpenAPI schema is a string
/// enum of its codes, so an API document shows a client every code it may send or receive.
/// Decided here, by this crate's feature, because a `cfg` inside `code_list!` would be read in
/// the crate that declares the list.
#[cfg(feature = "openapi")]
#[doc(hidden)]
#[macro_export]
macro_rules! __code_list_schema {
    ($name:ident, $list:literal, $(($code:literal, $en:literal)),+) => {
        impl $crate::codes::utoipa::PartialSchema for $name {
            fn schema() -> $crate::codes::utoipa::openapi::RefOr<$crate::codes::utoipa::openapi::schema::Schema> {
                $crate::codes::schema($list, &[$(($code, $en)),+])
            }
        }
        impl $crate::codes::utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}

#[cfg(not(feature = "openapi"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __code_list_schema {
    ($($ignored:tt)*) => {};
}

#[cfg(feature = "openapi")]
#[doc(hidden)]
pub use utoipa;

/// The schema of a code list: its codes, and each code's English label in the description.
#[cfg(feature = "openapi")]
#[doc(hidden)]
pub fn schema(
    list: &str,
    codes: &[(&'static str, &'static str)],
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let labels: Vec<String> = codes.iter().map(|(c, en)| format!("`{c}`: {en}")).collect();
    let mut name = list.chars();
    let name: String = name
        .next()
        .map(|first| first.to_uppercase().chain(name).collect())
        .unwrap_or_default();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(format!("{name}. {}.", labels.join("; "))))
        .enum_values(Some(codes.iter().map(|(c, _)| *c)))
        .into()
}

/// With the `sqlx` feature, a code list is read from a text column by its code: a stored value
/// that is not one of the codes is a decoding error naming the column, never a default.
#[cfg(feature = "sqlx")]
#[doc(hidden)]
#[macro_export]
macro_rules! sqlx_code {
    ($name:ident) => {
        impl<DB: $crate::codes::sqlx::Database> $crate::codes::sqlx::Type<DB> for $name
        where
            String: $crate::codes::sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as $crate::codes::sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as $crate::codes::sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'r, DB: $crate::codes::sqlx::Database> $crate::codes::sqlx::Decode<'r, DB> for $name
        where
            &'r str: $crate::codes::sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as $crate::codes::sqlx::Database>::ValueRef<'r>,
            ) -> ::std::result::Result<Self, $crate::codes::sqlx::error::BoxDynError> {
                let code = <&'r str as $crate::codes::sqlx::Decode<'r, DB>>::decode(value)?;
                ::std::result::Result::Ok($name::from_code(code)?)
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

#[cfg(feature = "sqlx")]
#[doc(hidden)]
pub use sqlx;
