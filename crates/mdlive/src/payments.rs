//! Payments: the cost of a consultation for a patient (`GET /api/v2/payments/costs/check`) and the
//! patient's default credit card (get, create or update, delete).
//!
//! Card data never reaches a log: the card number and CVV are held only to be sent, every card type's
//! `Debug` redacts them, and validation errors name the field, never the value.

use carewire_core::money::Decimal;
use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PatientSession;
use crate::wire::non_empty;

/// What a consultation costs the patient. Amounts are exact decimals (MDLIVE sends numbers, `49`).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Cost {
    /// The final consultation charge for the patient. Required.
    pub cost: Decimal,
    /// The amount due after discounts.
    #[serde(default)]
    pub final_amount: Option<Decimal>,
    /// The cost without the promo code.
    #[serde(default)]
    pub cost_with_no_promocode: Option<Decimal>,
    /// The consultation charge before insurance and promotions.
    #[serde(default)]
    pub consultation_charge: Option<Decimal>,
    /// How the payment splits (`null` in MDLIVE's example; its shape is not documented).
    #[serde(default)]
    pub payment_breakup: Option<Value>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Cost {
    show: [cost, final_amount, cost_with_no_promocode, consultation_charge],
    redact: [payment_breakup],
    keys: [extra],
});

/// What to price: the query of `GET /api/v2/payments/costs/check` besides the patient.
///
/// # Examples
///
/// ```
/// use carewire::mdlive::CostCheck;
///
/// let check = CostCheck::new("3").state_abbrev("FL").promo_code("WELCOME").authorize_insurance(false);
/// assert!(check.validate().is_ok());
/// assert!(CostCheck::new("").validate().is_err()); // the provider type is required
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostCheck {
    provider_type_id: String,
    promo_code: Option<String>,
    state_abbrev: Option<String>,
    authorize_insurance: Option<bool>,
}

impl CostCheck {
    /// The cost of a consultation with a provider of type `provider_type_id` (required; a provider type
    /// id such as `3`, from provider search's provider types).
    pub fn new(provider_type_id: impl Into<String>) -> Self {
        Self {
            provider_type_id: provider_type_id.into(),
            promo_code: None,
            state_abbrev: None,
            authorize_insurance: None,
        }
    }
    /// With this promo code.
    #[must_use]
    pub fn promo_code(mut self, code: impl Into<String>) -> Self {
        self.promo_code = Some(code.into());
        self
    }
    /// For a consultation in this state (two letters).
    #[must_use]
    pub fn state_abbrev(mut self, state: impl Into<String>) -> Self {
        self.state_abbrev = Some(state.into());
        self
    }
    /// Whether to apply the patient's insurance.
    #[must_use]
    pub fn authorize_insurance(mut self, authorize: bool) -> Self {
        self.authorize_insurance = Some(authorize);
        self
    }

    /// Checks what can be checked before sending: a numeric provider type id, a two-letter state, no blank
    /// promo code.
    pub fn validate(&self) -> Result<()> {
        if self.provider_type_id.trim().is_empty() {
            return Err(Error::invalid_request("provider_type_id", "is required"));
        }
        if !self.provider_type_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid_request("provider_type_id", "must be a numeric provider type id"));
        }
        if let Some(code) = &self.promo_code {
            non_empty("promo_code", code)?;
        }
        if let Some(state) = &self.state_abbrev
            && !two_letters(state)
        {
            return Err(Error::invalid_request("state_abbrev", "must be a two-letter state abbreviation"));
        }
        Ok(())
    }
}

fn two_letters(v: &str) -> bool {
    v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic())
}

/// A patient's default credit card, as MDLIVE returns it (the last four digits only).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreditCard {
    /// MDLIVE's billing subscriber id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub subscriber_id: Option<String>,
    /// The stored card's id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub subscriber_card_id: Option<String>,
    /// The billing address.
    #[serde(default)]
    pub billing_data: Option<BillingAddress>,
    /// The card. Required.
    pub card_data: CardSummary,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(CreditCard {
    show: [subscriber_id, subscriber_card_id, billing_data, card_data],
    keys: [extra],
});

