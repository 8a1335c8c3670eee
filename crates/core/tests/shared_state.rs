//! The hooks for state shared by several processes, against in-memory stand-ins of a shared store: token
//! caches fetching once between them and seeing each other's subject tokens, a 401 not reusing the
//! rejected stored token, the fallbacks when the store does not answer, and the rate limiter consulting and
//! feeding a shared budget through the transport.

use carewire_core::BoxFuture;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use carewire_core::auth::{
    Credentials, FetchLock, StoredToken, Token, TokenCache, TokenSource, TokenStore, TokenStoreError,
};
use carewire_core::header::HeaderMap;
use carewire_core::ratelimit::{MethodClass, RateBudget, RateLimiter, Window};
use carewire_core::secret::ExposeSecret;
use carewire_core::shared::{Unavailable, WhenUnavailable};
use carewire_core::subject::{SubjectCredentials, SubjectTokenCache, SubjectTokenSource};
use carewire_core::{ClientConfig, Error, Method, Request, RetryPolicy, Transport};
use serde_json::Value;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A store standing in for a shared one: a map, a lock table, and a switch that makes it unreachable.
#[derive(Debug, Default)]
struct MemoryStore {
    tokens: Mutex<HashMap<String, StoredToken>>,
    locks: Mutex<HashMap<String, String>>,
    down: AtomicBool,
    fail_closed: bool,
    next_lock: AtomicU32,
}

impl MemoryStore {
    fn check(&self) -> Result<(), TokenStoreError> {
        if self.down.load(Ordering::SeqCst) {
            return Err(Unavailable::new("connection refused").into());
        }
        Ok(())
    }
}

impl TokenStore for MemoryStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>, TokenStoreError>> {
        Box::pin(async move {
            self.check()?;
            Ok(self.tokens.lock().unwrap().get(key).cloned())
        })
    }
    fn put<'a>(&'a self, key: &'a str, token: &'a StoredToken) -> BoxFuture<'a, Result<(), TokenStoreError>> {
        Box::pin(async move {
            self.check()?;
            self.tokens.lock().unwrap().insert(key.to_owned(), token.clone());
            Ok(())
        })
    }
    fn remove<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), TokenStoreError>> {
        Box::pin(async move {
            self.check()?;
            self.tokens.lock().unwrap().remove(key);
            Ok(())
        })
    }
    fn try_lock<'a>(
        &'a self,
        key: &'a str,
        _hold: Duration,
    ) -> BoxFuture<'a, Result<Option<FetchLock>, TokenStoreError>> {
        Box::pin(async move {
            self.check()?;
            let mut locks = self.locks.lock().unwrap();
            if locks.contains_key(key) {
                return Ok(None);
            }
            let id = self.next_lock.fetch_add(1, Ordering::SeqCst).to_string();
            locks.insert(key.to_owned(), id.clone());
            Ok(Some(FetchLock(id)))
        })
    }
    fn unlock<'a>(&'a self, key: &'a str, lock: FetchLock) -> BoxFuture<'a, Result<(), TokenStoreError>> {
        Box::pin(async move {
            self.check()?;
            let mut locks = self.locks.lock().unwrap();
            if locks.get(key) == Some(&lock.0) {
                locks.remove(key);
            }
            Ok(())
        })
    }
    fn when_unavailable(&self) -> WhenUnavailable {
        if self.fail_closed { WhenUnavailable::Fail } else { WhenUnavailable::Local }
    }
}

/// A token endpoint that counts its fetches and takes a while to answer.
#[derive(Clone, Debug, Default)]
struct Counting(Arc<AtomicU32>);

impl TokenSource for Counting {
    fn fetch(&self) -> BoxFuture<'_, carewire_core::Result<Token>> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(30)).await;
            Ok(Token::new(format!("tok{n}"), Some(Duration::from_secs(3600))))
        })
    }
}

