//! The shared replay guard: one atomic `SET NX PX` per delivery, so that a webhook accepted by one replica
//! is a replay for all, and what happens when Redis does not answer ([`ReplayFallback`]).

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use carewire_core::BoxFuture;
use carewire_core::webhook::{MemoryReplayGuard, ReplayGuard, WebhookError};

use crate::state::Inner;

/// What the replay guard does when Redis does not answer.
///
/// # Examples
///
/// ```
/// use carewire_redis::ReplayFallback;
///
/// assert_eq!(ReplayFallback::default(), ReplayFallback::Refuse);
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReplayFallback {
    /// Refuse the delivery with [`WebhookError::ReplayCheckUnavailable`] (the default, fail closed): answer
    /// 503 and the vendor delivers it again later, when Redis is back. No replay gets through.
    #[default]
    Refuse,
    /// Check against this process's own memory instead (a bounded [`MemoryReplayGuard`]), with a `tracing`
    /// warning: deliveries keep flowing, but a webhook replayed to another replica during the outage is
    /// accepted there.
    Local,
}

/// A [`ReplayGuard`] on Redis: every key is written once with `SET NX` and an expiry (the state's
/// `replay_ttl`, 7 days by default), namespaced per vendor. Get one from
/// [`RedisState::replay_guard`](crate::RedisState::replay_guard).
///
/// Must be awaited: receive with the vendor's asynchronous receive (Medtimes'
/// `Webhooks::receive_async`).
#[derive(Clone)]
pub struct RedisReplayGuard {
    state: Arc<Inner>,
    prefix: String,
    local: Arc<MemoryReplayGuard>,
    down: Arc<AtomicBool>,
}

impl fmt::Debug for RedisReplayGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisReplayGuard")
            .field("namespace", &self.prefix)
            .field("when_unavailable", &self.state.replay_fallback)
            .finish_non_exhaustive()
    }
}

impl RedisReplayGuard {
    pub(crate) fn new(state: Arc<Inner>, namespace: &str) -> Self {
        let prefix = state.key(namespace, "replay");
        Self { state, prefix, local: Arc::default(), down: Arc::default() }
    }
}

impl ReplayGuard for RedisReplayGuard {
    fn check_and_record<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool, WebhookError>> {
        Box::pin(async move {
            let redis_key = format!("{}:{}", self.prefix, self.state.name(key));
            let ttl = u64::try_from(self.state.replay_ttl.as_millis()).unwrap_or(u64::MAX).max(1);
            let mut cmd = redis::cmd("SET");
            cmd.arg(&redis_key).arg(1).arg("NX").arg("PX").arg(ttl);
            match self.state.conn.query::<Option<String>>(&cmd).await {
                Ok(answer) => {
                    if self.down.swap(false, Ordering::Relaxed) {
                        tracing::info!("the shared replay guard answers again");
                    }
                    // During a local fallback, deliveries seen here are remembered here too.
                    let first = answer.is_some();
                    Ok(if self.local.is_empty() { first } else { self.local.check_and_record(key) && first })
                }
                Err(unavailable) => {
                    if !self.down.swap(true, Ordering::Relaxed) {
                        tracing::warn!(
                            reason = unavailable.reason(),
                            fallback = ?self.state.replay_fallback,
                            "the shared replay guard is unavailable"
                        );
                    }
                    match self.state.replay_fallback {
                        ReplayFallback::Local => Ok(self.local.check_and_record(key)),
                        _ => Err(WebhookError::ReplayCheckUnavailable {
                            reason: "the shared replay guard (Redis) did not answer",
                        }),
                    }
                }
            }
        })
    }
}
