//! Messages: the system inbox (paginated with `page`/`per`, with the unread count), contacts (providers the
//! patient has an appointment with or has heard from), conversations, one conversation (paginated), sending a
//! message to a contact, and marking a received message read.

use serde_json::{Value, json};

use super::super::providers::contact;
use super::super::state::{Message, State, now_secs, rfc3339, rfc3339_millis};
use super::{Ctx, Outcome, body, field, int_like, invalid, not_found, obj, ok, page_of, positive};
use crate::Reply;

/// The id MDLIVE's system messages come from.
const SYSTEM_ID: u64 = 2;

/// `(from, from_id, to, to_id)` of a message.
fn parties(st: &State, m: &Message) -> (String, u64, String, u64) {
    let patient = st.patient_name(m.patient_id);
    match m.provider_id {
        None => ("System Controller".to_owned(), SYSTEM_ID, patient, m.patient_id),
        Some(pid) => {
            let provider = st.provider(pid).map(|p| p.fullname.clone()).unwrap_or_default();
            if m.from_patient { (patient, m.patient_id, provider, pid) } else { (provider, pid, patient, m.patient_id) }
        }
    }
}

/// A message as the inbox and `create` render it.
pub(in super::super) fn message_json(st: &State, m: &Message) -> Value {
    let (from, from_id, to, to_id) = parties(st, m);
    json!({
        "id": m.id,
        "date_time": rfc3339(m.at),
        "from": from,
        "from_id": from_id,
        "to": to,
        "to_id": to_id,
        "subject": m.subject,
        "message": m.body,
        "unread_status": m.unread,
        "replied_to_message_id": m.replied_to,
    })
}

/// A message as a conversation renders it (`reply_allowed` instead of `replied_to_message_id`).
fn conversation_json(st: &State, m: &Message) -> Value {
    let mut v = message_json(st, m);
    if let Some(o) = v.as_object_mut() {
        o.remove("replied_to_message_id");
        o.insert("reply_allowed".into(), json!(!m.from_patient));
    }
    v
}

fn newest_first(mut rows: Vec<&Message>) -> Vec<&Message> {
    rows.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    rows
}

/// Whether the patient may message the provider: an appointment (not cancelled) with them, or a message from
/// them.
pub(in super::super) fn may_message(st: &State, patient_id: u64, provider_id: u64) -> bool {
    st.appointments
        .iter()
        .any(|a| a.patient_id == patient_id && a.provider_id == Some(provider_id) && a.status != "cancelled")
        || st
            .messages
            .iter()
            .any(|m| m.patient_id == patient_id && m.provider_id == Some(provider_id) && !m.from_patient)
}

/// `GET /api/v1/patients/{patient_id}/messages/system?page=&per=`.
pub(in super::super) fn system(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let page = positive(ctx.q("page"), "page", 1)?;
    let per = positive(ctx.q("per"), "per", 10)?;
    let pid = ctx.patient_id;
    let inbox = newest_first(st.messages.iter().filter(|m| m.patient_id == pid && m.provider_id.is_none()).collect());
    let rows: Vec<Value> = page_of(&inbox, page, per).into_iter().map(|m| message_json(st, m)).collect();
    let unread = st.messages.iter().filter(|m| m.patient_id == pid && !m.from_patient && m.unread).count();
    ok(&json!({ "messages": rows, "unread": unread }))
}

/// `GET /api/v1/patients/{patient_id}/messages/contacts`.
pub(in super::super) fn contacts(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let rows: Vec<Value> = st.providers.iter().filter(|p| may_message(st, ctx.patient_id, p.id)).map(contact).collect();
    ok(&json!({ "contacts": rows }))
}

/// `GET /api/v2/patients/{patient_id}/messages/conversations`: one per provider, latest first.
pub(in super::super) fn conversations(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let pid = ctx.patient_id;
    let mut rows: Vec<(i64, Value)> = Vec::new();
    for provider in &st.providers {
        let thread = newest_first(
            st.messages.iter().filter(|m| m.patient_id == pid && m.provider_id == Some(provider.id)).collect(),
        );
        let Some(last) = thread.first() else {
            continue;
        };
        let unread = thread.iter().filter(|m| !m.from_patient && m.unread).count();
        rows.push((
            last.at,
            json!({
                "provider": contact(provider),
                "unread_messages": if unread == 0 { Value::Null } else { json!(unread) },
                "recent_message_body": last.body,
                "last_message_at": rfc3339_millis(last.at),
                "last_message_by": if last.from_patient { "patient" } else { "provider" },
            }),
        ));
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.0));
    ok(&json!({ "conversations": rows.into_iter().map(|(_, v)| v).collect::<Vec<_>>() }))
}

/// `GET /api/v1/patients/{patient_id}/providers/{provider_id}/conversation?page=&per=`.
pub(in super::super) fn conversation(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let provider_id = ctx.id("provider_id")?;
    st.provider(provider_id).ok_or_else(|| not_found("provider"))?;
    let page = positive(ctx.q("page"), "page", 1)?;
    let per = positive(ctx.q("per"), "per", 10)?;
    let pid = ctx.patient_id;
    let thread = newest_first(
        st.messages.iter().filter(|m| m.patient_id == pid && m.provider_id == Some(provider_id)).collect(),
    );
    let rows: Vec<Value> = page_of(&thread, page, per).into_iter().map(|m| conversation_json(st, m)).collect();
    ok(&json!({ "messages": rows }))
}

/// `POST /api/v1/patients/{patient_id}/messages`: to a provider the patient may message.
pub(in super::super) fn create(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let m = obj(&b, "message", "message")?;
    if field(m, "message_type", "message.message_type")? != "follow_up" {
        return Err(invalid("message.message_type", "must be follow_up"));
    }
    let to = int_like(m.get("to_id")).and_then(|i| u64::try_from(i).ok());
    let to = to.ok_or_else(|| invalid("message.to_id", "is required (a provider id)"))?;
    let subject = field(m, "subject", "message.subject")?;
    let text = field(m, "message", "message.message")?;
    st.provider(to).ok_or_else(|| not_found("provider"))?;
    if !may_message(st, ctx.patient_id, to) {
        return Err(invalid("message.to_id", "is not a provider this patient has an appointment or a message with"));
    }
    let replied_to = match m.get("replied_to_message_id").filter(|v| !v.is_null()) {
        None => None,
        Some(v) => {
            let id = int_like(Some(v)).and_then(|i| u64::try_from(i).ok());
            let valid = id.filter(|id| {
                st.messages.iter().any(|x| {
                    x.id == *id && x.patient_id == ctx.patient_id && x.provider_id == Some(to) && !x.from_patient
                })
            });
            Some(
                valid
                    .ok_or_else(|| invalid("message.replied_to_message_id", "must be a message from that provider"))?,
            )
        }
    };
    let message = Message {
        id: st.next_id(),
        patient_id: ctx.patient_id,
        provider_id: Some(to),
        from_patient: true,
        subject,
        body: text,
        unread: true,
        replied_to,
        at: now_secs(),
    };
    let json = message_json(st, &message);
    st.messages.push(message);
    ok(&json!({ "message": json }))
}

/// `PUT /api/v1/patients/{patient_id}/messages/{message_id}/mark_read`: 204; only messages to the patient.
pub(in super::super) fn mark_read(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.id("message_id")?;
    let pid = ctx.patient_id;
    let found = st.messages.iter_mut().find(|m| m.id == id && m.patient_id == pid && !m.from_patient);
    found.ok_or_else(|| not_found("message"))?.unread = false;
    Ok(Reply::no_content())
}
