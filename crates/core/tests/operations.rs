//! Operations as data through the transport: per-call options, one pagination for every list, and
//! credential scopes shaped like MDLIVE's (an API token for catalogue calls, a per-patient SSO token with a
//! lifetime in minutes, extended while still valid, a 401 on one patient's token refetching only that one).

use carewire_core::BoxFuture;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use carewire_core::auth::{Token, TokenCache, TokenSource};
use carewire_core::operation::{Call, Encodings, Operation, Paginated, Pagination, Scope, Spec};
use carewire_core::pagination::{Page, PageRequest, Strategy};
use carewire_core::secret::{ExposeSecret, SecretString};
use carewire_core::subject::{Clock, SubjectTokenCache, SubjectTokenSource};
use carewire_core::{ClientConfig, Error, RawResponse, Request, Result, RetryPolicy, Transport};
use futures_util::TryStreamExt;
use serde_json::{Value, json};
use tokio::time::Instant;
use wiremock::matchers::{header, method, path, path_regex};
use wiremock::{Mock, MockServer, Request as WmRequest, ResponseTemplate};

// ---------- a few operations ----------

#[derive(Clone, Debug)]
struct ListProviders {
    per_page: u32,
}

impl Operation for ListProviders {
    type Output = Value;
    const SPEC: Spec = Spec::get("/api/v1/providers").name("providers.search").paginated(Pagination::PageNumber);
    fn request(&self, enc: &Encodings) -> Result<Request> {
        self.page_request(&PageRequest::Number { page: 1, per_page: self.per_page }, enc)
    }
    fn decode(&self, raw: RawResponse) -> Result<Value> {
        raw.json()
    }
}

impl Paginated for ListProviders {
    type Item = Value;
    fn strategy(&self) -> Strategy {
        Strategy::PageNumber { first: 1, per_page: self.per_page }
    }
    fn page_request(&self, page: &PageRequest, _enc: &Encodings) -> Result<Request> {
        let PageRequest::Number { page, per_page } = page else {
            return Err(Error::invalid_request("page", "page-number pagination only"));
        };
        Ok(Self::SPEC.request().query("page", page).query("per_page", per_page))
    }
    fn into_page(output: Value) -> Page<Value> {
        Page::new(output["providers"].as_array().cloned().unwrap_or_default())
    }
}

#[derive(Clone, Debug)]
struct PatientAllergies;

impl Operation for PatientAllergies {
    type Output = Value;
    const SPEC: Spec =
        Spec::get("/api/v1/patients/{patient_id}/allergies").name("allergies.list").scope(Scope::Subject);
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        // MDLIVE's `{patient_id}` is the id its sign-in answered with; the subject is whom we signed in.
        Ok(Self::SPEC.request().path_param("patient_id", "7"))
    }
    fn decode(&self, raw: RawResponse) -> Result<Value> {
        raw.json()
    }
}

#[derive(Clone, Debug)]
struct CreateAppointment;

impl Operation for CreateAppointment {
    type Output = Value;
    const SPEC: Spec = Spec::post("/api/v1/appointments").name("appointments.create").json();
    fn request(&self, enc: &Encodings) -> Result<Request> {
        Ok(enc.body(Self::SPEC.request(), &json!({"appointment": {"provider_id": 1}})))
    }
    fn decode(&self, raw: RawResponse) -> Result<Value> {
        raw.json()
    }
}

/// An endpoint that takes either token (MDLIVE's provider profile).
#[derive(Clone, Debug)]
struct ProviderProfile;

impl Operation for ProviderProfile {
    type Output = Value;
    const SPEC: Spec =
        Spec::get("/api/v2/providers/{id}/profile").name("providers.profile").scope(Scope::SubjectOrClient);
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request().path_param("id", 4))
    }
    fn decode(&self, raw: RawResponse) -> Result<Value> {
        raw.json()
    }
}

// ---------- a hand-driven clock ----------

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

