//! Medications: a patient's current medications (create, delete by id or by NDC, list) and MDLIVE's
//! medication search (`POST /api/v2/medications/search`).

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::wire::non_empty;
use crate::{Client, PatientSession};

/// A medication on a patient's record.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Medication {
    /// The medication record's id (what [`Medications::delete`] takes). The create answer always has it;
    /// list items in MDLIVE's examples lack it (delete those by NDC).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// Name and strength (`"Ibuprofen PM 200 mg-25 mg capsule"`).
    #[serde(default)]
    pub name: Option<String>,
    /// The dosage (`"1"`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub dosage: Option<String>,
    /// How often (`"Once Daily"`).
    #[serde(default)]
    pub frequency: Option<String>,
    /// The quantity.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub quantity: Option<i64>,
    /// Who reported it (`"Self Reported"`).
    #[serde(default)]
    pub source: Option<String>,
    /// Whether the patient currently takes it.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub current: Option<bool>,
    /// The National Drug Code, as text (leading zeros matter: `"00363061121"`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub ndc_id: Option<String>,
    /// MDLIVE's medication id (from [search](Medications::search)), as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub med_id: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Medication {
    show: [id, current],
    redact: [name, dosage, frequency, quantity, source, ndc_id, med_id],
    keys: [extra],
});

/// One result of the medication search.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MedicationMatch {
    /// The result's id, as text. Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The name (`"ibuprofen 50 mg chewable tablet"`).
    #[serde(default)]
    pub name: Option<String>,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
    /// MDLIVE's medication id, as text: what [`NewMedication::med_id`] takes.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub med_id: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(MedicationMatch { show: [id, med_id], redact: [name, description], keys: [extra] });

/// A medication to add to a patient's record: the body of `POST /api/v2/patients/{patient_id}/medications`.
///
/// # Examples
///
/// ```
/// use carewire::mdlive::NewMedication;
///
/// let medication = NewMedication::new("Ibuprofen PM 200 mg-25 mg capsule")
///     .current(true)
///     .dosage("1")
///     .frequency("Once Daily")
///     .ndc_id("00363061121");
/// assert!(medication.validate().is_ok());
/// assert!(NewMedication::new("Ibuprofen").ndc_id("0036-3061-121").validate().is_err());
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct NewMedication {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dosage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    frequency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    med_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ndc_id: Option<String>,
}

carewire_core::redacted_debug!(NewMedication { show: [current], redact: [name, dosage, frequency, med_id, ndc_id] });

impl NewMedication {
    /// A medication by name (required; usually a [search](Medications::search) result's name).
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), ..Self::default() }
    }

    /// Whether the patient currently takes it.
    #[must_use]
    pub fn current(mut self, current: bool) -> Self {
        self.current = Some(current);
        self
    }

    /// The dosage.
    #[must_use]
    pub fn dosage(mut self, dosage: impl Into<String>) -> Self {
        self.dosage = Some(dosage.into());
        self
    }

    /// How often it is taken.
    #[must_use]
    pub fn frequency(mut self, frequency: impl Into<String>) -> Self {
        self.frequency = Some(frequency.into());
        self
    }

    /// MDLIVE's medication id (a search result's `med_id`).
    #[must_use]
    pub fn med_id(mut self, med_id: impl Into<String>) -> Self {
        self.med_id = Some(med_id.into());
        self
    }

    /// The National Drug Code: digits only, leading zeros kept.
    #[must_use]
    pub fn ndc_id(mut self, ndc_id: impl Into<String>) -> Self {
        self.ndc_id = Some(ndc_id.into());
        self
    }

    /// Checks what can be checked before sending: a name, and an NDC of digits only when one is given.
    pub fn validate(&self) -> Result<()> {
        non_empty("medication.name", &self.name)?;
        if let Some(ndc) = &self.ndc_id {
            ndc_digits("medication.ndc_id", ndc)?;
        }
        if let Some(med_id) = &self.med_id {
            non_empty("medication.med_id", med_id)?;
        }
        Ok(())
    }
}

/// An NDC is sent as digits without separators (MDLIVE's example: `00363061121`).
fn ndc_digits(field: &'static str, ndc: &str) -> Result<()> {
    if ndc.is_empty() || ndc.len() > 11 || !ndc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid_request(field, "must be at most 11 digits, without separators"));
    }
    Ok(())
}

/// Medication operations for one patient; from [`PatientSession::medications`].
#[derive(Clone, Debug)]
pub struct Medications {
    session: PatientSession,
}

