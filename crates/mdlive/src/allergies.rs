//! Allergies: a patient's allergies (create, list, delete by id or by FDB id) and the allergy name search
//! (`POST /api/v1/allergies/search`), which takes a patient's or the client's token.

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::wire::non_empty;
use crate::{Client, PatientSession};

carewire_core::open_enum! {
    /// How severe an allergy is: MDLIVE accepts exactly these four values. Patient data, so `Debug` hides it.
    redacted AllergySeverity {
        /// `Not Sure`.
        NotSure => "Not Sure",
        /// `Mild`.
        Mild => "Mild",
        /// `Moderate`.
        Moderate => "Moderate",
        /// `Severe`.
        Severe => "Severe",
    }
}

/// One of a patient's allergies, as MDLIVE returns it (also inside a health report, without an FDB id).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Allergy {
    /// MDLIVE's id of this allergy record (a number on the wire). Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The allergen (`"Peanut"`).
    #[serde(default)]
    pub name: Option<String>,
    /// How severe it is.
    #[serde(default)]
    pub severity: Option<AllergySeverity>,
    /// Whether it is active (`null` in some answers).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub active: Option<bool>,
    /// The reaction (`"Throat closes"`), free text.
    #[serde(default)]
    pub reaction: Option<String>,
    /// Who reported it (`"Self Reported"`, `"Call Center"`, a provider's name): free text.
    #[serde(default)]
    pub source: Option<String>,
    /// Whether it is current (`null` right after creation).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub current: Option<bool>,
    /// The First Databank allergy id (`"568"`), kept as text (leading zeros matter).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub fdb_allergy_id: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Allergy {
    show: [id, fdb_allergy_id, active, current],
    redact: [name, severity, reaction, source],
    keys: [extra],
});

/// One hit of the allergy name search.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AllergyMatch {
    /// The FDB id of the allergen (`977`), as text. Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The allergen's name (`"Penicillins"`): catalogue text, not patient data.
    #[serde(default)]
    pub name: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An allergy to record for a patient: the `allergy` object of `POST /api/v2/patients/{patient_id}/allergies`
/// (also an item of a health history).
///
/// ```
/// use carewire::mdlive::{AllergySeverity, NewAllergy};
///
/// let allergy = NewAllergy::new("Peanut", AllergySeverity::Severe, "Throat closes").fdb_allergy_id("568");
/// assert!(allergy.validate("allergy").is_ok());
/// ```
#[derive(Clone, PartialEq, Serialize)]
pub struct NewAllergy {
    name: String,
    severity: AllergySeverity,
    reaction: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fdb_allergy_id: Option<String>,
}

carewire_core::redacted_debug!(NewAllergy { show: [fdb_allergy_id], redact: [name, severity, reaction] });

/// Decodes a 2xx whose body MDLIVE does not document: empty, or any JSON. A body that is not JSON (a
/// proxy's HTML page) is a decode error.
fn empty_or_json(raw: &RawResponse) -> Result<()> {
    raw.json::<serde::de::IgnoredAny>().map(|_| ())
}

/// The longest reaction MDLIVE accepts, in characters.
pub const MAX_REACTION_CHARS: usize = 80;

impl NewAllergy {
    /// An allergy to `name` (best taken from the allergy search), how severe it is, and the reaction
    /// (at most 80 characters). All three are required.
    pub fn new(name: impl Into<String>, severity: AllergySeverity, reaction: impl Into<String>) -> Self {
        Self { name: name.into(), severity, reaction: reaction.into(), fdb_allergy_id: None }
    }

    /// The First Databank allergy id (an [`AllergyMatch::id`] from the search).
    #[must_use]
    pub fn fdb_allergy_id(mut self, id: impl Into<String>) -> Self {
        self.fdb_allergy_id = Some(id.into());
        self
    }

    /// Checks what MDLIVE documents, naming fields under `parent` (`"allergy"`, `"health_history.allergy[0]"`):
    /// a name, one of the four severities, a reaction of 1 to 80 characters, and a non-blank FDB id if set.
    ///
    /// # Errors
    ///
    /// [`carewire::Error::InvalidRequest`](carewire_core::Error::InvalidRequest) naming the field.
    pub fn validate(&self, parent: &str) -> Result<()> {
        non_empty(format!("{parent}.name"), &self.name)?;
        if self.severity.is_unknown() {
            return Err(carewire_core::Error::invalid_request(
                format!("{parent}.severity"),
                "must be one of Not Sure, Mild, Moderate, Severe",
            ));
        }
        non_empty(format!("{parent}.reaction"), &self.reaction)?;
        if self.reaction.chars().count() > MAX_REACTION_CHARS {
            return Err(carewire_core::Error::invalid_request(
                format!("{parent}.reaction"),
                "must be at most 80 characters",
            ));
        }
        if let Some(id) = &self.fdb_allergy_id {
            non_empty(format!("{parent}.fdb_allergy_id"), id)?;
        }
        Ok(())
    }
}

