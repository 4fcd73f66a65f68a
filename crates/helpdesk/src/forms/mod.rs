//! Manual entry: the New ticket and New callback forms of an agent, sent
//! through the app's one outbox and delivery loop ([`Hub`]), like the chat's.
//!
//! What it is for: each form command is one call on [`Forms`]: the form is
//! checked locally (the chat engine's validators; errors per
//! [`FormField`]), composed ([`crate::compose`]), committed to the outbox
//! with the form as typed and its staged attachments (one transaction),
//! then sent at once within a bounded wait ([`SubmitResult`]: sent with the
//! number, queued with a sentence saying where to follow it, or refused
//! with Desk's `errors[]` on the fields they name). Attachments go to the
//! ticket once it exists (the deliverer uploads them, each once).
//!
//! What it is not: the history of what was sent ([`crate::history`]),
//! the delivery rules ([`crate::outbox`]), Tauri.

mod contacts;
mod desk_errors;
mod input;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chat_engine::{CallbackDraft, Region};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use zoho_desk::DepartmentId;

pub use contacts::{
    ContactSuggestion, MAX_SUGGESTIONS, MIN_QUERY_CHARS, QueryField, SuggestionSource,
};
pub use desk_errors::{field_of, map_desk_errors};
pub use input::{
    CHANNELS, CallbackFormInput, DEFAULT_CHANNEL, FieldError, FormField, PRIORITIES, STATUSES,
    TicketFormInput, WhenReading, read_when,
};

use crate::compose::{
    ClientRef, ComposeConfig, Composed, ItemKind, ManualTicket, compose_callback, compose_manual,
};
use crate::conversation::{locale_region, region_of_data_centre, system_time_zone};
use crate::hub::{Hub, Link};
use crate::outbox::{Item, ItemId, ItemState, Outbox, StagedFile};
use crate::settings::Settings;

/// The time zone type forms read times in (re-exported for the app's tests).
pub type TimeZone = Tz;

/// Largest file that may be attached (per file).
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;
/// Most files on one ticket (and staged at once).
pub const MAX_ATTACHMENTS: usize = 10;
/// How long the department list from Desk is reused.
const DEPARTMENTS_TTL: Duration = Duration::from_secs(5 * 60);

/// `Result` with the forms [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong outside the form's own fields.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "{name} is {size_mib:.1} MiB; files of at most {max_mib} MiB can be attached. Attach a smaller file, or put a link to it in the description"
    )]
    TooLarge {
        name: String,
        size_mib: f64,
        max_mib: usize,
    },
    #[error("at most {max} files can be attached to one ticket: remove one first")]
    TooManyFiles { max: usize },
    #[error("{name} is empty: choose the file again")]
    EmptyFile { name: String },
    #[error(transparent)]
    Outbox(#[from] crate::outbox::Error),
}

/// What the forms offer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormOptions {
    /// `(id, name)` of the enabled departments.
    pub departments: Vec<(String, String)>,
    pub ticket_department_id: Option<String>,
    pub callback_department_id: Option<String>,
    pub priorities: Vec<String>,
    pub default_priority: String,
    pub statuses: Vec<String>,
    pub channels: Vec<String>,
    pub default_channel: String,
    pub max_attachment_bytes: u64,
    pub max_attachments: u32,
    pub time_zone: String,
    pub sandbox: bool,
    /// Why Desk could not be asked for the departments.
    pub departments_error: Option<String>,
}

/// A staged attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Staged {
    pub token: String,
    pub name: String,
    pub size: u64,
}

/// What became of a submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubmitResult {
    /// `None`: refused by local validation (nothing queued).
    pub item_id: Option<ItemId>,
    pub state: Option<ItemState>,
    pub ticket_number: Option<String>,
    pub field_errors: Vec<FieldError>,
    /// A sentence for the person.
    pub message: Option<String>,
}

/// The values of a queued or failed item, to edit them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditValues {
    Ticket(TicketFormInput),
    Callback(CallbackFormInput),
}

