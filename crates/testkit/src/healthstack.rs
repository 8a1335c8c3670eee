//! A stateful, in-process sandbox of the Healthstack API (patients, consent, records, Medicards).
//!
//! It speaks HTTP and JSON on 127.0.0.1 under `/v1`, checks the secret key, and answers with the
//! envelope variants of the vendor doc rather than one cleaned-up shape: `status: true` without
//! `success` on patient creation and card activation, `status: 200` elsewhere, a Medicard wrapped in a
//! one-element array on creation, a single patient wrapped in an array, no `data` on seek-consent, and
//! copy-pasted messages.
//!
//! - Two businesses: [`SECRET_KEY`] ([`BUSINESS_ID`]) and [`OTHER_SECRET_KEY`] ([`OTHER_BUSINESS_ID`]).
//!   A business needs a consent token (`x-consent-token`) to read, edit or add records to a patient
//!   another business created; without one it gets 403 "Missing consent ...".
//! - Creating a patient with a NIN already known returns the existing patient.
//! - Seek-consent "sends" the fixed [`TEST_OTP`] (or the one set with [`SandboxBuilder::otp`]);
//!   [`Sandbox::otp_sent_to`] reads it back. Grant-consent returns a token valid 24 hours of sandbox
//!   time; [`Sandbox::advance`] moves that time forward.
//! - Medicards: create (balance 0, inactive), activate with a 4-digit PIN, deactivate, reserve, assign
//!   a reserved card, fund (the balance grows and a transaction is recorded), list cards and
//!   transactions.
//! - Errors use the envelope with `success: false`: 401 (bad key), 403 (consent, business mismatch),
//!   404 (patient or card not found), 422 (validation).
//! - Faults: [`Sandbox::server`] gives the [`TestServer`] for [`crate::Fault`] injection and counters.
//!
//! ```
//! use carewire_testkit::healthstack::{Sandbox, SECRET_KEY};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let sandbox = Sandbox::start();
//! let res = reqwest::Client::new()
//!     .post(format!("{}/patients/create", sandbox.base_url()))
//!     .bearer_auth(SECRET_KEY)
//!     .header("content-type", "application/json")
//!     .body(
//!         serde_json::json!({
//!             "name": "Jane Doe", "gender": "female", "dob": "1990-01-01",
//!             "nin": "12345678901", "email": "jane@example.com"
//!         })
//!         .to_string(),
//!     )
//!     .send()
//!     .await
//!     .unwrap();
//! let body: serde_json::Value = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
//! assert_eq!(body["status"], true);
//! assert!(body["data"]["health_id"].as_str().unwrap().starts_with("HID-"));
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::{Params, RecordedRequest, Reply, Router, TestServer};

/// The secret key of the sandbox's main business, [`BUSINESS_ID`].
pub const SECRET_KEY: &str = "sk_test_healthstack_sandbox";
/// The main business.
pub const BUSINESS_ID: &str = "BUS-SANDBOX1";
/// The secret key of a second business, [`OTHER_BUSINESS_ID`], to create patients the main business
/// needs consent for.
pub const OTHER_SECRET_KEY: &str = "sk_test_healthstack_other";
/// The second business.
pub const OTHER_BUSINESS_ID: &str = "BUS-OTHERBIZ";
/// The OTP seek-consent "sends" unless [`SandboxBuilder::otp`] sets another.
pub const TEST_OTP: &str = "123456";
/// How long a consent token is valid, in sandbox time.
pub const CONSENT_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// How far [`Sandbox::advance`] can move the clock (about 10,000 years), so sandbox time never overflows.
const MAX_OFFSET: Duration = Duration::from_secs(10_000 * 365 * 24 * 60 * 60);

#[derive(Clone)]
struct PatientRow {
    id: String,
    health_id: String,
    full_name: String,
    gender: String,
    dob: String,
    nin: String,
    email: String,
    business_id: String,
    created_at: String,
    updated_at: String,
    metadata: Map<String, Value>,
}

