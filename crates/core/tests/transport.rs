//! Transport behaviour against local servers: URL joining, encoding, decoding, errors, retries, auth,
//! redirects, rate limits and tracing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use carewire_core::auth::BearerToken;
use carewire_core::error::TransportErrorKind;
use carewire_core::{ClientConfig, Error, Method, ParsedError, RateLimiter, Request, RetryPolicy, Transport};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request as WmRequest, ResponseTemplate};

fn fast_retry() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(1)).max_backoff(Duration::from_millis(5))
}

fn config(base: &str) -> ClientConfig {
    ClientConfig::new(base).unwrap().retry(fast_retry()).request_timeout(Duration::from_secs(5))
}

fn transport(base: &str) -> Transport {
    Transport::builder("testvendor", config(base))
        .credentials(BearerToken::new("sk_test_secret").unwrap())
        .build()
        .unwrap()
}

async fn received(server: &MockServer) -> Vec<WmRequest> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn joins_keeping_the_base_path_and_sends_auth() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/patients/create"))
        .and(header("authorization", "Bearer sk_test_secret"))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(body_string(r#"{"name":"Ada"}"#))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "p1"})))
        .expect(1)
        .mount(&server)
        .await;
    for base in [format!("{}/v1", server.uri()), format!("{}/v1/", server.uri())] {
        let t = transport(&base);
        let v: Value = t.send(Request::post("/patients/create").json(&json!({"name": "Ada"}))).await.unwrap();
        assert_eq!(v["id"], "p1");
        server.verify().await;
        server.reset().await;
        Mock::given(method("POST"))
            .and(path("/v1/patients/create"))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "p1"})))
            .mount(&server)
            .await;
    }
}

#[tokio::test]
async fn default_headers_reach_the_server_with_our_client_and_with_yours_and_a_request_overrides_them() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let own = config(&server.uri()).user_agent("acme/1");
    let yours = config(&server.uri()).user_agent("acme/1").http_client(reqwest::Client::new());
    for config in [own, yours] {
        let t = Transport::builder("testvendor", config).default_header("x-api-version", "2024-01").build().unwrap();
        let _: Value = t.send(Request::get("/a")).await.unwrap();
        let _: Value = t.send(Request::get("/b").header("x-api-version", "2025-06")).await.unwrap();
        let got = received(&server).await;
        let value = |r: &WmRequest, name: &str| {
            let all: Vec<_> = r.headers.get_all(name).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
            all.join(",")
        };
        assert_eq!(value(&got[0], "accept"), "application/json");
        assert_eq!(value(&got[0], "user-agent"), "acme/1");
        assert_eq!(value(&got[0], "x-api-version"), "2024-01");
        // The request's own value replaces the default, once.
        assert_eq!(value(&got[1], "x-api-version"), "2025-06");
        assert_eq!(value(&got[1], "accept"), "application/json");
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .mount(&server)
            .await;
    }
}

#[test]
fn a_call_future_holds_nothing_twice() {
    // Every await of a fresh future copies it, and the call's future is copied into its task: it is kept
    // small (about 1.3 KB: the request, one exchange and its timer). An `async fn` taking the request, or
    // a value held across an await it is not needed at, shows up here as hundreds of bytes more.
    let t = transport("http://127.0.0.1:9");
    let size = std::mem::size_of_val(&t.send::<Value>(Request::get("/a")));
    assert!(size <= 1600, "the call future grew to {size} bytes");
    let size = std::mem::size_of_val(&t.execute(Request::get("/a")));
    assert!(size <= 1600, "the call future grew to {size} bytes");
}

#[tokio::test]
async fn path_params_are_single_encoded_segments() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let t = transport(&server.uri());
    let req = Request::post("/doctors/{d}/slots/{start}/book")
        .path_param("d", "a/b c")
        .path_param("start", "2021-05-16T14:00:00+01:00");
    let _: Value = t.send(req).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(reqs[0].url.path(), "/doctors/a%2Fb%20c/slots/2021-05-16T14%3A00%3A00%2B01%3A00/book");
}

