//! Tokens against a local MDLIVE-shaped server: the API token (fetched once, reused, lifetime from the JWT,
//! renewed after a 401), SSO sign-in (the identity and the enterprise hash on the wire, the patient id from
//! `user.id`), session tokens (extended before expiry with the still-valid token, signed in again when
//! extension fails or the token expired, single flight per patient, a 401 renewing only that patient's
//! token) and resumed sessions.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use carewire_core::Error;
use carewire_core::subject::Clock;
use carewire_mdlive::auth::{EnterpriseHashForm, enterprise_hash};
use carewire_mdlive::{Client, CreateApiToken, CreateUserToken, Gender, PatientIdentity, Relationship};
use carewire_testkit::conformance::exchange;
use carewire_testkit::{Fault, Params, RecordedRequest, Reply, Router, TestServer};
use chrono::NaiveDate;
use common::*;
use serde_json::{Value, json};
use tokio::time::Instant;

// ---------- a hand-driven clock for session tokens ----------

#[derive(Debug, Clone)]
struct ManualClock(Arc<Mutex<Instant>>);

impl ManualClock {
    fn new() -> Self {
        Self(Arc::new(Mutex::new(Instant::now())))
    }
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        *self.0.lock().unwrap()
    }
}

// ---------- the server ----------

#[derive(Default)]
struct State {
    api_issued: Vec<String>,
    api_lifetime_secs: Option<u64>,
    api_refuse_once: HashSet<String>,
    sso: Vec<String>,
    extends: Vec<String>,
    extend_fails: bool,
    refuse_once: HashSet<String>,
}

type Shared = Arc<Mutex<State>>;

