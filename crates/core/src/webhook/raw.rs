//! [`RawBody`]: a webhook's body exactly as received, kept beside its typed event.

use std::fmt;

use serde_json::Value;

/// A webhook's body exactly as received (the bytes the signature covers), kept beside the typed event so that
/// nothing the vendor sent is lost: store or forward it as is, or read fields the SDK does not model with
/// [`RawBody::json`].
///
/// It may contain patient data: `Debug` shows only its length.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::RawBody;
///
/// let raw = RawBody::new(br#"{"type":"claim.paid","created":1713110400}"#.to_vec());
/// assert_eq!(raw.json()["created"], 1_713_110_400);
/// assert_eq!(raw.as_str(), r#"{"type":"claim.paid","created":1713110400}"#);
/// assert_eq!(format!("{raw:?}"), "RawBody { len: 42 }");
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawBody(Box<[u8]>);

impl RawBody {
    /// Keeps `body`.
    pub fn new(body: impl Into<Box<[u8]>>) -> Self {
        Self(body.into())
    }

    /// The body's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body as text (`""` if it is not UTF-8, which a parsed event's body always is).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The body's length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the body is empty (never, for a parsed event).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The body parsed as JSON (`Value::Null` if it is not JSON, which a parsed event's body always is). It
    /// parses on every call: keep the value if you read it more than once.
    pub fn json(&self) -> Value {
        serde_json::from_slice(super::strip_bom(&self.0)).unwrap_or(Value::Null)
    }
}

impl From<&Value> for RawBody {
    /// The JSON text of `value`, for events built from an already parsed value.
    fn from(value: &Value) -> Self {
        Self::new(value.to_string().into_bytes())
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawBody").field("len", &self.0.len()).finish()
    }
}