// ---------- MDLIVE-shaped token sources, sending through a transport ----------

/// `POST /auth/auth_token` → `{"jwt"}` (the lifetime is in the JWT; a fixed hour here).
#[derive(Debug)]
struct ApiToken {
    tokens: Transport,
}

impl TokenSource for ApiToken {
    fn fetch(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(async move {
            let req = Request::post("/auth/auth_token")
                .scope(Scope::None)
                .json(&json!({"auth": {"api_key": "key", "password": "pw"}}));
            let v: Value = self.tokens.send(req).await?;
            Ok(Token::new(v["jwt"].as_str().unwrap_or_default().to_owned(), Some(Duration::from_secs(3600))))
        })
    }
}

/// `POST /api/v1/sso_auth/auth_token` per patient; `POST /api/v1/sso_auth/auth_extend` with the still
/// valid token.
#[derive(Debug)]
struct SsoToken {
    tokens: Transport,
}

fn user_token(v: &Value) -> Token {
    let minutes = v["time_to_live_minutes"].as_u64().unwrap_or(0);
    Token::new(v["jwt"].as_str().unwrap_or_default().to_owned(), Some(Duration::from_secs(minutes * 60)))
}

impl SubjectTokenSource for SsoToken {
    fn fetch<'a>(&'a self, patient: &'a str) -> BoxFuture<'a, Result<Token>> {
        Box::pin(async move {
            let req = Request::post("/api/v1/sso_auth/auth_token")
                .scope(Scope::None)
                .json(&json!({"auth": {"unique_id": patient}, "org": {"ou": "acme"}}));
            Ok(user_token(&self.tokens.send(req).await?))
        })
    }
    fn extend<'a>(&'a self, _patient: &'a str, current: &'a SecretString) -> BoxFuture<'a, Result<Option<Token>>> {
        Box::pin(async move {
            let req = Request::post("/api/v1/sso_auth/auth_extend")
                .scope(Scope::None)
                .header("authorization", format!("Bearer {}", current.expose_secret()));
            Ok(Some(user_token(&self.tokens.send(req).await?)))
        })
    }
}

/// A server that issues tokens and checks them; counts every token request.
#[derive(Default)]
struct Counts {
    api: AtomicU32,
    sso: Mutex<Vec<String>>,
    extend: AtomicU32,
}

async fn mdlive_like() -> (MockServer, Arc<Counts>) {
    let server = MockServer::start().await;
    let counts = Arc::new(Counts::default());
    let c = Arc::clone(&counts);
    Mock::given(method("POST"))
        .and(path("/auth/auth_token"))
        .respond_with(move |_: &WmRequest| {
            let n = c.api.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(json!({"jwt": format!("api-{n}")}))
        })
        .mount(&server)
        .await;
    let c = Arc::clone(&counts);
    Mock::given(method("POST"))
        .and(path("/api/v1/sso_auth/auth_token"))
        .respond_with(move |r: &WmRequest| {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or_default();
            let patient = body["auth"]["unique_id"].as_str().unwrap_or("?").to_owned();
            let mut sso = c.sso.lock().unwrap();
            sso.push(patient.clone());
            let n = sso.iter().filter(|p| **p == patient).count();
            ResponseTemplate::new(200)
                .set_body_json(
                    json!({"jwt": format!("user-{patient}-{n}"), "user": {"id": 7}, "time_to_live_minutes": 1}),
                )
                .set_delay(Duration::from_millis(20))
        })
        .mount(&server)
        .await;
    let c = Arc::clone(&counts);
    Mock::given(method("POST"))
        .and(path("/api/v1/sso_auth/auth_extend"))
        .respond_with(move |r: &WmRequest| {
            let n = c.extend.fetch_add(1, Ordering::SeqCst) + 1;
            let auth = r.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
            let patient = auth.trim_start_matches("Bearer user-").split('-').next().unwrap_or("?").to_owned();
            ResponseTemplate::new(200)
                .set_body_json(json!({"jwt": format!("user-{patient}-ext{n}"), "time_to_live_minutes": 1}))
        })
        .mount(&server)
        .await;
    (server, counts)
}

