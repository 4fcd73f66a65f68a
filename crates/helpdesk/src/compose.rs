//! Ticket composition: chat drafts (and manual entries) turned into the body
//! of `POST /tickets` (contract, "Create ticket").
//!
//! What it is for: the one place that decides what Desk receives: the
//! subject (the issue's first sentence, at most 255 characters), the HTML
//! description (a short summary plus the whole transcript, every character a
//! person typed escaped), priority, status, channel, department, the inline
//! `contact` (find-or-create in the same request, so one request per ticket)
//! and the client reference that makes delivery exactly-once (see
//! [`crate::outbox`]).
//!
//! What it is not: it sends nothing and reads no clock or settings file; the
//! caller passes a [`ComposeConfig`] and a [`ClientRef`]. Everything here is
//! pure and unit-tested.

use chat_engine::{CallbackDraft, Speaker, TicketDraft, Turn};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;
use zoho_desk::{ContactRef, DepartmentId, InlineContact, NewTicket, Priority};

/// Desk's limit on `subject` (characters).
pub const SUBJECT_MAX_CHARS: usize = 255;
/// Desk's limit on `description` (characters).
pub const DESCRIPTION_MAX_CHARS: usize = 65_535;
/// Desk's limits on an inline contact's names (characters), as the simulator
/// enforces them: a longer name would turn a good ticket into a rejection.
const FIRST_NAME_MAX_CHARS: usize = 40;
const LAST_NAME_MAX_CHARS: usize = 80;
/// The label of the reference line when it travels in the description. It
/// is searched for by the outbox, so it must not change once tickets exist.
pub const REFERENCE_LABEL: &str = "Desk Chat reference";
/// Channel of everything filed through the chat.
pub const CHAT_CHANNEL: &str = "Chat";

/// The client reference of one submission: `DC-` and 32 lower-case hex
/// digits (a v4 UUID). URL-safe and free of Desk's search wildcard `*`, so
/// it can be searched for verbatim in a custom field or the description.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientRef(String);

impl ClientRef {
    /// A fresh, random reference.
    pub fn generate() -> Self {
        Self(format!("DC-{}", uuid::Uuid::new_v4().simple()))
    }

    /// Wraps a stored reference as is.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The reference as sent to Desk.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ClientRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the admin chose in setup that shapes every ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct ComposeConfig {
    /// Department of chat tickets (an id; Desk rejects names).
    pub support_department: DepartmentId,
    /// Department of callback tickets.
    pub callbacks_department: DepartmentId,
    /// Priority of new tickets (Medium unless the admin changed it).
    pub default_priority: Priority,
    /// The custom field (`cf_<api_name>`) that carries the client reference,
    /// when the admin mapped one; else the reference goes in the description.
    pub reference_field: Option<String>,
}

impl ComposeConfig {
    /// Medium priority, reference in the description.
    pub fn new(support_department: DepartmentId, callbacks_department: DepartmentId) -> Self {
        Self {
            support_department,
            callbacks_department,
            default_priority: Priority::Medium,
            reference_field: None,
        }
    }

    /// The same, with the reference in custom field `cf_api_name`.
    pub fn with_reference_field(mut self, cf_api_name: impl Into<String>) -> Self {
        self.reference_field = Some(cf_api_name.into());
        self
    }
}

/// What an outbox item is: a ticket or a callback request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Ticket,
    Callback,
}

impl ItemKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ticket => "ticket",
            Self::Callback => "callback",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ticket" => Some(Self::Ticket),
            "callback" => Some(Self::Callback),
            _ => None,
        }
    }
}

/// A composed submission, ready for the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    pub kind: ItemKind,
    pub client_ref: ClientRef,
    /// The custom field carrying `client_ref`; `None` when it is in the description.
    pub reference_field: Option<String>,
    /// The body of `POST /tickets`.
    pub request: NewTicket,
}

