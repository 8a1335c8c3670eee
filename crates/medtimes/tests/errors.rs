//! Error mapping: each documented status (400, 401, 403, 404, 500) and the error body.

mod common;

use carewire_core::Error;
use carewire_medtimes::{CreateConsult, ErrorCode, ErrorType, MedtimesError, SubmitClaim};
use common::{client, fixture};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn consult_error(status: u16, body: &str) -> (Error, usize) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/consults/create"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"))
        .mount(&server)
        .await;
    let err = client(&server.uri()).consults().create(CreateConsult::new("usr_8921a")).await.unwrap_err();
    (err, server.received_requests().await.unwrap().len())
}

fn body(error_type: &str, code: &str, message: &str) -> String {
    json!({"error": {"type": error_type, "code": code, "message": message}}).to_string()
}

#[tokio::test]
async fn status_400_maps_the_documented_body() {
    let (err, sent) = consult_error(400, &fixture("error.parameter_missing.json")).await;
    assert_eq!(sent, 1);
    let Error::Api(api) = &err else { panic!("expected Api, got {err:?}") };
    assert_eq!(api.status(), 400);
    assert_eq!(api.vendor(), "medtimes");
    assert_eq!(api.code(), Some("parameter_missing"));
    assert_eq!(api.message(), Some("The 'patient_id' field is required."));
    let typed = err.vendor_error::<MedtimesError>().unwrap();
    assert_eq!(typed.error_type, Some(ErrorType::InvalidRequestError));
    assert_eq!(typed.code, Some(ErrorCode::ParameterMissing));
    assert!(!err.is_retryable());
    // Display and Debug never show the message (it may echo patient data).
    assert!(!err.to_string().contains("patient_id"));
    assert!(!format!("{err:?}").contains("patient_id"));
    assert_eq!(err.to_string(), "medtimes POST /v1/consults/create: HTTP 400, code `parameter_missing`");
}

#[tokio::test]
async fn status_401_403_404_map_to_api_errors() {
    let cases = [
        (401, "authentication_error", "invalid_api_key", ErrorType::AuthenticationError, ErrorCode::InvalidApiKey),
        (403, "permission_error", "key_scope", ErrorType::PermissionError, ErrorCode::Unknown("key_scope".into())),
        (404, "invalid_request_error", "resource_missing", ErrorType::InvalidRequestError, ErrorCode::ResourceMissing),
    ];
    for (status, error_type, code, typed_type, typed_code) in cases {
        let (err, sent) = consult_error(status, &body(error_type, code, "Nope.")).await;
        assert_eq!(sent, 1, "{status} is not retried");
        assert_eq!(err.status(), Some(status));
        assert!(matches!(err, Error::Api(_)), "{err:?}");
        assert_eq!(err.api().unwrap().code(), Some(code));
        let typed = err.vendor_error::<MedtimesError>().unwrap();
        assert_eq!(typed.error_type, Some(typed_type));
        assert_eq!(typed.code, Some(typed_code));
        assert_eq!(typed.message.as_deref(), Some("Nope."));
    }
}

#[tokio::test]
async fn status_500_maps_and_is_not_retried_for_a_consult() {
    // Creating a consult carries no idempotency key: a 500 may have created the room, so no retry.
    let (err, sent) = consult_error(500, &body("api_error", "internal", "Something went wrong.")).await;
    assert_eq!(sent, 1);
    assert_eq!(err.status(), Some(500));
    assert!(err.is_retryable());
    assert_eq!(err.vendor_error::<MedtimesError>().unwrap().error_type, Some(ErrorType::ApiError));
}

#[tokio::test]
async fn status_500_on_a_claim_is_retried_then_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/claims/submit"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(body("api_error", "internal", "x"), "application/json"))
        .mount(&server)
        .await;
    let err = client(&server.uri()).claims().submit(SubmitClaim::new(["J20.9"], 100)).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn get_500_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/prescriptions/scr_1"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(body("api_error", "internal", "x"), "application/json"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/prescriptions/scr_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "scr_1"})))
        .mount(&server)
        .await;
    let rx = client(&server.uri()).prescriptions().get("scr_1").await.unwrap();
    assert_eq!(rx.id, "scr_1");
}

#[tokio::test]
async fn non_medtimes_bodies_and_429_still_map() {
    let (err, _) = consult_error(502, "<html>bad gateway</html>").await;
    assert_eq!(err.status(), Some(502));
    assert!(err.vendor_error::<MedtimesError>().is_none());
    assert_eq!(err.api().unwrap().code(), None);

    let (err, sent) = consult_error(429, &body("rate_limit_error", "rate_limited", "slow down")).await;
    assert!(matches!(err, Error::RateLimited(_)), "{err:?}");
    assert_eq!(sent, 3, "a 429 was refused before processing, so even a consult is retried");
    assert_eq!(
        err.vendor_error::<MedtimesError>().unwrap().error_type,
        Some(ErrorType::Unknown("rate_limit_error".into()))
    );
}
