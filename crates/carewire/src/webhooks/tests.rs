//! Tests of the one webhook entry point: unsigned vendors refused until allowed, replicas sharing a replay guard.

#[cfg(feature = "mymedic")]
mod mymedic_tests {
    use super::super::*;

    const EVENT: &[u8] =
        br#"{"event":"appointment.created","data":{"appointmentId":"apt_1","participant":{"name":"Asha"}}}"#;

    #[test]
    fn mymedic_is_refused_until_unverified_deliveries_are_allowed() {
        let err = WebhookReceiver::new().receive(Vendor::MyMedic, [], EVENT).unwrap_err();
        assert_eq!(err, WebhookError::NotConfigured { vendor: "mymedic", missing: MYMEDIC_MISSING });
        assert!(err.to_string().contains("allow_unverified_mymedic"), "{err}");
        assert!(format!("{:?}", WebhookReceiver::new()).contains("mymedic: refused"));

        let receiver = WebhookReceiver::new().allow_unverified_mymedic();
        let debug = format!("{receiver:?}");
        assert!(debug.contains("mymedic: UNVERIFIED"), "{debug}");
        let event = receiver.receive("MyMedic".parse().unwrap(), [("x-anything", "1")], EVENT).unwrap();
        assert_eq!((event.vendor(), event.name()), (Vendor::MyMedic, "appointment.created"));
        assert_eq!(Vendor::MyMedic.to_string(), "mymedic");
        #[allow(irrefutable_let_patterns)] // with only the `mymedic` feature, it is the one variant
        let WebhookEvent::MyMedic(delivery) = event else { unreachable!() };
        assert!(!format!("{delivery:?}").contains("Asha"));
        let data = delivery.assume_verified().data;
        assert!(
            matches!(data, carewire_mymedic::webhooks::EventData::AppointmentCreated(ref d) if d.appointment_id.as_deref() == Some("apt_1"))
        );
        for body in [&b""[..], b"{}", b"<html><body>Bad gateway</body></html>", br#"{"data":{}}"#] {
            let err = receiver.receive(Vendor::MyMedic, [], body).unwrap_err();
            assert!(matches!(err, WebhookError::InvalidPayload { .. }), "{err:?}");
        }
    }
}

#[cfg(all(feature = "medtimes", feature = "docplanner"))]
mod receiver_tests {
    use super::super::*;
    use carewire_core::webhook::sign_for_tests;
    use carewire_docplanner::webhooks::PushAuth;

    const PUSH: &[u8] = br#"{"name":"slot-booked","data":{"visit_booking":{"id":"b1"}}}"#;

    #[test]
    fn docplanner_pushes_are_refused_until_authentication_is_configured() {
        let err = WebhookReceiver::new().receive(Vendor::Docplanner, [("x-api-key", "anything")], PUSH).unwrap_err();
        assert_eq!(err, WebhookError::NotConfigured { vendor: "docplanner", missing: DOCPLANNER_MISSING });
        let text = err.to_string();
        assert!(text.starts_with("docplanner webhooks are refused: "), "{text}");
        assert!(text.contains("docplanner_push_auth") && text.contains("allow_unauthenticated_docplanner"), "{text}");
        // Medtimes configured does not open Docplanner.
        let medtimes_only = WebhookReceiver::new().medtimes(carewire_medtimes::Webhooks::new("whsec"));
        assert!(matches!(
            medtimes_only.receive(Vendor::Docplanner, [], PUSH),
            Err(WebhookError::NotConfigured { vendor: "docplanner", .. })
        ));
    }

    #[test]
    fn docplanner_push_auth_checks_the_agreed_header() {
        let receiver = WebhookReceiver::new().docplanner_push_auth(PushAuth::new("X-Docplanner-Key", "agreed"));
        let event = receiver.receive(Vendor::Docplanner, [("x-docplanner-key", "agreed")], PUSH).unwrap();
        assert_eq!(event.name(), "slot-booked");
        for headers in
            [&[("x-docplanner-key", "agreed2")][..], &[("x-docplanner-key", "agree")], &[("x-other", "agreed")]]
        {
            assert!(receiver.receive(Vendor::Docplanner, headers.iter().copied(), PUSH).is_err(), "{headers:?}");
        }
        assert_eq!(
            receiver.receive(Vendor::Docplanner, [("x-docplanner-key", "wrong")], PUSH).unwrap_err(),
            WebhookError::SignatureMismatch
        );
        assert_eq!(receiver.receive(Vendor::Docplanner, [], PUSH).unwrap_err(), WebhookError::MissingSignature);
        // Authenticated, but not an event.
        let err = receiver.receive(Vendor::Docplanner, [("x-docplanner-key", "agreed")], b"{}").unwrap_err();
        assert!(matches!(err, WebhookError::InvalidPayload { .. }), "{err:?}");
    }

