//! State shared by the replicas of one deployment: the [`SharedState`] a vendor client's builder takes
//! (`shared_state(..)`), the three stores it hands out (a [`ReplayGuard`], a [`RateBudget`], a
//! [`TokenStore`]), what to do when that state cannot be reached ([`WhenUnavailable`]), and the
//! [`namespace`] every vendor keys it by.
//!
//! carewire-core keeps everything in process by default. The `carewire-redis` crate implements
//! [`SharedState`] over Redis; any other store can implement the three traits.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::auth::TokenStore;
use crate::ratelimit::RateBudget;
use crate::webhook::ReplayGuard;

/// What a rate limiter or a token cache does when its shared store cannot answer (unreachable, timed out).
///
/// The replay guard has no such choice in core: a guard that cannot answer refuses the webhook (fail
/// closed), and a store implementation may offer to fall back on its own.
///
/// # Examples
///
/// ```
/// use carewire_core::shared::WhenUnavailable;
///
/// assert_eq!(WhenUnavailable::default(), WhenUnavailable::Local);
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum WhenUnavailable {
    /// Carry on with this process's own state (its own budget windows, its own token fetches) and log a
    /// `tracing` warning when the store becomes unavailable and when it answers again. The default:
    /// replicas may then together exceed a shared budget, or fetch a token each, until the store is back.
    #[default]
    Local,
    /// Fail the call: the limiter or the token cache returns an error instead of acting alone.
    Fail,
}

/// A shared store did not answer: unreachable, refused, or slower than its timeout.
///
/// The reason names the failure (`"timed out after 250 ms"`, `"connection refused"`), never a key or a
/// stored value.
///
/// # Examples
///
/// ```
/// use carewire_core::shared::Unavailable;
///
/// let err = Unavailable::new("timed out");
/// assert_eq!(err.to_string(), "the shared store is unavailable: timed out");
/// assert_eq!(err.reason(), "timed out");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the shared store is unavailable: {reason}")]
pub struct Unavailable {
    reason: Cow<'static, str>,
}

impl Unavailable {
    /// An unavailability for `reason`.
    pub fn new(reason: impl Into<Cow<'static, str>>) -> Self {
        Self { reason: reason.into() }
    }
    /// Why the store did not answer.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// State every replica of a deployment sees: a replay guard, rate budgets and a token store, each for a
/// namespace (see [`namespace`]).
///
/// Vendor client builders take one with `shared_state(..)` and ask it for what they use. Implementations
/// are cheap to clone or are shared behind an `Arc`.
///
/// # Examples
///
/// ```
/// use carewire_core::shared::namespace;
///
/// // What a vendor passes to `rate_budget` and `token_store`: its name and a fingerprint of the credential.
/// let ns = namespace("docplanner", "client-id-123");
/// assert!(ns.starts_with("docplanner:"));
/// assert!(!ns.contains("client-id-123"));
/// ```
pub trait SharedState: Send + Sync + fmt::Debug + 'static {
    /// A replay guard for webhooks of `namespace` (a vendor's name, `"medtimes"`).
    fn replay_guard(&self, namespace: &str) -> Arc<dyn ReplayGuard>;

    /// The rate budget of `namespace` (a vendor and its credential, see [`namespace`]), for
    /// [`TransportBuilder::rate_budget`](crate::TransportBuilder::rate_budget).
    fn rate_budget(&self, namespace: &str) -> Arc<dyn RateBudget>;

    /// The token store of `namespace` (a vendor and its credential), for
    /// [`TokenCache::shared_store`](crate::auth::TokenCache::shared_store) and
    /// [`SubjectTokenCache::shared_store`](crate::subject::SubjectTokenCache::shared_store).
    fn token_store(&self, namespace: &str) -> Arc<dyn TokenStore>;
}

impl<S: SharedState + ?Sized> SharedState for Arc<S> {
    fn replay_guard(&self, namespace: &str) -> Arc<dyn ReplayGuard> {
        (**self).replay_guard(namespace)
    }
    fn rate_budget(&self, namespace: &str) -> Arc<dyn RateBudget> {
        (**self).rate_budget(namespace)
    }
    fn token_store(&self, namespace: &str) -> Arc<dyn TokenStore> {
        (**self).token_store(namespace)
    }
}

/// The namespace of a vendor credential in shared state: `"{vendor}:{fingerprint}"`, where the fingerprint
/// is 16 hex digits of the SHA-256 of `credential` (a client id, an API key). Replicas configured with the
/// same credential share budgets and tokens; another credential of the same vendor gets its own. The
/// credential itself never appears in the store.
///
/// # Examples
///
/// ```
/// use carewire_core::shared::namespace;
///
/// assert_eq!(namespace("medtimes", "sk_test_1"), namespace("medtimes", "sk_test_1"));
/// assert_ne!(namespace("medtimes", "sk_test_1"), namespace("medtimes", "sk_test_2"));
/// assert_eq!(namespace("medtimes", "sk_test_1").len(), "medtimes:".len() + 16);
/// ```
pub fn namespace(vendor: &str, credential: &str) -> String {
    let mut hash = crate::crypto::Sha256::new();
    hash.update(b"carewire credential\0");
    hash.update(credential.as_bytes());
    let digest = hash.finish();
    let mut out = String::with_capacity(vendor.len() + 17);
    out.push_str(vendor);
    out.push(':');
    out.push_str(&crate::crypto::hex_lower(&digest[..8]));
    out
}
