//! Services: the dictionary (`GET /services`) and an address's services (CRUD).

use carewire_core::money::Decimal;
use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::common::{AddressPath, Collection, Extra, With, fda, format_datetime};
use crate::macros::{expandable, extensions, operation};

extensions! {
    /// The extensions of `GET /services`.
    ServicesWith {
        /// `services.only_diagnostics`: only services of the diagnostics marketplace.
        OnlyDiagnostics => "services.only_diagnostics",
    }
}

extensions! {
    /// The extensions of an address's services (API 1.14).
    AddressServiceWith {
        /// `address_service.allowed_patients`.
        AllowedPatients => "address_service.allowed_patients",
        /// `address_service.custom_name`.
        CustomName => "address_service.custom_name",
        /// `address_service.public_insurance_flow`.
        PublicInsuranceFlow => "address_service.public_insurance_flow",
    }
}

/// A service of the dictionary.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Service {
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

carewire_core::redacted_debug!(Service { show: [id, name], keys: [extra] });

/// A service offered at an address. `Debug` does not show its description (free text).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AddressService {
    /// The address service id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Price, exact (the API sends a JSON number, some versions a numeric string); `None` when not set (`null`
    /// or `""`). In the currency's minor units: `price.to_minor_units(2)`.
    ///
    /// ```
    /// use carewire::docplanner::{AddressService, Decimal};
    ///
    /// let s: AddressService = serde_json::from_str(r#"{"id": "101", "price": 150.5}"#)?;
    /// assert_eq!(s.price, Some(Decimal::new(15050, 2)));
    /// assert_eq!(s.price.and_then(|p| p.to_minor_units(2)), Some(15050));
    /// let s: AddressService = serde_json::from_str(r#"{"id": "101", "price": "200"}"#)?;
    /// assert_eq!(s.price, Some(Decimal::new(200, 0)));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub price: Option<Decimal>,
    /// Whether the price is a "from" price.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_price_from: Option<bool>,
    /// Whether it is the default service.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_default: Option<bool>,
    /// The dictionary service id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub service_id: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Duration in minutes, when sent.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub duration: Option<i64>,
    /// Default duration in minutes, when sent.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub default_duration: Option<i64>,
    /// Whether patients see it.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_visible: Option<bool>,
    /// Custom name (API 1.10).
    #[serde(default)]
    pub custom_name: Option<String>,
    /// The patients' ages the service is for (API 1.5; with [`AddressServiceWith::AllowedPatients`]).
    ///
    /// ```
    /// use carewire::docplanner::AddressService;
    ///
    /// let s: AddressService =
    ///     serde_json::from_str(r#"{"id": "101", "allowed_patients": {"minimum_age": 18, "maximum_age": null}}"#)?;
    /// let ages = s.allowed_patients.unwrap();
    /// assert_eq!((ages.minimum_age, ages.maximum_age), (Some(18), None));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[serde(default)]
    pub allowed_patients: Option<AllowedPatients>,
    /// Public insurance flow (API 1.14).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_public_insurance_flow: Option<bool>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

carewire_core::redacted_debug!(AddressService {
    show: [
        id,
        name,
        price,
        is_price_from,
        is_default,
        service_id,
        duration,
        default_duration,
        is_visible,
        custom_name,
        allowed_patients,
        is_public_insurance_flow,
    ],
    redact: [description],
    keys: [extra],
});

/// The patients' ages an address service is for (`allowed_patients`, API 1.5): read from address services
/// and sent with [`AddAddressService::allowed_patients`] / [`UpdateAddressService::allowed_patients`]. A
/// missing bound is no limit.
///
/// ```
/// use carewire::docplanner::AllowedPatients;
///
/// let adults = AllowedPatients::new().minimum_age(18);
/// assert_eq!(serde_json::to_value(&adults)?, serde_json::json!({"minimum_age": 18}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AllowedPatients {
    /// The youngest patients' age in years.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "opt_age")]
    pub minimum_age: Option<u32>,
    /// The oldest patients' age in years.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "opt_age")]
    pub maximum_age: Option<u32>,
    /// Anything else the API sent (or you add); sent back as is.
    #[serde(flatten)]
    pub extra: Extra,
}

carewire_core::redacted_debug!(AllowedPatients { show: [minimum_age, maximum_age], keys: [extra] });

