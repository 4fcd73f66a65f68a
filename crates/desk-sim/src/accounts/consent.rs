//! `GET /oauth/v2/auth` (the consent page, or an immediate answer in the
//! automatic consent modes) and `POST /oauth/v2/auth/decide` (its buttons).
//!
//! A bad `client_id` or `redirect_uri` gets an error page and no redirect:
//! redirecting to an unregistered URI would hand codes to anyone.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::grants::{AuthRequest, Challenge, ChallengeMethod, PendingCode, PendingConsent};
use super::pkce::is_valid_verifier;
use crate::config::ConsentMode;
use crate::faults::lock;
use crate::ids::{random_hex32, zoho_token};
use crate::state::App;

/// How long a consent page stays answerable.
const CONSENT_PAGE_TTL: Duration = Duration::from_secs(600);

type Params = HashMap<String, String>;

pub(crate) async fn authorize(
    State(app): State<Arc<App>>,
    Query(params): Query<Params>,
) -> Response {
    let request = match validate(&app, &params) {
        Ok(request) => request,
        Err(rejection) => return *rejection,
    };
    match app.settings().consent {
        ConsentMode::Manual => {
            let id = random_hex32();
            let page = consent_page(&id, &request);
            let mut consents = lock(&app.consents);
            let now = Instant::now();
            consents.retain(|_, c| c.expires_at > now);
            consents.insert(
                id,
                PendingConsent {
                    request,
                    expires_at: now + CONSENT_PAGE_TTL,
                },
            );
            page
        }
        ConsentMode::AutoApprove => approve(&app, request),
        ConsentMode::AutoDeny => deny(&request, "access_denied"),
        ConsentMode::NoOrg => deny(&request, "no_org"),
    }
}

pub(crate) async fn decide(State(app): State<Arc<App>>, Form(form): Form<Params>) -> Response {
    let id = form.get("consent_id").map(String::as_str).unwrap_or("");
    let pending = lock(&app.consents)
        .remove(id)
        .filter(|c| c.expires_at > Instant::now());
    let Some(pending) = pending else {
        return error_page(
            "Consent expired",
            "This consent page has expired or was already answered. Start again.",
        );
    };
    match form.get("decision").map(String::as_str) {
        Some("approve") => approve(&app, pending.request),
        _ => deny(&pending.request, "access_denied"),
    }
}

