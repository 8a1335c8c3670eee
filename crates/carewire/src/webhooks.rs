//! One entry point for every vendor's webhooks.
//!
//! Give [`WebhookReceiver::receive`] the vendor, the request headers and the **raw** body bytes (not a
//! parsed-and-reserialised body: signatures cover the exact bytes). It verifies, parses, and returns one
//! [`WebhookEvent`] over all vendors' typed events. An event type carewire does not know yet never fails
//! parsing: it arrives as the vendor's `Unknown` variant with the raw JSON. A body that is not an event (empty,
//! `{}`, an HTML error page, no event type or name) is [`WebhookError::InvalidPayload`].
//!
//! The receiver fails closed: a vendor is refused ([`WebhookError::NotConfigured`]) until you say how to
//! authenticate it.
//!
//! - Medtimes: [`WebhookReceiver::medtimes`] with a [`carewire::medtimes::Webhooks`](crate::medtimes::Webhooks)
//!   (`Medtimes-Signature`, HMAC-SHA256, secret rotation, and a replay guard that is on by default).
//! - Docplanner (pushes are not signed): [`WebhookReceiver::docplanner_push_auth`] with the API-key header
//!   agreed with Docplanner, or, if you authenticate pushes another way (source-IP allowlist),
//!   [`WebhookReceiver::allow_unauthenticated_docplanner`].
//!
//! - MyMedic (nothing is signed): [`WebhookReceiver::allow_unverified_mymedic`], after which its events arrive
//!   as [`WebhookEvent::MyMedic`] holding an [`Unverified`](crate::core::webhook::Unverified) event: the
//!   missing check stays visible until you call `assume_verified()` on a delivery you authenticated another
//!   way (a secret path segment, an IP allow-list).
//!
//! Healthstack documents no webhooks.
//!
//! ```
//! # #[cfg(all(feature = "medtimes", feature = "docplanner"))]
//! # fn main() -> Result<(), carewire::WebhookError> {
//! use carewire::WebhookError;
//! use carewire::docplanner::webhooks::PushAuth;
//! use carewire::webhooks::{Vendor, WebhookEvent, WebhookReceiver};
//!
//! let receiver = WebhookReceiver::new()
//!     .medtimes(carewire::medtimes::Webhooks::new("whsec_test"))
//!     .docplanner_push_auth(PushAuth::new("x-api-key", "agreed-key"));
//! let body = br#"{"type":"claim.paid","data":{"claim_id":"clm_1","amount":45000}}"#;
//! let signature = carewire::core::webhook::sign_for_tests("whsec_test", body);
//! let headers = [("medtimes-signature", signature.as_str())];
//! match receiver.receive(Vendor::Medtimes, headers, body)? {
//!     WebhookEvent::Medtimes(event) => assert_eq!(event.event_type, "claim.paid"),
//!     other => panic!("unexpected {other:?}"),
//! }
//! // The same delivery again is a replay, and a tampered body is rejected.
//! assert_eq!(receiver.receive(Vendor::Medtimes, headers, body).unwrap_err(), WebhookError::Replayed);
//! assert!(receiver.receive(Vendor::Medtimes, headers, b"{}").is_err());
//!
//! // A Docplanner push must carry the agreed key.
//! let push = br#"{"name":"slot-booked","data":{}}"#;
//! assert!(receiver.receive(Vendor::Docplanner, [("X-Api-Key", "agreed-key")], push).is_ok());
//! assert!(receiver.receive(Vendor::Docplanner, [], push).is_err());
//!
//! // With nothing configured, both vendors are refused.
//! let err = WebhookReceiver::new().receive(Vendor::Docplanner, [], push).unwrap_err();
//! assert!(matches!(err, WebhookError::NotConfigured { vendor: "docplanner", .. }));
//! # Ok(()) }
//! # #[cfg(not(all(feature = "medtimes", feature = "docplanner")))]
//! # fn main() {}
//! ```

