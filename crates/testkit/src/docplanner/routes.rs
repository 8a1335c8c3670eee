//! The Docplanner sandbox's routes.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::util::{Stamp, error, error_with, now, ok, query, with_values};
use super::{ADDRESS_ID, BookingRec, CLIENT_ID, CLIENT_SECRET, DOCTOR_ID, FACILITY_ID, Shared, SlotRec, State, lock};
use crate::{Params, RecordedRequest, Reply, Router};

const API: &str = "/api/v3/integration";

type Handler = fn(&mut State, &RecordedRequest, &Params) -> Reply;

/// The routes, registered from the client's own operation table by operation name (plus the OAuth2 token
/// endpoint, which is not an operation of the table).
pub(super) fn router(state: &Shared) -> Router {
    let token_state = state.clone();
    let mut r = Router::new()
        .route("POST", "/oauth/v2/token", move |req: &RecordedRequest, _: &Params| token(&mut lock(&token_state), req));
    let routes: &[(&str, Handler)] = &[
        ("facilities.list", facilities),
        ("facilities.get", facility),
        ("doctors.list", doctors),
        ("doctors.get", doctor),
        ("addresses.list", addresses),
        ("addresses.get", address),
        ("services.list", dictionary_services),
        ("address_services.list", address_services),
        ("calendar.get", calendar),
        ("calendar.enable", calendar_enable),
        ("calendar.disable", calendar_disable),
        ("slots.list", slots_list),
        ("slots.replace", slots_replace),
        ("slots.book", slot_book),
        ("slots.delete", slots_delete),
        ("bookings.list", bookings_list),
        ("bookings.get", booking_get),
        ("bookings.cancel", booking_cancel),
        ("bookings.move", booking_move),
        ("bookings.confirm", booking_confirm),
        ("presence.mark_present", presence_mark),
        ("presence.mark_absent", presence_mark),
        ("notifications.pull", notification_pull),
        ("notifications.pull_multiple", notification_pull_many),
        ("notifications.release", notification_release),
    ];
    for (name, handler) in routes {
        let Some(spec) = carewire_docplanner::OPERATIONS.iter().find(|s| s.name == *name) else {
            continue;
        };
        let (state, handler) = (state.clone(), *handler);
        r = r.operation(API, spec, move |req: &RecordedRequest, p: &Params| api(&state, req, p, handler));
    }
    r
}

fn token(st: &mut State, req: &RecordedRequest) -> Reply {
    let form = req.form_pairs();
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let creds = req.basic_auth().or_else(|| Some((field("client_id")?, field("client_secret")?)));
    let refused =
        |status: u16, code: &str| Reply::json(status, &json!({"error": code, "error_description": "refused"}));
    if field("grant_type").as_deref() != Some("client_credentials") {
        return refused(400, "unsupported_grant_type");
    }
    if field("scope").is_some_and(|s| !s.split(' ').any(|x| x == "integration")) {
        return refused(400, "invalid_scope");
    }
    if creds != Some((CLIENT_ID.to_owned(), CLIENT_SECRET.to_owned())) {
        return refused(401, "invalid_client");
    }
    st.tokens_issued += 1;
    let token = format!("sbx-{}-{:016x}", st.tokens_issued, fastrand::u64(..));
    st.tokens.insert(token.clone(), Instant::now() + st.token_ttl);
    Reply::json(
        200,
        &json!({"access_token": token, "expires_in": st.token_ttl.as_secs(), "token_type": "bearer", "scope": null}),
    )
}

