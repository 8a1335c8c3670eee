//! Open enums, written once for every vendor: [`open_enum!`](crate::open_enum) declares an enum of a vendor's
//! known wire values plus `Unknown(String)`, so a value the vendor adds tomorrow never breaks decoding.

/// Declares an open string enum: the known values as variants and `Unknown(String)` for any other, with
/// `as_str`, `is_unknown`, `Display`, `From<&str>`/`From<String>`, `Serialize` (the wire value) and a lenient
/// `Deserialize` (a string or a number; known values matched ASCII case-insensitively).
///
/// # Examples
///
/// ```
/// carewire_core::open_enum! {
///     /// A consult's status.
///     ConsultStatus {
///         /// Waiting for a doctor.
///         WaitingForDoctor => "waiting_for_doctor",
///         /// In progress.
///         InProgress => "in_progress",
///     }
/// }
///
/// let s: ConsultStatus = serde_json::from_str(r#""WAITING_FOR_DOCTOR""#).unwrap();
/// assert_eq!(s, ConsultStatus::WaitingForDoctor);
/// let new: ConsultStatus = serde_json::from_str(r#""on_hold""#).unwrap();
/// assert!(new.is_unknown());
/// assert_eq!(new.to_string(), "on_hold");
/// assert_eq!(serde_json::to_string(&ConsultStatus::InProgress).unwrap(), r#""in_progress""#);
/// assert_eq!(ConsultStatus::from(String::from("in_progress")), ConsultStatus::InProgress);
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept verbatim.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(other) => other,
                }
            }

            /// Whether this is a value the SDK does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                $( if value.eq_ignore_ascii_case($wire) { return Self::$variant; } )+
                Self::Unknown(value.to_owned())
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::de::string_or_number(deserializer).map(Self::from)
            }
        }
    };
}
