//! Health records that aggregate or summarise: the health conditions report, health history (which adds
//! allergies, medications, surgeries and conditions and stores the pediatric profile with the doc's display
//! keys and `Yes`/`No` values), behavioral health history, and insurance (with an eligibility check).

use serde_json::{Map, Value, json};

use super::super::fixtures;
use super::super::state::{Patient, State, age, now_secs, parse_date, rfc3339_millis};
use super::records::{condition_items, new_allergy, new_condition, new_medication, new_surgery};
use super::{Ctx, Outcome, body, bool_field, bool_like, field, int_like, invalid, obj, ok, patient_mut, text};
use crate::Reply;

/// Member ids starting with this are ineligible (`incorrect_subscriber_id`); every other one is eligible.
pub(in super::super) const INELIGIBLE_MEMBER_PREFIX: &str = "INELIGIBLE";

/// The pediatric profile's display keys with their snake_case spellings (the doc's Ruby example).
const PEDIATRIC_KEYS: [(&str, &str); 19] = [
    ("Birth complications", "birth_complications"),
    ("Birth complications explanation", "birth_complications_explanation"),
    ("Bottle Fed", "bottle_fed"),
    ("Breast Fed", "breast_fed"),
    ("Breathing problems", "breathing_problems"),
    ("Childcare outside home", "childcare_outside_home"),
    ("Colic", "colic"),
    ("Current Diet", "current_diet"),
    ("Delivery Type", "delivery_type"),
    ("Feeding Problems", "feeding_problems"),
    ("Immunization up to date?", "immunization_up_to_date"),
    ("Infections", "infections"),
    ("Jaundice", "jaundice"),
    ("Last shot", "last_shot"),
    ("Newborn complications", "newborn_complications"),
    ("Newborn complications explanation", "newborn_complications_explanation"),
    ("Siblings", "siblings"),
    ("Smoking exposure", "smoking_exposure"),
    ("Current weight in lbs.", "current_weight_in_lbs"),
];

/// Validates one record item and builds it with the given id.
type Builder = fn(&Map<String, Value>, &str, u64) -> Result<Value, Reply>;

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

fn default_personal_info(p: &Patient) -> Value {
    let now = rfc3339_millis(now_secs());
    json!({
        "id": p.id, "user_id": p.id, "access_code": null, "blood_type": null, "organ_donor": false,
        "photo_file_name": null, "photo_content_type": null, "photo_file_size": null,
        "height_feet": null, "height_inches": null, "weight": null, "updated_at": now, "created_at": now,
        "status": null, "birth_height": null, "birth_weight": null, "is_pregnant": false, "is_breast_feeding": false,
        "systolic_bp": null, "diastolic_bp": null, "head_circumference": null, "updated_by": p.id,
        "menstrual_cycle": null, "alternate_visit_option": null,
        "do_you_have_primary_care_physician": p.pcp.is_some(),
        "photo": { "url": null, "medium": { "url": null }, "small": { "url": null }, "thumb": { "url": null } },
    })
}

/// The aggregate health report of `#33` and `#34`, built from the patient's records.
pub(in super::super) fn health_report(p: &Patient) -> Value {
    let strip = |rows: &[Value], drop: &[&str]| -> Vec<Value> {
        rows.iter()
            .map(|r| {
                let mut r = r.clone();
                if let Some(m) = r.as_object_mut() {
                    for k in drop {
                        m.remove(*k);
                    }
                }
                r
            })
            .collect()
    };
    let mut allergies = strip(&p.allergies, &["fdb_allergy_id"]);
    for a in &mut allergies {
        a["current"] = json!(true);
    }
    let surgeries: Vec<Value> = p
        .surgeries
        .iter()
        .map(|s| json!({ "id": s["id"], "name": s["name"], "year": text(s.get("surgery_year")).unwrap_or_default() }))
        .collect();
    let taking = p.medications.iter().any(|m| m["current"] == true);
    let child = (1..13).contains(&age(p.field("birthdate")));
    json!({
        "health_conditions": condition_items(p.id, &p.conditions),
        "personal_info": p.personal_info.clone().unwrap_or_else(|| default_personal_info(p)),
        "evr_medications": strip(&p.medications, &["ndc_id", "med_id"]),
        "allergies": allergies,
        "source_for_ccd": "DTC Physician Visit",
        "is_taking_medication": yes_no(taking),
        "has_allergies": yes_no(!p.allergies.is_empty()),
        "external_reported_surgeries": [],
        "surgeries_taken": surgeries,
        "had_surgeries": yes_no(!p.surgeries.is_empty()),
        "has_medical_conditions": yes_no(!p.conditions.is_empty()),
        "pediatric_profile": p.pediatric_profile,
        "pediatric_profile_completed": !child || !p.pediatric_profile.is_empty(),
        "skip_health_history": false,
    })
}

