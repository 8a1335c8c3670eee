//! [`TestServer`]: an HTTP/1.1 server on 127.0.0.1 running on its own thread.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::fault::{FaultKind, take_fault};
use crate::{Fault, Handler, RecordedRequest, Router};

/// An HTTP/1.1 server on `127.0.0.1` with a random port, answering with a
/// [`Handler`] after applying any injected [`Fault`]s.
///
/// The server runs on its own thread with its own current-thread tokio
/// runtime, so it works from sync code, from any tokio runtime and from
/// `#[tokio::test(start_paused = true)]` (its clock is real). Connections are
/// kept alive.
///
/// `TestServer` is a cheap handle (an `Arc`): clones share the same server.
/// When the last clone is dropped the server thread stops, the listener and
/// every open connection are closed, and later connections are refused.
#[derive(Clone)]
pub struct TestServer {
    inner: Arc<Inner>,
}

struct Inner {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    handler: Box<dyn Handler>,
    log: Mutex<Vec<RecordedRequest>>,
    faults: Mutex<Vec<Fault>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl TestServer {
    /// Starts a server answering with `handler`; returns once the listener
    /// is bound.
    ///
    /// # Panics
    ///
    /// If no port can be bound on 127.0.0.1 or no thread or runtime can be
    /// created (see [`TestServer::try_start`]).
    pub fn start(handler: impl Handler) -> Self {
        Self::try_start(handler).expect("carewire-testkit: starting the test server")
    }

    /// Starts a server answering with `router` (same as [`TestServer::start`]).
    pub fn start_router(router: Router) -> Self {
        Self::start(router)
    }

    /// Starts a server answering with `handler`, reporting failures to bind
    /// the port or create the runtime or thread.
    pub fn try_start(handler: impl Handler) -> io::Result<Self> {
        let std_listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let listener = {
            let _guard = runtime.enter();
            TcpListener::from_std(std_listener)?
        };
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
        });
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let thread_shared = Arc::clone(&shared);
        let thread =
            std::thread::Builder::new().name(format!("carewire-testkit-{}", addr.port())).spawn(move || {
                runtime.block_on(async move {
                    tokio::select! {
                        () = accept_loop(listener, thread_shared) => {}
                        _ = shutdown_rx => {}
                    }
                });
                // Dropping the runtime here cancels every connection task.
            })?;
        Ok(Self { inner: Arc::new(Inner { addr, shared, shutdown: Some(shutdown_tx), thread: Some(thread) }) })
    }

    /// The base URI, `http://127.0.0.1:PORT` (no trailing slash).
    pub fn uri(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// The absolute URL of `path` on this server (a missing leading `/` is
    /// added).
    pub fn url(&self, path: &str) -> String {
        if path.starts_with('/') { format!("{}{path}", self.uri()) } else { format!("{}/{path}", self.uri()) }
    }

    /// Every request received so far, in order, including those answered
    /// by a fault.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.inner.shared.log).clone()
    }

    /// How many requests had this method (case-insensitive, `"*"` for any)
    /// and exactly this raw path (without the query).
    pub fn received(&self, method: &str, path: &str) -> usize {
        lock(&self.inner.shared.log)
            .iter()
            .filter(|r| method == "*" || r.method.eq_ignore_ascii_case(method))
            .filter(|r| r.path == path)
            .count()
    }

    /// How many requests were received in total.
    pub fn received_total(&self) -> usize {
        lock(&self.inner.shared.log).len()
    }

    /// Forgets the recorded requests.
    pub fn reset_log(&self) {
        lock(&self.inner.shared.log).clear();
    }

    /// Queues `fault`, after any already queued.
    pub fn inject(&self, fault: Fault) {
        lock(&self.inner.shared.faults).push(fault);
    }

    /// Removes every queued fault.
    pub fn clear_faults(&self) {
        lock(&self.inner.shared.faults).clear();
    }

    /// How many faults are still queued (used-up faults are removed).
    pub fn faults_pending(&self) -> usize {
        lock(&self.inner.shared.faults).len()
    }
}

impl fmt::Debug for TestServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestServer").field("addr", &self.inner.addr).finish_non_exhaustive()
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        drop(self.shutdown.take());
        if let Some(thread) = self.thread.take()
            && thread.thread().id() != std::thread::current().id()
        {
            // A panic on the server thread was already reported there.
            let _ = thread.join();
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve_connection(stream, Arc::clone(&shared)));
            }
            // E.g. out of file descriptors: wait and try again.
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |req| respond(Arc::clone(&shared), req));
    // Errors here are client disconnects or `DropConnection`: nothing to do.
    let _ = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), service).await;
}

/// Returned by the service to make hyper close the connection unanswered.
#[derive(Debug)]
struct CloseConnection;

impl fmt::Display for CloseConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection closed by the test server")
    }
}

impl std::error::Error for CloseConnection {}

async fn respond(
    shared: Arc<Shared>,
    req: http::Request<Incoming>,
) -> Result<http::Response<Full<Bytes>>, CloseConnection> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes().to_vec());
    let recorded = RecordedRequest {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                (n.as_str().to_ascii_lowercase(), value)
            })
            .collect(),
        body: body.as_ref().map(Clone::clone).unwrap_or_default(),
    };
    lock(&shared.log).push(recorded.clone());
    if body.is_err() {
        return Err(CloseConnection);
    }
    let fault = take_fault(&mut lock(&shared.faults), &recorded);
    let reply = match fault {
        Some(FaultKind::Reply(reply)) => reply,
        Some(FaultKind::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            shared.handler.handle(&recorded)
        }
        Some(FaultKind::DropConnection) => return Err(CloseConnection),
        None => shared.handler.handle(&recorded),
    };
    if let Some(delay) = reply.delay_duration() {
        tokio::time::sleep(delay).await;
    }
    let (parts, body) = reply.into_response().into_parts();
    Ok(http::Response::from_parts(parts, Full::new(Bytes::from(body))))
}
