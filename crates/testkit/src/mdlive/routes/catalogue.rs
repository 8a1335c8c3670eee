//! Catalogues answered from the doc's examples (extended with a few more entries so searches can miss and
//! limits can cut): allergy, medication, chief-complaint and clinical-concept searches, alternate visit
//! options, insurance payers and surgery names.

use serde_json::{Map, Value, json};

use super::super::fixtures;
use super::super::state::State;
use super::{Ctx, Outcome, body, invalid, limit, ok, text};
use crate::Reply;

const MORE_ALLERGIES: [(u64, &str); 10] = [
    (102, "Aspirin"),
    (316, "Bee Pollen"),
    (402, "Codeine"),
    (455, "Eggs"),
    (510, "Latex"),
    (568, "Peanut"),
    (620, "Shellfish"),
    (700, "Sulfa Drugs"),
    (812, "Ibuprofen"),
    (990, "Pet Dander"),
];

const MORE_MEDICATIONS: [(u64, &str); 6] = [
    (82_466, "ibuprofen 200 mg tablet"),
    (82_467, "ibuprofen 400 mg tablet"),
    (10_321, "acetaminophen 325 mg tablet"),
    (20_488, "amoxicillin 500 mg capsule"),
    (31_502, "lisinopril 10 mg tablet"),
    (45_117, "loratadine 10 mg tablet"),
];

/// (concept id, title, Spanish title, ICD-10, SNOMED) of the extra complaints and concepts.
const MORE_CONCEPTS: [(u64, &str, &str, &str, &str); 3] = [
    (128, "Headache", "Dolor de cabeza", "R51", "25064002"),
    (201, "Cough", "Tos", "R05", "49727002"),
    (305, "Fever", "Fiebre", "R50.9", "386661006"),
];

fn search_object(req_body: &Map<String, Value>) -> Result<&Map<String, Value>, Reply> {
    req_body.get("search").and_then(Value::as_object).ok_or_else(|| invalid("search", "is required"))
}

/// Whether `name` or one of its words starts with `term` (case-insensitive).
fn word_prefix(name: &str, term: &str) -> bool {
    let (name, term) = (name.to_lowercase(), term.to_lowercase());
    name.starts_with(&term) || name.split([' ', '(', '-', '/']).any(|w| w.starts_with(&term))
}

/// `POST /api/v1/allergies/search` with `{"search": {"term", "limit"}}`.
pub(in super::super) fn search_allergies(_: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let search = search_object(&b)?;
    let term = text(search.get("term")).ok_or_else(|| invalid("search.term", "is required"))?;
    let limit = limit(search.get("limit"), 100)?;
    let mut all: Vec<Value> = fixtures::allergy_catalogue()["allergies"].as_array().cloned().unwrap_or_default();
    all.extend(MORE_ALLERGIES.iter().map(|(id, name)| json!({ "id": id, "name": name })));
    let found: Vec<Value> =
        all.into_iter().filter(|a| word_prefix(a["name"].as_str().unwrap_or_default(), &term)).take(limit).collect();
    ok(&json!({ "allergies": found }))
}

/// `POST /api/v2/medications/search` with `{"search": {"term", "limit"}}` (limit at most 50): medications
/// starting with the term.
pub(in super::super) fn search_medications(_: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let search = search_object(&b)?;
    let term = text(search.get("term")).ok_or_else(|| invalid("search.term", "is required"))?.to_lowercase();
    let limit = limit(search.get("limit"), 50)?;
    let mut all: Vec<Value> = fixtures::medication_catalogue()["medications"].as_array().cloned().unwrap_or_default();
    all.extend(
        MORE_MEDICATIONS.iter().map(|(id, name)| json!({ "id": id, "name": name, "description": name, "med_id": id })),
    );
    let found: Vec<Value> = all
        .into_iter()
        .filter(|m| m["name"].as_str().unwrap_or_default().to_lowercase().starts_with(&term))
        .take(limit)
        .collect();
    ok(&json!({ "medications": found }))
}

