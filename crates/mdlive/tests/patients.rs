//! Patients: get and update the profile, through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::money::Decimal;
use carewire_mdlive::{Gender, PatientUpdate};
use carewire_testkit::conformance::exchange;
use chrono::NaiveDate;
use common::*;

#[tokio::test]
async fn get_wire_and_decode() {
    let ex =
        exchange(|base| session(base).profile().get(), 200, fixture("patients_get.response.json").as_bytes()).await;
    ex.assert_wire("GET", "/api/v2/patients/52").assert_header("authorization", USER_AUTH).assert_no_body();
    let p = ex.output();
    assert_eq!(p.id, "42");
    assert_eq!((p.first_name.as_deref(), p.last_name.as_deref()), (Some("John"), Some("Doe")));
    assert_eq!(p.email, None, "a blank email is no email");
    assert_eq!((p.gender.as_deref(), p.age), (Some("Male"), Some(32)));
    assert_eq!(
        p.birthdate.as_ref().and_then(carewire_core::de::LenientDateTime::parse_date),
        NaiveDate::from_ymd_opt(1985, 9, 15)
    );
    assert_eq!((p.address2.as_ref(), p.cell.as_ref(), p.language_id.as_ref()), (None, None, None));
    assert_eq!((p.state_id.as_deref(), p.zip.as_deref()), (Some("10"), Some("33324")));
    assert_eq!(p.unpaid_balance, Some(Decimal::new(0, 0)));
    assert_eq!(p.provider_types, vec!["Family Physician".to_owned()]);
    let status = p.user_status.as_ref().unwrap();
    assert_eq!(status.name.as_deref(), Some("Active"));
    let changed = status.updated_at.as_ref().and_then(carewire_core::de::LenientDateTime::parse).unwrap();
    assert_eq!(changed.to_rfc3339(), "2017-12-15T08:27:33-05:00");
    let affiliation = p.affiliation.as_ref().unwrap();
    assert_eq!((affiliation.id.as_deref(), affiliation.name.as_deref()), (Some("96"), Some("DTC")));
    assert_eq!(affiliation.request_appointment_enabled, Some(true));
    assert!(affiliation.extra.contains_key("informed_consent_question"));
    assert_eq!(p.state.as_ref().unwrap().name.as_deref(), Some("FLORIDA"));
    let pharmacy = p.pharmacy.as_ref().unwrap();
    assert_eq!((pharmacy.id.as_str(), pharmacy.latitude), ("1", Some(26.1935)));
    assert_eq!(p.family_members.len(), 1);
    assert_eq!(p.family_members[0].id, "3");
    assert_eq!(p.family_members[0].is_active, Some(true));
    assert!(p.extra.contains_key("upcoming_appointments") && p.extra.contains_key("completed_appointments"));
    let debug = format!("{p:?}");
    for private in ["John", "Doe", "1985", "7866665555", "33324", "Sunrise", "COMMERCIAL"] {
        assert!(!debug.contains(private), "{private} in {debug}");
    }
}

#[tokio::test]
async fn update_wire_and_decode() {
    let ex = exchange(
        |base| session(base).profile().update(PatientUpdate::new().first_name("Test").last_name("Patient")),
        200,
        fixture("patients_update.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("PATCH", "/api/v2/patients/52")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("patients_update.request.json"));
    let p = ex.output();
    assert_eq!(p.id, "42");
    assert_eq!(p.fullname.as_deref(), Some("Test Patient"));
    assert!(
        !p.extra.contains_key("completed_appointments"),
        "the documented answer is cut after upcoming appointments"
    );
}

#[tokio::test]
async fn update_sends_every_field_in_mdlive_s_shapes() {
    let update = PatientUpdate::new()
        .gender(Gender::Female)
        .birthdate(NaiveDate::from_ymd_opt(1985, 9, 5).unwrap())
        .phone("7866665555")
        .cell("")
        .emergency_contact_number("555-555-5555")
        .email("test@example.com")
        .address1("1 ST NW 1")
        .address2("")
        .city("Sunrise")
        .state_id(10)
        .zip("33324")
        .pharmacy_id("1");
    let ex = exchange(
        |base| session(base).profile().update(update),
        200,
        fixture("patients_update.response.json").as_bytes(),
    )
    .await;
    ex.assert_json_body(&serde_json::json!({"patient": {
        "gender": "F", "birthdate": "1985-09-05", "phone": "7866665555", "cell": "",
        "emergency_contact_number": "555-555-5555", "email": "test@example.com", "address1": "1 ST NW 1",
        "address2": "", "city": "Sunrise", "state_id": 10, "zip": "33324", "pharmacy_id": 1
    }}));
    ex.output();
}

#[tokio::test]
async fn a_2xx_without_the_wrapper_is_an_error() {
    for body in
        [&br#"{"id": 42, "fullname": "John Doe"}"#[..], b"{}", b"", b"<html></html>", br#"{"patient_profile": {}}"#]
    {
        let ex = exchange(|base| session(base).profile().get(), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
    let ex = exchange(
        |base| session(base).profile().update(PatientUpdate::new().city("Miami")),
        200,
        br#"{"patient": {"id": 42}}"#,
    )
    .await;
    assert!(matches!(ex.output, Err(Error::Decode(_))));
}

#[tokio::test]
async fn invalid_updates_are_refused_before_sending() {
    let server = silent_server();
    let s = session(&server.uri());
    let err = s.profile().update(PatientUpdate::new()).await.unwrap_err();
    assert_invalid(&err, "patient");
    let err = s.profile().update(PatientUpdate::new().email("john.example.com")).await.unwrap_err();
    assert_invalid(&err, "patient.email");
    let err = s.profile().update(PatientUpdate::new().first_name(" ")).await.unwrap_err();
    assert_invalid(&err, "patient.first_name");
    let err = s.profile().update(PatientUpdate::new().pharmacy_id("CVS-1")).await.unwrap_err();
    assert_invalid(&err, "patient.pharmacy_id");
    let err = s.profile().update(PatientUpdate::new().state_id(0)).await.unwrap_err();
    assert_invalid(&err, "patient.state_id");
    assert_eq!(server.received_total(), 0);
    assert!(!format!("{:?}", PatientUpdate::new().email("john@example.com")).contains("john"));
}

/// A server for calls that must be refused before sending: it should see no request.
fn silent_server() -> carewire_testkit::TestServer {
    carewire_testkit::TestServer::start(|_req: &carewire_testkit::RecordedRequest| carewire_testkit::Reply::status(500))
}

/// Asserts `err` is the refusal of an invalid parameter naming `field`.
#[track_caller]
fn assert_invalid(err: &Error, field: &str) {
    assert!(matches!(err, Error::InvalidRequest { field: f, .. } if f == field), "expected `{field}`: {err:?}");
}
