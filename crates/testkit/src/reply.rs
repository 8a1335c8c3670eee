//! [`Reply`]: the response a handler or fault sends back.

use std::time::Duration;

use serde::Serialize;

/// An HTTP response to send back, built by a handler or a [`Fault`](crate::Fault).
///
/// An invalid status code (outside `100..=999`) is sent as `500`; headers with
/// an invalid name or value are skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Option<Duration>,
}

impl Reply {
    /// A response with `status` and `value` serialized as JSON
    /// (`content-type: application/json`).
    ///
    /// If `value` cannot be serialized, the reply is a `500` with an
    /// `{"error": ...}` body instead.
    pub fn json(status: u16, value: &impl Serialize) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self::bytes(status, body).header("content-type", "application/json"),
            Err(e) => {
                let body = serde_json::json!({ "error": format!("testkit: serializing reply: {e}") });
                Self::bytes(500, body.to_string().into_bytes()).header("content-type", "application/json")
            }
        }
    }

    /// A response with `status` and an empty body.
    pub fn status(status: u16) -> Self {
        Self::bytes(status, Vec::new())
    }

    /// `204 No Content`.
    pub fn no_content() -> Self {
        Self::status(204)
    }

    /// A response with `status`, a `content-type` header and a text body.
    pub fn text(status: u16, content_type: &str, body: impl Into<String>) -> Self {
        Self::bytes(status, body.into().into_bytes()).header("content-type", content_type)
    }

    /// A response with `status` and a raw body, without a `content-type`.
    pub fn bytes(status: u16, body: Vec<u8>) -> Self {
        Self { status, headers: Vec::new(), body, delay: None }
    }

    /// Sets the header `name` to `value`, replacing any earlier value of it
    /// (names compared case-insensitively).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.append_header(name, value)
    }

    /// Adds a value of the header `name`, keeping earlier ones
    /// (for headers that may repeat, like `set-cookie`).
    pub fn append_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Waits `delay` before sending the response.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The status code.
    pub fn status_code(&self) -> u16 {
        self.status
    }

    /// The body.
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// The headers, names lowercase, in the order they will be sent.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of the header `name` (case-insensitive).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The delay set with [`Reply::delay`], if any.
    pub fn delay_duration(&self) -> Option<Duration> {
        self.delay
    }

    /// Replaces the status code.
    pub(crate) fn set_status(&mut self, status: u16) {
        self.status = status;
    }

    /// Converts into an `http` response (invalid parts replaced as documented).
    pub(crate) fn into_response(self) -> http::Response<Vec<u8>> {
        let mut response = http::Response::new(self.body);
        *response.status_mut() =
            http::StatusCode::from_u16(self.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) =
                (http::HeaderName::from_bytes(name.as_bytes()), http::HeaderValue::from_str(value))
            {
                headers.append(name, value);
            }
        }
        response
    }
}
