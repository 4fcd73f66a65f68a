//! `deskctl outbox list|flush|retry|discard`, and the one way `ticket` and
//! `callback` send: commit to the outbox (attachments with the item), then
//! deliver now, if this process may.
//!
//! Only the holder of the outbox's delivery lock sends (see
//! [`crate::outbox::lock`]). When the running app holds it, a command that
//! would send only queues, says that the app will send it, and exits 5.

use std::collections::HashSet;

use serde_json::json;

use super::Done;
use super::attach::{self, AttachmentReport};
use super::context::{self, RECONNECT_HINT, Source, Target};
use super::exit::{CliError, Exit};
use super::view::{ItemView, lines};
use crate::compose::Composed;
use crate::outbox::{Deliverer, HistoryQuery, Item, ItemId, ItemState, Outbox, StagedFile};
use crate::settings::DataDir;

/// What a command that would send says when the app holds the delivery lock.
pub const APP_WILL_SEND: &str =
    "queued: the running Desk Chat app will send it; see `deskctl outbox list`";

/// Who sends what a command queued (`sender` in `--json`).
const SENT_BY_DESKCTL: &str = "deskctl";
const SENT_BY_APP: &str = "app";

/// Takes the delivery lock if it is free (recovering what a dead holder
/// left `sending`) and adopts files an older `deskctl` spooled; `false`
/// when another process (the app) holds it.
fn may_deliver(data_dir: &DataDir, outbox: &Outbox) -> Result<bool, CliError> {
    if !outbox.try_lock_delivery()? {
        return Ok(false);
    }
    attach::adopt_spooled(data_dir, outbox)?;
    Ok(true)
}

/// Commits `composed` with `files` (one transaction), then sends it now
/// when this process may deliver. Exit 0 delivered, 5 queued (also when
/// the app will send it), 3 queued for lack of authorization, 4 refused.
pub(super) async fn submit(
    data_dir: &DataDir,
    target: &Target,
    composed: &Composed,
    files: &[StagedFile],
    what: &str,
) -> Result<Done, CliError> {
    let outbox = context::outbox(data_dir)?;
    let item = outbox.enqueue_with(composed, None, files)?;
    if !may_deliver(data_dir, &outbox)? {
        return Ok(queued_for_app(&item, target, what));
    }
    let deliverer = Deliverer::new(outbox.clone(), target.desk.clone());
    deliverer.deliver_now(item.id).await?;
    let item = outbox.get(item.id)?;
    let attachments = attach::reports(&outbox, &item, None)?;
    Ok(report_item(&item, &attachments, target, what))
}

/// Queued; the app, which holds the delivery lock, sends it. Exit 5.
fn queued_for_app(item: &Item, target: &Target, what: &str) -> Done {
    let text = format!("{what} (item {}) is {APP_WILL_SEND}", item.id.0);
    let json = json!({
        "item": ItemView::from(item),
        "attachments": [],
        "connection": target.source.as_str(),
        "sender": SENT_BY_APP,
        "message": text,
    });
    Done::ok(json, text).with_exit(Exit::Queued)
}

