//! Two replicas, one budget: two Medtimes clients (standing in for two replicas of your service) share a
//! write budget and a webhook replay guard through one Redis server.
//!
//! ```sh
//! redis-server --port 6379 &    # or any Redis you have; CAREWIRE_REDIS_URL says where
//! cargo run --example shared_state
//! ```
//!
//! The clients talk to the in-process Medtimes sandbox on 127.0.0.1. Redis is read from
//! `CAREWIRE_REDIS_URL` (default `redis://127.0.0.1:6379/`); when none answers, the example says how to
//! start one and exits successfully, so it stays an offline example.
//!
//! What it shows:
//!
//! - `RedisState::from_vars(..)` / `RedisState::connect(url)`, and `ping()` for a health check;
//! - `Client::builder().rate_limiter(..).shared_state(state)`: both clients take each write from one budget
//!   of 3 writes a second, so 9 writes take about two seconds between them, not one;
//! - `Webhooks::replay_guard(state.replay_guard("medtimes"))` and `receive_async`: a webhook accepted by one
//!   replica is refused as a replay by the other.
//!
//! The process exits non-zero if any step fails.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use carewire::core::ratelimit::{MethodClass, RateLimiter};
use carewire::core::webhook::{WebhookError, sign_for_tests};
use carewire::medtimes::{BillingMode, Client, CreateConsult, Webhooks};
use carewire::testkit::medtimes::Sandbox;
use carewire_examples::{Mode, Story};
use carewire_redis::RedisState;

const DEFAULT_URL: &str = "redis://127.0.0.1:6379/";

#[tokio::main]
async fn main() -> ExitCode {
    let url = std::env::var("CAREWIRE_REDIS_URL").ok().filter(|u| !u.trim().is_empty());
    let url = url.as_deref().unwrap_or(DEFAULT_URL);
    // A prefix of this run's own, so that the example leaves nothing behind for long (keys expire).
    let replica = || {
        RedisState::builder(url)
            .prefix(format!("carewire-example-{}", std::process::id()))
            .replay_ttl(Duration::from_secs(60))
            .command_timeout(Duration::from_millis(500))
            .build()
    };
    let states = match (replica(), replica()) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            println!("CAREWIRE_REDIS_URL is not a Redis URL: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(why) = states.0.ping().await {
        println!("No Redis server answers ({why}), so there is nothing to share: this example needs one.");
        println!("Start one with `redis-server --port 6379` (Debian: `apt-get install redis-server`), or point");
        println!("CAREWIRE_REDIS_URL at yours (redis://host:port/db), then run it again.");
        return ExitCode::SUCCESS;
    }
    let mut story = Story::begin("Shared state: two replicas, one budget, one replay guard", Mode::Sandbox);
    let sandbox = Sandbox::start();
    run(&mut story, &sandbox, states).await;
    if story.end() == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

async fn run(story: &mut Story, sandbox: &Sandbox, (a, b): (RedisState, RedisState)) {
    // Two replicas: the same API key and Redis, each its own client, limiter and connection.
    let client = |state: RedisState| {
        Client::builder()
            .api_key(Sandbox::API_KEY)
            .base_url(sandbox.base_url())
            .rate_limiter(Arc::new(RateLimiter::new().budget(MethodClass::Write, 3, Duration::from_secs(1))))
            .shared_state(state)
            .build()
    };
    let Some(first) = story.step("build replica 1", client(a.clone()), |c| format!("base URL {}", c.base_url())) else {
        return;
    };
    let Some(second) = story.step("build replica 2", client(b.clone()), |_| "same key, same Redis".to_owned()) else {
        return;
    };

    // 1. Nine writes, alternating between the replicas, against one budget of 3 a second.
    let started = Instant::now();
    let mut created = 0;
    for i in 0..9 {
        let replica = if i % 2 == 0 { &first } else { &second };
        let consult = CreateConsult::new("usr_8921a").symptoms(["fever"]).billing_mode(BillingMode::Cash);
        if story
            .step(&format!("write {} (replica {})", i + 1, i % 2 + 1), replica.consults().create(consult).await, |c| {
                format!("{} after {:.2}s", c.id, started.elapsed().as_secs_f64())
            })
            .is_some()
        {
            created += 1;
        }
    }
    let took = started.elapsed();
    story.check(
        "the replicas kept to one budget together",
        created == 9 && took >= Duration::from_millis(1_800),
        format!(
            "9 writes in {:.2}s: 3 a second between both (alone, each would allow 3 a second of its own)",
            took.as_secs_f64()
        ),
    );

    // 2. A webhook delivered to replica 1, then replayed to replica 2.
    let receiver = |state: &RedisState| Webhooks::new("whsec_example").replay_guard(state.replay_guard("medtimes"));
    let (one, two) = (receiver(&a), receiver(&b));
    let body = br#"{"id":"whevt_example_1","type":"claim.paid","data":{"claim_id":"clm_1","amount":45000}}"#;
    let signature = sign_for_tests("whsec_example", body);
    let headers = [("medtimes-signature", signature.as_str())];
    story.step("replica 1 receives the webhook", one.receive_async(headers, body).await, |e| e.event_type.clone());
    let replay = two.receive_async(headers, body).await;
    story.check(
        "replica 2 refuses the replay",
        matches!(replay, Err(WebhookError::Replayed)),
        "the guard is in Redis, not in either process",
    );
}
