//! Unit tests of `request`: path templates, query encodings, bodies, keys and redaction.
use super::*;

#[test]
fn fallback_bytes_never_repeat() {
    let mut seen = std::collections::HashSet::new();
    for _ in 0..1000 {
        assert!(seen.insert(fallback_random_bytes()));
    }
}

#[test]
fn path_params_are_one_segment() {
    let r = Request::post("/FDA/slots/{start}/book").path_param("start", "2021-05-16T14:00:00+01:00");
    assert_eq!(r.render_path().unwrap(), "/FDA/slots/2021-05-16T14%3A00%3A00%2B01%3A00/book");
    let r = Request::get("/a/{x}/b").path_param("x", "../c d/é");
    assert_eq!(r.render_path().unwrap(), "/a/..%2Fc%20d%2F%C3%A9/b");
}

#[test]
fn missing_or_empty_params_are_typed_errors() {
    let err = Request::get("/v1/prescriptions/{id}").render_path().unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "id"));
    let err = Request::get("/v1/prescriptions/{id}").path_param("id", " ").render_path().unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "id"));
    let err = Request::get("/v1/{id").render_path().unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }));
}

#[test]
fn dot_segments_are_refused_naming_the_parameter() {
    for dots in [".", "..", "%2e", "%2E%2e", ".%2e", " .. "] {
        let err = Request::delete("/facilities/{facility_id}/addresses/{address_service_id}/")
            .path_param("facility_id", "1")
            .path_param("address_service_id", dots)
            .render_path()
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { ref field, .. } if field == "address_service_id"),
            "{dots}: {err:?}"
        );
    }
    // Dots inside a value are fine: they cannot leave the segment.
    let r = Request::get("/a/{x}").path_param("x", "...");
    assert_eq!(r.render_path().unwrap(), "/a/...");
    let r = Request::get("/a/{x}").path_param("x", "v1.2");
    assert_eq!(r.render_path().unwrap(), "/a/v1.2");
}

#[test]
fn stripe_style_form() {
    #[derive(Serialize)]
    struct Nappi {
        code: &'static str,
        qty: u32,
    }
    #[derive(Serialize)]
    struct Scheme {
        name: &'static str,
    }
    #[derive(Serialize)]
    struct Body {
        patient_id: &'static str,
        symptoms: Vec<&'static str>,
        scheme: Scheme,
        nappi: Vec<Nappi>,
        #[serde(skip_serializing_if = "Option::is_none")]
        none: Option<u8>,
    }
    let b = Body {
        patient_id: "usr_8921a",
        symptoms: vec!["persistent cough", "fever"],
        scheme: Scheme { name: "Discovery & Co+1" },
        nappi: vec![Nappi { code: "708", qty: 2 }],
        none: None,
    };
    let s = encode_form(&b).unwrap();
    assert_eq!(
        s,
        "patient_id=usr_8921a&symptoms[0]=persistent+cough&symptoms[1]=fever&scheme[name]=Discovery+%26+Co%2B1&nappi[0][code]=708&nappi[0][qty]=2"
    );
}

#[test]
fn form_errors_do_not_panic() {
    let r = Request::post("/x").form(&5u8);
    let err = r.render_path().unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "body"), "{err:?}");
    let r = Request::post("/x").form(&"Jane Doe");
    let err = r.render_path().unwrap_err();
    assert!(!err.to_string().contains("Jane"), "{err}");
}

#[test]
fn retry_safety_rules() {
    assert!(Request::get("/").is_retry_safe());
    assert!(Request::delete("/").is_retry_safe());
    assert!(!Request::post("/").is_retry_safe());
    assert!(Request::post("/").idempotency_key("k").is_retry_safe());
    assert!(Request::post("/").idempotent(true).is_retry_safe());
    assert!(!Request::get("/").idempotent(false).is_retry_safe());
    assert!(!Request::patch("/").is_retry_safe());
}

#[test]
fn idempotency_keys_look_like_uuids_and_differ() {
    let a = generate_idempotency_key();
    let b = generate_idempotency_key();
    assert_ne!(a, b);
    assert_eq!(a.len(), 36);
    assert_eq!(&a[14..15], "4");
    let r = Request::post("/").idempotency_key("mine").ensure_idempotency_key();
    assert_eq!(r.idempotency_key_ref(), Some("mine"));
}

#[test]
fn debug_shows_no_values() {
    let r = Request::post("/p/{id}")
        .path_param("id", "8001015009087")
        .query("name", "Jane")
        .header("x-consent-token", "ct_secret")
        .json(&serde_json::json!({"name": "Jane"}));
    let s = format!("{r:?}");
    for bad in ["8001015009087", "Jane", "ct_secret"] {
        assert!(!s.contains(bad), "{s}");
    }
}
