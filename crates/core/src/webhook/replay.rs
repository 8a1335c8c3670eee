//! Replay protection: the [`ReplayGuard`] trait (asynchronous, so that a store shared by several
//! processes can implement it), the bounded in-memory [`MemoryReplayGuard`], and [`replay_key`] for events
//! that carry no id.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::BoxFuture;

use super::WebhookError;

/// How many keys [`MemoryReplayGuard::default`] remembers at most: 10,000 (about half a megabyte; the oldest
/// key is forgotten first when full).
pub const DEFAULT_REPLAY_CAPACITY: usize = 10_000;

/// How long [`MemoryReplayGuard::default`] remembers a key: 7 days.
pub const DEFAULT_REPLAY_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// Remembers which webhooks were already processed, to reject replays.
///
/// [`MemoryReplayGuard`] covers a single process. When several processes receive webhooks (replicas behind a
/// load balancer), implement it over a store they share, such as Redis (the `carewire-redis` crate does),
/// so that a delivery refused by one replica is refused by all.
///
/// The check is asynchronous and may fail: a store that cannot answer returns
/// [`WebhookError::ReplayCheckUnavailable`], and receivers then refuse the delivery (fail closed) so that the
/// vendor redelivers it later. Synchronous receivers ([`Verifier::verify_once`](super::Verifier::verify_once))
/// use [`ReplayGuard::check_and_record_now`], which only guards that need no I/O answer.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::{MemoryReplayGuard, ReplayGuard};
///
/// # tokio_block(async {
/// let guard: &dyn ReplayGuard = &MemoryReplayGuard::default();
/// assert_eq!(guard.check_and_record("evt_1").await, Ok(true));
/// assert_eq!(guard.check_and_record("evt_1").await, Ok(false));
/// assert_eq!(guard.check_and_record_now("evt_1"), Some(false));
/// # });
/// # fn tokio_block(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
pub trait ReplayGuard: Send + Sync {
    /// Records `key`: `Ok(true)` the first time a key is seen (within the guard's memory), `Ok(false)` for a
    /// replay, and [`WebhookError::ReplayCheckUnavailable`] when the guard cannot tell (its store is
    /// unreachable or too slow).
    fn check_and_record<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool, WebhookError>>;

    /// The same check answered at once, for guards that need no I/O: `Some(first_sight)`. Guards that must be
    /// awaited (a network store) return `None`, the default, and synchronous receivers then refuse the
    /// webhook with [`WebhookError::ReplayCheckUnavailable`].
    fn check_and_record_now(&self, key: &str) -> Option<bool> {
        let _ = key;
        None
    }
}

/// What the guard remembers of a key: a 64-bit fingerprint under a random SipHash key of its own, so that
/// remembering a key allocates nothing and takes 8 bytes whatever the key's length. A new key shares a
/// fingerprint with one of the `n` remembered with a probability of `n / 2^64` (a genuine delivery refused
/// as a replay: about 5 × 10^-16 for the default 10,000), and without the guard's random key nobody can
/// choose keys that do (nor reach the guard at all without the webhook secret: it runs after verification).
type Fingerprint = u64;

/// A fingerprint is already a keyed hash: the set uses its low bits as they are, without hashing it again.
#[derive(Default)]
struct FingerprintHasher(u64);

impl Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[derive(Default)]
struct ReplayState {
    /// Fingerprints in the order they were recorded.
    order: VecDeque<(Fingerprint, Instant)>,
    seen: HashSet<Fingerprint, BuildHasherDefault<FingerprintHasher>>,
}

/// An in-memory, thread-safe [`ReplayGuard`] holding at most `capacity` keys (the oldest is evicted first)
/// and forgetting keys older than `ttl`.
///
/// [`MemoryReplayGuard::default`] remembers [`DEFAULT_REPLAY_CAPACITY`] keys for [`DEFAULT_REPLAY_TTL`]. It
/// covers one process only and forgets everything on restart: with several instances, implement
/// [`ReplayGuard`] over a shared store.
///
/// Besides the [`ReplayGuard`] trait (asynchronous), it answers synchronously with its own
/// [`MemoryReplayGuard::check_and_record`], which returns a plain `bool`.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::MemoryReplayGuard;
/// use std::time::Duration;
///
/// let guard = MemoryReplayGuard::new(2, Duration::from_secs(3600));
/// assert!(guard.check_and_record("evt_1"));
/// assert!(!guard.check_and_record("evt_1"));
/// assert_eq!(guard.len(), 1);
/// ```
pub struct MemoryReplayGuard {
    capacity: usize,
    ttl: Duration,
    /// The SipHash key of the fingerprints.
    key: RandomState,
    state: Mutex<ReplayState>,
}

