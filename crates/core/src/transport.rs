//! The transport: turns a [`Request`] into HTTP, once, for every vendor.
//!
//! It joins the path to the base URL (keeping the base's own path), applies credentials, encodes the body,
//! runs the retry loop, waits for the client-side rate limiter, records rate-limit headers, maps non-2xx
//! answers to [`Error::Api`] / [`Error::RateLimited`] through the vendor's [`ErrorBodyParser`], and decodes
//! 2xx bodies (204 and empty bodies included) with the JSON path of any failure.
//!
//! Every call runs in a `tracing` span named `carewire.request` with the fields `vendor`, `operation`,
//! `method`, `path` (the *template*, never the filled path), `status`, `attempt` and `latency_ms`, and nothing
//! else: no path value, query, header value or body is ever logged.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::FutureExt as _;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::auth::{CredentialStamp, Credentials, NoAuth};
use crate::config::ClientConfig;
pub use crate::decode::decode_json;
use crate::error::{CallContext, DefaultErrorParser, Error, ErrorBodyParser, Result};
use crate::operation::{Encodings, Scope};
use crate::ratelimit::{RateBudget, RateLimit, RateLimiter};
use crate::request::{Body, Request};
use crate::retry::{RetryBudget, RetryPolicy};
use crate::subject::SubjectCredentials;

/// What a successful response said besides its body.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The HTTP status.
    pub status: u16,
    /// The vendor's request id header, when present.
    pub request_id: Option<String>,
    /// The rate-limit headers, when present.
    pub rate_limit: Option<RateLimit>,
    /// How many attempts the call took.
    pub attempts: u32,
}

/// A decoded body with its [`ResponseMeta`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded body.
    pub data: T,
    /// Status, request id, rate limit.
    pub meta: ResponseMeta,
}

/// A 2xx response before decoding.
#[derive(Clone)]
pub struct RawResponse {
    /// Status, request id, rate limit.
    pub meta: ResponseMeta,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body bytes. They may contain patient data.
    pub body: Vec<u8>,
    /// The call this response answers; attached to the errors of decoding it.
    pub context: Option<CallContext>,
}

impl RawResponse {
    /// Decodes the body as JSON into `T` (an empty body decodes as JSON `null`, so `()` and `Option<_>`
    /// accept it). A failure carries the call's [`CallContext`].
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        decode_json(self.meta.status, &self.body).map_err(|e| self.attach_context(e))
    }

    /// `err` with this response's [`CallContext`] attached: for vendor code that decodes a response
    /// itself (envelopes), so its errors name the call like every other.
    pub fn attach_context(&self, err: Error) -> Error {
        match &self.context {
            Some(c) => err.with_context(c.clone()),
            None => err,
        }
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("meta", &self.meta)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

mod builder;
mod call;
pub use builder::TransportBuilder;

struct Inner {
    vendor: &'static str,
    http: reqwest::Client,
    base: url::Url,
    base_path: String,
    credentials: Arc<dyn Credentials>,
    subjects: Option<Arc<dyn SubjectCredentials>>,
    encodings: Encodings,
    error_parser: Arc<dyn ErrorBodyParser>,
    known_error_codes: &'static [&'static str],
    retry: RetryPolicy,
    budget: RetryBudget,
    limiter: Option<Arc<RateLimiter>>,
    rate_budget: Option<Arc<dyn RateBudget>>,
    request_timeout: Duration,
    total_timeout: Option<Duration>,
    max_response_bytes: usize,
    /// Headers added to every request: empty when the client is carewire's own, which sends them itself.
    default_headers: HeaderMap,
    idempotency_header: HeaderName,
    request_id_headers: Vec<HeaderName>,
    last_rate_limit: Mutex<Option<RateLimit>>,
}

