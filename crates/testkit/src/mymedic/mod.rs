//! A stateful, in-process MyMedic API on 127.0.0.1.
//!
//! [`Sandbox`] speaks the HTTP API of the MyMedic integration guide (it does not depend on the client
//! crate). The guide documents no token endpoint, no response and no scope for records, so what the sandbox
//! answers there is its own choice, described here:
//!
//! | Route | Behaviour |
//! |---|---|
//! | `POST /oauth/token` ([`TOKEN_PATH`]) | OAuth2 client credentials ([`CLIENT_ID`], [`CLIENT_SECRET`], HTTP Basic or form body); `scope` among `programs.read`, `appointments.write`, `records.read` (none asked: the first two); tokens expire after [`SandboxBuilder::token_ttl`] |
//! | `GET /api/v1/health-programs` | `limit` (default 20, at most 100), `offset`, filters `status` (`active`/`upcoming`), `type`, `practitioner` as `filters[status]=` or `status=`, or in a JSON body on the GET; answers `{"data": [...], "limit", "offset", "total"}` |
//! | `GET /api/v1/health-programs/{programId}` | the bare program object, or 404 |
//! | `POST /api/v1/appointments` | requires `programId` (an existing program), a `participant` with a name, email, phone or medicalId, and a `slot` with `date` and `time`; a slot already booked (same program, date, time and practitioner, not cancelled) is `409 SLOT_UNAVAILABLE` with `details {slot, reason}`; answers `201` with a `scheduled` appointment |
//! | `PUT /api/v1/appointments/{appointmentId}/status` | `status` (`scheduled`, `completed`, `cancelled`) and `notes`; a completed or cancelled appointment cannot change (`409 INVALID_STATUS_TRANSITION`) |
//! | `GET /api/v1/medical-records` | `{"data": [...], "total"}`, filtered by `medicalId`; records come from [`Sandbox::add_medical_record`] |
//!
//! Every API route checks the bearer token: [`ACCESS_TOKEN`] may do anything; an issued token must not have
//! expired (else `401 UNAUTHORIZED`) and must carry the route's scope: `programs.read` for programs,
//! `appointments.write` for bookings and status updates, `records.read` for records (else
//! `403 INSUFFICIENT_SCOPE` with `details.required_scope`). Errors use the guide's body
//! `{"error": {"code", "message", "details"}}`.
//!
//! A booking with an `Idempotency-Key` is answered once: the same key with the same body returns the stored
//! answer (with `idempotent-replayed: true`) and books nothing; the same key with another body is
//! `409 IDEMPOTENCY_KEY_REUSED`.
//!
//! Webhooks: bookings and status changes emit `appointment.created`, `.updated`, `.cancelled` and
//! `.completed`; [`Sandbox::issue_prescription`], [`Sandbox::update_prescription`],
//! [`Sandbox::schedule_followup`] and [`Sandbox::update_record`] emit the medical events. Each event is
//! `{"id", "event", "createdAt", "data"}` (the guide documents no envelope) and is kept in
//! [`Sandbox::events`]; [`Sandbox::send_webhook`] posts one to a URL, unsigned, as MyMedic documents no
//! signature.
//!
//! Fault injection works as on any [`TestServer`]: `sandbox.server().inject(Fault::status(503).times(2))`.
//!
//! ```
//! use carewire_testkit::mymedic::{self, Sandbox};
//!
//! let sandbox = Sandbox::start();
//! assert_eq!(sandbox.token_url(), format!("{}/oauth/token", sandbox.base_url()));
//! assert_eq!(Sandbox::CLIENT_ID, mymedic::CLIENT_ID);
//! assert_eq!(sandbox.programs().len(), 7);
//! assert_eq!(sandbox.appointment_count(), 0);
//! ```

mod routes;
mod state;
#[cfg(test)]
mod tests;

use std::fmt;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::TestServer;
use state::{Shared, State, lock, seed_programs};

