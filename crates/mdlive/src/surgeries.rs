//! Surgeries and procedures: a patient's surgical history (create, delete, list) and MDLIVE's list of
//! surgery names to choose from.

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::wire::non_empty;
use crate::{Client, PatientSession};

/// A surgery in a patient's history.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Surgery {
    /// The surgery record's id (a number in MDLIVE's answers, kept as text). Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The surgery (`"Hip Replacement"`), one of the [surgery names](SurgeryName).
    #[serde(default)]
    pub name: Option<String>,
    /// The four-digit year, `None` when the patient did not know it (MDLIVE sends a number, a numeric
    /// string or a blank).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub surgery_year: Option<i64>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Surgery { show: [id], redact: [name, surgery_year], keys: [extra] });

/// One entry of MDLIVE's surgery names list (`"Appendectomy"`), the names [`NewSurgery`] accepts.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SurgeryName {
    /// The name. Required. MDLIVE's own case varies (`Hip replacement` here, `Hip Replacement` in its
    /// examples): compare without case.
    pub name: String,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(SurgeryName { show: [name], keys: [extra] });

/// A surgery to add to a patient's history: the body of `POST /api/v2/patients/{patient_id}/surgeries`.
///
/// # Examples
///
/// ```
/// use carewire::mdlive::NewSurgery;
///
/// let known = NewSurgery::new("Hip Replacement").year(2015);
/// assert!(known.validate().is_ok());
/// let unknown_year = NewSurgery::new("Appendectomy");
/// assert!(unknown_year.validate().is_ok());
/// assert!(NewSurgery::new("Knee").year(85).validate().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct NewSurgery {
    name: String,
    #[serde(serialize_with = "year_or_blank")]
    surgery_year: Option<u16>,
}

carewire_core::redacted_debug!(NewSurgery { redact: [name, surgery_year] });

/// MDLIVE wants the four-digit year, or a blank value when it is unknown.
#[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)] // serde's `serialize_with` passes `&Option<T>`
fn year_or_blank<S: Serializer>(year: &Option<u16>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match year {
        Some(y) => s.serialize_u16(*y),
        None => s.serialize_str(""),
    }
}

impl NewSurgery {
    /// A surgery by name (from the [surgery names](Surgeries::names) list), year unknown.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), surgery_year: None }
    }

    /// The four-digit year of the surgery.
    #[must_use]
    pub fn year(mut self, year: u16) -> Self {
        self.surgery_year = Some(year);
        self
    }

    /// Checks what can be checked before sending: a name, and a four-digit year when one is given.
    pub fn validate(&self) -> Result<()> {
        non_empty("surgery.name", &self.name)?;
        match self.surgery_year {
            Some(y) if !(1000..=9999).contains(&y) => {
                Err(Error::invalid_request("surgery.surgery_year", "must be a four-digit year"))
            }
            _ => Ok(()),
        }
    }
}

/// Surgery operations for one patient; from [`PatientSession::surgeries`].
#[derive(Clone, Debug)]
pub struct Surgeries {
    session: PatientSession,
}

impl PatientSession {
    /// The patient's surgical history, and the surgery names to choose from.
    pub fn surgeries(&self) -> Surgeries {
        Surgeries { session: self.clone() }
    }
}

impl Surgeries {
    /// Adds a surgery: `POST /api/v2/patients/{patient_id}/surgeries`. Not retried once it may have reached
    /// MDLIVE (a second attempt could add it twice).
    ///
    /// ```no_run
    /// use carewire::mdlive::{NewSurgery, PatientSession};
    ///
    /// # async fn run(session: PatientSession) -> carewire::Result<()> {
    /// let surgery = session.surgeries().create(NewSurgery::new("Hip Replacement").year(2015)).await?;
    /// println!("added surgery {}", surgery.id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, surgery: NewSurgery) -> Call<CreateSurgery> {
        self.session.send(CreateSurgery::new(self.session.patient_id(), surgery))
    }

    /// Removes a surgery: `DELETE /api/v1/patients/{patient_id}/surgeries/{surgery_id}`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.surgeries().delete("108").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, surgery_id: impl Into<String>) -> Call<DeleteSurgery> {
        self.session.send(DeleteSurgery::new(self.session.patient_id(), surgery_id))
    }

    /// The patient's surgeries: `GET /api/v2/patients/{patient_id}/surgeries`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// for surgery in session.surgeries().list().await? {
    ///     println!("{} {:?}", surgery.id, surgery.surgery_year);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> Call<ListSurgeries> {
        self.session.send(ListSurgeries::new(self.session.patient_id()))
    }

    /// The surgery names [`NewSurgery`] accepts, with this patient's token: `GET /api/v2/surgery_names`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let names = session.surgeries().names().await?;
    /// println!("{} names", names.len());
    /// # Ok(()) }
    /// ```
    pub fn names(&self) -> Call<ListSurgeryNames> {
        self.session.send(ListSurgeryNames)
    }
}