impl SubjectTokenSource for Counting {
    fn fetch<'a>(&'a self, subject: &'a str) -> BoxFuture<'a, carewire_core::Result<Token>> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(Token::new(format!("{subject}-tok{n}"), Some(Duration::from_secs(3600))))
        })
    }
}

async fn header_of(c: &dyn Credentials) -> String {
    let mut h = HeaderMap::new();
    c.apply(&mut h).await.unwrap();
    h["authorization"].to_str().unwrap().to_owned()
}

async fn subject_header(c: &dyn SubjectCredentials, subject: &str) -> String {
    let mut h = HeaderMap::new();
    c.apply(subject, &mut h).await.unwrap();
    h["authorization"].to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_caches_on_one_store_fetch_once() {
    let store = Arc::new(MemoryStore::default());
    let source = Counting::default();
    let caches: Vec<Arc<TokenCache<Counting>>> =
        (0..4).map(|_| Arc::new(TokenCache::new(source.clone()).shared_store(store.clone(), "client"))).collect();
    let calls: Vec<_> = (0..1_000)
        .map(|i| {
            let cache = Arc::clone(&caches[i % 4]);
            tokio::spawn(async move { header_of(&*cache).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), "Bearer tok1");
    }
    assert_eq!(source.0.load(Ordering::SeqCst), 1);
    assert_eq!(store.tokens.lock().unwrap()["client"].value.expose_secret(), "tok1");
    assert!(store.locks.lock().unwrap().is_empty(), "the fetch lock is released");
}

#[tokio::test]
async fn a_due_stored_token_is_refreshed_once_and_a_rejected_one_is_not_reused() {
    let store = Arc::new(MemoryStore::default());
    // A stored token past its refresh point (refreshed 60 s ahead; 30 s left).
    let issued = SystemTime::now() - Duration::from_secs(3570);
    let old = StoredToken::new(Token::new("old", Some(Duration::from_secs(3600))), issued);
    store.tokens.lock().unwrap().insert("client".into(), old);
    let source = Counting::default();
    let a = TokenCache::new(source.clone()).shared_store(store.clone(), "client");
    let b = TokenCache::new(source.clone()).shared_store(store.clone(), "client");
    assert_eq!(header_of(&a).await, "Bearer tok1");
    assert_eq!(header_of(&b).await, "Bearer tok1");
    assert_eq!(source.0.load(Ordering::SeqCst), 1);

    // The vendor refuses tok1 for A: A does not take it from the store again, and B then uses A's new one.
    let mut h = HeaderMap::new();
    let stamp = a.apply(&mut h).await.unwrap();
    assert!(a.invalidate(stamp));
    assert_eq!(header_of(&a).await, "Bearer tok2");
    assert_eq!(store.tokens.lock().unwrap()["client"].value.expose_secret(), "tok2");
    let c = TokenCache::new(source.clone()).shared_store(store.clone(), "client");
    assert_eq!(header_of(&c).await, "Bearer tok2");
    assert_eq!(source.0.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_unavailable_store_falls_back_to_local_fetches_or_fails_as_configured() {
    let store = Arc::new(MemoryStore::default());
    store.down.store(true, Ordering::SeqCst);
    let source = Counting::default();
    let a = TokenCache::new(source.clone()).shared_store(store.clone(), "client");
    let b = TokenCache::new(source.clone()).shared_store(store.clone(), "client");
    assert_eq!(header_of(&a).await, "Bearer tok1");
    assert_eq!(header_of(&b).await, "Bearer tok2");
    // Each keeps its own token meanwhile.
    assert_eq!(header_of(&a).await, "Bearer tok1");
    assert_eq!(source.0.load(Ordering::SeqCst), 2);

    let closed = Arc::new(MemoryStore { fail_closed: true, ..MemoryStore::default() });
    closed.down.store(true, Ordering::SeqCst);
    let cache = TokenCache::new(source.clone()).shared_store(closed, "client");
    let err = cache.apply(&mut HeaderMap::new()).await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(err.to_string().contains("token store is unavailable"), "{err}");
    assert_eq!(source.0.load(Ordering::SeqCst), 2, "no fetch when configured to fail");
}

#[tokio::test]
async fn a_token_the_store_cannot_unseal_is_a_configuration_error() {
    #[derive(Debug)]
    struct WrongKey;
    impl TokenStore for WrongKey {
        fn get<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>, TokenStoreError>> {
            Box::pin(async move { Err(TokenStoreError::Unseal) })
        }
        fn put<'a>(&'a self, _: &'a str, _: &'a StoredToken) -> BoxFuture<'a, Result<(), TokenStoreError>> {
            Box::pin(async move { Ok(()) })
        }
        fn remove<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<(), TokenStoreError>> {
            Box::pin(async move { Ok(()) })
        }
        fn try_lock<'a>(
            &'a self,
            _: &'a str,
            _: Duration,
        ) -> BoxFuture<'a, Result<Option<FetchLock>, TokenStoreError>> {
            Box::pin(async move { Ok(None) })
        }
        fn unlock<'a>(&'a self, _: &'a str, _: FetchLock) -> BoxFuture<'a, Result<(), TokenStoreError>> {
            Box::pin(async move { Ok(()) })
        }
    }
    let source = Counting::default();
    let cache = TokenCache::new(source.clone()).shared_store(Arc::new(WrongKey), "client");
    let err = cache.apply(&mut HeaderMap::new()).await.unwrap_err();
    assert!(matches!(err, Error::Config(ref m) if m.contains("sealing key")), "{err:?}");
    assert_eq!(source.0.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_subject_token_obtained_by_one_cache_is_used_by_another() {
    let store = Arc::new(MemoryStore::default());
    let source = Counting::default();
    let a = SubjectTokenCache::new(source.clone()).shared_store(store.clone());
    let b = SubjectTokenCache::new(source.clone()).shared_store(store.clone());
    assert_eq!(subject_header(&a, "patient-1").await, "Bearer patient-1-tok1");
    assert_eq!(subject_header(&b, "patient-1").await, "Bearer patient-1-tok1");
    assert_eq!(source.0.load(Ordering::SeqCst), 1);
    // Another subject is its own token.
    assert_eq!(subject_header(&b, "patient-2").await, "Bearer patient-2-tok2");
    // A session resumed through one cache (a sign-in done elsewhere) is seen by the other.
    a.insert_shared("patient-3", Token::new("resumed", Some(Duration::from_secs(600)))).await.unwrap();
    assert_eq!(subject_header(&b, "patient-3").await, "Bearer resumed");
    // A sign-out through one cache is a sign-out everywhere: the next call signs in again.
    b.remove_shared("patient-1").await.unwrap();
    let c = SubjectTokenCache::new(source.clone()).shared_store(store.clone());
    assert_eq!(subject_header(&c, "patient-1").await, "Bearer patient-1-tok3");
    assert_eq!(source.0.load(Ordering::SeqCst), 3);
    // Nothing in the store's keys but the subject (the store is expected to protect them itself).
    assert!(store.tokens.lock().unwrap().contains_key("subject:patient-2"));
}

/// What a budget was told: a pause, and windows to bring in step.
type Observation = (Option<Duration>, Vec<(Window, usize)>);

/// A budget standing in for a shared one: counts per window, an optional fixed answer, a pause and a switch.
#[derive(Debug, Default)]
struct MemoryBudget {
    taken: Mutex<Vec<Vec<Window>>>,
    observed: Mutex<Vec<Observation>>,
    wait_first: Mutex<Option<Duration>>,
    down: AtomicBool,
    fail_closed: bool,
}

impl RateBudget for MemoryBudget {
    fn try_acquire<'a>(&'a self, windows: &'a [Window]) -> BoxFuture<'a, Result<Option<Duration>, Unavailable>> {
        Box::pin(async move {
            if self.down.load(Ordering::SeqCst) {
                return Err(Unavailable::new("timed out"));
            }
            if let Some(wait) = self.wait_first.lock().unwrap().take() {
                return Ok(Some(wait));
            }
            self.taken.lock().unwrap().push(windows.to_vec());
            Ok(None)
        })
    }
    fn observe<'a>(
        &'a self,
        pause: Option<Duration>,
        in_step: &'a [(Window, usize)],
    ) -> BoxFuture<'a, Result<(), Unavailable>> {
        Box::pin(async move {
            if self.down.load(Ordering::SeqCst) {
                return Err(Unavailable::new("timed out"));
            }
            self.observed.lock().unwrap().push((pause, in_step.to_vec()));
            Ok(())
        })
    }
    fn when_unavailable(&self) -> WhenUnavailable {
        if self.fail_closed { WhenUnavailable::Fail } else { WhenUnavailable::Local }
    }
}

