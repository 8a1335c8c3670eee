//! One error type for every vendor.
//!
//! [`Error`] is what every carewire call returns on failure. Its `Display` and `Debug` output is safe to
//! log: it never contains a response body, a query string, a path parameter value or a credential. The
//! vendor's message and the raw body are reachable only through explicit accessors such as
//! [`ApiError::message`] and [`ApiError::raw_body`].

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::ratelimit::RateLimit;
use crate::webhook::WebhookError;

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a carewire call.
///
/// # Examples
///
/// ```
/// use carewire_core::Error;
///
/// fn describe(err: &Error) -> String {
///     match err {
///         Error::Api(api) if api.status() == 404 => "not found".to_owned(),
///         Error::RateLimited(api) => format!("slow down for {:?}", api.retry_after()),
///         Error::InvalidRequest { field, .. } => format!("fix `{field}`"),
///         other if other.is_retryable() => "try again later".to_owned(),
///         other => other.to_string(),
///     }
/// }
/// let err = Error::invalid_request("amount", "must be greater than zero");
/// assert_eq!(describe(&err), "fix `amount`");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The vendor answered with a non-2xx status (other than 429).
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The vendor answered 429 Too Many Requests and retries did not get past it.
    #[error("rate limited: {0}")]
    RateLimited(Box<ApiError>),
    /// Credentials could not be obtained or applied (for example a token endpoint refused them).
    /// [`std::error::Error::source`] leads to the cause.
    #[error(transparent)]
    Auth(AuthError),
    /// A deadline passed before the vendor answered.
    #[error("{0}")]
    Timeout(TimeoutError),
    /// The request could not be sent or its response could not be read. [`std::error::Error::source`]
    /// leads to the I/O, TLS or HTTP cause.
    #[error(transparent)]
    Transport(TransportError),
    /// A 2xx response did not decode into the expected type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// A response body was larger than the configured limit, so it was not read
    /// (see `max_response_bytes` on the client builder, or on one call).
    #[error("{0}")]
    TooLarge(TooLargeError),
    /// The request was rejected by client-side validation before anything was sent.
    #[error("invalid request: `{field}` {reason}")]
    InvalidRequest {
        /// The parameter at fault, for example `patients[2].id_number`.
        field: Cow<'static, str>,
        /// Why it was rejected (never the value itself).
        reason: Cow<'static, str>,
    },
    /// The client is misconfigured (missing credential, malformed base URL, ...).
    #[error("configuration error: {0}")]
    Config(Cow<'static, str>),
    /// A webhook failed verification or parsing.
    #[error("webhook rejected: {0}")]
    Webhook(#[from] WebhookError),
}

mod call;
mod parse;

pub(crate) use call::write_context;
pub use call::{CallContext, TimeoutError, TooLargeError};
pub use parse::{DefaultErrorParser, ErrorBodyParser, ErrorShape, ParsedError, VendorError};

impl Error {
    /// Creates an [`Error::InvalidRequest`] naming the field and the reason.
    pub fn invalid_request(field: impl Into<Cow<'static, str>>, reason: impl Into<Cow<'static, str>>) -> Self {
        Self::InvalidRequest { field: field.into(), reason: reason.into() }
    }

    /// Creates an [`Error::Config`].
    pub fn config(message: impl Into<Cow<'static, str>>) -> Self {
        Self::Config(message.into())
    }

    /// Creates an [`Error::Timeout`].
    pub fn timeout(kind: TimeoutKind) -> Self {
        Self::Timeout(TimeoutError::new(kind))
    }

    /// Attaches the call this error belongs to (the transport does this for every error of a call), unless
    /// one is attached already.
    pub fn with_context(mut self, context: CallContext) -> Self {
        let slot = match &mut self {
            Self::Api(a) | Self::RateLimited(a) => &mut a.context,
            Self::Auth(a) => &mut a.context,
            Self::Timeout(t) => &mut t.context,
            Self::Transport(t) => &mut t.context,
            Self::Decode(d) => &mut d.context,
            Self::TooLarge(t) => &mut t.context,
            _ => return self,
        };
        if slot.is_none() {
            *slot = Some(context);
        }
        self
    }

    /// The call this error belongs to, when it came from one.
    pub fn context(&self) -> Option<&CallContext> {
        match self {
            Self::Api(a) | Self::RateLimited(a) => a.context.as_ref(),
            Self::Auth(a) => a.context.as_ref(),
            Self::Timeout(t) => t.context.as_ref(),
            Self::Transport(t) => t.context.as_ref(),
            Self::Decode(d) => d.context.as_ref(),
            Self::TooLarge(t) => t.context.as_ref(),
            _ => None,
        }
    }

    /// The HTTP status of the response that caused this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(api) | Self::RateLimited(api) => Some(api.status),
            Self::Decode(d) => Some(d.status),
            Self::TooLarge(t) => Some(t.status),
            Self::Auth(a) => a.status,
            _ => None,
        }
    }

    /// The vendor's API error, for [`Error::Api`] and [`Error::RateLimited`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) | Self::RateLimited(api) => Some(api),
            _ => None,
        }
    }

    /// The vendor's request id (from a response header), when the vendor sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.api().and_then(ApiError::request_id)
    }

    /// How long the vendor asked us to wait (`Retry-After`), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(ApiError::retry_after)
    }

    /// Whether sending the same request again later may succeed.
    ///
    /// True for timeouts, connection failures, 408, 429 and 500/502/503/504. Whether a retry is *safe* is
    /// another question: see the crate's retry documentation.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(api) => matches!(api.status, 408 | 500 | 502 | 503 | 504),
            Self::RateLimited(_) | Self::Timeout(_) => true,
            Self::Transport(t) => matches!(t.kind, TransportErrorKind::Connect | TransportErrorKind::Request),
            Self::Auth(a) => a.status.is_none_or(|s| s >= 500),
            _ => false,
        }
    }

    /// The JSON path of a decode failure, for [`Error::Decode`].
    pub fn decode_path(&self) -> Option<&str> {
        match self {
            Self::Decode(d) => Some(&d.path),
            _ => None,
        }
    }
}

