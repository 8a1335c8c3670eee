//! Medicard requests: create, activate, deactivate, reserve, assign and fund, each serialized the way the
//! API expects, redacted in `Debug`, and each its own operation.

use std::fmt;

use carewire_core::operation::{Encodings, Operation, Spec};
use carewire_core::redact::Keys;
use carewire_core::secret::{ExposeSecret, SecretString};
use carewire_core::{Error, RawResponse, Request, Result};
use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::types::{CardState, Funding, Medicard, ReservedMedicard};
use crate::envelope::{Many, One, decode_resource};
use crate::util::{MaskedCard, check_digits, check_health_id, check_not_empty, digits_value};

/// `POST /medicard/create`: issues a card to a patient. The API wraps the card in a one-element array;
/// the card is returned.
///
/// ```
/// use carewire::healthstack::CreateMedicard;
/// use carewire::Operation;
/// use carewire::core::operation::Encodings;
///
/// let op = CreateMedicard::new("HID-PSE8RUOK", "Jane Doe", "Black Medicard");
/// assert_eq!(op.request(&Encodings::default())?.render_path()?, "/medicard/create");
/// assert!(!format!("{op:?}").contains("Jane"));
/// # Ok::<(), carewire::Error>(())
/// ```
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

carewire_core::redacted_debug!(CreateMedicard { show: [card_type], redact: [health_id, card_name], keys: [extra] });

/// `PATCH /medicard/activate`: activates a card with a 4-digit PIN. The PIN is sent as the JSON number
/// the vendor's example shows (a string when it starts with `0`, so the zero is not lost) and never shown
/// by `Debug`.
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

// By hand (as every request naming a card): the card number shows its last four characters.
impl fmt::Debug for ActivateMedicard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActivateMedicard")
            .field("health_id", &format_args!("[REDACTED]"))
            .field("card_number", &MaskedCard(&self.card_number))
            .field("pin", &format_args!("[REDACTED]"))
            .field("extra", &Keys(&self.extra))
            .finish()
    }
}

/// `PATCH /medicard/deactivate`: deactivates a card, with a reason (sent as a string, as the field table
/// says, although the vendor's example sends a number).
#[derive(Clone, Serialize)]
pub struct DeactivateMedicard {
    card_number: String,
    reason: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl fmt::Debug for DeactivateMedicard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeactivateMedicard")
            .field("card_number", &MaskedCard(&self.card_number))
            .field("reason", &format_args!("[REDACTED]"))
            .field("extra", &Keys(&self.extra))
            .finish()
    }
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
#[derive(Clone, Serialize)]
pub struct ReserveMedicards {
    quantity: u32,
    #[serde(rename = "cardType")]
    card_type: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

carewire_core::redacted_debug!(ReserveMedicards { show: [quantity, card_type], keys: [extra] });

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
            .field("health_id", &format_args!("[REDACTED]"))
            .field("card_name", &format_args!("[REDACTED]"))
            .field("card_type", &self.card_type)
            .field("card_number", &MaskedCard(&self.card_number))
            .field("expires_at", &self.expires_at)
            .field("extra", &Keys(&self.extra))
            .finish()
    }
}

/// `POST /medicard/fund/{card_number}`: adds `amount` (more than zero, in the vendor's units: it states no
/// currency or minor unit) to a card. The card number is sent in the path and repeated in the body, as
/// the vendor documents both; the reference is sent as a string (the field table's type, although the
/// example request shows a number).
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
            .field("card_number", &MaskedCard(&self.card_number))
            .field("reference", &format_args!("[REDACTED]"))
            .field("amount", &self.amount)
            .field("extra", &Keys(&self.extra))
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

impl Operation for CreateMedicard {
    type Output = Medicard;
    const SPEC: Spec = Spec::post("/medicard/create").name("medicards.create").json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_health_id("health_id", &self.health_id)?;
        check_not_empty("cardName", &self.card_name)?;
        check_not_empty("cardType", &self.card_type)?;
        Ok(Self::SPEC.request().json(self))
    }

    fn decode(&self, raw: RawResponse) -> Result<Medicard> {
        decode_resource(&raw).map(|One(card)| card)
    }
}

impl Operation for ActivateMedicard {
    type Output = CardState;
    const SPEC: Spec = Spec::patch("/medicard/activate").name("medicards.activate").json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_health_id("health_id", &self.health_id)?;
        check_not_empty("card_number", &self.card_number)?;
        check_digits("card_pin", self.pin.expose_secret(), 4)?;
        Ok(Self::SPEC.request().json(self))
    }

    fn decode(&self, raw: RawResponse) -> Result<CardState> {
        decode_resource(&raw)
    }
}

impl Operation for DeactivateMedicard {
    type Output = CardState;
    const SPEC: Spec = Spec::patch("/medicard/deactivate").name("medicards.deactivate").json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_not_empty("card_number", &self.card_number)?;
        check_not_empty("reason", &self.reason)?;
        Ok(Self::SPEC.request().json(self))
    }

    fn decode(&self, raw: RawResponse) -> Result<CardState> {
        decode_resource(&raw)
    }
}

impl Operation for ReserveMedicards {
    type Output = Vec<ReservedMedicard>;
    const SPEC: Spec = Spec::post("/medicard/reserve").name("medicards.reserve").json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        if self.quantity == 0 {
            return Err(Error::invalid_request("quantity", "must be greater than zero"));
        }
        check_not_empty("cardType", &self.card_type)?;
        Ok(Self::SPEC.request().json(self))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<ReservedMedicard>> {
        decode_resource(&raw).map(|Many(cards)| cards)
    }
}

impl Operation for AssignMedicard {
    type Output = Medicard;
    const SPEC: Spec = Spec::post("/medicard/assign").name("medicards.assign").json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_health_id("health_id", &self.health_id)?;
        check_not_empty("cardName", &self.card_name)?;
        check_not_empty("cardType", &self.card_type)?;
        check_not_empty("cardNumber", &self.card_number)?;
        Ok(Self::SPEC.request().json(self))
    }

    fn decode(&self, raw: RawResponse) -> Result<Medicard> {
        decode_resource(&raw).map(|One(card)| card)
    }
}

impl Operation for FundMedicard {
    type Output = Funding;
    const SPEC: Spec = Spec::post("/medicard/fund/{card_number}").name("medicards.fund").json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_not_empty("card_number", &self.card_number)?;
        check_not_empty("reference", &self.reference)?;
        if self.amount <= 0 {
            return Err(Error::invalid_request("amount", "must be greater than zero"));
        }
        Ok(Self::SPEC.request().path_param("card_number", &self.card_number).json(self))
    }

    fn decode(&self, raw: RawResponse) -> Result<Funding> {
        decode_resource(&raw)
    }
}
