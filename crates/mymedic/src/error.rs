//! MyMedic's error body (`{"error": {"code", "message", "details"}}`), its parser, and [`MyMedicError`], the
//! typed view of a MyMedic API error: its [`ErrorCode`], its `details` (the slot and reason of a
//! `SLOT_UNAVAILABLE`) and, for a 403 naming a missing scope, the scope the operation needs.
//!
//! The guide gives one code (`SLOT_UNAVAILABLE`) and no status mapping, so carewire retries only what core's
//! rules say is safe (408, 429, 5xx on retry-safe calls; a booking is retry-safe because of its key).

use std::fmt;

use carewire_core::error::is_plain_code;
use carewire_core::{ApiError, Error, ErrorShape, VendorError};
use serde_json::{Map, Value};

use crate::decode::text;

/// The vendor name errors and traces carry.
pub(crate) const VENDOR: &str = "mymedic";

/// Where MyMedic's error body keeps its code, message and details; OAuth2-style `{"error",
/// "error_description"}` bodies (a gateway's 401 or 403) are read too.
pub(crate) const SHAPE: ErrorShape = ErrorShape {
    code: &["error.code", "code", "error"],
    message: &["error.message", "message", "error_description"],
    details: &["error.details", "details"],
};

carewire_core::open_enum! {
    /// The `error.code` of a MyMedic error. Only `SLOT_UNAVAILABLE` is documented; the others name the
    /// guide's error categories and are what the carewire sandbox sends.
    ErrorCode {
        /// `SLOT_UNAVAILABLE`: the slot was booked in the meantime (documented; `details` has `slot` and
        /// `reason`).
        SlotUnavailable => "SLOT_UNAVAILABLE",
        /// `INSUFFICIENT_SCOPE` (also `insufficient_scope`, `MISSING_SCOPE`): the access token lacks a scope.
        InsufficientScope => "INSUFFICIENT_SCOPE" | "MISSING_SCOPE",
        /// `UNAUTHORIZED` (also OAuth2's `invalid_token`): no valid access token.
        Unauthorized => "UNAUTHORIZED" | "invalid_token",
        /// `VALIDATION_ERROR`: the request was refused as invalid.
        ValidationError => "VALIDATION_ERROR",
        /// `NOT_FOUND`: no such program, appointment or route.
        NotFound => "NOT_FOUND",
        /// `INVALID_STATUS_TRANSITION`: a completed or cancelled appointment cannot change status.
        InvalidStatusTransition => "INVALID_STATUS_TRANSITION",
        /// `IDEMPOTENCY_KEY_REUSED`: the idempotency key was used with another booking.
        IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
        /// `INTERNAL_ERROR`: a system error on MyMedic's side.
        InternalError => "INTERNAL_ERROR",
    }
}

/// Every code above: the codes an error's `Display` shows as they are.
pub(crate) const KNOWN_CODES: &[&str] = &[
    "SLOT_UNAVAILABLE",
    "INSUFFICIENT_SCOPE",
    "insufficient_scope",
    "MISSING_SCOPE",
    "UNAUTHORIZED",
    "invalid_token",
    "VALIDATION_ERROR",
    "NOT_FOUND",
    "INVALID_STATUS_TRANSITION",
    "IDEMPOTENCY_KEY_REUSED",
    "INTERNAL_ERROR",
];

/// The typed view of a MyMedic API error (an [`Error::Api`] or [`Error::RateLimited`] from MyMedic).
///
/// # Examples
///
/// ```
/// use carewire::mymedic::{ErrorCode, MyMedicError};
///
/// # fn handle(err: carewire::Error) {
/// match MyMedicError::from_error(&err) {
///     Some(e) if e.code == Some(ErrorCode::SlotUnavailable) => {
///         let taken = e.slot_unavailable().unwrap();
///         println!("pick another slot than {:?} ({:?})", taken.slot, taken.reason);
///     }
///     Some(e) if e.scope_error().is_some() => println!("{}", e.scope_error().unwrap()),
///     Some(e) => println!("MyMedic said HTTP {} {:?}", e.status, e.code),
///     None => println!("not a MyMedic answer: {err}"),
/// }
/// # }
/// ```
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct MyMedicError {
    /// The HTTP status.
    pub status: u16,
    /// `error.code`.
    pub code: Option<ErrorCode>,
    /// `error.message`. It may quote request values: do not log it blindly.
    pub message: Option<String>,
    /// `error.details`, as sent (free-form).
    pub details: Option<Value>,
    /// The operation that failed (`appointments.create`), when the error came from one of this crate's
    /// operations.
    pub operation: Option<&'static str>,
    /// The OAuth2 scope that operation needs (`appointments.write`), from the crate's table of scopes.
    pub required_scope: Option<&'static str>,
}