/// A card's billing address as MDLIVE returns it (`state`, where the request says `state_abbrev`).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BillingAddress {
    /// Cardholder's name.
    #[serde(default)]
    pub name: Option<String>,
    /// Street address.
    #[serde(default)]
    pub address1: Option<String>,
    /// Second address line.
    #[serde(default)]
    pub address2: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Two-letter state.
    #[serde(default)]
    pub state: Option<String>,
    /// ZIP code.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub zip: Option<String>,
    /// Country (`"US"`).
    #[serde(default)]
    pub country: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(BillingAddress {
    show: [country],
    redact: [name, address1, address2, city, state, zip],
    keys: [extra],
});

/// What MDLIVE tells about a stored card.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CardSummary {
    /// The last four digits.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub last_four: Option<String>,
    /// Whether the card is active.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub active: Option<bool>,
    /// The brand (`"VISA"`).
    #[serde(default, rename = "type")]
    pub card_type: Option<String>,
    /// Expiry month (1-12).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub expiration_month: Option<i64>,
    /// Expiry year (four digits).
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub expiration_year: Option<i64>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(CardSummary {
    show: [active, card_type],
    redact: [last_four, expiration_month, expiration_year],
    keys: [extra],
});

/// The billing address sent with a new card.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct CardBilling {
    name: String,
    address1: String,
    address2: String,
    state_abbrev: String,
    city: String,
    zip: String,
}

carewire_core::redacted_debug!(CardBilling { redact: [name, address1, address2, state_abbrev, city, zip] });

impl CardBilling {
    /// The cardholder's name and billing address (all required; see [`address2`](Self::address2)).
    pub fn new(
        name: impl Into<String>,
        address1: impl Into<String>,
        city: impl Into<String>,
        state_abbrev: impl Into<String>,
        zip: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            address1: address1.into(),
            address2: String::new(),
            state_abbrev: state_abbrev.into(),
            city: city.into(),
            zip: zip.into(),
        }
    }
    /// A second address line (sent blank when not set, as MDLIVE's example does).
    #[must_use]
    pub fn address2(mut self, address2: impl Into<String>) -> Self {
        self.address2 = address2.into();
        self
    }
}

/// The card itself: number, CVV and expiry. Its `Debug` shows nothing.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct CardDetails {
    card_number: String,
    cvv: String,
    expiration_month: u8,
    expiration_year: u16,
}

impl std::fmt::Debug for CardDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardDetails([REDACTED])")
    }
}

impl CardDetails {
    /// A card: its number (digits only, no spaces or dashes), CVV, expiry month (1-12) and four-digit year.
    pub fn new(
        card_number: impl Into<String>,
        cvv: impl Into<String>,
        expiration_month: u8,
        expiration_year: u16,
    ) -> Self {
        Self { card_number: card_number.into(), cvv: cvv.into(), expiration_month, expiration_year }
    }
}

/// A card to store as the patient's default: the body of `POST /api/v2/patients/{patient_id}/credit_card`.
///
/// # Examples
///
/// ```
/// use carewire::mdlive::{CardBilling, CardDetails, NewCreditCard};
///
/// let card = NewCreditCard::new(
///     CardBilling::new("John Doe", "2900 NW 130th Ave #106", "Sunrise", "FL", "33323"),
///     CardDetails::new("4242424242424242", "200", 1, 2030),
/// );
/// assert!(card.validate().is_ok());
/// assert!(!format!("{card:?}").contains("4242"));
/// let typo = NewCreditCard::new(
///     CardBilling::new("John Doe", "2900 NW 130th Ave #106", "Sunrise", "FL", "33323"),
///     CardDetails::new("4242 4242 4242 4242", "200", 1, 2030),
/// );
/// assert!(typo.validate().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct NewCreditCard {
    billing_data: CardBilling,
    card_data: CardDetails,
}

carewire_core::redacted_debug!(NewCreditCard { show: [billing_data, card_data] });

impl NewCreditCard {
    /// A card with its billing address.
    pub fn new(billing_data: CardBilling, card_data: CardDetails) -> Self {
        Self { billing_data, card_data }
    }