struct TokenRow {
    health_id: String,
    business_id: String,
    issued_at: SystemTime,
}

struct RecordRow {
    record_id: String,
    record_type: String,
    data: Value,
    provider: Value,
    patient: String,
    business_id: String,
    created_at: String,
}

struct CardRow {
    id: String,
    health_id: Option<String>,
    card_number: String,
    card_name: Option<String>,
    balance: f64,
    business_id: String,
    created_at: String,
    updated_at: String,
    active: bool,
    card_type: String,
    expires_at: String,
    pin: Option<String>,
    assigned: bool,
}

struct TxRow {
    id: u64,
    created_at: String,
    card_number: String,
    amount: f64,
    health_id: Option<String>,
    reference: String,
    business_id: String,
}

struct State {
    otp: String,
    offset: Duration,
    patients: Vec<PatientRow>,
    pending_otps: HashMap<String, String>,
    sent_otps: HashMap<String, String>,
    tokens: HashMap<String, TokenRow>,
    records: Vec<RecordRow>,
    cards: Vec<CardRow>,
    transactions: Vec<TxRow>,
    next_tx: u64,
}

impl State {
    fn now(&self) -> SystemTime {
        let real = SystemTime::now();
        real.checked_add(self.offset).unwrap_or(real)
    }
    fn now_str(&self) -> String {
        timestamp(self.now())
    }
}

type Shared = Arc<Mutex<State>>;

fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Builds a [`Sandbox`].
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    otp: String,
}

impl SandboxBuilder {
    /// The OTP seek-consent "sends" (default [`TEST_OTP`]).
    pub fn otp(mut self, otp: impl Into<String>) -> Self {
        self.otp = otp.into();
        self
    }

    /// Starts the sandbox.
    pub fn start(self) -> Sandbox {
        let state = Arc::new(Mutex::new(State {
            otp: self.otp,
            offset: Duration::ZERO,
            patients: Vec::new(),
            pending_otps: HashMap::new(),
            sent_otps: HashMap::new(),
            tokens: HashMap::new(),
            records: Vec::new(),
            cards: Vec::new(),
            transactions: Vec::new(),
            next_tx: 1,
        }));
        let server = TestServer::start(router(&state));
        Sandbox { server, state }
    }
}

/// The Healthstack sandbox. See the [module docs](self).
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
    /// Starts a sandbox with the defaults.
    pub fn start() -> Self {
        Self::builder().start()
    }

    /// A builder.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder { otp: TEST_OTP.to_owned() }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The API base URL, `http://127.0.0.1:PORT/v1` (what a client's base URL should be).
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.server.uri())
    }

    /// The underlying server, for fault injection and request counters.
    pub fn server(&self) -> &TestServer {
        &self.server
    }

    /// The last OTP seek-consent "sent" for `health_id`, if any.
    pub fn otp_sent_to(&self, health_id: &str) -> Option<String> {
        lock(&self.state).sent_otps.get(health_id).cloned()
    }

    /// Moves the sandbox's clock forward (consent tokens expire 24 hours after they were issued).
    pub fn advance(&self, by: Duration) {
        let mut st = lock(&self.state);
        st.offset = st.offset.saturating_add(by).min(MAX_OFFSET);
    }

    /// A Medicard's balance, if the card exists.
    pub fn card_balance(&self, card_number: &str) -> Option<f64> {
        lock(&self.state).cards.iter().find(|c| c.card_number == card_number).map(|c| c.balance)
    }

    /// How many patients exist (all businesses).
    pub fn patient_count(&self) -> usize {
        lock(&self.state).patients.len()
    }

    /// How many records exist (all businesses).
    pub fn record_count(&self) -> usize {
        lock(&self.state).records.len()
    }

    /// Creates a patient owned by `business_id` directly (no HTTP) and returns its health id.
    pub fn seed_patient(&self, business_id: &str, full_name: &str, nin: &str) -> String {
        let mut st = lock(&self.state);
        let now = st.now_str();
        let row = PatientRow {
            id: uuid(),
            health_id: format!("HID-{}", alnum(8)),
            full_name: full_name.to_owned(),
            gender: "Female".to_owned(),
            dob: "1990-01-01".to_owned(),
            nin: nin.to_owned(),
            email: "patient@example.com".to_owned(),
            business_id: business_id.to_owned(),
            created_at: now.clone(),
            updated_at: now,
            metadata: Map::new(),
        };
        let hid = row.health_id.clone();
        st.patients.push(row);
        hid
    }
}

