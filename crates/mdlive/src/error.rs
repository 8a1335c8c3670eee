//! MDLIVE error bodies. MDLIVE documents no error body at all (its Response Codes section lists statuses
//! only), so every non-2xx answer keeps its status, request id and raw body, and [`SHAPE`] reads a message
//! from the shapes such APIs use: `{"message"}`, `{"error": "text"}`, `{"error": {"message"}}`,
//! `{"errors": "text" | ["text", ...] | [{"message"}] | {"field": ["text"]}}`. [`MdliveError`] is the typed
//! view, read with `err.vendor_error::<MdliveError>()`.

use std::collections::BTreeMap;

use carewire_core::{ApiError, ErrorShape, VendorError};
use serde_json::Value;

/// Where an MDLIVE error body may keep a code, a message and details (see the module docs).
pub const SHAPE: ErrorShape = ErrorShape {
    code: &["error.code", "code", "errors.0.code"],
    message: &["message", "error.message", "error", "errors.0.message", "errors.0", "errors", "error_description"],
    details: &["errors", "error"],
};

/// The typed view of an MDLIVE error answer: the status, what its body says in any of the likely shapes,
/// and the request id. `Debug` hides the messages (they may quote what was sent).
///
/// ```
/// use carewire::mdlive::MdliveError;
/// use carewire::core::{ApiError, Error, ErrorBodyParser};
///
/// let body = br#"{"errors": {"birthdate": ["is invalid"]}, "message": "Validation failed"}"#;
/// let api = ApiError::new("mdlive", 400).with_parsed(carewire::mdlive::SHAPE.parse(400, body)).with_body(body.to_vec());
/// let err = Error::Api(Box::new(api));
/// let mdlive = err.vendor_error::<MdliveError>().unwrap();
/// assert_eq!(mdlive.status, 400);
/// assert_eq!(mdlive.message.as_deref(), Some("Validation failed"));
/// assert_eq!(mdlive.field_errors["birthdate"], vec!["is invalid".to_owned()]);
/// ```
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct MdliveError {
    /// The HTTP status (400 missing parameter, 401 not authorized, 404 not found, 409 conflict, ...).
    pub status: u16,
    /// A code, when the body has one.
    pub code: Option<String>,
    /// The first message found.
    pub message: Option<String>,
    /// Every message of an `errors` list (or a single `errors` text).
    pub errors: Vec<String>,
    /// Messages per field, when `errors` is an object of field names.
    pub field_errors: BTreeMap<String, Vec<String>>,
    /// The request id header, when MDLIVE sent one.
    pub request_id: Option<String>,
}

impl std::fmt::Debug for MdliveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MdliveError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &carewire_core::redact::Redacted(&self.message))
            .field("errors", &self.errors.len())
            .field("field_errors", &carewire_core::redact::Keys(&self.field_errors))
            .field("request_id", &self.request_id)
            .finish()
    }
}

impl VendorError for MdliveError {
    const VENDOR: &'static str = crate::VENDOR;

    fn from_api(api: &ApiError) -> Option<Self> {
        let mut out = Self {
            status: api.status(),
            code: api.code().map(str::to_owned),
            message: api.message().map(str::to_owned),
            request_id: api.request_id().map(str::to_owned),
            ..Self::default()
        };
        if let Ok(body) = serde_json::from_slice::<Value>(api.raw_body()) {
            match body.get("errors") {
                Some(Value::Object(fields)) => {
                    out.field_errors = fields.iter().map(|(k, v)| (k.clone(), texts(v))).collect();
                }
                Some(other) => out.errors = texts(other),
                None => {}
            }
        }
        Some(out)
    }
}

/// The texts of a value: a string, the strings (or `message`s) of an array, a number's text.
fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(items) => items
            .iter()
            .flat_map(|v| match v.get("message") {
                Some(m) => texts(m),
                None => texts(v),
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use carewire_core::{ApiError, Error, ErrorBodyParser};

    use super::*;

    fn typed(status: u16, body: &[u8]) -> MdliveError {
        let api = ApiError::new("mdlive", status).with_parsed(SHAPE.parse(status, body)).with_body(body.to_vec());
        Error::Api(Box::new(api)).vendor_error::<MdliveError>().unwrap()
    }

    #[test]
    fn reads_every_likely_shape() {
        assert_eq!(typed(401, br#"{"error": "Invalid token"}"#).message.as_deref(), Some("Invalid token"));
        assert_eq!(typed(400, br#"{"message": "Missing param"}"#).message.as_deref(), Some("Missing param"));
        assert_eq!(
            typed(404, br#"{"error": {"code": "not_found", "message": "No patient"}}"#).code.as_deref(),
            Some("not_found")
        );
        let list = typed(409, br#"{"errors": ["taken", {"message": "conflict"}]}"#);
        assert_eq!(list.message.as_deref(), Some("taken"));
        assert_eq!(list.errors, vec!["taken".to_owned(), "conflict".to_owned()]);
        let text = typed(400, br#"{"errors": "bad zip"}"#);
        assert_eq!((text.message.as_deref(), text.errors.len()), (Some("bad zip"), 1));
        for body in [&b""[..], b"<html>502</html>", b"null", b"[]"] {
            let e = typed(502, body);
            assert_eq!((e.status, e.message, e.errors.len()), (502, None, 0));
        }
    }

    #[test]
    fn other_vendors_errors_are_not_mdlive_errors() {
        let api = ApiError::new("medtimes", 400);
        assert!(Error::Api(Box::new(api)).vendor_error::<MdliveError>().is_none());
        assert!(Error::invalid_request("x", "y").vendor_error::<MdliveError>().is_none());
        let e = typed(400, br#"{"message": "patient Ada Lovelace"}"#);
        assert!(!format!("{e:?}").contains("Ada"));
    }
}
