//! The shared token store against a real Redis server: 1,000 calls across 4 clients at token expiry cause
//! one fetch, a patient's token obtained through one client is used by another, tokens are stored for
//! their remaining lifetime under hashed names, sealed tokens hold none of the token's bytes, and the wrong
//! key is a typed error.

mod common;

use carewire_core::BoxFuture;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use carewire_core::auth::{StoredToken, Token, TokenCache, TokenSource, TokenStore, TokenStoreError};
use carewire_core::operation::Scope;
use carewire_core::secret::ExposeSecret;
use carewire_core::shared::namespace;
use carewire_core::subject::{SubjectTokenCache, SubjectTokenSource};
use carewire_core::{ClientConfig, Error, Request, Transport};
use carewire_redis::SealKey;
use common::Redis;
use redis::AsyncCommands as _;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A token endpoint (an OAuth2 server, a patient sign-in) that counts its fetches and takes a while.
#[derive(Clone, Debug, Default)]
struct Counting(Arc<AtomicU32>);

impl Counting {
    fn count(&self) -> u32 {
        self.0.load(Ordering::SeqCst)
    }
}

impl TokenSource for Counting {
    fn fetch(&self) -> BoxFuture<'_, carewire_core::Result<Token>> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
            Ok(Token::new(format!("client-token-{n}"), Some(Duration::from_secs(3600))))
        })
    }
}

impl SubjectTokenSource for Counting {
    fn fetch<'a>(&'a self, subject: &'a str) -> BoxFuture<'a, carewire_core::Result<Token>> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok(Token::new(format!("session-of-{subject}-{n}"), Some(Duration::from_secs(1800))))
        })
    }
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true}))).mount(&server).await;
    server
}

async fn authorizations(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().filter_map(|r| r.headers.get("authorization")?.to_str().ok().map(str::to_owned)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_calls_across_four_clients_at_expiry_fetch_once() {
    let redis = redis_or_skip!(Redis::shared());
    let server = ok_server().await;
    let prefix = common::unique_prefix();
    let ns = namespace("testvendor", "client-id-1");
    let source = Counting::default();
    let clients: Vec<Transport> = (0..4)
        .map(|_| {
            let state = redis.builder().prefix(prefix.clone()).build().unwrap();
            let cache = TokenCache::new(source.clone()).shared_store(Arc::new(state.token_store(&ns)), "client");
            Transport::builder("testvendor", ClientConfig::new(&server.uri()).unwrap())
                .credentials(cache)
                .build()
                .unwrap()
        })
        .collect();
    let burst = |clients: &[Transport]| {
        (0..1_000)
            .map(|i| {
                let client = clients[i % 4].clone();
                tokio::spawn(async move { client.send::<Value>(Request::get("/v1/doctors")).await })
            })
            .collect::<Vec<_>>()
    };
    // No token anywhere (the last one expired, so Redis forgot it).
    for call in burst(&clients) {
        call.await.unwrap().unwrap();
    }
    assert_eq!(source.count(), 1);
    let sent = authorizations(&server).await;
    assert_eq!(sent.len(), 1_000);
    assert!(sent.iter().all(|a| a == "Bearer client-token-1"));

    // The stored token comes due (30 s left, refreshed 60 s ahead) for fresh clients: one fetch again.
    let state = redis.builder().prefix(prefix.clone()).build().unwrap();
    let store = state.token_store(&ns);
    let due = StoredToken::new(
        Token::new("due-token", Some(Duration::from_secs(3600))),
        SystemTime::now() - Duration::from_secs(3570),
    );
    store.put("client", &due).await.unwrap();
    let fresh: Vec<Transport> = (0..4)
        .map(|_| {
            let state = redis.builder().prefix(prefix.clone()).build().unwrap();
            let cache = TokenCache::new(source.clone()).shared_store(Arc::new(state.token_store(&ns)), "client");
            Transport::builder("testvendor", ClientConfig::new(&server.uri()).unwrap())
                .credentials(cache)
                .build()
                .unwrap()
        })
        .collect();
    server.reset().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true}))).mount(&server).await;
    for call in burst(&fresh) {
        call.await.unwrap().unwrap();
    }
    assert_eq!(source.count(), 2);
    // While one client refreshed, the others kept using the still-valid token; afterwards, the new one.
    let sent = authorizations(&server).await;
    assert!(sent.iter().all(|a| a == "Bearer client-token-2" || a == "Bearer due-token"), "{sent:?}");
    assert!(sent.iter().any(|a| a == "Bearer client-token-2"));
    assert_eq!(store.get("client").await.unwrap().unwrap().value.expose_secret(), "client-token-2");
}

