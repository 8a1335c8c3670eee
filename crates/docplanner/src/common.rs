//! Shared pieces: the call context, typed `with` extensions, collections, open enums and date helpers.

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use carewire_core::{Method, Request, Response, Result, Transport};
use chrono::{DateTime, FixedOffset, SecondsFormat};
use futures_util::future::BoxFuture;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Deserializer, Serializer};

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

/// The state every handler shares: the transport and how `with` is encoded. Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    pub(crate) transport: Transport,
    pub(crate) with_encoding: WithEncoding,
}

impl Ctx {
    /// Sends `req` and decodes the body into `T`.
    pub(crate) async fn send<T: DeserializeOwned>(&self, req: Request) -> Result<T> {
        self.transport.send(req).await
    }

    /// Sends `req` and ignores whatever 2xx body comes back (empty, `{}` or anything else).
    pub(crate) async fn send_unit(&self, req: Request) -> Result<()> {
        self.transport.send::<IgnoredAny>(req).await.map(|_| ())
    }

    /// A [`Call`] for `req`, typed by its output and the extensions it accepts.
    pub(crate) fn call<T, W>(&self, req: Request) -> Call<T, W> {
        Call { ctx: self.clone(), req, with: Vec::new(), _out: PhantomData }
    }
}

/// A `with` extension an endpoint accepts.
///
/// Each endpoint has its own enum ([`DoctorWith`](crate::DoctorWith), [`BookingsWith`](crate::BookingsWith),
/// ...), so the values another endpoint documents do not compile there. Every such enum also has an
/// `Other(&'static str)` variant for a value this version of the SDK does not list yet (Docplanner adds
/// extensions in minor API versions): it goes into the same single `with` parameter as the typed ones, in
/// the client's [`WithEncoding`], deduplicated with them. ([`NoExtension`], the enum of endpoints that
/// document no extension, has no values at all.)
///
/// ```
/// use carewire_docplanner::{DoctorWith, Extension};
///
/// assert_eq!(DoctorWith::Addresses.as_str(), "doctor.addresses");
/// assert_eq!(DoctorWith::Other("doctor.new_extension").as_str(), "doctor.new_extension");
/// ```
pub trait Extension: Copy + Send + Sync + fmt::Debug + 'static {
    /// The value sent on the wire, such as `"doctor.addresses"`.
    ///
    /// ```
    /// use carewire_docplanner::{BookingWith, Extension};
    ///
    /// assert_eq!(BookingWith::Moving.as_str(), "booking.moving");
    /// ```
    fn as_str(self) -> &'static str;
}

/// The extensions of an endpoint that takes none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoExtension {}

impl Extension for NoExtension {
    fn as_str(self) -> &'static str {
        match self {}
    }
}

/// Adds the `with` values (deduplicated, in order) to `req` in the chosen encoding.
pub(crate) fn apply_with<W: Extension>(req: Request, encoding: WithEncoding, with: &[W]) -> Request {
    let mut values: Vec<&'static str> = Vec::with_capacity(with.len());
    for w in with {
        let v = w.as_str();
        if !values.contains(&v) {
            values.push(v);
        }
    }
    match encoding {
        WithEncoding::CommaSeparated => req.query_csv("with", values),
        WithEncoding::RepeatedBrackets => req.query_repeated("with[]", values),
    }
}

/// A call with optional `with` extensions. `.await` it (or call [`Call::send`]).
///
/// `T` is what it returns; `W` is the extension enum the endpoint accepts. Every `with` value, typed or
/// `Other(..)`, ends up in one `with` parameter (see [`Extension`]).
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T, W = NoExtension> {
    pub(crate) ctx: Ctx,
    pub(crate) req: Request,
    pub(crate) with: Vec<W>,
    _out: PhantomData<fn() -> T>,
}

