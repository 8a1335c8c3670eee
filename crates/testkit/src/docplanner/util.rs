//! Small helpers of the Docplanner sandbox: dates without chrono, error bodies, request bodies and their
//! per-field validation.

use carewire_core::de::parse_datetime;
use serde_json::{Map, Value, json};

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

/// Returns the reply of an `Err` from the handler.
macro_rules! try_reply {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(reply) => return reply,
        }
    };
}
pub(crate) use try_reply;

/// The JSON object body of a request (an empty body is `{}`); anything else is Docplanner's 400.
pub(crate) fn body_object(req: &crate::RecordedRequest) -> Result<Map<String, Value>, Reply> {
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match req.json_value() {
        Some(Value::Object(m)) => Ok(m),
        _ => Err(error(400, "Invalid JSON")),
    }
}

/// `Param "<name>" is required!`, Docplanner's answer to a missing required field.
pub(crate) fn required(name: &str) -> Reply {
    error(400, &format!("Param \"{name}\" is required!"))
}

/// The per-field validation messages of one request; [`Invalid::finish`] turns them into Docplanner's
/// `400 {"errors": {"<field>": ["<message>"]}, "message": "Invalid arguments"}`.
#[derive(Debug, Default)]
pub(crate) struct Invalid(Map<String, Value>);

impl Invalid {
    /// Records `message` for `field`.
    pub(crate) fn add(&mut self, field: &str, message: &str) {
        let list = self.0.entry(field.to_owned()).or_insert_with(|| json!([]));
        if let Value::Array(items) = list {
            items.push(json!(message));
        }
    }

    /// `Ok` when nothing was recorded, else the 400 reply.
    pub(crate) fn finish(self) -> Result<(), Reply> {
        if self.0.is_empty() { Ok(()) } else { Err(error_with(400, "Invalid arguments", &Value::Object(self.0))) }
    }

    /// An optional boolean: absent or `null` is `None`.
    pub(crate) fn opt_bool(&mut self, value: Option<&Value>, field: &str) -> Option<bool> {
        match value {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.add(field, "This value should be of type bool.");
                None
            }
        }
    }

    /// An optional, nullable string: absent is `None`, `null` is `Some(None)`.
    #[allow(clippy::option_option)]
    pub(crate) fn opt_string(&mut self, value: Option<&Value>, field: &str) -> Option<Option<String>> {
        match value {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => {
                self.add(field, "This value should be of type string.");
                None
            }
        }
    }

    /// An optional, nullable whole number of at least `min`: absent is `None`, `null` is `Some(None)`.
    #[allow(clippy::option_option)]
    pub(crate) fn opt_u32(&mut self, value: Option<&Value>, field: &str, min: u32) -> Option<Option<u32>> {
        match value {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::Number(n)) => match n.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(n) if n >= min => Some(Some(n)),
                _ => {
                    self.add(field, &format!("This value should be greater than or equal to {min}."));
                    None
                }
            },
            Some(_) => {
                self.add(field, "This value should be of type int.");
                None
            }
        }
    }
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

    #[test]
    fn invalid_collects_field_messages() {
        let mut inv = Invalid::default();
        assert_eq!(inv.opt_bool(Some(&json!(true)), "a"), Some(true));
        assert_eq!(inv.opt_string(Some(&Value::Null), "b"), Some(None));
        assert_eq!(inv.opt_u32(Some(&json!(0)), "c", 1), None);
        assert_eq!(inv.opt_bool(Some(&json!("yes")), "d"), None);
        let reply = inv.finish().unwrap_err();
        assert_eq!(reply.status_code(), 400);
        let body: Value = serde_json::from_slice(reply.body_bytes()).unwrap();
        assert_eq!(body["message"], "Invalid arguments");
        assert_eq!(body["errors"]["c"][0], "This value should be greater than or equal to 1.");
        assert_eq!(body["errors"]["d"][0], "This value should be of type bool.");
        assert!(body["errors"].get("a").is_none());
        assert!(Invalid::default().finish().is_ok());
    }
}
