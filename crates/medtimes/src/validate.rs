//! Client-side validation helpers. Errors name the field and the reason, never the value.

use std::borrow::Cow;

use carewire_core::{Error, Result};

/// Fails when `value` is empty or only whitespace.
pub(crate) fn non_empty(field: impl Into<Cow<'static, str>>, value: &str) -> Result<()> {
    if value.trim().is_empty() { Err(Error::invalid_request(field, "must not be empty")) } else { Ok(()) }
}

/// Whether `code` looks like an ICD-10 code: a letter, two digits, then optionally `.` and one to four
/// letters or digits (`J20`, `J20.9`, `S52.521A`, `J209`).
pub(crate) fn is_icd10(code: &str) -> bool {
    let bytes = code.as_bytes();
    let [letter, d1, d2, rest @ ..] = bytes else {
        return false;
    };
    if !letter.is_ascii_alphabetic() || !d1.is_ascii_digit() || !d2.is_ascii_digit() {
        return false;
    }
    let tail = rest.strip_prefix(b".").unwrap_or(rest);
    if rest.first() == Some(&b'.') && tail.is_empty() {
        return false;
    }
    tail.len() <= 4 && tail.iter().all(u8::is_ascii_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icd10_format() {
        for ok in ["J20.9", "J20", "J209", "S52.521A", "z99.89", "A00.0", "M54.5"] {
            assert!(is_icd10(ok), "{ok}");
        }
        for bad in
            ["", "J2", "J2.9", "20.9", "JJ0.9", "J20.", "J20.12345", "J20.9 ", " J20.9", "J20-9", "J20..9", "Ü20"]
        {
            assert!(!is_icd10(bad), "{bad}");
        }
    }

    #[test]
    fn non_empty_names_field() {
        let err = non_empty("patient_id", "  ").unwrap_err();
        assert_eq!(err.to_string(), "invalid request: `patient_id` must not be empty");
        assert!(non_empty("patient_id", "usr_1").is_ok());
    }
}
