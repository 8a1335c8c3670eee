//! Notifications: the typed events Docplanner pushes to your endpoint or queues for you to pull, and helpers
//! for push receivers.
//!
//! The same [`Notification`] type serves both delivery modes: push (Docplanner POSTs the JSON to your HTTPS
//! URL) and pull ([`crate::NotificationsHandler`]). Push notifications are not signed: Docplanner
//! authenticates them by source IP ([`crate::Locale::public_ips_url`]) and, when agreed with Docplanner, an
//! API-key header that [`PushAuth`] checks in constant time.
//!
//! A notification must name its event: [`parse_push`] refuses a body that is empty, not UTF-8, not JSON (an
//! HTML error page), not an object, `{}`, or an object without a non-empty `name`, with
//! [`WebhookError::InvalidPayload`]. An unknown `name` is kept ([`NotificationName::Unknown`],
//! [`NotificationEvent::Unknown`], the raw [`Notification::data`]).
//!
//! `slot-booking` and `booking-moving` are synchronous: a 2xx reply approves the patient's action, anything
//! else blocks it. Answer them with [`SyncReply`].
//!
//! ```
//! use carewire::docplanner::webhooks::{parse_push, NotificationEvent, SyncReply};
//!
//! let body = br#"{"name":"slot-booking","data":{"visit_booking_request":{"start_at":"2021-05-26T16:00:00+01:00"}},"created_at":"2021-05-12T10:18:34+01:00"}"#;
//! let notification = parse_push(body)?;
//! let reply = match &notification.event {
//!     NotificationEvent::SlotBooking { .. } => SyncReply::deny("slot_unavailable"),
//!     _ => SyncReply::approve(),
//! };
//! assert_eq!(reply.status(), 400);
//! assert_eq!(reply.body(), br#"{"error_code":"slot_unavailable"}"#);
//! # Ok::<(), carewire::WebhookError>(())
//! ```

use carewire_core::WebhookError;
use carewire_core::secret::{ExposeSecret, SecretString};
use carewire_core::webhook::{constant_time_eq, find_header, parse_event_object};
use chrono::{DateTime, FixedOffset};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::addresses::Address;
pub use crate::bookings::PaymentStatus;
use crate::bookings::{Actor, Booking, BookingPatient, Presence};
use crate::breaks::CalendarBreak;
use crate::common::{Extra, opt_dt, tolerant_bool};
use crate::doctors::Doctor;
use crate::facilities::Facility;
use crate::services::AddressService;

carewire_core::open_enum! {
    /// The `name` of a notification.
    NotificationName {
        /// `slot-booking` (synchronous: reply to approve or deny).
        SlotBooking => "slot-booking",
        /// `slot-booked`.
        SlotBooked => "slot-booked",
        /// `booking-canceled`.
        BookingCanceled => "booking-canceled",
        /// `booking-moved`.
        BookingMoved => "booking-moved",
        /// `booking-moving` (synchronous: reply to approve or deny).
        BookingMoving => "booking-moving",
        /// `booking-confirmed`.
        BookingConfirmed => "booking-confirmed",
        /// `booking-payment-status-changed`.
        BookingPaymentStatusChanged => "booking-payment-status-changed",
        /// `break-created`.
        BreakCreated => "break-created",
        /// `break-moved`.
        BreakMoved => "break-moved",
        /// `break-removed`.
        BreakRemoved => "break-removed",
        /// `presence-marked`.
        PresenceMarked => "presence-marked",
        /// `address-service-created`.
        AddressServiceCreated => "address-service-created",
        /// `address-service-deleted`.
        AddressServiceDeleted => "address-service-deleted",
        /// `address-service-changed`.
        AddressServiceChanged => "address-service-changed",
        /// `address-commercial-type-changed`.
        AddressCommercialTypeChanged => "address-commercial-type-changed",
        /// `address-assigned`.
        AddressAssigned => "address-assigned",
        /// `address-unassigned`.
        AddressUnassigned => "address-unassigned",
    }
}

