//! Scheduling: provider search (paginated) and profile, appointments (create first-available or with a
//! specific provider, cancel, upcoming, waiting room, connection parameters), appointment requests (create,
//! cancel, remind), and what a completed appointment leaves behind (after-care instructions, consultation
//! summary, prescriptions).

use base64::Engine as _;
use serde_json::{Value, json};

use super::super::auth::may_act_for;
use super::super::fixtures;
use super::super::providers::{self, provider_type_name};
use super::super::state::{Appointment, Holder, State, date, now_secs, parse_date, rfc3339, state_id};
use super::{
    Ctx, Outcome, body, bool_like, error, field, int_like, invalid, not_found, obj, ok, page_of, positive, text,
};
use crate::Reply;

fn method_field(map: &serde_json::Map<String, Value>, path: &str) -> Result<String, Reply> {
    let method = field(map, "appointment_method", path)?;
    if matches!(method.as_str(), "video" | "phone") { Ok(method) } else { Err(invalid(path, "must be video or phone")) }
}

fn state_field(map: &serde_json::Map<String, Value>, path: &str, required: bool) -> Result<Option<String>, Reply> {
    match text(map.get("state_abbrev")) {
        Some(s) if state_id(&s).is_some() => Ok(Some(s.to_ascii_uppercase())),
        Some(_) => Err(invalid(path, "must be a two-letter state from the states list")),
        None if required => Err(invalid(path, "is required")),
        None => Ok(None),
    }
}

/// `POST /api/v2/patients/{patient_id}/providers/search?page=&per_page=`.
pub(in super::super) fn search_providers(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let page = positive(ctx.q("page"), "page", 1)?;
    let per = positive(ctx.q("per_page"), "per_page", 10)?;
    let b = body(ctx.req)?;
    let search = b
        .get("search")
        .or_else(|| b.get("search_params"))
        .and_then(Value::as_object)
        .ok_or_else(|| invalid("search", "is required"))?;
    state_field(search, "search.state_abbrev", true)?;
    let gender = match text(search.get("gender")) {
        Some(g) if g.eq_ignore_ascii_case("male") || g.eq_ignore_ascii_case("female") => Some(g),
        Some(_) => return Err(invalid("search.gender", "must be Male or Female")),
        None => None,
    };
    let type_id = search.get("provider_type_id").filter(|v| !v.is_null());
    let type_id =
        type_id.map(|v| int_like(Some(v)).ok_or_else(|| invalid("search.provider_type_id", "must be an integer")));
    let type_id = type_id.transpose()?;
    let language = search.get("language_id").filter(|v| !v.is_null());
    let language =
        language.map(|v| int_like(Some(v)).ok_or_else(|| invalid("search.language_id", "must be an integer")));
    let language = language.transpose()?;
    if let Some(types) = search.get("availability_type").filter(|v| !v.is_null()) {
        let valid = types.as_array().is_some_and(|a| a.iter().all(|t| t == "phone" || t == "video"));
        if !valid {
            return Err(invalid("search.availability_type", "must be an array of phone and video"));
        }
    }
    let day = match text(search.get("specific_date")) {
        Some(d) if parse_date(&d).is_some() => Some(d),
        Some(_) => return Err(invalid("search.specific_date", "must be YYYY-MM-DD")),
        None => None,
    };
    let matching: Vec<Value> = st
        .providers
        .iter()
        .filter(|p| gender.as_ref().is_none_or(|g| p.gender.eq_ignore_ascii_case(g)))
        .filter(|p| type_id.is_none_or(|t| i64::try_from(p.provider_type_id).is_ok_and(|id| id == t)))
        .filter(|p| language.is_none_or(|l| p.language_ids.iter().any(|id| i64::try_from(*id).is_ok_and(|id| id == l))))
        .filter(|p| day.as_ref().is_none_or(|d| p.slots.iter().any(|(at, _)| date(*at) == *d)))
        .map(providers::search_item)
        .collect();
    let mut out = fixtures::provider_search();
    out["providers"] = Value::Array(page_of(&matching, page, per));
    out["refine_search_options"]["availability_type"] = json!(["phone", "video"]);
    ok(&out)
}

