//! Slots of an address: list free slots, replace them, book one, delete a day.

use std::fmt;

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::bookings::{Booking, Gender};
use crate::common::{AddressPath, Collection, Extra, With, fda, format_datetime, ser_dt, unit};
use crate::macros::{expandable, extensions, extra_setter, operation};
use crate::services::AddressService;

extensions! {
    /// The extensions of `GET .../slots`.
    SlotsWith {
        /// `slot.services`: the address services bookable in each slot.
        Services => "slot.services",
    }
}

carewire_core::open_enum! {
    /// Which patients a slot accepts.
    InsuranceAccepted {
        /// `with-and-without-insurance`.
        WithAndWithoutInsurance => "with-and-without-insurance",
        /// `without-insurance-only`.
        WithoutInsuranceOnly => "without-insurance-only",
        /// `with-insurance-only`.
        WithInsuranceOnly => "with-insurance-only",
    }
}

/// A free slot.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Slot {
    /// When it starts.
    pub start: DateTime<FixedOffset>,
    /// The services bookable in it (with [`SlotsWith::Services`]).
    #[serde(default, deserialize_with = "crate::common::opt_nested")]
    pub address_services: Option<Collection<AddressService>>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

carewire_core::redacted_debug!(Slot { show: [start, address_services], keys: [extra] });

#[derive(Clone, Debug, Serialize)]
struct SlotService {
    address_service_id: String,
    duration: u32,
}

/// One slot range of a [`ReplaceSlots`] body.
#[derive(Clone, Serialize)]
pub struct SlotInput {
    #[serde(serialize_with = "ser_dt")]
    start: DateTime<FixedOffset>,
    #[serde(serialize_with = "ser_dt")]
    end: DateTime<FixedOffset>,
    address_services: Vec<SlotService>,
    #[serde(skip_serializing_if = "Option::is_none")]
    insurance_accepted: Option<InsuranceAccepted>,
    #[serde(skip_serializing_if = "Option::is_none")]
    insurance_providers: Option<Vec<i64>>,
    #[serde(flatten)]
    extra: Extra,
}

impl SlotInput {
    /// The range `start`..`end`. With no service added, it removes the slots of that range.
    pub fn new(start: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> Self {
        Self {
            start,
            end,
            address_services: Vec::new(),
            insurance_accepted: None,
            insurance_providers: None,
            extra: Extra::new(),
        }
    }
    /// Offers the address service `address_service_id` in visits of `duration_minutes`.
    pub fn service(mut self, address_service_id: impl Into<String>, duration_minutes: u32) -> Self {
        self.address_services
            .push(SlotService { address_service_id: address_service_id.into(), duration: duration_minutes });
        self
    }
    /// Which patients the range accepts.
    pub fn insurance_accepted(mut self, v: InsuranceAccepted) -> Self {
        self.insurance_accepted = Some(v);
        self
    }
    /// The insurance providers accepted (numeric ids, as the API types them here).
    pub fn insurance_providers(mut self, ids: impl IntoIterator<Item = i64>) -> Self {
        self.insurance_providers = Some(ids.into_iter().collect());
        self
    }
}
extra_setter!(SlotInput);
carewire_core::redacted_debug!(SlotInput {
    show: [start, end, address_services, insurance_accepted, insurance_providers],
    keys: [extra],
});

/// `PUT .../slots` (`replaceSlots`, 201 empty): replaces every slot of the given ranges, all on one day.
/// Validated before sending ([`ReplaceSlots::validate`]). The address is set by the handle, or by
/// [`ReplaceSlots::at`].
#[derive(Clone, Default, Serialize)]
pub struct ReplaceSlots {
    #[serde(skip)]
    at: AddressPath,
    slots: Vec<SlotInput>,
    #[serde(flatten)]
    extra: Extra,
}

impl ReplaceSlots {
    /// An empty replacement; add ranges with [`ReplaceSlots::slot`].
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a range.
    pub fn slot(mut self, slot: SlotInput) -> Self {
        self.slots.push(slot);
        self
    }
    /// Adds several ranges.
    pub fn slots(mut self, slots: impl IntoIterator<Item = SlotInput>) -> Self {
        self.slots.extend(slots);
        self
    }
    /// The address whose slots are replaced.
    pub fn at(mut self, at: AddressPath) -> Self {
        self.at = at;
        self
    }

