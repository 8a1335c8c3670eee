//! [`Client`] and [`ClientBuilder`]: the base URL, the credentials (a static access token, OAuth2 client
//! credentials against a token URL you name, or your own token source), how list filters are encoded, and
//! the transport settings.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use carewire_core::auth::{
    BearerToken, ClientAuthStyle, Credentials, OAuth2ClientCredentials, TokenCache, TokenSource, TokenStore,
};
use carewire_core::operation::{Call, Encodings, Operation};
use carewire_core::secret::SecretString;
use carewire_core::shared::SharedState;
use carewire_core::{ClientConfig, Error, RateLimit, Request, Response, Result, Settings, Transport};
use serde::de::DeserializeOwned;

use crate::appointments::Appointments;
use crate::programs::Programs;

/// The UAT (test) host the guide documents. No production host is documented: ask MyMedic for it.
pub const UAT_BASE_URL: &str = "https://uat-api.mymedic.sadhguru.org";

/// The OAuth2 scopes requested by default: the two the guide lists.
pub const DEFAULT_SCOPES: &[&str] = &["programs.read", "appointments.write"];

/// The per-attempt timeout by default: the guide's test configuration says `"timeout": 30000` (read as
/// milliseconds).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Environment variable holding the base URL (required: no production host is documented).
pub const ENV_BASE_URL: &str = "MYMEDIC_BASE_URL";
/// Environment variable holding a static OAuth2 access token (instead of client credentials).
pub const ENV_ACCESS_TOKEN: &str = "MYMEDIC_ACCESS_TOKEN";
/// Environment variable holding the OAuth2 client id.
pub const ENV_CLIENT_ID: &str = "MYMEDIC_CLIENT_ID";
/// Environment variable holding the OAuth2 client secret.
pub const ENV_CLIENT_SECRET: &str = "MYMEDIC_CLIENT_SECRET";
/// Environment variable holding the OAuth2 token URL (the guide names none).
pub const ENV_TOKEN_URL: &str = "MYMEDIC_TOKEN_URL";
/// Environment variable holding the scopes to request, separated by spaces or commas (optional; default
/// [`DEFAULT_SCOPES`]).
pub const ENV_SCOPES: &str = "MYMEDIC_SCOPES";

/// How the filters of `GET /api/v1/health-programs` are sent.
///
/// The guide shows them as a JSON body on a GET, which proxies and many HTTP stacks drop; carewire sends a
/// query string unless you opt in to the body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FilterStyle {
    /// `?limit=20&offset=0&filters[status]=active&filters[type]=yoga` (the default).
    #[default]
    Brackets,
    /// `?limit=20&offset=0&status=active&type=yoga`.
    Flat,
    /// A JSON body on the GET, as the guide shows: `{"limit": 20, "offset": 0, "filters": {...}}`.
    JsonBody,
}

