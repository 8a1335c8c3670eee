//! Addresses of a doctor (get, list, update insurance support), and the navigation to everything under an
//! address.

use carewire_core::{Method, Request};
use serde::{Deserialize, Serialize};

use crate::bookings::BookingsHandler;
use crate::breaks::BreaksHandler;
use crate::calendar::CalendarHandler;
use crate::common::{AddressPath, Call, Collection, Ctx, Extra, extensions, extra_setter, fda, open_enum};
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

/// The body of `updateAddress` (`PATCH .../addresses/{address_id}`).
#[derive(Clone, Debug, Serialize)]
pub struct UpdateAddress {
    insurance_support: InsuranceSupport,
    #[serde(flatten)]
    extra: Extra,
}

impl UpdateAddress {
    /// Sets which patients the address accepts.
    pub fn new(insurance_support: InsuranceSupport) -> Self {
        Self { insurance_support, extra: Extra::new() }
    }
}
extra_setter!(UpdateAddress);

/// `client.facility(f).doctor(d).addresses()`.
#[derive(Clone, Debug)]
pub struct AddressesHandler {
    ctx: Ctx,
    facility_id: String,
    doctor_id: String,
}

impl AddressesHandler {
    pub(crate) fn new(ctx: Ctx, facility_id: String, doctor_id: String) -> Self {
        Self { ctx, facility_id, doctor_id }
    }

    /// `GET /facilities/{facility_id}/doctors/{doctor_id}/addresses` (extensions: [`AddressWith`]).
    pub fn list(&self) -> Call<Collection<Address>, AddressWith> {
        self.ctx.call(
            Request::get("/facilities/{facility_id}/doctors/{doctor_id}/addresses")
                .operation("addresses.list")
                .path_param("facility_id", &self.facility_id)
                .path_param("doctor_id", &self.doctor_id),
        )
    }
}

/// `client.facility(f).doctor(d).address(a)`: one address and everything under it.
#[derive(Clone, Debug)]
pub struct AddressHandler {
    ctx: Ctx,
    path: AddressPath,
}

impl AddressHandler {
    pub(crate) fn new(ctx: Ctx, facility_id: String, doctor_id: String, address_id: String) -> Self {
        Self { ctx, path: AddressPath { facility_id, doctor_id, address_id } }
    }

    /// `GET .../addresses/{address_id}` (extensions: [`AddressWith`]).
    pub fn get(&self) -> Call<Address, AddressWith> {
        self.ctx.call(self.path.req(Method::Get, fda!(""), "addresses.get"))
    }

    /// `PATCH .../addresses/{address_id}`: sets the address's insurance support.
    pub async fn update(&self, body: UpdateAddress) -> carewire_core::Result<Address> {
        self.ctx.send(self.path.req(Method::Patch, fda!(""), "addresses.update").json(&body)).await
    }

    /// The address's free slots.
    pub fn slots(&self) -> SlotsHandler {
        SlotsHandler::new(self.ctx.clone(), self.path.clone())
    }

    /// The address's bookings.
    pub fn bookings(&self) -> BookingsHandler {
        BookingsHandler::new(self.ctx.clone(), self.path.clone())
    }

    /// The address's services.
    pub fn services(&self) -> AddressServicesHandler {
        AddressServicesHandler::new(self.ctx.clone(), self.path.clone())
    }

    /// The address's calendar breaks.
    pub fn breaks(&self) -> BreaksHandler {
        BreaksHandler::new(self.ctx.clone(), self.path.clone())
    }

    /// The address's calendar (status, enable, disable).
    pub fn calendar(&self) -> CalendarHandler {
        CalendarHandler::new(self.ctx.clone(), self.path.clone())
    }

    /// The insurance providers the address accepts.
    pub fn insurance_providers(&self) -> AddressInsuranceProvidersHandler {
        AddressInsuranceProvidersHandler::new(self.ctx.clone(), self.path.clone())
    }
}
