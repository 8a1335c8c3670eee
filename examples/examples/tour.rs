//! The carewire tour: a realistic story per vendor, printed step by step.
//!
//! ```sh
//! cargo run --example tour
//! ```
//!
//! With no credentials in the environment (the default, and what CI runs), every vendor's story runs
//! against its in-process sandbox on 127.0.0.1: no account, no network. When a vendor's variables are set
//! (`MEDTIMES_API_KEY`; `DOCPLANNER_CLIENT_ID`, `DOCPLANNER_CLIENT_SECRET`, `DOCPLANNER_LOCALE`;
//! `HEALTHSTACK_SECRET_KEY`; `MDLIVE_API_KEY`, `MDLIVE_API_PASSWORD`, `MDLIVE_OU`, `MDLIVE_BASE_URL`;
//! `MYMEDIC_BASE_URL` and its credentials), that
//! vendor's story talks to the real API instead; use test credentials, since
//! the story creates consults, claims, bookings and patients. Steps that need the sandbox's controls (completing
//! a consult, injecting a fault) are skipped in live mode.
//!
//! The process exits non-zero if any step fails.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use carewire::testkit::{Fault, RecordedRequest, Reply, TestServer};
use carewire::webhooks::{Vendor, WebhookEvent, WebhookReceiver};
use carewire::{MethodClass, RateLimiter};
use carewire_examples::{Mode, Story, mode_for, opt};

#[tokio::main]
async fn main() -> ExitCode {
    println!("carewire tour: one SDK, several health-care APIs, one error model.");
    let failures = medtimes().await
        + docplanner().await
        + healthstack().await
        + carewire_examples::mdlive::story().await
        + carewire_examples::mymedic::story().await;
    println!();
    if failures == 0 {
        println!("Tour finished: every step succeeded.");
        ExitCode::SUCCESS
    } else {
        println!("Tour finished with {failures} failed step(s).");
        ExitCode::FAILURE
    }
}

