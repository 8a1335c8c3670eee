//! Medical records: create and list. Records are immutable (doc L319, L1146): there is no update or
//! delete call.
//!
//! The doc documents 18 record data shapes (L362-543) but gives a wire `recordType` only for `diagnosis`;
//! its tables add `prescription`, `lab`, `clinical_note` and `note` (H14). [`RecordType`] sends the
//! documented names and snake_case names for the rest, and reads any of them leniently.

use std::fmt;

use carewire_core::{Request, Result};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::consent::ConsentToken;
use crate::envelope::Many;
use crate::util::{check_health_id, check_not_empty, keys};

macro_rules! record_types {
    ($( $variant:ident => $wire:literal [$($alias:literal),*] : $doc:literal ),* $(,)?) => {
        /// A medical record type (`recordType`). Open: unknown values are kept.
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
    Diagnosis => "diagnosis" []: "`diagnosis` (documented, L331).",
    Prescription => "prescription" []: "`prescription` (documented in the tables, L344).",
    LabResults => "lab" ["labresults", "labresult"]: "Lab results, sent as `lab` (the tables' name, L344, L554).",
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
    ClinicalNote => "clinical_note" []: "`clinical_note`, in the create table's enum (L344) but matching no documented shape.",
    Note => "note" ["notes"]: "`note`, in the list filter's enum (L554) but matching no documented shape.",
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

/// Best-effort parse of a record timestamp (many doc values are truncated placeholders such as
/// `"2025-07-18T09.."`, H24): `None` when it does not parse.
///
/// ```
/// use carewire_healthstack::parse_record_time;
/// assert!(parse_record_time("2025-08-21T00:00:00.000Z").is_some());
/// assert!(parse_record_time("2025-07-18T09..").is_none());
/// ```
pub fn parse_record_time(s: &str) -> Option<DateTime<FixedOffset>> {
    carewire_core::de::parse_datetime(s)
}

macro_rules! record_struct {
    ($(#[$meta:meta])* $name:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $wire:literal ),* $(,)? }) => {
        $(#[$meta])*
        ///
        /// Every field is optional (the doc states no requiredness); values stay strings, units included.
        /// `Debug` shows only which fields are set (record data is patient data).
        #[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $wire, default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            /// Fields the doc does not list.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
        }

        impl $name {
            /// An empty value; set the public fields.
            pub fn new() -> Self {
                Self::default()
            }

            /// Adds a field the doc does not list.
            pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
                self.extra.insert(key.into(), value.into());
                self
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut set: Vec<&str> = Vec::new();
                $( if self.$field.is_some() { set.push($wire); } )*
                f.debug_struct(stringify!($name)).field("fields_set", &set).field("extra", &keys(&self.extra)).finish()
            }
        }
    };
}

record_struct!(
    /// A file attached to imaging or a consent form.
    Attachment { /** `fileUrl` (not always a valid URL in the doc). */ file_url: String = "fileUrl", /** `fileName`. */ file_name: String = "fileName" }
);
record_struct!(
    /// One medication of a prescription.
    Medication {
        /** `dosage` ("480mlg"). */ dosage: String = "dosage",
        /** `drugName`. */ drug_name: String = "drugName",
        /** `duration` ("3 days"). */ duration: String = "duration",
        /** `frequency` ("twice daily"). */ frequency: String = "frequency",
    }
);
record_struct!(
    /// One measured parameter of a lab result.
    LabParameter {
        /** `name`. */ name: String = "name",
        /** `value` (a string, "21"). */ value: String = "value",
        /** `normalRange`. */ normal_range: String = "normalRange",
    }
);
record_struct!(
    /// Diagnosis data (L364-370).
    Diagnosis { /** `diagnosis`. */ diagnosis: String = "diagnosis", /** `severity`. */ severity: String = "severity", /** `notes`. */ notes: String = "notes" }
);
record_struct!(
    /// Prescription data (L372-385).
    Prescription {
        /** `medications`. */ medications: Vec<Medication> = "medications",
        /** `prescribedAt`. */ prescribed_at: String = "prescribedAt",
        /** `prescribedBy`. */ prescribed_by: String = "prescribedBy",
    }
);
record_struct!(
    /// Lab results data (L387-400).
    LabResults {
        /** `labName`. */ lab_name: String = "labName",
        /** `testType`. */ test_type: String = "testType",
        /** `testedAt`. */ tested_at: String = "testedAt",
        /** `parameters`. */ parameters: Vec<LabParameter> = "parameters",
    }
);
record_struct!(
    /// Vital signs data (L402-410). Measurements keep their units ("76bpm").
    VitalSigns {
        /** `heartRate`. */ heart_rate: String = "heartRate",
        /** `measuredAt`. */ measured_at: String = "measuredAt",
        /** `temperature`. */ temperature: String = "temperature",
        /** `bloodPressure`. */ blood_pressure: String = "bloodPressure",
        /** `respiratoryRate`. */ respiratory_rate: String = "respiratoryRate",
    }
);
record_struct!(
    /// Consultation data (L412-420).
    Consultation {
        /** `date`. */ date: String = "date",
        /** `notes`. */ notes: String = "notes",
        /** `purpose`. */ purpose: String = "purpose",
        /** `duration`. */ duration: String = "duration",
        /** `consultedBy`. */ consulted_by: String = "consultedBy",
    }
);
record_struct!(
    /// Imaging data (L422-434).
    Imaging {
        /** `findings`. */ findings: String = "findings",
        /** `scanType`. */ scan_type: String = "scanType",
        /** `attachments`. */ attachments: Vec<Attachment> = "attachments",
        /** `performedAt`. */ performed_at: String = "performedAt",
    }
);
record_struct!(
    /// Surgery data (L436-443).
    Surgery {
        /** `surgeon`. */ surgeon: String = "surgeon",
        /** `procedure`. */ procedure: String = "procedure",
        /** `surgeryDate`. */ surgery_date: String = "surgeryDate",
        /** `surgicalNotes`. */ surgical_notes: String = "surgicalNotes",
    }
);
record_struct!(
    /// Allergy data (L445-452).
    Allergy {
        /** `notedAt`. */ noted_at: String = "notedAt",
        /** `reaction`. */ reaction: String = "reaction",
        /** `severity`. */ severity: String = "severity",
        /** `substance`. */ substance: String = "substance",
    }
);
record_struct!(
    /// Vaccination data (L454-461).
    Vaccination {
        /** `date`. */ date: String = "date",
        /** `dose`. */ dose: String = "dose",
        /** `vaccine`. */ vaccine: String = "vaccine",
        /** `administeredBy`. */ administered_by: String = "administeredBy",
    }
);
record_struct!(
    /// Admission data (L463-471).
    Admission {
        /** `wardUnit`. */ ward_unit: String = "wardUnit",
        /** `admissionDate`. */ admission_date: String = "admissionDate",
        /** `admissionNotes`. */ admission_notes: String = "admissionNotes",
        /** `admissionReason`. */ admission_reason: String = "admissionReason",
        /** `admittingPhysician`. */ admitting_physician: String = "admittingPhysician",
    }
);
record_struct!(
    /// Discharge data (L473-480).
    Discharge {
        /** `dischargeDate`. */ discharge_date: String = "dischargeDate",
        /** `dischargeStatus`. */ discharge_status: String = "dischargeStatus",
        /** `dischargingPhysician`. */ discharging_physician: String = "dischargingPhysician",
        /** `followUpInstructions`. */ follow_up_instructions: String = "followUpInstructions",
    }
);
record_struct!(
    /// Referral data (L482-490).
    Referral {
        /** `referredTo`. */ referred_to: String = "referredTo",
        /** `referralDate`. */ referral_date: String = "referralDate",
        /** `referralNotes`. */ referral_notes: String = "referralNotes",
        /** `referralReason`. */ referral_reason: String = "referralReason",
        /** `referringPhysician`. */ referring_physician: String = "referringPhysician",
    }
);
record_struct!(
    /// Mental health data (L492-498).
    MentalHealth {
        /** `assessment`. */ assessment: String = "assessment",
        /** `nextSession`. */ next_session: String = "nextSession",
        /** `sessionNotes`. */ session_notes: String = "sessionNotes",
    }
);
record_struct!(
    /// Progress note data (L500-505).
    ProgressNote { /** `update`. */ update: String = "update", /** `reviewDate`. */ review_date: String = "reviewDate" }
);
record_struct!(
    /// Consent form data (L507-519).
    ConsentForm {
        /** `signedAt`. */ signed_at: String = "signedAt",
        /** `signedBy`. */ signed_by: String = "signedBy",
        /** `procedure`. */ procedure: String = "procedure",
        /** `attachments`. */ attachments: Vec<Attachment> = "attachments",
    }
);
record_struct!(
    /// Dental record data (L521-527).
    DentalRecord {
        /** `notes`. */ notes: String = "notes",
        /** `procedure`. */ procedure: String = "procedure",
        /** `performedAt`. */ performed_at: String = "performedAt",
    }
);
record_struct!(
    /// Eye exam data (L529-535).
    EyeExam {
        /** `result`. */ result: String = "result",
        /** `examinedAt`. */ examined_at: String = "examinedAt",
        /** `recommendation`. */ recommendation: String = "recommendation",
    }
);
record_struct!(
    /// Emergency visit data (L537-543).
    EmergencyVisit {
        /** `reason`. */ reason: String = "reason",
        /** `arrivalTime`. */ arrival_time: String = "arrivalTime",
        /** `treatmentGiven`. */ treatment_given: String = "treatmentGiven",
    }
);
record_struct!(
    /// Data of a `clinical_note` or `note` record; the doc shows no shape, so only `notes` is named.
    Note { /** `notes`. */ notes: String = "notes" }
);

macro_rules! record_data {
    ($( $variant:ident ),* $(,)?) => {
        /// The typed `data` of a medical record, one variant per record type.
        ///
        /// `Unknown` keeps the raw JSON of a type this version does not know, or of data that does not fit
        /// its type's shape.
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub enum RecordData {
            $( #[doc = concat!("`", stringify!($variant), "` data.")] $variant($variant), )*
            /// `clinical_note` data.
            ClinicalNote(Note),
            /// `note` data.
            Note(Note),
            /// Any other type, or data that did not decode into its type: kept as received.
            Unknown {
                /// The record type as received.
                record_type: RecordType,
                /// The raw data.
                data: Value,
            },
        }

        impl RecordData {
            /// The record type this data is sent as.
            pub fn record_type(&self) -> RecordType {
                match self {
                    $( Self::$variant(_) => RecordType::$variant, )*
                    Self::ClinicalNote(_) => RecordType::ClinicalNote,
                    Self::Note(_) => RecordType::Note,
                    Self::Unknown { record_type, .. } => record_type.clone(),
                }
            }

            /// The data as JSON.
            pub fn to_value(&self) -> Value {
                let v = match self {
                    $( Self::$variant(d) => serde_json::to_value(d), )*
                    Self::ClinicalNote(d) | Self::Note(d) => serde_json::to_value(d),
                    Self::Unknown { data, .. } => Ok(data.clone()),
                };
                v.unwrap_or(Value::Null)
            }

            /// Decodes `data` as `record_type`; data that does not fit is kept as [`RecordData::Unknown`].
            ///
            /// ```
            /// use carewire_healthstack::{RecordData, RecordType};
            /// let data = serde_json::json!({"diagnosis": "Fever", "severity": "Mild"});
            /// let RecordData::Diagnosis(d) = RecordData::from_value(RecordType::Diagnosis, data) else { panic!() };
            /// assert_eq!(d.diagnosis.as_deref(), Some("Fever"));
            /// ```
            pub fn from_value(record_type: RecordType, data: Value) -> Self {
                let typed = match &record_type {
                    $( RecordType::$variant => serde_json::from_value(data.clone()).ok().map(Self::$variant), )*
                    RecordType::ClinicalNote => serde_json::from_value(data.clone()).ok().map(Self::ClinicalNote),
                    RecordType::Note => serde_json::from_value(data.clone()).ok().map(Self::Note),
                    RecordType::Unknown(_) => None,
                };
                typed.unwrap_or(Self::Unknown { record_type, data })
            }
        }

        impl fmt::Debug for RecordData {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $( Self::$variant(d) => f.debug_tuple(stringify!($variant)).field(d).finish(), )*
                    Self::ClinicalNote(d) => f.debug_tuple("ClinicalNote").field(d).finish(),
                    Self::Note(d) => f.debug_tuple("Note").field(d).finish(),
                    Self::Unknown { record_type, .. } => f
                        .debug_struct("Unknown")
                        .field("record_type", record_type)
                        .field("data", &"[REDACTED]")
                        .finish(),
                }
            }
        }
    };
}

record_data!(
    Diagnosis,
    Prescription,
    LabResults,
    VitalSigns,
    Consultation,
    Imaging,
    Surgery,
    Allergy,
    Vaccination,
    Admission,
    Discharge,
    Referral,
    MentalHealth,
    ProgressNote,
    ConsentForm,
    DentalRecord,
    EyeExam,
    EmergencyVisit,
);

/// The provider creating a record: `name` and `nprn` (the Nigerian practitioner registration number) are
/// both required by the table (L346-348), although the example omits them (H13).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provider {
    name: String,
    nprn: String,
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

/// `POST /records`: a record for a patient. Sends `recordType`, `data`, `provider` and `patient` (H13).
///
/// ```
/// use carewire_healthstack::{CreateRecord, Diagnosis, Provider, RecordData};
/// let mut dx = Diagnosis::new();
/// dx.diagnosis = Some("Fever".into());
/// let req = CreateRecord::new("HID-NHG869UP", RecordData::Diagnosis(dx), Provider::new("Dr. Ada", "NPRN-123"));
/// # let _ = req;
/// ```
#[derive(Clone)]
pub struct CreateRecord {
    patient: String,
    data: RecordData,
    provider: Provider,
    extra: Map<String, Value>,
}

impl CreateRecord {
    /// A record of `data`'s type for the patient `health_id`.
    pub fn new(health_id: impl Into<String>, data: RecordData, provider: Provider) -> Self {
        Self { patient: health_id.into(), data, provider, extra: Map::new() }
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
    /// The business that created the record (records are source-tagged, L1147).
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

/// Filters of `GET /records/multiple/{healthId}`: `recordType`, `from`, `to` (ISO 8601).
#[derive(Clone, Debug, Default)]
pub struct ListRecords {
    record_type: Option<RecordType>,
    from: Option<String>,
    to: Option<String>,
    extra: Vec<(String, String)>,
}

impl ListRecords {
    /// No filter.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only records of this type.
    pub fn record_type(mut self, t: RecordType) -> Self {
        self.record_type = Some(t);
        self
    }

    /// Only records from this time on.
    pub fn from(mut self, from: DateTime<FixedOffset>) -> Self {
        self.from = Some(from.to_rfc3339());
        self
    }

    /// Only records up to this time.
    pub fn to(mut self, to: DateTime<FixedOffset>) -> Self {
        self.to = Some(to.to_rfc3339());
        self
    }

    /// A query parameter the doc does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((key.into(), value.into()));
        self
    }
}

/// Record calls. Get it from [`Client::records`].
///
/// Both calls act on a patient and send the stored consent token for that patient when it is valid;
/// [`Records::with_consent`] sends an explicit one instead.
#[derive(Debug, Clone)]
pub struct Records<'a> {
    client: &'a Client,
    consent: Option<ConsentToken>,
}

impl<'a> Records<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client, consent: None }
    }

    /// Uses `token` as `x-consent-token` for the next calls of this handle instead of the stored one.
    pub fn with_consent(mut self, token: ConsentToken) -> Self {
        self.consent = Some(token);
        self
    }

    /// `POST /records`. Records cannot be changed or deleted once created.
    pub async fn create(&self, record: CreateRecord) -> Result<RecordCreated> {
        let mut req = Request::post("/records").operation("records.create").json(&record);
        check_health_id(&mut req, "patient", &record.patient);
        check_not_empty(&mut req, "provider.name", &record.provider.name);
        check_not_empty(&mut req, "provider.nprn", &record.provider.nprn);
        if let RecordData::Unknown { record_type, .. } = &record.data
            && record_type.as_str().trim().is_empty()
        {
            req.fail("recordType", "must not be empty");
        }
        let req = self.client.with_consent(req, &record.patient, self.consent.as_ref())?;
        self.client.call(req).await
    }

    /// `GET /records/multiple/{healthId}`: the patient's records from all sources.
    pub async fn list(&self, health_id: &str, filter: ListRecords) -> Result<Vec<MedicalRecord>> {
        let mut req = Request::get("/records/multiple/{healthId}")
            .operation("records.list")
            .path_param("healthId", health_id)
            .query_opt("recordType", filter.record_type.as_ref().map(RecordType::as_str))
            .query_opt("from", filter.from.as_deref())
            .query_opt("to", filter.to.as_deref());
        for (k, v) in &filter.extra {
            req = req.query(k.clone(), v);
        }
        check_health_id(&mut req, "health_id", health_id);
        let req = self.client.with_consent(req, health_id, self.consent.as_ref())?;
        let Many(items) = self.client.call(req).await?;
        Ok(items)
    }
}
