//! Per-subject credentials: one transport serves the client's own credentials and, for operations of
//! [`Scope::Subject`](crate::operation::Scope), a subject's (a patient's) own token from a keyed,
//! expiring cache. [`SubjectTokenCache`] fetches one token per subject with a single flight per subject,
//! refreshes it ahead of expiry (extending a still-valid token when the vendor can, as MDLIVE's
//! `auth_extend` does), drops only that subject's token on a 401, and reads time from an injectable
//! [`Clock`]. With a shared [`TokenStore`] ([`SubjectTokenCache::shared_store`]), every process sees the
//! tokens any of them obtained.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use crate::BoxFuture;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;

use crate::auth::{CredentialStamp, Shared, StoredToken, Token, TokenStore, digest};
use crate::error::{AuthError, Error, Result};

/// Credentials chosen per subject (a patient's session token, a consent token).
pub trait SubjectCredentials: Send + Sync + fmt::Debug + 'static {
    /// Adds `subject`'s credentials to an attempt's headers; returns a stamp identifying what was used.
    fn apply<'a>(&'a self, subject: &'a str, headers: &'a mut HeaderMap) -> BoxFuture<'a, Result<CredentialStamp>>;

    /// The same as [`SubjectCredentials::apply`] when it needs no waiting (the subject's cached token is
    /// still fresh): `Some` with the outcome, or `None` (the default) when only `apply` can tell. The
    /// transport tries this first; an implementation must add exactly what `apply` would.
    fn apply_now(&self, subject: &str, headers: &mut HeaderMap) -> Option<Result<CredentialStamp>> {
        let _ = (subject, headers);
        None
    }

    /// Called after a 401 for the attempt of `subject` that used `stamp`. Returns true when a fresh token
    /// can be obtained, so one retry makes sense.
    fn invalidate(&self, subject: &str, stamp: CredentialStamp) -> bool {
        let _ = (subject, stamp);
        false
    }
}

/// Fetches a subject's token (a vendor's per-patient sign-in). Wrap it in a [`SubjectTokenCache`].
pub trait SubjectTokenSource: Send + Sync + fmt::Debug + 'static {
    /// Fetches a fresh token for `subject`. Failures should be [`Error::Auth`].
    fn fetch<'a>(&'a self, subject: &'a str) -> BoxFuture<'a, Result<Token>>;

    /// Extends `current`, a token of `subject` that is still valid, when the vendor can (`Ok(None)` when it
    /// cannot, the default; the cache then fetches a new token).
    fn extend<'a>(&'a self, subject: &'a str, current: &'a SecretString) -> BoxFuture<'a, Result<Option<Token>>> {
        Box::pin(async move {
            let _ = (subject, current);
            Ok(None)
        })
    }
}

/// Where a cache reads the time. The default, [`TokioClock`], is tokio's clock, which tests can pause and
/// advance; supply your own to drive expiry by hand.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// Now.
    fn now(&self) -> Instant;
}

/// tokio's clock (`tokio::time::Instant::now`).
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

struct Cached {
    header: HeaderValue,
    secret: SecretString,
    digest: [u8; 32],
    refresh_at: Option<Instant>,
    expires_at: Option<Instant>,
    generation: u64,
}

#[derive(Default)]
struct Entry {
    current: RwLock<Option<Arc<Cached>>>,
    refresh: tokio::sync::Mutex<()>,
    /// The digest of the token the vendor last rejected: not to be taken from the shared store again.
    rejected: Mutex<Option<[u8; 32]>>,
}