/// A booking a patient is about to make (`slot-booking`, and the new side of `booking-moving`). Its `Debug`
/// shows no patient data, comment or signature.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct VisitBookingRequest {
    /// When the patient started booking.
    #[serde(default, deserialize_with = "opt_dt")]
    pub booking_at: Option<DateTime<FixedOffset>>,
    /// Who is booking.
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub booking_by: Option<Actor>,
    /// Duration in minutes.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub duration: Option<i64>,
    /// Start.
    #[serde(default, deserialize_with = "opt_dt")]
    pub start_at: Option<DateTime<FixedOffset>>,
    /// End.
    #[serde(default, deserialize_with = "opt_dt")]
    pub end_at: Option<DateTime<FixedOffset>>,
    /// The service.
    #[serde(default)]
    pub address_service: Option<AddressService>,
    /// The patient.
    #[serde(default)]
    pub patient: Option<BookingPatient>,
    /// Signature.
    #[serde(default)]
    pub signature: Option<String>,
    /// The patient's comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// Whether the visit is paid online. Read leniently: `true`/`false`, `1`/`0` or `"true"`/`"false"`;
    /// anything else is `None`.
    ///
    /// ```
    /// use carewire::docplanner::webhooks::VisitBookingRequest;
    ///
    /// let r: VisitBookingRequest = serde_json::from_str(r#"{"visit_payment": "true"}"#)?;
    /// assert_eq!(r.visit_payment, Some(true));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[serde(default, deserialize_with = "tolerant_bool")]
    pub visit_payment: Option<bool>,
    /// Anything else sent.
    #[serde(flatten)]
    pub extra: Extra,
}

carewire_core::redacted_debug!(VisitBookingRequest {
    show: [booking_at, booking_by, duration, start_at, end_at, address_service, patient, visit_payment],
    redact: [signature, comment],
    keys: [extra],
});

/// A payment status change (`booking-payment-status-changed`).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PaymentStatusChange {
    /// Before.
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub status_from: Option<PaymentStatus>,
    /// After.
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub status_to: Option<PaymentStatus>,
    /// When.
    #[serde(default, deserialize_with = "opt_dt")]
    pub changed_at: Option<DateTime<FixedOffset>>,
    /// Anything else sent.
    #[serde(flatten)]
    pub extra: Extra,
}

carewire_core::redacted_debug!(PaymentStatusChange { show: [status_from, status_to, changed_at], keys: [extra] });

/// What happened, typed by the notification's `name`.
///
/// When the name is unknown, or its `data` does not have the documented shape, the event is
/// [`NotificationEvent::Unknown`] and [`Notification::data`] keeps the raw JSON: a pulled notification is
/// already removed from the queue, so decoding never fails on its data. Only a notification without a `name`
/// (which is no notification at all) fails to decode.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub enum NotificationEvent {
    /// A patient is about to book (synchronous).
    SlotBooking {
        /// The booking being made.
        visit_booking_request: Box<VisitBookingRequest>,
    },
    /// A visit was booked.
    SlotBooked {
        /// The booking.
        visit_booking: Box<Booking>,
    },
    /// A visit was canceled.
    BookingCanceled {
        /// The booking.
        visit_booking: Box<Booking>,
    },
    /// A visit was moved.
    BookingMoved {
        /// Before.
        old_visit_booking: Box<Booking>,
        /// After.
        new_visit_booking: Box<Booking>,
    },
    /// A patient is about to reschedule (synchronous).
    BookingMoving {
        /// The booking being canceled.
        canceling_booking: Box<Booking>,
        /// The booking being made.
        creating_booking: Box<VisitBookingRequest>,
    },
    /// A visit was confirmed.
    BookingConfirmed {
        /// The booking.
        visit_booking: Box<Booking>,
    },
    /// A visit's payment status changed.
    BookingPaymentStatusChanged {
        /// The booking.
        visit_booking: Box<Booking>,
        /// The change.
        visit_payment_status: PaymentStatusChange,
    },
    /// A break was created.
    BreakCreated {
        /// The break.
        calendar_break: CalendarBreak,
    },
    /// A break was moved.
    BreakMoved {
        /// The break.
        calendar_break: CalendarBreak,
    },
    /// A break was removed.
    BreakRemoved {
        /// The break.
        calendar_break: CalendarBreak,
    },
    /// Presence was marked.
    PresenceMarked {
        /// The booking.
        visit_booking: Box<Booking>,
        /// Present or absent.
        presence: Presence,
    },
    /// An address service was created.
    AddressServiceCreated {
        /// The service.
        address_service: Box<AddressService>,
    },
    /// An address service was deleted.
    AddressServiceDeleted {
        /// The service.
        address_service: Box<AddressService>,
    },
    /// An address service was changed.
    AddressServiceChanged {
        /// The service.
        address_service: Box<AddressService>,
    },
    /// The address's commercial type changed (see [`Notification::address`]).
    AddressCommercialTypeChanged,
    /// An address was assigned to the doctor.
    AddressAssigned,
    /// An address was unassigned from the doctor.
    AddressUnassigned,
    /// An unknown name, or data not in the documented shape: see [`Notification::data`].
    #[default]
    Unknown,
}

