//! The Medtimes sandbox over raw HTTP (reqwest), without the Medtimes client.
#![cfg(feature = "medtimes")]

use carewire_core::webhook::Verifier;
use carewire_testkit::medtimes::{API_KEY, Sandbox};
use carewire_testkit::{Fault, RecordedRequest, Reply, TestServer};
use serde_json::{Value, json};

fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("client")
}

async fn json_of(res: reqwest::Response) -> Value {
    serde_json::from_slice(&res.bytes().await.unwrap()).unwrap()
}

async fn post_form(sandbox: &Sandbox, path: &str, key: Option<&str>, body: &str) -> (u16, Value, bool) {
    let mut req = http()
        .post(sandbox.server().url(path))
        .bearer_auth(API_KEY)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned());
    if let Some(key) = key {
        req = req.header("idempotency-key", key);
    }
    let res = req.send().await.unwrap();
    let replayed = res.headers().contains_key("idempotent-replayed");
    (res.status().as_u16(), json_of(res).await, replayed)
}

#[tokio::test]
async fn checks_the_bearer_key() {
    let sandbox = Sandbox::start();
    for auth in [None, Some("Bearer sk_test_wrong"), Some("Basic abc")] {
        let mut req = http().get(sandbox.server().url("/v1/prescriptions/scr_1"));
        if let Some(auth) = auth {
            req = req.header("authorization", auth);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 401);
        let body: Value = json_of(res).await;
        assert_eq!(body["error"]["type"], "authentication_error");
        assert_eq!(body["error"]["code"], "invalid_api_key");
    }
    let custom = Sandbox::builder().api_key("sk_test_custom").start();
    let res = http().get(custom.server().url("/v1/nope")).bearer_auth("sk_test_custom").send().await.unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn parses_bracket_forms_and_json() {
    let sandbox = Sandbox::start();
    let form = "patient_id=usr_8921a&symptoms%5B0%5D=persistent+cough&symptoms[1]=fever&billing_mode=medical_aid\
                &scheme_details[name]=Discovery+Health&scheme_details[number]=123456789";
    let (status, consult, _) = post_form(&sandbox, "/v1/consults/create", None, form).await;
    assert_eq!(status, 200);
    assert_eq!(consult["object"], "consult");
    assert_eq!(consult["status"], "waiting_for_doctor");
    let stored = sandbox.consult(consult["id"].as_str().unwrap()).unwrap();
    assert_eq!(stored["symptoms"], json!(["persistent cough", "fever"]));
    assert_eq!(stored["scheme_details"], json!({"name": "Discovery Health", "number": "123456789"}));

    let res = http()
        .post(sandbox.server().url("/v1/events/batch"))
        .bearer_auth(API_KEY)
        .header("content-type", "application/json")
        .body(
            json!({"event_name": "Wellness", "patients": [{"id_number": "1", "scheme_number": "S1"}, {"id_number": "2"}]})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = json_of(res).await;
    assert_eq!(body["summary"], json!({"total_received": 2, "validated": 1, "scheme_suspended": 1}));

    let (status, err, _) = post_form(&sandbox, "/v1/consults/create", None, "billing_mode=cash").await;
    assert_eq!(status, 400);
    assert_eq!(err["error"]["code"], "parameter_missing");
    let (status, err, _) = post_form(&sandbox, "/v1/claims/submit", None, "icd10_codes[0]=J20.9&amount=-5").await;
    assert_eq!(status, 400);
    assert_eq!(err["error"]["code"], "parameter_invalid");
    let (status, _, _) = post_form(&sandbox, "/v1/events/batch", None, "event_name=x").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn claims_are_idempotent_by_key() {
    let sandbox = Sandbox::start();
    let body = "amount=45000&icd10_codes[0]=J20.9";
    let (s1, first, replayed1) = post_form(&sandbox, "/v1/claims/submit", Some("k1"), body).await;
    let (s2, second, replayed2) = post_form(&sandbox, "/v1/claims/submit", Some("k1"), body).await;
    assert_eq!((s1, s2, replayed1, replayed2), (200, 200, false, true));
    assert_eq!(first, second);
    assert_eq!(sandbox.claim_count(), 1);
    let (status, err, _) = post_form(&sandbox, "/v1/claims/submit", Some("k1"), "amount=1&icd10_codes[0]=J20.9").await;
    assert_eq!(status, 400);
    assert_eq!(err["error"]["type"], "idempotency_error");
    post_form(&sandbox, "/v1/claims/submit", None, body).await;
    post_form(&sandbox, "/v1/claims/submit", None, body).await;
    assert_eq!(sandbox.claim_count(), 3);
}

#[tokio::test]
async fn faults_apply_and_are_counted() {
    let sandbox = Sandbox::start();
    sandbox.server().inject(Fault::status(503).times(1));
    let (status, _, _) = post_form(&sandbox, "/v1/claims/submit", Some("k"), "amount=1&icd10_codes[0]=A00").await;
    assert_eq!(status, 503);
    assert_eq!(sandbox.claim_count(), 0);
    let (status, _, _) = post_form(&sandbox, "/v1/claims/submit", Some("k"), "amount=1&icd10_codes[0]=A00").await;
    assert_eq!(status, 200);
    assert_eq!(sandbox.server().received("POST", "/v1/claims/submit"), 2);
}

#[tokio::test]
async fn prescriptions_exist_for_completed_consults_and_webhooks_are_signed() {
    let sandbox = Sandbox::start();
    let (_, consult, _) = post_form(&sandbox, "/v1/consults/create", None, "patient_id=usr_1").await;
    let consult_id = consult["id"].as_str().unwrap();
    assert!(sandbox.consult_completed_event(consult_id).is_none());
    assert!(sandbox.complete_consult("cns_unknown").is_none());
    let rx_id = sandbox.complete_consult(consult_id).unwrap();
    assert_eq!(sandbox.complete_consult(consult_id).unwrap(), rx_id);
    let res = http()
        .get(sandbox.server().url(&format!("/v1/prescriptions/{rx_id}")))
        .bearer_auth(API_KEY)
        .send()
        .await
        .unwrap();
    let rx: Value = json_of(res).await;
    assert_eq!(rx["consult_id"], consult_id);
    assert_eq!(rx["status"], "dispatched");

    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::<RecordedRequest>::new()));
    let sink = received.clone();
    let hook = TestServer::start(move |req: &RecordedRequest| {
        sink.lock().unwrap().push(req.clone());
        Reply::status(202)
    });
    let event = sandbox.consult_completed_event(consult_id).unwrap();
    assert_eq!(event["data"]["prescription_id"], rx_id.as_str());
    let status = sandbox.send_webhook_async(&hook.url("/hooks?src=medtimes"), &event).await.unwrap();
    assert_eq!(status, 202);
    let requests = received.lock().unwrap();
    let req = &requests[0];
    assert_eq!(req.path, "/hooks");
    assert_eq!(req.query.as_deref(), Some("src=medtimes"));
    assert_eq!(req.header("content-type"), Some("application/json"));
    let signature = req.header("medtimes-signature").unwrap();
    assert_eq!(signature, signature.to_ascii_lowercase());
    assert_eq!(Verifier::new(Sandbox::WEBHOOK_SECRET).verify(&req.body, signature), Ok(()));
    assert_eq!(req.json_value().unwrap(), event);

    assert!(sandbox.send_webhook("https://example.invalid/", &event).is_err());
    assert!(sandbox.send_webhook("not a url", &event).is_err());
}
