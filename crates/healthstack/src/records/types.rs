//! Record models: the open [`RecordType`], the request to create a record ([`CreateRecord`], [`Provider`]),
//! and what the API answers ([`RecordCreated`], [`MedicalRecord`]).

use chrono::{DateTime, FixedOffset};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::data::RecordData;
use crate::consent::ConsentToken;
use crate::envelope::text;

carewire_core::open_enum! {
    /// A medical record type (`recordType`). Open: unknown values are kept.
    ///
    /// Read ignoring case and surrounding blanks; names of two words are also read with a space, a `-` or
    /// nothing between them (`vital_signs`, `Vital Signs`, `vital-signs`, `vitalSigns`), and a few aliases
    /// are accepted (`lab_results`, `vitals`, `allergies`, `dental`, `emergency`, `notes`).
    ///
    /// ```
    /// use carewire::healthstack::RecordType;
    /// assert_eq!(RecordType::from("labResults"), RecordType::LabResults);
    /// assert_eq!(RecordType::from("Vital Signs"), RecordType::VitalSigns);
    /// assert_eq!(RecordType::LabResults.as_str(), "lab");
    /// assert_eq!(RecordType::from("x-ray"), RecordType::Unknown("x-ray".into()));
    /// ```
    RecordType {
        /// `diagnosis` (the one documented wire name).
        Diagnosis => "diagnosis",
        /// `prescription` (named in the vendor's field tables).
        Prescription => "prescription",
        /// Lab results, sent as `lab` (the vendor's field-table name).
        LabResults => "lab" | "lab_results" | "labresults" | "lab results" | "lab-results"
            | "lab_result" | "labresult" | "lab result" | "lab-result",
        /// Vital signs (`vital_signs`; wire name not documented).
        VitalSigns => "vital_signs" | "vitalsigns" | "vital signs" | "vital-signs" | "vitals"
            | "vital_sign" | "vitalsign" | "vital sign" | "vital-sign",
        /// Consultation (`consultation`; wire name not documented).
        Consultation => "consultation",
        /// Imaging (`imaging`; wire name not documented).
        Imaging => "imaging",
        /// Surgery (`surgery`; wire name not documented).
        Surgery => "surgery",
        /// Allergy (`allergy`; wire name not documented).
        Allergy => "allergy" | "allergies",
        /// Vaccination (`vaccination`; wire name not documented).
        Vaccination => "vaccination",
        /// Admission (`admission`; wire name not documented).
        Admission => "admission",
        /// Discharge (`discharge`; wire name not documented).
        Discharge => "discharge",
        /// Referral (`referral`; wire name not documented).
        Referral => "referral",
        /// Mental health (`mental_health`; wire name not documented).
        MentalHealth => "mental_health" | "mentalhealth" | "mental health" | "mental-health",
        /// Progress note (`progress_note`; wire name not documented).
        ProgressNote => "progress_note" | "progressnote" | "progress note" | "progress-note",
        /// Consent form (`consent_form`; wire name not documented).
        ConsentForm => "consent_form" | "consentform" | "consent form" | "consent-form",
        /// Dental record (`dental_record`; wire name not documented).
        DentalRecord => "dental_record" | "dentalrecord" | "dental record" | "dental-record" | "dental",
        /// Eye exam (`eye_exam`; wire name not documented).
        EyeExam => "eye_exam" | "eyeexam" | "eye exam" | "eye-exam"
            | "eye_examination" | "eyeexamination" | "eye examination" | "eye-examination",
        /// Emergency visit (`emergency_visit`; wire name not documented).
        EmergencyVisit => "emergency_visit" | "emergencyvisit" | "emergency visit" | "emergency-visit"
            | "emergency",
        /// `clinical_note`, accepted on create but matching no documented shape.
        ClinicalNote => "clinical_note" | "clinicalnote" | "clinical note" | "clinical-note",
        /// `note`, accepted by the list filter but matching no documented shape.
        Note => "note" | "notes",
    }
}

