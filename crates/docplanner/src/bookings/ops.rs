//! The booking operations of an address: list (paginated), get, cancel, move, confirm, patient presence.

use carewire_core::operation::{Call, Encodings, Operation, Paginated, Pagination, Spec};
use carewire_core::{Error, Page, PageRequest, RawResponse, Request, Result, Strategy};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::{Booking, BookingWith, BookingsWith, ConfirmedBy, MoveBookingWith};
use crate::Client;
use crate::common::{AddressPath, Collection, Extra, With, fda, format_datetime, ser_dt, unit};
use crate::macros::{expandable, extra_setter, operation};

/// `GET .../bookings?start=..&end=..` (extensions: [`BookingsWith`]).
///
/// The API pages only when asked (`page`, 1-based, and `limit`, default 100): `.await` sends neither and gets
/// every booking of the range; [`ListBookings::page`] asks for one page (its [`Collection`] carries `page`,
/// `limit`, `pages` and `total`); as a [`Paginated`] operation its call also has `.stream()`, `.pages()` and
/// `.collect_max(n)`, fetching page after page lazily until the last one.
#[derive(Clone, Debug)]
pub struct ListBookings {
    at: AddressPath,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    with: With<BookingsWith>,
    page: Option<u32>,
    per_page: u32,
}

impl ListBookings {
    /// The bookings of the address `at` between `start` and `end`, 100 per page when paged.
    pub fn new(at: AddressPath, start: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> Self {
        Self { at, start, end, with: With::default(), page: None, per_page: 100 }
    }
    /// Items per page when paged (default 100, the API's; at least 1).
    pub fn per_page(mut self, limit: u32) -> Self {
        self.per_page = limit.max(1);
        self
    }
    /// Asks for one page (1-based) instead of the whole range; a stream then starts at that page.
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page.max(1));
        self
    }
    fn base(&self, enc: Encodings) -> Request {
        let req = self
            .at
            .request(&Self::SPEC)
            .query("start", format_datetime(&self.start))
            .query("end", format_datetime(&self.end));
        self.with.apply(req, enc)
    }
}

impl Operation for ListBookings {
    type Output = Collection<Booking>;
    const SPEC: Spec = Spec::get(fda!("/bookings")).name("bookings.list").paginated(Pagination::PageNumber);
    fn request(&self, enc: &Encodings) -> Result<Request> {
        let req = self.base(*enc);
        Ok(match self.page {
            Some(page) => req.query("page", page).query("limit", self.per_page),
            None => req,
        })
    }
    fn decode(&self, raw: RawResponse) -> Result<Self::Output> {
        raw.json()
    }
}

impl Paginated for ListBookings {
    type Item = Booking;
    fn strategy(&self) -> Strategy {
        Strategy::PageNumber { first: self.page.unwrap_or(1), per_page: self.per_page }
    }
    fn page_request(&self, page: &PageRequest, enc: &Encodings) -> Result<Request> {
        match page {
            PageRequest::Number { page, per_page } => Ok(self.base(*enc).query("page", page).query("limit", per_page)),
            _ => Err(Error::invalid_request("page", "bookings page by number")),
        }
    }
    fn into_page(output: Collection<Booking>) -> Page<Booking> {
        let pages = output.pages.and_then(|p| u32::try_from(p).ok());
        Page::new(output.items).total_pages(pages)
    }
}

/// `.per_page(n)` and `.page(n)` on the call `address.bookings().list(..)` returns (the same as
/// [`ListBookings::per_page`] and [`ListBookings::page`] on the operation).
///
/// ```no_run
/// use carewire::docplanner::{BookingsWith, ListBookingsExt};
/// use futures_util::TryStreamExt;
///
/// # async fn run(client: carewire::docplanner::Client) -> carewire::Result<()> {
/// let bookings = client.facility("1").doctor("123").address("111").bookings();
/// let start = chrono::DateTime::parse_from_rfc3339("2021-05-16T00:00:00+01:00").unwrap();
/// let end = chrono::DateTime::parse_from_rfc3339("2021-05-23T00:00:00+01:00").unwrap();
/// let second = bookings.list(start, end).per_page(50).page(2).await?;
/// println!("page {:?} of {:?}", second.page, second.pages);
/// let mut all = bookings.list(start, end).with(BookingsWith::Patient).per_page(50).stream();
/// while let Some(booking) = all.try_next().await? {
///     println!("{:?}", booking.id);
/// }
/// let first_200 = bookings.list(start, end).collect_max(200).await?;
/// # let _ = first_200;
/// # Ok(()) }
/// ```
pub trait ListBookingsExt {
    /// Items per page of `.page(n)`, `.stream()`, `.pages()` and `.collect_max(n)` (default 100).
    fn per_page(self, limit: u32) -> Self;
    /// One page (1-based) instead of the whole range.
    fn page(self, page: u32) -> Self;
}

