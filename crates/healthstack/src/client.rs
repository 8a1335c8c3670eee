//! [`Client`] and [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;

use carewire_core::auth::BearerToken;
use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::secret::{ExposeSecret, SecretString};
use carewire_core::shared::SharedState;
use carewire_core::{ClientConfig, Error, RateLimit, RawResponse, Request, Response, Result, Settings, Transport};
use serde::de::DeserializeOwned;

use crate::consent::{Clock, ConsentStore, SystemClock};
use crate::envelope::{Envelope, decode_checked, decode_resource};
use crate::error::HealthstackErrorParser;
use crate::medicards::Medicards;
use crate::patients::Patients;
use crate::records::Records;

/// The production base URL. Paths are joined under its `/v1`.
pub const DEFAULT_BASE_URL: &str = "https://api.healthstack.ng/v1";
/// The environment variable holding the secret key.
pub const ENV_SECRET_KEY: &str = "HEALTHSTACK_SECRET_KEY";
/// The environment variable that overrides the base URL.
pub const ENV_BASE_URL: &str = "HEALTHSTACK_BASE_URL";

/// A Healthstack API client. Cheap to clone (an `Arc` inside); clones share the connection pool, the
/// retry budget and the consent store.
///
/// # Examples
///
/// ```
/// use carewire::healthstack::Client;
///
/// let client = Client::builder().secret_key("sk_test_1234567890abcdef").build()?;
/// assert_eq!(client.base_url().as_str(), "https://api.healthstack.ng/v1");
/// assert!(!format!("{client:?}").contains("sk_test"));
/// # Ok::<(), carewire::Error>(())
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

    /// A client configured from `HEALTHSTACK_SECRET_KEY` (required) and `HEALTHSTACK_BASE_URL` (optional).
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    /// Patients and consent.
    pub fn patients(&self) -> Patients {
        Patients::new(self.clone())
    }

    /// Medical records (create and list; records are immutable).
    pub fn records(&self) -> Records {
        Records::new(self.clone())
    }

    /// Medicards: issue, activate, fund and list cards and transactions.
    pub fn medicards(&self) -> Medicards {
        Medicards::new(self.clone())
    }

    /// A call of any Healthstack operation (the handles above build these): set per-call options
    /// (`timeout`, `retry`, `header`, ...), then `.await` it, or `.send_with_meta()` for the status,
    /// request id and rate limit too. Operations on a patient send the stored consent token themselves.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use carewire::healthstack::{Client, GetPatient};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let answer = client.send(GetPatient::new("HID-NHG869UP")).timeout(Duration::from_secs(5)).send_with_meta().await?;
    /// println!("HTTP {}, request id {:?}", answer.meta.status, answer.meta.request_id);
    /// # Ok(()) }
    /// ```
    pub fn send<O: Operation>(&self, operation: O) -> Call<O> {
        Call::new(self.transport.clone(), operation)
    }

    /// The consent tokens this client holds, keyed by health id.
    pub fn consents(&self) -> &ConsentStore {
        &self.consents
    }

    /// The base URL, including its `/v1`.
    pub fn base_url(&self) -> &url::Url {
        self.transport.base_url()
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
    /// envelope (`success: false` / `status: false` are errors, like in every typed call) and decodes its
    /// `data`, which must be there, into `T` (`serde_json::Value` for untyped JSON). Paths are relative to
    /// the base URL's `/v1`. A request of
    /// [`Scope::ClientAndSubject`](carewire_core::operation::Scope::ClientAndSubject) with a
    /// `.subject(health_id)` gets the stored consent token like a typed call.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::healthstack::Client) -> carewire::Result<()> {
    /// use carewire::Request;
    ///
    /// let patients = client.request::<Vec<serde_json::Value>>(Request::get("/patients/multiple")).await?;
    /// println!("{} patients", patients.len());
    /// # Ok(()) }
    /// ```
    pub async fn request<T: DeserializeOwned + Send + 'static>(&self, request: Request) -> Result<T> {
        self.send(ByHand { request, decode: decode_resource::<T> }).await
    }

    /// Like [`Client::request`], also returning status, request id and rate limit.
    pub async fn request_with_meta<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
    ) -> Result<Response<T>> {
        self.send(ByHand { request, decode: decode_resource::<T> }).send_with_meta().await
    }

    /// Like [`Client::request`], returning the whole checked [`Envelope`] (`success`, `status`, `message`,
    /// and `data` when the answer has one): for answers without `data`, or when the message matters.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::healthstack::Client) -> carewire::Result<()> {
    /// use carewire::Request;
    ///
    /// let env = client.request_envelope::<serde_json::Value>(Request::get("/patients/multiple")).await?;
    /// println!("{} patients", env.data.as_ref().and_then(|d| d.as_array()).map_or(0, Vec::len));
    /// # Ok(()) }
    /// ```
    pub async fn request_envelope<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
    ) -> Result<Envelope<T>> {
        self.send(ByHand { request, decode: decode_checked::<T> }).await
    }
}

/// A request built by hand, sent and decoded like a typed call: the escape hatches' operation.
struct ByHand<T> {
    request: Request,
    decode: fn(&RawResponse) -> Result<T>,
}

impl<T: Send + 'static> Operation for ByHand<T> {
    type Output = T;
    // Unused: the request is the caller's, with its own method, path, name and scope.
    const SPEC: Spec = Spec::get("/").name("request");

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(self.request.clone())
    }

    fn decode(&self, raw: RawResponse) -> Result<T> {
        (self.decode)(&raw)
    }
}

