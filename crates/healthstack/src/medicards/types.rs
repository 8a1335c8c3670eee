//! Medicard models as the API answers them: cards, reserved cards, card state, transactions and funding,
//! with the status, expiry and PIN types they use.

use std::fmt;

use carewire_core::money::Decimal;
use carewire_core::redact::{Keys, Redacted};
use carewire_core::secret::{ExposeSecret, SecretString};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::util::{MaskedCard, is_digits, masked_opt};

carewire_core::open_enum! {
    /// A Medicard's `status`. Open: unknown values are kept. `Not Assigned`, `not-assigned`, `notassigned`
    /// and `unassigned` also read as [`CardStatus::NotAssigned`].
    ///
    /// ```
    /// use carewire::healthstack::CardStatus;
    /// assert_eq!(CardStatus::from("Not Assigned"), CardStatus::NotAssigned);
    /// assert_eq!(CardStatus::NotAssigned.as_str(), "not_assigned");
    /// ```
    CardStatus {
        /// `assigned` to a patient.
        Assigned => "assigned",
        /// `not_assigned`: reserved, not yet assigned.
        NotAssigned => "not_assigned" | "not assigned" | "not-assigned" | "notassigned" | "unassigned",
    }
}

/// A card's `expires_at` exactly as sent: the vendor's examples show both `"18/25"` (not a valid month)
/// and `"2025-01-01"`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
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
    /// use carewire::healthstack::{CardExpiry, ParsedExpiry};
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

/// A card PIN returned in a response (always `null` in the vendor's examples). Never shown by `Debug`;
/// serialized as the PIN itself, so that a card written back to JSON reads back the same.
#[derive(Clone)]
pub struct ReturnedPin(SecretString);

impl PartialEq for ReturnedPin {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Serialize for ReturnedPin {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

impl ReturnedPin {
    /// The PIN.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

// By hand: a newtype whose one field is the secret.
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

/// A card's `metadata`: `{goal: [], limit: 100000}`. `Debug` shows the limit, not the goals.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CardMetadata {
    /// `goal`.
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub goal: Vec<Value>,
    /// `limit`, in the vendor's units (no currency or minor unit is stated).
    #[serde(default, deserialize_with = "carewire_core::money::opt_decimal")]
    pub limit: Option<Decimal>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(CardMetadata { show: [limit], redact: [goal], keys: [extra] });

/// A Medicard (create, assign, get, list). `Debug` shows the card number's last four characters only.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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
    /// Balance, in the vendor's units (currency and minor unit unspecified).
    #[serde(default, deserialize_with = "carewire_core::money::opt_decimal")]
    pub balance: Option<Decimal>,
    /// The issuing business.
    #[serde(default)]
    pub business_id: Option<String>,
    /// Creation time, as sent.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last update, as sent.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Whether the card is active (sent as `true` or as the string `"true"`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub active: Option<bool>,
    /// Card type ("Black Medicard", "Blue Medicard").
    #[serde(default)]
    pub card_type: Option<String>,
    /// Expiry as sent (`"18/25"` or `"2025-01-01"`; see [`CardExpiry`]).
    #[serde(default)]
    pub expires_at: Option<CardExpiry>,
    /// The PIN, if the API ever returns it (`null` in the vendor's examples).
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

// By hand: the card number shows its last four characters.
impl fmt::Debug for Medicard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Medicard")
            .field("id", &self.id)
            .field("health_id", &Redacted(&self.health_id))
            .field("card_number", &MaskedCard(&self.card_number))
            .field("card_name", &Redacted(&self.card_name))
            .field("balance", &self.balance)
            .field("business_id", &self.business_id)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("active", &self.active)
            .field("card_type", &self.card_type)
            .field("expires_at", &self.expires_at)
            .field("card_pin", &self.card_pin)
            .field("failed_attempt", &self.failed_attempt)
            .field("metadata", &self.metadata)
            .field("status", &self.status)
            .field("extra", &Keys(&self.extra))
            .finish()
    }
}

/// A reserved, not yet assigned card (`GET /medicard/reserved/{business_id}`). `Debug` shows the card
/// number's last four characters only.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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
    /// Whether active (a boolean or the string `"true"`).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub active: Option<bool>,
    /// Card type.
    #[serde(default)]
    pub card_type: Option<String>,
    /// Expiry as sent (see [`CardExpiry`]).
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

// By hand: the card number shows its last four characters.
impl fmt::Debug for ReservedMedicard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReservedMedicard")
            .field("id", &self.id)
            .field("card_number", &MaskedCard(&self.card_number))
            .field("business_id", &self.business_id)
            .field("created_at", &self.created_at)
            .field("active", &self.active)
            .field("card_type", &self.card_type)
            .field("expires_at", &self.expires_at)
            .field("metadata", &self.metadata)
            .field("status", &self.status)
            .field("extra", &Keys(&self.extra))
            .finish()
    }
}

/// The `data` of activate and deactivate: `{health_id, active, card_number}` (the deactivate table's
/// `medicard_status`/`activated_at`, which no example shows, land in `extra`).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CardState {
    /// The holder's health id.
    #[serde(default)]
    pub health_id: Option<String>,
    /// Whether active (the string `"true"` in the activate example).
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub active: Option<bool>,
    /// Card number. Required, so always `Some` once decoded: an answer without it is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::some_id")]
    pub card_number: Option<String>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// By hand: the card number shows its last four characters.
impl fmt::Debug for CardState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardState")
            .field("health_id", &Redacted(&self.health_id))
            .field("active", &self.active)
            .field("card_number", &masked_opt(self.card_number.as_ref()))
            .field("extra", &Keys(&self.extra))
            .finish()
    }
}

/// A card transaction. `id` is an integer in the vendor's examples (other ids are UUID strings); it is kept
/// as a string.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
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
    /// Amount, in the vendor's units (currency and minor unit unspecified).
    #[serde(default, deserialize_with = "carewire_core::money::opt_decimal")]
    pub amount: Option<Decimal>,
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

// By hand: the card number shows its last four characters.
impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("id", &self.id)
            .field("created_at", &self.created_at)
            .field("card_number", &masked_opt(self.card_number.as_ref()))
            .field("amount", &self.amount)
            .field("health_id", &Redacted(&self.health_id))
            .field("metadata", &Redacted(&self.metadata))
            .field("transaction_ref", &self.transaction_ref)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("business_id", &self.business_id)
            .field("extra", &Keys(&self.extra))
            .finish()
    }
}

/// The `data` of `POST /medicard/fund/{card_number}`. `Debug` shows the card number's last four
/// characters only.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Funding {
    /// The reference (a number in the vendor's request example, a string in its response). Required, so
    /// always `Some` once decoded: an answer without it is a decode error.
    #[serde(deserialize_with = "carewire_core::resource::some_id")]
    pub reference: Option<String>,
    /// Amount funded.
    #[serde(default, deserialize_with = "carewire_core::money::opt_decimal")]
    pub amount: Option<Decimal>,
    /// Card number.
    #[serde(default)]
    pub card_number: Option<String>,
    /// Fields the doc does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// By hand: the card number shows its last four characters.
impl fmt::Debug for Funding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Funding")
            .field("reference", &self.reference)
            .field("amount", &self.amount)
            .field("card_number", &masked_opt(self.card_number.as_ref()))
            .field("extra", &Keys(&self.extra))
            .finish()
    }
}
