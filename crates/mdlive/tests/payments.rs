//! Payments: the cost check and the default credit card (get, create or update, delete), through the
//! conformance helper. Card data never shows in `Debug` or in errors.

mod common;

use carewire_core::Error;
use carewire_core::money::Decimal;
use carewire_mdlive::{CardBilling, CardDetails, CheckCost, CostCheck, NewCreditCard};
use carewire_testkit::conformance::exchange;
use common::*;

fn billing() -> CardBilling {
    CardBilling::new("John Doe", "2900 NW 130th Ave #106", "Sunrise", "FL", "33323")
}

fn card(number: &str) -> NewCreditCard {
    NewCreditCard::new(billing(), CardDetails::new(number, "200", 1, 2020))
}

#[tokio::test]
async fn cost_check_wire_and_decode() {
    let ex = exchange(
        |base| session(base).payments().cost(CostCheck::new("3")),
        200,
        fixture("payments_cost_check.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v2/payments/costs/check")
        .assert_query(&[("patient_id", "52"), ("provider_type_id", "3")])
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    let cost = ex.output();
    assert_eq!(cost.cost, Decimal::new(49, 0));
    assert_eq!(cost.cost.to_minor_units(2), Some(4900));
    assert_eq!(cost.final_amount, Some(Decimal::new(49, 0)));
    assert_eq!(cost.cost_with_no_promocode, Some(Decimal::new(49, 0)));
    assert_eq!(cost.consultation_charge, Some(Decimal::new(49, 0)));
    assert_eq!(cost.payment_breakup, None);
}

#[tokio::test]
async fn cost_check_sends_every_option_and_reads_exact_amounts() {
    let check = CostCheck::new("3").promo_code("WELCOME 10").state_abbrev("FL").authorize_insurance(true);
    let body =
        br#"{"cost": "39.99", "final_amount": 39.99, "cost_with_no_promocode": 49, "payment_breakup": {"x": 1}}"#;
    let ex = exchange(|base| session(base).send(CheckCost::new("52", check)), 200, body).await;
    ex.assert_query(&[
        ("patient_id", "52"),
        ("provider_type_id", "3"),
        ("promo_code", "WELCOME 10"),
        ("state_abbrev", "FL"),
        ("authorize_insurance", "true"),
    ]);
    let cost = ex.output();
    assert_eq!(cost.cost.to_minor_units(2), Some(3999));
    assert_eq!(cost.final_amount.and_then(|a| a.to_minor_units(2)), Some(3999));
    assert!(cost.payment_breakup.is_some());
}

#[tokio::test]
async fn credit_card_get_wire_and_decode() {
    let ex =
        exchange(|base| session(base).credit_card().get(), 200, fixture("credit_card_get.response.json").as_bytes())
            .await;
    ex.assert_wire("GET", "/api/v1/patients/52/credit_card").assert_header("authorization", USER_AUTH).assert_no_body();
    let c = ex.output();
    assert_eq!((c.subscriber_id.as_deref(), c.subscriber_card_id.as_deref()), (Some("950"), Some("486")));
    let b = c.billing_data.as_ref().unwrap();
    assert_eq!((b.state.as_deref(), b.country.as_deref(), b.zip.as_deref()), (Some("FL"), Some("US"), Some("33323")));
    assert_eq!(b.name.as_deref(), Some("John Doe"));
    let d = &c.card_data;
    assert_eq!((d.last_four.as_deref(), d.card_type.as_deref(), d.active), (Some("4242"), Some("VISA"), Some(true)));
    assert_eq!((d.expiration_month, d.expiration_year), (Some(1), Some(2020)));
    let debug = format!("{c:?}");
    for private in ["4242", "John", "2900", "33323", "2020"] {
        assert!(!debug.contains(private), "{private} in {debug}");
    }
}

#[tokio::test]
async fn credit_card_create_or_update_wire_and_decode() {
    let ex = exchange(
        |base| session(base).credit_card().create_or_update(card("4242424242424242")),
        200,
        fixture("credit_card_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v2/patients/52/credit_card")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("credit_card_create.request.json"));
    assert_eq!(ex.attempts, 1);
    let stored = ex.output();
    assert_eq!(stored.subscriber_card_id.as_deref(), Some("486"));
    assert_eq!(stored.card_data.last_four.as_deref(), Some("4242"));
}

#[tokio::test]
async fn credit_card_delete_wire() {
    let ex = exchange(|base| session(base).credit_card().delete(), 200, b"").await;
    ex.assert_wire("DELETE", "/api/v1/patients/52/credit_card")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    ex.output();
    let ex = exchange(|base| session(base).credit_card().delete(), 200, br#"{"credit_card": null}"#).await;
    ex.output();
}

#[tokio::test]
async fn a_2xx_without_the_wrapper_is_an_error() {
    for body in [&br#"{"final_amount": 49}"#[..], b"{}", b"", b"<html></html>", br#"{"cost": "free"}"#] {
        let ex = exchange(|base| session(base).payments().cost(CostCheck::new("3")), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
    for body in
        [&br#"{"card_data": {"last_four": "4242"}}"#[..], b"{}", br#"{"credit_card": null}"#, br#"{"credit_card": {}}"#]
    {
        let ex = exchange(|base| session(base).credit_card().get(), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
    let ex = exchange(|base| session(base).credit_card().create_or_update(card("4242424242424242")), 200, b"").await;
    assert!(matches!(ex.output, Err(Error::Decode(_))));
}

#[tokio::test]
async fn invalid_cost_checks_are_refused_before_sending() {
    let server = silent_server();
    let s = session(&server.uri());
    let err = s.payments().cost(CostCheck::new("")).await.unwrap_err();
    assert_invalid(&err, "provider_type_id");
    let err = s.payments().cost(CostCheck::new("General Medical")).await.unwrap_err();
    assert_invalid(&err, "provider_type_id");
    let err = s.payments().cost(CostCheck::new("3").state_abbrev("Florida")).await.unwrap_err();
    assert_invalid(&err, "state_abbrev");
    let err = s.payments().cost(CostCheck::new("3").promo_code(" ")).await.unwrap_err();
    assert_invalid(&err, "promo_code");
    assert_eq!(server.received_total(), 0);
}

#[tokio::test]
async fn invalid_cards_are_refused_before_sending_and_never_echoed() {
    let server = silent_server();
    let s = session(&server.uri());
    let cases: Vec<(NewCreditCard, &str)> = vec![
        (card("4242 4242 4242 4242"), "credit_card.card_data.card_number"),
        (card("4242-4242-4242-4242"), "credit_card.card_data.card_number"),
        (card("42424242"), "credit_card.card_data.card_number"),
        (card("4242424242424241"), "credit_card.card_data.card_number"),
        (
            NewCreditCard::new(billing(), CardDetails::new("4242424242424242", "2a0", 1, 2030)),
            "credit_card.card_data.cvv",
        ),
        (
            NewCreditCard::new(billing(), CardDetails::new("4242424242424242", "200", 13, 2030)),
            "credit_card.card_data.expiration_month",
        ),
        (
            NewCreditCard::new(billing(), CardDetails::new("4242424242424242", "200", 0, 2030)),
            "credit_card.card_data.expiration_month",
        ),
        (
            NewCreditCard::new(billing(), CardDetails::new("4242424242424242", "200", 1, 30)),
            "credit_card.card_data.expiration_year",
        ),
        (
            NewCreditCard::new(
                CardBilling::new("", "1 Main St", "Sunrise", "FL", "33323"),
                CardDetails::new("4242424242424242", "200", 1, 2030),
            ),
            "credit_card.billing_data.name",
        ),
        (
            NewCreditCard::new(
                CardBilling::new("Jo", "1 Main St", "Sunrise", "Florida", "33323"),
                CardDetails::new("4242424242424242", "200", 1, 2030),
            ),
            "credit_card.billing_data.state_abbrev",
        ),
    ];
    for (card, field) in cases {
        let debug = format!("{card:?}");
        assert!(!debug.contains("4242") && !debug.contains("200"), "{debug}");
        let err = s.credit_card().create_or_update(card).await.unwrap_err();
        assert_invalid(&err, field);
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("4242"), "{shown}");
    }
    assert_eq!(server.received_total(), 0);
}

/// A server for calls that must be refused before sending: it should see no request.
fn silent_server() -> carewire_testkit::TestServer {
    carewire_testkit::TestServer::start(|_req: &carewire_testkit::RecordedRequest| carewire_testkit::Reply::status(500))
}

/// Asserts `err` is the refusal of an invalid parameter naming `field`.
#[track_caller]
fn assert_invalid(err: &Error, field: &str) {
    assert!(matches!(err, Error::InvalidRequest { field: f, .. } if f == field), "expected `{field}`: {err:?}");
}
