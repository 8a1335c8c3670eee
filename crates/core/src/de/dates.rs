//! Date-times: `parse_datetime` and `parse_date` for every layout the vendors print, the raw-keeping
//! [`LenientDateTime`], and `unix_seconds` / `opt_unix_seconds` for epoch seconds.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use super::lenient::{Lenient, lenient, opt_lenient, render_f64, value_error};

// ---------------------------------------------------------------------------------------------------------
// Date-times

/// Splits `text` into unix seconds and nanoseconds when it is an optionally signed decimal number of seconds
/// (`1713110400`, `"1509727623.5845659"`); fraction digits beyond nanoseconds are truncated.
fn parse_unix_parts(text: &str) -> Option<(i64, u32)> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if whole.is_empty()
        || whole.len() > 18
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let secs: i64 = whole.parse().ok()?;
    let mut nanos: u32 = 0;
    for digit in fraction.bytes().chain(std::iter::repeat(b'0')).take(9) {
        nanos = nanos * 10 + u32::from(digit - b'0');
    }
    if !negative {
        Some((secs, nanos))
    } else if nanos == 0 {
        Some((-secs, 0))
    } else {
        Some((-secs - 1, 1_000_000_000 - nanos))
    }
}

pub(super) fn unix_from_str(text: &str) -> Option<DateTime<Utc>> {
    let (secs, nanos) = parse_unix_parts(text.trim())?;
    DateTime::from_timestamp(secs, nanos)
}

fn unix_from_f64(v: f64) -> Option<DateTime<Utc>> {
    if !v.is_finite() || !(-1e17..1e17).contains(&v) {
        return None;
    }
    let secs = v.floor();
    let nanos = (((v - secs) * 1e9).round() as u32).min(999_999_999);
    DateTime::from_timestamp(secs as i64, nanos)
}

/// Date-time layouts with an explicit offset, tried after RFC 3339.
const OFFSET_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f %z", // 2017-12-15 08:27:33 -0500
    "%Y-%m-%d %H:%M:%S%.f%z",  // 2017-12-15 08:27:33-0500
    "%Y-%m-%dT%H:%M:%S%.f%z",  // 2017-12-15T08:27:33-0500
];

/// Date-time layouts without an offset, read as UTC.
const NAIVE_FORMATS: &[&str] = &["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"];

/// Offsets (hours east of UTC) of the zone abbreviations US vendors print in human-readable dates.
fn us_zone_offset_hours(abbreviation: &str) -> Option<i32> {
    let hours = match abbreviation.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "Z" => 0,
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" | "AKDT" => -8,
        "AKST" => -9,
        "HST" => -10,
        _ => return None,
    };
    Some(hours)
}

/// MDLIVE's human format: `Wednesday, Aug 07 2019 at 03:00PM EDT`.
fn parse_us_human(text: &str) -> Option<DateTime<FixedOffset>> {
    let (local, zone) = text.rsplit_once(' ')?;
    let offset = FixedOffset::east_opt(us_zone_offset_hours(zone)? * 3600)?;
    let naive = NaiveDateTime::parse_from_str(local, "%A, %b %d %Y at %I:%M%p").ok()?;
    offset.from_local_datetime(&naive).single()
}

/// Parses a date-time in any of the formats the vendors print, or returns `None` (never panics).
///
/// Accepted, in order:
/// - RFC 3339 with `Z` or an offset and 0–9 fraction digits: `2024-01-15T10:30:00Z`,
///   `2025-07-16T10:07:20.413641+00:00`, `2025-08-22T00:00:00.000Z`, `2018-01-10T15:00:00.000-05:00`;
/// - an offset without a colon, after a space or not: `2017-12-15 08:27:33 -0500`;
/// - no offset, read as UTC: `2017-12-15 08:27:33`, `2017-12-15T08:27:33`, with optional fraction, or
///   without seconds;
/// - unix seconds as a decimal string, with an optional fraction: `1713110400`, `1509727623.5845659`
///   (seconds, never milliseconds);
/// - RFC 2822: `Tue, 1 Jul 2003 10:52:37 +0200`;
/// - MDLIVE's human format with a US zone abbreviation: `Wednesday, Aug 07 2019 at 03:00PM EDT`.
///
/// Date-only strings give `None`; use [`parse_date`]. Truncated placeholders such as `2025-07-18T09..` give
/// `None`.
///
/// # Examples
///
/// ```
/// use carewire_core::de::parse_datetime;
///
/// let dt = parse_datetime("2017-12-15 08:27:33 -0500").unwrap();
/// assert_eq!(dt.to_rfc3339(), "2017-12-15T08:27:33-05:00");
/// assert_eq!(parse_datetime("1713110400").unwrap().timestamp(), 1_713_110_400);
/// assert_eq!(parse_datetime("2025-07-18T09.."), None);
/// ```
pub fn parse_datetime(input: &str) -> Option<DateTime<FixedOffset>> {
    let text = input.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt);
    }
    for format in OFFSET_FORMATS {
        if let Ok(dt) = DateTime::parse_from_str(text, format) {
            return Some(dt);
        }
    }
    for format in NAIVE_FORMATS {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(naive.and_utc().fixed_offset());
        }
    }
    if let Some(dt) = unix_from_str(text) {
        return Some(dt.fixed_offset());
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(text) {
        return Some(dt);
    }
    parse_us_human(text)
}

