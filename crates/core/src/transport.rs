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
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument as _;

use crate::auth::{CredentialStamp, Credentials, NoAuth};
use crate::config::ClientConfig;
pub use crate::decode::decode_json;
use crate::error::{
    ApiError, CallContext, DefaultErrorParser, Error, ErrorBodyParser, Result, TimeoutKind, TooLargeError,
};
use crate::http::{ReadFailure, is_stale_connection, map_reqwest_error, read_body_limited};
use crate::operation::{Encodings, Scope};
use crate::ratelimit::{RateBudget, RateLimit, RateLimiter, parse_rate_limit};
use crate::request::{Body, Request};
use crate::retry::{self, Attempt, RetryBudget, RetryCause, RetryPolicy};
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

/// The reqwest request, assembled directly (no builder merging headers); a retry shares the body's bytes.
fn reqwest_request(method: crate::request::Method, url: url::Url, headers: HeaderMap, body: &Body) -> reqwest::Request {
    let mut request = reqwest::Request::new(method.to_reqwest(), url);
    *request.headers_mut() = headers;
    match body {
        Body::None => {}
        Body::Json(b) | Body::Form(b) | Body::Raw { bytes: b, .. } => *request.body_mut() = Some(b.clone().into()),
    }
    request
}

/// The response of `pending`, its body read up to `limit` bytes.
async fn exchange(
    pending: impl Future<Output = reqwest::Result<reqwest::Response>>,
    limit: usize,
) -> std::result::Result<Exchange, Failure> {
    let mut resp = pending.await.map_err(Failure::Http)?;
    let status = resp.status().as_u16();
    let headers = std::mem::take(resp.headers_mut());
    let body = read_body_limited(&mut resp, status, limit).await.map_err(|f| match f {
        ReadFailure::Http(e) => Failure::Http(e),
        ReadFailure::TooLarge(t) => Failure::TooLarge(t),
    })?;
    Ok(Exchange { status, headers, body })
}

