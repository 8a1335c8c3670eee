//! The real client against the testkit sandbox: token → facility → slots → book → list → cancel →
//! notifications.

use carewire_docplanner::{
    AddressServiceWith, BookSlot, BookingStatus, BookingWith, BookingsWith, CancelBooking, Client, ConfirmBooking,
    ConfirmedBy, DoctorWith, DoctorsWith, FacilityWith, ListBookingsExt, MoveBooking, MoveBookingWith,
    NotificationEvent, NotificationName, PatientInput, Presence, ReplaceSlots, SlotInput, SlotsWith,
};
use carewire_testkit::Fault;
use carewire_testkit::docplanner::{
    ADDRESS_ID, ADDRESS_SERVICE_ID, CLIENT_ID, CLIENT_SECRET, DOCTOR_ID, FACILITY_ID, SECOND_ADDRESS_SERVICE_ID,
    Sandbox,
};
use futures_util::TryStreamExt;

fn dt(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

fn client(sandbox: &Sandbox) -> Client {
    Client::builder().base_url(sandbox.base_url()).credentials(CLIENT_ID, CLIENT_SECRET).build().unwrap()
}

#[tokio::test]
async fn round_trip() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);

    let facilities = client.facilities().list().await.unwrap();
    assert_eq!(facilities.items[0].id, FACILITY_ID);
    let facility = client.facility(FACILITY_ID).get().with(FacilityWith::Doctors).await.unwrap();
    assert_eq!(facility.doctors.unwrap().items[0].id, DOCTOR_ID);
    assert_eq!(sandbox.tokens_issued(), 1);

    let address = client.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID);
    let (day_start, day_end) = (dt("2030-05-16T00:00:00+02:00"), dt("2030-05-17T00:00:00+02:00"));
    address
        .slots()
        .replace(
            ReplaceSlots::new().slot(
                SlotInput::new(dt("2030-05-16T09:00:00+02:00"), dt("2030-05-16T12:00:00+02:00"))
                    .service(ADDRESS_SERVICE_ID, 30),
            ),
        )
        .await
        .unwrap();
    let slots = address.slots().list(day_start, day_end).with(SlotsWith::Services).await.unwrap();
    assert_eq!(slots.len(), 6);
    assert_eq!(slots.items[0].start, dt("2030-05-16T09:00:00+02:00"));
    assert_eq!(slots.items[0].address_services.as_ref().unwrap().items[0].id, ADDRESS_SERVICE_ID);

    // Book every slot: the start travels percent-encoded in the path, with its offset.
    let mut ids = Vec::new();
    for slot in &slots.items {
        let patient = PatientInput::new("Abraham", "+48123123123").surname("Lincoln");
        let booking = address.slots().book(slot.start, BookSlot::new(ADDRESS_SERVICE_ID, 30, patient)).await.unwrap();
        assert_eq!(booking.status, Some(BookingStatus::Booked));
        assert_eq!(booking.start_at, Some(slot.start));
        ids.push(booking.id.unwrap());
    }
    // A booked slot is gone: booking it again is a 404.
    let again = address
        .slots()
        .book(slots.items[0].start, BookSlot::new(ADDRESS_SERVICE_ID, 30, PatientInput::new("B", "1")))
        .await
        .unwrap_err();
    assert_eq!(again.status(), Some(404));
    assert!(address.slots().list(day_start, day_end).await.unwrap().is_empty());

    // The bookings list, paginated 4 per page across two pages.
    let listed: Vec<String> = address
        .bookings()
        .list(day_start, day_end)
        .with(BookingsWith::Patient)
        .per_page(4)
        .stream()
        .map_ok(|b| b.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed, ids);
    assert_eq!(sandbox.server().requests().iter().filter(|r| r.path.ends_with("/bookings")).count(), 2);

    address.bookings().confirm(&ids[1], ConfirmBooking::new(ConfirmedBy::Admin)).await.unwrap();
    assert_eq!(
        address.bookings().confirm(&ids[1], ConfirmBooking::new(ConfirmedBy::Admin)).await.unwrap_err().status(),
        Some(409)
    );
    address.bookings().cancel(&ids[0], CancelBooking::new().reason("Doctor is ill")).await.unwrap();
    let canceled = address.bookings().get(&ids[0]).await.unwrap();
    assert_eq!(canceled.status, Some(BookingStatus::Canceled));
    assert_eq!(address.bookings().cancel(&ids[0], CancelBooking::new()).await.unwrap_err().status(), Some(400));

    // Notifications: 6 booked, 1 confirmed, 1 canceled; pull one, then drain the rest.
    let first = client.notifications().pull().await.unwrap().unwrap();
    assert_eq!(first.name, NotificationName::SlotBooked);
    assert!(matches!(first.event, NotificationEvent::SlotBooked { .. }));
    let rest: Vec<_> = client.notifications().stream(3).try_collect().await.unwrap();
    assert_eq!(rest.len(), 7);
    assert_eq!(rest.last().unwrap().name, NotificationName::BookingCanceled);
    let NotificationEvent::BookingCanceled { visit_booking } = &rest.last().unwrap().event else { panic!() };
    assert_eq!(visit_booking.id.as_deref(), Some(ids[0].as_str()));
    assert!(client.notifications().pull().await.unwrap().is_none());

    client.notifications().release().await.unwrap();
    let err = client.notifications().release().await.unwrap_err();
    assert!(matches!(err, carewire_docplanner::Error::RateLimited(_)));
    assert!(err.retry_after().unwrap().as_secs() > 3000);
}

