//! The real client against the testkit sandbox, for the operations the first sandbox round did not serve:
//! calendar breaks, insurance (dictionary and address providers), opinion requests, address services (add,
//! get, update, delete) and the address update. One test per group, each through `carewire::docplanner`.

use carewire::docplanner::{
    AddAddressService, AddBreak, AddressInsuranceProviderInput, AddressServiceWith, AddressWith, AllowedPatients,
    BookSlot, Client, Decimal, DocplannerError, Error, InsuranceSupport, MoveBreak, NotificationEvent,
    NotificationName, OpinionRequest, PatientInput, ReplaceSlots, SlotInput, UpdateAddress, UpdateAddressService,
};
use carewire_testkit::docplanner::{
    ADDRESS_ID, ADDRESS_SERVICE_ID, CLIENT_ID, CLIENT_SECRET, DOCTOR_ID, FACILITY_ID, SECOND_ADDRESS_SERVICE_ID,
    Sandbox,
};
use futures_util::TryStreamExt;

type Dt = chrono::DateTime<chrono::FixedOffset>;

fn dt(s: &str) -> Dt {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

fn client(sandbox: &Sandbox) -> Client {
    Client::builder().base_url(sandbox.base_url()).credentials(CLIENT_ID, CLIENT_SECRET).build().unwrap()
}

/// The typed Docplanner error of a failed call: status, message and field messages.
fn vendor(err: &Error) -> DocplannerError {
    err.vendor_error::<DocplannerError>().unwrap_or_else(|| panic!("not a Docplanner answer: {err:?}"))
}

fn message(err: &Error) -> String {
    vendor(err).message.unwrap_or_default()
}

async fn slot_starts(client: &Client, from: Dt, to: Dt) -> Vec<Dt> {
    let address = client.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID);
    address.slots().list(from, to).await.unwrap().items.into_iter().map(|s| s.start).collect()
}

async fn notification_names(client: &Client) -> Vec<NotificationName> {
    client.notifications().stream(10).map_ok(|n| n.name).try_collect().await.unwrap()
}

#[tokio::test]
async fn breaks_are_kept_block_slots_and_are_notified() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let address = client.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID);
    let (day, next_day) = (dt("2030-05-16T00:00:00+02:00"), dt("2030-05-17T00:00:00+02:00"));
    let at = |hm: &str| dt(&format!("2030-05-16T{hm}:00+02:00"));
    let slots = SlotInput::new(at("09:00"), at("12:00")).service(ADDRESS_SERVICE_ID, 30);
    address.slots().replace(ReplaceSlots::new().slot(slots)).await.unwrap();
    assert_eq!(slot_starts(&client, day, next_day).await.len(), 6);

    // Add: 201 with the break, which then hides the slots it overlaps and refuses bookings in them.
    let added = address
        .breaks()
        .add(AddBreak::new(at("10:00"), at("11:00")).description("Staff meeting"))
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(added.meta.status, 201);
    let added = added.data.expect("the API answers the new break");
    assert_eq!((added.since, added.till), (at("10:00"), at("11:00")));
    assert_eq!(added.description.as_deref(), Some("Staff meeting"));
    assert_eq!(slot_starts(&client, day, next_day).await, [at("09:00"), at("09:30"), at("11:00"), at("11:30")]);
    let patient = PatientInput::new("Abraham", "+48123123123");
    let refused = address.slots().book(at("10:00"), BookSlot::new(ADDRESS_SERVICE_ID, 30, patient.clone())).await;
    assert_eq!(refused.unwrap_err().status(), Some(404));
    // A 60-minute visit from 09:30 would run into the break as well.
    let refused = address.slots().book(at("09:30"), BookSlot::new(ADDRESS_SERVICE_ID, 60, patient)).await;
    assert_eq!(refused.unwrap_err().status(), Some(404));

    // Listed by range (overlap), fetched by id; the same break again is a 409.
    let listed = address.breaks().list(at("10:30"), at("10:45")).await.unwrap();
    assert_eq!(listed.items, std::slice::from_ref(&added));
    assert!(address.breaks().list(at("11:00"), at("12:00")).await.unwrap().items.is_empty());
    assert_eq!(address.breaks().get(&added.id).await.unwrap(), added);
    let again = AddBreak::new(at("10:00"), at("11:00")).description("Staff meeting");
    let err = address.breaks().add(again).await.unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert_eq!(message(&err), "Break for given address, date range and description exists");

    // Move: the slots it freed come back, the new range is hidden; the same range again is a 422.
    address.breaks().move_break(&added.id, MoveBreak::new(at("11:00"), at("12:00"))).await.unwrap();
    assert_eq!(slot_starts(&client, day, next_day).await, [at("09:00"), at("09:30"), at("10:00"), at("10:30")]);
    let moved = address.breaks().get(&added.id).await.unwrap();
    assert_eq!((moved.since, moved.till), (at("11:00"), at("12:00")));
    let err = address.breaks().move_break(&added.id, MoveBreak::new(at("11:00"), at("12:00"))).await.unwrap_err();
    assert_eq!((err.status(), message(&err)), (Some(422), "Same Date Range".to_owned()));

    // Delete: every slot is free again, and the break is gone.
    address.breaks().delete(&added.id).await.unwrap();
    assert_eq!(slot_starts(&client, day, next_day).await.len(), 6);
    let err = address.breaks().get(&added.id).await.unwrap_err();
    assert_eq!((err.status(), message(&err)), (Some(404), "Invalid break ID".to_owned()));
    assert_eq!(address.breaks().delete(&added.id).await.unwrap_err().status(), Some(404));

    let events: Vec<_> = client.notifications().stream(10).try_collect().await.unwrap();
    let names: Vec<_> = events.iter().map(|n| n.name.clone()).collect();
    assert_eq!(names, [NotificationName::BreakCreated, NotificationName::BreakMoved, NotificationName::BreakRemoved]);
    let NotificationEvent::BreakMoved { calendar_break } = &events[1].event else { panic!("{:?}", events[1]) };
    assert_eq!((calendar_break.id.as_str(), calendar_break.since), (added.id.as_str(), at("11:00")));
}

