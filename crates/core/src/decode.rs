//! Decoding a 2xx body: [`decode_json`], with the JSON path of a failure (server-chosen keys masked) and
//! never an input value in the message.

use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, Result};

/// Decodes a 2xx body into `T`, reporting the JSON path of a failure and never quoting input values.
///
/// An empty (or whitespace-only) body decodes as JSON `null`: `()` and `Option<T>` accept it; other types
/// fail with a decode error saying the body was empty.
///
/// # Examples
///
/// ```
/// use carewire_core::{decode_json, Error};
///
/// #[derive(Debug, serde::Deserialize)]
/// struct Consult { id: String, expires_at: i64 }
///
/// let ok: Consult = decode_json(200, br#"{"id":"cns_1","expires_at":1713110400}"#)?;
/// assert_eq!(ok.id, "cns_1");
/// let () = decode_json(204, b"")?;
/// let err = decode_json::<Consult>(200, br#"{"id":"cns_1","expires_at":"Jane"}"#).unwrap_err();
/// assert_eq!(err.decode_path(), Some("expires_at"));
/// assert!(!err.to_string().contains("Jane"));
/// # Ok::<(), Error>(())
/// ```
pub fn decode_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T> {
    let empty = body.iter().all(u8::is_ascii_whitespace);
    let input: &[u8] = if empty { b"null" } else { body };
    // Fast path: plain serde_json. Only a failure pays for a second pass that records the JSON path.
    if let Ok(value) = serde_json::from_slice(input) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(input);
    let fail = |path: String, e: &serde_json::Error| {
        let mut d = DecodeError::from_json(status, path, e, body);
        if empty {
            "the response body is empty".clone_into(&mut d.reason);
        }
        Error::Decode(Box::new(d))
    };
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| fail(safe_path(e.path()), e.inner()))?;
    de.end().map_err(|e| fail(".".to_owned(), &e))?;
    Ok(value)
}

/// The JSON path of a decode failure as it may be shown: indexes and field names as they are, but an
/// object key that is not shaped like a plain field name (a map keyed by patient names or ids) as `?`.
fn safe_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    use std::fmt::Write as _;
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => {
                let _ = write!(out, "[{index}]");
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(if crate::error::is_plain_code(key) { key } else { "?" });
            }
            Segment::Unknown => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push('?');
            }
        }
    }
    if out.is_empty() { ".".to_owned() } else { out }
}
