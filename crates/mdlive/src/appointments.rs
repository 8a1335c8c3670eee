//! A patient's appointments after booking: cancel, upcoming list, arrival in the waiting room, and the
//! parameters to join a video consultation in a browser.

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Method, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::documents::{list_in, object_in};
use crate::wire::non_empty;

/// Decodes a 2xx whose body MDLIVE does not document: empty, or any JSON. A body that is not JSON (a
/// proxy's HTML page) is a decode error.
fn empty_or_json(raw: &RawResponse) -> Result<()> {
    raw.json::<serde::de::IgnoredAny>().map(|_| ())
}

/// `PUT /api/v1/patients/{patient_id}/appointments/{appointment_id}/cancel`: cancels a scheduled appointment
/// (not once it has started). MDLIVE answers 204 with no body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CancelAppointment {
    patient_id: String,
    appointment_id: String,
}

impl CancelAppointment {
    /// Cancels the appointment `appointment_id` of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, appointment_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), appointment_id: appointment_id.into() }
    }
}

impl Operation for CancelAppointment {
    type Output = ();
    const SPEC: Spec = Spec::put("/api/v1/patients/{patient_id}/appointments/{appointment_id}/cancel")
        .name("appointments.cancel")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("appointment_id", &self.appointment_id)?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .path_param("appointment_id", &self.appointment_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<()> {
        empty_or_json(&raw)
    }
}

/// The provider of an upcoming appointment.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AppointmentProvider {
    /// The provider's id, when sent.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The provider's name (`"Test Provider"`).
    #[serde(default)]
    pub full_name: Option<String>,
    /// The provider type's name (`"General Medical"`).
    #[serde(default)]
    pub provider_type: Option<String>,
    /// The photo's absolute URL (may be empty).
    #[serde(default)]
    pub photo_url_absolute: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How long a patient waiting for the first available provider should expect to wait. Wait times are in
/// minutes; MDLIVE recommends showing [`WaitInfo::wait_time_label`] with [`WaitInfo::over_time_message`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct WaitInfo {
    /// Deprecated by MDLIVE (always `null` in the doc).
    #[serde(default)]
    pub average_wait_time: Option<Value>,
    /// Deprecated by MDLIVE (always `null` in the doc).
    #[serde(default)]
    pub patients_in_queue: Option<Value>,
    /// A message for the patient (`"We will send updates to your phone"`).
    #[serde(default)]
    pub message: Option<String>,
    /// The wait (`"under 30"`).
    #[serde(default)]
    pub over_time_message: Option<String>,
    /// The label of the wait (`"Estimated Provider call back time"`).
    #[serde(default)]
    pub wait_time_label: Option<String>,
    /// Deprecated by MDLIVE (always `null` in the doc).
    #[serde(default)]
    pub position_in_line_label: Option<Value>,
    /// What to tell a patient on the web.
    #[serde(default)]
    pub web_instructions_message: Option<String>,
    /// What to tell a patient in a mobile app.
    #[serde(default)]
    pub mobile_instructions_message: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An upcoming appointment (all future ones, and any of the last 60 minutes). The doc's example lost its
/// ids and times, so every member is optional and unknown ones are kept in `extra`.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct UpcomingAppointment {
    /// The appointment's id, when sent.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The provider.
    #[serde(default)]
    pub provider: Option<AppointmentProvider>,
    /// Why the patient booked (`"sore throat"`): clinical content.
    #[serde(default)]
    pub chief_complaint: Option<String>,
    /// Set while the patient waits for the first available provider.
    #[serde(default)]
    pub wait_info: Option<WaitInfo>,
    /// `true` once the provider is ready: then it is safe to join the video consultation (poll it, or use
    /// the `consultation:provider:ready` webhook).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub provider_ready: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(UpcomingAppointment {
    show: [id, provider, wait_info, provider_ready],
    redact: [chief_complaint],
    keys: [extra],
});

