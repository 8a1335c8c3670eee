//! The operation table: every MyMedic operation is an operation value whose spec matches the endpoints the
//! SDK must cover, and each one's wire (method, exact path, query, auth, body) and decode, checked through
//! the conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Operation, Scope};
use carewire_mymedic::{
    AppointmentStatus, CreateAppointment, DEFAULT_SCOPES, FilterStyle, GetHealthProgram, HealthProgram,
    ListHealthPrograms, MEDICAL_RECORDS_PATH, OPERATIONS, Participant, ProgramStatus, REQUIRED_SCOPES, Slot,
    UpdateAppointmentStatus,
};
use carewire_testkit::conformance::{assert_table_matches, exchange};
use carewire_testkit::{Reply, TestServer};
use common::*;
use serde_json::json;

/// This crate's rows of the endpoints table, kept beside the tests (and checked against the shared table
/// when it is there).
const ENDPOINTS: &str = include_str!("fixtures/endpoints.tsv");

#[test]
fn the_operation_table_matches_the_endpoints_to_cover() {
    assert_table_matches("mymedic", OPERATIONS, ENDPOINTS);
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/api/endpoints.tsv");
    if let Ok(tsv) = std::fs::read_to_string(shared) {
        assert_table_matches("mymedic", OPERATIONS, &tsv);
    }
    assert!(OPERATIONS.iter().all(|s| s.scope == Scope::Client));
    // Reads and the PUT are idempotent by method; the booking because it carries a key.
    assert!(OPERATIONS.iter().all(|s| s.retry_safe));
    // Every operation has its OAuth2 scope, and the table names no other operation.
    let names: Vec<&str> = OPERATIONS.iter().map(|s| s.name).collect();
    let scoped: Vec<&str> = REQUIRED_SCOPES.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, scoped);
    for (_, scope) in REQUIRED_SCOPES {
        assert!(DEFAULT_SCOPES.contains(scope), "{scope} is requested by default");
    }
}

#[test]
fn defaults_follow_the_guides_configuration() {
    let config = fixture_json("integration_config.json");
    let integration = &config["integration"];
    assert_eq!(integration["auth"]["scopes"], json!(DEFAULT_SCOPES));
    assert_eq!(integration["endpoints"]["records"], MEDICAL_RECORDS_PATH);
    assert_eq!(integration["endpoints"]["programs"], <ListHealthPrograms as Operation>::SPEC.path);
    assert_eq!(integration["endpoints"]["appointments"], <CreateAppointment as Operation>::SPEC.path);
}

fn filtered() -> ListHealthPrograms {
    ListHealthPrograms::new()
        .status(ProgramStatus::Active)
        .program_type("yoga")
        .practitioner("dr asha")
        .limit(20)
        .offset(40)
}

const LIST_ANSWER: &[u8] =
    br#"{"data": [{"id": "prg_001", "name": "Morning Hatha Yoga", "status": "active", "type": "yoga"}], "total": 41}"#;

#[tokio::test]
async fn list_programs_sends_bracket_filters_in_the_query() {
    let ex = exchange(|base| client(base).programs().list(filtered()), 200, LIST_ANSWER).await;
    ex.assert_wire("GET", "/api/v1/health-programs")
        .assert_header("authorization", AUTH)
        .assert_query(&[
            ("limit", "20"),
            ("offset", "40"),
            ("filters[status]", "active"),
            ("filters[type]", "yoga"),
            ("filters[practitioner]", "dr asha"),
        ])
        .assert_no_body();
    let raw = ex.request.query.clone().unwrap();
    assert!(raw.contains("filters%5Bstatus%5D=active"), "{raw}");
    let list = ex.output();
    assert_eq!(list.programs[0].id.as_deref(), Some("prg_001"));
    assert_eq!(list.programs[0].status, Some(ProgramStatus::Active));
    assert_eq!(list.programs[0].program_type.as_deref(), Some("yoga"));
    assert_eq!(list.extra["total"], 41);
}

#[tokio::test]
async fn list_programs_sends_flat_filters_when_configured() {
    let ex = exchange(|base| styled(base, FilterStyle::Flat).programs().list(filtered()), 200, LIST_ANSWER).await;
    ex.assert_wire("GET", "/api/v1/health-programs").assert_no_body().assert_query(&[
        ("limit", "20"),
        ("offset", "40"),
        ("status", "active"),
        ("type", "yoga"),
        ("practitioner", "dr asha"),
    ]);
    // The operation's own style wins over the client's; no parameter at all sends no query.
    let list = ListHealthPrograms::new().filter_style(FilterStyle::Brackets).filter("language", "hi");
    let ex = exchange(|base| styled(base, FilterStyle::Flat).programs().list(list), 200, b"[]").await;
    ex.assert_query(&[("filters[language]", "hi")]);
    assert!(ex.output().programs.is_empty());
    let ex = exchange(|base| client(base).programs().list(ListHealthPrograms::new()), 200, b"[]").await;
    ex.assert_query(&[]);
    assert_eq!(ex.request.query, None);
}

