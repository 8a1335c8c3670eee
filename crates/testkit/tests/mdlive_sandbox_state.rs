//! The MDLIVE sandbox over raw HTTP: provider search pages, stateful records, appointments, messages,
//! payments, faults and webhook delivery.
#![cfg(feature = "mdlive")]

mod mdlive_common;

use carewire_testkit::mdlive::{self, PROVIDER_ID, SEEDED_PROVIDERS, Sandbox};
use carewire_testkit::{Fault, Params, RecordedRequest, Reply, Router, TestServer};
use mdlive_common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn provider_search_pages_through_the_seeded_providers() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let search = json!({ "search": { "state_abbrev": "FL", "language_id": 1 } });
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    for page in 1..=4 {
        let path = format!("/api/v2/patients/{id}/providers/search?page={page}&per_page=10");
        let (status, body) = api.call("POST", &path, Some(&token), Some(search.clone())).await;
        assert_eq!(status, 200, "{body}");
        let providers = body["providers"].as_array().unwrap();
        sizes.push(providers.len());
        seen.extend(providers.iter().map(|p| p["id"].as_u64().unwrap()));
        assert_eq!(body["refine_search_options"]["default_provider_types"][0]["name"], "Family Physician");
    }
    assert_eq!(sizes, [10, 10, 5, 0]);
    assert_eq!(SEEDED_PROVIDERS, 25);
    assert_eq!(seen, api.sandbox.provider_ids(), "every provider once, in order");
    assert!(seen.contains(&PROVIDER_ID));

    let path = format!("/api/v2/patients/{id}/providers/search");
    let women = json!({ "search": { "state_abbrev": "FL", "gender": "Female" } });
    let (_, body) = api.call("POST", &format!("{path}?per_page=100"), Some(&token), Some(women)).await;
    assert!(body["providers"].as_array().unwrap().iter().all(|p| p["gender"] == "Female"));
    assert!(!body["providers"].as_array().unwrap().is_empty());
    let (status, err) = api.call("POST", &path, Some(&token), Some(json!({ "search": {} }))).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("search.state_abbrev is required")));
    let (status, _) = api.call("POST", &format!("{path}?page=0"), Some(&token), Some(search)).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn records_are_created_listed_and_deleted() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let allergies = format!("/api/v1/patients/{id}/allergies");
    assert_eq!(api.call("GET", &allergies, Some(&token), None).await, (200, json!({ "allergies": [] })));
    let create = format!("/api/v2/patients/{id}/allergies");
    let peanut = json!({ "allergy": { "name": "Peanut", "severity": "Severe", "reaction": "Throat closes", "fdb_allergy_id": "568" } });
    let (status, created) = api.call("POST", &create, Some(&token), Some(peanut)).await;
    assert_eq!(status, 200);
    assert_eq!(created["allergy"]["fdb_allergy_id"], "568");
    assert_eq!(created["allergy"]["current"], Value::Null);
    let bee = json!({ "allergy": { "name": "Bee Pollen", "severity": "mild", "reaction": "Sneezing", "fdb_allergy_id": 316 } });
    let (_, second) = api.call("POST", &create, Some(&token), Some(bee)).await;
    assert_eq!(
        (second["allergy"]["severity"].clone(), second["allergy"]["fdb_allergy_id"].clone()),
        (json!("Mild"), json!("316"))
    );
    let bad = json!({ "allergy": { "name": "Dust", "severity": "Awful", "reaction": "Sneezing" } });
    let (status, err) = api.call("POST", &create, Some(&token), Some(bad)).await;
    assert_eq!((status, err["error"].as_str().unwrap().starts_with("allergy.severity")), (400, true));

    let (_, listed) = api.call("GET", &allergies, Some(&token), None).await;
    let names: Vec<&str> =
        listed["allergies"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Peanut", "Bee Pollen"]);
    assert_eq!(listed["allergies"][0]["current"], true);
    let first_id = created["allergy"]["id"].as_u64().unwrap();
    assert_eq!(api.call("DELETE", &format!("{allergies}/{first_id}"), Some(&token), None).await, (204, Value::Null));
    assert_eq!(api.call("DELETE", &format!("{allergies}/{first_id}"), Some(&token), None).await.0, 404);
    assert_eq!(api.call("DELETE", &format!("{allergies}/fdb_allergy/316"), Some(&token), None).await.0, 204);
    assert!(api.sandbox.allergies(id).is_empty());

    let meds = json!({ "medication": { "name": "Ibuprofen PM", "current": true, "dosage": "1", "frequency": "Once Daily", "ndc_id": "00363061121" } });
    let (_, med) = api.call("POST", &format!("/api/v2/patients/{id}/medications"), Some(&token), Some(meds)).await;
    assert_eq!(med["medication"]["ndc_id"], "00363061121", "NDC ids keep their leading zeros");
    let medications = format!("/api/v1/patients/{id}/medications");
    assert_eq!(api.call("GET", &medications, Some(&token), None).await.1["medications"][0]["name"], "Ibuprofen PM");
    assert_eq!(api.call("DELETE", &format!("{medications}/ndc/00363061121"), Some(&token), None).await.0, 204);
    assert_eq!(api.call("GET", &medications, Some(&token), None).await.1, json!({ "medications": [] }));

    let surgery = json!({ "surgery": { "name": "Hip replacement", "surgery_year": 2015 } });
    let (_, s) = api.call("POST", &format!("/api/v2/patients/{id}/surgeries"), Some(&token), Some(surgery)).await;
    assert_eq!(s["surgery"]["surgery_year"], 2015);
    let (_, report) = api.call("GET", &format!("/api/v2/patients/{id}/health_conditions"), Some(&token), None).await;
    assert_eq!((report["had_surgeries"].clone(), report["has_allergies"].clone()), (json!("Yes"), json!("No")));
    assert_eq!(report["surgeries_taken"][0]["year"], "2015", "the report's year is a string");

    let doc = json!({ "doc": { "document_name": "rash.png", "data": "aGVsbG8=", "mime_type": "image/png", "record_type": "Patient Record" } });
    let (_, created_doc) = api.call("POST", &format!("/api/v2/patients/{id}/documents"), Some(&token), Some(doc)).await;
    assert_eq!(created_doc["upload_by"], "Ada Lovelace");
    let doc_id = created_doc["id"].as_u64().unwrap();
    let (_, shown) = api.call("GET", &format!("/api/v1/patients/{id}/documents/{doc_id}"), Some(&token), None).await;
    assert_eq!(shown["data"], "aGVsbG8=");
    let not_base64 = json!({ "doc": { "document_name": "x.png", "data": "INSERT_HERE!", "mime_type": "image/png", "record_type": "Patient Record" } });
    assert_eq!(
        api.call("POST", &format!("/api/v2/patients/{id}/documents"), Some(&token), Some(not_base64)).await.0,
        400
    );
}

