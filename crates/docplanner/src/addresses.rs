//! Addresses of a doctor (get, list, update insurance support), and the navigation to everything under an
//! address.

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::bookings::BookingsHandler;
use crate::breaks::BreaksHandler;
use crate::calendar::CalendarHandler;
use crate::common::{AddressPath, Collection, Extra, With, expandable, extensions, extra_setter, fda, open_enum};
use crate::insurance::AddressInsuranceProvidersHandler;
use crate::services::AddressServicesHandler;
use crate::slots::SlotsHandler;

extensions! {
    /// The extensions of `GET .../addresses` and `GET .../addresses/{address_id}`.
    AddressWith {
        /// `address.online_only`: whether the address is for video consultations only.
        OnlineOnly => "address.online_only",
        /// `address.visit_payment`: whether visit payments are enabled.
        VisitPayment => "address.visit_payment",
        /// `address.commercial_type`.
        CommercialType => "address.commercial_type",
        /// `address.insurance_support`.
        InsuranceSupport => "address.insurance_support",
    }
}

open_enum! {
    /// Which patients an address accepts: private, insured, or both.
    InsuranceSupport {
        /// `private`.
        Private => "private",
        /// `insurance`.
        Insurance => "insurance",
        /// `private_and_insurance`.
        PrivateAndInsurance => "private_and_insurance",
    }
}

open_enum! {
    /// The commercial type of an address.
    CommercialType {
        /// `premium`.
        Premium => "premium",
        /// `saas-only`.
        SaasOnly => "saas-only",
        /// `basic`.
        Basic => "basic",
    }
}

