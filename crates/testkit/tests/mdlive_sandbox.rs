//! The MDLIVE sandbox over raw HTTP: the route table, tokens (issue, expiry, extension, kinds), SSO sign-in
//! and the enterprise hash, provider search pages, stateful records, appointments, messages, faults and
//! webhook delivery.
#![cfg(feature = "mdlive")]

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use carewire_testkit::mdlive::{
    self, API_KEY, API_PASSWORD, ENTERPRISE_SECRET, EnterpriseHashForm, OU, PROVIDER_ID, SEEDED_PROVIDERS, Sandbox,
    TokenRule,
};
use carewire_testkit::{Fault, Params, RecordedRequest, Reply, Router, TestServer};
use serde_json::{Value, json};

/// The 70 `mdlive` rows of the shared endpoints table (method, path).
const ENDPOINTS: &str = "\
POST /auth/auth_token
POST /api/v1/sso_auth/auth_token
POST /api/v1/sso_auth/auth_extend
POST /api/v2/patients/{patient_id}/providers/search
GET /api/v2/providers/{provider_id}/profile
POST /api/v2/patients/{patient_id}/appointments
GET /api/v1/assessments
GET /api/v1/assessments/{assessment_key}
GET /api/v1/patients/{patient_id}/assessment_assignments
POST /api/v1/patients/{patient_id}/assessment_responses
GET /api/v2/patients/{patient_id}/cust_appointments/{cust_appt_id}/after_care_instructions
POST /api/v2/patients/{patient_id}/allergies
DELETE /api/v1/patients/{patient_id}/allergies/{allergy_id}
DELETE /api/v1/patients/{patient_id}/allergies/fdb_allergy/{fdb_allergy_id}
GET /api/v1/patients/{patient_id}/allergies
POST /api/v1/allergies/search
GET /api/v2/support/alternate_visit_options
PUT /api/v1/patients/{patient_id}/appointments/{appointment_id}/cancel
GET /api/v2/patients/{patient_id}/appointments/upcoming
POST /api/v1/patients/{patient_id}/appointments/{appointment_id}/entered_waiting_room
GET /api/v1/appointments/{appointment_id}/connection_params
POST /api/v2/patients/{patient_id}/appointment_requests
POST /api/v2/patients/{patient_id}/appointment_requests/{appointment_request_id}/cancel
POST /api/v2/patients/{patient_id}/appointment_requests/{appointment_request_id}/remind
POST /api/v1/patients/{patient_id}/behavioral_histories
GET /api/v1/patients/{patient_id}/behavioral_histories
GET /api/v1/patients/chief_complaints
GET /api/v1/patients/{patient_id}/appointments/consultation_summary
POST /api/v2/patients/{patient_id}/documents
DELETE /api/v1/patients/{patient_id}/documents/{document_id}
GET /api/v1/patients/{patient_id}/documents
GET /api/v1/patients/{patient_id}/documents/{document_id}
GET /api/v2/patients/{patient_id}/health_conditions
POST /api/v2/patients/{patient_id}/health_history
GET /api/v1/insurance_payers
POST /api/v1/patients/{patient_id}/insurances
GET /api/v1/clinical_concepts
POST /api/v1/patients/{patient_id}/medical_conditions
DELETE /api/v1/patients/{patient_id}/medical_conditions/{medical_condition_id}
GET /api/v1/patients/{patient_id}/medical_conditions
POST /api/v2/patients/{patient_id}/medications
DELETE /api/v1/patients/{patient_id}/medications/{medication_id}
DELETE /api/v1/patients/{patient_id}/medications/ndc/{ndc_id}
GET /api/v1/patients/{patient_id}/medications
POST /api/v2/medications/search
GET /api/v1/patients/{patient_id}/messages/system
GET /api/v1/patients/{patient_id}/messages/contacts
GET /api/v2/patients/{patient_id}/messages/conversations
GET /api/v1/patients/{patient_id}/providers/{provider_id}/conversation
POST /api/v1/patients/{patient_id}/messages
PUT /api/v1/patients/{patient_id}/messages/{message_id}/mark_read
GET /api/v2/patients/{patient_id}
PATCH /api/v2/patients/{patient_id}
GET /api/v2/payments/costs/check
GET /api/v1/patients/{patient_id}/credit_card
POST /api/v2/patients/{patient_id}/credit_card
DELETE /api/v1/patients/{patient_id}/credit_card
POST /api/v1/patients/{patient_id}/pharmacies/search
GET /api/v1/patients/{patient_id}/prescriptions/{prescription_id}
GET /api/v1/patients/{patient_id}/evr_primary_care_physician
POST /api/v1/patients/{patient_id}/evr_primary_care_physician
PUT /api/v1/patients/{patient_id}/evr_primary_care_physician/{id}
DELETE /api/v2/patients/{patient_id}/evr_primary_care_physicians/{id}
GET /api/v2/patients/{patient_id}/evr_primary_care_physician_questions
PUT /api/v2/patients/{patient_id}/evr_primary_care_physician_questions
POST /api/v2/patients/{patient_id}/surgeries
DELETE /api/v1/patients/{patient_id}/surgeries/{surgery_id}
GET /api/v2/patients/{patient_id}/surgeries
GET /api/v2/surgery_names
POST /api/v1/webhook
";

struct Api {
    sandbox: Sandbox,
    http: reqwest::Client,
}