/// The OAuth2 client id the sandbox accepts.
pub const CLIENT_ID: &str = "mymedic-sandbox-client";
/// The OAuth2 client secret the sandbox accepts.
pub const CLIENT_SECRET: &str = "mymedic-sandbox-secret";
/// A static access token the sandbox accepts for every route, with every scope, forever.
pub const ACCESS_TOKEN: &str = "mymedic-sandbox-static-token";
/// The token endpoint's path (the guide documents none).
pub const TOKEN_PATH: &str = "/oauth/token";
/// The scope of the program routes (documented).
pub const SCOPE_PROGRAMS_READ: &str = "programs.read";
/// The scope of bookings and status updates (documented).
pub const SCOPE_APPOINTMENTS_WRITE: &str = "appointments.write";
/// The scope of the medical-records route (the sandbox's choice: the guide names none).
pub const SCOPE_RECORDS_READ: &str = "records.read";
/// How long issued tokens live by default.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(3600);

/// Configures a [`Sandbox`].
#[derive(Clone, Debug)]
pub struct SandboxBuilder {
    token_ttl: Duration,
    programs: Vec<Value>,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self { token_ttl: DEFAULT_TOKEN_TTL, programs: seed_programs() }
    }
}

impl SandboxBuilder {
    /// How long issued tokens live (`expires_in`; default one hour).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// The programs to serve instead of the seven seed programs (each a JSON object with an `id`).
    pub fn programs(mut self, programs: Vec<Value>) -> Self {
        self.programs = programs;
        self
    }

    /// Starts the sandbox.
    ///
    /// # Panics
    ///
    /// If the server cannot start (see [`TestServer::start`]).
    pub fn start(self) -> Sandbox {
        let state: Shared = Arc::new(Mutex::new(State::new(self.token_ttl, self.programs)));
        let server = TestServer::start(routes::router(&state));
        Sandbox { server, state }
    }
}

/// An in-process MyMedic API. See the [module docs](self).
#[derive(Clone)]
pub struct Sandbox {
    server: TestServer,
    state: Shared,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox").field("server", &self.server).finish_non_exhaustive()
    }
}

impl Sandbox {
    /// The OAuth2 client id ([`CLIENT_ID`]).
    pub const CLIENT_ID: &'static str = CLIENT_ID;
    /// The OAuth2 client secret ([`CLIENT_SECRET`]).
    pub const CLIENT_SECRET: &'static str = CLIENT_SECRET;
    /// The static access token ([`ACCESS_TOKEN`]).
    pub const ACCESS_TOKEN: &'static str = ACCESS_TOKEN;

    /// Starts a sandbox with the seed programs and one-hour tokens.
    pub fn start() -> Self {
        Self::builder().start()
    }

    /// Configures a sandbox.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The base URL to give a client: the host, as the guide's UAT URL (the paths carry `/api/v1`).
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// The token endpoint, `http://127.0.0.1:PORT/oauth/token`.
    pub fn token_url(&self) -> String {
        self.server.url(TOKEN_PATH)
    }

    /// The underlying server: fault injection, request log, counters.
    pub fn server(&self) -> &TestServer {
        &self.server
    }

    /// Expires every token issued so far: the next call with one gets a 401.
    pub fn expire_tokens(&self) {
        lock(&self.state).tokens.clear();
    }

    /// How many tokens the token endpoint issued.
    pub fn tokens_issued(&self) -> u64 {
        lock(&self.state).tokens_issued
    }

    /// Every program, in order.
    pub fn programs(&self) -> Vec<Value> {
        lock(&self.state).programs.clone()
    }