#[tokio::test]
async fn query_supports_repeated_keys_and_comma_lists() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bookings"))
        .and(query_param("start", "2021-05-16T14:00:00+01:00"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let t = transport(&server.uri());
    let req = Request::get("/bookings")
        .query("start", "2021-05-16T14:00:00+01:00")
        .query_csv("with", ["booking.patient", "booking.presence"])
        .query_repeated("with[]", ["a", "b"])
        .query_opt("page", None::<u32>)
        .query_opt("limit", Some(50));
    let _: Vec<Value> = t.send(req).await.unwrap();
    let url = &received(&server).await[0].url;
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert_eq!(
        pairs,
        vec![
            ("start".into(), "2021-05-16T14:00:00+01:00".into()),
            ("with".into(), "booking.patient,booking.presence".into()),
            ("with[]".into(), "a".into()),
            ("with[]".into(), "b".into()),
            ("limit".into(), "50".into()),
        ]
    );
    assert!(url.query().unwrap().contains("%2B01%3A00"), "the + of the offset must be encoded");
}

#[tokio::test]
async fn json_body_on_get_and_form_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(header("content-type", "application/json"))
        .and(body_string(r#"{"q":"x"}"#))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/consults"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("patient_id=usr_8921a&scheme_details[name]=Discovery&symptoms[0]=persistent+cough"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    let t = transport(&server.uri());
    let _: Value = t.send(Request::get("/search").json(&json!({"q": "x"}))).await.unwrap();
    let form =
        json!({"patient_id": "usr_8921a", "symptoms": ["persistent cough"], "scheme_details": {"name": "Discovery"}});
    let _: Value = t.send(Request::post("/v1/consults").form(&form)).await.unwrap();
    server.verify().await;
}

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    id: String,
    count: u32,
}

#[tokio::test]
async fn decodes_204_empty_and_reports_decode_paths() {
    let server = MockServer::start().await;
    Mock::given(path("/nocontent")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(path("/empty")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    Mock::given(path("/html"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>Jane Doe</html>", "text/html"))
        .mount(&server)
        .await;
    Mock::given(path("/bad"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"id":"x","count":"Jane Doe"}"#, "application/json"))
        .mount(&server)
        .await;
    Mock::given(path("/trailing"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"id":"x","count":1} garbage"#, "application/json"))
        .mount(&server)
        .await;
    let t = transport(&server.uri());
    let () = t.send(Request::delete("/nocontent")).await.unwrap();
    let () = t.send(Request::get("/empty")).await.unwrap();
    let none: Option<Thing> = t.send(Request::get("/empty")).await.unwrap();
    assert_eq!(none, None);

    let err = t.send::<Thing>(Request::get("/empty")).await.unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
    let err = t.send::<Thing>(Request::get("/html")).await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("Jane"));
    let err = t.send::<Thing>(Request::get("/bad")).await.unwrap_err();
    assert_eq!(err.decode_path(), Some("count"));
    assert!(!format!("{err} {err:?}").contains("Jane"), "{err}");
    let Error::Decode(d) = &err else { panic!() };
    assert_eq!(d.snippet(), br#"{"id":"x","count":"Jane Doe"}"#);
    let err = t.send::<Thing>(Request::get("/trailing")).await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn api_errors_use_the_vendor_parser_and_hide_the_body() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/prescriptions/rx_404"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req_abc")
                .set_body_json(json!({"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "No prescription for Jane Doe"}})),
        )
        .mount(&server)
        .await;
    let parser = |_: u16, body: &[u8]| {
        let v: Value = serde_json::from_slice(body).unwrap_or_default();
        ParsedError {
            code: v["error"]["code"].as_str().map(str::to_owned),
            message: v["error"]["message"].as_str().map(str::to_owned),
            details: Some(v["error"]["type"].clone()),
        }
    };
    let t = Transport::builder("medtimes", config(&server.uri())).error_parser(parser).build().unwrap();
    let req = Request::get("/v1/prescriptions/{id}").path_param("id", "rx_404").query("patient", "8001015009087");
    let err = t.send::<Value>(req).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("req_abc"));
    let api = err.api().unwrap();
    assert_eq!(api.code(), Some("resource_missing"));
    assert_eq!(api.message(), Some("No prescription for Jane Doe"));
    assert_eq!(api.details(), Some(&json!("invalid_request_error")));
    assert!(std::str::from_utf8(api.raw_body()).unwrap().contains("Jane"));
    let shown = format!("{err} {err:?}");
    for leak in ["Jane", "rx_404", "8001015009087", "patient="] {
        assert!(!shown.contains(leak), "{leak} leaked: {shown}");
    }
    assert!(!err.is_retryable());
    assert_eq!(received(&server).await.len(), 1, "a 404 is not retried");
}

#[tokio::test]
async fn metadata_and_rate_limit_snapshot() {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req_1")
                .insert_header("x-ratelimit-limit", "8000")
                .insert_header("x-ratelimit-remaining", "7999")
                .insert_header("x-ratelimit-reset", "3600")
                .set_body_json(json!({"id": "a", "count": 1})),
        )
        .mount(&server)
        .await;
    let t = transport(&server.uri());
    assert!(t.rate_limit().is_none());
    let r = t.send_with_meta::<Thing>(Request::get("/x")).await.unwrap();
    assert_eq!(r.data, Thing { id: "a".into(), count: 1 });
    assert_eq!(r.meta.status, 200);
    assert_eq!(r.meta.request_id.as_deref(), Some("req_1"));
    assert_eq!(r.meta.attempts, 1);
    let rl = r.meta.rate_limit.unwrap();
    assert_eq!((rl.limit, rl.remaining), (Some(8000), Some(7999)));
    assert_eq!(t.rate_limit().unwrap().remaining, Some(7999));
}

#[tokio::test]
async fn get_is_retried_on_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(path("/x")).respond_with(ResponseTemplate::new(503)).up_to_n_times(2).mount(&server).await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a", "count": 2})))
        .mount(&server)
        .await;
    let t = transport(&server.uri());
    let r = t.send_with_meta::<Thing>(Request::get("/x")).await.unwrap();
    assert_eq!(r.meta.attempts, 3);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn post_without_key_is_not_retried_on_503_but_with_a_key_it_is_and_the_key_is_reused() {
    let server = MockServer::start().await;
    Mock::given(path("/claims")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let t = transport(&server.uri());
    let err = t.send::<Value>(Request::post("/claims").json(&json!({"amount": 1}))).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(received(&server).await.len(), 1, "a POST that reached the server must not be sent twice");

    server.reset().await;
    Mock::given(path("/claims")).respond_with(ResponseTemplate::new(503)).up_to_n_times(2).mount(&server).await;
    Mock::given(path("/claims"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let req = Request::post("/claims").json(&json!({"amount": 1})).ensure_idempotency_key();
    let key = req.idempotency_key_ref().unwrap().to_owned();
    let _: Value = t.send(req).await.unwrap();
    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert_eq!(r.headers.get("idempotency-key").unwrap().to_str().unwrap(), key);
        // Every attempt carries the whole body and its type (the attempts share the encoded bytes).
        assert_eq!(r.body, br#"{"amount":1}"#);
        assert_eq!(r.headers.get("content-type").unwrap(), "application/json");
    }
}

#[tokio::test]
async fn post_is_retried_on_429_honouring_retry_after() {
    let server = MockServer::start().await;
    Mock::given(path("/claims"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/claims"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let t = transport(&server.uri());
    let start = std::time::Instant::now();
    let _: Value = t.send(Request::post("/claims")).await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(950), "{:?}", start.elapsed());
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn persistent_429_is_rate_limited_error() {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let t = transport(&server.uri());
    let err = t.send::<Value>(Request::get("/x")).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited(_)), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::ZERO));
    assert!(err.is_retryable());
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn timeouts_retry_gets_but_not_posts() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(600)))
        .mount(&server)
        .await;
    let cfg = config(&server.uri()).request_timeout(Duration::from_millis(100));
    let t = Transport::builder("v", cfg).build().unwrap();
    let err = t.send::<()>(Request::get("/slow")).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout(ref t) if matches!(t.kind(), carewire_core::TimeoutKind::Attempt(_))),
        "{err:?}"
    );
    assert_eq!(received(&server).await.len(), 3);
    server.reset().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(600)))
        .mount(&server)
        .await;
    let err = t.send::<()>(Request::post("/slow")).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)));
    assert_eq!(received(&server).await.len(), 1, "a POST that may have been processed is not resent");
}

