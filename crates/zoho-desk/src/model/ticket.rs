//! Tickets, their comments and attachments (contract, "Create ticket" and
//! the `/tickets` rows of "Endpoints we use").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::serde_util::{de_opt_bool, de_opt_count, de_opt_time, ser_opt_time};
use crate::ids::{AttachmentId, CommentId, ContactId, DepartmentId, TicketId};

/// A full ticket: `GET /tickets/{id}`, create, patch and search replies.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Ticket {
    /// Ticket id (for API calls).
    pub id: TicketId,
    /// Ticket number shown to people, e.g. `"103"`.
    #[serde(default)]
    pub ticket_number: Option<String>,
    /// Subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// Description (HTML). Absent from list items.
    #[serde(default)]
    pub description: Option<String>,
    /// Status, e.g. `"Open"`.
    #[serde(default)]
    pub status: Option<String>,
    /// `Open`, `On Hold` or `Closed`.
    #[serde(default)]
    pub status_type: Option<String>,
    /// Department id.
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// The contact, when Desk embeds it.
    #[serde(default)]
    pub contact: Option<TicketContact>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Channel (`Chat`, `Web`, `Phone`, ...).
    #[serde(default)]
    pub channel: Option<String>,
    /// Priority (`High`, `Medium`, `Low`, or a custom value).
    #[serde(default)]
    pub priority: Option<String>,
    /// Classification.
    #[serde(default)]
    pub classification: Option<String>,
    /// Language.
    #[serde(default)]
    pub language: Option<String>,
    /// Due date.
    #[serde(default, deserialize_with = "de_opt_time")]
    pub due_date: Option<DateTime<Utc>>,
    /// Created.
    #[serde(default, deserialize_with = "de_opt_time")]
    pub created_time: Option<DateTime<Utc>>,
    /// Last modified.
    #[serde(default, deserialize_with = "de_opt_time")]
    pub modified_time: Option<DateTime<Utc>>,
    /// Closed.
    #[serde(default, deserialize_with = "de_opt_time")]
    pub closed_time: Option<DateTime<Utc>>,
    /// Agent console link: fine for staff, not for customers.
    #[serde(default)]
    pub web_url: Option<String>,
    /// Number of threads (Desk sends it as a string).
    #[serde(default, deserialize_with = "de_opt_count")]
    pub thread_count: Option<u64>,
    /// Number of comments (Desk sends it as a string).
    #[serde(default, deserialize_with = "de_opt_count")]
    pub comment_count: Option<u64>,
    /// Assigned agent, if any.
    #[serde(default)]
    pub assignee_id: Option<String>,
    /// Custom fields, `{"cf_<api_name>": value}`.
    #[serde(default)]
    pub cf: Option<Map<String, Value>>,
}

/// A slim ticket from `GET /tickets` (no description).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TicketSummary {
    /// Ticket id.
    pub id: TicketId,
    /// Ticket number.
    #[serde(default)]
    pub ticket_number: Option<String>,
    /// Subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// Status type.
    #[serde(default)]
    pub status_type: Option<String>,
    /// Department id.
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    /// Contact id.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Channel.
    #[serde(default)]
    pub channel: Option<String>,
    /// Priority.
    #[serde(default)]
    pub priority: Option<String>,
    /// Due date.
    #[serde(default, deserialize_with = "de_opt_time")]
    pub due_date: Option<DateTime<Utc>>,
    /// Created.
    #[serde(default, deserialize_with = "de_opt_time")]
    pub created_time: Option<DateTime<Utc>>,
    /// Agent console link.
    #[serde(default)]
    pub web_url: Option<String>,
}

/// The contact embedded in a ticket.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TicketContact {
    /// Contact id.
    #[serde(default)]
    pub id: Option<ContactId>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
}

/// Ticket priority as sent on create or update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Priority {
    /// `High`.
    High,
    /// `Medium`.
    Medium,
    /// `Low`.
    Low,
}

/// Who the ticket is for: an existing contact, or an inline contact that
/// Desk finds by email or creates (find-or-create in the same request).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ContactRef {
    /// `"contactId": "..."`.
    #[serde(rename = "contactId")]
    Id(ContactId),
    /// `"contact": {...}`, which needs `lastName` or `email`.
    #[serde(rename = "contact")]
    Inline(InlineContact),
}

/// The inline `contact` of a ticket create.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InlineContact {
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Email: Desk reuses the contact with this email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// Body of `POST /tickets`. `subject`, `departmentId` and a contact are
/// required; every other field is sent only when set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewTicket {
    /// At most 255 characters.
    pub subject: String,
    /// A department id (a name is rejected by Desk).
    pub department_id: DepartmentId,
    /// `contactId` or an inline `contact`.
    #[serde(flatten)]
    pub contact: ContactRef,
    /// HTML, up to 65535 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Priority.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// Status, e.g. `Open`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Channel: `Chat`, `Web`, `Phone` (Desk's default)...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Due date, sent as `2026-06-11T16:12:11.000Z`.
    #[serde(
        serialize_with = "ser_opt_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub due_date: Option<DateTime<Utc>>,
    /// Classification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// Language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Custom fields, `{"cf_<api_name>": value}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cf: Option<Map<String, Value>>,
    /// Ids of files uploaded beforehand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uploads: Option<Vec<String>>,
}

