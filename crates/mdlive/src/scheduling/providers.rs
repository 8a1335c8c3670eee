//! The provider models of scheduling: search results (#4) and a provider's profile with availability (#5).
//! Provider data is directory data, not patient data, so `Debug` shows it.

use carewire_core::de::LenientDateTime;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

carewire_core::open_enum! {
    /// How a consultation takes place.
    AvailabilityType {
        /// By phone.
        Phone => "phone",
        /// By video.
        Video => "video",
    }
}

/// A provider type (`3` Family Physician, `5` Therapist, `6` Psychiatrist, `12` Dermatologist, ...): an open
/// set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ProviderType {
    /// The provider type id, the `provider_type_id` of searches and appointments.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub id: Option<i64>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A provider in search results.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ProviderSummary {
    /// The provider id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The provider's name.
    #[serde(default)]
    pub fullname: Option<String>,
    /// `"Female"` or `"Male"`.
    #[serde(default)]
    pub gender: Option<String>,
    /// A photo path, when there is one.
    #[serde(default)]
    pub photo_url: Option<String>,
    /// An absolute photo URL (often `""`).
    #[serde(default)]
    pub photo_url_absolute: Option<String>,
    /// The specialty (`"General Practice"`).
    #[serde(default)]
    pub specialty: Option<String>,
    /// The practice group.
    #[serde(default)]
    pub group_name: Option<String>,
    /// Whether an immediate consultation is possible (a deprecated model MDLIVE still reports).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_visit_now_available: Option<bool>,
    /// `"Available"`, ...
    #[serde(default)]
    pub status: Option<String>,
    /// The next free slot (`2017-11-09T13:45:00-05:00`).
    #[serde(default)]
    pub next_appt_available_date: Option<LenientDateTime>,
    /// Phone and/or video (`null` in the doc's examples: empty then).
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub availability_type: Vec<AvailabilityType>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a search can be refined by.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct RefineSearchOptions {
    /// The provider types the patient may see.
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub default_provider_types: Vec<ProviderType>,
    /// The consultation kinds on offer (their shape is not documented).
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub availability_type: Vec<Value>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of a provider search.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ProviderSearchResult {
    /// The providers of this page (required: an answer without the list is a decode error).
    #[serde(deserialize_with = "carewire_core::de::one_or_many")]
    pub providers: Vec<ProviderSummary>,
    /// What the search can be refined by.
    #[serde(default)]
    pub refine_search_options: Option<RefineSearchOptions>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A state a provider is licensed in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct License {
    /// The state id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub state_id: Option<i64>,
    /// The state's name (`"Florida"`).
    #[serde(default)]
    pub state: Option<String>,
}

/// A language a provider speaks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Language {
    /// The language id (the `language_id` of a search).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub id: Option<i64>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// ISO 639-2 code (`"eng"`).
    #[serde(default)]
    pub alpha3_code: Option<String>,
}

/// A provider's specialty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Specialty {
    /// The specialty id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub id: Option<i64>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its code (`"GP"`).
    #[serde(default)]
    pub code: Option<String>,
}

/// Who a provider is.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ProviderDetails {
    /// The provider id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// The provider's name.
    #[serde(default)]
    pub fullname: Option<String>,
    /// `"Female"` or `"Male"`.
    #[serde(default)]
    pub gender: Option<String>,
    /// The practice's city.
    #[serde(default)]
    pub city: Option<String>,
    /// The practice's state.
    #[serde(default)]
    pub state_abbrev: Option<String>,
    /// The practice's phone, digits as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub phone: Option<String>,
    /// A photo path (`/users/4/photo`).
    #[serde(default)]
    pub photo_url: Option<String>,
    /// An absolute photo URL (often `""`).
    #[serde(default)]
    pub photo_url_absolute: Option<String>,
    /// Years in practice.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub years_in_practice: Option<i64>,
    /// Education.
    #[serde(default)]
    pub education: Option<String>,
    /// The provider's own description.
    #[serde(default)]
    pub about_me: Option<String>,
    /// Where the provider is licensed.
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub licenses: Vec<License>,
    /// The languages spoken.
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub languages: Vec<Language>,
    /// The specialties.
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub specialties: Vec<Specialty>,
    /// Publications, as text.
    #[serde(default)]
    pub publications: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One bookable slot.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AvailableHour {
    /// When it starts (`2018-01-10T15:00:00.000-05:00`).
    #[serde(default)]
    pub timeslot: Option<LenientDateTime>,
    /// The slot's availability id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub phys_availability_id: Option<String>,
    /// Phone and/or video.
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub availability_type: Vec<AvailabilityType>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AvailableHour {
    /// The slot's start as unix seconds, the `start_time` of an appointment with this provider; `None` when
    /// the timeslot cannot be read.
    ///
    /// ```
    /// let hour: carewire::mdlive::AvailableHour =
    ///     serde_json::from_str(r#"{"timeslot": "2018-01-10T15:00:00.000-05:00"}"#).unwrap();
    /// assert_eq!(hour.start_time(), Some(1_515_614_400));
    /// ```
    pub fn start_time(&self) -> Option<i64> {
        self.timeslot.as_ref()?.parse().map(|t| t.timestamp())
    }
}

/// When a provider can be seen.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AvailabilityDetails {
    /// The bookable slots of `appointment_date` (or of the next day with slots).
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub available_hours: Vec<AvailableHour>,
    /// Whether an immediate consultation is possible (deprecated by MDLIVE).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_visit_now_available: Option<bool>,
    /// Whether an appointment can be requested.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub can_request_appointment: Option<bool>,
    /// The day the slots are for (`2018-01-15`).
    #[serde(default)]
    pub appointment_date: Option<LenientDateTime>,
    /// The appointment types the patient may book (their shape is not documented).
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub patient_appointment_types: Vec<Value>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A provider's profile and availability (`GET /api/v2/providers/{provider_id}/profile`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ProviderProfile {
    /// Who the provider is (required).
    pub provider_details: ProviderDetails,
    /// When the provider can be seen.
    #[serde(default)]
    pub availability_details: Option<AvailabilityDetails>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
