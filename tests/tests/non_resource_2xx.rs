//! A 2xx answer that is not the resource is a typed error, never `Ok`.
//!
//! For every response fixture (`*.response*.json`) of Medtimes, Healthstack and Docplanner, the real typed
//! operation is called against a server on 127.0.0.1 that answers status 200 with, in turn: the fixture
//! (which must decode), `{}`, an HTML error page, an empty body and bytes that are not UTF-8 (each of which
//! must be `Error::Decode`). The operations are a table keyed by fixture file: a fixture without an entry, an
//! entry without a fixture, or a crate copy that differs from `shared/fixtures` fails the test.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use carewire::docplanner::{self, BookSlot, InsuranceSupport, MoveBooking, PatientInput, UpdateAddressService};
use carewire::healthstack::{
    self, ActivateMedicard, AssignMedicard, CreateMedicard, CreatePatient, CreateRecord, DeactivateMedicard, Diagnosis,
    EditPatient, FundMedicard, Gender, Provider, RecordData, ReserveMedicards,
};
use carewire::medtimes::{self, BatchScreening, CreateConsult, ScreeningPatient};
use carewire::testkit::{RecordedRequest, Reply, TestServer};
use carewire::{Error, Result, RetryPolicy};
use chrono::{DateTime, FixedOffset, NaiveDate};
use futures_util::future::BoxFuture;

const HID: &str = "HID-NHG869UP";
const HTML: &str = "<html><body>502 Bad Gateway</body></html>";

/// The vendors covered, and the content type their JSON answers carry.
const VENDORS: [(&str, &str); 3] = [
    ("medtimes", "application/json"),
    ("healthstack", "application/json"),
    ("docplanner", "application/vnd.docplanner+json; charset=UTF-8"),
];

/// Response fixtures that are not the answer of an operation.
const EXCLUDED_FILES: [(&str, &str); 1] = [(
    "docplanner/pagination_example.response.json",
    "the docs' generic pagination illustration (`results`, `/some-endpoint`); real lists use `_items`",
)];

/// Fixture subdirectories, none of which holds a response.
const EXCLUDED_DIRS: [(&str, &str); 3] = [
    ("healthstack/record_data", "the `data` objects of the 18 record types, not responses"),
    ("healthstack/requests", "request bodies"),
    ("medtimes/requests", "request bodies"),
];

/// Calls one operation and drops what it returns.
type Op = fn(Clients) -> BoxFuture<'static, Result<()>>;

/// One client per vendor, all pointed at the stub server.
#[derive(Clone)]
struct Clients {
    medtimes: medtimes::Client,
    healthstack: healthstack::Client,
    docplanner: docplanner::Client,
}

impl Clients {
    fn address(&self) -> docplanner::AddressHandler {
        self.docplanner.facility("1").doctor("123").address("111")
    }
}

/// An operation of the table: `op!(|c| c.vendor().call().await)`.
macro_rules! op {
    (|$c:ident| $call:expr) => {{
        let op: Op = |$c| Box::pin(async move { $call.map(drop) });
        op
    }};
}

fn dt(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("a valid test date")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid test date")
}