#[tokio::test]
async fn appointments_are_booked_listed_and_cancelled() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let create = format!("/api/v2/patients/{id}/appointments");
    let base = json!({
        "provider_type_id": 3, "state_abbrev": "FL", "survey_answer": "Urgent Care",
        "customer_call_in_number": "5555555555", "appointment_method": "video", "start_time": null,
        "chief_complaint": "Sore throat", "agrees_to_informed_consent": true,
        "agrees_to_privacy_agreement": true, "consent_user_initials": "AL",
    });
    let (status, first) = api.call("POST", &create, Some(&token), Some(json!({ "appointment": base }))).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        (first["appointment"]["provider_id"].clone(), first["appointment"]["status"].clone()),
        (Value::Null, json!("pending"))
    );
    let first_id = first["appointment"]["id"].as_u64().unwrap();

    let slot = api.sandbox.open_slots(PROVIDER_ID)[0];
    let mut specific = base.clone();
    specific["provider_id"] = json!(PROVIDER_ID);
    specific["start_time"] = json!(slot);
    let (_, second) = api.call("POST", &create, Some(&token), Some(json!({ "appointment": specific.clone() }))).await;
    let second_id = second["appointment"]["id"].as_u64().unwrap();
    assert!(!api.sandbox.open_slots(PROVIDER_ID).contains(&slot), "the slot is taken");
    let (status, _) = api.call("POST", &create, Some(&token), Some(json!({ "appointment": specific }))).await;
    assert_eq!(status, 409);
    let mut refused = base.clone();
    refused["agrees_to_privacy_agreement"] = json!(false);
    let (status, err) = api.call("POST", &create, Some(&token), Some(json!({ "appointment": refused }))).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("appointment.agrees_to_privacy_agreement must be true")));

    let upcoming = format!("/api/v2/patients/{id}/appointments/upcoming");
    let ids =
        |v: &Value| v["appointments"].as_array().unwrap().iter().map(|a| a["id"].as_u64().unwrap()).collect::<Vec<_>>();
    assert_eq!(ids(&api.call("GET", &upcoming, Some(&token), None).await.1), [first_id, second_id]);

    let cancel = format!("/api/v1/patients/{id}/appointments/{second_id}/cancel");
    assert_eq!(api.call("PUT", &cancel, Some(&token), None).await, (204, Value::Null));
    assert_eq!(api.call("PUT", &cancel, Some(&token), None).await.0, 409);
    assert!(api.sandbox.open_slots(PROVIDER_ID).contains(&slot), "a cancelled booking frees its slot");
    assert_eq!(ids(&api.call("GET", &upcoming, Some(&token), None).await.1), [first_id]);

    for method in ["POST", "PUT"] {
        let path = format!("/api/v1/patients/{id}/appointments/{first_id}/entered_waiting_room");
        assert_eq!(api.call(method, &path, Some(&token), None).await, (200, Value::Null));
    }
    let event = api.sandbox.accept_appointment(first_id, PROVIDER_ID).unwrap();
    assert_eq!(event["event"]["action"], "consultation:provider:accepted");
    assert_eq!(event["event"]["data"]["appointment"]["provider_id"], PROVIDER_ID);
    assert_eq!(api.sandbox.provider_ready(first_id).unwrap()["event"]["data"]["appointment"]["status"], "in_progress");
    let (_, params) =
        api.call("GET", &format!("/api/v1/appointments/{first_id}/connection_params"), Some(&token), None).await;
    assert!(params["connection_params"]["url"].as_str().unwrap().starts_with("https://"));
    let started = format!("/api/v1/patients/{id}/appointments/{first_id}/cancel");
    assert_eq!(api.call("PUT", &started, Some(&token), None).await.0, 409, "a started appointment cannot be cancelled");
    let after_care = format!("/api/v2/patients/{id}/cust_appointments/{first_id}/after_care_instructions");
    assert_eq!(api.call("GET", &after_care, Some(&token), None).await.0, 404);
    assert_eq!(api.sandbox.complete_appointment(first_id).unwrap()["event"]["action"], "consultation:status:changed");
    let (status, care) = api.call("GET", &after_care, Some(&token), None).await;
    assert_eq!(
        (status, care["after_care_instructions"][0]["title"].clone()),
        (200, json!("Abdominal Pain - Stress Related"))
    );

    let request = json!({ "appointment_request": {
        "provider_id": "4", "chief_complaint": "Sore Throat", "contact_number": "888-632-2738",
        "appointment_date": "2030-12-20", "appointment_method": "phone", "preferred_time": "morning", "state_abbrev": "FL",
    } });
    let (_, req) =
        api.call("POST", &format!("/api/v2/patients/{id}/appointment_requests"), Some(&token), Some(request)).await;
    assert_eq!(
        (req["appointment_request"]["appointment_date"].clone(), req["appointment_request"]["provider_id"].clone()),
        (json!("30-12-20"), json!(4))
    );
    let rid = req["appointment_request"]["id"].as_u64().unwrap();
    let remind = format!("/api/v2/patients/{id}/appointment_requests/{rid}/remind");
    assert_eq!(
        api.call("POST", &remind, Some(&token), None).await.1["message"],
        "The Provider was reminded about your appointment request"
    );
    let cancel = format!("/api/v2/patients/{id}/appointment_requests/{rid}/cancel");
    assert_eq!(
        api.call("POST", &cancel, Some(&token), None).await.1["message"],
        "Your appointment request has been cancelled"
    );
    assert_eq!(api.call("POST", &remind, Some(&token), None).await.0, 409);
    assert_eq!(api.sandbox.appointment_request(rid).unwrap()["reminders"], 1);
}

