//! Notifications: pull one, pull many, drain as a stream, release; push parsing and replies.

mod common;

use carewire_docplanner::webhooks::{PushAuth, parse_push};
use carewire_docplanner::{NotificationEvent, NotificationName, PaymentStatus, Presence, SyncReply};
use common::*;
use futures_util::TryStreamExt;
use wiremock::ResponseTemplate;
use wiremock::matchers::query_param;

fn no_notifications() -> ResponseTemplate {
    error_json(404, serde_json::json!({"errors": [], "message": "No notifications found"}))
}

#[tokio::test]
async fn pull_one() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/notifications")
        .and(no_body())
        .respond_with(ok_json(200, fixture_json("notifications_pull.response.json")))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    api("GET", "/api/v3/integration/notifications").respond_with(no_notifications()).mount(&server).await;
    let n = client.notifications().pull().await.unwrap().unwrap();
    assert_eq!(n.name, NotificationName::SlotBooking);
    assert!(n.requires_reply());
    assert_eq!(n.facility.as_ref().unwrap().id, "1");
    assert_eq!(n.doctor.as_ref().unwrap().surname.as_deref(), Some("Doctor 123"));
    let NotificationEvent::SlotBooking { visit_booking_request } = &n.event else { panic!("{n:?}") };
    assert_eq!(visit_booking_request.start_at, Some(dt("2021-05-26T16:00:00+01:00")));
    assert_eq!(visit_booking_request.patient.as_ref().unwrap().phone.as_deref(), Some("+48123123123"));
    assert!(!format!("{n:?}").contains("Abraham"));
    // Then the queue is empty: 404 "No notifications found" is Ok(None).
    assert!(client.notifications().pull().await.unwrap().is_none());
}

#[tokio::test]
async fn a_malformed_entry_does_not_cost_the_rest_of_the_batch() {
    let (server, client) = setup().await;
    let body = serde_json::json!({
        "notifications": [
            {"data": {"patient": {"name": "Abraham"}}},
            {"name": "slot-booked", "data": {"visit_booking": {"id": "b1"}}, "created_at": "2021-05-26T16:00:00+01:00"}
        ],
        "remaining": 0
    });
    api("GET", "/api/v3/integration/notifications/multiple").respond_with(ok_json(200, body)).mount(&server).await;
    let batch = client.notifications().pull_many(2).await.unwrap();
    assert_eq!(batch.notifications.len(), 1);
    assert_eq!(batch.notifications[0].name, NotificationName::SlotBooked);
    assert_eq!(batch.unreadable.len(), 1, "kept, raw, so nothing pulled is lost");
    assert_eq!(batch.unreadable[0]["data"]["patient"]["name"], "Abraham");
    assert!(!format!("{batch:?}").contains("Abraham"));
    // A batch without its `notifications` key is not a batch.
    server.reset().await;
    api("GET", "/api/v3/integration/notifications/multiple")
        .respond_with(ok_json(200, serde_json::json!({})))
        .mount(&server)
        .await;
    assert!(matches!(client.notifications().pull_many(2).await, Err(carewire_docplanner::Error::Decode(_))));
}

