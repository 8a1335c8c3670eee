//! The shared replay guard against a real Redis server: a Medtimes webhook received by one replica is a
//! replay for another, keys are hashed and expire, and the guard must be awaited.

mod common;

use std::time::Duration;

use carewire_core::webhook::{ReplayGuard, WebhookError, sign_for_tests};
use carewire_medtimes::webhooks::Webhooks;
use common::Redis;
use redis::AsyncCommands as _;

const SECRET: &str = "whsec_test_replicas";

fn signed(body: &[u8]) -> String {
    sign_for_tests(SECRET, body)
}

#[tokio::test]
async fn a_webhook_received_by_one_replica_is_refused_by_another() {
    let server = redis_or_skip!(Redis::shared());
    let prefix = common::unique_prefix();
    // Two replicas: each its own state (its own connection) on the same server and prefix.
    let replica = || {
        let state = server.builder().prefix(prefix.clone()).build().unwrap();
        Webhooks::new(SECRET).replay_guard(state.replay_guard("medtimes"))
    };
    let (a, b) = (replica(), replica());
    let body = br#"{"id":"whevt_77","type":"claim.paid","data":{"claim_id":"clm_1","amount":1500}}"#;
    let signature = signed(body);
    let headers = [("medtimes-signature", signature.as_str())];

    let event = a.receive_async(headers, body).await.unwrap();
    assert_eq!(event.id.as_deref(), Some("whevt_77"));
    assert_eq!(b.receive_async(headers, body).await.unwrap_err(), WebhookError::Replayed);
    assert_eq!(a.receive_async(headers, body).await.unwrap_err(), WebhookError::Replayed);

    // Another delivery is accepted by whichever replica gets it first, once.
    let other = br#"{"type":"consult.completed","data":{"consult_id":"cns_9"}}"#;
    let other_sig = signed(other);
    let other_headers = [("medtimes-signature", other_sig.as_str())];
    assert!(b.receive_async(other_headers, other).await.is_ok());
    assert_eq!(a.receive_async(other_headers, other).await.unwrap_err(), WebhookError::Replayed);

    // A forged delivery is refused before the guard and records nothing.
    let forged = br#"{"id":"whevt_78","type":"claim.paid"}"#;
    let err = a.receive_async([("medtimes-signature", signature.as_str())], forged).await.unwrap_err();
    assert_eq!(err, WebhookError::SignatureMismatch);
    let forged_sig = signed(forged);
    assert!(b.receive_async([("medtimes-signature", forged_sig.as_str())], forged).await.is_ok());

    // The synchronous receive cannot wait for Redis: it refuses rather than accepting unchecked.
    let third = br#"{"id":"whevt_79","type":"claim.paid"}"#;
    let third_sig = signed(third);
    let err = a.receive([("medtimes-signature", third_sig.as_str())], third).unwrap_err();
    assert!(matches!(err, WebhookError::ReplayCheckUnavailable { .. }), "{err:?}");
    assert!(b.receive_async([("medtimes-signature", third_sig.as_str())], third).await.is_ok());
}

#[tokio::test]
async fn keys_are_hashed_namespaced_and_expire() {
    let server = redis_or_skip!(Redis::shared());
    let prefix = common::unique_prefix();
    let state = server.builder().prefix(prefix.clone()).replay_ttl(Duration::from_secs(90)).build().unwrap();
    let medtimes = state.replay_guard("medtimes");
    let other_vendor = state.replay_guard("docplanner");
    assert_eq!(medtimes.check_and_record("medtimes:event:evt_private_1").await, Ok(true));
    assert_eq!(medtimes.check_and_record("medtimes:event:evt_private_1").await, Ok(false));
    // Namespaced per vendor.
    assert_eq!(other_vendor.check_and_record("medtimes:event:evt_private_1").await, Ok(true));

    let mut raw = server.raw().await;
    let keys: Vec<String> = raw.keys(format!("{prefix}:*")).await.unwrap();
    assert_eq!(keys.len(), 2, "{keys:?}");
    for key in &keys {
        assert!(!key.contains("evt_private"), "{key}");
        let ttl: i64 = raw.pttl(key).await.unwrap();
        assert!(ttl > 80_000 && ttl <= 90_000, "{key}: {ttl}");
    }
    assert!(keys.iter().any(|k| k.starts_with(&format!("{prefix}:{{medtimes}}:replay:"))), "{keys:?}");
}
