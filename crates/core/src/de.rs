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

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer};
use serde::de::{self, Deserializer, Expected, IntoDeserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// An error naming only the kind of input, never its value.
fn kind_error<E: de::Error>(kind: &'static str, expected: &dyn Expected) -> E {
    E::invalid_type(Unexpected::Other(kind), expected)
}

/// An error for an input of the right kind but an unusable value, without quoting it.
fn value_error<E: de::Error>(what: &'static str, expected: &dyn Expected) -> E {
    E::invalid_value(Unexpected::Other(what), expected)
}

/// A target type that can be built from any JSON scalar, leniently.
trait Lenient: Sized {
    /// What the helper expects, for error messages.
    const EXPECTING: &'static str;
    /// Whether a blank string means `None` in the `opt_` variant.
    const BLANK_IS_NONE: bool = true;

    fn from_str<E: de::Error>(v: &str) -> Result<Self, E>;

    fn from_bool<E: de::Error>(_v: bool) -> Result<Self, E> {
        Err(kind_error("boolean", &Self::EXPECTING))
    }

    fn from_i64<E: de::Error>(_v: i64) -> Result<Self, E> {
        Err(kind_error("integer", &Self::EXPECTING))
    }

    fn from_u64<E: de::Error>(v: u64) -> Result<Self, E> {
        match i64::try_from(v) {
            Ok(v) => Self::from_i64(v),
            Err(_) => Err(value_error("integer out of range", &Self::EXPECTING)),
        }
    }

    fn from_i128<E: de::Error>(v: i128) -> Result<Self, E> {
        match i64::try_from(v) {
            Ok(v) => Self::from_i64(v),
            Err(_) => Err(value_error("integer out of range", &Self::EXPECTING)),
        }
    }

    fn from_u128<E: de::Error>(v: u128) -> Result<Self, E> {
        match u64::try_from(v) {
            Ok(v) => Self::from_u64(v),
            Err(_) => Err(value_error("integer out of range", &Self::EXPECTING)),
        }
    }

    fn from_f64<E: de::Error>(_v: f64) -> Result<Self, E> {
        Err(kind_error("floating point number", &Self::EXPECTING))
    }
}

struct LenientVisitor<T>(PhantomData<T>);

impl<T> LenientVisitor<T> {
    const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<'de, T: Lenient> Visitor<'de> for LenientVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        T::from_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_u64(v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
        T::from_i128(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<T, E> {
        T::from_u128(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::from_f64(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::from_str(v)
    }

    fn visit_bytes<E: de::Error>(self, _v: &[u8]) -> Result<T, E> {
        Err(kind_error("bytes", &self))
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Err(kind_error("null", &self))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Err(kind_error("null", &self))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }
}

struct OptLenientVisitor<T>(PhantomData<T>);

impl<T> OptLenientVisitor<T> {
    const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<'de, T: Lenient> Visitor<'de> for OptLenientVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "null or {}", T::EXPECTING)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<T>, E> {
        T::from_bool(v).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
        T::from_i64(v).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
        T::from_u64(v).map(Some)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Option<T>, E> {
        T::from_i128(v).map(Some)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Option<T>, E> {
        T::from_u128(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<T>, E> {
        T::from_f64(v).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        if T::BLANK_IS_NONE && v.trim().is_empty() { Ok(None) } else { T::from_str(v).map(Some) }
    }

    fn visit_bytes<E: de::Error>(self, _v: &[u8]) -> Result<Option<T>, E> {
        Err(kind_error("bytes", &self))
    }
}

fn lenient<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(LenientVisitor::<T>::new())
}

fn opt_lenient<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<Option<T>, D::Error> {
    deserializer.deserialize_option(OptLenientVisitor::<T>::new())
}

// ---------------------------------------------------------------------------------------------------------
// bool_or_int

impl Lenient for bool {
    const EXPECTING: &'static str = "a boolean, 0 or 1, or one of \"true\", \"false\", \"1\", \"0\", \"yes\", \"no\"";

    fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
        let v = v.trim();
        if ["true", "1", "yes"].iter().any(|t| v.eq_ignore_ascii_case(t)) {
            Ok(true)
        } else if ["false", "0", "no"].iter().any(|t| v.eq_ignore_ascii_case(t)) {
            Ok(false)
        } else {
            Err(value_error("string", &Self::EXPECTING))
        }
    }

    fn from_bool<E: de::Error>(v: bool) -> Result<Self, E> {
        Ok(v)
    }

    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(value_error("integer other than 0 or 1", &Self::EXPECTING)),
        }
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        if v == 0.0 {
            Ok(false)
        } else if (v - 1.0).abs() < f64::EPSILON {
            Ok(true)
        } else {
            Err(value_error("number other than 0 or 1", &Self::EXPECTING))
        }
    }
}

/// Deserializes a `bool` from `true`/`false`, the integers `0`/`1`, or the strings `"true"`, `"false"`, `"1"`,
/// `"0"`, `"yes"`, `"no"` (ASCII case-insensitive, surrounding whitespace ignored).
///
/// Other integers are rejected: an integer such as Healthstack's `status: 200` is an HTTP-like code, not a
/// boolean, and must not silently become `true`.
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Envelope {
///     #[serde(deserialize_with = "carewire_core::de::bool_or_int")]
///     status: bool,
/// }
///
/// for json in [r#"{"status": true}"#, r#"{"status": 1}"#, r#"{"status": "Yes"}"#] {
///     assert!(serde_json::from_str::<Envelope>(json)?.status);
/// }
/// assert!(serde_json::from_str::<Envelope>(r#"{"status": 200}"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn bool_or_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    lenient(deserializer)
}

/// Like [`bool_or_int`], but `null`, a blank string, or (with `#[serde(default)]`) a missing field give `None`.
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Allergy {
///     #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
///     current: Option<bool>,
/// }
///
/// assert_eq!(serde_json::from_str::<Allergy>(r#"{"current": null}"#)?.current, None);
/// assert_eq!(serde_json::from_str::<Allergy>("{}")?.current, None);
/// assert_eq!(serde_json::from_str::<Allergy>(r#"{"current": "false"}"#)?.current, Some(false));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn opt_bool_or_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    opt_lenient(deserializer)
}

// ---------------------------------------------------------------------------------------------------------
// string_or_number

/// Renders a float the way serde_json prints it (shortest round-trip form, e.g. `450.0`, `0.1`).
fn render_f64(v: f64) -> String {
    serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string())
}

impl Lenient for String {
    const EXPECTING: &'static str = "a string or a number";
    const BLANK_IS_NONE: bool = false;

    fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
        Ok(v.to_owned())
    }

    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        Ok(v.to_string())
    }

    fn from_u64<E: de::Error>(v: u64) -> Result<Self, E> {
        Ok(v.to_string())
    }

    fn from_i128<E: de::Error>(v: i128) -> Result<Self, E> {
        Ok(v.to_string())
    }

    fn from_u128<E: de::Error>(v: u128) -> Result<Self, E> {
        Ok(v.to_string())
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        Ok(render_f64(v))
    }
}

/// Deserializes a `String` from a string or a JSON number. Integers are rendered exactly (`12345678901` →
/// `"12345678901"`); floats as serde_json prints them (`450.5` → `"450.5"`, `450.0` → `"450.0"`).
///
/// A number cannot carry leading zeros: `0123` is not JSON, and a vendor printing `123` meant `"123"`, not
/// `"0123"`. Booleans, arrays and objects are rejected.
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Patient {
///     #[serde(deserialize_with = "carewire_core::de::string_or_number")]
///     phone: String,
/// }
///
/// let p: Patient = serde_json::from_str(r#"{"phone": 48123123123}"#)?;
/// assert_eq!(p.phone, "48123123123");
/// let p: Patient = serde_json::from_str(r#"{"phone": "+48123123123"}"#)?;
/// assert_eq!(p.phone, "+48123123123");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    lenient(deserializer)
}

/// Like [`string_or_number`], but `null` or (with `#[serde(default)]`) a missing field give `None`. An empty
/// string stays `Some("")`; combine with your own check, or use [`empty_string_as_none`], to drop it.
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Patient {
///     #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
///     nin: Option<String>,
/// }
///
/// assert_eq!(serde_json::from_str::<Patient>(r#"{"nin": 894237492}"#)?.nin.as_deref(), Some("894237492"));
/// assert_eq!(serde_json::from_str::<Patient>(r#"{"nin": null}"#)?.nin, None);
/// assert_eq!(serde_json::from_str::<Patient>("{}")?.nin, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn opt_string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    opt_lenient(deserializer)
}

// ---------------------------------------------------------------------------------------------------------
// number_or_string_i64 / f64

impl Lenient for i64 {
    const EXPECTING: &'static str = "an integer or a string holding one";

    fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
        let v = v.trim();
        if let Ok(n) = v.parse::<i64>() {
            return Ok(n);
        }
        // "42.0" / "42.00": an integer printed with a zero fraction.
        match v.split_once('.') {
            Some((whole, fraction)) if fraction.bytes().all(|b| b == b'0') => {
                whole.parse::<i64>().map_err(|_| value_error("non-integer string", &Self::EXPECTING))
            }
            _ => Err(value_error("non-integer string", &Self::EXPECTING)),
        }
    }

    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        Ok(v)
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        // Exact integers only, inside the i64 range (2^63 is the first value outside it).
        if v.fract() == 0.0 && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&v) {
            Ok(v as i64)
        } else {
            Err(value_error("number that is not an integer in range", &Self::EXPECTING))
        }
    }
}

