//! [`Client`], [`ClientBuilder`] and [`Locale`].

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use carewire_core::auth::{ClientAuthStyle, OAuth2ClientCredentials, TokenCache};
use carewire_core::operation::{Call, Encodings, Operation};
use carewire_core::redact::Redacted;
use carewire_core::secret::SecretString;
use carewire_core::shared::SharedState;
use carewire_core::{
    ClientConfig, Error, MethodClass, RateLimit, RateLimiter, Request, Response, Result, Settings, Transport,
};
use serde::de::DeserializeOwned;

use crate::common::WithEncoding;
use crate::facilities::{FacilitiesHandler, FacilityHandler};
use crate::insurance::InsuranceProvidersDictionary;
use crate::notifications::NotificationsHandler;
use crate::services::ServicesDictionary;

/// One of the 13 Docplanner country sites. Each has its own domain, API and token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Locale {
    /// Argentina, `doctoraliar.com`.
    Ar,
    /// Brazil, `doctoralia.com.br`.
    Br,
    /// Chile, `doctoralia.cl`.
    Cl,
    /// Colombia, `doctoralia.co`.
    Co,
    /// Czech Republic, `znamylekar.cz`.
    Cz,
    /// Spain, `doctoralia.es`.
    Es,
    /// Italy, `miodottore.it`.
    It,
    /// Mexico, `doctoralia.mx`.
    Mx,
    /// Peru, `doctoralia.pe`.
    Pe,
    /// Portugal, `doctoralia.com.pt`.
    Pt,
    /// Turkey, `doktortakvimi.com`.
    Tr,
    /// Poland, `znanylekarz.pl`.
    Pl,
    /// Germany, `jameda.de`.
    De,
}

impl Locale {
    /// Every locale.
    pub const ALL: [Locale; 13] = [
        Self::Ar,
        Self::Br,
        Self::Cl,
        Self::Co,
        Self::Cz,
        Self::Es,
        Self::It,
        Self::Mx,
        Self::Pe,
        Self::Pt,
        Self::Tr,
        Self::Pl,
        Self::De,
    ];

    /// The locale code, such as `"pl"`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ar => "ar",
            Self::Br => "br",
            Self::Cl => "cl",
            Self::Co => "co",
            Self::Cz => "cz",
            Self::Es => "es",
            Self::It => "it",
            Self::Mx => "mx",
            Self::Pe => "pe",
            Self::Pt => "pt",
            Self::Tr => "tr",
            Self::Pl => "pl",
            Self::De => "de",
        }
    }

    /// The site's domain, such as `"znanylekarz.pl"`.
    pub fn domain(self) -> &'static str {
        match self {
            Self::Ar => "doctoraliar.com",
            Self::Br => "doctoralia.com.br",
            Self::Cl => "doctoralia.cl",
            Self::Co => "doctoralia.co",
            Self::Cz => "znamylekar.cz",
            Self::Es => "doctoralia.es",
            Self::It => "miodottore.it",
            Self::Mx => "doctoralia.mx",
            Self::Pe => "doctoralia.pe",
            Self::Pt => "doctoralia.com.pt",
            Self::Tr => "doktortakvimi.com",
            Self::Pl => "znanylekarz.pl",
            Self::De => "jameda.de",
        }
    }

    /// `https://www.{domain}/api/v3/integration`.
    pub fn api_base_url(self) -> String {
        format!("https://www.{}/api/v3/integration", self.domain())
    }

    /// `https://www.{domain}/oauth/v2/token`.
    pub fn token_url(self) -> String {
        format!("https://www.{}/oauth/v2/token", self.domain())
    }

    /// Where Docplanner publishes the IP addresses its push notifications come from
    /// (`https://www.{domain}/public/docs/public-ips.json`); re-fetch it daily to maintain an allowlist.
    pub fn public_ips_url(self) -> String {
        format!("https://www.{}/public/docs/public-ips.json", self.domain())
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Locale {
    type Err = Error;

    /// Parses a locale code (`"pl"`, case-insensitive) or a domain (`"znanylekarz.pl"`, `"www.jameda.de"`).
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase();
        let s = s.strip_prefix("www.").unwrap_or(&s);
        Self::ALL.into_iter().find(|l| l.code() == s || l.domain() == s).ok_or_else(|| {
            Error::config(
                "unknown Docplanner locale (expected one of ar, br, cl, co, cz, es, it, mx, pe, pt, tr, pl, de)",
            )
        })
    }
}

