//! A patient's records: allergies, medical conditions, medications, surgeries and customer documents
//! (create, list, show, delete), stored per patient.

use base64::Engine as _;
use serde_json::{Map, Value, json};

use super::super::state::{State, now_secs, rfc3339, rfc3339_millis};
use super::{Ctx, Outcome, body, bool_like, field, int_like, invalid, not_found, obj, ok, patient_mut, text};
use crate::Reply;

/// The allergy severities MDLIVE accepts.
pub(in super::super) const SEVERITIES: [&str; 4] = ["Not Sure", "Mild", "Moderate", "Severe"];

/// The document record types MDLIVE accepts.
const RECORD_TYPES: [&str; 5] =
    ["Behavioral", "Exam-Face2Face", "Patient Record", "Test Result", "Wellness Panel Results"];

/// A text value kept as a string (numbers stringified: FDB and NDC ids stay strings).
fn string_of(v: Option<&Value>) -> Value {
    text(v).map_or(Value::Null, Value::String)
}

/// Removes the rows whose `key` equals `value`; 204, or 404 if none did.
fn delete_where(rows: &mut Vec<Value>, key: &str, value: &Value, what: &str) -> Outcome {
    let before = rows.len();
    rows.retain(|r| r.get(key) != Some(value));
    if rows.len() == before { Err(not_found(what)) } else { Ok(Reply::no_content()) }
}

/// Validates and builds an allergy (shared with health history).
pub(in super::super) fn new_allergy(a: &Map<String, Value>, prefix: &str, id: u64) -> Result<Value, Reply> {
    let name = field(a, "name", &format!("{prefix}.name"))?;
    let severity = field(a, "severity", &format!("{prefix}.severity"))?;
    let Some(severity) = SEVERITIES.iter().find(|s| s.eq_ignore_ascii_case(&severity)) else {
        return Err(invalid(&format!("{prefix}.severity"), "must be Not Sure, Mild, Moderate or Severe"));
    };
    let reaction = field(a, "reaction", &format!("{prefix}.reaction"))?;
    if reaction.chars().count() > 80 {
        return Err(invalid(&format!("{prefix}.reaction"), "must be at most 80 characters"));
    }
    Ok(json!({
        "id": id,
        "name": name,
        "severity": severity,
        "active": true,
        "reaction": reaction,
        "source": "Self Reported",
        "current": null,
        "fdb_allergy_id": string_of(a.get("fdb_allergy_id")),
    }))
}

/// `POST /api/v2/patients/{patient_id}/allergies`.
pub(in super::super) fn create_allergy(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let id = st.next_id();
    let allergy = new_allergy(obj(&b, "allergy", "allergy")?, "allergy", id)?;
    patient_mut(st, ctx)?.allergies.push(allergy.clone());
    ok(&json!({ "allergy": allergy }))
}

/// `DELETE /api/v1/patients/{patient_id}/allergies/{allergy_id}`.
pub(in super::super) fn delete_allergy(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.id("allergy_id")?;
    delete_where(&mut patient_mut(st, ctx)?.allergies, "id", &json!(id), "allergy")
}

/// `DELETE /api/v1/patients/{patient_id}/allergies/fdb_allergy/{fdb_allergy_id}`.
pub(in super::super) fn delete_allergy_fdb(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let fdb = json!(ctx.param("fdb_allergy_id"));
    delete_where(&mut patient_mut(st, ctx)?.allergies, "fdb_allergy_id", &fdb, "allergy")
}

/// `GET /api/v1/patients/{patient_id}/allergies` (listed allergies are `current: true`, as in the doc).
pub(in super::super) fn list_allergies(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let rows: Vec<Value> = patient_mut(st, ctx)?
        .allergies
        .iter()
        .map(|a| {
            let mut a = a.clone();
            a["current"] = json!(true);
            a
        })
        .collect();
    ok(&json!({ "allergies": rows }))
}

