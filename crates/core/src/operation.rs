//! Operations as data: every typed call of every vendor is a value that describes itself ([`Operation`]),
//! with a static [`Spec`] (method, path template, stable name, credential [`Scope`], retry safety, body
//! encoding, pagination). [`Call`] sends one with per-call options (timeout, idempotency key, retry policy,
//! extra headers) and returns its output, optionally with the response metadata; a [`Paginated`]
//! operation also streams its items, page by page, through core's one [`Paginator`].
//!
//! Vendor handles (`client.consults().create(..)`) are thin sugar that build these values, and a vendor's
//! table of specs is what its tests check against the list of endpoints it must cover.

use std::borrow::Cow;
use std::fmt;
use std::future::IntoFuture;
use std::time::Duration;

use futures_util::future::BoxFuture;
use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::pagination::{Page, PageRequest, PageStream, Paginator, Strategy};
use crate::request::{Method, Request};
use crate::retry::RetryPolicy;
use crate::transport::{RawResponse, Response, Transport};

/// Which credentials an operation is sent with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// The client's own credentials (an API key, OAuth2 client credentials, a vendor API token).
    Client,
    /// A subject's own token (a patient's session token), from the transport's keyed cache, instead of the
    /// client's credentials; the call names the subject ([`Call::subject`]).
    Subject,
    /// The client's credentials and, beside them, the subject's (Healthstack's consent token next to the
    /// secret key).
    ClientAndSubject,
    /// The subject's token when the call names a subject, else the client's credentials: for endpoints that
    /// accept either (MDLIVE's provider profile and catalogue searches take an API or a patient's token).
    SubjectOrClient,
    /// No credentials at all (a token endpoint, a public catalogue).
    None,
}

/// How an operation's request body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyKind {
    /// No body.
    None,
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded` (Stripe-style brackets for nesting).
    Form,
    /// A body encoded as the client is configured ([`Encodings::body`]): for vendors whose docs leave
    /// the encoding open.
    Client,
}

/// How list values go in a query string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ListEncoding {
    /// One parameter, values joined by commas: `?with=a%2Cb`.
    #[default]
    CommaSeparated,
    /// The parameter repeated with brackets: `?with[]=a&with[]=b` (PHP style).
    RepeatedBrackets,
    /// The parameter repeated as is: `?with=a&with=b`.
    Repeated,
}

/// A client's encoding choices, handed to every [`Operation::request`]: how a [`BodyKind::Client`] body and
/// list-valued query parameters are encoded.
///
/// # Examples
///
/// ```
/// use carewire_core::operation::{BodyKind, Encodings, ListEncoding};
/// use carewire_core::Request;
///
/// let enc = Encodings { body: BodyKind::Form, lists: ListEncoding::RepeatedBrackets };
/// let req = enc.list(enc.body(Request::post("/x"), &serde_json::json!({"a": 1})), "with", ["b", "c"]);
/// assert_eq!(req.body_ref().content_type(), Some("application/x-www-form-urlencoded"));
/// assert_eq!(req.query_pairs().collect::<Vec<_>>(), vec![("with[]", "b"), ("with[]", "c")]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Encodings {
    /// How a [`BodyKind::Client`] body is encoded: [`BodyKind::Json`] (the default) or [`BodyKind::Form`].
    pub body: BodyKind,
    /// How list-valued query parameters are encoded.
    pub lists: ListEncoding,
}

impl Default for Encodings {
    fn default() -> Self {
        Self { body: BodyKind::Json, lists: ListEncoding::default() }
    }
}

impl Encodings {
    /// `req` with `body` encoded the client's way.
    pub fn body<T: serde::Serialize + ?Sized>(&self, req: Request, body: &T) -> Request {
        match self.body {
            BodyKind::Form => req.form(&body),
            _ => req.json(body),
        }
    }
    /// `req` with the list `key` = `values` encoded the client's way (nothing for an empty list).
    pub fn list<I, V>(&self, req: Request, key: &'static str, values: I) -> Request
    where
        I: IntoIterator<Item = V>,
        V: fmt::Display,
    {
        let values: Vec<String> = values.into_iter().map(|v| v.to_string()).collect();
        if values.is_empty() {
            return req;
        }
        match self.lists {
            ListEncoding::CommaSeparated => req.query_csv(key, values),
            ListEncoding::RepeatedBrackets => req.query_repeated(format!("{key}[]"), values),
            ListEncoding::Repeated => req.query_repeated(key, values),
        }
    }
}

/// How a list operation pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pagination {
    /// Not paginated.
    None,
    /// Page numbers (`page`, `per_page` or the vendor's names).
    PageNumber,
    /// Offset and limit.
    OffsetLimit,
    /// Each page names the next (a link or a cursor).
    NextLink,
}

