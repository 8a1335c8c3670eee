//! # carewire
//!
//! One typed, async Rust SDK for health-care platforms: Medtimes, Healthstack, MDLIVE, Docplanner and
//! MyMedic. Turn on the vendors you need as cargo features; every vendor shares one error type, one retry
//! policy, one rate-limit model, one pagination stream and one webhook verifier from [`carewire_core`].
//!
//! ```
//! use carewire::{Error, RetryPolicy};
//!
//! let policy = RetryPolicy::default().max_retries(3);
//! let err = Error::invalid_request("amount", "must be greater than zero");
//! assert!(!err.is_retryable());
//! # let _ = policy;
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use carewire_core::{
    ApiError, ClientConfig, DecodeError, Error, MethodClass, Page, PageStream, Paginator, RateLimit, RateLimiter,
    Response, ResponseMeta, Result, RetryPolicy, TimeoutKind, WebhookError,
};

/// The shared machinery (transport, auth, retries, pagination, webhooks), for advanced use.
pub use carewire_core as core;

/// In-process sandboxes of the vendors' APIs, with fault injection (feature `testkit`).
#[cfg(feature = "testkit")]
#[cfg_attr(docsrs, doc(cfg(feature = "testkit")))]
pub use carewire_testkit as testkit;
