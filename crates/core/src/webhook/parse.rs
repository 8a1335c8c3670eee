//! Reading a received webhook: header lookup by name and parsing the (verified) body into an event, with
//! errors that never quote the input.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::WebhookError;

/// Finds a header value by name, ASCII case-insensitively; the first match wins.
///
/// Works with headers from any web framework once mapped to `(&str, &str)` pairs.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::find_header;
///
/// let headers = vec![("Content-Type", "application/json"), ("medtimes-signature", "abc")];
/// assert_eq!(find_header(headers.iter().copied(), "Medtimes-Signature"), Some("abc"));
/// assert_eq!(find_header(headers.iter().copied(), "X-Missing"), None);
/// ```
pub fn find_header<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>, name: &str) -> Option<&'a str> {
    headers.into_iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value)
}

/// Parses a (verified) webhook body as JSON into `T`.
///
/// A failure becomes [`WebhookError::InvalidPayload`] whose reason gives only the kind of error and its line and
/// column, never an input value.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::{WebhookError, parse_event};
///
/// #[derive(serde::Deserialize)]
/// struct Event { r#type: String }
///
/// let event: Event = parse_event(br#"{"type":"claim.paid"}"#)?;
/// assert_eq!(event.r#type, "claim.paid");
/// assert!(matches!(parse_event::<Event>(b"{"), Err(WebhookError::InvalidPayload { .. })));
/// # Ok::<(), WebhookError>(())
/// ```
pub fn parse_event<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    let body = precheck_body(body)?;
    serde_json::from_slice(body).map_err(|err| parse_failure(body, &err))
}

/// Parses a (verified) webhook body that must be a non-empty JSON object, the envelope of every vendor's event.
///
/// Refused with [`WebhookError::InvalidPayload`], whose reason never quotes the body: an empty body, a body that
/// is not UTF-8, an HTML or XML page (a proxy's error page), anything that is not JSON, JSON that is not an
/// object, and the empty object `{}`. Which field names the event is the vendor's to check.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::{WebhookError, parse_event_object};
///
/// let object = parse_event_object(br#"{"type":"claim.paid"}"#)?;
/// assert_eq!(object["type"], "claim.paid");
/// for body in [&b""[..], b"{}", b"[]", b"<html><body>Bad gateway</body></html>", b"\xff\xfe"] {
///     assert!(matches!(parse_event_object(body), Err(WebhookError::InvalidPayload { .. })));
/// }
/// # Ok::<(), WebhookError>(())
/// ```
pub fn parse_event_object(body: &[u8]) -> Result<Map<String, Value>, WebhookError> {
    match parse_event::<Value>(body)? {
        Value::Object(object) if object.is_empty() => Err(invalid_payload("the payload is an empty JSON object")),
        Value::Object(object) => Ok(object),
        _ => Err(invalid_payload("the payload is not a JSON object")),
    }
}

pub(super) fn invalid_payload(reason: &str) -> WebhookError {
    WebhookError::InvalidPayload { reason: reason.to_owned() }
}

/// `body` without a leading UTF-8 byte-order mark, which some vendors' servers write and serde_json rejects.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::strip_bom;
///
/// assert_eq!(strip_bom(b"\xef\xbb\xbf{}"), b"{}");
/// assert_eq!(strip_bom(b"{}"), b"{}");
/// ```
pub fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body)
}

/// Clear reasons for the commonest non-JSON bodies, before serde_json reports a position; returns the body
/// without a leading UTF-8 byte-order mark (which serde_json rejects). It looks only at the first bytes:
/// whether the rest is UTF-8 is checked by serde_json as it parses (and by [`parse_failure`] when it fails),
/// not by a second pass over the body.
fn precheck_body(body: &[u8]) -> Result<&[u8], WebhookError> {
    let body = strip_bom(body);
    match body.iter().find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
        None => Err(invalid_payload("the body is empty")),
        Some(b'<') => Err(invalid_payload("the body is not JSON (it looks like an HTML or XML page)")),
        Some(_) => Ok(body),
    }
}

/// The reason a body that passed [`precheck_body`] failed to parse: not UTF-8, or where the JSON broke.
fn parse_failure(body: &[u8], err: &serde_json::Error) -> WebhookError {
    if std::str::from_utf8(body).is_err() {
        return invalid_payload("the body is not valid UTF-8");
    }
    WebhookError::InvalidPayload { reason: json_error_reason(err) }
}

fn json_error_reason(err: &serde_json::Error) -> String {
    let kind = match err.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "invalid JSON syntax",
        serde_json::error::Category::Data => "JSON does not match the expected shape",
        serde_json::error::Category::Eof => "unexpected end of JSON input",
    };
    format!("{kind} at line {} column {}", err.line(), err.column())
}
