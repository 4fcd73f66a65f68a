//! Which delivery news deserves a desktop notification: an item that had
//! been queued (not settled by its first, immediate attempt) is now in
//! Desk, or such an item failed for good (Desk refused it). Everything
//! else (sending, queued again, delivered or refused at once while the
//! form or chat shows it) stays quiet.
//!
//! What it is not: showing it (the app does, with
//! tauri-plugin-notification, and never lets a missing notification
//! daemon hold up delivery).

use std::time::Duration;

use crate::compose::ItemKind;
use crate::delivery::Delivery;
use crate::outbox::{ItemState, OutboxEvent};

/// How long Submit waits for the first attempt: a delivery within it was
/// seen by the person in the form or the chat.
pub const IMMEDIATE: Duration = Duration::from_secs(10);

/// A notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// The notice for `event`, if it deserves one.
pub fn notice_for(event: &OutboxEvent) -> Option<Notice> {
    let what = match event.kind {
        ItemKind::Ticket => "Ticket",
        ItemKind::Callback => "Callback",
    };
    // The first attempt, made while Submit waits: its outcome is on screen
    // where it was sent (the form or the chat), so it is not repeated.
    let waited = (event.updated_at - event.created_at)
        .to_std()
        .unwrap_or_default();
    let seen_where_sent = event.attempts <= 1 && waited <= IMMEDIATE;
    match event.state {
        _ if seen_where_sent => None,
        ItemState::Delivered => Some(Notice {
            title: format!(
                "{what} #{} sent to Zoho Desk",
                event.ticket_number.as_deref().unwrap_or("?")
            ),
            body: format!("“{}” was queued and is now in Zoho Desk.", event.subject),
        }),
        ItemState::Failed => Some(Notice {
            title: format!("{what} not sent"),
            body: format!(
                "“{}”: {} Open History to edit, retry or discard it.",
                event.subject,
                event.error.as_deref().unwrap_or("Zoho Desk refused it.")
            ),
        }),
        ItemState::Queued | ItemState::Sending => None,
    }
}

/// Calls `show` with each notice from `delivery`'s events, for as long as
/// the app lives. `show` runs on a blocking thread: a slow or missing
/// notification daemon never holds up delivery.
pub fn follow(delivery: &Delivery, show: impl Fn(Notice) + Send + Sync + 'static) {
    let mut events = delivery.subscribe();
    let show = std::sync::Arc::new(show);
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            if let Some(notice) = notice_for(&event) {
                let show = show.clone();
                tokio::task::spawn_blocking(move || show(notice));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::compose::ClientRef;
    use crate::outbox::ItemId;

    fn event(state: ItemState, attempts: u32, waited_s: i64) -> OutboxEvent {
        let created = Utc.with_ymd_and_hms(2026, 11, 30, 14, 0, 0).unwrap();
        OutboxEvent {
            id: ItemId(1),
            client_ref: ClientRef::new("DC-1"),
            state,
            ticket_number: Some("103".into()),
            error: Some("Zoho Desk refused it: bad email.".into()),
            next_attempt_at: None,
            kind: ItemKind::Ticket,
            subject: "Printer on fire".into(),
            attempts,
            created_at: created,
            updated_at: created + chrono::Duration::seconds(waited_s),
        }
    }

    #[test]
    fn a_delivery_at_the_first_immediate_attempt_is_not_notified() {
        assert_eq!(notice_for(&event(ItemState::Delivered, 1, 2)), None);
    }

    #[test]
    fn a_queued_item_delivered_later_is_notified_with_its_number() {
        let n = notice_for(&event(ItemState::Delivered, 3, 120)).unwrap();
        assert_eq!(n.title, "Ticket #103 sent to Zoho Desk");
        assert!(n.body.contains("Printer on fire"));
        // First attempt, but long after it was queued (setup done later).
        assert!(notice_for(&event(ItemState::Delivered, 1, 600)).is_some());
    }

    #[test]
    fn a_failure_for_good_is_notified_and_transient_states_are_not() {
        let n = notice_for(&event(ItemState::Failed, 3, 90)).unwrap();
        assert!(n.body.contains("bad email"), "{n:?}");
        assert!(n.body.contains("History"));
        // Refused at the first attempt: the form or chat shows it already.
        assert_eq!(notice_for(&event(ItemState::Failed, 1, 1)), None);
        assert_eq!(notice_for(&event(ItemState::Queued, 2, 5)), None);
        assert_eq!(notice_for(&event(ItemState::Sending, 2, 5)), None);
    }
}
