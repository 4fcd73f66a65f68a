//! The Zoho Accounts token endpoint: code exchange, refresh, revoke
//! (contract, "OAuth (Zoho Accounts)": Token, Refresh, Revoke).
//!
//! Zoho answers token errors with HTTP 200 and `{"error": "..."}`; those
//! become typed errors here ([`Error::InvalidCode`], [`Error::InvalidClient`],
//! [`Error::AccountsRateLimited`], ...), never parse failures.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Map, Value};

use crate::base_url::BaseUrl;
use crate::error::{Error, Result};
use crate::http::{HttpClient, RawResponse};
use crate::ids::ClientId;
use crate::request::{Body, Effect, PreparedRequest, Service};
use crate::secret::{AccessToken, AuthCode, ClientSecret, PkceVerifier, RefreshToken};

/// The OAuth client registered in the Zoho API console.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    /// Client id (shared across DCs when multi-DC is enabled).
    pub client_id: ClientId,
    /// Client secret.
    pub client_secret: ClientSecret,
}

impl ClientCredentials {
    /// Both halves.
    pub fn new(client_id: ClientId, client_secret: ClientSecret) -> Self {
        Self {
            client_id,
            client_secret,
        }
    }
}

/// What the token endpoint granted.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    /// The access token.
    pub access_token: AccessToken,
    /// Present on a code exchange with `access_type=offline`; absent on refresh.
    pub refresh_token: Option<RefreshToken>,
    /// Lifetime of the access token.
    pub expires_in: Duration,
    /// `api_domain` (e.g. `https://www.zohoapis.in`): informational only,
    /// never used to pick the Desk host.
    pub api_domain: Option<String>,
    /// `token_type` (ignored: the header is always `Zoho-oauthtoken`).
    pub token_type: Option<String>,
}

impl TokenGrant {
    /// When the access token expires, counted from `now`.
    pub fn expires_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + chrono::Duration::from_std(self.expires_in).unwrap_or(chrono::Duration::hours(1))
    }
}

/// Client for one Zoho Accounts server.
#[derive(Debug, Clone)]
pub struct AccountsClient {
    http: HttpClient,
    base: BaseUrl,
}

impl AccountsClient {
    /// `accounts_base` is e.g. `https://accounts.zoho.in` (from a trusted
    /// callback, or the DC table, or a loopback override for tests).
    pub fn new(http: HttpClient, accounts_base: BaseUrl) -> Self {
        Self {
            http,
            base: accounts_base,
        }
    }

    /// The accounts server.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// The HTTP layer.
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// `POST /oauth/v2/token` with `grant_type=authorization_code` (form
    /// body, which keeps secrets out of URLs), plus `code_verifier` when PKCE
    /// was used. Effect `Create`: the code is single-use, so a lost reply is
    /// reported, not resent.
    pub fn exchange_code_request(
        &self,
        credentials: &ClientCredentials,
        code: &AuthCode,
        redirect_uri: &str,
        pkce_verifier: Option<&PkceVerifier>,
    ) -> PreparedRequest {
        let mut form = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("client_id", credentials.client_id.as_str().to_owned()),
            (
                "client_secret",
                credentials.client_secret.expose().to_owned(),
            ),
            ("redirect_uri", redirect_uri.to_owned()),
            ("code", code.expose().to_owned()),
        ];
        if let Some(verifier) = pkce_verifier {
            form.push(("code_verifier", verifier.expose().to_owned()));
        }
        self.token_request(form, Effect::Create, "sign-in code exchange")
    }

    /// `POST /oauth/v2/token` with `grant_type=refresh_token`.
    pub fn refresh_request(
        &self,
        credentials: &ClientCredentials,
        refresh_token: &RefreshToken,
    ) -> PreparedRequest {
        let form = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("client_id", credentials.client_id.as_str().to_owned()),
            (
                "client_secret",
                credentials.client_secret.expose().to_owned(),
            ),
            ("refresh_token", refresh_token.expose().to_owned()),
        ];
        self.token_request(form, Effect::Idempotent, "token refresh")
    }

    /// `POST /oauth/v2/token/revoke?token=REFRESH_TOKEN` (the documented first form).
    pub fn revoke_request(&self, refresh_token: &RefreshToken) -> PreparedRequest {
        let mut url = self.base.join(&["oauth", "v2", "token", "revoke"]);
        url.query_pairs_mut()
            .append_pair("token", refresh_token.expose());
        PreparedRequest::new(
            Method::POST,
            url,
            Effect::Idempotent,
            Service::Accounts,
            "sign-out (token revoke)",
        )
    }

    fn token_request(
        &self,
        form: Vec<(&'static str, String)>,
        effect: Effect,
        op: &'static str,
    ) -> PreparedRequest {
        let url = self.base.join(&["oauth", "v2", "token"]);
        let mut request = PreparedRequest::new(Method::POST, url, effect, Service::Accounts, op);
        request.body = Body::Form(form);
        request
    }

    /// Exchanges an authorization code (from the callback or a Self Client).
    pub async fn exchange_code(
        &self,
        credentials: &ClientCredentials,
        code: &AuthCode,
        redirect_uri: &str,
        pkce_verifier: Option<&PkceVerifier>,
    ) -> Result<TokenGrant> {
        let request = self.exchange_code_request(credentials, code, redirect_uri, pkce_verifier);
        parse_token_reply(&self.http.send(&request).await?)
    }

    /// Gets a new access token. The reply carries no new refresh token.
    pub async fn refresh(
        &self,
        credentials: &ClientCredentials,
        refresh_token: &RefreshToken,
    ) -> Result<TokenGrant> {
        let request = self.refresh_request(credentials, refresh_token);
        parse_token_reply(&self.http.send(&request).await?)
    }

    /// Revokes a refresh token (and the access tokens made from it).
    pub async fn revoke(&self, refresh_token: &RefreshToken) -> Result<()> {
        let reply = self.http.send(&self.revoke_request(refresh_token)).await?;
        let body = json_object(&reply);
        if let Some(error) = token_error(&body) {
            return Err(error);
        }
        if !reply.status.is_success() {
            return Err(non_json_failure(&reply));
        }
        match body.get("status").and_then(Value::as_str) {
            None | Some("success") => Ok(()),
            Some(other) => Err(Error::TokenEndpoint {
                error: format!("revoke answered status `{other}`"),
            }),
        }
    }
}

