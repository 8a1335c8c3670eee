//! Medicard routes: create, activate, deactivate, reserve and assign cards, read and list them, fund them
//! and list their transactions.

use serde_json::{Value, json};

use super::routes::{body, digits, fail, ok, text, try_reply};
use super::state::{CardRow, State, TxRow, alnum, num, timestamp, uuid};
use crate::{Params, RecordedRequest, Reply};

fn card_json(c: &CardRow) -> Value {
    if c.assigned {
        json!({
            "id": c.id, "health_id": c.health_id, "card_number": c.card_number, "card_name": c.card_name,
            "balance": num(c.balance), "business_id": c.business_id, "created_at": c.created_at,
            "updated_at": c.updated_at, "active": c.active, "card_type": c.card_type, "expires_at": c.expires_at,
            "card_pin": Value::Null, "failedAttempt": 5, "metadata": { "goal": [], "limit": 100_000 },
            "status": "assigned",
        })
    } else {
        json!({
            "id": c.id, "card_number": c.card_number, "business_id": c.business_id, "created_at": c.created_at,
            "active": c.active, "card_type": c.card_type, "expires_at": c.expires_at,
            "metadata": { "goal": [], "limit": 100_000 }, "status": "not_assigned",
        })
    }
}

fn tx_json(t: &TxRow) -> Value {
    json!({
        "id": t.id, "created_at": t.created_at, "card_number": t.card_number, "amount": num(t.amount),
        "health_id": t.health_id, "metadata": { "receiver": t.business_id }, "transaction_ref": t.reference,
        "type": "Funding", "status": "successful", "business_id": t.business_id,
    })
}

/// `MM/YY` two years ahead.
fn expiry(st: &State) -> String {
    let now = timestamp(st.now());
    let year: u32 = now[2..4].parse().unwrap_or(25);
    format!("{}/{:02}", &now[5..7], (year + 2) % 100)
}

fn find_card<'a>(st: &'a mut State, business: &str, number: &str) -> Result<&'a mut CardRow, Reply> {
    st.cards
        .iter_mut()
        .find(|c| c.card_number == number && c.business_id == business)
        .ok_or_else(|| fail(404, "Medicard not found"))
}

pub(super) fn create_card(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let (Some(hid), Some(name), Some(kind)) =
        (text(b.get("health_id")), text(b.get("cardName")), text(b.get("cardType")))
    else {
        return fail(422, "Validation error: health_id, cardName and cardType are required");
    };
    if !st.patients.iter().any(|p| p.health_id == hid) {
        return fail(404, "Patient not found");
    }
    let now = st.now_str();
    let card = CardRow {
        id: uuid(),
        health_id: Some(hid),
        card_number: format!("MED-{}", alnum(8)),
        card_name: Some(name),
        balance: 0.0,
        business_id: business.to_owned(),
        created_at: now.clone(),
        updated_at: now,
        active: false,
        card_type: kind,
        expires_at: expiry(st),
        pin: None,
        assigned: true,
    };
    let data = json!([card_json(&card)]);
    st.cards.push(card);
    // Variant F: boolean status, the card wrapped in an array.
    Reply::json(
        200,
        &json!({ "success": true, "status": true, "message": "Medicard created successfully", "data": data }),
    )
}

pub(super) fn activate_card(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let (Some(hid), Some(pin), Some(number)) =
        (text(b.get("health_id")), text(b.get("card_pin")), text(b.get("card_number")))
    else {
        return fail(422, "Validation error: health_id, card_pin and card_number are required");
    };
    if !(digits(&pin, 4) || (pin.len() < 4 && digits(&format!("{pin:0>4}"), 4))) {
        return fail(422, "Validation error: card_pin must be 4 digits");
    }
    let now = st.now_str();
    let card = try_reply!(find_card(st, business, &number));
    if card.health_id.as_deref() != Some(hid.as_str()) {
        return fail(404, "Medicard not found for this patient");
    }
    card.active = true;
    card.pin = Some(pin);
    card.updated_at = now;
    // Variant A, with `active` as the string "true" (H5).
    Reply::json(
        200,
        &json!({
            "status": true,
            "message": "Medicard activated successfully",
            "data": { "health_id": hid, "active": "true", "card_number": number },
        }),
    )
}

pub(super) fn deactivate_card(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let (Some(number), Some(_reason)) = (text(b.get("card_number")), text(b.get("reason"))) else {
        return fail(422, "Validation error: card_number and reason are required");
    };
    let now = st.now_str();
    let card = try_reply!(find_card(st, business, &number));
    card.active = false;
    card.updated_at = now;
    let data = json!({ "health_id": card.health_id, "active": false, "card_number": card.card_number });
    ok(200, "Medicard deactivated successfully", Some(data))
}

