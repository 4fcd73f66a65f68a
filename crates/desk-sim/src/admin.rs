//! The admin API under `/_sim` (JSON, no Zoho auth: a loopback test tool).
//! It scripts what [`crate::Sim`] scripts from Rust, for the binary and for
//! tests in other languages.
//!
//! Requests whose `Host` or `Origin` is not loopback are refused, so that a
//! web page cannot drive the simulator through DNS rebinding or a cross-site form.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::{ConsentMode, RegisteredClient};
use crate::faults::{FaultSpec, lock};
use crate::sim::ms;
use crate::state::App;

pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/_sim/info", get(info))
        .route("/_sim/requests", get(requests).delete(clear_requests))
        .route("/_sim/tickets", get(tickets))
        .route("/_sim/contacts", get(contacts))
        .route("/_sim/attachments", get(attachments))
        .route(
            "/_sim/faults",
            get(faults).post(inject).delete(clear_faults),
        )
        .route("/_sim/expire-access-tokens", post(expire_access_tokens))
        .route("/_sim/revoke-refresh-tokens", post(revoke_refresh_tokens))
        .route("/_sim/consent", post(set_consent).put(set_consent))
        .route("/_sim/token-ttl", post(set_token_ttl).put(set_token_ttl))
        .route("/_sim/clients", post(register_client))
        .route("/_sim/tokens", post(issue_tokens))
        .route("/_sim/self-client-code", post(self_client_code))
        .route_layer(from_fn(loopback_only))
}

fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

async fn loopback_only(req: Request, next: Next) -> Response {
    if !is_loopback_request(req.headers()) {
        return bad(
            StatusCode::FORBIDDEN,
            "the admin API answers loopback hosts and origins only",
        );
    }
    next.run(req).await
}

fn is_loopback_request(headers: &header::HeaderMap) -> bool {
    let loopback = |name: header::HeaderName, strip_scheme: bool| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| {
                let v = if strip_scheme {
                    v.split_once("://").map_or(v, |(_, rest)| rest)
                } else {
                    v
                };
                is_loopback_host(v)
            })
    };
    loopback(header::HOST, false) && loopback(header::ORIGIN, true)
}

fn bad(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn ok() -> Json<Value> {
    Json(json!({ "status": "success" }))
}

async fn info(State(app): State<Arc<App>>) -> Json<Value> {
    let (org_id, departments) = app.read(|d| {
        let departments: serde_json::Map<String, Value> = d
            .departments
            .iter()
            .map(|dep| (dep.name.clone(), json!(dep.id)))
            .collect();
        (d.organization.id.clone(), departments)
    });
    Json(json!({
        "base_url": app.base_url,
        "desk_api_url": format!("{}/api/v1", app.base_url),
        "org_id": org_id,
        "departments": departments,
        "refresh_count": app.refresh_count.load(std::sync::atomic::Ordering::SeqCst),
        "credits_remaining": app.credits_remaining(),
    }))
}

async fn requests(State(app): State<Arc<App>>) -> Json<Value> {
    Json(json!(app.log.all()))
}

async fn clear_requests(State(app): State<Arc<App>>) -> Json<Value> {
    app.log.clear();
    ok()
}

async fn tickets(State(app): State<Arc<App>>) -> Json<Value> {
    Json(json!(app.read(|d| {
        d.tickets.iter().map(|t| t.to_json()).collect::<Vec<_>>()
    })))
}

/// Every attachment held, each with the `ticketId` it was added to.
async fn attachments(State(app): State<Arc<App>>) -> Json<Value> {
    Json(json!(app.read(|d| {
        d.attachments
            .iter()
            .map(|a| {
                let mut item = a.attachment.clone();
                item["ticketId"] = json!(a.ticket_id);
                item
            })
            .collect::<Vec<_>>()
    })))
}

async fn contacts(State(app): State<Arc<App>>) -> Json<Value> {
    Json(json!(app.read(|d| {
        d.contacts.iter().map(|c| c.to_json()).collect::<Vec<_>>()
    })))
}

async fn faults(State(app): State<Arc<App>>) -> Json<Value> {
    Json(json!(
        app.faults
            .pending()
            .iter()
            .map(FaultSpec::from_fault)
            .collect::<Vec<_>>()
    ))
}

async fn inject(State(app): State<Arc<App>>, Json(spec): Json<FaultSpec>) -> Response {
    match spec.into_fault() {
        Ok(fault) => {
            app.faults.inject(fault);
            ok().into_response()
        }
        Err(message) => bad(StatusCode::BAD_REQUEST, &message),
    }
}

async fn clear_faults(State(app): State<Arc<App>>) -> Json<Value> {
    app.faults.clear();
    ok()
}

async fn expire_access_tokens(State(app): State<Arc<App>>) -> Json<Value> {
    app.write(|d| d.access_tokens.iter_mut().for_each(|t| t.expires_ms = 0));
    ok()
}

async fn revoke_refresh_tokens(State(app): State<Arc<App>>) -> Json<Value> {
    app.write(|d| {
        d.grants.clear();
        d.access_tokens.clear();
    });
    ok()
}

#[derive(Deserialize)]
struct ConsentBody {
    mode: String,
}

async fn set_consent(State(app): State<Arc<App>>, Json(body): Json<ConsentBody>) -> Response {
    match ConsentMode::parse(&body.mode) {
        Some(mode) => {
            lock(&app.settings).consent = mode;
            ok().into_response()
        }
        None => bad(
            StatusCode::BAD_REQUEST,
            "mode is one of manual, auto-approve, auto-deny, no-org",
        ),
    }
}

#[derive(Deserialize)]
struct TtlBody {
    seconds: Option<u64>,
    millis: Option<u64>,
}

async fn set_token_ttl(State(app): State<Arc<App>>, Json(body): Json<TtlBody>) -> Response {
    let ttl = match (body.seconds, body.millis) {
        (Some(s), None) => Duration::from_secs(s),
        (None, Some(m)) => Duration::from_millis(m),
        _ => return bad(StatusCode::BAD_REQUEST, "give seconds or millis"),
    };
    lock(&app.settings).access_token_ttl = ttl;
    ok().into_response()
}

async fn register_client(
    State(app): State<Arc<App>>,
    Json(client): Json<RegisteredClient>,
) -> Json<Value> {
    app.write(|d| d.upsert_client(client));
    ok()
}

#[derive(Deserialize)]
struct TokensBody {
    client_id: String,
    scopes: Vec<String>,
}

/// Test shortcut: tokens for `client_id` with `scopes`, skipping consent.
async fn issue_tokens(State(app): State<Arc<App>>, Json(body): Json<TokensBody>) -> Json<Value> {
    let ttl = app.settings().access_token_ttl;
    let (access, refresh) =
        app.write(|d| d.create_grant(&body.client_id, body.scopes, true, ms(ttl)));
    Json(json!({ "access_token": access, "refresh_token": refresh, "expires_in": ttl.as_secs() }))
}

async fn self_client_code(
    State(app): State<Arc<App>>,
    Json(body): Json<TokensBody>,
) -> Json<Value> {
    let code = crate::accounts::consent::issue_self_client_code(&app, &body.client_id, body.scopes);
    Json(json!({ "code": code }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised() {
        for host in [
            "127.0.0.1:8090",
            "localhost:8090",
            "localhost",
            "[::1]:8090",
            "127.0.0.5",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "evil.example:8090",
            "10.0.0.1:80",
            "[fe80::1]:80",
            "localhost.evil.example",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
