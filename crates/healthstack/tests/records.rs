//! Records: create (all 18 documented data shapes plus the note types) and list.

mod common;

use carewire_healthstack::{
    ConsentToken, CreateRecord, Diagnosis, ListRecords, Provider, RecordData, RecordType, parse_record_time,
};
use chrono::{DateTime, Utc};
use common::{HID, client, consent_header, fixture_json, mock, mock_json, only_request, respond};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, query_param};
use wiremock::{MockServer, ResponseTemplate};

/// (fixture file, record type, expected wire name).
const TYPES: [(&str, RecordType, &str); 18] = [
    ("diagnosis.json", RecordType::Diagnosis, "diagnosis"),
    ("prescription.json", RecordType::Prescription, "prescription"),
    ("lab_results.json", RecordType::LabResults, "lab"),
    ("vital_signs.json", RecordType::VitalSigns, "vital_signs"),
    ("consultation.json", RecordType::Consultation, "consultation"),
    ("imaging.json", RecordType::Imaging, "imaging"),
    ("surgery.json", RecordType::Surgery, "surgery"),
    ("allergy.json", RecordType::Allergy, "allergy"),
    ("vaccination.json", RecordType::Vaccination, "vaccination"),
    ("admission.json", RecordType::Admission, "admission"),
    ("discharge.json", RecordType::Discharge, "discharge"),
    ("referral.json", RecordType::Referral, "referral"),
    ("mental_health.json", RecordType::MentalHealth, "mental_health"),
    ("progress_note.json", RecordType::ProgressNote, "progress_note"),
    ("consent_form.json", RecordType::ConsentForm, "consent_form"),
    ("dental_record.json", RecordType::DentalRecord, "dental_record"),
    ("eye_exam.json", RecordType::EyeExam, "eye_exam"),
    ("emergency_visit.json", RecordType::EmergencyVisit, "emergency_visit"),
];

#[test]
fn all_18_record_data_fixtures_decode_typed_and_round_trip() {
    for (file, kind, wire) in TYPES {
        let raw = fixture_json(&format!("record_data/{file}"));
        let data = RecordData::from_value(kind.clone(), raw.clone());
        assert!(!matches!(data, RecordData::Unknown { .. }), "{file} fell back to Unknown");
        assert_eq!(data.record_type(), kind);
        assert_eq!(data.record_type().as_str(), wire);
        assert_eq!(RecordType::parse(wire), kind);
        // Nothing lost, nothing changed, and no typed field landed in `extra`.
        assert_eq!(data.to_value(), raw, "{file}");
        assert!(!format!("{data:?}").contains("Dr. "), "{file}: Debug shows data");
    }
}

#[test]
fn typed_fields_are_reachable() {
    let RecordData::Prescription(p) =
        RecordData::from_value(RecordType::Prescription, fixture_json("record_data/prescription.json"))
    else {
        panic!("prescription")
    };
    assert_eq!(p.medications.as_ref().unwrap()[0].drug_name.as_deref(), Some("Artemeter "));
    assert_eq!(p.prescribed_by.as_deref(), Some("Dr. Michael"));
    let RecordData::LabResults(l) =
        RecordData::from_value(RecordType::LabResults, fixture_json("record_data/lab_results.json"))
    else {
        panic!("lab")
    };
    assert_eq!(l.parameters.as_ref().unwrap()[0].normal_range.as_deref(), Some("21"));
    let RecordData::Allergy(a) = RecordData::from_value(RecordType::Allergy, fixture_json("record_data/allergy.json"))
    else {
        panic!("allergy")
    };
    assert!(parse_record_time(a.noted_at.as_deref().unwrap()).is_some());
    let RecordData::Imaging(i) = RecordData::from_value(RecordType::Imaging, fixture_json("record_data/imaging.json"))
    else {
        panic!("imaging")
    };
    assert_eq!(i.attachments.as_ref().unwrap()[0].file_url.as_deref(), Some("https://jknvfkr dm"));
    assert!(parse_record_time(i.performed_at.as_deref().unwrap()).is_none());
}

#[test]
fn note_types_and_unknown_keep_json() {
    let v = json!({"notes": "n", "author": "x"});
    let RecordData::ClinicalNote(n) = RecordData::from_value(RecordType::parse("clinical_note"), v.clone()) else {
        panic!("clinical_note")
    };
    assert_eq!(n.notes.as_deref(), Some("n"));
    assert_eq!(n.extra["author"], "x");
    assert!(matches!(RecordData::from_value(RecordType::parse("note"), v.clone()), RecordData::Note(_)));
    let unknown = RecordData::from_value(RecordType::parse("genomics"), v.clone());
    assert_eq!(unknown.record_type(), RecordType::Unknown("genomics".into()));
    assert_eq!(unknown.to_value(), v);
    // Data that does not fit its type is kept raw rather than failing.
    let odd = RecordData::from_value(RecordType::Diagnosis, json!({"diagnosis": 42}));
    assert!(matches!(odd, RecordData::Unknown { .. }));
}

