//! Every vendor's webhook event parser, over the event fixtures: each fixture parses into a typed event, and a
//! body that is not an event (`{}`, an HTML error page, an empty body, invalid UTF-8, ...) is a typed
//! `WebhookError`, through the vendor parser and through `carewire::webhooks::WebhookReceiver`.
//!
//! Fixtures are read from the vendor crates' own copies (`crates/<vendor>/tests/fixtures`), which are the
//! repaired doc examples of `shared/fixtures`. When `shared/fixtures` is present beside the workspace, every
//! `*.event.json` there must be covered here or be listed as belonging to a vendor without a crate yet.

use std::path::{Path, PathBuf};

use carewire::WebhookError;
use carewire::core::webhook::{parse_event_object, sign_for_tests};
use carewire::docplanner::webhooks::{NotificationEvent, NotificationName, PushAuth, parse_push};
use carewire::medtimes::webhooks::{EventData, WebhookEvent as MedtimesEvent, Webhooks};
use carewire::webhooks::{Vendor, WebhookEvent, WebhookReceiver};

const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The event fixtures carewire parses: (vendor, file name in `crates/<vendor>/tests/fixtures`).
const EVENT_FIXTURES: &[(&str, &str)] = &[("docplanner", "webhook_slot_booking.event.json")];

/// Vendors whose event fixtures exist in `shared/fixtures` but that have no crate yet.
const VENDORS_WITHOUT_A_CRATE: &[&str] = &["mdlive"];

/// Medtimes documents no webhook payload (notes M12): its only example is the signature test vector of the
/// vendor notes §1.4, used here in place of a fixture file.
const MEDTIMES_NOTES_EVENT: &[u8] = br#"{"type":"consult.completed","data":{"prescription_id":"scr_881920"}}"#;