/// `GET /api/v2/patients/{patient_id}/health_conditions`.
pub(in super::super) fn health_conditions(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    ok(&health_report(patient_mut(st, ctx)?))
}

/// A pediatric answer as MDLIVE stores it: booleans as `Yes`/`No`, null (or the string `null`) as `Null`,
/// numbers as strings.
fn pediatric_value(v: &Value) -> Value {
    match v {
        Value::Bool(b) => json!(yes_no(*b)),
        Value::Null => json!("Null"),
        Value::String(s) if s.eq_ignore_ascii_case("null") => json!("Null"),
        Value::Number(n) => json!(n.to_string()),
        other => other.clone(),
    }
}

fn pediatric_profile(given: &Map<String, Value>) -> Result<Map<String, Value>, Reply> {
    let mut out = Map::new();
    for (k, v) in given {
        let Some((display, _)) = PEDIATRIC_KEYS.iter().find(|(d, s)| d == k || s == k) else {
            return Err(invalid(
                "health_history.pediatric_profile",
                "has a key that is not a pediatric profile question",
            ));
        };
        out.insert((*display).to_owned(), pediatric_value(v));
    }
    Ok(out)
}

fn items<'a>(hh: &'a Map<String, Value>, key: &str) -> Result<Vec<&'a Map<String, Value>>, Reply> {
    let path = format!("health_history.{key}");
    let list = hh.get(key).and_then(Value::as_array).ok_or_else(|| invalid(&path, "is required (an array)"))?;
    list.iter().map(|v| v.as_object().ok_or_else(|| invalid(&path, "items must be objects"))).collect()
}

/// `POST /api/v2/patients/{patient_id}/health_history`: validates everything, then records it.
pub(in super::super) fn health_history(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let hh = obj(&b, "health_history", "health_history")?;
    let mh = obj(hh, "medical_history", "health_history.medical_history")?;
    let mut flags = [false; 4];
    for (flag, key) in flags.iter_mut().zip(["allergies", "medications", "surgeries", "medical_conditions"]) {
        *flag = bool_field(mh, key, &format!("health_history.medical_history.{key}"))?;
    }
    let pi = obj(hh, "personal_information", "health_history.personal_information")?;
    let mut personal = Map::new();
    for key in ["height_feet", "height_inches", "weight"] {
        let n = int_like(pi.get(key)).ok_or_else(|| {
            invalid(&format!("health_history.personal_information.{key}"), "is required (an integer)")
        })?;
        personal.insert(key.to_owned(), json!(n));
    }
    let (gender, years) = {
        let p = patient_mut(st, ctx)?;
        (p.field("gender").to_owned(), age(p.field("birthdate")))
    };
    for key in ["is_breast_feeding", "is_pregnant"] {
        let path = format!("health_history.personal_information.{key}");
        match pi.get(key).filter(|v| !v.is_null()) {
            Some(v) => {
                personal.insert(
                    key.to_owned(),
                    json!(bool_like(Some(v)).ok_or_else(|| invalid(&path, "must be true or false"))?),
                );
            }
            None if gender == "F" && years >= 13 => return Err(invalid(&path, "is required for women 13 and older")),
            None => {}
        }
    }
    if let Some(cycle) = text(pi.get("menstrual_cycle")) {
        personal.insert("menstrual_cycle".into(), json!(cycle));
    }
    let mut new_rows: [Vec<Value>; 4] = Default::default();
    let builders: [(&str, Builder); 4] = [
        ("allergy", new_allergy),
        ("medication", new_medication),
        ("surgery", new_surgery),
        ("medical_condition", new_condition),
    ];
    for ((rows, flag), (key, build)) in new_rows.iter_mut().zip(flags).zip(builders) {
        if flag {
            for (i, item) in items(hh, key)?.into_iter().enumerate() {
                let id = st.next_id();
                rows.push(build(item, &format!("health_history.{key}[{i}]"), id)?);
            }
        }
    }
    let pediatric = match hh.get("pediatric_profile").filter(|v| !v.is_null()) {
        Some(Value::Object(m)) => Some(pediatric_profile(m)?),
        Some(_) => return Err(invalid("health_history.pediatric_profile", "must be an object")),
        None if (1..13).contains(&years) => {
            return Err(invalid("health_history.pediatric_profile", "is required for children under 13"));
        }
        None => None,
    };
    let p = patient_mut(st, ctx)?;
    let [allergies, medications, surgeries, conditions] = new_rows;
    p.allergies.extend(allergies);
    p.medications.extend(medications);
    p.surgeries.extend(surgeries);
    p.conditions.extend(conditions);
    let mut info = p.personal_info.take().unwrap_or_else(|| default_personal_info(p));
    for (k, v) in personal {
        info[k.as_str()] = v;
    }
    info["updated_at"] = json!(rfc3339_millis(now_secs()));
    p.personal_info = Some(info);
    if let Some(pediatric) = pediatric {
        p.pediatric_profile = pediatric;
    }
    ok(&health_report(p))
}