/// A non-2xx answer from a vendor.
///
/// `Display` and `Debug` show the vendor, status, vendor code and request id, never the body or message:
/// vendors echo patient data in error messages. Use [`ApiError::message`] and [`ApiError::raw_body`] when you
/// need them and know where they go.
#[derive(Clone)]
pub struct ApiError {
    pub(crate) vendor: &'static str,
    pub(crate) status: u16,
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) details: Option<serde_json::Value>,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) rate_limit: Option<RateLimit>,
    pub(crate) body: Vec<u8>,
    pub(crate) known_codes: &'static [&'static str],
    pub(crate) context: Option<CallContext>,
}

impl ApiError {
    /// Creates an API error; vendor crates use this for errors signalled inside a 2xx body.
    pub fn new(vendor: &'static str, status: u16) -> Self {
        Self {
            vendor,
            status,
            code: None,
            message: None,
            details: None,
            request_id: None,
            retry_after: None,
            rate_limit: None,
            body: Vec::new(),
            known_codes: &[],
            context: None,
        }
    }

    /// The vendor's documented error codes: a code in this list is shown in `Display` and `Debug` as is;
    /// any other code only if it passes a strict shape test (see [`ApiError::display_code`]).
    pub fn with_known_codes(mut self, known: &'static [&'static str]) -> Self {
        self.known_codes = known;
        self
    }

    /// The code as `Display` and `Debug` show it: a documented code of the vendor, or a code shaped like
    /// a plain identifier (letters, `_`, `-`, `.`, `:`; at most one digit; at most 48 characters). Anything
    /// else (`bad_usr_8921a`: a code with an id inside) is not shown, since it may carry patient data. The
    /// full code stays available from [`ApiError::code`].
    pub fn display_code(&self) -> Option<&str> {
        let code = self.code.as_deref()?;
        (self.known_codes.contains(&code) || is_plain_code(code)).then_some(code)
    }

    /// Sets the parsed vendor fields.
    pub fn with_parsed(mut self, parsed: ParsedError) -> Self {
        self.code = parsed.code;
        self.message = parsed.message;
        self.details = parsed.details;
        self
    }

    /// Sets the raw body.
    pub fn with_body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// The vendor this error came from, such as `"medtimes"`.
    pub fn vendor(&self) -> &'static str {
        self.vendor
    }
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The vendor's machine-readable error code, when its body had one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
    /// The vendor's human-readable message. It may contain patient data: do not log it blindly.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    /// Structured details the vendor sent (field errors, error lists), as the vendor parser kept them.
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.details.as_ref()
    }
    /// The request id header of the response, when present.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// The `Retry-After` the vendor sent, when present.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
    /// The rate-limit headers of the response, when present.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        self.rate_limit.as_ref()
    }
    /// The raw response body. It may contain patient data.
    pub fn raw_body(&self) -> &[u8] {
        &self.body
    }
}

