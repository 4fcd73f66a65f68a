//! The outbox: every submission committed to SQLite before it is sent, and
//! delivered to Zoho Desk exactly once.
//!
//! What it is for: nothing a person typed is ever lost (an item is on disk
//! before [`Outbox::enqueue`] returns, before any request), and no ticket is
//! created twice. Desk has no idempotency key, so each item carries a
//! [`ClientRef`] that travels with the ticket (a custom field, or a labelled
//! description line); whenever a previous attempt may have reached Desk (the
//! process died mid-send, or the reply was lost: `OutcomeUnknown`) the
//! [`Deliverer`] looks the reference up in Desk before sending again.
//!
//! States: `queued` -> `sending` (claimed in one statement, so two workers
//! never send the same item) -> `delivered` (ticket id, number, webUrl kept)
//! or back to `queued` with backoff (transient trouble) or `failed` (Desk's
//! validation said no: not retried until the person edits or retries it).
//!
//! What it is not: it does not compose tickets ([`crate::compose`]) and knows
//! nothing of the UI; state changes are reported through a callback
//! ([`Deliverer::on_event`]).
//!
//! Several processes share the file (the app and `deskctl`). Only the one
//! holding the delivery lock (see [`lock`]: an OS lock on the sibling
//! `outbox.sqlite.lock`, freed when its holder dies) claims items, and it
//! takes an item found `sending` when it gets the lock for one a dead
//! process left; the others enqueue and read, and leave an item in flight
//! alone.
//!
//! Durability: WAL with `synchronous=FULL`. With WAL, `NORMAL` survives a
//! process crash but may lose the last commits on power loss; a lost
//! enqueue is a lost ticket that the person was told is queued, and chat
//! volumes make one fsync per commit cheap, so FULL it is.

mod attachments;
mod deliver;
pub mod lock;
mod observe;
mod schema;
mod status;

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use zoho_desk::{ContactRef, NewTicket, Ticket};

use crate::compose::{ClientRef, Composed, ItemKind, ensure_reference};

pub use attachments::{AttachmentId, AttachmentInfo, StagedFile};
pub use deliver::{Backoff, Deliverer, DrainReport, LOCK_RETRY, OutboxEvent, Outcome};

/// `Result` with the outbox [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong with the outbox itself (Desk's errors are recorded on
/// the items, not returned).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the outbox database could not be used: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("an outbox request could not be encoded or read: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the outbox has no item {0}")]
    NotFound(ItemId),
    #[error("outbox item {id} is {state} and cannot be {action}")]
    WrongState {
        id: ItemId,
        state: ItemState,
        action: &'static str,
    },
    #[error(
        "the outbox database was written by a newer version of this app (schema {found}, this one knows up to {known}); update the app"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("the outbox worker stopped unexpectedly: {0}")]
    Worker(String),
    #[error("the outbox's delivery lock could not be used: {0}")]
    Lock(String),
}

/// The local id of an outbox item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemId(pub i64);

impl std::fmt::Display for ItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Where an item is on its way to Desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Queued,
    Sending,
    Delivered,
    Failed,
}

impl ItemState {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "queued" => Some(Self::Queued),
            "sending" => Some(Self::Sending),
            "delivered" => Some(Self::Delivered),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

impl std::fmt::Display for ItemState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What Desk said about one field when it refused an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemFieldError {
    /// JSON pointer, e.g. `/departmentId`.
    pub field: String,
    /// `missing`, `invalid`, ...
    pub kind: String,
    pub message: String,
}

/// One outbox item, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: ItemId,
    pub kind: ItemKind,
    pub client_ref: ClientRef,
    /// The custom field carrying the reference; `None`: in the description.
    pub reference_field: Option<String>,
    /// The JSON body of `POST /tickets`.
    pub request: serde_json::Value,
    pub state: ItemState,
    /// Sends (or lookups) started so far.
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    /// A previous attempt may have reached Desk: look it up before sending.
    pub in_doubt: bool,
    pub last_error: Option<String>,
    pub field_errors: Vec<ItemFieldError>,
    pub ticket_id: Option<String>,
    pub ticket_number: Option<String>,
    pub web_url: Option<String>,
    /// The ticket's status in Desk when it was last seen.
    pub desk_status: Option<String>,
    pub subject: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub department_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The manual-entry form as typed (`None` for chat items), so that an
    /// edit starts from what the agent entered.
    pub form_input: Option<serde_json::Value>,
    /// When Desk was last asked for this ticket's status.
    pub status_checked_at: Option<DateTime<Utc>>,
}

