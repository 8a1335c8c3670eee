//! Medtimes error bodies (`{"error": {"type", "code", "message"}}`) and their mapping into
//! [`carewire_core::Error`].
//!
//! Every non-2xx answer becomes [`Error::Api`](carewire_core::Error::Api) (429 becomes [`Error::RateLimited`](carewire_core::Error::RateLimited)) whose
//! [`code()`](carewire_core::ApiError::code) is the Medtimes `error.code` (or `error.type` when there is no
//! code) and whose [`message()`](carewire_core::ApiError::message) is `error.message`. The typed view, with
//! [`ErrorType`] and [`ErrorCode`], is [`MedtimesError`]: `err.vendor_error::<MedtimesError>()`.

use carewire_core::{ApiError, ErrorShape, VendorError};
#[cfg(test)]
use carewire_core::{ErrorBodyParser, ParsedError};
use serde::Deserialize;
use serde_json::Value;

use crate::enums::open_enum;

open_enum! {
    /// The `error.type` of a Medtimes error. Only `invalid_request_error` appears in the doc; the
    /// other variants are the Stripe conventions the doc copies and are what the sandbox sends.
    ErrorType {
        /// `invalid_request_error`: the request was unacceptable (documented).
        InvalidRequestError => "invalid_request_error",
        /// `authentication_error`: no valid API key (Stripe convention, used by the sandbox for 401).
        AuthenticationError => "authentication_error",
        /// `permission_error`: the key lacks a permission (Stripe convention, for 403).
        PermissionError => "permission_error",
        /// `api_error`: something went wrong on Medtimes' side (Stripe convention, for 500).
        ApiError => "api_error",
        /// `idempotency_error`: an idempotency key was reused with another request (Stripe convention).
        IdempotencyError => "idempotency_error",
    }
}

open_enum! {
    /// The `error.code` of a Medtimes error. Only `parameter_missing` appears in the doc; the others
    /// are Stripe conventions the sandbox also uses.
    ErrorCode {
        /// `parameter_missing`: a required parameter was omitted (documented).
        ParameterMissing => "parameter_missing",
        /// `parameter_invalid`: a parameter has an invalid value.
        ParameterInvalid => "parameter_invalid",
        /// `invalid_api_key`: the API key is missing or wrong.
        InvalidApiKey => "invalid_api_key",
        /// `resource_missing`: the requested object does not exist.
        ResourceMissing => "resource_missing",
        /// `idempotency_key_in_use`: the key was already used with different parameters.
        IdempotencyKeyInUse => "idempotency_key_in_use",
    }
}

/// Every `error.type` and `error.code` above: the codes an error's `Display` may show as they are.
pub(crate) const KNOWN_CODES: &[&str] = &[
    "invalid_request_error",
    "authentication_error",
    "permission_error",
    "api_error",
    "idempotency_error",
    "parameter_missing",
    "parameter_invalid",
    "invalid_api_key",
    "resource_missing",
    "idempotency_key_in_use",
];

/// The typed view of a Medtimes error: the HTTP status and the body's `error` object. Every body field is
/// optional so that any body decodes.
///
/// Read it from any [`Error`](carewire_core::Error) with `err.vendor_error::<MedtimesError>()` (or `MedtimesError::from_error(&err)`):
///
/// ```
/// use carewire::medtimes::{ErrorCode, MedtimesError};
/// use carewire::core::{ApiError, Error, ErrorBodyParser};
///
/// let body = br#"{"error":{"type":"invalid_request_error","code":"parameter_missing","message":"m"}}"#;
/// let api = ApiError::new("medtimes", 400).with_parsed(MedtimesError::SHAPE.parse(400, body)).with_body(body.to_vec());
/// let err = Error::Api(Box::new(api));
/// let typed = err.vendor_error::<MedtimesError>().unwrap();
/// assert_eq!((typed.status, typed.code), (400, Some(ErrorCode::ParameterMissing)));
/// ```
#[derive(Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct MedtimesError {
    /// The HTTP status.
    #[serde(skip)]
    pub status: u16,
    /// `error.type`.
    #[serde(rename = "type", default)]
    pub error_type: Option<ErrorType>,
    /// `error.code`.
    #[serde(default)]
    pub code: Option<ErrorCode>,
    /// `error.message`. It may quote request values: do not log it blindly.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub message: Option<String>,
    /// `error.param` (not documented; Stripe sends it) and anything else in the error object.
    #[serde(flatten)]
    pub extra: std::collections::BTreeMap<String, Value>,
}

carewire_core::redacted_debug!(MedtimesError { show: [status, error_type, code], redact: [message], keys: [extra] });

impl MedtimesError {
    /// Where a Medtimes error body keeps its code (`error.code`, else `error.type`), message and details (the
    /// whole `error` object); the client's error parser.
    pub const SHAPE: ErrorShape = ErrorShape {
        code: &["error.code", "error.type", "code"],
        message: &["error.message", "message", "error"],
        details: &["error", "errors"],
    };

    /// Parses a Medtimes error body (`{"error": {...}}`); `None` if it is not one.
    pub fn parse(status: u16, body: &[u8]) -> Option<Self> {
        #[derive(Deserialize)]
        struct Envelope {
            error: MedtimesError,
        }
        serde_json::from_slice::<Envelope>(body).ok().map(|e| MedtimesError { status, ..e.error })
    }
}

impl VendorError for MedtimesError {
    const VENDOR: &'static str = crate::VENDOR;

    fn from_api(api: &ApiError) -> Option<Self> {
        Self::parse(api.status(), api.raw_body())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_body() {
        let body = br#"{"error":{"type":"invalid_request_error","code":"parameter_missing","message":"The 'patient_id' field is required."}}"#;
        let parsed = MedtimesError::SHAPE.parse(400, body);
        assert_eq!(parsed.code.as_deref(), Some("parameter_missing"));
        assert_eq!(parsed.message.as_deref(), Some("The 'patient_id' field is required."));
        let typed = MedtimesError::parse(400, body).unwrap();
        assert_eq!(typed.error_type, Some(ErrorType::InvalidRequestError));
        assert_eq!(typed.code, Some(ErrorCode::ParameterMissing));
        assert!(!format!("{typed:?}").contains("patient_id"));
    }

    #[test]
    fn tolerates_other_bodies() {
        assert_eq!(MedtimesError::SHAPE.parse(500, b"<html>oops</html>"), ParsedError::default());
        assert_eq!(MedtimesError::SHAPE.parse(500, b""), ParsedError::default());
        let only_type = MedtimesError::SHAPE.parse(403, br#"{"error":{"type":"permission_error"}}"#);
        assert_eq!(only_type.code.as_deref(), Some("permission_error"));
        let flat = MedtimesError::SHAPE.parse(400, br#"{"error":"bad","message":"m"}"#);
        assert_eq!(flat.message.as_deref(), Some("m"));
        let unknown = MedtimesError::parse(400, br#"{"error":{"type":"brand_new","code":42}}"#).unwrap();
        assert_eq!(unknown.error_type, Some(ErrorType::Unknown("brand_new".into())));
        assert_eq!(unknown.code, Some(ErrorCode::Unknown("42".into())));
    }
}