#[tokio::test]
async fn messages_flow_between_patient_and_provider() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let send = format!("/api/v1/patients/{id}/messages");
    let hello = json!({ "message": { "message_type": "follow_up", "to_id": PROVIDER_ID, "subject": "Hi", "message": "Question" } });
    let (status, _) = api.call("POST", &send, Some(&token), Some(hello.clone())).await;
    assert_eq!(status, 400, "no appointment or message with that provider yet");

    let event = api.sandbox.send_provider_message(id, PROVIDER_ID, "Follow up", "How are you feeling?").unwrap();
    assert_eq!(event["event"]["action"], "message:provider:created");
    let from_provider = event["event"]["data"]["message"]["id"].as_u64().unwrap();
    let (_, contacts) = api.call("GET", &format!("/api/v1/patients/{id}/messages/contacts"), Some(&token), None).await;
    assert_eq!(contacts["contacts"][0]["id"], PROVIDER_ID);
    let mut reply = hello.clone();
    reply["message"]["replied_to_message_id"] = json!(from_provider);
    let (status, sent) = api.call("POST", &send, Some(&token), Some(reply)).await;
    assert_eq!(status, 200);
    assert_eq!((sent["message"]["from_id"].clone(), sent["message"]["to_id"].clone()), (json!(id), json!(PROVIDER_ID)));
    assert_eq!(sent["message"]["replied_to_message_id"], from_provider);

    let thread = format!("/api/v1/patients/{id}/providers/{PROVIDER_ID}/conversation?page=1&per=1");
    let (_, page) = api.call("GET", &thread, Some(&token), None).await;
    assert_eq!(page["messages"].as_array().unwrap().len(), 1);
    assert_eq!(page["messages"][0]["reply_allowed"], false, "the newest is the patient's own");
    let (_, convs) =
        api.call("GET", &format!("/api/v2/patients/{id}/messages/conversations"), Some(&token), None).await;
    assert_eq!(
        (convs["conversations"][0]["unread_messages"].clone(), convs["conversations"][0]["last_message_by"].clone()),
        (json!(1), json!("patient"))
    );

    let mark = format!("/api/v1/patients/{id}/messages/{from_provider}/mark_read");
    assert_eq!(api.call("PUT", &mark, Some(&token), None).await, (204, Value::Null));
    assert_eq!(api.sandbox.message_unread(from_provider), Some(false));
    let own = sent["message"]["id"].as_u64().unwrap();
    assert_eq!(
        api.call("PUT", &format!("/api/v1/patients/{id}/messages/{own}/mark_read"), Some(&token), None).await.0,
        404
    );
    let (_, system) =
        api.call("GET", &format!("/api/v1/patients/{id}/messages/system?page=1&per=5"), Some(&token), None).await;
    assert_eq!(system["messages"][0]["from"], "System Controller");
    assert_eq!(system["unread"], 1, "the welcome message");
}

