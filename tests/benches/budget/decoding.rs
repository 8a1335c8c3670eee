//! Lenient decoding of a large list: 5,000 MDLIVE providers (the `providers_search` fixture's providers,
//! repeated with their own ids) decoded as the SDK decodes a response (`carewire_core::decode_json` into
//! `carewire::mdlive::ProviderSearchResult`: numbers or strings for ids, `null` or one value for lists,
//! lenient dates, unknown fields kept) against strict `serde_json::from_slice` into plain serde structs of the
//! same shape (what a hand-written client would declare).

use std::time::Instant;

use carewire::mdlive::ProviderSearchResult;
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use serde_json::Value;

use crate::report::{Row, Size, Target};

const FIXTURE: &str = include_str!("../../../crates/testkit/src/mdlive/fixtures/providers_search.response.json");

/// Strict counterparts of the SDK's models: the same fields, plain types, unknown fields ignored.
#[derive(Deserialize)]
#[allow(dead_code)]
struct StrictResult {
    providers: Vec<StrictProvider>,
    refine_search_options: Option<StrictRefine>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct StrictProvider {
    id: u64,
    fullname: Option<String>,
    gender: Option<String>,
    photo_url: Option<String>,
    photo_url_absolute: Option<String>,
    specialty: Option<String>,
    group_name: Option<String>,
    is_visit_now_available: Option<bool>,
    status: Option<String>,
    next_appt_available_date: Option<DateTime<FixedOffset>>,
    availability_type: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct StrictRefine {
    default_provider_types: Vec<StrictProviderType>,
    availability_type: Vec<Value>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct StrictProviderType {
    id: i64,
    name: String,
}

/// The fixture with `count` providers.
fn body(count: usize) -> Vec<u8> {
    let mut doc: Value = serde_json::from_str(FIXTURE).expect("the fixture is JSON");
    let providers = doc["providers"].as_array().expect("the fixture lists providers").clone();
    let many: Vec<Value> = (0..count)
        .map(|i| {
            let mut p = providers[i % providers.len()].clone();
            p["id"] = Value::from(542_000_000 + i as u64);
            p
        })
        .collect();
    doc["providers"] = Value::Array(many);
    serde_json::to_vec(&doc).unwrap()
}

/// Milliseconds per decode.
fn millis(iterations: usize, f: impl Fn()) -> f64 {
    let t = Instant::now();
    for _ in 0..iterations {
        f();
    }
    t.elapsed().as_secs_f64() * 1e3 / iterations as f64
}

/// The decoding row.
pub(crate) fn rows(size: Size) -> Vec<Row> {
    let rounds = size.pick(15, 3);
    let iterations = size.pick(20, 1);
    let count = 5_000;
    let body = body(count);
    let check: ProviderSearchResult = carewire_core::decode_json(200, &body).expect("the SDK decodes the fixture");
    assert_eq!(check.providers.len(), count);
    let strict: StrictResult = serde_json::from_slice(&body).expect("strict serde decodes the fixture");
    assert_eq!(strict.providers.len(), count);

    let lenient = || {
        let r: ProviderSearchResult = carewire_core::decode_json(200, &body).unwrap();
        std::hint::black_box(r);
    };
    let strict = || {
        let r: StrictResult = serde_json::from_slice(&body).unwrap();
        std::hint::black_box(r);
    };
    let mut row =
        Row::new(format!("decode {count} MDLIVE providers ({} KiB)", body.len() / 1024), "ms", Target::AtMost(1.5));
    for round in 0..rounds {
        let (b, c) = if round % 2 == 0 {
            let b = millis(iterations, strict);
            (b, millis(iterations, lenient))
        } else {
            let c = millis(iterations, lenient);
            (millis(iterations, strict), c)
        };
        row.push(b, c);
    }
    vec![row]
}
