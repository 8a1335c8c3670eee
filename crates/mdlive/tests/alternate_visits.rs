//! Alternate visit options, with the API token or a patient's, through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Operation, Scope};
use carewire_mdlive::ListAlternateVisitOptions;
use carewire_testkit::conformance::exchange;
use common::*;

#[tokio::test]
async fn list_with_the_api_token() {
    let ex = exchange(
        |base| client(base).alternate_visits().list(),
        200,
        fixture("alternate_visit_options_list.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v2/support/alternate_visit_options")
        .assert_header("authorization", API_AUTH)
        .assert_query(&[])
        .assert_no_body();
    let options = ex.output();
    assert_eq!(options.alternate_visit_question.as_deref(), Some("Where would you have gone?"));
    assert_eq!(
        options.alternate_visit_options,
        vec!["Emergency Room", "Urgent Care", "Primary Care Physician", "Delay Seeking Care"]
    );
}

#[tokio::test]
async fn list_with_the_patient_token() {
    let ex = exchange(
        |base| session(base).alternate_visits().list(),
        200,
        fixture("alternate_visit_options_list.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v2/support/alternate_visit_options").assert_header("authorization", USER_AUTH);
    assert_eq!(ex.output().alternate_visit_options.len(), 4);
    assert_eq!(ListAlternateVisitOptions::SPEC.scope, Scope::SubjectOrClient);
}

#[tokio::test]
async fn an_answer_without_the_options_is_an_error() {
    for body in [&br"{}"[..], br#"{"alternate_visit_question": "Where?"}"#, br#"["Urgent Care"]"#, b"<html>"] {
        let ex = exchange(|base| client(base).send(ListAlternateVisitOptions::new()), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}
