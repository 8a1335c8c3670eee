//! Behavioral health history: create (or update) and get, through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Encodings, Operation};
use carewire_mdlive::{
    BehavioralCondition, BehavioralReason, CounselingPreference, CreateBehavioralHistory, GetBehavioralHistory,
    NewBehavioralHistory,
};
use carewire_testkit::conformance::exchange;
use chrono::NaiveDate;
use common::*;

/// The doc's example history, entry by entry.
fn doc_example() -> NewBehavioralHistory {
    use BehavioralCondition as C;
    use BehavioralReason as R;
    NewBehavioralHistory::new(CounselingPreference::NoPreference)
        .reason(R::EmotionalProblem, false)
        .reason(R::SubstanceAbuse, true)
        .reason(R::RelationshipIssue, false)
        .reason(R::Other, true)
        .description("drinking to deal with stress")
        .condition(C::AlcoholDependence, false)
        .condition(C::ObsessiveCompulsiveDisorder, false)
        .condition(C::Anxiety, false)
        .condition(C::PanicAttacks, false)
        .condition(C::BipolarDisorder, false)
        .condition(C::Schizophrenia, false)
        .condition(C::Depression, false)
        .condition(C::SubstanceAbuse, true)
        .family_condition(C::AlcoholDependence, false)
        .family_condition(C::ObsessiveCompulsiveDisorder, false)
        .family_condition(C::BipolarDisorder, false)
        .family_condition(C::Schizophrenia, false)
        .family_condition(C::Depression, false)
        .family_condition(C::SubstanceAbuse, true)
}

#[tokio::test]
async fn create_wire_and_decode() {
    let ex = exchange(
        |base| session(base).behavioral_history().create(doc_example()),
        200,
        fixture("behavioral_histories_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v1/patients/52/behavioral_histories")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("behavioral_histories_create.request.json"));
    assert_eq!(ex.attempts, 1);
    let h = ex.output();
    assert_eq!(h.behavioral_health_reasons.len(), 4);
    assert_eq!(h.behavioral_health_reasons[1].condition, Some(BehavioralReason::SubstanceAbuse));
    assert_eq!(h.behavioral_health_reasons[1].active, Some(true));
    assert_eq!(h.behavioral_mconditions.len(), 8);
    assert_eq!(h.behavioral_mconditions[0].condition, Some(BehavioralCondition::AlcoholDependence));
    assert_eq!(h.behavioral_mconditions[0].active, Some(true));
    assert_eq!(h.behavioral_family_history.len(), 6);
    assert_eq!(h.behavioral_health_description.as_deref(), Some("drinking to deal with stress"));
    assert_eq!((h.hospitalized, h.family_hospitalized), (Some(false), Some(false)));
    assert_eq!((h.hospitalized_date.as_ref(), h.hospitalized_duration.as_ref()), (None, None));
    assert_eq!(h.counseling_preference, Some(CounselingPreference::NoPreference));
    let debug = format!("{h:?}");
    assert!(!debug.contains("drinking") && !debug.contains("Substance") && !debug.contains("Alcohol"), "{debug}");
}

#[tokio::test]
async fn create_sends_a_hospitalization() {
    let history = NewBehavioralHistory::new(CounselingPreference::Female)
        .reason(BehavioralReason::EmotionalProblem, true)
        .condition(BehavioralCondition::Depression, true)
        .family_condition(BehavioralCondition::Depression, true)
        .hospitalized(NaiveDate::from_ymd_opt(2016, 4, 15).unwrap(), "2 days")
        .family_hospitalized(false);
    let ex = exchange(
        |base| session(base).behavioral_history().create(history),
        200,
        fixture("behavioral_histories_list.response.json").as_bytes(),
    )
    .await;
    let body = ex.request.json_value().unwrap();
    let h = &body["behavioral_history"];
    assert_eq!(h["hospitalized"], true);
    assert_eq!(h["hospitalized_date"], "2016-04-15");
    assert_eq!(h["hospitalized_duration"], "2 days");
    assert_eq!(h["family_hospitalized"], false);
    assert_eq!(h["counseling_preference"], "Female");
    assert!(h.get("behavioral_health_description").is_none());
    ex.output();
}

#[test]
fn create_is_validated_before_sending() {
    let full = || {
        NewBehavioralHistory::new(CounselingPreference::Male)
            .reason(BehavioralReason::EmotionalProblem, true)
            .condition(BehavioralCondition::Anxiety, true)
            .family_condition(BehavioralCondition::Depression, false)
    };
    let cases = [
        (
            NewBehavioralHistory::new(CounselingPreference::Male)
                .condition(BehavioralCondition::Anxiety, true)
                .family_condition(BehavioralCondition::Depression, false),
            "behavioral_history.behavioral_health_reasons",
        ),
        (full().reason(BehavioralReason::Other, true), "behavioral_history.behavioral_health_description"),
        (full().description(" "), "behavioral_history.behavioral_health_description"),
        (
            full().reason(BehavioralReason::Unknown("Grief".into()), true),
            "behavioral_history.behavioral_health_reasons[1].condition",
        ),
        (
            full().hospitalized(NaiveDate::from_ymd_opt(2016, 4, 15).unwrap(), ""),
            "behavioral_history.hospitalized_duration",
        ),
        (
            NewBehavioralHistory::new(CounselingPreference::Unknown("Any".into()))
                .reason(BehavioralReason::EmotionalProblem, true)
                .condition(BehavioralCondition::Anxiety, true)
                .family_condition(BehavioralCondition::Depression, false),
            "behavioral_history.counseling_preference",
        ),
    ];
    for (history, want) in cases {
        let err = CreateBehavioralHistory::new("52", history).request(&Encodings::default()).unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == want), "{want}: {err:?}");
    }
    assert!(full().reason(BehavioralReason::Other, false).validate().is_ok(), "an inactive Other needs no text");
}

#[tokio::test]
async fn get_wire_and_decode() {
    let ex = exchange(
        |base| session(base).behavioral_history().get(),
        200,
        fixture("behavioral_histories_list.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v1/patients/52/behavioral_histories")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    let h = ex.output();
    assert_eq!(h.behavioral_mconditions[3].condition, Some(BehavioralCondition::PanicAttacks));
    assert_eq!(h.behavioral_mconditions[3].active, Some(true));
    assert_eq!(h.hospitalized, Some(true));
    let date = h.hospitalized_date.as_ref().unwrap();
    assert_eq!(date.parse_date(), NaiveDate::from_ymd_opt(2016, 4, 15));
    assert_eq!(h.hospitalized_duration.as_deref(), Some("2 days"));
    assert_eq!(h.counseling_preference, Some(CounselingPreference::NoPreference), "`No preference` matches");
}

#[tokio::test]
async fn get_without_the_wrapper_is_an_error() {
    for body in [&br"{}"[..], br#"{"behavioral_history": null}"#, br#"{"hospitalized": true}"#, b"[]"] {
        let ex = exchange(|base| session(base).send(GetBehavioralHistory::new("52")), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}
