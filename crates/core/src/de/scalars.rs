//! Lenient scalars: `bool_or_int`, `string_or_number`, `number_or_string_i64` / `_f64` and their `opt_`
//! variants, for booleans, identifiers and amounts that vendors print as numbers, strings or `0`/`1`.

use serde::Deserializer;
use serde::de;

use super::lenient::{Lenient, lenient, opt_lenient, render_f64, value_error};

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
/// string stays `Some("")`; combine with your own check, or use
/// [`empty_string_as_none`](super::empty_string_as_none), to drop it.
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