async fn call(t: &Transport, patient: &str) -> carewire_core::Result<Value> {
    t.send::<Value>(Request::get("/v1/patients/me").scope(Scope::Subject).subject(patient)).await
}

#[tokio::test]
async fn a_patient_token_obtained_by_one_client_is_used_by_another() {
    let redis = redis_or_skip!(Redis::shared());
    let server = ok_server().await;
    let prefix = common::unique_prefix();
    let ns = namespace("testvendor", "client-id-2");
    let sign_ins = Counting::default();
    let client = || {
        let state = redis.builder().prefix(prefix.clone()).build().unwrap();
        let sessions = SubjectTokenCache::new(sign_ins.clone()).shared_store(Arc::new(state.token_store(&ns)));
        Transport::builder("testvendor", ClientConfig::new(&server.uri()).unwrap())
            .subject_credentials(Arc::new(sessions))
            .build()
            .unwrap()
    };
    let (a, b) = (client(), client());
    call(&a, "patient-1001").await.unwrap();
    call(&b, "patient-1001").await.unwrap();
    call(&b, "patient-1001").await.unwrap();
    assert_eq!(sign_ins.count(), 1, "B used A's session");
    call(&b, "patient-2002").await.unwrap();
    call(&a, "patient-2002").await.unwrap();
    assert_eq!(sign_ins.count(), 2);
    let sent = authorizations(&server).await;
    assert_eq!(sent[..3], ["Bearer session-of-patient-1001-1"; 3]);
    assert_eq!(sent[3..], ["Bearer session-of-patient-2002-2"; 2]);

    // Stored under hashed names (no patient id in Redis), for the token's remaining lifetime.
    let mut raw = redis.raw().await;
    let keys: Vec<String> = raw.keys(format!("{prefix}:*")).await.unwrap();
    assert_eq!(keys.len(), 2, "{keys:?}");
    for key in &keys {
        assert!(!key.contains("patient"), "{key}");
        let ttl: i64 = raw.pttl(key).await.unwrap();
        assert!(ttl > 1_790_000 && ttl <= 1_800_000, "{key}: {ttl}");
    }
}

