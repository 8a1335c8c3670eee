//! A stateful, in-process Medtimes API on 127.0.0.1.
//!
//! [`Sandbox`] speaks the documented HTTP API (it does not depend on the Medtimes client crate):
//!
//! | Route | Behaviour |
//! |---|---|
//! | `POST /v1/consults/create` | requires `patient_id`; checks `billing_mode`; creates a `cns_N` consult waiting for a doctor |
//! | `POST /v1/claims/submit` | requires `icd10_codes` (non-empty) and `amount` (integer > 0); creates a `clm_N` claim |
//! | `POST /v1/events/batch` | requires `event_name` and `patients` (non-empty); counts validated/suspended members |
//! | `GET /v1/prescriptions/{id}` | serves prescriptions of completed consults ([`Sandbox::complete_consult`]) |
//!
//! Every route checks `Authorization: Bearer` against the sandbox key ([`API_KEY`] by default) and answers
//! `401` in the Medtimes error format otherwise. Bodies may be form-encoded with Stripe-style brackets
//! (`symptoms[0]=fever&scheme_details[name]=...`, what the doc says) or JSON (`content-type:
//! application/json`). Errors use the Medtimes body `{"error": {"type", "code", "message"}}`.
//!
//! A POST with an `Idempotency-Key` is answered once: the same key with the same body returns the stored
//! answer (with `idempotent-replayed: true`) and creates nothing; the same key with another body is a `400`
//! `idempotency_error`.
//!
//! Screening rule: a patient whose `scheme_number` is missing, empty or starts with `SUSP` (any case) counts as
//! `scheme_suspended`; every other patient is `validated`.
//!
//! Fault injection works as on any [`TestServer`]: `sandbox.server().inject(Fault::status(503).times(2))`.
//!
//! ```
//! use carewire_testkit::medtimes::{self, Sandbox};
//!
//! let sandbox = Sandbox::start();
//! assert!(sandbox.base_url().ends_with("/v1"));
//! assert_eq!(Sandbox::API_KEY, medtimes::API_KEY);
//! assert_eq!(sandbox.claim_count(), 0);
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::{Params, RecordedRequest, Reply, Router, TestServer};

/// The API key the sandbox accepts by default.
pub const API_KEY: &str = "sk_test_medtimes_sandbox";

/// The webhook endpoint secret the sandbox signs with by default.
pub const WEBHOOK_SECRET: &str = "whsec_medtimes_sandbox";

/// The header the sandbox's webhooks carry their signature in.
pub const SIGNATURE_HEADER: &str = "Medtimes-Signature";

#[derive(Default)]
struct State {
    api_key: String,
    next_id: u64,
    consults: BTreeMap<String, Value>,
    /// consult id → prescription id.
    consult_prescriptions: BTreeMap<String, String>,
    prescriptions: BTreeMap<String, Value>,
    claims: Vec<Value>,
    screenings: Vec<Value>,
    /// idempotency key → (fingerprint, status, body).
    idempotency: HashMap<String, (String, u16, Value)>,
}

impl State {
    fn next(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}_{:06}", self.next_id)
    }
}

type Shared = Arc<Mutex<State>>;

fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Configures a [`Sandbox`].
#[derive(Clone)]
pub struct SandboxBuilder {
    api_key: String,
    webhook_secret: String,
}

impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxBuilder").finish_non_exhaustive()
    }
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self { api_key: API_KEY.to_owned(), webhook_secret: WEBHOOK_SECRET.to_owned() }
    }
}

impl SandboxBuilder {
    /// The API key to accept (default [`API_KEY`]).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// The endpoint secret webhooks are signed with (default [`WEBHOOK_SECRET`]).
    pub fn webhook_secret(mut self, secret: impl Into<String>) -> Self {
        self.webhook_secret = secret.into();
        self
    }

    /// Starts the sandbox.
    ///
    /// # Panics
    ///
    /// If the server cannot start (see [`TestServer::start`]).
    pub fn start(self) -> Sandbox {
        let state: Shared = Arc::new(Mutex::new(State { api_key: self.api_key, ..State::default() }));
        let server = TestServer::start(router(&state));
        Sandbox { server, state, webhook_secret: self.webhook_secret }
    }
}

