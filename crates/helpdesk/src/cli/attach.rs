//! Attachments of `deskctl ticket --attach`: Desk takes them only once the
//! ticket exists, so the file is first copied next to the outbox
//! (`<data dir>/pending-attachments/<client ref>/<file name>`), and uploaded
//! when its ticket is delivered: now, or by a later `outbox flush`. A
//! queued ticket does not lose its attachment.

use std::path::{Path, PathBuf};

use serde::Serialize;
use zoho_desk::{DeskClient, NewAttachment, TicketId};

use super::exit::CliError;
use crate::compose::ClientRef;
use crate::outbox::{ItemState, Outbox};
use crate::settings::DataDir;

fn spool_root(data_dir: &DataDir) -> PathBuf {
    data_dir.path().join("pending-attachments")
}

/// Copies `file` to the spool of `client_ref`; returns its name there.
pub(super) fn spool(
    data_dir: &DataDir,
    client_ref: &ClientRef,
    file: &Path,
) -> Result<String, CliError> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "attachment".to_owned());
    let dir = spool_root(data_dir).join(client_ref.as_str());
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::copy(file, dir.join(&name)).map(drop))
        .map_err(|e| {
            CliError::failed(format!(
                "could not keep a copy of {} in {}: {e}",
                file.display(),
                dir.display()
            ))
        })?;
    Ok(name)
}

/// Drops the files waiting for `client_ref` (its item was discarded).
pub(super) fn discard(data_dir: &DataDir, client_ref: &ClientRef) {
    let _ = std::fs::remove_dir_all(spool_root(data_dir).join(client_ref.as_str()));
}

/// One attachment upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentReport {
    /// The item's client reference.
    pub client_ref: String,
    /// The file name.
    pub file_name: String,
    /// The ticket it went to.
    pub ticket_number: Option<String>,
    /// Uploaded (else it stays for the next `outbox flush`).
    pub uploaded: bool,
    /// Why not.
    pub error: Option<String>,
}

/// Uploads the spooled files of delivered items (only `only`'s when given).
/// Files of items discarded from the outbox are removed.
pub(super) async fn upload_pending(
    data_dir: &DataDir,
    outbox: &Outbox,
    desk: &DeskClient,
    only: Option<&ClientRef>,
) -> Vec<AttachmentReport> {
    let root = spool_root(data_dir);
    let refs: Vec<String> = match only {
        Some(r) => vec![r.as_str().to_owned()],
        None => std::fs::read_dir(&root)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default(),
    };
    let mut reports = Vec::new();
    for reference in refs {
        let dir = root.join(&reference);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let item = match outbox.get_by_ref(&ClientRef::new(reference.clone())) {
            Ok(Some(item)) => item,
            Ok(None) => {
                let _ = std::fs::remove_dir_all(&dir);
                continue;
            }
            Err(error) => {
                tracing::warn!(%error, "outbox unreadable; attachments wait");
                continue;
            }
        };
        let Some(ticket_id) = item
            .ticket_id
            .clone()
            .filter(|_| item.state == ItemState::Delivered)
        else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for path in files {
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let result = upload(desk, &TicketId::new(ticket_id.clone()), &path, &file_name).await;
            if result.is_ok() {
                let _ = std::fs::remove_file(&path);
            }
            reports.push(AttachmentReport {
                client_ref: reference.clone(),
                file_name,
                ticket_number: item.ticket_number.clone(),
                uploaded: result.is_ok(),
                error: result.err(),
            });
        }
        // Only removed when empty: a failed upload stays for the next flush.
        let _ = std::fs::remove_dir(&dir);
    }
    reports
}

async fn upload(
    desk: &DeskClient,
    ticket: &TicketId,
    path: &Path,
    file_name: &str,
) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    let file = NewAttachment {
        file_name: file_name.to_owned(),
        content_type: Some(content_type(file_name).to_owned()),
        bytes,
        is_public: false,
    };
    desk.tickets()
        .upload_attachment(ticket, &file)
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The MIME type Desk shows, from the extension.
fn content_type(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_follows_the_extension() {
        assert_eq!(content_type("Report.PDF"), "application/pdf");
        assert_eq!(content_type("notes.txt"), "text/plain");
        assert_eq!(content_type("blob"), "application/octet-stream");
    }
}