#[tokio::test]
async fn insurance_dictionary_and_address_providers() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let providers = client.insurance_providers().list().await.unwrap();
    let ids: Vec<&str> = providers.iter().map(|p| p.insurance_provider_id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    let plans = client.insurance_providers().plans("1").await.unwrap();
    let plan_ids: Vec<&str> = plans.iter().map(|p| p.insurance_plan_id.as_str()).collect();
    assert_eq!(plan_ids, ["999", "1000"]);
    assert_eq!(client.insurance_providers().plans("42").await.unwrap_err().status(), Some(404));

    let at = client.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID).insurance_providers();
    let accepted = |list: carewire::docplanner::Collection<carewire::docplanner::InsuranceProvider>| {
        list.items
            .into_iter()
            .map(|p| {
                let plans = p.insurance_plans.map(|c| c.items.into_iter().map(|x| x.insurance_plan_id).collect());
                (p.insurance_provider_id, plans.unwrap_or_default())
            })
            .collect::<Vec<(String, Vec<String>)>>()
    };
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    assert_eq!(accepted(at.list().await.unwrap()), [("1".into(), s(&["999", "1000"])), ("2".into(), s(&[]))]);

    // Add: listed with its plans; twice is a 400, outside the dictionary a 404.
    at.add(AddressInsuranceProviderInput::new("3").plans(["3001"])).await.unwrap();
    let list = at.list().await.unwrap();
    assert_eq!(list.items[2].name.as_deref(), Some("Insurance provider 3"));
    assert_eq!(accepted(list)[2], ("3".into(), s(&["3001"])));
    let err = at.add(AddressInsuranceProviderInput::new("3")).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(message(&err), "Insurance provider with given ID is already assigned to this address.");
    assert_eq!(at.add(AddressInsuranceProviderInput::new("42")).await.unwrap_err().status(), Some(404));

    // Upsert replaces the plans (none sent: none left), or adds; a plan of another provider is refused.
    at.upsert(AddressInsuranceProviderInput::new("1").plans(["1000"])).await.unwrap();
    at.upsert(AddressInsuranceProviderInput::new("3")).await.unwrap();
    let err = at.upsert(AddressInsuranceProviderInput::new("2").plans(["999"])).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(vendor(&err).field_errors("insurance_plans[0].insurance_plan_id").len(), 1);
    assert_eq!(
        accepted(at.list().await.unwrap()),
        [("1".into(), s(&["1000"])), ("2".into(), s(&[])), ("3".into(), s(&[]))]
    );

    // Delete: gone; deleting it again is a 400.
    at.delete("2").await.unwrap();
    let err = at.delete("2").await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(message(&err), "Insurance provider with given ID is not assigned to this address.");
    let left: Vec<String> = at.list().await.unwrap().items.into_iter().map(|p| p.insurance_provider_id).collect();
    assert_eq!(left, ["1", "3"]);
}

