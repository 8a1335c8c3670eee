//! Facilities, doctors, addresses and the opinion request.

mod common;

use carewire_docplanner::{
    AddressWith, DoctorWith, DoctorsWith, FacilityWith, InsuranceSupport, OpinionRequest, UpdateAddress, WithEncoding,
};
use common::*;
use wiremock::matchers::query_param;

#[tokio::test]
async fn facilities_list() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities")
        .and(raw_query(None))
        .and(no_body())
        .respond_with(ok_json(
            200,
            serde_json::json!({"_items": [{"id": "1", "name": "Sample hospital"}, {"id": 2, "name": "Other"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let list = client.facilities().list().await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list.items[0].name.as_deref(), Some("Sample hospital"));
    assert_eq!(list.items[1].id, "2");
}

#[tokio::test]
async fn facility_get_with_doctors() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1")
        .and(raw_query(Some("with=facility.doctors")))
        .respond_with(ok_json(200, fixture_json("facilities_get.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let f = client.facility("1").get().with(FacilityWith::Doctors).await.unwrap();
    assert_eq!(f.id, "1");
    assert_eq!(f.name.as_deref(), Some("Sample hospital"));
    assert!(f.doctors.is_none());
}

#[tokio::test]
async fn doctors_list() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors")
        .and(query_param("with", "doctor.profile_url,doctor.specializations"))
        .respond_with(ok_json(200, fixture_json("doctors_list.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let doctors = client
        .facility("1")
        .doctors()
        .list()
        .with(DoctorsWith::ProfileUrl)
        .with(DoctorsWith::Specializations)
        .with(DoctorsWith::ProfileUrl)
        .await
        .unwrap();
    let ids: Vec<_> = doctors.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["123", "234"]);
    assert_eq!(doctors.items[1].surname.as_deref(), Some("Doctor 234"));
}

#[tokio::test]
async fn doctor_get_comma_encoded_with() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123")
        .and(raw_query(Some("with=doctor.addresses%2Caddress.online_only")))
        .respond_with(ok_json(200, fixture_json("doctors_get.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let d = client
        .facility("1")
        .doctor("123")
        .get()
        .with_all([DoctorWith::Addresses, DoctorWith::AddressOnlineOnly])
        .await
        .unwrap();
    assert_eq!(d.name.as_deref(), Some("Sample"));
    let specs = d.specializations.unwrap();
    assert_eq!(specs.items[0].id, "12");
    assert_eq!(specs.items[0].name.as_deref(), Some("Specialization example 12"));
}

#[tokio::test]
async fn doctor_get_repeated_with() {
    let server = wiremock::MockServer::start().await;
    token_mock(&server).await;
    let client = builder(&server).with_encoding(WithEncoding::RepeatedBrackets).build().unwrap();
    api("GET", "/api/v3/integration/facilities/1/doctors/123")
        .and(raw_query(Some("with%5B%5D=doctor.addresses&with%5B%5D=address.commercial_type")))
        .respond_with(ok_json(200, fixture_json("doctors_get.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let d = client
        .facility("1")
        .doctor("123")
        .get()
        .with(DoctorWith::Addresses)
        .with(DoctorWith::AddressCommercialType)
        .await
        .unwrap();
    assert_eq!(d.id, "123");
}

#[tokio::test]
async fn addresses_list() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses")
        .and(query_param("with", "address.insurance_support"))
        .respond_with(ok_json(200, fixture_json("addresses_list.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let list = client.facility("1").doctor("123").addresses().list().with(AddressWith::InsuranceSupport).await.unwrap();
    let a = &list.items[0];
    assert_eq!(a.id, "111");
    assert_eq!(a.street.as_deref(), Some("Some street"));
    assert_eq!(a.booking_extra_fields.as_ref().unwrap().nin, Some(false));
}

#[tokio::test]
async fn address_get() {
    let (server, client) = setup().await;
    api("GET", "/api/v3/integration/facilities/1/doctors/123/addresses/111")
        .and(raw_query(None))
        .respond_with(ok_json(200, fixture_json("addresses_get.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let a = address(&client).get().await.unwrap();
    assert_eq!(a.post_code.as_deref(), Some("xx-xxx"));
    assert_eq!(a.booking_extra_fields.unwrap().birth_date, Some(false));
}

#[tokio::test]
async fn address_update() {
    let (server, client) = setup().await;
    api("PATCH", "/api/v3/integration/facilities/1/doctors/123/addresses/111")
        .and(json_body(fixture_json("addresses_update.request.json")))
        .respond_with(ok_json(200, fixture_json("addresses_update.response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let a = address(&client).update(UpdateAddress::new(InsuranceSupport::PrivateAndInsurance)).await.unwrap();
    assert_eq!(a.insurance_support, Some(InsuranceSupport::Private));
}

#[tokio::test]
async fn opinion_request() {
    let (server, client) = setup().await;
    api("PUT", "/api/v3/integration/facilities/1/doctors/123/opinion-request")
        .and(json_body(fixture_json("opinion_request_send.request.json")))
        .respond_with(wiremock::ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    client.facility("1").doctor("123").request_opinion(OpinionRequest::new("123456789")).await.unwrap();
}

#[tokio::test]
async fn opinion_request_error_400() {
    let (server, client) = setup().await;
    api("PUT", "/api/v3/integration/facilities/1/doctors/123/opinion-request")
        .respond_with(error_json(400, fixture_json("opinion_request_send.error.json")))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.facility("1").doctor("123").request_opinion(OpinionRequest::new("1")).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.api().unwrap().message().unwrap().contains("Phone number is invalid"));
}

#[tokio::test]
async fn doctor_reads_the_singular_specialization_key_and_license_numbers() {
    let (server, client) = setup().await;
    // The official SDK's model names the key `specialization`.
    let mut singular = fixture_json("doctors_get.response.json");
    let specs = singular.as_object_mut().unwrap().remove("specializations").unwrap();
    singular["specialization"] = specs;
    singular["license_numbers"] = serde_json::json!({"_items": [{"id": "1", "license_number": "PWZ 1234567"}, {"license_number": 7_654_321, "id": ""}]});
    api("GET", "/api/v3/integration/facilities/1/doctors/123")
        .and(raw_query(Some("with=doctor.license_numbers")))
        .respond_with(ok_json(200, singular))
        .expect(1)
        .mount(&server)
        .await;
    let d = client.facility("1").doctor("123").get().with(DoctorWith::LicenseNumbers).await.unwrap();
    let specs = d.specializations.as_ref().unwrap();
    assert_eq!(specs.items[0].id, "12");
    assert_eq!(specs.items[0].name.as_deref(), Some("Specialization example 12"));
    assert!(!d.extra.contains_key("specialization"), "{:?}", d.extra.keys());
    let licenses = d.license_numbers.as_ref().unwrap();
    assert_eq!(licenses.items[0].id.as_deref(), Some("1"));
    assert_eq!(licenses.items[0].license_number.as_deref(), Some("PWZ 1234567"));
    assert_eq!((licenses.items[1].id.as_deref(), licenses.items[1].license_number.as_deref()), (None, Some("7654321")));
}

#[tokio::test]
async fn doctors_list_license_numbers_as_a_bare_list_and_both_specialization_keys() {
    let (server, client) = setup().await;
    let body = serde_json::json!({"_items": [{
        "id": "123",
        "specializations": {"_items": [{"id": "12", "name": "Plural"}]},
        "specialization": {"_items": [{"id": "99", "name": "Singular"}]},
        "license_numbers": [{"id": "1", "license_number": "PWZ 1234567"}]
    }, {"id": "234", "specialization": {"_items": []}}]});
    api("GET", "/api/v3/integration/facilities/1/doctors")
        .and(raw_query(Some("with=doctor.specializations%2Cdoctor.license_numbers%2Cdoctor.ratings")))
        .respond_with(ok_json(200, body))
        .expect(1)
        .mount(&server)
        .await;
    let doctors = client
        .facility("1")
        .doctors()
        .list()
        .with_all([DoctorsWith::Specializations, DoctorsWith::LicenseNumbers, DoctorsWith::Other("doctor.ratings")])
        .await
        .unwrap();
    let first = &doctors.items[0];
    assert_eq!(first.specializations.as_ref().unwrap().items[0].name.as_deref(), Some("Plural"), "plural wins");
    assert_eq!(first.license_numbers.as_ref().unwrap().items[0].license_number.as_deref(), Some("PWZ 1234567"));
    assert!(doctors.items[1].specializations.as_ref().unwrap().is_empty());
    assert!(doctors.items[1].license_numbers.is_none());
}
