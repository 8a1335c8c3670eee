//! Messages between a patient and providers: the message model, system messages (paginated with
//! `page`/`per`), sending a message and marking one read, and the page options the provider conversation
//! shares (contacts and conversations are in `conversations`).

use carewire_core::de::LenientDateTime;
use carewire_core::operation::{Call, Encodings, Operation, Paginated, Pagination, Scope, Spec};
use carewire_core::pagination::{Page, PageRequest, Strategy};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::wire::{non_empty, wire_id};

carewire_core::open_enum! {
    /// The kind of a message a patient sends.
    MessageType {
        /// `follow_up`: a message to a provider (the only kind MDLIVE documents).
        FollowUp => "follow_up",
    }
}

/// A message (system message, conversation message, or one the patient sent).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Message {
    /// The message id (what [`Messages::mark_read`] takes), as text. Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// When it was sent (`2018-01-23T02:33:13+00:00`; the text is kept, `.parse()` reads it).
    #[serde(default)]
    pub date_time: Option<LenientDateTime>,
    /// The sender's display name.
    #[serde(default)]
    pub from: Option<String>,
    /// The sender's user id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub from_id: Option<String>,
    /// The recipient's display name.
    #[serde(default)]
    pub to: Option<String>,
    /// The recipient's user id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub to_id: Option<String>,
    /// The subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// The body.
    #[serde(default)]
    pub message: Option<String>,
    /// Whether it is unread.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub unread_status: Option<bool>,
    /// The message it answers (system and sent messages).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub replied_to_message_id: Option<String>,
    /// Whether the patient may reply (conversation messages).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub reply_allowed: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Message {
    show: [id, date_time, from_id, to_id, unread_status, replied_to_message_id, reply_allowed],
    redact: [from, to, subject, message],
    keys: [extra],
});

/// One page of system messages, with the patient's count of unread messages.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SystemMessages {
    /// The messages of this page. Required.
    pub messages: Vec<Message>,
    /// How many messages are unread (all of them, not only this page's).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub unread: Option<i64>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(SystemMessages { show: [messages, unread], keys: [extra] });

/// A message to a provider: the body of `POST /api/v1/patients/{patient_id}/messages`. MDLIVE accepts
/// messages only to providers the patient has seen or will see (see [`Messages::contacts`]).
///
/// # Examples
///
/// ```
/// use carewire::mdlive::NewMessage;
///
/// let reply = NewMessage::follow_up("4", "Prescription", "How often can I take the medicine?").reply_to("104");
/// assert!(reply.validate().is_ok());
/// assert!(NewMessage::follow_up("dr-4", "Hi", "Hello").validate().is_err()); // ids are numbers
/// ```
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct NewMessage {
    message_type: MessageType,
    #[serde(serialize_with = "as_number")]
    to_id: String,
    subject: String,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_as_number")]
    replied_to_message_id: Option<String>,
}

carewire_core::redacted_debug!(NewMessage {
    show: [message_type, to_id, replied_to_message_id],
    redact: [subject, message],
});

/// MDLIVE's ids are integers in request bodies; carewire holds them as text (validated as digits).
fn as_number<S: Serializer>(id: &str, s: S) -> std::result::Result<S::Ok, S::Error> {
    wire_id(id).serialize(s)
}

#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<T>`
fn opt_as_number<S: Serializer>(id: &Option<String>, s: S) -> std::result::Result<S::Ok, S::Error> {
    id.as_deref().map(wire_id).serialize(s)
}

fn numeric_id(field: &'static str, id: &str) -> Result<()> {
    if id.is_empty() || id.len() > 19 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid_request(field, "must be a numeric MDLIVE id"));
    }
    Ok(())
}

impl NewMessage {
    /// A `follow_up` message to provider `to_id` (a [contact](crate::Contact)'s id).
    pub fn follow_up(to_id: impl Into<String>, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(MessageType::FollowUp, to_id, subject, message)
    }

