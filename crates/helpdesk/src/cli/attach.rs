//! Attachments of `deskctl ticket --attach FILE` (the flag may be given
//! several times): read and checked with the forms' caps (at most
//! [`MAX_ATTACHMENTS`] files of [`MAX_ATTACHMENT_BYTES`], none empty), then
//! committed to the outbox with the item in one transaction. The
//! [`Deliverer`](crate::outbox::Deliverer) uploads them once the ticket
//! exists, each marked with Desk's attachment id: the one path to Desk the
//! forms use, so nothing here talks to Desk, and a queued ticket keeps its
//! files even if the originals are deleted.
//!
//! Files that an older `deskctl` kept beside the outbox
//! (`<data dir>/pending-attachments/<client ref>/`) are moved into the
//! outbox by the process that delivers ([`adopt_spooled`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::exit::CliError;
use crate::compose::ClientRef;
use crate::forms::{MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, clean_file_name};
use crate::outbox::{AttachmentId, AttachmentInfo, Item, ItemState, Outbox, StagedFile};
use crate::settings::DataDir;

const MIB: usize = 1024 * 1024;

/// Reads the `--attach` files, checked with the forms' caps; a file that
/// cannot be read or breaks a cap is a usage error (exit 2) naming it.
pub(super) fn read_all(paths: &[PathBuf]) -> Result<Vec<StagedFile>, CliError> {
    if let Some(extra) = paths.get(MAX_ATTACHMENTS) {
        return Err(CliError::usage(format!(
            "--attach {}: at most {MAX_ATTACHMENTS} files can be attached to one ticket ({} given); attach fewer, or put links in the description",
            extra.display(),
            paths.len()
        )));
    }
    paths.iter().map(|p| read_one(p)).collect()
}

fn read_one(path: &Path) -> Result<StagedFile, CliError> {
    let flag = format!("--attach {}", path.display());
    let unreadable = |e: std::io::Error| CliError::usage(format!("{flag}: cannot be read ({e})"));
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(CliError::usage(format!("{flag}: not a file")));
    }
    let too_large = |len: u64| {
        CliError::usage(format!(
            "{flag}: the file is {:.1} MiB; files of at most {} MiB can be attached. Attach a smaller file, or put a link to it in the description",
            len as f64 / MIB as f64,
            MAX_ATTACHMENT_BYTES / MIB
        ))
    };
    // Checked before reading, so a huge file is not read in vain.
    if meta.len() > MAX_ATTACHMENT_BYTES as u64 {
        return Err(too_large(meta.len()));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    if bytes.is_empty() {
        return Err(CliError::usage(format!(
            "{flag}: the file is empty; choose another"
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(StagedFile {
        name: clean_file_name(&name),
        bytes,
    })
}

/// One attachment of a delivered ticket, as `--json` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentReport {
    /// The item's client reference.
    pub client_ref: String,
    /// The file name.
    pub file_name: String,
    /// The ticket it went to.
    pub ticket_number: Option<String>,
    /// Uploaded (Desk's id is kept in the outbox).
    pub uploaded: bool,
    /// Why not: Desk refused it for good; `None` while it waits for the
    /// next delivery (`deskctl outbox flush`, or the app).
    pub error: Option<String>,
}

impl AttachmentReport {
    fn of(item: &Item, info: &AttachmentInfo) -> Self {
        Self {
            client_ref: item.client_ref.as_str().to_owned(),
            file_name: info.name.clone(),
            ticket_number: item.ticket_number.clone(),
            uploaded: info.uploaded(),
            error: info.error.clone(),
        }
    }
}

/// The attachments of `item` once it is delivered (`only`: those ids),
/// as they stand in the outbox; none while it is not delivered.
pub(super) fn reports(
    outbox: &Outbox,
    item: &Item,
    only: Option<&HashSet<AttachmentId>>,
) -> Result<Vec<AttachmentReport>, CliError> {
    if item.state != ItemState::Delivered {
        return Ok(Vec::new());
    }
    Ok(outbox
        .attachments(item.id)?
        .iter()
        .filter(|a| only.is_none_or(|ids| ids.contains(&a.id)))
        .map(|a| AttachmentReport::of(item, a))
        .collect())
}

fn spool_root(data_dir: &DataDir) -> PathBuf {
    data_dir.path().join("pending-attachments")
}

/// Moves the files an older `deskctl` spooled beside the outbox into the
/// outbox, with their items (files of items no longer there are dropped).
/// Only for the holder of the delivery lock, which then uploads them.
pub(super) fn adopt_spooled(data_dir: &DataDir, outbox: &Outbox) -> Result<(), CliError> {
    let root = spool_root(data_dir);
    let Ok(entries) = std::fs::read_dir(&root) else {
        return Ok(());
    };
    for entry in entries.filter_map(Result::ok) {
        let dir = entry.path();
        let reference = ClientRef::new(entry.file_name().to_string_lossy().into_owned());
        if let Some(item) = outbox.get_by_ref(&reference)? {
            let mut files = Vec::new();
            let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|e| e.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            paths.sort();
            for path in paths {
                let bytes = std::fs::read(&path).map_err(|e| {
                    CliError::failed(format!("{}: cannot be read ({e})", path.display()))
                })?;
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                files.push(StagedFile {
                    name: clean_file_name(&name),
                    bytes,
                });
            }
            outbox.add_attachments(item.id, &files)?;
        }
        // Committed to the outbox (or its item is gone): the copies go.
        let _ = std::fs::remove_dir_all(&dir);
    }
    let _ = std::fs::remove_dir(&root);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_caps_apply_and_the_message_names_the_file_and_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("notes.txt");
        std::fs::write(&small, b"hello").unwrap();
        let files = read_all(std::slice::from_ref(&small)).unwrap();
        assert_eq!(files[0].name, "notes.txt");
        assert_eq!(files[0].bytes, b"hello");

        let big = dir.path().join("dump.bin");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_ATTACHMENT_BYTES as u64 + 1).unwrap();
        let error = read_all(&[small.clone(), big]).unwrap_err();
        assert_eq!(error.exit.code(), 2);
        assert!(error.message.contains("dump.bin"), "{}", error.message);
        assert!(
            error.message.contains("at most 20 MiB"),
            "{}",
            error.message
        );

        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, b"").unwrap();
        let error = read_all(&[empty]).unwrap_err();
        assert!(error.message.contains("empty.txt"), "{}", error.message);

        let eleven: Vec<PathBuf> = (0..=MAX_ATTACHMENTS).map(|_| small.clone()).collect();
        let error = read_all(&eleven).unwrap_err();
        assert_eq!(error.exit.code(), 2);
        assert!(
            error.message.contains("at most 10 files"),
            "{}",
            error.message
        );
        assert!(error.message.contains("notes.txt"), "{}", error.message);
        read_all(&eleven[..MAX_ATTACHMENTS]).unwrap();
    }
}
