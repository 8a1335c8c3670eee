//! The sandbox's state: configuration, issued tokens, patients and their records, providers and their open
//! slots, appointments, appointment requests, messages, prescriptions and the counters tests read; plus the
//! clock and date helpers that render times the way MDLIVE prints them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::EnterpriseHashForm;

/// What the sandbox was configured with.
#[derive(Clone)]
pub(super) struct Config {
    pub(super) api_key: String,
    pub(super) api_password: String,
    pub(super) ou: String,
    pub(super) enterprise_secret: Option<String>,
    pub(super) fixed_enterprise_hash: Option<String>,
    pub(super) hash_form: EnterpriseHashForm,
    pub(super) hash_window: Duration,
    pub(super) api_token_ttl: Duration,
    pub(super) user_token_ttl: Duration,
}

/// The kind of an issued token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Holder {
    /// The partner's API token.
    Api,
    /// A patient's user (SSO) token.
    User(u64),
}

pub(super) struct TokenRow {
    pub(super) holder: Holder,
    pub(super) expires_at: SystemTime,
}

/// A patient created by SSO sign-in (or seeded), with everything stored about them.
#[derive(Default)]
pub(super) struct Patient {
    pub(super) id: u64,
    /// subscriber id, first and last name (lowercase) and birthdate: the same identity is the same patient.
    pub(super) identity_key: String,
    /// Profile fields as MDLIVE stores them (`first_name`, `gender` as `M`/`F`/`U`, `state_id`, ...).
    pub(super) profile: Map<String, Value>,
    pub(super) allergies: Vec<Value>,
    pub(super) medications: Vec<Value>,
    pub(super) conditions: Vec<Value>,
    pub(super) surgeries: Vec<Value>,
    pub(super) documents: Vec<Value>,
    pub(super) personal_info: Option<Value>,
    pub(super) pediatric_profile: Map<String, Value>,
    pub(super) behavioral: Option<Value>,
    pub(super) pcp: Option<Value>,
    pub(super) pcp_questions: Vec<(String, bool)>,
    pub(super) credit_card: Option<Value>,
    pub(super) insurance: Option<Value>,
    pub(super) assignments: Vec<Value>,
    pub(super) assessment_responses: Vec<Value>,
}

/// A provider the sandbox knows.
#[derive(Clone)]
pub(super) struct Provider {
    pub(super) id: u64,
    pub(super) fullname: String,
    pub(super) gender: &'static str,
    pub(super) specialty: &'static str,
    pub(super) provider_type_id: u64,
    pub(super) language_ids: Vec<u64>,
    /// Open slots: (epoch seconds, `phys_availability_id`).
    pub(super) slots: Vec<(i64, u64)>,
}

/// An appointment.
#[derive(Clone)]
pub(super) struct Appointment {
    pub(super) id: u64,
    pub(super) patient_id: u64,
    pub(super) provider_id: Option<u64>,
    pub(super) provider_type_id: u64,
    pub(super) method: String,
    pub(super) start_time: Option<i64>,
    pub(super) chief_complaint: String,
    pub(super) state_abbrev: String,
    /// `pending`, `in_progress`, `completed` or `cancelled`.
    pub(super) status: &'static str,
    pub(super) provider_ready: bool,
    pub(super) entered_waiting_room: bool,
    pub(super) created_at: i64,
}

/// A message between a patient and a provider, or from the system.
#[derive(Clone)]
pub(super) struct Message {
    pub(super) id: u64,
    pub(super) patient_id: u64,
    /// The provider of the conversation; `None` for system messages.
    pub(super) provider_id: Option<u64>,
    pub(super) from_patient: bool,
    pub(super) subject: String,
    pub(super) body: String,
    pub(super) unread: bool,
    pub(super) replied_to: Option<u64>,
    pub(super) at: i64,
}