#[tokio::test]
async fn other_404s_stay_errors() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/notifications")
        .respond_with(error_json(404, serde_json::json!({"errors": [], "message": "Object not found"})))
        .mount(&server)
        .await;
    assert_eq!(client.notifications().pull().await.unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn pull_multiple() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/notifications/multiple")
        .and(raw_query(Some("limit=2")))
        .respond_with(ok_json(200, fixture_json("notifications_pull_multiple.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let batch = client.notifications().pull_many(2).await.unwrap();
    assert_eq!(batch.remaining, Some(5));
    let NotificationEvent::BreakCreated { calendar_break } = &batch.notifications[0].event else { panic!() };
    assert_eq!(calendar_break.id, "2573784");
    let NotificationEvent::PresenceMarked { visit_booking, presence } = &batch.notifications[1].event else { panic!() };
    assert_eq!(*presence, Presence::Absent);
    assert_eq!(visit_booking.signature.as_deref(), Some("f6b9b2fc-4faa-feab-58d9-26a3767f1426"));
    assert!(client.notifications().pull_many(0).await.is_err());
    assert!(client.notifications().pull_many(101).await.is_err());
}

#[tokio::test]
async fn stream_drains_while_remaining() {
    let (server, client) = setup().await;
    let one = fixture_json("notifications_pull.response.json");
    for (i, remaining) in [(0, 3), (1, 1), (2, 0)] {
        let count = if remaining == 0 { 1 } else { 2 };
        let mut items = Vec::new();
        for k in 0..count {
            let mut n = one.clone();
            n["name"] = serde_json::json!(if k == 0 { "slot-booked" } else { "some-future-event" });
            n["data"]["visit_booking"] = serde_json::json!({"id": format!("b{i}{k}")});
            items.push(n);
        }
        api("GET", "/api/v3/integration/notifications/multiple")
            .and(query_param("limit", "2"))
            .respond_with(ok_json(200, serde_json::json!({"notifications": items, "remaining": remaining})))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
    }
    let all: Vec<_> = client.notifications().stream(2).try_collect().await.unwrap();
    assert_eq!(all.len(), 5);
    let NotificationEvent::SlotBooked { visit_booking } = &all[0].event else { panic!() };
    assert_eq!(visit_booking.id.as_deref(), Some("b00"));
    assert!(matches!(all[1].event, NotificationEvent::Unknown));
    assert_eq!(all[1].name, NotificationName::Unknown("some-future-event".into()));
    assert_eq!(all[1].data["visit_booking"]["id"], "b01");
}

#[tokio::test]
async fn stream_on_empty_queue() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/notifications/multiple")
        .respond_with(no_notifications())
        .expect(1)
        .mount(&server)
        .await;
    let all: Vec<_> = client.notifications().stream(100).try_collect().await.unwrap();
    assert!(all.is_empty());
}

#[tokio::test]
async fn release() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/notifications/release")
        .and(no_body())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client.notifications().release().await.unwrap();
}

#[tokio::test]
async fn release_once_an_hour_returns_retry_after_without_waiting() {
    let server = wiremock::MockServer::start().await;
    token_mock(&server).await;
    // The client's own policy retries; release must still not wait an hour (nor retry).
    let client = builder(&server).retry(carewire_docplanner::RetryPolicy::default()).build().unwrap();
    api("POST", "/api/v3/integration/notifications/release")
        .respond_with(
            error_json(429, serde_json::json!({"errors": [], "message": "Too many requests"}))
                .insert_header("retry-after", "3600"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let err = client.notifications().release().await.unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(matches!(err, carewire_docplanner::Error::RateLimited(_)));
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(3600)));
}

#[tokio::test]
async fn release_403() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/notifications/release")
        .respond_with(error_json(403, fixture_json("notifications_release.error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.notifications().release().await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.api().unwrap().message(), Some("You are not allowed to use this method"));
}

#[test]
fn push_parsing_and_replies() {
    let n = parse_push(fixture("webhook_slot_booking.event.json").as_bytes()).unwrap();
    assert_eq!(n.name.as_str(), "slot-booking");
    assert_eq!(n.created_at, Some(dt("2021-05-12T10:18:34+01:00")));
    assert_eq!(n.address.as_ref().unwrap().post_code.as_deref(), Some("xx-xxx"));
    assert!(matches!(n.event, NotificationEvent::SlotBooking { .. }));
    assert!(parse_push(b"{not json").is_err());

    assert_eq!(SyncReply::approve().status(), 200);
    let deny = SyncReply::deny_with_status(409, "slot_taken");
    assert_eq!(deny.status(), 409);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&deny.body()).unwrap(),
        serde_json::json!({"error_code": "slot_taken"})
    );
    assert_eq!(SyncReply::deny_with_status(200, "x").status(), 400);

    let auth = PushAuth::new("X-Docplanner-Key", "k3y");
    assert!(auth.verify([("x-docplanner-key", "k3y")]).is_ok());
    assert!(auth.verify([("x-docplanner-key", "k3y2")]).is_err());
    assert!(!format!("{auth:?}").contains("k3y"));
}

#[test]
fn every_documented_event_name_is_typed() {
    let names = [
        "slot-booking",
        "slot-booked",
        "booking-canceled",
        "booking-moved",
        "booking-moving",
        "booking-confirmed",
        "booking-payment-status-changed",
        "break-created",
        "break-moved",
        "break-removed",
        "presence-marked",
        "address-service-created",
        "address-service-deleted",
        "address-service-changed",
        "address-commercial-type-changed",
        "address-assigned",
        "address-unassigned",
    ];
    let booking = serde_json::json!({"id": "1", "status": "booked", "start_at": "2021-05-27T11:00:00+01:00"});
    let request = serde_json::json!({"start_at": "2021-05-27T11:00:00+01:00", "duration": 30});
    let data = serde_json::json!({
        "visit_booking_request": request, "visit_booking": booking, "old_visit_booking": booking,
        "new_visit_booking": booking, "canceling_booking": booking, "creating_booking": request,
        "visit_payment_status": {"status_from": "not-paid", "status_to": "paid", "changed_at": "2021-05-27T11:00:00+01:00"},
        "break": {"id": "9", "since": "2021-05-25T10:00:00+01:00", "till": "2021-05-25T12:00:00+01:00"},
        "presence": "PRESENT", "address_service": {"id": "5", "name": "USG"},
        "address": {"id": "111", "commercial_type": "premium"},
    });
    for name in names {
        let body = serde_json::json!({"name": name, "data": data, "created_at": "2021-05-14T15:46:34+01:00"});
        let n = parse_push(body.to_string().as_bytes()).unwrap();
        assert!(!matches!(n.name, NotificationName::Unknown(_)), "{name}");
        assert!(!matches!(n.event, NotificationEvent::Unknown), "{name}");
        assert_eq!(n.name.as_str(), name);
    }
}

/// A `BookingNotification` the way the official models print it: the insurance names its provider
/// `insurance_provider_id`, the patient carries the consents.
fn booking_notification(id: &str, start: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "status": "booked", "start_at": start, "end_at": start, "duration": 30,
        "booked_by": "user", "canceled_by": "", "booked_at": "2021-05-12T10:18:24+01:00",
        "address_service": {"id": "243665", "name": "biopsja nerki", "price": 50, "is_price_from": false, "is_visible": true},
        "patient": {
            "name": "Abraham", "surname": "Lincoln", "email": "example@example.com", "phone": "+48123123123",
            "birth_date": "1985-01-01", "nin": "894237492", "gender": "m",
            "marketing_consent": true, "data_privacy_consent": "1"
        },
        "signature": "b2b7e7b6-1d3b-4a3c-9c9e-000000000001", "comment": "Additional information about the visit",
        "insurance": {"insurance_provider_id": "11", "name": "Axa", "plan": "Gold", "plan_id": 3},
        "visit_payment": "false", "videocall_url": "https://video.example/room/1"
    })
}

