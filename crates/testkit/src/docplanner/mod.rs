//! An in-process sandbox of the Docplanner Integrations API.
//!
//! It speaks HTTP and JSON like the real API (it does not depend on the client crate): an OAuth2 token
//! endpoint at `/oauth/v2/token` (client credentials, HTTP Basic or form body, scope `integration`; tokens
//! expire), and under `/api/v3/integration` a facility ([`FACILITY_ID`]) with a doctor ([`DOCTOR_ID`]), an
//! address ([`ADDRESS_ID`]) with services and a calendar, slots that can be replaced and booked (a booked slot
//! disappears; booking it again is a 404), bookings that can be listed (paginated with `page`/`limit`),
//! moved (with `address_service.public_insurance_flow`, and `booking.moving` on get), cancelled (with a
//! reason and `send_notifications` in the DELETE body), confirmed and marked present, and a notification
//! queue fed by those actions (pull one, pull many, 404 "No notifications found" when empty, release once an
//! hour). Bookings carry `visit_payment` and `videocall_url` (`null`: the sandbox address is not online)
//! and, when booked with `insurance_provider_id`, an `insurance`; notifications carry the booking the way
//! Docplanner sends it there (`insurance.insurance_provider_id`, the patient's consents, a `signature`).
//! Doctors answer `doctor.specializations` and `doctor.license_numbers`, addresses `address.online_only`,
//! `address.visit_payment`, `address.commercial_type` and `address.insurance_support` (set with
//! `addresses.update`).
//!
//! Every one of the client's operations is served, with Docplanner's error bodies (`Invalid arguments` with
//! per-field messages, `Param "since" is required!`, 404 for unknown ids, 409 for duplicates):
//!
//! - **Breaks** (`breaks.*`): added breaks are listed by range, fetched, moved (422 on the same range) and
//!   deleted; while a break lasts, the slots it overlaps are neither listed nor bookable (they come back when
//!   the break is moved away or deleted). Each change queues `break-created`, `break-moved` or
//!   `break-removed`.
//! - **Address services** (`address_services.*`): the address starts with [`ADDRESS_SERVICE_ID`] (dictionary
//!   service `1`, USG) and [`SECOND_ADDRESS_SERVICE_ID`] (`2`, EKG); the dictionary also has `3` (EEG). A
//!   service added from the dictionary is listed, fetched (with `address_service.allowed_patients`,
//!   `address_service.custom_name`, `address_service.public_insurance_flow`), updated and deleted (its slots
//!   go with it); prices are answered as their integer part, as the API does. `start` limits the listing to
//!   the services of that day's slots, with their slot `duration`. Each change queues
//!   `address-service-created`, `address-service-changed` or `address-service-deleted`.
//! - **Insurance**: the dictionary has providers `1` (plans `999`, `1000`), `2` (no plans) and `3` (plans
//!   `3001`, `3002`); the address starts with providers `1` (both plans) and `2`. Adding an assigned provider
//!   or deleting an unassigned one is a 400, a provider outside the dictionary a 404, a plan of another
//!   provider a 400; an upsert replaces the provider's plans.
//! - **Opinion requests**: a valid phone (9 to 15 digits, an optional `+`, spaces and dashes allowed) is
//!   "texted" ([`Sandbox::opinion_requests_sent`]); asking again for the same phone is a 409
//!   (`Opinion already exists`).
//!
//! Every API response carries `X-RateLimit-*` headers; over the write budget (40 per minute by default) the
//! sandbox answers 429. Faults can be injected through [`Sandbox::server`].
//!
//! ```
//! use carewire_testkit::docplanner::{Sandbox, CLIENT_ID, CLIENT_SECRET};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let sandbox = Sandbox::start();
//! assert!(sandbox.base_url().ends_with("/api/v3/integration"));
//! assert_eq!(sandbox.token_url(), format!("{}/oauth/v2/token", sandbox.uri()));
//! assert_eq!(sandbox.notifications_queued(), 0);
//! # let _ = (CLIENT_ID, CLIENT_SECRET);
//! # }
//! ```