#[tokio::test]
async fn catalogue_searches_read_the_query_string() {
    let api = Api::new(Sandbox::start());
    let token = api.api_token().await;
    let (status, body) = api
        .call(
            "GET",
            "/api/v1/patients/chief_complaints?search%5Bterm%5D=throat&search%5Blimit%5D=2",
            Some(&token),
            None,
        )
        .await;
    assert_eq!((status, body["chief_complaints"].as_array().unwrap().len()), (200, 2));
    let (_, flat) = api.call("GET", "/api/v1/clinical_concepts?term=throat&limit=10", Some(&token), None).await;
    assert_eq!(flat["clinical_concepts"].as_array().unwrap().len(), 3);
    let (_, spanish) = api
        .call("GET", "/api/v1/patients/chief_complaints?search[term]=tos&search[language]=ES", Some(&token), None)
        .await;
    assert_eq!(spanish["chief_complaints"][0]["title"], "Cough");
    let (status, err) = api.call("GET", "/api/v1/clinical_concepts", Some(&token), None).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("search.term is required")));
    let over = json!({ "search": { "term": "ibu", "limit": 51 } });
    assert_eq!(api.call("POST", "/api/v2/medications/search", Some(&token), Some(over)).await.0, 400);
    let (_, found) = api
        .call(
            "POST",
            "/api/v1/allergies/search",
            Some(&token),
            Some(json!({ "search": { "term": "pen", "limit": "2" } })),
        )
        .await;
    assert_eq!(
        found,
        json!({ "allergies": [{ "id": 977, "name": "Penicillins" }, { "id": 981, "name": "Pentamidine" }] })
    );
}

