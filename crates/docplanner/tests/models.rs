//! Models users can work with: decoded from the fixtures, serialized and decoded again, they are the same
//! value; built from `Default` with public fields, they serialize to the wire shape and still redact `Debug`.

mod common;

use std::fmt::Debug;

use carewire_docplanner::webhooks::Notification;
use carewire_docplanner::{
    Address, AddressService, Booking, BookingPatient, Calendar, CalendarBreaks, CalendarStatus, Collection, Decimal,
    Doctor, Facility, InsurancePlan, InsuranceProvider, NotificationBatch, Service, Slot,
};
use common::fixture;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Decodes the fixture, serializes the value and decodes that: the same value, the same JSON.
fn round_trip<T: DeserializeOwned + Serialize + PartialEq + Debug>(name: &str) -> T {
    let decoded: T = serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let json = serde_json::to_value(&decoded).unwrap();
    let again: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{name} again: {e}\n{json}"));
    assert_eq!(again, decoded, "{name}");
    assert_eq!(serde_json::to_value(&again).unwrap(), json, "{name}");
    decoded
}

#[test]
fn response_models_round_trip_through_their_own_json() {
    let booking: Booking = round_trip("bookings_get.response.json");
    assert!(booking.patient.as_ref().is_some_and(|p| p.nin.is_some()), "the patient came through");
    let bookings: Collection<Booking> = round_trip("bookings_list.response.json");
    assert!(!bookings.is_empty());
    round_trip::<Booking>("bookings_move.response.json");
    round_trip::<Booking>("slots_book.response.json");
    let doctor: Doctor = round_trip("doctors_get.response.json");
    assert!(!doctor.id.is_empty());
    round_trip::<Collection<Doctor>>("doctors_list.response.json");
    round_trip::<Facility>("facilities_get.response.json");
    round_trip::<Address>("addresses_get.response.json");
    round_trip::<Collection<Address>>("addresses_list.response.json");
    let services: Collection<AddressService> = round_trip("address_services_list.response.json");
    assert_eq!(services.items[0].price, Some(Decimal::new(100, 0)), "prices stay exact");
    round_trip::<AddressService>("address_services_get.response.json");
    round_trip::<Collection<Service>>("services_list.response.json");
    round_trip::<CalendarBreaks>("breaks_list.response.json");
    round_trip::<Calendar>("calendar_get.response.json");
    round_trip::<Collection<Slot>>("slots_list.response.json");
    round_trip::<Collection<InsuranceProvider>>("insurance_providers_list.response.json");
    round_trip::<Collection<InsuranceProvider>>("address_insurance_providers_list.response.json");
    round_trip::<Collection<InsurancePlan>>("insurance_plans_list.response.json");
    let pulled: Notification = round_trip("notifications_pull.response.json");
    assert!(!matches!(pulled.event, carewire_docplanner::NotificationEvent::Unknown), "{pulled:?}");
    let batch: NotificationBatch = round_trip("notifications_pull_multiple.response.json");
    assert!(!batch.notifications.is_empty());
}

#[test]
fn an_unreadable_batch_entry_survives_the_round_trip() {
    let body =
        r#"{"notifications": [{"name": "slot-booked", "data": {}}, {"data": {"patient": "x"}}], "remaining": 0}"#;
    let batch: NotificationBatch = serde_json::from_str(body).unwrap();
    assert_eq!((batch.notifications.len(), batch.unreadable.len()), (1, 1));
    let again: NotificationBatch = serde_json::from_value(serde_json::to_value(&batch).unwrap()).unwrap();
    assert_eq!(again, batch);
    assert!(!format!("{batch:?}").contains("\"x\""), "unreadable entries are not shown");
}

#[test]
fn models_can_be_built_in_your_own_tests() {
    let mut booking = Booking::default();
    booking.id = Some("2134124".to_owned());
    booking.comment = Some("Chest pain".to_owned());
    let mut patient = BookingPatient::default();
    patient.name = Some("Abraham".to_owned());
    patient.phone = Some("+48123123123".to_owned());
    booking.patient = Some(patient);
    let json = serde_json::to_value(&booking).unwrap();
    assert_eq!(json["id"], "2134124");
    assert_eq!(json["patient"]["name"], "Abraham");
    assert_eq!(serde_json::from_value::<Booking>(json).unwrap(), booking);
    let debug = format!("{booking:?}");
    for secret in ["Abraham", "48123123123", "Chest"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains(r#"id: Some("2134124")"#), "{debug}");

    let mut service = AddressService::default();
    service.id = "101".to_owned();
    service.price = Some("59.90".parse().unwrap());
    assert_eq!(serde_json::to_value(&service).unwrap()["price"], 59.9);
    assert_eq!(service.price.and_then(|p| p.to_minor_units(2)), Some(5990));
    assert_eq!(Calendar::default().status, CalendarStatus::Disabled);
}
