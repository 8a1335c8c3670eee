//! The safety floor every vendor inherits from the transport: absurd headers, oversized bodies, clear-text
//! URLs, dot segments, error context and the source chain. Each test here failed before the fix it guards.

use std::io::Write as _;
use std::net::TcpListener;
use std::time::Duration;

use carewire_core::auth::{OAuth2ClientCredentials, TokenCache};
use carewire_core::ratelimit::MAX_SERVER_DURATION;
use carewire_core::{ClientConfig, Error, RateLimiter, Request, RetryPolicy, Transport};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn transport(base: &str) -> Transport {
    Transport::builder("testvendor", ClientConfig::new(base).unwrap().retry(RetryPolicy::none())).build().unwrap()
}

#[tokio::test]
async fn absurd_rate_limit_headers_on_a_2xx_do_not_panic() {
    let server = MockServer::start().await;
    for reset in ["1e300", "99999999999999999999", "1.7976931348623157e308", "-1", "NaN", "9999-12-31T23:59:59Z"] {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("x-ratelimit-reset", reset)
                    .insert_header("x-ratelimit-remaining", "0")
                    .insert_header("retry-after", "99999999999999999999")
                    .set_body_json(json!({"ok": true})),
            )
            .mount(&server)
            .await;
        let limiter = std::sync::Arc::new(RateLimiter::new().max_pause(Duration::from_millis(1)));
        let t = Transport::builder("v", ClientConfig::new(&server.uri()).unwrap().rate_limiter(Some(limiter)))
            .build()
            .unwrap();
        let resp = t.send_with_meta::<Value>(Request::get("/x")).await.unwrap();
        let rl = resp.meta.rate_limit.unwrap();
        assert!(rl.reset_after.is_none_or(|d| d <= MAX_SERVER_DURATION), "{reset}");
        assert_eq!(rl.retry_after, Some(MAX_SERVER_DURATION));
    }
}

#[tokio::test]
async fn a_declared_body_over_the_limit_is_refused_before_reading() {
    let server = MockServer::start().await;
    let big = vec![b'a'; 2048];
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_bytes(big)).mount(&server).await;
    let t =
        Transport::builder("v", ClientConfig::new(&server.uri()).unwrap().max_response_bytes(1024)).build().unwrap();
    let err = t.send::<Value>(Request::get("/export")).await.unwrap_err();
    let Error::TooLarge(ref too) = err else { panic!("{err:?}") };
    assert_eq!(too.limit(), 1024);
    assert_eq!(too.declared(), Some(2048));
    let text = err.to_string();
    assert!(text.contains("1024") && text.contains("max_response_bytes"), "{text}");
    assert!(text.starts_with("v GET /export: "), "{text}");
    // Per call, the limit can be raised.
    let ok = t.send::<Value>(Request::get("/export").max_response_bytes(4096)).await;
    assert!(matches!(ok, Err(Error::Decode(_))), "read, then refused as not JSON: {ok:?}");
}

