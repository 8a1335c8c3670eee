//! # carewire-docplanner
//!
//! A typed async client for the [Docplanner Integrations API](https://integrations.docplanner.com)
//! (doctor booking in 13 countries: Doctoralia, ZnanyLekarz, MioDottore, jameda, ...), part of carewire.
//!
//! - **Locales**: [`Locale`] maps the 13 countries to their domains; the API base is
//!   `https://www.{domain}/api/v3/integration`, or any base URL you give (the token URL then follows it).
//! - **Auth**: OAuth2 client credentials (scope `integration`) against `https://www.{domain}/oauth/v2/token`,
//!   cached, renewed 60 s before expiry by one caller for all, and renewed once more on a 401.
//! - **Operations as data**: every one of the 42 typed calls is an operation value (`GetBooking`, `BookSlot`,
//!   `ListBookings`, ...) implementing [`carewire_core::operation::Operation`]; [`OPERATIONS`] lists their
//!   specs. Handles build them and return a [`Call`]: `.await` it, or first set per-call options
//!   (`.timeout(..)`, `.retry(..)`, `.header(..)`, `.idempotency_key(..)`, `.with(..)`), or
//!   `.send_with_meta()` for the status, request id and rate limit. [`Client::send`] sends one you built.
//! - **Navigation**: cheap, owned, `Clone + Send + Sync` handles, `get` for fetch-one:
//!   `client.facility("1").doctor("123").address("111").bookings().get("2134124")`.
//! - **Extensions**: `with` values are typed per operation (its `Expandable::Expansion`: [`DoctorWith`],
//!   [`BookingsWith`], [`MoveBookingWith`], ...), sent comma-separated like the official SDK, or as repeated
//!   `with[]` ([`WithEncoding`], core's list encoding). A value the SDK does not list yet goes in the same
//!   parameter as `DoctorWith::Other("...")` ([`Extension`]).
//! - **Rate limits**: the documented budgets (8,000 GET per hour, 40 writes per minute) are enforced
//!   client-side by default ([`documented_rate_limiter`]), and `X-RateLimit-Remaining: 0` pauses calls
//!   until `X-RateLimit-Reset`.
//! - **Pagination**: [`ListBookings`] is [`Paginated`](carewire_core::operation::Paginated): its call has
//!   `.stream()`, `.pages()` and `.collect_max(n)` (`.per_page(n)` / `.page(n)` through [`ListBookingsExt`]);
//!   notifications drain with [`NotificationsHandler::stream`].
//! - **Errors**: every failure is a [`carewire_core::Error`]; `err.vendor_error::<DocplannerError>()` (or
//!   [`DocplannerError::from_error`](VendorError::from_error)) gives the `{errors, message}` body with per-field
//!   messages; [`error::SHAPE`] is where the client reads them.
//! - **Models**: every response is a plain struct with public fields, `Clone + Default + PartialEq`,
//!   `Deserialize` and `Serialize` (back to the same JSON shape), unknown fields kept in `extra`, and a `Debug`
//!   that shows ids, statuses and times but never patient data, free text or tokens. Prices are exact
//!   [`Decimal`]s.
//! - **Notifications**: [`Notification`] with a typed [`NotificationEvent`] for all 17 event names, for
//!   push ([`webhooks`]) and pull alike.
//!
//! ```no_run
//! use carewire::docplanner::{BookSlot, BookingsWith, Client, ListBookingsExt, PatientInput, SlotsWith};
//! use chrono::DateTime;
//! use futures_util::TryStreamExt;
//!
//! # async fn run() -> carewire::Result<()> {
//! // DOCPLANNER_CLIENT_ID, DOCPLANNER_CLIENT_SECRET, DOCPLANNER_LOCALE (e.g. `pl`), optional DOCPLANNER_BASE_URL.
//! let client = Client::from_env()?;
//! for facility in client.facilities().list().await? {
//!     println!("facility {}", facility.id);
//! }
//! let address = client.facility("1").doctor("123").address("111");
//! let start = DateTime::parse_from_rfc3339("2021-05-16T00:00:00+01:00").unwrap();
//! let end = DateTime::parse_from_rfc3339("2021-05-17T00:00:00+01:00").unwrap();
//!
//! let slots = address.slots().list(start, end).with(SlotsWith::Services).await?;
//! if let Some(slot) = slots.items.first() {
//!     let patient = PatientInput::new("Abraham", "+48123123123").surname("Lincoln");
//!     let booking = address.slots().book(slot.start, BookSlot::new("113", 30, patient)).await?;
//!     println!("booked {:?}", booking.id);
//! }
//!
//! let mut bookings = address.bookings().list(start, end).with(BookingsWith::Patient).per_page(50).stream();
//! while let Some(booking) = bookings.try_next().await? {
//!     println!("{:?} at {:?}", booking.id, booking.start_at);
//! }
//!
//! while let Some(notification) = client.notifications().pull().await? {
//!     println!("{}", notification.name);
//! }
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod macros;

mod addresses;
mod bookings;
mod breaks;
mod calendar;
mod client;
mod common;
mod doctors;
pub mod error;
mod facilities;
mod insurance;
mod notifications;
mod services;
mod slots;
pub mod webhooks;