/// Builds a [`Client`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use carewire::healthstack::Client;
///
/// let client = Client::builder()
///     .secret_key("sk_test_1234567890abcdef")
///     .base_url("http://127.0.0.1:9/v1")
///     .request_timeout(Duration::from_secs(5))
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/v1");
/// # Ok::<(), carewire::Error>(())
/// ```
pub struct ClientBuilder {
    secret_key: Option<SecretString>,
    base_url: String,
    settings: Settings,
    clock: Arc<dyn Clock>,
    consents: Option<ConsentStore>,
    shared: Option<Arc<dyn SharedState>>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            secret_key: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            settings: Settings::default(),
            clock: Arc::new(SystemClock),
            shared: None,
            consents: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("secret_key", &carewire_core::redact::Redacted(&self.secret_key))
            .field("base_url", &self.base_url)
            .field("settings", &self.settings)
            .field("shared_state", &self.shared)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    carewire_core::settings_setters!(settings);

    /// A builder seeded from `HEALTHSTACK_SECRET_KEY` (required) and `HEALTHSTACK_BASE_URL` (optional);
    /// further settings can still be chained. A missing or empty key is an [`Error::Config`] naming the
    /// variable.
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// let client = carewire::healthstack::ClientBuilder::from_env()?.request_timeout(Duration::from_secs(10)).build()?;
    /// # let _ = client; Ok::<(), carewire::Error>(())
    /// ```
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading variables through `lookup` (for tests and other sources
    /// of configuration).
    ///
    /// ```
    /// use carewire::healthstack::ClientBuilder;
    ///
    /// let vars = |name: &str| (name == "HEALTHSTACK_SECRET_KEY").then(|| "sk_test_123".to_owned());
    /// let client = ClientBuilder::from_vars(vars)?.build()?;
    /// assert_eq!(client.base_url().as_str(), "https://api.healthstack.ng/v1");
    /// assert!(ClientBuilder::from_vars(|_| None).unwrap_err().to_string().contains("HEALTHSTACK_SECRET_KEY"));
    /// # Ok::<(), carewire::Error>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let key = lookup(ENV_SECRET_KEY)
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Error::config(format!("{ENV_SECRET_KEY} is not set (or is empty)")))?;
        let mut builder = Self::default().secret_key(key);
        if let Some(url) = lookup(ENV_BASE_URL).filter(|u| !u.trim().is_empty()) {
            builder = builder.base_url(url.trim());
        }
        Ok(builder)
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

    /// Shares this client's rate budget with every replica of your deployment that uses the same state (a
    /// `carewire_redis::RedisState`) and the same secret key: the rate limiter (yours, or one with no
    /// windows of its own) takes each request from the shared budget too, and a spent window reported to one
    /// replica pauses all. Consent tokens stay in this client's [`ConsentStore`].
    ///
    /// ```no_run
    /// use carewire::core::shared::SharedState;
    /// use carewire::healthstack::Client;
    ///
    /// // `state`: a `carewire_redis::RedisState`, for one.
    /// fn client(state: impl SharedState) -> carewire::Result<Client> {
    ///     Client::builder().secret_key("sk_live_...").shared_state(state).build()
    /// }
    /// ```
    pub fn shared_state(mut self, state: impl SharedState) -> Self {
        self.shared = Some(Arc::new(state));
        self
    }

    /// Builds the client. Fails if no secret key was given or the base URL is malformed.
    pub fn build(self) -> Result<Client> {
        let key = self.secret_key.ok_or_else(|| {
            Error::config("missing Healthstack secret key: set HEALTHSTACK_SECRET_KEY or call secret_key()")
        })?;
        let config = self.settings.apply(ClientConfig::new(&self.base_url)?);
        let namespace = carewire_core::shared::namespace(crate::VENDOR, key.expose_secret());
        let mut consents = self.consents.unwrap_or_else(|| ConsentStore::new(self.clock));
        if let Some(shared) = &self.shared {
            consents = consents.shared_store(shared.token_store(&namespace));
        }
        let mut transport = Transport::builder(crate::VENDOR, config)
            .credentials(BearerToken::new(key)?)
            .subject_credentials(Arc::new(consents.clone()))
            .error_parser(HealthstackErrorParser)
            .known_error_codes(crate::error::KNOWN_CODES);
        if let Some(shared) = &self.shared {
            transport = transport.rate_budget(shared.rate_budget(&namespace));
        }
        let transport = transport.build()?;
        Ok(Client { transport, consents })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_vars_reads_key_and_base() {
        let vars = |name: &str| match name {
            ENV_SECRET_KEY => Some("sk_test_env".to_owned()),
            ENV_BASE_URL => Some(" http://127.0.0.1:9/v1 ".to_owned()),
            _ => None,
        };
        let client = ClientBuilder::from_vars(vars).unwrap().build().unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/v1");
        for missing in [None, Some(""), Some("  ")] {
            let err = ClientBuilder::from_vars(|n| (n == ENV_SECRET_KEY).then(|| missing.map(str::to_owned)).flatten())
                .unwrap_err();
            assert!(matches!(err, Error::Config(ref m) if m.contains(ENV_SECRET_KEY)), "{err}");
        }
        let default_base =
            ClientBuilder::from_vars(|n| (n == ENV_SECRET_KEY).then(|| "k".to_owned())).unwrap().build().unwrap();
        assert_eq!(default_base.base_url().as_str(), DEFAULT_BASE_URL);
    }

    #[test]
    fn handles_are_owned_and_can_move_into_tasks() {
        fn owned<T: Clone + Send + Sync + 'static>(_: &T) {}
        let client = Client::new("sk_test_1").unwrap();
        owned(&client.patients());
        owned(&client.records());
        owned(&client.medicards());
    }
}
