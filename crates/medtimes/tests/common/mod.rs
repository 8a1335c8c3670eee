//! Shared helpers of the Medtimes integration tests.
#![allow(dead_code)]

use std::time::Duration;

use carewire_core::RetryPolicy;
use carewire_medtimes::{BodyEncoding, Client};
use wiremock::MockServer;

/// The key the wiremock tests use.
pub(crate) const KEY: &str = "sk_test_123";

/// The `Authorization` header value for [`KEY`].
pub(crate) const AUTH: &str = "Bearer sk_test_123";

/// A fixture copied byte for byte from `shared/fixtures/medtimes/`.
pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// A fixture parsed as JSON.
pub(crate) fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).expect("fixture is JSON")
}

/// Retries with tiny backoffs, so fault tests run fast.
pub(crate) fn fast_retry() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(5)).max_backoff(Duration::from_millis(20))
}

/// A form-encoding client for `base` with [`KEY`].
pub(crate) fn client(base: &str) -> Client {
    Client::builder().api_key(KEY).base_url(base).retry(fast_retry()).build().expect("client")
}

/// A JSON-encoding client for `base` with [`KEY`].
pub(crate) fn json_client(base: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base)
        .body_encoding(BodyEncoding::Json)
        .retry(fast_retry())
        .build()
        .expect("client")
}

/// The decoded form pairs of every request the mock server received, in order.
pub(crate) async fn form_bodies(server: &MockServer) -> Vec<Vec<(String, String)>> {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .iter()
        .map(|r| url::form_urlencoded::parse(&r.body).into_owned().collect())
        .collect()
}

/// Owned pairs from string slices.
pub(crate) fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}