pub(super) struct State {
    pub(super) config: Config,
    pub(super) next_id: u64,
    pub(super) tokens: HashMap<String, TokenRow>,
    pub(super) api_tokens_issued: u64,
    pub(super) user_tokens_issued: u64,
    pub(super) user_tokens_extended: u64,
    pub(super) sign_ins: HashMap<u64, u64>,
    pub(super) patients: Vec<Patient>,
    pub(super) providers: Vec<Provider>,
    pub(super) appointments: Vec<Appointment>,
    pub(super) appointment_requests: Vec<Value>,
    pub(super) messages: Vec<Message>,
    pub(super) prescriptions: Vec<Value>,
    pub(super) webhook_url: Option<String>,
}

impl State {
    pub(super) fn new(config: Config) -> Self {
        Self {
            config,
            next_id: 1000,
            tokens: HashMap::new(),
            api_tokens_issued: 0,
            user_tokens_issued: 0,
            user_tokens_extended: 0,
            sign_ins: HashMap::new(),
            patients: Vec::new(),
            providers: super::providers::seed(now_secs()),
            appointments: Vec::new(),
            appointment_requests: Vec::new(),
            messages: Vec::new(),
            prescriptions: Vec::new(),
            webhook_url: None,
        }
    }

    /// The next id (one sequence for every resource, so ids never collide).
    pub(super) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub(super) fn patient(&self, id: u64) -> Option<&Patient> {
        self.patients.iter().find(|p| p.id == id)
    }

    pub(super) fn patient_mut(&mut self, id: u64) -> Option<&mut Patient> {
        self.patients.iter_mut().find(|p| p.id == id)
    }

    pub(super) fn provider(&self, id: u64) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// The patient's full name, `first last`.
    pub(super) fn patient_name(&self, id: u64) -> String {
        self.patient(id).map(Patient::fullname).unwrap_or_default()
    }

    /// Adds a system message to the patient's inbox.
    pub(super) fn system_message(&mut self, patient_id: u64, subject: &str, body: &str) -> u64 {
        let id = self.next_id();
        self.messages.push(Message {
            id,
            patient_id,
            provider_id: None,
            from_patient: false,
            subject: subject.to_owned(),
            body: body.to_owned(),
            unread: true,
            replied_to: None,
            at: now_secs(),
        });
        id
    }
}

impl Patient {
    pub(super) fn field(&self, key: &str) -> &str {
        self.profile.get(key).and_then(Value::as_str).unwrap_or_default()
    }

    pub(super) fn fullname(&self) -> String {
        format!("{} {}", self.field("first_name"), self.field("last_name")).trim().to_owned()
    }
}

pub(super) type Shared = Arc<Mutex<State>>;

pub(super) fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------------------------------------
// clock and dates