/// Every response fixture, `vendor/file`, with the operation that answers it.
fn operations() -> Vec<(&'static str, Op)> {
    vec![
        // Medtimes.
        (
            "medtimes/consults_create.response.json",
            op!(|c| c.medtimes.consults().create(CreateConsult::new("usr_8921a")).await),
        ),
        (
            "medtimes/events_batch.response.json",
            op!(|c| c
                .medtimes
                .events()
                .batch(BatchScreening::new("HQ Screening", [ScreeningPatient::new("8001015009087")]))
                .await),
        ),
        ("medtimes/prescriptions_retrieve.response.json", op!(|c| c.medtimes.prescriptions().get("scr_881920").await)),
        // Healthstack.
        (
            "healthstack/medicard_activate.response.json",
            op!(|c| c.healthstack.medicards().activate(ActivateMedicard::new(HID, "MED-KMSII94S", "4432")).await),
        ),
        (
            "healthstack/medicard_assign.response.json",
            op!(|c| {
                let assign = AssignMedicard::new(HID, "Test card", "Black Medicard", "MED-9Y2OV2KT", date(2025, 1, 1));
                c.healthstack.medicards().assign(assign).await
            }),
        ),
        (
            "healthstack/medicard_business_transactions.response.json",
            op!(|c| c.healthstack.medicards().business_transactions("BUS-AFV2LA01").await),
        ),
        (
            "healthstack/medicard_create.response.json",
            op!(|c| c.healthstack.medicards().create(CreateMedicard::new(HID, "Test card", "Black Medicard")).await),
        ),
        (
            "healthstack/medicard_deactivate.response.json",
            op!(|c| c.healthstack.medicards().deactivate(DeactivateMedicard::new("MED-B35ZF00M", "lost")).await),
        ),
        (
            "healthstack/medicard_fund.response.json",
            op!(|c| c.healthstack.medicards().fund(FundMedicard::new("MED-B35ZF00M", "1234567890", 4000)).await),
        ),
        ("healthstack/medicard_patients.response.json", op!(|c| c.healthstack.medicards().list().await)),
        (
            "healthstack/medicard_reserve.response.json",
            op!(|c| c.healthstack.medicards().reserve(ReserveMedicards::new(2, "Black Medicard")).await),
        ),
        (
            "healthstack/medicard_reserved.response.json",
            op!(|c| c.healthstack.medicards().list_reserved("BUS-AFV2LA01").await),
        ),
        ("healthstack/medicard_single.response.json", op!(|c| c.healthstack.medicards().get("MED-9Y2OV2KT").await)),
        (
            "healthstack/medicard_transactions.response.json",
            op!(|c| c.healthstack.medicards().transactions("MED-B35ZF00M").await),
        ),
        (
            "healthstack/patient_edit.response.json",
            op!(|c| c.healthstack.patients().edit(HID, EditPatient::new().set("Key", "Value")).await),
        ),
        ("healthstack/patient_single.response.alt_object.json", op!(|c| c.healthstack.patients().get(HID).await)),
        ("healthstack/patient_single.response.json", op!(|c| c.healthstack.patients().get(HID).await)),
        (
            "healthstack/patients_consent.response.json",
            op!(|c| c.healthstack.patients().grant_consent(HID, "123456").await),
        ),
        (
            "healthstack/patients_create.response.json",
            op!(|c| {
                let patient = CreatePatient::new(
                    "Jane Doe",
                    Gender::Female,
                    date(1990, 1, 1),
                    "12345678901",
                    "jane.doe@email.com",
                );
                c.healthstack.patients().create(patient).await
            }),
        ),
        ("healthstack/patients_multiple.response.json", op!(|c| c.healthstack.patients().list().await)),
        ("healthstack/patients_seek_consent.response.json", op!(|c| c.healthstack.patients().seek_consent(HID).await)),
        (
            "healthstack/records_create.response.json",
            op!(|c| {
                let mut diagnosis = Diagnosis::new();
                diagnosis.diagnosis = Some("Fever".to_owned());
                let record =
                    CreateRecord::new(HID, RecordData::Diagnosis(diagnosis), Provider::new("Dr. Ada", "NPRN-1"));
                c.healthstack.records().create(record).await
            }),
        ),
        // Docplanner.
        (
            "docplanner/address_insurance_providers_list.response.json",
            op!(|c| c.address().insurance_providers().list().await),
        ),
        ("docplanner/address_services_get.response.json", op!(|c| c.address().services().get("101").await)),
        ("docplanner/address_services_list.response.json", op!(|c| c.address().services().list().await)),
        (
            "docplanner/address_services_update.response.json",
            op!(|c| {
                let body = UpdateAddressService::new().price(Some(docplanner::Decimal::new(200, 0)));
                c.address().services().update("101", body).await
            }),
        ),
        ("docplanner/addresses_get.response.json", op!(|c| c.address().get().await)),
        (
            "docplanner/addresses_list.response.json",
            op!(|c| c.docplanner.facility("1").doctor("123").addresses().list().await),
        ),
        (
            "docplanner/addresses_update.response.json",
            op!(|c| c.address().update(docplanner::UpdateAddress::new(InsuranceSupport::Private)).await),
        ),
        ("docplanner/bookings_get.response.json", op!(|c| c.address().bookings().get("2134124").await)),
        (
            "docplanner/bookings_list.response.json",
            op!(|c| c
                .address()
                .bookings()
                .list(dt("2021-05-16T00:00:00+01:00"), dt("2021-05-17T00:00:00+01:00"))
                .send()
                .await),
        ),
        (
            "docplanner/bookings_move.response.json",
            op!(|c| c
                .address()
                .bookings()
                .move_booking("2134124", MoveBooking::new("112", dt("2021-05-26T16:00:00+01:00")))
                .await),
        ),
        ("docplanner/breaks_get.response.json", op!(|c| c.address().breaks().get("567").await)),
        (
            "docplanner/breaks_list.response.json",
            op!(|c| c.address().breaks().list(dt("2020-12-16T00:00:00+01:00"), dt("2020-12-17T00:00:00+01:00")).await),
        ),
        ("docplanner/calendar_get.response.json", op!(|c| c.address().calendar().get().await)),
        ("docplanner/doctors_get.response.json", op!(|c| c.docplanner.facility("1").doctor("123").get().await)),
        ("docplanner/doctors_list.response.json", op!(|c| c.docplanner.facility("1").doctors().list().await)),
        ("docplanner/facilities_get.response.json", op!(|c| c.docplanner.facility("1").get().await)),
        ("docplanner/insurance_plans_list.response.json", op!(|c| c.docplanner.insurance_providers().plans("1").await)),
        ("docplanner/insurance_providers_list.response.json", op!(|c| c.docplanner.insurance_providers().list().await)),
        (
            "docplanner/notifications_pull.response.json",
            op!(|c| c
                .docplanner
                .notifications()
                .pull()
                .await
                .and_then(|n| n.ok_or_else(|| Error::config("the queue was reported empty")))),
        ),
        (
            "docplanner/notifications_pull_multiple.response.json",
            op!(|c| c.docplanner.notifications().pull_many(10).await),
        ),
        ("docplanner/services_list.response.json", op!(|c| c.docplanner.services().list().await)),
        (
            "docplanner/slots_book.response.json",
            op!(|c| {
                let book = BookSlot::new("113", 30, PatientInput::new("Abraham", "+48123123123"));
                c.address().slots().book(dt("2021-05-16T14:00:00+01:00"), book).await
            }),
        ),
        (
            "docplanner/slots_list.response.json",
            op!(|c| c.address().slots().list(dt("2020-12-16T00:00:00+01:00"), dt("2020-12-17T00:00:00+01:00")).await),
        ),
    ]
}

