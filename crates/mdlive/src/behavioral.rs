//! Behavioral health history: `POST` (create or update) and `GET`
//! `/api/v1/patients/{patient_id}/behavioral_histories`. Everything here is mental-health data: `Debug`
//! shows none of it.

use carewire_core::de::LenientDateTime;
use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::wire::non_empty;

carewire_core::open_enum! {
    /// Why the patient seeks behavioral health care.
    redacted BehavioralReason {
        /// `Emotional Problem`.
        EmotionalProblem => "Emotional Problem",
        /// `Substance Abuse`.
        SubstanceAbuse => "Substance Abuse",
        /// `Relationship Issue`.
        RelationshipIssue => "Relationship Issue",
        /// `Other` (when active, a description is required).
        Other => "Other",
    }
}

carewire_core::open_enum! {
    /// A behavioral condition, of the patient or of the family. `Anxiety` and `Panic Attacks` are missing
    /// from the doc's list but in every one of its examples (for the patient's own conditions).
    redacted BehavioralCondition {
        /// `Alcohol Dependence`.
        AlcoholDependence => "Alcohol Dependence",
        /// `Obsessive Compulsive Disorder (OCD)`.
        ObsessiveCompulsiveDisorder => "Obsessive Compulsive Disorder (OCD)" | "OCD",
        /// `Anxiety`.
        Anxiety => "Anxiety",
        /// `Panic Attacks`.
        PanicAttacks => "Panic Attacks",
        /// `Bipolar Disorder`.
        BipolarDisorder => "Bipolar Disorder",
        /// `Schizophrenia`.
        Schizophrenia => "Schizophrenia",
        /// `Depression`.
        Depression => "Depression",
        /// `Substance Abuse`.
        SubstanceAbuse => "Substance Abuse",
    }
}

carewire_core::open_enum! {
    /// The counsellor the patient prefers (MDLIVE answers `No preference` for `No Preference`).
    redacted CounselingPreference {
        /// `No Preference`.
        NoPreference => "No Preference",
        /// `Male`.
        Male => "Male",
        /// `Female`.
        Female => "Female",
    }
}

/// One reason and whether it applies.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ReasonEntry {
    /// The reason.
    #[serde(default)]
    pub condition: Option<BehavioralReason>,
    /// Whether it applies.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub active: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(ReasonEntry { redact: [condition, active], keys: [extra] });

/// One condition and whether it applies.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ConditionEntry {
    /// The condition.
    #[serde(default)]
    pub condition: Option<BehavioralCondition>,
    /// Whether it applies.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub active: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(ConditionEntry { redact: [condition, active], keys: [extra] });

/// A patient's behavioral health history.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BehavioralHistory {
    /// Reasons for seeking care.
    #[serde(default)]
    pub behavioral_health_reasons: Vec<ReasonEntry>,
    /// The patient's own conditions.
    #[serde(default)]
    pub behavioral_mconditions: Vec<ConditionEntry>,
    /// Conditions in the family.
    #[serde(default)]
    pub behavioral_family_history: Vec<ConditionEntry>,
    /// Free text about the reasons.
    #[serde(default)]
    pub behavioral_health_description: Option<String>,
    /// Whether the patient was ever hospitalized for it.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub hospitalized: Option<bool>,
    /// Whether someone in the family was.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub family_hospitalized: Option<bool>,
    /// When (a date, `"2016-04-15"`), kept as sent.
    #[serde(default)]
    pub hospitalized_date: Option<LenientDateTime>,
    /// For how long (`"2 days"`), free text.
    #[serde(default)]
    pub hospitalized_duration: Option<String>,
    /// The counsellor the patient prefers.
    #[serde(default)]
    pub counseling_preference: Option<CounselingPreference>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(BehavioralHistory {
    redact: [
        behavioral_health_reasons,
        behavioral_mconditions,
        behavioral_family_history,
        behavioral_health_description,
        hospitalized,
        family_hospitalized,
        hospitalized_date,
        hospitalized_duration,
        counseling_preference,
    ],
    keys: [extra],
});

/// A behavioral health history to save (`POST` creates it or updates it). MDLIVE requires the three lists,
/// `hospitalized` and the counselling preference; the rest may be left out unless it changed.
///
/// ```
/// use carewire::mdlive::{BehavioralCondition, BehavioralReason, CounselingPreference, NewBehavioralHistory};
///
/// let history = NewBehavioralHistory::new(CounselingPreference::NoPreference)
///     .reason(BehavioralReason::SubstanceAbuse, true)
///     .reason(BehavioralReason::Other, true)
///     .description("drinking to deal with stress")
///     .condition(BehavioralCondition::SubstanceAbuse, true)
///     .family_condition(BehavioralCondition::Depression, false);
/// assert!(history.validate().is_ok());
/// ```
#[derive(Clone, PartialEq)]
pub struct NewBehavioralHistory {
    reasons: Vec<(BehavioralReason, bool)>,
    description: Option<String>,
    conditions: Vec<(BehavioralCondition, bool)>,
    family: Vec<(BehavioralCondition, bool)>,
    hospitalization: Option<(NaiveDate, String)>,
    family_hospitalized: Option<bool>,
    counseling_preference: CounselingPreference,
}

