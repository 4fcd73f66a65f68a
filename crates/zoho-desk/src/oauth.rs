//! The authorize URL of the consent step (contract, "OAuth": Authorize,
//! PKCE), built with the `oauth2` crate: PKCE S256 (RFC 7636) and a random
//! URL-safe `state` (RFC 6749 section 10.12; base64url, so never the `|`
//! that breaks Zoho's flow).

use oauth2::basic::BasicClient;
use oauth2::{AuthUrl, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope};
use url::Url;

use crate::base_url::BaseUrl;
use crate::error::{Error, Result};
use crate::ids::ClientId;
use crate::secret::PkceVerifier;

/// The scopes this app asks for: one per row of the contract's endpoint table.
pub const DEFAULT_SCOPES: &[&str] = &[
    "Desk.basic.READ",
    "Desk.search.READ",
    "Desk.contacts.READ",
    "Desk.contacts.CREATE",
    "Desk.tickets.READ",
    "Desk.tickets.CREATE",
    "Desk.tickets.UPDATE",
    "Desk.articles.READ",
];

/// The `state` sent with the authorize URL, checked on the callback.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthState(String);

impl OAuthState {
    /// A fresh random state (128 bits, base64url).
    pub fn random() -> Self {
        Self(CsrfToken::new_random().secret().clone())
    }

    /// A given state (tests, or one restored after a restart).
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for OAuthState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OAuthState([redacted])")
    }
}

/// An authorize URL to open in the system browser, and what must be kept
/// until the callback arrives.
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    /// Open this in the browser.
    pub url: Url,
    /// Compare with the callback's `state`.
    pub state: OAuthState,
    /// Send with the code exchange.
    pub pkce_verifier: PkceVerifier,
}

/// Builds `GET {accounts}/oauth/v2/auth?response_type=code&client_id=..&
/// scope=..&redirect_uri=..&access_type=offline&prompt=consent&state=..&
/// code_challenge=..&code_challenge_method=S256` with a fresh state and PKCE
/// pair. Scopes are joined with commas, as Zoho expects.
pub fn authorize_url(
    accounts_base: &BaseUrl,
    client_id: &ClientId,
    redirect_uri: &str,
    scopes: &[&str],
) -> Result<AuthorizationRequest> {
    let (_, verifier) = PkceCodeChallenge::new_random_sha256();
    authorize_url_with(
        accounts_base,
        client_id,
        redirect_uri,
        scopes,
        OAuthState::random(),
        verifier,
    )
}

/// [`authorize_url`] with a given state and PKCE verifier (deterministic, for tests).
pub fn authorize_url_with(
    accounts_base: &BaseUrl,
    client_id: &ClientId,
    redirect_uri: &str,
    scopes: &[&str],
    state: OAuthState,
    verifier: PkceCodeVerifier,
) -> Result<AuthorizationRequest> {
    let auth_url = AuthUrl::from_url(accounts_base.join(&["oauth", "v2", "auth"]));
    let redirect = RedirectUrl::new(redirect_uri.to_owned()).map_err(|e| Error::InvalidUrl {
        url: redirect_uri.to_owned(),
        reason: e.to_string(),
    })?;
    let client = BasicClient::new(oauth2::ClientId::new(client_id.as_str().to_owned()))
        .set_auth_uri(auth_url)
        .set_redirect_uri(redirect);
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
    let state_value = CsrfToken::new(state.as_str().to_owned());
    let (url, _) = client
        .authorize_url(|| state_value)
        // Zoho separates scopes with commas, so they go in as one value.
        .add_scope(Scope::new(scopes.join(",")))
        .set_pkce_challenge(challenge)
        .add_extra_param("access_type", "offline")
        .add_extra_param("prompt", "consent")
        .url();
    Ok(AuthorizationRequest {
        url,
        state,
        pkce_verifier: PkceVerifier::new(verifier.secret().clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorize_url_carries_everything_zoho_needs() {
        let base = BaseUrl::parse("https://accounts.zoho.in").unwrap();
        let verifier =
            PkceCodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_owned());
        let request = authorize_url_with(
            &base,
            &ClientId::new("1000.CID"),
            "http://localhost:8000/callback",
            &["Desk.tickets.CREATE", "Desk.basic.READ"],
            OAuthState::new("st4te"),
            verifier,
        )
        .unwrap();
        assert_eq!(request.url.path(), "/oauth/v2/auth");
        assert_eq!(request.url.host_str(), Some("accounts.zoho.in"));
        let query: std::collections::HashMap<String, String> =
            request.url.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["client_id"], "1000.CID");
        assert_eq!(query["scope"], "Desk.tickets.CREATE,Desk.basic.READ");
        assert_eq!(query["redirect_uri"], "http://localhost:8000/callback");
        assert_eq!(query["access_type"], "offline");
        assert_eq!(query["prompt"], "consent");
        assert_eq!(query["state"], "st4te");
        assert_eq!(query["code_challenge_method"], "S256");
        // RFC 7636 appendix B.
        assert_eq!(
            query["code_challenge"],
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(
            request.pkce_verifier.expose(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
    }

    #[test]
    fn random_state_is_url_safe_and_fresh() {
        let base = BaseUrl::parse("https://accounts.zoho.com").unwrap();
        let a = authorize_url(
            &base,
            &ClientId::new("c"),
            "http://localhost:8000/callback",
            DEFAULT_SCOPES,
        )
        .unwrap();
        let b = authorize_url(
            &base,
            &ClientId::new("c"),
            "http://localhost:8000/callback",
            DEFAULT_SCOPES,
        )
        .unwrap();
        assert_ne!(a.state, b.state);
        assert_ne!(a.pkce_verifier, b.pkce_verifier);
        assert!(a.state.as_str().len() >= 22);
        assert!(
            a.state
                .as_str()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }
}
