//! Credentials: how a request is authenticated.
//!
//! [`Credentials`] is applied to every attempt. Static keys ([`BearerToken`], [`ApiKeyHeader`]) never
//! change; a [`TokenSource`] behind a [`TokenCache`] fetches tokens, refreshes them ahead of expiry with a
//! single fetch for any number of concurrent callers, and is invalidated (then retried once) on a 401.
//! [`OAuth2ClientCredentials`] is a `TokenSource`. A [`TokenStore`] shared by several processes lets them
//! fetch one token between them ([`TokenCache::shared_store`]).

use std::fmt;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use crate::BoxFuture;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;

use crate::error::{AuthError, Error, Result};

/// Which credentials an attempt used; handed back to [`Credentials::invalidate`] after a 401.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CredentialStamp(pub u64);

/// Something that authenticates requests.
///
/// # Examples
///
/// ```
/// use carewire_core::auth::{BearerToken, Credentials};
/// use carewire_core::header::HeaderMap;
///
/// # tokio_test_block(async {
/// let creds = BearerToken::new("sk_test_123").unwrap();
/// let mut headers = HeaderMap::new();
/// creds.apply(&mut headers).await.unwrap();
/// assert_eq!(headers["authorization"], "Bearer sk_test_123");
/// assert!(!format!("{creds:?}").contains("sk_test_123"));
/// # });
/// # fn tokio_test_block(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
pub trait Credentials: Send + Sync + fmt::Debug + 'static {
    /// Adds the credentials to an attempt's headers; returns a stamp identifying what was used.
    fn apply<'a>(&'a self, headers: &'a mut HeaderMap) -> BoxFuture<'a, Result<CredentialStamp>>;

    /// The same as [`Credentials::apply`] when it needs no waiting (a static key, a cached token that is
    /// still fresh): `Some` with the outcome, or `None` (the default) when only `apply` can tell. The
    /// transport tries this first, so the common call costs no boxed future; an implementation must add
    /// exactly what `apply` would.
    fn apply_now(&self, headers: &mut HeaderMap) -> Option<Result<CredentialStamp>> {
        let _ = headers;
        None
    }

    /// Called after a 401 for the attempt that used `stamp`. Returns true when fresh credentials can be
    /// obtained, so one retry makes sense. Static credentials return false.
    fn invalidate(&self, stamp: CredentialStamp) -> bool {
        let _ = stamp;
        false
    }
}

/// No credentials at all.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoAuth;

impl Credentials for NoAuth {
    fn apply<'a>(&'a self, _headers: &'a mut HeaderMap) -> BoxFuture<'a, Result<CredentialStamp>> {
        Box::pin(async move { Ok(CredentialStamp::default()) })
    }
    fn apply_now(&self, _headers: &mut HeaderMap) -> Option<Result<CredentialStamp>> {
        Some(Ok(CredentialStamp::default()))
    }
}

fn sensitive_value(value: &str, what: &'static str) -> Result<HeaderValue> {
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| Error::config(format!("{what} contains characters not allowed in an HTTP header")))?;
    v.set_sensitive(true);
    Ok(v)
}

fn check_key(key: &str, what: &'static str) -> Result<()> {
    if key.is_empty() {
        return Err(Error::config(format!("{what} is empty")));
    }
    if key.chars().any(char::is_whitespace) {
        return Err(Error::config(format!("{what} contains whitespace")));
    }
    Ok(())
}

/// A static `Authorization: Bearer <key>`.
#[derive(Clone)]
pub struct BearerToken {
    value: HeaderValue,
}

impl BearerToken {
    /// A bearer key; an empty key or one with whitespace is a configuration error.
    pub fn new(key: impl Into<SecretString>) -> Result<Self> {
        let key: SecretString = key.into();
        check_key(key.expose_secret(), "the API key")?;
        Ok(Self { value: sensitive_value(&format!("Bearer {}", key.expose_secret()), "the API key")? })
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken([REDACTED])")
    }
}

impl Credentials for BearerToken {
    fn apply<'a>(&'a self, headers: &'a mut HeaderMap) -> BoxFuture<'a, Result<CredentialStamp>> {
        Box::pin(async move {
            headers.insert(AUTHORIZATION, self.value.clone());
            Ok(CredentialStamp::default())
        })
    }
    fn apply_now(&self, headers: &mut HeaderMap) -> Option<Result<CredentialStamp>> {
        headers.insert(AUTHORIZATION, self.value.clone());
        Some(Ok(CredentialStamp::default()))
    }
}

