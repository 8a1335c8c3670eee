//! The OAuth2 client-credentials grant ([`OAuth2ClientCredentials`]), whose token requests go through a
//! [`Transport`] like every other call: retries, timeouts, the response size limit, the tracing span and
//! the vendor's HTTP settings apply to them too.

use std::fmt;
use std::time::Duration;

use crate::BoxFuture;
use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::OnceCell;

use super::{Token, TokenSource, sensitive_value};
use crate::config::{ClientConfig, Settings};
use crate::error::{AuthError, Error, Result};
use crate::request::Request;
use crate::transport::Transport;

/// How the OAuth2 client authenticates to the token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ClientAuthStyle {
    /// HTTP Basic `client_id:client_secret` (RFC 6749 §2.3.1's preferred way).
    #[default]
    BasicHeader,
    /// `client_id` and `client_secret` in the form body.
    RequestBody,
}

/// The largest token answer read by default: a token answer is a few hundred bytes.
const DEFAULT_TOKEN_RESPONSE_BYTES: usize = 64 * 1024;

/// OAuth2 client-credentials grant as a [`TokenSource`].
///
/// The token request is sent through its own [`Transport`] (no credentials of its own), built on first use
/// from the [`Settings`] given with [`OAuth2ClientCredentials::settings`] (a vendor client hands over its
/// own: timeouts, retry policy, user agent, HTTP client), so it is retried, time-limited, size-limited and
/// traced like any call.
///
/// # Examples
///
/// ```
/// use carewire_core::auth::{ClientAuthStyle, OAuth2ClientCredentials, TokenCache};
///
/// let source = OAuth2ClientCredentials::new("https://www.znanylekarz.pl/oauth/v2/token", "id", "secret")
///     .unwrap()
///     .scope("integration")
///     .auth_style(ClientAuthStyle::BasicHeader);
/// let creds = TokenCache::new(source);
/// assert!(!format!("{creds:?}").contains("secret"));
/// ```
pub struct OAuth2ClientCredentials {
    token_url: url::Url,
    client_id: String,
    client_secret: SecretString,
    scopes: Vec<String>,
    style: ClientAuthStyle,
    default_expiry: Duration,
    vendor: &'static str,
    settings: Settings,
    max_response_bytes: usize,
    allow_insecure_http: bool,
    transport: OnceCell<Transport>,
}

impl OAuth2ClientCredentials {
    /// A source for `token_url` with these client credentials. An empty id or secret is a config error, and
    /// so is a plain `http://` URL to a host that is not loopback: the client secret would travel in clear
    /// text (see [`OAuth2ClientCredentials::new_allowing_insecure_http`]).
    pub fn new(token_url: &str, client_id: impl Into<String>, client_secret: impl Into<SecretString>) -> Result<Self> {
        Self::with_scheme_rule(token_url, client_id.into(), client_secret.into(), false)
    }

