//! Rate limits: what the vendor tells us, a client-side limiter that waits instead of earning a 429, and
//! the [`RateBudget`] through which several processes (replicas) share one vendor budget.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use crate::BoxFuture;
use tokio::time::Instant;

use crate::error::{Error, TransportError, TransportErrorKind};
use crate::request::Method;
use crate::shared::{Unavailable, WhenUnavailable};

/// A snapshot of the `X-RateLimit-*` headers of one response.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: the budget of the current window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: what is left of it.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Used`: what was spent (sent by some vendors instead of `remaining`).
    pub used: Option<u64>,
    /// Time from the response until the window resets, from `X-RateLimit-Reset`.
    pub reset_after: Option<Duration>,
    /// `Retry-After`, when the response carried one.
    pub retry_after: Option<Duration>,
}

impl RateLimit {
    /// Whether the window is spent.
    pub fn is_exhausted(&self) -> bool {
        self.remaining == Some(0) || matches!((self.limit, self.used), (Some(l), Some(u)) if u >= l && l > 0)
    }
}

/// Parses rate-limit headers; `None` when the response has none of them.
///
/// `lookup` returns a header's value by (lowercase) name. `now` anchors epoch and date resets.
///
/// # Examples
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use carewire_core::ratelimit::parse_rate_limit;
///
/// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let headers = [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1700000030")];
/// let rl = parse_rate_limit(|n| headers.iter().find(|(k, _)| *k == n).map(|(_, v)| *v), now).unwrap();
/// assert_eq!(rl.remaining, Some(0));
/// assert_eq!(rl.reset_after, Some(Duration::from_secs(30)));
/// ```
pub fn parse_rate_limit<'a>(lookup: impl Fn(&str) -> Option<&'a str>, now: SystemTime) -> Option<RateLimit> {
    let num = |name: &str| lookup(name).and_then(|v| v.trim().parse::<u64>().ok());
    let rl = RateLimit {
        limit: num("x-ratelimit-limit"),
        remaining: num("x-ratelimit-remaining"),
        used: num("x-ratelimit-used"),
        reset_after: lookup("x-ratelimit-reset").and_then(|v| parse_reset(v, now)),
        retry_after: lookup("retry-after").and_then(|v| parse_retry_after(v, now)),
    };
    (rl != RateLimit::default()).then_some(rl)
}

/// Values at or above this are epoch seconds rather than a number of seconds to wait.
const EPOCH_THRESHOLD: u64 = 1_000_000_000;

/// The longest duration carewire accepts from a server (a rate-limit reset, a `Retry-After`, a token's
/// `expires_in`): 366 days. Larger values, however they are written (`1e300`, `99999999999999999999`, a date
/// in the year 9999), are clamped to it, so no server can make a timer overflow. Waits are bounded much
/// further by [`crate::RetryPolicy::max_retry_after`] and [`RateLimiter::max_pause`].
pub const MAX_SERVER_DURATION: Duration = Duration::from_secs(366 * 24 * 3600);

/// A server-supplied number of seconds as a [`Duration`], clamped to [`MAX_SERVER_DURATION`]; `None` for a
/// negative or non-finite value.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use carewire_core::ratelimit::{MAX_SERVER_DURATION, server_seconds};
///
/// assert_eq!(server_seconds(1.5), Some(Duration::from_millis(1500)));
/// assert_eq!(server_seconds(1e300), Some(MAX_SERVER_DURATION));
/// assert_eq!(server_seconds(f64::NAN), None);
/// assert_eq!(server_seconds(-1.0), None);
/// ```
pub fn server_seconds(secs: f64) -> Option<Duration> {
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    if secs >= MAX_SERVER_DURATION.as_secs_f64() {
        return Some(MAX_SERVER_DURATION);
    }
    Duration::try_from_secs_f64(secs).ok().map(|d| d.min(MAX_SERVER_DURATION))
}

/// A server-supplied whole number of seconds, clamped to [`MAX_SERVER_DURATION`].
pub fn server_whole_seconds(secs: u64) -> Duration {
    Duration::from_secs(secs).min(MAX_SERVER_DURATION)
}

/// Parses `X-RateLimit-Reset`: seconds to wait, epoch seconds, or an ISO 8601 date-time or date.
pub fn parse_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if v.len() > 64 {
        return None;
    }
    if let Ok(n) = v.parse::<u64>() {
        return Some(if n >= EPOCH_THRESHOLD { until_epoch(n as f64, now) } else { server_whole_seconds(n) });
    }
    if let Ok(f) = v.parse::<f64>() {
        if !f.is_finite() || f < 0.0 {
            return None;
        }
        return if f >= EPOCH_THRESHOLD as f64 { Some(until_epoch(f, now)) } else { server_seconds(f) };
    }
    let at = chrono::DateTime::parse_from_rfc3339(v).ok().map(|d| d.timestamp_millis()).or_else(|| {
        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc().timestamp_millis())
    })?;
    Some(until_epoch(at as f64 / 1000.0, now))
}

