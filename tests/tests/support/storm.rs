//! The fault storm's world: the three vendor sandboxes with their seed data, one client per vendor tuned
//! for fast retries, the calls the storm makes (`Op`, `plan`, `World::run`) and the audit of the
//! sandboxes' state afterwards (`World::audit`: every write at most once, successes exactly once).

use std::collections::HashMap;
use std::time::Duration;

use carewire::RetryPolicy;
use carewire::docplanner::{BookSlot, ListBookingsExt, PatientInput, ReplaceSlots, SlotInput};
use carewire::healthstack::{CreateMedicard, CreatePatient, CreateRecord, FundMedicard, Gender, ListRecords};
use carewire::healthstack::{Note, Provider, RecordData};
use carewire::medtimes::{BatchScreening, BillingMode, CreateConsult, ScreeningPatient, SubmitClaim};
use carewire::testkit::docplanner::{ADDRESS_ID, ADDRESS_SERVICE_ID, CLIENT_ID, CLIENT_SECRET, DOCTOR_ID, FACILITY_ID};
use carewire::testkit::{TestServer, docplanner, healthstack, medtimes};
use chrono::{DateTime, FixedOffset, TimeZone as _};
use futures_util::TryStreamExt as _;

/// A vendor of the storm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Vendor {
    Medtimes,
    Healthstack,
    Docplanner,
}

impl Vendor {
    /// The vendor name errors carry in their call context.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Medtimes => "medtimes",
            Self::Healthstack => "healthstack",
            Self::Docplanner => "docplanner",
        }
    }

    /// The calls the fault mapping probes: a read, then writes of each retry class.
    pub(crate) fn probes(self) -> &'static [Op] {
        match self {
            Self::Medtimes => &[Op::MtPrescription, Op::MtClaim, Op::MtConsult],
            Self::Healthstack => &[Op::HsGetPatient, Op::HsPatient, Op::HsFund],
            Self::Docplanner => &[Op::DpFacility, Op::DpBook],
        }
    }
}

/// One kind of call, with its weight in the storm's mix (about half reads, half writes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Op {
    /// `POST /v1/claims/submit`, with its generated idempotency key.
    MtClaim,
    /// `POST /v1/consults/create` (no key: not retried once it may have been processed).
    MtConsult,
    /// `POST /v1/events/batch`.
    MtBatch,
    /// `GET /v1/prescriptions/{id}`.
    MtPrescription,
    /// `POST /patients/create` (deduplicated on NIN by Healthstack, so retried like a read).
    HsPatient,
    /// `POST /records`.
    HsRecord,
    /// `POST /medicard/fund/{card_number}`.
    HsFund,
    HsGetPatient,
    HsListPatients,
    HsGetCard,
    HsTransactions,
    HsListRecords,
    /// `POST .../slots/{start}/book`.
    DpBook,
    DpFacility,
    DpDoctors,
    DpServices,
    DpSlots,
    DpBookings,
    DpBookingGet,
}

const MIX: [(Op, u32); 19] = [
    (Op::MtClaim, 6),
    (Op::MtConsult, 4),
    (Op::MtBatch, 2),
    (Op::MtPrescription, 6),
    (Op::HsPatient, 3),
    (Op::HsRecord, 4),
    (Op::HsFund, 4),
    (Op::HsGetPatient, 3),
    (Op::HsListPatients, 1),
    (Op::HsGetCard, 2),
    (Op::HsTransactions, 2),
    (Op::HsListRecords, 2),
    (Op::DpBook, 6),
    (Op::DpFacility, 2),
    (Op::DpDoctors, 2),
    (Op::DpServices, 2),
    (Op::DpSlots, 2),
    (Op::DpBookings, 2),
    (Op::DpBookingGet, 3),
];

impl Op {
    pub(crate) fn vendor(self) -> Vendor {
        match self {
            Self::MtClaim | Self::MtConsult | Self::MtBatch | Self::MtPrescription => Vendor::Medtimes,
            Self::HsPatient
            | Self::HsRecord
            | Self::HsFund
            | Self::HsGetPatient
            | Self::HsListPatients
            | Self::HsGetCard
            | Self::HsTransactions
            | Self::HsListRecords => Vendor::Healthstack,
            _ => Vendor::Docplanner,
        }
    }

