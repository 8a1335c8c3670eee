//! Webhook signature verification, replay protection and event parsing.
//!
//! Vendors that sign their webhooks do it with HMAC-SHA256 over the **raw request body bytes**, keyed with a
//! shared endpoint secret, and send the MAC in a header as hex or base64. [`Verifier`] checks such a header in
//! constant time, against any of several secrets (for rotation), optionally with a scheme prefix such as
//! `sha256=` and a timestamp tolerance window.
//!
//! Of the carewire vendors, only Medtimes signs its webhooks (`Medtimes-Signature`: lowercase hex HMAC-SHA256 of
//! the raw body, no prefix, no timestamp). Its events carry no documented id and no timestamp, so replays can
//! only be detected by remembering what was seen: see [`ReplayGuard`], [`MemoryReplayGuard`] (whose
//! [`Default`] is bounded to [`DEFAULT_REPLAY_CAPACITY`] keys for [`DEFAULT_REPLAY_TTL`]) and
//! [`Verifier::verify_once`]. Vendor receivers built on this module fail closed: they refuse what they are not
//! configured to check ([`WebhookError::NotConfigured`]) and bodies that are not an event
//! ([`WebhookError::InvalidPayload`], see [`parse_event_object`]).
//!
//! Always verify the exact bytes received, before any JSON parsing or re-serialization: re-encoding JSON changes
//! the bytes and breaks the signature.
//!
//! # Examples
//!
//! ```
//! use carewire_core::webhook::{Verifier, find_header, parse_event, sign_for_tests};
//!
//! let body = br#"{"type":"consult.completed","data":{"prescription_id":"scr_881920"}}"#;
//! let sig = sign_for_tests("whsec_test_secret", body);
//! let headers = [("content-type", "application/json"), ("medtimes-signature", sig.as_str())];
//!
//! let verifier = Verifier::new("whsec_test_secret");
//! let header = find_header(headers, "Medtimes-Signature").unwrap_or_default();
//! verifier.verify(body, header)?;
//! let event: serde_json::Value = parse_event(body)?;
//! assert_eq!(event["type"], "consult.completed");
//! # Ok::<(), carewire_core::webhook::WebhookError>(())
//! ```

mod mac;
mod parse;
mod raw;
mod replay;
mod unverified;
mod verify;

pub use mac::{constant_time_eq, hmac_sha256, sign_for_tests, sign_for_tests_base64};
pub use parse::{find_header, parse_event, parse_event_object, strip_bom};
pub use raw::RawBody;
pub use replay::{DEFAULT_REPLAY_CAPACITY, DEFAULT_REPLAY_TTL, MemoryReplayGuard, ReplayGuard, replay_key};
pub use unverified::Unverified;
pub use verify::{DEFAULT_TOLERANCE, SignatureEncoding, Verifier};

/// Why a webhook was rejected.
///
/// Messages never contain the secret, the signature value or any part of the body, so they are safe to log.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// The signature header was absent or held nothing but whitespace and separators.
    #[error("webhook signature is missing")]
    MissingSignature,
    /// The timestamp header was absent or empty.
    #[error("webhook timestamp is missing")]
    MissingTimestamp,
    /// The signature is not valid text in the configured encoding (hex or base64).
    #[error("webhook signature is not validly encoded")]
    InvalidEncoding,
    /// The signature decoded (or, for hex, consists of valid digits) but has the wrong length, e.g. it was
    /// truncated. Lengths are in bytes of the decoded MAC; for hex input with an odd number of digits,
    /// `actual` counts whole bytes only.
    #[error("webhook signature has the wrong length: expected {expected} bytes, got {actual}")]
    InvalidLength {
        /// Expected MAC length in bytes (32 for HMAC-SHA256).
        expected: usize,
        /// Length found, in bytes.
        actual: usize,
    },
    /// No configured secret produced the given signature.
    ///
    /// Either the body was altered or the signature was made with another secret: the two cases are
    /// cryptographically indistinguishable, so they share this variant.
    #[error("webhook signature does not match (altered body or wrong secret)")]
    SignatureMismatch,
    /// The timestamp is not an integer number of unix seconds.
    #[error("webhook timestamp is not a valid unix time")]
    InvalidTimestamp,
    /// The timestamp is older than the tolerance allows.
    #[error("webhook timestamp is too old ({age_secs} s old, outside the tolerance)")]
    TimestampTooOld {
        /// How old the timestamp is, in seconds.
        age_secs: u64,
    },
    /// The timestamp lies further in the future than the tolerance allows.
    #[error("webhook timestamp is in the future ({ahead_secs} s ahead, outside the tolerance)")]
    TimestampInFuture {
        /// How far ahead of the local clock the timestamp is, in seconds.
        ahead_secs: u64,
    },
    /// The webhook verified, but it was already seen: a replay (or a vendor redelivery).
    #[error("webhook was already received (replay)")]
    Replayed,
    /// The webhook verified, but the replay guard could not say whether it was seen before (its shared store
    /// is unreachable or too slow, or the guard must be awaited and was asked synchronously). Nothing was
    /// processed: answer with a 5xx so that the vendor delivers it again later (fail closed).
    #[error("webhook replay check is unavailable: {reason}")]
    ReplayCheckUnavailable {
        /// Why, without any key or payload value.
        reason: &'static str,
    },
    /// The verifier has no (non-empty) secret configured.
    #[error("webhook verifier has no secret configured")]
    NoSecrets,
    /// The receiver is not configured to authenticate this vendor's webhooks, so it refuses them (fail closed).
    #[error("{vendor} webhooks are refused: {missing} is not configured")]
    NotConfigured {
        /// The vendor, in lowercase (`"medtimes"`, `"docplanner"`).
        vendor: &'static str,
        /// What to configure, naming the method to call.
        missing: &'static str,
    },
    /// The body is not the expected JSON.
    #[error("webhook payload is invalid: {reason}")]
    InvalidPayload {
        /// The kind of failure and its line and column; never quotes any input value.
        reason: String,
    },
}

#[cfg(test)]
mod tests;
