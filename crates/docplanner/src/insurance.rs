//! Insurance: the providers dictionary and their plans, and the providers an address accepts.

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::common::{AddressPath, Collection, Extra, extra_setter, fda, unit};

/// An insurance provider (dictionary entry, or one accepted at an address with its plans).
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct InsuranceProvider {
    /// The provider id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub insurance_provider_id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// The plans accepted at the address (address listing only).
    #[serde(default, deserialize_with = "crate::common::opt_nested")]
    pub insurance_plans: Option<Collection<InsurancePlan>>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An insurance plan of a provider.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct InsurancePlan {
    /// The plan id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub insurance_plan_id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Serialize)]
struct PlanRef {
    insurance_plan_id: String,
}

/// The body of `addAddressInsuranceProvider` (POST) and `updateOrCreateAddressInsuranceProvider` (PUT):
/// a provider id and, optionally, the plans accepted.
#[derive(Clone, Debug, Serialize)]
pub struct AddressInsuranceProviderInput {
    insurance_provider_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    insurance_plans: Option<Vec<PlanRef>>,
    #[serde(flatten)]
    extra: Extra,
}

impl AddressInsuranceProviderInput {
    /// The provider `insurance_provider_id` (from the dictionary).
    pub fn new(insurance_provider_id: impl Into<String>) -> Self {
        Self { insurance_provider_id: insurance_provider_id.into(), insurance_plans: None, extra: Extra::new() }
    }

    /// Accepts these plans of the provider (API 1.7.1). An empty list sends `[]`.
    pub fn plans<I, S>(mut self, plan_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.insurance_plans = Some(plan_ids.into_iter().map(|id| PlanRef { insurance_plan_id: id.into() }).collect());
        self
    }
}
extra_setter!(AddressInsuranceProviderInput);

/// `GET /insurance-providers`: the dictionary.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ListInsuranceProviders;

impl ListInsuranceProviders {
    /// The listing.
    pub fn new() -> Self {
        Self
    }
}

impl Operation for ListInsuranceProviders {
    type Output = Collection<InsuranceProvider>;
    const SPEC: Spec = Spec::get("/insurance-providers").name("insurance_providers.list");
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request())
    }
    fn decode(&self, raw: RawResponse) -> Result<Self::Output> {
        raw.json()
    }
}

/// `GET /insurance-providers/{insurance_provider_id}/plans`.
#[derive(Clone, Debug)]
pub struct ListInsurancePlans {
    insurance_provider_id: String,
}

impl ListInsurancePlans {
    /// The plans of provider `insurance_provider_id`.
    pub fn new(insurance_provider_id: impl Into<String>) -> Self {
        Self { insurance_provider_id: insurance_provider_id.into() }
    }
}

impl Operation for ListInsurancePlans {
    type Output = Collection<InsurancePlan>;
    const SPEC: Spec = Spec::get("/insurance-providers/{insurance_provider_id}/plans").name("insurance_plans.list");
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request().path_param("insurance_provider_id", &self.insurance_provider_id))
    }
    fn decode(&self, raw: RawResponse) -> Result<Self::Output> {
        raw.json()
    }
}

/// `GET .../insurance-providers`: the providers (with plans) an address accepts.
#[derive(Clone, Debug)]
pub struct ListAddressInsuranceProviders {
    at: AddressPath,
}

impl ListAddressInsuranceProviders {
    /// The providers the address `at` accepts.
    pub fn new(at: AddressPath) -> Self {
        Self { at }
    }
}

impl Operation for ListAddressInsuranceProviders {
    type Output = Collection<InsuranceProvider>;
    const SPEC: Spec = Spec::get(fda!("/insurance-providers")).name("address_insurance_providers.list");
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(self.at.request(&Self::SPEC))
    }
    fn decode(&self, raw: RawResponse) -> Result<Self::Output> {
        raw.json()
    }
}

/// `POST .../insurance-providers` (`addAddressInsuranceProvider`, 204). 400 when the provider is already
/// assigned.
#[derive(Clone, Debug)]
pub struct AddAddressInsuranceProvider {
    at: AddressPath,
    body: AddressInsuranceProviderInput,
}

impl AddAddressInsuranceProvider {
    /// Adds `body`'s provider (and plans) to the address `at`.
    pub fn new(at: AddressPath, body: AddressInsuranceProviderInput) -> Self {
        Self { at, body }
    }
}

