//! Bookings of an address: list (paginated), get, cancel, move, confirm, patient presence.

use std::fmt;
use std::future::IntoFuture;

use carewire_core::{Method, Page, PageRequest, PageStream, Paginator, Request, Result, Strategy};
use chrono::{DateTime, FixedOffset};
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::common::{
    AddressPath, Call, Collection, Ctx, Extra, apply_with, extensions, extra_setter, fda, format_datetime, open_enum,
    opt_dt, ser_dt, tolerant_bool,
};
use crate::services::AddressService;

extensions! {
    /// The extensions of `GET .../bookings`.
    BookingsWith {
        /// `booking.patient`: the patient of every booking.
        Patient => "booking.patient",
        /// `booking.address_service`: the booked service.
        AddressService => "booking.address_service",
        /// `booking.presence`: whether the patient came.
        Presence => "booking.presence",
        /// `booking.confirmation`: whether the booking is confirmed (API 1.9).
        Confirmation => "booking.confirmation",
        /// `address_service.public_insurance_flow` (API 1.14).
        PublicInsuranceFlow => "address_service.public_insurance_flow",
    }
}

extensions! {
    /// The extensions of `POST .../bookings/{booking_id}/move` (API 1.14).
    ///
    /// ```
    /// use carewire_docplanner::{Extension, MoveBookingWith};
    ///
    /// assert_eq!(MoveBookingWith::PublicInsuranceFlow.as_str(), "address_service.public_insurance_flow");
    /// ```
    MoveBookingWith {
        /// `address_service.public_insurance_flow`: the moved booking's service says whether it follows the
        /// public insurance flow.
        PublicInsuranceFlow => "address_service.public_insurance_flow",
    }
}

extensions! {
    /// The extensions of `GET .../bookings/{booking_id}` (API 1.14).
    BookingWith {
        /// `booking.moving`: the moving chain of a moved booking.
        Moving => "booking.moving",
        /// `address_service.public_insurance_flow`.
        PublicInsuranceFlow => "address_service.public_insurance_flow",
    }
}

open_enum! {
    /// A booking's status.
    BookingStatus {
        /// `booked`.
        Booked => "booked",
        /// `canceled`.
        Canceled => "canceled",
    }
}

open_enum! {
    /// Who booked or canceled.
    Actor {
        /// `user` (the patient).
        User => "user",
        /// `doctor`.
        Doctor => "doctor",
        /// `integration` (an API client).
        Integration => "integration",
        /// `admin`.
        Admin => "admin",
    }
}

open_enum! {
    /// Whether the patient came. Bookings use lower case, the `presence-marked` notification upper case:
    /// both map here (values are matched case-insensitively).
    Presence {
        /// `present` / `PRESENT`.
        Present => "present",
        /// `absent` / `ABSENT`.
        Absent => "absent",
    }
}

open_enum! {
    /// A patient's gender.
    Gender {
        /// `m`.
        Male => "m",
        /// `f`.
        Female => "f",
    }
}

open_enum! {
    /// A visit payment status: a booking's `visit_payment_status`, and both sides of the
    /// `booking-payment-status-changed` notification.
    ///
    /// ```
    /// use carewire_docplanner::PaymentStatus;
    ///
    /// assert_eq!(PaymentStatus::from("not-paid"), PaymentStatus::NotPaid);
    /// assert_eq!(PaymentStatus::from("partially_paid"), PaymentStatus::Unknown("partially_paid".into()));
    /// assert_eq!(PaymentStatus::Paid.as_str(), "paid");
    /// ```
    PaymentStatus {
        /// `paid`.
        Paid => "paid",
        /// `waiting_for_confirmation`.
        WaitingForConfirmation => "waiting_for_confirmation",
        /// `not-paid`.
        NotPaid => "not-paid",
        /// `refunded`.
        Refunded => "refunded",
        /// `charged_back`.
        ChargedBack => "charged_back",
    }
}

