//! Pushed notifications: bodies that are not notifications are refused; the agreed API-key header.

mod common;

use carewire_core::WebhookError;
use carewire_docplanner::webhooks::{PushAuth, parse_push};
use carewire_docplanner::{Notification, NotificationEvent, NotificationName};
use common::fixture;

fn invalid_reason(body: &[u8]) -> String {
    match parse_push(body) {
        Err(WebhookError::InvalidPayload { reason }) => reason,
        other => panic!("{}: expected InvalidPayload, got {other:?}", String::from_utf8_lossy(body)),
    }
}

#[test]
fn the_documented_push_parses() {
    let n = parse_push(fixture("webhook_slot_booking.event.json").as_bytes()).unwrap();
    assert_eq!(n.name, NotificationName::SlotBooking);
    assert!(matches!(n.event, NotificationEvent::SlotBooking { .. }));
    assert!(n.requires_reply());
}

#[test]
fn bodies_that_are_not_notifications_are_refused() {
    assert_eq!(invalid_reason(b"{}"), "the payload is an empty JSON object");
    assert_eq!(invalid_reason(b""), "the body is empty");
    assert_eq!(invalid_reason(b"\r\n"), "the body is empty");
    assert_eq!(invalid_reason(b"\xff\xfe{\"name\":1}"), "the body is not valid UTF-8");
    assert_eq!(
        invalid_reason(b"<html><body>Bad gateway</body></html>"),
        "the body is not JSON (it looks like an HTML or XML page)"
    );
    assert_eq!(invalid_reason(b"[{\"name\":\"slot-booked\"}]"), "the payload is not a JSON object");
    let no_name = "the notification names no event (a non-empty `name` string)";
    for body in [
        &br#"{"data":{"visit_booking":{"id":"1"}},"created_at":"2021-05-12T10:18:34+01:00"}"#[..],
        br#"{"name":""}"#,
        br#"{"name":"  ","data":{}}"#,
        br#"{"name":null,"data":{}}"#,
        br#"{"name":["slot-booked"]}"#,
    ] {
        assert_eq!(invalid_reason(body), no_name);
    }
    // Reasons never quote the body.
    let reason = invalid_reason(br#"{"data":{"patient":{"name":"Abraham"}}}"#);
    assert!(!reason.contains("Abraham"), "{reason}");
    assert!(!invalid_reason(b"Abraham Lincoln").contains("Abraham"));
}

#[test]
fn unknown_names_and_fields_are_kept() {
    let n = parse_push(br#"{"name":"doctor-retired","data":{"doctor":{"id":"7"}},"trace":"x"}"#).unwrap();
    assert_eq!(n.name, NotificationName::Unknown("doctor-retired".into()));
    assert!(matches!(n.event, NotificationEvent::Unknown));
    assert_eq!(n.doctor.as_ref().map(|d| d.id.as_str()), Some("7"));
    // A known name with data in an undocumented shape is Unknown too, with the raw data kept.
    let n = parse_push(br#"{"name":"slot-booked","data":{"visit_booking":"b1"}}"#).unwrap();
    assert_eq!(n.name, NotificationName::SlotBooked);
    assert!(matches!(n.event, NotificationEvent::Unknown));
    assert_eq!(n.data["visit_booking"], "b1");
    // A numeric name is read as text.
    assert_eq!(parse_push(br#"{"name":42}"#).unwrap().name.as_str(), "42");
}

#[test]
fn pulled_notifications_need_a_name_too() {
    assert!(serde_json::from_str::<Notification>("{}").is_err());
    assert!(serde_json::from_str::<Notification>(r#"{"data":{}}"#).is_err());
    let n: Notification = serde_json::from_str(r#"{"name":"break-created","data":{}}"#).unwrap();
    assert_eq!(n.name, NotificationName::BreakCreated);
}

#[test]
fn push_auth_compares_the_whole_key() {
    let auth = PushAuth::new("X-Docplanner-Key", "k3y-agreed");
    assert_eq!(auth.verify([("x-docplanner-key", "k3y-agreed")]), Ok(()));
    assert_eq!(auth.verify([("X-DOCPLANNER-KEY", "\tk3y-agreed ")]), Ok(()));
    for wrong in ["k3y-agree", "k3y-agreed2", "K3Y-AGREED", "", "k3y-agreee", "\u{e9}"] {
        assert_eq!(auth.verify([("x-docplanner-key", wrong)]), Err(WebhookError::SignatureMismatch), "{wrong}");
    }
    assert_eq!(auth.verify([("x-api-key", "k3y-agreed")]), Err(WebhookError::MissingSignature));
    // An empty agreed key (e.g. an unset variable) refuses everything, even an empty header.
    let empty = PushAuth::new("x-api-key", "");
    assert_eq!(empty.verify([("x-api-key", "")]), Err(WebhookError::NoSecrets));
    assert!(!format!("{auth:?}").contains("k3y"));
}
