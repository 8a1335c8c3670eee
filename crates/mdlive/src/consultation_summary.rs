//! The consultation summary of an appointment, a PDF sent as Base64 text:
//! `GET /api/v1/patients/{patient_id}/appointments/consultation_summary?cust_appt_id=..`.

use base64::Engine as _;
use carewire_core::error::DecodeError;
use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::wire::non_empty;

/// A consultation summary. The doc's example lost every field but says `data` is the Base64 of the PDF;
/// the rest is kept in `extra`.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ConsultationSummary {
    /// The PDF, Base64-encoded, exactly as sent. Required: a summary without it is a decode error. Use
    /// [`ConsultationSummary::pdf`] for the bytes.
    pub data: String,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(ConsultationSummary { redact: [data], keys: [extra] });

impl ConsultationSummary {
    /// The PDF's bytes, decoded from [`ConsultationSummary::data`]. Line breaks and spaces (which some
    /// Base64 encoders insert), missing padding and a `data:...;base64,` prefix are tolerated.
    ///
    /// ```
    /// use carewire::mdlive::ConsultationSummary;
    ///
    /// let summary: ConsultationSummary = serde_json::from_str(r#"{"data": "JVBERi0x\nLjQ="}"#)?;
    /// assert_eq!(summary.pdf()?, b"%PDF-1.4");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`carewire::Error::Decode`](carewire_core::Error::Decode) at `consultation_summary.data` when the text
    /// is not Base64 (the message never quotes it).
    pub fn pdf(&self) -> Result<Vec<u8>> {
        let text = self.data.trim();
        let text = match text.split_once(";base64,") {
            Some((prefix, rest)) if prefix.starts_with("data:") => rest,
            _ => text,
        };
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT.decode(compact.as_bytes()).map_err(|_| {
            let cause = <serde_json::Error as serde::de::Error>::custom("the PDF data is not valid Base64");
            Error::Decode(Box::new(DecodeError::from_json(200, "consultation_summary.data".to_owned(), &cause, b"")))
        })
    }
}

/// `GET /api/v1/patients/{patient_id}/appointments/consultation_summary?cust_appt_id=..`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetConsultationSummary {
    patient_id: String,
    cust_appt_id: String,
}

impl GetConsultationSummary {
    /// The summary of the appointment `cust_appt_id` of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, cust_appt_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), cust_appt_id: cust_appt_id.into() }
    }
}

#[derive(Deserialize)]
struct Envelope {
    consultation_summary: ConsultationSummary,
}

impl Operation for GetConsultationSummary {
    type Output = ConsultationSummary;
    const SPEC: Spec = Spec::get("/api/v1/patients/{patient_id}/appointments/consultation_summary")
        .name("consultation_summary.get")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("cust_appt_id", &self.cust_appt_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).query("cust_appt_id", &self.cust_appt_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<ConsultationSummary> {
        raw.json::<Envelope>().map(|e| e.consultation_summary)
    }
}

/// Consultation summaries; from [`PatientSession::consultation_summaries`].
#[derive(Clone, Debug)]
pub struct ConsultationSummaries {
    session: PatientSession,
}

impl PatientSession {
    /// The consultation summaries (PDFs) of this patient's appointments.
    pub fn consultation_summaries(&self) -> ConsultationSummaries {
        ConsultationSummaries { session: self.clone() }
    }
}

impl ConsultationSummaries {
    /// The summary of one appointment:
    /// `GET /api/v1/patients/{patient_id}/appointments/consultation_summary?cust_appt_id=..`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let summary = session.consultation_summaries().get("4471").await?;
    /// let pdf = summary.pdf()?;
    /// println!("{} bytes of PDF", pdf.len());
    /// # Ok(()) }
    /// ```
    pub fn get(&self, cust_appt_id: impl Into<String>) -> Call<GetConsultationSummary> {
        self.session.send(GetConsultationSummary::new(self.session.patient_id(), cust_appt_id))
    }
}
