//! `POST /v1/events/batch` against wiremock.

mod common;

use carewire_core::Error;
use carewire_medtimes::{BatchScreening, ScreeningPatient, ScreeningStatus};
use common::{AUTH, client, fixture, form_bodies, json_client, pairs};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn batch() -> BatchScreening {
    BatchScreening::new(
        "Standard Bank HQ Screening",
        [ScreeningPatient::new("ID1").name("A B").scheme_number("S1"), ScreeningPatient::new("ID2")],
    )
}

async fn mock(server: &MockServer, content_type: &str) {
    Mock::given(method("POST"))
        .and(path("/v1/events/batch"))
        .and(header("authorization", AUTH))
        .and(header("content-type", content_type))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("events_batch.response.json"), "application/json"),
        )
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn batch_sends_patients_as_indexed_objects_and_decodes_the_doc_response() {
    let server = MockServer::start().await;
    mock(&server, "application/x-www-form-urlencoded").await;

    let result = client(&server.uri()).events().batch(batch()).await.unwrap();

    assert_eq!(
        form_bodies(&server).await[0],
        pairs(&[
            ("event_name", "Standard Bank HQ Screening"),
            ("patients[0][id_number]", "ID1"),
            ("patients[0][name]", "A B"),
            ("patients[0][scheme_number]", "S1"),
            ("patients[1][id_number]", "ID2"),
        ])
    );
    assert_eq!(result.id, "evt_909112");
    assert_eq!(result.status, Some(ScreeningStatus::Processed));
    let summary = result.summary.unwrap();
    assert_eq!(summary.total_received, Some(500));
    assert_eq!(summary.validated, Some(485));
    assert_eq!(summary.scheme_suspended, Some(15));
    // The doc's placeholder URL is kept as a string (M11).
    assert_eq!(result.validation_report_url.as_deref(), Some("https://..."));
}

#[tokio::test]
async fn json_mode_sends_nested_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/events/batch"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "event_name": "Standard Bank HQ Screening",
            "patients": [{"id_number": "ID1", "name": "A B", "scheme_number": "S1"}, {"id_number": "ID2"}],
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("events_batch.response.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    json_client(&server.uri()).events().batch(batch()).await.unwrap();
}

#[tokio::test]
async fn invalid_batches_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let cases = [
        (BatchScreening::new("", [ScreeningPatient::new("ID1")]), "event_name"),
        (BatchScreening::new("Day", []), "patients"),
        (
            BatchScreening::new("Day", [ScreeningPatient::new("ID1"), ScreeningPatient::new("")]),
            "patients[1].id_number",
        ),
        (BatchScreening::new("Day", [ScreeningPatient::new("ID1").name(" ")]), "patients[0].name"),
    ];
    for (params, expected) in cases {
        match client.events().batch(params).await {
            Err(Error::InvalidRequest { field, .. }) => assert_eq!(field, expected),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    let debug = format!("{:?}", batch());
    assert!(!debug.contains("ID1") && !debug.contains("A B"), "{debug}");
}