/// Reads a token endpoint reply: a grant, or a typed error whatever the
/// HTTP status. Tolerates `expires_in` as a number or a string, and the
/// legacy form where `expires_in` is in milliseconds next to `expires_in_sec`.
pub fn parse_token_reply(reply: &RawResponse) -> Result<TokenGrant> {
    let body = json_object(reply);
    if let Some(error) = token_error(&body) {
        return Err(error);
    }
    if !reply.status.is_success() {
        return Err(non_json_failure(reply));
    }
    let text = |key: &str| {
        body.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let Some(access) = text("access_token") else {
        return Err(Error::TokenEndpoint {
            error: "the reply has no access_token".to_owned(),
        });
    };
    let seconds = number(body.get("expires_in_sec"))
        .or_else(|| number(body.get("expires_in")))
        .unwrap_or(3600);
    Ok(TokenGrant {
        access_token: AccessToken::new(access),
        refresh_token: text("refresh_token").map(RefreshToken::new),
        expires_in: Duration::from_secs(seconds),
        api_domain: text("api_domain"),
        token_type: text("token_type"),
    })
}

fn json_object(reply: &RawResponse) -> Map<String, Value> {
    match serde_json::from_slice(&reply.body) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

fn number(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `{"error": "..."}` as a typed error.
fn token_error(body: &Map<String, Value>) -> Option<Error> {
    let error = body.get("error")?;
    let error = match error {
        Value::String(s) => s.clone(),
        Value::Null => return None,
        other => other.to_string(),
    };
    let description = body
        .get("error_description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let lowered = format!(
        "{} {}",
        error.to_ascii_lowercase(),
        description.to_ascii_lowercase()
    );
    Some(match error.as_str() {
        "invalid_code" => Error::InvalidCode,
        "invalid_client" | "invalid_client_secret" | "unauthorized_client" => Error::InvalidClient,
        _ if lowered.contains("access denied") || lowered.contains("too many") => {
            Error::AccountsRateLimited
        }
        _ => Error::TokenEndpoint { error },
    })
}

fn non_json_failure(reply: &RawResponse) -> Error {
    let status = reply.status.as_u16();
    match status {
        429 => Error::AccountsRateLimited,
        500..=599 => Error::Server { status, code: None },
        _ => Error::TokenEndpoint {
            error: format!("HTTP {status}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    fn reply(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    fn accounts() -> AccountsClient {
        let http = HttpClient::new(crate::HttpConfig::default()).unwrap();
        AccountsClient::new(http, BaseUrl::parse("https://accounts.zoho.in").unwrap())
    }

    fn credentials() -> ClientCredentials {
        ClientCredentials::new(ClientId::new("1000.CID"), ClientSecret::new("s3cret"))
    }

    #[test]
    fn code_exchange_request_is_a_form_post_with_pkce() {
        let request = accounts().exchange_code_request(
            &credentials(),
            &AuthCode::new("1000.code"),
            "http://localhost:8000/callback",
            Some(&PkceVerifier::new("verif")),
        );
        assert_eq!(request.method, Method::POST);
        assert_eq!(
            request.url.as_str(),
            "https://accounts.zoho.in/oauth/v2/token"
        );
        assert_eq!(request.effect, Effect::Create);
        let Body::Form(form) = &request.body else {
            panic!("{:?}", request.body)
        };
        let get = |k: &str| {
            form.iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("grant_type"), Some("authorization_code"));
        assert_eq!(get("client_id"), Some("1000.CID"));
        assert_eq!(get("client_secret"), Some("s3cret"));
        assert_eq!(get("redirect_uri"), Some("http://localhost:8000/callback"));
        assert_eq!(get("code"), Some("1000.code"));
        assert_eq!(get("code_verifier"), Some("verif"));
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("1000.code"),
            "{shown}"
        );
    }

    #[test]
    fn refresh_and_revoke_requests() {
        let refresh = accounts().refresh_request(&credentials(), &RefreshToken::new("1000.r"));
        let Body::Form(form) = &refresh.body else {
            panic!()
        };
        assert!(form.contains(&("grant_type", "refresh_token".to_owned())));
        assert!(form.contains(&("refresh_token", "1000.r".to_owned())));
        assert_eq!(refresh.effect, Effect::Idempotent);

        let revoke = accounts().revoke_request(&RefreshToken::new("1000.r"));
        assert_eq!(
            revoke.url.as_str(),
            "https://accounts.zoho.in/oauth/v2/token/revoke?token=1000.r"
        );
        assert!(!format!("{revoke:?}").contains("1000.r"));
    }

    #[test]
    fn a_grant_is_read_with_seconds_and_no_refresh_token_on_refresh() {
        let grant = parse_token_reply(&reply(
            200,
            r#"{"access_token":"1000.a.b","refresh_token":"1000.c.d","api_domain":"https://www.zohoapis.in","token_type":"Bearer","expires_in":3600}"#,
        ))
        .unwrap();
        assert_eq!(grant.access_token.expose(), "1000.a.b");
        assert_eq!(grant.refresh_token.unwrap().expose(), "1000.c.d");
        assert_eq!(grant.expires_in, Duration::from_secs(3600));
        let refreshed = parse_token_reply(&reply(
            200,
            r#"{"access_token":"1000.e","expires_in":"3600","token_type":"Bearer"}"#,
        ))
        .unwrap();
        assert!(refreshed.refresh_token.is_none());
        let legacy = parse_token_reply(&reply(
            200,
            r#"{"access_token":"x","expires_in":3600000,"expires_in_sec":3600}"#,
        ))
        .unwrap();
        assert_eq!(legacy.expires_in, Duration::from_secs(3600));
    }

    #[test]
    fn http_200_error_bodies_are_typed_errors() {
        assert!(matches!(
            parse_token_reply(&reply(200, r#"{"error":"invalid_code"}"#)),
            Err(Error::InvalidCode)
        ));
        assert!(matches!(
            parse_token_reply(&reply(200, r#"{"error":"invalid_client"}"#)),
            Err(Error::InvalidClient)
        ));
        assert!(matches!(
            parse_token_reply(&reply(
                200,
                r#"{"error_description":"You have made too many requests continuously. Please try again after some time.","error":"Access Denied","status":"failure"}"#
            )),
            Err(Error::AccountsRateLimited)
        ));
        assert!(matches!(
            parse_token_reply(&reply(200, r#"{"error":"invalid_redirect_uri"}"#)),
            Err(Error::TokenEndpoint { .. })
        ));
        assert!(matches!(
            parse_token_reply(&reply(200, "{}")),
            Err(Error::TokenEndpoint { .. })
        ));
        assert!(matches!(
            parse_token_reply(&reply(200, "<html>")),
            Err(Error::TokenEndpoint { .. })
        ));
        assert!(matches!(
            parse_token_reply(&reply(400, r#"{"error":"invalid_code"}"#)),
            Err(Error::InvalidCode)
        ));
        assert!(matches!(
            parse_token_reply(&reply(503, "")),
            Err(Error::Server { status: 503, .. })
        ));
    }
}
