//! The patient's account: profile (get, update) and pharmacy search; and the partner's webhook registration.

use serde_json::{Map, Value, json};

use super::super::fixtures;
use super::super::state::{Patient, State, age, parse_date, state_by_id};
use super::scheduling::{appointment_json, public_request, upcoming_of};
use super::{Ctx, Outcome, body, bool_like, field, int_like, invalid, not_found, obj, ok, page_of, patient_mut, text};

/// (id, name, address1, city, state, zipcode, phone, fax, latitude, longitude, open 24 hours).
type PharmacyRow = (
    u64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
    bool,
);

const PHARMACIES: [PharmacyRow; 8] = [
    (
        1,
        "CVS/pharmacy #7900",
        "10000 W COMMERCIAL BLVD",
        "SUNRISE",
        "FL",
        "33351",
        "9547486377",
        "9547486435",
        26.1935,
        -80.2846,
        false,
    ),
    (
        2,
        "Walgreens #3012",
        "8000 W OAKLAND PARK BLVD",
        "SUNRISE",
        "FL",
        "33351",
        "9547470300",
        "9547470311",
        26.1670,
        -80.2560,
        true,
    ),
    (
        3,
        "Publix Pharmacy #0412",
        "12801 W SUNRISE BLVD",
        "SUNRISE",
        "FL",
        "33323",
        "9548460512",
        "9548460513",
        26.1465,
        -80.3217,
        false,
    ),
    (
        4,
        "CVS/pharmacy #5270",
        "1850 E LAS OLAS BLVD",
        "FORT LAUDERDALE",
        "FL",
        "33301",
        "9544631200",
        "9544631201",
        26.1190,
        -80.1270,
        true,
    ),
    (
        5,
        "Walgreens #4410",
        "1300 NW 17TH AVE",
        "MIAMI",
        "FL",
        "33125",
        "3053241550",
        "3053241551",
        25.7870,
        -80.2220,
        true,
    ),
    (
        6,
        "CVS/pharmacy #3410",
        "2500 PEACHTREE RD NW",
        "ATLANTA",
        "GA",
        "30305",
        "4042311000",
        "4042311001",
        33.8250,
        -84.3870,
        false,
    ),
    (
        7,
        "Walgreens #5521",
        "3300 S LAMAR BLVD",
        "AUSTIN",
        "TX",
        "78704",
        "5124421100",
        "5124421101",
        30.2440,
        -97.7800,
        true,
    ),
    (
        8,
        "CVS 17070 IN TARGET",
        "4500 N SHERIDAN RD",
        "CHICAGO",
        "IL",
        "60640",
        "7735610100",
        "7735610101",
        41.9620,
        -87.6550,
        false,
    ),
];

fn pharmacy(row: &PharmacyRow) -> Value {
    let (id, name, address1, city, state, zipcode, phone, fax, latitude, longitude, open_24) = *row;
    json!({
        "id": id, "name": name, "address1": address1, "address2": "", "city": city, "state": state,
        "zipcode": zipcode, "phone": phone, "fax": fax, "latitude": latitude, "longitude": longitude,
        "twenty_four_hour_flag": open_24,
    })
}

/// The name of a known pharmacy.
pub(in super::super) fn pharmacy_name(id: u64) -> Option<&'static str> {
    PHARMACIES.iter().find(|r| r.0 == id).map(|r| r.1)
}

fn gender_name(code: &str) -> &'static str {
    match code {
        "M" => "Male",
        "F" => "Female",
        "U" => "Non-binary",
        _ => "",
    }
}

fn or_null(p: &Patient, key: &str) -> Value {
    let v = p.field(key);
    if v.is_empty() { Value::Null } else { json!(v) }
}

