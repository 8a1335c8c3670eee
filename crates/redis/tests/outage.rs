//! Redis stopped in the middle of a run: the documented fallbacks happen (replay checks refused, budgets
//! and tokens per process, each with a warning; or errors where so configured), no call panics or hangs
//! past its deadline, and sharing resumes when the server is back.

mod common;

use carewire_core::BoxFuture;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use carewire_core::auth::{Token, TokenCache, TokenSource};
use carewire_core::ratelimit::{MethodClass, RateLimiter};
use carewire_core::shared::{WhenUnavailable, namespace};
use carewire_core::webhook::{ReplayGuard, WebhookError};
use carewire_core::{ClientConfig, Error, Request, RetryPolicy, Transport};
use carewire_redis::{RedisState, ReplayFallback};
use common::Redis;
use serde_json::{Value, json};
use tokio::time::Instant;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Debug, Default)]
struct Counting(Arc<AtomicU32>);

impl TokenSource for Counting {
    fn fetch(&self) -> BoxFuture<'_, carewire_core::Result<Token>> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(Token::new(format!("tok{n}"), Some(Duration::from_secs(3600))))
        })
    }
}

/// Collects the messages of `WARN` events, to check that a fallback says so.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

struct Message<'a>(&'a mut String);

impl tracing::field::Visit for Message<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            *self.0 = format!("{value:?}");
        }
    }
}

impl tracing::Subscriber for Warnings {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        *metadata.level() <= tracing::Level::INFO
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if *event.metadata().level() == tracing::Level::WARN {
            let mut message = String::new();
            event.record(&mut Message(&mut message));
            self.0.lock().unwrap().push(message);
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

fn client(uri: &str, state: &RedisState, source: &Counting) -> Transport {
    let ns = namespace("testvendor", "client-outage");
    let config = ClientConfig::new(uri)
        .unwrap()
        .retry(RetryPolicy::default().max_retries(0))
        .total_timeout(Some(Duration::from_secs(2)))
        .rate_limiter(Some(Arc::new(RateLimiter::new().budget(MethodClass::Write, 1_000, Duration::from_secs(1)))));
    Transport::builder("testvendor", config)
        .credentials(TokenCache::new(source.clone()).shared_store(Arc::new(state.token_store(&ns)), "client"))
        .rate_budget(Arc::new(state.rate_budget(&ns)))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn redis_stopped_mid_run_gives_the_documented_fallbacks_without_hanging() {
    let warnings = Warnings::default();
    let _subscriber = tracing::subscriber::set_default(warnings.clone());
    let mut redis = redis_or_skip!(Redis::own());
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true}))).mount(&server).await;
    let prefix = common::unique_prefix();
    let url = redis.url.clone();
    let state = || {
        RedisState::builder(&url).prefix(prefix.clone()).command_timeout(Duration::from_millis(200)).build().unwrap()
    };
    let (state_a, state_b) = (state(), state());
    let source = Counting::default();
    let (a, b) = (client(&server.uri(), &state_a, &source), client(&server.uri(), &state_b, &source));
    let refusing = state_a.replay_guard("medtimes");
    let local = RedisState::builder(&url)
        .prefix(prefix.clone())
        .command_timeout(Duration::from_millis(200))
        .replay_unavailable(ReplayFallback::Local)
        .build()
        .unwrap()
        .replay_guard("medtimes");

    // Shared while Redis is up: one token fetch for both clients.
    let _: Value = a.send(Request::post("/v1/bookings")).await.unwrap();
    let _: Value = b.send(Request::post("/v1/bookings")).await.unwrap();
    assert_eq!(source.0.load(Ordering::SeqCst), 1);
    assert_eq!(refusing.check_and_record("evt_before").await, Ok(true));

    // A run of calls from both clients, with the server stopped in the middle of it.
    let mut calls = Vec::new();
    for i in 0..200 {
        let client = if i % 2 == 0 { a.clone() } else { b.clone() };
        calls.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(i * 2)).await;
            let started = Instant::now();
            let result = client.send::<Value>(Request::post("/v1/bookings")).await;
            (result, started.elapsed())
        }));
    }
    tokio::time::sleep(Duration::from_millis(150)).await;
    redis.stop();
    for call in calls {
        let (result, took) = call.await.expect("no call panicked");
        result.expect("the limiter falls back to the local windows");
        assert!(took < Duration::from_millis(1_500), "a call took {took:?}");
    }

    // With Redis gone: the refusing guard refuses, promptly; the local one checks this process's memory.
    let started = Instant::now();
    let err = refusing.check_and_record("evt_during").await.unwrap_err();
    assert!(matches!(err, WebhookError::ReplayCheckUnavailable { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(500), "{:?}", started.elapsed());
    assert_eq!(local.check_and_record("evt_during").await, Ok(true));
    assert_eq!(local.check_and_record("evt_during").await, Ok(false));

    // A client starting now fetches its own token (the store is unreachable), within its deadline.
    let started = Instant::now();
    let c = client(&server.uri(), &state(), &source);
    let _: Value = c.send(Request::get("/v1/doctors")).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(source.0.load(Ordering::SeqCst), 2);

    // Configured to fail instead: typed errors, at once.
    let strict = RedisState::builder(&url)
        .prefix(prefix.clone())
        .command_timeout(Duration::from_millis(200))
        .rate_unavailable(WhenUnavailable::Fail)
        .tokens_unavailable(WhenUnavailable::Fail)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client(&server.uri(), &strict, &source).send::<Value>(Request::get("/v1/doctors")).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "the budget fails first: {err:?}");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(source.0.load(Ordering::SeqCst), 2);

    let said = warnings.0.lock().unwrap().clone();
    assert!(said.iter().any(|w| w.contains("shared rate budget is unavailable")), "{said:?}");
    assert!(said.iter().any(|w| w.contains("shared token store is unavailable")), "{said:?}");
    assert!(said.iter().any(|w| w.contains("shared replay guard is unavailable")), "{said:?}");

    // Back: the connection comes back by itself (after the cool-down), and sharing resumes.
    redis.start().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while state_a.ping().await.is_err() || state_b.ping().await.is_err() {
        assert!(Instant::now() < deadline, "the connection did not come back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(refusing.check_and_record("evt_after").await, Ok(true));
    let other = state_b.replay_guard("medtimes");
    assert_eq!(other.check_and_record("evt_after").await, Ok(false));
}
