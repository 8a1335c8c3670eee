//! Webhooks: the eight documented events and unknown ones parse into `Unverified` events, bodies that are
//! not events are refused, and the sandbox's deliveries are received end to end.

mod common;

use std::sync::{Arc, Mutex};

use carewire_core::WebhookError;
use carewire_mymedic::webhooks::{self, EventData, EventType, Unverified, WebhookEvent};
use carewire_mymedic::{AppointmentStatus, CreateAppointment, Participant, Slot, UpdateAppointmentStatus};
use carewire_testkit::mymedic::Sandbox;
use carewire_testkit::{RecordedRequest, Reply, TestServer};
use common::oauth;
use serde_json::json;

fn parse(value: &serde_json::Value) -> WebhookEvent {
    webhooks::parse(value.to_string().as_bytes()).unwrap().assume_verified()
}

#[test]
fn the_eight_events_parse_with_their_ids() {
    let appointment =
        json!({"appointmentId": "apt_1", "programId": "prg_1", "status": "scheduled", "slot": {"date": "d"}});
    for (name, kind) in [
        ("appointment.created", EventType::AppointmentCreated),
        ("appointment.updated", EventType::AppointmentUpdated),
        ("appointment.cancelled", EventType::AppointmentCancelled),
        ("appointment.completed", EventType::AppointmentCompleted),
    ] {
        let event = parse(&json!({"id": "evt_1", "event": name, "data": appointment}));
        assert_eq!((event.id.as_deref(), &event.event_type), (Some("evt_1"), &kind));
        let (EventData::AppointmentCreated(data)
        | EventData::AppointmentUpdated(data)
        | EventData::AppointmentCancelled(data)
        | EventData::AppointmentCompleted(data)) = &event.data
        else {
            panic!("{name}: {:?}", event.data)
        };
        assert_eq!((data.appointment_id.as_deref(), data.program_id.as_deref()), (Some("apt_1"), Some("prg_1")));
        assert_eq!(data.status, Some(AppointmentStatus::Scheduled));
        assert_eq!(data.extra["slot"], json!({"date": "d"}));
        assert_eq!(event.event_type.as_str(), name);
    }
    let created = parse(
        &json!({"type": "prescription.created", "data": {"prescriptionId": "rx_1", "appointmentId": "apt_1", "medication": "x"}}),
    );
    let EventData::PrescriptionCreated(rx) = &created.data else { panic!("{created:?}") };
    assert_eq!((rx.prescription_id.as_deref(), rx.appointment_id.as_deref()), (Some("rx_1"), Some("apt_1")));
    let updated = parse(&json!({"eventType": "prescription.updated", "prescription_id": 7, "status": "dispensed"}));
    let EventData::PrescriptionUpdated(rx) = &updated.data else { panic!("{updated:?}") };
    assert_eq!((rx.prescription_id.as_deref(), &rx.extra["status"]), (Some("7"), &json!("dispensed")));
    let followup = parse(
        &json!({"event": "followup.scheduled", "payload": {"followupId": "fu_1", "appointmentId": "apt_1", "date": "2025-04-22"}}),
    );
    let EventData::FollowupScheduled(fu) = &followup.data else { panic!("{followup:?}") };
    assert_eq!((fu.followup_id.as_deref(), fu.date.as_deref()), (Some("fu_1"), Some("2025-04-22")));
    let record =
        parse(&json!({"event_type": "record.updated", "data": {"recordId": "rec_1", "medicalId": "MED-1001"}}));
    let EventData::RecordUpdated(rec) = &record.data else { panic!("{record:?}") };
    assert_eq!((rec.record_id.as_deref(), rec.medical_id.as_deref()), (Some("rec_1"), Some("MED-1001")));
    assert!(!format!("{record:?}").contains("MED-1001"), "the medical id is redacted");
    let canceled = parse(&json!({"event": "appointment.canceled", "data": {"id": "apt_2"}}));
    assert!(
        matches!(canceled.data, EventData::AppointmentCancelled(ref d) if d.appointment_id.as_deref() == Some("apt_2"))
    );
}