fn jwt_with(payload: &Value) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!("{}.{}.sig", b64.encode(r#"{"typ":"JWT","alg":"HS256"}"#), b64.encode(payload.to_string()))
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn bearer(req: &RecordedRequest) -> String {
    req.header("authorization").unwrap_or_default().trim_start_matches("Bearer ").to_owned()
}

fn mdlive(state: &Shared) -> TestServer {
    let (s1, s2, s3, s4, s5) = (state.clone(), state.clone(), state.clone(), state.clone(), state.clone());
    TestServer::start(
        Router::new()
            .route("POST", "/auth/auth_token", move |req: &RecordedRequest, _: &Params| {
                let body = req.json_value().unwrap_or_default();
                if body["auth"]["api_key"] != API_KEY || body["auth"]["password"] != API_PASSWORD {
                    return Reply::json(401, &json!({"error": "Invalid api credentials"}));
                }
                let mut s = s1.lock().unwrap();
                let n = s.api_issued.len() + 1;
                let exp = now_secs() + s.api_lifetime_secs.unwrap_or(3600);
                let jwt = jwt_with(&json!({"exp": exp, "aud": false, "sub": 1, "n": n}));
                s.api_issued.push(jwt.clone());
                Reply::json(200, &json!({ "jwt": jwt }))
            })
            .route("POST", "/api/v1/sso_auth/auth_token", move |req: &RecordedRequest, _: &Params| {
                let body = req.json_value().unwrap_or_default();
                let subscriber = body["auth"]["subscriber_id"].as_str().unwrap_or_default().to_owned();
                let Some(patient) = subscriber.strip_prefix("SUB-").map(str::to_owned) else {
                    return Reply::json(400, &json!({"message": "unknown subscriber"}));
                };
                let mut s = s2.lock().unwrap();
                s.sso.push(patient.clone());
                let n = s.sso.iter().filter(|p| **p == patient).count();
                let user = json!({"id": patient.parse::<i64>().unwrap(), "type": "Patient", "time_to_live_minutes": 1});
                Reply::json(200, &json!({"jwt": format!("user-{patient}-{n}"), "user": user}))
                    .delay(Duration::from_millis(30))
            })
            .route("POST", "/api/v1/sso_auth/auth_extend", move |req: &RecordedRequest, _: &Params| {
                let token = bearer(req);
                let mut s = s3.lock().unwrap();
                s.extends.push(token.clone());
                if s.extend_fails {
                    return Reply::json(401, &json!({"error": "token expired"}));
                }
                let patient = token.trim_start_matches("user-").split('-').next().unwrap_or_default().to_owned();
                let n = s.extends.len();
                let user = json!({"id": patient, "type": "Patient", "time_to_live_minutes": 1});
                Reply::json(200, &json!({"jwt": format!("user-{patient}-ext{n}"), "user": user}))
            })
            .route("GET", "/api/v1/assessments", move |req: &RecordedRequest, _: &Params| {
                let token = bearer(req);
                let mut s = s4.lock().unwrap();
                if !s.api_issued.contains(&token) || s.api_refuse_once.remove(&token) {
                    return Reply::json(401, &json!({"error": "Not authorized"}));
                }
                Reply::json(200, &json!({"assessments": [{"key": "PHQ-9", "name": "PHQ"}]}))
            })
            .route(
                "GET",
                "/api/v1/patients/{patient_id}/assessment_assignments",
                move |req: &RecordedRequest, p: &Params| {
                    let token = bearer(req);
                    let patient = p.get("patient_id").unwrap_or_default();
                    let mut s = s5.lock().unwrap();
                    let owned =
                        token.starts_with(&format!("user-{patient}-")) || token == USER_TOKEN && patient == PATIENT_ID;
                    if !owned || s.refuse_once.remove(&token) {
                        return Reply::json(401, &json!({"error": "Not authorized"}));
                    }
                    Reply::json(200, &json!({"assessment_assignments": []}))
                },
            ),
    )
}

fn identity(subscriber: &str) -> PatientIdentity {
    PatientIdentity::new("firstname", "lastname")
        .gender(Gender::Male)
        .birthdate(NaiveDate::from_ymd_opt(1960, 12, 31).unwrap())
        .subscriber_id(subscriber)
        .member_id("memberid")
        .phone("555-555-5555")
        .address("address1", "Sunrise", "FL", "33303")
        .address2("address2")
        .relationship(Relationship::Primary)
}

fn without_member_id(subscriber: &str) -> PatientIdentity {
    PatientIdentity::new("Grace", "Hopper")
        .gender(Gender::Female)
        .birthdate(NaiveDate::from_ymd_opt(1990, 1, 2).unwrap())
        .subscriber_id(subscriber)
        .phone("(954) 555-1111")
        .address("1 Main St", "Sunrise", "FL", "33303")
        .relationship(Relationship::Spouse)
}

fn requests_to(server: &TestServer, path: &str) -> Vec<RecordedRequest> {
    server.requests().into_iter().filter(|r| r.path == path).collect()
}

fn assignments_auth(server: &TestServer, patient: &str) -> Vec<String> {
    requests_to(server, &format!("/api/v1/patients/{patient}/assessment_assignments"))
        .iter()
        .map(|r| r.header("authorization").unwrap_or_default().to_owned())
        .collect()
}

fn session_client(server: &TestServer, clock: &ManualClock) -> Client {
    builder(&server.uri()).clock(clock.clone()).refresh_ahead(Duration::from_secs(10)).build().unwrap()
}

// ---------- the API token ----------

#[tokio::test]
async fn the_api_token_is_fetched_once_and_reused() {
    let state = Shared::default();
    let server = mdlive(&state);
    let client = builder(&server.uri()).build().unwrap();
    for _ in 0..5 {
        assert_eq!(client.assessments().list().await.unwrap()[0].key, "PHQ-9");
    }
    let tokens = requests_to(&server, "/auth/auth_token");
    assert_eq!(tokens.len(), 1, "one token for five calls");
    assert!(tokens[0].header("authorization").is_none(), "the token request carries no token");
    let want = json!({"auth": {"api_key": API_KEY, "password": API_PASSWORD}});
    assert_eq!(tokens[0].json_value().unwrap(), want);
    let jwt = state.lock().unwrap().api_issued[0].clone();
    for call in requests_to(&server, "/api/v1/assessments") {
        assert_eq!(call.header("authorization"), Some(format!("Bearer {jwt}").as_str()));
    }
}

#[tokio::test]
async fn the_api_token_request_has_the_documented_shape() {
    let ex = exchange(
        |base| client(base).send(CreateApiToken::new("yourapikey", "yourapipassword")),
        200,
        fixture("api_token_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/auth/auth_token").assert_json_body(&fixture_json("api_token_create.request.json"));
    assert!(ex.request.header("authorization").is_none(), "sent with no credentials");
    let token = ex.output();
    assert_eq!(token.expires_at(), Some(1_508_269_664), "the lifetime is the JWT's exp");
    assert!(!format!("{token:?}").contains("eyJ"), "Debug hides the token");
}

#[tokio::test]
async fn the_api_token_lives_until_its_jwt_exp() {
    let state = Shared::default();
    state.lock().unwrap().api_lifetime_secs = Some(2);
    let server = mdlive(&state);
    let client = builder(&server.uri()).build().unwrap();
    client.assessments().list().await.unwrap();
    client.assessments().list().await.unwrap();
    assert_eq!(requests_to(&server, "/auth/auth_token").len(), 1);
    // A 2 s token is renewed half-way through its life, not on every call and not after an hour.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.assessments().list().await.unwrap();
    assert_eq!(requests_to(&server, "/auth/auth_token").len(), 2, "renewed from the JWT's exp");
}

#[tokio::test]
async fn a_refused_api_token_is_renewed_once() {
    let state = Shared::default();
    let server = mdlive(&state);
    let client = builder(&server.uri()).build().unwrap();
    client.assessments().list().await.unwrap();
    let first = state.lock().unwrap().api_issued[0].clone();
    state.lock().unwrap().api_refuse_once.insert(first);
    client.assessments().list().await.unwrap();
    assert_eq!(requests_to(&server, "/auth/auth_token").len(), 2, "a 401 fetched a new token");
    let calls = requests_to(&server, "/api/v1/assessments");
    assert_eq!(calls.len(), 3, "the refused call was retried once");
    let second = state.lock().unwrap().api_issued[1].clone();
    assert_eq!(calls[2].header("authorization"), Some(format!("Bearer {second}").as_str()));
}

#[tokio::test]
async fn wrong_api_credentials_are_an_auth_error() {
    let state = Shared::default();
    let server = mdlive(&state);
    let client = builder(&server.uri()).password("wrong-password-value").build().unwrap();
    let err = client.assessments().list().await.unwrap_err();
    assert!(matches!(err, Error::Auth(ref a) if a.status() == Some(401)), "{err:?}");
    assert!(!err.to_string().contains("wrong-password-value") && !format!("{err:?}").contains("wrong-password-value"));
    assert!(requests_to(&server, "/api/v1/assessments").is_empty(), "nothing sent without a token");
}

#[tokio::test]
async fn token_requests_go_through_a_transport_with_retries_and_limits() {
    let state = Shared::default();
    let server = mdlive(&state);
    server.inject(Fault::status(503).on("POST", "/auth/auth_token"));
    server.inject(Fault::html(502).on("POST", "/api/v1/sso_auth/auth_token"));
    let client = builder(&server.uri()).build().unwrap();
    client.assessments().list().await.unwrap();
    assert_eq!(requests_to(&server, "/auth/auth_token").len(), 2, "the 503 was retried");
    client.sign_in(identity("SUB-101")).await.unwrap();
    assert_eq!(requests_to(&server, "/api/v1/sso_auth/auth_token").len(), 2, "the HTML 502 was retried");
    // A token answer that is not a token is an auth error, never a panic.
    server.inject(Fault::malformed_body().on("POST", "/api/v1/sso_auth/auth_token"));
    let err = client.sign_in(identity("SUB-202")).await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    let tiny = builder(&server.uri()).max_response_bytes(16).build().unwrap();
    let err = tiny.assessments().list().await.unwrap_err();
    assert!(matches!(err, Error::Auth(ref a) if matches!(a.cause(), Some(Error::TooLarge(_)))), "{err:?}");
}

// ---------- sign-in and the enterprise hash ----------

#[tokio::test]
async fn the_sign_in_request_reproduces_the_documented_example() {
    let doc_hash = "YTBmNjVlNzFlODJlNmU3ZGQ5NjZlZDExODlhYTE2MDhmZWY4NDVmYTQ0ZmZkMmI0NzFlOGMyMWQ4ZWM3N2FjZg==";
    let op = CreateUserToken::new(identity("subscriberid"), OU, API_KEY, API_PASSWORD)
        .enterprise_hash(Some("1509727623.5845659".to_owned()), doc_hash);
    let ex = exchange(|base| client(base).send(op), 200, fixture("user_token_create.response.json").as_bytes()).await;
    ex.assert_wire("POST", "/api/v1/sso_auth/auth_token")
        .assert_json_body(&fixture_json("user_token_create.request.json"));
    assert!(ex.request.header("authorization").is_none());
    let token = ex.output();
    assert_eq!(token.patient_id(), Some("52"));
    assert_eq!(token.lifetime(), Duration::from_secs(3600), "time_to_live_minutes: 60");
}

#[tokio::test]
async fn a_sign_in_answer_without_a_patient_id_is_an_error() {
    let op = CreateUserToken::new(identity("subscriberid"), OU, API_KEY, API_PASSWORD);
    let ex = exchange(|base| client(base).send(op), 200, br#"{"jwt": "user-token"}"#).await;
    assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", ex.output);
}

#[tokio::test]
async fn sign_in_returns_a_session_for_the_user_id() {
    let state = Shared::default();
    let server = mdlive(&state);
    let client = builder(&server.uri()).build().unwrap();
    let session = client.sign_in(identity("SUB-101")).await.unwrap();
    assert_eq!(session.patient_id(), "101");
    assert!(session.can_sign_in_again());
    session.assessments().assignments().await.unwrap();
    assert_eq!(assignments_auth(&server, "101"), vec!["Bearer user-101-1".to_owned()]);
    let sso = &requests_to(&server, "/api/v1/sso_auth/auth_token")[0];
    let body = sso.json_value().unwrap();
    assert_eq!(body["org"], json!({"ou": OU}), "no enterprise secret: no timestamp, no hash");
    assert_eq!(body["api"], json!({"api_key": API_KEY, "password": API_PASSWORD}));
    assert_eq!(body["auth"]["subscriber_id"], "SUB-101");
    assert!(requests_to(&server, "/auth/auth_token").is_empty(), "a patient call needs no API token");
}

#[tokio::test]
async fn the_enterprise_hash_is_computed_over_the_sent_timestamp() {
    for (form, secret) in
        [(EnterpriseHashForm::Base64OfHex, "shared-secret"), (EnterpriseHashForm::Base64OfRaw, "other")]
    {
        let state = Shared::default();
        let server = mdlive(&state);
        let client = builder(&server.uri()).enterprise_secret(secret).enterprise_hash_form(form).build().unwrap();
        client.sign_in(identity("SUB-7")).await.unwrap();
        let body = requests_to(&server, "/api/v1/sso_auth/auth_token")[0].json_value().unwrap();
        let ts = body["org"]["request_timestamp"].as_str().expect("a string timestamp");
        let (secs, fraction) = ts.split_once('.').expect("seconds with a fraction");
        assert!(secs.parse::<u64>().unwrap().abs_diff(now_secs()) < 60, "{ts}");
        assert_eq!(fraction.len(), 7, "{ts}");
        let want = enterprise_hash("memberid", ts, secret, form).unwrap();
        assert_eq!(body["org"]["enterprise_hash"], want.as_str(), "{form:?}");
    }
}

#[test]
fn enterprise_hash_forms_match_an_independent_computation() {
    // printf '%s' 'M-10011509727623.5845659shared-secret' | sha256sum, then base64 of the hex text or the bytes.
    let hex = enterprise_hash("M-1001", "1509727623.5845659", "shared-secret", EnterpriseHashForm::Base64OfHex);
    assert_eq!(
        hex.unwrap(),
        "NmE0ZGUzN2E3YTg2NjUzODFmMzhkOGFjMGU1YWJiZDE0NmEwYzBjZmMyYzZhZmEzYzViZTk2MTBmZjAyODlhMw=="
    );
    let raw = enterprise_hash("M-1001", "1509727623.5845659", "shared-secret", EnterpriseHashForm::Base64OfRaw);
    assert_eq!(raw.unwrap(), "ak3jenqGZTgfONisDlq70UagwM/Cxq+jxb6WEP8CiaM=");
    // The doc's example is the Base64 of a 64-character lowercase hex digest.
    let doc = base64::engine::general_purpose::STANDARD
        .decode("YTBmNjVlNzFlODJlNmU3ZGQ5NjZlZDExODlhYTE2MDhmZWY4NDVmYTQ0ZmZkMmI0NzFlOGMyMWQ4ZWM3N2FjZg==")
        .unwrap();
    assert!(doc.len() == 64 && doc.iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)));
}

#[tokio::test]
async fn a_hash_without_a_member_id_is_refused_before_sending() {
    let state = Shared::default();
    let server = mdlive(&state);
    let client = builder(&server.uri()).enterprise_secret("shared-secret").build().unwrap();
    let err = client.sign_in(without_member_id("SUB-8")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "auth.member_id"), "{err:?}");
    // A missing required field is named too.
    let err = client.sign_in(PatientIdentity::new("a", "b")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "auth.gender"), "{err:?}");
    assert_eq!(server.received_total(), 0, "nothing was sent");
}