/// An in-process Medtimes API. See the [module docs](self).
pub struct Sandbox {
    server: TestServer,
    state: Shared,
    webhook_secret: String,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox").field("server", &self.server).finish_non_exhaustive()
    }
}

impl Sandbox {
    /// The API key the sandbox accepts by default ([`API_KEY`]).
    pub const API_KEY: &'static str = API_KEY;
    /// The webhook secret the sandbox signs with by default ([`WEBHOOK_SECRET`]).
    pub const WEBHOOK_SECRET: &'static str = WEBHOOK_SECRET;

    /// Starts a sandbox with the default key and webhook secret.
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

    /// `http://127.0.0.1:PORT/v1`, shaped like the doc's base URL (a client must not double the `/v1`).
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.server.uri())
    }

    /// The underlying server: fault injection, request log, counters.
    pub fn server(&self) -> &TestServer {
        &self.server
    }

    /// The webhook secret this sandbox signs with.
    pub fn webhook_secret(&self) -> &str {
        &self.webhook_secret
    }

    /// Every claim created, in order (an idempotent replay creates none).
    pub fn claims(&self) -> Vec<Value> {
        lock(&self.state).claims.clone()
    }

    /// How many claims were created.
    pub fn claim_count(&self) -> usize {
        lock(&self.state).claims.len()
    }

    /// A consult by id.
    pub fn consult(&self, id: &str) -> Option<Value> {
        lock(&self.state).consults.get(id).cloned()
    }

    /// How many consults were created.
    pub fn consult_count(&self) -> usize {
        lock(&self.state).consults.len()
    }

    /// A prescription by id.
    pub fn prescription(&self, id: &str) -> Option<Value> {
        lock(&self.state).prescriptions.get(id).cloned()
    }

    /// Every screening batch processed, in order.
    pub fn screenings(&self) -> Vec<Value> {
        lock(&self.state).screenings.clone()
    }

    /// Has the doctor end consult `consult_id`: its status becomes `completed` and a `dispatched` prescription
    /// is issued. Returns the prescription id (the same one when called again), or `None` for an unknown
    /// consult.
    pub fn complete_consult(&self, consult_id: &str) -> Option<String> {
        let mut state = lock(&self.state);
        if let Some(existing) = state.consult_prescriptions.get(consult_id) {
            return Some(existing.clone());
        }
        let consult = state.consults.get_mut(consult_id)?;
        consult["status"] = json!("completed");
        let prescription_id = state.next("scr");
        let token_digits = state.next_id;
        let prescription = json!({
            "id": prescription_id,
            "consult_id": consult_id,
            "doctor": "Dr Sandbox (MP 000000)",
            "medication": [{ "name": "Amoxicillin 500mg", "dosage": "1 cap TDS for 5 days" }],
            "status": "dispatched",
            "pharmacy": "Sandbox Pharmacy",
            "collection_token": format!("MED-{token_digits:04}"),
        });
        state.prescriptions.insert(prescription_id.clone(), prescription);
        state.consult_prescriptions.insert(consult_id.to_owned(), prescription_id.clone());
        Some(prescription_id)
    }

    /// The `consult.completed` webhook payload of a completed consult (`None` if it is unknown or not
    /// completed): `{"id", "type": "consult.completed", "created", "data": {"consult_id", "prescription_id"}}`.
    pub fn consult_completed_event(&self, consult_id: &str) -> Option<Value> {
        let mut state = lock(&self.state);
        let prescription_id = state.consult_prescriptions.get(consult_id)?.clone();
        Some(event(
            &mut state,
            "consult.completed",
            &json!({ "consult_id": consult_id, "prescription_id": prescription_id }),
        ))
    }

    /// Marks claim `claim_id` paid and returns the `claim.paid` webhook payload (`None` for an unknown claim).
    pub fn pay_claim(&self, claim_id: &str) -> Option<Value> {
        let mut state = lock(&self.state);
        let claim = state.claims.iter_mut().find(|c| c["id"] == claim_id)?;
        claim["status"] = json!("paid");
        let data = json!({ "claim_id": claim_id, "amount": claim["amount"], "currency": claim["currency"] });
        Some(event(&mut state, "claim.paid", &data))
    }

    /// Marks claim `claim_id` rejected and returns the `claim.rejected` webhook payload with the reason code
    /// and text (`None` for an unknown claim).
    pub fn reject_claim(&self, claim_id: &str, reason_code: &str, reason: &str) -> Option<Value> {
        let mut state = lock(&self.state);
        let claim = state.claims.iter_mut().find(|c| c["id"] == claim_id)?;
        claim["status"] = json!("rejected");
        let data = json!({ "claim_id": claim_id, "reason_code": reason_code, "reason": reason });
        Some(event(&mut state, "claim.rejected", &data))
    }

    /// Marks prescription `prescription_id` dispensed and returns the `prescription.dispensed` webhook
    /// payload (`None` for an unknown prescription).
    pub fn dispense_prescription(&self, prescription_id: &str) -> Option<Value> {
        let mut state = lock(&self.state);
        let prescription = state.prescriptions.get_mut(prescription_id)?;
        prescription["status"] = json!("dispensed");
        let data = json!({
            "prescription_id": prescription_id,
            "consult_id": prescription["consult_id"],
            "pharmacy": prescription["pharmacy"],
        });
        Some(event(&mut state, "prescription.dispensed", &data))
    }

    /// The `Medtimes-Signature` of `body`: lowercase hex HMAC-SHA256 under the sandbox's webhook secret.
    pub fn sign(&self, body: &[u8]) -> String {
        carewire_core::webhook::sign_for_tests(&self.webhook_secret, body)
    }

    /// POSTs `event` as JSON to `url` (plain `http://`, e.g. a local test server) with a correct
    /// `Medtimes-Signature`, over a blocking HTTP/1.1 connection; returns the response status.
    ///
    /// Blocking: from async code whose receiver runs on the same runtime, use
    /// [`Sandbox::send_webhook_async`].
    pub fn send_webhook(&self, url: &str, event: &Value) -> io::Result<u16> {
        let body = serde_json::to_vec(event).map_err(io::Error::other)?;
        post_signed(url, &body, &self.sign(&body))
    }

    /// [`Sandbox::send_webhook`] on tokio's blocking pool.
    pub async fn send_webhook_async(&self, url: &str, event: &Value) -> io::Result<u16> {
        let body = serde_json::to_vec(event).map_err(io::Error::other)?;
        let signature = self.sign(&body);
        let url = url.to_owned();
        tokio::task::spawn_blocking(move || post_signed(&url, &body, &signature)).await.map_err(io::Error::other)?
    }
}

