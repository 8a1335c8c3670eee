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
}

impl Settings {
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
            .finish()
    }
}

/// Generates a vendor `ClientBuilder`'s transport setters, delegating to one of its fields of type
/// [`Settings`]: `connect_timeout`, `request_timeout`, `total_timeout`, `user_agent`, `retry`, `http_client`
/// and `rate_limiter`, each documented and with the signature of the [`Settings`] method of that name.
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
            .settings
            .apply(ClientConfig::new("https://x.y").unwrap());
        assert_eq!(config.connect_timeout, Duration::from_secs(4));
        assert_eq!(config.request_timeout, Duration::from_secs(5));
        assert_eq!(config.total_timeout, None);
        assert_eq!(config.user_agent, "ua");
        assert_eq!(config.retry, RetryPolicy::none());
        assert!(config.http_client.is_some());
        assert!(config.rate_limiter.is_some());
    }
}
