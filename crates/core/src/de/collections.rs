//! Shape helpers: `one_or_many` (a value or an array of values) and `empty_string_as_none` /
//! `empty_string_as_none_from_str` (blank strings as `None`).

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::Deserialize;
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer};
use serde::de::{self, Deserializer, Expected, IntoDeserializer, Visitor};

use super::lenient::{kind_error, render_f64, value_error};

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