#[tokio::test]
async fn list_programs_sends_the_guides_json_body_only_when_asked() {
    let ex = exchange(|base| styled(base, FilterStyle::JsonBody).programs().list(filtered()), 200, LIST_ANSWER).await;
    ex.assert_wire("GET", "/api/v1/health-programs").assert_query(&[]).assert_json_body(&json!({
        "limit": 20,
        "offset": 40,
        "filters": {"status": "active", "type": "yoga", "practitioner": "dr asha"},
    }));
    assert_eq!(ex.output().programs.len(), 1);
}

#[tokio::test]
async fn get_program_wire_and_decode() {
    let body = br#"{"programId": "prg/1", "name": "Yoga", "status": "upcoming", "practitioner": {"name": "Dr Asha"}, "seats": 12}"#;
    let ex = exchange(|base| client(base).programs().get("prg/1"), 200, body).await;
    ex.assert_wire("GET", "/api/v1/health-programs/prg%2F1")
        .assert_header("authorization", AUTH)
        .assert_no_body()
        .assert_query(&[]);
    let program = ex.output();
    assert_eq!(program.id.as_deref(), Some("prg/1"));
    assert_eq!(program.status, Some(ProgramStatus::Upcoming));
    assert_eq!(program.practitioner, Some(json!({"name": "Dr Asha"})));
    assert_eq!(program.extra["seats"], 12);
    let enveloped = br#"{"success": true, "data": {"id": 7, "status": {"code": "on_hold"}}}"#;
    let program = exchange(|base| client(base).send(GetHealthProgram::new("7")), 200, enveloped).await.output();
    assert_eq!(program.id.as_deref(), Some("7"));
    assert_eq!((program.status, &program.extra["status"]), (None, &json!({"code": "on_hold"})));
    assert_eq!(program.extra["success"], true);
}

fn booking() -> CreateAppointment {
    CreateAppointment::new(
        "prg_001",
        Participant::new().name("Asha Rao").email("asha@example.com").phone("+91 98450 12345").medical_id("MED-1001"),
        Slot::new("2025-04-08", "10:00").practitioner("dr-asha"),
    )
    .idempotency_key("booking-1")
}

#[tokio::test]
async fn create_appointment_wire_and_decode() {
    let answer =
        br#"{"appointmentId": "apt_1", "status": "scheduled", "programId": "prg_001", "slot": "2025-04-08T10:00:00Z"}"#;
    let ex = exchange(|base| client(base).appointments().create(booking()), 201, answer).await;
    ex.assert_wire("POST", "/api/v1/appointments")
        .assert_header("authorization", AUTH)
        .assert_header("idempotency-key", "booking-1")
        .assert_query(&[])
        .assert_json_body(&json!({
            "programId": "prg_001",
            "participant": {"name": "Asha Rao", "email": "asha@example.com", "phone": "+91 98450 12345", "medicalId": "MED-1001"},
            "slot": {"date": "2025-04-08", "time": "10:00", "practitioner": "dr-asha"},
        }));
    assert_eq!(ex.attempts, 1);
    let appointment = ex.output();
    assert_eq!(appointment.id.as_deref(), Some("apt_1"));
    assert_eq!(appointment.status, Some(AppointmentStatus::Scheduled));
    assert_eq!(appointment.program_id.as_deref(), Some("prg_001"));
    assert_eq!((appointment.slot, &appointment.extra["slot"]), (None, &json!("2025-04-08T10:00:00Z")));
}

