//! Fuzz target `events`: webhook event parsing (Medtimes `WebhookEvent::parse`, Docplanner `parse_push`, the
//! facade's `WebhookReceiver`) never panics on any body, and an accepted event always names its type.
#![no_main]

use carewire::docplanner::webhooks::parse_push;
use carewire::medtimes::WebhookEvent;
use carewire::webhooks::{Vendor, WebhookReceiver};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(event) = WebhookEvent::parse(body) {
        assert!(!event.event_type.trim().is_empty());
        let _ = format!("{event:?}");
    }
    if let Ok(notification) = parse_push(body) {
        let _ = (format!("{notification:?}"), notification.requires_reply());
    }
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        let _ = WebhookEvent::from_value(value);
    }
    let receiver = WebhookReceiver::new().allow_unauthenticated_docplanner();
    let _ = receiver.receive(Vendor::Docplanner, [], body).map(|e| e.name().to_owned());
    let _ = receiver.receive(Vendor::Medtimes, [], body);
});
