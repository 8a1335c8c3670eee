//! Token stores shared by several processes: the [`TokenStore`] trait, what it keeps ([`StoredToken`]), its
//! errors ([`TokenStoreError`]), and the one-fetch-across-replicas protocol (a short fetch lock, the others
//! waiting for the stored token) that [`TokenCache`](super::TokenCache) and
//! [`SubjectTokenCache`](crate::subject::SubjectTokenCache) follow.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use crate::BoxFuture;
use secrecy::{ExposeSecret, SecretString};

use super::Token;
use crate::error::{AuthError, Error, Result};
use crate::shared::{Unavailable, WhenUnavailable};

/// A token as a shared store keeps it. Times are wall-clock (`SystemTime`): processes share no monotonic
/// clock.
#[derive(Clone)]
#[non_exhaustive]
pub struct StoredToken {
    /// The token.
    pub value: SecretString,
    /// When it was obtained.
    pub issued_at: SystemTime,
    /// When it expires; `None` means "until the vendor rejects it".
    pub expires_at: Option<SystemTime>,
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("value", &"[REDACTED]")
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl StoredToken {
    /// A token obtained at `issued_at`, expiring `token.expires_in` later (clamped to
    /// [`MAX_SERVER_DURATION`](crate::ratelimit::MAX_SERVER_DURATION)).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use carewire_core::auth::{StoredToken, Token};
    ///
    /// let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// let stored = StoredToken::new(Token::new("t0k3n", Some(Duration::from_secs(60))), at);
    /// assert_eq!(stored.expires_at, Some(at + Duration::from_secs(60)));
    /// assert_eq!(stored.remaining(at + Duration::from_secs(45)), Some(Duration::from_secs(15)));
    /// assert!(!format!("{stored:?}").contains("t0k3n"));
    /// ```
    pub fn new(token: Token, issued_at: SystemTime) -> Self {
        let expires_at = token
            .expires_in
            .map(|life| issued_at.checked_add(life.min(crate::ratelimit::MAX_SERVER_DURATION)).unwrap_or(issued_at));
        Self { value: token.value, issued_at, expires_at }
    }

    /// How long the token still lives at `now` (`Some(ZERO)` once expired, `None` without an expiry).
    pub fn remaining(&self, now: SystemTime) -> Option<Duration> {
        self.expires_at.map(|at| at.duration_since(now).unwrap_or(Duration::ZERO))
    }

    /// Whether it has expired at `now`.
    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.remaining(now).is_some_and(|r| r.is_zero())
    }

    /// When it should be replaced: `refresh_ahead` before expiry, but never before half of its lifetime (the
    /// rule of [`TokenCache`](super::TokenCache)). `None` without an expiry.
    pub fn refresh_at(&self, refresh_ahead: Duration) -> Option<SystemTime> {
        let expires = self.expires_at?;
        let lifetime = expires.duration_since(self.issued_at).unwrap_or(Duration::ZERO);
        Some(expires.checked_sub(refresh_ahead.min(lifetime / 2)).unwrap_or(expires))
    }
}

/// Why a [`TokenStore`] could not answer.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenStoreError {
    /// The store did not answer (unreachable, refused, timed out).
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
    /// A stored token could not be unsealed: it was sealed with another key (replicas configured with
    /// different keys), is not sealed while this store requires it, or was altered.
    #[error("a stored token could not be unsealed: it was sealed with another key, or altered")]
    Unseal,
    /// The store holds an entry that is not a token.
    #[error("the token store holds an entry that is not a token")]
    Corrupt,
}

/// Proof of holding a key's fetch lock, handed back to [`TokenStore::unlock`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchLock(pub String);

/// A token store shared by the processes (replicas) of one deployment, so that they fetch a token once
/// between them and see each other's per-patient tokens. The `carewire-redis` crate implements it over
/// Redis, sealing tokens with AES-256-GCM when given a key.
///
/// Keys are what the caches pass (`"client"`, `"subject:{id}"`); an implementation namespaces them and
/// should not write them in clear (they may name a patient).
pub trait TokenStore: Send + Sync + fmt::Debug + 'static {
    /// The token stored under `key`, if any (an expired one may be returned; the caches check).
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::result::Result<Option<StoredToken>, TokenStoreError>>;

    /// Stores `token` under `key`, to be forgotten when it expires (a token without an expiry is kept for
    /// the store's own limit).
    fn put<'a>(
        &'a self,
        key: &'a str,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, std::result::Result<(), TokenStoreError>>;

    /// Forgets the token under `key` (a sign-out).
    fn remove<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::result::Result<(), TokenStoreError>>;

    /// Tries to take `key`'s fetch lock for at most `hold`: `Some` when this caller should fetch, `None`
    /// while another process holds it.
    fn try_lock<'a>(
        &'a self,
        key: &'a str,
        hold: Duration,
    ) -> BoxFuture<'a, std::result::Result<Option<FetchLock>, TokenStoreError>>;

    /// Releases a lock taken with [`TokenStore::try_lock`], if it is still held by `lock`.
    fn unlock<'a>(&'a self, key: &'a str, lock: FetchLock) -> BoxFuture<'a, std::result::Result<(), TokenStoreError>>;

    /// What the caches do when this store does not answer (default [`WhenUnavailable::Local`]: fetch in this
    /// process, with a warning).
    fn when_unavailable(&self) -> WhenUnavailable {
        WhenUnavailable::Local
    }
}

/// The SHA-256 of a token's value: how a cache remembers which token the vendor rejected.
pub(crate) fn digest(value: &SecretString) -> [u8; 32] {
    crate::crypto::sha256(value.expose_secret().as_bytes())
}