/// The documented budgets as a client-side limiter: 8,000 GET per hour and 40 writes
/// (POST, PUT, PATCH, DELETE) per minute. It also pauses every call when a response says
/// `X-RateLimit-Remaining: 0`, until `X-RateLimit-Reset`.
pub fn documented_rate_limiter() -> RateLimiter {
    RateLimiter::new().budget(MethodClass::Read, 8_000, Duration::from_secs(3600)).budget(
        MethodClass::Write,
        40,
        Duration::from_secs(60),
    )
}

/// Builds a [`Client`].
///
/// # Examples
///
/// ```
/// use carewire::docplanner::{Client, Locale};
///
/// let client = Client::builder()
///     .locale(Locale::Pl)
///     .credentials("client-id", "client-secret")
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://www.znanylekarz.pl/api/v3/integration");
/// assert_eq!(client.token_url(), "https://www.znanylekarz.pl/oauth/v2/token");
/// # Ok::<(), carewire::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder {
    locale: Option<Locale>,
    base_url: Option<String>,
    token_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    auth_style: ClientAuthStyle,
    with_encoding: WithEncoding,
    // Transport settings; an unset rate limiter means `documented_rate_limiter()`.
    settings: Settings,
    refresh_ahead: Duration,
    shared: Option<Arc<dyn SharedState>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("locale", &self.locale)
            .field("base_url", &self.base_url)
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &Redacted(&self.client_secret))
            .field("with_encoding", &self.with_encoding)
            .field("settings", &self.settings)
            .field("shared_state", &self.shared)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            locale: None,
            base_url: None,
            token_url: None,
            client_id: None,
            client_secret: None,
            auth_style: ClientAuthStyle::BasicHeader,
            with_encoding: WithEncoding::default(),
            settings: Settings::default(),
            refresh_ahead: Duration::from_secs(60),
            shared: None,
        }
    }
}

impl ClientBuilder {
    carewire_core::settings_setters!(settings);

    /// A builder preloaded from the environment (see [`Client::from_env`]), to adjust before building.
    ///
    /// ```no_run
    /// use carewire::docplanner::ClientBuilder;
    ///
    /// let client = ClientBuilder::from_env()?.disable_rate_limiter().build()?;
    /// # Ok::<(), carewire::Error>(())
    /// ```
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading the same variable names through `lookup` (a config file, a
    /// secrets manager, a test).
    ///
    /// ```
    /// use carewire::docplanner::ClientBuilder;
    ///
    /// let vars = [("DOCPLANNER_CLIENT_ID", "id"), ("DOCPLANNER_CLIENT_SECRET", "secret"), ("DOCPLANNER_LOCALE", "es")];
    /// let lookup = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned());
    /// let client = ClientBuilder::from_vars(lookup)?.build()?;
    /// assert_eq!(client.base_url().as_str(), "https://www.doctoralia.es/api/v3/integration");
    /// # Ok::<(), carewire::Error>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let id = var("DOCPLANNER_CLIENT_ID").ok_or_else(|| Error::config("DOCPLANNER_CLIENT_ID is not set"))?;
        let secret =
            var("DOCPLANNER_CLIENT_SECRET").ok_or_else(|| Error::config("DOCPLANNER_CLIENT_SECRET is not set"))?;
        let mut b = Client::builder().credentials(id, secret);
        if let Some(l) = var("DOCPLANNER_LOCALE") {
            b = b.locale(l.parse()?);
        }
        match var("DOCPLANNER_BASE_URL") {
            Some(url) => b = b.base_url(url),
            None if b.locale.is_none() => {
                return Err(Error::config("DOCPLANNER_LOCALE (or DOCPLANNER_BASE_URL) is not set"));
            }
            None => {}
        }
        Ok(b)
    }