/// Delivers a signed Medtimes webhook.
fn post_signed(url: &str, body: &[u8], signature: &str) -> io::Result<u16> {
    crate::deliver::post_json(url, "Medtimes-Sandbox", &[(SIGNATURE_HEADER, signature)], body)
}

fn now_unix() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn event(state: &mut State, event_type: &str, data: &Value) -> Value {
    let id = state.next("whevt");
    json!({ "id": id, "type": event_type, "created": now_unix(), "data": data })
}

// ----------------------------------------------------------------------------------------------------------
// HTTP side

fn error(status: u16, error_type: &str, code: &str, message: &str) -> Reply {
    Reply::json(status, &json!({ "error": { "type": error_type, "code": code, "message": message } }))
}

fn missing(field: &str) -> Reply {
    error(400, "invalid_request_error", "parameter_missing", &format!("The '{field}' field is required."))
}

fn invalid(field: &str, why: &str) -> Reply {
    error(400, "invalid_request_error", "parameter_invalid", &format!("The '{field}' field {why}."))
}

fn authorized(state: &Shared, req: &RecordedRequest) -> Result<(), Reply> {
    let expected = lock(state).api_key.clone();
    match req.bearer_token() {
        Some(token) if token == expected => Ok(()),
        _ => Err(error(401, "authentication_error", "invalid_api_key", "No valid API key provided.")),
    }
}

/// The request body as JSON: parsed as JSON for `application/json`, else as a bracket form.
fn body_value(req: &RecordedRequest) -> Result<Value, Reply> {
    let is_json = req.header("content-type").is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/json"));
    if is_json {
        return req
            .json_value()
            .filter(Value::is_object)
            .ok_or_else(|| error(400, "invalid_request_error", "parameter_invalid", "The JSON body is invalid."));
    }
    parse_bracket_form(&req.body)
        .filter(Value::is_object)
        .ok_or_else(|| error(400, "invalid_request_error", "parameter_invalid", "The form body is invalid."))
}

