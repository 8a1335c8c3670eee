//! A Redis server for the tests: the one `.ci/run` starts (`CAREWIRE_TEST_REDIS_URL`) or one started here
//! on a free loopback port (never the default 6379). Without `redis-server` the tests skip with a message,
//! except in CI (`CI` set), where they fail.

#![allow(dead_code, unreachable_pub)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use carewire_redis::{RedisState, RedisStateBuilder};

/// A server the tests talk to; stopped on drop when started here.
pub struct Redis {
    pub url: String,
    port: u16,
    child: Option<Child>,
}

/// The server for a test, or `None` (with a message) when none can be had outside CI.
#[macro_export]
macro_rules! redis_or_skip {
    ($server:expr) => {
        match $server {
            Some(server) => server,
            None => return,
        }
    };
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

fn unavailable(why: &str) -> Option<Redis> {
    assert!(!in_ci(), "no Redis server for the carewire-redis tests in CI: {why}");
    eprintln!(
        "skipping: no Redis server ({why}); install redis-server (apt-get install redis-server) or set \
         CAREWIRE_TEST_REDIS_URL"
    );
    None
}

impl Redis {
    /// The server `.ci/run` started, else one of this test's own.
    pub fn shared() -> Option<Self> {
        match std::env::var("CAREWIRE_TEST_REDIS_URL") {
            Ok(url) if !url.trim().is_empty() => Some(Self { url, port: 0, child: None }),
            _ => Self::own(),
        }
    }

    /// A server of this test's own, which it may stop and start again.
    pub fn own() -> Option<Self> {
        let port = match TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).and_then(|l| l.local_addr()) {
            Ok(addr) => addr.port(),
            Err(e) => return unavailable(&format!("no free loopback port: {e}")),
        };
        let mut server = Self { url: format!("redis://127.0.0.1:{port}/"), port, child: None };
        if let Err(why) = server.start() {
            return unavailable(&why);
        }
        Some(server)
    }

    /// Starts (again) the server of this test on its port.
    pub fn start(&mut self) -> Result<(), String> {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start redis-server: {e}"))?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if ping(self.port) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.stop();
        Err("redis-server did not answer within 10 s".to_owned())
    }

    /// Stops the server of this test (kills it) and waits until it is gone.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A state on this server, with keys under a prefix of this test's own.
    pub fn state(&self) -> RedisState {
        self.builder().build().unwrap()
    }

    /// A state builder on this server, with keys under a prefix of this test's own.
    pub fn builder(&self) -> RedisStateBuilder {
        RedisState::builder(&self.url).prefix(unique_prefix())
    }

    /// A raw connection, to look at what the stores wrote.
    pub async fn raw(&self) -> redis::aio::MultiplexedConnection {
        redis::Client::open(self.url.as_str()).unwrap().get_multiplexed_async_connection().await.unwrap()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

fn ping(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut answer = [0u8; 7];
    stream.write_all(b"PING\r\n").is_ok() && stream.read_exact(&mut answer).is_ok() && &answer == b"+PONG\r\n"
}

/// A key prefix no other test (or earlier run) uses.
pub fn unique_prefix() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("cwtest-{}-{}-{:08x}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed), fastrand::u32(..))
}
