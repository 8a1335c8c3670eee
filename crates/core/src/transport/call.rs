//! One call of the transport: the retry loop's attempts, each turning the request into HTTP once, under
//! one timer, and classifying what came back.
//!
//! The state of a call is kept small on purpose: every `.await` of a fresh future copies it into the
//! caller's state, and the whole call is copied into the caller's task or box. The common path (no rate
//! limiter to wait for, credentials that need no waiting) holds little but the request, the exchange and
//! its timer; what waits (a limiter, a token fetch, a shared rate budget) is boxed where it happens, which is
//! rare. `a_call_future_holds_nothing_twice` (tests/transport.rs) bounds the size.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::SystemTime;

use futures_util::FutureExt as _;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use tokio::time::Instant;

use super::{RawResponse, ResponseMeta, Transport};
use crate::auth::CredentialStamp;
use crate::error::{ApiError, Error, Result, TimeoutKind, TooLargeError};
use crate::http::{ReadFailure, is_stale_connection, map_reqwest_error, read_body_limited};
use crate::ratelimit::{RateLimit, parse_rate_limit};
use crate::request::{Body, Method, Request};
use crate::retry::{self, Attempt, RetryCause};

impl Transport {
    /// Runs `req` through the retry loop; the errors carry the call's context.
    ///
    /// Not an `async fn`: an `async fn` keeps its arguments twice (as received, and moved into its body),
    /// an `async move` block uses what it captured in place.
    #[expect(clippy::manual_async_fn, reason = "an `async fn` would hold the request twice")]
    pub(super) fn execute_inner(
        &self,
        req: Request,
        span: tracing::Span,
    ) -> impl Future<Output = Result<RawResponse>> + Send + '_ {
        async move {
            let inner = &*self.inner;
            let total = req.timeout.or(inner.total_timeout);
            let call = Call {
                transport: self,
                req: &req,
                span: &span,
                // An absurd total timeout (`Duration::MAX`) is no deadline rather than a clock overflow.
                deadline: total.and_then(|t| Instant::now().checked_add(t)),
                total: total.unwrap_or_default(),
                limit: req.max_response_bytes.unwrap_or(inner.max_response_bytes),
                safe: req.is_retry_safe(),
                refreshed: AtomicBool::new(false),
                stale_retried: AtomicBool::new(false),
                attempts: AtomicU32::new(0),
                // Only read the clock for the span when a subscriber listens.
                started: (!span.is_disabled()).then(Instant::now),
            };
            let policy = req.retry.as_ref().unwrap_or(&inner.retry);
            let result = retry::run(policy, &inner.budget, call.deadline, |n| call.attempt(n)).await;
            match result {
                Ok(mut raw) => {
                    raw.meta.attempts = call.attempts.load(Ordering::Relaxed);
                    raw.context = Some(self.context_of(&req));
                    Ok(raw)
                }
                Err(e) => Err(e.with_context(self.context_of(&req))),
            }
        }
    }
}

/// An attempt's request, ready or waiting for its credentials.
enum Prepared {
    Ready(reqwest::Request, CredentialStamp),
    Wait(url::Url, HeaderMap),
}

/// What every attempt of one call shares.
struct Call<'a> {
    transport: &'a Transport,
    req: &'a Request,
    span: &'a tracing::Span,
    deadline: Option<Instant>,
    /// The total timeout, for the error that names it.
    total: std::time::Duration,
    limit: usize,
    safe: bool,
    refreshed: AtomicBool,
    stale_retried: AtomicBool,
    attempts: AtomicU32,
    started: Option<Instant>,
}

