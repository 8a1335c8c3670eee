//! Scheduling a visit (#4-#6) through the conformance helper: method, exact path, query, token, body
//! against the doc's request fixtures, and the decode of the response fixtures; provider search pagination
//! and validation before sending.

mod common;

use carewire_core::Error;
use carewire_mdlive::{
    AppointmentMethod, AvailabilityType, GetProviderProfile, NewAppointment, ProviderGender, ProviderSearch,
};
use carewire_testkit::conformance::exchange;
use carewire_testkit::{Params, RecordedRequest, Reply, Router, TestServer};
use chrono::NaiveDate;
use common::*;
use futures_util::TryStreamExt;
use serde_json::json;

fn doc_appointment(appointment: NewAppointment) -> NewAppointment {
    appointment
        .customer_call_in_number("5555555555")
        .survey_answer("Emergency Room")
        .appointment_method(AppointmentMethod::Phone)
        .chief_complaint("Throat Pain")
        .concept_id("64")
        .consent("TM")
        .pcp_answer("primary_care_physician", true)
        .pcp_answer("pcp_correct_information", true)
        .pcp_answer("pcp_visit_information", true)
        .pcp_answer("pcp_assistance_question", false)
}

#[tokio::test]
async fn provider_search_wire_and_decode() {
    let search = ProviderSearch::new("FL").language_id(1);
    let ex = exchange(
        |base| session(base).scheduling().search_providers(search),
        200,
        fixture("providers_search.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v2/patients/52/providers/search")
        .assert_header("authorization", USER_AUTH)
        .assert_query(&[])
        .assert_json_body(&fixture_json("providers_search.request.json"));
    let result = ex.output();
    let ids: Vec<&str> = result.providers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["542127369", "542114314", "542117784"]);
    let first = &result.providers[0];
    assert_eq!(first.fullname.as_deref(), Some("Dr. Keylime Pie"));
    assert!(first.availability_type.is_empty(), "null reads as no availability types");
    assert_eq!(first.photo_url, None);
    assert_eq!(
        first
            .next_appt_available_date
            .as_ref()
            .and_then(carewire_core::de::LenientDateTime::parse)
            .map(|d| d.timestamp()),
        Some(1_510_253_100)
    );
    let types = &result.refine_search_options.unwrap().default_provider_types;
    assert_eq!(types.iter().filter_map(|t| t.id).collect::<Vec<_>>(), vec![3, 5, 6, 12]);
}