#[tokio::test]
async fn sealed_tokens_hold_no_token_bytes_and_the_wrong_key_is_a_typed_error() {
    let redis = redis_or_skip!(Redis::shared());
    let prefix = common::unique_prefix();
    let ns = namespace("testvendor", "client-id-3");
    let key = SealKey::generate().unwrap();
    let sealed = redis.builder().prefix(prefix.clone()).seal_key(key.clone()).build().unwrap().token_store(&ns);
    let secret = "tok_LIVE_0123456789abcdefSECRET";
    let token = StoredToken::new(Token::new(secret, Some(Duration::from_secs(600))), SystemTime::now());
    sealed.put("subject:HID-NHG869UP", &token).await.unwrap();
    assert_eq!(sealed.get("subject:HID-NHG869UP").await.unwrap().unwrap().value.expose_secret(), secret);

    let mut raw = redis.raw().await;
    let keys: Vec<String> = raw.keys(format!("{prefix}:*")).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert!(!keys[0].contains("HID"), "{}", keys[0]);
    let stored: Vec<u8> = raw.get(&keys[0]).await.unwrap();
    let text = String::from_utf8_lossy(&stored);
    for needle in [secret, "0123456789abcdef", "SECRET"] {
        assert!(!text.contains(needle), "the stored value contains {needle:?}");
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(secret);
    assert!(!text.contains(&encoded[..16]));

    // The same key (another replica configured alike) reads it.
    let alike = redis.builder().prefix(prefix.clone()).seal_key(SealKey::from_base64(&key.to_base64()).unwrap());
    let alike = alike.build().unwrap().token_store(&ns);
    assert_eq!(alike.get("subject:HID-NHG869UP").await.unwrap().unwrap().value.expose_secret(), secret);

    // Another key, or none: the sealed value put where that store looks for it cannot be read, a typed error.
    let other = redis.builder().prefix(prefix.clone()).seal_key(SealKey::generate().unwrap()).build().unwrap();
    let other = other.token_store(&ns);
    let unkeyed = redis.builder().prefix(prefix.clone()).build().unwrap().token_store(&ns);
    for store in [&other, &unkeyed] {
        // Names are keyed hashes too: nothing is found under this store's name at first.
        assert!(store.get("subject:HID-NHG869UP").await.unwrap().is_none());
        store.put("subject:HID-NHG869UP", &token).await.unwrap();
        let all: Vec<String> = raw.keys(format!("{prefix}:*")).await.unwrap();
        let name = all.iter().find(|k| **k != keys[0]).unwrap().clone();
        let _: () = raw.set(&name, stored.as_slice()).await.unwrap();
        assert_eq!(store.get("subject:HID-NHG869UP").await.unwrap_err(), TokenStoreError::Unseal);
        let _: i64 = raw.del(&name).await.unwrap();
    }
    // A plain token written where a sealing store looks is refused too (an unsealed write is not trusted).
    unkeyed.put("subject:HID-PLAIN", &token).await.unwrap();
    let all: Vec<String> = raw.keys(format!("{prefix}:*")).await.unwrap();
    let plain_name = all.iter().find(|k| **k != keys[0]).unwrap().clone();
    let plain: Vec<u8> = raw.get(&plain_name).await.unwrap();
    assert!(String::from_utf8_lossy(&plain).contains(secret), "unsealed means readable (documented)");
    let _: () = raw.set(&keys[0], plain.as_slice()).await.unwrap();
    assert_eq!(sealed.get("subject:HID-NHG869UP").await.unwrap_err(), TokenStoreError::Unseal);
    let _: () = raw.set(&keys[0], stored.as_slice()).await.unwrap();

    // Put sealed under `other`'s name for a cache's key, for the cache below.
    other.put("client", &token).await.unwrap();
    let names: Vec<String> = raw.keys(format!("{prefix}:*")).await.unwrap();
    let client_name = names.iter().find(|k| **k != keys[0] && **k != plain_name).unwrap().clone();
    let _: () = raw.set(&client_name, stored.as_slice()).await.unwrap();

    // Through a token cache, the wrong key is a configuration error, and nothing is fetched.
    let source = Counting::default();
    let cache = TokenCache::new(source.clone()).shared_store(Arc::new(other.clone()), "client");
    let server = ok_server().await;
    let transport =
        Transport::builder("testvendor", ClientConfig::new(&server.uri()).unwrap()).credentials(cache).build().unwrap();
    let err = transport.send::<Value>(Request::get("/x")).await.unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("sealing key"), "{err}");
    assert_eq!(source.count(), 0);
    assert!(server.received_requests().await.unwrap_or_default().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docplanner_clients_given_the_shared_state_fetch_one_token_between_them() {
    let redis = redis_or_skip!(Redis::shared());
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/oauth/v2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "dp-token", "token_type": "bearer", "expires_in": 3600}))
                .set_delay(Duration::from_millis(100)),
        )
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true}))).mount(&server).await;
    let prefix = common::unique_prefix();
    let replicas: Vec<carewire_docplanner::Client> = (0..4)
        .map(|_| {
            carewire_docplanner::Client::builder()
                .base_url(server.uri())
                .credentials("client-id", "client-secret")
                .shared_state(redis.builder().prefix(prefix.clone()).build().unwrap())
                .build()
                .unwrap()
        })
        .collect();
    let calls: Vec<_> = (0..200)
        .map(|i| {
            let client = replicas[i % 4].clone();
            tokio::spawn(async move { client.request::<Value>(Request::get("/api/v3/integration/facilities")).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let requests = server.received_requests().await.unwrap_or_default();
    let fetches = requests.iter().filter(|r| r.url.path() == "/oauth/v2/token").count();
    assert_eq!(fetches, 1, "one token fetch for four replicas");
    assert_eq!(requests.len(), 201);
}
