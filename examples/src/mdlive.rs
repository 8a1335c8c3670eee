//! The MDLIVE story, run by `cargo run --example mdlive` and by the tour: the client's API token, a
//! patient's sign-in and session, provider search, a booked appointment, assessments, token renewal, webhook
//! registration and an event, and how errors look.

use carewire::Error;
use carewire::mdlive::webhooks::{self, EventData};
use carewire::mdlive::{
    AppointmentMethod, Client, Gender, MdliveError, NewAppointment, PatientIdentity, ProviderSearch, Relationship,
};
use carewire::testkit::mdlive::{self as sandbox_kit, Sandbox};
use chrono::NaiveDate;
use futures_util::TryStreamExt;

use crate::{Mode, Story, mode_for, opt};

/// The variables that switch the story to a live MDLIVE environment.
pub const LIVE_VARS: &[&str] = &["MDLIVE_API_KEY", "MDLIVE_API_PASSWORD", "MDLIVE_OU", "MDLIVE_BASE_URL"];

/// Runs the story (against the sandbox unless [`LIVE_VARS`] are set); returns the number of failed steps.
pub async fn story() -> usize {
    let mode = mode_for(LIVE_VARS);
    let mut story = Story::begin("MDLIVE: tokens, sessions, scheduling, assessments, webhooks, errors", mode);
    // Keep the sandbox alive for the whole story: it stops when dropped.
    let sandbox = (mode == Mode::Sandbox).then(Sandbox::start);
    run(&mut story, sandbox.as_ref()).await;
    story.end()
}

fn patient() -> PatientIdentity {
    PatientIdentity::new("Ada", "Lovelace")
        .gender(Gender::Female)
        .birthdate(NaiveDate::from_ymd_opt(1960, 12, 31).expect("a date"))
        .subscriber_id("CAREWIRE-EXAMPLE-1")
        .member_id("CAREWIRE-M-1")
        .phone("555-555-5555")
        .email("ada@example.com")
        .address("1 Main St", "Sunrise", "FL", "33303")
        .relationship(Relationship::Primary)
}

async fn run(story: &mut Story, sandbox: Option<&Sandbox>) {
    let built = match sandbox {
        Some(s) => Client::builder()
            .api_key(sandbox_kit::API_KEY)
            .password(sandbox_kit::API_PASSWORD)
            .ou(sandbox_kit::OU)
            .base_url(s.base_url())
            .build(),
        None => Client::from_env(),
    };
    let Some(client) = story.step("build the client", built, |c| format!("base URL {}", c.base_url())) else {
        return;
    };

    // 1. A catalogue call with the API token: fetched once, then reused.
    let catalogue = client.assessments().list().await;
    story.step("list the assessments (API token)", catalogue, |list| {
        list.iter().map(|a| a.key.clone()).collect::<Vec<_>>().join(", ")
    });
    let _ = client.assessments().get("PHQ-9").await;
    if let Some(s) = sandbox {
        story.check(
            "one API token for two calls",
            s.api_tokens_issued() == 1,
            format!("{} issued", s.api_tokens_issued()),
        );
    }

    // 2. Sign a patient in: the session carries the patient's token from now on.
    let Some(session) =
        story.step("sign the patient in", client.sign_in(patient()).await, |s| format!("patient {}", s.patient_id()))
    else {
        return;
    };

    // 3. Providers, every page, then one provider's bookable hours.
    let providers =
        session.scheduling().search_providers(ProviderSearch::new("FL")).stream().try_collect::<Vec<_>>().await;
    let Some(providers) =
        story.step("search providers in Florida (all pages)", providers, |p| format!("{} providers", p.len()))
    else {
        return;
    };
    let Some(provider) = providers.first() else {
        story.check("a provider is available", false, "none");
        return;
    };
    let profile = session.scheduling().provider_profile(&provider.id, 3).await;
    let slot = story
        .step("the provider's profile", profile, |p| {
            let hours = p.availability_details.as_ref().map_or(0, |a| a.available_hours.len());
            format!("{} with {hours} open slots", opt(p.provider_details.fullname.as_ref()))
        })
        .and_then(|p| p.availability_details?.available_hours.first()?.start_time());

    // 4. Book the first slot (or the first available provider when none is listed).
    let appointment = match slot {
        Some(start) => NewAppointment::with_provider(&provider.id, start, 3, "FL"),
        None => NewAppointment::first_available(3, "FL"),
    }
    .appointment_method(AppointmentMethod::Video)
    .chief_complaint("Sore throat")
    .survey_answer("Emergency Room")
    .customer_call_in_number("5555555555")
    .consent("AL");
    let created = session.scheduling().create_appointment(appointment).await;
    let appointment_id = story
        .step("book an appointment", created, |a| format!("appointment {}", opt(a.id.as_ref())))
        .and_then(|a| a.id);

    // 5. Tokens expire; the client renews them without the caller noticing.
    if let Some(s) = sandbox {
        s.expire_all_tokens();
        let again = session.assessments().assignments().await;
        story.step("a call after every token expired", again, |a| format!("{} assignments", a.len()));
        let patient: u64 = session.patient_id().parse().unwrap_or_default();
        story.check(
            "the patient was signed in again",
            s.sign_ins(patient) == 2,
            format!("{} sign-ins", s.sign_ins(patient)),
        );
    } else {
        story.skip("expire every token", "sandbox only");
    }

    // 6. Webhooks: register an https URL; an event arrives unverified (MDLIVE signs nothing).
    let registered = client.webhooks().register("https://hooks.example.com/mdlive/6c1f").await;
    story.step("register the webhook URL", registered, |w| opt(w.url.as_ref()));
    match (sandbox, appointment_id.as_deref().and_then(|id| id.parse::<u64>().ok())) {
        (Some(s), Some(id)) => {
            let body = s.accept_appointment(id, provider.id.parse().unwrap_or_default()).map(|e| e.to_string());
            let parsed = body.as_deref().map(|b| webhooks::parse(b.as_bytes()));
            match parsed {
                Some(Ok(delivery)) => {
                    // Here the delivery would be authenticated (a secret path, an IP allow-list) before use.
                    let event = delivery.assume_verified();
                    let status = match &event.data {
                        EventData::Appointment(a) => opt(a.status.as_ref()),
                        other => format!("{other:?}"),
                    };
                    story.check(
                        "an accepted-consultation event",
                        event.name() == "consultation:provider:accepted",
                        status,
                    );
                }
                Some(Err(err)) => story.check("an accepted-consultation event", false, err),
                None => story.check("an accepted-consultation event", false, "the sandbox made none"),
            }
        }
        _ => story.skip("receive a webhook event", "sandbox only"),
    }

    // 7a. Refused before sending: the field is named, never its value.
    let invalid = client.webhooks().register("http://hooks.example.com/plain").await;
    story.check(
        "an http webhook URL is refused before sending",
        matches!(&invalid, Err(Error::InvalidRequest { field, .. }) if field == "webhook.url"),
        invalid.err().map_or_else(|| "accepted".to_owned(), |e| e.to_string()),
    );

    // 7b. An API error: the status and the typed view are safe to log.
    match client.assessments().get("NO-SUCH-ASSESSMENT").await {
        Ok(a) => story.check("an unknown assessment is a 404", false, a.key),
        Err(err) => {
            let typed = err.vendor_error::<MdliveError>();
            story.check(
                "an unknown assessment is a 404",
                err.status() == Some(404) && typed.as_ref().is_some_and(|t| t.status == 404),
                format!("{err}; typed status {}", opt(typed.map(|t| t.status).as_ref())),
            );
        }
    }
}