#[tokio::test]
async fn total_timeout_bounds_the_whole_call() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(503).set_delay(Duration::from_millis(150)))
        .mount(&server)
        .await;
    let cfg = config(&server.uri())
        .retry(fast_retry().max_retries(50).budget(None))
        .total_timeout(Some(Duration::from_millis(400)));
    let t = Transport::builder("v", cfg).build().unwrap();
    let start = std::time::Instant::now();
    let err = t.send::<()>(Request::get("/slow")).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout(ref t) if matches!(t.kind(), carewire_core::TimeoutKind::Total(_))),
        "{err:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}

/// Reads one whole HTTP/1.1 request (head and `content-length` body) from `sock`; false on EOF first.
async fn read_request(sock: &mut tokio::net::TcpStream) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = vec![0u8; 65536];
    let mut seen = Vec::new();
    loop {
        match sock.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
        if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap_or(0));
            if seen.len() >= end + 4 + len {
                return true;
            }
        }
    }
}

/// A server that reads one request per connection and closes it without answering.
async fn dropping_server() -> (String, Arc<AtomicU32>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicU32::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let c = c.clone();
            tokio::spawn(async move {
                if read_request(&mut sock).await {
                    c.fetch_add(1, Ordering::SeqCst);
                }
                // Dropping the socket closes it without a response.
            });
        }
    });
    (format!("http://{addr}"), count)
}

