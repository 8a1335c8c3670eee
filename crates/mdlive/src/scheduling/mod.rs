//! Scheduling a visit (#4-#6): searching providers (paginated with `page`/`per_page`), a provider's profile
//! and availability, and creating an appointment with the first available provider or a specific one.

mod appointment;
mod providers;

use carewire_core::operation::{Call, Encodings, Operation, Paginated, Pagination, Scope, Spec};
use carewire_core::pagination::{Page, PageRequest, Strategy};
use carewire_core::{Error, RawResponse, Request, Result};
use chrono::NaiveDate;
use serde_json::{Map, Value, json};

pub use appointment::{AppointmentMethod, CreatedAppointment, NewAppointment};
pub use providers::{
    AvailabilityDetails, AvailabilityType, AvailableHour, Language, License, ProviderDetails, ProviderProfile,
    ProviderSearchResult, ProviderSummary, ProviderType, RefineSearchOptions, Specialty,
};

use crate::wire::{non_empty, state_abbrev};
use crate::{Client, PatientSession};

/// The page size a streamed provider search asks for when none is set.
pub const DEFAULT_PROVIDERS_PER_PAGE: u32 = 20;

carewire_core::open_enum! {
    /// A preferred provider gender.
    ProviderGender {
        /// `Male`.
        Male => "Male",
        /// `Female`.
        Female => "Female",
    }
}

/// The filters of a provider search (the `search` object): the patient's state is required.
///
/// ```
/// use carewire::mdlive::{AvailabilityType, ProviderSearch};
///
/// let search = ProviderSearch::new("FL").language_id(1).availability_type([AvailabilityType::Video]);
/// # let _ = search;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderSearch {
    state_abbrev: String,
    availability_type: Vec<AvailabilityType>,
    gender: Option<ProviderGender>,
    provider_type_id: Option<i64>,
    specific_date: Option<NaiveDate>,
    language_id: Option<i64>,
}

impl ProviderSearch {
    /// Providers for a patient in `state_abbrev` (two letters, from the states list).
    pub fn new(state_abbrev: impl Into<String>) -> Self {
        Self { state_abbrev: state_abbrev.into(), ..Self::default() }
    }
    /// Only providers available by these means (phone, video or both).
    pub fn availability_type(mut self, types: impl IntoIterator<Item = AvailabilityType>) -> Self {
        self.availability_type = types.into_iter().collect();
        self
    }
    /// A preferred provider gender.
    pub fn gender(mut self, gender: ProviderGender) -> Self {
        self.gender = Some(gender);
        self
    }
    /// Only providers of this type.
    pub fn provider_type_id(mut self, id: i64) -> Self {
        self.provider_type_id = Some(id);
        self
    }
    /// Availability on this day.
    pub fn specific_date(mut self, date: NaiveDate) -> Self {
        self.specific_date = Some(date);
        self
    }
    /// Only providers speaking this language (from the languages list; `1` is English).
    pub fn language_id(mut self, id: i64) -> Self {
        self.language_id = Some(id);
        self
    }

    fn body(&self) -> Value {
        let mut s = Map::new();
        s.insert("state_abbrev".into(), Value::from(self.state_abbrev.as_str()));
        if !self.availability_type.is_empty() {
            s.insert(
                "availability_type".into(),
                self.availability_type.iter().map(|t| Value::from(t.as_str())).collect(),
            );
        }
        if let Some(g) = &self.gender {
            s.insert("gender".into(), Value::from(g.as_str()));
        }
        if let Some(id) = self.provider_type_id {
            s.insert("provider_type_id".into(), Value::from(id));
        }
        if let Some(d) = self.specific_date {
            s.insert("specific_date".into(), Value::from(d.format("%Y-%m-%d").to_string()));
        }
        if let Some(id) = self.language_id {
            s.insert("language_id".into(), Value::from(id));
        }
        json!({ "search": s })
    }
}

/// `POST /api/v2/patients/{patient_id}/providers/search`: one page of the providers available to a
/// patient; paginated (`page`, `per_page` in the query), so `.stream()` walks every page and stops on a
/// short or empty one.
///
/// ```no_run
/// use carewire::mdlive::{ProviderSearch, SearchProviders};
///
/// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
/// let op = SearchProviders::new(session.patient_id(), ProviderSearch::new("FL")).page(2).per_page(10);
/// let page = session.send(op).await?;
/// println!("{} providers on page 2", page.providers.len());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchProviders {
    patient_id: String,
    search: ProviderSearch,
    page: Option<u32>,
    per_page: Option<u32>,
}

impl SearchProviders {
    /// A search for `patient_id` with these filters.
    pub fn new(patient_id: impl Into<String>, search: ProviderSearch) -> Self {
        Self { patient_id: patient_id.into(), search, page: None, per_page: None }
    }
    /// The page to fetch (from 1).
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }
    /// Providers per page (streams default to [`DEFAULT_PROVIDERS_PER_PAGE`]).
    pub fn per_page(mut self, per_page: u32) -> Self {
        self.per_page = Some(per_page);
        self
    }

    fn base_request(&self) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        state_abbrev("search.state_abbrev", &self.search.state_abbrev)?;
        if self.page == Some(0) {
            return Err(Error::invalid_request("page", "starts at 1"));
        }
        if self.per_page == Some(0) {
            return Err(Error::invalid_request("per_page", "must be at least 1"));
        }
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&self.search.body()))
    }
}

