//! Payments: the visit cost check (by provider type, with the sandbox's promo code and insurance) and the
//! patient's default credit card (get, create or replace, delete).

use serde_json::{Map, json};

use super::super::state::{State, civil_from_days, now_secs, state_id};
use super::{Ctx, Outcome, body, error, field, int_like, invalid, not_found, obj, ok, patient_mut, text};

/// The promo code the sandbox knows: 10 off the visit.
pub(in super::super) const PROMO_CODE: &str = "SANDBOX10";

/// `GET /api/v2/payments/costs/check?patient_id=&provider_type_id=&promo_code=&state_abbrev=&authorize_insurance=`.
pub(in super::super) fn cost_check(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let patient_id: u64 = ctx
        .q("patient_id")
        .ok_or_else(|| invalid("patient_id", "is required"))?
        .parse()
        .map_err(|_| invalid("patient_id", "must be an integer"))?;
    if !super::super::auth::may_act_for(ctx, patient_id) {
        return Err(error(401, "the token does not belong to this patient"));
    }
    let patient = st.patient(patient_id).ok_or_else(|| not_found("patient"))?;
    let type_id = ctx.q("provider_type_id").ok_or_else(|| invalid("provider_type_id", "is required"))?;
    let base: i64 = match type_id.as_str() {
        "2" | "3" => 49,
        "5" => 99,
        "6" => 259,
        "12" => 85,
        _ => return Err(invalid("provider_type_id", "is not a provider type")),
    };
    if let Some(s) = ctx.q("state_abbrev")
        && state_id(&s).is_none()
    {
        return Err(invalid("state_abbrev", "must be a two-letter state from the states list"));
    }
    let discount = match ctx.q("promo_code") {
        None => 0,
        Some(code) if code.eq_ignore_ascii_case(PROMO_CODE) => 10,
        Some(_) => return Err(invalid("promo_code", "is not a valid promo code")),
    };
    let insured = ctx.q("authorize_insurance").as_deref() == Some("true")
        && patient.insurance.as_ref().is_some_and(|i| i["eligible"] == true);
    let cost = if insured { 0 } else { (base - discount).max(0) };
    ok(&json!({
        "cost_with_no_promocode": if insured { 0 } else { base },
        "final_amount": cost,
        "cost": cost,
        "consultation_charge": base,
        "payment_breakup": null,
    }))
}

/// `GET /api/v1/patients/{patient_id}/credit_card` (404 when none is on file).
pub(in super::super) fn get_card(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let card = patient_mut(st, ctx)?.credit_card.clone().ok_or_else(|| not_found("credit card"))?;
    ok(&json!({ "credit_card": card }))
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d = d * 2;
                if d > 9 { d - 9 } else { d }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn card_type(number: &str) -> &'static str {
    let two: u32 = number.get(..2).and_then(|s| s.parse().ok()).unwrap_or(0);
    match number.as_bytes().first() {
        Some(b'4') => "VISA",
        _ if (51..=55).contains(&two) || (22..=27).contains(&two) => "MASTERCARD",
        _ if two == 34 || two == 37 => "AMEX",
        _ if number.starts_with("6011") || two == 65 => "DISCOVER",
        _ => "UNKNOWN",
    }
}

/// `POST /api/v2/patients/{patient_id}/credit_card`: create or replace the default card (Luhn-checked, not
/// expired); only the last four digits are kept.
pub(in super::super) fn save_card(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    let b = body(ctx.req)?;
    let cc = obj(&b, "credit_card", "credit_card")?;
    let billing = obj(cc, "billing_data", "credit_card.billing_data")?;
    let mut billing_out = Map::new();
    for key in ["name", "address1", "city", "zip"] {
        billing_out.insert(key.to_owned(), json!(field(billing, key, &format!("credit_card.billing_data.{key}"))?));
    }
    let state = field(billing, "state_abbrev", "credit_card.billing_data.state_abbrev")?;
    if state_id(&state).is_none() {
        return Err(invalid(
            "credit_card.billing_data.state_abbrev",
            "must be a two-letter state from the states list",
        ));
    }
    billing_out.insert("address2".into(), json!(text(billing.get("address2")).unwrap_or_default()));
    billing_out.insert("state".into(), json!(state.to_ascii_uppercase()));
    billing_out.insert("country".into(), json!("US"));
    let card = obj(cc, "card_data", "credit_card.card_data")?;
    let number = field(card, "card_number", "credit_card.card_data.card_number")?;
    if !(12..=19).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit()) || !luhn(&number) {
        return Err(invalid("credit_card.card_data.card_number", "is not a valid card number (digits only)"));
    }
    let cvv = field(card, "cvv", "credit_card.card_data.cvv")?;
    if !(3..=4).contains(&cvv.len()) || !cvv.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("credit_card.card_data.cvv", "must be 3 or 4 digits"));
    }
    let month = int_like(card.get("expiration_month")).filter(|m| (1..=12).contains(m));
    let month = month.ok_or_else(|| invalid("credit_card.card_data.expiration_month", "must be 1 to 12"))?;
    let year = int_like(card.get("expiration_year")).filter(|y| (1000..=9999).contains(y));
    let year = year.ok_or_else(|| invalid("credit_card.card_data.expiration_year", "must be a four-digit year"))?;
    let (now_year, now_month, _) = civil_from_days(now_secs().div_euclid(86_400));
    if (year, month) < (now_year, now_month) {
        return Err(invalid(
            "credit_card.card_data.expiration_year",
            "and expiration_month are in the past: the card has expired",
        ));
    }
    let card_id = st.next_id();
    let saved = json!({
        "subscriber_id": ctx.patient_id,
        "subscriber_card_id": card_id,
        "billing_data": billing_out,
        "card_data": {
            "last_four": number[number.len() - 4..],
            "active": true,
            "type": card_type(&number),
            "expiration_month": month,
            "expiration_year": year,
        },
    });
    patient_mut(st, ctx)?.credit_card = Some(saved.clone());
    ok(&json!({ "credit_card": saved }))
}

/// `DELETE /api/v1/patients/{patient_id}/credit_card`: 200 with `{}` (the doc's example body is empty).
pub(in super::super) fn delete_card(st: &mut State, ctx: &Ctx<'_>) -> Outcome {
    patient_mut(st, ctx)?.credit_card.take().ok_or_else(|| not_found("credit card"))?;
    ok(&json!({}))
}