impl Lenient for f64 {
    const EXPECTING: &'static str = "a number or a string holding one";

    fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
        match v.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(value_error("non-numeric string", &Self::EXPECTING)),
        }
    }

    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        Ok(v as f64)
    }

    fn from_u64<E: de::Error>(v: u64) -> Result<Self, E> {
        Ok(v as f64)
    }

    fn from_i128<E: de::Error>(v: i128) -> Result<Self, E> {
        Ok(v as f64)
    }

    fn from_u128<E: de::Error>(v: u128) -> Result<Self, E> {
        Ok(v as f64)
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        Ok(v)
    }
}

/// Deserializes an `i64` from an integer or a string holding one (`42` or `"42"`; also `"42.0"` and `42.0`).
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Service {
///     #[serde(deserialize_with = "carewire_core::de::number_or_string_i64")]
///     duration: i64,
/// }
///
/// assert_eq!(serde_json::from_str::<Service>(r#"{"duration": "30"}"#)?.duration, 30);
/// assert_eq!(serde_json::from_str::<Service>(r#"{"duration": 30}"#)?.duration, 30);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn number_or_string_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    lenient(deserializer)
}

/// Like [`number_or_string_i64`], but `null`, a blank string, or (with `#[serde(default)]`) a missing field give
/// `None`.
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Message {
///     #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
///     replied_to_message_id: Option<i64>,
/// }
///
/// let m: Message = serde_json::from_str(r#"{"replied_to_message_id": null}"#)?;
/// assert_eq!(m.replied_to_message_id, None);
/// let m: Message = serde_json::from_str(r#"{"replied_to_message_id": "104"}"#)?;
/// assert_eq!(m.replied_to_message_id, Some(104));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn opt_number_or_string_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    opt_lenient(deserializer)
}

/// Deserializes an `f64` from a number or a string holding one (`450`, `450.5`, `"450.00"`). Non-finite
/// strings such as `"NaN"` or `"inf"` are rejected.
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Price {
///     #[serde(deserialize_with = "carewire_core::de::number_or_string_f64")]
///     price: f64,
/// }
///
/// assert_eq!(serde_json::from_str::<Price>(r#"{"price": "450.00"}"#)?.price, 450.0);
/// assert_eq!(serde_json::from_str::<Price>(r#"{"price": 450}"#)?.price, 450.0);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn number_or_string_f64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    lenient(deserializer)
}

/// Like [`number_or_string_f64`], but `null`, a blank string, or (with `#[serde(default)]`) a missing field give
/// `None`.
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Service {
///     #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_f64")]
///     price: Option<f64>,
/// }
///
/// assert_eq!(serde_json::from_str::<Service>(r#"{"price": null}"#)?.price, None);
/// assert_eq!(serde_json::from_str::<Service>(r#"{"price": 100}"#)?.price, Some(100.0));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn opt_number_or_string_f64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    opt_lenient(deserializer)
}

// ---------------------------------------------------------------------------------------------------------
// one_or_many

struct OneOrManyVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, an array of values, or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            out.push(item);
        }
        Ok(out)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|item| vec![item])
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
        one_scalar(v.into_deserializer(), "boolean", &self)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
        one_scalar(v.into_deserializer(), "integer", &self)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
        one_scalar(v.into_deserializer(), "integer", &self)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<T>, E> {
        one_scalar(v.into_deserializer(), "floating point number", &self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        one_scalar(StrDeserializer::<E>::new(v), "string", &self)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Vec<T>, E> {
        one_scalar(BorrowedStrDeserializer::<E>::new(v), "string", &self)
    }

    fn visit_bytes<E: de::Error>(self, _v: &[u8]) -> Result<Vec<T>, E> {
        Err(kind_error("bytes", &self))
    }
}

fn one_scalar<'de, T, D, E>(deserializer: D, kind: &'static str, expected: &dyn Expected) -> Result<Vec<T>, E>
where
    T: Deserialize<'de>,
    D: Deserializer<'de, Error = E>,
    E: de::Error,
{
    T::deserialize(deserializer).map(|item| vec![item]).map_err(|_| kind_error(kind, expected))
}

/// Deserializes a `Vec<T>` from an array of `T`, a single `T` (a one-element vec), or `null` (an empty vec).
/// With `#[serde(default)]` a missing field is an empty vec too.
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Card { id: String }
///
/// #[derive(Deserialize)]
/// struct Envelope {
///     #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
///     data: Vec<Card>,
/// }
///
/// assert_eq!(serde_json::from_str::<Envelope>(r#"{"data": [{"id": "a"}, {"id": "b"}]}"#)?.data.len(), 2);
/// assert_eq!(serde_json::from_str::<Envelope>(r#"{"data": {"id": "a"}}"#)?.data[0].id, "a");
/// assert!(serde_json::from_str::<Envelope>(r#"{"data": null}"#)?.data.is_empty());
/// assert!(serde_json::from_str::<Envelope>("{}")?.data.is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
}

// ---------------------------------------------------------------------------------------------------------
// empty_string_as_none

