//! An outbox item as `deskctl` shows it: a JSON object, or one line of text.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::outbox::{Item, ItemFieldError};

/// An outbox or history item for `--json` (no request body: it holds
/// personal data the caller already has, and may be long).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemView {
    /// Local id (`deskctl` and the app's history share it).
    pub id: i64,
    /// `ticket` or `callback`.
    pub kind: String,
    /// `queued`, `sending`, `delivered` or `failed`.
    pub state: String,
    /// The client reference that makes delivery exactly-once.
    pub client_ref: String,
    pub subject: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub department_id: String,
    pub ticket_id: Option<String>,
    pub ticket_number: Option<String>,
    /// "Open in Desk".
    pub web_url: Option<String>,
    /// The Desk status when last seen.
    pub desk_status: Option<String>,
    pub attempts: u32,
    /// Why it is still queued, or what Desk said.
    pub last_error: Option<String>,
    /// Desk's `errors[]`, for a refused item.
    pub field_errors: Vec<ItemFieldError>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// For a queued item: when it is tried again.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

impl From<&Item> for ItemView {
    fn from(item: &Item) -> Self {
        Self {
            id: item.id.0,
            kind: item.kind.as_str().to_owned(),
            state: item.state.as_str().to_owned(),
            client_ref: item.client_ref.as_str().to_owned(),
            subject: item.subject.clone(),
            contact_name: item.contact_name.clone(),
            contact_email: item.contact_email.clone(),
            department_id: item.department_id.clone(),
            ticket_id: item.ticket_id.clone(),
            ticket_number: item.ticket_number.clone(),
            web_url: item.web_url.clone(),
            desk_status: item.desk_status.clone(),
            attempts: item.attempts,
            last_error: item.last_error.clone(),
            field_errors: item.field_errors.clone(),
            created_at: item.created_at,
            delivered_at: item.delivered_at,
            next_attempt_at: (item.state == crate::outbox::ItemState::Queued)
                .then_some(item.next_attempt_at),
        }
    }
}

impl ItemView {
    /// `#12  delivered  ticket  #101  Printer on fire  Ann Lee <ann@example.com>  2026-11-29 15:00 UTC`.
    pub fn line(&self) -> String {
        let number = self
            .ticket_number
            .as_deref()
            .map_or_else(|| "-".to_owned(), |n| format!("#{n}"));
        let contact = match (&self.contact_name, &self.contact_email) {
            (Some(n), Some(e)) => format!("{n} <{e}>"),
            (Some(n), None) => n.clone(),
            (None, Some(e)) => format!("<{e}>"),
            (None, None) => String::new(),
        };
        let mut line = format!(
            "{id:<5} {state:<9} {kind:<8} {number:<8} {subject}  {contact}  {at}",
            id = format!("{}", self.id),
            state = self.state,
            kind = self.kind,
            subject = self.subject,
            at = self.created_at.format("%Y-%m-%d %H:%M UTC"),
        );
        if let Some(status) = &self.desk_status {
            line.push_str(&format!("  [{status}]"));
        }
        if self.state != "delivered"
            && let Some(error) = &self.last_error
        {
            line.push_str(&format!("\n      {error}"));
        }
        line
    }
}

/// Lines for a list, or a note when it is empty.
pub(super) fn lines(items: &[ItemView], empty: &str) -> String {
    if items.is_empty() {
        return empty.to_owned();
    }
    items
        .iter()
        .map(ItemView::line)
        .collect::<Vec<_>>()
        .join("\n")
}
