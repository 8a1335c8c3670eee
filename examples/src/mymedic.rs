//! The MyMedic story, run by `cargo run --example mymedic` and by the tour: OAuth2 client credentials,
//! programs filtered and streamed over offset pages, an idempotent booking, a slot conflict, a status update,
//! medical records through the escape hatch, a scope error, and an unverified webhook.

use carewire::Request;
use carewire::mymedic::webhooks::{self, EventData};
use carewire::mymedic::{
    AppointmentStatus, Client, CreateAppointment, ListHealthPrograms, MEDICAL_RECORDS_PATH, MyMedicError, Participant,
    ProgramStatus, Slot, UpdateAppointmentStatus,
};
use carewire::testkit::mymedic::Sandbox;
use futures_util::TryStreamExt;

use crate::{Mode, Story, mode_for, opt};

/// Runs the story (against the sandbox unless `MYMEDIC_BASE_URL` is set); returns the number of failed steps.
pub async fn story() -> usize {
    let mode = mode_for(&["MYMEDIC_BASE_URL"]);
    let mut story = Story::begin("MyMedic: programs, bookings, records, scopes, webhooks", mode);
    // Keep the sandbox alive for the whole story: it stops when dropped.
    let sandbox = (mode == Mode::Sandbox).then(Sandbox::start);
    run(&mut story, sandbox.as_ref()).await;
    story.end()
}

fn sandbox_client(sandbox: &Sandbox, scopes: &[&str]) -> carewire::Result<Client> {
    Client::builder()
        .base_url(sandbox.base_url())
        .client_credentials(Sandbox::CLIENT_ID, Sandbox::CLIENT_SECRET)
        .token_url(sandbox.token_url()) // MyMedic documents no token endpoint: you name it
        .scopes(scopes.iter().copied())
        .build()
}

