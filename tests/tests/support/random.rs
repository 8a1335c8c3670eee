//! Generators for the randomized-input test: header-like text (numbers in every notation, dates, unicode,
//! huge values), byte and JSON mutations, random JSON with edge-case leaves, webhook event bodies, random
//! clocks, and the repaired documentation fixtures (the vendor crates' copies) as a corpus.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fastrand::Rng;
use serde_json::{Map, Value, json};

/// `shared/fixtures`, beside the repository (used when present, for the vendors not built yet).
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

/// The vendor crates' own copies of the fixtures, so the test runs on a clone without `shared/`.
const CRATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates");

/// Every `.json` fixture, as `(vendor/relative path, bytes)`, in a stable order: the vendor crates' copies,
/// plus `shared/fixtures` of the other vendors when that directory exists.
pub(crate) fn fixtures() -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(root, &path, prefix, out);
            } else if path.extension().is_some_and(|e| e == "json") && !path.ends_with("MANIFEST.json") {
                let name = format!("{prefix}{}", path.strip_prefix(root).unwrap_or(&path).display());
                if let Ok(bytes) = std::fs::read(&path) {
                    out.push((name, bytes));
                }
            }
        }
    }
    let mut out = Vec::new();
    let built = ["medtimes", "healthstack", "docplanner"];
    for vendor in built {
        let root = Path::new(CRATES).join(vendor).join("tests/fixtures");
        walk(&root, &root, &format!("{vendor}/"), &mut out);
    }
    if let Ok(entries) = std::fs::read_dir(SHARED) {
        let mut others: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
        others.sort();
        for dir in others.into_iter().filter(|d| !built.iter().any(|b| d.ends_with(b))) {
            let prefix = format!("{}/", dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
            walk(&dir, &dir, &prefix, &mut out);
        }
    }
    out
}

/// Characters that break naive text handling: multi-byte, combining, zero-width, right-to-left, full-width
/// digits, exotic whitespace, control characters.
const TRICKY: &[char] = &[
    'é',
    'ß',
    'Ж',
    '中',
    '😀',
    '\u{301}',
    '\u{200b}',
    '\u{200f}',
    '\u{202e}',
    '\u{feff}',
    '٣',
    '１',
    '\u{a0}',
    '\u{2003}',
    '\u{0}',
    '\u{7f}',
    '\t',
    '\n',
    '\r',
    '\u{10ffff}',
    'İ',
    'ı',
    '\u{212a}',
];

/// Up to `max` characters: ASCII, tricky characters, and anything else.
pub(crate) fn unicode(rng: &mut Rng, max: usize) -> String {
    (0..rng.usize(..=max))
        .map(|_| match rng.u8(..4) {
            0 => TRICKY[rng.usize(..TRICKY.len())],
            1 => rng.char(..),
            _ => char::from(rng.u8(0x20..0x7f)),
        })
        .collect()
}

fn digits(rng: &mut Rng, max: usize) -> String {
    (0..rng.usize(1..=max)).map(|_| char::from(b'0' + rng.u8(..10))).collect()
}

/// A number written some way a server might: signs, decimals, exponents, leading zeros, huge, `NaN`.
fn number(rng: &mut Rng) -> String {
    let sign = ["", "-", "+", "--", " "][rng.usize(..5)];
    match rng.u8(..8) {
        0 => format!("{sign}{}", digits(rng, 40)),
        1 => format!("{sign}{}.{}", digits(rng, 12), digits(rng, 12)),
        2 => format!("{sign}{}e{}{}", digits(rng, 4), ["", "-", "+"][rng.usize(..3)], digits(rng, 4)),
        3 => {
            ["NaN", "inf", "-inf", "infinity", "1e309", "-0", "0x10", "1_000", "١٢٣", "1,5"][rng.usize(..10)].to_owned()
        }
        4 => u64::MAX.to_string(),
        5 => format!("{}", rng.u64(..)),
        6 => format!("{}", rng.i64(..)),
        _ => format!("{}", rng.u64(1_000_000_000..4_000_000_000)),
    }
}

