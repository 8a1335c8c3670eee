//! Doctors of a facility, and the opinion request (`PUT .../doctors/{doctor_id}/opinion-request`).

use std::fmt;

use carewire_core::{Method, Request, Result};
use serde::{Deserialize, Serialize};

use crate::addresses::{Address, AddressHandler, AddressesHandler};
use crate::common::{Call, Collection, Ctx, Extra, extensions, extra_setter};

extensions! {
    /// The extensions of `GET /facilities/{facility_id}/doctors`.
    DoctorsWith {
        /// `doctor.profile_url`: the doctors' profile URLs.
        ProfileUrl => "doctor.profile_url",
        /// `doctor.specializations`: their specializations.
        Specializations => "doctor.specializations",
        /// `doctor.license_numbers`: their license numbers.
        LicenseNumbers => "doctor.license_numbers",
    }
}

extensions! {
    /// The extensions of `GET /facilities/{facility_id}/doctors/{doctor_id}`.
    DoctorWith {
        /// `doctor.profile_url`.
        ProfileUrl => "doctor.profile_url",
        /// `doctor.addresses`: the doctor's addresses in the facility.
        Addresses => "doctor.addresses",
        /// `doctor.license_numbers`.
        LicenseNumbers => "doctor.license_numbers",
        /// `address.booking_extra_fields`: what the booking flow asks the patient for.
        AddressBookingExtraFields => "address.booking_extra_fields",
        /// `address.online_only`.
        AddressOnlineOnly => "address.online_only",
        /// `address.visit_payment`.
        AddressVisitPayment => "address.visit_payment",
        /// `address.commercial_type`.
        AddressCommercialType => "address.commercial_type",
    }
}

/// A doctor.
///
/// ```
/// use carewire_docplanner::Doctor;
///
/// let d: Doctor = serde_json::from_str(r#"{
///     "id": "123", "name": "Sample", "surname": "Doctor",
///     "specialization": {"_items": [{"id": "12", "name": "Cardiology"}]},
///     "license_numbers": {"_items": [{"id": "1", "license_number": "PWZ 1234567"}]}
/// }"#)?;
/// assert_eq!(d.specializations.unwrap().items[0].name.as_deref(), Some("Cardiology"));
/// assert_eq!(d.license_numbers.unwrap().items[0].license_number.as_deref(), Some("PWZ 1234567"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(from = "DoctorWire")]
#[non_exhaustive]
pub struct Doctor {
    /// The doctor id.
    pub id: String,
    /// First name.
    pub name: Option<String>,
    /// Surname.
    pub surname: Option<String>,
    /// Profile URL (with `doctor.profile_url`).
    pub profile_url: Option<String>,
    /// Specializations (with `doctor.specializations`). Read from `specializations`, or from
    /// `specialization`, the key the official SDK's model uses (`specializations` wins when both are sent).
    pub specializations: Option<Collection<Specialization>>,
    /// License numbers (with `doctor.license_numbers`): `{"_items": [...]}` or a bare list.
    pub license_numbers: Option<Collection<LicenseNumber>>,
    /// Addresses (with `doctor.addresses`).
    pub addresses: Option<Collection<Address>>,
    /// Anything else the API sent.
    pub extra: Extra,
}

/// The wire form of [`Doctor`]: both specialization keys.
#[derive(Deserialize)]
struct DoctorWire {
    #[serde(deserialize_with = "carewire_core::resource::id")]
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    surname: Option<String>,
    #[serde(default)]
    profile_url: Option<String>,
    #[serde(default, deserialize_with = "crate::common::opt_nested")]
    specializations: Option<Collection<Specialization>>,
    #[serde(default, deserialize_with = "crate::common::opt_nested")]
    specialization: Option<Collection<Specialization>>,
    #[serde(default, deserialize_with = "crate::common::opt_nested")]
    license_numbers: Option<Collection<LicenseNumber>>,
    #[serde(default, deserialize_with = "crate::common::opt_nested")]
    addresses: Option<Collection<Address>>,
    #[serde(flatten)]
    extra: Extra,
}