impl Api {
    fn new(sandbox: Sandbox) -> Self {
        Self { sandbox, http: reqwest::Client::builder().no_proxy().build().unwrap() }
    }

    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.sandbox.base_url());
        let mut req = self.http.request(method.parse().unwrap(), url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b.to_string());
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let bytes = res.bytes().await.unwrap();
        let value = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
        (status, value)
    }

    async fn api_token(&self) -> String {
        let body = json!({ "auth": { "api_key": API_KEY, "password": API_PASSWORD } });
        let (status, res) = self.call("POST", "/auth/auth_token", None, Some(body)).await;
        assert_eq!(status, 200, "{res}");
        res["jwt"].as_str().unwrap().to_owned()
    }

    /// Signs in through SSO; returns (patient id, token, whole answer).
    async fn sign_in(&self, sub: &str, first: &str, last: &str) -> (u64, String, Value) {
        let body = self.sandbox.sign_in_body(sub, first, last, "1960-12-31");
        let (status, res) = self.call("POST", "/api/v1/sso_auth/auth_token", None, Some(body)).await;
        assert_eq!(status, 200, "{res}");
        (res["user"]["id"].as_u64().unwrap(), res["jwt"].as_str().unwrap().to_owned(), res)
    }
}

fn rows() -> BTreeSet<(String, String)> {
    ENDPOINTS.lines().map(|l| l.split_once(' ').unwrap()).map(|(m, p)| (m.to_owned(), p.to_owned())).collect()
}

#[tokio::test]
async fn every_documented_route_is_served_and_guarded() {
    let table = rows();
    assert_eq!(table.len(), 70);
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/api/endpoints.tsv");
    if let Ok(tsv) = std::fs::read_to_string(shared) {
        let from_tsv: BTreeSet<(String, String)> = tsv
            .lines()
            .filter_map(|l| l.strip_prefix("mdlive\t"))
            .map(|l| {
                let mut f = l.split('\t');
                (f.next().unwrap().to_owned(), f.next().unwrap().to_owned())
            })
            .collect();
        assert_eq!(from_tsv, table);
    }
    let routes = mdlive::routes();
    let served: BTreeSet<(String, String)> = routes.iter().map(|r| (r.method.to_owned(), r.path.clone())).collect();
    let extra: Vec<_> = served.difference(&table).collect();
    assert_eq!(
        extra,
        [
            &("POST".to_owned(), "/api/v1/patients/{patient_id}/evr_primary_care_physician/{id}".to_owned()),
            &(
                "PUT".to_owned(),
                "/api/v1/patients/{patient_id}/appointments/{appointment_id}/entered_waiting_room".to_owned()
            ),
        ]
    );
    assert!(table.is_subset(&served));
    assert_eq!(routes.len(), 72);
    for r in &routes {
        // Connection parameters name no patient but take the patient's user token (the notes' table).
        let expected = if r.path.contains("{patient_id}")
            || r.path == "/api/v1/sso_auth/auth_extend"
            || r.path.ends_with("/connection_params")
        {
            TokenRule::User
        } else if r.path.starts_with("/auth/") || r.path == "/api/v1/sso_auth/auth_token" {
            TokenRule::None
        } else if r.path == "/api/v1/webhook" {
            TokenRule::Api
        } else {
            TokenRule::Either
        };
        assert_eq!(r.token, expected, "{} {}", r.method, r.path);
    }

    let api = Api::new(Sandbox::start());
    for r in &routes {
        let path = r.path.split('/').map(|s| if s.starts_with('{') { "7" } else { s }).collect::<Vec<_>>().join("/");
        let (status, body) = api.call(r.method, &path, None, None).await;
        let want = if r.token == TokenRule::None { 400 } else { 401 };
        assert_eq!(status, want, "{} {path}: {body}", r.method);
        assert!(body["error"].is_string(), "{} {path}: {body}", r.method);
    }
    // Unknown paths are the router's 404, known paths with another method its 405.
    assert_eq!(api.call("GET", "/api/v3/patients/7", None, None).await.0, 404);
    assert_eq!(api.call("GET", "/api/v1/patients/7/allergies/7", None, None).await.0, 405);
}

#[tokio::test]
async fn api_tokens_are_jwts_that_expire() {
    let api = Api::new(Sandbox::builder().api_token_ttl(Duration::from_secs(120)).start());
    let (status, body) = api
        .call("POST", "/auth/auth_token", None, Some(json!({ "auth": { "api_key": API_KEY, "password": "nope" } })))
        .await;
    assert_eq!((status, body["error"].is_string()), (401, true));
    let (status, _) = api.call("POST", "/auth/auth_token", None, Some(json!({ "auth": { "api_key": API_KEY } }))).await;
    assert_eq!(status, 400);
    assert_eq!(api.sandbox.api_tokens_issued(), 0);

    let token = api.api_token().await;
    let second = api.api_token().await;
    assert_ne!(token, second, "every token is new");
    assert_eq!(api.sandbox.api_tokens_issued(), 2);
    assert_eq!(token.split('.').count(), 3);
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.split('.').next().unwrap()).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&header).unwrap()["alg"], "HS256");
    let exp = mdlive::jwt_claims(&token).unwrap()["exp"].as_i64().unwrap();
    let now = i64::try_from(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs()).unwrap();
    assert!((now + 118..=now + 120).contains(&exp), "exp {exp} now {now}");

    let (status, _) = api.call("GET", "/api/v2/surgery_names", Some(&token), None).await;
    assert_eq!(status, 200);
    assert!(api.sandbox.expire_token(&token));
    assert!(!api.sandbox.expire_token("not-a-token"));
    let (status, body) = api.call("GET", "/api/v2/surgery_names", Some(&token), None).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("missing, unknown or expired token")));
    let (status, _) = api.call("GET", "/api/v2/surgery_names", Some(&second), None).await;
    assert_eq!(status, 200, "only the expired token is refused");
}

