//! [`Client`] and [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;

use carewire_core::auth::BearerToken;
use carewire_core::operation::{BodyKind, Call, Encodings, Operation};
use carewire_core::secret::{ExposeSecret, SecretString};
use carewire_core::shared::SharedState;
use carewire_core::{ClientConfig, Error, RateLimit, Request, Response, Result, Settings, Transport};
use serde::de::DeserializeOwned;

use crate::claims::Claims;
use crate::consults::Consults;
use crate::events::Events;
use crate::prescriptions::Prescriptions;

/// The production API host. The documented paths (`/v1/consults/create`, ...) are joined to it.
pub const DEFAULT_BASE_URL: &str = "https://api.medtimes.health";

/// Environment variable holding the secret API key.
pub const ENV_API_KEY: &str = "MEDTIMES_API_KEY";

/// Environment variable holding an optional base URL (for a proxy or a sandbox).
pub const ENV_BASE_URL: &str = "MEDTIMES_BASE_URL";

/// How request bodies are encoded.
///
/// The doc says the API "accepts form-encoded request bodies" while its examples pass nested objects and
/// arrays, which a flat form cannot carry. Form encoding with Stripe-style brackets is the default; switch to
/// JSON if Medtimes tells you so.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyEncoding {
    /// `application/x-www-form-urlencoded` with brackets: `symptoms[0]=fever&scheme_details[name]=...`.
    #[default]
    Form,
    /// `application/json`.
    Json,
}

/// A Medtimes API client. Cheap to clone (the transport is shared behind an `Arc`).
///
/// # Examples
///
/// ```
/// use carewire_medtimes::{BodyEncoding, Client};
///
/// let client = Client::builder()
///     .api_key("sk_test_123")
///     .base_url("https://api.medtimes.health/v1/") // the doc's base; `/v1` is not doubled
///     .body_encoding(BodyEncoding::Form)
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://api.medtimes.health/");
/// # Ok::<(), carewire_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    transport: Transport,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("transport", &self.transport).field("encoding", &self.body_encoding()).finish()
    }
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for the production API with the secret key `api_key`.
    pub fn new(api_key: impl Into<String>) -> Result<Self> {
        Self::builder().api_key(api_key).build()
    }

    /// A client configured from `MEDTIMES_API_KEY` (required) and `MEDTIMES_BASE_URL` (optional).
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    /// Consultations: `POST /v1/consults/create`.
    pub fn consults(&self) -> Consults {
        Consults::new(self.clone())
    }

    /// Medical-aid claims: `POST /v1/claims/submit`.
    pub fn claims(&self) -> Claims {
        Claims::new(self.clone())
    }

    /// Batch screenings (corporate wellness events): `POST /v1/events/batch`.
    pub fn events(&self) -> Events {
        Events::new(self.clone())
    }

    /// Electronic prescriptions: `GET /v1/prescriptions/{id}`.
    pub fn prescriptions(&self) -> Prescriptions {
        Prescriptions::new(self.clone())
    }

    /// A call of any Medtimes operation (the handles above build these): set per-call options
    /// (`timeout`, `idempotency_key`, `retry`, `header`), then `.await` it, or `.send_with_meta()` for the
    /// status, request id and rate limit too.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use carewire::medtimes::{Client, GetPrescription};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let answer = client.send(GetPrescription::new("rx_7781")).timeout(Duration::from_secs(5)).send_with_meta().await?;
    /// println!("HTTP {}, request id {:?}", answer.meta.status, answer.meta.request_id);
    /// # Ok(()) }
    /// ```
    pub fn send<O: Operation>(&self, operation: O) -> Call<O> {
        Call::new(self.transport.clone(), operation)
    }

    /// Sends any request with this client's auth, retries and error mapping, and decodes the 2xx body into
    /// `T` (`serde_json::Value` for untyped JSON): the escape hatch for endpoints no typed method covers,
    /// such as `GET /v1/consults`, which the doc calls in an example but never documents.
    ///
    /// Paths are the documented ones, starting with `/v1/`.
    pub async fn request<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.transport.send(request).await
    }

    /// Like [`Client::request`], also returning status, request id and rate limit.
    pub async fn request_with_meta<T: DeserializeOwned>(&self, request: Request) -> Result<Response<T>> {
        self.transport.send_with_meta(request).await
    }

    /// The latest rate-limit headers any response carried (Medtimes documents none; this stays `None` unless
    /// it sends `X-RateLimit-*`).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.transport.rate_limit()
    }

    /// The base URL requests are sent to (the host; paths carry `/v1`).
    pub fn base_url(&self) -> &url::Url {
        self.transport.base_url()
    }

    /// The body encoding in use.
    pub fn body_encoding(&self) -> BodyEncoding {
        match self.transport.encodings().body {
            BodyKind::Json => BodyEncoding::Json,
            _ => BodyEncoding::Form,
        }
    }

    /// The underlying transport.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }
}

