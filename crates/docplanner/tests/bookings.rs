//! Bookings: list (and pagination), get, cancel, move, confirm, presence.

mod common;

use carewire_docplanner::{
    Actor, Booking, BookingWith, BookingsWith, CancelBooking, ConfirmBooking, ConfirmedBy, ListBookingsExt,
    MoveBooking, MoveBookingWith, PaymentStatus, WithEncoding,
};
use common::*;
use futures_util::TryStreamExt;
use wiremock::ResponseTemplate;
use wiremock::matchers::query_param;

#[tokio::test]
async fn bookings_list_unpaginated() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings")
        .and(raw_query(Some(
            "start=2021-05-16T00%3A00%3A00%2B01%3A00&end=2021-05-17T00%3A00%3A00%2B01%3A00&with=booking.patient%2Cbooking.presence",
        )))
        .respond_with(ok_json(200, fixture_json("bookings_list.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let list = address(&client)
        .bookings()
        .list(dt("2021-05-16T00:00:00+01:00"), dt("2021-05-17T00:00:00+01:00"))
        .with(BookingsWith::Patient)
        .with(BookingsWith::Presence)
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list.items[1].booked_by, Some(Actor::Doctor));
    assert_eq!(list.items[1].canceled_by, Some(Actor::Doctor));
    assert_eq!(list.items[1].comment, None);
    assert_eq!(list.items[0].insurance.as_ref().unwrap().name.as_deref(), Some("Axa"));
}

#[tokio::test]
async fn bookings_stream_pages() {
    let (server, client) = setup().await;
    let booking = |id: u32| {
        let mut b = fixture_json("bookings_get.response.json");
        b["id"] = serde_json::json!(id.to_string());
        b
    };
    for page in 1..=3u32 {
        let items: Vec<_> = if page < 3 { vec![booking(page * 10), booking(page * 10 + 1)] } else { vec![booking(30)] };
        api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings")
            .and(query_param("page", page.to_string().as_str()))
            .and(query_param("limit", "2"))
            .and(query_param("start", "2021-05-16T00:00:00+01:00"))
            .and(query_param("with", "booking.patient"))
            .respond_with(ok_json(
                200,
                serde_json::json!({"_items": items, "page": page, "limit": 2, "pages": 3, "total": 5}),
            ))
            .expect(1)
            .mount(&server)
            .await;
    }
    let ids: Vec<String> = address(&client)
        .bookings()
        .list(dt("2021-05-16T00:00:00+01:00"), dt("2021-05-20T00:00:00+01:00"))
        .with(BookingsWith::Patient)
        .per_page(2)
        .stream()
        .map_ok(|b| b.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["10", "11", "20", "21", "30"]);
}

#[tokio::test]
async fn bookings_pages_and_collect_max() {
    let (server, client) = setup().await;
    // Pages 1 and 2 are fetched by both listings below, page 3 only by `pages()`: `collect_max(3)` stops
    // after the page that reaches 3 bookings.
    for (page, fetches) in [(1u32, 2u64), (2, 2), (3, 1)] {
        let items: Vec<_> = (0..2).map(|k| serde_json::json!({"id": format!("{page}{k}")})).collect();
        api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings")
            .and(query_param("page", page.to_string().as_str()))
            .and(query_param("limit", "2"))
            .respond_with(ok_json(200, serde_json::json!({"_items": items, "page": page, "pages": 3})))
            .expect(fetches)
            .mount(&server)
            .await;
    }
    let list = || {
        address(&client).bookings().list(dt("2021-05-16T00:00:00+01:00"), dt("2021-05-20T00:00:00+01:00")).per_page(2)
    };
    let pages: Vec<Vec<Booking>> = list().pages().try_collect().await.unwrap();
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 2]);
    let first = list().collect_max(3).await.unwrap();
    let ids: Vec<_> = first.iter().filter_map(|b| b.id.as_deref()).collect();
    assert_eq!(ids, ["10", "11", "20"]);
}

#[tokio::test]
async fn bookings_single_page() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings")
        .and(query_param("page", "2"))
        .and(query_param("limit", "100"))
        .respond_with(ok_json(200, serde_json::json!({"_items": [], "page": 2, "limit": 100, "pages": 1, "total": 2})))
        .expect(1)
        .mount(&server)
        .await;
    let page = address(&client)
        .bookings()
        .list(dt("2021-05-16T00:00:00+01:00"), dt("2021-05-17T00:00:00+01:00"))
        .page(2)
        .await
        .unwrap();
    assert_eq!((page.page, page.pages, page.total), (Some(2), Some(1), Some(2)));
}