    /// The country site to talk to (sets the API base and the token URL).
    pub fn locale(mut self, locale: Locale) -> Self {
        self.locale = Some(locale);
        self
    }

    /// A custom API base URL (a proxy, the testkit sandbox), such as `http://127.0.0.1:8080/api/v3/integration`.
    /// Unless [`ClientBuilder::token_url`] is set, the token URL follows it: `{origin}/oauth/v2/token`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// A custom OAuth2 token URL.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// The OAuth2 client credentials Docplanner issued.
    pub fn credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<SecretString>) -> Self {
        self.client_id = Some(client_id.into());
        self.client_secret = Some(client_secret.into());
        self
    }

    /// How the client id and secret are sent to the token endpoint: HTTP Basic (default, as documented) or in
    /// the form body (as the official PHP SDK does).
    pub fn auth_style(mut self, style: ClientAuthStyle) -> Self {
        self.auth_style = style;
        self
    }

    /// How `with` extensions are encoded (default: comma-separated, like the official SDK): core's list
    /// encoding of the transport, used by every operation that takes `with`.
    pub fn with_encoding(mut self, encoding: WithEncoding) -> Self {
        self.with_encoding = encoding;
        self
    }

    /// Sets the client-side budgets, for clients whose limits Docplanner raised.
    pub fn rate_limits(self, reads_per_hour: usize, writes_per_minute: usize) -> Self {
        self.rate_limiter(Arc::new(
            RateLimiter::new().budget(MethodClass::Read, reads_per_hour, Duration::from_secs(3600)).budget(
                MethodClass::Write,
                writes_per_minute,
                Duration::from_secs(60),
            ),
        ))
    }

    /// Turns the client-side rate limiter off (the API's own 429s are still retried). The default limiter
    /// is [`documented_rate_limiter`]; [`ClientBuilder::rate_limiter`] replaces it.
    pub fn disable_rate_limiter(mut self) -> Self {
        self.settings = self.settings.disable_rate_limiter();
        self
    }

    /// How long before expiry the token is renewed (default 60 s).
    pub fn refresh_ahead(mut self, d: Duration) -> Self {
        self.refresh_ahead = d;
        self
    }

    /// Shares this client's rate budget and OAuth2 token with every replica of your deployment that uses the
    /// same state (a `carewire_redis::RedisState`) and the same client id and token URL: the documented
    /// budgets (or your limiter's) hold for all replicas together, a spent window reported to one pauses
    /// all, and one replica fetches the token when it is due while the others read it from the state.
    ///
    /// ```no_run
    /// use carewire::core::shared::SharedState;
    /// use carewire::docplanner::{Client, Locale};
    ///
    /// // `state`: a `carewire_redis::RedisState`, for one.
    /// fn client(state: impl SharedState) -> carewire::Result<Client> {
    ///     Client::builder().locale(Locale::Pl).credentials("client-id", "secret").shared_state(state).build()
    /// }
    /// ```
    pub fn shared_state(mut self, state: impl SharedState) -> Self {
        self.shared = Some(Arc::new(state));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let base = match (&self.base_url, self.locale) {
            (Some(url), _) => url.trim().trim_end_matches('/').to_owned(),
            (None, Some(locale)) => locale.api_base_url(),
            (None, None) => return Err(Error::config("a Docplanner locale or base URL is required")),
        };
        let mut settings = self.settings;
        if settings.rate_limiter_setting().is_none() {
            settings = settings.rate_limiter(Arc::new(documented_rate_limiter()));
        }
        // Token requests get the same timeouts, retries, user agent and HTTP client, but not the API's limiter.
        let token_settings = settings.clone().disable_rate_limiter();
        let config = settings.apply(ClientConfig::new(&base)?);
        let token_url = if let Some(t) = &self.token_url {
            t.clone()
        } else if self.base_url.is_some() {
            format!("{}/oauth/v2/token", config.base_url().origin().ascii_serialization())
        } else {
            self.locale.map(Locale::token_url).unwrap_or_default()
        };
        let (Some(id), Some(secret)) = (self.client_id, self.client_secret) else {
            return Err(Error::config("Docplanner client credentials (client id and secret) are required"));
        };
        let namespace = carewire_core::shared::namespace(crate::VENDOR, &format!("{token_url}\n{id}"));
        // The token URL follows the same https rule as the base URL (and the same explicit opt-out).
        let source = if config.insecure_http_allowed() {
            OAuth2ClientCredentials::new_allowing_insecure_http(&token_url, id, secret)?
        } else {
            OAuth2ClientCredentials::new(&token_url, id, secret)?
        };
        let source =
            source.scope("integration").auth_style(self.auth_style).settings(token_settings).vendor(crate::VENDOR);
        let mut credentials = TokenCache::new(source).refresh_ahead(self.refresh_ahead);
        if let Some(shared) = &self.shared {
            credentials = credentials.shared_store(shared.token_store(&namespace), "client");
        }
        let encodings = Encodings { lists: self.with_encoding.lists(), ..Encodings::default() };
        let mut transport = Transport::builder(crate::VENDOR, config);
        if let Some(shared) = &self.shared {
            transport = transport.rate_budget(shared.rate_budget(&namespace));
        }
        let transport = transport
            .credentials(credentials)
            .encodings(encodings)
            .error_parser(crate::error::SHAPE)
            .default_header(
                "accept",
                "application/vnd.docplanner+json, application/vnd.error+docplanner+json, application/json",
            )
            .build()?;
        Ok(Client { transport, with_encoding: self.with_encoding, locale: self.locale, token_url: token_url.into() })
    }
}

