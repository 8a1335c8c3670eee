//! MyMedic webhooks: the eight documented events, parsed **without verification**.
//!
//! MyMedic documents no payload schema and no signature: nothing in a delivery proves it came from MyMedic,
//! so anyone who knows your receiver's URL can post one. [`parse`] therefore returns the event inside
//! [`Unverified`]: read it with [`Unverified::peek`] to route or log it, and take it with
//! [`Unverified::assume_verified`] only once you have authenticated the delivery another way (a secret path
//! segment in the URL you give MyMedic, an IP allow-list, mutual TLS), or confirmed the event by fetching what
//! it names from the API.
//!
//! The envelope is undocumented too: the event name is read from `event`, `type`, `eventType` or
//! `event_type`, an id from `id` or `eventId`, the data from `data` or `payload` (else the payload's other
//! top-level members). An unknown event name gives [`EventData::Unknown`]; [`WebhookEvent::raw`] always
//! keeps the whole payload.
//!
//! ```
//! use carewire::mymedic::webhooks::{self, EventData};
//!
//! let body = br#"{"event":"appointment.cancelled","data":{"appointmentId":"apt_7","status":"cancelled"}}"#;
//! let delivery = webhooks::parse(body)?;
//! assert_eq!(delivery.peek().event_type.as_str(), "appointment.cancelled");
//! // ... once the delivery is known to come from MyMedic (it arrived on your secret URL):
//! let event = delivery.assume_verified();
//! let EventData::AppointmentCancelled(cancelled) = event.data else { unreachable!() };
//! assert_eq!(cancelled.appointment_id.as_deref(), Some("apt_7"));
//! # Ok::<(), carewire::WebhookError>(())
//! ```

use carewire_core::WebhookError;
pub use carewire_core::webhook::Unverified;
use carewire_core::webhook::{RawBody, parse_event_object};
use serde_json::{Map, Value};

use crate::appointments::AppointmentStatus;
use crate::decode::{take_text, text};

carewire_core::open_enum! {
    /// A webhook's event name: the eight the guide lists.
    EventType {
        /// `appointment.created`.
        AppointmentCreated => "appointment.created",
        /// `appointment.updated`.
        AppointmentUpdated => "appointment.updated",
        /// `appointment.cancelled` (also read as `appointment.canceled`).
        AppointmentCancelled => "appointment.cancelled" | "appointment.canceled",
        /// `appointment.completed`.
        AppointmentCompleted => "appointment.completed",
        /// `prescription.created`.
        PrescriptionCreated => "prescription.created",
        /// `prescription.updated`.
        PrescriptionUpdated => "prescription.updated",
        /// `followup.scheduled`.
        FollowupScheduled => "followup.scheduled",
        /// `record.updated`.
        RecordUpdated => "record.updated",
    }
}

/// A parsed MyMedic webhook (not verified: see the [module docs](self)).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The event id, when the payload has one (`id` or `eventId`; undocumented).
    pub id: Option<String>,
    /// The event name; an unknown one is kept in [`EventType::Unknown`].
    pub event_type: EventType,
    /// The typed data.
    pub data: EventData,
    /// The whole body as received (`event.raw.json()` parses it again, for fields not modelled here). It may
    /// contain patient data.
    pub raw: RawBody,
}

carewire_core::redacted_debug!(WebhookEvent { show: [id, event_type, data], redact: [raw] });

/// The data of a webhook, by event.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum EventData {
    /// `appointment.created`.
    AppointmentCreated(AppointmentEvent),
    /// `appointment.updated`.
    AppointmentUpdated(AppointmentEvent),
    /// `appointment.cancelled`.
    AppointmentCancelled(AppointmentEvent),
    /// `appointment.completed`.
    AppointmentCompleted(AppointmentEvent),
    /// `prescription.created`.
    PrescriptionCreated(PrescriptionEvent),
    /// `prescription.updated`.
    PrescriptionUpdated(PrescriptionEvent),
    /// `followup.scheduled`.
    FollowupScheduled(FollowupEvent),
    /// `record.updated`.
    RecordUpdated(RecordEvent),
    /// Any other event; its data as received (see also [`WebhookEvent::raw`]).
    Unknown(Map<String, Value>),
}

