//! Customer documents: files a patient uploads (a photo of a symptom before an appointment, a test
//! result): create (Base64 data), list, show, delete.
//!
//! The doc's response examples lost everything but `record_type` and `upload_by`, wrappers included. A
//! document is read from the object itself or from under `document`, `doc` or `customer_document`; a list
//! from a bare array, from under `documents`, `customer_documents` or `docs`, or from the object's only
//! array member. A 2xx that holds no document (`{}`, `{"message": ..}`) is a decode error.

use base64::Engine as _;
use carewire_core::de::LenientDateTime;
use carewire_core::error::DecodeError;
use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::wire::non_empty;

carewire_core::open_enum! {
    /// What kind of record a document is.
    RecordType {
        /// `Behavioral`.
        Behavioral => "Behavioral",
        /// `Exam-Face2Face`.
        ExamFace2Face => "Exam-Face2Face",
        /// `Patient Record`.
        PatientRecord => "Patient Record",
        /// `Test Result`.
        TestResult => "Test Result",
        /// `Wellness Panel Results`.
        WellnessPanelResults => "Wellness Panel Results",
    }
}

/// A document as MDLIVE returns it. Only `record_type` and `upload_by` survive in the doc; the other
/// members are the likely ones, all optional.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CustomerDocument {
    /// The document's id: keep it, an appointment can attach it (`file_id`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The file name.
    #[serde(default)]
    pub document_name: Option<String>,
    /// The MIME type (`image/png`).
    #[serde(default)]
    pub mime_type: Option<String>,
    /// The kind of record.
    #[serde(default)]
    pub record_type: Option<RecordType>,
    /// Who uploaded it (`"test patient"`): a person's name.
    #[serde(default)]
    pub upload_by: Option<String>,
    /// When it was uploaded, if sent.
    #[serde(default)]
    pub created_at: Option<LenientDateTime>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(CustomerDocument {
    show: [id, mime_type, record_type, created_at],
    redact: [document_name, upload_by],
    keys: [extra],
});

impl CustomerDocument {
    fn holds_a_document(&self) -> bool {
        self.id.is_some()
            || self.document_name.is_some()
            || self.record_type.is_some()
            || self.upload_by.is_some()
            || self.mime_type.is_some()
    }
}

/// Decodes a 2xx whose body MDLIVE does not document: empty, or any JSON. A body that is not JSON (a
/// proxy's HTML page) is a decode error.
fn empty_or_json(raw: &RawResponse) -> Result<()> {
    raw.json::<serde::de::IgnoredAny>().map(|_| ())
}

/// A decode error at the root of `raw`'s body, for an answer of the wrong shape (`what` is a short
/// description without any value from the body).
fn wrong_shape(raw: &RawResponse, what: &'static str) -> Error {
    let cause = <serde_json::Error as serde::de::Error>::custom(what);
    raw.attach_context(Error::Decode(Box::new(DecodeError::from_json(
        raw.meta.status,
        ".".to_owned(),
        &cause,
        &raw.body,
    ))))
}

/// Decodes `T` from a JSON object that a response holds itself or under one of `wrappers` (for answers
/// whose wrapper the doc lost). An empty object, or a body that is not an object, is a decode error.
pub(crate) fn object_in<T: DeserializeOwned>(raw: &RawResponse, wrappers: &[&str]) -> Result<T> {
    let Value::Object(mut map) = raw.json::<Value>()? else {
        return Err(wrong_shape(raw, "expected a JSON object"));
    };
    if map.len() == 1
        && let Some(key) = wrappers.iter().find(|k| map.contains_key(**k))
    {
        match map.remove(*key) {
            Some(Value::Object(inner)) => map = inner,
            _ => return Err(wrong_shape(raw, "expected an object in the wrapper")),
        }
    }
    if map.is_empty() {
        return Err(wrong_shape(raw, "expected a non-empty object"));
    }
    decode_value(raw, &Value::Object(map))
}

/// Decodes a list that a response holds as a bare array, under one of `wrappers`, or as the only array
/// member of its object (for answers whose wrapper the doc lost). Anything else is a decode error.
pub(crate) fn list_in<T: DeserializeOwned>(raw: &RawResponse, wrappers: &[&str]) -> Result<Vec<T>> {
    let list = match raw.json::<Value>()? {
        list @ Value::Array(_) => list,
        Value::Object(mut map) => {
            let key = wrappers.iter().find(|k| map.contains_key(**k)).map(|k| (*k).to_owned()).or_else(|| {
                let mut arrays = map.iter().filter(|(_, v)| v.is_array()).map(|(k, _)| k.clone());
                match (arrays.next(), arrays.next()) {
                    (Some(only), None) => Some(only),
                    _ => None,
                }
            });
            match key.and_then(|k| map.remove(&k)) {
                Some(list @ Value::Array(_)) => list,
                _ => return Err(wrong_shape(raw, "expected a list")),
            }
        }
        _ => return Err(wrong_shape(raw, "expected a list")),
    };
    decode_value(raw, &list)
}