carewire_core::redacted_debug!(NewBehavioralHistory {
    redact: [reasons, description, conditions, family, hospitalization, family_hospitalized, counseling_preference],
});

#[derive(Serialize)]
struct Entry<'a, C> {
    condition: &'a C,
    active: bool,
}

fn entries<C>(items: &[(C, bool)]) -> Vec<Entry<'_, C>> {
    items.iter().map(|(condition, active)| Entry { condition, active: *active }).collect()
}

fn known<'a, T: 'a>(
    field: &'static str,
    items: impl IntoIterator<Item = &'a (T, bool)>,
    unknown: impl Fn(&T) -> bool,
) -> Result<()> {
    for (i, (item, _)) in items.into_iter().enumerate() {
        if unknown(item) {
            return Err(Error::invalid_request(format!("{field}[{i}].condition"), "is not a value MDLIVE accepts"));
        }
    }
    Ok(())
}

impl NewBehavioralHistory {
    /// A history with the patient's counselling preference, never hospitalized, and no entries yet.
    pub fn new(counseling_preference: CounselingPreference) -> Self {
        Self {
            reasons: Vec::new(),
            description: None,
            conditions: Vec::new(),
            family: Vec::new(),
            hospitalization: None,
            family_hospitalized: None,
            counseling_preference,
        }
    }

    /// Adds a reason for seeking care and whether it applies (one entry per reason).
    #[must_use]
    pub fn reason(mut self, reason: BehavioralReason, active: bool) -> Self {
        self.reasons.push((reason, active));
        self
    }

    /// The description of the reasons (required when [`BehavioralReason::Other`] is active).
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Adds one of the patient's conditions and whether it applies.
    #[must_use]
    pub fn condition(mut self, condition: BehavioralCondition, active: bool) -> Self {
        self.conditions.push((condition, active));
        self
    }

    /// Adds a condition of the family history and whether it applies.
    #[must_use]
    pub fn family_condition(mut self, condition: BehavioralCondition, active: bool) -> Self {
        self.family.push((condition, active));
        self
    }

    /// The patient was hospitalized on `date`, for `duration` (free text, `"2 days"`).
    #[must_use]
    pub fn hospitalized(mut self, date: NaiveDate, duration: impl Into<String>) -> Self {
        self.hospitalization = Some((date, duration.into()));
        self
    }

    /// Whether someone in the family was hospitalized.
    #[must_use]
    pub fn family_hospitalized(mut self, yes: bool) -> Self {
        self.family_hospitalized = Some(yes);
        self
    }

    /// Checks MDLIVE's rules: the three lists are not empty and hold known values, a description is there
    /// when `Other` is an active reason, a hospitalization has a duration, the preference is known.
    ///
    /// # Errors
    ///
    /// [`carewire::Error::InvalidRequest`](carewire_core::Error::InvalidRequest) naming the field.
    pub fn validate(&self) -> Result<()> {
        const ROOT: &str = "behavioral_history";
        for (field, empty) in [
            ("behavioral_history.behavioral_health_reasons", self.reasons.is_empty()),
            ("behavioral_history.behavioral_mconditions", self.conditions.is_empty()),
            ("behavioral_history.behavioral_family_history", self.family.is_empty()),
        ] {
            if empty {
                return Err(Error::invalid_request(field, "must list at least one entry"));
            }
        }
        known("behavioral_history.behavioral_health_reasons", &self.reasons, BehavioralReason::is_unknown)?;
        known("behavioral_history.behavioral_mconditions", &self.conditions, BehavioralCondition::is_unknown)?;
        known("behavioral_history.behavioral_family_history", &self.family, BehavioralCondition::is_unknown)?;
        let other_active = self.reasons.iter().any(|(r, active)| *active && *r == BehavioralReason::Other);
        match &self.description {
            Some(text) => non_empty(format!("{ROOT}.behavioral_health_description"), text)?,
            None if other_active => {
                return Err(Error::invalid_request(
                    "behavioral_history.behavioral_health_description",
                    "is required when the reason Other is active",
                ));
            }
            None => {}
        }
        if let Some((_, duration)) = &self.hospitalization {
            non_empty("behavioral_history.hospitalized_duration", duration)?;
        }
        if self.counseling_preference.is_unknown() {
            return Err(Error::invalid_request(
                "behavioral_history.counseling_preference",
                "must be No Preference, Male or Female",
            ));
        }
        Ok(())
    }