    /// Checks what the API would reject: at least one slot; each starts before it ends and does not cross
    /// midnight; all are on the same day; every duration is positive. The error names the slot index and field
    /// (`slots[1].end`, `slots[0].address_services[2].duration`).
    pub fn validate(&self) -> Result<()> {
        let Some(first) = self.slots.first() else {
            return Err(Error::invalid_request("slots", "must contain at least one slot"));
        };
        let day = first.start.date_naive();
        for (i, s) in self.slots.iter().enumerate() {
            if s.end <= s.start {
                return Err(Error::invalid_request(format!("slots[{i}].end"), "must be after start"));
            }
            if s.start.date_naive() != day {
                return Err(Error::invalid_request(format!("slots[{i}].start"), "must be on the same day as slots[0]"));
            }
            let end_local = s.end.with_timezone(s.start.offset());
            let midnight_end =
                end_local.date_naive() == day.succ_opt().unwrap_or(day) && end_local.time() == chrono::NaiveTime::MIN;
            if end_local.date_naive() != day && !midnight_end {
                return Err(Error::invalid_request(
                    format!("slots[{i}].end"),
                    "must be on the same day as the slot's start",
                ));
            }
            for (j, svc) in s.address_services.iter().enumerate() {
                if svc.duration == 0 {
                    return Err(Error::invalid_request(
                        format!("slots[{i}].address_services[{j}].duration"),
                        "must be positive",
                    ));
                }
                if svc.address_service_id.trim().is_empty() {
                    return Err(Error::invalid_request(
                        format!("slots[{i}].address_services[{j}].address_service_id"),
                        "must not be empty",
                    ));
                }
            }
        }
        Ok(())
    }
}
extra_setter!(ReplaceSlots);
carewire_core::redacted_debug!(ReplaceSlots { show: [at, slots], keys: [extra] });

impl Operation for ReplaceSlots {
    type Output = ();
    const SPEC: Spec = Spec::put(fda!("/slots")).name("slots.replace").json();
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.validate()?;
        Ok(self.at.request(&Self::SPEC).json(self))
    }
    fn decode(&self, raw: RawResponse) -> Result<()> {
        unit(&raw)
    }
}

/// A value the API accepts as a JSON string or number (`phone`, `nin`): the docs' own examples send
/// numbers, real clients send strings. Build it from a `&str`, a `String` or a `u64`.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum StringOrNumber {
    /// Sent as a JSON string.
    String(String),
    /// Sent as a JSON number.
    Number(u64),
}

impl From<&str> for StringOrNumber {
    fn from(s: &str) -> Self {
        Self::String(s.to_owned())
    }
}
impl From<String> for StringOrNumber {
    fn from(s: String) -> Self {
        Self::String(s)
    }
}
impl From<u64> for StringOrNumber {
    fn from(n: u64) -> Self {
        Self::Number(n)
    }
}

impl fmt::Debug for StringOrNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// The patient of a booking request. Its `Debug` shows no personal data (only whether optional fields are set).
#[derive(Clone, Serialize)]
pub struct PatientInput {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    surname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    phone: StringOrNumber,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nin: Option<StringOrNumber>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gender: Option<Gender>,
    #[serde(skip_serializing_if = "Option::is_none")]
    marketing_consent: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_privacy_consent: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    insurance_number: Option<String>,
    #[serde(flatten)]
    extra: Extra,
}

impl PatientInput {
    /// A patient with the two required fields.
    pub fn new(name: impl Into<String>, phone: impl Into<StringOrNumber>) -> Self {
        Self {
            name: name.into(),
            surname: None,
            email: None,
            phone: phone.into(),
            birth_date: None,
            nin: None,
            gender: None,
            marketing_consent: None,
            data_privacy_consent: None,
            insurance_number: None,
            extra: Extra::new(),
        }
    }
    /// Surname.
    pub fn surname(mut self, v: impl Into<String>) -> Self {
        self.surname = Some(v.into());
        self
    }
    /// Email.
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.email = Some(v.into());
        self
    }
    /// Birth date (sent as `YYYY-MM-DD`).
    pub fn birth_date(mut self, v: NaiveDate) -> Self {
        self.birth_date = Some(v);
        self
    }
    /// National identification number.
    pub fn nin(mut self, v: impl Into<StringOrNumber>) -> Self {
        self.nin = Some(v.into());
        self
    }
    /// Gender.
    pub fn gender(mut self, v: Gender) -> Self {
        self.gender = Some(v);
        self
    }
    /// Marketing consent.
    pub fn marketing_consent(mut self, v: bool) -> Self {
        self.marketing_consent = Some(v);
        self
    }
    /// Data privacy consent.
    pub fn data_privacy_consent(mut self, v: bool) -> Self {
        self.data_privacy_consent = Some(v);
        self
    }
    /// Insurance number (API 1.8.1).
    pub fn insurance_number(mut self, v: impl Into<String>) -> Self {
        self.insurance_number = Some(v.into());
        self
    }
}
extra_setter!(PatientInput);

