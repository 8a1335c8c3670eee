//! The connection: one lazily created `redis` connection manager (which reconnects by itself), every
//! command bounded by a timeout, and a short cool-down after a failure during which commands are not sent,
//! so that an unreachable server costs each call nothing rather than a timeout.

use std::fmt;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use carewire_core::shared::Unavailable;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{FromRedisValue, RedisResult};
use tokio::time::Instant;

/// A Redis connection shared by every store of one [`RedisState`](crate::RedisState).
pub(crate) struct Conn {
    client: redis::Client,
    manager: Mutex<Option<ConnectionManager>>,
    timeout: Duration,
    cool_down: Duration,
    down_until: Mutex<Option<Instant>>,
}

impl fmt::Debug for Conn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may hold a password: only its host is shown.
        let addr = &self.client.get_connection_info().addr();
        let host = match addr {
            redis::ConnectionAddr::Tcp(host, port) | redis::ConnectionAddr::TcpTls { host, port, .. } => {
                format!("{host}:{port}")
            }
            _ => "unix socket".to_owned(),
        };
        f.debug_struct("Conn")
            .field("server", &host)
            .field("timeout", &self.timeout)
            .field("cool_down", &self.cool_down)
            .finish_non_exhaustive()
    }
}

impl Conn {
    pub(crate) fn new(client: redis::Client, timeout: Duration, cool_down: Duration) -> Self {
        Self { client, manager: Mutex::new(None), timeout, cool_down, down_until: Mutex::new(None) }
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends `cmd`, bounded by the timeout.
    pub(crate) async fn query<T: FromRedisValue + Send>(&self, cmd: &redis::Cmd) -> Result<T, Unavailable> {
        let mut conn = self.connection()?;
        self.bounded(cmd.query_async(&mut conn)).await
    }

    /// Runs a Lua script, bounded by the timeout.
    pub(crate) async fn script<T: FromRedisValue + Send>(
        &self,
        invocation: &redis::ScriptInvocation<'_>,
    ) -> Result<T, Unavailable> {
        let mut conn = self.connection()?;
        self.bounded(invocation.invoke_async(&mut conn)).await
    }

    fn connection(&self) -> Result<ConnectionManager, Unavailable> {
        let mut slot = self.manager.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(manager) = slot.as_ref() {
            return Ok(manager.clone());
        }
        // The manager connects on its first command and reconnects by itself afterwards. Its own timeouts
        // match ours; ours bound the whole command, including a reconnection in progress.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let manager = ConnectionManager::new_lazy_with_config(self.client.clone(), config)
            .map_err(|e| Unavailable::new(describe(&e)))?;
        *slot = Some(manager.clone());
        Ok(manager)
    }

    async fn bounded<T>(&self, command: impl Future<Output = RedisResult<T>>) -> Result<T, Unavailable> {
        if self.cooling_down() {
            return Err(Unavailable::new("not sent: Redis failed moments ago"));
        }
        match tokio::time::timeout(self.timeout, command).await {
            Ok(Ok(value)) => {
                *self.down_until.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
                Ok(value)
            }
            Ok(Err(e)) => {
                if e.is_io_error() || e.is_connection_dropped() || e.is_connection_refusal() || e.is_timeout() {
                    self.fail();
                }
                Err(Unavailable::new(describe(&e)))
            }
            Err(_) => {
                self.fail();
                Err(Unavailable::new(format!("no answer within {} ms", self.timeout.as_millis())))
            }
        }
    }

    fn cooling_down(&self) -> bool {
        let down = self.down_until.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        down.is_some_and(|until| Instant::now() < until)
    }

    fn fail(&self) {
        let mut down = self.down_until.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *down = Instant::now().checked_add(self.cool_down);
    }
}

/// What went wrong, by kind only: a server's error text may quote a key or a value.
fn describe(err: &redis::RedisError) -> String {
    if err.is_connection_refusal() {
        "connection refused".to_owned()
    } else if err.is_timeout() {
        "timed out".to_owned()
    } else if err.is_connection_dropped() || err.is_io_error() {
        "connection lost".to_owned()
    } else {
        format!("{:?} error", err.kind())
    }
}
