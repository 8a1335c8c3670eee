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

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// Length in bytes of an HMAC-SHA256 tag.
const MAC_LEN: usize = 32;

/// SHA-256 block size in bytes (the HMAC key block).
const BLOCK_LEN: usize = 64;

/// Longest base64 text we attempt to decode as one signature (a 32-byte tag needs 44 characters).
const MAX_BASE64_LEN: usize = 128;

/// Default tolerance for timestamped schemes: five minutes either way.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// How many keys [`MemoryReplayGuard::default`] remembers at most: 10,000 (a few megabytes at most; the oldest
/// key is forgotten first when full).
pub const DEFAULT_REPLAY_CAPACITY: usize = 10_000;

/// How long [`MemoryReplayGuard::default`] remembers a key: 7 days.
pub const DEFAULT_REPLAY_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// Standard alphabet, padding optional.
const BASE64_STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// URL-safe alphabet, padding optional.
const BASE64_URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Standard alphabet with padding, for producing signatures.
const BASE64_STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, GeneralPurposeConfig::new());

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

/// How the vendor encodes the MAC in its signature header.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureEncoding {
    /// Hexadecimal, 64 digits, either case.
    #[default]
    Hex,
    /// Base64, standard or URL-safe alphabet, padding optional.
    Base64,
}