/// Auth, rate limits and the `X-RateLimit-*` headers around every API handler.
fn api(state: &Shared, req: &RecordedRequest, p: &Params, handler: Handler) -> Reply {
    let mut st = lock(state);
    let now_i = Instant::now();
    let valid = req.bearer_token().and_then(|t| st.tokens.get(t)).is_some_and(|exp| *exp > now_i);
    if !valid {
        return error(401, "Invalid credentials.");
    }
    for seg in [("facility_id", FACILITY_ID), ("doctor_id", DOCTOR_ID), ("address_id", ADDRESS_ID)] {
        if p.get(seg.0).is_some_and(|v| v != seg.1) {
            return error(404, "Object not found");
        }
    }
    let write = req.method != "GET";
    let (limit, window) =
        if write { (st.write_limit, Duration::from_secs(60)) } else { (st.read_limit, Duration::from_secs(3600)) };
    let log = if write { &mut st.writes } else { &mut st.reads };
    while log.front().is_some_and(|t| *t + window <= now_i) {
        log.pop_front();
    }
    let reset_in = log.front().map_or(window, |t| (*t + window).saturating_duration_since(now_i));
    let reset = Stamp { ts: now().ts + i64::try_from(reset_in.as_secs()).unwrap_or(0) + 1, offset: 0 }.format();
    if log.len() >= limit {
        return error(429, "Too many requests")
            .header("x-ratelimit-limit", &limit.to_string())
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-used", &limit.to_string())
            .header("x-ratelimit-reset", &reset)
            .header("retry-after", &(reset_in.as_secs() + 1).to_string());
    }
    log.push_back(now_i);
    let used = log.len();
    handler(&mut st, req, p)
        .header("x-ratelimit-limit", &limit.to_string())
        .header("x-ratelimit-remaining", &(limit - used).to_string())
        .header("x-ratelimit-used", &used.to_string())
        .header("x-ratelimit-reset", &reset)
}

fn facility_json() -> Value {
    json!({"id": FACILITY_ID, "name": "Sandbox hospital"})
}

fn doctor_json() -> Value {
    json!({"id": DOCTOR_ID, "name": "Sandbox", "surname": "Doctor"})
}

fn address_json() -> Value {
    json!({"id": ADDRESS_ID, "name": "Sandbox clinic", "city_name": "Warszawa", "post_code": "00-001", "street": "Testowa 1",
        "booking_extra_fields": {"birth_date": false, "gender": false, "nin": false}})
}

fn facilities(_: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &json!({"_items": [facility_json()]}))
}

fn facility(_: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let mut f = facility_json();
    if with_values(req).iter().any(|w| w == "facility.doctors") {
        f["doctors"] = json!({"_items": [doctor_json()]});
    }
    ok(200, &f)
}

/// The doctor with the extensions asked for.
fn doctor_with(with: &[String]) -> Value {
    let mut d = doctor_json();
    let has = |w: &str| with.iter().any(|x| x == w);
    if has("doctor.addresses") {
        d["addresses"] = json!({"_items": [address_json()]});
    }
    if has("doctor.specializations") {
        d["specializations"] = json!({"_items": [{"id": "12", "name": "Sandbox specialization"}]});
    }
    if has("doctor.license_numbers") {
        d["license_numbers"] = json!({"_items": [{"id": "1", "license_number": "PWZ-0000001"}]});
    }
    if has("doctor.profile_url") {
        d["profile_url"] = json!("https://www.znanylekarz.pl/sandbox-doctor");
    }
    d
}

fn doctors(_: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &json!({"_items": [doctor_with(&with_values(req))]}))
}

fn doctor(_: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &doctor_with(&with_values(req)))
}

fn addresses(_: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &json!({"_items": [address_json()]}))
}

fn address(_: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &address_json())
}

fn dictionary_services(_: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &json!({"_items": [{"id": "1", "name": "USG"}, {"id": "2", "name": "EKG"}]}))
}

fn service_json(st: &State, id: &str) -> Value {
    let (name, duration) = st.services.iter().find(|s| s.0 == id).map_or(("Unknown", 0), |s| (s.1.as_str(), s.2));
    json!({"id": id, "name": name, "price": 100, "is_price_from": false, "is_default": id == super::ADDRESS_SERVICE_ID,
        "description": null, "default_duration": duration, "is_visible": true})
}

fn address_services(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let allowed = with_values(req).iter().any(|w| w == "address_service.allowed_patients");
    let items: Vec<Value> = st
        .services
        .iter()
        .map(|s| {
            let mut v = service_json(st, &s.0);
            if allowed {
                // The second service (EKG) is for adults only; the first has no age limits.
                let min = if s.0 == super::SECOND_ADDRESS_SERVICE_ID { json!(18) } else { Value::Null };
                v["allowed_patients"] = json!({"minimum_age": min, "maximum_age": null});
            }
            v
        })
        .collect();
    ok(200, &json!({ "_items": items }))
}

