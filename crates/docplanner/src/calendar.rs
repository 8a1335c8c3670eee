//! An address's calendar: status, enable, disable.

use carewire_core::{Method, Result};
use serde::Deserialize;

use crate::common::{AddressPath, Call, Ctx, Extra, NoExtension, fda, open_enum};

open_enum! {
    /// Whether an address's calendar is on.
    CalendarStatus {
        /// `enabled`.
        Enabled => "enabled",
        /// `disabled`.
        Disabled => "disabled",
    }
}

/// An address's calendar.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Calendar {
    /// Its status.
    pub status: CalendarStatus,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `...address(a).calendar()`.
#[derive(Clone, Debug)]
pub struct CalendarHandler {
    ctx: Ctx,
    path: AddressPath,
}

impl CalendarHandler {
    pub(crate) fn new(ctx: Ctx, path: AddressPath) -> Self {
        Self { ctx, path }
    }

    /// `GET .../calendar`.
    pub fn get(&self) -> Call<Calendar, NoExtension> {
        self.ctx.call(self.path.req(Method::Get, fda!("/calendar"), "calendar.get"))
    }

    /// `POST .../calendar/enable` (200, empty). 409 when already enabled, 422 when the address is not
    /// commercial, 400 when the address is disabled.
    pub async fn enable(&self) -> Result<()> {
        self.ctx.send_unit(self.path.req(Method::Post, fda!("/calendar/enable"), "calendar.enable")).await
    }

    /// `POST .../calendar/disable` (200, empty). 409 when already disabled.
    pub async fn disable(&self) -> Result<()> {
        self.ctx.send_unit(self.path.req(Method::Post, fda!("/calendar/disable"), "calendar.disable")).await
    }
}
