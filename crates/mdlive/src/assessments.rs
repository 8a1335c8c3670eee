//! Patient assessments (#7-#10): the questionnaires MDLIVE offers (`GET /api/v1/assessments`, `GET
//! /api/v1/assessments/{assessment_key}`), the ones a provider assigned a patient, and a patient's answers.

use std::collections::BTreeMap;

use carewire_core::de::LenientDateTime;
use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::wire::non_empty;
use crate::{Client, PatientSession};

/// One questionnaire MDLIVE offers (`PHQ-9`, `GAD-7`, `CAGE-AID`).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AssessmentSummary {
    /// Its key (`"PHQ-9"`), the `{assessment_key}` of the other calls.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub key: String,
    /// Its name (`"Depression Screening Test (PHQ-9)"`).
    #[serde(default)]
    pub name: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(AssessmentSummary { show: [key, name], keys: [extra] });

/// One answer a question offers.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AssessmentOption {
    /// The value to answer with (`"0"`), text although numeric.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub value: Option<String>,
    /// What it says (`"Not at all"`).
    #[serde(default)]
    pub text: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(AssessmentOption { show: [value, text], keys: [extra] });

/// One question of a questionnaire.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AssessmentQuestion {
    /// Its form id (`"responses[0]"`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The key its answer goes under in a response (`"0"`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub response_answer_key: Option<String>,
    /// The question.
    #[serde(default)]
    pub text: Option<String>,
    /// The answers it offers.
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub options: Vec<AssessmentOption>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(AssessmentQuestion { show: [id, response_answer_key, text, options], keys: [extra] });

/// A questionnaire with its questions (`GET /api/v1/assessments/{assessment_key}`).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Assessment {
    /// Its key (`"PHQ-9"`).
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub key: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// What it is for.
    #[serde(default)]
    pub description: Option<String>,
    /// What the patient is asked to do.
    #[serde(default)]
    pub instructions: Option<String>,
    /// The questions, in order.
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub questions: Vec<AssessmentQuestion>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Assessment {
    show: [key, name, questions],
    redact: [description, instructions],
    keys: [extra]
});

/// A questionnaire a provider assigned a patient.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AssessmentAssignment {
    /// The questionnaire's key (clinical: hidden by `Debug`).
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub assessment_key: String,
    /// The patient.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub patient_id: Option<String>,
    /// The provider who assigned it.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub provider_id: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(AssessmentAssignment {
    show: [patient_id, provider_id],
    redact: [assessment_key],
    keys: [extra]
});

/// What a response's score means.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AssessmentResults {
    /// A one-line summary (`"Mild Depression Possible"`).
    #[serde(default)]
    pub summary: Option<String>,
    /// The explanation.
    #[serde(default)]
    pub description: Option<String>,
    /// The disclaimer to show with it.
    #[serde(default)]
    pub disclaimer: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(AssessmentResults { redact: [summary, description, disclaimer], keys: [extra] });

/// A patient's scored answers to a questionnaire.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AssessmentResponse {
    /// The response id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The patient.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub patient_id: Option<String>,
    /// The provider who assigned the questionnaire.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub provider_id: Option<String>,
    /// The questionnaire's key.
    #[serde(default)]
    pub assessment_key: Option<String>,
    /// The score (`7`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub numeric_score: Option<i64>,
    /// The score's meaning as a code (`"mild_depression_possible"`).
    #[serde(default)]
    pub text_score: Option<String>,
    /// The answers: `response_answer_key` → chosen option `value`.
    #[serde(default, deserialize_with = "crate::wire::text_map")]
    pub responses: BTreeMap<String, String>,
    /// The score explained.
    #[serde(default)]
    pub results: Option<AssessmentResults>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<LenientDateTime>,
    /// When it was last updated.
    #[serde(default)]
    pub updated_at: Option<LenientDateTime>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(AssessmentResponse {
    show: [id, patient_id, provider_id, created_at, updated_at],
    redact: [assessment_key, numeric_score, text_score, responses, results],
    keys: [extra],
});