impl ListBookingsExt for Call<ListBookings> {
    fn per_page(mut self, limit: u32) -> Self {
        let op = self.operation_mut();
        op.per_page = limit.max(1);
        self
    }
    fn page(mut self, page: u32) -> Self {
        self.operation_mut().page = Some(page.max(1));
        self
    }
}

expandable!(ListBookings => BookingsWith);

operation! {
    /// `GET .../bookings/{booking_id}` (extensions: [`BookingWith`]).
    GetBooking { at: AddressPath, booking_id: String; with: BookingWith }
    /// Booking `booking_id` of the address `at`.
    fn new;
    const SPEC = Spec::get(fda!("/bookings/{booking_id}")).name("bookings.get");
    type Output = Booking;
}

/// `DELETE .../bookings/{booking_id}` (`cancelBooking`, 204), with the reason and `send_notifications`, if set,
/// in a JSON body on the DELETE ([`CancelBooking::new`] alone sends no body). `Debug` does not show the reason
/// (free text, often about the patient). The booking is set by the handle, or by [`CancelBooking::at`].
#[derive(Clone, Default, Serialize)]
pub struct CancelBooking {
    #[serde(skip)]
    at: AddressPath,
    #[serde(skip)]
    booking_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    send_notifications: Option<bool>,
    #[serde(flatten)]
    extra: Extra,
}

carewire_core::redacted_debug!(CancelBooking {
    show: [at, booking_id, send_notifications],
    redact: [reason],
    keys: [extra]
});

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
    /// use carewire::docplanner::CancelBooking;
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
    /// The booking to cancel: `booking_id` of the address `at`.
    pub fn at(mut self, at: AddressPath, booking_id: impl Into<String>) -> Self {
        self.at = at;
        self.booking_id = booking_id.into();
        self
    }
    fn is_empty(&self) -> bool {
        self.reason.is_none() && self.send_notifications.is_none() && self.extra.is_empty()
    }
}
extra_setter!(CancelBooking);

impl Operation for CancelBooking {
    type Output = ();
    const SPEC: Spec = Spec::delete(fda!("/bookings/{booking_id}")).name("bookings.cancel").json();
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        let req = self.at.request(&Self::SPEC).path_param("booking_id", &self.booking_id);
        Ok(if self.is_empty() { req } else { req.json(self) })
    }
    fn decode(&self, raw: RawResponse) -> Result<()> {
        unit(&raw)
    }
}

/// `POST .../bookings/{booking_id}/move` (`moveBooking`, 201 with the new booking; extensions:
/// [`MoveBookingWith`]). The booking is set by the handle, or by [`MoveBooking::at`].
#[derive(Clone, Serialize)]
pub struct MoveBooking {
    #[serde(skip)]
    at: AddressPath,
    #[serde(skip)]
    booking_id: String,
    #[serde(skip)]
    with: With<MoveBookingWith>,
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
            at: AddressPath::default(),
            booking_id: String::new(),
            with: With::default(),
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
    /// The booking to move: `booking_id` of the address `at`.
    pub fn at(mut self, at: AddressPath, booking_id: impl Into<String>) -> Self {
        self.at = at;
        self.booking_id = booking_id.into();
        self
    }
}
extra_setter!(MoveBooking);

carewire_core::redacted_debug!(MoveBooking {
    show: [at, booking_id, with, address_service_id, start, duration, address_id],
    keys: [extra],
});

operation! {
    impl MoveBooking { at, booking_id; with: MoveBookingWith; body: self }
    const SPEC = Spec::post(fda!("/bookings/{booking_id}/move")).name("bookings.move").json();
    type Output = Booking;
}

/// `PUT .../bookings/{booking_id}/confirm` (`confirmBooking`, 204). 409 when already confirmed, canceled or
/// past. The booking is set by the handle, or by [`ConfirmBooking::at`].
#[derive(Clone, Serialize)]
pub struct ConfirmBooking {
    #[serde(skip)]
    at: AddressPath,
    #[serde(skip)]
    booking_id: String,
    confirmed_by: ConfirmedBy,
    #[serde(flatten)]
    extra: Extra,
}