/// Parses `Retry-After`: delay seconds or an HTTP date.
///
/// # Examples
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use carewire_core::ratelimit::parse_retry_after;
///
/// let now = UNIX_EPOCH + Duration::from_secs(1_445_412_470); // Wed, 21 Oct 2015 07:27:50 GMT
/// assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(10)));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if v.len() > 64 {
        return None;
    }
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time", clamped like any other.
        return Some(v.parse::<u64>().map_or(MAX_SERVER_DURATION, server_whole_seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    Some(until_epoch(at.timestamp_millis() as f64 / 1000.0, now))
}

fn until_epoch(epoch_secs: f64, now: SystemTime) -> Duration {
    let now_secs = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
    server_seconds(epoch_secs - now_secs).unwrap_or(Duration::ZERO)
}

/// Which requests a budget counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MethodClass {
    /// GET and HEAD.
    Read,
    /// POST, PUT, PATCH, DELETE.
    Write,
    /// Every request.
    Any,
}

impl MethodClass {
    /// Whether a request with `method` counts against a budget of this class.
    pub fn covers(self, method: Method) -> bool {
        match self {
            Self::Read => method.is_read(),
            Self::Write => !method.is_read(),
            Self::Any => true,
        }
    }

    /// The class's lowercase name (`"read"`, `"write"`, `"any"`), for store keys and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Any => "any",
        }
    }
}

/// One budget of a [`RateLimiter`]: at most `capacity` requests of `class` in any window of `per`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Window {
    /// Which requests it counts.
    pub class: MethodClass,
    /// How many fit in one window (at least 1).
    pub capacity: usize,
    /// The window's length.
    pub per: Duration,
}

impl Window {
    /// A window of `capacity` requests of `class` per `per`.
    pub fn new(class: MethodClass, capacity: usize, per: Duration) -> Self {
        Self { class, capacity: capacity.max(1), per }
    }
}

/// A rate budget kept outside the process, so that several processes (replicas of one deployment) share
/// one vendor budget: the [`RateLimiter`] consults it before each request and tells it what the vendor's
/// `X-RateLimit-*` headers said. The `carewire-redis` crate implements it over Redis.
///
/// Set it on a transport with [`TransportBuilder::rate_budget`](crate::TransportBuilder::rate_budget) (vendor
/// builders do when given a `shared_state`). The limiter's own windows stay in force locally, and are what
/// it falls back to when the budget cannot answer ([`WhenUnavailable::Local`], the default).
pub trait RateBudget: Send + Sync + fmt::Debug + 'static {
    /// Takes one request from every one of `windows` at once (all or none), unless the budget is paused.
    /// `Ok(None)`: taken, send now. `Ok(Some(wait))`: a window is full or the vendor said the budget is
    /// spent: ask again after `wait`. `Err`: the store did not answer.
    fn try_acquire<'a>(&'a self, windows: &'a [Window]) -> BoxFuture<'a, Result<Option<Duration>, Unavailable>>;

    /// Shares what a response said: `pause` when the vendor's window is spent (every process waits that
    /// long), and windows that hold at least the given number of requests by the vendor's count (the store
    /// adds the difference, so that requests this budget did not see are counted too).
    fn observe<'a>(
        &'a self,
        pause: Option<Duration>,
        in_step: &'a [(Window, usize)],
    ) -> BoxFuture<'a, Result<(), Unavailable>>;

    /// What the limiter does when this budget does not answer (default [`WhenUnavailable::Local`]).
    fn when_unavailable(&self) -> WhenUnavailable {
        WhenUnavailable::Local
    }
}

#[derive(Debug)]
struct Budget {
    class: MethodClass,
    capacity: usize,
    window: Duration,
    sent: VecDeque<Instant>,
}

#[derive(Debug, Default)]
struct LimiterState {
    budgets: Vec<Budget>,
    paused_until: Option<Instant>,
}