/// A search parameter of a GET: `search[name]` or `name` in the query, else `search.name` in a JSON body
/// (the doc's examples send one on GET).
fn get_param(ctx: &Ctx<'_>, name: &str) -> Option<Value> {
    let bracketed = format!("search[{name}]");
    ctx.query()
        .into_iter()
        .find(|(k, v)| (*k == bracketed || k == name) && !v.trim().is_empty())
        .map(|(_, v)| Value::String(v))
        .or_else(|| ctx.req.json_value().and_then(|b| b.get("search").and_then(|s| s.get(name)).cloned()))
}

fn get_term(ctx: &Ctx<'_>) -> Result<String, Reply> {
    text(get_param(ctx, "term").as_ref()).ok_or_else(|| invalid("search.term", "is required")).map(|t| t.to_lowercase())
}

/// `GET /api/v1/patients/chief_complaints?search[term]=&search[language]=&search[limit]=`.
pub(in super::super) fn chief_complaints(_: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let term = get_term(ctx)?;
    let limit = limit(get_param(ctx, "limit").as_ref(), 100)?;
    let spanish = match text(get_param(ctx, "language").as_ref()).map(|l| l.to_ascii_uppercase()).as_deref() {
        None | Some("EN") => false,
        Some("ES") => true,
        Some(_) => return Err(invalid("search.language", "must be EN or ES")),
    };
    let fixture = fixtures::chief_complaints();
    let template = fixture["chief_complaints"][0].clone();
    let mut all: Vec<Value> = fixture["chief_complaints"].as_array().cloned().unwrap_or_default();
    for (i, (concept, title, spanish_title, icd10, snomed)) in MORE_CONCEPTS.iter().enumerate() {
        let mut c = template.clone();
        c["id"] = json!(1000 + i);
        c["concept_id"] = json!(concept);
        c["alternate_term"] = json!(title);
        c["title"] = json!(title);
        c["title_plain_language"] = json!(title);
        c["title_spanish"] = json!(spanish_title);
        c["icd9"] = Value::Null;
        c["icd10"] = json!(icd10);
        c["snomed"] = json!(snomed);
        c["alternate_term_english_version"] = json!(title);
        c["suggestable_alternate_term"] = json!(title);
        c["frequency"] = json!(50_000 - i * 1000);
        all.push(c);
    }
    let matches = |c: &Value| {
        let fields: &[&str] =
            if spanish { &["title_spanish"] } else { &["alternate_term", "title", "title_plain_language"] };
        fields.iter().any(|f| c[*f].as_str().is_some_and(|s| s.to_lowercase().contains(&term)))
    };
    let found: Vec<Value> = all.into_iter().filter(matches).take(limit).collect();
    ok(&json!({ "chief_complaints": found }))
}

/// `GET /api/v1/clinical_concepts?search[term]=&search[limit]=`.
pub(in super::super) fn clinical_concepts(_: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let term = get_term(ctx)?;
    let limit = limit(get_param(ctx, "limit").as_ref(), 100)?;
    let mut all: Vec<Value> =
        fixtures::clinical_concepts()["clinical_concepts"].as_array().cloned().unwrap_or_default();
    all.extend(MORE_CONCEPTS.iter().map(|(concept, title, _, icd10, snomed)| {
        json!({ "concept_id": concept, "concept_type": "Symptom", "title": title, "icd10": icd10, "snomed": snomed })
    }));
    let found: Vec<Value> = all
        .into_iter()
        .filter(|c| c["title"].as_str().is_some_and(|t| t.to_lowercase().contains(&term)))
        .take(limit)
        .collect();
    ok(&json!({ "clinical_concepts": found }))
}

/// `GET /api/v2/support/alternate_visit_options`.
pub(in super::super) fn alternate_visit_options(_: &mut State, _: &Ctx<'_>) -> Outcome {
    ok(&fixtures::alternate_visit_options())
}

/// `GET /api/v1/insurance_payers`.
pub(in super::super) fn insurance_payers(_: &mut State, _: &Ctx<'_>) -> Outcome {
    ok(&fixtures::insurance_payers())
}

/// `GET /api/v2/surgery_names`.
pub(in super::super) fn surgery_names(_: &mut State, _: &Ctx<'_>) -> Outcome {
    ok(&fixtures::surgery_names())
}
