//! Test machinery for carewire: an in-process HTTP server ([`TestServer`])
//! that answers through a [`Handler`] or [`Router`], records every request
//! ([`RecordedRequest`]) and injects faults ([`Fault`]) such as error
//! statuses, `Retry-After`, delays, dropped connections and malformed bodies.
//!
//! Vendor sandboxes build on this: a [`Router`] whose handlers keep their
//! state in an `Arc<Mutex<..>>`.
//!
//! ```
//! use carewire_testkit::{Fault, Params, RecordedRequest, Reply, Router, TestServer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let server = TestServer::start(Router::new().route(
//!     "GET",
//!     "/v1/patients/{id}",
//!     |_req: &RecordedRequest, params: &Params| {
//!         Reply::json(200, &serde_json::json!({ "id": params.get("id") }))
//!     },
//! ));
//! // The next request fails with 503 and `Retry-After: 2`.
//! server.inject(Fault::retry_after(503, 2));
//!
//! let client = reqwest::Client::new();
//! let url = server.url("/v1/patients/42");
//! let first = client.get(&url).send().await.unwrap();
//! assert_eq!(first.status(), 503);
//! assert_eq!(first.headers()["retry-after"], "2");
//! let second = client.get(&url).send().await.unwrap();
//! assert_eq!(second.status(), 200);
//! assert_eq!(second.bytes().await.unwrap(), r#"{"id":"42"}"#);
//!
//! // Both requests were received, including the one answered by the fault.
//! assert_eq!(server.received("GET", "/v1/patients/42"), 2);
//! # }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod conformance;
#[cfg(any(feature = "medtimes", feature = "mdlive", feature = "mymedic"))]
mod deliver;
mod fault;
mod reply;
mod request;
mod router;
mod server;

#[cfg(feature = "docplanner")]
#[cfg_attr(docsrs, doc(cfg(feature = "docplanner")))]
pub mod docplanner;
#[cfg(feature = "healthstack")]
#[cfg_attr(docsrs, doc(cfg(feature = "healthstack")))]
pub mod healthstack;
#[cfg(feature = "mdlive")]
#[cfg_attr(docsrs, doc(cfg(feature = "mdlive")))]
pub mod mdlive;
#[cfg(feature = "medtimes")]
#[cfg_attr(docsrs, doc(cfg(feature = "medtimes")))]
pub mod medtimes;
#[cfg(feature = "mymedic")]
#[cfg_attr(docsrs, doc(cfg(feature = "mymedic")))]
pub mod mymedic;

pub use fault::Fault;
pub use reply::Reply;
pub use request::RecordedRequest;
pub use router::{Handler, Params, Router};
pub use server::TestServer;