mod bookings;
mod breaks;
mod directory;
mod insurance;
mod routes;
mod services;
mod util;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::TestServer;

/// The client id the sandbox accepts.
pub const CLIENT_ID: &str = "sandbox-client-id";
/// The client secret the sandbox accepts.
pub const CLIENT_SECRET: &str = "sandbox-client-secret";
/// The sandbox facility.
pub const FACILITY_ID: &str = "1";
/// The sandbox doctor.
pub const DOCTOR_ID: &str = "123";
/// The sandbox address.
pub const ADDRESS_ID: &str = "111";
/// The address service created at start (USG, 30 minutes).
pub const ADDRESS_SERVICE_ID: &str = "101";
/// A second address service (EKG, 15 minutes).
pub const SECOND_ADDRESS_SERVICE_ID: &str = "102";

/// A free slot: its start and the services bookable in it.
#[derive(Clone, Debug)]
pub(crate) struct SlotRec {
    pub(crate) start: util::Stamp,
    pub(crate) services: Vec<(String, u32)>,
}

/// A booking.
#[derive(Clone, Debug)]
pub(crate) struct BookingRec {
    pub(crate) id: String,
    pub(crate) start: util::Stamp,
    pub(crate) duration: u32,
    pub(crate) status: &'static str,
    pub(crate) address_service_id: String,
    pub(crate) patient: Value,
    pub(crate) comment: Option<String>,
    pub(crate) booked_at: util::Stamp,
    pub(crate) canceled_at: Option<util::Stamp>,
    pub(crate) confirmed: bool,
    pub(crate) presence: Option<&'static str>,
    /// The insurance it was booked with: provider id and plan id.
    pub(crate) insurance: Option<(String, Option<String>)>,
    /// Whether it was moved (the sandbox keeps the id, so the moving chain starts and ends with it).
    pub(crate) moved: bool,
    /// Whether the cancellation told the patient (`send_notifications`, default true); `None` until canceled.
    pub(crate) cancel_notified_patient: Option<bool>,
}

/// The sandbox's mutable state.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) token_ttl: Duration,
    pub(crate) tokens: HashMap<String, Instant>,
    pub(crate) tokens_issued: u64,
    pub(crate) write_limit: usize,
    pub(crate) read_limit: usize,
    pub(crate) writes: VecDeque<Instant>,
    pub(crate) reads: VecDeque<Instant>,
    pub(crate) calendar_enabled: bool,
    /// `address.insurance_support`: `private`, `insurance` or `private_and_insurance`.
    pub(crate) insurance_support: &'static str,
    pub(crate) services: Vec<services::ServiceRec>,
    pub(crate) breaks: Vec<breaks::BreakRec>,
    /// The insurance providers the address accepts, with their plans, in the order added.
    pub(crate) address_insurance: Vec<(String, Vec<String>)>,
    /// The phones (digits only) an opinion was requested for.
    pub(crate) opinion_phones: Vec<String>,
    pub(crate) slots: Vec<SlotRec>,
    pub(crate) bookings: Vec<BookingRec>,
    pub(crate) next_id: u64,
    pub(crate) notifications: VecDeque<Value>,
    pub(crate) last_release: Option<Instant>,
}

pub(crate) type Shared = Arc<Mutex<State>>;

pub(crate) fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Configures a [`Sandbox`].
#[derive(Clone, Debug)]
#[must_use]
pub struct SandboxBuilder {
    token_ttl: Duration,
    write_limit: usize,
    read_limit: usize,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self { token_ttl: Duration::from_secs(3600), write_limit: 40, read_limit: 8000 }
    }
}

