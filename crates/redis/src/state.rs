//! [`RedisState`] and its builder: the connection, the sealing key, the key layout, the fallbacks, and the
//! [`SharedState`] implementation that vendor builders' `shared_state(..)` take.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use carewire_core::shared::{SharedState, Unavailable, WhenUnavailable};
use carewire_core::{Error, Result};

use crate::budget::RedisRateBudget;
use crate::conn::Conn;
use crate::replay::{RedisReplayGuard, ReplayFallback};
use crate::seal::{ENV_SEAL_KEY, SealKey, hashed_name};
use crate::tokens::RedisTokenStore;

/// The environment variable [`RedisState::from_env`] reads the server's URL from
/// (`redis://127.0.0.1:6379`, `redis://:password@host:6379/0`).
pub const ENV_URL: &str = "CAREWIRE_REDIS_URL";

/// The default timeout of one Redis command: 250 ms.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_millis(250);

/// How long after a failure commands are not sent (they fail at once): 1 s.
pub const DEFAULT_COOL_DOWN: Duration = Duration::from_secs(1);

pub(crate) struct Inner {
    pub(crate) conn: Conn,
    pub(crate) seal: Option<SealKey>,
    prefix: String,
    pub(crate) replay_fallback: ReplayFallback,
    pub(crate) rate_fallback: WhenUnavailable,
    pub(crate) token_fallback: WhenUnavailable,
    pub(crate) replay_ttl: Duration,
    pub(crate) token_max_ttl: Duration,
}

impl Inner {
    /// The prefix of a store's keys: `{prefix}:{{namespace}}:{kind}` (the braces keep one namespace's keys
    /// in one Redis Cluster slot, as the budget's script needs).
    pub(crate) fn key(&self, namespace: &str, kind: &str) -> String {
        format!("{}:{{{namespace}}}:{kind}", self.prefix)
    }

    /// A caller's key as it appears in Redis: a keyed hash.
    pub(crate) fn name(&self, key: &str) -> String {
        hashed_name(self.seal.as_ref(), key)
    }
}

/// A random 128-bit id, as hex (lock values, budget members): unique, not secret.
pub(crate) fn unique_id() -> String {
    format!("{:032x}", fastrand::u128(..))
}

/// State shared by the replicas of a deployment, on one Redis server: a webhook replay guard, rate budgets
/// and a token store per vendor credential, handed to vendor clients with their builder's
/// `shared_state(..)`. Cheap to clone (an `Arc` inside).
///
/// It connects on first use and reconnects by itself (the `redis` crate's connection manager); every
/// command has a timeout ([`DEFAULT_COMMAND_TIMEOUT`]), and after a failure commands are not sent for a
/// short cool-down ([`DEFAULT_COOL_DOWN`]), so an unreachable server never makes a call hang. What each
/// store then does is a setting: the replay guard refuses ([`ReplayFallback::Refuse`]), the rate budget
/// and the token store carry on in each process ([`WhenUnavailable::Local`]), with a `tracing` warning.
///
/// Use it within one tokio runtime (its connection lives on the runtime of its first command).
///
/// # Examples
///
/// ```no_run
/// use carewire_redis::{RedisState, SealKey};
///
/// # fn run() -> carewire::Result<()> {
/// let state = RedisState::builder("redis://127.0.0.1:6379")
///     .seal_key(SealKey::from_base64(&std::env::var("CAREWIRE_REDIS_SEAL_KEY").unwrap_or_default())?)
///     .build()?;
/// let webhooks = carewire::medtimes::Webhooks::new("whsec_live").replay_guard(state.replay_guard("medtimes"));
/// # let _ = webhooks; Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisState {
    inner: Arc<Inner>,
}

impl fmt::Debug for RedisState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisState")
            .field("conn", &self.inner.conn)
            .field("prefix", &self.inner.prefix)
            .field("sealed", &self.inner.seal.is_some())
            .field("replay_fallback", &self.inner.replay_fallback)
            .field("rate_fallback", &self.inner.rate_fallback)
            .field("token_fallback", &self.inner.token_fallback)
            .finish_non_exhaustive()
    }
}