impl std::fmt::Debug for EventData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AppointmentCreated(e) => f.debug_tuple("AppointmentCreated").field(e).finish(),
            Self::AppointmentUpdated(e) => f.debug_tuple("AppointmentUpdated").field(e).finish(),
            Self::AppointmentCancelled(e) => f.debug_tuple("AppointmentCancelled").field(e).finish(),
            Self::AppointmentCompleted(e) => f.debug_tuple("AppointmentCompleted").field(e).finish(),
            Self::PrescriptionCreated(e) => f.debug_tuple("PrescriptionCreated").field(e).finish(),
            Self::PrescriptionUpdated(e) => f.debug_tuple("PrescriptionUpdated").field(e).finish(),
            Self::FollowupScheduled(e) => f.debug_tuple("FollowupScheduled").field(e).finish(),
            Self::RecordUpdated(e) => f.debug_tuple("RecordUpdated").field(e).finish(),
            Self::Unknown(map) => f.debug_tuple("Unknown").field(&carewire_core::redact::Keys(map)).finish(),
        }
    }
}

/// Data of the four `appointment.*` events.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct AppointmentEvent {
    /// The appointment (`appointmentId`, `appointment_id` or `id`).
    pub appointment_id: Option<String>,
    /// The program (`programId` or `program_id`).
    pub program_id: Option<String>,
    /// The appointment's status, when sent.
    pub status: Option<AppointmentStatus>,
    /// Every other member of the data (participant, slot, notes, ...).
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(AppointmentEvent { show: [appointment_id, program_id, status], keys: [extra] });

/// Data of `prescription.created` and `prescription.updated`.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct PrescriptionEvent {
    /// The prescription (`prescriptionId`, `prescription_id` or `id`).
    pub prescription_id: Option<String>,
    /// The appointment it was written in, when sent.
    pub appointment_id: Option<String>,
    /// Every other member (the medication and its dosage: clinical data).
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(PrescriptionEvent { show: [prescription_id, appointment_id], keys: [extra] });

/// Data of `followup.scheduled`.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct FollowupEvent {
    /// The follow-up (`followupId`, `followup_id` or `id`).
    pub followup_id: Option<String>,
    /// The appointment it follows, when sent.
    pub appointment_id: Option<String>,
    /// When it is (`date`, `scheduledFor` or `scheduled_at`), as sent.
    pub date: Option<String>,
    /// Every other member.
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(FollowupEvent { show: [followup_id, appointment_id], redact: [date], keys: [extra] });

/// Data of `record.updated`.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RecordEvent {
    /// The medical record (`recordId`, `record_id` or `id`).
    pub record_id: Option<String>,
    /// The participant's medical id (`medicalId` or `medical_id`), when sent.
    pub medical_id: Option<String>,
    /// Every other member (clinical content).
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(RecordEvent { show: [record_id], redact: [medical_id], keys: [extra] });

/// Parses a webhook body into an [`Unverified`] event.
///
/// The body must be a JSON object naming its event (a non-empty `event`, `type`, `eventType` or
/// `event_type` string); anything else (an empty body, `{}`, an HTML page, invalid UTF-8, JSON that is not
/// an object, an object without an event name) is [`WebhookError::InvalidPayload`], whose reason never quotes
/// the body.
///
/// ```
/// use carewire::WebhookError;
/// use carewire::mymedic::webhooks::{self, EventData, EventType};
///
/// let delivery = webhooks::parse(br#"{"type":"program.published","data":{"programId":"prg_9"}}"#)?;
/// assert!(delivery.peek().event_type.is_unknown());
/// assert!(matches!(delivery.peek().data, EventData::Unknown(_)));
/// for body in [&b"{}"[..], b"", b"<html><body>Bad gateway</body></html>", br#"{"data":{}}"#] {
///     assert!(matches!(webhooks::parse(body), Err(WebhookError::InvalidPayload { .. })));
/// }
/// # Ok::<(), WebhookError>(())
/// ```
pub fn parse(body: impl AsRef<[u8]> + Into<RawBody>) -> Result<Unverified<WebhookEvent>, WebhookError> {
    let top = parse_event_object(body.as_ref())?;
    from_object(top, body.into())
}