/// Verifies HMAC-SHA256 webhook signatures over the raw body bytes.
///
/// Cheap to clone. `Debug` shows only how many secrets are configured, never their values.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::{SignatureEncoding, Verifier};
/// use std::time::Duration;
///
/// let verifier = Verifier::new("new-secret")
///     .add_secret("old-secret") // rotation: either may match
///     .encoding(SignatureEncoding::Hex)
///     .prefix("sha256=")
///     .tolerance(Duration::from_secs(300));
/// assert_eq!(verifier.secret_count(), 2);
/// ```
#[derive(Clone)]
pub struct Verifier {
    secrets: Vec<SecretString>,
    encoding: SignatureEncoding,
    prefix: Option<String>,
    tolerance: Duration,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &format_args!("[REDACTED] x{}", self.secrets.len()))
            .field("encoding", &self.encoding)
            .field("prefix", &self.prefix)
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl Verifier {
    /// A verifier with one secret, hex encoding, no prefix and the [`DEFAULT_TOLERANCE`].
    ///
    /// The secret's UTF-8 bytes are the HMAC key (no base64 decoding). An empty secret is ignored, so a verifier
    /// built from an unset environment variable rejects everything with [`WebhookError::NoSecrets`] instead of
    /// accepting signatures made with an empty key.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{Verifier, sign_for_tests};
    ///
    /// let verifier = Verifier::new("whsec_test_secret");
    /// let sig = sign_for_tests("whsec_test_secret", b"{}");
    /// assert!(verifier.verify(b"{}", &sig).is_ok());
    /// ```
    pub fn new(secret: impl Into<SecretString>) -> Self {
        Self::with_secrets([secret])
    }

    /// A verifier accepting a signature made with any of `secrets` (key rotation). Empty secrets are ignored.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{Verifier, sign_for_tests};
    ///
    /// let verifier = Verifier::with_secrets(["current", "previous"]);
    /// assert!(verifier.verify(b"x", &sign_for_tests("previous", b"x")).is_ok());
    /// ```
    pub fn with_secrets<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<SecretString>,
    {
        let mut verifier = Self {
            secrets: Vec::new(),
            encoding: SignatureEncoding::default(),
            prefix: None,
            tolerance: DEFAULT_TOLERANCE,
        };
        for secret in secrets {
            verifier.push_secret(secret.into());
        }
        verifier
    }

    /// Adds another accepted secret (rotation). An empty secret is ignored.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::Verifier;
    ///
    /// let verifier = Verifier::new("a").add_secret("b").add_secret("");
    /// assert_eq!(verifier.secret_count(), 2);
    /// ```
    #[must_use]
    pub fn add_secret(mut self, secret: impl Into<SecretString>) -> Self {
        self.push_secret(secret.into());
        self
    }

    /// Sets the signature encoding (default [`SignatureEncoding::Hex`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{SignatureEncoding, Verifier, sign_for_tests_base64};
    ///
    /// let verifier = Verifier::new("s").encoding(SignatureEncoding::Base64);
    /// assert!(verifier.verify(b"x", &sign_for_tests_base64("s", b"x")).is_ok());
    /// ```
    #[must_use]
    pub fn encoding(mut self, encoding: SignatureEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Sets an optional scheme prefix such as `sha256=`, stripped (ASCII case-insensitively) from each signature
    /// that carries it. A bare signature without the prefix is still accepted. An empty prefix clears it.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{Verifier, sign_for_tests};
    ///
    /// let verifier = Verifier::new("s").prefix("sha256=");
    /// let sig = sign_for_tests("s", b"x");
    /// assert!(verifier.verify(b"x", &format!("sha256={sig}")).is_ok());
    /// assert!(verifier.verify(b"x", &sig).is_ok());
    /// ```
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        self.prefix = if prefix.is_empty() { None } else { Some(prefix) };
        self
    }

    /// Sets how far a timestamp may lie in the past or in the future (whole seconds; default
    /// [`DEFAULT_TOLERANCE`]). Used by [`Verifier::verify_at`] and [`Verifier::verify_timestamped`] only.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{Verifier, WebhookError, sign_for_tests};
    /// use std::time::Duration;
    ///
    /// let verifier = Verifier::new("s").tolerance(Duration::from_secs(60));
    /// let sig = sign_for_tests("s", b"x");
    /// assert_eq!(
    ///     verifier.verify_at(b"x", &sig, 1_000, 1_061),
    ///     Err(WebhookError::TimestampTooOld { age_secs: 61 })
    /// );
    /// ```
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// How many (non-empty) secrets are configured.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::Verifier;
    ///
    /// assert_eq!(Verifier::with_secrets(Vec::<String>::new()).secret_count(), 0);
    /// ```
    pub fn secret_count(&self) -> usize {
        self.secrets.len()
    }

    fn push_secret(&mut self, secret: SecretString) {
        if !secret.expose_secret().is_empty() {
            self.secrets.push(secret);
        }
    }

    /// Verifies `signature` (a header value) against HMAC-SHA256 of `body` under any configured secret, in
    /// constant time.
    ///
    /// Surrounding whitespace is ignored. The header may hold several signatures separated by `,` or whitespace,
    /// each optionally carrying the configured prefix; the webhook is accepted if any one matches. Signatures
    /// that fail to decode are skipped when another one matches; otherwise the first decoding error is returned.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{Verifier, WebhookError, sign_for_tests};
    ///
    /// let verifier = Verifier::new("s");
    /// let sig = sign_for_tests("s", b"body");
    /// assert_eq!(verifier.verify(b"body", &sig), Ok(()));
    /// assert_eq!(verifier.verify(b"b0dy", &sig), Err(WebhookError::SignatureMismatch));
    /// assert_eq!(verifier.verify(b"body", "  "), Err(WebhookError::MissingSignature));
    /// ```
    pub fn verify(&self, body: &[u8], signature: &str) -> Result<(), WebhookError> {
        if self.secrets.is_empty() {
            return Err(WebhookError::NoSecrets);
        }
        let mut tags: Vec<[u8; MAC_LEN]> = Vec::new();
        let mut first_error = None;
        let mut seen_any = false;
        for candidate in signature.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()) {
            seen_any = true;
            match self.decode_candidate(candidate) {
                Ok(tag) => tags.push(tag),
                Err(err) => {
                    first_error.get_or_insert(err);
                }
            }
        }
        if !seen_any {
            return Err(WebhookError::MissingSignature);
        }
        if tags.is_empty() {
            return Err(first_error.unwrap_or(WebhookError::InvalidEncoding));
        }
        for secret in &self.secrets {
            let mut mac = new_mac(secret.expose_secret().as_bytes());
            mac.update(body);
            for tag in &tags {
                if mac.clone().verify_slice(tag).is_ok() {
                    return Ok(());
                }
            }
        }
        Err(WebhookError::SignatureMismatch)
    }

    /// Checks that `timestamp_unix` lies within the tolerance of `now_unix` (both ways), then verifies
    /// `signature` over `signed_payload` like [`Verifier::verify`].
    ///
    /// `signed_payload` is whatever the vendor signs: the raw body, or e.g. `"{timestamp}.{body}"` for schemes
    /// that bind the timestamp into the MAC (build it yourself from the raw bytes). Passing the clock in makes
    /// this deterministic for tests.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{Verifier, WebhookError, sign_for_tests};
    ///
    /// let verifier = Verifier::new("s"); // 300 s tolerance
    /// let payload = b"1700000000.{\"id\":1}";
    /// let sig = sign_for_tests("s", payload);
    /// assert_eq!(verifier.verify_at(payload, &sig, 1_700_000_000, 1_700_000_100), Ok(()));
    /// assert_eq!(
    ///     verifier.verify_at(payload, &sig, 1_700_000_000, 1_699_999_000),
    ///     Err(WebhookError::TimestampInFuture { ahead_secs: 1_000 })
    /// );
    /// ```
    pub fn verify_at(
        &self,
        signed_payload: &[u8],
        signature: &str,
        timestamp_unix: i64,
        now_unix: i64,
    ) -> Result<(), WebhookError> {
        self.check_timestamp(timestamp_unix, now_unix)?;
        self.verify(signed_payload, signature)
    }

    /// Parses `timestamp` (unix seconds, as sent in a timestamp header; a fractional part is ignored) and calls
    /// [`Verifier::verify_at`] with the system clock. The MAC is checked over `body` exactly as given.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{Verifier, WebhookError, sign_for_tests};
    ///
    /// let verifier = Verifier::new("s");
    /// let sig = sign_for_tests("s", b"x");
    /// assert_eq!(verifier.verify_timestamped(b"x", &sig, ""), Err(WebhookError::MissingTimestamp));
    /// assert_eq!(verifier.verify_timestamped(b"x", &sig, "soon"), Err(WebhookError::InvalidTimestamp));
    /// assert!(matches!(
    ///     verifier.verify_timestamped(b"x", &sig, "1000"),
    ///     Err(WebhookError::TimestampTooOld { .. })
    /// ));
    /// ```
    pub fn verify_timestamped(&self, body: &[u8], signature: &str, timestamp: &str) -> Result<(), WebhookError> {
        let timestamp_unix = parse_unix_timestamp(timestamp)?;
        self.verify_at(body, signature, timestamp_unix, now_unix())
    }

    /// Verifies like [`Verifier::verify`], then records the webhook in `guard`; a webhook seen before is
    /// rejected with [`WebhookError::Replayed`]. `key` identifies the event (e.g. a vendor event id); it
    /// defaults to [`replay_key`] of the body. Nothing is recorded for a webhook that fails verification.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{MemoryReplayGuard, Verifier, WebhookError, sign_for_tests};
    /// use std::time::Duration;
    ///
    /// let guard = MemoryReplayGuard::new(10_000, Duration::from_secs(24 * 3600));
    /// let verifier = Verifier::new("s");
    /// let sig = sign_for_tests("s", b"{}");
    /// assert_eq!(verifier.verify_once(b"{}", &sig, &guard, None), Ok(()));
    /// assert_eq!(verifier.verify_once(b"{}", &sig, &guard, None), Err(WebhookError::Replayed));
    /// ```
    pub fn verify_once(
        &self,
        body: &[u8],
        signature: &str,
        guard: &dyn ReplayGuard,
        key: Option<&str>,
    ) -> Result<(), WebhookError> {
        self.verify(body, signature)?;
        let first_sight = match key {
            Some(key) => guard.check_and_record(key),
            None => guard.check_and_record(&replay_key(body)),
        };
        if first_sight { Ok(()) } else { Err(WebhookError::Replayed) }
    }

    fn check_timestamp(&self, timestamp_unix: i64, now_unix: i64) -> Result<(), WebhookError> {
        let tolerance = i128::from(self.tolerance.as_secs());
        let age = i128::from(now_unix) - i128::from(timestamp_unix);
        if age > tolerance {
            return Err(WebhookError::TimestampTooOld { age_secs: u64::try_from(age).unwrap_or(u64::MAX) });
        }
        if -age > tolerance {
            return Err(WebhookError::TimestampInFuture { ahead_secs: u64::try_from(-age).unwrap_or(u64::MAX) });
        }
        Ok(())
    }

    fn decode_candidate(&self, candidate: &str) -> Result<[u8; MAC_LEN], WebhookError> {
        let decode = |value: &str| match self.encoding {
            SignatureEncoding::Hex => decode_hex_tag(value),
            SignatureEncoding::Base64 => decode_base64_tag(value),
        };
        let Some(prefix) = &self.prefix else { return decode(candidate) };
        let stripped = strip_prefix_ignore_case(candidate, prefix);
        // A bare signature is accepted too; when the prefix looks like the start of a signature (a prefix of
        // hex digits), the stripped form may be the wrong reading, so the whole value is tried as well.
        match decode(stripped) {
            Ok(tag) => Ok(tag),
            Err(e) if stripped.len() != candidate.len() => decode(candidate).map_err(|_| e),
            Err(e) => Err(e),
        }
    }
}

