//! The sandbox's state: the stored rows (patients, consent tokens, records, Medicards, transactions), the
//! sandbox clock, and the id and timestamp helpers that make its output look like the vendor's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

#[derive(Clone)]
pub(super) struct PatientRow {
    pub(super) id: String,
    pub(super) health_id: String,
    pub(super) full_name: String,
    pub(super) gender: String,
    pub(super) dob: String,
    pub(super) nin: String,
    pub(super) email: String,
    pub(super) business_id: String,
    pub(super) created_at: String,
    pub(super) updated_at: String,
    pub(super) metadata: Map<String, Value>,
}

pub(super) struct TokenRow {
    pub(super) health_id: String,
    pub(super) business_id: String,
    pub(super) issued_at: SystemTime,
}

pub(super) struct RecordRow {
    pub(super) record_id: String,
    pub(super) record_type: String,
    pub(super) data: Value,
    pub(super) provider: Value,
    pub(super) patient: String,
    pub(super) business_id: String,
    pub(super) created_at: String,
}

pub(super) struct CardRow {
    pub(super) id: String,
    pub(super) health_id: Option<String>,
    pub(super) card_number: String,
    pub(super) card_name: Option<String>,
    pub(super) balance: f64,
    pub(super) business_id: String,
    pub(super) created_at: String,
    pub(super) updated_at: String,
    pub(super) active: bool,
    pub(super) card_type: String,
    pub(super) expires_at: String,
    pub(super) pin: Option<String>,
    pub(super) assigned: bool,
}

pub(super) struct TxRow {
    pub(super) id: u64,
    pub(super) created_at: String,
    pub(super) card_number: String,
    pub(super) amount: f64,
    pub(super) health_id: Option<String>,
    pub(super) reference: String,
    pub(super) business_id: String,
}

#[derive(Default)]
pub(super) struct State {
    pub(super) otp: String,
    pub(super) offset: Duration,
    pub(super) patients: Vec<PatientRow>,
    pub(super) pending_otps: HashMap<String, String>,
    pub(super) sent_otps: HashMap<String, String>,
    pub(super) tokens: HashMap<String, TokenRow>,
    pub(super) records: Vec<RecordRow>,
    pub(super) cards: Vec<CardRow>,
    pub(super) transactions: Vec<TxRow>,
    pub(super) next_tx: u64,
}

impl State {
    pub(super) fn now(&self) -> SystemTime {
        let real = SystemTime::now();
        real.checked_add(self.offset).unwrap_or(real)
    }
    pub(super) fn now_str(&self) -> String {
        timestamp(self.now())
    }
}

pub(super) type Shared = Arc<Mutex<State>>;

pub(super) fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------------------------------
// helpers

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

pub(super) fn alnum(n: usize) -> String {
    (0..n).map(|_| char::from(ALNUM[fastrand::usize(..ALNUM.len())])).collect()
}

pub(super) fn uuid() -> String {
    let hex = |n: usize| (0..n).map(|_| char::from(b"0123456789abcdef"[fastrand::usize(..16)])).collect::<String>();
    format!("{}-{}-4{}-a{}-{}", hex(8), hex(4), hex(3), hex(3), hex(12))
}

/// `2025-07-22T11:58:58.058435+00:00`, the doc's most common format.
pub(super) fn timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        d.subsec_micros()
    )
}

/// The first 19 characters (`YYYY-MM-DDTHH:MM:SS`) of an ISO time, for ordering (UTC assumed).
pub(super) fn time_key(s: &str) -> String {
    let s = s.replace(' ', "T");
    s.chars().take(19).collect()
}

/// A whole amount as a JSON integer (`4000`, as in the doc), anything else as a float.
pub(super) fn num(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 { json!(v as i64) } else { json!(v) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_civil() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000000+00:00");
        let t = UNIX_EPOCH + Duration::from_secs(1_755_820_800);
        assert_eq!(timestamp(t), "2025-08-22T00:00:00.000000+00:00");
        assert_eq!(time_key("2025-08-22T00:00:00+00:00"), "2025-08-22T00:00:00");
    }
}
