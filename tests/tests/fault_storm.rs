//! The fault storm: the reliability claims of carewire under a misbehaving network, checked against the
//! in-process sandboxes of Medtimes, Healthstack and Docplanner.
//!
//! `each_fault_maps_to_its_error` pins down, per vendor, what every injected fault becomes: which
//! `carewire::Error` variant, how many attempts reads and writes make, and that a refused write creates
//! nothing. `storm` then sends thousands of mixed reads and writes (2,000 by default,
//! `CAREWIRE_STORM_CALLS` to change it) while about 30 % of the requests meet one of those faults, and
//! checks: no task panicked, every failure is one of the mapped variants, and no write took effect twice
//! (every claim, consult, record, funding, patient and booking created by one call exists at most once in
//! the sandbox, exactly once when the call succeeded).

#[path = "support/storm.rs"]
mod storm;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use carewire::Error;
use carewire::testkit::{Fault, Reply, TestServer};
use storm::{Done, Op, Vendor, World, plan};

/// Share of requests a storm fault answers.
const FAULT_RATE: f64 = 0.30;

/// Calls in the storm unless `CAREWIRE_STORM_CALLS` says otherwise.
const DEFAULT_CALLS: usize = 2_000;

/// Calls running at once during the storm.
const CONCURRENCY: usize = 32;

/// The misbehaviours injected, and what each one must become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `500` with a JSON body.
    Status500,
    /// `502` with an nginx HTML page.
    Html502,
    /// `503` with `Retry-After: 1`.
    Unavailable,
    /// `429` with `Retry-After: 1`.
    TooMany,
    /// The connection is closed after the request was read.
    Drop,
    /// `200` with JSON cut short.
    Malformed,
    /// `200` with an HTML login page (a captive portal).
    Html200,
    /// The answer comes after the client's per-attempt timeout (the handler still runs).
    Delay,
}

impl Kind {
    /// Delay last: its late side effects must not land in another kind's window.
    const ALL: [Self; 8] = [
        Self::Status500,
        Self::Html502,
        Self::Unavailable,
        Self::TooMany,
        Self::Drop,
        Self::Malformed,
        Self::Html200,
        Self::Delay,
    ];

    fn fault(self, delay: Duration) -> Fault {
        match self {
            Self::Status500 => Fault::status(500),
            Self::Html502 => Fault::html(502),
            Self::Unavailable => Fault::retry_after(503, 1),
            Self::TooMany => Fault::retry_after(429, 1),
            Self::Drop => Fault::drop_connection(),
            Self::Malformed => Fault::malformed_body(),
            Self::Html200 => Fault::reply(Reply::text(
                200,
                "text/html; charset=utf-8",
                "<html><body><form>Please sign in to the hotel Wi-Fi</form></body></html>",
            )),
            Self::Delay => Fault::delay(delay),
        }
    }

    /// Whether a call that may be retried is retried after this fault.
    fn retried(self) -> bool {
        !matches!(self, Self::Malformed | Self::Html200)
    }

    /// Whether a POST without an idempotency key is retried after this fault (only when refused unprocessed).
    fn retried_unsafe(self) -> bool {
        self == Self::TooMany
    }

    /// Checks that `err`, the final error of call `op`, is exactly what this fault maps to, and names the call.
    fn check(self, err: &Error, op: Op) -> Result<(), String> {
        use carewire::core::error::TransportErrorKind as T;
        let vendor = op.vendor();
        let ok = match (self, err) {
            (Self::Status500, Error::Api(a)) => a.status() == 500,
            (Self::Html502, Error::Api(a)) => a.status() == 502 && a.code().is_none(),
            (Self::Unavailable, Error::Api(a)) => a.status() == 503 && a.retry_after() == Some(Duration::from_secs(1)),
            (Self::TooMany, Error::RateLimited(a)) => {
                a.status() == 429 && a.retry_after() == Some(Duration::from_secs(1))
            }
            (Self::Drop, Error::Transport(t)) => matches!(t.kind(), T::Request | T::Body),
            (Self::Malformed | Self::Html200, Error::Decode(d)) => d.status() == 200,
            (Self::Delay, Error::Timeout(t)) => matches!(t.kind(), carewire::TimeoutKind::Attempt(_)),
            _ => false,
        };
        let context_ok = match err.context() {
            Some(c) => c.vendor() == vendor.name(),
            None => false,
        };
        if ok && context_ok { Ok(()) } else { Err(format!("{self:?} on {op:?} gave {err} / {err:?}")) }
    }
}

