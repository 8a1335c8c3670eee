//! Record models: the open [`RecordType`], the request to create a record ([`CreateRecord`], [`Provider`]),
//! and what the API answers ([`RecordCreated`], [`MedicalRecord`]).

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::data::RecordData;
use crate::consent::ConsentToken;
use crate::util::keys;

macro_rules! record_types {
    ($( $variant:ident => $wire:literal [$($alias:literal),*] : $doc:literal ),* $(,)?) => {
        /// A medical record type (`recordType`). Open: unknown values are kept.
        ///
        /// Not a `carewire_core::open_enum!`: that macro matches wire values exactly (ignoring case), while
        /// record types are read ignoring `_`, `-`, spaces and camelCase, with aliases (`lab_results`).
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum RecordType {
            $( #[doc = $doc] $variant, )*
            /// A value this version does not know, as received.
            Unknown(String),
        }

        impl RecordType {
            /// Every known type, in the doc's order (the 18 headings, then `clinical_note` and `note`).
            pub const ALL: &'static [RecordType] = &[$(RecordType::$variant),*];

            /// The value sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(s) => s,
                }
            }

            /// Parses a wire value leniently: case, `-`, spaces and camelCase are ignored, so
            /// `"lab"`, `"lab_results"` and `"labResults"` are all [`RecordType::LabResults`].
            ///
            /// ```
            /// use carewire_healthstack::RecordType;
            /// assert_eq!(RecordType::parse("labResults"), RecordType::LabResults);
            /// assert_eq!(RecordType::parse("Vital Signs"), RecordType::VitalSigns);
            /// assert_eq!(RecordType::parse("x-ray"), RecordType::Unknown("x-ray".into()));
            /// ```
            pub fn parse(s: &str) -> Self {
                let key: String = s.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
                $(
                    if key == $wire.replace('_', "") $( || key == $alias )* {
                        return Self::$variant;
                    }
                )*
                Self::Unknown(s.to_owned())
            }
        }
    };
}

record_types! {
    Diagnosis => "diagnosis" []: "`diagnosis` (the one documented wire name).",
    Prescription => "prescription" []: "`prescription` (named in the vendor's field tables).",
    LabResults => "lab" ["labresults", "labresult"]: "Lab results, sent as `lab` (the vendor's field-table name).",
    VitalSigns => "vital_signs" ["vitals", "vitalsign"]: "Vital signs (`vital_signs`; wire name not documented).",
    Consultation => "consultation" []: "Consultation (`consultation`; wire name not documented).",
    Imaging => "imaging" []: "Imaging (`imaging`; wire name not documented).",
    Surgery => "surgery" []: "Surgery (`surgery`; wire name not documented).",
    Allergy => "allergy" ["allergies"]: "Allergy (`allergy`; wire name not documented).",
    Vaccination => "vaccination" []: "Vaccination (`vaccination`; wire name not documented).",
    Admission => "admission" []: "Admission (`admission`; wire name not documented).",
    Discharge => "discharge" []: "Discharge (`discharge`; wire name not documented).",
    Referral => "referral" []: "Referral (`referral`; wire name not documented).",
    MentalHealth => "mental_health" []: "Mental health (`mental_health`; wire name not documented).",
    ProgressNote => "progress_note" []: "Progress note (`progress_note`; wire name not documented).",
    ConsentForm => "consent_form" []: "Consent form (`consent_form`; wire name not documented).",
    DentalRecord => "dental_record" ["dental"]: "Dental record (`dental_record`; wire name not documented).",
    EyeExam => "eye_exam" ["eyeexamination"]: "Eye exam (`eye_exam`; wire name not documented).",
    EmergencyVisit => "emergency_visit" ["emergency"]: "Emergency visit (`emergency_visit`; wire name not documented).",
    ClinicalNote => "clinical_note" []: "`clinical_note`, accepted on create but matching no documented shape.",
    Note => "note" ["notes"]: "`note`, accepted by the list filter but matching no documented shape.",
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RecordType {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RecordType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(|s| Self::parse(&s))
    }
}

/// Best-effort parse of a record timestamp: `None` when it does not parse. Timestamp formats vary between
/// responses, and many of the vendor's examples are truncated placeholders such as `"2025-07-18T09.."`.
///
/// ```
/// use carewire_healthstack::parse_record_time;
/// assert!(parse_record_time("2025-08-21T00:00:00.000Z").is_some());
/// assert!(parse_record_time("2025-07-18T09..").is_none());
/// ```
pub fn parse_record_time(s: &str) -> Option<DateTime<FixedOffset>> {
    carewire_core::de::parse_datetime(s)
}

/// The provider creating a record: `name` and `nprn` (the Nigerian practitioner registration number) are
/// both required, although the vendor's example request omits them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provider {
    pub(super) name: String,
    pub(super) nprn: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

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

impl fmt::Debug for CreateRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateRecord")
            .field("patient", &"[REDACTED]")
            .field("data", &self.data)
            .field("provider", &self.provider)
            .field("consent", &self.consent)
            .field("extra", &keys(&self.extra))
            .finish()
    }
}

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
#[derive(Clone, Default, Deserialize)]
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

impl fmt::Debug for RecordCreated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordCreated")
            .field("record_id", &self.record_id)
            .field("patient", &self.patient.as_ref().map(|_| "[REDACTED]"))
            .field("created_at", &self.created_at)
            .field("extra", &keys(&self.extra))
            .finish()
    }
}

/// A record as listed by `GET /records/multiple/{healthId}`. That response is undocumented, so every
/// member is optional and the names seen in the create call (`recordId`, `recordType`, `patient`) and
/// their snake_case forms are accepted.
#[derive(Clone)]
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

impl fmt::Debug for MedicalRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MedicalRecord")
            .field("id", &self.id)
            .field("record_type", &self.record_type)
            .field("data", &self.data)
            .field("provider", &self.provider.as_ref().map(|_| "[REDACTED]"))
            .field("patient", &self.patient.as_ref().map(|_| "[REDACTED]"))
            .field("business_id", &self.business_id)
            .field("created_at", &self.created_at)
            .field("extra", &keys(&self.extra))
            .finish()
    }
}

impl<'de> Deserialize<'de> for MedicalRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut map = Map::<String, Value>::deserialize(d)?;
        let mut take = |names: &[&str]| names.iter().find_map(|n| map.remove(*n)).filter(|v| !v.is_null());
        let as_text = |v: Value| match v {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let id = take(&["recordId", "record_id", "id", "_id"]).and_then(as_text);
        let record_type = take(&["recordType", "record_type", "type"]).and_then(as_text).map(|s| RecordType::parse(&s));
        let raw_data = take(&["data", "recordData", "record_data"]).unwrap_or(Value::Null);
        let provider = take(&["provider"]);
        let patient = take(&["patient", "health_id", "healthId"]).and_then(as_text);
        let business_id = take(&["business_id", "businessId"]).and_then(as_text);
        let created_at = take(&["created_at", "createdAt"]).and_then(as_text);
        let data = RecordData::from_value(record_type.clone().unwrap_or(RecordType::Unknown(String::new())), raw_data);
        Ok(Self { id, record_type, data, provider, patient, business_id, created_at, extra: map })
    }
}