impl From<DoctorWire> for Doctor {
    fn from(w: DoctorWire) -> Self {
        Self {
            id: w.id,
            name: w.name,
            surname: w.surname,
            profile_url: w.profile_url,
            specializations: w.specializations.or(w.specialization),
            license_numbers: w.license_numbers,
            addresses: w.addresses,
            extra: w.extra,
        }
    }
}

/// One of a doctor's license numbers (with `doctor.license_numbers`).
///
/// ```
/// use carewire_docplanner::LicenseNumber;
///
/// let l: LicenseNumber = serde_json::from_str(r#"{"id": 1, "license_number": 1234567}"#)?;
/// assert_eq!((l.id.as_deref(), l.license_number.as_deref()), (Some("1"), Some("1234567")));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct LicenseNumber {
    /// Its id, when sent (blank is `None`).
    #[serde(default, deserialize_with = "crate::common::opt_id")]
    pub id: Option<String>,
    /// The license number (a string; numbers are accepted).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub license_number: Option<String>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A medical specialization.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Specialization {
    /// Its id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The body of `requestOpinion`: the patient's phone number the SMS goes to.
#[derive(Clone, Serialize)]
pub struct OpinionRequest {
    phone: String,
    #[serde(flatten)]
    extra: Extra,
}

impl OpinionRequest {
    /// An opinion request sent to `phone`.
    pub fn new(phone: impl Into<String>) -> Self {
        Self { phone: phone.into(), extra: Extra::new() }
    }
}
extra_setter!(OpinionRequest);

impl fmt::Debug for OpinionRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpinionRequest").field("phone", &"[REDACTED]").finish_non_exhaustive()
    }
}

/// `client.facility(f).doctors()`.
#[derive(Clone, Debug)]
pub struct DoctorsHandler {
    ctx: Ctx,
    facility_id: String,
}

impl DoctorsHandler {
    pub(crate) fn new(ctx: Ctx, facility_id: String) -> Self {
        Self { ctx, facility_id }
    }

    /// `GET /facilities/{facility_id}/doctors` (extensions: [`DoctorsWith`]).
    pub fn list(&self) -> Call<Collection<Doctor>, DoctorsWith> {
        self.ctx.call(
            Request::get("/facilities/{facility_id}/doctors")
                .operation("doctors.list")
                .path_param("facility_id", &self.facility_id),
        )
    }
}

/// `client.facility(f).doctor(d)`.
#[derive(Clone, Debug)]
pub struct DoctorHandler {
    ctx: Ctx,
    facility_id: String,
    doctor_id: String,
}

impl DoctorHandler {
    pub(crate) fn new(ctx: Ctx, facility_id: String, doctor_id: String) -> Self {
        Self { ctx, facility_id, doctor_id }
    }

    fn req(&self, method: Method, template: &'static str, operation: &'static str) -> Request {
        Request::new(method, template)
            .operation(operation)
            .path_param("facility_id", &self.facility_id)
            .path_param("doctor_id", &self.doctor_id)
    }

    /// `GET /facilities/{facility_id}/doctors/{doctor_id}` (extensions: [`DoctorWith`]).
    pub fn get(&self) -> Call<Doctor, DoctorWith> {
        self.ctx.call(self.req(Method::Get, "/facilities/{facility_id}/doctors/{doctor_id}", "doctors.get"))
    }

    /// `PUT /facilities/{facility_id}/doctors/{doctor_id}/opinion-request`: texts the patient asking for an
    /// opinion. 409 when an opinion already exists.
    pub async fn request_opinion(&self, body: OpinionRequest) -> Result<()> {
        self.ctx
            .send_unit(
                self.req(
                    Method::Put,
                    "/facilities/{facility_id}/doctors/{doctor_id}/opinion-request",
                    "doctors.request_opinion",
                )
                .json(&body),
            )
            .await
    }

    /// The doctor's addresses (list).
    pub fn addresses(&self) -> AddressesHandler {
        AddressesHandler::new(self.ctx.clone(), self.facility_id.clone(), self.doctor_id.clone())
    }

    /// One address of the doctor: the entry point to slots, bookings, services, breaks, calendar and insurance.
    pub fn address(&self, address_id: impl Into<String>) -> AddressHandler {
        AddressHandler::new(self.ctx.clone(), self.facility_id.clone(), self.doctor_id.clone(), address_id.into())
    }
}