/// A MyMedic API client. Cheap to clone (the transport is shared behind an `Arc`).
///
/// # Examples
///
/// ```
/// use carewire::mymedic::{Client, FilterStyle, UAT_BASE_URL};
///
/// let client = Client::builder()
///     .base_url(format!("{UAT_BASE_URL}/api/v1")) // the documented paths carry `/api/v1`: it is not doubled
///     .access_token("a-token-from-mymedic")
///     .filter_style(FilterStyle::Flat)
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://uat-api.mymedic.sadhguru.org/");
/// # Ok::<(), carewire::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    transport: Transport,
    filter_style: FilterStyle,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("transport", &self.transport).field("filter_style", &self.filter_style).finish()
    }
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment (see [`ClientBuilder::from_env`]).
    ///
    /// ```no_run
    /// let client = carewire::mymedic::Client::from_env()?;
    /// # let _ = client; Ok::<(), carewire::Error>(())
    /// ```
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    /// Health programs: `GET /api/v1/health-programs` and `GET /api/v1/health-programs/{programId}`.
    pub fn programs(&self) -> Programs {
        Programs::new(self.clone())
    }

    /// Appointments: `POST /api/v1/appointments` and `PUT /api/v1/appointments/{appointmentId}/status`.
    pub fn appointments(&self) -> Appointments {
        Appointments::new(self.clone())
    }

    /// A call of any MyMedic operation (the handles above build these): set per-call options (`timeout`,
    /// `idempotency_key`, `retry`, `header`), then `.await` it, or `.send_with_meta()` for the status,
    /// request id and attempt count too.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use carewire::mymedic::{Client, GetHealthProgram};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let answer = client.send(GetHealthProgram::new("prg_001")).timeout(Duration::from_secs(5)).send_with_meta().await?;
    /// println!("HTTP {} after {} attempt(s): {:?}", answer.meta.status, answer.meta.attempts, answer.data.id);
    /// # Ok(()) }
    /// ```
    pub fn send<O: Operation>(&self, operation: O) -> Call<O> {
        Call::new(self.transport.clone(), operation)
    }

    /// Sends any request with this client's credentials, retries, error mapping and redaction, and decodes
    /// the 2xx body into `T` (`serde_json::Value` for untyped JSON): the escape hatch for endpoints no typed
    /// method covers, such as `GET /api/v1/medical-records` ([`MEDICAL_RECORDS_PATH`](crate::MEDICAL_RECORDS_PATH)),
    /// which the guide names without documenting. A 2xx body that is not JSON is an [`Error::Decode`].
    ///
    /// ```no_run
    /// use carewire::mymedic::{Client, MEDICAL_RECORDS_PATH};
    /// use carewire::Request;
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let records: serde_json::Value =
    ///     client.request(Request::get(MEDICAL_RECORDS_PATH).operation("records.list").query("medicalId", "MED-1001")).await?;
    /// println!("{} top-level members", records.as_object().map_or(0, |o| o.len()));
    /// # Ok(()) }
    /// ```
    pub async fn request<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.transport.send(request).await
    }

    /// Like [`Client::request`], also returning the status, request id, rate limit and attempt count.
    pub async fn request_with_meta<T: DeserializeOwned>(&self, request: Request) -> Result<Response<T>> {
        self.transport.send_with_meta(request).await
    }

    /// The latest rate-limit headers any response carried (MyMedic documents none).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.transport.rate_limit()
    }

    /// The base URL requests are sent to (the host; the documented paths carry `/api/v1`).
    pub fn base_url(&self) -> &url::Url {
        self.transport.base_url()
    }

    /// How the program list's filters are sent by [`Programs::list`](crate::Programs::list).
    pub fn filter_style(&self) -> FilterStyle {
        self.filter_style
    }

    /// The underlying transport.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }
}

/// Builds custom credentials from the refresh-ahead setting, at `build()`.
/// Makes the token cache of a caller's source, given the refresh lead and the shared store (if any).
type MakeCredentials = Box<dyn FnOnce(Duration, Option<Arc<dyn TokenStore>>) -> Arc<dyn Credentials> + Send + Sync>;

enum Auth {
    None,
    Token(SecretString),
    ClientCredentials { client_id: String, client_secret: SecretString },
    Source(MakeCredentials),
}

/// Builds a [`Client`].
///
/// Required: a base URL and one kind of credentials: [`ClientBuilder::access_token`],
/// [`ClientBuilder::client_credentials`] with [`ClientBuilder::token_url`], or
/// [`ClientBuilder::token_source`]. Defaults: scopes [`DEFAULT_SCOPES`], filters as brackets, a 30 s
/// per-attempt timeout, core's retry policy.
pub struct ClientBuilder {
    base_url: Option<String>,
    auth: Auth,
    token_url: Option<String>,
    scopes: Vec<String>,
    auth_style: ClientAuthStyle,
    refresh_ahead: Duration,
    filter_style: FilterStyle,
    settings: Settings,
    shared: Option<Arc<dyn SharedState>>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            auth: Auth::None,
            token_url: None,
            scopes: DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            auth_style: ClientAuthStyle::default(),
            refresh_ahead: Duration::from_secs(60),
            filter_style: FilterStyle::default(),
            settings: Settings::default(),
            shared: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.auth {
            Auth::None => "none".to_owned(),
            Auth::Token(_) => "access token [REDACTED]".to_owned(),
            Auth::ClientCredentials { client_id, .. } => format!("client credentials ({client_id}, [REDACTED])"),
            Auth::Source(_) => "custom token source".to_owned(),
        };
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("auth", &auth)
            .field("token_url", &self.token_url)
            .field("scopes", &self.scopes)
            .field("filter_style", &self.filter_style)
            .field("settings", &self.settings)
            .field("shared_state", &self.shared)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    carewire_core::settings_setters!(settings);

