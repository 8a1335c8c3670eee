//! The performance budget of carewire (docs/performance.md): every row of the table, each against a baseline
//! measured in the same run, several rounds, median and spread. Nothing here asserts a time.
//!
//! ```sh
//! cargo bench -p carewire-tests                                # this and the memory bench: every row
//! cargo bench -p carewire-tests --bench budget                 # the rows of this binary
//! cargo bench -p carewire-tests --bench budget -- --quick      # a short run (CI runs it so it never rots)
//! cargo bench -p carewire-tests --bench budget -- --only webhook
//! # the webhook rows of a `rustls-ring` build (HMAC from RustCrypto instead of aws-lc-rs)
//! cargo bench -p carewire-tests --bench budget --no-default-features --features rustls-ring -- --only webhook
//! ```
//!
//! Rows: per-request latency and throughput at 64 in flight (GET and POST, `Transport::send` against bare
//! reqwest + serde_json), webhook verify + parse (1 KiB and 64 KiB, the facade's receiver against raw `hmac` and
//! `serde_json`), and lenient decoding of 5,000 MDLIVE providers (the SDK's models against strict serde
//! models of the same shape). Streaming memory needs a counting allocator, which would tax every
//! allocation measured here, so it has its own binary (`benches/memory.rs`).

mod decoding;
mod report;
mod requests;
mod webhooks;

use report::{Row, Size, print_table};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let size = if args.iter().any(|a| a == "--quick") { Size::Quick } else { Size::Full };
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).cloned();
    let wants = |name: &str| only.as_deref().is_none_or(|o| name.contains(o));

    if let Ok(profile) = std::env::var("BUDGET_PROFILE") {
        // Profiling aid (callgrind): one side of one row, e.g. BUDGET_PROFILE=core-get, webhook-core-1k (with the
        // replay guard) or webhook-plain-1k (without).
        if profile.starts_with("webhook") {
            webhooks::profile(&profile, size);
        } else {
            requests::profile(&profile, size);
        }
        return;
    }
    let mut rows: Vec<Row> = Vec::new();
    if wants("latency") || wants("throughput") || wants("request") {
        rows.extend(requests::rows(size));
    }
    if wants("webhook") {
        rows.extend(webhooks::rows(size));
    }
    if wants("decode") {
        rows.extend(decoding::rows(size));
    }
    let crypto =
        if cfg!(feature = "rustls") { "rustls: HMAC from aws-lc-rs" } else { "rustls-ring: HMAC from RustCrypto" };
    print_table(&format!("carewire performance budget ({size}; {crypto})"), &rows);
}