/// A static key in a header of its own (`api-key: ...`).
#[derive(Clone)]
pub struct ApiKeyHeader {
    name: HeaderName,
    value: HeaderValue,
}

impl ApiKeyHeader {
    /// A key sent as `name: key`.
    pub fn new(name: &str, key: impl Into<SecretString>) -> Result<Self> {
        let key: SecretString = key.into();
        check_key(key.expose_secret(), "the API key")?;
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::config("the API key header name is not a valid header name"))?;
        Ok(Self { name, value: sensitive_value(key.expose_secret(), "the API key")? })
    }
}

impl fmt::Debug for ApiKeyHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKeyHeader({}: [REDACTED])", self.name)
    }
}

impl Credentials for ApiKeyHeader {
    fn apply<'a>(&'a self, headers: &'a mut HeaderMap) -> BoxFuture<'a, Result<CredentialStamp>> {
        Box::pin(async move {
            headers.insert(self.name.clone(), self.value.clone());
            Ok(CredentialStamp::default())
        })
    }
    fn apply_now(&self, headers: &mut HeaderMap) -> Option<Result<CredentialStamp>> {
        headers.insert(self.name.clone(), self.value.clone());
        Some(Ok(CredentialStamp::default()))
    }
}

/// A token and how long it lives.
#[derive(Clone)]
pub struct Token {
    /// The token.
    pub value: SecretString,
    /// Its lifetime from now; `None` means "until the vendor rejects it".
    pub expires_in: Option<Duration>,
}

impl Token {
    /// A token with a lifetime.
    pub fn new(value: impl Into<SecretString>, expires_in: Option<Duration>) -> Self {
        Self { value: value.into(), expires_in }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token").field("value", &"[REDACTED]").field("expires_in", &self.expires_in).finish()
    }
}

/// Fetches tokens (OAuth2, a vendor's login endpoint, ...). Wrap it in a [`TokenCache`].
pub trait TokenSource: Send + Sync + fmt::Debug + 'static {
    /// Fetches a fresh token. Failures should be [`Error::Auth`].
    fn fetch(&self) -> BoxFuture<'_, Result<Token>>;
}

#[derive(Clone)]
struct Cached {
    header: HeaderValue,
    /// The SHA-256 of the token, to recognise it in a shared store after the vendor rejected it.
    digest: [u8; 32],
    /// When to fetch a new token: `refresh_ahead` before expiry, but never earlier than half-way through
    /// the token's lifetime, so a short-lived token is not fetched again on every call.
    refresh_at: Option<Instant>,
    generation: u64,
}

/// When a token fetched `now` with `expires_in` should be replaced.
pub(crate) fn refresh_instant(now: Instant, expires_in: Duration, refresh_ahead: Duration) -> Instant {
    let lifetime = expires_in.min(crate::ratelimit::MAX_SERVER_DURATION);
    let ahead = refresh_ahead.min(lifetime / 2);
    now.checked_add(lifetime.saturating_sub(ahead)).unwrap_or(now)
}

/// Caches a [`TokenSource`]'s token: refreshes `refresh_ahead` before expiry (but never before half of
/// the token's lifetime has passed), lets exactly one caller fetch while the others wait, and drops the
/// token on a 401 so the retry fetches a new one.
///
/// A lifetime the server states is clamped to [`MAX_SERVER_DURATION`](crate::ratelimit::MAX_SERVER_DURATION).
///
/// With a [`TokenStore`] shared by several processes ([`TokenCache::shared_store`]), the token is read from
/// the store first, and only one process fetches when it is due (holding the store's short fetch lock) while
/// the others wait for the stored token, or keep using the current one while it is still valid.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use carewire_core::BoxFuture;
/// use carewire_core::auth::{Token, TokenCache, TokenSource};
///
/// #[derive(Debug)]
/// struct Fixed;
/// impl TokenSource for Fixed {
///     fn fetch(&self) -> BoxFuture<'_, carewire_core::Result<Token>> {
///         Box::pin(async move { Ok(Token::new("t0k3n", Some(Duration::from_secs(3600)))) })
///     }
/// }
/// let cache = TokenCache::new(Fixed).refresh_ahead(Duration::from_secs(120));
/// assert!(format!("{cache:?}").contains("TokenCache"));
/// ```
pub struct TokenCache<S> {
    source: S,
    header: HeaderName,
    scheme: &'static str,
    refresh_ahead: Duration,
    current: RwLock<Option<Cached>>,
    refresh: tokio::sync::Mutex<()>,
    generation: std::sync::atomic::AtomicU64,
    shared: Option<(store::Shared, String)>,
    /// The digest of the token the vendor last rejected: not to be taken from the shared store again.
    rejected: Mutex<Option<[u8; 32]>>,
}

