//! Patient models: [`Gender`], the requests to create and edit a patient, and what the API answers.

use carewire_core::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::consent::ConsentToken;
use crate::envelope::EnvelopeStatus;
use crate::util::{check_digits, check_not_empty};

carewire_core::open_enum! {
    /// A patient's gender. Sent lowercase (`male`, `female`, `other`, the documented values); read
    /// case-insensitively, because responses capitalize it (`"Female"`), and the one-letter `m`/`f` too.
    /// Patient data: `Debug` shows `[REDACTED]`.
    ///
    /// ```
    /// use carewire::healthstack::Gender;
    /// assert_eq!(Gender::from("Female"), Gender::Female);
    /// assert_eq!(Gender::from("m"), Gender::Male);
    /// assert_eq!(Gender::from("x"), Gender::Unknown("x".into()));
    /// assert_eq!(format!("{:?}", Gender::Female), "[REDACTED]");
    /// ```
    redacted Gender {
        /// `male` (also read as `m`).
        Male => "male" | "m",
        /// `female` (also read as `f`).
        Female => "female" | "f",
        /// `other`.
        Other => "other",
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

carewire_core::redacted_debug!(CreatePatient { redact: [name, gender, dob, nin, email], keys: [extra] });

/// The `data` of `POST /patients/create`. It names the patient `name`, where other responses say
/// `full_name`, and carries fewer fields than [`Patient`].
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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

carewire_core::redacted_debug!(PatientCreated {
    show: [created_at],
    redact: [health_id, name, nin, email],
    keys: [extra],
});

/// A patient as listed and fetched (`GET /patients/multiple`, `GET /patient/single/{health_id}`).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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

carewire_core::redacted_debug!(Patient {
    show: [id, business_id, created_at, updated_at],
    redact: [full_name, gender, dob, health_id, email, vital],
    keys: [metadata, extra],
});

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

carewire_core::redacted_debug!(EditPatient { show: [consent], redact: [health_id], keys: [fields] });

/// The `data` of `PATCH /edit/{health_id}`.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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

carewire_core::redacted_debug!(PatientMetadata { keys: [metadata, extra] });

/// The answer of a call whose response has no `data` (seek consent).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Acknowledgement {
    /// `success`, when present.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub success: Option<bool>,
    /// `status`, when present.
    #[serde(default)]
    pub status: Option<EnvelopeStatus>,
    /// The vendor's message (not shown by `Debug`).
    #[serde(default)]
    pub message: Option<String>,
}

carewire_core::redacted_debug!(Acknowledgement { show: [success, status], redact: [message] });

/// The `data` of `POST /patients/consent`.
#[derive(Deserialize)]
pub(super) struct ConsentGranted {
    #[serde(rename = "consentToken", alias = "consent_token", alias = "token")]
    pub(super) consent_token: String,
}
