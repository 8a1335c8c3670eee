//! Webhook verification, replay protection and typed events.

use std::sync::Arc;
use std::time::Duration;

use carewire_core::webhook::{MemoryReplayGuard, WebhookError, sign_for_tests};
use carewire_medtimes::webhooks::{EventData, SIGNATURE_HEADER, WebhookEvent, Webhooks};
use serde_json::json;

/// From the vendor notes §1.4, computed independently (Node's crypto running the doc's code, and Rust hmac).
const NOTES_SECRET: &str = "whsec_test_secret";
const NOTES_BODY: &[u8] = br#"{"type":"consult.completed","data":{"prescription_id":"scr_881920"}}"#;
const NOTES_SIGNATURE: &str = "e187c8deaad34707433e8c8b7d09baeee138dc1a2efec936283522e7a399cd3e";

#[test]
fn verifies_the_independent_test_vector() {
    assert_eq!(sign_for_tests(NOTES_SECRET, NOTES_BODY), NOTES_SIGNATURE);
    let webhooks = Webhooks::new(NOTES_SECRET);
    assert_eq!(webhooks.verify(NOTES_BODY, NOTES_SIGNATURE), Ok(()));
    assert_eq!(webhooks.verify(NOTES_BODY, &NOTES_SIGNATURE.to_ascii_uppercase()), Ok(()));
    assert_eq!(webhooks.verify(NOTES_BODY, &format!(" {NOTES_SIGNATURE}\n")), Ok(()));
}

#[test]
fn header_name_is_case_insensitive() {
    // The same delivery is received four times here, so replay protection is off.
    let webhooks = Webhooks::new(NOTES_SECRET).without_replay_guard();
    for name in [SIGNATURE_HEADER, "medtimes-signature", "MEDTIMES-SIGNATURE", "MedTimes-Signature"] {
        let headers = [("Content-Type", "application/json"), (name, NOTES_SIGNATURE)];
        let event = webhooks.receive(headers, NOTES_BODY).unwrap();
        assert_eq!(event.event_type, "consult.completed");
    }
    assert_eq!(
        webhooks.verify_headers([("x-other", NOTES_SIGNATURE)], NOTES_BODY),
        Err(WebhookError::MissingSignature)
    );
}

#[test]
fn rejects_tampering_wrong_secrets_and_garbage() {
    let webhooks = Webhooks::new(NOTES_SECRET);
    let tampered = br#"{"type":"consult.completed","data":{"prescription_id":"scr_881921"}}"#;
    assert_eq!(webhooks.verify(tampered, NOTES_SIGNATURE), Err(WebhookError::SignatureMismatch));
    assert_eq!(Webhooks::new("whsec_wrong").verify(NOTES_BODY, NOTES_SIGNATURE), Err(WebhookError::SignatureMismatch));
    assert!(matches!(webhooks.verify(NOTES_BODY, &NOTES_SIGNATURE[..40]), Err(WebhookError::InvalidLength { .. })));
    assert_eq!(webhooks.verify(NOTES_BODY, "not hex at all!"), Err(WebhookError::InvalidEncoding));
    assert_eq!(webhooks.verify(NOTES_BODY, ""), Err(WebhookError::MissingSignature));
    // `sha256=` is not part of the Medtimes scheme.
    assert!(webhooks.verify(NOTES_BODY, &format!("sha256={NOTES_SIGNATURE}")).is_err());
    // An unset secret rejects everything rather than accepting an empty-key MAC.
    assert_eq!(Webhooks::new("").verify(NOTES_BODY, &sign_for_tests("", NOTES_BODY)), Err(WebhookError::NoSecrets));
}

#[test]
fn several_secrets_for_rotation() {
    let webhooks = Webhooks::new("whsec_new").add_secret("whsec_old");
    assert_eq!(webhooks.verify(b"{}", &sign_for_tests("whsec_old", b"{}")), Ok(()));
    assert_eq!(webhooks.verify(b"{}", &sign_for_tests("whsec_new", b"{}")), Ok(()));
    assert_eq!(webhooks.verify(b"{}", &sign_for_tests("whsec_other", b"{}")), Err(WebhookError::SignatureMismatch));
    let webhooks = Webhooks::with_secrets(["a", "b", "c"]);
    assert_eq!(webhooks.verify(b"x", &sign_for_tests("c", b"x")), Ok(()));
    let debug = format!("{webhooks:?}");
    assert!(!debug.contains("whsec"), "{debug}");
}