impl<T, W: fmt::Debug> fmt::Debug for Call<T, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").field("request", &self.req).field("with", &self.with).finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static, W: Extension> Call<T, W> {
    /// Asks for an extension (`with=...`).
    pub fn with(mut self, extension: W) -> Self {
        self.with.push(extension);
        self
    }

    /// Asks for several extensions.
    pub fn with_all(mut self, extensions: impl IntoIterator<Item = W>) -> Self {
        self.with.extend(extensions);
        self
    }

    /// Adds a query parameter the docs do not list (escape hatch).
    pub fn query(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.req = self.req.query(key, value);
        self
    }

    /// The request this call will send (with its extensions applied).
    pub fn into_request(self) -> Request {
        apply_with(self.req, self.ctx.with_encoding, &self.with)
    }

    /// Sends the call.
    pub async fn send(self) -> Result<T> {
        let ctx = self.ctx.clone();
        ctx.send(self.into_request()).await
    }

    /// Sends the call and returns the body with status, request id and rate-limit headers.
    pub async fn send_with_meta(self) -> Result<Response<T>> {
        let ctx = self.ctx.clone();
        ctx.transport.send_with_meta(self.into_request()).await
    }
}

impl<T: DeserializeOwned + Send + 'static, W: Extension> IntoFuture for Call<T, W> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'static, Result<T>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Defines the enum of the `with` values one endpoint accepts: the documented ones, plus `Other(&'static str)`
/// for a value the SDK does not list yet.
macro_rules! extensions {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $value:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of the SDK does not list yet, sent as given in the same `with` parameter
            /// as the others (for example an extension of a newer API version).
            Other(&'static str),
        }

        impl $crate::common::Extension for $name {
            fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $value,)+
                    Self::Other(value) => value,
                }
            }
        }
    };
}
pub(crate) use extensions;

/// Defines an open string enum: known values (matched case-insensitively) plus `Unknown(String)`, with
/// (de)serialization as the string.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $value:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of the SDK does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)+
                    Self::Unknown(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $(if s.eq_ignore_ascii_case($value) {
                    return Self::$variant;
                })+
                Self::Unknown(s.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = carewire_core::de::string_or_number(d)?;
                Ok(Self::from(s.as_str()))
            }
        }
    };
}
pub(crate) use open_enum;

/// Adds `.extra(key, value)` to a request type with an `extra: Extra` field.
macro_rules! extra_setter {
    ($name:ident) => {
        impl $name {
            /// Adds a field the docs do not list. It is sent as given, beside the typed fields.
            pub fn extra(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
                self.extra.insert(key.into(), value.into());
                self
            }
        }
    };
}
pub(crate) use extra_setter;

/// A Docplanner collection: `{"_items": [...]}`, with the pagination fields when the endpoint pages.
///
/// `_items` is what makes an answer a list, so it is required: a list call answered `{}` (or `_items: null`)
/// is `Error::Decode`, not an empty list. An empty list is `{"_items": []}`. A collection nested in a
/// resource (`doctor.specializations`, `facility.doctors`) is optional instead, and reads `{}` as empty.
#[derive(Clone, Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
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

/// The three ids of an address path, shared by every address-level handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AddressPath {
    pub(crate) facility_id: String,
    pub(crate) doctor_id: String,
    pub(crate) address_id: String,
}

/// The address path template, followed by `$rest`.
macro_rules! fda {
    ($rest:literal) => {
        concat!("/facilities/{facility_id}/doctors/{doctor_id}/addresses/{address_id}", $rest)
    };
}
pub(crate) use fda;

impl AddressPath {
    /// A request on `template` (built with [`fda!`]) with the three ids filled in.
    pub(crate) fn req(&self, method: Method, template: &'static str, operation: &'static str) -> Request {
        Request::new(method, template)
            .operation(operation)
            .path_param("facility_id", &self.facility_id)
            .path_param("doctor_id", &self.doctor_id)
            .path_param("address_id", &self.address_id)
    }
}

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
        extensions! {
            /// Test extensions.
            TestWith {
                /// `a.one`.
                One => "a.one",
            }
        }
        let req = apply_with(
            Request::get("/x"),
            WithEncoding::CommaSeparated,
            &[TestWith::One, TestWith::Other("a.two"), TestWith::Other("a.one")],
        );
        let pairs: Vec<(&str, &str)> = req.query_pairs().collect();
        assert_eq!(pairs, [("with", "a.one,a.two")]);
        assert_eq!(TestWith::Other("a.two").as_str(), "a.two");
    }
}