    #[test]
    fn unauthenticated_docplanner_only_when_asked_and_last_call_wins() {
        let open = WebhookReceiver::new().allow_unauthenticated_docplanner();
        assert!(open.receive(Vendor::Docplanner, [], PUSH).is_ok());
        assert!(format!("{open:?}").contains("UNAUTHENTICATED"));
        let closed = WebhookReceiver::new()
            .allow_unauthenticated_docplanner()
            .docplanner_push_auth(PushAuth::new("x-api-key", "k"));
        assert_eq!(closed.receive(Vendor::Docplanner, [], PUSH).unwrap_err(), WebhookError::MissingSignature);
        for body in [&b""[..], b"{}", b"<html><body>Bad gateway</body></html>", b"\xff\xfe", br#"{"data":{}}"#] {
            assert!(matches!(open.receive(Vendor::Docplanner, [], body), Err(WebhookError::InvalidPayload { .. })));
        }
    }

    #[test]
    fn medtimes_is_refused_until_configured_and_rejects_replays_by_default() {
        let body = br#"{"type":"claim.paid","data":{"claim_id":"clm_1"}}"#;
        let sig = sign_for_tests("whsec", body);
        let err = WebhookReceiver::new().receive(Vendor::Medtimes, [("medtimes-signature", sig.as_str())], body);
        let err = err.unwrap_err();
        assert!(matches!(err, WebhookError::NotConfigured { vendor: "medtimes", .. }), "{err:?}");
        assert!(err.to_string().contains("WebhookReceiver::medtimes"), "{err}");

        let receiver = WebhookReceiver::new().medtimes(carewire_medtimes::Webhooks::new("whsec"));
        assert!(receiver.receive(Vendor::Medtimes, [("medtimes-signature", sig.as_str())], body).is_ok());
        let again = receiver.receive(Vendor::Medtimes, [("medtimes-signature", sig.as_str())], body);
        assert_eq!(again.unwrap_err(), WebhookError::Replayed);
    }

    #[test]
    fn debug_says_how_each_vendor_is_authenticated() {
        let debug = format!("{:?}", WebhookReceiver::new());
        assert!(debug.contains("medtimes: refused") && debug.contains("docplanner: refused"), "{debug}");
        let receiver = WebhookReceiver::new()
            .medtimes(carewire_medtimes::Webhooks::new("whsec_secret_value"))
            .docplanner_push_auth(PushAuth::new("x-api-key", "key_secret_value"));
        let debug = format!("{receiver:?}");
        assert!(!debug.contains("secret_value"), "{debug}");
        assert!(debug.contains("api-key header \"x-api-key\""), "{debug}");
    }
}

#[cfg(feature = "mdlive")]
mod mdlive_tests {
    use super::super::*;

    const EVENT: &[u8] = br#"{"event":{"token":"9a1e","action":"consultation:provider:ready","data":{"appointment":{"id":43,"patient_id":52,"status":"in_progress"}}}}"#;

    #[test]
    fn mdlive_is_refused_until_unverified_deliveries_are_allowed() {
        let err = WebhookReceiver::new().receive(Vendor::Mdlive, [], EVENT).unwrap_err();
        assert_eq!(err, WebhookError::NotConfigured { vendor: "mdlive", missing: MDLIVE_MISSING });
        assert!(format!("{:?}", WebhookReceiver::new()).contains("mdlive: refused"));
        let receiver = WebhookReceiver::new().allow_unverified_mdlive();
        let event = receiver.receive("MDLIVE".parse().unwrap(), [], EVENT).unwrap();
        assert_eq!((event.vendor(), event.name()), (Vendor::Mdlive, "consultation:provider:ready"));
        assert!(matches!(receiver.receive(Vendor::Mdlive, [], b"<html>"), Err(WebhookError::InvalidPayload { .. })));
    }
}

#[cfg(feature = "medtimes")]
mod replica_tests {
    use std::sync::Arc;

    use carewire_core::webhook::{MemoryReplayGuard, ReplayGuard, sign_for_tests};

    use super::super::*;

    #[tokio::test]
    async fn a_delivery_accepted_by_one_receiver_is_a_replay_for_another_sharing_the_guard() {
        let guard: Arc<dyn ReplayGuard> = Arc::new(MemoryReplayGuard::default());
        let receiver = || {
            WebhookReceiver::new()
                .medtimes(carewire_medtimes::Webhooks::new("whsec_1").shared_replay_guard(Arc::clone(&guard)))
        };
        let (a, b) = (receiver(), receiver());
        let body = br#"{"type":"claim.paid","data":{"claim_id":"clm_1","amount":45000}}"#;
        let signature = sign_for_tests("whsec_1", body);
        let headers = [("medtimes-signature", signature.as_str())];
        let event = a.receive_async(Vendor::Medtimes, headers, body).await.unwrap();
        assert_eq!(event.name(), "claim.paid");
        assert_eq!(b.receive_async(Vendor::Medtimes, headers, body).await.unwrap_err(), WebhookError::Replayed);
    }
}
