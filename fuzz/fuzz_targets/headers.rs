//! Fuzz target `headers`: rate-limit and `Retry-After` parsing (`parse_retry_after`, `parse_reset`,
//! `parse_rate_limit`, `server_seconds`) never panics, and every duration it yields is within
//! `MAX_SERVER_DURATION`.
//!
//! Input: 8 bytes of clock (little-endian signed seconds from the epoch; negative is before it), then text
//! read both as one header value and as `name: value` lines.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use carewire::core::ratelimit::{
    MAX_SERVER_DURATION, parse_rate_limit, parse_reset, parse_retry_after, server_seconds,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (clock, rest) = data.split_at(data.len().min(8));
    let mut bytes = [0u8; 8];
    bytes[..clock.len()].copy_from_slice(clock);
    let secs = i64::from_le_bytes(bytes);
    let offset = Duration::from_secs(secs.unsigned_abs());
    let now = if secs < 0 { UNIX_EPOCH.checked_sub(offset) } else { UNIX_EPOCH.checked_add(offset) };
    let now = now.unwrap_or(UNIX_EPOCH);

    if let Some(d) = server_seconds(f64::from_le_bytes(bytes)) {
        assert!(d <= MAX_SERVER_DURATION);
    }
    let text = String::from_utf8_lossy(rest);
    for d in [parse_retry_after(&text, now), parse_reset(&text, now)].into_iter().flatten() {
        assert!(d <= MAX_SERVER_DURATION);
    }
    let headers: Vec<(String, &str)> = text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value))
        .collect();
    let lookup = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
    if let Some(rl) = parse_rate_limit(lookup, now) {
        for d in [rl.reset_after, rl.retry_after].into_iter().flatten() {
            assert!(d <= MAX_SERVER_DURATION);
        }
        let _ = rl.is_exhausted();
    }
});
