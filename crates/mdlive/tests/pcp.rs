//! Primary care physician (get, create, update, delete) and its questions (get, update), through the
//! conformance helper.

mod common;

use carewire_core::Error;
use carewire_mdlive::{PcpAnswer, PcpDetails, PcpQuestionName};
use carewire_testkit::conformance::exchange;
use common::*;
use serde_json::Value;

/// The details of a request fixture's `pcp` object, set field by field.
fn details_from(fixture_name: &str) -> PcpDetails {
    let wanted = fixture_json(fixture_name);
    let pcp = wanted["pcp"].as_object().unwrap();
    let text = |k: &str| pcp[k].as_str().unwrap().to_owned();
    assert_eq!(pcp.len(), 14, "every documented field");
    PcpDetails::new()
        .first_name(text("first_name"))
        .last_name(text("last_name"))
        .middle_name(text("middle_name"))
        .practice(text("practice"))
        .email(text("email"))
        .address1(text("address1"))
        .address2(text("address2"))
        .city(text("city"))
        .state_abbrev(text("state_abbrev"))
        .country_code(text("country_code"))
        .zip(text("zip"))
        .phone(text("phone"))
        .cell(text("cell"))
        .fax(text("fax"))
}

#[tokio::test]
async fn get_wire_and_decode() {
    let ex = exchange(|base| session(base).pcp().get(), 200, fixture("pcp_get.response.json").as_bytes()).await;
    ex.assert_wire("GET", "/api/v1/patients/52/evr_primary_care_physician")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    let pcp = ex.output().expect("a PCP");
    assert_eq!(pcp.id, "1");
    assert_eq!(pcp.full_name.as_deref(), Some("PCP Physician"));
    assert_eq!(pcp.practice.as_deref(), Some("Doc Medical Practice"));
    assert_eq!((pcp.state_abbrev.as_deref(), pcp.country_code.as_deref()), (Some("FL"), Some("US")));
    assert_eq!(pcp.fax.as_deref(), Some("(954) 552-1234"));
    let debug = format!("{pcp:?}");
    assert!(!debug.contains("Physician") && !debug.contains("954"), "{debug}");
}

#[tokio::test]
async fn get_without_a_pcp_is_none() {
    let ex = exchange(|base| session(base).pcp().get(), 200, fixture("pcp_get_none.response.json").as_bytes()).await;
    assert!(ex.output().is_none());
}

#[tokio::test]
async fn create_wire_and_decode() {
    let details = details_from("pcp_create.request.json");
    let ex =
        exchange(|base| session(base).pcp().create(details), 200, fixture("pcp_create.response.json").as_bytes()).await;
    ex.assert_wire("POST", "/api/v1/patients/52/evr_primary_care_physician")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("pcp_create.request.json"));
    assert_eq!(ex.attempts, 1);
    let pcp = ex.output();
    assert_eq!((pcp.id.as_str(), pcp.city.as_deref()), ("3", Some("FORT LAUDERDALE")));
}

#[tokio::test]
async fn update_is_a_put_on_the_record() {
    let details = details_from("pcp_update.request.json");
    let ex =
        exchange(|base| session(base).pcp().update("2", details), 200, fixture("pcp_update.response.json").as_bytes())
            .await;
    ex.assert_wire("PUT", "/api/v1/patients/52/evr_primary_care_physician/2")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("pcp_update.request.json"));
    let pcp = ex.output();
    assert_eq!((pcp.id.as_str(), pcp.address1.as_deref()), ("2", Some("555 Move Street")));
    // Only the fields set are sent.
    let ex = exchange(
        |base| session(base).pcp().update("2", PcpDetails::new().practice("PCP Practice")),
        200,
        fixture("pcp_update.response.json").as_bytes(),
    )
    .await;
    ex.assert_json_body(&serde_json::json!({"pcp": {"practice": "PCP Practice"}}));
}

#[tokio::test]
async fn delete_is_v2_and_plural() {
    let ex = exchange(|base| session(base).pcp().delete("2"), 204, b"").await;
    ex.assert_wire("DELETE", "/api/v2/patients/52/evr_primary_care_physicians/2")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    ex.output();
}

