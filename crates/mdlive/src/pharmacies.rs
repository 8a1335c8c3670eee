//! Pharmacies: the search near a patient (`POST /api/v1/patients/{patient_id}/pharmacies/search`, a flat
//! JSON body with `page`/`per_page`), and the pharmacy model a patient's profile also carries.

use carewire_core::operation::{Call, Encodings, Operation, Paginated, Pagination, Scope, Spec};
use carewire_core::pagination::{Page, PageRequest, Strategy};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::wire::non_empty;

/// A pharmacy.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Pharmacy {
    /// The pharmacy id (what a patient update's `pharmacy_id` takes), as text. Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The name (`"CVS/pharmacy #7900"`).
    #[serde(default)]
    pub name: Option<String>,
    /// Street address.
    #[serde(default)]
    pub address1: Option<String>,
    /// Second address line (`None` when blank).
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub address2: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Two-letter state.
    #[serde(default)]
    pub state: Option<String>,
    /// ZIP code.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub zipcode: Option<String>,
    /// Phone number, as MDLIVE formats it.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub phone: Option<String>,
    /// Fax number.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub fax: Option<String>,
    /// Latitude (a number in answers, sometimes a string).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_f64")]
    pub latitude: Option<f64>,
    /// Longitude.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_f64")]
    pub longitude: Option<f64>,
    /// Whether it is open 24 hours.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub twenty_four_hour_flag: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// A patient's pharmacy says where the patient lives: only its id, name and flag are shown.
carewire_core::redacted_debug!(Pharmacy {
    show: [id, name, twenty_four_hour_flag],
    redact: [address1, address2, city, state, zipcode, phone, fax, latitude, longitude],
    keys: [extra],
});

/// A point to search around; MDLIVE takes the coordinates as strings.
#[derive(Clone, PartialEq, Serialize)]
pub struct Coordinates {
    latitude: String,
    longitude: String,
}

carewire_core::redacted_debug!(Coordinates { redact: [latitude, longitude] });

impl Coordinates {
    /// A point in decimal degrees (latitude -90 to 90, longitude -180 to 180).
    pub fn new(latitude: f64, longitude: f64) -> Self {
        Self { latitude: latitude.to_string(), longitude: longitude.to_string() }
    }

    fn validate(&self) -> Result<()> {
        let within = |text: &str, max: f64| text.parse::<f64>().is_ok_and(|v| v.is_finite() && v.abs() <= max);
        if !within(&self.latitude, 90.0) {
            return Err(Error::invalid_request("coordinates.latitude", "must be from -90 to 90"));
        }
        if !within(&self.longitude, 180.0) {
            return Err(Error::invalid_request("coordinates.longitude", "must be from -180 to 180"));
        }
        Ok(())
    }
}

/// What to search pharmacies by; every criterion is optional (MDLIVE then searches near the patient).
/// The body of `POST /api/v1/patients/{patient_id}/pharmacies/search` is flat, unlike MDLIVE's other
/// bodies, with the page and its size in it.
///
/// # Examples
///
/// ```
/// use carewire::mdlive::{Coordinates, PharmacySearch};
///
/// let search = PharmacySearch::new()
///     .city("Sunrise")
///     .state("FL")
///     .zipcode("33351")
///     .coordinates(Coordinates::new(26.19, -80.12))
///     .radius(10)
///     .twenty_four_hour(false)
///     .per_page(10);
/// assert!(search.validate().is_ok());
/// assert!(PharmacySearch::new().state("Florida").validate().is_err()); // two letters
/// ```
#[derive(Clone, Default, PartialEq, Serialize)]
pub struct PharmacySearch {
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zipcode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    radius: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    twenty_four_hour_pharmacy: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coordinates: Option<Coordinates>,
}

carewire_core::redacted_debug!(PharmacySearch {
    show: [page, per_page, radius, name, twenty_four_hour_pharmacy],
    redact: [city, state, zipcode, coordinates],
});

impl PharmacySearch {
    /// A search near the patient, MDLIVE's defaults for the rest (page 1, 10 a page, 30 miles).
    pub fn new() -> Self {
        Self::default()
    }
    /// In this city.
    #[must_use]
    pub fn city(mut self, city: impl Into<String>) -> Self {
        self.city = Some(city.into());
        self
    }
    /// In this state (two letters, `"FL"`).
    #[must_use]
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }
    /// Near this ZIP code.
    #[must_use]
    pub fn zipcode(mut self, zipcode: impl Into<String>) -> Self {
        self.zipcode = Some(zipcode.into());
        self
    }
    /// The page to fetch (1-based), or to start streaming from.
    #[must_use]
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }
    /// Pharmacies per page (MDLIVE's default is 10).
    #[must_use]
    pub fn per_page(mut self, per_page: u32) -> Self {
        self.per_page = Some(per_page);
        self
    }
    /// Within this many miles (MDLIVE's default is 30).
    #[must_use]
    pub fn radius(mut self, miles: u32) -> Self {
        self.radius = Some(miles);
        self
    }
    /// Pharmacies with this name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// Only pharmacies open 24 hours (`true`), or not (`false`).
    #[must_use]
    pub fn twenty_four_hour(mut self, only: bool) -> Self {
        self.twenty_four_hour_pharmacy = Some(only);
        self
    }
    /// Around this point.
    #[must_use]
    pub fn coordinates(mut self, point: Coordinates) -> Self {
        self.coordinates = Some(point);
        self
    }

    /// Checks what can be checked before sending: a two-letter state, positive page, size and radius,
    /// coordinates in range, no blank text.
    pub fn validate(&self) -> Result<()> {
        for (field, value) in [("city", &self.city), ("zipcode", &self.zipcode), ("name", &self.name)] {
            if let Some(v) = value {
                non_empty(field, v)?;
            }
        }
        if let Some(state) = &self.state
            && (state.len() != 2 || !state.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(Error::invalid_request("state", "must be a two-letter state abbreviation"));
        }
        for (field, value) in [("page", self.page), ("per_page", self.per_page), ("radius", self.radius)] {
            if value == Some(0) {
                return Err(Error::invalid_request(field, "must be at least 1"));
            }
        }
        self.coordinates.as_ref().map_or(Ok(()), Coordinates::validate)
    }
}

