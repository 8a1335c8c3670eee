//! Where the client's tokens come from: the API token source behind the client's `TokenCache`, and the
//! per-patient session source behind its `SubjectTokenCache` (sign in again with the stored identity, or
//! extend a still-valid token). Both send their token operations through the client's token transport, which
//! carries no credentials but has the client's retries, limits and tracing.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use carewire_core::BoxFuture;
use carewire_core::auth::{Token, TokenSource};
use carewire_core::operation::Call;
use carewire_core::secret::{ExposeSecret, SecretString};
use carewire_core::subject::SubjectTokenSource;
use carewire_core::{AuthError, Error, Result, Transport};

use super::enterprise::EnterpriseHash;
use super::identity::PatientIdentity;
use super::jwt;
use super::tokens::{CreateApiToken, CreateUserToken, ExtendUserToken, UserToken};

/// The client's account credentials.
pub(crate) struct Secrets {
    pub(crate) api_key: SecretString,
    pub(crate) password: SecretString,
    pub(crate) ou: String,
    pub(crate) enterprise: EnterpriseHash,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets")
            .field("api_key", &"[REDACTED]")
            .field("password", &"[REDACTED]")
            .field("ou", &self.ou)
            .field("enterprise", &self.enterprise)
            .finish()
    }
}

/// Turns a token endpoint's failure into an [`Error::Auth`] carrying its status; validation and
/// configuration errors stay what they are.
pub(crate) fn auth_failure(what: &'static str, err: Error) -> Error {
    match err {
        Error::InvalidRequest { .. } | Error::Config(_) | Error::Auth(_) => err,
        other => {
            let mut auth = AuthError::new(what);
            if let Some(status) = other.status() {
                auth = auth.with_status(status);
            }
            Error::Auth(auth.with_source(other))
        }
    }
}

/// Fetches API tokens (`POST /auth/auth_token`); a token given to the builder is used first.
pub(crate) struct ApiTokenSource {
    pub(crate) tokens: Transport,
    pub(crate) secrets: Arc<Secrets>,
    pub(crate) seed: Mutex<Option<SecretString>>,
}

impl fmt::Debug for ApiTokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiTokenSource").field("secrets", &self.secrets).finish_non_exhaustive()
    }
}

impl TokenSource for ApiTokenSource {
    fn fetch(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(async move {
            let seed = self.seed.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(seed) = seed {
                let lifetime = jwt::lifetime_of(seed.expose_secret());
                return Ok(Token::new(seed, Some(lifetime)));
            }
            let op = CreateApiToken::new(self.secrets.api_key.expose_secret(), self.secrets.password.expose_secret());
            let token = Call::new(self.tokens.clone(), op)
                .await
                .map_err(|e| auth_failure("MDLIVE did not issue an API token for the API key and password", e))?;
            let lifetime = token.lifetime();
            Ok(Token::new(token.jwt, Some(lifetime)))
        })
    }
}

/// Fetches and extends patients' user tokens, keyed by MDLIVE patient id.
pub(crate) struct SessionTokens {
    pub(crate) tokens: Transport,
    pub(crate) secrets: Arc<Secrets>,
    identities: Mutex<HashMap<String, PatientIdentity>>,
}

impl fmt::Debug for SessionTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let patients = self.identities.lock().map_or(0, |m| m.len());
        f.debug_struct("SessionTokens").field("identities", &patients).finish_non_exhaustive()
    }
}

impl SessionTokens {
    pub(crate) fn new(tokens: Transport, secrets: Arc<Secrets>) -> Self {
        Self { tokens, secrets, identities: Mutex::new(HashMap::new()) }
    }

    /// Signs `identity` in: `POST /api/v1/sso_auth/auth_token`, signed with the enterprise hash.
    pub(crate) async fn sign_in(&self, identity: &PatientIdentity) -> Result<UserToken> {
        identity.validate()?;
        let s = &self.secrets;
        let op = CreateUserToken::new(identity.clone(), &s.ou, s.api_key.expose_secret(), s.password.expose_secret())
            .signed(&s.enterprise)?;
        Call::new(self.tokens.clone(), op).await.map_err(|e| auth_failure("MDLIVE did not sign the patient in", e))
    }

    /// Keeps `identity` to sign `patient_id` in again later.
    pub(crate) fn remember(&self, patient_id: &str, identity: PatientIdentity) {
        self.identities.lock().unwrap_or_else(PoisonError::into_inner).insert(patient_id.to_owned(), identity);
    }

    /// Forgets `patient_id`'s identity.
    pub(crate) fn forget(&self, patient_id: &str) {
        self.identities.lock().unwrap_or_else(PoisonError::into_inner).remove(patient_id);
    }

    /// Whether an identity is kept for `patient_id`.
    pub(crate) fn knows(&self, patient_id: &str) -> bool {
        self.identities.lock().unwrap_or_else(PoisonError::into_inner).contains_key(patient_id)
    }
}

impl SubjectTokenSource for SessionTokens {
    fn fetch<'a>(&'a self, patient_id: &'a str) -> BoxFuture<'a, Result<Token>> {
        Box::pin(async move {
            let identity = self.identities.lock().unwrap_or_else(PoisonError::into_inner).get(patient_id).cloned();
            let Some(identity) = identity else {
                return Err(Error::Auth(AuthError::new(
                    "the patient's session was resumed from a token and its token can no longer be extended; \
                 sign the patient in again (no identity is stored to do it automatically)",
                )));
            };
            let token = self.sign_in(&identity).await?;
            if token.patient_id() != Some(patient_id) {
                return Err(Error::Auth(AuthError::new("MDLIVE's sign-in answered for another patient id")));
            }
            let lifetime = token.lifetime();
            Ok(Token::new(token.jwt, Some(lifetime)))
        })
    }

    fn extend<'a>(&'a self, patient_id: &'a str, current: &'a SecretString) -> BoxFuture<'a, Result<Option<Token>>> {
        Box::pin(async move {
            let s = &self.secrets;
            let op = ExtendUserToken::new(
                current.expose_secret(),
                &s.ou,
                s.api_key.expose_secret(),
                s.password.expose_secret(),
            );
            let token = Call::new(self.tokens.clone(), op)
                .await
                .map_err(|e| auth_failure("MDLIVE did not extend the patient's token", e))?;
            if token.patient_id().is_some_and(|id| id != patient_id) {
                return Err(Error::Auth(AuthError::new("MDLIVE's extension answered for another patient id")));
            }
            let lifetime = token.lifetime();
            Ok(Some(Token::new(token.jwt, Some(lifetime))))
        })
    }
}
