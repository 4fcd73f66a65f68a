//! `zoho-desk`: a typed client for Zoho Accounts OAuth and the Zoho Desk
//! REST API, written against `shared/zoho-desk-api.md` (the contract).
//!
//! What it is for: everything Zoho-specific that the app needs, in one
//! place: the data-centre table, the authorize URL (PKCE, state) and the
//! consent callback, code exchange, refresh (single-flight) and revoke, the
//! `Zoho-oauthtoken` and `orgId` headers, paging, error bodies, retries of
//! what is safe to retry, the concurrency limit and the credit headers.
//!
//! What it is not: it knows nothing of tauri, windows, settings files, the
//! keychain (see [`TokenStore`]) or the outbox. It never decides to resend a
//! create whose outcome is unknown: it says so ([`Error::OutcomeUnknown`]).
//!
//! Base URLs are constructor arguments, so tests point it at `desk-sim`;
//! anything but loopback must be https.
//!
//! ```no_run
//! # async fn demo() -> zoho_desk::Result<()> {
//! use std::sync::Arc;
//! use zoho_desk::*;
//!
//! let http = HttpClient::new(HttpConfig::default())?;
//! let accounts = AccountsClient::new(http.clone(), BaseUrl::parse("https://accounts.zoho.in")?);
//! let credentials = ClientCredentials::new(ClientId::new("1000.X"), ClientSecret::new("secret"));
//! let tokens = Arc::new(TokenManager::new(accounts, credentials, Arc::new(MemoryTokenStore::new()))?);
//! let desk = DeskClient::new(http, BaseUrl::parse("https://desk.zoho.in/api/v1")?, tokens)
//!     .with_org(OrgId::new("60001234567"));
//! let open = desk.tickets().list(&TicketListQuery::default()).await?;
//! # Ok(()) }
//! ```

mod base_url;
mod callback;
mod dc;
pub mod desk;
mod error;
mod http;
mod ids;
pub mod model;
mod oauth;
mod request;
mod secret;
mod token;
mod token_manager;

pub use base_url::BaseUrl;
pub use callback::{Callback, CallbackTrust, parse_callback};
pub use dc::DataCentre;
pub use desk::{DeskClient, DeskRequest, NewAttachment, TicketListQuery, TicketSearch};
pub use error::{Error, FieldError, ReconnectReason, Result, StoreError, error_from_response};
pub use http::{
    CREDITS_REMAINING_HEADER, Credits, HttpClient, HttpConfig, HttpStats, REQUEST_WEIGHT_HEADER,
    RawResponse, RetryPolicy,
};
pub use ids::{
    ArticleId, AttachmentId, ClientId, CommentId, ContactId, DepartmentId, OrgId, TicketId,
};
pub use model::organization::concurrency_limit_for_edition;
pub use model::*;
pub use oauth::{
    AuthorizationRequest, DEFAULT_SCOPES, OAuthState, authorize_url, authorize_url_with,
};
pub use request::{Body, Effect, Part, PreparedRequest, Service};
pub use secret::{AccessToken, AuthCode, ClientSecret, PkceVerifier, RefreshToken};
pub use token::{AccountsClient, ClientCredentials, TokenGrant, parse_token_reply};
pub use token_manager::{
    DEFAULT_REFRESH_MARGIN, MemoryTokenStore, StoredTokens, TokenManager, TokenStore,
};

/// Re-exported so callers can build a deterministic PKCE pair for tests.
pub use oauth2::PkceCodeVerifier;
