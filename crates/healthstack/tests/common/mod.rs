//! Shared helpers for the wiremock tests.
#![allow(dead_code, unreachable_pub)]

use carewire_healthstack::Client;
use wiremock::matchers::{bearer_token, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

pub const KEY: &str = "sk_test_1234567890abcdef";
pub const HID: &str = "HID-NHG869UP";

/// A fixture copied byte-for-byte from `shared/fixtures/healthstack`.
pub fn fixture(name: &str) -> String {
    let p = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {p}: {e}"))
}

pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).expect("fixture is JSON")
}

pub fn client(server: &MockServer) -> Client {
    Client::builder().secret_key(KEY).base_url(format!("{}/v1", server.uri())).build().expect("client")
}

/// A mock for `verb full_path` that requires the bearer key.
pub fn mock(verb: &str, full_path: &str) -> MockBuilder {
    Mock::given(method(verb)).and(path(full_path)).and(bearer_token(KEY))
}

/// Same, also requiring a JSON content type.
pub fn mock_json(verb: &str, full_path: &str) -> MockBuilder {
    mock(verb, full_path).and(header("content-type", "application/json"))
}

pub fn respond(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(fixture(name), "application/json")
}

/// The single request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut reqs = server.received_requests().await.expect("recording enabled");
    assert_eq!(reqs.len(), 1, "expected exactly one request");
    reqs.remove(0)
}

pub fn consent_header(req: &Request) -> Option<String> {
    req.headers.get("x-consent-token").map(|v| v.to_str().unwrap().to_owned())
}
