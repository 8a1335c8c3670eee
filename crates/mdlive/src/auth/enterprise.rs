//! The enterprise hash of an SSO sign-in: Base64 of a SHA-256 digest over the member id, the request
//! timestamp and a shared secret, which limits a sign-in request to five minutes after its timestamp. Or a
//! fixed hash an account manager issued, sent as is.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use carewire_core::crypto::Sha256;
use carewire_core::secret::{ExposeSecret, SecretString};
use carewire_core::{Error, Result};

/// Which bytes the enterprise hash Base64-encodes. MDLIVE's text says "Base64 encoded SHA-256 digest" but its
/// example value is the Base64 of the digest's lowercase **hex** text, so that is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EnterpriseHashForm {
    /// `base64(hex(sha256(member_id + request_timestamp + secret)))`: the form of the doc's example.
    #[default]
    Base64OfHex,
    /// `base64(sha256(member_id + request_timestamp + secret))`: the raw 32 digest bytes.
    Base64OfRaw,
}

/// How a client fills `org.request_timestamp` and `org.enterprise_hash` when it signs a patient in.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum EnterpriseHash {
    /// Neither is sent (the organisation has no shared secret).
    #[default]
    None,
    /// A fresh timestamp and the hash computed from it with this shared secret.
    Secret {
        /// The shared secret from the account manager.
        secret: SecretString,
        /// How the digest is encoded.
        form: EnterpriseHashForm,
    },
    /// A fixed hash issued by the account manager, sent as is (with no timestamp).
    Fixed(SecretString),
}

impl fmt::Debug for EnterpriseHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Secret { form, .. } => {
                f.debug_struct("Secret").field("secret", &"[REDACTED]").field("form", form).finish()
            }
            Self::Fixed(_) => f.write_str("Fixed([REDACTED])"),
        }
    }
}

/// The enterprise hash of `member_id`, `request_timestamp` and `secret`, concatenated in that order with no
/// separator, digested with SHA-256 and Base64-encoded in `form`. `request_timestamp` must be the exact text
/// sent as `org.request_timestamp`.
///
/// A blank `member_id` is refused: `Error::InvalidRequest` naming `auth.member_id` (MDLIVE marks the member
/// id optional, but the hash is computed over it).
///
/// ```
/// use carewire::mdlive::auth::{EnterpriseHashForm, enterprise_hash};
///
/// let hash = enterprise_hash("M-1001", "1509727623.5845659", "shared-secret", EnterpriseHashForm::Base64OfHex)?;
/// assert_eq!(hash.len(), 88); // Base64 of 64 hex characters
/// assert!(enterprise_hash("", "1509727623.5845659", "shared-secret", EnterpriseHashForm::Base64OfHex).is_err());
/// # Ok::<(), carewire::Error>(())
/// ```
pub fn enterprise_hash(
    member_id: &str,
    request_timestamp: &str,
    secret: &str,
    form: EnterpriseHashForm,
) -> Result<String> {
    if member_id.trim().is_empty() {
        return Err(Error::invalid_request("auth.member_id", "is required to compute the enterprise hash"));
    }
    if request_timestamp.trim().is_empty() {
        return Err(Error::invalid_request("org.request_timestamp", "is required to compute the enterprise hash"));
    }
    if secret.is_empty() {
        return Err(Error::config("the MDLIVE enterprise secret is empty"));
    }
    let mut hasher = Sha256::new();
    hasher.update(member_id.as_bytes());
    hasher.update(request_timestamp.as_bytes());
    hasher.update(secret.as_bytes());
    let digest = hasher.finish();
    Ok(encode_digest(&digest, form))
}

/// Base64 of a SHA-256 digest in `form`.
pub(crate) fn encode_digest(digest: &[u8], form: EnterpriseHashForm) -> String {
    let engine = base64::engine::general_purpose::STANDARD;
    match form {
        EnterpriseHashForm::Base64OfHex => engine.encode(carewire_core::crypto::hex_lower(digest)),
        EnterpriseHashForm::Base64OfRaw => engine.encode(digest),
    }
}

/// A request timestamp for `at`: seconds since the epoch with a seven-digit fraction, the shape of the doc's
/// `"1509727623.5845659"`.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use carewire::mdlive::auth::request_timestamp_at;
///
/// let at = UNIX_EPOCH + Duration::from_nanos(1_509_727_623_584_565_900);
/// assert_eq!(request_timestamp_at(at), "1509727623.5845659");
/// ```
pub fn request_timestamp_at(at: SystemTime) -> String {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    format!("{}.{:07}", since.as_secs(), since.subsec_nanos() / 100)
}

/// A request timestamp for now; see [`request_timestamp_at`].
pub fn request_timestamp_now() -> String {
    request_timestamp_at(SystemTime::now())
}

impl EnterpriseHash {
    /// The `(request_timestamp, enterprise_hash)` pair to send for a patient with `member_id`, both `None`
    /// when the organisation has no secret.
    pub(crate) fn sign(&self, member_id: Option<&str>) -> Result<(Option<String>, Option<SecretString>)> {
        match self {
            Self::None => Ok((None, None)),
            Self::Fixed(hash) => Ok((None, Some(hash.clone()))),
            Self::Secret { secret, form } => {
                let timestamp = request_timestamp_now();
                let hash = enterprise_hash(member_id.unwrap_or_default(), &timestamp, secret.expose_secret(), *form)?;
                Ok((Some(timestamp), Some(SecretString::from(hash))))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_doc_example_is_base64_of_the_hex_digest() {
        // The doc's example hash decodes to this 64-character lowercase hex digest.
        let hex = "a0f65e71e82e6e7dd966ed1189aa1608fef845fa44ffd2b471e8c21d8ec77acf";
        let digest: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
        assert_eq!(
            encode_digest(&digest, EnterpriseHashForm::Base64OfHex),
            "YTBmNjVlNzFlODJlNmU3ZGQ5NjZlZDExODlhYTE2MDhmZWY4NDVmYTQ0ZmZkMmI0NzFlOGMyMWQ4ZWM3N2FjZg=="
        );
        assert_eq!(
            encode_digest(&digest, EnterpriseHashForm::Base64OfRaw),
            "oPZecegubn3ZZu0RiaoWCP74RfpE/9K0cejCHY7Hes8="
        );
    }

    #[test]
    fn timestamps_keep_seven_fraction_digits() {
        let at = UNIX_EPOCH + std::time::Duration::from_millis(1_700_000_000_005);
        assert_eq!(request_timestamp_at(at), "1700000000.0050000");
        assert_eq!(request_timestamp_at(UNIX_EPOCH), "0.0000000");
    }

    #[test]
    fn signing_needs_a_member_id_only_with_a_secret() {
        let none = EnterpriseHash::None.sign(None).unwrap();
        assert!(none.0.is_none() && none.1.is_none());
        let fixed = EnterpriseHash::Fixed("fixed==".into()).sign(None).unwrap();
        assert_eq!((fixed.0, fixed.1.map(|h| h.expose_secret().to_owned())), (None, Some("fixed==".to_owned())));
        let secret = EnterpriseHash::Secret { secret: "s".into(), form: EnterpriseHashForm::default() };
        let err = secret.sign(None).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "auth.member_id"), "{err:?}");
        let (ts, hash) = secret.sign(Some("m")).unwrap();
        let ts = ts.unwrap();
        let expected = enterprise_hash("m", &ts, "s", EnterpriseHashForm::Base64OfHex).unwrap();
        assert_eq!(hash.unwrap().expose_secret(), expected);
        assert!(!format!("{secret:?}").contains("\"s\""));
    }
}
