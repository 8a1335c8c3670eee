//! The response envelope every Healthstack answer is wrapped in, and its one tolerant decoder.
//!
//! The documented shapes (variants A–F of the vendor notes, H1–H4) differ per endpoint: `success` is
//! sometimes absent, `status` is a boolean or the integer `200`, and `data` is an object, a one-element
//! array, an array or absent. [`Envelope`] accepts all of them. A body whose `success` is `false`, whose
//! `status` is `false` or whose integer `status` is 400 or more is an error even with HTTP 200.

use std::fmt;
use std::marker::PhantomData;

use carewire_core::{ApiError, Error, RawResponse, Result, decode_json};
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, de::value::MapAccessDeserializer};
use serde_json::Value;

use crate::error::parse_error_value;

/// The `status` member of an envelope: a boolean (`true`) or an HTTP-like integer (`200`) (H1).
///
/// Strings holding either (`"200"`, `"true"`) are accepted too; anything else is kept as text.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvelopeStatus {
    /// A boolean status.
    Bool(bool),
    /// An integer status such as `200`.
    Code(i64),
    /// Any other text.
    Text(String),
}

impl EnvelopeStatus {
    /// Whether this status says the call failed: `false`, an integer of 400 or more, or a text such as
    /// `"error"`/`"failed"`.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_healthstack::EnvelopeStatus;
    ///
    /// assert!(!EnvelopeStatus::Code(200).is_failure());
    /// assert!(!EnvelopeStatus::Bool(true).is_failure());
    /// assert!(EnvelopeStatus::Bool(false).is_failure());
    /// assert!(EnvelopeStatus::Code(422).is_failure());
    /// ```
    pub fn is_failure(&self) -> bool {
        match self {
            Self::Bool(b) => !b,
            Self::Code(c) => *c >= 400 || *c == 0,
            Self::Text(t) => {
                let t = t.trim();
                ["false", "error", "failed", "failure", "fail"].iter().any(|w| t.eq_ignore_ascii_case(w))
            }
        }
    }

    /// The integer code, when the status is one.
    pub fn code(&self) -> Option<i64> {
        match self {
            Self::Code(c) => Some(*c),
            _ => None,
        }
    }

    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Bool(b) => Some(Self::Bool(*b)),
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)).map(Self::Code),
            Value::String(s) => {
                let t = s.trim();
                if let Ok(c) = t.parse::<i64>() {
                    Some(Self::Code(c))
                } else if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("success") {
                    Some(Self::Bool(true))
                } else if t.eq_ignore_ascii_case("false") {
                    Some(Self::Bool(false))
                } else {
                    Some(Self::Text(s.clone()))
                }
            }
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for EnvelopeStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let v = Value::deserialize(deserializer)?;
        Self::from_value(&v).ok_or_else(|| de::Error::custom("expected a boolean, an integer or a string"))
    }
}

/// A decoded envelope: `{success?, status, message, data?}`.
///
/// `Debug` never shows `message` (vendors may echo patient data in it).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Envelope<T> {
    /// `success`, absent in some responses (H2).
    pub success: Option<bool>,
    /// `status`, a boolean or an integer (H1).
    pub status: Option<EnvelopeStatus>,
    /// The human-readable message. Never branch on it (H15): several are copy-pasted.
    pub message: Option<String>,
    /// The payload, when the response had one (H4).
    pub data: Option<T>,
}

impl<T> fmt::Debug for Envelope<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope")
            .field("success", &self.success)
            .field("status", &self.status)
            .field("message", &self.message.as_ref().map(|_| "[REDACTED]"))
            .field("data", &self.data.as_ref().map(|_| "[..]"))
            .finish()
    }
}

impl<T> Envelope<T> {
    /// Whether the envelope itself says the call failed (`success: false`, `status: false`, or an integer
    /// status of 400 or more).
    pub fn is_failure(&self) -> bool {
        self.success == Some(false) || self.status.as_ref().is_some_and(EnvelopeStatus::is_failure)
    }
}

