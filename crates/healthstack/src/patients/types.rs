//! Patient models: [`Gender`], the requests to create and edit a patient, and what the API answers.

use std::fmt;

use carewire_core::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::consent::ConsentToken;
use crate::envelope::EnvelopeStatus;
use crate::util::{check_digits, check_not_empty, keys, redact};

/// A patient's gender. Sent lowercase (`male`, `female`, `other`, the documented values); read
/// case-insensitively, because responses capitalize it (`"Female"`).
///
/// Written by hand rather than with `carewire_core::open_enum!`: a gender is patient data, so `Debug`
/// shows `[REDACTED]` (the macro derives a `Debug` that prints the variant), and parsing also accepts the
/// one-letter `m`/`f` forms.
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
/// use carewire::healthstack::{CreatePatient, Gender};
/// let dob = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
/// let req = CreatePatient::new("Jane Doe", Gender::Female, dob, "12345678901", "jane.doe@email.com");
/// assert!(req.validate().is_ok());
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

    /// Checks what can be checked before sending (the error names the field, never the value): `name`
    /// not blank, `nin` exactly 11 digits, `email` an address, `gender` not blank.
    pub fn validate(&self) -> Result<()> {
        check_not_empty("name", &self.name)?;
        check_digits("nin", &self.nin, 11)?;
        if self.email.trim().is_empty() || !self.email.contains('@') {
            return Err(Error::invalid_request("email", "must be an email address"));
        }
        if let Gender::Unknown(g) = &self.gender {
            check_not_empty("gender", g)?;
        }
        Ok(())
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
/// It is the operation too: [`Patients::edit`](crate::Patients::edit) sets the patient, or
/// [`EditPatient::health_id`] does before `client.send(..)`. It acts on the patient, so the stored consent
/// token for them is sent; [`EditPatient::consent`] sends an explicit one instead.
///
/// ```
/// use carewire::healthstack::EditPatient;
/// let edit = EditPatient::new().set("blood_group", "O+").set("genotype", "AA").health_id("HID-NHG869UP");
/// assert_eq!(edit.len(), 2);
/// assert!(!format!("{edit:?}").contains("O+"));
/// ```
#[derive(Clone, Default, Serialize)]
pub struct EditPatient {
    #[serde(skip)]
    pub(super) health_id: String,
    #[serde(skip)]
    pub(super) consent: Option<ConsentToken>,
    #[serde(flatten)]
    fields: Map<String, Value>,
}

impl EditPatient {
    /// An empty edit (at least one pair is required when sent).
    pub fn new() -> Self {
        Self::default()
    }

    /// The patient to edit (`HID-...`); [`Patients::edit`](crate::Patients::edit) sets it for you.
    pub fn health_id(mut self, health_id: impl Into<String>) -> Self {
        self.health_id = health_id.into();
        self
    }

    /// Sends `token` as `x-consent-token` instead of the stored one (it must belong to this patient and
    /// not have expired by the system clock; nothing is sent otherwise).
    pub fn consent(mut self, token: ConsentToken) -> Self {
        self.consent = Some(token);
        self
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
        f.debug_struct("EditPatient")
            .field("health_id", &"[REDACTED]")
            .field("consent", &self.consent)
            .field("keys", &keys(&self.fields))
            .finish()
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

/// The `data` of `POST /patients/consent`.
#[derive(Deserialize)]
pub(super) struct ConsentGranted {
    #[serde(rename = "consentToken", alias = "consent_token", alias = "token")]
    pub(super) consent_token: String,
}
