//! Client configuration shared by every vendor's `ClientBuilder`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::ratelimit::RateLimiter;
use crate::retry::RetryPolicy;

/// Everything a vendor client needs besides credentials: base URL, timeouts, user agent, retry policy,
/// rate limiter and, optionally, your own `reqwest::Client`.
///
/// Defaults: connect timeout 10 s, per-attempt timeout 30 s, total timeout 120 s (retries included),
/// [`RetryPolicy::default`], no client-side limiter.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use carewire_core::{ClientConfig, RetryPolicy};
///
/// let config = ClientConfig::new("https://api.healthstack.ng/v1")?
///     .request_timeout(Duration::from_secs(10))
///     .retry(RetryPolicy::default().max_retries(4));
/// assert_eq!(config.base_url().as_str(), "https://api.healthstack.ng/v1");
/// # Ok::<(), carewire_core::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientConfig {
    pub(crate) base_url: url::Url,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) total_timeout: Option<Duration>,
    pub(crate) user_agent: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) rate_limiter: Option<Arc<RateLimiter>>,
}

impl ClientConfig {
    /// A configuration for `base_url` (its own path, such as `/v1`, is kept when joining).
    pub fn new(base_url: &str) -> Result<Self> {
        Ok(Self {
            base_url: parse_base_url(base_url)?,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            total_timeout: Some(Duration::from_secs(120)),
            user_agent: format!("carewire/{}", env!("CARGO_PKG_VERSION")),
            retry: RetryPolicy::default(),
            http_client: None,
            rate_limiter: None,
        })
    }

    /// Replaces the base URL.
    pub fn base_url_str(mut self, base_url: &str) -> Result<Self> {
        self.base_url = parse_base_url(base_url)?;
        Ok(self)
    }
    /// The base URL.
    pub fn base_url(&self) -> &url::Url {
        &self.base_url
    }
    /// The connect timeout (ignored when you supply your own `reqwest::Client`).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }
    /// The timeout of one attempt, from sending to the end of the body.
    pub fn request_timeout(mut self, d: Duration) -> Self {
        self.request_timeout = d;
        self
    }
    /// The timeout of a whole call, retries and waits included (`None` for no limit).
    pub fn total_timeout(mut self, d: Option<Duration>) -> Self {
        self.total_timeout = d;
        self
    }
    /// The `User-Agent` header.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }
    /// The retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }
    /// The retry policy in use.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }
    /// Uses your own `reqwest::Client` (proxies, custom TLS). Its redirect policy is then yours: carewire's
    /// own client never follows a redirect to another host.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }
    /// Sets or removes the client-side rate limiter.
    pub fn rate_limiter(mut self, limiter: Option<Arc<RateLimiter>>) -> Self {
        self.rate_limiter = limiter;
        self
    }
    /// The client-side rate limiter, if any.
    pub fn rate_limiter_ref(&self) -> Option<&Arc<RateLimiter>> {
        self.rate_limiter.as_ref()
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url.as_str())
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http_client.is_some())
            .field("rate_limiter", &self.rate_limiter.is_some())
            .finish()
    }
}

fn parse_base_url(s: &str) -> Result<url::Url> {
    let url = url::Url::parse(s.trim()).map_err(|_| Error::config("the base URL is not a valid absolute URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::config("the base URL must use http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config("the base URL must not have a query or fragment"));
    }
    if url.cannot_be_a_base() || url.host_str().is_none() {
        return Err(Error::config("the base URL has no host"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_base_urls() {
        for bad in ["", "api.example.com", "ftp://x.y", "https://x.y/v1?a=b", "mailto:a@b"] {
            assert!(matches!(ClientConfig::new(bad), Err(Error::Config(_))), "{bad}");
        }
        assert!(ClientConfig::new(" https://x.y/v1/ ").is_ok());
    }
}
