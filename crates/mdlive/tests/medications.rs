//! Medications: create, delete, delete by NDC, list and search, through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_mdlive::{NewMedication, SearchMedications};
use carewire_testkit::conformance::exchange;
use common::*;

fn ibuprofen() -> NewMedication {
    NewMedication::new("Ibuprofen PM 200 mg-25 mg capsule")
        .current(true)
        .dosage("1")
        .frequency("Once Daily")
        .ndc_id("00363061121")
}

#[tokio::test]
async fn create_wire_and_decode() {
    let ex = exchange(
        |base| session(base).medications().create(ibuprofen()),
        200,
        fixture("medications_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v2/patients/52/medications")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("medications_create.request.json"));
    assert_eq!(ex.attempts, 1);
    let m = ex.output();
    assert_eq!(m.id.as_deref(), Some("29"));
    assert_eq!(m.name.as_deref(), Some("Ibuprofen PM 200 mg-25 mg capsule"));
    assert_eq!((m.dosage.as_deref(), m.frequency.as_deref()), (Some("1"), Some("Once Daily")));
    assert_eq!((m.quantity, m.current), (Some(1), Some(true)));
    assert_eq!(m.source.as_deref(), Some("Self Reported"));
    assert_eq!(m.ndc_id.as_deref(), Some("00363061121"), "leading zeros kept");
    let debug = format!("{m:?}");
    assert!(!debug.contains("Ibuprofen") && !debug.contains("00363061121"), "{debug}");
}

#[tokio::test]
async fn create_without_the_record_id_is_an_error() {
    let ex = exchange(|base| session(base).medications().create(ibuprofen()), 200, br#"{"medication": {"name": "x"}}"#)
        .await;
    assert!(matches!(ex.output, Err(Error::Decode(_))));
}

#[tokio::test]
async fn delete_wire() {
    let ex = exchange(|base| session(base).medications().delete("29"), 204, b"").await;
    ex.assert_wire("DELETE", "/api/v1/patients/52/medications/29")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    ex.output();
}

#[tokio::test]
async fn delete_by_ndc_wire() {
    let ex = exchange(|base| session(base).medications().delete_by_ndc("00363061121"), 200, b"").await;
    ex.assert_wire("DELETE", "/api/v1/patients/52/medications/ndc/00363061121")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    ex.output();
}

#[tokio::test]
async fn list_wire_and_decode() {
    let ex =
        exchange(|base| session(base).medications().list(), 200, fixture("medications_list.response.json").as_bytes())
            .await;
    ex.assert_wire("GET", "/api/v1/patients/52/medications").assert_header("authorization", USER_AUTH).assert_no_body();
    let list = ex.output();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, None, "the documented list items carry no id");
    assert_eq!(list[0].ndc_id.as_deref(), Some("00363061121"));
    assert_eq!(list[0].source.as_deref(), Some("Self Reported"));
}

#[tokio::test]
async fn search_with_the_session_wire_and_decode() {
    let ex = exchange(
        |base| session(base).medications().search(SearchMedications::new("ibuprofen 50").limit(10)),
        200,
        fixture("medications_search.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v2/medications/search")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("medications_search.request.json"));
    let found = ex.output();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].id, "82465");
    assert_eq!(found[0].med_id.as_deref(), Some("82465"));
    assert_eq!(found[1].name.as_deref(), Some("ibuprofen 50 mg/1.25 mL oral drops,suspension"));
    // A search result feeds a new medication.
    let from_search = NewMedication::new(found[0].name.clone().unwrap()).med_id(found[0].med_id.clone().unwrap());
    assert!(from_search.validate().is_ok());
}

#[tokio::test]
async fn search_with_the_client_uses_the_api_token_and_is_retried() {
    let ex = exchange(
        |base| client(base).medications().search(SearchMedications::new("ibuprofen")),
        200,
        br#"{"medications": []}"#,
    )
    .await;
    ex.assert_wire("POST", "/api/v2/medications/search")
        .assert_header("authorization", API_AUTH)
        .assert_json_body(&serde_json::json!({"search": {"term": "ibuprofen"}}));
    assert!(ex.output().is_empty());
    // A search changes nothing: a 503 is retried.
    let server = carewire_testkit::TestServer::start({
        let calls = std::sync::atomic::AtomicUsize::new(0);
        move |_req: &carewire_testkit::RecordedRequest| {
            if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                carewire_testkit::Reply::status(503)
            } else {
                carewire_testkit::Reply::json(200, &serde_json::json!({"medications": []}))
            }
        }
    });
    client(&server.uri()).medications().search(SearchMedications::new("x")).await.unwrap();
    assert_eq!(server.received_total(), 2);
}

#[tokio::test]
async fn a_2xx_without_the_wrapper_is_an_error() {
    for body in [&br#"{"id": 29}"#[..], b"{}", b"", b"<html></html>"] {
        let ex = exchange(|base| session(base).medications().create(ibuprofen()), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
    let ex = exchange(|base| session(base).medications().list(), 200, br#"{"medication": []}"#).await;
    assert!(matches!(ex.output, Err(Error::Decode(_))));
    let ex = exchange(
        |base| client(base).medications().search(SearchMedications::new("x")),
        200,
        br#"{"medications": [{}]}"#,
    )
    .await;
    assert!(matches!(ex.output, Err(Error::Decode(_))), "a result without an id");
}

#[tokio::test]
async fn invalid_medications_are_refused_before_sending() {
    let server = silent_server();
    let s = session(&server.uri());
    let err = s.medications().create(NewMedication::new(" ")).await.unwrap_err();
    assert_invalid(&err, "medication.name");
    let err = s.medications().create(NewMedication::new("x").ndc_id("0036-306-1121")).await.unwrap_err();
    assert_invalid(&err, "medication.ndc_id");
    let err = s.medications().delete_by_ndc("ndc/1").await.unwrap_err();
    assert_invalid(&err, "ndc_id");
    let err = s.medications().search(SearchMedications::new("ibu").limit(51)).await.unwrap_err();
    assert_invalid(&err, "search.limit");
    let err = s.medications().search(SearchMedications::new("")).await.unwrap_err();
    assert_invalid(&err, "search.term");
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
