//! Keeps a valid access token at hand (contract, "OAuth": Refresh and Limits).
//!
//! - Refreshes shortly before expiry (60 s margin by default).
//! - Single-flight: any number of concurrent callers cause one refresh. Zoho
//!   allows only 10 access tokens per refresh token per 10 minutes, so a
//!   burst of calls must never turn into a burst of refreshes.
//! - After a Desk 401 `INVALID_OAUTH` the Desk client calls
//!   [`TokenManager::refresh_after_rejection`]: one refresh, whatever the
//!   number of calls that saw the same rejected token.
//! - A refresh token that Zoho rejects (`invalid_code`) means only the user
//!   can help: [`Error::ReconnectNeeded`], remembered so that no further
//!   refresh is attempted until new tokens are installed.
//! - Works with an access token alone (imported, no refresh token): used
//!   until it expires or is rejected, then `ReconnectNeeded`.
//!
//! Tokens are persisted through a [`TokenStore`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ReconnectReason, Result, StoreError};
use crate::secret::{AccessToken, RefreshToken};
use crate::token::{AccountsClient, ClientCredentials, TokenGrant};

/// Default margin before expiry at which a token is refreshed.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// What is persisted between runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredTokens {
    /// The current access token.
    #[serde(default)]
    pub access_token: Option<AccessToken>,
    /// When it expires; `None` when unknown (e.g. imported).
    #[serde(default)]
    pub access_expires_at: Option<DateTime<Utc>>,
    /// The refresh token.
    #[serde(default)]
    pub refresh_token: Option<RefreshToken>,
}

/// Persistence of tokens (the app uses the OS keychain). Calls are short
/// and synchronous; they happen after a refresh and on install/clear.
pub trait TokenStore: Send + Sync {
    /// The saved tokens, if any.
    fn load(&self) -> Result<Option<StoredTokens>, StoreError>;
    /// Saves (replaces) the tokens.
    fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError>;
    /// Forgets the tokens.
    fn clear(&self) -> Result<(), StoreError>;
}

/// A [`TokenStore`] in memory (tests, and a session that must not persist).
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<Option<StoredTokens>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `tokens`.
    pub fn with_tokens(tokens: StoredTokens) -> Self {
        Self {
            tokens: Mutex::new(Some(tokens)),
        }
    }

    /// What is stored now.
    pub fn snapshot(&self) -> Option<StoredTokens> {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        Ok(self.snapshot())
    }

    fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        *self.tokens.lock().unwrap_or_else(|e| e.into_inner()) = Some(tokens.clone());
        Ok(())
    }

    fn clear(&self) -> Result<(), StoreError> {
        *self.tokens.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }
}

#[derive(Default)]
struct State {
    access: Option<AccessToken>,
    expires_at: Option<DateTime<Utc>>,
    refresh: Option<RefreshToken>,
    /// Lifetime of the current access token, when it was granted in this run.
    lifetime: Option<Duration>,
    /// Set when only the user can help; cleared by new tokens.
    reconnect: Option<ReconnectReason>,
}

impl State {
    fn from_stored(tokens: StoredTokens) -> Self {
        let reconnect = (tokens.access_token.is_none() && tokens.refresh_token.is_none())
            .then_some(ReconnectReason::NotConnected);
        Self {
            access: tokens.access_token,
            expires_at: tokens.access_expires_at,
            refresh: tokens.refresh_token,
            lifetime: None,
            reconnect,
        }
    }

    fn stored(&self) -> StoredTokens {
        StoredTokens {
            access_token: self.access.clone(),
            access_expires_at: self.expires_at,
            refresh_token: self.refresh.clone(),
        }
    }

    /// The access token if it is still good for `margin`, capped at half
    /// its lifetime (a token shorter-lived than the margin is still used).
    fn usable(&self, now: DateTime<Utc>, margin: Duration) -> Option<AccessToken> {
        let access = self.access.as_ref()?;
        let margin = match self.lifetime {
            Some(lifetime) => margin.min(lifetime / 2),
            None => margin,
        };
        match self.expires_at {
            Some(at) if now + chrono::Duration::from_std(margin).unwrap_or_default() >= at => None,
            _ => Some(access.clone()),
        }
    }
}

