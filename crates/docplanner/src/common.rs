//! Shared pieces: typed `with` extensions, the address path and the other path values, collections, lenient
//! field readers and date helpers.

use std::fmt;

use carewire_core::operation::{Encodings, ListEncoding, Spec};
use carewire_core::redact::Keys;
use carewire_core::{RawResponse, Request, Result};
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A JSON object: the `extra` fields of every model and request.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// How `with` extensions are put in the query string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WithEncoding {
    /// One parameter, values joined by commas: `?with=doctor.addresses%2Caddress.online_only`. This is what
    /// Docplanner's official SDK sends (the default).
    #[default]
    CommaSeparated,
    /// One `with[]` parameter per value: `?with[]=doctor.addresses&with[]=address.online_only` (PHP array
    /// style, also accepted by the API).
    RepeatedBrackets,
}

impl WithEncoding {
    /// Core's list encoding for this choice (what [`ClientBuilder::build`](crate::ClientBuilder::build) sets
    /// on the transport).
    pub(crate) fn lists(self) -> ListEncoding {
        match self {
            Self::CommaSeparated => ListEncoding::CommaSeparated,
            Self::RepeatedBrackets => ListEncoding::RepeatedBrackets,
        }
    }
}

/// A `with` extension an endpoint accepts.
///
/// Each operation that accepts extensions has its own enum ([`DoctorWith`](crate::DoctorWith),
/// [`BookingsWith`](crate::BookingsWith), ...) as its [`Expandable::Expansion`], so the values another endpoint
/// documents do not compile there, and `.with(..)` does not exist on calls of endpoints that document none.
/// Every such enum also has an `Other(&'static str)` variant for a value this version of the SDK does not list
/// yet (Docplanner adds extensions in minor API versions): it goes into the same single `with` parameter as the
/// typed ones, in the client's [`WithEncoding`], deduplicated with them.
///
/// [`Expandable::Expansion`]: carewire_core::operation::Expandable::Expansion
///
/// ```
/// use carewire::docplanner::{DoctorWith, Extension};
///
/// assert_eq!(DoctorWith::Addresses.as_str(), "doctor.addresses");
/// assert_eq!(DoctorWith::Other("doctor.new_extension").as_str(), "doctor.new_extension");
/// ```
pub trait Extension: Copy + Send + Sync + fmt::Debug + 'static {
    /// The value sent on the wire, such as `"doctor.addresses"`.
    ///
    /// ```
    /// use carewire::docplanner::{BookingWith, Extension};
    ///
    /// assert_eq!(BookingWith::Moving.as_str(), "booking.moving");
    /// ```
    fn as_str(self) -> &'static str;
}

/// The `with` values an operation was asked for: deduplicated (by wire value), in order.
#[derive(Clone, Debug)]
pub(crate) struct With<W>(Vec<W>);

impl<W> Default for With<W> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<W: Extension> With<W> {
    /// Adds a value unless an equal one (typed or `Other`) is there already.
    pub(crate) fn push(&mut self, extension: W) {
        if !self.0.iter().any(|w| w.as_str() == extension.as_str()) {
            self.0.push(extension);
        }
    }

    /// `req` with the one `with` parameter, in the client's list encoding (nothing when empty).
    pub(crate) fn apply(&self, req: Request, enc: Encodings) -> Request {
        enc.list(req, "with", self.0.iter().map(|w| w.as_str()))
    }
}

/// Decodes the answer of an operation that returns nothing: any 2xx body (empty, `{}`, stray JSON) is fine.
pub(crate) fn unit(raw: &RawResponse) -> Result<()> {
    raw.json::<IgnoredAny>().map(drop)
}

/// A Docplanner collection: `{"_items": [...]}`, with the pagination fields when the endpoint pages.
///
/// `_items` is what makes an answer a list, so it is required: a list call answered `{}` (or `_items: null`)
/// is `Error::Decode`, not an empty list. An empty list is `{"_items": []}`. A collection nested in a
/// resource (`doctor.specializations`, `facility.doctors`) is optional instead, and reads `{}` as empty.
///
/// It serializes back to the same shape (`_items` and the pagination fields), and its `Debug` shows the items
/// (each with its own redacting `Debug`), the pagination fields and only the keys of `extra`.
#[derive(Clone, PartialEq, Deserialize, Serialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>", serialize = "T: Serialize"))]
#[non_exhaustive]
pub struct Collection<T> {
    /// The items.
    #[serde(rename = "_items")]
    pub items: Vec<T>,
    /// The current page (paginated responses only).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub page: Option<i64>,
    /// Items per page (paginated responses only).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub limit: Option<i64>,
    /// The number of pages (paginated responses only).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub pages: Option<i64>,
    /// The number of items across all pages (paginated responses only).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub total: Option<i64>,
    /// Anything else the API sent (`_links`, `_embedded`, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

impl<T> Collection<T> {
    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// Iterates over the items.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
    /// The items.
    pub fn into_vec(self) -> Vec<T> {
        self.items
    }
}

// Written out because the struct is generic: `redacted_debug!` takes lifetimes only.
impl<T: fmt::Debug> fmt::Debug for Collection<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Collection")
            .field("items", &self.items)
            .field("page", &self.page)
            .field("limit", &self.limit)
            .field("pages", &self.pages)
            .field("total", &self.total)
            .field("extra", &Keys(&self.extra))
            .finish()
    }
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Self { items: Vec::new(), page: None, limit: None, pages: None, total: None, extra: Extra::new() }
    }
}