fn strip_prefix_ignore_case<'a>(value: &'a str, prefix: &str) -> &'a str {
    match (value.get(..prefix.len()), value.get(prefix.len()..)) {
        (Some(head), Some(rest)) if head.eq_ignore_ascii_case(prefix) => rest,
        _ => value,
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

fn decode_hex_tag(value: &str) -> Result<[u8; MAC_LEN], WebhookError> {
    let bytes = value.as_bytes();
    if !bytes.iter().all(u8::is_ascii_hexdigit) {
        return Err(WebhookError::InvalidEncoding);
    }
    if bytes.len() != MAC_LEN * 2 {
        return Err(WebhookError::InvalidLength { expected: MAC_LEN, actual: bytes.len() / 2 });
    }
    let mut tag = [0u8; MAC_LEN];
    for (out, pair) in tag.iter_mut().zip(bytes.chunks_exact(2)) {
        match pair {
            &[high, low] => match (hex_value(high), hex_value(low)) {
                (Some(high), Some(low)) => *out = (high << 4) | low,
                _ => return Err(WebhookError::InvalidEncoding),
            },
            _ => return Err(WebhookError::InvalidEncoding),
        }
    }
    Ok(tag)
}

fn decode_base64_tag(value: &str) -> Result<[u8; MAC_LEN], WebhookError> {
    if value.len() > MAX_BASE64_LEN {
        return Err(WebhookError::InvalidLength { expected: MAC_LEN, actual: value.len() / 4 * 3 });
    }
    let decoded = BASE64_STANDARD_LENIENT
        .decode(value)
        .or_else(|_| BASE64_URL_SAFE_LENIENT.decode(value))
        .map_err(|_| WebhookError::InvalidEncoding)?;
    <[u8; MAC_LEN]>::try_from(decoded.as_slice())
        .map_err(|_| WebhookError::InvalidLength { expected: MAC_LEN, actual: decoded.len() })
}

fn parse_unix_timestamp(timestamp: &str) -> Result<i64, WebhookError> {
    let text = timestamp.trim();
    if text.is_empty() {
        return Err(WebhookError::MissingTimestamp);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebhookError::InvalidTimestamp);
    }
    whole.parse::<i64>().map_err(|_| WebhookError::InvalidTimestamp)
}

