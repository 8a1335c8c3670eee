//! Patients and consent: create, seek and grant consent, list, get, edit.

use std::fmt;

use carewire_core::{Request, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::consent::ConsentToken;
use crate::envelope::{EnvelopeStatus, Many, One};
use crate::util::{check_health_id, check_not_empty, digits_value, is_digits, keys, redact};

/// A patient's gender. Sent lowercase (`male`, `female`, `other`, the documented values); read
/// case-insensitively, because responses capitalize it (`"Female"`).
#[derive(Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Gender {
    /// `male`.
    Male,
    /// `female`.
    Female,
    /// `other`.
    Other,
    /// A value this version does not know, as received.
    Unknown(String),
}

impl Gender {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
            Self::Other => "other",
            Self::Unknown(s) => s,
        }
    }

    /// Parses a value case-insensitively.
    ///
    /// ```
    /// use carewire_healthstack::Gender;
    /// assert_eq!(Gender::parse("Female"), Gender::Female);
    /// assert_eq!(Gender::parse("x"), Gender::Unknown("x".into()));
    /// ```
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "male" | "m" => Self::Male,
            "female" | "f" => Self::Female,
            "other" => Self::Other,
            _ => Self::Unknown(s.to_owned()),
        }
    }
}

impl fmt::Debug for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl Serialize for Gender {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Gender {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(|s| Self::parse(&s))
    }
}

/// `POST /patients/create`: creates a patient, or returns the existing one with the same NIN.
///
/// Every field is required. The NIN is exactly 11 digits and is sent as a string (a JSON number would lose
/// a leading zero).
///
/// ```
/// use carewire_healthstack::{CreatePatient, Gender};
/// let dob = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
/// let req = CreatePatient::new("Jane Doe", Gender::Female, dob, "12345678901", "jane.doe@email.com");
/// assert!(!format!("{req:?}").contains("Jane"));
/// ```
#[derive(Clone, Serialize)]
pub struct CreatePatient {
    name: String,
    gender: Gender,
    dob: NaiveDate,
    nin: String,
    email: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl CreatePatient {
    /// A patient with all the documented fields.
    pub fn new(
        name: impl Into<String>,
        gender: Gender,
        dob: NaiveDate,
        nin: impl Into<String>,
        email: impl Into<String>,
    ) -> Self {
        Self { name: name.into(), gender, dob, nin: nin.into(), email: email.into(), extra: Map::new() }
    }

    /// Adds a field the doc does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    fn validate(&self, req: &mut Request) {
        check_not_empty(req, "name", &self.name);
        if !is_digits(&self.nin, 11) {
            req.fail("nin", "must be exactly 11 digits");
        }
        if self.email.trim().is_empty() || !self.email.contains('@') {
            req.fail("email", "must be an email address");
        }
        if let Gender::Unknown(g) = &self.gender
            && g.trim().is_empty()
        {
            req.fail("gender", "must not be empty");
        }
    }
}

impl fmt::Debug for CreatePatient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatePatient")
            .field("name", &"[REDACTED]")
            .field("gender", &"[REDACTED]")
            .field("dob", &"[REDACTED]")
            .field("nin", &"[REDACTED]")
            .field("email", &"[REDACTED]")
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The `data` of `POST /patients/create`. It names the patient `name`, where other responses say
/// `full_name`, and carries fewer fields than [`Patient`].
#[derive(Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct PatientCreated {
    /// The patient's health id, `HID-XXXXXXXX`. Required: an answer without it is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub health_id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// National Identification Number (a string; a number is accepted too).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub nin: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Creation time, as sent (formats vary between responses).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for PatientCreated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PatientCreated")
            .field("health_id", &"[REDACTED]")
            .field("name", &redact(self.name.as_ref()))
            .field("nin", &redact(self.nin.as_ref()))
            .field("email", &redact(self.email.as_ref()))
            .field("created_at", &self.created_at)
            .field("extra", &keys(&self.extra))
            .finish()
    }
}