/// `GET /api/v2/providers/{provider_id}/profile?provider_type=`.
pub(in super::super) fn provider_profile(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.id("provider_id")?;
    let provider = st.provider(id).ok_or_else(|| not_found("provider"))?;
    let provider_type = ctx.q("provider_type").ok_or_else(|| invalid("provider_type", "is required"))?;
    if provider_type.parse::<u64>().is_err() {
        return Err(invalid("provider_type", "must be a provider type id"));
    }
    if let Some(patient) = ctx.q("patient_id") {
        let patient: u64 = patient.parse().map_err(|_| invalid("patient_id", "must be an integer"))?;
        if !may_act_for(ctx, patient) {
            return Err(error(401, "the token does not belong to this patient"));
        }
    }
    if let Some(kind) = ctx.q("availability_type")
        && kind != "phone"
        && kind != "video"
    {
        return Err(invalid("availability_type", "must be phone or video"));
    }
    if let Some(s) = ctx.q("state_abbrev")
        && state_id(&s).is_none()
    {
        return Err(invalid("state_abbrev", "must be a two-letter state from the states list"));
    }
    let day = ctx.q("specific_date").unwrap_or_else(|| date(now_secs()));
    if parse_date(&day).is_none() {
        return Err(invalid("specific_date", "must be YYYY-MM-DD"));
    }
    let show_next = match ctx.q("show_next_availability").as_deref() {
        None | Some("true") => true,
        Some("false") => false,
        Some(_) => return Err(invalid("show_next_availability", "must be true or false")),
    };
    ok(&providers::profile(&fixtures::provider_profile(), provider, &day, show_next))
}

/// An appointment as the sandbox renders it (create, upcoming, patient profile).
pub(in super::super) fn appointment_json(st: &State, a: &Appointment) -> Value {
    let provider = a.provider_id.and_then(|id| st.provider(id)).map(|p| {
        json!({
            "id": p.id,
            "full_name": p.fullname,
            "provider_type": provider_type_name(p.provider_type_id),
            "photo_url_absolute": "",
        })
    });
    let wait_info = (provider.is_none() && a.status == "pending").then(|| {
        json!({
            "average_wait_time": null,
            "patients_in_queue": null,
            "message": "We will send updates to your phone",
            "over_time_message": "under 30",
            "wait_time_label": "Estimated Provider call back time",
            "position_in_line_label": null,
            "web_instructions_message": "Please keep this window open and a Provider will be with you shortly",
            "mobile_instructions_message": "Provider will be calling you on the phone number provided",
        })
    });
    json!({
        "id": a.id,
        "patient_id": a.patient_id,
        "provider_id": a.provider_id,
        "provider_type_id": a.provider_type_id,
        "provider_type": provider_type_name(a.provider_type_id),
        "appointment_method": a.method,
        "start_time": a.start_time,
        "start_date_rfc3339": a.start_time.map(rfc3339),
        "chief_complaint": a.chief_complaint,
        "state_abbrev": a.state_abbrev,
        "status": a.status,
        "provider_ready": a.provider_ready,
        "entered_waiting_room": a.entered_waiting_room,
        "created_at": rfc3339(a.created_at),
        "provider": provider,
        "wait_info": wait_info,
    })
}