/// A client-side limiter: per-method-class budgets over sliding windows, plus a pause until the vendor's
/// reset when it says `remaining = 0`. It makes callers wait instead of earning a 429.
///
/// A sliding window (not a token bucket) guarantees that no window of `per` ever holds more than `capacity`
/// requests, which is what vendors with fixed budgets enforce.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use carewire_core::ratelimit::{MethodClass, RateLimiter};
///
/// // Docplanner's documented budgets.
/// let limiter = RateLimiter::new()
///     .budget(MethodClass::Read, 8_000, Duration::from_secs(3600))
///     .budget(MethodClass::Write, 40, Duration::from_secs(60));
/// assert_eq!(limiter.budgets().len(), 2);
/// ```
#[derive(Debug, Default)]
pub struct RateLimiter {
    state: Mutex<LimiterState>,
    max_pause: Option<Duration>,
    /// Whether the last call to a shared budget failed (warnings are logged on changes only).
    shared_down: AtomicBool,
}

impl RateLimiter {
    /// A limiter with no budgets (it only honours server-driven pauses).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a budget: at most `capacity` requests of `class` in any window of `per`.
    pub fn budget(self, class: MethodClass, capacity: usize, per: Duration) -> Self {
        {
            let mut st = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            st.budgets.push(Budget { class, capacity: capacity.max(1), window: per, sent: VecDeque::new() });
        }
        self
    }

    /// Caps how long a server-driven pause may last (default: one hour).
    pub fn max_pause(mut self, max: Duration) -> Self {
        self.max_pause = Some(max);
        self
    }

    /// The configured budgets as `(class, capacity, window)`.
    pub fn budgets(&self) -> Vec<(MethodClass, usize, Duration)> {
        let st = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        st.budgets.iter().map(|b| (b.class, b.capacity, b.window)).collect()
    }

    /// Waits until a request with `method` fits every budget, then counts it.
    pub async fn acquire(&self, method: Method) {
        while let Some(wait) = self.try_local(method, true) {
            tokio::time::sleep_until(wait).await;
        }
    }

    /// Like [`RateLimiter::acquire`], also taking the request from the shared `budget` (when given), so that
    /// every process sharing it stays within the budgets together.
    ///
    /// When the budget does not answer, [`WhenUnavailable::Local`] (the default) counts the request against
    /// this limiter's own windows only and logs a warning (once, until the budget answers again);
    /// [`WhenUnavailable::Fail`] returns an [`Error::Transport`].
    pub async fn acquire_with(&self, method: Method, budget: Option<&dyn RateBudget>) -> crate::Result<()> {
        let Some(budget) = budget else {
            self.acquire(method).await;
            return Ok(());
        };
        loop {
            if let Some(wait) = self.try_local(method, false) {
                tokio::time::sleep_until(wait).await;
                continue;
            }
            let windows = self.windows_for(method);
            match budget.try_acquire(&windows).await {
                Ok(None) => {
                    self.shared_answered();
                    self.record(method, Instant::now());
                    return Ok(());
                }
                Ok(Some(wait)) => {
                    self.shared_answered();
                    let wait =
                        wait.min(self.max_pause.unwrap_or(Duration::from_secs(3600))).max(Duration::from_millis(1));
                    tokio::time::sleep(wait).await;
                }
                Err(unavailable) => {
                    self.shared_failed(&unavailable);
                    if budget.when_unavailable() == WhenUnavailable::Fail {
                        return Err(Error::Transport(TransportError::new(TransportErrorKind::Other, unavailable)));
                    }
                    match self.try_local(method, true) {
                        None => return Ok(()),
                        Some(wait) => tokio::time::sleep_until(wait).await,
                    }
                }
            }
        }
    }

    /// This limiter's windows that count a request with `method`.
    pub fn windows_for(&self, method: Method) -> Vec<Window> {
        let st = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        st.budgets
            .iter()
            .filter(|b| b.class.covers(method))
            .map(|b| Window::new(b.class, b.capacity, b.window))
            .collect()
    }