/// Where and when the forms read times and phone numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FormsConfig {
    pub time_zone: Tz,
    /// Where a phone number without a country code belongs; `None`: the
    /// locale's, else the data centre's.
    pub region: Option<Region>,
    /// How long Submit waits for the first attempt.
    pub wait: Duration,
}

impl Default for FormsConfig {
    fn default() -> Self {
        Self {
            time_zone: system_time_zone(),
            region: locale_region(),
            wait: Duration::from_secs(10),
        }
    }
}

type DepartmentCache = Option<(Instant, Vec<(String, String)>)>;

/// The manual-entry service. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Forms {
    hub: Hub,
    config: FormsConfig,
    staged: Arc<Mutex<HashMap<String, StagedFile>>>,
    departments: Arc<Mutex<DepartmentCache>>,
    suggestions: contacts::SuggestionCache,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Forms {
    pub fn new(hub: Hub, config: FormsConfig) -> Self {
        Self {
            hub,
            config,
            staged: Arc::default(),
            departments: Arc::default(),
            suggestions: contacts::SuggestionCache::default(),
        }
    }

    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    pub fn config(&self) -> &FormsConfig {
        &self.config
    }

    /// What the forms offer: departments from Desk (enabled ones, reused
    /// for 5 minutes), the setup's choices, the fixed lists and limits.
    pub async fn options(&self) -> FormOptions {
        let link = self.hub.sync().await;
        let settings = link.settings.clone().unwrap_or_default();
        let (departments, departments_error) = self.departments(&link).await;
        FormOptions {
            departments,
            ticket_department_id: settings.support_department_id.clone(),
            callback_department_id: settings.callbacks_department_id.clone(),
            priorities: PRIORITIES.iter().map(|s| (*s).to_owned()).collect(),
            default_priority: input::check_choice(
                &settings.default_priority,
                PRIORITIES,
                "Medium",
                FormField::Priority,
                &mut Vec::new(),
            ),
            statuses: STATUSES.iter().map(|s| (*s).to_owned()).collect(),
            channels: CHANNELS.iter().map(|s| (*s).to_owned()).collect(),
            default_channel: DEFAULT_CHANNEL.to_owned(),
            max_attachment_bytes: MAX_ATTACHMENT_BYTES as u64,
            max_attachments: MAX_ATTACHMENTS as u32,
            time_zone: self.config.time_zone.name().to_owned(),
            sandbox: settings.sandbox,
            departments_error,
        }
    }

    /// Department names known from Desk (cache) or the setup.
    pub fn department_name(&self, id: &str) -> Option<String> {
        if let Some((_, list)) = &*lock(&self.departments)
            && let Some((_, name)) = list.iter().find(|(d, _)| d == id)
        {
            return Some(name.clone());
        }
        None
    }

    async fn departments(&self, link: &Link) -> (Vec<(String, String)>, Option<String>) {
        if let Some((at, list)) = &*lock(&self.departments)
            && at.elapsed() < DEPARTMENTS_TTL
        {
            return (list.clone(), None);
        }
        let from_settings = || -> Vec<(String, String)> {
            let s = link.settings.clone().unwrap_or_default();
            [
                (s.support_department_id, s.support_department_name),
                (s.callbacks_department_id, s.callbacks_department_name),
            ]
            .into_iter()
            .filter_map(|(id, name)| Some((id.clone()?, name.or(id)?)))
            .collect()
        };
        let Some(desk) = &link.desk else {
            return (
                from_settings(),
                Some("Desk Chat is not connected to Zoho Desk: connect it under Setup to choose other departments.".to_owned()),
            );
        };
        match desk.departments().list_all(Some(true)).await {
            Ok(list) => {
                let list: Vec<(String, String)> = list
                    .into_iter()
                    .map(|d| {
                        let id = d.id.as_str().to_owned();
                        (id.clone(), d.name.unwrap_or(id))
                    })
                    .collect();
                *lock(&self.departments) = Some((Instant::now(), list.clone()));
                (list, None)
            }
            Err(error) => (
                from_settings(),
                Some(format!(
                    "The departments could not be read from Zoho Desk ({error}); tickets still go to the ones chosen in setup."
                )),
            ),
        }
    }

    /// Suggestions for the contact fields (see `contacts.rs`).
    pub async fn contact_suggestions(
        &self,
        field: contacts::QueryField,
        query: &str,
    ) -> Vec<ContactSuggestion> {
        if contacts::normalise(query).chars().count() < MIN_QUERY_CHARS {
            return Vec::new();
        }
        let link = self.hub.link().await;
        self.suggestions
            .suggest(field, query, link.desk.as_ref(), self.hub.outbox())
            .await
    }

    /// Keeps a file for a form until it is submitted (or unstaged).
    pub fn stage_attachment(&self, name: &str, bytes: Vec<u8>) -> Result<Staged> {
        let name = clean_file_name(name);
        if bytes.is_empty() {
            return Err(Error::EmptyFile { name });
        }
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(Error::TooLarge {
                name,
                size_mib: bytes.len() as f64 / (1024.0 * 1024.0),
                max_mib: MAX_ATTACHMENT_BYTES / (1024 * 1024),
            });
        }
        let mut staged = lock(&self.staged);
        if staged.len() >= MAX_ATTACHMENTS {
            return Err(Error::TooManyFiles {
                max: MAX_ATTACHMENTS,
            });
        }
        let token = uuid::Uuid::new_v4().simple().to_string();
        let size = bytes.len() as u64;
        staged.insert(
            token.clone(),
            StagedFile {
                name: name.clone(),
                bytes,
            },
        );
        Ok(Staged { token, name, size })
    }

    /// Forgets a staged file.
    pub fn unstage_attachment(&self, token: &str) {
        lock(&self.staged).remove(token);
    }

    /// A callback time typed or picked, echoed with the zone.
    pub fn parse_when(&self, text: &str, now: DateTime<Utc>) -> WhenReading {
        read_when(text, self.config.time_zone, now)
    }

    /// New ticket: checked, queued with its attachments, sent at once.
    pub async fn submit_ticket(&self, form: &TicketFormInput) -> Result<SubmitResult> {
        self.send_ticket(None, form).await
    }

    /// New callback: checked, queued, sent at once.
    pub async fn submit_callback(&self, form: &CallbackFormInput) -> Result<SubmitResult> {
        self.send_callback(None, form).await
    }

    /// A queued or failed ticket, edited and sent again (same reference).
    pub async fn resend_ticket(&self, id: ItemId, form: &TicketFormInput) -> Result<SubmitResult> {
        self.send_ticket(Some(id), form).await
    }

    /// A queued or failed callback, edited and sent again (same reference).
    pub async fn resend_callback(
        &self,
        id: ItemId,
        form: &CallbackFormInput,
    ) -> Result<SubmitResult> {
        self.send_callback(Some(id), form).await
    }

    async fn send_ticket(
        &self,
        edit: Option<ItemId>,
        form: &TicketFormInput,
    ) -> Result<SubmitResult> {
        let link = self.hub.sync().await;
        let settings = link.settings.clone().unwrap_or_default();
        let mut errors = Vec::new();
        let contact = input::check_contact(
            &form.name,
            &form.email,
            &form.phone,
            false,
            self.region(&settings),
            &mut errors,
        );
        input::check_subject(&form.subject, &mut errors);
        let department = form
            .department_id
            .clone()
            .filter(|d| !d.trim().is_empty())
            .or(settings.support_department_id.clone());
        match &department {
            Some(d) if input::is_desk_id(d) => {}
            Some(_) => errors.push(FieldError::new(
                FormField::Department,
                "Choose a department from the list.",
            )),
            None => errors.push(FieldError::new(
                FormField::Department,
                "Choose a department (none was chosen in setup).",
            )),
        }
        let priority = input::check_choice(
            &form.priority,
            PRIORITIES,
            &settings.default_priority,
            FormField::Priority,
            &mut errors,
        );
        let status = input::check_choice(
            &form.status,
            STATUSES,
            "Open",
            FormField::Status,
            &mut errors,
        );
        let channel = input::check_choice(
            &form.channel,
            CHANNELS,
            DEFAULT_CHANNEL,
            FormField::Channel,
            &mut errors,
        );
        let due_date = match form
            .due_date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            None => None,
            Some(text) => match input::parse_local_picker(text, self.config.time_zone) {
                Some(Ok(at)) => Some(at),
                Some(Err(e)) => {
                    errors.push(FieldError::new(FormField::DueDate, e));
                    None
                }
                None => {
                    errors.push(FieldError::new(
                        FormField::DueDate,
                        "Pick a date and time for the due date.",
                    ));
                    None
                }
            },
        };
        if form.attachments.len() > MAX_ATTACHMENTS {
            errors.push(FieldError::new(
                FormField::Attachments,
                format!("At most {MAX_ATTACHMENTS} files can be attached: remove some."),
            ));
        }
        let files: Vec<StagedFile> = {
            let staged = lock(&self.staged);
            let mut files = Vec::new();
            for token in &form.attachments {
                match staged.get(token) {
                    Some(f) => files.push(f.clone()),
                    None => {
                        errors.push(FieldError::new(
                            FormField::Attachments,
                            "A file is no longer attached here: attach it again.",
                        ));
                        break;
                    }
                }
            }
            files
        };
        if !errors.is_empty() {
            return Ok(refused(errors));
        }
        let department = DepartmentId::new(department.unwrap_or_default());
        let ticket = ManualTicket {
            kind: ItemKind::Ticket,
            subject: form.subject.trim().to_owned(),
            description: form.description.clone(),
            department: department.clone(),
            priority: input::priority_of(&priority),
            status,
            channel,
            due_date,
            first_name: contact.first_name,
            last_name: contact.last_name,
            email: contact.email,
            phone: contact.phone,
        };
        let config = compose_config(&settings, &department);
        let mut stored = form.clone();
        stored.attachments.clear();
        let client_ref = self.reference_for(edit).await?;
        let composed = compose_manual(&ticket, &config, client_ref);
        let result = self
            .enqueue_and_send(edit, composed, &stored, files, &link)
            .await;
        if result.is_ok() {
            let mut staged = lock(&self.staged);
            for token in &form.attachments {
                staged.remove(token);
            }
        }
        result
    }

    async fn send_callback(
        &self,
        edit: Option<ItemId>,
        form: &CallbackFormInput,
    ) -> Result<SubmitResult> {
        let link = self.hub.sync().await;
        let settings = link.settings.clone().unwrap_or_default();
        let mut errors = Vec::new();
        if form.name.trim().is_empty() {
            errors.push(FieldError::new(
                FormField::Name,
                "Enter the name of the person to call.",
            ));
        }
        let contact = input::check_contact(
            &form.name,
            &form.email,
            &form.phone,
            true,
            self.region(&settings),
            &mut errors,
        );
        let when = read_when(&form.when, self.config.time_zone, Utc::now());
        if let Some(e) = &when.error {
            errors.push(FieldError::new(FormField::When, e.clone()));
        }
        let department = settings.callbacks_department_id.clone();
        if department.is_none() {
            errors.push(FieldError::new(
                FormField::Form,
                "No Callbacks department was chosen in setup: choose one under Setup, then send again.",
            ));
        }
        let (Some(at), Some(department), true) = (when.at, department, errors.is_empty()) else {
            return Ok(refused(errors));
        };
        let department = DepartmentId::new(department);
        let local = at.with_timezone(&self.config.time_zone);
        let draft = CallbackDraft {
            first_name: contact.first_name,
            last_name: contact.last_name,
            phone_e164: contact.phone.unwrap_or_default(),
            email: contact.email,
            when_utc: at,
            when_local_text: chat_engine::format_when(&local),
            time_zone: self.config.time_zone.name().to_owned(),
            note: Some(form.note.trim().to_owned()).filter(|n| !n.is_empty()),
            transcript: Vec::new(),
        };
        let config = compose_config(&settings, &department);
        let client_ref = self.reference_for(edit).await?;
        let mut composed = compose_callback(&draft, &config, client_ref);
        composed.request.channel = Some(DEFAULT_CHANNEL.to_owned());
        self.enqueue_and_send(edit, composed, form, Vec::new(), &link)
            .await
    }

    /// The reference of the item being edited (it stays), or a new one.
    async fn reference_for(&self, edit: Option<ItemId>) -> Result<ClientRef> {
        match edit {
            None => Ok(ClientRef::generate()),
            Some(id) => Ok(self.db(move |o| o.get(id)).await?.client_ref),
        }
    }

    async fn enqueue_and_send(
        &self,
        edit: Option<ItemId>,
        composed: Composed,
        form: &impl Serialize,
        files: Vec<StagedFile>,
        link: &Link,
    ) -> Result<SubmitResult> {
        let form = serde_json::to_value(form).map_err(crate::outbox::Error::from)?;
        let item = self
            .db(move |o| match edit {
                None => o.enqueue_with(&composed, Some(&form), &files),
                Some(id) => o.edit_and_resend_with(id, composed.request, Some(&form), &files),
            })
            .await?;
        let item = self
            .hub
            .delivery()
            .send_within(item.id, self.config.wait)
            .await?;
        Ok(outcome(&item, link.desk.is_some()))
    }

    /// The form values of a queued or failed item (history's Edit).
    pub async fn edit_values(&self, id: ItemId) -> Result<EditValues> {
        let item = self.db(move |o| o.get(id)).await?;
        if !matches!(item.state, ItemState::Queued | ItemState::Failed) {
            return Err(Error::Outbox(crate::outbox::Error::WrongState {
                id,
                state: item.state,
                action: "edited",
            }));
        }
        Ok(values_of(&item, self.config.time_zone))
    }

    fn region(&self, settings: &Settings) -> Region {
        self.config
            .region
            .or_else(|| {
                settings
                    .data_centre
                    .as_deref()
                    .and_then(region_of_data_centre)
            })
            .unwrap_or(Region::US)
    }

    async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Outbox) -> crate::outbox::Result<T> + Send + 'static,
    ) -> Result<T> {
        let outbox = self.hub.outbox().clone();
        Ok(tokio::task::spawn_blocking(move || f(&outbox))
            .await
            .map_err(|e| crate::outbox::Error::Worker(e.to_string()))??)
    }
}