    /// Adds a program (its `id` is set if absent) and returns its id.
    pub fn add_program(&self, mut program: Value) -> String {
        let mut state = lock(&self.state);
        let id = match program.get("id").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => state.next("prg"),
        };
        program["id"] = json!(id);
        state.programs.push(program);
        id
    }

    /// Every appointment booked, by id.
    pub fn appointments(&self) -> Vec<Value> {
        lock(&self.state).appointments.values().cloned().collect()
    }

    /// An appointment by id.
    pub fn appointment(&self, id: &str) -> Option<Value> {
        lock(&self.state).appointments.get(id).cloned()
    }

    /// How many appointments were booked (an idempotent replay books none).
    pub fn appointment_count(&self) -> usize {
        lock(&self.state).appointments.len()
    }

    /// Adds a medical record for the participant `medical_id` (served by `GET /api/v1/medical-records`) and
    /// returns its id.
    pub fn add_medical_record(&self, medical_id: &str, record: Value) -> String {
        let mut state = lock(&self.state);
        let id = state.next("rec");
        let mut row = json!({ "id": id, "medicalId": medical_id, "updatedAt": state::now_rfc3339() });
        row["record"] = record;
        state.records.push(row);
        id
    }

    /// Every webhook event emitted, in order.
    pub fn events(&self) -> Vec<Value> {
        lock(&self.state).events.clone()
    }

    /// Writes a prescription in appointment `appointment_id` and returns the `prescription.created` event
    /// (`None` for an unknown appointment).
    pub fn issue_prescription(&self, appointment_id: &str, medication: &str) -> Option<Value> {
        let mut state = lock(&self.state);
        state.appointments.get(appointment_id)?;
        let id = state.next("rx");
        let prescription = json!({
            "prescriptionId": id, "appointmentId": appointment_id, "medication": medication, "status": "issued"
        });
        state.prescriptions.insert(id, prescription.clone());
        Some(state.emit("prescription.created", prescription))
    }

    /// Sets a prescription's status and returns the `prescription.updated` event (`None` for an unknown
    /// prescription).
    pub fn update_prescription(&self, prescription_id: &str, status: &str) -> Option<Value> {
        let mut state = lock(&self.state);
        let prescription = state.prescriptions.get_mut(prescription_id)?;
        prescription["status"] = json!(status);
        let data = prescription.clone();
        Some(state.emit("prescription.updated", data))
    }

    /// Schedules a follow-up of appointment `appointment_id` on `date` and returns the `followup.scheduled`
    /// event (`None` for an unknown appointment).
    pub fn schedule_followup(&self, appointment_id: &str, date: &str) -> Option<Value> {
        let mut state = lock(&self.state);
        state.appointments.get(appointment_id)?;
        let id = state.next("fu");
        Some(
            state
                .emit("followup.scheduled", json!({ "followupId": id, "appointmentId": appointment_id, "date": date })),
        )
    }

    /// Marks record `record_id` updated and returns the `record.updated` event (`None` for an unknown record).
    pub fn update_record(&self, record_id: &str) -> Option<Value> {
        let mut state = lock(&self.state);
        let record = state.records.iter_mut().find(|r| r["id"] == record_id)?;
        record["updatedAt"] = json!(state::now_rfc3339());
        let medical_id = record["medicalId"].clone();
        Some(state.emit("record.updated", json!({ "recordId": record_id, "medicalId": medical_id })))
    }

    /// POSTs `event` as JSON to `url` (plain `http://`, e.g. a local test server), unsigned, over a blocking
    /// HTTP/1.1 connection; returns the response status.
    ///
    /// Blocking: from async code whose receiver runs on the same runtime, use
    /// [`Sandbox::send_webhook_async`].
    pub fn send_webhook(&self, url: &str, event: &Value) -> io::Result<u16> {
        post_json(url, &serde_json::to_vec(event).map_err(io::Error::other)?)
    }

    /// [`Sandbox::send_webhook`] on tokio's blocking pool.
    pub async fn send_webhook_async(&self, url: &str, event: &Value) -> io::Result<u16> {
        let body = serde_json::to_vec(event).map_err(io::Error::other)?;
        let url = url.to_owned();
        tokio::task::spawn_blocking(move || post_json(&url, &body)).await.map_err(io::Error::other)?
    }
}

/// Delivers an (unsigned) MyMedic webhook.
fn post_json(url: &str, body: &[u8]) -> io::Result<u16> {
    crate::deliver::post_json(url, "MyMedic-Sandbox", &[], body)
}
