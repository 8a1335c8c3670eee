//! Chief complaints: the documented GET-with-a-JSON-body sent as bracketed query parameters, through the
//! conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Encodings, Operation, Scope};
use carewire_mdlive::{ComplaintLanguage, SearchChiefComplaints};
use carewire_testkit::conformance::exchange;
use common::*;

#[tokio::test]
async fn search_wire_and_decode() {
    // The doc's request fixture is the JSON body of its example: the same values go in the query.
    let doc = fixture_json("chief_complaints_search.request.json");
    let search = &doc["search"];
    let op = SearchChiefComplaints::new(search["term"].as_str().unwrap())
        .language(ComplaintLanguage::from(search["language"].as_str().unwrap()))
        .limit(search["limit"].as_str().unwrap().parse().unwrap());
    let ex = exchange(
        |base| session(base).chief_complaints().search(op),
        200,
        fixture("chief_complaints_search.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v1/patients/chief_complaints")
        .assert_header("authorization", USER_AUTH)
        .assert_query(&[("search[term]", "throat"), ("search[language]", "EN"), ("search[limit]", "3")])
        .assert_no_body();
    let nested: serde_json::Map<String, serde_json::Value> = ex
        .request
        .query_pairs()
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("search[").and_then(|k| k.strip_suffix(']')).unwrap().to_owned(), v.into()))
        .collect();
    assert_eq!(serde_json::json!({ "search": nested }), doc, "the query holds the doc's body");
    let list = ex.output();
    assert_eq!(list.len(), 3);
    let c = &list[0];
    assert_eq!(c.id, "896");
    assert_eq!(c.concept_id.as_deref(), Some("64"));
    assert_eq!((c.ccc, c.dx), (Some(true), Some(true)));
    assert_eq!(c.alternate_term.as_deref(), Some("Painful Throat"));
    assert_eq!(c.title.as_deref(), Some("Throat pain (sore throat)"));
    assert_eq!(c.title_spanish, None);
    assert_eq!((c.icd9.as_deref(), c.icd10.as_deref()), (Some("784.1"), Some("R07.0")));
    assert_eq!(c.snomed.as_deref(), Some("267102003"));
    assert_eq!((c.language_id, c.request_image, c.frequency), (Some(1), Some(2), Some(103_112)));
    assert_eq!(c.image_required, Some(true));
    let created = c.created_at.as_ref().unwrap();
    assert_eq!(created.raw(), "2021-07-23T01:26:08.582-04:00");
    assert_eq!(created.parse().map(|d| d.timestamp()), Some(1_627_017_968));
    assert_eq!((c.active, c.is_blocked), (Some(true), Some(false)));
    assert_eq!((c.escalation_level.as_ref(), c.rejectable_chief_complaint_id.as_ref()), (None, None));
    assert_eq!(list[2].alternate_term.as_deref(), Some("Throat Hurts"));
}

#[tokio::test]
async fn search_with_the_api_token_and_only_a_term() {
    let ex = exchange(
        |base| client(base).chief_complaints().search(SearchChiefComplaints::new("sore throat")),
        200,
        br#"{"chief_complaints": []}"#,
    )
    .await;
    ex.assert_wire("GET", "/api/v1/patients/chief_complaints")
        .assert_header("authorization", API_AUTH)
        .assert_query(&[("search[term]", "sore throat")]);
    assert!(ex.output().is_empty());
    assert_eq!(SearchChiefComplaints::SPEC.scope, Scope::SubjectOrClient);
}

#[tokio::test]
async fn an_answer_without_the_list_is_an_error() {
    for body in [&br"{}"[..], br"[]", br#"{"chief_complaints": [{"title": "no id"}]}"#] {
        let ex = exchange(|base| client(base).send(SearchChiefComplaints::new("x")), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[test]
fn search_is_validated_before_sending() {
    for (op, want) in [
        (SearchChiefComplaints::new(" "), "search.term"),
        (SearchChiefComplaints::new("x").limit(0), "search.limit"),
        (SearchChiefComplaints::new("x").language(ComplaintLanguage::Unknown("FR".into())), "search.language"),
    ] {
        let err = op.request(&Encodings::default()).unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == want), "{want}: {err:?}");
    }
}
