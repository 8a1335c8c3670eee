//! The Docplanner sandbox's calendar breaks: list by range, add, get, move, delete, the `break-*`
//! notifications, and [`blocks`], which hides the slots a break overlaps.

use serde_json::{Map, Value, json};

use super::State;
use super::routes::{address_url, notify};
use super::util::{Invalid, Stamp, body_object, error, ok, query, required, try_reply};
use crate::{Params, RecordedRequest, Reply};

/// A calendar break of the address.
#[derive(Clone, Debug)]
pub(crate) struct BreakRec {
    id: String,
    since: Stamp,
    till: Stamp,
    description: Option<String>,
}

fn break_json(b: &BreakRec) -> Value {
    json!({"id": b.id, "since": b.since.format(), "till": b.till.format(), "description": b.description})
}

/// The break as `break-*` notifications carry it (`BreakNotification`: no description).
fn break_event(b: &BreakRec) -> Value {
    json!({ "break": {"id": b.id, "since": b.since.format(), "till": b.till.format()} })
}

/// Whether a break overlaps `minutes` from `start`.
pub(crate) fn blocks(st: &State, start: Stamp, minutes: u32) -> bool {
    let end = start.ts + i64::from(minutes.max(1)) * 60;
    st.breaks.iter().any(|b| b.since.ts < end && start.ts < b.till.ts)
}

fn find(st: &State, p: &Params) -> Option<usize> {
    let id = p.get("break_id")?;
    st.breaks.iter().position(|b| b.id == id)
}

fn not_found() -> Reply {
    error(404, "Invalid break ID")
}

/// `since` and `till` of a body: both required, both date-times.
fn body_range(body: &Map<String, Value>) -> Result<(Stamp, Stamp), Reply> {
    let mut range = [None, None];
    for (slot, name) in range.iter_mut().zip(["since", "till"]) {
        *slot = match body.get(name) {
            None | Some(Value::Null) => return Err(required(name)),
            Some(Value::String(s)) => Some(Stamp::parse(s).ok_or_else(|| error(400, "Invalid date given."))?),
            Some(_) => return Err(error(400, "Invalid date given.")),
        };
    }
    match range {
        [Some(since), Some(till)] => Ok((since, till)),
        _ => Err(required("since")),
    }
}

/// `GET .../breaks?since=..&till=..`: the breaks overlapping the range, by start.
pub(super) fn list(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let mut range = [None, None];
    for (slot, name) in range.iter_mut().zip(["since", "till"]) {
        let Some(text) = query(req, name) else { return required(name) };
        let Some(stamp) = Stamp::parse(&text) else { return error(404, "Invalid date given.") };
        *slot = Some(stamp);
    }
    let [Some(since), Some(till)] = range else { return required("since") };
    if till.ts <= since.ts {
        return error(400, "Invalid date range");
    }
    let mut found: Vec<&BreakRec> = st.breaks.iter().filter(|b| b.since.ts < till.ts && since.ts < b.till.ts).collect();
    found.sort_by_key(|b| (b.since.ts, b.id.parse::<u64>().unwrap_or(0)));
    let items: Vec<Value> = found.into_iter().map(break_json).collect();
    ok(200, &json!({ "_items": items }))
}

/// `POST .../breaks`: 201 with the break and its `Location`; 422 for an empty or reversed range, 409 for the
/// same range and description again.
pub(super) fn add(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let body = try_reply!(body_object(req));
    let (since, till) = try_reply!(body_range(&body));
    let mut inv = Invalid::default();
    let description = inv.opt_string(body.get("description"), "description").flatten();
    // The sandbox doctor has no coupled address: `apply_on_coupled_addresses` is checked, and changes nothing.
    inv.opt_bool(body.get("apply_on_coupled_addresses"), "apply_on_coupled_addresses");
    try_reply!(inv.finish());
    if till.ts <= since.ts {
        return error(422, "Invalid date range");
    }
    if st.breaks.iter().any(|b| b.since.ts == since.ts && b.till.ts == till.ts && b.description == description) {
        return error(409, "Break for given address, date range and description exists");
    }
    st.next_id += 1;
    let b = BreakRec { id: st.next_id.to_string(), since, till, description };
    let (v, event) = (break_json(&b), break_event(&b));
    let location = address_url(&format!("/breaks/{}", b.id));
    st.breaks.push(b);
    notify(st, "break-created", event);
    ok(201, &v).header("location", &location)
}

pub(super) fn get(st: &mut State, _: &RecordedRequest, p: &Params) -> Reply {
    match find(st, p) {
        Some(i) => ok(200, &break_json(&st.breaks[i])),
        None => not_found(),
    }
}

/// `PATCH .../breaks/{break_id}`: 204; 422 for the same range or `till` before `since`.
pub(super) fn move_break(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
    let Some(i) = find(st, p) else { return not_found() };
    let body = try_reply!(body_object(req));
    let (since, till) = try_reply!(body_range(&body));
    if till.ts < since.ts {
        return error(422, &format!("Till ({}) cannot be set before since ({})", till.format(), since.format()));
    }
    if till.ts == since.ts {
        return error(422, "Invalid date range");
    }
    let b = &mut st.breaks[i];
    if b.since.ts == since.ts && b.till.ts == till.ts {
        return error(422, "Same Date Range");
    }
    (b.since, b.till) = (since, till);
    let event = break_event(&st.breaks[i]);
    notify(st, "break-moved", event);
    Reply::no_content()
}

/// `DELETE .../breaks/{break_id}`: 204; the slots it hid are free again.
pub(super) fn delete(st: &mut State, _: &RecordedRequest, p: &Params) -> Reply {
    let Some(i) = find(st, p) else { return not_found() };
    let b = st.breaks.remove(i);
    notify(st, "break-removed", break_event(&b));
    Reply::no_content()
}
