//! Typed Medtimes webhook events: [`WebhookEvent`] (type, id, data, raw payload) and the data of each event
//! type the doc names ([`EventData`]), read leniently from an undocumented envelope.

use std::fmt;

use carewire_core::redact::Keys;
use carewire_core::webhook::{RawBody, WebhookError, parse_event_object};
use serde_json::{Map, Value};

/// A parsed Medtimes webhook.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The event id, when the payload has a top-level `id` (undocumented).
    pub id: Option<String>,
    /// The event type (`"consult.completed"`), from `type` or `event`; never empty.
    pub event_type: String,
    /// The typed data.
    pub data: EventData,
    /// The whole body as received (`event.raw.json()` parses it again, for fields not modelled here). It may
    /// contain patient data.
    pub raw: RawBody,
}

carewire_core::redacted_debug!(WebhookEvent { show: [id, event_type, data], redact: [raw] });

impl WebhookEvent {
    /// Parses a (verified) webhook body.
    ///
    /// The body must be a JSON object naming its event type in a non-empty `type` or `event` string (or
    /// `event.type`); anything else (an empty body, `{}`, an HTML error page, invalid UTF-8, JSON that is not
    /// an object, an object without a type) is [`WebhookError::InvalidPayload`], whose reason never quotes the
    /// body. Unknown fields are kept, and an unknown type gives [`EventData::Unknown`].
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::WebhookError;
    /// use carewire_medtimes::webhooks::{EventData, WebhookEvent};
    ///
    /// let event = WebhookEvent::parse(br#"{"type":"consult.rescheduled","data":{"consult_id":"cns_1"}}"#)?;
    /// assert!(matches!(event.data, EventData::Unknown(_)));
    /// for body in [&b"{}"[..], b"", b"<html><body>Bad gateway</body></html>", br#"{"data":{}}"#] {
    ///     assert!(matches!(WebhookEvent::parse(body), Err(WebhookError::InvalidPayload { .. })));
    /// }
    /// # Ok::<(), WebhookError>(())
    /// ```
    pub fn parse(body: &[u8]) -> Result<Self, WebhookError> {
        Self::from_object(parse_event_object(body)?, RawBody::new(body))
    }

    /// Interprets an already parsed payload, with the same requirements as [`WebhookEvent::parse`].
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_medtimes::webhooks::WebhookEvent;
    ///
    /// let event = WebhookEvent::from_value(serde_json::json!({"event": "claim.paid", "claim_id": "clm_1"}))?;
    /// assert_eq!(event.event_type, "claim.paid");
    /// assert!(WebhookEvent::from_value(serde_json::json!({"type": ""})).is_err());
    /// # Ok::<(), carewire_core::webhook::WebhookError>(())
    /// ```
    pub fn from_value(raw: Value) -> Result<Self, WebhookError> {
        let body = RawBody::from(&raw);
        let Value::Object(top) = raw else {
            return Err(WebhookError::InvalidPayload { reason: "the payload is not a JSON object".to_owned() });
        };
        Self::from_object(top, body)
    }

    /// The event of the parsed object `top` whose body is `raw`. The object's members move into the typed
    /// data: nothing is copied but the few strings read from it.
    fn from_object(mut top: Map<String, Value>, raw: RawBody) -> Result<Self, WebhookError> {
        let event_type = ["type", "event"]
            .iter()
            .find_map(|key| match top.get(*key) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Object(o)) => o.get("type").and_then(Value::as_str).map(str::to_owned),
                _ => None,
            })
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| WebhookError::InvalidPayload {
                reason: "the payload names no event type (a non-empty `type` or `event` string)".to_owned(),
            })?;
        let id = top.get("id").and_then(text);
        let fields: Map<String, Value> = match top.remove("data") {
            Some(Value::Object(mut data)) => match data.remove("object") {
                Some(Value::Object(object)) => object,
                Some(other) => {
                    data.insert("object".to_owned(), other);
                    data
                }
                None => data,
            },
            other => {
                if let Some(other) = other {
                    top.insert("data".to_owned(), other);
                }
                top.remove("type");
                top.remove("event");
                top
            }
        };
        let data = EventData::from_fields(&event_type, fields);
        Ok(Self { id, event_type, data, raw })
    }
}

/// The data of a webhook, typed by event type.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum EventData {
    /// `consult.completed`: the doctor ended the call and finalised the notes.
    ConsultCompleted(ConsultCompleted),
    /// `claim.paid`: the switching house confirmed remittance.
    ClaimPaid(ClaimPaid),
    /// `claim.rejected`: the claim was denied, with the rejection reason code.
    ClaimRejected(ClaimRejected),
    /// `prescription.dispensed`: the pharmacy confirmed collection.
    PrescriptionDispensed(PrescriptionDispensed),
    /// Any other event type; the data object as received (see also [`WebhookEvent::raw`]).
    Unknown(Map<String, Value>),
}