impl RedisState {
    /// State on the Redis server at `url`, with the defaults. The URL is checked here (an invalid one is an
    /// [`Error::Config`]); the server is reached on first use.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_redis::RedisState;
    ///
    /// let state = RedisState::connect("redis://127.0.0.1:6379")?;
    /// assert!(format!("{state:?}").contains("127.0.0.1:6379"));
    /// assert!(RedisState::connect("not a url").is_err());
    /// # Ok::<(), carewire_core::Error>(())
    /// ```
    pub fn connect(url: &str) -> Result<Self> {
        Self::builder(url).build()
    }

    /// A builder for state on the Redis server at `url`.
    pub fn builder(url: &str) -> RedisStateBuilder {
        RedisStateBuilder {
            url: url.to_owned(),
            seal: None,
            prefix: "carewire".to_owned(),
            timeout: DEFAULT_COMMAND_TIMEOUT,
            cool_down: DEFAULT_COOL_DOWN,
            replay_fallback: ReplayFallback::default(),
            rate_fallback: WhenUnavailable::default(),
            token_fallback: WhenUnavailable::default(),
            replay_ttl: carewire_core::webhook::DEFAULT_REPLAY_TTL,
            token_max_ttl: Duration::from_secs(24 * 3600),
        }
    }

    /// State from `CAREWIRE_REDIS_URL` (required) and `CAREWIRE_REDIS_SEAL_KEY` (optional: 32 bytes,
    /// base64). A missing or empty URL is an [`Error::Config`] naming the variable.
    ///
    /// ```no_run
    /// let state = carewire_redis::RedisState::from_env()?;
    /// # let _ = state; Ok::<(), carewire_core::Error>(())
    /// ```
    pub fn from_env() -> Result<Self> {
        RedisStateBuilder::from_env()?.build()
    }

    /// Like [`RedisState::from_env`], reading variables through `lookup`.
    ///
    /// ```
    /// use carewire_redis::{RedisState, SealKey};
    ///
    /// let key = SealKey::generate()?.to_base64();
    /// let vars = |name: &str| match name {
    ///     "CAREWIRE_REDIS_URL" => Some("redis://127.0.0.1:6379".to_owned()),
    ///     "CAREWIRE_REDIS_SEAL_KEY" => Some(key.clone()),
    ///     _ => None,
    /// };
    /// assert!(format!("{:?}", RedisState::from_vars(vars)?).contains("sealed: true"));
    /// let err = RedisState::from_vars(|_| None).unwrap_err();
    /// assert!(err.to_string().contains("CAREWIRE_REDIS_URL"));
    /// # Ok::<(), carewire_core::Error>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        RedisStateBuilder::from_vars(lookup)?.build()
    }

    /// The webhook replay guard of `namespace` (a vendor's name, `"medtimes"`).
    pub fn replay_guard(&self, namespace: &str) -> RedisReplayGuard {
        RedisReplayGuard::new(Arc::clone(&self.inner), namespace)
    }

    /// The rate budget of `namespace` (a vendor and its credential: see
    /// [`carewire_core::shared::namespace`]).
    pub fn rate_budget(&self, namespace: &str) -> RedisRateBudget {
        RedisRateBudget::new(Arc::clone(&self.inner), namespace)
    }

    /// The token store of `namespace` (a vendor and its credential).
    pub fn token_store(&self, namespace: &str) -> RedisTokenStore {
        RedisTokenStore::new(Arc::clone(&self.inner), namespace)
    }

    /// Sends a `PING`: `Ok` when the server answers within the command timeout (for health checks).
    pub async fn ping(&self) -> std::result::Result<(), Unavailable> {
        let answer: String = self.inner.conn.query(&redis::cmd("PING")).await?;
        if answer == "PONG" { Ok(()) } else { Err(Unavailable::new("unexpected answer to PING")) }
    }

    /// The timeout of one command.
    pub fn command_timeout(&self) -> Duration {
        self.inner.conn.timeout()
    }
}

impl SharedState for RedisState {
    fn replay_guard(&self, namespace: &str) -> Arc<dyn carewire_core::webhook::ReplayGuard> {
        Arc::new(RedisState::replay_guard(self, namespace))
    }
    fn rate_budget(&self, namespace: &str) -> Arc<dyn carewire_core::ratelimit::RateBudget> {
        Arc::new(RedisState::rate_budget(self, namespace))
    }
    fn token_store(&self, namespace: &str) -> Arc<dyn carewire_core::auth::TokenStore> {
        Arc::new(RedisState::token_store(self, namespace))
    }
}

