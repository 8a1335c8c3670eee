//! # carewire-docplanner
//!
//! A typed async client for the [Docplanner Integrations API](https://integrations.docplanner.com)
//! (doctor booking in 13 countries: Doctoralia, ZnanyLekarz, MioDottore, jameda, ...), part of carewire.
//!
//! - **Locales**: [`Locale`] maps the 13 countries to their domains; the API base is
//!   `https://www.{domain}/api/v3/integration`, or any base URL you give (the token URL then follows it).
//! - **Auth**: OAuth2 client credentials (scope `integration`) against `https://www.{domain}/oauth/v2/token`,
//!   cached, renewed 60 s before expiry by one caller for all, and renewed once more on a 401.
//! - **Navigation**: cheap, owned, `Send` handles:
//!   `client.facility("1").doctor("123").address("111").slots()`.
//! - **Extensions**: `with` values are typed per endpoint ([`DoctorWith`], [`BookingsWith`],
//!   [`MoveBookingWith`], ...), sent comma-separated like the official SDK, or as repeated `with[]`
//!   ([`WithEncoding`]). A value the SDK does not list yet goes in the same parameter as
//!   `DoctorWith::Other("...")` ([`Extension`]).
//! - **Rate limits**: the documented budgets (8,000 GET per hour, 40 writes per minute) are enforced
//!   client-side by default ([`documented_rate_limiter`]), and `X-RateLimit-Remaining: 0` pauses calls
//!   until `X-RateLimit-Reset`.
//! - **Pagination**: [`ListBookings::stream`] yields every booking across pages; notifications drain with
//!   [`NotificationsHandler::stream`].
//! - **Errors**: every failure is a [`carewire_core::Error`]; [`DocplannerError::from_error`] gives the
//!   `{errors, message}` body with per-field messages.
//! - **Notifications**: [`Notification`] with a typed [`NotificationEvent`] for all 17 event names, for
//!   push ([`webhooks`]) and pull alike.
//!
//! ```no_run
//! use carewire_docplanner::{BookSlot, BookingsWith, Client, PatientInput, SlotsWith};
//! use chrono::DateTime;
//! use futures_util::TryStreamExt;
//!
//! # async fn run() -> carewire_core::Result<()> {
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
    Address, AddressHandler, AddressWith, AddressesHandler, BookingExtraFields, CommercialType, InsuranceSupport,
    UpdateAddress,
};
pub use bookings::{
    Actor, Booking, BookingInsurance, BookingMoving, BookingPatient, BookingStatus, BookingWith, BookingsHandler,
    BookingsWith, CancelBooking, ConfirmBooking, ConfirmedBy, Gender, ListBookings, MoveBooking, MoveBookingWith,
    PaymentStatus, Presence,
};
pub use breaks::{AddBreak, BreaksHandler, CalendarBreak, CalendarBreaks, MoveBreak};
pub use calendar::{Calendar, CalendarHandler, CalendarStatus};
pub use client::{Client, ClientBuilder, Locale, documented_rate_limiter};
pub use common::{Call, Collection, Extension, Extra, NoExtension, WithEncoding, format_datetime};
pub use doctors::{
    Doctor, DoctorHandler, DoctorWith, DoctorsHandler, DoctorsWith, LicenseNumber, OpinionRequest, Specialization,
};
pub use error::{DocplannerError, ErrorDetails};
pub use facilities::{FacilitiesHandler, Facility, FacilityHandler, FacilityWith};
pub use insurance::{
    AddressInsuranceProviderInput, AddressInsuranceProvidersHandler, InsurancePlan, InsuranceProvider,
    InsuranceProvidersDictionary,
};
pub use notifications::{NotificationBatch, NotificationsHandler};
pub use services::{
    AddAddressService, AddressService, AddressServiceWith, AddressServicesHandler, AllowedPatients, Service,
    ServicesDictionary, ServicesWith, UpdateAddressService,
};
pub use slots::{
    BookSlot, InsuranceAccepted, PatientInput, ReplaceSlots, Slot, SlotInput, SlotsHandler, SlotsWith, StringOrNumber,
};
pub use webhooks::{Notification, NotificationEvent, NotificationName, SyncReply};

/// Re-exported so callers need not depend on carewire-core for the basics.
pub use carewire_core::{Error, RateLimit, RateLimiter, Result, RetryPolicy};
