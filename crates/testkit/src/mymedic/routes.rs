//! The MyMedic sandbox's routes: the OAuth2 token endpoint, the per-route scope check, programs with filters
//! and offset pages, bookings with slot conflicts and idempotency keys, status updates, medical records, and
//! the error body every route answers with.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Map, Value, json};

use super::state::{Shared, State, TokenRow, base64_decode, lock, now_rfc3339, text};
use super::{
    ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, SCOPE_APPOINTMENTS_WRITE, SCOPE_PROGRAMS_READ, SCOPE_RECORDS_READ,
    TOKEN_PATH,
};
use crate::{Params, RecordedRequest, Reply, Router};

/// The largest page the sandbox serves.
pub(super) const MAX_LIMIT: u64 = 100;
/// The page size when a list names none.
const DEFAULT_LIMIT: u64 = 20;

/// `{"error": {"code", "message", "details"?}}`, the guide's error body.
pub(super) fn error(status: u16, code: &str, message: &str, details: Option<Value>) -> Reply {
    let mut error = json!({ "code": code, "message": message });
    if let Some(details) = details {
        error["details"] = details;
    }
    Reply::json(status, &json!({ "error": error }))
}

fn invalid(field: &str, why: &str) -> Reply {
    error(400, "VALIDATION_ERROR", &format!("`{field}` {why}"), Some(json!({ "field": field })))
}

fn not_found(what: &str) -> Reply {
    error(404, "NOT_FOUND", &format!("No such {what}."), None)
}

/// Checks the bearer token: the static [`ACCESS_TOKEN`] may do anything; an issued token must not have
/// expired and must carry `scope` (when one is given).
fn authorize(st: &State, req: &RecordedRequest, scope: Option<&str>) -> Result<(), Reply> {
    let unauthorized = || error(401, "UNAUTHORIZED", "The access token is missing, invalid or expired.", None);
    let token = req.bearer_token().ok_or_else(unauthorized)?;
    if token == ACCESS_TOKEN {
        return Ok(());
    }
    let row = st.tokens.get(token).filter(|row| row.expires > Instant::now()).ok_or_else(unauthorized)?;
    match scope {
        Some(scope) if !row.scopes.iter().any(|s| s == scope) => Err(error(
            403,
            "INSUFFICIENT_SCOPE",
            &format!("The access token lacks the scope {scope}."),
            Some(json!({ "required_scope": scope })),
        )),
        _ => Ok(()),
    }
}

type Handler = fn(&mut State, &RecordedRequest, &Params) -> Reply;

fn api(router: Router, state: &Shared, method: &str, path: &str, scope: &'static str, handler: Handler) -> Router {
    let state = Arc::clone(state);
    router.route(method, path, move |req: &RecordedRequest, params: &Params| {
        let mut st = lock(&state);
        match authorize(&st, req, Some(scope)) {
            Ok(()) => handler(&mut st, req, params),
            Err(reply) => reply,
        }
    })
}

pub(super) fn router(state: &Shared) -> Router {
    let token_state = Arc::clone(state);
    let fallback_state = Arc::clone(state);
    let mut r = Router::new()
        .route("POST", TOKEN_PATH, move |req: &RecordedRequest, _: &Params| token(&mut lock(&token_state), req));
    let table: [(&str, &str, &'static str, Handler); 5] = [
        ("GET", "/api/v1/health-programs", SCOPE_PROGRAMS_READ, list_programs),
        ("GET", "/api/v1/health-programs/{programId}", SCOPE_PROGRAMS_READ, get_program),
        ("POST", "/api/v1/appointments", SCOPE_APPOINTMENTS_WRITE, create_appointment),
        ("PUT", "/api/v1/appointments/{appointmentId}/status", SCOPE_APPOINTMENTS_WRITE, update_status),
        ("GET", "/api/v1/medical-records", SCOPE_RECORDS_READ, list_records),
    ];
    for (method, path, scope, handler) in table {
        r = api(r, state, method, path, scope, handler);
    }
    r.fallback(move |req: &RecordedRequest| match authorize(&lock(&fallback_state), req, None) {
        Ok(()) => not_found("route"),
        Err(reply) => reply,
    })
}

// ---------------------------------------------------------------------------------------------------------
// OAuth2

fn token(st: &mut State, req: &RecordedRequest) -> Reply {
    let form = req.form_pairs();
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let refused =
        |status: u16, code: &str| Reply::json(status, &json!({ "error": code, "error_description": "refused" }));
    if field("grant_type").as_deref() != Some("client_credentials") {
        return refused(400, "unsupported_grant_type");
    }
    let basic = req
        .header("authorization")
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(base64_decode)
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.split_once(':').map(|(a, b)| (a.to_owned(), b.to_owned())));
    let creds = basic.or_else(|| Some((field("client_id")?, field("client_secret")?)));
    if creds != Some((CLIENT_ID.to_owned(), CLIENT_SECRET.to_owned())) {
        return refused(401, "invalid_client");
    }
    let known = [SCOPE_PROGRAMS_READ, SCOPE_APPOINTMENTS_WRITE, SCOPE_RECORDS_READ];
    let mut scopes: Vec<String> =
        field("scope").unwrap_or_default().split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect();
    if scopes.iter().any(|s| !known.contains(&s.as_str())) {
        return refused(400, "invalid_scope");
    }
    if scopes.is_empty() {
        scopes = vec![SCOPE_PROGRAMS_READ.to_owned(), SCOPE_APPOINTMENTS_WRITE.to_owned()];
    }
    st.tokens_issued += 1;
    let token = format!("mmtok-{}-{:016x}", st.tokens_issued, fastrand::u64(..));
    let scope = scopes.join(" ");
    st.tokens.insert(token.clone(), TokenRow { expires: Instant::now() + st.token_ttl, scopes });
    Reply::json(
        200,
        &json!({ "access_token": token, "token_type": "Bearer", "expires_in": st.token_ttl.as_secs(), "scope": scope }),
    )
}

