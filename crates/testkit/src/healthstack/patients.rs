//! Patient, consent and record routes: create, seek and grant consent, list, read and edit patients, add
//! and list records, with the cross-business consent check.

use serde_json::{Map, Value, json};

use super::CONSENT_TTL;
use super::routes::{body, digits, fail, ok, text, try_reply};
use super::state::{PatientRow, RecordRow, State, TokenRow, alnum, time_key, uuid};
use crate::{Params, RecordedRequest, Reply};

/// Finds the patient and checks the caller may act on it (own patient, or a valid consent token).
fn access(st: &State, business: &str, req: &RecordedRequest, health_id: &str) -> Result<usize, Reply> {
    let Some(idx) = st.patients.iter().position(|p| p.health_id == health_id) else {
        return Err(fail(404, "Patient not found"));
    };
    if st.patients[idx].business_id == business {
        return Ok(idx);
    }
    let Some(token) = req.header("x-consent-token") else {
        return Err(fail(403, "Missing consent: obtain a consent token for this patient"));
    };
    match st.tokens.get(token) {
        Some(t) if t.health_id == health_id && t.business_id == business => {
            if t.issued_at.checked_add(CONSENT_TTL).is_none_or(|expires| st.now() < expires) {
                Ok(idx)
            } else {
                Err(fail(403, "Consent token expired: seek consent again"))
            }
        }
        _ => Err(fail(403, "Missing consent: the consent token is not valid for this patient")),
    }
}

fn patient_json(p: &PatientRow, single: bool) -> Value {
    let mut v = json!({
        "id": p.id, "full_name": p.full_name, "gender": p.gender, "dob": p.dob, "health_id": p.health_id,
        "created_at": p.created_at, "email": p.email, "business_id": p.business_id, "updated_at": p.updated_at,
        "metadata": p.metadata,
    });
    if single {
        v["vital"] = Value::Null;
    }
    v
}

pub(super) fn create_patient(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let name = text(b.get("name"));
    let gender = text(b.get("gender")).map(|g| g.to_ascii_lowercase());
    let dob = text(b.get("dob"));
    let nin = text(b.get("nin"));
    let email = text(b.get("email"));
    let (Some(name), Some(gender), Some(dob), Some(nin), Some(email)) = (name, gender, dob, nin, email) else {
        return fail(422, "Validation error: name, gender, dob, nin and email are required");
    };
    if !matches!(gender.as_str(), "male" | "female" | "other") {
        return fail(422, "Validation error: gender must be male, female or other");
    }
    if !digits(&nin, 11) {
        return fail(422, "Validation error: nin must be 11 digits");
    }
    if !(dob.len() == 10 && dob.as_bytes()[4] == b'-' && dob.as_bytes()[7] == b'-') {
        return fail(422, "Validation error: dob must be YYYY-MM-DD");
    }
    if !email.contains('@') {
        return fail(422, "Validation error: email is invalid");
    }
    let row = if let Some(existing) = st.patients.iter().find(|p| p.nin == nin) {
        existing.clone()
    } else {
        let now = st.now_str();
        let mut cap = gender.clone();
        cap[..1].make_ascii_uppercase();
        let row = PatientRow {
            id: uuid(),
            health_id: format!("HID-{}", alnum(8)),
            full_name: name,
            gender: cap,
            dob,
            nin,
            email,
            business_id: business.to_owned(),
            created_at: now.clone(),
            updated_at: now,
            metadata: Map::new(),
        };
        st.patients.push(row.clone());
        row
    };
    // Variant A: no `success`, boolean `status`.
    Reply::json(
        200,
        &json!({
            "status": true,
            "message": "Patient created successfully",
            "data": {
                "health_id": row.health_id, "name": row.full_name, "nin": row.nin, "email": row.email,
                "created_at": row.created_at,
            },
        }),
    )
}

pub(super) fn seek_consent(st: &mut State, _: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let Some(hid) = text(b.get("health_id")) else {
        return fail(422, "Validation error: health_id is required");
    };
    if !st.patients.iter().any(|p| p.health_id == hid) {
        return fail(404, "Patient not found");
    }
    let otp = st.otp.clone();
    st.pending_otps.insert(hid.clone(), otp.clone());
    st.sent_otps.insert(hid, otp);
    // Variant B: no `data`.
    ok(200, "A verification OTP has been sent your user for consent", None)
}

