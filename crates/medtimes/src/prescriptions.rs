//! Electronic prescriptions: `GET /v1/prescriptions/{id}`.

use std::collections::BTreeMap;

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Client;
use crate::enums::open_enum;
use crate::validate::non_empty;

open_enum! {
    /// A prescription's status (an open set). The doc shows `dispatched`; `dispensed` is implied by the
    /// `prescription.dispensed` webhook.
    PrescriptionStatus {
        /// `dispatched`: sent to the pharmacy.
        Dispatched => "dispatched",
        /// `dispensed`: the patient collected the medication.
        Dispensed => "dispensed",
    }
}

/// One prescribed medication.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Medication {
    /// Name and strength (`"Amoxicillin 500mg"`).
    #[serde(default)]
    pub name: Option<String>,
    /// Directions (`"1 cap TDS for 5 days"`).
    #[serde(default)]
    pub dosage: Option<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

carewire_core::redacted_debug!(Medication { redact: [name, dosage], keys: [extra] });

/// An electronic prescription.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Prescription {
    /// The prescription id (`scr_...`). Required: an answer without one is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The consultation it was issued in (`cns_...`).
    #[serde(default)]
    pub consult_id: Option<String>,
    /// The prescribing doctor, free text with the HPCSA number (`"Dr Medstar (MP 000000)"`); not parsed.
    #[serde(default)]
    pub doctor: Option<String>,
    /// What was prescribed.
    #[serde(default)]
    pub medication: Vec<Medication>,
    /// The status.
    #[serde(default)]
    pub status: Option<PrescriptionStatus>,
    /// The pharmacy (`"Clicks Sandton"`).
    #[serde(default)]
    pub pharmacy: Option<String>,
    /// The token the patient shows at the pharmacy (`"MED-A92B"`). Treat it as a secret.
    #[serde(default)]
    pub collection_token: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

carewire_core::redacted_debug!(Prescription {
    show: [id, consult_id, doctor, medication, status, pharmacy],
    redact: [collection_token],
    keys: [extra],
});

/// Prescription operations; from [`Client::prescriptions`].
#[derive(Clone, Debug)]
pub struct Prescriptions {
    client: Client,
}

impl Prescriptions {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Fetches a prescription (its id usually comes from a `consult.completed` webhook):
    /// `GET /v1/prescriptions/{id}`.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::medtimes::Client) -> carewire::Result<()> {
    /// let prescription = client.prescriptions().get("rx_7781").await?;
    /// for medication in &prescription.medication {
    ///     println!("{:?} {:?}", medication.name, medication.dosage);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> Call<GetPrescription> {
        self.client.send(GetPrescription::new(id))
    }
}

/// `GET /v1/prescriptions/{id}`: one prescription.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetPrescription {
    id: String,
}

impl GetPrescription {
    /// The prescription `id` (`rx_...`).
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into() }
    }
}

impl Operation for GetPrescription {
    type Output = Prescription;
    const SPEC: Spec = Spec::get("/v1/prescriptions/{id}").name("prescriptions.get");

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("id", &self.id)?;
        Ok(Self::SPEC.request().path_param("id", &self.id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Prescription> {
        raw.json()
    }
}
