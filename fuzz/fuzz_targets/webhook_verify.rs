//! Fuzz target `webhook_verify`: HMAC-SHA256 webhook verification (`Verifier` in hex and base64, with a
//! prefix, with timestamps, once with a replay guard; Medtimes `Webhooks`; Docplanner `PushAuth`) never
//! panics, accepts the right MAC, and accepts a signature only if it carries the right MAC.
//!
//! Input: three length bytes, then the secret, the prefix and the signature of those lengths, then the body.
#![no_main]

use std::time::Duration;

use carewire::core::webhook::{
    MemoryReplayGuard, SignatureEncoding, Verifier, WebhookError, sign_for_tests, sign_for_tests_base64,
};
use carewire::docplanner::webhooks::PushAuth;
use libfuzzer_sys::fuzz_target;

fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, tail) = data.split_at(n.min(data.len()));
    *data = tail;
    head
}

fuzz_target!(|data: &[u8]| {
    let mut data = data;
    let lens = take(&mut data, 3).to_vec();
    let len = |i: usize| usize::from(lens.get(i).copied().unwrap_or(0));
    let secret = String::from_utf8_lossy(take(&mut data, len(0))).into_owned();
    let prefix = String::from_utf8_lossy(take(&mut data, len(1) % 16)).into_owned();
    let signature = String::from_utf8_lossy(take(&mut data, len(2))).into_owned();
    let body = data;

    let hex = Verifier::new(secret.as_str()).prefix(prefix.as_str());
    let b64 = Verifier::new(secret.as_str()).encoding(SignatureEncoding::Base64).prefix(prefix.as_str());
    let (mac_hex, mac_b64) = (sign_for_tests(&secret, body), sign_for_tests_base64(&secret, body));
    for verifier in [&hex, &b64] {
        if verifier.verify(body, &signature).is_ok() {
            let lower = signature.to_ascii_lowercase();
            assert!(!secret.is_empty());
            let unpadded = mac_b64.trim_end_matches('=');
            let url_safe = unpadded.replace('+', "-").replace('/', "_");
            assert!(lower.contains(&mac_hex) || signature.contains(unpadded) || signature.contains(&url_safe));
        }
        let _ = verifier.verify_at(body, &signature, i64::from(lens.first().copied().unwrap_or(0)) << 40, 0);
        let _ = verifier.verify_timestamped(body, &signature, &signature);
    }
    let plain = Verifier::new(secret.as_str());
    if !secret.is_empty() {
        assert_eq!(plain.verify(body, &mac_hex), Ok(()));
        let guard = MemoryReplayGuard::new(4, Duration::from_secs(60));
        assert_eq!(plain.verify_once(body, &mac_hex, &guard, None), Ok(()));
        assert_eq!(plain.verify_once(body, &mac_hex, &guard, None), Err(WebhookError::Replayed));
    }
    let headers = [("medtimes-signature", signature.as_str()), (prefix.as_str(), secret.as_str())];
    let _ = carewire::medtimes::Webhooks::new(secret.as_str()).receive(headers, body);
    let _ = PushAuth::new(prefix.as_str(), signature.as_str()).verify(headers);
});
