//! Insurance providers: dictionary, plans and an address's providers.

mod common;

use carewire_docplanner::AddressInsuranceProviderInput;
use common::*;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn providers_dictionary() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/insurance-providers")
        .and(no_body())
        .respond_with(ok_json(200, fixture_json("insurance_providers_list.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let list = client.insurance_providers().list().await.unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list.items[2].insurance_provider_id, "3");
}

#[tokio::test]
async fn provider_plans() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/insurance-providers/1/plans")
        .respond_with(ok_json(200, fixture_json("insurance_plans_list.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let plans = client.insurance_providers().plans("1").await.unwrap();
    assert_eq!(plans.items[1].insurance_plan_id, "1000");
}

#[tokio::test]
async fn address_providers_list() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/insurance-providers")
        .respond_with(ok_json(200, fixture_json("address_insurance_providers_list.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let list = address(&client).insurance_providers().list().await.unwrap();
    assert_eq!(list.items[0].insurance_plans.as_ref().unwrap().len(), 2);
    assert!(list.items[1].insurance_plans.as_ref().unwrap().is_empty());
}

#[tokio::test]
async fn address_provider_add() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/insurance-providers")
        .and(json_body(fixture_json("address_insurance_providers_add.request.json")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    address(&client).insurance_providers().add(AddressInsuranceProviderInput::new("3")).await.unwrap();
}

#[tokio::test]
async fn address_provider_add_already_assigned_400() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/insurance-providers")
        .respond_with(error_json(400, fixture_json("address_insurance_providers_add.error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let err = address(&client).insurance_providers().add(AddressInsuranceProviderInput::new("3")).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn address_provider_upsert_on_collection_path() {
    let (server, client) = setup().await;
    api("PUT", "/api/v3/integration/facilities/1/doctors/123/addresses/111/insurance-providers")
        .and(json_body(fixture_json("address_insurance_providers_update_or_create.request.json")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    address(&client)
        .insurance_providers()
        .upsert(AddressInsuranceProviderInput::new("3").plans(["999", "1000"]))
        .await
        .unwrap();
}

#[tokio::test]
async fn address_provider_upsert_403() {
    let (server, client) = setup().await;
    api("PUT", "/api/v3/integration/facilities/1/doctors/123/addresses/111/insurance-providers")
        .respond_with(error_json(403, fixture_json("address_insurance_providers_update_or_create.error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let err = address(&client).insurance_providers().upsert(AddressInsuranceProviderInput::new("3")).await.unwrap_err();
    assert_eq!(err.status(), Some(403));
}

#[tokio::test]
async fn address_provider_delete() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/insurance-providers/3")
        .and(no_body())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    address(&client).insurance_providers().delete("3").await.unwrap();
}

#[tokio::test]
async fn address_provider_delete_not_assigned_400() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/insurance-providers/3")
        .respond_with(error_json(400, fixture_json("address_insurance_providers_delete.error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let err = address(&client).insurance_providers().delete("3").await.unwrap_err();
    assert!(err.api().unwrap().message().unwrap().contains("not assigned"));
}
