//! Bookings of an address: the models here, the operations (list, paginated; get, cancel, move, confirm,
//! patient presence) in [`ops`].

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::common::{Extra, opt_dt, tolerant_bool};
use crate::macros::extensions;
use crate::services::AddressService;

mod ops;

pub use ops::{
    BookingsHandler, CancelBooking, ConfirmBooking, GetBooking, ListBookings, ListBookingsExt, MarkAbsent, MarkPresent,
    MoveBooking,
};

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
    /// use carewire::docplanner::{Extension, MoveBookingWith};
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

carewire_core::open_enum! {
    /// A booking's status.
    BookingStatus {
        /// `booked`.
        Booked => "booked",
        /// `canceled`.
        Canceled => "canceled",
    }
}

carewire_core::open_enum! {
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

carewire_core::open_enum! {
    /// Whether the patient came. Bookings use lower case, the `presence-marked` notification upper case:
    /// both map here (values are matched case-insensitively).
    Presence {
        /// `present` / `PRESENT`.
        Present => "present",
        /// `absent` / `ABSENT`.
        Absent => "absent",
    }
}

carewire_core::open_enum! {
    /// A patient's gender: patient data, so its `Debug` is `[REDACTED]`.
    redacted Gender {
        /// `m`.
        Male => "m",
        /// `f`.
        Female => "f",
    }
}

carewire_core::open_enum! {
    /// A visit payment status: a booking's `visit_payment_status`, and both sides of the
    /// `booking-payment-status-changed` notification.
    ///
    /// ```
    /// use carewire::docplanner::PaymentStatus;
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

carewire_core::open_enum! {
    /// Who confirms a booking.
    ConfirmedBy {
        /// `user` (the patient).
        User => "user",
        /// `admin` (the facility).
        Admin => "admin",
    }
}

/// The patient of a booking (and of a booking notification). Its `Debug` shows no personal data: not the
/// name, contact details, national id, insurance number, gender or birth date, and of the consents only whether
/// they were sent (a patient's consent choices are personal data too).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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
    /// use carewire::docplanner::BookingPatient;
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
    /// use carewire::docplanner::BookingPatient;
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

carewire_core::redacted_debug!(BookingPatient {
    show: [is_returning],
    redact: [
        name,
        surname,
        email,
        phone,
        birth_date,
        nin,
        gender,
        insurance_number,
        marketing_consent,
        data_privacy_consent,
    ],
    keys: [extra],
});

/// The insurance a booking is made with.
///
/// Bookings name the provider `id`, booking notifications `insurance_provider_id`: both are read into
/// [`id`](Self::id) (`id` wins when both are sent). It serializes with `id`. `Debug` shows the ids, not the
/// names.
///
/// ```
/// use carewire::docplanner::BookingInsurance;
///
/// let from_api: BookingInsurance = serde_json::from_str(r#"{"id": "11", "name": "Axa"}"#)?;
/// let from_notification: BookingInsurance =
///     serde_json::from_str(r#"{"insurance_provider_id": 11, "name": "Axa", "plan_id": "3"}"#)?;
/// assert_eq!(from_api.id.as_deref(), Some("11"));
/// assert_eq!(from_notification.id.as_deref(), Some("11"));
/// assert_eq!(from_notification.plan_id.as_deref(), Some("3"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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
    #[serde(flatten)]
    pub extra: Extra,
}

carewire_core::redacted_debug!(BookingInsurance { show: [id, plan_id], redact: [name, plan], keys: [extra] });

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
/// use carewire::docplanner::BookingMoving;
///
/// let m: BookingMoving = serde_json::from_str(r#"{"origin_booking_id": "1", "newest_booking_id": 3}"#)?;
/// assert_eq!(m.origin_booking_id.as_deref(), Some("1"));
/// assert_eq!(m.newest_booking_id.as_deref(), Some("3"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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

carewire_core::redacted_debug!(BookingMoving { show: [origin_booking_id, newest_booking_id], keys: [extra] });

/// A booking (visit). Also the booking inside notifications. Its `Debug` shows ids, statuses and times, never
/// patient data, the comment, the video link or the signature.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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
    /// use carewire::docplanner::Booking;
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
    /// use carewire::docplanner::Booking;
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
    /// use carewire::docplanner::{Booking, PaymentStatus};
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
    /// use carewire::docplanner::Booking;
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

carewire_core::redacted_debug!(Booking {
    show: [
        id,
        status,
        start_at,
        end_at,
        duration,
        booked_by,
        canceled_by,
        booked_at,
        canceled_at,
        patient,
        address_service,
        presence,
        insurance,
        confirmed,
        moving,
        visit_payment,
        visit_payment_status,
    ],
    redact: [comment, videocall_url, signature],
    keys: [extra],
});