fn refused(field_errors: Vec<FieldError>) -> SubmitResult {
    SubmitResult {
        item_id: None,
        state: None,
        ticket_number: None,
        field_errors,
        message: Some("Nothing was sent: correct the marked fields and send again.".to_owned()),
    }
}

/// The submit result of an item after its first attempt.
pub fn outcome(item: &Item, connected: bool) -> SubmitResult {
    let what = match item.kind {
        ItemKind::Ticket => "ticket",
        ItemKind::Callback => "callback",
    };
    let (field_errors, message) = match item.state {
        ItemState::Delivered => (
            Vec::new(),
            format!(
                "Sent: {what} #{} is in Zoho Desk.",
                item.ticket_number.as_deref().unwrap_or("?")
            ),
        ),
        ItemState::Failed => {
            let mut errors = map_desk_errors(&item.field_errors, item.kind);
            if errors.is_empty() {
                errors.push(FieldError::new(
                    FormField::Form,
                    item.last_error
                        .clone()
                        .unwrap_or_else(|| "Zoho Desk refused it.".to_owned()),
                ));
            }
            (
                errors,
                format!(
                    "Not sent: {}. Correct the marked fields and send again, or discard it under History.",
                    item.last_error
                        .as_deref()
                        .unwrap_or("Zoho Desk refused it")
                        .trim_end_matches('.')
                ),
            )
        }
        ItemState::Queued if !connected => (
            Vec::new(),
            format!(
                "Queued: Desk Chat is not connected to Zoho Desk yet. The {what} is saved on this computer and will be sent once setup is done; follow it under History."
            ),
        ),
        ItemState::Queued => (
            Vec::new(),
            format!(
                "Queued: Zoho Desk could not be reached ({}). The {what} is saved on this computer and will be sent automatically; follow it under History.",
                item.last_error
                    .as_deref()
                    .unwrap_or("no answer")
                    .trim_end_matches('.')
            ),
        ),
        ItemState::Sending => (
            Vec::new(),
            format!(
                "Still sending: Zoho Desk is slow to answer. The {what} is saved and will finish by itself; follow it under History."
            ),
        ),
    };
    SubmitResult {
        item_id: Some(item.id),
        state: Some(item.state),
        ticket_number: item.ticket_number.clone(),
        field_errors,
        message: Some(message),
    }
}

