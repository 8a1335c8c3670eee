//! Appointments: `POST /api/v1/appointments` (a booking, idempotent) and
//! `PUT /api/v1/appointments/{appointmentId}/status`, their models and the [`Appointments`] handle.
//!
//! A booking carries an `Idempotency-Key`: the one you set with [`CreateAppointment::idempotency_key`], or a
//! random one generated when the [`CreateAppointment`] is created. Every attempt of the call sends the same
//! key, which is what lets carewire retry a booking after a 5xx, a timeout or a dropped connection; a clone
//! of the same [`CreateAppointment`] sent again reuses it too. The guide documents no idempotency header,
//! so whether MyMedic honours it is a question for MyMedic: the SDK sends it on every booking.

use std::fmt;

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::request::generate_idempotency_key;
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Client;
use crate::decode::{Lenient, lenient, no_body, normalize_key, not_the_resource, object, resource_object};

carewire_core::open_enum! {
    /// An appointment's status.
    AppointmentStatus {
        /// `scheduled`.
        Scheduled => "scheduled",
        /// `completed`.
        Completed => "completed",
        /// `cancelled` (also read as `canceled`).
        Cancelled => "cancelled" | "canceled",
    }
}

/// The participant of an appointment. The guide lists `name`, `email`, `phone` and `medicalId` without
/// saying which are required, so all are optional (at least one must be set to book).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Participant {
    /// The participant's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Their email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Their phone number (a number in the answer becomes text).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "carewire_core::de::opt_string_or_number"
    )]
    pub phone: Option<String>,
    /// Their medical id (`medicalId`).
    #[serde(
        default,
        rename = "medicalId",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "carewire_core::de::opt_string_or_number"
    )]
    pub medical_id: Option<String>,
    /// Other members, sent and received as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Participant { redact: [name, email, phone, medical_id], keys: [extra] });

impl Participant {
    /// An empty participant; set at least one of its fields.
    ///
    /// ```
    /// use carewire::mymedic::Participant;
    ///
    /// let p = Participant::new().name("Asha Rao").email("asha@example.com").medical_id("MED-1001");
    /// assert_eq!(p.medical_id.as_deref(), Some("MED-1001"));
    /// assert!(!format!("{p:?}").contains("Asha"));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
    /// The name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// The email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }
    /// The phone number.
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }
    /// The medical id (`medicalId`).
    pub fn medical_id(mut self, medical_id: impl Into<String>) -> Self {
        self.medical_id = Some(medical_id.into());
        self
    }
    /// A member the guide does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    fn validate(&self) -> Result<()> {
        let fields =
            [("name", &self.name), ("email", &self.email), ("phone", &self.phone), ("medicalId", &self.medical_id)];
        if fields.iter().all(|(_, v)| v.is_none()) && self.extra.is_empty() {
            return Err(Error::invalid_request("participant", "needs at least a name, email, phone or medicalId"));
        }
        for (name, value) in fields {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(Error::invalid_request(format!("participant.{name}"), "must not be empty"));
            }
        }
        if self.email.as_deref().is_some_and(|e| !e.contains('@')) {
            return Err(Error::invalid_request("participant.email", "is not an email address"));
        }
        Ok(())
    }
}

/// The slot of an appointment: a `date` and a `time` (formats and time zone undocumented: they are sent as
/// given, typically `2025-04-08` and `10:00`), and optionally the practitioner.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Slot {
    /// The date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The time of day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The practitioner (an id or a name, the guide does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<String>,
    /// Other members, sent and received as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Slot { redact: [date, time, practitioner], keys: [extra] });

impl Slot {
    /// The slot on `date` at `time`.
    ///
    /// ```
    /// let slot = carewire::mymedic::Slot::new("2025-04-08", "10:00").practitioner("dr-asha");
    /// assert_eq!(slot.time.as_deref(), Some("10:00"));
    /// ```
    pub fn new(date: impl Into<String>, time: impl Into<String>) -> Self {
        Self { date: Some(date.into()), time: Some(time.into()), ..Self::default() }
    }
    /// The practitioner.
    pub fn practitioner(mut self, practitioner: impl Into<String>) -> Self {
        self.practitioner = Some(practitioner.into());
        self
    }

    fn validate(&self) -> Result<()> {
        for (name, value) in [("date", &self.date), ("time", &self.time), ("practitioner", &self.practitioner)] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(Error::invalid_request(format!("slot.{name}"), "must not be empty"));
            }
        }
        if self.date.is_none() || self.time.is_none() {
            return Err(Error::invalid_request("slot", "needs a date and a time"));
        }
        Ok(())
    }
}