/// A keyed token cache: one token per subject, fetched with a single flight per subject, refreshed
/// `refresh_ahead` before expiry (never before half of its lifetime), extended while still valid when the
/// source can, and dropped for that subject alone on a 401.
///
/// With a shared [`TokenStore`] ([`SubjectTokenCache::shared_store`]) a subject's token is looked up in the
/// store before signing in, and written there (expiring with the token) once obtained, so that a session
/// started through one process is used by all; one process signs in when it is due, holding the store's
/// short fetch lock.
///
/// # Examples
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use carewire_core::BoxFuture;
/// use carewire_core::auth::Token;
/// use carewire_core::subject::{SubjectTokenCache, SubjectTokenSource};
///
/// #[derive(Debug)]
/// struct SignIn;
/// impl SubjectTokenSource for SignIn {
///     fn fetch<'a>(&'a self, patient: &'a str) -> BoxFuture<'a, carewire_core::Result<Token>> {
///         Box::pin(async move { Ok(Token::new(format!("token-of-{patient}"), Some(Duration::from_secs(3600)))) })
///     }
/// }
/// let cache = SubjectTokenCache::new(SignIn).refresh_ahead(Duration::from_secs(300));
/// assert!(!format!("{cache:?}").contains("token-of"));
/// ```
pub struct SubjectTokenCache<S> {
    source: S,
    header: HeaderName,
    scheme: &'static str,
    refresh_ahead: Duration,
    clock: Arc<dyn Clock>,
    max_subjects: usize,
    entries: Mutex<HashMap<String, Arc<Entry>>>,
    generation: AtomicU64,
    shared: Option<Shared>,
}

impl<S> fmt::Debug for SubjectTokenCache<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let subjects = self.entries.lock().map_or(0, |e| e.len());
        f.debug_struct("SubjectTokenCache")
            .field("header", &self.header)
            .field("refresh_ahead", &self.refresh_ahead)
            .field("subjects", &subjects)
            .field("tokens", &"[REDACTED]")
            .field("shared_store", &self.shared.as_ref().map(Shared::store))
            .finish_non_exhaustive()
    }
}