/// `POST /api/v2/patients/{patient_id}/appointments`: first available (no `provider_id`, `start_time` null)
/// or a specific provider at `start_time`.
pub(in super::super) fn create_appointment(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let a = obj(&b, "appointment", "appointment")?;
    let type_id = int_like(a.get("provider_type_id")).and_then(|t| u64::try_from(t).ok());
    let type_id = type_id.ok_or_else(|| invalid("appointment.provider_type_id", "is required (an integer)"))?;
    let state_abbrev = state_field(a, "appointment.state_abbrev", true)?.unwrap_or_default();
    field(a, "survey_answer", "appointment.survey_answer")?;
    field(a, "customer_call_in_number", "appointment.customer_call_in_number")?;
    let method = method_field(a, "appointment.appointment_method")?;
    let chief_complaint = field(a, "chief_complaint", "appointment.chief_complaint")?;
    for consent in ["agrees_to_informed_consent", "agrees_to_privacy_agreement"] {
        if bool_like(a.get(consent)) != Some(true) {
            return Err(invalid(&format!("appointment.{consent}"), "must be true"));
        }
    }
    field(a, "consent_user_initials", "appointment.consent_user_initials")?;
    if state_abbrev == "ID" && method != "video" {
        return Err(invalid("appointment.appointment_method", "must be video in Idaho"));
    }
    let provider_id = match a.get("provider_id").filter(|v| !v.is_null()) {
        None => None,
        Some(v) => Some(
            int_like(Some(v))
                .and_then(|i| u64::try_from(i).ok())
                .ok_or_else(|| invalid("appointment.provider_id", "must be an integer"))?,
        ),
    };
    let start_time = match a.get("start_time").filter(|v| !v.is_null()) {
        None => None,
        Some(v) => Some(
            int_like(Some(v))
                .ok_or_else(|| invalid("appointment.start_time", "must be integer seconds since the epoch"))?,
        ),
    };
    if let Some(file) = a.get("file_id").filter(|v| !v.is_null()) {
        let file = int_like(Some(file)).and_then(|i| u64::try_from(i).ok());
        let known =
            st.patient(ctx.patient_id).is_some_and(|p| p.documents.iter().any(|d| file.is_some_and(|f| d["id"] == f)));
        if !known {
            return Err(invalid("appointment.file_id", "is not a document of this patient"));
        }
    }
    if let Some(pid) = provider_id {
        let at = start_time.ok_or_else(|| invalid("appointment.start_time", "is required with a provider_id"))?;
        if st.provider(pid).is_none() {
            return Err(not_found("provider"));
        }
        let taken = st.appointments.iter().any(|x| {
            x.provider_id == Some(pid) && x.start_time == Some(at) && matches!(x.status, "pending" | "in_progress")
        });
        if taken {
            return Err(error(409, "the provider is already booked at that time"));
        }
        if let Some(p) = st.providers.iter_mut().find(|p| p.id == pid) {
            p.slots.retain(|(slot, _)| *slot != at);
        }
    }
    let id = st.next_id();
    let appointment = Appointment {
        id,
        patient_id: ctx.patient_id,
        provider_id,
        provider_type_id: type_id,
        method,
        start_time,
        chief_complaint,
        state_abbrev,
        status: "pending",
        provider_ready: false,
        entered_waiting_room: false,
        created_at: now_secs(),
    };
    let with = provider_id
        .and_then(|p| st.provider(p))
        .map_or_else(|| "the first available provider".to_owned(), |p| p.fullname.clone());
    st.system_message(
        ctx.patient_id,
        "Appointment Scheduled",
        &format!("You have scheduled an appointment with {with}"),
    );
    let json = appointment_json(st, &appointment);
    st.appointments.push(appointment);
    ok(&json!({ "appointment": json }))
}

fn own_appointment<'a>(st: &'a mut State, ctx: &Ctx<'_>) -> Result<&'a mut Appointment, Reply> {
    let id = ctx.id("appointment_id")?;
    let caller = ctx.caller;
    st.appointments
        .iter_mut()
        .find(|a| a.id == id && (caller == Holder::Api || caller == Holder::User(a.patient_id)))
        .ok_or_else(|| not_found("appointment"))
}

