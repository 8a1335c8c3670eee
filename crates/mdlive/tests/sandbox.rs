//! End to end against `carewire_testkit::mdlive::Sandbox`: the client's tokens against a server that issues
//! real JWTs with `exp`, TTLs and extension rules, and the scheduling, assessment and webhook flows.

use std::time::Duration;

use carewire_core::Error;
use carewire_mdlive::webhooks::{self, Action, EventData};
use carewire_mdlive::{
    AppointmentMethod, Client, ClientBuilder, Gender, MdliveError, NewAppointment, PatientIdentity, ProviderSearch,
    Relationship,
};
use carewire_testkit::mdlive::{self, Sandbox};
use chrono::NaiveDate;
use futures_util::TryStreamExt;

fn builder(sandbox: &Sandbox) -> ClientBuilder {
    Client::builder()
        .api_key(mdlive::API_KEY)
        .password(mdlive::API_PASSWORD)
        .ou(mdlive::OU)
        .base_url(sandbox.base_url())
}

fn ada() -> PatientIdentity {
    PatientIdentity::new("Ada", "Lovelace")
        .gender(Gender::Female)
        .birthdate(NaiveDate::from_ymd_opt(1960, 12, 31).unwrap())
        .subscriber_id("SUB-ADA")
        .member_id("M-ADA")
        .phone("555-555-5555")
        .email("ada@example.com")
        .address("1 Main St", "Sunrise", "FL", "33303")
        .relationship(Relationship::Primary)
}

fn patient_number(session: &carewire_mdlive::PatientSession) -> u64 {
    session.patient_id().parse().expect("the sandbox's patient ids are numbers")
}

#[tokio::test]
async fn scheduling_a_visit_end_to_end() {
    let sandbox = Sandbox::start();
    let client = builder(&sandbox).build().unwrap();
    let session = client.sign_in(ada()).await.unwrap();
    // Every provider, page by page.
    let providers: Vec<_> =
        session.scheduling().search_providers(ProviderSearch::new("FL")).stream().try_collect().await.unwrap();
    assert_eq!(providers.len(), mdlive::SEEDED_PROVIDERS);
    // A slot of the doc's provider, with the patient's token and with the API token.
    let provider = mdlive::PROVIDER_ID.to_string();
    let profile = session.scheduling().provider_profile(&provider, 3).await.unwrap();
    let via_api = client.providers().profile(&provider, 3, session.patient_id()).await.unwrap();
    assert_eq!(profile.provider_details.id, via_api.provider_details.id);
    let slot = profile.availability_details.unwrap().available_hours[0].start_time().expect("a slot");
    let booked = NewAppointment::with_provider(&provider, slot, 3, "FL")
        .appointment_method(AppointmentMethod::Video)
        .chief_complaint("Sore throat")
        .survey_answer("Emergency Room")
        .customer_call_in_number("5555555555")
        .consent("AL");
    let created = session.scheduling().create_appointment(booked.clone()).await.unwrap();
    assert!(created.id.is_some(), "{created:?}");
    assert!(!sandbox.open_slots(mdlive::PROVIDER_ID).contains(&slot), "the slot was taken");
    // The same slot again is a conflict, read through the typed error.
    let err = session.scheduling().create_appointment(booked).await.unwrap_err();
    assert_eq!(err.vendor_error::<MdliveError>().map(|e| e.status), Some(409), "{err:?}");
    let first_available = NewAppointment::first_available(3, "FL")
        .appointment_method(AppointmentMethod::Phone)
        .chief_complaint("Cough")
        .survey_answer("Emergency Room")
        .customer_call_in_number("5555555555")
        .consent("AL");
    session.scheduling().create_appointment(first_available).await.unwrap();
    assert_eq!(sandbox.appointment_ids(patient_number(&session)).len(), 2);
}