use std::fmt;
use std::str::FromStr;

use carewire_core::WebhookError;
#[doc(inline)]
pub use carewire_core::webhook::RawBody;

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
    /// MyMedic (unsigned: events arrive [`Unverified`](crate::core::webhook::Unverified)).
    #[cfg(feature = "mymedic")]
    MyMedic,
    /// MDLIVE (unsigned: events arrive [`Unverified`](crate::core::webhook::Unverified)).
    #[cfg(feature = "mdlive")]
    Mdlive,
}

impl Vendor {
    /// The vendor's lowercase name, as used in URLs such as `/webhooks/medtimes`.
    pub fn as_str(self) -> &'static str {
        match self {
            #[cfg(feature = "medtimes")]
            Self::Medtimes => "medtimes",
            #[cfg(feature = "docplanner")]
            Self::Docplanner => "docplanner",
            #[cfg(feature = "mymedic")]
            Self::MyMedic => "mymedic",
            #[cfg(feature = "mdlive")]
            Self::Mdlive => "mdlive",
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

    /// Parses a vendor name, case-insensitively (`"medtimes"`, `"Docplanner"`, `"mymedic"`).
    fn from_str(s: &str) -> Result<Self, UnknownVendor> {
        #[cfg(feature = "medtimes")]
        if s.eq_ignore_ascii_case("medtimes") {
            return Ok(Self::Medtimes);
        }
        #[cfg(feature = "docplanner")]
        if s.eq_ignore_ascii_case("docplanner") {
            return Ok(Self::Docplanner);
        }
        #[cfg(feature = "mymedic")]
        if s.eq_ignore_ascii_case("mymedic") {
            return Ok(Self::MyMedic);
        }
        #[cfg(feature = "mdlive")]
        if s.eq_ignore_ascii_case("mdlive") {
            return Ok(Self::Mdlive);
        }
        let _ = s;
        Err(UnknownVendor)
    }
}

/// A parsed webhook from any vendor: verified, except MyMedic's and MDLIVE's, which stay
/// [`Unverified`](crate::core::webhook::Unverified) since neither signs anything.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// A Medtimes event (`consult.completed`, `claim.paid`, ...).
    #[cfg(feature = "medtimes")]
    Medtimes(carewire_medtimes::WebhookEvent),
    /// A Docplanner push notification (`slot-booked`, `booking-canceled`, ...).
    #[cfg(feature = "docplanner")]
    Docplanner(Box<carewire_docplanner::webhooks::Notification>),
    /// A MyMedic event (`appointment.created`, `record.updated`, ...), **not verified**: MyMedic documents no
    /// signature. Read it with `peek()`; take it with `assume_verified()` once you have authenticated the
    /// delivery another way.
    #[cfg(feature = "mymedic")]
    MyMedic(Box<carewire_core::webhook::Unverified<carewire_mymedic::webhooks::WebhookEvent>>),
    /// An MDLIVE event (`consultation:provider:accepted`, `message:provider:created`, ...), **not verified**:
    /// MDLIVE documents no signature. Read it with `peek()`; take it with `assume_verified()` once you have
    /// authenticated the delivery another way.
    #[cfg(feature = "mdlive")]
    Mdlive(Box<carewire_core::webhook::Unverified<carewire_mdlive::webhooks::Event>>),
}

impl WebhookEvent {
    /// The vendor that sent it.
    pub fn vendor(&self) -> Vendor {
        match self {
            #[cfg(feature = "medtimes")]
            Self::Medtimes(_) => Vendor::Medtimes,
            #[cfg(feature = "docplanner")]
            Self::Docplanner(_) => Vendor::Docplanner,
            #[cfg(feature = "mymedic")]
            Self::MyMedic(_) => Vendor::MyMedic,
            #[cfg(feature = "mdlive")]
            Self::Mdlive(_) => Vendor::Mdlive,
        }
    }

