//! Electronic prescriptions: `GET /v1/prescriptions/{id}` (doc L162-191).

use std::collections::BTreeMap;
use std::fmt;

use carewire_core::{Request, Result};
use serde::Deserialize;
use serde_json::Value;

use crate::Client;
use crate::enums::open_enum;
use crate::validate::{Keys, Redacted, non_empty};

open_enum! {
    /// A prescription's status. The doc shows `dispatched` (L188); `dispensed` is implied by the
    /// `prescription.dispensed` webhook (M9).
    PrescriptionStatus {
        /// `dispatched`: sent to the pharmacy.
        Dispatched => "dispatched",
        /// `dispensed`: the patient collected the medication.
        Dispensed => "dispensed",
    }
}

/// One prescribed medication.
#[derive(Clone, PartialEq, Deserialize)]
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

impl fmt::Debug for Medication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Medication")
            .field("name", &Redacted(&self.name))
            .field("dosage", &Redacted(&self.dosage))
            .field("extra", &Keys(&self.extra))
            .finish()
    }
}

/// An electronic prescription.
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Prescription {
    /// The prescription id (`scr_...`). Required: an answer without one is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The consultation it was issued in (`cns_...`).
    #[serde(default)]
    pub consult_id: Option<String>,
    /// The prescribing doctor, free text with the HPCSA number (`"Dr Medstar (MP 000000)"`, M16).
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

impl fmt::Debug for Prescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prescription")
            .field("id", &self.id)
            .field("consult_id", &self.consult_id)
            .field("doctor", &self.doctor)
            .field("medication", &self.medication)
            .field("status", &self.status)
            .field("pharmacy", &self.pharmacy)
            .field("collection_token", &Redacted(&self.collection_token))
            .field("extra", &Keys(&self.extra))
            .finish()
    }
}

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
    pub async fn retrieve(&self, id: &str) -> Result<Prescription> {
        non_empty("id", id)?;
        let request = Request::get("/v1/prescriptions/{id}").operation("prescriptions.retrieve").path_param("id", id);
        self.client.send(request).await
    }
}
