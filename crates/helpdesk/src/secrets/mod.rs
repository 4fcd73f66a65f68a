//! Where the client secret and the tokens are kept.
//!
//! - [`KeyringStore`]: the OS keychain (macOS Keychain, Windows Credential
//!   Manager, the Secret Service on Linux) through `keyring` v4, self-tested
//!   at start, every call on its own thread with a timeout, because a locked
//!   or missing keychain must not hang the app.
//! - [`FileStore`]: a JSON file in the data dir readable by the user alone,
//!   used only after the user agreed (or with `DESK_CHAT_SECRET_STORE=file`).
//! - [`MemoryStore`]: tests, and a session that keeps nothing.
//!
//! [`select_store`] picks one; [`SecretTokenStore`] adapts any of them to
//! `zoho_desk::TokenStore`. Values travel as [`SecretValue`], whose `Debug`
//! is redacted: no secret reaches a log line.
//!
//! Not here: non-secret settings ([`crate::settings`]).

mod file;
mod keychain;
mod memory;
mod select;
mod token_store;

use std::fmt;
use std::time::Duration;

pub use file::FileStore;
pub use keychain::{DEFAULT_KEYCHAIN_TIMEOUT, KEYCHAIN_SERVICE, KeyringStore};
pub use memory::MemoryStore;
pub use select::{
    AcceptError, ActiveStore, SECRET_STORE_ENV, StoreSelection, accept_file_store, select_store,
    select_store_with,
};
pub use token_store::SecretTokenStore;

/// The named secrets Desk Chat keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretName {
    /// The OAuth client secret.
    ClientSecret,
    /// The refresh token.
    RefreshToken,
    /// The current access token.
    AccessToken,
    /// When the access token expires (RFC 3339). Not secret itself, but kept
    /// next to the token it describes.
    AccessExpiry,
}

impl SecretName {
    /// Every name, for wiping.
    pub const ALL: [SecretName; 4] = [
        Self::ClientSecret,
        Self::RefreshToken,
        Self::AccessToken,
        Self::AccessExpiry,
    ];

    /// The entry name in the keychain and the key in the file.
    pub fn key(self) -> &'static str {
        match self {
            Self::ClientSecret => "client-secret",
            Self::RefreshToken => "refresh-token",
            Self::AccessToken => "access-token",
            Self::AccessExpiry => "access-token-expiry",
        }
    }
}

/// A secret's value. `Debug` is redacted and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(String);

impl SecretValue {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value: call it only to send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretValue([redacted])")
    }
}

/// Which kind of store holds the secrets (for the status area and banner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// The OS keychain.
    Keychain,
    /// The user-only file.
    File,
    /// Memory only.
    Memory,
}

/// What went wrong keeping a secret. Messages never contain a value.
#[derive(Debug, thiserror::Error)]
pub enum SecretStoreError {
    /// The keychain failed its self-test or a call.
    #[error(
        "the system keychain is not available ({reason}); unlock it, or allow Desk Chat to keep the sign-in in a file only you can read"
    )]
    KeychainUnavailable {
        /// What the keychain said (no secret).
        reason: String,
    },
    /// The keychain did not answer in time (locked, or waiting for a prompt).
    #[error(
        "the system keychain did not answer within {} s (it may be locked); unlock it and try again, or allow Desk Chat to keep the sign-in in a file only you can read",
        .after.as_secs_f32()
    )]
    KeychainTimeout {
        /// The timeout.
        after: Duration,
    },
    /// The secrets file could not be read or written.
    #[error("could not {action} the secrets file {path}: {source}")]
    File {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: std::path::PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The secrets file exists but is not what this app writes.
    #[error("the secrets file {path} is damaged; disconnect and connect again to replace it")]
    FileCorrupt {
        /// The file.
        path: std::path::PathBuf,
    },
    /// The user declined the file store and no keychain works.
    #[error(
        "no system keychain works and keeping the sign-in in a file was declined; Desk Chat cannot remember the connection"
    )]
    NoStore,
}

/// Named secrets: get, set, delete. Implementations are `Send + Sync`, are
/// cheap to call from async code (they bound their own blocking), and their
/// `Debug` shows where they keep things, never what.
pub trait SecretStore: Send + Sync + fmt::Debug {
    /// The value, if any.
    fn get(&self, name: SecretName) -> Result<Option<SecretValue>, SecretStoreError>;
    /// Sets (replaces) the value.
    fn set(&self, name: SecretName, value: &SecretValue) -> Result<(), SecretStoreError>;
    /// Deletes it; deleting what is not there is not an error.
    fn delete(&self, name: SecretName) -> Result<(), SecretStoreError>;
    /// Which kind of store this is.
    fn kind(&self) -> StoreKind;

    /// Deletes every secret (disconnect). Tries them all, reports the first failure.
    fn wipe(&self) -> Result<(), SecretStoreError> {
        let mut first = None;
        for name in SecretName::ALL {
            if let Err(e) = self.delete(name) {
                first.get_or_insert(e);
            }
        }
        first.map_or(Ok(()), Err)
    }
}