/// A notification, pushed or pulled. `Debug` shows the name, the typed event (redacting as its models do) and
/// the facility, doctor and address, never the raw `data`.
///
/// It serializes as the envelope it came in: `name`, `data` and `created_at` (the event and the facility,
/// doctor and address are read from `data`), so a serialized notification decodes back to the same value.
///
/// ```
/// use carewire::docplanner::webhooks::{parse_push, Notification};
///
/// let n = parse_push(br#"{"name":"booking-canceled","data":{"visit_booking":{"id":"7"}},"created_at":"2021-05-12T10:18:34+01:00"}"#)?;
/// let again: Notification = serde_json::from_value(serde_json::to_value(&n)?)?;
/// assert_eq!(again, n);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Notification {
    /// Its name.
    pub name: NotificationName,
    /// The typed event.
    pub event: NotificationEvent,
    /// The facility concerned.
    pub facility: Option<Facility>,
    /// The doctor concerned.
    pub doctor: Option<Doctor>,
    /// The address concerned.
    pub address: Option<Address>,
    /// When it was created.
    pub created_at: Option<DateTime<FixedOffset>>,
    /// The raw `data` object, always kept.
    pub data: Value,
}

impl Notification {
    /// Whether Docplanner waits for your reply to let the patient go on (`slot-booking`, `booking-moving`).
    pub fn requires_reply(&self) -> bool {
        matches!(self.name, NotificationName::SlotBooking | NotificationName::BookingMoving)
    }
}

impl Default for Notification {
    /// An unnamed notification (`Unknown("")`) with no data.
    fn default() -> Self {
        Self {
            name: NotificationName::Unknown(String::new()),
            event: NotificationEvent::Unknown,
            facility: None,
            doctor: None,
            address: None,
            created_at: None,
            data: Value::Null,
        }
    }
}

carewire_core::redacted_debug!(Notification {
    show: [name, event, facility, doctor, address, created_at],
    redact: [data],
});

impl Serialize for Notification {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            name: &'a NotificationName,
            data: &'a Value,
            created_at: Option<&'a DateTime<FixedOffset>>,
        }
        Wire { name: &self.name, data: &self.data, created_at: self.created_at.as_ref() }.serialize(s)
    }
}

fn field<T: DeserializeOwned>(data: &Value, key: &str) -> Option<T> {
    data.get(key).and_then(|v| T::deserialize(v).ok())
}

fn boxed<T: DeserializeOwned>(data: &Value, key: &str) -> Option<Box<T>> {
    field(data, key).map(Box::new)
}

