//! The conversation's row in the outbox database (table `conversation`,
//! schema step 2 in `outbox::schema`): the engine state, the visible
//! transcript and the submissions, written after every step so that a
//! conversation survives a restart (or a kill) where it was.

use chat_engine::{CallbackDraft, State, TicketDraft};
use chrono::Utc;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Result;
use super::view::{ChatMessage, SubmissionView};
use crate::compose::{ClientRef, ItemKind};
use crate::outbox::{ItemId, Outbox};

/// What the engine handed over, kept until it is in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "draft", rename_all = "snake_case")]
pub(crate) enum SubmissionDraft {
    Ticket(TicketDraft),
    Callback(CallbackDraft),
}

impl SubmissionDraft {
    pub(crate) fn kind(&self) -> ItemKind {
        match self {
            Self::Ticket(_) => ItemKind::Ticket,
            Self::Callback(_) => ItemKind::Callback,
        }
    }
}

/// One ticket or callback this conversation submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Submission {
    /// Chosen before anything is written anywhere: the outbox item (and the
    /// Desk ticket) carry it, so it is never filed twice.
    pub client_ref: ClientRef,
    pub kind: ItemKind,
    /// The draft, until it is in the outbox.
    pub draft: Option<SubmissionDraft>,
    /// The outbox item, once enqueued.
    pub item: Option<ItemId>,
    /// Its system message; `None` after "New conversation".
    pub message: Option<u64>,
    pub view: SubmissionView,
    /// The engine has been told how it ended (created, or refused).
    pub settled: bool,
    /// Desk's ticket id, once sent.
    pub ticket_id: Option<String>,
}

/// The whole persisted conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Stored {
    pub state: State,
    pub messages: Vec<ChatMessage>,
    pub submissions: Vec<Submission>,
}

impl Stored {
    pub(crate) fn next_message_id(&self) -> u64 {
        self.messages.last().map_or(1, |m| m.id + 1)
    }
}

/// The saved conversation, if any.
pub(crate) fn load(outbox: &Outbox) -> Result<Option<Stored>> {
    let row = outbox.with_connection(|conn| {
        conn.query_row(
            "SELECT state, messages, submissions FROM conversation WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )
        .optional()
    })?;
    let Some((state, messages, submissions)) = row else {
        return Ok(None);
    };
    Ok(Some(Stored {
        state: serde_json::from_str(&state)?,
        messages: serde_json::from_str(&messages)?,
        submissions: serde_json::from_str(&submissions)?,
    }))
}

/// Replaces the saved conversation (one committed statement).
pub(crate) fn save(outbox: &Outbox, stored: &Stored) -> Result<()> {
    let state = serde_json::to_string(&stored.state)?;
    let messages = serde_json::to_string(&stored.messages)?;
    let submissions = serde_json::to_string(&stored.submissions)?;
    let now = Utc::now().timestamp_millis();
    outbox.with_connection(|conn| {
        conn.execute(
            "INSERT INTO conversation (id, state, messages, submissions, updated_at) \
             VALUES (1, ?1, ?2, ?3, ?4) \
             ON CONFLICT(id) DO UPDATE SET state = ?1, messages = ?2, submissions = ?3, \
               updated_at = ?4",
            params![state, messages, submissions, now],
        )
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chat_engine::{Event, Now, QuickReplyId, Region, step};
    use chrono::TimeZone;

    use super::*;
    use crate::conversation::view::{DeliveryState, Role};

    #[test]
    fn a_conversation_round_trips_through_its_row() {
        let outbox = Outbox::open_in_memory().unwrap();
        assert_eq!(load(&outbox).unwrap(), None);
        let now = Now::new(
            Utc.with_ymd_and_hms(2030, 6, 10, 7, 0, 0).unwrap(),
            chrono_tz::Europe::Berlin,
            Region::DE,
        );
        let (state, _) = step(State::default(), Event::Started, now);
        let (state, _) = step(
            state,
            Event::QuickReplyChosen(QuickReplyId::CreateTicket),
            now,
        );
        let mut stored = Stored {
            state,
            ..Stored::default()
        };
        stored.messages.push(ChatMessage {
            id: stored.next_message_id(),
            role: Role::Person,
            text: "مرحبا 👋🏽 <b>not html</b>".into(),
            at: now.at,
            quick_replies: vec![],
            summary: None,
            submission: None,
        });
        stored.submissions.push(Submission {
            client_ref: ClientRef::generate(),
            kind: ItemKind::Ticket,
            draft: None,
            item: Some(ItemId(7)),
            message: Some(1),
            view: SubmissionView {
                kind: ItemKind::Ticket,
                state: DeliveryState::Queued,
                ticket_number: None,
                error: None,
            },
            settled: false,
            ticket_id: None,
        });
        save(&outbox, &stored).unwrap();
        assert_eq!(load(&outbox).unwrap().as_ref(), Some(&stored));
        // A second save replaces the one row.
        stored.messages.clear();
        save(&outbox, &stored).unwrap();
        assert_eq!(load(&outbox).unwrap(), Some(stored));
        assert_eq!(stored_rows(&outbox), 1);
    }

    fn stored_rows(outbox: &Outbox) -> i64 {
        outbox
            .with_connection(|c| c.query_row("SELECT COUNT(*) FROM conversation", [], |r| r.get(0)))
            .unwrap()
    }
}
