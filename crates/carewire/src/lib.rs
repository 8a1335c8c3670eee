//! # carewire
//!
//! One typed, async Rust SDK for health-care platforms: Medtimes, Healthstack, Docplanner, MDLIVE and
//! MyMedic. Turn on the vendors you need as cargo features (all are on by default); every
//! vendor shares one error type, one retry policy, one rate-limit model, one pagination stream and one webhook
//! verifier from [`core`].
//!
//! Every typed call is an operation value sent as a [`Call`]: `.await` it, or set per-call options first
//! (`.timeout(..)`, `.idempotency_key(..)`, `.retry(..)`, `.header(..)`, `.send_with_meta()` for the status,
//! request id and rate limit; lists also `.stream()`, `.pages()` and `.collect_max(n)`).
//!
//! | feature | module | vendor |
//! |---|---|---|
//! | `medtimes` | [`medtimes`] | Medtimes: South African telehealth and medical-aid claims |
//! | `docplanner` | [`docplanner`] | Docplanner: doctor booking in 13 countries |
//! | `healthstack` | [`healthstack`] | Healthstack: Nigerian patient identity, consent, records, Medicards |
//! | `mdlive` | [`mdlive`] | MDLIVE: US telehealth, per-patient sessions, scheduling, records, messages, payments |
//! | `mymedic` | [`mymedic`] | MyMedic: health programs, appointment booking, medical records, unverified webhooks |
//! | `redis` (not default) | [`redis`](https://docs.rs/carewire-redis) | state shared by replicas: replay guard, rate budgets, tokens on Redis |
//! | `testkit` | [`testkit`] | in-process sandboxes of every vendor, with fault injection |
//! | `rustls` (default, aws-lc: post-quantum key exchange), `rustls-ring` (ring: a faster clean build), `native-tls` | | the TLS backend; with none, a client for an `https` URL refuses to build |
//! | `rustcrypto` | | SHA-256 and HMAC from the RustCrypto crates, for a build with no TLS feature (your own `reqwest::Client`); the TLS features bring their own |
//!
//! ```
//! use carewire::{Error, RetryPolicy};
//!
//! let policy = RetryPolicy::default().max_retries(3);
//! let err = Error::invalid_request("amount", "must be greater than zero");
//! assert!(!err.is_retryable());
//! assert_eq!(err.to_string(), "invalid request: `amount` must be greater than zero");
//! # let _ = policy;
//! ```
//!
//! With the `testkit` feature, the same code runs against a sandbox, offline:
//!
//! ```
//! # #[cfg(all(feature = "medtimes", feature = "testkit"))]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> carewire::Result<()> {
//! use carewire::medtimes::{Client, CreateConsult};
//! use carewire::testkit::medtimes::Sandbox;
//!
//! let sandbox = Sandbox::start();
//! let client = Client::builder().api_key(Sandbox::API_KEY).base_url(sandbox.base_url()).build()?;
//! let consult = client.consults().create(CreateConsult::new("usr_8921a")).await?;
//! assert!(consult.id.starts_with("cns_"));
//! # Ok(()) }
//! # #[cfg(not(all(feature = "medtimes", feature = "testkit")))]
//! # fn main() {}
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

#[doc(inline)]
pub use carewire_core::auth::ClientAuthStyle;
#[doc(inline)]
pub use carewire_core::operation::{Call, Operation, Scope, Spec};
#[doc(inline)]
pub use carewire_core::{
    ApiError, CallContext, ClientConfig, DecodeError, Error, Method, MethodClass, Page, PageStream, Paginator,
    RateLimit, RateLimiter, Request, Response, ResponseMeta, Result, RetryPolicy, TimeoutError, TimeoutKind,
    TooLargeError, WebhookError,
};

/// The shared machinery (transport, auth, retries, pagination, webhooks), for advanced use.
pub use carewire_core as core;

/// Medtimes: consults, medical-aid claims, screening events, prescriptions, webhooks.
#[cfg(feature = "medtimes")]
#[cfg_attr(docsrs, doc(cfg(feature = "medtimes")))]
pub use carewire_medtimes as medtimes;

/// Docplanner: facilities, doctors, addresses, slots, bookings, calendars, notifications.
#[cfg(feature = "docplanner")]
#[cfg_attr(docsrs, doc(cfg(feature = "docplanner")))]
pub use carewire_docplanner as docplanner;

/// Healthstack: patients, consent, medical records, Medicards.
#[cfg(feature = "healthstack")]
#[cfg_attr(docsrs, doc(cfg(feature = "healthstack")))]
pub use carewire_healthstack as healthstack;

/// MDLIVE: scheduling, patient sessions, health records, messages, payments, webhooks.
#[cfg(feature = "mdlive")]
#[cfg_attr(docsrs, doc(cfg(feature = "mdlive")))]
pub use carewire_mdlive as mdlive;

/// MyMedic: health programs, appointments, webhooks.
#[cfg(feature = "mymedic")]
#[cfg_attr(docsrs, doc(cfg(feature = "mymedic")))]
pub use carewire_mymedic as mymedic;

/// State shared by several replicas on Redis (feature `redis`).
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use carewire_redis as redis;

/// In-process sandboxes of the vendors' APIs, with fault injection (feature `testkit`).
#[cfg(feature = "testkit")]
#[cfg_attr(docsrs, doc(cfg(feature = "testkit")))]
pub use carewire_testkit as testkit;

#[cfg(any(feature = "medtimes", feature = "docplanner", feature = "mymedic", feature = "mdlive"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "medtimes", feature = "docplanner", feature = "mymedic", feature = "mdlive")))
)]
pub mod webhooks;