impl Call<'_> {
    /// Attempt number `n`.
    async fn attempt(&self, n: u32) -> Attempt<Result<RawResponse>> {
        let (t, req) = (self.transport, self.req);
        let inner = &*t.inner;
        self.attempts.store(n, Ordering::Relaxed);
        self.span.record("attempt", n);
        // Waiting (a rate limiter, a token to fetch) is rare; its state is boxed. A block, so that nothing
        // of it is held during the exchange.
        let (request, stamp) = {
            let prepared = match self.prepare() {
                Ok(Prepared::Ready(request, stamp)) => Ok((request, stamp)),
                Ok(Prepared::Wait(url, headers)) => Box::pin(self.wait_and_apply(url, headers)).await,
                Err(e) => Err(e),
            };
            match prepared {
                Ok(p) => p,
                Err(e) => return Attempt::Done(Err(e)),
            }
        };
        let outcome = self.exchange(request).await;
        if let Some(started) = self.started {
            self.span.record("latency_ms", started.elapsed().as_millis() as u64);
        }
        let ex = match outcome {
            Ok(ex) => ex,
            Err(failure) => return self.failed(failure),
        };
        self.span.record("status", ex.status);
        let (attempt, observed) = self.classify(ex, n, stamp);
        match (&inner.limiter, &inner.rate_budget, observed) {
            // Sharing what the answer said with the other processes is rare: its state, the outcome
            // included, is boxed.
            (Some(l), Some(budget), Some(rl)) => {
                Box::pin(async move {
                    l.share(req.method, &rl, &**budget).await;
                    attempt
                })
                .await
            }
            _ => attempt,
        }
    }

    /// The attempt's request with its credentials when they need no waiting (static keys, a fresh cached
    /// token) and no rate limiter is configured; else its URL and headers, for [`Call::wait_and_apply`].
    fn prepare(&self) -> Result<Prepared> {
        let (t, req) = (self.transport, self.req);
        let url = t.url_for(req)?;
        let mut headers = t.headers_for(req)?;
        let now = if t.inner.limiter.is_none() { t.apply_credentials_now(req, &mut headers) } else { None };
        Ok(match now {
            Some(stamp) => Prepared::Ready(reqwest_request(req.method, url, headers, &req.body), stamp?),
            None => Prepared::Wait(url, headers),
        })
    }

    /// Waits for the rate limiter, then applies credentials that may need waiting; the wait counts
    /// against the total timeout.
    async fn wait_and_apply(
        &self,
        url: url::Url,
        mut headers: HeaderMap,
    ) -> Result<(reqwest::Request, CredentialStamp)> {
        let (t, req) = (self.transport, self.req);
        let inner = &*t.inner;
        let setup = async {
            if let Some(l) = &inner.limiter {
                l.acquire_with(req.method, inner.rate_budget.as_deref()).await?;
            }
            t.apply_credentials(req, &mut headers).await
        };
        let stamp = match self.deadline {
            Some(d) => tokio::time::timeout_at(d, setup).await.unwrap_or_else(|_| Err(self.total_timeout()))?,
            None => setup.await?,
        };
        Ok((reqwest_request(req.method, url, headers, &req.body), stamp))
    }

    /// One exchange under one timer: the attempt's own timeout, or the call's total deadline if that comes
    /// first. Not an `async fn`, and it borrows nothing: the future is the exchange's and the timer's.
    fn exchange(
        &self,
        request: reqwest::Request,
    ) -> impl Future<Output = std::result::Result<Exchange, Failure>> + Send + use<> {
        let inner = &*self.transport.inner;
        let now = Instant::now();
        let own = now.checked_add(inner.request_timeout).unwrap_or(now + crate::ratelimit::MAX_SERVER_DURATION);
        let (until, total) = match self.deadline {
            Some(d) if d < own => (d, true),
            _ => (own, false),
        };
        let timed = tokio::time::timeout_at(until, exchange(inner.http.execute(request), self.limit));
        // A combinator, not an `async move` block: the block would hold `timed` twice (captured, and
        // pinned while awaited).
        timed.map(move |r| r.unwrap_or(Err(Failure::Timeout { total })))
    }

    fn total_timeout(&self) -> Error {
        Error::timeout(TimeoutKind::Total(self.total))
    }

    /// What an attempt that got no response decides.
    fn failed(&self, failure: Failure) -> Attempt<Result<RawResponse>> {
        let inner = &*self.transport.inner;
        match failure {
            Failure::TooLarge(t) => Attempt::Done(Err(Error::TooLarge(t))),
            Failure::Timeout { total: true } => Attempt::Done(Err(self.total_timeout())),
            Failure::Timeout { total: false } => {
                let err = Err(Error::timeout(TimeoutKind::Attempt(inner.request_timeout)));
                if self.safe {
                    Attempt::Retry { result: err, hint: None, cause: RetryCause::Timeout }
                } else {
                    Attempt::Done(err)
                }
            }
            Failure::Http(e) => {
                let stale = is_stale_connection(&e);
                let connect = e.is_connect();
                let err = Err(map_reqwest_error(e));
                if stale && !self.stale_retried.swap(true, Ordering::Relaxed) {
                    tracing::debug!("stale pooled connection; retrying once");
                    Attempt::RetryNow(err)
                } else if connect {
                    Attempt::Retry { result: err, hint: None, cause: RetryCause::NotSent }
                } else if self.safe {
                    Attempt::Retry { result: err, hint: None, cause: RetryCause::Transient }
                } else {
                    Attempt::Done(err)
                }
            }
        }
    }
}