/// `POST /api/v2/patients/{patient_id}/allergies`: records an allergy for the patient.
#[derive(Clone, Debug)]
pub struct CreateAllergy {
    patient_id: String,
    allergy: NewAllergy,
}

impl CreateAllergy {
    /// Records `allergy` for the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, allergy: NewAllergy) -> Self {
        Self { patient_id: patient_id.into(), allergy }
    }
}

#[derive(Deserialize)]
struct AllergyEnvelope {
    allergy: Allergy,
}

#[derive(Deserialize)]
struct AllergiesEnvelope {
    allergies: Vec<Allergy>,
}

#[derive(Deserialize)]
struct MatchesEnvelope {
    allergies: Vec<AllergyMatch>,
}

impl Operation for CreateAllergy {
    type Output = Allergy;
    const SPEC: Spec =
        Spec::post("/api/v2/patients/{patient_id}/allergies").name("allergies.create").scope(Scope::Subject).json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.allergy.validate("allergy")?;
        let body = serde_json::json!({ "allergy": &self.allergy });
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&body))
    }

    fn decode(&self, raw: RawResponse) -> Result<Allergy> {
        raw.json::<AllergyEnvelope>().map(|e| e.allergy)
    }
}

/// `DELETE /api/v1/patients/{patient_id}/allergies/{allergy_id}`: removes one allergy record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteAllergy {
    patient_id: String,
    allergy_id: String,
}

impl DeleteAllergy {
    /// Deletes the allergy record `allergy_id` ([`Allergy::id`]) of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, allergy_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), allergy_id: allergy_id.into() }
    }
}

impl Operation for DeleteAllergy {
    type Output = ();
    const SPEC: Spec = Spec::delete("/api/v1/patients/{patient_id}/allergies/{allergy_id}")
        .name("allergies.delete")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("allergy_id", &self.allergy_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).path_param("allergy_id", &self.allergy_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<()> {
        empty_or_json(&raw)
    }
}

/// `DELETE /api/v1/patients/{patient_id}/allergies/fdb_allergy/{fdb_allergy_id}`: removes the patient's
/// allergy to a First Databank allergen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteAllergyByFdbId {
    patient_id: String,
    fdb_allergy_id: String,
}

impl DeleteAllergyByFdbId {
    /// Deletes the allergy to the FDB allergen `fdb_allergy_id` of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, fdb_allergy_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), fdb_allergy_id: fdb_allergy_id.into() }
    }
}

impl Operation for DeleteAllergyByFdbId {
    type Output = ();
    const SPEC: Spec = Spec::delete("/api/v1/patients/{patient_id}/allergies/fdb_allergy/{fdb_allergy_id}")
        .name("allergies.delete_by_fdb_id")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("fdb_allergy_id", &self.fdb_allergy_id)?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .path_param("fdb_allergy_id", &self.fdb_allergy_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<()> {
        empty_or_json(&raw)
    }
}

/// `GET /api/v1/patients/{patient_id}/allergies`: the patient's allergies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListAllergies {
    patient_id: String,
}

impl ListAllergies {
    /// The allergies of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

impl Operation for ListAllergies {
    type Output = Vec<Allergy>;
    const SPEC: Spec =
        Spec::get("/api/v1/patients/{patient_id}/allergies").name("allergies.list").scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<Allergy>> {
        raw.json::<AllergiesEnvelope>().map(|e| e.allergies)
    }
}

/// `POST /api/v1/allergies/search`: allergen names starting with a term (a read, so safe to retry).
///
/// ```
/// use carewire::mdlive::SearchAllergies;
///
/// let search = SearchAllergies::new("pen").limit(2);
/// # let _ = search;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchAllergies {
    term: String,
    limit: Option<u32>,
}

impl SearchAllergies {
    /// Allergens matching `term` (required).
    pub fn new(term: impl Into<String>) -> Self {
        Self { term: term.into(), limit: None }
    }

    /// At most `limit` results (MDLIVE's default is 10).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
}

