//! Medical records: create and list. Records are immutable: the API has no update or delete call.
//!
//! The vendor documents 18 record data shapes but gives the wire `recordType` only for `diagnosis`; its
//! field tables add `prescription`, `lab`, `clinical_note` and `note`, and the last two match none of the
//! shapes. [`RecordType`] sends the documented names and snake_case names for the rest, and reads any of
//! them leniently.

mod data;
mod types;

use carewire_core::{Request, Result};
use chrono::{DateTime, FixedOffset};

use crate::client::Client;
use crate::consent::ConsentToken;
use crate::envelope::Many;
use crate::util::{check_health_id, check_not_empty};

pub use data::{
    Admission, Allergy, Attachment, ConsentForm, Consultation, DentalRecord, Diagnosis, Discharge, EmergencyVisit,
    EyeExam, Imaging, LabParameter, LabResults, Medication, MentalHealth, Note, Prescription, ProgressNote, RecordData,
    Referral, Surgery, Vaccination, VitalSigns,
};
pub use types::{CreateRecord, MedicalRecord, Provider, RecordCreated, RecordType, parse_record_time};

/// Filters of `GET /records/multiple/{healthId}`: `recordType`, `from`, `to` (ISO 8601).
#[derive(Clone, Debug, Default)]
pub struct ListRecords {
    record_type: Option<RecordType>,
    from: Option<String>,
    to: Option<String>,
    extra: Vec<(String, String)>,
}

impl ListRecords {
    /// No filter.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only records of this type.
    pub fn record_type(mut self, t: RecordType) -> Self {
        self.record_type = Some(t);
        self
    }

    /// Only records from this time on.
    pub fn from(mut self, from: DateTime<FixedOffset>) -> Self {
        self.from = Some(from.to_rfc3339());
        self
    }

    /// Only records up to this time.
    pub fn to(mut self, to: DateTime<FixedOffset>) -> Self {
        self.to = Some(to.to_rfc3339());
        self
    }

    /// A query parameter the doc does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((key.into(), value.into()));
        self
    }
}

/// Record calls. Get it from [`Client::records`].
///
/// Both calls act on a patient and send the stored consent token for that patient when it is valid;
/// [`Records::with_consent`] sends an explicit one instead.
#[derive(Debug, Clone)]
pub struct Records<'a> {
    client: &'a Client,
    consent: Option<ConsentToken>,
}

impl<'a> Records<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client, consent: None }
    }

    /// Uses `token` as `x-consent-token` for the next calls of this handle instead of the stored one.
    pub fn with_consent(mut self, token: ConsentToken) -> Self {
        self.consent = Some(token);
        self
    }

    /// `POST /records`. Records cannot be changed or deleted once created.
    pub async fn create(&self, record: CreateRecord) -> Result<RecordCreated> {
        let mut req = Request::post("/records").operation("records.create").json(&record);
        check_health_id(&mut req, "patient", &record.patient);
        check_not_empty(&mut req, "provider.name", &record.provider.name);
        check_not_empty(&mut req, "provider.nprn", &record.provider.nprn);
        if let RecordData::Unknown { record_type, .. } = &record.data
            && record_type.as_str().trim().is_empty()
        {
            req.fail("recordType", "must not be empty");
        }
        let req = self.client.with_consent(req, &record.patient, self.consent.as_ref())?;
        self.client.call(req).await
    }

    /// `GET /records/multiple/{healthId}`: the patient's records from all sources.
    pub async fn list(&self, health_id: &str, filter: ListRecords) -> Result<Vec<MedicalRecord>> {
        let mut req = Request::get("/records/multiple/{healthId}")
            .operation("records.list")
            .path_param("healthId", health_id)
            .query_opt("recordType", filter.record_type.as_ref().map(RecordType::as_str))
            .query_opt("from", filter.from.as_deref())
            .query_opt("to", filter.to.as_deref());
        for (k, v) in &filter.extra {
            req = req.query(k.clone(), v);
        }
        check_health_id(&mut req, "health_id", health_id);
        let req = self.client.with_consent(req, health_id, self.consent.as_ref())?;
        let Many(items) = self.client.call(req).await?;
        Ok(items)
    }
}