fn typed_event(name: &NotificationName, d: &Value) -> Option<NotificationEvent> {
    use NotificationEvent as E;
    use NotificationName as N;
    Some(match name {
        N::SlotBooking => E::SlotBooking { visit_booking_request: boxed(d, "visit_booking_request")? },
        N::SlotBooked => E::SlotBooked { visit_booking: boxed(d, "visit_booking")? },
        N::BookingCanceled => E::BookingCanceled { visit_booking: boxed(d, "visit_booking")? },
        N::BookingMoved => E::BookingMoved {
            old_visit_booking: boxed(d, "old_visit_booking")?,
            new_visit_booking: boxed(d, "new_visit_booking")?,
        },
        N::BookingMoving => E::BookingMoving {
            canceling_booking: boxed(d, "canceling_booking")?,
            creating_booking: boxed(d, "creating_booking")?,
        },
        N::BookingConfirmed => E::BookingConfirmed { visit_booking: boxed(d, "visit_booking")? },
        N::BookingPaymentStatusChanged => E::BookingPaymentStatusChanged {
            visit_booking: boxed(d, "visit_booking")?,
            visit_payment_status: field(d, "visit_payment_status")?,
        },
        N::BreakCreated => E::BreakCreated { calendar_break: field(d, "break")? },
        N::BreakMoved => E::BreakMoved { calendar_break: field(d, "break")? },
        N::BreakRemoved => E::BreakRemoved { calendar_break: field(d, "break")? },
        N::PresenceMarked => {
            E::PresenceMarked { visit_booking: boxed(d, "visit_booking")?, presence: field(d, "presence")? }
        }
        N::AddressServiceCreated => E::AddressServiceCreated { address_service: boxed(d, "address_service")? },
        N::AddressServiceDeleted => E::AddressServiceDeleted { address_service: boxed(d, "address_service")? },
        N::AddressServiceChanged => E::AddressServiceChanged { address_service: boxed(d, "address_service")? },
        N::AddressCommercialTypeChanged => E::AddressCommercialTypeChanged,
        N::AddressAssigned => E::AddressAssigned,
        N::AddressUnassigned => E::AddressUnassigned,
        N::Unknown(_) => return None,
    })
}

impl<'de> Deserialize<'de> for Notification {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
            name: Option<String>,
            #[serde(default)]
            data: Value,
            #[serde(default)]
            created_at: Option<Value>,
        }
        let w = Wire::deserialize(d)?;
        let name = w.name.filter(|n| !n.trim().is_empty()).ok_or_else(|| D::Error::custom(NO_NAME))?;
        let name = NotificationName::from(name.as_str());
        let event = typed_event(&name, &w.data).unwrap_or(NotificationEvent::Unknown);
        Ok(Self {
            facility: field(&w.data, "facility"),
            doctor: field(&w.data, "doctor"),
            address: field(&w.data, "address"),
            created_at: w.created_at.as_ref().and_then(Value::as_str).and_then(carewire_core::de::parse_datetime),
            name,
            event,
            data: w.data,
        })
    }
}

const NO_NAME: &str = "the notification names no event (a non-empty `name` string)";

/// Parses a pushed notification's body (the raw bytes your endpoint received).
///
/// Fails with [`WebhookError::InvalidPayload`] (whose reason never quotes the body) unless the body is a JSON
/// object with a non-empty `name`; unknown names and fields are accepted and kept.
///
/// ```
/// use carewire::WebhookError;
/// use carewire::docplanner::webhooks::{NotificationEvent, parse_push};
///
/// let n = parse_push(br#"{"name":"doctor-retired","data":{"doctor":{"id":"1"}}}"#)?;
/// assert!(matches!(n.event, NotificationEvent::Unknown));
/// for body in [&b"{}"[..], b"", b"<html><body>Bad gateway</body></html>", br#"{"data":{}}"#, br#"{"name":""}"#] {
///     assert!(matches!(parse_push(body), Err(WebhookError::InvalidPayload { .. })));
/// }
/// # Ok::<(), WebhookError>(())
/// ```
pub fn parse_push(body: &[u8]) -> Result<Notification, WebhookError> {
    let object = parse_event_object(body)?;
    // Decoding the envelope fails only on a missing, empty or non-text `name`.
    Notification::deserialize(Value::Object(object))
        .map_err(|_| WebhookError::InvalidPayload { reason: NO_NAME.to_owned() })
}

/// The reply to a synchronous notification (`slot-booking`, `booking-moving`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyncReply {
    /// 200 with an empty JSON object: the patient may go on.
    Approve,
    /// A 4xx with `{"error_code": "..."}`: the patient is blocked and shown the message Docplanner's
    /// dictionary has for that code.
    Deny {
        /// The 4xx status (400 by default).
        status: u16,
        /// A code from Docplanner's error-code dictionary.
        error_code: String,
    },
}