/// Counts of items per state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    pub queued: u64,
    pub sending: u64,
    pub delivered: u64,
    pub failed: u64,
}

/// A page of the history view: newest first, optionally filtered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryQuery {
    /// Contained in the ticket number, subject, contact name or email, or
    /// the client reference (case-insensitive for ASCII).
    pub text: Option<String>,
    pub state: Option<ItemState>,
    pub kind: Option<ItemKind>,
    pub limit: u32,
    pub offset: u32,
}

impl Default for HistoryQuery {
    fn default() -> Self {
        Self {
            text: None,
            state: None,
            kind: None,
            limit: 50,
            offset: 0,
        }
    }
}

/// The outbox database. Cheap to clone; clones share one connection. Its
/// methods block briefly (a write waits for one fsync'd commit): from async
/// code, call them through `spawn_blocking`, as the [`Deliverer`] does.
#[derive(Debug, Clone)]
pub struct Outbox {
    conn: Arc<Mutex<Connection>>,
    delivery: Arc<lock::DeliveryLock>,
}

const COLUMNS: &str = "id, kind, client_ref, reference_field, request, state, attempts, \
    next_attempt_at, in_doubt, last_error, field_errors, ticket_id, ticket_number, web_url, \
    desk_status, subject, contact_name, contact_email, department_id, created_at, updated_at, \
    delivered_at, form_input, status_checked_at";

