//! The Docplanner sandbox's services: the dictionary (`GET /services`) and the address's services (list, add,
//! get, update, delete), with their extensions and the `address-service-*` notifications.

use serde_json::{Map, Number, Value, json};

use super::breaks::blocks;
use super::routes::{address_url, notify};
use super::util::{Invalid, Stamp, body_object, error, error_with, ok, query, required, try_reply, with_values};
use super::{ADDRESS_SERVICE_ID, SECOND_ADDRESS_SERVICE_ID, State};
use crate::{Params, RecordedRequest, Reply};

/// The services dictionary: id and name.
const DICTIONARY: [(&str, &str); 3] = [("1", "USG"), ("2", "EKG"), ("3", "EEG")];

/// What the API answers for a price it cannot take.
const PRICE_ERROR: &str = "Invalid price value for service. Price should be either null or integer greater or equal 0.";

/// A service of the address.
#[derive(Clone, Debug)]
pub(crate) struct ServiceRec {
    pub(crate) id: String,
    /// The dictionary service it is.
    service_id: String,
    name: String,
    /// In minor units (the API takes 2 decimals and answers the integer part).
    price_cents: Option<i64>,
    is_price_from: bool,
    description: Option<String>,
    default_duration: Option<u32>,
    is_visible: bool,
    custom_name: Option<String>,
    minimum_age: Option<u32>,
    maximum_age: Option<u32>,
    /// Removed from the address; kept for the bookings that name it.
    deleted: bool,
}

/// The address's services at start: USG (30 minutes) and EKG (15 minutes, adults only).
pub(crate) fn initial() -> Vec<ServiceRec> {
    let service = |id: &str, service_id: &str, name: &str, duration: u32, minimum_age: Option<u32>| ServiceRec {
        id: id.to_owned(),
        service_id: service_id.to_owned(),
        name: name.to_owned(),
        price_cents: Some(10_000),
        is_price_from: false,
        description: None,
        default_duration: Some(duration),
        is_visible: true,
        custom_name: None,
        minimum_age,
        maximum_age: None,
        deleted: false,
    };
    vec![
        service(ADDRESS_SERVICE_ID, "1", "USG", 30, None),
        service(SECOND_ADDRESS_SERVICE_ID, "2", "EKG", 15, Some(18)),
    ]
}

/// An address service as the API answers it without extensions.
fn rec_json(s: &ServiceRec) -> Value {
    json!({"id": s.id, "name": s.name, "price": s.price_cents.map(|c| c / 100), "is_price_from": s.is_price_from,
        "is_default": s.id == ADDRESS_SERVICE_ID, "service_id": s.service_id, "description": s.description,
        "default_duration": s.default_duration, "is_visible": s.is_visible})
}

/// The address service with the `address_service.*` extensions asked for.
fn rec_json_with(s: &ServiceRec, with: &[String]) -> Value {
    let mut v = rec_json(s);
    for w in with {
        match w.as_str() {
            "address_service.allowed_patients" => {
                v["allowed_patients"] = json!({"minimum_age": s.minimum_age, "maximum_age": s.maximum_age});
            }
            "address_service.custom_name" => v["custom_name"] = json!(s.custom_name),
            "address_service.public_insurance_flow" => v["is_public_insurance_flow"] = json!(false),
            _ => {}
        }
    }
    v
}

/// The service `id` as bookings and slots carry it (a deleted one too: old bookings still name it).
pub(crate) fn service_json(st: &State, id: &str) -> Value {
    match st.services.iter().find(|s| s.id == id) {
        Some(s) => rec_json(s),
        None => json!({"id": id, "name": null, "price": null, "is_price_from": false, "is_default": false,
            "description": null, "is_visible": false}),
    }
}

/// Whether `id` is a (not deleted) service of the address.
pub(crate) fn service_exists(st: &State, id: &str) -> bool {
    st.services.iter().any(|s| s.id == id && !s.deleted)
}

