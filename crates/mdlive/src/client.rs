//! [`Client`] and [`ClientBuilder`]: the MDLIVE account (API key, password, organisational unit, base URL,
//! optional enterprise secret), the two transports (one carrying the API token or a patient's token, one with
//! no credentials for the token endpoints), sign-in and resumed sessions.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use carewire_core::auth::{Token, TokenCache};
use carewire_core::operation::{Call, Operation};
use carewire_core::secret::{ExposeSecret as _, SecretString};
use carewire_core::shared::SharedState;
use carewire_core::subject::{Clock, SubjectTokenCache};
use carewire_core::{ClientConfig, Error, RateLimit, Request, Response, Result, Settings, Transport};
use serde::de::DeserializeOwned;

use crate::VENDOR;
use crate::auth::sources::{ApiTokenSource, Secrets, SessionTokens};
use crate::auth::{EnterpriseHash, EnterpriseHashForm, PatientIdentity};
use crate::session::PatientSession;

/// Environment variable holding the API key.
pub const ENV_API_KEY: &str = "MDLIVE_API_KEY";
/// Environment variable holding the API password.
pub const ENV_API_PASSWORD: &str = "MDLIVE_API_PASSWORD";
/// Environment variable holding the organisational unit (`ou`).
pub const ENV_OU: &str = "MDLIVE_OU";
/// Environment variable holding the base URL (required: MDLIVE documents only a `{server}` placeholder).
pub const ENV_BASE_URL: &str = "MDLIVE_BASE_URL";
/// Environment variable holding the optional enterprise shared secret.
pub const ENV_ENTERPRISE_SECRET: &str = "MDLIVE_ENTERPRISE_SECRET";

type SessionCache = SubjectTokenCache<SessionTokens>;

struct Inner {
    transport: Transport,
    tokens: Transport,
    sessions: Arc<SessionCache>,
}

