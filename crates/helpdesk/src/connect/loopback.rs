//! The OAuth loopback receiver (RFC 8252 section 7.3): a tiny HTTP server
//! on `localhost:{port}` that waits for the one redirect of the consent
//! page, then closes.
//!
//! - Binds 127.0.0.1 and ::1 on the same port, because browsers resolve
//!   `localhost` to either (where ::1 does not exist, v4 alone is fine).
//! - Accepts exactly one `GET /callback`; anything else is a 404 that does
//!   not count, and so is a request whose `Host` is not loopback (a web page
//!   reaching us through DNS rebinding must not end the flow).
//! - Answers the browser with a fixed page that reflects no input, must not
//!   be framed and sends no referrer (the address holds the code).
//! - Closes after that callback, on cancel, on a pasted address, and after
//!   a timeout (5 minutes by default).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::error::{ConnectError, Result};

/// How long the receiver waits for the browser by default.
pub const DEFAULT_CALLBACK_TIMEOUT: Duration = Duration::from_secs(5 * 60);
/// The path of the redirect URI.
pub const CALLBACK_PATH: &str = "/callback";

const DONE_PAGE: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Desk Chat</title><style>body{font-family:sans-serif;margin:4rem auto;max-width:32rem}</style>\
</head><body><h1>You can close this tab</h1>\
<p>Desk Chat has received Zoho's answer. Go back to Desk Chat to finish connecting.</p>\
</body></html>\n";

/// How the redirect address reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackSource {
    /// The browser called the loopback listener.
    Browser,
    /// The user pasted the address the browser was sent to.
    Pasted,
}

/// The redirect address (or its query), not yet checked.
#[derive(Clone)]
pub struct ReceivedCallback {
    /// The address or query string; it holds the code, so it is never logged.
    pub address: String,
    /// How it came.
    pub source: CallbackSource,
}

impl std::fmt::Debug for ReceivedCallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceivedCallback")
            .field("address", &"[redacted]")
            .field("source", &self.source)
            .finish()
    }
}

enum Input {
    Callback(ReceivedCallback),
    Cancel,
}

/// Cancels a waiting receiver, or hands it a pasted address. Cheap to clone;
/// the UI keeps one while the flow waits.
#[derive(Clone)]
pub struct ReceiverHandle {
    tx: mpsc::Sender<Input>,
}

impl std::fmt::Debug for ReceiverHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceiverHandle")
    }
}

impl ReceiverHandle {
    /// Stops waiting: the flow ends with [`ConnectError::Cancelled`].
    pub fn cancel(&self) {
        let _ = self.tx.try_send(Input::Cancel);
    }

    /// "Paste the address you were sent to": for when the browser cannot
    /// reach this machine. It is checked like a callback (state first).
    pub fn paste(&self, address: &str) {
        let _ = self.tx.try_send(Input::Callback(ReceivedCallback {
            address: address.trim().to_owned(),
            source: CallbackSource::Pasted,
        }));
    }
}

#[derive(Clone)]
struct ServerState {
    port: u16,
    taken: Arc<AtomicBool>,
    tx: mpsc::Sender<Input>,
}

/// A listening receiver. Dropping it closes the port.
pub struct LoopbackReceiver {
    port: u16,
    addrs: Vec<SocketAddr>,
    rx: mpsc::Receiver<Input>,
    handle: ReceiverHandle,
    stop: watch::Sender<bool>,
    servers: Vec<JoinHandle<()>>,
    timeout: Duration,
}

