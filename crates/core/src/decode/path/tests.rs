//! The scanned path against `serde_path_to_error`'s tracked one, on failures of every kind and at every depth.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::{path_of, safe_path};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Page {
    data: Vec<Booking>,
    total: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Booking {
    id: String,
    price: f64,
    patient: Patient,
    tags: Vec<String>,
    slots: BTreeMap<String, Vec<u32>>,
    state: State,
    #[serde(default)]
    note: Option<Note>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Patient {
    name: String,
    age: u8,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
enum State {
    Booked,
    Cancelled { reason: String },
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
#[serde(tag = "kind")]
enum Note {
    Text { body: String },
}

/// The path `serde_path_to_error` tracks, rendered the way `DecodeError::path` shows paths.
fn tracked<T: DeserializeOwned>(input: &[u8]) -> String {
    use serde_path_to_error::Segment;
    let mut de = serde_json::Deserializer::from_slice(input);
    let Err(err) = serde_path_to_error::deserialize::<_, T>(&mut de) else {
        return ".".to_owned();
    };
    let mut out = String::new();
    for segment in err.path() {
        match segment {
            Segment::Seq { index } => {
                let _ = write!(out, "[{index}]");
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(safe_path(key));
            }
            Segment::Unknown => out.push_str(if out.is_empty() { "?" } else { ".?" }),
        }
    }
    if out.is_empty() { ".".to_owned() } else { out }
}

fn scanned<T: DeserializeOwned>(input: &[u8]) -> String {
    let err = serde_json::from_slice::<T>(input).err().expect("the case must fail");
    path_of(input, &err)
}

const GOOD: &str = r#"{"id":"b1","price":12.5,"patient":{"name":"Jane","age":40},"tags":["a","b"],
 "slots":{"mon":[9,10],"tue":[]},"state":"booked","note":{"kind":"Text","body":"x"}}"#;

/// A page of three good bookings with `broken` in place of the second one.
fn page(broken: &str) -> String {
    format!("{{\n  \"total\": 3,\n  \"data\": [\n    {GOOD},\n    {broken},\n    {GOOD}\n  ]\n}}")
}

#[test]
fn the_scanned_path_is_the_tracked_path() {
    let cases = [
        // Wrong types, at every depth and of every token kind.
        r#"{"id":7,"price":1,"patient":{"name":"J","age":1},"tags":[],"slots":{},"state":"booked"}"#,
        r#"{"id":"b","price":"12","patient":{"name":"J","age":1},"tags":[],"slots":{},"state":"booked"}"#,
        r#"{"id":"b","price":1,"patient":{"name":"J","age":"forty"},"tags":[],"slots":{},"state":"booked"}"#,
        r#"{"id":"b","price":1,"patient":{"name":"J","age":400},"tags":[],"slots":{},"state":"booked"}"#,
        r#"{"id":"b","price":1,"patient":{"name":{"first":"J"},"age":1},"tags":[],"slots":{},"state":"booked"}"#,
        r#"{"id":"b","price":1,"patient":[1,2],"tags":[],"slots":{},"state":"booked"}"#,
        r#"{"id":"b","price":1,"patient":{"name":"J","age":1},"tags":["a",{"x":1}],"slots":{},"state":"booked"}"#,
        r#"{"id":"b","price":1,"patient":{"name":"J","age":1},"tags":["a", ["x"]],"slots":{},"state":"booked"}"#,
        r#"{"id":"b","price":1,"patient":{"name":"J","age":1},"tags":[],"slots":{"mon":[9,"x"]},"state":"booked"}"#,
        r#"{"id":"b","price":1,"patient":{"name":"J","age":1},"tags":[],"slots":{"Jane Doe":[9,-1]},"state":"booked"}"#,
        r#"{"id":"b","price":1,"patient":{"name":"J","age":1},"tags":[],"slots":{"mon":{}},"state":"booked"}"#,
        // Missing fields: the path of the object that lacks one.
        r#"{"id":"b","price":1,"patient":{"name":"J"},"tags":[],"slots":{},"state":"booked"}"#,
        r#"{"id":"b","price":1,"patient":{"name":"J","age":1},"tags":[],"slots":{}}"#,
        // Enums: unknown variants, bad variant contents, internally tagged.
        r#"{"id":"b","price":1,"patient":{"name":"J","age":1},"tags":[],"slots":{},"state":"lost"}"#,
        r#"{"id":"b","price":1,"patient":{"name":"J","age":1},"tags":[],"slots":{},"state":{"cancelled":{"reason":5}}}"#,
        r#"{"id":"b","price":1,"patient":{"name":"J","age":1},"tags":[],"slots":{},"state":"booked","note":{"kind":"Audio"}}"#,
        // Whitespace and escapes around the failure.
        "{ \"id\" : \"b\\\"1\" ,\n\t\"price\" :\r\n  true , \"patient\":{}}",
        r#"{"id":"\u00e9\"}{","price":1,"patient":{"name":"J","age":1},"tags":[null],"slots":{},"state":"booked"}"#,
    ];
    for case in cases {
        assert_eq!(scanned::<Booking>(case.as_bytes()), tracked::<Booking>(case.as_bytes()), "{case}");
        let paged = page(case);
        assert_eq!(scanned::<Page>(paged.as_bytes()), tracked::<Page>(paged.as_bytes()), "{paged}");
    }
    assert_eq!(scanned::<Page>(page(cases[2]).as_bytes()), "data[1].patient.age");
    assert_eq!(scanned::<Page>(page(cases[9]).as_bytes()), "data[1].slots.?[1]");
    assert_eq!(scanned::<Page>(page(cases[11]).as_bytes()), "data[1].patient");
}

/// A value serde reads whole before looking inside (an internally tagged or untagged enum, a lenient field
/// read as a `Value` first) fails after serde_json has finished with it: the error's position is the end of
/// the object holding it, so the path names that object.
#[test]
fn a_failure_inside_a_buffered_value_names_the_object_holding_it() {
    let case = r#"{"id":"b","price":1,"patient":{"name":"J","age":1},"tags":[],"slots":{},"state":"booked","note":{"kind":"Text","body":5}}"#;
    assert_eq!(tracked::<Page>(page(case).as_bytes()), "data[1].note");
    assert_eq!(scanned::<Page>(page(case).as_bytes()), "data[1]");
    assert_eq!(scanned::<Booking>(case.as_bytes()), ".");
}

#[test]
fn malformed_bodies_give_a_path_and_never_panic() {
    let cases: [&[u8]; 14] = [
        b"",
        b"{",
        b"{\"data\":[",
        b"{\"data\":[{\"id\":",
        b"{\"data\":[{\"id\":\"unterminated",
        b"{\"data\" 5}",
        b"{\"data\":[1,,2]}",
        b"{\"data\":[1 2]}",
        b"{\"total\":3}}",
        b"{\"total\":3} trailing",
        b"<html><body>502</body></html>",
        b"]]]}}}::,,",
        b"{\"a\\",
        b"\xff\xfe{\"data\":\xc3}",
    ];
    for case in cases {
        let path = scanned::<Page>(case);
        assert!(!path.is_empty(), "{case:?}");
    }
    assert_eq!(scanned::<Page>(b"{\"total\":3} trailing"), ".");
    assert_eq!(scanned::<Page>(b"{\"data\":[{\"id\":\"unterminated"), "data[0].id");
    // Deeply nested input (past serde_json's recursion limit) costs one frame per bracket, no recursion.
    let deep = "[".repeat(100_000);
    assert_eq!(scanned::<Vec<serde_json::Value>>(deep.as_bytes()).matches('[').count(), 128);
}

#[test]
fn offsets_count_the_lines_serde_json_counts() {
    let input = b"{\n\"a\":\n1\n}";
    assert_eq!(super::offset_of(input, 1, 1), Some(1));
    assert_eq!(super::offset_of(input, 3, 1), Some(8));
    assert_eq!(super::offset_of(input, 9, 1), None);
    assert_eq!(super::offset_of(input, 0, 0), None);
    assert_eq!(super::offset_of(input, 4, 99), Some(input.len()));
}
