//! After-care instructions of an appointment, through the conformance helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Encodings, Operation};
use carewire_mdlive::GetAfterCareInstructions;
use carewire_testkit::conformance::exchange;
use common::*;

#[tokio::test]
async fn get_wire_and_decode() {
    let ex = exchange(
        |base| session(base).after_care().get("4471"),
        200,
        fixture("after_care_instructions_get.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v2/patients/52/cust_appointments/4471/after_care_instructions")
        .assert_header("authorization", USER_AUTH)
        .assert_query(&[])
        .assert_no_body();
    let topics = ex.output();
    assert_eq!(topics.len(), 1);
    let topic = &topics[0];
    assert_eq!(topic.title.as_deref(), Some("Abdominal Pain - Stress Related"));
    assert!(topic.definition.as_deref().unwrap().starts_with("<ul><li>Pain or discomfort"));
    assert_eq!(topic.care_advice.len(), 6);
    assert!(topic.care_advice[1].contains("\r\n"), "HTML kept as sent");
    assert!(topic.health_info.as_deref().unwrap().contains("<strong>Symptoms</strong>"));
    assert!(topic.call_back.as_deref().unwrap().contains("Stomach ache becomes worse"));
    assert_eq!(topic.related_topics, vec!["Abdominal Pain - General".to_owned()]);
    assert!(topic.internet_resources.is_empty());
    let debug = format!("{topic:?}");
    assert!(!debug.contains("Abdominal") && !debug.contains("Stomach"), "{debug}");
}

#[tokio::test]
async fn an_answer_without_the_list_is_an_error() {
    for body in [&br"{}"[..], br"[]", br#"{"after_care_instructions": null}"#, b""] {
        let ex = exchange(|base| session(base).send(GetAfterCareInstructions::new("52", "1")), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn an_appointment_without_instructions_is_a_404() {
    let ex = exchange(|base| session(base).after_care().get("1"), 404, br#"{"message": "Not found"}"#).await;
    assert_eq!(ex.output.unwrap_err().status(), Some(404));
}

#[test]
fn ids_are_validated_and_encoded() {
    let err = GetAfterCareInstructions::new("52", " ").request(&Encodings::default()).unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == "cust_appt_id"), "{err:?}");
    let req = GetAfterCareInstructions::new("52", "1/2").request(&Encodings::default()).unwrap();
    assert_eq!(req.render_path().unwrap(), "/api/v2/patients/52/cust_appointments/1%2F2/after_care_instructions");
}
