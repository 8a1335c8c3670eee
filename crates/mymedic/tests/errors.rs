//! Error answers: the guide's `SLOT_UNAVAILABLE` fixture, scope errors naming what the operation needs,
//! unknown codes, bodies that are not MyMedic's, and what is retried.

mod common;

use carewire_core::{Error, VendorError};
use carewire_mymedic::{
    AppointmentStatus, CreateAppointment, ErrorCode, ListHealthPrograms, MyMedicError, Participant, Slot,
    UpdateAppointmentStatus,
};
use std::collections::HashSet;

use carewire_testkit::conformance::exchange;
use carewire_testkit::{RecordedRequest, Reply, TestServer};
use common::{client, fixture};

fn booking() -> CreateAppointment {
    CreateAppointment::new("prg_001", Participant::new().name("Asha Rao"), Slot::new("2025-04-08", "10:00"))
}

#[tokio::test]
async fn slot_unavailable_is_typed_with_its_details() {
    let body = fixture("error.slot_unavailable.json");
    let ex = exchange(|base| client(base).appointments().create(booking()), 409, body.as_bytes()).await;
    assert_eq!(ex.attempts, 1, "a conflict is not retried");
    let err = ex.output.unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert_eq!(err.api().unwrap().code(), Some("SLOT_UNAVAILABLE"));
    let text = format!("{err} {err:?}");
    assert!(text.contains("SLOT_UNAVAILABLE") && text.contains("POST /api/v1/appointments"), "{text}");
    assert!(!text.contains("no longer available") && !text.contains("Already booked"), "{text}");

    let typed = MyMedicError::from_error(&err).unwrap();
    assert_eq!(typed, err.vendor_error::<MyMedicError>().unwrap());
    assert_eq!((typed.status, typed.code.clone()), (409, Some(ErrorCode::SlotUnavailable)));
    assert_eq!(typed.message.as_deref(), Some("Selected appointment slot is no longer available"));
    assert_eq!((typed.operation, typed.required_scope), (Some("appointments.create"), Some("appointments.write")));
    match typed.slot_unavailable() {
        Some(carewire_mymedic::SlotUnavailable { slot: Some(slot), reason: Some(reason), .. }) => {
            assert_eq!((slot.as_str(), reason.as_str()), ("2025-04-08T10:00:00Z", "Already booked"));
        }
        other => panic!("{other:?}"),
    }
    assert!(typed.scope_error().is_none());
    assert_eq!(typed.to_string(), "mymedic HTTP 409 SLOT_UNAVAILABLE");
    assert!(!format!("{typed:?}").contains("Already booked"));
}

#[tokio::test]
async fn a_403_naming_a_missing_scope_says_which_scope_the_operation_needs() {
    let body = br#"{"error": {"code": "INSUFFICIENT_SCOPE", "message": "Token lacks a scope"}}"#;
    let ex = exchange(|base| client(base).appointments().create(booking()), 403, body).await;
    let typed = MyMedicError::from_error(&ex.output.unwrap_err()).unwrap();
    let scope = typed.scope_error().unwrap();
    assert_eq!((scope.operation, scope.scope()), (Some("appointments.create"), Some("appointments.write")));
    assert_eq!(
        typed.to_string(),
        "mymedic HTTP 403 INSUFFICIENT_SCOPE: appointments.create needs the OAuth2 scope `appointments.write`; \
         request it with `ClientBuilder::scopes` (or MYMEDIC_SCOPES)"
    );

    // A gateway's OAuth2-style body, on a read.
    let gateway = br#"{"error": "insufficient_scope", "error_description": "scope programs.read required"}"#;
    let ex = exchange(|base| client(base).programs().list(ListHealthPrograms::new()), 403, gateway).await;
    let typed = MyMedicError::from_error(&ex.output.unwrap_err()).unwrap();
    assert_eq!(typed.code, Some(ErrorCode::InsufficientScope));
    assert_eq!(typed.scope_error().unwrap().scope(), Some("programs.read"));

    // The answer's own scope wins; a status update needs the write scope.
    let named = br#"{"error": {"code": "FORBIDDEN", "details": {"required_scope": "appointments.manage"}}}"#;
    let update = UpdateAppointmentStatus::new("apt_1", AppointmentStatus::Completed);
    let ex = exchange(|base| client(base).appointments().update_status(update), 403, named).await;
    let typed = MyMedicError::from_error(&ex.output.unwrap_err()).unwrap();
    assert_eq!(typed.required_scope, Some("appointments.write"));
    assert_eq!(typed.scope_error().unwrap().scope(), Some("appointments.manage"));

    // A 403 about something else is not a scope error.
    let other = br#"{"error": {"code": "ACCOUNT_SUSPENDED", "message": "Suspended"}}"#;
    let ex = exchange(|base| client(base).programs().get("prg_1"), 403, other).await;
    let typed = MyMedicError::from_error(&ex.output.unwrap_err()).unwrap();
    assert_eq!((typed.code.clone(), typed.scope_error()), (Some(ErrorCode::Unknown("ACCOUNT_SUSPENDED".into())), None));
}

#[tokio::test]
async fn unknown_codes_foreign_bodies_and_what_is_retried() {
    let body = br#"{"error": {"code": "PROGRAM_FULL", "message": "Full", "details": {"capacity": 20}}}"#;
    let ex = exchange(|base| client(base).appointments().create(booking()), 422, body).await;
    let typed = MyMedicError::from_error(&ex.output.unwrap_err()).unwrap();
    assert_eq!(typed.code, Some(ErrorCode::Unknown("PROGRAM_FULL".into())));
    assert_eq!(typed.details.unwrap()["capacity"], 20);
    assert!(typed.code.as_ref().unwrap().is_unknown());

    // A proxy's HTML 502 maps without a code; a read and a keyed booking are retried, then give up.
    let html = b"<html><body>502 Bad Gateway</body></html>";
    let ex = exchange(|base| client(base).programs().get("prg_1"), 502, html).await;
    assert_eq!(ex.attempts, 3, "the default policy retries a safe call twice");
    let err = ex.output.unwrap_err();
    assert!(matches!(err, Error::Api(_)) && err.is_retryable());
    assert_eq!(MyMedicError::from_error(&err).unwrap().code, None);
    let server = TestServer::start(|_: &RecordedRequest| Reply::json(503, &serde_json::json!({})));
    let err = client(&server.uri()).appointments().create(booking()).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    let keys: HashSet<String> =
        server.requests().iter().map(|r| r.header("idempotency-key").unwrap().to_owned()).collect();
    assert_eq!((server.requests().len(), keys.len()), (3, 1), "a booking carries its key, so it is retried too");
    // A plain 409 or 400 is never retried.
    let server = TestServer::start(|_: &RecordedRequest| Reply::json(400, &serde_json::json!({})));
    assert!(client(&server.uri()).programs().get("prg_1").await.is_err());
    assert_eq!(server.requests().len(), 1);

    // Not a MyMedic API error: no typed view.
    assert!(MyMedicError::from_error(&Error::invalid_request("slot", "needs a date and a time")).is_none());
    let foreign = Error::Api(Box::new(carewire_core::ApiError::new("medtimes", 409)));
    assert!(foreign.vendor_error::<MyMedicError>().is_none());
    let plain = MyMedicError::from_api(&carewire_core::ApiError::new("mymedic", 500)).unwrap();
    assert_eq!((plain.operation, plain.to_string().as_str()), (None, "mymedic HTTP 500"));
}