impl AllowedPatients {
    /// No limits yet.
    ///
    /// ```
    /// use carewire::docplanner::AllowedPatients;
    ///
    /// assert_eq!(AllowedPatients::new().minimum_age, None);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
    /// The youngest patients' age in years.
    ///
    /// ```
    /// use carewire::docplanner::AllowedPatients;
    ///
    /// assert_eq!(AllowedPatients::new().minimum_age(18).minimum_age, Some(18));
    /// ```
    pub fn minimum_age(mut self, years: u32) -> Self {
        self.minimum_age = Some(years);
        self
    }
    /// The oldest patients' age in years.
    ///
    /// ```
    /// use carewire::docplanner::AllowedPatients;
    ///
    /// assert_eq!(AllowedPatients::new().maximum_age(17).maximum_age, Some(17));
    /// ```
    pub fn maximum_age(mut self, years: u32) -> Self {
        self.maximum_age = Some(years);
        self
    }
}

/// An age: a number or a numeric string; `null`, blank, negative or out-of-range values are `None`.
fn opt_age<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<u32>, D::Error> {
    Ok(carewire_core::de::opt_number_or_string_i64(d)?.and_then(|n| u32::try_from(n).ok()))
}

/// The fields shared by adding and updating an address service. `Option<Option<_>>`: unset (not sent),
/// `null`, or a value.
#[allow(clippy::option_option)]
#[derive(Clone, Default, Serialize)]
struct ServiceFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    is_price_from: Option<bool>,
    /// Whole amounts go out as JSON integers (`200`, as documented), others as decimals (`19.99`).
    #[serde(skip_serializing_if = "Option::is_none")]
    price: Option<Option<Decimal>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_visible: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_patients: Option<AllowedPatients>,
    #[serde(flatten)]
    extra: Extra,
}

carewire_core::redacted_debug!(ServiceFields {
    show: [is_price_from, price, is_visible, default_duration, custom_name, allowed_patients],
    redact: [description],
    keys: [extra],
});

impl ServiceFields {
    fn validate(&self) -> Result<()> {
        if let Some(Some(p)) = self.price
            && (p.is_negative() || p.to_minor_units(2).is_none())
        {
            return Err(Error::invalid_request("price", "must be a non-negative number with at most 2 decimals"));
        }
        if self.default_duration == Some(0) {
            return Err(Error::invalid_request("default_duration", "must be at least one minute"));
        }
        Ok(())
    }
}

macro_rules! service_setters {
    ($name:ident, $ctor:literal) => {
        impl $name {
            /// Whether the price is a "from" price.
            pub fn is_price_from(mut self, v: bool) -> Self {
                self.fields.is_price_from = Some(v);
                self
            }
            /// The price, exact (at most 2 decimals, not negative: checked before sending); `None` sends `null`
            /// (no price). Whole amounts are sent as JSON integers (`150`), others as decimals (`19.99`).
            ///
            /// ```
            #[doc = concat!("use carewire::docplanner::{Decimal, ", stringify!($name), "};")]
            ///
            #[doc = concat!("let body = ", stringify!($name), $ctor, ".price(Some(Decimal::new(15000, 2)));")]
            /// assert_eq!(serde_json::to_value(&body)?["price"], 150);
            #[doc = concat!("let body = ", stringify!($name), $ctor, ".price(Some(\"19.99\".parse()?));")]
            /// assert_eq!(serde_json::to_value(&body)?["price"], 19.99);
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            pub fn price(mut self, price: Option<Decimal>) -> Self {
                self.fields.price = Some(price);
                self
            }
            /// The description; `None` sends `null`.
            pub fn description(mut self, d: Option<String>) -> Self {
                self.fields.description = Some(d);
                self
            }
            /// Whether patients see the service.
            pub fn is_visible(mut self, v: bool) -> Self {
                self.fields.is_visible = Some(v);
                self
            }
            /// Default duration in minutes.
            pub fn default_duration(mut self, minutes: u32) -> Self {
                self.fields.default_duration = Some(minutes);
                self
            }
            /// A custom name (API 1.10).
            pub fn custom_name(mut self, name: impl Into<String>) -> Self {
                self.fields.custom_name = Some(name.into());
                self
            }
            /// The patients' ages the service is for (`allowed_patients`, API 1.5).
            ///
            /// ```
            #[doc = concat!("use carewire::docplanner::{AllowedPatients, ", stringify!($name), "};")]
            ///
            #[doc = concat!("let body = ", stringify!($name), $ctor, ".allowed_patients(AllowedPatients::new().maximum_age(17));")]
            /// let json = serde_json::to_value(&body)?;
            /// assert_eq!(json["allowed_patients"], serde_json::json!({"maximum_age": 17}));
            /// # Ok::<(), serde_json::Error>(())
            /// ```
            pub fn allowed_patients(mut self, ages: AllowedPatients) -> Self {
                self.fields.allowed_patients = Some(ages);
                self
            }
            /// Adds a field the docs do not list.
            pub fn extra(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
                self.fields.extra.insert(key.into(), value.into());
                self
            }
        }
    };
}

