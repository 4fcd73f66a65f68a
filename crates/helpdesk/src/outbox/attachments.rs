//! Files attached to an outbox item: kept in the same SQLite file as the
//! item (committed with it), uploaded to the ticket once it exists, and
//! marked uploaded with Desk's attachment id so that none goes twice.
//!
//! What it is not: the upload itself (the [`super::Deliverer`] does it) or
//! the size checks of what may be staged (`crate::forms`).

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Item, ItemId, ItemState, Outbox, Result, now_ms};

/// The local id of one attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct AttachmentId(pub i64);

/// A file to keep with an item until its ticket exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// One attachment of an item, as the history shows it (no bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentInfo {
    pub id: AttachmentId,
    pub item_id: ItemId,
    pub name: String,
    pub size: u64,
    /// Desk's attachment id, once uploaded.
    pub desk_id: Option<String>,
    /// Why it will not be uploaded (e.g. too large for Desk).
    pub error: Option<String>,
}

impl AttachmentInfo {
    pub fn uploaded(&self) -> bool {
        self.desk_id.is_some()
    }
}

/// An attachment waiting for upload, with its bytes and the ticket it goes to.
#[derive(Debug, Clone)]
pub(crate) struct PendingUpload {
    pub id: AttachmentId,
    pub item: Item,
    pub name: String,
    pub bytes: Vec<u8>,
}

fn info_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AttachmentInfo> {
    Ok(AttachmentInfo {
        id: AttachmentId(r.get(0)?),
        item_id: ItemId(r.get(1)?),
        name: r.get(2)?,
        size: u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
        desk_id: r.get(4)?,
        error: r.get(5)?,
    })
}

pub(super) fn insert(conn: &Connection, item: ItemId, files: &[StagedFile]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO attachments (item_id, name, size, bytes) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for file in files {
        stmt.execute(params![
            item.0,
            file.name,
            i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
            file.bytes
        ])?;
    }
    Ok(())
}

impl Outbox {
    /// The attachments of `item`, in the order they were added.
    pub fn attachments(&self, item: ItemId) -> Result<Vec<AttachmentInfo>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT id, item_id, name, size, desk_id, error FROM attachments \
             WHERE item_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map(params![item.0], info_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Adds files to item `item` in one transaction: uploaded once its
    /// ticket exists (by the next delivery, if it already does).
    pub fn add_attachments(&self, item: ItemId, files: &[StagedFile]) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let exists = tx
            .query_row("SELECT 1 FROM items WHERE id = ?1", params![item.0], |_| {
                Ok(())
            })
            .optional()?
            .is_some();
        if !exists {
            return Err(super::Error::NotFound(item));
        }
        insert(&tx, item, files)?;
        tx.commit()?;
        Ok(())
    }

    /// Every attachment not uploaded yet and not refused for good, of any
    /// item (no bytes).
    pub fn attachments_waiting(&self) -> Result<Vec<AttachmentInfo>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT id, item_id, name, size, desk_id, error FROM attachments \
             WHERE desk_id IS NULL AND error IS NULL ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], info_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Attachments of delivered items still to upload (`only`: of that item).
    pub(crate) fn pending_uploads(&self, only: Option<ItemId>) -> Result<Vec<PendingUpload>> {
        let rows: Vec<(i64, i64, String, Vec<u8>)> = {
            let conn = self.lock();
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, a.item_id, a.name, a.bytes FROM attachments a \
                 JOIN items i ON i.id = a.item_id \
                 WHERE i.state = 'delivered' AND a.desk_id IS NULL AND a.error IS NULL \
                   AND a.bytes IS NOT NULL AND (?1 IS NULL OR a.item_id = ?1) \
                 ORDER BY a.id",
            )?;
            stmt.query_map(params![only.map(|i| i.0)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let mut out = Vec::with_capacity(rows.len());
        for (id, item, name, bytes) in rows {
            let item = self.get(ItemId(item))?;
            if item.state == ItemState::Delivered && item.ticket_id.is_some() {
                out.push(PendingUpload {
                    id: AttachmentId(id),
                    item,
                    name,
                    bytes,
                });
            }
        }
        Ok(out)
    }

    /// Whether any delivered item still has an attachment to upload.
    pub(crate) fn has_pending_uploads(&self) -> Result<bool> {
        let conn = self.lock();
        Ok(conn
            .query_row(
                "SELECT 1 FROM attachments a JOIN items i ON i.id = a.item_id \
                 WHERE i.state = 'delivered' AND a.desk_id IS NULL AND a.error IS NULL LIMIT 1",
                [],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Written just before the upload request (a crash after it leaves a trace).
    pub(crate) fn mark_upload_started(&self, id: AttachmentId) -> Result<()> {
        self.lock().execute(
            "UPDATE attachments SET started_at = ?1 WHERE id = ?2",
            params![now_ms(), id.0],
        )?;
        Ok(())
    }

    /// Uploaded: Desk's id kept, the bytes dropped.
    pub(crate) fn mark_uploaded(&self, id: AttachmentId, desk_id: &str) -> Result<()> {
        self.lock().execute(
            "UPDATE attachments SET desk_id = ?1, uploaded_at = ?2, bytes = NULL, error = NULL \
             WHERE id = ?3",
            params![desk_id, now_ms(), id.0],
        )?;
        Ok(())
    }

    /// Will not be uploaded (Desk refused it for good); the bytes stay.
    pub(crate) fn mark_upload_failed(&self, id: AttachmentId, error: &str) -> Result<()> {
        self.lock().execute(
            "UPDATE attachments SET error = ?1 WHERE id = ?2",
            params![error, id.0],
        )?;
        Ok(())
    }
}
