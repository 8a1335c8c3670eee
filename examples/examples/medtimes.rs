//! Medtimes end to end: a consult, a claim with your own idempotency key, a corporate screening batch, a
//! prescription, and how errors look.
//!
//! ```sh
//! cargo run --example medtimes
//! ```
//!
//! With no credentials (the default, and what CI runs) the example starts the in-process Medtimes sandbox
//! on 127.0.0.1: no account, no network. With `MEDTIMES_API_KEY` set (and optionally `MEDTIMES_BASE_URL`) it
//! talks to the real API instead; use a test key, since it creates a consult, a claim and a screening batch.
//! In live mode the prescription step needs `MEDTIMES_PRESCRIPTION_ID` (an id from a `consult.completed`
//! webhook); without it the step is skipped.
//!
//! What it shows:
//!
//! - `client.consults().create(CreateConsult::new(..).symptoms(..).billing_mode(..))`;
//! - `SubmitClaim::idempotency_key(..)`: a key derived from your own records, so that submitting the same
//!   claim again (a retry, a restarted worker) never creates a second claim;
//! - `client.events().batch(..)`: a screening day's members, with the validation summary;
//! - `client.prescriptions().get(..)`;
//! - errors: a request rejected before sending names the field (`Error::InvalidRequest`), and an API error
//!   exposes its status, vendor code and request id. The vendor's message is left out on purpose: it can
//!   quote patient data, so it is only reachable through `ApiError::message()`.
//!
//! The process exits non-zero if any step fails.

use std::process::ExitCode;

use carewire::Error;
use carewire::medtimes::{
    BatchScreening, BillingMode, Client, CreateConsult, MedtimesError, SchemeDetails, ScreeningPatient, SubmitClaim,
};
use carewire::testkit::medtimes::Sandbox;
use carewire_examples::{Mode, Story, mode_for, opt};

