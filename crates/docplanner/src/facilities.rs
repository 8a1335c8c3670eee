//! Facilities: `GET /facilities` and `GET /facilities/{facility_id}`.

use carewire_core::Request;
use serde::Deserialize;

use crate::common::{Call, Collection, Ctx, Extra, NoExtension, extensions};
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

/// `client.facilities()`: the facilities assigned to the API client.
#[derive(Clone, Debug)]
pub struct FacilitiesHandler {
    ctx: Ctx,
}

impl FacilitiesHandler {
    pub(crate) fn new(ctx: Ctx) -> Self {
        Self { ctx }
    }

    /// `GET /facilities`.
    pub fn list(&self) -> Call<Collection<Facility>, NoExtension> {
        self.ctx.call(Request::get("/facilities").operation("facilities.list"))
    }
}

/// `client.facility(id)`: one facility.
#[derive(Clone, Debug)]
pub struct FacilityHandler {
    ctx: Ctx,
    facility_id: String,
}

impl FacilityHandler {
    pub(crate) fn new(ctx: Ctx, facility_id: String) -> Self {
        Self { ctx, facility_id }
    }

    /// The facility id.
    pub fn id(&self) -> &str {
        &self.facility_id
    }

    /// `GET /facilities/{facility_id}` (extension: [`FacilityWith`]).
    pub fn get(&self) -> Call<Facility, FacilityWith> {
        self.ctx.call(
            Request::get("/facilities/{facility_id}")
                .operation("facilities.get")
                .path_param("facility_id", &self.facility_id),
        )
    }

    /// The facility's doctors (list).
    pub fn doctors(&self) -> DoctorsHandler {
        DoctorsHandler::new(self.ctx.clone(), self.facility_id.clone())
    }

    /// One doctor of the facility.
    pub fn doctor(&self, doctor_id: impl Into<String>) -> DoctorHandler {
        DoctorHandler::new(self.ctx.clone(), self.facility_id.clone(), doctor_id.into())
    }
}
