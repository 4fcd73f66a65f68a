//! Manual entry and history IPC types (TypeScript twins in
//! `ui/src/bindings`), converted from `helpdesk::forms` and
//! `helpdesk::history` (see /work/contract-issue6.md). Every text is plain
//! text: the UI sets it as text, never as HTML. No secret is in any of them.

use helpdesk::forms::{
    CallbackFormInput as CoreCallback, ContactSuggestion, EditValues, FieldError,
    FormField as CoreField, FormOptions, Staged, SubmitResult, SuggestionSource,
    TicketFormInput as CoreTicket, WhenReading,
};
use helpdesk::history::{HistoryEntry, HistoryPage};
use helpdesk::outbox::ItemState;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::chat_dto::DeliveryStateDto;
use crate::error::{CommandError, ErrorKind};
use crate::setup_dto::DepartmentDto;

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// What the forms offer.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FormOptionsDto {
    pub departments: Vec<DepartmentDto>,
    pub ticket_department_id: Option<String>,
    pub callback_department_id: Option<String>,
    pub priorities: Vec<String>,
    pub default_priority: String,
    pub statuses: Vec<String>,
    pub channels: Vec<String>,
    pub default_channel: String,
    pub max_attachment_bytes: u32,
    pub max_attachments: u32,
    pub time_zone: String,
    pub sandbox: bool,
    pub departments_error: Option<String>,
}

impl From<FormOptions> for FormOptionsDto {
    fn from(o: FormOptions) -> Self {
        Self {
            departments: o
                .departments
                .into_iter()
                .map(|(id, name)| DepartmentDto { id, name })
                .collect(),
            ticket_department_id: o.ticket_department_id,
            callback_department_id: o.callback_department_id,
            priorities: o.priorities,
            default_priority: o.default_priority,
            statuses: o.statuses,
            channels: o.channels,
            default_channel: o.default_channel,
            max_attachment_bytes: u32::try_from(o.max_attachment_bytes).unwrap_or(u32::MAX),
            max_attachments: o.max_attachments,
            time_zone: o.time_zone,
            sandbox: o.sandbox,
            departments_error: o.departments_error,
        }
    }
}

/// The contact field being typed into: how Desk is searched for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ContactQueryFieldDto {
    Name,
    Email,
    Phone,
}

impl From<ContactQueryFieldDto> for helpdesk::forms::QueryField {
    fn from(f: ContactQueryFieldDto) -> Self {
        match f {
            ContactQueryFieldDto::Name => Self::Name,
            ContactQueryFieldDto::Email => Self::Email,
            ContactQueryFieldDto::Phone => Self::Phone,
        }
    }
}

/// Where a suggestion comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SuggestionSourceDto {
    Desk,
    History,
}

/// A contact to fill the form with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContactSuggestionDto {
    pub id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub source: SuggestionSourceDto,
}

impl From<ContactSuggestion> for ContactSuggestionDto {
    fn from(c: ContactSuggestion) -> Self {
        Self {
            id: c.id,
            first_name: c.first_name,
            last_name: c.last_name,
            email: c.email,
            phone: c.phone,
            source: match c.source {
                SuggestionSource::Desk => SuggestionSourceDto::Desk,
                SuggestionSource::History => SuggestionSourceDto::History,
            },
        }
    }
}

/// A field of the forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum FormField {
    Name,
    Email,
    Phone,
    Subject,
    Description,
    Department,
    Priority,
    Status,
    Channel,
    DueDate,
    Attachments,
    When,
    Note,
    Form,
}

impl From<CoreField> for FormField {
    fn from(f: CoreField) -> Self {
        match f {
            CoreField::Name => Self::Name,
            CoreField::Email => Self::Email,
            CoreField::Phone => Self::Phone,
            CoreField::Subject => Self::Subject,
            CoreField::Description => Self::Description,
            CoreField::Department => Self::Department,
            CoreField::Priority => Self::Priority,
            CoreField::Status => Self::Status,
            CoreField::Channel => Self::Channel,
            CoreField::DueDate => Self::DueDate,
            CoreField::Attachments => Self::Attachments,
            CoreField::When => Self::When,
            CoreField::Note => Self::Note,
            CoreField::Form => Self::Form,
        }
    }
}

