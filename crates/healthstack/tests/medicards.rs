//! Medicards: all 11 operations against wiremock, decoding the doc's fixtures.

mod common;

use carewire_core::money::Decimal;
use carewire_healthstack::{
    ActivateMedicard, AssignMedicard, CardStatus, CreateMedicard, DeactivateMedicard, FundMedicard, ParsedExpiry,
    ReserveMedicards,
};
use chrono::NaiveDate;
use common::{client, consent_header, mock, mock_json, only_request, respond};
use serde_json::json;
use wiremock::MockServer;
use wiremock::matchers::body_json;

fn no_consent_header(req: &wiremock::Request) {
    assert!(consent_header(req).is_none());
}

#[tokio::test]
async fn create_unwraps_the_one_element_array() {
    let server = MockServer::start().await;
    mock_json("POST", "/v1/medicard/create")
        .and(body_json(json!({ "health_id": "HID-PSE8RUOK", "cardName": "Jane Doe", "cardType": "Black Medicard" })))
        .respond_with(respond("medicard_create.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let card = client(&server)
        .medicards()
        .create(CreateMedicard::new("HID-PSE8RUOK", "Jane Doe", "Black Medicard"))
        .await
        .unwrap();
    assert_eq!(card.card_number, "MED-KMSII94S");
    assert_eq!(card.balance, Some(Decimal::new(0, 0)));
    assert_eq!(card.active, Some(false));
    assert_eq!(card.failed_attempt, Some(5));
    assert!(card.card_pin.is_none());
    assert_eq!(card.status, Some(CardStatus::Assigned));
    let expiry = card.expires_at.as_ref().unwrap();
    assert_eq!(expiry.raw(), "18/25");
    assert_eq!(expiry.parse(), None);
    assert_eq!(card.metadata.as_ref().unwrap().limit, Some(Decimal::new(100_000, 0)));
    no_consent_header(&only_request(&server).await);
}

#[tokio::test]
async fn activate_sends_pin_as_number_and_reads_string_active() {
    let server = MockServer::start().await;
    mock_json("PATCH", "/v1/medicard/activate")
        .and(body_json(json!({ "health_id": "HID-PSE8RUOK", "card_pin": 4432, "card_number": "MED-KMSII94S" })))
        .respond_with(respond("medicard_activate.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let activation = ActivateMedicard::new("HID-PSE8RUOK", "MED-KMSII94S", "4432");
    assert!(!format!("{activation:?}").contains("4432"));
    let state = c.medicards().activate(activation).await.unwrap();
    assert_eq!(state.active, Some(true));
    assert_eq!(state.card_number.as_deref(), Some("MED-KMSII94S"));
    for bad in ["443", "44321", "44a2"] {
        let err = c.medicards().activate(ActivateMedicard::new("HID-PSE8RUOK", "MED-KMSII94S", bad)).await.unwrap_err();
        assert!(matches!(err, carewire_core::Error::InvalidRequest { ref field, .. } if field == "card_pin"));
        assert!(!err.to_string().contains(bad));
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn deactivate_sends_reason_as_string() {
    let server = MockServer::start().await;
    mock_json("PATCH", "/v1/medicard/deactivate")
        .and(body_json(json!({ "card_number": "MED-B35ZF00M", "reason": "4432" })))
        .respond_with(respond("medicard_deactivate.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let state = client(&server).medicards().deactivate(DeactivateMedicard::new("MED-B35ZF00M", "4432")).await.unwrap();
    assert_eq!(state.active, Some(false));
    assert_eq!(state.health_id.as_deref(), Some("HID-IELEOR7G"));
}

#[tokio::test]
async fn reserve_accepts_empty_data_and_checks_quantity() {
    let server = MockServer::start().await;
    mock_json("POST", "/v1/medicard/reserve")
        .and(body_json(json!({ "quantity": 2, "cardType": "Black Medicard" })))
        .respond_with(respond("medicard_reserve.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let cards = c.medicards().reserve(ReserveMedicards::new(2, "Black Medicard")).await.unwrap();
    assert!(cards.is_empty());
    let err = c.medicards().reserve(ReserveMedicards::new(0, "Black Medicard")).await.unwrap_err();
    assert!(matches!(err, carewire_core::Error::InvalidRequest { ref field, .. } if field == "quantity"));
}

#[tokio::test]
async fn assign_sends_camel_case_and_date() {
    let server = MockServer::start().await;
    mock_json("POST", "/v1/medicard/assign")
        .and(body_json(json!({
            "health_id": "HID-IELEOR7G", "cardName": "Test Card", "cardType": "Black Medicard",
            "cardNumber": "MED-B35ZF00M", "expires_at": "2025-01-01"
        })))
        .respond_with(respond("medicard_assign.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let card = client(&server)
        .medicards()
        .assign(AssignMedicard::new(
            "HID-IELEOR7G",
            "Test Card",
            "Black Medicard",
            "MED-B35ZF00M",
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        ))
        .await
        .unwrap();
    assert_eq!(card.card_number, "MED-9Y2OV2KT");
    assert_eq!(
        card.expires_at.unwrap().parse(),
        Some(ParsedExpiry::Date(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()))
    );
}

#[tokio::test]
async fn get_single_card() {
    let server = MockServer::start().await;
    mock("GET", "/v1/medicard/single/MED-9Y2OV2KT")
        .respond_with(respond("medicard_single.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let card = client(&server).medicards().get("MED-9Y2OV2KT").await.unwrap();
    assert_eq!(card.id.as_deref(), Some("2f55d6c1-c443-40fe-ba1b-d7ce077b9559"));
    assert_eq!(card.business_id.as_deref(), Some("BUS-AFV2LA01"));
    let dbg = format!("{card:?}");
    assert!(!dbg.contains("HID-E5CNO4UB") && !dbg.contains("Test card"));
}

#[tokio::test]
async fn list_cards_reserved_and_transactions() {
    let server = MockServer::start().await;
    mock("GET", "/v1/medicard/patients")
        .respond_with(respond("medicard_patients.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    mock("GET", "/v1/medicard/reserved/BUS-AFV2LA01")
        .respond_with(respond("medicard_reserved.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    mock("GET", "/v1/medicard/transactions/MED-B35ZF00M")
        .respond_with(respond("medicard_transactions.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    mock("GET", "/v1/medicard/business-transaction/BUS-AFV2LA01")
        .respond_with(respond("medicard_business_transactions.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let cards = c.medicards().list().await.unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].card_type.as_deref(), Some("Black Medicard"));
    let reserved = c.medicards().list_reserved("BUS-AFV2LA01").await.unwrap();
    assert_eq!(reserved[0].card_number, "MED-RU9KPW1H");
    assert_eq!(reserved[0].status, Some(CardStatus::NotAssigned));
    assert_eq!(reserved[0].expires_at.as_ref().unwrap().raw(), "18/25");
    for txs in [
        c.medicards().transactions("MED-B35ZF00M").await.unwrap(),
        c.medicards().business_transactions("BUS-AFV2LA01").await.unwrap(),
    ] {
        let t = &txs[0];
        assert_eq!(t.id.as_deref(), Some("7"));
        assert_eq!(t.amount, Some(Decimal::new(4000, 0)));
        assert_eq!(t.transaction_ref.as_deref(), Some("443153435534344"));
        assert_eq!(t.kind.as_deref(), Some("Consultations"));
        assert_eq!(t.status.as_deref(), Some("pending"));
        assert_eq!(t.metadata.as_ref().unwrap()["receiver"], "ST. Peters clinic");
    }
    for req in server.received_requests().await.unwrap() {
        no_consent_header(&req);
    }
}

#[tokio::test]
async fn fund_repeats_card_number_and_sends_reference_as_string() {
    let server = MockServer::start().await;
    mock_json("POST", "/v1/medicard/fund/MED-B35ZF00M")
        .and(body_json(json!({ "card_number": "MED-B35ZF00M", "reference": "1234567890", "amount": 4000 })))
        .respond_with(respond("medicard_fund.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let funded = c.medicards().fund(FundMedicard::new("MED-B35ZF00M", "1234567890", 4000)).await.unwrap();
    assert_eq!(funded.reference.as_deref(), Some("1234567890"));
    assert_eq!(funded.amount, Some(Decimal::new(4000, 0)));
    for amount in [0, -5] {
        let err = c.medicards().fund(FundMedicard::new("MED-B35ZF00M", "r", amount)).await.unwrap_err();
        assert!(matches!(err, carewire_core::Error::InvalidRequest { ref field, .. } if field == "amount"));
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// Only calls acting on a patient (get, edit, create record, list records) send `x-consent-token`: every
/// other call leaves it out even while the store holds a valid token for the patient concerned.
#[tokio::test]
async fn other_calls_never_send_a_stored_consent_token() {
    let server = MockServer::start().await;
    let routes = [
        ("POST", "/v1/patients/create", "patients_create.response.json"),
        ("POST", "/v1/patients/seek-consent", "patients_seek_consent.response.json"),
        ("POST", "/v1/patients/consent", "patients_consent.response.json"),
        ("GET", "/v1/patients/multiple", "patients_multiple.response.json"),
        ("POST", "/v1/medicard/create", "medicard_create.response.json"),
        ("PATCH", "/v1/medicard/activate", "medicard_activate.response.json"),
        ("PATCH", "/v1/medicard/deactivate", "medicard_deactivate.response.json"),
        ("POST", "/v1/medicard/reserve", "medicard_reserve.response.json"),
        ("POST", "/v1/medicard/assign", "medicard_assign.response.json"),
        ("GET", "/v1/medicard/single/MED-B35ZF00M", "medicard_single.response.json"),
        ("GET", "/v1/medicard/patients", "medicard_patients.response.json"),
        ("GET", "/v1/medicard/reserved/BUS-AFV2LA01", "medicard_reserved.response.json"),
        ("GET", "/v1/medicard/transactions/MED-B35ZF00M", "medicard_transactions.response.json"),
        ("GET", "/v1/medicard/business-transaction/BUS-AFV2LA01", "medicard_business_transactions.response.json"),
        ("POST", "/v1/medicard/fund/MED-B35ZF00M", "medicard_fund.response.json"),
    ];
    for (verb, path, file) in routes {
        mock(verb, path).respond_with(respond(file)).expect(1).mount(&server).await;
    }
    let c = client(&server);
    let hid = common::HID;
    let other = "HID-PSE8RUOK";
    for id in [hid, other] {
        c.consents().insert(carewire_healthstack::ConsentToken::new(id, "ct_stored_valid", chrono::Utc::now()));
    }
    let dob = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let patient = carewire_healthstack::CreatePatient::new(
        "Jane Doe",
        carewire_healthstack::Gender::Female,
        dob,
        "12345678901",
        "jane@example.com",
    );
    c.patients().create(patient).await.unwrap();
    c.patients().seek_consent(hid).await.unwrap();
    c.patients().grant_consent(hid, "123456").await.unwrap();
    c.patients().list().await.unwrap();
    let m = c.medicards();
    m.create(CreateMedicard::new(hid, "Jane Doe", "Black Medicard")).await.unwrap();
    m.activate(ActivateMedicard::new(other, "MED-KMSII94S", "4432")).await.unwrap();
    m.deactivate(DeactivateMedicard::new("MED-B35ZF00M", "lost")).await.unwrap();
    m.reserve(ReserveMedicards::new(1, "Black Medicard")).await.unwrap();
    m.assign(AssignMedicard::new(hid, "Test Card", "Black Medicard", "MED-B35ZF00M", dob)).await.unwrap();
    m.get("MED-B35ZF00M").await.unwrap();
    m.list().await.unwrap();
    m.list_reserved("BUS-AFV2LA01").await.unwrap();
    m.transactions("MED-B35ZF00M").await.unwrap();
    m.business_transactions("BUS-AFV2LA01").await.unwrap();
    m.fund(FundMedicard::new("MED-B35ZF00M", "1234567890", 4000)).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), routes.len());
    for req in &requests {
        no_consent_header(req);
    }
}

#[tokio::test]
async fn empty_path_ids_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let m = client(&server);
    let m = m.medicards();
    let field = |err: carewire_core::Error| match err {
        carewire_core::Error::InvalidRequest { field, .. } => field.into_owned(),
        other => panic!("expected InvalidRequest, got {other:?}"),
    };
    assert_eq!(field(m.get(" ").await.unwrap_err()), "card_number");
    assert_eq!(field(m.transactions("").await.unwrap_err()), "card_number");
    assert_eq!(field(m.list_reserved("").await.unwrap_err()), "business_id");
    assert_eq!(field(m.business_transactions(" ").await.unwrap_err()), "business_id");
    assert_eq!(field(m.fund(FundMedicard::new("", "ref", 100)).await.unwrap_err()), "card_number");
    assert!(server.received_requests().await.unwrap().is_empty());
}