struct EmptyAsNoneVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for EmptyAsNoneVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null, an empty string, or a value")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        T::deserialize(StrDeserializer::<E>::new(v)).map(Some).map_err(|_| value_error("string", &self))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Option<T>, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        T::deserialize(BorrowedStrDeserializer::<E>::new(v)).map(Some).map_err(|_| value_error("string", &self))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<T>, E> {
        T::deserialize(v.into_deserializer()).map(Some).map_err(|_: E| kind_error("boolean", &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
        T::deserialize(v.into_deserializer()).map(Some).map_err(|_: E| kind_error("integer", &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
        T::deserialize(v.into_deserializer()).map(Some).map_err(|_: E| kind_error("integer", &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<T>, E> {
        T::deserialize(v.into_deserializer()).map(Some).map_err(|_: E| kind_error("floating point number", &self))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Option<T>, A::Error> {
        T::deserialize(SeqAccessDeserializer::new(seq)).map(Some)
    }

    fn visit_bytes<E: de::Error>(self, _v: &[u8]) -> Result<Option<T>, E> {
        Err(kind_error("bytes", &self))
    }
}

/// Deserializes an `Option<T>` where `null`, `""` and whitespace-only strings are `None`; anything else is
/// deserialized as `T` (a non-blank string is handed to `T` unchanged). Use `#[serde(default)]` for missing
/// fields.
///
/// `T` receives the value through serde, so `T = String` or a string-backed enum works with string input, and
/// `T = i64` with number input. For numeric strings (`"42"`) use [`empty_string_as_none_from_str`].
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Insured {
///     #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
///     dob: Option<String>,
/// }
///
/// assert_eq!(serde_json::from_str::<Insured>(r#"{"dob": ""}"#)?.dob, None);
/// assert_eq!(serde_json::from_str::<Insured>(r#"{"dob": "  "}"#)?.dob, None);
/// assert_eq!(serde_json::from_str::<Insured>(r#"{"dob": "1960-12-31"}"#)?.dob.as_deref(), Some("1960-12-31"));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn empty_string_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(EmptyAsNoneVisitor(PhantomData))
}

struct EmptyAsNoneFromStrVisitor<T>(PhantomData<T>);

impl<T: FromStr> EmptyAsNoneFromStrVisitor<T> {
    fn parse<E: de::Error>(&self, v: &str) -> Result<Option<T>, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        v.parse::<T>().map(Some).map_err(|_| value_error("unparsable string", self))
    }
}

impl<'de, T: FromStr> Visitor<'de> for EmptyAsNoneFromStrVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null, an empty string, or a parsable string or number")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        self.parse(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<T>, E> {
        self.parse(if v { "true" } else { "false" })
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
        self.parse(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
        self.parse(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<T>, E> {
        self.parse(&render_f64(v))
    }

    fn visit_bytes<E: de::Error>(self, _v: &[u8]) -> Result<Option<T>, E> {
        Err(kind_error("bytes", &self))
    }
}

/// Deserializes an `Option<T>` through [`FromStr`]: `null`, `""` and whitespace-only strings are `None`; other
/// strings are parsed as given, and numbers and booleans are parsed from their JSON text. Use
/// `#[serde(default)]` for missing fields.
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Physician {
///     #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none_from_str")]
///     state_id: Option<u32>,
/// }
///
/// assert_eq!(serde_json::from_str::<Physician>(r#"{"state_id": ""}"#)?.state_id, None);
/// assert_eq!(serde_json::from_str::<Physician>(r#"{"state_id": "10"}"#)?.state_id, Some(10));
/// assert_eq!(serde_json::from_str::<Physician>(r#"{"state_id": 10}"#)?.state_id, Some(10));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn empty_string_as_none_from_str<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
{
    deserializer.deserialize_any(EmptyAsNoneFromStrVisitor(PhantomData))
}

// ---------------------------------------------------------------------------------------------------------
// Date-times

/// Splits `text` into unix seconds and nanoseconds when it is an optionally signed decimal number of seconds
/// (`1713110400`, `"1509727623.5845659"`); fraction digits beyond nanoseconds are truncated.
fn parse_unix_parts(text: &str) -> Option<(i64, u32)> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if whole.is_empty()
        || whole.len() > 18
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let secs: i64 = whole.parse().ok()?;
    let mut nanos: u32 = 0;
    for digit in fraction.bytes().chain(std::iter::repeat(b'0')).take(9) {
        nanos = nanos * 10 + u32::from(digit - b'0');
    }
    if !negative {
        Some((secs, nanos))
    } else if nanos == 0 {
        Some((-secs, 0))
    } else {
        Some((-secs - 1, 1_000_000_000 - nanos))
    }
}

fn unix_from_str(text: &str) -> Option<DateTime<Utc>> {
    let (secs, nanos) = parse_unix_parts(text.trim())?;
    DateTime::from_timestamp(secs, nanos)
}

fn unix_from_f64(v: f64) -> Option<DateTime<Utc>> {
    if !v.is_finite() || !(-1e17..1e17).contains(&v) {
        return None;
    }
    let secs = v.floor();
    let nanos = (((v - secs) * 1e9).round() as u32).min(999_999_999);
    DateTime::from_timestamp(secs as i64, nanos)
}

/// Date-time layouts with an explicit offset, tried after RFC 3339.
const OFFSET_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f %z", // 2017-12-15 08:27:33 -0500
    "%Y-%m-%d %H:%M:%S%.f%z",  // 2017-12-15 08:27:33-0500
    "%Y-%m-%dT%H:%M:%S%.f%z",  // 2017-12-15T08:27:33-0500
];

/// Date-time layouts without an offset, read as UTC.
const NAIVE_FORMATS: &[&str] = &["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"];

/// Offsets (hours east of UTC) of the zone abbreviations US vendors print in human-readable dates.
fn us_zone_offset_hours(abbreviation: &str) -> Option<i32> {
    let hours = match abbreviation.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "Z" => 0,
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" | "AKDT" => -8,
        "AKST" => -9,
        "HST" => -10,
        _ => return None,
    };
    Some(hours)
}

/// MDLIVE's human format: `Wednesday, Aug 07 2019 at 03:00PM EDT`.
fn parse_us_human(text: &str) -> Option<DateTime<FixedOffset>> {
    let (local, zone) = text.rsplit_once(' ')?;
    let offset = FixedOffset::east_opt(us_zone_offset_hours(zone)? * 3600)?;
    let naive = NaiveDateTime::parse_from_str(local, "%A, %b %d %Y at %I:%M%p").ok()?;
    offset.from_local_datetime(&naive).single()
}

/// Parses a date-time in any of the formats the vendors print, or returns `None` (never panics).
///
/// Accepted, in order:
/// - RFC 3339 with `Z` or an offset and 0–9 fraction digits: `2024-01-15T10:30:00Z`,
///   `2025-07-16T10:07:20.413641+00:00`, `2025-08-22T00:00:00.000Z`, `2018-01-10T15:00:00.000-05:00`;
/// - an offset without a colon, after a space or not: `2017-12-15 08:27:33 -0500`;
/// - no offset, read as UTC: `2017-12-15 08:27:33`, `2017-12-15T08:27:33`, with optional fraction, or
///   without seconds;
/// - unix seconds as a decimal string, with an optional fraction: `1713110400`, `1509727623.5845659`
///   (seconds, never milliseconds);
/// - RFC 2822: `Tue, 1 Jul 2003 10:52:37 +0200`;
/// - MDLIVE's human format with a US zone abbreviation: `Wednesday, Aug 07 2019 at 03:00PM EDT`.
///
/// Date-only strings give `None`; use [`parse_date`]. Truncated placeholders such as `2025-07-18T09..` give
/// `None`.
///
/// # Examples
///
/// ```
/// use carewire_core::de::parse_datetime;
///
/// let dt = parse_datetime("2017-12-15 08:27:33 -0500").unwrap();
/// assert_eq!(dt.to_rfc3339(), "2017-12-15T08:27:33-05:00");
/// assert_eq!(parse_datetime("1713110400").unwrap().timestamp(), 1_713_110_400);
/// assert_eq!(parse_datetime("2025-07-18T09.."), None);
/// ```
pub fn parse_datetime(input: &str) -> Option<DateTime<FixedOffset>> {
    let text = input.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt);
    }
    for format in OFFSET_FORMATS {
        if let Ok(dt) = DateTime::parse_from_str(text, format) {
            return Some(dt);
        }
    }
    for format in NAIVE_FORMATS {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(naive.and_utc().fixed_offset());
        }
    }
    if let Some(dt) = unix_from_str(text) {
        return Some(dt.fixed_offset());
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(text) {
        return Some(dt);
    }
    parse_us_human(text)
}

/// Calendar date layouts accepted by [`parse_date`]: (format, separator, whether the year comes first).
const DATE_FORMATS: &[(&str, char, bool)] = &[
    ("%Y-%m-%d", '-', true),  // 2018-01-15
    ("%m/%d/%Y", '/', false), // 9/19/2016 (US)
    ("%d.%m.%Y", '.', false), // 15.05.2021
];

/// Parses a calendar date, or returns `None` (never panics).
///
/// Accepted: ISO `2018-01-15`; US `9/19/2016` and `09/19/2016` (month first); `15.05.2021` (day first, dots);
/// and any date-time [`parse_datetime`] accepts that has a time part, giving the date in its own offset.
/// Ambiguous or partial forms (`18/25`, `18-12-20`) give `None`.
///
/// # Examples
///
/// ```
/// use carewire_core::de::parse_date;
/// use chrono::NaiveDate;
///
/// assert_eq!(parse_date("9/19/2016"), NaiveDate::from_ymd_opt(2016, 9, 19));
/// assert_eq!(parse_date("2018-01-15"), NaiveDate::from_ymd_opt(2018, 1, 15));
/// assert_eq!(parse_date("18/25"), None);
/// ```
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let text = input.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    for &(format, separator, year_first) in DATE_FORMATS {
        // chrono's `%Y` also takes short years ("18-12-20" would be year 18): insist on four digits.
        let year = if year_first { text.split(separator).next() } else { text.rsplit(separator).next() };
        if year.is_none_or(|year| year.len() != 4) {
            continue;
        }
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Some(date);
        }
    }
    if text.contains(':') {
        return parse_datetime(text).map(|dt| dt.date_naive());
    }
    None
}

