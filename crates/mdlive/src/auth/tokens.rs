//! The three token operations as values: the API token (`POST /auth/auth_token`), a patient's SSO sign-in
//! (`POST /api/v1/sso_auth/auth_token`) and its extension (`POST /api/v1/sso_auth/auth_extend`), with the
//! token answers they decode. All three send their credentials in the body, so their scope is
//! [`Scope::None`]; the client sends them through a transport of their own that carries no token.

use std::collections::BTreeMap;
use std::time::Duration;

use carewire_core::operation::{Encodings, Operation, Scope, Spec};
use carewire_core::secret::{ExposeSecret, SecretString};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::enterprise::EnterpriseHash;
use super::identity::PatientIdentity;
use super::jwt;

fn require(field: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() { Err(Error::invalid_request(field, "must not be empty")) } else { Ok(()) }
}

/// The API token answer: `{"jwt": "..."}`, whose lifetime is only in the JWT's `exp`.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ApiToken {
    /// The token. Treat it as a secret.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub jwt: String,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

carewire_core::redacted_debug!(ApiToken { redact: [jwt], keys: [extra] });

impl ApiToken {
    /// The JWT's `exp` claim (unix seconds), when readable.
    pub fn expires_at(&self) -> Option<i64> {
        jwt::jwt_expiry(&self.jwt)
    }
    /// How long to use it: until its `exp`, or [`DEFAULT_TOKEN_LIFETIME`](super::DEFAULT_TOKEN_LIFETIME) when
    /// that cannot be read.
    pub fn lifetime(&self) -> Duration {
        jwt::lifetime_of(&self.jwt)
    }
}

/// The `user` of a user-token answer.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SsoUser {
    /// The MDLIVE patient id (`52`), the `{patient_id}` of every patient path.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The user type (`"Patient"`).
    #[serde(rename = "type", default)]
    pub user_type: Option<String>,
    /// The token's lifetime in minutes, set when it was issued.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub time_to_live_minutes: Option<i64>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

carewire_core::redacted_debug!(SsoUser { show: [id, user_type, time_to_live_minutes], keys: [extra] });

/// A user-token answer (sign-in or extension): `{"jwt", "user": {"id", "type", "time_to_live_minutes"}}`.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct UserToken {
    /// The patient's token. Treat it as a secret.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub jwt: String,
    /// The patient it was issued for.
    #[serde(default)]
    pub user: Option<SsoUser>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

carewire_core::redacted_debug!(UserToken { show: [user], redact: [jwt], keys: [extra] });

impl UserToken {
    /// The MDLIVE patient id the token is for (`user.id`).
    pub fn patient_id(&self) -> Option<&str> {
        self.user.as_ref().and_then(|u| u.id.as_deref()).filter(|id| !id.trim().is_empty())
    }
    /// How long the token lives: the shorter of `user.time_to_live_minutes` (also read at the top level) and
    /// what the JWT's `exp` leaves, when either is there; else
    /// [`DEFAULT_TOKEN_LIFETIME`](super::DEFAULT_TOKEN_LIFETIME).
    pub fn lifetime(&self) -> Duration {
        let top_level = self.extra.get("time_to_live_minutes").and_then(|v| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        });
        let minutes = self.user.as_ref().and_then(|u| u.time_to_live_minutes).or(top_level);
        let ttl = minutes
            .and_then(|m| u64::try_from(m).ok())
            .filter(|m| *m > 0)
            .map(|m| Duration::from_secs(m.saturating_mul(60)));
        let exp = jwt::remaining_lifetime(&self.jwt, std::time::SystemTime::now());
        match (ttl, exp) {
            (Some(a), Some(b)) => a.min(b),
            (Some(d), None) | (None, Some(d)) => d,
            (None, None) => jwt::DEFAULT_TOKEN_LIFETIME,
        }
    }
}

/// `POST /auth/auth_token`: an API token for the client's own calls, from the API key and password.
///
/// ```no_run
/// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
/// // The client fetches its API token on its own; sent by hand:
/// let token = client.send(carewire::mdlive::CreateApiToken::new("my_api_key", "my_password")).await?;
/// println!("valid until {:?} (unix seconds)", token.expires_at());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CreateApiToken {
    api_key: SecretString,
    password: SecretString,
}

impl std::fmt::Debug for CreateApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CreateApiToken { api_key: [REDACTED], password: [REDACTED] }")
    }
}

impl CreateApiToken {
    /// The request for the API key and password an account manager assigned.
    pub fn new(api_key: impl Into<String>, password: impl Into<String>) -> Self {
        Self { api_key: SecretString::from(api_key.into()), password: SecretString::from(password.into()) }
    }
}

impl Operation for CreateApiToken {
    type Output = ApiToken;
    // Asking for a token twice changes nothing: safe to retry.
    const SPEC: Spec = Spec::post("/auth/auth_token").name("auth.api_token").scope(Scope::None).json().idempotent(true);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        require("auth.api_key", self.api_key.expose_secret())?;
        require("auth.password", self.password.expose_secret())?;
        let body =
            json!({"auth": {"api_key": self.api_key.expose_secret(), "password": self.password.expose_secret()}});
        Ok(Self::SPEC.request().json(&body))
    }

    fn decode(&self, raw: RawResponse) -> Result<ApiToken> {
        raw.json()
    }
}