    /// A builder seeded from the environment; further settings can still be chained.
    ///
    /// - `MYMEDIC_BASE_URL` (required);
    /// - either `MYMEDIC_ACCESS_TOKEN`, or `MYMEDIC_CLIENT_ID`, `MYMEDIC_CLIENT_SECRET` and
    ///   `MYMEDIC_TOKEN_URL` (all three), with `MYMEDIC_SCOPES` optional (separated by spaces or commas).
    ///
    /// A missing or empty variable is an [`Error::Config`] naming it; setting both an access token and a
    /// client id is one too (which should win is ambiguous).
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// let client = carewire::mymedic::ClientBuilder::from_env()?.request_timeout(Duration::from_secs(10)).build()?;
    /// # let _ = client; Ok::<(), carewire::Error>(())
    /// ```
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading variables through `lookup` (for tests and other sources of
    /// configuration).
    ///
    /// ```
    /// use carewire::mymedic::ClientBuilder;
    ///
    /// let vars = |name: &str| match name {
    ///     "MYMEDIC_BASE_URL" => Some("https://uat-api.mymedic.sadhguru.org".to_owned()),
    ///     "MYMEDIC_ACCESS_TOKEN" => Some("a-token".to_owned()),
    ///     _ => None,
    /// };
    /// let client = ClientBuilder::from_vars(vars)?.build()?;
    /// assert_eq!(client.base_url().host_str(), Some("uat-api.mymedic.sadhguru.org"));
    /// assert!(ClientBuilder::from_vars(|_| None).unwrap_err().to_string().contains("MYMEDIC_BASE_URL"));
    /// # Ok::<(), carewire::Error>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let required =
            |name: &'static str| var(name).ok_or_else(|| Error::config(format!("{name} is not set (or is empty)")));
        let mut builder = Self::default().base_url(required(ENV_BASE_URL)?);
        match (var(ENV_ACCESS_TOKEN), var(ENV_CLIENT_ID)) {
            (Some(_), Some(_)) => {
                return Err(Error::config(format!(
                    "both {ENV_ACCESS_TOKEN} and {ENV_CLIENT_ID} are set: set only one kind of credentials"
                )));
            }
            (Some(token), None) => builder = builder.access_token(token),
            (None, Some(id)) => {
                let secret = required(ENV_CLIENT_SECRET)?;
                builder = builder.client_credentials(id, secret).token_url(required(ENV_TOKEN_URL)?);
                if let Some(scopes) = var(ENV_SCOPES) {
                    builder = builder.scopes(scopes.split([' ', ',']).filter(|s| !s.is_empty()));
                }
            }
            (None, None) => {
                return Err(Error::config(format!(
                    "neither {ENV_ACCESS_TOKEN} nor {ENV_CLIENT_ID} (with {ENV_CLIENT_SECRET} and {ENV_TOKEN_URL}) is set"
                )));
            }
        }
        Ok(builder)
    }