    /// A message of any type.
    pub fn new(
        message_type: MessageType,
        to_id: impl Into<String>,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            message_type,
            to_id: to_id.into(),
            subject: subject.into(),
            message: message.into(),
            replied_to_message_id: None,
        }
    }

    /// Answers provider message `message_id` (MDLIVE requires it when replying).
    #[must_use]
    pub fn reply_to(mut self, message_id: impl Into<String>) -> Self {
        self.replied_to_message_id = Some(message_id.into());
        self
    }

    /// Checks what can be checked before sending: numeric ids, a subject and a body.
    pub fn validate(&self) -> Result<()> {
        non_empty("message.message_type", self.message_type.as_str())?;
        numeric_id("message.to_id", &self.to_id)?;
        non_empty("message.subject", &self.subject)?;
        non_empty("message.message", &self.message)?;
        if let Some(id) = &self.replied_to_message_id {
            numeric_id("message.replied_to_message_id", id)?;
        }
        Ok(())
    }
}

/// Message operations for one patient; from [`PatientSession::messages`].
#[derive(Clone, Debug)]
pub struct Messages {
    pub(crate) session: PatientSession,
}

impl PatientSession {
    /// The patient's messages.
    pub fn messages(&self) -> Messages {
        Messages { session: self.clone() }
    }
}

impl Messages {
    /// System messages (appointment notices): `GET /api/v1/patients/{patient_id}/messages/system`. Await
    /// it for one page, or stream every message; [`MessagePagesExt`] sets the page and its size.
    ///
    /// ```no_run
    /// use carewire::mdlive::MessagePagesExt;
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let first = session.messages().system().page(1).per(5).await?;
    /// println!("{} unread", first.unread.unwrap_or(0));
    /// let mut all = session.messages().system().per(50).stream();
    /// while let Some(message) = all.try_next().await? {
    ///     println!("{} {:?}", message.id, message.date_time);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn system(&self) -> Call<ListSystemMessages> {
        self.session.send(ListSystemMessages::new(self.session.patient_id()))
    }

    /// Sends a message: `POST /api/v1/patients/{patient_id}/messages`. Not retried once it may have reached
    /// MDLIVE (the provider could get it twice).
    ///
    /// ```no_run
    /// use carewire::mdlive::NewMessage;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let sent = session
    ///     .messages()
    ///     .create(NewMessage::follow_up("4", "Prescription", "How often can I take it?").reply_to("104"))
    ///     .await?;
    /// println!("sent {}", sent.id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, message: NewMessage) -> Call<CreateMessage> {
        self.session.send(CreateMessage::new(self.session.patient_id(), message))
    }

    /// Marks a message sent to the patient as read:
    /// `PUT /api/v1/patients/{patient_id}/messages/{message_id}/mark_read` (204, no body).
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.messages().mark_read("106").await?;
    /// # Ok(()) }
    /// ```
    pub fn mark_read(&self, message_id: impl Into<String>) -> Call<MarkMessageRead> {
        self.session.send(MarkMessageRead::new(self.session.patient_id(), message_id))
    }
}

/// The page size a stream asks for when none is set (MDLIVE documents no default).
pub const DEFAULT_PER: u32 = 25;

/// `.page(n)` and `.per(n)` on the paginated message calls ([`Messages::system`],
/// [`Messages::conversation`]): awaited, the call fetches that page; streamed, it starts there and asks for
/// `per` messages a page.
pub trait MessagePagesExt {
    /// The page to fetch (1-based), or to start streaming from.
    #[must_use]
    fn page(self, page: u32) -> Self;
    /// Messages per page (MDLIVE's `per`; streams ask for 25 when it is not set).
    #[must_use]
    fn per(self, per: u32) -> Self;
}