/// Holds the tokens of one connection and refreshes them.
pub struct TokenManager {
    accounts: AccountsClient,
    credentials: ClientCredentials,
    store: Arc<dyn TokenStore>,
    margin: Duration,
    state: Mutex<State>,
    /// Held for the whole of a refresh: this is what makes it single-flight.
    refresh_lock: tokio::sync::Mutex<()>,
    refreshes: AtomicU64,
}

impl std::fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenManager")
            .field("accounts", self.accounts.base())
            .field("client_id", &self.credentials.client_id)
            .field("expires_at", &self.expires_at())
            .finish_non_exhaustive()
    }
}

impl TokenManager {
    /// A manager for the client `credentials`, refreshing at `accounts`,
    /// starting from what `store` holds (nothing: not connected yet).
    pub fn new(
        accounts: AccountsClient,
        credentials: ClientCredentials,
        store: Arc<dyn TokenStore>,
    ) -> Result<Self> {
        let stored = store
            .load()
            .map_err(|source| Error::TokenStore { source })?
            .unwrap_or_default();
        Ok(Self {
            accounts,
            credentials,
            store,
            margin: DEFAULT_REFRESH_MARGIN,
            state: Mutex::new(State::from_stored(stored)),
            refresh_lock: tokio::sync::Mutex::new(()),
            refreshes: AtomicU64::new(0),
        })
    }

    /// Refresh this long before expiry instead of 60 s.
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Installs the tokens of a code exchange (and saves them).
    pub fn install(&self, grant: &TokenGrant) -> Result<()> {
        let tokens = StoredTokens {
            access_token: Some(grant.access_token.clone()),
            access_expires_at: Some(grant.expires_at(Utc::now())),
            refresh_token: grant.refresh_token.clone(),
        };
        self.set_tokens(tokens)?;
        self.lock_state().lifetime = Some(grant.expires_in);
        Ok(())
    }

    /// Replaces the tokens (e.g. an access token imported from a `.env`) and saves them.
    pub fn set_tokens(&self, tokens: StoredTokens) -> Result<()> {
        self.store
            .save(&tokens)
            .map_err(|source| Error::TokenStore { source })?;
        *self.lock_state() = State::from_stored(tokens);
        Ok(())
    }

    /// Whether there is anything to authenticate with.
    pub fn is_connected(&self) -> bool {
        self.lock_state().reconnect.is_none()
    }