    /// The base URL: the host (such as [`UAT_BASE_URL`]), or the host with `/api/v1`, which is dropped
    /// because every documented path already starts with `/api/v1`.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// A static OAuth2 access token, sent as `Authorization: Bearer <token>`. It is not refreshed: a 401 is
    /// returned as it is. Replaces any credentials set before.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::Token(SecretString::from(token.into()));
        self
    }

    /// OAuth2 client credentials, exchanged at [`ClientBuilder::token_url`] (the guide names no token
    /// endpoint) for tokens that are cached, refreshed ahead of expiry with one fetch for any number of
    /// concurrent calls, and fetched again after a 401. Replaces any credentials set before.
    pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.auth = Auth::ClientCredentials {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        };
        self
    }

    /// The OAuth2 token endpoint for [`ClientBuilder::client_credentials`] (`https` unless loopback or
    /// [`ClientBuilder::allow_insecure_http`]).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// The scopes requested with client credentials (default [`DEFAULT_SCOPES`]), replacing the defaults.
    /// Each item may hold several scopes separated by spaces or commas. The guide lists only
    /// `programs.read` and `appointments.write`; ask MyMedic which scope medical records need.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = scopes
            .into_iter()
            .flat_map(|s| s.into().split([' ', ',']).filter(|p| !p.is_empty()).map(str::to_owned).collect::<Vec<_>>())
            .collect();
        self
    }

    /// How the client authenticates to the token endpoint (default HTTP Basic).
    pub fn token_auth_style(mut self, style: ClientAuthStyle) -> Self {
        self.auth_style = style;
        self
    }

    /// Your own source of access tokens (a vault, another service), behind core's token cache: single
    /// flight, refresh ahead of expiry, and a new token after a 401. Replaces any credentials set before.
    ///
    /// ```
    /// use std::time::Duration;
    /// use carewire::core::BoxFuture;
    /// use carewire::core::auth::{Token, TokenSource};
    ///
    /// #[derive(Debug)]
    /// struct FromVault;
    ///
    /// impl TokenSource for FromVault {
    ///     fn fetch(&self) -> BoxFuture<'_, carewire::Result<Token>> {
    ///         Box::pin(async move { Ok(Token::new("token-from-the-vault", Some(Duration::from_secs(600)))) })
    ///     }
    /// }
    ///
    /// let client = carewire::mymedic::Client::builder()
    ///     .base_url("https://uat-api.mymedic.sadhguru.org")
    ///     .token_source(FromVault)
    ///     .build()?;
    /// # let _ = client; Ok::<(), carewire::Error>(())
    /// ```
    pub fn token_source(mut self, source: impl TokenSource) -> Self {
        self.auth = Auth::Source(Box::new(move |ahead, store| {
            let cache = TokenCache::new(source).refresh_ahead(ahead);
            Arc::new(match store {
                Some(store) => cache.shared_store(store, "client"),
                None => cache,
            })
        }));
        self
    }

    /// How long before expiry a token is renewed (default 60 s; at most half its lifetime).
    pub fn refresh_ahead(mut self, ahead: Duration) -> Self {
        self.refresh_ahead = ahead;
        self
    }

    /// State shared by every replica of your service (`carewire-redis`'s `RedisState`): one OAuth2 token
    /// fetch for all of them and one rate budget.
    ///
    /// ```no_run
    /// use carewire::core::shared::SharedState;
    ///
    /// fn build(state: impl SharedState) -> carewire::Result<carewire::mymedic::Client> {
    ///     carewire::mymedic::Client::builder()
    ///         .base_url("https://uat-api.mymedic.sadhguru.org")
    ///         .access_token("token")
    ///         .shared_state(state)
    ///         .build()
    /// }
    /// ```
    pub fn shared_state(mut self, state: impl SharedState) -> Self {
        self.shared = Some(Arc::new(state));
        self
    }

    /// How the program list's filters are sent (default [`FilterStyle::Brackets`]).
    pub fn filter_style(mut self, style: FilterStyle) -> Self {
        self.filter_style = style;
        self
    }

    /// Builds the client. Fails with [`Error::Config`] when the base URL or the credentials are missing or
    /// invalid, or client credentials have no token URL.
    pub fn build(self) -> Result<Client> {
        let Some(base) = self.base_url else {
            return Err(Error::config(
                "the MyMedic base URL is not set (`base_url(..)` or MYMEDIC_BASE_URL); no production host is documented",
            ));
        };
        // Token requests get the same timeouts, retries, user agent and HTTP client, but not the limiter.
        let token_settings = self.settings.clone().disable_rate_limiter();
        let config =
            self.settings.apply(ClientConfig::new(&normalize_base_url(&base))?.request_timeout(DEFAULT_TIMEOUT));
        let credential_id = match &self.auth {
            Auth::ClientCredentials { client_id, .. } => client_id.clone(),
            Auth::Token(token) => carewire_core::secret::ExposeSecret::expose_secret(token).to_owned(),
            Auth::None | Auth::Source(_) => String::new(),
        };
        let namespace = carewire_core::shared::namespace(crate::error::VENDOR, &credential_id);
        let store = self.shared.as_ref().map(|s| s.token_store(&namespace));
        let credentials: Arc<dyn Credentials> = match self.auth {
            Auth::None => {
                return Err(Error::config(
                    "MyMedic credentials are not set: `access_token(..)`, `client_credentials(..)` with `token_url(..)`, \
                     or `token_source(..)`",
                ));
            }
            Auth::Token(token) => Arc::new(BearerToken::new(token)?),
            Auth::ClientCredentials { client_id, client_secret } => {
                let Some(token_url) = self.token_url else {
                    return Err(Error::config(
                        "MyMedic documents no token endpoint: set `token_url(..)` (or MYMEDIC_TOKEN_URL)",
                    ));
                };
                let source = if config.insecure_http_allowed() {
                    OAuth2ClientCredentials::new_allowing_insecure_http(&token_url, client_id, client_secret)?
                } else {
                    OAuth2ClientCredentials::new(&token_url, client_id, client_secret)?
                };
                let source = source.auth_style(self.auth_style).settings(token_settings).vendor(crate::error::VENDOR);
                let source = self.scopes.into_iter().fold(source, OAuth2ClientCredentials::scope);
                let cache = TokenCache::new(source).refresh_ahead(self.refresh_ahead);
                Arc::new(match store {
                    Some(store) => cache.shared_store(store, "client"),
                    None => cache,
                })
            }
            Auth::Source(make) => make(self.refresh_ahead, store),
        };
        let mut transport = Transport::builder(crate::error::VENDOR, config)
            .shared_credentials(credentials)
            .encodings(Encodings::default())
            .error_parser(crate::error::SHAPE)
            .known_error_codes(crate::error::KNOWN_CODES);
        if let Some(shared) = &self.shared {
            transport = transport.rate_budget(shared.rate_budget(&namespace));
        }
        let transport = transport.build()?;
        Ok(Client { transport, filter_style: self.filter_style })
    }
}

