//! Error mapping: each documented status, the 403 causes, `success: false` with HTTP 200.

mod common;

use carewire_healthstack::{CONSENT_REQUIRED, ErrorKind, HealthstackError, KYC_TIER_INSUFFICIENT};
use common::{HID, client, mock};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

async fn error_for(status: u16, body: serde_json::Value) -> carewire_core::Error {
    let server = MockServer::start().await;
    mock("GET", "/v1/patients/multiple")
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    client(&server).patients().list().await.unwrap_err()
}

#[tokio::test]
async fn documented_statuses_map_to_kinds() {
    let cases = [
        (401, "Unauthorized - Invalid or expired access token", ErrorKind::Unauthorized),
        (403, "Insufficient KYC tier or missing consent", ErrorKind::Forbidden),
        (403, "Insufficient KYC tier for this endpoint", ErrorKind::KycTierInsufficient),
        (403, "Missing consent for patient HID-NHG869UP", ErrorKind::ConsentRequired),
        (404, "Patient not found", ErrorKind::NotFound),
        (422, "Validation error", ErrorKind::Validation),
    ];
    for (status, message, kind) in cases {
        let err = error_for(status, json!({ "success": false, "status": status, "message": message })).await;
        assert_eq!(err.status(), Some(status));
        let hs = err.vendor_error::<HealthstackError>().unwrap();
        assert_eq!((hs.status, hs.kind), (status, kind), "{status} {message}");
        assert_eq!(hs.message.as_deref(), Some(message));
        assert_eq!(hs.is_consent_required(), kind == ErrorKind::ConsentRequired);
        assert_eq!(hs.is_kyc_tier_insufficient(), kind == ErrorKind::KycTierInsufficient);
        let expected_code = match kind {
            ErrorKind::ConsentRequired => Some(CONSENT_REQUIRED),
            ErrorKind::KycTierInsufficient => Some(KYC_TIER_INSUFFICIENT),
            _ => None,
        };
        assert_eq!(hs.code.as_deref(), expected_code);
        assert_eq!(HealthstackError::from_error(&err), Some(hs.clone()));
        assert!(!format!("{hs:?}").contains(message), "{hs:?}");
        let api = err.api().unwrap();
        assert_eq!(api.message(), Some(message));
        assert!(!api.raw_body().is_empty());
        // Display and Debug never show the message (it may hold patient data).
        assert!(!err.to_string().contains(message));
        assert!(!format!("{err:?}").contains(message));
        assert!(!err.to_string().contains(HID));
    }
}

#[tokio::test]
async fn validation_details_are_kept() {
    let err =
        error_for(422, json!({ "success": false, "message": "Validation error", "errors": [{"field": "nin"}] })).await;
    assert_eq!(err.api().unwrap().details().unwrap()[0]["field"], "nin");
    let hs = HealthstackError::from_error(&err).unwrap();
    assert_eq!(hs.kind, ErrorKind::Validation);
    assert_eq!(hs.details.as_ref().unwrap()[0]["field"], "nin");
    assert!(!format!("{hs:?}").contains("nin"), "{hs:?}");
}

#[tokio::test]
async fn failure_envelope_with_http_200_is_an_error() {
    for body in [
        json!({ "success": false, "status": 200, "message": "Something failed" }),
        json!({ "status": false, "message": "Something failed" }),
        json!({ "success": true, "status": 404, "message": "Patient not found" }),
    ] {
        let err = error_for(200, body.clone()).await;
        assert!(matches!(err, carewire_core::Error::Api(_)), "{body}");
        assert!(err.api().unwrap().message().is_some());
    }
    let err = error_for(200, json!({ "success": true, "status": 404, "message": "Patient not found" })).await;
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.vendor_error::<HealthstackError>().map(|e| e.kind), Some(ErrorKind::NotFound));
    let err = error_for(200, json!({ "success": false, "status": false, "message": "missing consent" })).await;
    assert!(err.vendor_error::<HealthstackError>().is_some_and(|e| e.is_consent_required()));
}

