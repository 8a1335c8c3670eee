//! Clinical concepts: MDLIVE's catalogue of symptoms and conditions with their ICD-10 and SNOMED codes
//! (`GET /api/v1/clinical_concepts`), the source of a [`NewMedicalCondition`](crate::NewMedicalCondition).

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::wire::non_empty;
use crate::{Client, PatientSession};

/// One clinical concept (`"Throat Pain"`, a symptom, ICD-10 `R07.0`).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ClinicalConcept {
    /// The concept id (a number in this answer, a string elsewhere: kept as text). Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub concept_id: String,
    /// The kind of concept (`"Symptom"`).
    #[serde(default)]
    pub concept_type: Option<String>,
    /// The concept's title (`"Throat Pain"`).
    #[serde(default)]
    pub title: Option<String>,
    /// The ICD-10 code (`"R07.0"`).
    #[serde(default)]
    pub icd10: Option<String>,
    /// The SNOMED CT code, as text (MDLIVE sends a string or a number).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub snomed: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(ClinicalConcept {
    show: [concept_id, concept_type],
    redact: [title, icd10, snomed],
    keys: [extra],
});

/// Who sends a catalogue call: the client (its API token) or a patient session (the patient's token).
#[derive(Clone, Debug)]
enum Sender {
    Client(Client),
    Session(PatientSession),
}

impl Sender {
    fn send<O: Operation>(&self, op: O) -> Call<O> {
        match self {
            Self::Client(client) => client.send(op),
            Self::Session(session) => session.send(op),
        }
    }
}

/// Clinical concept search; from [`PatientSession::clinical_concepts`] (the patient's token, which
/// MDLIVE documents for this endpoint) or [`Client::clinical_concepts`] (the client's API token).
#[derive(Clone, Debug)]
pub struct ClinicalConcepts {
    via: Sender,
}

impl Client {
    /// Clinical concept search with the client's API token. MDLIVE documents a patient's token for it:
    /// prefer [`PatientSession::clinical_concepts`] when you have a session.
    pub fn clinical_concepts(&self) -> ClinicalConcepts {
        ClinicalConcepts { via: Sender::Client(self.clone()) }
    }
}

impl PatientSession {
    /// Clinical concept search with this patient's token.
    pub fn clinical_concepts(&self) -> ClinicalConcepts {
        ClinicalConcepts { via: Sender::Session(self.clone()) }
    }
}

impl ClinicalConcepts {
    /// Concepts matching `term`, at most MDLIVE's default of 10: `GET /api/v1/clinical_concepts` with
    /// `search[term]` in the query. Send [`SearchClinicalConcepts`] with a limit for more or fewer.
    ///
    /// ```no_run
    /// use carewire::mdlive::{PatientSession, SearchClinicalConcepts};
    ///
    /// # async fn run(session: PatientSession) -> carewire::Result<()> {
    /// for concept in session.clinical_concepts().search("throat").await? {
    ///     println!("{} {:?}", concept.concept_id, concept.icd10);
    /// }
    /// let three = session.send(SearchClinicalConcepts::new("throat").limit(3)).await?;
    /// # let _ = three;
    /// # Ok(()) }
    /// ```
    pub fn search(&self, term: impl Into<String>) -> Call<SearchClinicalConcepts> {
        self.via.send(SearchClinicalConcepts::new(term))
    }

    /// Sends a search built with its options (a limit).
    ///
    /// ```no_run
    /// use carewire::mdlive::SearchClinicalConcepts;
    ///
    /// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
    /// let concepts = client.clinical_concepts().search_with(SearchClinicalConcepts::new("cough").limit(5)).await?;
    /// # let _ = concepts;
    /// # Ok(()) }
    /// ```
    pub fn search_with(&self, search: SearchClinicalConcepts) -> Call<SearchClinicalConcepts> {
        self.via.send(search)
    }
}

/// `GET /api/v1/clinical_concepts`: concepts matching a term.
///
/// MDLIVE's examples put `{"search": {"term", "limit"}}` in a JSON body on a GET, while its parameter table
/// calls them query string parameters; carewire sends them as the query `search[term]=..&search[limit]=..`,
/// which HTTP intermediaries do not drop.
#[derive(Clone, PartialEq, Eq)]
pub struct SearchClinicalConcepts {
    term: String,
    limit: Option<u32>,
}

carewire_core::redacted_debug!(SearchClinicalConcepts { show: [limit], redact: [term] });

impl SearchClinicalConcepts {
    /// Concepts matching `term` (required).
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

#[derive(Deserialize)]
struct ConceptList {
    clinical_concepts: Vec<ClinicalConcept>,
}

impl Operation for SearchClinicalConcepts {
    type Output = Vec<ClinicalConcept>;
    const SPEC: Spec =
        Spec::get("/api/v1/clinical_concepts").name("clinical_concepts.search").scope(Scope::SubjectOrClient);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("search.term", &self.term)?;
        if self.limit == Some(0) {
            return Err(Error::invalid_request("search.limit", "must be at least 1"));
        }
        Ok(Self::SPEC.request().query("search[term]", &self.term).query_opt("search[limit]", self.limit))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<ClinicalConcept>> {
        raw.json::<ConceptList>().map(|l| l.clinical_concepts)
    }
}
