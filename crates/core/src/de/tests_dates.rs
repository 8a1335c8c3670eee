//! Unit tests of `de`'s dates: `parse_datetime`, `parse_date`, `LenientDateTime`, `unix_seconds`.
use super::tests::assert_err_without;
use super::*;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

fn utc(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap()
}

// --- parse_datetime / parse_date --------------------------------------------------------------------------

#[test]
fn parse_datetime_rfc3339_variants() {
    let cases = [
        // Healthstack: Z, 6 and 5 fraction digits, .000Z.
        ("2024-01-15T10:30:00Z", "2024-01-15T10:30:00+00:00", 0),
        ("2025-07-16T10:07:20.413641+00:00", "2025-07-16T10:07:20+00:00", 413_641_000),
        ("2025-07-22T11:32:02.12345+00:00", "2025-07-22T11:32:02+00:00", 123_450_000),
        ("2025-08-22T00:00:00.000Z", "2025-08-22T00:00:00+00:00", 0),
        // MDLIVE: millis with offset, plain offset.
        ("2018-01-10T15:00:00.000-05:00", "2018-01-10T20:00:00+00:00", 0),
        ("2019-08-07T15:00:00-04:00", "2019-08-07T19:00:00+00:00", 0),
        ("2018-01-23T02:33:13+00:00", "2018-01-23T02:33:13+00:00", 0),
        // Docplanner: ATOM with offset.
        ("2021-05-16T14:00:00+01:00", "2021-05-16T13:00:00+00:00", 0),
        // 9 fraction digits, lowercase separators.
        ("2024-01-15t10:30:00.123456789z", "2024-01-15T10:30:00+00:00", 123_456_789),
    ];
    for (text, instant, nanos) in cases {
        let dt = parse_datetime(text).unwrap_or_else(|| panic!("{text}"));
        assert_eq!(dt, utc(instant).with_nanosecond_checked(nanos), "{text}");
    }
    // The offset is kept.
    assert_eq!(parse_datetime("2018-01-10T15:00:00.000-05:00").unwrap().offset().local_minus_utc(), -5 * 3600);
}

trait WithNanos {
    fn with_nanosecond_checked(self, nanos: u32) -> Self;
}

impl WithNanos for DateTime<FixedOffset> {
    fn with_nanosecond_checked(self, nanos: u32) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(nanos).unwrap()
    }
}

#[test]
fn parse_datetime_other_formats() {
    // MDLIVE user_status.updated_at.
    let dt = parse_datetime("2017-12-15 08:27:33 -0500").unwrap();
    assert_eq!(dt, utc("2017-12-15T13:27:33Z"));
    assert_eq!(dt.offset().local_minus_utc(), -5 * 3600);
    assert_eq!(parse_datetime("2017-12-15T08:27:33-0500").unwrap(), utc("2017-12-15T13:27:33Z"));
    // Naive forms are UTC.
    for text in ["2017-12-15 08:27:33", "2017-12-15T08:27:33", " 2017-12-15T08:27:33 "] {
        assert_eq!(parse_datetime(text).unwrap(), utc("2017-12-15T08:27:33Z"), "{text}");
    }
    assert_eq!(parse_datetime("2017-12-15 08:27").unwrap(), utc("2017-12-15T08:27:00Z"));
    assert_eq!(parse_datetime("2017-12-15T08:27:33.250").unwrap(), utc("2017-12-15T08:27:33.250Z"));
    // Unix seconds, integer and float strings (MDLIVE request_timestamp).
    assert_eq!(parse_datetime("1713110400").unwrap(), utc("2024-04-14T16:00:00Z"));
    let dt = parse_datetime("1509727623.5845659").unwrap();
    assert_eq!(dt.timestamp(), 1_509_727_623);
    assert_eq!(dt.timestamp_subsec_nanos(), 584_565_900);
    assert_eq!(parse_datetime("-1.5").unwrap().timestamp_millis(), -1_500);
    // Fraction digits beyond nanoseconds are truncated.
    assert_eq!(
        parse_datetime("2025-07-16T10:07:20.1234567890123+00:00").map(|d| d.timestamp_subsec_nanos()),
        Some(123_456_789)
    );
    // RFC 2822.
    assert_eq!(parse_datetime("Tue, 1 Jul 2003 10:52:37 +0200").unwrap(), utc("2003-07-01T08:52:37Z"));
    // MDLIVE human start_date agrees with its start_date_rfc3339 sibling.
    assert_eq!(parse_datetime("Wednesday, Aug 07 2019 at 03:00PM EDT"), parse_datetime("2019-08-07T15:00:00-04:00"));
    assert_eq!(parse_datetime("Wednesday, Aug 07 2019 at 03:00PM XYZ"), None);
}

