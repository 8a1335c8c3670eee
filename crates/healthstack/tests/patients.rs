//! Patients and consent: every operation against wiremock, decoding the doc's fixtures.

mod common;

use std::sync::Arc;
use std::time::Duration;

use carewire_core::secret::ExposeSecret;
use carewire_healthstack::{
    Client, ConsentStore, ConsentToken, CreatePatient, EditPatient, ErrorKind, Gender, HealthstackError, ManualClock,
};
use chrono::{NaiveDate, Utc};
use common::{HID, KEY, client, consent_header, fixture, mock, mock_json, only_request, respond};
use serde_json::json;
use wiremock::matchers::body_json;
use wiremock::{MockServer, ResponseTemplate};

#[tokio::test]
async fn create_patient_sends_json_and_decodes_variant_a() {
    let server = MockServer::start().await;
    mock_json("POST", "/v1/patients/create")
        .and(body_json(json!({
            "name": "Jane Doe", "gender": "female", "dob": "1990-01-01",
            "nin": "12345678901", "email": "jane.doe@email.com"
        })))
        .respond_with(respond("patients_create.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let dob = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let created = client(&server)
        .patients()
        .create(CreatePatient::new("Jane Doe", Gender::Female, dob, "12345678901", "jane.doe@email.com"))
        .await
        .unwrap();
    assert_eq!(created.health_id, "HID-PSE8RUOK");
    assert_eq!(created.name.as_deref(), Some("Jane Doe"));
    assert_eq!(created.nin.as_deref(), Some("12345678901"));
    assert_eq!(created.created_at.as_deref(), Some("2024-01-15T10:30:00Z"));
    let dbg = format!("{created:?}");
    assert!(!dbg.contains("Jane") && !dbg.contains("12345678901") && !dbg.contains("HID-"));
}

#[tokio::test]
async fn create_patient_validates_before_sending() {
    let server = MockServer::start().await;
    let c = client(&server);
    let dob = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let cases = [
        (CreatePatient::new("Jane", Gender::Female, dob, "1234567890", "j@e.com"), "nin"),
        (CreatePatient::new("Jane", Gender::Female, dob, "1234567890a", "j@e.com"), "nin"),
        (CreatePatient::new("  ", Gender::Female, dob, "12345678901", "j@e.com"), "name"),
        (CreatePatient::new("Jane", Gender::Female, dob, "12345678901", "nope"), "email"),
    ];
    for (req, field) in cases {
        let err = c.patients().create(req).await.unwrap_err();
        match &err {
            carewire_core::Error::InvalidRequest { field: f, .. } => assert_eq!(f, field),
            other => panic!("unexpected {other:?}"),
        }
        assert!(!err.to_string().contains("1234567890"));
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn seek_consent_has_no_data() {
    let server = MockServer::start().await;
    mock_json("POST", "/v1/patients/seek-consent")
        .and(body_json(json!({ "health_id": HID })))
        .respond_with(respond("patients_seek_consent.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let ack = client(&server).patients().seek_consent(HID).await.unwrap();
    assert_eq!(ack.success, Some(true));
    assert_eq!(ack.status.and_then(|s| s.code()), Some(200));
    assert!(ack.message.is_some());
}

#[tokio::test]
async fn grant_consent_returns_and_stores_a_24h_token() {
    let server = MockServer::start().await;
    mock_json("POST", "/v1/patients/consent")
        .and(body_json(json!({ "health_id": HID, "otp": 123_456 })))
        .respond_with(respond("patients_consent.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let clock = ManualClock::new(Utc::now());
    let c = client_with_clock(&server, &clock);
    let token = c.patients().grant_consent(HID, "123456").await.unwrap();
    assert_eq!(token.health_id(), HID);
    assert_eq!(token.obtained_at(), clock_now(&clock));
    assert_eq!((token.expires_at() - token.obtained_at()).num_hours(), 24);
    assert_eq!(token.token().expose_secret(), "eyJhbGciOiJIUzI1Ni...");
    assert!(!format!("{token:?}").contains("eyJ"));
    assert!(c.consents().valid(HID).is_some());
}

#[tokio::test]
async fn otp_leading_zero_is_kept_and_bad_otps_are_rejected() {
    let server = MockServer::start().await;
    mock_json("POST", "/v1/patients/consent")
        .and(body_json(json!({ "health_id": HID, "otp": "012345" })))
        .respond_with(respond("patients_consent.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    c.patients().grant_consent(HID, "012345").await.unwrap();
    for bad in ["12345", "1234567", "12a456", ""] {
        let err = c.patients().grant_consent(HID, bad).await.unwrap_err();
        assert!(matches!(err, carewire_core::Error::InvalidRequest { ref field, .. } if field == "otp"));
    }
    let err = c.patients().grant_consent("HID-123", "123456").await.unwrap_err();
    assert!(matches!(err, carewire_core::Error::InvalidRequest { ref field, .. } if field == "health_id"));
}

#[tokio::test]
async fn list_patients_decodes_variant_d() {
    let server = MockServer::start().await;
    mock("GET", "/v1/patients/multiple")
        .respond_with(respond("patients_multiple.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let patients = client(&server).patients().list().await.unwrap();
    assert_eq!(patients.len(), 1);
    let p = &patients[0];
    assert_eq!(p.id.as_deref(), Some("424077c6-e3ba-42e8-af79-783229333928"));
    assert_eq!(p.full_name.as_deref(), Some("Gift Amadi"));
    assert_eq!(p.gender, Some(Gender::Female));
    assert_eq!(p.dob_date(), NaiveDate::from_ymd_opt(2018, 6, 16));
    assert_eq!(p.business_id.as_deref(), Some("BUS-AFV2LA01"));
    assert_eq!(p.metadata["key"], "value");
    let dbg = format!("{p:?}");
    assert!(!dbg.contains("Gift") && !dbg.contains("aminigbopaul") && !dbg.contains("2018-06-16"));
    let req = only_request(&server).await;
    assert!(consent_header(&req).is_none());
}

#[tokio::test]
async fn get_patient_accepts_both_single_variants() {
    for file in ["patient_single.response.json", "patient_single.response.alt_object.json"] {
        let server = MockServer::start().await;
        mock("GET", "/v1/patient/single/HID-NHG869UP").respond_with(respond(file)).expect(1).mount(&server).await;
        let p = client(&server).patients().get(HID).await.unwrap();
        assert_eq!(p.health_id, HID, "{file}");
        assert_eq!(p.full_name.as_deref(), Some("Gift Amadi"));
        assert!(p.vital.is_none());
        assert!(p.metadata.is_empty());
        // No token stored: no consent header.
        assert!(consent_header(&only_request(&server).await).is_none());
    }
}

#[tokio::test]
async fn stored_consent_token_is_attached_while_valid_and_never_sent_expired() {
    let server = MockServer::start().await;
    mock("GET", "/v1/patient/single/HID-NHG869UP")
        .respond_with(respond("patient_single.response.json"))
        .mount(&server)
        .await;
    let clock = ManualClock::new(Utc::now());
    let c = client_with_clock(&server, &clock);
    c.consents().insert(ConsentToken::new(HID, "ct_1234567890abcdef", clock_now(&clock)));
    c.patients().get(HID).await.unwrap();
    assert_eq!(consent_header(&only_request(&server).await).as_deref(), Some("ct_1234567890abcdef"));

    // Another patient: the token is not sent.
    mock("GET", "/v1/patient/single/HID-AAAAAAAA")
        .respond_with(respond("patient_single.response.alt_object.json"))
        .mount(&server)
        .await;
    c.patients().get("HID-AAAAAAAA").await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert!(consent_header(&reqs[1]).is_none());

    // 24 hours later: expired, never sent, typed error.
    clock.advance(Duration::from_secs(24 * 3600));
    let err = c.patients().get(HID).await.unwrap_err();
    assert!(err.vendor_error::<HealthstackError>().is_some_and(|e| e.is_consent_required()));
    assert_eq!(err.vendor_error::<HealthstackError>().map(|e| e.kind), Some(ErrorKind::ConsentRequired));
    assert_eq!(err.api().unwrap().details().unwrap()["sent"], false);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    let err = c.patients().edit(HID, EditPatient::new().set("Key", "Value")).await.unwrap_err();
    assert!(err.vendor_error::<HealthstackError>().is_some_and(|e| e.is_consent_required()));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

fn client_with_clock(server: &MockServer, clock: &ManualClock) -> Client {
    Client::builder().secret_key(KEY).base_url(format!("{}/v1", server.uri())).clock(clock.clone()).build().unwrap()
}

fn clock_now(clock: &ManualClock) -> chrono::DateTime<Utc> {
    use carewire_healthstack::Clock;
    clock.now()
}

#[tokio::test]
async fn explicit_consent_token_wins_and_is_checked() {
    let server = MockServer::start().await;
    mock("GET", "/v1/patient/single/HID-NHG869UP")
        .respond_with(respond("patient_single.response.json"))
        .mount(&server)
        .await;
    let c = client(&server);
    c.consents().insert(ConsentToken::new(HID, "ct_stored", Utc::now()));
    let explicit = ConsentToken::new(HID, "ct_explicit", Utc::now());
    c.patients().with_consent(explicit).get(HID).await.unwrap();
    assert_eq!(consent_header(&only_request(&server).await).as_deref(), Some("ct_explicit"));

    let expired = ConsentToken::new(HID, "ct_old", Utc::now() - chrono::TimeDelta::hours(25));
    let err = c.patients().with_consent(expired).get(HID).await.unwrap_err();
    assert!(err.vendor_error::<HealthstackError>().is_some_and(|e| e.is_consent_required()));
    let other = ConsentToken::new("HID-BBBBBBBB", "ct_other", Utc::now());
    let err = c.patients().with_consent(other).get(HID).await.unwrap_err();
    assert!(matches!(err, carewire_core::Error::InvalidRequest { ref field, .. } if field == "consent_token"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn shared_consent_store_between_clients() {
    let server = MockServer::start().await;
    let store = ConsentStore::new(Arc::new(carewire_healthstack::SystemClock));
    let a = Client::builder().secret_key(KEY).consent_store(store.clone()).build().unwrap();
    store.insert(ConsentToken::new(HID, "ct_x", Utc::now()));
    assert!(a.consents().valid(HID).is_some());
    drop(server);
}

#[tokio::test]
async fn edit_patient_patches_metadata() {
    let server = MockServer::start().await;
    mock_json("PATCH", "/v1/edit/HID-NHG869UP")
        .and(body_json(json!({ "Key": "Value" })))
        .respond_with(respond("patient_edit.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    c.consents().insert(ConsentToken::new(HID, "ct_1234567890abcdef", Utc::now()));
    let edited = c.patients().edit(HID, EditPatient::new().set("Key", "Value")).await.unwrap();
    assert_eq!(edited.metadata["Key"], "Value");
    assert_eq!(consent_header(&only_request(&server).await).as_deref(), Some("ct_1234567890abcdef"));
    let err = c.patients().edit(HID, EditPatient::new()).await.unwrap_err();
    assert!(matches!(err, carewire_core::Error::InvalidRequest { ref field, .. } if field == "metadata"));
}

#[tokio::test]
async fn missing_consent_403_maps_to_consent_required() {
    let server = MockServer::start().await;
    mock("GET", "/v1/patient/single/HID-NHG869UP")
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "success": false, "status": 403, "message": "Missing consent token for this patient"
        })))
        .mount(&server)
        .await;
    let err = client(&server).patients().get(HID).await.unwrap_err();
    assert!(err.vendor_error::<HealthstackError>().is_some_and(|e| e.is_consent_required()));
    assert_eq!(err.status(), Some(403));
    assert!(!err.to_string().contains("Missing"));
    let _ = fixture("patients_consent.response.json");
}
