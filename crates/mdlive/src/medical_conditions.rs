//! A patient's medical conditions: create, delete and list (`/api/v1/patients/{patient_id}/medical_conditions`).
//! The condition model is also what the health conditions report lists.

use carewire_core::de::LenientDateTime;
use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::wire::non_empty;
use crate::{ClinicalConcept, PatientSession};

/// A medical condition on a patient's record.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MedicalCondition {
    /// The condition record's id (what [`MedicalConditions::delete`] takes). The create answer always has
    /// it; list items in MDLIVE's examples sometimes lack it.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The condition (`"Throat Pain"`).
    #[serde(default)]
    pub condition: Option<String>,
    /// Who reported it (`"Self Reported"`, or a provider's name).
    #[serde(default)]
    pub source: Option<String>,
    /// The clinical concept id, as text (MDLIVE sends a string, a number or `null`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub concept_id: Option<String>,
    /// The SNOMED CT code, as text (a string, a number or `null`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub snomed: Option<String>,
    /// The ICD-10 code (`"R07.0"`).
    #[serde(default)]
    pub icd10: Option<String>,
    /// When it was reported (`2017-11-13T15:47:40.000-05:00`; the text is kept, `.parse()` reads it).
    #[serde(default)]
    pub date_reported: Option<LenientDateTime>,
    /// When it was last updated.
    #[serde(default)]
    pub last_updated_date: Option<LenientDateTime>,
    /// Whether the condition is active.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub active: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(MedicalCondition {
    show: [id, date_reported, last_updated_date, active],
    redact: [condition, source, concept_id, snomed, icd10],
    keys: [extra],
});

/// A condition with the patient it belongs to, as MDLIVE returns them (`{"patient_id", "medical_condition"}`).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PatientMedicalCondition {
    /// The patient's id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub patient_id: Option<String>,
    /// The condition. Required.
    pub medical_condition: MedicalCondition,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(PatientMedicalCondition { show: [patient_id, medical_condition], keys: [extra] });

/// A condition to add to a patient's record: the body of
/// `POST /api/v1/patients/{patient_id}/medical_conditions`.
///
/// # Examples
///
/// ```
/// use carewire::mdlive::NewMedicalCondition;
///
/// let condition = NewMedicalCondition::new("Throat Pain")
///     .source("Self Reported")
///     .concept_id("64")
///     .snomed("267102003")
///     .icd10("R07.0");
/// assert!(condition.validate().is_ok());
/// assert!(NewMedicalCondition::new(" ").validate().is_err());
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct NewMedicalCondition {
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

carewire_core::redacted_debug!(NewMedicalCondition { redact: [condition, source, concept_id, snomed, icd10] });

impl NewMedicalCondition {
    /// A condition by name (required).
    pub fn new(condition: impl Into<String>) -> Self {
        Self { condition: condition.into(), ..Self::default() }
    }

    /// A self-reported condition from a [clinical concept](ClinicalConcept): its title, concept id, SNOMED
    /// and ICD-10 codes.
    ///
    /// ```
    /// use carewire::mdlive::{ClinicalConcept, NewMedicalCondition};
    ///
    /// let concept: ClinicalConcept = serde_json::from_str(
    ///     r#"{"concept_id": 64, "title": "Throat Pain", "icd10": "R07.0", "snomed": "267102003"}"#,
    /// )?;
    /// assert_eq!(
    ///     NewMedicalCondition::from_concept(&concept),
    ///     NewMedicalCondition::new("Throat Pain").source("Self Reported").concept_id("64").snomed("267102003").icd10("R07.0"),
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_concept(concept: &ClinicalConcept) -> Self {
        Self {
            condition: concept.title.clone().unwrap_or_default(),
            source: Some("Self Reported".to_owned()),
            concept_id: Some(concept.concept_id.clone()),
            snomed: concept.snomed.clone(),
            icd10: concept.icd10.clone(),
        }
    }

    /// Who reports it (MDLIVE's value for the patient is `"Self Reported"`).
    #[must_use]
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The clinical concept id (from [clinical concepts](crate::ClinicalConcepts::search)).
    #[must_use]
    pub fn concept_id(mut self, concept_id: impl Into<String>) -> Self {
        self.concept_id = Some(concept_id.into());
        self
    }

    /// The SNOMED CT code.
    #[must_use]
    pub fn snomed(mut self, snomed: impl Into<String>) -> Self {
        self.snomed = Some(snomed.into());
        self
    }

    /// The ICD-10 code.
    #[must_use]
    pub fn icd10(mut self, icd10: impl Into<String>) -> Self {
        self.icd10 = Some(icd10.into());
        self
    }

    /// Checks what can be checked before sending: the condition must not be empty.
    pub fn validate(&self) -> Result<()> {
        non_empty("medical_condition.condition", &self.condition)
    }
}

/// Medical condition operations for one patient; from [`PatientSession::medical_conditions`].
#[derive(Clone, Debug)]
pub struct MedicalConditions {
    session: PatientSession,
}

impl PatientSession {
    /// The patient's medical conditions.
    pub fn medical_conditions(&self) -> MedicalConditions {
        MedicalConditions { session: self.clone() }
    }
}

impl MedicalConditions {
    /// Adds a condition: `POST /api/v1/patients/{patient_id}/medical_conditions`. Not retried once it may
    /// have reached MDLIVE.
    ///
    /// ```no_run
    /// use carewire::mdlive::{NewMedicalCondition, PatientSession};
    ///
    /// # async fn run(session: PatientSession) -> carewire::Result<()> {
    /// let concepts = session.clinical_concepts().search("throat").await?;
    /// if let Some(concept) = concepts.first() {
    ///     let added = session.medical_conditions().create(NewMedicalCondition::from_concept(concept)).await?;
    ///     println!("condition {:?}", added.medical_condition.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn create(&self, condition: NewMedicalCondition) -> Call<CreateMedicalCondition> {
        self.session.send(CreateMedicalCondition::new(self.session.patient_id(), condition))
    }

    /// Removes a condition: `DELETE /api/v1/patients/{patient_id}/medical_conditions/{medical_condition_id}`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.medical_conditions().delete("123").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, medical_condition_id: impl Into<String>) -> Call<DeleteMedicalCondition> {
        self.session.send(DeleteMedicalCondition::new(self.session.patient_id(), medical_condition_id))
    }

    /// The patient's conditions: `GET /api/v1/patients/{patient_id}/medical_conditions`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for entry in session.medical_conditions().list().await? {
    ///     println!("{:?} active: {:?}", entry.medical_condition.id, entry.medical_condition.active);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> Call<ListMedicalConditions> {
        self.session.send(ListMedicalConditions::new(self.session.patient_id()))
    }
}

