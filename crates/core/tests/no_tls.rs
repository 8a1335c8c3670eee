//! A build without any TLS feature (`--no-default-features --features rustcrypto`: a crypto library is
//! still needed for webhooks): an https URL is a configuration error at build time, not a late "could not
//! connect". CI runs it with `cargo test -p carewire-core --no-default-features --features rustcrypto --test
//! no_tls`; with a TLS feature it checks the opposite.

use carewire_core::auth::OAuth2ClientCredentials;
use carewire_core::{ClientConfig, Error, Transport};

#[test]
fn https_needs_a_tls_backend() {
    let built = Transport::builder("v", ClientConfig::new("https://api.medtimes.health").unwrap()).build();
    let token = OAuth2ClientCredentials::new("https://www.znanylekarz.pl/oauth/v2/token", "id", "secret");
    if carewire_core::config::tls_compiled_in() {
        assert!(built.is_ok());
        assert!(token.is_ok());
    } else {
        let err = built.unwrap_err();
        assert!(matches!(err, Error::Config(ref m) if m.contains("no TLS backend") && m.contains("rustls")), "{err}");
        assert!(matches!(token, Err(Error::Config(_))));
        // Loopback http needs no TLS and still works.
        assert!(Transport::builder("v", ClientConfig::new("http://127.0.0.1:1").unwrap()).build().is_ok());
        // Your own client may bring TLS: then carewire does not second-guess it.
        let own = ClientConfig::new("https://api.medtimes.health").unwrap().http_client(reqwest::Client::new());
        assert!(Transport::builder("v", own).build().is_ok());
    }
}
