//! Conversations with providers: the providers a patient may message (contacts), the patient's
//! conversations, and the messages of one conversation (paginated with `page`/`per`, like system messages).

use carewire_core::de::LenientDateTime;
use carewire_core::operation::{Call, Encodings, Operation, Paginated, Pagination, Scope, Spec};
use carewire_core::pagination::{Page, PageRequest, Strategy};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::messages::{DEFAULT_PER, MessagePagesExt, paged};
use crate::wire::non_empty;
use crate::{Message, Messages};

carewire_core::open_enum! {
    /// Who wrote the last message of a conversation.
    MessageAuthor {
        /// `patient`.
        Patient => "patient",
        /// `provider`.
        Provider => "provider",
    }
}

/// A provider the patient may message (seen before or scheduled).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Contact {
    /// The provider's user id (a message's `to_id`), as text. Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// A name prefix (`"DR"`); `None` when MDLIVE sends `null` or `""`.
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub prefix: Option<String>,
    /// The provider's full name.
    #[serde(default)]
    pub fullname: Option<String>,
    /// The provider's gender.
    #[serde(default)]
    pub gender: Option<String>,
    /// A relative photo URL (`/users/35/photo`).
    #[serde(default)]
    pub photo_url: Option<String>,
    /// The specialty (`"General Practice"`).
    #[serde(default)]
    pub specialty: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Contact {
    show: [id, prefix, specialty],
    redact: [fullname, gender, photo_url],
    keys: [extra],
});

/// A conversation with one provider: the latest message and the unread count.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Conversation {
    /// The provider. Required.
    pub provider: Contact,
    /// Unread messages in it (`None` when MDLIVE sends `null`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub unread_messages: Option<i64>,
    /// The latest message's body.
    #[serde(default)]
    pub recent_message_body: Option<String>,
    /// When the latest message was sent.
    #[serde(default)]
    pub last_message_at: Option<LenientDateTime>,
    /// Who sent the latest message.
    #[serde(default)]
    pub last_message_by: Option<MessageAuthor>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Conversation {
    show: [provider, unread_messages, last_message_at, last_message_by],
    redact: [recent_message_body],
    keys: [extra],
});

impl Messages {
    /// Providers the patient may message: `GET /api/v1/patients/{patient_id}/messages/contacts`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for contact in session.messages().contacts().await? {
    ///     println!("{} {:?}", contact.id, contact.specialty);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn contacts(&self) -> Call<ListContacts> {
        self.session.send(ListContacts::new(self.session.patient_id()))
    }

    /// The patient's conversations: `GET /api/v2/patients/{patient_id}/messages/conversations`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for c in session.messages().conversations().await? {
    ///     println!("provider {}: {:?} unread", c.provider.id, c.unread_messages);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn conversations(&self) -> Call<ListConversations> {
        self.session.send(ListConversations::new(self.session.patient_id()))
    }

    /// The messages exchanged with one provider, newest first:
    /// `GET /api/v1/patients/{patient_id}/providers/{provider_id}/conversation`. Paginated like
    /// [`system`](Self::system).
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let last_20 = session.messages().conversation("4").collect_max(20).await?;
    /// println!("{} messages", last_20.len());
    /// # Ok(()) }
    /// ```
    pub fn conversation(&self, provider_id: impl Into<String>) -> Call<GetConversation> {
        self.session.send(GetConversation::new(self.session.patient_id(), provider_id))
    }
}

/// `GET /api/v1/patients/{patient_id}/messages/contacts`: providers the patient may message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListContacts {
    patient_id: String,
}

impl ListContacts {
    /// Patient `patient_id`'s contacts.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

#[derive(Deserialize)]
struct ContactList {
    contacts: Vec<Contact>,
}

impl Operation for ListContacts {
    type Output = Vec<Contact>;
    const SPEC: Spec =
        Spec::get("/api/v1/patients/{patient_id}/messages/contacts").name("messages.contacts").scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<Contact>> {
        raw.json::<ContactList>().map(|l| l.contacts)
    }
}

/// `GET /api/v2/patients/{patient_id}/messages/conversations`: the patient's conversations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListConversations {
    patient_id: String,
}

impl ListConversations {
    /// Patient `patient_id`'s conversations.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

#[derive(Deserialize)]
struct ConversationList {
    conversations: Vec<Conversation>,
}

impl Operation for ListConversations {
    type Output = Vec<Conversation>;
    const SPEC: Spec = Spec::get("/api/v2/patients/{patient_id}/messages/conversations")
        .name("messages.conversations")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<Conversation>> {
        raw.json::<ConversationList>().map(|l| l.conversations)
    }
}

/// `GET /api/v1/patients/{patient_id}/providers/{provider_id}/conversation`: one page of the messages
/// exchanged with a provider (`page`, `per`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetConversation {
    patient_id: String,
    provider_id: String,
    page: Option<u32>,
    per: Option<u32>,
}

paged!(GetConversation);

impl GetConversation {
    /// The conversation of patient `patient_id` with provider `provider_id`.
    pub fn new(patient_id: impl Into<String>, provider_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), provider_id: provider_id.into(), page: None, per: None }
    }
}

#[derive(Deserialize)]
struct MessageList {
    messages: Vec<Message>,
}

impl Operation for GetConversation {
    type Output = Vec<Message>;
    const SPEC: Spec = Spec::get("/api/v1/patients/{patient_id}/providers/{provider_id}/conversation")
        .name("messages.conversation")
        .scope(Scope::Subject)
        .paginated(Pagination::PageNumber);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.check_pages()?;
        non_empty("provider_id", &self.provider_id)?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .path_param("provider_id", &self.provider_id)
            .query_opt("page", self.page)
            .query_opt("per", self.per))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<Message>> {
        raw.json::<MessageList>().map(|l| l.messages)
    }
}

impl Paginated for GetConversation {
    type Item = Message;
    fn strategy(&self) -> Strategy {
        Strategy::PageNumber { first: self.page.unwrap_or(1), per_page: self.per.unwrap_or(DEFAULT_PER) }
    }
    fn page_request(&self, page: &PageRequest, enc: &Encodings) -> Result<Request> {
        self.with_page(page).request(enc)
    }
    fn into_page(output: Vec<Message>) -> Page<Message> {
        Page::new(output)
    }
}
