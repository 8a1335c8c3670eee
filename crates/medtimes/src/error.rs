//! Medtimes error bodies (`{"error": {"type", "code", "message"}}`) and their mapping into
//! [`carewire_core::Error`].
//!
//! Every non-2xx answer becomes [`Error::Api`] (429 becomes [`Error::RateLimited`]) whose
//! [`code()`](carewire_core::ApiError::code) is the Medtimes `error.code` (or `error.type` when there is no
//! code) and whose [`message()`](carewire_core::ApiError::message) is `error.message`. The typed body, with
//! [`ErrorType`] and [`ErrorCode`], is available through [`MedtimesErrorExt::medtimes_error`].

use std::fmt;

use carewire_core::{ApiError, Error, ParsedError};
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

/// The `error` object of a Medtimes error body. Every field is optional so that any body decodes.
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
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

impl fmt::Debug for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorBody")
            .field("error_type", &self.error_type)
            .field("code", &self.code)
            .field("message", &crate::validate::Redacted(&self.message))
            .field("extra", &crate::validate::Keys(&self.extra))
            .finish()
    }
}

impl ErrorBody {
    /// Parses a Medtimes error body (`{"error": {...}}`); `None` if it is not one.
    pub fn parse(body: &[u8]) -> Option<Self> {
        #[derive(Deserialize)]
        struct Envelope {
            error: ErrorBody,
        }
        serde_json::from_slice::<Envelope>(body).ok().map(|e| e.error)
    }
}

/// Maps a Medtimes error body into what core keeps: the code (`error.code`, else `error.type`), the message,
/// and the whole `error` object as details. Never panics; a body that is not the Medtimes shape gives an empty
/// result (the status is still reported).
pub(crate) fn parse_error_body(status: u16, body: &[u8]) -> ParsedError {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return ParsedError::default();
    };
    let Some(error) = value.get("error").filter(|e| e.is_object()) else {
        return carewire_core::ErrorBodyParser::parse(&carewire_core::DefaultErrorParser, status, body);
    };
    let text = |key: &str| match error.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    ParsedError { code: text("code").or_else(|| text("type")), message: text("message"), details: Some(error.clone()) }
}

/// Typed access to the Medtimes error body of a [`carewire_core::Error`].
pub trait MedtimesErrorExt {
    /// The Medtimes error body, when the error is an API error whose body has the Medtimes shape.
    fn medtimes_error(&self) -> Option<ErrorBody>;
}

impl MedtimesErrorExt for ApiError {
    fn medtimes_error(&self) -> Option<ErrorBody> {
        ErrorBody::parse(self.raw_body())
    }
}

impl MedtimesErrorExt for Error {
    fn medtimes_error(&self) -> Option<ErrorBody> {
        self.api().and_then(MedtimesErrorExt::medtimes_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_body() {
        let body = br#"{"error":{"type":"invalid_request_error","code":"parameter_missing","message":"The 'patient_id' field is required."}}"#;
        let parsed = parse_error_body(400, body);
        assert_eq!(parsed.code.as_deref(), Some("parameter_missing"));
        assert_eq!(parsed.message.as_deref(), Some("The 'patient_id' field is required."));
        let typed = ErrorBody::parse(body).unwrap();
        assert_eq!(typed.error_type, Some(ErrorType::InvalidRequestError));
        assert_eq!(typed.code, Some(ErrorCode::ParameterMissing));
        assert!(!format!("{typed:?}").contains("patient_id"));
    }

    #[test]
    fn tolerates_other_bodies() {
        assert_eq!(parse_error_body(500, b"<html>oops</html>"), ParsedError::default());
        assert_eq!(parse_error_body(500, b""), ParsedError::default());
        let only_type = parse_error_body(403, br#"{"error":{"type":"permission_error"}}"#);
        assert_eq!(only_type.code.as_deref(), Some("permission_error"));
        let flat = parse_error_body(400, br#"{"error":"bad","message":"m"}"#);
        assert_eq!(flat.message.as_deref(), Some("m"));
        let unknown = ErrorBody::parse(br#"{"error":{"type":"brand_new","code":42}}"#).unwrap();
        assert_eq!(unknown.error_type, Some(ErrorType::Unknown("brand_new".into())));
        assert_eq!(unknown.code, Some(ErrorCode::Unknown("42".into())));
    }
}
