//! [`Client`] and [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;

use carewire_core::auth::BearerToken;
use carewire_core::secret::SecretString;
use carewire_core::{ClientConfig, Error, RateLimit, Request, Result, Settings, Transport};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::consent::{Clock, ConsentStore, ConsentToken, Lookup, SystemClock};
use crate::envelope::{Envelope, checked_envelope, decode_data};
use crate::error::{HealthstackErrorParser, consent_expired};
use crate::medicards::Medicards;
use crate::patients::Patients;
use crate::records::Records;

/// The production base URL. Paths are joined under its `/v1`.
pub const DEFAULT_BASE_URL: &str = "https://api.healthstack.ng/v1";
/// The environment variable holding the secret key.
pub const ENV_SECRET_KEY: &str = "HEALTHSTACK_SECRET_KEY";
/// The environment variable that overrides the base URL.
pub const ENV_BASE_URL: &str = "HEALTHSTACK_BASE_URL";
/// The header carrying a patient's consent token.
pub const CONSENT_HEADER: &str = "x-consent-token";

/// A Healthstack API client. Cheap to clone (an `Arc` inside); clones share the connection pool, the
/// retry budget and the consent store.
///
/// # Examples
///
/// ```
/// use carewire_healthstack::Client;
///
/// let client = Client::builder().secret_key("sk_test_1234567890abcdef").build()?;
/// assert_eq!(client.base_url(), "https://api.healthstack.ng/v1");
/// assert!(!format!("{client:?}").contains("sk_test"));
/// # Ok::<(), carewire_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    transport: Transport,
    consents: ConsentStore,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("transport", &self.transport).field("consents", &self.consents).finish()
    }
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with `secret_key` and the default settings.
    pub fn new(secret_key: impl Into<String>) -> Result<Self> {
        Self::builder().secret_key(secret_key).build()
    }

    /// A client configured from `HEALTHSTACK_SECRET_KEY` and, optionally, `HEALTHSTACK_BASE_URL`.
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env().build()
    }

    /// Patients and consent.
    pub fn patients(&self) -> Patients<'_> {
        Patients::new(self)
    }

    /// Medical records (create and list; records are immutable).
    pub fn records(&self) -> Records<'_> {
        Records::new(self)
    }

    /// Medicards: issue, activate, fund and list cards and transactions.
    pub fn medicards(&self) -> Medicards<'_> {
        Medicards::new(self)
    }

    /// The consent tokens this client holds, keyed by health id.
    pub fn consents(&self) -> &ConsentStore {
        &self.consents
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        self.transport.base_url().as_str()
    }

    /// The transport (for advanced use).
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The latest rate-limit headers the API sent, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.transport.rate_limit()
    }

    /// Escape hatch: sends any [`Request`] with the same auth, retries and error mapping, checks the
    /// envelope (`success: false` / `status: false` are errors) and decodes `data` into `T`.
    ///
    /// ```no_run
    /// # async fn run(client: carewire_healthstack::Client) -> carewire_core::Result<()> {
    /// use carewire_core::Request;
    ///
    /// let env = client.request::<serde_json::Value>(Request::get("/patients/multiple")).await?;
    /// println!("{} patients", env.data.as_ref().and_then(|d| d.as_array()).map_or(0, Vec::len));
    /// # Ok(()) }
    /// ```
    pub async fn request<T: DeserializeOwned>(&self, req: Request) -> Result<Envelope<T>> {
        let raw = self.transport.execute(req).await?;
        checked_envelope(&raw).and_then(|env| typed_envelope(raw.meta.status, env)).map_err(|e| raw.attach_context(e))
    }

    /// Sends `req`, checks the envelope and decodes `data` (`null` when absent) into `T`.
    pub(crate) async fn call<T: DeserializeOwned>(&self, req: Request) -> Result<T> {
        let raw = self.transport.execute(req).await?;
        checked_envelope(&raw).and_then(|env| decode_data(raw.meta.status, env.data)).map_err(|e| raw.attach_context(e))
    }

    /// Sends `req`, checks the envelope and returns it with `data` left as JSON.
    pub(crate) async fn call_envelope(&self, req: Request) -> Result<Envelope<Value>> {
        let raw = self.transport.execute(req).await?;
        checked_envelope(&raw).map_err(|e| raw.attach_context(e))
    }

    /// Adds `x-consent-token` for a call acting on `health_id`: the explicit token if given, else the
    /// stored one if valid. An expired token is never sent: the call fails with a consent-required error.
    pub(crate) fn with_consent(
        &self,
        req: Request,
        health_id: &str,
        explicit: Option<&ConsentToken>,
    ) -> Result<Request> {
        if let Some(token) = explicit {
            if token.health_id() != health_id {
                return Err(Error::invalid_request("consent_token", "belongs to another patient"));
            }
            if !token.is_valid_at(self.consents.now()) {
                return Err(consent_expired());
            }
            return Ok(req.header(CONSENT_HEADER, token.header_value()));
        }
        match self.consents.lookup(health_id) {
            Lookup::Valid(token) => Ok(req.header(CONSENT_HEADER, token.header_value())),
            Lookup::Expired => Err(consent_expired()),
            Lookup::Missing => Ok(req),
        }
    }
}

