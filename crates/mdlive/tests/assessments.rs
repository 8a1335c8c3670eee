//! Patient assessments (#7-#10) through the conformance helper: the catalogue with either token, a
//! patient's assignments and answers, the decode of every fixture, and validation before sending.

mod common;

use carewire_core::Error;
use carewire_mdlive::{CreateAssessmentResponse, GetAssessment, ListAssessments};
use carewire_testkit::conformance::exchange;
use carewire_testkit::{RecordedRequest, Reply, TestServer};
use common::*;

#[tokio::test]
async fn the_catalogue_with_the_api_token_or_the_patients() {
    let body = fixture("assessments_list.response.json");
    let ex = exchange(|base| client(base).assessments().list(), 200, body.as_bytes()).await;
    ex.assert_wire("GET", "/api/v1/assessments").assert_header("authorization", API_AUTH).assert_no_body();
    let keys: Vec<String> = ex.output().into_iter().map(|a| a.key).collect();
    assert_eq!(keys, vec!["CAGE-AID", "GAD-7", "PHQ-9"]);
    let through_session = exchange(|base| session(base).assessments().list(), 200, body.as_bytes()).await;
    through_session.assert_header("authorization", USER_AUTH);
    let raw = exchange(|base| client(base).send(ListAssessments::new()), 200, br#"{"assessments": []}"#).await;
    assert!(raw.output().is_empty());
}

#[tokio::test]
async fn one_questionnaire_with_its_questions() {
    let body = fixture("assessments_show.response.json");
    let ex = exchange(|base| client(base).assessments().get("PHQ-9"), 200, body.as_bytes()).await;
    ex.assert_wire("GET", "/api/v1/assessments/PHQ-9").assert_header("authorization", API_AUTH);
    let phq9 = ex.output();
    assert_eq!(phq9.key, "PHQ-9");
    assert_eq!(phq9.questions.len(), 9);
    let first = &phq9.questions[0];
    assert_eq!((first.id.as_deref(), first.response_answer_key.as_deref()), (Some("responses[0]"), Some("0")));
    let options: Vec<(&str, &str)> =
        first.options.iter().map(|o| (o.value.as_deref().unwrap(), o.text.as_deref().unwrap())).collect();
    assert_eq!(options[0], ("0", "Not at all"));
    assert_eq!(options.len(), 4);
    // Keys are path values: encoded.
    let odd = exchange(|base| session(base).send(GetAssessment::new("A/B C")), 200, body.as_bytes()).await;
    odd.assert_wire("GET", "/api/v1/assessments/A%2FB%20C").assert_header("authorization", USER_AUTH);
}

#[tokio::test]
async fn a_patients_assignments() {
    let body = fixture("assessment_assignments_list.response.json");
    let ex = exchange(|base| session(base).assessments().assignments(), 200, body.as_bytes()).await;
    ex.assert_wire("GET", "/api/v1/patients/52/assessment_assignments").assert_header("authorization", USER_AUTH);
    let assignments = ex.output();
    assert_eq!(assignments.len(), 2);
    assert_eq!(assignments[0].assessment_key, "PHQ-9");
    assert_eq!((assignments[0].patient_id.as_deref(), assignments[0].provider_id.as_deref()), (Some("4"), Some("40")));
    assert!(!format!("{assignments:?}").contains("PHQ"), "which screening is assigned is clinical");
}

#[tokio::test]
async fn a_patients_answers_and_their_score() {
    let answers =
        [("0", "0"), ("1", "0"), ("2", "0"), ("3", "1"), ("4", "1"), ("5", "1"), ("6", "2"), ("7", "2"), ("8", "0")];
    let body = fixture("assessment_responses_create.response.json");
    let ex = exchange(|base| session(base).assessments().create_response("PHQ-9", answers), 200, body.as_bytes()).await;
    ex.assert_wire("POST", "/api/v1/patients/52/assessment_responses")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("assessment_responses_create.request.json"));
    let response = ex.output();
    assert_eq!(response.id, "4");
    assert_eq!(response.numeric_score, Some(7));
    assert_eq!(response.text_score.as_deref(), Some("mild_depression_possible"));
    assert_eq!(response.responses.get("6").map(String::as_str), Some("2"));
    assert_eq!(response.results.as_ref().and_then(|r| r.summary.as_deref()), Some("Mild Depression Possible"));
    assert_eq!(
        response.created_at.as_ref().and_then(carewire_core::de::LenientDateTime::parse).map(|d| d.timestamp()),
        Some(1_583_265_237)
    );
    let text = format!("{response:?}");
    assert!(!text.contains("mild") && !text.contains("Depression") && !text.contains("PHQ"), "{text}");
}

#[tokio::test]
async fn answers_that_are_not_the_resource_fail() {
    let op = || CreateAssessmentResponse::new("52", "PHQ-9").answer("0", "1");
    for body in [&b"{}"[..], b"", b"<html>oops</html>", br#"{"assessment_response": {"numeric_score": 7}}"#] {
        let ex = exchange(|base| session(base).send(op()), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
    let ex = exchange(|base| session(base).send(op()), 503, b"").await;
    assert_eq!(ex.attempts, 1, "answers are not sent twice");
}

#[tokio::test]
async fn invalid_assessment_requests_are_refused_before_sending() {
    let server = TestServer::start(|_: &RecordedRequest| Reply::status(500));
    let s = session(&server.uri());
    let field = |e: Error| match e {
        Error::InvalidRequest { field, .. } => field.into_owned(),
        other => panic!("{other:?}"),
    };
    let none: [(&str, &str); 0] = [];
    assert_eq!(field(s.assessments().create_response("PHQ-9", none).await.unwrap_err()), "assessment.responses");
    assert_eq!(
        field(s.assessments().create_response(" ", [("0", "0")]).await.unwrap_err()),
        "assessment.assessment_key"
    );
    assert_eq!(field(s.assessments().create_response("PHQ-9", [("", "0")]).await.unwrap_err()), "assessment.responses");
    assert_eq!(field(s.assessments().get("").await.unwrap_err()), "assessment_key");
    assert_eq!(server.received_total(), 0);
}
