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
/// [`RetryPolicy::default`], no client-side limiter, response bodies up to
/// [`DEFAULT_MAX_RESPONSE_BYTES`] (16 MiB), and `https` only: a plain `http://` base URL is refused when the
/// transport is built unless its host is loopback (`127.0.0.0/8`, `::1`, `localhost`) or you call
/// [`ClientConfig::allow_insecure_http`].
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
    pub(crate) max_response_bytes: usize,
    pub(crate) allow_insecure_http: bool,
}

/// The default limit on a response body: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

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
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
        })
    }

    /// The largest response body carewire reads (default [`DEFAULT_MAX_RESPONSE_BYTES`], 16 MiB). A larger
    /// declared `Content-Length` is refused before reading; a chunked body is cut off at the limit. Either
    /// way the call fails with [`Error::TooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }
    /// The response body limit in force.
    pub fn max_response_bytes_value(&self) -> usize {
        self.max_response_bytes
    }
    /// Allows a plain `http://` base URL to a host that is not loopback. Credentials and patient data then
    /// travel in clear text: use it only behind a TLS-terminating proxy you control.
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }
    /// Whether [`ClientConfig::allow_insecure_http`] was called.
    pub fn insecure_http_allowed(&self) -> bool {
        self.allow_insecure_http
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
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

/// Checks that `url` may carry credentials: `https`, or `http` to a loopback host, or `http` anywhere when
/// `allow_insecure` is set. `what` names the URL in the error ("the base URL", "the token URL").
///
/// # Examples
///
/// ```
/// use carewire_core::config::require_secure_url;
///
/// let url = |s| url::Url::parse(s).unwrap();
/// assert!(require_secure_url(&url("https://api.medtimes.health"), false, "the base URL").is_ok());
/// assert!(require_secure_url(&url("http://127.0.0.1:8080"), false, "the base URL").is_ok());
/// assert!(require_secure_url(&url("http://localhost:8080"), false, "the base URL").is_ok());
/// assert!(require_secure_url(&url("http://[::1]:8080"), false, "the base URL").is_ok());
/// let err = require_secure_url(&url("http://api.medtimes.health"), false, "the base URL").unwrap_err();
/// assert!(err.to_string().contains("allow_insecure_http"));
/// assert!(require_secure_url(&url("http://api.medtimes.health"), true, "the base URL").is_ok());
/// ```
pub fn require_secure_url(url: &url::Url, allow_insecure: bool, what: &'static str) -> Result<()> {
    if url.scheme() == "https" || allow_insecure || is_loopback(url) {
        return Ok(());
    }
    Err(Error::config(format!(
        "{what} uses http:// to a host that is not loopback, which would send credentials and patient data \
         in clear text; use https, or opt in with `allow_insecure_http()`"
    )))
}

/// Whether the URL's host is loopback: `localhost`, `127.0.0.0/8` or `::1`.
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Whether this build of carewire-core has a TLS backend (one of the features `rustls`, `rustls-ring`,
/// `native-tls`). Without one, an `https` URL cannot be reached with carewire's own HTTP client, and
/// building a transport for one is a configuration error.
pub const fn tls_compiled_in() -> bool {
    cfg!(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))
}

/// The transport settings every vendor's `ClientBuilder` accepts, each optional: whatever is not set keeps
/// [`ClientConfig`]'s default (or the vendor's, such as Docplanner's documented rate limiter).
///
/// A vendor builder holds one `Settings`, exposes its setters with [`settings_setters!`](crate::settings_setters)
/// and, in `build()`, calls [`Settings::apply`] on a fresh [`ClientConfig`]. It holds no secrets, and its
/// `Debug` shows only whether a custom `reqwest::Client` or rate limiter was given.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use carewire_core::{ClientConfig, RateLimiter, RetryPolicy, Settings};
///
/// let settings = Settings::default()
///     .request_timeout(Duration::from_secs(5))
///     .total_timeout(None)
///     .retry(RetryPolicy::default().max_retries(4))
///     .rate_limiter(Arc::new(RateLimiter::new()));
/// assert!(settings.rate_limiter_setting().is_some());
///
/// let config = settings.apply(ClientConfig::new("https://api.healthstack.ng/v1")?);
/// assert_eq!(config.retry_policy().max_retries_value(), 4);
/// assert!(config.rate_limiter_ref().is_some());
/// # Ok::<(), carewire_core::Error>(())
/// ```
#[derive(Clone, Default)]
#[allow(clippy::option_option)] // the outer `None` means "not set", distinct from a set `None`
pub struct Settings {
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    total_timeout: Option<Option<Duration>>,
    user_agent: Option<String>,
    retry: Option<RetryPolicy>,
    http_client: Option<reqwest::Client>,
    rate_limiter: Option<Option<Arc<RateLimiter>>>,
    max_response_bytes: Option<usize>,
    allow_insecure_http: bool,
}

impl Settings {
    /// The largest response body read (default 16 MiB); see [`ClientConfig::max_response_bytes`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }
    /// Allows `http://` to hosts that are not loopback; see [`ClientConfig::allow_insecure_http`].
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }
    /// Whether [`Settings::allow_insecure_http`] was called (vendors apply it to their token URLs too).
    pub fn insecure_http_allowed(&self) -> bool {
        self.allow_insecure_http
    }
    /// The connect timeout (ignored when you supply your own `reqwest::Client`).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }
    /// The timeout of one attempt, from sending to the end of the body.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }
    /// The timeout of a whole call, retries and waits included (`None` for no limit).
    pub fn total_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.total_timeout = Some(timeout);
        self
    }
    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }
    /// The retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
    /// Uses your own `reqwest::Client` (proxies, custom TLS).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }
    /// A client-side rate limiter (replacing any default one).
    pub fn rate_limiter(mut self, limiter: Arc<RateLimiter>) -> Self {
        self.rate_limiter = Some(Some(limiter));
        self
    }
    /// No client-side rate limiter, not even a vendor's default one.
    pub fn disable_rate_limiter(mut self) -> Self {
        self.rate_limiter = Some(None);
        self
    }

    /// The retry policy, if one was set.
    pub fn retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }
    /// The rate-limiter setting: `None` if neither [`Settings::rate_limiter`] nor
    /// [`Settings::disable_rate_limiter`] was called, `Some(None)` if disabled, `Some(Some(_))` if set.
    #[allow(clippy::option_option)]
    pub fn rate_limiter_setting(&self) -> Option<Option<&Arc<RateLimiter>>> {
        self.rate_limiter.as_ref().map(Option::as_ref)
    }

    /// `config` with every setting that was set applied; the others keep `config`'s values.
    pub fn apply(self, mut config: ClientConfig) -> ClientConfig {
        config.connect_timeout = self.connect_timeout.unwrap_or(config.connect_timeout);
        config.request_timeout = self.request_timeout.unwrap_or(config.request_timeout);
        config.total_timeout = self.total_timeout.unwrap_or(config.total_timeout);
        config.user_agent = self.user_agent.unwrap_or(config.user_agent);
        config.retry = self.retry.unwrap_or(config.retry);
        config.http_client = self.http_client.or(config.http_client);
        config.rate_limiter = self.rate_limiter.unwrap_or(config.rate_limiter);
        config.max_response_bytes = self.max_response_bytes.unwrap_or(config.max_response_bytes);
        config.allow_insecure_http |= self.allow_insecure_http;
        config
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rate_limiter = match &self.rate_limiter {
            None => "unset",
            Some(None) => "disabled",
            Some(Some(_)) => "set",
        };
        f.debug_struct("Settings")
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http_client.is_some())
            .field("rate_limiter", &rate_limiter)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