carewire_core::redacted_debug!(MyMedicError {
    show: [status, code, operation, required_scope],
    redact: [message, details],
});

impl VendorError for MyMedicError {
    const VENDOR: &'static str = VENDOR;

    fn from_api(api: &ApiError) -> Option<Self> {
        Some(Self {
            status: api.status(),
            code: api.code().map(ErrorCode::from),
            message: api.message().map(str::to_owned),
            details: api.details().cloned(),
            operation: None,
            required_scope: None,
        })
    }

    /// Also names the operation and the scope it needs, from the call the error belongs to.
    fn from_error(err: &Error) -> Option<Self> {
        let api = err.api().filter(|api| api.vendor() == VENDOR)?;
        let mut typed = Self::from_api(api)?;
        if let Some(context) = err.context()
            && let Some(spec) =
                crate::OPERATIONS.iter().find(|s| s.method.as_str() == context.method() && s.path == context.template())
        {
            typed.operation = Some(spec.name);
            typed.required_scope = crate::required_scope(spec.name);
        }
        Some(typed)
    }
}

impl MyMedicError {
    /// The typed view of `err`, when it is a MyMedic API error (the same as `err.vendor_error::<MyMedicError>()`).
    pub fn from_error(err: &Error) -> Option<Self> {
        <Self as VendorError>::from_error(err)
    }

    /// The details of a `SLOT_UNAVAILABLE`: the slot (an RFC 3339 instant in the guide's example) and the
    /// reason. `None` for any other error.
    ///
    /// ```
    /// use carewire::mymedic::{ErrorCode, MyMedicError, SlotUnavailable};
    ///
    /// let mut err = MyMedicError::default();
    /// err.code = Some(ErrorCode::SlotUnavailable);
    /// err.details = Some(serde_json::json!({"slot": "2025-04-08T10:00:00Z", "reason": "Already booked"}));
    /// let taken = err.slot_unavailable().unwrap();
    /// assert_eq!(taken.slot.as_deref(), Some("2025-04-08T10:00:00Z"));
    /// assert_eq!(taken.reason.as_deref(), Some("Already booked"));
    /// ```
    pub fn slot_unavailable(&self) -> Option<SlotUnavailable> {
        if self.code != Some(ErrorCode::SlotUnavailable) {
            return None;
        }
        let mut details = match &self.details {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        };
        let mut take = |key: &str| details.remove(key).as_ref().and_then(text);
        let (slot, reason) = (take("slot"), take("reason"));
        Some(SlotUnavailable { slot, reason, extra: details })
    }

    /// For a 403 that says a scope is missing (code `INSUFFICIENT_SCOPE`, a message or details naming a
    /// scope): which scope the operation needs. `None` for any other error.
    pub fn scope_error(&self) -> Option<ScopeError> {
        if self.status != 403 {
            return None;
        }
        let named = ["required_scope", "missing_scope", "scope"].iter().find_map(|k| match &self.details {
            Some(Value::Object(map)) => map.get(*k).and_then(text),
            _ => None,
        });
        let mentions = self.message.as_deref().is_some_and(|m| m.to_ascii_lowercase().contains("scope"));
        if self.code != Some(ErrorCode::InsufficientScope) && named.is_none() && !mentions {
            return None;
        }
        Some(ScopeError { operation: self.operation, required: self.required_scope, named })
    }
}

impl fmt::Display for MyMedicError {
    /// The status and the code (when it is a plain identifier), and for a scope error what is missing;
    /// never the message or the details.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mymedic HTTP {}", self.status)?;
        if let Some(code) = self.code.as_ref().filter(|c| is_plain_code(c.as_str())) {
            write!(f, " {code}")?;
        }
        if let Some(scope) = self.scope_error() {
            write!(f, ": {scope}")?;
        }
        Ok(())
    }
}