#[tokio::test]
async fn provider_search_filters_and_page_parameters() {
    let search = ProviderSearch::new("GA")
        .availability_type([AvailabilityType::Phone, AvailabilityType::Video])
        .gender(ProviderGender::Female)
        .provider_type_id(5)
        .specific_date(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
        .language_id(7);
    let ex = exchange(
        |base| session(base).send(carewire_mdlive::SearchProviders::new("52", search).page(2).per_page(5)),
        200,
        br#"{"providers": []}"#,
    )
    .await;
    ex.assert_query(&[("page", "2"), ("per_page", "5")]).assert_json_body(&json!({"search": {
        "state_abbrev": "GA", "availability_type": ["phone", "video"], "gender": "Female",
        "provider_type_id": 5, "specific_date": "2026-03-01", "language_id": 7
    }}));
    assert!(ex.output().providers.is_empty());
}

#[tokio::test]
async fn provider_search_streams_every_page_and_stops_on_a_short_one() {
    let server = TestServer::start(Router::new().route(
        "POST",
        "/api/v2/patients/{patient_id}/providers/search",
        |req: &RecordedRequest, _: &Params| {
            let q = |k: &str| {
                req.query_pairs().into_iter().find(|(n, _)| n == k).and_then(|(_, v)| v.parse::<usize>().ok())
            };
            let (page, per) = (q("page").unwrap_or(1), q("per_page").unwrap_or(100));
            let providers: Vec<_> = (1..=7).skip((page - 1) * per).take(per).map(|i| json!({"id": i})).collect();
            Reply::json(200, &json!({ "providers": providers }))
        },
    ));
    let s = session(&server.uri());
    let call = s.send(carewire_mdlive::SearchProviders::new("52", ProviderSearch::new("FL")).per_page(3));
    let ids: Vec<String> = call.stream().map_ok(|p| p.id).try_collect().await.unwrap();
    assert_eq!(ids, (1..=7).map(|i| i.to_string()).collect::<Vec<_>>());
    let pages = server.requests();
    assert_eq!(pages.len(), 3, "stops on the short third page");
    for (i, req) in pages.iter().enumerate() {
        assert_eq!(req.query_pairs(), vec![("page".into(), (i + 1).to_string()), ("per_page".into(), "3".into())]);
        assert_eq!(req.json_value().unwrap(), json!({"search": {"state_abbrev": "FL"}}));
        assert_eq!(req.header("authorization"), Some(USER_AUTH));
    }
    let two = s.scheduling().search_providers(ProviderSearch::new("FL")).collect_max(2).await.unwrap();
    assert_eq!(two.len(), 2);
}

#[tokio::test]
async fn provider_profile_with_the_patients_token() {
    let ex = exchange(
        |base| session(base).scheduling().provider_profile("4", 3),
        200,
        fixture("provider_profile_get.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v2/providers/4/profile")
        .assert_header("authorization", USER_AUTH)
        .assert_query(&[("provider_type", "3")])
        .assert_no_body();
    let profile = ex.output();
    let details = &profile.provider_details;
    assert_eq!((details.id.as_str(), details.phone.as_deref()), ("4", Some("3057997818")));
    assert_eq!(
        details.languages.iter().filter_map(|l| l.alpha3_code.as_deref()).collect::<Vec<_>>(),
        vec!["eng", "pol"]
    );
    assert_eq!(details.licenses.len(), 3);
    let availability = profile.availability_details.unwrap();
    assert_eq!(availability.can_request_appointment, Some(true));
    assert_eq!(availability.available_hours[0].phys_availability_id.as_deref(), Some("6096481"));
    assert_eq!(availability.available_hours[0].start_time(), Some(1_515_614_400));
    assert_eq!(availability.appointment_date.unwrap().parse_date(), NaiveDate::from_ymd_opt(2018, 1, 15));
}

#[tokio::test]
async fn provider_profile_with_the_api_token_names_the_patient() {
    let op = GetProviderProfile::new("4", 3)
        .patient_id("52")
        .availability_type(AvailabilityType::Video)
        .specific_date(NaiveDate::from_ymd_opt(2018, 1, 15).unwrap())
        .show_next_availability(false)
        .state_abbrev("FL");
    let ex =
        exchange(|base| client(base).send(op), 200, fixture("provider_profile_get.response.json").as_bytes()).await;
    ex.assert_wire("GET", "/api/v2/providers/4/profile").assert_header("authorization", API_AUTH).assert_query(&[
        ("provider_type", "3"),
        ("patient_id", "52"),
        ("availability_type", "video"),
        ("specific_date", "2018-01-15"),
        ("show_next_availability", "false"),
        ("state_abbrev", "FL"),
    ]);
    let handle = exchange(
        |base| client(base).providers().profile("4", 3, "52"),
        200,
        fixture("provider_profile_get.response.json").as_bytes(),
    )
    .await;
    handle.assert_query(&[("provider_type", "3"), ("patient_id", "52")]).assert_header("authorization", API_AUTH);
}

#[tokio::test]
async fn appointment_with_the_first_available_provider() {
    let appointment = doc_appointment(NewAppointment::first_available(3, "FL"));
    let ex = exchange(
        |base| session(base).scheduling().create_appointment(appointment),
        201,
        br#"{"appointment": {"id": 77, "status": "pending"}}"#,
    )
    .await;
    ex.assert_wire("POST", "/api/v2/patients/52/appointments")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("appointments_create_first_available.request.json"));
    let created = ex.output();
    assert_eq!(created.id.as_deref(), Some("77"));
    assert_eq!(created.body["appointment"]["status"], "pending");
}

#[tokio::test]
async fn appointment_with_a_specific_provider() {
    let appointment = doc_appointment(NewAppointment::with_provider("4", 1_516_225_743, 3, "FL"));
    let ex = exchange(|base| session(base).scheduling().create_appointment(appointment), 200, b"").await;
    ex.assert_json_body(&fixture_json("appointments_create_specific_provider.request.json"));
    let created = ex.output();
    assert_eq!((created.id, created.body), (None, serde_json::Value::Null), "an empty answer is accepted");
}

#[tokio::test]
async fn appointment_answers_that_are_not_json_fail_and_creates_are_not_retried() {
    let make = |base: &str| {
        session(base).scheduling().create_appointment(doc_appointment(NewAppointment::first_available(3, "FL")))
    };
    let html = exchange(make, 200, b"<html>proxy</html>").await;
    assert!(matches!(html.output, Err(Error::Decode(_))), "{:?}", html.output);
    let unavailable = exchange(make, 503, b"").await;
    assert_eq!(unavailable.attempts, 1, "a POST that may have been received is not sent twice");
    assert_eq!(unavailable.output.unwrap_err().status(), Some(503));
}

#[tokio::test]
async fn invalid_scheduling_requests_are_refused_before_sending() {
    let server = TestServer::start(|_: &RecordedRequest| Reply::status(500));
    let s = session(&server.uri());
    let field = |e: Error| match e {
        Error::InvalidRequest { field, .. } => field.into_owned(),
        other => panic!("{other:?}"),
    };
    let complete = || doc_appointment(NewAppointment::first_available(3, "FL"));
    let cases = [
        ("appointment.provider_type_id", doc_appointment(NewAppointment::first_available(0, "FL"))),
        ("appointment.state_abbrev", doc_appointment(NewAppointment::first_available(3, "Florida"))),
        ("appointment.chief_complaint", complete().chief_complaint(" ")),
        ("appointment.appointment_method", NewAppointment::first_available(3, "FL").chief_complaint("x")),
        ("appointment.survey_answer", complete().survey_answer("")),
        ("appointment.customer_call_in_number", complete().customer_call_in_number("")),
        ("appointment.start_time", doc_appointment(NewAppointment::with_provider("4", 0, 3, "FL"))),
        ("appointment.provider_id", doc_appointment(NewAppointment::with_provider(" ", 1, 3, "FL"))),
    ];
    for (want, appointment) in cases {
        assert_eq!(field(s.scheduling().create_appointment(appointment).await.unwrap_err()), want);
    }
    let no_consent = NewAppointment::first_available(3, "FL")
        .appointment_method(AppointmentMethod::Video)
        .chief_complaint("x")
        .survey_answer("y")
        .customer_call_in_number("1");
    assert_eq!(
        field(s.scheduling().create_appointment(no_consent).await.unwrap_err()),
        "appointment.consent_user_initials"
    );
    assert_eq!(field(s.scheduling().provider_profile("4", 0).await.unwrap_err()), "provider_type");
    assert_eq!(field(s.scheduling().provider_profile("", 3).await.unwrap_err()), "provider_id");
    assert_eq!(
        field(s.scheduling().search_providers(ProviderSearch::new("")).await.unwrap_err()),
        "search.state_abbrev"
    );
    let zero = carewire_mdlive::SearchProviders::new("52", ProviderSearch::new("FL")).per_page(0);
    assert_eq!(field(s.send(zero).await.unwrap_err()), "per_page");
    assert_eq!(server.received_total(), 0);
}

#[test]
fn appointment_and_provider_models_hide_nothing_they_should_not_show() {
    let appointment =
        doc_appointment(NewAppointment::first_available(3, "FL")).chief_complaint_comments("private pain");
    let text = format!("{appointment:?}");
    assert!(!text.contains("Throat") && !text.contains("private") && !text.contains("5555555555"), "{text}");
}
