//! Doctors of a facility, and the opinion request (`PUT .../doctors/{doctor_id}/opinion-request`).

use carewire_core::operation::{Call, Spec};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::addresses::{Address, AddressHandler, AddressesHandler};
use crate::common::{Collection, Extra};
use crate::macros::{extensions, extra_setter, operation};

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
/// use carewire::docplanner::Doctor;
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
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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
    #[serde(flatten)]
    pub extra: Extra,
}

carewire_core::redacted_debug!(Doctor {
    show: [id, name, surname, profile_url, specializations, license_numbers, addresses],
    keys: [extra],
});

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
/// use carewire::docplanner::LicenseNumber;
///
/// let l: LicenseNumber = serde_json::from_str(r#"{"id": 1, "license_number": 1234567}"#)?;
/// assert_eq!((l.id.as_deref(), l.license_number.as_deref()), (Some("1"), Some("1234567")));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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

carewire_core::redacted_debug!(LicenseNumber { show: [id, license_number], keys: [extra] });

/// A medical specialization.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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

carewire_core::redacted_debug!(Specialization { show: [id, name], keys: [extra] });

/// `PUT /facilities/{facility_id}/doctors/{doctor_id}/opinion-request` (`requestOpinion`): texts the patient's
/// phone asking for an opinion. The body is the phone; the doctor is set by the handle, or by
/// [`OpinionRequest::at`] for [`Client::send`]. `Debug` does not show the phone.
#[derive(Clone, Serialize)]
pub struct OpinionRequest {
    #[serde(skip)]
    facility_id: String,
    #[serde(skip)]
    doctor_id: String,
    phone: String,
    #[serde(flatten)]
    extra: Extra,
}

impl OpinionRequest {
    /// An opinion request sent to `phone`.
    pub fn new(phone: impl Into<String>) -> Self {
        Self { facility_id: String::new(), doctor_id: String::new(), phone: phone.into(), extra: Extra::new() }
    }
    /// The doctor it is about (what `client.facility(f).doctor(d).request_opinion(..)` sets).
    ///
    /// ```
    /// use carewire::docplanner::OpinionRequest;
    ///
    /// let op = OpinionRequest::new("+48123123123").at("1", "123");
    /// assert_eq!(serde_json::to_value(&op)?, serde_json::json!({"phone": "+48123123123"}));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn at(mut self, facility_id: impl Into<String>, doctor_id: impl Into<String>) -> Self {
        self.facility_id = facility_id.into();
        self.doctor_id = doctor_id.into();
        self
    }
}
extra_setter!(OpinionRequest);

carewire_core::redacted_debug!(OpinionRequest { show: [facility_id, doctor_id], redact: [phone], keys: [extra] });

operation! {
    impl OpinionRequest { facility_id, doctor_id; body: self }
    const SPEC = Spec::put("/facilities/{facility_id}/doctors/{doctor_id}/opinion-request")
        .name("doctors.request_opinion")
        .json();
    type Output = ();
}

operation! {
    /// `GET /facilities/{facility_id}/doctors` (extensions: [`DoctorsWith`]).
    ListDoctors { facility_id: String; with: DoctorsWith }
    /// The doctors of facility `facility_id`.
    fn new;
    const SPEC = Spec::get("/facilities/{facility_id}/doctors").name("doctors.list");
    type Output = Collection<Doctor>;
}

operation! {
    /// `GET /facilities/{facility_id}/doctors/{doctor_id}` (extensions: [`DoctorWith`]).
    GetDoctor { facility_id: String, doctor_id: String; with: DoctorWith }
    /// Doctor `doctor_id` of facility `facility_id`.
    fn new;
    const SPEC = Spec::get("/facilities/{facility_id}/doctors/{doctor_id}").name("doctors.get");
    type Output = Doctor;
}

/// `client.facility(f).doctors()`.
#[derive(Clone, Debug)]
pub struct DoctorsHandler {
    client: Client,
    facility_id: String,
}

impl DoctorsHandler {
    pub(crate) fn new(client: Client, facility_id: String) -> Self {
        Self { client, facility_id }
    }

    /// `GET /facilities/{facility_id}/doctors` ([`ListDoctors`]; extensions: [`DoctorsWith`]).
    pub fn list(&self) -> Call<ListDoctors> {
        self.client.send(ListDoctors::new(&self.facility_id))
    }
}

/// `client.facility(f).doctor(d)`.
#[derive(Clone, Debug)]
pub struct DoctorHandler {
    client: Client,
    facility_id: String,
    doctor_id: String,
}

impl DoctorHandler {
    pub(crate) fn new(client: Client, facility_id: String, doctor_id: String) -> Self {
        Self { client, facility_id, doctor_id }
    }

    /// `GET /facilities/{facility_id}/doctors/{doctor_id}` ([`GetDoctor`]; extensions: [`DoctorWith`]).
    ///
    /// ```no_run
    /// use carewire::docplanner::DoctorWith;
    ///
    /// # async fn run(client: carewire::docplanner::Client) -> carewire::Result<()> {
    /// let doctor = client.facility("1").doctor("123").get().with(DoctorWith::Addresses).await?;
    /// println!("{} address(es)", doctor.addresses.map_or(0, |a| a.len()));
    /// # Ok(()) }
    /// ```
    pub fn get(&self) -> Call<GetDoctor> {
        self.client.send(GetDoctor::new(&self.facility_id, &self.doctor_id))
    }

    /// `PUT /facilities/{facility_id}/doctors/{doctor_id}/opinion-request` ([`OpinionRequest`]): texts the
    /// patient asking for an opinion. 409 when an opinion already exists.
    pub fn request_opinion(&self, body: OpinionRequest) -> Call<OpinionRequest> {
        self.client.send(body.at(&self.facility_id, &self.doctor_id))
    }

    /// The doctor's addresses (list).
    pub fn addresses(&self) -> AddressesHandler {
        AddressesHandler::new(self.client.clone(), self.facility_id.clone(), self.doctor_id.clone())
    }

    /// One address of the doctor: the entry point to slots, bookings, services, breaks, calendar and insurance.
    pub fn address(&self, address_id: impl Into<String>) -> AddressHandler {
        AddressHandler::new(self.client.clone(), self.facility_id.clone(), self.doctor_id.clone(), address_id.into())
    }
}