impl Operation for SearchAllergies {
    type Output = Vec<AllergyMatch>;
    const SPEC: Spec = Spec::post("/api/v1/allergies/search")
        .name("allergies.search")
        .scope(Scope::SubjectOrClient)
        .json()
        .idempotent(true);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("search.term", &self.term)?;
        let mut search = Map::new();
        search.insert("term".into(), Value::from(self.term.as_str()));
        if let Some(limit) = self.limit {
            if limit == 0 {
                return Err(carewire_core::Error::invalid_request("search.limit", "must be positive"));
            }
            // The doc's example sends the limit as a string (`"2"`).
            search.insert("limit".into(), Value::from(limit.to_string()));
        }
        Ok(Self::SPEC.request().json(&serde_json::json!({ "search": search })))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<AllergyMatch>> {
        raw.json::<MatchesEnvelope>().map(|e| e.allergies)
    }
}

/// A patient's allergies; from [`PatientSession::allergies`]. Every call carries the patient's token.
#[derive(Clone, Debug)]
pub struct Allergies {
    session: PatientSession,
}

impl PatientSession {
    /// The patient's allergies: create, list, delete, and the allergen search with this patient's token.
    pub fn allergies(&self) -> Allergies {
        Allergies { session: self.clone() }
    }
}

impl Allergies {
    /// Records an allergy: `POST /api/v2/patients/{patient_id}/allergies`. Not retried once it may have
    /// reached MDLIVE (it could be recorded twice).
    ///
    /// ```no_run
    /// use carewire::mdlive::{AllergySeverity, NewAllergy, PatientSession};
    ///
    /// # async fn run(session: PatientSession) -> carewire::Result<()> {
    /// let allergy = session
    ///     .allergies()
    ///     .create(NewAllergy::new("Peanut", AllergySeverity::Severe, "Throat closes").fdb_allergy_id("568"))
    ///     .await?;
    /// println!("allergy {}", allergy.id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, allergy: NewAllergy) -> Call<CreateAllergy> {
        self.session.send(CreateAllergy::new(self.session.patient_id(), allergy))
    }

    /// The patient's allergies: `GET /api/v1/patients/{patient_id}/allergies`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for allergy in session.allergies().list().await? {
    ///     println!("{} (FDB {:?})", allergy.id, allergy.fdb_allergy_id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> Call<ListAllergies> {
        self.session.send(ListAllergies::new(self.session.patient_id()))
    }

    /// Deletes an allergy record by its id: `DELETE /api/v1/patients/{patient_id}/allergies/{allergy_id}`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.allergies().delete("110751").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, allergy_id: impl Into<String>) -> Call<DeleteAllergy> {
        self.session.send(DeleteAllergy::new(self.session.patient_id(), allergy_id))
    }

    /// Deletes the allergy to a First Databank allergen:
    /// `DELETE /api/v1/patients/{patient_id}/allergies/fdb_allergy/{fdb_allergy_id}`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.allergies().delete_by_fdb_id("568").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete_by_fdb_id(&self, fdb_allergy_id: impl Into<String>) -> Call<DeleteAllergyByFdbId> {
        self.session.send(DeleteAllergyByFdbId::new(self.session.patient_id(), fdb_allergy_id))
    }

    /// Searches allergen names with this patient's token: `POST /api/v1/allergies/search`.
    ///
    /// ```no_run
    /// use carewire::mdlive::SearchAllergies;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for hit in session.allergies().search(SearchAllergies::new("pen").limit(2)).await? {
    ///     println!("{} {:?}", hit.id, hit.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn search(&self, search: SearchAllergies) -> Call<SearchAllergies> {
        self.session.send(search)
    }
}

/// The allergen search with the client's API token; from [`Client::allergies`].
#[derive(Clone, Debug)]
pub struct AllergyCatalog {
    client: Client,
}

impl Client {
    /// The allergen search with the client's API token (a patient's allergies are on
    /// [`PatientSession::allergies`]).
    pub fn allergies(&self) -> AllergyCatalog {
        AllergyCatalog { client: self.clone() }
    }
}

impl AllergyCatalog {
    /// Searches allergen names: `POST /api/v1/allergies/search`.
    ///
    /// ```no_run
    /// use carewire::mdlive::{Client, SearchAllergies};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let hits = client.allergies().search(SearchAllergies::new("pen")).await?;
    /// println!("{} allergens", hits.len());
    /// # Ok(()) }
    /// ```
    pub fn search(&self, search: SearchAllergies) -> Call<SearchAllergies> {
        self.client.send(search)
    }
}
