//! Webhook events: the doc's envelope, the data objects of appointment events, and delivery of an event to a
//! receiver over plain HTTP (MDLIVE documents no signature, so none is sent).

use std::io;

use serde_json::{Value, json};

use super::Sandbox;
use super::state::{Appointment, civil_from_days, now_secs, rfc3339};

/// The doc's webhook envelope: `{"event": {"token": <random uuid>, "action", "data": {data_key: object}}}`.
///
/// ```
/// use carewire_testkit::mdlive::webhook_event;
///
/// let event = webhook_event("prescription:pharmacy:accepted", "prescription", serde_json::json!({ "id": 1 }));
/// assert_eq!(event["event"]["data"]["prescription"]["id"], 1);
/// assert_eq!(event["event"]["token"].as_str().unwrap().len(), 36);
/// ```
pub fn webhook_event(action: &str, data_key: &str, object: Value) -> Value {
    let mut data = serde_json::Map::new();
    data.insert(data_key.to_owned(), object);
    json!({ "event": { "token": uuid(), "action": action, "data": data } })
}

fn uuid() -> String {
    let hex = |n: usize| (0..n).map(|_| char::from(b"0123456789abcdef"[fastrand::usize(..16)])).collect::<String>();
    format!("{}-{}-4{}-a{}-{}", hex(8), hex(4), hex(3), hex(3), hex(12))
}

/// `Wednesday, Aug 07 2019 at 03:00PM UTC`: the doc's human `start_date` (in UTC).
pub(super) fn human_date(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let days = secs.div_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let weekday = DAYS[usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0)];
    let month = MONTHS[usize::try_from(m - 1).unwrap_or(0)];
    let rem = secs.rem_euclid(86_400);
    let (hour, minute) = (rem / 3600, (rem % 3600) / 60);
    let (hour12, half) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    format!("{weekday}, {month} {d:02} {y} at {hour12:02}:{minute:02}{half} UTC")
}

/// The `appointment` data object of the consultation events.
pub(super) fn appointment_object(a: &Appointment) -> Value {
    let at = a.start_time.unwrap_or(a.created_at);
    json!({
        "id": a.id,
        "patient_id": a.patient_id,
        "provider_id": a.provider_id,
        "start_date": human_date(at),
        "start_date_rfc3339": rfc3339(at),
        "appointment_by": a.method,
        "status": a.status,
    })
}

/// The `availability` data object of `consultation:provider:requested` (its `start_date` is RFC 3339).
pub(super) fn availability_object(id: u64, patient_id: u64, provider_id: u64, start: Option<i64>) -> Value {
    json!({
        "id": id,
        "patient_id": patient_id,
        "provider_id": provider_id,
        "start_date": rfc3339(start.unwrap_or_else(now_secs)),
    })
}

impl Sandbox {
    /// POSTs `event` as JSON to `url` (plain `http://`, e.g. a local test server) the way MDLIVE delivers
    /// webhooks (no signature header), over a blocking HTTP/1.1 connection; returns the response status.
    ///
    /// Blocking: from async code whose receiver runs on the same runtime, use
    /// [`Sandbox::deliver_webhook_async`].
    pub fn deliver_webhook(&self, url: &str, event: &Value) -> io::Result<u16> {
        let body = serde_json::to_vec(event).map_err(io::Error::other)?;
        post(url, &body)
    }

    /// [`Sandbox::deliver_webhook`] on tokio's blocking pool.
    pub async fn deliver_webhook_async(&self, url: &str, event: &Value) -> io::Result<u16> {
        let body = serde_json::to_vec(event).map_err(io::Error::other)?;
        let url = url.to_owned();
        tokio::task::spawn_blocking(move || post(&url, &body)).await.map_err(io::Error::other)?
    }
}

/// Delivers an (unsigned) MDLIVE webhook.
fn post(url: &str, body: &[u8]) -> io::Result<u16> {
    crate::deliver::post_json(url, "MDLIVE-Sandbox", &[], body)
}

#[cfg(test)]
mod tests {
    use super::human_date;

    #[test]
    fn human_dates_read_like_the_doc() {
        // 2019-08-07T19:00:00Z, the doc's example instant (03:00PM EDT).
        assert_eq!(human_date(1_565_204_400), "Wednesday, Aug 07 2019 at 07:00PM UTC");
        assert_eq!(human_date(0), "Thursday, Jan 01 1970 at 12:00AM UTC");
    }
}