impl Operation for AddAddressInsuranceProvider {
    type Output = ();
    const SPEC: Spec = Spec::post(fda!("/insurance-providers")).name("address_insurance_providers.add").json();
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(self.at.request(&Self::SPEC).json(&self.body))
    }
    fn decode(&self, raw: RawResponse) -> Result<()> {
        unit(&raw)
    }
}

/// `PUT .../insurance-providers` (`updateOrCreateAddressInsuranceProvider`, 204): adds the provider or
/// replaces its plans. The id travels in the body; the path is the collection's.
#[derive(Clone, Debug)]
pub struct UpsertAddressInsuranceProvider {
    at: AddressPath,
    body: AddressInsuranceProviderInput,
}

impl UpsertAddressInsuranceProvider {
    /// Adds or updates `body`'s provider (and plans) at the address `at`.
    pub fn new(at: AddressPath, body: AddressInsuranceProviderInput) -> Self {
        Self { at, body }
    }
}

impl Operation for UpsertAddressInsuranceProvider {
    type Output = ();
    const SPEC: Spec = Spec::put(fda!("/insurance-providers")).name("address_insurance_providers.upsert").json();
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(self.at.request(&Self::SPEC).json(&self.body))
    }
    fn decode(&self, raw: RawResponse) -> Result<()> {
        unit(&raw)
    }
}

/// `DELETE .../insurance-providers/{insurance_provider_id}` (204). 400 when not assigned.
#[derive(Clone, Debug)]
pub struct DeleteAddressInsuranceProvider {
    at: AddressPath,
    insurance_provider_id: String,
}

impl DeleteAddressInsuranceProvider {
    /// Removes provider `insurance_provider_id` from the address `at`.
    pub fn new(at: AddressPath, insurance_provider_id: impl Into<String>) -> Self {
        Self { at, insurance_provider_id: insurance_provider_id.into() }
    }
}

impl Operation for DeleteAddressInsuranceProvider {
    type Output = ();
    const SPEC: Spec =
        Spec::delete(fda!("/insurance-providers/{insurance_provider_id}")).name("address_insurance_providers.delete");
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(self.at.request(&Self::SPEC).path_param("insurance_provider_id", &self.insurance_provider_id))
    }
    fn decode(&self, raw: RawResponse) -> Result<()> {
        unit(&raw)
    }
}

/// `client.insurance_providers()`: the dictionary.
#[derive(Clone, Debug)]
pub struct InsuranceProvidersDictionary {
    client: Client,
}

impl InsuranceProvidersDictionary {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /insurance-providers` ([`ListInsuranceProviders`]).
    pub fn list(&self) -> Call<ListInsuranceProviders> {
        self.client.send(ListInsuranceProviders)
    }

    /// `GET /insurance-providers/{insurance_provider_id}/plans` ([`ListInsurancePlans`]).
    pub fn plans(&self, insurance_provider_id: impl Into<String>) -> Call<ListInsurancePlans> {
        self.client.send(ListInsurancePlans::new(insurance_provider_id))
    }
}

/// `...address(a).insurance_providers()`.
#[derive(Clone, Debug)]
pub struct AddressInsuranceProvidersHandler {
    client: Client,
    path: AddressPath,
}

impl AddressInsuranceProvidersHandler {
    pub(crate) fn new(client: Client, path: AddressPath) -> Self {
        Self { client, path }
    }

    /// `GET .../insurance-providers` ([`ListAddressInsuranceProviders`]).
    pub fn list(&self) -> Call<ListAddressInsuranceProviders> {
        self.client.send(ListAddressInsuranceProviders::new(self.path.clone()))
    }

    /// `POST .../insurance-providers` ([`AddAddressInsuranceProvider`], 204).
    pub fn add(&self, body: AddressInsuranceProviderInput) -> Call<AddAddressInsuranceProvider> {
        self.client.send(AddAddressInsuranceProvider::new(self.path.clone(), body))
    }

    /// `PUT .../insurance-providers` ([`UpsertAddressInsuranceProvider`], 204).
    pub fn upsert(&self, body: AddressInsuranceProviderInput) -> Call<UpsertAddressInsuranceProvider> {
        self.client.send(UpsertAddressInsuranceProvider::new(self.path.clone(), body))
    }

    /// `DELETE .../insurance-providers/{insurance_provider_id}` ([`DeleteAddressInsuranceProvider`], 204).
    pub fn delete(&self, insurance_provider_id: impl Into<String>) -> Call<DeleteAddressInsuranceProvider> {
        self.client.send(DeleteAddressInsuranceProvider::new(self.path.clone(), insurance_provider_id))
    }
}
