//! MDLIVE end to end: the client's API token, a patient's sign-in and session, provider search, a booked
//! appointment, assessments, token renewal, webhook registration and an event, and how errors look.
//!
//! ```sh
//! cargo run --example mdlive
//! ```
//!
//! With no credentials (the default, and what CI runs) the example starts the in-process MDLIVE sandbox on
//! 127.0.0.1: no account, no network. With `MDLIVE_API_KEY`, `MDLIVE_API_PASSWORD`, `MDLIVE_OU` and
//! `MDLIVE_BASE_URL` set (and `MDLIVE_ENTERPRISE_SECRET` if your organisation has one) it talks to that MDLIVE
//! environment instead: use a staging account, since it signs a test patient in and books an appointment.
//!
//! What it shows:
//!
//! - `Client::from_env()` / the builder; the API token fetched once and reused;
//! - `client.sign_in(PatientIdentity)` → a `PatientSession` whose calls carry the patient's token;
//! - `session.scheduling().search_providers(..).stream()` (page by page), `provider_profile`, and
//!   `create_appointment(NewAppointment::with_provider(..))` at one of the provider's slots;
//! - tokens that expire are renewed on their own (the patient is signed in again with the stored identity);
//! - `client.webhooks().register(https_url)` and `webhooks::parse(body)`, which returns an `Unverified` event;
//! - errors: refused before sending (`Error::InvalidRequest` names the field), and an API error's status and
//!   typed view (`MdliveError`), never its message in `Display`.
//!
//! The process exits non-zero if any step fails.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    if carewire_examples::mdlive::story().await == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
