//! # carewire-mymedic
//!
//! A typed async client for the MyMedic API: health programs, appointment booking and status updates,
//! medical records through the escape hatch, and unverified webhooks. Part of
//! [carewire](https://docs.rs/carewire); built on [`carewire_core`].
//!
//! MyMedic publishes an integrator's guide with type sketches and no responses, so this crate is careful
//! about what it assumes:
//!
//! - **Base URL**: required (no production host is documented; [`UAT_BASE_URL`] is the test host). The
//!   documented `/api/v1/...` paths are used verbatim, and a base ending in `/api/v1` is not doubled.
//! - **Auth**: OAuth2 with no documented token endpoint: a static access token, client credentials against
//!   a token URL you name with configurable scopes (default `programs.read appointments.write`), or your own
//!   [`TokenSource`](carewire_core::auth::TokenSource); tokens are cached, refreshed early with one fetch for
//!   any number of concurrent calls, and fetched again after a 401. A 403 naming a missing scope tells which
//!   scope the operation needs ([`MyMedicError::scope_error`], [`required_scope`]).
//! - **Program filters** go in the query string (`filters[status]=active`, or flat names) and never in a
//!   GET body unless you ask ([`FilterStyle`]); lists stream over offset pages ([`Programs::list`]).
//! - **Bookings** carry an `Idempotency-Key`, generated once per [`CreateAppointment`] and reused on every
//!   retry, so a booking is never made twice by the SDK. A taken slot is a typed `SLOT_UNAVAILABLE`
//!   ([`MyMedicError::slot_unavailable`]).
//! - **Responses** are undocumented: models keep every field optional plus the raw JSON of the rest, and a
//!   2xx that is not JSON or holds nothing recognisable is an error, never an empty success.
//! - **Medical records** (`/api/v1/medical-records`, named but not documented) are reached through
//!   [`Client::request`] with the client's auth, retries and redaction; no typed guess is made.
//! - **Webhooks** carry no signature: [`webhooks::parse`] returns an [`Unverified`](webhooks::Unverified)
//!   event, so that the missing check is visible where the event is used.
//!
//! ```no_run
//! use carewire::mymedic::{Client, CreateAppointment, ListHealthPrograms, Participant, ProgramStatus, Slot};
//!
//! # async fn run() -> carewire::Result<()> {
//! let client = Client::from_env()?; // MYMEDIC_BASE_URL, MYMEDIC_CLIENT_ID/SECRET/TOKEN_URL or MYMEDIC_ACCESS_TOKEN
//! let programs = client.programs().list(ListHealthPrograms::new().status(ProgramStatus::Active)).await?;
//! let Some(program_id) = programs.programs.first().and_then(|p| p.id.clone()) else { return Ok(()) };
//! let appointment = client
//!     .appointments()
//!     .create(CreateAppointment::new(
//!         program_id,
//!         Participant::new().name("Asha Rao").medical_id("MED-1001"),
//!         Slot::new("2025-04-08", "10:00"),
//!     ))
//!     .await?;
//! println!("booked {:?} ({:?})", appointment.id, appointment.status);
//! # Ok(()) }
//! ```
//!
//! Against the in-process sandbox (no network, no account):
//!
//! ```
//! use carewire::mymedic::{AppointmentStatus, Client, CreateAppointment, Participant, Slot};
//! use carewire_testkit::mymedic::Sandbox;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> carewire::Result<()> {
//! let sandbox = Sandbox::start();
//! let client = Client::builder()
//!     .base_url(sandbox.base_url())
//!     .client_credentials(Sandbox::CLIENT_ID, Sandbox::CLIENT_SECRET)
//!     .token_url(sandbox.token_url())
//!     .build()?;
//! let booking = CreateAppointment::new("prg_001", Participant::new().name("Asha Rao"), Slot::new("2025-04-08", "10:00"));
//! let appointment = client.appointments().create(booking).await?;
//! assert_eq!(appointment.status, Some(AppointmentStatus::Scheduled));
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod decode;

pub mod appointments;
pub mod client;
pub mod error;
pub mod programs;
pub mod webhooks;

pub use appointments::{
    Appointment, AppointmentStatus, Appointments, CreateAppointment, Participant, Slot, UpdateAppointmentStatus,
};
pub use client::{
    Client, ClientBuilder, DEFAULT_SCOPES, DEFAULT_TIMEOUT, ENV_ACCESS_TOKEN, ENV_BASE_URL, ENV_CLIENT_ID,
    ENV_CLIENT_SECRET, ENV_SCOPES, ENV_TOKEN_URL, FilterStyle, UAT_BASE_URL,
};
pub use error::{ErrorCode, MyMedicError, ScopeError, SlotUnavailable};
pub use programs::{
    DEFAULT_PAGE_SIZE, GetHealthProgram, HealthProgram, ListHealthPrograms, ProgramList, ProgramStatus, Programs,
};

pub use carewire_core::operation::Call;
pub use carewire_core::{Error, Result};

/// The medical-records resource the guide names (`"records": "/api/v1/medical-records"`) without a method,
/// parameters or shape. Call it through [`Client::request`]:
///
/// ```no_run
/// use carewire::mymedic::{Client, MEDICAL_RECORDS_PATH};
/// use carewire::Request;
///
/// # async fn run(client: Client) -> carewire::Result<()> {
/// let records: serde_json::Value = client
///     .request(Request::get(MEDICAL_RECORDS_PATH).operation("records.list").query("medicalId", "MED-1001"))
///     .await?;
/// # let _ = records; Ok(()) }
/// ```
pub const MEDICAL_RECORDS_PATH: &str = "/api/v1/medical-records";

/// Every MyMedic operation, as data: what its method, path, name, credentials and retry safety are.
/// The tests check it against the list of endpoints the SDK must cover.
///
/// ```
/// let names: Vec<&str> = carewire::mymedic::OPERATIONS.iter().map(|s| s.name).collect();
/// assert_eq!(names, ["programs.list", "programs.get", "appointments.create", "appointments.update_status"]);
/// ```
pub const OPERATIONS: &[carewire_core::operation::Spec] = {
    use carewire_core::operation::Operation;
    &[
        <ListHealthPrograms as Operation>::SPEC,
        <GetHealthProgram as Operation>::SPEC,
        <CreateAppointment as Operation>::SPEC,
        <UpdateAppointmentStatus as Operation>::SPEC,
    ]
};

/// The OAuth2 scope each operation needs, by operation name. The guide lists only `programs.read` and
/// `appointments.write`; it names no scope for updating an appointment's status (the write scope is
/// assumed) nor for medical records.
pub const REQUIRED_SCOPES: &[(&str, &str)] = &[
    ("programs.list", "programs.read"),
    ("programs.get", "programs.read"),
    ("appointments.create", "appointments.write"),
    ("appointments.update_status", "appointments.write"),
];

/// The OAuth2 scope the operation named `operation` needs (see [`REQUIRED_SCOPES`]).
///
/// ```
/// assert_eq!(carewire::mymedic::required_scope("appointments.create"), Some("appointments.write"));
/// assert_eq!(carewire::mymedic::required_scope("records.list"), None);
/// ```
pub fn required_scope(operation: &str) -> Option<&'static str> {
    REQUIRED_SCOPES.iter().find(|(name, _)| *name == operation).map(|(_, scope)| *scope)
}
