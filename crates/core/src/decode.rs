//! Decoding a 2xx body: [`decode_json`], with the JSON path of a failure (server-chosen keys masked) and
//! never an input value in the message.

mod path;

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
    serde_json::from_slice(input).map_err(|e| decode_error(status, body, empty, &e))
}

/// The error of a failed [`decode_json`]: not generic, so it is compiled once rather than per model.
fn decode_error(status: u16, body: &[u8], empty: bool, err: &serde_json::Error) -> Error {
    let path = if empty { ".".to_owned() } else { path::path_of(body, err) };
    let mut d = DecodeError::from_json(status, path, err, body);
    if empty {
        "the response body is empty".clone_into(&mut d.reason);
    }
    Error::Decode(Box::new(d))
}