#[tokio::test]
async fn opinion_requests_are_sent_once_per_phone() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let doctor = client.facility(FACILITY_ID).doctor(DOCTOR_ID);
    doctor.request_opinion(OpinionRequest::new("+48 123-123-123")).await.unwrap();
    assert_eq!(sandbox.opinion_requests_sent(), 1);
    let sent = sandbox.server().requests().into_iter().rev().find(|r| r.path.ends_with("/opinion-request")).unwrap();
    assert_eq!(sent.method, "PUT");
    assert_eq!(sent.json_value().unwrap(), serde_json::json!({"phone": "+48 123-123-123"}));

    // The same number (spelled differently) already has one.
    let err = doctor.request_opinion(OpinionRequest::new("48123123123")).await.unwrap_err();
    assert_eq!((err.status(), message(&err)), (Some(409), "Opinion already exists".to_owned()));
    let err = doctor.request_opinion(OpinionRequest::new("12-ab")).await.unwrap_err();
    assert_eq!((err.status(), message(&err)), (Some(400), "Phone number is invalid.".to_owned()));
    let other = client.facility(FACILITY_ID).doctor("999");
    assert_eq!(other.request_opinion(OpinionRequest::new("600700800")).await.unwrap_err().status(), Some(404));
    doctor.request_opinion(OpinionRequest::new("600700800")).await.unwrap();
    assert_eq!(sandbox.opinion_requests_sent(), 2);
}

