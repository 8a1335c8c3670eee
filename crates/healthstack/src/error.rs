//! Healthstack's errors, mapped into [`carewire_core::Error`].
//!
//! The vendor lists four error statuses (401, 403, 404, 422) and shows no error body; carewire assumes the
//! usual envelope (`{success: false, status, message}`) and reads `message`, `error`, `errors` and `code`
//! leniently. A 403 means either "insufficient KYC tier" or "missing consent"; when the message says which,
//! the error code is [`CONSENT_REQUIRED`] or [`KYC_TIER_INSUFFICIENT`]. Use [`HealthstackErrorExt`] to
//! classify any error into an [`ErrorKind`].

use carewire_core::{ApiError, Error, ErrorBodyParser, ParsedError};
use serde_json::Value;

/// The error code carewire gives a 403 whose message says consent is missing or expired, and the error
/// returned before sending when the stored consent token for a patient has expired.
pub const CONSENT_REQUIRED: &str = "consent_required";
/// The error code carewire gives a 403 whose message says the business's KYC tier is too low.
pub const KYC_TIER_INSUFFICIENT: &str = "kyc_tier_insufficient";

/// The codes an error's `Display` may show as they are.
pub(crate) const KNOWN_CODES: &[&str] = &[CONSENT_REQUIRED, KYC_TIER_INSUFFICIENT];

/// What kind of Healthstack failure an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 401: the secret key is invalid (the vendor calls it an "access token", but the secret key is the only
    /// credential).
    Unauthorized,
    /// Consent is missing or expired for the patient: seek consent again
    /// (`patients().seek_consent(..)` then `grant_consent(..)`).
    ConsentRequired,
    /// 403 naming the KYC tier: the business's tier does not allow this call.
    KycTierInsufficient,
    /// 403 that does not say whether consent or the KYC tier is at fault.
    Forbidden,
    /// 404: the patient (or card) was not found.
    NotFound,
    /// 422: the request body failed validation.
    Validation,
    /// 429 after retries.
    RateLimited,
    /// Any other API error (including a `success: false` body that names no known cause).
    Other,
}

/// Healthstack-specific questions about a [`carewire_core::Error`].
///
/// # Examples
///
/// ```
/// use carewire_healthstack::{ErrorKind, HealthstackErrorExt};
///
/// let err = carewire_core::Error::invalid_request("otp", "must be exactly 6 digits");
/// assert_eq!(err.healthstack_kind(), None);
/// assert!(!err.is_consent_required());
/// ```
pub trait HealthstackErrorExt {
    /// The kind of Healthstack API failure, or `None` if this is not a Healthstack API error (a timeout,
    /// a client-side validation error, another vendor's error...).
    fn healthstack_kind(&self) -> Option<ErrorKind>;

    /// Whether consent must be sought again for the patient (a 403 "missing consent", or a stored
    /// consent token that expired before the call was sent).
    fn is_consent_required(&self) -> bool {
        self.healthstack_kind() == Some(ErrorKind::ConsentRequired)
    }
}

impl HealthstackErrorExt for Error {
    fn healthstack_kind(&self) -> Option<ErrorKind> {
        match self {
            Error::RateLimited(api) if api.vendor() == crate::VENDOR => Some(ErrorKind::RateLimited),
            Error::Api(api) if api.vendor() == crate::VENDOR => Some(kind_of(api)),
            _ => None,
        }
    }
}

fn kind_of(api: &ApiError) -> ErrorKind {
    match api.code() {
        Some(CONSENT_REQUIRED) => return ErrorKind::ConsentRequired,
        Some(KYC_TIER_INSUFFICIENT) => return ErrorKind::KycTierInsufficient,
        _ => {}
    }
    match api.status() {
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        422 => ErrorKind::Validation,
        429 => ErrorKind::RateLimited,
        _ => ErrorKind::Other,
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Which 403 cause a message names, if exactly one.
fn forbidden_cause(message: &str) -> Option<&'static str> {
    let m = message.to_ascii_lowercase();
    let consent = m.contains("consent");
    let kyc = m.contains("kyc") || m.contains("tier");
    match (consent, kyc) {
        (true, false) => Some(CONSENT_REQUIRED),
        (false, true) => Some(KYC_TIER_INSUFFICIENT),
        _ => None,
    }
}

/// Extracts code, message and details from an error body already parsed as JSON.
pub(crate) fn parse_error_value(status: u16, v: &Value) -> ParsedError {
    let inner = v.get("error").filter(|e| e.is_object()).unwrap_or(v);
    let mut message = inner
        .get("message")
        .and_then(text)
        .or_else(|| v.get("message").and_then(text))
        .or_else(|| v.get("error").and_then(text));
    if message.is_none() {
        message =
            v.get("errors").and_then(|e| e.as_array()).and_then(|a| a.first()).and_then(|f| {
                text(f).or_else(|| f.get("message").and_then(text)).or_else(|| f.get("msg").and_then(text))
            });
    }
    let vendor_code = inner.get("code").and_then(text).or_else(|| inner.get("error_code").and_then(text));
    let classified = if status == 403 || status < 300 { message.as_deref().and_then(forbidden_cause) } else { None };
    let code = classified.map(str::to_owned).or(vendor_code);
    let details = v.get("errors").cloned().or_else(|| v.get("data").filter(|d| !d.is_null()).cloned());
    ParsedError { code, message, details }
}

/// The [`ErrorBodyParser`] for Healthstack's non-2xx bodies.
#[derive(Clone, Copy, Debug, Default)]
pub struct HealthstackErrorParser;

impl ErrorBodyParser for HealthstackErrorParser {
    fn parse(&self, status: u16, body: &[u8]) -> ParsedError {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => parse_error_value(status, &v),
            Err(_) => ParsedError::default(),
        }
    }
}

/// The error returned, before anything is sent, when the consent token for a patient has expired.
///
/// It is the same error a 403 "missing consent" maps to ([`ErrorKind::ConsentRequired`], code
/// [`CONSENT_REQUIRED`], status 403); its `details()` say `{"reason": "consent_expired", "sent": false}`.
pub(crate) fn consent_expired() -> Error {
    let parsed = ParsedError {
        code: Some(CONSENT_REQUIRED.to_owned()),
        message: Some("the consent token for this patient has expired: seek consent again".to_owned()),
        details: Some(serde_json::json!({ "reason": "consent_expired", "sent": false })),
    };
    Error::Api(Box::new(ApiError::new(crate::VENDOR, 403).with_parsed(parsed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_403_messages() {
        let p = HealthstackErrorParser;
        let consent = p.parse(403, br#"{"success":false,"status":403,"message":"Missing consent token"}"#);
        assert_eq!(consent.code.as_deref(), Some(CONSENT_REQUIRED));
        let kyc = p.parse(403, br#"{"success":false,"message":"Insufficient KYC tier"}"#);
        assert_eq!(kyc.code.as_deref(), Some(KYC_TIER_INSUFFICIENT));
        let both = p.parse(403, br#"{"message":"Insufficient KYC tier or missing consent"}"#);
        assert_eq!(both.code, None);
        let garbage = p.parse(500, b"<html>");
        assert_eq!(garbage, ParsedError::default());
        let errs = p.parse(422, br#"{"errors":[{"msg":"nin is required"}]}"#);
        assert_eq!(errs.message.as_deref(), Some("nin is required"));
        assert!(errs.details.is_some());
    }

    #[test]
    fn expired_consent_is_consent_required() {
        let e = consent_expired();
        assert!(e.is_consent_required());
        assert!(!e.is_retryable());
        assert!(!e.to_string().contains("expired"));
    }
}
