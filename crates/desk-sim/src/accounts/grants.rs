//! What Zoho Accounts remembers about consents: pending consent pages,
//! authorization codes, grants (one per refresh token) and access tokens.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::clock::now_ms;
use crate::ids::zoho_token;
use crate::state::Data;

/// A validated authorization request (from `GET /oauth/v2/auth`).
#[derive(Debug, Clone)]
pub(crate) struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub offline: bool,
    pub challenge: Option<Challenge>,
}

/// A PKCE code challenge (RFC 7636).
#[derive(Debug, Clone)]
pub(crate) struct Challenge {
    pub value: String,
    pub method: ChallengeMethod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChallengeMethod {
    S256,
    Plain,
}

/// A consent page shown and waiting for Approve or Deny.
#[derive(Debug, Clone)]
pub(crate) struct PendingConsent {
    pub request: AuthRequest,
    pub expires_at: Instant,
}

/// An authorization code not yet exchanged.
#[derive(Debug, Clone)]
pub(crate) struct PendingCode {
    pub request: AuthRequest,
    pub expires_at: Instant,
}

/// One consent of a user to a client: the refresh token and what it may do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Grant {
    pub id: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    /// `None` when the consent was online-only (`access_type` not `offline`).
    pub refresh_token: Option<String>,
    pub created_ms: u64,
    /// Start of the current 10-minute refresh window, and refreshes in it.
    pub window_start_ms: u64,
    pub window_count: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AccessToken {
    pub token: String,
    pub grant_id: String,
    pub expires_ms: u64,
}

/// Zoho keeps at most this many refresh tokens per user and client; a new one
/// beyond it deletes the oldest (the docs also say "or is denied": we delete).
pub(crate) const MAX_REFRESH_TOKENS_PER_CLIENT: usize = 20;

/// Length of the refresh-limit window.
pub(crate) const REFRESH_WINDOW_MS: u64 = 10 * 60 * 1000;

impl Data {
    /// Records a new grant and its first access token; returns (access, refresh).
    pub(crate) fn create_grant(
        &mut self,
        client_id: &str,
        scopes: Vec<String>,
        offline: bool,
        ttl_ms: u64,
    ) -> (String, Option<String>) {
        let now = now_ms();
        let grant_id = self.new_id();
        let refresh_token = offline.then(zoho_token);
        if offline {
            let mut mine: Vec<(u64, String)> = self
                .grants
                .iter()
                .filter(|g| g.client_id == client_id && g.refresh_token.is_some())
                .map(|g| (g.created_ms, g.id.clone()))
                .collect();
            mine.sort();
            while mine.len() >= MAX_REFRESH_TOKENS_PER_CLIENT {
                let (_, oldest) = mine.remove(0);
                self.remove_grant(&oldest);
            }
        }
        self.grants.push(Grant {
            id: grant_id.clone(),
            client_id: client_id.to_owned(),
            scopes,
            refresh_token: refresh_token.clone(),
            created_ms: now,
            window_start_ms: now,
            window_count: 0,
        });
        let access = self.mint_access_token(&grant_id, ttl_ms);
        (access, refresh_token)
    }

    pub(crate) fn mint_access_token(&mut self, grant_id: &str, ttl_ms: u64) -> String {
        let now = now_ms();
        // Forget long-expired tokens so that the state does not grow forever.
        self.access_tokens
            .retain(|t| t.expires_ms + REFRESH_WINDOW_MS > now);
        let token = zoho_token();
        self.access_tokens.push(AccessToken {
            token: token.clone(),
            grant_id: grant_id.to_owned(),
            expires_ms: now.saturating_add(ttl_ms),
        });
        token
    }

    /// Removes a grant with its refresh token and all its access tokens.
    pub(crate) fn remove_grant(&mut self, grant_id: &str) {
        self.grants.retain(|g| g.id != grant_id);
        self.access_tokens.retain(|t| t.grant_id != grant_id);
    }

    /// The grant behind a valid (known, unexpired) access token.
    pub(crate) fn grant_for_access_token(&self, token: &str) -> Option<&Grant> {
        let now = now_ms();
        let t = self
            .access_tokens
            .iter()
            .find(|t| t.token == token && t.expires_ms > now)?;
        self.grants.iter().find(|g| g.id == t.grant_id)
    }

    pub(crate) fn client(&self, client_id: &str) -> Option<&crate::config::RegisteredClient> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }
}