/// Parses a bracket form (`a[b][0]=x`, `tags[]=a`) into nested JSON with `serde_qs`; values stay strings.
/// Keys nest at most [`MAX_KEY_DEPTH`] deep (deeper brackets stay part of the key), so a hostile key
/// cannot exhaust the stack.
fn parse_bracket_form(body: &[u8]) -> Option<Value> {
    serde_qs::Config::new().max_depth(MAX_KEY_DEPTH).use_form_encoding(true).deserialize_bytes(body).ok()
}

/// How deep a bracket key may nest.
const MAX_KEY_DEPTH: usize = 32;

fn text(body: &Value, field: &str) -> Option<String> {
    match body.get(field)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(body: &Value, field: &str) -> Option<Vec<String>> {
    match body.get(field)? {
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

fn integer(body: &Value, field: &str) -> Option<Result<i64, ()>> {
    match body.get(field)? {
        Value::Number(n) => Some(n.as_i64().ok_or(())),
        Value::String(s) => Some(s.trim().parse().map_err(|_| ())),
        _ => Some(Err(())),
    }
}

/// Runs `handle` once per idempotency key: a replay with the same body returns the stored answer.
fn idempotent(state: &Shared, req: &RecordedRequest, handle: impl FnOnce(&mut State, &Value) -> (u16, Value)) -> Reply {
    if let Err(reply) = authorized(state, req) {
        return reply;
    }
    let body = match body_value(req) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let key = req.header("idempotency-key").map(str::to_owned);
    let fingerprint = format!("{} {} {}", req.method, req.path, String::from_utf8_lossy(&req.body));
    let mut state = lock(state);
    if let Some(key) = &key
        && let Some((stored_fingerprint, status, stored)) = state.idempotency.get(key)
    {
        if *stored_fingerprint != fingerprint {
            return error(
                400,
                "idempotency_error",
                "idempotency_key_in_use",
                "Keys for idempotent requests can only be used with the same parameters they were first used with.",
            );
        }
        return Reply::json(*status, stored).header("idempotent-replayed", "true");
    }
    let (status, answer) = handle(&mut state, &body);
    if let Some(key) = key {
        state.idempotency.insert(key, (fingerprint, status, answer.clone()));
    }
    Reply::json(status, &answer)
}

fn error_value(reply: &Reply) -> (u16, Value) {
    (reply.status_code(), serde_json::from_slice(reply.body_bytes()).unwrap_or(Value::Null))
}

fn create_consult(state: &mut State, body: &Value) -> (u16, Value) {
    let Some(patient_id) = text(body, "patient_id") else {
        return error_value(&missing("patient_id"));
    };
    let billing_mode = text(body, "billing_mode").unwrap_or_else(|| "cash".to_owned());
    if !matches!(billing_mode.as_str(), "medical_aid" | "cash" | "partner_covered") {
        return error_value(&invalid("billing_mode", "must be one of medical_aid, cash, partner_covered"));
    }
    if body.get("symptoms").is_some() && strings(body, "symptoms").is_none() {
        return error_value(&invalid("symptoms", "must be an array of strings"));
    }
    let id = state.next("cns");
    let consult = json!({
        "id": id,
        "object": "consult",
        "status": "waiting_for_doctor",
        "join_url": format!("https://meet.medtimes.health/{id}"),
        "expires_at": now_unix() + 3600,
    });
    let mut stored = consult.clone();
    stored["patient_id"] = json!(patient_id);
    stored["billing_mode"] = json!(billing_mode);
    stored["symptoms"] = json!(strings(body, "symptoms").unwrap_or_default());
    stored["scheme_details"] = body.get("scheme_details").cloned().unwrap_or(Value::Null);
    state.consults.insert(id, stored);
    (200, consult)
}

fn submit_claim(state: &mut State, body: &Value) -> (u16, Value) {
    let codes = match strings(body, "icd10_codes") {
        Some(codes) if !codes.is_empty() => codes,
        _ => return error_value(&missing("icd10_codes")),
    };
    let amount = match integer(body, "amount") {
        None => return error_value(&missing("amount")),
        Some(Ok(amount)) if amount > 0 => amount,
        Some(_) => return error_value(&invalid("amount", "must be a positive integer (cents)")),
    };
    let id = state.next("clm");
    let claim = json!({
        "id": id,
        "object": "claim",
        "status": "submitted",
        "amount": amount,
        "currency": text(body, "currency").unwrap_or_else(|| "zar".to_owned()),
        "patient_id": text(body, "patient_id"),
        "icd10_codes": codes,
        "tariff_codes": strings(body, "tariff_codes").unwrap_or_default(),
        "created": now_unix(),
    });
    state.claims.push(claim.clone());
    (200, claim)
}

fn batch_screening(state: &mut State, body: &Value) -> (u16, Value) {
    if text(body, "event_name").is_none() {
        return error_value(&missing("event_name"));
    }
    let patients = match body.get("patients") {
        Some(Value::Array(patients)) if !patients.is_empty() => patients.clone(),
        _ => return error_value(&missing("patients")),
    };
    let suspended = patients
        .iter()
        .filter(|p| text(p, "scheme_number").is_none_or(|n| n.to_ascii_uppercase().starts_with("SUSP")))
        .count();
    let id = state.next("evt");
    let result = json!({
        "id": id,
        "status": "processed",
        "summary": {
            "total_received": patients.len(),
            "validated": patients.len() - suspended,
            "scheme_suspended": suspended,
        },
        "validation_report_url": format!("https://sandbox.medtimes.health/reports/{id}"),
    });
    state.screenings.push(result.clone());
    (200, result)
}

/// The routes, registered from the client's own operation table (method and path of each operation).
fn router(state: &Shared) -> Router {
    use carewire_core::operation::Operation;
    use carewire_medtimes::{BatchScreening, CreateConsult, GetPrescription, SubmitClaim};
    let (s1, s2, s3, s4, s5) = (state.clone(), state.clone(), state.clone(), state.clone(), state.clone());
    Router::new()
        .operation("", &CreateConsult::SPEC, move |req: &RecordedRequest, _: &Params| {
            idempotent(&s1, req, create_consult)
        })
        .operation("", &SubmitClaim::SPEC, move |req: &RecordedRequest, _: &Params| idempotent(&s2, req, submit_claim))
        .operation("", &BatchScreening::SPEC, move |req: &RecordedRequest, _: &Params| {
            idempotent(&s3, req, batch_screening)
        })
        .operation("", &GetPrescription::SPEC, move |req: &RecordedRequest, params: &Params| {
            if let Err(reply) = authorized(&s4, req) {
                return reply;
            }
            let id = params.get("id").unwrap_or_default();
            match lock(&s4).prescriptions.get(id) {
                Some(prescription) => Reply::json(200, prescription),
                None => error(404, "invalid_request_error", "resource_missing", "No such prescription."),
            }
        })
        .fallback(move |req: &RecordedRequest| {
            if let Err(reply) = authorized(&s5, req) {
                return reply;
            }
            error(404, "invalid_request_error", "resource_missing", "Unrecognized request URL.")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_client_is_routed() {
        let router = router(&Shared::default());
        assert_eq!(router.unrouted("", carewire_medtimes::OPERATIONS), Vec::<&str>::new());
    }

    #[test]
    fn bracket_forms_parse_into_json() {
        let body = "patient_id=usr_8921a&symptoms%5B0%5D=persistent+cough&symptoms%5B1%5D=fever\
                    &scheme_details%5Bname%5D=Discovery+Health&patients%5B0%5D%5Bid_number%5D=1\
                    &patients%5B1%5D%5Bid_number%5D=2&tags%5B%5D=a&tags%5B%5D=b";
        assert_eq!(
            parse_bracket_form(body.as_bytes()).unwrap(),
            json!({
                "patient_id": "usr_8921a",
                "symptoms": ["persistent cough", "fever"],
                "scheme_details": {"name": "Discovery Health"},
                "patients": [{"id_number": "1"}, {"id_number": "2"}],
                "tags": ["a", "b"],
            })
        );
        // A hostile key two hundred thousand brackets deep parses without exhausting the stack.
        let deep = format!("a{}=1", "[x]".repeat(200_000));
        assert!(parse_bracket_form(deep.as_bytes()).is_some_and(|v| v["a"]["x"].is_object()));
    }
}
