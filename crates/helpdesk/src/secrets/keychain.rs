//! The OS keychain through `keyring` v4 (its `v1` feature: macOS Keychain,
//! Windows Credential Manager, the Secret Service over D-Bus on Linux).
//!
//! A keychain can block: a locked login keyring waits for a password
//! prompt, a missing D-Bus session can stall. So every call runs on its own
//! thread and is abandoned after a timeout ([`DEFAULT_KEYCHAIN_TIMEOUT`]):
//! the app then reports the keychain unavailable instead of hanging. A
//! self-test (write, read back, delete a probe entry) runs when the store
//! is opened, so a keychain that only half works is found at start, not
//! when a token is about to be saved.

use std::sync::mpsc;
use std::time::Duration;

use super::{SecretName, SecretStore, SecretStoreError, SecretValue, StoreKind};

/// The keychain "service" under which the entries are kept.
pub const KEYCHAIN_SERVICE: &str = "com.deskchat.desktop";
/// How long one keychain call may take.
pub const DEFAULT_KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(3);
/// Entry written and deleted by the self-test.
const PROBE_ENTRY: &str = "self-test";

/// A [`SecretStore`] in the OS keychain.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
    timeout: Duration,
}

impl KeyringStore {
    /// Opens the keychain under [`KEYCHAIN_SERVICE`] and self-tests it.
    pub fn open() -> Result<Self, SecretStoreError> {
        Self::open_with(KEYCHAIN_SERVICE, DEFAULT_KEYCHAIN_TIMEOUT)
    }

    /// Opens under another service name (e.g. one per data dir) and timeout.
    pub fn open_with(service: &str, timeout: Duration) -> Result<Self, SecretStoreError> {
        let store = Self {
            service: service.to_owned(),
            timeout,
        };
        store.self_test()?;
        Ok(store)
    }

    /// Writes, reads back and deletes a random probe value.
    pub fn self_test(&self) -> Result<(), SecretStoreError> {
        let probe = uuid::Uuid::new_v4().simple().to_string();
        let service = self.service.clone();
        let outcome = run_with_timeout(self.timeout, move || {
            let entry = keyring::Entry::new(&service, PROBE_ENTRY)?;
            entry.set_password(&probe)?;
            let read = entry.get_password();
            let _ = entry.delete_credential();
            Ok::<bool, keyring::Error>(read? == probe)
        })?;
        match outcome {
            Ok(true) => Ok(()),
            Ok(false) => Err(SecretStoreError::KeychainUnavailable {
                reason: "the self-test read back another value than it wrote".to_owned(),
            }),
            Err(e) => Err(unavailable(&e)),
        }
    }

    fn call<T: Send + 'static>(
        &self,
        name: SecretName,
        op: impl FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Result<keyring::Result<T>, SecretStoreError> {
        let service = self.service.clone();
        run_with_timeout(self.timeout, move || {
            let entry = keyring::Entry::new(&service, name.key())?;
            op(&entry)
        })
    }
}

fn unavailable(error: &keyring::Error) -> SecretStoreError {
    // keyring's messages describe the platform failure, never the value.
    SecretStoreError::KeychainUnavailable {
        reason: error.to_string(),
    }
}

/// Runs `f` on a fresh thread and waits at most `timeout`. On timeout the
/// thread is left to finish on its own: there is no way to interrupt a
/// platform call, and waiting for it is what must not happen.
pub(crate) fn run_with_timeout<T: Send + 'static>(
    timeout: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, SecretStoreError> {
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("keychain".to_owned())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .map_err(|e| SecretStoreError::KeychainUnavailable {
            reason: format!("no thread for the keychain call: {e}"),
        })?;
    rx.recv_timeout(timeout)
        .map_err(|_| SecretStoreError::KeychainTimeout { after: timeout })
}

impl SecretStore for KeyringStore {
    fn get(&self, name: SecretName) -> Result<Option<SecretValue>, SecretStoreError> {
        match self.call(name, |entry| entry.get_password())? {
            Ok(value) => Ok(Some(SecretValue::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(&e)),
        }
    }

    fn set(&self, name: SecretName, value: &SecretValue) -> Result<(), SecretStoreError> {
        let value = value.clone();
        self.call(name, move |entry| entry.set_password(value.expose()))?
            .map_err(|e| unavailable(&e))
    }

    fn delete(&self, name: SecretName) -> Result<(), SecretStoreError> {
        match self.call(name, |entry| entry.delete_credential())? {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(&e)),
        }
    }

    fn kind(&self) -> StoreKind {
        StoreKind::Keychain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_that_blocks_is_abandoned_after_the_timeout() {
        let started = std::time::Instant::now();
        let outcome = run_with_timeout(Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_secs(5));
        });
        assert!(matches!(
            outcome,
            Err(SecretStoreError::KeychainTimeout { .. })
        ));
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(run_with_timeout(Duration::from_secs(1), || 7).unwrap(), 7);
    }
}