impl Operation for SearchProviders {
    type Output = ProviderSearchResult;
    // A search changes nothing: safe to retry although it is a POST.
    const SPEC: Spec = Spec::post("/api/v2/patients/{patient_id}/providers/search")
        .name("providers.search")
        .scope(Scope::Subject)
        .json()
        .idempotent(true)
        .paginated(Pagination::PageNumber);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(self.base_request()?.query_opt("page", self.page).query_opt("per_page", self.per_page))
    }

    fn decode(&self, raw: RawResponse) -> Result<ProviderSearchResult> {
        raw.json()
    }
}

impl Paginated for SearchProviders {
    type Item = ProviderSummary;

    fn strategy(&self) -> Strategy {
        Strategy::PageNumber {
            first: self.page.unwrap_or(1).max(1),
            per_page: self.per_page.unwrap_or(DEFAULT_PROVIDERS_PER_PAGE).max(1),
        }
    }

    fn page_request(&self, page: &PageRequest, _enc: &Encodings) -> Result<Request> {
        let PageRequest::Number { page, per_page } = page else {
            return Err(Error::invalid_request("page", "provider search pages by number"));
        };
        Ok(self.base_request()?.query("page", page).query("per_page", per_page))
    }

    fn into_page(output: ProviderSearchResult) -> Page<ProviderSummary> {
        Page::new(output.providers)
    }
}

/// `GET /api/v2/providers/{provider_id}/profile`: a provider's profile and bookable hours. Accepts a
/// patient's token or the API token; with the API token, name the patient with
/// [`patient_id`](Self::patient_id).
///
/// ```no_run
/// use carewire::mdlive::{AvailabilityType, GetProviderProfile};
///
/// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
/// let op = GetProviderProfile::new("4", 3).patient_id("52").availability_type(AvailabilityType::Video);
/// let profile = client.send(op).await?;
/// println!("{:?}", profile.provider_details.fullname);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetProviderProfile {
    provider_id: String,
    provider_type_id: i64,
    patient_id: Option<String>,
    availability_type: Option<AvailabilityType>,
    specific_date: Option<NaiveDate>,
    show_next_availability: Option<bool>,
    state_abbrev: Option<String>,
}

impl GetProviderProfile {
    /// The profile of `provider_id` as a provider of type `provider_type_id` (sent as `provider_type`,
    /// required).
    pub fn new(provider_id: impl Into<String>, provider_type_id: i64) -> Self {
        Self {
            provider_id: provider_id.into(),
            provider_type_id,
            patient_id: None,
            availability_type: None,
            specific_date: None,
            show_next_availability: None,
            state_abbrev: None,
        }
    }
    /// The patient, when the call uses the API token instead of the patient's.
    pub fn patient_id(mut self, patient_id: impl Into<String>) -> Self {
        self.patient_id = Some(patient_id.into());
        self
    }
    /// Only hours available this way.
    pub fn availability_type(mut self, kind: AvailabilityType) -> Self {
        self.availability_type = Some(kind);
        self
    }
    /// The day to show hours for (default today).
    pub fn specific_date(mut self, date: NaiveDate) -> Self {
        self.specific_date = Some(date);
        self
    }
    /// Whether a day without hours shows the next available day's instead (default true).
    pub fn show_next_availability(mut self, show: bool) -> Self {
        self.show_next_availability = Some(show);
        self
    }
    /// The state to check licensing for (default the patient's).
    pub fn state_abbrev(mut self, state: impl Into<String>) -> Self {
        self.state_abbrev = Some(state.into());
        self
    }
}

impl Operation for GetProviderProfile {
    type Output = ProviderProfile;
    const SPEC: Spec =
        Spec::get("/api/v2/providers/{provider_id}/profile").name("providers.profile").scope(Scope::SubjectOrClient);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("provider_id", &self.provider_id)?;
        if self.provider_type_id <= 0 {
            return Err(Error::invalid_request("provider_type", "must be a provider type id"));
        }
        if let Some(p) = &self.patient_id {
            non_empty("patient_id", p)?;
        }
        if let Some(s) = &self.state_abbrev {
            state_abbrev("state_abbrev", s)?;
        }
        Ok(Self::SPEC
            .request()
            .path_param("provider_id", &self.provider_id)
            .query("provider_type", self.provider_type_id)
            .query_opt("patient_id", self.patient_id.as_deref())
            .query_opt("availability_type", self.availability_type.as_ref())
            .query_opt("specific_date", self.specific_date.map(|d| d.format("%Y-%m-%d").to_string()))
            .query_opt("show_next_availability", self.show_next_availability)
            .query_opt("state_abbrev", self.state_abbrev.as_deref()))
    }

    fn decode(&self, raw: RawResponse) -> Result<ProviderProfile> {
        raw.json()
    }
}