impl fmt::Debug for MemoryReplayGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryReplayGuard")
            .field("capacity", &self.capacity)
            .field("ttl", &self.ttl)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl MemoryReplayGuard {
    /// A guard remembering up to `capacity` keys (at least 1) for `ttl` each.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::MemoryReplayGuard;
    /// use std::time::Duration;
    ///
    /// let guard = MemoryReplayGuard::new(10_000, Duration::from_secs(24 * 3600));
    /// assert!(guard.is_empty());
    /// ```
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        Self { capacity: capacity.max(1), ttl, key: RandomState::new(), state: Mutex::new(ReplayState::default()) }
    }

    /// The most keys remembered at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{DEFAULT_REPLAY_CAPACITY, MemoryReplayGuard};
    ///
    /// assert_eq!(MemoryReplayGuard::default().capacity(), DEFAULT_REPLAY_CAPACITY);
    /// ```
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How long a key is remembered.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::{DEFAULT_REPLAY_TTL, MemoryReplayGuard};
    ///
    /// assert_eq!(MemoryReplayGuard::default().ttl(), DEFAULT_REPLAY_TTL);
    /// ```
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// How many keys are currently remembered (expired ones excluded).
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::MemoryReplayGuard;
    /// use std::time::Duration;
    ///
    /// let guard = MemoryReplayGuard::new(10, Duration::from_secs(60));
    /// guard.check_and_record("a");
    /// guard.check_and_record("b");
    /// assert_eq!(guard.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        self.purge_expired(&mut state, Instant::now());
        state.order.len()
    }

    /// Whether no key is currently remembered.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::MemoryReplayGuard;
    /// use std::time::Duration;
    ///
    /// assert!(MemoryReplayGuard::new(10, Duration::from_secs(60)).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn purge_expired(&self, state: &mut ReplayState, now: Instant) {
        while let Some((_, recorded)) = state.order.front() {
            if now.saturating_duration_since(*recorded) < self.ttl {
                break;
            }
            if let Some((key, _)) = state.order.pop_front() {
                state.seen.remove(&key);
            }
        }
    }

    /// Records `key`, synchronously: `true` the first time a key is seen (within the guard's memory) and
    /// `false` for a replay. The [`ReplayGuard`] trait's method of the same name is its asynchronous form.
    ///
    /// # Examples
    ///
    /// ```
    /// use carewire_core::webhook::MemoryReplayGuard;
    ///
    /// let guard = MemoryReplayGuard::default();
    /// assert!(guard.check_and_record("evt_1"));
    /// assert!(!guard.check_and_record("evt_1"));
    /// ```
    pub fn check_and_record(&self, key: &str) -> bool {
        self.check_and_record_at(key, Instant::now())
    }

    pub(super) fn check_and_record_at(&self, key: &str, now: Instant) -> bool {
        let fingerprint = self.key.hash_one(key);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        self.purge_expired(&mut state, now);
        if !state.seen.insert(fingerprint) {
            return false;
        }
        state.order.push_back((fingerprint, now));
        while state.order.len() > self.capacity {
            if let Some((old, _)) = state.order.pop_front() {
                state.seen.remove(&old);
            }
        }
        true
    }
}

/// [`DEFAULT_REPLAY_CAPACITY`] keys for [`DEFAULT_REPLAY_TTL`] (10,000 keys, 7 days).
impl Default for MemoryReplayGuard {
    fn default() -> Self {
        Self::new(DEFAULT_REPLAY_CAPACITY, DEFAULT_REPLAY_TTL)
    }
}

impl ReplayGuard for MemoryReplayGuard {
    fn check_and_record<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool, WebhookError>> {
        Box::pin(async move { Ok(MemoryReplayGuard::check_and_record(self, key)) })
    }
    fn check_and_record_now(&self, key: &str) -> Option<bool> {
        Some(MemoryReplayGuard::check_and_record(self, key))
    }
}

/// A replay key for events that carry no id: the lowercase hex SHA-256 of the raw body.
///
/// # Examples
///
/// ```
/// use carewire_core::webhook::replay_key;
///
/// assert_eq!(
///     replay_key(b""),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn replay_key(body: &[u8]) -> String {
    crate::crypto::hex_lower(&crate::crypto::sha256(body))
}