#[tokio::test]
async fn create_record_for_every_type_sends_type_data_provider_patient() {
    let server = MockServer::start().await;
    for (file, _kind, wire) in TYPES {
        let raw = fixture_json(&format!("record_data/{file}"));
        mock_json("POST", "/v1/records")
            .and(body_json(json!({
                "recordType": wire,
                "data": raw,
                "provider": { "name": "Dr. Ada", "nprn": "NPRN-0001" },
                "patient": HID,
            })))
            .respond_with(respond("records_create.response.json"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let c = client(&server);
    for (file, kind, _) in TYPES {
        let data = RecordData::from_value(kind, fixture_json(&format!("record_data/{file}")));
        let created =
            c.records().create(CreateRecord::new(HID, data, Provider::new("Dr. Ada", "NPRN-0001"))).await.unwrap();
        assert_eq!(created.record_id, "454e23a2-4e56-4e9f-902c-6b38d59dadf6");
        assert_eq!(created.patient.as_deref(), Some(HID));
    }
    for req in server.received_requests().await.unwrap() {
        assert!(consent_header(&req).is_none());
    }
}

#[tokio::test]
async fn create_record_with_consent_and_validation() {
    let server = MockServer::start().await;
    mock_json("POST", "/v1/records")
        .and(body_json(json!({
            "recordType": "diagnosis",
            "data": { "diagnosis": "Fever", "severity": "Mild", "notes": "Patient reported mild fever" },
            "provider": { "name": "Dr. Ada", "nprn": "NPRN-0001" },
            "patient": HID,
            "ward": "Ward 7B",
        })))
        .respond_with(respond("records_create.response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    c.consents().insert(ConsentToken::new(HID, "ct_1234567890abcdef", Utc::now()));
    let mut dx = Diagnosis::new();
    dx.diagnosis = Some("Fever".into());
    dx.severity = Some("Mild".into());
    dx.notes = Some("Patient reported mild fever".into());
    let provider = Provider::new("Dr. Ada", "NPRN-0001");
    let record = CreateRecord::new(HID, RecordData::Diagnosis(dx.clone()), provider).extra("ward", "Ward 7B");
    let debug = format!("{record:?}");
    assert!(!debug.contains(HID) && !debug.contains("Fever") && !debug.contains("Ward 7B"), "{debug}");
    let created = c.records().create(record).await.unwrap();
    let debug = format!("{created:?}");
    assert!(!debug.contains(HID), "{debug}");
    assert_eq!(consent_header(&only_request(&server).await).as_deref(), Some("ct_1234567890abcdef"));

    let err = c
        .records()
        .create(CreateRecord::new(HID, RecordData::Diagnosis(dx.clone()), Provider::new("Dr. Ada", " ")))
        .await
        .unwrap_err();
    assert!(matches!(err, carewire_core::Error::InvalidRequest { ref field, .. } if field == "provider.nprn"));
    let err = c
        .records()
        .create(CreateRecord::new("HID-1", RecordData::Diagnosis(dx), Provider::new("Dr. Ada", "1")))
        .await
        .unwrap_err();
    assert!(matches!(err, carewire_core::Error::InvalidRequest { ref field, .. } if field == "patient"));
}

#[tokio::test]
async fn list_records_sends_filters_and_decodes_leniently() {
    let server = MockServer::start().await;
    let body = json!({
        "success": true, "status": 200, "message": "Records fetched successfully",
        "data": [
            { "id": "r1", "recordType": "lab", "data": fixture_json("record_data/lab_results.json"),
              "provider": { "name": "Dr. Ada", "nprn": "1" }, "patient": HID, "created_at": "2025-07-22T11:58:58Z" },
            { "record_id": "r2", "record_type": "vital_signs", "data": fixture_json("record_data/vital_signs.json") },
            { "recordId": 3, "recordType": "genomics", "data": { "x": 1 }, "source": "elsewhere" },
            { "id": "r4" }
        ]
    });
    mock("GET", "/v1/records/multiple/HID-NHG869UP")
        .and(query_param("recordType", "lab"))
        .and(query_param("from", "2025-01-01T00:00:00+00:00"))
        .and(query_param("to", "2025-12-31T23:59:59+00:00"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    c.consents().insert(ConsentToken::new(HID, "ct_1234567890abcdef", Utc::now()));
    let from = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").unwrap();
    let to = DateTime::parse_from_rfc3339("2025-12-31T23:59:59Z").unwrap();
    let records =
        c.records().list(HID, ListRecords::new().record_type(RecordType::LabResults).from(from).to(to)).await.unwrap();
    assert_eq!(records.len(), 4);
    assert!(matches!(records[0].data, RecordData::LabResults(_)));
    assert_eq!(records[0].id.as_deref(), Some("r1"));
    assert!(matches!(records[1].data, RecordData::VitalSigns(_)));
    assert_eq!(records[2].id.as_deref(), Some("3"));
    assert!(matches!(records[2].data, RecordData::Unknown { .. }));
    assert_eq!(records[2].extra["source"], "elsewhere");
    assert_eq!(records[3].data.to_value(), Value::Null);
    assert_eq!(consent_header(&only_request(&server).await).as_deref(), Some("ct_1234567890abcdef"));
}

#[tokio::test]
async fn list_records_without_filters_or_token() {
    let server = MockServer::start().await;
    mock("GET", "/v1/records/multiple/HID-NHG869UP")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "success": true, "status": 200, "data": [] })))
        .expect(1)
        .mount(&server)
        .await;
    let records = client(&server).records().list(HID, ListRecords::new()).await.unwrap();
    assert!(records.is_empty());
    let req = only_request(&server).await;
    assert!(req.url.query().is_none());
    assert!(consent_header(&req).is_none());
}

#[tokio::test]
async fn a_record_list_without_data_is_a_decode_error_not_an_empty_list() {
    let server = MockServer::start().await;
    mock("GET", "/v1/records/multiple/HID-NHG869UP")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "success": true, "status": 200 })))
        .mount(&server)
        .await;
    let err = client(&server).records().list(HID, ListRecords::new()).await.unwrap_err();
    assert!(matches!(err, carewire_core::Error::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("missing field `data`"), "{err}");
}