    /// Tells the shared `budget` what a response to a request with `method` said: a spent window pauses
    /// every process until the vendor's reset, and the vendor's count of what was used brings the shared
    /// windows in step (a window is matched by the vendor's `limit` when it sends one, else it must be the
    /// only one counting `method`). Failures are logged, never returned: the response stands.
    pub async fn share(&self, method: Method, rate_limit: &RateLimit, budget: &dyn RateBudget) {
        let cap = self.max_pause.unwrap_or(Duration::from_secs(3600));
        let pause = rate_limit
            .is_exhausted()
            .then_some(rate_limit.reset_after.or(rate_limit.retry_after))
            .flatten()
            .map(|d| d.min(cap))
            .filter(|d| !d.is_zero());
        let remaining = rate_limit
            .remaining
            .or_else(|| rate_limit.limit.zip(rate_limit.used).map(|(limit, used)| limit.saturating_sub(used)));
        let windows = self.windows_for(method);
        let single = windows.len() == 1;
        let in_step: Vec<(Window, usize)> = match remaining {
            Some(remaining) => windows
                .into_iter()
                .filter(|w| {
                    rate_limit.limit.map_or(single, |limit| u64::try_from(w.capacity).is_ok_and(|c| c == limit))
                })
                .filter_map(|w| {
                    let used = w.capacity.saturating_sub(usize::try_from(remaining).unwrap_or(usize::MAX));
                    (used > 0).then_some((w, used))
                })
                .collect(),
            None => Vec::new(),
        };
        if pause.is_none() && in_step.is_empty() {
            return;
        }
        match budget.observe(pause, &in_step).await {
            Ok(()) => self.shared_answered(),
            Err(unavailable) => self.shared_failed(&unavailable),
        }
    }

