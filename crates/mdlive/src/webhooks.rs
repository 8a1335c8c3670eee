//! Receiving MDLIVE webhooks. MDLIVE posts `{"event": {"token", "action", "data": {<key>: {...}}}}` to the
//! registered URL; it signs nothing (no signature header, no HMAC), so [`parse`] returns the event wrapped in
//! [`Unverified`]: authenticate the delivery another way (a secret path segment, an IP allow-list) or
//! confirm the event by fetching what it names, then take it with
//! [`assume_verified`](Unverified::assume_verified).
//!
//! ```
//! use carewire::mdlive::webhooks::{self, Action, EventData};
//!
//! let body = br#"{"event": {"token": "c1f3", "action": "prescription:pharmacy:accepted",
//!     "data": {"prescription": {"id": 1, "patient_id": 3, "provider_id": 4, "appointment_id": 43}}}}"#;
//! let delivery = webhooks::parse(body)?;
//! assert_eq!(delivery.peek().action, Action::PrescriptionPharmacyAccepted);
//! // ... the delivery came through the receiver's secret URL:
//! let event = delivery.assume_verified();
//! match event.data {
//!     EventData::Prescription(p) => assert_eq!(p.appointment_id.as_deref(), Some("43")),
//!     other => panic!("unexpected {other:?}"),
//! }
//! # Ok::<(), carewire::core::WebhookError>(())
//! ```

use carewire_core::WebhookError;
use carewire_core::de::LenientDateTime;
use carewire_core::webhook::{RawBody, Unverified, parse_event_object};
use chrono::{DateTime, FixedOffset};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

carewire_core::open_enum! {
    /// What happened (`event.action`): the six actions MDLIVE documents, or `Unknown` with the text.
    Action {
        /// `message:provider:created`: a provider sent the patient a message.
        MessageProviderCreated => "message:provider:created",
        /// `consultation:provider:accepted`: the first available provider accepted the consultation from the
        /// waiting room.
        ConsultationProviderAccepted => "consultation:provider:accepted",
        /// `consultation:provider:ready`: the provider is ready to connect for the video consultation.
        ConsultationProviderReady => "consultation:provider:ready",
        /// `prescription:pharmacy:accepted`: a pharmacy received a prescription for the patient.
        PrescriptionPharmacyAccepted => "prescription:pharmacy:accepted",
        /// `consultation:provider:requested`: a provider requested an appointment for the patient.
        ConsultationProviderRequested => "consultation:provider:requested",
        /// `consultation:status:changed`: a consultation changed status.
        ConsultationStatusChanged => "consultation:status:changed",
    }
}

impl Default for Action {
    fn default() -> Self {
        Self::Unknown(String::new())
    }
}

carewire_core::open_enum! {
    /// A consultation's status in an appointment event.
    ConsultationStatus {
        /// `pending`.
        Pending => "pending",
        /// `in_progress`.
        InProgress => "in_progress",
        /// `completed`.
        Completed => "completed",
    }
}

/// The message of a `message:provider:created` event (read it with the conversation calls).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EventMessage {
    /// The message id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// When it was sent (`2018-01-23T02:33:13+00:00`).
    #[serde(default)]
    pub date_time: Option<LenientDateTime>,
    /// The sender's id (do not infer the direction from ids: the doc's example contradicts itself).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub from_id: Option<String>,
    /// The recipient's id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub to_id: Option<String>,
    /// Whether it is unread.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub unread_status: Option<bool>,
    /// The message it answers.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub replied_to_message_id: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(EventMessage {
    show: [id, date_time, from_id, to_id, unread_status, replied_to_message_id],
    keys: [extra],
});

/// The appointment of a consultation event.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EventAppointment {
    /// The appointment id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The patient.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub patient_id: Option<String>,
    /// The provider.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub provider_id: Option<String>,
    /// The start in MDLIVE's human format (`Wednesday, Aug 07 2019 at 03:00PM EDT`).
    #[serde(default)]
    pub start_date: Option<LenientDateTime>,
    /// The start in RFC 3339 (`2019-08-07T15:00:00-04:00`).
    #[serde(default)]
    pub start_date_rfc3339: Option<LenientDateTime>,
    /// `video` or `phone`.
    #[serde(default)]
    pub appointment_by: Option<String>,
    /// `pending`, `in_progress`, `completed`, ...
    #[serde(default)]
    pub status: Option<ConsultationStatus>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(EventAppointment {
    show: [id, patient_id, provider_id, start_date_rfc3339, appointment_by, status],
    keys: [extra],
});

impl EventAppointment {
    /// The start: the RFC 3339 field when readable, else the human-format one.
    pub fn start(&self) -> Option<DateTime<FixedOffset>> {
        self.start_date_rfc3339.as_ref().and_then(LenientDateTime::parse).or_else(|| self.start_date.as_ref()?.parse())
    }
}

/// The prescription of a `prescription:pharmacy:accepted` event (fetch it with the prescription call).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EventPrescription {
    /// The prescription id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The patient.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub patient_id: Option<String>,
    /// The prescribing provider.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub provider_id: Option<String>,
    /// The consultation it was issued in.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub appointment_id: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(EventPrescription {
    show: [id, patient_id, provider_id, appointment_id],
    keys: [extra]
});

