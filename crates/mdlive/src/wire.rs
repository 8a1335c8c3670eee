//! Small wire helpers every operation group uses: validation before sending (errors name the field, never the
//! value), ids sent as the JSON type MDLIVE shows (a number when numeric), and lenient maps of text.

use std::borrow::Cow;
use std::collections::BTreeMap;

use carewire_core::{Error, Result};
use serde::de::{Deserializer, Error as _};
use serde_json::Value;

/// Fails when `value` is empty or only whitespace.
pub(crate) fn non_empty(field: impl Into<Cow<'static, str>>, value: &str) -> Result<()> {
    if value.trim().is_empty() { Err(Error::invalid_request(field, "must not be empty")) } else { Ok(()) }
}

/// Fails unless `state` is a two-letter state abbreviation.
pub(crate) fn state_abbrev(field: impl Into<Cow<'static, str>>, state: &str) -> Result<()> {
    if state.len() == 2 && state.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(())
    } else {
        Err(Error::invalid_request(field, "must be a two-letter state abbreviation"))
    }
}

/// An id as MDLIVE's examples send it: a JSON number when it is a plain integer (`4`), else the text.
pub(crate) fn wire_id(id: &str) -> Value {
    let trimmed = id.trim();
    let plain = !trimmed.is_empty() && trimmed.len() < 19 && trimmed.bytes().all(|b| b.is_ascii_digit());
    match trimmed.parse::<i64>() {
        Ok(n) if plain && !(trimmed.len() > 1 && trimmed.starts_with('0')) => Value::from(n),
        _ => Value::String(id.to_owned()),
    }
}

/// A map of texts whose values may also be numbers (`{"0": "1"}` or `{"0": 1}`); `null` is an empty map.
pub(crate) fn text_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<BTreeMap<String, String>, D::Error> {
    let value: Option<BTreeMap<String, Value>> = serde::Deserialize::deserialize(deserializer)?;
    value
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k, s)),
            Value::Number(n) => Ok((k, n.to_string())),
            Value::Bool(b) => Ok((k, b.to_string())),
            Value::Null => Ok((k, String::new())),
            _ => Err(D::Error::custom("expected a text or a number")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_their_shape() {
        assert_eq!(wire_id("4"), Value::from(4));
        assert_eq!(wire_id("00363061121"), Value::from("00363061121"));
        assert_eq!(wire_id("abc-1"), Value::from("abc-1"));
        assert_eq!(wire_id("99999999999999999999"), Value::from("99999999999999999999"));
        assert_eq!(wire_id("0"), Value::from(0));
    }

    #[test]
    fn validation_names_the_field() {
        let err = non_empty("search.term", " ").unwrap_err();
        assert_eq!(err.to_string(), "invalid request: `search.term` must not be empty");
        assert!(state_abbrev("state_abbrev", "FL").is_ok());
        assert!(state_abbrev("state_abbrev", "Florida").is_err());
    }
}
