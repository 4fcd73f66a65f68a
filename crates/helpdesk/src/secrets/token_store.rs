//! `zoho_desk::TokenStore` on top of a [`SecretStore`]: the access token,
//! its expiry and the refresh token as three entries.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use zoho_desk::{AccessToken, RefreshToken, StoreError, StoredTokens, TokenStore};

use super::{SecretName, SecretStore, SecretValue};

/// Keeps a `TokenManager`'s tokens in a [`SecretStore`].
#[derive(Debug, Clone)]
pub struct SecretTokenStore {
    store: Arc<dyn SecretStore>,
}

impl SecretTokenStore {
    /// Tokens in `store`.
    pub fn new(store: Arc<dyn SecretStore>) -> Self {
        Self { store }
    }

    /// The underlying store.
    pub fn store(&self) -> &Arc<dyn SecretStore> {
        &self.store
    }
}

impl TokenStore for SecretTokenStore {
    fn load(&self) -> Result<Option<StoredTokens>, StoreError> {
        let access = self.store.get(SecretName::AccessToken)?;
        let refresh = self.store.get(SecretName::RefreshToken)?;
        if access.is_none() && refresh.is_none() {
            return Ok(None);
        }
        // An unreadable expiry is treated as unknown: the token is then used
        // until Desk rejects it, which is safe.
        let expires = self
            .store
            .get(SecretName::AccessExpiry)?
            .and_then(|v| DateTime::parse_from_rfc3339(v.expose()).ok())
            .map(|t| t.with_timezone(&Utc));
        Ok(Some(StoredTokens {
            access_token: access.map(|v| AccessToken::new(v.expose())),
            access_expires_at: expires,
            refresh_token: refresh.map(|v| RefreshToken::new(v.expose())),
        }))
    }

    fn save(&self, tokens: &StoredTokens) -> Result<(), StoreError> {
        let put = |name, value: Option<String>| match value {
            Some(v) => self.store.set(name, &SecretValue::new(v)),
            None => self.store.delete(name),
        };
        // Refresh token first: it is the one that cannot be got back.
        put(
            SecretName::RefreshToken,
            tokens.refresh_token.as_ref().map(|t| t.expose().to_owned()),
        )?;
        put(
            SecretName::AccessToken,
            tokens.access_token.as_ref().map(|t| t.expose().to_owned()),
        )?;
        put(
            SecretName::AccessExpiry,
            tokens.access_expires_at.map(|t| t.to_rfc3339()),
        )?;
        Ok(())
    }

    fn clear(&self) -> Result<(), StoreError> {
        for name in [
            SecretName::RefreshToken,
            SecretName::AccessToken,
            SecretName::AccessExpiry,
        ] {
            self.store.delete(name)?;
        }
        Ok(())
    }
}