/// The availability of a `consultation:provider:requested` event.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EventAvailability {
    /// The id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The patient.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub patient_id: Option<String>,
    /// The provider.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub provider_id: Option<String>,
    /// The proposed start, here in RFC 3339 (`2018-11-15T15:43:45+00:00`).
    #[serde(default)]
    pub start_date: Option<LenientDateTime>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(EventAvailability { show: [id, patient_id, provider_id, start_date], keys: [extra] });

/// `event.data`, by its one key; data that is not what the SDK knows stays raw JSON in `Other`.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub enum EventData {
    /// `message`.
    Message(EventMessage),
    /// `appointment`.
    Appointment(EventAppointment),
    /// `prescription`.
    Prescription(EventPrescription),
    /// `availability`.
    Availability(EventAvailability),
    /// Another key, or a known key whose object did not decode: the key and the raw JSON (which may hold
    /// patient data: `Debug` shows the key only).
    Other(OtherData),
    /// The event had no data object.
    #[default]
    None,
}

/// Data carewire does not know: its key and its raw JSON.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct OtherData {
    /// The data key.
    pub key: String,
    /// The data, as received.
    pub value: Value,
}

carewire_core::redacted_debug!(OtherData { show: [key], redact: [value] });

/// A webhook event.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// `event.token`, a random id per delivery (no proof of origin; hidden by `Debug`).
    pub token: Option<String>,
    /// What happened.
    pub action: Action,
    /// What it happened to.
    pub data: EventData,
    /// The whole body as received (`event.raw.json()` parses it again, for fields not modelled here).
    pub raw: RawBody,
}

carewire_core::redacted_debug!(Event { show: [action, data], redact: [token, raw] });

impl Event {
    /// The action's wire name (`"consultation:status:changed"`).
    pub fn name(&self) -> &str {
        self.action.as_str()
    }
}

/// `value` as `T`, read in place (no copy of the value).
fn typed<T: DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

fn data_of(data: Option<Value>) -> EventData {
    let Some(Value::Object(mut map)) = data else {
        return EventData::None;
    };
    let known = ["message", "appointment", "prescription", "availability"];
    let Some(key) = map.keys().find(|k| known.contains(&k.as_str())).or_else(|| map.keys().next()).cloned() else {
        return EventData::None;
    };
    let Some(value) = map.remove(&key) else {
        return EventData::None;
    };
    let parsed = match key.as_str() {
        "message" => typed(&value).map(EventData::Message),
        "appointment" => typed(&value).map(EventData::Appointment),
        "prescription" => typed(&value).map(EventData::Prescription),
        "availability" => typed(&value).map(EventData::Availability),
        _ => None,
    };
    parsed.unwrap_or(EventData::Other(OtherData { key, value }))
}

/// Parses a delivery's raw body into an [`Event`], unverified (MDLIVE signs nothing). A body that is not an
/// event (empty, not JSON, an HTML page, no `event` object, no `action`) is
/// [`WebhookError::InvalidPayload`]; an action or data key carewire does not know is kept, not refused.
pub fn parse(body: impl AsRef<[u8]> + Into<RawBody>) -> Result<Unverified<Event>, WebhookError> {
    let invalid = |reason: &str| WebhookError::InvalidPayload { reason: reason.to_owned() };
    let mut object = parse_event_object(body.as_ref())?;
    let Some(Value::Object(mut event)) = object.remove("event") else {
        return Err(invalid("the payload has no `event` object"));
    };
    let action = match event.get("action") {
        Some(Value::String(a)) if !a.trim().is_empty() => Action::from(a.as_str()),
        _ => return Err(invalid("the event has no `action`")),
    };
    let token = match event.get("token") {
        Some(Value::String(t)) => Some(t.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let data = data_of(event.remove("data"));
    Ok(Unverified::new(Event { token, action, data, raw: body.into() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_broken_objects_stay_raw() {
        let body = br#"{"event": {"action": "visit:new", "data": {"visit": {"id": 9}}}}"#;
        let e = parse(body).unwrap().assume_verified();
        assert_eq!(e.action, Action::Unknown("visit:new".into()));
        assert!(matches!(e.data, EventData::Other(ref o) if o.key == "visit" && o.value["id"] == 9));
        let broken = br#"{"event": {"action": "message:provider:created", "data": {"message": {"id": {}}}}}"#;
        let e = parse(broken).unwrap().assume_verified();
        assert!(matches!(e.data, EventData::Other(ref o) if o.key == "message"));
        let none = parse(br#"{"event": {"action": "consultation:status:changed"}}"#).unwrap();
        assert_eq!(none.peek().data, EventData::None);
    }

    #[test]
    fn non_events_are_invalid_payloads() {
        for body in [
            &b""[..],
            b"{}",
            b"[]",
            b"<html>502</html>",
            br#"{"event": 1}"#,
            br#"{"event": {"data": {}}}"#,
            br#"{"type": "x"}"#,
        ] {
            assert!(
                matches!(parse(body), Err(WebhookError::InvalidPayload { .. })),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