/// Calendar date layouts accepted by [`parse_date`]: (format, separator, whether the year comes first).
const DATE_FORMATS: &[(&str, char, bool)] = &[
    ("%Y-%m-%d", '-', true),  // 2018-01-15
    ("%m/%d/%Y", '/', false), // 9/19/2016 (US)
    ("%d.%m.%Y", '.', false), // 15.05.2021
];

/// Parses a calendar date, or returns `None` (never panics).
///
/// Accepted: ISO `2018-01-15`; US `9/19/2016` and `09/19/2016` (month first); `15.05.2021` (day first, dots);
/// and any date-time [`parse_datetime`] accepts that has a time part, giving the date in its own offset.
/// Ambiguous or partial forms (`18/25`, `18-12-20`) give `None`.
///
/// # Examples
///
/// ```
/// use carewire_core::de::parse_date;
/// use chrono::NaiveDate;
///
/// assert_eq!(parse_date("9/19/2016"), NaiveDate::from_ymd_opt(2016, 9, 19));
/// assert_eq!(parse_date("2018-01-15"), NaiveDate::from_ymd_opt(2018, 1, 15));
/// assert_eq!(parse_date("18/25"), None);
/// ```
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let text = input.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    for &(format, separator, year_first) in DATE_FORMATS {
        // chrono's `%Y` also takes short years ("18-12-20" would be year 18): insist on four digits.
        let year = if year_first { text.split(separator).next() } else { text.rsplit(separator).next() };
        if year.is_none_or(|year| year.len() != 4) {
            continue;
        }
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Some(date);
        }
    }
    if text.contains(':') {
        return parse_datetime(text).map(|dt| dt.date_naive());
    }
    None
}

/// A date-time field kept exactly as the vendor sent it, parsed on demand.
///
/// Decoding never fails on the content: any string is kept, and a number is kept as its JSON text, so a
/// truncated doc placeholder (`"2025-07-18T09.."`) or a human format does not break the whole response.
/// Call [`LenientDateTime::parse`] for a typed value. Serializes back as a string.
///
/// # Examples
///
/// ```
/// use carewire_core::de::LenientDateTime;
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Record {
///     date: LenientDateTime,
/// }
///
/// let ok: Record = serde_json::from_str(r#"{"date": "2025-08-22T00:00:00.000Z"}"#)?;
/// assert_eq!(ok.date.parse().map(|d| d.timestamp()), Some(1_755_820_800));
/// let placeholder: Record = serde_json::from_str(r#"{"date": "2025-07-19T18.."}"#)?;
/// assert_eq!(placeholder.date.raw(), "2025-07-19T18..");
/// assert_eq!(placeholder.date.parse(), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct LenientDateTime(String);

impl LenientDateTime {
    /// Wraps a raw date-time text.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::de::LenientDateTime;
    ///
    /// assert_eq!(LenientDateTime::new("2024-01-15T10:30:00Z").raw(), "2024-01-15T10:30:00Z");
    /// ```
    pub fn new(raw: impl Into<String>) -> Self {
        Self(raw.into())
    }

    /// The text as received (a number is rendered as its JSON text).
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::de::LenientDateTime;
    ///
    /// let dt: LenientDateTime = serde_json::from_str("1740075551")?;
    /// assert_eq!(dt.raw(), "1740075551");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn raw(&self) -> &str {
        &self.0
    }

    /// The raw text, by value.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::de::LenientDateTime;
    ///
    /// assert_eq!(LenientDateTime::new("18/25").into_raw(), "18/25");
    /// ```
    pub fn into_raw(self) -> String {
        self.0
    }

    /// Parses the text with [`parse_datetime`]; `None` if no known format matches.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::de::LenientDateTime;
    ///
    /// let dt = LenientDateTime::new("2019-08-07T15:00:00-04:00");
    /// assert_eq!(dt.parse().map(|d| d.timestamp()), Some(1_565_204_400));
    /// assert_eq!(LenientDateTime::new("2025-08-22T00:00:..").parse(), None);
    /// ```
    pub fn parse(&self) -> Option<DateTime<FixedOffset>> {
        parse_datetime(&self.0)
    }

    /// Parses the text with [`parse_date`] (a plain date, or the date part of a date-time).
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::de::LenientDateTime;
    /// use chrono::NaiveDate;
    ///
    /// assert_eq!(LenientDateTime::new("2025-01-01").parse_date(), NaiveDate::from_ymd_opt(2025, 1, 1));
    /// ```
    pub fn parse_date(&self) -> Option<NaiveDate> {
        parse_date(&self.0)
    }
}