impl<S: SubjectTokenSource> SubjectTokenCache<S> {
    /// Caches `source`'s tokens, sent as `Authorization: Bearer <token>`, refreshed 60 s ahead of expiry,
    /// for up to 10,000 subjects at a time.
    pub fn new(source: S) -> Self {
        Self {
            source,
            header: AUTHORIZATION,
            scheme: "Bearer ",
            refresh_ahead: Duration::from_secs(60),
            clock: Arc::new(TokioClock),
            max_subjects: 10_000,
            entries: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
            shared: None,
        }
    }
    /// Keeps the subjects' tokens in `store` too, shared with every process that uses the same store
    /// (replicas with the same credential): a token one of them obtained is used by all, and when it is due
    /// one of them signs in (or extends it) while the others wait for the stored token. When the store does
    /// not answer, the cache signs in on its own (with a `tracing` warning) or fails, as
    /// [`TokenStore::when_unavailable`] says.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::sync::Arc;
    /// use carewire_core::auth::TokenStore;
    /// use carewire_core::subject::{SubjectTokenCache, SubjectTokenSource};
    ///
    /// fn shared<S: SubjectTokenSource>(source: S, store: Arc<dyn TokenStore>) -> SubjectTokenCache<S> {
    ///     SubjectTokenCache::new(source).shared_store(store)
    /// }
    /// ```
    pub fn shared_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.shared = Some(Shared::new(store));
        self
    }
    /// How long before expiry a token is refreshed (capped at half its lifetime).
    pub fn refresh_ahead(mut self, ahead: Duration) -> Self {
        self.refresh_ahead = ahead;
        self
    }
    /// Sends the token in another header, without a scheme.
    pub fn header_name(mut self, name: HeaderName) -> Self {
        self.header = name;
        self.scheme = "";
        self
    }
    /// Reads the time from `clock`.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }
    /// How many subjects are kept at most; past it, subjects with expired tokens are dropped first, then
    /// any (their next call signs in again).
    pub fn max_subjects(mut self, max: usize) -> Self {
        self.max_subjects = max.max(1);
        self
    }
    /// The wrapped source.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// Stores a token obtained elsewhere for `subject` (to resume a session from a known token).
    pub fn insert(&self, subject: &str, token: Token) -> Result<()> {
        let cached = self.cache_token(token)?;
        *self.entry(subject).current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(cached);
        Ok(())
    }

    /// Forgets `subject`'s token (sign-out) in this process. With a shared store, use
    /// [`SubjectTokenCache::remove_shared`] to forget it in every process.
    pub fn remove(&self, subject: &str) {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(subject);
    }

    /// Like [`SubjectTokenCache::insert`], also writing the token to the shared store (when there is one),
    /// expiring with it, so that every process uses it.
    pub async fn insert_shared(&self, subject: &str, token: Token) -> Result<()> {
        let stored = StoredToken::new(token.clone(), SystemTime::now());
        self.insert(subject, token)?;
        match &self.shared {
            Some(shared) => shared.put(&subject_key(subject), &stored).await,
            None => Ok(()),
        }
    }

    /// Like [`SubjectTokenCache::remove`], also forgetting the token in the shared store (when there is one):
    /// a sign-out every process sees.
    pub async fn remove_shared(&self, subject: &str) -> Result<()> {
        self.remove(subject);
        match &self.shared {
            Some(shared) => shared.remove(&subject_key(subject)).await,
            None => Ok(()),
        }
    }

    /// Whether a token is held for `subject` (valid or not).
    pub fn contains(&self, subject: &str) -> bool {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.get(subject).is_some_and(|e| e.current.read().is_ok_and(|c| c.is_some()))
    }

    fn entry(&self, subject: &str) -> Arc<Entry> {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(e) = entries.get(subject) {
            return Arc::clone(e);
        }
        if entries.len() >= self.max_subjects {
            let now = self.clock.now();
            entries.retain(|_, e| {
                e.current.read().is_ok_and(|c| c.as_ref().is_some_and(|c| c.expires_at.is_none_or(|x| x > now)))
            });
            if entries.len() >= self.max_subjects
                && let Some(k) = entries.keys().next().cloned()
            {
                entries.remove(&k);
            }
        }
        Arc::clone(entries.entry(subject.to_owned()).or_default())
    }

    fn cache_token(&self, token: Token) -> Result<Arc<Cached>> {
        let now = self.clock.now();
        let (refresh_at, expires_at) = match token.expires_in {
            Some(life) => {
                let expires = now.checked_add(life.min(crate::ratelimit::MAX_SERVER_DURATION)).unwrap_or(now);
                (Some(crate::auth::refresh_instant(now, life, self.refresh_ahead)), Some(expires))
            }
            None => (None, None),
        };
        self.cached(token.value, refresh_at, expires_at)
    }

    /// A token read from (or written to) the shared store, whose times are wall-clock.
    fn cache_stored(&self, token: StoredToken) -> Result<Arc<Cached>> {
        let now = self.clock.now();
        let wall = SystemTime::now();
        let at = |t: SystemTime| now.checked_add(t.duration_since(wall).unwrap_or(Duration::ZERO)).unwrap_or(now);
        let refresh_at = token.refresh_at(self.refresh_ahead).map(at);
        let expires_at = token.expires_at.map(at);
        self.cached(token.value, refresh_at, expires_at)
    }

    fn cached(
        &self,
        secret: SecretString,
        refresh_at: Option<Instant>,
        expires_at: Option<Instant>,
    ) -> Result<Arc<Cached>> {
        let value = format!("{}{}", self.scheme, secret.expose_secret());
        let mut header = HeaderValue::from_str(&value)
            .map_err(|_| Error::Auth(AuthError::new("the sign-in returned a token unusable in a header")))?;
        header.set_sensitive(true);
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let digest = digest(&secret);
        Ok(Arc::new(Cached { header, secret, digest, refresh_at, expires_at, generation }))
    }

    fn fresh(&self, entry: &Entry) -> Option<Arc<Cached>> {
        let guard = entry.current.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let c = guard.as_ref()?;
        match c.refresh_at {
            Some(at) if self.clock.now() >= at => None,
            _ => Some(Arc::clone(c)),
        }
    }

    async fn get(&self, subject: &str) -> Result<Arc<Cached>> {
        let entry = self.entry(subject);
        if let Some(c) = self.fresh(&entry) {
            return Ok(c);
        }
        let _flight = entry.refresh.lock().await;
        if let Some(c) = self.fresh(&entry) {
            return Ok(c);
        }
        let still_valid = {
            let guard = entry.current.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            guard.as_ref().filter(|c| c.expires_at.is_none_or(|x| self.clock.now() < x)).map(|c| c.secret.clone())
        };
        let auth = |e: Error| match e {
            Error::Auth(a) => Error::Auth(a),
            other => Error::Auth(AuthError::new("could not obtain the subject's token").with_source(other)),
        };
        let obtain = |current: Option<SecretString>| async move {
            let extended = match &current {
                // An extension that fails is not fatal: the stored identity signs in again.
                Some(current) => self.source.extend(subject, current).await.ok().flatten(),
                None => None,
            };
            match extended {
                Some(t) => Ok(t),
                None => self.source.fetch(subject).await.map_err(auth),
            }
        };
        let cached = match &self.shared {
            Some(shared) => {
                let rejected = *entry.rejected.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let obtained = shared
                    .obtain(&subject_key(subject), self.refresh_ahead, rejected, |current| {
                        obtain(current.or(still_valid))
                    })
                    .await?;
                self.cache_stored(obtained)?
            }
            None => self.cache_token(obtain(still_valid).await?)?,
        };
        {
            let mut rejected = entry.rejected.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if rejected.is_some_and(|r| r != cached.digest) {
                *rejected = None;
            }
        }
        *entry.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::clone(&cached));
        Ok(cached)
    }
}