/// A doctor's address (a place where they see patients).
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Address {
    /// The address id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// City.
    #[serde(default)]
    pub city_name: Option<String>,
    /// Post code.
    #[serde(default)]
    pub post_code: Option<String>,
    /// Street.
    #[serde(default)]
    pub street: Option<String>,
    /// Video consultations only (with `address.online_only`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_online_only: Option<bool>,
    /// Visit payment settings (with `address.visit_payment`), as sent.
    #[serde(default)]
    pub visit_payment: Option<serde_json::Value>,
    /// What the booking flow asks the patient for (with `address.booking_extra_fields`).
    #[serde(default)]
    pub booking_extra_fields: Option<BookingExtraFields>,
    /// Commercial type (with `address.commercial_type`).
    #[serde(default)]
    pub commercial_type: Option<CommercialType>,
    /// Insurance support (with `address.insurance_support`).
    #[serde(default)]
    pub insurance_support: Option<InsuranceSupport>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Which optional patient fields the booking flow of an address requires.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct BookingExtraFields {
    /// Birth date required.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub birth_date: Option<bool>,
    /// Gender required.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub gender: Option<bool>,
    /// National identification number required.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub nin: Option<bool>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `PATCH .../addresses/{address_id}` (`updateAddress`): sets which patients the address accepts. The address
/// is set by the handle (`address.update(..)`), or by [`UpdateAddress::at`] for [`Client::send`].
#[derive(Clone, Debug, Serialize)]
pub struct UpdateAddress {
    #[serde(skip)]
    at: AddressPath,
    insurance_support: InsuranceSupport,
    #[serde(flatten)]
    extra: Extra,
}

impl UpdateAddress {
    /// Sets which patients the address accepts.
    pub fn new(insurance_support: InsuranceSupport) -> Self {
        Self { at: AddressPath::default(), insurance_support, extra: Extra::new() }
    }
    /// The address to update.
    pub fn at(mut self, at: AddressPath) -> Self {
        self.at = at;
        self
    }
}
extra_setter!(UpdateAddress);

impl Operation for UpdateAddress {
    type Output = Address;
    const SPEC: Spec = Spec::patch(fda!("")).name("addresses.update").json();
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(self.at.request(&Self::SPEC).json(self))
    }
    fn decode(&self, raw: RawResponse) -> Result<Address> {
        raw.json()
    }
}

/// `GET /facilities/{facility_id}/doctors/{doctor_id}/addresses` (extensions: [`AddressWith`]).
#[derive(Clone, Debug)]
pub struct ListAddresses {
    facility_id: String,
    doctor_id: String,
    with: With<AddressWith>,
}

impl ListAddresses {
    /// The addresses of doctor `doctor_id` in facility `facility_id`.
    pub fn new(facility_id: impl Into<String>, doctor_id: impl Into<String>) -> Self {
        Self { facility_id: facility_id.into(), doctor_id: doctor_id.into(), with: With::default() }
    }
}

impl Operation for ListAddresses {
    type Output = Collection<Address>;
    const SPEC: Spec = Spec::get("/facilities/{facility_id}/doctors/{doctor_id}/addresses").name("addresses.list");
    fn request(&self, enc: &Encodings) -> Result<Request> {
        let req =
            Self::SPEC.request().path_param("facility_id", &self.facility_id).path_param("doctor_id", &self.doctor_id);
        Ok(self.with.apply(req, *enc))
    }
    fn decode(&self, raw: RawResponse) -> Result<Self::Output> {
        raw.json()
    }
}

/// `GET .../addresses/{address_id}` (extensions: [`AddressWith`]).
#[derive(Clone, Debug)]
pub struct GetAddress {
    at: AddressPath,
    with: With<AddressWith>,
}

impl GetAddress {
    /// The address `at`.
    pub fn new(at: AddressPath) -> Self {
        Self { at, with: With::default() }
    }
}

impl Operation for GetAddress {
    type Output = Address;
    const SPEC: Spec = Spec::get(fda!("")).name("addresses.get");
    fn request(&self, enc: &Encodings) -> Result<Request> {
        Ok(self.with.apply(self.at.request(&Self::SPEC), *enc))
    }
    fn decode(&self, raw: RawResponse) -> Result<Address> {
        raw.json()
    }
}
expandable!(ListAddresses => AddressWith, GetAddress => AddressWith);

/// `client.facility(f).doctor(d).addresses()`.
#[derive(Clone, Debug)]
pub struct AddressesHandler {
    client: Client,
    facility_id: String,
    doctor_id: String,
}

impl AddressesHandler {
    pub(crate) fn new(client: Client, facility_id: String, doctor_id: String) -> Self {
        Self { client, facility_id, doctor_id }
    }

    /// `GET /facilities/{facility_id}/doctors/{doctor_id}/addresses` ([`ListAddresses`]; extensions:
    /// [`AddressWith`]).
    pub fn list(&self) -> Call<ListAddresses> {
        self.client.send(ListAddresses::new(&self.facility_id, &self.doctor_id))
    }
}

/// `client.facility(f).doctor(d).address(a)`: one address and everything under it.
#[derive(Clone, Debug)]
pub struct AddressHandler {
    client: Client,
    path: AddressPath,
}

impl AddressHandler {
    pub(crate) fn new(client: Client, facility_id: String, doctor_id: String, address_id: String) -> Self {
        Self { client, path: AddressPath::new(facility_id, doctor_id, address_id) }
    }

    /// The three ids of the address, to build its operations for [`Client::send`].
    pub fn path(&self) -> &AddressPath {
        &self.path
    }

    /// `GET .../addresses/{address_id}` ([`GetAddress`]; extensions: [`AddressWith`]).
    pub fn get(&self) -> Call<GetAddress> {
        self.client.send(GetAddress::new(self.path.clone()))
    }

    /// `PATCH .../addresses/{address_id}` ([`UpdateAddress`]): sets the address's insurance support.
    pub fn update(&self, body: UpdateAddress) -> Call<UpdateAddress> {
        self.client.send(body.at(self.path.clone()))
    }

    /// The address's free slots.
    pub fn slots(&self) -> SlotsHandler {
        SlotsHandler::new(self.client.clone(), self.path.clone())
    }

    /// The address's bookings.
    pub fn bookings(&self) -> BookingsHandler {
        BookingsHandler::new(self.client.clone(), self.path.clone())
    }

    /// The address's services.
    pub fn services(&self) -> AddressServicesHandler {
        AddressServicesHandler::new(self.client.clone(), self.path.clone())
    }

    /// The address's calendar breaks.
    pub fn breaks(&self) -> BreaksHandler {
        BreaksHandler::new(self.client.clone(), self.path.clone())
    }

    /// The address's calendar (status, enable, disable).
    pub fn calendar(&self) -> CalendarHandler {
        CalendarHandler::new(self.client.clone(), self.path.clone())
    }

    /// The insurance providers the address accepts.
    pub fn insurance_providers(&self) -> AddressInsuranceProvidersHandler {
        AddressInsuranceProvidersHandler::new(self.client.clone(), self.path.clone())
    }
}