/// Builds a [`Client`].
///
/// Defaults: base [`DEFAULT_BASE_URL`], form bodies, core's default timeouts and
/// [`RetryPolicy`](carewire_core::RetryPolicy).
#[derive(Default)]
pub struct ClientBuilder {
    api_key: Option<SecretString>,
    base_url: Option<String>,
    encoding: BodyEncoding,
    settings: Settings,
    shared: Option<Arc<dyn SharedState>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[REDACTED]"))
            .field("base_url", &self.base_url)
            .field("encoding", &self.encoding)
            .field("settings", &self.settings)
            .field("shared_state", &self.shared)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    carewire_core::settings_setters!(settings);

    /// A builder seeded from `MEDTIMES_API_KEY` (required) and `MEDTIMES_BASE_URL` (optional); further
    /// settings can still be chained. A missing or empty key is an [`Error::Config`] naming the variable.
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// let client = carewire::medtimes::ClientBuilder::from_env()?.request_timeout(Duration::from_secs(10)).build()?;
    /// # let _ = client; Ok::<(), carewire::Error>(())
    /// ```
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading variables through `lookup` (for tests and other sources
    /// of configuration).
    ///
    /// ```
    /// use carewire::medtimes::ClientBuilder;
    ///
    /// let vars = |name: &str| (name == "MEDTIMES_API_KEY").then(|| "sk_test_123".to_owned());
    /// let client = ClientBuilder::from_vars(vars)?.build()?;
    /// assert_eq!(client.base_url().as_str(), "https://api.medtimes.health/");
    /// assert!(ClientBuilder::from_vars(|_| None).unwrap_err().to_string().contains("MEDTIMES_API_KEY"));
    /// # Ok::<(), carewire::Error>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let key = lookup(ENV_API_KEY)
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Error::config(format!("{ENV_API_KEY} is not set (or is empty)")))?;
        let mut builder = Self::default().api_key(key);
        if let Some(base) = lookup(ENV_BASE_URL).filter(|b| !b.trim().is_empty()) {
            builder.base_url = Some(base);
        }
        Ok(builder)
    }

    /// The secret API key (`sk_live_...` or a sandbox key), sent as `Authorization: Bearer <key>`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }

    /// The base URL. Either the host (`https://api.medtimes.health`) or the doc's base ending in `/v1` or
    /// `/v1/`: a trailing `/v1` is dropped because every documented path already starts with `/v1`.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// How request bodies are encoded (default [`BodyEncoding::Form`]).
    pub fn body_encoding(mut self, encoding: BodyEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Shares this client's rate budget with every replica of your deployment that uses the same state (a
    /// `carewire_redis::RedisState`) and the same API key: the rate limiter (yours, or one with no windows of
    /// its own) takes each request from the shared budget too, and a spent window reported to one replica
    /// pauses all. Medtimes' webhooks share their replay guard separately
    /// ([`Webhooks::replay_guard`](crate::webhooks::Webhooks::replay_guard) with the state's guard).
    ///
    /// ```no_run
    /// use carewire::core::shared::SharedState;
    /// use carewire::medtimes::Client;
    ///
    /// // `state`: a `carewire_redis::RedisState`, for one.
    /// fn client(state: impl SharedState) -> carewire::Result<Client> {
    ///     Client::builder().api_key("sk_live_...").shared_state(state).build()
    /// }
    /// ```
    pub fn shared_state(mut self, state: impl SharedState) -> Self {
        self.shared = Some(Arc::new(state));
        self
    }

    /// Builds the client. Fails with [`Error::Config`] when the key is missing, empty or contains
    /// whitespace, or the base URL is invalid.
    pub fn build(self) -> Result<Client> {
        let Some(key) = self.api_key else {
            return Err(Error::config("the Medtimes API key is not set (`api_key(..)`, or `MEDTIMES_API_KEY`)"));
        };
        let namespace = carewire_core::shared::namespace(crate::VENDOR, key.expose_secret());
        let credentials = BearerToken::new(key)?;
        let base = normalize_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL));
        let config = self.settings.apply(ClientConfig::new(&base)?);
        let body = match self.encoding {
            BodyEncoding::Form => BodyKind::Form,
            BodyEncoding::Json => BodyKind::Json,
        };
        let mut transport = Transport::builder(crate::VENDOR, config)
            .credentials(credentials)
            .encodings(Encodings { body, ..Encodings::default() })
            .error_parser(crate::MedtimesError::SHAPE)
            .known_error_codes(crate::error::KNOWN_CODES);
        if let Some(shared) = &self.shared {
            transport = transport.rate_budget(shared.rate_budget(&namespace));
        }
        let transport = transport.build()?;
        Ok(Client { transport })
    }
}