#[tokio::test]
async fn sso_sign_in_maps_one_identity_to_one_patient() {
    let api = Api::new(Sandbox::start());
    let (id, token, res) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    assert_eq!(res["user"]["type"], "Patient");
    assert_eq!(res["user"]["time_to_live_minutes"], 60);
    assert_eq!(mdlive::jwt_claims(&token).unwrap()["userid"], id);
    let (again, other_token, _) = api.sign_in("SUB-1", "ADA", "lovelace").await;
    assert_eq!(again, id, "names compare case-insensitively");
    assert_ne!(other_token, token);
    let (other, _, _) = api.sign_in("SUB-2", "Ada", "Lovelace").await;
    assert_ne!(other, id);
    assert_eq!(api.sandbox.patient_ids(), vec![id, other]);
    assert_eq!((api.sandbox.sign_ins(id), api.sandbox.sign_ins(other), api.sandbox.user_tokens_issued()), (2, 1, 3));

    let (status, profile) = api.call("GET", &format!("/api/v2/patients/{id}"), Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(profile["patient_profile"]["id"], id);
    assert_eq!(profile["patient_profile"]["first_name"], "ADA", "the latest sign-in updates the profile");
    assert_eq!(profile["patient_profile"]["state"]["name"], "FLORIDA");

    let mut body = api.sandbox.sign_in_body("SUB-3", "A", "B", "1990-01-01");
    body["auth"].as_object_mut().unwrap().remove("zip");
    let (status, err) = api.call("POST", "/api/v1/sso_auth/auth_token", None, Some(body.clone())).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("auth.zip is required")));
    body["auth"]["zip"] = json!("33351");
    body["auth"]["gender"] = json!("X");
    let (status, _) = api.call("POST", "/api/v1/sso_auth/auth_token", None, Some(body.clone())).await;
    assert_eq!(status, 400);
    body["auth"]["gender"] = json!("F");
    body["org"]["ou"] = json!("someone-else");
    let (status, _) = api.call("POST", "/api/v1/sso_auth/auth_token", None, Some(body.clone())).await;
    assert_eq!(status, 401);
    body["org"]["ou"] = json!(OU);
    body["api"]["password"] = json!("wrong");
    let (status, _) = api.call("POST", "/api/v1/sso_auth/auth_token", None, Some(body)).await;
    assert_eq!(status, 401);
    assert_eq!(api.sandbox.patient_ids().len(), 2, "refused sign-ins create nobody");
}

#[tokio::test]
async fn user_tokens_extend_only_while_valid_and_then_expire() {
    let api = Api::new(Sandbox::builder().user_token_ttl(Duration::from_secs(1)).start());
    let (id, token, res) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    assert_eq!(res["user"]["time_to_live_minutes"], 1, "a TTL under a minute reports 1");
    let path = format!("/api/v1/patients/{id}/allergies");
    assert_eq!(api.call("GET", &path, Some(&token), None).await.0, 200);

    let extend = json!({ "org": { "ou": OU }, "api": { "api_key": API_KEY, "password": API_PASSWORD } });
    let api_token = api.api_token().await;
    let (status, _) = api.call("POST", "/api/v1/sso_auth/auth_extend", Some(&api_token), Some(extend.clone())).await;
    assert_eq!(status, 401, "an API token cannot be extended");
    let (status, extended) = api.call("POST", "/api/v1/sso_auth/auth_extend", Some(&token), Some(extend.clone())).await;
    assert_eq!(status, 200, "{extended}");
    assert_eq!(extended["user"]["id"], id);
    let fresh = extended["jwt"].as_str().unwrap().to_owned();
    assert_ne!(fresh, token);
    assert_eq!((api.sandbox.user_tokens_extended(), api.sandbox.user_tokens_issued()), (1, 1));
    assert!(mdlive::jwt_claims(&fresh).unwrap()["exp"].as_i64() >= mdlive::jwt_claims(&token).unwrap()["exp"].as_i64());

    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(api.call("GET", &path, Some(&token), None).await.0, 401);
    assert_eq!(api.call("GET", &path, Some(&fresh), None).await.0, 401);
    let (status, _) = api.call("POST", "/api/v1/sso_auth/auth_extend", Some(&fresh), Some(extend)).await;
    assert_eq!(status, 401, "an expired token cannot be extended");
    assert_eq!(api.sandbox.user_tokens_extended(), 1);
}

