//! The HTTP/1.1 server loop. Each connection is served by hyper directly
//! (not `axum::serve`) so that a handler can have its connection closed
//! without any reply: the "drop" faults need the client to see the
//! connection end with no response, exactly as when a reply is lost.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tower::ServiceExt;

/// Put in every request's extensions: lets a handler close its connection
/// without a reply.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    /// Closes the connection as soon as the current handler yields; the
    /// handler should then wait forever (it is dropped with the connection).
    pub(crate) fn kill(&self) {
        // notify_one keeps a permit if the connection task is not waiting yet.
        self.0.notify_one();
    }
}

/// Accepts connections until the task is aborted; aborting it drops every
/// connection task with it (they live in its `JoinSet`).
pub(crate) async fn run(listener: TcpListener, router: Router) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    connections.spawn(serve_connection(stream, router.clone()));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
            },
            // Reap finished connection tasks so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, router: Router) {
    let _ = stream.set_nodelay(true);
    let kill = ConnectionKill::default();
    let for_requests = kill.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(for_requests.clone());
        let router = router.clone();
        async move {
            Ok::<_, Infallible>(
                router
                    .oneshot(req.map(Body::new))
                    .await
                    .unwrap_or_else(|e| match e {}),
            )
        }
    });
    let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = connection => {
            if let Err(e) = result {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        }
        () = kill.0.notified() => {
            // Dropping the connection future closes the socket with no reply.
            tracing::debug!("connection dropped by a fault");
        }
    }
}
