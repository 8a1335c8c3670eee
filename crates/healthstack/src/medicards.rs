//! Medicards: digital health cards a business issues, activates, funds and tracks.

use std::fmt;

use carewire_core::secret::{ExposeSecret, SecretString};
use carewire_core::{Request, Result};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::envelope::{Many, One};
use crate::util::{
    check_health_id, check_not_empty, digits_value, is_digits, keys, masked_card, opt_amount, opt_bool_like, redact,
};

/// A Medicard's `status`. Open: unknown values are kept.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CardStatus {
    /// `assigned` to a patient.
    Assigned,
    /// `not_assigned`: reserved, not yet assigned.
    NotAssigned,
    /// A value this version does not know.
    Unknown(String),
}

impl CardStatus {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Assigned => "assigned",
            Self::NotAssigned => "not_assigned",
            Self::Unknown(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for CardStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.trim().to_ascii_lowercase().replace([' ', '-'], "_").as_str() {
            "assigned" => Self::Assigned,
            "not_assigned" | "notassigned" | "unassigned" => Self::NotAssigned,
            _ => Self::Unknown(s),
        })
    }
}

/// A card's `expires_at` exactly as sent: the doc shows both `"18/25"` and `"2025-01-01"` (H6).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(transparent)]
pub struct CardExpiry(String);

/// What a [`CardExpiry`] parses to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParsedExpiry {
    /// A calendar date (`2025-01-01`).
    Date(NaiveDate),
    /// A valid `MM/YY` month (`12/27` → month 12, year 2027).
    MonthYear {
        /// 1 to 12.
        month: u32,
        /// Four-digit year.
        year: i32,
    },
}

impl CardExpiry {
    /// The raw text.
    pub fn raw(&self) -> &str {
        &self.0
    }

    /// Parses the value: a date, or a valid `MM/YY`; `None` otherwise (the doc's own `"18/25"` has no
    /// month 18, so it does not parse).
    ///
    /// ```
    /// use carewire_healthstack::{CardExpiry, ParsedExpiry};
    /// let d: CardExpiry = serde_json::from_str(r#""2025-01-01""#).unwrap();
    /// assert!(matches!(d.parse(), Some(ParsedExpiry::Date(_))));
    /// let m: CardExpiry = serde_json::from_str(r#""12/27""#).unwrap();
    /// assert_eq!(m.parse(), Some(ParsedExpiry::MonthYear { month: 12, year: 2027 }));
    /// let bad: CardExpiry = serde_json::from_str(r#""18/25""#).unwrap();
    /// assert_eq!(bad.parse(), None);
    /// assert_eq!(bad.raw(), "18/25");
    /// ```
    pub fn parse(&self) -> Option<ParsedExpiry> {
        let s = self.0.trim();
        if let Some((m, y)) = s.split_once('/')
            && is_digits(m, 2)
            && (is_digits(y, 2) || is_digits(y, 4))
        {
            let month: u32 = m.parse().ok()?;
            let year: i32 = y.parse().ok()?;
            let year = if y.len() == 2 { 2000 + year } else { year };
            return (1..=12).contains(&month).then_some(ParsedExpiry::MonthYear { month, year });
        }
        carewire_core::de::parse_date(s).map(ParsedExpiry::Date)
    }
}

/// A card PIN returned in a response (always `null` in the doc, H12). Never shown by `Debug`.
#[derive(Clone)]
pub struct ReturnedPin(SecretString);

impl ReturnedPin {
    /// The PIN.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ReturnedPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl<'de> Deserialize<'de> for ReturnedPin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        carewire_core::de::string_or_number(d).map(|s| Self(SecretString::from(s)))
    }
}

/// A card's `metadata`: `{goal: [], limit: 100000}`.
#[derive(Clone, Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct CardMetadata {
    /// `goal`.
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub goal: Vec<Value>,
    /// `limit`, in vendor units (H29).
    #[serde(default, deserialize_with = "opt_amount")]
    pub limit: Option<f64>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A Medicard (create, assign, get, list).