impl SandboxBuilder {
    /// How long issued tokens live (`expires_in`; default one hour).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }
    /// Writes allowed per minute before 429 (default 40, as documented).
    pub fn write_limit_per_minute(mut self, n: usize) -> Self {
        self.write_limit = n.max(1);
        self
    }
    /// Reads allowed per hour before 429 (default 8,000, as documented).
    pub fn read_limit_per_hour(mut self, n: usize) -> Self {
        self.read_limit = n.max(1);
        self
    }
    /// Starts the sandbox.
    pub fn start(self) -> Sandbox {
        let state = Arc::new(Mutex::new(State {
            token_ttl: self.token_ttl,
            tokens: HashMap::new(),
            tokens_issued: 0,
            write_limit: self.write_limit,
            read_limit: self.read_limit,
            writes: VecDeque::new(),
            reads: VecDeque::new(),
            calendar_enabled: true,
            insurance_support: "private_and_insurance",
            services: services::initial(),
            breaks: Vec::new(),
            address_insurance: insurance::initial(),
            opinion_phones: Vec::new(),
            slots: Vec::new(),
            bookings: Vec::new(),
            next_id: 1000,
            notifications: VecDeque::new(),
            last_release: None,
        }));
        let server = TestServer::start(routes::router(&state));
        Sandbox { server, state }
    }
}

/// The Docplanner sandbox. Cheap to clone; the server stops when the last clone is dropped.
#[derive(Clone)]
pub struct Sandbox {
    server: TestServer,
    state: Shared,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("uri", &self.server.uri()).finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts a sandbox with the defaults.
    pub fn start() -> Self {
        SandboxBuilder::default().start()
    }

    /// A builder.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The API base URL, `http://127.0.0.1:PORT/api/v3/integration` (give it to the client as its base URL;
    /// the token URL then follows it).
    pub fn base_url(&self) -> String {
        format!("{}/api/v3/integration", self.server.uri())
    }

    /// The token URL, `http://127.0.0.1:PORT/oauth/v2/token`.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/v2/token", self.server.uri())
    }

    /// The test server, to inject faults and count requests.
    pub fn server(&self) -> &TestServer {
        &self.server
    }

    /// Expires every token issued so far (the next API call gets a 401).
    pub fn expire_tokens(&self) {
        lock(&self.state).tokens.clear();
    }

    /// How many tokens the token endpoint issued.
    pub fn tokens_issued(&self) -> u64 {
        lock(&self.state).tokens_issued
    }

    /// How many notifications wait in the queue.
    pub fn notifications_queued(&self) -> usize {
        lock(&self.state).notifications.len()
    }

    /// Queues a notification as Docplanner would (`name`, `data`), for testing consumers.
    pub fn push_notification(&self, name: &str, data: Value) {
        routes::notify(&mut lock(&self.state), name, data);
    }

    /// How many opinion requests were accepted (each would have texted the patient).
    ///
    /// ```
    /// use carewire_testkit::docplanner::Sandbox;
    ///
    /// assert_eq!(Sandbox::start().opinion_requests_sent(), 0);
    /// ```
    pub fn opinion_requests_sent(&self) -> usize {
        lock(&self.state).opinion_phones.len()
    }

    /// How many bookings exist (any status).
    pub fn bookings_count(&self) -> usize {
        lock(&self.state).bookings.len()
    }

    /// Whether the cancellation of `booking_id` told the patient: `false` when it was canceled with
    /// `"send_notifications": false`, `true` otherwise; `None` when no such booking was canceled.
    ///
    /// ```
    /// use carewire_testkit::docplanner::Sandbox;
    ///
    /// let sandbox = Sandbox::start();
    /// assert_eq!(sandbox.cancellation_notified_patient("1001"), None);
    /// ```
    pub fn cancellation_notified_patient(&self, booking_id: &str) -> Option<bool> {
        lock(&self.state).bookings.iter().find(|b| b.id == booking_id).and_then(|b| b.cancel_notified_patient)
    }
}
