//! `POST /v1/claims/submit` against wiremock: body, idempotency key, retries, validation.

mod common;

use std::collections::HashSet;

use carewire_core::Error;
use carewire_medtimes::{ClaimStatus, SubmitClaim};
use common::{AUTH, client, fixture_json, form_bodies, json_client, pairs};
use serde_json::json;
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn doc_example() -> SubmitClaim {
    SubmitClaim::new(["J20.9"], 45_000).patient_id("usr_8921a").currency("zar").tariff_codes(["0132"])
}

fn claim_response() -> ResponseTemplate {
    // The claims response is undocumented (M12): an arbitrary body with extra fields.
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "clm_1", "object": "claim", "status": "submitted", "amount": "45000", "currency": "zar",
        "switch_reference": "BHF-991", "created": 1_740_075_551
    }))
}

#[tokio::test]
async fn submit_sends_the_form_with_an_idempotency_key_and_decodes_leniently() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/claims/submit"))
        .and(header("authorization", AUTH))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(header("idempotency-key", "claim-42"))
        .respond_with(claim_response())
        .expect(1)
        .mount(&server)
        .await;

    let claim = client(&server.uri()).claims().submit(doc_example().idempotency_key("claim-42")).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        std::str::from_utf8(&requests[0].body).unwrap(),
        "patient_id=usr_8921a&amount=45000&currency=zar&icd10_codes[0]=J20.9&tariff_codes[0]=0132"
    );
    assert_eq!(
        form_bodies(&server).await[0],
        pairs(&[
            ("patient_id", "usr_8921a"),
            ("amount", "45000"),
            ("currency", "zar"),
            ("icd10_codes[0]", "J20.9"),
            ("tariff_codes[0]", "0132"),
        ])
    );
    assert_eq!(claim.id.as_deref(), Some("clm_1"));
    assert_eq!(claim.status, Some(ClaimStatus::Submitted));
    assert_eq!(claim.amount, Some(45_000));
    assert_eq!(claim.extra["switch_reference"], "BHF-991");
    assert_eq!(claim.extra["created"], 1_740_075_551);
}

#[tokio::test]
async fn json_mode_sends_the_doc_example_and_nappi_objects() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/claims/submit"))
        .and(header("authorization", AUTH))
        .and(header("content-type", "application/json"))
        .and(header_exists("idempotency-key"))
        .and(body_json(fixture_json("requests/claims_submit.request.json")))
        .respond_with(claim_response())
        .expect(1)
        .mount(&server)
        .await;
    json_client(&server.uri()).claims().submit(doc_example().currency("ZAR")).await.unwrap();

    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v1/claims/submit")).respond_with(claim_response()).mount(&server).await;
    client(&server.uri())
        .claims()
        .submit(SubmitClaim::new(["J20.9", "Z76.8"], 100).nappi_codes([json!({"code": "704180", "quantity": 2})]))
        .await
        .unwrap();
    assert_eq!(
        form_bodies(&server).await[0],
        pairs(&[
            ("amount", "100"),
            ("icd10_codes[0]", "J20.9"),
            ("icd10_codes[1]", "Z76.8"),
            ("nappi_codes[0][code]", "704180"),
            ("nappi_codes[0][quantity]", "2"),
        ])
    );
}

#[tokio::test]
async fn generated_keys_are_unique_per_claim_and_reused_by_clones() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v1/claims/submit")).respond_with(claim_response()).mount(&server).await;
    let client = client(&server.uri());
    let first = doc_example();
    client.claims().submit(first.clone()).await.unwrap();
    client.claims().submit(first.clone()).await.unwrap();
    client.claims().submit(doc_example()).await.unwrap();
    let keys: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers.get("idempotency-key").unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys[0], first.idempotency_key_ref());
    assert_eq!(keys[0], keys[1]);
    assert_ne!(keys[0], keys[2]);
}

#[tokio::test]
async fn a_503_is_retried_with_the_same_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/claims/submit"))
        .respond_with(
            ResponseTemplate::new(503).set_body_json(
                json!({"error": {"type": "api_error", "code": "unavailable", "message": "switch down"}}),
            ),
        )
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/v1/claims/submit")).respond_with(claim_response()).mount(&server).await;

    let claim = client(&server.uri()).claims().submit(doc_example()).await.unwrap();
    assert_eq!(claim.id.as_deref(), Some("clm_1"));

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    let keys: HashSet<_> = requests.iter().map(|r| r.headers.get("idempotency-key").unwrap().clone()).collect();
    assert_eq!(keys.len(), 1, "every attempt carries the same key");
    let bodies: HashSet<_> = requests.iter().map(|r| r.body.clone()).collect();
    assert_eq!(bodies.len(), 1);
}

