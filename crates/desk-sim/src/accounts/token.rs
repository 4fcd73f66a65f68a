//! `POST /oauth/v2/token` (grant types `authorization_code` and
//! `refresh_token`) and `POST /oauth/v2/token/revoke`.
//!
//! Parameters come from the form body or the query string (Zoho's own
//! examples use the query). Errors are HTTP 200 with `{"error": "..."}`.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use serde_json::{Value, json};

use super::api_domain;
use super::grants::REFRESH_WINDOW_MS;
use super::pkce;
use crate::clock::now_ms;
use crate::faults::lock;
use crate::sim::ms;
use crate::state::App;

type Params = HashMap<String, String>;

/// Query parameters first, then the form body (which wins on a clash).
fn params(query: Option<&str>, body: &[u8]) -> Params {
    let mut params: Params = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    params.extend(url::form_urlencoded::parse(body).into_owned());
    params
}

fn error(code: &str) -> Json<Value> {
    Json(json!({ "error": code }))
}

/// Zoho's reply once a refresh token has minted its quota of access tokens.
fn too_many_requests() -> Json<Value> {
    Json(json!({
        "error": "Access Denied",
        "error_description": "You have made too many requests continuously. Please try again after some time."
    }))
}

pub(crate) async fn token(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Json<Value> {
    let p = params(query.as_deref(), &body);
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    let client_ok = app.read(|d| {
        d.client(get("client_id"))
            .is_some_and(|c| c.client_secret == get("client_secret"))
    });
    match get("grant_type") {
        "authorization_code" | "refresh_token" if !client_ok => error("invalid_client"),
        "authorization_code" => exchange_code(
            &app,
            get("client_id"),
            get("code"),
            get("redirect_uri"),
            p.get("code_verifier"),
        ),
        "refresh_token" => refresh(&app, get("client_id"), get("refresh_token")),
        "" => error("invalid_request"),
        _ => error("unsupported_grant_type"),
    }
}

fn exchange_code(
    app: &App,
    client_id: &str,
    code: &str,
    redirect_uri: &str,
    verifier: Option<&String>,
) -> Json<Value> {
    // A code is used up by any attempt with the right client, good or bad.
    let pending = {
        let mut codes = lock(&app.codes);
        match codes.get(code) {
            Some(c) if c.request.client_id == client_id => codes.remove(code),
            _ => None,
        }
    };
    let Some(pending) = pending.filter(|c| c.expires_at > Instant::now()) else {
        return error("invalid_code");
    };
    let request = pending.request;
    if request.redirect_uri != redirect_uri {
        return error("invalid_redirect_uri");
    }
    if let Some(challenge) = &request.challenge
        && !verifier.is_some_and(|v| pkce::verify(challenge, v))
    {
        return error("invalid_code");
    }
    let settings = app.settings();
    let ttl = settings.access_token_ttl;
    let (access, refresh) =
        app.write(|d| d.create_grant(client_id, request.scopes, request.offline, ms(ttl)));
    let mut reply = json!({ "access_token": access });
    if let Some(refresh) = refresh {
        reply["refresh_token"] = json!(refresh);
    }
    reply["api_domain"] = json!(api_domain(&settings.location));
    reply["token_type"] = json!("Bearer");
    reply["expires_in"] = json!(ttl.as_secs());
    Json(reply)
}

enum RefreshRejected {
    /// Unknown, revoked, or another client's refresh token.
    UnknownToken,
    /// Too many access tokens minted in this 10-minute window.
    LimitReached,
}

fn refresh(app: &App, client_id: &str, refresh_token: &str) -> Json<Value> {
    let settings = app.settings();
    let ttl = settings.access_token_ttl;
    let limit = settings.refresh_limit_per_10_min;
    let outcome = app.write(|d| {
        let now = now_ms();
        let grant = d
            .grants
            .iter_mut()
            .find(|g| {
                g.client_id == client_id
                    && g.refresh_token.as_deref() == Some(refresh_token)
                    && !refresh_token.is_empty()
            })
            .ok_or(RefreshRejected::UnknownToken)?;
        if now.saturating_sub(grant.window_start_ms) >= REFRESH_WINDOW_MS {
            grant.window_start_ms = now;
            grant.window_count = 0;
        }
        if grant.window_count >= limit {
            return Err(RefreshRejected::LimitReached);
        }
        grant.window_count += 1;
        let grant_id = grant.id.clone();
        Ok(d.mint_access_token(&grant_id, ms(ttl)))
    });
    match outcome {
        Ok(access) => {
            app.refresh_count.fetch_add(1, Ordering::SeqCst);
            Json(json!({
                "access_token": access,
                "api_domain": api_domain(&settings.location),
                "token_type": "Bearer",
                "expires_in": ttl.as_secs()
            }))
        }
        Err(RefreshRejected::LimitReached) => too_many_requests(),
        Err(RefreshRejected::UnknownToken) => error("invalid_code"),
    }
}

/// Revokes a refresh token (with every access token it minted), or a single
/// access token. Unknown tokens also get `success` (RFC 7009 section 2.2).
pub(crate) async fn revoke(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Json<Value> {
    let p = params(query.as_deref(), &body);
    let Some(token) = p.get("token").filter(|t| !t.is_empty()) else {
        return error("invalid_request");
    };
    app.write(|d| {
        if let Some(grant_id) = d
            .grants
            .iter()
            .find(|g| g.refresh_token.as_ref() == Some(token))
            .map(|g| g.id.clone())
        {
            d.remove_grant(&grant_id);
        } else {
            d.access_tokens.retain(|t| &t.token != token);
        }
    });
    Json(json!({ "status": "success" }))
}