/// The `details` of a `SLOT_UNAVAILABLE` error.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct SlotUnavailable {
    /// `details.slot`: the slot that is taken (`2025-04-08T10:00:00Z` in the guide).
    pub slot: Option<String>,
    /// `details.reason` (`Already booked`).
    pub reason: Option<String>,
    /// The other members of `details`.
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(SlotUnavailable { show: [slot, reason], keys: [extra] });

/// A 403 because the access token lacks a scope, and which one the operation needs.
///
/// Its `Display` says so: `` appointments.create needs the OAuth2 scope `appointments.write`; request it with
/// `ClientBuilder::scopes` (or MYMEDIC_SCOPES) ``.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScopeError {
    /// The operation that was refused, when known.
    pub operation: Option<&'static str>,
    /// The scope the operation needs, from this crate's table (see [`crate::required_scope`]).
    pub required: Option<&'static str>,
    /// The scope the answer named, if it named one.
    pub named: Option<String>,
}

impl ScopeError {
    /// The scope to request: the one the answer named, else the one the operation needs.
    pub fn scope(&self) -> Option<&str> {
        self.named.as_deref().or(self.required)
    }
}

impl fmt::Display for ScopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = self.operation.unwrap_or("this call");
        match self.scope().filter(|s| is_plain_code(s)) {
            Some(scope) => write!(
                f,
                "{operation} needs the OAuth2 scope `{scope}`; request it with `ClientBuilder::scopes` (or MYMEDIC_SCOPES)"
            ),
            None => write!(f, "the access token lacks a scope {operation} needs (MyMedic did not say which)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use carewire_core::ErrorBodyParser;

    #[test]
    fn parses_the_documented_body_and_others() {
        let body = br#"{"error":{"code":"SLOT_UNAVAILABLE","message":"Selected appointment slot is no longer available","details":{"slot":"2025-04-08T10:00:00Z","reason":"Already booked"}}}"#;
        let parsed = SHAPE.parse(409, body);
        assert_eq!(parsed.code.as_deref(), Some("SLOT_UNAVAILABLE"));
        assert_eq!(parsed.details.unwrap()["reason"], "Already booked");
        let oauth = SHAPE.parse(401, br#"{"error":"invalid_token","error_description":"expired"}"#);
        assert_eq!((oauth.code.as_deref(), oauth.message.as_deref()), (Some("invalid_token"), Some("expired")));
        assert_eq!(SHAPE.parse(502, b"<html>bad gateway</html>"), carewire_core::ParsedError::default());
        assert_eq!(ErrorCode::from("insufficient_scope"), ErrorCode::InsufficientScope);
        assert_eq!(ErrorCode::from("invalid_token"), ErrorCode::Unauthorized);
    }

    #[test]
    fn scope_errors_say_what_is_needed() {
        let e = MyMedicError {
            status: 403,
            code: Some(ErrorCode::InsufficientScope),
            operation: Some("appointments.create"),
            required_scope: Some("appointments.write"),
            ..MyMedicError::default()
        };
        let scope = e.scope_error().unwrap();
        assert_eq!(scope.scope(), Some("appointments.write"));
        assert!(e.to_string().contains("appointments.create needs the OAuth2 scope `appointments.write`"), "{e}");
        let named = MyMedicError {
            status: 403,
            details: Some(serde_json::json!({"scope": "records.read"})),
            ..MyMedicError::default()
        };
        assert!(named.scope_error().unwrap().to_string().contains("`records.read`"));
        let forbidden = MyMedicError { status: 403, message: Some("no".into()), ..MyMedicError::default() };
        assert!(forbidden.scope_error().is_none());
        let unnamed = MyMedicError { status: 403, message: Some("missing scope".into()), ..MyMedicError::default() };
        assert!(unnamed.scope_error().unwrap().to_string().contains("did not say which"));
        let secret = MyMedicError { message: Some("Jane Doe's slot".into()), ..MyMedicError::default() };
        assert!(!format!("{secret:?} {secret}").contains("Jane"));
    }
}