/// Medtimes: create a consult, submit a claim (surviving injected faults without a duplicate), fetch the
/// prescription, receive and verify a signed webhook, and respect a client-side rate limit.
async fn medtimes() -> usize {
    use carewire::medtimes::webhooks::EventData;
    use carewire::medtimes::{BillingMode, Client, CreateConsult, SchemeDetails, SubmitClaim, Webhooks};
    use carewire::testkit::medtimes::Sandbox;

    let mode = mode_for(&["MEDTIMES_API_KEY"]);
    let mut story = Story::begin("Medtimes: consult, claim, prescription, webhook", mode);
    let sandbox = (mode == Mode::Sandbox).then(Sandbox::start);
    let built = match &sandbox {
        Some(s) => Client::builder().api_key(Sandbox::API_KEY).base_url(s.base_url()).build(),
        None => Client::from_env(),
    };
    let Some(client) = story.step("build the client", built, |c| format!("base URL {}", c.base_url())) else {
        return story.end();
    };

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
        format!("{} is {}, expires at {}", c.id, opt(c.status.as_ref()), opt(c.expires_at.as_ref()))
    }) else {
        return story.end();
    };

    // A claim moves money: the SDK sends one Idempotency-Key and reuses it on every retry.
    let claim = SubmitClaim::new(["J20.9"], 45_000).patient_id("usr_8921a").currency("zar").tariff_codes(["0132"]);
    if let Some(s) = &sandbox {
        s.server().inject(Fault::status(503).times(2).on("POST", "/v1/claims/submit"));
        story.note("injected: the next two claim submissions answer 503 Service Unavailable");
    }
    let submitted = client.claims().submit(claim).await;
    let claim = story.step("submit a claim for R450.00", submitted, |c| {
        format!("claim {} is {}", opt(c.id.as_ref()), opt(c.status.as_ref()))
    });
    if let Some(s) = &sandbox {
        let attempts = s.server().received("POST", "/v1/claims/submit");
        let keys: Vec<String> = s
            .server()
            .requests()
            .iter()
            .filter(|r| r.path == "/v1/claims/submit")
            .filter_map(|r| r.header("idempotency-key").map(str::to_owned))
            .collect();
        let same_key = keys.len() == 3 && keys.iter().all(|k| *k == keys[0]);
        story.check(
            "retried through the faults without a duplicate",
            attempts == 3 && same_key && s.claim_count() == 1,
            format!("{attempts} attempts, one Idempotency-Key, {} claim on the server", s.claim_count()),
        );
    }

    let prescription_id = sandbox.as_ref().and_then(|s| s.complete_consult(&consult.id));
    match &prescription_id {
        Some(id) => {
            story.check("the doctor completes the consult", true, "a prescription was written");
            let rx = client.prescriptions().get(id).await;
            story.step("fetch the prescription", rx, |p| {
                let meds: Vec<_> = p.medication.iter().filter_map(|m| m.name.clone()).collect();
                format!("{} ({}): {}", p.id, opt(p.status.as_ref()), meds.join(", "))
            });
        }
        None if sandbox.is_some() => story.check("the doctor completes the consult", false, "no prescription"),
        None => story.skip("fetch the prescription", "needs a completed consult (sandbox only)"),
    }

    // Webhooks: the sandbox signs and POSTs events to our receiver, which verifies the raw body.
    if let (Some(s), Some(claim)) = (&sandbox, claim) {
        let receiver = WebhookReceiver::new().medtimes(Webhooks::new(Sandbox::WEBHOOK_SECRET));
        let received: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = received.clone();
        let endpoint = TestServer::start(move |req: &RecordedRequest| {
            let headers = req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            match receiver.receive(Vendor::Medtimes, headers, &req.body) {
                Ok(WebhookEvent::Medtimes(event)) => {
                    let line = match &event.data {
                        EventData::ClaimPaid(paid) => {
                            format!(
                                "claim.paid for {}, {} cents",
                                opt(paid.claim_id.as_ref()),
                                opt(paid.amount.as_ref())
                            )
                        }
                        other => format!("{}: {other:?}", event.event_type),
                    };
                    log.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(line);
                    Reply::no_content()
                }
                Ok(_) | Err(_) => Reply::status(400),
            }
        });
        let paid = claim.id.as_deref().and_then(|id| s.pay_claim(id));
        let url = endpoint.url("/webhooks/medtimes");
        let sent = match paid {
            Some(event) => s.send_webhook_async(&url, &event).await.map_err(|e| e.to_string()),
            None => Err("the sandbox has no such claim".to_owned()),
        };
        story.step("receive a signed claim.paid webhook", sent, |status| {
            let lines = received.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
            format!("receiver answered {status}; verified {}", lines.join("; "))
        });
        let forged = br#"{"type":"claim.paid","data":{"claim_id":"clm_forged","amount":999999}}"#;
        let status = carewire::core::reqwest::Client::new()
            .post(&url)
            .header("Medtimes-Signature", "00".repeat(32))
            .body(forged.to_vec())
            .send()
            .await
            .map(|r| r.status().as_u16())
            .ok();
        story.check("a forged webhook is refused", status == Some(400), format!("receiver answered {status:?}"));
    } else if sandbox.is_none() {
        story.skip("receive a signed webhook", "Medtimes sends webhooks to your registered URL (sandbox only here)");
    }

    // A client-side limiter: at most 2 reads per second, so the third waits instead of earning a 429.
    if let (Some(s), Some(rx)) = (&sandbox, &prescription_id) {
        let limiter = Arc::new(RateLimiter::new().budget(MethodClass::Read, 2, Duration::from_secs(1)));
        let limited = Client::builder().api_key(Sandbox::API_KEY).base_url(s.base_url()).rate_limiter(limiter).build();
        if let Some(limited) = story.step("a client limited to 2 reads per second", limited, |_| "built".to_owned()) {
            let start = Instant::now();
            let mut ok = true;
            for _ in 0..3 {
                ok &= limited.prescriptions().get(rx).await.is_ok();
            }
            let waited = start.elapsed();
            story.check(
                "the third read waited for the window",
                ok && waited >= Duration::from_millis(900),
                format!("3 reads took {:.2}s", waited.as_secs_f64()),
            );
        }
    }
    story.end()
}

