//! The Docplanner sandbox's facility, doctor and address: their listings and extensions, the address's
//! insurance support (`addresses.update`), and the doctor's opinion request.

use serde_json::{Value, json};

use super::util::{Invalid, body_object, error, ok, required, try_reply, with_values};
use super::{ADDRESS_ID, DOCTOR_ID, FACILITY_ID, State};
use crate::{Params, RecordedRequest, Reply};

/// The values `insurance_support` takes.
const INSURANCE_SUPPORT: [&str; 3] = ["private", "insurance", "private_and_insurance"];

pub(super) fn facility_json() -> Value {
    json!({"id": FACILITY_ID, "name": "Sandbox hospital"})
}

pub(super) fn doctor_json() -> Value {
    json!({"id": DOCTOR_ID, "name": "Sandbox", "surname": "Doctor"})
}

/// The address as notifications and plain listings carry it.
pub(super) fn address_json() -> Value {
    json!({"id": ADDRESS_ID, "name": "Sandbox clinic", "city_name": "Warszawa", "post_code": "00-001", "street": "Testowa 1",
        "booking_extra_fields": {"birth_date": false, "gender": false, "nin": false}})
}

/// The address with the `address.*` extensions asked for.
fn address_with(st: &State, with: &[String]) -> Value {
    let mut a = address_json();
    for w in with {
        match w.as_str() {
            "address.online_only" => a["is_online_only"] = json!(false),
            "address.visit_payment" => a["visit_payment"] = json!(false),
            // A calendar can only be enabled on a premium (paid) address.
            "address.commercial_type" => a["commercial_type"] = json!("premium"),
            "address.insurance_support" => a["insurance_support"] = json!(st.insurance_support),
            _ => {}
        }
    }
    a
}

pub(super) fn facilities(_: &mut State, _: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &json!({"_items": [facility_json()]}))
}

pub(super) fn facility(_: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let mut f = facility_json();
    if with_values(req).iter().any(|w| w == "facility.doctors") {
        f["doctors"] = json!({"_items": [doctor_json()]});
    }
    ok(200, &f)
}

/// The doctor with the extensions asked for.
fn doctor_with(st: &State, with: &[String]) -> Value {
    let mut d = doctor_json();
    let has = |w: &str| with.iter().any(|x| x == w);
    if has("doctor.addresses") {
        d["addresses"] = json!({"_items": [address_with(st, with)]});
    }
    if has("doctor.specializations") {
        d["specializations"] = json!({"_items": [{"id": "12", "name": "Sandbox specialization"}]});
    }
    if has("doctor.license_numbers") {
        d["license_numbers"] = json!({"_items": [{"id": "1", "license_number": "PWZ-0000001"}]});
    }
    if has("doctor.profile_url") {
        d["profile_url"] = json!("https://www.znanylekarz.pl/sandbox-doctor");
    }
    d
}

pub(super) fn doctors(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &json!({"_items": [doctor_with(st, &with_values(req))]}))
}

pub(super) fn doctor(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &doctor_with(st, &with_values(req)))
}

pub(super) fn addresses(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &json!({"_items": [address_with(st, &with_values(req))]}))
}

pub(super) fn address(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    ok(200, &address_with(st, &with_values(req)))
}

/// `PATCH .../addresses/{address_id}`: `{"insurance_support": ...}`; answers the address with it.
pub(super) fn address_update(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let body = try_reply!(body_object(req));
    let mut invalid = Invalid::default();
    match body.get("insurance_support") {
        None | Some(Value::Null) => invalid.add("insurance_support", "This value should not be blank."),
        Some(Value::String(s)) => match INSURANCE_SUPPORT.iter().find(|v| **v == s.as_str()) {
            Some(v) => st.insurance_support = v,
            None => invalid.add("insurance_support", "The value you selected is not a valid choice."),
        },
        Some(_) => invalid.add("insurance_support", "This value should be of type string."),
    }
    try_reply!(invalid.finish());
    let mut a = address_json();
    a["insurance_support"] = json!(st.insurance_support);
    ok(200, &a)
}

/// The digits of a phone number the way Docplanner accepts it: an optional leading `+`, then 9 to 15 digits,
/// with spaces, dashes, dots and parentheses between them.
fn phone_digits(phone: &str) -> Option<String> {
    let rest = phone.trim().strip_prefix('+').unwrap_or(phone.trim());
    if !rest.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')')) {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    (9..=15).contains(&digits.len()).then_some(digits)
}

/// `PUT .../doctors/{doctor_id}/opinion-request`: `{"phone": ...}`; 200 with no body once "texted", 409 when
/// that phone was already asked.
pub(super) fn request_opinion(st: &mut State, req: &RecordedRequest, _: &Params) -> Reply {
    let body = try_reply!(body_object(req));
    let phone = match body.get("phone") {
        None | Some(Value::Null) => return required("phone"),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return error(400, "Phone number is invalid."),
    };
    let Some(digits) = phone_digits(&phone) else { return error(400, "Phone number is invalid.") };
    if st.opinion_phones.contains(&digits) {
        return error(409, "Opinion already exists");
    }
    st.opinion_phones.push(digits);
    Reply::status(200)
}

#[cfg(test)]
mod tests {
    use super::phone_digits;

    #[test]
    fn phones() {
        assert_eq!(phone_digits("+48 123-123-123").as_deref(), Some("48123123123"));
        assert_eq!(phone_digits("123456789").as_deref(), Some("123456789"));
        assert_eq!(phone_digits("12345678"), None);
        assert_eq!(phone_digits("+48 12a 123 123"), None);
        assert_eq!(phone_digits("++48123123123"), None);
    }
}
