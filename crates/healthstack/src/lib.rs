//! # carewire-healthstack
//!
//! A typed async client for [Healthstack](https://api.healthstack.ng)'s API: Nigerian patient identity,
//! patient consent, immutable medical records and Medicards. Part of
//! [carewire](https://docs.rs/carewire): errors, retries and rate limits come from
//! [`carewire_core`].
//!
//! - **Auth**: a secret key as `Authorization: Bearer` ([`Client::from_env`] reads
//!   `HEALTHSTACK_SECRET_KEY` and, optionally, `HEALTHSTACK_BASE_URL`).
//! - **Operations as data**: every endpoint is an operation value ([`CreatePatient`], [`GetPatient`],
//!   [`FundMedicard`], ...; [`OPERATIONS`] lists all 19) that the handles build (`client.patients().get(..)`)
//!   and [`Client::send`] sends. A call is `.await`ed, or first given per-call options (`.timeout(..)`,
//!   `.retry(..)`, `.header(..)`, `.send_with_meta()`).
//! - **Consent** is a per-patient credential: [`Patients::seek_consent`] sends the patient an OTP,
//!   [`Patients::grant_consent`] turns it into a [`ConsentToken`] valid 24 hours, kept in the client's
//!   [`ConsentStore`], which the client registers as its subject credentials (the subject is the health
//!   id). The four operations acting on a patient (get, edit, create record, list records) are of
//!   [`Scope::ClientAndSubject`](carewire_core::operation::Scope::ClientAndSubject): they carry the secret
//!   key and the patient's `x-consent-token`. An expired token is never sent: the call fails with
//!   [`ErrorKind::ConsentRequired`], like a 403 "missing consent". An explicit token for one call is given
//!   with `.consent(token)` on the operation ([`GetPatient::consent`]) or [`Patients::with_consent`].
//! - **Errors**: every failure is a `carewire::Error`; a Healthstack API error is read with
//!   `err.vendor_error::<HealthstackError>()` ([`HealthstackError`]: status, [`ErrorKind`], code, message,
//!   details; `is_consent_required()`, `is_kyc_tier_insufficient()`).
//! - **One envelope decoder** ([`Envelope`]): `success` optional, `status` boolean or integer, `data`
//!   object, one-element array, array or absent; `success: false` is an error even with HTTP 200.
//!
//! ```no_run
//! use carewire::healthstack::{Client, CreateRecord, Diagnosis, Provider, RecordData};
//!
//! # async fn run() -> carewire::Result<()> {
//! let client = Client::from_env()?;
//! client.patients().seek_consent("HID-NHG869UP").await?;
//! // ... the patient reads you the OTP ...
//! client.patients().grant_consent("HID-NHG869UP", "123456").await?;
//! let mut dx = Diagnosis::new();
//! dx.diagnosis = Some("Fever".into());
//! dx.severity = Some("Mild".into());
//! let created = client
//!     .records()
//!     .create(CreateRecord::new("HID-NHG869UP", RecordData::Diagnosis(dx), Provider::new("Dr. Ada", "12345")))
//!     .await?;
//! println!("record {}", created.record_id);
//! # Ok(()) }
//! ```
//!
//! Against the in-process sandbox (no network, no account):
//!
//! ```
//! use carewire::healthstack::Client;
//! use carewire_testkit::healthstack::{SECRET_KEY, Sandbox};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> carewire::Result<()> {
//! let sandbox = Sandbox::start();
//! let client = Client::builder().secret_key(SECRET_KEY).base_url(sandbox.base_url()).build()?;
//! assert!(client.medicards().list().await?.is_empty());
//! # Ok(()) }
//! ```
//!
//! Healthstack documents no webhooks, so this crate has no webhook module.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod consent;
mod envelope;
mod error;
mod medicards;
mod patients;
mod records;
mod util;

/// The vendor name used in errors and traces.
pub const VENDOR: &str = "healthstack";

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, ENV_BASE_URL, ENV_SECRET_KEY};
pub use consent::{CONSENT_HEADER, CONSENT_TTL, Clock, ConsentStore, ConsentToken, ManualClock, SystemClock};
pub use envelope::{Envelope, EnvelopeStatus, decode_envelope};
pub use error::{CONSENT_REQUIRED, ErrorKind, HealthstackError, HealthstackErrorParser, KYC_TIER_INSUFFICIENT};
pub use medicards::{
    ActivateMedicard, AssignMedicard, CardExpiry, CardMetadata, CardState, CardStatus, CreateMedicard,
    DeactivateMedicard, FundMedicard, Funding, GetMedicard, ListBusinessTransactions, ListCardTransactions,
    ListMedicards, ListReservedMedicards, Medicard, Medicards, ParsedExpiry, ReserveMedicards, ReservedMedicard,
    ReturnedPin, Transaction,
};
pub use patients::{
    Acknowledgement, CreatePatient, EditPatient, Gender, GetPatient, GrantConsent, ListPatients, Patient,
    PatientCreated, PatientMetadata, Patients, SeekConsent,
};
pub use records::{
    Admission, Allergy, Attachment, ConsentForm, Consultation, CreateRecord, DentalRecord, Diagnosis, Discharge,
    EmergencyVisit, EyeExam, Imaging, LabParameter, LabResults, ListRecords, MedicalRecord, Medication, MentalHealth,
    Note, Prescription, ProgressNote, Provider, RecordCreated, RecordData, RecordType, Records, Referral, Surgery,
    Vaccination, VitalSigns, parse_record_time,
};

pub use carewire_core::operation::Call;
pub use carewire_core::{Error, Result};

/// Every Healthstack operation, as data: its method, path, name, credentials and retry safety. The tests
/// check it against the list of endpoints the SDK must cover.
///
/// ```
/// use carewire::Scope;
///
/// let on_a_patient: Vec<&str> = carewire::healthstack::OPERATIONS
///     .iter()
///     .filter(|s| s.scope == Scope::ClientAndSubject)
///     .map(|s| s.name)
///     .collect();
/// assert_eq!(on_a_patient, ["patients.get", "patients.edit", "records.create", "records.list"]);
/// ```
pub const OPERATIONS: &[carewire_core::operation::Spec] = {
    use carewire_core::operation::Operation;
    &[
        <CreatePatient as Operation>::SPEC,
        <SeekConsent as Operation>::SPEC,
        <GrantConsent as Operation>::SPEC,
        <ListPatients as Operation>::SPEC,
        <GetPatient as Operation>::SPEC,
        <EditPatient as Operation>::SPEC,
        <CreateRecord as Operation>::SPEC,
        <ListRecords as Operation>::SPEC,
        <CreateMedicard as Operation>::SPEC,
        <ActivateMedicard as Operation>::SPEC,
        <DeactivateMedicard as Operation>::SPEC,
        <ReserveMedicards as Operation>::SPEC,
        <AssignMedicard as Operation>::SPEC,
        <GetMedicard as Operation>::SPEC,
        <ListMedicards as Operation>::SPEC,
        <ListReservedMedicards as Operation>::SPEC,
        <ListCardTransactions as Operation>::SPEC,
        <ListBusinessTransactions as Operation>::SPEC,
        <FundMedicard as Operation>::SPEC,
    ]
};
