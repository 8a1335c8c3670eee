//! Sealing: the [`SealKey`] tokens are encrypted with (AES-256-GCM, a random nonce per token, the Redis key
//! as associated data so that a sealed token cannot be moved to another key), the encoding of a stored
//! token, and the keyed hash that Redis key names carry instead of a patient's id.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use carewire_core::auth::{StoredToken, Token, TokenStoreError};
use carewire_core::crypto::{HmacKey, hex_lower};
use carewire_core::secret::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// The environment variable [`RedisState::from_env`](crate::RedisState::from_env) reads a sealing key from
/// (32 bytes, base64).
pub const ENV_SEAL_KEY: &str = "CAREWIRE_REDIS_SEAL_KEY";

const NONCE_LEN: usize = 12;
const PLAIN: &str = "cw1p.";
const SEALED: &str = "cw1s.";

/// A 256-bit key that tokens are sealed with (AES-256-GCM) before they are written to Redis, and that key
/// names are hashed with. Every replica must use the same key; a token sealed with another key cannot be
/// read ([`TokenStoreError::Unseal`]).
///
/// `Debug` never shows the key.
///
/// # Examples
///
/// ```
/// use carewire_redis::SealKey;
///
/// let key = SealKey::generate()?;
/// let same = SealKey::from_base64(&key.to_base64())?;
/// assert_eq!(format!("{same:?}"), "SealKey([REDACTED])");
/// assert!(SealKey::from_base64("c2hvcnQ=").is_err()); // not 32 bytes
/// # Ok::<(), carewire_core::Error>(())
/// ```
#[derive(Clone)]
pub struct SealKey {
    cipher: Aes256Gcm,
    names: [u8; 32],
    raw: [u8; 32],
}

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SealKey([REDACTED])")
    }
}

impl SealKey {
    /// A key from 32 bytes (keep them in your secrets manager, not in code).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        let cipher_key = derive(&bytes, b"carewire-redis seal v1");
        let names = derive(&bytes, b"carewire-redis names v1");
        let cipher = Aes256Gcm::new_from_slice(&cipher_key).unwrap_or_else(|_| unreachable!("32-byte key"));
        Self { cipher, names, raw: bytes }
    }

    /// A key from its base64 text (standard alphabet, as [`SealKey::to_base64`] writes it). Anything but 32
    /// bytes is a configuration error, which never quotes the text.
    pub fn from_base64(text: &str) -> carewire_core::Result<Self> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| carewire_core::Error::config(format!("{ENV_SEAL_KEY} (the sealing key) is not base64")))?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| {
            carewire_core::Error::config(format!("{ENV_SEAL_KEY} (the sealing key) must be 32 bytes, base64"))
        })?;
        Ok(Self::from_bytes(bytes))
    }

    /// A new random key, from the operating system's generator.
    pub fn generate() -> carewire_core::Result<Self> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|_| carewire_core::Error::config("the operating system's random generator failed"))?;
        Ok(Self::from_bytes(bytes))
    }

    /// The key as base64 text, to store it in a secrets manager.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.raw)
    }
}

/// A subkey of `key` for one use: HMAC-SHA256 of `label`.
fn derive(key: &[u8], label: &[u8]) -> [u8; 32] {
    HmacKey::new(key).sign(label)
}

/// The name a caller's key gets in Redis: 32 hex digits of a keyed SHA-256 (keyed with the sealing key
/// when there is one), so that no patient id appears in a key name.
pub(crate) fn hashed_name(seal: Option<&SealKey>, name: &str) -> String {
    const UNKEYED: &[u8] = b"carewire-redis names (no sealing key)";
    let key: &[u8] = seal.map_or(UNKEYED, |s| &s.names);
    hex_lower(&HmacKey::new(key).sign(name.as_bytes())[..16])
}

/// A stored token's fields, as JSON (inside the seal when there is one).
#[derive(Serialize, Deserialize)]
struct Entry {
    /// The token.
    v: String,
    /// Issued, in unix milliseconds.
    i: u64,
    /// Expires, in unix milliseconds.
    e: Option<u64>,
}

fn millis(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn at(ms: u64) -> SystemTime {
    UNIX_EPOCH.checked_add(Duration::from_millis(ms)).unwrap_or(UNIX_EPOCH)
}

/// Encodes `token` for the Redis key `redis_key`: sealed with `seal`, or plain JSON without one.
pub(crate) fn encode(seal: Option<&SealKey>, redis_key: &str, token: &StoredToken) -> Result<String, TokenStoreError> {
    let entry = Entry {
        v: token.value.expose_secret().to_owned(),
        i: millis(token.issued_at),
        e: token.expires_at.map(millis),
    };
    let json = serde_json::to_vec(&entry).map_err(|_| TokenStoreError::Corrupt)?;
    let Some(seal) = seal else {
        return String::from_utf8(json).map(|text| format!("{PLAIN}{text}")).map_err(|_| TokenStoreError::Corrupt);
    };
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|_| TokenStoreError::Corrupt)?;
    let sealed = seal
        .cipher
        .encrypt(&Nonce::from(nonce), Payload { msg: &json, aad: redis_key.as_bytes() })
        .map_err(|_| TokenStoreError::Corrupt)?;
    let mut blob = Vec::with_capacity(NONCE_LEN + sealed.len());
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&sealed);
    Ok(format!("{SEALED}{}", STANDARD.encode(blob)))
}