/// An MDLIVE API client. Cheap to clone (shared behind an `Arc`), `Send + Sync`.
///
/// Calls that need the API token get it on their own (fetched once, reused until shortly before its JWT
/// `exp`, fetched again after a 401); patient calls go through a [`PatientSession`] from
/// [`Client::sign_in`] or [`Client::resume_session`].
///
/// ```no_run
/// use carewire::mdlive::{Client, Gender, PatientIdentity, Relationship};
/// use chrono::NaiveDate;
///
/// # async fn run() -> carewire::Result<()> {
/// let client = Client::from_env()?;
/// let identity = PatientIdentity::new("Ada", "Lovelace")
///     .gender(Gender::Female)
///     .birthdate(NaiveDate::from_ymd_opt(1960, 12, 31).unwrap())
///     .subscriber_id("SUB-1001")
///     .member_id("M-1001")
///     .phone("555-555-5555")
///     .address("1 Main St", "Sunrise", "FL", "33303")
///     .relationship(Relationship::Primary);
/// let session = client.sign_in(identity).await?;
/// println!("signed in patient {}", session.patient_id());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("transport", &self.inner.transport)
            .field("sessions", &self.inner.sessions)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `MDLIVE_API_KEY`, `MDLIVE_API_PASSWORD`, `MDLIVE_OU`, `MDLIVE_BASE_URL`
    /// (all required) and `MDLIVE_ENTERPRISE_SECRET` (optional).
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env()?.build()
    }

    /// A call of any MDLIVE operation with the client's API token (or none, for the token endpoints): set
    /// per-call options, then `.await` it. Patient operations go through [`PatientSession::send`].
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use carewire::mdlive::{Client, ListAssessments};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let answer = client.send(ListAssessments::new()).timeout(Duration::from_secs(5)).send_with_meta().await?;
    /// println!("HTTP {}: {} assessments", answer.meta.status, answer.data.len());
    /// # Ok(()) }
    /// ```
    pub fn send<O: Operation>(&self, operation: O) -> Call<O> {
        Call::new(self.inner.transport.clone(), operation)
    }

    /// Signs a patient in (`POST /api/v1/sso_auth/auth_token`, creating or updating the patient in MDLIVE)
    /// and returns their session. The identity is kept so that the patient can be signed in again when the
    /// token can no longer be extended. Invalid identities are refused before sending (the error names the
    /// field); a refused sign-in is an [`Error::Auth`] with MDLIVE's status.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::mdlive::Client, identity: carewire::mdlive::PatientIdentity) -> carewire::Result<()> {
    /// let session = client.sign_in(identity).await?;
    /// let assignments = session.assessments().assignments().await?;
    /// # let _ = assignments; Ok(()) }
    /// ```
    pub async fn sign_in(&self, identity: PatientIdentity) -> Result<PatientSession> {
        let sessions = &self.inner.sessions;
        let token = sessions.source().sign_in(&identity).await?;
        let Some(patient_id) = token.patient_id().map(str::to_owned) else {
            return Err(Error::Auth(carewire_core::AuthError::new("MDLIVE's sign-in answer has no patient id")));
        };
        let lifetime = token.lifetime();
        // With shared state, every replica sees the session from now on.
        sessions.insert_shared(&patient_id, Token::new(token.jwt, Some(lifetime))).await?;
        sessions.source().remember(&patient_id, identity);
        Ok(PatientSession::new(self.clone(), patient_id))
    }

    /// A session for a patient signed in elsewhere: on another replica sharing this client's state
    /// ([`ClientBuilder::shared_state`]), whose token this client reads from the shared store. Nothing is
    /// sent now; without a token in either place, its calls fail with an [`Error::Auth`].
    ///
    /// ```no_run
    /// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
    /// // Patient 52 signed in through another replica a minute ago.
    /// let session = client.session("52");
    /// let allergies = session.allergies().list().await?;
    /// # let _ = allergies; Ok(()) }
    /// ```
    pub fn session(&self, patient_id: impl Into<String>) -> PatientSession {
        PatientSession::new(self.clone(), patient_id.into())
    }

    /// A session for a patient whose user token you already hold (saved from an earlier sign-in), valid for
    /// `expires_in` from now. It is extended before it expires like any session; but with no identity stored
    /// (unless this client signed the patient in before), it cannot be signed in again: once the token can no
    /// longer be extended, its calls fail with an [`Error::Auth`] saying so.
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// # async fn run(client: carewire::mdlive::Client, saved_jwt: String) -> carewire::Result<()> {
    /// let session = client.resume_session("52", saved_jwt, Duration::from_secs(45 * 60))?;
    /// assert_eq!(session.patient_id(), "52");
    /// # Ok(()) }
    /// ```
    pub fn resume_session(
        &self,
        patient_id: impl Into<String>,
        jwt: impl Into<String>,
        expires_in: Duration,
    ) -> Result<PatientSession> {
        let patient_id = patient_id.into();
        let jwt = jwt.into();
        if patient_id.trim().is_empty() {
            return Err(Error::invalid_request("patient_id", "must not be empty"));
        }
        if jwt.trim().is_empty() {
            return Err(Error::invalid_request("jwt", "must not be empty"));
        }
        self.inner.sessions.insert(&patient_id, Token::new(jwt, Some(expires_in)))?;
        Ok(PatientSession::new(self.clone(), patient_id))
    }

    /// Sends any request with the API token, retries and error mapping, and decodes the 2xx body into `T`
    /// (`serde_json::Value` for untyped JSON): the escape hatch for endpoints no typed operation covers.
    ///
    /// ```no_run
    /// use carewire::core::Request;
    ///
    /// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
    /// let names: serde_json::Value = client.request(Request::get("/api/v2/surgery_names")).await?;
    /// # let _ = names; Ok(()) }
    /// ```
    pub async fn request<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.inner.transport.send(request).await
    }

    /// Like [`Client::request`], also returning status, request id and rate limit.
    pub async fn request_with_meta<T: DeserializeOwned>(&self, request: Request) -> Result<Response<T>> {
        self.inner.transport.send_with_meta(request).await
    }

    /// The latest rate-limit headers any response carried (MDLIVE documents none).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.transport.rate_limit()
    }

    /// The base URL requests are sent to (the host; paths carry `/api/v1`, `/api/v2` or `/auth`).
    pub fn base_url(&self) -> &url::Url {
        self.inner.transport.base_url()
    }

    /// The transport of the client's calls (API token, or a patient's token for a session's calls).
    pub fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// The transport of the token endpoints (no credentials).
    pub fn token_transport(&self) -> &Transport {
        &self.inner.tokens
    }

    pub(crate) fn forget_session(&self, patient_id: &str) {
        self.inner.sessions.remove(patient_id);
        self.inner.sessions.source().forget(patient_id);
        // Every replica forgets it too (in the background: signing out is synchronous).
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (sessions, patient_id) = (Arc::clone(&self.inner.sessions), patient_id.to_owned());
            runtime.spawn(async move {
                let _ = sessions.remove_shared(&patient_id).await;
            });
        }
    }

    pub(crate) fn knows_identity(&self, patient_id: &str) -> bool {
        self.inner.sessions.source().knows(patient_id)
    }
}

