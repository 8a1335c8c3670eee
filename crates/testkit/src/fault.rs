//! [`Fault`]: misbehaviour injected into a [`TestServer`](crate::TestServer).

use std::time::Duration;

use crate::{RecordedRequest, Reply};

/// A misbehaviour the server applies to matching requests before the handler.
///
/// Build one with a kind constructor ([`Fault::status`], [`Fault::delay`],
/// [`Fault::drop_connection`], ...), optionally narrow it with a scope
/// ([`Fault::times`], [`Fault::always`], [`Fault::fraction`]) and a route
/// filter ([`Fault::on`], [`Fault::on_path_prefix`]), then hand it to
/// [`TestServer::inject`](crate::TestServer::inject).
///
/// Faults are checked in the order injected; the first one that matches the
/// request (and, with [`Fault::fraction`], wins its random draw) applies and
/// consumes one use. A fault with no uses left is removed. Requests answered
/// by a fault are still recorded.
///
/// How many times a fault fires: [`Fault::times`] if set, otherwise
/// unlimited if [`Fault::always`] or [`Fault::fraction`] was used, otherwise
/// once. The last of `times`/`always` called wins.
#[derive(Clone, Debug)]
pub struct Fault {
    kind: FaultKind,
    limit: Limit,
    fraction: Option<f64>,
    rng: Option<fastrand::Rng>,
    method: Option<String>,
    path: PathFilter,
}

/// What a fault does; the server acts on it.
#[derive(Clone, Debug)]
pub(crate) enum FaultKind {
    /// Answer with this reply instead of calling the handler.
    Reply(Reply),
    /// Wait, then answer through the handler.
    Delay(Duration),
    /// Close the connection without answering.
    DropConnection,
}

#[derive(Clone, Copy, Debug)]
enum Limit {
    Default,
    Times(u64),
    Always,
}

#[derive(Clone, Debug)]
enum PathFilter {
    Any,
    Exact(String),
    Prefix(String),
}

impl Fault {
    fn new(kind: FaultKind) -> Self {
        Self { kind, limit: Limit::Default, fraction: None, rng: None, method: None, path: PathFilter::Any }
    }

    /// Answers with `status` and the JSON body `{"error":"injected"}`.
    pub fn status(status: u16) -> Self {
        Self::reply(Reply::json(status, &serde_json::json!({ "error": "injected" })))
    }

    /// Answers with `reply` instead of calling the handler.
    pub fn reply(reply: Reply) -> Self {
        Self::new(FaultKind::Reply(reply))
    }

    /// Answers with `status` and `reply`'s headers and body (same as
    /// [`Fault::reply`] with the status replaced).
    pub fn status_with_body(status: u16, reply: Reply) -> Self {
        let mut reply = reply;
        reply.set_status(status);
        Self::reply(reply)
    }

    /// Answers with `status`, a `retry-after: secs` header and the JSON body
    /// `{"error":"injected"}`.
    pub fn retry_after(status: u16, secs: u64) -> Self {
        let reply =
            Reply::json(status, &serde_json::json!({ "error": "injected" })).header("retry-after", &secs.to_string());
        Self::reply(reply)
    }

    /// Waits `delay`, then answers normally through the handler (for a
    /// delay beyond the client's timeout).
    pub fn delay(delay: Duration) -> Self {
        Self::new(FaultKind::Delay(delay))
    }

    /// Reads and records the whole request, then closes the connection
    /// without writing any response.
    pub fn drop_connection() -> Self {
        Self::new(FaultKind::DropConnection)
    }

    /// Answers `200` with `content-type: application/json` and a body that
    /// is not valid JSON (`{"truncated": `).
    pub fn malformed_body() -> Self {
        Self::reply(Reply::text(200, "application/json", "{\"truncated\": "))
    }

