//! The delivery lock: which process may recover interrupted items and send.
//!
//! The app and `deskctl` share one outbox file. An item found `sending` is
//! only "interrupted" if the process that claimed it is gone; while it is
//! alive the item is in flight, and recovering it (then finding nothing in
//! Desk yet and sending it again) files the ticket twice. So only the
//! holder of an exclusive advisory lock on the sibling file
//! `<outbox>.lock` (`outbox.sqlite.lock`) recovers and delivers; everyone
//! else may enqueue, read, retry or discard, which are single SQLite
//! statements that never touch an item in flight.
//!
//! The lock is `flock(2)` on Unix and `LockFileEx` on Windows, through
//! [`std::fs::File::try_lock`] (no extra crate): the OS releases it when
//! the holder exits or is killed, so a SIGKILLed app never blocks anyone,
//! and no stale lock file needs cleaning. It belongs to the open file
//! description, not the process: two handles opened in one process
//! exclude each other too (tests rely on this to play two processes).
//!
//! What it is not: a mutex between clones of one [`super::Outbox`] (they
//! share the lock), nor a guard for readers.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Error, Result};

/// Where a handle stands with the delivery lock.
#[derive(Debug)]
pub(super) enum Mode {
    /// An on-disk outbox: the lock is taken on `path` when delivery starts.
    File { path: PathBuf },
    /// In memory: no other process can see it, so this handle always delivers.
    Private,
    /// Opened to look only ([`super::Outbox::open_to_read`]): never delivers.
    ReadOnly,
}

/// The delivery lock of one outbox handle (shared by its clones).
#[derive(Debug)]
pub(super) struct DeliveryLock {
    mode: Mode,
    /// The locked file while this handle holds the lock; dropping it
    /// (with the last clone of the outbox) releases the lock.
    held: Mutex<Option<File>>,
    /// Items found `sending` when the lock was taken.
    pub(super) recovered: AtomicUsize,
}

/// The lock file beside the outbox database: `outbox.sqlite.lock`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl DeliveryLock {
    pub(super) fn new(mode: Mode) -> Self {
        Self {
            mode,
            held: Mutex::new(None),
            recovered: AtomicUsize::new(0),
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<File>> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether this handle holds the lock (without trying to take it).
    pub(super) fn is_held(&self) -> bool {
        match self.mode {
            Mode::Private => true,
            Mode::ReadOnly => false,
            Mode::File { .. } => self.slot().is_some(),
        }
    }

    /// Takes the lock if it is free; `on_acquire` runs (under the slot's
    /// mutex, so only once) right after it is taken: the recovery.
    /// `Ok(false)`: another handle (another process) holds it.
    pub(super) fn try_acquire(&self, on_acquire: impl FnOnce() -> Result<usize>) -> Result<bool> {
        let path = match &self.mode {
            Mode::Private => return Ok(true),
            Mode::ReadOnly => return Ok(false),
            Mode::File { path } => path,
        };
        let mut slot = self.slot();
        if slot.is_some() {
            return Ok(true);
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| Error::Lock(format!("{}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(false),
            Err(TryLockError::Error(e)) => {
                return Err(Error::Lock(format!("{}: {e}", path.display())));
            }
        }
        // Recover before anyone can claim through this handle: an item
        // still `sending` now was claimed by a holder that is gone.
        let recovered = on_acquire()?;
        self.recovered.fetch_add(recovered, Ordering::Relaxed);
        *slot = Some(file);
        tracing::info!(lock = %path.display(), recovered, "this process delivers the outbox");
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_sits_beside_the_database() {
        assert_eq!(
            lock_path(Path::new("/data/outbox.sqlite")),
            PathBuf::from("/data/outbox.sqlite.lock")
        );
    }

    #[test]
    fn two_handles_in_one_process_exclude_each_other_and_dropping_releases() {
        // flock belongs to the open file description: std's `try_lock`
        // on a second `File` of the same path must fail while the first
        // holds it, even in the same process.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.sqlite.lock");
        let first = DeliveryLock::new(Mode::File { path: path.clone() });
        let second = DeliveryLock::new(Mode::File { path: path.clone() });
        assert!(first.try_acquire(|| Ok(0)).unwrap());
        assert!(first.is_held());
        let mut ran = false;
        assert!(
            !second
                .try_acquire(|| {
                    ran = true;
                    Ok(0)
                })
                .unwrap()
        );
        assert!(!ran, "no recovery without the lock");
        assert!(!second.is_held());
        // Taking it again is a no-op for the holder.
        assert!(first.try_acquire(|| panic!("recovered twice")).unwrap());
        drop(first);
        assert!(second.try_acquire(|| Ok(2)).unwrap());
        assert_eq!(second.recovered.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn a_read_only_handle_never_holds_and_a_private_one_always_does() {
        let read = DeliveryLock::new(Mode::ReadOnly);
        assert!(!read.try_acquire(|| panic!("a reader recovered")).unwrap());
        let private = DeliveryLock::new(Mode::Private);
        assert!(private.try_acquire(|| Ok(0)).unwrap());
        assert!(private.is_held());
    }
}
