//! Saving a patient's health history (`POST /api/v2/patients/{patient_id}/health_history`, create or
//! update): the history flags, personal information, allergies, medications, surgeries, conditions and the
//! [`PediatricProfile`]. The answer is the aggregate [`HealthReport`].

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::wire::non_empty;
use crate::{HealthReport, NewAllergy, PatientSession, PediatricKeys, PediatricProfile};

/// Which kinds of history the patient has (the `medical_history` flags, all required). A `true` flag
/// needs at least one entry of that kind in the history.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[allow(clippy::struct_excessive_bools)] // MDLIVE's four independent flags, set one by one
pub struct MedicalHistory {
    allergies: bool,
    medications: bool,
    surgeries: bool,
    medical_conditions: bool,
}

impl MedicalHistory {
    /// No allergies, medications, surgeries or conditions.
    pub fn none() -> Self {
        Self::default()
    }
    /// Whether the patient has allergies.
    #[must_use]
    pub fn allergies(mut self, yes: bool) -> Self {
        self.allergies = yes;
        self
    }
    /// Whether the patient takes medications.
    #[must_use]
    pub fn medications(mut self, yes: bool) -> Self {
        self.medications = yes;
        self
    }
    /// Whether the patient had surgeries.
    #[must_use]
    pub fn surgeries(mut self, yes: bool) -> Self {
        self.surgeries = yes;
        self
    }
    /// Whether the patient has medical conditions.
    #[must_use]
    pub fn medical_conditions(mut self, yes: bool) -> Self {
        self.medical_conditions = yes;
        self
    }
}

/// Height, weight and, for women of 13 and over, pregnancy details (`personal_information`).
#[derive(Clone, PartialEq, Serialize)]
pub struct PersonalInformation {
    height_feet: u8,
    height_inches: u8,
    weight: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_breast_feeding: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_pregnant: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    menstrual_cycle: Option<String>,
}

carewire_core::redacted_debug!(PersonalInformation {
    redact: [height_feet, height_inches, weight, is_breast_feeding, is_pregnant, menstrual_cycle],
});

impl PersonalInformation {
    /// Height in feet and inches (0 to 11) and weight in pounds (all required).
    pub fn new(height_feet: u8, height_inches: u8, weight_lbs: u16) -> Self {
        Self {
            height_feet,
            height_inches,
            weight: weight_lbs,
            is_breast_feeding: None,
            is_pregnant: None,
            menstrual_cycle: None,
        }
    }
    /// Whether the patient is pregnant (required for women of 13 and over).
    #[must_use]
    pub fn pregnant(mut self, yes: bool) -> Self {
        self.is_pregnant = Some(yes);
        self
    }
    /// Whether the patient is breast feeding (required for women of 13 and over).
    #[must_use]
    pub fn breast_feeding(mut self, yes: bool) -> Self {
        self.is_breast_feeding = Some(yes);
        self
    }
    /// The last menstrual cycle, as MDLIVE takes it (the doc's example: `"9/19/2016"`).
    #[must_use]
    pub fn menstrual_cycle(mut self, text: impl Into<String>) -> Self {
        self.menstrual_cycle = Some(text.into());
        self
    }
    /// The date of the last menstrual cycle, sent as the doc's example writes it (`9/19/2016`).
    #[must_use]
    pub fn menstrual_cycle_date(self, date: chrono::NaiveDate) -> Self {
        self.menstrual_cycle(date.format("%-m/%-d/%Y").to_string())
    }
}

/// A medication of the health history.
#[derive(Clone, PartialEq, Serialize)]
pub struct HistoryMedication {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    frequency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    med_id: Option<String>,
}

carewire_core::redacted_debug!(HistoryMedication { show: [med_id], redact: [name, current, frequency] });

impl HistoryMedication {
    /// A medication by name.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), current: None, frequency: None, med_id: None }
    }
    /// Whether the patient currently takes it.
    #[must_use]
    pub fn current(mut self, yes: bool) -> Self {
        self.current = Some(yes);
        self
    }
    /// How often (`"twice daily"`), free text.
    #[must_use]
    pub fn frequency(mut self, text: impl Into<String>) -> Self {
        self.frequency = Some(text.into());
        self
    }
    /// MDLIVE's medication id (from the medication search).
    #[must_use]
    pub fn med_id(mut self, id: impl Into<String>) -> Self {
        self.med_id = Some(id.into());
        self
    }
}

/// A surgery of the health history.
#[derive(Clone, PartialEq, Serialize)]
pub struct HistorySurgery {
    name: String,
    surgery_year: Value,
}

carewire_core::redacted_debug!(HistorySurgery { redact: [name, surgery_year] });

impl HistorySurgery {
    /// A surgery by name (best from the surgery names list) in a four-digit year.
    pub fn new(name: impl Into<String>, year: u16) -> Self {
        Self { name: name.into(), surgery_year: Value::from(year) }
    }
    /// A surgery whose year the patient does not know (sent as a blank year).
    pub fn year_unknown(name: impl Into<String>) -> Self {
        Self { name: name.into(), surgery_year: Value::from("") }
    }
}