// ---------------------------------------------------------------------------------------------------
// helpers

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn alnum(n: usize) -> String {
    (0..n).map(|_| char::from(ALNUM[fastrand::usize(..ALNUM.len())])).collect()
}

fn uuid() -> String {
    let hex = |n: usize| (0..n).map(|_| char::from(b"0123456789abcdef"[fastrand::usize(..16)])).collect::<String>();
    format!("{}-{}-4{}-a{}-{}", hex(8), hex(4), hex(3), hex(3), hex(12))
}

/// `2025-07-22T11:58:58.058435+00:00`, the doc's most common format.
fn timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        d.subsec_micros()
    )
}

/// The first 19 characters (`YYYY-MM-DDTHH:MM:SS`) of an ISO time, for ordering (UTC assumed).
fn time_key(s: &str) -> String {
    let s = s.replace(' ', "T");
    s.chars().take(19).collect()
}

/// A whole amount as a JSON integer (`4000`, as in the doc), anything else as a float.
fn num(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 { json!(v as i64) } else { json!(v) }
}

fn ok(status_code: i64, message: &str, data: Option<Value>) -> Reply {
    let mut body = json!({ "success": true, "status": status_code, "message": message });
    if let Some(d) = data {
        body["data"] = d;
    }
    Reply::json(200, &body)
}

fn fail(http: u16, message: &str) -> Reply {
    Reply::json(http, &json!({ "success": false, "status": http, "message": message }))
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn business_of(req: &RecordedRequest) -> Option<&'static str> {
    match req.bearer_token()? {
        SECRET_KEY => Some(BUSINESS_ID),
        OTHER_SECRET_KEY => Some(OTHER_BUSINESS_ID),
        _ => None,
    }
}

