//! The aggregate health report of a patient (conditions, medications, allergies, surgeries, personal and
//! pediatric details): `GET /api/v2/patients/{patient_id}/health_conditions`, also the answer of saving a
//! health history. All of it is clinical data: `Debug` shows ids only.

use carewire_core::de::LenientDateTime;
use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::pediatric::opt_yes_no;
use crate::wire::non_empty;
use crate::{Allergy, Medication, PatientMedicalCondition, PatientSession, PediatricProfile};

/// A surgery inside a health report (`year` is text here, unlike the surgeries list).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SurgeryTaken {
    /// The surgery record's id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The surgery (`"Appendectomy"`).
    #[serde(default)]
    pub name: Option<String>,
    /// The year, as text (`"2013"`; a string or a number on the wire).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub year: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(SurgeryTaken { show: [id], redact: [name, year], keys: [extra] });

/// The URL of one size of the patient's photo.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PhotoVersion {
    /// The photo's path or URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(PhotoVersion { redact: [url], keys: [extra] });

/// The patient's photo, in its sizes.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PatientPhoto {
    /// The original's path or URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Medium size.
    #[serde(default)]
    pub medium: Option<PhotoVersion>,
    /// Small size.
    #[serde(default)]
    pub small: Option<PhotoVersion>,
    /// Thumbnail.
    #[serde(default)]
    pub thumb: Option<PhotoVersion>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(PatientPhoto { show: [medium, small, thumb], redact: [url], keys: [extra] });

/// Personal health details of a health report. Members the doc shows only as `null` are raw JSON.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PersonalInfo {
    /// The record's id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The patient's user id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub user_id: Option<String>,
    /// The patient's access code.
    #[serde(default)]
    pub access_code: Option<String>,
    /// Blood type (`"A+"`).
    #[serde(default)]
    pub blood_type: Option<String>,
    /// Whether the patient is an organ donor.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub organ_donor: Option<bool>,
    /// The photo's file name.
    #[serde(default)]
    pub photo_file_name: Option<String>,
    /// The photo's MIME type.
    #[serde(default)]
    pub photo_content_type: Option<String>,
    /// The photo's size in bytes.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub photo_file_size: Option<i64>,
    /// Height, feet part.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub height_feet: Option<i64>,
    /// Height, inches part.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub height_inches: Option<i64>,
    /// Weight in pounds.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub weight: Option<i64>,
    /// Last update, kept as sent.
    #[serde(default)]
    pub updated_at: Option<LenientDateTime>,
    /// Creation, kept as sent.
    #[serde(default)]
    pub created_at: Option<LenientDateTime>,
    /// Status (only `null` in the doc).
    #[serde(default)]
    pub status: Option<Value>,
    /// Birth height (only `null` in the doc).
    #[serde(default)]
    pub birth_height: Option<Value>,
    /// Birth weight (`12.1`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_f64")]
    pub birth_weight: Option<f64>,
    /// Whether the patient is pregnant.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_pregnant: Option<bool>,
    /// Whether the patient is breast feeding.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_breast_feeding: Option<bool>,
    /// Systolic blood pressure (only `null` in the doc).
    #[serde(default)]
    pub systolic_bp: Option<Value>,
    /// Diastolic blood pressure (only `null` in the doc).
    #[serde(default)]
    pub diastolic_bp: Option<Value>,
    /// Head circumference (only `null` in the doc).
    #[serde(default)]
    pub head_circumference: Option<Value>,
    /// Who last updated it (a user id).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub updated_by: Option<String>,
    /// The last menstrual cycle: documented as a date, sent as free text (`"two weeks"`, `"9/19/2016"`).
    #[serde(default)]
    pub menstrual_cycle: Option<String>,
    /// Where the patient would have gone instead (`"Seen my provider in person"`).
    #[serde(default)]
    pub alternate_visit_option: Option<String>,
    /// Whether the patient has a primary care physician.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub do_you_have_primary_care_physician: Option<bool>,
    /// The patient's photo.
    #[serde(default)]
    pub photo: Option<PatientPhoto>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(PersonalInfo {
    show: [id, user_id, updated_by, updated_at, created_at],
    redact: [
        access_code,
        blood_type,
        organ_donor,
        photo_file_name,
        photo_content_type,
        photo_file_size,
        height_feet,
        height_inches,
        weight,
        status,
        birth_height,
        birth_weight,
        is_pregnant,
        is_breast_feeding,
        systolic_bp,
        diastolic_bp,
        head_circumference,
        menstrual_cycle,
        alternate_visit_option,
        do_you_have_primary_care_physician,
        photo,
    ],
    keys: [extra],
});

