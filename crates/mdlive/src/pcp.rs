//! A patient's primary care physician: get, create, update, delete (its questions are in `pcp_questions`).
//!
//! MDLIVE mixes versions and spellings here: get, create and update are v1 `evr_primary_care_physician`,
//! delete is v2 with the plural `evr_primary_care_physicians`. Update is `PUT` (the
//! method of its reference line; the doc's code samples use `POST`).

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::wire::non_empty;

/// A patient's primary care physician.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Pcp {
    /// The PCP record's id (what update and delete take), as text. Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// Full name (`"PCP Physician"`).
    #[serde(default)]
    pub full_name: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Middle name.
    #[serde(default)]
    pub middle_name: Option<String>,
    /// The practice (`"Doc Medical Practice"`).
    #[serde(default)]
    pub practice: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Street address.
    #[serde(default)]
    pub address1: Option<String>,
    /// Second address line.
    #[serde(default)]
    pub address2: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Two-letter state.
    #[serde(default)]
    pub state_abbrev: Option<String>,
    /// Two-letter country code.
    #[serde(default)]
    pub country_code: Option<String>,
    /// ZIP code.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub zip: Option<String>,
    /// Phone.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub phone: Option<String>,
    /// Cell phone.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub cell: Option<String>,
    /// Fax.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub fax: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// Who a patient's doctor is and where says where the patient is treated: only ids and codes are shown.
carewire_core::redacted_debug!(Pcp {
    show: [id, state_abbrev, country_code],
    redact: [
        full_name,
        first_name,
        last_name,
        middle_name,
        practice,
        email,
        address1,
        address2,
        city,
        zip,
        phone,
        cell,
        fax
    ],
    keys: [extra],
});

/// A PCP's details: the body of create (where first and last name, practice, city, state, country, phone
/// and fax are required) and of update (where every field is optional). Empty strings are sent as given,
/// as MDLIVE's own examples do for blank optional fields.
///
/// # Examples
///
/// ```
/// use carewire::mdlive::PcpDetails;
///
/// let pcp = PcpDetails::new()
///     .first_name("PCP")
///     .last_name("Physician")
///     .practice("Doc Medical Practice")
///     .city("FORT LAUDERDALE")
///     .state_abbrev("FL")
///     .country_code("US")
///     .phone("(954) 555-1111")
///     .fax("(954) 552-1234");
/// assert!(pcp.validate_create().is_ok());
/// assert!(PcpDetails::new().practice("PCP Practice").validate_create().is_err()); // names missing
/// assert!(PcpDetails::new().practice("PCP Practice").validate_update().is_ok());
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct PcpDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    middle_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    practice: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_abbrev: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fax: Option<String>,
}

carewire_core::redacted_debug!(PcpDetails {
    show: [state_abbrev, country_code],
    redact: [first_name, last_name, middle_name, practice, email, address1, address2, city, zip, phone, cell, fax],
});

macro_rules! setters {
    ($($(#[$doc:meta])* $field:ident),+ $(,)?) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $field(mut self, value: impl Into<String>) -> Self {
                self.$field = Some(value.into());
                self
            }
        )+
    };
}

impl PcpDetails {
    /// No details yet.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// First name (required on create).
        first_name,
        /// Last name (required on create).
        last_name,
        /// Middle name.
        middle_name,
        /// The practice (required on create).
        practice,
        /// Email.
        email,
        /// Street address.
        address1,
        /// Second address line.
        address2,
        /// City (required on create).
        city,
        /// Two-letter state (required on create).
        state_abbrev,
        /// Two-letter country code, `"US"` (required on create).
        country_code,
        /// ZIP code.
        zip,
        /// Phone (required on create).
        phone,
        /// Cell phone.
        cell,
        /// Fax (required on create).
        fax,
    }

    /// Checks a create: the required fields present and not blank, and the two-letter codes.
    pub fn validate_create(&self) -> Result<()> {
        let required = [
            ("pcp.first_name", &self.first_name),
            ("pcp.last_name", &self.last_name),
            ("pcp.practice", &self.practice),
            ("pcp.city", &self.city),
            ("pcp.state_abbrev", &self.state_abbrev),
            ("pcp.country_code", &self.country_code),
            ("pcp.phone", &self.phone),
            ("pcp.fax", &self.fax),
        ];
        for (field, value) in required {
            match value {
                Some(v) => non_empty(field, v)?,
                None => return Err(Error::invalid_request(field, "is required")),
            }
        }
        self.check_codes()
    }

    /// Checks an update: at least one field, and the two-letter codes.
    pub fn validate_update(&self) -> Result<()> {
        if *self == Self::default() {
            return Err(Error::invalid_request("pcp", "must change at least one field"));
        }
        self.check_codes()
    }

    fn check_codes(&self) -> Result<()> {
        let two_letters = |v: &str| v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic());
        for (field, value) in [("pcp.state_abbrev", &self.state_abbrev), ("pcp.country_code", &self.country_code)] {
            if value.as_deref().is_some_and(|v| !two_letters(v)) {
                return Err(Error::invalid_request(field, "must be two letters"));
            }
        }
        Ok(())
    }
}

/// The primary care physician of one patient; from [`PatientSession::pcp`].
#[derive(Clone, Debug)]
pub struct PrimaryCarePhysician {
    session: PatientSession,
}

impl PatientSession {
    /// The patient's primary care physician.
    pub fn pcp(&self) -> PrimaryCarePhysician {
        PrimaryCarePhysician { session: self.clone() }
    }
}

