//! The Desk status of delivered tickets, as last seen, and when Desk was
//! last asked (so that the history asks about a ticket at most once a
//! minute, whatever the number of refreshes). What it is not: the asking
//! itself (`crate::history`).

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Item, ItemId, Outbox, Result};

impl Outbox {
    /// Records Desk's status of `id`, seen at `at`.
    pub fn set_desk_status(&self, id: ItemId, status: &str, at: DateTime<Utc>) -> Result<()> {
        self.lock().execute(
            "UPDATE items SET desk_status = ?1, status_checked_at = ?2 WHERE id = ?3",
            params![status, at.timestamp_millis(), id.0],
        )?;
        Ok(())
    }

    /// Records that Desk was asked about `ids` at `at` (found or not).
    pub fn mark_status_checked(&self, ids: &[ItemId], at: DateTime<Utc>) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        {
            let mut stmt =
                tx.prepare_cached("UPDATE items SET status_checked_at = ?1 WHERE id = ?2")?;
            for id in ids {
                stmt.execute(params![at.timestamp_millis(), id.0])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Delivered items whose status was not asked since `not_since`, newest first.
    pub fn status_due(&self, not_since: DateTime<Utc>, limit: u32) -> Result<Vec<Item>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} FROM items WHERE state = 'delivered' AND ticket_id IS NOT NULL \
               AND (status_checked_at IS NULL OR status_checked_at <= ?1) \
             ORDER BY created_at DESC, id DESC LIMIT ?2",
            super::COLUMNS
        ))?;
        let items = stmt
            .query_map(
                params![not_since.timestamp_millis(), i64::from(limit)],
                super::item_from_row,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(items)
    }
}