/// Generates a vendor `ClientBuilder`'s transport setters, delegating to one of its fields of type
/// [`Settings`]: `connect_timeout`, `request_timeout`, `total_timeout`, `user_agent`, `retry`, `http_client`,
/// `rate_limiter`, `max_response_bytes` and `allow_insecure_http`, each documented and with the signature of the [`Settings`] method of that name.
///
/// Invoke it inside the builder's `impl` block, with the field's name; the builder's `build()` then calls
/// [`Settings::apply`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use carewire_core::{ClientConfig, Result, Settings};
///
/// /// A vendor's builder.
/// #[derive(Default)]
/// pub struct ClientBuilder {
///     base_url: Option<String>,
///     settings: Settings,
/// }
///
/// impl ClientBuilder {
///     carewire_core::settings_setters!(settings);
///
///     /// The base URL.
///     pub fn base_url(mut self, url: impl Into<String>) -> Self {
///         self.base_url = Some(url.into());
///         self
///     }
///
///     /// The configuration a `Transport` is built from.
///     pub fn config(self) -> Result<ClientConfig> {
///         let base = self.base_url.as_deref().unwrap_or("https://api.example.com");
///         Ok(self.settings.apply(ClientConfig::new(base)?))
///     }
/// }
///
/// let config = ClientBuilder::default()
///     .request_timeout(Duration::from_secs(5))
///     .user_agent("my-app/1.0")
///     .config()?;
/// assert_eq!(config.base_url().as_str(), "https://api.example.com/");
/// # Ok::<(), carewire_core::Error>(())
/// ```
#[macro_export]
macro_rules! settings_setters {
    ($field:ident) => {
        /// The connect timeout (default 10 s; ignored when you supply your own `reqwest::Client`).
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$field = self.$field.connect_timeout(timeout);
            self
        }

        /// The timeout of one attempt, from sending to the end of the body (default 30 s).
        pub fn request_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$field = self.$field.request_timeout(timeout);
            self
        }

        /// The timeout of a whole call, retries and waits included (default 120 s; `None` for no limit).
        pub fn total_timeout(mut self, timeout: ::std::option::Option<::std::time::Duration>) -> Self {
            self.$field = self.$field.total_timeout(timeout);
            self
        }

        /// The `User-Agent` header (default `carewire/<version>`).
        pub fn user_agent(mut self, user_agent: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.$field = self.$field.user_agent(user_agent);
            self
        }

        /// The retry policy (default `RetryPolicy::default()`).
        pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
            self.$field = self.$field.retry(policy);
            self
        }

        /// Uses your own `reqwest::Client` (proxies, custom TLS). Its redirect policy is then yours:
        /// carewire's own client never follows a redirect to another host.
        pub fn http_client(mut self, client: $crate::reqwest::Client) -> Self {
            self.$field = self.$field.http_client(client);
            self
        }

        /// A client-side rate limiter, which clients may share; it replaces the vendor's default limiter,
        /// if any.
        pub fn rate_limiter(mut self, limiter: ::std::sync::Arc<$crate::RateLimiter>) -> Self {
            self.$field = self.$field.rate_limiter(limiter);
            self
        }

        /// The largest response body read (default 16 MiB). A larger answer fails with
        /// `Error::TooLarge` before it is buffered; raise the limit here, or per call.
        pub fn max_response_bytes(mut self, limit: usize) -> Self {
            self.$field = self.$field.max_response_bytes(limit);
            self
        }

        /// Allows plain `http://` base and token URLs to hosts that are not loopback. Credentials and
        /// patient data then travel in clear text: use it only behind a TLS-terminating proxy you control.
        pub fn allow_insecure_http(mut self) -> Self {
            self.$field = self.$field.allow_insecure_http();
            self
        }
    };
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
    fn loopback_hosts() {
        for ok in
            ["http://127.0.0.1:1", "http://127.8.9.10", "http://localhost", "http://LOCALHOST:9", "http://[::1]:80"]
        {
            assert!(is_loopback(&url::Url::parse(ok).unwrap()), "{ok}");
        }
        for no in ["http://10.0.0.1", "http://localhost.evil.com", "http://[::2]", "http://128.0.0.1", "http://api.x"] {
            assert!(!is_loopback(&url::Url::parse(no).unwrap()), "{no}");
        }
    }

    #[test]
    fn settings_carry_the_hardening_options() {
        let config = Settings::default()
            .max_response_bytes(1024)
            .allow_insecure_http()
            .apply(ClientConfig::new("http://api.example.com").unwrap());
        assert_eq!(config.max_response_bytes_value(), 1024);
        assert!(config.insecure_http_allowed());
        let config = Settings::default().apply(ClientConfig::new("https://api.example.com").unwrap());
        assert_eq!(config.max_response_bytes_value(), DEFAULT_MAX_RESPONSE_BYTES);
        assert!(!config.insecure_http_allowed());
    }

    #[test]
    fn rejects_bad_base_urls() {
        for bad in ["", "api.example.com", "ftp://x.y", "https://x.y/v1?a=b", "mailto:a@b"] {
            assert!(matches!(ClientConfig::new(bad), Err(Error::Config(_))), "{bad}");
        }
        assert!(ClientConfig::new(" https://x.y/v1/ ").is_ok());
    }

    #[test]
    fn apply_leaves_unset_settings_at_the_defaults() {
        let config = Settings::default().apply(ClientConfig::new("https://x.y/v1").unwrap());
        let default = ClientConfig::new("https://x.y/v1").unwrap();
        assert_eq!(config.connect_timeout, default.connect_timeout);
        assert_eq!(config.request_timeout, default.request_timeout);
        assert_eq!(config.total_timeout, default.total_timeout);
        assert_eq!(config.user_agent, default.user_agent);
        assert_eq!(config.retry, default.retry);
        assert!(config.http_client.is_none());
        assert!(config.rate_limiter.is_none());
        assert_eq!(config.base_url, default.base_url);
    }

    #[test]
    fn apply_sets_each_field() {
        let limiter = Arc::new(RateLimiter::new());
        let settings = Settings::default()
            .connect_timeout(Duration::from_secs(1))
            .request_timeout(Duration::from_secs(2))
            .total_timeout(Some(Duration::from_secs(3)))
            .user_agent("agent/1")
            .retry(RetryPolicy::none())
            .http_client(reqwest::Client::new())
            .rate_limiter(Arc::clone(&limiter));
        assert_eq!(settings.retry_policy(), Some(&RetryPolicy::none()));
        let config = settings.apply(ClientConfig::new("https://x.y").unwrap());
        assert_eq!(config.connect_timeout, Duration::from_secs(1));
        assert_eq!(config.request_timeout, Duration::from_secs(2));
        assert_eq!(config.total_timeout, Some(Duration::from_secs(3)));
        assert_eq!(config.user_agent, "agent/1");
        assert_eq!(config.retry, RetryPolicy::none());
        assert!(config.http_client.is_some());
        assert!(Arc::ptr_eq(config.rate_limiter.as_ref().unwrap(), &limiter));
    }

    #[test]
    fn total_timeout_and_rate_limiter_can_be_set_to_none() {
        let base = || ClientConfig::new("https://x.y").unwrap().rate_limiter(Some(Arc::new(RateLimiter::new())));
        let settings = Settings::default().total_timeout(None).disable_rate_limiter();
        assert!(matches!(settings.rate_limiter_setting(), Some(None)));
        let config = settings.apply(base());
        assert_eq!(config.total_timeout, None);
        assert!(config.rate_limiter.is_none());
        // Unset keeps what the config had (a vendor's default limiter).
        assert!(Settings::default().rate_limiter_setting().is_none());
        assert!(Settings::default().apply(base()).rate_limiter.is_some());
        let set = Settings::default().rate_limiter(Arc::new(RateLimiter::new()));
        assert!(matches!(set.rate_limiter_setting(), Some(Some(_))));
    }

    #[test]
    fn settings_debug_is_terse() {
        let settings = Settings::default().http_client(reqwest::Client::new()).disable_rate_limiter();
        let debug = format!("{settings:?}");
        assert!(debug.contains("custom_http_client: true"), "{debug}");
        assert!(debug.contains("rate_limiter: \"disabled\""), "{debug}");
    }

    /// A builder using the generated setters.
    #[derive(Default)]
    struct Builder {
        settings: Settings,
    }

    #[allow(unreachable_pub)] // the generated setters are `pub`, as in a vendor's public builder
    impl Builder {
        crate::settings_setters!(settings);
    }

    #[test]
    fn generated_setters_delegate() {
        let config = Builder::default()
            .connect_timeout(Duration::from_secs(4))
            .request_timeout(Duration::from_secs(5))
            .total_timeout(None)
            .user_agent(String::from("ua"))
            .retry(RetryPolicy::none())
            .http_client(reqwest::Client::new())
            .rate_limiter(Arc::new(RateLimiter::new()))
            .max_response_bytes(77)
            .allow_insecure_http()
            .settings
            .apply(ClientConfig::new("https://x.y").unwrap());
        assert_eq!(config.max_response_bytes, 77);
        assert!(config.allow_insecure_http);
        assert_eq!(config.connect_timeout, Duration::from_secs(4));
        assert_eq!(config.request_timeout, Duration::from_secs(5));
        assert_eq!(config.total_timeout, None);
        assert_eq!(config.user_agent, "ua");
        assert_eq!(config.retry, RetryPolicy::none());
        assert!(config.http_client.is_some());
        assert!(config.rate_limiter.is_some());
    }
}
