//! The outbox's SQLite settings and schema, migrated by `PRAGMA user_version`.

use std::time::Duration;

use rusqlite::Connection;

use super::{Error, Result};

/// How long a writer waits for another connection's lock before failing
/// (the app and the CLI may open the same file).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Migrations, in order; migration `i` takes the schema from version `i` to
/// `i + 1`. Never edit one that has shipped: add the next.
const MIGRATIONS: &[&str] = &[
    // 1: the items table.
    "CREATE TABLE items (
        id              INTEGER PRIMARY KEY,
        kind            TEXT    NOT NULL CHECK (kind IN ('ticket', 'callback')),
        client_ref      TEXT    NOT NULL UNIQUE,
        reference_field TEXT,
        request         TEXT    NOT NULL,
        state           TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'delivered', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        in_doubt        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        field_errors    TEXT,
        ticket_id       TEXT,
        ticket_number   TEXT,
        web_url         TEXT,
        desk_status     TEXT,
        subject         TEXT    NOT NULL,
        contact_name    TEXT,
        contact_email   TEXT,
        department_id   TEXT    NOT NULL,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        delivered_at    INTEGER
    );
    CREATE INDEX items_due ON items (state, next_attempt_at);
    CREATE INDEX items_created ON items (created_at DESC, id DESC);",
    // 2: the chat conversation beside the items (one row: see
    // `crate::conversation`), so a submission and the chat that made it
    // live in one file.
    "CREATE TABLE conversation (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        state       TEXT    NOT NULL,
        messages    TEXT    NOT NULL,
        submissions TEXT    NOT NULL,
        updated_at  INTEGER NOT NULL
    );",
    // 3: manual entry and history: the form as typed (to edit it again),
    // when Desk was last asked for the status, and attachments kept with
    // their item (bytes until uploaded, then Desk's id).
    "ALTER TABLE items ADD COLUMN form_input TEXT;
    ALTER TABLE items ADD COLUMN status_checked_at INTEGER;
    CREATE TABLE attachments (
        id          INTEGER PRIMARY KEY,
        item_id     INTEGER NOT NULL,
        name        TEXT    NOT NULL,
        size        INTEGER NOT NULL,
        bytes       BLOB,
        desk_id     TEXT,
        error       TEXT,
        started_at  INTEGER,
        uploaded_at INTEGER
    );
    CREATE INDEX attachments_item ON attachments (item_id);",
];

/// The newest schema this build knows.
pub(super) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// WAL (readers never block the writer; a crash never corrupts), FULL sync
/// (see the module docs), a busy timeout.
pub(super) fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // In-memory databases answer "memory": fine, nothing to make durable.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// Brings the schema to [`SCHEMA_VERSION`], each step in one transaction.
/// The version is read again inside each (write-locked) transaction, so two
/// processes opening a new file at once do not both run a step.
pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew {
                found,
                known: SCHEMA_VERSION,
            });
        }
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        tx.execute_batch(MIGRATIONS[found as usize])?;
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
    }
}
