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

/// A token for raw calls.
async fn bearer(http: &reqwest::Client, sandbox: &Sandbox) -> String {
    json(token(http, sandbox, CLIENT_ID, CLIENT_SECRET).await).await["access_token"].as_str().unwrap().to_owned()
}

/// Sends `method` to `path` under the address with an optional JSON body: status, content type and body.
async fn call(
    http: &reqwest::Client,
    sandbox: &Sandbox,
    t: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> (u16, String, Value) {
    let url = format!("{}/facilities/1/doctors/123/addresses/111{path}", sandbox.base_url());
    let mut req = http.request(method.parse().unwrap(), url).bearer_auth(t);
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_owned());
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let bytes = r.bytes().await.unwrap();
    (status, ct, if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() })
}

#[tokio::test]
async fn breaks_validate_like_docplanner() {
    let sandbox = Sandbox::start();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let t = bearer(&http, &sandbox).await;
    let (status, ct, body) =
        call(&http, &sandbox, &t, "POST", "/breaks", Some(r#"{"till": "2030-05-16T15:00:00+01:00"}"#)).await;
    assert_eq!((status, ct.as_str()), (400, "application/vnd.error+docplanner+json"));
    assert_eq!(body, serde_json::json!({"errors": [], "message": "Param \"since\" is required!"}));
    let reversed = r#"{"since": "2030-05-16T15:00:00+01:00", "till": "2030-05-16T14:00:00+01:00"}"#;
    let (status, _, body) = call(&http, &sandbox, &t, "POST", "/breaks", Some(reversed)).await;
    assert_eq!((status, body["message"].as_str()), (422, Some("Invalid date range")));
    let typed = r#"{"since": "2030-05-16T14:00:00+01:00", "till": "2030-05-16T15:00:00+01:00", "description": 7}"#;
    let (status, _, body) = call(&http, &sandbox, &t, "POST", "/breaks", Some(typed)).await;
    assert_eq!((status, body["message"].as_str()), (400, Some("Invalid arguments")));
    assert_eq!(body["errors"]["description"][0], "This value should be of type string.");
    let (status, _, body) = call(&http, &sandbox, &t, "POST", "/breaks", Some("{not json")).await;
    assert_eq!((status, body["message"].as_str()), (400, Some("Invalid JSON")));

    // Added with its offset kept, and a Location; moving it before its start is a 422 naming both ends.
    let ok_body = r#"{"since": "2030-05-16T14:00:00+01:00", "till": "2030-05-16T15:00:00+01:00"}"#;
    let (status, ct, added) = call(&http, &sandbox, &t, "POST", "/breaks", Some(ok_body)).await;
    assert_eq!((status, ct.starts_with("application/vnd.docplanner+json")), (201, true));
    assert_eq!(added["since"], "2030-05-16T14:00:00+01:00");
    assert!(added["description"].is_null());
    let id = added["id"].as_str().unwrap();
    let back = r#"{"since": "2030-05-16T15:00:00+01:00", "till": "2030-05-16T14:30:00+01:00"}"#;
    let (status, _, body) = call(&http, &sandbox, &t, "PATCH", &format!("/breaks/{id}"), Some(back)).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["message"],
        "Till (2030-05-16T14:30:00+01:00) cannot be set before since (2030-05-16T15:00:00+01:00)"
    );

    // The list needs both ends of its range.
    let (status, _, body) =
        call(&http, &sandbox, &t, "GET", "/breaks?since=2030-05-16T00%3A00%3A00%2B01%3A00", None).await;
    assert_eq!((status, body["message"].as_str()), (400, Some("Param \"till\" is required!")));
    let (status, _, body) =
        call(&http, &sandbox, &t, "GET", "/breaks?since=2030-05-16T00%3A00%3A00%2B01%3A00&till=tomorrow", None).await;
    assert_eq!((status, body["message"].as_str()), (404, Some("Invalid date given.")));
    assert_eq!(sandbox.notifications_queued(), 1);
}

#[tokio::test]
async fn address_services_and_insurance_validate_like_docplanner() {
    let sandbox = Sandbox::start();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let t = bearer(&http, &sandbox).await;
    let (status, _, body) = call(&http, &sandbox, &t, "POST", "/services", Some(r#"{"price": 10}"#)).await;
    assert_eq!((status, body["message"].as_str()), (400, Some("Param \"service_id\" is required!")));
    let (status, _, body) =
        call(&http, &sandbox, &t, "POST", "/services", Some(r#"{"service_id": "3", "price": -5}"#)).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().starts_with("Invalid price value for service."));
    let (status, _, body) =
        call(&http, &sandbox, &t, "POST", "/services", Some(r#"{"service_id": "3", "price": "12"}"#)).await;
    assert_eq!((status, body["errors"].clone()), (400, serde_json::json!([])));
    let ages =
        r#"{"service_id": "3", "default_duration": 0, "allowed_patients": {"minimum_age": 30, "maximum_age": 20}}"#;
    let (status, _, body) = call(&http, &sandbox, &t, "POST", "/services", Some(ages)).await;
    assert_eq!((status, body["message"].as_str()), (400, Some("Invalid arguments")));
    assert_eq!(body["errors"]["default_duration"][0], "This value should be greater than or equal to 1.");
    assert_eq!(body["errors"]["allowed_patients.maximum_age"].as_array().unwrap().len(), 1);
    // Nothing was added by the refused calls.
    let (_, _, listed) = call(&http, &sandbox, &t, "GET", "/services", None).await;
    assert_eq!(listed["_items"].as_array().unwrap().len(), 2);
    // A whole price is answered as a number; 19.99 as its integer part.
    let (status, _, added) =
        call(&http, &sandbox, &t, "POST", "/services", Some(r#"{"service_id": "3", "price": 19.99}"#)).await;
    assert_eq!(
        (status, added["price"].clone(), added["is_default"].clone()),
        (201, serde_json::json!(19), serde_json::json!(false))
    );

    let (status, _, body) = call(&http, &sandbox, &t, "POST", "/insurance-providers", Some("{}")).await;
    assert_eq!((status, body["message"].as_str()), (400, Some("Param \"insurance_provider_id\" is required!")));
    let (status, _, body) =
        call(&http, &sandbox, &t, "PUT", "/insurance-providers", Some(r#"{"insurance_provider_id": "9"}"#)).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (404, Some("Provided insurance provider ID not found in dictionary"))
    );
    let bad_plans = r#"{"insurance_provider_id": "3", "insurance_plans": [{"insurance_plan_id": 3001}]}"#;
    let (status, _, body) = call(&http, &sandbox, &t, "PUT", "/insurance-providers", Some(bad_plans)).await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"]["insurance_plans[0].insurance_plan_id"][0], "This value should be of type string.");
    let (status, _, body) = call(&http, &sandbox, &t, "DELETE", "/insurance-providers/9", None).await;
    assert_eq!(status, 404, "{body}");
}
