//! Seeded randomized input (bounded in cases, not time) for everything that reads what a server or a
//! webhook sender controls: rate-limit headers (`parse_rate_limit`, `parse_reset`, `parse_retry_after`,
//! `server_seconds`) and the date parsers, response bodies (`decode_json` and the vendors' own decoders over
//! random bytes and truncated or mutated fixtures from `shared/fixtures`), webhook verification
//! (`Verifier`, Medtimes `Webhooks`, Docplanner `PushAuth`) and event parsing (Medtimes
//! `WebhookEvent::parse`, Docplanner `parse_push`, the facade's `WebhookReceiver`).
//!
//! Each case runs under `catch_unwind`; a panic is reported with its seed, case number and input. Every case
//! derives its own generator from the seed and its number, so one case reproduces alone. Set
//! `CAREWIRE_RANDOM_SEED` to explore other seeds and `CAREWIRE_RANDOM_SCALE` to multiply the case counts.

#[path = "support/random.rs"]
mod random;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use carewire::core::ratelimit::{
    MAX_SERVER_DURATION, parse_rate_limit, parse_reset, parse_retry_after, server_seconds,
};
use carewire::core::webhook::{
    MemoryReplayGuard, SignatureEncoding, Verifier, WebhookError, sign_for_tests, sign_for_tests_base64,
};
use carewire::core::{Error, decode_json};
use carewire::docplanner::webhooks::{PushAuth, parse_push};
use carewire::medtimes::WebhookEvent;
use carewire::webhooks::{Vendor, WebhookReceiver};
use fastrand::Rng;
use random::{fixtures, header_text, json_text, mutate, random_bytes, random_json, random_now, unicode};
use serde_json::Value;

const SEED: u64 = 0x00ca_2e31_2e5e_ed01;

fn seed() -> u64 {
    std::env::var("CAREWIRE_RANDOM_SEED").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(SEED)
}

fn cases(base: usize) -> usize {
    let scale = std::env::var("CAREWIRE_RANDOM_SCALE").ok().and_then(|s| s.trim().parse::<usize>().ok());
    base * scale.unwrap_or(1).max(1)
}

/// Runs `case` `n` times, each with its own generator; returns a report of every panic (seed, case, input).
/// `case` describes its input into the `String` before doing anything that could panic.
fn run(component: &str, n: usize, case: impl Fn(&mut Rng, &mut String)) {
    let seed = seed();
    let mut panics = Vec::new();
    for i in 0..n {
        let mut rng = Rng::with_seed(seed ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ hash(component));
        let mut input = String::new();
        if catch_unwind(AssertUnwindSafe(|| case(&mut rng, &mut input))).is_err() {
            panics.push(format!("{component}: seed {seed} case {i}: input {input}"));
        }
    }
    assert!(panics.is_empty(), "{} panics:\n{}", panics.len(), panics.join("\n"));
}

fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[test]
fn rate_limit_headers_never_panic_and_stay_clamped() {
    run("parse_retry_after / parse_reset", cases(20_000), |rng, input| {
        let value = header_text(rng);
        let now = random_now(rng);
        *input = format!("{value:?} at {now:?}");
        for d in [parse_retry_after(&value, now), parse_reset(&value, now)].into_iter().flatten() {
            assert!(d <= MAX_SERVER_DURATION, "{d:?} beyond the clamp");
        }
    });
    run("parse_rate_limit", cases(10_000), |rng, input| {
        let names =
            ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset", "retry-after"];
        let mut headers: Vec<(&str, String)> = Vec::new();
        for name in names {
            if rng.bool() {
                headers.push((name, header_text(rng)));
            }
        }
        let now = random_now(rng);
        *input = format!("{headers:?} at {now:?}");
        let lookup = |name: &str| headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        if let Some(rl) = parse_rate_limit(lookup, now) {
            for d in [rl.reset_after, rl.retry_after].into_iter().flatten() {
                assert!(d <= MAX_SERVER_DURATION, "{d:?} beyond the clamp");
            }
            let _ = rl.is_exhausted();
        }
    });
    run("whole seconds", cases(5_000), |rng, input| {
        let n = if rng.bool() { rng.u64(..) } else { rng.u64(..100_000) };
        let (pad_l, pad_r) = (" ".repeat(rng.usize(..3)), "\t".repeat(rng.usize(..2)));
        let now = random_now(rng);
        *input = format!("{n} at {now:?}");
        let want = Duration::from_secs(n).min(MAX_SERVER_DURATION);
        assert_eq!(parse_retry_after(&format!("{pad_l}{n}{pad_r}"), now), Some(want), "Retry-After {n}");
        if n < 1_000_000_000 {
            assert_eq!(parse_reset(&n.to_string(), now), Some(want), "reset {n}");
        }
    });
    run("server_seconds / date parsers", cases(10_000), |rng, input| {
        let f = match rng.u8(..6) {
            0 => f64::from_bits(rng.u64(..)),
            1 => [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, f64::MAX, f64::MIN_POSITIVE][rng.usize(..6)],
            _ => (rng.f64() - 0.3) * 10f64.powi(rng.i32(-5..40)),
        };
        let text = header_text(rng);
        *input = format!("{f:e} / {text:?}");
        match server_seconds(f) {
            Some(d) => assert!(f >= 0.0 && d <= MAX_SERVER_DURATION, "{f}: {d:?}"),
            None => assert!(!f.is_finite() || f < 0.0, "{f} refused"),
        }
        let _ = carewire::core::de::parse_datetime(&text);
        let _ = carewire::core::de::parse_date(&text);
        let _ = carewire::healthstack::parse_record_time(&text);
    });
}

