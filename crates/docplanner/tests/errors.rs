//! Error mapping: each documented status, every `errors` shape, and nothing leaked by Display/Debug.

mod common;

use carewire_docplanner::{DocplannerError, Error, ErrorDetails, VendorError};
use common::*;

#[tokio::test]
async fn each_documented_status_maps() {
    let (server, client) = setup().await;
    let cases = [
        (400, serde_json::json!({"errors": {"slots[0].start": ["bad"]}, "message": "Invalid arguments"})),
        (403, serde_json::json!({"errors": [], "message": "You are not authorized to see this facility"})),
        (404, serde_json::json!({"errors": [], "message": "Object not found"})),
        (409, serde_json::json!({"errors": [], "message": "Calendar already enabled"})),
        (422, serde_json::json!({"errors": "weird", "message": "Date range must not exceed 180 days"})),
        (429, serde_json::json!({"errors": [], "message": "Too many requests"})),
    ];
    for (status, body) in cases {
        api("GET", "/api/v3/integration/facilities/1")
            .respond_with(error_json(status, body.clone()))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
        let err = client.facility("1").get().await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        if status == 429 {
            assert!(matches!(err, Error::RateLimited(_)));
        } else {
            assert!(matches!(err, Error::Api(_)));
        }
        let typed = DocplannerError::from_error(&err).unwrap();
        assert_eq!(err.vendor_error::<DocplannerError>().as_ref(), Some(&typed), "one way to read it");
        assert_eq!(typed.status, status);
        assert_eq!(typed.message.as_deref(), body["message"].as_str());
        match status {
            400 => assert_eq!(typed.field_errors("slots[0].start"), ["bad"]),
            422 => assert!(matches!(typed.errors, ErrorDetails::Other(_))),
            _ => assert!(typed.errors.is_empty()),
        }
        let shown = format!("{err} {err:?} {typed:?}");
        assert!(!shown.contains(body["message"].as_str().unwrap()), "{shown}");
    }
}

#[tokio::test]
async fn non_json_error_bodies_do_not_break() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1")
        .respond_with(wiremock::ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .mount(&server)
        .await;
    let err = client.facility("1").get().await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(DocplannerError::from_error(&err).unwrap().message, None);
}

#[tokio::test]
async fn decode_errors_name_the_path() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks/567")
        .respond_with(ok_json(
            200,
            serde_json::json!({"id": "567", "since": "Jane Doe", "till": "2020-12-16T14:30:00+01:00"}),
        ))
        .mount(&server)
        .await;
    let err = address(&client).breaks().get("567").await.unwrap_err();
    assert_eq!(err.decode_path(), Some("since"));
    assert!(!err.to_string().contains("Jane"));
}

#[tokio::test]
async fn empty_path_ids_are_rejected() {
    let (server, client) = setup().await;
    let err = client.facility("").get().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "facility_id"));
    assert!(server.received_requests().await.unwrap().is_empty());
}