/// Drops surrounding blanks, trailing slashes and one trailing `/api/v1` (ASCII case-insensitive), so that
/// joining the documented `/api/v1/...` paths never yields `/api/v1/api/v1` or `//`.
pub(crate) fn normalize_base_url(base: &str) -> String {
    const SUFFIX: &str = "/api/v1";
    let trimmed = base.trim().trim_end_matches('/');
    let cut = trimmed.len().checked_sub(SUFFIX.len()).filter(|&i| trimmed.is_char_boundary(i));
    let without = match cut {
        Some(i) if trimmed[i..].eq_ignore_ascii_case(SUFFIX) => &trimmed[..i],
        _ => trimmed,
    };
    without.trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ClientBuilder {
        Client::builder().base_url(UAT_BASE_URL).access_token("tok")
    }

    #[test]
    fn api_v1_appears_once() {
        for base in [
            UAT_BASE_URL,
            "https://uat-api.mymedic.sadhguru.org/",
            "https://uat-api.mymedic.sadhguru.org/api/v1",
            " https://uat-api.mymedic.sadhguru.org/API/V1// ",
        ] {
            let client = Client::builder().base_url(base).access_token("t").build().unwrap();
            let url = client.transport.url_for(&Request::get("/api/v1/health-programs")).unwrap();
            assert_eq!(url.as_str(), "https://uat-api.mymedic.sadhguru.org/api/v1/health-programs", "{base}");
        }
        let proxy = Client::builder().base_url("https://proxy.example/mymedic/").access_token("t").build().unwrap();
        let url = proxy.transport.url_for(&Request::get("/api/v1/appointments")).unwrap();
        assert_eq!(url.as_str(), "https://proxy.example/mymedic/api/v1/appointments");
        assert_eq!(normalize_base_url("é/api/v1"), "é");
    }

    #[test]
    fn missing_or_bad_configuration_is_refused() {
        assert!(matches!(Client::builder().access_token("t").build(), Err(Error::Config(_))));
        assert!(matches!(Client::builder().base_url(UAT_BASE_URL).build(), Err(Error::Config(_))));
        let no_url = Client::builder().base_url(UAT_BASE_URL).client_credentials("id", "secret").build();
        assert!(matches!(no_url, Err(Error::Config(ref m)) if m.contains("token_url")));
        for bad in ["", "a token", "tok\n"] {
            let err = Client::builder().base_url(UAT_BASE_URL).access_token(bad).build().unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{bad:?}");
        }
        let insecure = Client::builder()
            .base_url(UAT_BASE_URL)
            .client_credentials("id", "secret")
            .token_url("http://auth.example/token")
            .build();
        assert!(matches!(insecure, Err(Error::Config(_))));
        assert!(builder().base_url("not a url").build().is_err());
    }

    #[test]
    fn from_vars_reads_both_kinds_of_credentials() {
        let oauth = |name: &str| {
            Some(
                match name {
                    ENV_BASE_URL => "http://127.0.0.1:9/api/v1",
                    ENV_CLIENT_ID => "id",
                    ENV_CLIENT_SECRET => "secret",
                    ENV_TOKEN_URL => "http://127.0.0.1:9/oauth/token",
                    ENV_SCOPES => "programs.read,appointments.write records.read",
                    _ => return None,
                }
                .to_owned(),
            )
        };
        let builder = ClientBuilder::from_vars(oauth).unwrap();
        assert_eq!(builder.scopes, ["programs.read", "appointments.write", "records.read"]);
        assert_eq!(builder.build().unwrap().base_url().as_str(), "http://127.0.0.1:9/");
        let without_secret = ClientBuilder::from_vars(|n| if n == ENV_CLIENT_SECRET { None } else { oauth(n) });
        assert!(matches!(without_secret, Err(Error::Config(ref m)) if m.contains(ENV_CLIENT_SECRET)));
        let without_url = ClientBuilder::from_vars(|n| if n == ENV_TOKEN_URL { None } else { oauth(n) });
        assert!(matches!(without_url, Err(Error::Config(ref m)) if m.contains(ENV_TOKEN_URL)));
        let both = ClientBuilder::from_vars(|n| if n == ENV_ACCESS_TOKEN { Some("t".into()) } else { oauth(n) });
        assert!(matches!(both, Err(Error::Config(ref m)) if m.contains("both")));
        let none = ClientBuilder::from_vars(|n| (n == ENV_BASE_URL).then(|| UAT_BASE_URL.to_owned()));
        assert!(matches!(none, Err(Error::Config(ref m)) if m.contains(ENV_ACCESS_TOKEN)));
    }

    #[test]
    fn defaults_and_debug() {
        let client = builder().build().unwrap();
        let debug = format!("{client:?}");
        assert!(debug.contains("request_timeout: 30s"), "{debug}");
        assert!(!debug.contains("tok\""), "{debug}");
        assert_eq!(client.filter_style(), FilterStyle::Brackets);
        let b = Client::builder().client_credentials("client-1", "very-secret").access_token("other-secret");
        assert!(!format!("{b:?}").contains("secret\""));
        let b = Client::builder().client_credentials("client-1", "very-secret");
        let debug = format!("{b:?}");
        assert!(debug.contains("client-1") && !debug.contains("very-secret"), "{debug}");
        assert_eq!(ClientBuilder::default().scopes, DEFAULT_SCOPES);
    }
}
