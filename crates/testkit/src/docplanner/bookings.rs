//! The Docplanner sandbox's slots (list, replace, book, delete) and bookings (list, get, cancel, move, confirm,
//! presence), and the booking notifications they queue. Slots under a calendar break are neither listed nor
//! bookable.

use serde_json::{Value, json};

use super::breaks::blocks;
use super::routes::{address_url, notify};
use super::services::{service_exists, service_json};
use super::util::{Stamp, error, error_with, now, ok, query, with_values};
use super::{BookingRec, SlotRec, State};
use crate::{Params, RecordedRequest, Reply};

/// Whether a calendar break overlaps the slot (its start and its shortest service).
fn slot_blocked(st: &State, s: &SlotRec) -> bool {
    blocks(st, s.start, s.services.iter().map(|(_, d)| *d).min().unwrap_or(1))
}

fn range(req: &RecordedRequest) -> Result<(Stamp, Stamp), Reply> {
    let parse = |k: &str| query(req, k).as_deref().and_then(Stamp::parse);
    match (parse("start"), parse("end")) {
        (Some(s), Some(e)) if e.ts > s.ts && e.ts - s.ts <= 180 * 86_400 => Ok((s, e)),
        (Some(_), Some(_)) => Err(error(400, "Date range must not exceed 180 days")),
        _ => Err(error(400, "Param \"start\" and \"end\" are required!")),
    }
}

pub(super) fn slots_list(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let (start, end) = match range(req) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let with_services = with_values(req).iter().any(|w| w == "slot.services");
    let mut items: Vec<&SlotRec> =
        st.slots.iter().filter(|s| s.start.ts >= start.ts && s.start.ts < end.ts && !slot_blocked(st, s)).collect();
    items.sort_by_key(|s| s.start.ts);
    let items: Vec<Value> = items
        .into_iter()
        .map(|s| {
            let mut v = json!({ "start": s.start.format() });
            if with_services {
                let svc: Vec<Value> = s.services.iter().map(|(id, _)| service_json(st, id)).collect();
                v["address_services"] = json!({ "_items": svc });
            }
            v
        })
        .collect();
    ok(200, &json!({ "_items": items }))
}

