//! Healthstack's errors: how its error bodies are read ([`HealthstackErrorParser`]) and the typed view of
//! one ([`HealthstackError`], with its [`ErrorKind`]).
//!
//! The vendor lists four error statuses (401, 403, 404, 422) and shows no error body; carewire assumes the
//! usual envelope (`{success: false, status, message}`) and reads `message`, `error`, `errors` and `code`
//! leniently. A 403 means either "insufficient KYC tier" or "missing consent"; when the message says which,
//! the error code is [`CONSENT_REQUIRED`] or [`KYC_TIER_INSUFFICIENT`].

use std::fmt;

use carewire_core::redact::Redacted;
use carewire_core::{ApiError, Error, ErrorBodyParser, ErrorShape, ParsedError, VendorError};
use serde_json::Value;

/// The error code carewire gives a 403 whose message says consent is missing or expired, and the error
/// returned before sending when the stored consent token for a patient has expired.
pub const CONSENT_REQUIRED: &str = "consent_required";
/// The error code carewire gives a 403 whose message says the business's KYC tier is too low.
pub const KYC_TIER_INSUFFICIENT: &str = "kyc_tier_insufficient";

/// The codes an error's `Display` may show as they are.
pub(crate) const KNOWN_CODES: &[&str] = &[CONSENT_REQUIRED, KYC_TIER_INSUFFICIENT];

/// What kind of Healthstack failure an error is.
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

/// A Healthstack API error, read out of a [`carewire::Error`](carewire_core::Error) with
/// `err.vendor_error::<HealthstackError>()` or [`HealthstackError::from_error`]: `None` when the error is
/// not a Healthstack API error (a timeout, a validation error before sending, another vendor's answer).
///
/// A stored consent token that expired before the call was sent is reported as this same error (status
/// 403, [`ErrorKind::ConsentRequired`]; its `details` say `{"reason": "consent_expired", "sent": false}`),
/// so one check covers both.
///
/// `Debug` shows the status, the kind and a documented (or plainly shaped) code, never the message or
/// the details: vendors echo patient data in them.
///
/// # Examples
///
/// ```no_run
/// use carewire::healthstack::{Client, ErrorKind, HealthstackError};
///
/// # async fn run(client: Client) -> carewire::Result<()> {
/// match client.patients().get("HID-NHG869UP").await {
///     Ok(patient) => println!("{:?}", patient.id),
///     Err(err) => match err.vendor_error::<HealthstackError>() {
///         Some(hs) if hs.is_consent_required() => {
///             client.patients().seek_consent("HID-NHG869UP").await?;
///         }
///         Some(hs) if hs.kind == ErrorKind::NotFound => println!("no such patient"),
///         _ => return Err(err),
///     },
/// }
/// # Ok(()) }
/// ```
///
/// Any other error is not a Healthstack error:
///
/// ```
/// use carewire::healthstack::HealthstackError;
///
/// let err = carewire::Error::invalid_request("otp", "must be exactly 6 digits");
/// assert!(HealthstackError::from_error(&err).is_none());
/// ```
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct HealthstackError {
    /// The HTTP status (or, for a failure envelope with HTTP 200, the envelope's status when it is one).
    pub status: u16,
    /// What kind of failure it is.
    pub kind: ErrorKind,
    /// The code: [`CONSENT_REQUIRED`] or [`KYC_TIER_INSUFFICIENT`] for a classified 403, else the vendor's
    /// own `code`, if any.
    pub code: Option<String>,
    /// The vendor's message (may echo patient data; not shown by `Debug`).
    pub message: Option<String>,
    /// Structured details: the body's `errors` (validation errors) or `data` (not shown by `Debug`).
    pub details: Option<Value>,
    /// Whether `Debug` may show `code` (a documented code, or one shaped like a plain identifier).
    code_shown: bool,
}

impl HealthstackError {
    /// The Healthstack view of `err`, the same as `err.vendor_error::<HealthstackError>()` (and
    /// [`VendorError::from_error`], without importing the trait); `None` when `err` is not a Healthstack API
    /// error.
    pub fn from_error(err: &Error) -> Option<Self> {
        <Self as VendorError>::from_error(err)
    }

    /// Whether consent must be sought again for the patient (a 403 "missing consent", or a stored consent
    /// token that expired before the call was sent).
    pub fn is_consent_required(&self) -> bool {
        self.kind == ErrorKind::ConsentRequired
    }

    /// Whether the business's KYC tier does not allow the call (a 403 naming the tier).
    pub fn is_kyc_tier_insufficient(&self) -> bool {
        self.kind == ErrorKind::KycTierInsufficient
    }
}

impl VendorError for HealthstackError {
    const VENDOR: &'static str = crate::VENDOR;

    fn from_api(api: &ApiError) -> Option<Self> {
        Some(Self {
            status: api.status(),
            kind: kind_of(api),
            code: api.code().map(str::to_owned),
            message: api.message().map(str::to_owned),
            details: api.details().cloned(),
            code_shown: api.display_code().is_some(),
        })
    }
}

impl fmt::Debug for HealthstackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("HealthstackError");
        s.field("status", &self.status).field("kind", &self.kind);
        if self.code_shown {
            s.field("code", &self.code)
        } else {
            s.field("code", &Redacted(&self.code))
        };
        s.field("message", &Redacted(&self.message)).field("details", &Redacted(&self.details)).finish_non_exhaustive()
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