/// The Docplanner Integrations API client. Cheap to clone (an `Arc` inside); share one per locale.
///
/// Navigate with handles: `client.facility("1").doctor("123").address("111").slots()`. Every typed call is an
/// operation value ([`OPERATIONS`](crate::OPERATIONS) lists them); handles build them, and [`Client::send`] sends
/// one you built yourself.
#[derive(Clone)]
pub struct Client {
    transport: Transport,
    with_encoding: WithEncoding,
    locale: Option<Locale>,
    token_url: Arc<str>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("locale", &self.locale)
            .field("transport", &self.transport)
            .field("with_encoding", &self.with_encoding)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for `locale` with these credentials and the default settings.
    pub fn new(locale: Locale, client_id: impl Into<String>, client_secret: impl Into<SecretString>) -> Result<Self> {
        Self::builder().locale(locale).credentials(client_id, client_secret).build()
    }

    /// A client from the environment: `DOCPLANNER_CLIENT_ID`, `DOCPLANNER_CLIENT_SECRET`, `DOCPLANNER_LOCALE`
    /// (a code such as `pl` or a domain) and, optionally, `DOCPLANNER_BASE_URL` (then the locale may be omitted
    /// and the token URL is `{origin of the base URL}/oauth/v2/token`). [`ClientBuilder::from_env`] gives the
    /// builder instead, to adjust before building.
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    /// The locale, when the client was built with one.
    pub fn locale(&self) -> Option<Locale> {
        self.locale
    }

    /// The API base URL.
    pub fn base_url(&self) -> &url::Url {
        self.transport.base_url()
    }