/// Parameters of `POST /api/v1/appointments`: the program, the participant and the slot, plus an
/// idempotency key (generated here, or yours).
///
/// # Examples
///
/// ```
/// use carewire::mymedic::{CreateAppointment, Participant, Slot};
///
/// let booking = CreateAppointment::new(
///     "prg_001",
///     Participant::new().name("Asha Rao").medical_id("MED-1001"),
///     Slot::new("2025-04-08", "10:00").practitioner("dr-asha"),
/// )
/// .idempotency_key("booking-MED-1001-2025-04-08T10:00");
/// assert!(booking.validate().is_ok());
/// assert_eq!(booking.idempotency_key_ref(), "booking-MED-1001-2025-04-08T10:00");
/// ```
#[derive(Clone, Serialize)]
pub struct CreateAppointment {
    #[serde(rename = "programId")]
    program_id: String,
    participant: Participant,
    slot: Slot,
    #[serde(flatten)]
    extra: Map<String, Value>,
    #[serde(skip)]
    idempotency_key: String,
}

impl fmt::Debug for CreateAppointment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateAppointment")
            .field("program_id", &self.program_id)
            .field("participant", &self.participant)
            .field("slot", &self.slot)
            .field("extra", &carewire_core::redact::Keys(&self.extra))
            .finish_non_exhaustive()
    }
}

impl CreateAppointment {
    /// A booking of `slot` in program `program_id` for `participant`, with a fresh random idempotency key.
    pub fn new(program_id: impl Into<String>, participant: Participant, slot: Slot) -> Self {
        Self {
            program_id: program_id.into(),
            participant,
            slot,
            extra: Map::new(),
            idempotency_key: generate_idempotency_key(),
        }
    }

    /// A member the guide does not list, sent at the top level of the body.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// Replaces the generated idempotency key: derive it from your own booking record so that even a
    /// restarted process cannot book twice.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = key.into();
        self
    }

    /// The idempotency key this booking is sent with.
    pub fn idempotency_key_ref(&self) -> &str {
        &self.idempotency_key
    }

    /// Checks the booking before sending: a program id; a participant with at least one field, none empty,
    /// an email with `@`; a slot with a date and a time; an idempotency key.
    pub fn validate(&self) -> Result<()> {
        if self.program_id.trim().is_empty() {
            return Err(Error::invalid_request("programId", "must not be empty"));
        }
        self.participant.validate()?;
        self.slot.validate()?;
        if self.idempotency_key.trim().is_empty() {
            return Err(Error::invalid_request("idempotency_key", "must not be empty"));
        }
        Ok(())
    }
}

/// Members that make an object an appointment.
const APPOINTMENT_MEMBERS: &[&str] = &["id", "status", "programId", "participant", "slot"];

fn normalize_appointment(map: &mut Map<String, Value>) {
    normalize_key(map, "id", &["appointmentId", "appointment_id", "_id"]);
    normalize_key(map, "programId", &["program_id"]);
}

/// An appointment, as MyMedic answers a booking or a status update. Every field is optional (the guide
/// documents no response); unknown members are kept in `extra`, and so is a known member of an unexpected
/// type.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Appointment {
    /// The appointment id (read from `id`, `appointmentId`, `appointment_id` or `_id`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The status.
    #[serde(default)]
    pub status: Option<AppointmentStatus>,
    /// The program (`programId`).
    #[serde(default, rename = "programId", deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub program_id: Option<String>,
    /// The participant.
    #[serde(default)]
    pub participant: Option<Participant>,
    /// The slot.
    #[serde(default)]
    pub slot: Option<Slot>,
    /// Notes (follow-up notes, the reason of a cancellation).
    #[serde(default)]
    pub notes: Option<String>,
    /// Every other member of the answer.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Appointment {
    show: [id, status, program_id, participant],
    redact: [slot, notes],
    keys: [extra],
});

impl Lenient for Appointment {
    fn extra_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.extra
    }
}

impl Appointment {
    /// Interprets an answer object: the appointment itself or under `data` / `appointment`, or `None` when
    /// it holds no appointment member (`id`, `status`, `programId`, `participant`, `slot`).
    ///
    /// ```
    /// use carewire::mymedic::{Appointment, AppointmentStatus};
    ///
    /// let body = serde_json::from_str(r#"{"data": {"appointmentId": "apt_9", "status": "Scheduled"}}"#).unwrap();
    /// let appointment = Appointment::from_object(body).unwrap();
    /// assert_eq!(appointment.id.as_deref(), Some("apt_9"));
    /// assert_eq!(appointment.status, Some(AppointmentStatus::Scheduled));
    /// assert!(Appointment::from_object(serde_json::from_str(r#"{"ok": true}"#).unwrap()).is_none());
    /// ```
    pub fn from_object(body: Map<String, Value>) -> Option<Self> {
        resource_object(body, &["data", "appointment"], APPOINTMENT_MEMBERS, normalize_appointment).map(lenient)
    }
}

