//! Testing your own code against carewire's testkit: no network, no account, no mocks to write.
//!
//! ```sh
//! cargo run --example testing
//! ```
//!
//! `bill_consult` below stands for your application code: it bills a finished consult to the patient's medical
//! aid through the Medtimes client. Each `check_*` function is a test of it against the in-process Medtimes
//! sandbox (`carewire::testkit::medtimes::Sandbox`, which speaks the real HTTP API on 127.0.0.1), with
//! faults injected into the sandbox's server (`sandbox.server().inject(Fault::status(503).times(2))`,
//! `Fault::drop_connection()`), and assertions on what the server received
//! (`sandbox.server().received(method, path)`, `requests()`) and on the sandbox's state (`claim_count()`,
//! `claims()`).
//!
//! Examples are binaries, so `main` runs the checks and prints them. In your crate the same bodies go in
//! `#[tokio::test]` functions (add `carewire` with the `testkit` feature, or `carewire-testkit`, to your
//! dev-dependencies), with `assert!` in place of `ensure`:
//!
//! ```ignore
//! #[tokio::test]
//! async fn billing_survives_two_503s() {
//!     let sandbox = Sandbox::start();
//!     sandbox.server().inject(Fault::status(503).times(2).on("POST", "/v1/claims/submit"));
//!     let client = client_for(&sandbox).unwrap();
//!     bill_consult(&client, "cns_1", "usr_1", "J20.9", 45_000).await.unwrap();
//!     assert_eq!(sandbox.server().received("POST", "/v1/claims/submit"), 3);
//!     assert_eq!(sandbox.claim_count(), 1);
//! }
//! ```
//!
//! The process exits non-zero if any check fails.

use std::error::Error;
use std::process::ExitCode;
use std::time::Duration;

use carewire::RetryPolicy;
use carewire::medtimes::{Client, SubmitClaim};
use carewire::testkit::Fault;
use carewire::testkit::medtimes::Sandbox;
use carewire_examples::{Mode, Story};

// ---------------------------------------------------------------------------------------------------------
// "Your" code.

/// Bills consult `consult_id` to the patient's medical aid and returns the claim id.
///
/// The idempotency key is derived from the consult, so a retry, a re-run job or a restarted worker can call
/// this again safely: Medtimes answers with the first claim instead of creating another.
async fn bill_consult(
    client: &Client,
    consult_id: &str,
    patient_id: &str,
    icd10: &str,
    cents: i64,
) -> carewire::Result<String> {
    let claim = SubmitClaim::new([icd10], cents)
        .patient_id(patient_id)
        .currency("zar")
        .tariff_codes(["0132"]) // telehealth consult
        .idempotency_key(format!("bill-{consult_id}"));
    let submitted = client.claims().submit(claim).await?;
    submitted.id.ok_or_else(|| carewire::Error::config("Medtimes returned no claim id"))
}

// ---------------------------------------------------------------------------------------------------------
// Its tests.

const CLAIMS: &str = "/v1/claims/submit";

type Outcome = Result<String, Box<dyn Error>>;

/// `assert!` for a binary: fails the check with `message` instead of panicking.
fn ensure(holds: bool, message: impl Into<String>) -> Result<(), Box<dyn Error>> {
    if holds { Ok(()) } else { Err(message.into().into()) }
}

/// A client for the sandbox with fast retries, so that tests never sleep for long.
fn client_for(sandbox: &Sandbox) -> carewire::Result<Client> {
    Client::builder()
        .api_key(Sandbox::API_KEY)
        .base_url(sandbox.base_url())
        .retry(RetryPolicy::default().max_retries(3).initial_backoff(Duration::from_millis(5)))
        .build()
}

/// The claim is sent once, with what we billed.
async fn check_bills_once() -> Outcome {
    let sandbox = Sandbox::start();
    let client = client_for(&sandbox)?;
    let claim_id = bill_consult(&client, "cns_1001", "usr_8921a", "J20.9", 45_000).await?;
    ensure(sandbox.server().received("POST", CLAIMS) == 1, "exactly one request")?;
    let stored = sandbox.claims();
    let claim = stored.first().ok_or("no claim on the server")?;
    ensure(claim["id"] == claim_id.as_str(), "the returned id is the server's")?;
    ensure(claim["amount"] == 45_000 && claim["icd10_codes"][0] == "J20.9", "amount and diagnosis as billed")?;
    ensure(claim["patient_id"] == "usr_8921a", "the patient is set")?;
    Ok(format!("claim {claim_id}: 1 request, amount and ICD-10 code as billed"))
}