/// Bodies that are not an event, for every parser.
const NOT_EVENTS: &[(&str, &[u8])] = &[
    ("an empty object", b"{}"),
    ("an HTML page", b"<html><body>Bad gateway</body></html>"),
    ("an empty body", b""),
    ("whitespace", b" \r\n"),
    ("invalid UTF-8", b"\xff\xfe\xfd"),
    ("invalid UTF-8 inside JSON", b"{\"type\":\"\xff\",\"name\":\"\xff\"}"),
    ("truncated JSON", b"{\"type\":\"claim.paid\",\"name\":\"slot-bo"),
    ("a JSON array", b"[]"),
    ("JSON null", b"null"),
    ("an object naming no event", br#"{"data":{"id":"1"}}"#),
];

fn fixture(vendor: &str, name: &str) -> Vec<u8> {
    let path = Path::new(WORKSPACE).join("crates").join(vendor).join("tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const MEDTIMES_SECRET: &str = "whsec_test_secret";
const DOCPLANNER_HEADER: &str = "x-docplanner-key";
const DOCPLANNER_KEY: &str = "agreed-key";

fn receiver() -> WebhookReceiver {
    WebhookReceiver::new()
        .medtimes(Webhooks::new(MEDTIMES_SECRET).without_replay_guard())
        .docplanner_push_auth(PushAuth::new(DOCPLANNER_HEADER, DOCPLANNER_KEY))
}

/// Receives `body` as `vendor` would send it: signed (Medtimes) or with the agreed key (Docplanner).
fn receive(receiver: &WebhookReceiver, vendor: Vendor, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let signature = sign_for_tests(MEDTIMES_SECRET, body);
    let headers = match vendor {
        Vendor::Medtimes => [("medtimes-signature", signature.as_str())],
        Vendor::Docplanner => [(DOCPLANNER_HEADER, DOCPLANNER_KEY)],
        other => panic!("no test headers for {other}"),
    };
    receiver.receive(vendor, headers, body)
}

fn vendor_of(name: &str) -> Vendor {
    name.parse().unwrap_or_else(|_| panic!("{name} is not a webhook vendor"))
}

#[test]
fn docplanner_event_fixtures_parse_into_typed_events() {
    for (vendor, name) in EVENT_FIXTURES {
        assert_eq!(*vendor, "docplanner", "add a typed check for {vendor}/{name}");
        let body = fixture(vendor, name);
        let n = parse_push(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!matches!(n.name, NotificationName::Unknown(_)), "{name}: {:?}", n.name);
        assert!(!matches!(n.event, NotificationEvent::Unknown), "{name}: {n:?}");
        // The file name says which event it is: webhook_slot_booking -> slot-booking.
        let expected = name.trim_start_matches("webhook_").trim_end_matches(".event.json").replace('_', "-");
        assert_eq!(n.name.as_str(), expected);
        let NotificationEvent::SlotBooking { visit_booking_request } = &n.event else { panic!("{n:?}") };
        assert!(visit_booking_request.start_at.is_some());
        assert_eq!(n.facility.as_ref().map(|f| f.id.as_str()), Some("1"));

        let event = receive(&receiver(), vendor_of(vendor), &body).unwrap();
        assert_eq!(event.name(), "slot-booking");
        assert!(!format!("{event:?}").contains("Lincoln"), "Debug shows no patient data");
    }
}

#[test]
fn the_medtimes_notes_event_parses_into_a_typed_event() {
    let event = MedtimesEvent::parse(MEDTIMES_NOTES_EVENT).unwrap();
    let EventData::ConsultCompleted(done) = &event.data else { panic!("{event:?}") };
    assert_eq!(done.prescription_id.as_deref(), Some("scr_881920"));
    // The notes' signature verifies through the facade.
    let signature = "e187c8deaad34707433e8c8b7d09baeee138dc1a2efec936283522e7a399cd3e";
    let event = receiver().receive(Vendor::Medtimes, [("Medtimes-Signature", signature)], MEDTIMES_NOTES_EVENT);
    assert_eq!(event.unwrap().name(), "consult.completed");
}

#[test]
fn bodies_that_are_not_events_are_typed_errors_for_every_parser() {
    let receiver = receiver();
    for (what, body) in NOT_EVENTS {
        let invalid = |result: Result<(), WebhookError>, parser: &str| match result {
            Err(WebhookError::InvalidPayload { reason }) => {
                assert!(!reason.is_empty(), "{parser}, {what}");
                assert!(!reason.contains("Bad gateway"), "{parser}, {what}: the reason quotes the body: {reason}");
            }
            other => panic!("{parser}, {what}: expected InvalidPayload, got {other:?}"),
        };
        invalid(MedtimesEvent::parse(*body).map(drop), "medtimes WebhookEvent::parse");
        invalid(parse_push(body).map(drop), "docplanner parse_push");
        invalid(receive(&receiver, Vendor::Medtimes, body).map(drop), "receiver, medtimes");
        invalid(receive(&receiver, Vendor::Docplanner, body).map(drop), "receiver, docplanner");
        if *what != "an object naming no event" {
            invalid(parse_event_object(body).map(drop), "core parse_event_object");
        }
    }
}

#[test]
fn specific_reasons_for_the_common_non_events() {
    let reason = |body: &[u8]| match parse_push(body) {
        Err(WebhookError::InvalidPayload { reason }) => reason,
        other => panic!("{other:?}"),
    };
    assert_eq!(reason(b"{}"), "the payload is an empty JSON object");
    assert_eq!(
        reason(b"<html><body>Bad gateway</body></html>"),
        "the body is not JSON (it looks like an HTML or XML page)"
    );
    assert_eq!(reason(b""), "the body is empty");
    assert_eq!(reason(b"\xff\xfe\xfd"), "the body is not valid UTF-8");
}

#[test]
fn unknown_event_types_are_kept_not_refused() {
    let receiver = receiver();
    let body = br#"{"type":"consult.rescheduled","data":{"consult_id":"cns_1"},"new_field":true}"#;
    let WebhookEvent::Medtimes(event) = receive(&receiver, Vendor::Medtimes, body).unwrap() else { panic!() };
    assert!(matches!(event.data, EventData::Unknown(_)));
    assert_eq!(event.raw.json()["new_field"], true);
    let body = br#"{"name":"doctor-retired","data":{"doctor":{"id":"1"}},"new_field":true}"#;
    let WebhookEvent::Docplanner(n) = receive(&receiver, Vendor::Docplanner, body).unwrap() else { panic!() };
    assert!(matches!(n.event, NotificationEvent::Unknown));
    assert_eq!(n.name, NotificationName::Unknown("doctor-retired".into()));
}

/// `shared/fixtures/<vendor>/*.event.json`, when the shared directory is beside the workspace.
fn shared_event_fixtures() -> Option<Vec<(String, String)>> {
    let shared = Path::new(WORKSPACE).join("../shared/fixtures");
    let vendors = std::fs::read_dir(&shared).ok()?;
    let mut found = Vec::new();
    for vendor in vendors.flatten().filter(|e| e.path().is_dir()) {
        let vendor_name = vendor.file_name().to_string_lossy().into_owned();
        for file in std::fs::read_dir(vendor.path()).into_iter().flatten().flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if name.ends_with(".event.json") {
                found.push((vendor_name.clone(), name));
            }
        }
    }
    found.sort();
    Some(found)
}

#[test]
fn every_shared_event_fixture_is_covered() {
    let Some(shared) = shared_event_fixtures() else {
        eprintln!("shared/fixtures is not beside the workspace: nothing to cross-check");
        return;
    };
    assert!(!shared.is_empty(), "no *.event.json found in shared/fixtures");
    for (vendor, name) in &shared {
        if VENDORS_WITHOUT_A_CRATE.contains(&vendor.as_str()) {
            continue;
        }
        assert!(
            EVENT_FIXTURES.contains(&(vendor.as_str(), name.as_str())),
            "{vendor}/{name} is an event fixture that event_fixtures.rs does not parse"
        );
        // The crate's copy is the shared file, byte for byte.
        let shared_path: PathBuf = Path::new(WORKSPACE).join("../shared/fixtures").join(vendor).join(name);
        assert_eq!(fixture(vendor, name), std::fs::read(shared_path).unwrap(), "{vendor}/{name} differs");
    }
}