type ClockSetter = Box<dyn FnOnce(SessionCache) -> SessionCache + Send + Sync>;

/// Builds a [`Client`].
///
/// Required: API key, password, organisational unit and base URL. Defaults: no enterprise hash, tokens
/// refreshed 60 s ahead of expiry, core's default timeouts and retry policy.
#[derive(Default)]
pub struct ClientBuilder {
    api_key: Option<SecretString>,
    password: Option<SecretString>,
    ou: Option<String>,
    base_url: Option<String>,
    enterprise_secret: Option<SecretString>,
    enterprise_form: EnterpriseHashForm,
    fixed_hash: Option<SecretString>,
    api_token: Option<SecretString>,
    refresh_ahead: Option<Duration>,
    max_sessions: Option<usize>,
    clock: Option<ClockSetter>,
    settings: Settings,
    shared: Option<Arc<dyn SharedState>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |s: &Option<SecretString>| s.as_ref().map(|_| "[REDACTED]");
        f.debug_struct("ClientBuilder")
            .field("api_key", &set(&self.api_key))
            .field("password", &set(&self.password))
            .field("ou", &self.ou)
            .field("base_url", &self.base_url)
            .field("enterprise_secret", &set(&self.enterprise_secret))
            .field("enterprise_form", &self.enterprise_form)
            .field("fixed_hash", &set(&self.fixed_hash))
            .field("refresh_ahead", &self.refresh_ahead)
            .field("settings", &self.settings)
            .field("shared_state", &self.shared)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    carewire_core::settings_setters!(settings);