impl ConfirmBooking {
    /// Confirmed by the patient or the facility.
    pub fn new(confirmed_by: ConfirmedBy) -> Self {
        Self { at: AddressPath::default(), booking_id: String::new(), confirmed_by, extra: Extra::new() }
    }
    /// The booking to confirm: `booking_id` of the address `at`.
    pub fn at(mut self, at: AddressPath, booking_id: impl Into<String>) -> Self {
        self.at = at;
        self.booking_id = booking_id.into();
        self
    }
}
extra_setter!(ConfirmBooking);

carewire_core::redacted_debug!(ConfirmBooking { show: [at, booking_id, confirmed_by], keys: [extra] });

operation! {
    impl ConfirmBooking { at, booking_id; body: self }
    const SPEC = Spec::put(fda!("/bookings/{booking_id}/confirm")).name("bookings.confirm").json();
    type Output = ();
}

operation! {
    /// `POST .../bookings/{booking_id}/presence/patient` (`markPatientPresence`, 204): the patient came.
    MarkPresent { at: AddressPath, booking_id: String }
    /// The patient of booking `booking_id` at the address `at` came.
    fn new;
    const SPEC = Spec::post(fda!("/bookings/{booking_id}/presence/patient")).name("presence.mark_present");
    type Output = ();
}

operation! {
    /// `DELETE .../bookings/{booking_id}/presence/patient` (`markPatientAbsence`, 204): the patient did not come.
    MarkAbsent { at: AddressPath, booking_id: String }
    /// The patient of booking `booking_id` at the address `at` did not come.
    fn new;
    const SPEC = Spec::delete(fda!("/bookings/{booking_id}/presence/patient")).name("presence.mark_absent");
    type Output = ();
}

/// `...address(a).bookings()`.
#[derive(Clone, Debug)]
pub struct BookingsHandler {
    client: Client,
    path: AddressPath,
}

impl BookingsHandler {
    pub(crate) fn new(client: Client, path: AddressPath) -> Self {
        Self { client, path }
    }

    /// `GET .../bookings?start=..&end=..` ([`ListBookings`]; extensions: [`BookingsWith`]): `.await` for
    /// every booking of the range in one response; `.page(n)` / `.per_page(n)` ([`ListBookingsExt`]),
    /// `.stream()`, `.pages()`, `.collect_max(n)` to page.
    pub fn list(&self, start: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> Call<ListBookings> {
        self.client.send(ListBookings::new(self.path.clone(), start, end))
    }

    /// `GET .../bookings/{booking_id}` ([`GetBooking`]; extensions: [`BookingWith`]).
    pub fn get(&self, booking_id: impl Into<String>) -> Call<GetBooking> {
        self.client.send(GetBooking::new(self.path.clone(), booking_id))
    }

    /// `DELETE .../bookings/{booking_id}` ([`CancelBooking`], 204).
    pub fn cancel(&self, booking_id: impl Into<String>, body: CancelBooking) -> Call<CancelBooking> {
        self.client.send(body.at(self.path.clone(), booking_id))
    }

    /// `POST .../bookings/{booking_id}/move` ([`MoveBooking`], 201 with the new booking; extensions:
    /// [`MoveBookingWith`]).
    ///
    /// ```no_run
    /// use carewire::docplanner::{Client, MoveBooking, MoveBookingWith};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
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
    pub fn move_booking(&self, booking_id: impl Into<String>, body: MoveBooking) -> Call<MoveBooking> {
        self.client.send(body.at(self.path.clone(), booking_id))
    }

    /// `PUT .../bookings/{booking_id}/confirm` ([`ConfirmBooking`], 204).
    pub fn confirm(&self, booking_id: impl Into<String>, body: ConfirmBooking) -> Call<ConfirmBooking> {
        self.client.send(body.at(self.path.clone(), booking_id))
    }

    /// `POST .../bookings/{booking_id}/presence/patient` ([`MarkPresent`], 204): the patient came.
    pub fn mark_present(&self, booking_id: impl Into<String>) -> Call<MarkPresent> {
        self.client.send(MarkPresent::new(self.path.clone(), booking_id))
    }

    /// `DELETE .../bookings/{booking_id}/presence/patient` ([`MarkAbsent`], 204): the patient did not come.
    pub fn mark_absent(&self, booking_id: impl Into<String>) -> Call<MarkAbsent> {
        self.client.send(MarkAbsent::new(self.path.clone(), booking_id))
    }
}
