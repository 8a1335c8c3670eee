//! The operation table: every MDLIVE operation is a value whose spec matches the endpoints the SDK must
//! cover, with the credential scope the notes give each one.

mod common;

use carewire_core::operation::Scope;
use carewire_mdlive::OPERATIONS;
use carewire_testkit::conformance::assert_table_matches;

/// This crate's rows of the endpoints table, kept beside the tests (and checked against the shared table
/// when it is there).
const ENDPOINTS: &str = include_str!("fixtures/endpoints.tsv");

fn scope_of(name: &str) -> Scope {
    OPERATIONS.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no operation {name}")).scope
}

#[test]
fn the_operation_table_matches_the_endpoints_to_cover() {
    assert_table_matches("mdlive", OPERATIONS, ENDPOINTS);
    assert_eq!(OPERATIONS.len(), 70);
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/api/endpoints.tsv");
    if let Ok(tsv) = std::fs::read_to_string(shared) {
        assert_table_matches("mdlive", OPERATIONS, &tsv);
    }
}

#[test]
fn names_are_unique_and_dotted() {
    let mut names: Vec<&str> = OPERATIONS.iter().map(|s| s.name).collect();
    for name in &names {
        let (group, verb) = name.split_once('.').unwrap_or_else(|| panic!("{name} is not dotted"));
        assert!(!group.is_empty() && !verb.is_empty(), "{name}");
        assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.'), "{name}");
    }
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "an operation name is used twice");
}

#[test]
fn scopes_follow_the_token_rules() {
    // A patient's own resource without `{patient_id}` in its path: the appointment's join parameters.
    let patient_resources = ["appointments.connection_params"];
    for spec in OPERATIONS {
        let patient_path = spec.path.contains("{patient_id}");
        match spec.scope {
            // A patient path takes the patient's token.
            Scope::Subject => {
                assert!(
                    patient_path || patient_resources.contains(&spec.name),
                    "{} is Subject without a patient id",
                    spec.name
                );
            }
            Scope::None => assert!(spec.name.starts_with("auth."), "{} sends no credentials", spec.name),
            _ => assert!(!patient_path, "{} has a patient id but not the user token", spec.name),
        }
    }
    for name in ["auth.api_token", "auth.sso_token", "auth.sso_extend"] {
        assert_eq!(scope_of(name), Scope::None, "{name}");
    }
    assert_eq!(scope_of("webhooks.register"), Scope::Client, "webhook registration needs the API token");
    // "A valid JWT token", nothing stated, or a user token without a patient id: either token.
    let mut either: Vec<&str> =
        OPERATIONS.iter().filter(|s| s.scope == Scope::SubjectOrClient).map(|s| s.path).collect();
    either.sort_unstable();
    assert_eq!(
        either,
        vec![
            "/api/v1/allergies/search",
            "/api/v1/assessments",
            "/api/v1/assessments/{assessment_key}",
            "/api/v1/clinical_concepts",
            "/api/v1/insurance_payers",
            "/api/v1/patients/chief_complaints",
            "/api/v2/medications/search",
            "/api/v2/payments/costs/check",
            "/api/v2/providers/{provider_id}/profile",
            "/api/v2/support/alternate_visit_options",
            "/api/v2/surgery_names",
        ]
    );
}

#[test]
fn only_what_is_safe_to_repeat_is_retried() {
    let unsafe_posts: Vec<&str> =
        OPERATIONS.iter().filter(|s| !s.retry_safe && s.method.as_str() == "POST").map(|s| s.name).collect();
    for name in ["appointments.create", "assessments.create_response"] {
        assert!(unsafe_posts.contains(&name), "{name} must not be retried once it may have been received");
    }
    for name in ["auth.api_token", "auth.sso_token", "auth.sso_extend", "providers.search", "webhooks.register"] {
        assert!(OPERATIONS.iter().any(|s| s.name == name && s.retry_safe), "{name}");
    }
}