/// Whether a code (or a JSON key) the server sent is safe to print: an identifier of words (letters, `_`,
/// `-`, `.`, `:`), at most one digit (ids, phone numbers and dates have more), at most 48 characters.
/// Vendor crates use it to redact codes in their own `Debug` output.
///
/// # Examples
///
/// ```
/// use carewire_core::error::is_plain_code;
///
/// assert!(is_plain_code("parameter_missing"));
/// assert!(is_plain_code("SLOT_UNAVAILABLE"));
/// assert!(!is_plain_code("bad_usr_8921a"));
/// assert!(!is_plain_code("Jane Doe"));
/// ```
pub fn is_plain_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 48
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
        && code.bytes().filter(u8::is_ascii_digit).count() <= 1
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.context {
            Some(c) => write!(f, "{c}: HTTP {}", self.status)?,
            None => write!(f, "{} API error: HTTP {}", self.vendor, self.status)?,
        }
        if let Some(code) = self.display_code() {
            write!(f, ", code `{code}`")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("vendor", &self.vendor)
            .field("status", &self.status)
            .field("code", &self.display_code())
            .field("context", &self.context)
            .field("request_id", &self.request_id)
            .field("retry_after", &self.retry_after)
            .field("message", &self.message.as_ref().map(|_| "[REDACTED]"))
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// Failure to obtain or apply credentials.
#[derive(Debug)]
pub struct AuthError {
    pub(crate) message: Cow<'static, str>,
    pub(crate) status: Option<u16>,
    pub(crate) source: Option<Box<Error>>,
    pub(crate) context: Option<CallContext>,
}

impl AuthError {
    /// Creates an auth error. The message must not contain credentials or patient data.
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        Self { message: message.into(), status: None, source: None, context: None }
    }
    /// Attaches the HTTP status of the token endpoint's answer.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }
    /// Attaches the underlying error.
    pub fn with_source(mut self, source: Error) -> Self {
        self.source = Some(Box::new(source));
        self
    }
    /// The HTTP status of the token endpoint, when it answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
    /// The underlying error (for example the token endpoint's [`ApiError`]).
    pub fn cause(&self) -> Option<&Error> {
        self.source.as_deref()
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_context(f, self.context.as_ref())?;
        write!(f, "authentication failed: {}", self.message)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

/// Which deadline passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One attempt took longer than the per-request timeout.
    Attempt(Duration),
    /// The whole call, retries included, took longer than the total timeout.
    Total(Duration),
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Attempt(d) => write!(f, "attempt exceeded {d:?}"),
            Self::Total(d) => write!(f, "call exceeded its total timeout of {d:?}"),
        }
    }
}

/// What kind of transport failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established: the request never reached the server.
    Connect,
    /// The request was sent (or may have been) but no complete response arrived.
    Request,
    /// The response body could not be read.
    Body,
    /// A redirect could not be followed.
    Redirect,
    /// Anything else (for example a TLS builder failure).
    Other,
}