/// `POST .../services` (`addAddressService`): 201 with the new service (API 1.4.7+) or an empty body (older:
/// `None`). The price is checked before sending. The address is set by the handle, or by
/// [`AddAddressService::at`].
#[derive(Clone, Debug, Serialize)]
pub struct AddAddressService {
    #[serde(skip)]
    at: AddressPath,
    service_id: String,
    #[serde(flatten)]
    fields: ServiceFields,
}

impl AddAddressService {
    /// Adds the dictionary service `service_id` to the address.
    pub fn new(service_id: impl Into<String>) -> Self {
        Self { at: AddressPath::default(), service_id: service_id.into(), fields: ServiceFields::default() }
    }
    /// The address that gets the service.
    pub fn at(mut self, at: AddressPath) -> Self {
        self.at = at;
        self
    }
}
service_setters!(AddAddressService, "::new(\"1\")");

impl Operation for AddAddressService {
    type Output = Option<AddressService>;
    const SPEC: Spec = Spec::post(fda!("/services")).name("address_services.add").json();
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.fields.validate()?;
        Ok(self.at.request(&Self::SPEC).json(self))
    }
    fn decode(&self, raw: RawResponse) -> Result<Self::Output> {
        raw.json()
    }
}

/// `PATCH .../services/{address_service_id}` (`updateAddressService`): the updated service. The price is
/// checked before sending. The service is set by the handle, or by [`UpdateAddressService::at`].
#[derive(Clone, Debug, Default, Serialize)]
pub struct UpdateAddressService {
    #[serde(skip)]
    at: AddressPath,
    #[serde(skip)]
    address_service_id: String,
    #[serde(flatten)]
    fields: ServiceFields,
}

impl UpdateAddressService {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// The service to update: `address_service_id` of the address `at`.
    pub fn at(mut self, at: AddressPath, address_service_id: impl Into<String>) -> Self {
        self.at = at;
        self.address_service_id = address_service_id.into();
        self
    }
}
service_setters!(UpdateAddressService, "::new()");

impl Operation for UpdateAddressService {
    type Output = AddressService;
    const SPEC: Spec = Spec::patch(fda!("/services/{address_service_id}")).name("address_services.update").json();
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.fields.validate()?;
        Ok(self.at.request(&Self::SPEC).path_param("address_service_id", &self.address_service_id).json(self))
    }
    fn decode(&self, raw: RawResponse) -> Result<AddressService> {
        raw.json()
    }
}

/// `GET /services`: the services dictionary (extensions: [`ServicesWith`]).
#[derive(Clone, Debug, Default)]
pub struct ListServices {
    specialization_id: Option<u64>,
    with: With<ServicesWith>,
}

impl ListServices {
    /// The whole dictionary.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only the services of one specialization (`specialization_id`, API 1.9.2).
    pub fn specialization_id(mut self, id: u64) -> Self {
        self.specialization_id = Some(id);
        self
    }
}

impl Operation for ListServices {
    type Output = Collection<Service>;
    const SPEC: Spec = Spec::get("/services").name("services.list");
    fn request(&self, enc: &Encodings) -> Result<Request> {
        Ok(self.with.apply(Self::SPEC.request().query_opt("specialization_id", self.specialization_id), *enc))
    }
    fn decode(&self, raw: RawResponse) -> Result<Self::Output> {
        raw.json()
    }
}

/// `GET .../services` (extensions: [`AddressServiceWith`]), optionally only the services linked to slots
/// starting on a date (`start`).
#[derive(Clone, Debug)]
pub struct ListAddressServices {
    at: AddressPath,
    start: Option<DateTime<FixedOffset>>,
    with: With<AddressServiceWith>,
}

impl ListAddressServices {
    /// The services of the address `at`.
    pub fn new(at: AddressPath) -> Self {
        Self { at, start: None, with: With::default() }
    }
    /// Only services linked to slots starting on the date of `start`.
    pub fn start(mut self, start: DateTime<FixedOffset>) -> Self {
        self.start = Some(start);
        self
    }
}

impl Operation for ListAddressServices {
    type Output = Collection<AddressService>;
    const SPEC: Spec = Spec::get(fda!("/services")).name("address_services.list");
    fn request(&self, enc: &Encodings) -> Result<Request> {
        let req = self.at.request(&Self::SPEC).query_opt("start", self.start.as_ref().map(format_datetime));
        Ok(self.with.apply(req, *enc))
    }
    fn decode(&self, raw: RawResponse) -> Result<Self::Output> {
        raw.json()
    }
}