impl<S: TokenSource> TokenCache<S> {
    /// Caches `source`, sending `Authorization: Bearer <token>`, refreshing 60 s ahead of expiry.
    pub fn new(source: S) -> Self {
        Self {
            source,
            header: AUTHORIZATION,
            scheme: "Bearer ",
            refresh_ahead: Duration::from_secs(60),
            current: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
            generation: std::sync::atomic::AtomicU64::new(0),
            shared: None,
            rejected: Mutex::new(None),
        }
    }

    /// Keeps the token in `store`, under `key`, shared with every process that uses the same store and key
    /// (replicas with the same credential): one fetch between them when it is due, the others reading the
    /// stored token. When the store does not answer, the cache fetches on its own (with a `tracing`
    /// warning) or fails, as [`TokenStore::when_unavailable`] says.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::sync::Arc;
    /// use carewire_core::auth::{TokenCache, TokenSource, TokenStore};
    ///
    /// fn shared<S: TokenSource>(source: S, store: Arc<dyn TokenStore>) -> TokenCache<S> {
    ///     TokenCache::new(source).shared_store(store, "client")
    /// }
    /// ```
    pub fn shared_store(mut self, store: Arc<dyn TokenStore>, key: impl Into<String>) -> Self {
        self.shared = Some((store::Shared::new(store), key.into()));
        self
    }

    /// How long before expiry the token is refreshed (default 60 s). It is capped at half the token's
    /// lifetime: a 30 s token is refreshed after 15 s, not on every call.
    pub fn refresh_ahead(mut self, d: Duration) -> Self {
        self.refresh_ahead = d;
        self
    }

    /// Sends the token in another header, without a scheme (`x-auth-token: <token>`).
    pub fn header_name(mut self, name: HeaderName) -> Self {
        self.header = name;
        self.scheme = "";
        self
    }

    /// The wrapped source.
    pub fn source(&self) -> &S {
        &self.source
    }

    fn fresh(&self) -> Option<Cached> {
        let guard = self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let c = guard.as_ref()?;
        match c.refresh_at {
            Some(at) if Instant::now() >= at => None,
            _ => Some(c.clone()),
        }
    }

    /// The current token's header value, fetching one if needed (single flight).
    async fn get(&self) -> Result<Cached> {
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let _guard = self.refresh.lock().await;
        // Someone else may have fetched while we waited.
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let cached = if let Some((shared, key)) = &self.shared {
            let rejected = *self.rejected.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let obtained = shared.obtain(key, self.refresh_ahead, rejected, |_| self.fetch_from_source()).await?;
            let now = Instant::now();
            let wall = SystemTime::now();
            let refresh_at = obtained
                .refresh_at(self.refresh_ahead)
                .map(|at| now.checked_add(at.duration_since(wall).unwrap_or(Duration::ZERO)).unwrap_or(now));
            self.cache(&obtained.value, refresh_at)?
        } else {
            let token = self.fetch_from_source().await?;
            let now = Instant::now();
            let refresh_at = token.expires_in.map(|d| refresh_instant(now, d, self.refresh_ahead));
            self.cache(&token.value, refresh_at)?
        };
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(cached.clone());
        Ok(cached)
    }

    async fn fetch_from_source(&self) -> Result<Token> {
        self.source.fetch().await.map_err(|e| match e {
            Error::Auth(a) => Error::Auth(a),
            other => Error::Auth(AuthError::new("could not fetch a token").with_source(other)),
        })
    }

    fn cache(&self, value: &SecretString, refresh_at: Option<Instant>) -> Result<Cached> {
        let header = sensitive_value(&format!("{}{}", self.scheme, value.expose_secret()), "the token")
            .map_err(|_| Error::Auth(AuthError::new("the token endpoint returned a token unusable in a header")))?;
        let digest = store::digest(value);
        let mut rejected = self.rejected.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if rejected.is_some_and(|r| r != digest) {
            *rejected = None;
        }
        let generation = self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        Ok(Cached { header, digest, refresh_at, generation })
    }
}