/// `POST /api/v2/patients/{patient_id}/appointments`: schedules a consultation. Not retried once it may
/// have reached MDLIVE (a second attempt could book twice), unless the call carries an idempotency key.
///
/// ```no_run
/// use carewire::mdlive::{AppointmentMethod, CreateAppointment, NewAppointment};
///
/// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
/// let appointment = NewAppointment::first_available(3, "FL")
///     .appointment_method(AppointmentMethod::Phone)
///     .chief_complaint("Throat Pain")
///     .survey_answer("Emergency Room")
///     .customer_call_in_number("5555555555")
///     .consent("TM");
/// let created = session.send(CreateAppointment::new(session.patient_id(), appointment)).idempotency_key("visit-2026-03-01-52").await?;
/// println!("{:?}", created.id);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateAppointment {
    patient_id: String,
    appointment: NewAppointment,
}

impl CreateAppointment {
    /// `appointment` for `patient_id`.
    pub fn new(patient_id: impl Into<String>, appointment: NewAppointment) -> Self {
        Self { patient_id: patient_id.into(), appointment }
    }
}

impl Operation for CreateAppointment {
    type Output = CreatedAppointment;
    const SPEC: Spec = Spec::post("/api/v2/patients/{patient_id}/appointments")
        .name("appointments.create")
        .scope(Scope::Subject)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.appointment.validate()?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&self.appointment.body()))
    }

    fn decode(&self, raw: RawResponse) -> Result<CreatedAppointment> {
        raw.json::<Value>().map(CreatedAppointment::from_body)
    }
}

/// A patient's scheduling; from [`PatientSession::scheduling`].
#[derive(Clone, Debug)]
pub struct Scheduling {
    session: PatientSession,
}

impl PatientSession {
    /// Scheduling a visit: provider search, provider profiles, appointment creation.
    pub fn scheduling(&self) -> Scheduling {
        Scheduling { session: self.clone() }
    }
}

impl Scheduling {
    /// Searches the providers available to the patient (first page; `.stream()` for all of them).
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use carewire::mdlive::ProviderSearch;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let providers: Vec<_> = session.scheduling().search_providers(ProviderSearch::new("FL")).stream().try_collect().await?;
    /// for p in &providers {
    ///     println!("{} {:?} next free {:?}", p.id, p.fullname, p.next_appt_available_date);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn search_providers(&self, search: ProviderSearch) -> Call<SearchProviders> {
        self.session.send(SearchProviders::new(self.session.patient_id(), search))
    }

    /// A provider's profile and bookable hours, with the patient's token.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let profile = session.scheduling().provider_profile("4", 3).await?;
    /// let slots = profile.availability_details.map(|a| a.available_hours).unwrap_or_default();
    /// println!("{} slots", slots.len());
    /// # Ok(()) }
    /// ```
    pub fn provider_profile(&self, provider_id: impl Into<String>, provider_type_id: i64) -> Call<GetProviderProfile> {
        self.session.send(GetProviderProfile::new(provider_id, provider_type_id))
    }

    /// Schedules a consultation for the patient.
    ///
    /// ```no_run
    /// use carewire::mdlive::{AppointmentMethod, NewAppointment};
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let appointment = NewAppointment::with_provider("4", 1_516_225_743, 3, "FL")
    ///     .appointment_method(AppointmentMethod::Video)
    ///     .chief_complaint("Throat Pain")
    ///     .survey_answer("Emergency Room")
    ///     .customer_call_in_number("5555555555")
    ///     .consent("TM");
    /// let created = session.scheduling().create_appointment(appointment).await?;
    /// println!("appointment {:?}", created.id);
    /// # Ok(()) }
    /// ```
    pub fn create_appointment(&self, appointment: NewAppointment) -> Call<CreateAppointment> {
        self.session.send(CreateAppointment::new(self.session.patient_id(), appointment))
    }
}

/// Provider profiles with the API token; from [`Client::providers`].
#[derive(Clone, Debug)]
pub struct Providers {
    client: Client,
}

impl Client {
    /// Provider profiles with the API token (a session's [`Scheduling`] uses the patient's).
    pub fn providers(&self) -> Providers {
        Providers { client: self.clone() }
    }
}

impl Providers {
    /// A provider's profile for the patient `patient_id` (MDLIVE needs the patient named when the call uses
    /// the API token).
    ///
    /// ```no_run
    /// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
    /// let profile = client.providers().profile("4", 3, "52").await?;
    /// println!("{:?}", profile.provider_details.fullname);
    /// # Ok(()) }
    /// ```
    pub fn profile(
        &self,
        provider_id: impl Into<String>,
        provider_type_id: i64,
        patient_id: impl Into<String>,
    ) -> Call<GetProviderProfile> {
        self.client.send(GetProviderProfile::new(provider_id, provider_type_id).patient_id(patient_id))
    }
}