fn default_behavioral() -> Value {
    let mut history = fixtures::behavioral_history()["behavioral_history"].clone();
    for key in ["behavioral_health_reasons", "behavioral_mconditions", "behavioral_family_history"] {
        if let Some(list) = history[key].as_array_mut() {
            for item in list {
                item["active"] = json!(false);
            }
        }
    }
    history["behavioral_health_description"] = json!("");
    history["hospitalized"] = json!(false);
    history["family_hospitalized"] = json!(false);
    history["hospitalized_date"] = Value::Null;
    history["hospitalized_duration"] = Value::Null;
    history["counseling_preference"] = json!("No Preference");
    history
}

fn conditions_list(bh: &Map<String, Value>, key: &str) -> Result<Value, Reply> {
    let path = format!("behavioral_history.{key}");
    let list = bh.get(key).and_then(Value::as_array).ok_or_else(|| invalid(&path, "is required (an array)"))?;
    let mut out = Vec::new();
    for item in list {
        let item = item.as_object().ok_or_else(|| invalid(&path, "items must be objects"))?;
        let condition = field(item, "condition", &format!("{path}.condition"))?;
        let active = bool_field(item, "active", &format!("{path}.active"))?;
        out.push(json!({ "condition": condition, "active": active }));
    }
    Ok(Value::Array(out))
}

