//! Medical records: create and list. Records are immutable: the API has no update or delete call.
//!
//! The vendor documents 18 record data shapes but gives the wire `recordType` only for `diagnosis`; its
//! field tables add `prescription`, `lab`, `clinical_note` and `note`, and the last two match none of the
//! shapes. [`RecordType`] sends the documented names and snake_case names for the rest, and reads any of
//! them leniently.

mod data;
mod types;

use std::collections::BTreeMap;

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{RawResponse, Request, Result};
use chrono::{DateTime, FixedOffset};

use crate::client::Client;
use crate::consent::{ConsentToken, explicit_consent};
use crate::envelope::{Many, decode_resource};
use crate::util::{check_health_id, check_not_empty};

pub use data::{
    Admission, Allergy, Attachment, ConsentForm, Consultation, DentalRecord, Diagnosis, Discharge, EmergencyVisit,
    EyeExam, Imaging, LabParameter, LabResults, Medication, MentalHealth, Note, Prescription, ProgressNote, RecordData,
    Referral, Surgery, Vaccination, VitalSigns,
};
pub use types::{CreateRecord, MedicalRecord, Provider, RecordCreated, RecordType, parse_record_time};

/// `GET /records/multiple/{health_id}`: a patient's records, with the optional filters `recordType`,
/// `from` and `to` (ISO 8601).
///
/// It acts on the patient, so the stored consent token for them is sent ([`ListRecords::consent`] sends an
/// explicit one instead). [`Records::list`] sets the patient; [`ListRecords::health_id`] does before
/// `client.send(..)`.
///
/// ```
/// use carewire::healthstack::{ListRecords, RecordType};
/// use carewire::Operation;
/// use carewire::core::operation::Encodings;
///
/// let op = ListRecords::new().record_type(RecordType::LabResults).health_id("HID-NHG869UP");
/// let req = op.request(&Encodings::default())?;
/// assert_eq!(req.render_path()?, "/records/multiple/HID-NHG869UP");
/// assert_eq!(req.query_pairs().collect::<Vec<_>>(), vec![("recordType", "lab")]);
/// # Ok::<(), carewire::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct ListRecords {
    health_id: String,
    consent: Option<ConsentToken>,
    record_type: Option<RecordType>,
    from: Option<String>,
    to: Option<String>,
    extra: BTreeMap<String, String>,
}

carewire_core::redacted_debug!(ListRecords {
    show: [consent, record_type, from, to],
    redact: [health_id],
    keys: [extra],
});

impl ListRecords {
    /// No filter (and no patient yet: [`Records::list`] or [`ListRecords::health_id`] sets it).
    pub fn new() -> Self {
        Self::default()
    }

    /// The patient whose records to list (`HID-...`).
    pub fn health_id(mut self, health_id: impl Into<String>) -> Self {
        self.health_id = health_id.into();
        self
    }

    /// Sends `token` as `x-consent-token` instead of the stored one (it must belong to this patient and
    /// not have expired by the system clock; nothing is sent otherwise).
    pub fn consent(mut self, token: ConsentToken) -> Self {
        self.consent = Some(token);
        self
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

    /// A query parameter the doc does not list (setting a key again replaces its value).
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

/// Record calls. Get it from [`Client::records`]; owned, so it can be moved into a task.
///
/// Both calls act on a patient and send the stored consent token for that patient when it is valid;
/// [`Records::with_consent`] sends an explicit one instead.
#[derive(Debug, Clone)]
pub struct Records {
    client: Client,
    consent: Option<ConsentToken>,
}

impl Records {
    pub(crate) fn new(client: Client) -> Self {
        Self { client, consent: None }
    }

    /// Uses `token` as `x-consent-token` for the next calls of this handle instead of the stored one.
    pub fn with_consent(mut self, token: ConsentToken) -> Self {
        self.consent = Some(token);
        self
    }

    /// `POST /records`. Records cannot be changed or deleted once created.
    ///
    /// ```no_run
    /// use carewire::healthstack::{Client, CreateRecord, Diagnosis, Provider, RecordData};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let mut dx = Diagnosis::new();
    /// dx.diagnosis = Some("Fever".into());
    /// let record = CreateRecord::new("HID-NHG869UP", RecordData::Diagnosis(dx), Provider::new("Dr. Ada", "12345"));
    /// let created = client.records().create(record).await?;
    /// println!("record {}", created.record_id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, mut record: CreateRecord) -> Call<CreateRecord> {
        if let Some(token) = &self.consent {
            record.consent = Some(token.clone());
        }
        self.client.send(record)
    }

    /// `GET /records/multiple/{health_id}`: the patient's records from all sources.
    ///
    /// ```no_run
    /// use carewire::healthstack::{Client, ListRecords, RecordType};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let labs = client.records().list("HID-NHG869UP", ListRecords::new().record_type(RecordType::LabResults)).await?;
    /// println!("{} lab results", labs.len());
    /// # Ok(()) }
    /// ```
    pub fn list(&self, health_id: impl Into<String>, filter: ListRecords) -> Call<ListRecords> {
        let mut op = filter.health_id(health_id);
        if let Some(token) = &self.consent {
            op.consent = Some(token.clone());
        }
        self.client.send(op)
    }
}

impl Operation for CreateRecord {
    type Output = RecordCreated;
    const SPEC: Spec = Spec::post("/records").name("records.create").json().scope(Scope::ClientAndSubject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_health_id("patient", &self.patient)?;
        check_not_empty("provider.name", &self.provider.name)?;
        check_not_empty("provider.nprn", &self.provider.nprn)?;
        if let RecordData::Unknown { record_type, .. } = &self.data {
            check_not_empty("recordType", record_type.as_str())?;
        }
        let req = Self::SPEC.request().subject(&self.patient).json(self);
        explicit_consent(req, &self.patient, self.consent.as_ref())
    }

    fn decode(&self, raw: RawResponse) -> Result<RecordCreated> {
        decode_resource(&raw)
    }
}

impl Operation for ListRecords {
    type Output = Vec<MedicalRecord>;
    const SPEC: Spec = Spec::get("/records/multiple/{health_id}").name("records.list").scope(Scope::ClientAndSubject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_health_id("health_id", &self.health_id)?;
        let mut req = Self::SPEC
            .request()
            .path_param("health_id", &self.health_id)
            .subject(&self.health_id)
            .query_opt("recordType", self.record_type.as_ref().map(RecordType::as_str))
            .query_opt("from", self.from.as_deref())
            .query_opt("to", self.to.as_deref());
        for (k, v) in &self.extra {
            req = req.query(k.clone(), v);
        }
        explicit_consent(req, &self.health_id, self.consent.as_ref())
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<MedicalRecord>> {
        decode_resource(&raw).map(|Many(records)| records)
    }
}
