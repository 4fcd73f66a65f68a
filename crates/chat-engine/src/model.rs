//! The data the engine's states, events and actions carry.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub use crate::validate::PersonName;
/// A phone numbering region (ISO 3166-1 alpha-2), e.g. `Region::DE`; parse
/// one with `"DE".parse::<Region>()`.
pub use phonenumber::country::Id as Region;

/// What the engine knows of the present moment: the instant, the person's
/// time zone (callback times are read and echoed in it) and the region a
/// phone number without a country code belongs to. The caller reads the
/// clock; the engine never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Now {
    pub at: DateTime<Utc>,
    pub tz: Tz,
    pub region: Region,
}

impl Now {
    pub fn new(at: DateTime<Utc>, tz: Tz, region: Region) -> Self {
        Now { at, tz, region }
    }

    /// The instant on the person's wall clock.
    pub fn local(&self) -> DateTime<Tz> {
        self.at.with_timezone(&self.tz)
    }
}

/// Who said a line of the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Person,
    Bot,
}

/// One line of the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub at: DateTime<Utc>,
    pub from: Speaker,
    pub text: String,
}

/// What the person has told us about themselves in this conversation; a
/// field given once is not asked again (until "New conversation").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: Option<PersonName>,
    pub email: Option<String>,
    pub phone_e164: Option<String>,
}

/// What the whole conversation remembers, whatever flow it is in: the
/// transcript (who said what, when) and the contact details given so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memory {
    pub transcript: Vec<Turn>,
    pub contact: Contact,
}

/// A knowledge-base article found for the issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub url: String,
}

/// The buttons the chat offers. Each has a fixed English label
/// ([`QuickReplyId::label`]); typing the label (or a plain synonym such as
/// "yes") counts as pressing it where it is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuickReplyId {
    CreateTicket,
    ScheduleCallback,
    CheckTicket,
    Yes,
    No,
    Solved,
    StillNeedHelp,
    Submit,
    Edit,
    Cancel,
    EditName,
    EditEmail,
    EditPhone,
    EditIssue,
    EditTime,
    EditNote,
    Confirm,
    Change,
    Skip,
}

impl QuickReplyId {
    pub fn label(self) -> &'static str {
        match self {
            QuickReplyId::CreateTicket => "Create a ticket",
            QuickReplyId::ScheduleCallback => "Schedule a callback",
            QuickReplyId::CheckTicket => "Check a ticket",
            QuickReplyId::Yes => "Yes",
            QuickReplyId::No => "No",
            QuickReplyId::Solved => "This solved it",
            QuickReplyId::StillNeedHelp => "I still need help",
            QuickReplyId::Submit => "Submit",
            QuickReplyId::Edit => "Edit",
            QuickReplyId::Cancel => "Cancel",
            QuickReplyId::EditName => "Name",
            QuickReplyId::EditEmail => "Email",
            QuickReplyId::EditPhone => "Phone",
            QuickReplyId::EditIssue => "Issue",
            QuickReplyId::EditTime => "Time",
            QuickReplyId::EditNote => "Note",
            QuickReplyId::Confirm => "Confirm",
            QuickReplyId::Change => "Change",
            QuickReplyId::Skip => "Skip",
        }
    }

    /// Other words that mean this button when typed (lower case).
    pub(crate) fn synonyms(self) -> &'static [&'static str] {
        match self {
            QuickReplyId::CreateTicket => {
                &["ticket", "new ticket", "create ticket", "open a ticket"]
            }
            QuickReplyId::ScheduleCallback => &["callback", "call back", "call me back", "call me"],
            QuickReplyId::CheckTicket => &["check ticket", "ticket status", "status"],
            QuickReplyId::Yes | QuickReplyId::Confirm => &[
                "yes",
                "y",
                "yep",
                "yeah",
                "yup",
                "sure",
                "ok",
                "okay",
                "correct",
                "right",
                "confirm",
                "that's right",
                "thats right",
                "looks good",
                "book it",
            ],
            QuickReplyId::No => &["no", "n", "nope", "wrong"],
            QuickReplyId::Solved => &[
                "solved",
                "that solved it",
                "it solved it",
                "yes",
                "yep",
                "yeah",
                "it did",
                "that helped",
                "helped",
                "thanks that helped",
            ],
            QuickReplyId::StillNeedHelp => &[
                "still need help",
                "need help",
                "no",
                "nope",
                "it didn't",
                "didn't help",
                "did not help",
                "not solved",
                "no luck",
            ],
            QuickReplyId::Submit => &[
                "send",
                "send it",
                "submit it",
                "yes",
                "yes please",
                "yep",
                "ok",
                "okay",
                "looks good",
                "correct",
                "go",
            ],
            QuickReplyId::Edit => &["change", "edit something", "fix"],
            QuickReplyId::Cancel => &["cancel", "stop", "never mind", "nevermind", "forget it"],
            QuickReplyId::EditName => &["name", "my name"],
            QuickReplyId::EditEmail => &["email", "e-mail", "email address", "my email"],
            QuickReplyId::EditPhone => &["phone", "phone number", "number", "my phone"],
            QuickReplyId::EditIssue => &["issue", "problem", "description", "the issue"],
            QuickReplyId::EditTime => &["time", "the time", "when"],
            QuickReplyId::EditNote => &["note", "the note"],
            QuickReplyId::Change => &[
                "change",
                "change it",
                "no",
                "nope",
                "wrong",
                "different time",
            ],
            QuickReplyId::Skip => &[
                "skip",
                "no",
                "none",
                "no note",
                "nothing",
                "no thanks",
                "n/a",
                "-",
            ],
        }
    }
}

/// A button to show under a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    pub id: QuickReplyId,
    pub label: String,
}

impl From<QuickReplyId> for QuickReply {
    fn from(id: QuickReplyId) -> Self {
        QuickReply {
            id,
            label: id.label().to_string(),
        }
    }
}

/// One line of a summary card ("Email", "ann@example.com").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryField {
    pub label: String,
    pub value: String,
}

/// What Desk said about one field when it refused a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Everything Desk needs for a chat ticket. The caller composes the Desk
/// request from it (subject, HTML description, department, client reference):
/// the engine only gathers and checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDraft {
    /// May be empty: Desk requires only the last name.
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone_e164: String,
    /// As typed, several lines allowed.
    pub issue: String,
    /// The whole conversation up to the moment of submitting.
    pub transcript: Vec<Turn>,
}

/// Everything Desk needs for a callback ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackDraft {
    /// May be empty: Desk requires only the last name.
    pub first_name: String,
    pub last_name: String,
    pub phone_e164: String,
    /// Known only when given earlier in the conversation.
    pub email: Option<String>,
    pub when_utc: DateTime<Utc>,
    /// The time as echoed to the person: "Tuesday 1 December 2026, 14:00 (Europe/Berlin)".
    pub when_local_text: String,
    /// IANA name of the person's zone, e.g. "Europe/Berlin".
    pub time_zone: String,
    pub note: Option<String>,
    pub transcript: Vec<Turn>,
}

/// A callback time the person has been shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackTime {
    pub utc: DateTime<Utc>,
    pub local_text: String,
    pub time_zone: String,
}
