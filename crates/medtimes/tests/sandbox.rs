//! Round trips of the real client against `carewire_testkit::medtimes::Sandbox`, with faults and webhooks.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use carewire_core::webhook::{MemoryReplayGuard, WebhookError};
use carewire_core::{Error, Request};
use carewire_medtimes::webhooks::{EventData, WebhookEvent, Webhooks};
use carewire_medtimes::{
    BatchScreening, BillingMode, BodyEncoding, ClaimStatus, Client, ConsultStatus, CreateConsult, ErrorCode, ErrorType,
    MedtimesError, PrescriptionStatus, SchemeDetails, ScreeningPatient, SubmitClaim,
};
use carewire_testkit::medtimes::Sandbox;
use carewire_testkit::{Fault, RecordedRequest, Reply, TestServer};
use common::fast_retry;
use serde_json::json;

fn client_for(sandbox: &Sandbox, encoding: BodyEncoding) -> Client {
    Client::builder()
        .api_key(Sandbox::API_KEY)
        .base_url(sandbox.base_url())
        .body_encoding(encoding)
        .retry(fast_retry())
        .build()
        .unwrap()
}

fn claim() -> SubmitClaim {
    SubmitClaim::new(["J20.9"], 45_000).patient_id("usr_8921a").currency("zar").tariff_codes(["0132"])
}

fn claim_keys(sandbox: &Sandbox) -> Vec<String> {
    sandbox
        .server()
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/claims/submit")
        .map(|r| r.header("idempotency-key").unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn every_operation_round_trips_in_form_and_json() {
    let sandbox = Sandbox::start();
    for encoding in [BodyEncoding::Form, BodyEncoding::Json] {
        let client = client_for(&sandbox, encoding);
        let consult = client
            .consults()
            .create(
                CreateConsult::new("usr_8921a")
                    .symptoms(["persistent cough", "fever"])
                    .billing_mode(BillingMode::MedicalAid)
                    .scheme_details(SchemeDetails::new("Discovery Health", "123456789")),
            )
            .await
            .unwrap();
        assert!(consult.id.starts_with("cns_"));
        assert_eq!(consult.status, Some(ConsultStatus::WaitingForDoctor));
        assert!(consult.expires_at.unwrap() > chrono::Utc::now());
        let stored = sandbox.consult(&consult.id).unwrap();
        assert_eq!(stored["symptoms"], json!(["persistent cough", "fever"]));
        assert_eq!(stored["scheme_details"]["name"], "Discovery Health");
        assert_eq!(stored["billing_mode"], "medical_aid");

        let submitted = client.claims().submit(claim()).await.unwrap();
        assert_eq!(submitted.status, Some(ClaimStatus::Submitted));
        assert_eq!(submitted.amount, Some(45_000));
        let stored = sandbox.claims().pop().unwrap();
        assert_eq!(stored["icd10_codes"], json!(["J20.9"]));
        assert_eq!(stored["tariff_codes"], json!(["0132"]));
        assert_eq!(stored["patient_id"], "usr_8921a");

        let screening = client
            .events()
            .batch(BatchScreening::new(
                "Standard Bank HQ Screening",
                [
                    ScreeningPatient::new("8001015009087").name("A B").scheme_number("123"),
                    ScreeningPatient::new("8001015009088").scheme_number("SUSP-9"),
                    ScreeningPatient::new("8001015009089"),
                ],
            ))
            .await
            .unwrap();
        let summary = screening.summary.unwrap();
        assert_eq!((summary.total_received, summary.validated, summary.scheme_suspended), (Some(3), Some(1), Some(2)));

        let prescription_id = sandbox.complete_consult(&consult.id).unwrap();
        let rx = client.prescriptions().get(&prescription_id).await.unwrap();
        assert_eq!(rx.consult_id.as_deref(), Some(consult.id.as_str()));
        assert_eq!(rx.status, Some(PrescriptionStatus::Dispatched));
        assert_eq!(rx.medication.len(), 1);
        assert_eq!(sandbox.consult(&consult.id).unwrap()["status"], "completed");
    }
    assert_eq!(sandbox.claim_count(), 2);
    assert_eq!(sandbox.consult_count(), 2);
}

#[tokio::test]
async fn wrong_key_is_a_401_in_the_vendor_format() {
    let sandbox = Sandbox::start();
    let client = Client::builder().api_key("sk_test_wrong").base_url(sandbox.uri()).build().unwrap();
    let err = client.prescriptions().get("scr_1").await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    let body = err.vendor_error::<MedtimesError>().unwrap();
    assert_eq!(body.error_type, Some(ErrorType::AuthenticationError));
    assert_eq!(body.code, Some(ErrorCode::InvalidApiKey));
}

#[tokio::test]
async fn sandbox_validates_like_the_vendor() {
    let sandbox = Sandbox::start();
    let client = client_for(&sandbox, BodyEncoding::Form);
    // Bypass client-side validation through the escape hatch.
    let err = client
        .request::<serde_json::Value>(Request::post("/v1/consults/create").form(&json!({"symptoms": ["fever"]})))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.api().unwrap().code(), Some("parameter_missing"));
    assert_eq!(err.api().unwrap().message(), Some("The 'patient_id' field is required."));

    let err = client.prescriptions().get("scr_missing").await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.vendor_error::<MedtimesError>().unwrap().code, Some(ErrorCode::ResourceMissing));
}

