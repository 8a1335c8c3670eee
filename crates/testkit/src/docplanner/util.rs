//! Small helpers of the Docplanner sandbox: dates without chrono, base64, error bodies.

use carewire_core::de::parse_datetime;
use serde_json::{Value, json};

use crate::Reply;

/// A date-time as unix seconds and its UTC offset in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub(crate) ts: i64,
    pub(crate) offset: i32,
}

impl Stamp {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        let dt = parse_datetime(s)?;
        Some(Self { ts: dt.timestamp(), offset: dt.offset().local_minus_utc() })
    }

    pub(crate) fn plus_minutes(self, minutes: i64) -> Self {
        Self { ts: self.ts + minutes * 60, offset: self.offset }
    }

    /// The local day number (days since 1970-01-01 in the stamp's own offset).
    pub(crate) fn local_day(self) -> i64 {
        (self.ts + i64::from(self.offset)).div_euclid(86_400)
    }

    /// `2021-05-16T14:00:00+01:00`.
    pub(crate) fn format(self) -> String {
        let local = self.ts + i64::from(self.offset);
        let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        let sign = if self.offset < 0 { '-' } else { '+' };
        let off = self.offset.unsigned_abs();
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60,
            off / 3600,
            off % 3600 / 60
        )
    }

    /// The local date, `2021-05-16`.
    pub(crate) fn date(self) -> String {
        self.format()[..10].to_owned()
    }
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

/// Now, in UTC.
pub(crate) fn now() -> Stamp {
    let ts = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Stamp { ts: i64::try_from(ts).unwrap_or(0), offset: 0 }
}

/// A Docplanner error reply: `{"errors": [], "message": ...}` as `application/vnd.error+docplanner+json`.
pub(crate) fn error(status: u16, message: &str) -> Reply {
    error_with(status, message, &json!([]))
}

/// A Docplanner error reply with an `errors` member.
pub(crate) fn error_with(status: u16, message: &str, errors: &Value) -> Reply {
    let body = json!({ "errors": errors, "message": message });
    Reply::bytes(status, body.to_string().into_bytes()).header("content-type", "application/vnd.error+docplanner+json")
}

/// A success reply as `application/vnd.docplanner+json`.
pub(crate) fn ok(status: u16, body: &Value) -> Reply {
    Reply::bytes(status, body.to_string().into_bytes())
        .header("content-type", "application/vnd.docplanner+json; charset=UTF-8")
}

/// A query parameter.
pub(crate) fn query(req: &crate::RecordedRequest, key: &str) -> Option<String> {
    req.query_pairs().into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The `with` values, in either encoding (`with=a,b` or `with[]=a&with[]=b`).
pub(crate) fn with_values(req: &crate::RecordedRequest) -> Vec<String> {
    req.query_pairs()
        .into_iter()
        .filter(|(k, _)| k == "with" || k == "with[]")
        .flat_map(|(_, v)| v.split(',').map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip() {
        let s = Stamp::parse("2021-05-16T14:00:00+01:00").unwrap();
        assert_eq!(s.format(), "2021-05-16T14:00:00+01:00");
        assert_eq!(s.plus_minutes(30).format(), "2021-05-16T14:30:00+01:00");
        assert_eq!(Stamp::parse("2024-02-29T23:59:59-03:30").unwrap().format(), "2024-02-29T23:59:59-03:30");
        assert_eq!(s.date(), "2021-05-16");
    }
}
