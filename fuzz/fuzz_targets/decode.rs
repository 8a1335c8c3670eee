//! Fuzz target `decode`: a 2xx body, whatever its bytes, decodes into every vendor response model (and into
//! JSON values and the vendors' envelope and error-body parsers) without panicking; a failure is always an
//! `Error::Decode` that can be printed.
#![no_main]

use carewire::core::{Error, ErrorBodyParser as _, decode_json};
use carewire::docplanner as dp;
use carewire::healthstack as hs;
use carewire::medtimes as mt;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn decode<T: DeserializeOwned>(body: &[u8]) {
    if let Err(e) = decode_json::<T>(200, body) {
        assert!(matches!(e, Error::Decode(_)));
        let _ = (e.to_string(), format!("{e:?}"));
    }
}

fuzz_target!(|body: &[u8]| {
    decode::<Value>(body);
    decode::<()>(body);
    decode::<mt::Consult>(body);
    decode::<mt::Claim>(body);
    decode::<mt::ScreeningEvent>(body);
    decode::<mt::Prescription>(body);
    decode::<hs::Patient>(body);
    decode::<hs::PatientCreated>(body);
    decode::<hs::Medicard>(body);
    decode::<hs::Transaction>(body);
    decode::<hs::MedicalRecord>(body);
    decode::<hs::RecordCreated>(body);
    decode::<hs::Funding>(body);
    decode::<dp::Booking>(body);
    decode::<dp::Collection<dp::Booking>>(body);
    decode::<dp::Facility>(body);
    decode::<dp::Collection<dp::Doctor>>(body);
    decode::<dp::Address>(body);
    decode::<dp::Collection<dp::Slot>>(body);
    decode::<dp::NotificationBatch>(body);
    decode::<dp::Calendar>(body);
    decode::<dp::Collection<dp::AddressService>>(body);
    let _ = hs::decode_envelope::<Value>(body);
    let _ = hs::decode_envelope::<hs::Patient>(body);
    let _ = hs::decode_envelope::<Vec<hs::Patient>>(body);
    let _ = hs::decode_envelope::<Vec<hs::Medicard>>(body);
    let _ = hs::decode_envelope::<Vec<hs::MedicalRecord>>(body);
    let _ = mt::ErrorBody::parse(body);
    let _ = dp::error::parse_error_body(400, body);
    let _ = hs::HealthstackErrorParser.parse(403, body);
    let _ = carewire::core::DefaultErrorParser.parse(500, body);
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        let _ = mt::Claim::from_response(value.clone());
        let _ = dp::ErrorDetails::from_value(value.clone());
        let _ = hs::RecordData::from_value(hs::RecordType::parse("diagnosis"), value);
    }
});
