//! The operation table: every Healthstack operation is an operation value whose spec matches the endpoints
//! the SDK must cover, and each one's wire (method, exact path, secret key, consent token, body) and
//! decode, checked through the conformance helper.
//!
//! Every client here holds a valid consent token for [`HID`], so the four operations on a patient must send
//! it and the fifteen others must not.

mod common;

use carewire_core::money::Decimal;
use std::collections::BTreeSet;
use std::future::IntoFuture;

use carewire_core::operation::{Call, Operation, Scope};
use carewire_core::secret::ExposeSecret;
use carewire_healthstack::{
    ActivateMedicard, AssignMedicard, CONSENT_HEADER, CardStatus, Client, ConsentToken, CreateMedicard, CreatePatient,
    CreateRecord, DeactivateMedicard, Diagnosis, EditPatient, FundMedicard, Gender, GetMedicard, GetPatient,
    GrantConsent, HealthstackError, ListBusinessTransactions, ListCardTransactions, ListMedicards, ListPatients,
    ListRecords, ListReservedMedicards, ManualClock, OPERATIONS, Provider, RecordData, RecordType, ReserveMedicards,
    SeekConsent,
};
use carewire_testkit::conformance::{Exchange, assert_table_matches, exchange};
use carewire_testkit::{RecordedRequest, Reply, TestServer};
use chrono::{NaiveDate, TimeDelta, Utc};
use common::{HID, KEY, fixture, fixture_json};
use serde_json::{Value, json};

/// This crate's rows of the endpoints table, kept beside the tests (and checked against the shared table
/// when it is there).
const ENDPOINTS: &str = include_str!("fixtures/endpoints.tsv");
const AUTH: &str = "Bearer sk_test_1234567890abcdef";
/// The consent token every client of these tests holds for [`HID`].
const TOKEN: &str = "ct_conformance_0001";

#[test]
fn the_operation_table_matches_the_endpoints_to_cover() {
    assert_eq!(OPERATIONS.len(), 19);
    assert_table_matches("healthstack", OPERATIONS, ENDPOINTS);
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/api/endpoints.tsv");
    if let Ok(tsv) = std::fs::read_to_string(shared) {
        assert_table_matches("healthstack", OPERATIONS, &tsv);
    }
    let names: BTreeSet<&str> = OPERATIONS.iter().map(|s| s.name).collect();
    assert_eq!(names.len(), OPERATIONS.len(), "operation names are unique");
    assert!(
        names.iter().all(|n| n.starts_with("patients.") || n.starts_with("records.") || n.starts_with("medicards."))
    );
    // The secret key everywhere; the patient's consent token beside it on the four calls acting on a patient.
    let on_a_patient: Vec<&str> =
        OPERATIONS.iter().filter(|s| s.scope == Scope::ClientAndSubject).map(|s| s.name).collect();
    assert_eq!(on_a_patient, ["patients.get", "patients.edit", "records.create", "records.list"]);
    assert!(OPERATIONS.iter().all(|s| matches!(s.scope, Scope::Client | Scope::ClientAndSubject)));
    // GETs retry, and patient creation (deduplicated on NIN); no other POST or PATCH does (a fund never).
    let unsafe_writes: Vec<&str> = OPERATIONS.iter().filter(|s| !s.retry_safe).map(|s| s.name).collect();
    assert_eq!(
        unsafe_writes,
        [
            "patients.seek_consent",
            "patients.grant_consent",
            "patients.edit",
            "records.create",
            "medicards.create",
            "medicards.activate",
            "medicards.deactivate",
            "medicards.reserve",
            "medicards.assign",
            "medicards.fund",
        ]
    );
}

/// A client for the local server at `base`, holding a valid consent token for [`HID`].
fn client(base: &str) -> Client {
    let client = Client::builder().secret_key(KEY).base_url(format!("{base}/v1")).build().expect("client");
    client.consents().insert(ConsentToken::new(HID, TOKEN, Utc::now()));
    client
}

