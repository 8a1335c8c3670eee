//! Docplanner's error body, `{"errors": ..., "message": "..."}`, mapped into [`carewire_core::Error`].
//!
//! `errors` is documented as a list of strings and is usually `[]`, but validation errors send a map of field
//! to messages (`{"slots[1].end": ["..."]}`), and older versions sent other shapes: [`ErrorDetails`] keeps
//! all of them. Every non-2xx answer becomes [`carewire_core::Error::Api`] (429:
//! [`carewire_core::Error::RateLimited`]) whose `message()` is the vendor's message and whose `details()` is
//! the raw `errors` value, as read by [`SHAPE`]; [`DocplannerError`] is the typed view
//! (`err.vendor_error::<DocplannerError>()`).

use std::collections::BTreeMap;
use std::fmt;

use carewire_core::redact::Keys;
use carewire_core::{ApiError, ErrorShape, VendorError};
use serde_json::Value;

/// Where a Docplanner error body keeps its parts: the message in `message` (OAuth2's `error_description` on
/// the token endpoint), the `errors` member as the details, and OAuth2's `error` as the code. The client's
/// transport parses every error body with it.
///
/// ```
/// use carewire::core::ErrorBodyParser;
/// use carewire::docplanner::error::SHAPE;
///
/// let parsed = SHAPE.parse(400, br#"{"errors": {"slots[1].end": ["End date is too late."]}, "message": "Invalid arguments"}"#);
/// assert_eq!(parsed.message.as_deref(), Some("Invalid arguments"));
/// assert_eq!(parsed.details.unwrap()["slots[1].end"][0], "End date is too late.");
/// let oauth = SHAPE.parse(400, br#"{"error": "invalid_client", "error_description": "Bad secret"}"#);
/// assert_eq!((oauth.code.as_deref(), oauth.message.as_deref()), (Some("invalid_client"), Some("Bad secret")));
/// assert_eq!(SHAPE.parse(502, b"<html>bad gateway</html>"), Default::default());
/// ```
pub const SHAPE: ErrorShape =
    ErrorShape { code: &["error"], message: &["message", "error_description"], details: &["errors"] };

/// The `errors` member of an error body, in whatever shape it came.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorDetails {
    /// A list of messages (usually empty).
    List(Vec<String>),
    /// Messages per field, such as `"slots[1].end"`.
    Fields(BTreeMap<String, Vec<String>>),
    /// Anything else, kept as sent.
    Other(Value),
}

impl Default for ErrorDetails {
    fn default() -> Self {
        Self::List(Vec::new())
    }
}

impl ErrorDetails {
    /// Classifies a raw `errors` value.
    pub fn from_value(value: Value) -> Self {
        match value {
            Value::Null => Self::List(Vec::new()),
            Value::Array(items) if items.iter().all(Value::is_string) => {
                Self::List(items.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            }
            Value::Object(map) if map.values().all(is_message_or_messages) => Self::Fields(
                map.into_iter()
                    .map(|(k, v)| {
                        let msgs = match v {
                            Value::String(s) => vec![s],
                            Value::Array(a) => a.into_iter().filter_map(|m| m.as_str().map(str::to_owned)).collect(),
                            _ => Vec::new(),
                        };
                        (k, msgs)
                    })
                    .collect(),
            ),
            other => Self::Other(other),
        }
    }

    /// Whether there is nothing in it.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::List(l) => l.is_empty(),
            Self::Fields(f) => f.is_empty(),
            Self::Other(v) => v.is_null(),
        }
    }
}

fn is_message_or_messages(v: &Value) -> bool {
    match v {
        Value::String(_) => true,
        Value::Array(a) => a.iter().all(Value::is_string),
        _ => false,
    }
}

impl fmt::Debug for ErrorDetails {
    // Messages may quote submitted values: show only shapes and field names.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::List(l) => write!(f, "List({} messages)", l.len()),
            Self::Fields(m) => f.debug_tuple("Fields").field(&Keys(m)).finish(),
            Self::Other(_) => f.write_str("Other(..)"),
        }
    }
}

