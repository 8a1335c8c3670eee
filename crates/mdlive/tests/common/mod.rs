//! Shared helpers of the MDLIVE integration tests.
//!
//! [`client`] is a client whose API token is pre-seeded ([`API_TOKEN`]), so a conformance test sees exactly
//! one request: the operation's. [`session`] is patient `52`'s session resumed from [`USER_TOKEN`]. Tests of
//! the token endpoints themselves use [`builder`] and a server that answers them.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use carewire_core::RetryPolicy;
use carewire_mdlive::{Client, ClientBuilder, PatientSession};

/// The API key the tests use.
pub const API_KEY: &str = "my_api_key";
/// The API password the tests use.
pub const API_PASSWORD: &str = "my_password";
/// The organisational unit the tests use.
pub const OU: &str = "ou";

/// The pre-seeded API token of [`client`].
pub const API_TOKEN: &str = "test-api-token";
/// The `Authorization` header of calls made with [`API_TOKEN`].
pub const API_AUTH: &str = "Bearer test-api-token";

/// The patient of [`session`].
pub const PATIENT_ID: &str = "52";
/// The user token [`session`] is resumed with.
pub const USER_TOKEN: &str = "test-user-token-52";
/// The `Authorization` header of calls made with [`USER_TOKEN`].
pub const USER_AUTH: &str = "Bearer test-user-token-52";

/// A fixture copied byte for byte from `shared/fixtures/mdlive/`.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// A fixture parsed as JSON.
pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).expect("fixture is JSON")
}

/// Retries with tiny backoffs, so fault tests run fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(2)).max_backoff(Duration::from_millis(10))
}

/// A builder for `base` with the test credentials and fast retries; the API token is fetched from the server.
pub fn builder(base: &str) -> ClientBuilder {
    Client::builder().api_key(API_KEY).password(API_PASSWORD).ou(OU).base_url(base).retry(fast_retry())
}

/// A client for `base` whose API token is pre-seeded with [`API_TOKEN`] (no token request is made).
pub fn client(base: &str) -> Client {
    builder(base).api_token(API_TOKEN).build().expect("client")
}

/// Patient [`PATIENT_ID`]'s session on [`client`], resumed from [`USER_TOKEN`] for an hour.
pub fn session(base: &str) -> PatientSession {
    client(base).resume_session(PATIENT_ID, USER_TOKEN, Duration::from_secs(3600)).expect("session")
}
