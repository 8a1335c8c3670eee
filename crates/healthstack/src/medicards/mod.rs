//! Medicards: digital health cards a business issues, activates, funds and tracks.

mod requests;
mod types;

use carewire_core::secret::ExposeSecret;
use carewire_core::{Request, Result};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::envelope::{Many, One};
use crate::util::{check_health_id, check_not_empty, is_digits};

pub use requests::{
    ActivateMedicard, AssignMedicard, CreateMedicard, DeactivateMedicard, FundMedicard, ReserveMedicards,
};
pub use types::{
    CardExpiry, CardMetadata, CardState, CardStatus, Funding, Medicard, ParsedExpiry, ReservedMedicard, ReturnedPin,
    Transaction,
};

/// Medicard calls. Get it from [`Client::medicards`].
#[derive(Debug, Clone, Copy)]
pub struct Medicards<'a> {
    client: &'a Client,
}

impl<'a> Medicards<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// `POST /medicard/create`. The API wraps the card in a one-element array; the card is returned.
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

    /// `GET /medicard/patients`: every card of the business (despite the path's name).
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
