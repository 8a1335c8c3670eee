//! The shared rate budget against a real Redis server: several transports standing in for replicas never
//! exceed a write budget together in any window, over several windows, and a vendor's "spent" seen by one
//! replica pauses the others.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use carewire_core::ratelimit::{MethodClass, RateLimiter};
use carewire_core::shared::namespace;
use carewire_core::{ClientConfig, Request, RetryPolicy, Transport};
use common::Redis;
use serde_json::{Value, json};
use tokio::time::Instant;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// Answers 200 and writes down when each request arrived.
#[derive(Clone, Default)]
struct Arrivals(Arc<Mutex<Vec<Instant>>>);

impl Respond for Arrivals {
    fn respond(&self, _request: &wiremock::Request) -> ResponseTemplate {
        self.0.lock().unwrap().push(Instant::now());
        ResponseTemplate::new(200).set_body_json(json!({"ok": true}))
    }
}

fn replica(uri: &str, limiter: RateLimiter, budget: Arc<dyn carewire_core::ratelimit::RateBudget>) -> Transport {
    let config = ClientConfig::new(uri)
        .unwrap()
        .retry(RetryPolicy::default().max_retries(0))
        .rate_limiter(Some(Arc::new(limiter)));
    Transport::builder("testvendor", config).rate_budget(budget).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_never_exceed_the_write_budget_together() {
    let redis = redis_or_skip!(Redis::shared());
    let server = MockServer::start().await;
    let arrivals = Arrivals::default();
    Mock::given(wiremock::matchers::any()).respond_with(arrivals.clone()).mount(&server).await;
    let ns = namespace("testvendor", "client-1");
    let prefix = common::unique_prefix();
    let (capacity, per) = (5, Duration::from_secs(1));
    // Each replica its own state (connection) and limiter, with the vendor's documented budget.
    let replicas: Vec<Transport> = (0..3)
        .map(|_| {
            let state = redis.builder().prefix(prefix.clone()).build().unwrap();
            replica(
                &server.uri(),
                RateLimiter::new().budget(MethodClass::Write, capacity, per),
                Arc::new(state.rate_budget(&ns)),
            )
        })
        .collect();
    let start = Instant::now();
    let mut calls = Vec::new();
    for i in 0..30 {
        let transport = replicas[i % 3].clone();
        calls.push(tokio::spawn(async move { transport.send::<Value>(Request::post("/v1/bookings")).await }));
    }
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let elapsed = start.elapsed();
    let times = arrivals.0.lock().unwrap().clone();
    assert_eq!(times.len(), 30);
    // Any `capacity + 1` consecutive arrivals span at least one window (less a little for the time between
    // the budget's answer and the request's arrival).
    let slack = Duration::from_millis(150);
    for pair in times.windows(capacity + 1) {
        let span = pair[capacity].duration_since(pair[0]);
        assert!(span + slack >= per, "{} requests within {span:?}", capacity + 1);
    }
    // 30 requests at 5 a second: the sixth window opens after 5 s.
    assert!(elapsed + slack >= Duration::from_secs(5), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(9), "the replicas did not wait much longer than needed: {elapsed:?}");
    // Reads are not counted against the write budget.
    let reads = Instant::now();
    for _ in 0..10 {
        let _: Value = replicas[0].send(Request::get("/v1/bookings")).await.unwrap();
    }
    assert!(reads.elapsed() < Duration::from_millis(900), "{:?}", reads.elapsed());
}

#[tokio::test]
async fn a_spent_window_reported_to_one_replica_pauses_the_others() {
    let redis = redis_or_skip!(Redis::shared());
    let server = MockServer::start().await;
    // A spent window of another bucket than the configured one (its limit is not 40): a pause only.
    Mock::given(wiremock::matchers::path("/spent"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-limit", "100")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "1")
                .set_body_json(json!({"ok": true})),
        )
        .mount(&server)
        .await;
    // The configured bucket, nearly spent by requests this budget never saw.
    Mock::given(wiremock::matchers::path("/nearly"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-limit", "40")
                .insert_header("x-ratelimit-remaining", "2")
                .set_body_json(json!({"ok": true})),
        )
        .mount(&server)
        .await;
    let arrivals = Arrivals::default();
    Mock::given(wiremock::matchers::path("/other")).respond_with(arrivals.clone()).mount(&server).await;
    let prefix = common::unique_prefix();
    let ns = namespace("testvendor", "client-2");
    let replica_of = || {
        let state = redis.builder().prefix(prefix.clone()).build().unwrap();
        replica(
            &server.uri(),
            RateLimiter::new().budget(MethodClass::Write, 40, Duration::from_secs(60)),
            Arc::new(state.rate_budget(&ns)),
        )
    };
    let (a, b) = (replica_of(), replica_of());
    let _: Value = a.send(Request::post("/spent")).await.unwrap();
    // B never saw that response, and its own window is empty: it waits for the vendor's reset anyway.
    let start = Instant::now();
    let _: Value = b.send(Request::post("/other")).await.unwrap();
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(850), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");

    // The vendor's count brings the shared window in step: 38 of 40 used by its count, so B may send two
    // more writes in this window, and the third waits for it (beyond this call's deadline: a timeout).
    let _: Value = a.send(Request::post("/nearly")).await.unwrap();
    for _ in 0..2 {
        let quick = Instant::now();
        let _: Value = b.send(Request::post("/other")).await.unwrap();
        assert!(quick.elapsed() < Duration::from_millis(500), "{:?}", quick.elapsed());
    }
    let started = Instant::now();
    let err = b.send::<Value>(Request::post("/other").timeout(Duration::from_millis(300))).await.unwrap_err();
    assert!(matches!(err, carewire_core::Error::Timeout(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(arrivals.0.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn medtimes_clients_given_the_shared_state_share_their_budget() {
    let redis = redis_or_skip!(Redis::shared());
    let server = MockServer::start().await;
    let arrivals = Arrivals::default();
    Mock::given(wiremock::matchers::any()).respond_with(arrivals.clone()).mount(&server).await;
    let prefix = common::unique_prefix();
    let replica = |key: &str| {
        carewire_medtimes::Client::builder()
            .api_key(key)
            .base_url(server.uri())
            .rate_limiter(Arc::new(RateLimiter::new().budget(MethodClass::Write, 3, Duration::from_secs(1))))
            .shared_state(redis.builder().prefix(prefix.clone()).build().unwrap())
            .build()
            .unwrap()
    };
    let (a, b) = (replica("sk_test_same"), replica("sk_test_same"));
    let start = Instant::now();
    for i in 0..6 {
        let client = if i % 2 == 0 { &a } else { &b };
        let _: Value = client.request(Request::post("/v1/claims/submit")).await.unwrap();
    }
    // Six writes at three a second between the two: the second three wait for the window.
    assert!(start.elapsed() >= Duration::from_millis(850), "{:?}", start.elapsed());
    // Another API key is another budget.
    let other = replica("sk_test_other");
    let quick = Instant::now();
    for _ in 0..3 {
        let _: Value = other.request(Request::post("/v1/claims/submit")).await.unwrap();
    }
    assert!(quick.elapsed() < Duration::from_millis(500), "{:?}", quick.elapsed());
    assert_eq!(arrivals.0.lock().unwrap().len(), 9);
}