/// The reqwest request, assembled directly (no builder merging headers); a retry shares the body's bytes.
fn reqwest_request(method: Method, url: url::Url, headers: HeaderMap, body: &Body) -> reqwest::Request {
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
    let body = read_body_limited(&mut resp, status, limit).await.map_err(|f| match f {
        ReadFailure::Http(e) => Failure::Http(e),
        ReadFailure::TooLarge(t) => Failure::TooLarge(t),
    })?;
    // Taken after the body is read, so they are not held while it is.
    let headers = std::mem::take(resp.headers_mut());
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

impl Call<'_> {
    /// Turns a response into the attempt's decision (a 2xx is done, a 429 or a transient status may be
    /// retried, a 401 is retried once with fresh credentials), with the rate limit it announced.
    fn classify(
        &self,
        ex: Exchange,
        attempt: u32,
        stamp: CredentialStamp,
    ) -> (Attempt<Result<RawResponse>>, Option<RateLimit>) {
        let inner = &*self.transport.inner;
        // One pass over the headers: rate-limit headers and the request id.
        let mut seen_rate_limit = false;
        let mut request_id: Option<(usize, &str)> = None;
        for (name, value) in &ex.headers {
            // Names compare as `HeaderName`s: a standard header (most of a response's) against a custom
            // request id header is one comparison, not a string's.
            if let Some(rank) = inner.request_id_headers.iter().position(|h| h == name) {
                if let (Ok(v), true) = (value.to_str(), request_id.is_none_or(|(r, _)| rank < r)) {
                    request_id = Some((rank, v));
                }
            } else if name == RETRY_AFTER || name.as_str().starts_with("x-ratelimit-") {
                seen_rate_limit = true;
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
        }
        let observed = rate_limit.clone();
        let meta = ResponseMeta { status: ex.status, request_id, rate_limit, attempts: attempt };
        (self.decide(ex, meta, stamp), observed)
    }

    /// The decision on a response whose headers are read into `meta`.
    fn decide(&self, ex: Exchange, meta: ResponseMeta, stamp: CredentialStamp) -> Attempt<Result<RawResponse>> {
        let (t, inner) = (self.transport, &*self.transport.inner);
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
        if status == 401 && !self.refreshed.swap(true, Ordering::Relaxed) && t.invalidate_credentials(self.req, stamp) {
            return Attempt::RetryNow(err);
        }
        if self.safe && matches!(status, 408 | 500 | 502 | 503 | 504) {
            return Attempt::Retry { result: err, hint: retry_after, cause: RetryCause::Transient };
        }
        Attempt::Done(err)
    }
}
