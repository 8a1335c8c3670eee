//! Facilities: `GET /facilities` and `GET /facilities/{facility_id}`.

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::Deserialize;

use crate::Client;
use crate::common::{Collection, Extra, With, expandable, extensions};
use crate::doctors::{Doctor, DoctorHandler, DoctorsHandler};

extensions! {
    /// The extensions of `GET /facilities/{facility_id}`.
    FacilityWith {
        /// `facility.doctors`: the facility's doctors.
        Doctors => "facility.doctors",
    }
}

/// A facility (clinic, hospital) the API client is assigned to.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Facility {
    /// The facility id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its doctors (with [`FacilityWith::Doctors`]).
    #[serde(default, deserialize_with = "crate::common::opt_nested")]
    pub doctors: Option<Collection<Doctor>>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /facilities`: the facilities assigned to the API client.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ListFacilities;

impl ListFacilities {
    /// The listing.
    pub fn new() -> Self {
        Self
    }
}

impl Operation for ListFacilities {
    type Output = Collection<Facility>;
    const SPEC: Spec = Spec::get("/facilities").name("facilities.list");
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request())
    }
    fn decode(&self, raw: RawResponse) -> Result<Self::Output> {
        raw.json()
    }
}

/// `GET /facilities/{facility_id}` (extension: [`FacilityWith`]).
#[derive(Clone, Debug)]
pub struct GetFacility {
    facility_id: String,
    with: With<FacilityWith>,
}

impl GetFacility {
    /// The facility `facility_id`.
    pub fn new(facility_id: impl Into<String>) -> Self {
        Self { facility_id: facility_id.into(), with: With::default() }
    }
}

impl Operation for GetFacility {
    type Output = Facility;
    const SPEC: Spec = Spec::get("/facilities/{facility_id}").name("facilities.get");
    fn request(&self, enc: &Encodings) -> Result<Request> {
        Ok(self.with.apply(Self::SPEC.request().path_param("facility_id", &self.facility_id), *enc))
    }
    fn decode(&self, raw: RawResponse) -> Result<Facility> {
        raw.json()
    }
}
expandable!(GetFacility => FacilityWith);

/// `client.facilities()`: the facilities assigned to the API client.
#[derive(Clone, Debug)]
pub struct FacilitiesHandler {
    client: Client,
}

impl FacilitiesHandler {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /facilities` ([`ListFacilities`]).
    ///
    /// ```no_run
    /// # async fn run(client: carewire_docplanner::Client) -> carewire_docplanner::Result<()> {
    /// for facility in client.facilities().list().await? {
    ///     println!("{} {:?}", facility.id, facility.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> Call<ListFacilities> {
        self.client.send(ListFacilities)
    }
}

/// `client.facility(id)`: one facility.
#[derive(Clone, Debug)]
pub struct FacilityHandler {
    client: Client,
    facility_id: String,
}

impl FacilityHandler {
    pub(crate) fn new(client: Client, facility_id: String) -> Self {
        Self { client, facility_id }
    }

    /// The facility id.
    pub fn id(&self) -> &str {
        &self.facility_id
    }

    /// `GET /facilities/{facility_id}` ([`GetFacility`]; extension: [`FacilityWith`]).
    ///
    /// ```no_run
    /// use carewire_docplanner::FacilityWith;
    ///
    /// # async fn run(client: carewire_docplanner::Client) -> carewire_docplanner::Result<()> {
    /// let facility = client.facility("1").get().with(FacilityWith::Doctors).await?;
    /// println!("{} doctor(s)", facility.doctors.map_or(0, |d| d.len()));
    /// # Ok(()) }
    /// ```
    pub fn get(&self) -> Call<GetFacility> {
        self.client.send(GetFacility::new(&self.facility_id))
    }

    /// The facility's doctors (list).
    pub fn doctors(&self) -> DoctorsHandler {
        DoctorsHandler::new(self.client.clone(), self.facility_id.clone())
    }

    /// One doctor of the facility.
    pub fn doctor(&self, doctor_id: impl Into<String>) -> DoctorHandler {
        DoctorHandler::new(self.client.clone(), self.facility_id.clone(), doctor_id.into())
    }
}