#[tokio::test]
async fn same_key_same_result_and_a_reused_key_with_other_params_is_refused() {
    let sandbox = Sandbox::start();
    let client = client_for(&sandbox, BodyEncoding::Form);
    let params = claim();
    let first = client.claims().submit(params.clone()).await.unwrap();
    let second = client.claims().submit(params.clone()).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(sandbox.claim_count(), 1);

    let err = client.claims().submit(params.patient_id("usr_other")).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.vendor_error::<MedtimesError>().unwrap().code, Some(ErrorCode::IdempotencyKeyInUse));
    assert_eq!(sandbox.claim_count(), 1);
}

#[tokio::test]
async fn claim_exists_once_despite_503s() {
    let sandbox = Sandbox::start();
    sandbox.server().inject(Fault::status(503).times(2).on("POST", "/v1/claims/submit"));
    let params = claim();
    let submitted = client_for(&sandbox, BodyEncoding::Form).claims().submit(params.clone()).await.unwrap();
    assert!(submitted.id.is_some());
    let keys = claim_keys(&sandbox);
    assert_eq!(keys.len(), 3);
    assert_eq!(keys.iter().collect::<HashSet<_>>().len(), 1);
    assert_eq!(keys[0], params.idempotency_key_ref());
    assert_eq!(sandbox.claim_count(), 1);
}

#[tokio::test]
async fn claim_exists_once_when_the_connection_drops() {
    let sandbox = Sandbox::start();
    sandbox.server().inject(Fault::drop_connection().on("POST", "/v1/claims/submit"));
    client_for(&sandbox, BodyEncoding::Form).claims().submit(claim()).await.unwrap();
    let keys = claim_keys(&sandbox);
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
    assert_eq!(sandbox.claim_count(), 1);
}