/// Sends the call `make` builds against a server answering the fixture `response`, and checks the auth
/// header and whether the consent token was sent.
async fn run<O: Operation>(make: impl FnOnce(Client) -> Call<O>, response: &str, consent: bool) -> Exchange<O::Output> {
    let ex = exchange(|base| make(client(base)), 200, fixture(response).as_bytes()).await;
    ex.assert_header("authorization", AUTH);
    assert_eq!(ex.request.header(CONSENT_HEADER), consent.then_some(TOKEN), "consent header");
    assert_eq!(ex.attempts, 1);
    ex
}

/// The doc's request fixture `name`, with `changes` applied where carewire deliberately sends otherwise.
fn request_fixture(name: &str, changes: &[(&str, Value)]) -> Value {
    let mut body = fixture_json(&format!("requests/{name}.request.json"));
    for (key, value) in changes {
        body[*key] = value.clone();
    }
    body
}

fn dob() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 1, 1).expect("date")
}

#[tokio::test]
async fn create_patient() {
    let patient = CreatePatient::new("Jane Doe", Gender::Female, dob(), "12345678901", "jane.doe@email.com");
    let ex = run(|c| c.patients().create(patient), "patients_create.response.json", false).await;
    // The NIN goes as a string: a JSON number would lose a leading zero (H11).
    let body = request_fixture("patients_create", &[("nin", json!("12345678901"))]);
    ex.assert_wire("POST", "/v1/patients/create").assert_json_body(&body);
    let created = ex.output();
    assert_eq!(created.health_id, "HID-PSE8RUOK");
    assert_eq!(created.name.as_deref(), Some("Jane Doe"));
}

#[tokio::test]
async fn seek_consent() {
    let ex = run(|c| c.send(SeekConsent::new("HID-PSE8RUOK")), "patients_seek_consent.response.json", false).await;
    ex.assert_wire("POST", "/v1/patients/seek-consent")
        .assert_json_body(&request_fixture("patients_seek_consent", &[]));
    let ack = ex.output();
    assert_eq!(ack.success, Some(true));
    assert!(ack.message.is_some());
}

#[tokio::test]
async fn grant_consent_stores_the_token_through_the_handle_only() {
    let client_seen = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen = client_seen.clone();
    let ex = run(
        move |c| {
            *seen.lock().unwrap() = Some(c.clone());
            c.patients().grant_consent(HID, "123456")
        },
        "patients_consent.response.json",
        false,
    )
    .await;
    ex.assert_wire("POST", "/v1/patients/consent").assert_json_body(&request_fixture("patients_consent", &[]));
    let token = ex.output();
    assert_eq!(token.health_id(), HID);
    let c = client_seen.lock().unwrap().take().unwrap();
    let stored = c.consents().valid(HID).expect("stored");
    assert_eq!(stored.obtained_at(), token.obtained_at());
    assert_eq!(stored.token().expose_secret(), "eyJhbGciOiJIUzI1Ni...", "the granted token replaced the old one");

    // The bare operation returns the token and stores nothing.
    let ex = exchange(
        |base| {
            let c = Client::builder().secret_key(KEY).base_url(format!("{base}/v1")).build().unwrap();
            *client_seen.lock().unwrap() = Some(c.clone());
            c.send(GrantConsent::new(HID, "123456"))
        },
        200,
        fixture("patients_consent.response.json").as_bytes(),
    )
    .await;
    assert_eq!(ex.output().health_id(), HID);
    assert!(client_seen.lock().unwrap().take().unwrap().consents().is_empty());
}

#[tokio::test]
async fn list_patients() {
    let ex = run(|c| c.send(ListPatients), "patients_multiple.response.json", false).await;
    ex.assert_wire("GET", "/v1/patients/multiple").assert_no_body().assert_query(&[]);
    let patients = ex.output();
    assert_eq!(patients[0].gender, Some(Gender::Female));
}

#[tokio::test]
async fn get_patient_sends_the_stored_consent_token() {
    let ex = run(|c| c.patients().get(HID), "patient_single.response.json", true).await;
    ex.assert_wire("GET", "/v1/patient/single/HID-NHG869UP").assert_no_body();
    assert_eq!(ex.output().health_id, HID);
}

