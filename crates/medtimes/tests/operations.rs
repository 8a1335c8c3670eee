//! The operation table: every Medtimes operation is an operation value whose spec matches the endpoints
//! the SDK must cover, and each one's wire and decode, checked through the conformance helper.

mod common;

use carewire_core::operation::Scope;
use carewire_medtimes::{
    BatchScreening, BillingMode, ClaimStatus, CreateConsult, GetPrescription, OPERATIONS, SchemeDetails,
    ScreeningPatient, SubmitClaim,
};
use carewire_testkit::conformance::{assert_table_matches, exchange};
use common::*;

/// This crate's rows of the endpoints table, kept beside the tests (and checked against the shared table
/// when it is there).
const ENDPOINTS: &str = include_str!("fixtures/endpoints.tsv");

#[test]
fn the_operation_table_matches_the_endpoints_to_cover() {
    assert_table_matches("medtimes", OPERATIONS, ENDPOINTS);
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/api/endpoints.tsv");
    if let Ok(tsv) = std::fs::read_to_string(shared) {
        assert_table_matches("medtimes", OPERATIONS, &tsv);
    }
    // Every Medtimes call uses the client's key; only the claim, which carries a key, is safe to retry.
    assert!(OPERATIONS.iter().all(|s| s.scope == Scope::Client));
    let safe: Vec<&str> = OPERATIONS.iter().filter(|s| s.retry_safe).map(|s| s.name).collect();
    assert_eq!(safe, vec!["claims.submit", "prescriptions.get"]);
}

#[tokio::test]
async fn create_consult_wire_and_decode() {
    let op = CreateConsult::new("usr_8921a")
        .symptoms(["persistent cough", "fever"])
        .billing_mode(BillingMode::MedicalAid)
        .scheme_details(SchemeDetails::new("Discovery Health", "123456789"));
    let ex =
        exchange(|base| json_client(base).send(op), 200, fixture("consults_create.response.json").as_bytes()).await;
    ex.assert_wire("POST", "/v1/consults/create")
        .assert_header("authorization", AUTH)
        .assert_json_body(&fixture_json("requests/consults_create.request.json"));
    assert_eq!(ex.attempts, 1);
    let consult = ex.output();
    assert_eq!(consult.id, "cns_4492193");
    assert_eq!(consult.object.as_deref(), Some("consult"));
}

#[tokio::test]
async fn submit_claim_wire_and_decode() {
    let claim = SubmitClaim::new(["J06.9"], 45_000).patient_id("usr_8921a").idempotency_key("claim-1");
    let ex =
        exchange(|base| client(base).send(claim), 200, br#"{"id": "clm_1", "status": "submitted", "amount": 45000}"#)
            .await;
    ex.assert_wire("POST", "/v1/claims/submit").assert_header("idempotency-key", "claim-1").assert_form_body(&[
        ("patient_id", "usr_8921a"),
        ("amount", "45000"),
        ("icd10_codes[0]", "J06.9"),
    ]);
    let claim = ex.output();
    assert_eq!(claim.id.as_deref(), Some("clm_1"));
    assert_eq!(claim.status, Some(ClaimStatus::Submitted));
}

#[tokio::test]
async fn a_per_call_key_replaces_the_claims_own() {
    let claim = SubmitClaim::new(["J06.9"], 45_000).idempotency_key("from-the-claim");
    let ex = exchange(|base| client(base).send(claim).idempotency_key("from-the-call"), 202, b"").await;
    ex.assert_header("idempotency-key", "from-the-call");
    assert_eq!(ex.output().id, None, "a 202 without a body is a submitted claim");
}

#[tokio::test]
async fn batch_screening_wire_and_decode() {
    let batch = BatchScreening::new("Wellness Day", [ScreeningPatient::new("8001015009087").name("Jane Doe")]);
    let ex =
        exchange(|base| json_client(base).send(batch), 200, fixture("events_batch.response.json").as_bytes()).await;
    ex.assert_wire("POST", "/v1/events/batch");
    let body = ex.request.json_value().unwrap();
    assert_eq!(body["event_name"], "Wellness Day");
    assert_eq!(body["patients"][0]["id_number"], "8001015009087");
    assert!(!ex.output().id.is_empty());
}

#[tokio::test]
async fn get_prescription_wire_and_decode() {
    let ex = exchange(
        |base| client(base).prescriptions().get("rx/7781"),
        200,
        fixture("prescriptions_retrieve.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/v1/prescriptions/rx%2F7781").assert_no_body().assert_query(&[]);
    assert!(!ex.output().id.is_empty());
    // The spec of the operation value is what the handle sends.
    assert_eq!(<GetPrescription as carewire_core::operation::Operation>::SPEC.name, "prescriptions.get");
}

#[test]
fn models_round_trip_and_can_be_built_in_your_own_tests() {
    use carewire_medtimes::{Consult, Prescription, ScreeningEvent};
    fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug>(name: &str) {
        let decoded: T = serde_json::from_str(&fixture(name)).unwrap();
        let again: T = serde_json::from_value(serde_json::to_value(&decoded).unwrap()).unwrap();
        assert_eq!(decoded, again, "{name}");
    }
    round_trip::<Consult>("consults_create.response.json");
    round_trip::<ScreeningEvent>("events_batch.response.json");
    round_trip::<Prescription>("prescriptions_retrieve.response.json");
    // Models are `Default` with public fields: a test double needs no JSON.
    let mut consult = Consult::default();
    consult.id = "cns_test".to_owned();
    consult.join_url = Some("https://meet.example/cns_test".to_owned());
    assert_eq!(serde_json::to_value(&consult).unwrap()["id"], "cns_test");
    assert!(!format!("{consult:?}").contains("meet.example"), "Debug still redacts");
}