impl RecordType {
    /// Every known type, in the doc's order (the 18 headings, then `clinical_note` and `note`).
    pub const ALL: &'static [RecordType] = &[
        Self::Diagnosis,
        Self::Prescription,
        Self::LabResults,
        Self::VitalSigns,
        Self::Consultation,
        Self::Imaging,
        Self::Surgery,
        Self::Allergy,
        Self::Vaccination,
        Self::Admission,
        Self::Discharge,
        Self::Referral,
        Self::MentalHealth,
        Self::ProgressNote,
        Self::ConsentForm,
        Self::DentalRecord,
        Self::EyeExam,
        Self::EmergencyVisit,
        Self::ClinicalNote,
        Self::Note,
    ];

    /// Reads a wire value, the same way as `RecordType::from(s)` (see the type's documentation).
    pub fn parse(s: &str) -> Self {
        Self::from(s)
    }
}

/// Best-effort parse of a record timestamp: `None` when it does not parse. Timestamp formats vary between
/// responses, and many of the vendor's examples are truncated placeholders such as `"2025-07-18T09.."`.
///
/// ```
/// use carewire::healthstack::parse_record_time;
/// assert!(parse_record_time("2025-08-21T00:00:00.000Z").is_some());
/// assert!(parse_record_time("2025-07-18T09..").is_none());
/// ```
pub fn parse_record_time(s: &str) -> Option<DateTime<FixedOffset>> {
    carewire_core::de::parse_datetime(s)
}

/// The provider creating a record: `name` and `nprn` (the Nigerian practitioner registration number) are
/// both required, although the vendor's example request omits them. `Debug` shows the `nprn`, not the name.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Provider {
    pub(super) name: String,
    pub(super) nprn: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Provider { show: [nprn], redact: [name], keys: [extra] });

impl Provider {
    /// A provider.
    pub fn new(name: impl Into<String>, nprn: impl Into<String>) -> Self {
        Self { name: name.into(), nprn: nprn.into(), extra: Map::new() }
    }

    /// Adds a field the doc does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

/// `POST /records`: a record for a patient. Sends `recordType`, `data`, `provider` and `patient`: the vendor's
/// field table and its example each omit one of the last two, so both are sent.
///
/// It is the operation too; it acts on the patient, so the stored consent token for them is sent
/// ([`CreateRecord::consent`] sends an explicit one instead).
///
/// ```
/// use carewire::healthstack::{CreateRecord, Diagnosis, Provider, RecordData};
/// use carewire::Operation;
/// use carewire::core::operation::Encodings;
///
/// let mut dx = Diagnosis::new();
/// dx.diagnosis = Some("Fever".into());
/// let op = CreateRecord::new("HID-NHG869UP", RecordData::Diagnosis(dx), Provider::new("Dr. Ada", "NPRN-123"));
/// let req = op.request(&Encodings::default())?;
/// assert_eq!(req.render_path()?, "/records");
/// assert!(!format!("{op:?}").contains("Fever"));
/// # Ok::<(), carewire::Error>(())
/// ```
#[derive(Clone)]
pub struct CreateRecord {
    pub(super) patient: String,
    pub(super) data: RecordData,
    pub(super) provider: Provider,
    pub(super) consent: Option<ConsentToken>,
    extra: Map<String, Value>,
}

impl CreateRecord {
    /// A record of `data`'s type for the patient `health_id`.
    pub fn new(health_id: impl Into<String>, data: RecordData, provider: Provider) -> Self {
        Self { patient: health_id.into(), data, provider, consent: None, extra: Map::new() }
    }

    /// Sends `token` as `x-consent-token` instead of the stored one (it must belong to this patient and
    /// not have expired by the system clock; nothing is sent otherwise).
    pub fn consent(mut self, token: ConsentToken) -> Self {
        self.consent = Some(token);
        self
    }

