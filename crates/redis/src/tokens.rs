//! The shared token store: tokens under keyed-hash names, each expiring with the token, sealed with the
//! state's [`SealKey`](crate::SealKey) when it has one, and a fetch lock (`SET NX PX` with a random value,
//! released by compare-and-delete) for one fetch across replicas.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use carewire_core::BoxFuture;
use carewire_core::auth::{FetchLock, StoredToken, TokenStore, TokenStoreError};
use carewire_core::shared::WhenUnavailable;
use redis::Script;

use crate::seal;
use crate::state::Inner;

/// Deletes KEYS[1] only while it still holds ARGV[1].
const UNLOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

/// A [`TokenStore`] on Redis, shared by every process using the same namespace (a vendor and its
/// credential). Get one from [`RedisState::token_store`](crate::RedisState::token_store).
///
/// A token is stored only for its remaining lifetime (a token without one for the state's
/// `token_max_ttl`), under a name that is a keyed hash of the cache's key (never a patient id), and sealed
/// with AES-256-GCM when the state has a [`SealKey`](crate::SealKey). Without a key, anyone who can read
/// the Redis server can read the tokens.
#[derive(Clone)]
pub struct RedisTokenStore {
    state: Arc<Inner>,
    prefix: String,
    unlock: Arc<Script>,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("namespace", &self.prefix)
            .field("sealed", &self.state.seal.is_some())
            .field("when_unavailable", &self.state.token_fallback)
            .finish_non_exhaustive()
    }
}

impl RedisTokenStore {
    pub(crate) fn new(state: Arc<Inner>, namespace: &str) -> Self {
        let prefix = state.key(namespace, "tok");
        Self { state, prefix, unlock: Arc::new(Script::new(UNLOCK)) }
    }

    fn redis_key(&self, key: &str) -> String {
        format!("{}:{}", self.prefix, self.state.name(key))
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl TokenStore for RedisTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>, TokenStoreError>> {
        Box::pin(async move {
            let redis_key = self.redis_key(key);
            let text: Option<String> = self.state.conn.query(redis::cmd("GET").arg(&redis_key)).await?;
            text.map(|text| seal::decode(self.state.seal.as_ref(), &redis_key, &text)).transpose()
        })
    }

    fn put<'a>(&'a self, key: &'a str, token: &'a StoredToken) -> BoxFuture<'a, Result<(), TokenStoreError>> {
        Box::pin(async move {
            let redis_key = self.redis_key(key);
            let ttl = match token.remaining(SystemTime::now()) {
                Some(left) if left.is_zero() => return self.remove(key).await,
                Some(left) => left.min(self.state.token_max_ttl),
                None => self.state.token_max_ttl,
            };
            let text = seal::encode(self.state.seal.as_ref(), &redis_key, token)?;
            let mut cmd = redis::cmd("SET");
            cmd.arg(&redis_key).arg(text).arg("PX").arg(millis(ttl));
            let _: () = self.state.conn.query(&cmd).await?;
            Ok(())
        })
    }

    fn remove<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), TokenStoreError>> {
        Box::pin(async move {
            let _: i64 = self.state.conn.query(redis::cmd("DEL").arg(self.redis_key(key))).await?;
            Ok(())
        })
    }

    fn try_lock<'a>(
        &'a self,
        key: &'a str,
        hold: Duration,
    ) -> BoxFuture<'a, Result<Option<FetchLock>, TokenStoreError>> {
        Box::pin(async move {
            let lock = crate::state::unique_id();
            let mut cmd = redis::cmd("SET");
            cmd.arg(format!("{}:lock", self.redis_key(key))).arg(&lock).arg("NX").arg("PX").arg(millis(hold));
            let taken: Option<String> = self.state.conn.query(&cmd).await?;
            Ok(taken.map(|_| FetchLock(lock)))
        })
    }

    fn unlock<'a>(&'a self, key: &'a str, lock: FetchLock) -> BoxFuture<'a, Result<(), TokenStoreError>> {
        Box::pin(async move {
            let mut invocation = self.unlock.key(format!("{}:lock", self.redis_key(key)));
            invocation.arg(lock.0);
            let _: i64 = self.state.conn.script(&invocation).await?;
            Ok(())
        })
    }

    fn when_unavailable(&self) -> WhenUnavailable {
        self.state.token_fallback
    }
}