/// Healthstack: create a patient, obtain consent by OTP, create and list records, create, activate and fund a
/// Medicard, and read its transactions.
async fn healthstack() -> usize {
    use carewire::healthstack::{
        ActivateMedicard, Client, CreateMedicard, CreatePatient, CreateRecord, Diagnosis, FundMedicard, Gender,
        ListRecords, Provider, RecordData,
    };
    use carewire::testkit::healthstack::{OTHER_SECRET_KEY, SECRET_KEY, Sandbox};

    let mode = mode_for(&["HEALTHSTACK_SECRET_KEY"]);
    let mut story = Story::begin("Healthstack: patient, consent, records, Medicard", mode);
    let sandbox = (mode == Mode::Sandbox).then(Sandbox::start);
    let built = match &sandbox {
        Some(s) => Client::builder().secret_key(SECRET_KEY).base_url(s.base_url()).build(),
        None => Client::from_env(),
    };
    let Some(client) = story.step("build the client", built, |c| format!("base URL {}", c.base_url())) else {
        return story.end();
    };
    // In the sandbox, another business registers the patient, so ours must ask for consent.
    let registrar = match &sandbox {
        Some(s) => Client::builder().secret_key(OTHER_SECRET_KEY).base_url(s.base_url()).build().ok(),
        None => None,
    };
    let registrar = registrar.as_ref().unwrap_or(&client);
    let dob = chrono::NaiveDate::from_ymd_opt(2018, 6, 16).unwrap_or_default();
    let new_patient = CreatePatient::new("Jane Doe", Gender::Female, dob, "12345678901", "jane@example.com");
    let created = registrar.patients().create(new_patient).await;
    let Some(created) = story.step("create a patient", created, |p| format!("health id {}", p.health_id)) else {
        return story.end();
    };
    let hid = created.health_id.clone();

    let before = client.patients().get(&hid).await;
    story.check(
        "reading another business's patient needs consent",
        before.as_ref().is_err_and(|e| {
            e.vendor_error::<carewire::healthstack::HealthstackError>().is_some_and(|h| h.is_consent_required())
        }),
        "refused: consent required",
    );
    story.step("seek consent (the patient receives an OTP)", client.patients().seek_consent(&hid).await, |_| {
        "OTP sent".to_owned()
    });
    let otp = match &sandbox {
        Some(s) => s.otp_sent_to(&hid).unwrap_or_default(),
        None => std::env::var("HEALTHSTACK_OTP").unwrap_or_default(),
    };
    let token = client.patients().grant_consent(&hid, &otp).await;
    story.step("grant consent with the OTP", token, |t| format!("token valid until {}", t.expires_at()));
    let patient = client.patients().get(&hid).await;
    story.step("read the patient (x-consent-token sent automatically)", patient, |p| {
        format!("born {}", opt(p.dob.as_ref()))
    });

    let mut dx = Diagnosis::new();
    dx.diagnosis = Some("Acute malaria".into());
    dx.severity = Some("Moderate".into());
    let record = CreateRecord::new(&hid, RecordData::Diagnosis(dx), Provider::new("Dr. Ada Obi", "NPRN-0001"));
    story.step("create a diagnosis record", client.records().create(record).await, |r| {
        format!("record {}", r.record_id)
    });
    story.step("list the patient's records", client.records().list(&hid, ListRecords::new()).await, |rs| {
        let kinds: Vec<String> = rs.iter().map(|r| opt(r.record_type.as_ref())).collect();
        format!("{} record(s): {}", rs.len(), kinds.join(", "))
    });

    let card = client.medicards().create(CreateMedicard::new(&hid, "Jane's card", "Blue Medicard")).await;
    let Some(card) =
        story.step("create a Medicard", card, |c| format!("{}, balance {}", c.card_number, opt(c.balance.as_ref())))
    else {
        return story.end();
    };
    let activated = client.medicards().activate(ActivateMedicard::new(&hid, &card.card_number, "4432")).await;
    story.step("activate it with a PIN", activated, |s| format!("active: {}", opt(s.active.as_ref())));
    let funded = client.medicards().fund(FundMedicard::new(&card.card_number, "tour-001", 5000)).await;
    story.step("fund it with 5000", funded, |f| format!("funded {}", opt(f.amount.as_ref())));
    let txs = client.medicards().transactions(&card.card_number).await;
    story.step("read its transactions", txs, |t| format!("{} transaction(s)", t.len()));
    story.end()
}

