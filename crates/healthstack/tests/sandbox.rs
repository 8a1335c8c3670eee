//! The real client against `carewire_testkit::healthstack::Sandbox`.

use carewire_core::money::Decimal;
use std::time::Duration;

use carewire_core::RetryPolicy;
use carewire_healthstack::{
    ActivateMedicard, Client, CreateMedicard, CreatePatient, CreateRecord, Diagnosis, EditPatient, ErrorKind,
    FundMedicard, Gender, HealthstackError, ListRecords, ManualClock, Provider, RecordData, RecordType,
    ReserveMedicards,
};
use carewire_testkit::Fault;
use carewire_testkit::healthstack::{BUSINESS_ID, OTHER_SECRET_KEY, SECRET_KEY, Sandbox, TEST_OTP};
use chrono::{NaiveDate, Utc};

fn client_for(sandbox: &Sandbox, key: &str) -> Client {
    Client::builder().secret_key(key).base_url(sandbox.base_url()).build().unwrap()
}

fn jane() -> CreatePatient {
    CreatePatient::new(
        "Jane Doe",
        Gender::Female,
        NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
        "12345678901",
        "jane@example.com",
    )
}

#[tokio::test]
async fn round_trip_patient_consent_record_medicard() {
    let sandbox = Sandbox::start();
    // Another business created the patient, so ours needs consent.
    let other = client_for(&sandbox, OTHER_SECRET_KEY);
    let hid = other.patients().create(jane()).await.unwrap().health_id;

    let clock = ManualClock::new(Utc::now());
    let client =
        Client::builder().secret_key(SECRET_KEY).base_url(sandbox.base_url()).clock(clock.clone()).build().unwrap();
    // Same NIN: the existing patient comes back.
    assert_eq!(client.patients().create(jane()).await.unwrap().health_id, hid);
    assert_eq!(sandbox.patient_count(), 1);

    let err = client.patients().get(&hid).await.unwrap_err();
    assert!(err.vendor_error::<HealthstackError>().is_some_and(|e| e.is_consent_required()));

    client.patients().seek_consent(&hid).await.unwrap();
    let otp = sandbox.otp_sent_to(&hid).unwrap();
    assert_eq!(otp, TEST_OTP);
    let wrong = client.patients().grant_consent(&hid, "999999").await.unwrap_err();
    assert_eq!(wrong.vendor_error::<HealthstackError>().map(|e| e.kind), Some(ErrorKind::Validation));
    let token = client.patients().grant_consent(&hid, &otp).await.unwrap();
    assert_eq!(token.health_id(), hid);

    let patient = client.patients().get(&hid).await.unwrap();
    assert_eq!(patient.full_name.as_deref(), Some("Jane Doe"));
    assert_eq!(patient.gender, Some(Gender::Female));
    let edited = client.patients().edit(&hid, EditPatient::new().set("genotype", "AA")).await.unwrap();
    assert_eq!(edited.metadata["genotype"], "AA");

    let mut dx = Diagnosis::new();
    dx.diagnosis = Some("Fever".into());
    dx.severity = Some("Mild".into());
    let created = client
        .records()
        .create(CreateRecord::new(&hid, RecordData::Diagnosis(dx), Provider::new("Dr. Ada", "NPRN-0001")))
        .await
        .unwrap();
    assert!(!created.record_id.is_empty());
    let records = client.records().list(&hid, ListRecords::new()).await.unwrap();
    assert_eq!(records.len(), 1);
    let RecordData::Diagnosis(d) = &records[0].data else { panic!("typed diagnosis") };
    assert_eq!(d.diagnosis.as_deref(), Some("Fever"));
    let labs = client.records().list(&hid, ListRecords::new().record_type(RecordType::LabResults)).await.unwrap();
    assert!(labs.is_empty());

    let card = client.medicards().create(CreateMedicard::new(&hid, "Jane's card", "Black Medicard")).await.unwrap();
    assert_eq!(card.balance, Some(Decimal::new(0, 0)));
    assert_eq!(card.active, Some(false));
    let state = client.medicards().activate(ActivateMedicard::new(&hid, &card.card_number, "4432")).await.unwrap();
    assert_eq!(state.active, Some(true));
    let funded = client.medicards().fund(FundMedicard::new(&card.card_number, "ref-001", 4000)).await.unwrap();
    assert_eq!(funded.amount, Some(Decimal::new(4000, 0)));
    client.medicards().fund(FundMedicard::new(&card.card_number, "ref-002", 1500)).await.unwrap();
    let fetched = client.medicards().get(&card.card_number).await.unwrap();
    assert_eq!(fetched.balance, Some(Decimal::new(5500, 0)));
    assert_eq!(fetched.active, Some(true));
    assert_eq!(sandbox.card_balance(&card.card_number), Some(5500.0));
    let txs = client.medicards().transactions(&card.card_number).await.unwrap();
    assert_eq!(txs.len(), 2);
    assert_eq!(txs[0].transaction_ref.as_deref(), Some("ref-001"));
    assert_eq!(client.medicards().business_transactions(BUSINESS_ID).await.unwrap().len(), 2);
    assert_eq!(client.medicards().list().await.unwrap().len(), 1);

    // 24 hours later the client refuses to send the expired token...
    clock.advance(Duration::from_secs(24 * 3600));
    assert!(
        client
            .patients()
            .get(&hid)
            .await
            .unwrap_err()
            .vendor_error::<HealthstackError>()
            .is_some_and(|e| e.is_consent_required())
    );
    // ...and the sandbox refuses it too once its own clock has moved.
    sandbox.advance(Duration::from_secs(24 * 3600));
    let stale = client.consents().get(&hid).unwrap().with_expiry(Utc::now() + chrono::TimeDelta::hours(48));
    let err = client.patients().with_consent(stale).get(&hid).await.unwrap_err();
    assert!(err.vendor_error::<HealthstackError>().is_some_and(|e| e.is_consent_required()));
    assert_eq!(err.status(), Some(403));
}