#[tokio::test]
async fn claim_exists_once_when_the_answer_is_lost() {
    // The first attempt is processed after the client gave up waiting (its answer is lost); the retry
    // carries the same key, so Medtimes answers it without creating a second claim.
    let sandbox = Sandbox::start();
    sandbox.server().inject(Fault::delay(Duration::from_secs(1)).on("POST", "/v1/claims/submit"));
    let client = Client::builder()
        .api_key(Sandbox::API_KEY)
        .base_url(sandbox.base_url())
        .request_timeout(Duration::from_millis(300))
        .retry(fast_retry())
        .build()
        .unwrap();
    let submitted = client.claims().submit(claim()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await; // let the delayed first attempt be processed
    let keys = claim_keys(&sandbox);
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
    assert_eq!(sandbox.claim_count(), 1);
    assert_eq!(sandbox.claims()[0]["id"].as_str(), submitted.id.as_deref());
}

/// A webhook receiver on a test server: the documented receive flow, recording what it accepted.
fn receiver(secret: &str) -> (TestServer, Arc<Mutex<Vec<WebhookEvent>>>) {
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let webhooks = Webhooks::new(secret).replay_guard(MemoryReplayGuard::new(1_000, Duration::from_secs(3600)));
    let sink = accepted.clone();
    let server = TestServer::start(move |req: &RecordedRequest| {
        let headers = req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        match webhooks.receive(headers, &req.body) {
            Ok(event) => {
                sink.lock().unwrap().push(event);
                Reply::no_content()
            }
            Err(WebhookError::Replayed) => Reply::status(200),
            Err(_) => Reply::status(400),
        }
    });
    (server, accepted)
}

#[tokio::test]
async fn signed_webhooks_drive_the_flow() {
    let sandbox = Sandbox::start();
    let client = client_for(&sandbox, BodyEncoding::Form);
    let (hook, accepted) = receiver(sandbox.webhook_secret());
    let url = hook.url("/webhooks/medtimes");

    let consult = client.consults().create(CreateConsult::new("usr_1")).await.unwrap();
    sandbox.complete_consult(&consult.id).unwrap();
    let event = sandbox.consult_completed_event(&consult.id).unwrap();
    assert_eq!(sandbox.send_webhook_async(&url, &event).await.unwrap(), 204);
    assert_eq!(sandbox.send_webhook_async(&url, &event).await.unwrap(), 200, "a replay is acknowledged, not processed");

    let prescription_id = {
        let events = accepted.lock().unwrap();
        assert_eq!(events.len(), 1);
        let EventData::ConsultCompleted(done) = &events[0].data else { panic!("{:?}", events[0]) };
        done.prescription_id.clone().unwrap()
    };
    let rx = client.prescriptions().get(&prescription_id).await.unwrap();
    assert_eq!(rx.consult_id.as_deref(), Some(consult.id.as_str()));

    let submitted = client.claims().submit(claim()).await.unwrap();
    let claim_id = submitted.id.unwrap();
    let paid = sandbox.pay_claim(&claim_id).unwrap();
    let rejected = sandbox.reject_claim(&claim_id, "MEMBER_SUSPENDED", "Member suspended").unwrap();
    let dispensed = sandbox.dispense_prescription(&prescription_id).unwrap();
    for event in [&paid, &rejected, &dispensed] {
        // The blocking sender, from another thread.
        let (url, event, sandbox_ref) = (url.clone(), event.clone(), &sandbox);
        let status =
            std::thread::scope(|s| s.spawn(|| sandbox_ref.send_webhook(&url, &event)).join().unwrap()).unwrap();
        assert_eq!(status, 204);
    }
    {
        let events = accepted.lock().unwrap();
        assert!(
            matches!(&events[1].data, EventData::ClaimPaid(p) if p.claim_id.as_deref() == Some(claim_id.as_str()) && p.amount == Some(45_000))
        );
        assert!(
            matches!(&events[2].data, EventData::ClaimRejected(r) if r.reason_code.as_deref() == Some("MEMBER_SUSPENDED"))
        );
        assert!(
            matches!(&events[3].data, EventData::PrescriptionDispensed(d) if d.prescription_id.as_deref() == Some(prescription_id.as_str()))
        );
    }
    assert_eq!(client.prescriptions().get(&prescription_id).await.unwrap().status, Some(PrescriptionStatus::Dispensed));

    // A receiver with another secret refuses the sandbox's signature.
    let (other, other_accepted) = receiver("whsec_someone_else");
    assert_eq!(sandbox.send_webhook_async(&other.url("/"), &paid).await.unwrap(), 400);
    assert!(other_accepted.lock().unwrap().is_empty());
}

#[tokio::test]
async fn client_errors_never_leak_the_key() {
    let sandbox = Sandbox::start();
    sandbox.server().inject(Fault::status(500).always());
    let err = client_for(&sandbox, BodyEncoding::Form).prescriptions().get("scr_1").await.unwrap_err();
    assert!(matches!(err, Error::Api(_)));
    assert!(!format!("{err:?} {err}").contains(Sandbox::API_KEY));
}