/// `PUT /api/v1/patients/{patient_id}/appointments/{appointment_id}/cancel`: 204.
pub(in super::super) fn cancel_appointment(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let a = own_appointment(st, ctx)?;
    match a.status {
        "pending" => {}
        "cancelled" => return Err(error(409, "the appointment is already cancelled")),
        _ => return Err(error(409, "the appointment has already started")),
    }
    a.status = "cancelled";
    let (provider, at) = (a.provider_id, a.start_time);
    if let (Some(pid), Some(at)) = (provider, at)
        && let Some(p) = st.providers.iter_mut().find(|p| p.id == pid)
    {
        p.slots.push((at, pid * 100 + 99));
        p.slots.sort_unstable();
    }
    Ok(Reply::no_content())
}

/// The patient's upcoming appointments: pending or in progress, in the future or started within the hour.
pub(in super::super) fn upcoming_of(st: &State, patient_id: u64) -> Vec<Value> {
    let since = now_secs() - 3600;
    st.appointments
        .iter()
        .filter(|a| a.patient_id == patient_id && matches!(a.status, "pending" | "in_progress"))
        .filter(|a| a.start_time.is_none_or(|t| t >= since))
        .map(|a| appointment_json(st, a))
        .collect()
}

/// `GET /api/v2/patients/{patient_id}/appointments/upcoming`.
pub(in super::super) fn upcoming(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    ok(&json!({ "appointments": upcoming_of(st, ctx.patient_id) }))
}

/// `POST` (or `PUT`) `.../appointments/{appointment_id}/entered_waiting_room`: 200 with no content.
pub(in super::super) fn waiting_room(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let a = own_appointment(st, ctx)?;
    if matches!(a.status, "cancelled" | "completed") {
        return Err(error(409, "the appointment is no longer active"));
    }
    a.entered_waiting_room = true;
    Ok(Reply::status(200))
}

/// `GET /api/v1/appointments/{appointment_id}/connection_params?post_consultation_url=`.
pub(in super::super) fn connection_params(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let back = ctx.q("post_consultation_url");
    if let Some(url) = &back
        && url::Url::parse(url).is_err()
    {
        return Err(invalid("post_consultation_url", "must be an absolute URL"));
    }
    let a = own_appointment(st, ctx)?;
    if matches!(a.status, "cancelled" | "completed") {
        return Err(error(409, "the appointment is no longer active"));
    }
    let join = format!("https://consult.mdlive-sandbox.invalid/appointments/{}/join", a.id);
    ok(&json!({ "connection_params": { "appointment_id": a.id, "url": join, "post_consultation_url": back } }))
}

fn preferred_time(value: &str) -> bool {
    ["First Available", "Morning", "Afternoon", "Evening"].iter().any(|t| t.eq_ignore_ascii_case(value))
}

/// `POST /api/v2/patients/{patient_id}/appointment_requests`: answers the request with the date in the
/// two-digit-year form the doc shows (`18-12-20`).
pub(in super::super) fn create_request(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let r = obj(&b, "appointment_request", "appointment_request")?;
    let provider_id = int_like(r.get("provider_id")).and_then(|i| u64::try_from(i).ok());
    let provider_id =
        provider_id.ok_or_else(|| invalid("appointment_request.provider_id", "is required (an integer)"))?;
    if st.provider(provider_id).is_none() {
        return Err(not_found("provider"));
    }
    let chief_complaint = field(r, "chief_complaint", "appointment_request.chief_complaint")?;
    let contact_number = field(r, "contact_number", "appointment_request.contact_number")?;
    let day = field(r, "appointment_date", "appointment_request.appointment_date")?;
    if parse_date(&day).is_none() {
        return Err(invalid("appointment_request.appointment_date", "must be YYYY-MM-DD"));
    }
    let method = method_field(r, "appointment_request.appointment_method")?;
    let preferred = field(r, "preferred_time", "appointment_request.preferred_time")?;
    if !preferred_time(&preferred) {
        return Err(invalid(
            "appointment_request.preferred_time",
            "must be First Available, Morning, Afternoon or Evening",
        ));
    }
    let state_abbrev = state_field(r, "appointment_request.state_abbrev", false)?;
    let id = st.next_id();
    let request = json!({
        "id": id,
        "patient_id": ctx.patient_id,
        "provider_id": provider_id,
        "chief_complaint": chief_complaint,
        "contact_number": contact_number,
        "appointment_date": day[2..].to_owned(),
        "appointment_method": method,
        "preferred_time": preferred,
        "state_abbrev": state_abbrev,
        "status": "requested",
        "reminders": 0,
    });
    st.appointment_requests.push(request.clone());
    ok(&json!({ "appointment_request": public_request(&request) }))
}

