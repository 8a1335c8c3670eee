//! Insurance: the providers dictionary and their plans, and the providers an address accepts.

use carewire_core::{Method, Request, Result};
use serde::{Deserialize, Serialize};

use crate::common::{AddressPath, Call, Collection, Ctx, Extra, NoExtension, extra_setter, fda};

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

/// `client.insurance_providers()`: the dictionary.
#[derive(Clone, Debug)]
pub struct InsuranceProvidersDictionary {
    ctx: Ctx,
}

impl InsuranceProvidersDictionary {
    pub(crate) fn new(ctx: Ctx) -> Self {
        Self { ctx }
    }

    /// `GET /insurance-providers`.
    pub fn list(&self) -> Call<Collection<InsuranceProvider>, NoExtension> {
        self.ctx.call(Request::get("/insurance-providers").operation("insurance_providers.list"))
    }

    /// `GET /insurance-providers/{insurance_provider_id}/plans`.
    pub fn plans(&self, insurance_provider_id: &str) -> Call<Collection<InsurancePlan>, NoExtension> {
        self.ctx.call(
            Request::get("/insurance-providers/{insurance_provider_id}/plans")
                .operation("insurance_plans.list")
                .path_param("insurance_provider_id", insurance_provider_id),
        )
    }
}

/// `...address(a).insurance_providers()`.
#[derive(Clone, Debug)]
pub struct AddressInsuranceProvidersHandler {
    ctx: Ctx,
    path: AddressPath,
}

impl AddressInsuranceProvidersHandler {
    pub(crate) fn new(ctx: Ctx, path: AddressPath) -> Self {
        Self { ctx, path }
    }

    /// `GET .../insurance-providers`: the providers (with plans) the address accepts.
    pub fn list(&self) -> Call<Collection<InsuranceProvider>, NoExtension> {
        self.ctx.call(self.path.req(Method::Get, fda!("/insurance-providers"), "address_insurance_providers.list"))
    }

    /// `POST .../insurance-providers` (204). 400 when the provider is already assigned.
    pub async fn add(&self, body: AddressInsuranceProviderInput) -> Result<()> {
        self.ctx
            .send_unit(
                self.path
                    .req(Method::Post, fda!("/insurance-providers"), "address_insurance_providers.add")
                    .json(&body),
            )
            .await
    }

    /// `PUT .../insurance-providers` (204): adds the provider or replaces its plans. The id travels in the
    /// body; the path is the collection's.
    pub async fn upsert(&self, body: AddressInsuranceProviderInput) -> Result<()> {
        self.ctx
            .send_unit(
                self.path
                    .req(Method::Put, fda!("/insurance-providers"), "address_insurance_providers.upsert")
                    .json(&body),
            )
            .await
    }

    /// `DELETE .../insurance-providers/{insurance_provider_id}` (204). 400 when not assigned.
    pub async fn delete(&self, insurance_provider_id: &str) -> Result<()> {
        self.ctx
            .send_unit(
                self.path
                    .req(
                        Method::Delete,
                        fda!("/insurance-providers/{insurance_provider_id}"),
                        "address_insurance_providers.delete",
                    )
                    .path_param("insurance_provider_id", insurance_provider_id),
            )
            .await
    }
}
