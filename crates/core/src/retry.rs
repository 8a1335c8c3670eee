//! Retries: full-jitter exponential backoff, server hints honoured but clamped, and a retry budget.
//!
//! What is retried (the safety rule):
//!
//! | outcome | GET, HEAD, PUT, DELETE, or any call with an idempotency key | POST, PATCH without a key |
//! |---|---|---|
//! | connection refused / DNS / TLS (never reached the server) | retried | retried |
//! | stale pooled connection closed before the request was written | retried once | retried once |
//! | 429 (refused before processing) | retried | retried |
//! | timeout, dropped connection after sending, 408, 500, 502, 503, 504 | retried | **not retried** |
//! | 401 with refreshable credentials | refreshed and retried once | refreshed and retried once |
//! | any other status | not retried | not retried |

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tokio::time::Instant;

/// How a client retries.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use carewire_core::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(4)
///     .initial_backoff(Duration::from_millis(100))
///     .max_backoff(Duration::from_secs(5));
/// assert_eq!(policy.max_retries_value(), 4);
/// assert_eq!(RetryPolicy::none().max_retries_value(), 0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) budget: Option<BudgetConfig>,
}

impl Default for RetryPolicy {
    /// Two retries (three attempts), 200 ms initial backoff, 8 s cap, server hints clamped to 60 s, and a
    /// retry budget of 500 tokens (a retry costs 5, a retry after a timeout 10, a success refunds 1).
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            budget: Some(BudgetConfig::default()),
        }
    }
}

impl RetryPolicy {
    /// Never retry (a 401 refresh still happens once).
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }
    /// Maximum number of retries after the first attempt.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }
    /// The first backoff ceiling; it doubles per retry.
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }
    /// The backoff ceiling's cap.
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }
    /// The longest `Retry-After` or rate-limit reset honoured; longer hints are clamped to it.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }
    /// Sets or removes (`None`) the retry budget.
    pub fn budget(mut self, budget: Option<BudgetConfig>) -> Self {
        self.budget = budget;
        self
    }
    /// The configured maximum number of retries.
    pub fn max_retries_value(&self) -> u32 {
        self.max_retries
    }

    /// The ceiling of the backoff before retry number `retry` (0-based): `min(cap, initial * 2^retry)`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(30));
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }

    /// A full-jitter delay: uniform in `[0, backoff_ceiling(retry)]`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }

    /// The delay before the next attempt: the server's hint clamped to `max_retry_after`, else backoff.
    pub fn delay(&self, retry: u32, hint: Option<Duration>) -> Duration {
        match hint {
            Some(h) => h.min(self.max_retry_after),
            None => self.backoff(retry),
        }
    }
}

/// The retry budget's parameters (a token bucket shared by all calls of one client).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BudgetConfig {
    /// Tokens when full.
    pub capacity: u32,
    /// Tokens a retry costs.
    pub retry_cost: u32,
    /// Tokens a retry after a timeout costs.
    pub timeout_cost: u32,
    /// Tokens a success returns.
    pub success_refund: u32,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        Self { capacity: 500, retry_cost: 5, timeout_cost: 10, success_refund: 1 }
    }
}

/// The shared retry budget: when a vendor keeps failing, retries stop before they become a storm.
///
/// Lock-free: a success's refund (every call pays it) is one atomic update.
#[derive(Debug)]
pub struct RetryBudget {
    config: Option<BudgetConfig>,
    tokens: AtomicU32,
}

impl RetryBudget {
    /// A full budget (or an unlimited one for `None`).
    pub fn new(config: Option<BudgetConfig>) -> Self {
        Self { tokens: AtomicU32::new(config.map_or(0, |c| c.capacity)), config }
    }
    /// Tokens left (`u32::MAX` when unlimited).
    pub fn available(&self) -> u32 {
        if self.config.is_none() {
            return u32::MAX;
        }
        self.tokens.load(Ordering::Relaxed)
    }
    /// Takes the cost of a retry; false when the budget cannot pay it.
    pub fn try_withdraw(&self, timeout: bool) -> bool {
        let Some(c) = self.config else { return true };
        let cost = if timeout { c.timeout_cost } else { c.retry_cost };
        self.tokens.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| t.checked_sub(cost)).is_ok()
    }
    /// Returns tokens after a success.
    pub fn refund(&self) {
        if let Some(c) = self.config {
            let full = |t: u32| (t < c.capacity).then(|| t.saturating_add(c.success_refund).min(c.capacity));
            // `Err` means the budget is already full: nothing to do.
            let _ = self.tokens.fetch_update(Ordering::Relaxed, Ordering::Relaxed, full);
        }
    }
}