/// A stored request without the sandbox's bookkeeping fields.
pub(in super::super) fn public_request(request: &Value) -> Value {
    let mut out = request.clone();
    if let Some(m) = out.as_object_mut() {
        m.remove("status");
        m.remove("reminders");
    }
    out
}

fn own_request<'a>(st: &'a mut State, ctx: &Ctx<'_>) -> Result<&'a mut Value, Reply> {
    let id = ctx.id("appointment_request_id")?;
    let patient = ctx.patient_id;
    let found = st.appointment_requests.iter_mut().find(|r| r["id"] == id && r["patient_id"] == patient);
    let found = found.ok_or_else(|| not_found("appointment request"))?;
    if found["status"] == "cancelled" {
        return Err(error(409, "the appointment request is cancelled"));
    }
    Ok(found)
}

/// `POST .../appointment_requests/{appointment_request_id}/cancel`.
pub(in super::super) fn cancel_request(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    own_request(st, ctx)?["status"] = json!("cancelled");
    ok(&json!({ "message": "Your appointment request has been cancelled" }))
}

/// `POST .../appointment_requests/{appointment_request_id}/remind`.
pub(in super::super) fn remind_request(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let request = own_request(st, ctx)?;
    let reminders = request["reminders"].as_u64().unwrap_or(0) + 1;
    request["reminders"] = json!(reminders);
    ok(&json!({ "message": "The Provider was reminded about your appointment request" }))
}

fn completed_appointment(st: &State, patient_id: u64, id: Option<u64>) -> Option<&Appointment> {
    let id = id?;
    st.appointments.iter().find(|a| a.id == id && a.patient_id == patient_id && a.status == "completed")
}

/// `GET .../cust_appointments/{cust_appt_id}/after_care_instructions` (completed appointments only).
pub(in super::super) fn after_care(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.params.get("cust_appt_id").and_then(|v| v.parse().ok());
    completed_appointment(st, ctx.patient_id, id).ok_or_else(|| not_found("after care instructions"))?;
    ok(&fixtures::after_care_instructions())
}

/// `GET .../appointments/consultation_summary?cust_appt_id=` (completed appointments only).
pub(in super::super) fn consultation_summary(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.q("cust_appt_id").ok_or_else(|| invalid("cust_appt_id", "is required"))?;
    let a =
        completed_appointment(st, ctx.patient_id, id.parse().ok()).ok_or_else(|| not_found("consultation summary"))?;
    let pdf = format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% Consultation summary of appointment {}\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        a.id
    );
    ok(&json!({
        "consultation_summary": {
            "appointment_id": a.id,
            "file_name": format!("consultation_summary_{}.pdf", a.id),
            "mime_type": "application/pdf",
            "data": base64::engine::general_purpose::STANDARD.encode(pdf),
        }
    }))
}

/// `GET /api/v1/patients/{patient_id}/prescriptions/{prescription_id}`.
pub(in super::super) fn prescription(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.id("prescription_id")?;
    let found = st.prescriptions.iter().find(|p| p["id"] == id && p["patient_id"] == ctx.patient_id);
    let found = found.ok_or_else(|| not_found("prescription"))?;
    ok(&json!({ "prescription": found }))
}
