//! Addresses of a doctor (get, list, update insurance support), and the navigation to everything under an
//! address.

use carewire_core::operation::{Call, Spec};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::bookings::BookingsHandler;
use crate::breaks::BreaksHandler;
use crate::calendar::CalendarHandler;
use crate::common::{AddressPath, Collection, Extra, fda};
use crate::insurance::AddressInsuranceProvidersHandler;
use crate::macros::{extensions, extra_setter, operation};
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

carewire_core::open_enum! {
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

carewire_core::open_enum! {
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
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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

carewire_core::redacted_debug!(Address {
    show: [
        id,
        name,
        city_name,
        post_code,
        street,
        is_online_only,
        visit_payment,
        booking_extra_fields,
        commercial_type,
        insurance_support,
    ],
    keys: [extra],
});

/// Which optional patient fields the booking flow of an address requires.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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

carewire_core::redacted_debug!(BookingExtraFields { show: [birth_date, gender, nin], keys: [extra] });

/// `PATCH .../addresses/{address_id}` (`updateAddress`): sets which patients the address accepts. The address
/// is set by the handle (`address.update(..)`), or by [`UpdateAddress::at`] for [`Client::send`].
#[derive(Clone, Serialize)]
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

carewire_core::redacted_debug!(UpdateAddress { show: [at, insurance_support], keys: [extra] });

operation! {
    impl UpdateAddress { at; body: self }
    const SPEC = Spec::patch(fda!("")).name("addresses.update").json();
    type Output = Address;
}

operation! {
    /// `GET /facilities/{facility_id}/doctors/{doctor_id}/addresses` (extensions: [`AddressWith`]).
    ListAddresses { facility_id: String, doctor_id: String; with: AddressWith }
    /// The addresses of doctor `doctor_id` in facility `facility_id`.
    fn new;
    const SPEC = Spec::get("/facilities/{facility_id}/doctors/{doctor_id}/addresses").name("addresses.list");
    type Output = Collection<Address>;
}

operation! {
    /// `GET .../addresses/{address_id}` (extensions: [`AddressWith`]).
    GetAddress { at: AddressPath; with: AddressWith }
    /// The address `at`.
    fn new;
    const SPEC = Spec::get(fda!("")).name("addresses.get");
    type Output = Address;
}

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