#[tokio::test]
async fn address_services_are_added_updated_listed_and_deleted() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let address = client.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID);
    let ids = |list: &carewire::docplanner::Collection<carewire::docplanner::AddressService>| {
        list.iter().map(|s| s.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&address.services().list().await.unwrap()), [ADDRESS_SERVICE_ID, SECOND_ADDRESS_SERVICE_ID]);

    // Add the dictionary's EEG: 201 with the service; its price is answered as the integer part.
    let body = AddAddressService::new("3")
        .price(Some("169.99".parse().unwrap()))
        .default_duration(20)
        .is_visible(false)
        .description(Some("Electroencephalography".into()))
        .custom_name("Brain EEG")
        .allowed_patients(AllowedPatients::new().minimum_age(5));
    let added = address.services().add(body).send_with_meta().await.unwrap();
    assert_eq!(added.meta.status, 201);
    let added = added.data.expect("the API answers the new service");
    assert_eq!((added.name.as_deref(), added.service_id.as_deref()), (Some("EEG"), Some("3")));
    assert_eq!(
        (added.price, added.default_duration, added.is_visible),
        (Some(Decimal::new(169, 0)), Some(20), Some(false))
    );
    assert_eq!(added.custom_name, None, "custom_name comes with its extension only");
    let listed = address.services().list().await.unwrap();
    assert_eq!(ids(&listed), [ADDRESS_SERVICE_ID, SECOND_ADDRESS_SERVICE_ID, added.id.as_str()]);

    // Get, with the extensions.
    let got = address
        .services()
        .get(&added.id)
        .with_all([AddressServiceWith::CustomName, AddressServiceWith::AllowedPatients])
        .await
        .unwrap();
    assert_eq!(got.custom_name.as_deref(), Some("Brain EEG"));
    let ages = got.allowed_patients.unwrap();
    assert_eq!((ages.minimum_age, ages.maximum_age), (Some(5), None));
    assert_eq!(got.description.as_deref(), Some("Electroencephalography"));

    // The same dictionary service twice is a 409, one outside the dictionary a 404.
    let err = address.services().add(AddAddressService::new("3")).await.unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert_eq!(address.services().add(AddAddressService::new("77")).await.unwrap_err().status(), Some(404));

    // Update: what the body names changes, the rest stays; a blank custom name is a field error.
    let updated =
        address.services().update(&added.id, UpdateAddressService::new().price(None).is_visible(true)).await.unwrap();
    assert_eq!((updated.price, updated.is_visible, updated.default_duration), (None, Some(true), Some(20)));
    let err = address.services().update(&added.id, UpdateAddressService::new().custom_name("")).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(vendor(&err).field_errors("custom_name"), ["This value should not be blank."]);
    assert_eq!(address.services().update("4040", UpdateAddressService::new()).await.unwrap_err().status(), Some(404));

    // Slots of the new service: `start` lists only the services of that day's slots, with their duration.
    let (from, to) = (dt("2030-05-16T09:00:00+02:00"), dt("2030-05-16T10:00:00+02:00"));
    address.slots().replace(ReplaceSlots::new().slot(SlotInput::new(from, to).service(&added.id, 20))).await.unwrap();
    let of_day = address.services().list_for_slots_on(from).await.unwrap();
    assert_eq!(ids(&of_day), [added.id.as_str()]);
    assert_eq!(of_day.items[0].duration, Some(20));
    assert_eq!(slot_starts(&client, from, to).await.len(), 3);

    // Delete: gone from the listing and from the slots.
    address.services().delete(&added.id).await.unwrap();
    assert_eq!(address.services().get(&added.id).await.unwrap_err().status(), Some(404));
    assert_eq!(address.services().delete(&added.id).await.unwrap_err().status(), Some(404));
    assert_eq!(ids(&address.services().list().await.unwrap()), [ADDRESS_SERVICE_ID, SECOND_ADDRESS_SERVICE_ID]);
    assert!(slot_starts(&client, from, to).await.is_empty());
    let stale = ReplaceSlots::new().slot(SlotInput::new(from, to).service(&added.id, 20));
    assert_eq!(address.slots().replace(stale).await.unwrap_err().status(), Some(400));

    assert_eq!(
        notification_names(&client).await,
        [
            NotificationName::AddressServiceCreated,
            NotificationName::AddressServiceChanged,
            NotificationName::AddressServiceDeleted
        ]
    );
}

#[tokio::test]
async fn the_address_update_sets_its_insurance_support() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let address = client.facility(FACILITY_ID).doctor(DOCTOR_ID).address(ADDRESS_ID);
    let before = address.get().with(AddressWith::InsuranceSupport).await.unwrap();
    assert_eq!(before.insurance_support, Some(InsuranceSupport::PrivateAndInsurance));
    assert_eq!(address.get().await.unwrap().insurance_support, None, "only with its extension");

    let updated = address.update(UpdateAddress::new(InsuranceSupport::Private)).await.unwrap();
    assert_eq!((updated.id.as_str(), updated.insurance_support), (ADDRESS_ID, Some(InsuranceSupport::Private)));
    let listed = client
        .facility(FACILITY_ID)
        .doctor(DOCTOR_ID)
        .addresses()
        .list()
        .with(AddressWith::InsuranceSupport)
        .await
        .unwrap();
    assert_eq!(listed.items[0].insurance_support, Some(InsuranceSupport::Private));

    let err = address.update(UpdateAddress::new(InsuranceSupport::Unknown("public".into()))).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(vendor(&err).field_errors("insurance_support"), ["The value you selected is not a valid choice."]);
    let other = client.facility(FACILITY_ID).doctor(DOCTOR_ID).address("999");
    assert_eq!(other.update(UpdateAddress::new(InsuranceSupport::Insurance)).await.unwrap_err().status(), Some(404));
    let after = address.get().with(AddressWith::InsuranceSupport).await.unwrap();
    assert_eq!(after.insurance_support, Some(InsuranceSupport::Private));
}