impl<T> IntoIterator for Collection<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Collection<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// A collection nested in a resource, asked for with a `with` extension: optional (`null` or absent is
/// `None`), and a collection without `_items` (`{}`) is empty rather than an error: the resource around it is
/// what the answer identifies. A bare JSON array is read as the collection's items (some examples print
/// nested lists without the `_items` wrapper).
pub(crate) fn opt_nested<'de, D, T>(d: D) -> std::result::Result<Option<Collection<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    use serde::de::Error as _;
    let Some(value) = Option::<serde_json::Value>::deserialize(d)? else {
        return Ok(None);
    };
    nested_from_value(value).map(Some).map_err(D::Error::custom)
}

/// [`opt_nested`] on a value already read.
pub(crate) fn nested_from_value<T: DeserializeOwned>(
    mut value: serde_json::Value,
) -> std::result::Result<Collection<T>, serde_json::Error> {
    if let serde_json::Value::Array(items) = value {
        let mut map = Extra::new();
        map.insert("_items".to_owned(), serde_json::Value::Array(items));
        value = serde_json::Value::Object(map);
    }
    if let serde_json::Value::Object(map) = &mut value
        && map.get("_items").is_none_or(serde_json::Value::is_null)
    {
        map.insert("_items".to_owned(), serde_json::Value::Array(Vec::new()));
    }
    Collection::<T>::deserialize(value)
}

/// An optional id: a string or a number; `null`, missing and blank are `None` (never `Some("")`).
pub(crate) fn opt_id<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Ok(carewire_core::de::opt_string_or_number(d)?.filter(|s| !s.trim().is_empty()))
}

/// An optional boolean that never fails its parent: `true`/`false`, `1`/`0` and their string forms
/// (`"true"`, `"1"`, ...) are read; `null`, `""`, a missing key and any other value are `None`. Used for
/// flags where one odd value must not cost the whole booking (or turn a notification into `Unknown`).
pub(crate) fn tolerant_bool<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<bool>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(value.and_then(|v| carewire_core::de::opt_bool_or_int(v).ok().flatten()))
}

/// Formats a date-time the way Docplanner wants it: ISO 8601 with seconds and an explicit offset
/// (`2021-05-16T14:00:00+01:00`; UTC is `+00:00`, never `Z`).
pub fn format_datetime(dt: &DateTime<FixedOffset>) -> String {
    dt.to_rfc3339_opts(SecondsFormat::Secs, false)
}

pub(crate) fn ser_dt<S: Serializer>(dt: &DateTime<FixedOffset>, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&format_datetime(dt))
}

/// Optional date-time: `null`, missing and `""` are `None`.
pub(crate) fn opt_dt<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<DateTime<FixedOffset>>, D::Error> {
    carewire_core::de::empty_string_as_none(d)
}

/// The three ids of an address (facility, doctor, address): where every address-level operation points.
///
/// Handles build it (`client.facility("1").doctor("123").address("111")`); build one yourself to construct an
/// operation for [`Client::send`](crate::Client::send).
///
/// ```
/// use carewire::docplanner::{AddressPath, GetBooking};
///
/// let at = AddressPath::new("1", "123", "111");
/// assert_eq!(at.address_id(), "111");
/// let op = GetBooking::new(at, "2134124");
/// # let _ = op;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AddressPath {
    facility_id: String,
    doctor_id: String,
    address_id: String,
}

impl AddressPath {
    /// The address `address_id` of doctor `doctor_id` in facility `facility_id`.
    pub fn new(facility_id: impl Into<String>, doctor_id: impl Into<String>, address_id: impl Into<String>) -> Self {
        Self { facility_id: facility_id.into(), doctor_id: doctor_id.into(), address_id: address_id.into() }
    }
    /// The facility id.
    pub fn facility_id(&self) -> &str {
        &self.facility_id
    }
    /// The doctor id.
    pub fn doctor_id(&self) -> &str {
        &self.doctor_id
    }
    /// The address id.
    pub fn address_id(&self) -> &str {
        &self.address_id
    }
    /// The request of `spec` (a template built with [`fda!`]) with the three ids filled in.
    pub(crate) fn request(&self, spec: &Spec) -> Request {
        self.fill(spec.request(), "at")
    }
}