#[tokio::test]
async fn edit_patient_sends_the_stored_consent_token() {
    let edit = EditPatient::new().set("Key", "Value");
    let ex = run(|c| c.patients().edit(HID, edit), "patient_edit.response.json", true).await;
    ex.assert_wire("PATCH", "/v1/edit/HID-NHG869UP").assert_json_body(&request_fixture("patient_edit", &[]));
    assert_eq!(ex.output().metadata["Key"], "Value");
}

fn diagnosis_record() -> CreateRecord {
    let mut dx = Diagnosis::new();
    dx.diagnosis = Some("Fever".into());
    dx.severity = Some("Mild".into());
    dx.notes = Some("Patient reported mild fever".into());
    CreateRecord::new(HID, RecordData::Diagnosis(dx), Provider::new("Dr. Ada", "NPRN-0001"))
}

#[tokio::test]
async fn create_record_sends_the_stored_consent_token() {
    let ex = run(|c| c.records().create(diagnosis_record()), "records_create.response.json", true).await;
    // The provider, required by the field table but absent from the example, is sent too (H13).
    let body = request_fixture("records_create", &[("provider", json!({ "name": "Dr. Ada", "nprn": "NPRN-0001" }))]);
    ex.assert_wire("POST", "/v1/records").assert_json_body(&body);
    assert_eq!(ex.output().record_id, "454e23a2-4e56-4e9f-902c-6b38d59dadf6");
}

#[tokio::test]
async fn list_records_sends_the_stored_consent_token_and_filters() {
    let from = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").unwrap();
    let filter = ListRecords::new().record_type(RecordType::Diagnosis).from(from).extra("source", "all");
    let body = json!({ "success": true, "status": 200, "message": "ok", "data": [
        { "recordId": "r1", "recordType": "diagnosis", "data": { "diagnosis": "Fever" }, "patient": HID }
    ] });
    let ex = exchange(|base| client(base).records().list(HID, filter), 200, body.to_string().as_bytes()).await;
    ex.assert_wire("GET", "/v1/records/multiple/HID-NHG869UP")
        .assert_header("authorization", AUTH)
        .assert_header(CONSENT_HEADER, TOKEN)
        .assert_query(&[("recordType", "diagnosis"), ("from", "2025-01-01T00:00:00+00:00"), ("source", "all")])
        .assert_no_body();
    let records = ex.output();
    assert!(matches!(&records[0].data, RecordData::Diagnosis(d) if d.diagnosis.as_deref() == Some("Fever")));
}

#[tokio::test]
async fn create_medicard() {
    let card = CreateMedicard::new("HID-PSE8RUOK", "Jane Doe", "Black Medicard");
    let ex = run(|c| c.medicards().create(card), "medicard_create.response.json", false).await;
    ex.assert_wire("POST", "/v1/medicard/create").assert_json_body(&request_fixture("medicard_create", &[]));
    assert_eq!(ex.output().card_number, "MED-KMSII94S");
}

#[tokio::test]
async fn activate_medicard() {
    let activation = ActivateMedicard::new("HID-PSE8RUOK", "MED-KMSII94S", "4432");
    let ex = run(|c| c.medicards().activate(activation), "medicard_activate.response.json", false).await;
    ex.assert_wire("PATCH", "/v1/medicard/activate").assert_json_body(&request_fixture("medicard_activate", &[]));
    assert_eq!(ex.output().active, Some(true));
}

#[tokio::test]
async fn deactivate_medicard() {
    let deactivation = DeactivateMedicard::new("HID-PSE8RUOK", "4432");
    let ex = run(|c| c.medicards().deactivate(deactivation), "medicard_deactivate.response.json", false).await;
    // The reason goes as a string, as the field table says (H8).
    let body = request_fixture("medicard_deactivate", &[("reason", json!("4432"))]);
    ex.assert_wire("PATCH", "/v1/medicard/deactivate").assert_json_body(&body);
    assert_eq!(ex.output().active, Some(false));
}

#[tokio::test]
async fn reserve_medicards() {
    let ex = run(
        |c| c.medicards().reserve(ReserveMedicards::new(2, "Black Medicard")),
        "medicard_reserve.response.json",
        false,
    )
    .await;
    ex.assert_wire("POST", "/v1/medicard/reserve").assert_json_body(&request_fixture("medicard_reserve", &[]));
    assert!(ex.output().is_empty(), "the doc answers data: []");
}

