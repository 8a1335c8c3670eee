//! Reading a vendor's error body: [`ErrorBodyParser`], the hook a transport calls on every non-2xx answer;
//! [`ErrorShape`], the declarative parser every vendor configures (where its code, message and details sit);
//! and [`VendorError`], the one way a user reads a vendor's typed error out of an [`Error`].

use serde_json::Value;

use super::{ApiError, Error};

/// What a vendor's error-body parser extracted. See [`ErrorBodyParser`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedError {
    /// Machine-readable code.
    pub code: Option<String>,
    /// Human-readable message.
    pub message: Option<String>,
    /// Anything structured worth keeping (field errors, error lists).
    pub details: Option<serde_json::Value>,
}

/// The hook each vendor implements to turn its error body into a code and a message.
///
/// Closures `Fn(u16, &[u8]) -> ParsedError` implement it.
///
/// # Examples
///
/// ```
/// use carewire_core::{ErrorBodyParser, ParsedError};
///
/// let parser = |_status: u16, body: &[u8]| {
///     let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
///     ParsedError {
///         code: v["error"]["code"].as_str().map(str::to_owned),
///         message: v["error"]["message"].as_str().map(str::to_owned),
///         details: None,
///     }
/// };
/// let parsed = parser.parse(400, br#"{"error":{"code":"parameter_missing","message":"m"}}"#);
/// assert_eq!(parsed.code.as_deref(), Some("parameter_missing"));
/// ```
pub trait ErrorBodyParser: Send + Sync + 'static {
    /// Extracts what it can from an error response body. Must not panic on any input.
    fn parse(&self, status: u16, body: &[u8]) -> ParsedError;
}

impl<F> ErrorBodyParser for F
where
    F: Fn(u16, &[u8]) -> ParsedError + Send + Sync + 'static,
{
    fn parse(&self, status: u16, body: &[u8]) -> ParsedError {
        self(status, body)
    }
}

/// Where a vendor's error body keeps its code, message and details: lists of dotted JSON paths, tried in
/// order (`"error.code"` is the `code` member of the `error` object; a number indexes an array, as in
/// `"errors.0.message"`). A code or message is the first path holding a non-blank string or a number;
/// details are the first path holding anything but `null`. A body that is not JSON gives nothing, and
/// parsing never panics.
///
/// # Examples
///
/// ```
/// use carewire_core::{ErrorBodyParser, ErrorShape};
///
/// const SHAPE: ErrorShape = ErrorShape {
///     code: &["error.code", "error.type"],
///     message: &["error.message", "errors.0.message"],
///     details: &["error.details", "errors"],
/// };
/// let parsed = SHAPE.parse(409, br#"{"error":{"code":"SLOT_UNAVAILABLE","message":"taken","details":{"slot":"09:00"}}}"#);
/// assert_eq!(parsed.code.as_deref(), Some("SLOT_UNAVAILABLE"));
/// assert_eq!(parsed.details.unwrap()["slot"], "09:00");
/// assert_eq!(SHAPE.parse(502, b"<html>bad gateway</html>"), Default::default());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorShape {
    /// Paths of the machine-readable code.
    pub code: &'static [&'static str],
    /// Paths of the human-readable message.
    pub message: &'static [&'static str],
    /// Paths of the structured details (field errors, error lists).
    pub details: &'static [&'static str],
}

impl ErrorShape {
    /// The common shapes: `{"error": {"code" | "type", "message"}}`, `{"code", "message"}`,
    /// `{"error": "text"}`, `{"errors": ..., "message"}`, OAuth2's `{"error", "error_description"}`.
    pub const COMMON: Self = Self {
        code: &["error.code", "error.type", "code"],
        message: &["error.message", "message", "error_description", "error"],
        details: &["errors"],
    };

    /// Extracts what the shape names from a parsed body.
    pub fn parse_value(&self, body: &Value) -> ParsedError {
        let text = |paths: &[&str]| paths.iter().find_map(|p| lookup(body, p).and_then(text_of));
        ParsedError {
            code: text(self.code),
            message: text(self.message),
            details: self.details.iter().find_map(|p| lookup(body, p).filter(|v| !v.is_null()).cloned()),
        }
    }
}

impl ErrorBodyParser for ErrorShape {
    fn parse(&self, _status: u16, body: &[u8]) -> ParsedError {
        serde_json::from_slice::<Value>(body).map(|v| self.parse_value(&v)).unwrap_or_default()
    }
}

fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, key| match v {
        Value::Object(map) => map.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The parser a transport uses when the vendor names none: [`ErrorShape::COMMON`].
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultErrorParser;

impl ErrorBodyParser for DefaultErrorParser {
    fn parse(&self, status: u16, body: &[u8]) -> ParsedError {
        ErrorShape::COMMON.parse(status, body)
    }
}

/// A vendor's typed view of its error body, read out of any [`Error`] the same way for every vendor:
/// `err.vendor_error::<DocplannerError>()` (or `DocplannerError::from_error(&err)`). `None` when the error
/// is not an API error of that vendor (a timeout, a validation error, another vendor's answer).
///
/// # Examples
///
/// ```
/// use carewire_core::{ApiError, Error, ErrorBodyParser, ErrorShape, VendorError};
///
/// #[derive(Debug)]
/// struct AcmeError {
///     status: u16,
///     code: Option<String>,
/// }
///
/// impl VendorError for AcmeError {
///     const VENDOR: &'static str = "acme";
///     fn from_api(api: &ApiError) -> Option<Self> {
///         Some(Self { status: api.status(), code: api.code().map(str::to_owned) })
///     }
/// }
///
/// let body = br#"{"error":{"code":"card_declined"}}"#;
/// let api = ApiError::new("acme", 402).with_parsed(ErrorShape::COMMON.parse(402, body));
/// let err = Error::Api(Box::new(api));
/// let typed = err.vendor_error::<AcmeError>().unwrap();
/// assert_eq!((typed.status, typed.code.as_deref()), (402, Some("card_declined")));
/// assert!(Error::invalid_request("amount", "must be positive").vendor_error::<AcmeError>().is_none());
/// ```
pub trait VendorError: Sized {
    /// The vendor name the transport records in [`ApiError::vendor`].
    const VENDOR: &'static str;

    /// The typed view of one of this vendor's API errors; `None` if its body says nothing this type reads.
    fn from_api(api: &ApiError) -> Option<Self>;

    /// The typed view of an [`Error::Api`] or [`Error::RateLimited`] from this vendor; `None` otherwise.
    fn from_error(err: &Error) -> Option<Self> {
        err.api().filter(|api| api.vendor() == Self::VENDOR).and_then(Self::from_api)
    }
}

impl Error {
    /// The vendor's typed view of this error (see [`VendorError`]).
    pub fn vendor_error<T: VendorError>(&self) -> Option<T> {
        T::from_error(self)
    }
}