#[tokio::test]
async fn dropped_connection_after_sending_is_not_retried_for_post_but_is_for_get() {
    let (base, count) = dropping_server().await;
    let t = transport(&base);
    let err = t.send::<Value>(Request::post("/claims/submit").json(&json!({"amount": 45000}))).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1, "the claim must reach the server exactly once");
    count.store(0, Ordering::SeqCst);
    let _ = t.send::<Value>(Request::get("/claims/1")).await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_post_and_hides_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let t = transport(&format!("http://{addr}"));
    let req = Request::post("/patients/{id}").path_param("id", "8001015009087").query("name", "Jane");
    let err = t.send::<Value>(req).await.unwrap_err();
    let Error::Transport(te) = &err else { panic!("{err:?}") };
    assert_eq!(te.kind(), TransportErrorKind::Connect);
    assert!(err.is_retryable());
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("8001015009087") && !shown.contains("Jane"), "{shown}");
}

#[tokio::test]
async fn next_links_to_other_hosts_are_refused() {
    let t = transport("https://api.example.com/v1");
    let err = t.url_for(&Request::link(Method::Get, "https://evil.example.net/page2")).unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "link"));
    let ok = t.url_for(&Request::link(Method::Get, "https://api.example.com/v1/items?page=2")).unwrap();
    assert_eq!(ok.as_str(), "https://api.example.com/v1/items?page=2");
    let rel = t.url_for(&Request::link(Method::Get, "/v1/items?page=3")).unwrap();
    assert_eq!(rel.as_str(), "https://api.example.com/v1/items?page=3");
}

