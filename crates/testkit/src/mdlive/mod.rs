//! A stateful, in-process sandbox of the MDLIVE API on 127.0.0.1.
//!
//! [`Sandbox`] speaks the documented wire format (it does not depend on the MDLIVE client crate). Its base
//! URL, [`Sandbox::base_url`], stands for the doc's `{server}`: every path of the doc hangs off it
//! (`/auth/auth_token`, `/api/v1/...`, `/api/v2/...`).
//!
//! # Tokens
//!
//! - **API token**: `POST /auth/auth_token` with `{"auth": {"api_key", "password"}}` ([`API_KEY`],
//!   [`API_PASSWORD`]) answers `{"jwt"}`. Every token is a three-part HS256 JWT whose payload carries `exp`
//!   (epoch seconds, rounded down) and a unique `jti`.
//! - **User (SSO) token**: `POST /api/v1/sso_auth/auth_token` with `auth` (the patient), `org` (`ou` = [`OU`],
//!   `request_timestamp`, `enterprise_hash`) and `api` (the API credentials) answers `{"jwt", "user": {"id",
//!   "type": "Patient", "time_to_live_minutes"}}`. The first sign-in of an identity creates the patient; the
//!   same `subscriber_id`, first and last name (case-insensitive) and `birthdate` always give the same
//!   `user.id`, and later sign-ins update the stored profile. Required `auth` fields (400 when missing):
//!   `first_name`, `last_name`, `gender` (`M`/`F`/`U`), `birthdate` (`YYYY-MM-DD`), `subscriber_id`,
//!   `phone`, `address1`, `city`, `state` (a state abbreviation), `zip`, `relationship`; `email` may be empty.
//!   `time_to_live_minutes` is the TTL in minutes rounded up (at least 1); the JWT `exp` is exact.
//! - **Enterprise hash**: off by default (the fields are ignored). With
//!   [`SandboxBuilder::enterprise_secret`] the sign-in must carry `org.request_timestamp` and
//!   `org.enterprise_hash` equal to [`enterprise_hash`]`(auth.member_id, request_timestamp, secret, form)`
//!   (default form: base64 of the lowercase hex SHA-256, the doc's example), and the timestamp must be within
//!   five minutes of now ([`SandboxBuilder::enterprise_hash_window`]); otherwise 401. A missing `member_id` is
//!   a 400. With [`SandboxBuilder::fixed_enterprise_hash`] the hash must be that exact string instead.
//! - **Extension**: `POST /api/v1/sso_auth/auth_extend` with `Authorization: Bearer <still-valid user token>`
//!   and `{"org": {"ou"}, "api": {...}}` answers a new user token with a fresh TTL (the old one stays valid
//!   until it expires); an expired, unknown or API token is a 401.
//! - TTLs: [`SandboxBuilder::api_token_ttl`] and [`SandboxBuilder::user_token_ttl`] (default
//!   [`DEFAULT_TOKEN_TTL`], an hour). [`Sandbox::expire_token`] and [`Sandbox::expire_all_tokens`] expire
//!   tokens at once. [`Sandbox::api_tokens_issued`], [`Sandbox::user_tokens_issued`],
//!   [`Sandbox::user_tokens_extended`] and [`Sandbox::sign_ins`] count what clients asked for over HTTP.
//!
//! # Which token a route takes
//!
//! [`routes`] lists every route with its [`TokenRule`]. Every route with `{patient_id}` takes only that
//! patient's user token: an API token or another patient's token is a 401 (the doc's code table has no
//! 403). Webhook registration takes only the API token. The routes without a patient id take the API token
//! and also accept a user token: the five the doc says take "a valid JWT token" (provider profile, allergy
//! search, alternate visit options, medication search, surgery names), the two it says nothing about
//! (assessments list and show), and the five it says take a user token although they carry no patient id
//! (connection parameters, chief complaints, insurance payers, clinical concepts, cost check). A user token
//! on provider profile or cost check must match their `patient_id` query parameter, and on connection
//! parameters the appointment must be that patient's. A missing, unknown or expired token is a 401.
//!
//! # Routes
//!
//! All 70 operations of the doc, at the exact method and path of its "HTTP Request" lines, and also `PUT` for
//! `entered_waiting_room` and `POST` for the PCP update (their examples' methods). Stateful:
//!
//! - **Patients**: get and update (`PATCH`, every field optional) a profile built on the doc's example;
//!   `upcoming_appointments`, `completed_appointments` and `requested_appointments` come from the state.
//! - **Providers**: [`SEEDED_PROVIDERS`] providers (the doc's Travis Stork, [`PROVIDER_ID`], and the three
//!   of its search example among them), each with six open slots (15:00 and 15:30 UTC on the next three
//!   days). Search pages with `page` (default 1) and `per_page` (default 10) in the query and filters on
//!   `gender`, `provider_type_id`, `language_id` and `specific_date`; `search.state_abbrev` is required. The
//!   profile lists the open slots of `specific_date` (default today, else the next day with slots).
//! - **Appointments**: create first-available (no `provider_id`, `start_time` null) or with a provider at
//!   `start_time` (epoch seconds; the matching slot is taken, and a second booking of the same provider and
//!   time is a 409); the consent flags must be `true`. The answer, undocumented, is the sandbox's own:
//!   `{"appointment": {"id", "patient_id", "provider_id", "status": "pending", "start_time", ...}}`.
//!   Upcoming (`{"appointments": [...]}`), cancel (204; 409 once started), waiting room (200, empty),
//!   connection parameters (`{"connection_params": {"appointment_id", "url", "post_consultation_url"}}`).
//!   [`Sandbox::accept_appointment`], [`Sandbox::provider_ready`] and [`Sandbox::complete_appointment`] move
//!   an appointment on and return the webhook event; after-care instructions and the consultation summary
//!   exist for completed appointments.
//! - **Appointment requests**: create (the answer's `appointment_date` has the doc's two-digit year,
//!   `18-12-20`), cancel and remind (`{"message"}`; 409 once cancelled).
//! - **Records**: allergies, medications, medical conditions, surgeries and customer documents (create,
//!   list, show, delete; deletes answer 204). Documents answer without a wrapper (as the doc's surviving
//!   lines), lists as `{"documents": [...]}`; `doc.data` must be base64. Health history adds to those
//!   records and stores the pediatric profile under its display keys (snake_case keys accepted) with
//!   `Yes`/`No` values; health conditions aggregates them. Behavioral history, insurance (eligible unless the
//!   member id starts with [`INELIGIBLE_MEMBER_PREFIX`]), assessment assignments
//!   ([`Sandbox::assign_assessment`]) and responses (scored by the standard bands).
//! - **Payments**: cost check (49 for family physicians and pediatricians, 99 therapists, 259
//!   psychiatrists, 85 dermatologists; [`PROMO_CODE`] takes 10 off; 0 with `authorize_insurance=true` and an
//!   eligible insurance); the default credit card (Luhn-checked, not expired, only the last four digits
//!   kept; delete answers 200 `{}`).
//! - **Messages**: a system inbox (sign-in and every appointment leave a message), contacts, conversations
//!   and sending to a provider the patient has an appointment or a message with
//!   ([`Sandbox::send_provider_message`]); mark read answers 204.
//! - **PCP** (get `{"pcp": null}` when none; create 409 when one exists), PCP questions (array or object),
//!   pharmacies (a bare array), prescriptions ([`Sandbox::prescribe`]), webhook registration (https only;
//!   [`Sandbox::webhook_url`]).
//! - **Catalogues** from the doc's examples, extended: allergy and medication search (`search.term`,
//!   `search.limit`), chief complaints and clinical concepts (`search[term]`, `search[limit]`,
//!   `search[language]` or flat `term`/`limit`/`language` in the query, or a JSON body), alternate visit
//!   options, insurance payers, surgery names, assessments.
//!
//! # Errors
//!
//! MDLIVE documents status codes but no error body. The sandbox's own choice: every error is JSON
//! `{"error": "<message>"}` with the documented codes: 400 (a missing or invalid parameter; the message
//! names the field as a path such as `allergy.severity`), 401 (token or credentials), 404 (unknown
//! resource), 409 (a conflict with the state). Unknown paths get the router's 404 and known paths with another
//! method a 405. Messages never contain request values.
//!
//! # Webhooks and faults
//!
//! [`webhook_event`] builds the doc's envelope `{"event": {"token", "action", "data": {<key>: {...}}}}`;
//! [`Sandbox::deliver_webhook`] POSTs one to a URL (plain `http://`, no signature: MDLIVE documents none).
//! Faults: [`Sandbox::inject`] (or [`Sandbox::server`]) queues a [`Fault`] for the next request or, with
//! [`Fault::on`], for one route; [`Sandbox::requests`] is the request log.
//!
//! ```
//! use carewire_testkit::mdlive::{self, Sandbox};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let sandbox = Sandbox::start();
//! let http = reqwest::Client::new();
//! let res = http
//!     .post(format!("{}/auth/auth_token", sandbox.base_url()))
//!     .header("content-type", "application/json")
//!     .body(serde_json::json!({ "auth": { "api_key": mdlive::API_KEY, "password": mdlive::API_PASSWORD } }).to_string())
//!     .send()
//!     .await
//!     .unwrap();
//! let body: serde_json::Value = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
//! let claims = mdlive::jwt_claims(body["jwt"].as_str().unwrap()).unwrap();
//! assert!(claims["exp"].as_i64().unwrap() > 1_700_000_000);
//! assert_eq!(sandbox.api_tokens_issued(), 1);
//! # }
//! ```