#[derive(Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Medicard {
    /// Internal id (a UUID).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The holder's health id.
    #[serde(default)]
    pub health_id: Option<String>,
    /// Card number, `MED-XXXXXXXX`. Required: an answer without it is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub card_number: String,
    /// Card name.
    #[serde(default)]
    pub card_name: Option<String>,
    /// Balance, in vendor units (currency and minor units unspecified, H29).
    #[serde(default, deserialize_with = "opt_amount")]
    pub balance: Option<f64>,
    /// The issuing business.
    #[serde(default)]
    pub business_id: Option<String>,
    /// Creation time, as sent.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last update, as sent.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Whether the card is active (`true` or `"true"`, H5).
    #[serde(default, deserialize_with = "opt_bool_like")]
    pub active: Option<bool>,
    /// Card type ("Black Medicard", "Blue Medicard").
    #[serde(default)]
    pub card_type: Option<String>,
    /// Expiry as sent (H6).
    #[serde(default)]
    pub expires_at: Option<CardExpiry>,
    /// The PIN, if the API ever returns it (`null` in the doc, H12).
    #[serde(default)]
    pub card_pin: Option<ReturnedPin>,
    /// `failedAttempt` (5 on a fresh card: failures or attempts left is unclear).
    #[serde(
        default,
        rename = "failedAttempt",
        alias = "failed_attempt",
        deserialize_with = "carewire_core::de::opt_number_or_string_i64"
    )]
    pub failed_attempt: Option<i64>,
    /// Card metadata.
    #[serde(default)]
    pub metadata: Option<CardMetadata>,
    /// `assigned` or `not_assigned`.
    #[serde(default)]
    pub status: Option<CardStatus>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for Medicard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Medicard")
            .field("id", &self.id)
            .field("health_id", &redact(self.health_id.as_ref()))
            .field("card_number", &masked_card(&self.card_number))
            .field("card_name", &redact(self.card_name.as_ref()))
            .field("balance", &self.balance)
            .field("business_id", &self.business_id)
            .field("active", &self.active)
            .field("card_type", &self.card_type)
            .field("expires_at", &self.expires_at)
            .field("card_pin", &self.card_pin)
            .field("failed_attempt", &self.failed_attempt)
            .field("status", &self.status)
            .field("extra", &keys(&self.extra))
            .finish_non_exhaustive()
    }
}

/// A reserved, not yet assigned card (`GET /medicard/reserved/{business_id}`).
#[derive(Clone, Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct ReservedMedicard {
    /// Internal id.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// Card number. Required: an answer without it is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub card_number: String,
    /// The business.
    #[serde(default)]
    pub business_id: Option<String>,
    /// Creation time, as sent.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Whether active (H5).
    #[serde(default, deserialize_with = "opt_bool_like")]
    pub active: Option<bool>,
    /// Card type.
    #[serde(default)]
    pub card_type: Option<String>,
    /// Expiry as sent (H6).
    #[serde(default)]
    pub expires_at: Option<CardExpiry>,
    /// Card metadata.
    #[serde(default)]
    pub metadata: Option<CardMetadata>,
    /// Usually `not_assigned`.
    #[serde(default)]
    pub status: Option<CardStatus>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `data` of activate and deactivate: `{health_id, active, card_number}` (the deactivate table's
/// `medicard_status`/`activated_at`, H7, land in `extra`).
#[derive(Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct CardState {
    /// The holder's health id.
    #[serde(default)]
    pub health_id: Option<String>,
    /// Whether active (`"true"` in the activate example, H5).
    #[serde(default, deserialize_with = "opt_bool_like")]
    pub active: Option<bool>,
    /// Card number. Required, so always `Some` once decoded: an answer without it is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::some_id")]
    pub card_number: Option<String>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for CardState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardState")
            .field("health_id", &redact(self.health_id.as_ref()))
            .field("active", &self.active)
            .field("card_number", &self.card_number.as_deref().map(masked_card))
            .field("extra", &keys(&self.extra))
            .finish()
    }
}

