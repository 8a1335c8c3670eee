//! Medtimes webhooks: signature verification, replay protection and typed events.
//!
//! Medtimes signs the **raw body** with HMAC-SHA256 keyed by the endpoint secret and sends the lowercase hex
//! digest in `Medtimes-Signature` (no prefix, no timestamp). carewire compares in constant time (the doc's
//! example compares with `===`, which leaks timing), matches the header name case-insensitively and accepts
//! several secrets during a rotation. Because nothing signed carries a time, a captured webhook verifies
//! forever, so [`Webhooks::receive`] rejects a second delivery ([`WebhookError::Replayed`]) **by default**:
//! every [`Webhooks`] starts with an in-memory [`MemoryReplayGuard::default`] (the last 10,000 webhooks, each
//! for 7 days). Replace it with your own ([`Webhooks::replay_guard`], [`Webhooks::shared_replay_guard`]: a
//! store shared by all your instances) or opt out explicitly with [`Webhooks::without_replay_guard`].
//!
//! With several instances behind a load balancer, give every one the same shared guard (the
//! `carewire-redis` crate's, for one) and receive with [`Webhooks::receive_async`]: a delivery accepted by
//! one instance is then refused as a replay by all. When the shared store cannot answer, the delivery is
//! refused with [`WebhookError::ReplayCheckUnavailable`]: answer 503 and Medtimes delivers it again later.
//!
//! The payload envelope is undocumented: [`WebhookEvent::parse`] reads the type from `type` or `event` (it
//! must be there: a body without one, `{}`, an empty body or an HTML page is [`WebhookError::InvalidPayload`]),
//! and the data from `data` (or `data.object`) or else from the top level.
//!
//! # Examples
//!
//! The receive flow: verify, parse, reject replays.
//!
//! ```
//! use carewire_core::webhook::{WebhookError, sign_for_tests};
//! use carewire_medtimes::webhooks::{EventData, Webhooks};
//!
//! let webhooks = Webhooks::new("whsec_current").add_secret("whsec_previous"); // during a rotation
//!
//! // What your web framework hands you: the raw body bytes and the headers.
//! let body = br#"{"type":"consult.completed","data":{"consult_id":"cns_4492193","prescription_id":"scr_881920"}}"#;
//! let signature = sign_for_tests("whsec_previous", body);
//! let headers = [("content-type", "application/json"), ("medtimes-signature", signature.as_str())];
//!
//! let event = webhooks.receive(headers, body)?;
//! match &event.data {
//!     EventData::ConsultCompleted(done) => assert_eq!(done.prescription_id.as_deref(), Some("scr_881920")),
//!     _ => unreachable!(),
//! }
//! // The same delivery again is a replay: answer 200 without processing it twice.
//! assert_eq!(webhooks.receive(headers, body).unwrap_err(), WebhookError::Replayed);
//! # Ok::<(), WebhookError>(())
//! ```

use std::fmt;
use std::sync::Arc;

use carewire_core::secret::SecretString;
use carewire_core::webhook::{
    MemoryReplayGuard, RawBody, ReplayGuard, Verifier, WebhookError, find_header, replay_key,
};

/// The signature header.
pub const SIGNATURE_HEADER: &str = "Medtimes-Signature";

/// The environment variable the doc's example reads the endpoint secret from, read by [`Webhooks::from_env`].
pub const ENV_WEBHOOK_SECRET: &str = "MEDTIMES_WEBHOOK_SECRET";

/// Which replay protection [`Webhooks::receive`] applies.
#[derive(Clone)]
enum Guard {
    /// The built-in bounded in-memory guard (the default).
    Default(Arc<MemoryReplayGuard>),
    /// The caller's guard.
    Custom(Arc<dyn ReplayGuard>),
    /// Explicitly disabled with [`Webhooks::without_replay_guard`].
    Disabled,
}

impl fmt::Debug for Guard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default(guard) => {
                write!(f, "default (in memory, up to {} webhooks for {} s)", guard.capacity(), guard.ttl().as_secs())
            }
            Self::Custom(_) => f.write_str("custom"),
            Self::Disabled => f.write_str("disabled (replays are accepted)"),
        }
    }
}