/// Validates and builds a medical condition (shared with health history).
pub(in super::super) fn new_condition(c: &Map<String, Value>, prefix: &str, id: u64) -> Result<Value, Reply> {
    let condition = field(c, "condition", &format!("{prefix}.condition"))?;
    let now = rfc3339_millis(now_secs());
    let keep = |k: &str| c.get(k).cloned().unwrap_or(Value::Null);
    Ok(json!({
        "id": id,
        "condition": condition,
        "source": text(c.get("source")).unwrap_or_else(|| "Self Reported".to_owned()),
        "concept_id": keep("concept_id"),
        "snomed": keep("snomed"),
        "icd10": keep("icd10"),
        "date_reported": now,
        "last_updated_date": now,
        "active": true,
    }))
}

/// `POST /api/v1/patients/{patient_id}/medical_conditions`: answers `{patient_id, medical_condition}`.
pub(in super::super) fn create_condition(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let id = st.next_id();
    let condition = new_condition(obj(&b, "medical_condition", "medical_condition")?, "medical_condition", id)?;
    patient_mut(st, ctx)?.conditions.push(condition.clone());
    ok(&json!({ "patient_id": ctx.patient_id, "medical_condition": condition }))
}

/// `DELETE /api/v1/patients/{patient_id}/medical_conditions/{medical_condition_id}`.
pub(in super::super) fn delete_condition(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.id("medical_condition_id")?;
    delete_where(&mut patient_mut(st, ctx)?.conditions, "id", &json!(id), "medical condition")
}

/// The `{patient_id, medical_condition}` items of a patient.
pub(in super::super) fn condition_items(patient_id: u64, conditions: &[Value]) -> Vec<Value> {
    conditions.iter().map(|c| json!({ "patient_id": patient_id, "medical_condition": c })).collect()
}

/// `GET /api/v1/patients/{patient_id}/medical_conditions`.
pub(in super::super) fn list_conditions(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let items = condition_items(ctx.patient_id, &patient_mut(st, ctx)?.conditions);
    ok(&json!({ "medical_conditions": items }))
}

/// Validates and builds a medication (shared with health history).
pub(in super::super) fn new_medication(m: &Map<String, Value>, prefix: &str, id: u64) -> Result<Value, Reply> {
    let name = field(m, "name", &format!("{prefix}.name"))?;
    let current = match m.get("current").filter(|v| !v.is_null()) {
        None => true,
        Some(v) => bool_like(Some(v)).ok_or_else(|| invalid(&format!("{prefix}.current"), "must be true or false"))?,
    };
    Ok(json!({
        "id": id,
        "name": name,
        "dosage": text(m.get("dosage")).unwrap_or_default(),
        "frequency": text(m.get("frequency")).unwrap_or_default(),
        "quantity": 1,
        "source": "Self Reported",
        "current": current,
        "med_id": m.get("med_id").cloned().unwrap_or(Value::Null),
        "ndc_id": string_of(m.get("ndc_id")),
    }))
}

/// `POST /api/v2/patients/{patient_id}/medications`.
pub(in super::super) fn create_medication(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let id = st.next_id();
    let medication = new_medication(obj(&b, "medication", "medication")?, "medication", id)?;
    patient_mut(st, ctx)?.medications.push(medication.clone());
    ok(&json!({ "medication": medication }))
}

/// `DELETE /api/v1/patients/{patient_id}/medications/{medication_id}`.
pub(in super::super) fn delete_medication(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.id("medication_id")?;
    delete_where(&mut patient_mut(st, ctx)?.medications, "id", &json!(id), "medication")
}

/// `DELETE /api/v1/patients/{patient_id}/medications/ndc/{ndc_id}`.
pub(in super::super) fn delete_medication_ndc(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let ndc = json!(ctx.param("ndc_id"));
    delete_where(&mut patient_mut(st, ctx)?.medications, "ndc_id", &ndc, "medication")
}

/// `GET /api/v1/patients/{patient_id}/medications`: the current medications.
pub(in super::super) fn list_medications(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let rows: Vec<Value> = patient_mut(st, ctx)?.medications.iter().filter(|m| m["current"] == true).cloned().collect();
    ok(&json!({ "medications": rows }))
}

