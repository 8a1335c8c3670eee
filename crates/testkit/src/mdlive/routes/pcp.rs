//! The primary care physician (get, create, update by `PUT` or `POST`, delete) and the PCP questions.

use serde_json::{Map, Value, json};

use super::super::fixtures;
use super::super::state::{Patient, State, state_id};
use super::{Ctx, Outcome, body, bool_like, error, field, invalid, not_found, obj, ok, patient_mut, text};
use crate::Reply;

/// The PCP questions every patient starts with (all unanswered, `false`).
pub(in super::super) fn default_pcp_questions() -> Vec<(String, bool)> {
    ["primary_care_physician", "pcp_correct_information", "pcp_visit_information"]
        .iter()
        .map(|n| ((*n).to_owned(), false))
        .collect()
}

fn questions_json(p: &Patient) -> Value {
    let texts = fixtures::pcp_questions();
    let rows: Vec<Value> = p
        .pcp_questions
        .iter()
        .map(|(name, value)| {
            let question = texts["pcp_questions"]
                .as_array()
                .and_then(|l| l.iter().find(|q| q["name"] == name.as_str()))
                .map(|q| q["question"].clone());
            json!({ "name": name, "question": question, "value": value })
        })
        .collect();
    json!({ "pcp_questions": rows })
}

/// `GET /api/v2/patients/{patient_id}/evr_primary_care_physician_questions`.
pub(in super::super) fn get_pcp_questions(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    ok(&questions_json(patient_mut(st, ctx)?))
}

/// `PUT .../evr_primary_care_physician_questions`: an array of `{name, value}` (or, as in the doc's Ruby
/// example, an object of name → value).
pub(in super::super) fn update_pcp_questions(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let answers: Vec<(String, Option<bool>)> = match b.get("pcp_questions") {
        Some(Value::Array(list)) => {
            list.iter().map(|q| (text(q.get("name")).unwrap_or_default(), bool_like(q.get("value")))).collect()
        }
        Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), bool_like(Some(v)))).collect(),
        _ => return Err(invalid("pcp_questions", "is required (an array of name and value)")),
    };
    let p = patient_mut(st, ctx)?;
    let mut updated = p.pcp_questions.clone();
    for (name, value) in answers {
        let slot = updated
            .iter_mut()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| invalid("pcp_questions.name", "is not a PCP question"))?;
        slot.1 = value.ok_or_else(|| invalid("pcp_questions.value", "must be true or false"))?;
    }
    p.pcp_questions = updated;
    ok(&questions_json(p))
}

const PCP_FIELDS: [&str; 14] = [
    "first_name",
    "last_name",
    "middle_name",
    "practice",
    "email",
    "address1",
    "address2",
    "city",
    "state_abbrev",
    "country_code",
    "zip",
    "phone",
    "cell",
    "fax",
];
const PCP_REQUIRED: [&str; 8] =
    ["first_name", "last_name", "practice", "city", "state_abbrev", "country_code", "phone", "fax"];

fn apply_pcp(pcp: &mut Value, given: &Map<String, Value>) -> Result<(), Reply> {
    for key in PCP_FIELDS {
        if let Some(v) = given.get(key).filter(|v| !v.is_null()) {
            let v = v.as_str().ok_or_else(|| invalid(&format!("pcp.{key}"), "must be a string"))?;
            pcp[key] = json!(v);
        }
    }
    if state_id(pcp["state_abbrev"].as_str().unwrap_or_default()).is_none() {
        return Err(invalid("pcp.state_abbrev", "must be a two-letter state from the states list"));
    }
    let country = pcp["country_code"].as_str().unwrap_or_default();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(invalid("pcp.country_code", "must be a two-letter country code"));
    }
    let full =
        format!("{} {}", pcp["first_name"].as_str().unwrap_or_default(), pcp["last_name"].as_str().unwrap_or_default());
    pcp["full_name"] = json!(full.trim());
    Ok(())
}

/// `GET /api/v1/patients/{patient_id}/evr_primary_care_physician`: `{"pcp": null}` when none.
pub(in super::super) fn get_pcp(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    ok(&json!({ "pcp": patient_mut(st, ctx)?.pcp }))
}

/// `POST /api/v1/patients/{patient_id}/evr_primary_care_physician` (409 when one exists: update it).
pub(in super::super) fn create_pcp(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let given = obj(&b, "pcp", "pcp")?;
    for key in PCP_REQUIRED {
        field(given, key, &format!("pcp.{key}"))?;
    }
    if patient_mut(st, ctx)?.pcp.is_some() {
        return Err(error(409, "a primary care physician is already on file; update it"));
    }
    let mut pcp = json!({ "id": st.next_id() });
    for key in PCP_FIELDS {
        pcp[key] = json!("");
    }
    apply_pcp(&mut pcp, given)?;
    let p = patient_mut(st, ctx)?;
    p.pcp = Some(pcp.clone());
    if let Some(q) = p.pcp_questions.iter_mut().find(|(n, _)| n == "primary_care_physician") {
        q.1 = true;
    }
    ok(&json!({ "pcp": pcp }))
}

fn own_pcp<'a>(st: &'a mut State, ctx: &Ctx<'_>) -> Result<&'a mut Option<Value>, Reply> {
    let id = ctx.id("id")?;
    let slot = &mut patient_mut(st, ctx)?.pcp;
    if slot.as_ref().is_some_and(|p| p["id"] == id) { Ok(slot) } else { Err(not_found("primary care physician")) }
}

/// `PUT` (or `POST`) `/api/v1/patients/{patient_id}/evr_primary_care_physician/{id}`: every field optional.
pub(in super::super) fn update_pcp(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let given = obj(&b, "pcp", "pcp")?;
    let slot = own_pcp(st, ctx)?;
    let mut pcp = slot.clone().unwrap_or_default();
    apply_pcp(&mut pcp, given)?;
    *slot = Some(pcp.clone());
    ok(&json!({ "pcp": pcp }))
}

/// `DELETE /api/v2/patients/{patient_id}/evr_primary_care_physicians/{id}`: 204.
pub(in super::super) fn delete_pcp(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    *own_pcp(st, ctx)? = None;
    Ok(Reply::no_content())
}
