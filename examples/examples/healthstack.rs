//! Healthstack end to end: a patient, consent by OTP, medical records of two types, a Medicard reserved,
//! assigned, activated and funded, and what happens when consent expires.
//!
//! ```sh
//! cargo run --example healthstack
//! ```
//!
//! With no credentials (the default, and what CI runs) the example starts the in-process Healthstack sandbox
//! on 127.0.0.1: no account, no network. In the sandbox a second business registers the patient, so ours must
//! ask for consent, as with a patient who walks in from another clinic.
//!
//! With `HEALTHSTACK_SECRET_KEY` set (and optionally `HEALTHSTACK_BASE_URL`) it talks to the real API instead;
//! use a test key, since it creates a patient, records and a Medicard. The OTP the patient receives is read
//! from `HEALTHSTACK_OTP`; Medicards are reserved for `HEALTHSTACK_BUSINESS_ID` when it is set, and simply
//! created otherwise. The consent-expiry steps need the sandbox's clock and are skipped in live mode.
//!
//! What it shows:
//!
//! - `patients().seek_consent(..)` then `grant_consent(.., otp)`: the token is kept in the client's consent
//!   store, the client's per-patient credential: every later operation on that patient (get, edit, create
//!   and list records: `Scope::ClientAndSubject`) sends it as `x-consent-token` beside the secret key;
//! - `records().create(..)` with typed data (`RecordData::Diagnosis`, `RecordData::VitalSigns`), and
//!   listing them: through the handle with a per-call timeout, and as an operation value sent with
//!   `client.send(ListRecords::new().record_type(..).health_id(..))`;
//! - `medicards()`: `reserve`, `list_reserved`, `assign`, `activate`, `fund`, `transactions`;
//! - consent lasts 24 hours. The client tracks the expiry with its `Clock` (`ManualClock` here, so the
//!   example can move time): an expired token is never sent, the call fails with a `HealthstackError`
//!   whose `is_consent_required()` is true, and seeking consent again recovers.
//!
//! The process exits non-zero if any step fails.

use std::process::ExitCode;
use std::time::Duration;

use carewire::healthstack::{
    ActivateMedicard, AssignMedicard, CONSENT_TTL, Client, CreateMedicard, CreatePatient, CreateRecord, Diagnosis,
    FundMedicard, Gender, HealthstackError, ListRecords, ManualClock, Medicard, Provider, RecordData, RecordType,
    ReserveMedicards, VitalSigns,
};
use carewire::testkit::healthstack::{BUSINESS_ID, OTHER_SECRET_KEY, SECRET_KEY, Sandbox};
use carewire_examples::{Mode, Story, mode_for, opt};
use chrono::{Days, NaiveDate, Utc};