fn find(st: &State, p: &Params) -> Option<usize> {
    let id = p.get("address_service_id")?;
    st.services.iter().position(|s| s.id == id && !s.deleted)
}

pub(super) fn dictionary(_: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    let items: Vec<Value> = DICTIONARY.iter().map(|(id, name)| json!({"id": id, "name": name})).collect();
    ok(200, &json!({ "_items": items }))
}

/// `GET .../services`, optionally only those of the slots starting on the date of `start` (with their slot
/// `duration`).
pub(super) fn list(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let with = with_values(req);
    let day = match query(req, "start") {
        None => None,
        Some(s) => match Stamp::parse(&s) {
            Some(start) => Some(start),
            None => return error(400, "Invalid date given."),
        },
    };
    let mut items = Vec::new();
    for s in st.services.iter().filter(|s| !s.deleted) {
        let mut v = rec_json_with(s, &with);
        if let Some(start) = day {
            let on_day = st.slots.iter().filter(|slot| {
                Stamp { ts: slot.start.ts, offset: start.offset }.local_day() == start.local_day()
                    && !blocks(st, slot.start, slot.services.iter().map(|(_, d)| *d).min().unwrap_or(1))
            });
            let Some(duration) = on_day.flat_map(|slot| slot.services.iter()).find(|(id, _)| *id == s.id).map(|x| x.1)
            else {
                continue;
            };
            v["duration"] = json!(duration);
        }
        items.push(v);
    }
    ok(200, &json!({ "_items": items }))
}

pub(super) fn get(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
    match find(st, p) {
        Some(i) => ok(200, &rec_json_with(&st.services[i], &with_values(req))),
        None => error(404, "Object not found"),
    }
}

/// The changes of an add or update body. `Option<Option<_>>`: not sent, `null`, or a value.
#[allow(clippy::option_option)]
#[derive(Debug)]
struct Changes {
    price_cents: Option<Option<i64>>,
    is_price_from: Option<bool>,
    description: Option<Option<String>>,
    is_visible: Option<bool>,
    default_duration: Option<Option<u32>>,
    custom_name: Option<Option<String>>,
    allowed_patients: Option<(Option<u32>, Option<u32>)>,
}

impl Changes {
    fn apply(self, s: &mut ServiceRec) {
        if let Some(p) = self.price_cents {
            s.price_cents = p;
        }
        if let Some(v) = self.is_price_from {
            s.is_price_from = v;
        }
        if let Some(d) = self.description {
            s.description = d;
        }
        if let Some(v) = self.is_visible {
            s.is_visible = v;
        }
        if let Some(d) = self.default_duration {
            s.default_duration = d;
        }
        if let Some(n) = self.custom_name {
            s.custom_name = n;
        }
        if let Some((min, max)) = self.allowed_patients {
            (s.minimum_age, s.maximum_age) = (min, max);
        }
    }
}

/// A price in minor units: a non-negative JSON number, decimals past the second truncated (as the API does).
fn cents(n: &Number) -> Option<i64> {
    let text = n.to_string();
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) {
        return None;
    }
    let frac: String = frac.chars().chain("00".chars()).take(2).collect();
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(frac.parse().ok()?)
}