    /// The OAuth2 token URL.
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    /// The latest `X-RateLimit-*` headers any response carried.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.transport.rate_limit()
    }

    /// The client-side rate limiter, if enabled.
    pub fn rate_limiter(&self) -> Option<&Arc<RateLimiter>> {
        self.transport.rate_limiter()
    }

    /// The underlying transport.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// How `with` extensions are encoded.
    pub fn with_encoding(&self) -> WithEncoding {
        self.with_encoding
    }

    /// A call of any operation: what every handle method returns, for an operation value you built. Set
    /// per-call options on it (`.timeout(..)`, `.idempotency_key(..)`, `.retry(..)`, `.header(..)`,
    /// `.with(..)` where the operation takes extensions), then `.await` it, or `.send_with_meta()` for the
    /// status, request id and rate limit too.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use carewire::docplanner::{AddressPath, BookingWith, Client, GetBooking};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let op = GetBooking::new(AddressPath::new("1", "123", "111"), "2134124");
    /// let answer = client.send(op).with(BookingWith::Moving).timeout(Duration::from_secs(5)).send_with_meta().await?;
    /// println!("HTTP {}, {:?} remaining", answer.meta.status, answer.meta.rate_limit.and_then(|r| r.remaining));
    /// # Ok(()) }
    /// ```
    pub fn send<O: Operation>(&self, operation: O) -> Call<O> {
        Call::new(self.transport.clone(), operation)
    }

    /// Sends any request with this client's auth, retries, rate limiting and error mapping (escape hatch for
    /// endpoints this crate does not type, such as `DELETE .../integration`). Paths are relative to the API base.
    pub async fn request<T: DeserializeOwned>(&self, req: Request) -> Result<T> {
        self.transport.send(req).await
    }

    /// Like [`Client::request`], also returning status, request id and rate limit.
    pub async fn request_with_meta<T: DeserializeOwned>(&self, req: Request) -> Result<Response<T>> {
        self.transport.send_with_meta(req).await
    }

    /// `GET /facilities`: the facilities assigned to this API client.
    pub fn facilities(&self) -> FacilitiesHandler {
        FacilitiesHandler::new(self.clone())
    }

    /// One facility, to get it or navigate to its doctors.
    pub fn facility(&self, facility_id: impl Into<String>) -> FacilityHandler {
        FacilityHandler::new(self.clone(), facility_id.into())
    }

    /// The services dictionary (`GET /services`).
    pub fn services(&self) -> ServicesDictionary {
        ServicesDictionary::new(self.clone())
    }

    /// The insurance providers dictionary and their plans.
    pub fn insurance_providers(&self) -> InsuranceProvidersDictionary {
        InsuranceProvidersDictionary::new(self.clone())
    }

    /// The notification queue (pull, pull many, release).
    pub fn notifications(&self) -> NotificationsHandler {
        NotificationsHandler::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_parse_and_map() {
        assert_eq!("PL".parse::<Locale>().unwrap(), Locale::Pl);
        assert_eq!("www.jameda.de".parse::<Locale>().unwrap(), Locale::De);
        assert!("xx".parse::<Locale>().is_err());
        assert_eq!(Locale::Br.api_base_url(), "https://www.doctoralia.com.br/api/v3/integration");
        assert_eq!(Locale::Es.token_url(), "https://www.doctoralia.es/oauth/v2/token");
        for l in Locale::ALL {
            assert_eq!(l.code().parse::<Locale>().unwrap(), l);
        }
    }

    #[test]
    fn custom_base_moves_the_token_url() {
        let c =
            Client::builder().base_url("http://127.0.0.1:9/api/v3/integration/").credentials("a", "b").build().unwrap();
        assert_eq!(c.token_url(), "http://127.0.0.1:9/oauth/v2/token");
        assert!(c.rate_limiter().is_some());
        let c = Client::builder().locale(Locale::It).credentials("a", "b").disable_rate_limiter().build().unwrap();
        assert!(c.rate_limiter().is_none());
        assert!(!format!("{c:?}").contains("\"b\""));
        assert!(matches!(Client::builder().credentials("a", "b").build(), Err(Error::Config(_))));
        assert!(matches!(Client::builder().locale(Locale::It).build(), Err(Error::Config(_))));
    }

    #[test]
    fn rate_limiter_setting_overrides_the_default() {
        let builder = || Client::builder().locale(Locale::It).credentials("a", "b");
        let limiter = Arc::new(RateLimiter::new());
        let c = builder().rate_limiter(Arc::clone(&limiter)).build().unwrap();
        assert!(Arc::ptr_eq(c.rate_limiter().unwrap(), &limiter));
        let c = builder().disable_rate_limiter().rate_limits(10, 2).build().unwrap();
        assert!(c.rate_limiter().is_some());
        let c = builder().rate_limiter(limiter).disable_rate_limiter().build().unwrap();
        assert!(c.rate_limiter().is_none());
    }
}