impl Operation for CreateAppointment {
    type Output = Appointment;
    // A booking carries its idempotency key, so every attempt is safe to retry.
    const SPEC: Spec = Spec::post("/api/v1/appointments").name("appointments.create").json().idempotent(true);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.validate()?;
        Ok(Self::SPEC.request().idempotency_key(self.idempotency_key.clone()).json(self))
    }

    /// A JSON object holding an appointment member; anything else with a 2xx status (an empty body, HTML,
    /// `{}`) is [`Error::Decode`]. Such an answer may come from a proxy, so the booking may not have been
    /// made: send the same [`CreateAppointment`] again, it carries the same key.
    fn decode(&self, raw: RawResponse) -> Result<Appointment> {
        Appointment::from_object(object(&raw)?).ok_or_else(|| not_the_resource(&raw, "id"))
    }
}

/// Parameters of `PUT /api/v1/appointments/{appointmentId}/status`.
///
/// ```
/// use carewire::mymedic::{AppointmentStatus, UpdateAppointmentStatus};
///
/// let update = UpdateAppointmentStatus::new("apt_000001", AppointmentStatus::Completed).notes("Follow up in 2 weeks");
/// assert!(update.validate().is_ok());
/// assert!(UpdateAppointmentStatus::new(" ", AppointmentStatus::Cancelled).validate().is_err());
/// ```
#[derive(Clone, Serialize)]
pub struct UpdateAppointmentStatus {
    #[serde(skip)]
    appointment_id: String,
    status: AppointmentStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
}

carewire_core::redacted_debug!(UpdateAppointmentStatus { show: [appointment_id, status], redact: [notes] });

impl UpdateAppointmentStatus {
    /// Sets appointment `appointment_id` to `status`.
    pub fn new(appointment_id: impl Into<String>, status: AppointmentStatus) -> Self {
        Self { appointment_id: appointment_id.into(), status, notes: None }
    }

    /// Notes sent with the status (the guide's `notes`).
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }

    /// Checks the update before sending: an appointment id and a status, neither empty.
    pub fn validate(&self) -> Result<()> {
        if self.appointment_id.trim().is_empty() {
            return Err(Error::invalid_request("appointment_id", "must not be empty"));
        }
        if self.status.as_str().trim().is_empty() {
            return Err(Error::invalid_request("status", "must not be empty"));
        }
        Ok(())
    }
}

impl Operation for UpdateAppointmentStatus {
    /// The updated appointment, or `None` for a `202`/`204` without a body.
    type Output = Option<Appointment>;
    const SPEC: Spec =
        Spec::put("/api/v1/appointments/{appointment_id}/status").name("appointments.update_status").json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.validate()?;
        Ok(Self::SPEC.request().path_param("appointment_id", &self.appointment_id).json(self))
    }

    /// `None` for a `202`/`204` without a body; otherwise a JSON object holding an appointment member, or
    /// [`Error::Decode`] (the PUT is idempotent: sending it again is safe).
    fn decode(&self, raw: RawResponse) -> Result<Option<Appointment>> {
        if no_body(&raw) && matches!(raw.meta.status, 202 | 204) {
            return Ok(None);
        }
        Appointment::from_object(object(&raw)?).map(Some).ok_or_else(|| not_the_resource(&raw, "id"))
    }
}

/// Appointment operations; from [`Client::appointments`].
#[derive(Clone, Debug)]
pub struct Appointments {
    client: Client,
}

impl Appointments {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Books an appointment: `POST /api/v1/appointments`, with the booking's `Idempotency-Key` on every
    /// attempt. A taken slot is a `SLOT_UNAVAILABLE` error (see [`MyMedicError::slot_unavailable`](crate::MyMedicError::slot_unavailable)).
    ///
    /// ```no_run
    /// use carewire::mymedic::{Client, CreateAppointment, MyMedicError, Participant, Slot};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let booking = CreateAppointment::new(
    ///     "prg_001",
    ///     Participant::new().name("Asha Rao").email("asha@example.com").medical_id("MED-1001"),
    ///     Slot::new("2025-04-08", "10:00"),
    /// );
    /// match client.appointments().create(booking.clone()).await {
    ///     Ok(appointment) => println!("booked {:?}", appointment.id),
    ///     Err(err) => match MyMedicError::from_error(&err).and_then(|e| e.slot_unavailable()) {
    ///         Some(taken) => println!("slot {:?} is taken: {:?}", taken.slot, taken.reason),
    ///         None => return Err(err),
    ///     },
    /// }
    /// # Ok(()) }
    /// ```
    pub fn create(&self, params: CreateAppointment) -> Call<CreateAppointment> {
        self.client.send(params)
    }

    /// Changes an appointment's status: `PUT /api/v1/appointments/{appointmentId}/status`.
    ///
    /// ```no_run
    /// use carewire::mymedic::{AppointmentStatus, Client, UpdateAppointmentStatus};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let update = UpdateAppointmentStatus::new("apt_000001", AppointmentStatus::Cancelled).notes("Participant unwell");
    /// if let Some(appointment) = client.appointments().update_status(update).await? {
    ///     println!("{:?} is now {:?}", appointment.id, appointment.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn update_status(&self, params: UpdateAppointmentStatus) -> Call<UpdateAppointmentStatus> {
        self.client.send(params)
    }
}