    /// A POST without an idempotency key: never resent once it may have reached the server.
    pub(crate) fn is_unsafe_write(self) -> bool {
        matches!(self, Self::MtConsult | Self::MtBatch | Self::HsRecord | Self::HsFund | Self::DpBook)
    }
}

/// What one call of the storm did: `ok` when it succeeded, with the id it returned, if any.
#[derive(Clone, Debug)]
pub(crate) struct Done {
    pub(crate) op: Op,
    pub(crate) index: usize,
    pub(crate) ok: bool,
    pub(crate) id: Option<String>,
}

/// One call of the storm: its kind, its index (which makes its markers unique) and, for a booking, its slot.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Step {
    pub(crate) op: Op,
    pub(crate) index: usize,
    pub(crate) slot: usize,
}

/// Slots 0..16 are for the probes and the seed bookings; the storm books from here on.
const FIRST_STORM_SLOT: usize = 16;

/// `calls` steps drawn from [`MIX`] with a seeded generator: the same seed gives the same storm.
pub(crate) fn plan(calls: usize, seed: u64) -> Vec<Step> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let total: u32 = MIX.iter().map(|(_, w)| w).sum();
    let mut next_slot = FIRST_STORM_SLOT;
    (0..calls)
        .map(|index| {
            let mut draw = rng.u32(0..total);
            let mut op = Op::DpFacility;
            for (candidate, weight) in MIX {
                if draw < weight {
                    op = candidate;
                    break;
                }
                draw -= weight;
            }
            let slot = if op == Op::DpBook {
                next_slot += 1;
                next_slot - 1
            } else {
                0
            };
            Step { op, index, slot }
        })
        .collect()
}

/// How many one-minute slots the sandbox has per day (00:00 to the next midnight).
const SLOTS_PER_DAY: usize = 1_440;

fn slot_origin() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(0).and_then(|utc| utc.with_ymd_and_hms(2031, 1, 6, 0, 0, 0).single()).expect("a valid date")
}

/// The start of one-minute slot `n` (consecutive minutes from 2031-01-06T00:00Z).
pub(crate) fn book_slot(n: usize) -> DateTime<FixedOffset> {
    slot_origin() + chrono::Duration::minutes(i64::try_from(n).unwrap_or(0))
}

fn policy(retries: u32) -> RetryPolicy {
    // No retry budget: the storm should exercise every retry the policy allows.
    RetryPolicy::default()
        .max_retries(retries)
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(20))
        .max_retry_after(Duration::from_millis(20))
        .budget(None)
}

/// The sandboxes, the clients and the seed data.
pub(crate) struct World {
    mt_box: medtimes::Sandbox,
    hs_box: healthstack::Sandbox,
    dp_box: docplanner::Sandbox,
    mt: carewire::medtimes::Client,
    hs: carewire::healthstack::Client,
    dp: carewire::docplanner::Client,
    prescriptions: Vec<String>,
    patients: Vec<String>,
    cards: Vec<String>,
    bookings: Vec<String>,
    days: usize,
}

