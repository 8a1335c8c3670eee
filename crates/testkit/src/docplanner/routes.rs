//! The Docplanner sandbox's routes: the table of handlers by operation name, the OAuth2 token endpoint, auth
//! and rate limits around every API call, the calendar, and the notification queue.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::util::{Stamp, error, now, ok, query};
use super::{ADDRESS_ID, CLIENT_ID, CLIENT_SECRET, DOCTOR_ID, FACILITY_ID, Shared, State, lock};
use super::{bookings, breaks, directory, insurance, services};
use crate::{Params, RecordedRequest, Reply, Router};

/// The API's path prefix (the client's base URL ends with it).
pub(super) const API: &str = "/api/v3/integration";

type Handler = fn(&mut State, &RecordedRequest, &Params) -> Reply;

/// Every handler, by the name of the client's operation it serves.
const ROUTES: &[(&str, Handler)] = &[
    ("facilities.list", directory::facilities),
    ("facilities.get", directory::facility),
    ("doctors.list", directory::doctors),
    ("doctors.get", directory::doctor),
    ("doctors.request_opinion", directory::request_opinion),
    ("addresses.list", directory::addresses),
    ("addresses.get", directory::address),
    ("addresses.update", directory::address_update),
    ("services.list", services::dictionary),
    ("address_services.list", services::list),
    ("address_services.add", services::add),
    ("address_services.get", services::get),
    ("address_services.update", services::update),
    ("address_services.delete", services::delete),
    ("insurance_providers.list", insurance::providers),
    ("insurance_plans.list", insurance::plans),
    ("address_insurance_providers.list", insurance::address_list),
    ("address_insurance_providers.add", insurance::address_add),
    ("address_insurance_providers.upsert", insurance::address_upsert),
    ("address_insurance_providers.delete", insurance::address_delete),
    ("calendar.get", calendar),
    ("calendar.enable", calendar_enable),
    ("calendar.disable", calendar_disable),
    ("breaks.list", breaks::list),
    ("breaks.add", breaks::add),
    ("breaks.get", breaks::get),
    ("breaks.move", breaks::move_break),
    ("breaks.delete", breaks::delete),
    ("slots.list", bookings::slots_list),
    ("slots.replace", bookings::slots_replace),
    ("slots.book", bookings::slot_book),
    ("slots.delete", bookings::slots_delete),
    ("bookings.list", bookings::bookings_list),
    ("bookings.get", bookings::booking_get),
    ("bookings.cancel", bookings::booking_cancel),
    ("bookings.move", bookings::booking_move),
    ("bookings.confirm", bookings::booking_confirm),
    ("presence.mark_present", bookings::presence_mark),
    ("presence.mark_absent", bookings::presence_mark),
    ("notifications.pull", notification_pull),
    ("notifications.pull_multiple", notification_pull_many),
    ("notifications.release", notification_release),
];

/// The routes, registered from the client's own operation table by operation name (plus the OAuth2 token
/// endpoint, which is not an operation of the table).
pub(super) fn router(state: &Shared) -> Router {
    let token_state = state.clone();
    let mut r = Router::new()
        .route("POST", "/oauth/v2/token", move |req: &RecordedRequest, _: &Params| token(&mut lock(&token_state), req));
    for (name, handler) in ROUTES {
        let Some(spec) = carewire_docplanner::OPERATIONS.iter().find(|s| s.name == *name) else {
            continue;
        };
        let (state, handler) = (state.clone(), *handler);
        r = r.operation(API, spec, move |req: &RecordedRequest, p: &Params| api(&state, req, p, handler));
    }
    r
}

/// The URL path of something under the sandbox address (`rest` starts with `/`), for `Location` headers.
pub(super) fn address_url(rest: &str) -> String {
    format!("{API}/facilities/{FACILITY_ID}/doctors/{DOCTOR_ID}/addresses/{ADDRESS_ID}{rest}")
}

fn token(st: &mut State, req: &RecordedRequest) -> Reply {
    let form = req.form_pairs();
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let creds = req.basic_auth().or_else(|| Some((field("client_id")?, field("client_secret")?)));
    let refused =
        |status: u16, code: &str| Reply::json(status, &json!({"error": code, "error_description": "refused"}));
    if field("grant_type").as_deref() != Some("client_credentials") {
        return refused(400, "unsupported_grant_type");
    }
    if field("scope").is_some_and(|s| !s.split(' ').any(|x| x == "integration")) {
        return refused(400, "invalid_scope");
    }
    if creds != Some((CLIENT_ID.to_owned(), CLIENT_SECRET.to_owned())) {
        return refused(401, "invalid_client");
    }
    st.tokens_issued += 1;
    let token = format!("sbx-{}-{:016x}", st.tokens_issued, fastrand::u64(..));
    st.tokens.insert(token.clone(), Instant::now() + st.token_ttl);
    Reply::json(
        200,
        &json!({"access_token": token, "expires_in": st.token_ttl.as_secs(), "token_type": "bearer", "scope": null}),
    )
}