/// A server that answers with a chunked body of `total` spaces, in 64 KiB chunks, never declaring a length.
fn chunked_server(total: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut sock in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = std::io::Read::read(&mut sock, &mut buf);
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if sock.write_all(head.as_bytes()).is_err() {
                continue;
            }
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0;
            while sent < total {
                let n = chunk.len().min(total - sent);
                if sock.write_all(format!("{n:x}\r\n").as_bytes()).is_err()
                    || sock.write_all(&chunk[..n]).is_err()
                    || sock.write_all(b"\r\n").is_err()
                {
                    break;
                }
                sent += n;
            }
            let _ = sock.write_all(b"0\r\n\r\n");
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_chunked_body_is_cut_off_at_the_limit() {
    // 200 MB would be sent; the client stops after the default 16 MiB.
    let base = chunked_server(200 * 1024 * 1024);
    let t = transport(&base);
    let err = t.send::<Value>(Request::get("/big")).await.unwrap_err();
    let Error::TooLarge(ref too) = err else { panic!("{err:?}") };
    assert_eq!(too.limit(), carewire_core::DEFAULT_MAX_RESPONSE_BYTES);
    assert_eq!(too.declared(), None);
    // A body under the limit is read whole (all white space: it decodes as an empty body).
    let base = chunked_server(100 * 1024);
    let t = transport(&base);
    let v: Value = t.send(Request::get("/small")).await.unwrap();
    assert_eq!(v, Value::Null);
}

#[tokio::test]
async fn the_token_endpoint_answer_is_bounded_too() {
    let base = chunked_server(10 * 1024 * 1024);
    let source = OAuth2ClientCredentials::new(&format!("{base}/oauth/token"), "id", "secret").unwrap();
    let t = Transport::builder("v", ClientConfig::new(&base).unwrap())
        .credentials(TokenCache::new(source))
        .build()
        .unwrap();
    let err = t.send::<Value>(Request::get("/x")).await.unwrap_err();
    let Error::Auth(ref auth) = err else { panic!("{err:?}") };
    assert!(matches!(auth.cause(), Some(Error::TooLarge(_))), "{err:?}");
}

#[test]
fn clear_text_http_is_refused_unless_loopback_or_opted_in() {
    let err = Transport::builder("v", ClientConfig::new("http://api.medtimes.health").unwrap()).build().unwrap_err();
    assert!(matches!(err, Error::Config(ref m) if m.contains("allow_insecure_http")), "{err:?}");
    for ok in ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9", "https://api.medtimes.health"] {
        assert!(Transport::builder("v", ClientConfig::new(ok).unwrap()).build().is_ok(), "{ok}");
    }
    let opted = ClientConfig::new("http://api.medtimes.health").unwrap().allow_insecure_http();
    assert!(Transport::builder("v", opted).build().is_ok());

    let err = OAuth2ClientCredentials::new("http://www.znanylekarz.pl/oauth/v2/token", "id", "secret").unwrap_err();
    assert!(matches!(err, Error::Config(ref m) if m.contains("token URL")), "{err:?}");
    assert!(OAuth2ClientCredentials::new("http://127.0.0.1:1/oauth/v2/token", "id", "secret").is_ok());
    assert!(OAuth2ClientCredentials::new_allowing_insecure_http("http://proxy.internal/token", "id", "secret").is_ok());
}

#[tokio::test]
async fn dot_segment_ids_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let t = transport(&server.uri());
    for id in ["..", ".", "%2e%2e"] {
        let req = Request::delete("/facilities/{facility_id}/addresses/{address_id}/")
            .path_param("facility_id", "1")
            .path_param("address_id", id);
        let err = t.send::<()>(req).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "address_id"), "{err:?}");
    }
    assert!(server.received_requests().await.unwrap_or_default().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn errors_name_the_call_and_keep_their_source_chain() {
    // A refused connection: port 9 on loopback has no listener.
    let t = transport("http://127.0.0.1:9");
    let req = Request::post("/v1/patients/{patient_id}/claims").path_param("patient_id", "usr_8921a");
    let err = t.send::<Value>(req).await.unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("testvendor POST /v1/patients/{patient_id}/claims: "), "{text}");
    assert!(!text.contains("usr_8921a"), "{text}");
    let mut depth = 0;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = cur {
        assert!(!e.to_string().contains("usr_8921a"));
        depth += 1;
        cur = e.source();
    }
    assert!(depth >= 3, "the chain goes down to the I/O error: {depth}");

    // A token endpoint that cannot be reached: Auth, with the transport error as its source.
    let source = OAuth2ClientCredentials::new("http://127.0.0.1:9/token", "id", "secret").unwrap();
    let t =
        Transport::builder("testvendor", ClientConfig::new("http://127.0.0.1:9").unwrap().retry(RetryPolicy::none()))
            .credentials(TokenCache::new(source))
            .build()
            .unwrap();
    let err = t.send::<Value>(Request::get("/v1/x")).await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(err.to_string().starts_with("testvendor GET /v1/x: authentication failed"), "{err}");
    let source = std::error::Error::source(&err).expect("the auth error has a cause");
    assert!(std::error::Error::source(source).is_some(), "and the cause has its own: {source}");
}

#[test]
fn decode_paths_show_field_names_but_not_keys_the_server_chose() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Wrapper {
        data: std::collections::HashMap<String, u32>,
    }
    let body = br#"{"data": {"Zebediah Canarywing usr_CANARY123": "x"}}"#;
    let err = carewire_core::decode_json::<Wrapper>(200, body).unwrap_err();
    assert_eq!(err.decode_path(), Some("data.?"));
    for text in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
        assert!(!text.contains("CANARY") && !text.contains("Zebediah"), "{text}");
    }
    let err = carewire_core::decode_json::<Wrapper>(200, br#"{"data": {"count": "x"}}"#).unwrap_err();
    assert_eq!(err.decode_path(), Some("data.count"), "a plain key is shown");
}
