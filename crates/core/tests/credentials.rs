//! Credentials through the transport: token invalidation and retry on a 401, static keys, the OAuth2
//! client-credentials grant (both client-auth styles, failures as auth errors, token requests sent through a
//! transport of their own) and credentials never following a redirect to another host.

use carewire_core::BoxFuture;

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use carewire_core::auth::{BearerToken, ClientAuthStyle, OAuth2ClientCredentials, Token, TokenCache, TokenSource};
use carewire_core::secret::ExposeSecret;
use carewire_core::{ClientConfig, Error, Request, RetryPolicy, Transport};
use serde_json::{Value, json};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Debug, Default)]
struct Counting(Arc<AtomicU32>);

impl TokenSource for Counting {
    fn fetch(&self) -> BoxFuture<'_, carewire_core::Result<Token>> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(Token::new(format!("tok{n}"), Some(Duration::from_secs(3600))))
        })
    }
}

fn config(base: &str) -> ClientConfig {
    ClientConfig::new(base).unwrap().retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
}

fn transport(base: &str) -> Transport {
    Transport::builder("testvendor", config(base))
        .credentials(BearerToken::new("sk_test_secret").unwrap())
        .build()
        .unwrap()
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn a_401_invalidates_the_token_and_retries_once() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer tok1")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    Mock::given(header("authorization", "Bearer tok2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": 1})))
        .mount(&server)
        .await;
    let src = Counting::default();
    let t = Transport::builder("v", config(&server.uri())).credentials(TokenCache::new(src.clone())).build().unwrap();
    // Even a POST: the server refused it before processing.
    let v: Value = t.send(Request::post("/x")).await.unwrap();
    assert_eq!(v["ok"], 1);
    assert_eq!(src.0.load(Ordering::SeqCst), 2);
    assert_eq!(received(&server).await.len(), 2);

    // Always 401: one refresh, then the error.
    server.reset().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let err = t.send::<Value>(Request::get("/x")).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(received(&server).await.len(), 2);
    assert_eq!(src.0.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn static_keys_are_not_retried_on_401() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let err = transport(&server.uri()).send::<Value>(Request::get("/x")).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn oauth2_client_credentials_basic_and_body_styles() {
    let server = MockServer::start().await;
    // base64("id:s3cret") = aWQ6czNjcmV0
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(header("authorization", "Basic aWQ6czNjcmV0"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials&scope=integration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "AT1", "token_type": "bearer"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token2"))
        .and(body_string("grant_type=client_credentials&client_id=id&client_secret=s3cret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "AT2", "expires_in": "7200"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/refused"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_client", "error_description": "Jane"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/html"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html></html>", "text/html"))
        .mount(&server)
        .await;
    let basic = OAuth2ClientCredentials::new(&format!("{}/oauth/v2/token", server.uri()), "id", "s3cret")
        .unwrap()
        .scope("integration");
    let t = basic.fetch().await.unwrap();
    assert_eq!(t.expires_in, Some(Duration::from_secs(3600)), "absent expires_in defaults to an hour");
    let body = OAuth2ClientCredentials::new(&format!("{}/oauth/v2/token2", server.uri()), "id", "s3cret")
        .unwrap()
        .auth_style(ClientAuthStyle::RequestBody);
    let t = body.fetch().await.unwrap();
    assert_eq!(t.expires_in, Some(Duration::from_secs(7200)));
    let refused = OAuth2ClientCredentials::new(&format!("{}/oauth/v2/refused", server.uri()), "id", "s3cret").unwrap();
    let err = refused.fetch().await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert_eq!(err.status(), Some(400));
    assert!(!format!("{err} {err:?}").contains("s3cret"));
    let html = OAuth2ClientCredentials::new(&format!("{}/oauth/v2/html", server.uri()), "id", "s3cret").unwrap();
    assert!(matches!(html.fetch().await.unwrap_err(), Error::Auth(_)));
    server.verify().await;

    // Through the cache and the transport, failures surface as Error::Auth.
    let t = Transport::builder("v", config(&server.uri())).credentials(TokenCache::new(refused)).build().unwrap();
    assert!(matches!(t.send::<Value>(Request::get("/x")).await.unwrap_err(), Error::Auth(_)));
}

#[tokio::test]
async fn token_requests_go_through_a_transport_with_its_retries_and_settings() {
    let server = MockServer::start().await;
    // The first answer is a transient 503: the token request is retried, like any call.
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("user-agent", "acme-integration/2"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "tok", "expires_in": 60})))
        .mount(&server)
        .await;
    let settings = carewire_core::Settings::default()
        .user_agent("acme-integration/2")
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)));
    let source = OAuth2ClientCredentials::new(&format!("{}/oauth/token", server.uri()), "id", "s3cret")
        .unwrap()
        .settings(settings)
        .vendor("acme");
    let token = source.fetch().await.unwrap();
    assert_eq!(token.value.expose_secret(), "tok");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // A refusal names the token call, never the secret.
    let refused =
        OAuth2ClientCredentials::new(&format!("{}/nope", server.uri()), "id", "s3cret").unwrap().vendor("acme");
    let err = refused.fetch().await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    let mut text = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        let _ = write!(text, " / {cause}");
        source = cause.source();
    }
    assert!(text.contains("acme POST /nope"), "{text}");
    assert!(!text.contains("s3cret"));
}

#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_host() {
    let a = MockServer::start().await;
    let b = MockServer::start().await;
    Mock::given(path("/away"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/steal", b.uri()).as_str()))
        .mount(&a)
        .await;
    Mock::given(path("/here"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/there"))
        .mount(&a)
        .await;
    Mock::given(path("/there"))
        .and(header("authorization", "Bearer sk_test_secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&a)
        .await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&b).await;
    let t = transport(&a.uri());
    let err = t.send::<Value>(Request::get("/away")).await.unwrap_err();
    assert_eq!(err.status(), Some(302));
    assert!(received(&b).await.is_empty(), "nothing may reach the other host");
    let v: Value = t.send(Request::get("/here")).await.unwrap();
    assert_eq!(v["ok"], true);
}