    /// Adds a field the doc does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

carewire_core::redacted_debug!(CreateRecord { show: [data, provider, consent], redact: [patient], keys: [extra] });

impl Serialize for CreateRecord {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = Map::new();
        map.insert("recordType".into(), Value::String(self.data.record_type().as_str().to_owned()));
        map.insert("data".into(), self.data.to_value());
        map.insert("provider".into(), serde_json::to_value(&self.provider).map_err(serde::ser::Error::custom)?);
        map.insert("patient".into(), Value::String(self.patient.clone()));
        for (k, v) in &self.extra {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
        map.serialize(s)
    }
}

/// The `data` of `POST /records`. `Debug` shows neither the patient nor the values of `extra`.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct RecordCreated {
    /// The record id (a UUID). Required: an answer without it is a decode error.
    #[serde(rename = "recordId", alias = "record_id", alias = "id", deserialize_with = "carewire_core::resource::id")]
    pub record_id: String,
    /// The patient's health id.
    #[serde(default)]
    pub patient: Option<String>,
    /// Creation time, as sent.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(RecordCreated { show: [record_id, created_at], redact: [patient], keys: [extra] });

/// A record as listed by `GET /records/multiple/{healthId}`. That response is undocumented, so every
/// member is optional and the names seen in the create call (`recordId`, `recordType`, `patient`) and
/// their snake_case forms are accepted. It serializes with the create call's names (`recordId`,
/// `recordType`, `patient`), which it reads back.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct MedicalRecord {
    /// The record id.
    pub id: Option<String>,
    /// The record type.
    pub record_type: Option<RecordType>,
    /// The typed data ([`RecordData::Unknown`] when the type is unknown or the data does not fit).
    pub data: RecordData,
    /// The provider, as received.
    pub provider: Option<Value>,
    /// The patient's health id.
    pub patient: Option<String>,
    /// The business that created the record (each record is tagged with its source).
    pub business_id: Option<String>,
    /// Creation time, as sent.
    pub created_at: Option<String>,
    /// Fields not named above.
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(MedicalRecord {
    show: [id, record_type, data, business_id, created_at],
    redact: [provider, patient],
    keys: [extra],
});

impl Serialize for MedicalRecord {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let data = self.data.to_value();
        let named = [
            ("recordId", self.id.clone().map(Value::String)),
            ("recordType", self.record_type.as_ref().map(|t| Value::String(t.as_str().to_owned()))),
            ("data", Some(data).filter(|d| !d.is_null())),
            ("provider", self.provider.clone()),
            ("patient", self.patient.clone().map(Value::String)),
            ("business_id", self.business_id.clone().map(Value::String)),
            ("created_at", self.created_at.clone().map(Value::String)),
        ];
        let mut map = s.serialize_map(None)?;
        for (key, value) in &named {
            if let Some(value) = value {
                map.serialize_entry(key, value)?;
            }
        }
        for (key, value) in self.extra.iter().filter(|(k, _)| !named.iter().any(|(n, _)| n == k)) {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for MedicalRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut map = Map::<String, Value>::deserialize(d)?;
        let mut take = |names: &[&str]| names.iter().find_map(|n| map.remove(*n)).filter(|v| !v.is_null());
        let as_text = |v: Value| text(&v);
        let id = take(&["recordId", "record_id", "id", "_id"]).and_then(as_text);
        let record_type = take(&["recordType", "record_type", "type"]).and_then(as_text).map(RecordType::from);
        let raw_data = take(&["data", "recordData", "record_data"]).unwrap_or(Value::Null);
        let provider = take(&["provider"]);
        let patient = take(&["patient", "health_id", "healthId"]).and_then(as_text);
        let business_id = take(&["business_id", "businessId"]).and_then(as_text);
        let created_at = take(&["created_at", "createdAt"]).and_then(as_text);
        let data = RecordData::from_value(record_type.clone().unwrap_or(RecordType::Unknown(String::new())), raw_data);
        Ok(Self { id, record_type, data, provider, patient, business_id, created_at, extra: map })
    }
}
