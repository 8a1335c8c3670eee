//! Surgeries: create, delete, list and the surgery names, through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_mdlive::{CreateSurgery, ListSurgeryNames, NewSurgery};
use carewire_testkit::conformance::exchange;
use common::*;

#[tokio::test]
async fn create_wire_and_decode() {
    let ex = exchange(
        |base| session(base).surgeries().create(NewSurgery::new("Hip Replacement").year(2015)),
        200,
        fixture("surgeries_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v2/patients/52/surgeries")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("surgeries_create.request.json"));
    assert_eq!(ex.attempts, 1);
    let surgery = ex.output();
    assert_eq!(surgery.id, "108");
    assert_eq!(surgery.name.as_deref(), Some("Hip Replacement"));
    assert_eq!(surgery.surgery_year, Some(2015));
    assert!(!format!("{surgery:?}").contains("Hip"), "names are clinical data");
}

#[tokio::test]
async fn create_with_an_unknown_year_sends_a_blank() {
    let ex = exchange(
        |base| session(base).send(CreateSurgery::new("52", NewSurgery::new("Appendectomy"))),
        201,
        br#"{"surgery": {"id": 9, "name": "Appendectomy", "surgery_year": ""}}"#,
    )
    .await;
    ex.assert_json_body(&serde_json::json!({"surgery": {"name": "Appendectomy", "surgery_year": ""}}));
    let surgery = ex.output();
    assert_eq!((surgery.id.as_str(), surgery.surgery_year), ("9", None));
}

#[tokio::test]
async fn delete_wire() {
    let ex = exchange(|base| session(base).surgeries().delete("108"), 204, b"").await;
    ex.assert_wire("DELETE", "/api/v1/patients/52/surgeries/108")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body()
        .assert_query(&[]);
    ex.output();
    // An undocumented body on a 200 is still success.
    let ex = exchange(|base| session(base).surgeries().delete("108"), 200, br#"{"message": "deleted"}"#).await;
    ex.output();
}

#[tokio::test]
async fn list_wire_and_decode() {
    let ex = exchange(|base| session(base).surgeries().list(), 200, fixture("surgeries_list.response.json").as_bytes())
        .await;
    ex.assert_wire("GET", "/api/v2/patients/52/surgeries").assert_header("authorization", USER_AUTH).assert_no_body();
    let surgeries = ex.output();
    assert_eq!(surgeries.len(), 2);
    assert_eq!((surgeries[0].id.as_str(), surgeries[0].surgery_year), ("7", Some(1985)));
    assert_eq!(surgeries[1].name.as_deref(), Some("Appendectomy"));
}

#[tokio::test]
async fn surgery_years_decode_from_numbers_strings_and_blanks() {
    let body = br#"{"surgeries": [{"id": "1", "surgery_year": "2013"}, {"id": 2, "surgery_year": null}, {"id": 3}]}"#;
    let ex = exchange(|base| session(base).surgeries().list(), 200, body).await;
    let years: Vec<Option<i64>> = ex.output().iter().map(|s| s.surgery_year).collect();
    assert_eq!(years, vec![Some(2013), None, None]);
}

#[tokio::test]
async fn names_with_the_session_use_the_patient_token() {
    let ex =
        exchange(|base| session(base).surgeries().names(), 200, fixture("surgery_names_list.response.json").as_bytes())
            .await;
    ex.assert_wire("GET", "/api/v2/surgery_names").assert_header("authorization", USER_AUTH);
    let names = ex.output();
    assert_eq!(names.len(), 14);
    assert_eq!(names[0].name, "Ankle");
    assert_eq!(names[8].name, "Hip replacement");
}

#[tokio::test]
async fn names_with_the_client_use_the_api_token() {
    let ex =
        exchange(|base| client(base).surgeries().names(), 200, fixture("surgery_names_list.response.json").as_bytes())
            .await;
    ex.assert_wire("GET", "/api/v2/surgery_names").assert_header("authorization", API_AUTH);
    assert_eq!(ex.output().len(), 14);
    let ex = exchange(|base| client(base).send(ListSurgeryNames), 200, br#"{"surgery_names": []}"#).await;
    assert!(ex.output().is_empty());
}

#[tokio::test]
async fn a_2xx_without_the_wrapper_is_an_error() {
    for body in [&br#"{"id": 108, "name": "Hip"}"#[..], b"{}", b"", b"<html>502</html>", br#"{"surgery": {}}"#] {
        let ex = exchange(|base| session(base).surgeries().create(NewSurgery::new("Hip")), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
    let ex = exchange(|base| session(base).surgeries().list(), 200, br#"{"surgery": []}"#).await;
    assert!(matches!(ex.output, Err(Error::Decode(_))));
    let ex = exchange(|base| client(base).surgeries().names(), 200, br#"[{"name": "Ankle"}]"#).await;
    assert!(matches!(ex.output, Err(Error::Decode(_))));
}

#[tokio::test]
async fn invalid_surgeries_are_refused_before_sending() {
    let server = silent_server();
    let s = session(&server.uri());
    let err = s.surgeries().create(NewSurgery::new(" ")).await.unwrap_err();
    assert_invalid(&err, "surgery.name");
    let err = s.surgeries().create(NewSurgery::new("Knee").year(85)).await.unwrap_err();
    assert_invalid(&err, "surgery.surgery_year");
    let err = s.surgeries().delete("").await.unwrap_err();
    assert_invalid(&err, "surgery_id");
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
