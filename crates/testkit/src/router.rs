//! [`Handler`], [`Router`] and [`Params`]: how requests become replies.

use crate::{RecordedRequest, Reply};

/// Answers the requests a [`TestServer`](crate::TestServer) receives.
///
/// Implemented for closures `Fn(&RecordedRequest) -> Reply` and for
/// [`Router`]. Handlers run on the server's own thread; they should not block
/// for long (use [`Reply::delay`] to answer late). Keep mutable state in an
/// `Arc<Mutex<..>>` captured by the closure.
pub trait Handler: Send + Sync + 'static {
    /// Builds the reply to `req`.
    fn handle(&self, req: &RecordedRequest) -> Reply;
}

impl<F> Handler for F
where
    F: Fn(&RecordedRequest) -> Reply + Send + Sync + 'static,
{
    fn handle(&self, req: &RecordedRequest) -> Reply {
        self(req)
    }
}

/// The values of a route's `{name}` segments, percent-decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    values: Vec<(String, String)>,
}

impl Params {
    /// The percent-decoded value of the segment `{name}`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Every `(name, value)` pair, in template order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

type RouteFn = dyn Fn(&RecordedRequest, &Params) -> Reply + Send + Sync;

enum Segment {
    Literal(String),
    Param(String),
}

struct Route {
    method: String,
    segments: Vec<Segment>,
    handler: Box<RouteFn>,
}

/// Dispatches requests by method and path template.
///
/// A template such as `/v1/prescriptions/{id}` matches paths segment by
/// segment; a `{name}` segment matches exactly one non-empty segment, whose
/// percent-decoded value is available from [`Params::get`]. Literal segments
/// match the raw or the decoded request segment. Trailing slashes are
/// significant. The first route added that matches wins; the method `"*"`
/// matches any method.
///
/// With no matching path the router answers `404` with
/// `{"error":"no route","method":..,"path":..}`; if the path matches but the
/// method does not, `405` with an `allow` header. A [`Router::fallback`]
/// handler replaces both answers.
#[derive(Default)]
pub struct Router {
    routes: Vec<Route>,
    fallback: Option<Box<dyn Handler>>,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let routes: Vec<String> =
            self.routes.iter().map(|r| format!("{} {}", r.method, template_string(&r.segments))).collect();
        f.debug_struct("Router").field("routes", &routes).field("fallback", &self.fallback.is_some()).finish()
    }
}

impl Router {
    /// An empty router.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a route for `method` (case-insensitive, `"*"` for any) and the
    /// path `template`.
    pub fn route<F>(mut self, method: &str, template: &str, handler: F) -> Self
    where
        F: Fn(&RecordedRequest, &Params) -> Reply + Send + Sync + 'static,
    {
        self.routes.push(Route {
            method: method.to_ascii_uppercase(),
            segments: parse_template(template),
            handler: Box::new(handler),
        });
        self
    }

    /// Adds a route for an operation: its method and path template come from the operation's
    /// [`Spec`](carewire_core::operation::Spec), so that a sandbox serves exactly the table the client sends
    /// (`spec.path` is joined to `prefix`, the part of the vendor's base URL the path is relative to, `""`
    /// for none).
    ///
    /// ```
    /// use carewire_core::operation::Spec;
    /// use carewire_testkit::{Params, RecordedRequest, Reply, Router};
    ///
    /// const GET_PRESCRIPTION: Spec = Spec::get("/v1/prescriptions/{id}").name("prescriptions.get");
    /// let router = Router::new().operation("", &GET_PRESCRIPTION, |_: &RecordedRequest, p: &Params| {
    ///     Reply::json(200, &serde_json::json!({"id": p.get("id")}))
    /// });
    /// assert!(router.unrouted("", &[GET_PRESCRIPTION]).is_empty());
    /// ```
    pub fn operation<F>(self, prefix: &str, spec: &carewire_core::operation::Spec, handler: F) -> Self
    where
        F: Fn(&RecordedRequest, &Params) -> Reply + Send + Sync + 'static,
    {
        self.route(spec.method.as_str(), &format!("{prefix}{}", spec.path), handler)
    }

    /// The names of the operations in `specs` that no route serves (same method and path template under
    /// `prefix`): a sandbox's test that it covers its vendor's whole operation table.
    pub fn unrouted(&self, prefix: &str, specs: &[carewire_core::operation::Spec]) -> Vec<&'static str> {
        specs
            .iter()
            .filter(|spec| {
                let template = format!("{prefix}{}", spec.path);
                !self.routes.iter().any(|r| {
                    r.method.eq_ignore_ascii_case(spec.method.as_str()) && template_string(&r.segments) == template
                })
            })
            .map(|spec| spec.name)
            .collect()
    }

    /// Answers every request that no route matches (instead of 404/405).
    pub fn fallback(mut self, handler: impl Handler) -> Self {
        self.fallback = Some(Box::new(handler));
        self
    }
}

impl Handler for Router {
    fn handle(&self, req: &RecordedRequest) -> Reply {
        let raw: Vec<&str> = req.path.split('/').collect();
        let mut allowed: Vec<&str> = Vec::new();
        for route in &self.routes {
            let Some(params) = match_segments(&route.segments, &raw) else {
                continue;
            };
            if route.method == "*" || route.method.eq_ignore_ascii_case(&req.method) {
                return (route.handler)(req, &params);
            }
            if !allowed.contains(&route.method.as_str()) {
                allowed.push(&route.method);
            }
        }
        if let Some(fallback) = &self.fallback {
            return fallback.handle(req);
        }
        let body = |error: &str| serde_json::json!({ "error": error, "method": req.method, "path": req.path });
        if allowed.is_empty() {
            Reply::json(404, &body("no route"))
        } else {
            Reply::json(405, &body("method not allowed")).header("allow", &allowed.join(", "))
        }
    }
}

fn parse_template(template: &str) -> Vec<Segment> {
    template
        .split('/')
        .map(|s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if !name.is_empty() => Segment::Param(name.to_owned()),
            _ => Segment::Literal(s.to_owned()),
        })
        .collect()
}

fn template_string(segments: &[Segment]) -> String {
    let parts: Vec<String> = segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => l.clone(),
            Segment::Param(p) => format!("{{{p}}}"),
        })
        .collect();
    parts.join("/")
}

fn match_segments(segments: &[Segment], raw: &[&str]) -> Option<Params> {
    if segments.len() != raw.len() {
        return None;
    }
    let mut params = Params::default();
    for (segment, raw) in segments.iter().zip(raw) {
        match segment {
            Segment::Literal(l) => {
                if l != raw && *l != percent_decode(raw) {
                    return None;
                }
            }
            Segment::Param(name) => {
                if raw.is_empty() {
                    return None;
                }
                params.values.push((name.clone(), percent_decode(raw)));
            }
        }
    }
    Some(params)
}

/// Decodes `%XX` escapes (not `+`); invalid escapes are kept as they are and
/// invalid UTF-8 is replaced.
pub(crate) fn percent_decode(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) =
                (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("2021-05-16T14%3A00%3A00%2B01%3A00"), "2021-05-16T14:00:00+01:00");
        assert_eq!(percent_decode("a+b%20c%zz%4"), "a+b c%zz%4");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
    }
}