#[tokio::test]
async fn each_route_takes_its_kind_of_token() {
    let api = Api::new(Sandbox::start());
    let api_token = api.api_token().await;
    let (ada, ada_token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let (_, bob_token, _) = api.sign_in("SUB-2", "Bob", "Byte").await;
    let ada_allergies = format!("/api/v1/patients/{ada}/allergies");
    assert_eq!(api.call("GET", &ada_allergies, Some(&ada_token), None).await.0, 200);
    assert_eq!(api.call("GET", &ada_allergies, Some(&api_token), None).await.0, 401);
    let (status, err) = api.call("GET", &ada_allergies, Some(&bob_token), None).await;
    assert_eq!((status, err["error"].as_str()), (401, Some("the token does not belong to this patient")));

    let hook = json!({ "webhook": { "url": "https://partner.example/mdlive" } });
    assert_eq!(api.call("POST", "/api/v1/webhook", Some(&ada_token), Some(hook.clone())).await.0, 401);
    let (status, body) = api.call("POST", "/api/v1/webhook", Some(&api_token), Some(hook)).await;
    assert_eq!((status, body), (200, json!({ "webhook": { "url": "https://partner.example/mdlive" } })));
    assert_eq!(api.sandbox.webhook_url().as_deref(), Some("https://partner.example/mdlive"));
    let plain = json!({ "webhook": { "url": "http://partner.example/mdlive" } });
    assert_eq!(api.call("POST", "/api/v1/webhook", Some(&api_token), Some(plain)).await.0, 400);

    let profile = format!("/api/v2/providers/{PROVIDER_ID}/profile?provider_type=3");
    assert_eq!(api.call("GET", &profile, Some(&api_token), None).await.0, 200);
    assert_eq!(api.call("GET", &profile, Some(&ada_token), None).await.0, 200);
    let as_bob = format!("{profile}&patient_id={ada}");
    assert_eq!(api.call("GET", &as_bob, Some(&bob_token), None).await.0, 401);
    let search = json!({ "search": { "term": "ibu", "limit": 1 } });
    for token in [&api_token, &ada_token] {
        let (status, body) = api.call("POST", "/api/v2/medications/search", Some(token), Some(search.clone())).await;
        assert_eq!((status, body["medications"].as_array().unwrap().len()), (200, 1));
    }
    assert_eq!(api.call("GET", "/api/v2/surgery_names", None, None).await.0, 401);
    assert_eq!(api.call("GET", "/api/v2/surgery_names", Some("garbage"), None).await.0, 401);
}

#[tokio::test]
async fn enterprise_hash_is_checked_when_a_secret_is_configured() {
    // SHA-256("abc"), as lowercase hex then base64 (the default form), or the raw digest in base64.
    let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    let b64 = base64::engine::general_purpose::STANDARD;
    assert_eq!(mdlive::enterprise_hash("a", "b", "c", EnterpriseHashForm::Base64OfHex), b64.encode(hex));
    let raw = b64.decode(mdlive::enterprise_hash("a", "b", "c", EnterpriseHashForm::Base64OfDigest)).unwrap();
    assert_eq!(
        raw.iter()
            .flat_map(|b| [b >> 4, b & 15])
            .map(|n| char::from_digit(u32::from(n), 16).unwrap())
            .collect::<String>(),
        hex
    );

    let api = Api::new(Sandbox::builder().enterprise_secret(ENTERPRISE_SECRET).start());
    let (id, _, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let good = api.sandbox.sign_in_body("SUB-1", "Ada", "Lovelace", "1960-12-31");
    let member = good["auth"]["member_id"].as_str().unwrap().to_owned();
    let sign = |body: &Value| api.call("POST", "/api/v1/sso_auth/auth_token", None, Some(body.clone()));

    let mut tampered = good.clone();
    tampered["org"]["enterprise_hash"] =
        json!(mdlive::enterprise_hash(&member, "1.0", "wrong", EnterpriseHashForm::Base64OfHex));
    assert_eq!(sign(&tampered).await, (401, json!({ "error": "enterprise_hash does not match" })));

    let old = mdlive::request_timestamp(SystemTime::now() - Duration::from_secs(6 * 60));
    let mut stale = good.clone();
    stale["org"]["request_timestamp"] = json!(old);
    stale["org"]["enterprise_hash"] =
        json!(mdlive::enterprise_hash(&member, &old, ENTERPRISE_SECRET, EnterpriseHashForm::Base64OfHex));
    assert_eq!(sign(&stale).await, (401, json!({ "error": "request_timestamp is too old" })));

    let recent = mdlive::request_timestamp(SystemTime::now() - Duration::from_secs(4 * 60));
    let mut fine = good.clone();
    fine["org"]["request_timestamp"] = json!(recent);
    fine["org"]["enterprise_hash"] =
        json!(mdlive::enterprise_hash(&member, &recent, ENTERPRISE_SECRET, EnterpriseHashForm::Base64OfHex));
    let (status, res) = sign(&fine).await;
    assert_eq!((status, res["user"]["id"].as_u64()), (200, Some(id)), "{res}");

    let mut missing = good.clone();
    missing["org"].as_object_mut().unwrap().remove("enterprise_hash");
    assert_eq!(sign(&missing).await.0, 401);
    let mut no_member = good.clone();
    no_member["auth"].as_object_mut().unwrap().remove("member_id");
    assert_eq!(sign(&no_member).await.0, 400);
    let mut raw_form = good.clone();
    let ts = good["org"]["request_timestamp"].as_str().unwrap();
    raw_form["org"]["enterprise_hash"] =
        json!(mdlive::enterprise_hash(&member, ts, ENTERPRISE_SECRET, EnterpriseHashForm::Base64OfDigest));
    assert_eq!(sign(&raw_form).await.0, 401, "the default form is base64 of the hex digest");

    let fixed = Api::new(Sandbox::builder().fixed_enterprise_hash("ISSUED-HASH==").start());
    let mut body = fixed.sandbox.sign_in_body("SUB-1", "Ada", "Lovelace", "1960-12-31");
    assert_eq!(body["org"]["enterprise_hash"], "ISSUED-HASH==");
    assert_eq!(fixed.call("POST", "/api/v1/sso_auth/auth_token", None, Some(body.clone())).await.0, 200);
    body["org"]["enterprise_hash"] = json!("OTHER==");
    assert_eq!(fixed.call("POST", "/api/v1/sso_auth/auth_token", None, Some(body)).await.0, 401);
}

#[tokio::test]
async fn provider_search_pages_through_the_seeded_providers() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let search = json!({ "search": { "state_abbrev": "FL", "language_id": 1 } });
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    for page in 1..=4 {
        let path = format!("/api/v2/patients/{id}/providers/search?page={page}&per_page=10");
        let (status, body) = api.call("POST", &path, Some(&token), Some(search.clone())).await;
        assert_eq!(status, 200, "{body}");
        let providers = body["providers"].as_array().unwrap();
        sizes.push(providers.len());
        seen.extend(providers.iter().map(|p| p["id"].as_u64().unwrap()));
        assert_eq!(body["refine_search_options"]["default_provider_types"][0]["name"], "Family Physician");
    }
    assert_eq!(sizes, [10, 10, 5, 0]);
    assert_eq!(SEEDED_PROVIDERS, 25);
    assert_eq!(seen, api.sandbox.provider_ids(), "every provider once, in order");
    assert!(seen.contains(&PROVIDER_ID));

    let path = format!("/api/v2/patients/{id}/providers/search");
    let women = json!({ "search": { "state_abbrev": "FL", "gender": "Female" } });
    let (_, body) = api.call("POST", &format!("{path}?per_page=100"), Some(&token), Some(women)).await;
    assert!(body["providers"].as_array().unwrap().iter().all(|p| p["gender"] == "Female"));
    assert!(!body["providers"].as_array().unwrap().is_empty());
    let (status, err) = api.call("POST", &path, Some(&token), Some(json!({ "search": {} }))).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("search.state_abbrev is required")));
    let (status, _) = api.call("POST", &format!("{path}?page=0"), Some(&token), Some(search)).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn records_are_created_listed_and_deleted() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let allergies = format!("/api/v1/patients/{id}/allergies");
    assert_eq!(api.call("GET", &allergies, Some(&token), None).await, (200, json!({ "allergies": [] })));
    let create = format!("/api/v2/patients/{id}/allergies");
    let peanut = json!({ "allergy": { "name": "Peanut", "severity": "Severe", "reaction": "Throat closes", "fdb_allergy_id": "568" } });
    let (status, created) = api.call("POST", &create, Some(&token), Some(peanut)).await;
    assert_eq!(status, 200);
    assert_eq!(created["allergy"]["fdb_allergy_id"], "568");
    assert_eq!(created["allergy"]["current"], Value::Null);
    let bee = json!({ "allergy": { "name": "Bee Pollen", "severity": "mild", "reaction": "Sneezing", "fdb_allergy_id": 316 } });
    let (_, second) = api.call("POST", &create, Some(&token), Some(bee)).await;
    assert_eq!(
        (second["allergy"]["severity"].clone(), second["allergy"]["fdb_allergy_id"].clone()),
        (json!("Mild"), json!("316"))
    );
    let bad = json!({ "allergy": { "name": "Dust", "severity": "Awful", "reaction": "Sneezing" } });
    let (status, err) = api.call("POST", &create, Some(&token), Some(bad)).await;
    assert_eq!((status, err["error"].as_str().unwrap().starts_with("allergy.severity")), (400, true));

    let (_, listed) = api.call("GET", &allergies, Some(&token), None).await;
    let names: Vec<&str> =
        listed["allergies"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Peanut", "Bee Pollen"]);
    assert_eq!(listed["allergies"][0]["current"], true);
    let first_id = created["allergy"]["id"].as_u64().unwrap();
    assert_eq!(api.call("DELETE", &format!("{allergies}/{first_id}"), Some(&token), None).await, (204, Value::Null));
    assert_eq!(api.call("DELETE", &format!("{allergies}/{first_id}"), Some(&token), None).await.0, 404);
    assert_eq!(api.call("DELETE", &format!("{allergies}/fdb_allergy/316"), Some(&token), None).await.0, 204);
    assert!(api.sandbox.allergies(id).is_empty());

    let meds = json!({ "medication": { "name": "Ibuprofen PM", "current": true, "dosage": "1", "frequency": "Once Daily", "ndc_id": "00363061121" } });
    let (_, med) = api.call("POST", &format!("/api/v2/patients/{id}/medications"), Some(&token), Some(meds)).await;
    assert_eq!(med["medication"]["ndc_id"], "00363061121", "NDC ids keep their leading zeros");
    let medications = format!("/api/v1/patients/{id}/medications");
    assert_eq!(api.call("GET", &medications, Some(&token), None).await.1["medications"][0]["name"], "Ibuprofen PM");
    assert_eq!(api.call("DELETE", &format!("{medications}/ndc/00363061121"), Some(&token), None).await.0, 204);
    assert_eq!(api.call("GET", &medications, Some(&token), None).await.1, json!({ "medications": [] }));

    let surgery = json!({ "surgery": { "name": "Hip replacement", "surgery_year": 2015 } });
    let (_, s) = api.call("POST", &format!("/api/v2/patients/{id}/surgeries"), Some(&token), Some(surgery)).await;
    assert_eq!(s["surgery"]["surgery_year"], 2015);
    let (_, report) = api.call("GET", &format!("/api/v2/patients/{id}/health_conditions"), Some(&token), None).await;
    assert_eq!((report["had_surgeries"].clone(), report["has_allergies"].clone()), (json!("Yes"), json!("No")));
    assert_eq!(report["surgeries_taken"][0]["year"], "2015", "the report's year is a string");

    let doc = json!({ "doc": { "document_name": "rash.png", "data": "aGVsbG8=", "mime_type": "image/png", "record_type": "Patient Record" } });
    let (_, created_doc) = api.call("POST", &format!("/api/v2/patients/{id}/documents"), Some(&token), Some(doc)).await;
    assert_eq!(created_doc["upload_by"], "Ada Lovelace");
    let doc_id = created_doc["id"].as_u64().unwrap();
    let (_, shown) = api.call("GET", &format!("/api/v1/patients/{id}/documents/{doc_id}"), Some(&token), None).await;
    assert_eq!(shown["data"], "aGVsbG8=");
    let not_base64 = json!({ "doc": { "document_name": "x.png", "data": "INSERT_HERE!", "mime_type": "image/png", "record_type": "Patient Record" } });
    assert_eq!(
        api.call("POST", &format!("/api/v2/patients/{id}/documents"), Some(&token), Some(not_base64)).await.0,
        400
    );
}