/// The `patient_profile` of a patient: the doc's example with this patient's fields and appointments.
pub(in super::super) fn profile_json(st: &State, p: &Patient) -> Value {
    let mut v = fixtures::patient_profile()["patient_profile"].clone();
    let state = p.profile.get("state_id").and_then(Value::as_u64).unwrap_or(10);
    let pharmacy_id = p.profile.get("pharmacy_id").and_then(Value::as_u64).unwrap_or(1);
    let unread = st.messages.iter().filter(|m| m.patient_id == p.id && !m.from_patient && m.unread).count();
    let completed: Vec<Value> = st
        .appointments
        .iter()
        .filter(|a| a.patient_id == p.id && a.status == "completed")
        .map(|a| {
            let mut j = appointment_json(st, a);
            j["after_care_instruction"] = json!(true);
            j
        })
        .collect();
    let requested: Vec<Value> = st
        .appointment_requests
        .iter()
        .filter(|r| r["patient_id"] == p.id && r["status"] == "requested")
        .map(public_request)
        .collect();
    let fields = [
        ("id", json!(p.id)),
        ("fullname", json!(p.fullname())),
        ("email", json!(p.field("email"))),
        ("gender", json!(gender_name(p.field("gender")))),
        ("age", json!(age(p.field("birthdate")))),
        ("birthdate", json!(p.field("birthdate"))),
        ("username", json!(p.field("username"))),
        ("first_name", json!(p.field("first_name"))),
        ("last_name", json!(p.field("last_name"))),
        ("address1", json!(p.field("address1"))),
        ("address2", or_null(p, "address2")),
        ("city", json!(p.field("city"))),
        ("state_id", json!(state)),
        ("zip", json!(p.field("zip"))),
        ("phone", json!(p.field("phone"))),
        ("cell", or_null(p, "cell")),
        ("emergency_contact_number", or_null(p, "emergency_contact_number")),
        ("primary_care_physician", p.pcp.clone().unwrap_or(Value::Null)),
        ("unread_message_count", json!(unread)),
        ("state", json!({ "name": state_by_id(state).map(|(n, _)| n.to_uppercase()), "id": state })),
        ("pharmacy", PHARMACIES.iter().find(|r| r.0 == pharmacy_id).map_or(Value::Null, pharmacy)),
        ("family_members", json!([])),
        ("upcoming_appointments", Value::Array(upcoming_of(st, p.id))),
        ("completed_appointments", Value::Array(completed)),
        ("requested_appointments", Value::Array(requested)),
    ];
    for (k, value) in fields {
        v[k] = value;
    }
    v
}

/// `GET /api/v2/patients/{patient_id}`.
pub(in super::super) fn get_patient(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let p = st.patient(ctx.patient_id).ok_or_else(|| not_found("patient"))?;
    ok(&json!({ "patient_profile": profile_json(st, p) }))
}

/// `PATCH /api/v2/patients/{patient_id}`: every field optional.
pub(in super::super) fn update_patient(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let given = obj(&b, "patient", "patient")?;
    let mut changes = Map::new();
    for key in [
        "first_name",
        "last_name",
        "phone",
        "cell",
        "emergency_contact_number",
        "email",
        "address1",
        "address2",
        "city",
        "zip",
    ] {
        match given.get(key) {
            Some(Value::String(s)) => {
                changes.insert(key.to_owned(), json!(s));
            }
            Some(Value::Null) | None => {}
            Some(_) => return Err(invalid(&format!("patient.{key}"), "must be a string")),
        }
    }
    if let Some(g) = text(given.get("gender")) {
        if g != "M" && g != "F" {
            return Err(invalid("patient.gender", "must be M or F"));
        }
        changes.insert("gender".into(), json!(g));
    }
    if let Some(d) = text(given.get("birthdate")) {
        if parse_date(&d).is_none() {
            return Err(invalid("patient.birthdate", "must be YYYY-MM-DD"));
        }
        changes.insert("birthdate".into(), json!(d));
    }
    if let Some(v) = given.get("state_id").filter(|v| !v.is_null()) {
        let id = int_like(Some(v)).and_then(|i| u64::try_from(i).ok()).filter(|i| state_by_id(*i).is_some());
        changes.insert(
            "state_id".into(),
            json!(id.ok_or_else(|| invalid("patient.state_id", "must be a state id from the states list"))?),
        );
    }
    if let Some(v) = given.get("pharmacy_id").filter(|v| !v.is_null()) {
        let id = int_like(Some(v)).and_then(|i| u64::try_from(i).ok()).filter(|i| PHARMACIES.iter().any(|r| r.0 == *i));
        changes.insert(
            "pharmacy_id".into(),
            json!(id.ok_or_else(|| invalid("patient.pharmacy_id", "is not a known pharmacy"))?),
        );
    }
    patient_mut(st, ctx)?.profile.extend(changes);
    get_patient(st, ctx)
}