/// How long a fetch lock is held at most (the holder's crash frees it after this).
const LOCK_HOLD: Duration = Duration::from_secs(10);
/// How often a process waiting for another's fetch looks for the stored token.
const POLL: Duration = Duration::from_millis(20);

/// A cache's link to a shared store.
pub(crate) struct Shared {
    store: Arc<dyn TokenStore>,
    down: AtomicBool,
}

impl Shared {
    pub(crate) fn new(store: Arc<dyn TokenStore>) -> Self {
        Self { store, down: AtomicBool::new(false) }
    }

    pub(crate) fn store(&self) -> &Arc<dyn TokenStore> {
        &self.store
    }

    /// A usable token for `key`: a fresh one from the store, or one fetched by `fetch` while holding the
    /// store's fetch lock (one fetch across processes; the others wait for the stored token, or keep using a
    /// still-valid one while it is refreshed). `rejected` is the digest of a token the vendor refused.
    /// `fetch` gets the still-valid current token, if any, to extend it.
    pub(crate) async fn obtain<F, Fut>(
        &self,
        key: &str,
        refresh_ahead: Duration,
        rejected: Option<[u8; 32]>,
        fetch: F,
    ) -> Result<StoredToken>
    where
        F: FnOnce(Option<SecretString>) -> Fut,
        Fut: Future<Output = Result<Token>>,
    {
        let usable = |t: &StoredToken| rejected.is_none_or(|r| digest(&t.value) != r);
        let fresh = |t: &StoredToken| usable(t) && t.refresh_at(refresh_ahead).is_none_or(|at| SystemTime::now() < at);
        let valid = |t: &StoredToken| usable(t) && !t.is_expired(SystemTime::now());
        let started = tokio::time::Instant::now();
        loop {
            let current = match self.store.get(key).await {
                Ok(current) => current,
                Err(e) => return self.unavailable(key, e, fetch).await,
            };
            self.answered();
            if let Some(t) = current.as_ref().filter(|t| fresh(t)) {
                return Ok(t.clone());
            }
            let still_valid = current.filter(|t| valid(t));
            let lock = match self.store.try_lock(key, LOCK_HOLD).await {
                Ok(lock) => lock,
                Err(e) => return self.unavailable(key, e, fetch).await,
            };
            let Some(lock) = lock else {
                if let Some(t) = still_valid {
                    // Another process is refreshing it: keep using the current one meanwhile.
                    return Ok(t);
                }
                if started.elapsed() > LOCK_HOLD * 2 {
                    // The lock never came free: fetch without it rather than wait any longer.
                    tracing::warn!("the shared token store's fetch lock stayed taken; fetching in this process");
                    return self.fetch_and_put(key, None, fetch).await;
                }
                tokio::time::sleep(POLL).await;
                continue;
            };
            // Someone may have stored a token between our read and our lock.
            let again = self.store.get(key).await.ok().flatten();
            if let Some(t) = again.filter(|t| fresh(t)) {
                let _ = self.store.unlock(key, lock).await;
                return Ok(t);
            }
            let result = self.fetch_and_put(key, still_valid.map(|t| t.value), fetch).await;
            if let Err(e) = self.store.unlock(key, lock).await {
                tracing::debug!(error = %e, "could not release the shared token store's fetch lock (it expires by itself)");
            }
            return result;
        }
    }

    async fn fetch_and_put<F, Fut>(&self, key: &str, current: Option<SecretString>, fetch: F) -> Result<StoredToken>
    where
        F: FnOnce(Option<SecretString>) -> Fut,
        Fut: Future<Output = Result<Token>>,
    {
        let token = StoredToken::new(fetch(current).await?, SystemTime::now());
        if let Err(e) = self.store.put(key, &token).await {
            self.failed(&e);
        }
        Ok(token)
    }

    /// The store did not answer: fetch in this process, or fail, as the store says.
    async fn unavailable<F, Fut>(&self, key: &str, err: TokenStoreError, fetch: F) -> Result<StoredToken>
    where
        F: FnOnce(Option<SecretString>) -> Fut,
        Fut: Future<Output = Result<Token>>,
    {
        match err {
            TokenStoreError::Unseal => {
                return Err(Error::config(
                    "the shared token store holds a token this client cannot unseal: configure every replica \
                     with the same sealing key",
                ));
            }
            TokenStoreError::Corrupt => {
                tracing::warn!("the shared token store holds an entry that is not a token; replacing it");
                return self.fetch_and_put(key, None, fetch).await;
            }
            TokenStoreError::Unavailable(_) => self.failed(&err),
        }
        match self.store.when_unavailable() {
            WhenUnavailable::Fail => Err(Error::Auth(AuthError::new(
                "the shared token store is unavailable, and this client is configured not to fetch alone",
            ))),
            _ => Ok(StoredToken::new(fetch(None).await?, SystemTime::now())),
        }
    }

    /// Writes a token obtained elsewhere (a sign-in) to the store.
    pub(crate) async fn put(&self, key: &str, token: &StoredToken) -> Result<()> {
        self.store.put(key, token).await.map_err(|e| self.write_error(&e))
    }

    /// Forgets a token in the store (a sign-out).
    pub(crate) async fn remove(&self, key: &str) -> Result<()> {
        self.store.remove(key).await.map_err(|e| self.write_error(&e))
    }

    fn write_error(&self, err: &TokenStoreError) -> Error {
        self.failed(err);
        Error::Auth(AuthError::new("the shared token store did not take the change"))
    }

    fn failed(&self, err: &TokenStoreError) {
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::warn!(error = %err, "the shared token store is unavailable; tokens are fetched in this process until it answers");
        }
    }

    fn answered(&self) {
        if self.down.swap(false, Ordering::Relaxed) {
            tracing::info!("the shared token store answers again");
        }
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shared").field("store", &self.store).finish_non_exhaustive()
    }
}
