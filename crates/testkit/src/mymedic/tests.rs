//! The MyMedic sandbox over plain HTTP: tokens and scopes, filters and pages, bookings, conflicts,
//! idempotency, status transitions, records and webhook delivery.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use super::*;
use crate::{RecordedRequest, Reply};

async fn call(req: reqwest::RequestBuilder) -> (u16, Value) {
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, serde_json::from_slice(&res.bytes().await.unwrap()).unwrap_or(Value::Null))
}

async fn token(sandbox: &Sandbox, scope: Option<&str>) -> (u16, Value) {
    let mut form = vec![("grant_type", "client_credentials")];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    call(
        reqwest::Client::new()
            .post(sandbox.token_url())
            .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body),
    )
    .await
}

fn get(sandbox: &Sandbox, path: &str, bearer: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().get(sandbox.server().url(path)).bearer_auth(bearer)
}

fn booking(time: &str) -> Value {
    json!({
        "programId": "prg_001",
        "participant": {"name": "Asha Rao", "medicalId": "MED-1001"},
        "slot": {"date": "2025-04-08", "time": time, "practitioner": "dr-asha"},
    })
}

async fn book(sandbox: &Sandbox, body: &Value, key: Option<&str>) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(sandbox.server().url("/api/v1/appointments"))
        .bearer_auth(ACCESS_TOKEN)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(key) = key {
        req = req.header("idempotency-key", key);
    }
    call(req).await
}

