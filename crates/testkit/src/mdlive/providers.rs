//! The seeded providers (the doc's own four plus 21 more, 25 in all, so provider search has three pages of
//! ten) and how a provider is rendered in search results, profiles, contacts and appointments.

use serde_json::{Value, json};

use super::state::{Provider, date, rfc3339, rfc3339_millis};

/// Providers seeded at start, before any added with `Sandbox::add_provider`.
pub(super) const SEEDED_PROVIDERS: usize = 25;

/// Open slots per provider at start.
const SLOTS_PER_PROVIDER: i64 = 6;

const NAMES: [(&str, &str); 21] = [
    ("Dr. Maria Alvarez", "Female"),
    ("Dr. James Whitfield", "Male"),
    ("Dr. Priya Natarajan", "Female"),
    ("Dr. Samuel Okafor", "Male"),
    ("Dr. Helen Park", "Female"),
    ("Dr. Lucas Moreau", "Male"),
    ("Dr. Grace Holloway", "Female"),
    ("Dr. Daniel Reyes", "Male"),
    ("Dr. Aisha Rahman", "Female"),
    ("Dr. Thomas Becker", "Male"),
    ("Dr. Olivia Chen", "Female"),
    ("Dr. Marcus Bell", "Male"),
    ("Dr. Sofia Romano", "Female"),
    ("Dr. Ethan Brooks", "Male"),
    ("Dr. Naomi Levin", "Female"),
    ("Dr. Victor Ivanov", "Male"),
    ("Dr. Chloe Dubois", "Female"),
    ("Dr. Isaac Mensah", "Male"),
    ("Dr. Hannah Schultz", "Female"),
    ("Dr. Omar Haddad", "Male"),
    ("Dr. Laura Jensen", "Female"),
];

/// The provider type names MDLIVE lists (plus Dermatologist, which search returns).
pub(super) fn provider_type_name(id: u64) -> Option<&'static str> {
    match id {
        2 => Some("Pediatrician"),
        3 => Some("Family Physician"),
        5 => Some("Therapist"),
        6 => Some("Psychiatrist"),
        12 => Some("Dermatologist"),
        _ => None,
    }
}

/// The specialty shown for a provider type.
pub(super) fn specialty_for(provider_type_id: u64) -> &'static str {
    match provider_type_id {
        2 => "Pediatrics",
        5 => "Counseling",
        6 => "Psychiatry",
        12 => "Dermatology",
        _ => "General Practice",
    }
}

/// Open slots from tomorrow on: 15:00 and 15:30 UTC on three consecutive days.
pub(super) fn slots_from(now: i64, provider_id: u64) -> Vec<(i64, u64)> {
    let tomorrow = (now.div_euclid(86_400) + 1) * 86_400;
    (0..SLOTS_PER_PROVIDER)
        .map(|k| {
            let at = tomorrow + (k / 2) * 86_400 + 15 * 3600 + (k % 2) * 1800;
            (at, provider_id * 100 + k.unsigned_abs())
        })
        .collect()
}

pub(super) fn seed(now: i64) -> Vec<Provider> {
    let mut out = vec![
        provider(4, "Travis Stork", "Male", 3, vec![1, 7], now),
        provider(542_127_369, "Dr. Keylime Pie", "Female", 3, vec![1], now),
        provider(542_114_314, "Dr. Test Amalie", "Male", 3, vec![1], now),
        provider(542_117_784, "Dr. Andy Available", "Male", 3, vec![1], now),
    ];
    for (i, (name, gender)) in NAMES.iter().enumerate() {
        let type_id = match i % 7 {
            2 => 5,
            5 => 6,
            _ => 3,
        };
        let languages = if i % 3 == 0 { vec![1, 2] } else { vec![1] };
        out.push(provider(542_130_001 + i as u64, name, gender, type_id, languages, now));
    }
    out
}

pub(super) fn provider(
    id: u64,
    fullname: &str,
    gender: &'static str,
    provider_type_id: u64,
    language_ids: Vec<u64>,
    now: i64,
) -> Provider {
    Provider {
        id,
        fullname: fullname.to_owned(),
        gender,
        specialty: specialty_for(provider_type_id),
        provider_type_id,
        language_ids,
        slots: slots_from(now, id),
    }
}

/// A provider as provider search lists it (`availability_type` is `null`, as in the doc).
pub(super) fn search_item(p: &Provider) -> Value {
    json!({
        "id": p.id,
        "fullname": p.fullname,
        "gender": p.gender,
        "photo_url": null,
        "photo_url_absolute": "",
        "specialty": p.specialty,
        "group_name": null,
        "is_visit_now_available": false,
        "status": "Available",
        "next_appt_available_date": p.slots.first().map(|(at, _)| rfc3339(*at)),
        "availability_type": null,
    })
}

/// A provider as a messaging contact (also the `provider` of a conversation).
pub(super) fn contact(p: &Provider) -> Value {
    let prefix = if p.fullname.starts_with("Dr.") { Value::Null } else { json!("DR") };
    json!({
        "id": p.id,
        "prefix": prefix,
        "fullname": p.fullname,
        "gender": p.gender,
        "photo_url": format!("/users/{}/photo", p.id),
        "specialty": p.specialty,
    })
}

fn language(id: u64) -> Value {
    match id {
        2 => json!({ "id": 2, "name": "Spanish", "alpha3_code": "spa" }),
        7 => json!({ "id": 7, "name": "Polish", "alpha3_code": "pol" }),
        _ => json!({ "id": 1, "name": "English", "alpha3_code": "eng" }),
    }
}

/// The provider profile: the doc's example with this provider's details and the open slots of the day asked
/// for (`specific_date`), or of the next day with slots when `show_next` is set and that day has none.
pub(super) fn profile(template: &Value, p: &Provider, specific_date: &str, show_next: bool) -> Value {
    let mut body = template.clone();
    let details = &mut body["provider_details"];
    details["id"] = json!(p.id);
    details["fullname"] = json!(p.fullname);
    details["gender"] = json!(p.gender);
    details["photo_url"] = json!(format!("/users/{}/photo", p.id));
    details["languages"] = Value::Array(p.language_ids.iter().map(|l| language(*l)).collect());
    details["specialties"] = json!([{ "id": 51, "name": p.specialty, "code": "GP" }]);
    let mut day = specific_date.to_owned();
    let mut hours: Vec<&(i64, u64)> = p.slots.iter().filter(|(at, _)| date(*at) == day).collect();
    if hours.is_empty()
        && show_next
        && let Some((next, _)) = p.slots.iter().find(|(at, _)| date(*at) > day)
    {
        day = date(*next);
        hours = p.slots.iter().filter(|(at, _)| date(*at) == day).collect();
    }
    let available: Vec<Value> = hours
        .iter()
        .map(|(at, slot)| {
            json!({ "timeslot": rfc3339_millis(*at), "phys_availability_id": slot, "availability_type": ["phone", "video"] })
        })
        .collect();
    let availability = &mut body["availability_details"];
    availability["available_hours"] = Value::Array(available);
    availability["is_visit_now_available"] = json!(false);
    availability["can_request_appointment"] = json!(true);
    availability["appointment_date"] = json!(day);
    availability["patient_appointment_types"] = json!(["phone", "video"]);
    body
}
