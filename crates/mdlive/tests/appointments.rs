//! Appointments: cancel, upcoming, entered waiting room (POST, or PUT on request) and connection params,
//! through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Encodings, Operation, Scope};
use carewire_mdlive::{ArrivalMethod, EnteredWaitingRoom, GetConnectionParams, ListUpcomingAppointments, MdliveError};
use carewire_testkit::conformance::exchange;
use common::*;

#[tokio::test]
async fn cancel_wire_and_204() {
    let ex = exchange(|base| session(base).appointments().cancel("8817"), 204, b"").await;
    ex.assert_wire("PUT", "/api/v1/patients/52/appointments/8817/cancel")
        .assert_header("authorization", USER_AUTH)
        .assert_query(&[])
        .assert_no_body();
    assert_eq!(ex.attempts, 1);
    ex.output();
}

#[tokio::test]
async fn cancel_of_a_started_appointment_is_an_api_error() {
    let ex = exchange(
        |base| session(base).appointments().cancel("8817"),
        409,
        br#"{"message": "Appointment has already started"}"#,
    )
    .await;
    let err = ex.output.unwrap_err();
    let mdlive = err.vendor_error::<MdliveError>().expect("an MDLIVE error");
    assert_eq!(mdlive.status, 409);
    assert_eq!(mdlive.message.as_deref(), Some("Appointment has already started"));
}

/// The doc's example lost its wrapper, ids and times: only fragments survive (the `partial/` fixture). This
/// body assembles them into one item, under the likely `appointments` key.
fn upcoming_body() -> serde_json::Value {
    let fragments = fixture_json("partial/appointments_upcoming.response.fragment.json");
    serde_json::json!({
        "appointments": [{
            "id": 8817,
            "provider": fragments[0],
            "chief_complaint": fragments[1]["chief_complaint"],
            "wait_info": fragments[2],
            "provider_ready": false,
            "start_time": 1_545_321_600
        }]
    })
}

#[tokio::test]
async fn upcoming_wire_and_decode() {
    let body = serde_json::to_vec(&upcoming_body()).unwrap();
    let ex = exchange(|base| session(base).appointments().upcoming(), 200, &body).await;
    ex.assert_wire("GET", "/api/v2/patients/52/appointments/upcoming")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    let list = ex.output();
    assert_eq!(list.len(), 1);
    let a = &list[0];
    assert_eq!(a.id.as_deref(), Some("8817"));
    assert_eq!(a.provider_ready, Some(false));
    assert_eq!(a.chief_complaint.as_deref(), Some("sore throat"));
    let provider = a.provider.as_ref().unwrap();
    assert_eq!(provider.full_name.as_deref(), Some("Test Provider"));
    assert_eq!(provider.provider_type.as_deref(), Some("General Medical"));
    let wait = a.wait_info.as_ref().unwrap();
    assert_eq!(wait.over_time_message.as_deref(), Some("under 30"));
    assert_eq!(wait.wait_time_label.as_deref(), Some("Estimated Provider call back time"));
    assert_eq!(wait.average_wait_time, None, "deprecated, null");
    assert!(a.extra.contains_key("start_time"));
    assert!(!format!("{a:?}").contains("sore throat"));
}

