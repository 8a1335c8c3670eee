//! Validation helpers shared by the resource modules, and the masked card number that `Debug` shows.

use std::fmt;

use carewire_core::{Error, Result};
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

/// A card number as `Debug` shows it: only its last four characters (`…5678`), like a payment card; a
/// number of four characters or fewer is `[REDACTED]`.
pub(crate) struct MaskedCard<'a>(pub(crate) &'a str);

impl fmt::Debug for MaskedCard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.chars().count();
        if count <= 4 {
            return f.write_str("[REDACTED]");
        }
        let tail: String = self.0.chars().skip(count - 4).collect();
        write!(f, "\"…{tail}\"")
    }
}

/// An optional card number as `Debug` shows it: `None`, or `Some` of its [`MaskedCard`].
pub(crate) fn masked_opt(card: Option<&String>) -> Option<MaskedCard<'_>> {
    card.map(|c| MaskedCard(c))
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

    #[test]
    fn card_numbers_show_their_last_four() {
        assert_eq!(format!("{:?}", MaskedCard("MED-B35ZF00M")), "\"…F00M\"");
        assert_eq!(format!("{:?}", MaskedCard("1234")), "[REDACTED]");
        assert_eq!(format!("{:?}", masked_opt(Some(&"MED-12345678".to_owned()))), "Some(\"…5678\")");
    }
}