    /// A builder seeded from `MDLIVE_API_KEY`, `MDLIVE_API_PASSWORD`, `MDLIVE_OU`, `MDLIVE_BASE_URL`
    /// (required; a missing or empty one is an [`Error::Config`] naming it) and `MDLIVE_ENTERPRISE_SECRET`
    /// (optional).
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// let client = carewire::mdlive::ClientBuilder::from_env()?.request_timeout(Duration::from_secs(10)).build()?;
    /// # let _ = client; Ok::<(), carewire::Error>(())
    /// ```
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading variables through `lookup`.
    ///
    /// ```
    /// use carewire::mdlive::ClientBuilder;
    ///
    /// let vars = |name: &str| match name {
    ///     "MDLIVE_API_KEY" => Some("key".to_owned()),
    ///     "MDLIVE_API_PASSWORD" => Some("password".to_owned()),
    ///     "MDLIVE_OU" => Some("acme".to_owned()),
    ///     "MDLIVE_BASE_URL" => Some("https://stage-rest-api.mdlive.com".to_owned()),
    ///     _ => None,
    /// };
    /// let client = ClientBuilder::from_vars(vars)?.build()?;
    /// assert_eq!(client.base_url().as_str(), "https://stage-rest-api.mdlive.com/");
    /// let err = ClientBuilder::from_vars(|_| None).unwrap_err();
    /// assert!(err.to_string().contains("MDLIVE_API_KEY"));
    /// # Ok::<(), carewire::Error>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let required = |name: &'static str| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| Error::config(format!("{name} is not set (or is empty)")))
        };
        let mut builder = Self::default()
            .api_key(required(ENV_API_KEY)?)
            .password(required(ENV_API_PASSWORD)?)
            .ou(required(ENV_OU)?)
            .base_url(required(ENV_BASE_URL)?);
        if let Some(secret) = lookup(ENV_ENTERPRISE_SECRET).filter(|s| !s.trim().is_empty()) {
            builder = builder.enterprise_secret(secret);
        }
        Ok(builder)
    }

    /// The API key assigned by the account manager (required).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }
    /// The password assigned to the key (required).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(SecretString::from(password.into()));
        self
    }
    /// The organisational unit identifier MDLIVE assigned (`org.ou`; required).
    pub fn ou(mut self, ou: impl Into<String>) -> Self {
        self.ou = Some(ou.into());
        self
    }
    /// The API host (required: the doc shows only a `{server}` placeholder). A trailing `/api`, `/api/v1` or
    /// `/api/v2` is dropped, since the paths carry their own version.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }
    /// The enterprise shared secret: each sign-in then sends a fresh `request_timestamp` and the
    /// enterprise hash computed from it (and needs the patient's member id).
    pub fn enterprise_secret(mut self, secret: impl Into<String>) -> Self {
        self.enterprise_secret = Some(SecretString::from(secret.into()));
        self
    }
    /// How the enterprise hash is encoded (default [`EnterpriseHashForm::Base64OfHex`], the form of the
    /// doc's example).
    pub fn enterprise_hash_form(mut self, form: EnterpriseHashForm) -> Self {
        self.enterprise_form = form;
        self
    }
    /// A fixed enterprise hash issued by the account manager, sent as is on every sign-in (instead of a
    /// shared secret).
    pub fn fixed_enterprise_hash(mut self, hash: impl Into<String>) -> Self {
        self.fixed_hash = Some(SecretString::from(hash.into()));
        self
    }
    /// An API token obtained elsewhere (another process, a cache): used until its JWT `exp` (or for the
    /// default lifetime when unreadable) or until MDLIVE refuses it, then fetched as usual.
    pub fn api_token(mut self, jwt: impl Into<String>) -> Self {
        self.api_token = Some(SecretString::from(jwt.into()));
        self
    }
    /// How long before expiry tokens are renewed (default 60 s; capped at half a token's lifetime).
    pub fn refresh_ahead(mut self, ahead: Duration) -> Self {
        self.refresh_ahead = Some(ahead);
        self
    }
    /// State shared by every replica of your service (`carewire-redis`'s `RedisState`): the API token is
    /// fetched once for all of them, patient sessions signed in on one replica are used by the others
    /// (open them there with [`Client::session`]), and the rate budget is one budget.
    ///
    /// ```no_run
    /// use carewire::core::shared::SharedState;
    /// use carewire::mdlive::Client;
    ///
    /// fn build(state: impl SharedState) -> carewire::Result<Client> {
    ///     Client::builder().api_key("key").password("pw").ou("acme").base_url("https://mdlive.example").shared_state(state).build()
    /// }
    /// ```
    pub fn shared_state(mut self, state: impl SharedState) -> Self {
        self.shared = Some(Arc::new(state));
        self
    }
    /// How many patient sessions the client keeps tokens for at most (default 10,000).
    pub fn max_sessions(mut self, max: usize) -> Self {
        self.max_sessions = Some(max);
        self
    }
    /// The clock patient tokens expire by (default tokio's clock): for tests that drive expiry by hand.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Box::new(move |cache: SessionCache| cache.clock(clock)));
        self
    }

    /// Builds the client. Fails with [`Error::Config`] when a credential or the base URL is missing, or
    /// both an enterprise secret and a fixed hash are set.
    pub fn build(self) -> Result<Client> {
        let missing = |what: &str, var: &str| Error::config(format!("the MDLIVE {what} is not set (or `{var}`)"));
        let api_key = self.api_key.ok_or_else(|| missing("API key (`api_key(..)`)", ENV_API_KEY))?;
        let password = self.password.ok_or_else(|| missing("API password (`password(..)`)", ENV_API_PASSWORD))?;
        let ou = self
            .ou
            .filter(|o| !o.trim().is_empty())
            .ok_or_else(|| missing("organisational unit (`ou(..)`)", ENV_OU))?;
        let base = self.base_url.ok_or_else(|| {
            missing("base URL (`base_url(..)`; MDLIVE documents only a `{server}` placeholder)", ENV_BASE_URL)
        })?;
        if api_key.expose_secret().trim().is_empty() || password.expose_secret().trim().is_empty() {
            return Err(Error::config("the MDLIVE API key or password is empty"));
        }
        let enterprise = match (self.enterprise_secret, self.fixed_hash) {
            (Some(_), Some(_)) => {
                return Err(Error::config(
                    "set either an MDLIVE enterprise secret or a fixed enterprise hash, not both",
                ));
            }
            (Some(secret), None) => EnterpriseHash::Secret { secret, form: self.enterprise_form },
            (None, Some(hash)) => EnterpriseHash::Fixed(hash),
            (None, None) => EnterpriseHash::None,
        };
        let base = normalize_base_url(&base);
        let config = |settings: Settings| -> Result<ClientConfig> { Ok(settings.apply(ClientConfig::new(&base)?)) };
        let tokens =
            Transport::builder(VENDOR, config(self.settings.clone())?).error_parser(crate::error::SHAPE).build()?;
        let namespace = carewire_core::shared::namespace(VENDOR, api_key.expose_secret());
        let secrets = Arc::new(Secrets { api_key, password, ou, enterprise });
        let refresh_ahead = self.refresh_ahead.unwrap_or(Duration::from_secs(60));
        let mut api = TokenCache::new(ApiTokenSource {
            tokens: tokens.clone(),
            secrets: Arc::clone(&secrets),
            seed: Mutex::new(self.api_token),
        })
        .refresh_ahead(refresh_ahead);
        let mut sessions =
            SubjectTokenCache::new(SessionTokens::new(tokens.clone(), secrets)).refresh_ahead(refresh_ahead);
        if let Some(max) = self.max_sessions {
            sessions = sessions.max_subjects(max);
        }
        if let Some(set_clock) = self.clock {
            sessions = set_clock(sessions);
        }
        if let Some(shared) = &self.shared {
            api = api.shared_store(shared.token_store(&namespace), "api");
            sessions = sessions.shared_store(shared.token_store(&namespace));
        }
        let sessions = Arc::new(sessions);
        let mut transport = Transport::builder(VENDOR, config(self.settings)?)
            .credentials(api)
            .subject_credentials(Arc::clone(&sessions) as Arc<dyn carewire_core::subject::SubjectCredentials>)
            .error_parser(crate::error::SHAPE);
        if let Some(shared) = &self.shared {
            transport = transport.rate_budget(shared.rate_budget(&namespace));
        }
        let transport = transport.build()?;
        Ok(Client { inner: Arc::new(Inner { transport, tokens, sessions }) })
    }
}