/// Whether `name` is a response fixture.
fn is_response(name: &str) -> bool {
    name.contains(".response") && Path::new(name).extension().is_some_and(|e| e == "json")
}

/// The crate's copy of a vendor's fixtures.
fn crate_fixtures(vendor: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("crates").join(vendor).join("tests").join("fixtures")
}

/// The response fixtures of `vendor`'s crate copy, checking its subdirectories hold none.
fn response_fixtures(vendor: &str) -> Vec<(String, Vec<u8>)> {
    let dir = crate_fixtures(vendor);
    let mut found = Vec::new();
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name").to_owned();
        let key = format!("{vendor}/{name}");
        if path.is_dir() {
            assert!(
                EXCLUDED_DIRS.iter().any(|(d, _)| *d == key),
                "{key}/ is a new fixture directory: cover or exclude it"
            );
            for inner in fs::read_dir(&path).expect("a readable directory") {
                let inner = inner.expect("a directory entry").file_name();
                let inner = inner.to_string_lossy();
                assert!(!is_response(&inner), "{key}/{inner} is a response fixture in an excluded directory");
            }
        } else if is_response(&name) {
            found.push((key, fs::read(&path).expect("a readable fixture")));
        }
    }
    found.sort();
    found
}

/// When the shared fixtures are there, every response fixture has an identical copy in the crate.
fn check_against_shared(vendor: &str, copies: &[(String, Vec<u8>)]) -> usize {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures").join(vendor);
    let Ok(entries) = fs::read_dir(&shared) else { return 0 };
    let mut n = 0;
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name");
        if path.is_file() && is_response(name) {
            let key = format!("{vendor}/{name}");
            let copy = copies.iter().find(|(k, _)| *k == key).unwrap_or_else(|| panic!("{key}: no copy in the crate"));
            assert!(
                copy.1 == fs::read(&path).expect("a readable fixture"),
                "{key}: the crate copy differs from shared"
            );
            n += 1;
        }
    }
    n
}