impl fmt::Debug for EventData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConsultCompleted(e) => f.debug_tuple("ConsultCompleted").field(e).finish(),
            Self::ClaimPaid(e) => f.debug_tuple("ClaimPaid").field(e).finish(),
            Self::ClaimRejected(e) => f.debug_tuple("ClaimRejected").field(e).finish(),
            Self::PrescriptionDispensed(e) => f.debug_tuple("PrescriptionDispensed").field(e).finish(),
            Self::Unknown(map) => f.debug_tuple("Unknown").field(&Keys(map)).finish(),
        }
    }
}

impl EventData {
    fn from_fields(event_type: &str, mut fields: Map<String, Value>) -> Self {
        match event_type {
            "consult.completed" => Self::ConsultCompleted(ConsultCompleted {
                consult_id: take_text(&mut fields, &["consult_id", "consult"]),
                prescription_id: take_text(&mut fields, &["prescription_id", "prescription"]),
                extra: fields,
            }),
            "claim.paid" => Self::ClaimPaid(ClaimPaid {
                claim_id: take_text(&mut fields, &["claim_id", "claim"]),
                amount: take_i64(&mut fields, &["amount", "amount_paid"]),
                currency: take_text(&mut fields, &["currency"]),
                extra: fields,
            }),
            "claim.rejected" => Self::ClaimRejected(ClaimRejected {
                claim_id: take_text(&mut fields, &["claim_id", "claim"]),
                reason_code: take_text(
                    &mut fields,
                    &["reason_code", "rejection_reason_code", "rejection_code", "code"],
                ),
                reason: take_text(&mut fields, &["reason", "rejection_reason", "reason_message", "message"]),
                extra: fields,
            }),
            "prescription.dispensed" => Self::PrescriptionDispensed(PrescriptionDispensed {
                prescription_id: take_text(&mut fields, &["prescription_id", "prescription"]),
                consult_id: take_text(&mut fields, &["consult_id", "consult"]),
                pharmacy: take_text(&mut fields, &["pharmacy"]),
                extra: fields,
            }),
            _ => Self::Unknown(fields),
        }
    }
}

/// Data of `consult.completed`.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ConsultCompleted {
    /// The consultation (`consult_id` or `consult`).
    pub consult_id: Option<String>,
    /// The prescription issued, if any (`prescription_id`; fetch it with
    /// [`Prescriptions::get`](crate::Prescriptions::get)).
    pub prescription_id: Option<String>,
    /// Other fields.
    pub extra: Map<String, Value>,
}

/// Data of `claim.paid`.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ClaimPaid {
    /// The claim (`claim_id` or `claim`).
    pub claim_id: Option<String>,
    /// The amount remitted in cents, if sent.
    pub amount: Option<i64>,
    /// The currency, if sent.
    pub currency: Option<String>,
    /// Other fields.
    pub extra: Map<String, Value>,
}

/// Data of `claim.rejected`.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ClaimRejected {
    /// The claim (`claim_id` or `claim`).
    pub claim_id: Option<String>,
    /// The rejection reason code (`reason_code`, `rejection_reason_code`, `rejection_code` or `code`).
    pub reason_code: Option<String>,
    /// The human-readable reason (`reason`, `rejection_reason`, `reason_message` or `message`), such as
    /// "Member suspended".
    pub reason: Option<String>,
    /// Other fields.
    pub extra: Map<String, Value>,
}

impl ClaimRejected {
    /// The reason code, or the reason text when the payload has no separate code.
    pub fn code_or_reason(&self) -> Option<&str> {
        self.reason_code.as_deref().or(self.reason.as_deref())
    }
}

/// Data of `prescription.dispensed`.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct PrescriptionDispensed {
    /// The prescription (`prescription_id` or `prescription`).
    pub prescription_id: Option<String>,
    /// The consultation, if sent.
    pub consult_id: Option<String>,
    /// The pharmacy, if sent.
    pub pharmacy: Option<String>,
    /// Other fields.
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(ConsultCompleted { show: [consult_id, prescription_id], keys: [extra] });
carewire_core::redacted_debug!(ClaimPaid { show: [claim_id, amount, currency], keys: [extra] });
// `reason` is free text from the scheme and may name the member: not shown; nor is a code with an id in it.
impl fmt::Debug for ClaimRejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code =
            self.reason_code.as_deref().map(|c| if carewire_core::error::is_plain_code(c) { c } else { "[REDACTED]" });
        f.debug_struct("ClaimRejected")
            .field("claim_id", &self.claim_id)
            .field("reason_code", &code)
            .field("reason", &carewire_core::redact::Redacted(&self.reason))
            .field("extra", &Keys(&self.extra))
            .finish()
    }
}
carewire_core::redacted_debug!(PrescriptionDispensed { show: [prescription_id, consult_id, pharmacy], keys: [extra] });

/// A string or number as text; an object's `id` (an expanded object); anything else `None`.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => o.get("id").and_then(text),
        _ => None,
    }
}

/// Removes the first of `keys` present with a usable value and returns it as text.
fn take_text(fields: &mut Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| {
        let found = fields.get(*key).and_then(text)?;
        fields.remove(*key);
        Some(found)
    })
}

fn take_i64(fields: &mut Map<String, Value>, keys: &[&str]) -> Option<i64> {
    keys.iter().find_map(|key| {
        let found = match fields.get(*key)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }?;
        fields.remove(*key);
        Some(found)
    })
}
