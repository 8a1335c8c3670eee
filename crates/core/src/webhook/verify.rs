//! Signature verification: [`Verifier`] checks an HMAC-SHA256 signature header (hex or base64, optional
//! prefix, several secrets for rotation, optional timestamp tolerance) in constant time.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use secrecy::{ExposeSecret, SecretString};

use super::WebhookError;
use super::replay::{ReplayGuard, replay_key};
use crate::crypto::HmacKey;

/// Length in bytes of an HMAC-SHA256 tag.
const MAC_LEN: usize = 32;

/// Longest base64 text we attempt to decode as one signature (a 32-byte tag needs 44 characters).
const MAX_BASE64_LEN: usize = 128;

/// Default tolerance for timestamped schemes: five minutes either way.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

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
    /// One HMAC state per secret, keyed once when the secret is added (the key block's two hashes are not
    /// redone per delivery); zeroized on drop, like the secrets themselves.
    keys: Vec<HmacKey>,
    encoding: SignatureEncoding,
    prefix: Option<String>,
    tolerance: Duration,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &format_args!("[REDACTED] x{}", self.keys.len()))
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
            keys: Vec::new(),
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
        self.keys.len()
    }

    #[allow(clippy::needless_pass_by_value)] // taken so that the secret is dropped (and zeroized) here
    fn push_secret(&mut self, secret: SecretString) {
        if !secret.expose_secret().is_empty() {
            self.keys.push(HmacKey::new(secret.expose_secret().as_bytes()));
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
        if self.keys.is_empty() {
            return Err(WebhookError::NoSecrets);
        }
        // Usually one candidate; a header may list several (`v1=..., v1=...`), kept on the stack up to four.
        let mut tags: [[u8; MAC_LEN]; 4] = [[0; MAC_LEN]; 4];
        let mut extra: Vec<[u8; MAC_LEN]> = Vec::new();
        let mut count = 0usize;
        let mut first_error = None;
        let mut seen_any = false;
        let separator = |b: &u8| matches!(b, b',' | b' ' | b'\t' | b'\r' | b'\n');
        for candidate in signature.as_bytes().split(separator).filter(|s| !s.is_empty()) {
            seen_any = true;
            match self.decode_candidate(candidate) {
                Ok(tag) if count < tags.len() => {
                    tags[count] = tag;
                    count += 1;
                }
                Ok(tag) => extra.push(tag),
                Err(err) => {
                    first_error.get_or_insert(err);
                }
            }
        }
        if !seen_any {
            return Err(WebhookError::MissingSignature);
        }
        if count == 0 {
            return Err(first_error.unwrap_or(WebhookError::InvalidEncoding));
        }
        let candidates: &[[u8; MAC_LEN]] = if extra.is_empty() {
            &tags[..count]
        } else {
            extra.extend_from_slice(&tags[..count]);
            &extra
        };
        if self.keys.iter().any(|key| key.matches_any(body, candidates)) {
            return Ok(());
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
    /// This is the synchronous form, for guards that answer without I/O ([`MemoryReplayGuard`](super::MemoryReplayGuard)).
    /// A guard that must be awaited (a shared store) gives [`WebhookError::ReplayCheckUnavailable`] here: use
    /// [`Verifier::verify_once_async`] with it.
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
            Some(key) => guard.check_and_record_now(key),
            None => guard.check_and_record_now(&replay_key(body)),
        };
        match first_sight {
            Some(true) => Ok(()),
            Some(false) => Err(WebhookError::Replayed),
            None => Err(WebhookError::ReplayCheckUnavailable {
                reason: "this replay guard must be awaited: use the asynchronous receive",
            }),
        }
    }

    /// Like [`Verifier::verify_once`], awaiting `guard` (any [`ReplayGuard`], including one over a store that
    /// several processes share). When the guard cannot answer, the webhook is refused with
    /// [`WebhookError::ReplayCheckUnavailable`] (fail closed).
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{MemoryReplayGuard, Verifier, WebhookError, sign_for_tests};
    ///
    /// # tokio_block(async {
    /// let guard = MemoryReplayGuard::default();
    /// let verifier = Verifier::new("s");
    /// let sig = sign_for_tests("s", b"{}");
    /// assert_eq!(verifier.verify_once_async(b"{}", &sig, &guard, Some("evt_1")).await, Ok(()));
    /// assert_eq!(verifier.verify_once_async(b"{}", &sig, &guard, Some("evt_1")).await, Err(WebhookError::Replayed));
    /// # });
    /// # fn tokio_block(f: impl std::future::Future<Output = ()>) {
    /// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    /// # }
    /// ```
    pub async fn verify_once_async(
        &self,
        body: &[u8],
        signature: &str,
        guard: &dyn ReplayGuard,
        key: Option<&str>,
    ) -> Result<(), WebhookError> {
        self.verify(body, signature)?;
        let first_sight = match key {
            Some(key) => guard.check_and_record(key).await?,
            None => guard.check_and_record(&replay_key(body)).await?,
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

    fn decode_candidate(&self, candidate: &[u8]) -> Result<[u8; MAC_LEN], WebhookError> {
        let decode = |value: &[u8]| match self.encoding {
            SignatureEncoding::Hex => decode_hex_tag(value),
            SignatureEncoding::Base64 => decode_base64_tag(value),
        };
        let Some(prefix) = &self.prefix else { return decode(candidate) };
        let stripped = strip_prefix_ignore_case(candidate, prefix.as_bytes());
        // A bare signature is accepted too; when the prefix looks like the start of a signature (a prefix of
        // hex digits), the stripped form may be the wrong reading, so the whole value is tried as well.
        match decode(stripped) {
            Ok(tag) => Ok(tag),
            Err(e) if stripped.len() != candidate.len() => decode(candidate).map_err(|_| e),
            Err(e) => Err(e),
        }
    }
}

fn strip_prefix_ignore_case<'a>(value: &'a [u8], prefix: &[u8]) -> &'a [u8] {
    match value.split_at_checked(prefix.len()) {
        Some((head, rest)) if head.eq_ignore_ascii_case(prefix) => rest,
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

/// A hex MAC: anything but hex digits is [`WebhookError::InvalidEncoding`], hex of another length
/// [`WebhookError::InvalidLength`].
fn decode_hex_tag(bytes: &[u8]) -> Result<[u8; MAC_LEN], WebhookError> {
    if bytes.len() != MAC_LEN * 2 {
        if !bytes.iter().all(u8::is_ascii_hexdigit) {
            return Err(WebhookError::InvalidEncoding);
        }
        return Err(WebhookError::InvalidLength { expected: MAC_LEN, actual: bytes.len() / 2 });
    }
    let mut tag = [0u8; MAC_LEN];
    for (out, pair) in tag.iter_mut().zip(bytes.chunks_exact(2)) {
        match (hex_value(pair[0]), hex_value(pair[1])) {
            (Some(high), Some(low)) => *out = (high << 4) | low,
            _ => return Err(WebhookError::InvalidEncoding),
        }
    }
    Ok(tag)
}

fn decode_base64_tag(value: &[u8]) -> Result<[u8; MAC_LEN], WebhookError> {
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

pub(super) fn now_unix() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |secs| -secs),
    }
}
