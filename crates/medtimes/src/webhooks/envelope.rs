//! The one-pass reading of the usual webhook envelope (`{"id", "type", ..., "data": {...}}`, the type named
//! before the data): the data's members go straight into the typed event as the body is parsed, and the
//! members outside `data` are skipped, so no JSON tree of the whole body is built. Every other shape, and
//! every malformed body, gives `None`, and [`WebhookEvent::parse`](super::WebhookEvent::parse) reads it from
//! the parsed object instead, which defines what is accepted; a test checks that the two readings agree.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::events::{EventData, Fields, data_fields, event_type, into_text};

/// The id, type and data of the webhook `body`, when it has the usual envelope.
pub(super) fn parse(body: &[u8]) -> Option<(Option<String>, String, EventData)> {
    let text = std::str::from_utf8(carewire_core::webhook::strip_bom(body)).ok()?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let envelope = deserializer.deserialize_map(EnvelopeVisitor).ok()?;
    deserializer.end().ok()?;
    envelope.finish()
}

/// A member name, borrowed from the body when it has no escapes.
struct Name<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Name<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Name(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

/// What the body's members said, as far as the usual envelope needs them.
#[derive(Default)]
struct Envelope {
    id: Option<Value>,
    type_member: Option<Value>,
    event_member: Option<Value>,
    data: Option<Data>,
}

enum Data {
    /// Read as the data of this (modelled) event type, which was named before it.
    Typed { as_type: &'static str, data: EventData },
    /// An object read before its type was known, or of a type not modelled.
    Object(Map<String, Value>),
}

impl Envelope {
    fn finish(self) -> Option<(Option<String>, String, EventData)> {
        let named = event_type(self.type_member.as_ref(), self.event_member.as_ref())?;
        let data = match self.data? {
            // A later `type` or `event` member may have named another type than the one the data was read as.
            Data::Typed { as_type, data } => (named == as_type).then_some(data)?,
            Data::Object(object) => EventData::from_fields(named, data_fields(object)),
        };
        Some((self.id.and_then(into_text), named.to_owned(), data))
    }
}

/// Any error: the body is then read the other way, which reports it.
fn other_shape<E: de::Error>() -> E {
    E::custom("not the usual envelope")
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a webhook envelope")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
        let mut envelope = Envelope::default();
        while let Some(Name(name)) = map.next_key()? {
            // A repeated member would make the order of members matter: read the body the other way.
            let slot = match &*name {
                "id" => &mut envelope.id,
                "type" => &mut envelope.type_member,
                "event" => &mut envelope.event_member,
                "data" => {
                    if envelope.data.is_some() {
                        return Err(other_shape());
                    }
                    let known = event_type(envelope.type_member.as_ref(), envelope.event_member.as_ref())
                        .and_then(Fields::known);
                    envelope.data = Some(match known {
                        Some((as_type, spec)) => {
                            let fields = map.next_value_seed(TypedData(Fields::new(spec)))?;
                            Data::Typed { data: EventData::typed(as_type, fields), as_type }
                        }
                        None => Data::Object(map.next_value()?),
                    });
                    continue;
                }
                // Members outside `data` are not part of the event (they stay in its raw body), unless there
                // is no object `data`, which the other reading handles.
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if slot.is_some() {
                return Err(other_shape());
            }
            *slot = Some(map.next_value()?);
        }
        Ok(envelope)
    }
}

/// Reads an object `data` member into the [`Fields`] of its event type. An `object` member (the data nested
/// one level deeper) is left to the other reading.
struct TypedData(Fields);

impl<'de> DeserializeSeed<'de> for TypedData {
    type Value = Fields;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Fields, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TypedData {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut fields = self.0;
        while let Some(Name(name)) = map.next_key()? {
            if name == "object" {
                return Err(other_shape());
            }
            let value = map.next_value()?;
            fields.insert(name, value);
        }
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    use carewire_core::webhook::{RawBody, parse_event_object};

    use super::super::events::WebhookEvent;

    /// What the reading of the parsed object makes of `body`.
    fn by_object(body: &[u8]) -> Option<(Option<String>, String, super::EventData)> {
        let event = WebhookEvent::from_object(parse_event_object(body).ok()?, RawBody::from(body)).ok()?;
        Some((event.id, event.event_type, event.data))
    }

    fn pick<'a>(rng: &mut fastrand::Rng, from: &[&'a str]) -> &'a str {
        from[rng.usize(..from.len())]
    }

    fn value(rng: &mut fastrand::Rng, depth: u8) -> String {
        match rng.u8(..if depth > 1 { 5 } else { 8 }) {
            0 => "null".to_owned(),
            1 => rng.i64(-5..100_000).to_string(),
            2 => "1.5".to_owned(),
            3 => format!("\"{}\"", pick(rng, &["cns_1", "clm_\\u0032", " 42 ", "", "Member suspended", "ZAR"])),
            4 => "true".to_owned(),
            5 => format!("{{\"id\":{}}}", value(rng, depth + 1)),
            6 => format!("[{}]", value(rng, depth + 1)),
            _ => object(rng, depth + 1),
        }
    }

    const DATA_NAMES: &[&str] = &[
        "consult_id",
        "consult",
        "prescription_id",
        "prescription",
        "claim_id",
        "claim",
        "amount",
        "amount_paid",
        "currency",
        "reason_code",
        "rejection_reason_code",
        "rejection_code",
        "code",
        "reason",
        "rejection_reason",
        "reason_message",
        "message",
        "pharmacy",
        "notes",
        "object",
        "type",
        "id",
        "con\\u0073ult_id",
    ];

    fn object(rng: &mut fastrand::Rng, depth: u8) -> String {
        let members: Vec<String> =
            (0..rng.usize(0..5)).map(|_| format!("\"{}\":{}", pick(rng, DATA_NAMES), value(rng, depth + 1))).collect();
        format!("{{{}}}", members.join(","))
    }

    fn type_value(rng: &mut fastrand::Rng) -> String {
        const TYPES: &[&str] = &[
            "consult.completed",
            "claim.paid",
            "claim.rejected",
            "prescription.dispensed",
            "consult.rescheduled",
            " ",
            "",
        ];
        match rng.u8(..10) {
            0 => "7".to_owned(),
            1 => format!("{{\"type\":\"{}\"}}", pick(rng, TYPES)),
            2 => "{}".to_owned(),
            _ => format!("\"{}\"", pick(rng, TYPES)),
        }
    }

    fn envelope(rng: &mut fastrand::Rng) -> String {
        let mut members = Vec::new();
        for _ in 0..rng.usize(1..6) {
            let member = match rng.u8(..10) {
                0 => format!("\"id\":{}", value(rng, 2)),
                1 | 2 => format!("\"type\":{}", type_value(rng)),
                3 => format!("\"event\":{}", type_value(rng)),
                4..=6 => format!("\"data\":{}", if rng.u8(..6) == 0 { value(rng, 2) } else { object(rng, 0) }),
                7 => format!("\"created\":{}", value(rng, 2)),
                _ => format!("\"{}\":{}", pick(rng, DATA_NAMES), value(rng, 1)),
            };
            members.push(member);
        }
        // Mostly the usual order: type first.
        if rng.bool() {
            members.sort_by_key(|m| !m.starts_with("\"type\""));
        }
        format!("{}{{{}}}", if rng.u8(..20) == 0 { "\u{feff}" } else { "" }, members.join(", "))
    }

    #[test]
    fn one_pass_reading_agrees_with_the_parsed_object() {
        let mut rng = fastrand::Rng::with_seed(14);
        let (mut one_pass, mut typed) = (0, 0);
        for _ in 0..20_000 {
            let body = envelope(&mut rng);
            if let Some(fast) = super::parse(body.as_bytes()) {
                one_pass += 1;
                typed += usize::from(!matches!(fast.2, super::EventData::Unknown(_)));
                assert_eq!(Some(fast), by_object(body.as_bytes()), "{body}");
            }
        }
        assert!(one_pass > 1_000 && typed > 500, "only {one_pass} bodies ({typed} typed) were read in one pass");
    }

    #[test]
    fn the_documented_envelope_is_read_in_one_pass() {
        let body = br#"{"id":"evt_1","type":"claim.rejected","created":1713110400,
            "data":{"claim":{"id":"clm_1"},"rejection_code":54,"message":"Member suspended","notes":"x"}}"#;
        let (id, event_type, data) = super::parse(body).expect("the usual envelope");
        assert_eq!((id.as_deref(), event_type.as_str()), (Some("evt_1"), "claim.rejected"));
        let super::EventData::ClaimRejected(rejected) = data else { panic!("{data:?}") };
        assert_eq!(rejected.claim_id.as_deref(), Some("clm_1"));
        assert_eq!(rejected.reason_code.as_deref(), Some("54"));
        assert_eq!(rejected.reason.as_deref(), Some("Member suspended"));
        assert_eq!(rejected.extra.keys().collect::<Vec<_>>(), ["notes"]);
        for other in [&br#"{"data":{"claim_id":"clm_1"},"type":"claim.paid"}"#[..], br#"{"type":"claim.paid"}"#] {
            assert!(super::parse(other).is_some() == other.starts_with(b"{\"data"), "{other:?}");
        }
    }
}
