//! MyMedic end to end: OAuth2 client credentials, programs filtered and streamed over offset pages, an
//! idempotent booking, a slot conflict, a status update, medical records through the escape hatch, a scope
//! error, and an unverified webhook.
//!
//! ```sh
//! cargo run --example mymedic
//! ```
//!
//! With no credentials (the default, and what CI runs) the example starts the in-process MyMedic sandbox on
//! 127.0.0.1: no account, no network. With `MYMEDIC_BASE_URL` and `MYMEDIC_CLIENT_ID` set (plus
//! `MYMEDIC_CLIENT_SECRET` and `MYMEDIC_TOKEN_URL`, or `MYMEDIC_ACCESS_TOKEN` instead of the three) it talks to
//! that API instead; use the UAT host, since it books an appointment. In live mode the sandbox-only steps
//! (records, the scope error, the webhook) are skipped.
//!
//! The process exits non-zero if any step fails.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    if carewire_examples::mymedic::story().await == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