/// Decodes `T` from a value taken out of `raw`'s body, with the JSON path of a failure.
fn decode_value<T: DeserializeOwned>(raw: &RawResponse, value: &Value) -> Result<T> {
    let bytes = serde_json::to_vec(value).map_err(|_| wrong_shape(raw, "the body cannot be re-read"))?;
    carewire_core::decode_json(raw.meta.status, &bytes).map_err(|e| raw.attach_context(e))
}

const ONE: &[&str] = &["document", "doc", "customer_document"];
const MANY: &[&str] = &["documents", "customer_documents", "docs"];

fn one(raw: &RawResponse) -> Result<CustomerDocument> {
    let document: CustomerDocument = object_in(raw, ONE)?;
    if document.holds_a_document() { Ok(document) } else { Err(wrong_shape(raw, "the answer holds no document")) }
}

/// A file to upload: the `doc` object of `POST /api/v2/patients/{patient_id}/documents`.
///
/// ```
/// use carewire::mdlive::{NewDocument, RecordType};
///
/// let photo = NewDocument::from_bytes("rash.png", "image/png", RecordType::PatientRecord, [0x89, b'P', b'N', b'G']);
/// assert!(photo.validate().is_ok());
/// ```
#[derive(Clone, PartialEq, Serialize)]
pub struct NewDocument {
    document_name: String,
    data: String,
    mime_type: String,
    record_type: RecordType,
}

carewire_core::redacted_debug!(NewDocument { show: [mime_type, record_type], redact: [document_name, data] });

impl NewDocument {
    /// A file named `document_name` (with its extension) of type `mime_type`, its bytes Base64-encoded here.
    pub fn from_bytes(
        document_name: impl Into<String>,
        mime_type: impl Into<String>,
        record_type: RecordType,
        bytes: impl AsRef<[u8]>,
    ) -> Self {
        let data = base64::engine::general_purpose::STANDARD.encode(bytes.as_ref());
        Self::from_base64(document_name, mime_type, record_type, data)
    }

    /// The same from data already Base64-encoded (sent as is).
    pub fn from_base64(
        document_name: impl Into<String>,
        mime_type: impl Into<String>,
        record_type: RecordType,
        data: impl Into<String>,
    ) -> Self {
        Self { document_name: document_name.into(), data: data.into(), mime_type: mime_type.into(), record_type }
    }

    /// Checks the name and the data (not blank), the MIME type (`type/subtype`) and the record type (one
    /// of the five MDLIVE accepts).
    ///
    /// # Errors
    ///
    /// [`carewire::Error::InvalidRequest`](carewire_core::Error::InvalidRequest) naming the field.
    pub fn validate(&self) -> Result<()> {
        non_empty("doc.document_name", &self.document_name)?;
        non_empty("doc.data", &self.data)?;
        non_empty("doc.mime_type", &self.mime_type)?;
        match self.mime_type.split_once('/') {
            Some((kind, sub)) if !kind.trim().is_empty() && !sub.trim().is_empty() => {}
            _ => return Err(Error::invalid_request("doc.mime_type", "must be a MIME type such as image/png")),
        }
        if self.record_type.is_unknown() {
            return Err(Error::invalid_request(
                "doc.record_type",
                "must be Behavioral, Exam-Face2Face, Patient Record, Test Result or Wellness Panel Results",
            ));
        }
        Ok(())
    }
}

/// `POST /api/v2/patients/{patient_id}/documents`: uploads a document. Not retried once it may have
/// reached MDLIVE (it could be stored twice).
#[derive(Clone, Debug)]
pub struct CreateDocument {
    patient_id: String,
    doc: NewDocument,
}

impl CreateDocument {
    /// Uploads `doc` for the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, doc: NewDocument) -> Self {
        Self { patient_id: patient_id.into(), doc }
    }
}

