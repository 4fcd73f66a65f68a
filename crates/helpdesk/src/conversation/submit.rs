//! Submissions: a ticket or callback the engine handed over, put in the
//! outbox (committed before any request), then sent at once within a
//! bounded wait. What the chat is told:
//!
//! - delivered: `TicketCreated` / `CallbackCreated` with the number;
//! - transient trouble (or no Desk connection yet): `SendQueued`; the
//!   background deliverer keeps trying and its news updates the
//!   submission's message later ([`super::Conversation`]);
//! - a lost reply (`OutcomeUnknown`): the reference is looked up at once
//!   (a few times within the wait), so the chat can still end with the
//!   number and the ticket exists once;
//! - Desk refused it: `SendFailed { permanent: true }` with Desk's words.
//!   When the person edits and submits again, the same outbox item (same
//!   reference) is changed and resent rather than a second one made.

use std::time::Duration;

use chat_engine::{Event, FieldError};

use super::Result;
use super::store::{Submission, SubmissionDraft};
use super::view::{DeliveryState, SubmissionView};
use crate::compose::{
    ClientRef, ComposeConfig, Composed, ItemKind, compose_callback, compose_ticket,
};
use crate::outbox::{Deliverer, Item, ItemId, ItemState, Outbox};

pub(crate) fn compose(
    draft: &SubmissionDraft,
    config: &ComposeConfig,
    client_ref: ClientRef,
) -> Composed {
    match draft {
        SubmissionDraft::Ticket(d) => compose_ticket(d, config, client_ref),
        SubmissionDraft::Callback(d) => compose_callback(d, config, client_ref),
    }
}

/// A new submission, queued, not yet in the outbox.
pub(crate) fn new_submission(draft: SubmissionDraft, message: u64) -> Submission {
    let kind = draft.kind();
    Submission {
        client_ref: ClientRef::generate(),
        kind,
        draft: Some(draft),
        item: None,
        message: Some(message),
        view: SubmissionView {
            kind,
            state: DeliveryState::Queued,
            ticket_number: None,
            error: None,
        },
        settled: false,
        ticket_id: None,
    }
}

/// Puts `submission` in the outbox if it is not there yet and setup says
/// where it goes; returns whether it is there.
pub(crate) fn enqueue(
    outbox: &Outbox,
    submission: &mut Submission,
    config: Option<&ComposeConfig>,
) -> Result<bool> {
    if submission.item.is_some() {
        return Ok(true);
    }
    let (Some(draft), Some(config)) = (&submission.draft, config) else {
        return Ok(false);
    };
    let composed = compose(draft, config, submission.client_ref.clone());
    let item = outbox.enqueue(&composed)?;
    submission.item = Some(item.id);
    submission.draft = None;
    Ok(true)
}

/// Brings the submission's view up to date with its outbox item.
pub(crate) fn update_from_item(submission: &mut Submission, item: &Item) {
    let view = &mut submission.view;
    view.state = match item.state {
        ItemState::Queued => DeliveryState::Queued,
        ItemState::Sending => DeliveryState::Sending,
        ItemState::Delivered => DeliveryState::Sent,
        ItemState::Failed => DeliveryState::Failed,
    };
    view.ticket_number = item.ticket_number.clone();
    view.error = match item.state {
        ItemState::Delivered => None,
        _ => item.last_error.as_deref().map(desk_reason),
    };
    submission.ticket_id = item.ticket_id.clone();
}

/// The engine event that reports how the submission ended, once it has.
pub(crate) fn final_event(submission: &Submission, item: &Item) -> Option<Event> {
    match item.state {
        ItemState::Delivered => {
            let number = item.ticket_number.clone().unwrap_or_default();
            let id = item.ticket_id.clone().unwrap_or_default();
            Some(match submission.kind {
                ItemKind::Ticket => Event::TicketCreated { number, id },
                ItemKind::Callback => Event::CallbackCreated { number, id },
            })
        }
        ItemState::Failed => Some(Event::SendFailed {
            reason: item
                .last_error
                .as_deref()
                .map(desk_reason)
                .unwrap_or_else(|| "it was refused".to_owned()),
            permanent: true,
            field_errors: item
                .field_errors
                .iter()
                .map(|e| FieldError {
                    field: e.field.trim_start_matches('/').replace('/', "."),
                    message: e.message.clone(),
                })
                .collect(),
        }),
        ItemState::Queued | ItemState::Sending => None,
    }
}

/// Desk's words without the outbox's prefix.
fn desk_reason(error: &str) -> String {
    error
        .strip_prefix("Zoho Desk refused it: ")
        .unwrap_or(error)
        .to_owned()
}

/// Sends item `id` now and waits at most `wait` for the outcome (see
/// [`Deliverer::deliver_within`]).
pub(crate) async fn deliver_at_once(
    deliverer: &Deliverer,
    id: ItemId,
    wait: Duration,
) -> Result<Item> {
    Ok(deliverer.deliver_within(id, wait).await?)
}

pub(crate) async fn read(outbox: &Outbox, id: ItemId) -> Result<Item> {
    let outbox = outbox.clone();
    tokio::task::spawn_blocking(move || outbox.get(id))
        .await
        .map_err(|e| super::Error::Worker(e.to_string()))?
        .map_err(Into::into)
}