/// A date-time field kept exactly as the vendor sent it, parsed on demand.
///
/// Decoding never fails on the content: any string is kept, and a number is kept as its JSON text, so a
/// truncated doc placeholder (`"2025-07-18T09.."`) or a human format does not break the whole response.
/// Call [`LenientDateTime::parse`] for a typed value. Serializes back as a string.
///
/// # Examples
///
/// ```
/// use carewire_core::de::LenientDateTime;
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Record {
///     date: LenientDateTime,
/// }
///
/// let ok: Record = serde_json::from_str(r#"{"date": "2025-08-22T00:00:00.000Z"}"#)?;
/// assert_eq!(ok.date.parse().map(|d| d.timestamp()), Some(1_755_820_800));
/// let placeholder: Record = serde_json::from_str(r#"{"date": "2025-07-19T18.."}"#)?;
/// assert_eq!(placeholder.date.raw(), "2025-07-19T18..");
/// assert_eq!(placeholder.date.parse(), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct LenientDateTime(String);

impl LenientDateTime {
    /// Wraps a raw date-time text.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::de::LenientDateTime;
    ///
    /// assert_eq!(LenientDateTime::new("2024-01-15T10:30:00Z").raw(), "2024-01-15T10:30:00Z");
    /// ```
    pub fn new(raw: impl Into<String>) -> Self {
        Self(raw.into())
    }

    /// The text as received (a number is rendered as its JSON text).
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::de::LenientDateTime;
    ///
    /// let dt: LenientDateTime = serde_json::from_str("1740075551")?;
    /// assert_eq!(dt.raw(), "1740075551");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn raw(&self) -> &str {
        &self.0
    }

    /// The raw text, by value.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::de::LenientDateTime;
    ///
    /// assert_eq!(LenientDateTime::new("18/25").into_raw(), "18/25");
    /// ```
    pub fn into_raw(self) -> String {
        self.0
    }

    /// Parses the text with [`parse_datetime`]; `None` if no known format matches.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::de::LenientDateTime;
    ///
    /// let dt = LenientDateTime::new("2019-08-07T15:00:00-04:00");
    /// assert_eq!(dt.parse().map(|d| d.timestamp()), Some(1_565_204_400));
    /// assert_eq!(LenientDateTime::new("2025-08-22T00:00:..").parse(), None);
    /// ```
    pub fn parse(&self) -> Option<DateTime<FixedOffset>> {
        parse_datetime(&self.0)
    }

    /// Parses the text with [`parse_date`] (a plain date, or the date part of a date-time).
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::de::LenientDateTime;
    /// use chrono::NaiveDate;
    ///
    /// assert_eq!(LenientDateTime::new("2025-01-01").parse_date(), NaiveDate::from_ymd_opt(2025, 1, 1));
    /// ```
    pub fn parse_date(&self) -> Option<NaiveDate> {
        parse_date(&self.0)
    }
}

impl fmt::Display for LenientDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for LenientDateTime {
    fn from(raw: String) -> Self {
        Self(raw)
    }
}

impl From<&str> for LenientDateTime {
    fn from(raw: &str) -> Self {
        Self(raw.to_owned())
    }
}

impl Lenient for LenientDateTime {
    const EXPECTING: &'static str = "a date-time string or number";

    fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
        Ok(Self(v.to_owned()))
    }

    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        Ok(Self(v.to_string()))
    }

    fn from_u64<E: de::Error>(v: u64) -> Result<Self, E> {
        Ok(Self(v.to_string()))
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        Ok(Self(render_f64(v)))
    }
}

impl<'de> Deserialize<'de> for LenientDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        lenient(deserializer)
    }
}

impl Serialize for LenientDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl Lenient for DateTime<Utc> {
    const EXPECTING: &'static str = "unix seconds as an integer, a float or a numeric string";

    fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
        unix_from_str(v).ok_or_else(|| value_error("non-numeric or out-of-range string", &Self::EXPECTING))
    }

    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        DateTime::from_timestamp(v, 0).ok_or_else(|| value_error("out-of-range integer", &Self::EXPECTING))
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        unix_from_f64(v).ok_or_else(|| value_error("out-of-range number", &Self::EXPECTING))
    }
}

/// Deserializes a `DateTime<Utc>` from unix seconds given as an integer (`1740075551`), a float
/// (`1509727623.58`) or a numeric string (`"1509727623.5845659"`).
///
/// # Examples
///
/// ```
/// use chrono::{DateTime, Utc};
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Consult {
///     #[serde(deserialize_with = "carewire_core::de::unix_seconds")]
///     expires_at: DateTime<Utc>,
/// }
///
/// let c: Consult = serde_json::from_str(r#"{"expires_at": 1740075551}"#)?;
/// assert_eq!(c.expires_at.to_rfc3339(), "2025-02-20T18:19:11+00:00");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn unix_seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    lenient(deserializer)
}