/// A failure below HTTP: DNS, TCP, TLS, a dropped connection.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) kind: TransportErrorKind,
    pub(crate) source: Box<dyn std::error::Error + Send + Sync>,
    pub(crate) context: Option<CallContext>,
}

impl TransportError {
    /// Wraps an error of the given kind.
    pub fn new(kind: TransportErrorKind, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self { kind, source: source.into(), context: None }
    }
    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Request => "request failed",
            TransportErrorKind::Body => "could not read the response body",
            TransportErrorKind::Redirect => "redirect failed",
            TransportErrorKind::Other => "transport error",
        };
        // The cause is the error's `source()`, not part of this message, so error reporters that walk the
        // chain do not print it twice.
        write_context(f, self.context.as_ref())?;
        f.write_str(what)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A 2xx response that did not decode.
///
/// Carries the JSON path of the failure (`data.items[3].expires_at`), serde's category, line and column, and
/// never the offending value. A bounded snippet of the body is reachable through [`DecodeError::snippet`].
#[derive(Clone)]
pub struct DecodeError {
    pub(crate) status: u16,
    pub(crate) path: String,
    pub(crate) reason: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) snippet: Vec<u8>,
    pub(crate) context: Option<CallContext>,
}

/// How many bytes of a body a [`DecodeError`] keeps.
pub const DECODE_SNIPPET_LEN: usize = 512;

impl DecodeError {
    /// Builds a decode error from a serde_json failure, without quoting any input value.
    pub fn from_json(status: u16, path: String, err: &serde_json::Error, body: &[u8]) -> Self {
        Self {
            status,
            path,
            reason: sanitize_serde_message(err),
            line: err.line(),
            column: err.column(),
            snippet: body[..body.len().min(DECODE_SNIPPET_LEN)].to_vec(),
            context: None,
        }
    }
    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The JSON path where decoding failed (`.` when at the root).
    pub fn path(&self) -> &str {
        &self.path
    }
    /// Serde's description, with any quoted input value removed.
    pub fn reason(&self) -> &str {
        &self.reason
    }
    /// Line of the failure in the body (1-based; 0 if unknown).
    pub fn line(&self) -> usize {
        self.line
    }
    /// Column of the failure in the body.
    pub fn column(&self) -> usize {
        self.column
    }
    /// The first bytes of the body. It may contain patient data.
    pub fn snippet(&self) -> &[u8] {
        &self.snippet
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_context(f, self.context.as_ref())?;
        write!(
            f,
            "could not decode the response (HTTP {}) at `{}`: {} (line {}, column {})",
            self.status, self.path, self.reason, self.line, self.column
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("path", &self.path)
            .field("reason", &self.reason)
            .field("line", &self.line)
            .field("column", &self.column)
            .field("snippet_len", &self.snippet.len())
            .field("context", &self.context)
            .finish()
    }
}

/// Reduces a serde_json message to what is safe to log: its category and what was expected.
///
/// serde quotes input values (`invalid type: string "Jane Doe", expected u32`); those are dropped.
pub(crate) fn sanitize_serde_message(err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let full = err.to_string();
    // Remove the trailing " at line L column C" that Display appends.
    let msg = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    match err.classify() {
        Category::Io => "I/O error while reading the body".to_owned(),
        Category::Eof => "unexpected end of input".to_owned(),
        Category::Syntax => "malformed JSON".to_owned(),
        Category::Data => {
            if msg.starts_with("missing field") || msg.starts_with("duplicate field") {
                // Field names come from our own types, not from the input.
                return msg.to_owned();
            }
            let head = msg.split([':', '`', ',', '"']).next().unwrap_or("invalid data").trim();
            let head = if head.is_empty() || head.len() > 40 { "invalid data" } else { head };
            match msg.find(", expected ") {
                Some(i) if !msg[i..].contains('"') => format!("{head}{}", &msg[i..]),
                _ => head.to_owned(),
            }
        }
    }
}

#[cfg(test)]
mod tests;