/// Auth, rate limits and the `X-RateLimit-*` headers around every API handler.
fn api(state: &Shared, req: &RecordedRequest, p: &Params, handler: Handler) -> Reply {
    let mut st = lock(state);
    let now_i = Instant::now();
    let valid = req.bearer_token().and_then(|t| st.tokens.get(t)).is_some_and(|exp| *exp > now_i);
    if !valid {
        return error(401, "Invalid credentials.");
    }
    for seg in [("facility_id", FACILITY_ID), ("doctor_id", DOCTOR_ID), ("address_id", ADDRESS_ID)] {
        if p.get(seg.0).is_some_and(|v| v != seg.1) {
            return error(404, "Object not found");
        }
    }
    let write = req.method != "GET";
    let (limit, window) =
        if write { (st.write_limit, Duration::from_secs(60)) } else { (st.read_limit, Duration::from_secs(3600)) };
    let log = if write { &mut st.writes } else { &mut st.reads };
    while log.front().is_some_and(|t| *t + window <= now_i) {
        log.pop_front();
    }
    let reset_in = log.front().map_or(window, |t| (*t + window).saturating_duration_since(now_i));
    let reset = Stamp { ts: now().ts + i64::try_from(reset_in.as_secs()).unwrap_or(0) + 1, offset: 0 }.format();
    if log.len() >= limit {
        return error(429, "Too many requests")
            .header("x-ratelimit-limit", &limit.to_string())
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-used", &limit.to_string())
            .header("x-ratelimit-reset", &reset)
            .header("retry-after", &(reset_in.as_secs() + 1).to_string());
    }
    log.push_back(now_i);
    let used = log.len();
    handler(&mut st, req, p)
        .header("x-ratelimit-limit", &limit.to_string())
        .header("x-ratelimit-remaining", &(limit - used).to_string())
        .header("x-ratelimit-used", &used.to_string())
        .header("x-ratelimit-reset", &reset)
}

fn calendar(st: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &json!({"status": if st.calendar_enabled { "enabled" } else { "disabled" }}))
}

fn calendar_enable(st: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    if st.calendar_enabled {
        return error(409, "Calendar already enabled");
    }
    st.calendar_enabled = true;
    Reply::status(200)
}

fn calendar_disable(st: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    if !st.calendar_enabled {
        return error(409, "Calendar already disabled");
    }
    st.calendar_enabled = false;
    Reply::status(200)
}

/// Queues a notification; `data` gets the facility, doctor and address Docplanner puts in every one.
pub(super) fn notify(st: &mut State, name: &str, data: Value) {
    let mut data = data;
    if let Value::Object(m) = &mut data {
        m.entry("facility").or_insert_with(directory::facility_json);
        m.entry("doctor").or_insert_with(directory::doctor_json);
        m.entry("address").or_insert_with(directory::address_json);
    }
    st.notifications.push_back(json!({"name": name, "data": data, "created_at": now().format()}));
}

fn no_notifications() -> Reply {
    error(404, "No notifications found")
}

fn notification_pull(st: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    match st.notifications.pop_front() {
        Some(n) => ok(200, &n),
        None => no_notifications(),
    }
}

fn notification_pull_many(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let limit = query(req, "limit").and_then(|l| l.parse::<usize>().ok()).unwrap_or(1);
    if !(1..=100).contains(&limit) {
        return error(400, "Limit must be between 1 and 100");
    }
    if st.notifications.is_empty() {
        return no_notifications();
    }
    let n = limit.min(st.notifications.len());
    let batch: Vec<Value> = st.notifications.drain(..n).collect();
    ok(200, &json!({ "notifications": batch, "remaining": st.notifications.len() }))
}

fn notification_release(st: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    let hour = Duration::from_secs(3600);
    if let Some(last) = st.last_release
        && last.elapsed() < hour
    {
        let wait = hour.saturating_sub(last.elapsed()).as_secs() + 1;
        return error(429, "Too many requests").header("retry-after", &wait.to_string());
    }
    st.last_release = Some(Instant::now());
    Reply::no_content()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Shared {
        let sandbox = super::super::Sandbox::start();
        sandbox.state.clone()
    }

    #[test]
    fn every_operation_of_the_client_is_routed() {
        let router = router(&state());
        assert_eq!(router.unrouted(API, carewire_docplanner::OPERATIONS), Vec::<&str>::new());
    }

    #[test]
    fn every_handler_names_an_operation_of_the_client() {
        for (name, _) in ROUTES {
            assert!(carewire_docplanner::OPERATIONS.iter().any(|s| s.name == *name), "{name}");
        }
        assert_eq!(ROUTES.len(), carewire_docplanner::OPERATIONS.len());
    }
}