/// What an operation is, independent of its arguments: known at compile time and listed per vendor.
///
/// # Examples
///
/// ```
/// use carewire_core::operation::{BodyKind, Scope, Spec};
///
/// const SUBMIT: Spec = Spec::post("/v1/claims/submit").name("claims.submit").json().idempotent(true);
/// assert_eq!(SUBMIT.method.as_str(), "POST");
/// assert_eq!(SUBMIT.scope, Scope::Client);
/// assert_eq!(SUBMIT.body, BodyKind::Json);
/// assert!(SUBMIT.retry_safe);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Spec {
    /// The HTTP method.
    pub method: Method,
    /// The path template relative to the vendor's base URL, such as `/v1/prescriptions/{id}`.
    pub path: &'static str,
    /// A stable name (`claims.submit`): the `operation` field of the request's tracing span.
    pub name: &'static str,
    /// Which credentials it is sent with.
    pub scope: Scope,
    /// Whether it may be retried after it may have reached the server (by default: whether the method is
    /// idempotent; a call with an idempotency key is always safe).
    pub retry_safe: bool,
    /// How its body is encoded.
    pub body: BodyKind,
    /// How it pages.
    pub pagination: Pagination,
}

impl Spec {
    /// `method path`, named after its path, with the client's credentials, no body, not paginated.
    pub const fn new(method: Method, path: &'static str) -> Self {
        let retry_safe = !matches!(method, Method::Post | Method::Patch);
        Self {
            method,
            path,
            name: path,
            scope: Scope::Client,
            retry_safe,
            body: BodyKind::None,
            pagination: Pagination::None,
        }
    }
    /// `GET path`.
    pub const fn get(path: &'static str) -> Self {
        Self::new(Method::Get, path)
    }
    /// `POST path`.
    pub const fn post(path: &'static str) -> Self {
        Self::new(Method::Post, path)
    }
    /// `PUT path`.
    pub const fn put(path: &'static str) -> Self {
        Self::new(Method::Put, path)
    }
    /// `PATCH path`.
    pub const fn patch(path: &'static str) -> Self {
        Self::new(Method::Patch, path)
    }
    /// `DELETE path`.
    pub const fn delete(path: &'static str) -> Self {
        Self::new(Method::Delete, path)
    }
    /// The stable operation name.
    pub const fn name(mut self, name: &'static str) -> Self {
        self.name = name;
        self
    }
    /// The credential scope.
    pub const fn scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }
    /// Overrides retry safety (a POST the vendor deduplicates, or a PUT it does not).
    pub const fn idempotent(mut self, retry_safe: bool) -> Self {
        self.retry_safe = retry_safe;
        self
    }
    /// The body is JSON.
    pub const fn json(mut self) -> Self {
        self.body = BodyKind::Json;
        self
    }
    /// The body is a form.
    pub const fn form(mut self) -> Self {
        self.body = BodyKind::Form;
        self
    }
    /// The body is encoded as the client is configured ([`BodyKind::Client`]).
    pub const fn client_body(mut self) -> Self {
        self.body = BodyKind::Client;
        self
    }
    /// The operation pages this way.
    pub const fn paginated(mut self, pagination: Pagination) -> Self {
        self.pagination = pagination;
        self
    }

    /// A request for this spec: method, path template, name and retry safety; the operation adds its
    /// path values, query and body.
    pub fn request(&self) -> Request {
        let req = Request::new(self.method, self.path).operation(self.name).scope(self.scope);
        if self.retry_safe == !matches!(self.method, Method::Post | Method::Patch) {
            req
        } else {
            req.idempotent(self.retry_safe)
        }
    }
}