/// A patient as listed and fetched (`GET /patients/multiple`, `GET /patient/single/{health_id}`).
#[derive(Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Patient {
    /// Internal id (a UUID, although the vendor's field table says it looks like `HID-...`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// Full name (`name` in the create response, which is also accepted).
    #[serde(default, alias = "name")]
    pub full_name: Option<String>,
    /// Gender (capitalized in responses: `"Female"`).
    #[serde(default)]
    pub gender: Option<Gender>,
    /// Date of birth as sent (`YYYY-MM-DD`); see [`Patient::dob_date`].
    #[serde(default)]
    pub dob: Option<String>,
    /// Health id. Required: an answer without it is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub health_id: String,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// The business that created the patient.
    #[serde(default)]
    pub business_id: Option<String>,
    /// Creation time, as sent.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last update, as sent.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Free-form metadata (`{}` or `{"key": "value"}`; `null` reads as empty).
    #[serde(default, deserialize_with = "map_or_null")]
    pub metadata: Map<String, Value>,
    /// Vital signs (single-patient responses only; `null` in the vendor's example).
    #[serde(default)]
    pub vital: Option<Value>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Patient {
    /// The date of birth, when it parses as a date.
    pub fn dob_date(&self) -> Option<NaiveDate> {
        self.dob.as_deref().and_then(carewire_core::de::parse_date)
    }
}

impl fmt::Debug for Patient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Patient")
            .field("id", &self.id)
            .field("full_name", &redact(self.full_name.as_ref()))
            .field("gender", &redact(self.gender.as_ref()))
            .field("dob", &redact(self.dob.as_ref()))
            .field("health_id", &"[REDACTED]")
            .field("email", &redact(self.email.as_ref()))
            .field("business_id", &self.business_id)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("metadata", &keys(&self.metadata))
            .field("vital", &redact(self.vital.as_ref()))
            .field("extra", &keys(&self.extra))
            .finish()
    }
}

fn map_or_null<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Map<String, Value>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    })
}

/// `PATCH /edit/{health_id}`: the vendor documents the body as free-form `{Key: Value}` pairs, which the
/// response shows landing in `metadata`. Each pair is sent as a top-level member.
///
/// ```
/// use carewire_healthstack::EditPatient;
/// let edit = EditPatient::new().set("blood_group", "O+").set("genotype", "AA");
/// assert_eq!(edit.len(), 2);
/// ```
#[derive(Clone, Default, Serialize)]
pub struct EditPatient {
    #[serde(flatten)]
    fields: Map<String, Value>,
}

impl EditPatient {
    /// An empty edit (at least one pair is required when sent).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`.
    pub fn set(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.insert(key.into(), value.into());
        self
    }

    /// Same as [`EditPatient::set`], for symmetry with other request types.
    pub fn extra(self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.set(key, value)
    }

    /// How many pairs are set.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether no pair is set.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl fmt::Debug for EditPatient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EditPatient").field("keys", &keys(&self.fields)).finish()
    }
}

/// The `data` of `PATCH /edit/{health_id}`.
#[derive(Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct PatientMetadata {
    /// The patient's metadata after the edit. The member is required (`null` reads as empty): an answer
    /// without it is a decode error.
    #[serde(deserialize_with = "map_or_null")]
    pub metadata: Map<String, Value>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for PatientMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PatientMetadata")
            .field("metadata", &keys(&self.metadata))
            .field("extra", &keys(&self.extra))
            .finish()
    }
}

/// The answer of a call whose response has no `data` (seek consent).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Acknowledgement {
    /// `success`, when present.
    pub success: Option<bool>,
    /// `status`, when present.
    pub status: Option<EnvelopeStatus>,
    /// The vendor's message (not shown by `Debug`).
    pub message: Option<String>,
}

impl fmt::Debug for Acknowledgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Acknowledgement")
            .field("success", &self.success)
            .field("status", &self.status)
            .field("message", &redact(self.message.as_ref()))
            .finish()
    }
}