/// The typed view of a Docplanner error body, read out of any [`carewire_core::Error`] through
/// [`VendorError`]: `err.vendor_error::<DocplannerError>()` or `DocplannerError::from_error(&err)` (with the
/// trait in scope); `None` for errors that are not a Docplanner API answer. Its `Debug` shows the status and the
/// shape of `errors`, never the message.
///
/// # Examples
///
/// ```
/// use carewire::core::{ApiError, Error, ErrorBodyParser};
/// use carewire::docplanner::{DocplannerError, VendorError, error::SHAPE};
///
/// let body = br#"{"errors": {"slots[1].end": ["End date is too late."]}, "message": "Invalid arguments"}"#;
/// let err = Error::Api(Box::new(ApiError::new("docplanner", 400).with_parsed(SHAPE.parse(400, body))));
/// let typed = err.vendor_error::<DocplannerError>().unwrap();
/// assert_eq!(typed.message.as_deref(), Some("Invalid arguments"));
/// assert_eq!(typed.field_errors("slots[1].end"), ["End date is too late."]);
/// assert_eq!(DocplannerError::from_error(&err), Some(typed));
/// assert!(Error::invalid_request("limit", "must be between 1 and 100").vendor_error::<DocplannerError>().is_none());
/// ```
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct DocplannerError {
    /// The HTTP status.
    pub status: u16,
    /// The vendor's message, such as `"Object not found"`.
    pub message: Option<String>,
    /// The `errors` member.
    pub errors: ErrorDetails,
}

impl VendorError for DocplannerError {
    const VENDOR: &'static str = crate::VENDOR;

    fn from_api(api: &ApiError) -> Option<Self> {
        Some(Self {
            status: api.status(),
            message: api.message().map(str::to_owned),
            errors: api.details().cloned().map(ErrorDetails::from_value).unwrap_or_default(),
        })
    }
}

impl DocplannerError {
    /// The messages for one field (empty when the body has no per-field messages for it).
    pub fn field_errors(&self, field: &str) -> &[String] {
        match &self.errors {
            ErrorDetails::Fields(m) => m.get(field).map_or(&[], Vec::as_slice),
            _ => &[],
        }
    }

    /// Every `(field, message)` pair of a per-field error body.
    pub fn all_field_errors(&self) -> Vec<(&str, &str)> {
        match &self.errors {
            ErrorDetails::Fields(m) => {
                m.iter().flat_map(|(k, v)| v.iter().map(move |msg| (k.as_str(), msg.as_str()))).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether this is the notification queue's "No notifications found" 404.
    pub fn is_no_notifications(&self) -> bool {
        self.status == 404 && self.message.as_deref().is_some_and(|m| m.contains("No notifications found"))
    }
}

carewire_core::redacted_debug!(DocplannerError { show: [status, errors], redact: [message] });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_in_every_shape() {
        assert_eq!(ErrorDetails::from_value(serde_json::json!([])), ErrorDetails::List(vec![]));
        assert_eq!(ErrorDetails::from_value(serde_json::json!(["a"])), ErrorDetails::List(vec!["a".into()]));
        let ErrorDetails::Fields(f) = ErrorDetails::from_value(serde_json::json!({"a": ["x", "y"], "b": "z"})) else {
            panic!("not fields")
        };
        assert_eq!(f["a"], ["x", "y"]);
        assert_eq!(f["b"], ["z"]);
        assert!(matches!(ErrorDetails::from_value(serde_json::json!({"a": {"b": 1}})), ErrorDetails::Other(_)));
        assert!(matches!(ErrorDetails::from_value(serde_json::json!("boom")), ErrorDetails::Other(_)));
        assert!(ErrorDetails::from_value(Value::Null).is_empty());
    }

    #[test]
    fn parser_never_panics_and_hides_values() {
        use carewire_core::{ErrorBodyParser, ParsedError};
        assert_eq!(SHAPE.parse(500, b"<html>"), ParsedError::default());
        let p = SHAPE.parse(400, br#"{"errors":{"patient.phone":["+48123 is invalid"]},"message":"Invalid"}"#);
        let e =
            DocplannerError { status: 400, message: p.message, errors: ErrorDetails::from_value(p.details.unwrap()) };
        assert_eq!(
            format!("{e:?}"),
            r#"DocplannerError { status: 400, errors: Fields(["patient.phone"]), message: Some([REDACTED]) }"#
        );
        assert_eq!(e.all_field_errors(), vec![("patient.phone", "+48123 is invalid")]);
    }

    #[test]
    fn only_docplanner_answers_are_read() {
        let api = |vendor: &'static str| {
            let body = br#"{"errors": [], "message": "Object not found"}"#;
            carewire_core::Error::Api(Box::new(
                ApiError::new(vendor, 404).with_parsed(carewire_core::ErrorBodyParser::parse(&SHAPE, 404, body)),
            ))
        };
        let typed = api("docplanner").vendor_error::<DocplannerError>().unwrap();
        assert_eq!((typed.status, typed.message.as_deref()), (404, Some("Object not found")));
        assert_eq!(typed.errors, ErrorDetails::List(Vec::new()));
        assert!(api("medtimes").vendor_error::<DocplannerError>().is_none());
    }
}
