//! Tokens: the API token (`POST /auth/auth_token`), user (SSO) tokens (`POST /api/v1/sso_auth/auth_token`)
//! with the enterprise-hash check, their extension (`POST /api/v1/sso_auth/auth_extend`), the three-part JWTs
//! the sandbox issues, and the lookup every other route uses to know who is calling.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value, json};

use super::EnterpriseHashForm;
use super::routes::{Ctx, body, error, field, obj, text};
use super::state::{Holder, Patient, State, TokenRow, epoch_secs, state_id};
use crate::{RecordedRequest, Reply};

/// The key the sandbox's JWTs are signed with (HS256); not a secret.
const SIGNING_KEY: &[u8] = b"carewire-testkit-mdlive-sandbox";

/// The enterprise hash of `member_id`, `request_timestamp` and `secret`, concatenated without separators, in
/// the given form (see [`EnterpriseHashForm`]).
///
/// ```
/// use carewire_testkit::mdlive::{EnterpriseHashForm, enterprise_hash};
///
/// let hash = enterprise_hash("memberid", "1509727623.5845659", "secret", EnterpriseHashForm::Base64OfHex);
/// assert_eq!(hash.len(), 88); // base64 of 64 hex characters
/// ```
pub fn enterprise_hash(member_id: &str, request_timestamp: &str, secret: &str, form: EnterpriseHashForm) -> String {
    let digest = carewire_core::crypto::sha256(format!("{member_id}{request_timestamp}{secret}").as_bytes());
    match form {
        EnterpriseHashForm::Base64OfHex => STANDARD.encode(hex(&digest)),
        EnterpriseHashForm::Base64OfDigest => STANDARD.encode(digest),
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [char::from(DIGITS[usize::from(b >> 4)]), char::from(DIGITS[usize::from(b & 15)])])
        .collect()
}

/// A `request_timestamp` for `t`: floating-point seconds since the epoch, as a string with seven decimals
/// (the doc's `1509727623.5845659` form).
pub fn request_timestamp(t: SystemTime) -> String {
    let d = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    format!("{}.{:07}", d.as_secs(), d.subsec_nanos() / 100)
}