type Op = fn(&mut State, &'static str, &RecordedRequest, &Params) -> Reply;

fn route(router: Router, state: &Shared, method: &str, path: &str, op: Op) -> Router {
    let st = Arc::clone(state);
    router.route(method, path, move |req: &RecordedRequest, params: &Params| {
        let Some(business) = business_of(req) else {
            return fail(401, "Unauthorized: invalid or expired access token");
        };
        op(&mut lock(&st), business, req, params)
    })
}

fn body(req: &RecordedRequest) -> Result<Map<String, Value>, Reply> {
    match req.json_value() {
        Some(Value::Object(m)) => Ok(m),
        _ => Err(fail(422, "Validation error: the body must be a JSON object")),
    }
}

/// Finds the patient and checks the caller may act on it (own patient, or a valid consent token).
fn access(st: &State, business: &str, req: &RecordedRequest, health_id: &str) -> Result<usize, Reply> {
    let Some(idx) = st.patients.iter().position(|p| p.health_id == health_id) else {
        return Err(fail(404, "Patient not found"));
    };
    if st.patients[idx].business_id == business {
        return Ok(idx);
    }
    let Some(token) = req.header("x-consent-token") else {
        return Err(fail(403, "Missing consent: obtain a consent token for this patient"));
    };
    match st.tokens.get(token) {
        Some(t) if t.health_id == health_id && t.business_id == business => {
            if t.issued_at.checked_add(CONSENT_TTL).is_none_or(|expires| st.now() < expires) {
                Ok(idx)
            } else {
                Err(fail(403, "Consent token expired: seek consent again"))
            }
        }
        _ => Err(fail(403, "Missing consent: the consent token is not valid for this patient")),
    }
}

fn patient_json(p: &PatientRow, single: bool) -> Value {
    let mut v = json!({
        "id": p.id, "full_name": p.full_name, "gender": p.gender, "dob": p.dob, "health_id": p.health_id,
        "created_at": p.created_at, "email": p.email, "business_id": p.business_id, "updated_at": p.updated_at,
        "metadata": p.metadata,
    });
    if single {
        v["vital"] = Value::Null;
    }
    v
}

fn card_json(c: &CardRow) -> Value {
    if c.assigned {
        json!({
            "id": c.id, "health_id": c.health_id, "card_number": c.card_number, "card_name": c.card_name,
            "balance": num(c.balance), "business_id": c.business_id, "created_at": c.created_at,
            "updated_at": c.updated_at, "active": c.active, "card_type": c.card_type, "expires_at": c.expires_at,
            "card_pin": Value::Null, "failedAttempt": 5, "metadata": { "goal": [], "limit": 100_000 },
            "status": "assigned",
        })
    } else {
        json!({
            "id": c.id, "card_number": c.card_number, "business_id": c.business_id, "created_at": c.created_at,
            "active": c.active, "card_type": c.card_type, "expires_at": c.expires_at,
            "metadata": { "goal": [], "limit": 100_000 }, "status": "not_assigned",
        })
    }
}

fn tx_json(t: &TxRow) -> Value {
    json!({
        "id": t.id, "created_at": t.created_at, "card_number": t.card_number, "amount": num(t.amount),
        "health_id": t.health_id, "metadata": { "receiver": t.business_id }, "transaction_ref": t.reference,
        "type": "Funding", "status": "successful", "business_id": t.business_id,
    })
}

/// `MM/YY` two years ahead.
fn expiry(st: &State) -> String {
    let now = timestamp(st.now());
    let year: u32 = now[2..4].parse().unwrap_or(25);
    format!("{}/{:02}", &now[5..7], (year + 2) % 100)
}

// ---------------------------------------------------------------------------------------------------
// routes

fn router(state: &Shared) -> Router {
    let mut r = Router::new();
    let table: [(&str, &str, Op); 19] = [
        ("POST", "/v1/patients/create", create_patient),
        ("POST", "/v1/patients/seek-consent", seek_consent),
        ("POST", "/v1/patients/consent", grant_consent),
        ("GET", "/v1/patients/multiple", list_patients),
        ("GET", "/v1/patient/single/{health_id}", get_patient),
        ("PATCH", "/v1/edit/{health_id}", edit_patient),
        ("POST", "/v1/records", create_record),
        ("GET", "/v1/records/multiple/{health_id}", list_records),
        ("POST", "/v1/medicard/create", create_card),
        ("PATCH", "/v1/medicard/activate", activate_card),
        ("PATCH", "/v1/medicard/deactivate", deactivate_card),
        ("POST", "/v1/medicard/reserve", reserve_cards),
        ("POST", "/v1/medicard/assign", assign_card),
        ("GET", "/v1/medicard/single/{card_number}", get_card),
        ("GET", "/v1/medicard/patients", list_cards),
        ("GET", "/v1/medicard/reserved/{business_id}", list_reserved),
        ("GET", "/v1/medicard/transactions/{card_number}", card_transactions),
        ("GET", "/v1/medicard/business-transaction/{business_id}", business_transactions),
        ("POST", "/v1/medicard/fund/{card_number}", fund_card),
    ];
    for (method, path, op) in table {
        r = route(r, state, method, path, op);
    }
    r
}

macro_rules! try_reply {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(reply) => return reply,
        }
    };
}