/// Sends [`Request`]s for one vendor. Cheap to clone (an `Arc` inside); share one per vendor client.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("vendor", &self.inner.vendor)
            .field("base_url", &self.inner.base.as_str())
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .field("request_timeout", &self.inner.request_timeout)
            .field("total_timeout", &self.inner.total_timeout)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Starts building a transport for `vendor` (a short lowercase name used in errors and traces).
    pub fn builder(vendor: &'static str, config: ClientConfig) -> TransportBuilder {
        TransportBuilder {
            vendor,
            config,
            credentials: Arc::new(NoAuth),
            subjects: None,
            encodings: Encodings::default(),
            error_parser: Arc::new(DefaultErrorParser),
            known_error_codes: &[],
            idempotency_header: "idempotency-key",
            request_id_headers: vec!["x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid"],
            default_headers: Vec::new(),
            rate_budget: None,
        }
    }

    /// The vendor's name.
    pub fn vendor(&self) -> &'static str {
        self.inner.vendor
    }

    /// The base URL.
    pub fn base_url(&self) -> &url::Url {
        &self.inner.base
    }

    /// How this client encodes bodies left to it and list-valued query parameters.
    pub fn encodings(&self) -> &Encodings {
        &self.inner.encodings
    }

    /// The latest rate-limit headers any response of this transport carried.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.last_rate_limit.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// The client-side rate limiter, if one is configured.
    pub fn rate_limiter(&self) -> Option<&Arc<RateLimiter>> {
        self.inner.limiter.as_ref()
    }

    /// The final URL a request would be sent to. Useful in tests; it contains path values, so never log it.
    pub fn url_for(&self, req: &Request) -> Result<url::Url> {
        let path = req.render_path()?;
        if let Some(link) = &req.absolute_url {
            let url = self.inner.base.join(link).map_err(|_| Error::invalid_request("link", "is not a valid URL"))?;
            if url.origin() != self.inner.base.origin() {
                return Err(Error::invalid_request("link", "points to another host than the base URL"));
            }
            return Ok(url);
        }
        let mut url = self.inner.base.clone();
        let mut full = String::with_capacity(self.inner.base_path.len() + path.len() + 1);
        full.push_str(&self.inner.base_path);
        if !path.starts_with('/') {
            full.push('/');
        }
        full.push_str(&path);
        url.set_path(&full);
        if !req.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &req.query {
                pairs.append_pair(k, v);
            }
        }
        Ok(url)
    }

    fn headers_for(&self, req: &Request) -> Result<HeaderMap> {
        // Room for the content type, the idempotency key, the credentials and the request's own headers.
        let mut headers = if self.inner.default_headers.is_empty() {
            HeaderMap::with_capacity(req.headers.len() + 4)
        } else {
            self.inner.default_headers.clone()
        };
        let content_type = match &req.body {
            Body::None => None,
            Body::Json(_) => Some(HeaderValue::from_static("application/json")),
            Body::Form(_) => Some(HeaderValue::from_static("application/x-www-form-urlencoded")),
            Body::Raw { content_type, .. } => Some(
                HeaderValue::from_str(content_type)
                    .map_err(|_| Error::invalid_request("content-type", "is not a valid header value"))?,
            ),
        };
        if let Some(v) = content_type {
            headers.insert(CONTENT_TYPE, v);
        }
        if let Some(key) = &req.idempotency_key {
            let v = HeaderValue::from_str(key).map_err(|_| {
                Error::invalid_request("idempotency_key", "contains characters not allowed in a header")
            })?;
            headers.insert(self.inner.idempotency_header.clone(), v);
        }
        for (name, value) in &req.headers {
            let n = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::invalid_request(name.clone(), "is not a valid header name"))?;
            let mut v = HeaderValue::from_str(value)
                .map_err(|_| Error::invalid_request(name.clone(), "contains characters not allowed in a header"))?;
            v.set_sensitive(true);
            headers.insert(n, v);
        }
        Ok(headers)
    }

    /// Sends `req` and decodes a 2xx body into `T`.
    ///
    /// This is also the escape hatch for endpoints no typed method covers: build any [`Request`] and pick
    /// `T` (`serde_json::Value` for untyped JSON), with the same auth, retries and errors.
    pub fn send<T: DeserializeOwned>(&self, req: Request) -> impl Future<Output = Result<T>> + Send + '_ {
        // A combinator, not an `async fn`: that would hold the request twice (as received, and moved).
        self.execute(req).map(|raw| raw?.json())
    }

    /// Sends `req` and returns the decoded body with status, request id and rate limit.
    pub fn send_with_meta<T: DeserializeOwned>(
        &self,
        req: Request,
    ) -> impl Future<Output = Result<Response<T>>> + Send + '_ {
        self.execute(req).map(|raw| {
            let raw = raw?;
            let data = raw.json()?;
            Ok(Response { data, meta: raw.meta })
        })
    }

    /// The [`CallContext`] errors of `req` carry: this vendor, the method and the path template.
    pub fn context_of(&self, req: &Request) -> CallContext {
        CallContext::new(self.inner.vendor, req.method.as_str(), req.template.clone())
    }

    /// Sends `req` and returns the 2xx response undecoded; non-2xx answers are errors.
    pub fn execute(&self, req: Request) -> impl Future<Output = Result<RawResponse>> + Send + '_ {
        let span = tracing::info_span!(
            "carewire.request",
            vendor = self.inner.vendor,
            operation = %req.operation,
            method = req.method.as_str(),
            path = %req.template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        // Not boxed: the call's state (about 1.4 KB) is part of the caller's future, so a task or a typed
        // call's box holds it with no allocation of its own.
        self.execute_inner(req, span.clone()).instrument(span)
    }

    /// Adds the credentials of the request's scope.
    async fn apply_credentials(&self, req: &Request, headers: &mut HeaderMap) -> Result<CredentialStamp> {
        let subject = || -> Result<(&Arc<dyn SubjectCredentials>, &str)> {
            let Some(subjects) = &self.inner.subjects else {
                return Err(Error::config(
                    "this operation needs a subject's token, and the client has no subject credentials",
                ));
            };
            let Some(subject) = req.subject.as_deref().filter(|s| !s.trim().is_empty()) else {
                return Err(Error::invalid_request(
                    "subject",
                    "is required: this operation acts for one subject (a patient)",
                ));
            };
            Ok((subjects, subject))
        };
        match self.effective_scope(req) {
            Scope::None => Ok(CredentialStamp::default()),
            Scope::Subject => {
                let (subjects, subject) = subject()?;
                subjects.apply(subject, headers).await
            }
            Scope::ClientAndSubject => {
                let (subjects, subject) = subject()?;
                self.inner.credentials.apply(headers).await?;
                subjects.apply(subject, headers).await
            }
            _ => self.inner.credentials.apply(headers).await,
        }
    }

    /// [`Transport::apply_credentials`] when no credential involved needs waiting; `None` otherwise.
    fn apply_credentials_now(&self, req: &Request, headers: &mut HeaderMap) -> Option<Result<CredentialStamp>> {
        let subject =
            || Some((self.inner.subjects.as_ref()?, req.subject.as_deref().filter(|s| !s.trim().is_empty())?));
        match self.effective_scope(req) {
            Scope::None => Some(Ok(CredentialStamp::default())),
            // A missing subject or subject credentials is `apply_credentials`'s error to report.
            Scope::Subject => {
                let (subjects, subject) = subject()?;
                subjects.apply_now(subject, headers)
            }
            Scope::ClientAndSubject => {
                let (subjects, subject) = subject()?;
                if let Err(e) = self.inner.credentials.apply_now(headers)? {
                    return Some(Err(e));
                }
                subjects.apply_now(subject, headers)
            }
            _ => self.inner.credentials.apply_now(headers),
        }
    }

    /// The scope a request is sent with: [`Scope::SubjectOrClient`] becomes the subject's when the request
    /// names a subject and the transport has subject credentials, else the client's.
    fn effective_scope(&self, req: &Request) -> Scope {
        match req.scope {
            Scope::SubjectOrClient if self.inner.subjects.is_some() && req.subject.is_some() => Scope::Subject,
            Scope::SubjectOrClient => Scope::Client,
            other => other,
        }
    }

    /// After a 401: drops the credentials that were refused (only this subject's, for a subject's call).
    fn invalidate_credentials(&self, req: &Request, stamp: CredentialStamp) -> bool {
        match (self.effective_scope(req), &self.inner.subjects, req.subject.as_deref()) {
            (Scope::Subject | Scope::ClientAndSubject, Some(subjects), Some(subject)) => {
                subjects.invalidate(subject, stamp)
            }
            (Scope::None | Scope::Subject | Scope::ClientAndSubject, ..) => false,
            _ => self.inner.credentials.invalidate(stamp),
        }
    }
}
