//! [`NewAppointment`]: the `appointment` body of `POST /api/v2/patients/{patient_id}/appointments`, in its
//! two supported forms (the first available provider, or a specific provider at one of their slots), checked
//! before sending; and what the undocumented answer is decoded into.

use carewire_core::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::wire::{non_empty, state_abbrev, wire_id};

carewire_core::open_enum! {
    /// How the appointment takes place.
    AppointmentMethod {
        /// By phone.
        Phone => "phone",
        /// By video.
        Video => "video",
    }
}

/// A consultation to schedule. Two forms, as MDLIVE supports them (its immediate consultation with a
/// specific provider is deprecated):
///
/// - [`NewAppointment::first_available`]: the first available provider of a type, `start_time: null`;
/// - [`NewAppointment::with_provider`]: a specific provider at one of the `available_hours` of their profile.
///
/// Required, checked before sending (the error names the field): `appointment_method`, `chief_complaint`,
/// `survey_answer` (the answer to the alternate-visit question), `customer_call_in_number` and the consent
/// ([`consent`](Self::consent)).
///
/// ```
/// use carewire::mdlive::{AppointmentMethod, NewAppointment};
///
/// let appointment = NewAppointment::first_available(3, "FL")
///     .appointment_method(AppointmentMethod::Phone)
///     .chief_complaint("Throat Pain")
///     .concept_id("64")
///     .survey_answer("Emergency Room")
///     .customer_call_in_number("5555555555")
///     .consent("TM")
///     .pcp_answer("primary_care_physician", true);
/// assert!(appointment.validate().is_ok());
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NewAppointment {
    provider_id: Option<String>,
    start_time: Option<i64>,
    provider_type_id: i64,
    state_abbrev: String,
    appointment_method: Option<AppointmentMethod>,
    chief_complaint: String,
    chief_complaint_comments: Option<String>,
    concept_id: Option<String>,
    survey_answer: String,
    customer_call_in_number: String,
    file_id: Option<String>,
    promocode: Option<String>,
    customer_insurance_id: Option<String>,
    consent_user_initials: Option<String>,
    pcp_questions: Vec<(String, bool)>,
}

impl std::fmt::Debug for NewAppointment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAppointment")
            .field("provider_id", &self.provider_id)
            .field("start_time", &self.start_time)
            .field("provider_type_id", &self.provider_type_id)
            .field("state_abbrev", &self.state_abbrev)
            .field("appointment_method", &self.appointment_method)
            .finish_non_exhaustive()
    }
}

impl NewAppointment {
    /// A consultation with the first available provider of `provider_type_id`, for a patient in the state
    /// `state_abbrev`: it does not depend on a provider's availability.
    pub fn first_available(provider_type_id: i64, state_abbrev: impl Into<String>) -> Self {
        Self { provider_type_id, state_abbrev: state_abbrev.into(), ..Self::default() }
    }

    /// A future appointment with `provider_id` at `start_time` (unix seconds: a timeslot of the provider's
    /// profile, see [`AvailableHour::start_time`](crate::AvailableHour::start_time)).
    pub fn with_provider(
        provider_id: impl Into<String>,
        start_time: i64,
        provider_type_id: i64,
        state_abbrev: impl Into<String>,
    ) -> Self {
        Self {
            provider_id: Some(provider_id.into()),
            start_time: Some(start_time),
            ..Self::first_available(provider_type_id, state_abbrev)
        }
    }

    /// Phone or video (required).
    pub fn appointment_method(mut self, method: AppointmentMethod) -> Self {
        self.appointment_method = Some(method);
        self
    }
    /// The reason for the visit (required).
    pub fn chief_complaint(mut self, complaint: impl Into<String>) -> Self {
        self.chief_complaint = complaint.into();
        self
    }
    /// More about the reason.
    pub fn chief_complaint_comments(mut self, comments: impl Into<String>) -> Self {
        self.chief_complaint_comments = Some(comments.into());
        self
    }
    /// The clinical concept of the complaint (from a clinical-concept search).
    pub fn concept_id(mut self, concept_id: impl Into<String>) -> Self {
        self.concept_id = Some(concept_id.into());
        self
    }
    /// The answer to the alternate-visit question (required; `"Emergency Room"`).
    pub fn survey_answer(mut self, answer: impl Into<String>) -> Self {
        self.survey_answer = answer.into();
        self
    }
    /// The number to reach the patient on (required).
    pub fn customer_call_in_number(mut self, number: impl Into<String>) -> Self {
        self.customer_call_in_number = number.into();
        self
    }
    /// A customer document to attach.
    pub fn file_id(mut self, file_id: impl Into<String>) -> Self {
        self.file_id = Some(file_id.into());
        self
    }
    /// A promo code (sent as `promocode`).
    pub fn promocode(mut self, code: impl Into<String>) -> Self {
        self.promocode = Some(code.into());
        self
    }
    /// Bills the visit to the patient's insurance `customer_insurance_id` (`authorize_insurance: true`).
    pub fn bill_insurance(mut self, customer_insurance_id: impl Into<String>) -> Self {
        self.customer_insurance_id = Some(customer_insurance_id.into());
        self
    }
    /// The patient agrees to the informed consent and the privacy agreement, initialled `initials`
    /// (required).
    pub fn consent(mut self, initials: impl Into<String>) -> Self {
        self.consent_user_initials = Some(initials.into());
        self
    }
    /// The answer to a primary-care-physician question (`primary_care_physician`,
    /// `pcp_correct_information`, `pcp_visit_information`, `pcp_assistance_question`).
    pub fn pcp_answer(mut self, question: impl Into<String>, answer: bool) -> Self {
        self.pcp_questions.push((question.into(), answer));
        self
    }

