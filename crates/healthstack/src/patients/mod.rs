//! Patients and consent: create, seek and grant consent, list, get, edit.

mod types;

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{RawResponse, Request, Result};
use chrono::Utc;
use serde_json::json;

use crate::client::Client;
use crate::consent::{ConsentStore, ConsentToken, explicit_consent};
use crate::envelope::{Many, One, decode_checked, decode_resource};
use crate::util::{check_digits, check_health_id, digits_value};

use types::ConsentGranted;
pub use types::{Acknowledgement, CreatePatient, EditPatient, Gender, Patient, PatientCreated, PatientMetadata};

/// Patient calls. Get it from [`Client::patients`]; owned, so it can be moved into a task.
///
/// Calls acting on one patient (`get`, `edit`) send the client's stored consent token for that patient
/// when it is valid; [`Patients::with_consent`] sends an explicit one instead.
#[derive(Debug, Clone)]
pub struct Patients {
    client: Client,
    consent: Option<ConsentToken>,
}

impl Patients {
    pub(crate) fn new(client: Client) -> Self {
        Self { client, consent: None }
    }

    /// Uses `token` as `x-consent-token` for the next calls of this handle instead of the stored one.
    pub fn with_consent(mut self, token: ConsentToken) -> Self {
        self.consent = Some(token);
        self
    }

    /// `POST /patients/create`. Returns the existing patient when the NIN is already known. Marked
    /// idempotent (the vendor deduplicates on NIN), so it is retried like a GET.
    ///
    /// ```no_run
    /// use carewire::healthstack::{Client, CreatePatient, Gender};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let dob = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default();
    /// let created = client
    ///     .patients()
    ///     .create(CreatePatient::new("Jane Doe", Gender::Female, dob, "12345678901", "jane@example.com"))
    ///     .await?;
    /// println!("health id {}", created.health_id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, patient: CreatePatient) -> Call<CreatePatient> {
        self.client.send(patient)
    }

    /// `POST /patients/seek-consent`: sends the patient an OTP.
    pub fn seek_consent(&self, health_id: impl Into<String>) -> Call<SeekConsent> {
        self.client.send(SeekConsent::new(health_id))
    }

    /// `POST /patients/consent`: exchanges the patient's OTP (exactly 6 digits) for a consent token, valid
    /// 24 hours. The token is stored in the client's consent store and returned.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::healthstack::Client) -> carewire::Result<()> {
    /// client.patients().seek_consent("HID-NHG869UP").await?;
    /// let token = client.patients().grant_consent("HID-NHG869UP", "123456").await?;
    /// println!("consent until {}", token.expires_at());
    /// let patient = client.patients().get("HID-NHG869UP").await?; // sends the token itself
    /// # let _ = patient; Ok(()) }
    /// ```
    pub fn grant_consent(&self, health_id: impl Into<String>, otp: impl Into<String>) -> Call<GrantConsent> {
        self.client.send(GrantConsent::new(health_id, otp).store_in(self.client.consents().clone()))
    }

    /// `GET /patients/multiple`: every patient of the business (no pagination).
    pub fn list(&self) -> Call<ListPatients> {
        self.client.send(ListPatients)
    }

    /// `GET /patient/single/{health_id}` (singular `patient`, unlike the other patient paths). `data` may
    /// be an object or a one-element array (the vendor's example is ambiguous); both are accepted.
    pub fn get(&self, health_id: impl Into<String>) -> Call<GetPatient> {
        let mut op = GetPatient::new(health_id);
        op.consent.clone_from(&self.consent);
        self.client.send(op)
    }

    /// `PATCH /edit/{health_id}` (the path has no `/patients` prefix): sets metadata pairs.
    pub fn edit(&self, health_id: impl Into<String>, edit: EditPatient) -> Call<EditPatient> {
        let mut op = edit.health_id(health_id);
        if let Some(token) = &self.consent {
            op.consent = Some(token.clone());
        }
        self.client.send(op)
    }
}

impl Operation for CreatePatient {
    type Output = PatientCreated;
    const SPEC: Spec = Spec::post("/patients/create").name("patients.create").json().idempotent(true);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.validate()?;
        Ok(Self::SPEC.request().json(self))
    }

    fn decode(&self, raw: RawResponse) -> Result<PatientCreated> {
        decode_resource(&raw)
    }
}

/// `POST /patients/seek-consent`: asks Healthstack to send the patient an OTP.
#[derive(Clone)]
pub struct SeekConsent {
    health_id: String,
}

impl SeekConsent {
    /// Consent for the patient `health_id` (`HID-...`).
    pub fn new(health_id: impl Into<String>) -> Self {
        Self { health_id: health_id.into() }
    }
}

carewire_core::redacted_debug!(SeekConsent { redact: [health_id] });

