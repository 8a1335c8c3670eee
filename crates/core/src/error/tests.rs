//! Unit tests of `error`.
use super::*;

#[test]
fn serde_messages_lose_quoted_values() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct P {
        age: u32,
        kind: Kind,
    }
    #[derive(Debug, serde::Deserialize)]
    enum Kind {
        A,
    }
    let e = serde_json::from_str::<P>(r#"{"age": "Jane Doe"}"#).unwrap_err();
    let s = sanitize_serde_message(&e);
    assert!(!s.contains("Jane"), "{s}");
    assert_eq!(s, "invalid type, expected u32");
    let e = serde_json::from_str::<P>(r#"{"age": 3, "kind": "SECRETVALUE"}"#).unwrap_err();
    let s = sanitize_serde_message(&e);
    assert!(!s.contains("SECRETVALUE"), "{s}");
    assert_eq!(s, "unknown variant, expected `A`");
    let e = serde_json::from_str::<P>(r#"{"kind": "A"}"#).unwrap_err();
    assert_eq!(sanitize_serde_message(&e), "missing field `age`");
    let e = serde_json::from_str::<P>("<html>Patient Jane</html>").unwrap_err();
    assert_eq!(sanitize_serde_message(&e), "malformed JSON");
    let e = serde_json::from_str::<P>(r#"{"age": 3"#).unwrap_err();
    assert_eq!(sanitize_serde_message(&e), "unexpected end of input");
}

#[test]
fn api_error_display_and_debug_hide_body_and_message() {
    let err = ApiError::new("medtimes", 400)
        .with_parsed(ParsedError {
            code: Some("parameter_missing".into()),
            message: Some("Patient Jane Doe ID 8001015009087 missing".into()),
            details: None,
        })
        .with_body(b"{\"error\":\"Patient Jane Doe\"}".to_vec())
        .with_request_id(Some("req_123".into()));
    let err = Error::Api(Box::new(err));
    for s in [err.to_string(), format!("{err:?}")] {
        assert!(!s.contains("Jane"), "{s}");
        assert!(!s.contains("8001015009087"), "{s}");
        assert!(s.contains("400"), "{s}");
        assert!(s.contains("parameter_missing"), "{s}");
        assert!(s.contains("req_123"), "{s}");
    }
    assert_eq!(err.request_id(), Some("req_123"));
    assert_eq!(err.api().unwrap().message(), Some("Patient Jane Doe ID 8001015009087 missing"));
    assert_eq!(err.api().unwrap().raw_body(), b"{\"error\":\"Patient Jane Doe\"}");
}

#[test]
fn unsafe_codes_are_not_displayed() {
    let mut api = ApiError::new("x", 400);
    api.code = Some("Jane Doe has no consent".into());
    assert!(!api.to_string().contains("Jane"));
    assert!(!format!("{api:?}").contains("Jane"));
}

#[test]
fn codes_shaped_like_ids_are_redacted_everywhere() {
    for code in ["bad_usr_8921a", "bad_usr_19900101", "E_0821234567", "p_4f3a9c2e", "HID-NHG869UP"] {
        let mut api = ApiError::new("x", 400);
        api.code = Some(code.into());
        let err = Error::Api(Box::new(api));
        for s in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
            assert!(!s.contains(code), "{code} shown in {s}");
        }
        assert_eq!(err.api().unwrap().code(), Some(code), "the code itself stays available");
    }
    for code in ["parameter_missing", "SLOT_UNAVAILABLE", "invalid-request", "oauth2_error", "auth:expired"] {
        let mut api = ApiError::new("x", 400);
        api.code = Some(code.into());
        assert!(api.to_string().contains(code), "{code}");
    }
    // A documented code is shown even if its shape would not pass.
    let mut api = ApiError::new("x", 400).with_known_codes(&["E1001"]);
    api.code = Some("E1001".into());
    assert!(api.to_string().contains("E1001"));
}

#[test]
fn context_names_the_call_and_the_chain_goes_down() {
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
    let err = Error::Transport(TransportError::new(TransportErrorKind::Connect, io)).with_context(CallContext::new(
        "medtimes",
        "POST",
        "/v1/claims",
    ));
    assert_eq!(err.to_string(), "medtimes POST /v1/claims: could not connect");
    let mut chain = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = cur {
        chain.push(e.to_string());
        cur = e.source();
    }
    assert_eq!(chain.last().map(String::as_str), Some("connection refused"), "{chain:?}");
    assert!(chain.len() >= 2, "{chain:?}");

    let inner = Error::Transport(TransportError::new(TransportErrorKind::Connect, std::io::Error::other("refused")));
    let err = Error::Auth(AuthError::new("the token endpoint could not be reached").with_source(inner))
        .with_context(CallContext::new("docplanner", "GET", "/facilities/{facility_id}"));
    assert!(err.to_string().starts_with("docplanner GET /facilities/{facility_id}: authentication failed"));
    let mut depth = 0;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = cur {
        depth += 1;
        cur = e.source();
    }
    assert!(depth >= 3, "Error -> AuthError -> Error -> TransportError -> io: {depth}");
    assert_eq!(err.context().map(CallContext::vendor), Some("docplanner"));
}

#[test]
fn retryability() {
    assert!(Error::Api(Box::new(ApiError::new("v", 503))).is_retryable());
    assert!(!Error::Api(Box::new(ApiError::new("v", 400))).is_retryable());
    assert!(Error::RateLimited(Box::new(ApiError::new("v", 429))).is_retryable());
    assert!(Error::timeout(TimeoutKind::Attempt(Duration::from_secs(1))).is_retryable());
    assert!(!Error::invalid_request("a", "b").is_retryable());
    assert_eq!(Error::Api(Box::new(ApiError::new("v", 404))).status(), Some(404));
}

#[test]
#[allow(clippy::many_single_char_names)]
fn default_parser_shapes() {
    let p = DefaultErrorParser;
    let a = p.parse(400, br#"{"error":{"type":"invalid_request_error","code":"parameter_missing","message":"m"}}"#);
    assert_eq!(a.code.as_deref(), Some("parameter_missing"));
    assert_eq!(a.message.as_deref(), Some("m"));
    let b = p.parse(422, br#"{"errors":{"name":["blank"]},"message":"Validation Failed"}"#);
    assert_eq!(b.message.as_deref(), Some("Validation Failed"));
    assert!(b.details.is_some());
    let c = p.parse(500, b"<html>oops</html>");
    assert_eq!(c, ParsedError::default());
    let d = p.parse(404, br#"{"error":"not found"}"#);
    assert_eq!(d.message.as_deref(), Some("not found"));
}