/// Decodes the payload (middle part) of a JWT, or `None` if it is not one.
///
/// ```
/// use carewire_testkit::mdlive::Sandbox;
///
/// let sandbox = Sandbox::start();
/// let token = sandbox.issue_api_token();
/// let claims = carewire_testkit::mdlive::jwt_claims(&token).unwrap();
/// assert!(claims["exp"].as_i64().unwrap() > 0);
/// ```
pub fn jwt_claims(token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

fn encode_jwt(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(carewire_core::webhook::hmac_sha256(SIGNING_KEY, signing_input.as_bytes()));
    format!("{signing_input}.{signature}")
}

/// Issues an API token valid for the configured TTL (not counted: the route counts what clients asked for).
pub(super) fn mint_api_token(st: &mut State) -> String {
    let jti = st.next_id();
    let expires_at = SystemTime::now() + st.config.api_token_ttl;
    let token = encode_jwt(&json!({ "exp": epoch_secs(expires_at), "aud": false, "sub": 1, "jti": jti }));
    st.tokens.insert(token.clone(), TokenRow { holder: Holder::Api, expires_at });
    token
}

/// Issues a user token for `patient_id` valid for the configured TTL (not counted: callers count sign-ins and
/// extensions separately).
pub(super) fn mint_user_token(st: &mut State, patient_id: u64) -> String {
    let jti = st.next_id();
    let expires_at = SystemTime::now() + st.config.user_token_ttl;
    let username = st.patient(patient_id).map(|p| p.field("username").to_owned()).unwrap_or_default();
    let token = encode_jwt(&json!({
        "userid": patient_id,
        "username": username,
        "primary_acting_as_agent": false,
        "device_os": "API",
        "app_id": "MDLIVE",
        "app_version": "sandbox",
        "api_cred_id": 1,
        "exp": epoch_secs(expires_at),
        "jti": jti,
    }));
    st.tokens.insert(token.clone(), TokenRow { holder: Holder::User(patient_id), expires_at });
    token
}

/// Whole minutes of `ttl`, rounded up (a TTL under a minute reports 1).
pub(super) fn ttl_minutes(ttl: Duration) -> u64 {
    ttl.as_secs().div_ceil(60).max(1)
}

fn user_reply(st: &State, token: &str, patient_id: u64) -> Reply {
    Reply::json(
        200,
        &json!({
            "jwt": token,
            "user": { "id": patient_id, "type": "Patient", "time_to_live_minutes": ttl_minutes(st.config.user_token_ttl) },
        }),
    )
}

/// Who holds the bearer token of `req`, if it is one the sandbox issued and it has not expired.
pub(super) fn caller(st: &State, req: &RecordedRequest) -> Option<Holder> {
    let row = st.tokens.get(req.bearer_token()?)?;
    (SystemTime::now() < row.expires_at).then_some(row.holder)
}

fn check_api_credentials(st: &State, api: &Map<String, Value>, parent: &str) -> Result<(), Reply> {
    let key = text(api.get("api_key")).ok_or_else(|| error(400, &format!("{parent}.api_key is required")))?;
    let password = text(api.get("password")).ok_or_else(|| error(400, &format!("{parent}.password is required")))?;
    if key == st.config.api_key && password == st.config.api_password {
        Ok(())
    } else {
        Err(error(401, "invalid api_key or password"))
    }
}

fn check_ou(st: &State, org: &Map<String, Value>) -> Result<(), Reply> {
    match text(org.get("ou")) {
        None => Err(error(400, "org.ou is required")),
        Some(ou) if ou == st.config.ou => Ok(()),
        Some(_) => Err(error(401, "unknown organizational unit")),
    }
}

/// `POST /auth/auth_token`.
pub(super) fn api_token(st: &mut State, req: &RecordedRequest) -> Reply {
    let run = |st: &mut State| -> Result<Reply, Reply> {
        let b = body(req)?;
        let auth = obj(&b, "auth", "auth")?;
        check_api_credentials(st, auth, "auth")?;
        let token = mint_api_token(st);
        st.api_tokens_issued += 1;
        Ok(Reply::json(200, &json!({ "jwt": token })))
    };
    run(st).unwrap_or_else(|e| e)
}

fn check_enterprise_hash(st: &State, auth: &Map<String, Value>, org: &Map<String, Value>) -> Result<(), Reply> {
    let given = text(org.get("enterprise_hash"));
    if let Some(fixed) = &st.config.fixed_enterprise_hash {
        return match given {
            Some(g) if carewire_core::webhook::constant_time_eq(fixed.as_bytes(), g.as_bytes()) => Ok(()),
            _ => Err(error(401, "enterprise_hash does not match")),
        };
    }
    let Some(secret) = &st.config.enterprise_secret else {
        return Ok(());
    };
    let given = given.ok_or_else(|| error(401, "enterprise_hash is required for this organization"))?;
    let timestamp = text(org.get("request_timestamp"))
        .ok_or_else(|| error(401, "request_timestamp is required with an enterprise hash"))?;
    let member_id =
        text(auth.get("member_id")).ok_or_else(|| error(400, "auth.member_id is required with an enterprise hash"))?;
    let seconds: f64 = timestamp
        .trim()
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite())
        .ok_or_else(|| error(400, "org.request_timestamp must be seconds since the epoch"))?;
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs_f64();
    let window = st.config.hash_window.as_secs_f64();
    if now - seconds > window {
        return Err(error(401, "request_timestamp is too old"));
    }
    if seconds - now > window {
        return Err(error(401, "request_timestamp is in the future"));
    }
    let expected = enterprise_hash(&member_id, &timestamp, secret, st.config.hash_form);
    if carewire_core::webhook::constant_time_eq(expected.as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(error(401, "enterprise_hash does not match"))
    }
}

/// The identity fields a sign-in must carry (the doc's required ones; `email` may be empty).
const REQUIRED_IDENTITY: [&str; 11] = [
    "first_name",
    "last_name",
    "gender",
    "birthdate",
    "subscriber_id",
    "phone",
    "address1",
    "city",
    "state",
    "zip",
    "relationship",
];

/// Profile fields a sign-in copies onto the patient.
const PROFILE_FIELDS: [&str; 12] = [
    "first_name",
    "last_name",
    "gender",
    "birthdate",
    "subscriber_id",
    "member_id",
    "phone",
    "email",
    "address1",
    "address2",
    "city",
    "zip",
];

