//! The HMAC-SHA256 helpers of webhooks (on [`crate::crypto`]): MACs over any key length, signing helpers for
//! building test payloads, and a constant-time comparison of secrets.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{GeneralPurpose, GeneralPurposeConfig};

use crate::crypto::{HmacKey, hex_lower};

/// Standard alphabet with padding, for producing signatures.
pub(super) const BASE64_STANDARD: GeneralPurpose =
    GeneralPurpose::new(&alphabet::STANDARD, GeneralPurposeConfig::new());

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
    HmacKey::new(key).sign(data)
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
    hex_lower(&hmac_sha256(secret.as_bytes(), body))
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

/// Compares `expected` (a secret) with `given` (from a request) without an early exit on the first differing
/// byte: both are MACed under a fixed key and the tags compared in constant time ([`HmacKey::verify`]), so
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
    let key = HmacKey::new(KEY);
    key.verify(given, &key.sign(expected))
}