#[tokio::test]
async fn upcoming_reads_the_list_under_any_likely_wrapper() {
    let item = serde_json::json!({"id": 1, "provider_ready": true});
    for body in [
        serde_json::json!([item]),
        serde_json::json!({"upcoming_appointments": [item]}),
        serde_json::json!({"appointments_upcoming": [item], "count": 1}),
    ] {
        let bytes = serde_json::to_vec(&body).unwrap();
        let ex = exchange(|base| session(base).appointments().upcoming(), 200, &bytes).await;
        let list = ex.output();
        assert_eq!((list.len(), list[0].provider_ready), (1, Some(true)), "{body}");
    }
    let ex = exchange(|base| session(base).appointments().upcoming(), 200, br#"{"appointments": []}"#).await;
    assert!(ex.output().is_empty(), "no upcoming appointment is an empty list");
}

#[tokio::test]
async fn upcoming_without_a_list_is_an_error() {
    for body in [&br"{}"[..], br#"{"message": "ok"}"#, br#"{"a": [], "b": []}"#, b"", b"<html></html>"] {
        let ex = exchange(|base| session(base).send(ListUpcomingAppointments::new("52")), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn entered_waiting_room_posts_by_default() {
    let ex = exchange(|base| session(base).appointments().entered_waiting_room("8817"), 200, b"").await;
    ex.assert_wire("POST", "/api/v1/patients/52/appointments/8817/entered_waiting_room")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    ex.output();
}

#[tokio::test]
async fn entered_waiting_room_puts_on_request() {
    let ex = exchange(
        |base| {
            let s = session(base);
            s.send(EnteredWaitingRoom::new(s.patient_id(), "8817").method(ArrivalMethod::Put))
        },
        200,
        b"",
    )
    .await;
    ex.assert_wire("PUT", "/api/v1/patients/52/appointments/8817/entered_waiting_room")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    ex.output();
    let req = EnteredWaitingRoom::new("52", "1").method(ArrivalMethod::Put).request(&Encodings::default()).unwrap();
    assert_eq!(req.operation_name(), "appointments.entered_waiting_room");
    assert!(req.is_retry_safe(), "a PUT is idempotent");
}

#[tokio::test]
async fn entered_waiting_room_of_an_unknown_appointment_is_a_404() {
    let ex = exchange(|base| session(base).appointments().entered_waiting_room("1"), 404, b"").await;
    assert_eq!(ex.output.unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn connection_params_wire_and_decode() {
    let op = GetConnectionParams::new("8817").post_consultation_url("myapp://consult-done?x=1&y=2");
    let ex = exchange(
        |base| session(base).appointments().connection_params(op),
        200,
        br#"{"url": "https://video.example/join/abc", "token": "t"}"#,
    )
    .await;
    ex.assert_wire("GET", "/api/v1/appointments/8817/connection_params")
        .assert_header("authorization", USER_AUTH)
        .assert_query(&[("post_consultation_url", "myapp://consult-done?x=1&y=2")])
        .assert_no_body();
    let raw = ex.request.query.as_deref().unwrap();
    assert!(raw.starts_with("post_consultation_url=myapp%3A%2F%2F") && !raw.contains('&'), "{raw}");
    let params = ex.output();
    assert_eq!(params.url.as_deref(), Some("https://video.example/join/abc"));
    assert!(params.extra.contains_key("token"));
    assert!(!format!("{params:?}").contains("video.example"));
    assert_eq!(GetConnectionParams::SPEC.scope, Scope::Subject);
}

#[tokio::test]
async fn connection_params_reads_other_shapes() {
    for body in [
        &br#"{"connection_params": {"join_url": "https://v/1"}}"#[..],
        br#"{"video_url": "https://v/1", "appointment_id": 8817}"#,
    ] {
        let ex =
            exchange(|base| session(base).appointments().connection_params(GetConnectionParams::new("1")), 200, body)
                .await;
        assert!(ex.request.query.is_none(), "no redirect URL given");
        assert_eq!(ex.output().url.as_deref(), Some("https://v/1"), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn connection_params_without_an_object_is_an_error() {
    for body in [&br"{}"[..], b"", br"[]", br#""https://v/1""#, br#"{"connection_params": null}"#] {
        let ex =
            exchange(|base| session(base).appointments().connection_params(GetConnectionParams::new("1")), 200, body)
                .await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[test]
fn ids_and_the_redirect_url_are_validated_before_sending() {
    let enc = Encodings::default();
    for (result, want) in [
        (GetConnectionParams::new(" ").request(&enc), "appointment_id"),
        (GetConnectionParams::new("1").post_consultation_url("/relative").request(&enc), "post_consultation_url"),
        (EnteredWaitingRoom::new("52", "").request(&enc), "appointment_id"),
        (ListUpcomingAppointments::new("").request(&enc), "patient_id"),
    ] {
        let err = result.unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == want), "{want}: {err:?}");
    }
}