impl fmt::Display for LenientDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for LenientDateTime {
    fn from(raw: String) -> Self {
        Self(raw)
    }
}

impl From<&str> for LenientDateTime {
    fn from(raw: &str) -> Self {
        Self(raw.to_owned())
    }
}

impl Lenient for LenientDateTime {
    const EXPECTING: &'static str = "a date-time string or number";

    fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
        Ok(Self(v.to_owned()))
    }

    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        Ok(Self(v.to_string()))
    }

    fn from_u64<E: de::Error>(v: u64) -> Result<Self, E> {
        Ok(Self(v.to_string()))
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        Ok(Self(render_f64(v)))
    }
}

impl<'de> Deserialize<'de> for LenientDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        lenient(deserializer)
    }
}

impl Serialize for LenientDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl Lenient for DateTime<Utc> {
    const EXPECTING: &'static str = "unix seconds as an integer, a float or a numeric string, or an RFC 3339 date-time";

    fn from_str<E: de::Error>(v: &str) -> Result<Self, E> {
        // RFC 3339 too: what a model serializes back to (`chrono`'s format), so a model round-trips.
        unix_from_str(v)
            .or_else(|| DateTime::parse_from_rfc3339(v.trim()).ok().map(|d| d.with_timezone(&Utc)))
            .ok_or_else(|| value_error("non-numeric or out-of-range string", &Self::EXPECTING))
    }

    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        DateTime::from_timestamp(v, 0).ok_or_else(|| value_error("out-of-range integer", &Self::EXPECTING))
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        unix_from_f64(v).ok_or_else(|| value_error("out-of-range number", &Self::EXPECTING))
    }
}

/// Deserializes a `DateTime<Utc>` from unix seconds given as an integer (`1740075551`), a float
/// (`1509727623.58`) or a numeric string (`"1509727623.5845659"`), or from an RFC 3339 string (what `chrono`
/// serializes, so that a model decoded from the vendor decodes again from its own JSON).
///
/// # Examples
///
/// ```
/// use chrono::{DateTime, Utc};
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Consult {
///     #[serde(deserialize_with = "carewire_core::de::unix_seconds")]
///     expires_at: DateTime<Utc>,
/// }
///
/// let c: Consult = serde_json::from_str(r#"{"expires_at": 1740075551}"#)?;
/// assert_eq!(c.expires_at.to_rfc3339(), "2025-02-20T18:19:11+00:00");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn unix_seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    lenient(deserializer)
}

/// Like [`unix_seconds`], but `null`, a blank string, or (with `#[serde(default)]`) a missing field give `None`.
///
/// # Examples
///
/// ```
/// use chrono::{DateTime, Utc};
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Consult {
///     #[serde(default, deserialize_with = "carewire_core::de::opt_unix_seconds")]
///     expires_at: Option<DateTime<Utc>>,
/// }
///
/// assert!(serde_json::from_str::<Consult>("{}")?.expires_at.is_none());
/// assert!(serde_json::from_str::<Consult>(r#"{"expires_at": "1713110400"}"#)?.expires_at.is_some());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn opt_unix_seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    opt_lenient(deserializer)
}