/// A value an operation fills into its path: an [`AddressPath`] its three ids, an id or a date the parameter
/// named like its field (`booking_id`, `date`: `YYYY-MM-DD`).
pub(crate) trait PathValue {
    /// `req` with this value in the path; `name` is the field's name.
    fn fill(&self, req: Request, name: &'static str) -> Request;
}

impl PathValue for AddressPath {
    fn fill(&self, req: Request, _name: &'static str) -> Request {
        req.path_param("facility_id", &self.facility_id)
            .path_param("doctor_id", &self.doctor_id)
            .path_param("address_id", &self.address_id)
    }
}

impl PathValue for String {
    fn fill(&self, req: Request, name: &'static str) -> Request {
        req.path_param(name, self)
    }
}

impl PathValue for NaiveDate {
    fn fill(&self, req: Request, name: &'static str) -> Request {
        req.path_param(name, self.format("%Y-%m-%d"))
    }
}

/// The address path template, followed by `$rest`.
macro_rules! fda {
    ($rest:literal) => {
        concat!("/facilities/{facility_id}/doctors/{doctor_id}/addresses/{address_id}", $rest)
    };
}
pub(crate) use fda;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_keep_their_offset() {
        let dt = DateTime::parse_from_rfc3339("2021-05-16T14:00:00.250+01:00").unwrap();
        assert_eq!(format_datetime(&dt), "2021-05-16T14:00:00+01:00");
        let utc = DateTime::parse_from_rfc3339("2021-05-16T13:00:00Z").unwrap();
        assert_eq!(format_datetime(&utc), "2021-05-16T13:00:00+00:00");
    }

    #[test]
    fn a_collection_requires_its_items() {
        let c: Collection<serde_json::Value> =
            serde_json::from_str(r#"{"_items": [], "page": null, "_links": {}}"#).unwrap();
        assert!(c.is_empty());
        assert!(c.extra.contains_key("_links"));
        for bad in ["{}", r#"{"page": 1, "_links": {}}"#, r#"{"_items": null}"#, r#"{"_items": {}}"#] {
            assert!(serde_json::from_str::<Collection<serde_json::Value>>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn nested_collections_are_optional_and_tolerate_missing_items() {
        #[derive(Deserialize)]
        struct Parent {
            #[serde(default, deserialize_with = "opt_nested")]
            children: Option<Collection<serde_json::Value>>,
        }
        let parse = |s: &str| serde_json::from_str::<Parent>(s).unwrap().children;
        assert!(parse("{}").is_none());
        assert!(parse(r#"{"children": null}"#).is_none());
        assert!(parse(r#"{"children": {"_links": {}}}"#).unwrap().is_empty());
        assert_eq!(parse(r#"{"children": {"_items": [1, 2]}}"#).unwrap().len(), 2);
        assert!(serde_json::from_str::<Parent>(r#"{"children": {"_items": 3}}"#).is_err());
        assert_eq!(parse(r#"{"children": [1, 2, 3]}"#).unwrap().len(), 3);
    }

    #[test]
    fn tolerant_bools_never_fail() {
        #[derive(Deserialize)]
        struct Flag {
            #[serde(default, deserialize_with = "tolerant_bool")]
            flag: Option<bool>,
        }
        let parse = |s: &str| serde_json::from_str::<Flag>(s).unwrap().flag;
        for (json, expected) in [
            (r#"{"flag": true}"#, Some(true)),
            (r#"{"flag": false}"#, Some(false)),
            (r#"{"flag": 1}"#, Some(true)),
            (r#"{"flag": 0}"#, Some(false)),
            (r#"{"flag": "true"}"#, Some(true)),
            (r#"{"flag": "false"}"#, Some(false)),
            (r#"{"flag": "1"}"#, Some(true)),
            (r#"{"flag": null}"#, None),
            (r#"{"flag": ""}"#, None),
            (r#"{"flag": "sometimes"}"#, None),
            (r#"{"flag": {"a": 1}}"#, None),
            ("{}", None),
        ] {
            assert_eq!(parse(json), expected, "{json}");
        }
    }

    #[test]
    #[allow(unreachable_pub)]
    fn other_extensions_share_the_one_with_parameter() {
        crate::macros::extensions! {
            /// Test extensions.
            TestWith {
                /// `a.one`.
                One => "a.one",
            }
        }
        let mut with = With::default();
        for w in [TestWith::One, TestWith::Other("a.two"), TestWith::Other("a.one")] {
            with.push(w);
        }
        let enc = Encodings { lists: WithEncoding::CommaSeparated.lists(), ..Encodings::default() };
        let pairs: Vec<(String, String)> =
            with.apply(Request::get("/x"), enc).query_pairs().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        assert_eq!(pairs, [("with".to_owned(), "a.one,a.two".to_owned())]);
        let enc = Encodings { lists: WithEncoding::RepeatedBrackets.lists(), ..Encodings::default() };
        let pairs: Vec<(String, String)> =
            with.apply(Request::get("/x"), enc).query_pairs().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        assert_eq!(pairs, [("with[]".to_owned(), "a.one".to_owned()), ("with[]".to_owned(), "a.two".to_owned())]);
        assert_eq!(TestWith::Other("a.two").as_str(), "a.two");
    }
}