mod auth;
mod fixtures;
mod providers;
mod routes;
mod seed;
mod state;
mod webhook;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::{Fault, RecordedRequest, TestServer};
use state::{Config, Shared, State, lock};

pub use auth::{enterprise_hash, jwt_claims, request_timestamp};
pub use routes::{RouteInfo, TokenRule};
pub use webhook::webhook_event;

/// The API key the sandbox accepts by default.
pub const API_KEY: &str = "mdlive_sandbox_api_key";
/// The API password the sandbox accepts by default.
pub const API_PASSWORD: &str = "mdlive_sandbox_api_password";
/// The organizational unit (`org.ou`) the sandbox accepts by default.
pub const OU: &str = "carewire-sandbox";
/// A shared secret to configure with [`SandboxBuilder::enterprise_secret`] (the sandbox checks no hash
/// unless one is configured).
pub const ENTERPRISE_SECRET: &str = "mdlive_sandbox_enterprise_secret";
/// The default lifetime of API and user tokens.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(60 * 60);
/// How many providers the sandbox starts with (three pages of ten, the last one short).
pub const SEEDED_PROVIDERS: usize = providers::SEEDED_PROVIDERS;
/// The doc's provider, Travis Stork (a family physician, provider type 3).
pub const PROVIDER_ID: u64 = 4;
/// The promo code the cost check knows (10 off).
pub const PROMO_CODE: &str = routes::payments::PROMO_CODE;
/// Insurance member ids starting with this are ineligible (`incorrect_subscriber_id`).
pub const INELIGIBLE_MEMBER_PREFIX: &str = routes::health::INELIGIBLE_MEMBER_PREFIX;