/// Why an attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryCause {
    /// A retryable status (408, 429, 5xx) or an error after the request may have been sent.
    Transient,
    /// A timeout (costs more budget).
    Timeout,
    /// The request never reached the server (connection refused, stale pooled connection).
    NotSent,
}

/// What one attempt decided.
#[derive(Debug)]
pub enum Attempt<T> {
    /// Final: return this.
    Done(T),
    /// Retryable: retry if policy, budget and deadline allow, else return `result`.
    Retry {
        /// What to return if no retry happens.
        result: T,
        /// The server's hint (`Retry-After`, rate-limit reset).
        hint: Option<Duration>,
        /// Why.
        cause: RetryCause,
    },
    /// Retry at once without counting against the policy (used for the single 401 refresh).
    RetryNow(T),
}

/// Runs `attempt` until it is done or retries run out, sleeping between attempts.
///
/// `attempt` receives the 1-based attempt number. `deadline`, when set, is never overslept: a retry whose
/// delay would end past it is not made.
pub async fn run<T, F, Fut>(policy: &RetryPolicy, budget: &RetryBudget, deadline: Option<Instant>, mut attempt: F) -> T
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Attempt<T>>,
{
    let mut number = 0u32;
    let mut retries = 0u32;
    let mut free_retries = 0u32;
    loop {
        number += 1;
        // The attempt's outcome is decided within this block, so nothing of it is held while waiting to
        // retry: the call's state is then the larger of one attempt and one timer, not their sum.
        let delay = match attempt(number).await {
            Attempt::Done(result) => {
                if retries == 0 {
                    budget.refund();
                }
                return result;
            }
            Attempt::RetryNow(result) => {
                free_retries += 1;
                if free_retries > 1 {
                    return result;
                }
                None
            }
            Attempt::Retry { result, hint, cause } => {
                if retries >= policy.max_retries {
                    return result;
                }
                let delay = policy.delay(retries, hint);
                if deadline.is_some_and(|d| Instant::now().checked_add(delay).is_none_or(|t| t >= d)) {
                    return result;
                }
                if !budget.try_withdraw(cause == RetryCause::Timeout) {
                    tracing::debug!("retry budget exhausted");
                    return result;
                }
                retries += 1;
                Some(delay)
            }
        };
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn backoff_is_full_jitter_and_capped() {
        let p = RetryPolicy::default().initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_secs(1));
        assert_eq!(p.backoff_ceiling(0), Duration::from_millis(100));
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(200));
        assert_eq!(p.backoff_ceiling(3), Duration::from_millis(800));
        assert_eq!(p.backoff_ceiling(4), Duration::from_secs(1));
        assert_eq!(p.backoff_ceiling(200), Duration::from_secs(1));
        let mut below_half = 0;
        for _ in 0..2000 {
            let d = p.backoff(2);
            assert!(d <= Duration::from_millis(400));
            if d < Duration::from_millis(200) {
                below_half += 1;
            }
        }
        // Uniform over [0, 400ms]: about half below 200ms.
        assert!((800..1200).contains(&below_half), "{below_half}");
    }

    #[test]
    fn server_hint_is_clamped() {
        let p = RetryPolicy::default().max_retry_after(Duration::from_secs(30));
        assert_eq!(p.delay(0, Some(Duration::from_secs(5))), Duration::from_secs(5));
        assert_eq!(p.delay(0, Some(Duration::from_secs(3600))), Duration::from_secs(30));
    }

    #[test]
    fn budget_withdraw_and_refund() {
        let b =
            RetryBudget::new(Some(BudgetConfig { capacity: 12, retry_cost: 5, timeout_cost: 10, success_refund: 1 }));
        assert!(b.try_withdraw(false));
        assert!(!b.try_withdraw(true));
        assert!(b.try_withdraw(false));
        assert!(!b.try_withdraw(false));
        assert_eq!(b.available(), 2);
        for _ in 0..20 {
            b.refund();
        }
        assert_eq!(b.available(), 12);
        assert_eq!(RetryBudget::new(None).available(), u32::MAX);
    }

    fn counting(outcomes: Vec<Attempt<u32>>) -> (Arc<AtomicU32>, impl FnMut(u32) -> std::future::Ready<Attempt<u32>>) {
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        let mut outcomes = outcomes.into_iter();
        let f = move |_n| {
            c.fetch_add(1, Ordering::SeqCst);
            std::future::ready(outcomes.next().unwrap_or(Attempt::Done(99)))
        };
        (calls, f)
    }

    fn retry(result: u32, hint: Option<Duration>) -> Attempt<u32> {
        Attempt::Retry { result, hint, cause: RetryCause::Transient }
    }

    #[tokio::test(start_paused = true)]
    async fn retries_then_succeeds_with_backoff_within_bounds() {
        let p = RetryPolicy::default().max_retries(3).initial_backoff(Duration::from_secs(1));
        let b = RetryBudget::new(None);
        let (calls, f) = counting(vec![retry(1, None), retry(2, None), Attempt::Done(0)]);
        let start = Instant::now();
        assert_eq!(run(&p, &b, None, f).await, 0);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        // Two full-jitter sleeps: at most 1 s + 2 s.
        assert!(start.elapsed() <= Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn honours_retry_after_exactly() {
        let p = RetryPolicy::default().max_retries(2);
        let b = RetryBudget::new(None);
        let (calls, f) = counting(vec![retry(1, Some(Duration::from_secs(7))), Attempt::Done(0)]);
        let start = Instant::now();
        assert_eq!(run(&p, &b, None, f).await, 0);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(start.elapsed(), Duration::from_secs(7));
    }

    #[tokio::test(start_paused = true)]
    async fn clamps_a_huge_retry_after() {
        let p = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
        let b = RetryBudget::new(None);
        let (_, f) = counting(vec![retry(1, Some(Duration::from_secs(86_400))), Attempt::Done(0)]);
        let start = Instant::now();
        run(&p, &b, None, f).await;
        assert_eq!(start.elapsed(), Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_max_retries_returning_last_result() {
        let p = RetryPolicy::default().max_retries(2);
        let b = RetryBudget::new(None);
        let (calls, f) = counting(vec![retry(1, None), retry(2, None), retry(3, None), Attempt::Done(0)]);
        assert_eq!(run(&p, &b, None, f).await, 3);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn never_sleeps_past_the_deadline() {
        let p = RetryPolicy::default().max_retries(5);
        let b = RetryBudget::new(None);
        let (calls, f) = counting(vec![retry(1, Some(Duration::from_secs(20))), Attempt::Done(0)]);
        let start = Instant::now();
        let deadline = Some(start + Duration::from_secs(10));
        assert_eq!(run(&p, &b, deadline, f).await, 1);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn empty_budget_stops_retries() {
        let p = RetryPolicy::default().max_retries(5);
        let b =
            RetryBudget::new(Some(BudgetConfig { capacity: 5, retry_cost: 5, timeout_cost: 10, success_refund: 1 }));
        let (calls, f) = counting(vec![retry(1, None), retry(2, None), retry(3, None)]);
        assert_eq!(run(&p, &b, None, f).await, 2);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn retry_now_happens_once_and_immediately() {
        let p = RetryPolicy::none();
        let b = RetryBudget::new(None);
        let (calls, f) = counting(vec![Attempt::RetryNow(1), Attempt::RetryNow(2), Attempt::Done(0)]);
        let start = Instant::now();
        assert_eq!(run(&p, &b, None, f).await, 2);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
