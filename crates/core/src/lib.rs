//! # carewire-core
//!
//! The shared machinery of [carewire](https://docs.rs/carewire), a typed async SDK for health-care APIs.
//! It knows no vendor: each vendor crate describes its calls as [`Request`]s and sends them through a
//! [`Transport`], which gives every vendor the same behaviour:
//!
//! - **Requests as data** ([`request`]): path templates with percent-encoded parameters, repeated and comma
//!   query values, JSON, Stripe-style bracket forms or no body, idempotency keys.
//! - **Responses** ([`transport`]): 2xx bodies decoded with the JSON path of any failure; 204 and empty
//!   bodies decode into `()`; status, request id and rate limit available through [`Response`].
//! - **One error type** ([`error`]): [`Error`] never shows a body, a query, a path value or a credential.
//! - **Auth** ([`auth`]): static keys, token sources behind a single-flight cache, OAuth2 client credentials.
//! - **Retries** ([`retry`]): full-jitter backoff, `Retry-After` honoured but clamped, a retry budget, and
//!   the rule that a POST which may have reached the server is never sent twice.
//! - **Rate limits** ([`ratelimit`]), **pagination** ([`pagination`]), **webhooks** ([`webhook`]) and
//!   **lenient decoding** ([`de`]).
//!
//! ```no_run
//! use carewire_core::{ClientConfig, Method, Request, Transport};
//! use carewire_core::auth::BearerToken;
//!
//! # async fn run() -> carewire_core::Result<()> {
//! let transport = Transport::builder("medtimes", ClientConfig::new("https://api.medtimes.health")?)
//!     .credentials(BearerToken::new("sk_test_123")?)
//!     .build()?;
//! let prescription: serde_json::Value = transport
//!     .send(Request::new(Method::Get, "/v1/prescriptions/{id}").path_param("id", "rx_123"))
//!     .await?;
//! # let _ = prescription; Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod config;
pub mod crypto;
pub mod de;
mod decode;
pub mod error;
mod http;
pub mod money;
mod open_enum;
pub mod operation;
pub mod pagination;
pub mod ratelimit;
pub mod redact;
pub mod request;
pub mod resource;
pub mod retry;
pub mod shared;
pub mod subject;
pub mod transport;
pub mod webhook;

pub use config::{ClientConfig, DEFAULT_MAX_RESPONSE_BYTES, Settings};
pub use error::{
    ApiError, AuthError, CallContext, DecodeError, DefaultErrorParser, Error, ErrorBodyParser, ErrorShape, ParsedError,
    Result, TimeoutError, TimeoutKind, TooLargeError, VendorError,
};
/// The future a carewire trait method returns (`Credentials::apply`, `TokenSource::fetch`, `ReplayGuard`,
/// `TokenStore`, `RateBudget`, ...): boxed, so that the traits work as `dyn` objects. An implementation wraps
/// its `async` block in `Box::pin`:
///
/// ```
/// use carewire_core::BoxFuture;
/// use carewire_core::auth::{Token, TokenSource};
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl TokenSource for FromVault {
///     fn fetch(&self) -> BoxFuture<'_, carewire_core::Result<Token>> {
///         Box::pin(async move { Ok(Token::new("t0k3n", None)) })
///     }
/// }
/// ```
pub use futures_util::future::BoxFuture;
pub use pagination::{Page, PageRequest, PageStream, Paginator, Strategy};
pub use ratelimit::{MethodClass, RateLimit, RateLimiter};
pub use request::{Body, Method, Request};
pub use retry::RetryPolicy;
pub use transport::{RawResponse, Response, ResponseMeta, Transport, TransportBuilder, decode_json};
pub use webhook::WebhookError;

/// Re-exports of the secret types credentials are held in.
pub mod secret {
    pub use secrecy::{ExposeSecret, SecretString};
}

#[doc(hidden)]
pub mod __private {
    pub use serde;
}

/// HTTP header types, for [`auth::Credentials`] implementations.
pub mod header {
    pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
}

/// The HTTP client carewire uses, for callers who supply their own through [`ClientConfig::http_client`].
pub use reqwest;
