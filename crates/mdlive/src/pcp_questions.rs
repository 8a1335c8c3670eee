//! The PCP questions of a patient ("Do you have a Primary Care Physician?", ...): get and update
//! (`/api/v2/patients/{patient_id}/evr_primary_care_physician_questions`).

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::wire::non_empty;

carewire_core::open_enum! {
    /// A PCP question's name (the default is the first question, `primary_care_physician`).
    #[derive(Default)]
    PcpQuestionName {
        /// `primary_care_physician`: "Do you have a Primary Care Physician?"
        #[default]
        PrimaryCarePhysician => "primary_care_physician",
        /// `pcp_correct_information`: "Is your Primary Care Physician information correct?"
        PcpCorrectInformation => "pcp_correct_information",
        /// `pcp_visit_information`: "Would you like the visit information to be sent to your PCP?"
        PcpVisitInformation => "pcp_visit_information",
    }
}

/// A PCP question with the patient's answer.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PcpQuestion {
    /// Which question. Required.
    pub name: PcpQuestionName,
    /// The question as MDLIVE words it.
    #[serde(default)]
    pub question: Option<String>,
    /// The patient's answer.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub value: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(PcpQuestion { show: [name, question], redact: [value], keys: [extra] });

/// One answer to send: a question's name and the patient's yes or no.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct PcpAnswer {
    name: PcpQuestionName,
    value: bool,
}

carewire_core::redacted_debug!(PcpAnswer { show: [name], redact: [value] });

impl PcpAnswer {
    /// Answers question `name` with `value`.
    pub fn new(name: PcpQuestionName, value: bool) -> Self {
        Self { name, value }
    }
}

/// The PCP questions of one patient; from [`PatientSession::pcp_questions`].
#[derive(Clone, Debug)]
pub struct PcpQuestions {
    session: PatientSession,
}

impl PatientSession {
    /// The patient's answers to the PCP questions.
    pub fn pcp_questions(&self) -> PcpQuestions {
        PcpQuestions { session: self.clone() }
    }
}

impl PcpQuestions {
    /// The questions with the patient's answers:
    /// `GET /api/v2/patients/{patient_id}/evr_primary_care_physician_questions`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for q in session.pcp_questions().get().await? {
    ///     println!("{}: {:?}", q.name, q.value);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get(&self) -> Call<GetPcpQuestions> {
        self.session.send(GetPcpQuestions::new(self.session.patient_id()))
    }

    /// Answers questions; the answer is the full list:
    /// `PUT /api/v2/patients/{patient_id}/evr_primary_care_physician_questions`.
    ///
    /// ```no_run
    /// use carewire::mdlive::{PcpAnswer, PcpQuestionName};
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let all = session
    ///     .pcp_questions()
    ///     .update([PcpAnswer::new(PcpQuestionName::PrimaryCarePhysician, true)])
    ///     .await?;
    /// # let _ = all;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, answers: impl IntoIterator<Item = PcpAnswer>) -> Call<UpdatePcpQuestions> {
        self.session.send(UpdatePcpQuestions::new(self.session.patient_id(), answers))
    }
}

#[derive(Deserialize)]
struct QuestionList {
    pcp_questions: Vec<PcpQuestion>,
}

/// `GET /api/v2/patients/{patient_id}/evr_primary_care_physician_questions`: the PCP questions with the
/// patient's answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetPcpQuestions {
    patient_id: String,
}

impl GetPcpQuestions {
    /// Patient `patient_id`'s PCP questions.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

impl Operation for GetPcpQuestions {
    type Output = Vec<PcpQuestion>;
    const SPEC: Spec = Spec::get("/api/v2/patients/{patient_id}/evr_primary_care_physician_questions")
        .name("pcp_questions.get")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<PcpQuestion>> {
        raw.json::<QuestionList>().map(|l| l.pcp_questions)
    }
}

/// `PUT /api/v2/patients/{patient_id}/evr_primary_care_physician_questions`: answers PCP questions.
///
/// The body is the array form `{"pcp_questions": [{"name", "value"}]}` of MDLIVE's curl example (its Ruby
/// sample sends a single object).
#[derive(Clone, Debug)]
pub struct UpdatePcpQuestions {
    patient_id: String,
    pcp_questions: Vec<PcpAnswer>,
}

impl UpdatePcpQuestions {
    /// Sends `answers` for patient `patient_id` (at least one).
    pub fn new(patient_id: impl Into<String>, answers: impl IntoIterator<Item = PcpAnswer>) -> Self {
        Self { patient_id: patient_id.into(), pcp_questions: answers.into_iter().collect() }
    }
}

#[derive(Serialize)]
struct AnswersBody<'a> {
    pcp_questions: &'a [PcpAnswer],
}

impl Operation for UpdatePcpQuestions {
    type Output = Vec<PcpQuestion>;
    const SPEC: Spec = Spec::put("/api/v2/patients/{patient_id}/evr_primary_care_physician_questions")
        .name("pcp_questions.update")
        .scope(Scope::Subject)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        if self.pcp_questions.is_empty() {
            return Err(Error::invalid_request("pcp_questions", "must answer at least one question"));
        }
        for (i, answer) in self.pcp_questions.iter().enumerate() {
            if let PcpQuestionName::Unknown(name) = &answer.name
                && name.trim().is_empty()
            {
                return Err(Error::invalid_request(format!("pcp_questions[{i}].name"), "must not be empty"));
            }
        }
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .json(&AnswersBody { pcp_questions: &self.pcp_questions }))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<PcpQuestion>> {
        raw.json::<QuestionList>().map(|l| l.pcp_questions)
    }
}