/// A medical condition of the health history.
#[derive(Clone, PartialEq, Serialize)]
pub struct HistoryCondition {
    condition: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    concept_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snomed: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    icd10: Option<String>,
}

carewire_core::redacted_debug!(HistoryCondition { redact: [condition, source, concept_id, snomed, icd10] });

impl HistoryCondition {
    /// A condition by name (best from the clinical concepts search).
    pub fn new(condition: impl Into<String>) -> Self {
        Self { condition: condition.into(), source: None, concept_id: None, snomed: None, icd10: None }
    }
    /// Who reports it (the doc sends `"Self Reported"`).
    #[must_use]
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }
    /// The clinical concept id.
    #[must_use]
    pub fn concept_id(mut self, id: impl Into<String>) -> Self {
        self.concept_id = Some(id.into());
        self
    }
    /// The SNOMED code.
    #[must_use]
    pub fn snomed(mut self, code: impl Into<String>) -> Self {
        self.snomed = Some(code.into());
        self
    }
    /// The ICD-10 code.
    #[must_use]
    pub fn icd10(mut self, code: impl Into<String>) -> Self {
        self.icd10 = Some(code.into());
        self
    }
}

/// A health history to save (`health_history`): MDLIVE creates it or updates it.
///
/// ```
/// use carewire::mdlive::{HistoryMedication, MedicalHistory, NewHealthHistory, PersonalInformation};
///
/// let history = NewHealthHistory::new(MedicalHistory::none().medications(true), PersonalInformation::new(5, 4, 120))
///     .medication(HistoryMedication::new("Hydrocortisone Ace (Topical)").current(true).frequency("twice daily"));
/// assert!(history.validate().is_ok());
/// ```
#[derive(Clone, Debug)]
pub struct NewHealthHistory {
    medical_history: MedicalHistory,
    personal_information: PersonalInformation,
    allergies: Vec<NewAllergy>,
    medications: Vec<HistoryMedication>,
    surgeries: Vec<HistorySurgery>,
    conditions: Vec<HistoryCondition>,
    pediatric_profile: Option<PediatricProfile>,
    pediatric_keys: PediatricKeys,
}

impl NewHealthHistory {
    /// A history with its flags and personal information (both required) and no entries yet.
    pub fn new(medical_history: MedicalHistory, personal_information: PersonalInformation) -> Self {
        Self {
            medical_history,
            personal_information,
            allergies: Vec::new(),
            medications: Vec::new(),
            surgeries: Vec::new(),
            conditions: Vec::new(),
            pediatric_profile: None,
            pediatric_keys: PediatricKeys::Display,
        }
    }
    /// Adds an allergy (`allergy[]`; its FDB id, if any, is sent too).
    #[must_use]
    pub fn allergy(mut self, allergy: NewAllergy) -> Self {
        self.allergies.push(allergy);
        self
    }
    /// Adds a medication (`medication[]`).
    #[must_use]
    pub fn medication(mut self, medication: HistoryMedication) -> Self {
        self.medications.push(medication);
        self
    }
    /// Adds a surgery (`surgery[]`).
    #[must_use]
    pub fn surgery(mut self, surgery: HistorySurgery) -> Self {
        self.surgeries.push(surgery);
        self
    }
    /// Adds a medical condition (`medical_condition[]`).
    #[must_use]
    pub fn medical_condition(mut self, condition: HistoryCondition) -> Self {
        self.conditions.push(condition);
        self
    }
    /// The pediatric profile (required for children under 13).
    #[must_use]
    pub fn pediatric_profile(mut self, profile: PediatricProfile) -> Self {
        self.pediatric_profile = Some(profile);
        self
    }
    /// How the pediatric profile's keys are sent (display strings unless told otherwise).
    #[must_use]
    pub fn pediatric_keys(mut self, keys: PediatricKeys) -> Self {
        self.pediatric_keys = keys;
        self
    }

