//! Patient consent: [`ConsentToken`], the client's [`ConsentStore`] and the [`Clock`] it reads.
//!
//! A consent token is obtained per patient (`patients().seek_consent(..)` sends the patient an OTP,
//! `patients().grant_consent(..)` exchanges it for a token) and is valid for 24 hours. The vendor's
//! examples show two token formats (a JWT-like string and `ct_...`), so it is kept opaque and its expiry is
//! tracked here, on the client, from the moment it was obtained.
//!
//! The store is the client's per-subject credential source ([`SubjectCredentials`]), the subject being the
//! patient's health id: core applies it to every operation of [`Scope::ClientAndSubject`], next to the
//! secret key. An operation given an explicit token puts `x-consent-token` on the request itself, and the
//! store then leaves it alone.
//!
//! [`Scope::ClientAndSubject`]: carewire_core::operation::Scope::ClientAndSubject

use carewire_core::BoxFuture;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use carewire_core::auth::{CredentialStamp, StoredToken, Token, TokenStore};
use carewire_core::header::{HeaderMap, HeaderName, HeaderValue};
use carewire_core::secret::{ExposeSecret, SecretString};
use carewire_core::subject::SubjectCredentials;
use carewire_core::{Error, Request, Result};
use chrono::{DateTime, TimeDelta, Utc};

use crate::error::consent_expired;

/// The header carrying a patient's consent token.
pub const CONSENT_HEADER: &str = "x-consent-token";