/// A ticket or callback typed in directly by an agent (manual entry): every
/// field explicit, composed through the same path as chat tickets.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualTicket {
    pub kind: ItemKind,
    pub subject: String,
    /// Plain text as typed; escaped into HTML here.
    pub description: String,
    pub department: DepartmentId,
    pub priority: Priority,
    pub status: String,
    pub channel: String,
    pub due_date: Option<DateTime<Utc>>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A chat ticket: subject from the issue, summary and transcript as HTML,
/// the Support department, inline contact, channel Chat, status Open.
pub fn compose_ticket(
    draft: &TicketDraft,
    config: &ComposeConfig,
    client_ref: ClientRef,
) -> Composed {
    let name = full_name(&draft.first_name, &draft.last_name);
    let summary = [
        ("Name", name.as_str()),
        ("Email", draft.email.as_str()),
        ("Phone", draft.phone_e164.as_str()),
    ];
    let head = format!(
        "<p><b>Ticket from the support chat</b></p>\n{}\n<p><b>Issue</b></p>\n{}\n",
        summary_html(&summary),
        paragraph(&draft.issue),
    );
    let mut request = NewTicket::new(
        subject_from_issue(&draft.issue),
        config.support_department.clone(),
        inline_contact(
            &draft.first_name,
            &draft.last_name,
            non_empty(&draft.email),
            non_empty(&draft.phone_e164),
        ),
    );
    request.email = non_empty(&draft.email).map(str::to_owned);
    request.phone = non_empty(&draft.phone_e164).map(str::to_owned);
    finish(
        request,
        ItemKind::Ticket,
        config,
        client_ref,
        &head,
        &draft.transcript,
    )
}

/// A callback: the Callbacks department, subject `Callback requested: <local
/// date and time> - <name>`, `dueDate` the time in UTC, and a description
/// that gives the time in the person's zone and the note.
pub fn compose_callback(
    draft: &CallbackDraft,
    config: &ComposeConfig,
    client_ref: ClientRef,
) -> Composed {
    let name = full_name(&draft.first_name, &draft.last_name);
    let subject = cut_subject(&format!(
        "Callback requested: {} - {}",
        local_time_label(draft.when_utc, &draft.time_zone),
        if name.is_empty() {
            "(no name)"
        } else {
            name.as_str()
        }
    ));
    let utc = zoho_time(draft.when_utc);
    let email = draft.email.as_deref().and_then(non_empty);
    let summary = [
        ("Call back at", draft.when_local_text.as_str()),
        ("Time zone", draft.time_zone.as_str()),
        ("In UTC", utc.as_str()),
        ("Name", name.as_str()),
        ("Phone", draft.phone_e164.as_str()),
        ("Email", email.unwrap_or("")),
    ];
    let note = match draft.note.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => paragraph(n),
        _ => "<p><i>No note.</i></p>".to_owned(),
    };
    let head = format!(
        "<p><b>Callback requested in the support chat</b></p>\n{}\n<p><b>Note</b></p>\n{note}\n",
        summary_html(&summary),
    );
    let mut request = NewTicket::new(
        subject,
        config.callbacks_department.clone(),
        inline_contact(
            &draft.first_name,
            &draft.last_name,
            email,
            non_empty(&draft.phone_e164),
        ),
    );
    request.email = email.map(str::to_owned);
    request.phone = non_empty(&draft.phone_e164).map(str::to_owned);
    request.due_date = Some(draft.when_utc);
    finish(
        request,
        ItemKind::Callback,
        config,
        client_ref,
        &head,
        &draft.transcript,
    )
}