/// Builds a [`RedisState`]. Every setting has a default: no sealing key, key prefix `carewire`, 250 ms per
/// command, 1 s cool-down, replay checks refused and budgets and tokens local while Redis is unavailable,
/// replay keys kept 7 days, tokens without an expiry kept 24 hours.
#[must_use]
pub struct RedisStateBuilder {
    url: String,
    seal: Option<SealKey>,
    prefix: String,
    timeout: Duration,
    cool_down: Duration,
    replay_fallback: ReplayFallback,
    rate_fallback: WhenUnavailable,
    token_fallback: WhenUnavailable,
    replay_ttl: Duration,
    token_max_ttl: Duration,
}

impl fmt::Debug for RedisStateBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStateBuilder")
            .field("url", &"[REDACTED]")
            .field("sealed", &self.seal.is_some())
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStateBuilder {
    /// A builder seeded from `CAREWIRE_REDIS_URL` (required) and `CAREWIRE_REDIS_SEAL_KEY` (optional).
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Like [`RedisStateBuilder::from_env`], reading variables through `lookup`.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let url = lookup(ENV_URL)
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| Error::config(format!("{ENV_URL} is not set (or is empty)")))?;
        let mut builder = RedisState::builder(url.trim());
        if let Some(key) = lookup(ENV_SEAL_KEY).filter(|k| !k.trim().is_empty()) {
            builder = builder.seal_key(SealKey::from_base64(&key)?);
        }
        Ok(builder)
    }

    /// Seals tokens with `key` (AES-256-GCM) before writing them, and hashes key names with it. Every replica
    /// needs the same key.
    pub fn seal_key(mut self, key: SealKey) -> Self {
        self.seal = Some(key);
        self
    }

    /// The first part of every key (default `carewire`): separate deployments sharing one server.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The timeout of one command, reconnection included (default [`DEFAULT_COMMAND_TIMEOUT`]).
    pub fn command_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How long after a failure commands fail at once without being sent (default [`DEFAULT_COOL_DOWN`]).
    pub fn cool_down(mut self, cool_down: Duration) -> Self {
        self.cool_down = cool_down;
        self
    }

    /// What the replay guard does while Redis does not answer (default [`ReplayFallback::Refuse`]).
    pub fn replay_unavailable(mut self, fallback: ReplayFallback) -> Self {
        self.replay_fallback = fallback;
        self
    }

    /// What the rate limiter does while Redis does not answer (default [`WhenUnavailable::Local`]).
    pub fn rate_unavailable(mut self, fallback: WhenUnavailable) -> Self {
        self.rate_fallback = fallback;
        self
    }

    /// What the token caches do while Redis does not answer (default [`WhenUnavailable::Local`]).
    pub fn tokens_unavailable(mut self, fallback: WhenUnavailable) -> Self {
        self.token_fallback = fallback;
        self
    }

    /// How long a webhook is remembered (default 7 days, as the in-memory guard).
    pub fn replay_ttl(mut self, ttl: Duration) -> Self {
        self.replay_ttl = ttl;
        self
    }

    /// How long a token without an expiry is kept (default 24 hours).
    pub fn token_max_ttl(mut self, ttl: Duration) -> Self {
        self.token_max_ttl = ttl;
        self
    }

    /// Builds the state. An invalid URL is an [`Error::Config`] (which never quotes the URL: it may hold a
    /// password).
    pub fn build(self) -> Result<RedisState> {
        let client = redis::Client::open(self.url.as_str())
            .map_err(|_| Error::config("the Redis URL is not valid (expected redis://host:port/db)"))?;
        Ok(RedisState {
            inner: Arc::new(Inner {
                conn: Conn::new(client, self.timeout, self.cool_down),
                seal: self.seal,
                prefix: self.prefix,
                replay_fallback: self.replay_fallback,
                rate_fallback: self.rate_fallback,
                token_fallback: self.token_fallback,
                replay_ttl: self.replay_ttl,
                token_max_ttl: self.token_max_ttl,
            }),
        })
    }
}
