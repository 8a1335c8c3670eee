//! The pediatric profile of a health history and report, keyed on the wire by MDLIVE's display strings
//! (`"Immunization up to date?"`, `"Current weight in lbs."`), and the lenient readers of its answers
//! (`"Yes"`/`"No"`, `"Null"`, numbers as text).

use carewire_core::{Error, Result};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The pediatric profile of a child (0 < age < 13), keyed on the wire by MDLIVE's display strings
/// (`"Birth complications"`, `"Immunization up to date?"`, `"Current weight in lbs."`); the snake_case keys
/// of the doc's Ruby example are read too.
///
/// Requests send booleans and a whole number of pounds; answers bring `"Yes"`/`"No"`, `"Null"` and numbers
/// as text, which all decode into these fields (`"Null"` as `None`).
///
/// ```
/// use carewire::mdlive::PediatricProfile;
///
/// let mut profile = PediatricProfile::default();
/// profile.immunization_up_to_date = Some(false);
/// profile.last_shot = Some("Yesterday".into());
/// profile.current_weight_in_lbs = Some(11);
/// let json = serde_json::to_value(&profile)?;
/// assert_eq!(json["Immunization up to date?"], false);
/// assert_eq!(json["Current weight in lbs."], 11);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PediatricProfile {
    /// `Birth complications` (required for 0 < age < 2).
    #[serde(rename = "Birth complications", alias = "birth_complications")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub birth_complications: Option<bool>,
    /// `Birth complications explanation` (at most 255 characters).
    #[serde(rename = "Birth complications explanation", alias = "birth_complications_explanation")]
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub birth_complications_explanation: Option<String>,
    /// `Bottle Fed`.
    #[serde(rename = "Bottle Fed", alias = "bottle_fed")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub bottle_fed: Option<bool>,
    /// `Breast Fed`.
    #[serde(rename = "Breast Fed", alias = "breast_fed")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub breast_fed: Option<bool>,
    /// `Breathing problems`.
    #[serde(rename = "Breathing problems", alias = "breathing_problems")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub breathing_problems: Option<bool>,
    /// `Childcare outside home` (required for 0 < age < 13).
    #[serde(rename = "Childcare outside home", alias = "childcare_outside_home")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub childcare_outside_home: Option<bool>,
    /// `Colic`.
    #[serde(rename = "Colic", alias = "colic")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub colic: Option<bool>,
    /// `Current Diet` (required for 0 < age < 2).
    #[serde(rename = "Current Diet", alias = "current_diet")]
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub current_diet: Option<String>,
    /// `Delivery Type`.
    #[serde(rename = "Delivery Type", alias = "delivery_type")]
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub delivery_type: Option<String>,
    /// `Feeding Problems`.
    #[serde(rename = "Feeding Problems", alias = "feeding_problems")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub feeding_problems: Option<bool>,
    /// `Immunization up to date?` (required for 0 < age < 13).
    #[serde(rename = "Immunization up to date?", alias = "immunization_up_to_date")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub immunization_up_to_date: Option<bool>,
    /// `Infections`.
    #[serde(rename = "Infections", alias = "infections")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub infections: Option<bool>,
    /// `Jaundice`.
    #[serde(rename = "Jaundice", alias = "jaundice")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub jaundice: Option<bool>,
    /// `Last shot` (at most 255 characters; required when immunizations are not up to date).
    #[serde(rename = "Last shot", alias = "last_shot")]
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub last_shot: Option<String>,
    /// `Newborn complications`.
    #[serde(rename = "Newborn complications", alias = "newborn_complications")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub newborn_complications: Option<bool>,
    /// `Newborn complications explanation`.
    #[serde(rename = "Newborn complications explanation", alias = "newborn_complications_explanation")]
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub newborn_complications_explanation: Option<String>,
    /// `Siblings` (required for 0 < age < 13).
    #[serde(rename = "Siblings", alias = "siblings")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub siblings: Option<bool>,
    /// `Smoking exposure` (required for 0 < age < 13).
    #[serde(rename = "Smoking exposure", alias = "smoking_exposure")]
    #[serde(default, deserialize_with = "opt_yes_no", skip_serializing_if = "Option::is_none")]
    pub smoking_exposure: Option<bool>,
    /// `Current weight in lbs.`, whole pounds (required for 0 < age < 13; `"11"` in answers).
    #[serde(rename = "Current weight in lbs.", alias = "current_weight_in_lbs")]
    #[serde(default, deserialize_with = "opt_int_text", skip_serializing_if = "Option::is_none")]
    pub current_weight_in_lbs: Option<i64>,
    /// Keys not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(PediatricProfile {
    redact: [
        birth_complications,
        birth_complications_explanation,
        bottle_fed,
        breast_fed,
        breathing_problems,
        childcare_outside_home,
        colic,
        current_diet,
        delivery_type,
        feeding_problems,
        immunization_up_to_date,
        infections,
        jaundice,
        last_shot,
        newborn_complications,
        newborn_complications_explanation,
        siblings,
        smoking_exposure,
        current_weight_in_lbs,
    ],
    keys: [extra],
});

