//! Secrets in a JSON file readable by the user alone (mode 0600 on unix,
//! set when the file is created, never widened), written atomically. Used
//! only where no keychain works and the user agreed, or when
//! `DESK_CHAT_SECRET_STORE=file` says so (tests, CI).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{SecretName, SecretStore, SecretStoreError, SecretValue, StoreKind};
use crate::settings::{DataDir, write_atomically};

/// Unix mode of the secrets file: read and write for the owner only.
const FILE_MODE: u32 = 0o600;

/// A [`SecretStore`] in `<data dir>/secrets.json`.
pub struct FileStore {
    path: PathBuf,
    // Serialises read-modify-write cycles within this process.
    lock: Mutex<()>,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStore")
            .field("path", &self.path)
            .finish()
    }
}

impl FileStore {
    /// The store of `data_dir` (the folder is created, user-only).
    pub fn open(data_dir: &DataDir) -> Result<Self, SecretStoreError> {
        data_dir.ensure().map_err(|e| SecretStoreError::File {
            action: "create the folder of",
            path: data_dir.secrets_file(),
            source: io::Error::other(e.to_string()),
        })?;
        Self::at(data_dir.secrets_file())
    }

    /// A store at a given path. An existing file readable by others is
    /// narrowed to the owner first.
    pub fn at(path: impl Into<PathBuf>) -> Result<Self, SecretStoreError> {
        let store = Self {
            path: path.into(),
            lock: Mutex::new(()),
        };
        #[cfg(unix)]
        if let Ok(meta) = std::fs::metadata(&store.path) {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(&store.path, std::fs::Permissions::from_mode(FILE_MODE))
                    .map_err(|source| store.error("restrict the permissions of", source))?;
            }
        }
        Ok(store)
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, action: &'static str, source: io::Error) -> SecretStoreError {
        SecretStoreError::File {
            action,
            path: self.path.clone(),
            source,
        }
    }

    fn read(&self) -> Result<BTreeMap<String, String>, SecretStoreError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|_| SecretStoreError::FileCorrupt {
                    path: self.path.clone(),
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(self.error("read", e)),
        }
    }

    fn write(&self, values: &BTreeMap<String, String>) -> Result<(), SecretStoreError> {
        if values.is_empty() {
            return match std::fs::remove_file(&self.path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(self.error("delete", e)),
                _ => Ok(()),
            };
        }
        let json = serde_json::to_vec_pretty(values)
            .map_err(|e| self.error("encode", io::Error::other(e)))?;
        write_atomically(&self.path, &json, Some(FILE_MODE)).map_err(|e| self.error("write", e))
    }

    fn change(
        &self,
        edit: impl FnOnce(&mut BTreeMap<String, String>),
    ) -> Result<(), SecretStoreError> {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut values = self.read()?;
        let before = values.clone();
        edit(&mut values);
        if values == before {
            return Ok(());
        }
        self.write(&values)
    }
}

impl SecretStore for FileStore {
    fn get(&self, name: SecretName) -> Result<Option<SecretValue>, SecretStoreError> {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        Ok(self.read()?.remove(name.key()).map(SecretValue::new))
    }

    fn set(&self, name: SecretName, value: &SecretValue) -> Result<(), SecretStoreError> {
        self.change(|values| {
            values.insert(name.key().to_owned(), value.expose().to_owned());
        })
    }

    fn delete(&self, name: SecretName) -> Result<(), SecretStoreError> {
        self.change(|values| {
            values.remove(name.key());
        })
    }

    fn kind(&self) -> StoreKind {
        StoreKind::File
    }
}