/// A typed call: its [`Spec`], how to build its request from its arguments, and how to decode its answer.
///
/// Implement it once per endpoint; users normally reach operations through a vendor client's handles, and
/// send one directly with the vendor client's `send`.
///
/// # Examples
///
/// ```
/// use carewire_core::operation::{Encodings, Operation, Spec};
/// use carewire_core::{RawResponse, Request, Result};
///
/// /// `GET /v1/prescriptions/{id}`.
/// struct GetPrescription {
///     id: String,
/// }
///
/// #[derive(serde::Deserialize)]
/// struct Prescription {
///     id: String,
/// }
///
/// impl Operation for GetPrescription {
///     type Output = Prescription;
///     const SPEC: Spec = Spec::get("/v1/prescriptions/{id}").name("prescriptions.get");
///     fn request(&self, _enc: &Encodings) -> Result<Request> {
///         Ok(Self::SPEC.request().path_param("id", &self.id))
///     }
///     fn decode(&self, raw: RawResponse) -> Result<Prescription> {
///         raw.json()
///     }
/// }
///
/// let req = GetPrescription { id: "rx_1".into() }.request(&Encodings::default())?;
/// assert_eq!(req.render_path()?, "/v1/prescriptions/rx_1");
/// assert_eq!(req.operation_name(), "prescriptions.get");
/// # Ok::<(), carewire_core::Error>(())
/// ```
pub trait Operation: Send + Sync + 'static {
    /// What a successful call returns.
    type Output: Send + 'static;
    /// What the operation is.
    const SPEC: Spec;
    /// The request for these arguments, encoded as the client says (validation failures are
    /// [`crate::Error::InvalidRequest`]).
    fn request(&self, enc: &Encodings) -> Result<Request>;
    /// Decodes a 2xx answer. A body that is not the resource must be an error, never an empty success.
    fn decode(&self, raw: RawResponse) -> Result<Self::Output>;
}

/// Decodes a JSON 2xx body into `T`: the usual [`Operation::decode`].
pub fn decode_json_body<T: DeserializeOwned>(raw: &RawResponse) -> Result<T> {
    raw.json()
}

/// A list operation: how to ask for one page of it, and what one page holds.
pub trait Paginated: Operation + Clone {
    /// One item of the list.
    type Item: Send + 'static;
    /// The strategy, with the page size this operation asks for.
    fn strategy(&self) -> Strategy;
    /// The request for `page` (adds `page`/`per_page`, `offset`/`limit` or follows a link).
    fn page_request(&self, page: &PageRequest, enc: &Encodings) -> Result<Request>;
    /// The items of a page and what it says about the next one.
    fn into_page(output: Self::Output) -> Page<Self::Item>;
}

/// An operation that accepts expansions: related objects or fields the vendor adds to its answer on
/// request (Docplanner's `with`, Stripe-style `expand[]`). [`Call::with`] adds one.
pub trait Expandable: Operation {
    /// The expansions this operation accepts (usually an enum of its documented values, with an escape
    /// for values this SDK does not know yet).
    type Expansion: Send + 'static;
    /// Adds one expansion.
    fn expand(&mut self, expansion: Self::Expansion);
}

/// Per-call options, the same on every typed call.
#[derive(Clone, Default)]
struct Options {
    timeout: Option<Duration>,
    idempotency_key: Option<String>,
    retry: Option<RetryPolicy>,
    headers: Vec<(Cow<'static, str>, String)>,
    subject: Option<String>,
    max_response_bytes: Option<usize>,
}

impl Options {
    fn apply(&self, mut req: Request) -> Request {
        if let Some(t) = self.timeout {
            req = req.timeout(t);
        }
        if let Some(k) = &self.idempotency_key {
            req = req.idempotency_key(k.clone());
        }
        if let Some(p) = &self.retry {
            req = req.retry_policy(p.clone());
        }
        for (name, value) in &self.headers {
            req = req.header(name.clone(), value.clone());
        }
        if let Some(s) = &self.subject {
            req = req.subject(s.clone());
        }
        if let Some(m) = self.max_response_bytes {
            req = req.max_response_bytes(m);
        }
        req
    }
}

/// One typed call, ready to send: `.await` it, or set per-call options first.
///
/// # Examples
///
/// Vendor handles return calls (`client.consults().create(..)` in carewire's Medtimes client); this shows
/// the options on a call built by hand.
///
/// ```no_run
/// use std::time::Duration;
/// use carewire_core::operation::{Call, Encodings, Operation, Spec};
/// use carewire_core::{ClientConfig, RawResponse, Request, Result, RetryPolicy, Transport};
///
/// #[derive(Debug)]
/// struct CreateConsult;
/// impl Operation for CreateConsult {
///     type Output = serde_json::Value;
///     const SPEC: Spec = Spec::post("/v1/consults/create").name("consults.create").client_body();
///     fn request(&self, enc: &Encodings) -> Result<Request> {
///         Ok(enc.body(Self::SPEC.request(), &serde_json::json!({"patient_id": "usr_8921a"})))
///     }
///     fn decode(&self, raw: RawResponse) -> Result<serde_json::Value> {
///         raw.json()
///     }
/// }
///
/// # async fn run() -> Result<()> {
/// let transport = Transport::builder("medtimes", ClientConfig::new("https://api.medtimes.health")?).build()?;
/// let consult = Call::new(transport, CreateConsult)
///     .timeout(Duration::from_secs(5))
///     .idempotency_key("consult-2026-12-01-usr_8921a")
///     .retry(RetryPolicy::default().max_retries(4))
///     .header("x-trace", "checkout-42")
///     .send_with_meta()
///     .await?;
/// println!("HTTP {} after {} attempt(s)", consult.meta.status, consult.meta.attempts);
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<O> {
    transport: Transport,
    op: O,
    options: Options,
}

impl<O: fmt::Debug> fmt::Debug for Call<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.op)
            .field("timeout", &self.options.timeout)
            .field("idempotency_key", &self.options.idempotency_key.is_some())
            .field("retry", &self.options.retry)
            .field("headers", &self.options.headers.iter().map(|(n, _)| n).collect::<Vec<_>>())
            .field("subject", &self.options.subject.is_some())
            .finish_non_exhaustive()
    }
}

