//! End-to-end tests of the test server over 127.0.0.1 with reqwest.

use std::io::{Read, Write};
use std::time::Duration;

use carewire_testkit::{Fault, Params, RecordedRequest, Reply, Router, TestServer};
use serde_json::{Value, json};

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("client")
}

fn echo_router() -> Router {
    Router::new()
        .route("GET", "/v1/prescriptions/{id}", |_req, params: &Params| {
            Reply::json(200, &json!({ "id": params.get("id") }))
        })
        .route("DELETE", "/v1/prescriptions/{id}", |_req, _params| Reply::no_content())
        .route("GET", "/v1/slots/{start}/{end}", |_req, params: &Params| {
            Reply::json(200, &json!({ "start": params.get("start"), "end": params.get("end") }))
        })
        .route("*", "/echo", |req: &RecordedRequest, _params| Reply::json(200, &json!({ "method": req.method })))
}

async fn get_json(client: &reqwest::Client, url: &str) -> (u16, Value) {
    let res = client.get(url).send().await.expect("send");
    let status = res.status().as_u16();
    let body = res.bytes().await.expect("body");
    (status, serde_json::from_slice(&body).expect("json body"))
}

#[tokio::test]
async fn router_matches_and_decodes_params() {
    let server = TestServer::start_router(echo_router());
    let client = client();

    let (status, body) = get_json(&client, &server.url("/v1/prescriptions/rx-1")).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({ "id": "rx-1" }));

    let (status, body) = get_json(&client, &server.url("/v1/slots/2021-05-16T14%3A00%3A00%2B01%3A00/a%20b")).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({ "start": "2021-05-16T14:00:00+01:00", "end": "a b" }));
    // The recorded path stays raw.
    assert_eq!(server.requests()[1].path, "/v1/slots/2021-05-16T14%3A00%3A00%2B01%3A00/a%20b");

    let res = client.delete(server.url("/v1/prescriptions/rx-1")).send().await.unwrap();
    assert_eq!(res.status(), 204);

    let res = client.patch(server.url("/echo")).send().await.unwrap();
    assert_eq!(res.bytes().await.unwrap(), r#"{"method":"PATCH"}"#);
}

#[tokio::test]
async fn router_answers_404_and_405() {
    let server = TestServer::start(echo_router());
    let client = client();

    let (status, body) = get_json(&client, &server.url("/v1/nope?x=1")).await;
    assert_eq!(status, 404);
    assert_eq!(body, json!({ "error": "no route", "method": "GET", "path": "/v1/nope" }));
    // One segment only: a param never spans slashes or matches empty.
    let (status, _) = get_json(&client, &server.url("/v1/prescriptions/a/b")).await;
    assert_eq!(status, 404);
    let (status, _) = get_json(&client, &server.url("/v1/prescriptions/")).await;
    assert_eq!(status, 404);

    let res = client.put(server.url("/v1/prescriptions/rx-1")).send().await.unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "GET, DELETE");
    let body: Value = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(body["method"], "PUT");
}

#[tokio::test]
async fn router_fallback_replaces_404() {
    let router = echo_router()
        .fallback(|req: &RecordedRequest| Reply::text(418, "text/plain", format!("fallback {}", req.path)));
    let server = TestServer::start(router);
    let res = client().get(server.url("/other")).send().await.unwrap();
    assert_eq!(res.status(), 418);
    assert_eq!(res.headers()["content-type"], "text/plain");
    assert_eq!(res.bytes().await.unwrap(), "fallback /other");
}

