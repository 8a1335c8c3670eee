//! Calendar breaks of an address: list, add, get, move, delete.

use carewire_core::{Error, Method, Result};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serialize};

use crate::common::{AddressPath, Call, Ctx, Extra, NoExtension, extra_setter, fda, format_datetime, ser_dt};

/// A calendar break (time the doctor is unavailable).
#[derive(Clone, Debug, Deserialize)]
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

/// The breaks of a range. The API answers `{"_items": [...]}`; its documented example shows a single break
/// object instead, which is accepted too (as a list of one). Anything else, `{}` or `_items: null` included,
/// is a decode error: an empty range is `{"_items": []}`.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct CalendarBreaks {
    /// The breaks.
    pub items: Vec<CalendarBreak>,
    /// Anything else the API sent beside `_items`.
    pub extra: Extra,
}

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

/// The body of `addCalendarBreak`.
#[derive(Clone, Debug, Serialize)]
pub struct AddBreak {
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
        Self { since, till, description: None, apply_on_coupled_addresses: None, extra: Extra::new() }
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
}
extra_setter!(AddBreak);

/// The body of `moveCalendarBreak`.
#[derive(Clone, Debug, Serialize)]
pub struct MoveBreak {
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
        Self { since, till, extra: Extra::new() }
    }
}
extra_setter!(MoveBreak);

/// `...address(a).breaks()`.
#[derive(Clone, Debug)]
pub struct BreaksHandler {
    ctx: Ctx,
    path: AddressPath,
}

impl BreaksHandler {
    pub(crate) fn new(ctx: Ctx, path: AddressPath) -> Self {
        Self { ctx, path }
    }

    fn one(&self, method: Method, operation: &'static str, id: &str) -> carewire_core::Request {
        self.path.req(method, fda!("/breaks/{break_id}"), operation).path_param("break_id", id)
    }

    /// `GET .../breaks?since=..&till=..`.
    pub fn list(&self, since: DateTime<FixedOffset>, till: DateTime<FixedOffset>) -> Call<CalendarBreaks, NoExtension> {
        self.ctx.call(
            self.path
                .req(Method::Get, fda!("/breaks"), "breaks.list")
                .query("since", format_datetime(&since))
                .query("till", format_datetime(&till)),
        )
    }

    /// `POST .../breaks`: 201 with the break (API 1.4.7+) or an empty body (older).
    pub async fn add(&self, body: AddBreak) -> Result<Option<CalendarBreak>> {
        check_range(&body.since, &body.till)?;
        self.ctx.send(self.path.req(Method::Post, fda!("/breaks"), "breaks.add").json(&body)).await
    }

    /// `GET .../breaks/{break_id}`.
    pub fn get(&self, break_id: &str) -> Call<CalendarBreak, NoExtension> {
        self.ctx.call(self.one(Method::Get, "breaks.get", break_id))
    }

    /// `PATCH .../breaks/{break_id}` (204).
    pub async fn move_break(&self, break_id: &str, body: MoveBreak) -> Result<()> {
        check_range(&body.since, &body.till)?;
        self.ctx.send_unit(self.one(Method::Patch, "breaks.move", break_id).json(&body)).await
    }

    /// `DELETE .../breaks/{break_id}` (204).
    pub async fn delete(&self, break_id: &str) -> Result<()> {
        self.ctx.send_unit(self.one(Method::Delete, "breaks.delete", break_id)).await
    }
}