expandable!(ListServices => ServicesWith, ListAddressServices => AddressServiceWith);

operation! {
    /// `GET .../services/{address_service_id}` (extensions: [`AddressServiceWith`]).
    GetAddressService { at: AddressPath, address_service_id: String; with: AddressServiceWith }
    /// Service `address_service_id` of the address `at`.
    fn new;
    const SPEC = Spec::get(fda!("/services/{address_service_id}")).name("address_services.get");
    type Output = AddressService;
}

operation! {
    /// `DELETE .../services/{address_service_id}` (204).
    DeleteAddressService { at: AddressPath, address_service_id: String }
    /// Removes service `address_service_id` from the address `at`.
    fn new;
    const SPEC = Spec::delete(fda!("/services/{address_service_id}")).name("address_services.delete");
    type Output = ();
}

/// `client.services()`: the services dictionary.
#[derive(Clone, Debug)]
pub struct ServicesDictionary {
    client: Client,
}

impl ServicesDictionary {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /services` ([`ListServices`]; extensions: [`ServicesWith`]).
    pub fn list(&self) -> Call<ListServices> {
        self.client.send(ListServices::new())
    }

    /// `GET /services?specialization_id=..`: the services of one specialization (API 1.9.2).
    ///
    /// ```no_run
    /// use carewire::docplanner::ServicesWith;
    ///
    /// # async fn run(client: carewire::docplanner::Client) -> carewire::Result<()> {
    /// let cardiology = client.services().list_for_specialization(12).with(ServicesWith::OnlyDiagnostics).await?;
    /// println!("{} service(s)", cardiology.len());
    /// # Ok(()) }
    /// ```
    pub fn list_for_specialization(&self, specialization_id: u64) -> Call<ListServices> {
        self.client.send(ListServices::new().specialization_id(specialization_id))
    }
}

/// `...address(a).services()`: the services of an address.
#[derive(Clone, Debug)]
pub struct AddressServicesHandler {
    client: Client,
    path: AddressPath,
}

impl AddressServicesHandler {
    pub(crate) fn new(client: Client, path: AddressPath) -> Self {
        Self { client, path }
    }

    /// `GET .../services` ([`ListAddressServices`]; extensions: [`AddressServiceWith`]).
    pub fn list(&self) -> Call<ListAddressServices> {
        self.client.send(ListAddressServices::new(self.path.clone()))
    }

    /// `GET .../services?start=...`: only services linked to slots starting on that date.
    pub fn list_for_slots_on(&self, start: DateTime<FixedOffset>) -> Call<ListAddressServices> {
        self.client.send(ListAddressServices::new(self.path.clone()).start(start))
    }

    /// `POST .../services` ([`AddAddressService`]): the new service, or `None` when an older API version
    /// answers empty.
    pub fn add(&self, body: AddAddressService) -> Call<AddAddressService> {
        self.client.send(body.at(self.path.clone()))
    }

    /// `GET .../services/{address_service_id}` ([`GetAddressService`]; extensions: [`AddressServiceWith`]).
    pub fn get(&self, address_service_id: impl Into<String>) -> Call<GetAddressService> {
        self.client.send(GetAddressService::new(self.path.clone(), address_service_id))
    }

    /// `PATCH .../services/{address_service_id}` ([`UpdateAddressService`]).
    pub fn update(
        &self,
        address_service_id: impl Into<String>,
        body: UpdateAddressService,
    ) -> Call<UpdateAddressService> {
        self.client.send(body.at(self.path.clone(), address_service_id))
    }

    /// `DELETE .../services/{address_service_id}` ([`DeleteAddressService`], 204).
    pub fn delete(&self, address_service_id: impl Into<String>) -> Call<DeleteAddressService> {
        self.client.send(DeleteAddressService::new(self.path.clone(), address_service_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn price_validation() {
        assert!(AddAddressService::new("1").price(Some(price("19.99"))).fields.validate().is_ok());
        assert!(AddAddressService::new("1").price(Some(price("19.990"))).fields.validate().is_ok());
        assert!(AddAddressService::new("1").price(None).fields.validate().is_ok());
        let err = AddAddressService::new("1").price(Some(price("1.234"))).fields.validate().unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "price"));
        assert!(UpdateAddressService::new().price(Some(price("-1"))).fields.validate().is_err());
        let json = serde_json::to_value(UpdateAddressService::new().price(Some(price("150.00")))).unwrap();
        assert_eq!(json, serde_json::json!({"price": 150}));
        let json = serde_json::to_value(UpdateAddressService::new().price(None).is_visible(true)).unwrap();
        assert_eq!(json, serde_json::json!({"price": null, "is_visible": true}));
    }
}