fn lenient_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads the envelope of a body without decoding `data`.
///
/// A body that is not a JSON object (a bare array, for instance) is taken as the `data` itself; an empty
/// body is an envelope with nothing in it.
pub(crate) fn read_envelope(status: u16, body: &[u8]) -> Result<Envelope<Value>> {
    let value: Value = decode_json(status, body)?;
    Ok(match value {
        Value::Object(mut map) => Envelope {
            success: map.get("success").and_then(lenient_bool),
            status: map.get("status").and_then(EnvelopeStatus::from_value),
            message: map.get("message").and_then(text),
            data: map.remove("data").filter(|d| !d.is_null()),
        },
        Value::Null => Envelope { success: None, status: None, message: None, data: None },
        other => Envelope { success: None, status: None, message: None, data: Some(other) },
    })
}

/// Reads the envelope of a 2xx response and turns a failure envelope into [`Error::Api`].
pub(crate) fn checked_envelope(raw: &RawResponse) -> Result<Envelope<Value>> {
    let http = raw.meta.status;
    let env = read_envelope(http, &raw.body)?;
    if env.is_failure() {
        let status = env
            .status
            .as_ref()
            .and_then(EnvelopeStatus::code)
            .and_then(|c| u16::try_from(c).ok())
            .filter(|c| (400..600).contains(c))
            .unwrap_or(http);
        let value: Value = serde_json::from_slice(&raw.body).unwrap_or(Value::Null);
        let parsed = parse_error_value(status, &value);
        let api = ApiError::new(crate::VENDOR, status)
            .with_parsed(parsed)
            .with_body(raw.body.clone())
            .with_request_id(raw.meta.request_id.clone());
        return Err(Error::Api(Box::new(api)));
    }
    Ok(env)
}

/// Decodes `data` (JSON `null` when absent) into `T`, reporting the JSON path of a failure.
pub(crate) fn decode_data<T: DeserializeOwned>(status: u16, data: Option<Value>) -> Result<T> {
    let bytes = serde_json::to_vec(&data.unwrap_or(Value::Null)).map_err(|_| Error::config("re-encoding data"))?;
    decode_json(status, &bytes)
}

/// One resource sent as an object or as a one-element array (H3); a longer array yields its first item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct One<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for One<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = One<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or a one-element array")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<One<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<One<T>, A::Error> {
                let first: T = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(One(first))
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}

/// A list sent as an array, a single object, `null` or nothing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Many<T>(pub(crate) Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Many<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        carewire_core::de::one_or_many(deserializer).map(Many)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_variants() {
        for (json, failed) in [
            (r#"{"status": true}"#, false),
            (r#"{"status": 200}"#, false),
            (r#"{"status": "200"}"#, false),
            (r#"{"success": true, "status": 200}"#, false),
            (r#"{"success": false, "status": 200}"#, true),
            (r#"{"status": false}"#, true),
            (r#"{"status": 403}"#, true),
            (r#"{"status": "false"}"#, true),
            ("{}", false),
        ] {
            let env = read_envelope(200, json.as_bytes()).unwrap();
            assert_eq!(env.is_failure(), failed, "{json}");
        }
    }

    #[test]
    fn data_shapes() {
        let env = read_envelope(200, br#"{"status": 200, "data": [{"a": 1}]}"#).unwrap();
        let One(v): One<Value> = decode_data(200, env.data).unwrap();
        assert_eq!(v["a"], 1);
        let env = read_envelope(200, br#"{"status": 200, "data": {"a": 2}}"#).unwrap();
        let Many(v): Many<Value> = decode_data(200, env.data).unwrap();
        assert_eq!(v.len(), 1);
        let env = read_envelope(200, br#"{"status": 200}"#).unwrap();
        let Many(v): Many<Value> = decode_data(200, env.data).unwrap();
        assert!(v.is_empty());
        assert!(decode_data::<One<Value>>(200, Some(Value::Array(vec![]))).is_err());
        let env = read_envelope(200, b"").unwrap();
        assert!(env.data.is_none());
    }
}