/// A patient's aggregate health report. The `Yes`/`No` strings MDLIVE sends for the four "has ..." flags
/// decode as booleans.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct HealthReport {
    /// The patient's medical conditions. Required: an answer without it is a decode error.
    pub health_conditions: Vec<PatientMedicalCondition>,
    /// Personal health details.
    #[serde(default)]
    pub personal_info: Option<PersonalInfo>,
    /// Medications.
    #[serde(default)]
    pub evr_medications: Vec<Medication>,
    /// Allergies (without FDB ids).
    #[serde(default)]
    pub allergies: Vec<Allergy>,
    /// Where the report comes from (`"DTC Physician Visit"`).
    #[serde(default)]
    pub source_for_ccd: Option<String>,
    /// Whether the patient takes medications (`"Yes"` on the wire).
    #[serde(default, deserialize_with = "opt_yes_no")]
    pub is_taking_medication: Option<bool>,
    /// Whether the patient has allergies (`"Yes"` on the wire).
    #[serde(default, deserialize_with = "opt_yes_no")]
    pub has_allergies: Option<bool>,
    /// Surgeries reported elsewhere (the doc shows only an empty list).
    #[serde(default)]
    pub external_reported_surgeries: Vec<Value>,
    /// Surgeries the patient had.
    #[serde(default)]
    pub surgeries_taken: Vec<SurgeryTaken>,
    /// Whether the patient had surgeries (`"Yes"` on the wire).
    #[serde(default, deserialize_with = "opt_yes_no")]
    pub had_surgeries: Option<bool>,
    /// Whether the patient has medical conditions (`"Yes"` on the wire).
    #[serde(default, deserialize_with = "opt_yes_no")]
    pub has_medical_conditions: Option<bool>,
    /// The pediatric profile (empty for adults).
    #[serde(default)]
    pub pediatric_profile: Option<PediatricProfile>,
    /// Whether the pediatric profile is complete.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub pediatric_profile_completed: Option<bool>,
    /// Whether the health history step may be skipped.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub skip_health_history: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(HealthReport {
    show: [health_conditions, personal_info, evr_medications, allergies, surgeries_taken, pediatric_profile],
    redact: [
        source_for_ccd,
        is_taking_medication,
        has_allergies,
        external_reported_surgeries,
        had_surgeries,
        has_medical_conditions,
        pediatric_profile_completed,
        skip_health_history,
    ],
    keys: [extra],
});

/// `GET /api/v2/patients/{patient_id}/health_conditions`: the patient's aggregate health report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetHealthConditions {
    patient_id: String,
}

impl GetHealthConditions {
    /// The report of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

impl Operation for GetHealthConditions {
    type Output = HealthReport;
    const SPEC: Spec = Spec::get("/api/v2/patients/{patient_id}/health_conditions")
        .name("health_conditions.get")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<HealthReport> {
        raw.json()
    }
}

/// A patient's health report; from [`PatientSession::health_conditions`].
#[derive(Clone, Debug)]
pub struct HealthConditions {
    session: PatientSession,
}

impl PatientSession {
    /// This patient's aggregate health report.
    pub fn health_conditions(&self) -> HealthConditions {
        HealthConditions { session: self.clone() }
    }
}

impl HealthConditions {
    /// The aggregate report: `GET /api/v2/patients/{patient_id}/health_conditions`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let report = session.health_conditions().get().await?;
    /// println!("{} condition(s), allergies: {:?}", report.health_conditions.len(), report.has_allergies);
    /// # Ok(()) }
    /// ```
    pub fn get(&self) -> Call<GetHealthConditions> {
        self.session.send(GetHealthConditions::new(self.session.patient_id()))
    }
}