#[test]
fn unknown_events_keep_their_data_and_non_events_are_refused() {
    let body = json!({"event": "program.published", "data": {"programId": "prg_9", "name": "New"}});
    let event = parse(&body);
    assert_eq!(event.event_type, EventType::Unknown("program.published".into()));
    assert!(matches!(&event.data, EventData::Unknown(data) if data["programId"] == "prg_9"));
    assert_eq!(event.raw.json(), body);
    for bad in [
        &b""[..],
        b"{}",
        b"[]",
        b"<html><body>Bad gateway</body></html>",
        b"\xff\xfe",
        br#"{"data": {"appointmentId": "apt_1"}}"#,
        br#"{"event": "  "}"#,
        br#"{"event": 42}"#,
    ] {
        assert!(matches!(webhooks::parse(bad), Err(WebhookError::InvalidPayload { .. })), "{bad:?}");
    }
    let err = webhooks::parse(br#"{"event": "x", "data": {"name": "Asha Rao"#).unwrap_err();
    assert!(!err.to_string().contains("Asha"), "{err}");
    assert!(webhooks::from_value(json!("appointment.created")).is_err());
}

#[test]
fn the_missing_verification_is_visible() {
    let delivery: Unverified<WebhookEvent> = webhooks::parse(
        br#"{"event":"appointment.created","data":{"appointmentId":"apt_1","participant":{"name":"Asha Rao"}}}"#,
    )
    .unwrap();
    let debug = format!("{delivery:?}");
    assert!(debug.starts_with("Unverified(") && !debug.contains("Asha"), "{debug}");
    assert_eq!(delivery.peek().event_type, EventType::AppointmentCreated);
    let kind = delivery.map(|e| e.event_type).assume_verified();
    assert_eq!(kind, EventType::AppointmentCreated);
}

#[tokio::test]
async fn the_sandboxs_deliveries_are_received() {
    let sandbox = Sandbox::start();
    let client = oauth(&sandbox).build().unwrap();
    let received: Arc<Mutex<Vec<WebhookEvent>>> = Arc::default();
    let sink = received.clone();
    // A receiver that only accepts deliveries on its secret path, then trusts them.
    let hook = TestServer::start(move |req: &RecordedRequest| {
        if req.path != "/webhooks/mymedic/s3cr3t-path" {
            return Reply::status(404);
        }
        match webhooks::parse(&req.body) {
            Ok(delivery) => {
                sink.lock().unwrap().push(delivery.assume_verified());
                Reply::no_content()
            }
            Err(_) => Reply::status(400),
        }
    });
    let url = hook.url("/webhooks/mymedic/s3cr3t-path");
    let booking = CreateAppointment::new("prg_001", Participant::new().name("Asha"), Slot::new("2025-04-08", "10:00"));
    let appointment = client.appointments().create(booking).await.unwrap();
    let id = appointment.id.unwrap();
    client.appointments().update_status(UpdateAppointmentStatus::new(&id, AppointmentStatus::Completed)).await.unwrap();
    let rx = sandbox.issue_prescription(&id, "Triphala 500mg").unwrap();
    sandbox.update_prescription(rx["data"]["prescriptionId"].as_str().unwrap(), "dispensed").unwrap();
    sandbox.schedule_followup(&id, "2025-04-22").unwrap();
    let record = sandbox.add_medical_record("MED-1001", json!({"note": "stable"}));
    sandbox.update_record(&record).unwrap();
    for event in sandbox.events() {
        assert_eq!(sandbox.send_webhook_async(&url, &event).await.unwrap(), 204);
    }
    assert_eq!(sandbox.send_webhook_async(&hook.url("/guess"), &sandbox.events()[0]).await.unwrap(), 404);
    let received = received.lock().unwrap();
    let kinds: Vec<&str> = received.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "appointment.created",
            "appointment.completed",
            "prescription.created",
            "prescription.updated",
            "followup.scheduled",
            "record.updated"
        ]
    );
    assert!(received.iter().all(|e| e.id.as_deref().is_some_and(|i| i.starts_with("evt_"))));
    assert!(
        matches!(&received[1].data, EventData::AppointmentCompleted(d) if d.appointment_id.as_deref() == Some(id.as_str()))
    );
    assert!(matches!(&received[4].data, EventData::FollowupScheduled(f) if f.date.as_deref() == Some("2025-04-22")));
}
