//! Docplanner's error body, `{"errors": ..., "message": "..."}`, mapped into [`carewire_core::Error`].
//!
//! `errors` is documented as a list of strings and is usually `[]`, but validation errors send a map of field
//! to messages (`{"slots[1].end": ["..."]}`), and older versions sent other shapes: [`ErrorDetails`] keeps
//! all of them. Every non-2xx answer becomes [`carewire_core::Error::Api`] (429:
//! [`carewire_core::Error::RateLimited`]) whose `message()` is the vendor's message and
//! whose `details()` is the raw `errors` value; [`DocplannerError::from_error`] gives the typed view.

use std::collections::BTreeMap;
use std::fmt;

use carewire_core::{Error, ParsedError};
use serde_json::Value;

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
            Self::Fields(m) => f.debug_tuple("Fields").field(&m.keys().collect::<Vec<_>>()).finish(),
            Self::Other(_) => f.write_str("Other(..)"),
        }
    }
}

/// The typed view of a Docplanner error body.
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

impl DocplannerError {
    /// The typed error body of an [`Error::Api`] or [`Error::RateLimited`]; `None` for other errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_docplanner::error::{parse_error_body, DocplannerError};
    /// use carewire_core::{ApiError, Error};
    ///
    /// let body = br#"{"errors": {"slots[1].end": ["End date is too late."]}, "message": "Invalid arguments"}"#;
    /// let err = Error::Api(Box::new(ApiError::new("docplanner", 400).with_parsed(parse_error_body(400, body))));
    /// let typed = DocplannerError::from_error(&err).unwrap();
    /// assert_eq!(typed.message.as_deref(), Some("Invalid arguments"));
    /// assert_eq!(typed.field_errors("slots[1].end"), ["End date is too late."]);
    /// ```
    pub fn from_error(err: &Error) -> Option<Self> {
        let api = err.api()?;
        Some(Self {
            status: api.status(),
            message: api.message().map(str::to_owned),
            errors: api.details().cloned().map(ErrorDetails::from_value).unwrap_or_default(),
        })
    }

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

impl fmt::Debug for DocplannerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DocplannerError")
            .field("status", &self.status)
            .field("message", &self.message.as_ref().map(|_| "[REDACTED]"))
            .field("errors", &self.errors)
            .finish()
    }
}

/// The client's [`ErrorBodyParser`](carewire_core::ErrorBodyParser): `message` becomes the message and
/// `errors` the details. OAuth2-style `{"error", "error_description"}` bodies are understood too.
pub fn parse_error_body(_status: u16, body: &[u8]) -> ParsedError {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return ParsedError::default();
    };
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    ParsedError {
        code: text("error"),
        message: text("message").or_else(|| text("error_description")),
        details: v.get("errors").cloned(),
    }
}

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
        assert_eq!(parse_error_body(500, b"<html>"), ParsedError::default());
        let p = parse_error_body(400, br#"{"errors":{"patient.phone":["+48123 is invalid"]},"message":"Invalid"}"#);
        let e =
            DocplannerError { status: 400, message: p.message, errors: ErrorDetails::from_value(p.details.unwrap()) };
        assert!(!format!("{e:?}").contains("+48123"));
        assert_eq!(e.all_field_errors(), vec![("patient.phone", "+48123 is invalid")]);
    }
}
