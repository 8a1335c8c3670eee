//! The response envelope every Healthstack answer is wrapped in, and its one tolerant decoder.
//!
//! The documented shapes differ per endpoint: `success` is sometimes absent, `status` is a boolean or the
//! integer `200`, and `data` is an object, a one-element array, an array or absent. [`Envelope`] accepts all
//! of them. A body whose `success` is `false`, whose `status` is `false` or whose integer `status` is 400 or
//! more is an error even with HTTP 200.
//!
//! What it does not accept is a 2xx body that is no envelope: an empty body, an HTML page, bytes that are not
//! JSON or not UTF-8, a JSON scalar, or an object with none of `status`, `success` and `data` (`{}`). Those
//! are `Error::Decode`. An operation that returns a resource also requires `data` (see `decode_data`); only
//! seek-consent answers without it. Every operation decodes its answer through [`decode_resource`] (or, for
//! seek-consent, [`decode_checked`]), so every error of decoding names the call.

use std::fmt;
use std::marker::PhantomData;

use carewire_core::redact::Redacted;
use carewire_core::{ApiError, Error, RawResponse, Result, decode_json};
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer, de::value::MapAccessDeserializer};
use serde_json::{Map, Value};

use crate::error::parse_error_value;

/// The `status` member of an envelope: a boolean (`true`) or an HTTP-like integer (`200`), depending on the
/// endpoint.
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
    /// use carewire::healthstack::EnvelopeStatus;
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

impl Serialize for EnvelopeStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Code(c) => serializer.serialize_i64(*c),
            Self::Text(t) => serializer.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for EnvelopeStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        carewire_core::de::with_value(deserializer, "a boolean, an integer or a string", |v| Self::from_value(&v))
    }
}

/// A decoded envelope: `{success?, status, message, data?}`.
///
/// `Debug` never shows `message` (vendors may echo patient data in it) nor `data`.
#[derive(Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Envelope<T> {
    /// `success`, absent in some responses (patient creation, card activation).
    pub success: Option<bool>,
    /// `status`, a boolean or an integer.
    pub status: Option<EnvelopeStatus>,
    /// The human-readable message. Never branch on it: several are copy-pasted from other endpoints (record
    /// creation says "Medicard created successfully").
    pub message: Option<String>,
    /// The payload, when the response had one (seek-consent has none).
    pub data: Option<T>,
}

impl<T> Default for Envelope<T> {
    fn default() -> Self {
        Self { success: None, status: None, message: None, data: None }
    }
}

// By hand: `redacted_debug!` takes no type parameters.
impl<T> fmt::Debug for Envelope<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope")
            .field("success", &self.success)
            .field("status", &self.status)
            .field("message", &Redacted(&self.message))
            .field("data", &Redacted(&self.data))
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

/// A member read as a boolean the lenient way (`true`, `1`, `"true"`, `"yes"`, ...); anything else is `None`.
fn lenient_bool(v: &Value) -> Option<bool> {
    carewire_core::de::opt_bool_or_int(v).ok().flatten()
}

/// A member read as text (a string, or a number's digits); anything else is `None`.
pub(crate) fn text(v: &Value) -> Option<String> {
    carewire_core::de::opt_string_or_number(v).ok().flatten()
}

/// The members that make a JSON object a Healthstack envelope; an answer needs at least one of them (none
/// can be required alone: `status` varies in type, and `success` or `data` are absent from some documented
/// answers).
const ENVELOPE_MEMBERS: [&str; 3] = ["status", "success", "data"];

/// Reads the envelope of a body without decoding `data`.
///
/// A JSON array is taken as the `data` itself. Anything else that is not an envelope (an empty body, a body
/// that is not JSON, a scalar, an object with none of `status`, `success` and `data`) is `Error::Decode`.
pub(crate) fn read_envelope(status: u16, body: &[u8]) -> Result<Envelope<Value>> {
    match decode_json::<Value>(status, body)? {
        Value::Object(mut map) => {
            if !ENVELOPE_MEMBERS.iter().any(|m| map.get(*m).is_some_and(|v| !v.is_null())) {
                return Err(carewire_core::resource::missing(status, ".", "status", body));
            }
            Ok(Envelope {
                success: map.get("success").and_then(lenient_bool),
                status: map.get("status").and_then(EnvelopeStatus::from_value),
                message: map.get("message").and_then(text),
                data: map.remove("data").filter(|d| !d.is_null()),
            })
        }
        array @ Value::Array(_) => Ok(Envelope { success: None, status: None, message: None, data: Some(array) }),
        // `null` (an empty body) or a scalar: decoding it as an object reports what was found instead.
        _ => match decode_json::<Map<String, Value>>(status, body) {
            Err(e) => Err(e),
            Ok(_) => Err(carewire_core::resource::missing(status, ".", "status", body)),
        },
    }
}