/// Checks the authorization request. Problems with the client or redirect URI
/// get an error page; problems after that are redirected as `error=...`.
fn validate(app: &App, params: &Params) -> Result<AuthRequest, Box<Response>> {
    let client_id = params.get("client_id").cloned().unwrap_or_default();
    let Some(client) = app.read(|d| d.client(&client_id).cloned()) else {
        return Err(Box::new(error_page(
            "Invalid Client",
            "The client_id is not registered.",
        )));
    };
    let redirect_uri = params.get("redirect_uri").cloned().unwrap_or_default();
    if !client.redirect_uris.contains(&redirect_uri) {
        return Err(Box::new(error_page(
            "Invalid Redirect Uri",
            "The redirect_uri does not match the registered one.",
        )));
    }
    let mut request = AuthRequest {
        client_id,
        redirect_uri,
        scopes: Vec::new(),
        state: params.get("state").cloned(),
        offline: params.get("access_type").is_some_and(|a| a == "offline"),
        challenge: None,
    };
    if params.get("response_type").map(String::as_str) != Some("code") {
        return Err(Box::new(deny(&request, "unsupported_response_type")));
    }
    request.scopes = params
        .get("scope")
        .map(|s| {
            s.split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if request.scopes.is_empty() {
        return Err(Box::new(deny(&request, "invalid_scope")));
    }
    let method = match params.get("code_challenge_method").map(String::as_str) {
        None | Some("plain") => ChallengeMethod::Plain,
        Some("S256") => ChallengeMethod::S256,
        Some(_) => return Err(Box::new(deny(&request, "invalid_request"))),
    };
    match params.get("code_challenge") {
        Some(value) if is_valid_verifier(value) => {
            request.challenge = Some(Challenge {
                value: value.clone(),
                method,
            });
        }
        Some(_) => return Err(Box::new(deny(&request, "invalid_request"))),
        None if params.contains_key("code_challenge_method") => {
            return Err(Box::new(deny(&request, "invalid_request")));
        }
        None => {}
    }
    Ok(request)
}

/// Issues a single-use code and redirects with it, Zoho's way:
/// `?code=..&location=us&accounts-server=<encoded base URL>&state=..`.
fn approve(app: &App, request: AuthRequest) -> Response {
    let code = zoho_token();
    let settings = app.settings();
    let target = redirect_url(
        &request.redirect_uri,
        &[
            ("code", &code),
            ("location", &settings.location),
            ("accounts-server", &app.base_url),
        ],
        request.state.as_deref(),
    );
    let mut codes = lock(&app.codes);
    let now = Instant::now();
    codes.retain(|_, c| c.expires_at > now);
    codes.insert(
        code,
        PendingCode {
            request,
            expires_at: now + settings.code_ttl,
        },
    );
    redirect(&target)
}

/// Issues a Self Client code, as the Zoho API console does: bound to no
/// redirect URI (exchanged with an empty or absent `redirect_uri`), no PKCE,
/// offline, valid for the configured code lifetime.
pub(crate) fn issue_self_client_code(app: &App, client_id: &str, scopes: Vec<String>) -> String {
    let code = zoho_token();
    let request = AuthRequest {
        client_id: client_id.to_owned(),
        redirect_uri: String::new(),
        scopes,
        state: None,
        offline: true,
        challenge: None,
    };
    let mut codes = lock(&app.codes);
    let now = Instant::now();
    codes.retain(|_, c| c.expires_at > now);
    codes.insert(
        code.clone(),
        PendingCode {
            request,
            expires_at: now + app.settings().code_ttl,
        },
    );
    code
}

fn deny(request: &AuthRequest, error: &str) -> Response {
    redirect(&redirect_url(
        &request.redirect_uri,
        &[("error", error)],
        request.state.as_deref(),
    ))
}

/// `redirect_uri` with `pairs` and then `state` (when sent) appended to its query.
pub(crate) fn redirect_url(
    redirect_uri: &str,
    pairs: &[(&str, &str)],
    state: Option<&str>,
) -> String {
    let query: Vec<String> = pairs
        .iter()
        .copied()
        .chain(state.map(|s| ("state", s)))
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect();
    let query = query.join("&");
    let (base, fragment) = match redirect_uri.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (redirect_uri, None),
    };
    let separator = if base.contains('?') { '&' } else { '?' };
    let mut out = format!("{base}{separator}{query}");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Percent-encodes all but RFC 3986 unreserved characters, so that a URL-safe
/// `state` comes back byte for byte and `accounts-server` reads
/// `http%3A%2F%2F127.0.0.1%3A8090` as Zoho writes it.
fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn redirect(target: &str) -> Response {
    match HeaderValue::from_str(target) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => error_page("Invalid Redirect Uri", "The redirect URI cannot be used."),
    }
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:sans-serif;background:#f4f6f8;margin:0}\
main{max-width:32rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}\
h1{font-size:1.3rem}code{word-break:break-all}button{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}";

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>{STYLE}</style></head><body><main>{body}</main></body></html>\n",
        title = escape(title)
    );
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    // The consent page must not be framed (clickjacking) nor run scripts.
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn error_page(title: &str, message: &str) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        title,
        &format!("<h1>{}</h1><p>{}</p>", escape(title), escape(message)),
    )
}

fn consent_page(id: &str, request: &AuthRequest) -> Response {
    let scopes: String = request
        .scopes
        .iter()
        .map(|s| format!("<li><code>{}</code></li>", escape(s)))
        .collect();
    let body = format!(
        "<h1>Zoho Accounts (desk-sim)</h1>\
         <p>The application <strong id=\"client\">{client}</strong> asks to access your Zoho Desk data:</p>\
         <ul id=\"scopes\">{scopes}</ul>\
         <p>You will then be sent back to <code id=\"redirect\">{redirect}</code>.</p>\
         <form method=\"post\" action=\"/oauth/v2/auth/decide\">\
         <input type=\"hidden\" name=\"consent_id\" value=\"{id}\">\
         <button type=\"submit\" id=\"approve\" name=\"decision\" value=\"approve\">Approve</button>\
         <button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>\
         </form>",
        client = escape(&request.client_id),
        redirect = escape(&request.redirect_uri),
        id = escape(id),
    );
    page(
        StatusCode::OK,
        "Authorize - Zoho Accounts (desk-sim)",
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_append_to_the_query_and_encode_the_accounts_server() {
        assert_eq!(
            redirect_url(
                "http://localhost:8000/callback",
                &[("code", "c"), ("accounts-server", "http://127.0.0.1:9")],
                Some("a b~")
            ),
            "http://localhost:8000/callback?code=c&accounts-server=http%3A%2F%2F127.0.0.1%3A9&state=a%20b~"
        );
        assert_eq!(
            redirect_url("http://h/cb?x=1", &[("error", "no_org")], None),
            "http://h/cb?x=1&error=no_org"
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
