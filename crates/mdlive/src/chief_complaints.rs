//! Chief complaints: `GET /api/v1/patients/chief_complaints`, the catalogue of reasons for a visit. The doc
//! sends its `search` object as a JSON body on a `GET`; carewire sends it as the query
//! `search[term]=..&search[language]=..&search[limit]=..`, which a GET can carry everywhere. The doc asks for
//! a patient's token although the path names no patient; the client's API token is accepted too.

use carewire_core::de::LenientDateTime;
use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::wire::non_empty;
use crate::{Client, PatientSession};

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

carewire_core::open_enum! {
    /// The language of the complaint titles.
    ComplaintLanguage {
        /// `EN`, English (MDLIVE's default).
        English => "EN",
        /// `ES`, Spanish.
        Spanish => "ES",
    }
}

/// One entry of the chief complaint catalogue (reference data, not patient data).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ChiefComplaint {
    /// The complaint's id (a number on the wire). Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The clinical concept (a number here, a string elsewhere).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub concept_id: Option<String>,
    /// MDLIVE's `ccc` flag.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub ccc: Option<bool>,
    /// MDLIVE's `dx` flag.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub dx: Option<bool>,
    /// The term the patient typed or picked (`"Sore Throat"`).
    #[serde(default)]
    pub alternate_term: Option<String>,
    /// The clinical title (`"Throat pain (sore throat)"`).
    #[serde(default)]
    pub title: Option<String>,
    /// The title in plain language.
    #[serde(default)]
    pub title_plain_language: Option<String>,
    /// The Spanish title (often `null`).
    #[serde(default)]
    pub title_spanish: Option<String>,
    /// ICD-9 code (`"784.1"`).
    #[serde(default)]
    pub icd9: Option<String>,
    /// ICD-10 code (`"R07.0"`).
    #[serde(default)]
    pub icd10: Option<String>,
    /// SNOMED code, as text (a string or a number on the wire).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub snomed: Option<String>,
    /// Language id (`1`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub language_id: Option<i64>,
    /// MDLIVE's image-request level (`2`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub request_image: Option<i64>,
    /// Whether an image is required.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub image_required: Option<bool>,
    /// The English version of the alternate term.
    #[serde(default)]
    pub alternate_term_english_version: Option<String>,
    /// How often it is used.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub frequency: Option<i64>,
    /// When it was created (`2021-07-23T01:26:08.582-04:00`), kept as sent.
    #[serde(default)]
    pub created_at: Option<LenientDateTime>,
    /// When it was last updated.
    #[serde(default)]
    pub updated_at: Option<LenientDateTime>,
    /// Whether it is active.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub active: Option<bool>,
    /// The term to suggest.
    #[serde(default)]
    pub suggestable_alternate_term: Option<String>,
    /// Whether it is blocked.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_blocked: Option<bool>,
    /// Escalation level (only `null` in the doc).
    #[serde(default)]
    pub escalation_level: Option<Value>,
    /// The complaint to use instead when this one is rejected (only `null` in the doc).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub rejectable_chief_complaint_id: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /api/v1/patients/chief_complaints`: complaints matching a term, as query parameters
/// `search[term]`, `search[language]`, `search[limit]`.
///
/// ```
/// use carewire::mdlive::{ComplaintLanguage, SearchChiefComplaints};
///
/// let search = SearchChiefComplaints::new("throat").language(ComplaintLanguage::English).limit(3);
/// # let _ = search;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchChiefComplaints {
    term: String,
    language: Option<ComplaintLanguage>,
    limit: Option<u32>,
}

impl SearchChiefComplaints {
    /// Complaints matching `term` (required).
    pub fn new(term: impl Into<String>) -> Self {
        Self { term: term.into(), language: None, limit: None }
    }

    /// The language (MDLIVE defaults to English).
    #[must_use]
    pub fn language(mut self, language: ComplaintLanguage) -> Self {
        self.language = Some(language);
        self
    }

    /// At most `limit` results (MDLIVE's default is 10).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
}

#[derive(Deserialize)]
struct Envelope {
    chief_complaints: Vec<ChiefComplaint>,
}

impl Operation for SearchChiefComplaints {
    type Output = Vec<ChiefComplaint>;
    const SPEC: Spec =
        Spec::get("/api/v1/patients/chief_complaints").name("chief_complaints.search").scope(Scope::SubjectOrClient);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("search.term", &self.term)?;
        if let Some(language) = &self.language
            && language.is_unknown()
        {
            return Err(carewire_core::Error::invalid_request("search.language", "must be EN or ES"));
        }
        if self.limit == Some(0) {
            return Err(carewire_core::Error::invalid_request("search.limit", "must be positive"));
        }
        Ok(Self::SPEC
            .request()
            .query("search[term]", &self.term)
            .query_opt("search[language]", self.language.as_ref())
            .query_opt("search[limit]", self.limit))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<ChiefComplaint>> {
        raw.json::<Envelope>().map(|e| e.chief_complaints)
    }
}

/// The chief complaint catalogue; from [`Client::chief_complaints`] (API token) or
/// [`PatientSession::chief_complaints`] (the patient's token, as the doc asks).
#[derive(Clone, Debug)]
pub struct ChiefComplaints {
    sender: Sender,
}

impl Client {
    /// The chief complaint catalogue, with the client's API token.
    pub fn chief_complaints(&self) -> ChiefComplaints {
        ChiefComplaints { sender: Sender::Client(self.clone()) }
    }
}

impl PatientSession {
    /// The chief complaint catalogue, with this patient's token.
    pub fn chief_complaints(&self) -> ChiefComplaints {
        ChiefComplaints { sender: Sender::Session(self.clone()) }
    }
}

impl ChiefComplaints {
    /// Complaints matching a term: `GET /api/v1/patients/chief_complaints?search[term]=..`.
    ///
    /// ```no_run
    /// use carewire::mdlive::SearchChiefComplaints;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for complaint in session.chief_complaints().search(SearchChiefComplaints::new("throat").limit(3)).await? {
    ///     println!("{} {:?} ({:?})", complaint.id, complaint.alternate_term, complaint.icd10);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn search(&self, search: SearchChiefComplaints) -> Call<SearchChiefComplaints> {
        self.sender.send(search)
    }
}
