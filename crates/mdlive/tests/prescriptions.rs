//! Prescriptions: get one, through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_mdlive::GetPrescription;
use carewire_testkit::conformance::exchange;
use common::*;

#[tokio::test]
async fn get_wire_and_decode() {
    let ex = exchange(
        |base| session(base).prescriptions().get("1"),
        200,
        fixture("prescriptions_get.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v1/patients/52/prescriptions/1")
        .assert_header("authorization", USER_AUTH)
        .assert_query(&[])
        .assert_no_body();
    let rx = ex.output();
    assert_eq!(rx.id, "1");
    assert_eq!((rx.patient_id.as_deref(), rx.provider_id.as_deref()), (Some("3"), Some("4")));
    assert_eq!((rx.pharmacy_id.as_deref(), rx.appointment_id.as_deref()), (Some("94877"), Some("43")));
    assert_eq!(rx.medication_name.as_deref(), Some("Ibuprofen IB 200 mg tablet"));
    assert_eq!(rx.pharmacy_name.as_deref(), Some("CVS 17070 IN TARGET"));
    assert_eq!(
        rx.prescribed_at.as_ref().and_then(carewire_core::de::LenientDateTime::parse).unwrap().to_rfc3339(),
        "2018-06-23T02:33:13+00:00"
    );
    let debug = format!("{rx:?}");
    assert!(debug.contains("94877") && !debug.contains("Ibuprofen") && !debug.contains("Isle"), "{debug}");
}

#[tokio::test]
async fn ids_are_one_encoded_segment() {
    let ex = exchange(
        |base| session(base).send(GetPrescription::new("52", "1/2?x")),
        200,
        br#"{"prescription": {"id": "1/2?x"}}"#,
    )
    .await;
    ex.assert_wire("GET", "/api/v1/patients/52/prescriptions/1%2F2%3Fx");
    assert_eq!(ex.output().id, "1/2?x");
}

#[tokio::test]
async fn a_2xx_without_the_wrapper_is_an_error() {
    for body in
        [&br#"{"id": 1}"#[..], b"{}", b"", b"<html></html>", br#"{"prescription": null}"#, br#"{"prescription": {}}"#]
    {
        let ex = exchange(|base| session(base).prescriptions().get("1"), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn an_empty_id_is_refused_before_sending() {
    let server = silent_server();
    let err = session(&server.uri()).prescriptions().get(" ").await.unwrap_err();
    assert_invalid(&err, "prescription_id");
    assert_eq!(server.received_total(), 0);
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