/// `GET /api/v2/patients/{patient_id}/appointments/upcoming`.
///
/// The doc's example lost its wrapper; the answer is read as a list under `appointments`,
/// `upcoming_appointments` or the object's only array member, or as a bare list. Anything else (`{}`, a
/// message) is a decode error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListUpcomingAppointments {
    patient_id: String,
}

impl ListUpcomingAppointments {
    /// The upcoming appointments of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

impl Operation for ListUpcomingAppointments {
    type Output = Vec<UpcomingAppointment>;
    const SPEC: Spec = Spec::get("/api/v2/patients/{patient_id}/appointments/upcoming")
        .name("appointments.upcoming")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<UpcomingAppointment>> {
        list_in(&raw, &["appointments", "upcoming_appointments"])
    }
}

/// Which method to announce arrival with. The doc's request line says `POST`; its curl and Ruby examples
/// send `PUT`. carewire sends `POST` unless told otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ArrivalMethod {
    /// `POST`, as the doc's request line says (the default).
    #[default]
    Post,
    /// `PUT`, as the doc's examples send.
    Put,
}

/// `POST /api/v1/patients/{patient_id}/appointments/{appointment_id}/entered_waiting_room`: tells the
/// provider the patient has arrived. MDLIVE answers 200 with no content.
///
/// ```
/// use carewire::mdlive::{ArrivalMethod, EnteredWaitingRoom};
///
/// let arrival = EnteredWaitingRoom::new("52", "8817").method(ArrivalMethod::Put);
/// # let _ = arrival;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnteredWaitingRoom {
    patient_id: String,
    appointment_id: String,
    method: ArrivalMethod,
}

impl EnteredWaitingRoom {
    /// The patient `patient_id` arrived for the appointment `appointment_id`.
    pub fn new(patient_id: impl Into<String>, appointment_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), appointment_id: appointment_id.into(), method: ArrivalMethod::Post }
    }

    /// Sends with `PUT` (as the doc's examples do) instead of `POST`.
    #[must_use]
    pub fn method(mut self, method: ArrivalMethod) -> Self {
        self.method = method;
        self
    }
}

impl Operation for EnteredWaitingRoom {
    type Output = ();
    const SPEC: Spec = Spec::post("/api/v1/patients/{patient_id}/appointments/{appointment_id}/entered_waiting_room")
        .name("appointments.entered_waiting_room")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("appointment_id", &self.appointment_id)?;
        let req = match self.method {
            ArrivalMethod::Post => Self::SPEC.request(),
            // Same operation, other verb: a PUT is idempotent, so it may be retried.
            ArrivalMethod::Put => {
                Request::new(Method::Put, Self::SPEC.path).operation(Self::SPEC.name).scope(Self::SPEC.scope)
            }
        };
        Ok(req.path_param("patient_id", &self.patient_id).path_param("appointment_id", &self.appointment_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<()> {
        empty_or_json(&raw)
    }
}

/// What a browser needs to join a video consultation. The doc's example is empty; it says the answer holds
/// the URL of the page where the patient joins (visiting it registers the patient's arrival). That URL is
/// read from `url`, `join_url`, `video_url` or `connection_url`; everything else is kept in `extra`.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ConnectionParams {
    /// The join page's URL. It admits the patient to the consultation: treat it as a secret.
    #[serde(default, alias = "join_url", alias = "video_url", alias = "connection_url")]
    pub url: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(ConnectionParams { redact: [url], keys: [extra] });

/// `GET /api/v1/appointments/{appointment_id}/connection_params`: joining a video consultation in a
/// browser. It needs the patient's token although its path names no patient.
///
/// The answer is read as an object, or the object under `connection_params`; an empty object or a body
/// that is not an object is a decode error.
#[derive(Clone, PartialEq, Eq)]
pub struct GetConnectionParams {
    appointment_id: String,
    post_consultation_url: Option<String>,
}

carewire_core::redacted_debug!(GetConnectionParams { show: [appointment_id], redact: [post_consultation_url] });

impl GetConnectionParams {
    /// The connection parameters of the appointment `appointment_id`.
    pub fn new(appointment_id: impl Into<String>) -> Self {
        Self { appointment_id: appointment_id.into(), post_consultation_url: None }
    }

    /// Where to send the browser when the consultation ends (an absolute URL, sent percent-encoded): for a
    /// native iOS app that launched Safari (iOS 12+), the way back into the app.
    #[must_use]
    pub fn post_consultation_url(mut self, url: impl Into<String>) -> Self {
        self.post_consultation_url = Some(url.into());
        self
    }
}

impl Operation for GetConnectionParams {
    type Output = ConnectionParams;
    const SPEC: Spec = Spec::get("/api/v1/appointments/{appointment_id}/connection_params")
        .name("appointments.connection_params")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("appointment_id", &self.appointment_id)?;
        if let Some(url) = &self.post_consultation_url {
            // Custom schemes (`myapp://done`) are fine; relative or malformed URLs are not.
            if url::Url::parse(url).is_err() {
                return Err(carewire_core::Error::invalid_request("post_consultation_url", "must be an absolute URL"));
            }
        }
        Ok(Self::SPEC
            .request()
            .path_param("appointment_id", &self.appointment_id)
            .query_opt("post_consultation_url", self.post_consultation_url.as_deref()))
    }

    fn decode(&self, raw: RawResponse) -> Result<ConnectionParams> {
        object_in(&raw, &["connection_params"])
    }
}

/// A patient's appointments; from [`PatientSession::appointments`].
#[derive(Clone, Debug)]
pub struct Appointments {
    session: PatientSession,
}

impl PatientSession {
    /// This patient's appointments: cancel, upcoming, arrival, video connection.
    pub fn appointments(&self) -> Appointments {
        Appointments { session: self.clone() }
    }
}

impl Appointments {
    /// Cancels a scheduled appointment (not once it has started):
    /// `PUT /api/v1/patients/{patient_id}/appointments/{appointment_id}/cancel`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.appointments().cancel("8817").await?;
    /// # Ok(()) }
    /// ```
    pub fn cancel(&self, appointment_id: impl Into<String>) -> Call<CancelAppointment> {
        self.session.send(CancelAppointment::new(self.session.patient_id(), appointment_id))
    }

