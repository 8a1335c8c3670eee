//! The aggregate health report (`GET .../health_conditions`), through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Encodings, Operation};
use carewire_mdlive::{AllergySeverity, GetHealthConditions};
use carewire_testkit::conformance::exchange;
use common::*;

#[tokio::test]
async fn get_wire_and_decode() {
    let ex = exchange(
        |base| session(base).health_conditions().get(),
        200,
        fixture("health_conditions_list.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v2/patients/52/health_conditions")
        .assert_header("authorization", USER_AUTH)
        .assert_query(&[])
        .assert_no_body();
    let r = ex.output();
    assert_eq!(r.health_conditions.len(), 2);
    let first = &r.health_conditions[0];
    assert_eq!(first.patient_id.as_deref(), Some("52"));
    assert_eq!(first.medical_condition.id.as_deref(), Some("19"));
    assert_eq!(first.medical_condition.condition.as_deref(), Some("Headaches"));
    assert_eq!(first.medical_condition.concept_id.as_deref(), Some("128"));
    let second = &r.health_conditions[1].medical_condition;
    assert_eq!((second.concept_id.as_ref(), second.snomed.as_ref()), (None, None), "nulls");
    assert_eq!(second.source.as_deref(), Some("Call Center"));

    let info = r.personal_info.as_ref().unwrap();
    assert_eq!((info.id.as_deref(), info.user_id.as_deref()), (Some("1"), Some("52")));
    assert_eq!(info.blood_type.as_deref(), Some("A+"));
    assert_eq!((info.height_feet, info.height_inches, info.weight), (Some(6), Some(11), Some(195)));
    assert_eq!(info.birth_weight, Some(12.1));
    assert_eq!((info.birth_height.as_ref(), info.systolic_bp.as_ref()), (None, None));
    assert_eq!(info.photo_content_type.as_deref(), Some("image/png"));
    assert_eq!(info.menstrual_cycle.as_deref(), Some("two weeks"));
    assert_eq!(info.do_you_have_primary_care_physician, Some(false));
    let photo = info.photo.as_ref().unwrap();
    assert!(photo.thumb.as_ref().unwrap().url.as_deref().unwrap().starts_with("/system/photos/1/thumb/"));

    assert_eq!(r.evr_medications.len(), 2);
    assert_eq!(r.evr_medications[1].name.as_deref(), Some("Aspirin"));
    assert_eq!((r.evr_medications[1].quantity, r.evr_medications[1].current), (Some(1), Some(false)));
    assert_eq!(r.allergies.len(), 1);
    assert_eq!(r.allergies[0].severity, Some(AllergySeverity::Mild));
    assert_eq!((r.allergies[0].active, r.allergies[0].fdb_allergy_id.as_ref()), (None, None));
    assert_eq!(r.source_for_ccd.as_deref(), Some("DTC Physician Visit"));
    assert_eq!(
        (r.is_taking_medication, r.has_allergies, r.had_surgeries, r.has_medical_conditions),
        (Some(true), Some(true), Some(true), Some(true)),
        "Yes strings are booleans"
    );
    assert!(r.external_reported_surgeries.is_empty());
    assert_eq!(r.surgeries_taken[0].name.as_deref(), Some("Appendectomy"));
    assert_eq!(r.surgeries_taken[0].year.as_deref(), Some("2013"));
    assert_eq!(r.pediatric_profile.as_ref().map(|p| p.immunization_up_to_date), Some(None), "empty profile");
    assert_eq!((r.pediatric_profile_completed, r.skip_health_history), (Some(true), Some(false)));

    let debug = format!("{r:?}");
    for secret in ["Headaches", "A+", "Aspirin", "penicillin", "Appendectomy", "two weeks", "Screen_Shot", "DTC 949D38"]
    {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
}

#[tokio::test]
async fn an_answer_without_the_report_is_an_error() {
    for body in [&br"{}"[..], br#"{"personal_info": {}}"#, br#"{"health_conditions": null}"#, b"[]", b""] {
        let ex = exchange(|base| session(base).send(GetHealthConditions::new("52")), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn yes_no_flags_decode_every_documented_form() {
    let body = br#"{"health_conditions": [], "has_allergies": "No", "is_taking_medication": true,
        "had_surgeries": null, "has_medical_conditions": "Null"}"#;
    let ex = exchange(|base| session(base).health_conditions().get(), 200, body).await;
    let r = ex.output();
    assert_eq!(
        (r.has_allergies, r.is_taking_medication, r.had_surgeries, r.has_medical_conditions),
        (Some(false), Some(true), None, None)
    );
    let ex = exchange(
        |base| session(base).health_conditions().get(),
        200,
        br#"{"health_conditions": [], "has_allergies": "Maybe"}"#,
    )
    .await;
    let err = ex.output.unwrap_err();
    assert_eq!(err.decode_path(), Some("has_allergies"));
    assert!(!err.to_string().contains("Maybe"));
}

#[test]
fn the_patient_id_is_required() {
    let err = GetHealthConditions::new("").request(&Encodings::default()).unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == "patient_id"), "{err:?}");
}
