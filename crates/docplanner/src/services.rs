//! Services: the dictionary (`GET /services`) and an address's services (CRUD).

use carewire_core::{Error, Method, Request, Result};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::common::{AddressPath, Call, Collection, Ctx, Extra, extensions, fda, format_datetime};

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
#[derive(Clone, Debug, Deserialize)]
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

/// A service offered at an address.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct AddressService {
    /// The address service id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Price (the API returns the integer part), `None` when not set.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_f64")]
    pub price: Option<f64>,
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
    /// use carewire_docplanner::AddressService;
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

/// The patients' ages an address service is for (`allowed_patients`, API 1.5): read from address services
/// and sent with [`AddAddressService::allowed_patients`] / [`UpdateAddressService::allowed_patients`]. A
/// missing bound is no limit.
///
/// ```
/// use carewire_docplanner::AllowedPatients;
///
/// let adults = AllowedPatients::new().minimum_age(18);
/// assert_eq!(serde_json::to_value(&adults)?, serde_json::json!({"minimum_age": 18}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
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

impl AllowedPatients {
    /// No limits yet.
    ///
    /// ```
    /// use carewire_docplanner::AllowedPatients;
    ///
    /// assert_eq!(AllowedPatients::new().minimum_age, None);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
    /// The youngest patients' age in years.
    ///
    /// ```
    /// use carewire_docplanner::AllowedPatients;
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
    /// use carewire_docplanner::AllowedPatients;
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
#[derive(Clone, Debug, Default, Serialize)]
struct ServiceFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    is_price_from: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_price")]
    price: Option<Option<f64>>,
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

/// Whole prices go out as JSON integers (`200`, as documented), others as decimals (`19.99`).
#[allow(clippy::ref_option, clippy::option_option)]
fn ser_price<S: serde::Serializer>(price: &Option<Option<f64>>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match price {
        Some(Some(p)) if p.fract() == 0.0 && p.abs() < 1e15 => s.serialize_i64(*p as i64),
        Some(Some(p)) => s.serialize_f64(*p),
        _ => s.serialize_none(),
    }
}

impl ServiceFields {
    fn validate(&self) -> Result<()> {
        if let Some(Some(p)) = self.price
            && (!p.is_finite() || p < 0.0 || ((p * 100.0).round() - p * 100.0).abs() > 1e-6)
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
            /// The price (up to 2 decimals); `None` sends `null` (no price).
            pub fn price(mut self, price: Option<f64>) -> Self {
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
            #[doc = concat!("use carewire_docplanner::{AllowedPatients, ", stringify!($name), "};")]
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

/// The body of `addAddressService`.
#[derive(Clone, Debug, Serialize)]
pub struct AddAddressService {
    service_id: String,
    #[serde(flatten)]
    fields: ServiceFields,
}

impl AddAddressService {
    /// Adds the dictionary service `service_id` to the address.
    pub fn new(service_id: impl Into<String>) -> Self {
        Self { service_id: service_id.into(), fields: ServiceFields::default() }
    }
}
service_setters!(AddAddressService, "::new(\"1\")");

/// The body of `updateAddressService`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct UpdateAddressService {
    #[serde(flatten)]
    fields: ServiceFields,
}

impl UpdateAddressService {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }
}
service_setters!(UpdateAddressService, "::new()");

/// `client.services()`: the services dictionary.
#[derive(Clone, Debug)]
pub struct ServicesDictionary {
    ctx: Ctx,
}

impl ServicesDictionary {
    pub(crate) fn new(ctx: Ctx) -> Self {
        Self { ctx }
    }

    /// `GET /services` (extensions: [`ServicesWith`]; `.query("specialization_id", id)` filters by
    /// specialization, API 1.9.2).
    pub fn list(&self) -> Call<Collection<Service>, ServicesWith> {
        self.ctx.call(Request::get("/services").operation("services.list"))
    }
}

/// `...address(a).services()`: the services of an address.
#[derive(Clone, Debug)]
pub struct AddressServicesHandler {
    ctx: Ctx,
    path: AddressPath,
}

impl AddressServicesHandler {
    pub(crate) fn new(ctx: Ctx, path: AddressPath) -> Self {
        Self { ctx, path }
    }

    fn one(&self, method: Method, operation: &'static str, id: &str) -> Request {
        self.path.req(method, fda!("/services/{address_service_id}"), operation).path_param("address_service_id", id)
    }

    /// `GET .../services`.
    pub fn list(&self) -> Call<Collection<AddressService>, AddressServiceWith> {
        self.ctx.call(self.path.req(Method::Get, fda!("/services"), "address_services.list"))
    }

    /// `GET .../services?start=...`: only services linked to slots starting on that date.
    pub fn list_for_slots_on(
        &self,
        start: DateTime<FixedOffset>,
    ) -> Call<Collection<AddressService>, AddressServiceWith> {
        self.ctx.call(
            self.path
                .req(Method::Get, fda!("/services"), "address_services.list")
                .query("start", format_datetime(&start)),
        )
    }

    /// `POST .../services`: 201, with the new service as body (API 1.4.7+) or an empty body (older).
    pub async fn add(&self, body: AddAddressService) -> Result<Option<AddressService>> {
        body.fields.validate()?;
        self.ctx.send(self.path.req(Method::Post, fda!("/services"), "address_services.add").json(&body)).await
    }

    /// `GET .../services/{address_service_id}`.
    pub fn get(&self, address_service_id: &str) -> Call<AddressService, AddressServiceWith> {
        self.ctx.call(self.one(Method::Get, "address_services.get", address_service_id))
    }

    /// `PATCH .../services/{address_service_id}`.
    pub async fn update(&self, address_service_id: &str, body: UpdateAddressService) -> Result<AddressService> {
        body.fields.validate()?;
        self.ctx.send(self.one(Method::Patch, "address_services.update", address_service_id).json(&body)).await
    }

    /// `DELETE .../services/{address_service_id}` (204).
    pub async fn delete(&self, address_service_id: &str) -> Result<()> {
        self.ctx.send_unit(self.one(Method::Delete, "address_services.delete", address_service_id)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_validation() {
        assert!(AddAddressService::new("1").price(Some(19.99)).fields.validate().is_ok());
        assert!(AddAddressService::new("1").price(None).fields.validate().is_ok());
        let err = AddAddressService::new("1").price(Some(1.234)).fields.validate().unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "price"));
        assert!(UpdateAddressService::new().price(Some(-1.0)).fields.validate().is_err());
        let json = serde_json::to_value(UpdateAddressService::new().price(None).is_visible(true)).unwrap();
        assert_eq!(json, serde_json::json!({"price": null, "is_visible": true}));
    }
}
