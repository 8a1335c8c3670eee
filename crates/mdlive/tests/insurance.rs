//! Insurance payers (API or patient token) and a patient's insurance (eligible and ineligible answers),
//! through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Encodings, Operation, Scope};
use carewire_mdlive::{CreateInsurance, InsuranceDetails, ListInsurancePayers, MdliveError, PrimarySubscriber};
use carewire_testkit::conformance::exchange;
use chrono::NaiveDate;
use common::*;

#[tokio::test]
async fn payers_with_the_api_token() {
    let ex = exchange(
        |base| client(base).insurance_payers().list(),
        200,
        fixture("insurance_payers_list.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v1/insurance_payers")
        .assert_header("authorization", API_AUTH)
        .assert_query(&[])
        .assert_no_body();
    let payers = ex.output();
    assert_eq!(payers.len(), 15);
    assert_eq!((payers[0].id.as_str(), payers[0].description.as_deref()), ("33", Some("Aetna  Insurance")));
    let cigna = payers.iter().find(|p| p.id == "166").unwrap();
    assert_eq!(cigna.description.as_deref(), Some("CIGNA "), "kept as sent");
    assert_eq!(cigna.name(), Some("CIGNA"));
}

#[tokio::test]
async fn payers_with_the_patient_token() {
    let ex = exchange(
        |base| session(base).insurance_payers().list(),
        200,
        fixture("insurance_payers_list.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v1/insurance_payers").assert_header("authorization", USER_AUTH);
    assert_eq!(ex.output().len(), 15);
    assert_eq!(ListInsurancePayers::SPEC.scope, Scope::SubjectOrClient);
}

#[tokio::test]
async fn payers_without_the_list_are_an_error() {
    for body in [&br"{}"[..], br#"[{"id": 33}]"#, br#"{"insurance_payers": [{"description": "no id"}]}"#] {
        let ex = exchange(|base| client(base).send(ListInsurancePayers::new()), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn create_wire_and_decode_eligible() {
    let ex = exchange(
        |base| session(base).insurances().create(InsuranceDetails::new(27, "MDL684088116")),
        200,
        fixture("insurances_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v1/patients/52/insurances")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("insurances_create.request.json"));
    assert_eq!(ex.attempts, 1);
    let i = ex.output();
    assert_eq!(i.id, "2");
    assert_eq!(i.eligible, Some(true));
    assert!(i.eligibility_errors.is_empty());
    assert_eq!((i.insurance_payer_id.as_deref(), i.is_dependent), (Some("27"), Some(false)));
    assert_eq!(i.member_id.as_deref(), Some("MDL684088116"));
    assert_eq!(i.primary_insurance, None);
    assert!(!format!("{i:?}").contains("MDL684088116"));
}

#[tokio::test]
async fn create_decodes_an_ineligible_answer() {
    let ex = exchange(
        |base| session(base).insurances().create(InsuranceDetails::new(27, "MDL684088116")),
        200,
        fixture("insurances_create_ineligible.response.json").as_bytes(),
    )
    .await;
    let i = ex.output();
    assert_eq!(i.eligible, Some(false));
    assert_eq!(i.eligibility_errors.len(), 1);
    assert_eq!(i.eligibility_errors[0].code.as_deref(), Some("incorrect_subscriber_id"));
    assert_eq!(i.eligibility_errors[0].message.as_deref(), Some("Invalid/Missing Subscriber/Insured ID"));
}

#[tokio::test]
async fn create_as_a_dependent_sends_the_subscriber() {
    let subscriber = PrimarySubscriber::new("Pat", "Doe", "F", NaiveDate::from_ymd_opt(1960, 12, 31).unwrap(), "MDL1")
        .relationship("Spouse");
    let ex = exchange(
        |base| session(base).insurances().create_dependent(InsuranceDetails::new(27, "MDL2"), subscriber),
        200,
        fixture("insurances_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_json_body(&serde_json::json!({
        "insurance": {
            "insurance_details": {"insurance_payer_id": 27, "member_id": "MDL2", "is_dependent": true},
            "primary_insurance_details": {
                "relationship": "Spouse", "first_name": "Pat", "last_name": "Doe", "gender": "F",
                "dob": "1960-12-31", "member_id": "MDL1"
            }
        }
    }));
    ex.output();
}

#[tokio::test]
async fn create_without_the_wrapper_is_an_error() {
    for body in [&br"{}"[..], br#"{"eligible": true, "id": 2}"#, br#"{"insurance": null}"#, b""] {
        let ex =
            exchange(|base| session(base).send(CreateInsurance::new("52", InsuranceDetails::new(27, "M"))), 200, body)
                .await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn a_missing_parameter_is_a_400() {
    let ex = exchange(
        |base| session(base).insurances().create(InsuranceDetails::new(27, "M")),
        400,
        br#"{"errors": {"member_id": ["is invalid"]}}"#,
    )
    .await;
    let err = ex.output.unwrap_err();
    let mdlive = err.vendor_error::<MdliveError>().unwrap();
    assert_eq!(mdlive.status, 400);
    assert_eq!(mdlive.field_errors["member_id"], vec!["is invalid".to_owned()]);
}

#[test]
fn create_is_validated_before_sending() {
    let dob = NaiveDate::from_ymd_opt(1960, 12, 31).unwrap();
    for (op, want) in [
        (CreateInsurance::new("52", InsuranceDetails::new(0, "M")), "insurance.insurance_details.insurance_payer_id"),
        (CreateInsurance::new("52", InsuranceDetails::new(27, " ")), "insurance.insurance_details.member_id"),
        (
            CreateInsurance::new("52", InsuranceDetails::new(27, "M"))
                .dependent_of(PrimarySubscriber::new("", "Doe", "F", dob, "M1")),
            "insurance.primary_insurance_details.first_name",
        ),
        (
            CreateInsurance::new("52", InsuranceDetails::new(27, "M"))
                .dependent_of(PrimarySubscriber::new("Pat", "Doe", "F", dob, "")),
            "insurance.primary_insurance_details.member_id",
        ),
    ] {
        let err = op.request(&Encodings::default()).unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == want), "{want}: {err:?}");
    }
}
