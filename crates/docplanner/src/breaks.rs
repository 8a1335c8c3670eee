//! Calendar breaks of an address: list, add, get, move, delete.

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serialize};

use crate::Client;
use crate::common::{AddressPath, Extra, fda, format_datetime, ser_dt, unit};
use crate::macros::{extra_setter, operation};

/// A calendar break (time the doctor is unavailable). `Debug` does not show its description (free text).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CalendarBreak {
    /// The break id.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// Start.
    pub since: DateTime<FixedOffset>,
    /// End.
    pub till: DateTime<FixedOffset>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

carewire_core::redacted_debug!(CalendarBreak { show: [id, since, till], redact: [description], keys: [extra] });

/// The breaks of a range. The API answers `{"_items": [...]}`; its documented example shows a single break
/// object instead, which is accepted too (as a list of one). Anything else, `{}` or `_items: null` included,
/// is a decode error: an empty range is `{"_items": []}`. It serializes as `{"_items": [...]}`.
#[derive(Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CalendarBreaks {
    /// The breaks.
    #[serde(rename = "_items")]
    pub items: Vec<CalendarBreak>,
    /// Anything else the API sent beside `_items`.
    #[serde(flatten)]
    pub extra: Extra,
}

carewire_core::redacted_debug!(CalendarBreaks { show: [items], keys: [extra] });

impl<'de> Deserialize<'de> for CalendarBreaks {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut map = Extra::deserialize(d)?;
        if let Some(items) = map.remove("_items") {
            let items = Vec::<CalendarBreak>::deserialize(items).map_err(D::Error::custom)?;
            return Ok(Self { items, extra: map });
        }
        if !map.contains_key("id") {
            return Err(D::Error::missing_field("_items"));
        }
        let one = CalendarBreak::deserialize(serde_json::Value::Object(map)).map_err(D::Error::custom)?;
        Ok(Self { items: vec![one], extra: Extra::new() })
    }
}

impl IntoIterator for CalendarBreaks {
    type Item = CalendarBreak;
    type IntoIter = std::vec::IntoIter<CalendarBreak>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

fn check_range(since: &DateTime<FixedOffset>, till: &DateTime<FixedOffset>) -> Result<()> {
    if till <= since {
        return Err(Error::invalid_request("till", "must be after since"));
    }
    Ok(())
}

/// `POST .../breaks` (`addCalendarBreak`): 201 with the break (API 1.4.7+) or an empty body (older: `None`).
/// Checked before sending: `till` after `since`. The address is set by the handle, or by [`AddBreak::at`].
/// `Debug` does not show the description.
#[derive(Clone, Serialize)]
pub struct AddBreak {
    #[serde(skip)]
    at: AddressPath,
    #[serde(serialize_with = "ser_dt")]
    since: DateTime<FixedOffset>,
    #[serde(serialize_with = "ser_dt")]
    till: DateTime<FixedOffset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    apply_on_coupled_addresses: Option<bool>,
    #[serde(flatten)]
    extra: Extra,
}

impl AddBreak {
    /// A break from `since` to `till`.
    pub fn new(since: DateTime<FixedOffset>, till: DateTime<FixedOffset>) -> Self {
        Self {
            at: AddressPath::default(),
            since,
            till,
            description: None,
            apply_on_coupled_addresses: None,
            extra: Extra::new(),
        }
    }
    /// Why.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Also adds the break to coupled addresses (API 1.14).
    pub fn apply_on_coupled_addresses(mut self, v: bool) -> Self {
        self.apply_on_coupled_addresses = Some(v);
        self
    }
    /// The address whose calendar gets the break.
    pub fn at(mut self, at: AddressPath) -> Self {
        self.at = at;
        self
    }
}
extra_setter!(AddBreak);
carewire_core::redacted_debug!(AddBreak {
    show: [at, since, till, apply_on_coupled_addresses],
    redact: [description],
    keys: [extra],
});

impl Operation for AddBreak {
    type Output = Option<CalendarBreak>;
    const SPEC: Spec = Spec::post(fda!("/breaks")).name("breaks.add").json();
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_range(&self.since, &self.till)?;
        Ok(self.at.request(&Self::SPEC).json(self))
    }
    fn decode(&self, raw: RawResponse) -> Result<Self::Output> {
        raw.json()
    }
}

