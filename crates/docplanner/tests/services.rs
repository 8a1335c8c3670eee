//! The services dictionary and an address's services.

mod common;

use carewire_docplanner::{
    AddAddressService, AddressServiceWith, AllowedPatients, Decimal, ServicesWith, UpdateAddressService,
};
use common::*;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn services_dictionary() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/services")
        .and(raw_query(Some("specialization_id=12&with=services.only_diagnostics")))
        .respond_with(ok_json(200, fixture_json("services_list.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let list = client.services().list_for_specialization(12).with(ServicesWith::OnlyDiagnostics).await.unwrap();
    let names: Vec<_> = list.iter().filter_map(|s| s.name.as_deref()).collect();
    assert_eq!(names, ["USG", "EKG", "EEG"]);
}

#[tokio::test]
async fn address_services_list() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services")
        .and(raw_query(Some("start=2021-05-16T14%3A00%3A00%2B01%3A00&with=address_service.custom_name")))
        .respond_with(ok_json(200, fixture_json("address_services_list.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let list = address(&client)
        .services()
        .list_for_slots_on(dt("2021-05-16T14:00:00+01:00"))
        .with(AddressServiceWith::CustomName)
        .await
        .unwrap();
    assert_eq!(list.items[0].price, Some(Decimal::new(100, 0)));
    assert_eq!(list.items[0].price.and_then(|p| p.to_minor_units(2)), Some(10000));
    assert_eq!(list.items[1].price, None);
    assert_eq!(list.items[1].is_visible, Some(false));
}

#[tokio::test]
async fn address_services_list_plain() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services")
        .and(raw_query(None))
        .respond_with(ok_json(200, fixture_json("address_services_list.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let list = address(&client).services().list().await.unwrap();
    assert_eq!(list.len(), 2);
}

#[tokio::test]
async fn address_service_add_with_body() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services")
        .and(json_body(fixture_json("address_services_add.request.json")))
        .respond_with(ok_json(201, fixture_json("address_services_get.response.json")).insert_header("location", "/x"))
        .expect(1)
        .mount(&server)
        .await;
    let body = AddAddressService::new("2")
        .is_price_from(true)
        .price(Some(Decimal::new(20000, 2)))
        .description(Some("Address service description".into()))
        .is_visible(true)
        .default_duration(20);
    let created = address(&client).services().add(body).await.unwrap().unwrap();
    assert_eq!(created.id, "101");
    assert_eq!(created.service_id.as_deref(), Some("1"));
}

#[tokio::test]
async fn address_service_add_empty_201() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services")
        .and(json_body(serde_json::json!({"service_id": "2"})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let created = address(&client).services().add(AddAddressService::new("2")).await.unwrap();
    assert!(created.is_none());
}

#[tokio::test]
async fn address_service_add_409_and_400() {
    let (server, client) = setup().await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services")
        .respond_with(error_json(409, serde_json::json!({"errors": [], "message": "Service already exists"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services")
        .respond_with(error_json(400, fixture_json("address_services_add.error.json")))
        .mount(&server)
        .await;
    let h = address(&client).services();
    let err = h.add(AddAddressService::new("2")).await.unwrap_err();
    assert_eq!(err.status(), Some(409));
    let err = h.add(AddAddressService::new("2")).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.api().unwrap().message().unwrap().contains("Invalid price"));
}

#[tokio::test]
async fn address_service_get() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services/101")
        .respond_with(ok_json(200, fixture_json("address_services_get.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let s = address(&client).services().get("101").await.unwrap();
    assert_eq!(s.name.as_deref(), Some("USG"));
    assert_eq!(s.is_default, Some(true));
}

#[tokio::test]
async fn address_service_update() {
    let (server, client) = setup().await;
    api("PATCH", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services/101")
        .and(json_body(fixture_json("address_services_update.request.json")))
        .respond_with(ok_json(200, fixture_json("address_services_update.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let body = UpdateAddressService::new()
        .price(Some(Decimal::new(20000, 2)))
        .is_price_from(true)
        .description(Some("Address service description".into()))
        .default_duration(20);
    let s = address(&client).services().update("101", body).await.unwrap();
    assert_eq!(s.price, Some(Decimal::new(200, 0)));
    assert_eq!(s.is_price_from, Some(true));
}

#[tokio::test]
async fn address_service_delete() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services/101")
        .and(no_body())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    address(&client).services().delete("101").await.unwrap();
}

#[tokio::test]
async fn address_service_delete_403() {
    let (server, client) = setup().await;
    api("DELETE", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services/101")
        .respond_with(error_json(403, fixture_json("address_services_delete.error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let err = address(&client).services().delete("101").await.unwrap_err();
    assert_eq!(err.status(), Some(403));
}

#[tokio::test]
async fn invalid_price_is_rejected_before_sending() {
    let (server, client) = setup().await;
    for bad in ["10.005", "-1", "-0.01"] {
        let body = UpdateAddressService::new().price(Some(bad.parse().unwrap()));
        let err = address(&client).services().update("101", body).await.unwrap_err();
        assert!(
            matches!(err, carewire_docplanner::Error::InvalidRequest { ref field, .. } if field == "price"),
            "{bad}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn address_service_allowed_patients_read_and_sent() {
    let (server, client) = setup().await;
    let mut service = fixture_json("address_services_get.response.json");
    service["allowed_patients"] = serde_json::json!({"minimum_age": 18, "maximum_age": "65"});
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services/101")
        .and(raw_query(Some("with=address_service.allowed_patients")))
        .respond_with(ok_json(200, service.clone()))
        .expect(1)
        .mount(&server)
        .await;
    api("PATCH", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services/101")
        .and(json_body(serde_json::json!({"allowed_patients": {"minimum_age": 18, "maximum_age": 65}})))
        .respond_with(ok_json(200, service))
        .expect(1)
        .mount(&server)
        .await;
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/services")
        .and(json_body(serde_json::json!({"service_id": "2", "allowed_patients": {"maximum_age": 17}})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let services = address(&client).services();
    let s = services.get("101").with(AddressServiceWith::AllowedPatients).await.unwrap();
    let ages = s.allowed_patients.clone().unwrap();
    assert_eq!((ages.minimum_age, ages.maximum_age), (Some(18), Some(65)));
    assert!(!s.extra.contains_key("allowed_patients"));
    services.update("101", UpdateAddressService::new().allowed_patients(ages)).await.unwrap();
    let added = services
        .add(AddAddressService::new("2").allowed_patients(AllowedPatients::new().maximum_age(17)))
        .await
        .unwrap();
    assert!(added.is_none());
}