    /// Checks the required fields; the error names the first missing or invalid one (`appointment.survey_answer`).
    pub fn validate(&self) -> Result<()> {
        if self.provider_type_id <= 0 {
            return Err(Error::invalid_request("appointment.provider_type_id", "must be a provider type id"));
        }
        state_abbrev("appointment.state_abbrev", &self.state_abbrev)?;
        if self.appointment_method.is_none() {
            return Err(Error::invalid_request("appointment.appointment_method", "is required (phone or video)"));
        }
        non_empty("appointment.chief_complaint", &self.chief_complaint)?;
        non_empty("appointment.survey_answer", &self.survey_answer)?;
        non_empty("appointment.customer_call_in_number", &self.customer_call_in_number)?;
        match &self.consent_user_initials {
            Some(initials) => non_empty("appointment.consent_user_initials", initials)?,
            None => return Err(Error::invalid_request("appointment.consent_user_initials", "is required")),
        }
        if let Some(provider) = &self.provider_id {
            non_empty("appointment.provider_id", provider)?;
            if self.start_time.is_none_or(|t| t <= 0) {
                return Err(Error::invalid_request("appointment.start_time", "must be a time in unix seconds"));
            }
        }
        if self.pcp_questions.iter().any(|(q, _)| q.trim().is_empty()) {
            return Err(Error::invalid_request("appointment.pcp_questions", "has an answer without a question"));
        }
        Ok(())
    }

    /// The `{"appointment": {...}}` body.
    pub(crate) fn body(&self) -> Value {
        let mut a = Map::new();
        let mut put = |k: &str, v: Value| {
            a.insert(k.to_owned(), v);
        };
        if let Some(p) = &self.provider_id {
            put("provider_id", wire_id(p));
        }
        put("provider_type_id", Value::from(self.provider_type_id));
        put("state_abbrev", Value::from(self.state_abbrev.as_str()));
        put("customer_call_in_number", Value::from(self.customer_call_in_number.as_str()));
        // The first-available form sends `start_time: null`, as the doc's example does.
        put("start_time", self.start_time.map_or(Value::Null, Value::from));
        put("survey_answer", Value::from(self.survey_answer.as_str()));
        put("appointment_method", Value::from(self.appointment_method.as_ref().map(AppointmentMethod::as_str)));
        put("chief_complaint", Value::from(self.chief_complaint.as_str()));
        if let Some(c) = &self.chief_complaint_comments {
            put("chief_complaint_comments", Value::from(c.as_str()));
        }
        if let Some(c) = &self.concept_id {
            put("concept_id", wire_id(c));
        }
        if let Some(f) = &self.file_id {
            put("file_id", wire_id(f));
        }
        if let Some(p) = &self.promocode {
            put("promocode", Value::from(p.as_str()));
        }
        if let Some(i) = &self.customer_insurance_id {
            put("authorize_insurance", Value::Bool(true));
            put("customer_insurance_id", wire_id(i));
        }
        put("agrees_to_informed_consent", Value::Bool(true));
        put("agrees_to_privacy_agreement", Value::Bool(true));
        put("consent_user_initials", Value::from(self.consent_user_initials.as_deref().unwrap_or_default()));
        if !self.pcp_questions.is_empty() {
            let questions =
                self.pcp_questions.iter().map(|(q, ans)| serde_json::json!({"question": q, "answer": ans})).collect();
            put("pcp_questions", Value::Array(questions));
        }
        serde_json::json!({ "appointment": a })
    }
}

/// What MDLIVE answered to an appointment creation. The doc shows no answer, so the body is kept as it came
/// (`null` for an empty one), with the appointment id when one can be found.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreatedAppointment {
    /// The appointment id, from `appointment.id` or a top-level `id`, when present.
    #[serde(default)]
    pub id: Option<String>,
    /// The answer's body.
    #[serde(default)]
    pub body: Value,
}

impl std::fmt::Debug for CreatedAppointment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<&str> = self.body.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
        f.debug_struct("CreatedAppointment").field("id", &self.id).field("body", &keys).finish()
    }
}

impl CreatedAppointment {
    pub(crate) fn from_body(body: Value) -> Self {
        let id_of = |v: &Value| match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let id = body
            .get("appointment")
            .and_then(|a| a.get("id"))
            .and_then(id_of)
            .or_else(|| body.get("id").and_then(id_of));
        Self { id, body }
    }
}