pub use addresses::{
    Address, AddressHandler, AddressWith, AddressesHandler, BookingExtraFields, CommercialType, GetAddress,
    InsuranceSupport, ListAddresses, UpdateAddress,
};
pub use bookings::{
    Actor, Booking, BookingInsurance, BookingMoving, BookingPatient, BookingStatus, BookingWith, BookingsHandler,
    BookingsWith, CancelBooking, ConfirmBooking, ConfirmedBy, Gender, GetBooking, ListBookings, ListBookingsExt,
    MarkAbsent, MarkPresent, MoveBooking, MoveBookingWith, PaymentStatus, Presence,
};
pub use breaks::{
    AddBreak, BreaksHandler, CalendarBreak, CalendarBreaks, DeleteBreak, GetBreak, ListBreaks, MoveBreak,
};
pub use calendar::{Calendar, CalendarHandler, CalendarStatus, DisableCalendar, EnableCalendar, GetCalendar};
pub use client::{Client, ClientBuilder, Locale, documented_rate_limiter};
pub use common::{AddressPath, Collection, Extension, Extra, WithEncoding, format_datetime};
pub use doctors::{
    Doctor, DoctorHandler, DoctorWith, DoctorsHandler, DoctorsWith, GetDoctor, LicenseNumber, ListDoctors,
    OpinionRequest, Specialization,
};
pub use error::{DocplannerError, ErrorDetails};
pub use facilities::{FacilitiesHandler, Facility, FacilityHandler, FacilityWith, GetFacility, ListFacilities};
pub use insurance::{
    AddAddressInsuranceProvider, AddressInsuranceProviderInput, AddressInsuranceProvidersHandler,
    DeleteAddressInsuranceProvider, InsurancePlan, InsuranceProvider, InsuranceProvidersDictionary,
    ListAddressInsuranceProviders, ListInsurancePlans, ListInsuranceProviders, UpsertAddressInsuranceProvider,
};
pub use notifications::{
    NotificationBatch, NotificationsHandler, PullNotification, PullNotifications, ReleaseNotifications,
};
pub use services::{
    AddAddressService, AddressService, AddressServiceWith, AddressServicesHandler, AllowedPatients,
    DeleteAddressService, GetAddressService, ListAddressServices, ListServices, Service, ServicesDictionary,
    ServicesWith, UpdateAddressService,
};
pub use slots::{
    BookSlot, DeleteSlots, InsuranceAccepted, ListSlots, PatientInput, ReplaceSlots, Slot, SlotInput, SlotsHandler,
    SlotsWith, StringOrNumber,
};
pub use webhooks::{Notification, NotificationEvent, NotificationName, SyncReply};

/// The exact amount type of prices ([`AddressService::price`], [`AddAddressService::price`]).
pub use carewire_core::money::Decimal;
/// Re-exported so callers need not depend on carewire-core for the basics.
pub use carewire_core::operation::Call;

/// The vendor name in errors, spans and [`carewire_core::ApiError::vendor`].
pub const VENDOR: &str = "docplanner";
pub use carewire_core::{Error, RateLimit, RateLimiter, Result, RetryPolicy, VendorError};

/// Every Docplanner operation, as data: method, path template (relative to the API base), stable name,
/// credentials, retry safety, body and pagination. The tests check it against the list of endpoints the SDK
/// must cover.
///
/// ```
/// use carewire::core::operation::Pagination;
///
/// assert_eq!(carewire::docplanner::OPERATIONS.len(), 42);
/// let paged: Vec<&str> = carewire::docplanner::OPERATIONS
///     .iter()
///     .filter(|s| s.pagination != Pagination::None)
///     .map(|s| s.name)
///     .collect();
/// assert_eq!(paged, ["bookings.list"]);
/// ```
pub const OPERATIONS: &[carewire_core::operation::Spec] = {
    use carewire_core::operation::Operation;
    &[
        <ListFacilities as Operation>::SPEC,
        <GetFacility as Operation>::SPEC,
        <ListDoctors as Operation>::SPEC,
        <GetDoctor as Operation>::SPEC,
        <OpinionRequest as Operation>::SPEC,
        <ListAddresses as Operation>::SPEC,
        <GetAddress as Operation>::SPEC,
        <UpdateAddress as Operation>::SPEC,
        <ListServices as Operation>::SPEC,
        <ListAddressServices as Operation>::SPEC,
        <AddAddressService as Operation>::SPEC,
        <GetAddressService as Operation>::SPEC,
        <UpdateAddressService as Operation>::SPEC,
        <DeleteAddressService as Operation>::SPEC,
        <ListInsuranceProviders as Operation>::SPEC,
        <ListInsurancePlans as Operation>::SPEC,
        <ListAddressInsuranceProviders as Operation>::SPEC,
        <AddAddressInsuranceProvider as Operation>::SPEC,
        <UpsertAddressInsuranceProvider as Operation>::SPEC,
        <DeleteAddressInsuranceProvider as Operation>::SPEC,
        <GetCalendar as Operation>::SPEC,
        <EnableCalendar as Operation>::SPEC,
        <DisableCalendar as Operation>::SPEC,
        <ListBreaks as Operation>::SPEC,
        <AddBreak as Operation>::SPEC,
        <GetBreak as Operation>::SPEC,
        <MoveBreak as Operation>::SPEC,
        <DeleteBreak as Operation>::SPEC,
        <ListSlots as Operation>::SPEC,
        <ReplaceSlots as Operation>::SPEC,
        <BookSlot as Operation>::SPEC,
        <DeleteSlots as Operation>::SPEC,
        <ListBookings as Operation>::SPEC,
        <GetBooking as Operation>::SPEC,
        <CancelBooking as Operation>::SPEC,
        <MoveBooking as Operation>::SPEC,
        <ConfirmBooking as Operation>::SPEC,
        <MarkPresent as Operation>::SPEC,
        <MarkAbsent as Operation>::SPEC,
        <PullNotification as Operation>::SPEC,
        <PullNotifications as Operation>::SPEC,
        <ReleaseNotifications as Operation>::SPEC,
    ]
};
