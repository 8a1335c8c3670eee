//! Customer documents: create (Base64 data from bytes), delete, list and show, through the conformance
//! helper. The doc's responses lost everything but two fields (the `partial/` fixtures): the tests build
//! full answers around them and check the shapes the decoder accepts.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Encodings, Operation};
use carewire_mdlive::{CreateDocument, GetDocument, ListDocuments, NewDocument, RecordType};
use carewire_testkit::conformance::exchange;
use common::*;

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d];

/// A document answer: the surviving `partial/` fields plus an id, a name and a type.
fn document(id: u64) -> serde_json::Value {
    let mut doc = fixture_json("partial/documents_get.response.partial.json");
    doc["id"] = id.into();
    doc["document_name"] = "rash.png".into();
    doc["mime_type"] = "image/png".into();
    doc
}

#[tokio::test]
async fn create_wire_and_decode() {
    let body = serde_json::to_vec(&serde_json::json!({ "document": document(301) })).unwrap();
    let ex = exchange(
        |base| {
            session(base).documents().create(NewDocument::from_bytes(
                "rash.png",
                "image/png",
                RecordType::PatientRecord,
                PNG,
            ))
        },
        200,
        &body,
    )
    .await;
    ex.assert_wire("POST", "/api/v2/patients/52/documents").assert_header("authorization", USER_AUTH);
    // The doc's request fixture holds placeholders; the body is that object with the values filled in.
    let mut want = fixture_json("documents_create.request.json");
    want["doc"]["document_name"] = "rash.png".into();
    want["doc"]["data"] = "iVBORw0KGgoAAAAN".into();
    want["doc"]["mime_type"] = "image/png".into();
    ex.assert_json_body(&want);
    assert_eq!(ex.attempts, 1);
    let doc = ex.output();
    assert_eq!(doc.id.as_deref(), Some("301"));
    assert_eq!(doc.record_type, Some(RecordType::PatientRecord));
    assert_eq!(doc.upload_by.as_deref(), Some("test patient"));
    assert_eq!((doc.document_name.as_deref(), doc.mime_type.as_deref()), (Some("rash.png"), Some("image/png")));
    let debug = format!("{doc:?}");
    assert!(!debug.contains("rash.png") && !debug.contains("test patient"), "{debug}");
}

#[tokio::test]
async fn create_sends_base64_given_as_is() {
    let doc = NewDocument::from_base64("lab.pdf", "application/pdf", RecordType::TestResult, "JVBERi0xLjQ=");
    let ex =
        exchange(|base| session(base).documents().create(doc), 200, &serde_json::to_vec(&document(1)).unwrap()).await;
    let body = ex.request.json_value().unwrap();
    assert_eq!(body["doc"]["data"], "JVBERi0xLjQ=");
    assert_eq!(body["doc"]["record_type"], "Test Result");
    assert_eq!(ex.output().id.as_deref(), Some("1"), "a flat answer is read too");
}

#[tokio::test]
async fn create_reads_the_surviving_partial_answer() {
    let partial = fixture("partial/documents_create.response.partial.json");
    let doc = NewDocument::from_bytes("a.png", "image/png", RecordType::Behavioral, PNG);
    let ex = exchange(|base| session(base).documents().create(doc), 201, partial.as_bytes()).await;
    let doc = ex.output();
    assert_eq!((doc.id, doc.record_type), (None, Some(RecordType::PatientRecord)));
}

#[tokio::test]
async fn answers_that_hold_no_document_are_errors() {
    for body in [&br"{}"[..], br#"{"message": "saved"}"#, br#"{"document": null}"#, br"[]", b"", b"<html>"] {
        let ex = exchange(|base| session(base).send(GetDocument::new("52", "301")), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
        let doc = NewDocument::from_bytes("a.png", "image/png", RecordType::Behavioral, PNG);
        let ex = exchange(|base| session(base).send(CreateDocument::new("52", doc)), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[test]
fn create_is_validated_before_sending() {
    let doc =
        |name: &str, mime: &str, record: RecordType, data: &[u8]| NewDocument::from_bytes(name, mime, record, data);
    for (d, want) in [
        (doc(" ", "image/png", RecordType::PatientRecord, PNG), "doc.document_name"),
        (doc("a.png", "image/png", RecordType::PatientRecord, b""), "doc.data"),
        (doc("a.png", "png", RecordType::PatientRecord, PNG), "doc.mime_type"),
        (doc("a.png", "image/", RecordType::PatientRecord, PNG), "doc.mime_type"),
        (doc("a.png", "image/png", RecordType::Unknown("X-Ray".into()), PNG), "doc.record_type"),
    ] {
        let err = CreateDocument::new("52", d).request(&Encodings::default()).unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == want), "{want}: {err:?}");
    }
}

#[tokio::test]
async fn delete_wire() {
    let ex = exchange(|base| session(base).documents().delete("301"), 204, b"").await;
    ex.assert_wire("DELETE", "/api/v1/patients/52/documents/301")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    ex.output();
}

#[tokio::test]
async fn list_wire_and_decode() {
    let body = serde_json::to_vec(&serde_json::json!({ "documents": [document(301), document(302)] })).unwrap();
    let ex = exchange(|base| session(base).documents().list(), 200, &body).await;
    ex.assert_wire("GET", "/api/v1/patients/52/documents").assert_header("authorization", USER_AUTH).assert_no_body();
    let list = ex.output();
    assert_eq!(list.iter().map(|d| d.id.as_deref()).collect::<Vec<_>>(), vec![Some("301"), Some("302")]);
    assert_eq!(list[1].record_type, Some(RecordType::PatientRecord));
}

#[tokio::test]
async fn list_reads_the_likely_shapes_and_refuses_others() {
    let partial = fixture_json("partial/documents_list.response.partial.json");
    for body in [
        serde_json::json!([partial]),
        serde_json::json!({"customer_documents": [partial]}),
        serde_json::json!({"records": [partial], "total": 1}),
    ] {
        let bytes = serde_json::to_vec(&body).unwrap();
        let ex = exchange(|base| session(base).documents().list(), 200, &bytes).await;
        assert_eq!(ex.output()[0].upload_by.as_deref(), Some("test patient"), "{body}");
    }
    for body in [&br"{}"[..], br#"{"a": [], "b": []}"#, br"[{}]", br#"{"documents": {}}"#] {
        let ex = exchange(|base| session(base).send(ListDocuments::new("52")), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[tokio::test]
async fn get_wire_and_decode() {
    let ex =
        exchange(|base| session(base).documents().get("301"), 200, &serde_json::to_vec(&document(301)).unwrap()).await;
    ex.assert_wire("GET", "/api/v1/patients/52/documents/301")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    let doc = ex.output();
    assert_eq!(doc.id.as_deref(), Some("301"));
    assert_eq!(doc.mime_type.as_deref(), Some("image/png"));
}

#[tokio::test]
async fn get_of_an_unknown_document_is_a_404() {
    let ex = exchange(|base| session(base).documents().get("999"), 404, br#"{"error": "Document not found"}"#).await;
    assert_eq!(ex.output.unwrap_err().status(), Some(404));
}
