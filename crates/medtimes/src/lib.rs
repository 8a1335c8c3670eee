//! # carewire-medtimes
//!
//! A typed async client for the [Medtimes](https://medtimes.health) API: South African telehealth
//! consultations, medical-aid claims, corporate screening days and electronic prescriptions. Part of
//! [carewire](https://docs.rs/carewire); built on [`carewire_core`].
//!
//! - [`Client::from_env`] reads `MEDTIMES_API_KEY` (and `MEDTIMES_BASE_URL`); bearer auth.
//! - Bodies are form-encoded with Stripe-style brackets, as the doc says; [`BodyEncoding::Json`] switches to
//!   JSON.
//! - [`Claims::submit`] always sends an `Idempotency-Key` and reuses it on every retry: a claim is never
//!   submitted twice by the SDK.
//! - Requests are validated before sending ([`carewire_core::Error::InvalidRequest`] names the field).
//! - Errors (`{"error": {"type", "code", "message"}}`) map into [`carewire_core::Error`]; the typed body is
//!   is [`MedtimesError`] (`err.vendor_error::<MedtimesError>()`).
//! - [`webhooks`]: `Medtimes-Signature` verification, replay protection and typed events.
//!
//! ```no_run
//! use carewire_medtimes::{BillingMode, Client, CreateConsult, SchemeDetails, SubmitClaim};
//!
//! # async fn run() -> carewire_core::Result<()> {
//! let client = Client::from_env()?;
//! let consult = client
//!     .consults()
//!     .create(
//!         CreateConsult::new("usr_8921a")
//!             .symptoms(["persistent cough", "fever"])
//!             .billing_mode(BillingMode::MedicalAid)
//!             .scheme_details(SchemeDetails::new("Discovery Health", "123456789")),
//!     )
//!     .await?;
//! println!("consult {} expires at {:?}", consult.id, consult.expires_at);
//!
//! let claim = client
//!     .claims()
//!     .submit(SubmitClaim::new(["J20.9"], 45_000).patient_id("usr_8921a").currency("zar").tariff_codes(["0132"]))
//!     .await?;
//! println!("claim {:?}", claim.id);
//! # Ok(()) }
//! ```
//!
//! Against the in-process sandbox (no network, no account):
//!
//! ```
//! use carewire_medtimes::{Client, CreateConsult};
//! use carewire_testkit::medtimes::Sandbox;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> carewire_core::Result<()> {
//! let sandbox = Sandbox::start();
//! let client = Client::builder().api_key(Sandbox::API_KEY).base_url(sandbox.base_url()).build()?;
//! let consult = client.consults().create(CreateConsult::new("usr_8921a")).await?;
//! let prescription_id = sandbox.complete_consult(&consult.id).expect("consult exists");
//! let prescription = client.prescriptions().get(&prescription_id).await?;
//! assert_eq!(prescription.consult_id.as_deref(), Some(consult.id.as_str()));
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod enums;
mod validate;

pub mod claims;
pub mod client;
pub mod consults;
pub mod error;
pub mod events;
pub mod prescriptions;
pub mod webhooks;

pub use claims::{Claim, ClaimStatus, Claims, SubmitClaim};
pub use client::{BodyEncoding, Client, ClientBuilder, DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL};
pub use consults::{BillingMode, Consult, ConsultStatus, Consults, CreateConsult, SchemeDetails};
pub use error::{ErrorCode, ErrorType, MedtimesError};
pub use events::{BatchScreening, Events, ScreeningEvent, ScreeningPatient, ScreeningStatus, ScreeningSummary};
pub use prescriptions::{GetPrescription, Medication, Prescription, PrescriptionStatus, Prescriptions};
pub use webhooks::{EventData, WebhookEvent, Webhooks};

pub use carewire_core::operation::Call;
pub use carewire_core::{Error, Result};

/// The vendor name in errors, spans and [`carewire_core::ApiError::vendor`].
pub const VENDOR: &str = "medtimes";

/// Every Medtimes operation, as data: what its method, path, name, credentials and retry safety are.
/// The tests check it against the list of endpoints the SDK must cover.
///
/// ```
/// let names: Vec<&str> = carewire_medtimes::OPERATIONS.iter().map(|s| s.name).collect();
/// assert!(names.contains(&"claims.submit"));
/// ```
pub const OPERATIONS: &[carewire_core::operation::Spec] = {
    use carewire_core::operation::Operation;
    &[
        <CreateConsult as Operation>::SPEC,
        <SubmitClaim as Operation>::SPEC,
        <BatchScreening as Operation>::SPEC,
        <GetPrescription as Operation>::SPEC,
    ]
};
