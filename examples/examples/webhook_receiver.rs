//! A webhook endpoint on axum that verifies and dispatches every vendor's webhooks through
//! `carewire::webhooks::WebhookReceiver`.
//!
//! ```sh
//! cargo run --example webhook_receiver            # serve on 127.0.0.1 (any free port), drive itself, exit
//! cargo run --example webhook_receiver -- --serve # keep serving on 127.0.0.1:3000 until Ctrl-C
//! ```
//!
//! One route, `POST /webhooks/{vendor}` (`medtimes`, `docplanner`), takes the **raw** body as
//! `axum::body::Bytes` together with the headers. Do not extract `Json<..>` there: Medtimes signs the exact
//! bytes it sent, and a parsed-and-reserialised body no longer verifies.
//!
//! - Medtimes: `Medtimes-Signature` (HMAC-SHA256 of the body) is checked against the endpoint secret(s), and the
//!   replay guard that `Webhooks` has by default remembers what was already processed (a Medtimes signature
//!   carries no timestamp, so a captured delivery would verify forever). Answers: 204 processed, 200 replay
//!   (acknowledged so Medtimes stops retrying, but not processed again), 400 bad signature or payload.
//! - Docplanner: pushes are not signed (Docplanner authenticates them by source IP, and optionally an agreed
//!   API-key header). The receiver refuses every push until told how to authenticate them; here it requires
//!   the agreed `X-Api-Key` header (`WebhookReceiver::docplanner_push_auth`). `slot-booking` and
//!   `booking-moving` are synchronous: the reply approves (2xx) or blocks (4xx with an `error_code`) what the
//!   patient is doing; this receiver refuses a second booking of a slot its own calendar already gave away.
//!
//! By default (and in CI) it binds 127.0.0.1:0, then drives itself: the Medtimes sandbox sends a signed
//! `claim.paid`, the same delivery is replayed, a forged one (signed with another secret) is posted, a
//! Docplanner push without the agreed key is posted, and two Docplanner `slot-booking` pushes for the same slot
//! arrive. It checks each answer, shuts down and exits non-zero if any check failed.
//!
//! With `--serve` it keeps listening on 127.0.0.1:3000 for your own tests (for example a tunnel to a vendor's
//! test environment); Medtimes deliveries are verified with `MEDTIMES_WEBHOOK_SECRET` when it is set, else with
//! the sandbox's secret, and Docplanner pushes need `X-Api-Key: demo-push-key`. Stop it with Ctrl-C.

use std::collections::HashSet;
use std::error::Error;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use carewire::WebhookError;
use carewire::core::webhook::sign_for_tests;
use carewire::docplanner::webhooks::{NotificationEvent, PushAuth, SyncReply};
use carewire::medtimes::webhooks::{EventData, Webhooks};
use carewire::testkit::medtimes::Sandbox;
use carewire::webhooks::{Vendor, WebhookEvent, WebhookReceiver};
use carewire_examples::{Mode, Story};
use serde_json::json;

/// The header and key agreed with Docplanner for pushes (in production, from your secret store).
const PUSH_KEY_HEADER: &str = "X-Api-Key";
const PUSH_KEY: &str = "demo-push-key";

/// What the handlers share: the receiver, and what "your application" did with each event.
struct App {
    receiver: WebhookReceiver,
    /// One line per event processed (stands in for your database).
    processed: Mutex<Vec<String>>,
    /// Slot starts already given away (stands in for your own calendar).
    taken_slots: Mutex<HashSet<String>>,
}

impl App {
    fn new(medtimes: Webhooks) -> Self {
        // `Webhooks` rejects replays by default (the last 10,000 deliveries, each for a week): a replay inside
        // that window is acknowledged, not processed. With several instances, give it a shared guard instead.
        let receiver =
            WebhookReceiver::new().medtimes(medtimes).docplanner_push_auth(PushAuth::new(PUSH_KEY_HEADER, PUSH_KEY));
        Self { receiver, processed: Mutex::default(), taken_slots: Mutex::default() }
    }

    fn record(&self, line: String) {
        println!("          receiver: {line}");
        self.processed.lock().unwrap_or_else(PoisonError::into_inner).push(line);
    }

