//! OAuth2 tokens, environment configuration and client-side rate limiting.

mod common;

use std::sync::Arc;
use std::time::Duration;

use carewire_docplanner::{Client, ClientBuilder, Locale, RateLimiter};
use common::*;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn one_token_for_many_calls_and_refresh_on_401() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(wiremock::matchers::header("authorization", BASIC))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "t1", "expires_in": 3600})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "t2", "expires_in": 3600})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    Mock::given(method("GET"))
        .and(path("/api/v3/integration/facilities"))
        .and(wiremock::matchers::header("authorization", "Bearer t1"))
        .respond_with(ok_json(200, serde_json::json!({"_items": []})))
        .up_to_n_times(3)
        .expect(3)
        .mount(&server)
        .await;
    let futs: Vec<_> = (0..3).map(|_| client.facilities().list().send()).collect();
    for r in futures_util::future::join_all(futs).await {
        r.unwrap();
    }
    // The token is revoked: 401, one refresh, the retry carries the new token.
    Mock::given(method("GET"))
        .and(path("/api/v3/integration/facilities"))
        .and(wiremock::matchers::header("authorization", "Bearer t1"))
        .respond_with(error_json(401, serde_json::json!({"message": "Invalid credentials."})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/integration/facilities"))
        .and(wiremock::matchers::header("authorization", "Bearer t2"))
        .respond_with(ok_json(200, serde_json::json!({"_items": [{"id": "1"}]})))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.facilities().list().await.unwrap().items[0].id, "1");
}

#[tokio::test]
async fn credentials_in_body_style() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(body_string_contains("client_id=test-id"))
        .and(body_string_contains("client_secret=test-secret"))
        .and(body_string_contains("scope=integration"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": TOKEN, "expires_in": 3600})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).auth_style(carewire_core::auth::ClientAuthStyle::RequestBody).build().unwrap();
    api("GET", "/api/v3/integration/facilities")
        .respond_with(ok_json(200, serde_json::json!({"_items": []})))
        .mount(&server)
        .await;
    client.facilities().list().await.unwrap();
}

#[tokio::test]
async fn refused_credentials_are_auth_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": "invalid_client"})))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let err = client.facilities().list().await.unwrap_err();
    assert!(matches!(err, carewire_docplanner::Error::Auth(_)), "{err:?}");
    assert!(!format!("{err:?}").contains("test-secret"));
}

#[test]
fn environment_variables() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
    };
    let client = ClientBuilder::from_vars(vars(&[
        ("DOCPLANNER_CLIENT_ID", "id"),
        ("DOCPLANNER_CLIENT_SECRET", "secret"),
        ("DOCPLANNER_LOCALE", "es"),
    ]))
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(client.base_url().as_str(), "https://www.doctoralia.es/api/v3/integration");
    assert_eq!(client.token_url(), "https://www.doctoralia.es/oauth/v2/token");
    assert_eq!(client.locale(), Some(Locale::Es));

    let sandbox = ClientBuilder::from_vars(vars(&[
        ("DOCPLANNER_CLIENT_ID", "id"),
        ("DOCPLANNER_CLIENT_SECRET", "secret"),
        ("DOCPLANNER_BASE_URL", "http://127.0.0.1:8080/api/v3/integration"),
    ]))
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(sandbox.token_url(), "http://127.0.0.1:8080/oauth/v2/token");

    for missing in [
        &[("DOCPLANNER_CLIENT_SECRET", "s"), ("DOCPLANNER_LOCALE", "pl")][..],
        &[("DOCPLANNER_CLIENT_ID", "i"), ("DOCPLANNER_LOCALE", "pl")][..],
        &[("DOCPLANNER_CLIENT_ID", "i"), ("DOCPLANNER_CLIENT_SECRET", "s")][..],
        &[("DOCPLANNER_CLIENT_ID", "i"), ("DOCPLANNER_CLIENT_SECRET", "s"), ("DOCPLANNER_LOCALE", "xx")][..],
    ] {
        let err = ClientBuilder::from_vars(vars(missing)).unwrap_err();
        assert!(matches!(err, carewire_docplanner::Error::Config(_)));
        assert!(!err.to_string().contains("secret"));
    }
}

#[tokio::test(start_paused = true)]
async fn documented_budgets_wait_with_paused_time() {
    use carewire_core::Method;
    let limiter = carewire_docplanner::documented_rate_limiter();
    let start = tokio::time::Instant::now();
    for _ in 0..40 {
        limiter.acquire(Method::Post).await;
    }
    // Reads have their own budget.
    limiter.acquire(Method::Get).await;
    assert_eq!(start.elapsed(), Duration::ZERO);
    // The 41st write in a minute waits for the window.
    limiter.acquire(Method::Delete).await;
    assert_eq!(start.elapsed(), Duration::from_secs(60));
    for _ in 0..7_999 {
        limiter.acquire(Method::Get).await;
    }
    assert_eq!(start.elapsed(), Duration::from_secs(60));
    limiter.acquire(Method::Get).await;
    assert_eq!(start.elapsed(), Duration::from_secs(3600));
}

#[tokio::test]
async fn write_budget_waits_instead_of_earning_429() {
    let server = MockServer::start().await;
    token_mock(&server).await;
    let limiter = Arc::new(RateLimiter::new().budget(carewire_core::MethodClass::Write, 2, Duration::from_secs(1)));
    let client = builder(&server).rate_limiter(limiter).build().unwrap();
    api("POST", "/api/v3/integration/facilities/1/doctors/123/addresses/111/bookings/9/presence/patient")
        .respond_with(ResponseTemplate::new(204))
        .expect(3)
        .mount(&server)
        .await;
    let bookings = address(&client).bookings();
    let start = std::time::Instant::now();
    bookings.mark_present("9").await.unwrap();
    bookings.mark_present("9").await.unwrap();
    assert!(start.elapsed() < Duration::from_millis(900));
    bookings.mark_present("9").await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(950), "{:?}", start.elapsed());
}

#[tokio::test]
async fn remaining_zero_pauses_until_the_iso_reset_date() {
    let server = MockServer::start().await;
    token_mock(&server).await;
    let client = builder(&server).build().unwrap();
    // Docplanner sends the reset as an ISO 8601 date-time, not seconds.
    let reset = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    api("GET", "/api/v3/integration/facilities")
        .respond_with(
            ok_json(200, serde_json::json!({"_items": []}))
                .insert_header("x-ratelimit-limit", "8000")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-used", "8000")
                .insert_header("x-ratelimit-reset", reset.as_str()),
        )
        .mount(&server)
        .await;
    let start = std::time::Instant::now();
    client.facilities().list().await.unwrap();
    let rl = client.rate_limit().unwrap();
    assert_eq!((rl.limit, rl.remaining, rl.used), (Some(8000), Some(0), Some(8000)));
    assert!(rl.reset_after.is_some());
    client.facilities().list().await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(900), "{:?}", start.elapsed());
}

#[test]
fn documented_budgets_by_default() {
    let client = Client::new(Locale::Pl, "id", "secret").unwrap();
    let budgets = client.rate_limiter().unwrap().budgets();
    assert_eq!(budgets.len(), 2);
    assert!(budgets.contains(&(carewire_core::MethodClass::Read, 8000, Duration::from_secs(3600))));
    assert!(budgets.contains(&(carewire_core::MethodClass::Write, 40, Duration::from_secs(60))));
}