#[tokio::test]
async fn expired_tokens_are_renewed() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    client.facilities().list().await.unwrap();
    sandbox.expire_tokens();
    client.facilities().list().await.unwrap();
    assert_eq!(sandbox.tokens_issued(), 2);
}

#[tokio::test]
async fn wrong_credentials_are_refused() {
    let sandbox = Sandbox::start();
    let client = Client::builder().base_url(sandbox.base_url()).credentials(CLIENT_ID, "wrong").build().unwrap();
    let err = client.facilities().list().await.unwrap_err();
    assert!(matches!(err, carewire_docplanner::Error::Auth(_)));
}

#[tokio::test]
async fn faults_are_retried() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    client.facilities().list().await.unwrap();
    sandbox.server().inject(Fault::status(503).times(2).on("GET", "/api/v3/integration/facilities"));
    client.facilities().list().await.unwrap();
    assert_eq!(sandbox.server().received("GET", "/api/v3/integration/facilities"), 4);
}

#[tokio::test]
async fn sandbox_write_budget_answers_429_and_the_client_backs_off() {
    let sandbox = Sandbox::builder().write_limit_per_minute(2).start();
    // Client-side limiter off: the sandbox's 429 is what we test.
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .credentials(CLIENT_ID, CLIENT_SECRET)
        .disable_rate_limiter()
        .retry(carewire_docplanner::RetryPolicy::none())
        .build()
        .unwrap();
    let cal = client.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID).calendar();
    cal.disable().await.unwrap();
    cal.enable().await.unwrap();
    let err = cal.disable().await.unwrap_err();
    assert!(matches!(err, carewire_docplanner::Error::RateLimited(_)));
    let rl = err.api().unwrap().rate_limit().unwrap();
    assert_eq!(rl.remaining, Some(0));
    assert!(client.rate_limit().is_some());
}

#[tokio::test]
async fn bookings_move_and_presence_is_marked() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let address = client.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID);
    let (day_start, day_end) = (dt("2030-05-16T00:00:00+02:00"), dt("2030-05-17T00:00:00+02:00"));
    let slots = ReplaceSlots::new().slot(
        SlotInput::new(dt("2030-05-16T09:00:00+02:00"), dt("2030-05-16T10:00:00+02:00"))
            .service(ADDRESS_SERVICE_ID, 30),
    );
    address.slots().replace(slots).await.unwrap();
    let patient = PatientInput::new("Abraham", "+48123123123");
    let booked =
        address.slots().book(dt("2030-05-16T09:00:00+02:00"), BookSlot::new(ADDRESS_SERVICE_ID, 30, patient)).await;
    let id = booked.unwrap().id.unwrap();

    let to = dt("2030-05-16T11:00:00+02:00");
    let moved = address.bookings().move_booking(&id, MoveBooking::new(ADDRESS_SERVICE_ID, to).duration(45)).await;
    let moved = moved.unwrap();
    assert_eq!((moved.start_at, moved.duration), (Some(to), Some(45)));
    assert_eq!(address.bookings().get(&id).await.unwrap().start_at, Some(to));

    address.bookings().mark_present(&id).await.unwrap();
    let listed = address.bookings().list(day_start, day_end).with(BookingsWith::Presence).await.unwrap();
    assert_eq!(listed.items[0].presence, Some(Presence::Present));
    address.bookings().mark_absent(&id).await.unwrap();
    let listed = address.bookings().list(day_start, day_end).with(BookingsWith::Presence).await.unwrap();
    assert_eq!(listed.items[0].presence, Some(Presence::Absent));

    let names: Vec<NotificationName> =
        client.notifications().stream(10).map_ok(|n| n.name).try_collect().await.unwrap();
    assert_eq!(
        names,
        [
            NotificationName::SlotBooked,
            NotificationName::BookingMoved,
            NotificationName::PresenceMarked,
            NotificationName::PresenceMarked
        ]
    );

    address.bookings().cancel(&id, CancelBooking::new()).await.unwrap();
    let err = address.bookings().move_booking(&id, MoveBooking::new(ADDRESS_SERVICE_ID, to)).await.unwrap_err();
    assert_eq!(err.status(), Some(409));
}

