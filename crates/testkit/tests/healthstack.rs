//! The Healthstack sandbox over raw HTTP: envelope variants, auth, consent.
#![cfg(feature = "healthstack")]

use carewire_testkit::healthstack::{OTHER_BUSINESS_ID, OTHER_SECRET_KEY, SECRET_KEY, Sandbox};
use serde_json::{Value, json};

async fn call(sandbox: &Sandbox, key: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("{}{path}", sandbox.base_url());
    let mut req = client.request(method.parse().unwrap(), url).bearer_auth(key);
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_string());
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, serde_json::from_slice(&res.bytes().await.unwrap()).unwrap())
}

#[tokio::test]
async fn envelope_variants_and_consent() {
    let sandbox = Sandbox::start();
    let patient =
        json!({"name": "A B", "gender": "male", "dob": "1990-01-01", "nin": 12_345_678_901_u64, "email": "a@b.c"});
    let (s, created) = call(&sandbox, OTHER_SECRET_KEY, "POST", "/patients/create", Some(patient)).await;
    assert_eq!(s, 200);
    assert!(created.get("success").is_none(), "variant A has no success");
    assert_eq!(created["status"], true);
    let hid = created["data"]["health_id"].as_str().unwrap().to_owned();

    let (s, body) = call(&sandbox, SECRET_KEY, "GET", &format!("/patient/single/{hid}"), None).await;
    assert_eq!((s, body["success"].clone()), (403, json!(false)));

    let (_, seek) = call(&sandbox, SECRET_KEY, "POST", "/patients/seek-consent", Some(json!({"health_id": hid}))).await;
    assert_eq!(seek["status"], 200);
    assert!(seek.get("data").is_none(), "variant B has no data");
    let otp: u64 = sandbox.otp_sent_to(&hid).unwrap().parse().unwrap();
    let (_, granted) =
        call(&sandbox, SECRET_KEY, "POST", "/patients/consent", Some(json!({"health_id": hid, "otp": otp}))).await;
    let token = granted["data"]["consentToken"].as_str().unwrap().to_owned();

    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let res = client
        .get(format!("{}/patient/single/{hid}", sandbox.base_url()))
        .bearer_auth(SECRET_KEY)
        .header("x-consent-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let single: Value = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
    assert!(single["data"].is_array(), "single patient wrapped in an array");

    let (s, _) = call(&sandbox, "sk_test_nope", "GET", "/patients/multiple", None).await;
    assert_eq!(s, 401);

    let (_, card) = call(
        &sandbox,
        OTHER_SECRET_KEY,
        "POST",
        "/medicard/create",
        Some(json!({"health_id": hid, "cardName": "c", "cardType": "Black Medicard"})),
    )
    .await;
    assert_eq!(card["status"], true);
    assert!(card["data"].is_array(), "variant F: the card in an array");
    assert_eq!(card["data"][0]["balance"], 0);
}

#[tokio::test]
async fn advancing_the_clock_far_never_panics() {
    let sandbox = Sandbox::start();
    let hid = sandbox.seed_patient(OTHER_BUSINESS_ID, "A B", "12345678901");
    let (_, _) = call(&sandbox, SECRET_KEY, "POST", "/patients/seek-consent", Some(json!({"health_id": hid}))).await;
    let (_, granted) =
        call(&sandbox, SECRET_KEY, "POST", "/patients/consent", Some(json!({"health_id": hid, "otp": "123456"}))).await;
    let token = granted["data"]["consentToken"].as_str().unwrap().to_owned();
    sandbox.advance(std::time::Duration::MAX);
    sandbox.advance(std::time::Duration::MAX);
    let res = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("{}/patient/single/{hid}", sandbox.base_url()))
        .bearer_auth(SECRET_KEY)
        .header("x-consent-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "the token expired long ago");
    sandbox.seed_patient(SECRET_KEY, "C D", "10987654321");
}
