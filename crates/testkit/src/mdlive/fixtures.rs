//! The vendor doc's JSON examples the sandbox answers with or builds on (copied from the shared fixtures into
//! `fixtures/`), parsed on use.

use serde_json::Value;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

pub(super) fn after_care_instructions() -> Value {
    parse(include_str!("fixtures/after_care_instructions_get.response.json"))
}

pub(super) fn allergy_catalogue() -> Value {
    parse(include_str!("fixtures/allergies_search.response.json"))
}

pub(super) fn alternate_visit_options() -> Value {
    parse(include_str!("fixtures/alternate_visit_options_list.response.json"))
}

pub(super) fn assessment_response() -> Value {
    parse(include_str!("fixtures/assessment_responses_create.response.json"))
}

pub(super) fn assessments() -> Value {
    parse(include_str!("fixtures/assessments_list.response.json"))
}

pub(super) fn phq9() -> Value {
    parse(include_str!("fixtures/assessments_show.response.json"))
}

pub(super) fn behavioral_history() -> Value {
    parse(include_str!("fixtures/behavioral_histories_list.response.json"))
}

pub(super) fn chief_complaints() -> Value {
    parse(include_str!("fixtures/chief_complaints_search.response.json"))
}

pub(super) fn clinical_concepts() -> Value {
    parse(include_str!("fixtures/clinical_concepts_search.response.json"))
}

pub(super) fn insurance_payers() -> Value {
    parse(include_str!("fixtures/insurance_payers_list.response.json"))
}

pub(super) fn medication_catalogue() -> Value {
    parse(include_str!("fixtures/medications_search.response.json"))
}

pub(super) fn patient_profile() -> Value {
    parse(include_str!("fixtures/patients_get.response.json"))
}

pub(super) fn pcp_questions() -> Value {
    parse(include_str!("fixtures/pcp_questions_list.response.json"))
}

pub(super) fn provider_profile() -> Value {
    parse(include_str!("fixtures/provider_profile_get.response.json"))
}

pub(super) fn provider_search() -> Value {
    parse(include_str!("fixtures/providers_search.response.json"))
}

pub(super) fn surgery_names() -> Value {
    parse(include_str!("fixtures/surgery_names_list.response.json"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_fixture_parses() {
        let all = [
            super::after_care_instructions(),
            super::allergy_catalogue(),
            super::alternate_visit_options(),
            super::assessment_response(),
            super::assessments(),
            super::phq9(),
            super::behavioral_history(),
            super::chief_complaints(),
            super::clinical_concepts(),
            super::insurance_payers(),
            super::medication_catalogue(),
            super::patient_profile(),
            super::pcp_questions(),
            super::provider_profile(),
            super::provider_search(),
            super::surgery_names(),
        ];
        assert!(all.iter().all(serde_json::Value::is_object));
    }
}