fn now_unix() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |secs| -secs),
    }
}

/// An HMAC-SHA256 instance keyed per RFC 2104 (keys longer than a block are hashed first, shorter ones are
/// zero-padded), built through the infallible fixed-size constructor.
fn new_mac(key: &[u8]) -> HmacSha256 {
    let mut block = [0u8; BLOCK_LEN];
    if key.len() > BLOCK_LEN {
        let digest = Sha256::digest(key);
        for (out, byte) in block.iter_mut().zip(digest.iter()) {
            *out = *byte;
        }
    } else {
        for (out, byte) in block.iter_mut().zip(key) {
            *out = *byte;
        }
    }
    <HmacSha256 as KeyInit>::new(&block.into())
}

/// HMAC-SHA256 of `data` under `key` (RFC 2104; any key length).
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::hmac_sha256;
///
/// let mac = hmac_sha256(b"key", b"The quick brown fox jumps over the lazy dog");
/// assert_eq!(mac[..4], [0xf7, 0xbc, 0x83, 0xf4]);
/// ```
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = new_mac(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn to_hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Signs `body` like a vendor would (HMAC-SHA256, lowercase hex), to build test payloads.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::sign_for_tests;
///
/// assert_eq!(
///     sign_for_tests("It's a Secret to Everybody", b"Hello, World!"),
///     "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
/// );
/// ```
pub fn sign_for_tests(secret: &str, body: &[u8]) -> String {
    to_hex_lower(&hmac_sha256(secret.as_bytes(), body))
}

/// Signs `body` with HMAC-SHA256 and encodes the MAC as padded standard base64, to build test payloads.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::sign_for_tests_base64;
///
/// assert_eq!(sign_for_tests_base64("s", b"x").len(), 44);
/// ```
pub fn sign_for_tests_base64(secret: &str, body: &[u8]) -> String {
    BASE64_STANDARD.encode(hmac_sha256(secret.as_bytes(), body))
}

/// Finds a header value by name, ASCII case-insensitively; the first match wins.
///
/// Works with headers from any web framework once mapped to `(&str, &str)` pairs.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::find_header;
///
/// let headers = vec![("Content-Type", "application/json"), ("medtimes-signature", "abc")];
/// assert_eq!(find_header(headers.iter().copied(), "Medtimes-Signature"), Some("abc"));
/// assert_eq!(find_header(headers.iter().copied(), "X-Missing"), None);
/// ```
pub fn find_header<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>, name: &str) -> Option<&'a str> {
    headers.into_iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value)
}

