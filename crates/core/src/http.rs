//! The HTTP client helpers below the transport: carewire's own `reqwest::Client` (same-origin redirects
//! only), the bounded body reader every response goes through (the API's and the token endpoint's), the
//! TLS-backend check, and the mapping of reqwest errors into [`Error::Transport`] without their URLs.

use std::time::Duration;

use crate::error::{Error, Result, TooLargeError, TransportError, TransportErrorKind};

/// Why a bounded read failed.
pub(crate) enum ReadFailure {
    Http(reqwest::Error),
    TooLarge(TooLargeError),
}

/// Reads a response body of at most `limit` bytes: a larger declared `Content-Length` is refused before
/// reading, and a chunked body is abandoned as soon as it passes the limit.
pub(crate) async fn read_body_limited(
    resp: &mut reqwest::Response,
    status: u16,
    limit: usize,
) -> std::result::Result<Vec<u8>, ReadFailure> {
    let too_large = |declared| ReadFailure::TooLarge(TooLargeError { limit, declared, status, context: None });
    let declared = resp.content_length();
    if let Some(len) = declared
        && len > limit as u64
    {
        return Err(too_large(Some(len)));
    }
    let mut body: Vec<u8> = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(ReadFailure::Http)? {
        if body.len().saturating_add(chunk.len()) > limit {
            return Err(too_large(declared));
        }
        if body.is_empty() {
            // Usually the whole body: taken without a copy. The declared length (at most `limit`, checked
            // above) sizes the buffer for the rest.
            body = Vec::from(chunk);
            if let Some(len) = declared {
                body.reserve((len as usize).saturating_sub(body.len()));
            }
        } else {
            body.extend_from_slice(&chunk);
        }
    }
    Ok(body)
}

/// Refuses an `https` URL when this build has no TLS backend: without one, every call would fail late
/// with a misleading connection error.
pub(crate) fn require_tls_for(url: &url::Url) -> Result<()> {
    if url.scheme() == "https" && !crate::config::tls_compiled_in() {
        return Err(Error::config(
            "this build of carewire has no TLS backend, so an https URL cannot be reached: enable the `rustls` \
             (aws-lc), `rustls-ring` or `native-tls` feature, or supply your own reqwest::Client",
        ));
    }
    Ok(())
}

/// Builds carewire's HTTP client: connect timeout, the headers every request carries (accept, user agent,
/// the vendor's own), and redirects followed only within the same origin, so credentials never reach
/// another host.
pub(crate) fn default_http_client(
    connect_timeout: Duration,
    default_headers: reqwest::header::HeaderMap,
) -> Result<reqwest::Client> {
    // With `rustls-ring` alone, reqwest has no crypto provider of its own: install ring as the process
    // default (a no-op if the application installed one already).
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .default_headers(default_headers)
        .pool_idle_timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            let same_origin = attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
            if attempt.previous().len() > 5 {
                attempt.error("too many redirects")
            } else if same_origin {
                attempt.follow()
            } else {
                attempt.stop()
            }
        }))
        .build()
        .map_err(|_| Error::config("could not build the HTTP client (is a TLS feature enabled?)"))
}

/// Maps a reqwest error into [`Error::Transport`], stripping the URL (it holds path values and queries).
pub(crate) fn map_reqwest_error(e: reqwest::Error) -> Error {
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_redirect() {
        TransportErrorKind::Redirect
    } else if e.is_body() || e.is_decode() {
        TransportErrorKind::Body
    } else if e.is_request() {
        TransportErrorKind::Request
    } else {
        TransportErrorKind::Other
    };
    Error::Transport(TransportError::new(kind, e.without_url()))
}

/// Whether the error says a pooled connection was closed before the request was written: hyper reports
/// that as "canceled", and the server never saw the request.
pub(crate) fn is_stale_connection(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        let text = err.to_string();
        if text.contains("operation was canceled") || text.contains("connection was not ready") {
            return true;
        }
        source = err.source();
    }
    false
}