/// How the enterprise hash encodes its SHA-256 digest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnterpriseHashForm {
    /// Base64 of the 64-character lowercase hex digest (what the doc's example value decodes to).
    #[default]
    Base64OfHex,
    /// Base64 of the 32 raw digest bytes.
    Base64OfDigest,
}

/// Configures a [`Sandbox`].
#[derive(Clone)]
#[must_use]
pub struct SandboxBuilder {
    config: Config,
}

impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("api_token_ttl", &self.config.api_token_ttl)
            .field("user_token_ttl", &self.config.user_token_ttl)
            .field(
                "enterprise_hash",
                &(self.config.enterprise_secret.is_some() || self.config.fixed_enterprise_hash.is_some()),
            )
            .finish_non_exhaustive()
    }
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            config: Config {
                api_key: API_KEY.to_owned(),
                api_password: API_PASSWORD.to_owned(),
                ou: OU.to_owned(),
                enterprise_secret: None,
                fixed_enterprise_hash: None,
                hash_form: EnterpriseHashForm::default(),
                hash_window: Duration::from_secs(5 * 60),
                api_token_ttl: DEFAULT_TOKEN_TTL,
                user_token_ttl: DEFAULT_TOKEN_TTL,
            },
        }
    }
}

impl SandboxBuilder {
    /// The API key to accept (default [`API_KEY`]).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.config.api_key = key.into();
        self
    }

    /// The API password to accept (default [`API_PASSWORD`]).
    pub fn api_password(mut self, password: impl Into<String>) -> Self {
        self.config.api_password = password.into();
        self
    }

    /// The organizational unit to accept (default [`OU`]).
    pub fn ou(mut self, ou: impl Into<String>) -> Self {
        self.config.ou = ou.into();
        self
    }

    /// Requires an enterprise hash made with this shared secret on SSO sign-in.
    pub fn enterprise_secret(mut self, secret: impl Into<String>) -> Self {
        self.config.enterprise_secret = Some(secret.into());
        self
    }

    /// Requires this exact enterprise hash on SSO sign-in (an organisation issued a fixed hash); takes
    /// precedence over [`SandboxBuilder::enterprise_secret`].
    pub fn fixed_enterprise_hash(mut self, hash: impl Into<String>) -> Self {
        self.config.fixed_enterprise_hash = Some(hash.into());
        self
    }

    /// How the expected enterprise hash is encoded (default [`EnterpriseHashForm::Base64OfHex`]).
    pub fn enterprise_hash_form(mut self, form: EnterpriseHashForm) -> Self {
        self.config.hash_form = form;
        self
    }

    /// How far `request_timestamp` may be from now (default five minutes, as documented).
    pub fn enterprise_hash_window(mut self, window: Duration) -> Self {
        self.config.hash_window = window;
        self
    }

    /// How long API tokens live (default [`DEFAULT_TOKEN_TTL`]).
    pub fn api_token_ttl(mut self, ttl: Duration) -> Self {
        self.config.api_token_ttl = ttl;
        self
    }

    /// How long user tokens live, from sign-in or extension (default [`DEFAULT_TOKEN_TTL`]).
    pub fn user_token_ttl(mut self, ttl: Duration) -> Self {
        self.config.user_token_ttl = ttl;
        self
    }

    /// Starts the sandbox.
    ///
    /// # Panics
    ///
    /// If the server cannot start (see [`TestServer::start`]).
    pub fn start(self) -> Sandbox {
        let state: Shared = Arc::new(Mutex::new(State::new(self.config)));
        let server = TestServer::start(routes::router(&state));
        Sandbox { server, state }
    }
}

