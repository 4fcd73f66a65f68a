//! What the chat window shows: the visible transcript, its buttons, the
//! typing indicator and each submission's way to Desk. Serialised in
//! camelCase: these types become the IPC DTOs of the chat.
//!
//! Every text here is plain text (a person's words, the bot's, Desk's
//! status names): the UI must set it as text, never as HTML.

use chat_engine::{QuickReply, QuickReplyId, SummaryField};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::compose::ItemKind;

/// Who a message is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    Bot,
    Person,
    /// The app itself: a submission's delivery state.
    System,
}

/// Where a submission is on its way to Desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeliveryState {
    /// Saved on this computer, waiting to be sent.
    Queued,
    Sending,
    /// In Desk, with its ticket number.
    Sent,
    /// Desk refused it; the chat said why.
    Failed,
}

/// A button under a bot message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuickReplyView {
    pub id: QuickReplyId,
    pub label: String,
}

impl From<QuickReply> for QuickReplyView {
    fn from(q: QuickReply) -> Self {
        Self {
            id: q.id,
            label: q.label,
        }
    }
}

/// A summary card (label / value lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryView {
    pub title: String,
    pub fields: Vec<SummaryFieldView>,
}

/// One line of a summary card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryFieldView {
    pub label: String,
    pub value: String,
}

impl From<SummaryField> for SummaryFieldView {
    fn from(f: SummaryField) -> Self {
        Self {
            label: f.label,
            value: f.value,
        }
    }
}

/// A submission's delivery, shown on its [`Role::System`] message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionView {
    pub kind: ItemKind,
    pub state: DeliveryState,
    /// Desk's ticket number, once sent.
    pub ticket_number: Option<String>,
    /// Why it failed, or why it is waiting.
    pub error: Option<String>,
}

/// One message of the visible transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatMessage {
    /// Stable within a conversation (the UI's key; a submission's message
    /// keeps its id when its state changes).
    pub id: u64,
    pub role: Role,
    /// Plain text, never HTML.
    pub text: String,
    pub at: DateTime<Utc>,
    /// Buttons offered with this message (only the last bot message's are live).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quick_replies: Vec<QuickReplyView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<SummaryView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission: Option<SubmissionView>,
}

/// The whole chat as the UI draws it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatView {
    pub messages: Vec<ChatMessage>,
    /// The buttons that answer the current question.
    pub quick_replies: Vec<QuickReplyView>,
    /// The bot is waiting for Desk (show the typing indicator).
    pub typing: bool,
    /// A Desk connection is configured (else submissions wait in the outbox).
    pub connected: bool,
}

impl SubmissionView {
    /// The system message's words for this state.
    pub(crate) fn text(&self) -> String {
        let what = match self.kind {
            ItemKind::Ticket => "Ticket",
            ItemKind::Callback => "Callback request",
        };
        match (self.state, &self.ticket_number) {
            (DeliveryState::Sent, Some(n)) => format!("{what} sent: #{n}"),
            (DeliveryState::Sent, None) => format!("{what} sent"),
            (DeliveryState::Queued, _) => {
                format!("{what} queued: it will be sent when our help desk can be reached")
            }
            (DeliveryState::Sending, _) => format!("{what}: sending"),
            (DeliveryState::Failed, _) => format!("{what} not accepted by our help desk"),
        }
    }
}