/// The [`ErrorBodyParser`] for Healthstack's error bodies: [`HealthstackErrorParser::SHAPE`], then the 403
/// classification (a 403, or a failure envelope with a 2xx, whose message names only consent or only the
/// KYC tier gets the code [`CONSENT_REQUIRED`] or [`KYC_TIER_INSUFFICIENT`]).
///
/// ```
/// use carewire::core::ErrorBodyParser;
/// use carewire::healthstack::{CONSENT_REQUIRED, HealthstackErrorParser};
///
/// let parsed = HealthstackErrorParser.parse(403, br#"{"success": false, "message": "Missing consent token"}"#);
/// assert_eq!(parsed.code.as_deref(), Some(CONSENT_REQUIRED));
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct HealthstackErrorParser;

impl HealthstackErrorParser {
    /// Where a Healthstack error body keeps its code, message and details: `{"message"}` at the top or in an
    /// `error` object, `error` as text, or the first of an `errors` list (text, or its `message`/`msg`);
    /// details are `errors`, else `data`.
    pub const SHAPE: ErrorShape = ErrorShape {
        code: &["error.code", "error.error_code", "code", "error_code"],
        message: &["error.message", "message", "error", "errors.0", "errors.0.message", "errors.0.msg"],
        details: &["errors", "data"],
    };
}

/// Extracts code, message and details from an error body already parsed as JSON.
pub(crate) fn parse_error_value(status: u16, body: &Value) -> ParsedError {
    let mut parsed = HealthstackErrorParser::SHAPE.parse_value(body);
    if (status == 403 || status < 300)
        && let Some(cause) = parsed.message.as_deref().and_then(forbidden_cause)
    {
        parsed.code = Some(cause.to_owned());
    }
    parsed
}

impl ErrorBodyParser for HealthstackErrorParser {
    fn parse(&self, status: u16, body: &[u8]) -> ParsedError {
        serde_json::from_slice::<Value>(body).map(|v| parse_error_value(status, &v)).unwrap_or_default()
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
    Error::Api(Box::new(ApiError::new(crate::VENDOR, 403).with_known_codes(KNOWN_CODES).with_parsed(parsed)))
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
        let not_403 = p.parse(404, br#"{"message":"no consent on file", "code": "not_found"}"#);
        assert_eq!(not_403.code.as_deref(), Some("not_found"));
        let garbage = p.parse(500, b"<html>");
        assert_eq!(garbage, ParsedError::default());
        let errs = p.parse(422, br#"{"errors":[{"msg":"nin is required"}]}"#);
        assert_eq!(errs.message.as_deref(), Some("nin is required"));
        assert_eq!(errs.details.unwrap()[0]["msg"], "nin is required");
    }

    #[test]
    fn reads_every_place_a_message_or_code_sits() {
        let p = HealthstackErrorParser;
        let nested = p.parse(400, br#"{"error": {"message": "m1", "code": "E1"}}"#);
        assert_eq!((nested.message.as_deref(), nested.code.as_deref()), (Some("m1"), Some("E1")));
        let text = p.parse(400, br#"{"error": "m2", "error_code": 7}"#);
        assert_eq!((text.message.as_deref(), text.code.as_deref()), (Some("m2"), Some("7")));
        let list = p.parse(400, br#"{"errors": ["m3"], "data": {"x": 1}}"#);
        assert_eq!(list.message.as_deref(), Some("m3"));
        assert_eq!(list.details, Some(serde_json::json!(["m3"])));
        let data = p.parse(400, br#"{"message": "m4", "data": {"field": "nin"}}"#);
        assert_eq!(data.details.unwrap()["field"], "nin");
    }

    #[test]
    fn expired_consent_is_consent_required() {
        let e = consent_expired();
        let hs = e.vendor_error::<HealthstackError>().unwrap();
        assert!(hs.is_consent_required());
        assert!(!hs.is_kyc_tier_insufficient());
        assert_eq!((hs.status, hs.code.as_deref()), (403, Some(CONSENT_REQUIRED)));
        assert_eq!(hs.details.as_ref().unwrap()["sent"], false);
        assert!(!e.is_retryable());
        assert!(!e.to_string().contains("expired"));
        assert_eq!(
            format!("{hs:?}"),
            r#"HealthstackError { status: 403, kind: ConsentRequired, code: Some("consent_required"), message: Some([REDACTED]), details: Some([REDACTED]), .. }"#
        );
    }

    #[test]
    fn debug_hides_a_code_that_may_carry_data() {
        let parsed = ParsedError { code: Some("bad_usr_8921a".into()), message: Some("Ann".into()), details: None };
        let err = Error::Api(Box::new(ApiError::new(crate::VENDOR, 400).with_parsed(parsed)));
        let hs = HealthstackError::from_error(&err).unwrap();
        assert_eq!(hs.code.as_deref(), Some("bad_usr_8921a"));
        assert_eq!(hs.kind, ErrorKind::Other);
        let debug = format!("{hs:?}");
        assert!(!debug.contains("8921") && !debug.contains("Ann"), "{debug}");
        let other_vendor = Error::Api(Box::new(ApiError::new("medtimes", 403)));
        assert!(other_vendor.vendor_error::<HealthstackError>().is_none());
    }
}
