//! Saving a health history, with the pediatric profile keyed by MDLIVE's display strings (or snake_case,
//! as the doc's Ruby example), through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Encodings, Operation};
use carewire_mdlive::{
    AllergySeverity, CreateHealthHistory, HistoryCondition, HistoryMedication, HistorySurgery, MedicalHistory,
    NewAllergy, NewHealthHistory, PediatricKeys, PediatricProfile, PersonalInformation,
};
use carewire_testkit::conformance::exchange;
use chrono::NaiveDate;
use common::*;

/// The pediatric profile of the doc's example (`"Current Diet": "null"` is sent as the doc sends it).
fn child() -> PediatricProfile {
    let mut p = PediatricProfile::default();
    p.birth_complications = Some(false);
    p.birth_complications_explanation = Some("Some explanation of birth complications".into());
    p.bottle_fed = Some(false);
    p.breast_fed = Some(false);
    p.breathing_problems = Some(false);
    p.childcare_outside_home = Some(false);
    p.colic = Some(false);
    p.current_diet = Some("null".into());
    p.delivery_type = Some("null".into());
    p.feeding_problems = Some(false);
    p.immunization_up_to_date = Some(false);
    p.infections = Some(false);
    p.jaundice = Some(false);
    p.last_shot = Some("Yesterday".into());
    p.newborn_complications = Some(true);
    p.newborn_complications_explanation = Some("Some explanation of newborn complications".into());
    p.siblings = Some(false);
    p.smoking_exposure = Some(false);
    p.current_weight_in_lbs = Some(11);
    p
}

/// The doc's curl example: every flag on, one entry of each kind.
fn doc_example(flags: MedicalHistory, info: PersonalInformation) -> NewHealthHistory {
    NewHealthHistory::new(flags, info)
        .allergy(NewAllergy::new("Bee Pollen", AllergySeverity::Severe, "Sneezing and Coughing"))
        .medication(HistoryMedication::new("Hydrocortisone Ace (Topical)").current(true).frequency("twice daily"))
        .surgery(HistorySurgery::new("Hip Replacement", 2015))
        .medical_condition(
            HistoryCondition::new("Ear Pain")
                .source("Self Reported")
                .concept_id("64")
                .snomed("267102003")
                .icd10("R07.0"),
        )
        .pediatric_profile(child())
}

fn all_flags() -> MedicalHistory {
    MedicalHistory::none().allergies(true).medications(true).surgeries(true).medical_conditions(true)
}

fn info(pregnant: bool) -> PersonalInformation {
    PersonalInformation::new(5, 4, 120)
        .breast_feeding(pregnant)
        .pregnant(pregnant)
        .menstrual_cycle_date(NaiveDate::from_ymd_opt(2016, 9, 19).unwrap())
}

#[tokio::test]
async fn create_wire_and_decode() {
    let ex = exchange(
        |base| session(base).health_history().create(doc_example(all_flags(), info(true))),
        200,
        fixture("health_history_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v2/patients/52/health_history")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("health_history_create.request.json"));
    assert_eq!(ex.attempts, 1);
    let body = ex.request.json_value().unwrap();
    let sent = &body["health_history"]["pediatric_profile"];
    assert_eq!(sent["Immunization up to date?"], false, "the exact display key");
    assert_eq!(sent["Current weight in lbs."], 11);

    let r = ex.output();
    let second = &r.health_conditions[1].medical_condition;
    assert_eq!(
        (second.concept_id.as_deref(), second.snomed.as_deref()),
        (Some("64"), Some("267102003")),
        "numbers as text"
    );
    assert_eq!(r.allergies[0].name.as_deref(), Some("Bee Pollen"));
    assert_eq!(r.surgeries_taken[0].year.as_deref(), Some("2015"));
    let p = r.pediatric_profile.as_ref().unwrap();
    assert_eq!(p.birth_complications, Some(false), "\"No\"");
    assert_eq!(p.immunization_up_to_date, Some(true), "\"Yes\"");
    assert_eq!((p.infections, p.siblings, p.newborn_complications), (Some(true), Some(true), Some(true)));
    assert_eq!((p.current_diet.as_ref(), p.delivery_type.as_ref()), (None, None), "\"Null\"");
    assert_eq!(p.last_shot.as_deref(), Some("Yesterday"));
    assert_eq!(p.current_weight_in_lbs, Some(11), "\"11\"");
    assert!(p.extra.is_empty(), "every display key is modelled: {:?}", p.extra.keys().collect::<Vec<_>>());
    assert!(!format!("{p:?}").contains("Yesterday"));
}

