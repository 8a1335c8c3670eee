//! Alternate visit options: `GET /api/v2/support/alternate_visit_options`, the answers a patient picks from
//! when asked where they would have gone without MDLIVE. Takes a patient's or the client's token.

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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

/// The question and its answers (`"Emergency Room"`, `"Urgent Care"`, ...): reference data.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AlternateVisitOptions {
    /// The question to show (`"Where would you have gone?"`).
    #[serde(default)]
    pub alternate_visit_question: Option<String>,
    /// The answers, in MDLIVE's order. Required: an answer without the list is a decode error.
    pub alternate_visit_options: Vec<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /api/v2/support/alternate_visit_options`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListAlternateVisitOptions;

impl ListAlternateVisitOptions {
    /// The options (the operation takes no arguments).
    pub fn new() -> Self {
        Self
    }
}

impl Operation for ListAlternateVisitOptions {
    type Output = AlternateVisitOptions;
    const SPEC: Spec = Spec::get("/api/v2/support/alternate_visit_options")
        .name("alternate_visit_options.list")
        .scope(Scope::SubjectOrClient);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request())
    }

    fn decode(&self, raw: RawResponse) -> Result<AlternateVisitOptions> {
        raw.json()
    }
}

/// The alternate visit options; from [`Client::alternate_visits`] (API token) or
/// [`PatientSession::alternate_visits`] (the patient's token).
#[derive(Clone, Debug)]
pub struct AlternateVisits {
    sender: Sender,
}

impl Client {
    /// The alternate visit options, with the client's API token.
    pub fn alternate_visits(&self) -> AlternateVisits {
        AlternateVisits { sender: Sender::Client(self.clone()) }
    }
}

impl PatientSession {
    /// The alternate visit options, with this patient's token.
    pub fn alternate_visits(&self) -> AlternateVisits {
        AlternateVisits { sender: Sender::Session(self.clone()) }
    }
}

impl AlternateVisits {
    /// The question and its answers: `GET /api/v2/support/alternate_visit_options`.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
    /// let options = client.alternate_visits().list().await?;
    /// println!("{:?}: {}", options.alternate_visit_question, options.alternate_visit_options.join(", "));
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> Call<ListAlternateVisitOptions> {
        self.sender.send(ListAlternateVisitOptions)
    }
}