impl Operation for SeekConsent {
    type Output = Acknowledgement;
    const SPEC: Spec = Spec::post("/patients/seek-consent").name("patients.seek_consent").json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_health_id("health_id", &self.health_id)?;
        Ok(Self::SPEC.request().json(&json!({ "health_id": self.health_id })))
    }

    fn decode(&self, raw: RawResponse) -> Result<Acknowledgement> {
        let env = decode_checked::<serde_json::Value>(&raw)?;
        Ok(Acknowledgement { success: env.success, status: env.status, message: env.message })
    }
}

/// `POST /patients/consent`: exchanges the patient's OTP for a [`ConsentToken`].
///
/// [`Patients::grant_consent`] stores the token in the client's consent store; a `GrantConsent` sent with
/// `client.send(..)` stores it only when given a store with [`GrantConsent::store_in`]. `Debug` shows
/// neither the health id nor the OTP.
#[derive(Clone)]
pub struct GrantConsent {
    health_id: String,
    otp: String,
    store: Option<ConsentStore>,
}

impl GrantConsent {
    /// Consent for `health_id` with the OTP the patient received (exactly 6 digits).
    pub fn new(health_id: impl Into<String>, otp: impl Into<String>) -> Self {
        Self { health_id: health_id.into(), otp: otp.into(), store: None }
    }

    /// Stores the token in `store` once granted (its clock dates the token).
    pub fn store_in(mut self, store: ConsentStore) -> Self {
        self.store = Some(store);
        self
    }
}

carewire_core::redacted_debug!(GrantConsent { show: [store], redact: [health_id, otp] });

impl Operation for GrantConsent {
    type Output = ConsentToken;
    const SPEC: Spec = Spec::post("/patients/consent").name("patients.grant_consent").json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_health_id("health_id", &self.health_id)?;
        check_digits("otp", &self.otp, 6)?;
        Ok(Self::SPEC.request().json(&json!({ "health_id": self.health_id, "otp": digits_value(&self.otp) })))
    }

    fn decode(&self, raw: RawResponse) -> Result<ConsentToken> {
        let granted: ConsentGranted = decode_resource(&raw)?;
        let now = self.store.as_ref().map_or_else(Utc::now, ConsentStore::now);
        let token = ConsentToken::new(&self.health_id, granted.consent_token, now);
        if let Some(store) = &self.store {
            store.insert(token.clone());
        }
        Ok(token)
    }
}

/// `GET /patients/multiple`: every patient of the business.
#[derive(Clone, Copy, Debug, Default)]
pub struct ListPatients;

impl Operation for ListPatients {
    type Output = Vec<Patient>;
    const SPEC: Spec = Spec::get("/patients/multiple").name("patients.list");

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request())
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<Patient>> {
        decode_resource(&raw).map(|Many(patients)| patients)
    }
}

/// `GET /patient/single/{health_id}`: one patient, with the stored consent token for them (or
/// [`GetPatient::consent`]'s).
///
/// ```
/// use carewire::healthstack::GetPatient;
/// use carewire::Operation;
/// use carewire::core::operation::Encodings;
///
/// let req = GetPatient::new("HID-NHG869UP").request(&Encodings::default())?;
/// assert_eq!(req.render_path()?, "/patient/single/HID-NHG869UP");
/// # Ok::<(), carewire::Error>(())
/// ```
#[derive(Clone)]
pub struct GetPatient {
    health_id: String,
    consent: Option<ConsentToken>,
}

impl GetPatient {
    /// The patient `health_id` (`HID-...`).
    pub fn new(health_id: impl Into<String>) -> Self {
        Self { health_id: health_id.into(), consent: None }
    }

    /// Sends `token` as `x-consent-token` instead of the stored one (it must belong to this patient and
    /// not have expired by the system clock; nothing is sent otherwise).
    pub fn consent(mut self, token: ConsentToken) -> Self {
        self.consent = Some(token);
        self
    }
}

carewire_core::redacted_debug!(GetPatient { show: [consent], redact: [health_id] });

impl Operation for GetPatient {
    type Output = Patient;
    const SPEC: Spec = Spec::get("/patient/single/{health_id}").name("patients.get").scope(Scope::ClientAndSubject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_health_id("health_id", &self.health_id)?;
        let req = Self::SPEC.request().path_param("health_id", &self.health_id).subject(&self.health_id);
        explicit_consent(req, &self.health_id, self.consent.as_ref())
    }

    fn decode(&self, raw: RawResponse) -> Result<Patient> {
        decode_resource(&raw).map(|One(patient)| patient)
    }
}

impl Operation for EditPatient {
    type Output = PatientMetadata;
    const SPEC: Spec = Spec::patch("/edit/{health_id}").name("patients.edit").json().scope(Scope::ClientAndSubject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_health_id("health_id", &self.health_id)?;
        if self.is_empty() {
            return Err(carewire_core::Error::invalid_request("metadata", "must have at least one key"));
        }
        let req = Self::SPEC.request().path_param("health_id", &self.health_id).subject(&self.health_id).json(self);
        explicit_consent(req, &self.health_id, self.consent.as_ref())
    }

    fn decode(&self, raw: RawResponse) -> Result<PatientMetadata> {
        decode_resource(&raw)
    }
}
