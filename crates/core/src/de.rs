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
mod tests;