    /// Checks MDLIVE's rules: each `true` flag has entries of its kind; names, conditions and allergies are
    /// valid; inches are 0 to 11 and the weight is positive; surgery years have four digits; the pediatric
    /// texts fit in 255 characters and `Last shot` is there when immunizations are not up to date.
    ///
    /// # Errors
    ///
    /// [`carewire::Error::InvalidRequest`](carewire_core::Error::InvalidRequest) naming the field.
    pub fn validate(&self) -> Result<()> {
        let flags = &self.medical_history;
        for (flag, field, empty) in [
            (flags.allergies, "health_history.allergy", self.allergies.is_empty()),
            (flags.medications, "health_history.medication", self.medications.is_empty()),
            (flags.surgeries, "health_history.surgery", self.surgeries.is_empty()),
            (flags.medical_conditions, "health_history.medical_condition", self.conditions.is_empty()),
        ] {
            if flag && empty {
                return Err(Error::invalid_request(field, "is required when its medical_history flag is true"));
            }
        }
        let info = &self.personal_information;
        if info.height_inches > 11 {
            return Err(Error::invalid_request("health_history.personal_information.height_inches", "must be 0 to 11"));
        }
        if info.weight == 0 {
            return Err(Error::invalid_request("health_history.personal_information.weight", "must be positive"));
        }
        for (i, allergy) in self.allergies.iter().enumerate() {
            allergy.validate(&format!("health_history.allergy[{i}]"))?;
        }
        for (i, medication) in self.medications.iter().enumerate() {
            non_empty(format!("health_history.medication[{i}].name"), &medication.name)?;
        }
        for (i, surgery) in self.surgeries.iter().enumerate() {
            non_empty(format!("health_history.surgery[{i}].name"), &surgery.name)?;
            if surgery.surgery_year.as_u64().is_some_and(|y| !(1000..=9999).contains(&y)) {
                return Err(Error::invalid_request(
                    format!("health_history.surgery[{i}].surgery_year"),
                    "must be a four-digit year",
                ));
            }
        }
        for (i, condition) in self.conditions.iter().enumerate() {
            non_empty(format!("health_history.medical_condition[{i}].condition"), &condition.condition)?;
        }
        if let Some(profile) = &self.pediatric_profile {
            profile.validate()?;
        }
        Ok(())
    }

    fn body(&self) -> Result<Value> {
        let mut history = Map::new();
        history.insert("medical_history".into(), serde_json::json!(self.medical_history));
        history.insert("personal_information".into(), serde_json::json!(self.personal_information));
        if !self.allergies.is_empty() {
            history.insert("allergy".into(), serde_json::json!(self.allergies));
        }
        if !self.medications.is_empty() {
            history.insert("medication".into(), serde_json::json!(self.medications));
        }
        if !self.surgeries.is_empty() {
            history.insert("surgery".into(), serde_json::json!(self.surgeries));
        }
        if !self.conditions.is_empty() {
            history.insert("medical_condition".into(), serde_json::json!(self.conditions));
        }
        if let Some(profile) = &self.pediatric_profile {
            history.insert("pediatric_profile".into(), profile.to_wire(self.pediatric_keys)?);
        }
        Ok(serde_json::json!({ "health_history": history }))
    }
}

/// `POST /api/v2/patients/{patient_id}/health_history`: creates or updates the health history; answers with
/// the aggregate [`HealthReport`]. Not retried once it may have reached MDLIVE.
#[derive(Clone, Debug)]
pub struct CreateHealthHistory {
    patient_id: String,
    history: NewHealthHistory,
}

impl CreateHealthHistory {
    /// Saves `history` for the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, history: NewHealthHistory) -> Self {
        Self { patient_id: patient_id.into(), history }
    }
}

impl Operation for CreateHealthHistory {
    type Output = HealthReport;
    const SPEC: Spec = Spec::post("/api/v2/patients/{patient_id}/health_history")
        .name("health_history.create")
        .scope(Scope::Subject)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.history.validate()?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&self.history.body()?))
    }

    fn decode(&self, raw: RawResponse) -> Result<HealthReport> {
        raw.json()
    }
}

/// A patient's health history; from [`PatientSession::health_history`].
#[derive(Clone, Debug)]
pub struct HealthHistory {
    session: PatientSession,
}

impl PatientSession {
    /// This patient's health history.
    pub fn health_history(&self) -> HealthHistory {
        HealthHistory { session: self.clone() }
    }
}

impl HealthHistory {
    /// Creates or updates the health history: `POST /api/v2/patients/{patient_id}/health_history`.
    ///
    /// ```no_run
    /// use carewire::mdlive::{
    ///     AllergySeverity, MedicalHistory, NewAllergy, NewHealthHistory, PediatricProfile, PersonalInformation,
    /// };
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let mut child = PediatricProfile::default();
    /// child.immunization_up_to_date = Some(true);
    /// child.siblings = Some(false);
    /// child.current_weight_in_lbs = Some(40);
    /// let report = session
    ///     .health_history()
    ///     .create(
    ///         NewHealthHistory::new(MedicalHistory::none().allergies(true), PersonalInformation::new(3, 6, 40))
    ///             .allergy(NewAllergy::new("Bee Pollen", AllergySeverity::Severe, "Sneezing and Coughing"))
    ///             .pediatric_profile(child),
    ///     )
    ///     .await?;
    /// println!("{} allerg(ies) on file", report.allergies.len());
    /// # Ok(()) }
    /// ```
    pub fn create(&self, history: NewHealthHistory) -> Call<CreateHealthHistory> {
        self.session.send(CreateHealthHistory::new(self.session.patient_id(), history))
    }
}