    /// Checks what can be checked before sending: the billing fields present, a two-letter state, a card
    /// number of 12 to 19 digits that passes the Luhn check, a CVV of 3 or 4 digits, a month from 1 to 12
    /// and a four-digit year. Whether the card has expired is MDLIVE's to say.
    pub fn validate(&self) -> Result<()> {
        let b = &self.billing_data;
        non_empty("credit_card.billing_data.name", &b.name)?;
        non_empty("credit_card.billing_data.address1", &b.address1)?;
        non_empty("credit_card.billing_data.city", &b.city)?;
        non_empty("credit_card.billing_data.zip", &b.zip)?;
        if !two_letters(&b.state_abbrev) {
            return Err(Error::invalid_request("credit_card.billing_data.state_abbrev", "must be two letters"));
        }
        let c = &self.card_data;
        let digits = |v: &str| !v.is_empty() && v.bytes().all(|d| d.is_ascii_digit());
        if !digits(&c.card_number) {
            return Err(Error::invalid_request("credit_card.card_data.card_number", "must be digits only"));
        }
        if !(12..=19).contains(&c.card_number.len()) {
            return Err(Error::invalid_request("credit_card.card_data.card_number", "must be 12 to 19 digits"));
        }
        if !luhn(&c.card_number) {
            return Err(Error::invalid_request("credit_card.card_data.card_number", "fails the Luhn check"));
        }
        if !digits(&c.cvv) || !(3..=4).contains(&c.cvv.len()) {
            return Err(Error::invalid_request("credit_card.card_data.cvv", "must be 3 or 4 digits"));
        }
        if !(1..=12).contains(&c.expiration_month) {
            return Err(Error::invalid_request("credit_card.card_data.expiration_month", "must be from 1 to 12"));
        }
        if !(1000..=9999).contains(&c.expiration_year) {
            return Err(Error::invalid_request("credit_card.card_data.expiration_year", "must be a four-digit year"));
        }
        Ok(())
    }
}

/// The Luhn checksum of a string of ASCII digits.
fn luhn(number: &str) -> bool {
    let sum: u32 = number
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Consultation pricing for one patient; from [`PatientSession::payments`].
#[derive(Clone, Debug)]
pub struct Payments {
    session: PatientSession,
}

/// The default credit card of one patient; from [`PatientSession::credit_card`].
#[derive(Clone, Debug)]
pub struct CreditCards {
    session: PatientSession,
}

impl PatientSession {
    /// What a consultation costs this patient.
    pub fn payments(&self) -> Payments {
        Payments { session: self.clone() }
    }

    /// The patient's default credit card.
    pub fn credit_card(&self) -> CreditCards {
        CreditCards { session: self.clone() }
    }
}

impl Payments {
    /// The cost of a consultation: `GET /api/v2/payments/costs/check?patient_id=..&provider_type_id=..`.
    ///
    /// ```no_run
    /// use carewire::mdlive::CostCheck;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let cost = session.payments().cost(CostCheck::new("3").state_abbrev("FL")).await?;
    /// println!("the patient pays {} (in cents: {:?})", cost.cost, cost.cost.to_minor_units(2));
    /// # Ok(()) }
    /// ```
    pub fn cost(&self, check: CostCheck) -> Call<CheckCost> {
        self.session.send(CheckCost::new(self.session.patient_id(), check))
    }
}

impl CreditCards {
    /// The patient's default card: `GET /api/v1/patients/{patient_id}/credit_card`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let card = session.credit_card().get().await?;
    /// println!("{:?} active: {:?}", card.card_data.card_type, card.card_data.active);
    /// # Ok(()) }
    /// ```
    pub fn get(&self) -> Call<GetCreditCard> {
        self.session.send(GetCreditCard::new(self.session.patient_id()))
    }

    /// Stores `card` as the patient's default, replacing any:
    /// `POST /api/v2/patients/{patient_id}/credit_card`. Not retried once it may have reached MDLIVE.
    ///
    /// ```no_run
    /// use carewire::mdlive::{CardBilling, CardDetails, NewCreditCard};
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let card = NewCreditCard::new(
    ///     CardBilling::new("John Doe", "2900 NW 130th Ave #106", "Sunrise", "FL", "33323"),
    ///     CardDetails::new("4242424242424242", "200", 1, 2030),
    /// );
    /// let stored = session.credit_card().create_or_update(card).await?;
    /// println!("card {:?} stored", stored.subscriber_card_id);
    /// # Ok(()) }
    /// ```
    pub fn create_or_update(&self, card: NewCreditCard) -> Call<SaveCreditCard> {
        self.session.send(SaveCreditCard::new(self.session.patient_id(), card))
    }

    /// Removes the patient's default card: `DELETE /api/v1/patients/{patient_id}/credit_card`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// session.credit_card().delete().await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self) -> Call<DeleteCreditCard> {
        self.session.send(DeleteCreditCard::new(self.session.patient_id()))
    }
}

/// `GET /api/v2/payments/costs/check`: the cost of a consultation for a patient (the answer has no
/// wrapper; one without `cost` is an error). The patient is named in the query, not the path: sent through
/// a session (as [`Payments::cost`] does) it carries the patient's token, else the client's API token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckCost {
    patient_id: String,
    check: CostCheck,
}