/// A card transaction. `id` is an integer in the doc (H10), kept as a string.
#[derive(Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Transaction {
    /// Id (an integer in the doc, a string here). Required, so always `Some` once decoded: a transaction
    /// without it is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::some_id")]
    pub id: Option<String>,
    /// Time, as sent.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Card number.
    #[serde(default)]
    pub card_number: Option<String>,
    /// Amount, in vendor units (H29).
    #[serde(default, deserialize_with = "opt_amount")]
    pub amount: Option<f64>,
    /// The holder's health id.
    #[serde(default)]
    pub health_id: Option<String>,
    /// Metadata (`{receiver}`).
    #[serde(default)]
    pub metadata: Option<Value>,
    /// Transaction reference (digits, as a string).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub transaction_ref: Option<String>,
    /// Type ("Consultations").
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Status ("pending").
    #[serde(default)]
    pub status: Option<String>,
    /// The business.
    #[serde(default)]
    pub business_id: Option<String>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("id", &self.id)
            .field("created_at", &self.created_at)
            .field("card_number", &self.card_number.as_deref().map(masked_card))
            .field("amount", &self.amount)
            .field("health_id", &redact(self.health_id.as_ref()))
            .field("metadata", &redact(self.metadata.as_ref()))
            .field("transaction_ref", &self.transaction_ref)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("business_id", &self.business_id)
            .field("extra", &keys(&self.extra))
            .finish()
    }
}