fn create_patient(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let name = text(b.get("name"));
    let gender = text(b.get("gender")).map(|g| g.to_ascii_lowercase());
    let dob = text(b.get("dob"));
    let nin = text(b.get("nin"));
    let email = text(b.get("email"));
    let (Some(name), Some(gender), Some(dob), Some(nin), Some(email)) = (name, gender, dob, nin, email) else {
        return fail(422, "Validation error: name, gender, dob, nin and email are required");
    };
    if !matches!(gender.as_str(), "male" | "female" | "other") {
        return fail(422, "Validation error: gender must be male, female or other");
    }
    if !digits(&nin, 11) {
        return fail(422, "Validation error: nin must be 11 digits");
    }
    if !(dob.len() == 10 && dob.as_bytes()[4] == b'-' && dob.as_bytes()[7] == b'-') {
        return fail(422, "Validation error: dob must be YYYY-MM-DD");
    }
    if !email.contains('@') {
        return fail(422, "Validation error: email is invalid");
    }
    let row = if let Some(existing) = st.patients.iter().find(|p| p.nin == nin) {
        existing.clone()
    } else {
        let now = st.now_str();
        let mut cap = gender.clone();
        cap[..1].make_ascii_uppercase();
        let row = PatientRow {
            id: uuid(),
            health_id: format!("HID-{}", alnum(8)),
            full_name: name,
            gender: cap,
            dob,
            nin,
            email,
            business_id: business.to_owned(),
            created_at: now.clone(),
            updated_at: now,
            metadata: Map::new(),
        };
        st.patients.push(row.clone());
        row
    };
    // Variant A: no `success`, boolean `status`.
    Reply::json(
        200,
        &json!({
            "status": true,
            "message": "Patient created successfully",
            "data": {
                "health_id": row.health_id, "name": row.full_name, "nin": row.nin, "email": row.email,
                "created_at": row.created_at,
            },
        }),
    )
}

fn seek_consent(st: &mut State, _: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let Some(hid) = text(b.get("health_id")) else {
        return fail(422, "Validation error: health_id is required");
    };
    if !st.patients.iter().any(|p| p.health_id == hid) {
        return fail(404, "Patient not found");
    }
    let otp = st.otp.clone();
    st.pending_otps.insert(hid.clone(), otp.clone());
    st.sent_otps.insert(hid, otp);
    // Variant B: no `data`.
    ok(200, "A verification OTP has been sent your user for consent", None)
}

fn grant_consent(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let (Some(hid), Some(otp)) = (text(b.get("health_id")), text(b.get("otp"))) else {
        return fail(422, "Validation error: health_id and otp are required");
    };
    if !st.patients.iter().any(|p| p.health_id == hid) {
        return fail(404, "Patient not found");
    }
    let expected = st.pending_otps.get(&hid).cloned();
    // A JSON number loses leading zeros: compare both ways.
    let matches = expected.as_deref().is_some_and(|e| e == otp || e.trim_start_matches('0') == otp);
    if !matches {
        return fail(422, "Validation error: invalid or expired OTP");
    }
    st.pending_otps.remove(&hid);
    let token = format!("ct_{}", alnum(24).to_ascii_lowercase());
    let issued_at = st.now();
    st.tokens.insert(token.clone(), TokenRow { health_id: hid.clone(), business_id: business.to_owned(), issued_at });
    ok(200, "Consent token assigned successfully", Some(json!({ "consentToken": token, "health_id": hid })))
}

fn list_patients(st: &mut State, business: &'static str, _: &RecordedRequest, _: &Params) -> Reply {
    let items: Vec<Value> =
        st.patients.iter().filter(|p| p.business_id == business).map(|p| patient_json(p, false)).collect();
    ok(200, "Patients fetched successfully", Some(Value::Array(items)))
}

