//! The operation table: every Docplanner operation is an operation value whose spec matches the endpoints the
//! SDK must cover, and each one's wire (method, exact path, query with `with`, bearer token, body) and decode,
//! checked through the conformance helper.

mod common;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use carewire_core::Method;
use carewire_core::operation::{BodyKind, Pagination, Scope};
use carewire_docplanner::{
    AddAddressService, AddBreak, AddressHandler, AddressInsuranceProviderInput, AddressPath, AddressServiceWith,
    AddressWith, BookSlot, BookingWith, BookingsWith, CancelBooking, Client, ConfirmBooking, ConfirmedBy, DoctorWith,
    DoctorsWith, FacilityWith, Gender, GetBooking, InsuranceAccepted, InsuranceSupport, ListBookingsExt, MoveBooking,
    MoveBookingWith, MoveBreak, NotificationName, OPERATIONS, OpinionRequest, PatientInput, ReplaceSlots, ServicesWith,
    SlotInput, SlotsWith, UpdateAddress, UpdateAddressService, WithEncoding,
};
use carewire_testkit::conformance::{assert_table_matches, exchange};
use carewire_testkit::{RecordedRequest, Reply, TestServer};
use common::{TOKEN, dt, fixture, fixture_json};
use serde_json::json;

/// This crate's rows of the endpoints table, kept beside the tests (and checked against the shared table
/// when it is there).
const ENDPOINTS: &str = include_str!("fixtures/endpoints.tsv");

/// The address every exchange works on, as sent.
const A: &str = "/api/v3/integration/facilities/1/doctors/123/addresses/111";

/// The bearer token every API call must carry.
const AUTH: &str = "Bearer test-token";

/// The OAuth2 token endpoint of every exchange (the exchange's own server answers the API call only).
static TOKENS: LazyLock<TestServer> = LazyLock::new(|| {
    let token = json!({"access_token": TOKEN, "expires_in": 3600, "token_type": "bearer", "scope": null});
    TestServer::start(move |_req: &RecordedRequest| Reply::json(200, &token))
});

fn builder(base: &str) -> carewire_docplanner::ClientBuilder {
    Client::builder()
        .base_url(format!("{base}/api/v3/integration"))
        .token_url(TOKENS.url("/oauth/v2/token"))
        .credentials("test-id", "test-secret")
        .retry(carewire_docplanner::RetryPolicy::none())
        .disable_rate_limiter()
}

fn client(base: &str) -> Client {
    builder(base).build().expect("client")
}

fn address(base: &str) -> AddressHandler {
    client(base).facility("1").doctor("123").address("111")
}

/// `A` followed by `rest`.
fn at(rest: &str) -> String {
    format!("{A}{rest}")
}

fn body(name: &str) -> Vec<u8> {
    fixture(name).into_bytes()
}

#[test]
fn the_operation_table_matches_the_endpoints_to_cover() {
    assert_table_matches("docplanner", OPERATIONS, ENDPOINTS);
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/api/endpoints.tsv");
    if let Ok(tsv) = std::fs::read_to_string(shared) {
        assert_table_matches("docplanner", OPERATIONS, &tsv);
    }
    let names: BTreeSet<&str> = OPERATIONS.iter().map(|s| s.name).collect();
    assert_eq!(names.len(), OPERATIONS.len(), "every spec name is unique");
    // Every call uses the client's OAuth2 token; POST and PATCH are not retried once they may have arrived.
    assert!(OPERATIONS.iter().all(|s| s.scope == Scope::Client));
    for spec in OPERATIONS {
        assert_eq!(spec.retry_safe, !matches!(spec.method, Method::Post | Method::Patch), "{}", spec.name);
        assert!(matches!(spec.body, BodyKind::None | BodyKind::Json), "{}", spec.name);
    }
    let paged: Vec<&str> = OPERATIONS.iter().filter(|s| s.pagination != Pagination::None).map(|s| s.name).collect();
    assert_eq!(paged, ["bookings.list"]);
}