#[tokio::test]
async fn non_json_error_bodies_and_bad_data_are_safe() {
    let server = MockServer::start().await;
    mock("GET", "/v1/patients/multiple")
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>nope</html>"))
        .mount(&server)
        .await;
    let err = client(&server).patients().list().await.unwrap_err();
    assert_eq!(err.vendor_error::<HealthstackError>().map(|e| e.kind), Some(ErrorKind::NotFound));
    assert_eq!(err.api().unwrap().message(), None);

    let server = MockServer::start().await;
    mock("GET", "/v1/medicard/single/MED-1")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "success": true, "status": 200, "data": [] })))
        .mount(&server)
        .await;
    let err = client(&server).medicards().get("MED-1").await.unwrap_err();
    assert!(matches!(err, carewire_core::Error::Decode(_)));
}

#[tokio::test]
async fn data_without_its_identifier_is_a_decode_error() {
    // The envelope is fine and says success, but `data` is not the resource: nothing identifies it.
    let ok = |data: serde_json::Value| json!({ "success": true, "status": 200, "message": "ok", "data": data });
    let server = MockServer::start().await;
    mock("GET", "/v1/patient/single/HID-NHG869UP")
        .respond_with(ResponseTemplate::new(200).set_body_json(ok(json!({ "full_name": "Jane" }))))
        .mount(&server)
        .await;
    mock("GET", "/v1/medicard/single/MED-1")
        .respond_with(ResponseTemplate::new(200).set_body_json(ok(json!([{ "balance": 5 }]))))
        .mount(&server)
        .await;
    mock("GET", "/v1/medicard/transactions/MED-1")
        .respond_with(ResponseTemplate::new(200).set_body_json(ok(json!([{ "amount": 5 }]))))
        .mount(&server)
        .await;
    mock("GET", "/v1/patients/multiple")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "success": true, "status": 200 })))
        .mount(&server)
        .await;
    let c = client(&server);
    let errors = [
        (c.patients().get(HID).await.map(drop).unwrap_err(), "missing field `health_id`"),
        (c.medicards().get("MED-1").await.map(drop).unwrap_err(), "missing field `card_number`"),
        (c.medicards().transactions("MED-1").await.map(drop).unwrap_err(), "missing field `id`"),
        (c.patients().list().await.map(drop).unwrap_err(), "missing field `data`"),
    ];
    for (err, reason) in errors {
        assert!(matches!(err, carewire_core::Error::Decode(_)), "{err:?}");
        assert!(err.to_string().contains(reason), "{err}");
        assert!(!err.to_string().contains("Jane"), "{err}");
    }
}

#[tokio::test]
async fn other_errors_are_not_healthstack_kinds() {
    let err = carewire_core::Error::invalid_request("nin", "must be exactly 11 digits");
    assert_eq!(err.vendor_error::<HealthstackError>().map(|e| e.kind), None);
    assert!(!err.vendor_error::<HealthstackError>().is_some_and(|e| e.is_consent_required()));
}

#[test]
fn from_env_requires_a_key() {
    // Only checks the builder; never touches the real environment of other tests.
    let err = carewire_healthstack::Client::builder().build().unwrap_err();
    assert!(matches!(err, carewire_core::Error::Config(_)));
    assert!(err.to_string().contains("HEALTHSTACK_SECRET_KEY"));
    let c = carewire_healthstack::Client::new("sk_test_x").unwrap();
    assert_eq!(c.base_url().as_str(), "https://api.healthstack.ng/v1");
}

#[test]
fn envelope_fixtures_all_decode() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let body = std::fs::read(&path).unwrap();
            let env = carewire_healthstack::decode_envelope::<serde_json::Value>(&body).unwrap();
            assert!(!env.is_failure(), "{}", path.display());
            assert!(env.message.is_some());
            n += 1;
        }
    }
    assert_eq!(n, 19);
}

#[tokio::test]
async fn rate_limited_is_its_own_kind() {
    let server = MockServer::start().await;
    let body = json!({ "success": false, "status": 429, "message": "Too many requests" });
    mock("GET", "/v1/patients/multiple")
        .respond_with(ResponseTemplate::new(429).set_body_json(body))
        .mount(&server)
        .await;
    let no_retry = carewire_core::RetryPolicy::default().max_retries(0);
    let err = client(&server).patients().list().retry(no_retry).await.unwrap_err();
    assert!(matches!(err, carewire_core::Error::RateLimited(_)), "{err:?}");
    let hs = HealthstackError::from_error(&err).unwrap();
    assert_eq!((hs.status, hs.kind), (429, ErrorKind::RateLimited));
    assert!(!hs.is_consent_required() && !hs.is_kyc_tier_insufficient());
}