fn get_patient(st: &mut State, business: &'static str, req: &RecordedRequest, p: &Params) -> Reply {
    let hid = p.get("health_id").unwrap_or_default();
    let idx = try_reply!(access(st, business, req, hid));
    // The doc's single patient opens with `[`: answer with the array reading.
    ok(200, "Patient fetched successfully", Some(json!([patient_json(&st.patients[idx], true)])))
}

fn edit_patient(st: &mut State, business: &'static str, req: &RecordedRequest, p: &Params) -> Reply {
    let hid = p.get("health_id").unwrap_or_default();
    let idx = try_reply!(access(st, business, req, hid));
    let b = try_reply!(body(req));
    if b.is_empty() {
        return fail(422, "Validation error: nothing to edit");
    }
    let now = st.now_str();
    let patient = &mut st.patients[idx];
    patient.metadata.extend(b);
    patient.updated_at = now;
    ok(200, "Patient fetched successfully", Some(json!({ "metadata": patient.metadata })))
}

fn create_record(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let Some(record_type) = text(b.get("recordType")) else {
        return fail(422, "Validation error: recordType is required");
    };
    let Some(data) = b.get("data").filter(|d| d.is_object()).cloned() else {
        return fail(422, "Validation error: data must be an object");
    };
    let provider = b.get("provider").cloned().unwrap_or(Value::Null);
    if text(provider.get("name")).is_none() || text(provider.get("nprn")).is_none() {
        return fail(422, "Validation error: provider.name and provider.nprn are required");
    }
    let Some(hid) = text(b.get("patient")) else {
        return fail(422, "Validation error: patient is required");
    };
    try_reply!(access(st, business, req, &hid));
    let row = RecordRow {
        record_id: uuid(),
        record_type,
        data,
        provider,
        patient: hid,
        business_id: business.to_owned(),
        created_at: st.now_str(),
    };
    let reply = json!({ "recordId": row.record_id, "patient": row.patient, "created_at": row.created_at });
    st.records.push(row);
    // Variant E, with the doc's copy-pasted message.
    Reply::json(
        200,
        &json!({ "success": true, "status": true, "message": "Medicard created successfully", "data": reply }),
    )
}

fn list_records(st: &mut State, business: &'static str, req: &RecordedRequest, p: &Params) -> Reply {
    let hid = p.get("health_id").unwrap_or_default().to_owned();
    try_reply!(access(st, business, req, &hid));
    let query = req.query_pairs();
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let (kind, from, to) = (q("recordType"), q("from").map(|s| time_key(&s)), q("to").map(|s| time_key(&s)));
    let items: Vec<Value> = st
        .records
        .iter()
        .filter(|r| r.patient == hid)
        .filter(|r| kind.as_ref().is_none_or(|k| k.eq_ignore_ascii_case(&r.record_type)))
        .filter(|r| from.as_ref().is_none_or(|f| time_key(&r.created_at) >= *f))
        .filter(|r| to.as_ref().is_none_or(|t| time_key(&r.created_at) <= *t))
        .map(|r| {
            json!({
                "id": r.record_id, "recordType": r.record_type, "data": r.data, "provider": r.provider,
                "patient": r.patient, "business_id": r.business_id, "created_at": r.created_at,
            })
        })
        .collect();
    ok(200, "Records fetched successfully", Some(Value::Array(items)))
}

fn find_card<'a>(st: &'a mut State, business: &str, number: &str) -> Result<&'a mut CardRow, Reply> {
    st.cards
        .iter_mut()
        .find(|c| c.card_number == number && c.business_id == business)
        .ok_or_else(|| fail(404, "Medicard not found"))
}

