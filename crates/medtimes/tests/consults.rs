//! `POST /v1/consults/create` against wiremock.

mod common;

use carewire_core::Error;
use carewire_medtimes::{BillingMode, ConsultStatus, CreateConsult, SchemeDetails};
use common::{AUTH, client, fixture, fixture_json, form_bodies, json_client, pairs};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn doc_example() -> CreateConsult {
    CreateConsult::new("usr_8921a")
        .symptoms(["persistent cough", "fever"])
        .billing_mode(BillingMode::MedicalAid)
        .scheme_details(SchemeDetails::new("Discovery Health", "123456789"))
}

async fn mock(server: &MockServer, content_type: &str) {
    Mock::given(method("POST"))
        .and(path("/v1/consults/create"))
        .and(header("authorization", AUTH))
        .and(header("content-type", content_type))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("consults_create.response.json"), "application/json"),
        )
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn create_sends_a_bracket_form_and_decodes_the_doc_response() {
    let server = MockServer::start().await;
    mock(&server, "application/x-www-form-urlencoded").await;

    let consult = client(&server.uri()).consults().create(doc_example()).await.unwrap();

    let bodies = form_bodies(&server).await;
    assert_eq!(
        bodies[0],
        pairs(&[
            ("patient_id", "usr_8921a"),
            ("symptoms[0]", "persistent cough"),
            ("symptoms[1]", "fever"),
            ("billing_mode", "medical_aid"),
            ("scheme_details[name]", "Discovery Health"),
            ("scheme_details[number]", "123456789"),
        ])
    );
    assert_eq!(consult.id, "cns_4492193");
    assert_eq!(consult.object.as_deref(), Some("consult"));
    assert_eq!(consult.status, Some(ConsultStatus::WaitingForDoctor));
    assert_eq!(consult.join_url.as_deref(), Some("https://meet.medtimes.health/cns_4492193"));
    assert_eq!(consult.expires_at.unwrap().to_rfc3339(), "2025-02-20T18:19:11+00:00");
    assert!(consult.extra.is_empty());
    // Debug hides the room URL.
    assert!(!format!("{consult:?}").contains("meet.medtimes"));
}

#[tokio::test]
async fn json_mode_sends_the_doc_example_as_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/consults/create"))
        .and(header("authorization", AUTH))
        .and(header("content-type", "application/json"))
        .and(body_json(fixture_json("requests/consults_create.request.json")))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("consults_create.response.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let consult = json_client(&server.uri()).consults().create(doc_example()).await.unwrap();
    assert_eq!(consult.id, "cns_4492193");
}

#[tokio::test]
async fn base_url_ending_in_v1_is_not_doubled() {
    for suffix in ["/v1/", "/v1", "", "/"] {
        let server = MockServer::start().await;
        mock(&server, "application/x-www-form-urlencoded").await;
        client(&format!("{}{suffix}", server.uri())).consults().create(CreateConsult::new("usr_1")).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests[0].url.path(), "/v1/consults/create", "{suffix}");
    }
}

#[tokio::test]
async fn minimal_consult_omits_unset_fields_and_sends_extras() {
    let server = MockServer::start().await;
    mock(&server, "application/x-www-form-urlencoded").await;
    client(&server.uri())
        .consults()
        .create(CreateConsult::new("usr_1").extra("metadata", serde_json::json!({"order": "42"})))
        .await
        .unwrap();
    assert_eq!(form_bodies(&server).await[0], pairs(&[("patient_id", "usr_1"), ("metadata[order]", "42")]));
}

#[tokio::test]
async fn invalid_consults_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let cases = [
        (CreateConsult::new(" "), "patient_id"),
        (CreateConsult::new("usr_1").symptoms(["fever", ""]), "symptoms[1]"),
        (CreateConsult::new("usr_1").scheme_details(SchemeDetails::new("Discovery", "")), "scheme_details.number"),
    ];
    for (params, expected) in cases {
        match client.consults().create(params).await {
            Err(Error::InvalidRequest { field, .. }) => assert_eq!(field, expected),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn billing_mode_is_open() {
    assert_eq!(BillingMode::from("partner_covered"), BillingMode::PartnerCovered);
    assert_eq!(BillingMode::from("crypto").as_str(), "crypto");
    let status: ConsultStatus = serde_json::from_str("\"in_progress\"").unwrap();
    assert_eq!(status, ConsultStatus::Unknown("in_progress".into()));
    // Debug of a request never shows patient data.
    let debug = format!("{:?}", doc_example());
    for secret in ["usr_8921a", "persistent cough", "123456789"] {
        assert!(!debug.contains(secret), "{debug}");
    }
}