/// How tickets are composed for manual entry (the reference field and
/// default priority of setup; `department` stands in for a missing one).
fn compose_config(settings: &Settings, department: &DepartmentId) -> ComposeConfig {
    let support = settings
        .support_department_id
        .clone()
        .map(DepartmentId::new)
        .unwrap_or_else(|| department.clone());
    let callbacks = settings
        .callbacks_department_id
        .clone()
        .map(DepartmentId::new)
        .unwrap_or_else(|| department.clone());
    let mut config = crate::conversation::compose_config(settings)
        .unwrap_or_else(|| ComposeConfig::new(support, callbacks));
    config.reference_field = settings
        .client_reference_field
        .clone()
        .filter(|f| !f.trim().is_empty());
    config
}

/// A file name as kept: no folders, no control characters, not empty.
pub(crate) fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "attachment".to_owned()
    } else {
        crate::compose::cut_graphemes(cleaned, 200).to_owned()
    }
}

/// The form values of an item: the form as typed for manual entry, else
/// read back from the stored request (chat items).
pub fn values_of(item: &Item, tz: Tz) -> EditValues {
    if let Some(form) = &item.form_input {
        match item.kind {
            ItemKind::Ticket => {
                if let Ok(t) = serde_json::from_value::<TicketFormInput>(form.clone()) {
                    return EditValues::Ticket(t);
                }
            }
            ItemKind::Callback => {
                if let Ok(c) = serde_json::from_value::<CallbackFormInput>(form.clone()) {
                    return EditValues::Callback(c);
                }
            }
        }
    }
    let r = &item.request;
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).unwrap_or("").to_owned();
    let contact = r.get("contact");
    let name = [
        text(contact.and_then(|c| c.get("firstName"))),
        text(contact.and_then(|c| c.get("lastName"))),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let email = {
        let e = text(contact.and_then(|c| c.get("email")));
        if e.is_empty() {
            text(r.get("email"))
        } else {
            e
        }
    };
    let phone = {
        let p = text(contact.and_then(|c| c.get("phone")));
        if p.is_empty() {
            text(r.get("phone"))
        } else {
            p
        }
    };
    let due = r
        .get("dueDate")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse::<DateTime<Utc>>().ok())
        .map(|d| d.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string());
    match item.kind {
        ItemKind::Ticket => EditValues::Ticket(TicketFormInput {
            name,
            email,
            phone,
            subject: text(r.get("subject")),
            description: plain_text(&text(r.get("description"))),
            department_id: Some(text(r.get("departmentId"))).filter(|d| !d.is_empty()),
            priority: text(r.get("priority")),
            status: text(r.get("status")),
            channel: text(r.get("channel")),
            due_date: due,
            attachments: Vec::new(),
        }),
        ItemKind::Callback => EditValues::Callback(CallbackFormInput {
            name,
            phone,
            email,
            when: due.unwrap_or_default(),
            note: String::new(),
        }),
    }
}

/// The text of the HTML this app composes (paragraphs and line breaks kept).
fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut tag = String::new();
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let t = tag.to_ascii_lowercase();
                if t.starts_with("br") || t.starts_with("/p") {
                    out.push('\n');
                }
            }
            (true, c) => tag.push(c),
            (false, c) => out.push(c),
        }
    }
    let text = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    // The reference line is put back by compose when the item is resent.
    text.lines()
        .filter(|l| !l.starts_with(crate::compose::REFERENCE_LABEL))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_folders() {
        assert_eq!(clean_file_name("C:\\Users\\a\\report.pdf"), "report.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name(".."), "attachment");
    }

    #[test]
    fn html_descriptions_read_back_as_text() {
        assert_eq!(
            plain_text(
                "<p dir=\"auto\">Line &lt;1&gt;<br>Line 2</p>\n<p>Desk Chat reference: DC-1</p>"
            ),
            "Line <1>\nLine 2"
        );
    }
}