/// Reads the envelope of a 2xx response and turns a failure envelope into [`Error::Api`].
fn checked_envelope(raw: &RawResponse) -> Result<Envelope<Value>> {
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

/// Decodes the answer of an operation that returns a resource: the envelope is checked (a failure envelope
/// is [`Error::Api`]), `data` is required and decoded into `T`, and every error names the call.
pub(crate) fn decode_resource<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    checked_envelope(raw).and_then(|env| decode_data(raw.meta.status, env.data)).map_err(|e| raw.attach_context(e))
}

/// Decodes a whole answer: the envelope is checked and `data`, when present, decoded into `T`; every error
/// names the call.
pub(crate) fn decode_checked<T: DeserializeOwned>(raw: &RawResponse) -> Result<Envelope<T>> {
    checked_envelope(raw).and_then(|env| typed_envelope(raw.meta.status, env)).map_err(|e| raw.attach_context(e))
}

/// Decodes a whole Healthstack response body with the client's tolerant envelope decoder, without the
/// failure check (a body obtained elsewhere, a recorded fixture).
///
/// ```
/// use carewire::healthstack::{EnvelopeStatus, decode_envelope};
///
/// let env = decode_envelope::<serde_json::Value>(br#"{"status": true, "message": "ok", "data": {"a": 1}}"#)?;
/// assert_eq!(env.status, Some(EnvelopeStatus::Bool(true)));
/// assert_eq!(env.success, None);
/// # Ok::<(), carewire::Error>(())
/// ```
pub fn decode_envelope<T: DeserializeOwned>(body: &[u8]) -> Result<Envelope<T>> {
    typed_envelope(200, read_envelope(200, body)?)
}

/// Decodes the `data` of `env` (when present) into `T`.
fn typed_envelope<T: DeserializeOwned>(status: u16, env: Envelope<Value>) -> Result<Envelope<T>> {
    let data = match env.data {
        Some(v) => Some(decode_data::<T>(status, Some(v))?),
        None => None,
    };
    Ok(Envelope { success: env.success, status: env.status, message: env.message, data })
}

/// Decodes the `data` of an operation that returns a resource into `T`, reporting the JSON path of a
/// failure. `data` is required: an envelope without it (or with `data: null`) is `Error::Decode`, even when
/// `T` is a list (an empty list is `data: []`).
pub(crate) fn decode_data<T: DeserializeOwned>(status: u16, data: Option<Value>) -> Result<T> {
    let Some(data) = data else {
        return Err(carewire_core::resource::missing(status, ".", "data", b""));
    };
    let bytes = serde_json::to_vec(&data).map_err(|_| Error::config("re-encoding data"))?;
    decode_json(status, &bytes)
}

/// One resource sent as an object or as a one-element array (both occur); a longer array yields its first item.
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

/// A list sent as an array, or as a single object (a list of one). The list itself must be there: see
/// [`decode_data`].
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
            (r#"{"success": true}"#, false),
            (r#"{"data": {}}"#, false),
        ] {
            let env = read_envelope(200, json.as_bytes()).unwrap();
            assert_eq!(env.is_failure(), failed, "{json}");
        }
    }

    #[test]
    fn a_body_that_is_no_envelope_is_a_decode_error() {
        let html = &b"<html><body>502 Bad Gateway</body></html>"[..];
        for body in
            [&b"{}"[..], br#"{"message": "ok", "status": null}"#, b"", b"  ", html, b"\xff\xfe\xfd", b"200", b"null"]
        {
            let err = read_envelope(200, body).unwrap_err();
            assert!(matches!(err, Error::Decode(_)), "{body:?}: {err:?}");
        }
        let err = read_envelope(200, b"{}").unwrap_err();
        assert!(err.to_string().contains("missing field `status`"), "{err}");
    }

    #[test]
    fn data_shapes() {
        let env = read_envelope(200, br#"{"status": 200, "data": [{"a": 1}]}"#).unwrap();
        let One(v): One<Value> = decode_data(200, env.data).unwrap();
        assert_eq!(v["a"], 1);
        let env = read_envelope(200, br#"{"status": 200, "data": {"a": 2}}"#).unwrap();
        let Many(v): Many<Value> = decode_data(200, env.data).unwrap();
        assert_eq!(v.len(), 1);
        let env = read_envelope(200, br#"{"status": 200, "data": []}"#).unwrap();
        let Many(v): Many<Value> = decode_data(200, env.data).unwrap();
        assert!(v.is_empty());
        let env = read_envelope(200, br#"[{"a": 3}]"#).unwrap();
        let Many(v): Many<Value> = decode_data(200, env.data).unwrap();
        assert_eq!(v[0]["a"], 3);
        assert!(decode_data::<One<Value>>(200, Some(Value::Array(vec![]))).is_err());
    }

    #[test]
    fn a_resource_requires_data() {
        for body in [&br#"{"status": 200}"#[..], br#"{"success": true, "status": true, "data": null}"#] {
            let env = read_envelope(200, body).unwrap();
            let err = decode_data::<Many<Value>>(200, env.data).unwrap_err();
            assert!(matches!(err, Error::Decode(_)), "{err:?}");
            assert!(err.to_string().contains("missing field `data`"), "{err}");
        }
    }
}
