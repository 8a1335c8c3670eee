//! Shared test helpers: a wiremock server with the token endpoint, a client pointed at it, fixtures.
#![allow(dead_code, unreachable_pub, clippy::needless_pass_by_value)]

use carewire_docplanner::{AddressHandler, Client, ClientBuilder, RetryPolicy};
use serde_json::Value;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

pub const TOKEN: &str = "test-token";
/// base64("test-id:test-secret")
pub const BASIC: &str = "Basic dGVzdC1pZDp0ZXN0LXNlY3JldA==";

pub fn fixture(name: &str) -> String {
    let p = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

pub async fn token_mock(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("scope=integration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": TOKEN, "expires_in": 3600, "token_type": "bearer", "scope": null
        })))
        .mount(server)
        .await;
}

pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(format!("{}/api/v3/integration", server.uri()))
        .credentials("test-id", "test-secret")
        .retry(RetryPolicy::none())
}

pub async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    token_mock(&server).await;
    let client = builder(&server).build().unwrap();
    (server, client)
}

/// The address every wiremock test works on: facility 1, doctor 123, address 111.
pub fn address(client: &Client) -> AddressHandler {
    client.facility("1").doctor("123").address("111")
}

/// A mock for `verb full_path` that requires the bearer token.
pub fn api(verb: &str, full_path: &str) -> MockBuilder {
    Mock::given(method(verb)).and(path(full_path)).and(header("authorization", format!("Bearer {TOKEN}").as_str()))
}

/// A JSON body matcher that also requires the JSON content type.
pub fn json_body(value: Value) -> impl wiremock::Match {
    move |req: &wiremock::Request| {
        req.headers.get("content-type").and_then(|v| v.to_str().ok()) == Some("application/json")
            && serde_json::from_slice::<Value>(&req.body).ok().as_ref() == Some(&value)
    }
}

/// Matches a request without a body (and so without a content type).
pub fn no_body() -> impl wiremock::Match {
    |req: &wiremock::Request| req.body.is_empty() && req.headers.get("content-type").is_none()
}

/// Matches the exact raw query string (`None`: no query at all).
pub fn raw_query(expected: Option<&'static str>) -> impl wiremock::Match {
    move |req: &wiremock::Request| req.url.query() == expected
}

pub fn ok_json(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/vnd.docplanner+json; charset=UTF-8")
}

pub fn error_json(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/vnd.error+docplanner+json")
}

pub fn dt(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}
