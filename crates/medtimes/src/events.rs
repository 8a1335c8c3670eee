//! Batch screenings for corporate wellness days: `POST /v1/events/batch`.
//!
//! These "events" are screening events (`evt_...`), not webhook events: the response type is
//! [`ScreeningEvent`].

use std::collections::BTreeMap;

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Client;
use crate::enums::open_enum;
use crate::validate::non_empty;

open_enum! {
    /// A screening batch's status (an open set); the doc shows only `processed`.
    ScreeningStatus {
        /// `processed`: every patient was validated.
        Processed => "processed",
    }
}

/// One employee to screen. The doc names `id_number`, `name` and `scheme_number` without types or
/// requiredness; the SA ID number is required here, the others optional.
#[derive(Clone, Serialize)]
pub struct ScreeningPatient {
    id_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheme_number: Option<String>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

carewire_core::redacted_debug!(ScreeningPatient { redact: [id_number, name, scheme_number], keys: [extra] });

impl ScreeningPatient {
    /// A patient by national ID number.
    pub fn new(id_number: impl Into<String>) -> Self {
        Self { id_number: id_number.into(), name: None, scheme_number: None, extra: BTreeMap::new() }
    }

    /// The patient's full name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The medical-scheme membership number.
    pub fn scheme_number(mut self, number: impl Into<String>) -> Self {
        self.scheme_number = Some(number.into());
        self
    }

    /// Any field the docs forgot.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

/// Parameters of `POST /v1/events/batch`.
///
/// # Examples
///
/// ```
/// use carewire_medtimes::{BatchScreening, ScreeningPatient};
///
/// let batch = BatchScreening::new(
///     "Standard Bank HQ Screening",
///     [ScreeningPatient::new("8001015009087").name("Thandi Nkosi").scheme_number("123456789")],
/// );
/// assert!(batch.validate().is_ok());
/// assert!(BatchScreening::new("Empty", []).validate().is_err());
/// ```
#[derive(Clone, Serialize)]
pub struct BatchScreening {
    event_name: String,
    patients: Vec<ScreeningPatient>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

carewire_core::redacted_debug!(BatchScreening { show: [event_name], redact: [patients], keys: [extra] });

impl BatchScreening {
    /// A screening batch named `event_name` for `patients` (at least one).
    pub fn new(event_name: impl Into<String>, patients: impl IntoIterator<Item = ScreeningPatient>) -> Self {
        Self { event_name: event_name.into(), patients: patients.into_iter().collect(), extra: BTreeMap::new() }
    }

    /// Adds one patient.
    pub fn patient(mut self, patient: ScreeningPatient) -> Self {
        self.patients.push(patient);
        self
    }

    /// Any field the docs forgot.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// Checks the batch: a non-empty `event_name`, at least one patient, and no patient with an empty
    /// `id_number` (or an empty `name`/`scheme_number` when set).
    pub fn validate(&self) -> Result<()> {
        non_empty("event_name", &self.event_name)?;
        if self.patients.is_empty() {
            return Err(Error::invalid_request("patients", "must contain at least one patient"));
        }
        for (i, patient) in self.patients.iter().enumerate() {
            non_empty(format!("patients[{i}].id_number"), &patient.id_number)?;
            if let Some(name) = &patient.name {
                non_empty(format!("patients[{i}].name"), name)?;
            }
            if let Some(number) = &patient.scheme_number {
                non_empty(format!("patients[{i}].scheme_number"), number)?;
            }
        }
        Ok(())
    }
}

/// Counts of a screening batch.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ScreeningSummary {
    /// Patients received.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub total_received: Option<i64>,
    /// Patients whose medical aid is in good standing.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub validated: Option<i64>,
    /// Patients whose scheme membership is suspended.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub scheme_suspended: Option<i64>,
    /// Other counts.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// The result of `POST /v1/events/batch`.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ScreeningEvent {
    /// The screening event id (`evt_...`). Required: an answer without one is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The status.
    #[serde(default)]
    pub status: Option<ScreeningStatus>,
    /// The counts.
    #[serde(default)]
    pub summary: Option<ScreeningSummary>,
    /// Where the per-patient report is. A string, not a URL: the doc's example is the placeholder `"https://..."`.
    #[serde(default)]
    pub validation_report_url: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

carewire_core::redacted_debug!(ScreeningEvent {
    show: [id, status, summary],
    redact: [validation_report_url],
    keys: [extra]
});

/// Screening operations; from [`Client::events`].
#[derive(Clone, Debug)]
pub struct Events {
    client: Client,
}

impl Events {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Uploads a batch of employees to validate their medical-aid standing: `POST /v1/events/batch`.
    ///
    /// ```no_run
    /// use carewire::medtimes::{BatchScreening, Client, ScreeningPatient};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let event = client
    ///     .events()
    ///     .batch(BatchScreening::new("Wellness Day 2026", [ScreeningPatient::new("8001015009087")]))
    ///     .await?;
    /// println!("screening {}", event.id);
    /// # Ok(()) }
    /// ```
    pub fn batch(&self, params: BatchScreening) -> Call<BatchScreening> {
        self.client.send(params)
    }
}

impl Operation for BatchScreening {
    type Output = ScreeningEvent;
    const SPEC: Spec = Spec::post("/v1/events/batch").name("events.batch").client_body();

    fn request(&self, enc: &Encodings) -> Result<Request> {
        self.validate()?;
        Ok(enc.body(Self::SPEC.request(), self))
    }

    fn decode(&self, raw: RawResponse) -> Result<ScreeningEvent> {
        raw.json()
    }
}
