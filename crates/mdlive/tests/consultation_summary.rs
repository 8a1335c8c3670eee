//! The consultation summary: a Base64 PDF kept as text and decoded on request, through the conformance
//! helper.

mod common;

use carewire_core::Error;
use carewire_core::operation::{Encodings, Operation};
use carewire_mdlive::GetConsultationSummary;
use carewire_testkit::conformance::exchange;
use common::*;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn get_wire_and_decode() {
    // The doc's example lost the summary's fields (the `partial/` fixture is an empty object); it says
    // `data` is the Base64 of the PDF, so the test adds it.
    let mut body = fixture_json("partial/consultation_summary_get.response.partial.json");
    body["consultation_summary"]["data"] = base64(PDF).into();
    body["consultation_summary"]["file_name"] = "summary.pdf".into();
    let bytes = serde_json::to_vec(&body).unwrap();
    let ex = exchange(|base| session(base).consultation_summaries().get("4471"), 200, &bytes).await;
    ex.assert_wire("GET", "/api/v1/patients/52/appointments/consultation_summary")
        .assert_header("authorization", USER_AUTH)
        .assert_query(&[("cust_appt_id", "4471")])
        .assert_no_body();
    let summary = ex.output();
    assert_eq!(summary.data, base64(PDF), "the text is kept as sent");
    assert_eq!(summary.pdf().unwrap(), PDF);
    assert!(summary.extra.contains_key("file_name"));
    assert!(!format!("{summary:?}").contains(&summary.data[..8]));
}

#[tokio::test]
async fn pdf_tolerates_line_breaks_missing_padding_and_a_data_url() {
    let encoded = base64(PDF);
    let wrapped: String =
        encoded.as_bytes().chunks(20).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join("\n");
    for data in [wrapped, encoded.trim_end_matches('=').to_owned(), format!("data:application/pdf;base64,{encoded}")] {
        let body = serde_json::to_vec(&serde_json::json!({"consultation_summary": {"data": data}})).unwrap();
        let ex = exchange(|base| session(base).consultation_summaries().get("1"), 200, &body).await;
        assert_eq!(ex.output().pdf().unwrap(), PDF);
    }
}

#[tokio::test]
async fn data_that_is_not_base64_fails_on_pdf_only() {
    let body = br#"{"consultation_summary": {"data": "not base64 at all!"}}"#;
    let ex = exchange(|base| session(base).consultation_summaries().get("1"), 200, body).await;
    let summary = ex.output();
    let err = summary.pdf().unwrap_err();
    assert!(matches!(&err, Error::Decode(_)), "{err:?}");
    assert_eq!(err.decode_path(), Some("consultation_summary.data"));
    assert!(!err.to_string().contains("base64 at all"), "{err}");
}

#[tokio::test]
async fn an_answer_without_the_summary_or_its_data_is_an_error() {
    let partial = fixture("partial/consultation_summary_get.response.partial.json");
    for body in [partial.as_bytes(), br"{}", br#"{"data": "JVBERg=="}"#, br#"{"consultation_summary": null}"#] {
        let ex = exchange(|base| session(base).send(GetConsultationSummary::new("52", "1")), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
}

#[test]
fn the_appointment_id_is_required() {
    let err = GetConsultationSummary::new("52", "").request(&Encodings::default()).unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest { field, .. } if field == "cust_appt_id"), "{err:?}");
}