/// A manual entry: the agent's fields as given (subject cut to 255
/// characters, description escaped), with the client reference.
pub fn compose_manual(
    ticket: &ManualTicket,
    config: &ComposeConfig,
    client_ref: ClientRef,
) -> Composed {
    let mut request = NewTicket::new(
        cut_subject(&one_line(&ticket.subject)),
        ticket.department.clone(),
        inline_contact(
            &ticket.first_name,
            &ticket.last_name,
            ticket.email.as_deref().and_then(non_empty),
            ticket.phone.as_deref().and_then(non_empty),
        ),
    );
    request.email = ticket
        .email
        .as_deref()
        .and_then(non_empty)
        .map(str::to_owned);
    request.phone = ticket
        .phone
        .as_deref()
        .and_then(non_empty)
        .map(str::to_owned);
    request.due_date = ticket.due_date;
    let head = format!("{}\n", paragraph(&ticket.description));
    let mut composed = finish(request, ticket.kind, config, client_ref, &head, &[]);
    // An agent's explicit choices win over the chat defaults.
    composed.request.priority = Some(ticket.priority);
    composed.request.status = Some(ticket.status.clone());
    composed.request.channel = Some(ticket.channel.clone());
    composed
}

/// Common tail: defaults, the reference, the transcript within Desk's limit.
fn finish(
    mut request: NewTicket,
    kind: ItemKind,
    config: &ComposeConfig,
    client_ref: ClientRef,
    head: &str,
    transcript: &[Turn],
) -> Composed {
    request.priority = Some(config.default_priority);
    request.status = Some("Open".to_owned());
    request.channel = Some(CHAT_CHANNEL.to_owned());
    let tail = match &config.reference_field {
        Some(field) => {
            request = request.with_custom_field(field.clone(), client_ref.as_str());
            String::new()
        }
        None => reference_line(&client_ref),
    };
    request.description = Some(description_html(head, transcript, &tail));
    Composed {
        kind,
        client_ref,
        reference_field: config.reference_field.clone(),
        request,
    }
}

/// The labelled line that carries the reference in the description.
pub fn reference_line(client_ref: &ClientRef) -> String {
    format!(
        "<p>{REFERENCE_LABEL}: {}</p>",
        escape_html(client_ref.as_str())
    )
}

/// Makes sure `request` still carries `client_ref` (after an edit): in
/// `reference_field` when set, else as the labelled description line.
pub fn ensure_reference(
    request: &mut NewTicket,
    client_ref: &ClientRef,
    reference_field: Option<&str>,
) {
    match reference_field {
        Some(field) => {
            let cf = request.cf.get_or_insert_with(Default::default);
            cf.insert(field.to_owned(), client_ref.as_str().into());
        }
        None => {
            let description = request.description.get_or_insert_with(String::new);
            if !description.contains(client_ref.as_str()) {
                if !description.is_empty() {
                    description.push('\n');
                }
                description.push_str(&reference_line(client_ref));
            }
        }
    }
}