pub(super) fn grant_consent(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let (Some(hid), Some(otp)) = (text(b.get("health_id")), text(b.get("otp"))) else {
        return fail(422, "Validation error: health_id and otp are required");
    };
    if !st.patients.iter().any(|p| p.health_id == hid) {
        return fail(404, "Patient not found");
    }
    let expected = st.pending_otps.get(&hid).cloned();
    // A JSON number loses leading zeros: compare both ways.
    let matches = expected.as_deref().is_some_and(|e| e == otp || e.trim_start_matches('0') == otp);
    if !matches {
        return fail(422, "Validation error: invalid or expired OTP");
    }
    st.pending_otps.remove(&hid);
    let token = format!("ct_{}", alnum(24).to_ascii_lowercase());
    let issued_at = st.now();
    st.tokens.insert(token.clone(), TokenRow { health_id: hid.clone(), business_id: business.to_owned(), issued_at });
    ok(200, "Consent token assigned successfully", Some(json!({ "consentToken": token, "health_id": hid })))
}

pub(super) fn list_patients(st: &mut State, business: &'static str, _: &RecordedRequest, _: &Params) -> Reply {
    let items: Vec<Value> =
        st.patients.iter().filter(|p| p.business_id == business).map(|p| patient_json(p, false)).collect();
    ok(200, "Patients fetched successfully", Some(Value::Array(items)))
}

pub(super) fn get_patient(st: &mut State, business: &'static str, req: &RecordedRequest, p: &Params) -> Reply {
    let hid = p.get("health_id").unwrap_or_default();
    let idx = try_reply!(access(st, business, req, hid));
    // The doc's single patient opens with `[`: answer with the array reading.
    ok(200, "Patient fetched successfully", Some(json!([patient_json(&st.patients[idx], true)])))
}

pub(super) fn edit_patient(st: &mut State, business: &'static str, req: &RecordedRequest, p: &Params) -> Reply {
    let hid = p.get("health_id").unwrap_or_default();
    let idx = try_reply!(access(st, business, req, hid));
    let b = try_reply!(body(req));
    if b.is_empty() {
        return fail(422, "Validation error: nothing to edit");
    }
    let now = st.now_str();
    let patient = &mut st.patients[idx];
    patient.metadata.extend(b);
    patient.updated_at = now;
    ok(200, "Patient fetched successfully", Some(json!({ "metadata": patient.metadata })))
}

pub(super) fn create_record(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let Some(record_type) = text(b.get("recordType")) else {
        return fail(422, "Validation error: recordType is required");
    };
    let Some(data) = b.get("data").filter(|d| d.is_object()).cloned() else {
        return fail(422, "Validation error: data must be an object");
    };
    let provider = b.get("provider").cloned().unwrap_or(Value::Null);
    if text(provider.get("name")).is_none() || text(provider.get("nprn")).is_none() {
        return fail(422, "Validation error: provider.name and provider.nprn are required");
    }
    let Some(hid) = text(b.get("patient")) else {
        return fail(422, "Validation error: patient is required");
    };
    try_reply!(access(st, business, req, &hid));
    let row = RecordRow {
        record_id: uuid(),
        record_type,
        data,
        provider,
        patient: hid,
        business_id: business.to_owned(),
        created_at: st.now_str(),
    };
    let reply = json!({ "recordId": row.record_id, "patient": row.patient, "created_at": row.created_at });
    st.records.push(row);
    // Variant E, with the doc's copy-pasted message.
    Reply::json(
        200,
        &json!({ "success": true, "status": true, "message": "Medicard created successfully", "data": reply }),
    )
}

pub(super) fn list_records(st: &mut State, business: &'static str, req: &RecordedRequest, p: &Params) -> Reply {
    let hid = p.get("health_id").unwrap_or_default().to_owned();
    try_reply!(access(st, business, req, &hid));
    let query = req.query_pairs();
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let (kind, from, to) = (q("recordType"), q("from").map(|s| time_key(&s)), q("to").map(|s| time_key(&s)));
    let items: Vec<Value> = st
        .records
        .iter()
        .filter(|r| r.patient == hid)
        .filter(|r| kind.as_ref().is_none_or(|k| k.eq_ignore_ascii_case(&r.record_type)))
        .filter(|r| from.as_ref().is_none_or(|f| time_key(&r.created_at) >= *f))
        .filter(|r| to.as_ref().is_none_or(|t| time_key(&r.created_at) <= *t))
        .map(|r| {
            json!({
                "id": r.record_id, "recordType": r.record_type, "data": r.data, "provider": r.provider,
                "patient": r.patient, "business_id": r.business_id, "created_at": r.created_at,
            })
        })
        .collect();
    ok(200, "Records fetched successfully", Some(Value::Array(items)))
}
