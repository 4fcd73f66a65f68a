//! What each flow gathers while it runs, and how a conversation ended.

use serde::{Deserialize, Serialize};

use crate::model::{CallbackDraft, CallbackTime, Memory, Now, TicketDraft};

/// A ticket being gathered. Name, email and phone live in
/// [`Memory::contact`] so that a later flow does not ask for them again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketForm {
    pub memory: Memory,
    pub issue: Option<String>,
    /// The knowledge base was searched (or skipped) for this issue; editing
    /// the issue later does not search again.
    pub articles_checked: bool,
}

impl TicketForm {
    pub fn new(memory: Memory, issue: Option<String>) -> Self {
        TicketForm {
            memory,
            issue,
            articles_checked: false,
        }
    }

    /// The finished draft, once every field is there.
    pub fn draft(&self) -> Option<TicketDraft> {
        let contact = &self.memory.contact;
        let name = contact.name.clone()?;
        Some(TicketDraft {
            first_name: name.first_name,
            last_name: name.last_name,
            email: contact.email.clone()?,
            phone_e164: contact.phone_e164.clone()?,
            issue: self.issue.clone()?,
            transcript: self.memory.transcript.clone(),
        })
    }
}

/// A callback being gathered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackForm {
    pub memory: Memory,
    pub when: Option<CallbackTime>,
    pub note: Option<String>,
    /// The optional note was asked for (and maybe skipped).
    pub note_asked: bool,
}

impl CallbackForm {
    pub fn new(memory: Memory) -> Self {
        CallbackForm {
            memory,
            ..CallbackForm::default()
        }
    }

    /// The finished draft, once every field is there. `None` also when the
    /// time has passed since it was confirmed.
    pub fn draft(&self, now: &Now) -> Option<CallbackDraft> {
        let contact = &self.memory.contact;
        let name = contact.name.clone()?;
        let when = self.when.clone()?;
        if when.utc <= now.at || !self.note_asked {
            return None;
        }
        Some(CallbackDraft {
            first_name: name.first_name,
            last_name: name.last_name,
            phone_e164: contact.phone_e164.clone()?,
            email: contact.email.clone(),
            when_utc: when.utc,
            when_local_text: when.local_text,
            time_zone: when.time_zone,
            note: self.note.clone(),
            transcript: self.memory.transcript.clone(),
        })
    }
}

/// A ticket-status question being gathered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckForm {
    pub memory: Memory,
    pub number: Option<String>,
}

impl CheckForm {
    pub fn new(memory: Memory, number: Option<String>) -> Self {
        CheckForm { memory, number }
    }
}

/// How the last flow of a conversation ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// An article answered the question; no ticket.
    SolvedByArticle,
    TicketCreated {
        number: String,
        id: String,
    },
    /// The outbox holds the ticket and keeps trying; its number comes later.
    TicketQueued,
    CallbackCreated {
        number: String,
        id: String,
    },
    CallbackQueued,
    /// The person cancelled; nothing was sent.
    Cancelled,
    /// A status question was answered (or could not be).
    TicketChecked,
}
