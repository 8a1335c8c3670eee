//! Insurance: the payers MDLIVE accepts (`GET /api/v1/insurance_payers`, a patient's or the client's token)
//! and adding or updating a patient's insurance (`POST /api/v1/patients/{patient_id}/insurances`), whose
//! answer says whether the patient is eligible.

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use chrono::NaiveDate;
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

/// An insurance payer MDLIVE accepts (reference data).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct InsurancePayer {
    /// The payer's id, for [`InsuranceDetails::new`]. Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The payer's name exactly as sent (some carry trailing or doubled spaces: `"CIGNA "`).
    #[serde(default)]
    pub description: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl InsurancePayer {
    /// The name with surrounding spaces removed, for display.
    pub fn name(&self) -> Option<&str> {
        self.description.as_deref().map(str::trim)
    }
}

/// `GET /api/v1/insurance_payers`: the payers MDLIVE accepts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListInsurancePayers;

impl ListInsurancePayers {
    /// The payer list (the operation takes no arguments).
    pub fn new() -> Self {
        Self
    }
}

#[derive(Deserialize)]
struct PayersEnvelope {
    insurance_payers: Vec<InsurancePayer>,
}

impl Operation for ListInsurancePayers {
    type Output = Vec<InsurancePayer>;
    const SPEC: Spec =
        Spec::get("/api/v1/insurance_payers").name("insurance_payers.list").scope(Scope::SubjectOrClient);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request())
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<InsurancePayer>> {
        raw.json::<PayersEnvelope>().map(|e| e.insurance_payers)
    }
}

/// The patient's own coverage (`insurance_details`).
#[derive(Clone, PartialEq, Serialize)]
pub struct InsuranceDetails {
    insurance_payer_id: u64,
    member_id: String,
    is_dependent: bool,
}

carewire_core::redacted_debug!(InsuranceDetails { show: [insurance_payer_id, is_dependent], redact: [member_id] });

impl InsuranceDetails {
    /// Coverage by the payer `insurance_payer_id` ([`InsurancePayer::id`]) under the member id `member_id`,
    /// the patient being the primary subscriber.
    pub fn new(insurance_payer_id: u64, member_id: impl Into<String>) -> Self {
        Self { insurance_payer_id, member_id: member_id.into(), is_dependent: false }
    }
}

/// The primary subscriber, when the patient is covered as a dependent (`primary_insurance_details`).
#[derive(Clone, PartialEq, Serialize)]
pub struct PrimarySubscriber {
    relationship: String,
    first_name: String,
    last_name: String,
    gender: String,
    dob: NaiveDate,
    member_id: String,
}

carewire_core::redacted_debug!(PrimarySubscriber {
    show: [relationship],
    redact: [first_name, last_name, gender, dob, member_id],
});

impl PrimarySubscriber {
    /// The primary subscriber: name, gender (as MDLIVE spells it, `"M"`/`"F"`), date of birth and member id
    /// (all required for a dependent).
    pub fn new(
        first_name: impl Into<String>,
        last_name: impl Into<String>,
        gender: impl Into<String>,
        dob: NaiveDate,
        member_id: impl Into<String>,
    ) -> Self {
        Self {
            relationship: String::new(),
            first_name: first_name.into(),
            last_name: last_name.into(),
            gender: gender.into(),
            dob,
            member_id: member_id.into(),
        }
    }

    /// How the patient relates to the subscriber (`"Spouse"`, `"Child"`; in the doc's example only).
    #[must_use]
    pub fn relationship(mut self, relationship: impl Into<String>) -> Self {
        self.relationship = relationship.into();
        self
    }
}

/// A patient's insurance as MDLIVE stored it, with the eligibility check's outcome.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Insurance {
    /// The insurance record's id. Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// Whether the patient is eligible. `false` comes with [`Insurance::eligibility_errors`].
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub eligible: Option<bool>,
    /// Why the patient is not eligible.
    #[serde(default)]
    pub eligibility_errors: Vec<EligibilityError>,
    /// The payer's id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub insurance_payer_id: Option<String>,
    /// Whether the patient is covered as a dependent.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_dependent: Option<bool>,
    /// The member id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub member_id: Option<String>,
    /// The primary subscriber's insurance, for a dependent (`null` otherwise; its shape is not documented).
    #[serde(default)]
    pub primary_insurance: Option<Value>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Insurance {
    show: [id, eligible, eligibility_errors, insurance_payer_id, is_dependent],
    redact: [member_id, primary_insurance],
    keys: [extra],
});

