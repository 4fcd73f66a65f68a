//! The router, and what every non-admin request goes through first: the
//! request log, the Desk concurrency limit, and scripted faults.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};

use crate::desk::endpoints::Endpoint;
use crate::desk::guard::set_credit_headers;
use crate::errors::DeskError;
use crate::faults::FaultKind;
use crate::log::{LoggedRequest, redact_query};
use crate::server::ConnectionKill;
use crate::state::App;

/// Bodies beyond this (on top of the attachment limit) are refused unread.
const BODY_SLACK: usize = 1024 * 1024;

pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .merge(crate::accounts::router())
        .nest("/api/v1", crate::desk::router(app.clone()))
        .merge(crate::admin::router())
        .fallback(|| async { (StatusCode::NOT_FOUND, "Not Found") })
        .layer(from_fn_with_state(app.clone(), pipeline))
        // The pipeline bounds bodies itself (it reads them for the log).
        .layer(DefaultBodyLimit::disable())
        .with_state(app)
}

async fn pipeline(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if path.starts_with("/_sim") {
        return next.run(req).await;
    }
    let is_desk = path == "/api/v1" || path.starts_with("/api/v1/");
    let method = req.method().clone();
    let kill = req.extensions().get::<ConnectionKill>().cloned();
    let mut entry = LoggedRequest {
        method: method.to_string(),
        path: path.clone(),
        query: redact_query(req.uri().query().unwrap_or("")),
        status: 0,
        had_token: req.headers().contains_key(header::AUTHORIZATION),
        org_id: req
            .headers()
            .get("orgId")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: None,
        dropped: false,
    };

    let (parts, body) = req.into_parts();
    let is_json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
    let cap = app
        .settings()
        .attachment_max_bytes
        .saturating_add(BODY_SLACK);
    let bytes = match to_bytes(body, cap).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let response =
                DeskError::too_large(app.settings().attachment_max_bytes).into_response();
            return finish(&app, entry, response, is_desk, &method, &path);
        }
    };
    if is_json {
        entry.body = serde_json::from_slice(&bytes).ok();
    }
    let req = Request::from_parts(parts, Body::from(bytes));

    let _slot = if is_desk {
        match app.enter() {
            Some(slot) => Some(slot),
            None => {
                let retry_after = app.settings().retry_after_on_concurrency;
                let response = DeskError::too_many_requests(retry_after).into_response();
                return finish(&app, entry, response, is_desk, &method, &path);
            }
        }
    } else {
        None
    };

    let response = match app.faults.take(method.as_str(), &path) {
        None => next.run(req).await,
        Some(FaultKind::ServerError) => DeskError::internal().into_response(),
        Some(FaultKind::TooManyRequests { retry_after }) => {
            DeskError::too_many_requests(retry_after).into_response()
        }
        Some(FaultKind::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            next.run(req).await
        }
        Some(FaultKind::DropBeforeApply) => {
            entry.dropped = true;
            return drop_connection(&app, entry, kill).await;
        }
        Some(FaultKind::FieldError {
            field,
            error_type,
            message,
        }) => DeskError::unprocessable(
            "An invalid value is given for one or more fields.",
            vec![crate::errors::FieldError::of_type(
                &field,
                &error_type,
                message,
            )],
        )
        .into_response(),
        Some(FaultKind::DropAfterApply) => {
            let response = next.run(req).await;
            entry.dropped = true;
            entry.status = response.status().as_u16();
            return drop_connection(&app, entry, kill).await;
        }
    };
    finish(&app, entry, response, is_desk, &method, &path)
}

/// Logs the request, then has the connection closed with no reply and waits
/// (this future is dropped with the connection).
async fn drop_connection(
    app: &App,
    entry: LoggedRequest,
    kill: Option<ConnectionKill>,
) -> Response {
    tracing::info!(method = %entry.method, path = %entry.path, "connection dropped by a fault");
    app.log.push(entry);
    match kill {
        Some(kill) => {
            kill.kill();
            std::future::pending().await
        }
        // Not served by our connection loop: the closest thing is a 502-like failure.
        None => StatusCode::BAD_GATEWAY.into_response(),
    }
}

fn finish(
    app: &App,
    mut entry: LoggedRequest,
    mut response: Response,
    is_desk: bool,
    method: &axum::http::Method,
    path: &str,
) -> Response {
    if is_desk {
        let weight = Endpoint::classify(method, path).map_or(1, Endpoint::weight);
        set_credit_headers(response.headers_mut(), app.credits_remaining(), weight);
    }
    entry.status = response.status().as_u16();
    tracing::info!(method = %entry.method, path = %entry.path, status = entry.status, "request");
    app.log.push(entry);
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