/// Like [`unix_seconds`], but `null`, a blank string, or (with `#[serde(default)]`) a missing field give `None`.
///
/// # Examples
///
/// ```
/// use chrono::{DateTime, Utc};
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Consult {
///     #[serde(default, deserialize_with = "carewire_core::de::opt_unix_seconds")]
///     expires_at: Option<DateTime<Utc>>,
/// }
///
/// assert!(serde_json::from_str::<Consult>("{}")?.expires_at.is_none());
/// assert!(serde_json::from_str::<Consult>(r#"{"expires_at": "1713110400"}"#)?.expires_at.is_some());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn opt_unix_seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    opt_lenient(deserializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn utc(rfc3339: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap()
    }

    /// Asserts that decoding failed and the error message does not contain `secret`.
    fn assert_err_without<T: std::fmt::Debug>(result: Result<T, serde_json::Error>, secret: &str) {
        let err = result.expect_err("expected a decoding error");
        let text = err.to_string();
        assert!(!text.contains(secret), "error echoes input: {text}");
    }

    // --- bool_or_int --------------------------------------------------------------------------------------

    #[derive(Debug, Deserialize)]
    struct HealthstackEnvelope {
        #[serde(default, deserialize_with = "opt_bool_or_int")]
        success: Option<bool>,
        #[serde(deserialize_with = "bool_or_int")]
        status: bool,
    }

    #[derive(Debug, Deserialize)]
    struct CardState {
        #[serde(deserialize_with = "bool_or_int")]
        active: bool,
    }

    #[test]
    fn bool_or_int_healthstack_status_true_vs_1() {
        // medicard_activate: "status": true, no "success".
        let env: HealthstackEnvelope =
            serde_json::from_str(r#"{"status": true, "message": "Medicard activated successfully"}"#).unwrap();
        assert!(env.status);
        assert_eq!(env.success, None);
        let env: HealthstackEnvelope = serde_json::from_str(r#"{"success": true, "status": 1}"#).unwrap();
        assert!(env.status);
        assert_eq!(env.success, Some(true));
        let env: HealthstackEnvelope = serde_json::from_str(r#"{"success": 0, "status": false}"#).unwrap();
        assert!(!env.status);
        assert_eq!(env.success, Some(false));
        // 200 is an HTTP-like code, not a boolean: refuse rather than guess.
        assert_err_without(serde_json::from_str::<HealthstackEnvelope>(r#"{"status": 200}"#), "200");
    }

    #[test]
    fn bool_or_int_healthstack_active_string() {
        // medicard_activate: "active": "true" (string); medicard_deactivate: "active": false.
        let fixture = json!({"health_id": "HID-PSE8RUOK", "active": "true", "card_number": "MED-KMSII94S"});
        let state: CardState = serde_json::from_value(fixture).unwrap();
        assert!(state.active);
        let state: CardState = serde_json::from_str(r#"{"active": false}"#).unwrap();
        assert!(!state.active);
        for (text, expected) in [
            ("\"TRUE\"", true),
            ("\" yes \"", true),
            ("\"1\"", true),
            ("\"False\"", false),
            ("\"NO\"", false),
            ("\"0\"", false),
            ("0", false),
            ("1", true),
            ("1.0", true),
            ("0.0", false),
        ] {
            let state: CardState = serde_json::from_str(&format!(r#"{{"active": {text}}}"#)).unwrap();
            assert_eq!(state.active, expected, "{text}");
        }
        assert_err_without(serde_json::from_str::<CardState>(r#"{"active": "maybe-HID-X"}"#), "HID-X");
        assert_err_without(serde_json::from_str::<CardState>(r#"{"active": 2}"#), "2,");
        assert!(serde_json::from_str::<CardState>(r#"{"active": null}"#).is_err());
        assert!(serde_json::from_str::<CardState>(r#"{"active": [true]}"#).is_err());
        assert!(serde_json::from_str::<CardState>("{}").is_err());
    }

    #[test]
    fn opt_bool_or_int_null_missing_blank() {
        #[derive(Debug, Deserialize)]
        struct Allergy {
            #[serde(default, deserialize_with = "opt_bool_or_int")]
            active: Option<bool>,
        }
        // MDLIVE health_conditions_list: "active": null.
        for (json, expected) in [
            (r#"{"active": null}"#, None),
            ("{}", None),
            (r#"{"active": ""}"#, None),
            (r#"{"active": true}"#, Some(true)),
            (r#"{"active": "true"}"#, Some(true)),
            (r#"{"active": 0}"#, Some(false)),
        ] {
            assert_eq!(serde_json::from_str::<Allergy>(json).unwrap().active, expected, "{json}");
        }
        assert_err_without(serde_json::from_str::<Allergy>(r#"{"active": "sometimes"}"#), "sometimes");
    }

    // --- string_or_number ---------------------------------------------------------------------------------

    #[derive(Debug, Deserialize)]
    struct BookingPatient {
        #[serde(deserialize_with = "string_or_number")]
        phone: String,
        #[serde(default, deserialize_with = "opt_string_or_number")]
        nin: Option<String>,
    }

    #[test]
    fn string_or_number_docplanner_phone_and_nin() {
        // bookings_get: phone and nin printed as numbers.
        let p: BookingPatient = serde_json::from_str(
            r#"{"name": "Abraham", "surname": "Lincoln", "phone": 48123123123, "nin": 894237492}"#,
        )
        .unwrap();
        assert_eq!(p.phone, "48123123123");
        assert_eq!(p.nin.as_deref(), Some("894237492"));
        // notifications_pull: the same fields as strings.
        let p: BookingPatient = serde_json::from_str(r#"{"phone": "+48123123123", "nin": "894237492"}"#).unwrap();
        assert_eq!(p.phone, "+48123123123");
        assert_eq!(p.nin.as_deref(), Some("894237492"));
        let p: BookingPatient = serde_json::from_str(r#"{"phone": "", "nin": null}"#).unwrap();
        assert_eq!(p.phone, "");
        assert_eq!(p.nin, None);
        let p: BookingPatient = serde_json::from_str(r#"{"phone": "123456789"}"#).unwrap();
        assert_eq!(p.nin, None);
    }

    #[test]
    fn string_or_number_healthstack_nin_and_otp() {
        #[derive(Debug, Deserialize)]
        struct CreatePatient {
            #[serde(deserialize_with = "string_or_number")]
            nin: String,
        }
        #[derive(Debug, Deserialize)]
        struct Consent {
            #[serde(deserialize_with = "string_or_number")]
            otp: String,
        }
        // requests/patients_create: "nin": 12345678901; patients_create response: "nin": "12345678901".
        let request: CreatePatient = serde_json::from_str(
            r#"{"name": "Jane Doe", "gender": "female", "dob": "1990-01-01", "nin": 12345678901, "email": "jane.doe@email.com"}"#,
        )
        .unwrap();
        assert_eq!(request.nin, "12345678901");
        let response: CreatePatient = serde_json::from_str(r#"{"nin": "12345678901"}"#).unwrap();
        assert_eq!(response.nin, "12345678901");
        // requests/patients_consent: "otp": 123456.
        let consent: Consent = serde_json::from_str(r#"{"health_id": "HID-NHG869UP", "otp": 123456}"#).unwrap();
        assert_eq!(consent.otp, "123456");
    }

    #[test]
    fn string_or_number_renders_numbers_without_loss() {
        let cases = [
            ("18446744073709551615", "18446744073709551615"),
            ("-9223372036854775808", "-9223372036854775808"),
            ("450.5", "450.5"),
            ("450.0", "450.0"),
            ("0.1", "0.1"),
            ("1e3", "1000.0"),
        ];
        for (number, expected) in cases {
            let p: BookingPatient = serde_json::from_str(&format!(r#"{{"phone": {number}}}"#)).unwrap();
            assert_eq!(p.phone, expected, "{number}");
        }
        assert!(serde_json::from_str::<BookingPatient>(r#"{"phone": true}"#).is_err());
        assert!(serde_json::from_str::<BookingPatient>(r#"{"phone": {"n": "1"}}"#).is_err());
        assert!(serde_json::from_str::<BookingPatient>(r#"{"phone": null}"#).is_err());
    }

    // --- number_or_string ---------------------------------------------------------------------------------

    #[test]
    fn number_or_string_i64_variants() {
        #[derive(Debug, Deserialize)]
        struct Row {
            #[serde(deserialize_with = "number_or_string_i64")]
            id: i64,
            #[serde(default, deserialize_with = "opt_number_or_string_i64")]
            replied_to_message_id: Option<i64>,
        }
        for (json, id, reply) in [
            (r#"{"id": 42}"#, 42, None),
            (r#"{"id": "42", "replied_to_message_id": 104}"#, 42, Some(104)),
            (r#"{"id": " -7 ", "replied_to_message_id": null}"#, -7, None),
            (r#"{"id": "42.00", "replied_to_message_id": ""}"#, 42, None),
            (r#"{"id": 42.0, "replied_to_message_id": "104"}"#, 42, Some(104)),
            (r#"{"id": "+5"}"#, 5, None),
        ] {
            let row: Row = serde_json::from_str(json).unwrap();
            assert_eq!((row.id, row.replied_to_message_id), (id, reply), "{json}");
        }
        for bad in [
            r#"{"id": "4x2-secret"}"#,
            r#"{"id": 42.5}"#,
            r#"{"id": "42.5"}"#,
            r#"{"id": 18446744073709551615}"#,
            r#"{"id": 1e300}"#,
            r#"{"id": ""}"#,
            r#"{"id": true}"#,
        ] {
            assert_err_without(serde_json::from_str::<Row>(bad), "secret");
        }
        assert_err_without(serde_json::from_str::<Row>(r#"{"id": 42.5}"#), "42.5");
    }

    #[test]
    fn number_or_string_f64_variants() {
        #[derive(Debug, Deserialize)]
        struct Price {
            #[serde(deserialize_with = "number_or_string_f64")]
            price: f64,
            #[serde(default, deserialize_with = "opt_number_or_string_f64")]
            weight: Option<f64>,
        }
        for (json, price, weight) in [
            (r#"{"price": "450.00"}"#, 450.0, None),
            (r#"{"price": 450, "weight": 12.1}"#, 450.0, Some(12.1)),
            (r#"{"price": 100, "weight": null}"#, 100.0, None),
            (r#"{"price": -0.5, "weight": " 12.1 "}"#, -0.5, Some(12.1)),
            (r#"{"price": 18446744073709551615, "weight": ""}"#, 18_446_744_073_709_551_615.0, None),
        ] {
            let p: Price = serde_json::from_str(json).unwrap();
            assert!((p.price - price).abs() < 1e-9, "{json}");
            assert_eq!(p.weight, weight, "{json}");
        }
        for bad in [
            r#"{"price": "NaN"}"#,
            r#"{"price": "inf"}"#,
            r#"{"price": "R450-secret"}"#,
            r#"{"price": null}"#,
            r#"{"price": 100, "weight": "heavy-secret"}"#,
        ] {
            assert_err_without(serde_json::from_str::<Price>(bad), "secret");
        }
    }

    // --- one_or_many ----------------------------------------------------------------------------------------

    #[derive(Debug, Deserialize, PartialEq)]
    struct Medicard {
        card_number: String,
    }

    #[derive(Debug, Deserialize)]
    struct MedicardEnvelope {
        #[serde(default, deserialize_with = "one_or_many")]
        data: Vec<Medicard>,
    }

    #[test]
    fn one_or_many_object_array_null_missing() {
        // medicard/create wraps the single card in an array; medicard/single returns the object.
        let many: MedicardEnvelope =
            serde_json::from_str(r#"{"status": true, "data": [{"card_number": "MED-XXXXXXXX"}]}"#).unwrap();
        let one: MedicardEnvelope =
            serde_json::from_str(r#"{"status": 200, "data": {"card_number": "MED-XXXXXXXX"}}"#).unwrap();
        assert_eq!(many.data, one.data);
        assert_eq!(one.data.len(), 1);
        assert!(serde_json::from_str::<MedicardEnvelope>(r#"{"data": null}"#).unwrap().data.is_empty());
        assert!(serde_json::from_str::<MedicardEnvelope>(r#"{"data": []}"#).unwrap().data.is_empty());
        assert!(serde_json::from_str::<MedicardEnvelope>("{}").unwrap().data.is_empty());
        assert!(serde_json::from_str::<MedicardEnvelope>(r#"{"data": [{}]}"#).is_err());
        assert_err_without(serde_json::from_str::<MedicardEnvelope>(r#"{"data": "MED-SECRET"}"#), "MED-SECRET");
    }

    #[test]
    fn one_or_many_scalars() {
        #[derive(Debug, Deserialize)]
        struct Outer {
            #[serde(flatten)]
            inner: Types,
        }
        #[derive(Debug, Deserialize)]
        struct Types {
            #[serde(deserialize_with = "one_or_many")]
            provider_types: Vec<String>,
            #[serde(default, deserialize_with = "one_or_many")]
            ids: Vec<u32>,
            #[serde(default, deserialize_with = "one_or_many")]
            flags: Vec<bool>,
            #[serde(default, deserialize_with = "one_or_many")]
            scores: Vec<f64>,
        }
        let t: Types =
            serde_json::from_str(r#"{"provider_types": "Family Physician", "ids": 7, "flags": true, "scores": 1.5}"#)
                .unwrap();
        assert_eq!(t.provider_types, vec!["Family Physician"]);
        assert_eq!(t.ids, vec![7]);
        assert_eq!(t.flags, vec![true]);
        assert_eq!(t.scores, vec![1.5]);
        let t: Types = serde_json::from_str(r#"{"provider_types": ["a", "b"], "ids": [1, 2]}"#).unwrap();
        assert_eq!(t.provider_types, vec!["a", "b"]);
        assert_eq!(t.ids, vec![1, 2]);
        // Through serde_json::Value (owned strings) and through flatten's buffering.
        let t: Types = serde_json::from_value(json!({"provider_types": "x"})).unwrap();
        assert_eq!(t.provider_types, vec!["x"]);
        let o: Outer = serde_json::from_str(r#"{"provider_types": "y", "ids": 3, "extra": 1}"#).unwrap();
        assert_eq!((o.inner.provider_types, o.inner.ids), (vec!["y".to_owned()], vec![3]));
        assert_err_without(serde_json::from_str::<Types>(r#"{"provider_types": [], "ids": "7-secret"}"#), "secret");
    }

    // --- empty_string_as_none -------------------------------------------------------------------------------

    #[test]
    fn empty_string_as_none_strings_and_values() {
        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(rename_all = "lowercase")]
        enum Gender {
            M,
            F,
        }
        #[derive(Debug, Deserialize)]
        struct PrimaryInsured {
            #[serde(default, deserialize_with = "empty_string_as_none")]
            relationship: Option<String>,
            #[serde(default, deserialize_with = "empty_string_as_none")]
            gender: Option<Gender>,
            #[serde(default, deserialize_with = "empty_string_as_none")]
            insurance_payer_id: Option<u32>,
            #[serde(default, deserialize_with = "empty_string_as_none")]
            extra: Option<std::collections::BTreeMap<String, u8>>,
        }
        // MDLIVE insurances_create request: primary_insurance_details full of "".
        let p: PrimaryInsured =
            serde_json::from_str(r#"{"relationship": "", "first_name": "", "gender": "", "dob": "", "member_id": ""}"#)
                .unwrap();
        assert_eq!((p.relationship, p.gender, p.insurance_payer_id), (None, None, None));
        let p: PrimaryInsured = serde_json::from_str(
            r#"{"relationship": " spouse ", "gender": "f", "insurance_payer_id": 27, "extra": {"a": 1}}"#,
        )
        .unwrap();
        assert_eq!(p.relationship.as_deref(), Some(" spouse "));
        assert_eq!(p.gender, Some(Gender::F));
        assert_eq!(p.insurance_payer_id, Some(27));
        assert_eq!(p.extra.map(|m| m.len()), Some(1));
        let p: PrimaryInsured = serde_json::from_str(r#"{"relationship": null, "gender": "  \t"}"#).unwrap();
        assert_eq!((p.relationship, p.gender), (None, None));
        let p: PrimaryInsured = serde_json::from_value(json!({"relationship": "child"})).unwrap();
        assert_eq!(p.relationship.as_deref(), Some("child"));
        assert_err_without(serde_json::from_str::<PrimaryInsured>(r#"{"gender": "x-secret"}"#), "secret");
        assert_err_without(serde_json::from_str::<PrimaryInsured>(r#"{"insurance_payer_id": "27-secret"}"#), "secret");
    }

    #[test]
    fn empty_string_as_none_from_str_parses() {
        #[derive(Debug, Deserialize)]
        struct Row {
            #[serde(default, deserialize_with = "empty_string_as_none_from_str")]
            state_id: Option<u32>,
            #[serde(default, deserialize_with = "empty_string_as_none_from_str")]
            dob: Option<NaiveDate>,
            #[serde(default, deserialize_with = "empty_string_as_none_from_str")]
            label: Option<String>,
        }
        let r: Row = serde_json::from_str(r#"{"state_id": "", "dob": "", "label": ""}"#).unwrap();
        assert_eq!((r.state_id, r.dob, r.label), (None, None, None));
        let r: Row = serde_json::from_str(r#"{"state_id": "10", "dob": "1960-12-31", "label": 5}"#).unwrap();
        assert_eq!(r.state_id, Some(10));
        assert_eq!(r.dob, NaiveDate::from_ymd_opt(1960, 12, 31));
        assert_eq!(r.label.as_deref(), Some("5"));
        let r: Row = serde_json::from_str(r#"{"state_id": 10, "label": true}"#).unwrap();
        assert_eq!((r.state_id, r.label.as_deref()), (Some(10), Some("true")));
        assert_err_without(serde_json::from_str::<Row>(r#"{"dob": "31-12-secret"}"#), "secret");
        assert!(serde_json::from_str::<Row>(r#"{"state_id": [1]}"#).is_err());
    }

    // --- parse_datetime / parse_date --------------------------------------------------------------------------

    #[test]
    fn parse_datetime_rfc3339_variants() {
        let cases = [
            // Healthstack: Z, 6 and 5 fraction digits, .000Z.
            ("2024-01-15T10:30:00Z", "2024-01-15T10:30:00+00:00", 0),
            ("2025-07-16T10:07:20.413641+00:00", "2025-07-16T10:07:20+00:00", 413_641_000),
            ("2025-07-22T11:32:02.12345+00:00", "2025-07-22T11:32:02+00:00", 123_450_000),
            ("2025-08-22T00:00:00.000Z", "2025-08-22T00:00:00+00:00", 0),
            // MDLIVE: millis with offset, plain offset.
            ("2018-01-10T15:00:00.000-05:00", "2018-01-10T20:00:00+00:00", 0),
            ("2019-08-07T15:00:00-04:00", "2019-08-07T19:00:00+00:00", 0),
            ("2018-01-23T02:33:13+00:00", "2018-01-23T02:33:13+00:00", 0),
            // Docplanner: ATOM with offset.
            ("2021-05-16T14:00:00+01:00", "2021-05-16T13:00:00+00:00", 0),
            // 9 fraction digits, lowercase separators.
            ("2024-01-15t10:30:00.123456789z", "2024-01-15T10:30:00+00:00", 123_456_789),
        ];
        for (text, instant, nanos) in cases {
            let dt = parse_datetime(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(dt, utc(instant).with_nanosecond_checked(nanos), "{text}");
        }
        // The offset is kept.
        assert_eq!(parse_datetime("2018-01-10T15:00:00.000-05:00").unwrap().offset().local_minus_utc(), -5 * 3600);
    }

    trait WithNanos {
        fn with_nanosecond_checked(self, nanos: u32) -> Self;
    }

    impl WithNanos for DateTime<FixedOffset> {
        fn with_nanosecond_checked(self, nanos: u32) -> Self {
            use chrono::Timelike;
            self.with_nanosecond(nanos).unwrap()
        }
    }

    #[test]
    fn parse_datetime_other_formats() {
        // MDLIVE user_status.updated_at.
        let dt = parse_datetime("2017-12-15 08:27:33 -0500").unwrap();
        assert_eq!(dt, utc("2017-12-15T13:27:33Z"));
        assert_eq!(dt.offset().local_minus_utc(), -5 * 3600);
        assert_eq!(parse_datetime("2017-12-15T08:27:33-0500").unwrap(), utc("2017-12-15T13:27:33Z"));
        // Naive forms are UTC.
        for text in ["2017-12-15 08:27:33", "2017-12-15T08:27:33", " 2017-12-15T08:27:33 "] {
            assert_eq!(parse_datetime(text).unwrap(), utc("2017-12-15T08:27:33Z"), "{text}");
        }
        assert_eq!(parse_datetime("2017-12-15 08:27").unwrap(), utc("2017-12-15T08:27:00Z"));
        assert_eq!(parse_datetime("2017-12-15T08:27:33.250").unwrap(), utc("2017-12-15T08:27:33.250Z"));
        // Unix seconds, integer and float strings (MDLIVE request_timestamp).
        assert_eq!(parse_datetime("1713110400").unwrap(), utc("2024-04-14T16:00:00Z"));
        let dt = parse_datetime("1509727623.5845659").unwrap();
        assert_eq!(dt.timestamp(), 1_509_727_623);
        assert_eq!(dt.timestamp_subsec_nanos(), 584_565_900);
        assert_eq!(parse_datetime("-1.5").unwrap().timestamp_millis(), -1_500);
        // Fraction digits beyond nanoseconds are truncated.
        assert_eq!(
            parse_datetime("2025-07-16T10:07:20.1234567890123+00:00").map(|d| d.timestamp_subsec_nanos()),
            Some(123_456_789)
        );
        // RFC 2822.
        assert_eq!(parse_datetime("Tue, 1 Jul 2003 10:52:37 +0200").unwrap(), utc("2003-07-01T08:52:37Z"));
        // MDLIVE human start_date agrees with its start_date_rfc3339 sibling.
        assert_eq!(
            parse_datetime("Wednesday, Aug 07 2019 at 03:00PM EDT"),
            parse_datetime("2019-08-07T15:00:00-04:00")
        );
        assert_eq!(parse_datetime("Wednesday, Aug 07 2019 at 03:00PM XYZ"), None);
    }

    #[test]
    fn parse_datetime_garbage_is_none() {
        let long = "9".repeat(500);
        let garbage = [
            "",
            "   ",
            "2025-07-18T09..",
            "2025-08-22T00:00:..",
            "2025-07-19T18..",
            "2025-13-01T00:00:00Z",
            "2025-02-30T00:00:00Z",
            "2018-01-15",
            "18/25",
            "1e9",
            ".",
            "-",
            "+",
            "1.2.3",
            "99999999999999999",
            "999999999999999999",
            "-999999999999999999",
            long.as_str(),
            "Wednesday, Aug 07 2019 at",
            "Thursday, Aug 07 2019 at 03:00PM EDT",
            "é€😀",
            "2025-07-16T10:07:20.413641+99:00",
        ];
        for text in garbage {
            assert_eq!(parse_datetime(text), None, "{text:?}");
        }
    }

    #[test]
    fn parse_date_formats() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(parse_date("2018-01-15"), d(2018, 1, 15));
        assert_eq!(parse_date(" 1960-12-31 "), d(1960, 12, 31));
        assert_eq!(parse_date("9/19/2016"), d(2016, 9, 19));
        assert_eq!(parse_date("09/19/2016"), d(2016, 9, 19));
        assert_eq!(parse_date("15.05.2021"), d(2021, 5, 15));
        assert_eq!(parse_date("2018-01-10T15:00:00.000-05:00"), d(2018, 1, 10));
        assert_eq!(parse_date("2017-12-15 08:27:33 -0500"), d(2017, 12, 15));
        for bad in ["", "18/25", "18-12-20", "19/9/2016", "2025", "1713110400", "2018-02-30", "2025-07-18T09.."] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    // --- LenientDateTime ------------------------------------------------------------------------------------

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct EventAppointment {
        id: i64,
        start_date: LenientDateTime,
        start_date_rfc3339: LenientDateTime,
        #[serde(default)]
        updated_at: Option<LenientDateTime>,
    }

    #[test]
    fn lenient_datetime_mdlive_human_format_decodes() {
        let fixture = json!({
            "id": 43,
            "patient_id": 3,
            "provider_id": 4,
            "start_date": "Wednesday, Aug 07 2019 at 03:00PM EDT",
            "start_date_rfc3339": "2019-08-07T15:00:00-04:00",
            "appointment_by": "video",
            "status": "pending"
        });
        let appt: EventAppointment = serde_json::from_value(fixture).unwrap();
        assert_eq!(appt.start_date.raw(), "Wednesday, Aug 07 2019 at 03:00PM EDT");
        assert_eq!(appt.start_date.to_string(), "Wednesday, Aug 07 2019 at 03:00PM EDT");
        let rfc = appt.start_date_rfc3339.parse().unwrap();
        assert_eq!(rfc, utc("2019-08-07T19:00:00Z"));
        assert_eq!(appt.start_date.parse(), Some(rfc));
        assert_eq!(appt.updated_at, None);
    }

    #[test]
    fn lenient_datetime_keeps_placeholders_and_numbers() {
        #[derive(Debug, Deserialize)]
        struct Surgery {
            #[serde(rename = "surgeryDate")]
            surgery_date: LenientDateTime,
        }
        // healthstack/record_data: truncated placeholder.
        let s: Surgery = serde_json::from_str(
            r#"{"surgeon": "Dr. John", "procedure": "Appendix", "surgeryDate": "2025-08-30T00..", "surgicalNotes": "Surgical Note..."}"#,
        )
        .unwrap();
        assert_eq!(s.surgery_date.raw(), "2025-08-30T00..");
        assert_eq!(s.surgery_date.parse(), None);
        assert_eq!(s.surgery_date.parse_date(), None);
        let s: Surgery = serde_json::from_str(r#"{"surgeryDate": 1740075551}"#).unwrap();
        assert_eq!(s.surgery_date.raw(), "1740075551");
        assert_eq!(s.surgery_date.parse().map(|d| d.timestamp()), Some(1_740_075_551));
        let s: Surgery = serde_json::from_str(r#"{"surgeryDate": 1509727623.5}"#).unwrap();
        assert_eq!(s.surgery_date.raw(), "1509727623.5");
        assert_eq!(s.surgery_date.parse().map(|d| d.timestamp_millis()), Some(1_509_727_623_500));
        // Healthstack medicard expires_at "18/25" vs "2025-01-01".
        let s: Surgery = serde_json::from_str(r#"{"surgeryDate": "18/25"}"#).unwrap();
        assert_eq!((s.surgery_date.parse(), s.surgery_date.parse_date()), (None, None));
        let s: Surgery = serde_json::from_str(r#"{"surgeryDate": "2025-01-01"}"#).unwrap();
        assert_eq!(s.surgery_date.parse_date(), NaiveDate::from_ymd_opt(2025, 1, 1));
        // Only non-scalars fail, without echoing anything.
        assert!(serde_json::from_str::<Surgery>(r#"{"surgeryDate": null}"#).is_err());
        assert!(serde_json::from_str::<Surgery>(r#"{"surgeryDate": true}"#).is_err());
        assert!(serde_json::from_str::<Surgery>(r#"{"surgeryDate": ["2025"]}"#).is_err());
    }

    #[test]
    fn lenient_datetime_round_trips_and_converts() {
        let value = LenientDateTime::from("2025-07-16T10:07:20.413641+00:00");
        assert_eq!(serde_json::to_string(&value).unwrap(), r#""2025-07-16T10:07:20.413641+00:00""#);
        let back: LenientDateTime = serde_json::from_str(&serde_json::to_string(&value).unwrap()).unwrap();
        assert_eq!(back, value);
        assert_eq!(LenientDateTime::from(String::from("x")).into_raw(), "x");
        assert_eq!(LenientDateTime::default().raw(), "");
        assert_eq!(LenientDateTime::new("").parse(), None);
    }

    // --- unix_seconds ---------------------------------------------------------------------------------------

    #[test]
    fn unix_seconds_medtimes_expires_at() {
        #[derive(Debug, Deserialize)]
        struct Consult {
            #[serde(deserialize_with = "unix_seconds")]
            expires_at: DateTime<Utc>,
        }
        // medtimes/consults_create fixture.
        let c: Consult = serde_json::from_str(
            r#"{"id": "cns_4492193", "object": "consult", "status": "waiting_for_doctor", "join_url": "https://meet.medtimes.health/cns_4492193", "expires_at": 1740075551}"#,
        )
        .unwrap();
        assert_eq!(c.expires_at.to_rfc3339(), "2025-02-20T18:19:11+00:00");
        for (json, millis) in [
            (r#"{"expires_at": 1713110400}"#, 1_713_110_400_000),
            (r#"{"expires_at": "1713110400"}"#, 1_713_110_400_000),
            (r#"{"expires_at": 1713110400.25}"#, 1_713_110_400_250),
            (r#"{"expires_at": "1509727623.5845659"}"#, 1_509_727_623_584),
            (r#"{"expires_at": -1}"#, -1_000),
            (r#"{"expires_at": -1.25}"#, -1_250),
            (r#"{"expires_at": 0}"#, 0),
        ] {
            let c: Consult = serde_json::from_str(json).unwrap();
            assert_eq!(c.expires_at.timestamp_millis(), millis, "{json}");
        }
        for bad in [
            r#"{"expires_at": "soon-secret"}"#,
            r#"{"expires_at": "2025-02-20T18:19:11Z-secret"}"#,
            r#"{"expires_at": 18446744073709551615}"#,
            r#"{"expires_at": 9223372036854775807}"#,
            r#"{"expires_at": 1e300}"#,
            r#"{"expires_at": ""}"#,
            r#"{"expires_at": null}"#,
            r#"{"expires_at": true}"#,
        ] {
            assert_err_without(serde_json::from_str::<Consult>(bad), "secret");
        }
        assert_err_without(
            serde_json::from_str::<Consult>(r#"{"expires_at": 9223372036854775807}"#),
            "9223372036854775807",
        );
    }

    #[test]
    fn opt_unix_seconds_null_missing_blank() {
        #[derive(Debug, Deserialize)]
        struct Consult {
            #[serde(default, deserialize_with = "opt_unix_seconds")]
            expires_at: Option<DateTime<Utc>>,
        }
        for json in ["{}", r#"{"expires_at": null}"#, r#"{"expires_at": " "}"#] {
            assert_eq!(serde_json::from_str::<Consult>(json).unwrap().expires_at, None, "{json}");
        }
        let c: Consult = serde_json::from_str(r#"{"expires_at": 1740075551}"#).unwrap();
        assert_eq!(c.expires_at.map(|d| d.timestamp()), Some(1_740_075_551));
        assert!(serde_json::from_str::<Consult>(r#"{"expires_at": "tomorrow"}"#).is_err());
    }

    #[test]
    fn opt_helpers_work_through_value_and_flatten() {
        #[derive(Debug, Deserialize)]
        struct Inner {
            #[serde(default, deserialize_with = "opt_string_or_number")]
            nin: Option<String>,
            #[serde(default, deserialize_with = "opt_bool_or_int")]
            active: Option<bool>,
        }
        #[derive(Debug, Deserialize)]
        struct Outer {
            #[serde(flatten)]
            inner: Inner,
            #[serde(flatten)]
            extra: std::collections::BTreeMap<String, serde_json::Value>,
        }
        let o: Outer = serde_json::from_str(r#"{"other": 1}"#).unwrap();
        assert_eq!(o.extra.len(), 1);
        let o: Outer = serde_json::from_str(r#"{"nin": 12345678901, "active": "true", "other": 1}"#).unwrap();
        assert_eq!(o.inner.nin.as_deref(), Some("12345678901"));
        assert_eq!(o.inner.active, Some(true));
        let o: Outer = serde_json::from_str(r#"{"nin": null}"#).unwrap();
        assert_eq!((o.inner.nin, o.inner.active), (None, None));
        let i: Inner = serde_json::from_value(json!({"nin": "1", "active": 1})).unwrap();
        assert_eq!((i.nin.as_deref(), i.active), (Some("1"), Some(true)));
    }

    #[test]
    fn error_messages_do_not_echo_values() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct All {
            #[serde(default, deserialize_with = "bool_or_int")]
            a: bool,
            #[serde(default, deserialize_with = "number_or_string_i64")]
            b: i64,
            #[serde(default, deserialize_with = "number_or_string_f64")]
            c: f64,
            #[serde(default, deserialize_with = "unix_seconds")]
            d: DateTime<Utc>,
        }
        let secret = "Jane-Doe-HIV-positive";
        for field in ["a", "b", "c", "d"] {
            let json = format!(r#"{{"{field}": "{secret}"}}"#);
            let err = serde_json::from_str::<All>(&json).unwrap_err().to_string();
            assert!(!err.contains(secret), "{err}");
            assert!(err.contains("expected"), "{err}");
        }
    }

    #[test]
    fn pseudo_random_inputs_never_panic() {
        // Deterministic LCG over a pool of date-ish characters, including multi-byte ones.
        let pool: Vec<char> = "0123456789-+:.TZtz /,WAEDSPMa\u{e9}\u{20ac}\u{1f600}\"eE".chars().collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for _ in 0..20_000 {
            let len = next() % 40;
            let text: String = (0..len).map(|_| pool[next() % pool.len()]).collect();
            let _ = parse_datetime(&text);
            let _ = parse_date(&text);
            let _ = unix_from_str(&text);
            let json = serde_json::to_string(&text).unwrap();
            let _ = serde_json::from_str::<LenientDateTime>(&json).unwrap();
            let _: Result<serde_json::Value, _> = serde_json::from_str(&text);
            for de_input in [json.as_str(), text.as_str()] {
                let mut d = serde_json::Deserializer::from_str(de_input);
                let _ = bool_or_int(&mut d);
                let mut d = serde_json::Deserializer::from_str(de_input);
                let _ = number_or_string_i64(&mut d);
                let mut d = serde_json::Deserializer::from_str(de_input);
                let _ = number_or_string_f64(&mut d);
                let mut d = serde_json::Deserializer::from_str(de_input);
                let _ = unix_seconds(&mut d);
                let mut d = serde_json::Deserializer::from_str(de_input);
                let _ = opt_unix_seconds(&mut d);
            }
        }
    }
}
