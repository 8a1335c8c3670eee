//! The facade: one webhook entry point over every vendor, and one error model across vendors.

use std::time::Duration;

use carewire::core::webhook::{MemoryReplayGuard, sign_for_tests};
use carewire::docplanner::webhooks::{NotificationEvent, PushAuth};
use carewire::webhooks::{Vendor, WebhookEvent, WebhookReceiver};
use carewire::{Error, WebhookError};

const SLOT_BOOKING: &str = r#"{"name":"slot-booking","data":{"facility":{"id":"1","name":"Sample hospital"},"doctor":{"id":"123","name":"Sample","surname":"Doctor 123"},"address":{"id":"111","name":"Example hospital"},"visit_booking_request":{"booking_at":"2021-05-12T10:18:24+01:00","booking_by":"user","duration":30,"start_at":"2021-05-26T16:00:00+01:00","end_at":"2021-05-26T16:30:00+01:00","patient":{"name":"Jan","surname":"Kowalski","phone":48123123123}}},"created_at":"2021-05-12T10:18:34+01:00"}"#;

fn medtimes_receiver() -> WebhookReceiver {
    let webhooks = carewire::medtimes::Webhooks::new("whsec_new")
        .add_secret("whsec_old")
        .replay_guard(MemoryReplayGuard::new(100, Duration::from_secs(3600)));
    WebhookReceiver::new().medtimes(webhooks)
}

#[test]
fn medtimes_webhooks_are_verified_typed_and_replay_protected() {
    let receiver = medtimes_receiver();
    let body = br#"{"id":"evt_1","type":"claim.rejected","data":{"claim_id":"clm_1","reason_code":"R04","reason":"Member not found"}}"#;
    let sig = sign_for_tests("whsec_old", body);
    let event = receiver.receive(Vendor::Medtimes, [("MEDTIMES-SIGNATURE", sig.as_str())], body).unwrap();
    assert_eq!(event.vendor(), Vendor::Medtimes);
    assert_eq!(event.name(), "claim.rejected");
    let WebhookEvent::Medtimes(e) = &event else { panic!("{event:?}") };
    let carewire::medtimes::EventData::ClaimRejected(r) = &e.data else { panic!("{:?}", e.data) };
    assert_eq!(r.reason_code.as_deref(), Some("R04"));
    assert!(!format!("{event:?}").contains("Member not found"));

    // The same delivery again is a replay.
    let again = receiver.receive(Vendor::Medtimes, [("medtimes-signature", sig.as_str())], body).unwrap_err();
    assert_eq!(again, WebhookError::Replayed);
    // Tampered, unsigned, and signed with an unknown secret: refused with distinct errors.
    let tampered = receiver.receive(Vendor::Medtimes, [("medtimes-signature", sig.as_str())], b"{}").unwrap_err();
    assert_eq!(tampered, WebhookError::SignatureMismatch);
    let unsigned = receiver.receive(Vendor::Medtimes, [("content-type", "application/json")], body).unwrap_err();
    assert_eq!(unsigned, WebhookError::MissingSignature);
    let other = sign_for_tests("whsec_attacker", b"{\"type\":\"x\"}");
    let wrong = receiver.receive(Vendor::Medtimes, [("medtimes-signature", other.as_str())], b"{\"type\":\"x\"}");
    assert_eq!(wrong.unwrap_err(), WebhookError::SignatureMismatch);
}

#[test]
fn unknown_medtimes_events_never_fail_parsing() {
    let receiver = medtimes_receiver();
    let body = br#"{"event":"consult.rescheduled","data":{"consult_id":"cns_1"}}"#;
    let sig = sign_for_tests("whsec_new", body);
    let event = receiver.receive(Vendor::Medtimes, [("medtimes-signature", sig.as_str())], body).unwrap();
    let WebhookEvent::Medtimes(e) = event else { panic!() };
    assert!(matches!(e.data, carewire::medtimes::EventData::Unknown(_)));
    assert_eq!(e.raw.json()["data"]["consult_id"], "cns_1");
}

#[test]
fn medtimes_without_secrets_is_refused() {
    let body = b"{}";
    let err = WebhookReceiver::new().receive(Vendor::Medtimes, [("medtimes-signature", "00")], body).unwrap_err();
    assert!(matches!(err, WebhookError::NotConfigured { vendor: "medtimes", .. }), "{err:?}");
}

#[test]
fn docplanner_pushes_parse_with_or_without_the_agreed_key() {
    let open = WebhookReceiver::new().allow_unauthenticated_docplanner();
    let event = open.receive(Vendor::Docplanner, [], SLOT_BOOKING.as_bytes()).unwrap();
    assert_eq!(event.name(), "slot-booking");
    let WebhookEvent::Docplanner(n) = &event else { panic!() };
    assert!(matches!(n.event, NotificationEvent::SlotBooking { .. }));
    assert!(!format!("{event:?}").contains("Kowalski"));

    let guarded = WebhookReceiver::new().docplanner_push_auth(PushAuth::new("x-api-key", "agreed-key"));
    assert!(guarded.receive(Vendor::Docplanner, [("X-Api-Key", "agreed-key")], SLOT_BOOKING.as_bytes()).is_ok());
    assert!(guarded.receive(Vendor::Docplanner, [("x-api-key", "guess")], SLOT_BOOKING.as_bytes()).is_err());
    assert!(guarded.receive(Vendor::Docplanner, [], SLOT_BOOKING.as_bytes()).is_err());

    let unknown = br#"{"name":"doctor-retired","data":{"doctor":{"id":"1"}},"created_at":"2030-01-01T00:00:00+01:00"}"#;
    let event = open.receive(Vendor::Docplanner, [], unknown).unwrap();
    let WebhookEvent::Docplanner(n) = event else { panic!() };
    assert!(matches!(n.event, NotificationEvent::Unknown));
    assert!(open.receive(Vendor::Docplanner, [], b"<html>").is_err());
}

#[test]
fn vendors_parse_from_route_segments() {
    assert_eq!("medtimes".parse::<Vendor>().unwrap(), Vendor::Medtimes);
    assert_eq!("Docplanner".parse::<Vendor>().unwrap(), Vendor::Docplanner);
    assert!("healthstack".parse::<Vendor>().is_err(), "Healthstack documents no webhooks");
    assert_eq!(Vendor::Docplanner.to_string(), "docplanner");
}

#[tokio::test]
async fn one_error_model_across_vendors() {
    use carewire::testkit::{docplanner, healthstack, medtimes};
    let m = medtimes::Sandbox::start();
    let h = healthstack::Sandbox::start();
    let d = docplanner::Sandbox::start();
    let mc = carewire::medtimes::Client::builder().api_key("sk_wrong").base_url(m.base_url()).build().unwrap();
    let hc = carewire::healthstack::Client::builder().secret_key("sk_wrong").base_url(h.base_url()).build().unwrap();
    let dc = carewire::docplanner::Client::builder().base_url(d.base_url()).credentials("id", "wrong").build().unwrap();
    let errors: Vec<Error> = vec![
        mc.prescriptions().get("rx_1").await.unwrap_err(),
        hc.medicards().list().await.unwrap_err(),
        dc.facilities().list().await.unwrap_err(),
    ];
    assert_eq!(errors[0].status(), Some(401));
    assert_eq!(errors[1].status(), Some(401));
    assert!(matches!(errors[2], Error::Auth(_)), "{:?}", errors[2]);
    for e in &errors {
        assert!(!e.is_retryable() || matches!(e, Error::Auth(_)), "{e:?}");
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("sk_wrong") && !shown.contains("wrong\""), "{shown}");
    }
}