/// A server whose every answer says the rate-limit window is spent and resets in `reset` seconds.
async fn exhausted_window_server(reset: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", reset)
                .set_body_json(json!({})),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn client_side_limiter_pauses_when_the_server_says_remaining_zero() {
    let server = exhausted_window_server("1").await;
    let limiter = Arc::new(RateLimiter::new());
    let cfg = config(&server.uri()).rate_limiter(Some(limiter));
    let t = Transport::builder("v", cfg).build().unwrap();
    let _: Value = t.send(Request::get("/x")).await.unwrap();
    let start = std::time::Instant::now();
    let _: Value = t.send(Request::get("/x")).await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(900), "{:?}", start.elapsed());
}

#[tokio::test]
async fn escape_hatch_sends_any_request_with_the_same_auth_and_errors() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/undocumented/42"))
        .and(header("authorization", "Bearer sk_test_secret"))
        .and(header("x-api-version", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"patched": true})))
        .mount(&server)
        .await;
    let t = transport(&server.uri());
    let req = Request::new(Method::Patch, "/undocumented/{id}")
        .path_param("id", 42)
        .header("x-api-version", "2")
        .json(&json!({"a": 1}));
    let v: Value = t.send(req).await.unwrap();
    assert_eq!(v, json!({"patched": true}));
    let raw = t.execute(Request::new(Method::Patch, "/undocumented/42").header("x-api-version", "2")).await.unwrap();
    assert_eq!(raw.json::<Value>().unwrap()["patched"], true);
    let err = t.send::<Value>(Request::get("/nothing-here")).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn invalid_input_is_a_typed_error_before_sending() {
    let server = MockServer::start().await;
    let t = transport(&server.uri());
    let err = t.send::<Value>(Request::get("/p/{id}").path_param("id", "")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "id"));
    let err = t.send::<Value>(Request::get("/p").header("x-bad", "line\nbreak")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "x-bad"));
    let err = t.send::<Value>(Request::post("/p").form(&3u8)).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "body"));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_per_request_retry_policy_overrides_the_clients() {
    let server = MockServer::start().await;
    Mock::given(path("/release"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let t = transport(&server.uri());
    let start = std::time::Instant::now();
    let err = t.send::<()>(Request::post("/release").retry_policy(RetryPolicy::none())).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(received(&server).await.len(), 1);
}

/// A server that answers each request with keep-alive, then closes the connection shortly after: the
/// client's pooled connection goes stale between calls.
async fn closing_after_answer_server() -> (String, Arc<AtomicU32>) {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicU32::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let c = c.clone();
            tokio::spawn(async move {
                if !read_request(&mut sock).await {
                    return;
                }
                c.fetch_add(1, Ordering::SeqCst);
                let answer = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\n{}";
                let _ = sock.write_all(answer).await;
                tokio::time::sleep(Duration::from_millis(20)).await;
                // Closing now leaves the client's pooled connection stale.
            });
        }
    });
    (format!("http://{addr}"), count)
}

#[tokio::test]
async fn a_stale_pooled_connection_neither_fails_the_call_nor_duplicates_a_post() {
    let (base, count) = closing_after_answer_server().await;
    let t = transport(&base);
    for i in 1..=5u32 {
        let _: Value = t.send(Request::post("/claims/submit").json(&json!({"n": i}))).await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), i, "each POST reaches the server exactly once");
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
}

#[tokio::test]
async fn waiting_for_the_limiter_counts_against_the_total_timeout() {
    let server = exhausted_window_server("30").await;
    let cfg = config(&server.uri())
        .rate_limiter(Some(Arc::new(RateLimiter::new())))
        .total_timeout(Some(Duration::from_millis(300)));
    let t = Transport::builder("v", cfg).build().unwrap();
    let _: Value = t.send(Request::get("/x")).await.unwrap();
    let start = std::time::Instant::now();
    let err = t.send::<Value>(Request::get("/x")).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout(ref t) if matches!(t.kind(), carewire_core::TimeoutKind::Total(_))),
        "{err:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    assert_eq!(received(&server).await.len(), 1, "the paused request was never sent");
}