    /// Answers with `status` and an HTML error page
    /// (`content-type: text/html; charset=utf-8`), as a proxy might.
    pub fn html(status: u16) -> Self {
        let reason = http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
        let page = format!(
            "<!DOCTYPE html>\n<html><head><title>{status} {reason}</title></head>\
             <body><h1>{status} {reason}</h1><hr><center>nginx</center></body></html>\n"
        );
        Self::reply(Reply::text(status, "text/html; charset=utf-8", page))
    }

    /// Fires for the next `n` matching requests.
    pub fn times(mut self, n: u64) -> Self {
        self.limit = Limit::Times(n);
        self
    }

    /// Fires for every matching request until cleared.
    pub fn always(mut self) -> Self {
        self.limit = Limit::Always;
        self
    }

    /// Fires for each matching request with probability `p` (clamped to
    /// `0.0..=1.0`; NaN counts as `0.0`). Unlimited unless [`Fault::times`]
    /// is set. Random unless [`Fault::seed`] is set.
    pub fn fraction(mut self, p: f64) -> Self {
        self.fraction = Some(if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) });
        self
    }

    /// Seeds the random draws of [`Fault::fraction`], for deterministic tests.
    pub fn seed(mut self, seed: u64) -> Self {
        self.rng = Some(fastrand::Rng::with_seed(seed));
        self
    }

    /// Only matches requests with this method (case-insensitive, `"*"` for
    /// any) and exactly this path (raw, without the query).
    pub fn on(mut self, method: &str, path: &str) -> Self {
        self.method = (method != "*").then(|| method.to_ascii_uppercase());
        self.path = PathFilter::Exact(path.to_owned());
        self
    }

    /// Only matches requests whose raw path starts with `prefix`. Replaces
    /// the path filter of [`Fault::on`] but keeps any method filter.
    pub fn on_path_prefix(mut self, prefix: &str) -> Self {
        self.path = PathFilter::Prefix(prefix.to_owned());
        self
    }

    /// Only matches requests with this method (case-insensitive, `"*"` for
    /// any); combine with [`Fault::on_path_prefix`].
    pub fn on_method(mut self, method: &str) -> Self {
        self.method = (method != "*").then(|| method.to_ascii_uppercase());
        self
    }

    fn matches(&self, req: &RecordedRequest) -> bool {
        let method_ok = self.method.as_ref().is_none_or(|m| m.eq_ignore_ascii_case(&req.method));
        let path_ok = match &self.path {
            PathFilter::Any => true,
            PathFilter::Exact(p) => *p == req.path,
            PathFilter::Prefix(p) => req.path.starts_with(p.as_str()),
        };
        method_ok && path_ok
    }

    /// Remaining uses: `None` for unlimited.
    fn remaining(&self) -> Option<u64> {
        match self.limit {
            Limit::Times(n) => Some(n),
            Limit::Always => None,
            Limit::Default if self.fraction.is_some() => None,
            Limit::Default => Some(1),
        }
    }

    /// Draws whether the fault fires this time (always true without a fraction).
    fn roll(&mut self) -> bool {
        match self.fraction {
            None => true,
            Some(p) => {
                let draw = match &mut self.rng {
                    Some(rng) => rng.f64(),
                    None => fastrand::f64(),
                };
                draw < p
            }
        }
    }
}

/// Picks the first active fault matching `req` from `faults`, consuming one
/// use (and removing it when used up).
pub(crate) fn take_fault(faults: &mut Vec<Fault>, req: &RecordedRequest) -> Option<FaultKind> {
    faults.retain(|f| f.remaining() != Some(0));
    let index = faults.iter_mut().position(|f| f.matches(req) && f.roll())?;
    let fault = &mut faults[index];
    let kind = fault.kind.clone();
    match fault.remaining() {
        Some(n) if n <= 1 => {
            faults.remove(index);
        }
        Some(n) => fault.limit = Limit::Times(n - 1),
        None => {}
    }
    Some(kind)
}
