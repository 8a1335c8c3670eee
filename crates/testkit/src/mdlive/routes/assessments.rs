//! Patient assessments: the three screening tests (PHQ-9 from the doc's example, GAD-7 and CAGE-AID built in
//! the same shape), assignments made by providers, and responses scored by the standard bands.

use serde_json::{Value, json};

use super::super::fixtures;
use super::super::state::{State, now_secs, rfc3339_millis};
use super::{Ctx, Outcome, body, field, invalid, not_found, obj, ok, patient_mut, text};

const FREQUENCY: [(&str, &str); 4] =
    [("0", "Not at all"), ("1", "Several days"), ("2", "More than half the days"), ("3", "Nearly everyday")];
const YES_NO: [(&str, &str); 2] = [("0", "No"), ("1", "Yes")];

const GAD7: [&str; 7] = [
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid, as if something awful might happen",
];

const CAGE_AID: [&str; 4] = [
    "Have you ever felt that you ought to cut down on your drinking or drug use?",
    "Have people annoyed you by criticizing your drinking or drug use?",
    "Have you ever felt bad or guilty about your drinking or drug use?",
    "Have you ever had a drink or used drugs first thing in the morning to steady your nerves or to get rid of a hangover?",
];

fn build(
    key: &str,
    name: &str,
    description: &str,
    instructions: &str,
    texts: &[&str],
    options: &[(&str, &str)],
) -> Value {
    let questions: Vec<Value> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let options: Vec<Value> = options.iter().map(|(v, t)| json!({ "value": v, "text": t })).collect();
            json!({ "id": format!("responses[{i}]"), "response_answer_key": i.to_string(), "text": text, "options": options })
        })
        .collect();
    json!({ "key": key, "name": name, "description": description, "instructions": instructions, "questions": questions })
}

/// The assessment with this key, if MDLIVE has it.
pub(in super::super) fn definition(key: &str) -> Option<Value> {
    match key {
        "PHQ-9" => Some(fixtures::phq9()["assessment"].clone()),
        "GAD-7" => Some(build(
            "GAD-7",
            "Anxiety Screening Test (GAD-7)",
            "This anxiety screening test will quickly help you determine whether you may be suffering from anxiety. \
             It takes less than a minute to complete and you'll be provided with an instant score.",
            "Over the last two weeks, how often have you been bothered by the following problems?",
            &GAD7,
            &FREQUENCY,
        )),
        "CAGE-AID" => Some(build(
            "CAGE-AID",
            "Substance use Screening Test (CAGE-AID)",
            "This screening test will quickly help you determine whether your alcohol or drug use may be a problem.",
            "Please answer each question about your drinking or drug use.",
            &CAGE_AID,
            &YES_NO,
        )),
        _ => None,
    }
}

/// `(text_score, summary, description)` of a score.
fn band(key: &str, score: i64) -> (&'static str, &'static str, String) {
    let mild_text = || {
        fixtures::assessment_response()["assessment_response"]["results"]["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let said = |condition: &str, level: &str| {
        format!(
            "Your screening results appear to indicate {level} {condition}. Consider discussing them with a provider."
        )
    };
    match (key, score) {
        ("PHQ-9", ..=4) => ("minimal_depression", "Minimal Depression", said("depression", "minimal or no")),
        ("PHQ-9", 5..=9) => ("mild_depression_possible", "Mild Depression Possible", mild_text()),
        ("PHQ-9", 10..=14) => {
            ("moderate_depression_possible", "Moderate Depression Possible", said("depression", "possible moderate"))
        }
        ("PHQ-9", 15..=19) => (
            "moderately_severe_depression_possible",
            "Moderately Severe Depression Possible",
            said("depression", "possible moderately severe"),
        ),
        ("PHQ-9", _) => {
            ("severe_depression_possible", "Severe Depression Possible", said("depression", "possible severe"))
        }
        ("GAD-7", ..=4) => ("minimal_anxiety", "Minimal Anxiety", said("anxiety", "minimal or no")),
        ("GAD-7", 5..=9) => ("mild_anxiety_possible", "Mild Anxiety Possible", said("anxiety", "possible mild")),
        ("GAD-7", 10..=14) => {
            ("moderate_anxiety_possible", "Moderate Anxiety Possible", said("anxiety", "possible moderate"))
        }
        ("GAD-7", _) => ("severe_anxiety_possible", "Severe Anxiety Possible", said("anxiety", "possible severe")),
        (_, ..=1) => (
            "substance_use_problem_unlikely",
            "Substance Use Problem Unlikely",
            said("substance use problems", "no likely"),
        ),
        _ => (
            "substance_use_problem_possible",
            "Substance Use Problem Possible",
            said("substance use problems", "possible"),
        ),
    }
}

/// `GET /api/v1/assessments`.
pub(in super::super) fn list(_: &mut State, _: &Ctx<'_>) -> Outcome {
    ok(&fixtures::assessments())
}

/// `GET /api/v1/assessments/{assessment_key}`.
pub(in super::super) fn show(_: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let assessment = definition(&ctx.param("assessment_key")).ok_or_else(|| not_found("assessment"))?;
    ok(&json!({ "assessment": assessment }))
}

/// `GET /api/v1/patients/{patient_id}/assessment_assignments`.
pub(in super::super) fn assignments(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let rows = patient_mut(st, ctx)?.assignments.clone();
    ok(&json!({ "assessment_assignments": rows }))
}

/// `POST /api/v1/patients/{patient_id}/assessment_responses`: every question answered with one of its option
/// values; scored by summing the values.
pub(in super::super) fn respond(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let a = obj(&b, "assessment", "assessment")?;
    let key = field(a, "assessment_key", "assessment.assessment_key")?;
    let assessment =
        definition(&key).ok_or_else(|| invalid("assessment.assessment_key", "is not a known assessment"))?;
    let responses = obj(a, "responses", "assessment.responses")?;
    let mut score = 0;
    let mut answers = serde_json::Map::new();
    for q in assessment["questions"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let rk = q["response_answer_key"].as_str().unwrap_or_default();
        let path = format!("assessment.responses.{rk}");
        let value = text(responses.get(rk)).ok_or_else(|| invalid(&path, "is required"))?;
        let allowed = q["options"].as_array().is_some_and(|o| o.iter().any(|o| o["value"] == value.as_str()));
        if !allowed {
            return Err(invalid(&path, "is not one of the question's option values"));
        }
        score += value.parse::<i64>().unwrap_or(0);
        answers.insert(rk.to_owned(), json!(value));
    }
    let (text_score, summary, description) = band(&key, score);
    let disclaimer = fixtures::assessment_response()["assessment_response"]["results"]["disclaimer"].clone();
    let id = st.next_id();
    let p = patient_mut(st, ctx)?;
    let provider = p
        .assignments
        .iter()
        .find(|x| x["assessment_key"] == key.as_str())
        .map_or(Value::Null, |x| x["provider_id"].clone());
    let now = rfc3339_millis(now_secs());
    let response = json!({
        "id": id,
        "patient_id": p.id,
        "provider_id": provider,
        "numeric_score": score,
        "text_score": text_score,
        "assessment_key": key,
        "responses": answers,
        "created_at": now,
        "updated_at": now,
        "results": { "summary": summary, "description": description, "disclaimer": disclaimer },
    });
    p.assessment_responses.push(response.clone());
    ok(&json!({ "assessment_response": response }))
}