#[tokio::main]
async fn main() -> ExitCode {
    let mode = mode_for(&["HEALTHSTACK_SECRET_KEY"]);
    let mut story = Story::begin("Healthstack: patient, consent, records, Medicard, expiry", mode);
    // Keep the sandbox alive for the whole story: it stops when dropped.
    let sandbox = (mode == Mode::Sandbox).then(Sandbox::start);
    run(&mut story, sandbox.as_ref()).await;
    if story.end() == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

async fn run(story: &mut Story, sandbox: Option<&Sandbox>) {
    // The client reads time from a clock; a manual one lets the example skip a day.
    let clock = ManualClock::new(Utc::now());
    let built = match sandbox {
        Some(s) => Client::builder().secret_key(SECRET_KEY).base_url(s.base_url()).clock(clock.clone()).build(),
        None => Client::from_env(), // HEALTHSTACK_SECRET_KEY, HEALTHSTACK_BASE_URL
    };
    let Some(client) = story.step("build the client", built, |c| format!("base URL {}", c.base_url())) else {
        return;
    };

    // 1. The patient, registered by another business in the sandbox.
    let registrar =
        sandbox.and_then(|s| Client::builder().secret_key(OTHER_SECRET_KEY).base_url(s.base_url()).build().ok());
    let registrar = registrar.as_ref().unwrap_or(&client);
    let dob = NaiveDate::from_ymd_opt(1988, 3, 14).unwrap_or_default();
    let new_patient = CreatePatient::new("Chiamaka Okafor", Gender::Female, dob, "23456789012", "chiamaka@example.com");
    let created = registrar.patients().create(new_patient).await;
    let Some(created) = story.step("register a patient", created, |p| format!("health id {}", p.health_id)) else {
        return;
    };
    let hid = created.health_id;

    // 2. Consent by OTP.
    if sandbox.is_some() {
        let before = client.patients().get(&hid).await;
        story.check(
            "another business's patient cannot be read without consent",
            before.as_ref().is_err_and(consent_required),
            before.as_ref().err().map_or_else(|| "it was readable".to_owned(), ToString::to_string),
        );
    }
    if !obtain_consent(story, &client, sandbox, &hid).await {
        return;
    }
    let patient = client.patients().get(&hid).await;
    story.step("read the patient (the consent token is sent for us)", patient, |p| {
        format!("{}, born {}", opt(p.full_name.as_ref()), opt(p.dob.as_ref()))
    });

    // 3. Records of two types, then the list with and without a type filter.
    let provider = Provider::new("Dr. Ngozi Eze", "NPRN-20431");
    let mut dx = Diagnosis::new();
    dx.diagnosis = Some("Uncomplicated malaria".into());
    dx.severity = Some("Moderate".into());
    dx.notes = Some("Artemether-lumefantrine started".into());
    let record = CreateRecord::new(&hid, RecordData::Diagnosis(dx), provider.clone());
    story.step("record a diagnosis", client.records().create(record).await, |r| format!("record {}", r.record_id));
    let mut vitals = VitalSigns::new();
    vitals.temperature = Some("38.4".into());
    vitals.heart_rate = Some("96".into());
    vitals.blood_pressure = Some("118/76".into());
    vitals.measured_at = Some(Utc::now().to_rfc3339());
    let record = CreateRecord::new(&hid, RecordData::VitalSigns(vitals), provider);
    story.step("record vital signs", client.records().create(record).await, |r| format!("record {}", r.record_id));
    let all = client.records().list(&hid, ListRecords::new()).timeout(Duration::from_secs(10)).await;
    story.step("list every record", all, |rs| {
        let kinds: Vec<String> = rs.iter().map(|r| opt(r.record_type.as_ref())).collect();
        format!("{} record(s): {}", rs.len(), kinds.join(", "))
    });
    let vitals_only = client.send(ListRecords::new().record_type(RecordType::VitalSigns).health_id(&hid)).await;
    if let Some(rs) =
        story.step("list with recordType=vital_signs", vitals_only, |rs| format!("{} record(s)", rs.len()))
    {
        let temperature = rs.iter().find_map(|r| match &r.data {
            RecordData::VitalSigns(v) => v.temperature.clone(),
            _ => None,
        });
        story.check(
            "the filter kept only the vital signs, typed",
            rs.len() == 1 && temperature.is_some(),
            format!("temperature {}", opt(temperature.as_ref())),
        );
    }

    // 4. A Medicard: reserve stock for the business and assign a card (or create one), activate it with a
    //    PIN, fund it, read its transactions.
    let Some(card) = medicard_for(story, &client, sandbox, &hid).await else {
        return;
    };
    let number = card.card_number;
    let activated = client.medicards().activate(ActivateMedicard::new(&hid, &number, "4432")).await;
    story.step("activate it with a PIN", activated, |s| format!("active: {}", opt(s.active.as_ref())));
    for (reference, amount) in [("clinic-topup-001", 5_000), ("clinic-topup-002", 2_500)] {
        let funded = client.medicards().fund(FundMedicard::new(&number, reference, amount)).await;
        story.step(&format!("fund it with {amount} ({reference})"), funded, |f| {
            format!("funded {}", opt(f.amount.as_ref()))
        });
    }
    let txs = client.medicards().transactions(&number).await;
    story.step("read its transactions", txs, |t| {
        let lines: Vec<String> =
            t.iter().map(|t| format!("{} {}", opt(t.transaction_ref.as_ref()), opt(t.amount.as_ref()))).collect();
        format!("{} transaction(s): {}", t.len(), lines.join(", "))
    });

    // 5. A day later the consent has expired.
    let Some(s) = sandbox else {
        story.skip("consent expiry", "needs the sandbox's clock");
        return;
    };
    clock.advance(CONSENT_TTL + Duration::from_secs(60));
    s.advance(CONSENT_TTL + Duration::from_secs(60));
    story.note("24 hours pass, on the client's clock and on the sandbox's");
    let sent_before = s.server().received_total();
    let stale = client.patients().get(&hid).await;
    let not_sent = s.server().received_total() == sent_before;
    let kind = stale.as_ref().err().and_then(HealthstackError::from_error).map(|e| e.kind);
    story.check(
        "the expired token is never sent: the call fails locally",
        stale.as_ref().is_err_and(consent_required) && not_sent,
        stale.as_ref().err().map_or_else(
            || "it succeeded".to_owned(),
            |_| format!("kind {}, nothing sent: {not_sent}", opt(kind.as_ref())),
        ),
    );
    story.check("the consent store no longer holds a valid token", client.consents().valid(&hid).is_none(), "expired");
    if obtain_consent(story, &client, sandbox, &hid).await {
        let again = client.patients().get(&hid).await;
        story.step("read the patient again with the new consent", again, |p| opt(p.full_name.as_ref()));
    }
}

/// Whether `err` is Healthstack's "consent required" (a 403, or a stored token that expired before sending).
fn consent_required(err: &carewire::Error) -> bool {
    err.vendor_error::<HealthstackError>().is_some_and(|e| e.is_consent_required())
}

/// Asks the patient for consent and exchanges the OTP for a token kept by the client. Returns whether it worked.
async fn obtain_consent(story: &mut Story, client: &Client, sandbox: Option<&Sandbox>, hid: &str) -> bool {
    let sought = client.patients().seek_consent(hid).await;
    if story.step("seek consent (the patient receives an OTP)", sought, |_| "OTP sent".to_owned()).is_none() {
        return false;
    }
    // The patient reads the OTP out; the sandbox tells us what it "sent".
    let otp = match sandbox {
        Some(s) => s.otp_sent_to(hid).unwrap_or_default(),
        None => std::env::var("HEALTHSTACK_OTP").unwrap_or_default(),
    };
    let granted = client.patients().grant_consent(hid, &otp).await;
    story.step("grant consent with the OTP", granted, |t| format!("token valid until {}", t.expires_at())).is_some()
}

/// A Medicard for the patient: reserved for the business and assigned when the business id is known (always
/// in the sandbox), created directly otherwise.
async fn medicard_for(story: &mut Story, client: &Client, sandbox: Option<&Sandbox>, hid: &str) -> Option<Medicard> {
    let business = match sandbox {
        Some(_) => Some(BUSINESS_ID.to_owned()),
        None => std::env::var("HEALTHSTACK_BUSINESS_ID").ok().filter(|b| !b.trim().is_empty()),
    };
    let Some(business) = business else {
        let created = client.medicards().create(CreateMedicard::new(hid, "Chiamaka's card", "Blue Medicard")).await;
        return story
            .step("create a Medicard", created, |c| format!("{}, balance {}", c.card_number, opt(c.balance.as_ref())));
    };
    let reserved = client.medicards().reserve(ReserveMedicards::new(2, "Blue Medicard")).await;
    story.step("reserve 2 blank Medicards", reserved, |_| "reserved".to_owned())?;
    let stock = client.medicards().list_reserved(&business).await;
    let stock = story.step("list the business's reserved cards", stock, |cards| {
        let numbers: Vec<&str> = cards.iter().map(|c| c.card_number.as_str()).collect();
        format!("{} unassigned: {}", cards.len(), numbers.join(", "))
    })?;
    let Some(blank) = stock.first() else {
        story.check("a reserved card is available", false, "none");
        return None;
    };
    let expires = Utc::now().date_naive().checked_add_days(Days::new(2 * 365)).unwrap_or_default();
    let assignment = AssignMedicard::new(hid, "Chiamaka's card", "Blue Medicard", &blank.card_number, expires);
    let assigned = client.medicards().assign(assignment).await;
    story.step("assign one to the patient", assigned, |c| {
        format!("{} for {}, balance {}", c.card_number, opt(c.health_id.as_ref()), opt(c.balance.as_ref()))
    })
}
