//! Pharmacies: the search with its flat body and `page`/`per_page` in it, through the conformance helper and
//! a paging test server.

mod common;

use carewire_core::Error;
use carewire_mdlive::{Coordinates, PharmacySearch};
use carewire_testkit::conformance::exchange;
use carewire_testkit::{RecordedRequest, Reply, TestServer};
use common::*;
use futures_util::TryStreamExt;
use serde_json::{Value, json};

fn sunrise() -> PharmacySearch {
    PharmacySearch::new()
        .city("Sunrise")
        .coordinates(Coordinates::new(26.19, -80.12))
        .page(1)
        .per_page(10)
        .radius(10)
        .state("FL")
        .twenty_four_hour(false)
        .zipcode("33351")
}

#[tokio::test]
async fn search_wire_and_decode() {
    // The documented answer lost its wrapper: a bare array is read as the list.
    let ex = exchange(
        |base| session(base).pharmacies().search(sunrise()),
        200,
        fixture("partial/pharmacies_search.response.partial.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v1/patients/52/pharmacies/search")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&fixture_json("pharmacies_search.request.json"));
    let found = ex.output();
    assert_eq!(found.len(), 1);
    let p = &found[0];
    assert_eq!((p.id.as_str(), p.name.as_deref()), ("1", Some("CVS/pharmacy #7900")));
    assert_eq!(
        (p.city.as_deref(), p.state.as_deref(), p.zipcode.as_deref()),
        (Some("SUNRISE"), Some("FL"), Some("33351"))
    );
    assert_eq!(p.address2, None, "a blank second line is none");
    assert_eq!((p.latitude, p.longitude), (Some(26.1935), Some(-80.2846)));
    assert_eq!((p.phone.as_deref(), p.twenty_four_hour_flag), (Some("9547486377"), Some(false)));
}

#[tokio::test]
async fn a_wrapped_list_and_a_single_object_decode_too() {
    let one = json!({"id": 7, "name": "Walgreens", "latitude": "26.1", "twenty_four_hour_flag": 1});
    let wrapped = json!({"pharmacies": [one.clone(), {"id": "8"}]}).to_string();
    let ex = exchange(|base| session(base).pharmacies().search(PharmacySearch::new()), 200, wrapped.as_bytes()).await;
    ex.assert_json_body(&json!({}));
    let list = ex.output();
    assert_eq!(list.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["7", "8"]);
    assert_eq!((list[0].latitude, list[0].twenty_four_hour_flag), (Some(26.1), Some(true)));
    let single = one.to_string();
    let ex = exchange(|base| session(base).pharmacies().search(PharmacySearch::new()), 200, single.as_bytes()).await;
    assert_eq!(ex.output()[0].name.as_deref(), Some("Walgreens"));
}

#[tokio::test]
async fn the_search_is_retried_like_a_read() {
    let server = TestServer::start({
        let calls = std::sync::atomic::AtomicUsize::new(0);
        move |_req: &RecordedRequest| {
            if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                Reply::status(503)
            } else {
                Reply::json(200, &json!([]))
            }
        }
    });
    let found = session(&server.uri()).pharmacies().search(PharmacySearch::new().zipcode("33351")).await.unwrap();
    assert!(found.is_empty());
    assert_eq!(server.received_total(), 2);
}

/// A server with `total` pharmacies, paging by the body's `page`/`per_page`.
fn paging_server(total: usize) -> TestServer {
    TestServer::start(move |req: &RecordedRequest| {
        let body: Value = req.json().unwrap();
        let page = usize::try_from(body["page"].as_u64().unwrap()).unwrap();
        let per = usize::try_from(body["per_page"].as_u64().unwrap()).unwrap();
        let items: Vec<Value> = (((page - 1) * per)..(page * per).min(total)).map(|i| json!({"id": i + 1})).collect();
        Reply::json(200, &items)
    })
}

fn pages_asked(server: &TestServer) -> Vec<(u64, u64)> {
    server
        .requests()
        .iter()
        .map(|r| {
            let b: Value = r.json().unwrap();
            assert_eq!(b["zipcode"], "33351", "the criteria stay on every page");
            (b["page"].as_u64().unwrap(), b["per_page"].as_u64().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn search_streams_by_page_and_stops_on_a_short_or_empty_page() {
    let server = paging_server(5);
    let s = session(&server.uri());
    let all: Vec<_> =
        s.pharmacies().search(PharmacySearch::new().zipcode("33351").per_page(2)).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(pages_asked(&server), vec![(1, 2), (2, 2), (3, 2)]);
    let server = paging_server(4);
    let s = session(&server.uri());
    let all: Vec<_> =
        s.pharmacies().search(PharmacySearch::new().zipcode("33351").per_page(2)).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(pages_asked(&server), vec![(1, 2), (2, 2), (3, 2)]);
    let server = paging_server(100);
    let s = session(&server.uri());
    let first = s.pharmacies().search(PharmacySearch::new().zipcode("33351")).collect_max(15).await.unwrap();
    assert_eq!(first.len(), 15);
    assert_eq!(pages_asked(&server), vec![(1, 10), (2, 10)], "MDLIVE's default of 10 a page");
}

#[tokio::test]
async fn a_2xx_that_is_not_pharmacies_is_an_error() {
    for body in [&b"{}"[..], b"", b"<html></html>", br#"{"results": []}"#, br#"[{"name": "no id"}]"#, b"null"] {
        let ex = exchange(|base| session(base).pharmacies().search(PharmacySearch::new()), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn invalid_searches_are_refused_before_sending() {
    let server = silent_server();
    let s = session(&server.uri());
    let cases = [
        (PharmacySearch::new().state("Florida"), "state"),
        (PharmacySearch::new().page(0), "page"),
        (PharmacySearch::new().per_page(0), "per_page"),
        (PharmacySearch::new().radius(0), "radius"),
        (PharmacySearch::new().city(" "), "city"),
        (PharmacySearch::new().coordinates(Coordinates::new(91.0, 0.0)), "coordinates.latitude"),
        (PharmacySearch::new().coordinates(Coordinates::new(0.0, f64::NAN)), "coordinates.longitude"),
    ];
    for (search, field) in cases {
        let err = s.pharmacies().search(search).await.unwrap_err();
        assert_invalid(&err, field);
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