#[tokio::test]
async fn appointments_are_booked_listed_and_cancelled() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let create = format!("/api/v2/patients/{id}/appointments");
    let base = json!({
        "provider_type_id": 3, "state_abbrev": "FL", "survey_answer": "Urgent Care",
        "customer_call_in_number": "5555555555", "appointment_method": "video", "start_time": null,
        "chief_complaint": "Sore throat", "agrees_to_informed_consent": true,
        "agrees_to_privacy_agreement": true, "consent_user_initials": "AL",
    });
    let (status, first) = api.call("POST", &create, Some(&token), Some(json!({ "appointment": base }))).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        (first["appointment"]["provider_id"].clone(), first["appointment"]["status"].clone()),
        (Value::Null, json!("pending"))
    );
    let first_id = first["appointment"]["id"].as_u64().unwrap();

    let slot = api.sandbox.open_slots(PROVIDER_ID)[0];
    let mut specific = base.clone();
    specific["provider_id"] = json!(PROVIDER_ID);
    specific["start_time"] = json!(slot);
    let (_, second) = api.call("POST", &create, Some(&token), Some(json!({ "appointment": specific.clone() }))).await;
    let second_id = second["appointment"]["id"].as_u64().unwrap();
    assert!(!api.sandbox.open_slots(PROVIDER_ID).contains(&slot), "the slot is taken");
    let (status, _) = api.call("POST", &create, Some(&token), Some(json!({ "appointment": specific }))).await;
    assert_eq!(status, 409);
    let mut refused = base.clone();
    refused["agrees_to_privacy_agreement"] = json!(false);
    let (status, err) = api.call("POST", &create, Some(&token), Some(json!({ "appointment": refused }))).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("appointment.agrees_to_privacy_agreement must be true")));

    let upcoming = format!("/api/v2/patients/{id}/appointments/upcoming");
    let ids =
        |v: &Value| v["appointments"].as_array().unwrap().iter().map(|a| a["id"].as_u64().unwrap()).collect::<Vec<_>>();
    assert_eq!(ids(&api.call("GET", &upcoming, Some(&token), None).await.1), [first_id, second_id]);

    let cancel = format!("/api/v1/patients/{id}/appointments/{second_id}/cancel");
    assert_eq!(api.call("PUT", &cancel, Some(&token), None).await, (204, Value::Null));
    assert_eq!(api.call("PUT", &cancel, Some(&token), None).await.0, 409);
    assert!(api.sandbox.open_slots(PROVIDER_ID).contains(&slot), "a cancelled booking frees its slot");
    assert_eq!(ids(&api.call("GET", &upcoming, Some(&token), None).await.1), [first_id]);

    for method in ["POST", "PUT"] {
        let path = format!("/api/v1/patients/{id}/appointments/{first_id}/entered_waiting_room");
        assert_eq!(api.call(method, &path, Some(&token), None).await, (200, Value::Null));
    }
    let event = api.sandbox.accept_appointment(first_id, PROVIDER_ID).unwrap();
    assert_eq!(event["event"]["action"], "consultation:provider:accepted");
    assert_eq!(event["event"]["data"]["appointment"]["provider_id"], PROVIDER_ID);
    assert_eq!(api.sandbox.provider_ready(first_id).unwrap()["event"]["data"]["appointment"]["status"], "in_progress");
    let (_, params) =
        api.call("GET", &format!("/api/v1/appointments/{first_id}/connection_params"), Some(&token), None).await;
    assert!(params["connection_params"]["url"].as_str().unwrap().starts_with("https://"));
    let started = format!("/api/v1/patients/{id}/appointments/{first_id}/cancel");
    assert_eq!(api.call("PUT", &started, Some(&token), None).await.0, 409, "a started appointment cannot be cancelled");
    let after_care = format!("/api/v2/patients/{id}/cust_appointments/{first_id}/after_care_instructions");
    assert_eq!(api.call("GET", &after_care, Some(&token), None).await.0, 404);
    assert_eq!(api.sandbox.complete_appointment(first_id).unwrap()["event"]["action"], "consultation:status:changed");
    let (status, care) = api.call("GET", &after_care, Some(&token), None).await;
    assert_eq!(
        (status, care["after_care_instructions"][0]["title"].clone()),
        (200, json!("Abdominal Pain - Stress Related"))
    );

    let request = json!({ "appointment_request": {
        "provider_id": "4", "chief_complaint": "Sore Throat", "contact_number": "888-632-2738",
        "appointment_date": "2030-12-20", "appointment_method": "phone", "preferred_time": "morning", "state_abbrev": "FL",
    } });
    let (_, req) =
        api.call("POST", &format!("/api/v2/patients/{id}/appointment_requests"), Some(&token), Some(request)).await;
    assert_eq!(
        (req["appointment_request"]["appointment_date"].clone(), req["appointment_request"]["provider_id"].clone()),
        (json!("30-12-20"), json!(4))
    );
    let rid = req["appointment_request"]["id"].as_u64().unwrap();
    let remind = format!("/api/v2/patients/{id}/appointment_requests/{rid}/remind");
    assert_eq!(
        api.call("POST", &remind, Some(&token), None).await.1["message"],
        "The Provider was reminded about your appointment request"
    );
    let cancel = format!("/api/v2/patients/{id}/appointment_requests/{rid}/cancel");
    assert_eq!(
        api.call("POST", &cancel, Some(&token), None).await.1["message"],
        "Your appointment request has been cancelled"
    );
    assert_eq!(api.call("POST", &remind, Some(&token), None).await.0, 409);
    assert_eq!(api.sandbox.appointment_request(rid).unwrap()["reminders"], 1);
}

