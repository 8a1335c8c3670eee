//! Insurance: the providers dictionary and their plans, and the providers an address accepts.

use carewire_core::operation::{Call, Spec};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::common::{AddressPath, Collection, Extra, fda};
use crate::macros::{extra_setter, operation};

/// An insurance provider (dictionary entry, or one accepted at an address with its plans).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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

carewire_core::redacted_debug!(InsuranceProvider {
    show: [insurance_provider_id, name, insurance_plans],
    keys: [extra]
});

/// An insurance plan of a provider.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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

carewire_core::redacted_debug!(InsurancePlan { show: [insurance_plan_id, name], keys: [extra] });

#[derive(Clone, Debug, Serialize)]
struct PlanRef {
    insurance_plan_id: String,
}

/// The body of `addAddressInsuranceProvider` (POST) and `updateOrCreateAddressInsuranceProvider` (PUT):
/// a provider id and, optionally, the plans accepted.
#[derive(Clone, Serialize)]
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
carewire_core::redacted_debug!(AddressInsuranceProviderInput {
    show: [insurance_provider_id, insurance_plans],
    keys: [extra],
});

operation! {
    /// `GET /insurance-providers`: the dictionary.
    #[derive(Default)]
    #[non_exhaustive]
    ListInsuranceProviders {}
    /// The listing.
    fn new;
    const SPEC = Spec::get("/insurance-providers").name("insurance_providers.list");
    type Output = Collection<InsuranceProvider>;
}

operation! {
    /// `GET /insurance-providers/{insurance_provider_id}/plans`.
    ListInsurancePlans { insurance_provider_id: String }
    /// The plans of provider `insurance_provider_id`.
    fn new;
    const SPEC = Spec::get("/insurance-providers/{insurance_provider_id}/plans").name("insurance_plans.list");
    type Output = Collection<InsurancePlan>;
}

operation! {
    /// `GET .../insurance-providers`: the providers (with plans) an address accepts.
    ListAddressInsuranceProviders { at: AddressPath }
    /// The providers the address `at` accepts.
    fn new;
    const SPEC = Spec::get(fda!("/insurance-providers")).name("address_insurance_providers.list");
    type Output = Collection<InsuranceProvider>;
}

operation! {
    /// `POST .../insurance-providers` (`addAddressInsuranceProvider`, 204). 400 when the provider is already
    /// assigned.
    AddAddressInsuranceProvider { at: AddressPath; body: AddressInsuranceProviderInput }
    /// Adds `body`'s provider (and plans) to the address `at`.
    fn new;
    const SPEC = Spec::post(fda!("/insurance-providers")).name("address_insurance_providers.add").json();
    type Output = ();
}

operation! {
    /// `PUT .../insurance-providers` (`updateOrCreateAddressInsuranceProvider`, 204): adds the provider or
    /// replaces its plans. The id travels in the body; the path is the collection's.
    UpsertAddressInsuranceProvider { at: AddressPath; body: AddressInsuranceProviderInput }
    /// Adds or updates `body`'s provider (and plans) at the address `at`.
    fn new;
    const SPEC = Spec::put(fda!("/insurance-providers")).name("address_insurance_providers.upsert").json();
    type Output = ();
}

operation! {
    /// `DELETE .../insurance-providers/{insurance_provider_id}` (204). 400 when not assigned.
    DeleteAddressInsuranceProvider { at: AddressPath, insurance_provider_id: String }
    /// Removes provider `insurance_provider_id` from the address `at`.
    fn new;
    const SPEC =
        Spec::delete(fda!("/insurance-providers/{insurance_provider_id}")).name("address_insurance_providers.delete");
    type Output = ();
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
        self.client.send(ListInsuranceProviders::new())
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