/// Interprets an already parsed payload, with the same requirements as [`parse`].
pub fn from_value(raw: Value) -> Result<Unverified<WebhookEvent>, WebhookError> {
    let body = RawBody::from(&raw);
    let Value::Object(top) = raw else {
        return Err(WebhookError::InvalidPayload { reason: "the payload is not a JSON object".to_owned() });
    };
    from_object(top, body)
}

/// The event of the parsed object `top` whose body is `raw`; the object's members move into the typed data.
fn from_object(mut top: Map<String, Value>, raw: RawBody) -> Result<Unverified<WebhookEvent>, WebhookError> {
    const NAME_KEYS: [&str; 4] = ["event", "type", "eventType", "event_type"];
    const ID_KEYS: [&str; 3] = ["id", "eventId", "event_id"];
    let name = NAME_KEYS
        .iter()
        .find_map(|k| top.get(*k).and_then(Value::as_str))
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| WebhookError::InvalidPayload {
            reason: "the payload names no event (a non-empty `event` or `type` string)".to_owned(),
        })?;
    let event_type = EventType::from(name);
    let id = ID_KEYS.iter().find_map(|k| top.get(*k).and_then(text));
    let data_key = ["data", "payload"].into_iter().find(|k| top.get(*k).is_some_and(Value::is_object));
    let fields = if let Some(Value::Object(data)) = data_key.and_then(|k| top.remove(k)) {
        data
    } else {
        for key in NAME_KEYS.iter().chain(&ID_KEYS) {
            top.remove(*key);
        }
        top
    };
    let data = EventData::from_fields(&event_type, fields);
    Ok(Unverified::new(WebhookEvent { id, event_type, data, raw }))
}

impl EventData {
    fn from_fields(event_type: &EventType, mut f: Map<String, Value>) -> Self {
        let appointment = |mut f: Map<String, Value>| AppointmentEvent {
            appointment_id: take_text(&mut f, &["appointmentId", "appointment_id", "id"]),
            program_id: take_text(&mut f, &["programId", "program_id"]),
            status: take_text(&mut f, &["status"]).map(AppointmentStatus::from),
            extra: f,
        };
        let prescription = |mut f: Map<String, Value>| PrescriptionEvent {
            prescription_id: take_text(&mut f, &["prescriptionId", "prescription_id", "id"]),
            appointment_id: take_text(&mut f, &["appointmentId", "appointment_id"]),
            extra: f,
        };
        match event_type {
            EventType::AppointmentCreated => Self::AppointmentCreated(appointment(f)),
            EventType::AppointmentUpdated => Self::AppointmentUpdated(appointment(f)),
            EventType::AppointmentCancelled => Self::AppointmentCancelled(appointment(f)),
            EventType::AppointmentCompleted => Self::AppointmentCompleted(appointment(f)),
            EventType::PrescriptionCreated => Self::PrescriptionCreated(prescription(f)),
            EventType::PrescriptionUpdated => Self::PrescriptionUpdated(prescription(f)),
            EventType::FollowupScheduled => Self::FollowupScheduled(FollowupEvent {
                followup_id: take_text(&mut f, &["followupId", "followup_id", "id"]),
                appointment_id: take_text(&mut f, &["appointmentId", "appointment_id"]),
                date: take_text(&mut f, &["date", "scheduledFor", "scheduled_at", "scheduledAt"]),
                extra: f,
            }),
            EventType::RecordUpdated => Self::RecordUpdated(RecordEvent {
                record_id: take_text(&mut f, &["recordId", "record_id", "id"]),
                medical_id: take_text(&mut f, &["medicalId", "medical_id"]),
                extra: f,
            }),
            _ => Self::Unknown(f),
        }
    }
}