#[derive(Deserialize)]
struct ConsentGranted {
    #[serde(rename = "consentToken", alias = "consent_token", alias = "token")]
    consent_token: String,
}

/// Patient calls. Get it from [`Client::patients`].
///
/// Calls acting on one patient (`get`, `edit`) send the client's stored consent token for that patient
/// when it is valid; [`Patients::with_consent`] sends an explicit one instead.
#[derive(Debug, Clone)]
pub struct Patients<'a> {
    client: &'a Client,
    consent: Option<ConsentToken>,
}

impl<'a> Patients<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client, consent: None }
    }

    /// Uses `token` as `x-consent-token` for the next calls of this handle instead of the stored one.
    pub fn with_consent(mut self, token: ConsentToken) -> Self {
        self.consent = Some(token);
        self
    }

    /// `POST /patients/create`. Returns the existing patient when the NIN is already known. Marked
    /// idempotent (the vendor deduplicates on NIN), so it is retried like a GET.
    pub async fn create(&self, patient: CreatePatient) -> Result<PatientCreated> {
        let mut req = Request::post("/patients/create").operation("patients.create").json(&patient).idempotent(true);
        patient.validate(&mut req);
        self.client.call(req).await
    }

    /// `POST /patients/seek-consent`: sends the patient an OTP.
    pub async fn seek_consent(&self, health_id: &str) -> Result<Acknowledgement> {
        let mut req = Request::post("/patients/seek-consent")
            .operation("patients.seek_consent")
            .json(&serde_json::json!({ "health_id": health_id }));
        check_health_id(&mut req, "health_id", health_id);
        let env = self.client.call_envelope(req).await?;
        Ok(Acknowledgement { success: env.success, status: env.status, message: env.message })
    }

    /// `POST /patients/consent`: exchanges the patient's OTP (exactly 6 digits) for a consent token, valid
    /// 24 hours. The token is stored in the client's consent store and returned.
    pub async fn grant_consent(&self, health_id: &str, otp: &str) -> Result<ConsentToken> {
        let mut req = Request::post("/patients/consent")
            .operation("patients.grant_consent")
            .json(&serde_json::json!({ "health_id": health_id, "otp": digits_value(otp) }));
        check_health_id(&mut req, "health_id", health_id);
        if !is_digits(otp, 6) {
            req.fail("otp", "must be exactly 6 digits");
        }
        let granted: ConsentGranted = self.client.call(req).await?;
        let token = ConsentToken::new(health_id, granted.consent_token, self.client.consents().now());
        self.client.consents().insert(token.clone());
        Ok(token)
    }

    /// `GET /patients/multiple`: every patient of the business (no pagination).
    pub async fn list(&self) -> Result<Vec<Patient>> {
        let Many(items) = self.client.call(Request::get("/patients/multiple").operation("patients.list")).await?;
        Ok(items)
    }

    /// `GET /patient/single/{health_id}` (singular `patient`, unlike the other patient paths). `data` may
    /// be an object or a one-element array (the vendor's example is ambiguous); both are accepted.
    pub async fn get(&self, health_id: &str) -> Result<Patient> {
        let mut req =
            Request::get("/patient/single/{health_id}").operation("patients.get").path_param("health_id", health_id);
        check_health_id(&mut req, "health_id", health_id);
        let req = self.client.with_consent(req, health_id, self.consent.as_ref())?;
        let One(patient) = self.client.call(req).await?;
        Ok(patient)
    }

    /// `PATCH /edit/{health_id}` (the path has no `/patients` prefix): sets metadata pairs.
    pub async fn edit(&self, health_id: &str, edit: EditPatient) -> Result<PatientMetadata> {
        let mut req = Request::patch("/edit/{health_id}")
            .operation("patients.edit")
            .path_param("health_id", health_id)
            .json(&edit);
        check_health_id(&mut req, "health_id", health_id);
        if edit.is_empty() {
            req.fail("metadata", "must have at least one key");
        }
        let req = self.client.with_consent(req, health_id, self.consent.as_ref())?;
        self.client.call(req).await
    }
}