    fn body(&self) -> Value {
        let mut history = Map::new();
        history.insert("behavioral_health_reasons".into(), serde_json::json!(entries(&self.reasons)));
        if let Some(text) = &self.description {
            history.insert("behavioral_health_description".into(), Value::from(text.as_str()));
        }
        history.insert("behavioral_mconditions".into(), serde_json::json!(entries(&self.conditions)));
        history.insert("behavioral_family_history".into(), serde_json::json!(entries(&self.family)));
        history.insert("hospitalized".into(), Value::Bool(self.hospitalization.is_some()));
        if let Some((date, duration)) = &self.hospitalization {
            history.insert("hospitalized_date".into(), Value::from(date.format("%Y-%m-%d").to_string()));
            history.insert("hospitalized_duration".into(), Value::from(duration.as_str()));
        }
        if let Some(yes) = self.family_hospitalized {
            history.insert("family_hospitalized".into(), Value::Bool(yes));
        }
        history.insert("counseling_preference".into(), Value::from(self.counseling_preference.as_str()));
        serde_json::json!({ "behavioral_history": history })
    }
}

#[derive(Deserialize)]
struct Envelope {
    behavioral_history: BehavioralHistory,
}

/// `POST /api/v1/patients/{patient_id}/behavioral_histories`: creates or updates the history. Not retried
/// once it may have reached MDLIVE.
#[derive(Clone, Debug)]
pub struct CreateBehavioralHistory {
    patient_id: String,
    history: NewBehavioralHistory,
}

impl CreateBehavioralHistory {
    /// Saves `history` for the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, history: NewBehavioralHistory) -> Self {
        Self { patient_id: patient_id.into(), history }
    }
}

impl Operation for CreateBehavioralHistory {
    type Output = BehavioralHistory;
    const SPEC: Spec = Spec::post("/api/v1/patients/{patient_id}/behavioral_histories")
        .name("behavioral_histories.create")
        .scope(Scope::Subject)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.history.validate()?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&self.history.body()))
    }

    fn decode(&self, raw: RawResponse) -> Result<BehavioralHistory> {
        raw.json::<Envelope>().map(|e| e.behavioral_history)
    }
}

/// `GET /api/v1/patients/{patient_id}/behavioral_histories`: the patient's history (one object).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetBehavioralHistory {
    patient_id: String,
}

impl GetBehavioralHistory {
    /// The history of the patient `patient_id`.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

impl Operation for GetBehavioralHistory {
    type Output = BehavioralHistory;
    const SPEC: Spec = Spec::get("/api/v1/patients/{patient_id}/behavioral_histories")
        .name("behavioral_histories.get")
        .scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<BehavioralHistory> {
        raw.json::<Envelope>().map(|e| e.behavioral_history)
    }
}

/// A patient's behavioral health history; from [`PatientSession::behavioral_history`].
#[derive(Clone, Debug)]
pub struct BehavioralHistories {
    session: PatientSession,
}

impl PatientSession {
    /// This patient's behavioral health history.
    pub fn behavioral_history(&self) -> BehavioralHistories {
        BehavioralHistories { session: self.clone() }
    }
}

impl BehavioralHistories {
    /// Creates or updates the history: `POST /api/v1/patients/{patient_id}/behavioral_histories`.
    ///
    /// ```no_run
    /// use carewire::mdlive::{BehavioralCondition, BehavioralReason, CounselingPreference, NewBehavioralHistory};
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let saved = session
    ///     .behavioral_history()
    ///     .create(
    ///         NewBehavioralHistory::new(CounselingPreference::NoPreference)
    ///             .reason(BehavioralReason::EmotionalProblem, true)
    ///             .condition(BehavioralCondition::Anxiety, true)
    ///             .family_condition(BehavioralCondition::Depression, false),
    ///     )
    ///     .await?;
    /// println!("{} reason(s) recorded", saved.behavioral_health_reasons.len());
    /// # Ok(()) }
    /// ```
    pub fn create(&self, history: NewBehavioralHistory) -> Call<CreateBehavioralHistory> {
        self.session.send(CreateBehavioralHistory::new(self.session.patient_id(), history))
    }

    /// The history: `GET /api/v1/patients/{patient_id}/behavioral_histories`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let history = session.behavioral_history().get().await?;
    /// println!("hospitalized: {:?}", history.hospitalized);
    /// # Ok(()) }
    /// ```
    pub fn get(&self) -> Call<GetBehavioralHistory> {
        self.session.send(GetBehavioralHistory::new(self.session.patient_id()))
    }
}