#[tokio::test]
async fn booking_get() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124")
        .and(raw_query(Some("with=booking.moving")))
        .respond_with(ok_json(200, fixture_json("bookings_get.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let b = address(&client).bookings().get("2134124").with(BookingWith::Moving).await.unwrap();
    let p = b.patient.as_ref().unwrap();
    assert_eq!(p.phone.as_deref(), Some("48123123123"));
    assert_eq!(p.nin.as_deref(), Some("894237492"));
    assert_eq!(p.birth_date_parsed(), chrono::NaiveDate::from_ymd_opt(1985, 1, 1));
    assert_eq!(b.address_service.as_ref().unwrap().id, "101");
    let debug = format!("{b:?}");
    for secret in ["Abraham", "Lincoln", "48123123123", "894237492", "example@example.com"] {
        assert!(!debug.contains(secret), "{debug}");
    }
}

#[tokio::test]
async fn a_booking_without_its_id_is_a_decode_error() {
    // Anything but the id may be missing; without the id it is not a booking.
    let mut booking = fixture_json("bookings_get.response.json");
    booking.as_object_mut().unwrap().remove("id");
    let cases = [
        (booking, ".", "missing field `id`"),
        (serde_json::json!({"id": "", "status": "booked"}), "id", "an identifier must not be blank"),
        (serde_json::json!({"_items": [{"status": "booked"}]}), "_items[0]", "missing field `id`"),
    ];
    for (body, path, reason) in cases {
        let (server, client) = setup().await;
        api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124")
            .respond_with(ok_json(200, body.clone()))
            .mount(&server)
            .await;
        api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings")
            .respond_with(ok_json(200, body.clone()))
            .mount(&server)
            .await;
        let bookings = address(&client).bookings();
        let err = if path.starts_with("_items") {
            bookings.list(dt("2021-05-16T00:00:00+01:00"), dt("2021-05-17T00:00:00+01:00")).await.unwrap_err()
        } else {
            bookings.get("2134124").await.unwrap_err()
        };
        assert!(matches!(err, carewire_docplanner::Error::Decode(_)), "{body}: {err:?}");
        assert_eq!(err.decode_path(), Some(path), "{body}");
        assert!(err.to_string().contains(reason), "{err}");
    }
    let minimal: carewire_docplanner::Booking = serde_json::from_value(serde_json::json!({"id": 7})).unwrap();
    assert_eq!((minimal.id.as_deref(), minimal.status), (Some("7"), None));
}

#[tokio::test]
async fn booking_cancel_with_reason_in_delete_body() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124")
        .and(json_body(fixture_json("bookings_cancel.request.json")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    address(&client)
        .bookings()
        .cancel("2134124", CancelBooking::new().reason("Doctor will not be present on that day in the clinic"))
        .await
        .unwrap();
}

#[tokio::test]
async fn booking_cancel_without_reason_sends_no_body() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124")
        .and(no_body())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    address(&client).bookings().cancel("2134124", CancelBooking::new()).await.unwrap();
}

#[tokio::test]
async fn booking_cancel_400() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124")
        .respond_with(error_json(400, fixture_json("bookings_cancel.error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let err = address(&client).bookings().cancel("2134124", CancelBooking::new()).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn booking_move() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124/move")
        .and(json_body(fixture_json("bookings_move.request.json")))
        .respond_with(ok_json(201, fixture_json("bookings_move.response.json")).insert_header("location", "/x"))
        .expect(1)
        .mount(&server)
        .await;
    let b = address(&client)
        .bookings()
        .move_booking("2134124", MoveBooking::new("112", dt("2021-05-26T16:00:00+01:00")).duration(30))
        .await
        .unwrap();
    assert_eq!(b.duration, Some(30));
}

#[tokio::test]
async fn booking_move_409() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124/move")
        .respond_with(error_json(
            409,
            serde_json::json!({"errors": [], "message": "The visit has already been canceled or moved"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = address(&client)
        .bookings()
        .move_booking("2134124", MoveBooking::new("112", dt("2021-05-26T16:00:00+01:00")))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409));
}

#[tokio::test]
async fn booking_confirm() {
    let (server, client) = setup().await;
    api("PUT", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124/confirm")
        .and(json_body(serde_json::json!({"confirmed_by": "admin"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    address(&client).bookings().confirm("2134124", ConfirmBooking::new(ConfirmedBy::Admin)).await.unwrap();
}

#[tokio::test]
async fn presence_mark_present_and_absent() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124/presence/patient")
        .and(no_body())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124/presence/patient")
        .and(no_body())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let bookings = address(&client).bookings();
    bookings.mark_present("2134124").await.unwrap();
    bookings.mark_absent("2134124").await.unwrap();
}

#[tokio::test]
async fn presence_errors() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124/presence/patient")
        .respond_with(error_json(400, fixture_json("patient_presence_mark_present.error.json")))
        .mount(&server)
        .await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124/presence/patient")
        .respond_with(error_json(409, fixture_json("patient_presence_mark_absent.error.json")))
        .mount(&server)
        .await;
    let bookings = address(&client).bookings();
    assert_eq!(bookings.mark_present("2134124").await.unwrap_err().status(), Some(400));
    assert_eq!(bookings.mark_absent("2134124").await.unwrap_err().status(), Some(409));
}

#[tokio::test]
async fn booking_get_types_payment_video_link_and_moving() {
    let (server, client) = setup().await;
    let mut body = fixture_json("bookings_get.response.json");
    body["visit_payment"] = serde_json::json!(1);
    body["visit_payment_status"] = serde_json::json!("waiting_for_confirmation");
    body["videocall_url"] = serde_json::json!("https://video.example/room/2134124");
    body["moving"] = serde_json::json!({"origin_booking_id": "2134000", "newest_booking_id": 2_134_124});
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124")
        .and(raw_query(Some("with=booking.moving%2Caddress_service.public_insurance_flow")))
        .and(no_body())
        .respond_with(ok_json(200, body))
        .expect(1)
        .mount(&server)
        .await;
    let b = address(&client)
        .bookings()
        .get("2134124")
        .with(BookingWith::Moving)
        .with(BookingWith::PublicInsuranceFlow)
        .await
        .unwrap();
    assert_eq!(b.visit_payment, Some(true));
    assert_eq!(b.visit_payment_status, Some(PaymentStatus::WaitingForConfirmation));
    assert_eq!(b.videocall_url.as_deref(), Some("https://video.example/room/2134124"));
    let moving = b.moving.as_ref().unwrap();
    assert_eq!(moving.origin_booking_id.as_deref(), Some("2134000"));
    assert_eq!(moving.newest_booking_id.as_deref(), Some("2134124"));
    assert_eq!(b.insurance.as_ref().unwrap().id.as_deref(), Some("11"), "`id` still read when sent");
    for typed in ["visit_payment", "visit_payment_status", "videocall_url", "moving"] {
        assert!(!b.extra.contains_key(typed), "{typed} landed in extra");
    }
    // The video link opens the patient's consultation: not in Debug.
    let debug = format!("{b:?}");
    assert!(!debug.contains("video.example"), "{debug}");
    assert!(debug.contains("WaitingForConfirmation"), "{debug}");
}

#[test]
fn visit_payment_and_its_status_are_lenient() {
    let decode = |extra: serde_json::Value| {
        let mut v = serde_json::json!({"id": "1"});
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        serde_json::from_value::<Booking>(v).unwrap()
    };
    for (raw, expected) in [
        (serde_json::json!(true), Some(true)),
        (serde_json::json!(false), Some(false)),
        (serde_json::json!(1), Some(true)),
        (serde_json::json!(0), Some(false)),
        (serde_json::json!("true"), Some(true)),
        (serde_json::json!("false"), Some(false)),
        (serde_json::json!(null), None),
        (serde_json::json!("maybe"), None),
    ] {
        assert_eq!(decode(serde_json::json!({"visit_payment": raw})).visit_payment, expected, "{raw}");
    }
    let status = |raw: serde_json::Value| decode(serde_json::json!({"visit_payment_status": raw})).visit_payment_status;
    assert_eq!(status(serde_json::json!("paid")), Some(PaymentStatus::Paid));
    assert_eq!(status(serde_json::json!("NOT-PAID")), Some(PaymentStatus::NotPaid));
    assert_eq!(status(serde_json::json!("on_hold")), Some(PaymentStatus::Unknown("on_hold".into())));
    assert_eq!(status(serde_json::json!("")), None);
    assert_eq!(status(serde_json::json!(null)), None);
    // Another shape never costs the booking: it is kept, as JSON text.
    assert_eq!(
        status(serde_json::json!({"status_to": "paid"})),
        Some(PaymentStatus::Unknown(r#"{"status_to":"paid"}"#.into()))
    );
    let empty = decode(serde_json::json!({"videocall_url": "", "moving": null}));
    assert_eq!((empty.videocall_url, empty.moving.is_none()), (None, true));
}

#[tokio::test]
async fn booking_cancel_send_notifications_is_a_body_boolean() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/1")
        .and(raw_query(None))
        .and(json_body(serde_json::json!({"send_notifications": false})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2")
        .and(raw_query(None))
        .and(json_body(serde_json::json!({"reason": "Doctor is ill", "send_notifications": true})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let bookings = address(&client).bookings();
    bookings.cancel("1", CancelBooking::new().send_notifications(false)).await.unwrap();
    let both = CancelBooking::new().reason("Doctor is ill").send_notifications(true);
    assert!(!format!("{both:?}").contains("ill"));
    bookings.cancel("2", both).await.unwrap();
}

#[tokio::test]
async fn booking_move_with_public_insurance_flow() {
    let (server, client) = setup().await;
    let mut moved = fixture_json("bookings_move.response.json");
    moved["address_service"]["is_public_insurance_flow"] = serde_json::json!(true);
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124/move")
        .and(raw_query(Some("with=address_service.public_insurance_flow")))
        .and(json_body(fixture_json("bookings_move.request.json")))
        .respond_with(ok_json(201, moved).insert_header("location", "/x"))
        .expect(1)
        .mount(&server)
        .await;
    let b = address(&client)
        .bookings()
        .move_booking("2134124", MoveBooking::new("112", dt("2021-05-26T16:00:00+01:00")).duration(30))
        .with(MoveBookingWith::PublicInsuranceFlow)
        .with(MoveBookingWith::PublicInsuranceFlow)
        .await
        .unwrap();
    assert_eq!(b.address_service.unwrap().is_public_insurance_flow, Some(true));
}

#[tokio::test]
async fn other_with_values_join_the_one_with_parameter() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings")
        .and(raw_query(Some(
            "start=2021-05-16T00%3A00%3A00%2B01%3A00&end=2021-05-17T00%3A00%3A00%2B01%3A00&with=booking.patient%2Cbooking.new_scope",
        )))
        .respond_with(ok_json(200, fixture_json("bookings_list.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/2134124/move")
        .and(raw_query(Some("with=address_service.public_insurance_flow%2Cbooking.moving")))
        .respond_with(ok_json(201, fixture_json("bookings_move.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let list = address(&client)
        .bookings()
        .list(dt("2021-05-16T00:00:00+01:00"), dt("2021-05-17T00:00:00+01:00"))
        .with(BookingsWith::Patient)
        .with(BookingsWith::Other("booking.new_scope"))
        .with(BookingsWith::Other("booking.patient"))
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    address(&client)
        .bookings()
        .move_booking("2134124", MoveBooking::new("112", dt("2021-05-26T16:00:00+01:00")))
        .with_all([MoveBookingWith::PublicInsuranceFlow, MoveBookingWith::Other("booking.moving")])
        .await
        .unwrap();

    // In the bracket encoding too, one `with[]` per value, typed or not.
    let server = wiremock::MockServer::start().await;
    token_mock(&server).await;
    let client = builder(&server).with_encoding(WithEncoding::RepeatedBrackets).build().unwrap();
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/7")
        .and(raw_query(Some("with%5B%5D=booking.moving&with%5B%5D=booking.confirmation")))
        .respond_with(ok_json(200, serde_json::json!({"id": "7"})))
        .expect(1)
        .mount(&server)
        .await;
    let b = address(&client)
        .bookings()
        .get("7")
        .with(BookingWith::Moving)
        .with(BookingWith::Other("booking.confirmation"))
        .await
        .unwrap();
    assert_eq!(b.id.as_deref(), Some("7"));
}