/// Docplanner: OAuth2 token, facility, slots, booking, bookings as a stream, cancellation, notifications.
async fn docplanner() -> usize {
    use carewire::docplanner::{
        BookSlot, BookingsWith, CancelBooking, Client, FacilityWith, ListBookingsExt, PatientInput, ReplaceSlots,
        SlotInput, SlotsWith,
    };
    use carewire::testkit::docplanner::{
        ADDRESS_ID, ADDRESS_SERVICE_ID, CLIENT_ID, CLIENT_SECRET, DOCTOR_ID, FACILITY_ID, Sandbox,
    };
    use futures_util::TryStreamExt;

    let mode = mode_for(&["DOCPLANNER_CLIENT_ID", "DOCPLANNER_CLIENT_SECRET", "DOCPLANNER_LOCALE"]);
    let mut story = Story::begin("Docplanner: token, slots, booking, bookings stream, notifications", mode);
    let sandbox = (mode == Mode::Sandbox).then(Sandbox::start);
    let built = match &sandbox {
        Some(s) => Client::builder().base_url(s.base_url()).credentials(CLIENT_ID, CLIENT_SECRET).build(),
        None => Client::from_env(),
    };
    let Some(client) = story.step("build the client (OAuth2 client credentials)", built, |_| "ready".to_owned()) else {
        return story.end();
    };

    let facility_id = match &sandbox {
        Some(_) => FACILITY_ID.to_owned(),
        None => std::env::var("DOCPLANNER_FACILITY_ID").unwrap_or_default(),
    };
    let facility = client.facility(&facility_id).get().with(FacilityWith::Doctors).await;
    let Some(facility) = story.step("fetch a token, then the facility with its doctors", facility, |f| {
        let doctors = f.doctors.as_ref().map_or(0, |d| d.items.len());
        format!("facility {} with {doctors} doctor(s)", f.id)
    }) else {
        return story.end();
    };
    if let Some(s) = &sandbox {
        story.check(
            "one token served every call so far",
            s.tokens_issued() == 1,
            format!("{} issued", s.tokens_issued()),
        );
    }
    let doctor_id =
        facility.doctors.as_ref().and_then(|d| d.items.first()).map_or(DOCTOR_ID.to_owned(), |d| d.id.clone());
    let address_id = match &sandbox {
        Some(_) => ADDRESS_ID.to_owned(),
        None => std::env::var("DOCPLANNER_ADDRESS_ID").unwrap_or_default(),
    };
    let address = client.facility(&facility.id).doctor(&doctor_id).address(&address_id);

    // A day far enough ahead to be bookable, with its UTC offset sent explicitly.
    let day = chrono::Utc::now().date_naive() + chrono::Days::new(30);
    let at = |h: u32| {
        let t = day.and_hms_opt(h, 0, 0).unwrap_or_default();
        chrono::DateTime::<chrono::FixedOffset>::from_naive_utc_and_offset(
            t - chrono::TimeDelta::hours(2),
            two_hours_east(),
        )
    };
    if sandbox.is_some() {
        let replaced = address
            .slots()
            .replace(ReplaceSlots::new().slot(SlotInput::new(at(9), at(11)).service(ADDRESS_SERVICE_ID, 30)))
            .await;
        story.step("publish 09:00-11:00 in 30-minute slots", replaced, |()| "calendar updated".to_owned());
    }
    let slots = address.slots().list(at(0), at(23)).with(SlotsWith::Services).await;
    let Some(slots) = story.step("list the free slots", slots, |s| {
        let first = s.items.first().map_or_else(|| "-".to_owned(), |slot| slot.start.to_rfc3339());
        format!("{} free, first at {first}", s.items.len())
    }) else {
        return story.end();
    };
    let service_id = slots
        .items
        .first()
        .and_then(|s| s.address_services.as_ref())
        .and_then(|s| s.items.first())
        .map_or(ADDRESS_SERVICE_ID.to_owned(), |s| s.id.clone());
    let mut booked = Vec::new();
    for slot in slots.items.iter().take(2) {
        let patient = PatientInput::new("Ada", "+48123123123").surname("Lovelace");
        let booking = address.slots().book(slot.start, BookSlot::new(&service_id, 30, patient)).await;
        if let Some(b) = story.step("book a slot (its start travels percent-encoded in the path)", booking, |b| {
            format!("booking {} at {}", opt(b.id.as_ref()), opt(b.start_at.as_ref()))
        }) {
            booked.extend(b.id);
        }
    }
    let listed: Result<Vec<_>, _> =
        address.bookings().list(at(0), at(23)).with(BookingsWith::Patient).per_page(1).stream().try_collect().await;
    story.step("list the day's bookings as a stream, one per page", listed, |b| format!("{} booking(s)", b.len()));
    if let Some(id) = booked.first() {
        let canceled = address.bookings().cancel(id, CancelBooking::new().reason("The patient called to cancel")).await;
        story.step("cancel the first booking", canceled, |()| format!("booking {id} canceled"));
    }
    let pulled = client.notifications().pull().await;
    story.step("pull the oldest notification", pulled, |n| {
        n.as_ref().map_or_else(|| "queue empty".to_owned(), |n| format!("{:?}", n.name))
    });
    let rest: Result<Vec<_>, _> = client.notifications().stream(10).try_collect().await;
    story.step("drain the queue as a stream", rest, |n| {
        format!("{} more: {:?}", n.len(), n.iter().map(|n| n.name.clone()).collect::<Vec<_>>())
    });
    if let Some(rl) = client.rate_limit() {
        story.note(format!(
            "rate limit: {} of {} left; carewire's client-side limiter keeps you under 40 writes a minute",
            opt(rl.remaining.as_ref()),
            opt(rl.limit.as_ref())
        ));
    }
    story.end()
}

fn two_hours_east() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(2 * 3600).expect("+02:00 is a valid offset")
}
