//! Round trips of the real client against `carewire_testkit::mymedic::Sandbox`: OAuth2 client credentials
//! (one fetch, refresh on 401, early refresh), static and custom tokens, scope errors, slot conflicts,
//! status updates, and medical records through the escape hatch.

mod common;

use carewire_core::BoxFuture;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use carewire_core::auth::{Token, TokenSource};
use carewire_core::{Error, Request};
use carewire_mymedic::{
    AppointmentStatus, Client, ClientBuilder, CreateAppointment, ErrorCode, ListHealthPrograms, MEDICAL_RECORDS_PATH,
    MyMedicError, Participant, ProgramStatus, Slot, UpdateAppointmentStatus,
};
use carewire_testkit::Fault;
use carewire_testkit::mymedic::Sandbox;
use common::{fast_retry, oauth};
use serde_json::{Value, json};

fn booking(time: &str) -> CreateAppointment {
    CreateAppointment::new(
        "prg_001",
        Participant::new().name("Asha Rao").email("asha@example.com").medical_id("MED-1001"),
        Slot::new("2025-04-08", time).practitioner("dr-asha"),
    )
}

/// The sandbox's request log as `T` for a token request and `A` for an API request.
fn token_marks(sandbox: &Sandbox) -> String {
    sandbox.server().requests().iter().map(|r| if r.path == "/oauth/token" { 'T' } else { 'A' }).collect()
}

/// A token source handing out the sandbox's static token, counting its fetches.
#[derive(Debug, Default)]
struct Counting(Arc<AtomicU32>);

impl TokenSource for Counting {
    fn fetch(&self) -> BoxFuture<'_, carewire_core::Result<Token>> {
        Box::pin(async move {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(Token::new(Sandbox::ACCESS_TOKEN, Some(Duration::from_secs(600))))
        })
    }
}

#[tokio::test]
async fn every_operation_round_trips_with_client_credentials() {
    let sandbox = Sandbox::start();
    let client = oauth(&sandbox).build().unwrap();
    let active = client.programs().list(ListHealthPrograms::new().status(ProgramStatus::Active)).await.unwrap();
    assert_eq!(active.programs.len(), 4);
    assert!(active.programs.iter().all(|p| p.status == Some(ProgramStatus::Active)));
    let program = client.programs().get("prg_003").await.unwrap();
    assert_eq!(
        (program.name.as_deref(), program.program_type.as_deref()),
        (Some("Heart Health Check"), Some("cardiology"))
    );
    assert!(program.slots.as_ref().is_some_and(Value::is_array));

    let appointment = client.appointments().create(booking("10:00")).await.unwrap();
    let id = appointment.id.clone().unwrap();
    assert_eq!(appointment.status, Some(AppointmentStatus::Scheduled));
    assert_eq!(appointment.participant.as_ref().and_then(|p| p.medical_id.as_deref()), Some("MED-1001"));
    assert_eq!(appointment.slot.as_ref().and_then(|s| s.time.as_deref()), Some("10:00"));
    assert_eq!(appointment.extra["createdAt"].as_str().map(str::len), Some(20));
    assert_eq!(sandbox.appointment(&id).unwrap()["participant"]["email"], "asha@example.com");

    let update = UpdateAppointmentStatus::new(&id, AppointmentStatus::Completed).notes("Follow up in 2 weeks");
    let done = client.appointments().update_status(update).await.unwrap().unwrap();
    assert_eq!(
        (done.status, done.notes.as_deref()),
        (Some(AppointmentStatus::Completed), Some("Follow up in 2 weeks"))
    );
    assert_eq!(sandbox.appointment(&id).unwrap()["status"], "completed");
    let again = client.appointments().update_status(UpdateAppointmentStatus::new(&id, AppointmentStatus::Scheduled));
    let typed = MyMedicError::from_error(&again.await.unwrap_err()).unwrap();
    assert_eq!((typed.status, typed.code), (409, Some(ErrorCode::InvalidStatusTransition)));

    let missing = client.programs().get("prg_404").await.unwrap_err();
    assert_eq!(MyMedicError::from_error(&missing).unwrap().code, Some(ErrorCode::NotFound));
    assert_eq!(sandbox.tokens_issued(), 1, "one token for every call");
    let token_request = &sandbox.server().requests()[0];
    assert_eq!(token_request.form_pairs()[1], ("scope".to_owned(), "programs.read appointments.write".to_owned()));
}

