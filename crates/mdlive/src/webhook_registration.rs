//! Registering the webhook URL (#70): `POST /api/v1/webhook` creates or updates the partner's one webhook
//! URL, with the API token. MDLIVE wants a secure URL, so anything but `https://` is refused before sending.

use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::Client;

/// The webhook registration MDLIVE holds.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Webhook {
    /// The URL events are posted to.
    #[serde(default)]
    pub url: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /api/v1/webhook`: creates or updates the partner's webhook URL (an `https://` URL).
///
/// ```no_run
/// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
/// let op = carewire::mdlive::RegisterWebhook::new("https://hooks.example.com/mdlive/8f3c2a");
/// let webhook = client.send(op).await?;
/// # let _ = webhook; Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterWebhook {
    url: String,
}

impl RegisterWebhook {
    /// Registers `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }
}

fn check_https(url: &str) -> Result<()> {
    let parsed =
        url::Url::parse(url.trim()).map_err(|_| Error::invalid_request("webhook.url", "is not a valid URL"))?;
    if parsed.scheme() != "https" || parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid_request("webhook.url", "must be an https URL (MDLIVE requires a secure URL)"));
    }
    Ok(())
}

impl Operation for RegisterWebhook {
    type Output = Webhook;
    // Create-or-update of one URL: sending it twice leaves the same registration.
    const SPEC: Spec =
        Spec::post("/api/v1/webhook").name("webhooks.register").scope(Scope::Client).json().idempotent(true);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        check_https(&self.url)?;
        Ok(Self::SPEC.request().json(&json!({"webhook": {"url": self.url.trim()}})))
    }

    fn decode(&self, raw: RawResponse) -> Result<Webhook> {
        #[derive(Deserialize)]
        struct Envelope {
            webhook: Webhook,
        }
        raw.json::<Envelope>().map(|e| e.webhook)
    }
}

/// Webhook registration; from [`Client::webhooks`].
#[derive(Clone, Debug)]
pub struct WebhookRegistration {
    client: Client,
}

impl Client {
    /// Webhook registration (`POST /api/v1/webhook`, with the API token). Receiving events is
    /// [`webhooks::parse`](crate::webhooks::parse).
    pub fn webhooks(&self) -> WebhookRegistration {
        WebhookRegistration { client: self.clone() }
    }
}

impl WebhookRegistration {
    /// Creates or updates the webhook URL.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::mdlive::Client) -> carewire::Result<()> {
    /// let webhook = client.webhooks().register("https://hooks.example.com/mdlive/8f3c2a").await?;
    /// println!("events go to {:?}", webhook.url);
    /// # Ok(()) }
    /// ```
    pub fn register(&self, url: impl Into<String>) -> Call<RegisterWebhook> {
        self.client.send(RegisterWebhook::new(url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_urls_are_registered() {
        assert!(check_https("https://hooks.example.com/x").is_ok());
        for bad in ["http://hooks.example.com/x", "", "hooks.example.com", "ftp://x", "https://"] {
            let err = check_https(bad).unwrap_err();
            assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == "webhook.url"), "{bad}");
        }
    }
}