#[test]
fn parse_datetime_garbage_is_none() {
    let long = "9".repeat(500);
    let garbage = [
        "",
        "   ",
        "2025-07-18T09..",
        "2025-08-22T00:00:..",
        "2025-07-19T18..",
        "2025-13-01T00:00:00Z",
        "2025-02-30T00:00:00Z",
        "2018-01-15",
        "18/25",
        "1e9",
        ".",
        "-",
        "+",
        "1.2.3",
        "99999999999999999",
        "999999999999999999",
        "-999999999999999999",
        long.as_str(),
        "Wednesday, Aug 07 2019 at",
        "Thursday, Aug 07 2019 at 03:00PM EDT",
        "é€😀",
        "2025-07-16T10:07:20.413641+99:00",
    ];
    for text in garbage {
        assert_eq!(parse_datetime(text), None, "{text:?}");
    }
}

#[test]
fn parse_date_formats() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
    assert_eq!(parse_date("2018-01-15"), d(2018, 1, 15));
    assert_eq!(parse_date(" 1960-12-31 "), d(1960, 12, 31));
    assert_eq!(parse_date("9/19/2016"), d(2016, 9, 19));
    assert_eq!(parse_date("09/19/2016"), d(2016, 9, 19));
    assert_eq!(parse_date("15.05.2021"), d(2021, 5, 15));
    assert_eq!(parse_date("2018-01-10T15:00:00.000-05:00"), d(2018, 1, 10));
    assert_eq!(parse_date("2017-12-15 08:27:33 -0500"), d(2017, 12, 15));
    for bad in ["", "18/25", "18-12-20", "19/9/2016", "2025", "1713110400", "2018-02-30", "2025-07-18T09.."] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}

// --- LenientDateTime ------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct EventAppointment {
    id: i64,
    start_date: LenientDateTime,
    start_date_rfc3339: LenientDateTime,
    #[serde(default)]
    updated_at: Option<LenientDateTime>,
}

#[test]
fn lenient_datetime_mdlive_human_format_decodes() {
    let fixture = json!({
        "id": 43,
        "patient_id": 3,
        "provider_id": 4,
        "start_date": "Wednesday, Aug 07 2019 at 03:00PM EDT",
        "start_date_rfc3339": "2019-08-07T15:00:00-04:00",
        "appointment_by": "video",
        "status": "pending"
    });
    let appt: EventAppointment = serde_json::from_value(fixture).unwrap();
    assert_eq!(appt.start_date.raw(), "Wednesday, Aug 07 2019 at 03:00PM EDT");
    assert_eq!(appt.start_date.to_string(), "Wednesday, Aug 07 2019 at 03:00PM EDT");
    let rfc = appt.start_date_rfc3339.parse().unwrap();
    assert_eq!(rfc, utc("2019-08-07T19:00:00Z"));
    assert_eq!(appt.start_date.parse(), Some(rfc));
    assert_eq!(appt.updated_at, None);
}