#[tokio::test]
async fn invalid_claims_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let cases = [
        (SubmitClaim::new(Vec::<String>::new(), 100), "icd10_codes"),
        (SubmitClaim::new(["J20.9", "bronchitis"], 100), "icd10_codes[1]"),
        (SubmitClaim::new(["J20."], 100), "icd10_codes[0]"),
        (SubmitClaim::new(["J20.12345"], 100), "icd10_codes[0]"),
        (SubmitClaim::new(["J20.9"], 0), "amount"),
        (SubmitClaim::new(["J20.9"], -45_000), "amount"),
        (SubmitClaim::new(["J20.9"], 1).patient_id(""), "patient_id"),
        (SubmitClaim::new(["J20.9"], 1).idempotency_key(" "), "idempotency_key"),
    ];
    for (params, expected) in cases {
        let err = client.claims().submit(params).await.unwrap_err();
        match &err {
            Error::InvalidRequest { field, .. } => assert_eq!(field, expected),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
        assert!(!err.to_string().contains("bronchitis"));
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    for ok in ["J20", "J209", "S52.521A", "z99.89"] {
        assert!(SubmitClaim::new([ok], 1).validate().is_ok(), "{ok}");
    }
}

#[test]
fn debug_hides_patient_data() {
    let debug = format!("{:?}", doc_example());
    assert!(!debug.contains("usr_8921a") && !debug.contains("J20.9"), "{debug}");
}

#[tokio::test]
async fn any_json_object_or_bodyless_202_204_is_a_submitted_claim() {
    // The answer is undocumented (M12): an object of any shape, or no body on 202/204, must not turn a claim
    // Medtimes accepted into an error.
    let cases = [
        (ResponseTemplate::new(204), json!({})),
        (ResponseTemplate::new(202), json!({})),
        (ResponseTemplate::new(200).set_body_json(json!({})), json!({})),
        (
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "clm_9", "status": {"code": "queued"}, "amount": "n/a"})),
            json!({"status": {"code": "queued"}, "amount": "n/a"}),
        ),
    ];
    for (response, extra) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/claims/submit"))
            .respond_with(response)
            .expect(1)
            .mount(&server)
            .await;
        let claim = client(&server.uri()).claims().submit(doc_example()).await.unwrap();
        assert_eq!(serde_json::to_value(&claim.extra).unwrap(), extra);
        assert_eq!((claim.status, claim.amount), (None, None));
    }
    let claim = carewire_medtimes::Claim::from_response(json!({"id": 7, "status": "paid", "x": true}));
    assert_eq!((claim.id.as_deref(), claim.status), (Some("7"), Some(ClaimStatus::Paid)));
    assert_eq!(claim.extra["x"], true);
    let claim = carewire_medtimes::Claim::from_response(json!(["clm_1"]));
    assert_eq!(claim.extra["response"], json!(["clm_1"]));
}

#[tokio::test]
async fn a_2xx_that_is_not_a_claim_answer_is_a_decode_error_and_can_be_resubmitted() {
    // A proxy's page, an empty 200, bytes that are not JSON or not UTF-8, or JSON that is not an object: the
    // claim may never have reached Medtimes, so none of them is a submitted claim.
    let html = ResponseTemplate::new(200).set_body_raw("<html><body>502 Bad Gateway</body></html>", "text/html");
    let cases = [
        html,
        ResponseTemplate::new(200),
        ResponseTemplate::new(201).set_body_raw("  \n", "application/json"),
        ResponseTemplate::new(200).set_body_raw(b"\xff\xfe\xfd".to_vec(), "application/json"),
        ResponseTemplate::new(202).set_body_string("accepted"),
        ResponseTemplate::new(200).set_body_json(json!(["clm_1"])),
        ResponseTemplate::new(200).set_body_json(json!("clm_1")),
        ResponseTemplate::new(200).set_body_json(json!(null)),
    ];
    for (i, response) in cases.into_iter().enumerate() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/claims/submit"))
            .respond_with(response)
            .expect(1)
            .mount(&server)
            .await;
        let params = doc_example();
        let err = client(&server.uri()).claims().submit(params.clone()).await.unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "case {i}: {err:?}");
        assert!(!err.to_string().contains("Bad Gateway"), "case {i}: {err}");

        // Submitting the same claim again reuses its key, so Medtimes can deduplicate it.
        server.reset().await;
        Mock::given(method("POST")).and(path("/v1/claims/submit")).respond_with(claim_response()).mount(&server).await;
        let claim = client(&server.uri()).claims().submit(params.clone()).await.unwrap();
        assert_eq!(claim.id.as_deref(), Some("clm_1"));
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests[0].headers.get("idempotency-key").unwrap(), params.idempotency_key_ref());
    }
}