/// Drops trailing slashes and one trailing `/v1` (ASCII case-insensitive), so that joining the documented
/// `/v1/...` paths never yields `/v1/v1` or `//` (the doc's base URL already ends in `/v1/`).
pub(crate) fn normalize_base_url(base: &str) -> String {
    let trimmed = base.trim().trim_end_matches('/');
    let without_version = match trimmed.len().checked_sub(3).and_then(|i| trimmed.get(i..).map(|tail| (i, tail))) {
        Some((i, tail)) if tail.eq_ignore_ascii_case("/v1") => &trimmed[..i],
        _ => trimmed,
    };
    without_version.trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(base: &str, path: &'static str) -> String {
        let client = Client::builder().api_key("sk_test_1").base_url(base).build().unwrap();
        client.transport.url_for(&Request::post(path)).unwrap().to_string()
    }

    #[test]
    fn v1_appears_exactly_once() {
        for base in [
            "https://api.medtimes.health",
            "https://api.medtimes.health/",
            "https://api.medtimes.health/v1",
            "https://api.medtimes.health/v1/",
            " https://api.medtimes.health/V1// ",
        ] {
            let got = url(base, "/v1/consults/create");
            assert_eq!(got, "https://api.medtimes.health/v1/consults/create", "{base}");
            assert_eq!(got.matches("/v1").count(), 1, "{base}");
        }
        assert_eq!(
            url("https://proxy.example/medtimes/v1/", "/v1/claims/submit"),
            "https://proxy.example/medtimes/v1/claims/submit"
        );
        assert_eq!(url("http://127.0.0.1:8080", "/v1/events/batch"), "http://127.0.0.1:8080/v1/events/batch");
        let default = Client::new("sk_test_1").unwrap();
        let got = default.transport.url_for(&Request::get("/v1/prescriptions/{id}").path_param("id", "scr_1")).unwrap();
        assert_eq!(got.as_str(), "https://api.medtimes.health/v1/prescriptions/scr_1");
    }

    #[test]
    fn key_is_checked_at_build_time() {
        for bad in ["", "sk_test 1", " sk_test_1", "sk_test_1\n"] {
            let err = Client::builder().api_key(bad).build().unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{bad:?}");
            assert!(!err.to_string().contains("sk_test"), "{err}");
        }
        assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
        assert!(matches!(Client::builder().api_key("k").base_url("not a url").build(), Err(Error::Config(_))));
    }

    #[test]
    fn from_env_reads_key_and_base() {
        let vars = |name: &str| match name {
            ENV_API_KEY => Some("sk_test_env".to_owned()),
            ENV_BASE_URL => Some("http://127.0.0.1:9/v1/".to_owned()),
            _ => None,
        };
        let client = ClientBuilder::from_vars(vars).unwrap().build().unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/");
        let err = ClientBuilder::from_vars(|_| None).unwrap_err();
        assert!(err.to_string().contains("MEDTIMES_API_KEY"), "{err}");
        let blank = ClientBuilder::from_vars(|n| (n == ENV_API_KEY).then(|| "  ".to_owned()));
        assert!(matches!(blank, Err(Error::Config(ref m)) if m.contains("MEDTIMES_API_KEY")));
        let default_base =
            ClientBuilder::from_vars(|n| (n == ENV_API_KEY).then(|| "k".to_owned())).unwrap().build().unwrap();
        assert_eq!(default_base.base_url().as_str(), "https://api.medtimes.health/");
    }

    #[test]
    fn debug_hides_key() {
        let client = Client::new("sk_live_very_secret").unwrap();
        assert!(!format!("{client:?}").contains("very_secret"));
        let builder = Client::builder().api_key("sk_live_very_secret");
        assert!(!format!("{builder:?}").contains("very_secret"));
    }
}