    /// The event's name as the vendor wrote it (`"claim.paid"`, `"slot-booked"`, `"appointment.created"`).
    pub fn name(&self) -> &str {
        match self {
            #[cfg(feature = "medtimes")]
            Self::Medtimes(e) => &e.event_type,
            #[cfg(feature = "docplanner")]
            Self::Docplanner(n) => n.name.as_str(),
            #[cfg(feature = "mymedic")]
            Self::MyMedic(e) => e.peek().event_type.as_str(),
            #[cfg(feature = "mdlive")]
            Self::Mdlive(e) => e.peek().name(),
        }
    }
}

/// What the receiver requires of a Docplanner push.
#[cfg(feature = "docplanner")]
#[derive(Default)]
enum DocplannerAuth {
    /// Nothing configured: refuse.
    #[default]
    Unset,
    /// The agreed API-key header.
    Key(carewire_docplanner::webhooks::PushAuth),
    /// Explicitly accepted without a check.
    Unauthenticated,
}

/// Why a Medtimes delivery is refused when [`WebhookReceiver::medtimes`] was not called.
#[cfg(feature = "medtimes")]
const MEDTIMES_MISSING: &str = "a Medtimes webhook secret (`WebhookReceiver::medtimes(Webhooks::new(secret))`)";

/// Why a Docplanner push is refused when neither Docplanner method was called.
#[cfg(feature = "docplanner")]
const DOCPLANNER_MISSING: &str = "Docplanner push authentication (`WebhookReceiver::docplanner_push_auth(PushAuth)`, \
     or `allow_unauthenticated_docplanner()` when pushes are authenticated another way)";

/// Why a MyMedic delivery is refused when [`WebhookReceiver::allow_unverified_mymedic`] was not called.
#[cfg(feature = "mymedic")]
const MYMEDIC_MISSING: &str = "acceptance of unsigned MyMedic webhooks (`WebhookReceiver::allow_unverified_mymedic()`, \
     after authenticating deliveries another way)";

/// Why an MDLIVE delivery is refused when [`WebhookReceiver::allow_unverified_mdlive`] was not called.
#[cfg(feature = "mdlive")]
const MDLIVE_MISSING: &str = "acceptance of unsigned MDLIVE webhooks (`WebhookReceiver::allow_unverified_mdlive()`, \
     after authenticating deliveries another way)";

/// Verifies and parses webhooks of every configured vendor; refuses the others.
///
/// `Debug` shows how each vendor is authenticated, never a secret.
///
/// # Examples
///
/// ```
/// # #[cfg(all(feature = "medtimes", feature = "docplanner"))]
/// # {
/// use carewire::docplanner::webhooks::PushAuth;
/// use carewire::webhooks::WebhookReceiver;
///
/// let receiver = WebhookReceiver::new().docplanner_push_auth(PushAuth::new("x-api-key", "agreed-key"));
/// let debug = format!("{receiver:?}");
/// assert!(debug.contains("x-api-key") && !debug.contains("agreed-key"), "{debug}");
/// # }
/// ```
#[derive(Default)]
pub struct WebhookReceiver {
    #[cfg(feature = "medtimes")]
    medtimes: Option<carewire_medtimes::Webhooks>,
    #[cfg(feature = "docplanner")]
    docplanner: DocplannerAuth,
    #[cfg(feature = "mymedic")]
    mymedic: bool,
    #[cfg(feature = "mdlive")]
    mdlive: bool,
}

