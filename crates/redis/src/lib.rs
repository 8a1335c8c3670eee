//! # carewire-redis
//!
//! State shared by the replicas of a [carewire](https://docs.rs/carewire) deployment, on Redis. Several
//! processes behind a load balancer each keep their own safety mechanisms by default; with a
//! [`RedisState`] they share them:
//!
//! - **Webhook replay guard** ([`RedisReplayGuard`]): one atomic `SET NX PX` per delivery, so a webhook
//!   accepted by one replica is refused as a replay by all. When Redis does not answer, the delivery is
//!   refused ([`ReplayFallback::Refuse`], the default) and the vendor delivers it again later.
//! - **Rate budgets** ([`RedisRateBudget`]): sliding windows per vendor credential and method class, taken
//!   atomically by a Lua script on the server's clock, and kept in step with the vendor's `X-RateLimit-*`
//!   headers (a spent window pauses every replica). When Redis does not answer, each replica counts alone
//!   ([`WhenUnavailable::Local`](carewire_core::shared::WhenUnavailable::Local), the default).
//! - **Tokens** ([`RedisTokenStore`]): one fetch across all replicas when a token is due (a short lock;
//!   the others wait for the stored token), per-patient tokens visible to every replica, each stored only
//!   for its remaining lifetime, under hashed names, and sealed with AES-256-GCM when you configure a
//!   [`SealKey`]. When Redis does not answer, each replica fetches its own (the default).
//!
//! Every command has a timeout (250 ms by default) and nothing panics or hangs when the server is gone;
//! the connection comes back by itself.
//!
//! # Examples
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::time::Duration;
//! use carewire::core::ratelimit::{MethodClass, RateLimiter};
//! use carewire_redis::RedisState;
//!
//! # async fn run() -> carewire::Result<()> {
//! // `CAREWIRE_REDIS_URL` (and, to seal tokens, `CAREWIRE_REDIS_SEAL_KEY`).
//! let state = RedisState::from_env()?;
//!
//! // Webhooks: every replica refuses what any replica accepted.
//! let webhooks = carewire::medtimes::Webhooks::from_env()?.replay_guard(state.replay_guard("medtimes"));
//! # let (headers, body): ([(&str, &str); 0], &[u8]) = ([], b"");
//! let event = webhooks.receive_async(headers, body).await?;
//!
//! // Clients: budgets and tokens shared with every replica using the same credential.
//! let client = carewire::medtimes::Client::builder()
//!     .api_key("sk_live_...")
//!     .rate_limiter(Arc::new(RateLimiter::new().budget(MethodClass::Write, 40, Duration::from_secs(60))))
//!     .shared_state(state.clone())
//!     .build()?;
//! # let _ = (event, client); Ok(()) }
//! ```
//!
//! # Security of the token store
//!
//! Tokens are credentials to patient data. Without a [`SealKey`], a stored token is plain JSON: anyone who
//! can read the Redis server (or its snapshots and replicas) can use it until it expires. With one, a
//! token is sealed (AES-256-GCM, a fresh nonce each time, bound to its Redis key) and key names are keyed
//! hashes, so the server holds no token and no patient id; a replica with another key gets
//! [`TokenStoreError::Unseal`](carewire_core::auth::TokenStoreError::Unseal) (an
//! [`Error::Config`](carewire_core::Error::Config) from the client) rather than a wrong token. Keep
//! Redis on a private network with authentication either way.

mod budget;
mod conn;
mod replay;
mod seal;
mod state;
mod tokens;

pub use budget::RedisRateBudget;
pub use replay::{RedisReplayGuard, ReplayFallback};
pub use seal::{ENV_SEAL_KEY, SealKey};
pub use state::{DEFAULT_COMMAND_TIMEOUT, DEFAULT_COOL_DOWN, ENV_URL, RedisState, RedisStateBuilder};
pub use tokens::RedisTokenStore;
