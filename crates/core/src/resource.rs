//! What makes a 2xx body *the resource* an operation returns.
//!
//! carewire tolerates what vendors add or leave out: unknown fields (kept in `extra`), unknown enum values
//! (`Unknown(..)` variants) and missing optional members. It does not tolerate a 2xx body that is not the
//! resource at all: an HTML error page from a proxy, an empty body, bytes that are not UTF-8, or `{}`. Those
//! are [`Error::Decode`], never an `Ok` full of `None`s. The line between the two is what *identifies* the
//! resource: an object's id, a list's key (Docplanner's `_items`), an envelope's `status` or `data`. Models
//! require those members, and only those.
//!
//! In a model, a member is required by leaving out `#[serde(default)]`. The helpers here say the rest:
//!
//! - [`id`]: an identifier, a string or a number (`7` becomes `"7"`), never null or blank;
//! - [`some_id`]: the same for a field typed `Option<String>` (a type kept for compatibility): it is always
//!   `Some` once decoded, because an absent or null id fails;
//! - [`missing`]: the [`Error::Decode`] a hand-written decoder returns when a required member is absent.
//!
//! ```
//! use carewire_core::{Error, decode_json};
//!
//! #[derive(Debug, serde::Deserialize)]
//! struct Booking {
//!     #[serde(deserialize_with = "carewire_core::resource::some_id")]
//!     id: Option<String>,
//!     #[serde(default)]
//!     comment: Option<String>,
//! }
//!
//! let booking: Booking = decode_json(200, br#"{"id": 2134124}"#)?;
//! assert_eq!((booking.id.as_deref(), booking.comment), (Some("2134124"), None));
//! for body in [&b"{}"[..], b"", b"<html><body>502 Bad Gateway</body></html>", b"\xff\xfe\xfd"] {
//!     assert!(matches!(decode_json::<Booking>(200, body), Err(Error::Decode(_))));
//! }
//! # Ok::<(), Error>(())
//! ```

use serde::de::{Deserializer, Error as _};

use crate::error::{DecodeError, Error};

/// Deserializes a required identifier: a string, or a number kept as its decimal text. `null`, a blank
/// string and any other JSON type fail; with no `#[serde(default)]` on the field, so does its absence.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Card {
///     #[serde(deserialize_with = "carewire_core::resource::id")]
///     card_number: String,
/// }
///
/// assert_eq!(serde_json::from_str::<Card>(r#"{"card_number": "MED-1"}"#).unwrap().card_number, "MED-1");
/// assert!(serde_json::from_str::<Card>(r#"{"card_number": " "}"#).is_err());
/// assert!(serde_json::from_str::<Card>(r#"{"card_number": null}"#).is_err());
/// assert!(serde_json::from_str::<Card>("{}").is_err());
/// ```
pub fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let id = crate::de::string_or_number(deserializer)?;
    if id.trim().is_empty() {
        return Err(D::Error::custom("an identifier must not be blank"));
    }
    Ok(id)
}

/// [`id`] for a field typed `Option<String>`: decoding fails unless the identifier is there, so a decoded
/// value always holds `Some`.
pub fn some_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    id(deserializer).map(Some)
}

/// The [`Error::Decode`] for a 2xx answer without the required `member` at `path` (`.` for the root),
/// keeping the usual bounded snippet of `body`. The message names the member, never a value.
///
/// ```
/// let err = carewire_core::resource::missing(200, ".", "status", b"{}");
/// assert_eq!(err.decode_path(), Some("."));
/// assert!(err.to_string().contains("missing field `status`"));
/// ```
pub fn missing(status: u16, path: &str, member: &'static str, body: &[u8]) -> Error {
    let cause = serde_json::Error::missing_field(member);
    Error::Decode(Box::new(DecodeError::from_json(status, path.to_owned(), &cause, body)))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Thing {
        #[serde(deserialize_with = "id")]
        id: String,
        #[serde(default, deserialize_with = "some_id")]
        other: Option<String>,
    }

    #[test]
    fn ids_are_strings_or_numbers_and_never_blank() {
        let t: Thing = serde_json::from_str(r#"{"id": 7, "other": "x"}"#).unwrap();
        assert_eq!((t.id.as_str(), t.other.as_deref()), ("7", Some("x")));
        let t: Thing = serde_json::from_str(r#"{"id": "a"}"#).unwrap();
        assert_eq!(t.other, None, "a defaulted some_id field stays optional");
        for bad in [r#"{"id": ""}"#, r#"{"id": null}"#, r#"{"id": true}"#, r#"{"id": {}}"#, "{}"] {
            assert!(serde_json::from_str::<Thing>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Thing>(r#"{"id": "a", "other": null}"#).is_err());
    }

    #[test]
    fn missing_is_a_decode_error_naming_the_member() {
        let err = missing(201, "data", "data", b"{\"status\":200}");
        let Error::Decode(d) = &err else { panic!("{err:?}") };
        assert_eq!((d.status(), d.path(), d.reason()), (201, "data", "missing field `data`"));
        assert_eq!(d.snippet(), b"{\"status\":200}");
    }
}
