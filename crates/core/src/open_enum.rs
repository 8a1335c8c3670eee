//! Open enums, written once for every vendor: [`open_enum!`](crate::open_enum) declares an enum of a vendor's
//! known wire values plus `Unknown(String)`, so a value the vendor adds tomorrow never breaks decoding.

/// Declares an open string enum: the known values as variants and `Unknown(String)` for any other, with
/// `as_str`, `is_unknown`, `Display`, `From<&str>`/`From<String>`, `Serialize` (the wire value) and a lenient
/// `Deserialize` (a string or a number; known values matched ASCII case-insensitively, surrounding blanks
/// ignored).
///
/// A variant may accept other spellings on input (`Male => "male" | "m"`); it is always sent as the first.
/// Prefixing the name with `redacted` makes `Debug` print `[REDACTED]` instead of the variant, for values
/// that are patient data (a gender, a diagnosis class).
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
///
/// carewire_core::open_enum! {
///     /// A patient's gender: patient data, so `Debug` hides it.
///     redacted Gender {
///         /// `male` (also read as `m`).
///         Male => "male" | "m",
///         /// `female` (also read as `f`).
///         Female => "female" | "f",
///     }
/// }
///
/// assert_eq!(Gender::from(" M "), Gender::Male);
/// assert_eq!(Gender::Male.as_str(), "male");
/// assert_eq!(format!("{:?}", Gender::Female), "[REDACTED]");
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        redacted $name:ident { $($body:tt)* }
    ) => {
        $crate::open_enum!(@enum [$(#[$meta])*] [] $name { $($body)* });

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("[REDACTED]")
            }
        }
    };
    (
        $(#[$meta:meta])*
        $name:ident { $($body:tt)* }
    ) => {
        $crate::open_enum!(@enum [$(#[$meta])*] [#[derive(Debug)]] $name { $($body)* });
    };
    (
        @enum [$(#[$meta:meta])*] [$(#[$debug:meta])*]
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        $(#[$debug])*
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
                let trimmed = value.trim();
                $(
                    if trimmed.eq_ignore_ascii_case($wire) $(|| trimmed.eq_ignore_ascii_case($alias))* {
                        return Self::$variant;
                    }
                )+
                Self::Unknown(value.to_owned())
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
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