impl World {
    /// Starts the sandboxes with `slots` bookable minutes, clients with a per-attempt `timeout` and
    /// `retries` retries, and seeds prescriptions, patients with a Medicard each, and four bookings.
    pub(crate) async fn start(timeout: Duration, retries: u32, slots: usize) -> Self {
        let mt_box = medtimes::Sandbox::start();
        let hs_box = healthstack::Sandbox::start();
        let dp_box =
            docplanner::Sandbox::builder().write_limit_per_minute(1_000_000).read_limit_per_hour(10_000_000).start();
        let mt = carewire::medtimes::Client::builder()
            .api_key(medtimes::API_KEY)
            .base_url(mt_box.base_url())
            .request_timeout(timeout)
            .retry(policy(retries))
            .build()
            .expect("medtimes client");
        let hs = carewire::healthstack::Client::builder()
            .secret_key(healthstack::SECRET_KEY)
            .base_url(hs_box.base_url())
            .request_timeout(timeout)
            .retry(policy(retries))
            .build()
            .expect("healthstack client");
        let dp = carewire::docplanner::Client::builder()
            .base_url(dp_box.base_url())
            .credentials(CLIENT_ID, CLIENT_SECRET)
            .disable_rate_limiter()
            .request_timeout(timeout)
            .retry(policy(retries))
            .build()
            .expect("docplanner client");

        let mut prescriptions = Vec::new();
        for n in 0..3 {
            let consult =
                mt.consults().create(CreateConsult::new(format!("usr_seed_{n}"))).await.expect("seed consult");
            prescriptions.push(mt_box.complete_consult(&consult.id).expect("a prescription"));
        }
        let mut patients = Vec::new();
        let mut cards = Vec::new();
        for n in 0..6 {
            let hid = hs_box.seed_patient(healthstack::BUSINESS_ID, &format!("Seed Patient {n}"), &format!("5{n:010}"));
            let card = hs.medicards().create(CreateMedicard::new(&hid, "Storm card", "Blue Medicard")).await;
            cards.push(card.expect("seed card").card_number);
            patients.push(hid);
        }
        let days = slots.div_ceil(SLOTS_PER_DAY).max(1);
        let address = dp.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID);
        for day in 0..days {
            let start = book_slot(day * SLOTS_PER_DAY);
            let range = SlotInput::new(start, start + chrono::Duration::days(1)).service(ADDRESS_SERVICE_ID, 1);
            address.slots().replace(ReplaceSlots::new().slot(range)).await.expect("seed slots");
        }
        let mut bookings = Vec::new();
        for n in 8..12 {
            let body = BookSlot::new(ADDRESS_SERVICE_ID, 1, PatientInput::new(format!("Seed{n}"), "+48600100200"));
            let booking = address.slots().book(book_slot(n), body).await.expect("seed booking");
            bookings.push(booking.id.expect("a booking id"));
        }
        Self { mt_box, hs_box, dp_box, mt, hs, dp, prescriptions, patients, cards, bookings, days }
    }

    /// The vendor's test server and the path prefix its API (and the storm's faults) live under.
    pub(crate) fn server(&self, vendor: Vendor) -> (&TestServer, &'static str) {
        match vendor {
            Vendor::Medtimes => (self.mt_box.server(), "/v1/"),
            Vendor::Healthstack => (self.hs_box.server(), "/v1/"),
            Vendor::Docplanner => (self.dp_box.server(), "/api/v3/integration"),
        }
    }

    /// Counters of everything the vendor's writes create.
    pub(crate) fn side_effects(&self, vendor: Vendor) -> Vec<u64> {
        let n = |v: usize| v as u64;
        match vendor {
            Vendor::Medtimes => {
                vec![n(self.mt_box.claim_count()), n(self.mt_box.consult_count()), n(self.mt_box.screenings().len())]
            }
            Vendor::Healthstack => {
                let funds: f64 = self.cards.iter().filter_map(|c| self.hs_box.card_balance(c)).sum();
                vec![n(self.hs_box.patient_count()), n(self.hs_box.record_count()), funds as u64]
            }
            Vendor::Docplanner => vec![n(self.dp_box.bookings_count())],
        }
    }

    /// Makes call `op` number `index` (its markers derive from `index`); returns the id it created or read.
    pub(crate) async fn run(&self, op: Op, index: usize, slot: usize) -> carewire::Result<Option<String>> {
        let i = index;
        let pick = |items: &[String]| items[i % items.len()].clone();
        let address = self.dp.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID);
        Ok(match op {
            Op::MtClaim => {
                let claim = SubmitClaim::new(["J20.9"], 1_000 + i64::try_from(i % 500).unwrap_or(0))
                    .patient_id(format!("usr_storm_{i}"));
                self.mt.claims().submit(claim.currency("zar")).await?.id
            }
            Op::MtConsult => {
                let consult = CreateConsult::new(format!("usr_storm_{i}")).symptoms(["fever"]);
                Some(self.mt.consults().create(consult.billing_mode(BillingMode::Cash)).await?.id)
            }
            Op::MtBatch => {
                let patient = ScreeningPatient::new("8001015009087").scheme_number("123456789");
                Some(self.mt.events().batch(BatchScreening::new(format!("Storm {i}"), [patient])).await?.id)
            }
            Op::MtPrescription => Some(self.mt.prescriptions().get(pick(&self.prescriptions)).await?.id),
            Op::HsPatient => {
                let dob = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date");
                let email = format!("storm{i}@example.org");
                let patient = CreatePatient::new(format!("Storm {i}"), Gender::Female, dob, format!("7{i:010}"), email);
                Some(self.hs.patients().create(patient).await?.health_id)
            }
            Op::HsRecord => {
                let mut note = Note::new();
                note.notes = Some(format!("storm-record-{i}"));
                let record = CreateRecord::new(
                    pick(&self.patients),
                    RecordData::Note(note),
                    Provider::new("Dr Storm", "NPRN-1"),
                );
                Some(self.hs.records().create(record).await?.record_id)
            }
            Op::HsFund => {
                let funding =
                    FundMedicard::new(pick(&self.cards), format!("ref-{i}"), i64::try_from(i % 90 + 1).unwrap_or(1));
                self.hs.medicards().fund(funding).await?.reference
            }
            Op::HsGetPatient => Some(self.hs.patients().get(pick(&self.patients)).await?.health_id),
            Op::HsListPatients => self.hs.patients().list().await.map(|_| None)?,
            Op::HsGetCard => Some(self.hs.medicards().get(pick(&self.cards)).await?.card_number),
            Op::HsTransactions => self.hs.medicards().transactions(pick(&self.cards)).await.map(|_| None)?,
            Op::HsListRecords => {
                self.hs.records().list(pick(&self.patients), ListRecords::new()).await.map(|_| None)?
            }
            Op::DpBook => {
                let patient = PatientInput::new(format!("Storm{i}"), "+48600100200");
                address.slots().book(book_slot(slot), BookSlot::new(ADDRESS_SERVICE_ID, 1, patient)).await?.id
            }
            Op::DpFacility => Some(self.dp.facility(FACILITY_ID).get().await?.id),
            Op::DpDoctors => self.dp.facility(FACILITY_ID).doctors().list().await.map(|_| None)?,
            Op::DpServices => address.services().list().await.map(|_| None)?,
            Op::DpSlots => address.slots().list(book_slot(0), book_slot(60)).await.map(|_| None)?,
            Op::DpBookings => {
                let end = book_slot(SLOTS_PER_DAY);
                address.bookings().list(book_slot(0), end).per_page(20).page(1).await.map(|_| None)?
            }
            Op::DpBookingGet => address.bookings().get(pick(&self.bookings)).await?.id,
        })
    }

    /// The id a successful read of call `index` must have returned, if it returns one.
    fn expected_read(&self, op: Op, index: usize) -> Option<String> {
        let pick = |items: &[String]| Some(items[index % items.len()].clone());
        match op {
            Op::MtPrescription => pick(&self.prescriptions),
            Op::HsGetPatient => pick(&self.patients),
            Op::HsGetCard => pick(&self.cards),
            Op::DpFacility => Some(FACILITY_ID.to_owned()),
            Op::DpBookingGet => pick(&self.bookings),
            _ => None,
        }
    }

    /// Compares the storm's results with what the sandboxes hold, with the faults cleared: every marker at
    /// most once, exactly once (with the returned id) after a success, reads returned what they asked for,
    /// and every claim call used one idempotency key on all its attempts.
    pub(crate) async fn audit(&self, results: &[Done]) -> Vec<String> {
        let mut problems = Vec::new();
        let created = self.created().await;
        let key = |op: Op, i: usize| match op {
            Op::MtClaim => Some(format!("claim usr_storm_{i}")),
            Op::MtConsult => Some(format!("consult usr_storm_{i}")),
            Op::HsPatient => Some(format!("patient storm{i}@example.org")),
            Op::HsRecord => Some(format!("record storm-record-{i}")),
            Op::HsFund => Some(format!("fund ref-{i}")),
            Op::DpBook => Some(format!("booking Storm{i}")),
            _ => None,
        };
        for done in results {
            let Done { op, index, ok, id } = done;
            if let Some(marker) = key(*op, *index) {
                let found = created.get(&marker).map_or(&[][..], Vec::as_slice);
                if found.len() > 1 {
                    problems.push(format!("{marker}: created {} times", found.len()));
                } else if *ok && found.len() != 1 {
                    problems.push(format!("{marker}: succeeded ({id:?}) but not found"));
                } else if let (true, Some(id)) = (*ok, id)
                    && found[0] != *id
                {
                    problems.push(format!("{marker}: returned {id}, stored {}", found[0]));
                }
            } else if let (Some(got), Some(want)) = (id, self.expected_read(*op, *index))
                && *got != want
            {
                problems.push(format!("{op:?} #{index}: read {got}, expected {want}"));
            }
        }
        let batches = results.iter().filter(|d| d.op == Op::MtBatch);
        let (calls, ok) = batches.fold((0, 0), |(c, s), d| (c + 1, s + usize::from(d.ok)));
        let screenings = self.mt_box.screenings().len();
        if !(ok..=calls).contains(&screenings) {
            problems.push(format!("{screenings} screenings for {calls} batch calls, {ok} of them successful"));
        }
        problems.extend(self.audit_claim_keys(results));
        problems.extend(self.audit_balances().await);
        problems
    }

    /// Every claim call sent one idempotency key, unchanged on each attempt, with one body.
    fn audit_claim_keys(&self, results: &[Done]) -> Vec<String> {
        let mut keys: HashMap<String, Vec<Vec<u8>>> = HashMap::new();
        for r in self.mt_box.server().requests().into_iter().filter(|r| r.path == "/v1/claims/submit") {
            keys.entry(r.header("idempotency-key").unwrap_or("none").to_owned()).or_default().push(r.body);
        }
        let calls = results.iter().filter(|d| d.op == Op::MtClaim).count();
        let mut problems = Vec::new();
        if keys.len() != calls || keys.contains_key("none") {
            problems.push(format!("{} idempotency keys for {calls} claim calls", keys.len()));
        }
        for (key, bodies) in keys {
            if bodies.windows(2).any(|w| w[0] != w[1]) {
                problems.push(format!("key {key} was sent with different bodies"));
            }
        }
        problems
    }

    /// Each card's balance is the sum of its transactions.
    async fn audit_balances(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for card in &self.cards {
            let txs = self.hs.medicards().transactions(card).await.expect("transactions after the storm");
            let sum: f64 =
                txs.iter().filter_map(|t| t.amount).map(|d| d.to_string().parse::<f64>().unwrap_or(f64::NAN)).sum();
            if self.hs_box.card_balance(card) != Some(sum) {
                problems.push(format!(
                    "{card}: balance {:?}, transactions add up to {sum}",
                    self.hs_box.card_balance(card)
                ));
            }
        }
        problems
    }

    /// Marker → the ids the sandboxes hold for it (a marker listed twice was created twice).
    async fn created(&self) -> HashMap<String, Vec<String>> {
        let mut created: HashMap<String, Vec<String>> = HashMap::new();
        let mut add = |marker: String, id: String| created.entry(marker).or_default().push(id);
        for claim in self.mt_box.claims() {
            if let (Some(p), Some(id)) = (claim["patient_id"].as_str(), claim["id"].as_str()) {
                add(format!("claim {p}"), id.to_owned());
            }
        }
        // Consult ids share one counter with the other Medtimes objects: walk it until every consult is found.
        let (mut found, mut n) = (0, 0);
        while found < self.mt_box.consult_count() && n < 1_000_000 {
            n += 1;
            let id = format!("cns_{n:06}");
            if let Some(consult) = self.mt_box.consult(&id) {
                found += 1;
                add(format!("consult {}", consult["patient_id"].as_str().unwrap_or_default()), id);
            }
        }
        for patient in self.hs.patients().list().await.expect("patients after the storm") {
            add(format!("patient {}", patient.email.unwrap_or_default()), patient.health_id);
        }
        for hid in &self.patients {
            for record in self.hs.records().list(hid, ListRecords::new()).await.expect("records after the storm") {
                if let RecordData::Note(note) = &record.data {
                    add(format!("record {}", note.notes.clone().unwrap_or_default()), record.id.unwrap_or_default());
                }
            }
        }
        for card in &self.cards {
            for tx in self.hs.medicards().transactions(card).await.expect("transactions after the storm") {
                let reference = tx.transaction_ref.unwrap_or_default();
                add(format!("fund {reference}"), reference);
            }
        }
        let address = self.dp.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID);
        let end = book_slot(self.days * SLOTS_PER_DAY);
        let bookings: Vec<_> =
            address.bookings().list(book_slot(0), end).per_page(100).stream().try_collect().await.expect("bookings");
        for booking in bookings {
            let name = booking.patient.and_then(|p| p.name).unwrap_or_default();
            add(format!("booking {name}"), booking.id.unwrap_or_default());
        }
        created
    }
}