impl fmt::Debug for WebhookReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("WebhookReceiver");
        #[cfg(feature = "medtimes")]
        match &self.medtimes {
            Some(webhooks) => d.field("medtimes", webhooks),
            None => d.field("medtimes", &format_args!("refused (not configured)")),
        };
        #[cfg(feature = "docplanner")]
        match &self.docplanner {
            DocplannerAuth::Unset => d.field("docplanner", &format_args!("refused (no push authentication)")),
            DocplannerAuth::Key(auth) => d.field("docplanner", &format_args!("api-key header {:?}", auth.header())),
            DocplannerAuth::Unauthenticated => {
                d.field("docplanner", &format_args!("UNAUTHENTICATED (allowed explicitly)"))
            }
        };
        #[cfg(feature = "mymedic")]
        if self.mymedic {
            d.field("mymedic", &format_args!("UNVERIFIED (allowed explicitly; events arrive as Unverified)"));
        } else {
            d.field("mymedic", &format_args!("refused (unsigned; not allowed)"));
        }
        #[cfg(feature = "mdlive")]
        if self.mdlive {
            d.field("mdlive", &format_args!("UNVERIFIED (allowed explicitly; events arrive as Unverified)"));
        } else {
            d.field("mdlive", &format_args!("refused (unsigned; not allowed)"));
        }
        d.finish()
    }
}