/// The `data` of `POST /medicard/fund/{card_number}`.
#[derive(Clone, Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct Funding {
    /// The reference (a number in the request example, a string here, H9). Required, so always `Some` once
    /// decoded: an answer without it is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::some_id")]
    pub reference: Option<String>,
    /// Amount funded.
    #[serde(default, deserialize_with = "opt_amount")]
    pub amount: Option<f64>,
    /// Card number.
    #[serde(default)]
    pub card_number: Option<String>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /medicard/create`: issues a card to a patient.
#[derive(Clone, Serialize)]
pub struct CreateMedicard {
    health_id: String,
    #[serde(rename = "cardName")]
    card_name: String,
    #[serde(rename = "cardType")]
    card_type: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl CreateMedicard {
    /// A card named `card_name` of `card_type` ("Black Medicard", "Blue Medicard") for `health_id`.
    pub fn new(health_id: impl Into<String>, card_name: impl Into<String>, card_type: impl Into<String>) -> Self {
        Self {
            health_id: health_id.into(),
            card_name: card_name.into(),
            card_type: card_type.into(),
            extra: Map::new(),
        }
    }

    /// Adds a field the doc does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

impl fmt::Debug for CreateMedicard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateMedicard")
            .field("health_id", &"[REDACTED]")
            .field("card_name", &"[REDACTED]")
            .field("card_type", &self.card_type)
            .finish_non_exhaustive()
    }
}

/// `PATCH /medicard/activate`: activates a card with a 4-digit PIN. The PIN is sent as the JSON number
/// the doc shows (a string when it starts with `0`, so the zero is not lost; H11) and never shown by
/// `Debug`.
#[derive(Clone)]
pub struct ActivateMedicard {
    health_id: String,
    card_number: String,
    pin: SecretString,
    extra: Map<String, Value>,
}

impl ActivateMedicard {
    /// Activates `card_number` of `health_id` with `pin` (exactly 4 digits).
    pub fn new(health_id: impl Into<String>, card_number: impl Into<String>, pin: impl Into<String>) -> Self {
        Self {
            health_id: health_id.into(),
            card_number: card_number.into(),
            pin: SecretString::from(pin.into()),
            extra: Map::new(),
        }
    }

    /// Adds a field the doc does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

impl Serialize for ActivateMedicard {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = Map::new();
        map.insert("health_id".into(), Value::String(self.health_id.clone()));
        map.insert("card_pin".into(), digits_value(self.pin.expose_secret()));
        map.insert("card_number".into(), Value::String(self.card_number.clone()));
        for (k, v) in &self.extra {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
        map.serialize(s)
    }
}

impl fmt::Debug for ActivateMedicard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActivateMedicard")
            .field("health_id", &"[REDACTED]")
            .field("card_number", &masked_card(&self.card_number))
            .field("pin", &"[REDACTED]")
            .finish_non_exhaustive()
    }
}

/// `PATCH /medicard/deactivate`: deactivates a card, with a reason (sent as a string, H8).
#[derive(Clone, Debug, Serialize)]
pub struct DeactivateMedicard {
    card_number: String,
    reason: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl DeactivateMedicard {
    /// Deactivates `card_number` for `reason`.
    pub fn new(card_number: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { card_number: card_number.into(), reason: reason.into(), extra: Map::new() }
    }

    /// Adds a field the doc does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

/// `POST /medicard/reserve`: reserves `quantity` unassigned cards of a type.
#[derive(Clone, Debug, Serialize)]
pub struct ReserveMedicards {
    quantity: u32,
    #[serde(rename = "cardType")]
    card_type: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl ReserveMedicards {
    /// Reserves `quantity` (more than zero) cards of `card_type`.
    pub fn new(quantity: u32, card_type: impl Into<String>) -> Self {
        Self { quantity, card_type: card_type.into(), extra: Map::new() }
    }

    /// Adds a field the doc does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

/// `POST /medicard/assign`: assigns a (reserved) card to a patient.
#[derive(Clone, Serialize)]
pub struct AssignMedicard {
    health_id: String,
    #[serde(rename = "cardName")]
    card_name: String,
    #[serde(rename = "cardType")]
    card_type: String,
    #[serde(rename = "cardNumber")]
    card_number: String,
    expires_at: NaiveDate,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl AssignMedicard {
    /// Assigns `card_number` to `health_id`, named `card_name`, of `card_type`, expiring on `expires_at`
    /// (sent as `YYYY-MM-DD`, as in the doc's example).
    pub fn new(
        health_id: impl Into<String>,
        card_name: impl Into<String>,
        card_type: impl Into<String>,
        card_number: impl Into<String>,
        expires_at: NaiveDate,
    ) -> Self {
        Self {
            health_id: health_id.into(),
            card_name: card_name.into(),
            card_type: card_type.into(),
            card_number: card_number.into(),
            expires_at,
            extra: Map::new(),
        }
    }

    /// Adds a field the doc does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

impl fmt::Debug for AssignMedicard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssignMedicard")
            .field("health_id", &"[REDACTED]")
            .field("card_name", &"[REDACTED]")
            .field("card_type", &self.card_type)
            .field("card_number", &masked_card(&self.card_number))
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// `POST /medicard/fund/{card_number}`: adds `amount` (vendor units, more than zero, H29) to a card. The
/// card number is sent in the path and repeated in the body (H17); the reference is sent as a string (H9).
#[derive(Clone, Serialize)]
pub struct FundMedicard {
    card_number: String,
    reference: String,
    amount: i64,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl fmt::Debug for FundMedicard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FundMedicard")
            .field("card_number", &masked_card(&self.card_number))
            .field("reference", &"[REDACTED]")
            .field("amount", &self.amount)
            .field("extra", &keys(&self.extra))
            .finish()
    }
}

impl FundMedicard {
    /// Funds `card_number` with `amount` under `reference`.
    pub fn new(card_number: impl Into<String>, reference: impl Into<String>, amount: i64) -> Self {
        Self { card_number: card_number.into(), reference: reference.into(), amount, extra: Map::new() }
    }

    /// Adds a field the doc does not list.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

/// Medicard calls. Get it from [`Client::medicards`].
#[derive(Debug, Clone, Copy)]
pub struct Medicards<'a> {
    client: &'a Client,
}

impl<'a> Medicards<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// `POST /medicard/create`. The API wraps the card in a one-element array (H3); the card is returned.
    pub async fn create(&self, card: CreateMedicard) -> Result<Medicard> {
        let mut req = Request::post("/medicard/create").operation("medicards.create").json(&card);
        check_health_id(&mut req, "health_id", &card.health_id);
        check_not_empty(&mut req, "cardName", &card.card_name);
        check_not_empty(&mut req, "cardType", &card.card_type);
        let One(card) = self.client.call(req).await?;
        Ok(card)
    }

    /// `PATCH /medicard/activate`.
    pub async fn activate(&self, activation: ActivateMedicard) -> Result<CardState> {
        let mut req = Request::patch("/medicard/activate").operation("medicards.activate").json(&activation);
        check_health_id(&mut req, "health_id", &activation.health_id);
        check_not_empty(&mut req, "card_number", &activation.card_number);
        if !is_digits(activation.pin.expose_secret(), 4) {
            req.fail("card_pin", "must be exactly 4 digits");
        }
        self.client.call(req).await
    }

    /// `PATCH /medicard/deactivate`.
    pub async fn deactivate(&self, deactivation: DeactivateMedicard) -> Result<CardState> {
        let mut req = Request::patch("/medicard/deactivate").operation("medicards.deactivate").json(&deactivation);
        check_not_empty(&mut req, "card_number", &deactivation.card_number);
        check_not_empty(&mut req, "reason", &deactivation.reason);
        self.client.call(req).await
    }

    /// `POST /medicard/reserve`. The doc's response is `data: []` even when cards were created; list them
    /// with [`Medicards::list_reserved`].
    pub async fn reserve(&self, reservation: ReserveMedicards) -> Result<Vec<ReservedMedicard>> {
        let mut req = Request::post("/medicard/reserve").operation("medicards.reserve").json(&reservation);
        if reservation.quantity == 0 {
            req.fail("quantity", "must be greater than zero");
        }
        check_not_empty(&mut req, "cardType", &reservation.card_type);
        let Many(cards) = self.client.call(req).await?;
        Ok(cards)
    }

    /// `POST /medicard/assign`.
    pub async fn assign(&self, assignment: AssignMedicard) -> Result<Medicard> {
        let mut req = Request::post("/medicard/assign").operation("medicards.assign").json(&assignment);
        check_health_id(&mut req, "health_id", &assignment.health_id);
        check_not_empty(&mut req, "cardName", &assignment.card_name);
        check_not_empty(&mut req, "cardType", &assignment.card_type);
        check_not_empty(&mut req, "cardNumber", &assignment.card_number);
        let One(card) = self.client.call(req).await?;
        Ok(card)
    }

    /// `GET /medicard/single/{card_number}`.
    pub async fn get(&self, card_number: &str) -> Result<Medicard> {
        let One(card) =
            self.get_by("/medicard/single/{card_number}", "medicards.get", "card_number", card_number).await?;
        Ok(card)
    }

    /// `GET /medicard/patients`: every card of the business (despite the path's name, H16).
    pub async fn list(&self) -> Result<Vec<Medicard>> {
        let Many(cards) = self.client.call(Request::get("/medicard/patients").operation("medicards.list")).await?;
        Ok(cards)
    }

    /// `GET /medicard/reserved/{business_id}`: the business's reserved, unassigned cards.
    pub async fn list_reserved(&self, business_id: &str) -> Result<Vec<ReservedMedicard>> {
        let Many(cards) = self
            .get_by("/medicard/reserved/{business_id}", "medicards.list_reserved", "business_id", business_id)
            .await?;
        Ok(cards)
    }

    /// `GET /medicard/transactions/{card_number}`.
    pub async fn transactions(&self, card_number: &str) -> Result<Vec<Transaction>> {
        let Many(items) = self
            .get_by("/medicard/transactions/{card_number}", "medicards.transactions", "card_number", card_number)
            .await?;
        Ok(items)
    }

    /// `GET /medicard/business-transaction/{business_id}`: every card transaction of the business.
    pub async fn business_transactions(&self, business_id: &str) -> Result<Vec<Transaction>> {
        let Many(items) = self
            .get_by(
                "/medicard/business-transaction/{business_id}",
                "medicards.business_transactions",
                "business_id",
                business_id,
            )
            .await?;
        Ok(items)
    }

    /// `GET template` whose one path parameter `name` is `value` (which must not be empty), decoded into `T`.
    async fn get_by<T: DeserializeOwned>(
        &self,
        template: &'static str,
        operation: &'static str,
        name: &'static str,
        value: &str,
    ) -> Result<T> {
        let mut req = Request::get(template).operation(operation).path_param(name, value);
        check_not_empty(&mut req, name, value);
        self.client.call(req).await
    }

    /// `POST /medicard/fund/{card_number}`. Not retried once it may have reached the server (a retry
    /// could fund twice).
    pub async fn fund(&self, funding: FundMedicard) -> Result<Funding> {
        let mut req = Request::post("/medicard/fund/{card_number}")
            .operation("medicards.fund")
            .path_param("card_number", &funding.card_number)
            .json(&funding);
        check_not_empty(&mut req, "card_number", &funding.card_number);
        check_not_empty(&mut req, "reference", &funding.reference);
        if funding.amount <= 0 {
            req.fail("amount", "must be greater than zero");
        }
        self.client.call(req).await
    }
}