#[tokio::test]
async fn credit_cards_are_checked_and_kept_as_last_four() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let card = |number: &str, year: i64| {
        json!({ "credit_card": {
            "billing_data": { "name": "Ada Lovelace", "address1": "1 Main St", "state_abbrev": "FL", "city": "Sunrise", "zip": "33323" },
            "card_data": { "card_number": number, "cvv": "200", "expiration_month": 1, "expiration_year": year },
        } })
    };
    let save = format!("/api/v2/patients/{id}/credit_card");
    let get = format!("/api/v1/patients/{id}/credit_card");
    assert_eq!(api.call("GET", &get, Some(&token), None).await.0, 404);
    assert_eq!(api.call("POST", &save, Some(&token), Some(card("4242424242424242", 2020))).await.0, 400, "expired");
    assert_eq!(api.call("POST", &save, Some(&token), Some(card("4242424242424241", 2099))).await.0, 400, "Luhn");
    let (status, saved) = api.call("POST", &save, Some(&token), Some(card("4242424242424242", 2099))).await;
    assert_eq!(status, 200);
    assert_eq!(saved["credit_card"]["card_data"]["last_four"], "4242");
    assert_eq!(saved["credit_card"]["card_data"]["type"], "VISA");
    assert_eq!(saved["credit_card"]["billing_data"]["state"], "FL");
    assert!(!saved.to_string().contains("4242424242424242"), "the number is not kept");
    assert_eq!(api.call("GET", &get, Some(&token), None).await.1, saved);
    assert_eq!(api.call("DELETE", &get, Some(&token), None).await, (200, json!({})));
    assert!(api.sandbox.credit_card(id).is_none());
    let cost =
        format!("/api/v2/payments/costs/check?patient_id={id}&provider_type_id=3&promo_code={}", mdlive::PROMO_CODE);
    let (_, price) = api.call("GET", &cost, Some(&token), None).await;
    assert_eq!((price["cost_with_no_promocode"].clone(), price["cost"].clone()), (json!(49), json!(39)));
}

#[tokio::test]
async fn faults_apply_per_route_and_requests_are_recorded() {
    let api = Api::new(Sandbox::start());
    let token = api.api_token().await;
    api.sandbox.inject(Fault::status(503).on("GET", "/api/v2/surgery_names"));
    assert_eq!(api.call("GET", "/api/v1/insurance_payers", Some(&token), None).await.0, 200, "another route");
    assert_eq!(
        api.call("GET", "/api/v2/surgery_names", Some(&token), None).await,
        (503, json!({ "error": "injected" }))
    );
    let (status, names) = api.call("GET", "/api/v2/surgery_names", Some(&token), None).await;
    assert_eq!((status, names["surgery_names"].as_array().unwrap().len()), (200, 14));
    api.sandbox.inject(Fault::malformed_body());
    let res = api
        .http
        .get(format!("{}/api/v2/surgery_names", api.sandbox.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), "{\"truncated\": ");
    assert_eq!(api.sandbox.received("GET", "/api/v2/surgery_names"), 3);
    let log = api.sandbox.requests();
    assert_eq!(log[0].path, "/auth/auth_token");
    assert_eq!(log[1].bearer_token(), Some(token.as_str()));
}

#[tokio::test]
async fn webhook_events_are_delivered_to_a_receiver() {
    let receiver =
        TestServer::start(
            Router::new().route("POST", "/hooks/mdlive", |_: &RecordedRequest, _: &Params| Reply::status(200)),
        );
    let sandbox = Sandbox::start();
    let patient = sandbox.seed_patient("SUB-9", "Ada", "Lovelace", "1960-12-31");
    let event = sandbox.request_consultation(patient, PROVIDER_ID, Some(1_542_296_625)).unwrap();
    assert_eq!(event["event"]["data"]["availability"]["start_date"], "2018-11-15T15:43:45+00:00");
    let status = sandbox.deliver_webhook_async(&receiver.url("/hooks/mdlive"), &event).await.unwrap();
    assert_eq!(status, 200);
    let got = &receiver.requests()[0];
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(got.json_value().unwrap(), event);
    assert!(sandbox.deliver_webhook("https://example.invalid/hook", &event).is_err(), "plain http only");
}