impl Operation for CreateDocument {
    type Output = CustomerDocument;
    const SPEC: Spec =
        Spec::post("/api/v2/patients/{patient_id}/documents").name("documents.create").scope(Scope::Subject).json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.doc.validate()?;
        let body = serde_json::json!({ "doc": &self.doc });
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&body))
    }

    fn decode(&self, raw: RawResponse) -> Result<CustomerDocument> {
        one(&raw)
    }
}

/// `DELETE /api/v1/patients/{patient_id}/documents/{document_id}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteDocument {
    patient_id: String,
    document_id: String,
}

impl DeleteDocument {
    /// Deletes the document `document_id` of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, document_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), document_id: document_id.into() }
    }
}

fn document_path(spec: &Spec, patient_id: &str, document_id: &str) -> Result<Request> {
    non_empty("patient_id", patient_id)?;
    non_empty("document_id", document_id)?;
    Ok(spec.request().path_param("patient_id", patient_id).path_param("document_id", document_id))
}

impl Operation for DeleteDocument {
    type Output = ();
    const SPEC: Spec = Spec::delete("/api/v1/patients/{patient_id}/documents/{document_id}")
        .name("documents.delete")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        document_path(&Self::SPEC, &self.patient_id, &self.document_id)
    }

    fn decode(&self, raw: RawResponse) -> Result<()> {
        empty_or_json(&raw)
    }
}

/// `GET /api/v1/patients/{patient_id}/documents`: the patient's documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListDocuments {
    patient_id: String,
}

impl ListDocuments {
    /// The documents of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

impl Operation for ListDocuments {
    type Output = Vec<CustomerDocument>;
    const SPEC: Spec =
        Spec::get("/api/v1/patients/{patient_id}/documents").name("documents.list").scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<CustomerDocument>> {
        let documents: Vec<CustomerDocument> = list_in(&raw, MANY)?;
        if documents.iter().all(CustomerDocument::holds_a_document) {
            Ok(documents)
        } else {
            Err(wrong_shape(&raw, "a list item holds no document"))
        }
    }
}

/// `GET /api/v1/patients/{patient_id}/documents/{document_id}`: one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetDocument {
    patient_id: String,
    document_id: String,
}

impl GetDocument {
    /// The document `document_id` of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, document_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), document_id: document_id.into() }
    }
}

impl Operation for GetDocument {
    type Output = CustomerDocument;
    const SPEC: Spec =
        Spec::get("/api/v1/patients/{patient_id}/documents/{document_id}").name("documents.get").scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        document_path(&Self::SPEC, &self.patient_id, &self.document_id)
    }

    fn decode(&self, raw: RawResponse) -> Result<CustomerDocument> {
        one(&raw)
    }
}

/// A patient's documents; from [`PatientSession::documents`].
#[derive(Clone, Debug)]
pub struct Documents {
    session: PatientSession,
}

impl PatientSession {
    /// This patient's customer documents.
    pub fn documents(&self) -> Documents {
        Documents { session: self.clone() }
    }
}

impl Documents {
    /// Uploads a document: `POST /api/v2/patients/{patient_id}/documents`.
    ///
    /// ```no_run
    /// use carewire::mdlive::{NewDocument, RecordType};
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession, photo: Vec<u8>) -> carewire::Result<()> {
    /// let doc = session
    ///     .documents()
    ///     .create(NewDocument::from_bytes("rash.png", "image/png", RecordType::PatientRecord, &photo))
    ///     .await?;
    /// println!("document {:?}: attach it to the appointment", doc.id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, doc: NewDocument) -> Call<CreateDocument> {
        self.session.send(CreateDocument::new(self.session.patient_id(), doc))
    }

    /// The patient's documents: `GET /api/v1/patients/{patient_id}/documents`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for doc in session.documents().list().await? {
    ///     println!("{:?} {:?}", doc.id, doc.record_type);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> Call<ListDocuments> {
        self.session.send(ListDocuments::new(self.session.patient_id()))
    }

    /// One document: `GET /api/v1/patients/{patient_id}/documents/{document_id}`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let doc = session.documents().get("301").await?;
    /// println!("{:?}", doc.mime_type);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, document_id: impl Into<String>) -> Call<GetDocument> {
        self.session.send(GetDocument::new(self.session.patient_id(), document_id))
    }

    /// Deletes a document: `DELETE /api/v1/patients/{patient_id}/documents/{document_id}`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.documents().delete("301").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, document_id: impl Into<String>) -> Call<DeleteDocument> {
        self.session.send(DeleteDocument::new(self.session.patient_id(), document_id))
    }
}
