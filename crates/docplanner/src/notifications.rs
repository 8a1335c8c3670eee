//! The notification queue: pull one, pull many (as a stream), release undelivered pushes.

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::{
    Error, Page, PageStream, Paginator, RawResponse, Request, Result, RetryPolicy, Strategy, VendorError,
};
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::common::{Extra, unit};
use crate::error::DocplannerError;
use crate::macros::operation;
use crate::webhooks::Notification;

/// One batch of `GET /notifications/multiple`. `notifications` is required: an answer without it is a decode
/// error, not an empty batch (an empty queue is the API's 404, see [`NotificationsHandler::pull_many`]).
///
/// Pulled notifications leave the queue, so one malformed entry must not cost the others: an entry that is
/// not a notification (no `name`) does not fail the batch; it is kept, raw, in
/// [`NotificationBatch::unreadable`]. `Debug` does not show those entries.
///
/// It serializes back to the wire shape: `notifications` (the readable ones, then the unreadable ones),
/// `remaining` and the `extra` fields.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct NotificationBatch {
    /// The notifications, oldest first. Each carries its `name` ([`Notification`]).
    pub notifications: Vec<Notification>,
    /// Entries of the batch that were not notifications, as received (they may contain patient data).
    pub unreadable: Vec<serde_json::Value>,
    /// How many are still queued.
    pub remaining: Option<i64>,
    /// Anything else the API sent.
    pub extra: Extra,
}

carewire_core::redacted_debug!(NotificationBatch {
    show: [notifications, remaining],
    redact: [unreadable],
    keys: [extra],
});

impl Serialize for NotificationBatch {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Entry<'a> {
            Read(&'a Notification),
            Unread(&'a serde_json::Value),
        }
        #[derive(Serialize)]
        struct Wire<'a> {
            notifications: Vec<Entry<'a>>,
            remaining: Option<i64>,
            #[serde(flatten)]
            extra: &'a Extra,
        }
        let read = self.notifications.iter().map(Entry::Read);
        let notifications = read.chain(self.unreadable.iter().map(Entry::Unread)).collect();
        Wire { notifications, remaining: self.remaining, extra: &self.extra }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for NotificationBatch {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            notifications: Vec<serde_json::Value>,
            #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
            remaining: Option<i64>,
            #[serde(flatten)]
            extra: Extra,
        }
        let w = Wire::deserialize(d)?;
        let mut batch = Self { remaining: w.remaining, extra: w.extra, ..Self::default() };
        for entry in w.notifications {
            match Notification::deserialize(&entry) {
                Ok(n) => batch.notifications.push(n),
                Err(_) => batch.unreadable.push(entry),
            }
        }
        Ok(batch)
    }
}

/// Turns the queue's "No notifications found" 404 into `None`.
fn empty_queue_as_none<T>(r: Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if DocplannerError::from_error(&e).is_some_and(|d| d.is_no_notifications()) => Ok(None),
        Err(e) => Err(e),
    }
}

operation! {
    /// `GET /notifications` (`pullNotification`): the oldest queued notification, removed from the queue. An
    /// empty queue is the API's 404 "No notifications found" ([`NotificationsHandler::pull`] makes it `None`).
    #[derive(Default)]
    #[non_exhaustive]
    PullNotification {}
    /// Pulls one.
    fn new;
    const SPEC = Spec::get("/notifications").name("notifications.pull");
    type Output = Notification;
}

/// `GET /notifications/multiple?limit=N` (`pullMultipleNotification`, 1 to 100, checked before sending): up to
/// `limit` notifications and how many remain. An empty queue is the API's 404
/// ([`NotificationsHandler::pull_many`] makes it an empty batch).
#[derive(Clone, Debug)]
pub struct PullNotifications {
    limit: u32,
}

impl PullNotifications {
    /// Pulls up to `limit` (1 to 100).
    pub fn new(limit: u32) -> Self {
        Self { limit }
    }
}

impl Operation for PullNotifications {
    type Output = NotificationBatch;
    const SPEC: Spec = Spec::get("/notifications/multiple").name("notifications.pull_multiple");
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        if !(1..=100).contains(&self.limit) {
            return Err(Error::invalid_request("limit", "must be between 1 and 100"));
        }
        Ok(Self::SPEC.request().query("limit", self.limit))
    }
    fn decode(&self, raw: RawResponse) -> Result<NotificationBatch> {
        raw.json()
    }
}

/// `POST /notifications/release` (`releaseNotifications`, 204): re-dispatches failed pushes. Allowed once an
/// hour, so it is sent with [`RetryPolicy::none`] (a per-call `.retry(..)` overrides that): a second call
/// fails at once with [`Error::RateLimited`] whose `retry_after()` says how long to wait, instead of sleeping
/// for an hour. 403 for clients not on push.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ReleaseNotifications;

impl ReleaseNotifications {
    /// The release.
    pub fn new() -> Self {
        Self
    }
}

impl Operation for ReleaseNotifications {
    type Output = ();
    const SPEC: Spec = Spec::post("/notifications/release").name("notifications.release");
    fn request(&self, _enc: &Encodings) -> Result<Request> {
        Ok(Self::SPEC.request().retry_policy(RetryPolicy::none()))
    }
    fn decode(&self, raw: RawResponse) -> Result<()> {
        unit(&raw)
    }
}

/// `client.notifications()`.
#[derive(Clone, Debug)]
pub struct NotificationsHandler {
    client: Client,
}

impl NotificationsHandler {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /notifications` ([`PullNotification`]): the oldest queued notification, removed from the queue;
    /// `None` when the queue is empty (the API's 404 "No notifications found"; other 404s stay errors). A 2xx
    /// answer without a notification `name` is a decode error.
    pub async fn pull(&self) -> Result<Option<Notification>> {
        empty_queue_as_none(self.client.send(PullNotification::new()).await)
    }

    /// `GET /notifications/multiple?limit=N` ([`PullNotifications`], 1 to 100): up to `limit` notifications and
    /// how many remain. An empty queue is an empty batch.
    pub async fn pull_many(&self, limit: u32) -> Result<NotificationBatch> {
        Ok(empty_queue_as_none(self.client.send(PullNotifications::new(limit)).await)?.unwrap_or_default())
    }

    /// Drains the queue as a stream: batches of `limit` (1 to 100), pulled while the API says `remaining > 0`.
    /// Each notification is removed from the queue when its batch is pulled. Entries that are not
    /// notifications are skipped with a `tracing` warning (their count only); use
    /// [`NotificationsHandler::pull_many`] to keep them ([`NotificationBatch::unreadable`]).
    pub fn stream(&self, limit: u32) -> PageStream<Notification> {
        let this = self.clone();
        Paginator::new(Strategy::NextLink, move |_| {
            let this = this.clone();
            async move {
                let batch = this.pull_many(limit).await?;
                if !batch.unreadable.is_empty() {
                    tracing::warn!(count = batch.unreadable.len(), "skipped pulled entries that are not notifications");
                }
                let pulled = batch.notifications.len() + batch.unreadable.len();
                let more = batch.remaining.is_some_and(|r| r > 0) && pulled > 0;
                // The queue is the cursor: a fresh token per batch keeps the paginator going.
                let next = more.then(carewire_core::request::generate_idempotency_key);
                Ok(Page::new(batch.notifications).next(next))
            }
        })
        .items()
    }

    /// `POST /notifications/release` ([`ReleaseNotifications`], 204), never retried unless you say so.
    pub fn release(&self) -> Call<ReleaseNotifications> {
        self.client.send(ReleaseNotifications)
    }
}