#[test]
fn lenient_datetime_keeps_placeholders_and_numbers() {
    #[derive(Debug, Deserialize)]
    struct Surgery {
        #[serde(rename = "surgeryDate")]
        surgery_date: LenientDateTime,
    }
    // healthstack/record_data: truncated placeholder.
    let s: Surgery = serde_json::from_str(
        r#"{"surgeon": "Dr. John", "procedure": "Appendix", "surgeryDate": "2025-08-30T00..", "surgicalNotes": "Surgical Note..."}"#,
    )
    .unwrap();
    assert_eq!(s.surgery_date.raw(), "2025-08-30T00..");
    assert_eq!(s.surgery_date.parse(), None);
    assert_eq!(s.surgery_date.parse_date(), None);
    let s: Surgery = serde_json::from_str(r#"{"surgeryDate": 1740075551}"#).unwrap();
    assert_eq!(s.surgery_date.raw(), "1740075551");
    assert_eq!(s.surgery_date.parse().map(|d| d.timestamp()), Some(1_740_075_551));
    let s: Surgery = serde_json::from_str(r#"{"surgeryDate": 1509727623.5}"#).unwrap();
    assert_eq!(s.surgery_date.raw(), "1509727623.5");
    assert_eq!(s.surgery_date.parse().map(|d| d.timestamp_millis()), Some(1_509_727_623_500));
    // Healthstack medicard expires_at "18/25" vs "2025-01-01".
    let s: Surgery = serde_json::from_str(r#"{"surgeryDate": "18/25"}"#).unwrap();
    assert_eq!((s.surgery_date.parse(), s.surgery_date.parse_date()), (None, None));
    let s: Surgery = serde_json::from_str(r#"{"surgeryDate": "2025-01-01"}"#).unwrap();
    assert_eq!(s.surgery_date.parse_date(), NaiveDate::from_ymd_opt(2025, 1, 1));
    // Only non-scalars fail, without echoing anything.
    assert!(serde_json::from_str::<Surgery>(r#"{"surgeryDate": null}"#).is_err());
    assert!(serde_json::from_str::<Surgery>(r#"{"surgeryDate": true}"#).is_err());
    assert!(serde_json::from_str::<Surgery>(r#"{"surgeryDate": ["2025"]}"#).is_err());
}

#[test]
fn lenient_datetime_round_trips_and_converts() {
    let value = LenientDateTime::from("2025-07-16T10:07:20.413641+00:00");
    assert_eq!(serde_json::to_string(&value).unwrap(), r#""2025-07-16T10:07:20.413641+00:00""#);
    let back: LenientDateTime = serde_json::from_str(&serde_json::to_string(&value).unwrap()).unwrap();
    assert_eq!(back, value);
    assert_eq!(LenientDateTime::from(String::from("x")).into_raw(), "x");
    assert_eq!(LenientDateTime::default().raw(), "");
    assert_eq!(LenientDateTime::new("").parse(), None);
}

// --- unix_seconds ---------------------------------------------------------------------------------------

#[test]
fn unix_seconds_medtimes_expires_at() {
    #[derive(Debug, Deserialize)]
    struct Consult {
        #[serde(deserialize_with = "unix_seconds")]
        expires_at: DateTime<Utc>,
    }
    // medtimes/consults_create fixture.
    let c: Consult = serde_json::from_str(
        r#"{"id": "cns_4492193", "object": "consult", "status": "waiting_for_doctor", "join_url": "https://meet.medtimes.health/cns_4492193", "expires_at": 1740075551}"#,
    )
    .unwrap();
    assert_eq!(c.expires_at.to_rfc3339(), "2025-02-20T18:19:11+00:00");
    for (json, millis) in [
        (r#"{"expires_at": 1713110400}"#, 1_713_110_400_000),
        (r#"{"expires_at": "1713110400"}"#, 1_713_110_400_000),
        (r#"{"expires_at": 1713110400.25}"#, 1_713_110_400_250),
        (r#"{"expires_at": "1509727623.5845659"}"#, 1_509_727_623_584),
        (r#"{"expires_at": -1}"#, -1_000),
        (r#"{"expires_at": -1.25}"#, -1_250),
        (r#"{"expires_at": 0}"#, 0),
    ] {
        let c: Consult = serde_json::from_str(json).unwrap();
        assert_eq!(c.expires_at.timestamp_millis(), millis, "{json}");
    }
    for bad in [
        r#"{"expires_at": "soon-secret"}"#,
        r#"{"expires_at": "2025-02-20T18:19:11Z-secret"}"#,
        r#"{"expires_at": 18446744073709551615}"#,
        r#"{"expires_at": 9223372036854775807}"#,
        r#"{"expires_at": 1e300}"#,
        r#"{"expires_at": ""}"#,
        r#"{"expires_at": null}"#,
        r#"{"expires_at": true}"#,
    ] {
        assert_err_without(serde_json::from_str::<Consult>(bad), "secret");
    }
    assert_err_without(
        serde_json::from_str::<Consult>(r#"{"expires_at": 9223372036854775807}"#),
        "9223372036854775807",
    );
}

#[test]
fn opt_unix_seconds_null_missing_blank() {
    #[derive(Debug, Deserialize)]
    struct Consult {
        #[serde(default, deserialize_with = "opt_unix_seconds")]
        expires_at: Option<DateTime<Utc>>,
    }
    for json in ["{}", r#"{"expires_at": null}"#, r#"{"expires_at": " "}"#] {
        assert_eq!(serde_json::from_str::<Consult>(json).unwrap().expires_at, None, "{json}");
    }
    let c: Consult = serde_json::from_str(r#"{"expires_at": 1740075551}"#).unwrap();
    assert_eq!(c.expires_at.map(|d| d.timestamp()), Some(1_740_075_551));
    assert!(serde_json::from_str::<Consult>(r#"{"expires_at": "tomorrow"}"#).is_err());
}