#[tokio::test]
async fn messages_flow_between_patient_and_provider() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let send = format!("/api/v1/patients/{id}/messages");
    let hello = json!({ "message": { "message_type": "follow_up", "to_id": PROVIDER_ID, "subject": "Hi", "message": "Question" } });
    let (status, _) = api.call("POST", &send, Some(&token), Some(hello.clone())).await;
    assert_eq!(status, 400, "no appointment or message with that provider yet");

    let event = api.sandbox.send_provider_message(id, PROVIDER_ID, "Follow up", "How are you feeling?").unwrap();
    assert_eq!(event["event"]["action"], "message:provider:created");
    let from_provider = event["event"]["data"]["message"]["id"].as_u64().unwrap();
    let (_, contacts) = api.call("GET", &format!("/api/v1/patients/{id}/messages/contacts"), Some(&token), None).await;
    assert_eq!(contacts["contacts"][0]["id"], PROVIDER_ID);
    let mut reply = hello.clone();
    reply["message"]["replied_to_message_id"] = json!(from_provider);
    let (status, sent) = api.call("POST", &send, Some(&token), Some(reply)).await;
    assert_eq!(status, 200);
    assert_eq!((sent["message"]["from_id"].clone(), sent["message"]["to_id"].clone()), (json!(id), json!(PROVIDER_ID)));
    assert_eq!(sent["message"]["replied_to_message_id"], from_provider);

    let thread = format!("/api/v1/patients/{id}/providers/{PROVIDER_ID}/conversation?page=1&per=1");
    let (_, page) = api.call("GET", &thread, Some(&token), None).await;
    assert_eq!(page["messages"].as_array().unwrap().len(), 1);
    assert_eq!(page["messages"][0]["reply_allowed"], false, "the newest is the patient's own");
    let (_, convs) =
        api.call("GET", &format!("/api/v2/patients/{id}/messages/conversations"), Some(&token), None).await;
    assert_eq!(
        (convs["conversations"][0]["unread_messages"].clone(), convs["conversations"][0]["last_message_by"].clone()),
        (json!(1), json!("patient"))
    );

    let mark = format!("/api/v1/patients/{id}/messages/{from_provider}/mark_read");
    assert_eq!(api.call("PUT", &mark, Some(&token), None).await, (204, Value::Null));
    assert_eq!(api.sandbox.message_unread(from_provider), Some(false));
    let own = sent["message"]["id"].as_u64().unwrap();
    assert_eq!(
        api.call("PUT", &format!("/api/v1/patients/{id}/messages/{own}/mark_read"), Some(&token), None).await.0,
        404
    );
    let (_, system) =
        api.call("GET", &format!("/api/v1/patients/{id}/messages/system?page=1&per=5"), Some(&token), None).await;
    assert_eq!(system["messages"][0]["from"], "System Controller");
    assert_eq!(system["unread"], 1, "the welcome message");
}