/// `GET /api/v1/assessments`: the questionnaires MDLIVE offers (with the API token or a patient's).
///
/// ```no_run
/// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
/// let all = client.send(carewire::mdlive::ListAssessments::new()).await?;
/// # let _ = all; Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListAssessments;

impl ListAssessments {
    /// The operation.
    pub fn new() -> Self {
        Self
    }
}

impl Operation for ListAssessments {
    type Output = Vec<AssessmentSummary>;
    const SPEC: Spec = Spec::get("/api/v1/assessments").name("assessments.list").scope(Scope::SubjectOrClient);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request())
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<AssessmentSummary>> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(deserialize_with = "carewire_core::de::one_or_many")]
            assessments: Vec<AssessmentSummary>,
        }
        raw.json::<Envelope>().map(|e| e.assessments)
    }
}

/// `GET /api/v1/assessments/{assessment_key}`: one questionnaire with its questions.
///
/// ```no_run
/// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
/// let gad7 = session.send(carewire::mdlive::GetAssessment::new("GAD-7")).await?;
/// println!("{} questions", gad7.questions.len());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetAssessment {
    key: String,
}

impl GetAssessment {
    /// The questionnaire `key` (`"PHQ-9"`).
    pub fn new(key: impl Into<String>) -> Self {
        Self { key: key.into() }
    }
}

impl Operation for GetAssessment {
    type Output = Assessment;
    const SPEC: Spec =
        Spec::get("/api/v1/assessments/{assessment_key}").name("assessments.get").scope(Scope::SubjectOrClient);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("assessment_key", &self.key)?;
        Ok(Self::SPEC.request().path_param("assessment_key", &self.key))
    }

    fn decode(&self, raw: RawResponse) -> Result<Assessment> {
        #[derive(Deserialize)]
        struct Envelope {
            assessment: Assessment,
        }
        raw.json::<Envelope>().map(|e| e.assessment)
    }
}

/// `GET /api/v1/patients/{patient_id}/assessment_assignments`: the questionnaires assigned to a patient.
///
/// ```no_run
/// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
/// let assigned = session.send(carewire::mdlive::ListAssessmentAssignments::new(session.patient_id())).await?;
/// # let _ = assigned; Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListAssessmentAssignments {
    patient_id: String,
}

impl ListAssessmentAssignments {
    /// The assignments of `patient_id`.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

impl Operation for ListAssessmentAssignments {
    type Output = Vec<AssessmentAssignment>;
    const SPEC: Spec = Spec::get("/api/v1/patients/{patient_id}/assessment_assignments")
        .name("assessments.assignments")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<AssessmentAssignment>> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(deserialize_with = "carewire_core::de::one_or_many")]
            assessment_assignments: Vec<AssessmentAssignment>,
        }
        raw.json::<Envelope>().map(|e| e.assessment_assignments)
    }
}

/// `POST /api/v1/patients/{patient_id}/assessment_responses`: a patient's answers to a questionnaire, each
/// under the question's `response_answer_key` with the chosen option's `value`.
///
/// ```no_run
/// use carewire::mdlive::CreateAssessmentResponse;
///
/// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
/// let op = CreateAssessmentResponse::new(session.patient_id(), "GAD-7").answer("0", "1").answer("1", "0");
/// let response = session.send(op).await?;
/// println!("score {:?}", response.numeric_score);
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct CreateAssessmentResponse {
    patient_id: String,
    assessment_key: String,
    responses: BTreeMap<String, String>,
}

impl std::fmt::Debug for CreateAssessmentResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateAssessmentResponse")
            .field("patient_id", &self.patient_id)
            .field("responses", &self.responses.len())
            .finish_non_exhaustive()
    }
}

impl CreateAssessmentResponse {
    /// Answers of `patient_id` to the questionnaire `assessment_key`; add them with
    /// [`answer`](Self::answer).
    pub fn new(patient_id: impl Into<String>, assessment_key: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), assessment_key: assessment_key.into(), responses: BTreeMap::new() }
    }
    /// The answer `value` to the question whose `response_answer_key` is `key`.
    pub fn answer(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.responses.insert(key.into(), value.into());
        self
    }
    /// Several answers at once.
    pub fn answers<K: Into<String>, V: Into<String>>(mut self, answers: impl IntoIterator<Item = (K, V)>) -> Self {
        self.responses.extend(answers.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }
}