fn create_card(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let (Some(hid), Some(name), Some(kind)) =
        (text(b.get("health_id")), text(b.get("cardName")), text(b.get("cardType")))
    else {
        return fail(422, "Validation error: health_id, cardName and cardType are required");
    };
    if !st.patients.iter().any(|p| p.health_id == hid) {
        return fail(404, "Patient not found");
    }
    let now = st.now_str();
    let card = CardRow {
        id: uuid(),
        health_id: Some(hid),
        card_number: format!("MED-{}", alnum(8)),
        card_name: Some(name),
        balance: 0.0,
        business_id: business.to_owned(),
        created_at: now.clone(),
        updated_at: now,
        active: false,
        card_type: kind,
        expires_at: expiry(st),
        pin: None,
        assigned: true,
    };
    let data = json!([card_json(&card)]);
    st.cards.push(card);
    // Variant F: boolean status, the card wrapped in an array.
    Reply::json(
        200,
        &json!({ "success": true, "status": true, "message": "Medicard created successfully", "data": data }),
    )
}

fn activate_card(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let (Some(hid), Some(pin), Some(number)) =
        (text(b.get("health_id")), text(b.get("card_pin")), text(b.get("card_number")))
    else {
        return fail(422, "Validation error: health_id, card_pin and card_number are required");
    };
    if !(digits(&pin, 4) || (pin.len() < 4 && digits(&format!("{pin:0>4}"), 4))) {
        return fail(422, "Validation error: card_pin must be 4 digits");
    }
    let now = st.now_str();
    let card = try_reply!(find_card(st, business, &number));
    if card.health_id.as_deref() != Some(hid.as_str()) {
        return fail(404, "Medicard not found for this patient");
    }
    card.active = true;
    card.pin = Some(pin);
    card.updated_at = now;
    // Variant A, with `active` as the string "true" (H5).
    Reply::json(
        200,
        &json!({
            "status": true,
            "message": "Medicard activated successfully",
            "data": { "health_id": hid, "active": "true", "card_number": number },
        }),
    )
}

fn deactivate_card(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let (Some(number), Some(_reason)) = (text(b.get("card_number")), text(b.get("reason"))) else {
        return fail(422, "Validation error: card_number and reason are required");
    };
    let now = st.now_str();
    let card = try_reply!(find_card(st, business, &number));
    card.active = false;
    card.updated_at = now;
    let data = json!({ "health_id": card.health_id, "active": false, "card_number": card.card_number });
    ok(200, "Medicard deactivated successfully", Some(data))
}

fn reserve_cards(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let quantity = b.get("quantity").and_then(Value::as_u64).unwrap_or(0);
    let Some(kind) = text(b.get("cardType")) else {
        return fail(422, "Validation error: cardType is required");
    };
    if quantity == 0 || quantity > 1000 {
        return fail(422, "Validation error: quantity must be between 1 and 1000");
    }
    for _ in 0..quantity {
        let now = st.now_str();
        let card = CardRow {
            id: uuid(),
            health_id: None,
            card_number: format!("MED-{}", alnum(8)),
            card_name: None,
            balance: 0.0,
            business_id: business.to_owned(),
            created_at: now.clone(),
            updated_at: now,
            active: false,
            card_type: kind.clone(),
            expires_at: expiry(st),
            pin: None,
            assigned: false,
        };
        st.cards.push(card);
    }
    // As documented: `data: []` although cards were created.
    ok(200, &format!("{quantity} Medicards created successfully"), Some(json!([])))
}

fn assign_card(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let fields = (
        text(b.get("health_id")),
        text(b.get("cardName")),
        text(b.get("cardType")),
        text(b.get("cardNumber")),
        text(b.get("expires_at")),
    );
    let (Some(hid), Some(name), Some(kind), Some(number), Some(expires)) = fields else {
        return fail(422, "Validation error: health_id, cardName, cardType, cardNumber and expires_at are required");
    };
    if !st.patients.iter().any(|p| p.health_id == hid) {
        return fail(404, "Patient not found");
    }
    let now = st.now_str();
    let card = try_reply!(find_card(st, business, &number));
    if card.assigned {
        return fail(422, "Validation error: Medicard is already assigned");
    }
    card.assigned = true;
    card.health_id = Some(hid);
    card.card_name = Some(name);
    card.card_type = kind;
    card.expires_at = expires;
    card.updated_at = now;
    let data = card_json(card);
    ok(200, "Medicard assigned successfully", Some(data))
}

