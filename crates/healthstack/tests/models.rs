//! Models users can work with: decoded from the vendor's fixtures, written back to JSON and read again
//! unchanged; built by hand from `Default` in a user's own tests; still redacted in `Debug`.

mod common;

use carewire_healthstack::{
    Acknowledgement, CardExpiry, CardState, CardStatus, EnvelopeStatus, Funding, Gender, MedicalRecord, Medicard,
    Patient, PatientCreated, PatientMetadata, RecordCreated, RecordData, RecordType, ReservedMedicard, Transaction,
    decode_envelope,
};
use common::{HID, fixture, fixture_json};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes the `data` of a fixture as `T`, writes it to JSON and reads that back: the same value, and the
/// same JSON when written again. Returns the decoded value and its JSON.
fn round_trip<T>(name: &str) -> (T, Value)
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let decoded: T = decode_envelope::<T>(fixture(name).as_bytes()).unwrap().data.expect(name);
    let json = serde_json::to_value(&decoded).unwrap();
    let again: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(decoded, again, "{name}");
    assert_eq!(serde_json::to_value(&again).unwrap(), json, "{name}");
    (decoded, json)
}

#[test]
fn response_models_round_trip_through_their_own_json() {
    let (patients, json) = round_trip::<Vec<Patient>>("patients_multiple.response.json");
    assert_eq!(patients[0].gender, Some(Gender::Female));
    assert_eq!(json[0]["gender"], "female", "sent back in the wire spelling");
    assert_eq!(json[0]["metadata"]["key"], "value");
    round_trip::<Vec<Patient>>("patient_single.response.json");
    round_trip::<Patient>("patient_single.response.alt_object.json");
    let (created, _) = round_trip::<PatientCreated>("patients_create.response.json");
    assert_eq!(created.nin.as_deref(), Some("12345678901"));
    round_trip::<PatientMetadata>("patient_edit.response.json");
    let (record, json) = round_trip::<RecordCreated>("records_create.response.json");
    assert_eq!(json["recordId"], record.record_id.as_str());

    let (cards, _) = round_trip::<Vec<Medicard>>("medicard_create.response.json");
    assert_eq!(cards[0].card_number, "MED-KMSII94S");
    round_trip::<Vec<Medicard>>("medicard_patients.response.json");
    let (card, _) = round_trip::<Medicard>("medicard_single.response.json");
    assert_eq!(card.status, Some(CardStatus::Assigned));
    let (reserved, json) = round_trip::<Vec<ReservedMedicard>>("medicard_reserved.response.json");
    assert_eq!(reserved[0].expires_at.as_ref().map(CardExpiry::raw), Some("18/25"));
    assert_eq!(json[0]["expires_at"], "18/25", "the expiry is kept as sent");
    let (state, json) = round_trip::<CardState>("medicard_activate.response.json");
    assert_eq!(state.active, Some(true));
    assert_eq!(json["active"], true, "the string \"true\" is written back as a boolean");
    round_trip::<CardState>("medicard_deactivate.response.json");
    let (txs, _) = round_trip::<Vec<Transaction>>("medicard_transactions.response.json");
    assert_eq!(txs[0].id.as_deref(), Some("7"));
    round_trip::<Vec<Transaction>>("medicard_business_transactions.response.json");
    let (funding, _) = round_trip::<Funding>("medicard_fund.response.json");
    assert_eq!(funding.reference.as_deref(), Some("1234567890"));

    let ack: Acknowledgement = serde_json::from_str(&fixture("patients_seek_consent.response.json")).unwrap();
    assert_eq!((ack.success, ack.status.clone()), (Some(true), Some(EnvelopeStatus::Code(200))));
    let again: Acknowledgement = serde_json::from_value(serde_json::to_value(&ack).unwrap()).unwrap();
    assert_eq!(again, ack);
}

