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
    pub fn parse(body: impl AsRef<[u8]> + Into<RawBody>) -> Result<Self, WebhookError> {
        // The usual envelope is read in one pass; any other shape (and every malformed body) from the parsed
        // object, which defines what is accepted and how it is refused. The body is kept (a borrowed one
        // copied) only once it has parsed.
        if let Some((id, event_type, data)) = super::envelope::parse(body.as_ref()) {
            return Ok(Self { id, event_type, data, raw: body.into() });
        }
        let top = parse_event_object(body.as_ref())?;
        Self::from_object(top, body.into())
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
    pub(super) fn from_object(mut top: Map<String, Value>, raw: RawBody) -> Result<Self, WebhookError> {
        let event_type = event_type(top.get("type"), top.get("event")).map(str::to_owned).ok_or_else(|| {
            WebhookError::InvalidPayload {
                reason: "the payload names no event type (a non-empty `type` or `event` string)".to_owned(),
            }
        })?;
        let id = top.get("id").and_then(text);
        let fields: Map<String, Value> = match top.remove("data") {
            Some(Value::Object(data)) => data_fields(data),
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

/// The event type named by the envelope's `type` (or else `event`) member: a string, or an object's `type`
/// string; `None` when neither names one or the one found is blank.
pub(super) fn event_type<'a>(type_member: Option<&'a Value>, event_member: Option<&'a Value>) -> Option<&'a str> {
    [type_member, event_member]
        .into_iter()
        .flatten()
        .find_map(|value| match value {
            Value::String(s) => Some(s.as_str()),
            Value::Object(o) => o.get("type").and_then(Value::as_str),
            _ => None,
        })
        .filter(|t| !t.trim().is_empty())
}

/// The fields of an object `data` member: those of `data.object` when that is an object, else `data`'s own.
pub(super) fn data_fields(mut data: Map<String, Value>) -> Map<String, Value> {
    match data.remove("object") {
        Some(Value::Object(object)) => object,
        Some(other) => {
            data.insert("object".to_owned(), other);
            data
        }
        None => data,
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
    pub(super) fn from_fields(event_type: &str, fields: Map<String, Value>) -> Self {
        match Fields::known(event_type) {
            Some((known, spec)) => Self::typed(known, Fields::from_map(spec, fields)),
            None => Self::Unknown(fields),
        }
    }

    /// The data of a modelled `event_type` (one [`Fields::known`] knows) from its collected fields.
    pub(super) fn typed(event_type: &str, mut f: Fields) -> Self {
        match event_type {
            "consult.completed" => Self::ConsultCompleted(ConsultCompleted {
                consult_id: f.take(0, text),
                prescription_id: f.take(1, text),
                extra: f.finish(),
            }),
            "claim.paid" => Self::ClaimPaid(ClaimPaid {
                claim_id: f.take(0, text),
                amount: f.take(1, integer),
                currency: f.take(2, text),
                extra: f.finish(),
            }),
            "claim.rejected" => Self::ClaimRejected(ClaimRejected {
                claim_id: f.take(0, text),
                reason_code: f.take(1, text),
                reason: f.take(2, text),
                extra: f.finish(),
            }),
            "prescription.dispensed" => Self::PrescriptionDispensed(PrescriptionDispensed {
                prescription_id: f.take(0, text),
                consult_id: f.take(1, text),
                pharmacy: f.take(2, text),
                extra: f.finish(),
            }),
            _ => Self::Unknown(f.finish()),
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
pub(super) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => o.get("id").and_then(text),
        _ => None,
    }
}

/// [`text`], taking a string out of `value` instead of copying it.
pub(super) fn into_text(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        other => text(&other),
    }
}

/// An integer, or a string holding one.
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Names each typed field of an event is read from, in order of preference, by event type.
type Spec = &'static [&'static [&'static str]];

/// The most names all the fields of one event type are read from (`claim.rejected`'s ten).
const MAX_NAMES: usize = 10;

/// The members of one event's data, sorted as they are read: the values of the names its typed fields are
/// read from (by position in its [`Spec`]), and the rest.
pub(super) struct Fields {
    spec: Spec,
    named: [Option<Value>; MAX_NAMES],
    extra: Map<String, Value>,
}

impl Fields {
    /// A modelled `event_type` (as a `'static` name) and the names its typed fields are read from; `None`
    /// for a type not modelled.
    pub(super) fn known(event_type: &str) -> Option<(&'static str, Spec)> {
        Some(match event_type {
            "consult.completed" => {
                ("consult.completed", &[&["consult_id", "consult"], &["prescription_id", "prescription"]])
            }
            "claim.paid" => ("claim.paid", &[&["claim_id", "claim"], &["amount", "amount_paid"], &["currency"]]),
            "claim.rejected" => (
                "claim.rejected",
                &[
                    &["claim_id", "claim"],
                    &["reason_code", "rejection_reason_code", "rejection_code", "code"],
                    &["reason", "rejection_reason", "reason_message", "message"],
                ],
            ),
            "prescription.dispensed" => (
                "prescription.dispensed",
                &[&["prescription_id", "prescription"], &["consult_id", "consult"], &["pharmacy"]],
            ),
            _ => return None,
        })
    }

    pub(super) fn new(spec: Spec) -> Self {
        Self { spec, named: Default::default(), extra: Map::new() }
    }

    fn from_map(spec: Spec, mut map: Map<String, Value>) -> Self {
        let mut fields = Self::new(spec);
        for (slot, name) in fields.named.iter_mut().zip(spec.iter().flat_map(|names| names.iter())) {
            *slot = map.remove(*name);
        }
        fields.extra = map;
        fields
    }

    /// Keeps one member: under its position when a typed field is read from `name`, else with the rest.
    pub(super) fn insert(&mut self, name: std::borrow::Cow<'_, str>, value: Value) {
        match self.spec.iter().flat_map(|names| names.iter()).position(|n| *n == name) {
            Some(at) => self.named[at] = Some(value),
            None => {
                self.extra.insert(name.into_owned(), value);
            }
        }
    }

    /// Typed field `field`: the first of its names whose value `read` accepts, which is then no longer kept.
    fn take<T>(&mut self, field: usize, read: fn(&Value) -> Option<T>) -> Option<T> {
        let start: usize = self.spec[..field].iter().map(|names| names.len()).sum();
        let slots = self.named.iter_mut().skip(start).take(self.spec[field].len());
        slots.into_iter().find_map(|slot| {
            let found = read(slot.as_ref()?)?;
            *slot = None;
            Some(found)
        })
    }

    /// The members no typed field took.
    fn finish(self) -> Map<String, Value> {
        let mut extra = self.extra;
        let names = self.spec.iter().flat_map(|names| names.iter());
        for (value, name) in self.named.into_iter().zip(names) {
            if let Some(value) = value {
                extra.insert((*name).to_owned(), value);
            }
        }
        extra
    }
}