/// The surgery names list with the client's API token; from [`Client::surgeries`].
#[derive(Clone, Debug)]
pub struct SurgeryCatalog {
    client: Client,
}

impl Client {
    /// The surgery names list, with the client's API token (a patient's own surgeries are on
    /// [`PatientSession::surgeries`]).
    pub fn surgeries(&self) -> SurgeryCatalog {
        SurgeryCatalog { client: self.clone() }
    }
}

impl SurgeryCatalog {
    /// The surgery names [`NewSurgery`] accepts: `GET /api/v2/surgery_names`.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
    /// for name in client.surgeries().names().await? {
    ///     println!("{}", name.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn names(&self) -> Call<ListSurgeryNames> {
        self.client.send(ListSurgeryNames)
    }
}

/// `POST /api/v2/patients/{patient_id}/surgeries`: adds a surgery to the patient's history.
#[derive(Clone, Debug)]
pub struct CreateSurgery {
    patient_id: String,
    surgery: NewSurgery,
}

impl CreateSurgery {
    /// Adds `surgery` to patient `patient_id`'s history.
    pub fn new(patient_id: impl Into<String>, surgery: NewSurgery) -> Self {
        Self { patient_id: patient_id.into(), surgery }
    }
}

#[derive(Serialize)]
struct SurgeryBody<'a> {
    surgery: &'a NewSurgery,
}

#[derive(Deserialize)]
struct SurgeryEnvelope {
    surgery: Surgery,
}

impl Operation for CreateSurgery {
    type Output = Surgery;
    const SPEC: Spec =
        Spec::post("/api/v2/patients/{patient_id}/surgeries").name("surgeries.create").scope(Scope::Subject).json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.surgery.validate()?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .json(&SurgeryBody { surgery: &self.surgery }))
    }

    fn decode(&self, raw: RawResponse) -> Result<Surgery> {
        raw.json::<SurgeryEnvelope>().map(|e| e.surgery)
    }
}

/// `DELETE /api/v1/patients/{patient_id}/surgeries/{surgery_id}`: removes a surgery. MDLIVE documents no
/// answer body; any 2xx is success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteSurgery {
    patient_id: String,
    surgery_id: String,
}

impl DeleteSurgery {
    /// Removes surgery `surgery_id` from patient `patient_id`'s history.
    pub fn new(patient_id: impl Into<String>, surgery_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), surgery_id: surgery_id.into() }
    }
}

impl Operation for DeleteSurgery {
    type Output = ();
    const SPEC: Spec = Spec::delete("/api/v1/patients/{patient_id}/surgeries/{surgery_id}")
        .name("surgeries.delete")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("surgery_id", &self.surgery_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).path_param("surgery_id", &self.surgery_id))
    }

    fn decode(&self, _raw: RawResponse) -> Result<()> {
        Ok(())
    }
}

/// `GET /api/v2/patients/{patient_id}/surgeries`: the patient's surgeries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListSurgeries {
    patient_id: String,
}

impl ListSurgeries {
    /// Patient `patient_id`'s surgeries.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

#[derive(Deserialize)]
struct SurgeryList {
    surgeries: Vec<Surgery>,
}

impl Operation for ListSurgeries {
    type Output = Vec<Surgery>;
    const SPEC: Spec =
        Spec::get("/api/v2/patients/{patient_id}/surgeries").name("surgeries.list").scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<Surgery>> {
        raw.json::<SurgeryList>().map(|l| l.surgeries)
    }
}

/// `GET /api/v2/surgery_names`: the surgery names [`NewSurgery`] accepts. Sent with a patient's token
/// through a session, else with the client's API token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListSurgeryNames;

#[derive(Deserialize)]
struct SurgeryNameList {
    surgery_names: Vec<SurgeryName>,
}

impl Operation for ListSurgeryNames {
    type Output = Vec<SurgeryName>;
    const SPEC: Spec = Spec::get("/api/v2/surgery_names").name("surgeries.names").scope(Scope::SubjectOrClient);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request())
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<SurgeryName>> {
        raw.json::<SurgeryNameList>().map(|l| l.surgery_names)
    }
}
