//! After-care instructions of a completed appointment:
//! `GET /api/v2/patients/{patient_id}/cust_appointments/{cust_appt_id}/after_care_instructions`.

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::wire::non_empty;

/// One after-care topic a provider gave the patient. The texts are HTML (with `\r\n` inside), kept as sent;
/// all of it is clinical content, so `Debug` shows none of it.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AfterCareInstruction {
    /// The topic (`"Abdominal Pain - Stress Related"`).
    #[serde(default)]
    pub title: Option<String>,
    /// What the condition is (HTML).
    #[serde(default)]
    pub definition: Option<String>,
    /// Care advice, one HTML block per item.
    #[serde(default)]
    pub care_advice: Vec<String>,
    /// Background information (HTML).
    #[serde(default)]
    pub health_info: Option<String>,
    /// When to call back (HTML).
    #[serde(default)]
    pub call_back: Option<String>,
    /// Related topics' titles.
    #[serde(default)]
    pub related_topics: Vec<String>,
    /// Internet resources (the doc shows only an empty list, so their shape is unknown).
    #[serde(default)]
    pub internet_resources: Vec<Value>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(AfterCareInstruction {
    redact: [title, definition, care_advice, health_info, call_back, related_topics, internet_resources],
    keys: [extra],
});

/// `GET /api/v2/patients/{patient_id}/cust_appointments/{cust_appt_id}/after_care_instructions`. Whether an
/// appointment has any is the `after_care_instruction` flag of the patient's completed appointments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetAfterCareInstructions {
    patient_id: String,
    cust_appt_id: String,
}

impl GetAfterCareInstructions {
    /// The instructions of the appointment `cust_appt_id` of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, cust_appt_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), cust_appt_id: cust_appt_id.into() }
    }
}

#[derive(Deserialize)]
struct Envelope {
    after_care_instructions: Vec<AfterCareInstruction>,
}

impl Operation for GetAfterCareInstructions {
    type Output = Vec<AfterCareInstruction>;
    const SPEC: Spec =
        Spec::get("/api/v2/patients/{patient_id}/cust_appointments/{cust_appt_id}/after_care_instructions")
            .name("after_care_instructions.get")
            .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("cust_appt_id", &self.cust_appt_id)?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .path_param("cust_appt_id", &self.cust_appt_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<AfterCareInstruction>> {
        raw.json::<Envelope>().map(|e| e.after_care_instructions)
    }
}

/// After-care instructions; from [`PatientSession::after_care`].
#[derive(Clone, Debug)]
pub struct AfterCare {
    session: PatientSession,
}

impl PatientSession {
    /// The after-care instructions of this patient's appointments.
    pub fn after_care(&self) -> AfterCare {
        AfterCare { session: self.clone() }
    }
}

impl AfterCare {
    /// The instructions of one appointment:
    /// `GET /api/v2/patients/{patient_id}/cust_appointments/{cust_appt_id}/after_care_instructions`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for topic in session.after_care().get("4471").await? {
    ///     println!("{} advice item(s)", topic.care_advice.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get(&self, cust_appt_id: impl Into<String>) -> Call<GetAfterCareInstructions> {
        self.session.send(GetAfterCareInstructions::new(self.session.patient_id(), cust_appt_id))
    }
}