#[tokio::test(start_paused = true)]
async fn the_limiter_takes_from_the_shared_budget_and_waits_when_it_says_so() {
    let budget = MemoryBudget::default();
    *budget.wait_first.lock().unwrap() = Some(Duration::from_secs(5));
    let limiter = RateLimiter::new().budget(MethodClass::Write, 40, Duration::from_secs(60)).budget(
        MethodClass::Read,
        8_000,
        Duration::from_secs(3600),
    );
    let start = tokio::time::Instant::now();
    limiter.acquire_with(Method::Post, Some(&budget)).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(5));
    let taken = budget.taken.lock().unwrap().clone();
    assert_eq!(taken, vec![vec![Window::new(MethodClass::Write, 40, Duration::from_secs(60))]]);

    // Unavailable: by default counted locally, within the local windows.
    budget.down.store(true, Ordering::SeqCst);
    let small = RateLimiter::new().budget(MethodClass::Write, 2, Duration::from_secs(10));
    let start = tokio::time::Instant::now();
    for _ in 0..3 {
        small.acquire_with(Method::Post, Some(&budget)).await.unwrap();
    }
    assert_eq!(start.elapsed(), Duration::from_secs(10), "the local window still holds");

    // Configured to fail: an error, at once.
    let closed = MemoryBudget { fail_closed: true, ..MemoryBudget::default() };
    closed.down.store(true, Ordering::SeqCst);
    let err = small.acquire_with(Method::Get, Some(&closed)).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn the_transport_shares_what_the_rate_limit_headers_say() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-limit", "40")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "1")
                .set_body_json(serde_json::json!({"ok": true})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-remaining", "7990")
                .set_body_json(serde_json::json!({"ok": true})),
        )
        .mount(&server)
        .await;
    let budget = Arc::new(MemoryBudget::default());
    let config = ClientConfig::new(&server.uri())
        .unwrap()
        .retry(RetryPolicy::default().max_retries(0))
        .rate_limiter(Some(Arc::new(RateLimiter::new().budget(MethodClass::Write, 40, Duration::from_secs(60)))));
    let transport = Transport::builder("v", config).rate_budget(budget.clone()).build().unwrap();
    let _: Value = transport.send(Request::post("/write")).await.unwrap();
    let observed = budget.observed.lock().unwrap().clone();
    let write = Window::new(MethodClass::Write, 40, Duration::from_secs(60));
    assert_eq!(observed, vec![(Some(Duration::from_secs(1)), vec![(write, 40)])]);
    assert_eq!(budget.taken.lock().unwrap().len(), 1);
    // A read's headers concern no configured read window: nothing to share.
    let _: Value = transport.send(Request::get("/read")).await.unwrap();
    assert_eq!(budget.observed.lock().unwrap().len(), 1);

    // Without a limiter of its own, a transport with a shared budget still consults it (pauses only).
    let plain =
        Transport::builder("v", ClientConfig::new(&server.uri()).unwrap()).rate_budget(budget.clone()).build().unwrap();
    assert!(plain.rate_limiter().is_some());
    let _: Value = plain.send(Request::get("/read")).await.unwrap();
    assert_eq!(budget.taken.lock().unwrap().last(), Some(&Vec::new()));
}
