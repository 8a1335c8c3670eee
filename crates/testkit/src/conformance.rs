//! Conformance checks driven by the operation table: what one typed call puts on the wire and what it
//! decodes from a given answer ([`exchange`] and [`Exchange`]), and whether a vendor's table of
//! [`Spec`]s matches the list of endpoints it must cover ([`assert_table_matches`]).
//!
//! An operation's test becomes a few lines:
//!
//! ```
//! use carewire_core::operation::{Call, Encodings, Operation, Spec};
//! use carewire_core::{ClientConfig, RawResponse, Request, Result, Transport};
//! use carewire_testkit::conformance::exchange;
//!
//! #[derive(Debug)]
//! struct GetPrescription(&'static str);
//! impl Operation for GetPrescription {
//!     type Output = serde_json::Value;
//!     const SPEC: Spec = Spec::get("/v1/prescriptions/{id}").name("prescriptions.get");
//!     fn request(&self, _enc: &Encodings) -> Result<Request> {
//!         Ok(Self::SPEC.request().path_param("id", self.0))
//!     }
//!     fn decode(&self, raw: RawResponse) -> Result<serde_json::Value> {
//!         raw.json()
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let ex = exchange(
//!     |base| Call::new(Transport::builder("medtimes", ClientConfig::new(base).unwrap()).build().unwrap(), GetPrescription("rx_1")),
//!     200,
//!     br#"{"id": "rx_1"}"#,
//! )
//! .await;
//! ex.assert_wire("GET", "/v1/prescriptions/rx_1").assert_no_body();
//! assert_eq!(ex.output()["id"], "rx_1");
//! # }
//! ```

use std::collections::BTreeSet;

use carewire_core::Result;
use carewire_core::operation::{Call, Operation, Spec};

use crate::{RecordedRequest, Reply, TestServer};

/// What one call sent and what it decoded.
#[derive(Debug)]
pub struct Exchange<T> {
    /// The request as the server received it (the last attempt's, if it was retried).
    pub request: RecordedRequest,
    /// How many requests the call made.
    pub attempts: usize,
    /// What the call returned.
    pub output: Result<T>,
}

/// Sends the call `make_call` builds (given the base URL of a local server that answers every request
/// with `status` and `body`, as JSON) and records the exchange.
///
/// # Panics
///
/// When the call sent nothing (a test failure: the operation refused to build its request).
pub async fn exchange<O, F>(make_call: F, status: u16, body: &[u8]) -> Exchange<O::Output>
where
    O: Operation,
    F: FnOnce(&str) -> Call<O>,
{
    let reply = Reply::bytes(status, body.to_vec()).header("content-type", "application/json");
    let server = TestServer::start(move |_req: &RecordedRequest| reply.clone());
    let output = make_call(&server.uri()).send().await;
    let requests = server.requests();
    let Some(request) = requests.last().cloned() else {
        panic!("the call sent no request: {:?}", output.err());
    };
    Exchange { request, attempts: requests.len(), output }
}

impl<T> Exchange<T> {
    /// Asserts the method and the exact path (percent-encoded as sent, without the query).
    #[track_caller]
    pub fn assert_wire(&self, method: &str, path: &str) -> &Self {
        assert_eq!(self.request.method, method, "method");
        assert_eq!(self.request.path, path, "path");
        self
    }
    /// Asserts the decoded query pairs, in order.
    #[track_caller]
    pub fn assert_query(&self, pairs: &[(&str, &str)]) -> &Self {
        let got = self.request.query_pairs();
        let want: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        assert_eq!(got, want, "query");
        self
    }
    /// Asserts a header's value.
    #[track_caller]
    pub fn assert_header(&self, name: &str, value: &str) -> &Self {
        assert_eq!(self.request.header(name), Some(value), "header {name}");
        self
    }
    /// Asserts the body is this JSON (compared as values, so key order does not matter).
    #[track_caller]
    pub fn assert_json_body(&self, expected: &serde_json::Value) -> &Self {
        assert_eq!(self.request.header("content-type"), Some("application/json"), "content type");
        assert_eq!(self.request.json_value().as_ref(), Some(expected), "JSON body");
        self
    }
    /// Asserts the body is this form, pair by pair, in order.
    #[track_caller]
    pub fn assert_form_body(&self, pairs: &[(&str, &str)]) -> &Self {
        assert_eq!(self.request.header("content-type"), Some("application/x-www-form-urlencoded"), "content type");
        let want: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        assert_eq!(self.request.form_pairs(), want, "form body");
        self
    }
    /// Asserts no body was sent.
    #[track_caller]
    pub fn assert_no_body(&self) -> &Self {
        assert!(self.request.body.is_empty(), "expected no body, got {} bytes", self.request.body.len());
        self
    }
    /// The decoded output.
    ///
    /// # Panics
    ///
    /// When the call failed.
    #[track_caller]
    pub fn output(self) -> T {
        match self.output {
            Ok(v) => v,
            Err(e) => panic!("the call failed: {e} / {e:?}"),
        }
    }
}

/// The `(method, path)` rows of `vendor` in an endpoints table (tab-separated `vendor method path ...`,
/// `#` comments and a `vendor` header line skipped).
pub fn table_rows(tsv: &str, vendor: &str) -> BTreeSet<(String, String)> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("vendor\t") && !l.trim().is_empty())
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let (v, m, p) = (cols.next()?, cols.next()?, cols.next()?);
            (v == vendor).then(|| (m.to_owned(), p.to_owned()))
        })
        .collect()
}

/// Asserts that a vendor's operation table and its rows of the endpoints table are the same set of
/// `(method, path)`: every endpoint has an operation, and every operation is an endpoint.
///
/// # Panics
///
/// Naming every missing and every extra row.
#[track_caller]
pub fn assert_table_matches(vendor: &str, specs: &[Spec], tsv: &str) {
    let want = table_rows(tsv, vendor);
    assert!(!want.is_empty(), "the table has no {vendor} rows");
    let have: BTreeSet<(String, String)> =
        specs.iter().map(|s| (s.method.as_str().to_owned(), s.path.to_owned())).collect();
    let missing: Vec<_> = want.difference(&have).collect();
    let extra: Vec<_> = have.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{vendor}: missing operations {missing:?}; not in the table {extra:?}"
    );
    assert_eq!(have.len(), specs.len(), "{vendor}: an operation is listed twice");
}