#[tokio::test]
async fn slot_booked_and_booking_moved_read_the_insurance_provider_id_and_consents() {
    let (server, client) = setup().await;
    let booked = serde_json::json!({
        "name": "slot-booked",
        "data": {"facility": {"id": "1"}, "doctor": {"id": "123"}, "address": {"id": "111"},
            "visit_booking": booking_notification("b1", "2021-05-26T16:00:00+01:00")},
        "created_at": "2021-05-12T10:18:34+01:00"
    });
    let moved = serde_json::json!({
        "name": "booking-moved",
        "data": {"old_visit_booking": booking_notification("b1", "2021-05-26T16:00:00+01:00"),
            "new_visit_booking": booking_notification("b1", "2021-05-27T09:00:00+01:00")},
        "created_at": "2021-05-13T10:18:34+01:00"
    });
    api("GET", "/api/v3/integration/notifications/multiple")
        .and(query_param("limit", "2"))
        .and(no_body())
        .respond_with(ok_json(200, serde_json::json!({"notifications": [booked, moved], "remaining": 0})))
        .expect(1)
        .mount(&server)
        .await;
    let batch = client.notifications().pull_many(2).await.unwrap();
    assert!(batch.unreadable.is_empty());
    let NotificationEvent::SlotBooked { visit_booking } = &batch.notifications[0].event else { panic!() };
    let insurance = visit_booking.insurance.as_ref().unwrap();
    assert_eq!(insurance.id.as_deref(), Some("11"));
    assert_eq!((insurance.plan.as_deref(), insurance.plan_id.as_deref()), (Some("Gold"), Some("3")));
    assert!(!insurance.extra.contains_key("insurance_provider_id"));
    let patient = visit_booking.patient.as_ref().unwrap();
    assert_eq!((patient.marketing_consent, patient.data_privacy_consent), (Some(true), Some(true)));
    assert_eq!(visit_booking.visit_payment, Some(false));
    assert_eq!(visit_booking.videocall_url.as_deref(), Some("https://video.example/room/1"));
    assert_eq!(visit_booking.signature.as_deref(), Some("b2b7e7b6-1d3b-4a3c-9c9e-000000000001"));
    let NotificationEvent::BookingMoved { old_visit_booking, new_visit_booking } = &batch.notifications[1].event else {
        panic!()
    };
    for b in [old_visit_booking, new_visit_booking] {
        assert_eq!(b.insurance.as_ref().unwrap().id.as_deref(), Some("11"));
    }
    assert_eq!(new_visit_booking.start_at, Some(dt("2021-05-27T09:00:00+01:00")));
    // Consents are patient data: Debug says they were sent, not what they say.
    let debug = format!("{batch:?}");
    for secret in ["Abraham", "Lincoln", "example@example.com", "894237492", "video.example", "consent: Some(true)"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains("marketing_consent: Some([REDACTED])"), "{debug}");
    assert!(debug.contains("data_privacy_consent: Some([REDACTED])"), "{debug}");
}

