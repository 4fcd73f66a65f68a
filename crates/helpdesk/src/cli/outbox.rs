//! `deskctl outbox list|flush`, and the one way `ticket` and `callback`
//! send: commit to the outbox, deliver now, upload attachments.

use std::path::Path;

use serde_json::json;

use super::Done;
use super::attach::{self, AttachmentReport};
use super::context::{self, RECONNECT_HINT, Source, Target};
use super::exit::{CliError, Exit};
use super::view::{ItemView, lines};
use crate::compose::Composed;
use crate::outbox::{Deliverer, HistoryQuery, Item, ItemId, ItemState, Outbox};
use crate::settings::DataDir;

/// Commits `composed` (and spools `attachment`), then sends it now.
/// Exit 0 delivered, 5 queued, 3 queued for lack of authorization, 4 refused.
pub(super) async fn submit(
    data_dir: &DataDir,
    target: &Target,
    composed: &Composed,
    attachment: Option<&Path>,
    what: &str,
) -> Result<Done, CliError> {
    let outbox = context::outbox(data_dir)?;
    let item = outbox.enqueue(composed)?;
    if let Some(path) = attachment {
        attach::spool(data_dir, &item.client_ref, path)?;
    }
    let deliverer = Deliverer::new(outbox.clone(), target.desk.clone());
    deliverer.deliver_now(item.id).await?;
    let item = outbox.get(item.id)?;
    let attachments =
        attach::upload_pending(data_dir, &outbox, &target.desk, Some(&item.client_ref)).await;
    Ok(report_item(&item, &attachments, target, what))
}

fn report_item(item: &Item, attachments: &[AttachmentReport], target: &Target, what: &str) -> Done {
    let view = ItemView::from(item);
    let json =
        json!({ "item": view, "attachments": attachments, "connection": target.source.as_str() });
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
                    text.push_str(&format!(
                        "\nthe attachment {} was not uploaded ({}); it is kept and `deskctl outbox flush` tries again",
                        a.file_name,
                        a.error.as_deref().unwrap_or("unknown error")
                    ));
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

/// `deskctl outbox flush`: every queued item is due now, then one drain;
/// then the attachments of delivered tickets.
pub(super) async fn flush() -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let outbox = context::outbox(&data_dir)?;
    let target = context::target(&data_dir).await?;
    for item in outbox.list(ItemState::Queued)? {
        // Due now, whatever its backoff said: the user asked.
        outbox.retry(item.id)?;
    }
    let deliverer = Deliverer::new(outbox.clone(), target.desk.clone());
    let report = deliverer.drain(0).await?;
    let attachments = attach::upload_pending(&data_dir, &outbox, &target.desk, None).await;
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

/// `deskctl outbox retry ID`: a failed (or waiting) item is sent again now.
pub(super) async fn retry(id: i64) -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let outbox = context::outbox(&data_dir)?;
    let target = context::target(&data_dir).await?;
    let item = outbox.retry(ItemId(id)).map_err(wrong_item)?;
    let deliverer = Deliverer::new(outbox.clone(), target.desk.clone());
    deliverer.deliver_now(item.id).await?;
    let item = outbox.get(item.id)?;
    let attachments =
        attach::upload_pending(&data_dir, &outbox, &target.desk, Some(&item.client_ref)).await;
    Ok(report_item(&item, &attachments, &target, "the item"))
}

/// `deskctl outbox discard ID`: a failed or queued item is not sent.
pub(super) async fn discard(id: i64) -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let outbox = context::outbox(&data_dir)?;
    let item = outbox.get(ItemId(id)).map_err(wrong_item)?;
    outbox.discard(item.id).map_err(wrong_item)?;
    attach::discard(&data_dir, &item.client_ref);
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