/// The stub server: every request but Docplanner's token call gets the current reply.
struct Stub {
    server: TestServer,
    reply: Arc<Mutex<Reply>>,
}

impl Stub {
    fn start() -> Self {
        let reply = Arc::new(Mutex::new(Reply::no_content()));
        let current = Arc::clone(&reply);
        let server = TestServer::start(move |req: &RecordedRequest| {
            if req.path == "/oauth/v2/token" {
                let token = serde_json::json!({"access_token": "t", "expires_in": 3600, "token_type": "bearer"});
                return Reply::json(200, &token);
            }
            current.lock().unwrap_or_else(PoisonError::into_inner).clone()
        });
        Self { server, reply }
    }

    fn answer(&self, reply: Reply) {
        *self.reply.lock().unwrap_or_else(PoisonError::into_inner) = reply;
    }

    fn clients(&self) -> Clients {
        let uri = self.server.uri();
        Clients {
            medtimes: medtimes::Client::builder().api_key("sk_test_123").base_url(&uri).build().expect("medtimes"),
            healthstack: healthstack::Client::builder()
                .secret_key("sk_test_1234567890abcdef")
                .base_url(format!("{uri}/v1"))
                .build()
                .expect("healthstack"),
            docplanner: docplanner::Client::builder()
                .base_url(format!("{uri}/api/v3/integration"))
                .credentials("test-id", "test-secret")
                .retry(RetryPolicy::none())
                .build()
                .expect("docplanner"),
        }
    }
}

#[tokio::test]
async fn every_response_fixture_decodes_and_no_non_resource_2xx_is_ok() {
    let mut ops: BTreeMap<&str, Op> = BTreeMap::new();
    for (key, op) in operations() {
        assert!(ops.insert(key, op).is_none(), "{key} is in the table twice");
    }
    let stub = Stub::start();
    let clients = stub.clients();
    let (mut covered, mut from_shared) = (Vec::new(), 0);

    for (vendor, content_type) in VENDORS {
        let fixtures = response_fixtures(vendor);
        from_shared += check_against_shared(vendor, &fixtures);
        for (key, fixture) in fixtures {
            if EXCLUDED_FILES.iter().any(|(f, _)| *f == key) {
                continue;
            }
            let op = ops.remove(key.as_str()).unwrap_or_else(|| panic!("{key}: no operation in the table"));

            stub.answer(Reply::bytes(200, fixture).header("content-type", content_type));
            if let Err(e) = op(clients.clone()).await {
                panic!("{key}: the fixture does not decode: {e:?}");
            }
            let bad = [
                ("`{}`", Reply::bytes(200, b"{}".to_vec()).header("content-type", content_type)),
                ("an HTML page", Reply::text(200, "text/html", HTML)),
                ("an empty body", Reply::status(200).header("content-type", content_type)),
                ("invalid UTF-8", Reply::bytes(200, b"\xff\xfe\xfd".to_vec()).header("content-type", content_type)),
            ];
            for (what, reply) in bad {
                stub.answer(reply);
                match op(clients.clone()).await {
                    Err(Error::Decode(d)) => {
                        assert_eq!(d.status(), 200, "{key} with {what}");
                        assert!(!d.to_string().contains("Bad Gateway"), "{key} with {what}: {d}");
                    }
                    Err(other) => panic!("{key} with {what}: expected Error::Decode, got {other:?}"),
                    Ok(()) => panic!("{key} with {what}: decoded as a success"),
                }
            }
            covered.push(key);
        }
    }

    assert!(ops.is_empty(), "operations without a fixture: {:?}", ops.keys().collect::<Vec<_>>());
    assert_eq!(covered.len(), 45, "{covered:?}");
    assert!(from_shared == 0 || from_shared == covered.len() + EXCLUDED_FILES.len(), "{from_shared} shared fixtures");
    // The fixture and each of the four bodies reached the server once per fixture (plus one token request).
    let api_requests = stub.server.requests().iter().filter(|r| r.path != "/oauth/v2/token").count();
    assert_eq!(api_requests, covered.len() * 5);
}

#[test]
fn exclusions_have_reasons() {
    for (what, why) in EXCLUDED_FILES.iter().chain(EXCLUDED_DIRS.iter()) {
        assert!(!why.is_empty() && crate_fixtures(what.split('/').next().unwrap_or_default()).exists(), "{what}");
    }
}
