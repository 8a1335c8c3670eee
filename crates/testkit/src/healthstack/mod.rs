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

mod medicards;
mod patients;
mod routes;
mod state;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Map;

use crate::TestServer;
use routes::router;
use state::{PatientRow, Shared, State, alnum, lock, uuid};

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

    /// `http://127.0.0.1:PORT`, the server's root. It is not an API base URL: the routes live under `/v1`,
    /// so a client given `uri()` gets 404 for every call. Give a client [`Sandbox::base_url`].
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
