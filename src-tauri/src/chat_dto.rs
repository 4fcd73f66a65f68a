//! The support chat's IPC types (TypeScript twins in `ui/src/bindings`),
//! converted from `helpdesk::conversation`'s view. Every text in them is
//! plain text: the UI sets it as text, never as HTML.

use helpdesk::conversation::{
    ChatMessage, ChatView, DeliveryState, QuickReplyView, Role, SubmissionView, SummaryView,
};
use serde::Serialize;
use ts_rs::TS;

/// Who a message is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ChatRole {
    Bot,
    Person,
    /// The app itself: a submission's delivery state.
    System,
}

/// Where a submission is on its way to Desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DeliveryStateDto {
    /// Saved on this computer, waiting to be sent.
    Queued,
    Sending,
    /// In Desk, with its ticket number.
    Sent,
    /// Desk refused it; the chat said why.
    Failed,
}

/// A button: `id` is what `chat_choose` takes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuickReplyDto {
    pub id: String,
    pub label: String,
}

/// One line of a summary card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SummaryFieldDto {
    pub label: String,
    pub value: String,
}

/// A summary card (shown as a definition list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SummaryDto {
    pub title: String,
    pub fields: Vec<SummaryFieldDto>,
}

/// A submission's delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubmissionDto {
    /// `ticket` or `callback`.
    pub kind: String,
    pub state: DeliveryStateDto,
    /// Desk's ticket number, once sent.
    pub ticket_number: Option<String>,
    /// Why it failed, or why it is waiting.
    pub error: Option<String>,
}

/// One message of the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChatMessageDto {
    /// Stable within a conversation (a submission's message keeps it).
    pub id: u32,
    pub role: ChatRole,
    /// Plain text, never HTML.
    pub text: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub quick_replies: Vec<QuickReplyDto>,
    pub summary: Option<SummaryDto>,
    pub submission: Option<SubmissionDto>,
}

/// The whole chat as the UI draws it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChatViewDto {
    pub messages: Vec<ChatMessageDto>,
    /// The buttons that answer the current question.
    pub quick_replies: Vec<QuickReplyDto>,
    /// The bot waits for Desk: show the typing indicator.
    pub typing: bool,
    /// Connected to Desk (else submissions wait in the outbox).
    pub connected: bool,
}

impl From<ChatView> for ChatViewDto {
    fn from(v: ChatView) -> Self {
        Self {
            messages: v.messages.into_iter().map(Into::into).collect(),
            quick_replies: v.quick_replies.into_iter().map(Into::into).collect(),
            typing: v.typing,
            connected: v.connected,
        }
    }
}

impl From<ChatMessage> for ChatMessageDto {
    fn from(m: ChatMessage) -> Self {
        Self {
            // Ids count messages: far below u32::MAX (a plain JS number).
            id: u32::try_from(m.id).unwrap_or(u32::MAX),
            role: match m.role {
                Role::Bot => ChatRole::Bot,
                Role::Person => ChatRole::Person,
                Role::System => ChatRole::System,
            },
            text: m.text,
            at: m.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            quick_replies: m.quick_replies.into_iter().map(Into::into).collect(),
            summary: m.summary.map(Into::into),
            submission: m.submission.map(Into::into),
        }
    }
}

impl From<QuickReplyView> for QuickReplyDto {
    fn from(q: QuickReplyView) -> Self {
        Self {
            id: serde_json::to_value(q.id)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            label: q.label,
        }
    }
}

impl From<SummaryView> for SummaryDto {
    fn from(s: SummaryView) -> Self {
        Self {
            title: s.title,
            fields: s
                .fields
                .into_iter()
                .map(|f| SummaryFieldDto {
                    label: f.label,
                    value: f.value,
                })
                .collect(),
        }
    }
}

impl From<SubmissionView> for SubmissionDto {
    fn from(s: SubmissionView) -> Self {
        Self {
            kind: s.kind.as_str().to_owned(),
            state: match s.state {
                DeliveryState::Queued => DeliveryStateDto::Queued,
                DeliveryState::Sending => DeliveryStateDto::Sending,
                DeliveryState::Sent => DeliveryStateDto::Sent,
                DeliveryState::Failed => DeliveryStateDto::Failed,
            },
            ticket_number: s.ticket_number,
            error: s.error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quick_replies_travel_by_their_wire_names() {
        let q = QuickReplyDto::from(QuickReplyView {
            id: chat_engine_id(),
            label: "Create a ticket".into(),
        });
        assert_eq!(
            serde_json::to_value(q).unwrap(),
            json!({ "id": "create_ticket", "label": "Create a ticket" })
        );
    }

    fn chat_engine_id() -> helpdesk::chat::QuickReplyId {
        helpdesk::chat::parse_quick_reply("create_ticket").unwrap()
    }
}
