//! # carewire-healthstack
//!
//! A typed async client for [Healthstack](https://api.healthstack.ng)'s API: Nigerian patient identity,
//! patient consent, immutable medical records and Medicards. Part of
//! [carewire](https://docs.rs/carewire): errors, retries and rate limits come from
//! [`carewire_core`].
//!
//! - **Auth**: a secret key as `Authorization: Bearer` ([`Client::from_env`] reads
//!   `HEALTHSTACK_SECRET_KEY` and, optionally, `HEALTHSTACK_BASE_URL`).
//! - **Consent**: [`Patients::seek_consent`] sends the patient an OTP, [`Patients::grant_consent`] turns
//!   it into a [`ConsentToken`] valid 24 hours, kept in the client's [`ConsentStore`]; calls acting on that
//!   patient then send `x-consent-token` by themselves. An expired token is never sent: the call fails
//!   with [`ErrorKind::ConsentRequired`], like a 403 "missing consent".
//! - **One envelope decoder** ([`Envelope`]): `success` optional, `status` boolean or integer, `data`
//!   object, one-element array, array or absent; `success: false` is an error even with HTTP 200.
//!
//! ```no_run
//! use carewire_healthstack::{Client, CreateRecord, Diagnosis, Provider, RecordData};
//!
//! # async fn run() -> carewire_core::Result<()> {
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

pub use client::{
    CONSENT_HEADER, Client, ClientBuilder, DEFAULT_BASE_URL, ENV_BASE_URL, ENV_SECRET_KEY, decode_envelope,
};
pub use consent::{CONSENT_TTL, Clock, ConsentStore, ConsentToken, ManualClock, SystemClock};
pub use envelope::{Envelope, EnvelopeStatus};
pub use error::{CONSENT_REQUIRED, ErrorKind, HealthstackErrorExt, HealthstackErrorParser, KYC_TIER_INSUFFICIENT};
pub use medicards::{
    ActivateMedicard, AssignMedicard, CardExpiry, CardMetadata, CardState, CardStatus, CreateMedicard,
    DeactivateMedicard, FundMedicard, Funding, Medicard, Medicards, ParsedExpiry, ReserveMedicards, ReservedMedicard,
    ReturnedPin, Transaction,
};
pub use patients::{
    Acknowledgement, CreatePatient, EditPatient, Gender, Patient, PatientCreated, PatientMetadata, Patients,
};
pub use records::{
    Admission, Allergy, Attachment, ConsentForm, Consultation, CreateRecord, DentalRecord, Diagnosis, Discharge,
    EmergencyVisit, EyeExam, Imaging, LabParameter, LabResults, ListRecords, MedicalRecord, Medication, MentalHealth,
    Note, Prescription, ProgressNote, Provider, RecordCreated, RecordData, RecordType, Records, Referral, Surgery,
    Vaccination, VitalSigns, parse_record_time,
};