#[tokio::test]
async fn records_headers_body_query_and_form() {
    let server = TestServer::start(|req: &RecordedRequest| {
        Reply::status(201)
            .header("x-seen", req.bearer_token().unwrap_or("none"))
            .append_header("set-cookie", "a=1")
            .append_header("set-cookie", "b=2")
    });
    let client = client();
    let res = client
        .post(server.url("/oauth/token?scope=a+b&x=%2F&x=2"))
        .header("Authorization", "Bearer tok-123")
        .header("X-Trace", "one")
        .header("X-Trace", "two")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&name=J%C3%BCrgen+M&name=2")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["x-seen"], "tok-123");
    assert_eq!(res.headers().get_all("set-cookie").iter().count(), 2);

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let req = &reqs[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/oauth/token");
    assert_eq!(req.query.as_deref(), Some("scope=a+b&x=%2F&x=2"));
    assert_eq!(req.header("x-trace"), Some("one"));
    assert_eq!(req.header("X-TRACE"), Some("one"));
    assert_eq!(req.header_all("X-Trace"), vec!["one", "two"]);
    assert!(req.headers.iter().all(|(n, _)| *n == n.to_lowercase()));
    assert_eq!(req.bearer_token(), Some("tok-123"));
    let pairs = |v: &[(&str, &str)]| v.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect::<Vec<_>>();
    assert_eq!(req.query_pairs(), pairs(&[("scope", "a b"), ("x", "/"), ("x", "2")]));
    assert_eq!(req.form_pairs(), pairs(&[("grant_type", "client_credentials"), ("name", "Jürgen M"), ("name", "2")]));
    assert_eq!(req.json_value(), None);
    assert_eq!(server.received("POST", "/oauth/token"), 1);
    assert_eq!(server.received("GET", "/oauth/token"), 0);

    // JSON bodies.
    client.put(server.url("/json")).body(r#"{"a":[1,2]}"#).send().await.unwrap();
    let req = server.requests().pop().unwrap();
    assert_eq!(req.body_str(), Some(r#"{"a":[1,2]}"#));
    assert_eq!(req.json_value(), Some(json!({ "a": [1, 2] })));
    let parsed: std::collections::BTreeMap<String, Vec<u8>> = req.json().unwrap();
    assert_eq!(parsed["a"], vec![1, 2]);
    assert_eq!(server.received_total(), 2);

    server.reset_log();
    assert_eq!(server.received_total(), 0);
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn status_fault_then_normal() {
    let server = TestServer::start(echo_router());
    server.inject(Fault::status(500).times(2));
    let client = client();
    let url = server.url("/v1/prescriptions/1");
    for _ in 0..2 {
        let (status, body) = get_json(&client, &url).await;
        assert_eq!(status, 500);
        assert_eq!(body, json!({ "error": "injected" }));
    }
    let (status, _) = get_json(&client, &url).await;
    assert_eq!(status, 200);
    assert_eq!(server.received("GET", "/v1/prescriptions/1"), 3);
    assert_eq!(server.faults_pending(), 0);
}

#[tokio::test]
async fn reply_fault_and_status_with_body() {
    let server = TestServer::start(echo_router());
    server.inject(Fault::reply(Reply::json(409, &json!({ "code": "conflict" }))));
    server.inject(Fault::status_with_body(422, Reply::text(200, "text/plain", "bad")));
    let client = client();
    let url = server.url("/v1/prescriptions/1");
    let (status, body) = get_json(&client, &url).await;
    assert_eq!((status, body), (409, json!({ "code": "conflict" })));
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(res.bytes().await.unwrap(), "bad");
}

#[tokio::test]
async fn retry_after_fault_sets_header() {
    let server = TestServer::start(echo_router());
    server.inject(Fault::retry_after(429, 7));
    let res = client().get(server.url("/v1/prescriptions/1")).send().await.unwrap();
    assert_eq!(res.status(), 429);
    assert_eq!(res.headers()["retry-after"], "7");
}

#[tokio::test]
async fn delay_fault_exceeds_client_timeout() {
    let server = TestServer::start(echo_router());
    server.inject(Fault::delay(Duration::from_millis(600)));
    let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_millis(150)).build().unwrap();
    let url = server.url("/v1/prescriptions/1");
    let err = client.get(&url).send().await.unwrap_err();
    assert!(err.is_timeout(), "expected a timeout, got {err:?}");
    assert_eq!(server.received("GET", "/v1/prescriptions/1"), 1);

    // The fault is used up: the next request is answered in time.
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn reply_delay_is_applied() {
    let server = TestServer::start(|_req: &RecordedRequest| Reply::status(200).delay(Duration::from_millis(300)));
    let started = std::time::Instant::now();
    let res = client().get(server.url("/slow")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn drop_connection_fault_gives_connection_error_and_is_sent_once() {
    let server = TestServer::start(|_req: &RecordedRequest| Reply::status(200));
    server.inject(Fault::drop_connection());
    let client = client();
    let err = client.post(server.url("/x")).body("payload").send().await.unwrap_err();
    assert!(!err.is_timeout());
    assert!(err.status().is_none(), "no HTTP status expected: {err:?}");
    assert!(err.is_request() || err.is_connect(), "{err:?}");
    // hyper's "connection closed before message completed" in the chain.
    let mut chain = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(&err);
    while let Some(e) = source {
        chain.push(e.to_string());
        source = e.source();
    }
    assert!(chain.iter().any(|m| m.contains("connection closed")), "{chain:?}");
    assert_eq!(server.received("POST", "/x"), 1);
    assert_eq!(server.requests()[0].body, b"payload");

    // The next request is answered normally.
    let res = client.post(server.url("/x")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(server.received("POST", "/x"), 2);
}

#[test]
fn drop_connection_writes_nothing_on_the_wire() {
    let server = TestServer::start(|_req: &RecordedRequest| Reply::status(200));
    server.inject(Fault::drop_connection());
    let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(b"POST /x HTTP/1.1\r\nhost: t\r\ncontent-length: 2\r\n\r\nhi").unwrap();
    let mut received = Vec::new();
    // EOF (Ok) or reset (Err): either way no bytes of a response.
    let _ = stream.read_to_end(&mut received);
    assert!(received.is_empty(), "{:?}", String::from_utf8_lossy(&received));
    assert_eq!(server.received("POST", "/x"), 1);
}

#[tokio::test]
async fn malformed_body_fault() {
    let server = TestServer::start(echo_router());
    server.inject(Fault::malformed_body());
    let res = client().get(server.url("/v1/prescriptions/1")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let body = res.bytes().await.unwrap();
    assert!(serde_json::from_slice::<Value>(&body).is_err());
}

#[tokio::test]
async fn html_fault() {
    let server = TestServer::start(echo_router());
    server.inject(Fault::html(502));
    let res = client().get(server.url("/v1/prescriptions/1")).send().await.unwrap();
    assert_eq!(res.status(), 502);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let body = String::from_utf8(res.bytes().await.unwrap().to_vec()).unwrap();
    assert!(body.contains("502 Bad Gateway"), "{body}");
}

async fn fraction_run(seed: u64) -> Vec<u16> {
    let server = TestServer::start(|_req: &RecordedRequest| Reply::status(200));
    server.inject(Fault::status(503).fraction(0.5).seed(seed));
    let client = client();
    let mut statuses = Vec::new();
    for _ in 0..200 {
        let res = client.get(server.url("/f")).send().await.unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(server.received("GET", "/f"), 200);
    statuses
}

#[tokio::test]
async fn fraction_fault_is_seeded_and_about_half() {
    let first = fraction_run(7).await;
    let second = fraction_run(7).await;
    assert_eq!(first, second, "same seed, same sequence");
    let failed = first.iter().filter(|s| **s == 503).count();
    assert!((70..=130).contains(&failed), "{failed} of 200 failed");
    assert_eq!(first.iter().filter(|s| **s == 200).count(), 200 - failed);
    assert_ne!(first, fraction_run(8).await, "another seed differs");
}

#[tokio::test]
async fn always_and_clear_faults() {
    let server = TestServer::start(|_req: &RecordedRequest| Reply::status(200));
    server.inject(Fault::status(500).always());
    let client = client();
    for _ in 0..5 {
        let res = client.get(server.url("/a")).send().await.unwrap();
        assert_eq!(res.status(), 500);
    }
    server.clear_faults();
    let res = client.get(server.url("/a")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn route_filtered_faults_only_hit_their_route() {
    let server = TestServer::start(|_req: &RecordedRequest| Reply::status(200));
    server.inject(Fault::status(500).on("POST", "/v1/orders").always());
    server.inject(Fault::status(502).on_path_prefix("/v2/").times(1));
    server.inject(Fault::status(504).on("*", "/any"));
    let client = client();
    let status = |res: reqwest::Response| res.status().as_u16();

    assert_eq!(status(client.get(server.url("/v1/orders")).send().await.unwrap()), 200);
    assert_eq!(status(client.post(server.url("/v1/orders/1")).send().await.unwrap()), 200);
    assert_eq!(status(client.post(server.url("/v1/orders?x=1")).send().await.unwrap()), 500);
    assert_eq!(status(client.post(server.url("/v1/orders")).send().await.unwrap()), 500);
    assert_eq!(status(client.get(server.url("/v2")).send().await.unwrap()), 200);
    assert_eq!(status(client.delete(server.url("/v2/x")).send().await.unwrap()), 502);
    assert_eq!(status(client.delete(server.url("/v2/x")).send().await.unwrap()), 200);
    assert_eq!(status(client.put(server.url("/any")).send().await.unwrap()), 504);
    assert_eq!(status(client.put(server.url("/any")).send().await.unwrap()), 200);
    assert_eq!(server.received("POST", "/v1/orders"), 2);
    assert_eq!(server.received("*", "/v2/x"), 2);
}

#[test]
fn works_outside_any_runtime() {
    let server = TestServer::start(echo_router());
    let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(b"GET /v1/prescriptions/7 HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(response.ends_with(r#"{"id":"7"}"#), "{response}");

    // And from a runtime created afterwards.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (status, body) = runtime.block_on(get_json(&client(), &server.url("/v1/prescriptions/8")));
    assert_eq!((status, body), (200, json!({ "id": "8" })));
    assert_eq!(server.received_total(), 2);
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let server = TestServer::start(echo_router());
    let clone = server.clone();
    let addr = server.addr();
    let client = client();
    let (status, _) = get_json(&client, &server.url("/v1/prescriptions/1")).await;
    assert_eq!(status, 200);

    drop(server);
    // A clone keeps it alive.
    let (status, _) = get_json(&client, &clone.url("/v1/prescriptions/1")).await;
    assert_eq!(status, 200);
    let url = clone.url("/v1/prescriptions/1");
    drop(clone);

    let mut refused = false;
    for _ in 0..50 {
        if std::net::TcpStream::connect(addr).is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "server still accepts connections");
    let err = client.get(&url).send().await.unwrap_err();
    assert!(err.is_connect() || err.is_request(), "{err:?}");
}

#[test]
fn url_helpers() {
    let server = TestServer::start(|_req: &RecordedRequest| Reply::no_content());
    let port = server.addr().port();
    assert_eq!(server.uri(), format!("http://127.0.0.1:{port}"));
    assert_eq!(server.url("/a"), format!("http://127.0.0.1:{port}/a"));
    assert_eq!(server.url("a"), format!("http://127.0.0.1:{port}/a"));
    assert!(format!("{server:?}").contains("TestServer"));
}