    /// When the current access token expires, if known.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.lock_state().expires_at
    }

    /// How many refreshes this manager has sent.
    pub fn refresh_count(&self) -> u64 {
        self.refreshes.load(Ordering::Relaxed)
    }

    /// The Accounts client used for refresh.
    pub fn accounts(&self) -> &AccountsClient {
        &self.accounts
    }

    /// A valid access token, refreshed first if it expires within the margin.
    pub async fn access_token(&self) -> Result<AccessToken> {
        if let Some(token) = self.usable_now()? {
            return Ok(token);
        }
        let _guard = self.refresh_lock.lock().await;
        // Whoever held the lock before us may have refreshed already.
        if let Some(token) = self.usable_now()? {
            return Ok(token);
        }
        self.refresh_locked().await
    }

    /// Desk rejected `rejected` (401 `INVALID_OAUTH`): get a new token,
    /// unless another caller already replaced that one.
    pub async fn refresh_after_rejection(&self, rejected: &AccessToken) -> Result<AccessToken> {
        let _guard = self.refresh_lock.lock().await;
        {
            let mut state = self.lock_state();
            if let Some(reason) = state.reconnect {
                return Err(Error::reconnect(reason));
            }
            match &state.access {
                Some(current) if current != rejected => {
                    if let Some(token) = state.usable(Utc::now(), self.margin) {
                        return Ok(token);
                    }
                }
                _ => {
                    state.access = None;
                    state.expires_at = None;
                }
            }
        }
        self.refresh_locked().await
    }

    /// Revokes the refresh token at Zoho and forgets every token (sign out).
    pub async fn revoke(&self) -> Result<()> {
        let _guard = self.refresh_lock.lock().await;
        let refresh = self.lock_state().refresh.clone();
        if let Some(refresh) = refresh {
            self.accounts.revoke(&refresh).await?;
        }
        self.forget(ReconnectReason::NotConnected);
        Ok(())
    }

    fn usable_now(&self) -> Result<Option<AccessToken>> {
        let state = self.lock_state();
        if let Some(reason) = state.reconnect {
            return Err(Error::reconnect(reason));
        }
        Ok(state.usable(Utc::now(), self.margin))
    }

    /// Refreshes; the caller holds `refresh_lock`.
    async fn refresh_locked(&self) -> Result<AccessToken> {
        let refresh = {
            let mut state = self.lock_state();
            match state.refresh.clone() {
                Some(refresh) => refresh,
                None => {
                    state.access = None;
                    state.reconnect = Some(ReconnectReason::AccessExpired);
                    return Err(Error::reconnect(ReconnectReason::AccessExpired));
                }
            }
        };
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        tracing::info!("refreshing the Zoho access token");
        match self.accounts.refresh(&self.credentials, &refresh).await {
            Ok(grant) => {
                let stored = {
                    let mut state = self.lock_state();
                    state.access = Some(grant.access_token.clone());
                    state.expires_at = Some(grant.expires_at(Utc::now()));
                    state.lifetime = Some(grant.expires_in);
                    if let Some(new_refresh) = &grant.refresh_token {
                        state.refresh = Some(new_refresh.clone());
                    }
                    state.stored()
                };
                // A failed save is not fatal: the token works for this run.
                if let Err(error) = self.store.save(&stored) {
                    tracing::warn!(%error, "could not save the refreshed Zoho token");
                }
                Ok(grant.access_token)
            }
            Err(Error::InvalidCode) => {
                tracing::warn!("Zoho rejected the refresh token; the user must reconnect");
                self.forget(ReconnectReason::RefreshRejected);
                Err(Error::reconnect(ReconnectReason::RefreshRejected))
            }
            Err(other) => Err(other),
        }
    }

    fn forget(&self, reason: ReconnectReason) {
        *self.lock_state() = State {
            reconnect: Some(reason),
            ..State::default()
        };
        if let Err(error) = self.store.clear() {
            tracing::warn!(%error, "could not clear the saved Zoho tokens");
        }
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_near_expiry_is_not_usable() {
        let now = Utc::now();
        let mut state = State {
            access: Some(AccessToken::new("a")),
            ..State::default()
        };
        assert!(
            state.usable(now, DEFAULT_REFRESH_MARGIN).is_some(),
            "unknown expiry: used until rejected"
        );
        state.expires_at = Some(now + chrono::Duration::seconds(30));
        assert!(state.usable(now, DEFAULT_REFRESH_MARGIN).is_none());
        state.expires_at = Some(now + chrono::Duration::seconds(120));
        assert!(state.usable(now, DEFAULT_REFRESH_MARGIN).is_some());
        // A 10 s token, 6 s left: the margin is capped at 5 s, so it is still used.
        state.lifetime = Some(Duration::from_secs(10));
        state.expires_at = Some(now + chrono::Duration::seconds(6));
        assert!(state.usable(now, DEFAULT_REFRESH_MARGIN).is_some());
        state.expires_at = Some(now + chrono::Duration::seconds(4));
        assert!(state.usable(now, DEFAULT_REFRESH_MARGIN).is_none());
    }

    #[test]
    fn stored_tokens_round_trip_through_json() {
        let tokens = StoredTokens {
            access_token: Some(AccessToken::new("1000.a")),
            access_expires_at: Some(Utc::now()),
            refresh_token: Some(RefreshToken::new("1000.r")),
        };
        let json = serde_json::to_string(&tokens).unwrap();
        assert_eq!(serde_json::from_str::<StoredTokens>(&json).unwrap(), tokens);
        assert!(!format!("{tokens:?}").contains("1000.r"));
    }
}