#[tokio::test]
async fn assign_medicard() {
    let expires = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let assignment = AssignMedicard::new("HID-IELEOR7G", "Test Card", "Black Medicard", "MED-B35ZF00M", expires);
    let ex = run(|c| c.medicards().assign(assignment), "medicard_assign.response.json", false).await;
    ex.assert_wire("POST", "/v1/medicard/assign").assert_json_body(&request_fixture("medicard_assign", &[]));
    assert_eq!(ex.output().card_number, "MED-9Y2OV2KT");
}

#[tokio::test]
async fn get_medicard() {
    let ex = run(|c| c.send(GetMedicard::new("MED-9Y2OV2KT")), "medicard_single.response.json", false).await;
    ex.assert_wire("GET", "/v1/medicard/single/MED-9Y2OV2KT").assert_no_body();
    assert_eq!(ex.output().business_id.as_deref(), Some("BUS-AFV2LA01"));
}

#[tokio::test]
async fn list_medicards() {
    let ex = run(|c| c.send(ListMedicards), "medicard_patients.response.json", false).await;
    ex.assert_wire("GET", "/v1/medicard/patients").assert_no_body();
    assert_eq!(ex.output()[0].card_type.as_deref(), Some("Black Medicard"));
}

#[tokio::test]
async fn list_reserved_medicards() {
    let ex =
        run(|c| c.send(ListReservedMedicards::new("BUS-AFV2LA01")), "medicard_reserved.response.json", false).await;
    ex.assert_wire("GET", "/v1/medicard/reserved/BUS-AFV2LA01").assert_no_body();
    assert_eq!(ex.output()[0].status, Some(CardStatus::NotAssigned));
}

#[tokio::test]
async fn list_card_transactions() {
    let ex =
        run(|c| c.send(ListCardTransactions::new("MED-B35ZF00M")), "medicard_transactions.response.json", false).await;
    ex.assert_wire("GET", "/v1/medicard/transactions/MED-B35ZF00M").assert_no_body();
    assert_eq!(ex.output()[0].id.as_deref(), Some("7"));
}

#[tokio::test]
async fn list_business_transactions() {
    let ex = run(
        |c| c.send(ListBusinessTransactions::new("BUS-AFV2LA01")),
        "medicard_business_transactions.response.json",
        false,
    )
    .await;
    ex.assert_wire("GET", "/v1/medicard/business-transaction/BUS-AFV2LA01").assert_no_body();
    assert_eq!(ex.output()[0].transaction_ref.as_deref(), Some("443153435534344"));
}

#[tokio::test]
async fn fund_medicard() {
    let funding = FundMedicard::new("MED-B35ZF00M", "1234567890", 4000);
    let ex = run(|c| c.medicards().fund(funding), "medicard_fund.response.json", false).await;
    // The reference goes as a string, the field table's type (H9).
    let body = request_fixture("medicard_fund", &[("reference", json!("1234567890"))]);
    ex.assert_wire("POST", "/v1/medicard/fund/MED-B35ZF00M").assert_json_body(&body);
    assert_eq!(ex.output().amount, Some(Decimal::new(4000, 0)));
}

#[tokio::test]
async fn an_explicit_token_replaces_the_stored_one_for_one_call() {
    let explicit = ConsentToken::new(HID, "ct_explicit", Utc::now());
    let ex = exchange(
        |base| client(base).send(GetPatient::new(HID).consent(explicit)),
        200,
        fixture("patient_single.response.json").as_bytes(),
    )
    .await;
    ex.assert_header(CONSENT_HEADER, "ct_explicit");
    // A raw header on the call bypasses the store the same way.
    let ex = exchange(
        |base| client(base).records().list(HID, ListRecords::new()).header(CONSENT_HEADER, "ct_raw"),
        200,
        br#"{"status": 200, "data": []}"#,
    )
    .await;
    ex.assert_header(CONSENT_HEADER, "ct_raw");
    assert!(ex.output().is_empty());
}