#[tokio::test]
async fn sandbox_insurance_consents_moving_with_and_cancel_without_notifying() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let address = client.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID);
    let slots = ReplaceSlots::new().slot(
        SlotInput::new(dt("2030-05-16T09:00:00+02:00"), dt("2030-05-16T10:00:00+02:00"))
            .service(ADDRESS_SERVICE_ID, 30),
    );
    address.slots().replace(slots).await.unwrap();
    let patient = PatientInput::new("Abraham", "+48123123123").marketing_consent(false).data_privacy_consent(true);
    let book = BookSlot::new(ADDRESS_SERVICE_ID, 30, patient).insurance_provider_id("11").insurance_plan_id("3");
    let booked = address.slots().book(dt("2030-05-16T09:00:00+02:00"), book).await.unwrap();
    let id = booked.id.clone().unwrap();
    // The API's booking: `insurance.id`, no consents on the patient, no payment, no video link.
    assert_eq!(booked.insurance.as_ref().unwrap().id.as_deref(), Some("11"));
    assert_eq!(booked.insurance.as_ref().unwrap().plan_id.as_deref(), Some("3"));
    assert_eq!(booked.patient.as_ref().unwrap().marketing_consent, None);
    assert_eq!((booked.visit_payment, booked.videocall_url.as_deref()), (Some(false), None));

    // The notification's booking: `insurance.insurance_provider_id` and the consents, read into the same fields.
    let n = client.notifications().pull().await.unwrap().unwrap();
    let NotificationEvent::SlotBooked { visit_booking } = &n.event else { panic!("{n:?}") };
    assert_eq!(visit_booking.insurance.as_ref().unwrap().id.as_deref(), Some("11"));
    assert!(n.data["visit_booking"]["insurance"]["insurance_provider_id"].is_string());
    let p = visit_booking.patient.as_ref().unwrap();
    assert_eq!((p.marketing_consent, p.data_privacy_consent), (Some(false), Some(true)));
    assert!(visit_booking.signature.is_some());

    // Move with `with=address_service.public_insurance_flow`; then the moving chain on get.
    let to = dt("2030-05-16T09:30:00+02:00");
    let moved = address
        .bookings()
        .move_booking(&id, MoveBooking::new(ADDRESS_SERVICE_ID, to))
        .with(MoveBookingWith::PublicInsuranceFlow)
        .await
        .unwrap();
    assert_eq!(moved.address_service.as_ref().unwrap().is_public_insurance_flow, Some(false));
    let sent = sandbox.server().requests().into_iter().rev().find(|r| r.path.ends_with("/move")).unwrap();
    assert_eq!(sent.query.as_deref(), Some("with=address_service.public_insurance_flow"));
    let got = address.bookings().get(&id).with(BookingWith::Moving).await.unwrap();
    assert_eq!(got.moving.as_ref().unwrap().newest_booking_id.as_deref(), Some(id.as_str()));
    let n = client.notifications().pull().await.unwrap().unwrap();
    let NotificationEvent::BookingMoved { new_visit_booking, .. } = &n.event else { panic!("{n:?}") };
    assert_eq!(new_visit_booking.insurance.as_ref().unwrap().id.as_deref(), Some("11"));

    // Cancel without telling the patient.
    assert_eq!(sandbox.cancellation_notified_patient(&id), None);
    address.bookings().cancel(&id, CancelBooking::new().send_notifications(false)).await.unwrap();
    assert_eq!(sandbox.cancellation_notified_patient(&id), Some(false));
    let bad = address.bookings().cancel(&id, CancelBooking::new().extra("send_notifications", "no")).await;
    assert_eq!(bad.unwrap_err().status(), Some(400));
}

#[tokio::test]
async fn sandbox_doctors_and_services_answer_the_new_extensions() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let doctors = client
        .facility(FACILITY_ID)
        .doctors()
        .list()
        .with_all([DoctorsWith::Specializations, DoctorsWith::LicenseNumbers])
        .await
        .unwrap();
    let d = &doctors.items[0];
    assert_eq!(d.specializations.as_ref().unwrap().items[0].id, "12");
    assert_eq!(d.license_numbers.as_ref().unwrap().items[0].license_number.as_deref(), Some("PWZ-0000001"));
    let d = client.facility(FACILITY_ID).doctor(DOCTOR_ID).get().with(DoctorWith::LicenseNumbers).await.unwrap();
    assert_eq!(d.license_numbers.unwrap().len(), 1);
    let services = client
        .facility(FACILITY_ID)
        .doctor(DOCTOR_ID)
        .address(ADDRESS_ID)
        .services()
        .list()
        .with(AddressServiceWith::AllowedPatients)
        .await
        .unwrap();
    let ekg = services.iter().find(|s| s.id == SECOND_ADDRESS_SERVICE_ID).unwrap();
    assert_eq!(ekg.allowed_patients.as_ref().unwrap().minimum_age, Some(18));
    let usg = services.iter().find(|s| s.id == ADDRESS_SERVICE_ID).unwrap();
    assert_eq!(usg.allowed_patients.as_ref().unwrap().minimum_age, None);
}
