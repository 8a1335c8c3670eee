//! Webhook verification, replay protection and typed events.

use std::sync::Arc;
use std::time::Duration;

use carewire_core::webhook::{MemoryReplayGuard, ReplayGuard, WebhookError, sign_for_tests};
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
    let webhooks = Webhooks::new(NOTES_SECRET);
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

    // Without a guard, receive does not deduplicate.
    let plain = Webhooks::new(NOTES_SECRET);
    plain.receive(headers, NOTES_BODY).unwrap();
    plain.receive(headers, NOTES_BODY).unwrap();
}

fn parse(value: serde_json::Value) -> WebhookEvent {
    let from_bytes = WebhookEvent::parse(&serde_json::to_vec(&value).unwrap()).unwrap();
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
    assert_eq!(event.raw, raw);

    let event = parse(json!({"something": 1}));
    assert_eq!(event.event_type, "");
    assert!(matches!(event.data, EventData::Unknown(_)));

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