/// Decodes `body` into every response model of every vendor and into JSON values.
fn decode_everything(body: &[u8]) {
    use carewire::docplanner as dp;
    use carewire::healthstack as hs;
    use carewire::medtimes as mt;
    fn d<T: serde::de::DeserializeOwned>(body: &[u8]) {
        let status = 200;
        if let Err(e) = decode_json::<T>(status, body) {
            // The error itself must be usable: it prints and names a path.
            assert!(matches!(e, Error::Decode(_)), "{e:?}");
            let _ = (e.to_string(), format!("{e:?}"), e.decode_path());
        }
    }
    d::<Value>(body);
    d::<()>(body);
    d::<Option<Value>>(body);
    d::<mt::Consult>(body);
    d::<mt::Claim>(body);
    d::<mt::ScreeningEvent>(body);
    d::<mt::Prescription>(body);
    d::<hs::Patient>(body);
    d::<hs::PatientCreated>(body);
    d::<hs::Medicard>(body);
    d::<hs::Transaction>(body);
    d::<hs::MedicalRecord>(body);
    d::<hs::RecordCreated>(body);
    d::<hs::Funding>(body);
    d::<dp::Booking>(body);
    d::<dp::Collection<dp::Booking>>(body);
    d::<dp::Facility>(body);
    d::<dp::Collection<dp::Doctor>>(body);
    d::<dp::Address>(body);
    d::<dp::Collection<dp::Slot>>(body);
    d::<dp::NotificationBatch>(body);
    d::<dp::Calendar>(body);
    d::<dp::Collection<dp::AddressService>>(body);
    d::<dp::Collection<dp::InsuranceProvider>>(body);
    let _ = hs::decode_envelope::<Value>(body);
    let _ = hs::decode_envelope::<Vec<hs::Patient>>(body);
    let _ = hs::decode_envelope::<hs::Patient>(body);
    let _ = hs::decode_envelope::<Vec<hs::Medicard>>(body);
    let _ = hs::decode_envelope::<Vec<hs::MedicalRecord>>(body);
    let _ = hs::decode_envelope::<Vec<hs::Transaction>>(body);
    let _ = mt::MedtimesError::parse(400, body);
    let _ = carewire::core::ErrorBodyParser::parse(&dp::error::SHAPE, 400, body);
    let _ = carewire::core::ErrorBodyParser::parse(&hs::HealthstackErrorParser, 403, body);
    let _ = carewire::core::ErrorBodyParser::parse(&carewire::core::DefaultErrorParser, 500, body);
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        let _ = mt::Claim::from_response(value.clone());
        let _ = dp::ErrorDetails::from_value(value.clone());
        for t in ["diagnosis", "note", "lab_results", "vital_signs", "prescription", "unknown_type"] {
            let _ = hs::RecordData::from_value(hs::RecordType::parse(t), value.clone());
        }
    }
}