    /// Future appointments and those of the last 60 minutes:
    /// `GET /api/v2/patients/{patient_id}/appointments/upcoming`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for appointment in session.appointments().upcoming().await? {
    ///     if appointment.provider_ready == Some(true) {
    ///         println!("appointment {:?}: the provider is ready", appointment.id);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn upcoming(&self) -> Call<ListUpcomingAppointments> {
        self.session.send(ListUpcomingAppointments::new(self.session.patient_id()))
    }

    /// Tells the provider the patient has arrived, with `POST` (see [`EnteredWaitingRoom::method`] for the
    /// `PUT` the doc's examples use):
    /// `POST /api/v1/patients/{patient_id}/appointments/{appointment_id}/entered_waiting_room`.
    ///
    /// ```no_run
    /// use carewire::mdlive::{ArrivalMethod, EnteredWaitingRoom};
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.appointments().entered_waiting_room("8817").await?;
    /// // Or with the verb of the doc's examples:
    /// session.send(EnteredWaitingRoom::new(session.patient_id(), "8817").method(ArrivalMethod::Put)).await?;
    /// # Ok(()) }
    /// ```
    pub fn entered_waiting_room(&self, appointment_id: impl Into<String>) -> Call<EnteredWaitingRoom> {
        self.session.send(EnteredWaitingRoom::new(self.session.patient_id(), appointment_id))
    }

    /// The parameters to join a video consultation in a browser:
    /// `GET /api/v1/appointments/{appointment_id}/connection_params`.
    ///
    /// ```no_run
    /// use carewire::mdlive::GetConnectionParams;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let params = session
    ///     .appointments()
    ///     .connection_params(GetConnectionParams::new("8817").post_consultation_url("myapp://consult-done"))
    ///     .await?;
    /// if let Some(url) = &params.url {
    ///     println!("open the join page ({} characters)", url.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn connection_params(&self, params: GetConnectionParams) -> Call<GetConnectionParams> {
        self.session.send(params)
    }
}
