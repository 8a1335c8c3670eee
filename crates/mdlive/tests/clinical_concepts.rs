//! Clinical concepts: the search sent as the bracket query `search[term]`, through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_mdlive::{NewMedicalCondition, SearchClinicalConcepts};
use carewire_testkit::conformance::exchange;
use common::*;

#[tokio::test]
async fn search_wire_and_decode() {
    // The request fixture is the JSON body of MDLIVE's example; carewire sends the same values as a query.
    let wanted = fixture_json("clinical_concepts_search.request.json");
    let term = wanted["search"]["term"].as_str().unwrap().to_owned();
    let limit: u32 = wanted["search"]["limit"].as_str().unwrap().parse().unwrap();
    let ex = exchange(
        |base| session(base).clinical_concepts().search_with(SearchClinicalConcepts::new(term).limit(limit)),
        200,
        fixture("clinical_concepts_search.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v1/clinical_concepts")
        .assert_query(&[("search[term]", "throat"), ("search[limit]", "3")])
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    let concepts = ex.output();
    assert_eq!(concepts.len(), 3);
    assert_eq!(concepts[0].concept_id, "64");
    assert_eq!(concepts[0].concept_type.as_deref(), Some("Symptom"));
    assert_eq!(concepts[0].title.as_deref(), Some("Throat Pain"));
    assert_eq!(concepts[0].icd10.as_deref(), Some("R07.0"));
    assert_eq!(concepts[0].snomed.as_deref(), Some("267102003"));
    assert_eq!(concepts[2].concept_id, "3544");
    let debug = format!("{:?}", concepts[0]);
    assert!(debug.contains("64") && !debug.contains("Throat"), "{debug}");
    // A concept becomes a condition to record.
    let condition = NewMedicalCondition::from_concept(&concepts[0]);
    assert_eq!(
        condition,
        NewMedicalCondition::new("Throat Pain")
            .source("Self Reported")
            .concept_id("64")
            .snomed("267102003")
            .icd10("R07.0")
    );
}

#[tokio::test]
async fn the_client_searches_with_its_api_token_and_mdlive_s_default_limit() {
    let ex =
        exchange(|base| client(base).clinical_concepts().search("sore throat"), 200, br#"{"clinical_concepts": []}"#)
            .await;
    ex.assert_wire("GET", "/api/v1/clinical_concepts")
        .assert_query(&[("search[term]", "sore throat")])
        .assert_header("authorization", API_AUTH);
    assert_eq!(ex.request.query.as_deref(), Some("search%5Bterm%5D=sore+throat"));
    assert!(ex.output().is_empty());
}

#[tokio::test]
async fn snomed_and_concept_ids_decode_from_strings_and_numbers() {
    let body = br#"{"clinical_concepts": [{"concept_id": "128", "snomed": 267102003, "icd10": null, "rank": 1}]}"#;
    let ex = exchange(|base| session(base).clinical_concepts().search("x"), 200, body).await;
    let concepts = ex.output();
    assert_eq!(concepts[0].concept_id, "128");
    assert_eq!(concepts[0].snomed.as_deref(), Some("267102003"));
    assert_eq!(concepts[0].icd10, None);
    assert_eq!(concepts[0].extra["rank"], 1);
}

#[tokio::test]
async fn a_2xx_without_the_wrapper_is_an_error() {
    for body in
        [&br#"[{"concept_id": 64}]"#[..], b"{}", b"", b"<html></html>", br#"{"clinical_concepts": [{"title": "x"}]}"#]
    {
        let ex = exchange(|base| session(base).clinical_concepts().search("throat"), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn invalid_searches_are_refused_before_sending() {
    let server = silent_server();
    let err = session(&server.uri()).clinical_concepts().search("  ").await.unwrap_err();
    assert_invalid(&err, "search.term");
    let err = client(&server.uri())
        .clinical_concepts()
        .search_with(SearchClinicalConcepts::new("a").limit(0))
        .await
        .unwrap_err();
    assert_invalid(&err, "search.limit");
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
