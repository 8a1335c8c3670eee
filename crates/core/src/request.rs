//! Requests as data.
//!
//! A vendor crate describes each call as a [`Request`]: method, path *template*, path parameters, query,
//! headers, body, idempotency key and retry safety. [`crate::Transport`] turns it into HTTP. Vendor crates
//! never touch reqwest.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// The bytes of a [`Body`]: cheap to clone, so a retried request shares them instead of copying (the
/// `bytes` crate's type, as reqwest and hyper use).
pub use bytes::Bytes;

use crate::error::Error;

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// HEAD
    Head,
}

impl Method {
    /// The method's name, such as `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
            Self::Head => "HEAD",
        }
    }

    /// GET, HEAD, PUT and DELETE are idempotent by HTTP semantics; POST and PATCH are not.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Self::Post | Self::Patch)
    }

    /// Whether the method only reads (GET, HEAD), for rate-limit budgets.
    pub fn is_read(self) -> bool {
        matches!(self, Self::Get | Self::Head)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
            Self::Head => reqwest::Method::HEAD,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request body, already encoded.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// `application/json`.
    Json(Bytes),
    /// `application/x-www-form-urlencoded` with Stripe-style brackets (`a[b]=c`, `arr[0]=x`).
    Form(Bytes),
    /// Anything else, with its content type.
    Raw {
        /// The `Content-Type` to send.
        content_type: String,
        /// The bytes.
        bytes: Bytes,
    },
}

impl Body {
    /// The content type this body is sent with, if any.
    pub fn content_type(&self) -> Option<&str> {
        match self {
            Self::None => None,
            Self::Json(_) => Some("application/json"),
            Self::Form(_) => Some("application/x-www-form-urlencoded"),
            Self::Raw { content_type, .. } => Some(content_type),
        }
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::None => &[],
            Self::Json(b) | Self::Form(b) | Self::Raw { bytes: b, .. } => b,
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bodies carry patient data: show only their kind and size.
        match self {
            Self::None => f.write_str("None"),
            Self::Json(b) => write!(f, "Json({} bytes)", b.len()),
            Self::Form(b) => write!(f, "Form({} bytes)", b.len()),
            Self::Raw { content_type, bytes } => write!(f, "Raw({content_type}, {} bytes)", bytes.len()),
        }
    }
}

/// Encodes a value as a Stripe-style bracket form (`a[b]=c`, `arr[0]=x`, `arr[0][k]=v`).
///
/// # Examples
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Claim { icd10_codes: Vec<&'static str>, amount: u64 }
/// let form = carewire_core::request::encode_form(&Claim { icd10_codes: vec!["J06.9"], amount: 45000 }).unwrap();
/// assert_eq!(form, "icd10_codes[0]=J06.9&amount=45000");
/// ```
pub fn encode_form<T: Serialize>(value: &T) -> Result<String, Error> {
    let s = serde_qs::Config::new()
        .max_depth(16)
        .serialize_string(value)
        .map_err(|e| Error::invalid_request("body", format!("cannot be form-encoded: {}", form_error_category(&e))))?;
    // serde_qs encodes a bare scalar as `=value`: a form needs named fields.
    if s.starts_with('=') {
        return Err(Error::invalid_request("body", "cannot be form-encoded: the top level must be a struct or a map"));
    }
    Ok(s)
}

fn form_error_category(e: &serde_qs::Error) -> &'static str {
    // serde_qs messages can quote values; keep only a category.
    let s = e.to_string();
    if s.contains("top-level") || s.contains("top level") {
        "the top level must be a struct or a map"
    } else if s.contains("unsupported") || s.contains("Unsupported") {
        "a value of an unsupported type (nested sequence or enum with data)"
    } else {
        "serialization failed"
    }
}

/// One logical API call, as data.
///
/// # Examples
///
/// ```
/// use carewire_core::{Method, Request};
///
/// let req = Request::new(Method::Get, "/v1/prescriptions/{id}")
///     .operation("prescriptions.retrieve")
///     .path_param("id", "rx_1/2")
///     .query("expand", "medication");
/// assert_eq!(req.render_path().unwrap(), "/v1/prescriptions/rx_1%2F2");
/// ```
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) template: Cow<'static, str>,
    pub(crate) operation: Cow<'static, str>,
    pub(crate) path_params: Vec<(Cow<'static, str>, String)>,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: Vec<(Cow<'static, str>, String)>,
    pub(crate) body: Body,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) idempotent: Option<bool>,
    pub(crate) absolute_url: Option<String>,
    pub(crate) retry: Option<crate::retry::RetryPolicy>,
    pub(crate) max_response_bytes: Option<usize>,
    pub(crate) timeout: Option<std::time::Duration>,
    pub(crate) scope: crate::operation::Scope,
    pub(crate) subject: Option<String>,
    pub(crate) error: Option<String>,
    pub(crate) error_field: Option<Cow<'static, str>>,
}

