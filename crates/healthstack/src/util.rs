//! Validation and lenient-decoding helpers shared by the resource modules.

use carewire_core::{Error, Result};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Whether `s` is a health id: `HID-` followed by 8 ASCII letters or digits.
pub(crate) fn is_health_id(s: &str) -> bool {
    s.strip_prefix("HID-").is_some_and(|rest| rest.len() == 8 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether `s` is exactly `n` ASCII digits.
pub(crate) fn is_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// Fails naming `field` unless `health_id` has the documented shape.
pub(crate) fn check_health_id(field: &'static str, health_id: &str) -> Result<()> {
    if is_health_id(health_id) {
        Ok(())
    } else {
        Err(Error::invalid_request(field, "must be `HID-` followed by 8 letters or digits"))
    }
}

/// Fails naming `field` if `value` is blank.
pub(crate) fn check_not_empty(field: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() { Err(Error::invalid_request(field, "must not be empty")) } else { Ok(()) }
}

/// Fails naming `field` unless `value` is exactly `n` ASCII digits.
pub(crate) fn check_digits(field: &'static str, value: &str, n: usize) -> Result<()> {
    if is_digits(value, n) { Ok(()) } else { Err(Error::invalid_request(field, format!("must be exactly {n} digits"))) }
}

/// A digit string sent as the JSON number the vendor shows (OTPs and PINs are numbers in its examples), or
/// as a string when a leading zero would otherwise be lost.
pub(crate) fn digits_value(digits: &str) -> Value {
    if digits.starts_with('0') {
        return Value::String(digits.to_owned());
    }
    digits.parse::<u64>().map_or_else(|_| Value::String(digits.to_owned()), |n| Value::Number(n.into()))
}

/// `true`/`false`, `"true"`/`"false"`, `1`/`0` or `null` (card activation answers `active: "true"`, a string).
pub(crate) fn opt_bool_like<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<bool>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        Some(Value::Number(n)) => n.as_i64().map(|i| i != 0),
        _ => None,
    })
}

/// A number or a numeric string as `f64`; anything else (or nothing) is `None`.
pub(crate) fn opt_amount<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<f64>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Writes `Some("[REDACTED]")`/`None` for an optional PHI field in a `Debug` impl.
pub(crate) fn redact<T>(v: Option<&T>) -> Option<&'static str> {
    v.map(|_| "[REDACTED]")
}

/// A card number as `Debug` shows it: only its last four characters (`…5678`), like a payment card.
pub(crate) fn masked_card(card: &str) -> String {
    let tail: String = card.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    if card.chars().count() <= 4 { "[REDACTED]".to_owned() } else { format!("…{tail}") }
}

/// The keys of an extra map, for `Debug` (values may be patient data).
pub(crate) fn keys(map: &serde_json::Map<String, Value>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(is_health_id("HID-NHG869UP"));
        assert!(!is_health_id("HID-NHG869U"));
        assert!(!is_health_id("hid-NHG869UP"));
        assert!(!is_health_id("HID-NHG869U!"));
        assert!(is_digits("12345678901", 11));
        assert!(!is_digits("1234567890a", 11));
        assert_eq!(digits_value("123456"), serde_json::json!(123_456));
        assert_eq!(digits_value("012345"), serde_json::json!("012345"));
    }
}