/// Decodes what [`encode`] wrote under `redis_key`. With a key, only a token sealed with it is accepted (a
/// plain or otherwise sealed one is [`TokenStoreError::Unseal`]); without one, a sealed token is too.
pub(crate) fn decode(seal: Option<&SealKey>, redis_key: &str, text: &str) -> Result<StoredToken, TokenStoreError> {
    let json = if let Some(plain) = text.strip_prefix(PLAIN) {
        if seal.is_some() {
            return Err(TokenStoreError::Unseal);
        }
        plain.as_bytes().to_vec()
    } else if let Some(sealed) = text.strip_prefix(SEALED) {
        let seal = seal.ok_or(TokenStoreError::Unseal)?;
        let blob = STANDARD.decode(sealed).map_err(|_| TokenStoreError::Corrupt)?;
        if blob.len() < NONCE_LEN {
            return Err(TokenStoreError::Corrupt);
        }
        let (nonce, sealed) = blob.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| TokenStoreError::Corrupt)?;
        seal.cipher
            .decrypt(&Nonce::from(nonce), Payload { msg: sealed, aad: redis_key.as_bytes() })
            .map_err(|_| TokenStoreError::Unseal)?
    } else {
        return Err(TokenStoreError::Corrupt);
    };
    let entry: Entry = serde_json::from_slice(&json).map_err(|_| TokenStoreError::Corrupt)?;
    let mut token = StoredToken::new(Token::new(SecretString::from(entry.v), None), at(entry.i));
    token.expires_at = entry.e.map(at);
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> StoredToken {
        StoredToken::new(Token::new("tok-SECRET-value", Some(Duration::from_secs(60))), at(1_700_000_000_000))
    }

    #[test]
    fn sealed_round_trip_and_the_wrong_key_or_key_name_is_refused() {
        let key = SealKey::generate().unwrap();
        let text = encode(Some(&key), "k1", &token()).unwrap();
        assert!(text.starts_with(SEALED));
        assert!(!text.contains("tok-SECRET-value"));
        let back = decode(Some(&key), "k1", &text).unwrap();
        assert_eq!(back.value.expose_secret(), "tok-SECRET-value");
        assert_eq!(back.expires_at, Some(at(1_700_000_060_000)));
        assert_eq!(back.issued_at, at(1_700_000_000_000));
        let other = SealKey::generate().unwrap();
        assert_eq!(decode(Some(&other), "k1", &text).unwrap_err(), TokenStoreError::Unseal);
        // Moved to another key name: refused too.
        assert_eq!(decode(Some(&key), "k2", &text).unwrap_err(), TokenStoreError::Unseal);
        assert_eq!(decode(None, "k1", &text).unwrap_err(), TokenStoreError::Unseal);
    }

    #[test]
    fn plain_round_trip_is_refused_by_a_sealing_store_and_garbage_is_corrupt() {
        let text = encode(None, "k1", &token()).unwrap();
        assert!(text.contains("tok-SECRET-value"), "unsealed means readable: documented");
        assert_eq!(decode(None, "k1", &text).unwrap().value.expose_secret(), "tok-SECRET-value");
        let key = SealKey::generate().unwrap();
        assert_eq!(decode(Some(&key), "k1", &text).unwrap_err(), TokenStoreError::Unseal);
        for garbage in ["", "hello", "cw1p.{", "cw1s.!!!", "cw1s.AAAA"] {
            let err = decode(Some(&key), "k1", garbage).unwrap_err();
            assert!(matches!(err, TokenStoreError::Corrupt | TokenStoreError::Unseal), "{garbage}: {err:?}");
        }
        assert_eq!(decode(None, "k1", "cw1p.[]").unwrap_err(), TokenStoreError::Corrupt);
    }

    #[test]
    fn names_are_keyed_hashes() {
        let key = SealKey::from_bytes([7; 32]);
        let a = hashed_name(Some(&key), "subject:HID-1");
        assert_eq!(a.len(), 32);
        assert!(!a.contains("HID"));
        assert_eq!(a, hashed_name(Some(&SealKey::from_bytes([7; 32])), "subject:HID-1"));
        assert_ne!(a, hashed_name(Some(&SealKey::from_bytes([8; 32])), "subject:HID-1"));
        assert_ne!(a, hashed_name(None, "subject:HID-1"));
        assert_eq!(SealKey::from_base64(&key.to_base64()).unwrap().raw, [7; 32]);
        assert!(SealKey::from_base64("not base64 at all").unwrap_err().to_string().contains("not base64"));
    }
}