pub(super) fn reserve_cards(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let quantity = b.get("quantity").and_then(Value::as_u64).unwrap_or(0);
    let Some(kind) = text(b.get("cardType")) else {
        return fail(422, "Validation error: cardType is required");
    };
    if quantity == 0 || quantity > 1000 {
        return fail(422, "Validation error: quantity must be between 1 and 1000");
    }
    for _ in 0..quantity {
        let now = st.now_str();
        let card = CardRow {
            id: uuid(),
            health_id: None,
            card_number: format!("MED-{}", alnum(8)),
            card_name: None,
            balance: 0.0,
            business_id: business.to_owned(),
            created_at: now.clone(),
            updated_at: now,
            active: false,
            card_type: kind.clone(),
            expires_at: expiry(st),
            pin: None,
            assigned: false,
        };
        st.cards.push(card);
    }
    // As documented: `data: []` although cards were created.
    ok(200, &format!("{quantity} Medicards created successfully"), Some(json!([])))
}

pub(super) fn assign_card(st: &mut State, business: &'static str, req: &RecordedRequest, _: &Params) -> Reply {
    let b = try_reply!(body(req));
    let fields = (
        text(b.get("health_id")),
        text(b.get("cardName")),
        text(b.get("cardType")),
        text(b.get("cardNumber")),
        text(b.get("expires_at")),
    );
    let (Some(hid), Some(name), Some(kind), Some(number), Some(expires)) = fields else {
        return fail(422, "Validation error: health_id, cardName, cardType, cardNumber and expires_at are required");
    };
    if !st.patients.iter().any(|p| p.health_id == hid) {
        return fail(404, "Patient not found");
    }
    let now = st.now_str();
    let card = try_reply!(find_card(st, business, &number));
    if card.assigned {
        return fail(422, "Validation error: Medicard is already assigned");
    }
    card.assigned = true;
    card.health_id = Some(hid);
    card.card_name = Some(name);
    card.card_type = kind;
    card.expires_at = expires;
    card.updated_at = now;
    let data = card_json(card);
    ok(200, "Medicard assigned successfully", Some(data))
}

pub(super) fn get_card(st: &mut State, business: &'static str, _: &RecordedRequest, p: &Params) -> Reply {
    let card = try_reply!(find_card(st, business, p.get("card_number").unwrap_or_default()));
    let data = card_json(card);
    ok(200, "Medicard fetched successfully", Some(data))
}

pub(super) fn list_cards(st: &mut State, business: &'static str, _: &RecordedRequest, _: &Params) -> Reply {
    let items: Vec<Value> =
        st.cards.iter().filter(|c| c.business_id == business && c.assigned).map(card_json).collect();
    ok(200, "Medicard fetched successfully", Some(Value::Array(items)))
}

fn same_business(business: &str, p: &Params) -> Result<(), Reply> {
    if p.get("business_id") == Some(business) {
        Ok(())
    } else {
        Err(fail(403, "Forbidden: the business id does not match the secret key"))
    }
}

pub(super) fn list_reserved(st: &mut State, business: &'static str, _: &RecordedRequest, p: &Params) -> Reply {
    try_reply!(same_business(business, p));
    let items: Vec<Value> =
        st.cards.iter().filter(|c| c.business_id == business && !c.assigned).map(card_json).collect();
    ok(200, "Medicard fetched successfully", Some(Value::Array(items)))
}

pub(super) fn card_transactions(st: &mut State, business: &'static str, _: &RecordedRequest, p: &Params) -> Reply {
    let number = p.get("card_number").unwrap_or_default().to_owned();
    try_reply!(find_card(st, business, &number));
    let items: Vec<Value> = st.transactions.iter().filter(|t| t.card_number == number).map(tx_json).collect();
    ok(200, "Medicard transactions fetched successfully", Some(Value::Array(items)))
}

pub(super) fn business_transactions(st: &mut State, business: &'static str, _: &RecordedRequest, p: &Params) -> Reply {
    try_reply!(same_business(business, p));
    let items: Vec<Value> = st.transactions.iter().filter(|t| t.business_id == business).map(tx_json).collect();
    ok(200, "Medicard transactions fetched successfully", Some(Value::Array(items)))
}

pub(super) fn fund_card(st: &mut State, business: &'static str, req: &RecordedRequest, p: &Params) -> Reply {
    let number = p.get("card_number").unwrap_or_default().to_owned();
    let b = try_reply!(body(req));
    if let Some(in_body) = text(b.get("card_number"))
        && in_body != number
    {
        return fail(422, "Validation error: card_number in the body does not match the path");
    }
    let Some(reference) = text(b.get("reference")) else {
        return fail(422, "Validation error: reference is required");
    };
    let amount = match b.get("amount") {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    };
    if amount.is_nan() || amount <= 0.0 {
        return fail(422, "Validation error: amount must be greater than zero");
    }
    let now = st.now_str();
    let card = try_reply!(find_card(st, business, &number));
    card.balance += amount;
    card.updated_at.clone_from(&now);
    let health_id = card.health_id.clone();
    let id = st.next_tx;
    st.next_tx += 1;
    st.transactions.push(TxRow {
        id,
        created_at: now,
        card_number: number.clone(),
        amount,
        health_id,
        reference: reference.clone(),
        business_id: business.to_owned(),
    });
    ok(
        200,
        "Medicard funded successfully",
        Some(json!({ "reference": reference, "amount": num(amount), "card_number": number })),
    )
}