    fn shared_failed(&self, unavailable: &Unavailable) {
        if !self.shared_down.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                reason = unavailable.reason(),
                "the shared rate budget is unavailable; counting requests in this process only until it answers"
            );
        }
    }

    fn shared_answered(&self) {
        if self.shared_down.swap(false, Ordering::Relaxed) {
            tracing::info!("the shared rate budget answers again");
        }
    }

    /// When a request with `method` may be sent (`None`: now). With `record`, a request that fits is counted.
    fn try_local(&self, method: Method, record: bool) -> Option<Instant> {
        let mut st = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let mut wait_until: Option<Instant> = st.paused_until.filter(|p| *p > now);
        if wait_until.is_none() {
            for b in st.budgets.iter_mut().filter(|b| b.class.covers(method)) {
                while b.sent.front().is_some_and(|t| *t + b.window <= now) {
                    b.sent.pop_front();
                }
                if b.sent.len() >= b.capacity {
                    let free_at = b.sent[b.sent.len() - b.capacity] + b.window;
                    wait_until = Some(wait_until.map_or(free_at, |w| w.max(free_at)));
                }
            }
        }
        if wait_until.is_none() && record {
            Self::push(&mut st, method, now);
        }
        wait_until
    }

    fn record(&self, method: Method, now: Instant) {
        let mut st = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Self::push(&mut st, method, now);
    }

    fn push(st: &mut LimiterState, method: Method, now: Instant) {
        for b in st.budgets.iter_mut().filter(|b| b.class.covers(method)) {
            b.sent.push_back(now);
            while b.sent.len() > b.capacity {
                b.sent.pop_front();
            }
        }
    }

    /// Pauses every request until `after` has passed (capped by [`RateLimiter::max_pause`]).
    pub fn pause_for(&self, after: Duration) {
        let after = after.min(self.max_pause.unwrap_or(Duration::from_secs(3600)));
        let now = Instant::now();
        // A caller's `max_pause` may be absurd too: never overflow the clock.
        let until = now.checked_add(after).unwrap_or_else(|| now + MAX_SERVER_DURATION);
        let mut st = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        st.paused_until = Some(st.paused_until.map_or(until, |p| p.max(until)));
    }

    /// Feeds the limiter what a response said: when the window is spent, pause until its reset.
    pub fn observe(&self, rate_limit: &RateLimit) {
        if let (true, Some(reset)) = (rate_limit.is_exhausted(), rate_limit.reset_after.or(rate_limit.retry_after)) {
            self.pause_for(reset);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn parse(pairs: &[(&str, &str)], now: SystemTime) -> Option<RateLimit> {
        parse_rate_limit(|n| pairs.iter().find(|(k, _)| *k == n).map(|(_, v)| *v), now)
    }

    #[test]
    fn reset_formats() {
        let now = at(1_700_000_000);
        assert_eq!(parse_reset("30", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_reset("1700000060", now), Some(Duration::from_secs(60)));
        assert_eq!(parse_reset("1699999999", now), Some(Duration::ZERO));
        // 1_700_000_000 is 2023-11-14T22:13:20Z.
        assert_eq!(parse_reset("2023-11-14T22:13:20Z", now), Some(Duration::ZERO));
        assert_eq!(parse_reset("2023-11-14T23:14:20+01:00", now), Some(Duration::from_secs(60)));
        assert_eq!(parse_reset("2023-11-14T22:15:20.500+00:00", now), Some(Duration::from_millis(120_500)));
        assert_eq!(parse_reset("2023-11-15", now), Some(Duration::from_secs(6400)));
        assert_eq!(parse_reset("1.5", now), Some(Duration::from_millis(1500)));
        assert_eq!(parse_reset("tomorrow", now), None);
        assert_eq!(parse_reset("-5", now), None);
    }

    #[test]
    fn headers_snapshot() {
        let now = at(1_700_000_000);
        let rl = parse(
            &[
                ("x-ratelimit-limit", "8000"),
                ("x-ratelimit-remaining", "7999"),
                ("x-ratelimit-used", "1"),
                ("x-ratelimit-reset", "3600"),
                ("retry-after", "Tue, 14 Nov 2023 22:13:30 GMT"),
            ],
            now,
        )
        .unwrap();
        assert_eq!(rl.limit, Some(8000));
        assert_eq!(rl.remaining, Some(7999));
        assert_eq!(rl.used, Some(1));
        assert_eq!(rl.reset_after, Some(Duration::from_secs(3600)));
        assert_eq!(rl.retry_after, Some(Duration::from_secs(10)));
        assert!(!rl.is_exhausted());
        assert!(parse(&[("content-type", "x")], now).is_none());
        assert!(parse(&[("x-ratelimit-remaining", "0")], now).unwrap().is_exhausted());
        assert!(parse(&[("x-ratelimit-limit", "5"), ("x-ratelimit-used", "5")], now).unwrap().is_exhausted());
    }

    #[tokio::test(start_paused = true)]
    async fn limiter_waits_for_the_window() {
        let l = RateLimiter::new().budget(MethodClass::Write, 3, Duration::from_secs(60));
        let start = Instant::now();
        for _ in 0..3 {
            l.acquire(Method::Post).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        // Reads are not counted by a write budget.
        l.acquire(Method::Get).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        l.acquire(Method::Delete).await;
        assert_eq!(start.elapsed(), Duration::from_secs(60));
        // Never more than 3 in any 60 s window: 5 more writes finish at 120 s.
        for _ in 0..5 {
            l.acquire(Method::Put).await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(120));
    }

    #[tokio::test(start_paused = true)]
    async fn limiter_pauses_when_server_says_exhausted() {
        let l = RateLimiter::new();
        let start = Instant::now();
        l.observe(&RateLimit { remaining: Some(0), reset_after: Some(Duration::from_secs(7)), ..RateLimit::default() });
        l.acquire(Method::Get).await;
        assert_eq!(start.elapsed(), Duration::from_secs(7));
        // Not exhausted: no pause.
        l.observe(&RateLimit { remaining: Some(3), reset_after: Some(Duration::from_secs(7)), ..RateLimit::default() });
        l.acquire(Method::Get).await;
        assert_eq!(start.elapsed(), Duration::from_secs(7));
    }

    #[test]
    fn absurd_values_are_clamped_not_panics() {
        let now = at(1_700_000_000);
        for v in ["1e300", "99999999999999999999", "1.7976931348623157e308", "1e19", "253402300799", "9e18"] {
            let d = parse_reset(v, now).unwrap();
            assert!(d <= MAX_SERVER_DURATION, "{v}: {d:?}");
        }
        assert_eq!(parse_reset("1e300", now), Some(MAX_SERVER_DURATION));
        assert_eq!(parse_reset("9999-12-31T23:59:59Z", now), Some(MAX_SERVER_DURATION));
        assert_eq!(parse_reset("NaN", now), None);
        assert_eq!(parse_reset("inf", now), None);
        assert_eq!(parse_reset(&"9".repeat(10_000), now), None);
        assert_eq!(parse_retry_after("18446744073709551615", now), Some(MAX_SERVER_DURATION));
        assert_eq!(parse_retry_after("99999999999999999999", now), Some(MAX_SERVER_DURATION));
        assert_eq!(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now), Some(MAX_SERVER_DURATION));
        let rl = parse(&[("x-ratelimit-reset", "1e300"), ("x-ratelimit-remaining", "0")], now).unwrap();
        assert_eq!(rl.reset_after, Some(MAX_SERVER_DURATION));
        // The limiter turns it into a bounded pause without overflowing.
        RateLimiter::new().max_pause(Duration::MAX).observe(&rl);
    }

    #[tokio::test(start_paused = true)]
    async fn server_pause_is_clamped() {
        let l = RateLimiter::new().max_pause(Duration::from_secs(30));
        let start = Instant::now();
        l.observe(&RateLimit {
            remaining: Some(0),
            reset_after: Some(Duration::from_secs(86_400)),
            ..RateLimit::default()
        });
        l.acquire(Method::Get).await;
        assert_eq!(start.elapsed(), Duration::from_secs(30));
    }
}
