//! An address's calendar: status, enable, disable.

use carewire_core::operation::{Call, Spec};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::common::{AddressPath, Extra, fda};
use crate::macros::operation;

carewire_core::open_enum! {
    /// Whether an address's calendar is on.
    CalendarStatus {
        /// `enabled`.
        Enabled => "enabled",
        /// `disabled`.
        Disabled => "disabled",
    }
}

/// A calendar is disabled until enabled: the status of a `Calendar::default()`.
impl Default for CalendarStatus {
    fn default() -> Self {
        Self::Disabled
    }
}

/// An address's calendar.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Calendar {
    /// Its status.
    pub status: CalendarStatus,
    /// Anything else the API sent.
    #[serde(flatten)]
    pub extra: Extra,
}

carewire_core::redacted_debug!(Calendar { show: [status], keys: [extra] });

operation! {
    /// `GET .../calendar`: the calendar's status.
    GetCalendar { at: AddressPath }
    /// The calendar of the address `at`.
    fn new;
    const SPEC = Spec::get(fda!("/calendar")).name("calendar.get");
    type Output = Calendar;
}

operation! {
    /// `POST .../calendar/enable` (200, empty). 409 when already enabled, 422 when the address is not
    /// commercial, 400 when the address is disabled.
    EnableCalendar { at: AddressPath }
    /// Turns on the calendar of the address `at`.
    fn new;
    const SPEC = Spec::post(fda!("/calendar/enable")).name("calendar.enable");
    type Output = ();
}

operation! {
    /// `POST .../calendar/disable` (200, empty). 409 when already disabled.
    DisableCalendar { at: AddressPath }
    /// Turns off the calendar of the address `at`.
    fn new;
    const SPEC = Spec::post(fda!("/calendar/disable")).name("calendar.disable");
    type Output = ();
}

/// `...address(a).calendar()`.
#[derive(Clone, Debug)]
pub struct CalendarHandler {
    client: Client,
    path: AddressPath,
}

impl CalendarHandler {
    pub(crate) fn new(client: Client, path: AddressPath) -> Self {
        Self { client, path }
    }

    /// `GET .../calendar` ([`GetCalendar`]).
    pub fn get(&self) -> Call<GetCalendar> {
        self.client.send(GetCalendar::new(self.path.clone()))
    }

    /// `POST .../calendar/enable` ([`EnableCalendar`]).
    pub fn enable(&self) -> Call<EnableCalendar> {
        self.client.send(EnableCalendar::new(self.path.clone()))
    }

    /// `POST .../calendar/disable` ([`DisableCalendar`]).
    pub fn disable(&self) -> Call<DisableCalendar> {
        self.client.send(DisableCalendar::new(self.path.clone()))
    }
}
