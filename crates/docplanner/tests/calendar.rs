//! Calendar and breaks.

mod common;

use carewire_docplanner::{AddBreak, CalendarStatus, MoveBreak};
use common::*;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn calendar_get() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/calendar")
        .respond_with(ok_json(200, fixture_json("calendar_get.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let c = address(&client).calendar().get().await.unwrap();
    assert_eq!(c.status, CalendarStatus::Enabled);
}

#[tokio::test]
async fn calendar_enable_and_disable() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/calendar/enable")
        .and(no_body())
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/calendar/disable")
        .and(no_body())
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let cal = address(&client).calendar();
    cal.enable().await.unwrap();
    cal.disable().await.unwrap();
}

#[tokio::test]
async fn calendar_enable_errors_400_409_422() {
    let (server, client) = setup().await;
    for (status, body) in [
        (400, fixture_json("calendar_enable.error.json")),
        (409, serde_json::json!({"errors": [], "message": "Calendar already enabled"})),
        (422, serde_json::json!({"errors": [], "message": "Address is not commercial"})),
    ] {
        api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/calendar/enable")
            .respond_with(error_json(status, body))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        let err = address(&client).calendar().enable().await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert!(matches!(err, carewire_docplanner::Error::Api(_)));
    }
}

#[tokio::test]
async fn calendar_disable_403() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/calendar/disable")
        .respond_with(error_json(403, fixture_json("calendar_disable.error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let err = address(&client).calendar().disable().await.unwrap_err();
    assert_eq!(err.status(), Some(403));
}

#[tokio::test]
async fn breaks_list_accepts_items_and_the_documented_single_object() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks")
        .and(raw_query(Some("since=2020-12-16T00%3A00%3A00%2B01%3A00&till=2020-12-17T00%3A00%3A00%2B01%3A00")))
        .respond_with(ok_json(200, fixture_json("breaks_list.response.json")))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks")
        .respond_with(ok_json(200, serde_json::json!({"_items": [fixture_json("breaks_get.response.json")]})))
        .mount(&server)
        .await;
    let breaks = address(&client).breaks();
    let (since, till) = (dt("2020-12-16T00:00:00+01:00"), dt("2020-12-17T00:00:00+01:00"));
    let single = breaks.list(since, till).await.unwrap();
    assert_eq!(single.items.len(), 1);
    assert_eq!(single.items[0].id, "567");
    let listed = breaks.list(since, till).await.unwrap();
    assert_eq!(listed.items[0].description.as_deref(), Some("Optional description"));
}

#[tokio::test]
async fn breaks_list_without_items_or_a_break_is_a_decode_error() {
    for body in [serde_json::json!({}), serde_json::json!({"_items": null}), serde_json::json!({"_links": {}})] {
        let (server, client) = setup().await;
        api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks")
            .respond_with(ok_json(200, body.clone()))
            .mount(&server)
            .await;
        let (since, till) = (dt("2020-12-16T00:00:00+01:00"), dt("2020-12-17T00:00:00+01:00"));
        let err = address(&client).breaks().list(since, till).await.unwrap_err();
        assert!(matches!(err, carewire_docplanner::Error::Decode(_)), "{body}: {err:?}");
    }
    // An empty range is an empty `_items`.
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks")
        .respond_with(ok_json(200, serde_json::json!({"_items": []})))
        .mount(&server)
        .await;
    let (since, till) = (dt("2020-12-16T00:00:00+01:00"), dt("2020-12-17T00:00:00+01:00"));
    assert!(address(&client).breaks().list(since, till).await.unwrap().items.is_empty());
}

#[tokio::test]
async fn break_add() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks")
        .and(json_body(fixture_json("breaks_add.request.json")))
        .respond_with(ok_json(201, fixture_json("breaks_get.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let body = AddBreak::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00"))
        .description("Optional reason for adding this particular break");
    let created = address(&client).breaks().add(body).await.unwrap();
    assert_eq!(created.unwrap().id, "567");
}

#[tokio::test]
async fn break_add_400_and_bad_range() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks")
        .respond_with(error_json(400, fixture_json("breaks_add.error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let breaks = address(&client).breaks();
    let err =
        breaks.add(AddBreak::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00"))).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    let err =
        breaks.add(AddBreak::new(dt("2021-05-16T15:00:00+01:00"), dt("2021-05-16T14:00:00+01:00"))).await.unwrap_err();
    assert!(matches!(err, carewire_docplanner::Error::InvalidRequest { ref field, .. } if field == "till"));
}

#[tokio::test]
async fn break_get() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks/567")
        .respond_with(ok_json(200, fixture_json("breaks_get.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let b = address(&client).breaks().get("567").await.unwrap();
    assert_eq!(b.since, dt("2020-12-16T14:00:00+01:00"));
    assert_eq!(b.till, dt("2020-12-16T14:30:00+01:00"));
}

#[tokio::test]
async fn break_move() {
    let (server, client) = setup().await;
    api("PATCH", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks/567")
        .and(json_body(fixture_json("breaks_move.request.json")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    address(&client)
        .breaks()
        .move_break("567", MoveBreak::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00")))
        .await
        .unwrap();
}

#[tokio::test]
async fn break_move_422() {
    let (server, client) = setup().await;
    api("PATCH", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks/567")
        .respond_with(error_json(422, fixture_json("breaks_move.error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let err = address(&client)
        .breaks()
        .move_break("567", MoveBreak::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00")))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
}

#[tokio::test]
async fn break_delete() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks/567")
        .and(no_body())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    address(&client).breaks().delete("567").await.unwrap();
}

#[tokio::test]
async fn break_delete_404() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/breaks/567")
        .respond_with(error_json(404, serde_json::json!({"errors": [], "message": "Object not found"})))
        .expect(1)
        .mount(&server)
        .await;
    let err = address(&client).breaks().delete("567").await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.api().unwrap().message(), Some("Object not found"));
}
