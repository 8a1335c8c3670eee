//! Unit tests of `webhook`.
use super::mac::BASE64_STANDARD;
use super::parse::invalid_payload;
use super::verify::now_unix;
use super::*;
use crate::BoxFuture;
use base64::Engine as _;
use hmac::{KeyInit, Mac};
use serde_json::Value;
use std::time::{Duration, Instant};

fn hex(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..clean.len()).step_by(2).map(|i| u8::from_str_radix(&clean[i..i + 2], 16).unwrap()).collect()
}

const GITHUB_SECRET: &str = "It's a Secret to Everybody";
const GITHUB_BODY: &[u8] = b"Hello, World!";
const GITHUB_SIG: &str = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

// RFC 4231 section 4: HMAC-SHA256 test vectors.
#[test]
fn rfc4231_case_1() {
    let key = [0x0b; 20];
    let mac = hmac_sha256(&key, b"Hi There");
    assert_eq!(mac.to_vec(), hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
}

#[test]
fn rfc4231_case_2() {
    let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
    assert_eq!(mac.to_vec(), hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

#[test]
fn rfc4231_case_3() {
    let mac = hmac_sha256(&[0xaa; 20], &[0xdd; 50]);
    assert_eq!(mac.to_vec(), hex("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"));
}

#[test]
fn rfc4231_case_4() {
    let key = hex("0102030405060708090a0b0c0d0e0f10111213141516171819");
    let mac = hmac_sha256(&key, &[0xcd; 50]);
    assert_eq!(mac.to_vec(), hex("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"));
}

#[test]
fn rfc4231_case_5_truncated_prefix() {
    let mac = hmac_sha256(&[0x0c; 20], b"Test With Truncation");
    assert_eq!(mac[..16].to_vec(), hex("a3b6167473100ee06e0c796c2955552b"));
}

#[test]
fn rfc4231_case_6() {
    let mac = hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First");
    assert_eq!(mac.to_vec(), hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
}

#[test]
fn rfc4231_case_7() {
    let data = b"This is a test using a larger than block-size key and a larger than \
block-size data. The key needs to be hashed before being used by the HMAC algorithm.";
    let mac = hmac_sha256(&[0xaa; 131], data);
    assert_eq!(mac.to_vec(), hex("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"));
}

#[test]
fn key_of_exactly_one_block_and_empty_key() {
    // Cross-check the manual key block against the crate's own slice constructor.
    for key in [&[][..], &[0x11; 64][..], &[0x22; 65][..]] {
        let mut reference = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
        reference.update(b"data");
        let expected: [u8; 32] = reference.finalize().into_bytes().into();
        assert_eq!(hmac_sha256(key, b"data"), expected);
    }
}

#[test]
fn github_example_verifies() {
    assert_eq!(sign_for_tests(GITHUB_SECRET, GITHUB_BODY), GITHUB_SIG);
    let verifier = Verifier::new(GITHUB_SECRET).prefix("sha256=");
    assert_eq!(verifier.verify(GITHUB_BODY, &format!("sha256={GITHUB_SIG}")), Ok(()));
    assert_eq!(verifier.verify(GITHUB_BODY, GITHUB_SIG), Ok(()));
    assert_eq!(verifier.verify(GITHUB_BODY, &format!("  SHA256={GITHUB_SIG}\r\n")), Ok(()));
    // Without the prefix configured, the prefixed form is not valid hex.
    assert_eq!(
        Verifier::new(GITHUB_SECRET).verify(GITHUB_BODY, &format!("sha256={GITHUB_SIG}")),
        Err(WebhookError::InvalidEncoding)
    );
}

#[test]
fn medtimes_vector_verifies() {
    let body = br#"{"type":"consult.completed","data":{"prescription_id":"scr_881920"}}"#;
    let sig = "e187c8deaad34707433e8c8b7d09baeee138dc1a2efec936283522e7a399cd3e";
    assert_eq!(sign_for_tests("whsec_test_secret", body), sig);
    assert_eq!(Verifier::new("whsec_test_secret").verify(body, sig), Ok(()));
}

#[test]
fn uppercase_hex_verifies() {
    let verifier = Verifier::new(GITHUB_SECRET);
    assert_eq!(verifier.verify(GITHUB_BODY, &GITHUB_SIG.to_ascii_uppercase()), Ok(()));
}

#[test]
fn base64_encoding_verifies() {
    let verifier = Verifier::new(GITHUB_SECRET).encoding(SignatureEncoding::Base64);
    let sig = sign_for_tests_base64(GITHUB_SECRET, GITHUB_BODY);
    assert_eq!(sig, BASE64_STANDARD.encode(hex(GITHUB_SIG)));
    assert_eq!(verifier.verify(GITHUB_BODY, &sig), Ok(()));
    // Unpadded and URL-safe forms are accepted too.
    assert_eq!(verifier.verify(GITHUB_BODY, sig.trim_end_matches('=')), Ok(()));
    let url_safe = sig.replace('+', "-").replace('/', "_");
    assert_eq!(verifier.verify(GITHUB_BODY, &url_safe), Ok(()));
    // Hex is not base64 of 32 bytes.
    assert!(verifier.verify(GITHUB_BODY, GITHUB_SIG).is_err());
    assert_eq!(verifier.verify(GITHUB_BODY, "!!!!"), Err(WebhookError::InvalidEncoding));
    assert_eq!(verifier.verify(GITHUB_BODY, &sig[..24]), Err(WebhookError::InvalidLength { expected: 32, actual: 18 }));
    let tampered = Verifier::new("other").encoding(SignatureEncoding::Base64);
    assert_eq!(tampered.verify(GITHUB_BODY, &sig), Err(WebhookError::SignatureMismatch));
}

#[test]
fn rotation_second_secret_matches() {
    let verifier = Verifier::new("new-secret").add_secret(GITHUB_SECRET);
    assert_eq!(verifier.verify(GITHUB_BODY, GITHUB_SIG), Ok(()));
    let verifier = Verifier::with_secrets(vec!["a".to_owned(), GITHUB_SECRET.to_owned()]);
    assert_eq!(verifier.verify(GITHUB_BODY, GITHUB_SIG), Ok(()));
}

#[test]
fn several_signatures_in_one_header() {
    let verifier = Verifier::new(GITHUB_SECRET).prefix("sha256=");
    let other = sign_for_tests("other", GITHUB_BODY);
    for header in [
        format!("{other},{GITHUB_SIG}"),
        format!("sha256={other} sha256={GITHUB_SIG}"),
        format!("garbage, {GITHUB_SIG}"),
        format!("{GITHUB_SIG},"),
    ] {
        assert_eq!(verifier.verify(GITHUB_BODY, &header), Ok(()), "{header}");
    }
    assert_eq!(verifier.verify(GITHUB_BODY, &format!("{other}, {other}")), Err(WebhookError::SignatureMismatch));
    assert_eq!(verifier.verify(GITHUB_BODY, "zz, abc"), Err(WebhookError::InvalidEncoding));
}

#[test]
fn tampered_body_is_mismatch() {
    let verifier = Verifier::new(GITHUB_SECRET);
    assert_eq!(verifier.verify(b"Hello, World?", GITHUB_SIG), Err(WebhookError::SignatureMismatch));
}

#[test]
fn wrong_secret_is_mismatch() {
    let verifier = Verifier::new("It's a Secret to Nobody");
    assert_eq!(verifier.verify(GITHUB_BODY, GITHUB_SIG), Err(WebhookError::SignatureMismatch));
}

#[test]
fn truncated_signature_is_invalid_length() {
    let verifier = Verifier::new(GITHUB_SECRET);
    assert_eq!(
        verifier.verify(GITHUB_BODY, &GITHUB_SIG[..62]),
        Err(WebhookError::InvalidLength { expected: 32, actual: 31 })
    );
    assert_eq!(
        verifier.verify(GITHUB_BODY, &GITHUB_SIG[..63]),
        Err(WebhookError::InvalidLength { expected: 32, actual: 31 })
    );
    assert_eq!(
        verifier.verify(GITHUB_BODY, &format!("{GITHUB_SIG}00")),
        Err(WebhookError::InvalidLength { expected: 32, actual: 33 })
    );
}

#[test]
fn non_hex_is_invalid_encoding() {
    let verifier = Verifier::new(GITHUB_SECRET);
    let bad = format!("{}zz", &GITHUB_SIG[..62]);
    assert_eq!(verifier.verify(GITHUB_BODY, &bad), Err(WebhookError::InvalidEncoding));
    // Multi-byte UTF-8 must not panic anywhere (prefix slicing included).
    let verifier = verifier.prefix("sha256=");
    assert_eq!(verifier.verify(GITHUB_BODY, "é€😀"), Err(WebhookError::InvalidEncoding));
    assert_eq!(verifier.verify(GITHUB_BODY, "sha256é"), Err(WebhookError::InvalidEncoding));
}

#[test]
fn empty_is_missing_signature() {
    let verifier = Verifier::new(GITHUB_SECRET);
    for header in ["", "   ", " , ,\t"] {
        assert_eq!(verifier.verify(GITHUB_BODY, header), Err(WebhookError::MissingSignature));
    }
}

#[test]
fn no_secrets() {
    assert_eq!(
        Verifier::with_secrets(Vec::<&str>::new()).verify(GITHUB_BODY, GITHUB_SIG),
        Err(WebhookError::NoSecrets)
    );
    // An empty secret (e.g. an unset environment variable) does not count.
    let empty_key_sig = sign_for_tests("", GITHUB_BODY);
    assert_eq!(Verifier::new("").verify(GITHUB_BODY, &empty_key_sig), Err(WebhookError::NoSecrets));
}

#[test]
fn timestamp_too_old() {
    let verifier = Verifier::new(GITHUB_SECRET).tolerance(Duration::from_secs(300));
    assert_eq!(
        verifier.verify_at(GITHUB_BODY, GITHUB_SIG, 1_000, 1_301),
        Err(WebhookError::TimestampTooOld { age_secs: 301 })
    );
    assert_eq!(
        verifier.verify_at(GITHUB_BODY, GITHUB_SIG, i64::MIN, i64::MAX),
        Err(WebhookError::TimestampTooOld { age_secs: u64::MAX })
    );
    // The timestamp is checked before the MAC.
    assert_eq!(
        verifier.verify_at(b"tampered", GITHUB_SIG, 1_000, 5_000),
        Err(WebhookError::TimestampTooOld { age_secs: 4_000 })
    );
}

#[test]
fn timestamp_in_future() {
    let verifier = Verifier::new(GITHUB_SECRET).tolerance(Duration::from_secs(300));
    assert_eq!(
        verifier.verify_at(GITHUB_BODY, GITHUB_SIG, 1_301, 1_000),
        Err(WebhookError::TimestampInFuture { ahead_secs: 301 })
    );
    assert_eq!(
        verifier.verify_at(GITHUB_BODY, GITHUB_SIG, i64::MAX, i64::MIN),
        Err(WebhookError::TimestampInFuture { ahead_secs: u64::MAX })
    );
}

#[test]
fn timestamp_within_tolerance() {
    let verifier = Verifier::new(GITHUB_SECRET).tolerance(Duration::from_secs(300));
    for (ts, now) in [(1_000, 1_000), (1_000, 1_300), (1_300, 1_000)] {
        assert_eq!(verifier.verify_at(GITHUB_BODY, GITHUB_SIG, ts, now), Ok(()));
    }
    assert_eq!(verifier.verify_at(b"tampered", GITHUB_SIG, 1_000, 1_000), Err(WebhookError::SignatureMismatch));
}

#[test]
fn verify_timestamped_uses_clock() {
    let verifier = Verifier::new(GITHUB_SECRET);
    let now = now_unix();
    assert_eq!(verifier.verify_timestamped(GITHUB_BODY, GITHUB_SIG, &now.to_string()), Ok(()));
    assert_eq!(verifier.verify_timestamped(GITHUB_BODY, GITHUB_SIG, &format!(" {now}.25 ")), Ok(()));
    assert!(matches!(
        verifier.verify_timestamped(GITHUB_BODY, GITHUB_SIG, &(now - 3_600).to_string()),
        Err(WebhookError::TimestampTooOld { .. })
    ));
    assert!(matches!(
        verifier.verify_timestamped(GITHUB_BODY, GITHUB_SIG, &(now + 3_600).to_string()),
        Err(WebhookError::TimestampInFuture { .. })
    ));
    for bad in ["abc", "12x", "1.2.3", "1e9", "99999999999999999999", "."] {
        assert_eq!(
            verifier.verify_timestamped(GITHUB_BODY, GITHUB_SIG, bad),
            Err(WebhookError::InvalidTimestamp),
            "{bad}"
        );
    }
    assert_eq!(verifier.verify_timestamped(GITHUB_BODY, GITHUB_SIG, " "), Err(WebhookError::MissingTimestamp));
}

#[test]
fn replay_guard_first_ok_then_replayed() {
    let guard = MemoryReplayGuard::new(100, Duration::from_secs(3600));
    let verifier = Verifier::new(GITHUB_SECRET);
    assert_eq!(verifier.verify_once(GITHUB_BODY, GITHUB_SIG, &guard, None), Ok(()));
    assert_eq!(verifier.verify_once(GITHUB_BODY, GITHUB_SIG, &guard, None), Err(WebhookError::Replayed));
    assert!(!guard.check_and_record(&replay_key(GITHUB_BODY)));
    // Explicit keys are independent of the body hash.
    assert_eq!(verifier.verify_once(GITHUB_BODY, GITHUB_SIG, &guard, Some("evt_1")), Ok(()));
    assert_eq!(verifier.verify_once(GITHUB_BODY, GITHUB_SIG, &guard, Some("evt_1")), Err(WebhookError::Replayed));
    assert_eq!(guard.len(), 2);
}

#[test]
fn replay_guard_never_records_failed_verification() {
    let guard = MemoryReplayGuard::new(100, Duration::from_secs(3600));
    let verifier = Verifier::new(GITHUB_SECRET);
    assert_eq!(verifier.verify_once(b"forged", GITHUB_SIG, &guard, None), Err(WebhookError::SignatureMismatch));
    assert_eq!(
        verifier.verify_once(b"forged", GITHUB_SIG, &guard, Some("evt_1")),
        Err(WebhookError::SignatureMismatch)
    );
    assert!(guard.is_empty());
    assert_eq!(verifier.verify_once(GITHUB_BODY, GITHUB_SIG, &guard, Some("evt_1")), Ok(()));
}

#[test]
fn replay_guard_capacity_evicts_oldest() {
    let guard = MemoryReplayGuard::new(2, Duration::from_secs(3600));
    assert!(guard.check_and_record("a"));
    assert!(guard.check_and_record("b"));
    assert!(guard.check_and_record("c")); // evicts "a"
    assert_eq!(guard.len(), 2);
    assert!(!guard.check_and_record("c"));
    assert!(!guard.check_and_record("b"));
    assert!(guard.check_and_record("a")); // forgotten, so first sight again; evicts "b"
    assert!(guard.check_and_record("b"));
    assert_eq!(guard.len(), 2);
    // Capacity 0 is clamped to 1.
    let tiny = MemoryReplayGuard::new(0, Duration::from_secs(3600));
    assert!(tiny.check_and_record("x"));
    assert!(!tiny.check_and_record("x"));
}

#[test]
fn replay_guard_ttl_expiry() {
    let guard = MemoryReplayGuard::new(10, Duration::from_secs(60));
    let start = Instant::now();
    assert!(guard.check_and_record_at("a", start));
    assert!(guard.check_and_record_at("b", start + Duration::from_secs(30)));
    assert!(!guard.check_and_record_at("a", start + Duration::from_secs(59)));
    // "a" expired, "b" not yet.
    assert!(guard.check_and_record_at("a", start + Duration::from_secs(60)));
    assert!(!guard.check_and_record_at("b", start + Duration::from_secs(61)));
    assert!(guard.check_and_record_at("b", start + Duration::from_secs(90)));
    // Real clock: a zero ttl forgets immediately.
    let forgetful = MemoryReplayGuard::new(10, Duration::ZERO);
    assert!(forgetful.check_and_record("x"));
    assert!(forgetful.check_and_record("x"));
    assert!(forgetful.is_empty());
}

#[test]
fn replay_guard_is_thread_safe() {
    let guard = std::sync::Arc::new(MemoryReplayGuard::new(1_000, Duration::from_secs(60)));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let guard = std::sync::Arc::clone(&guard);
            std::thread::spawn(move || (0..100).filter(|i| guard.check_and_record(&i.to_string())).count())
        })
        .collect();
    let firsts: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(firsts, 100);
    assert_eq!(guard.len(), 100);
    let dyn_guard: &dyn ReplayGuard = &*guard;
    assert_eq!(dyn_guard.check_and_record_now("5"), Some(false));
}

#[test]
fn replay_key_is_sha256_hex() {
    assert_eq!(replay_key(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#[test]
fn find_header_is_case_insensitive() {
    let headers =
        [("Content-Type", "application/json"), ("MEDTIMES-SIGNATURE", "first"), ("medtimes-signature", "second")];
    assert_eq!(find_header(headers, "medtimes-signature"), Some("first"));
    assert_eq!(find_header(headers, "content-type"), Some("application/json"));
    assert_eq!(find_header(headers, "x-signature"), None);
    let owned: Vec<(String, String)> = vec![("X-A".into(), "1".into())];
    assert_eq!(find_header(owned.iter().map(|(k, v)| (k.as_str(), v.as_str())), "x-a"), Some("1"));
}

#[test]
fn debug_shows_no_secret() {
    let verifier = Verifier::new("super-secret-value").add_secret("another-secret");
    let debug = format!("{verifier:?}");
    assert!(!debug.contains("super-secret-value"), "{debug}");
    assert!(!debug.contains("another-secret"), "{debug}");
    assert!(debug.contains("[REDACTED] x2"), "{debug}");
    let guard = MemoryReplayGuard::new(5, Duration::from_secs(5));
    guard.check_and_record("evt_private");
    assert!(!format!("{guard:?}").contains("evt_private"));
}

#[test]
fn display_never_leaks_secret_signature_or_body() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Typed {
        nin: u64,
    }
    let secret = "top-secret-key";
    let body = br#"{"patient":"Jane Doe","nin":"12345678901"}"#;
    let sig = sign_for_tests(secret, body);
    let verifier = Verifier::new(secret);
    let mut errors = vec![
        WebhookError::MissingSignature,
        WebhookError::MissingTimestamp,
        WebhookError::InvalidEncoding,
        WebhookError::InvalidLength { expected: 32, actual: 31 },
        WebhookError::SignatureMismatch,
        WebhookError::InvalidTimestamp,
        WebhookError::TimestampTooOld { age_secs: 301 },
        WebhookError::TimestampInFuture { ahead_secs: 301 },
        WebhookError::Replayed,
        WebhookError::NoSecrets,
        WebhookError::NotConfigured { vendor: "docplanner", missing: "push authentication" },
    ];
    // Errors produced from real inputs, including an invalid payload quoting a value.
    errors.push(verifier.verify(b"tampered", &sig).unwrap_err());
    errors.push(verifier.verify(body, &sig[..40]).unwrap_err());
    errors.push(verifier.verify(body, &format!("{}zz", &sig[..62])).unwrap_err());
    errors.push(parse_event::<u32>(body).unwrap_err());
    errors.push(parse_event::<serde_json::Value>(b"{\"nin\": 1234567890x}").unwrap_err());
    errors.push(parse_event::<Typed>(body).unwrap_err());
    for err in &errors {
        let text = err.to_string();
        let debug = format!("{err:?}");
        for needle in [secret, sig.as_str(), &sig[..16], "Jane", "12345678901", "1234567890x"] {
            assert!(!text.contains(needle), "{text}");
            assert!(!debug.contains(needle), "{debug}");
        }
    }
}

#[test]
fn parse_event_reports_position_only() {
    let err = parse_event::<serde_json::Value>(b"{\"a\": tru}").unwrap_err();
    match err {
        WebhookError::InvalidPayload { reason } => {
            assert!(reason.contains("line 1"), "{reason}");
            assert!(reason.starts_with("invalid JSON syntax"), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(parse_event::<serde_json::Value>(b""), Err(WebhookError::InvalidPayload { .. })));
}

#[test]
fn garbage_never_panics() {
    let verifier = Verifier::new("s").prefix("sha256=");
    let b64 = Verifier::new("s").encoding(SignatureEncoding::Base64);
    let long = "a".repeat(10_000);
    let inputs = ["", "=", "sha256=", "sha256", "\u{0}", "ÿÿÿÿ", long.as_str(), "====,====", "v1=abc,v1=def"];
    for input in inputs {
        assert!(verifier.verify(input.as_bytes(), input).is_err());
        assert!(b64.verify(input.as_bytes(), input).is_err());
        assert!(verifier.verify_timestamped(b"", "", input).is_err());
    }
}

#[test]
fn default_guard_is_bounded() {
    let guard = MemoryReplayGuard::default();
    assert_eq!((guard.capacity(), guard.ttl()), (10_000, Duration::from_secs(604_800)));
    for i in 0..=DEFAULT_REPLAY_CAPACITY {
        assert!(guard.check_and_record(&i.to_string()));
    }
    assert_eq!(guard.len(), DEFAULT_REPLAY_CAPACITY);
    assert!(guard.check_and_record("0"), "the oldest key was evicted");
    let debug = format!("{guard:?}");
    assert!(debug.contains("capacity: 10000"), "{debug}");
}

#[test]
fn event_objects_must_be_non_empty_json_objects() {
    let object = parse_event_object(b"\xef\xbb\xbf {\"type\":\"x\",\"extra\":[1]}").unwrap();
    assert_eq!(object["type"], "x");
    let cases: [(&[u8], &str); 9] = [
        (b"", "the body is empty"),
        (b" \r\n\t", "the body is empty"),
        (b"\xff\xfe{}", "the body is not valid UTF-8"),
        (b"<html><body>Bad gateway</body></html>", "the body is not JSON (it looks like an HTML or XML page)"),
        (b"  <?xml version=\"1.0\"?><a/>", "the body is not JSON (it looks like an HTML or XML page)"),
        (b"{}", "the payload is an empty JSON object"),
        (b"[{\"type\":\"x\"}]", "the payload is not a JSON object"),
        (b"null", "the payload is not a JSON object"),
        (b"\"claim.paid\"", "the payload is not a JSON object"),
    ];
    for (body, reason) in cases {
        assert_eq!(
            parse_event_object(body),
            Err(WebhookError::InvalidPayload { reason: reason.to_owned() }),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    let Err(WebhookError::InvalidPayload { reason }) = parse_event_object(b"Bad gateway") else { panic!() };
    assert!(reason.starts_with("invalid JSON syntax"), "{reason}");
    assert!(!reason.contains("gateway"), "{reason}");
    // The same clear reasons from the generic parser.
    assert_eq!(parse_event::<Value>(b""), Err(invalid_payload("the body is empty")));
}

#[test]
fn constant_time_eq_compares_exactly() {
    assert!(constant_time_eq(b"k3y", b"k3y"));
    for given in [&b"k3y2"[..], b"k3", b"K3Y", b"", b"k3z"] {
        assert!(!constant_time_eq(b"k3y", given));
    }
    assert!(!constant_time_eq(b"", b""));
    let long = vec![7u8; 1_000];
    assert!(constant_time_eq(&long, &long.clone()));
}

#[test]
fn a_shared_guard_remembers_across_clones() {
    let guard = std::sync::Arc::new(MemoryReplayGuard::new(10, Duration::from_secs(60)));
    let other = guard.clone();
    assert!(guard.check_and_record("evt_1"));
    assert!(!other.check_and_record("evt_1"));
    let dynamic: std::sync::Arc<dyn ReplayGuard> = guard;
    assert_eq!(dynamic.check_and_record_now("evt_1"), Some(false));
}

/// A guard over a store that is not reachable: it has no synchronous answer, and errors when awaited.
struct Unreachable;

impl ReplayGuard for Unreachable {
    fn check_and_record<'a>(&'a self, _key: &'a str) -> BoxFuture<'a, Result<bool, WebhookError>> {
        Box::pin(async move { Err(WebhookError::ReplayCheckUnavailable { reason: "the store did not answer" }) })
    }
}

#[tokio::test]
async fn the_async_check_awaits_any_guard_and_fails_closed() {
    let verifier = Verifier::new(GITHUB_SECRET);
    let memory = MemoryReplayGuard::new(10, Duration::from_secs(60));
    assert_eq!(verifier.verify_once_async(GITHUB_BODY, GITHUB_SIG, &memory, None).await, Ok(()));
    assert_eq!(verifier.verify_once_async(GITHUB_BODY, GITHUB_SIG, &memory, None).await, Err(WebhookError::Replayed));
    // The synchronous and asynchronous forms share the memory.
    assert_eq!(verifier.verify_once(GITHUB_BODY, GITHUB_SIG, &memory, None), Err(WebhookError::Replayed));
    let err = verifier.verify_once_async(GITHUB_BODY, GITHUB_SIG, &Unreachable, None).await.unwrap_err();
    assert!(matches!(err, WebhookError::ReplayCheckUnavailable { .. }), "{err:?}");
    // Synchronously, a guard that must be awaited refuses rather than accepting unchecked.
    let err = verifier.verify_once(GITHUB_BODY, GITHUB_SIG, &Unreachable, None).unwrap_err();
    assert!(matches!(err, WebhookError::ReplayCheckUnavailable { .. }), "{err:?}");
    // A forged webhook is still a signature failure, never an availability one.
    let forged = verifier.verify_once_async(b"forged", GITHUB_SIG, &Unreachable, None).await;
    assert_eq!(forged, Err(WebhookError::SignatureMismatch));
}