/// Decodes a whole Healthstack response body with the client's tolerant envelope decoder, without the
/// failure check (a body obtained elsewhere, a recorded fixture).
///
/// ```
/// use carewire_healthstack::{EnvelopeStatus, decode_envelope};
///
/// let env = decode_envelope::<serde_json::Value>(br#"{"status": true, "message": "ok", "data": {"a": 1}}"#)?;
/// assert_eq!(env.status, Some(EnvelopeStatus::Bool(true)));
/// assert_eq!(env.success, None);
/// # Ok::<(), carewire_core::Error>(())
/// ```
pub fn decode_envelope<T: DeserializeOwned>(body: &[u8]) -> Result<Envelope<T>> {
    typed_envelope(200, crate::envelope::read_envelope(200, body)?)
}

/// Decodes the `data` of `env` (when present) into `T`.
fn typed_envelope<T: DeserializeOwned>(status: u16, env: Envelope<Value>) -> Result<Envelope<T>> {
    let data = match env.data {
        Some(v) => Some(decode_data::<T>(status, Some(v))?),
        None => None,
    };
    Ok(Envelope { success: env.success, status: env.status, message: env.message, data })
}

/// Builds a [`Client`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use carewire_healthstack::Client;
///
/// let client = Client::builder()
///     .secret_key("sk_test_1234567890abcdef")
///     .base_url("http://127.0.0.1:9/v1")
///     .request_timeout(Duration::from_secs(5))
///     .build()?;
/// assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");
/// # Ok::<(), carewire_core::Error>(())
/// ```
pub struct ClientBuilder {
    secret_key: Option<SecretString>,
    base_url: String,
    settings: Settings,
    clock: Arc<dyn Clock>,
    consents: Option<ConsentStore>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            secret_key: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            settings: Settings::default(),
            clock: Arc::new(SystemClock),
            consents: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("secret_key", &self.secret_key.as_ref().map(|_| "[REDACTED]"))
            .field("base_url", &self.base_url)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    carewire_core::settings_setters!(settings);

    /// A builder preset from `HEALTHSTACK_SECRET_KEY` and `HEALTHSTACK_BASE_URL` (blank values ignored).
    pub fn from_env() -> Self {
        let mut b = Self::default();
        if let Ok(key) = std::env::var(ENV_SECRET_KEY)
            && !key.trim().is_empty()
        {
            b = b.secret_key(key);
        }
        if let Ok(url) = std::env::var(ENV_BASE_URL)
            && !url.trim().is_empty()
        {
            b = b.base_url(url.trim());
        }
        b
    }

    /// The secret key (`sk_test_...` or `sk_live_...`), sent as `Authorization: Bearer`.
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(SecretString::from(key.into()));
        self
    }

    /// The base URL, including its `/v1` (default [`DEFAULT_BASE_URL`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The clock consent expiry is checked against (default: the system clock). Ignored when
    /// [`ClientBuilder::consent_store`] is set (the store has its own clock).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Shares an existing consent store (for example between clients with different settings).
    pub fn consent_store(mut self, store: ConsentStore) -> Self {
        self.consents = Some(store);
        self
    }

    /// Builds the client. Fails if no secret key was given or the base URL is malformed.
    pub fn build(self) -> Result<Client> {
        let key = self.secret_key.ok_or_else(|| {
            Error::config("missing Healthstack secret key: set HEALTHSTACK_SECRET_KEY or call secret_key()")
        })?;
        let config = self.settings.apply(ClientConfig::new(&self.base_url)?);
        let transport = Transport::builder(crate::VENDOR, config)
            .credentials(BearerToken::new(key)?)
            .error_parser(HealthstackErrorParser)
            .known_error_codes(crate::error::KNOWN_CODES)
            .build()?;
        let consents = self.consents.unwrap_or_else(|| ConsentStore::new(self.clock));
        Ok(Client { transport, consents })
    }
}
