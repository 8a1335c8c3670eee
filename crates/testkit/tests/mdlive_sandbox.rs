//! The MDLIVE sandbox over raw HTTP: the route table, tokens (issue, expiry, extension, kinds), SSO sign-in
//! and the enterprise hash.
#![cfg(feature = "mdlive")]

mod mdlive_common;

use base64::Engine as _;
use carewire_testkit::mdlive::{
    self, API_KEY, API_PASSWORD, ENTERPRISE_SECRET, EnterpriseHashForm, OU, PROVIDER_ID, Sandbox, TokenRule,
};
use mdlive_common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

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