/// Seconds since the epoch, now.
pub(super) fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Seconds since the epoch of `t` (0 before the epoch).
pub(super) fn epoch_secs(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
pub(super) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Days since 1970-01-01 of a civil date.
pub(super) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2018-01-23T02:33:13+00:00`.
pub(super) fn rfc3339(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00", rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// `2018-01-10T15:00:00.000+00:00` (the millisecond form of the doc's timeslots and record dates).
pub(super) fn rfc3339_millis(secs: i64) -> String {
    let plain = rfc3339(secs);
    format!("{}.000{}", &plain[..19], &plain[19..])
}

/// `2018-01-15`.
pub(super) fn date(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses `YYYY-MM-DD` into (year, month, day), checking the day exists.
pub(super) fn parse_date(s: &str) -> Option<(i64, i64, i64)> {
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    (civil_from_days(days) == (y, m, d)).then_some((y, m, d))
}

/// Whole years between a `YYYY-MM-DD` birthdate and today (0 when unparseable).
pub(super) fn age(birthdate: &str) -> i64 {
    let Some((by, bm, bd)) = parse_date(birthdate) else {
        return 0;
    };
    let (y, m, d) = civil_from_days(now_secs().div_euclid(86_400));
    let years = y - by - i64::from((m, d) < (bm, bd));
    years.max(0)
}

/// The `(id, name, abbreviation)` of every state MDLIVE lists.
pub(super) const STATES: [(u64, &str, &str); 60] = [
    (1, "Alabama", "AL"),
    (2, "Alaska", "AK"),
    (3, "Arizona", "AZ"),
    (4, "Arkansas", "AR"),
    (5, "California", "CA"),
    (6, "Colorado", "CO"),
    (7, "Connecticut", "CT"),
    (8, "Delaware", "DE"),
    (9, "District of Columbia", "DC"),
    (10, "Florida", "FL"),
    (11, "Georgia", "GA"),
    (12, "Hawaii", "HI"),
    (13, "Idaho", "ID"),
    (14, "Illinois", "IL"),
    (15, "Indiana", "IN"),
    (16, "Iowa", "IA"),
    (17, "Kansas", "KS"),
    (18, "Kentucky", "KY"),
    (19, "Louisiana", "LA"),
    (20, "Maine", "ME"),
    (21, "Maryland", "MD"),
    (22, "Massachusetts", "MA"),
    (23, "Michigan", "MI"),
    (24, "Minnesota", "MN"),
    (25, "Mississippi", "MS"),
    (26, "Missouri", "MO"),
    (27, "Montana", "MT"),
    (28, "Nebraska", "NE"),
    (29, "Nevada", "NV"),
    (30, "New Hampshire", "NH"),
    (31, "New Jersey", "NJ"),
    (32, "New Mexico", "NM"),
    (33, "New York", "NY"),
    (34, "North Carolina", "NC"),
    (35, "North Dakota", "ND"),
    (36, "Ohio", "OH"),
    (37, "Oklahoma", "OK"),
    (38, "Oregon", "OR"),
    (39, "Pennsylvania", "PA"),
    (40, "Rhode Island", "RI"),
    (41, "South Carolina", "SC"),
    (42, "South Dakota", "SD"),
    (43, "Tennessee", "TN"),
    (44, "Texas", "TX"),
    (45, "Utah", "UT"),
    (46, "Vermont", "VT"),
    (47, "Virginia", "VA"),
    (48, "Washington", "WA"),
    (49, "West Virginia", "WV"),
    (50, "Wisconsin", "WI"),
    (51, "Wyoming", "WY"),
    (52, "American Samoa", "AM"),
    (53, "Federated States of Micronesia", "FM"),
    (54, "Guam", "GU"),
    (55, "Marshall Islands", "MH"),
    (56, "Northern Mariana Islands", "MP"),
    (57, "Palau", "PW"),
    (58, "Puerto Rico", "PR"),
    (59, "Virgin Islands", "VI"),
    (60, "Armed Forces Europe", "AE"),
];

/// The state id of a two-letter abbreviation (case-insensitive).
pub(super) fn state_id(abbrev: &str) -> Option<u64> {
    STATES.iter().find(|(_, _, a)| a.eq_ignore_ascii_case(abbrev)).map(|(id, _, _)| *id)
}

/// The (name, abbreviation) of a state id.
pub(super) fn state_by_id(id: u64) -> Option<(&'static str, &'static str)> {
    STATES.iter().find(|(i, _, _)| *i == id).map(|(_, n, a)| (*n, *a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(rfc3339(1_516_674_793), "2018-01-23T02:33:13+00:00");
        assert_eq!(rfc3339_millis(1_515_596_400), "2018-01-10T15:00:00.000+00:00");
        assert_eq!(date(1_515_974_400), "2018-01-15");
        assert_eq!(days_from_civil(2018, 1, 15) * 86_400, 1_515_974_400);
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("18-12-20"), None);
        assert_eq!(state_id("fl"), Some(10));
        assert_eq!(state_by_id(44), Some(("Texas", "TX")));
    }
}