#[tokio::test]
async fn a_fixed_enterprise_hash_is_sent_as_is() {
    let state = Shared::default();
    let server = mdlive(&state);
    let client = builder(&server.uri()).fixed_enterprise_hash("issued-hash==").build().unwrap();
    client.sign_in(without_member_id("SUB-9")).await.unwrap();
    let body = requests_to(&server, "/api/v1/sso_auth/auth_token")[0].json_value().unwrap();
    assert_eq!(body["org"], json!({"ou": OU, "enterprise_hash": "issued-hash=="}));
}

#[tokio::test]
async fn a_refused_sign_in_is_an_auth_error_with_the_status() {
    let state = Shared::default();
    let server = mdlive(&state);
    let client = builder(&server.uri()).build().unwrap();
    let err = client.sign_in(identity("NOPE")).await.unwrap_err();
    assert!(matches!(err, Error::Auth(ref a) if a.status() == Some(400)), "{err:?}");
}

// ---------- session tokens ----------

#[tokio::test]
async fn a_session_token_is_extended_before_it_expires_with_the_still_valid_token() {
    let state = Shared::default();
    let server = mdlive(&state);
    let clock = ManualClock::new();
    let client = session_client(&server, &clock);
    let session = client.sign_in(identity("SUB-101")).await.unwrap();
    session.assessments().assignments().await.unwrap();
    // TTL 60 s, renewed 10 s ahead: at 55 s the token is still valid, so it is extended.
    clock.advance(Duration::from_secs(55));
    session.assessments().assignments().await.unwrap();
    let extends = requests_to(&server, "/api/v1/sso_auth/auth_extend");
    assert_eq!(extends.len(), 1);
    assert_eq!(extends[0].header("authorization"), Some("Bearer user-101-1"), "the still-valid token");
    assert_eq!(extends[0].json_value().unwrap(), fixture_json("user_token_extend.request.json"));
    assert_eq!(state.lock().unwrap().sso.len(), 1, "extended, not signed in again");
    assert_eq!(
        assignments_auth(&server, "101"),
        vec!["Bearer user-101-1".to_owned(), "Bearer user-101-ext1".to_owned()]
    );
}