/// Why one field cannot be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldErrorDto {
    pub field: FormField,
    pub message: String,
}

impl From<FieldError> for FieldErrorDto {
    fn from(e: FieldError) -> Self {
        Self {
            field: e.field.into(),
            message: e.message,
        }
    }
}

/// The New ticket form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TicketFormInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub subject: String,
    pub description: String,
    pub department_id: Option<String>,
    pub priority: String,
    pub status: String,
    pub channel: String,
    pub due_date: Option<String>,
    pub attachments: Vec<String>,
}

impl From<TicketFormInput> for CoreTicket {
    fn from(t: TicketFormInput) -> Self {
        Self {
            name: t.name,
            email: t.email,
            phone: t.phone,
            subject: t.subject,
            description: t.description,
            department_id: t.department_id,
            priority: t.priority,
            status: t.status,
            channel: t.channel,
            due_date: t.due_date,
            attachments: t.attachments,
        }
    }
}

impl From<CoreTicket> for TicketFormInput {
    fn from(t: CoreTicket) -> Self {
        Self {
            name: t.name,
            email: t.email,
            phone: t.phone,
            subject: t.subject,
            description: t.description,
            department_id: t.department_id,
            priority: t.priority,
            status: t.status,
            channel: t.channel,
            due_date: t.due_date,
            attachments: t.attachments,
        }
    }
}

/// The New callback form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CallbackFormInput {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub when: String,
    pub note: String,
}

impl From<CallbackFormInput> for CoreCallback {
    fn from(c: CallbackFormInput) -> Self {
        Self {
            name: c.name,
            phone: c.phone,
            email: c.email,
            when: c.when,
            note: c.note,
        }
    }
}

impl From<CoreCallback> for CallbackFormInput {
    fn from(c: CoreCallback) -> Self {
        Self {
            name: c.name,
            phone: c.phone,
            email: c.email,
            when: c.when,
            note: c.note,
        }
    }
}

/// A callback time as understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WhenDto {
    pub at: Option<String>,
    pub display: Option<String>,
    pub error: Option<String>,
}

impl From<WhenReading> for WhenDto {
    fn from(w: WhenReading) -> Self {
        Self {
            at: w.at.map(rfc3339),
            display: w.display,
            error: w.error,
        }
    }
}

/// A staged attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StagedAttachmentDto {
    pub token: String,
    pub name: String,
    pub size: u32,
}

impl From<Staged> for StagedAttachmentDto {
    fn from(s: Staged) -> Self {
        Self {
            token: s.token,
            name: s.name,
            size: u32::try_from(s.size).unwrap_or(u32::MAX),
        }
    }
}

fn state_dto(state: ItemState) -> DeliveryStateDto {
    match state {
        ItemState::Queued => DeliveryStateDto::Queued,
        ItemState::Sending => DeliveryStateDto::Sending,
        ItemState::Delivered => DeliveryStateDto::Sent,
        ItemState::Failed => DeliveryStateDto::Failed,
    }
}

/// What became of a submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubmitResultDto {
    #[ts(type = "number | null")]
    pub item_id: Option<i64>,
    pub state: Option<DeliveryStateDto>,
    pub ticket_number: Option<String>,
    pub field_errors: Vec<FieldErrorDto>,
    pub message: Option<String>,
}

impl From<SubmitResult> for SubmitResultDto {
    fn from(r: SubmitResult) -> Self {
        Self {
            item_id: r.item_id.map(|i| i.0),
            state: r.state.map(state_dto),
            ticket_number: r.ticket_number,
            field_errors: r.field_errors.into_iter().map(Into::into).collect(),
            message: r.message,
        }
    }
}

/// `ticket` or `callback`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ItemKindDto {
    Ticket,
    Callback,
}

impl From<helpdesk::compose::ItemKind> for ItemKindDto {
    fn from(k: helpdesk::compose::ItemKind) -> Self {
        match k {
            helpdesk::compose::ItemKind::Ticket => Self::Ticket,
            helpdesk::compose::ItemKind::Callback => Self::Callback,
        }
    }
}