fn report_item(item: &Item, attachments: &[AttachmentReport], target: &Target, what: &str) -> Done {
    let view = ItemView::from(item);
    let json = json!({
        "item": view,
        "attachments": attachments,
        "connection": target.source.as_str(),
        "sender": SENT_BY_DESKCTL,
    });
    let failed_uploads: Vec<&AttachmentReport> =
        attachments.iter().filter(|a| !a.uploaded).collect();
    match item.state {
        ItemState::Delivered => {
            let number = item.ticket_number.as_deref().unwrap_or("?");
            let mut text = format!("{what} created in Zoho Desk: ticket #{number}");
            if let Some(url) = &item.web_url {
                text.push_str(&format!("\n{url}"));
            }
            for a in attachments.iter().filter(|a| a.uploaded) {
                text.push_str(&format!("\nattached {}", a.file_name));
            }
            if failed_uploads.is_empty() {
                Done::ok(json, text)
            } else {
                for a in &failed_uploads {
                    match &a.error {
                        Some(error) => text.push_str(&format!("\n{error}")),
                        None => text.push_str(&format!(
                            "\nthe attachment {} was not uploaded yet; it is kept in the outbox and `deskctl outbox flush` tries again",
                            a.file_name
                        )),
                    }
                }
                Done::ok(json, text).with_exit(Exit::Failed)
            }
        }
        ItemState::Failed => {
            let mut text = format!(
                "{what} was refused by Zoho Desk: {}",
                item.last_error.as_deref().unwrap_or("no reason given")
            );
            for e in &item.field_errors {
                text.push_str(&format!(
                    "\n  {}: {} ({})",
                    e.field.trim_start_matches('/'),
                    e.kind,
                    e.message
                ));
            }
            text.push_str(&format!(
                "\nNothing was created. Correct the input and run the command again (item {} stays in `deskctl outbox list` as failed).",
                item.id.0
            ));
            Done::ok(json, text).with_exit(Exit::Rejected)
        }
        ItemState::Queued | ItemState::Sending => {
            let why = item.last_error.as_deref().unwrap_or("not sent yet");
            if !target.desk.tokens().is_connected() {
                let hint = match target.source {
                    Source::Saved => RECONNECT_HINT.to_owned(),
                    Source::Environment => {
                        "set DESK_ACCESS_TOKEN to a fresh token (or run `deskctl login`)".to_owned()
                    }
                };
                let text = format!(
                    "{what} is queued (item {}), not delivered: Zoho Desk needs a new sign-in ({why}); {hint}, then run `deskctl outbox flush`",
                    item.id.0
                );
                Done::ok(json, text).with_exit(Exit::AuthNeeded)
            } else {
                let text = format!(
                    "{what} is queued (item {}), not delivered yet: {why}. Nothing is lost: run `deskctl outbox flush` later",
                    item.id.0
                );
                Done::ok(json, text).with_exit(Exit::Queued)
            }
        }
    }
}

/// Items not delivered: queued, sending, failed.
fn pending(outbox: &Outbox) -> Result<Vec<ItemView>, CliError> {
    let items = outbox.history(&HistoryQuery {
        limit: u32::MAX,
        ..HistoryQuery::default()
    })?;
    Ok(items
        .iter()
        .filter(|i| i.state != ItemState::Delivered)
        .map(ItemView::from)
        .collect())
}

/// `deskctl outbox list`.
pub(super) async fn list() -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let outbox = context::outbox_to_read(&data_dir)?;
    let items = pending(&outbox)?;
    let counts = outbox.counts()?;
    let text = lines(&items, "The outbox is empty: everything was delivered.");
    Ok(Done::ok(json!({ "items": items, "counts": counts }), text))
}