#[tokio::test]
async fn catalogue_searches_read_the_query_string() {
    let api = Api::new(Sandbox::start());
    let token = api.api_token().await;
    let (status, body) = api
        .call(
            "GET",
            "/api/v1/patients/chief_complaints?search%5Bterm%5D=throat&search%5Blimit%5D=2",
            Some(&token),
            None,
        )
        .await;
    assert_eq!((status, body["chief_complaints"].as_array().unwrap().len()), (200, 2));
    let (_, flat) = api.call("GET", "/api/v1/clinical_concepts?term=throat&limit=10", Some(&token), None).await;
    assert_eq!(flat["clinical_concepts"].as_array().unwrap().len(), 3);
    let (_, spanish) = api
        .call("GET", "/api/v1/patients/chief_complaints?search[term]=tos&search[language]=ES", Some(&token), None)
        .await;
    assert_eq!(spanish["chief_complaints"][0]["title"], "Cough");
    let (status, err) = api.call("GET", "/api/v1/clinical_concepts", Some(&token), None).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("search.term is required")));
    let over = json!({ "search": { "term": "ibu", "limit": 51 } });
    assert_eq!(api.call("POST", "/api/v2/medications/search", Some(&token), Some(over)).await.0, 400);
    let (_, found) = api
        .call(
            "POST",
            "/api/v1/allergies/search",
            Some(&token),
            Some(json!({ "search": { "term": "pen", "limit": "2" } })),
        )
        .await;
    assert_eq!(
        found,
        json!({ "allergies": [{ "id": 977, "name": "Penicillins" }, { "id": 981, "name": "Pentamidine" }] })
    );
}

#[tokio::test]
async fn credit_cards_are_checked_and_kept_as_last_four() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let card = |number: &str, year: i64| {
        json!({ "credit_card": {
            "billing_data": { "name": "Ada Lovelace", "address1": "1 Main St", "state_abbrev": "FL", "city": "Sunrise", "zip": "33323" },
            "card_data": { "card_number": number, "cvv": "200", "expiration_month": 1, "expiration_year": year },
        } })
    };
    let save = format!("/api/v2/patients/{id}/credit_card");
    let get = format!("/api/v1/patients/{id}/credit_card");
    assert_eq!(api.call("GET", &get, Some(&token), None).await.0, 404);
    assert_eq!(api.call("POST", &save, Some(&token), Some(card("4242424242424242", 2020))).await.0, 400, "expired");
    assert_eq!(api.call("POST", &save, Some(&token), Some(card("4242424242424241", 2099))).await.0, 400, "Luhn");
    let (status, saved) = api.call("POST", &save, Some(&token), Some(card("4242424242424242", 2099))).await;
    assert_eq!(status, 200);
    assert_eq!(saved["credit_card"]["card_data"]["last_four"], "4242");
    assert_eq!(saved["credit_card"]["card_data"]["type"], "VISA");
    assert_eq!(saved["credit_card"]["billing_data"]["state"], "FL");
    assert!(!saved.to_string().contains("4242424242424242"), "the number is not kept");
    assert_eq!(api.call("GET", &get, Some(&token), None).await.1, saved);
    assert_eq!(api.call("DELETE", &get, Some(&token), None).await, (200, json!({})));
    assert!(api.sandbox.credit_card(id).is_none());
    let cost =
        format!("/api/v2/payments/costs/check?patient_id={id}&provider_type_id=3&promo_code={}", mdlive::PROMO_CODE);
    let (_, price) = api.call("GET", &cost, Some(&token), None).await;
    assert_eq!((price["cost_with_no_promocode"].clone(), price["cost"].clone()), (json!(49), json!(39)));
}

#[tokio::test]
async fn faults_apply_per_route_and_requests_are_recorded() {
    let api = Api::new(Sandbox::start());
    let token = api.api_token().await;
    api.sandbox.inject(Fault::status(503).on("GET", "/api/v2/surgery_names"));
    assert_eq!(api.call("GET", "/api/v1/insurance_payers", Some(&token), None).await.0, 200, "another route");
    assert_eq!(
        api.call("GET", "/api/v2/surgery_names", Some(&token), None).await,
        (503, json!({ "error": "injected" }))
    );
    let (status, names) = api.call("GET", "/api/v2/surgery_names", Some(&token), None).await;
    assert_eq!((status, names["surgery_names"].as_array().unwrap().len()), (200, 14));
    api.sandbox.inject(Fault::malformed_body());
    let res = api
        .http
        .get(format!("{}/api/v2/surgery_names", api.sandbox.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), "{\"truncated\": ");
    assert_eq!(api.sandbox.received("GET", "/api/v2/surgery_names"), 3);
    let log = api.sandbox.requests();
    assert_eq!(log[0].path, "/auth/auth_token");
    assert_eq!(log[1].bearer_token(), Some(token.as_str()));
}

