//! Every request runs in one span with exactly the documented fields, and no secret or patient data
//! reaches a log line, a `Debug` or an error.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use carewire_core::auth::{ApiKeyHeader, BearerToken, OAuth2ClientCredentials, TokenCache};
use carewire_core::{ClientConfig, Request, RetryPolicy, Transport};
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Default, Clone)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next: Arc<Mutex<u64>>,
}

struct Collect<'a>(&'a mut Vec<(String, String)>);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut fields = Vec::new();
        attrs.record(&mut Collect(&mut fields));
        self.lines.lock().unwrap().push(format!("span {} {:?}", attrs.metadata().name(), fields));
        let mut n = self.next.lock().unwrap();
        *n += 1;
        Id::from_u64(*n)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut fields = Vec::new();
        values.record(&mut Collect(&mut fields));
        self.lines.lock().unwrap().push(format!("record {fields:?}"));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Collect(&mut fields));
        self.lines.lock().unwrap().push(format!("event {fields:?}"));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

const SECRETS: &[&str] = &["sk_live_SECRET", "8001015009087", "Jane", "ct_consent", "s3cret", "Doe"];

#[tokio::test(flavor = "current_thread")]
async fn the_request_span_has_the_documented_fields_and_nothing_else() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"error": "Jane Doe"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "Jane Doe"})))
        .mount(&server)
        .await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let cfg = ClientConfig::new(&server.uri())
        .unwrap()
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)));
    let t = Transport::builder("healthstack", cfg)
        .credentials(BearerToken::new("sk_live_SECRET").unwrap())
        .build()
        .unwrap();
    let req = Request::get("/patients/{health_id}")
        .operation("patients.get")
        .path_param("health_id", "8001015009087")
        .query("name", "Jane")
        .header("x-consent-token", "ct_consent")
        .json(&json!({"q": "Doe"}));
    let v: Value = t.send(req).await.unwrap();
    assert_eq!(v["name"], "Jane Doe");

    let lines = capture.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    let span = lines.iter().find(|l| l.starts_with("span carewire.request")).expect("a request span");
    for field in ["vendor", "operation", "method", "path"] {
        assert!(span.contains(&format!("(\"{field}\"")), "{span}");
    }
    assert!(
        span.contains("healthstack") && span.contains("patients.get") && span.contains("/patients/{health_id}"),
        "{span}"
    );
    for field in ["status", "attempt", "latency_ms"] {
        assert!(all.contains(&format!("(\"{field}\"")), "{field} never recorded:\n{all}");
    }
    assert!(all.contains("(\"status\", \"503\")") && all.contains("(\"status\", \"200\")"), "{all}");
    assert!(all.contains("(\"attempt\", \"2\")"), "{all}");
    let allowed = ["vendor", "operation", "method", "path", "status", "attempt", "latency_ms", "message"];
    for line in &lines {
        for (i, _) in line.match_indices("(\"") {
            let rest = &line[i + 2..];
            let name = &rest[..rest.find('"').unwrap()];
            assert!(allowed.contains(&name), "unexpected field {name} in {line}");
        }
    }
    for s in SECRETS {
        assert!(!all.contains(s), "{s} leaked into traces:\n{all}");
    }
}

#[test]
fn debug_of_configs_clients_and_credentials_is_redacted() {
    let bearer = BearerToken::new("sk_live_SECRET").unwrap();
    let api_key = ApiKeyHeader::new("api-key", "sk_live_SECRET").unwrap();
    let oauth = OAuth2ClientCredentials::new("https://auth.example.com/token", "client", "s3cret").unwrap();
    let cache = TokenCache::new(oauth);
    let cfg = ClientConfig::new("https://api.example.com").unwrap();
    let t =
        Transport::builder("v", cfg.clone()).credentials(BearerToken::new("sk_live_SECRET").unwrap()).build().unwrap();
    let shown = format!("{bearer:?} {api_key:?} {cache:?} {cfg:?} {t:?} {:?}", cache.source());
    assert!(shown.contains("[REDACTED]"), "{shown}");
    for s in SECRETS {
        assert!(!shown.contains(s), "{s} leaked: {shown}");
    }
}