    fn processed_count(&self) -> usize {
        self.processed.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

/// `POST /webhooks/{vendor}`: the raw body and the headers go to the receiver untouched.
async fn receive(State(app): State<Arc<App>>, Path(vendor): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let Ok(vendor) = vendor.parse::<Vendor>() else {
        return (StatusCode::NOT_FOUND, "no webhooks for this vendor").into_response();
    };
    let pairs = headers.iter().filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)));
    // `body` handed over owned: the event keeps these bytes as its `raw` without a copy.
    match app.receiver.receive(vendor, pairs, body) {
        Ok(WebhookEvent::Medtimes(event)) => {
            let line = match &event.data {
                EventData::ClaimPaid(paid) => {
                    format!("medtimes claim.paid: claim {:?} paid {:?} cents", paid.claim_id, paid.amount)
                }
                EventData::ClaimRejected(rejected) => {
                    format!("medtimes claim.rejected: claim {:?} ({:?})", rejected.claim_id, rejected.code_or_reason())
                }
                EventData::ConsultCompleted(done) => {
                    format!("medtimes consult.completed: prescription {:?}", done.prescription_id)
                }
                _ => format!("medtimes {}: not handled, acknowledged", event.event_type),
            };
            app.record(line);
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(WebhookEvent::Docplanner(notification)) => {
            let reply = match &notification.event {
                NotificationEvent::SlotBooking { visit_booking_request } => {
                    let start = visit_booking_request.start_at.map(|s| s.to_rfc3339()).unwrap_or_default();
                    let fresh = app.taken_slots.lock().unwrap_or_else(PoisonError::into_inner).insert(start.clone());
                    if fresh {
                        app.record(format!("docplanner slot-booking at {start}: approved"));
                        SyncReply::approve()
                    } else {
                        println!("          receiver: docplanner slot-booking at {start}: already taken, denied");
                        SyncReply::deny("slot_unavailable")
                    }
                }
                _ if notification.requires_reply() => SyncReply::approve(), // booking-moving
                _ => {
                    app.record(format!("docplanner {}: noted", notification.name));
                    return StatusCode::OK.into_response();
                }
            };
            let status = StatusCode::from_u16(reply.status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, [(header::CONTENT_TYPE, reply.content_type())], reply.body()).into_response()
        }
        Ok(other) => {
            println!("          receiver: {} {}: not handled, acknowledged", other.vendor(), other.name());
            StatusCode::NO_CONTENT.into_response()
        }
        Err(WebhookError::Replayed) => {
            println!("          receiver: {vendor} delivery already processed: acknowledged, not processed again");
            StatusCode::OK.into_response()
        }
        Err(err) => {
            // Safe to log: a WebhookError never contains the body or a secret.
            println!("          receiver: {vendor} webhook refused: {err}");
            StatusCode::BAD_REQUEST.into_response()
        }
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new().route("/webhooks/{vendor}", post(receive)).with_state(app)
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = if std::env::args().any(|arg| arg == "--serve") { serve().await.map(|()| 0) } else { drive().await };
    match result {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("webhook receiver: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `--serve`: listen on 127.0.0.1:3000 until the process is stopped.
async fn serve() -> Result<(), Box<dyn Error>> {
    let (medtimes, source) = match Webhooks::from_env() {
        Ok(webhooks) => (webhooks, "MEDTIMES_WEBHOOK_SECRET".to_owned()),
        Err(err) => (Webhooks::new(Sandbox::WEBHOOK_SECRET), format!("the sandbox's secret ({err})")),
    };
    let app = Arc::new(App::new(medtimes));
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 3000))).await?;
    println!("Listening on http://{}/webhooks/{{medtimes,docplanner}}", listener.local_addr()?);
    println!("Medtimes deliveries are verified with {source}.");
    println!("Docplanner pushes need `{PUSH_KEY_HEADER}: {PUSH_KEY}`. Stop with Ctrl-C.");
    axum::serve(listener, router(app)).await?;
    Ok(())
}

/// The default: serve on a free port, send ourselves webhooks, check the answers, shut down.
async fn drive() -> Result<usize, Box<dyn Error>> {
    let mut story = Story::begin("Webhook receiver on axum: verify, dispatch, reply", Mode::Sandbox);
    let sandbox = Sandbox::start();
    let app = Arc::new(App::new(Webhooks::new(sandbox.webhook_secret())));

    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        axum::serve(listener, router(app.clone()))
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .into_future(),
    );
    story.note(format!("listening on http://{addr}/webhooks/{{vendor}}"));
    let medtimes_url = format!("http://{addr}/webhooks/medtimes");
    let docplanner_url = format!("http://{addr}/webhooks/docplanner");
    let http = carewire::core::reqwest::Client::new();

    // Medtimes: a claim is submitted, then paid; the sandbox signs the claim.paid event and POSTs it.
    let client =
        carewire::medtimes::Client::builder().api_key(Sandbox::API_KEY).base_url(sandbox.base_url()).build()?;
    let claim = client
        .claims()
        .submit(carewire::medtimes::SubmitClaim::new(["J20.9"], 45_000).patient_id("usr_8921a").currency("zar"))
        .await?;
    let event = claim.id.as_deref().and_then(|id| sandbox.pay_claim(id)).ok_or("the sandbox has no such claim")?;
    let status = sandbox.send_webhook_async(&medtimes_url, &event).await;
    let processed = app.processed_count();
    story.check(
        "a signed claim.paid is verified and processed",
        matches!(status, Ok(204)) && processed == 1,
        format!("answered {status:?}, {processed} event(s) processed"),
    );

    // The same delivery again: verified, but the replay guard has seen it.
    let status = sandbox.send_webhook_async(&medtimes_url, &event).await;
    let processed = app.processed_count();
    story.check(
        "the same delivery replayed is not processed twice",
        matches!(status, Ok(200)) && processed == 1,
        format!("answered {status:?}, still {processed} event(s) processed"),
    );

    // A forged claim.paid, signed with a secret that is not ours.
    let forged = serde_json::to_vec(
        &json!({"id": "whevt_forged", "type": "claim.paid", "data": {"claim_id": "clm_x", "amount": 999_999}}),
    )?;
    let response = http
        .post(&medtimes_url)
        .header("Medtimes-Signature", sign_for_tests("whsec_not_the_real_one", &forged))
        .header("content-type", "application/json")
        .body(forged)
        .send()
        .await?;
    let processed = app.processed_count();
    story.check(
        "a forged webhook is refused",
        response.status() == 400 && processed == 1,
        format!("answered {}, still {processed} event(s) processed", response.status().as_u16()),
    );

    // Docplanner: a patient is about to book; the push waits for our SyncReply.
    let start = (chrono::Utc::now() + chrono::TimeDelta::days(1)).format("%Y-%m-%dT16:00:00+01:00").to_string();
    let push = slot_booking_push(&start);
    // Without the agreed key: refused before the body is looked at (no reply approves a forged booking).
    let response =
        http.post(&docplanner_url).header("content-type", "application/json").body(push.to_string()).send().await?;
    story.check(
        "a Docplanner push without the agreed key is refused",
        response.status() == 400,
        response.status().as_u16(),
    );
    for (what, expected_status, expected_body) in [
        ("a slot-booking push is approved", 200, "{}"),
        ("the same slot booked again is denied", 400, r#"{"error_code":"slot_unavailable"}"#),
    ] {
        let response = http
            .post(&docplanner_url)
            .header("content-type", "application/json")
            .header(PUSH_KEY_HEADER, PUSH_KEY)
            .body(push.to_string())
            .send()
            .await?;
        let status = response.status().as_u16();
        let body = response.text().await?;
        story.check(what, status == expected_status && body == expected_body, format!("answered {status} {body}"));
    }

    // Healthstack documents no webhooks: nothing is served for it.
    let response = http.post(format!("http://{addr}/webhooks/healthstack")).body("{}").send().await?;
    story.check("an unknown vendor is a 404", response.status() == 404, response.status().as_u16());

    let _ = stop.send(());
    server.await??;
    story.note("server shut down");
    Ok(story.end())
}

/// A `slot-booking` push shaped like Docplanner's documented example, for a visit at `start`.
fn slot_booking_push(start: &str) -> serde_json::Value {
    json!({
        "name": "slot-booking",
        "data": {
            "facility": { "id": "1", "name": "Sample hospital" },
            "doctor": { "id": "123", "name": "Sample", "surname": "Doctor 123" },
            "address": { "id": "111", "name": "Example hospital", "street": "Some street", "post_code": "00-001" },
            "visit_booking_request": {
                "booking_at": chrono::Utc::now().to_rfc3339(),
                "booking_by": "user",
                "duration": 30,
                "start_at": start,
                "address_service": { "id": "243665", "name": "USG", "price": 50, "is_price_from": false, "is_visible": true },
                "patient": {
                    "name": "Abraham", "surname": "Lincoln", "email": "example@example.com", "phone": "+48123123123",
                    "birth_date": "1985-01-01", "gender": "m"
                },
                "comment": "First visit"
            }
        },
        "created_at": chrono::Utc::now().to_rfc3339()
    })
}
