//! The machinery behind the scalar helpers: the `Lenient` trait (build a target type from any JSON scalar),
//! its visitors for plain and `Option` targets, and the errors that name the kind of input, never its value.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Expected, Unexpected, Visitor};

/// An error naming only the kind of input, never its value.
pub(super) fn kind_error<E: de::Error>(kind: &'static str, expected: &dyn Expected) -> E {
    E::invalid_type(Unexpected::Other(kind), expected)
}

/// An error for an input of the right kind but an unusable value, without quoting it.
pub(super) fn value_error<E: de::Error>(what: &'static str, expected: &dyn Expected) -> E {
    E::invalid_value(Unexpected::Other(what), expected)
}

/// A target type that can be built from any JSON scalar, leniently.
pub(super) trait Lenient: Sized {
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

pub(super) fn lenient<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(LenientVisitor::<T>::new())
}

pub(super) fn opt_lenient<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<Option<T>, D::Error> {
    deserializer.deserialize_option(OptLenientVisitor::<T>::new())
}

/// Renders a float the way serde_json prints it (shortest round-trip form, e.g. `450.0`, `0.1`).
pub(super) fn render_f64(v: f64) -> String {
    serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string())
}