/// `POST /api/v1/patients/{patient_id}/medical_conditions`: adds a condition. The answer is the condition
/// with its patient id (no outer wrapper); one without the condition's id is an error.
#[derive(Clone, Debug)]
pub struct CreateMedicalCondition {
    patient_id: String,
    condition: NewMedicalCondition,
}

impl CreateMedicalCondition {
    /// Adds `condition` to patient `patient_id`'s record.
    pub fn new(patient_id: impl Into<String>, condition: NewMedicalCondition) -> Self {
        Self { patient_id: patient_id.into(), condition }
    }
}

#[derive(Serialize)]
struct ConditionBody<'a> {
    medical_condition: &'a NewMedicalCondition,
}

impl Operation for CreateMedicalCondition {
    type Output = PatientMedicalCondition;
    const SPEC: Spec = Spec::post("/api/v1/patients/{patient_id}/medical_conditions")
        .name("medical_conditions.create")
        .scope(Scope::Subject)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.condition.validate()?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .json(&ConditionBody { medical_condition: &self.condition }))
    }

    fn decode(&self, raw: RawResponse) -> Result<PatientMedicalCondition> {
        let created: PatientMedicalCondition = raw.json()?;
        if created.medical_condition.id.is_none() {
            let err = carewire_core::resource::missing(raw.meta.status, "medical_condition", "id", &raw.body);
            return Err(raw.attach_context(err));
        }
        Ok(created)
    }
}

/// `DELETE /api/v1/patients/{patient_id}/medical_conditions/{medical_condition_id}`: removes a condition.
/// MDLIVE documents no answer body; any 2xx is success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteMedicalCondition {
    patient_id: String,
    medical_condition_id: String,
}

impl DeleteMedicalCondition {
    /// Removes condition `medical_condition_id` from patient `patient_id`'s record.
    pub fn new(patient_id: impl Into<String>, medical_condition_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), medical_condition_id: medical_condition_id.into() }
    }
}

impl Operation for DeleteMedicalCondition {
    type Output = ();
    const SPEC: Spec = Spec::delete("/api/v1/patients/{patient_id}/medical_conditions/{medical_condition_id}")
        .name("medical_conditions.delete")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("medical_condition_id", &self.medical_condition_id)?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .path_param("medical_condition_id", &self.medical_condition_id))
    }

    fn decode(&self, _raw: RawResponse) -> Result<()> {
        Ok(())
    }
}

/// `GET /api/v1/patients/{patient_id}/medical_conditions`: the patient's conditions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListMedicalConditions {
    patient_id: String,
}

impl ListMedicalConditions {
    /// Patient `patient_id`'s conditions.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

#[derive(Deserialize)]
struct ConditionList {
    medical_conditions: Vec<PatientMedicalCondition>,
}

impl Operation for ListMedicalConditions {
    type Output = Vec<PatientMedicalCondition>;
    const SPEC: Spec = Spec::get("/api/v1/patients/{patient_id}/medical_conditions")
        .name("medical_conditions.list")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<PatientMedicalCondition>> {
        raw.json::<ConditionList>().map(|l| l.medical_conditions)
    }
}