/// How long a consent token is valid after it is obtained: 24 hours.
pub const CONSENT_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// `at + by`, saturating at the latest representable time instead of panicking.
fn later(at: DateTime<Utc>, by: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(by).ok().and_then(|d| at.checked_add_signed(d)).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// A source of the current time, so consent expiry can be tested.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock (the default).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to; clones share the same time.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use carewire::healthstack::{Clock, ManualClock};
///
/// let clock = ManualClock::new(chrono::Utc::now());
/// let start = clock.now();
/// clock.advance(Duration::from_secs(60));
/// assert_eq!((clock.now() - start).num_seconds(), 60);
/// ```
#[derive(Clone, Debug)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self { now: Arc::new(Mutex::new(start)) }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now = later(*now, by);
    }

    /// Sets the clock.
    pub fn set(&self, to: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A patient's consent token: the secret, the health id it is for, when it was obtained and when it
/// expires (24 hours later).
///
/// `Debug` shows neither the token nor the health id.
#[derive(Clone)]
pub struct ConsentToken {
    token: SecretString,
    health_id: String,
    obtained_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl ConsentToken {
    /// A token for `health_id` obtained at `obtained_at`; it expires [`CONSENT_TTL`] later.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire::healthstack::ConsentToken;
    ///
    /// let now = chrono::Utc::now();
    /// let token = ConsentToken::new("HID-NHG869UP", "ct_1234567890abcdef", now);
    /// assert_eq!((token.expires_at() - now).num_hours(), 24);
    /// assert!(token.is_valid_at(now));
    /// assert!(!format!("{token:?}").contains("ct_123"));
    /// ```
    pub fn new(health_id: impl Into<String>, token: impl Into<SecretString>, obtained_at: DateTime<Utc>) -> Self {
        Self {
            token: token.into(),
            health_id: health_id.into(),
            obtained_at,
            expires_at: later(obtained_at, CONSENT_TTL),
        }
    }

    /// The token as a shared store keeps it.
    fn stored(&self) -> StoredToken {
        let life = (self.expires_at - self.obtained_at).to_std().unwrap_or_default();
        StoredToken::new(Token::new(self.token.clone(), Some(life)), self.obtained_at.into())
    }

    /// Overrides the expiry (for a token known to expire earlier).
    pub fn with_expiry(mut self, expires_at: DateTime<Utc>) -> Self {
        self.expires_at = expires_at;
        self
    }

    /// The token, to send as `x-consent-token`.
    pub fn token(&self) -> &SecretString {
        &self.token
    }

    /// The patient's health id.
    pub fn health_id(&self) -> &str {
        &self.health_id
    }

    /// When the token was obtained.
    pub fn obtained_at(&self) -> DateTime<Utc> {
        self.obtained_at
    }

    /// When the token expires.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    /// Whether the token is still valid at `now`.
    pub fn is_valid_at(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at
    }

    /// The token as a sensitive header value.
    fn header_value(&self) -> Result<HeaderValue> {
        let mut value = HeaderValue::from_str(self.token.expose_secret())
            .map_err(|_| Error::invalid_request("consent_token", "contains characters not allowed in a header"))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

/// `req` with `x-consent-token` for an explicit token, which must belong to `health_id`
/// ([`Error::InvalidRequest`] naming `consent_token`) and must not have expired by the system clock (the
/// consent-required error, nothing sent). Without one, `req` is unchanged: the client's store supplies the
/// stored token when the request is sent.
pub(crate) fn explicit_consent(req: Request, health_id: &str, consent: Option<&ConsentToken>) -> Result<Request> {
    let Some(token) = consent else {
        return Ok(req);
    };
    if token.health_id != health_id {
        return Err(Error::invalid_request("consent_token", "belongs to another patient"));
    }
    if !token.is_valid_at(Utc::now()) {
        return Err(consent_expired());
    }
    Ok(req.header(CONSENT_HEADER, token.token.expose_secret()))
}

carewire_core::redacted_debug!(ConsentToken { show: [obtained_at, expires_at], redact: [token, health_id] });

/// The client's consent tokens, keyed by health id. Cheap to clone: clones share the same tokens.
///
/// `grant_consent` stores the token it obtains; operations that act on a patient (get, edit, create
/// record, list records: [`Scope::ClientAndSubject`](carewire_core::operation::Scope::ClientAndSubject))
/// then send it as `x-consent-token` while it is valid, because the client registers the store as its
/// [`SubjectCredentials`] (the subject is the health id). What it does for such a call:
///
/// - a valid token for the patient: sent as `x-consent-token`;
/// - an expired one: never sent; the call fails before anything is sent with the error a 403 "missing
///   consent" maps to ([`ErrorKind::ConsentRequired`](crate::ErrorKind::ConsentRequired));
/// - none: the call is sent without the header (Healthstack asks consent only for patients another
///   business registered, and answers 403 "missing consent" for those);
/// - the call already carries `x-consent-token` (an explicit token, `.consent(token)` on the operation):
///   left as it is.
///
/// ```
/// use carewire::healthstack::{Client, ConsentToken};
///
/// let client = Client::new("sk_test_1234567890abcdef")?;
/// client.consents().insert(ConsentToken::new("HID-NHG869UP", "ct_1234567890abcdef", chrono::Utc::now()));
/// assert!(client.consents().valid("HID-NHG869UP").is_some());
/// assert!(!format!("{:?}", client.consents()).contains("ct_123"));
/// # Ok::<(), carewire::Error>(())
/// ```
#[derive(Clone)]
pub struct ConsentStore {
    tokens: Arc<Mutex<HashMap<String, ConsentToken>>>,
    clock: Arc<dyn Clock>,
    shared: Option<Arc<dyn TokenStore>>,
}

impl Default for ConsentStore {
    fn default() -> Self {
        Self::new(Arc::new(SystemClock))
    }
}

impl fmt::Debug for ConsentStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsentStore")
            .field("tokens", &self.len())
            .field("clock", &self.clock)
            .field("shared", &self.shared.is_some())
            .finish()
    }
}

/// What the store holds for a patient.
enum Lookup {
    /// A token valid now.
    Valid(ConsentToken),
    /// A token that has expired.
    Expired,
    /// Nothing.
    Missing,
}

impl ConsentStore {
    /// An empty store reading `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self { tokens: Arc::new(Mutex::new(HashMap::new())), clock, shared: None }
    }

    /// Shares the tokens with every replica through `store` (the client builder's `shared_state` does
    /// this): a token obtained by one replica is written there, with an expiry equal to its remaining
    /// lifetime, and a replica that holds no valid token for a patient looks there before sending.
    pub fn shared_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.shared = Some(store);
        self
    }

    /// Stores `token` here and, when the store is shared, in the shared store too (awaited, unlike the
    /// write-behind of [`ConsentStore::insert`]).
    pub async fn insert_shared(&self, token: ConsentToken) -> Result<()> {
        self.lock().insert(token.health_id.clone(), token.clone());
        if let Some(shared) = &self.shared {
            shared.put(&token.health_id, &token.stored()).await.map_err(|e| Error::config(e.to_string()))?;
        }
        Ok(())
    }

    /// The token another replica stored for `health_id`, if the store is shared and holds a valid one.
    async fn fetch_shared(&self, health_id: &str) -> Option<ConsentToken> {
        let stored = self.shared.as_ref()?.get(health_id).await.ok()??;
        let expires_at = DateTime::<Utc>::from(stored.expires_at?);
        let token =
            ConsentToken::new(health_id, stored.value, DateTime::<Utc>::from(stored.issued_at)).with_expiry(expires_at);
        token.is_valid_at(self.now()).then(|| {
            self.lock().insert(health_id.to_owned(), token.clone());
            token
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, ConsentToken>> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The clock the store checks expiry against.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Stores `token` for its health id, replacing any previous one. When the store is shared, the token
    /// is also written to the shared store in the background (on the current tokio runtime).
    pub fn insert(&self, token: ConsentToken) {
        if let (Some(shared), Ok(runtime)) = (&self.shared, tokio::runtime::Handle::try_current()) {
            let (shared, stored, key) = (Arc::clone(shared), token.stored(), token.health_id.clone());
            runtime.spawn(async move {
                // A store that cannot answer warns by itself; this replica keeps its own copy.
                let _ = shared.put(&key, &stored).await;
            });
        }
        self.lock().insert(token.health_id.clone(), token);
    }

    /// The token stored for `health_id`, valid or not.
    pub fn get(&self, health_id: &str) -> Option<ConsentToken> {
        self.lock().get(health_id).cloned()
    }

    /// The token stored for `health_id` if it is valid now.
    pub fn valid(&self, health_id: &str) -> Option<ConsentToken> {
        let now = self.now();
        self.get(health_id).filter(|t| t.is_valid_at(now))
    }

    /// Removes and returns the token for `health_id`.
    pub fn remove(&self, health_id: &str) -> Option<ConsentToken> {
        self.lock().remove(health_id)
    }

    /// Removes every expired token; returns how many were removed.
    pub fn purge_expired(&self) -> usize {
        let now = self.now();
        let mut map = self.lock();
        let before = map.len();
        map.retain(|_, t| t.is_valid_at(now));
        before - map.len()
    }

    /// Removes every token.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// How many tokens are stored (expired ones included).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lookup(&self, health_id: &str) -> Lookup {
        let now = self.now();
        match self.get(health_id) {
            Some(t) if t.is_valid_at(now) => Lookup::Valid(t),
            Some(_) => Lookup::Expired,
            None => Lookup::Missing,
        }
    }
}

impl SubjectCredentials for ConsentStore {
    fn apply<'a>(&'a self, health_id: &'a str, headers: &'a mut HeaderMap) -> BoxFuture<'a, Result<CredentialStamp>> {
        Box::pin(async move {
            if headers.contains_key(CONSENT_HEADER) {
                // An explicit token for this call: the store is bypassed.
                return Ok(CredentialStamp::default());
            }
            let lookup = self.lookup(health_id);
            match lookup {
                Lookup::Valid(token) => {
                    headers.insert(HeaderName::from_static(CONSENT_HEADER), token.header_value()?);
                    Ok(CredentialStamp::default())
                }
                Lookup::Expired | Lookup::Missing => match self.fetch_shared(health_id).await {
                    // Another replica obtained a token for this patient.
                    Some(token) => {
                        headers.insert(HeaderName::from_static(CONSENT_HEADER), token.header_value()?);
                        Ok(CredentialStamp::default())
                    }
                    None if matches!(lookup, Lookup::Expired) => Err(consent_expired()),
                    None => Ok(CredentialStamp::default()),
                },
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use carewire_core::auth::{FetchLock, TokenStoreError};

    #[test]
    fn store_expiry_follows_the_clock() {
        let clock = ManualClock::new(Utc::now());
        let store = ConsentStore::new(Arc::new(clock.clone()));
        store.insert(ConsentToken::new("HID-AAAAAAAA", "ct_1", clock.now()));
        assert!(matches!(store.lookup("HID-AAAAAAAA"), Lookup::Valid(_)));
        assert!(matches!(store.lookup("HID-BBBBBBBB"), Lookup::Missing));
        clock.advance(Duration::from_secs(CONSENT_TTL.as_secs() - 1));
        assert!(store.valid("HID-AAAAAAAA").is_some());
        clock.advance(Duration::from_secs(1));
        assert!(matches!(store.lookup("HID-AAAAAAAA"), Lookup::Expired));
        assert!(store.valid("HID-AAAAAAAA").is_none());
        assert_eq!(store.purge_expired(), 1);
        assert!(store.is_empty());
    }

    #[tokio::test]
    async fn as_subject_credentials() {
        let clock = ManualClock::new(Utc::now());
        let store = ConsentStore::new(Arc::new(clock.clone()));
        store.insert(ConsentToken::new("HID-AAAAAAAA", "ct_1", clock.now()));
        let mut headers = HeaderMap::new();
        store.apply("HID-AAAAAAAA", &mut headers).await.unwrap();
        assert_eq!(headers[CONSENT_HEADER], "ct_1");
        assert!(headers[CONSENT_HEADER].is_sensitive());
        let mut none = HeaderMap::new();
        store.apply("HID-BBBBBBBB", &mut none).await.unwrap();
        assert!(none.is_empty(), "no token: no header");
        let mut explicit = HeaderMap::new();
        explicit.insert(CONSENT_HEADER, HeaderValue::from_static("ct_explicit"));
        clock.advance(CONSENT_TTL);
        store.apply("HID-AAAAAAAA", &mut explicit).await.unwrap();
        assert_eq!(explicit[CONSENT_HEADER], "ct_explicit", "an explicit token is left alone");
        let err = store.apply("HID-AAAAAAAA", &mut HeaderMap::new()).await.unwrap_err();
        assert!(err.vendor_error::<crate::HealthstackError>().is_some_and(|e| e.is_consent_required()));
    }

    /// A shared store in memory, standing in for Redis.
    #[derive(Debug, Default)]
    struct MemoryStore(Mutex<HashMap<String, StoredToken>>);

    impl TokenStore for MemoryStore {
        fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::result::Result<Option<StoredToken>, TokenStoreError>> {
            Box::pin(async move { Ok(self.0.lock().unwrap().get(key).cloned()) })
        }
        fn put<'a>(
            &'a self,
            key: &'a str,
            token: &'a StoredToken,
        ) -> BoxFuture<'a, std::result::Result<(), TokenStoreError>> {
            Box::pin(async move {
                self.0.lock().unwrap().insert(key.to_owned(), token.clone());
                Ok(())
            })
        }
        fn remove<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::result::Result<(), TokenStoreError>> {
            Box::pin(async move {
                self.0.lock().unwrap().remove(key);
                Ok(())
            })
        }
        fn try_lock<'a>(
            &'a self,
            _: &'a str,
            _: Duration,
        ) -> BoxFuture<'a, std::result::Result<Option<FetchLock>, TokenStoreError>> {
            Box::pin(async move { Ok(Some(FetchLock(String::new()))) })
        }
        fn unlock<'a>(&'a self, _: &'a str, _: FetchLock) -> BoxFuture<'a, std::result::Result<(), TokenStoreError>> {
            Box::pin(async move { Ok(()) })
        }
    }

    #[tokio::test]
    async fn a_token_obtained_by_one_replica_is_sent_by_another() {
        let shared: Arc<dyn TokenStore> = Arc::new(MemoryStore::default());
        let clock = ManualClock::new(Utc::now());
        let a = ConsentStore::new(Arc::new(clock.clone())).shared_store(Arc::clone(&shared));
        let b = ConsentStore::new(Arc::new(clock.clone())).shared_store(Arc::clone(&shared));
        a.insert_shared(ConsentToken::new("HID-AAAAAAAA", "ct_1", clock.now())).await.unwrap();
        // The background write of `insert` lands too.
        a.insert(ConsentToken::new("HID-BBBBBBBB", "ct_2", clock.now()));
        for _ in 0..100 {
            if shared.get("HID-BBBBBBBB").await.unwrap().is_some() {
                break;
            }
            tokio::task::yield_now().await;
        }
        let mut headers = HeaderMap::new();
        b.apply("HID-AAAAAAAA", &mut headers).await.unwrap();
        assert_eq!(headers[CONSENT_HEADER], "ct_1");
        let mut headers = HeaderMap::new();
        b.apply("HID-BBBBBBBB", &mut headers).await.unwrap();
        assert_eq!(headers[CONSENT_HEADER], "ct_2");
        assert!(b.valid("HID-AAAAAAAA").is_some(), "kept locally after the first look");
        // Once expired everywhere, the call is refused before sending, as without sharing.
        clock.advance(CONSENT_TTL);
        assert!(b.apply("HID-AAAAAAAA", &mut HeaderMap::new()).await.is_err());
    }

    #[test]
    fn far_future_times_saturate_instead_of_panicking() {
        let clock = ManualClock::new(Utc::now());
        clock.advance(Duration::MAX);
        assert_eq!(clock.now(), DateTime::<Utc>::MAX_UTC);
        let token = ConsentToken::new("HID-AAAAAAAA", "ct_1", DateTime::<Utc>::MAX_UTC);
        assert_eq!(token.expires_at(), DateTime::<Utc>::MAX_UTC);
        assert!(!token.is_valid_at(clock.now()));
    }
}
