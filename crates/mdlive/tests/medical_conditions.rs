//! Medical conditions: create, delete, list, through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_mdlive::{ListMedicalConditions, NewMedicalCondition};
use carewire_testkit::conformance::exchange;
use common::*;

fn throat_pain() -> NewMedicalCondition {
    NewMedicalCondition::new("Throat Pain").source("Self Reported").concept_id("64").snomed("267102003").icd10("R07.0")
}

#[tokio::test]
async fn create_wire_and_decode() {
    let ex = exchange(
        |base| session(base).medical_conditions().create(throat_pain()),
        200,
        fixture("medical_conditions_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v1/patients/52/medical_conditions")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("medical_conditions_create.request.json"));
    assert_eq!(ex.attempts, 1);
    let created = ex.output();
    assert_eq!(created.patient_id.as_deref(), Some("111"));
    let c = &created.medical_condition;
    assert_eq!(c.id.as_deref(), Some("123"));
    assert_eq!(c.condition.as_deref(), Some("Throat Pain"));
    assert_eq!(c.source.as_deref(), Some("Self Reported"));
    assert_eq!((c.concept_id.as_deref(), c.snomed.as_deref()), (Some("64"), Some("267102003")));
    assert_eq!(c.icd10.as_deref(), Some("R07.0"));
    assert_eq!(c.active, Some(true));
    let reported = c.date_reported.as_ref().and_then(carewire_core::de::LenientDateTime::parse).unwrap();
    assert_eq!(reported.to_rfc3339(), "2017-11-13T15:47:40-05:00");
    let debug = format!("{created:?}");
    assert!(debug.contains("123") && !debug.contains("Throat") && !debug.contains("R07"), "{debug}");
}

#[tokio::test]
async fn create_without_the_condition_id_is_an_error() {
    let body = br#"{"patient_id": 111, "medical_condition": {"condition": "Throat Pain"}}"#;
    let ex = exchange(|base| session(base).medical_conditions().create(throat_pain()), 200, body).await;
    let err = ex.output.unwrap_err();
    assert!(matches!(&err, Error::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("id"), "{err}");
}

#[tokio::test]
async fn delete_wire() {
    let ex = exchange(|base| session(base).medical_conditions().delete("123"), 204, b"").await;
    ex.assert_wire("DELETE", "/api/v1/patients/52/medical_conditions/123")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    ex.output();
}

#[tokio::test]
async fn list_wire_and_decode() {
    let body = br#"{"medical_conditions": [
        {"patient_id": 111, "medical_condition": {"id": 123, "condition": "Anemia - Aplastic", "concept_id": "526",
         "snomed": 306058006, "icd10": "D61.9", "active": true}},
        {"patient_id": "111", "medical_condition": {"id": "124", "concept_id": null, "snomed": null, "active": false}}
    ]}"#;
    let ex = exchange(|base| session(base).medical_conditions().list(), 200, body).await;
    ex.assert_wire("GET", "/api/v1/patients/52/medical_conditions")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    let list = ex.output();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].medical_condition.snomed.as_deref(), Some("306058006"));
    assert_eq!(list[1].patient_id.as_deref(), Some("111"));
    assert_eq!((list[1].medical_condition.concept_id.as_ref(), list[1].medical_condition.active), (None, Some(false)));
}

#[tokio::test]
async fn the_documented_list_fragment_decodes() {
    // MDLIVE's example lost the second item's id and name in the scrape: it must still decode (loosely).
    let body = fixture("partial/medical_conditions_list.response.partial.json");
    let ex = exchange(|base| session(base).send(ListMedicalConditions::new("52")), 200, body.as_bytes()).await;
    let list = ex.output();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].medical_condition.id.as_deref(), Some("123"));
    assert_eq!(list[1].medical_condition.id, None);
    assert_eq!(list[1].medical_condition.source.as_deref(), Some("Dr Jane Doe"));
}

#[tokio::test]
async fn a_2xx_without_the_wrapper_is_an_error() {
    for body in [&br#"{"condition": {"id": 1}}"#[..], b"{}", b"", b"<html></html>"] {
        let ex = exchange(|base| session(base).medical_conditions().create(throat_pain()), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
    for body in [&b"[]"[..], br#"{"conditions": []}"#, br#"{"medical_conditions": [{"patient_id": 1}]}"#] {
        let ex = exchange(|base| session(base).medical_conditions().list(), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn invalid_conditions_are_refused_before_sending() {
    let server = silent_server();
    let s = session(&server.uri());
    let err = s.medical_conditions().create(NewMedicalCondition::new("")).await.unwrap_err();
    assert_invalid(&err, "medical_condition.condition");
    let err = s.medical_conditions().delete(" ").await.unwrap_err();
    assert_invalid(&err, "medical_condition_id");
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