/// A payment status that never fails its booking: a string (or number) is a [`PaymentStatus`] (unknown values
/// kept in `Unknown`), `null` and `""` are `None`, and any other JSON (an object, say) is kept, as JSON text,
/// in `Unknown`.
fn tolerant_payment_status<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<PaymentStatus>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => None,
        Some(serde_json::Value::String(s)) => Some(PaymentStatus::from(s.as_str())),
        Some(serde_json::Value::Number(n)) => Some(PaymentStatus::from(n.to_string().as_str())),
        Some(other) => Some(PaymentStatus::Unknown(other.to_string())),
    })
}

open_enum! {
    /// Who confirms a booking.
    ConfirmedBy {
        /// `user` (the patient).
        User => "user",
        /// `admin` (the facility).
        Admin => "admin",
    }
}

/// The patient of a booking (and of a booking notification). Its `Debug` shows no personal data: not the
/// name, contact details, ids or birth date, and of the consents only whether they were sent (a patient's
/// consent choices are personal data too).
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct BookingPatient {
    /// First name.
    #[serde(default)]
    pub name: Option<String>,
    /// Surname.
    #[serde(default)]
    pub surname: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone (sent as a number or a string).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub phone: Option<String>,
    /// Birth date (`YYYY-MM-DD`), as sent.
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub birth_date: Option<String>,
    /// National identification number (sent as a number or a string).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub nin: Option<String>,
    /// Gender.
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub gender: Option<Gender>,
    /// Whether the patient visited before.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_returning: Option<bool>,
    /// Insurance number (API 1.8.1).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub insurance_number: Option<String>,
    /// Whether the patient agreed to marketing (sent in notifications). Read leniently: `true`/`false`,
    /// `1`/`0` or `"true"`/`"false"`; anything else is `None`. `Debug` shows whether it was sent, not its
    /// value.
    ///
    /// ```
    /// use carewire_docplanner::BookingPatient;
    ///
    /// let p: BookingPatient = serde_json::from_str(r#"{"name": "Abraham", "marketing_consent": 1}"#)?;
    /// assert_eq!(p.marketing_consent, Some(true));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[serde(default, deserialize_with = "tolerant_bool")]
    pub marketing_consent: Option<bool>,
    /// Whether the patient accepted the data privacy terms (sent in notifications). Read like
    /// [`marketing_consent`](Self::marketing_consent), and redacted the same way in `Debug`.
    ///
    /// ```
    /// use carewire_docplanner::BookingPatient;
    ///
    /// let p: BookingPatient = serde_json::from_str(r#"{"data_privacy_consent": "true"}"#)?;
    /// assert_eq!(p.data_privacy_consent, Some(true));
    /// assert!(!format!("{p:?}").contains("true"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[serde(default, deserialize_with = "tolerant_bool")]
    pub data_privacy_consent: Option<bool>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl BookingPatient {
    /// The birth date, parsed.
    pub fn birth_date_parsed(&self) -> Option<chrono::NaiveDate> {
        self.birth_date.as_deref().and_then(carewire_core::de::parse_date)
    }
}

impl fmt::Debug for BookingPatient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BookingPatient")
            .field("name", &"[REDACTED]")
            .field("is_returning", &self.is_returning)
            .field("marketing_consent", &self.marketing_consent.map(|_| "[REDACTED]"))
            .field("data_privacy_consent", &self.data_privacy_consent.map(|_| "[REDACTED]"))
            .field("extra_keys", &self.extra.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The insurance a booking is made with.
///
/// Bookings name the provider `id`, booking notifications `insurance_provider_id`: both are read into
/// [`id`](Self::id) (`id` wins when both are sent).
///
/// ```
/// use carewire_docplanner::BookingInsurance;
///
/// let from_api: BookingInsurance = serde_json::from_str(r#"{"id": "11", "name": "Axa"}"#)?;
/// let from_notification: BookingInsurance =
///     serde_json::from_str(r#"{"insurance_provider_id": 11, "name": "Axa", "plan_id": "3"}"#)?;
/// assert_eq!(from_api.id.as_deref(), Some("11"));
/// assert_eq!(from_notification.id.as_deref(), Some("11"));
/// assert_eq!(from_notification.plan_id.as_deref(), Some("3"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(from = "InsuranceWire")]
#[non_exhaustive]
pub struct BookingInsurance {
    /// Provider id (`id` in bookings, `insurance_provider_id` in notifications).
    pub id: Option<String>,
    /// Provider name.
    pub name: Option<String>,
    /// Plan name.
    pub plan: Option<String>,
    /// Plan id.
    pub plan_id: Option<String>,
    /// Anything else the API sent.
    pub extra: Extra,
}

/// The wire form of [`BookingInsurance`]: both provider-id keys.
#[derive(Deserialize)]
struct InsuranceWire {
    #[serde(default, deserialize_with = "crate::common::opt_id")]
    id: Option<String>,
    #[serde(default, deserialize_with = "crate::common::opt_id")]
    insurance_provider_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    plan: Option<String>,
    #[serde(default, deserialize_with = "crate::common::opt_id")]
    plan_id: Option<String>,
    #[serde(flatten)]
    extra: Extra,
}

impl From<InsuranceWire> for BookingInsurance {
    fn from(w: InsuranceWire) -> Self {
        Self { id: w.id.or(w.insurance_provider_id), name: w.name, plan: w.plan, plan_id: w.plan_id, extra: w.extra }
    }
}

/// Where a moved booking came from and went to (with [`BookingWith::Moving`]).
///
/// ```
/// use carewire_docplanner::BookingMoving;
///
/// let m: BookingMoving = serde_json::from_str(r#"{"origin_booking_id": "1", "newest_booking_id": 3}"#)?;
/// assert_eq!(m.origin_booking_id.as_deref(), Some("1"));
/// assert_eq!(m.newest_booking_id.as_deref(), Some("3"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct BookingMoving {
    /// The first booking of the chain (the one the patient made).
    #[serde(default, deserialize_with = "crate::common::opt_id")]
    pub origin_booking_id: Option<String>,
    /// The latest booking of the chain (where the visit is now).
    #[serde(default, deserialize_with = "crate::common::opt_id")]
    pub newest_booking_id: Option<String>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A booking (visit). Also the booking inside notifications. Its `Debug` shows no patient data.
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct Booking {
    /// The booking id. Required, so always `Some` once decoded: an answer without it is a decode error (and a
    /// notification whose booking has none is [`NotificationEvent::Unknown`](crate::NotificationEvent::Unknown),
    /// its raw `data` kept).
    #[serde(deserialize_with = "carewire_core::resource::some_id")]
    pub id: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<BookingStatus>,
    /// Start.
    #[serde(default, deserialize_with = "opt_dt")]
    pub start_at: Option<DateTime<FixedOffset>>,
    /// End.
    #[serde(default, deserialize_with = "opt_dt")]
    pub end_at: Option<DateTime<FixedOffset>>,
    /// Duration in minutes.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub duration: Option<i64>,
    /// Who booked.
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub booked_by: Option<Actor>,
    /// Who canceled (`""` in the API when nobody did: `None`).
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub canceled_by: Option<Actor>,
    /// When it was booked.
    #[serde(default, deserialize_with = "opt_dt")]
    pub booked_at: Option<DateTime<FixedOffset>>,
    /// When it was canceled.
    #[serde(default, deserialize_with = "opt_dt")]
    pub canceled_at: Option<DateTime<FixedOffset>>,
    /// The patient (with `booking.patient`).
    #[serde(default)]
    pub patient: Option<BookingPatient>,
    /// The booked service (with `booking.address_service`).
    #[serde(default)]
    pub address_service: Option<AddressService>,
    /// The patient's comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// Presence (with `booking.presence`).
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub presence: Option<Presence>,
    /// Insurance.
    #[serde(default)]
    pub insurance: Option<BookingInsurance>,
    /// Whether confirmed (with `booking.confirmation`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub confirmed: Option<bool>,
    /// The moving chain (with [`BookingWith::Moving`]).
    ///
    /// ```
    /// use carewire_docplanner::Booking;
    ///
    /// let b: Booking = serde_json::from_str(
    ///     r#"{"id": "3", "moving": {"origin_booking_id": "1", "newest_booking_id": "3"}}"#,
    /// )?;
    /// assert_eq!(b.moving.unwrap().origin_booking_id.as_deref(), Some("1"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[serde(default)]
    pub moving: Option<BookingMoving>,
    /// Whether the visit is paid online. Read leniently: `true`/`false`, `1`/`0` or `"true"`/`"false"`;
    /// anything else is `None`.
    ///
    /// ```
    /// use carewire_docplanner::Booking;
    ///
    /// let b: Booking = serde_json::from_str(r#"{"id": "1", "visit_payment": 0}"#)?;
    /// assert_eq!(b.visit_payment, Some(false));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[serde(default, deserialize_with = "tolerant_bool")]
    pub visit_payment: Option<bool>,
    /// The visit payment status. A value this SDK does not know is [`PaymentStatus::Unknown`]; so is any
    /// other JSON shape (kept as JSON text), so the booking always decodes.
    ///
    /// ```
    /// use carewire_docplanner::{Booking, PaymentStatus};
    ///
    /// let b: Booking = serde_json::from_str(r#"{"id": "1", "visit_payment_status": "waiting_for_confirmation"}"#)?;
    /// assert_eq!(b.visit_payment_status, Some(PaymentStatus::WaitingForConfirmation));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[serde(default, deserialize_with = "tolerant_payment_status")]
    pub visit_payment_status: Option<PaymentStatus>,
    /// The video consultation link (deprecated by Docplanner in API 1.0.39, still sent by some accounts).
    /// `Debug` does not show it: it opens the patient's consultation.
    ///
    /// ```
    /// use carewire_docplanner::Booking;
    ///
    /// let b: Booking = serde_json::from_str(r#"{"id": "1", "videocall_url": "https://video.example/r/abc"}"#)?;
    /// assert_eq!(b.videocall_url.as_deref(), Some("https://video.example/r/abc"));
    /// assert!(!format!("{b:?}").contains("video.example"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub videocall_url: Option<String>,
    /// Signature (notifications).
    #[serde(default)]
    pub signature: Option<String>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl fmt::Debug for Booking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Booking")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("start_at", &self.start_at)
            .field("end_at", &self.end_at)
            .field("duration", &self.duration)
            .field("booked_by", &self.booked_by)
            .field("canceled_by", &self.canceled_by)
            .field("patient", &self.patient)
            .field("address_service", &self.address_service.as_ref().map(|s| &s.id))
            .field("comment", &self.comment.as_ref().map(|_| "[REDACTED]"))
            .field("presence", &self.presence)
            .field("confirmed", &self.confirmed)
            .field("moving", &self.moving)
            .field("visit_payment", &self.visit_payment)
            .field("visit_payment_status", &self.visit_payment_status)
            .field("videocall_url", &self.videocall_url.as_ref().map(|_| "[REDACTED]"))
            .field("extra_keys", &self.extra.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The body of `cancelBooking` (optional: [`CancelBooking::new`] sends no body). `Debug` does not show the
/// reason (free text, often about the patient).
#[derive(Clone, Default, Serialize)]
pub struct CancelBooking {
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    send_notifications: Option<bool>,
    #[serde(flatten)]
    extra: Extra,
}

impl fmt::Debug for CancelBooking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelBooking")
            .field("reason", &self.reason.as_ref().map(|_| "[REDACTED]"))
            .field("send_notifications", &self.send_notifications)
            .field("extra_keys", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl CancelBooking {
    /// A cancellation without a reason.
    pub fn new() -> Self {
        Self::default()
    }
    /// Why (shown to the patient).
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
    /// Whether Docplanner tells the patient about the cancellation: `send_notifications`, a JSON boolean in
    /// the DELETE's body (not a query parameter). Unset, the field is not sent and Docplanner decides.
    ///
    /// ```
    /// use carewire_docplanner::CancelBooking;
    ///
    /// let body = CancelBooking::new().reason("The doctor is ill").send_notifications(false);
    /// assert_eq!(
    ///     serde_json::to_value(&body)?,
    ///     serde_json::json!({"reason": "The doctor is ill", "send_notifications": false}),
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn send_notifications(mut self, send: bool) -> Self {
        self.send_notifications = Some(send);
        self
    }
    fn is_empty(&self) -> bool {
        self.reason.is_none() && self.send_notifications.is_none() && self.extra.is_empty()
    }
}
extra_setter!(CancelBooking);

/// The body of `moveBooking`.
#[derive(Clone, Debug, Serialize)]
pub struct MoveBooking {
    address_service_id: String,
    #[serde(serialize_with = "ser_dt")]
    start: DateTime<FixedOffset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address_id: Option<String>,
    #[serde(flatten)]
    extra: Extra,
}

impl MoveBooking {
    /// Moves the booking to `start` with the service `address_service_id` (the API requires `start` in
    /// practice, though the doc marks it optional).
    pub fn new(address_service_id: impl Into<String>, start: DateTime<FixedOffset>) -> Self {
        Self {
            address_service_id: address_service_id.into(),
            start,
            duration: None,
            address_id: None,
            extra: Extra::new(),
        }
    }
    /// The new duration in minutes.
    pub fn duration(mut self, minutes: u32) -> Self {
        self.duration = Some(minutes);
        self
    }
    /// Moves it to another address (possibly another doctor's in the same facility, API 1.13).
    pub fn address_id(mut self, id: impl Into<String>) -> Self {
        self.address_id = Some(id.into());
        self
    }
}
extra_setter!(MoveBooking);

/// The body of `confirmBooking`.
#[derive(Clone, Debug, Serialize)]
pub struct ConfirmBooking {
    confirmed_by: ConfirmedBy,
    #[serde(flatten)]
    extra: Extra,
}

impl ConfirmBooking {
    /// Confirmed by the patient or the facility.
    pub fn new(confirmed_by: ConfirmedBy) -> Self {
        Self { confirmed_by, extra: Extra::new() }
    }
}
extra_setter!(ConfirmBooking);

/// `GET .../bookings`: `.await` for one unpaginated response, [`ListBookings::page`] for one page, or
/// [`ListBookings::stream`] for every booking across pages.
#[must_use = "a listing does nothing until awaited or streamed"]
#[derive(Debug)]
pub struct ListBookings {
    ctx: Ctx,
    req: Request,
    with: Vec<BookingsWith>,
    per_page: u32,
}

impl ListBookings {
    /// Asks for an extension.
    pub fn with(mut self, extension: BookingsWith) -> Self {
        self.with.push(extension);
        self
    }
    /// Asks for several extensions.
    pub fn with_all(mut self, extensions: impl IntoIterator<Item = BookingsWith>) -> Self {
        self.with.extend(extensions);
        self
    }
    /// Items per page for [`ListBookings::page`] and [`ListBookings::stream`] (default 100, the API's).
    pub fn per_page(mut self, limit: u32) -> Self {
        self.per_page = limit.max(1);
        self
    }

    fn base(&self) -> Request {
        apply_with(self.req.clone(), self.ctx.with_encoding, &self.with)
    }

    /// Fetches one page (`page` is 1-based): the collection carries `page`, `limit`, `pages` and `total`.
    pub async fn page(self, page: u32) -> Result<Collection<Booking>> {
        self.ctx.send(self.base().query("page", page).query("limit", self.per_page)).await
    }

    /// Every booking of the range, fetching page after page lazily (`page`/`limit`) until the last one.
    pub fn stream(self) -> PageStream<Booking> {
        let base = self.base();
        let ctx = self.ctx;
        Paginator::new(Strategy::PageNumber { first: 1, per_page: self.per_page }, move |pr| {
            let (ctx, base) = (ctx.clone(), base.clone());
            async move {
                let PageRequest::Number { page, per_page } = pr else {
                    return Err(carewire_core::Error::invalid_request("page", "unexpected pagination request"));
                };
                let c: Collection<Booking> = ctx.send(base.query("page", page).query("limit", per_page)).await?;
                let pages = c.pages.and_then(|p| u32::try_from(p).ok());
                Ok(Page::new(c.items).total_pages(pages))
            }
        })
        .items()
    }

    /// Sends without pagination (the API returns every booking of the range).
    pub async fn send(self) -> Result<Collection<Booking>> {
        self.ctx.send(self.base()).await
    }
}

impl IntoFuture for ListBookings {
    type Output = Result<Collection<Booking>>;
    type IntoFuture = BoxFuture<'static, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// `...address(a).bookings()`.
#[derive(Clone, Debug)]
pub struct BookingsHandler {
    ctx: Ctx,
    path: AddressPath,
}

impl BookingsHandler {
    pub(crate) fn new(ctx: Ctx, path: AddressPath) -> Self {
        Self { ctx, path }
    }

    fn one(&self, method: Method, template: &'static str, operation: &'static str, id: &str) -> Request {
        self.path.req(method, template, operation).path_param("booking_id", id)
    }

    /// `GET .../bookings?start=..&end=..` (extensions: [`BookingsWith`]).
    pub fn list(&self, start: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> ListBookings {
        let req = self
            .path
            .req(Method::Get, fda!("/bookings"), "bookings.list")
            .query("start", format_datetime(&start))
            .query("end", format_datetime(&end));
        ListBookings { ctx: self.ctx.clone(), req, with: Vec::new(), per_page: 100 }
    }

    /// `GET .../bookings/{booking_id}` (extensions: [`BookingWith`]).
    pub fn get(&self, booking_id: &str) -> Call<Booking, BookingWith> {
        self.ctx.call(self.one(Method::Get, fda!("/bookings/{booking_id}"), "bookings.get", booking_id))
    }

    /// `DELETE .../bookings/{booking_id}` (204), with the reason and `send_notifications`, if set, in a JSON
    /// body on the DELETE (no body at all when neither is).
    pub async fn cancel(&self, booking_id: &str, body: CancelBooking) -> Result<()> {
        let req = self.one(Method::Delete, fda!("/bookings/{booking_id}"), "bookings.cancel", booking_id);
        self.ctx.send_unit(if body.is_empty() { req } else { req.json(&body) }).await
    }

    /// `POST .../bookings/{booking_id}/move` (201 with the new booking; extensions: [`MoveBookingWith`]).
    /// `.await` it like any other [`Call`].
    ///
    /// ```no_run
    /// use carewire_docplanner::{Client, MoveBooking, MoveBookingWith};
    ///
    /// # async fn run(client: Client) -> carewire_docplanner::Result<()> {
    /// let start = chrono::DateTime::parse_from_rfc3339("2021-05-26T16:00:00+01:00").unwrap();
    /// let moved = client
    ///     .facility("1")
    ///     .doctor("123")
    ///     .address("111")
    ///     .bookings()
    ///     .move_booking("2134124", MoveBooking::new("112", start))
    ///     .with(MoveBookingWith::PublicInsuranceFlow)
    ///     .await?;
    /// println!("{:?}", moved.address_service.and_then(|s| s.is_public_insurance_flow));
    /// # Ok(()) }
    /// ```
    #[allow(clippy::needless_pass_by_value)] // owned like every other body, so callers never borrow for a call
    pub fn move_booking(&self, booking_id: &str, body: MoveBooking) -> Call<Booking, MoveBookingWith> {
        self.ctx
            .call(self.one(Method::Post, fda!("/bookings/{booking_id}/move"), "bookings.move", booking_id).json(&body))
    }

    /// `PUT .../bookings/{booking_id}/confirm` (204). 409 when already confirmed, canceled or past.
    pub async fn confirm(&self, booking_id: &str, body: ConfirmBooking) -> Result<()> {
        self.ctx
            .send_unit(
                self.one(Method::Put, fda!("/bookings/{booking_id}/confirm"), "bookings.confirm", booking_id)
                    .json(&body),
            )
            .await
    }

    /// `POST .../bookings/{booking_id}/presence/patient` (204): the patient came.
    pub async fn mark_present(&self, booking_id: &str) -> Result<()> {
        self.ctx
            .send_unit(self.one(
                Method::Post,
                fda!("/bookings/{booking_id}/presence/patient"),
                "presence.mark_present",
                booking_id,
            ))
            .await
    }

    /// `DELETE .../bookings/{booking_id}/presence/patient` (204): the patient did not come.
    pub async fn mark_absent(&self, booking_id: &str) -> Result<()> {
        self.ctx
            .send_unit(self.one(
                Method::Delete,
                fda!("/bookings/{booking_id}/presence/patient"),
                "presence.mark_absent",
                booking_id,
            ))
            .await
    }
}
