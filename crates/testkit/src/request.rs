//! [`RecordedRequest`]: one HTTP request as the test server received it.

use serde::de::DeserializeOwned;

/// One HTTP request as the [`TestServer`](crate::TestServer) received it.
///
/// Every request is recorded before any fault or handler runs, so the log
/// also holds requests answered by a [`Fault`](crate::Fault).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method, uppercase (`"GET"`, `"POST"`, ...).
    pub method: String,
    /// The path as received, still percent-encoded, without the query.
    pub path: String,
    /// The raw query string (without the `?`), if the request had one.
    pub query: Option<String>,
    /// The headers in the order received; names are lowercase.
    ///
    /// Values that are not valid UTF-8 are converted lossily.
    pub headers: Vec<(String, String)>,
    /// The whole request body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Every value of the header `name` (case-insensitive), in order.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }

    /// The body as UTF-8 text, or `None` if it is not valid UTF-8.
    pub fn body_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }

    /// The body deserialized from JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The body parsed as a JSON value, or `None` if it is not valid JSON.
    pub fn json_value(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The decoded query pairs, in order, repeated keys kept.
    ///
    /// Empty if the request had no query.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.as_deref().map(|q| decode_pairs(q.as_bytes())).unwrap_or_default()
    }

    /// The query deserialized with `serde_qs` (supports `a[b]=c` nesting).
    pub fn query_as<T: DeserializeOwned>(&self) -> Result<T, serde_qs::Error> {
        serde_qs::from_str(self.query.as_deref().unwrap_or(""))
    }

    /// The body decoded as `application/x-www-form-urlencoded` pairs
    /// (`+` is a space), in order, repeated keys kept.
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        decode_pairs(&self.body)
    }

    /// The form body deserialized with `serde_qs`.
    pub fn form_as<T: DeserializeOwned>(&self) -> Result<T, serde_qs::Error> {
        serde_qs::from_bytes(&self.body)
    }

    /// The token of an `Authorization: Bearer <token>` header
    /// (scheme matched case-insensitively).
    pub fn bearer_token(&self) -> Option<&str> {
        let value = self.header("authorization")?.trim();
        let (scheme, token) = value.split_once(' ')?;
        let token = token.trim();
        (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
    }

    /// The `(user, password)` of an `Authorization: Basic ...` header (an OAuth2 client's id and secret);
    /// `None` when there is none or it is not valid base64 of `user:password`.
    ///
    /// ```
    /// use carewire_testkit::RecordedRequest;
    ///
    /// let req = RecordedRequest {
    ///     method: "POST".into(),
    ///     path: "/oauth/token".into(),
    ///     query: None,
    ///     headers: vec![("authorization".into(), "Basic aWQ6czNjcmV0".into())],
    ///     body: Vec::new(),
    /// };
    /// assert_eq!(req.basic_auth(), Some(("id".to_owned(), "s3cret".to_owned())));
    /// ```
    pub fn basic_auth(&self) -> Option<(String, String)> {
        use base64::Engine as _;
        let value = self.header("authorization")?.trim();
        let (scheme, encoded) = value.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (user, password) = text.split_once(':')?;
        Some((user.to_owned(), password.to_owned()))
    }
}

fn decode_pairs(input: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(input).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}