/// `PATCH .../breaks/{break_id}` (`moveCalendarBreak`, 204). Checked before sending: `till` after `since`. The
/// break is set by the handle, or by [`MoveBreak::at`].
#[derive(Clone, Serialize)]
pub struct MoveBreak {
    #[serde(skip)]
    at: AddressPath,
    #[serde(skip)]
    break_id: String,
    #[serde(serialize_with = "ser_dt")]
    since: DateTime<FixedOffset>,
    #[serde(serialize_with = "ser_dt")]
    till: DateTime<FixedOffset>,
    #[serde(flatten)]
    extra: Extra,
}

impl MoveBreak {
    /// Moves the break to `since`..`till`.
    pub fn new(since: DateTime<FixedOffset>, till: DateTime<FixedOffset>) -> Self {
        Self { at: AddressPath::default(), break_id: String::new(), since, till, extra: Extra::new() }
    }
    /// The break to move: `break_id` of the address `at`.
    pub fn at(mut self, at: AddressPath, break_id: impl Into<String>) -> Self {
        self.at = at;
        self.break_id = break_id.into();
        self
    }
}
extra_setter!(MoveBreak);
carewire_core::redacted_debug!(MoveBreak { show: [at, break_id, since, till], keys: [extra] });

impl Operation for MoveBreak {
    type Output = ();
    const SPEC: Spec = Spec::patch(fda!("/breaks/{break_id}")).name("breaks.move").json();
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_range(&self.since, &self.till)?;
        Ok(self.at.request(&Self::SPEC).path_param("break_id", &self.break_id).json(self))
    }
    fn decode(&self, raw: RawResponse) -> Result<()> {
        unit(&raw)
    }
}

/// `GET .../breaks?since=..&till=..`: the breaks of a range.
#[derive(Clone, Debug)]
pub struct ListBreaks {
    at: AddressPath,
    since: DateTime<FixedOffset>,
    till: DateTime<FixedOffset>,
}

impl ListBreaks {
    /// The breaks of the address `at` between `since` and `till`.
    pub fn new(at: AddressPath, since: DateTime<FixedOffset>, till: DateTime<FixedOffset>) -> Self {
        Self { at, since, till }
    }
}

impl Operation for ListBreaks {
    type Output = CalendarBreaks;
    const SPEC: Spec = Spec::get(fda!("/breaks")).name("breaks.list");
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(self
            .at
            .request(&Self::SPEC)
            .query("since", format_datetime(&self.since))
            .query("till", format_datetime(&self.till)))
    }
    fn decode(&self, raw: RawResponse) -> Result<CalendarBreaks> {
        raw.json()
    }
}

operation! {
    /// `GET .../breaks/{break_id}`.
    GetBreak { at: AddressPath, break_id: String }
    /// Break `break_id` of the address `at`.
    fn new;
    const SPEC = Spec::get(fda!("/breaks/{break_id}")).name("breaks.get");
    type Output = CalendarBreak;
}

operation! {
    /// `DELETE .../breaks/{break_id}` (204).
    DeleteBreak { at: AddressPath, break_id: String }
    /// Deletes break `break_id` of the address `at`.
    fn new;
    const SPEC = Spec::delete(fda!("/breaks/{break_id}")).name("breaks.delete");
    type Output = ();
}

/// `...address(a).breaks()`.
#[derive(Clone, Debug)]
pub struct BreaksHandler {
    client: Client,
    path: AddressPath,
}

impl BreaksHandler {
    pub(crate) fn new(client: Client, path: AddressPath) -> Self {
        Self { client, path }
    }

    /// `GET .../breaks?since=..&till=..` ([`ListBreaks`]).
    pub fn list(&self, since: DateTime<FixedOffset>, till: DateTime<FixedOffset>) -> Call<ListBreaks> {
        self.client.send(ListBreaks::new(self.path.clone(), since, till))
    }

    /// `POST .../breaks` ([`AddBreak`]): the new break, or `None` when an older API version answers empty.
    pub fn add(&self, body: AddBreak) -> Call<AddBreak> {
        self.client.send(body.at(self.path.clone()))
    }

    /// `GET .../breaks/{break_id}` ([`GetBreak`]).
    pub fn get(&self, break_id: impl Into<String>) -> Call<GetBreak> {
        self.client.send(GetBreak::new(self.path.clone(), break_id))
    }

    /// `PATCH .../breaks/{break_id}` ([`MoveBreak`], 204).
    pub fn move_break(&self, break_id: impl Into<String>, body: MoveBreak) -> Call<MoveBreak> {
        self.client.send(body.at(self.path.clone(), break_id))
    }

    /// `DELETE .../breaks/{break_id}` ([`DeleteBreak`], 204).
    pub fn delete(&self, break_id: impl Into<String>) -> Call<DeleteBreak> {
        self.client.send(DeleteBreak::new(self.path.clone(), break_id))
    }
}