impl PrimaryCarePhysician {
    /// The patient's PCP, `None` when there is none (`{"pcp": null}`):
    /// `GET /api/v1/patients/{patient_id}/evr_primary_care_physician`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// match session.pcp().get().await? {
    ///     Some(pcp) => println!("PCP record {}", pcp.id),
    ///     None => println!("no PCP on file"),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get(&self) -> Call<GetPcp> {
        self.session.send(GetPcp::new(self.session.patient_id()))
    }

    /// Records the patient's PCP: `POST /api/v1/patients/{patient_id}/evr_primary_care_physician`. Not
    /// retried once it may have reached MDLIVE.
    ///
    /// ```no_run
    /// use carewire::mdlive::PcpDetails;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let details = PcpDetails::new()
    ///     .first_name("PCP")
    ///     .last_name("Physician")
    ///     .practice("Doc Medical Practice")
    ///     .city("FORT LAUDERDALE")
    ///     .state_abbrev("FL")
    ///     .country_code("US")
    ///     .phone("(954) 555-1111")
    ///     .fax("(954) 552-1234");
    /// let pcp = session.pcp().create(details).await?;
    /// println!("PCP record {}", pcp.id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, details: PcpDetails) -> Call<CreatePcp> {
        self.session.send(CreatePcp::new(self.session.patient_id(), details))
    }

    /// Changes PCP record `id`: `PUT /api/v1/patients/{patient_id}/evr_primary_care_physician/{id}`.
    ///
    /// ```no_run
    /// use carewire::mdlive::PcpDetails;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let pcp = session.pcp().update("2", PcpDetails::new().address1("555 Move Street")).await?;
    /// # let _ = pcp;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, id: impl Into<String>, details: PcpDetails) -> Call<UpdatePcp> {
        self.session.send(UpdatePcp::new(self.session.patient_id(), id, details))
    }

    /// Removes PCP record `id`: `DELETE /api/v2/patients/{patient_id}/evr_primary_care_physicians/{id}`
    /// (204, no body).
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.pcp().delete("2").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, id: impl Into<String>) -> Call<DeletePcp> {
        self.session.send(DeletePcp::new(self.session.patient_id(), id))
    }
}

/// `{"pcp": ...}` with the member required and `null` allowed.
#[derive(Deserialize)]
struct PcpEnvelope {
    #[serde(deserialize_with = "nullable")]
    pcp: Option<Pcp>,
}

fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> std::result::Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d)
}

/// `{"pcp": {...}}` with the PCP required.
#[derive(Deserialize)]
struct PcpRequired {
    pcp: Pcp,
}

#[derive(Serialize)]
struct PcpBody<'a> {
    pcp: &'a PcpDetails,
}

/// `GET /api/v1/patients/{patient_id}/evr_primary_care_physician`: the patient's PCP, `None` for
/// `{"pcp": null}`. An answer without the `pcp` member is an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetPcp {
    patient_id: String,
}

impl GetPcp {
    /// Patient `patient_id`'s PCP.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

impl Operation for GetPcp {
    type Output = Option<Pcp>;
    const SPEC: Spec =
        Spec::get("/api/v1/patients/{patient_id}/evr_primary_care_physician").name("pcp.get").scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Option<Pcp>> {
        raw.json::<PcpEnvelope>().map(|e| e.pcp)
    }
}

/// `POST /api/v1/patients/{patient_id}/evr_primary_care_physician`: records the patient's PCP.
#[derive(Clone, Debug)]
pub struct CreatePcp {
    patient_id: String,
    details: PcpDetails,
}

impl CreatePcp {
    /// Records `details` as patient `patient_id`'s PCP.
    pub fn new(patient_id: impl Into<String>, details: PcpDetails) -> Self {
        Self { patient_id: patient_id.into(), details }
    }
}

impl Operation for CreatePcp {
    type Output = Pcp;
    const SPEC: Spec = Spec::post("/api/v1/patients/{patient_id}/evr_primary_care_physician")
        .name("pcp.create")
        .scope(Scope::Subject)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.details.validate_create()?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&PcpBody { pcp: &self.details }))
    }

    fn decode(&self, raw: RawResponse) -> Result<Pcp> {
        raw.json::<PcpRequired>().map(|e| e.pcp)
    }
}

/// `PUT /api/v1/patients/{patient_id}/evr_primary_care_physician/{id}`: changes a PCP record.
#[derive(Clone, Debug)]
pub struct UpdatePcp {
    patient_id: String,
    id: String,
    details: PcpDetails,
}

impl UpdatePcp {
    /// Changes PCP record `id` of patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, id: impl Into<String>, details: PcpDetails) -> Self {
        Self { patient_id: patient_id.into(), id: id.into(), details }
    }
}

impl Operation for UpdatePcp {
    type Output = Pcp;
    const SPEC: Spec = Spec::put("/api/v1/patients/{patient_id}/evr_primary_care_physician/{id}")
        .name("pcp.update")
        .scope(Scope::Subject)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("id", &self.id)?;
        self.details.validate_update()?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .path_param("id", &self.id)
            .json(&PcpBody { pcp: &self.details }))
    }

    fn decode(&self, raw: RawResponse) -> Result<Pcp> {
        raw.json::<PcpRequired>().map(|e| e.pcp)
    }
}

/// `DELETE /api/v2/patients/{patient_id}/evr_primary_care_physicians/{id}`: removes a PCP record (204).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeletePcp {
    patient_id: String,
    id: String,
}

impl DeletePcp {
    /// Removes PCP record `id` of patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into(), id: id.into() }
    }
}

impl Operation for DeletePcp {
    type Output = ();
    const SPEC: Spec = Spec::delete("/api/v2/patients/{patient_id}/evr_primary_care_physicians/{id}")
        .name("pcp.delete")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        non_empty("id", &self.id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).path_param("id", &self.id))
    }

    fn decode(&self, _raw: RawResponse) -> Result<()> {
        Ok(())
    }
}
