//! The Docplanner sandbox over raw HTTP.
#![cfg(feature = "docplanner")]

use carewire_testkit::docplanner::{CLIENT_ID, CLIENT_SECRET, Sandbox};
use serde_json::Value;

async fn json(r: reqwest::Response) -> Value {
    serde_json::from_slice(&r.bytes().await.unwrap()).unwrap()
}

async fn token(http: &reqwest::Client, sandbox: &Sandbox, id: &str, secret: &str) -> reqwest::Response {
    http.post(sandbox.token_url())
        .basic_auth(id, Some(secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&scope=integration")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn tokens_rate_limit_headers_and_empty_queue() {
    let sandbox = Sandbox::builder().token_ttl(std::time::Duration::from_secs(1)).start();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    assert_eq!(token(&http, &sandbox, CLIENT_ID, "nope").await.status(), 401);
    let body = json(token(&http, &sandbox, CLIENT_ID, CLIENT_SECRET).await).await;
    assert_eq!(body["expires_in"], 1);
    let t = body["access_token"].as_str().unwrap().to_owned();

    let r = http.get(format!("{}/facilities", sandbox.base_url())).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-ratelimit-limit"], "8000");
    assert_eq!(r.headers()["x-ratelimit-remaining"], "7999");
    assert!(r.headers()["x-ratelimit-reset"].to_str().unwrap().ends_with("+00:00"));

    let r = http.get(format!("{}/notifications", sandbox.base_url())).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let body = json(r).await;
    assert_eq!(body["message"], "No notifications found");

    let r = http.get(format!("{}/facilities/2", sandbox.base_url())).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), 404);

    std::thread::sleep(std::time::Duration::from_millis(1100));
    let r = http.get(format!("{}/facilities", sandbox.base_url())).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn credentials_in_the_form_body_and_queued_notifications() {
    let sandbox = Sandbox::start();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let form =
        format!("grant_type=client_credentials&scope=integration&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}");
    let r = http
        .post(sandbox.token_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    let t = json(r).await["access_token"].as_str().unwrap().to_owned();
    sandbox.push_notification("address-assigned", serde_json::json!({}));
    assert_eq!(sandbox.notifications_queued(), 1);
    let r = http
        .get(format!("{}/notifications/multiple?limit=5", sandbox.base_url()))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    let body = json(r).await;
    assert_eq!(body["remaining"], 0);
    assert_eq!(body["notifications"][0]["name"], "address-assigned");
    assert_eq!(body["notifications"][0]["data"]["facility"]["id"], "1");
}