#[test]
fn receive_flow_rejects_replays_but_not_failed_verifications() {
    let guard = Arc::new(MemoryReplayGuard::new(100, Duration::from_secs(3600)));
    let webhooks = Webhooks::new(NOTES_SECRET).shared_replay_guard(guard.clone());
    let sig = sign_for_tests(NOTES_SECRET, NOTES_BODY);
    let headers = [("medtimes-signature", sig.as_str())];
    // A forged delivery is rejected and not remembered.
    assert_eq!(
        webhooks.receive([("medtimes-signature", "00".repeat(32).as_str())], NOTES_BODY).unwrap_err(),
        WebhookError::SignatureMismatch
    );
    assert!(guard.is_empty());
    webhooks.receive(headers, NOTES_BODY).unwrap();
    assert_eq!(webhooks.receive(headers, NOTES_BODY).unwrap_err(), WebhookError::Replayed);

    // With an event id the id is the key: a re-serialised redelivery of the same event is still a replay.
    let a = br#"{"id":"whevt_1","type":"claim.paid","data":{"claim_id":"clm_1"}}"#;
    let b = br#"{"id": "whevt_1", "type": "claim.paid", "data": {"claim_id": "clm_1"}}"#;
    webhooks.receive([("medtimes-signature", sign_for_tests(NOTES_SECRET, a).as_str())], a).unwrap();
    let err = webhooks.receive([("medtimes-signature", sign_for_tests(NOTES_SECRET, b).as_str())], b).unwrap_err();
    assert_eq!(err, WebhookError::Replayed);
    assert!(!guard.check_and_record("medtimes:event:whevt_1"));

    // Explicitly without a guard, receive does not deduplicate.
    let plain = Webhooks::new(NOTES_SECRET).without_replay_guard();
    plain.receive(headers, NOTES_BODY).unwrap();
    plain.receive(headers, NOTES_BODY).unwrap();
}

fn signed(body: &[u8]) -> String {
    sign_for_tests(NOTES_SECRET, body)
}

#[test]
fn replays_are_refused_by_default() {
    let webhooks = Webhooks::new(NOTES_SECRET);
    let sig = signed(NOTES_BODY);
    let event = webhooks.receive([("medtimes-signature", sig.as_str())], NOTES_BODY).unwrap();
    assert_eq!(event.event_type, "consult.completed");
    let again = webhooks.receive([("medtimes-signature", sig.as_str())], NOTES_BODY).unwrap_err();
    assert_eq!(again, WebhookError::Replayed);
    // Clones share the guard; `verify` alone records nothing.
    assert_eq!(
        webhooks.clone().receive([("medtimes-signature", sig.as_str())], NOTES_BODY),
        Err(WebhookError::Replayed)
    );
    let other = br#"{"id":"whevt_9","type":"claim.paid","data":{"claim_id":"clm_9"}}"#;
    webhooks.verify(other, &signed(other)).unwrap();
    webhooks.receive([("medtimes-signature", signed(other).as_str())], other).unwrap();
    // Also from the environment.
    let from_env = Webhooks::from_vars(|_| Some(NOTES_SECRET.to_owned())).unwrap();
    from_env.receive([("medtimes-signature", sig.as_str())], NOTES_BODY).unwrap();
    assert_eq!(from_env.receive([("medtimes-signature", sig.as_str())], NOTES_BODY), Err(WebhookError::Replayed));
}

