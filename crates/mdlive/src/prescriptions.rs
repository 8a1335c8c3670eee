//! Prescriptions: one prescription of a patient
//! (`GET /api/v1/patients/{patient_id}/prescriptions/{prescription_id}`), whose id usually comes from a
//! `prescription:pharmacy:accepted` webhook.

use carewire_core::de::LenientDateTime;
use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::wire::non_empty;

/// A prescription.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Prescription {
    /// The prescription id, as text. Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The patient's name.
    #[serde(default)]
    pub patient_name: Option<String>,
    /// The patient's id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub patient_id: Option<String>,
    /// The prescribing provider's name.
    #[serde(default)]
    pub provider_name: Option<String>,
    /// The prescribing provider's id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub provider_id: Option<String>,
    /// The pharmacy's name.
    #[serde(default)]
    pub pharmacy_name: Option<String>,
    /// The pharmacy's id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub pharmacy_id: Option<String>,
    /// What was prescribed (`"Ibuprofen IB 200 mg tablet"`).
    #[serde(default)]
    pub medication_name: Option<String>,
    /// The appointment it was issued in, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub appointment_id: Option<String>,
    /// When it was prescribed (`2018-06-23T02:33:13+00:00`; the text is kept, `.parse()` reads it).
    #[serde(default)]
    pub prescribed_at: Option<LenientDateTime>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Prescription {
    show: [id, patient_id, provider_id, pharmacy_id, appointment_id, prescribed_at],
    redact: [patient_name, provider_name, pharmacy_name, medication_name],
    keys: [extra],
});

/// Prescriptions of one patient; from [`PatientSession::prescriptions`].
#[derive(Clone, Debug)]
pub struct Prescriptions {
    session: PatientSession,
}

impl PatientSession {
    /// The patient's prescriptions.
    pub fn prescriptions(&self) -> Prescriptions {
        Prescriptions { session: self.clone() }
    }
}

impl Prescriptions {
    /// One prescription: `GET /api/v1/patients/{patient_id}/prescriptions/{prescription_id}`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let rx = session.prescriptions().get("1").await?;
    /// println!("prescription {} at pharmacy {:?}", rx.id, rx.pharmacy_id);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, prescription_id: impl Into<String>) -> Call<GetPrescription> {
        self.session.send(GetPrescription::new(self.session.patient_id(), prescription_id))
    }
}

/// `GET /api/v1/patients/{patient_id}/prescriptions/{prescription_id}`: one prescription.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetPrescription {
    patient_id: String,
    prescription_id: String,
}

impl GetPrescription {
    /// Prescription `prescription_id` of patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, prescription_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), prescription_id: prescription_id.into() }
    }
}

#[derive(Deserialize)]
struct PrescriptionEnvelope {
    prescription: Prescription,
}

impl Operation for GetPrescription {
    type Output = Prescription;
    const SPEC: Spec = Spec::get("/api/v1/patients/{patient_id}/prescriptions/{prescription_id}")
        .name("prescriptions.get")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("prescription_id", &self.prescription_id)?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .path_param("prescription_id", &self.prescription_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Prescription> {
        raw.json::<PrescriptionEnvelope>().map(|e| e.prescription)
    }
}
