//! The Docplanner sandbox's insurance: the providers dictionary and their plans, and the providers (with
//! plans) the address accepts: list, add, upsert (replaces the plans), delete.

use serde_json::{Map, Value, json};

use super::State;
use super::util::{Invalid, body_object, error, ok, required, try_reply};
use crate::{Params, RecordedRequest, Reply};

/// The providers dictionary: id, name and the ids of its plans.
const PROVIDERS: [(&str, &str, &[&str]); 3] = [
    ("1", "Insurance provider 1", &["999", "1000"]),
    ("2", "Insurance provider 2", &[]),
    ("3", "Insurance provider 3", &["3001", "3002"]),
];

/// The address's providers at start: provider 1 with both its plans, provider 2 (no plans).
pub(crate) fn initial() -> Vec<(String, Vec<String>)> {
    vec![("1".to_owned(), vec!["999".to_owned(), "1000".to_owned()]), ("2".to_owned(), Vec::new())]
}

fn provider(id: &str) -> Option<&'static (&'static str, &'static str, &'static [&'static str])> {
    PROVIDERS.iter().find(|p| p.0 == id)
}

fn plan_json(id: &str) -> Value {
    json!({"insurance_plan_id": id, "name": format!("Insurance plan {id}")})
}

fn not_in_dictionary() -> Reply {
    error(404, "Provided insurance provider ID not found in dictionary")
}

pub(super) fn providers(_: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    let items: Vec<Value> =
        PROVIDERS.iter().map(|(id, name, _)| json!({"insurance_provider_id": id, "name": name})).collect();
    ok(200, &json!({ "_items": items }))
}

pub(super) fn plans(_: &mut State, _: &RecordedRequest, p: &Params) -> Reply {
    let Some((_, _, plans)) = p.get("insurance_provider_id").and_then(provider) else { return not_in_dictionary() };
    let items: Vec<Value> = plans.iter().map(|id| plan_json(id)).collect();
    ok(200, &json!({ "_items": items }))
}

pub(super) fn address_list(st: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    let items: Vec<Value> = st
        .address_insurance
        .iter()
        .map(|(id, plans)| {
            let name = provider(id).map(|p| p.1);
            let plans: Vec<Value> = plans.iter().map(|p| plan_json(p)).collect();
            json!({"insurance_provider_id": id, "name": name, "insurance_plans": {"_items": plans}})
        })
        .collect();
    ok(200, &json!({ "_items": items }))
}

/// The provider and plans of an add or upsert body, checked against the dictionary.
fn parse(body: &Map<String, Value>) -> Result<(String, Vec<String>), Reply> {
    let mut inv = Invalid::default();
    let id = match body.get("insurance_provider_id") {
        None | Some(Value::Null) => return Err(required("insurance_provider_id")),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            inv.add("insurance_provider_id", "This value should be of type string.");
            String::new()
        }
    };
    let mut plans: Vec<(usize, String)> = Vec::new();
    match body.get("insurance_plans") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.get("insurance_plan_id") {
                    Some(Value::String(plan)) => plans.push((i, plan.clone())),
                    _ => inv.add(
                        &format!("insurance_plans[{i}].insurance_plan_id"),
                        "This value should be of type string.",
                    ),
                }
            }
        }
        Some(_) => inv.add("insurance_plans", "This value should be of type array."),
    }
    inv.finish()?;
    let Some((_, _, known)) = provider(&id) else { return Err(not_in_dictionary()) };
    let mut inv = Invalid::default();
    let mut ids: Vec<String> = Vec::new();
    for (i, plan) in plans {
        if !known.contains(&plan.as_str()) {
            let msg = format!("Insurance plan {plan} is not a plan of insurance provider {id}.");
            inv.add(&format!("insurance_plans[{i}].insurance_plan_id"), &msg);
        } else if !ids.contains(&plan) {
            ids.push(plan);
        }
    }
    inv.finish()?;
    Ok((id, ids))
}

/// `POST .../insurance-providers`: 204; 400 when the provider is already assigned.
pub(super) fn address_add(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let body = try_reply!(body_object(req));
    let (id, plans) = try_reply!(parse(&body));
    if st.address_insurance.iter().any(|(p, _)| *p == id) {
        return error(400, "Insurance provider with given ID is already assigned to this address.");
    }
    st.address_insurance.push((id, plans));
    Reply::no_content()
}

/// `PUT .../insurance-providers`: 204; adds the provider, or replaces its plans (none sent: none accepted).
pub(super) fn address_upsert(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let body = try_reply!(body_object(req));
    let (id, plans) = try_reply!(parse(&body));
    match st.address_insurance.iter_mut().find(|(p, _)| *p == id) {
        Some(entry) => entry.1 = plans,
        None => st.address_insurance.push((id, plans)),
    }
    Reply::no_content()
}

/// `DELETE .../insurance-providers/{insurance_provider_id}`: 204; 400 when not assigned.
pub(super) fn address_delete(st: &mut State, _: &RecordedRequest, p: &Params) -> Reply {
    let Some((id, _, _)) = p.get("insurance_provider_id").and_then(provider) else { return not_in_dictionary() };
    let before = st.address_insurance.len();
    st.address_insurance.retain(|(p, _)| p != id);
    if st.address_insurance.len() == before {
        return error(400, "Insurance provider with given ID is not assigned to this address.");
    }
    Reply::no_content()
}