#[tokio::test]
async fn tokens_against_the_sandbox() {
    let sandbox = Sandbox::start();
    let client = builder(&sandbox).build().unwrap();
    client.assessments().list().await.unwrap();
    client.assessments().get("PHQ-9").await.unwrap();
    assert_eq!(sandbox.api_tokens_issued(), 1, "the API token is reused");
    let session = client.sign_in(ada()).await.unwrap();
    let patient = patient_number(&session);
    assert!(sandbox.assign_assessment(patient, mdlive::PROVIDER_ID, "PHQ-9"));
    assert_eq!(session.assessments().assignments().await.unwrap().len(), 1);
    // Every token expires at once: the API token is fetched again, the patient signed in again.
    sandbox.expire_all_tokens();
    client.assessments().list().await.unwrap();
    session.assessments().assignments().await.unwrap();
    assert_eq!(sandbox.api_tokens_issued(), 2);
    assert_eq!(sandbox.sign_ins(patient), 2);
    // Answers are scored.
    let answers = (0..9).map(|i| (i.to_string(), "1"));
    let response = session.assessments().create_response("PHQ-9", answers).await.unwrap();
    assert_eq!(response.numeric_score, Some(9));
}

#[tokio::test]
async fn short_lived_user_tokens_are_extended_while_valid() {
    let sandbox = Sandbox::builder().user_token_ttl(Duration::from_secs(4)).start();
    let client = builder(&sandbox).build().unwrap();
    let session = client.sign_in(ada()).await.unwrap();
    session.assessments().list().await.unwrap();
    // The JWT's exact exp (not the TTL rounded up to a minute) rules: renewed half-way, by extension.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    session.assessments().assignments().await.unwrap();
    assert_eq!(sandbox.user_tokens_extended(), 1);
    assert_eq!(sandbox.sign_ins(patient_number(&session)), 1);
}

#[tokio::test]
async fn a_resumed_session_and_the_enterprise_hash() {
    let sandbox = Sandbox::builder().enterprise_secret(mdlive::ENTERPRISE_SECRET).start();
    let client = builder(&sandbox).enterprise_secret(mdlive::ENTERPRISE_SECRET).build().unwrap();
    let session = client.sign_in(ada()).await.unwrap();
    let patient = patient_number(&session);
    // A wrong secret is refused by the server: an auth error with its status.
    let wrong = builder(&sandbox).enterprise_secret("not-the-secret").build().unwrap();
    let err = wrong.sign_in(ada()).await.unwrap_err();
    assert!(matches!(err, Error::Auth(ref a) if a.status() == Some(401)), "{err:?}");
    // Another client resumes the patient from a token: it works until the token stops.
    let other = builder(&sandbox).build().unwrap();
    let jwt = sandbox.issue_user_token(patient).unwrap();
    let resumed = other.resume_session(session.patient_id(), jwt.clone(), Duration::from_secs(3600)).unwrap();
    resumed.assessments().assignments().await.unwrap();
    sandbox.expire_token(&jwt);
    let err = resumed.assessments().assignments().await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert_eq!(sandbox.sign_ins(patient), 1, "no identity to sign in with");
}

#[tokio::test]
async fn webhooks_register_and_parse() {
    let sandbox = Sandbox::start();
    let client = builder(&sandbox).build().unwrap();
    let url = "https://hooks.example.com/mdlive/6c1f";
    assert_eq!(client.webhooks().register(url).await.unwrap().url.as_deref(), Some(url));
    assert_eq!(sandbox.webhook_url().as_deref(), Some(url));
    let session = client.sign_in(ada()).await.unwrap();
    let appointment = NewAppointment::first_available(3, "FL")
        .appointment_method(AppointmentMethod::Video)
        .chief_complaint("Rash")
        .survey_answer("Emergency Room")
        .customer_call_in_number("5555555555")
        .consent("AL");
    let id: u64 = session.scheduling().create_appointment(appointment).await.unwrap().id.unwrap().parse().unwrap();
    let event = sandbox.accept_appointment(id, mdlive::PROVIDER_ID).expect("an event");
    let parsed = webhooks::parse(event.to_string().as_bytes()).unwrap().assume_verified();
    assert_eq!(parsed.action, Action::ConsultationProviderAccepted);
    let EventData::Appointment(a) = parsed.data else { panic!("{:?}", parsed.data) };
    assert_eq!(a.id, id.to_string());
    assert_eq!(a.patient_id.as_deref(), Some(session.patient_id()));
}