/// Remembers which webhooks were already processed, to reject replays.
///
/// Implement it over a shared store (Redis, a database) when several processes receive webhooks;
/// [`MemoryReplayGuard`] covers a single process.
pub trait ReplayGuard: Send + Sync {
    /// Records `key`; returns `true` the first time a key is seen (within the guard's memory) and `false` for a
    /// replay.
    fn check_and_record(&self, key: &str) -> bool;
}

/// A shared guard (one guard for several receivers, or kept by the caller to inspect).
impl<G: ReplayGuard + ?Sized> ReplayGuard for std::sync::Arc<G> {
    fn check_and_record(&self, key: &str) -> bool {
        (**self).check_and_record(key)
    }
}

#[derive(Default)]
struct ReplayState {
    order: VecDeque<(String, Instant)>,
    seen: HashSet<String>,
}

/// An in-memory, thread-safe [`ReplayGuard`] holding at most `capacity` keys (the oldest is evicted first)
/// and forgetting keys older than `ttl`.
///
/// [`MemoryReplayGuard::default`] remembers [`DEFAULT_REPLAY_CAPACITY`] keys for [`DEFAULT_REPLAY_TTL`]. It
/// covers one process only and forgets everything on restart: with several instances, implement
/// [`ReplayGuard`] over a shared store.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::{MemoryReplayGuard, ReplayGuard};
/// use std::time::Duration;
///
/// let guard = MemoryReplayGuard::new(2, Duration::from_secs(3600));
/// assert!(guard.check_and_record("evt_1"));
/// assert!(!guard.check_and_record("evt_1"));
/// assert_eq!(guard.len(), 1);
/// ```
pub struct MemoryReplayGuard {
    capacity: usize,
    ttl: Duration,
    state: Mutex<ReplayState>,
}