/// Head, transcript, tail; the oldest transcript lines are left out (with a
/// notice) when the whole would pass Desk's 65,535-character limit, so the
/// summary and the reference always arrive.
fn description_html(head: &str, transcript: &[Turn], tail: &str) -> String {
    let lines: Vec<String> = transcript.iter().map(turn_html).collect();
    let fixed = head.chars().count() + tail.chars().count() + 200;
    let budget = DESCRIPTION_MAX_CHARS.saturating_sub(fixed);
    let mut kept = 0;
    let mut used = 0;
    for line in lines.iter().rev() {
        let n = line.chars().count() + 1;
        if used + n > budget {
            break;
        }
        used += n;
        kept += 1;
    }
    let mut out = String::with_capacity(head.len() + used + tail.len() + 64);
    out.push_str(head);
    if !lines.is_empty() {
        out.push_str("<p><b>Transcript</b></p>\n");
        let omitted = lines.len() - kept;
        if omitted > 0 {
            out.push_str(&format!(
                "<p><i>{omitted} earlier lines left out (too long for Desk).</i></p>\n"
            ));
        }
        for line in &lines[omitted..] {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(tail);
    out
}

fn turn_html(turn: &Turn) -> String {
    let who = match turn.from {
        Speaker::Person => "Customer",
        Speaker::Bot => "Bot",
    };
    format!(
        "<p dir=\"auto\">[{}] <b>{who}:</b> {}</p>",
        turn.at.format("%Y-%m-%d %H:%M:%S UTC"),
        escape_multiline(&turn.text)
    )
}

fn summary_html(rows: &[(&str, &str)]) -> String {
    let body: Vec<String> = rows
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| {
            format!(
                "<b>{k}:</b> <span dir=\"auto\">{}</span>",
                escape_html(v.trim())
            )
        })
        .collect();
    format!("<p>{}</p>", body.join("<br>\n"))
}

fn paragraph(text: &str) -> String {
    format!("<p dir=\"auto\">{}</p>", escape_multiline(text.trim()))
}

/// Escapes text for HTML element content and attribute values: `&`, `<`,
/// `>`, `"` and `'`. Everything else (emoji, right-to-left text) is kept.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// [`escape_html`], with line breaks kept as `<br>`.
fn escape_multiline(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split('\n')
        .map(escape_html)
        .collect::<Vec<_>>()
        .join("<br>")
}

/// The subject of a chat ticket: the issue's first sentence on one line,
/// at most 255 characters.
pub fn subject_from_issue(issue: &str) -> String {
    let text = one_line(issue);
    let first = first_sentence(&text);
    let subject = if first.is_empty() {
        text.as_str()
    } else {
        first
    };
    if subject.is_empty() {
        return "Support chat request".to_owned();
    }
    cut_subject(subject)
}

/// The first sentence: up to and including the first `.`, `!` or `?`
/// followed by a space or the end (so "v1.2" and "e.g" do not end it), or
/// a CJK full stop.
fn first_sentence(text: &str) -> &str {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = i + c.len_utf8();
        match c {
            '。' | '！' | '？' => return text[..end].trim(),
            '.' | '!' | '?' => match chars.peek() {
                None => return text[..end].trim(),
                Some((_, next)) if next.is_whitespace() => return text[..end].trim(),
                _ => {}
            },
            _ => {}
        }
    }
    text.trim()
}

/// Lines joined with spaces, runs of white space collapsed, control
/// characters dropped (a subject is one line).
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// At most [`SUBJECT_MAX_CHARS`] characters; when cut, on a grapheme
/// boundary (an emoji with its skin tone stays whole) and ended with `…`.
pub fn cut_subject(subject: &str) -> String {
    if subject.chars().count() <= SUBJECT_MAX_CHARS {
        return subject.to_owned();
    }
    let mut out = cut_graphemes(subject, SUBJECT_MAX_CHARS - 1)
        .trim_end()
        .to_owned();
    out.push('…');
    out
}

/// The longest prefix of `text` of at most `max_chars` characters that
/// ends on a grapheme boundary.
pub fn cut_graphemes(text: &str, max_chars: usize) -> &str {
    let mut count = 0;
    let mut end = 0;
    for g in text.graphemes(true) {
        let n = g.chars().count();
        if count + n > max_chars {
            break;
        }
        count += n;
        end += g.len();
    }
    &text[..end]
}

/// Zoho's time format: `2026-06-11T16:12:11.000Z` (UTC, milliseconds).
pub fn zoho_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// "Tue 1 Dec 2026 14:00 CET" in `time_zone`; in UTC when the zone is unknown.
fn local_time_label(at: DateTime<Utc>, time_zone: &str) -> String {
    const FORMAT: &str = "%a %-d %b %Y %H:%M %Z";
    match time_zone.parse::<Tz>() {
        Ok(tz) => at.with_timezone(&tz).format(FORMAT).to_string(),
        Err(_) => at.format(FORMAT).to_string(),
    }
}

fn full_name(first: &str, last: &str) -> String {
    [first.trim(), last.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn non_empty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

fn inline_contact(first: &str, last: &str, email: Option<&str>, phone: Option<&str>) -> ContactRef {
    let first = non_empty(first).map(|f| cut_graphemes(f, FIRST_NAME_MAX_CHARS).to_owned());
    let last = non_empty(last).map(|l| cut_graphemes(l, LAST_NAME_MAX_CHARS).to_owned());
    ContactRef::Inline(InlineContact {
        last_name: last,
        first_name: first,
        email: email.map(str::to_owned),
        phone: phone.map(str::to_owned),
    })
}

#[cfg(test)]
mod tests;