/// Pharmacy search for one patient; from [`PatientSession::pharmacies`].
#[derive(Clone, Debug)]
pub struct Pharmacies {
    session: PatientSession,
}

impl PatientSession {
    /// Pharmacies near the patient.
    pub fn pharmacies(&self) -> Pharmacies {
        Pharmacies { session: self.clone() }
    }
}

impl Pharmacies {
    /// Searches pharmacies: `POST /api/v1/patients/{patient_id}/pharmacies/search`. Await it for one page,
    /// or stream the results page by page (the search's `page` and `per_page` are where it starts and how
    /// many it asks for).
    ///
    /// ```no_run
    /// use carewire::mdlive::{PatientSession, PharmacySearch};
    ///
    /// # async fn run(session: PatientSession) -> carewire::Result<()> {
    /// let nearby = session.pharmacies().search(PharmacySearch::new().zipcode("33351").radius(10)).await?;
    /// for pharmacy in &nearby {
    ///     println!("{} {:?}", pharmacy.id, pharmacy.name);
    /// }
    /// let first_30 = session.pharmacies().search(PharmacySearch::new().city("Sunrise")).collect_max(30).await?;
    /// # let _ = first_30;
    /// # Ok(()) }
    /// ```
    pub fn search(&self, search: PharmacySearch) -> Call<SearchPharmacies> {
        self.session.send(SearchPharmacies::new(self.session.patient_id(), search))
    }
}

/// `POST /api/v1/patients/{patient_id}/pharmacies/search`: one page of pharmacies. A search changes nothing,
/// so it is retried like a read.
///
/// MDLIVE's example answer lost its wrapper in the documentation: a bare array of pharmacies,
/// `{"pharmacies": [...]}` and a single pharmacy object are all read as the page's list.
#[derive(Clone, Debug)]
pub struct SearchPharmacies {
    patient_id: String,
    search: PharmacySearch,
}

impl SearchPharmacies {
    /// Pharmacies matching `search` for patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, search: PharmacySearch) -> Self {
        Self { patient_id: patient_id.into(), search }
    }
}

/// The page size a stream asks for when the search sets none (MDLIVE's own default).
const DEFAULT_PER_PAGE: u32 = 10;

impl Operation for SearchPharmacies {
    type Output = Vec<Pharmacy>;
    const SPEC: Spec = Spec::post("/api/v1/patients/{patient_id}/pharmacies/search")
        .name("pharmacies.search")
        .scope(Scope::Subject)
        .idempotent(true)
        .json()
        .paginated(Pagination::PageNumber);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.search.validate()?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&self.search))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<Pharmacy>> {
        #[derive(Deserialize)]
        struct Wrapped {
            pharmacies: Vec<Pharmacy>,
        }
        // The shape first, then the typed decode, so that a malformed item reports its own path.
        match raw.json::<Value>()? {
            Value::Array(_) => raw.json(),
            Value::Object(map) if map.contains_key("pharmacies") => raw.json::<Wrapped>().map(|w| w.pharmacies),
            Value::Object(map) if map.contains_key("id") => raw.json::<Pharmacy>().map(|p| vec![p]),
            _ => {
                let err = carewire_core::resource::missing(raw.meta.status, ".", "pharmacies", &raw.body);
                Err(raw.attach_context(err))
            }
        }
    }
}

impl Paginated for SearchPharmacies {
    type Item = Pharmacy;
    fn strategy(&self) -> Strategy {
        Strategy::PageNumber {
            first: self.search.page.unwrap_or(1),
            per_page: self.search.per_page.unwrap_or(DEFAULT_PER_PAGE),
        }
    }
    fn page_request(&self, page: &PageRequest, enc: &Encodings) -> Result<Request> {
        let mut op = self.clone();
        if let PageRequest::Number { page, per_page } = page {
            op.search.page = Some(*page);
            op.search.per_page = Some(*per_page);
        }
        op.request(enc)
    }
    fn into_page(output: Vec<Pharmacy>) -> Page<Pharmacy> {
        Page::new(output)
    }
}