#[tokio::test]
async fn a_401_fetches_a_new_token_once_and_retries() {
    let sandbox = Sandbox::start();
    let client = oauth(&sandbox).build().unwrap();
    client.programs().get("prg_001").await.unwrap();
    sandbox.expire_tokens();
    let program = client.programs().get("prg_002").await.unwrap();
    assert_eq!(program.id.as_deref(), Some("prg_002"));
    assert_eq!(sandbox.tokens_issued(), 2);
    // token, GET, GET (401), token, GET.
    assert_eq!(token_marks(&sandbox), "TAATA");
    // A booking is refreshed the same way, with its key unchanged.
    sandbox.expire_tokens();
    let op = booking("11:00");
    client.appointments().create(op.clone()).await.unwrap();
    let keys: Vec<String> = sandbox
        .server()
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v1/appointments")
        .map(|r| r.header("idempotency-key").unwrap().to_owned())
        .collect();
    assert_eq!(keys, [op.idempotency_key_ref(), op.idempotency_key_ref()]);
    assert_eq!(sandbox.appointment_count(), 1);
}

#[tokio::test]
async fn short_lived_tokens_are_refreshed_before_they_expire_and_fetched_once_for_concurrent_calls() {
    let sandbox = Sandbox::builder().token_ttl(Duration::from_secs(2)).start();
    let client = oauth(&sandbox).build().unwrap();
    let calls: Vec<_> = (0..20).map(|_| tokio::spawn(client.programs().get("prg_001").into_future())).collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(sandbox.tokens_issued(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await; // past half the lifetime
    client.programs().get("prg_001").await.unwrap();
    assert_eq!(sandbox.tokens_issued(), 2);
    assert_eq!(token_marks(&sandbox).matches('T').count(), 2, "refreshed early: no 401 on the way");
}

#[tokio::test]
async fn static_tokens_custom_sources_and_the_environment() {
    let sandbox = Sandbox::start();
    let static_client =
        Client::builder().base_url(sandbox.base_url()).access_token(Sandbox::ACCESS_TOKEN).build().unwrap();
    assert_eq!(static_client.programs().get("prg_001").await.unwrap().id.as_deref(), Some("prg_001"));

    let fetches = Arc::new(AtomicU32::new(0));
    let custom =
        Client::builder().base_url(sandbox.base_url()).token_source(Counting(fetches.clone())).build().unwrap();
    for _ in 0..3 {
        custom.programs().get("prg_001").await.unwrap();
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1);

    let (base, token_url) = (sandbox.base_url(), sandbox.token_url());
    let vars = |name: &str| match name {
        "MYMEDIC_BASE_URL" => Some(format!("{base}/api/v1/")),
        "MYMEDIC_CLIENT_ID" => Some(Sandbox::CLIENT_ID.to_owned()),
        "MYMEDIC_CLIENT_SECRET" => Some(Sandbox::CLIENT_SECRET.to_owned()),
        "MYMEDIC_TOKEN_URL" => Some(token_url.clone()),
        "MYMEDIC_SCOPES" => Some("programs.read".to_owned()),
        _ => None,
    };
    let from_env = ClientBuilder::from_vars(vars).unwrap().retry(fast_retry()).build().unwrap();
    assert_eq!(from_env.programs().list(ListHealthPrograms::new()).await.unwrap().programs.len(), 7);
    let wrong = Client::builder()
        .base_url(sandbox.base_url())
        .client_credentials(Sandbox::CLIENT_ID, "not-the-secret")
        .token_url(sandbox.token_url())
        .build()
        .unwrap();
    let err = wrong.programs().get("prg_001").await.unwrap_err();
    assert!(matches!(err, Error::Auth(ref a) if a.status() == Some(401)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("not-the-secret"));
}

#[tokio::test]
async fn a_missing_scope_says_which_scope_the_operation_needs() {
    let sandbox = Sandbox::start();
    let read_only = oauth(&sandbox).scopes(["programs.read"]).build().unwrap();
    read_only.programs().get("prg_001").await.unwrap();
    let err = read_only.appointments().create(booking("10:00")).await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    let typed = MyMedicError::from_error(&err).unwrap();
    let scope = typed.scope_error().unwrap();
    assert_eq!(
        (scope.operation, scope.required, scope.scope()),
        (Some("appointments.create"), Some("appointments.write"), Some("appointments.write"))
    );
    assert!(typed.to_string().contains("needs the OAuth2 scope `appointments.write`"), "{typed}");
    assert_eq!(sandbox.appointment_count(), 0);

    // Records need a scope the guide does not name; the sandbox names it in its answer.
    let default = oauth(&sandbox).build().unwrap();
    let err = default.request::<Value>(Request::get(MEDICAL_RECORDS_PATH)).await.unwrap_err();
    let scope = MyMedicError::from_error(&err).unwrap().scope_error().unwrap();
    assert_eq!((scope.operation, scope.required, scope.scope()), (None, None, Some("records.read")));
}

#[tokio::test]
async fn medical_records_through_the_escape_hatch() {
    let sandbox = Sandbox::start();
    sandbox.add_medical_record("MED-1001", json!({"type": "vitals", "bp": "120/80"}));
    sandbox.add_medical_record("MED-2002", json!({"type": "allergy", "substance": "penicillin"}));
    let client = oauth(&sandbox).scopes(["programs.read", "appointments.write", "records.read"]).build().unwrap();
    // Retried like any read, with the client's token.
    sandbox.server().inject(Fault::status(503).on("GET", MEDICAL_RECORDS_PATH));
    let request = Request::get(MEDICAL_RECORDS_PATH).operation("records.list").query("medicalId", "MED-1001");
    let answer = client.request_with_meta::<Value>(request).await.unwrap();
    assert_eq!((answer.meta.status, answer.meta.attempts), (200, 2));
    assert_eq!(answer.data["data"][0]["record"]["bp"], "120/80");
    assert_eq!(answer.data["total"], 1);
    let sent: Vec<_> = sandbox.server().requests().into_iter().filter(|r| r.path == MEDICAL_RECORDS_PATH).collect();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|r| r.bearer_token().is_some_and(|t| t.starts_with("mmtok-"))));

    // A 2xx that is not JSON is refused; errors never show the query's patient id.
    sandbox.server().inject(Fault::html(200).on("GET", MEDICAL_RECORDS_PATH));
    let err =
        client.request::<Value>(Request::get(MEDICAL_RECORDS_PATH).query("medicalId", "MED-1001")).await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("MED-1001"));
}

#[tokio::test]
async fn a_taken_slot_is_slot_unavailable_and_a_cancelled_one_is_free() {
    let sandbox = Sandbox::start();
    let client = oauth(&sandbox).build().unwrap();
    let first = client.appointments().create(booking("10:00")).await.unwrap();
    let err = client.appointments().create(booking("10:00")).await.unwrap_err();
    let typed = MyMedicError::from_error(&err).unwrap();
    let taken = typed.slot_unavailable().unwrap();
    assert_eq!(
        (taken.slot.as_deref(), taken.reason.as_deref()),
        (Some("2025-04-08T10:00:00Z"), Some("Already booked"))
    );
    assert_eq!(sandbox.appointment_count(), 1);
    let cancel = UpdateAppointmentStatus::new(first.id.unwrap(), AppointmentStatus::Cancelled).notes("unwell");
    client.appointments().update_status(cancel).await.unwrap();
    client.appointments().create(booking("10:00")).await.unwrap();
    assert_eq!(sandbox.appointment_count(), 2);
    let events: Vec<String> = sandbox.events().iter().map(|e| e["event"].as_str().unwrap().to_owned()).collect();
    assert_eq!(events, ["appointment.created", "appointment.cancelled", "appointment.created"]);
}
