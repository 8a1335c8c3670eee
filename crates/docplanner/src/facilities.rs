//! Facilities: `GET /facilities` and `GET /facilities/{facility_id}`.

use carewire_core::operation::{Call, Spec};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::common::{Collection, Extra};
use crate::doctors::{Doctor, DoctorHandler, DoctorsHandler};
use crate::macros::{extensions, operation};

extensions! {
    /// The extensions of `GET /facilities/{facility_id}`.
    FacilityWith {
        /// `facility.doctors`: the facility's doctors.
        Doctors => "facility.doctors",
    }
}

/// A facility (clinic, hospital) the API client is assigned to.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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

carewire_core::redacted_debug!(Facility { show: [id, name, doctors], keys: [extra] });

operation! {
    /// `GET /facilities`: the facilities assigned to the API client.
    #[derive(Default)]
    #[non_exhaustive]
    ListFacilities {}
    /// The listing.
    fn new;
    const SPEC = Spec::get("/facilities").name("facilities.list");
    type Output = Collection<Facility>;
}

operation! {
    /// `GET /facilities/{facility_id}` (extension: [`FacilityWith`]).
    GetFacility { facility_id: String; with: FacilityWith }
    /// The facility `facility_id`.
    fn new;
    const SPEC = Spec::get("/facilities/{facility_id}").name("facilities.get");
    type Output = Facility;
}

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
    /// # async fn run(client: carewire::docplanner::Client) -> carewire::Result<()> {
    /// for facility in client.facilities().list().await? {
    ///     println!("{} {:?}", facility.id, facility.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> Call<ListFacilities> {
        self.client.send(ListFacilities::new())
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
    /// use carewire::docplanner::FacilityWith;
    ///
    /// # async fn run(client: carewire::docplanner::Client) -> carewire::Result<()> {
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