/// Verifies and parses Medtimes webhooks, rejecting replays by default.
///
/// Cheap to clone; clones share the replay guard. `Debug` never shows a secret and says which replay guard is
/// in use (`default (...)`, `custom` or `disabled`).
///
/// # Examples
///
/// ```
/// use carewire_medtimes::webhooks::Webhooks;
///
/// let webhooks = Webhooks::new("whsec_current");
/// let debug = format!("{webhooks:?}");
/// assert!(debug.contains("default (in memory, up to 10000 webhooks"), "{debug}");
/// assert!(!debug.contains("whsec_current"));
/// assert!(format!("{:?}", webhooks.without_replay_guard()).contains("disabled"));
/// ```
#[derive(Clone)]
pub struct Webhooks {
    verifier: Verifier,
    guard: Guard,
}

impl fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhooks").field("verifier", &self.verifier).field("replay_guard", &self.guard).finish()
    }
}

impl Webhooks {
    /// Verifies with the endpoint secret `secret` (its UTF-8 bytes are the HMAC key), with the default replay
    /// guard ([`MemoryReplayGuard::default`]: the last 10,000 webhooks, each remembered for 7 days). An empty
    /// secret is ignored, so a verifier built from an empty value rejects everything
    /// ([`WebhookError::NoSecrets`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{WebhookError, sign_for_tests};
    /// use carewire_medtimes::webhooks::Webhooks;
    ///
    /// let body = br#"{"type":"claim.paid","data":{"claim_id":"clm_1"}}"#;
    /// let signature = sign_for_tests("whsec_test", body);
    /// assert!(Webhooks::new("whsec_test").verify(body, &signature).is_ok());
    /// assert_eq!(Webhooks::new("").verify(body, &signature), Err(WebhookError::NoSecrets));
    /// ```
    pub fn new(secret: impl Into<String>) -> Self {
        Self::with_secrets([secret])
    }