/// The MDLIVE sandbox. See the [module docs](self). Cheap to clone; the server stops when the last clone is
/// dropped.
#[derive(Clone)]
pub struct Sandbox {
    server: TestServer,
    state: Shared,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox").field("server", &self.server).finish_non_exhaustive()
    }
}

/// Every route of the sandbox with its token rule, in the order of the notes' table: the 70 operations and,
/// right after their first method, the second methods of entered_waiting_room (`PUT`) and the PCP update
/// (`POST`), 72 in all.
pub fn routes() -> Vec<RouteInfo> {
    routes::routes()
}

impl Sandbox {
    /// Starts a sandbox with the defaults.
    pub fn start() -> Self {
        Self::builder().start()
    }

    /// Configures a sandbox.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// `http://127.0.0.1:PORT`, the server's root.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The API base URL, the doc's `{server}`: `http://127.0.0.1:PORT` (no trailing slash; the paths
    /// `/auth/...` and `/api/v1/...` follow it).
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// The underlying server: fault injection, request log, counters.
    pub fn server(&self) -> &TestServer {
        &self.server
    }

    /// Every request received so far, in order, including those answered by a fault.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// How many requests had this method (`"*"` for any) and exactly this path.
    pub fn received(&self, method: &str, path: &str) -> usize {
        self.server.received(method, path)
    }

    /// Queues `fault` (see [`TestServer::inject`]).
    pub fn inject(&self, fault: Fault) {
        self.server.inject(fault);
    }

    /// Removes every queued fault.
    pub fn clear_faults(&self) {
        self.server.clear_faults();
    }

    /// How many API tokens clients obtained from `POST /auth/auth_token`.
    pub fn api_tokens_issued(&self) -> u64 {
        lock(&self.state).api_tokens_issued
    }

    /// How many user tokens clients obtained by SSO sign-in (all patients).
    pub fn user_tokens_issued(&self) -> u64 {
        lock(&self.state).user_tokens_issued
    }

    /// How many user tokens clients obtained by extension (all patients).
    pub fn user_tokens_extended(&self) -> u64 {
        lock(&self.state).user_tokens_extended
    }

    /// How many SSO sign-ins patient `patient_id` had.
    pub fn sign_ins(&self, patient_id: u64) -> u64 {
        lock(&self.state).sign_ins.get(&patient_id).copied().unwrap_or(0)
    }

    /// An API token minted directly (not counted), valid for the configured TTL.
    pub fn issue_api_token(&self) -> String {
        auth::mint_api_token(&mut lock(&self.state))
    }

    /// A user token for `patient_id` minted directly (not counted), valid for the configured TTL; `None` for
    /// an unknown patient. For resuming a session from a known token.
    pub fn issue_user_token(&self, patient_id: u64) -> Option<String> {
        let mut st = lock(&self.state);
        st.patient(patient_id)?;
        Some(auth::mint_user_token(&mut st, patient_id))
    }

    /// Expires `token` now (later calls with it get 401); `false` if the sandbox never issued it.
    pub fn expire_token(&self, token: &str) -> bool {
        let mut st = lock(&self.state);
        st.tokens.get_mut(token).map(|row| row.expires_at = std::time::SystemTime::UNIX_EPOCH).is_some()
    }

    /// Expires every token issued so far.
    pub fn expire_all_tokens(&self) {
        for row in lock(&self.state).tokens.values_mut() {
            row.expires_at = std::time::SystemTime::UNIX_EPOCH;
        }
    }

    /// The webhook URL registered with `POST /api/v1/webhook`, if any.
    pub fn webhook_url(&self) -> Option<String> {
        lock(&self.state).webhook_url.clone()
    }
}