impl WebhookReceiver {
    /// A receiver with no vendor configured: it refuses every vendor's webhooks with
    /// [`WebhookError::NotConfigured`] until you configure how to authenticate them
    /// ([`WebhookReceiver::medtimes`], [`WebhookReceiver::docplanner_push_auth`] or
    /// [`WebhookReceiver::allow_unauthenticated_docplanner`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(feature = "medtimes")]
    /// # {
    /// use carewire::WebhookError;
    /// use carewire::webhooks::{Vendor, WebhookReceiver};
    ///
    /// let err = WebhookReceiver::new().receive(Vendor::Medtimes, [], b"{}").unwrap_err();
    /// assert!(matches!(err, WebhookError::NotConfigured { vendor: "medtimes", .. }));
    /// # }
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Accepts Medtimes webhooks verified by `webhooks` (its secrets and its replay guard, which is on unless
    /// you called [`Webhooks::without_replay_guard`](crate::medtimes::Webhooks::without_replay_guard)).
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire::webhooks::WebhookReceiver;
    ///
    /// let receiver = WebhookReceiver::new().medtimes(carewire::medtimes::Webhooks::new("whsec_test"));
    /// assert!(format!("{receiver:?}").contains("replay_guard: default"));
    /// ```
    #[cfg(feature = "medtimes")]
    #[cfg_attr(docsrs, doc(cfg(feature = "medtimes")))]
    #[must_use]
    pub fn medtimes(mut self, webhooks: carewire_medtimes::Webhooks) -> Self {
        self.medtimes = Some(webhooks);
        self
    }

    /// Accepts Docplanner pushes that carry the API-key header agreed with Docplanner (checked in constant
    /// time). Replaces [`WebhookReceiver::allow_unauthenticated_docplanner`] if it was called.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire::docplanner::webhooks::PushAuth;
    /// use carewire::webhooks::{Vendor, WebhookReceiver};
    ///
    /// let receiver = WebhookReceiver::new().docplanner_push_auth(PushAuth::new("x-api-key", "agreed-key"));
    /// let push = br#"{"name":"booking-canceled","data":{}}"#;
    /// assert!(receiver.receive(Vendor::Docplanner, [("x-api-key", "agreed-key")], push).is_ok());
    /// assert!(receiver.receive(Vendor::Docplanner, [("x-api-key", "guess")], push).is_err());
    /// ```
    #[cfg(feature = "docplanner")]
    #[cfg_attr(docsrs, doc(cfg(feature = "docplanner")))]
    #[must_use]
    pub fn docplanner_push_auth(mut self, auth: carewire_docplanner::webhooks::PushAuth) -> Self {
        self.docplanner = DocplannerAuth::Key(auth);
        self
    }

    /// Accepts Docplanner pushes **without any check**. Replaces
    /// [`WebhookReceiver::docplanner_push_auth`] if it was called.
    ///
    /// Dangerous: Docplanner pushes are not signed, so without an agreed API-key header anyone who can reach
    /// your endpoint can forge a `slot-booked` or `booking-canceled` (changing your calendar) or answer for
    /// a patient's `slot-booking`. Use it only when something in front of this code authenticates the
    /// request, typically an allowlist of Docplanner's source IPs
    /// ([`Locale::public_ips_url`](crate::docplanner::Locale::public_ips_url)) enforced by your proxy or
    /// firewall, or in tests.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire::webhooks::{Vendor, WebhookReceiver};
    ///
    /// let receiver = WebhookReceiver::new().allow_unauthenticated_docplanner();
    /// assert!(receiver.receive(Vendor::Docplanner, [], br#"{"name":"slot-booked","data":{}}"#).is_ok());
    /// ```
    #[cfg(feature = "docplanner")]
    #[cfg_attr(docsrs, doc(cfg(feature = "docplanner")))]
    #[must_use]
    pub fn allow_unauthenticated_docplanner(mut self) -> Self {
        self.docplanner = DocplannerAuth::Unauthenticated;
        self
    }

    /// Accepts MyMedic webhooks, which carry no signature, so nothing proves they come from MyMedic. They are
    /// parsed into [`WebhookEvent::MyMedic`] holding an [`Unverified`](crate::core::webhook::Unverified)
    /// event: read it with `peek()`, and take it with `assume_verified()` only once the delivery was
    /// authenticated another way (a secret path segment in the URL you gave MyMedic, an IP allow-list,
    /// mutual TLS) or the event was confirmed through the API.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire::webhooks::{Vendor, WebhookEvent, WebhookReceiver};
    ///
    /// let receiver = WebhookReceiver::new().allow_unverified_mymedic();
    /// let body = br#"{"event":"appointment.cancelled","data":{"appointmentId":"apt_7"}}"#;
    /// match receiver.receive(Vendor::MyMedic, [], body)? {
    ///     WebhookEvent::MyMedic(delivery) => assert_eq!(delivery.peek().event_type.as_str(), "appointment.cancelled"),
    ///     other => panic!("unexpected {other:?}"),
    /// }
    /// # Ok::<(), carewire::WebhookError>(())
    /// ```
    #[cfg(feature = "mymedic")]
    #[cfg_attr(docsrs, doc(cfg(feature = "mymedic")))]
    #[must_use]
    pub fn allow_unverified_mymedic(mut self) -> Self {
        self.mymedic = true;
        self
    }

    /// Accepts MDLIVE webhooks, which carry no signature (only a random `token` per event), so nothing
    /// proves they come from MDLIVE. They are parsed into [`WebhookEvent::Mdlive`] holding an
    /// [`Unverified`](crate::core::webhook::Unverified) event: read it with `peek()`, and take it with
    /// `assume_verified()` only once the delivery was authenticated another way (a secret path segment in the
    /// URL you registered, an IP allow-list) or confirmed by fetching what it names from the API.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire::webhooks::{Vendor, WebhookEvent, WebhookReceiver};
    ///
    /// let receiver = WebhookReceiver::new().allow_unverified_mdlive();
    /// let body = br#"{"event":{"token":"5f0c","action":"prescription:pharmacy:accepted","data":{"prescription":{"id":1,"patient_id":52}}}}"#;
    /// match receiver.receive(Vendor::Mdlive, [], body)? {
    ///     WebhookEvent::Mdlive(delivery) => assert_eq!(delivery.peek().name(), "prescription:pharmacy:accepted"),
    ///     other => panic!("unexpected {other:?}"),
    /// }
    /// # Ok::<(), carewire::WebhookError>(())
    /// ```
    #[cfg(feature = "mdlive")]
    #[cfg_attr(docsrs, doc(cfg(feature = "mdlive")))]
    #[must_use]
    pub fn allow_unverified_mdlive(mut self) -> Self {
        self.mdlive = true;
        self
    }

    /// Like [`WebhookReceiver::receive`], for replay guards that must be awaited: a Medtimes receiver whose
    /// guard is shared by several replicas (`carewire-redis`) checks it here, so a delivery accepted by one
    /// replica is refused by all. When the shared guard cannot answer, the delivery is refused with
    /// [`WebhookError::ReplayCheckUnavailable`]: answer 503 and the vendor delivers it again later. Other
    /// vendors are received as by `receive`.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(feature = "mymedic")]
    /// # async fn run() -> Result<(), carewire::WebhookError> {
    /// use carewire::webhooks::{Vendor, WebhookReceiver};
    ///
    /// let receiver = WebhookReceiver::new().allow_unverified_mymedic();
    /// let body = br#"{"event":"appointment.created","data":{"appointmentId":"apt_1"}}"#;
    /// let event = receiver.receive_async(Vendor::MyMedic, [], body).await?;
    /// assert_eq!(event.name(), "appointment.created");
    /// # Ok(()) }
    /// ```
    pub async fn receive_async<'a>(
        &self,
        vendor: Vendor,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: impl AsRef<[u8]> + Into<RawBody>,
    ) -> Result<WebhookEvent, WebhookError> {
        #[cfg(feature = "medtimes")]
        if vendor == Vendor::Medtimes {
            let webhooks = self
                .medtimes
                .as_ref()
                .ok_or(WebhookError::NotConfigured { vendor: "medtimes", missing: MEDTIMES_MISSING })?;
            return webhooks.receive_async(headers, body).await.map(WebhookEvent::Medtimes);
        }
        self.receive(vendor, headers, body)
    }