#[tokio::test]
async fn create_with_snake_case_pediatric_keys_as_the_ruby_example() {
    let flags = MedicalHistory::none().medications(true);
    let history = doc_example(flags, info(false)).pediatric_keys(PediatricKeys::SnakeCase);
    let ex = exchange(
        |base| session(base).health_history().create(history),
        200,
        fixture("health_history_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_json_body(&fixture_json("health_history_create_ruby.request.json"));
    ex.output();
}

#[test]
fn snake_case_answers_decode_too() {
    let p: PediatricProfile =
        serde_json::from_str(r#"{"immunization_up_to_date": "No", "current_weight_in_lbs": 12, "last_shot": "May"}"#)
            .unwrap();
    assert_eq!((p.immunization_up_to_date, p.current_weight_in_lbs), (Some(false), Some(12)));
    let wire = serde_json::to_value(&p).unwrap();
    assert_eq!(
        wire,
        serde_json::json!({"Immunization up to date?": false, "Current weight in lbs.": 12, "Last shot": "May"})
    );
}

#[tokio::test]
async fn an_answer_without_the_report_is_an_error() {
    for body in [&br"{}"[..], br#"{"health_history": {}}"#, b""] {
        let ex = exchange(
            |base| session(base).send(CreateHealthHistory::new("52", doc_example(all_flags(), info(true)))),
            200,
            body,
        )
        .await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[test]
fn create_is_validated_before_sending() {
    let plain = || NewHealthHistory::new(MedicalHistory::none(), PersonalInformation::new(5, 4, 120));
    let mut no_last_shot = child();
    no_last_shot.last_shot = None;
    let mut long_text = child();
    long_text.birth_complications_explanation = Some("x".repeat(256));
    let mut zero_weight = child();
    zero_weight.current_weight_in_lbs = Some(0);
    let cases = [
        (
            NewHealthHistory::new(MedicalHistory::none().allergies(true), PersonalInformation::new(5, 4, 120)),
            "health_history.allergy",
        ),
        (
            NewHealthHistory::new(MedicalHistory::none().surgeries(true), PersonalInformation::new(5, 4, 120)),
            "health_history.surgery",
        ),
        (
            NewHealthHistory::new(MedicalHistory::none(), PersonalInformation::new(5, 12, 120)),
            "health_history.personal_information.height_inches",
        ),
        (
            NewHealthHistory::new(MedicalHistory::none(), PersonalInformation::new(5, 4, 0)),
            "health_history.personal_information.weight",
        ),
        (plain().allergy(NewAllergy::new("Pollen", AllergySeverity::Mild, "")), "health_history.allergy[0].reaction"),
        (plain().medication(HistoryMedication::new(" ")), "health_history.medication[0].name"),
        (plain().surgery(HistorySurgery::new("Hip", 15)), "health_history.surgery[0].surgery_year"),
        (plain().medical_condition(HistoryCondition::new("")), "health_history.medical_condition[0].condition"),
        (plain().pediatric_profile(no_last_shot), "health_history.pediatric_profile.Last shot"),
        (plain().pediatric_profile(long_text), "health_history.pediatric_profile.Birth complications explanation"),
        (plain().pediatric_profile(zero_weight), "health_history.pediatric_profile.Current weight in lbs."),
    ];
    for (history, want) in cases {
        let err = CreateHealthHistory::new("52", history).request(&Encodings::default()).unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == want), "{want}: {err:?}");
    }
    assert!(plain().surgery(HistorySurgery::year_unknown("Hip")).validate().is_ok());
}

#[tokio::test]
async fn a_surgery_of_unknown_year_is_sent_with_a_blank_year() {
    let history = NewHealthHistory::new(MedicalHistory::none().surgeries(true), PersonalInformation::new(6, 0, 180))
        .surgery(HistorySurgery::year_unknown("Appendectomy"));
    let ex = exchange(
        |base| session(base).health_history().create(history),
        200,
        fixture("health_history_create.response.json").as_bytes(),
    )
    .await;
    let body = ex.request.json_value().unwrap();
    assert_eq!(body["health_history"]["surgery"][0]["surgery_year"], "");
    assert_eq!(
        body["health_history"]["personal_information"],
        serde_json::json!({"height_feet": 6, "height_inches": 0, "weight": 180})
    );
    assert!(
        body["health_history"].get("pediatric_profile").is_none() && body["health_history"].get("allergy").is_none()
    );
    ex.output();
}