#[test]
fn medical_records_write_back_the_names_they_were_read_with() {
    let provider = json!({ "name": "Dr. Ada", "nprn": "NPRN-123" });
    for file in ["diagnosis.json", "prescription.json", "lab_results.json", "vital_signs.json", "imaging.json"] {
        let data = fixture_json(&format!("record_data/{file}"));
        let wire = file.trim_end_matches(".json").replace("lab_results", "lab");
        let input = json!({
            "recordId": "rec_1", "recordType": wire, "data": data, "provider": provider, "patient": HID,
            "business_id": "BUS-AFV2LA01", "created_at": "2025-07-22T11:58:58Z", "source": "clinic"
        });
        let record: MedicalRecord = serde_json::from_value(input.clone()).unwrap();
        assert!(!matches!(record.data, RecordData::Unknown { .. }), "{file}");
        assert_eq!(serde_json::to_value(&record).unwrap(), input, "{file}");
    }
    // snake_case names are read too, and written back as the create call names them.
    let snake = json!({ "record_id": "rec_2", "record_type": "Vital Signs", "health_id": HID, "data": {} });
    let record: MedicalRecord = serde_json::from_value(snake).unwrap();
    assert_eq!(record.record_type, Some(RecordType::VitalSigns));
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(
        (&json["recordId"], &json["recordType"], &json["patient"]),
        (&json!("rec_2"), &json!("vital_signs"), &json!(HID))
    );
    assert_eq!(serde_json::from_value::<MedicalRecord>(json).unwrap(), record);
}

#[test]
fn models_can_be_built_in_your_own_tests() {
    let mut patient = Patient::default();
    patient.health_id = HID.to_owned();
    patient.full_name = Some("Gift Amadi".to_owned());
    patient.gender = Some(Gender::Female);
    patient.metadata.insert("genotype".to_owned(), json!("AS"));
    let json = serde_json::to_value(&patient).unwrap();
    assert_eq!((&json["health_id"], &json["gender"]), (&json!(HID), &json!("female")));
    let debug = format!("{patient:?}");
    assert!(!debug.contains("Gift") && !debug.contains(HID) && !debug.contains("AS"), "{debug}");
    assert!(debug.contains("full_name: Some([REDACTED])") && debug.contains(r#"metadata: ["genotype"]"#), "{debug}");

    let mut card = Medicard::default();
    card.card_number = "MED-9Y2OV2KT".to_owned();
    card.card_name = Some("Gift's card".to_owned());
    let debug = format!("{card:?}");
    assert!(debug.contains("…V2KT") && !debug.contains("MED-9Y2O") && !debug.contains("Gift"), "{debug}");

    let record = MedicalRecord::default();
    assert_eq!(serde_json::to_value(&record).unwrap(), json!({}));
    assert_eq!(serde_json::from_value::<MedicalRecord>(json!({})).unwrap(), record);
}

#[test]
fn open_enums_read_every_spelling_they_accept() {
    for (input, kind) in [
        ("labResults", RecordType::LabResults),
        ("Lab Results", RecordType::LabResults),
        ("lab-result", RecordType::LabResults),
        ("VITALS", RecordType::VitalSigns),
        ("vitalSigns", RecordType::VitalSigns),
        ("eye examination", RecordType::EyeExam),
        ("Emergency", RecordType::EmergencyVisit),
        ("dental", RecordType::DentalRecord),
        ("clinicalNote", RecordType::ClinicalNote),
        ("notes", RecordType::Note),
        ("allergies", RecordType::Allergy),
        (" Diagnosis ", RecordType::Diagnosis),
    ] {
        assert_eq!(RecordType::from(input), kind, "{input}");
        assert_eq!(serde_json::from_value::<RecordType>(json!(input)).unwrap(), kind, "{input}");
    }
    for kind in RecordType::ALL {
        assert_eq!(&RecordType::from(kind.as_str()), kind);
        assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.as_str()));
    }
    assert_eq!(RecordType::from("x-ray"), RecordType::Unknown("x-ray".into()));
    assert_eq!(RecordType::ALL.len(), 20);

    for (input, gender) in
        [("M", Gender::Male), ("female", Gender::Female), ("f", Gender::Female), ("Other", Gender::Other)]
    {
        assert_eq!(serde_json::from_value::<Gender>(json!(input)).unwrap(), gender, "{input}");
    }
    assert_eq!(format!("{:?}", Gender::Unknown("nonbinary".into())), "[REDACTED]");

    for input in ["not_assigned", "Not Assigned", "not-assigned", "notassigned", "UNASSIGNED"] {
        assert_eq!(CardStatus::from(input), CardStatus::NotAssigned, "{input}");
    }
    let card: Medicard = serde_json::from_value(json!({ "card_number": "MED-1", "status": "Not Assigned" })).unwrap();
    assert_eq!(card.status, Some(CardStatus::NotAssigned));
    assert_eq!(CardStatus::from("lost"), CardStatus::Unknown("lost".into()));
}