impl Operation for CreateAssessmentResponse {
    type Output = AssessmentResponse;
    const SPEC: Spec = Spec::post("/api/v1/patients/{patient_id}/assessment_responses")
        .name("assessments.create_response")
        .scope(Scope::Subject)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("assessment.assessment_key", &self.assessment_key)?;
        if self.responses.is_empty() {
            return Err(Error::invalid_request("assessment.responses", "must hold at least one answer"));
        }
        if self.responses.keys().any(|k| k.trim().is_empty()) {
            return Err(Error::invalid_request("assessment.responses", "has an answer without a key"));
        }
        let body = json!({"assessment": {"assessment_key": self.assessment_key, "responses": self.responses}});
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&body))
    }

    fn decode(&self, raw: RawResponse) -> Result<AssessmentResponse> {
        #[derive(Deserialize)]
        struct Envelope {
            assessment_response: AssessmentResponse,
        }
        raw.json::<Envelope>().map(|e| e.assessment_response)
    }
}

/// The questionnaire catalogue with the API token; from [`Client::assessments`].
#[derive(Clone, Debug)]
pub struct Assessments {
    client: Client,
}

impl Client {
    /// The questionnaire catalogue (`GET /api/v1/assessments[/{assessment_key}]`) with the API token.
    pub fn assessments(&self) -> Assessments {
        Assessments { client: self.clone() }
    }
}

impl Assessments {
    /// The questionnaires MDLIVE offers.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
    /// for assessment in client.assessments().list().await? {
    ///     println!("{} {:?}", assessment.key, assessment.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> Call<ListAssessments> {
        self.client.send(ListAssessments::new())
    }

    /// One questionnaire with its questions.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
    /// let phq9 = client.assessments().get("PHQ-9").await?;
    /// println!("{} questions", phq9.questions.len());
    /// # Ok(()) }
    /// ```
    pub fn get(&self, key: impl Into<String>) -> Call<GetAssessment> {
        self.client.send(GetAssessment::new(key))
    }
}

/// A patient's assessments; from [`PatientSession::assessments`].
#[derive(Clone, Debug)]
pub struct PatientAssessments {
    session: PatientSession,
}

impl PatientSession {
    /// The patient's assessments: the catalogue, the assigned questionnaires and the answers.
    pub fn assessments(&self) -> PatientAssessments {
        PatientAssessments { session: self.clone() }
    }
}

impl PatientAssessments {
    /// The questionnaires MDLIVE offers, with the patient's token.
    pub fn list(&self) -> Call<ListAssessments> {
        self.session.send(ListAssessments::new())
    }

    /// One questionnaire, with the patient's token.
    pub fn get(&self, key: impl Into<String>) -> Call<GetAssessment> {
        self.session.send(GetAssessment::new(key))
    }

    /// The questionnaires a provider assigned the patient.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for assignment in session.assessments().assignments().await? {
    ///     println!("assigned by provider {:?}", assignment.provider_id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn assignments(&self) -> Call<ListAssessmentAssignments> {
        self.session.send(ListAssessmentAssignments::new(self.session.patient_id()))
    }

    /// Sends the patient's answers to `assessment_key`: `(response_answer_key, option value)` pairs.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let answers = (0..9).map(|i| (i.to_string(), "0"));
    /// let response = session.assessments().create_response("PHQ-9", answers).await?;
    /// println!("score {:?}", response.numeric_score);
    /// # Ok(()) }
    /// ```
    pub fn create_response<K: Into<String>, V: Into<String>>(
        &self,
        assessment_key: impl Into<String>,
        answers: impl IntoIterator<Item = (K, V)>,
    ) -> Call<CreateAssessmentResponse> {
        let op = CreateAssessmentResponse::new(self.session.patient_id(), assessment_key).answers(answers);
        self.session.send(op)
    }
}