#[tokio::test]
async fn tokens_carry_scopes_and_expire() {
    let sandbox = Sandbox::builder().token_ttl(Duration::from_secs(120)).start();
    let (status, answer) = token(&sandbox, None).await;
    assert_eq!((status, answer["expires_in"].as_u64()), (200, Some(120)));
    assert_eq!(answer["scope"], "programs.read appointments.write");
    let read = answer["access_token"].as_str().unwrap().to_owned();
    assert_eq!(call(get(&sandbox, "/api/v1/health-programs", &read)).await.0, 200);
    let (status, body) = call(get(&sandbox, "/api/v1/medical-records", &read)).await;
    assert_eq!((status, &body["error"]["code"]), (403, &json!("INSUFFICIENT_SCOPE")));
    assert_eq!(body["error"]["details"]["required_scope"], "records.read");

    let (_, records) = token(&sandbox, Some("records.read")).await;
    let records = records["access_token"].as_str().unwrap().to_owned();
    assert_eq!(call(get(&sandbox, "/api/v1/medical-records", &records)).await.0, 200);
    assert_eq!(call(get(&sandbox, "/api/v1/health-programs", &records)).await.0, 403);
    assert_eq!(token(&sandbox, Some("everything")).await.1["error"], "invalid_scope");
    assert_eq!(sandbox.tokens_issued(), 2);

    sandbox.expire_tokens();
    let (status, body) = call(get(&sandbox, "/api/v1/health-programs", &read)).await;
    assert_eq!((status, &body["error"]["code"]), (401, &json!("UNAUTHORIZED")));
    assert_eq!(call(get(&sandbox, "/api/v1/nothing", ACCESS_TOKEN)).await.0, 404);
    assert_eq!(call(get(&sandbox, "/api/v1/nothing", "guess")).await.0, 401);
    let wrong = reqwest::Client::new()
        .post(sandbox.token_url())
        .basic_auth(CLIENT_ID, Some("wrong"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials");
    assert_eq!(call(wrong).await.0, 401);
}

#[tokio::test]
async fn programs_filter_in_every_style_and_page_by_offset() {
    let sandbox = Sandbox::start();
    let ids = |body: &Value| -> Vec<String> {
        body["data"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect()
    };
    let (_, brackets) =
        call(get(&sandbox, "/api/v1/health-programs?filters[status]=active&filters[type]=yoga", ACCESS_TOKEN)).await;
    assert_eq!(ids(&brackets), ["prg_001", "prg_004"]);
    let (_, flat) = call(get(&sandbox, "/api/v1/health-programs?status=active&type=yoga", ACCESS_TOKEN)).await;
    assert_eq!(ids(&flat), ids(&brackets));
    let body = json!({"limit": 1, "offset": 1, "filters": {"type": "yoga"}}).to_string();
    let (_, json_body) = call(
        get(&sandbox, "/api/v1/health-programs", ACCESS_TOKEN).header("content-type", "application/json").body(body),
    )
    .await;
    assert_eq!((ids(&json_body), json_body["total"].as_u64()), (vec!["prg_004".to_owned()], Some(3)));
    let (_, page) = call(get(&sandbox, "/api/v1/health-programs?limit=3&offset=6", ACCESS_TOKEN)).await;
    assert_eq!(ids(&page), ["prg_007"]);
    let (status, _) = call(get(&sandbox, "/api/v1/health-programs?filters[status]=past", ACCESS_TOKEN)).await;
    assert_eq!(status, 400);
    assert_eq!(call(get(&sandbox, "/api/v1/health-programs?limit=0", ACCESS_TOKEN)).await.0, 400);
    let (status, program) = call(get(&sandbox, "/api/v1/health-programs/prg_003", ACCESS_TOKEN)).await;
    assert_eq!((status, &program["status"]), (200, &json!("upcoming")));
    assert_eq!(call(get(&sandbox, "/api/v1/health-programs/prg_404", ACCESS_TOKEN)).await.0, 404);
}

#[tokio::test]
async fn bookings_conflict_replay_and_change_status() {
    let sandbox = Sandbox::start();
    let (status, first) = book(&sandbox, &booking("10:00"), Some("key-1")).await;
    assert_eq!((status, &first["status"]), (201, &json!("scheduled")));
    let (status, again) = book(&sandbox, &booking("10:00"), Some("key-1")).await;
    assert_eq!((status, &again), (201, &first), "a replay returns the stored answer");
    let (status, reused) = book(&sandbox, &booking("11:00"), Some("key-1")).await;
    assert_eq!((status, &reused["error"]["code"]), (409, &json!("IDEMPOTENCY_KEY_REUSED")));
    let (status, taken) = book(&sandbox, &booking("10:00"), Some("key-2")).await;
    assert_eq!((status, &taken["error"]["code"]), (409, &json!("SLOT_UNAVAILABLE")));
    assert_eq!(taken["error"]["details"], json!({"slot": "2025-04-08T10:00:00Z", "reason": "Already booked"}));
    assert_eq!(sandbox.appointment_count(), 1);
    for (body, field) in [
        (json!({"participant": {"name": "A"}, "slot": {"date": "d", "time": "t"}}), "programId"),
        (json!({"programId": "prg_001", "participant": {}, "slot": {"date": "d", "time": "t"}}), "participant"),
        (json!({"programId": "prg_001", "participant": {"name": "A"}, "slot": {"date": "d"}}), "slot"),
    ] {
        let (status, err) = book(&sandbox, &body, None).await;
        assert_eq!((status, &err["error"]["details"]["field"]), (400, &json!(field)));
    }

    let id = first["id"].as_str().unwrap().to_owned();
    let put = |status: &str| {
        reqwest::Client::new()
            .put(sandbox.server().url(&format!("/api/v1/appointments/{id}/status")))
            .bearer_auth(ACCESS_TOKEN)
            .header("content-type", "application/json")
            .body(json!({"status": status, "notes": "ok"}).to_string())
    };
    assert_eq!(call(put("cancelled")).await.1["status"], "cancelled");
    assert_eq!(call(put("completed")).await.1["error"]["code"], "INVALID_STATUS_TRANSITION");
    assert_eq!(call(put("postponed")).await.0, 400);
    assert_eq!(book(&sandbox, &booking("10:00"), None).await.0, 201, "a cancelled slot is free again");
    let kinds: Vec<String> = sandbox.events().iter().map(|e| e["event"].as_str().unwrap().to_owned()).collect();
    assert_eq!(kinds, ["appointment.created", "appointment.cancelled", "appointment.created"]);
}

#[tokio::test]
async fn medical_events_records_and_delivery() {
    let sandbox = Sandbox::start();
    let (_, appointment) = book(&sandbox, &booking("10:00"), None).await;
    let id = appointment["id"].as_str().unwrap();
    let rx = sandbox.issue_prescription(id, "Ashwagandha 300mg").unwrap();
    let rx_id = rx["data"]["prescriptionId"].as_str().unwrap();
    assert_eq!(sandbox.update_prescription(rx_id, "dispensed").unwrap()["data"]["status"], "dispensed");
    assert_eq!(sandbox.schedule_followup(id, "2025-04-22").unwrap()["event"], "followup.scheduled");
    let record = sandbox.add_medical_record("MED-1001", json!({"bp": "120/80"}));
    assert_eq!(sandbox.update_record(&record).unwrap()["data"]["medicalId"], "MED-1001");
    assert!(sandbox.issue_prescription("apt_missing", "x").is_none());
    assert!(sandbox.update_record("rec_missing").is_none());
    let (_, records) = call(get(&sandbox, "/api/v1/medical-records?medicalId=MED-1001", ACCESS_TOKEN)).await;
    assert_eq!(records["data"][0]["record"]["bp"], "120/80");
    let (_, none) = call(get(&sandbox, "/api/v1/medical-records?medicalId=MED-2", ACCESS_TOKEN)).await;
    assert_eq!(none["total"], 0);

    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = received.clone();
    let hook = crate::TestServer::start(move |req: &RecordedRequest| {
        sink.lock().unwrap().push(req.clone());
        Reply::no_content()
    });
    for event in sandbox.events() {
        assert_eq!(sandbox.send_webhook_async(&hook.url("/webhooks/mymedic"), &event).await.unwrap(), 204);
    }
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 5);
    assert!(received.iter().all(|r| r.header("content-type") == Some("application/json")));
    assert!(received.iter().all(|r| !r.headers.iter().any(|(n, _)| n.contains("signature"))), "unsigned");
    assert_eq!(received[1].json_value().unwrap()["event"], "prescription.created");
    assert!(sandbox.send_webhook("https://example.com/", &json!({})).is_err());
}
