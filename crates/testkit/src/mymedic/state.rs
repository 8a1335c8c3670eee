//! The MyMedic sandbox's state (tokens, programs, appointments, prescriptions, records, emitted webhook
//! events, stored idempotent answers), the seed programs, and the id, time and base64 helpers.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// An issued access token: when it expires and what it may do.
pub(super) struct TokenRow {
    pub(super) expires: Instant,
    pub(super) scopes: Vec<String>,
}

pub(super) struct State {
    pub(super) token_ttl: Duration,
    pub(super) tokens: HashMap<String, TokenRow>,
    pub(super) tokens_issued: u64,
    pub(super) next_id: u64,
    pub(super) programs: Vec<Value>,
    pub(super) appointments: BTreeMap<String, Value>,
    pub(super) prescriptions: BTreeMap<String, Value>,
    pub(super) records: Vec<Value>,
    pub(super) events: Vec<Value>,
    /// idempotency key → (fingerprint of the request, status, answer).
    pub(super) idempotency: HashMap<String, (String, u16, Value)>,
}

impl State {
    pub(super) fn new(token_ttl: Duration, programs: Vec<Value>) -> Self {
        Self {
            token_ttl,
            tokens: HashMap::new(),
            tokens_issued: 0,
            next_id: 0,
            programs,
            appointments: BTreeMap::new(),
            prescriptions: BTreeMap::new(),
            records: Vec::new(),
            events: Vec::new(),
            idempotency: HashMap::new(),
        }
    }

    /// `prefix_000001`, `prefix_000002`, ... (one counter for every kind of id).
    pub(super) fn next(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}_{:06}", self.next_id)
    }

    /// Records and returns a webhook event: `{"id", "event", "createdAt", "data"}`.
    pub(super) fn emit(&mut self, event_type: &str, data: Value) -> Value {
        let id = self.next("evt");
        let mut event = json!({ "id": id, "event": event_type, "createdAt": now_rfc3339() });
        event["data"] = data;
        self.events.push(event.clone());
        event
    }

    pub(super) fn program(&self, id: &str) -> Option<&Value> {
        self.programs.iter().find(|p| p["id"] == id)
    }
}

pub(super) type Shared = Arc<Mutex<State>>;

pub(super) fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The programs a sandbox starts with: both statuses, several types and practitioners, enough for
/// filters and a few pages.
pub(super) fn seed_programs() -> Vec<Value> {
    let rows = [
        ("prg_001", "Morning Hatha Yoga", "active", "yoga", "dr-asha"),
        ("prg_002", "Mindful Breathing", "active", "meditation", "dr-ravi"),
        ("prg_003", "Heart Health Check", "upcoming", "cardiology", "dr-meera"),
        ("prg_004", "Evening Yin Yoga", "active", "yoga", "dr-ravi"),
        ("prg_005", "Nutrition Basics", "upcoming", "nutrition", "dr-asha"),
        ("prg_006", "Yoga for Back Pain", "upcoming", "yoga", "dr-asha"),
        ("prg_007", "Silent Retreat", "active", "meditation", "dr-meera"),
    ];
    rows.iter()
        .map(|(id, name, status, kind, practitioner)| {
            json!({
                "id": id,
                "name": name,
                "status": status,
                "type": kind,
                "practitioner": practitioner,
                "schedule": {"days": ["mon", "wed", "fri"], "time": "07:00", "timezone": "Asia/Kolkata"},
                "slots": [
                    {"date": "2025-04-08", "time": "10:00", "practitioner": practitioner},
                    {"date": "2025-04-08", "time": "11:00", "practitioner": practitioner},
                ],
                "requirements": ["Medical clearance for participants over 60"],
            })
        })
        .collect()
}

pub(super) fn now_unix() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The current time as `2025-04-08T10:00:00Z`.
pub(super) fn now_rfc3339() -> String {
    let secs = now_unix();
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Decodes standard base64 (with or without padding); `None` for anything else.
pub(super) fn base64_decode(input: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let bytes = input.trim().trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in bytes {
        acc = (acc << 6) | u32::from(value(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Text of a string (not blank) or a number.
pub(super) fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(base64_decode("aWQ6c2VjcmV0").unwrap(), b"id:secret");
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert!(base64_decode("not base64!").is_none());
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_186), (2025, 4, 8));
        let now = now_rfc3339();
        assert_eq!((now.len(), &now[10..11], &now[19..]), (20, "T", "Z"));
    }
}