impl SyncReply {
    /// Approves.
    pub fn approve() -> Self {
        Self::Approve
    }
    /// Denies with `error_code` and status 400.
    pub fn deny(error_code: impl Into<String>) -> Self {
        Self::Deny { status: 400, error_code: error_code.into() }
    }
    /// Denies with another 4xx status (values outside 400..=499 become 400).
    pub fn deny_with_status(status: u16, error_code: impl Into<String>) -> Self {
        let status = if (400..500).contains(&status) { status } else { 400 };
        Self::Deny { status, error_code: error_code.into() }
    }
    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Approve => 200,
            Self::Deny { status, .. } => *status,
        }
    }
    /// The `Content-Type` to answer with.
    pub fn content_type(&self) -> &'static str {
        "application/json"
    }
    /// The body to answer with.
    pub fn body(&self) -> Vec<u8> {
        match self {
            Self::Approve => b"{}".to_vec(),
            Self::Deny { error_code, .. } => serde_json::json!({ "error_code": error_code }).to_string().into_bytes(),
        }
    }
}

/// Checks the API-key header agreed with Docplanner on pushed notifications, in constant time.
///
/// A missing header is [`WebhookError::MissingSignature`], a wrong key [`WebhookError::SignatureMismatch`], and
/// an empty configured key refuses everything ([`WebhookError::NoSecrets`]). `Debug` shows the header name
/// only.
///
/// ```
/// use carewire::docplanner::webhooks::PushAuth;
///
/// let auth = PushAuth::new("x-api-key", "s3cret");
/// assert!(auth.verify([("X-Api-Key", "s3cret")]).is_ok());
/// assert!(auth.verify([("x-api-key", "nope")]).is_err());
/// assert!(auth.verify([("content-type", "application/json")]).is_err());
/// ```
pub struct PushAuth {
    header: String,
    key: SecretString,
}

impl PushAuth {
    /// Expects `key` in the header `header` (name matched in any case).
    ///
    /// ```
    /// use carewire::docplanner::webhooks::PushAuth;
    ///
    /// let auth = PushAuth::new("X-Docplanner-Key", "k3y");
    /// assert_eq!(auth.header(), "X-Docplanner-Key");
    /// ```
    pub fn new(header: impl Into<String>, key: impl Into<SecretString>) -> Self {
        Self { header: header.into(), key: key.into() }
    }

    /// The header name the key is expected in.
    ///
    /// ```
    /// use carewire::docplanner::webhooks::PushAuth;
    ///
    /// assert_eq!(PushAuth::new("x-api-key", "k").header(), "x-api-key");
    /// ```
    pub fn header(&self) -> &str {
        &self.header
    }

    /// Verifies the request's headers (`(name, value)` pairs, names in any case; surrounding whitespace of the
    /// value is ignored).
    ///
    /// ```
    /// use carewire::WebhookError;
    /// use carewire::docplanner::webhooks::PushAuth;
    ///
    /// let auth = PushAuth::new("x-api-key", "k3y");
    /// assert_eq!(auth.verify([("X-API-KEY", " k3y ")]), Ok(()));
    /// assert_eq!(auth.verify([("x-api-key", "k3")]), Err(WebhookError::SignatureMismatch));
    /// assert_eq!(auth.verify([]), Err(WebhookError::MissingSignature));
    /// assert_eq!(PushAuth::new("x-api-key", "").verify([("x-api-key", "")]), Err(WebhookError::NoSecrets));
    /// ```
    pub fn verify<'a>(&self, headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<(), WebhookError> {
        let expected = self.key.expose_secret().as_bytes();
        if expected.is_empty() {
            return Err(WebhookError::NoSecrets);
        }
        let got = find_header(headers, &self.header).ok_or(WebhookError::MissingSignature)?;
        if constant_time_eq(expected, got.trim().as_bytes()) { Ok(()) } else { Err(WebhookError::SignatureMismatch) }
    }
}

carewire_core::redacted_debug!(PushAuth { show: [header], redact: [key] });