#[tokio::test]
async fn an_expired_or_unextendable_token_signs_the_patient_in_again() {
    let state = Shared::default();
    let server = mdlive(&state);
    let clock = ManualClock::new();
    let client = session_client(&server, &clock);
    let session = client.sign_in(identity("SUB-101")).await.unwrap();
    // Past expiry: nothing to extend; the stored identity signs in again.
    clock.advance(Duration::from_secs(120));
    session.assessments().assignments().await.unwrap();
    assert_eq!(state.lock().unwrap().sso, vec!["101".to_owned(), "101".to_owned()]);
    assert!(requests_to(&server, "/api/v1/sso_auth/auth_extend").is_empty());
    // Inside the refresh window, a failed extension falls back to signing in again.
    state.lock().unwrap().extend_fails = true;
    clock.advance(Duration::from_secs(55));
    session.assessments().assignments().await.unwrap();
    assert_eq!(requests_to(&server, "/api/v1/sso_auth/auth_extend").len(), 1);
    assert_eq!(state.lock().unwrap().sso.len(), 3);
    assert_eq!(assignments_auth(&server, "101").last().map(String::as_str), Some("Bearer user-101-3"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_renew_each_patient_once() {
    let state = Shared::default();
    let server = mdlive(&state);
    let clock = ManualClock::new();
    let client = session_client(&server, &clock);
    let ada = client.sign_in(identity("SUB-101")).await.unwrap();
    let bob = client.sign_in(identity("SUB-202")).await.unwrap();
    clock.advance(Duration::from_secs(120));
    let mut tasks = Vec::new();
    for i in 0..40 {
        let session = if i % 2 == 0 { ada.clone() } else { bob.clone() };
        tasks.push(tokio::spawn(async move { session.assessments().assignments().await }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let sso = state.lock().unwrap().sso.clone();
    assert_eq!(sso.iter().filter(|p| *p == "101").count(), 2, "{sso:?}");
    assert_eq!(sso.iter().filter(|p| *p == "202").count(), 2, "{sso:?}");
}

#[tokio::test]
async fn a_401_renews_only_that_patients_token() {
    let state = Shared::default();
    let server = mdlive(&state);
    let clock = ManualClock::new();
    let client = session_client(&server, &clock);
    let ada = client.sign_in(identity("SUB-101")).await.unwrap();
    let bob = client.sign_in(identity("SUB-202")).await.unwrap();
    state.lock().unwrap().refuse_once.insert("user-101-1".to_owned());
    ada.assessments().assignments().await.unwrap();
    bob.assessments().assignments().await.unwrap();
    assert_eq!(assignments_auth(&server, "101"), vec!["Bearer user-101-1".to_owned(), "Bearer user-101-2".to_owned()]);
    assert_eq!(assignments_auth(&server, "202"), vec!["Bearer user-202-1".to_owned()], "bob kept his token");
    assert_eq!(state.lock().unwrap().sso, vec!["101".to_owned(), "202".to_owned(), "101".to_owned()]);
}

#[tokio::test]
async fn a_resumed_session_is_extended_but_cannot_sign_in_again() {
    let state = Shared::default();
    let server = mdlive(&state);
    let clock = ManualClock::new();
    let client = session_client(&server, &clock);
    let session = client.resume_session("303", "user-303-saved", Duration::from_secs(60)).unwrap();
    assert!(!session.can_sign_in_again());
    session.assessments().assignments().await.unwrap();
    clock.advance(Duration::from_secs(55));
    session.assessments().assignments().await.unwrap();
    assert_eq!(
        requests_to(&server, "/api/v1/sso_auth/auth_extend")[0].header("authorization"),
        Some("Bearer user-303-saved")
    );
    assert_eq!(assignments_auth(&server, "303").last().map(String::as_str), Some("Bearer user-303-ext1"));
    // Past expiry, with no identity to sign in with: a typed auth error, and no patient call.
    clock.advance(Duration::from_secs(120));
    let before = assignments_auth(&server, "303").len();
    let err = session.assessments().assignments().await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(err.to_string().contains("resumed"), "{err}");
    assert_eq!(assignments_auth(&server, "303").len(), before);
    assert!(state.lock().unwrap().sso.is_empty());
    // Bad resumptions are refused.
    assert!(matches!(client.resume_session(" ", "t", Duration::from_secs(1)), Err(Error::InvalidRequest { .. })));
    assert!(matches!(client.resume_session("1", "", Duration::from_secs(1)), Err(Error::InvalidRequest { .. })));
}

#[tokio::test]
async fn signing_out_forgets_the_token_and_the_identity() {
    let state = Shared::default();
    let server = mdlive(&state);
    let client = builder(&server.uri()).build().unwrap();
    let session = client.sign_in(identity("SUB-101")).await.unwrap();
    session.sign_out();
    assert!(!session.can_sign_in_again());
    let err = session.assessments().assignments().await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(assignments_auth(&server, "101").is_empty());
}

#[tokio::test]
async fn a_patient_call_without_a_session_is_refused_before_sending() {
    let state = Shared::default();
    let server = mdlive(&state);
    let client = builder(&server.uri()).build().unwrap();
    let err = client.send(carewire_mdlive::ListAssessmentAssignments::new("101")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "subject"), "{err:?}");
    assert_eq!(server.received_total(), 0);
}
