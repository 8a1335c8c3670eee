//! Consultations: `POST /v1/consults/create`.

use std::collections::BTreeMap;

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{RawResponse, Request, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Client;
use crate::enums::open_enum;
use crate::validate::non_empty;

open_enum! {
    /// How Medtimes invoices a consultation. Medtimes defaults to `cash`.
    BillingMode {
        /// `medical_aid`: billed to the patient's medical scheme (send [`SchemeDetails`]).
        MedicalAid => "medical_aid",
        /// `cash`: the patient pays (Medtimes' default).
        Cash => "cash",
        /// `partner_covered`: your platform pays.
        PartnerCovered => "partner_covered",
    }
}

open_enum! {
    /// A consultation's status. The doc lists no values and shows only `waiting_for_doctor`; `completed` is
    /// implied by the `consult.completed` webhook.
    ConsultStatus {
        /// `waiting_for_doctor`: the room is open and a Locum GP is being assigned.
        WaitingForDoctor => "waiting_for_doctor",
        /// `completed`: the doctor ended the call.
        Completed => "completed",
    }
}

/// The patient's medical scheme, for [`BillingMode::MedicalAid`] (in the doc's example, not in its parameter
/// list).
#[derive(Clone, Serialize)]
pub struct SchemeDetails {
    name: String,
    number: String,
}

impl SchemeDetails {
    /// A scheme by name (`"Discovery Health"`) and membership number.
    pub fn new(name: impl Into<String>, number: impl Into<String>) -> Self {
        Self { name: name.into(), number: number.into() }
    }
}

carewire_core::redacted_debug!(SchemeDetails { show: [name], redact: [number] });

/// Parameters of `POST /v1/consults/create`.
///
/// # Examples
///
/// ```
/// use carewire_medtimes::{BillingMode, CreateConsult, SchemeDetails};
///
/// let consult = CreateConsult::new("usr_8921a")
///     .symptoms(["persistent cough", "fever"])
///     .billing_mode(BillingMode::MedicalAid)
///     .scheme_details(SchemeDetails::new("Discovery Health", "123456789"));
/// assert!(consult.validate().is_ok());
/// ```
#[derive(Clone, Serialize)]
pub struct CreateConsult {
    patient_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    symptoms: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    billing_mode: Option<BillingMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheme_details: Option<SchemeDetails>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

carewire_core::redacted_debug!(CreateConsult {
    show: [billing_mode, scheme_details],
    redact: [patient_id, symptoms],
    keys: [extra],
});

impl CreateConsult {
    /// A consultation for `patient_id`, your own identifier of the patient (required).
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self {
            patient_id: patient_id.into(),
            symptoms: Vec::new(),
            billing_mode: None,
            scheme_details: None,
            extra: BTreeMap::new(),
        }
    }

    /// Triage data shown to the doctor before joining (replaces any set before).
    pub fn symptoms<I, S>(mut self, symptoms: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.symptoms = symptoms.into_iter().map(Into::into).collect();
        self
    }

    /// Adds one symptom.
    pub fn symptom(mut self, symptom: impl Into<String>) -> Self {
        self.symptoms.push(symptom.into());
        self
    }

    /// How the consultation is invoiced (Medtimes defaults to cash).
    pub fn billing_mode(mut self, mode: BillingMode) -> Self {
        self.billing_mode = Some(mode);
        self
    }

    /// The patient's medical scheme.
    pub fn scheme_details(mut self, scheme: SchemeDetails) -> Self {
        self.scheme_details = Some(scheme);
        self
    }

    /// Any field the docs forgot; sent alongside the others (nested values become brackets in form mode).
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// Checks what can be checked before sending: `patient_id` and each symptom must not be empty, nor the
    /// scheme name and number.
    pub fn validate(&self) -> Result<()> {
        non_empty("patient_id", &self.patient_id)?;
        for (i, symptom) in self.symptoms.iter().enumerate() {
            non_empty(format!("symptoms[{i}]"), symptom)?;
        }
        if let Some(scheme) = &self.scheme_details {
            non_empty("scheme_details.name", &scheme.name)?;
            non_empty("scheme_details.number", &scheme.number)?;
        }
        Ok(())
    }
}

/// A consultation (video room), as returned by `POST /v1/consults/create`.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Consult {
    /// The consult id (`cns_...`). Required: an answer without one is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The object type (`"consult"`); other Medtimes responses carry no `object` member.
    #[serde(default)]
    pub object: Option<String>,
    /// The status.
    #[serde(default)]
    pub status: Option<ConsultStatus>,
    /// The video room URL for the patient. It grants access to the room: treat it as a secret.
    #[serde(default)]
    pub join_url: Option<String>,
    /// When the room expires (the API sends unix seconds, an integer).
    #[serde(default, deserialize_with = "carewire_core::de::opt_unix_seconds")]
    pub expires_at: Option<DateTime<Utc>>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

carewire_core::redacted_debug!(Consult { show: [id, object, status, expires_at], redact: [join_url], keys: [extra] });

/// Consultation operations; from [`Client::consults`].
#[derive(Clone, Debug)]
pub struct Consults {
    client: Client,
}

impl Consults {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Opens a video room and assigns the next available Locum GP: `POST /v1/consults/create`.
    ///
    /// Not retried once it may have reached Medtimes, unless you give the call an idempotency key
    /// (`.idempotency_key(..)`): the doc promises no deduplication for consults.
    ///
    /// ```no_run
    /// use carewire::medtimes::{BillingMode, Client, CreateConsult, SchemeDetails};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let consult = client
    ///     .consults()
    ///     .create(
    ///         CreateConsult::new("usr_8921a")
    ///             .symptoms(["persistent cough", "fever"])
    ///             .billing_mode(BillingMode::MedicalAid)
    ///             .scheme_details(SchemeDetails::new("Discovery Health", "123456789")),
    ///     )
    ///     .await?;
    /// println!("room {} ({:?})", consult.id, consult.status);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, params: CreateConsult) -> Call<CreateConsult> {
        self.client.send(params)
    }
}

impl Operation for CreateConsult {
    type Output = Consult;
    const SPEC: Spec = Spec::post("/v1/consults/create").name("consults.create").client_body();

    fn request(&self, enc: &Encodings) -> Result<Request> {
        self.validate()?;
        Ok(enc.body(Self::SPEC.request(), self))
    }

    fn decode(&self, raw: RawResponse) -> Result<Consult> {
        raw.json()
    }
}
