//! The call an error belongs to ([`CallContext`]), and the two errors that carry one beside their own data:
//! [`TooLargeError`] and [`TimeoutError`].

use std::borrow::Cow;
use std::fmt;

use super::TimeoutKind;

/// Which call an error belongs to: the vendor, the method and the path *template* (never the filled path,
/// which holds ids). Shown at the start of the error's `Display`.
///
/// # Examples
///
/// ```
/// use carewire_core::error::CallContext;
///
/// let ctx = CallContext::new("medtimes", "POST", "/v1/claims");
/// assert_eq!(ctx.to_string(), "medtimes POST /v1/claims");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallContext {
    vendor: &'static str,
    method: &'static str,
    template: Cow<'static, str>,
}

impl CallContext {
    /// A context for `vendor`'s `method template` call.
    pub fn new(vendor: &'static str, method: &'static str, template: impl Into<Cow<'static, str>>) -> Self {
        Self { vendor, method, template: template.into() }
    }
    /// The vendor, such as `"medtimes"`.
    pub fn vendor(&self) -> &'static str {
        self.vendor
    }
    /// The HTTP method.
    pub fn method(&self) -> &'static str {
        self.method
    }
    /// The path template, such as `/v1/claims/{id}`.
    pub fn template(&self) -> &str {
        &self.template
    }
}

impl fmt::Display for CallContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.vendor, self.method, self.template)
    }
}

pub(crate) fn write_context(f: &mut fmt::Formatter<'_>, context: Option<&CallContext>) -> fmt::Result {
    match context {
        Some(c) => write!(f, "{c}: "),
        None => Ok(()),
    }
}

/// A response body larger than `max_response_bytes`: refused from its `Content-Length`, or cut off
/// while reading a chunked body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLargeError {
    pub(crate) limit: usize,
    pub(crate) declared: Option<u64>,
    pub(crate) status: u16,
    pub(crate) context: Option<CallContext>,
}

impl TooLargeError {
    /// The limit that was exceeded, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }
    /// The `Content-Length` the server declared, if it declared one.
    pub fn declared(&self) -> Option<u64> {
        self.declared
    }
    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl fmt::Display for TooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_context(f, self.context.as_ref())?;
        write!(f, "the response body (HTTP {}) is larger than the limit of {} bytes", self.status, self.limit)?;
        if let Some(d) = self.declared {
            write!(f, " (Content-Length {d})")?;
        }
        f.write_str("; raise it with `max_response_bytes` on the client builder or on the call")
    }
}

/// A deadline that passed, and the call it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutError {
    pub(crate) kind: TimeoutKind,
    pub(crate) context: Option<CallContext>,
}

impl TimeoutError {
    /// A timeout of this kind.
    pub fn new(kind: TimeoutKind) -> Self {
        Self { kind, context: None }
    }
    /// Which deadline passed.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_context(f, self.context.as_ref())?;
        write!(f, "request timed out ({})", self.kind)
    }
}