/// Validates and builds a surgery (shared with health history): the year is four digits or blank.
pub(in super::super) fn new_surgery(s: &Map<String, Value>, prefix: &str, id: u64) -> Result<Value, Reply> {
    let name = field(s, "name", &format!("{prefix}.name"))?;
    let year = match s.get("surgery_year") {
        None => return Err(invalid(&format!("{prefix}.surgery_year"), "is required (a four-digit year or blank)")),
        Some(Value::Null) => json!(""),
        Some(Value::String(y)) if y.trim().is_empty() => json!(""),
        Some(v) => match int_like(Some(v)) {
            Some(y) if (1000..=9999).contains(&y) => json!(y),
            _ => return Err(invalid(&format!("{prefix}.surgery_year"), "must be a four-digit year or blank")),
        },
    };
    Ok(json!({ "id": id, "name": name, "surgery_year": year }))
}

/// `POST /api/v2/patients/{patient_id}/surgeries`.
pub(in super::super) fn create_surgery(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let id = st.next_id();
    let surgery = new_surgery(obj(&b, "surgery", "surgery")?, "surgery", id)?;
    patient_mut(st, ctx)?.surgeries.push(surgery.clone());
    ok(&json!({ "surgery": surgery }))
}

/// `DELETE /api/v1/patients/{patient_id}/surgeries/{surgery_id}`.
pub(in super::super) fn delete_surgery(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.id("surgery_id")?;
    delete_where(&mut patient_mut(st, ctx)?.surgeries, "id", &json!(id), "surgery")
}

/// `GET /api/v2/patients/{patient_id}/surgeries`.
pub(in super::super) fn list_surgeries(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let rows = patient_mut(st, ctx)?.surgeries.clone();
    ok(&json!({ "surgeries": rows }))
}

/// `POST /api/v2/patients/{patient_id}/documents`: `data` must be base64; answers the document without
/// `data`, unwrapped (the doc's surviving lines show no wrapper).
pub(in super::super) fn create_document(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let d = obj(&b, "doc", "doc")?;
    let name = field(d, "document_name", "doc.document_name")?;
    let data = field(d, "data", "doc.data")?;
    let engine = base64::engine::general_purpose::STANDARD;
    let size = engine.decode(data.trim()).map_err(|_| invalid("doc.data", "must be base64"))?.len();
    let mime = field(d, "mime_type", "doc.mime_type")?;
    if !mime.contains('/') {
        return Err(invalid("doc.mime_type", "must be a MIME type such as image/png"));
    }
    let record_type = field(d, "record_type", "doc.record_type")?;
    if !RECORD_TYPES.contains(&record_type.as_str()) {
        return Err(invalid("doc.record_type", "must be one of the documented record types"));
    }
    let id = st.next_id();
    let uploader = st.patient_name(ctx.patient_id);
    let document = json!({
        "id": id,
        "document_name": name,
        "mime_type": mime,
        "record_type": record_type,
        "upload_by": uploader,
        "file_size": size,
        "created_at": rfc3339(now_secs()),
        "data": data,
    });
    patient_mut(st, ctx)?.documents.push(document.clone());
    ok(&without_data(&document))
}

fn without_data(document: &Value) -> Value {
    let mut out = document.clone();
    if let Some(m) = out.as_object_mut() {
        m.remove("data");
    }
    out
}

/// `DELETE /api/v1/patients/{patient_id}/documents/{document_id}`.
pub(in super::super) fn delete_document(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.id("document_id")?;
    delete_where(&mut patient_mut(st, ctx)?.documents, "id", &json!(id), "document")
}

/// `GET /api/v1/patients/{patient_id}/documents`: `{documents: [...]}` without the file data.
pub(in super::super) fn list_documents(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let rows: Vec<Value> = patient_mut(st, ctx)?.documents.iter().map(without_data).collect();
    ok(&json!({ "documents": rows }))
}

/// `GET /api/v1/patients/{patient_id}/documents/{document_id}`: the document with its base64 `data`.
pub(in super::super) fn get_document(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.id("document_id")?;
    let found = patient_mut(st, ctx)?.documents.iter().find(|d| d["id"] == id).cloned();
    ok(&found.ok_or_else(|| not_found("document"))?)
}