/// Two 503s are retried with the same Idempotency-Key: one claim exists.
async fn check_survives_two_503s() -> Outcome {
    let sandbox = Sandbox::start();
    sandbox.server().inject(Fault::status(503).times(2).on("POST", CLAIMS));
    let client = client_for(&sandbox)?;
    bill_consult(&client, "cns_1002", "usr_8921a", "J20.9", 45_000).await?;
    let keys: Vec<String> = sandbox
        .server()
        .requests()
        .iter()
        .filter(|r| r.path == CLAIMS)
        .filter_map(|r| r.header("idempotency-key").map(str::to_owned))
        .collect();
    ensure(sandbox.server().received("POST", CLAIMS) == 3, "two failures and one success")?;
    ensure(keys.len() == 3 && keys.iter().all(|k| k == "bill-cns_1002"), "one key on every attempt")?;
    ensure(sandbox.claim_count() == 1, "one claim on the server")?;
    Ok("3 attempts, all with Idempotency-Key bill-cns_1002, 1 claim".to_owned())
}

/// A connection dropped before the answer is retried, without a duplicate.
async fn check_survives_a_dropped_connection() -> Outcome {
    let sandbox = Sandbox::start();
    sandbox.server().inject(Fault::drop_connection().on("POST", CLAIMS));
    let client = client_for(&sandbox)?;
    bill_consult(&client, "cns_1003", "usr_8921a", "J20.9", 45_000).await?;
    let attempts = sandbox.server().received("POST", CLAIMS);
    ensure(
        attempts == 2 && sandbox.claim_count() == 1,
        format!("{attempts} attempts, {} claims", sandbox.claim_count()),
    )?;
    Ok("2 attempts, 1 claim".to_owned())
}

/// Billing the same consult twice (a re-run job) returns the first claim.
async fn check_rerun_is_harmless() -> Outcome {
    let sandbox = Sandbox::start();
    let client = client_for(&sandbox)?;
    let first = bill_consult(&client, "cns_1004", "usr_8921a", "J20.9", 45_000).await?;
    let second = bill_consult(&client, "cns_1004", "usr_8921a", "J20.9", 45_000).await?;
    ensure(first == second, "the same claim id")?;
    ensure(sandbox.claim_count() == 1, "one claim on the server")?;
    Ok(format!("both calls returned {first}; 1 claim"))
}

/// When Medtimes stays down, the error says so and nothing was billed.
async fn check_reports_an_outage() -> Outcome {
    let sandbox = Sandbox::start();
    sandbox.server().inject(Fault::status(503).always().on("POST", CLAIMS));
    let client = client_for(&sandbox)?;
    let Err(err) = bill_consult(&client, "cns_1005", "usr_8921a", "J20.9", 45_000).await else {
        return Err("billing succeeded during an outage".into());
    };
    let attempts = sandbox.server().received("POST", CLAIMS);
    ensure(err.status() == Some(503) && err.is_retryable(), format!("a retryable 503, got {err}"))?;
    ensure(
        attempts == 4 && sandbox.claim_count() == 0,
        format!("{attempts} attempts, {} claims", sandbox.claim_count()),
    )?;
    Ok(format!("{attempts} attempts, then: {err} (retryable, try later)"))
}

/// A malformed diagnosis code is caught before anything is sent.
async fn check_rejects_bad_input_offline() -> Outcome {
    let sandbox = Sandbox::start();
    let client = client_for(&sandbox)?;
    let Err(err) = bill_consult(&client, "cns_1006", "usr_8921a", "bronchitis", 45_000).await else {
        return Err("a free-text diagnosis was accepted".into());
    };
    ensure(matches!(err, carewire::Error::InvalidRequest { .. }), format!("a validation error, got {err}"))?;
    ensure(sandbox.server().received_total() == 0, "nothing sent")?;
    Ok(format!("{err}; 0 requests sent"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut story = Story::begin("Testing your code with carewire-testkit", Mode::Sandbox);
    story.step("bill_consult sends one claim", check_bills_once().await, Clone::clone);
    story.step("bill_consult survives two 503s", check_survives_two_503s().await, Clone::clone);
    story.step("bill_consult survives a dropped connection", check_survives_a_dropped_connection().await, Clone::clone);
    story.step("re-running bill_consult is harmless", check_rerun_is_harmless().await, Clone::clone);
    story.step("bill_consult reports an outage", check_reports_an_outage().await, Clone::clone);
    story.step("bill_consult rejects bad input offline", check_rejects_bad_input_offline().await, Clone::clone);
    if story.end() == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
