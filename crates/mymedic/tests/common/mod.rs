//! Shared helpers of the MyMedic integration tests.
#![allow(dead_code)]

use std::time::Duration;

use carewire_core::RetryPolicy;
use carewire_mymedic::{Client, ClientBuilder, FilterStyle};
use carewire_testkit::mymedic::Sandbox;

/// The static token the conformance tests use.
pub(crate) const TOKEN: &str = "mm_test_token";

/// The `Authorization` header value for [`TOKEN`].
pub(crate) const AUTH: &str = "Bearer mm_test_token";

/// A fixture copied byte for byte from `shared/fixtures/mymedic/`.
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

/// A static-token client for `base`.
pub(crate) fn client(base: &str) -> Client {
    Client::builder().base_url(base).access_token(TOKEN).retry(fast_retry()).build().expect("client")
}

/// A static-token client for `base` sending filters in `style`.
pub(crate) fn styled(base: &str, style: FilterStyle) -> Client {
    Client::builder()
        .base_url(base)
        .access_token(TOKEN)
        .filter_style(style)
        .retry(fast_retry())
        .build()
        .expect("client")
}

/// A client-credentials builder for the sandbox, with the default scopes.
pub(crate) fn oauth(sandbox: &Sandbox) -> ClientBuilder {
    Client::builder()
        .base_url(sandbox.base_url())
        .client_credentials(Sandbox::CLIENT_ID, Sandbox::CLIENT_SECRET)
        .token_url(sandbox.token_url())
        .retry(fast_retry())
}