impl Outbox {
    /// Opens (creating or migrating) the outbox at `path`, to enqueue and
    /// to deliver. Nothing is recovered yet: items left `sending` are put
    /// back in the queue, in doubt, when this handle takes the delivery
    /// lock ([`Outbox::try_lock_delivery`], which the [`Deliverer`] calls
    /// before it claims anything), because until then they may be another
    /// live process's items in flight.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let conn = Connection::open(path)?;
        Self::init(
            conn,
            lock::Mode::File {
                path: lock::lock_path(path),
            },
        )
    }

    /// An outbox that lives in memory only (tests, previews); no other
    /// process sees it, so it always holds its delivery lock.
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, lock::Mode::Private)
    }

    fn init(mut conn: Connection, mode: lock::Mode) -> Result<Self> {
        schema::configure(&conn)?;
        schema::migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            delivery: Arc::new(lock::DeliveryLock::new(mode)),
        })
    }

    /// Takes the delivery lock if no other handle (process) holds it, and
    /// then, once, puts the items left `sending` back in the queue, in
    /// doubt: with the lock free, whoever claimed them is gone. `true`
    /// while this handle (or a clone) holds it; it is held until the last
    /// clone is dropped, or the process ends.
    pub fn try_lock_delivery(&self) -> Result<bool> {
        self.delivery
            .try_acquire(|| self.recover_interrupted_unchecked())
    }

    /// Whether this handle holds the delivery lock (does not try to take it).
    pub fn holds_delivery_lock(&self) -> bool {
        self.delivery.is_held()
    }

    /// How many items were found `sending` when this handle took the
    /// delivery lock (a process died while sending them) and were put back
    /// in the queue, in doubt.
    pub fn recovered(&self) -> usize {
        self.delivery.recovered.load(Ordering::Relaxed)
    }

    /// Runs `f` on the outbox's connection, for the tables that live beside
    /// the items in the same file (the chat conversation: see
    /// [`crate::conversation`]). Blocks like the other methods.
    pub(crate) fn with_connection<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T> {
        Ok(f(&mut self.lock())?)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-done change:
        // every change is one statement or one transaction.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every `sending` item goes back to `queued`, in doubt, due now; only
    /// through the holder of the delivery lock (0 without it: the items
    /// may be in flight in the process that holds it).
    pub fn recover_interrupted(&self) -> Result<usize> {
        if !self.try_lock_delivery()? {
            return Ok(0);
        }
        self.recover_interrupted_unchecked()
    }

    fn recover_interrupted_unchecked(&self) -> Result<usize> {
        let now = now_ms();
        let n = self.lock().execute(
            "UPDATE items SET state = 'queued', in_doubt = 1, next_attempt_at = ?1, updated_at = ?1 \
             WHERE state = 'sending'",
            params![now],
        )?;
        if n > 0 {
            tracing::warn!(
                items = n,
                "outbox items were being sent when the app stopped; they will be looked up in Desk before being sent again"
            );
        }
        Ok(n)
    }

    /// Commits `composed` to the queue (due now) and returns it once it is
    /// on disk. A second enqueue of the same client reference returns the
    /// existing item (a double submit files one ticket).
    pub fn enqueue(&self, composed: &Composed) -> Result<Item> {
        self.enqueue_with(composed, None, &[])
    }

    /// [`Outbox::enqueue`] with the form as typed and the files to attach
    /// once the ticket exists, all in one transaction: nothing of it is
    /// lost across a restart, and a second enqueue of the same reference
    /// adds nothing.
    pub fn enqueue_with(
        &self,
        composed: &Composed,
        form_input: Option<&serde_json::Value>,
        files: &[StagedFile],
    ) -> Result<Item> {
        let now = now_ms();
        let request = serde_json::to_string(&composed.request)?;
        let form_input = form_input.map(serde_json::to_string).transpose()?;
        let (name, email) = contact_of(&composed.request);
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let added = tx.execute(
            "INSERT INTO items (kind, client_ref, reference_field, request, state, attempts, \
               next_attempt_at, in_doubt, subject, contact_name, contact_email, department_id, \
               created_at, updated_at, form_input) \
             VALUES (?1, ?2, ?3, ?4, 'queued', 0, ?5, 0, ?6, ?7, ?8, ?9, ?5, ?5, ?10) \
             ON CONFLICT(client_ref) DO NOTHING",
            params![
                composed.kind.as_str(),
                composed.client_ref.as_str(),
                composed.reference_field,
                request,
                now,
                composed.request.subject,
                name,
                email,
                composed.request.department_id.as_str(),
                form_input,
            ],
        )?;
        let item = get_by_ref(&tx, composed.client_ref.as_str())?
            .ok_or_else(|| Error::Worker("an enqueued item vanished".into()))?;
        if added > 0 {
            attachments::insert(&tx, item.id, files)?;
        }
        tx.commit()?;
        Ok(item)
    }

    /// Claims up to `limit` due items: marks them `sending` (and counts the
    /// attempt) in one statement, so no other worker can claim them too.
    /// Only the holder of the delivery lock claims (it is taken here if it
    /// is free); without it, nothing is claimed.
    pub fn claim_due(&self, limit: usize) -> Result<Vec<Item>> {
        self.claim_due_by(Utc::now(), limit)
    }

    /// [`Outbox::claim_due`] for items due at `cutoff` or earlier (a drain
    /// passes its start, so that an item it queued again is not retried
    /// within the same drain).
    pub fn claim_due_by(&self, cutoff: DateTime<Utc>, limit: usize) -> Result<Vec<Item>> {
        if limit == 0 || !self.try_lock_delivery()? {
            return Ok(Vec::new());
        }
        let now = now_ms();
        let cutoff = cutoff.timestamp_millis();
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "UPDATE items SET state = 'sending', attempts = attempts + 1, updated_at = ?1 \
             WHERE id IN (SELECT id FROM items WHERE state = 'queued' AND next_attempt_at <= ?3 \
                          ORDER BY next_attempt_at, id LIMIT ?2) \
             RETURNING {COLUMNS}"
        ))?;
        let mut items = stmt
            .query_map(params![now, limit as i64, cutoff], item_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        items.sort_by_key(|i| i.id);
        Ok(items)
    }

    /// Claims one item if it is queued (due or not): "send it now". Like
    /// [`Outbox::claim_due`], only with the delivery lock.
    pub fn claim(&self, id: ItemId) -> Result<Option<Item>> {
        if !self.try_lock_delivery()? {
            return Ok(None);
        }
        let now = now_ms();
        let conn = self.lock();
        conn.query_row(
            &format!(
                "UPDATE items SET state = 'sending', attempts = attempts + 1, updated_at = ?1 \
                 WHERE id = ?2 AND state = 'queued' RETURNING {COLUMNS}"
            ),
            params![now, id.0],
            item_from_row,
        )
        .optional()
        .map_err(Error::from)
    }

    /// One item.
    pub fn get(&self, id: ItemId) -> Result<Item> {
        let conn = self.lock();
        conn.query_row(
            &format!("SELECT {COLUMNS} FROM items WHERE id = ?1"),
            params![id.0],
            item_from_row,
        )
        .optional()?
        .ok_or(Error::NotFound(id))
    }

    /// The item with this client reference.
    pub fn get_by_ref(&self, client_ref: &ClientRef) -> Result<Option<Item>> {
        get_by_ref(&self.lock(), client_ref.as_str())
    }

    /// Newest first, filtered by `query`.
    pub fn history(&self, query: &HistoryQuery) -> Result<Vec<Item>> {
        let pattern = query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| format!("%{}%", escape_like(t)));
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM items \
             WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR kind = ?2) \
               AND (?3 IS NULL OR ticket_number LIKE ?3 ESCAPE '\\' OR subject LIKE ?3 ESCAPE '\\' \
                    OR contact_name LIKE ?3 ESCAPE '\\' OR contact_email LIKE ?3 ESCAPE '\\' \
                    OR client_ref LIKE ?3 ESCAPE '\\') \
             ORDER BY created_at DESC, id DESC LIMIT ?4 OFFSET ?5"
        ))?;
        let items = stmt
            .query_map(
                params![
                    query.state.map(ItemState::as_str),
                    query.kind.map(ItemKind::as_str),
                    pattern,
                    i64::from(query.limit),
                    i64::from(query.offset)
                ],
                item_from_row,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(items)
    }

    /// Every item in `state`, newest first (e.g. the queued and failed ones
    /// the UI shows).
    pub fn list(&self, state: ItemState) -> Result<Vec<Item>> {
        self.history(&HistoryQuery {
            state: Some(state),
            limit: u32::MAX,
            ..HistoryQuery::default()
        })
    }

    /// Items per state.
    pub fn counts(&self) -> Result<StateCounts> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached("SELECT state, COUNT(*) FROM items GROUP BY state")?;
        let mut counts = StateCounts::default();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (state, n) = row?;
            let n = u64::try_from(n).unwrap_or(0);
            match ItemState::parse(&state) {
                Some(ItemState::Queued) => counts.queued = n,
                Some(ItemState::Sending) => counts.sending = n,
                Some(ItemState::Delivered) => counts.delivered = n,
                Some(ItemState::Failed) => counts.failed = n,
                None => {}
            }
        }
        Ok(counts)
    }

    /// When the earliest queued item falls due (`None`: nothing queued), so
    /// a worker can sleep until then.
    pub fn next_due_at(&self) -> Result<Option<DateTime<Utc>>> {
        let conn = self.lock();
        let ms: Option<i64> = conn.query_row(
            "SELECT MIN(next_attempt_at) FROM items WHERE state = 'queued'",
            [],
            |r| r.get(0),
        )?;
        Ok(ms.map(from_ms))
    }

    /// The person or agent asks to try a failed (or waiting) item again now.
    pub fn retry(&self, id: ItemId) -> Result<Item> {
        let now = now_ms();
        let conn = self.lock();
        let n = conn.execute(
            "UPDATE items SET state = 'queued', next_attempt_at = ?1, updated_at = ?1 \
             WHERE id = ?2 AND state IN ('failed', 'queued')",
            params![now, id.0],
        )?;
        finish_change(&conn, id, n, "retried")
    }

    /// Replaces the request of a failed (or waiting) item, e.g. after Desk
    /// rejected a field, and queues it again. The client reference stays
    /// (it is put back into the request if the edit removed it).
    pub fn edit_and_resend(&self, id: ItemId, request: NewTicket) -> Result<Item> {
        self.edit_and_resend_with(id, request, None, &[])
    }

    /// [`Outbox::edit_and_resend`] with the form as typed (kept when
    /// `None`) and more files to attach, in one transaction. Files already
    /// kept with the item stay.
    pub fn edit_and_resend_with(
        &self,
        id: ItemId,
        mut request: NewTicket,
        form_input: Option<&serde_json::Value>,
        files: &[StagedFile],
    ) -> Result<Item> {
        let now = now_ms();
        let form_input = form_input.map(serde_json::to_string).transpose()?;
        let mut conn = self.lock();
        let conn = conn.transaction()?;
        let current = conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM items WHERE id = ?1"),
                params![id.0],
                item_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound(id))?;
        if !matches!(current.state, ItemState::Failed | ItemState::Queued) {
            return Err(Error::WrongState {
                id,
                state: current.state,
                action: "edited",
            });
        }
        ensure_reference(
            &mut request,
            &current.client_ref,
            current.reference_field.as_deref(),
        );
        let (name, email) = contact_of(&request);
        let n = conn.execute(
            "UPDATE items SET request = ?1, subject = ?2, contact_name = ?3, contact_email = ?4, \
               department_id = ?5, state = 'queued', next_attempt_at = ?6, updated_at = ?6, \
               last_error = NULL, field_errors = NULL, form_input = COALESCE(?8, form_input) \
             WHERE id = ?7 AND state IN ('failed', 'queued')",
            params![
                serde_json::to_string(&request)?,
                request.subject,
                name,
                email,
                request.department_id.as_str(),
                now,
                id.0,
                form_input,
            ],
        )?;
        let item = finish_change(&conn, id, n, "edited")?;
        attachments::insert(&conn, id, files)?;
        conn.commit()?;
        Ok(item)
    }

    /// Removes a failed or queued item the person no longer wants sent.
    /// Items being sent or delivered stay (they are, or may be, in Desk).
    pub fn discard(&self, id: ItemId) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let n = tx.execute(
            "DELETE FROM items WHERE id = ?1 AND state IN ('failed', 'queued')",
            params![id.0],
        )?;
        if n > 0 {
            tx.execute("DELETE FROM attachments WHERE item_id = ?1", params![id.0])?;
        }
        tx.commit()?;
        if n == 0 {
            let state = state_of(&conn, id)?;
            return Err(Error::WrongState {
                id,
                state,
                action: "discarded",
            });
        }
        Ok(())
    }

    // ---- transitions made by the Deliverer --------------------------------

    pub(crate) fn mark_delivered(&self, id: ItemId, ticket: &Ticket) -> Result<Item> {
        let now = now_ms();
        let conn = self.lock();
        let n = conn.execute(
            "UPDATE items SET state = 'delivered', ticket_id = ?1, ticket_number = ?2, web_url = ?3, \
               desk_status = ?4, in_doubt = 0, last_error = NULL, field_errors = NULL, \
               delivered_at = ?5, updated_at = ?5 \
             WHERE id = ?6 AND state = 'sending'",
            params![
                ticket.id.as_str(),
                ticket.ticket_number,
                ticket.web_url,
                ticket.status,
                now,
                id.0
            ],
        )?;
        finish_change(&conn, id, n, "marked delivered")
    }

    pub(crate) fn mark_retry(
        &self,
        id: ItemId,
        error: &str,
        in_doubt: bool,
        delay: Duration,
    ) -> Result<Item> {
        let now = now_ms();
        let due = now.saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2));
        let conn = self.lock();
        let n = conn.execute(
            "UPDATE items SET state = 'queued', last_error = ?1, in_doubt = ?2, \
               next_attempt_at = ?3, updated_at = ?4 \
             WHERE id = ?5 AND state = 'sending'",
            params![error, in_doubt, due, now, id.0],
        )?;
        finish_change(&conn, id, n, "queued again")
    }

    pub(crate) fn mark_failed(
        &self,
        id: ItemId,
        error: &str,
        field_errors: &[ItemFieldError],
    ) -> Result<Item> {
        let now = now_ms();
        let conn = self.lock();
        let n = conn.execute(
            "UPDATE items SET state = 'failed', last_error = ?1, field_errors = ?2, updated_at = ?3 \
             WHERE id = ?4 AND state = 'sending'",
            params![error, serde_json::to_string(field_errors)?, now, id.0],
        )?;
        finish_change(&conn, id, n, "marked failed")
    }
}