impl PatientSession {
    /// The patient's medications, and the medication search with this patient's token.
    pub fn medications(&self) -> Medications {
        Medications { session: self.clone() }
    }
}

impl Medications {
    /// Adds a medication: `POST /api/v2/patients/{patient_id}/medications`. Not retried once it may have
    /// reached MDLIVE.
    ///
    /// ```no_run
    /// use carewire::mdlive::{NewMedication, PatientSession};
    ///
    /// # async fn run(session: PatientSession) -> carewire::Result<()> {
    /// let added = session
    ///     .medications()
    ///     .create(NewMedication::new("Ibuprofen PM 200 mg-25 mg capsule").current(true).ndc_id("00363061121"))
    ///     .await?;
    /// println!("medication {:?}", added.id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, medication: NewMedication) -> Call<CreateMedication> {
        self.session.send(CreateMedication::new(self.session.patient_id(), medication))
    }

    /// Removes a medication by its record id: `DELETE /api/v1/patients/{patient_id}/medications/{medication_id}`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.medications().delete("29").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, medication_id: impl Into<String>) -> Call<DeleteMedication> {
        self.session.send(DeleteMedication::new(self.session.patient_id(), medication_id))
    }

    /// Removes a medication by its NDC: `DELETE /api/v1/patients/{patient_id}/medications/ndc/{ndc_id}`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.medications().delete_by_ndc("00363061121").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete_by_ndc(&self, ndc_id: impl Into<String>) -> Call<DeleteMedicationByNdc> {
        self.session.send(DeleteMedicationByNdc::new(self.session.patient_id(), ndc_id))
    }

    /// The patient's current medications: `GET /api/v1/patients/{patient_id}/medications`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for medication in session.medications().list().await? {
    ///     println!("{:?} current: {:?}", medication.id, medication.current);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> Call<ListMedications> {
        self.session.send(ListMedications::new(self.session.patient_id()))
    }

    /// Medications whose name starts with `search`'s term, with this patient's token:
    /// `POST /api/v2/medications/search`.
    ///
    /// ```no_run
    /// use carewire::mdlive::SearchMedications;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let found = session.medications().search(SearchMedications::new("ibuprofen 50").limit(10)).await?;
    /// for m in &found {
    ///     println!("{} med_id {:?}", m.id, m.med_id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn search(&self, search: SearchMedications) -> Call<SearchMedications> {
        self.session.send(search)
    }
}

/// The medication search with the client's API token; from [`Client::medications`].
#[derive(Clone, Debug)]
pub struct MedicationCatalog {
    client: Client,
}

impl Client {
    /// The medication search with the client's API token (a patient's medications are on
    /// [`PatientSession::medications`]).
    pub fn medications(&self) -> MedicationCatalog {
        MedicationCatalog { client: self.clone() }
    }
}

impl MedicationCatalog {
    /// Medications whose name starts with the term: `POST /api/v2/medications/search`.
    ///
    /// ```no_run
    /// use carewire::mdlive::SearchMedications;
    ///
    /// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
    /// let found = client.medications().search(SearchMedications::new("ibuprofen")).await?;
    /// println!("{} results", found.len());
    /// # Ok(()) }
    /// ```
    pub fn search(&self, search: SearchMedications) -> Call<SearchMedications> {
        self.client.send(search)
    }
}

/// `POST /api/v2/patients/{patient_id}/medications`: adds a medication. An answer without the record's id
/// is an error.
#[derive(Clone, Debug)]
pub struct CreateMedication {
    patient_id: String,
    medication: NewMedication,
}

impl CreateMedication {
    /// Adds `medication` to patient `patient_id`'s record.
    pub fn new(patient_id: impl Into<String>, medication: NewMedication) -> Self {
        Self { patient_id: patient_id.into(), medication }
    }
}

#[derive(Serialize)]
struct MedicationBody<'a> {
    medication: &'a NewMedication,
}

#[derive(Deserialize)]
struct MedicationEnvelope {
    medication: Medication,
}

impl Operation for CreateMedication {
    type Output = Medication;
    const SPEC: Spec =
        Spec::post("/api/v2/patients/{patient_id}/medications").name("medications.create").scope(Scope::Subject).json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.medication.validate()?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .json(&MedicationBody { medication: &self.medication }))
    }

    fn decode(&self, raw: RawResponse) -> Result<Medication> {
        let medication = raw.json::<MedicationEnvelope>()?.medication;
        if medication.id.is_none() {
            let err = carewire_core::resource::missing(raw.meta.status, "medication", "id", &raw.body);
            return Err(raw.attach_context(err));
        }
        Ok(medication)
    }
}

