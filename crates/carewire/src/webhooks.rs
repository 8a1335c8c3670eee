//! One entry point for every vendor's webhooks.
//!
//! Give [`WebhookReceiver::receive`] the vendor, the request headers and the **raw** body bytes (not a
//! parsed-and-reserialised body: signatures cover the exact bytes). It verifies where the vendor signs
//! (Medtimes: `Medtimes-Signature`, HMAC-SHA256, with secret rotation and an optional replay guard;
//! Docplanner: no signature, an optional agreed API-key header), parses, and returns one [`WebhookEvent`]
//! over all vendors' typed events. An event type carewire does not know yet never fails parsing: it arrives
//! as the vendor's `Unknown` variant with the raw JSON.
//!
//! Healthstack documents no webhooks.
//!
//! ```
//! # #[cfg(feature = "medtimes")]
//! # fn main() -> Result<(), carewire::WebhookError> {
//! use carewire::webhooks::{Vendor, WebhookEvent, WebhookReceiver};
//!
//! let receiver = WebhookReceiver::new().medtimes(carewire::medtimes::Webhooks::new("whsec_test"));
//! let body = br#"{"type":"claim.paid","data":{"claim_id":"clm_1","amount":45000}}"#;
//! let signature = carewire::core::webhook::sign_for_tests("whsec_test", body);
//! let headers = [("medtimes-signature", signature.as_str())];
//! match receiver.receive(Vendor::Medtimes, headers, body)? {
//!     WebhookEvent::Medtimes(event) => assert_eq!(event.event_type, "claim.paid"),
//!     other => panic!("unexpected {other:?}"),
//! }
//! // A tampered body is rejected.
//! assert!(receiver.receive(Vendor::Medtimes, headers, b"{}").is_err());
//! # Ok(()) }
//! # #[cfg(not(feature = "medtimes"))]
//! # fn main() {}
//! ```

use std::fmt;
use std::str::FromStr;

use carewire_core::WebhookError;

/// A vendor that sends webhooks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Vendor {
    /// Medtimes (signed with HMAC-SHA256).
    #[cfg(feature = "medtimes")]
    Medtimes,
    /// Docplanner push notifications (unsigned; optional API-key header).
    #[cfg(feature = "docplanner")]
    Docplanner,
}

impl Vendor {
    /// The vendor's lowercase name, as used in URLs such as `/webhooks/medtimes`.
    pub fn as_str(self) -> &'static str {
        match self {
            #[cfg(feature = "medtimes")]
            Self::Medtimes => "medtimes",
            #[cfg(feature = "docplanner")]
            Self::Docplanner => "docplanner",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name is not a vendor that sends webhooks (or its feature is off).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownVendor;

impl fmt::Display for UnknownVendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a vendor that sends webhooks (or its cargo feature is off)")
    }
}

impl std::error::Error for UnknownVendor {}

impl FromStr for Vendor {
    type Err = UnknownVendor;

    /// Parses a vendor name, case-insensitively (`"medtimes"`, `"Docplanner"`).
    fn from_str(s: &str) -> Result<Self, UnknownVendor> {
        #[cfg(feature = "medtimes")]
        if s.eq_ignore_ascii_case("medtimes") {
            return Ok(Self::Medtimes);
        }
        #[cfg(feature = "docplanner")]
        if s.eq_ignore_ascii_case("docplanner") {
            return Ok(Self::Docplanner);
        }
        let _ = s;
        Err(UnknownVendor)
    }
}

/// A verified, parsed webhook from any vendor.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// A Medtimes event (`consult.completed`, `claim.paid`, ...).
    #[cfg(feature = "medtimes")]
    Medtimes(carewire_medtimes::WebhookEvent),
    /// A Docplanner push notification (`slot-booked`, `booking-canceled`, ...).
    #[cfg(feature = "docplanner")]
    Docplanner(Box<carewire_docplanner::webhooks::Notification>),
}

impl WebhookEvent {
    /// The vendor that sent it.
    pub fn vendor(&self) -> Vendor {
        match self {
            #[cfg(feature = "medtimes")]
            Self::Medtimes(_) => Vendor::Medtimes,
            #[cfg(feature = "docplanner")]
            Self::Docplanner(_) => Vendor::Docplanner,
        }
    }

    /// The event's name as the vendor wrote it (`"claim.paid"`, `"slot-booked"`).
    pub fn name(&self) -> &str {
        match self {
            #[cfg(feature = "medtimes")]
            Self::Medtimes(e) => &e.event_type,
            #[cfg(feature = "docplanner")]
            Self::Docplanner(n) => n.name.as_str(),
        }
    }
}

/// Verifies and parses webhooks of every configured vendor.
#[derive(Default)]
pub struct WebhookReceiver {
    #[cfg(feature = "medtimes")]
    medtimes: Option<carewire_medtimes::Webhooks>,
    #[cfg(feature = "docplanner")]
    docplanner: Option<carewire_docplanner::webhooks::PushAuth>,
}

impl fmt::Debug for WebhookReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("WebhookReceiver");
        #[cfg(feature = "medtimes")]
        d.field("medtimes", &self.medtimes.is_some());
        #[cfg(feature = "docplanner")]
        d.field("docplanner_push_auth", &self.docplanner.is_some());
        d.finish()
    }
}

impl WebhookReceiver {
    /// A receiver with no vendor configured: Medtimes webhooks are refused until you give its secrets;
    /// Docplanner pushes are accepted unauthenticated (Docplanner authenticates by source IP) until you give
    /// an agreed API-key header.
    pub fn new() -> Self {
        Self::default()
    }

    /// Verifies Medtimes webhooks with these secrets (and replay guard, if it has one).
    #[cfg(feature = "medtimes")]
    #[cfg_attr(docsrs, doc(cfg(feature = "medtimes")))]
    pub fn medtimes(mut self, webhooks: carewire_medtimes::Webhooks) -> Self {
        self.medtimes = Some(webhooks);
        self
    }

    /// Requires the API-key header agreed with Docplanner on every push.
    #[cfg(feature = "docplanner")]
    #[cfg_attr(docsrs, doc(cfg(feature = "docplanner")))]
    pub fn docplanner_push_auth(mut self, auth: carewire_docplanner::webhooks::PushAuth) -> Self {
        self.docplanner = Some(auth);
        self
    }

    /// Verifies (where the vendor signs) and parses one webhook.
    ///
    /// `headers` are the request's headers as `(name, value)` pairs, any case; `body` the raw bytes.
    pub fn receive<'a>(
        &self,
        vendor: Vendor,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        match vendor {
            #[cfg(feature = "medtimes")]
            Vendor::Medtimes => {
                let webhooks = self.medtimes.as_ref().ok_or(WebhookError::NoSecrets)?;
                webhooks.receive(headers, body).map(WebhookEvent::Medtimes)
            }
            #[cfg(feature = "docplanner")]
            Vendor::Docplanner => {
                if let Some(auth) = &self.docplanner {
                    auth.verify(headers)?;
                }
                carewire_docplanner::webhooks::parse_push(body).map(|n| WebhookEvent::Docplanner(Box::new(n)))
            }
        }
    }
}