/// After a conditional UPDATE: the item, or why nothing changed.
fn finish_change(
    conn: &Connection,
    id: ItemId,
    changed: usize,
    action: &'static str,
) -> Result<Item> {
    let item = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM items WHERE id = ?1"),
            params![id.0],
            item_from_row,
        )
        .optional()?
        .ok_or(Error::NotFound(id))?;
    if changed == 0 {
        return Err(Error::WrongState {
            id,
            state: item.state,
            action,
        });
    }
    Ok(item)
}

fn state_of(conn: &Connection, id: ItemId) -> Result<ItemState> {
    let state: Option<String> = conn
        .query_row(
            "SELECT state FROM items WHERE id = ?1",
            params![id.0],
            |r| r.get(0),
        )
        .optional()?;
    state
        .as_deref()
        .and_then(ItemState::parse)
        .ok_or(Error::NotFound(id))
}

fn get_by_ref(conn: &Connection, client_ref: &str) -> Result<Option<Item>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM items WHERE client_ref = ?1"),
        params![client_ref],
        item_from_row,
    )
    .optional()
    .map_err(Error::from)
}

fn item_from_row(r: &Row<'_>) -> rusqlite::Result<Item> {
    let bad = |i: usize, what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown {what}").into(),
        )
    };
    let json_err = |i: usize, e: serde_json::Error| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    };
    let kind: String = r.get(1)?;
    let state: String = r.get(5)?;
    let request: String = r.get(4)?;
    let field_errors: Option<String> = r.get(10)?;
    let form_input: Option<String> = r.get(22)?;
    Ok(Item {
        id: ItemId(r.get(0)?),
        kind: ItemKind::parse(&kind).ok_or_else(|| bad(1, "kind"))?,
        client_ref: ClientRef::new(r.get::<_, String>(2)?),
        reference_field: r.get(3)?,
        request: serde_json::from_str(&request).map_err(|e| json_err(4, e))?,
        state: ItemState::parse(&state).ok_or_else(|| bad(5, "state"))?,
        attempts: r.get(6)?,
        next_attempt_at: from_ms(r.get(7)?),
        in_doubt: r.get(8)?,
        last_error: r.get(9)?,
        field_errors: match field_errors {
            Some(s) => serde_json::from_str(&s).map_err(|e| json_err(10, e))?,
            None => Vec::new(),
        },
        ticket_id: r.get(11)?,
        ticket_number: r.get(12)?,
        web_url: r.get(13)?,
        desk_status: r.get(14)?,
        subject: r.get(15)?,
        contact_name: r.get(16)?,
        contact_email: r.get(17)?,
        department_id: r.get(18)?,
        created_at: from_ms(r.get(19)?),
        updated_at: from_ms(r.get(20)?),
        delivered_at: r.get::<_, Option<i64>>(21)?.map(from_ms),
        form_input: form_input
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| json_err(22, e))?,
        status_checked_at: r.get::<_, Option<i64>>(23)?.map(from_ms),
    })
}

/// The contact's name and email as shown in the history.
fn contact_of(request: &NewTicket) -> (Option<String>, Option<String>) {
    match &request.contact {
        ContactRef::Inline(c) => {
            let name = [c.first_name.as_deref(), c.last_name.as_deref()]
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (
                (!name.is_empty()).then_some(name),
                c.email.clone().or_else(|| request.email.clone()),
            )
        }
        ContactRef::Id(_) => (None, request.email.clone()),
    }
}

/// `%`, `_` and the escape character itself match literally.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

#[cfg(test)]
mod tests;
