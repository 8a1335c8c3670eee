//! [`RawBody`]: a webhook's body exactly as received, kept beside its typed event, and the conversions that
//! let a receive take the body in whatever form the server handed it over (`Bytes`, `Vec<u8>`, `&[u8]`, text).

use std::fmt;

use bytes::Bytes;
use serde_json::Value;

/// A webhook's body exactly as received (the bytes the signature covers), kept beside the typed event so that
/// nothing the vendor sent is lost: store or forward it as is, or read fields the SDK does not model with
/// [`RawBody::json`].
///
/// Every receive takes its body as `impl AsRef<[u8]> + Into<RawBody>`: an owned body (`Bytes`, as axum and
/// hyper hand it over, `Vec<u8>` or `String`) is kept without a copy, and a borrowed one (`&[u8]`, `&str`,
/// `&Vec<u8>`, a byte-string literal) is copied once, after it has been verified and parsed. Cloning a
/// `RawBody` does not copy the bytes.
///
/// It may contain patient data: `Debug` shows only its length.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::RawBody;
///
/// let raw = RawBody::from(br#"{"type":"claim.paid","created":1713110400}"#);
/// assert_eq!(raw.json()["created"], 1_713_110_400);
/// assert_eq!(raw.as_str(), r#"{"type":"claim.paid","created":1713110400}"#);
/// assert_eq!(format!("{raw:?}"), "RawBody { len: 42 }");
///
/// // An owned body is kept as it is: no copy.
/// let body = bytes::Bytes::from_static(b"{}");
/// assert_eq!(RawBody::from(body.clone()).into_bytes().as_ptr(), body.as_ptr());
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawBody(Bytes);

impl RawBody {
    /// Keeps `body`, without copying it.
    pub fn new(body: impl Into<Bytes>) -> Self {
        Self(body.into())
    }

    /// The body's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body, for storing or forwarding (no copy).
    pub fn into_bytes(self) -> Bytes {
        self.0
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

impl AsRef<[u8]> for RawBody {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<RawBody> for Bytes {
    fn from(raw: RawBody) -> Self {
        raw.0
    }
}

/// Owned bodies, kept without a copy.
macro_rules! owned {
    ($($t:ty),*) => {$(
        impl From<$t> for RawBody {
            fn from(body: $t) -> Self {
                Self(Bytes::from(body))
            }
        }
    )*};
}
owned!(Bytes, Vec<u8>, Box<[u8]>, String);

/// Borrowed bodies, copied once.
macro_rules! borrowed {
    ($($t:ty),*) => {$(
        impl From<$t> for RawBody {
            fn from(body: $t) -> Self {
                Self(Bytes::copy_from_slice(body.as_ref()))
            }
        }
    )*};
}
borrowed!(&[u8], &Vec<u8>, &str, &String);

impl<const N: usize> From<&[u8; N]> for RawBody {
    fn from(body: &[u8; N]) -> Self {
        Self(Bytes::copy_from_slice(body))
    }
}

impl From<&Bytes> for RawBody {
    /// Shares the body (a reference count, no copy).
    fn from(body: &Bytes) -> Self {
        Self(body.clone())
    }
}

impl From<&Value> for RawBody {
    /// The JSON text of `value`, for events built from an already parsed value.
    fn from(value: &Value) -> Self {
        Self::new(value.to_string())
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawBody").field("len", &self.0.len()).finish()
    }
}
