//! An address's calendar: status, enable, disable.

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{RawResponse, Request, Result};
use serde::Deserialize;

use crate::Client;
use crate::common::{AddressPath, Extra, fda, open_enum, unit};

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

/// `GET .../calendar`: the calendar's status.
#[derive(Clone, Debug)]
pub struct GetCalendar {
    at: AddressPath,
}

impl GetCalendar {
    /// The calendar of the address `at`.
    pub fn new(at: AddressPath) -> Self {
        Self { at }
    }
}

impl Operation for GetCalendar {
    type Output = Calendar;
    const SPEC: Spec = Spec::get(fda!("/calendar")).name("calendar.get");
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(self.at.request(&Self::SPEC))
    }
    fn decode(&self, raw: RawResponse) -> Result<Calendar> {
        raw.json()
    }
}

/// `POST .../calendar/enable` (200, empty). 409 when already enabled, 422 when the address is not commercial,
/// 400 when the address is disabled.
#[derive(Clone, Debug)]
pub struct EnableCalendar {
    at: AddressPath,
}

impl EnableCalendar {
    /// Turns on the calendar of the address `at`.
    pub fn new(at: AddressPath) -> Self {
        Self { at }
    }
}

impl Operation for EnableCalendar {
    type Output = ();
    const SPEC: Spec = Spec::post(fda!("/calendar/enable")).name("calendar.enable");
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(self.at.request(&Self::SPEC))
    }
    fn decode(&self, raw: RawResponse) -> Result<()> {
        unit(&raw)
    }
}

/// `POST .../calendar/disable` (200, empty). 409 when already disabled.
#[derive(Clone, Debug)]
pub struct DisableCalendar {
    at: AddressPath,
}

impl DisableCalendar {
    /// Turns off the calendar of the address `at`.
    pub fn new(at: AddressPath) -> Self {
        Self { at }
    }
}

impl Operation for DisableCalendar {
    type Output = ();
    const SPEC: Spec = Spec::post(fda!("/calendar/disable")).name("calendar.disable");
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(self.at.request(&Self::SPEC))
    }
    fn decode(&self, raw: RawResponse) -> Result<()> {
        unit(&raw)
    }
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