#[tokio::test]
async fn facilities_list() {
    let ex = exchange(|b| client(b).facilities().list(), 200, br#"{"_items": [{"id": "1", "name": "H"}]}"#).await;
    ex.assert_wire("GET", "/api/v3/integration/facilities").assert_query(&[]).assert_header("authorization", AUTH);
    assert_eq!(ex.output().items[0].id, "1");
}

#[tokio::test]
async fn facilities_get() {
    let call = |b: &str| client(b).facility("1").get().with(FacilityWith::Doctors);
    let ex = exchange(call, 200, &body("facilities_get.response.json")).await;
    ex.assert_wire("GET", "/api/v3/integration/facilities/1").assert_query(&[("with", "facility.doctors")]);
    ex.assert_header("authorization", AUTH).assert_no_body();
    assert_eq!(ex.output().id, "1");
}

#[tokio::test]
async fn doctors_list() {
    let call = |b: &str| {
        client(b).facility("1").doctors().list().with_all([DoctorsWith::ProfileUrl, DoctorsWith::Specializations])
    };
    let ex = exchange(call, 200, &body("doctors_list.response.json")).await;
    ex.assert_wire("GET", "/api/v3/integration/facilities/1/doctors")
        .assert_query(&[("with", "doctor.profile_url,doctor.specializations")]);
    assert_eq!(ex.output().items[0].id, "123");
}

#[tokio::test]
async fn doctors_get() {
    let call = |b: &str| client(b).facility("1").doctor("123").get().with(DoctorWith::Addresses);
    let ex = exchange(call, 200, &body("doctors_get.response.json")).await;
    ex.assert_wire("GET", "/api/v3/integration/facilities/1/doctors/123").assert_query(&[("with", "doctor.addresses")]);
    assert_eq!(ex.output().id, "123");
}

#[tokio::test]
async fn doctors_request_opinion() {
    let call = |b: &str| client(b).facility("1").doctor("123").request_opinion(OpinionRequest::new("123456789"));
    let ex = exchange(call, 204, b"").await;
    ex.assert_wire("PUT", "/api/v3/integration/facilities/1/doctors/123/opinion-request")
        .assert_header("authorization", AUTH)
        .assert_json_body(&fixture_json("opinion_request_send.request.json"));
    ex.output();
}

#[tokio::test]
async fn addresses_list() {
    let call = |b: &str| client(b).facility("1").doctor("123").addresses().list().with(AddressWith::InsuranceSupport);
    let ex = exchange(call, 200, &body("addresses_list.response.json")).await;
    ex.assert_wire("GET", "/api/v3/integration/facilities/1/doctors/123/addresses")
        .assert_query(&[("with", "address.insurance_support")]);
    assert_eq!(ex.output().items[0].id, "111");
}

#[tokio::test]
async fn addresses_get() {
    let ex =
        exchange(|b| address(b).get().with(AddressWith::OnlineOnly), 200, &body("addresses_get.response.json")).await;
    ex.assert_wire("GET", A).assert_query(&[("with", "address.online_only")]).assert_no_body();
    assert_eq!(ex.output().id, "111");
}

#[tokio::test]
async fn addresses_update() {
    let call = |b: &str| address(b).update(UpdateAddress::new(InsuranceSupport::PrivateAndInsurance));
    let ex = exchange(call, 200, &body("addresses_update.response.json")).await;
    ex.assert_wire("PATCH", A).assert_json_body(&fixture_json("addresses_update.request.json"));
    assert_eq!(ex.output().insurance_support, Some(InsuranceSupport::Private));
}

#[tokio::test]
async fn services_list() {
    let call = |b: &str| client(b).services().list_for_specialization(12).with(ServicesWith::OnlyDiagnostics);
    let ex = exchange(call, 200, &body("services_list.response.json")).await;
    ex.assert_wire("GET", "/api/v3/integration/services")
        .assert_query(&[("specialization_id", "12"), ("with", "services.only_diagnostics")]);
    assert_eq!(ex.output().len(), 3);
}

#[tokio::test]
async fn address_services_list() {
    let call = |b: &str| {
        address(b).services().list_for_slots_on(dt("2021-05-16T14:00:00+01:00")).with(AddressServiceWith::CustomName)
    };
    let ex = exchange(call, 200, &body("address_services_list.response.json")).await;
    ex.assert_wire("GET", &at("/services"))
        .assert_query(&[("start", "2021-05-16T14:00:00+01:00"), ("with", "address_service.custom_name")]);
    assert_eq!(ex.output().items[0].id, "101");
}

#[tokio::test]
async fn address_services_add() {
    let service = AddAddressService::new("2")
        .is_price_from(true)
        .price(Some(carewire_docplanner::Decimal::new(200, 0)))
        .description(Some("Address service description".into()))
        .is_visible(true)
        .default_duration(20);
    let ex = exchange(|b| address(b).services().add(service), 201, &body("address_services_get.response.json")).await;
    ex.assert_wire("POST", &at("/services")).assert_json_body(&fixture_json("address_services_add.request.json"));
    assert_eq!(ex.output().map(|s| s.id).as_deref(), Some("101"));
}

#[tokio::test]
async fn address_services_get() {
    let call = |b: &str| address(b).services().get("101").with(AddressServiceWith::AllowedPatients);
    let ex = exchange(call, 200, &body("address_services_get.response.json")).await;
    ex.assert_wire("GET", &at("/services/101")).assert_query(&[("with", "address_service.allowed_patients")]);
    assert_eq!(ex.output().service_id.as_deref(), Some("1"));
}

#[tokio::test]
async fn address_services_update() {
    let update = UpdateAddressService::new()
        .price(Some(carewire_docplanner::Decimal::new(200, 0)))
        .is_price_from(true)
        .description(Some("Address service description".into()))
        .default_duration(20);
    let call = |b: &str| address(b).services().update("101", update);
    let ex = exchange(call, 200, &body("address_services_update.response.json")).await;
    ex.assert_wire("PATCH", &at("/services/101"))
        .assert_json_body(&fixture_json("address_services_update.request.json"));
    assert_eq!(ex.output().price, Some(carewire_docplanner::Decimal::new(200, 0)));
}

#[tokio::test]
async fn address_services_delete() {
    let ex = exchange(|b| address(b).services().delete("101"), 204, b"").await;
    ex.assert_wire("DELETE", &at("/services/101")).assert_no_body().assert_header("authorization", AUTH);
    ex.output();
}

#[tokio::test]
async fn insurance_providers_list() {
    let call = |b: &str| client(b).insurance_providers().list();
    let ex = exchange(call, 200, &body("insurance_providers_list.response.json")).await;
    ex.assert_wire("GET", "/api/v3/integration/insurance-providers").assert_query(&[]);
    assert_eq!(ex.output().items[0].insurance_provider_id, "1");
}

#[tokio::test]
async fn insurance_plans_list() {
    let call = |b: &str| client(b).insurance_providers().plans("1");
    let ex = exchange(call, 200, &body("insurance_plans_list.response.json")).await;
    ex.assert_wire("GET", "/api/v3/integration/insurance-providers/1/plans");
    assert_eq!(ex.output().items[1].insurance_plan_id, "1000");
}

#[tokio::test]
async fn address_insurance_providers_list() {
    let call = |b: &str| address(b).insurance_providers().list();
    let ex = exchange(call, 200, &body("address_insurance_providers_list.response.json")).await;
    ex.assert_wire("GET", &at("/insurance-providers")).assert_no_body();
    assert_eq!(ex.output().len(), 2);
}

#[tokio::test]
async fn address_insurance_providers_add() {
    let call = |b: &str| address(b).insurance_providers().add(AddressInsuranceProviderInput::new("3"));
    let ex = exchange(call, 204, b"").await;
    ex.assert_wire("POST", &at("/insurance-providers"))
        .assert_json_body(&fixture_json("address_insurance_providers_add.request.json"));
    ex.output();
}

#[tokio::test]
async fn address_insurance_providers_upsert() {
    let call = |b: &str| {
        address(b).insurance_providers().upsert(AddressInsuranceProviderInput::new("3").plans(["999", "1000"]))
    };
    let ex = exchange(call, 204, b"").await;
    ex.assert_wire("PUT", &at("/insurance-providers"))
        .assert_json_body(&fixture_json("address_insurance_providers_update_or_create.request.json"));
    ex.output();
}

#[tokio::test]
async fn address_insurance_providers_delete() {
    let ex = exchange(|b| address(b).insurance_providers().delete("3"), 204, b"").await;
    ex.assert_wire("DELETE", &at("/insurance-providers/3")).assert_no_body();
    ex.output();
}

#[tokio::test]
async fn calendar_get() {
    let ex = exchange(|b| address(b).calendar().get(), 200, &body("calendar_get.response.json")).await;
    ex.assert_wire("GET", &at("/calendar")).assert_header("authorization", AUTH);
    assert_eq!(ex.output().status, carewire_docplanner::CalendarStatus::Enabled);
}

#[tokio::test]
async fn calendar_enable_and_disable() {
    let ex = exchange(|b| address(b).calendar().enable(), 200, b"").await;
    ex.assert_wire("POST", &at("/calendar/enable")).assert_no_body();
    ex.output();
    let ex = exchange(|b| address(b).calendar().disable(), 200, b"{}").await;
    ex.assert_wire("POST", &at("/calendar/disable")).assert_no_body();
    ex.output();
}

#[tokio::test]
async fn breaks_list() {
    let (since, till) = (dt("2020-12-16T00:00:00+01:00"), dt("2020-12-17T00:00:00+01:00"));
    let ex = exchange(|b| address(b).breaks().list(since, till), 200, &body("breaks_list.response.json")).await;
    ex.assert_wire("GET", &at("/breaks"))
        .assert_query(&[("since", "2020-12-16T00:00:00+01:00"), ("till", "2020-12-17T00:00:00+01:00")]);
    assert_eq!(ex.output().items[0].id, "567");
}

#[tokio::test]
async fn breaks_add() {
    let add = AddBreak::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00"))
        .description("Optional reason for adding this particular break");
    let ex = exchange(|b| address(b).breaks().add(add), 201, &body("breaks_get.response.json")).await;
    ex.assert_wire("POST", &at("/breaks")).assert_json_body(&fixture_json("breaks_add.request.json"));
    assert_eq!(ex.output().map(|b| b.id).as_deref(), Some("567"));
}

#[tokio::test]
async fn breaks_get() {
    let ex = exchange(|b| address(b).breaks().get("567"), 200, &body("breaks_get.response.json")).await;
    ex.assert_wire("GET", &at("/breaks/567")).assert_no_body();
    assert_eq!(ex.output().description.as_deref(), Some("Optional description"));
}

#[tokio::test]
async fn breaks_move() {
    let to = MoveBreak::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00"));
    let ex = exchange(|b| address(b).breaks().move_break("567", to), 204, b"").await;
    ex.assert_wire("PATCH", &at("/breaks/567")).assert_json_body(&fixture_json("breaks_move.request.json"));
    ex.output();
}

#[tokio::test]
async fn breaks_delete() {
    let ex = exchange(|b| address(b).breaks().delete("567"), 204, b"").await;
    ex.assert_wire("DELETE", &at("/breaks/567")).assert_no_body();
    ex.output();
}

#[tokio::test]
async fn slots_list() {
    let (start, end) = (dt("2020-12-16T00:00:00+01:00"), dt("2020-12-17T00:00:00+01:00"));
    let call = |b: &str| address(b).slots().list(start, end).with(SlotsWith::Services);
    let ex = exchange(call, 200, &body("slots_list.response.json")).await;
    ex.assert_wire("GET", &at("/slots")).assert_query(&[
        ("start", "2020-12-16T00:00:00+01:00"),
        ("end", "2020-12-17T00:00:00+01:00"),
        ("with", "slot.services"),
    ]);
    assert_eq!(ex.output().len(), 2);
}

#[tokio::test]
async fn slots_replace() {
    let slots = ReplaceSlots::new()
        .slot(
            SlotInput::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00"))
                .service("111", 30)
                .service("112", 15)
                .insurance_accepted(InsuranceAccepted::WithInsuranceOnly)
                .insurance_providers([52, 67]),
        )
        .slot(SlotInput::new(dt("2021-05-16T15:00:00+01:00"), dt("2021-05-16T16:00:00+01:00")).service("112", 15));
    let ex = exchange(|b| address(b).slots().replace(slots), 201, b"").await;
    ex.assert_wire("PUT", &at("/slots")).assert_json_body(&fixture_json("slots_replace.request.json"));
    ex.output();
}

#[tokio::test]
async fn slots_book() {
    let patient = PatientInput::new("Abraham", 48_123_123_123_u64)
        .surname("Lincoln")
        .email("example@example.com")
        .birth_date(chrono::NaiveDate::from_ymd_opt(1985, 1, 1).unwrap())
        .gender(Gender::Male)
        .marketing_consent(true)
        .data_privacy_consent(true)
        .nin(894_237_492_u64);
    let book = BookSlot::new("113", 30, patient).is_returning(false).label("label").comment("comment");
    let call = |b: &str| address(b).slots().book(dt("2021-05-16T14:00:00+01:00"), book);
    let ex = exchange(call, 200, &body("slots_book.response.json")).await;
    ex.assert_wire("POST", &at("/slots/2021-05-16T14%3A00%3A00%2B01%3A00/book"))
        .assert_json_body(&fixture_json("slots_book.request.json"));
    assert_eq!(ex.attempts, 1);
    assert_eq!(ex.output().id.as_deref(), Some("2134124"));
}

#[tokio::test]
async fn slots_delete() {
    let day = chrono::NaiveDate::from_ymd_opt(2021, 5, 16).unwrap();
    let ex = exchange(|b| address(b).slots().delete_day(day), 204, b"").await;
    ex.assert_wire("DELETE", &at("/slots/2021-05-16")).assert_no_body();
    ex.output();
}

#[tokio::test]
async fn bookings_list() {
    let (start, end) = (dt("2021-05-16T00:00:00+01:00"), dt("2021-05-17T00:00:00+01:00"));
    let call = |b: &str| address(b).bookings().list(start, end).with(BookingsWith::Patient).per_page(50).page(2);
    let ex = exchange(call, 200, &body("bookings_list.response.json")).await;
    ex.assert_wire("GET", &at("/bookings")).assert_query(&[
        ("start", "2021-05-16T00:00:00+01:00"),
        ("end", "2021-05-17T00:00:00+01:00"),
        ("with", "booking.patient"),
        ("page", "2"),
        ("limit", "50"),
    ]);
    assert_eq!(ex.output().len(), 2);
}

#[tokio::test]
async fn bookings_get() {
    let call = |b: &str| address(b).bookings().get("2134124").with(BookingWith::Moving);
    let ex = exchange(call, 200, &body("bookings_get.response.json")).await;
    ex.assert_wire("GET", &at("/bookings/2134124")).assert_query(&[("with", "booking.moving")]).assert_no_body();
    assert_eq!(ex.output().id.as_deref(), Some("2134124"));
}

#[tokio::test]
async fn bookings_cancel() {
    let cancel = CancelBooking::new().reason("Doctor will not be present on that day in the clinic");
    let ex = exchange(|b| address(b).bookings().cancel("2134124", cancel), 204, b"").await;
    ex.assert_wire("DELETE", &at("/bookings/2134124")).assert_json_body(&fixture_json("bookings_cancel.request.json"));
    ex.output();
}

#[tokio::test]
async fn bookings_move() {
    let to = MoveBooking::new("112", dt("2021-05-26T16:00:00+01:00")).duration(30);
    let call = |b: &str| address(b).bookings().move_booking("2134124", to).with(MoveBookingWith::PublicInsuranceFlow);
    let ex = exchange(call, 201, &body("bookings_move.response.json")).await;
    ex.assert_wire("POST", &at("/bookings/2134124/move"))
        .assert_query(&[("with", "address_service.public_insurance_flow")])
        .assert_json_body(&fixture_json("bookings_move.request.json"));
    assert_eq!(ex.output().duration, Some(30));
}

#[tokio::test]
async fn bookings_confirm() {
    let ex =
        exchange(|b| address(b).bookings().confirm("2134124", ConfirmBooking::new(ConfirmedBy::User)), 204, b"").await;
    ex.assert_wire("PUT", &at("/bookings/2134124/confirm")).assert_json_body(&json!({"confirmed_by": "user"}));
    ex.output();
}

#[tokio::test]
async fn presence_mark_present_and_absent() {
    let ex = exchange(|b| address(b).bookings().mark_present("2134124"), 204, b"").await;
    ex.assert_wire("POST", &at("/bookings/2134124/presence/patient")).assert_no_body();
    ex.output();
    let ex = exchange(|b| address(b).bookings().mark_absent("2134124"), 204, b"").await;
    ex.assert_wire("DELETE", &at("/bookings/2134124/presence/patient")).assert_no_body();
    ex.output();
}

#[tokio::test]
async fn notifications_pull() {
    let call = |b: &str| client(b).send(carewire_docplanner::PullNotification::new());
    let ex = exchange(call, 200, &body("notifications_pull.response.json")).await;
    ex.assert_wire("GET", "/api/v3/integration/notifications").assert_query(&[]).assert_header("authorization", AUTH);
    assert_eq!(ex.output().name, NotificationName::SlotBooking);
}

#[tokio::test]
async fn notifications_pull_multiple() {
    let call = |b: &str| client(b).send(carewire_docplanner::PullNotifications::new(2));
    let ex = exchange(call, 200, &body("notifications_pull_multiple.response.json")).await;
    ex.assert_wire("GET", "/api/v3/integration/notifications/multiple").assert_query(&[("limit", "2")]);
    assert_eq!(ex.output().remaining, Some(5));
}

#[tokio::test]
async fn notifications_release() {
    let ex = exchange(|b| client(b).notifications().release(), 204, b"").await;
    ex.assert_wire("POST", "/api/v3/integration/notifications/release").assert_no_body();
    ex.output();
}

#[tokio::test]
async fn raw_operations_and_per_call_options() {
    // An operation built by hand is what the handle builds; per-call options ride on every call.
    let op = GetBooking::new(AddressPath::new("1", "123", "111"), "7");
    let call = |b: &str| {
        client(b)
            .send(op)
            .with(BookingWith::Other("booking.confirmation"))
            .header("x-trace", "t-1")
            .timeout(std::time::Duration::from_secs(5))
    };
    let ex = exchange(call, 200, br#"{"id": "7"}"#).await;
    ex.assert_wire("GET", &at("/bookings/7")).assert_query(&[("with", "booking.confirmation")]);
    ex.assert_header("x-trace", "t-1");
    assert_eq!(ex.output().id.as_deref(), Some("7"));
    // The bracket encoding is the transport's list encoding.
    let call = |b: &str| {
        let c = builder(b).with_encoding(WithEncoding::RepeatedBrackets).build().unwrap();
        c.facility("1").doctor("123").get().with_all([DoctorWith::Addresses, DoctorWith::LicenseNumbers])
    };
    let ex = exchange(call, 200, &body("doctors_get.response.json")).await;
    ex.assert_query(&[("with[]", "doctor.addresses"), ("with[]", "doctor.license_numbers")]);
    // A body operation whose path ids were never set is refused before sending.
    let server = TestServer::start(|_req: &RecordedRequest| Reply::no_content());
    let err = client(&server.uri()).send(CancelBooking::new().reason("r")).await.unwrap_err();
    assert!(
        matches!(err, carewire_docplanner::Error::InvalidRequest { ref field, .. } if field == "facility_id"),
        "{err:?}"
    );
    assert_eq!(server.received_total(), 0);
}
