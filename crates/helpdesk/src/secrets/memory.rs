//! Secrets in memory: tests, and a session that must keep nothing.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{SecretName, SecretStore, SecretStoreError, SecretValue, StoreKind};

/// A [`SecretStore`] in memory.
#[derive(Default)]
pub struct MemoryStore {
    values: Mutex<HashMap<SecretName, SecretValue>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn values(&self) -> std::sync::MutexGuard<'_, HashMap<SecretName, SecretValue>> {
        self.values.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.values().keys().map(|n| n.key()).collect();
        names.sort_unstable();
        f.debug_struct("MemoryStore")
            .field("holds", &names)
            .finish()
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, name: SecretName) -> Result<Option<SecretValue>, SecretStoreError> {
        Ok(self.values().get(&name).cloned())
    }

    fn set(&self, name: SecretName, value: &SecretValue) -> Result<(), SecretStoreError> {
        self.values().insert(name, value.clone());
        Ok(())
    }

    fn delete(&self, name: SecretName) -> Result<(), SecretStoreError> {
        self.values().remove(&name);
        Ok(())
    }

    fn kind(&self) -> StoreKind {
        StoreKind::Memory
    }
}
