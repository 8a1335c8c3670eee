//! [`with_value`]: a lenient field read whole as a JSON value and converted, failing *at* the field, so that
//! a decode error's path names it (converting after `Value::deserialize` returns would fail at the object
//! around it, serde_json having finished with the field).

use std::fmt;

use serde::Deserialize as _;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

/// Reads a field as a [`Value`] and converts it with `convert`; `None` from `convert` fails with
/// "expected {expected}" (never quoting the value), positioned at the field.
///
/// `null` reaches `convert` as [`Value::Null`]; with `#[serde(default)]` a missing field never calls it.
///
/// # Examples
///
/// ```
/// use carewire_core::de::with_value;
/// use serde::Deserialize;
/// use serde_json::Value;
///
/// fn yes_no<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
///     with_value(d, "Yes or No", |v| match v {
///         Value::Null => Some(None),
///         Value::String(s) if s == "Yes" => Some(Some(true)),
///         Value::String(s) if s == "No" => Some(Some(false)),
///         _ => None,
///     })
/// }
///
/// #[derive(Debug, Deserialize)]
/// struct Answers {
///     #[serde(default, deserialize_with = "yes_no")]
///     allergies: Option<bool>,
/// }
///
/// let ok: Answers = carewire_core::decode_json(200, br#"{"allergies": "Yes"}"#)?;
/// assert_eq!(ok.allergies, Some(true));
/// let err = carewire_core::decode_json::<Answers>(200, br#"{"allergies": "Maybe"}"#).unwrap_err();
/// assert_eq!(err.decode_path(), Some("allergies"));
/// assert!(!err.to_string().contains("Maybe"));
/// # Ok::<(), carewire_core::Error>(())
/// ```
pub fn with_value<'de, D, T, F>(deserializer: D, expected: &'static str, convert: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(Value) -> Option<T>,
{
    deserializer.deserialize_any(WholeVisitor { expected, convert })
}

struct WholeVisitor<F> {
    expected: &'static str,
    convert: F,
}

impl<F> WholeVisitor<F> {
    fn finish<T, E: de::Error>(self, value: Value) -> Result<T, E>
    where
        F: FnOnce(Value) -> Option<T>,
    {
        let expected = self.expected;
        (self.convert)(value).ok_or_else(|| E::custom(format_args!("expected {expected}")))
    }
}

impl<'de, T, F: FnOnce(Value) -> Option<T>> Visitor<'de> for WholeVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expected)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        self.finish(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.finish(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.finish(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        self.finish(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        self.finish(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        self.finish(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        self.finish(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        self.finish(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        let value = Value::deserialize(d)?;
        self.finish(value)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        self.finish(value)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.finish(value)
    }
}
