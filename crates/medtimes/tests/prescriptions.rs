//! `GET /v1/prescriptions/{id}` against wiremock.

mod common;

use carewire_core::Error;
use carewire_medtimes::PrescriptionStatus;
use common::{AUTH, client, fixture};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn retrieve_gets_the_prescription_and_decodes_the_doc_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/prescriptions/scr_881920"))
        .and(header("authorization", AUTH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("prescriptions_retrieve.response.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let rx = client(&server.uri()).prescriptions().get("scr_881920").await.unwrap();

    let request = &server.received_requests().await.unwrap()[0];
    assert!(request.headers.get("content-type").is_none());
    assert!(request.body.is_empty());
    assert_eq!(rx.id, "scr_881920");
    assert_eq!(rx.consult_id.as_deref(), Some("cns_4492193"));
    assert_eq!(rx.doctor.as_deref(), Some("Dr Medstar (MP 000000)"));
    assert_eq!(rx.medication.len(), 1);
    assert_eq!(rx.medication[0].name.as_deref(), Some("Amoxicillin 500mg"));
    assert_eq!(rx.medication[0].dosage.as_deref(), Some("1 cap TDS for 5 days"));
    assert_eq!(rx.status, Some(PrescriptionStatus::Dispatched));
    assert_eq!(rx.pharmacy.as_deref(), Some("Clicks Sandton"));
    assert_eq!(rx.collection_token.as_deref(), Some("MED-A92B"));
    let debug = format!("{rx:?}");
    assert!(!debug.contains("MED-A92B") && !debug.contains("Amoxicillin"), "{debug}");
}

#[tokio::test]
async fn ids_are_one_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/prescriptions/scr%2F1%3Fx"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"id":"scr/1?x","status":"collected"}"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let rx = client(&server.uri()).prescriptions().get("scr/1?x").await.unwrap();
    assert_eq!(rx.status, Some(PrescriptionStatus::Unknown("collected".into())));
    assert!(rx.medication.is_empty());
}

#[tokio::test]
async fn empty_id_is_rejected_before_sending() {
    let server = MockServer::start().await;
    let err = client(&server.uri()).prescriptions().get("  ").await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == "id"), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