fn clients(server: &MockServer, clock: &ManualClock) -> Transport {
    let config = || {
        ClientConfig::new(&server.uri()).unwrap().retry(
            RetryPolicy::default().initial_backoff(Duration::from_millis(1)).max_backoff(Duration::from_millis(2)),
        )
    };
    let tokens = Transport::builder("mdlive", config()).build().unwrap();
    let api = TokenCache::new(ApiToken { tokens: tokens.clone() });
    let sso = SubjectTokenCache::new(SsoToken { tokens }).refresh_ahead(Duration::from_secs(10)).clock(clock.clone());
    Transport::builder("mdlive", config()).credentials(api).subject_credentials(Arc::new(sso)).build().unwrap()
}

async fn authorization_of(server: &MockServer, path_part: &str) -> Vec<String> {
    let reqs = server.received_requests().await.unwrap_or_default();
    reqs.iter()
        .filter(|r| r.url.path().contains(path_part))
        .filter_map(|r| r.headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn api_token_for_catalogue_calls_is_fetched_once_and_reused() {
    let (server, counts) = mdlive_like().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/providers"))
        .and(header("authorization", "Bearer api-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"providers": []})))
        .mount(&server)
        .await;
    let t = clients(&server, &ManualClock::new());
    for _ in 0..5 {
        let _ = Call::new(t.clone(), ListProviders { per_page: 10 }).send().await.unwrap();
    }
    assert_eq!(counts.api.load(Ordering::SeqCst), 1);
    assert!(counts.sso.lock().unwrap().is_empty(), "no patient token for a catalogue call");
}

#[tokio::test]
async fn patient_tokens_single_flight_extend_refetch_and_401_per_patient() {
    let (server, counts) = mdlive_like().await;
    // Patient calls accept the calling patient's current token; `user-bob-1` is refused once.
    let refused = Arc::new(AtomicU32::new(0));
    let r = Arc::clone(&refused);
    Mock::given(method("GET"))
        .and(path_regex(r"^/api/v1/patients/[^/]+/allergies$"))
        .respond_with(move |req: &WmRequest| {
            let auth = req.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
            if auth == "Bearer user-bob-1" && r.fetch_add(1, Ordering::SeqCst) == 0 {
                return ResponseTemplate::new(401).set_body_json(json!({"error": "expired"}));
            }
            if auth.starts_with("Bearer user-") {
                ResponseTemplate::new(200).set_body_json(json!({"allergies": []}))
            } else {
                ResponseTemplate::new(403)
            }
        })
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let t = clients(&server, &clock);
    let call = |patient: &str| Call::new(t.clone(), PatientAllergies).subject(patient.to_owned()).send();

    // 50 concurrent calls for ada: one sign-in.
    let futs: Vec<_> = (0..50).map(|_| tokio::spawn(call("ada"))).collect();
    for f in futs {
        f.await.unwrap().unwrap();
    }
    assert_eq!(*counts.sso.lock().unwrap(), vec!["ada".to_owned()]);

    // Inside the refresh window (TTL 60 s, refreshed 10 s ahead) but still valid: extended, not re-signed.
    clock.advance(Duration::from_secs(55));
    call("ada").await.unwrap();
    assert_eq!(counts.extend.load(Ordering::SeqCst), 1);
    assert_eq!(counts.sso.lock().unwrap().len(), 1);
    assert_eq!(authorization_of(&server, "/auth_extend").await, vec!["Bearer user-ada-1".to_owned()]);

    // Past expiry: extension is no longer possible, so the stored identity signs in again.
    clock.advance(Duration::from_secs(120));
    call("ada").await.unwrap();
    assert_eq!(counts.sso.lock().unwrap().iter().filter(|p| *p == "ada").count(), 2);
    assert_eq!(counts.extend.load(Ordering::SeqCst), 1);

    // A 401 on bob's token refetches bob's only; ada's token is untouched.
    call("bob").await.unwrap();
    let sso = counts.sso.lock().unwrap().clone();
    assert_eq!(sso.iter().filter(|p| *p == "bob").count(), 2, "{sso:?}");
    assert_eq!(sso.iter().filter(|p| *p == "ada").count(), 2, "{sso:?}");
    let before = counts.sso.lock().unwrap().len();
    call("ada").await.unwrap();
    assert_eq!(counts.sso.lock().unwrap().len(), before, "ada kept her token");
    assert_eq!(counts.api.load(Ordering::SeqCst), 0, "no API token was needed");
}

#[tokio::test]
async fn an_either_token_operation_uses_the_subjects_when_named_else_the_clients() {
    let (server, counts) = mdlive_like().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/providers/4/profile"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"provider_details": {"id": 4}})))
        .mount(&server)
        .await;
    let t = clients(&server, &ManualClock::new());
    Call::new(t.clone(), ProviderProfile).send().await.unwrap();
    Call::new(t, ProviderProfile).subject("ada").send().await.unwrap();
    assert_eq!(authorization_of(&server, "/profile").await, vec!["Bearer api-1", "Bearer user-ada-1"]);
    assert_eq!((counts.api.load(Ordering::SeqCst), counts.sso.lock().unwrap().len()), (1, 1));
}

#[tokio::test]
async fn a_subject_operation_without_a_subject_is_refused_before_sending() {
    let (server, _) = mdlive_like().await;
    let t = clients(&server, &ManualClock::new());
    let err = Call::new(t, PatientAllergies).send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "subject"), "{err:?}");
    assert!(server.received_requests().await.unwrap_or_default().is_empty());
}

#[tokio::test]
async fn per_call_options_reach_the_wire() {
    let (server, _) = mdlive_like().await;
    let attempts = Arc::new(AtomicU32::new(0));
    let a = Arc::clone(&attempts);
    Mock::given(method("POST"))
        .and(path("/api/v1/appointments"))
        .respond_with(move |_: &WmRequest| {
            if a.fetch_add(1, Ordering::SeqCst) == 0 {
                ResponseTemplate::new(503)
            } else {
                ResponseTemplate::new(201)
                    .insert_header("x-request-id", "req_9")
                    .set_body_json(json!({"appointment": {"id": 42}}))
            }
        })
        .mount(&server)
        .await;
    let t = clients(&server, &ManualClock::new());
    let resp = Call::new(t.clone(), CreateAppointment)
        .idempotency_key("appt-key-1")
        .header("x-trace", "t-1")
        .retry(RetryPolicy::default().max_retries(3).initial_backoff(Duration::from_millis(1)))
        .timeout(Duration::from_secs(5))
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(resp.data["appointment"]["id"], 42);
    assert_eq!(resp.meta.status, 201);
    assert_eq!(resp.meta.request_id.as_deref(), Some("req_9"));
    assert_eq!(resp.meta.attempts, 2, "the key made the POST safe to retry");
    let reqs = server.received_requests().await.unwrap_or_default();
    let posts: Vec<_> = reqs.iter().filter(|r| r.url.path() == "/api/v1/appointments").collect();
    assert_eq!(posts.len(), 2);
    for p in &posts {
        assert_eq!(p.headers.get("idempotency-key").unwrap(), "appt-key-1");
        assert_eq!(p.headers.get("x-trace").unwrap(), "t-1");
        assert_eq!(p.headers.get("authorization").unwrap(), "Bearer api-1");
    }

    // Without a key, the same POST is not retried; and a per-call timeout bounds the call.
    Mock::given(method("POST"))
        .and(path("/api/v1/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let err = t.send::<Value>(Request::post("/api/v1/slow").timeout(Duration::from_millis(200))).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "the call's own timeout applied");
}

#[tokio::test]
async fn every_list_streams_pages_and_collects_at_most_n() {
    let (server, _) = mdlive_like().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/providers"))
        .respond_with(|r: &WmRequest| {
            let q = |k: &str| r.url.query_pairs().find(|(n, _)| n == k).and_then(|(_, v)| v.parse::<usize>().ok());
            let (page, per) = (q("page").unwrap_or(1), q("per_page").unwrap_or(10));
            let all: Vec<Value> = (1..=7).map(|i| json!({"id": i})).collect();
            let items: Vec<Value> = all.into_iter().skip((page - 1) * per).take(per).collect();
            ResponseTemplate::new(200).set_body_json(json!({"providers": items}))
        })
        .mount(&server)
        .await;
    let t = clients(&server, &ManualClock::new());
    let ids: Vec<i64> = Call::new(t.clone(), ListProviders { per_page: 3 })
        .stream()
        .map_ok(|v| v["id"].as_i64().unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, vec![1, 2, 3, 4, 5, 6, 7]);
    let pages: Vec<Vec<Value>> =
        Call::new(t.clone(), ListProviders { per_page: 3 }).pages().try_collect().await.unwrap();
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3, 1], "stops on the short page");
    server.reset().await;
}

#[tokio::test]
async fn collect_max_fetches_no_page_past_the_one_that_reaches_it() {
    let (server, _) = mdlive_like().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/providers"))
        .respond_with(|_: &WmRequest| {
            // An API that never ends: every page is full.
            ResponseTemplate::new(200).set_body_json(json!({"providers": [{"id": 1}, {"id": 2}]}))
        })
        .mount(&server)
        .await;
    let t = clients(&server, &ManualClock::new());
    let got = Call::new(t, ListProviders { per_page: 2 }).collect_max(5).await.unwrap();
    assert_eq!(got.len(), 5);
    let pages = server.received_requests().await.unwrap_or_default();
    assert_eq!(pages.iter().filter(|r| r.url.path() == "/api/v1/providers").count(), 3);
}

/// Healthstack's shape: the secret key and, beside it, the patient's consent token.
#[derive(Debug)]
struct ConsentHeader;

impl carewire_core::subject::SubjectCredentials for ConsentHeader {
    fn apply<'a>(
        &'a self,
        subject: &'a str,
        headers: &'a mut carewire_core::header::HeaderMap,
    ) -> BoxFuture<'a, Result<carewire_core::auth::CredentialStamp>> {
        Box::pin(async move {
            if subject == "HID-NOCONSENT" {
                return Err(Error::invalid_request("consent", "no valid consent token for this patient"));
            }
            let value = carewire_core::header::HeaderValue::from_str(&format!("consent-of-{subject}")).unwrap();
            headers.insert("x-consent-token", value);
            Ok(carewire_core::auth::CredentialStamp::default())
        })
    }
}

#[derive(Clone, Debug)]
struct PatientRecords;

impl Operation for PatientRecords {
    type Output = Value;
    const SPEC: Spec = Spec::get("/records").name("records.list").scope(Scope::ClientAndSubject);
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request())
    }
    fn decode(&self, raw: RawResponse) -> Result<Value> {
        raw.json()
    }
}

#[tokio::test]
async fn client_and_subject_credentials_travel_together() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/records"))
        .and(header("authorization", "Bearer sk_test_hs"))
        .and(header("x-consent-token", "consent-of-HID-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;
    let t = Transport::builder("healthstack", ClientConfig::new(&server.uri()).unwrap())
        .credentials(carewire_core::auth::BearerToken::new("sk_test_hs").unwrap())
        .subject_credentials(Arc::new(ConsentHeader))
        .build()
        .unwrap();
    Call::new(t.clone(), PatientRecords).subject("HID-1").send().await.unwrap();
    // No consent: refused before anything is sent.
    let err = Call::new(t, PatientRecords).subject("HID-NOCONSENT").send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "consent"), "{err:?}");
    server.verify().await;
}