/// `POST /api/v1/patients/{patient_id}/behavioral_histories`: create or update.
pub(in super::super) fn save_behavioral(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let bh = obj(&b, "behavioral_history", "behavioral_history")?;
    let mut history = patient_mut(st, ctx)?.behavioral.clone().unwrap_or_else(default_behavioral);
    for key in ["behavioral_health_reasons", "behavioral_mconditions", "behavioral_family_history"] {
        history[key] = conditions_list(bh, key)?;
    }
    let hospitalized = bool_field(bh, "hospitalized", "behavioral_history.hospitalized")?;
    history["hospitalized"] = json!(hospitalized);
    if hospitalized {
        let day = field(bh, "hospitalized_date", "behavioral_history.hospitalized_date")?;
        if parse_date(&day).is_none() {
            return Err(invalid("behavioral_history.hospitalized_date", "must be YYYY-MM-DD"));
        }
        history["hospitalized_date"] = json!(day);
        history["hospitalized_duration"] =
            json!(field(bh, "hospitalized_duration", "behavioral_history.hospitalized_duration")?);
    } else {
        history["hospitalized_date"] = Value::Null;
        history["hospitalized_duration"] = Value::Null;
    }
    if let Some(v) = bh.get("family_hospitalized").filter(|v| !v.is_null()) {
        history["family_hospitalized"] = json!(
            bool_like(Some(v))
                .ok_or_else(|| invalid("behavioral_history.family_hospitalized", "must be true or false"))?
        );
    }
    let preference = field(bh, "counseling_preference", "behavioral_history.counseling_preference")?;
    let Some(preference) = ["No Preference", "Male", "Female"].iter().find(|p| p.eq_ignore_ascii_case(&preference))
    else {
        return Err(invalid("behavioral_history.counseling_preference", "must be No Preference, Male or Female"));
    };
    history["counseling_preference"] = json!(preference);
    let other_active = history["behavioral_health_reasons"]
        .as_array()
        .is_some_and(|l| l.iter().any(|r| r["condition"] == "Other" && r["active"] == true));
    match text(bh.get("behavioral_health_description")) {
        Some(d) => history["behavioral_health_description"] = json!(d),
        None if other_active => {
            return Err(invalid(
                "behavioral_history.behavioral_health_description",
                "is required when Other is an active reason",
            ));
        }
        None => {}
    }
    patient_mut(st, ctx)?.behavioral = Some(history.clone());
    ok(&json!({ "behavioral_history": history }))
}

/// `GET /api/v1/patients/{patient_id}/behavioral_histories` (all conditions inactive until saved).
pub(in super::super) fn get_behavioral(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let history = patient_mut(st, ctx)?.behavioral.clone().unwrap_or_else(default_behavioral);
    ok(&json!({ "behavioral_history": history }))
}

/// `POST /api/v1/patients/{patient_id}/insurances`: add or update; eligible unless the member id starts with
/// [`INELIGIBLE_MEMBER_PREFIX`].
pub(in super::super) fn save_insurance(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let ins = obj(&b, "insurance", "insurance")?;
    let details = ins
        .get("insurance_details")
        .or_else(|| ins.get("insurance_detail"))
        .and_then(Value::as_object)
        .ok_or_else(|| invalid("insurance.insurance_details", "is required"))?;
    let payer = int_like(details.get("insurance_payer_id"))
        .ok_or_else(|| invalid("insurance.insurance_details.insurance_payer_id", "is required (an integer)"))?;
    let known =
        fixtures::insurance_payers()["insurance_payers"].as_array().is_some_and(|l| l.iter().any(|p| p["id"] == payer));
    if !known {
        return Err(invalid("insurance.insurance_details.insurance_payer_id", "is not an accepted insurance payer"));
    }
    let member_id = field(details, "member_id", "insurance.insurance_details.member_id")?;
    let dependent = bool_field(details, "is_dependent", "insurance.insurance_details.is_dependent")?;
    let primary = if dependent {
        let primary = obj(ins, "primary_insurance_details", "insurance.primary_insurance_details")?;
        for key in ["first_name", "last_name", "gender", "dob", "member_id"] {
            field(primary, key, &format!("insurance.primary_insurance_details.{key}"))?;
        }
        Value::Object(primary.clone())
    } else {
        Value::Null
    };
    let eligible = !member_id.to_ascii_uppercase().starts_with(INELIGIBLE_MEMBER_PREFIX);
    let errors = if eligible {
        json!([])
    } else {
        json!([{ "code": "incorrect_subscriber_id", "message": "Invalid/Missing Subscriber/Insured ID" }])
    };
    let existing = patient_mut(st, ctx)?.insurance.as_ref().and_then(|i| i["id"].as_u64());
    let id = match existing {
        Some(id) => id,
        None => st.next_id(),
    };
    let insurance = json!({
        "eligibility_errors": errors,
        "eligible": eligible,
        "id": id,
        "insurance_payer_id": payer,
        "is_dependent": dependent,
        "member_id": member_id,
        "primary_insurance": primary,
    });
    patient_mut(st, ctx)?.insurance = Some(insurance.clone());
    ok(&json!({ "insurance": insurance }))
}