#[test]
fn slot_booking_visit_payment_and_payment_status_change_are_typed() {
    let body = serde_json::json!({
        "name": "slot-booking",
        "data": {"visit_booking_request": {"start_at": "2021-05-26T16:00:00+01:00", "visit_payment": 1}},
    });
    let n = parse_push(body.to_string().as_bytes()).unwrap();
    let NotificationEvent::SlotBooking { visit_booking_request } = &n.event else { panic!() };
    assert_eq!(visit_booking_request.visit_payment, Some(true));

    let mut booking = booking_notification("b1", "2021-05-26T16:00:00+01:00");
    booking["visit_payment_status"] = serde_json::json!("paid");
    let body = serde_json::json!({
        "name": "booking-payment-status-changed",
        "data": {"visit_booking": booking,
            "visit_payment_status": {"status_from": "waiting_for_confirmation", "status_to": "paid", "changed_at": "2021-05-27T11:00:00+01:00"}},
    });
    let n = parse_push(body.to_string().as_bytes()).unwrap();
    let NotificationEvent::BookingPaymentStatusChanged { visit_booking, visit_payment_status } = &n.event else {
        panic!()
    };
    assert_eq!(visit_booking.visit_payment_status, Some(PaymentStatus::Paid));
    assert_eq!(visit_payment_status.status_from, Some(PaymentStatus::WaitingForConfirmation));
    // The old path keeps working.
    assert_eq!(
        carewire_docplanner::webhooks::PaymentStatus::from("refunded"),
        carewire_docplanner::PaymentStatus::Refunded
    );
}
