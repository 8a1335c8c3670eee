//! [`TransportBuilder`]: a transport's vendor name, configuration, credentials, encodings, error parser and
//! headers, checked once when the transport is built.

use std::sync::{Arc, Mutex};

use reqwest::header::{ACCEPT, HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use super::{Inner, Transport};
use crate::auth::Credentials;
use crate::config::ClientConfig;
use crate::error::{Error, ErrorBodyParser, Result};
use crate::http::{default_http_client, require_tls_for};
use crate::operation::Encodings;
use crate::ratelimit::{RateBudget, RateLimiter};
use crate::retry::RetryBudget;
use crate::subject::SubjectCredentials;

/// Builds a [`Transport`].
///
/// # Examples
///
/// ```
/// use carewire_core::{ClientConfig, Transport};
/// use carewire_core::auth::BearerToken;
///
/// let transport = Transport::builder("medtimes", ClientConfig::new("https://api.medtimes.health")?)
///     .credentials(BearerToken::new("sk_test_123")?)
///     .build()?;
/// assert_eq!(transport.vendor(), "medtimes");
/// assert!(!format!("{transport:?}").contains("sk_test_123"));
/// # Ok::<(), carewire_core::Error>(())
/// ```
pub struct TransportBuilder {
    pub(super) vendor: &'static str,
    pub(super) config: ClientConfig,
    pub(super) credentials: Arc<dyn Credentials>,
    pub(super) subjects: Option<Arc<dyn SubjectCredentials>>,
    pub(super) encodings: Encodings,
    pub(super) error_parser: Arc<dyn ErrorBodyParser>,
    pub(super) known_error_codes: &'static [&'static str],
    pub(super) idempotency_header: &'static str,
    pub(super) request_id_headers: Vec<&'static str>,
    pub(super) default_headers: Vec<(&'static str, String)>,
    pub(super) rate_budget: Option<Arc<dyn RateBudget>>,
}

impl TransportBuilder {
    /// Sets the credentials (default: none).
    pub fn credentials(mut self, credentials: impl Credentials) -> Self {
        self.credentials = Arc::new(credentials);
        self
    }
    /// Sets shared credentials.
    pub fn shared_credentials(mut self, credentials: Arc<dyn Credentials>) -> Self {
        self.credentials = credentials;
        self
    }
    /// Sets the per-subject credentials that requests of [`Scope::Subject`](crate::operation::Scope::Subject) are sent with (a patient's
    /// token from a [`SubjectTokenCache`](crate::subject::SubjectTokenCache)).
    pub fn subject_credentials(mut self, credentials: Arc<dyn SubjectCredentials>) -> Self {
        self.subjects = Some(credentials);
        self
    }
    /// How this client encodes bodies left to it and list-valued query parameters (default: JSON, comma
    /// separated); handed to every operation.
    pub fn encodings(mut self, encodings: Encodings) -> Self {
        self.encodings = encodings;
        self
    }
    /// Sets the vendor's error-body parser (default: [`DefaultErrorParser`](crate::DefaultErrorParser)).
    pub fn error_parser(mut self, parser: impl ErrorBodyParser) -> Self {
        self.error_parser = Arc::new(parser);
        self
    }
    /// The vendor's documented error codes: `Display` and `Debug` of an [`ApiError`](crate::ApiError) show a code from this
    /// list as is, and any other code only when it is shaped like a plain identifier (see
    /// [`ApiError::display_code`](crate::ApiError::display_code)), since a code can carry an id.
    pub fn known_error_codes(mut self, codes: &'static [&'static str]) -> Self {
        self.known_error_codes = codes;
        self
    }
    /// The header carrying the idempotency key (default `Idempotency-Key`).
    pub fn idempotency_header(mut self, name: &'static str) -> Self {
        self.idempotency_header = name;
        self
    }
    /// The response headers that may carry a request id, in order of preference.
    pub fn request_id_headers(mut self, names: Vec<&'static str>) -> Self {
        self.request_id_headers = names;
        self
    }
    /// A rate budget shared with other processes (replicas with the same credential), from a
    /// [`SharedState`](crate::shared::SharedState): the rate limiter takes each request from it too, and
    /// tells it what the vendor's rate-limit headers said. Without a rate limiter, the transport gets one
    /// with no windows of its own, so that a vendor's "spent" still pauses every process.
    pub fn rate_budget(mut self, budget: Arc<dyn RateBudget>) -> Self {
        self.rate_budget = Some(budget);
        self
    }
    /// A header sent on every request (for example a vendor's API version).
    pub fn default_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.default_headers.push((name, value.into()));
        self
    }

    /// Builds the transport.
    ///
    /// Fails with [`Error::Config`] when the base URL is plain `http://` to a host that is not loopback
    /// (unless [`ClientConfig::allow_insecure_http`] was called), or when it is `https://` and this build
    /// has no TLS backend (enable the `rustls`, `rustls-ring` or `native-tls` feature, or supply your own
    /// `reqwest::Client`).
    pub fn build(self) -> Result<Transport> {
        let c = self.config;
        crate::config::require_secure_url(&c.base_url, c.allow_insecure_http, "the base URL")?;
        let mut default_headers = HeaderMap::new();
        default_headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        default_headers.insert(
            USER_AGENT,
            HeaderValue::from_str(&c.user_agent)
                .map_err(|_| Error::config("the user agent is not a valid header value"))?,
        );
        for (name, value) in self.default_headers {
            let n =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::config("invalid default header name"))?;
            let v = HeaderValue::from_str(&value).map_err(|_| Error::config("invalid default header value"))?;
            default_headers.insert(n, v);
        }
        // A client of our own sends the default headers itself (a request's own header of the same name
        // wins, as reqwest fills in only what is missing), so a request does not copy them; your own client
        // gets them added to every request.
        let (http, default_headers) = if let Some(h) = c.http_client {
            (h, default_headers)
        } else {
            require_tls_for(&c.base_url)?;
            (default_http_client(c.connect_timeout, default_headers)?, HeaderMap::new())
        };
        let idempotency_header = HeaderName::from_bytes(self.idempotency_header.as_bytes())
            .map_err(|_| Error::config("invalid idempotency header name"))?;
        let request_id_headers = self
            .request_id_headers
            .iter()
            .map(|n| HeaderName::from_bytes(n.as_bytes()).map_err(|_| Error::config("invalid request id header name")))
            .collect::<Result<Vec<_>>>()?;
        let base_path = c.base_url.path().trim_end_matches('/').to_owned();
        Ok(Transport {
            inner: Arc::new(Inner {
                vendor: self.vendor,
                http,
                base: c.base_url,
                base_path,
                credentials: self.credentials,
                subjects: self.subjects,
                encodings: self.encodings,
                error_parser: self.error_parser,
                known_error_codes: self.known_error_codes,
                budget: RetryBudget::new(c.retry.budget),
                retry: c.retry,
                limiter: c.rate_limiter.or_else(|| self.rate_budget.as_ref().map(|_| Arc::new(RateLimiter::new()))),
                rate_budget: self.rate_budget,
                request_timeout: c.request_timeout,
                total_timeout: c.total_timeout,
                max_response_bytes: c.max_response_bytes,
                default_headers,
                idempotency_header,
                request_id_headers,
                last_rate_limit: Mutex::new(None),
            }),
        })
    }
}
