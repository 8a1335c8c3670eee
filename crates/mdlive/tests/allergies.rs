//! Allergies: create, delete, delete by FDB id, list and search (with a patient's or the API token),
//! through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Encodings, Operation, Scope};
use carewire_mdlive::{AllergySeverity, CreateAllergy, ListAllergies, MdliveError, NewAllergy, SearchAllergies};
use carewire_testkit::conformance::exchange;
use common::*;

fn peanut() -> NewAllergy {
    NewAllergy::new("Peanut", AllergySeverity::Severe, "Throat closes").fdb_allergy_id("568")
}

#[tokio::test]
async fn create_wire_and_decode() {
    let ex = exchange(
        |base| session(base).allergies().create(peanut()),
        200,
        fixture("allergies_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v2/patients/52/allergies")
        .assert_header("authorization", USER_AUTH)
        .assert_query(&[])
        .assert_json_body(&fixture_json("allergies_create.request.json"));
    assert_eq!(ex.attempts, 1);
    let allergy = ex.output();
    assert_eq!(allergy.id, "110751");
    assert_eq!(allergy.name.as_deref(), Some("Peanut"));
    assert_eq!(allergy.severity, Some(AllergySeverity::Severe));
    assert_eq!((allergy.active, allergy.current), (Some(true), None), "`current: null` is None");
    assert_eq!(allergy.reaction.as_deref(), Some("Throat closes"));
    assert_eq!(allergy.source.as_deref(), Some("Self Reported"));
    assert_eq!(allergy.fdb_allergy_id.as_deref(), Some("568"));
    let debug = format!("{allergy:?}");
    assert!(!debug.contains("Peanut") && !debug.contains("Throat") && !debug.contains("Severe"), "{debug}");
    assert!(debug.contains("110751"), "{debug}");
}

#[tokio::test]
async fn create_is_not_retried_and_a_5xx_is_an_api_error() {
    let ex = exchange(|base| session(base).allergies().create(peanut()), 503, br#"{"message": "down"}"#).await;
    assert_eq!(ex.attempts, 1, "a create may have reached MDLIVE: not retried");
    let err = ex.output.unwrap_err();
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn create_without_the_allergy_wrapper_is_an_error() {
    for body in [&br"{}"[..], br#"{"id": 110751, "name": "Peanut"}"#, br#"{"allergy": {"name": "Peanut"}}"#, b""] {
        let ex = exchange(|base| session(base).allergies().create(peanut()), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn create_is_validated_before_sending() {
    let long = "x".repeat(81);
    let cases = [
        (NewAllergy::new(" ", AllergySeverity::Mild, "rash"), "allergy.name"),
        (NewAllergy::new("Peanut", AllergySeverity::Unknown("Critical".into()), "rash"), "allergy.severity"),
        (NewAllergy::new("Peanut", AllergySeverity::Mild, ""), "allergy.reaction"),
        (NewAllergy::new("Peanut", AllergySeverity::Mild, long.as_str()), "allergy.reaction"),
        (NewAllergy::new("Peanut", AllergySeverity::Mild, "rash").fdb_allergy_id(" "), "allergy.fdb_allergy_id"),
    ];
    for (allergy, want) in cases {
        let err = CreateAllergy::new("52", allergy).request(&Encodings::default()).unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == want), "{want}: {err:?}");
    }
    let eighty = "é".repeat(80);
    assert!(NewAllergy::new("Peanut", AllergySeverity::NotSure, eighty).validate("allergy").is_ok());
}

#[tokio::test]
async fn severity_is_sent_as_the_docs_spell_it() {
    let allergy = NewAllergy::new("Dust", AllergySeverity::NotSure, "Sneezing");
    let ex = exchange(|base| session(base).allergies().create(allergy), 200, br#"{"allergy": {"id": 1}}"#).await;
    assert_eq!(ex.request.json_value().unwrap()["allergy"]["severity"], "Not Sure");
    assert!(ex.request.json_value().unwrap()["allergy"].get("fdb_allergy_id").is_none());
}

#[tokio::test]
async fn delete_wire() {
    let ex = exchange(|base| session(base).allergies().delete("110751"), 204, b"").await;
    ex.assert_wire("DELETE", "/api/v1/patients/52/allergies/110751")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    ex.output();
}

#[tokio::test]
async fn delete_accepts_a_json_answer_but_not_a_proxy_page() {
    let ex = exchange(|base| session(base).allergies().delete("1"), 200, br#"{"message": "deleted"}"#).await;
    ex.output();
    let ex = exchange(|base| session(base).allergies().delete("1"), 200, b"<html>Gateway</html>").await;
    assert!(matches!(ex.output, Err(Error::Decode(_))));
}

#[tokio::test]
async fn delete_of_an_unknown_allergy_is_a_404() {
    let ex = exchange(|base| session(base).allergies().delete("999"), 404, br#"{"error": "Allergy not found"}"#).await;
    let err = ex.output.unwrap_err();
    let mdlive = err.vendor_error::<MdliveError>().expect("an MDLIVE error");
    assert_eq!((mdlive.status, mdlive.message.as_deref()), (404, Some("Allergy not found")));
    assert!(!err.to_string().contains("Allergy not found"), "{err}");
}

#[tokio::test]
async fn delete_by_fdb_id_wire() {
    let ex = exchange(|base| session(base).allergies().delete_by_fdb_id("054222803"), 200, b"").await;
    ex.assert_wire("DELETE", "/api/v1/patients/52/allergies/fdb_allergy/054222803")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    ex.output();
}

#[tokio::test]
async fn list_wire_and_decode() {
    let ex = exchange(|base| session(base).allergies().list(), 200, fixture("allergies_list.response.json").as_bytes())
        .await;
    ex.assert_wire("GET", "/api/v1/patients/52/allergies").assert_header("authorization", USER_AUTH).assert_no_body();
    let list = ex.output();
    assert_eq!(list.len(), 2);
    assert_eq!((list[0].id.as_str(), list[0].current), ("110750", Some(true)));
    assert_eq!(list[1].name.as_deref(), Some("Ibuprofen"));
    assert_eq!(list[1].severity, Some(AllergySeverity::Moderate));
    assert_eq!(list[1].fdb_allergy_id.as_deref(), Some("54222803"));
}

#[tokio::test]
async fn list_without_the_allergies_key_is_an_error() {
    for body in [&br"{}"[..], br"[]", br#"{"allergies": null}"#, br#"{"message": "ok"}"#] {
        let ex = exchange(|base| session(base).send(ListAllergies::new("52")), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn search_with_the_patient_token() {
    let ex = exchange(
        |base| session(base).allergies().search(SearchAllergies::new("pen").limit(2)),
        200,
        fixture("allergies_search.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v1/allergies/search")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("allergies_search.request.json"));
    let hits = ex.output();
    assert_eq!(hits.len(), 2);
    assert_eq!((hits[0].id.as_str(), hits[0].name.as_deref()), ("977", Some("Penicillins")));
    assert_eq!((hits[1].id.as_str(), hits[1].name.as_deref()), ("981", Some("Pentamidine")));
}

#[tokio::test]
async fn search_with_the_api_token() {
    let ex = exchange(
        |base| client(base).allergies().search(SearchAllergies::new("pen")),
        200,
        fixture("allergies_search.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v1/allergies/search")
        .assert_header("authorization", API_AUTH)
        .assert_json_body(&serde_json::json!({"search": {"term": "pen"}}));
    assert_eq!(ex.output().len(), 2);
}

#[tokio::test]
async fn search_is_a_read_and_is_retried() {
    const { assert!(SearchAllergies::SPEC.retry_safe) };
    assert_eq!(SearchAllergies::SPEC.scope, Scope::SubjectOrClient);
    let ex = exchange(|base| client(base).allergies().search(SearchAllergies::new("pen")), 503, b"").await;
    assert!(ex.attempts > 1, "a search is safe to retry");
}

#[tokio::test]
async fn search_is_validated_before_sending() {
    for (search, want) in
        [(SearchAllergies::new(""), "search.term"), (SearchAllergies::new("pen").limit(0), "search.limit")]
    {
        let err = search.request(&Encodings::default()).unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == want), "{err:?}");
    }
}
