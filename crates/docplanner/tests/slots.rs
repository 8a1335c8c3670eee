//! Slots: list, replace, book, delete a day.

mod common;

use carewire_docplanner::{
    BookSlot, BookingStatus, Gender, InsuranceAccepted, PatientInput, ReplaceSlots, SlotInput, SlotsWith,
};
use common::*;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn slots_list() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/slots")
        .and(raw_query(Some(
            "start=2020-12-16T00%3A00%3A00%2B01%3A00&end=2020-12-17T00%3A00%3A00%2B01%3A00&with=slot.services",
        )))
        .and(no_body())
        .respond_with(ok_json(200, fixture_json("slots_list.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let slots = address(&client)
        .slots()
        .list(dt("2020-12-16T00:00:00+01:00"), dt("2020-12-17T00:00:00+01:00"))
        .with(SlotsWith::Services)
        .await
        .unwrap();
    assert_eq!(slots.items[1].start, dt("2020-12-16T14:30:00+01:00"));
    assert_eq!(slots.items[1].start.offset().local_minus_utc(), 3600);
}

#[tokio::test]
async fn slots_replace() {
    let (server, client) = setup().await;
    api("PUT", "/api/v3/integration/facilities/1/doctors/123/addresses/111/slots")
        .and(json_body(fixture_json("slots_replace.request.json")))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let body = ReplaceSlots::new()
        .slot(
            SlotInput::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00"))
                .service("111", 30)
                .service("112", 15)
                .insurance_accepted(InsuranceAccepted::WithInsuranceOnly)
                .insurance_providers([52, 67]),
        )
        .slot(SlotInput::new(dt("2021-05-16T15:00:00+01:00"), dt("2021-05-16T16:00:00+01:00")).service("112", 15));
    address(&client).slots().replace(body).await.unwrap();
}

#[tokio::test]
async fn slots_replace_validated_before_sending() {
    let (server, client) = setup().await;
    let body = ReplaceSlots::new()
        .slot(SlotInput::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00")).service("111", 30))
        .slot(SlotInput::new(dt("2021-05-16T15:00:00+01:00"), dt("2021-05-16T16:00:00+01:00")).service("112", 0));
    let err = address(&client).slots().replace(body).await.unwrap_err();
    assert!(
        matches!(err, carewire_docplanner::Error::InvalidRequest { ref field, .. } if field == "slots[1].address_services[0].duration"),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn slots_replace_400_with_field_errors() {
    let (server, client) = setup().await;
    api("PUT", "/api/v3/integration/facilities/1/doctors/123/addresses/111/slots")
        .respond_with(error_json(
            400,
            serde_json::json!({"errors": {"slots[1].end": ["End date should be less than or equal to 15.05.2021, 11:45."]}, "message": "Invalid arguments"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let body =
        ReplaceSlots::new().slot(SlotInput::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00")));
    let err = address(&client).slots().replace(body).await.unwrap_err();
    let typed = err.vendor_error::<carewire_docplanner::DocplannerError>().unwrap();
    assert_eq!(typed.message.as_deref(), Some("Invalid arguments"));
    assert_eq!(typed.field_errors("slots[1].end").len(), 1);
    assert!(!format!("{err:?}{err}").contains("15.05.2021"));
}

#[tokio::test]
async fn slot_book_encodes_start_in_path() {
    let (server, client) = setup().await;
    api(
        "POST",
        "/api/v3/integration/facilities/1/doctors/123/addresses/111/slots/2021-05-16T14%3A00%3A00%2B01%3A00/book",
    )
    .and(json_body(fixture_json("slots_book.request.json")))
    .respond_with(ok_json(200, fixture_json("slots_book.response.json")))
    .expect(1)
    .mount(&server)
    .await;
    // The fixture sends phone and nin as JSON numbers: `StringOrNumber` sends them the same way.
    let patient = PatientInput::new("Abraham", 48_123_123_123_u64)
        .surname("Lincoln")
        .email("example@example.com")
        .birth_date(chrono::NaiveDate::from_ymd_opt(1985, 1, 1).unwrap())
        .gender(Gender::Male)
        .marketing_consent(true)
        .data_privacy_consent(true)
        .nin(894_237_492_u64);
    let body = BookSlot::new("113", 30, patient).is_returning(false).label("label").comment("comment");
    let booking = address(&client).slots().book(dt("2021-05-16T14:00:00+01:00"), body).await.unwrap();
    assert_eq!(booking.id.as_deref(), Some("2134124"));
    assert_eq!(booking.status, Some(BookingStatus::Booked));
    assert_eq!(booking.canceled_by, None);
    assert_eq!(booking.start_at, Some(dt("2021-05-16T14:00:00+01:00")));
}

#[tokio::test]
async fn slot_book_404_and_422() {
    let (server, client) = setup().await;
    api(
        "POST",
        "/api/v3/integration/facilities/1/doctors/123/addresses/111/slots/2021-05-16T14%3A00%3A00%2B01%3A00/book",
    )
    .respond_with(error_json(404, serde_json::json!({"errors": [], "message": "Slot not found"})))
    .up_to_n_times(1)
    .mount(&server)
    .await;
    api(
        "POST",
        "/api/v3/integration/facilities/1/doctors/123/addresses/111/slots/2021-05-16T14%3A00%3A00%2B01%3A00/book",
    )
    .respond_with(error_json(
        422,
        serde_json::json!({"errors": ["Patient phone is invalid"], "message": "Invalid arguments"}),
    ))
    .mount(&server)
    .await;
    let slots = address(&client).slots();
    let book = || BookSlot::new("113", 30, PatientInput::new("A", "1"));
    let err = slots.book(dt("2021-05-16T14:00:00+01:00"), book()).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    let err = slots.book(dt("2021-05-16T14:00:00+01:00"), book()).await.unwrap_err();
    assert_eq!(err.status(), Some(422));
    let typed = err.vendor_error::<carewire_docplanner::DocplannerError>().unwrap();
    assert_eq!(typed.errors, carewire_docplanner::ErrorDetails::List(vec!["Patient phone is invalid".into()]));
}

#[tokio::test]
async fn slots_delete_day() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/slots/2021-05-16")
        .and(no_body())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let day = chrono::NaiveDate::from_ymd_opt(2021, 5, 16).unwrap();
    address(&client).slots().delete_day(day).await.unwrap();
}

#[tokio::test]
async fn slots_delete_day_403() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/slots/2021-05-16")
        .respond_with(error_json(403, fixture_json("slots_delete.error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let day = chrono::NaiveDate::from_ymd_opt(2021, 5, 16).unwrap();
    let err = address(&client).slots().delete_day(day).await.unwrap_err();
    assert_eq!(err.status(), Some(403));
}