    /// Verifies and parses one webhook.
    ///
    /// `headers` are the request's headers as `(name, value)` pairs, any case; `body` the raw bytes. Hand the
    /// body over owned (`Bytes`, as axum and hyper give it, or `Vec<u8>`) and the event keeps it as its
    /// [`RawBody`] without a copy; a borrowed body (`&[u8]`) is copied once it has verified and parsed. A
    /// vendor not configured is refused with [`WebhookError::NotConfigured`] before its body is looked at.
    ///
    /// # Examples
    ///
    /// See the [module documentation](self).
    pub fn receive<'a>(
        &self,
        vendor: Vendor,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: impl AsRef<[u8]> + Into<RawBody>,
    ) -> Result<WebhookEvent, WebhookError> {
        match vendor {
            #[cfg(feature = "medtimes")]
            Vendor::Medtimes => {
                let webhooks = self
                    .medtimes
                    .as_ref()
                    .ok_or(WebhookError::NotConfigured { vendor: "medtimes", missing: MEDTIMES_MISSING })?;
                webhooks.receive(headers, body).map(WebhookEvent::Medtimes)
            }
            #[cfg(feature = "docplanner")]
            Vendor::Docplanner => {
                match &self.docplanner {
                    DocplannerAuth::Unset => {
                        return Err(WebhookError::NotConfigured { vendor: "docplanner", missing: DOCPLANNER_MISSING });
                    }
                    DocplannerAuth::Key(auth) => auth.verify(headers)?,
                    DocplannerAuth::Unauthenticated => {}
                }
                carewire_docplanner::webhooks::parse_push(body.as_ref()).map(|n| WebhookEvent::Docplanner(Box::new(n)))
            }
            #[cfg(feature = "mymedic")]
            Vendor::MyMedic => {
                drop(headers); // nothing to check: MyMedic signs nothing
                if !self.mymedic {
                    return Err(WebhookError::NotConfigured { vendor: "mymedic", missing: MYMEDIC_MISSING });
                }
                carewire_mymedic::webhooks::parse(body).map(|e| WebhookEvent::MyMedic(Box::new(e)))
            }
            #[cfg(feature = "mdlive")]
            Vendor::Mdlive => {
                drop(headers); // nothing to check: MDLIVE signs nothing
                if !self.mdlive {
                    return Err(WebhookError::NotConfigured { vendor: "mdlive", missing: MDLIVE_MISSING });
                }
                carewire_mdlive::webhooks::parse(body).map(|e| WebhookEvent::Mdlive(Box::new(e)))
            }
        }
    }
}

#[cfg(test)]
mod tests;
