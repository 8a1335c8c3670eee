//! Appointment requests: asking a provider with no free slot at the wanted time for an appointment
//! (create), and cancelling or re-sending (remind) such a request.

use carewire_core::de::LenientDateTime;
use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{RawResponse, Request, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::wire::non_empty;

carewire_core::open_enum! {
    /// How a requested appointment takes place.
    RequestedVisitMethod {
        /// `video`.
        Video => "video",
        /// `phone`.
        Phone => "phone",
    }
}

carewire_core::open_enum! {
    /// When in the day the patient would like the appointment. The doc's table capitalises the values
    /// (`Morning`); its example sends lower case (`morning`), which carewire sends too. Input matches either.
    PreferredTime {
        /// `first available` (the doc's table: `First Available`).
        FirstAvailable => "first available" | "first_available",
        /// `morning`.
        Morning => "morning",
        /// `afternoon`.
        Afternoon => "afternoon",
        /// `evening`.
        Evening => "evening",
    }
}

/// What to ask for: the `appointment_request` object of
/// `POST /api/v2/patients/{patient_id}/appointment_requests`.
///
/// ```
/// use carewire::mdlive::{NewAppointmentRequest, PreferredTime, RequestedVisitMethod};
/// use chrono::NaiveDate;
///
/// let request = NewAppointmentRequest::new(
///     "1",
///     "Sore Throat",
///     "888-632-2738",
///     NaiveDate::from_ymd_opt(2018, 12, 20).unwrap(),
///     RequestedVisitMethod::Phone,
///     PreferredTime::Morning,
/// )
/// .chief_complaint_comments("Have been feeling symptoms for over 1 week now")
/// .state_abbrev("FL");
/// assert!(request.validate().is_ok());
/// ```
#[derive(Clone, PartialEq, Serialize)]
pub struct NewAppointmentRequest {
    provider_id: String,
    chief_complaint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    chief_complaint_comments: Option<String>,
    contact_number: String,
    appointment_date: NaiveDate,
    appointment_method: RequestedVisitMethod,
    preferred_time: PreferredTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_abbrev: Option<String>,
}

carewire_core::redacted_debug!(NewAppointmentRequest {
    show: [provider_id, appointment_date, appointment_method, preferred_time, state_abbrev],
    redact: [chief_complaint, chief_complaint_comments, contact_number],
});

impl NewAppointmentRequest {
    /// A request to see the provider `provider_id` about `chief_complaint`, calling back on
    /// `contact_number`, on `appointment_date`, by `method`, at `preferred_time`. All are required.
    pub fn new(
        provider_id: impl Into<String>,
        chief_complaint: impl Into<String>,
        contact_number: impl Into<String>,
        appointment_date: NaiveDate,
        method: RequestedVisitMethod,
        preferred_time: PreferredTime,
    ) -> Self {
        Self {
            provider_id: provider_id.into(),
            chief_complaint: chief_complaint.into(),
            chief_complaint_comments: None,
            contact_number: contact_number.into(),
            appointment_date,
            appointment_method: method,
            preferred_time,
            state_abbrev: None,
        }
    }

    /// More about the complaint, for the provider.
    #[must_use]
    pub fn chief_complaint_comments(mut self, comments: impl Into<String>) -> Self {
        self.chief_complaint_comments = Some(comments.into());
        self
    }

    /// The U.S. state (`"FL"`) the patient will be in.
    #[must_use]
    pub fn state_abbrev(mut self, state: impl Into<String>) -> Self {
        self.state_abbrev = Some(state.into());
        self
    }

    /// Checks the required fields (not blank), the method (`video` or `phone`) and the state (two letters).
    ///
    /// # Errors
    ///
    /// [`carewire::Error::InvalidRequest`](carewire_core::Error::InvalidRequest) naming the field.
    pub fn validate(&self) -> Result<()> {
        non_empty("appointment_request.provider_id", &self.provider_id)?;
        non_empty("appointment_request.chief_complaint", &self.chief_complaint)?;
        non_empty("appointment_request.contact_number", &self.contact_number)?;
        if self.appointment_method.is_unknown() {
            return Err(carewire_core::Error::invalid_request(
                "appointment_request.appointment_method",
                "must be video or phone",
            ));
        }
        if self.preferred_time.as_str().trim().is_empty() {
            return Err(carewire_core::Error::invalid_request(
                "appointment_request.preferred_time",
                "must not be empty",
            ));
        }
        if let Some(state) = &self.state_abbrev
            && (state.len() != 2 || !state.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(carewire_core::Error::invalid_request(
                "appointment_request.state_abbrev",
                "must be a two-letter state code",
            ));
        }
        Ok(())
    }
}

/// An appointment request as MDLIVE stored it.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AppointmentRequest {
    /// The request's id (a number on the wire). Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The patient's id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub patient_id: Option<String>,
    /// The provider's id (sent as a string, returned as a number).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub provider_id: Option<String>,
    /// The reason for the visit: clinical content.
    #[serde(default)]
    pub chief_complaint: Option<String>,
    /// The number to call back.
    #[serde(default)]
    pub contact_number: Option<String>,
    /// The requested date, as sent back: the doc shows `"18-12-20"` for a request of `2018-12-20`, so it
    /// is kept as text ([`LenientDateTime::parse_date`] reads the unambiguous forms).
    #[serde(default)]
    pub appointment_date: Option<LenientDateTime>,
    /// `video` or `phone`.
    #[serde(default)]
    pub appointment_method: Option<RequestedVisitMethod>,
    /// The preferred time of day.
    #[serde(default)]
    pub preferred_time: Option<PreferredTime>,
    /// The U.S. state.
    #[serde(default)]
    pub state_abbrev: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(AppointmentRequest {
    show: [id, patient_id, provider_id, appointment_date, appointment_method, preferred_time, state_abbrev],
    redact: [chief_complaint, contact_number],
    keys: [extra],
});

/// MDLIVE's confirmation of a cancel or a reminder (`{"message": "..."}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Confirmation {
    /// The confirmation text (`"Your appointment request has been cancelled"`). Required: a 2xx without
    /// it is a decode error.
    pub message: String,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /api/v2/patients/{patient_id}/appointment_requests`. MDLIVE answers 200 with the stored request.
/// Not retried once it may have reached MDLIVE.
#[derive(Clone, Debug)]
pub struct CreateAppointmentRequest {
    patient_id: String,
    request: NewAppointmentRequest,
}

impl CreateAppointmentRequest {
    /// Sends `request` for the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, request: NewAppointmentRequest) -> Self {
        Self { patient_id: patient_id.into(), request }
    }
}

#[derive(Deserialize)]
struct Envelope {
    appointment_request: AppointmentRequest,
}

impl Operation for CreateAppointmentRequest {
    type Output = AppointmentRequest;
    const SPEC: Spec = Spec::post("/api/v2/patients/{patient_id}/appointment_requests")
        .name("appointment_requests.create")
        .scope(Scope::Subject)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.request.validate()?;
        let body = serde_json::json!({ "appointment_request": &self.request });
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&body))
    }

    fn decode(&self, raw: RawResponse) -> Result<AppointmentRequest> {
        raw.json::<Envelope>().map(|e| e.appointment_request)
    }
}

/// `POST /api/v2/patients/{patient_id}/appointment_requests/{appointment_request_id}/cancel` (no body).
/// Cancelling twice changes nothing, so it is safe to retry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CancelAppointmentRequest {
    patient_id: String,
    appointment_request_id: String,
}

impl CancelAppointmentRequest {
    /// Cancels the request `appointment_request_id` of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, appointment_request_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), appointment_request_id: appointment_request_id.into() }
    }
}

fn request_path(spec: &Spec, patient_id: &str, appointment_request_id: &str) -> Result<Request> {
    non_empty("patient_id", patient_id)?;
    non_empty("appointment_request_id", appointment_request_id)?;
    Ok(spec.request().path_param("patient_id", patient_id).path_param("appointment_request_id", appointment_request_id))
}

impl Operation for CancelAppointmentRequest {
    type Output = Confirmation;
    const SPEC: Spec = Spec::post("/api/v2/patients/{patient_id}/appointment_requests/{appointment_request_id}/cancel")
        .name("appointment_requests.cancel")
        .scope(Scope::Subject)
        .idempotent(true);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        request_path(&Self::SPEC, &self.patient_id, &self.appointment_request_id)
    }

    fn decode(&self, raw: RawResponse) -> Result<Confirmation> {
        raw.json()
    }
}

/// `POST /api/v2/patients/{patient_id}/appointment_requests/{appointment_request_id}/remind` (no body):
/// reminds the provider of the request. Not retried (each attempt may send a reminder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemindAppointmentRequest {
    patient_id: String,
    appointment_request_id: String,
}

impl RemindAppointmentRequest {
    /// Reminds the provider of the request `appointment_request_id` of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, appointment_request_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), appointment_request_id: appointment_request_id.into() }
    }
}

impl Operation for RemindAppointmentRequest {
    type Output = Confirmation;
    const SPEC: Spec = Spec::post("/api/v2/patients/{patient_id}/appointment_requests/{appointment_request_id}/remind")
        .name("appointment_requests.remind")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        request_path(&Self::SPEC, &self.patient_id, &self.appointment_request_id)
    }

    fn decode(&self, raw: RawResponse) -> Result<Confirmation> {
        raw.json()
    }
}

/// A patient's appointment requests; from [`PatientSession::appointment_requests`].
#[derive(Clone, Debug)]
pub struct AppointmentRequests {
    session: PatientSession,
}

impl PatientSession {
    /// This patient's appointment requests: create, cancel, remind.
    pub fn appointment_requests(&self) -> AppointmentRequests {
        AppointmentRequests { session: self.clone() }
    }
}

impl AppointmentRequests {
    /// Asks a provider for an appointment: `POST /api/v2/patients/{patient_id}/appointment_requests`.
    ///
    /// ```no_run
    /// use carewire::mdlive::{NewAppointmentRequest, PreferredTime, RequestedVisitMethod};
    /// use chrono::NaiveDate;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let date = NaiveDate::from_ymd_opt(2018, 12, 20).expect("a date");
    /// let request = session
    ///     .appointment_requests()
    ///     .create(
    ///         NewAppointmentRequest::new(
    ///             "1",
    ///             "Sore Throat",
    ///             "888-632-2738",
    ///             date,
    ///             RequestedVisitMethod::Phone,
    ///             PreferredTime::Morning,
    ///         )
    ///         .state_abbrev("FL"),
    ///     )
    ///     .await?;
    /// println!("request {}", request.id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, request: NewAppointmentRequest) -> Call<CreateAppointmentRequest> {
        self.session.send(CreateAppointmentRequest::new(self.session.patient_id(), request))
    }

    /// Cancels a request:
    /// `POST /api/v2/patients/{patient_id}/appointment_requests/{appointment_request_id}/cancel`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let done = session.appointment_requests().cancel("13").await?;
    /// println!("{}", done.message);
    /// # Ok(()) }
    /// ```
    pub fn cancel(&self, appointment_request_id: impl Into<String>) -> Call<CancelAppointmentRequest> {
        self.session.send(CancelAppointmentRequest::new(self.session.patient_id(), appointment_request_id))
    }

    /// Reminds the provider of a request:
    /// `POST /api/v2/patients/{patient_id}/appointment_requests/{appointment_request_id}/remind`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.appointment_requests().remind("13").await?;
    /// # Ok(()) }
    /// ```
    pub fn remind(&self, appointment_request_id: impl Into<String>) -> Call<RemindAppointmentRequest> {
        self.session.send(RemindAppointmentRequest::new(self.session.patient_id(), appointment_request_id))
    }
}