// ---------------------------------------------------------------------------------------------------------
// Programs

/// The list's parameters: from the query (`filters[status]=` or `status=`), or from a JSON body on the GET
/// (as the guide shows it).
fn list_params(req: &RecordedRequest) -> Result<Map<String, Value>, Reply> {
    let is_json = req.header("content-type").is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/json"));
    if is_json && !req.body.is_empty() {
        let Some(Value::Object(mut body)) = req.json_value() else {
            return Err(invalid("body", "must be a JSON object"));
        };
        if let Some(Value::Object(filters)) = body.remove("filters") {
            body.extend(filters);
        }
        return Ok(body);
    }
    let mut params = Map::new();
    for (key, value) in req.query_pairs() {
        let name = key.strip_prefix("filters[").and_then(|k| k.strip_suffix(']')).unwrap_or(&key).to_owned();
        params.insert(name, Value::String(value));
    }
    Ok(params)
}

fn number(params: &Map<String, Value>, key: &str, default: u64) -> Result<u64, Reply> {
    match params.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| invalid(key, "must be a whole number")),
        Some(Value::String(s)) => s.trim().parse().map_err(|_| invalid(key, "must be a whole number")),
        Some(_) => Err(invalid(key, "must be a whole number")),
    }
}

fn list_programs(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let params = match list_params(req) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let (limit, offset) = match (number(&params, "limit", DEFAULT_LIMIT), number(&params, "offset", 0)) {
        (Ok(0), _) => return invalid("limit", "must be at least 1"),
        (Ok(l), Ok(o)) => (l.min(MAX_LIMIT), o),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    let filter = |key: &str| text(params.get(key));
    if let Some(status) = filter("status")
        && !matches!(status.as_str(), "active" | "upcoming")
    {
        return invalid("filters.status", "must be active or upcoming");
    }
    let matches = |program: &&Value| {
        ["status", "type", "practitioner"].iter().all(|key| {
            filter(key).is_none_or(|want| text(program.get(*key)).is_some_and(|have| have.eq_ignore_ascii_case(&want)))
        })
    };
    let selected: Vec<&Value> = st.programs.iter().filter(matches).collect();
    let page: Vec<Value> = selected
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|p| (*p).clone())
        .collect();
    Reply::json(200, &json!({ "data": page, "limit": limit, "offset": offset, "total": selected.len() }))
}