macro_rules! paged {
    ($op:ident) => {
        impl MessagePagesExt for Call<$op> {
            fn page(mut self, page: u32) -> Self {
                self.operation_mut().page = Some(page);
                self
            }
            fn per(mut self, per: u32) -> Self {
                self.operation_mut().per = Some(per);
                self
            }
        }

        impl $op {
            /// The page to fetch (1-based), or to start streaming from.
            #[must_use]
            pub fn page(mut self, page: u32) -> Self {
                self.page = Some(page);
                self
            }
            /// Messages per page (MDLIVE's `per`).
            #[must_use]
            pub fn per(mut self, per: u32) -> Self {
                self.per = Some(per);
                self
            }
            fn check_pages(&self) -> Result<()> {
                non_empty("patient_id", &self.patient_id)?;
                if self.page == Some(0) {
                    return Err(Error::invalid_request("page", "pages start at 1"));
                }
                if self.per == Some(0) {
                    return Err(Error::invalid_request("per", "must be at least 1"));
                }
                Ok(())
            }
            fn with_page(&self, page: &PageRequest) -> Self {
                let mut op = self.clone();
                if let PageRequest::Number { page, per_page } = page {
                    op.page = Some(*page);
                    op.per = Some(*per_page);
                }
                op
            }
        }
    };
}

pub(crate) use paged;

/// `GET /api/v1/patients/{patient_id}/messages/system`: one page of system messages (`page`, `per`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListSystemMessages {
    patient_id: String,
    page: Option<u32>,
    per: Option<u32>,
}

paged!(ListSystemMessages);

impl ListSystemMessages {
    /// Patient `patient_id`'s system messages (MDLIVE's first page and page size unless set).
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), page: None, per: None }
    }
}

impl Operation for ListSystemMessages {
    type Output = SystemMessages;
    const SPEC: Spec = Spec::get("/api/v1/patients/{patient_id}/messages/system")
        .name("messages.system")
        .scope(Scope::Subject)
        .paginated(Pagination::PageNumber);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.check_pages()?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .query_opt("page", self.page)
            .query_opt("per", self.per))
    }

    fn decode(&self, raw: RawResponse) -> Result<SystemMessages> {
        raw.json()
    }
}

impl Paginated for ListSystemMessages {
    type Item = Message;
    fn strategy(&self) -> Strategy {
        Strategy::PageNumber { first: self.page.unwrap_or(1), per_page: self.per.unwrap_or(DEFAULT_PER) }
    }
    fn page_request(&self, page: &PageRequest, enc: &Encodings) -> Result<Request> {
        self.with_page(page).request(enc)
    }
    fn into_page(output: SystemMessages) -> Page<Message> {
        Page::new(output.messages)
    }
}

/// `POST /api/v1/patients/{patient_id}/messages`: sends a message to a provider.
#[derive(Clone, Debug)]
pub struct CreateMessage {
    patient_id: String,
    message: NewMessage,
}

impl CreateMessage {
    /// Sends `message` from patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, message: NewMessage) -> Self {
        Self { patient_id: patient_id.into(), message }
    }
}

#[derive(Serialize)]
struct MessageBody<'a> {
    message: &'a NewMessage,
}

#[derive(Deserialize)]
struct MessageEnvelope {
    message: Message,
}

impl Operation for CreateMessage {
    type Output = Message;
    const SPEC: Spec =
        Spec::post("/api/v1/patients/{patient_id}/messages").name("messages.create").scope(Scope::Subject).json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.message.validate()?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .json(&MessageBody { message: &self.message }))
    }

    fn decode(&self, raw: RawResponse) -> Result<Message> {
        raw.json::<MessageEnvelope>().map(|e| e.message)
    }
}

/// `PUT /api/v1/patients/{patient_id}/messages/{message_id}/mark_read`: marks a message read (204).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkMessageRead {
    patient_id: String,
    message_id: String,
}

impl MarkMessageRead {
    /// Marks message `message_id` of patient `patient_id` read.
    pub fn new(patient_id: impl Into<String>, message_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), message_id: message_id.into() }
    }
}

impl Operation for MarkMessageRead {
    type Output = ();
    const SPEC: Spec = Spec::put("/api/v1/patients/{patient_id}/messages/{message_id}/mark_read")
        .name("messages.mark_read")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("message_id", &self.message_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).path_param("message_id", &self.message_id))
    }

    fn decode(&self, _raw: RawResponse) -> Result<()> {
        Ok(())
    }
}
