//! Lenient serde helpers for the shapes vendor docs actually print.
//!
//! Use them with `#[serde(deserialize_with = "...")]`. The `opt_` variants return `Option`s: JSON `null` gives
//! `None`, and with `#[serde(default)]` a missing field does too (serde requires the `default` for that). For
//! the numeric, boolean and time `opt_` variants a blank string (`""`, whitespace) is also `None`.
//!
//! | helper | accepts | quirk it absorbs |
//! |---|---|---|
//! | [`bool_or_int`] | `true`/`false`, `0`/`1`, `"true"`/`"false"`/`"1"`/`"0"`/`"yes"`/`"no"` | Healthstack `active: "true"` |
//! | [`string_or_number`] | a string or any JSON number | Docplanner `phone`/`nin`, Healthstack `nin`, `otp` |
//! | [`number_or_string_i64`], [`number_or_string_f64`] | a number or a numeric string | `"42"`, `"450.00"` |
//! | [`one_or_many`] | a value, an array of values, or `null` | single resources wrapped (or not) in arrays |
//! | [`empty_string_as_none`] | `""` / blank as `None` | empty placeholders such as `"dob": ""` |
//! | [`unix_seconds`] | integer, float or numeric string seconds | Medtimes `expires_at` |
//! | [`LenientDateTime`] | any string or number, kept raw | truncated placeholders like `"2025-07-18T09.."` |
//! | [`with_value`] | anything, converted by your function | vendor-specific spellings (`"Yes"`/`"No"`), with errors at the field |
//!
//! Errors raised by these helpers never echo the input value (it may be personal health information): they name
//! only the kind of value found and what was expected. Errors raised by a caller's own `T` (in [`one_or_many`]
//! and [`empty_string_as_none`] for maps and arrays) are `T`'s.
//!
//! # Examples
//!
//! ```
//! use carewire_core::de;
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct Card {
//!     #[serde(deserialize_with = "de::bool_or_int")]
//!     active: bool,
//!     #[serde(default, deserialize_with = "de::opt_string_or_number")]
//!     nin: Option<String>,
//! }
//!
//! let card: Card = serde_json::from_str(r#"{"active": "true", "nin": 12345678901}"#)?;
//! assert!(card.active);
//! assert_eq!(card.nin.as_deref(), Some("12345678901"));
//! # Ok::<(), serde_json::Error>(())
//! ```

mod collections;
mod dates;
mod lenient;
mod scalars;
mod whole;

pub use collections::{empty_string_as_none, empty_string_as_none_from_str, one_or_many};
pub use dates::{LenientDateTime, opt_unix_seconds, parse_date, parse_datetime, unix_seconds};
pub use scalars::{
    bool_or_int, number_or_string_f64, number_or_string_i64, opt_bool_or_int, opt_number_or_string_f64,
    opt_number_or_string_i64, opt_string_or_number, string_or_number,
};
pub use whole::with_value;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_dates;