impl<S> fmt::Debug for TokenCache<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("header", &self.header)
            .field("refresh_ahead", &self.refresh_ahead)
            .field("token", &"[REDACTED]")
            .field("shared_store", &self.shared.as_ref().map(|(shared, _)| shared.store()))
            .finish_non_exhaustive()
    }
}

impl<S: TokenSource> Credentials for TokenCache<S> {
    fn apply<'a>(&'a self, headers: &'a mut HeaderMap) -> BoxFuture<'a, Result<CredentialStamp>> {
        Box::pin(async move {
            let c = self.get().await?;
            headers.insert(self.header.clone(), c.header);
            Ok(CredentialStamp(c.generation))
        })
    }

    fn apply_now(&self, headers: &mut HeaderMap) -> Option<Result<CredentialStamp>> {
        let c = self.fresh()?;
        headers.insert(self.header.clone(), c.header);
        Some(Ok(CredentialStamp(c.generation)))
    }

    fn invalidate(&self, stamp: CredentialStamp) -> bool {
        let mut guard = self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Only drop the token that was rejected: a newer one may already be in place.
        if let Some(c) = guard.as_ref().filter(|c| c.generation == stamp.0) {
            *self.rejected.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(c.digest);
            *guard = None;
        }
        true
    }
}

impl<C: Credentials + ?Sized> Credentials for Arc<C> {
    fn apply<'a>(&'a self, headers: &'a mut HeaderMap) -> BoxFuture<'a, Result<CredentialStamp>> {
        Box::pin(async move { (**self).apply(headers).await })
    }
    fn apply_now(&self, headers: &mut HeaderMap) -> Option<Result<CredentialStamp>> {
        (**self).apply_now(headers)
    }
    fn invalidate(&self, stamp: CredentialStamp) -> bool {
        (**self).invalidate(stamp)
    }
}