#[tokio::main]
async fn main() -> ExitCode {
    let mode = mode_for(&["MEDTIMES_API_KEY"]);
    let mut story = Story::begin("Medtimes: consults, claims, screenings, prescriptions, errors", mode);
    // Keep the sandbox alive for the whole story: it stops when dropped.
    let sandbox = (mode == Mode::Sandbox).then(Sandbox::start);
    run(&mut story, sandbox.as_ref()).await;
    if story.end() == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

async fn run(story: &mut Story, sandbox: Option<&Sandbox>) {
    let built = match sandbox {
        Some(s) => Client::builder().api_key(Sandbox::API_KEY).base_url(s.base_url()).build(),
        None => Client::from_env(), // MEDTIMES_API_KEY, MEDTIMES_BASE_URL
    };
    let Some(client) = story.step("build the client", built, |c| format!("base URL {}", c.base_url())) else {
        return;
    };

    // 1. A consult: required parameters in `new`, the rest as setters.
    let consult = client
        .consults()
        .create(
            CreateConsult::new("usr_8921a")
                .symptoms(["persistent cough", "fever"])
                .billing_mode(BillingMode::MedicalAid)
                .scheme_details(SchemeDetails::new("Discovery Health", "123456789")),
        )
        .await;
    let Some(consult) = story.step("create a consult", consult, |c| {
        format!("{} is {}, join at {}", c.id, opt(c.status.as_ref()), opt(c.join_url.as_ref()))
    }) else {
        return;
    };

    // 2. A claim with an idempotency key taken from your own records (here: one claim per consult). The SDK
    //    sends it on every retry; sending the same claim again returns the first answer, not a new claim.
    let claim = SubmitClaim::new(["J20.9"], 45_000) // R450.00, in cents
        .patient_id("usr_8921a")
        .currency("zar")
        .tariff_codes(["0132"])
        .idempotency_key(format!("claim-{}", consult.id));
    story.note(format!("Idempotency-Key: {}", claim.idempotency_key_ref()));
    let first = client.claims().submit(claim.clone()).await;
    let Some(first) = story.step("submit the claim", first, |c| {
        format!(
            "claim {} is {}, {} {}",
            opt(c.id.as_ref()),
            opt(c.status.as_ref()),
            opt(c.amount.as_ref()),
            opt(c.currency.as_ref())
        )
    }) else {
        return;
    };
    let again = client.claims().submit(claim).await;
    if let Some(again) = story.step("submit the same claim again (a retry after a crash)", again, |c| {
        format!("answered with claim {}", opt(c.id.as_ref()))
    }) {
        let on_server = sandbox
            .map_or_else(|| "live: not counted".to_owned(), |s| format!("{} claim on the server", s.claim_count()));
        story.check(
            "the same key gave the same claim, not a second one",
            again.id == first.id && sandbox.is_none_or(|s| s.claim_count() == 1),
            on_server,
        );
    }

    // 3. A corporate screening day: every member in one batch. In the sandbox, a scheme number starting
    //    with SUSP (or none) counts as suspended.
    let batch = BatchScreening::new(
        "Standard Bank HQ Screening",
        [
            ScreeningPatient::new("8001015009087").name("Thandi Mokoena").scheme_number("DH-4410021"),
            ScreeningPatient::new("8505125009088").name("Pieter Botha").scheme_number("SUSP-77120"),
            ScreeningPatient::new("9002205009089").name("Ayesha Patel").scheme_number("GEMS-300118"),
        ],
    );
    let screening = client.events().batch(batch).await;
    if let Some(event) = story.step("submit a screening batch of 3 members", screening, |e| {
        let s = e.summary.as_ref();
        format!(
            "{} {}: {} received, {} validated, {} suspended",
            e.id,
            opt(e.status.as_ref()),
            opt(s.and_then(|s| s.total_received.as_ref())),
            opt(s.and_then(|s| s.validated.as_ref())),
            opt(s.and_then(|s| s.scheme_suspended.as_ref())),
        )
    }) && sandbox.is_some()
    {
        let summary = event.summary.as_ref();
        let counts = summary.map(|s| (s.total_received, s.validated, s.scheme_suspended));
        story.check(
            "one suspended member was flagged",
            counts == Some((Some(3), Some(2), Some(1))),
            opt(counts.as_ref()),
        );
    }

    // 4. The prescription written in the consult. Its id arrives in the `consult.completed` webhook; here
    //    the sandbox's doctor completes the consult.
    let prescription_id = match sandbox {
        Some(s) => s.complete_consult(&consult.id),
        None => std::env::var("MEDTIMES_PRESCRIPTION_ID").ok().filter(|id| !id.trim().is_empty()),
    };
    match prescription_id {
        Some(id) => {
            let rx = client.prescriptions().get(&id).await;
            story.step("retrieve the prescription", rx, |p| {
                let meds: Vec<String> = p
                    .medication
                    .iter()
                    .map(|m| format!("{} ({})", opt(m.name.as_ref()), opt(m.dosage.as_ref())))
                    .collect();
                // The collection token is a secret the patient shows at the pharmacy: not printed.
                format!("{} by {}, {}: {}", p.id, opt(p.doctor.as_ref()), opt(p.status.as_ref()), meds.join(", "))
            });
        }
        None if sandbox.is_some() => story.check("the doctor completes the consult", false, "no prescription"),
        None => story.skip("retrieve the prescription", "set MEDTIMES_PRESCRIPTION_ID to fetch one"),
    }

    // 5a. Client-side validation: nothing is sent, and the error names the field (never its value).
    let sent_before = sandbox.map(|s| s.server().received_total());
    let invalid = client.claims().submit(SubmitClaim::new(["bronchitis"], 45_000)).await;
    let field = match &invalid {
        Err(Error::InvalidRequest { field, .. }) => Some(field.to_string()),
        _ => None,
    };
    let nothing_sent = sent_before == sandbox.map(|s| s.server().received_total());
    story.check(
        "a claim with a free-text diagnosis is refused before sending",
        field.as_deref() == Some("icd10_codes[0]") && nothing_sent,
        match &invalid {
            Err(err) => format!("{err}"),
            Ok(_) => "it was accepted".to_owned(),
        },
    );

    // 5b. An API error: status, vendor code and request id are safe to log; the message may not be.
    match client.prescriptions().get("scr_does_not_exist").await {
        Ok(p) => story.check("an unknown prescription is a 404", false, format!("got {}", p.id)),
        Err(err) => {
            let typed_code = err.vendor_error::<MedtimesError>().and_then(|body| body.code);
            story.check(
                "an unknown prescription is a 404 with a vendor code",
                err.status() == Some(404) && err.api().and_then(|a| a.code()) == Some("resource_missing"),
                format!(
                    "status {}, code {}, typed {}, request id {}, retryable {}",
                    opt(err.status().as_ref()),
                    opt(err.api().and_then(|a| a.code()).as_ref()),
                    opt(typed_code.as_ref()),
                    opt(err.request_id().as_ref()),
                    err.is_retryable(),
                ),
            );
            story.note(format!("Display is safe to log: {err}"));
        }
    }
}