/// `POST /api/v1/sso_auth/auth_token`: signs a patient in (creating or updating them in MDLIVE) and returns
/// their user token and patient id. [`Client::sign_in`](crate::Client::sign_in) sends it for you.
///
/// ```no_run
/// use carewire::mdlive::{CreateUserToken, EnterpriseHash, EnterpriseHashForm, PatientIdentity};
///
/// # async fn run(client: carewire::mdlive::Client, identity: PatientIdentity) -> carewire::Result<()> {
/// // `client.sign_in` does this and keeps the session; sent by hand:
/// let hash = EnterpriseHash::Secret { secret: "shared-secret".into(), form: EnterpriseHashForm::Base64OfHex };
/// let op = CreateUserToken::new(identity, "my_ou", "my_api_key", "my_password").signed(&hash)?;
/// let token = client.send(op).await?;
/// println!("patient {:?}, valid for {:?}", token.patient_id(), token.lifetime());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CreateUserToken {
    identity: PatientIdentity,
    ou: String,
    request_timestamp: Option<String>,
    enterprise_hash: Option<SecretString>,
    api_key: SecretString,
    password: SecretString,
}

impl std::fmt::Debug for CreateUserToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUserToken")
            .field("identity", &self.identity)
            .field("ou", &self.ou)
            .field("request_timestamp", &self.request_timestamp)
            .field("enterprise_hash", &self.enterprise_hash.as_ref().map(|_| "[REDACTED]"))
            .finish_non_exhaustive()
    }
}

impl CreateUserToken {
    /// A sign-in of `identity` for the organisational unit `ou`, with the API key and password.
    pub fn new(
        identity: PatientIdentity,
        ou: impl Into<String>,
        api_key: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Self {
            identity,
            ou: ou.into(),
            request_timestamp: None,
            enterprise_hash: None,
            api_key: SecretString::from(api_key.into()),
            password: SecretString::from(password.into()),
        }
    }

    /// Sends `org.request_timestamp` and `org.enterprise_hash` as `hash` says: computed now from the shared
    /// secret (refused without a member id, naming `auth.member_id`), a fixed hash as is, or neither.
    pub fn signed(mut self, hash: &EnterpriseHash) -> Result<Self> {
        let (timestamp, hash) = hash.sign(self.identity.member_id_ref())?;
        self.request_timestamp = timestamp;
        self.enterprise_hash = hash;
        Ok(self)
    }

    /// Sends this `org.request_timestamp` (the exact text that was hashed) and `org.enterprise_hash`.
    pub fn enterprise_hash(mut self, request_timestamp: Option<String>, hash: impl Into<String>) -> Self {
        self.request_timestamp = request_timestamp;
        self.enterprise_hash = Some(SecretString::from(hash.into()));
        self
    }

    /// The identity signed in.
    pub fn identity(&self) -> &PatientIdentity {
        &self.identity
    }
}

impl Operation for CreateUserToken {
    type Output = UserToken;
    // MDLIVE creates or updates the patient from the same identity: a repeat changes nothing more.
    const SPEC: Spec =
        Spec::post("/api/v1/sso_auth/auth_token").name("auth.sso_token").scope(Scope::None).json().idempotent(true);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.identity.validate()?;
        require("org.ou", &self.ou)?;
        require("api.api_key", self.api_key.expose_secret())?;
        require("api.password", self.password.expose_secret())?;
        let mut org = serde_json::Map::new();
        org.insert("ou".into(), Value::String(self.ou.clone()));
        if let Some(ts) = &self.request_timestamp {
            org.insert("request_timestamp".into(), Value::String(ts.clone()));
        }
        if let Some(hash) = &self.enterprise_hash {
            org.insert("enterprise_hash".into(), Value::String(hash.expose_secret().to_owned()));
        }
        let body = json!({
            "auth": self.identity.wire(),
            "org": org,
            "api": {"api_key": self.api_key.expose_secret(), "password": self.password.expose_secret()},
        });
        Ok(Self::SPEC.request().json(&body))
    }

    fn decode(&self, raw: RawResponse) -> Result<UserToken> {
        let token: UserToken = raw.json()?;
        if token.patient_id().is_none() {
            return Err(raw.attach_context(carewire_core::resource::missing(raw.meta.status, "user", "id", &raw.body)));
        }
        Ok(token)
    }
}

/// `POST /api/v1/sso_auth/auth_extend`: a new token for a patient, given their still-valid one (sent as
/// `Authorization: Bearer`). The client extends session tokens before they expire on its own.
///
/// ```no_run
/// # async fn run(client: carewire::mdlive::Client, still_valid: String) -> carewire::Result<()> {
/// let op = carewire::mdlive::ExtendUserToken::new(still_valid, "my_ou", "my_api_key", "my_password");
/// let fresh = client.send(op).await?;
/// println!("valid for {:?}", fresh.lifetime());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ExtendUserToken {
    token: SecretString,
    ou: String,
    api_key: SecretString,
    password: SecretString,
}

impl std::fmt::Debug for ExtendUserToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExtendUserToken").field("ou", &self.ou).finish_non_exhaustive()
    }
}

impl ExtendUserToken {
    /// An extension of the still-valid user `token` for the unit `ou`, with the API key and password.
    pub fn new(
        token: impl Into<String>,
        ou: impl Into<String>,
        api_key: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Self {
            token: SecretString::from(token.into()),
            ou: ou.into(),
            api_key: SecretString::from(api_key.into()),
            password: SecretString::from(password.into()),
        }
    }
}

impl Operation for ExtendUserToken {
    type Output = UserToken;
    const SPEC: Spec =
        Spec::post("/api/v1/sso_auth/auth_extend").name("auth.sso_extend").scope(Scope::None).json().idempotent(true);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        require("authorization", self.token.expose_secret())?;
        require("org.ou", &self.ou)?;
        let body = json!({
            "org": {"ou": self.ou},
            "api": {"api_key": self.api_key.expose_secret(), "password": self.password.expose_secret()},
        });
        Ok(Self::SPEC.request().header("authorization", format!("Bearer {}", self.token.expose_secret())).json(&body))
    }

    fn decode(&self, raw: RawResponse) -> Result<UserToken> {
        raw.json()
    }
}