/// `deskctl outbox flush`: every queued item is due now, then one drain
/// (which also uploads the attachments of delivered tickets). When the
/// app holds the delivery lock, the items are made due and left to it.
pub(super) async fn flush() -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let outbox = context::outbox(&data_dir)?;
    for item in outbox.list(ItemState::Queued)? {
        // Due now, whatever its backoff said: the user asked.
        outbox.retry(item.id)?;
    }
    if !may_deliver(&data_dir, &outbox)? {
        let remaining = pending(&outbox)?;
        let counts = outbox.counts()?;
        let waiting = counts.queued + counts.sending;
        let mut text = if waiting > 0 {
            format!("{waiting} item(s) {APP_WILL_SEND}")
        } else {
            "nothing to send: the running Desk Chat app delivers the outbox".to_owned()
        };
        if !remaining.is_empty() {
            text.push('\n');
            text.push_str(&lines(&remaining, ""));
        }
        let json = json!({
            "drained": { "delivered": 0, "foundExisting": 0, "requeued": 0, "failed": 0 },
            "attachments": [],
            "remaining": remaining,
            "counts": counts,
            "sender": SENT_BY_APP,
            "message": text,
        });
        let exit = if waiting > 0 {
            Exit::Queued
        } else {
            Exit::Done
        };
        return Ok(Done::ok(json, text).with_exit(exit));
    }
    let target = context::target(&data_dir).await?;
    // The attachments this flush may upload, to report on them.
    let waiting: HashSet<_> = outbox
        .attachments_waiting()?
        .into_iter()
        .map(|a| (a.item_id, a.id))
        .collect();
    let deliverer = Deliverer::new(outbox.clone(), target.desk.clone());
    let report = deliverer.drain(0).await?;
    let mut attachments = Vec::new();
    let items: HashSet<ItemId> = waiting.iter().map(|(item, _)| *item).collect();
    let mut items: Vec<ItemId> = items.into_iter().collect();
    items.sort();
    for id in items {
        let item = outbox.get(id)?;
        let ids = waiting
            .iter()
            .filter(|(i, _)| *i == id)
            .map(|(_, a)| *a)
            .collect();
        attachments.extend(attach::reports(&outbox, &item, Some(&ids))?);
    }
    let remaining = pending(&outbox)?;
    let counts = outbox.counts()?;
    let json = json!({
        "drained": {
            "delivered": report.delivered,
            "foundExisting": report.found_existing,
            "requeued": report.requeued,
            "failed": report.failed,
        },
        "attachments": attachments,
        "remaining": remaining,
        "counts": counts,
        "sender": SENT_BY_DESKCTL,
    });
    let mut text = format!(
        "delivered {}, already in Desk {}, still queued {}, refused {}",
        report.delivered, report.found_existing, counts.queued, report.failed
    );
    let failed_uploads = attachments.iter().filter(|a| !a.uploaded).count();
    if failed_uploads > 0 {
        text.push_str(&format!(
            "; {failed_uploads} attachment(s) not uploaded yet"
        ));
    }
    if !remaining.is_empty() {
        text.push('\n');
        text.push_str(&lines(&remaining, ""));
    }
    let exit = if counts.queued > 0 && !target.desk.tokens().is_connected() {
        text.push_str(&format!(
            "\nZoho Desk needs a new sign-in: {RECONNECT_HINT}"
        ));
        Exit::AuthNeeded
    } else if report.failed > 0 {
        Exit::Rejected
    } else if counts.queued + counts.sending > 0 {
        Exit::Queued
    } else if failed_uploads > 0 {
        Exit::Failed
    } else {
        Exit::Done
    };
    Ok(Done::ok(json, text).with_exit(exit))
}

/// `deskctl outbox retry ID`: a failed (or waiting) item is sent again now
/// (by the app, when it holds the delivery lock).
pub(super) async fn retry(id: i64) -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let outbox = context::outbox(&data_dir)?;
    let target = context::target(&data_dir).await?;
    let item = outbox.retry(ItemId(id)).map_err(wrong_item)?;
    if !may_deliver(&data_dir, &outbox)? {
        return Ok(queued_for_app(&item, &target, "the item"));
    }
    let deliverer = Deliverer::new(outbox.clone(), target.desk.clone());
    deliverer.deliver_now(item.id).await?;
    let item = outbox.get(item.id)?;
    let attachments = attach::reports(&outbox, &item, None)?;
    Ok(report_item(&item, &attachments, &target, "the item"))
}

/// `deskctl outbox discard ID`: a failed or queued item is not sent.
pub(super) async fn discard(id: i64) -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let outbox = context::outbox(&data_dir)?;
    let item = outbox.get(ItemId(id)).map_err(wrong_item)?;
    outbox.discard(item.id).map_err(wrong_item)?;
    Ok(Done::ok(
        json!({ "discarded": ItemView::from(&item) }),
        format!("item {id} discarded: it will not be sent"),
    ))
}

/// An unknown id or an item in the wrong state is the user's input.
fn wrong_item(error: crate::outbox::Error) -> CliError {
    match error {
        crate::outbox::Error::NotFound(_) | crate::outbox::Error::WrongState { .. } => {
            CliError::usage(format!("{error} (see `deskctl outbox list`)"))
        }
        other => other.into(),
    }
}