#[tokio::test]
async fn a_per_call_key_replaces_the_bookings_own_and_extras_are_sent() {
    let op = booking().extra("channel", "kiosk");
    let ex = exchange(|base| client(base).send(op).idempotency_key("from-the-call"), 200, br#"{"id": "apt_2"}"#).await;
    ex.assert_header("idempotency-key", "from-the-call");
    assert_eq!(ex.request.json_value().unwrap()["channel"], "kiosk");
    let minimal = CreateAppointment::new("prg_1", Participant::new().medical_id("MED-1"), Slot::new("d", "t"));
    let ex = exchange(|base| client(base).send(minimal), 200, br#"{"id": "apt_3"}"#).await;
    ex.assert_json_body(
        &json!({"programId": "prg_1", "participant": {"medicalId": "MED-1"}, "slot": {"date": "d", "time": "t"}}),
    );
    assert_eq!(ex.request.header("idempotency-key").map(str::len), Some(36), "a generated UUID");
}

#[tokio::test]
async fn update_status_wire_and_decode() {
    let update = UpdateAppointmentStatus::new("apt 1", AppointmentStatus::Cancelled).notes("Participant unwell");
    let answer = br#"{"data": {"id": "apt 1", "status": "canceled", "notes": "Participant unwell"}}"#;
    let ex = exchange(|base| client(base).appointments().update_status(update), 200, answer).await;
    ex.assert_wire("PUT", "/api/v1/appointments/apt%201/status")
        .assert_header("authorization", AUTH)
        .assert_json_body(&json!({"status": "cancelled", "notes": "Participant unwell"}));
    let appointment = ex.output().unwrap();
    assert_eq!(appointment.status, Some(AppointmentStatus::Cancelled));
    assert_eq!(appointment.notes.as_deref(), Some("Participant unwell"));
    let done = UpdateAppointmentStatus::new("apt_1", AppointmentStatus::Completed);
    let ex = exchange(|base| client(base).appointments().update_status(done), 204, b"").await;
    ex.assert_json_body(&json!({"status": "completed"}));
    assert_eq!(ex.output(), None, "a 204 without a body is an update without an answer");
}

#[tokio::test]
async fn a_2xx_that_is_not_the_resource_is_refused() {
    let not_json: [&[u8]; 4] = [b"<html><body>502 Bad Gateway</body></html>", b"", b"\xff\xfe", b"accepted"];
    for body in not_json.iter().copied().chain([&b"{}"[..], br#"{"ok": true}"#, br#"["apt_1"]"#]) {
        let ex = exchange(|base| client(base).appointments().create(booking()), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "create {:?}", String::from_utf8_lossy(body));
        let ex = exchange(|base| client(base).programs().get("prg_1"), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "get {:?}", String::from_utf8_lossy(body));
        let update = UpdateAppointmentStatus::new("apt_1", AppointmentStatus::Completed);
        let ex = exchange(|base| client(base).appointments().update_status(update), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "update {:?}", String::from_utf8_lossy(body));
    }
    for body in [&b"{}"[..], br#"{"data": {"id": "p"}}"#, b"[1, 2]", b"null", b"<html></html>"] {
        let ex = exchange(|base| client(base).programs().list(ListHealthPrograms::new()), 200, body).await;
        let err = ex.output.unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "list {:?}", String::from_utf8_lossy(body));
        assert!(err.to_string().starts_with("mymedic GET /api/v1/health-programs"), "{err}");
    }
}

#[tokio::test]
async fn invalid_parameters_are_refused_before_sending() {
    let server = TestServer::start(|_: &carewire_testkit::RecordedRequest| Reply::json(200, &json!({"id": "x"})));
    let client = client(&server.uri());
    let slot = || Slot::new("2025-04-08", "10:00");
    let cases: Vec<(CreateAppointment, &str)> = vec![
        (CreateAppointment::new(" ", Participant::new().name("A"), slot()), "programId"),
        (CreateAppointment::new("prg_1", Participant::new(), slot()), "participant"),
        (CreateAppointment::new("prg_1", Participant::new().name(""), slot()), "participant.name"),
        (CreateAppointment::new("prg_1", Participant::new().email("asha"), slot()), "participant.email"),
        (CreateAppointment::new("prg_1", Participant::new().name("A"), Slot::new("", "10:00")), "slot.date"),
        (CreateAppointment::new("prg_1", Participant::new().name("A"), slot()).idempotency_key(""), "idempotency_key"),
    ];
    for (op, field) in cases {
        match client.appointments().create(op).await.unwrap_err() {
            Error::InvalidRequest { field: f, .. } => assert_eq!(f, field),
            other => panic!("{other:?}"),
        }
    }
    let lists = [
        (ListHealthPrograms::new().limit(0), "limit"),
        (ListHealthPrograms::new().program_type(" "), "filters.type"),
        (ListHealthPrograms::new().filter("language", ""), "filters.language"),
        (ListHealthPrograms::new().filter("limit", "5").filter_style(FilterStyle::Flat), "filters.limit"),
    ];
    for (op, field) in lists {
        assert!(matches!(client.programs().list(op).await, Err(Error::InvalidRequest { field: f, .. }) if f == field));
    }
    assert!(matches!(client.programs().get("").await, Err(Error::InvalidRequest { .. })));
    let update = UpdateAppointmentStatus::new("", AppointmentStatus::Completed);
    assert!(matches!(client.appointments().update_status(update).await, Err(Error::InvalidRequest { .. })));
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn models_round_trip_and_debug_redacts() {
    let program: HealthProgram = serde_json::from_value(json!({
        "id": "prg_1", "name": "Yoga", "status": "active", "type": "yoga", "practitioner": "Dr Asha Menon",
        "schedule": {"days": ["mon"]}, "extra_field": 1
    }))
    .unwrap();
    let again: HealthProgram = serde_json::from_value(serde_json::to_value(&program).unwrap()).unwrap();
    assert_eq!(program, again);
    let debug = format!("{program:?}");
    assert!(debug.contains("prg_1") && !debug.contains("Asha") && debug.contains("extra_field"), "{debug}");

    let mut appointment = carewire_mymedic::Appointment::default();
    appointment.id = Some("apt_1".into());
    appointment.participant = Some(Participant::new().name("Asha Rao").medical_id("MED-1001"));
    appointment.notes = Some("diabetic".into());
    let debug = format!("{appointment:?} {:?}", booking());
    assert!(!debug.contains("Asha") && !debug.contains("MED-1001") && !debug.contains("diabetic"), "{debug}");
    assert!(debug.contains("apt_1"), "{debug}");
    let again: carewire_mymedic::Appointment =
        serde_json::from_value(serde_json::to_value(&appointment).unwrap()).unwrap();
    assert_eq!(again, appointment);
}