/// The key of `subject`'s token in a shared store.
fn subject_key(subject: &str) -> String {
    format!("subject:{subject}")
}

impl<S: SubjectTokenSource> SubjectCredentials for SubjectTokenCache<S> {
    fn apply<'a>(&'a self, subject: &'a str, headers: &'a mut HeaderMap) -> BoxFuture<'a, Result<CredentialStamp>> {
        Box::pin(async move {
            let c = self.get(subject).await?;
            headers.insert(self.header.clone(), c.header.clone());
            Ok(CredentialStamp(c.generation))
        })
    }

    fn apply_now(&self, subject: &str, headers: &mut HeaderMap) -> Option<Result<CredentialStamp>> {
        let c = self.fresh(&self.entry(subject))?;
        headers.insert(self.header.clone(), c.header.clone());
        Some(Ok(CredentialStamp(c.generation)))
    }

    fn invalidate(&self, subject: &str, stamp: CredentialStamp) -> bool {
        let entry = {
            let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            entries.get(subject).cloned()
        };
        if let Some(entry) = entry {
            let mut guard = entry.current.write().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(c) = guard.as_ref().filter(|c| c.generation == stamp.0) {
                *entry.rejected.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(c.digest);
                *guard = None;
            }
        }
        true
    }
}

impl<C: SubjectCredentials + ?Sized> SubjectCredentials for Arc<C> {
    fn apply<'a>(&'a self, subject: &'a str, headers: &'a mut HeaderMap) -> BoxFuture<'a, Result<CredentialStamp>> {
        Box::pin(async move { (**self).apply(subject, headers).await })
    }
    fn apply_now(&self, subject: &str, headers: &mut HeaderMap) -> Option<Result<CredentialStamp>> {
        (**self).apply_now(subject, headers)
    }
    fn invalidate(&self, subject: &str, stamp: CredentialStamp) -> bool {
        (**self).invalidate(subject, stamp)
    }
}