/// Drops trailing slashes and one trailing `/api`, `/api/v1` or `/api/v2` (ASCII case-insensitive).
pub(crate) fn normalize_base_url(base: &str) -> String {
    let trimmed = base.trim().trim_end_matches('/');
    let lower = trimmed.to_ascii_lowercase();
    let cut = ["/api/v1", "/api/v2", "/api"].iter().find(|s| lower.ends_with(*s)).map_or(0, |s| s.len());
    trimmed[..trimmed.len() - cut].trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ClientBuilder {
        Client::builder().api_key("key").password("pw").ou("acme")
    }

    #[test]
    fn base_url_is_required_and_normalized() {
        let err = builder().build().unwrap_err();
        assert!(err.to_string().contains("MDLIVE_BASE_URL"), "{err}");
        for base in [
            "https://mdlive.example",
            "https://mdlive.example/",
            "https://mdlive.example/api/v1/",
            "https://mdlive.example/API/V2",
        ] {
            let client = builder().base_url(base).build().unwrap();
            assert_eq!(client.base_url().as_str(), "https://mdlive.example/", "{base}");
        }
        let proxied = builder().base_url("https://proxy.example/mdlive/").build().unwrap();
        let url = proxied.transport().url_for(&Request::post("/auth/auth_token")).unwrap();
        assert_eq!(url.as_str(), "https://proxy.example/mdlive/auth/auth_token");
        assert!(matches!(builder().base_url("http://mdlive.example").build(), Err(Error::Config(_))));
    }

    #[test]
    fn credentials_are_required_and_hidden() {
        assert!(matches!(Client::builder().base_url("https://m.example").build(), Err(Error::Config(_))));
        let no_ou = Client::builder().api_key("k").password("p").base_url("https://m.example").build().unwrap_err();
        assert!(no_ou.to_string().contains("MDLIVE_OU"), "{no_ou}");
        let both = builder().base_url("https://m.example").enterprise_secret("s").fixed_enterprise_hash("h").build();
        assert!(matches!(both, Err(Error::Config(_))));
        let b = Client::builder().api_key("very-secret-key").password("very-secret-pw").enterprise_secret("shh-secret");
        let text = format!("{b:?}");
        assert!(!text.contains("very-secret") && !text.contains("shh-secret"), "{text}");
        let client = builder().password("very-secret-pw").base_url("https://m.example").build().unwrap();
        assert!(!format!("{client:?}").contains("very-secret"));
    }

    #[test]
    fn from_vars_names_each_missing_variable() {
        let all = |name: &str| match name {
            ENV_API_KEY | ENV_API_PASSWORD | ENV_OU => Some("v".to_owned()),
            ENV_BASE_URL => Some("http://127.0.0.1:9".to_owned()),
            _ => None,
        };
        assert!(ClientBuilder::from_vars(all).unwrap().build().is_ok());
        for var in [ENV_API_KEY, ENV_API_PASSWORD, ENV_OU, ENV_BASE_URL] {
            let err = ClientBuilder::from_vars(|n| if n == var { Some(" ".to_owned()) } else { all(n) }).unwrap_err();
            assert!(matches!(err, Error::Config(ref m) if m.contains(var)), "{var}: {err}");
        }
        let with_secret =
            ClientBuilder::from_vars(|n| if n == ENV_ENTERPRISE_SECRET { Some("s".into()) } else { all(n) });
        assert!(format!("{:?}", with_secret.unwrap()).contains("enterprise_secret: Some"));
    }
}
