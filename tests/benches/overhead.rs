//! Overhead of carewire-core over a bare reqwest + serde_json call, measured in one run against the same
//! local server (carewire-testkit's `TestServer` on 127.0.0.1).
//!
//! Run: `cargo bench -p carewire-tests --bench overhead` (optionally `-- <sequential requests> <concurrent requests>`).
//!
//! It prints, for a GET and a POST: the median latency of sequential requests (the two clients
//! interleaved, so drift hits both alike) and the throughput with 64 requests in flight, and the ratio
//! carewire / bare for each. Figures and the command are recorded in docs/performance.md.

use std::time::{Duration, Instant};

use carewire_core::{ClientConfig, Request, Transport};
use carewire_testkit::{RecordedRequest, Reply, TestServer};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;

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
const ROUNDS: usize = 15;

fn median_f(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

struct Clients {
    bare: reqwest::Client,
    core: Transport,
    base: String,
}

impl Clients {
    async fn bare_get(&self) -> Consult {
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

    async fn core_get(&self) -> Consult {
        self.core.send(Request::get("/v1/consults/{id}").path_param("id", "cns_1")).await.unwrap()
    }

    async fn bare_post(&self) -> Consult {
        let body = serde_json::to_vec(&json!({"patient_id": "usr_8921a", "symptoms": ["cough", "fever"]})).unwrap();
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

    async fn core_post(&self) -> Consult {
        let req =
            Request::post("/v1/consults").json(&json!({"patient_id": "usr_8921a", "symptoms": ["cough", "fever"]}));
        self.core.send(req).await.unwrap()
    }
}

async fn sequential(c: &Clients, n: usize, post: bool) -> (Duration, Duration) {
    let (mut bare, mut core) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        // Alternate which goes first so neither always gets the warmer connection.
        for which in [i % 2, 1 - i % 2] {
            let t = Instant::now();
            match (which, post) {
                (0, false) => drop(c.bare_get().await),
                (0, true) => drop(c.bare_post().await),
                (_, false) => drop(c.core_get().await),
                (_, true) => drop(c.core_post().await),
            }
            if which == 0 { bare.push(t.elapsed()) } else { core.push(t.elapsed()) }
        }
    }
    (median(bare), median(core))
}

async fn throughput(c: &Clients, n: usize, core: bool, post: bool) -> f64 {
    let t = Instant::now();
    futures_util::stream::iter(0..n)
        .map(|_| async move {
            match (core, post) {
                (false, false) => drop(c.bare_get().await),
                (false, true) => drop(c.bare_post().await),
                (true, false) => drop(c.core_get().await),
                (true, true) => drop(c.core_post().await),
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect::<Vec<()>>()
        .await;
    n as f64 / t.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let seq_n = args.first().copied().unwrap_or(3000);
    let conc_n = args.get(1).copied().unwrap_or(60_000).max(ROUNDS);

    let server = TestServer::start(|_req: &RecordedRequest| {
        Reply::json(
            200,
            &json!({"id": "cns_8832x", "object": "consult", "status": "pending_assignment",
                    "join_url": "https://meet.medtimes.health/room/cns_8832x", "expires_at": 1_713_110_400}),
        )
    });
    // One client thread (a current-thread runtime) and one server thread: two threads on two cores, so the
    // scheduler adds as little noise as it can.
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
            c.bare_get().await;
            c.core_get().await;
        }
        if let Ok(only) = std::env::var("OVERHEAD_ONLY") {
            // Profiling aid: one client and method only, e.g. OVERHEAD_ONLY=core-get.
            let (core, post) = (only.starts_with("core"), only.ends_with("post"));
            let rps = throughput(&c, conc_n, core, post).await;
            println!("{only}: {rps:.0} req/s");
            return;
        }
        println!("carewire-core overhead benchmark: {seq_n} sequential requests per client, {conc_n} at {IN_FLIGHT} in flight");
        println!("{:<6} {:>14} {:>14} {:>8}   {:>14} {:>14} {:>8}", "", "bare median", "core median", "ratio", "bare req/s", "core req/s", "ratio");
        for (name, post) in [("GET", false), ("POST", true)] {
            let (mb, mc) = sequential(&c, seq_n, post).await;
            // Throughput in paired rounds: both clients back to back (alternating which goes first), one
            // ratio per round, and the median of those ratios, which cancels most machine-wide drift.
            let (mut tb, mut tc, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..ROUNDS {
                let (b, c2) = if round % 2 == 0 {
                    let b = throughput(&c, conc_n / ROUNDS, false, post).await;
                    (b, throughput(&c, conc_n / ROUNDS, true, post).await)
                } else {
                    let c2 = throughput(&c, conc_n / ROUNDS, true, post).await;
                    (throughput(&c, conc_n / ROUNDS, false, post).await, c2)
                };
                ratios.push(b / c2);
                tb.push(b);
                tc.push(c2);
            }
            ratios.sort_by(f64::total_cmp);
            let spread = (ratios[ROUNDS / 4], ratios[ROUNDS * 3 / 4]);
            let ratio = ratios[ROUNDS / 2];
            let (tb, tc) = (median_f(tb), median_f(tc));
            println!(
                "{name:<6} {:>12.1}µs {:>12.1}µs {:>8.3}   {:>14.0} {:>14.0} {:>8.3}  (middle half of rounds {:.3}..{:.3})",
                mb.as_secs_f64() * 1e6,
                mc.as_secs_f64() * 1e6,
                mc.as_secs_f64() / mb.as_secs_f64(),
                tb,
                tc,
                ratio,
                spread.0,
                spread.1,
            );
        }
        println!("ratios: carewire / bare for latency (ratio of medians); bare / carewire for throughput");
        println!("(median of paired rounds); 1.000 means no overhead");
    });
}