fn calendar(st: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &json!({"status": if st.calendar_enabled { "enabled" } else { "disabled" }}))
}

fn calendar_enable(st: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    if st.calendar_enabled {
        return error(409, "Calendar already enabled");
    }
    st.calendar_enabled = true;
    Reply::status(200)
}

fn calendar_disable(st: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    if !st.calendar_enabled {
        return error(409, "Calendar already disabled");
    }
    st.calendar_enabled = false;
    Reply::status(200)
}

fn range(req: &RecordedRequest) -> Result<(Stamp, Stamp), Reply> {
    let parse = |k: &str| query(req, k).as_deref().and_then(Stamp::parse);
    match (parse("start"), parse("end")) {
        (Some(s), Some(e)) if e.ts > s.ts && e.ts - s.ts <= 180 * 86_400 => Ok((s, e)),
        (Some(_), Some(_)) => Err(error(400, "Date range must not exceed 180 days")),
        _ => Err(error(400, "Param \"start\" and \"end\" are required!")),
    }
}

fn slots_list(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let (start, end) = match range(req) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let with_services = with_values(req).iter().any(|w| w == "slot.services");
    let mut items: Vec<&SlotRec> = st.slots.iter().filter(|s| s.start.ts >= start.ts && s.start.ts < end.ts).collect();
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

fn slots_replace(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
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

pub(super) fn notify(st: &mut State, name: &str, data: Value) {
    let mut data = data;
    if let Value::Object(m) = &mut data {
        m.entry("facility").or_insert_with(facility_json);
        m.entry("doctor").or_insert_with(doctor_json);
        m.entry("address").or_insert_with(address_json);
    }
    st.notifications.push_back(json!({"name": name, "data": data, "created_at": now().format()}));
}

fn slot_book(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
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
    if !st.slots.iter().any(|s| s.start.ts == start.ts && s.services.iter().any(|(id, _)| *id == service)) {
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

fn slots_delete(st: &mut State, _: &RecordedRequest, p: &Params) -> Reply {
    let date = p.get("date").unwrap_or_default();
    st.slots.retain(|s| s.start.date() != date);
    Reply::no_content()
}

fn bookings_list(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
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

fn booking_get(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
    match find(st, p) {
        Some(i) => ok(200, &booking_json(st, &st.bookings[i], &with_values(req), true)),
        None => error(404, "Object not found"),
    }
}

fn booking_cancel(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
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

fn booking_move(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
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
    let location = format!(
        "{API}/facilities/{FACILITY_ID}/doctors/{DOCTOR_ID}/addresses/{ADDRESS_ID}/bookings/{}",
        st.bookings[i].id
    );
    ok(201, &answer).header("location", &location)
}

fn booking_confirm(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
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

fn presence_mark(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
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

fn no_notifications() -> Reply {
    error(404, "No notifications found")
}

fn notification_pull(st: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    match st.notifications.pop_front() {
        Some(n) => ok(200, &n),
        None => no_notifications(),
    }
}

fn notification_pull_many(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let limit = query(req, "limit").and_then(|l| l.parse::<usize>().ok()).unwrap_or(1);
    if !(1..=100).contains(&limit) {
        return error(400, "Limit must be between 1 and 100");
    }
    if st.notifications.is_empty() {
        return no_notifications();
    }
    let n = limit.min(st.notifications.len());
    let batch: Vec<Value> = st.notifications.drain(..n).collect();
    ok(200, &json!({ "notifications": batch, "remaining": st.notifications.len() }))
}

fn notification_release(st: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    let hour = Duration::from_secs(3600);
    if let Some(last) = st.last_release
        && last.elapsed() < hour
    {
        let wait = hour.saturating_sub(last.elapsed()).as_secs() + 1;
        return error(429, "Too many requests").header("retry-after", &wait.to_string());
    }
    st.last_release = Some(Instant::now());
    Reply::no_content()
}