async fn run(story: &mut Story, sandbox: Option<&Sandbox>) {
    let built = match sandbox {
        Some(s) => sandbox_client(s, &["programs.read", "appointments.write", "records.read"]),
        None => Client::from_env(),
    };
    let Some(client) = story.step("build the client", built, |c| format!("base URL {}", c.base_url())) else {
        return;
    };

    // 1. Programs: filters go in the query string (`filters[status]=active`), pages by offset.
    let active = client.programs().list(ListHealthPrograms::new().status(ProgramStatus::Active).limit(2)).await;
    let Some(first_page) = story.step("list active programs (one page of 2)", active, |page| {
        let names: Vec<String> = page.programs.iter().map(|p| opt(p.name.as_ref())).collect();
        format!("{} on the page: {}", page.programs.len(), names.join(", "))
    }) else {
        return;
    };
    let yoga: carewire::Result<Vec<_>> =
        client.programs().list(ListHealthPrograms::new().program_type("yoga").limit(2)).stream().try_collect().await;
    story.step("stream every yoga program, two per page", yoga, |all| {
        format!("{} programs: {}", all.len(), all.iter().map(|p| opt(p.id.as_ref())).collect::<Vec<_>>().join(", "))
    });
    let Some(program_id) = first_page.programs.first().and_then(|p| p.id.clone()) else {
        story.check("a program to book", false, "the first page is empty");
        return;
    };

    // 2. A booking with a key from your own records: sending it again cannot book twice.
    let booking = CreateAppointment::new(
        program_id.clone(),
        Participant::new().name("Asha Rao").email("asha@example.com").medical_id("MED-1001"),
        Slot::new("2025-04-08", "10:00"),
    )
    .idempotency_key(format!("booking-MED-1001-{program_id}-2025-04-08T10:00"));
    let booked = client.appointments().create(booking.clone()).await;
    let Some(appointment) =
        story.step("book a slot", booked, |a| format!("{} is {}", opt(a.id.as_ref()), opt(a.status.as_ref())))
    else {
        return;
    };
    let again = client.appointments().create(booking).await;
    if let Some(again) = story.step("send the same booking again (a retry after a crash)", again, |a| {
        format!("answered with {}", opt(a.id.as_ref()))
    }) {
        story.check(
            "the same key gave the same appointment",
            again.id == appointment.id && sandbox.is_none_or(|s| s.appointment_count() == 1),
            sandbox
                .map_or_else(|| "live: not counted".to_owned(), |s| format!("{} on the server", s.appointment_count())),
        );
    }

    // 3. Someone else books the same slot: a typed SLOT_UNAVAILABLE with its details.
    let rival = CreateAppointment::new(program_id, Participant::new().name("Ravi K"), Slot::new("2025-04-08", "10:00"));
    match client.appointments().create(rival).await {
        Ok(a) => story.check("a taken slot is refused", false, format!("booked {}", opt(a.id.as_ref()))),
        Err(err) => {
            let taken = MyMedicError::from_error(&err).and_then(|e| e.slot_unavailable());
            story.check(
                "a taken slot is SLOT_UNAVAILABLE",
                taken.is_some(),
                taken.map_or_else(
                    || err.to_string(),
                    |t| format!("{} ({})", opt(t.slot.as_ref()), opt(t.reason.as_ref())),
                ),
            );
            story.note(format!("Display is safe to log: {err}"));
        }
    }

    // 4. The session took place.
    let Some(appointment_id) = appointment.id.clone() else { return };
    let update =
        UpdateAppointmentStatus::new(&appointment_id, AppointmentStatus::Completed).notes("Follow up in 2 weeks");
    let updated = client.appointments().update_status(update).await;
    story.step("mark it completed", updated, |a| {
        a.as_ref().map_or_else(|| "accepted (no body)".to_owned(), |a| format!("now {}", opt(a.status.as_ref())))
    });

    let Some(sandbox) = sandbox else {
        story.skip("medical records, scope errors, webhooks", "sandbox-only steps");
        return;
    };

    // 5. Medical records: named by the guide, not documented; reached through the escape hatch.
    sandbox.add_medical_record("MED-1001", serde_json::json!({"type": "vitals", "bp": "120/80"}));
    let records = client
        .request::<serde_json::Value>(
            Request::get(MEDICAL_RECORDS_PATH).operation("records.list").query("medicalId", "MED-1001"),
        )
        .await;
    story.step("read medical records through client.request", records, |r| format!("{} record(s)", r["total"]));

    // 6. A client without the write scope: the error says which scope the booking needs.
    if let Some(read_only) = story.step("build a read-only client", sandbox_client(sandbox, &["programs.read"]), |_| {
        "scopes: programs.read".to_owned()
    }) {
        let attempt =
            CreateAppointment::new("prg_002", Participant::new().name("Meera"), Slot::new("2025-04-09", "09:00"));
        let err = read_only.appointments().create(attempt).await.err();
        let scope = err.as_ref().and_then(MyMedicError::from_error).and_then(|e| e.scope_error());
        story.check(
            "the 403 names the scope the operation needs",
            scope.as_ref().and_then(|s| s.scope()) == Some("appointments.write"),
            scope.map_or_else(|| "no scope error".to_owned(), |s| s.to_string()),
        );
    }

    // 7. Webhooks are unsigned: parsing gives an `Unverified` event, trusted only on purpose.
    let Some(event) = sandbox.events().into_iter().find(|e| e["event"] == "appointment.completed") else {
        story.check("the sandbox emitted appointment.completed", false, "no such event");
        return;
    };
    let parsed = webhooks::parse(event.to_string().as_bytes());
    if let Some(delivery) = story.step("parse the appointment.completed webhook", parsed, |d| {
        format!("{} (unverified: MyMedic signs nothing)", d.peek().event_type)
    }) {
        // In a real receiver: only after checking the delivery came on your secret URL.
        let event = delivery.assume_verified();
        let completed = matches!(&event.data, EventData::AppointmentCompleted(d) if d.appointment_id.as_deref() == Some(appointment_id.as_str()));
        story.check("it names the appointment", completed, opt(event.id.as_ref()));
    }
}
