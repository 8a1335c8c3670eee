//! The route table, the bearer-key check every route shares, and the envelope and body helpers the
//! handlers use.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::medicards::{
    activate_card, assign_card, business_transactions, card_transactions, create_card, deactivate_card, fund_card,
    get_card, list_cards, list_reserved, reserve_cards,
};
use super::patients::{
    create_patient, create_record, edit_patient, get_patient, grant_consent, list_patients, list_records, seek_consent,
};
use super::state::{Shared, State, lock};
use super::{BUSINESS_ID, OTHER_BUSINESS_ID, OTHER_SECRET_KEY, SECRET_KEY};
use crate::{Params, RecordedRequest, Reply, Router};

pub(super) fn ok(status_code: i64, message: &str, data: Option<Value>) -> Reply {
    let mut body = json!({ "success": true, "status": status_code, "message": message });
    if let Some(d) = data {
        body["data"] = d;
    }
    Reply::json(200, &body)
}

pub(super) fn fail(http: u16, message: &str) -> Reply {
    Reply::json(http, &json!({ "success": false, "status": http, "message": message }))
}

pub(super) fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn business_of(req: &RecordedRequest) -> Option<&'static str> {
    match req.bearer_token()? {
        SECRET_KEY => Some(BUSINESS_ID),
        OTHER_SECRET_KEY => Some(OTHER_BUSINESS_ID),
        _ => None,
    }
}

type Op = fn(&mut State, &'static str, &RecordedRequest, &Params) -> Reply;

fn route(router: Router, state: &Shared, method: &str, path: &str, op: Op) -> Router {
    let st = Arc::clone(state);
    router.route(method, path, move |req: &RecordedRequest, params: &Params| {
        let Some(business) = business_of(req) else {
            return fail(401, "Unauthorized: invalid or expired access token");
        };
        op(&mut lock(&st), business, req, params)
    })
}

pub(super) fn body(req: &RecordedRequest) -> Result<Map<String, Value>, Reply> {
    match req.json_value() {
        Some(Value::Object(m)) => Ok(m),
        _ => Err(fail(422, "Validation error: the body must be a JSON object")),
    }
}

// ---------------------------------------------------------------------------------------------------
// routes

pub(super) fn router(state: &Shared) -> Router {
    let mut r = Router::new();
    let table: [(&str, &str, Op); 19] = [
        ("POST", "/v1/patients/create", create_patient),
        ("POST", "/v1/patients/seek-consent", seek_consent),
        ("POST", "/v1/patients/consent", grant_consent),
        ("GET", "/v1/patients/multiple", list_patients),
        ("GET", "/v1/patient/single/{health_id}", get_patient),
        ("PATCH", "/v1/edit/{health_id}", edit_patient),
        ("POST", "/v1/records", create_record),
        ("GET", "/v1/records/multiple/{health_id}", list_records),
        ("POST", "/v1/medicard/create", create_card),
        ("PATCH", "/v1/medicard/activate", activate_card),
        ("PATCH", "/v1/medicard/deactivate", deactivate_card),
        ("POST", "/v1/medicard/reserve", reserve_cards),
        ("POST", "/v1/medicard/assign", assign_card),
        ("GET", "/v1/medicard/single/{card_number}", get_card),
        ("GET", "/v1/medicard/patients", list_cards),
        ("GET", "/v1/medicard/reserved/{business_id}", list_reserved),
        ("GET", "/v1/medicard/transactions/{card_number}", card_transactions),
        ("GET", "/v1/medicard/business-transaction/{business_id}", business_transactions),
        ("POST", "/v1/medicard/fund/{card_number}", fund_card),
    ];
    for (method, path, op) in table {
        r = route(r, state, method, path, op);
    }
    r
}

macro_rules! try_reply {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(reply) => return reply,
        }
    };
}
pub(super) use try_reply;