#[tokio::test]
async fn health_history_pcp_and_questions_are_stored() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let history = json!({ "health_history": {
        "medical_history": { "allergies": true, "medications": false, "surgeries": false, "medical_conditions": true },
        "personal_information": { "height_feet": 5, "height_inches": 4, "weight": 120 },
        "allergy": [{ "name": "Bee Pollen", "severity": "Severe", "reaction": "Sneezing and Coughing" }],
        "medical_condition": [{ "condition": "Ear Pain", "concept_id": "64", "snomed": 267_102_003, "icd10": "R07.0" }],
        "pediatric_profile": { "Immunization up to date?": true, "current_diet": "null", "Current weight in lbs.": 11 },
    } });
    let (status, report) =
        api.call("POST", &format!("/api/v2/patients/{id}/health_history"), Some(&token), Some(history)).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["personal_info"]["weight"], 120);
    assert_eq!((report["has_allergies"].clone(), report["is_taking_medication"].clone()), (json!("Yes"), json!("No")));
    assert_eq!(report["health_conditions"][0]["medical_condition"]["snomed"], 267_102_003, "kept as sent");
    assert_eq!(
        report["pediatric_profile"],
        json!({ "Immunization up to date?": "Yes", "Current Diet": "Null", "Current weight in lbs.": "11" })
    );
    assert_eq!(api.sandbox.medical_conditions(id).len(), 1);
    let missing = json!({ "health_history": { "medical_history": { "allergies": true, "medications": false, "surgeries": false, "medical_conditions": false }, "personal_information": { "height_feet": 5, "height_inches": 4, "weight": 120 } } });
    let (status, err) =
        api.call("POST", &format!("/api/v2/patients/{id}/health_history"), Some(&token), Some(missing)).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("health_history.allergy is required (an array)")));
    assert_eq!(api.sandbox.allergies(id).len(), 1, "a refused history records nothing");

    let pcp_path = format!("/api/v1/patients/{id}/evr_primary_care_physician");
    assert_eq!(api.call("GET", &pcp_path, Some(&token), None).await.1, json!({ "pcp": null }));
    let pcp = json!({ "pcp": {
        "first_name": "PCP", "last_name": "Physician", "practice": "Doc Medical Practice", "city": "FORT LAUDERDALE",
        "state_abbrev": "FL", "country_code": "US", "phone": "(954) 555-1111", "fax": "(954) 552-1234",
    } });
    let (_, created) = api.call("POST", &pcp_path, Some(&token), Some(pcp.clone())).await;
    assert_eq!(created["pcp"]["full_name"], "PCP Physician");
    assert_eq!(api.call("POST", &pcp_path, Some(&token), Some(pcp)).await.0, 409);
    let pcp_id = created["pcp"]["id"].as_u64().unwrap();
    let change = json!({ "pcp": { "practice": "PCP Practice" } });
    for method in ["PUT", "POST"] {
        let (status, updated) =
            api.call(method, &format!("{pcp_path}/{pcp_id}"), Some(&token), Some(change.clone())).await;
        assert_eq!((status, updated["pcp"]["practice"].clone()), (200, json!("PCP Practice")));
    }
    let questions = format!("/api/v2/patients/{id}/evr_primary_care_physician_questions");
    let (_, q) = api.call("GET", &questions, Some(&token), None).await;
    assert_eq!(
        q["pcp_questions"][0],
        json!({ "name": "primary_care_physician", "question": "Do you have a Primary Care Physician?", "value": true })
    );
    let as_hash = json!({ "pcp_questions": { "pcp_visit_information": true } });
    let (_, q) = api.call("PUT", &questions, Some(&token), Some(as_hash)).await;
    assert_eq!(q["pcp_questions"][2]["value"], true);
    let unknown = json!({ "pcp_questions": [{ "name": "favourite_colour", "value": true }] });
    assert_eq!(api.call("PUT", &questions, Some(&token), Some(unknown)).await.0, 400);
    let delete = format!("/api/v2/patients/{id}/evr_primary_care_physicians/{pcp_id}");
    assert_eq!(api.call("DELETE", &delete, Some(&token), None).await, (204, Value::Null));
    assert!(api.sandbox.pcp(id).is_none());
}