    /// Like [`OAuth2ClientCredentials::new`], but accepts `http://` to any host. The client secret and the
    /// tokens then travel in clear text: use it only behind a TLS-terminating proxy you control.
    pub fn new_allowing_insecure_http(
        token_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Result<Self> {
        Self::with_scheme_rule(token_url, client_id.into(), client_secret.into(), true)
    }

    fn with_scheme_rule(
        token_url: &str,
        client_id: String,
        client_secret: SecretString,
        allow_insecure_http: bool,
    ) -> Result<Self> {
        let token_url =
            url::Url::parse(token_url).map_err(|_| Error::config("the OAuth2 token URL is not a valid URL"))?;
        if !matches!(token_url.scheme(), "http" | "https") || token_url.host_str().is_none() {
            return Err(Error::config("the OAuth2 token URL must be an https URL"));
        }
        crate::config::require_secure_url(&token_url, allow_insecure_http, "the OAuth2 token URL")?;
        crate::http::require_tls_for(&token_url)?;
        if client_id.trim().is_empty() {
            return Err(Error::config("the OAuth2 client id is empty"));
        }
        if client_secret.expose_secret().trim().is_empty() {
            return Err(Error::config("the OAuth2 client secret is empty"));
        }
        Ok(Self {
            token_url,
            client_id,
            client_secret,
            scopes: Vec::new(),
            style: ClientAuthStyle::default(),
            default_expiry: Duration::from_secs(3600),
            vendor: "oauth2",
            settings: Settings::default(),
            max_response_bytes: DEFAULT_TOKEN_RESPONSE_BYTES,
            allow_insecure_http,
            transport: OnceCell::new(),
        })
    }

    /// The largest token answer read (default 64 KiB: a token answer is a few hundred bytes).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self.transport = OnceCell::new();
        self
    }
    /// Adds a scope (sent space-separated).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }
    /// Chooses Basic header (default) or credentials in the body.
    pub fn auth_style(mut self, style: ClientAuthStyle) -> Self {
        self.style = style;
        self
    }
    /// The lifetime assumed when the response has no `expires_in` (default one hour).
    pub fn default_expiry(mut self, d: Duration) -> Self {
        self.default_expiry = d;
        self
    }
    /// The transport settings of the token requests (a vendor client passes its own, so that its timeouts,
    /// retry policy, user agent and HTTP client apply to token requests too). The response size limit stays
    /// [`OAuth2ClientCredentials::max_response_bytes`].
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self.transport = OnceCell::new();
        self
    }
    /// Uses this HTTP client for the token endpoint (its TLS and redirect settings are then yours).
    pub fn http_client(self, client: reqwest::Client) -> Self {
        let settings = self.settings.clone().http_client(client);
        self.settings(settings)
    }
    /// The vendor name token requests are reported under in errors and spans (default `"oauth2"`).
    pub fn vendor(mut self, vendor: &'static str) -> Self {
        self.vendor = vendor;
        self.transport = OnceCell::new();
        self
    }
    /// The token URL.
    pub fn token_url(&self) -> &url::Url {
        &self.token_url
    }

    fn build_transport(&self) -> Result<Transport> {
        let mut origin = self.token_url.clone();
        origin.set_path("/");
        origin.set_query(None);
        origin.set_fragment(None);
        let mut config = self.settings.clone().apply(ClientConfig::new(origin.as_str())?);
        config = config.max_response_bytes(self.max_response_bytes);
        if self.allow_insecure_http {
            config = config.allow_insecure_http();
        }
        Transport::builder(self.vendor, config).build()
    }

    fn token_request(&self) -> Result<Request> {
        let mut pairs: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        let scope = self.scopes.join(" ");
        if !scope.is_empty() {
            pairs.push(("scope", &scope));
        }
        // The token URL is a literal path: braces in it are not template parameters.
        let path = self.token_url.path().replace('{', "%7B").replace('}', "%7D");
        let mut req =
            Request::post(path).operation("oauth2.token").idempotent(true).header("accept", "application/json");
        for (k, v) in self.token_url.query_pairs() {
            req = req.query(k.into_owned(), v);
        }
        match self.style {
            ClientAuthStyle::BasicHeader => {
                let raw = format!("{}:{}", self.client_id, self.client_secret.expose_secret());
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                // Checked here so that a secret that cannot be a header is a config error, not a send failure.
                sensitive_value(&format!("Basic {encoded}"), "the client credentials")?;
                req = req.header("authorization", format!("Basic {encoded}"));
            }
            ClientAuthStyle::RequestBody => {
                pairs.push(("client_id", &self.client_id));
                pairs.push(("client_secret", self.client_secret.expose_secret()));
            }
        }
        let form = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        Ok(req.body(crate::request::Body::Form(form.into())))
    }
}

impl fmt::Debug for OAuth2ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2ClientCredentials")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &"[REDACTED]")
            .field("scopes", &self.scopes)
            .field("style", &self.style)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default, deserialize_with = "crate::de::opt_number_or_string_i64")]
    expires_in: Option<i64>,
}

impl TokenSource for OAuth2ClientCredentials {
    fn fetch(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(async move {
            let auth_error = |message: &'static str, cause: Error| {
                let status = cause.status();
                let mut err = AuthError::new(message);
                if let Some(status) = status {
                    err = err.with_status(status);
                }
                Error::Auth(err.with_source(cause))
            };
            let transport = self
                .transport
                .get_or_try_init(|| async { self.build_transport() })
                .await
                .map_err(|e| auth_error("the token endpoint's client could not be built", e))?;
            let req = self.token_request()?;
            let raw = transport.execute(req).await.map_err(|e| match &e {
                Error::Api(_) | Error::RateLimited(_) => {
                    auth_error("the token endpoint refused the client credentials", e)
                }
                Error::TooLarge(_) | Error::Decode(_) => auth_error("the token response could not be read", e),
                _ => auth_error("the token endpoint could not be reached", e),
            })?;
            let status = raw.meta.status;
            let parsed: TokenResponse = serde_json::from_slice(&raw.body).map_err(|_| {
                Error::Auth(
                    AuthError::new("the token endpoint's answer has no usable `access_token`").with_status(status),
                )
            })?;
            if parsed.access_token.is_empty() {
                return Err(Error::Auth(
                    AuthError::new("the token endpoint returned an empty token").with_status(status),
                ));
            }
            let expires_in = match parsed.expires_in {
                Some(s) if s > 0 => crate::ratelimit::server_whole_seconds(s.unsigned_abs()),
                _ => self.default_expiry,
            };
            Ok(Token::new(parsed.access_token, Some(expires_in)))
        })
    }
}
