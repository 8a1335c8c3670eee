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
use carewire_core::operation::Spec;

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

fn route(router: Router, state: &Shared, spec: &Spec, op: Op) -> Router {
    let st = Arc::clone(state);
    router.operation(PREFIX, spec, move |req: &RecordedRequest, params: &Params| {
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

/// The part of the base URL the client's operation paths are relative to.
pub(super) const PREFIX: &str = "/v1";

/// The routes, registered from the client's own operation table by operation name.
pub(super) fn router(state: &Shared) -> Router {
    let table: [(&str, Op); 19] = [
        ("patients.create", create_patient),
        ("patients.seek_consent", seek_consent),
        ("patients.grant_consent", grant_consent),
        ("patients.list", list_patients),
        ("patients.get", get_patient),
        ("patients.edit", edit_patient),
        ("records.create", create_record),
        ("records.list", list_records),
        ("medicards.create", create_card),
        ("medicards.activate", activate_card),
        ("medicards.deactivate", deactivate_card),
        ("medicards.reserve", reserve_cards),
        ("medicards.assign", assign_card),
        ("medicards.get", get_card),
        ("medicards.list", list_cards),
        ("medicards.list_reserved", list_reserved),
        ("medicards.transactions", card_transactions),
        ("medicards.business_transactions", business_transactions),
        ("medicards.fund", fund_card),
    ];
    let mut r = Router::new();
    for (name, op) in table {
        if let Some(spec) = carewire_healthstack::OPERATIONS.iter().find(|s| s.name == name) {
            r = route(r, state, spec, op);
        }
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

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_of_the_client_is_routed() {
        let router = super::router(&super::Shared::default());
        assert_eq!(router.unrouted(super::PREFIX, carewire_healthstack::OPERATIONS), Vec::<&str>::new());
    }
}
