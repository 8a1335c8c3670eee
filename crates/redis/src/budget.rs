//! The shared rate budget: sliding windows as sorted sets, checked and taken by one Lua script (atomic, on
//! the Redis server's clock, so replicas' clocks do not matter), a shared pause for a vendor's "spent", and
//! the vendor's counts added to the windows ([`RateBudget::observe`]).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use carewire_core::BoxFuture;
use carewire_core::ratelimit::{RateBudget, Window};
use carewire_core::shared::{Unavailable, WhenUnavailable};
use redis::Script;

use crate::state::Inner;

/// KEYS[1] the pause, KEYS[2..] the windows; ARGV[1] a unique member, then a (capacity, window ms) pair per
/// window. Returns 0 when the request was taken from every window, else the milliseconds to wait.
const ACQUIRE: &str = r"
if redis.replicate_commands then pcall(redis.replicate_commands) end
local paused = redis.call('PTTL', KEYS[1])
if paused > 0 then return paused end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i = 2, #KEYS do
  local cap = tonumber(ARGV[2 * i - 2])
  local win = tonumber(ARGV[2 * i - 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - win)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= cap then
    local oldest = redis.call('ZRANGE', KEYS[i], count - cap, count - cap, 'WITHSCORES')
    local free = tonumber(oldest[2]) + win - now
    if free > wait then wait = free end
  end
end
if wait > 0 then return math.max(1, math.ceil(wait)) end
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 * i - 1]))
end
return 0
";

/// KEYS[1] the pause, KEYS[2..] windows; ARGV[1] the pause in ms (0: none), ARGV[2] a unique prefix, then
/// a (window ms, at least) pair per window: the window is filled up to `at least` requests.
const OBSERVE: &str = r"
if redis.replicate_commands then pcall(redis.replicate_commands) end
local pause = tonumber(ARGV[1])
if pause > 0 and redis.call('PTTL', KEYS[1]) < pause then
  redis.call('SET', KEYS[1], '1', 'PX', pause)
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #KEYS do
  local win = tonumber(ARGV[2 * i - 1])
  local least = tonumber(ARGV[2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - win)
  local count = redis.call('ZCARD', KEYS[i])
  for j = count + 1, least do
    redis.call('ZADD', KEYS[i], now, ARGV[2] .. ':' .. j)
  end
  if least > count then redis.call('PEXPIRE', KEYS[i], win) end
end
return 0
";

/// A [`RateBudget`] on Redis, shared by every process using the same namespace (a vendor and its
/// credential). Get one from [`RedisState::rate_budget`](crate::RedisState::rate_budget).
///
/// A window is a sorted set of request times per method class and window length, trimmed and counted by
/// a Lua script on the server's clock, so a budget is never exceeded in any window, whatever the
/// replicas' clocks say.
#[derive(Clone)]
pub struct RedisRateBudget {
    state: Arc<Inner>,
    prefix: String,
    acquire: Arc<Script>,
    observe: Arc<Script>,
}

impl fmt::Debug for RedisRateBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisRateBudget")
            .field("namespace", &self.prefix)
            .field("when_unavailable", &self.state.rate_fallback)
            .finish_non_exhaustive()
    }
}

impl RedisRateBudget {
    pub(crate) fn new(state: Arc<Inner>, namespace: &str) -> Self {
        let prefix = state.key(namespace, "rl");
        Self { state, prefix, acquire: Arc::new(Script::new(ACQUIRE)), observe: Arc::new(Script::new(OBSERVE)) }
    }

    fn window_key(&self, window: &Window) -> String {
        format!("{}:{}:{}", self.prefix, window.class.as_str(), window.per.as_millis())
    }

    fn pause_key(&self) -> String {
        format!("{}:pause", self.prefix)
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl RateBudget for RedisRateBudget {
    fn try_acquire<'a>(&'a self, windows: &'a [Window]) -> BoxFuture<'a, Result<Option<Duration>, Unavailable>> {
        Box::pin(async move {
            let mut invocation = self.acquire.key(self.pause_key());
            invocation.arg(crate::state::unique_id());
            for window in windows {
                invocation.key(self.window_key(window)).arg(window.capacity).arg(millis(window.per));
            }
            let wait: i64 = self.state.conn.script(&invocation).await?;
            Ok((wait > 0).then(|| Duration::from_millis(wait.unsigned_abs())))
        })
    }

    fn observe<'a>(
        &'a self,
        pause: Option<Duration>,
        in_step: &'a [(Window, usize)],
    ) -> BoxFuture<'a, Result<(), Unavailable>> {
        Box::pin(async move {
            let mut invocation = self.observe.key(self.pause_key());
            invocation.arg(pause.map_or(0, millis)).arg(crate::state::unique_id());
            for (window, at_least) in in_step {
                invocation.key(self.window_key(window)).arg(millis(window.per)).arg(*at_least);
            }
            let _: i64 = self.state.conn.script(&invocation).await?;
            Ok(())
        })
    }

    fn when_unavailable(&self) -> WhenUnavailable {
        self.state.rate_fallback
    }
}