impl NewTicket {
    /// A ticket for `contact` in `department`; set optional fields afterwards.
    pub fn new(
        subject: impl Into<String>,
        department_id: DepartmentId,
        contact: ContactRef,
    ) -> Self {
        Self {
            subject: subject.into(),
            department_id,
            contact,
            description: None,
            email: None,
            phone: None,
            priority: None,
            status: None,
            channel: None,
            due_date: None,
            classification: None,
            language: None,
            cf: None,
            uploads: None,
        }
    }

    /// Sets one custom field `cf_<api_name>`.
    pub fn with_custom_field(
        mut self,
        api_name: impl Into<String>,
        value: impl Into<Value>,
    ) -> Self {
        self.cf
            .get_or_insert_with(Map::new)
            .insert(api_name.into(), value.into());
        self
    }
}

/// Body of `PATCH /tickets/{id}`: only the fields that are set are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketPatch {
    /// Subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Priority.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// Department.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department_id: Option<DepartmentId>,
    /// Contact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<ContactId>,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Due date.
    #[serde(
        serialize_with = "ser_opt_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub due_date: Option<DateTime<Utc>>,
    /// Classification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// Language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Custom fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cf: Option<Map<String, Value>>,
}

/// `contentType` of a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CommentContentType {
    /// `plainText`.
    #[serde(rename = "plainText")]
    PlainText,
    /// `html`.
    #[serde(rename = "html")]
    Html,
}

/// Body of `POST /tickets/{id}/comments`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewComment {
    /// The text.
    pub content: String,
    /// Whether the customer sees it.
    pub is_public: bool,
    /// Plain text or HTML.
    pub content_type: CommentContentType,
}

impl NewComment {
    /// A private plain-text comment (an agent's note).
    pub fn private_note(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
            is_public: false,
            content_type: CommentContentType::PlainText,
        }
    }
}

/// A ticket comment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Comment {
    /// Comment id.
    pub id: CommentId,
    /// The text.
    #[serde(default)]
    pub content: Option<String>,
    /// Whether the customer sees it.
    #[serde(default, deserialize_with = "de_opt_bool")]
    pub is_public: Option<bool>,
    /// `plainText` or `html`.
    #[serde(default)]
    pub content_type: Option<String>,
    /// When it was written.
    #[serde(default, deserialize_with = "de_opt_time")]
    pub commented_time: Option<DateTime<Utc>>,
}

/// A ticket attachment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Attachment {
    /// Attachment id.
    pub id: AttachmentId,
    /// File name.
    #[serde(default)]
    pub name: Option<String>,
    /// Size in bytes (Desk sends it as a string).
    #[serde(default, deserialize_with = "de_opt_count")]
    pub size: Option<u64>,
    /// Whether the customer sees it.
    #[serde(default, deserialize_with = "de_opt_bool")]
    pub is_public: Option<bool>,
    /// Download link.
    #[serde(default)]
    pub href: Option<String>,
    /// When it was added.
    #[serde(default, deserialize_with = "de_opt_time")]
    pub created_time: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    #[test]
    fn inline_contact_ticket_serialises_every_optional_field() {
        let mut ticket = NewTicket::new(
            "Printer on fire",
            DepartmentId::new("1329983000000006907"),
            ContactRef::Inline(InlineContact {
                last_name: Some("Doe".into()),
                email: Some("jane@example.com".into()),
                ..InlineContact::default()
            }),
        )
        .with_custom_field("cf_chat_id", "c-42");
        ticket.description = Some("<p>It burns</p>".into());
        ticket.priority = Some(Priority::High);
        ticket.channel = Some("Chat".into());
        ticket.due_date = Some(Utc.with_ymd_and_hms(2026, 6, 11, 16, 12, 11).unwrap());
        ticket.status = Some("Open".into());
        ticket.classification = Some("Problem".into());
        ticket.language = Some("English".into());
        ticket.email = Some("jane@example.com".into());
        ticket.phone = Some("+1 555".into());
        let value = serde_json::to_value(&ticket).unwrap();
        assert_eq!(
            value,
            json!({
                "subject": "Printer on fire",
                "departmentId": "1329983000000006907",
                "contact": {"lastName": "Doe", "email": "jane@example.com"},
                "description": "<p>It burns</p>",
                "email": "jane@example.com",
                "phone": "+1 555",
                "priority": "High",
                "status": "Open",
                "channel": "Chat",
                "dueDate": "2026-06-11T16:12:11.000Z",
                "classification": "Problem",
                "language": "English",
                "cf": {"cf_chat_id": "c-42"}
            })
        );
    }

    #[test]
    fn contact_id_ticket_sends_only_required_fields() {
        let ticket = NewTicket::new(
            "Hi",
            DepartmentId::new("1"),
            ContactRef::Id(ContactId::new("2")),
        );
        assert_eq!(
            serde_json::to_value(&ticket).unwrap(),
            json!({"subject": "Hi", "departmentId": "1", "contactId": "2"})
        );
    }

    #[test]
    fn empty_patch_is_an_empty_object() {
        assert_eq!(
            serde_json::to_value(TicketPatch::default()).unwrap(),
            json!({})
        );
        let patch = TicketPatch {
            status: Some("Closed".into()),
            ..TicketPatch::default()
        };
        assert_eq!(
            serde_json::to_value(patch).unwrap(),
            json!({"status": "Closed"})
        );
    }
}
