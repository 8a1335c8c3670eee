//! [`Unverified`]: an event from a vendor that signs nothing, so that the missing check is visible in the
//! types rather than forgotten.

use std::fmt;

/// An event parsed from a delivery that carries no signature (MDLIVE and MyMedic document none).
///
/// Nothing proves such an event came from the vendor: anyone who knows the receiver's URL can post one. The
/// wrapper makes that visible where the event is used: read it with [`peek`](Self::peek) to route or log it,
/// and take it with [`assume_verified`](Self::assume_verified) only once the delivery was authenticated
/// another way (a secret path segment, an IP allow-list, mutual TLS) or the event was confirmed by fetching
/// the resource it names from the API.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::Unverified;
///
/// let delivery = Unverified::new(serde_json::json!({"action": "appointment.started"}));
/// assert_eq!(delivery.peek()["action"], "appointment.started");
/// // ... after checking the delivery came through the receiver's secret URL:
/// let event = delivery.assume_verified();
/// # let _ = event;
/// ```
#[derive(Clone, PartialEq)]
#[must_use = "an unverified event must be checked, then taken with `assume_verified`"]
pub struct Unverified<T> {
    event: T,
}

impl<T> Unverified<T> {
    /// Wraps an event that was not verified.
    pub fn new(event: T) -> Self {
        Self { event }
    }

    /// The event, to route or log it before deciding to trust it.
    pub fn peek(&self) -> &T {
        &self.event
    }

    /// The event, once the caller has authenticated the delivery by other means.
    pub fn assume_verified(self) -> T {
        self.event
    }

    /// Transforms the event, keeping it unverified.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Unverified<U> {
        Unverified { event: f(self.event) }
    }
}

impl<T: fmt::Debug> fmt::Debug for Unverified<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Unverified").field(&self.event).finish()
    }
}
