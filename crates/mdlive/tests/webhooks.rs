//! Webhooks: every fixture event parses into its typed action and data (unverified: MDLIVE signs nothing),
//! bodies that are not events are refused, and the webhook URL registration (#70) goes out with the API
//! token, https only.

mod common;

use carewire_core::{Error, WebhookError};
use carewire_mdlive::webhooks::{self, Action, ConsultationStatus, EventData};
use carewire_testkit::conformance::exchange;
use carewire_testkit::{RecordedRequest, Reply, TestServer};
use common::*;
use serde_json::json;

fn event(name: &str) -> webhooks::Event {
    webhooks::parse(fixture(name).as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}")).assume_verified()
}

#[test]
fn every_documented_event_parses() {
    let cases = [
        ("webhook_message_provider_created.event.json", Action::MessageProviderCreated),
        ("webhook_consultation_provider_accepted.event.json", Action::ConsultationProviderAccepted),
        ("webhook_consultation_provider_ready.event.json", Action::ConsultationProviderReady),
        ("webhook_prescription_pharmacy_accepted.event.json", Action::PrescriptionPharmacyAccepted),
        ("webhook_consultation_provider_requested.event.json", Action::ConsultationProviderRequested),
        ("webhook_consultation_status_changed.event.json", Action::ConsultationStatusChanged),
    ];
    for (name, action) in cases {
        let e = event(name);
        assert_eq!(e.action, action, "{name}");
        assert!(!e.action.is_unknown());
        assert_eq!(e.token.as_deref(), Some("random-uuid"));
        assert_eq!(e.raw.json(), fixture_json(name), "the raw body is kept");
        assert!(!matches!(e.data, EventData::Other(_) | EventData::None), "{name}: {:?}", e.data);
    }
}

#[test]
fn message_events() {
    let EventData::Message(m) = event("webhook_message_provider_created.event.json").data else { panic!() };
    assert_eq!(m.id, "105");
    assert_eq!((m.from_id.as_deref(), m.to_id.as_deref()), (Some("3"), Some("4")));
    assert_eq!((m.unread_status, m.replied_to_message_id.as_deref()), (Some(true), Some("104")));
    assert_eq!(m.date_time.and_then(|d| d.parse()).map(|d| d.timestamp()), Some(1_516_674_793));
}

#[test]
fn appointment_events_read_both_start_formats() {
    let statuses = [
        ("webhook_consultation_provider_accepted.event.json", ConsultationStatus::Pending),
        ("webhook_consultation_provider_ready.event.json", ConsultationStatus::InProgress),
        ("webhook_consultation_status_changed.event.json", ConsultationStatus::Completed),
    ];
    for (name, status) in statuses {
        let EventData::Appointment(a) = event(name).data else { panic!("{name}") };
        assert_eq!((a.id.as_str(), a.patient_id.as_deref(), a.provider_id.as_deref()), ("43", Some("3"), Some("4")));
        assert_eq!(a.status, Some(status));
        assert_eq!(a.appointment_by.as_deref(), Some("video"));
        assert_eq!(a.start().map(|d| d.timestamp()), Some(1_565_204_400));
        // The human format alone reads the same instant.
        let human = a.start_date.as_ref().and_then(carewire_core::de::LenientDateTime::parse);
        assert_eq!(human.map(|d| d.timestamp()), Some(1_565_204_400));
    }
}

#[test]
fn prescription_and_availability_events() {
    let EventData::Prescription(p) = event("webhook_prescription_pharmacy_accepted.event.json").data else { panic!() };
    assert_eq!((p.id.as_str(), p.appointment_id.as_deref()), ("1", Some("43")));
    let EventData::Availability(a) = event("webhook_consultation_provider_requested.event.json").data else { panic!() };
    assert_eq!((a.id.as_str(), a.provider_id.as_deref()), ("43", Some("4")));
    assert_eq!(a.start_date.and_then(|d| d.parse()).map(|d| d.timestamp()), Some(1_542_296_625));
}

#[test]
fn unknown_actions_are_kept_and_debug_hides_the_token() {
    let body =
        json!({"event": {"token": "tok-secret", "action": "payment:card:declined", "data": {"payment": {"id": 5}}}});
    let delivery = webhooks::parse(body.to_string().as_bytes()).unwrap();
    assert!(format!("{delivery:?}").starts_with("Unverified"));
    let e = delivery.assume_verified();
    assert_eq!(e.name(), "payment:card:declined");
    let EventData::Other(other) = &e.data else { panic!("{:?}", e.data) };
    assert_eq!((other.key.as_str(), &other.value), ("payment", &json!({"id": 5})));
    assert!(!format!("{e:?}").contains("tok-secret"));
}

#[test]
fn bodies_that_are_not_events_are_invalid_payloads() {
    for body in [
        &b""[..],
        b"{}",
        b"null",
        b"<html><body>502</body></html>",
        br#"{"event": "x"}"#,
        br#"{"event": {"token": "t"}}"#,
    ] {
        assert!(
            matches!(webhooks::parse(body), Err(WebhookError::InvalidPayload { .. })),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
}

#[tokio::test]
async fn registering_the_webhook_url() {
    let ex = exchange(
        |base| client(base).webhooks().register("https://hooks.example.com/mdlive/8f3c"),
        200,
        br#"{"webhook": {"url": "https://hooks.example.com/mdlive/8f3c"}}"#,
    )
    .await;
    ex.assert_wire("POST", "/api/v1/webhook")
        .assert_header("authorization", API_AUTH)
        .assert_json_body(&json!({"webhook": {"url": "https://hooks.example.com/mdlive/8f3c"}}));
    assert_eq!(ex.output().url.as_deref(), Some("https://hooks.example.com/mdlive/8f3c"));
    // The doc's answer (its URL blanked) decodes; the request fixture has the same shape.
    let doc = exchange(
        |base| client(base).webhooks().register("https://h.example"),
        200,
        fixture("webhooks_create.response.json").as_bytes(),
    )
    .await;
    let shape = fixture_json("webhooks_create.request.json");
    assert_eq!(
        doc.request.json_value().unwrap()["webhook"].as_object().unwrap().keys().collect::<Vec<_>>(),
        shape["webhook"].as_object().unwrap().keys().collect::<Vec<_>>()
    );
    assert_eq!(doc.output().url.as_deref(), Some(""));
    // A session sends it with the API token too: it is the partner's, not the patient's.
    let through_session = exchange(
        |base| session(base).send(carewire_mdlive::RegisterWebhook::new("https://h.example")),
        200,
        br#"{"webhook": {}}"#,
    )
    .await;
    through_session.assert_header("authorization", API_AUTH);
}

#[tokio::test]
async fn only_https_webhook_urls_are_sent() {
    let server = TestServer::start(|_: &RecordedRequest| Reply::status(500));
    let c = client(&server.uri());
    for url in ["http://hooks.example.com/x", "", "not a url"] {
        let err = c.webhooks().register(url).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "webhook.url"), "{url}: {err:?}");
    }
    assert_eq!(server.received_total(), 0);
    let not_a_webhook = exchange(|base| client(base).webhooks().register("https://h.example"), 200, b"{}").await;
    assert!(matches!(not_a_webhook.output, Err(Error::Decode(_))));
}