#[test]
fn an_owned_body_is_kept_without_a_copy_and_a_borrowed_one_is_copied() {
    let webhooks = Webhooks::new(NOTES_SECRET).without_replay_guard();
    let sig = signed(NOTES_BODY);
    let owned = NOTES_BODY.to_vec();
    let at = owned.as_ptr();
    let event = webhooks.receive([("medtimes-signature", sig.as_str())], owned).unwrap();
    assert_eq!(event.raw.as_bytes().as_ptr(), at, "a Vec<u8> body becomes the event's raw as it is");
    assert_eq!(event.raw.as_bytes(), NOTES_BODY);
    let text = String::from_utf8(NOTES_BODY.to_vec()).unwrap();
    let at = text.as_ptr();
    assert_eq!(webhooks.receive([("medtimes-signature", sig.as_str())], text).unwrap().raw.as_bytes().as_ptr(), at);
    let borrowed = webhooks.receive([("medtimes-signature", sig.as_str())], NOTES_BODY).unwrap();
    assert_ne!(borrowed.raw.as_bytes().as_ptr(), NOTES_BODY.as_ptr(), "a borrowed body is copied");
    assert_eq!(borrowed.raw, event.raw);
    // An owned body that fails verification is refused like a borrowed one.
    let mut tampered = NOTES_BODY.to_vec();
    tampered[10] ^= 1;
    assert_eq!(
        webhooks.receive([("medtimes-signature", sig.as_str())], tampered),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn without_replay_guard_accepts_a_delivery_twice() {
    let webhooks = Webhooks::new(NOTES_SECRET).without_replay_guard();
    let sig = signed(NOTES_BODY);
    for _ in 0..2 {
        assert!(webhooks.receive([("medtimes-signature", sig.as_str())], NOTES_BODY).is_ok());
    }
    let debug = format!("{webhooks:?}");
    assert!(debug.contains("replay_guard: disabled"), "{debug}");
    // A custom guard replaces the default one, and Debug says so.
    let custom = Webhooks::new(NOTES_SECRET).replay_guard(MemoryReplayGuard::new(1, Duration::from_secs(1)));
    assert!(format!("{custom:?}").contains("replay_guard: custom"));
}

#[test]
fn the_default_guard_is_bounded() {
    let webhooks = Webhooks::new(NOTES_SECRET);
    let debug = format!("{webhooks:?}");
    assert!(debug.contains("replay_guard: default (in memory, up to 10000 webhooks for 604800 s)"), "{debug}");
    let body = |i: usize| format!(r#"{{"id":"whevt_{i}","type":"claim.paid","data":{{"claim_id":"clm_{i}"}}}}"#);
    let deliver = |i: usize| {
        let body = body(i);
        webhooks.receive([("medtimes-signature", signed(body.as_bytes()).as_str())], body.as_bytes())
    };
    deliver(0).unwrap();
    assert_eq!(deliver(0).unwrap_err(), WebhookError::Replayed);
    for i in 1..10_000 {
        deliver(i).unwrap();
    }
    // 10,000 remembered: the first is still a replay; one more evicts it.
    assert_eq!(deliver(0).unwrap_err(), WebhookError::Replayed);
    deliver(10_000).unwrap();
    assert!(deliver(0).is_ok(), "the oldest delivery was forgotten: the guard holds at most 10,000");
    assert_eq!(deliver(10_000).unwrap_err(), WebhookError::Replayed);
}

#[test]
fn from_env_requires_a_non_empty_secret() {
    let cases: [(Option<&str>, &str); 4] = [
        (None, "MEDTIMES_WEBHOOK_SECRET is not set"),
        (Some(""), "MEDTIMES_WEBHOOK_SECRET is empty"),
        (Some("  \n"), "MEDTIMES_WEBHOOK_SECRET is empty"),
        (Some("\t"), "MEDTIMES_WEBHOOK_SECRET is empty"),
    ];
    for (value, message) in cases {
        let err = Webhooks::from_vars(|name| {
            assert_eq!(name, carewire_medtimes::webhooks::ENV_WEBHOOK_SECRET);
            value.map(str::to_owned)
        })
        .unwrap_err();
        match &err {
            carewire_core::Error::Config(text) => assert_eq!(text, message),
            other => panic!("expected Error::Config, got {other:?}"),
        }
    }
    let webhooks = Webhooks::from_vars(|name| (name == "MEDTIMES_WEBHOOK_SECRET").then(|| NOTES_SECRET.to_owned()));
    let webhooks = webhooks.unwrap();
    assert_eq!(webhooks.verify(NOTES_BODY, NOTES_SIGNATURE), Ok(()));
    assert!(!format!("{webhooks:?}").contains(NOTES_SECRET));
    // The value is the key exactly as given: surrounding whitespace is part of it.
    let spaced = Webhooks::from_vars(|_| Some(format!(" {NOTES_SECRET}"))).unwrap();
    assert_eq!(spaced.verify(NOTES_BODY, NOTES_SIGNATURE), Err(WebhookError::SignatureMismatch));
}

#[test]
fn bodies_that_are_not_events_are_refused_and_not_remembered() {
    let webhooks = Webhooks::new(NOTES_SECRET);
    let bodies: [&[u8]; 10] = [
        b"{}",
        b"",
        b"   ",
        b"<html><body>Bad gateway</body></html>",
        b"\xff\xfe\x00{",
        b"[]",
        b"null",
        br#"{"data":{"claim_id":"clm_1"}}"#,
        br#"{"type":"","data":{}}"#,
        br#"{"type":42,"event":null}"#,
    ];
    for body in bodies {
        let shown = String::from_utf8_lossy(body);
        assert!(matches!(WebhookEvent::parse(body), Err(WebhookError::InvalidPayload { .. })), "{shown}");
        // Correctly signed, still refused; twice, so nothing was recorded as a replay either.
        for _ in 0..2 {
            let err = webhooks.receive([("medtimes-signature", signed(body).as_str())], body).unwrap_err();
            assert!(matches!(err, WebhookError::InvalidPayload { .. }), "{shown}: {err:?}");
        }
    }
    let Err(WebhookError::InvalidPayload { reason }) = WebhookEvent::parse(b"{}") else { panic!() };
    assert_eq!(reason, "the payload is an empty JSON object");
    let Err(WebhookError::InvalidPayload { reason }) = WebhookEvent::parse(br#"{"patient":"Thandi"}"#) else {
        panic!()
    };
    assert!(reason.contains("no event type") && !reason.contains("Thandi"), "{reason}");
}

fn parse(value: serde_json::Value) -> WebhookEvent {
    let from_bytes = WebhookEvent::parse(serde_json::to_vec(&value).unwrap()).unwrap();
    let event = WebhookEvent::from_value(value).unwrap();
    assert_eq!(event, from_bytes);
    event
}

#[test]
fn typed_events() {
    let event = parse(json!({"id": "whevt_1", "type": "consult.completed",
        "data": {"consult_id": "cns_4492193", "prescription_id": "scr_881920"}}));
    assert_eq!(event.id.as_deref(), Some("whevt_1"));
    let EventData::ConsultCompleted(done) = &event.data else { panic!("{event:?}") };
    assert_eq!(done.consult_id.as_deref(), Some("cns_4492193"));
    assert_eq!(done.prescription_id.as_deref(), Some("scr_881920"));

    let event = parse(
        json!({"type": "claim.paid", "data": {"claim_id": "clm_1", "amount": 45000, "currency": "zar", "remittance": "EFT-1"}}),
    );
    let EventData::ClaimPaid(paid) = &event.data else { panic!("{event:?}") };
    assert_eq!(
        (paid.claim_id.as_deref(), paid.amount, paid.currency.as_deref()),
        (Some("clm_1"), Some(45_000), Some("zar"))
    );
    assert_eq!(paid.extra["remittance"], "EFT-1");

    let event = parse(
        json!({"type": "claim.rejected", "data": {"claim_id": "clm_2", "reason_code": "MEMBER_SUSPENDED", "reason": "Member suspended"}}),
    );
    let EventData::ClaimRejected(rejected) = &event.data else { panic!("{event:?}") };
    assert_eq!(rejected.reason_code.as_deref(), Some("MEMBER_SUSPENDED"));
    assert_eq!(rejected.reason.as_deref(), Some("Member suspended"));
    assert_eq!(rejected.code_or_reason(), Some("MEMBER_SUSPENDED"));

    let event = parse(json!({"type": "claim.rejected", "data": {"claim": "clm_3", "rejection_code": 54}}));
    let EventData::ClaimRejected(rejected) = &event.data else { panic!("{event:?}") };
    assert_eq!((rejected.claim_id.as_deref(), rejected.reason_code.as_deref()), (Some("clm_3"), Some("54")));

    let event = parse(
        json!({"type": "prescription.dispensed", "data": {"prescription_id": "scr_881920", "pharmacy": "Clicks Sandton"}}),
    );
    let EventData::PrescriptionDispensed(dispensed) = &event.data else { panic!("{event:?}") };
    assert_eq!(dispensed.prescription_id.as_deref(), Some("scr_881920"));
    assert_eq!(dispensed.pharmacy.as_deref(), Some("Clicks Sandton"));
}

#[test]
fn tolerant_envelopes() {
    // Type under `event`, data at the top level.
    let event = parse(json!({"event": "consult.completed", "consult_id": "cns_1", "prescription_id": "scr_1"}));
    assert_eq!(event.event_type, "consult.completed");
    let EventData::ConsultCompleted(done) = &event.data else { panic!("{event:?}") };
    assert_eq!(done.prescription_id.as_deref(), Some("scr_1"));
    assert!(done.extra.is_empty());

    // Stripe-style `data.object`, with an expanded prescription object.
    let event = parse(
        json!({"type": "consult.completed", "data": {"object": {"consult_id": "cns_2", "prescription": {"id": "scr_2"}}}}),
    );
    let EventData::ConsultCompleted(done) = &event.data else { panic!("{event:?}") };
    assert_eq!(done.prescription_id.as_deref(), Some("scr_2"));

    // No prescription (not applicable) is fine.
    let event = parse(json!({"type": "consult.completed", "data": {"consult_id": "cns_3"}}));
    let EventData::ConsultCompleted(done) = &event.data else { panic!("{event:?}") };
    assert_eq!(done.prescription_id, None);
}

#[test]
fn unknown_events_keep_the_raw_json() {
    let raw = json!({"type": "consult.cancelled", "data": {"consult_id": "cns_1", "why": "no-show"}});
    let event = parse(raw.clone());
    assert_eq!(event.event_type, "consult.cancelled");
    let EventData::Unknown(data) = &event.data else { panic!("{event:?}") };
    assert_eq!(data["why"], "no-show");
    assert_eq!(event.raw.json(), raw);
    // The body is kept byte for byte, not re-serialized.
    let body = br#"{ "type" : "consult.cancelled", "data": {"why": "no-show"} }"#;
    let event = WebhookEvent::parse(body).unwrap();
    assert_eq!(event.raw.as_bytes(), body);
    assert_eq!(format!("{:?}", event.raw), format!("RawBody {{ len: {} }}", body.len()));

    // Unknown fields are tolerated; only the event type is required.
    let event = parse(json!({"event": {"type": "consult.cancelled"}, "something": 1}));
    assert_eq!(event.event_type, "consult.cancelled");
    assert!(matches!(event.data, EventData::Unknown(_)));
    assert!(matches!(WebhookEvent::from_value(json!({"something": 1})), Err(WebhookError::InvalidPayload { .. })));

    assert!(matches!(WebhookEvent::parse(b"[1,2]"), Err(WebhookError::InvalidPayload { .. })));
    assert!(matches!(WebhookEvent::parse(b"{not json"), Err(WebhookError::InvalidPayload { .. })));
}

#[test]
fn debug_never_shows_unknown_values() {
    let event = parse(json!({"type": "patient.updated", "data": {"name": "Thandi Nkosi"}}));
    let debug = format!("{event:?}");
    assert!(!debug.contains("Thandi"), "{debug}");
    let event = parse(json!({"type": "claim.paid", "data": {"claim_id": "clm_1", "member_name": "Thandi Nkosi"}}));
    assert!(!format!("{event:?}").contains("Thandi"));
}
