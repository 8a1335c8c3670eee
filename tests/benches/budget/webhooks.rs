//! Webhook verify + parse: the facade's `WebhookReceiver::receive` of a Medtimes delivery (HMAC-SHA256 hex
//! signature over the raw body, the event parsed into its typed data) against raw `hmac` + `sha2`
//! verification and `serde_json` parsing into a `serde_json::Value`, for bodies of 1 KiB and 64 KiB; and the
//! same receive with the default in-memory replay guard on (every delivery has its own id), which the
//! baseline does not have: that row is reported without a target.
//!
//! Bodies are `Bytes`, as a web server hands them over. The baseline borrows them; carewire is handed its own
//! reference (a clone of an already shared `Bytes`: one atomic increment, as close as a bench gets to a
//! handler moving its body in), which its event keeps as the raw body.

use std::time::Instant;

use bytes::Bytes;
use carewire::medtimes::Webhooks;
use carewire::webhooks::{Vendor, WebhookReceiver};
use carewire_core::webhook::sign_for_tests;
use hmac::{KeyInit, Mac};

use crate::report::{Row, Size, Target};

const SECRET: &str = "whsec_bench_secret";

/// `count` deliveries of about `size` bytes, each with its own event id, and their signatures.
fn deliveries(round: usize, count: usize, size: usize) -> Vec<(Bytes, String)> {
    (0..count)
        .map(|i| {
            let head = format!(
                r#"{{"id":"evt_{size}_{round}_{i}","type":"consult.completed","created":1713110400,"data":{{"consult_id":"cns_8832x","prescription_id":"rx_{i}","notes":""#
            );
            let tail = r#""}}"#;
            let filler = "Patient reports a dry cough for three days; no fever. ".repeat(size / 54 + 1);
            let mut body = head.into_bytes();
            body.extend_from_slice(&filler.as_bytes()[..size.saturating_sub(body.len() + tail.len())]);
            body.extend_from_slice(tail.as_bytes());
            let signature = sign_for_tests(SECRET, &body);
            let body = Bytes::from(body);
            // A `Bytes` from a `Vec` becomes shared on its first clone (one allocation): do that here.
            drop(body.clone());
            (body, signature)
        })
        .collect()
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// What a hand-written receiver does: HMAC over the body, compare with the hex signature, parse the JSON.
fn raw_receive(body: &[u8], signature: &str) -> serde_json::Value {
    let sig: Vec<u8> = signature
        .as_bytes()
        .chunks(2)
        .map(|pair| hex_value(pair[0]).unwrap() << 4 | hex_value(pair[1]).unwrap())
        .collect();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    mac.verify_slice(&sig).unwrap();
    serde_json::from_slice(body).unwrap()
}

fn time_raw(batch: &[(Bytes, String)]) -> f64 {
    let t = Instant::now();
    for (body, signature) in batch {
        std::hint::black_box(raw_receive(body, signature));
    }
    batch.len() as f64 / t.elapsed().as_secs_f64()
}

fn time_carewire(receiver: &WebhookReceiver, batch: &[(Bytes, String)]) -> f64 {
    let t = Instant::now();
    for (body, signature) in batch {
        let event =
            receiver.receive(Vendor::Medtimes, [("medtimes-signature", signature.as_str())], body.clone()).unwrap();
        std::hint::black_box(event);
    }
    batch.len() as f64 / t.elapsed().as_secs_f64()
}

/// The webhook rows: per body size, verify + parse (the receiver without a replay guard, as the baseline has
/// none) and the same with the default in-memory replay guard, both against the same baseline rounds.
pub(crate) fn rows(size: Size) -> Vec<Row> {
    let rounds = size.pick(15, 3);
    let plain = WebhookReceiver::new().medtimes(Webhooks::new(SECRET).without_replay_guard());
    let guarded = WebhookReceiver::new().medtimes(Webhooks::new(SECRET));
    let mut rows = Vec::new();
    for (label, bytes, count) in [("1 KiB", 1024, size.pick(4_000, 50)), ("64 KiB", 64 * 1024, size.pick(300, 10))] {
        let mut row = Row::new(format!("webhook verify + parse, {label}"), "recv/s", Target::AtLeast(0.95));
        // The issue's row is verify + parse, like the baseline; the guard's cost is shown, with no target.
        let mut with_guard = Row::new(format!("  + default replay guard, {label}"), "recv/s", Target::Reported);
        for round in 0..rounds {
            let batch = deliveries(round, count, bytes);
            let (b, c, g) = if round % 2 == 0 {
                let b = time_raw(&batch);
                (b, time_carewire(&plain, &batch), time_carewire(&guarded, &batch))
            } else {
                let g = time_carewire(&guarded, &batch);
                let c = time_carewire(&plain, &batch);
                (time_raw(&batch), c, g)
            };
            row.push(b, c);
            with_guard.push(b, g);
        }
        rows.push(row);
        rows.push(with_guard);
    }
    rows
}

/// One side only, for a profiler: `webhook-raw-1k`, `webhook-core-64k`, ...
pub(crate) fn profile(which: &str, size: Size) {
    let bytes = if which.ends_with("64k") { 64 * 1024 } else { 1024 };
    let batch = deliveries(0, size.pick(4_000, 50), bytes);
    let rate = if which.contains("raw") {
        time_raw(&batch)
    } else if which.contains("plain") {
        time_carewire(&WebhookReceiver::new().medtimes(Webhooks::new(SECRET).without_replay_guard()), &batch)
    } else {
        time_carewire(&WebhookReceiver::new().medtimes(Webhooks::new(SECRET)), &batch)
    };
    println!("{which}: {} deliveries, {rate:.0} recv/s", batch.len());
}