impl std::fmt::Debug for LoopbackReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackReceiver")
            .field("addrs", &self.addrs)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl LoopbackReceiver {
    /// Listens on `port` (0: any free port, for tests) with the default timeout.
    pub async fn bind(port: u16) -> Result<Self> {
        Self::bind_with_timeout(port, DEFAULT_CALLBACK_TIMEOUT).await
    }

    /// Listens on `port`, giving up after `timeout`.
    ///
    /// # Errors
    /// [`ConnectError::PortInUse`] when another program holds the port on
    /// 127.0.0.1 or ::1.
    pub async fn bind_with_timeout(port: u16, timeout: Duration) -> Result<Self> {
        // With port 0 the v4 port is picked by the OS and may be taken on
        // ::1; pick again a few times rather than fail.
        let attempts = if port == 0 { 5 } else { 1 };
        let mut last = None;
        for _ in 0..attempts {
            match bind_pair(port) {
                Ok(listeners) => return Self::serve(listeners, timeout),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or(ConnectError::PortInUse { port }))
    }

    fn serve(listeners: Vec<std::net::TcpListener>, timeout: Duration) -> Result<Self> {
        let port = listeners
            .first()
            .and_then(|l| l.local_addr().ok())
            .map_or(0, |a| a.port());
        let (tx, rx) = mpsc::channel(4);
        let (stop, _) = watch::channel(false);
        let state = ServerState {
            port,
            taken: Arc::new(AtomicBool::new(false)),
            tx: tx.clone(),
        };
        let router = Router::new()
            .route(CALLBACK_PATH, get(callback))
            .fallback(not_found)
            .with_state(state);
        let mut addrs = Vec::new();
        let mut servers = Vec::new();
        for listener in listeners {
            let listen_error = |source| ConnectError::Listen { port, source };
            listener.set_nonblocking(true).map_err(listen_error)?;
            addrs.push(listener.local_addr().map_err(listen_error)?);
            let listener = tokio::net::TcpListener::from_std(listener).map_err(listen_error)?;
            let mut stopped = stop.subscribe();
            let router = router.clone();
            servers.push(tokio::spawn(async move {
                let shutdown = async move {
                    let _ = stopped.wait_for(|s| *s).await;
                };
                if let Err(error) = axum::serve(listener, router)
                    .with_graceful_shutdown(shutdown)
                    .await
                {
                    tracing::warn!(%error, "the OAuth loopback listener failed");
                }
            }));
        }
        tracing::info!(?addrs, "waiting for the Zoho consent redirect");
        Ok(Self {
            port,
            addrs,
            rx,
            handle: ReceiverHandle { tx },
            stop,
            servers,
            timeout,
        })
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The addresses listened on (127.0.0.1, and ::1 where it exists).
    pub fn addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    /// `http://localhost:{port}/callback`.
    pub fn redirect_uri(&self) -> String {
        crate::settings::redirect_uri(self.port)
    }

    /// A handle to cancel or paste while [`LoopbackReceiver::wait`] runs.
    pub fn handle(&self) -> ReceiverHandle {
        self.handle.clone()
    }

    /// Waits for the one callback (or a pasted address), then closes the
    /// listener before returning, so the port is free again.
    ///
    /// # Errors
    /// [`ConnectError::TimedOut`] and [`ConnectError::Cancelled`].
    pub async fn wait(mut self) -> Result<ReceivedCallback> {
        let outcome = tokio::time::timeout(self.timeout, self.rx.recv()).await;
        self.close().await;
        match outcome {
            Err(_) => Err(ConnectError::TimedOut {
                after: self.timeout,
            }),
            Ok(None | Some(Input::Cancel)) => Err(ConnectError::Cancelled),
            Ok(Some(Input::Callback(callback))) => Ok(callback),
        }
    }

    /// Stops listening and waits (briefly) until the port is closed.
    pub async fn close(&mut self) {
        let _ = self.stop.send(true);
        for server in self.servers.drain(..) {
            let abort = server.abort_handle();
            // A browser that keeps a connection open must not hold the flow.
            if tokio::time::timeout(Duration::from_secs(2), server)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for LoopbackReceiver {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for server in &self.servers {
            server.abort();
        }
    }
}

fn bind_pair(port: u16) -> Result<Vec<std::net::TcpListener>> {
    let in_use = |port, e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            ConnectError::PortInUse { port }
        } else {
            ConnectError::Listen { port, source: e }
        }
    };
    let v4 = std::net::TcpListener::bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port))
        .map_err(|e| in_use(port, e))?;
    let port = v4.local_addr().map_err(|e| in_use(port, e))?.port();
    match std::net::TcpListener::bind(SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port)) {
        Ok(v6) => Ok(vec![v4, v6]),
        // Another program on [::1]:port would receive the browsers that
        // resolve localhost to ::1: that is "in use" too.
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            Err(ConnectError::PortInUse { port })
        }
        Err(error) => {
            tracing::debug!(%error, "no IPv6 loopback; listening on 127.0.0.1 only");
            Ok(vec![v4])
        }
    }
}

fn is_loopback_host(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        // HTTP/1.0 without Host: only a local program does that.
        return true;
    };
    let host = host.to_ascii_lowercase();
    // Browsers leave out the port when it is the scheme's default.
    let name = match host.strip_suffix(&format!(":{port}")) {
        Some(name) => name,
        None if port == 80 => host.as_str(),
        None => return false,
    };
    ["localhost", "127.0.0.1", "[::1]"].contains(&name)
}

async fn callback(
    State(state): State<ServerState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if !is_loopback_host(&headers, state.port) || state.taken.swap(true, Ordering::SeqCst) {
        return not_found().await;
    }
    let _ = state.tx.try_send(Input::Callback(ReceivedCallback {
        address: query.unwrap_or_default(),
        source: CallbackSource::Browser,
    }));
    let mut response = (StatusCode::OK, DONE_PAGE).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found\n").into_response()
}