#[tokio::test]
async fn reserve_assign_deactivate_and_reserved_listing() {
    let sandbox = Sandbox::start();
    let client = client_for(&sandbox, SECRET_KEY);
    let hid = client.patients().create(jane()).await.unwrap().health_id;
    assert!(client.medicards().reserve(ReserveMedicards::new(2, "Blue Medicard")).await.unwrap().is_empty());
    let reserved = client.medicards().list_reserved(BUSINESS_ID).await.unwrap();
    assert_eq!(reserved.len(), 2);
    let number = reserved[0].card_number.clone();
    let card = client
        .medicards()
        .assign(carewire_healthstack::AssignMedicard::new(
            &hid,
            "Test card",
            "Blue Medicard",
            &number,
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
        ))
        .await
        .unwrap();
    assert_eq!(card.health_id.as_deref(), Some(hid.as_str()));
    assert_eq!(client.medicards().list_reserved(BUSINESS_ID).await.unwrap().len(), 1);
    let state =
        client.medicards().deactivate(carewire_healthstack::DeactivateMedicard::new(&number, "lost")).await.unwrap();
    assert_eq!(state.active, Some(false));
    let err = client.medicards().get("MED-NOPE0000").await.unwrap_err();
    assert_eq!(err.vendor_error::<HealthstackError>().map(|e| e.kind), Some(ErrorKind::NotFound));
    let err = client.medicards().list_reserved("BUS-SOMEONE").await.unwrap_err();
    assert_eq!(err.vendor_error::<HealthstackError>().map(|e| e.kind), Some(ErrorKind::Forbidden));
}

#[tokio::test]
async fn bad_key_is_unauthorized_and_faults_are_retried() {
    let sandbox = Sandbox::start();
    let bad = client_for(&sandbox, "sk_test_wrong");
    let err = bad.patients().list().await.unwrap_err();
    assert_eq!(err.vendor_error::<HealthstackError>().map(|e| e.kind), Some(ErrorKind::Unauthorized));

    let client = Client::builder()
        .secret_key(SECRET_KEY)
        .base_url(sandbox.base_url())
        .retry(RetryPolicy::default().max_retries(3).initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    sandbox.server().inject(Fault::status(503).times(2));
    assert!(client.patients().list().await.unwrap().is_empty());
    assert_eq!(sandbox.server().received("GET", "/v1/patients/multiple"), 4);
}
