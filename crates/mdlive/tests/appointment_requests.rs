//! Appointment requests: create, cancel and remind (all `POST`, although the doc's Ruby examples say
//! `:get`), through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Encodings, Operation};
use carewire_mdlive::{
    CancelAppointmentRequest, CreateAppointmentRequest, NewAppointmentRequest, PreferredTime, RemindAppointmentRequest,
    RequestedVisitMethod,
};
use carewire_testkit::conformance::exchange;
use chrono::NaiveDate;
use common::*;

fn sore_throat() -> NewAppointmentRequest {
    NewAppointmentRequest::new(
        "1",
        "Sore Throat",
        "888-632-2738",
        NaiveDate::from_ymd_opt(2018, 12, 20).unwrap(),
        RequestedVisitMethod::Phone,
        PreferredTime::Morning,
    )
    .chief_complaint_comments("Have been feeling symptoms for over 1 week now")
    .state_abbrev("FL")
}

#[tokio::test]
async fn create_wire_and_decode() {
    let ex = exchange(
        |base| session(base).appointment_requests().create(sore_throat()),
        200,
        fixture("appointment_requests_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v2/patients/52/appointment_requests")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("appointment_requests_create.request.json"));
    assert_eq!(ex.attempts, 1);
    let r = ex.output();
    assert_eq!(r.id, "13");
    assert_eq!((r.patient_id.as_deref(), r.provider_id.as_deref()), (Some("3"), Some("1")));
    assert_eq!(r.chief_complaint.as_deref(), Some("Sore Throat"));
    assert_eq!(r.contact_number.as_deref(), Some("888-632-2738"));
    let date = r.appointment_date.as_ref().unwrap();
    assert_eq!(date.raw(), "18-12-20", "the two-digit-year echo is kept as sent");
    assert_eq!(date.parse_date(), None, "and not guessed");
    assert_eq!(r.appointment_method, Some(RequestedVisitMethod::Phone));
    assert_eq!(r.preferred_time, Some(PreferredTime::Morning));
    assert_eq!(r.state_abbrev.as_deref(), Some("FL"));
    let debug = format!("{r:?}");
    assert!(!debug.contains("Sore Throat") && !debug.contains("888-632"), "{debug}");
}

#[tokio::test]
async fn create_without_the_wrapper_is_an_error() {
    for body in [&br"{}"[..], br#"{"message": "Request sent"}"#, br#"{"appointment_request": {"provider_id": 1}}"#] {
        let ex = exchange(|base| session(base).appointment_requests().create(sore_throat()), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[test]
fn create_is_validated_before_sending() {
    let date = NaiveDate::from_ymd_opt(2018, 12, 20).unwrap();
    let base = |provider: &str, complaint: &str, phone: &str, method| {
        NewAppointmentRequest::new(provider, complaint, phone, date, method, PreferredTime::Evening)
    };
    for (request, want) in [
        (base("", "x", "1", RequestedVisitMethod::Video), "appointment_request.provider_id"),
        (base("1", " ", "1", RequestedVisitMethod::Video), "appointment_request.chief_complaint"),
        (base("1", "x", "", RequestedVisitMethod::Video), "appointment_request.contact_number"),
        (base("1", "x", "1", RequestedVisitMethod::Unknown("chat".into())), "appointment_request.appointment_method"),
        (base("1", "x", "1", RequestedVisitMethod::Video).state_abbrev("Florida"), "appointment_request.state_abbrev"),
    ] {
        let err = CreateAppointmentRequest::new("52", request).request(&Encodings::default()).unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == want), "{want}: {err:?}");
    }
}

#[test]
fn preferred_times_are_sent_in_lower_case_and_read_in_any_case() {
    assert_eq!(PreferredTime::FirstAvailable.as_str(), "first available");
    assert_eq!(PreferredTime::from("First Available"), PreferredTime::FirstAvailable);
    assert_eq!(PreferredTime::from("Morning"), PreferredTime::Morning);
}

#[tokio::test]
async fn cancel_wire_and_decode() {
    let ex = exchange(
        |base| session(base).appointment_requests().cancel("13"),
        200,
        fixture("appointment_requests_cancel.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v2/patients/52/appointment_requests/13/cancel")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    assert_eq!(ex.output().message, "Your appointment request has been cancelled");
    const { assert!(CancelAppointmentRequest::SPEC.retry_safe, "cancelling twice changes nothing") };
}

#[tokio::test]
async fn remind_wire_and_decode() {
    let ex = exchange(
        |base| session(base).appointment_requests().remind("13"),
        200,
        fixture("appointment_requests_remind.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v2/patients/52/appointment_requests/13/remind")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    assert_eq!(ex.output().message, "The Provider was reminded about your appointment request");
    const { assert!(!RemindAppointmentRequest::SPEC.retry_safe, "each attempt may remind the provider again") };
}

#[tokio::test]
async fn cancel_and_remind_without_a_message_are_errors() {
    for body in [&b""[..], br"{}", br#"{"message": null}"#] {
        let ex = exchange(|base| session(base).appointment_requests().cancel("13"), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
        let ex = exchange(|base| session(base).appointment_requests().remind("13"), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn cancel_of_an_unknown_request_is_a_404() {
    let ex =
        exchange(|base| session(base).appointment_requests().cancel("999"), 404, br#"{"error": "Not found"}"#).await;
    assert_eq!(ex.output.unwrap_err().status(), Some(404));
}