/// A date-time written some way a server might, with fields out of range now and then.
fn date(rng: &mut Rng) -> String {
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Xyz"];
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Foo"];
    let (y, mo, d, h, mi, s) =
        (rng.i64(-10..100_000), rng.u8(..14), rng.u8(..33), rng.u8(..26), rng.u8(..62), rng.u8(..62));
    match rng.u8(..6) {
        0 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        1 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{}+{h:02}:{mi:02}", digits(rng, 12)),
        2 => format!("{y:04}-{mo:02}-{d:02}"),
        3 => format!(
            "{}, {d:02} {} {y} {h:02}:{mi:02}:{s:02} {}",
            days[rng.usize(..days.len())],
            months[rng.usize(..months.len())],
            ["GMT", "UTC", "+0000", "-2359", "+9999", "PST", ""][rng.usize(..7)]
        ),
        4 => format!("{d:02}/{mo:02}/{y} {h}:{mi}"),
        _ => format!("{y}-{mo}-{d} {h}:{mi}:{s}{}", unicode(rng, 3)),
    }
}

/// A header value: a number, a date, unicode noise, or a mix, padded, sometimes very long.
pub(crate) fn header_text(rng: &mut Rng) -> String {
    let core = match rng.u8(..6) {
        0 | 1 => number(rng),
        2 | 3 => date(rng),
        4 => unicode(rng, 30),
        _ => format!("{}{}{}", number(rng), unicode(rng, 4), date(rng)),
    };
    let pad = |rng: &mut Rng| [" ", "", "\t", "  ", "\u{a0}"][rng.usize(..5)].to_owned();
    let text = format!("{}{core}{}", pad(rng), pad(rng));
    if rng.u8(..50) == 0 { text.repeat(rng.usize(2..40)) } else { text }
}

/// A clock anywhere from before the epoch to far in the future (or the epoch itself).
pub(crate) fn random_now(rng: &mut Rng) -> SystemTime {
    let offset = Duration::from_secs(match rng.u8(..4) {
        0 => rng.u64(..),
        1 => rng.u64(..5_000_000_000),
        _ => rng.u64(1_600_000_000..1_900_000_000),
    });
    let now = if rng.u8(..6) == 0 { UNIX_EPOCH.checked_sub(offset) } else { UNIX_EPOCH.checked_add(offset) };
    now.unwrap_or(UNIX_EPOCH)
}

pub(crate) fn random_bytes(rng: &mut Rng, max: usize) -> Vec<u8> {
    (0..rng.usize(..=max)).map(|_| rng.u8(..)).collect()
}

/// JSON fragments worth splicing into a body.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "null",
    "true",
    "1e999",
    "-0",
    "NaN",
    "[[[[[[[[",
    "\"id\":",
    "\"data\":",
    "\"type\":",
    "\"name\":",
    "{}",
    "[]",
    "\"\"",
    "\u{feff}",
    "\u{0}",
    "9223372036854775808",
];

/// `body` with a few random edits: byte flips, insertions of bytes or JSON tokens, deletions, duplications,
/// truncation.
pub(crate) fn mutate(rng: &mut Rng, body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    for _ in 0..rng.usize(1..6) {
        let at = rng.usize(..=out.len());
        match rng.u8(..6) {
            0 if at < out.len() => out[at] ^= 1 << rng.u8(..8),
            1 => out.splice(at..at, random_bytes(rng, 4)).for_each(drop),
            2 => out.splice(at..at, TOKENS[rng.usize(..TOKENS.len())].bytes()).for_each(drop),
            3 if at < out.len() => {
                let end = (at + rng.usize(1..20)).min(out.len());
                out.drain(at..end);
            }
            4 if at < out.len() => {
                let end = (at + rng.usize(1..40)).min(out.len());
                let copy = out[at..end].to_vec();
                out.splice(at..at, copy).for_each(drop);
            }
            _ => out.truncate(at),
        }
    }
    out
}