    /// Accepts a signature made with any of `secrets` (rotation), with the default replay guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::sign_for_tests;
    /// use carewire_medtimes::webhooks::Webhooks;
    ///
    /// let webhooks = Webhooks::with_secrets(["whsec_new", "whsec_old"]);
    /// assert!(webhooks.verify(b"{}", &sign_for_tests("whsec_old", b"{}")).is_ok());
    /// ```
    pub fn with_secrets<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let secrets: Vec<SecretString> = secrets.into_iter().map(|s| SecretString::from(s.into())).collect();
        Self { verifier: Verifier::with_secrets(secrets), guard: Guard::Default(Arc::default()) }
    }

    /// Reads the endpoint secret from `MEDTIMES_WEBHOOK_SECRET` ([`ENV_WEBHOOK_SECRET`]), with the default replay
    /// guard.
    ///
    /// Fails with [`carewire_core::Error::Config`] naming the variable when it is unset, empty (or only
    /// whitespace) or not valid UTF-8, rather than building a receiver that silently refuses everything.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let webhooks = carewire_medtimes::webhooks::Webhooks::from_env()?;
    /// # Ok::<(), carewire_core::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, carewire_core::Error> {
        match std::env::var(ENV_WEBHOOK_SECRET) {
            Err(std::env::VarError::NotUnicode(_)) => {
                Err(carewire_core::Error::config("MEDTIMES_WEBHOOK_SECRET is not valid UTF-8"))
            }
            value => Self::from_vars(|_| value.clone().ok()),
        }
    }

    /// Like [`Webhooks::from_env`], reading `MEDTIMES_WEBHOOK_SECRET` through `lookup` (a config file, a
    /// secrets manager, a test). The value is used exactly as returned (not trimmed).
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_medtimes::webhooks::Webhooks;
    ///
    /// let webhooks = Webhooks::from_vars(|name| (name == "MEDTIMES_WEBHOOK_SECRET").then(|| "whsec_1".into()))?;
    /// let err = Webhooks::from_vars(|_| None).unwrap_err();
    /// assert_eq!(err.to_string(), "configuration error: MEDTIMES_WEBHOOK_SECRET is not set");
    /// let err = Webhooks::from_vars(|_| Some(" ".into())).unwrap_err();
    /// assert_eq!(err.to_string(), "configuration error: MEDTIMES_WEBHOOK_SECRET is empty");
    /// # Ok::<(), carewire_core::Error>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, carewire_core::Error> {
        match lookup(ENV_WEBHOOK_SECRET) {
            None => Err(carewire_core::Error::config("MEDTIMES_WEBHOOK_SECRET is not set")),
            Some(secret) if secret.trim().is_empty() => {
                Err(carewire_core::Error::config("MEDTIMES_WEBHOOK_SECRET is empty"))
            }
            Some(secret) => Ok(Self::new(secret)),
        }
    }

    /// Adds another accepted secret (rotation: add the new one, deploy, then drop the old one; see the
    /// [module example](self)).
    #[must_use]
    pub fn add_secret(mut self, secret: impl Into<String>) -> Self {
        self.verifier = self.verifier.add_secret(SecretString::from(secret.into()));
        self
    }

    /// Replaces the default replay guard with `guard`. [`Webhooks::receive`] keys it by the event's `id` when
    /// the payload has one (`medtimes:event:{id}`), else by the SHA-256 of the body (`medtimes:body:{hex}`).
    /// A guard over a shared store must be awaited: receive with [`Webhooks::receive_async`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use carewire_core::webhook::MemoryReplayGuard;
    /// use carewire_medtimes::webhooks::Webhooks;
    ///
    /// let webhooks = Webhooks::new("whsec_test")
    ///     .replay_guard(MemoryReplayGuard::new(100_000, Duration::from_secs(30 * 24 * 3600)));
    /// assert!(format!("{webhooks:?}").contains("custom"));
    /// ```
    #[must_use]
    pub fn replay_guard(self, guard: impl ReplayGuard + 'static) -> Self {
        self.shared_replay_guard(Arc::new(guard))
    }

    /// Like [`Webhooks::replay_guard`] with a guard shared with other code (other receivers, or a store all
    /// your instances see).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use carewire_core::webhook::{MemoryReplayGuard, ReplayGuard};
    /// use carewire_medtimes::webhooks::Webhooks;
    ///
    /// let guard: Arc<dyn ReplayGuard> = Arc::new(MemoryReplayGuard::default());
    /// let webhooks = Webhooks::new("whsec_test").shared_replay_guard(guard.clone());
    /// # let _ = webhooks;
    /// ```
    #[must_use]
    pub fn shared_replay_guard(mut self, guard: Arc<dyn ReplayGuard>) -> Self {
        self.guard = Guard::Custom(guard);
        self
    }

    /// Turns replay protection off: [`Webhooks::receive`] then accepts the same signed delivery any number of
    /// times, for as long as the secret is valid.
    ///
    /// Only do this when something else deduplicates: an idempotent handler keyed by the event, or a
    /// [`ReplayGuard`] you apply yourself. Otherwise anyone who captures one delivery (a proxy log, a leaked
    /// request dump) can replay it, e.g. a `claim.paid`, indefinitely.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::sign_for_tests;
    /// use carewire_medtimes::webhooks::Webhooks;
    ///
    /// let webhooks = Webhooks::new("whsec_test").without_replay_guard();
    /// let body = br#"{"type":"claim.paid","data":{"claim_id":"clm_1"}}"#;
    /// let signature = sign_for_tests("whsec_test", body);
    /// let headers = [("medtimes-signature", signature.as_str())];
    /// assert!(webhooks.receive(headers, body).is_ok());
    /// assert!(webhooks.receive(headers, body).is_ok()); // accepted again
    /// ```
    #[must_use]
    pub fn without_replay_guard(mut self) -> Self {
        self.guard = Guard::Disabled;
        self
    }

    /// Verifies `signature` (the `Medtimes-Signature` value) over the raw `body`, in constant time. Records
    /// nothing in the replay guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{WebhookError, sign_for_tests};
    /// use carewire_medtimes::webhooks::Webhooks;
    ///
    /// let webhooks = Webhooks::new("whsec_test");
    /// let signature = sign_for_tests("whsec_test", b"{}");
    /// assert_eq!(webhooks.verify(b"{}", &signature), Ok(()));
    /// assert_eq!(webhooks.verify(b"{ }", &signature), Err(WebhookError::SignatureMismatch));
    /// ```
    pub fn verify(&self, body: &[u8], signature: &str) -> Result<(), WebhookError> {
        self.verifier.verify(body, signature)
    }

    /// Finds `Medtimes-Signature` (any case) in `headers` and verifies it over the raw `body`. Records nothing
    /// in the replay guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{WebhookError, sign_for_tests};
    /// use carewire_medtimes::webhooks::Webhooks;
    ///
    /// let webhooks = Webhooks::new("whsec_test");
    /// let signature = sign_for_tests("whsec_test", b"{}");
    /// assert!(webhooks.verify_headers([("MEDTIMES-SIGNATURE", signature.as_str())], b"{}").is_ok());
    /// assert_eq!(webhooks.verify_headers([], b"{}"), Err(WebhookError::MissingSignature));
    /// ```
    pub fn verify_headers<'a>(
        &self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        let signature = find_header(headers, SIGNATURE_HEADER).ok_or(WebhookError::MissingSignature)?;
        self.verify(body, signature)
    }

    /// The documented receive flow: verify the signature header over the raw body, parse the event, and
    /// reject a webhook seen before ([`WebhookError::Replayed`]; unless [`Webhooks::without_replay_guard`]).
    ///
    /// `body` is the raw body. Given owned (`Bytes`, as axum hands it over, or `Vec<u8>`), it is kept in
    /// [`WebhookEvent::raw`] without a copy; given borrowed (`&[u8]`), it is copied once it has verified and
    /// parsed.
    ///
    /// Nothing is recorded for a webhook that fails verification or parsing. A webhook is recorded as soon as
    /// it is returned here: if your processing of it then fails, a redelivery is refused as a replay, so
    /// process durably (or queue the event) before answering 2xx.
    ///
    /// # Examples
    ///
    /// See the [module documentation](self).
    pub fn receive<'a>(
        &self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: impl AsRef<[u8]> + Into<RawBody>,
    ) -> Result<WebhookEvent, WebhookError> {
        let event = self.verified(headers, body)?;
        let guard: &dyn ReplayGuard = match &self.guard {
            Guard::Default(guard) => &**guard,
            Guard::Custom(guard) => &**guard,
            Guard::Disabled => return Ok(event),
        };
        match guard.check_and_record_now(&replay_key_of(&event)) {
            Some(true) => Ok(event),
            Some(false) => Err(WebhookError::Replayed),
            None => Err(WebhookError::ReplayCheckUnavailable {
                reason: "the replay guard is a shared store, which must be awaited: use `receive_async`",
            }),
        }
    }

    /// Like [`Webhooks::receive`], awaiting the replay guard: the receive flow for a guard over a store that
    /// all your instances share. When the guard cannot answer (the store is unreachable or too slow), the
    /// delivery is refused with [`WebhookError::ReplayCheckUnavailable`] and nothing is recorded: answer with
    /// a 5xx so that Medtimes delivers it again later.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{WebhookError, sign_for_tests};
    /// use carewire_medtimes::webhooks::Webhooks;
    ///
    /// # tokio_block(async {
    /// let webhooks = Webhooks::new("whsec_test");
    /// let body = br#"{"type":"claim.paid","data":{"claim_id":"clm_1"}}"#;
    /// let signature = sign_for_tests("whsec_test", body);
    /// let headers = [("medtimes-signature", signature.as_str())];
    /// assert!(webhooks.receive_async(headers, body).await.is_ok());
    /// assert_eq!(webhooks.receive_async(headers, body).await.unwrap_err(), WebhookError::Replayed);
    /// # });
    /// # fn tokio_block(f: impl std::future::Future<Output = ()>) {
    /// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    /// # }
    /// ```
    pub async fn receive_async<'a>(
        &self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: impl AsRef<[u8]> + Into<RawBody>,
    ) -> Result<WebhookEvent, WebhookError> {
        let event = self.verified(headers, body)?;
        let first_sight = match &self.guard {
            Guard::Default(guard) => guard.check_and_record(&replay_key_of(&event)),
            Guard::Custom(guard) => guard.check_and_record(&replay_key_of(&event)).await?,
            Guard::Disabled => true,
        };
        if first_sight { Ok(event) } else { Err(WebhookError::Replayed) }
    }

    /// Verifies the signature header over the raw body, then parses the event (which keeps the body).
    fn verified<'a>(
        &self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: impl AsRef<[u8]> + Into<RawBody>,
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify_headers(headers, body.as_ref())?;
        WebhookEvent::parse(body)
    }
}

/// What the replay guard records for `event`: its id, or a hash of its raw body when it has none. Built only
/// when a guard is asked.
fn replay_key_of(event: &WebhookEvent) -> String {
    match &event.id {
        Some(id) => ["medtimes:event:", id].concat(),
        None => ["medtimes:body:", &replay_key(event.raw.as_bytes())].concat(),
    }
}

mod envelope;
mod events;
pub use events::{ClaimPaid, ClaimRejected, ConsultCompleted, EventData, PrescriptionDispensed, WebhookEvent};