/// `DELETE /api/v1/patients/{patient_id}/medications/{medication_id}`: removes a medication. MDLIVE
/// documents no answer body; any 2xx is success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteMedication {
    patient_id: String,
    medication_id: String,
}

impl DeleteMedication {
    /// Removes medication record `medication_id` of patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, medication_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), medication_id: medication_id.into() }
    }
}

impl Operation for DeleteMedication {
    type Output = ();
    const SPEC: Spec = Spec::delete("/api/v1/patients/{patient_id}/medications/{medication_id}")
        .name("medications.delete")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("medication_id", &self.medication_id)?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .path_param("medication_id", &self.medication_id))
    }

    fn decode(&self, _raw: RawResponse) -> Result<()> {
        Ok(())
    }
}

/// `DELETE /api/v1/patients/{patient_id}/medications/ndc/{ndc_id}`: removes a medication by its National
/// Drug Code. MDLIVE documents no answer body; any 2xx is success.
#[derive(Clone, PartialEq, Eq)]
pub struct DeleteMedicationByNdc {
    patient_id: String,
    ndc_id: String,
}

carewire_core::redacted_debug!(DeleteMedicationByNdc { show: [patient_id], redact: [ndc_id] });

impl DeleteMedicationByNdc {
    /// Removes the medication with NDC `ndc_id` (digits, leading zeros kept) from patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, ndc_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), ndc_id: ndc_id.into() }
    }
}

impl Operation for DeleteMedicationByNdc {
    type Output = ();
    const SPEC: Spec = Spec::delete("/api/v1/patients/{patient_id}/medications/ndc/{ndc_id}")
        .name("medications.delete_by_ndc")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        ndc_digits("ndc_id", &self.ndc_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).path_param("ndc_id", &self.ndc_id))
    }

    fn decode(&self, _raw: RawResponse) -> Result<()> {
        Ok(())
    }
}

/// `GET /api/v1/patients/{patient_id}/medications`: the patient's current medications.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListMedications {
    patient_id: String,
}

impl ListMedications {
    /// Patient `patient_id`'s medications.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

#[derive(Deserialize)]
struct MedicationList<T> {
    medications: Vec<T>,
}

impl Operation for ListMedications {
    type Output = Vec<Medication>;
    const SPEC: Spec =
        Spec::get("/api/v1/patients/{patient_id}/medications").name("medications.list").scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<Medication>> {
        raw.json::<MedicationList<Medication>>().map(|l| l.medications)
    }
}

/// `POST /api/v2/medications/search`: medications whose name starts with a term. Sent with a patient's
/// token through a session, else with the client's API token. A search changes nothing, so it is retried
/// like a read.
///
/// # Examples
///
/// ```
/// use carewire::mdlive::SearchMedications;
///
/// assert!(SearchMedications::new("ibuprofen 50").limit(10).validate().is_ok());
/// assert!(SearchMedications::new("ibuprofen").limit(51).validate().is_err()); // MDLIVE's maximum is 50
/// ```
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SearchMedications {
    term: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
}

carewire_core::redacted_debug!(SearchMedications { show: [limit], redact: [term] });

impl SearchMedications {
    /// Medications whose name starts with `term` (required).
    pub fn new(term: impl Into<String>) -> Self {
        Self { term: term.into(), limit: None }
    }

    /// At most `limit` results: 1 to 50 (MDLIVE's default is 10).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Checks what can be checked before sending: a term, and a limit from 1 to 50.
    pub fn validate(&self) -> Result<()> {
        non_empty("search.term", &self.term)?;
        match self.limit {
            Some(l) if !(1..=50).contains(&l) => Err(Error::invalid_request("search.limit", "must be from 1 to 50")),
            _ => Ok(()),
        }
    }
}

#[derive(Serialize)]
struct SearchBody<'a> {
    search: &'a SearchMedications,
}

impl Operation for SearchMedications {
    type Output = Vec<MedicationMatch>;
    const SPEC: Spec = Spec::post("/api/v2/medications/search")
        .name("medications.search")
        .scope(Scope::SubjectOrClient)
        .idempotent(true)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.validate()?;
        Ok(Self::SPEC.request().json(&SearchBody { search: self }))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<MedicationMatch>> {
        raw.json::<MedicationList<MedicationMatch>>().map(|l| l.medications)
    }
}