impl Request {
    /// A request for `method` on a path template such as `/v1/prescriptions/{id}`.
    pub fn new(method: Method, template: impl Into<Cow<'static, str>>) -> Self {
        let template = template.into();
        Self {
            method,
            operation: template.clone(),
            template,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            idempotency_key: None,
            idempotent: None,
            absolute_url: None,
            retry: None,
            max_response_bytes: None,
            timeout: None,
            scope: crate::operation::Scope::Client,
            subject: None,
            error: None,
            error_field: None,
        }
    }

    /// `GET template`.
    pub fn get(template: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Method::Get, template)
    }
    /// `POST template`.
    pub fn post(template: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Method::Post, template)
    }
    /// `PUT template`.
    pub fn put(template: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Method::Put, template)
    }
    /// `PATCH template`.
    pub fn patch(template: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Method::Patch, template)
    }
    /// `DELETE template`.
    pub fn delete(template: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Method::Delete, template)
    }

    /// A request for a full URL the vendor handed us (a next-page link).
    ///
    /// The transport sends it only if it has the same origin as the client's base URL, so credentials never
    /// go to another host. Its path template, for logs, is `"(link)"`.
    pub fn link(method: Method, url: impl Into<String>) -> Self {
        let mut req = Self::new(method, "(link)");
        req.absolute_url = Some(url.into());
        req
    }

    /// Names the operation for logs and traces, such as `"claims.submit"`.
    pub fn operation(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.operation = name.into();
        self
    }

    /// Fills `{name}` in the path template. The value is percent-encoded as one segment: `/`, `+`, `:`
    /// and spaces cannot change the path's shape.
    pub fn path_param(mut self, name: impl Into<Cow<'static, str>>, value: impl fmt::Display) -> Self {
        self.path_params.push((name.into(), value.to_string()));
        self
    }

    /// Adds a query pair. Calling it twice with the same key sends the key twice.
    pub fn query(mut self, key: impl Into<Cow<'static, str>>, value: impl fmt::Display) -> Self {
        self.query.push((key.into(), value.to_string()));
        self
    }

    /// Adds a query pair when the value is `Some`.
    pub fn query_opt<V: fmt::Display>(self, key: impl Into<Cow<'static, str>>, value: Option<V>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    /// Adds one pair whose value is the items joined by commas (`with=a,b`). Nothing is sent for no items.
    pub fn query_csv<I>(self, key: impl Into<Cow<'static, str>>, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: fmt::Display,
    {
        let joined = values.into_iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",");
        if joined.is_empty() { self } else { self.query(key, joined) }
    }

    /// Adds one pair per item with the same key (`with[]=a&with[]=b`).
    pub fn query_repeated<I>(mut self, key: impl Into<Cow<'static, str>>, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: fmt::Display,
    {
        let key = key.into();
        for v in values {
            self.query.push((key.clone(), v.to_string()));
        }
        self
    }

    /// Adds a header. Header values are never logged.
    pub fn header(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets a JSON body. A serialization failure is reported when the request is sent.
    ///
    /// A JSON body is allowed on any method, GET included (two vendors document one).
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Body::Json(bytes.into()),
            Err(_) => self.fail("body", "cannot be encoded as JSON"),
        }
        self
    }

    /// Sets a Stripe-style bracket form body (`a[b]=c`, `arr[0]=x`, `arr[0][k]=v`) through serde_qs.
    pub fn form<T: Serialize>(mut self, body: &T) -> Self {
        match encode_form(body) {
            Ok(s) => self.body = Body::Form(s.into()),
            Err(Error::InvalidRequest { reason, .. }) => self.fail("body", reason.into_owned()),
            Err(_) => self.fail("body", "cannot be form-encoded"),
        }
        self
    }

    /// Sets an already-encoded body.
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Sets the idempotency key, sent on every attempt unchanged. A POST or PATCH with a key may be retried.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Sets a fresh random idempotency key (UUID v4 format) unless one is set already.
    pub fn ensure_idempotency_key(mut self) -> Self {
        if self.idempotency_key.is_none() {
            self.idempotency_key = Some(generate_idempotency_key());
        }
        self
    }

    /// Overrides retry safety: `true` lets a POST/PATCH be retried like a GET; `false` forbids retrying
    /// anything that may have reached the server.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Overrides the client's retry policy for this call only (for example [`RetryPolicy::none`] for an
    /// endpoint whose 429 asks you to come back in an hour).
    ///
    /// [`RetryPolicy::none`]: crate::retry::RetryPolicy::none
    pub fn retry_policy(mut self, policy: crate::retry::RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// A timeout for this whole call, retries and waits included, instead of the client's total timeout.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Which credentials the request is sent with (default [`Scope::Client`](crate::operation::Scope)).
    pub fn scope(mut self, scope: crate::operation::Scope) -> Self {
        self.scope = scope;
        self
    }

    /// The subject (a patient) whose token a [`Scope::Subject`](crate::operation::Scope) request is sent
    /// with. The value is never logged.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The credential scope.
    pub fn scope_ref(&self) -> crate::operation::Scope {
        self.scope
    }

    /// Overrides the client's response body limit for this call only (for a large export, say).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Records a validation failure; the request fails with [`Error::InvalidRequest`] when sent.
    pub fn fail(&mut self, field: impl Into<Cow<'static, str>>, reason: impl Into<String>) {
        if self.error.is_none() {
            self.error_field = Some(field.into());
            self.error = Some(reason.into());
        }
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }
    /// The path template.
    pub fn template(&self) -> &str {
        &self.template
    }
    /// The operation name.
    pub fn operation_name(&self) -> &str {
        &self.operation
    }
    /// The body.
    pub fn body_ref(&self) -> &Body {
        &self.body
    }
    /// The idempotency key, if any.
    pub fn idempotency_key_ref(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }
    /// The query pairs, in order.
    pub fn query_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_ref(), v.as_str()))
    }

    /// Whether a retry after the request may have reached the server is safe.
    pub fn is_retry_safe(&self) -> bool {
        self.idempotent.unwrap_or_else(|| self.method.is_idempotent() || self.idempotency_key.is_some())
    }

    /// Fills the template's `{name}` placeholders with percent-encoded values.
    pub fn render_path(&self) -> Result<String, Error> {
        if let Some(reason) = &self.error {
            let field = self.error_field.clone().unwrap_or(Cow::Borrowed("request"));
            return Err(Error::invalid_request(field, reason.clone()));
        }
        let mut out = String::with_capacity(self.template.len() + 16);
        let mut rest: &str = &self.template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                return Err(Error::invalid_request("path", "template has an unclosed `{`"));
            };
            let name = &rest[open + 1..open + close];
            let value = self
                .path_params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .ok_or_else(|| Error::invalid_request(name.to_owned(), "is a required path parameter"))?;
            if value.trim().is_empty() {
                return Err(Error::invalid_request(name.to_owned(), "must not be empty"));
            }
            if is_dot_segment(value) {
                // `.` and `..` (however encoded) are dot segments to every URL parser: the request would go to
                // this resource's parent instead.
                return Err(Error::invalid_request(
                    name.to_owned(),
                    "must not be `.` or `..` (a relative path segment)",
                ));
            }
            encode_segment(value, &mut out);
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only names and shapes: values may be patient data or secrets.
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("template", &self.template)
            .field("operation", &self.operation)
            .field("path_params", &self.path_params.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("query_keys", &self.query.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("header_names", &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("body", &self.body)
            .field("idempotency_key", &self.idempotency_key.is_some())
            .field("scope", &self.scope)
            .field("subject", &self.subject.is_some())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Percent-encodes `value` as a single path segment: everything but RFC 3986 unreserved characters.
pub fn encode_segment(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        }
    }
}

/// Whether a path value would be read as `.` or `..` once in the URL (`%2e` is a dot to URL parsers too).
fn is_dot_segment(value: &str) -> bool {
    // Each dot is `.` or `%2e` (any case); at most two of them, and nothing else.
    let mut rest = value.trim().as_bytes();
    let mut dots = 0;
    while !rest.is_empty() {
        rest = match rest {
            [b'.', tail @ ..] | [b'%', b'2', b'e' | b'E', tail @ ..] => tail,
            _ => return false,
        };
        dots += 1;
    }
    matches!(dots, 1 | 2)
}

/// A random idempotency key in UUID v4 format, from the operating system's cryptographic generator.
///
/// A key that guards a money movement must be unguessable and must not collide with another process's:
/// its 122 random bits come from the OS (`getrandom`). Should the OS generator ever fail, the key is a
/// SHA-256 of the time, the process id, a per-process counter and a local random number, which still
/// never repeats within a process.
///
/// # Examples
///
/// ```
/// let key = carewire_core::request::generate_idempotency_key();
/// assert_eq!(key.len(), 36);
/// assert_eq!(&key[14..15], "4"); // UUID version 4
/// assert_ne!(key, carewire_core::request::generate_idempotency_key());
/// ```
pub fn generate_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        bytes = fallback_random_bytes();
    }
    let hi = u64::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]]);
    let lo = u64::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]]);
    let hi = (hi & 0xffff_ffff_ffff_0fff) | 0x4000; // version 4
    let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000; // variant 10
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// 16 bytes that never repeat within this process, for the (theoretical) case of an OS generator failure.
fn fallback_random_bytes() -> [u8; 16] {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let mut h = crate::crypto::Sha256::new();
    h.update(&nanos.to_le_bytes());
    h.update(&std::process::id().to_le_bytes());
    h.update(&n.to_le_bytes());
    h.update(&fastrand::u64(..).to_le_bytes());
    let digest = h.finish();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

#[cfg(test)]
mod tests;
