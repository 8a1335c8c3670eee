//! Per-request cost: carewire-core's `Transport::send` against a bare reqwest + serde_json call, the same
//! GET and JSON POST against one carewire-testkit `TestServer` on 127.0.0.1 (its own thread), with the
//! clients on a current-thread runtime (one client thread, one server thread: two cores).
//!
//! - latency: per round, the two clients alternate request by request (each goes first half the time) and
//!   the round's figure is each client's median;
//! - throughput: per round, `n` requests per client with 64 in flight (`buffer_unordered`), in halves
//!   ordered A B B A (mirrored every other round), after both pools have opened their connections.

use std::time::{Duration, Instant};

use carewire_core::{ClientConfig, Request, Transport};
use carewire_testkit::{RecordedRequest, Reply, TestServer};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;

use crate::report::{Row, Size, Target, median};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Consult {
    id: String,
    object: String,
    status: String,
    join_url: String,
    expires_at: i64,
}

const IN_FLIGHT: usize = 64;

struct Clients {
    bare: reqwest::Client,
    core: Transport,
    base: String,
}

#[derive(Clone, Copy)]
enum Who {
    Bare,
    Core,
}

impl Clients {
    async fn call(&self, who: Who, post: bool) -> Consult {
        match (who, post) {
            (Who::Bare, false) => {
                let resp = self
                    .bare
                    .get(format!("{}/v1/consults/cns_1", self.base))
                    .header("authorization", "Bearer sk_test_bench")
                    .header("accept", "application/json")
                    .send()
                    .await
                    .unwrap();
                assert!(resp.status().is_success());
                serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap()
            }
            (Who::Bare, true) => {
                let body =
                    serde_json::to_vec(&json!({"patient_id": "usr_8921a", "symptoms": ["cough", "fever"]})).unwrap();
                let resp = self
                    .bare
                    .post(format!("{}/v1/consults", self.base))
                    .header("authorization", "Bearer sk_test_bench")
                    .header("accept", "application/json")
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert!(resp.status().is_success());
                serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap()
            }
            (Who::Core, false) => {
                self.core.send(Request::get("/v1/consults/{id}").path_param("id", "cns_1")).await.unwrap()
            }
            (Who::Core, true) => {
                let req = Request::post("/v1/consults")
                    .json(&json!({"patient_id": "usr_8921a", "symptoms": ["cough", "fever"]}));
                self.core.send(req).await.unwrap()
            }
        }
    }
}

fn with_clients<T>(f: impl AsyncFnOnce(&Clients) -> T) -> T {
    let server = TestServer::start(|_req: &RecordedRequest| {
        Reply::json(
            200,
            &json!({"id": "cns_8832x", "object": "consult", "status": "pending_assignment",
                    "join_url": "https://meet.medtimes.health/room/cns_8832x", "expires_at": 1_713_110_400}),
        )
    });
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let config = ClientConfig::new(&server.uri()).unwrap();
        let core = Transport::builder("bench", config)
            .credentials(carewire_core::auth::BearerToken::new("sk_test_bench").unwrap())
            .build()
            .unwrap();
        let bare = reqwest::Client::builder().connect_timeout(Duration::from_secs(10)).build().unwrap();
        let c = Clients { bare, core, base: server.uri() };
        // Warm up both pools.
        for _ in 0..200 {
            c.call(Who::Bare, false).await;
            c.call(Who::Core, false).await;
        }
        f(&c).await
    })
}

async fn latency_round(c: &Clients, n: usize, post: bool) -> (f64, f64) {
    let (mut bare, mut core) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        for who in if i % 2 == 0 { [Who::Bare, Who::Core] } else { [Who::Core, Who::Bare] } {
            let t = Instant::now();
            drop(c.call(who, post).await);
            let micros = t.elapsed().as_secs_f64() * 1e6;
            match who {
                Who::Bare => bare.push(micros),
                Who::Core => core.push(micros),
            }
        }
    }
    (median(&bare), median(&core))
}

async fn throughput(c: &Clients, n: usize, who: Who, post: bool) -> Duration {
    let t = Instant::now();
    futures_util::stream::iter(0..n)
        .map(|_| async move { drop(c.call(who, post).await) })
        .buffer_unordered(IN_FLIGHT)
        .collect::<Vec<()>>()
        .await;
    t.elapsed()
}

/// One throughput round: `n` requests per client in two halves, ordered A B B A (the mirror image on odd
/// rounds), so a drift of the machine's speed during the round weighs on both clients alike.
async fn throughput_round(c: &Clients, n: usize, round: usize, post: bool) -> (f64, f64) {
    let order = if round.is_multiple_of(2) { [Who::Bare, Who::Core] } else { [Who::Core, Who::Bare] };
    let (mut bare, mut core) = (Duration::ZERO, Duration::ZERO);
    for who in [order[0], order[1], order[1], order[0]] {
        let took = throughput(c, n / 2, who, post).await;
        match who {
            Who::Bare => bare += took,
            Who::Core => core += took,
        }
    }
    let rate = |d: Duration| (n / 2 * 2) as f64 / d.as_secs_f64();
    (rate(bare), rate(core))
}

/// The latency and throughput rows, GET and POST.
pub(crate) fn rows(size: Size) -> Vec<Row> {
    let rounds = size.pick(15, 3);
    let throughput_rounds = size.pick(31, 3);
    let seq = size.pick(400, 20);
    let conc = size.pick(4_000, 200);
    with_clients(async |c| {
        // Both pools open their 64 connections before anything is measured.
        throughput(c, IN_FLIGHT * 4, Who::Bare, false).await;
        throughput(c, IN_FLIGHT * 4, Who::Core, false).await;
        let mut rows = Vec::new();
        for (method, post) in [("GET", false), ("POST", true)] {
            let mut latency = Row::new(format!("latency, {method} (median)"), "µs", Target::AtMost(1.03));
            for _ in 0..rounds {
                let (b, k) = latency_round(c, seq, post).await;
                latency.push(b, k);
            }
            let mut rate =
                Row::new(format!("throughput, {method}, {IN_FLIGHT} in flight"), "req/s", Target::AtLeast(0.97));
            for round in 0..throughput_rounds {
                let (b, k) = throughput_round(c, conc, round, post).await;
                rate.push(b, k);
            }
            rows.push(latency);
            rows.push(rate);
        }
        rows
    })
}

/// One client and method at 64 in flight, for a profiler: `core-get`, `bare-post`, ...
pub(crate) fn profile(which: &str, size: Size) {
    let who = if which.starts_with("core") { Who::Core } else { Who::Bare };
    let post = which.ends_with("post");
    let n = size.pick(4_000, 200);
    let took = with_clients(async |c| throughput(c, n, who, post).await);
    println!("{which}: {n} requests, {:.0} req/s", n as f64 / took.as_secs_f64());
}