pub(super) fn slots_replace(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let Some(body) = req.json_value() else { return error(400, "Invalid JSON") };
    let Some(ranges) = body["slots"].as_array() else { return error(400, "Param \"slots\" is required!") };
    let mut parsed = Vec::new();
    for (i, r) in ranges.iter().enumerate() {
        let (Some(s), Some(e)) = (r["start"].as_str().and_then(Stamp::parse), r["end"].as_str().and_then(Stamp::parse))
        else {
            return error_with(400, "Invalid arguments", &json!({ format!("slots[{i}].start"): ["Invalid date"] }));
        };
        if e.ts <= s.ts {
            return error_with(
                400,
                "Invalid arguments",
                &json!({ format!("slots[{i}].end"): ["End must be after start"] }),
            );
        }
        let services: Vec<(String, u32)> = r["address_services"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| {
                        Some((
                            x["address_service_id"].as_str()?.to_owned(),
                            u32::try_from(x["duration"].as_u64()?).ok()?,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if services.iter().any(|(_, d)| *d == 0) {
            return error(400, "Slot duration must be at least 1 minute");
        }
        if let Some(j) = services.iter().position(|(id, _)| !service_exists(st, id)) {
            let field = format!("slots[{i}].address_services[{j}].address_service_id");
            return error_with(400, "Invalid arguments", &json!({ field: ["Service does not belong to the address"] }));
        }
        parsed.push((s, e, services));
    }
    if parsed.iter().any(|(s, _, _)| s.local_day() != parsed[0].0.local_day()) {
        return error(400, "Validation error message, e.g.: Slots comes from different days");
    }
    for (s, e, services) in parsed {
        st.slots.retain(|x| x.start.ts < s.ts || x.start.ts >= e.ts);
        let Some(step) = services.iter().map(|(_, d)| *d).min() else { continue };
        let mut t = s;
        while t.plus_minutes(i64::from(step)).ts <= e.ts {
            st.slots.push(SlotRec { start: t, services: services.clone() });
            t = t.plus_minutes(i64::from(step));
        }
    }
    Reply::status(201)
}

/// The patient's consents: sent in notifications (`Patient`), not in API bookings (`BookingPatient`).
const CONSENTS: [&str; 2] = ["marketing_consent", "data_privacy_consent"];

/// A booking as the API answers it. `full`: with its patient and service whatever `with` says (getBooking,
/// moveBooking, bookSlot, and getBookings without extensions); otherwise only the extensions asked for.
fn booking_json(st: &State, b: &BookingRec, with: &[String], full: bool) -> Value {
    let has = |w: &str| with.iter().any(|x| x == w);
    let mut v = json!({
        "id": b.id, "status": b.status, "start_at": b.start.format(), "end_at": b.start.plus_minutes(i64::from(b.duration)).format(),
        "duration": b.duration, "booked_by": "integration", "canceled_by": if b.canceled_at.is_some() { "integration" } else { "" },
        "booked_at": b.booked_at.format(), "canceled_at": b.canceled_at.map(Stamp::format), "comment": b.comment,
        "visit_payment": false, "videocall_url": null,
    });
    if full || has("booking.patient") {
        let mut patient = b.patient.clone();
        if let Value::Object(m) = &mut patient {
            for k in CONSENTS {
                m.remove(k);
            }
        }
        v["patient"] = patient;
    }
    if full || has("booking.address_service") {
        v["address_service"] = service_json(st, &b.address_service_id);
        if has("address_service.public_insurance_flow") {
            v["address_service"]["is_public_insurance_flow"] = json!(false);
        }
    }
    if has("booking.presence") {
        v["presence"] = json!(b.presence);
    }
    if has("booking.confirmation") {
        v["confirmed"] = json!(b.confirmed);
    }
    if has("booking.moving") {
        v["moving"] = if b.moved { json!({"origin_booking_id": b.id, "newest_booking_id": b.id}) } else { Value::Null };
    }
    if let Some((provider, plan)) = &b.insurance {
        v["insurance"] = json!({"id": provider, "name": format!("Sandbox insurer {provider}"),
            "plan": plan.as_ref().map(|p| format!("Sandbox plan {p}")), "plan_id": plan});
    }
    v
}

/// A booking as notifications carry it (`BookingNotification`): the patient with the consents sent at
/// booking, the provider id as `insurance.insurance_provider_id`, and a `signature`.
fn notification_booking_json(st: &State, b: &BookingRec) -> Value {
    let mut v = booking_json(st, b, &[], true);
    v["patient"] = b.patient.clone();
    v["signature"] = json!(format!("00000000-0000-4000-8000-{:012}", b.id.parse::<u64>().unwrap_or(0)));
    if let Some(Value::Object(insurance)) = v.get_mut("insurance")
        && let Some(id) = insurance.remove("id")
    {
        insurance.insert("insurance_provider_id".to_owned(), id);
    }
    v
}

pub(super) fn slot_book(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
    let Some(start) = p.get("start").and_then(Stamp::parse) else { return error(400, "Invalid start date") };
    let Some(body) = req.json_value() else { return error(400, "Invalid JSON") };
    let Some(service) = body["address_service_id"].as_str().map(str::to_owned) else {
        return error(400, "Param \"address_service_id\" is required!");
    };
    let Some(duration) = body["duration"].as_u64().and_then(|d| u32::try_from(d).ok()).filter(|d| *d > 0) else {
        return error(400, "Param \"duration\" is required!");
    };
    if !body["patient"].is_object() || body["patient"]["name"].is_null() || body["patient"]["phone"].is_null() {
        return error_with(422, "Invalid arguments", &json!({"patient": ["Name and phone are required."]}));
    }
    let free = st
        .slots
        .iter()
        .any(|s| s.start.ts == start.ts && s.services.iter().any(|(id, _)| *id == service) && !slot_blocked(st, s));
    if !free || blocks(st, start, duration) {
        return error(404, "Slot not found");
    }
    let end = start.plus_minutes(i64::from(duration));
    st.slots.retain(|s| s.start.ts < start.ts || s.start.ts >= end.ts);
    st.next_id += 1;
    let b = BookingRec {
        id: st.next_id.to_string(),
        start,
        duration,
        status: "booked",
        address_service_id: service,
        patient: body["patient"].clone(),
        comment: body["comment"].as_str().map(str::to_owned),
        booked_at: Stamp { ts: now().ts, offset: start.offset },
        canceled_at: None,
        confirmed: false,
        presence: None,
        insurance: body["insurance_provider_id"]
            .as_str()
            .map(|p| (p.to_owned(), body["insurance_plan_id"].as_str().map(str::to_owned))),
        moved: false,
        cancel_notified_patient: None,
    };
    let v = booking_json(st, &b, &[], true);
    let event = notification_booking_json(st, &b);
    st.bookings.push(b);
    notify(st, "slot-booked", json!({ "visit_booking": event }));
    ok(200, &v)
}

pub(super) fn slots_delete(st: &mut State, _: &RecordedRequest, p: &Params) -> Reply {
    let date = p.get("date").unwrap_or_default();
    st.slots.retain(|s| s.start.date() != date);
    Reply::no_content()
}

pub(super) fn bookings_list(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let (start, end) = match range(req) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let with = with_values(req);
    let mut all: Vec<&BookingRec> =
        st.bookings.iter().filter(|b| b.start.ts >= start.ts && b.start.ts < end.ts).collect();
    all.sort_by_key(|b| (b.start.ts, b.id.clone()));
    let Some(page) = query(req, "page").and_then(|p| p.parse::<usize>().ok()).filter(|p| *p >= 1) else {
        let items: Vec<Value> = all.iter().map(|b| booking_json(st, b, &with, with.is_empty())).collect();
        return ok(200, &json!({ "_items": items }));
    };
    let limit = query(req, "limit").and_then(|l| l.parse::<usize>().ok()).filter(|l| *l >= 1).unwrap_or(100);
    let total = all.len();
    let items: Vec<Value> =
        all.iter().skip((page - 1) * limit).take(limit).map(|b| booking_json(st, b, &with, with.is_empty())).collect();
    ok(200, &json!({ "_items": items, "page": page, "limit": limit, "pages": total.div_ceil(limit), "total": total }))
}

fn find(st: &State, p: &Params) -> Option<usize> {
    let id = p.get("booking_id")?;
    st.bookings.iter().position(|b| b.id == id)
}

pub(super) fn booking_get(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
    match find(st, p) {
        Some(i) => ok(200, &booking_json(st, &st.bookings[i], &with_values(req), true)),
        None => error(404, "Object not found"),
    }
}

pub(super) fn booking_cancel(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
    let Some(i) = find(st, p) else { return error(404, "Object not found") };
    // The optional body: `{"reason": string, "send_notifications": bool}`.
    let body = if req.body.is_empty() { json!({}) } else { req.json_value().unwrap_or(Value::Null) };
    if !body.is_object() {
        return error(400, "Invalid JSON");
    }
    let mut invalid = serde_json::Map::new();
    if !(body["reason"].is_null() || body["reason"].is_string()) {
        invalid.insert("reason".to_owned(), json!(["This value should be of type string."]));
    }
    if !(body["send_notifications"].is_null() || body["send_notifications"].is_boolean()) {
        invalid.insert("send_notifications".to_owned(), json!(["This value should be of type bool."]));
    }
    if !invalid.is_empty() {
        return error_with(400, "Invalid arguments", &Value::Object(invalid));
    }
    if st.bookings[i].status != "booked" {
        let msg = format!("Visit {} cannot be canceled because it is not booked", st.bookings[i].id);
        return error(400, &msg);
    }
    st.bookings[i].status = "canceled";
    st.bookings[i].canceled_at = Some(now());
    st.bookings[i].cancel_notified_patient = Some(body["send_notifications"].as_bool().unwrap_or(true));
    let v = notification_booking_json(st, &st.bookings[i]);
    notify(st, "booking-canceled", json!({ "visit_booking": v }));
    Reply::no_content()
}

pub(super) fn booking_move(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
    let Some(i) = find(st, p) else { return error(404, "Object not found") };
    if st.bookings[i].status != "booked" {
        return error(409, "The visit has already been canceled or moved");
    }
    let Some(body) = req.json_value() else { return error(400, "Invalid JSON") };
    let Some(start) = body["start"].as_str().and_then(Stamp::parse) else {
        return error(400, "Param \"start\" is required!");
    };
    let old = notification_booking_json(st, &st.bookings[i]);
    let b = &mut st.bookings[i];
    b.start = start;
    b.moved = true;
    if let Some(d) = body["duration"].as_u64().and_then(|d| u32::try_from(d).ok()) {
        b.duration = d;
    }
    if let Some(s) = body["address_service_id"].as_str() {
        s.clone_into(&mut b.address_service_id);
    }
    let new = notification_booking_json(st, &st.bookings[i]);
    notify(st, "booking-moved", json!({ "old_visit_booking": old, "new_visit_booking": new }));
    // The answer is the whole booking, with the extensions asked for (`address_service.public_insurance_flow`).
    let answer = booking_json(st, &st.bookings[i], &with_values(req), true);
    let location = address_url(&format!("/bookings/{}", st.bookings[i].id));
    ok(201, &answer).header("location", &location)
}

pub(super) fn booking_confirm(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
    let Some(i) = find(st, p) else { return error(404, "Object not found") };
    let by = req.json_value().and_then(|v| v["confirmed_by"].as_str().map(str::to_owned));
    if !matches!(by.as_deref(), Some("user" | "admin")) {
        return error_with(400, "Invalid arguments", &json!({"confirmed_by": ["This value should be user or admin."]}));
    }
    if st.bookings[i].confirmed || st.bookings[i].status != "booked" {
        return error(409, "Booking is already confirmed, canceled or in the past");
    }
    st.bookings[i].confirmed = true;
    let v = notification_booking_json(st, &st.bookings[i]);
    notify(st, "booking-confirmed", json!({ "visit_booking": v }));
    Reply::no_content()
}

pub(super) fn presence_mark(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
    let Some(i) = find(st, p) else { return error(404, "Object not found") };
    if st.bookings[i].status != "booked" {
        return error(409, "Visit is canceled");
    }
    let present = req.method == "POST";
    st.bookings[i].presence = Some(if present { "present" } else { "absent" });
    let v = notification_booking_json(st, &st.bookings[i]);
    notify(
        st,
        "presence-marked",
        json!({ "visit_booking": v, "presence": if present { "PRESENT" } else { "ABSENT" } }),
    );
    Reply::no_content()
}