/// A leaf a server might send where a model expects something else.
fn edge_leaf(rng: &mut Rng) -> Value {
    match rng.u8(..16) {
        0 => json!(i64::MAX),
        1 => json!(i64::MIN),
        2 => json!(u64::MAX),
        3 => json!(f64::MAX),
        4 => json!(-1.5e300),
        5 => json!(rng.i64(..)),
        6 => json!(rng.f64() * 1e12 - 5e11),
        7 => json!(rng.bool()),
        8 => Value::Null,
        9 => json!(""),
        10 => json!(number(rng)),
        11 => json!(date(rng)),
        12 => json!(unicode(rng, 40)),
        13 => json!(" ".repeat(rng.usize(..4))),
        14 => json!(["0", "1", "true", "false", "null", "yes", "[]", "{}"][rng.usize(..8)]),
        _ => json!(digits(rng, 30)),
    }
}

/// Random JSON up to `depth` levels, with edge-case leaves and keys the models know.
pub(crate) fn random_json(rng: &mut Rng, depth: u32) -> Value {
    const KEYS: &[&str] = &[
        "id",
        "data",
        "type",
        "event",
        "name",
        "status",
        "success",
        "message",
        "error",
        "errors",
        "_items",
        "items",
        "page",
        "pages",
        "limit",
        "total",
        "start",
        "end",
        "start_at",
        "end_at",
        "created",
        "created_at",
        "expires_at",
        "amount",
        "balance",
        "health_id",
        "patient",
        "patients",
        "object",
        "visit_booking",
        "duration",
        "phone",
    ];
    if depth == 0 || rng.u8(..3) == 0 {
        return edge_leaf(rng);
    }
    if rng.bool() {
        Value::Array((0..rng.usize(..4)).map(|_| random_json(rng, depth - 1)).collect())
    } else {
        let mut map = Map::new();
        for _ in 0..rng.usize(..6) {
            let key = if rng.u8(..4) == 0 { unicode(rng, 8) } else { KEYS[rng.usize(..KEYS.len())].to_owned() };
            map.insert(key, random_json(rng, depth - 1));
        }
        Value::Object(map)
    }
}

/// `value` with a few nodes replaced by random JSON or edge-case leaves, serialized.
pub(crate) fn json_text(rng: &mut Rng, mut value: Value) -> String {
    fn visit(rng: &mut Rng, node: &mut Value) {
        if rng.u8(..8) == 0 {
            *node = if rng.bool() { edge_leaf(rng) } else { random_json(rng, 3) };
            return;
        }
        match node {
            Value::Array(items) => items.iter_mut().for_each(|v| visit(rng, v)),
            Value::Object(map) => map.values_mut().for_each(|v| visit(rng, v)),
            _ => {}
        }
    }
    visit(rng, &mut value);
    value.to_string()
}

/// A webhook body shaped like Medtimes' or Docplanner's events, with random data.
pub(crate) fn event_body(rng: &mut Rng) -> Vec<u8> {
    let medtimes = ["consult.completed", "claim.paid", "claim.rejected", "prescription.dispensed", "", " ", "x"];
    let docplanner = ["slot-booking", "slot-booked", "booking-canceled", "booking-moved", "booking-moving", "other"];
    let event_type = if rng.bool() { json!(medtimes[rng.usize(..medtimes.len())]) } else { edge_leaf(rng) };
    let name = if rng.bool() { json!(docplanner[rng.usize(..docplanner.len())]) } else { edge_leaf(rng) };
    let value = match rng.u8(..5) {
        0 => json!({"type": event_type, "data": random_json(rng, 4)}),
        1 => json!({"event": {"type": event_type}, "data": {"object": random_json(rng, 3)}, "id": edge_leaf(rng)}),
        2 => {
            let data = json!({"visit_booking": random_json(rng, 3), "visit_booking_request": random_json(rng, 3)});
            json!({"name": name, "data": data, "created_at": edge_leaf(rng)})
        }
        3 => {
            let data = json!({"old_visit_booking": random_json(rng, 3), "new_visit_booking": random_json(rng, 2)});
            json!({"name": name, "data": data})
        }
        _ => random_json(rng, 5),
    };
    let text = value.to_string();
    if rng.u8(..4) == 0 { mutate(rng, text.as_bytes()) } else { text.into_bytes() }
}