/// Whether `err` is one of the errors some fault maps to (the storm cannot tell which fault hit a call).
fn expected_storm_error(err: &Error, op: Op) -> bool {
    Kind::ALL.iter().any(|k| k.check(err, op).is_ok())
}

/// Queues the storm's faults on `server` for requests under `prefix`: one fault per kind, chained with
/// conditional probabilities so that each kind answers `FAULT_RATE / 8` of the requests, each seeded.
fn inject_storm(server: &TestServer, prefix: &str, seed: u64, delay: Duration) {
    let share = FAULT_RATE / Kind::ALL.len() as f64;
    for (i, kind) in Kind::ALL.iter().enumerate() {
        let p = share / (1.0 - share * i as f64);
        server.inject(kind.fault(delay).on_path_prefix(prefix).fraction(p).seed(seed.wrapping_add(i as u64)));
    }
}

/// Requests `server` received under `prefix` (the Docplanner token endpoint is outside it).
fn attempts(server: &TestServer, prefix: &str) -> usize {
    server.requests().iter().filter(|r| r.path.starts_with(prefix)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_maps_to_its_error() {
    // Generous timeouts: an exact mapping must not flake on a loaded machine.
    let world = Arc::new(World::start(Duration::from_secs(1), 1, 8).await);
    let delay = Duration::from_secs(3);
    let tasks = [Vendor::Medtimes, Vendor::Healthstack, Vendor::Docplanner].map(|vendor| {
        let world = Arc::clone(&world);
        tokio::spawn(async move {
            let mut failures = Vec::new();
            for (k, kind) in Kind::ALL.into_iter().enumerate() {
                failures.extend(probe(&world, vendor, kind, k, delay).await);
            }
            failures
        })
    });
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.expect("a probe panicked"));
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

/// Sends each probe call of `vendor` under `kind` (always on) and returns what did not match.
async fn probe(world: &World, vendor: Vendor, kind: Kind, k: usize, delay: Duration) -> Vec<String> {
    let (server, prefix) = world.server(vendor);
    let retries = 1;
    let mut failures = Vec::new();
    for &op in vendor.probes() {
        let before = world.side_effects(vendor);
        server.reset_log();
        server.inject(kind.fault(delay).always().on_path_prefix(prefix));
        let result = world.run(op, 900_000 + k * 10 + op as usize, k).await;
        server.clear_faults();
        let sent = attempts(server, prefix);
        let expected_attempts = match (op.is_unsafe_write(), kind.retried(), kind.retried_unsafe()) {
            (true, _, true) | (false, true, _) => 1 + retries,
            _ => 1,
        };
        match result {
            Ok(_) => failures.push(format!("{kind:?} {op:?}: succeeded")),
            Err(err) => failures.extend(kind.check(&err, op).err()),
        }
        if sent != expected_attempts {
            failures.push(format!("{kind:?} {op:?}: {sent} attempts, expected {expected_attempts}"));
        }
        // A fault that answers instead of the handler leaves the sandbox untouched.
        if kind != Kind::Delay && world.side_effects(vendor) != before {
            failures.push(format!("{kind:?} {op:?}: the sandbox changed"));
        }
    }
    failures
}

/// The storm's size: `CAREWIRE_STORM_CALLS`, or [`DEFAULT_CALLS`].
fn storm_calls() -> usize {
    std::env::var("CAREWIRE_STORM_CALLS").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(DEFAULT_CALLS)
}

/// One call's outcome.
struct Outcome {
    op: Op,
    index: usize,
    result: carewire::Result<Option<String>>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storm() {
    let calls = storm_calls();
    let plan = plan(calls, 0x5eed_c0de);
    let slots = plan.iter().map(|s| s.slot + 1).max().unwrap_or(0);
    let world = Arc::new(World::start(Duration::from_millis(500), 3, slots.max(16)).await);
    let delay = Duration::from_millis(1_500);
    for (n, vendor) in [Vendor::Medtimes, Vendor::Healthstack, Vendor::Docplanner].into_iter().enumerate() {
        let (server, prefix) = world.server(vendor);
        server.reset_log();
        inject_storm(server, prefix, 0x0057_0a11 + 100 * n as u64, delay);
    }

    let permits = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let mut tasks = Vec::with_capacity(plan.len());
    for step in plan {
        let (world, permits) = (Arc::clone(&world), Arc::clone(&permits));
        tasks.push(tokio::spawn(async move {
            let _permit = permits.acquire().await;
            let result = world.run(step.op, step.index, step.slot).await;
            Outcome { op: step.op, index: step.index, result }
        }));
    }
    let mut outcomes = Vec::with_capacity(tasks.len());
    let mut panics = Vec::new();
    for task in tasks {
        match task.await {
            Ok(outcome) => outcomes.push(outcome),
            Err(e) if e.is_panic() => panics.push(format!("{e:?}")),
            Err(e) => panic!("a storm task was cancelled: {e}"),
        }
    }
    assert!(panics.is_empty(), "{} calls panicked: {panics:?}", panics.len());

    // Let answers delayed past the client's timeout reach their handlers, then look at the sandboxes calmly.
    tokio::time::sleep(delay + Duration::from_millis(300)).await;
    let received: usize = [Vendor::Medtimes, Vendor::Healthstack, Vendor::Docplanner]
        .into_iter()
        .map(|v| {
            let (server, prefix) = world.server(v);
            server.clear_faults();
            attempts(server, prefix)
        })
        .sum();

    let mut by_variant: HashMap<&'static str, usize> = HashMap::new();
    let mut unexpected = Vec::new();
    for o in &outcomes {
        let name = match &o.result {
            Ok(_) => "ok",
            Err(e) if !expected_storm_error(e, o.op) => {
                unexpected.push(format!("{:?} #{}: {e} / {e:?}", o.op, o.index));
                "unexpected"
            }
            Err(Error::Api(_)) => "Api",
            Err(Error::RateLimited(_)) => "RateLimited",
            Err(Error::Timeout(_)) => "Timeout",
            Err(Error::Transport(_)) => "Transport",
            Err(Error::Decode(_)) => "Decode",
            Err(_) => "other",
        };
        *by_variant.entry(name).or_default() += 1;
    }
    eprintln!(
        "fault storm: {} calls, {received} requests received ({} retries), outcomes {by_variant:?}",
        outcomes.len(),
        received.saturating_sub(outcomes.len())
    );
    assert!(unexpected.is_empty(), "{} unexpected errors:\n{}", unexpected.len(), unexpected.join("\n"));
    assert!(received > outcomes.len(), "faults were retried");
    // Writes without a key fail at their first fault, so a storm this size always ends some calls in each of
    // these (a final 429 needs every attempt refused: rare here, and pinned down by the mapping test).
    if calls >= 1_000 {
        for variant in ["ok", "Api", "Timeout", "Transport", "Decode"] {
            assert!(by_variant.get(variant).copied().unwrap_or(0) > 0, "no {variant} outcome: {by_variant:?}");
        }
    }

    let results: Vec<Done> = outcomes
        .into_iter()
        .map(|o| Done { op: o.op, index: o.index, ok: o.result.is_ok(), id: o.result.ok().flatten() })
        .collect();
    let duplicates = world.audit(&results).await;
    assert!(duplicates.is_empty(), "{} side-effect violations:\n{}", duplicates.len(), duplicates.join("\n"));
}