impl fmt::Debug for MemoryReplayGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryReplayGuard")
            .field("capacity", &self.capacity)
            .field("ttl", &self.ttl)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl MemoryReplayGuard {
    /// A guard remembering up to `capacity` keys (at least 1) for `ttl` each.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::MemoryReplayGuard;
    /// use std::time::Duration;
    ///
    /// let guard = MemoryReplayGuard::new(10_000, Duration::from_secs(24 * 3600));
    /// assert!(guard.is_empty());
    /// ```
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        Self { capacity: capacity.max(1), ttl, state: Mutex::new(ReplayState::default()) }
    }

    /// The most keys remembered at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{DEFAULT_REPLAY_CAPACITY, MemoryReplayGuard};
    ///
    /// assert_eq!(MemoryReplayGuard::default().capacity(), DEFAULT_REPLAY_CAPACITY);
    /// ```
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How long a key is remembered.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{DEFAULT_REPLAY_TTL, MemoryReplayGuard};
    ///
    /// assert_eq!(MemoryReplayGuard::default().ttl(), DEFAULT_REPLAY_TTL);
    /// ```
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// How many keys are currently remembered (expired ones excluded).
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{MemoryReplayGuard, ReplayGuard};
    /// use std::time::Duration;
    ///
    /// let guard = MemoryReplayGuard::new(10, Duration::from_secs(60));
    /// guard.check_and_record("a");
    /// guard.check_and_record("b");
    /// assert_eq!(guard.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        self.purge_expired(&mut state, Instant::now());
        state.order.len()
    }

    /// Whether no key is currently remembered.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::MemoryReplayGuard;
    /// use std::time::Duration;
    ///
    /// assert!(MemoryReplayGuard::new(10, Duration::from_secs(60)).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn purge_expired(&self, state: &mut ReplayState, now: Instant) {
        while let Some((_, recorded)) = state.order.front() {
            if now.saturating_duration_since(*recorded) < self.ttl {
                break;
            }
            if let Some((key, _)) = state.order.pop_front() {
                state.seen.remove(&key);
            }
        }
    }

    fn check_and_record_at(&self, key: &str, now: Instant) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        self.purge_expired(&mut state, now);
        if state.seen.contains(key) {
            return false;
        }
        state.seen.insert(key.to_owned());
        state.order.push_back((key.to_owned(), now));
        while state.order.len() > self.capacity {
            if let Some((old, _)) = state.order.pop_front() {
                state.seen.remove(&old);
            }
        }
        true
    }
}

/// [`DEFAULT_REPLAY_CAPACITY`] keys for [`DEFAULT_REPLAY_TTL`] (10,000 keys, 7 days).
impl Default for MemoryReplayGuard {
    fn default() -> Self {
        Self::new(DEFAULT_REPLAY_CAPACITY, DEFAULT_REPLAY_TTL)
    }
}

impl ReplayGuard for MemoryReplayGuard {
    fn check_and_record(&self, key: &str) -> bool {
        self.check_and_record_at(key, Instant::now())
    }
}

/// A replay key for events that carry no id: the lowercase hex SHA-256 of the raw body.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::replay_key;
///
/// assert_eq!(
///     replay_key(b""),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn replay_key(body: &[u8]) -> String {
    to_hex_lower(&Sha256::digest(body))
}