#[test]
fn response_bodies_never_panic() {
    let corpus = fixtures();
    assert!(corpus.len() > 100, "the fixtures in shared/fixtures: found {}", corpus.len());
    run("fixtures as they are", corpus.len(), |rng, input| {
        let (name, body) = &corpus[rng.usize(..corpus.len())];
        *input = name.clone();
        decode_everything(body);
    });
    run("truncated fixtures", cases(2_000), |rng, input| {
        let (name, body) = &corpus[rng.usize(..corpus.len())];
        let cut = rng.usize(..=body.len());
        *input = format!("{name} cut at {cut}");
        decode_everything(&body[..cut]);
    });
    run("mutated fixtures", cases(3_000), |rng, input| {
        let (name, body) = &corpus[rng.usize(..corpus.len())];
        let mutated = mutate(rng, body);
        *input = format!("{name} mutated: {:?}", String::from_utf8_lossy(&mutated));
        decode_everything(&mutated);
    });
    run("fixtures with random values", cases(3_000), |rng, input| {
        let (name, body) = &corpus[rng.usize(..corpus.len())];
        let Ok(value) = serde_json::from_slice::<Value>(body) else { return };
        let text = json_text(rng, value);
        *input = format!("{name} as {text}");
        decode_everything(text.as_bytes());
    });
    run("random bytes and JSON", cases(2_000), |rng, input| {
        let body = if rng.bool() { random_bytes(rng, 300) } else { random_json(rng, 6).to_string().into_bytes() };
        *input = format!("{:?}", String::from_utf8_lossy(&body));
        decode_everything(&body);
    });
}

#[test]
fn webhook_verification_never_panics_and_only_accepts_the_right_mac() {
    run("verify", cases(6_000), |rng, input| {
        let secret = if rng.u8(..8) == 0 { String::new() } else { unicode(rng, 40) };
        let body = random_bytes(rng, 200);
        let signature = match rng.u8(..4) {
            0 => header_text(rng),
            1 => mutate(rng, sign_for_tests(&secret, &body).as_bytes()).into_iter().map(char::from).collect(),
            2 => format!("{}, {}", unicode(rng, 70), sign_for_tests(&unicode(rng, 8), &body)),
            _ => sign_for_tests_base64(&secret, &body),
        };
        let prefix = unicode(rng, 8);
        *input = format!("secret {secret:?} body {body:?} signature {signature:?} prefix {prefix:?}");
        let hex = Verifier::new(secret.as_str()).prefix(prefix.as_str());
        let b64 = Verifier::new(secret.as_str()).encoding(SignatureEncoding::Base64).prefix(prefix.as_str());
        let correct = sign_for_tests(&secret, &body);
        for verifier in [&hex, &b64] {
            let result = verifier.verify(&body, &signature);
            let (ts, now) = (rng.i64(..), if rng.bool() { rng.i64(..) } else { rng.i64(-400..400) });
            let _ = verifier.verify_at(&body, &signature, ts, now);
            let _ = verifier.verify_timestamped(&body, &signature, &header_text(rng));
            if result.is_ok() && !secret.is_empty() {
                // Only a MAC of this body under this secret verifies.
                let mac_b64 = sign_for_tests_base64(&secret, &body);
                let unpadded = mac_b64.trim_end_matches('=');
                let url_safe = unpadded.replace('+', "-").replace('/', "_");
                let carried = signature.to_ascii_lowercase().contains(&correct)
                    || signature.contains(unpadded)
                    || signature.contains(&url_safe);
                assert!(carried, "accepted a forgery");
            }
        }
        // The right MAC is accepted, bare or prefixed, even when it happens to begin like the prefix.
        assert_eq!(hex.verify(&body, &correct).is_ok(), !secret.is_empty(), "the right MAC is accepted");
        if !prefix.contains(|c: char| c == ',' || c.is_whitespace()) {
            let uppercase = format!("{prefix}{}", correct.to_ascii_uppercase());
            assert_eq!(hex.verify(&body, &uppercase).is_ok(), !secret.is_empty(), "prefixed, uppercase");
        }
    });
    run("a flipped digit or byte is refused", cases(3_000), |rng, input| {
        let secret = format!("whsec_{}", unicode(rng, 20));
        let body = random_bytes(rng, 120);
        let signature = sign_for_tests(&secret, &body);
        let at = rng.usize(..signature.len());
        let mut forged = signature.clone().into_bytes();
        let digit = u8::from_str_radix(&signature[at..=at], 16).unwrap_or(0);
        forged[at] = b"0123456789abcdef"[usize::from((digit + 1 + rng.u8(..15)) % 16)];
        let forged = String::from_utf8(forged).unwrap_or_default();
        let mut longer = body.clone();
        longer.push(rng.u8(..));
        *input = format!("secret {secret:?} body {body:?} forged {forged:?}");
        let verifier = Verifier::new(secret.as_str());
        assert_eq!(verifier.verify(&body, &forged), Err(WebhookError::SignatureMismatch));
        assert_eq!(verifier.verify(&longer, &signature), Err(WebhookError::SignatureMismatch));
        let guard = MemoryReplayGuard::new(16, Duration::from_secs(60));
        assert_eq!(verifier.verify_once(&body, &signature, &guard, None), Ok(()));
        assert_eq!(verifier.verify_once(&body, &signature, &guard, None), Err(WebhookError::Replayed));
    });
    run("medtimes receive / docplanner push auth", cases(4_000), |rng, input| {
        let secret = unicode(rng, 24);
        let body = if rng.bool() { random::event_body(rng) } else { random_bytes(rng, 200) };
        let good = sign_for_tests(&secret, &body);
        let names = ["Medtimes-Signature", "medtimes-signature", "x-api-key", "", "MEDTIMES-SIGNATURE "];
        let headers: Vec<(String, String)> = (0..rng.usize(..4))
            .map(|_| {
                let name = if rng.bool() { names[rng.usize(..names.len())].to_owned() } else { unicode(rng, 20) };
                (name, if rng.bool() { good.clone() } else { header_text(rng) })
            })
            .collect();
        *input = format!("secret {secret:?} body {:?} headers {headers:?}", String::from_utf8_lossy(&body));
        let pairs = || headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        let webhooks = carewire::medtimes::Webhooks::new(secret.as_str());
        let _ = webhooks.receive(pairs(), &body);
        let _ = webhooks.verify_headers(pairs(), &body);
        let _ = PushAuth::new(unicode(rng, 12), secret.as_str()).verify(pairs());
        let receiver =
            WebhookReceiver::new().medtimes(webhooks).docplanner_push_auth(PushAuth::new("x-api-key", secret));
        let _ = receiver.receive(Vendor::Medtimes, pairs(), &body);
        let _ = receiver.receive(Vendor::Docplanner, pairs(), &body);
    });
}