#[tokio::test]
async fn questions_get_wire_and_decode() {
    let ex = exchange(
        |base| session(base).pcp_questions().get(),
        200,
        fixture("pcp_questions_list.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v2/patients/52/evr_primary_care_physician_questions")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    let questions = ex.output();
    let names: Vec<&PcpQuestionName> = questions.iter().map(|q| &q.name).collect();
    assert_eq!(
        names,
        [
            &PcpQuestionName::PrimaryCarePhysician,
            &PcpQuestionName::PcpCorrectInformation,
            &PcpQuestionName::PcpVisitInformation
        ]
    );
    assert_eq!(questions.iter().map(|q| q.value).collect::<Vec<_>>(), [Some(false), Some(true), Some(false)]);
    assert_eq!(questions[0].question.as_deref(), Some("Do you have a Primary Care Physician?"));
}

#[tokio::test]
async fn questions_update_sends_the_array_form() {
    let ex = exchange(
        |base| session(base).pcp_questions().update([PcpAnswer::new(PcpQuestionName::PrimaryCarePhysician, true)]),
        200,
        fixture("pcp_questions_update.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("PUT", "/api/v2/patients/52/evr_primary_care_physician_questions")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("pcp_questions_update.request.json"));
    let body = ex.request.json_value().unwrap();
    assert!(matches!(body["pcp_questions"], Value::Array(_)), "not the Ruby sample's single object");
    let all = ex.output();
    assert_eq!(all.len(), 3);
    assert_eq!((all[0].value, all[1].value), (Some(true), Some(false)));
}

#[tokio::test]
async fn unknown_question_names_round_trip() {
    let body = br#"{"pcp_questions": [{"name": "pcp_assistance_question", "value": "true"}]}"#;
    let answer = PcpAnswer::new(PcpQuestionName::from("pcp_assistance_question"), false);
    let ex = exchange(|base| session(base).pcp_questions().update([answer]), 200, body).await;
    ex.assert_json_body(&serde_json::json!({"pcp_questions": [{"name": "pcp_assistance_question", "value": false}]}));
    let all = ex.output();
    assert_eq!(all[0].name, PcpQuestionName::Unknown("pcp_assistance_question".into()));
    assert_eq!(all[0].value, Some(true));
}

#[tokio::test]
async fn a_2xx_without_the_wrapper_is_an_error() {
    for body in [&br#"{"id": 1, "full_name": "PCP Physician"}"#[..], b"{}", b"", b"<html></html>", br#"{"pcp": {}}"#] {
        let ex = exchange(|base| session(base).pcp().get(), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
    let ex =
        exchange(|base| session(base).pcp().create(details_from("pcp_create.request.json")), 200, br#"{"pcp": null}"#)
            .await;
    assert!(matches!(ex.output, Err(Error::Decode(_))), "a created PCP must be there");
    let ex =
        exchange(|base| session(base).pcp_questions().get(), 200, br#"[{"name": "primary_care_physician"}]"#).await;
    assert!(matches!(ex.output, Err(Error::Decode(_))));
    let ex =
        exchange(|base| session(base).pcp_questions().get(), 200, br#"{"pcp_questions": [{"value": true}]}"#).await;
    assert!(matches!(ex.output, Err(Error::Decode(_))), "a question without its name");
}

#[tokio::test]
async fn invalid_pcp_calls_are_refused_before_sending() {
    let server = silent_server();
    let s = session(&server.uri());
    let full = || details_from("pcp_create.request.json");
    let err = s.pcp().create(PcpDetails::new().first_name("PCP")).await.unwrap_err();
    assert_invalid(&err, "pcp.last_name");
    let err = s.pcp().create(full().fax(" ")).await.unwrap_err();
    assert_invalid(&err, "pcp.fax");
    let err = s.pcp().create(full().country_code("USA")).await.unwrap_err();
    assert_invalid(&err, "pcp.country_code");
    let err = s.pcp().update("2", PcpDetails::new()).await.unwrap_err();
    assert_invalid(&err, "pcp");
    let err = s.pcp().update("", full()).await.unwrap_err();
    assert_invalid(&err, "id");
    let err = s.pcp().delete(" ").await.unwrap_err();
    assert_invalid(&err, "id");
    let err = s.pcp_questions().update([]).await.unwrap_err();
    assert_invalid(&err, "pcp_questions");
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
