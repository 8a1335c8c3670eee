//! A booking is never made twice: the idempotency key generated for a `CreateAppointment` (or set on it)
//! is sent unchanged on every attempt, through 503s, a dropped connection and an answer lost to a timeout,
//! and when the same booking is sent again.

mod common;

use std::time::Duration;

use carewire_mymedic::{Client, CreateAppointment, ErrorCode, MyMedicError, Participant, Slot};
use carewire_testkit::Fault;
use carewire_testkit::mymedic::Sandbox;
use common::{fast_retry, oauth};

const PATH: &str = "/api/v1/appointments";

fn booking() -> CreateAppointment {
    CreateAppointment::new("prg_002", Participant::new().medical_id("MED-1001"), Slot::new("2025-04-08", "10:00"))
}

fn keys(sandbox: &Sandbox) -> Vec<String> {
    sandbox
        .server()
        .requests()
        .iter()
        .filter(|r| r.path == PATH)
        .map(|r| r.header("idempotency-key").unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn booked_once_despite_503s() {
    let sandbox = Sandbox::start();
    sandbox.server().inject(Fault::status(503).times(2).on("POST", PATH));
    let op = booking();
    let appointment = oauth(&sandbox).build().unwrap().appointments().create(op.clone()).await.unwrap();
    assert!(appointment.id.is_some());
    assert_eq!(keys(&sandbox), [op.idempotency_key_ref(); 3]);
    assert_eq!(sandbox.appointment_count(), 1);
}

#[tokio::test]
async fn booked_once_when_the_connection_drops() {
    let sandbox = Sandbox::start();
    sandbox.server().inject(Fault::drop_connection().on("POST", PATH));
    oauth(&sandbox).build().unwrap().appointments().create(booking()).await.unwrap();
    let keys = keys(&sandbox);
    assert_eq!((keys.len(), &keys[0]), (2, &keys[1]));
    assert_eq!(sandbox.appointment_count(), 1);
}

#[tokio::test]
async fn booked_once_when_the_answer_is_lost() {
    // The first attempt is processed after the client gave up waiting; the retry carries the same key, so
    // the sandbox answers it with the stored booking instead of a second one (or a SLOT_UNAVAILABLE).
    let sandbox = Sandbox::start();
    sandbox.server().inject(Fault::delay(Duration::from_secs(1)).on("POST", PATH));
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .access_token(Sandbox::ACCESS_TOKEN)
        .request_timeout(Duration::from_millis(300))
        .retry(fast_retry())
        .build()
        .unwrap();
    let appointment = client.appointments().create(booking()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await; // let the delayed first attempt be processed
    let keys = keys(&sandbox);
    assert_eq!((keys.len(), &keys[0]), (2, &keys[1]));
    assert_eq!(sandbox.appointment_count(), 1);
    assert_eq!(sandbox.appointments()[0]["id"].as_str(), appointment.id.as_deref());
}

#[tokio::test]
async fn the_same_booking_sent_again_is_the_same_appointment() {
    let sandbox = Sandbox::start();
    let client = oauth(&sandbox).build().unwrap();
    let op = booking().idempotency_key("booking-MED-1001-2025-04-08T10:00");
    let first = client.appointments().create(op.clone()).await.unwrap();
    let second = client.appointments().create(op.clone()).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(sandbox.appointment_count(), 1);
    // A fresh booking of the same slot has a fresh key: the slot is taken.
    let err = client.appointments().create(booking()).await.unwrap_err();
    assert_eq!(MyMedicError::from_error(&err).unwrap().code, Some(ErrorCode::SlotUnavailable));
    // The key reused for another booking is refused.
    let other = CreateAppointment::new("prg_001", Participant::new().name("Ravi"), Slot::new("2025-04-09", "09:00"))
        .idempotency_key("booking-MED-1001-2025-04-08T10:00");
    let err = client.appointments().create(other).await.unwrap_err();
    assert_eq!(MyMedicError::from_error(&err).unwrap().code, Some(ErrorCode::IdempotencyKeyReused));
    let generated: Vec<String> = keys(&sandbox);
    assert_ne!(generated[2], generated[0], "every new CreateAppointment generates its own key");
    assert_eq!(generated[2].len(), 36);
}