/// Found by `webhook_verification_never_panics_and_only_accepts_the_right_mac` (seed 0x00ca2e312e5eed01, case
/// 194 among others): `Verifier` stripped the configured prefix from a bare signature whose first characters
/// spell it (prefix `4`, MAC `4b00...`), leaving 63 digits. It now falls back to the unstripped value.
#[test]
fn a_bare_mac_that_begins_like_the_prefix_is_accepted() {
    let body = b"{}";
    let mac = sign_for_tests("s", body);
    let verifier = Verifier::new("s").prefix(&mac[..1]);
    assert_eq!(verifier.verify(body, &mac), Ok(()));
}

#[test]
fn event_parsing_never_panics() {
    let corpus: Vec<(String, Vec<u8>)> = fixtures().into_iter().filter(|(name, _)| name.contains("event")).collect();
    assert!(!corpus.is_empty(), "event fixtures in shared/fixtures");
    let receiver = WebhookReceiver::new().allow_unauthenticated_docplanner();
    let check = |body: &[u8]| {
        if let Ok(event) = WebhookEvent::parse(body) {
            assert!(!event.event_type.trim().is_empty(), "an event without a type: {event:?}");
            let _ = format!("{event:?} {:?}", event.data);
        }
        if let Ok(notification) = parse_push(body) {
            let _ = format!("{notification:?} {}", notification.requires_reply());
        }
        let _ = receiver.receive(Vendor::Docplanner, [], body).map(|e| e.name().to_owned());
    };
    run("generated events", cases(6_000), |rng, input| {
        let body = random::event_body(rng);
        *input = format!("{:?}", String::from_utf8_lossy(&body));
        check(&body);
    });
    run("mutated event fixtures", cases(3_000), |rng, input| {
        let (name, body) = &corpus[rng.usize(..corpus.len())];
        let body = if rng.bool() {
            mutate(rng, body)
        } else {
            serde_json::from_slice::<Value>(body).map(|v| json_text(rng, v).into_bytes()).unwrap_or_default()
        };
        *input = format!("{name}: {:?}", String::from_utf8_lossy(&body));
        check(&body);
    });
    run("events from values", cases(4_000), |rng, input| {
        let value = random_json(rng, 5);
        *input = value.to_string();
        if let Ok(event) = WebhookEvent::from_value(value) {
            assert!(!event.event_type.trim().is_empty());
        }
    });
}