/// Text a pediatric answer may hold where it means "nothing": `Null`, `null` or blank.
fn is_nullish(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || text.eq_ignore_ascii_case("null")
}

/// An optional boolean from `true`/`false`, `0`/`1`, `"Yes"`/`"No"`, `"true"`/`"false"`; `null`, `"Null"`
/// and blank text are `None`. Other values fail without quoting them.
pub(crate) fn opt_yes_no<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Option<bool>, D::Error> {
    carewire_core::de::with_value(deserializer, "Yes, No or a boolean", |value| match value {
        Value::Null => Some(None),
        Value::Bool(b) => Some(Some(b)),
        Value::Number(n) => match n.as_u64() {
            Some(0) => Some(Some(false)),
            Some(1) => Some(Some(true)),
            _ => None,
        },
        Value::String(s) if is_nullish(&s) => Some(None),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" => Some(Some(true)),
            "no" | "false" | "0" => Some(Some(false)),
            _ => None,
        },
        _ => None,
    })
}

/// Optional text; `null`, `"Null"` and blank text are `None`, a number is kept as its text.
fn opt_text<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if is_nullish(&s) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(if b { "Yes" } else { "No" }.to_owned())),
        Some(_) => Err(D::Error::custom("expected text")),
    }
}

/// An optional whole number from a number or its text (`11`, `"11"`); `null`, `"Null"` and blank are `None`.
fn opt_int_text<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if is_nullish(&s) => Ok(None),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| D::Error::custom("expected a whole number")),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| D::Error::custom("expected a whole number")),
        Some(_) => Err(D::Error::custom("expected a whole number")),
    }
}

/// The display key of each pediatric field and the snake_case key of the doc's Ruby example.
const PEDIATRIC_KEYS: [(&str, &str); 19] = [
    ("Birth complications", "birth_complications"),
    ("Birth complications explanation", "birth_complications_explanation"),
    ("Bottle Fed", "bottle_fed"),
    ("Breast Fed", "breast_fed"),
    ("Breathing problems", "breathing_problems"),
    ("Childcare outside home", "childcare_outside_home"),
    ("Colic", "colic"),
    ("Current Diet", "current_diet"),
    ("Delivery Type", "delivery_type"),
    ("Feeding Problems", "feeding_problems"),
    ("Immunization up to date?", "immunization_up_to_date"),
    ("Infections", "infections"),
    ("Jaundice", "jaundice"),
    ("Last shot", "last_shot"),
    ("Newborn complications", "newborn_complications"),
    ("Newborn complications explanation", "newborn_complications_explanation"),
    ("Siblings", "siblings"),
    ("Smoking exposure", "smoking_exposure"),
    ("Current weight in lbs.", "current_weight_in_lbs"),
];

/// The longest pediatric explanation MDLIVE accepts, in characters.
const MAX_PEDIATRIC_TEXT: usize = 255;

impl PediatricProfile {
    pub(crate) fn validate(&self) -> Result<()> {
        for (field, text) in
            [("Birth complications explanation", &self.birth_complications_explanation), ("Last shot", &self.last_shot)]
        {
            if text.as_ref().is_some_and(|t| t.chars().count() > MAX_PEDIATRIC_TEXT) {
                return Err(Error::invalid_request(
                    format!("health_history.pediatric_profile.{field}"),
                    "must be at most 255 characters",
                ));
            }
        }
        if self.immunization_up_to_date == Some(false) && self.last_shot.as_deref().is_none_or(|s| s.trim().is_empty())
        {
            return Err(Error::invalid_request(
                "health_history.pediatric_profile.Last shot",
                "is required when immunizations are not up to date",
            ));
        }
        if self.current_weight_in_lbs.is_some_and(|w| w <= 0) {
            return Err(Error::invalid_request(
                "health_history.pediatric_profile.Current weight in lbs.",
                "must be a positive whole number of pounds",
            ));
        }
        Ok(())
    }

    pub(crate) fn to_wire(&self, keys: PediatricKeys) -> Result<Value> {
        let mut value = serde_json::to_value(self)
            .map_err(|_| Error::invalid_request("health_history.pediatric_profile", "cannot be encoded as JSON"))?;
        if keys == PediatricKeys::SnakeCase
            && let Value::Object(map) = &mut value
        {
            for (display, snake) in PEDIATRIC_KEYS {
                if let Some(v) = map.remove(display) {
                    map.insert(snake.to_owned(), v);
                }
            }
        }
        Ok(value)
    }
}

/// How the pediatric profile's keys are sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PediatricKeys {
    /// MDLIVE's display strings (`"Immunization up to date?"`), as the doc's table and curl example (the
    /// default).
    #[default]
    Display,
    /// snake_case (`immunization_up_to_date`), as the doc's Ruby example.
    SnakeCase,
}