/// Parses a (verified) webhook body as JSON into `T`.
///
/// A failure becomes [`WebhookError::InvalidPayload`] whose reason gives only the kind of error and its line and
/// column, never an input value.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::{WebhookError, parse_event};
///
/// #[derive(serde::Deserialize)]
/// struct Event { r#type: String }
///
/// let event: Event = parse_event(br#"{"type":"claim.paid"}"#)?;
/// assert_eq!(event.r#type, "claim.paid");
/// assert!(matches!(parse_event::<Event>(b"{"), Err(WebhookError::InvalidPayload { .. })));
/// # Ok::<(), WebhookError>(())
/// ```
pub fn parse_event<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    let body = precheck_body(body)?;
    serde_json::from_slice(body).map_err(|err| WebhookError::InvalidPayload { reason: json_error_reason(&err) })
}

/// Parses a (verified) webhook body that must be a non-empty JSON object, the envelope of every vendor's event.
///
/// Refused with [`WebhookError::InvalidPayload`], whose reason never quotes the body: an empty body, a body that
/// is not UTF-8, an HTML or XML page (a proxy's error page), anything that is not JSON, JSON that is not an
/// object, and the empty object `{}`. Which field names the event is the vendor's to check.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::{WebhookError, parse_event_object};
///
/// let object = parse_event_object(br#"{"type":"claim.paid"}"#)?;
/// assert_eq!(object["type"], "claim.paid");
/// for body in [&b""[..], b"{}", b"[]", b"<html><body>Bad gateway</body></html>", b"\xff\xfe"] {
///     assert!(matches!(parse_event_object(body), Err(WebhookError::InvalidPayload { .. })));
/// }
/// # Ok::<(), WebhookError>(())
/// ```
pub fn parse_event_object(body: &[u8]) -> Result<Map<String, Value>, WebhookError> {
    match parse_event::<Value>(body)? {
        Value::Object(object) if object.is_empty() => Err(invalid_payload("the payload is an empty JSON object")),
        Value::Object(object) => Ok(object),
        _ => Err(invalid_payload("the payload is not a JSON object")),
    }
}

fn invalid_payload(reason: &str) -> WebhookError {
    WebhookError::InvalidPayload { reason: reason.to_owned() }
}

/// Clear reasons for the commonest non-JSON bodies, before serde_json reports a position; returns the body
/// without a leading UTF-8 byte-order mark (which serde_json rejects).
fn precheck_body(body: &[u8]) -> Result<&[u8], WebhookError> {
    let text = std::str::from_utf8(body).map_err(|_| invalid_payload("the body is not valid UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.trim_start_matches([' ', '\t', '\r', '\n']);
    if start.is_empty() {
        return Err(invalid_payload("the body is empty"));
    }
    if start.starts_with('<') {
        return Err(invalid_payload("the body is not JSON (it looks like an HTML or XML page)"));
    }
    Ok(text.as_bytes())
}

/// Compares `expected` (a secret) with `given` (from a request) without an early exit on the first differing
/// byte: both are MACed under a fixed key and the tags compared with `hmac`'s constant-time `verify_slice`, so
/// neither the content nor the length of the secret leaks through timing. An empty `expected` matches nothing.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::constant_time_eq;
///
/// assert!(constant_time_eq(b"agreed-key", b"agreed-key"));
/// assert!(!constant_time_eq(b"agreed-key", b"agreed-kez"));
/// assert!(!constant_time_eq(b"agreed-key", b"agreed"));
/// assert!(!constant_time_eq(b"", b""));
/// ```
pub fn constant_time_eq(expected: &[u8], given: &[u8]) -> bool {
    const KEY: &[u8] = b"carewire constant-time comparison";
    if expected.is_empty() {
        return false;
    }
    let tag = hmac_sha256(KEY, expected);
    let mut mac = new_mac(KEY);
    mac.update(given);
    mac.verify_slice(&tag).is_ok()
}

fn json_error_reason(err: &serde_json::Error) -> String {
    let kind = match err.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "invalid JSON syntax",
        serde_json::error::Category::Data => "JSON does not match the expected shape",
        serde_json::error::Category::Eof => "unexpected end of JSON input",
    };
    format!("{kind} at line {} column {}", err.line(), err.column())
}

#[cfg(test)]
mod tests;
