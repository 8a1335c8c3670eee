//! MDLIVE authentication: the client's API token (fetched, cached and renewed for the calls that need it),
//! patients' user tokens from SSO sign-in (extended before they expire, signed in again when they can no
//! longer be extended), the enterprise hash that signs a sign-in, and the token operations as values.
//!
//! The client does all of this on its own: [`Client::sign_in`](crate::Client::sign_in) returns a
//! [`PatientSession`](crate::PatientSession) whose calls carry the patient's token, and the client's other
//! calls carry the API token. The pieces here are for callers who send the token operations themselves.

mod enterprise;
mod identity;
mod jwt;
pub(crate) mod sources;
mod tokens;

pub use enterprise::{
    EnterpriseHash, EnterpriseHashForm, enterprise_hash, request_timestamp_at, request_timestamp_now,
};
pub use identity::{Gender, PatientIdentity, Relationship};
pub use jwt::{DEFAULT_TOKEN_LIFETIME, jwt_expiry};
pub use tokens::{ApiToken, CreateApiToken, CreateUserToken, ExtendUserToken, SsoUser, UserToken};