fn get_program(st: &mut State, _: &RecordedRequest, params: &Params) -> Reply {
    match st.program(params.get("programId").unwrap_or_default()) {
        Some(program) => Reply::json(200, program),
        None => not_found("health program"),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Appointments

fn body_object(req: &RecordedRequest) -> Result<Map<String, Value>, Reply> {
    match req.json_value() {
        Some(Value::Object(map)) => Ok(map),
        _ => Err(invalid("body", "must be a JSON object")),
    }
}

/// `2025-04-08` + `10:00` as the guide's error shows a slot: `2025-04-08T10:00:00Z`.
fn slot_instant(date: &str, time: &str) -> String {
    if time.len() == 5 { format!("{date}T{time}:00Z") } else { format!("{date}T{time}") }
}

fn create_appointment(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let key = req.header("idempotency-key").map(str::to_owned);
    let fingerprint = String::from_utf8_lossy(&req.body).into_owned();
    if let Some(key) = &key
        && let Some((stored, status, answer)) = st.idempotency.get(key)
    {
        if *stored != fingerprint {
            return error(
                409,
                "IDEMPOTENCY_KEY_REUSED",
                "This idempotency key was already used with another booking.",
                None,
            );
        }
        return Reply::json(*status, answer).header("idempotent-replayed", "true");
    }
    let reply = book(st, req);
    if let Some(key) = key {
        let answer = serde_json::from_slice(reply.body_bytes()).unwrap_or(Value::Null);
        st.idempotency.insert(key, (fingerprint, reply.status_code(), answer));
    }
    reply
}

fn book(st: &mut State, req: &RecordedRequest) -> Reply {
    let body = match body_object(req) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let Some(program_id) = text(body.get("programId")) else {
        return invalid("programId", "is required");
    };
    if st.program(&program_id).is_none() {
        return not_found("health program");
    }
    let participant = match body.get("participant") {
        Some(Value::Object(p)) if ["name", "email", "phone", "medicalId"].iter().any(|k| text(p.get(*k)).is_some()) => {
            p.clone()
        }
        _ => return invalid("participant", "needs a name, email, phone or medicalId"),
    };
    let (slot, date, time) = match body.get("slot") {
        Some(Value::Object(s)) => match (text(s.get("date")), text(s.get("time"))) {
            (Some(date), Some(time)) => (s.clone(), date, time),
            _ => return invalid("slot", "needs a date and a time"),
        },
        _ => return invalid("slot", "needs a date and a time"),
    };
    let practitioner = text(slot.get("practitioner"));
    let taken = st.appointments.values().any(|a| {
        a["programId"] == program_id.as_str()
            && a["status"] != "cancelled"
            && text(a["slot"].get("date")).as_deref() == Some(date.as_str())
            && text(a["slot"].get("time")).as_deref() == Some(time.as_str())
            && text(a["slot"].get("practitioner")) == practitioner
    });
    if taken {
        return error(
            409,
            "SLOT_UNAVAILABLE",
            "Selected appointment slot is no longer available",
            Some(json!({ "slot": slot_instant(&date, &time), "reason": "Already booked" })),
        );
    }
    let id = st.next("apt");
    let appointment = json!({
        "id": id,
        "programId": program_id,
        "status": "scheduled",
        "participant": participant,
        "slot": slot,
        "createdAt": now_rfc3339(),
    });
    st.appointments.insert(id.clone(), appointment.clone());
    let data =
        json!({ "appointmentId": id, "programId": program_id, "status": "scheduled", "slot": appointment["slot"] });
    st.emit("appointment.created", data);
    Reply::json(201, &appointment)
}

fn update_status(st: &mut State, req: &RecordedRequest, params: &Params) -> Reply {
    let body = match body_object(req) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let Some(status) =
        text(body.get("status")).filter(|s| matches!(s.as_str(), "scheduled" | "completed" | "cancelled"))
    else {
        return invalid("status", "must be scheduled, completed or cancelled");
    };
    let notes = text(body.get("notes"));
    let id = params.get("appointmentId").unwrap_or_default().to_owned();
    let Some(appointment) = st.appointments.get_mut(&id) else {
        return not_found("appointment");
    };
    let current = appointment["status"].as_str().unwrap_or_default().to_owned();
    if current != status && matches!(current.as_str(), "completed" | "cancelled") {
        return error(
            409,
            "INVALID_STATUS_TRANSITION",
            &format!("A {current} appointment cannot become {status}."),
            Some(json!({ "from": current, "to": status })),
        );
    }
    let changed =
        current != status || (notes.is_some() && appointment.get("notes").and_then(Value::as_str) != notes.as_deref());
    appointment["status"] = json!(status);
    if let Some(n) = &notes {
        appointment["notes"] = json!(n);
    }
    appointment["updatedAt"] = json!(now_rfc3339());
    let answer = appointment.clone();
    if changed {
        let event = match status.as_str() {
            "cancelled" if current != status => "appointment.cancelled",
            "completed" if current != status => "appointment.completed",
            _ => "appointment.updated",
        };
        let data = json!({ "appointmentId": id, "programId": answer["programId"], "status": status });
        st.emit(event, data);
    }
    Reply::json(200, &answer)
}

// ---------------------------------------------------------------------------------------------------------
// Medical records (named by the guide, undocumented: this shape is the sandbox's own)

fn list_records(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let wanted = req.query_pairs().into_iter().find(|(k, _)| k == "medicalId").map(|(_, v)| v);
    let records: Vec<&Value> =
        st.records.iter().filter(|r| wanted.as_deref().is_none_or(|m| r["medicalId"] == m)).collect();
    Reply::json(200, &json!({ "data": records, "total": records.len() }))
}
