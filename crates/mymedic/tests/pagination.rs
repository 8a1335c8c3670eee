//! Offset pagination of `GET /api/v1/health-programs`: which pages are asked for, and when a stream stops
//! (a short page, an empty page, `hasMore: false`, `collect_max`), with no documented page metadata.

mod common;

use carewire_mymedic::{FilterStyle, HealthProgram, ListHealthPrograms, ProgramStatus};
use carewire_testkit::mymedic::Sandbox;
use carewire_testkit::{Fault, RecordedRequest, Reply, TestServer};
use common::{client, styled};
use futures_util::TryStreamExt;
use serde_json::{Value, json};

/// A server holding `total` programs that pages by `limit`/`offset` (query or JSON body) and answers with
/// `shape` (`"array"`, `"data"` or `"items"`).
fn programs_server(total: u64, shape: &'static str) -> TestServer {
    TestServer::start(move |req: &RecordedRequest| {
        let (mut limit, mut offset) = (10, 0);
        for (k, v) in req.query_pairs() {
            match k.as_str() {
                "limit" => limit = v.parse().unwrap(),
                "offset" => offset = v.parse().unwrap(),
                _ => {}
            }
        }
        if let Some(body) = req.json_value() {
            limit = body["limit"].as_u64().unwrap_or(limit);
            offset = body["offset"].as_u64().unwrap_or(offset);
        }
        let items: Vec<Value> =
            (offset..total.min(offset + limit)).map(|i| json!({"id": format!("prg_{i}")})).collect();
        match shape {
            "array" => Reply::json(200, &items),
            "items" => Reply::json(200, &json!({"result": "ok", "data": {"items": items}})),
            _ => Reply::json(200, &json!({"data": items, "total": total})),
        }
    })
}

/// The `(offset, limit)` of every request the server received.
fn asked(server: &TestServer) -> Vec<(String, String)> {
    server
        .requests()
        .iter()
        .map(|r| {
            let q = r.query_pairs();
            let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
            (get("offset"), get("limit"))
        })
        .collect()
}

fn ids(items: &[HealthProgram]) -> Vec<String> {
    items.iter().map(|p| p.id.clone().unwrap()).collect()
}

#[tokio::test]
async fn a_stream_stops_on_a_short_page() {
    let server = programs_server(7, "data");
    let list = ListHealthPrograms::new().limit(3).status(ProgramStatus::Active);
    let items: Vec<HealthProgram> = client(&server.uri()).programs().list(list).stream().try_collect().await.unwrap();
    assert_eq!(ids(&items), (0..7).map(|i| format!("prg_{i}")).collect::<Vec<_>>());
    assert_eq!(asked(&server), [("0".into(), "3".into()), ("3".into(), "3".into()), ("6".into(), "3".into())]);
    // The filters go with every page.
    assert!(server.requests().iter().all(|r| r.query_pairs().contains(&("filters[status]".into(), "active".into()))));
}

#[tokio::test]
async fn a_stream_stops_on_an_empty_page() {
    let server = programs_server(6, "array");
    let pages: Vec<Vec<HealthProgram>> =
        client(&server.uri()).programs().list(ListHealthPrograms::new().limit(3)).pages().try_collect().await.unwrap();
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3]);
    assert_eq!(asked(&server).len(), 3, "the third page is empty, and ends the stream");
}

#[tokio::test]
async fn a_stream_starts_at_the_operations_offset_and_uses_the_default_page_size() {
    let server = programs_server(120, "items");
    let items: Vec<HealthProgram> = client(&server.uri())
        .programs()
        .list(ListHealthPrograms::new().offset(30))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 90);
    assert_eq!(items[0].id.as_deref(), Some("prg_30"));
    assert_eq!(asked(&server), [("30".into(), "50".into()), ("80".into(), "50".into())]);
}

#[tokio::test]
async fn collect_max_fetches_no_page_past_the_one_that_reaches_it() {
    let server = programs_server(1000, "data");
    let items =
        client(&server.uri()).programs().list(ListHealthPrograms::new().limit(10)).collect_max(25).await.unwrap();
    assert_eq!(items.len(), 25);
    assert_eq!(asked(&server).len(), 3);
    assert!(client(&server.uri()).programs().list(ListHealthPrograms::new()).collect_max(0).await.unwrap().is_empty());
}

#[tokio::test]
async fn has_more_false_stops_and_json_body_pages_page_the_body() {
    let server = TestServer::start(|_: &RecordedRequest| {
        Reply::json(200, &json!({"programs": [{"id": "a"}, {"id": "b"}], "hasMore": false}))
    });
    let items =
        client(&server.uri()).programs().list(ListHealthPrograms::new().limit(2)).collect_max(10).await.unwrap();
    assert_eq!((items.len(), server.requests().len()), (2, 1));

    let server = programs_server(5, "data");
    let list = ListHealthPrograms::new().limit(2).program_type("yoga");
    let items = styled(&server.uri(), FilterStyle::JsonBody).programs().list(list).collect_max(10).await.unwrap();
    assert_eq!(items.len(), 5);
    let bodies: Vec<Value> = server.requests().iter().map(|r| r.json_value().unwrap()).collect();
    assert_eq!(bodies[1], json!({"limit": 2, "offset": 2, "filters": {"type": "yoga"}}));
    assert!(server.requests().iter().all(|r| r.query.is_none()));
}

#[tokio::test]
async fn an_error_ends_the_stream() {
    let server = programs_server(100, "data");
    server.inject(Fault::status(400).on("GET", "/api/v1/health-programs").times(1));
    let mut stream = client(&server.uri()).programs().list(ListHealthPrograms::new().limit(10)).stream();
    assert!(stream.try_next().await.is_err());
}

#[tokio::test]
async fn the_sandbox_pages_with_filters() {
    let sandbox = Sandbox::start();
    let client = carewire_mymedic::Client::builder()
        .base_url(sandbox.base_url())
        .access_token(Sandbox::ACCESS_TOKEN)
        .build()
        .unwrap();
    let yoga = ListHealthPrograms::new().program_type("yoga").limit(2);
    let items: Vec<HealthProgram> = client.programs().list(yoga).stream().try_collect().await.unwrap();
    assert_eq!(ids(&items), ["prg_001", "prg_004", "prg_006"]);
    let upcoming = ListHealthPrograms::new().status(ProgramStatus::Upcoming).practitioner("dr-asha");
    let flat = client.programs().list(upcoming.filter_style(FilterStyle::Flat)).await.unwrap();
    assert_eq!(ids(&flat.programs), ["prg_005", "prg_006"]);
    assert_eq!(flat.extra["total"], 2);
}