/// Why an insurance is not eligible (`incorrect_subscriber_id`: "Invalid/Missing Subscriber/Insured ID").
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EligibilityError {
    /// The code (`"incorrect_subscriber_id"`).
    #[serde(default)]
    pub code: Option<String>,
    /// The explanation.
    #[serde(default)]
    pub message: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /api/v1/patients/{patient_id}/insurances`: adds or updates the patient's insurance; MDLIVE checks
/// eligibility and answers 200 either way (see [`Insurance::eligible`]). Not retried once it may have
/// reached MDLIVE.
///
/// Without a primary subscriber, `primary_insurance_details` is sent with blank members, as the doc's
/// example does.
#[derive(Clone, Debug)]
pub struct CreateInsurance {
    patient_id: String,
    details: InsuranceDetails,
    primary: Option<PrimarySubscriber>,
}

impl CreateInsurance {
    /// Saves `details` as the insurance of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, details: InsuranceDetails) -> Self {
        Self { patient_id: patient_id.into(), details, primary: None }
    }

    /// The patient is covered as a dependent of `subscriber` (sets `is_dependent`).
    #[must_use]
    pub fn dependent_of(mut self, subscriber: PrimarySubscriber) -> Self {
        self.details.is_dependent = true;
        self.primary = Some(subscriber);
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("patient_id", &self.patient_id)?;
        if self.details.insurance_payer_id == 0 {
            return Err(Error::invalid_request("insurance.insurance_details.insurance_payer_id", "must be positive"));
        }
        non_empty("insurance.insurance_details.member_id", &self.details.member_id)?;
        if let Some(p) = &self.primary {
            non_empty("insurance.primary_insurance_details.first_name", &p.first_name)?;
            non_empty("insurance.primary_insurance_details.last_name", &p.last_name)?;
            non_empty("insurance.primary_insurance_details.gender", &p.gender)?;
            non_empty("insurance.primary_insurance_details.member_id", &p.member_id)?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct InsuranceEnvelope {
    insurance: Insurance,
}

impl Operation for CreateInsurance {
    type Output = Insurance;
    const SPEC: Spec =
        Spec::post("/api/v1/patients/{patient_id}/insurances").name("insurances.create").scope(Scope::Subject).json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.validate()?;
        let primary = match &self.primary {
            Some(p) => serde_json::json!(p),
            None => serde_json::json!({
                "relationship": "", "first_name": "", "last_name": "", "gender": "", "dob": "", "member_id": ""
            }),
        };
        let body = serde_json::json!({
            "insurance": { "insurance_details": &self.details, "primary_insurance_details": primary }
        });
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&body))
    }

    fn decode(&self, raw: RawResponse) -> Result<Insurance> {
        raw.json::<InsuranceEnvelope>().map(|e| e.insurance)
    }
}

/// The insurance payer list; from [`Client::insurance_payers`] (API token) or
/// [`PatientSession::insurance_payers`] (the patient's token, as the doc asks).
#[derive(Clone, Debug)]
pub struct InsurancePayers {
    sender: Sender,
}

impl Client {
    /// The insurance payers, with the client's API token.
    pub fn insurance_payers(&self) -> InsurancePayers {
        InsurancePayers { sender: Sender::Client(self.clone()) }
    }
}

impl InsurancePayers {
    /// The payers MDLIVE accepts: `GET /api/v1/insurance_payers`.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
    /// for payer in client.insurance_payers().list().await? {
    ///     println!("{} {:?}", payer.id, payer.name());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> Call<ListInsurancePayers> {
        self.sender.send(ListInsurancePayers)
    }
}

/// A patient's insurance; from [`PatientSession::insurances`].
#[derive(Clone, Debug)]
pub struct Insurances {
    session: PatientSession,
}

impl PatientSession {
    /// The insurance payers, with this patient's token.
    pub fn insurance_payers(&self) -> InsurancePayers {
        InsurancePayers { sender: Sender::Session(self.clone()) }
    }

    /// This patient's insurance.
    pub fn insurances(&self) -> Insurances {
        Insurances { session: self.clone() }
    }
}

impl Insurances {
    /// Adds or updates the patient's insurance: `POST /api/v1/patients/{patient_id}/insurances`.
    ///
    /// ```no_run
    /// use carewire::mdlive::InsuranceDetails;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let insurance = session.insurances().create(InsuranceDetails::new(27, "MDL684088116")).await?;
    /// if insurance.eligible != Some(true) {
    ///     for e in &insurance.eligibility_errors {
    ///         println!("not eligible: {:?}", e.code);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn create(&self, details: InsuranceDetails) -> Call<CreateInsurance> {
        self.session.send(CreateInsurance::new(self.session.patient_id(), details))
    }

    /// Adds or updates the patient's insurance as a dependent of `subscriber`.
    ///
    /// ```no_run
    /// use carewire::mdlive::{InsuranceDetails, PrimarySubscriber};
    /// use chrono::NaiveDate;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let dob = NaiveDate::from_ymd_opt(1960, 12, 31).expect("a date");
    /// let subscriber = PrimarySubscriber::new("Pat", "Doe", "F", dob, "MDL1").relationship("Spouse");
    /// session.insurances().create_dependent(InsuranceDetails::new(27, "MDL2"), subscriber).await?;
    /// # Ok(()) }
    /// ```
    pub fn create_dependent(&self, details: InsuranceDetails, subscriber: PrimarySubscriber) -> Call<CreateInsurance> {
        self.session.send(CreateInsurance::new(self.session.patient_id(), details).dependent_of(subscriber))
    }
}