/// An attachment of a history item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryAttachmentDto {
    pub name: String,
    pub size: u32,
    pub uploaded: bool,
}

/// One item of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryItemDto {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: ItemKindDto,
    pub ticket_number: Option<String>,
    pub subject: String,
    pub department_id: String,
    pub department_name: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
    pub delivery_state: DeliveryStateDto,
    pub desk_status: Option<String>,
    pub status_checked_at: Option<String>,
    pub has_web_url: bool,
    pub last_error: Option<String>,
    pub field_errors: Vec<FieldErrorDto>,
    pub attempts: u32,
    pub next_attempt_at: Option<String>,
    pub attachments: Vec<HistoryAttachmentDto>,
    pub editable: bool,
}

impl From<HistoryEntry> for HistoryItemDto {
    fn from(e: HistoryEntry) -> Self {
        let editable = e.editable();
        let item = e.item;
        Self {
            id: item.id.0,
            kind: item.kind.into(),
            ticket_number: item.ticket_number,
            subject: item.subject,
            department_id: item.department_id,
            department_name: e.department_name,
            contact_name: item.contact_name,
            contact_email: item.contact_email,
            created_at: rfc3339(item.created_at),
            delivered_at: item.delivered_at.map(rfc3339),
            delivery_state: state_dto(item.state),
            desk_status: item.desk_status,
            status_checked_at: item.status_checked_at.map(rfc3339),
            has_web_url: item.web_url.is_some(),
            last_error: item.last_error,
            field_errors: e.field_errors.into_iter().map(Into::into).collect(),
            attempts: item.attempts,
            next_attempt_at: (item.state == ItemState::Queued)
                .then(|| rfc3339(item.next_attempt_at)),
            attachments: e
                .attachments
                .into_iter()
                .map(|a| HistoryAttachmentDto {
                    uploaded: a.uploaded(),
                    name: a.name,
                    size: u32::try_from(a.size).unwrap_or(u32::MAX),
                })
                .collect(),
            editable,
        }
    }
}

/// Items per delivery state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryCountsDto {
    pub queued: u32,
    pub sending: u32,
    pub sent: u32,
    pub failed: u32,
}

/// A history page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryDto {
    pub items: Vec<HistoryItemDto>,
    pub counts: HistoryCountsDto,
    pub refreshed: u32,
    pub refresh_error: Option<String>,
}

impl From<HistoryPage> for HistoryDto {
    fn from(p: HistoryPage) -> Self {
        let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        Self {
            items: p.items.into_iter().map(Into::into).collect(),
            counts: HistoryCountsDto {
                queued: n(p.counts.queued),
                sending: n(p.counts.sending),
                sent: n(p.counts.delivered),
                failed: n(p.counts.failed),
            },
            refreshed: u32::try_from(p.refreshed).unwrap_or(u32::MAX),
            refresh_error: p.refresh_error,
        }
    }
}

/// The form values of a queued or failed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryEditDto {
    pub kind: ItemKindDto,
    pub ticket: Option<TicketFormInput>,
    pub callback: Option<CallbackFormInput>,
}

impl From<EditValues> for HistoryEditDto {
    fn from(v: EditValues) -> Self {
        match v {
            EditValues::Ticket(t) => Self {
                kind: ItemKindDto::Ticket,
                ticket: Some(t.into()),
                callback: None,
            },
            EditValues::Callback(c) => Self {
                kind: ItemKindDto::Callback,
                ticket: None,
                callback: Some(c.into()),
            },
        }
    }
}

/// The file name (header `x-file-name`, URI-encoded) and bytes (raw body)
/// of `forms_stage_attachment`.
pub fn staged_upload(request: &tauri::ipc::Request<'_>) -> Result<(String, Vec<u8>), CommandError> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::new(
            ErrorKind::Validation,
            "The file did not arrive as bytes: attach it again.",
        ));
    };
    let name = request
        .headers()
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_else(|| "attachment".to_owned());
    Ok((name, bytes.clone()))
}
