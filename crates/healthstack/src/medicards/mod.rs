//! Medicards: digital health cards a business issues, activates, funds and tracks.

mod requests;
mod types;

use std::fmt;

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{RawResponse, Request, Result};

use crate::client::Client;
use crate::envelope::{Many, One, decode_resource};
use crate::util::{MaskedCard, check_not_empty};

pub use requests::{
    ActivateMedicard, AssignMedicard, CreateMedicard, DeactivateMedicard, FundMedicard, ReserveMedicards,
};
pub use types::{
    CardExpiry, CardMetadata, CardState, CardStatus, Funding, Medicard, ParsedExpiry, ReservedMedicard, ReturnedPin,
    Transaction,
};

/// Medicard calls. Get it from [`Client::medicards`]; owned, so it can be moved into a task.
///
/// ```no_run
/// use carewire::healthstack::{Client, FundMedicard};
///
/// # async fn run(client: Client) -> carewire::Result<()> {
/// let cards = client.medicards();
/// let task = tokio::spawn(async move { cards.fund(FundMedicard::new("MED-B35ZF00M", "ref-001", 4000)).await });
/// let funded = task.await.expect("the task ran")?;
/// println!("funded {:?}", funded.amount);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Medicards {
    client: Client,
}

impl Medicards {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `POST /medicard/create`. The API wraps the card in a one-element array; the card is returned.
    pub fn create(&self, card: CreateMedicard) -> Call<CreateMedicard> {
        self.client.send(card)
    }

    /// `PATCH /medicard/activate`.
    pub fn activate(&self, activation: ActivateMedicard) -> Call<ActivateMedicard> {
        self.client.send(activation)
    }

    /// `PATCH /medicard/deactivate`.
    pub fn deactivate(&self, deactivation: DeactivateMedicard) -> Call<DeactivateMedicard> {
        self.client.send(deactivation)
    }

    /// `POST /medicard/reserve`. The doc's response is `data: []` even when cards were created; list them
    /// with [`Medicards::list_reserved`].
    pub fn reserve(&self, reservation: ReserveMedicards) -> Call<ReserveMedicards> {
        self.client.send(reservation)
    }

    /// `POST /medicard/assign`.
    pub fn assign(&self, assignment: AssignMedicard) -> Call<AssignMedicard> {
        self.client.send(assignment)
    }

    /// `GET /medicard/single/{card_number}`.
    pub fn get(&self, card_number: impl Into<String>) -> Call<GetMedicard> {
        self.client.send(GetMedicard::new(card_number))
    }

    /// `GET /medicard/patients`: every card of the business (despite the path's name).
    pub fn list(&self) -> Call<ListMedicards> {
        self.client.send(ListMedicards)
    }

    /// `GET /medicard/reserved/{business_id}`: the business's reserved, unassigned cards.
    pub fn list_reserved(&self, business_id: impl Into<String>) -> Call<ListReservedMedicards> {
        self.client.send(ListReservedMedicards::new(business_id))
    }

    /// `GET /medicard/transactions/{card_number}`.
    pub fn transactions(&self, card_number: impl Into<String>) -> Call<ListCardTransactions> {
        self.client.send(ListCardTransactions::new(card_number))
    }

    /// `GET /medicard/business-transaction/{business_id}`: every card transaction of the business.
    pub fn business_transactions(&self, business_id: impl Into<String>) -> Call<ListBusinessTransactions> {
        self.client.send(ListBusinessTransactions::new(business_id))
    }

    /// `POST /medicard/fund/{card_number}`. Not retried once it may have reached the server (a retry
    /// could fund twice; Healthstack documents no idempotency key).
    pub fn fund(&self, funding: FundMedicard) -> Call<FundMedicard> {
        self.client.send(funding)
    }
}

/// `GET /medicard/single/{card_number}`: one card. `Debug` shows only the card number's last four
/// characters.
#[derive(Clone)]
pub struct GetMedicard {
    card_number: String,
}

impl GetMedicard {
    /// The card `card_number` (`MED-...`).
    pub fn new(card_number: impl Into<String>) -> Self {
        Self { card_number: card_number.into() }
    }
}

impl fmt::Debug for GetMedicard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetMedicard").field("card_number", &MaskedCard(&self.card_number)).finish()
    }
}

impl Operation for GetMedicard {
    type Output = Medicard;
    const SPEC: Spec = Spec::get("/medicard/single/{card_number}").name("medicards.get");

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_not_empty("card_number", &self.card_number)?;
        Ok(Self::SPEC.request().path_param("card_number", &self.card_number))
    }

    fn decode(&self, raw: RawResponse) -> Result<Medicard> {
        decode_resource(&raw).map(|One(card)| card)
    }
}

/// `GET /medicard/patients`: every card of the business.
#[derive(Clone, Copy, Debug, Default)]
pub struct ListMedicards;

impl Operation for ListMedicards {
    type Output = Vec<Medicard>;
    const SPEC: Spec = Spec::get("/medicard/patients").name("medicards.list");

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request())
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<Medicard>> {
        decode_resource(&raw).map(|Many(cards)| cards)
    }
}

/// `GET /medicard/reserved/{business_id}`: the business's reserved, unassigned cards.
#[derive(Clone, Debug)]
pub struct ListReservedMedicards {
    business_id: String,
}

impl ListReservedMedicards {
    /// The reserved cards of `business_id` (`BUS-...`).
    pub fn new(business_id: impl Into<String>) -> Self {
        Self { business_id: business_id.into() }
    }
}

impl Operation for ListReservedMedicards {
    type Output = Vec<ReservedMedicard>;
    const SPEC: Spec = Spec::get("/medicard/reserved/{business_id}").name("medicards.list_reserved");

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_not_empty("business_id", &self.business_id)?;
        Ok(Self::SPEC.request().path_param("business_id", &self.business_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<ReservedMedicard>> {
        decode_resource(&raw).map(|Many(cards)| cards)
    }
}

/// `GET /medicard/transactions/{card_number}`: one card's transactions.
#[derive(Clone)]
pub struct ListCardTransactions {
    card_number: String,
}

impl ListCardTransactions {
    /// The transactions of the card `card_number` (`MED-...`).
    pub fn new(card_number: impl Into<String>) -> Self {
        Self { card_number: card_number.into() }
    }
}

impl fmt::Debug for ListCardTransactions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListCardTransactions").field("card_number", &MaskedCard(&self.card_number)).finish()
    }
}

impl Operation for ListCardTransactions {
    type Output = Vec<Transaction>;
    const SPEC: Spec = Spec::get("/medicard/transactions/{card_number}").name("medicards.transactions");

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_not_empty("card_number", &self.card_number)?;
        Ok(Self::SPEC.request().path_param("card_number", &self.card_number))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<Transaction>> {
        decode_resource(&raw).map(|Many(items)| items)
    }
}

/// `GET /medicard/business-transaction/{business_id}`: every card transaction of the business.
#[derive(Clone, Debug)]
pub struct ListBusinessTransactions {
    business_id: String,
}

impl ListBusinessTransactions {
    /// The card transactions of `business_id` (`BUS-...`).
    pub fn new(business_id: impl Into<String>) -> Self {
        Self { business_id: business_id.into() }
    }
}

impl Operation for ListBusinessTransactions {
    type Output = Vec<Transaction>;
    const SPEC: Spec =
        Spec::get("/medicard/business-transaction/{business_id}").name("medicards.business_transactions");

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_not_empty("business_id", &self.business_id)?;
        Ok(Self::SPEC.request().path_param("business_id", &self.business_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<Vec<Transaction>> {
        decode_resource(&raw).map(|Many(items)| items)
    }
}