struct Exchange {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

enum Failure {
    Http(reqwest::Error),
    TooLarge(TooLargeError),
    /// `total` when the call's total deadline, not the attempt's own timeout, expired.
    Timeout {
        total: bool,
    },
}

/// Runs `fut`, giving up at `deadline` (if any). A future that is ready at once registers no timer.
async fn within<T>(deadline: Option<Instant>, fut: impl Future<Output = T>) -> Option<T> {
    match deadline {
        Some(d) => tokio::time::timeout_at(d, fut).await.ok(),
        None => Some(fut.await),
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
        let mut headers = self.inner.default_headers.clone();
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
    pub async fn send<T: DeserializeOwned>(&self, req: Request) -> Result<T> {
        self.execute(req).await?.json()
    }

    /// Sends `req` and returns the decoded body with status, request id and rate limit.
    pub async fn send_with_meta<T: DeserializeOwned>(&self, req: Request) -> Result<Response<T>> {
        let raw = self.execute(req).await?;
        let data = raw.json()?;
        Ok(Response { data, meta: raw.meta })
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
        let inner = self.execute_inner(req, span.clone());
        // Boxed: the retry loop's state is large and callers move their futures around (join sets,
        // `FuturesUnordered`); a pointer moves for free.
        Box::pin(inner.instrument(span))
    }

    async fn execute_inner(&self, req: Request, span: tracing::Span) -> Result<RawResponse> {
        let inner = &*self.inner;
        let total = req.timeout.or(inner.total_timeout);
        // An absurd total timeout (`Duration::MAX`) is no deadline rather than a clock overflow.
        let deadline = total.and_then(|t| Instant::now().checked_add(t));
        let limit = req.max_response_bytes.unwrap_or(inner.max_response_bytes);
        // The first attempt takes the prepared URL and headers; only a retry pays for building them again.
        let prepared = Mutex::new(Some((self.url_for(&req)?, self.headers_for(&req)?)));
        let safe = req.is_retry_safe();
        let method = req.method;
        let refreshed = AtomicBool::new(false);
        let stale_retried = AtomicBool::new(false);
        let attempts = AtomicU32::new(0);
        // Only read the clock for the span when a subscriber listens.
        let started = (!span.is_disabled()).then(Instant::now);
        let total_timeout = || Error::timeout(TimeoutKind::Total(total.unwrap_or_default()));

        let policy = req.retry.as_ref().unwrap_or(&inner.retry);
        let result = retry::run(policy, &inner.budget, deadline, |n| {
            let (req, span, prepared) = (&req, &span, &prepared);
            let (refreshed, stale_retried, attempts) = (&refreshed, &stale_retried, &attempts);
            async move {
                attempts.store(n, Ordering::Relaxed);
                span.record("attempt", n);
                let first = prepared.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
                let (url, mut headers) = match first {
                    Some(p) => p,
                    None => match self.url_for(req).and_then(|u| Ok((u, self.headers_for(req)?))) {
                        Ok(p) => p,
                        Err(e) => return Attempt::Done(Err(e)),
                    },
                };
                // Without a limiter to wait for, credentials that need no waiting (static keys, a fresh
                // cached token) are applied at once; else the wait counts against the total timeout.
                let now = if inner.limiter.is_none() { self.apply_credentials_now(req, &mut headers) } else { None };
                let stamp = match now {
                    Some(Ok(s)) => s,
                    Some(Err(e)) => return Attempt::Done(Err(e)),
                    None => {
                        let setup = async {
                            if let Some(l) = &inner.limiter {
                                l.acquire_with(method, inner.rate_budget.as_deref()).await?;
                            }
                            self.apply_credentials(req, &mut headers).await
                        };
                        match within(deadline, setup).await {
                            Some(Ok(s)) => s,
                            Some(Err(e)) => return Attempt::Done(Err(e)),
                            None => return Attempt::Done(Err(total_timeout())),
                        }
                    }
                };
                let outcome = self.attempt(method, url, headers, &req.body, deadline, limit).await;
                if let Some(started) = started {
                    span.record("latency_ms", started.elapsed().as_millis() as u64);
                }
                match outcome {
                    Ok(ex) => {
                        span.record("status", ex.status);
                        let mut observed = None;
                        let attempt = self.classify_response(ex, n, safe, (req, stamp), refreshed, &mut observed);
                        if let (Some(l), Some(budget), Some(rl)) = (&inner.limiter, &inner.rate_budget, observed) {
                            l.share(method, &rl, &**budget).await;
                        }
                        attempt
                    }
                    Err(Failure::TooLarge(t)) => Attempt::Done(Err(Error::TooLarge(t))),
                    Err(Failure::Timeout { total: true }) => Attempt::Done(Err(total_timeout())),
                    Err(Failure::Timeout { total: false }) => {
                        let err = Err(Error::timeout(TimeoutKind::Attempt(inner.request_timeout)));
                        if safe {
                            Attempt::Retry { result: err, hint: None, cause: RetryCause::Timeout }
                        } else {
                            Attempt::Done(err)
                        }
                    }
                    Err(Failure::Http(e)) => {
                        let stale = is_stale_connection(&e);
                        let connect = e.is_connect();
                        let err = Err(map_reqwest_error(e));
                        if stale && !stale_retried.swap(true, Ordering::Relaxed) {
                            tracing::debug!("stale pooled connection; retrying once");
                            Attempt::RetryNow(err)
                        } else if connect {
                            Attempt::Retry { result: err, hint: None, cause: RetryCause::NotSent }
                        } else if safe {
                            Attempt::Retry { result: err, hint: None, cause: RetryCause::Transient }
                        } else {
                            Attempt::Done(err)
                        }
                    }
                }
            }
        })
        .await;
        match result {
            Ok(mut raw) => {
                raw.meta.attempts = attempts.load(Ordering::Relaxed);
                raw.context = Some(self.context_of(&req));
                Ok(raw)
            }
            Err(e) => Err(e.with_context(self.context_of(&req))),
        }
    }

    /// One attempt under one timer: the attempt's own timeout, or the call's total deadline if that comes
    /// first. Not an `async fn`, and no large value is bound across an await: the future's size is then the
    /// exchange's and the timer's, not twice that (the call's state is copied into its box once per call).
    fn attempt(
        &self,
        method: crate::request::Method,
        url: url::Url,
        headers: HeaderMap,
        body: &Body,
        deadline: Option<Instant>,
        limit: usize,
    ) -> impl Future<Output = std::result::Result<Exchange, Failure>> + Send + '_ {
        let now = Instant::now();
        let own = now.checked_add(self.inner.request_timeout).unwrap_or(now + crate::ratelimit::MAX_SERVER_DURATION);
        let (until, total) = match deadline {
            Some(d) if d < own => (d, true),
            _ => (own, false),
        };
        let exchange = exchange(self.inner.http.execute(reqwest_request(method, url, headers, body)), limit);
        let timed = tokio::time::timeout_at(until, exchange);
        async move { timed.await.unwrap_or(Err(Failure::Timeout { total })) }
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

    fn classify_response(
        &self,
        ex: Exchange,
        attempt: u32,
        safe: bool,
        (req, stamp): (&Request, CredentialStamp),
        refreshed: &AtomicBool,
        observed: &mut Option<RateLimit>,
    ) -> Attempt<Result<RawResponse>> {
        let inner = &*self.inner;
        // One pass over the headers: rate-limit headers and the request id.
        let mut seen_rate_limit = false;
        let mut request_id: Option<(usize, &str)> = None;
        for (name, value) in &ex.headers {
            let name = name.as_str();
            if name.starts_with("x-ratelimit-") || name == "retry-after" {
                seen_rate_limit = true;
            } else if let Some(rank) = inner.request_id_headers.iter().position(|h| h.as_str() == name)
                && let (Ok(v), true) = (value.to_str(), request_id.is_none_or(|(r, _)| rank < r))
            {
                request_id = Some((rank, v));
            }
        }
        let request_id = request_id.map(|(_, v)| v.to_owned());
        let rate_limit = if seen_rate_limit {
            parse_rate_limit(|name| ex.headers.get(name).and_then(|v| v.to_str().ok()), SystemTime::now())
        } else {
            None
        };
        if let Some(rl) = &rate_limit {
            if let Some(l) = &inner.limiter {
                l.observe(rl);
            }
            *inner.last_rate_limit.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(rl.clone());
            observed.clone_from(&rate_limit);
        }
        let meta = ResponseMeta { status: ex.status, request_id, rate_limit, attempts: attempt };
        if (200..300).contains(&ex.status) {
            return Attempt::Done(Ok(RawResponse { meta, headers: ex.headers, body: ex.body, context: None }));
        }
        let retry_after = meta.rate_limit.as_ref().and_then(|r| r.retry_after);
        let reset = meta.rate_limit.as_ref().filter(|r| r.is_exhausted()).and_then(|r| r.reset_after);
        let parsed = inner.error_parser.parse(ex.status, &ex.body);
        let api = ApiError {
            vendor: inner.vendor,
            status: ex.status,
            code: parsed.code,
            message: parsed.message,
            details: parsed.details,
            request_id: meta.request_id,
            retry_after,
            rate_limit: meta.rate_limit,
            body: ex.body,
            known_codes: inner.known_error_codes,
            context: None,
        };
        let status = ex.status;
        if status == 429 {
            // Refused before processing: safe to retry whatever the method.
            let hint = retry_after.or(reset);
            return Attempt::Retry {
                result: Err(Error::RateLimited(Box::new(api))),
                hint,
                cause: RetryCause::Transient,
            };
        }
        let err = Err(Error::Api(Box::new(api)));
        if status == 401 && !refreshed.swap(true, Ordering::Relaxed) && self.invalidate_credentials(req, stamp) {
            return Attempt::RetryNow(err);
        }
        if safe && matches!(status, 408 | 500 | 502 | 503 | 504) {
            return Attempt::Retry { result: err, hint: retry_after, cause: RetryCause::Transient };
        }
        Attempt::Done(err)
    }
}