#[tokio::test]
async fn webhook_events_are_delivered_to_a_receiver() {
    let receiver =
        TestServer::start(
            Router::new().route("POST", "/hooks/mdlive", |_: &RecordedRequest, _: &Params| Reply::status(200)),
        );
    let sandbox = Sandbox::start();
    let patient = sandbox.seed_patient("SUB-9", "Ada", "Lovelace", "1960-12-31");
    let event = sandbox.request_consultation(patient, PROVIDER_ID, Some(1_542_296_625)).unwrap();
    assert_eq!(event["event"]["data"]["availability"]["start_date"], "2018-11-15T15:43:45+00:00");
    let status = sandbox.deliver_webhook_async(&receiver.url("/hooks/mdlive"), &event).await.unwrap();
    assert_eq!(status, 200);
    let got = &receiver.requests()[0];
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(got.json_value().unwrap(), event);
    assert!(sandbox.deliver_webhook("https://example.invalid/hook", &event).is_err(), "plain http only");
}

#[tokio::test]
async fn health_history_pcp_and_questions_are_stored() {
    let api = Api::new(Sandbox::start());
    let (id, token, _) = api.sign_in("SUB-1", "Ada", "Lovelace").await;
    let history = json!({ "health_history": {
        "medical_history": { "allergies": true, "medications": false, "surgeries": false, "medical_conditions": true },
        "personal_information": { "height_feet": 5, "height_inches": 4, "weight": 120 },
        "allergy": [{ "name": "Bee Pollen", "severity": "Severe", "reaction": "Sneezing and Coughing" }],
        "medical_condition": [{ "condition": "Ear Pain", "concept_id": "64", "snomed": 267_102_003, "icd10": "R07.0" }],
        "pediatric_profile": { "Immunization up to date?": true, "current_diet": "null", "Current weight in lbs.": 11 },
    } });
    let (status, report) =
        api.call("POST", &format!("/api/v2/patients/{id}/health_history"), Some(&token), Some(history)).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["personal_info"]["weight"], 120);
    assert_eq!((report["has_allergies"].clone(), report["is_taking_medication"].clone()), (json!("Yes"), json!("No")));
    assert_eq!(report["health_conditions"][0]["medical_condition"]["snomed"], 267_102_003, "kept as sent");
    assert_eq!(
        report["pediatric_profile"],
        json!({ "Immunization up to date?": "Yes", "Current Diet": "Null", "Current weight in lbs.": "11" })
    );
    assert_eq!(api.sandbox.medical_conditions(id).len(), 1);
    let missing = json!({ "health_history": { "medical_history": { "allergies": true, "medications": false, "surgeries": false, "medical_conditions": false }, "personal_information": { "height_feet": 5, "height_inches": 4, "weight": 120 } } });
    let (status, err) =
        api.call("POST", &format!("/api/v2/patients/{id}/health_history"), Some(&token), Some(missing)).await;
    assert_eq!((status, err["error"].as_str()), (400, Some("health_history.allergy is required (an array)")));
    assert_eq!(api.sandbox.allergies(id).len(), 1, "a refused history records nothing");

    let pcp_path = format!("/api/v1/patients/{id}/evr_primary_care_physician");
    assert_eq!(api.call("GET", &pcp_path, Some(&token), None).await.1, json!({ "pcp": null }));
    let pcp = json!({ "pcp": {
        "first_name": "PCP", "last_name": "Physician", "practice": "Doc Medical Practice", "city": "FORT LAUDERDALE",
        "state_abbrev": "FL", "country_code": "US", "phone": "(954) 555-1111", "fax": "(954) 552-1234",
    } });
    let (_, created) = api.call("POST", &pcp_path, Some(&token), Some(pcp.clone())).await;
    assert_eq!(created["pcp"]["full_name"], "PCP Physician");
    assert_eq!(api.call("POST", &pcp_path, Some(&token), Some(pcp)).await.0, 409);
    let pcp_id = created["pcp"]["id"].as_u64().unwrap();
    let change = json!({ "pcp": { "practice": "PCP Practice" } });
    for method in ["PUT", "POST"] {
        let (status, updated) =
            api.call(method, &format!("{pcp_path}/{pcp_id}"), Some(&token), Some(change.clone())).await;
        assert_eq!((status, updated["pcp"]["practice"].clone()), (200, json!("PCP Practice")));
    }
    let questions = format!("/api/v2/patients/{id}/evr_primary_care_physician_questions");
    let (_, q) = api.call("GET", &questions, Some(&token), None).await;
    assert_eq!(
        q["pcp_questions"][0],
        json!({ "name": "primary_care_physician", "question": "Do you have a Primary Care Physician?", "value": true })
    );
    let as_hash = json!({ "pcp_questions": { "pcp_visit_information": true } });
    let (_, q) = api.call("PUT", &questions, Some(&token), Some(as_hash)).await;
    assert_eq!(q["pcp_questions"][2]["value"], true);
    let unknown = json!({ "pcp_questions": [{ "name": "favourite_colour", "value": true }] });
    assert_eq!(api.call("PUT", &questions, Some(&token), Some(unknown)).await.0, 400);
    let delete = format!("/api/v2/patients/{id}/evr_primary_care_physicians/{pcp_id}");
    assert_eq!(api.call("DELETE", &delete, Some(&token), None).await, (204, Value::Null));
    assert!(api.sandbox.pcp(id).is_none());
}