impl CheckCost {
    /// Prices `check` for patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, check: CostCheck) -> Self {
        Self { patient_id: patient_id.into(), check }
    }
}

impl Operation for CheckCost {
    type Output = Cost;
    const SPEC: Spec =
        Spec::get("/api/v2/payments/costs/check").name("payments.cost_check").scope(Scope::SubjectOrClient);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.check.validate()?;
        let c = &self.check;
        Ok(Self::SPEC
            .request()
            .query("patient_id", &self.patient_id)
            .query("provider_type_id", &c.provider_type_id)
            .query_opt("promo_code", c.promo_code.as_deref())
            .query_opt("state_abbrev", c.state_abbrev.as_deref())
            .query_opt("authorize_insurance", c.authorize_insurance))
    }

    fn decode(&self, raw: RawResponse) -> Result<Cost> {
        raw.json()
    }
}

#[derive(Deserialize)]
struct CardEnvelope {
    credit_card: CreditCard,
}

/// `GET /api/v1/patients/{patient_id}/credit_card`: the patient's default card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetCreditCard {
    patient_id: String,
}

impl GetCreditCard {
    /// Patient `patient_id`'s default card.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

impl Operation for GetCreditCard {
    type Output = CreditCard;
    const SPEC: Spec =
        Spec::get("/api/v1/patients/{patient_id}/credit_card").name("credit_card.get").scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<CreditCard> {
        raw.json::<CardEnvelope>().map(|e| e.credit_card)
    }
}

/// `POST /api/v2/patients/{patient_id}/credit_card`: stores the patient's default card (create or update).
#[derive(Clone, Debug)]
pub struct SaveCreditCard {
    patient_id: String,
    card: NewCreditCard,
}

impl SaveCreditCard {
    /// Stores `card` for patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, card: NewCreditCard) -> Self {
        Self { patient_id: patient_id.into(), card }
    }
}

#[derive(Serialize)]
struct CardBody<'a> {
    credit_card: &'a NewCreditCard,
}

impl Operation for SaveCreditCard {
    type Output = CreditCard;
    const SPEC: Spec = Spec::post("/api/v2/patients/{patient_id}/credit_card")
        .name("credit_card.create_or_update")
        .scope(Scope::Subject)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.card.validate()?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id).json(&CardBody { credit_card: &self.card }))
    }

    fn decode(&self, raw: RawResponse) -> Result<CreditCard> {
        raw.json::<CardEnvelope>().map(|e| e.credit_card)
    }
}

/// `DELETE /api/v1/patients/{patient_id}/credit_card`: removes the patient's default card. MDLIVE's
/// documented answer is empty; any 2xx is success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteCreditCard {
    patient_id: String,
}

impl DeleteCreditCard {
    /// Removes patient `patient_id`'s default card.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

impl Operation for DeleteCreditCard {
    type Output = ();
    const SPEC: Spec =
        Spec::delete("/api/v1/patients/{patient_id}/credit_card").name("credit_card.delete").scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, _raw: RawResponse) -> Result<()> {
        Ok(())
    }
}