carewire_core::redacted_debug!(PatientInput {
    redact: [
        name,
        surname,
        email,
        phone,
        birth_date,
        nin,
        gender,
        marketing_consent,
        data_privacy_consent,
        insurance_number,
    ],
    keys: [extra],
});

/// `POST .../slots/{start}/book` (`bookSlot`, 200 with the booking). The slot (address and start) is set by the
/// handle (`slots().book(start, ..)`), or by [`BookSlot::at`]. `start` goes in the path with its offset,
/// percent-encoded (`2021-05-16T14%3A00%3A00%2B01%3A00`). `Debug` shows no patient data, label or comment.
#[derive(Clone, Serialize)]
pub struct BookSlot {
    #[serde(skip)]
    at: AddressPath,
    #[serde(skip)]
    start: Option<DateTime<FixedOffset>>,
    address_service_id: String,
    duration: u32,
    patient: PatientInput,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_returning: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    insurance_provider_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    insurance_plan_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_recurring: Option<bool>,
    #[serde(flatten)]
    extra: Extra,
}

impl BookSlot {
    /// Books `address_service_id` for `duration_minutes` for `patient`.
    pub fn new(address_service_id: impl Into<String>, duration_minutes: u32, patient: PatientInput) -> Self {
        Self {
            at: AddressPath::default(),
            start: None,
            address_service_id: address_service_id.into(),
            duration: duration_minutes,
            patient,
            is_returning: None,
            label: None,
            comment: None,
            insurance_provider_id: None,
            insurance_plan_id: None,
            is_recurring: None,
            extra: Extra::new(),
        }
    }
    /// Whether the patient visited before.
    pub fn is_returning(mut self, v: bool) -> Self {
        self.is_returning = Some(v);
        self
    }
    /// A label.
    pub fn label(mut self, v: impl Into<String>) -> Self {
        self.label = Some(v.into());
        self
    }
    /// A comment for the doctor.
    pub fn comment(mut self, v: impl Into<String>) -> Self {
        self.comment = Some(v.into());
        self
    }
    /// The patient's insurance provider (API 1.3).
    pub fn insurance_provider_id(mut self, v: impl Into<String>) -> Self {
        self.insurance_provider_id = Some(v.into());
        self
    }
    /// The patient's insurance plan (API 1.3).
    pub fn insurance_plan_id(mut self, v: impl Into<String>) -> Self {
        self.insurance_plan_id = Some(v.into());
        self
    }
    /// A recurring visit (API 1.3.2).
    pub fn is_recurring(mut self, v: bool) -> Self {
        self.is_recurring = Some(v);
        self
    }
    /// The slot to book: the one starting at `start` at the address `at`.
    pub fn at(mut self, at: AddressPath, start: DateTime<FixedOffset>) -> Self {
        self.at = at;
        self.start = Some(start);
        self
    }
}
extra_setter!(BookSlot);

impl Operation for BookSlot {
    type Output = Booking;
    const SPEC: Spec = Spec::post(fda!("/slots/{start}/book")).name("slots.book").json();
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        let mut req = self.at.request(&Self::SPEC);
        if let Some(start) = &self.start {
            req = req.path_param("start", format_datetime(start));
        }
        Ok(req.json(self))
    }
    fn decode(&self, raw: RawResponse) -> Result<Booking> {
        raw.json()
    }
}

carewire_core::redacted_debug!(BookSlot {
    show: [
        at,
        start,
        address_service_id,
        duration,
        patient,
        is_returning,
        insurance_provider_id,
        insurance_plan_id,
        is_recurring,
    ],
    redact: [label, comment],
    keys: [extra],
});

/// `GET .../slots?start=..&end=..`: the free slots of a range (at most 180 days; extension: [`SlotsWith`]).
#[derive(Clone, Debug)]
pub struct ListSlots {
    at: AddressPath,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    with: With<SlotsWith>,
}

impl ListSlots {
    /// The free slots of the address `at` between `start` and `end`.
    pub fn new(at: AddressPath, start: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> Self {
        Self { at, start, end, with: With::default() }
    }
}

impl Operation for ListSlots {
    type Output = Collection<Slot>;
    const SPEC: Spec = Spec::get(fda!("/slots")).name("slots.list");
    fn request(&self, enc: &Encodings) -> Result<Request> {
        let req = self
            .at
            .request(&Self::SPEC)
            .query("start", format_datetime(&self.start))
            .query("end", format_datetime(&self.end));
        Ok(self.with.apply(req, *enc))
    }
    fn decode(&self, raw: RawResponse) -> Result<Self::Output> {
        raw.json()
    }
}
expandable!(ListSlots => SlotsWith);

operation! {
    /// `DELETE .../slots/{date}` (`deleteSlots`, 204): removes every slot of that day.
    DeleteSlots { at: AddressPath, date: NaiveDate }
    /// Removes the slots of the address `at` on `date` (sent as `YYYY-MM-DD`).
    fn new;
    const SPEC = Spec::delete(fda!("/slots/{date}")).name("slots.delete");
    type Output = ();
}

/// `...address(a).slots()`.
#[derive(Clone, Debug)]
pub struct SlotsHandler {
    client: Client,
    path: AddressPath,
}

impl SlotsHandler {
    pub(crate) fn new(client: Client, path: AddressPath) -> Self {
        Self { client, path }
    }