pub(super) fn identity_key(subscriber_id: &str, first: &str, last: &str, birthdate: &str) -> String {
    format!(
        "{}|{}|{}|{}",
        subscriber_id.trim(),
        first.trim().to_lowercase(),
        last.trim().to_lowercase(),
        birthdate.trim()
    )
}

/// Finds the patient with this identity or creates it; copies the profile fields. Returns the patient id.
pub(super) fn upsert_patient(st: &mut State, auth: &Map<String, Value>) -> u64 {
    let get = |k: &str| text(auth.get(k)).unwrap_or_default();
    let key = identity_key(&get("subscriber_id"), &get("first_name"), &get("last_name"), &get("birthdate"));
    let id = if let Some(p) = st.patients.iter().find(|p| p.identity_key == key) {
        p.id
    } else {
        let id = st.next_id();
        let username = format!("{}{}{id}", get("first_name"), get("last_name")).to_lowercase().replace(' ', "");
        let mut profile = Map::new();
        profile.insert("username".into(), json!(username));
        profile.insert("pharmacy_id".into(), json!(1));
        st.patients.push(Patient {
            id,
            identity_key: key,
            profile,
            pcp_questions: super::routes::pcp::default_pcp_questions(),
            ..Patient::default()
        });
        st.system_message(id, "Welcome to MDLIVE", "Your account is ready. You can now schedule a visit.");
        id
    };
    if let Some(p) = st.patient_mut(id) {
        for k in PROFILE_FIELDS {
            if let Some(v) = auth.get(k).filter(|v| !v.is_null()) {
                p.profile.insert(k.to_owned(), v.clone());
            }
        }
        if let Some(sid) = text(auth.get("state")).and_then(|s| state_id(&s)) {
            p.profile.insert("state_id".into(), json!(sid));
        }
    }
    id
}

/// `POST /api/v1/sso_auth/auth_token`.
pub(super) fn sso_token(st: &mut State, req: &RecordedRequest) -> Reply {
    let run = |st: &mut State| -> Result<Reply, Reply> {
        let b = body(req)?;
        let api = obj(&b, "api", "api")?;
        check_api_credentials(st, api, "api")?;
        let org = obj(&b, "org", "org")?;
        check_ou(st, org)?;
        let auth = obj(&b, "auth", "auth")?;
        check_enterprise_hash(st, auth, org)?;
        for k in REQUIRED_IDENTITY {
            field(auth, k, &format!("auth.{k}"))?;
        }
        let gender = text(auth.get("gender")).unwrap_or_default();
        if !matches!(gender.as_str(), "M" | "F" | "U") {
            return Err(error(400, "auth.gender must be M, F or U"));
        }
        let birthdate = text(auth.get("birthdate")).unwrap_or_default();
        if super::state::parse_date(&birthdate).is_none() {
            return Err(error(400, "auth.birthdate must be YYYY-MM-DD"));
        }
        if text(auth.get("state")).and_then(|s| state_id(&s)).is_none() {
            return Err(error(400, "auth.state must be a two-letter state from the states list"));
        }
        let patient_id = upsert_patient(st, auth);
        let token = mint_user_token(st, patient_id);
        st.user_tokens_issued += 1;
        *st.sign_ins.entry(patient_id).or_default() += 1;
        Ok(user_reply(st, &token, patient_id))
    };
    run(st).unwrap_or_else(|e| e)
}

/// `POST /api/v1/sso_auth/auth_extend`: a still-valid user token buys a new one.
pub(super) fn extend(st: &mut State, req: &RecordedRequest) -> Reply {
    let run = |st: &mut State| -> Result<Reply, Reply> {
        let Some(Holder::User(patient_id)) = caller(st, req) else {
            return Err(error(401, "a valid user token is required to extend"));
        };
        let b = body(req)?;
        check_api_credentials(st, obj(&b, "api", "api")?, "api")?;
        check_ou(st, obj(&b, "org", "org")?)?;
        let token = mint_user_token(st, patient_id);
        st.user_tokens_extended += 1;
        Ok(user_reply(st, &token, patient_id))
    };
    run(st).unwrap_or_else(|e| e)
}

/// Whether the caller of `ctx` may act for `patient_id` given in a query parameter (an API token may act for
/// anyone; a user token only for its own patient).
pub(super) fn may_act_for(ctx: &Ctx<'_>, patient_id: u64) -> bool {
    match ctx.caller {
        Holder::Api => true,
        Holder::User(id) => id == patient_id,
    }
}