fn get_card(st: &mut State, business: &'static str, _: &RecordedRequest, p: &Params) -> Reply {
    let card = try_reply!(find_card(st, business, p.get("card_number").unwrap_or_default()));
    let data = card_json(card);
    ok(200, "Medicard fetched successfully", Some(data))
}

fn list_cards(st: &mut State, business: &'static str, _: &RecordedRequest, _: &Params) -> Reply {
    let items: Vec<Value> =
        st.cards.iter().filter(|c| c.business_id == business && c.assigned).map(card_json).collect();
    ok(200, "Medicard fetched successfully", Some(Value::Array(items)))
}

fn same_business(business: &str, p: &Params) -> Result<(), Reply> {
    if p.get("business_id") == Some(business) {
        Ok(())
    } else {
        Err(fail(403, "Forbidden: the business id does not match the secret key"))
    }
}

fn list_reserved(st: &mut State, business: &'static str, _: &RecordedRequest, p: &Params) -> Reply {
    try_reply!(same_business(business, p));
    let items: Vec<Value> =
        st.cards.iter().filter(|c| c.business_id == business && !c.assigned).map(card_json).collect();
    ok(200, "Medicard fetched successfully", Some(Value::Array(items)))
}

fn card_transactions(st: &mut State, business: &'static str, _: &RecordedRequest, p: &Params) -> Reply {
    let number = p.get("card_number").unwrap_or_default().to_owned();
    try_reply!(find_card(st, business, &number));
    let items: Vec<Value> = st.transactions.iter().filter(|t| t.card_number == number).map(tx_json).collect();
    ok(200, "Medicard transactions fetched successfully", Some(Value::Array(items)))
}

fn business_transactions(st: &mut State, business: &'static str, _: &RecordedRequest, p: &Params) -> Reply {
    try_reply!(same_business(business, p));
    let items: Vec<Value> = st.transactions.iter().filter(|t| t.business_id == business).map(tx_json).collect();
    ok(200, "Medicard transactions fetched successfully", Some(Value::Array(items)))
}

fn fund_card(st: &mut State, business: &'static str, req: &RecordedRequest, p: &Params) -> Reply {
    let number = p.get("card_number").unwrap_or_default().to_owned();
    let b = try_reply!(body(req));
    if let Some(in_body) = text(b.get("card_number"))
        && in_body != number
    {
        return fail(422, "Validation error: card_number in the body does not match the path");
    }
    let Some(reference) = text(b.get("reference")) else {
        return fail(422, "Validation error: reference is required");
    };
    let amount = match b.get("amount") {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    };
    if amount.is_nan() || amount <= 0.0 {
        return fail(422, "Validation error: amount must be greater than zero");
    }
    let now = st.now_str();
    let card = try_reply!(find_card(st, business, &number));
    card.balance += amount;
    card.updated_at.clone_from(&now);
    let health_id = card.health_id.clone();
    let id = st.next_tx;
    st.next_tx += 1;
    st.transactions.push(TxRow {
        id,
        created_at: now,
        card_number: number.clone(),
        amount,
        health_id,
        reference: reference.clone(),
        business_id: business.to_owned(),
    });
    ok(
        200,
        "Medicard funded successfully",
        Some(json!({ "reference": reference, "amount": num(amount), "card_number": number })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_civil() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000000+00:00");
        let t = UNIX_EPOCH + Duration::from_secs(1_755_820_800);
        assert_eq!(timestamp(t), "2025-08-22T00:00:00.000000+00:00");
        assert_eq!(time_key("2025-08-22T00:00:00+00:00"), "2025-08-22T00:00:00");
    }
}