fn parse_changes(body: &Map<String, Value>) -> Result<Changes, Reply> {
    let price_cents = match body.get("price") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::Number(n)) => Some(Some(cents(n).ok_or_else(|| error(400, PRICE_ERROR))?)),
        Some(_) => return Err(error(400, PRICE_ERROR)),
    };
    let mut inv = Invalid::default();
    let custom_name = inv.opt_string(body.get("custom_name"), "custom_name");
    if matches!(&custom_name, Some(Some(n)) if n.trim().is_empty()) {
        inv.add("custom_name", "This value should not be blank.");
    }
    let allowed_patients = match body.get("allowed_patients") {
        None => None,
        Some(Value::Null) => Some((None, None)),
        Some(Value::Object(ages)) => {
            let min = inv.opt_u32(ages.get("minimum_age"), "allowed_patients.minimum_age", 0).flatten();
            let max = inv.opt_u32(ages.get("maximum_age"), "allowed_patients.maximum_age", 0).flatten();
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                inv.add("allowed_patients.maximum_age", "This value should be greater than or equal to minimum_age.");
            }
            Some((min, max))
        }
        Some(_) => {
            inv.add("allowed_patients", "This value should be of type object.");
            None
        }
    };
    let c = Changes {
        price_cents,
        is_price_from: inv.opt_bool(body.get("is_price_from"), "is_price_from"),
        description: inv.opt_string(body.get("description"), "description"),
        is_visible: inv.opt_bool(body.get("is_visible"), "is_visible"),
        default_duration: inv.opt_u32(body.get("default_duration"), "default_duration", 1),
        custom_name,
        allowed_patients,
    };
    inv.finish()?;
    Ok(c)
}

/// `POST .../services`: adds a dictionary service; 201 with the service and its `Location`.
pub(super) fn add(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let body = try_reply!(body_object(req));
    let service_id = match body.get("service_id") {
        None | Some(Value::Null) => return required("service_id"),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return error_with(
                400,
                "Invalid arguments",
                &json!({"service_id": ["This value should be of type string."]}),
            );
        }
    };
    let changes = try_reply!(parse_changes(&body));
    let Some((_, name)) = DICTIONARY.iter().find(|(id, _)| *id == service_id) else {
        return error(404, "Object not found");
    };
    if st.services.iter().any(|s| !s.deleted && s.service_id == service_id) {
        return error(409, "The address service you are trying to add already exists in the system");
    }
    st.next_id += 1;
    let mut rec = ServiceRec {
        id: st.next_id.to_string(),
        service_id,
        name: (*name).to_owned(),
        price_cents: None,
        is_price_from: false,
        description: None,
        default_duration: None,
        is_visible: true,
        custom_name: None,
        minimum_age: None,
        maximum_age: None,
        deleted: false,
    };
    changes.apply(&mut rec);
    let v = rec_json(&rec);
    let location = address_url(&format!("/services/{}", rec.id));
    st.services.push(rec);
    notify(st, "address-service-created", json!({ "address_service": v }));
    ok(201, &v).header("location", &location)
}

/// `PATCH .../services/{address_service_id}`: changes what the body names; 200 with the service.
pub(super) fn update(st: &mut State, req: &RecordedRequest, p: &Params) -> Reply {
    let Some(i) = find(st, p) else { return error(404, "Object not found") };
    let body = try_reply!(body_object(req));
    let changes = try_reply!(parse_changes(&body));
    changes.apply(&mut st.services[i]);
    let v = rec_json(&st.services[i]);
    notify(st, "address-service-changed", json!({ "address_service": v }));
    ok(200, &v)
}

/// `DELETE .../services/{address_service_id}`: 204; the slots lose the service (and go when it was their last).
pub(super) fn delete(st: &mut State, _: &RecordedRequest, p: &Params) -> Reply {
    let Some(i) = find(st, p) else { return error(404, "Object not found") };
    st.services[i].deleted = true;
    let id = st.services[i].id.clone();
    for slot in &mut st.slots {
        slot.services.retain(|(s, _)| *s != id);
    }
    st.slots.retain(|slot| !slot.services.is_empty());
    let v = rec_json(&st.services[i]);
    notify(st, "address-service-deleted", json!({ "address_service": v }));
    Reply::no_content()
}

#[cfg(test)]
mod tests {
    use super::cents;

    #[test]
    fn prices_in_minor_units() {
        let n = |s: &str| serde_json::from_str::<serde_json::Number>(s).unwrap();
        assert_eq!(cents(&n("200")), Some(20_000));
        assert_eq!(cents(&n("19.99")), Some(1999));
        assert_eq!(cents(&n("19.5")), Some(1950));
        assert_eq!(cents(&n("0.129")), Some(12));
        assert_eq!(cents(&n("-1")), None);
    }
}