fn miles(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 3958.8 * h.sqrt().asin()
}

fn float_like(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `POST /api/v1/patients/{patient_id}/pharmacies/search`: a flat body; answers a bare array (the doc's
/// wrapper was lost). A pharmacy is near when it is within `radius` miles of `coordinates`, or in `zipcode`,
/// or in `city` (the patient's zip when none is given); `state`, `name` and `twenty_four_hour_pharmacy` narrow.
pub(in super::super) fn search_pharmacies(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let page = int_like(b.get("page")).unwrap_or(1);
    let per = int_like(b.get("per_page")).unwrap_or(10);
    let (Ok(page), Ok(per)) = (usize::try_from(page), usize::try_from(per)) else {
        return Err(invalid("page", "and per_page must be positive integers"));
    };
    if page == 0 || per == 0 {
        return Err(invalid("page", "and per_page must be positive integers"));
    }
    let radius = float_like(b.get("radius")).unwrap_or(30.0);
    let coordinates = match b.get("coordinates").filter(|v| !v.is_null()) {
        None => None,
        Some(c) => {
            let lat = float_like(c.get("latitude"))
                .ok_or_else(|| invalid("coordinates.latitude", "is required (a number)"))?;
            let lon = float_like(c.get("longitude"))
                .ok_or_else(|| invalid("coordinates.longitude", "is required (a number)"))?;
            Some((lat, lon))
        }
    };
    let zipcode = text(b.get("zipcode"));
    let city = text(b.get("city"));
    let fallback_zip = st.patient(ctx.patient_id).map(|p| p.field("zip").to_owned()).unwrap_or_default();
    let state = text(b.get("state"));
    let name = text(b.get("name")).map(|n| n.to_lowercase());
    let only_24 = match b.get("twenty_four_hour_pharmacy").filter(|v| !v.is_null()) {
        None => false,
        Some(v) => bool_like(Some(v)).ok_or_else(|| invalid("twenty_four_hour_pharmacy", "must be true or false"))?,
    };
    let found: Vec<Value> = PHARMACIES
        .iter()
        .filter(|r| {
            let near_coordinates = coordinates.is_some_and(|c| miles(c, (r.8, r.9)) <= radius);
            let near_zip = zipcode.as_deref().is_some_and(|z| z == r.5);
            let near_city = city.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(r.3));
            let no_hint = coordinates.is_none() && zipcode.is_none() && city.is_none();
            near_coordinates || near_zip || near_city || (no_hint && fallback_zip == r.5)
        })
        .filter(|r| state.as_deref().is_none_or(|s| s.eq_ignore_ascii_case(r.4)))
        .filter(|r| name.as_deref().is_none_or(|n| r.1.to_lowercase().contains(n)))
        .filter(|r| !only_24 || r.10)
        .map(pharmacy)
        .collect();
    ok(&Value::Array(page_of(&found, page, per)))
}

/// `POST /api/v1/webhook`: create or update the partner's one webhook URL (https only).
pub(in super::super) fn register_webhook(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let hook = obj(&b, "webhook", "webhook")?;
    let url = field(hook, "url", "webhook.url")?;
    let valid =
        url::Url::parse(&url).is_ok_and(|u| u.scheme() == "https" && u.host_str().is_some_and(|h| !h.is_empty()));
    if !valid {
        return Err(invalid("webhook.url", "must be a valid https URL"));
    }
    st.webhook_url = Some(url.clone());
    ok(&json!({ "webhook": { "url": url } }))
}
