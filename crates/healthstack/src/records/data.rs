//! The typed `data` of a record: one struct per documented record shape, and the [`RecordData`] enum
//! over them.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::types::RecordType;

macro_rules! record_struct {
    ($(#[$meta:meta])* $name:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $wire:literal ),* $(,)? }) => {
        $(#[$meta])*
        ///
        /// Every field is optional (the doc states no requiredness); values stay strings, units included.
        /// `Debug` shows only which fields are set (record data is patient data), and the keys of `extra`.
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

        carewire_core::redacted_debug!($name { redact: [$($field),*], keys: [extra] });
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
    /// Diagnosis data.
    Diagnosis { /** `diagnosis`. */ diagnosis: String = "diagnosis", /** `severity`. */ severity: String = "severity", /** `notes`. */ notes: String = "notes" }
);
record_struct!(
    /// Prescription data.
    Prescription {
        /** `medications`. */ medications: Vec<Medication> = "medications",
        /** `prescribedAt`. */ prescribed_at: String = "prescribedAt",
        /** `prescribedBy`. */ prescribed_by: String = "prescribedBy",
    }
);
record_struct!(
    /// Lab results data.
    LabResults {
        /** `labName`. */ lab_name: String = "labName",
        /** `testType`. */ test_type: String = "testType",
        /** `testedAt`. */ tested_at: String = "testedAt",
        /** `parameters`. */ parameters: Vec<LabParameter> = "parameters",
    }
);
record_struct!(
    /// Vital signs data. Measurements keep their units ("76bpm").
    VitalSigns {
        /** `heartRate`. */ heart_rate: String = "heartRate",
        /** `measuredAt`. */ measured_at: String = "measuredAt",
        /** `temperature`. */ temperature: String = "temperature",
        /** `bloodPressure`. */ blood_pressure: String = "bloodPressure",
        /** `respiratoryRate`. */ respiratory_rate: String = "respiratoryRate",
    }
);
record_struct!(
    /// Consultation data.
    Consultation {
        /** `date`. */ date: String = "date",
        /** `notes`. */ notes: String = "notes",
        /** `purpose`. */ purpose: String = "purpose",
        /** `duration`. */ duration: String = "duration",
        /** `consultedBy`. */ consulted_by: String = "consultedBy",
    }
);
record_struct!(
    /// Imaging data.
    Imaging {
        /** `findings`. */ findings: String = "findings",
        /** `scanType`. */ scan_type: String = "scanType",
        /** `attachments`. */ attachments: Vec<Attachment> = "attachments",
        /** `performedAt`. */ performed_at: String = "performedAt",
    }
);
record_struct!(
    /// Surgery data.
    Surgery {
        /** `surgeon`. */ surgeon: String = "surgeon",
        /** `procedure`. */ procedure: String = "procedure",
        /** `surgeryDate`. */ surgery_date: String = "surgeryDate",
        /** `surgicalNotes`. */ surgical_notes: String = "surgicalNotes",
    }
);
record_struct!(
    /// Allergy data.
    Allergy {
        /** `notedAt`. */ noted_at: String = "notedAt",
        /** `reaction`. */ reaction: String = "reaction",
        /** `severity`. */ severity: String = "severity",
        /** `substance`. */ substance: String = "substance",
    }
);
record_struct!(
    /// Vaccination data.
    Vaccination {
        /** `date`. */ date: String = "date",
        /** `dose`. */ dose: String = "dose",
        /** `vaccine`. */ vaccine: String = "vaccine",
        /** `administeredBy`. */ administered_by: String = "administeredBy",
    }
);
record_struct!(
    /// Admission data.
    Admission {
        /** `wardUnit`. */ ward_unit: String = "wardUnit",
        /** `admissionDate`. */ admission_date: String = "admissionDate",
        /** `admissionNotes`. */ admission_notes: String = "admissionNotes",
        /** `admissionReason`. */ admission_reason: String = "admissionReason",
        /** `admittingPhysician`. */ admitting_physician: String = "admittingPhysician",
    }
);
record_struct!(
    /// Discharge data.
    Discharge {
        /** `dischargeDate`. */ discharge_date: String = "dischargeDate",
        /** `dischargeStatus`. */ discharge_status: String = "dischargeStatus",
        /** `dischargingPhysician`. */ discharging_physician: String = "dischargingPhysician",
        /** `followUpInstructions`. */ follow_up_instructions: String = "followUpInstructions",
    }
);
record_struct!(
    /// Referral data.
    Referral {
        /** `referredTo`. */ referred_to: String = "referredTo",
        /** `referralDate`. */ referral_date: String = "referralDate",
        /** `referralNotes`. */ referral_notes: String = "referralNotes",
        /** `referralReason`. */ referral_reason: String = "referralReason",
        /** `referringPhysician`. */ referring_physician: String = "referringPhysician",
    }
);
record_struct!(
    /// Mental health data.
    MentalHealth {
        /** `assessment`. */ assessment: String = "assessment",
        /** `nextSession`. */ next_session: String = "nextSession",
        /** `sessionNotes`. */ session_notes: String = "sessionNotes",
    }
);
record_struct!(
    /// Progress note data.
    ProgressNote { /** `update`. */ update: String = "update", /** `reviewDate`. */ review_date: String = "reviewDate" }
);
record_struct!(
    /// Consent form data.
    ConsentForm {
        /** `signedAt`. */ signed_at: String = "signedAt",
        /** `signedBy`. */ signed_by: String = "signedBy",
        /** `procedure`. */ procedure: String = "procedure",
        /** `attachments`. */ attachments: Vec<Attachment> = "attachments",
    }
);
record_struct!(
    /// Dental record data.
    DentalRecord {
        /** `notes`. */ notes: String = "notes",
        /** `procedure`. */ procedure: String = "procedure",
        /** `performedAt`. */ performed_at: String = "performedAt",
    }
);
record_struct!(
    /// Eye exam data.
    EyeExam {
        /** `result`. */ result: String = "result",
        /** `examinedAt`. */ examined_at: String = "examinedAt",
        /** `recommendation`. */ recommendation: String = "recommendation",
    }
);
record_struct!(
    /// Emergency visit data.
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
            /// use carewire::healthstack::{RecordData, RecordType};
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

        /// No data: [`RecordData::Unknown`] with an empty type and `null` (what a record without a type or
        /// data decodes to).
        impl Default for RecordData {
            fn default() -> Self {
                Self::Unknown { record_type: RecordType::Unknown(String::new()), data: Value::Null }
            }
        }

        // By hand: an enum, each variant's data redacted by its own `Debug`.
        impl fmt::Debug for RecordData {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $( Self::$variant(d) => f.debug_tuple(stringify!($variant)).field(d).finish(), )*
                    Self::ClinicalNote(d) => f.debug_tuple("ClinicalNote").field(d).finish(),
                    Self::Note(d) => f.debug_tuple("Note").field(d).finish(),
                    Self::Unknown { record_type, .. } => f
                        .debug_struct("Unknown")
                        .field("record_type", record_type)
                        .field("data", &format_args!("[REDACTED]"))
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