    /// `GET .../slots?start=..&end=..` ([`ListSlots`]; extension: [`SlotsWith`]).
    pub fn list(&self, start: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> Call<ListSlots> {
        self.client.send(ListSlots::new(self.path.clone(), start, end))
    }

    /// `PUT .../slots` ([`ReplaceSlots`], 201 empty): validated before sending ([`ReplaceSlots::validate`]).
    pub fn replace(&self, body: ReplaceSlots) -> Call<ReplaceSlots> {
        self.client.send(body.at(self.path.clone()))
    }

    /// `POST .../slots/{start}/book` ([`BookSlot`], 200 with the booking).
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use carewire::docplanner::{BookSlot, PatientInput};
    ///
    /// # async fn run(client: carewire::docplanner::Client) -> carewire::Result<()> {
    /// let start = chrono::DateTime::parse_from_rfc3339("2021-05-16T14:00:00+01:00").unwrap();
    /// let patient = PatientInput::new("Abraham", "+48123123123").surname("Lincoln");
    /// let slots = client.facility("1").doctor("123").address("111").slots();
    /// // Not retried once it may have reached Docplanner (a POST); a per-call timeout bounds the wait.
    /// let booking = slots.book(start, BookSlot::new("113", 30, patient)).timeout(Duration::from_secs(10)).await?;
    /// println!("{:?}", booking.id);
    /// # Ok(()) }
    /// ```
    pub fn book(&self, start: DateTime<FixedOffset>, body: BookSlot) -> Call<BookSlot> {
        self.client.send(body.at(self.path.clone(), start))
    }

    /// `DELETE .../slots/{date}` ([`DeleteSlots`], 204): removes every slot of that day.
    pub fn delete_day(&self, date: NaiveDate) -> Call<DeleteSlots> {
        self.client.send(DeleteSlots::new(self.path.clone(), date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn field(r: Result<()>) -> String {
        match r {
            Err(Error::InvalidRequest { field, .. }) => field.into_owned(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn replace_slots_validation() {
        let ok = ReplaceSlots::new()
            .slot(SlotInput::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00")).service("111", 30))
            .slot(SlotInput::new(dt("2021-05-16T23:00:00+01:00"), dt("2021-05-17T00:00:00+01:00")));
        assert!(ok.validate().is_ok());
        assert_eq!(field(ReplaceSlots::new().validate()), "slots");
        let backwards = ReplaceSlots::new()
            .slot(SlotInput::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00")))
            .slot(SlotInput::new(dt("2021-05-16T16:00:00+01:00"), dt("2021-05-16T15:00:00+01:00")));
        assert_eq!(field(backwards.validate()), "slots[1].end");
        let two_days = ReplaceSlots::new()
            .slot(SlotInput::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00")))
            .slot(SlotInput::new(dt("2021-05-17T14:00:00+01:00"), dt("2021-05-17T15:00:00+01:00")));
        assert_eq!(field(two_days.validate()), "slots[1].start");
        let crossing =
            ReplaceSlots::new().slot(SlotInput::new(dt("2021-05-16T23:00:00+01:00"), dt("2021-05-17T01:00:00+01:00")));
        assert_eq!(field(crossing.validate()), "slots[0].end");
        let zero = ReplaceSlots::new().slot(
            SlotInput::new(dt("2021-05-16T14:00:00+01:00"), dt("2021-05-16T15:00:00+01:00"))
                .service("1", 15)
                .service("2", 0),
        );
        assert_eq!(field(zero.validate()), "slots[0].address_services[1].duration");
    }

    #[test]
    fn patient_debug_is_redacted() {
        let patient = PatientInput::new("Abraham", "+48123123123").nin("894237492").gender(Gender::Male);
        let b = BookSlot::new("1", 30, patient.birth_date(NaiveDate::from_ymd_opt(1985, 1, 1).unwrap()))
            .comment("Chest pain since Monday");
        let s = format!("{b:?}");
        for secret in ["Abraham", "48123", "894237492", "1985", "Male", "Chest"] {
            assert!(!s.contains(secret), "{secret} in {s}");
        }
        assert!(s.contains("nin: Some([REDACTED])") && s.contains("comment: Some([REDACTED])"), "{s}");
    }
}