/// A server that answers every request with an empty success envelope, and the requests it received.
fn recording_server() -> TestServer {
    TestServer::start(|_req: &RecordedRequest| Reply::json(200, &json!({ "status": 200, "data": [] })))
}

#[tokio::test]
async fn an_expired_token_is_never_sent_by_any_operation_on_a_patient() {
    let server = recording_server();
    let clock = ManualClock::new(Utc::now());
    let c = Client::builder().secret_key(KEY).base_url(format!("{}/v1", server.uri())).clock(clock.clone()).build();
    let c = c.unwrap();
    c.consents().insert(ConsentToken::new(HID, TOKEN, carewire_healthstack::Clock::now(&clock)));
    clock.advance(carewire_healthstack::CONSENT_TTL);
    let errors = [
        c.patients().get(HID).await.map(drop).unwrap_err(),
        c.patients().edit(HID, EditPatient::new().set("k", "v")).await.map(drop).unwrap_err(),
        c.records().create(diagnosis_record()).await.map(drop).unwrap_err(),
        c.records().list(HID, ListRecords::new()).await.map(drop).unwrap_err(),
    ];
    for err in &errors {
        assert!(err.vendor_error::<HealthstackError>().is_some_and(|e| e.is_consent_required()), "{err:?}");
        assert_eq!(err.api().unwrap().details().unwrap()["sent"], false);
    }
    assert!(errors[0].to_string().starts_with("healthstack GET /patient/single/{health_id}: "), "{}", errors[0]);
    assert!(server.requests().is_empty(), "nothing was sent");
    // An explicit token past its expiry is refused too, and one for another patient names the field.
    let stale = ConsentToken::new(HID, "ct_old", Utc::now() - TimeDelta::hours(25));
    assert!(
        c.send(GetPatient::new(HID).consent(stale))
            .await
            .unwrap_err()
            .vendor_error::<HealthstackError>()
            .is_some_and(|e| e.is_consent_required())
    );
    let other = ConsentToken::new("HID-BBBBBBBB", "ct_other", Utc::now());
    let err = c.records().with_consent(other).list(HID, ListRecords::new()).await.unwrap_err();
    assert!(matches!(err, carewire_core::Error::InvalidRequest { ref field, .. } if field == "consent_token"));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn decode_errors_name_the_call_and_the_escape_hatches_decode_data() {
    let server = recording_server();
    let c = Client::builder().secret_key(KEY).base_url(format!("{}/v1", server.uri())).build().unwrap();
    let err = c.medicards().get("MED-1").await.unwrap_err();
    assert!(matches!(err, carewire_core::Error::Decode(_)), "{err:?}");
    assert!(err.to_string().starts_with("healthstack GET /medicard/single/{card_number}: "), "{err}");
    // The escape hatch returns `data` decoded as asked, or the whole envelope.
    let list: Vec<Value> = c.request(carewire_core::Request::get("/patients/multiple")).await.unwrap();
    assert!(list.is_empty());
    let env = c.request_envelope::<Vec<Value>>(carewire_core::Request::get("/patients/multiple")).await.unwrap();
    assert_eq!(env.status.and_then(|s| s.code()), Some(200));
    let with_meta = c.request_with_meta::<Vec<Value>>(carewire_core::Request::get("/medicard/patients")).await;
    assert_eq!(with_meta.unwrap().meta.status, 200);
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/v1/medicard/single/MED-1", "/v1/patients/multiple", "/v1/patients/multiple", "/v1/medicard/patients"]
    );
}

#[tokio::test]
async fn handles_and_calls_move_into_tasks() {
    let server = recording_server();
    let c = Client::builder().secret_key(KEY).base_url(format!("{}/v1", server.uri())).build().unwrap();
    let medicards = c.medicards();
    let records = c.records();
    let a = tokio::spawn(async move { medicards.list().await });
    let b =
        tokio::spawn(records.list(HID, ListRecords::new()).timeout(std::time::Duration::from_secs(5)).into_future());
    assert!(a.await.unwrap().unwrap().is_empty());
    assert!(b.await.unwrap().unwrap().is_empty());
    assert_eq!(server.requests().len(), 2);
}