mod oauth2;
mod store;
pub use oauth2::{ClientAuthStyle, OAuth2ClientCredentials};
pub use store::{FetchLock, StoredToken, TokenStore, TokenStoreError};
pub(crate) use store::{Shared, digest};

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(Debug, Default)]
    struct Counting {
        fetches: AtomicU32,
        fail: bool,
    }

    impl TokenSource for Arc<Counting> {
        fn fetch(&self) -> BoxFuture<'_, Result<Token>> {
            Box::pin(async move {
                let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
                if self.fail {
                    return Err(Error::Auth(AuthError::new("nope").with_status(400)));
                }
                Ok(Token::new(format!("tok{n}"), Some(Duration::from_secs(3600))))
            })
        }
    }

    async fn header_of(c: &impl Credentials) -> String {
        let mut h = HeaderMap::new();
        c.apply(&mut h).await.unwrap();
        h[AUTHORIZATION].to_str().unwrap().to_owned()
    }

    #[test]
    fn static_keys_validate() {
        assert!(matches!(BearerToken::new(""), Err(Error::Config(_))));
        assert!(matches!(BearerToken::new("sk live"), Err(Error::Config(_))));
        assert!(matches!(BearerToken::new("sk\n"), Err(Error::Config(_))));
        let k = ApiKeyHeader::new("api-key", "abc").unwrap();
        assert_eq!(format!("{k:?}"), "ApiKeyHeader(api-key: [REDACTED])");
    }

    #[test]
    fn static_keys_apply_without_waiting() {
        let mut h = HeaderMap::new();
        let stamp = BearerToken::new("sk_1").unwrap().apply_now(&mut h).unwrap().unwrap();
        assert_eq!((h[AUTHORIZATION].to_str().unwrap(), stamp), ("Bearer sk_1", CredentialStamp::default()));
        let k: Arc<dyn Credentials> = Arc::new(ApiKeyHeader::new("api-key", "abc").unwrap());
        assert!(k.apply_now(&mut h).is_some_and(|r| r.is_ok()));
        assert_eq!(h["api-key"], "abc");
        assert!(NoAuth.apply_now(&mut h).is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn token_cache_applies_at_once_only_while_fresh() {
        let src = Arc::new(Counting::default());
        let cache = TokenCache::new(src.clone());
        let mut h = HeaderMap::new();
        // No token yet: only the async `apply` can fetch one.
        assert!(cache.apply_now(&mut h).is_none());
        assert!(h.is_empty());
        let fetched = cache.apply(&mut HeaderMap::new()).await.unwrap();
        let now = cache.apply_now(&mut h).unwrap().unwrap();
        assert_eq!((h[AUTHORIZATION].to_str().unwrap(), now), ("Bearer tok1", fetched));
        // Within the refresh-ahead window (60 s before the hour), the token is no longer fresh.
        tokio::time::advance(Duration::from_secs(3600 - 30)).await;
        assert!(cache.apply_now(&mut HeaderMap::new()).is_none());
        assert_eq!(src.fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn thousand_concurrent_callers_one_fetch() {
        let src = Arc::new(Counting::default());
        let cache = Arc::new(TokenCache::new(src.clone()));
        let mut tasks = Vec::new();
        for _ in 0..1000 {
            let c = cache.clone();
            tasks.push(tokio::spawn(async move { header_of(&*c).await }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), "Bearer tok1");
        }
        assert_eq!(src.fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn refreshes_ahead_of_expiry_once_for_many_callers() {
        let src = Arc::new(Counting::default());
        let cache = Arc::new(TokenCache::new(src.clone()).refresh_ahead(Duration::from_secs(60)));
        assert_eq!(header_of(&*cache).await, "Bearer tok1");
        tokio::time::advance(Duration::from_secs(3500)).await;
        assert_eq!(header_of(&*cache).await, "Bearer tok1");
        // Inside the refresh-ahead window: 1,000 concurrent callers, one fetch.
        tokio::time::advance(Duration::from_secs(50)).await;
        let futs: Vec<_> = (0..1000)
            .map(|_| {
                let c = cache.clone();
                tokio::spawn(async move { header_of(&*c).await })
            })
            .collect();
        for f in futs {
            assert_eq!(f.await.unwrap(), "Bearer tok2");
        }
        assert_eq!(src.fetches.load(Ordering::SeqCst), 2);
    }

    #[derive(Debug)]
    struct ShortLived {
        fetches: AtomicU32,
        lifetime: Duration,
    }

    impl TokenSource for Arc<ShortLived> {
        fn fetch(&self) -> BoxFuture<'_, Result<Token>> {
            Box::pin(async move {
                let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
                Ok(Token::new(format!("short{n}"), Some(self.lifetime)))
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn short_lived_tokens_are_not_fetched_on_every_call() {
        // A 30 s token with the default 60 s refresh-ahead: refreshed every 15 s, not on every call.
        let src = Arc::new(ShortLived { fetches: AtomicU32::new(0), lifetime: Duration::from_secs(30) });
        let cache = TokenCache::new(src.clone());
        for _ in 0..220 {
            header_of(&cache).await;
            tokio::time::advance(Duration::from_millis(100)).await;
        }
        // 22 s of calls: one fetch at 0 s, one at 15 s.
        assert_eq!(src.fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn absurd_lifetimes_do_not_overflow() {
        for lifetime in [Duration::MAX, Duration::from_secs(u64::MAX), Duration::ZERO] {
            let src = Arc::new(ShortLived { fetches: AtomicU32::new(0), lifetime });
            let cache = TokenCache::new(src.clone()).refresh_ahead(Duration::MAX);
            header_of(&cache).await;
            header_of(&cache).await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn invalidate_drops_only_the_rejected_token() {
        let src = Arc::new(Counting::default());
        let cache = TokenCache::new(src.clone());
        let mut h = HeaderMap::new();
        let stamp = cache.apply(&mut h).await.unwrap();
        assert!(cache.invalidate(stamp));
        assert_eq!(header_of(&cache).await, "Bearer tok2");
        // A stale stamp does not drop the newer token.
        assert!(cache.invalidate(stamp));
        assert_eq!(header_of(&cache).await, "Bearer tok2");
        assert_eq!(src.fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn fetch_failures_are_auth_errors() {
        let src = Arc::new(Counting { fetches: AtomicU32::new(0), fail: true });
        let cache = TokenCache::new(src);
        let err = cache.apply(&mut HeaderMap::new()).await.unwrap_err();
        assert!(matches!(err, Error::Auth(ref a) if a.status() == Some(400)), "{err:?}");
    }
}