impl<O: Operation> Call<O> {
    /// A call of `op` through `transport`.
    pub fn new(transport: Transport, op: O) -> Self {
        Self { transport, op, options: Options::default() }
    }
    /// The operation.
    pub fn operation(&self) -> &O {
        &self.op
    }
    /// The operation, to change its arguments before sending.
    pub fn operation_mut(&mut self) -> &mut O {
        &mut self.op
    }
    /// A timeout for this whole call, retries included (instead of the client's total timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }
    /// An idempotency key, sent on every attempt unchanged; it makes a POST safe to retry.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.options.idempotency_key = Some(key.into());
        self
    }
    /// A retry policy for this call only.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }
    /// An extra header (its value is never logged).
    pub fn header(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }
    /// The subject (a patient) whose token a [`Scope::Subject`] operation is sent with.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.options.subject = Some(subject.into());
        self
    }
    /// The response body limit for this call only.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.options.max_response_bytes = Some(limit);
        self
    }
    /// The request this call sends, options applied.
    pub fn to_request(&self) -> Result<Request> {
        Ok(self.options.apply(self.op.request(self.transport.encodings())?))
    }

    /// Sends the call.
    pub async fn send(self) -> Result<O::Output> {
        self.send_with_meta().await.map(|r| r.data)
    }

    /// Sends the call and returns its output with the status, request id and rate limit of the answer.
    pub async fn send_with_meta(self) -> Result<Response<O::Output>> {
        let req = self.to_request()?;
        let raw = self.transport.execute(req).await?;
        let meta = raw.meta.clone();
        let data = self.op.decode(raw)?;
        Ok(Response { data, meta })
    }
}

impl<O: Expandable> Call<O> {
    /// Asks for an expansion (Docplanner's `with=...`).
    pub fn with(mut self, expansion: O::Expansion) -> Self {
        self.op.expand(expansion);
        self
    }
    /// Asks for several expansions.
    pub fn with_all(mut self, expansions: impl IntoIterator<Item = O::Expansion>) -> Self {
        for e in expansions {
            self.op.expand(e);
        }
        self
    }
}

impl<O: Operation> IntoFuture for Call<O> {
    type Output = Result<O::Output>;
    type IntoFuture = BoxFuture<'static, Result<O::Output>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<O: Paginated> Call<O> {
    fn paginator(self) -> Paginator<O::Item> {
        let Self { transport, op, options } = self;
        let strategy = op.strategy();
        Paginator::new(strategy, move |page| {
            let (transport, op, options) = (transport.clone(), op.clone(), options.clone());
            async move {
                let req = options.apply(op.page_request(&page, transport.encodings())?);
                let raw = transport.execute(req).await?;
                Ok(O::into_page(op.decode(raw)?))
            }
        })
    }
    /// The items of every page, fetched lazily one page at a time.
    pub fn stream(self) -> PageStream<O::Item> {
        self.paginator().items()
    }
    /// The pages, fetched lazily.
    pub fn pages(self) -> PageStream<Vec<O::Item>> {
        self.paginator().pages()
    }
    /// At most `max` items, fetching no page past the one that reaches it.
    pub async fn collect_max(self, max: usize) -> Result<Vec<O::Item>> {
        self.paginator().collect_max(max).await
    }
}
