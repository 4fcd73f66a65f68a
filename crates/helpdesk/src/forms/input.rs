//! The manual-entry forms as typed, the fields they have, and their local
//! validation (the chat engine's validators: names, email, phone in E.164,
//! the time parser), so that nothing Desk would refuse for a reason we can
//! see is queued.
//!
//! What it is not: sending ([`super::Forms`]), or Desk's own refusals
//! (see `desk_errors.rs`).

use chat_engine::validate::{normalize_email, normalize_phone, parse_name};
use chat_engine::{Region, format_when, parse_when};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use zoho_desk::Priority;

use crate::compose::SUBJECT_MAX_CHARS;

/// Priorities Desk knows.
pub const PRIORITIES: &[&str] = &["High", "Medium", "Low"];
/// Statuses a new ticket may have.
pub const STATUSES: &[&str] = &["Open", "On Hold", "Escalated", "Closed"];
/// Channels a ticket may come from.
pub const CHANNELS: &[&str] = &[
    "Phone", "Email", "Web", "Chat", "Forums", "Twitter", "Facebook",
];
/// The channel of manual entry unless the agent picks another.
pub const DEFAULT_CHANNEL: &str = "Phone";

/// A field of the forms, as the UI names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
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
    /// The form as a whole (no one field).
    Form,
}

/// Why one field cannot be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: FormField,
    pub message: String,
}

impl FieldError {
    pub fn new(field: FormField, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// The New ticket form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TicketFormInput {
    /// "First Last"; at least a name or an email.
    pub name: String,
    pub email: String,
    pub phone: String,
    pub subject: String,
    /// Plain text (escaped into HTML when composed).
    pub description: String,
    /// `None`: the setup's Support department.
    pub department_id: Option<String>,
    pub priority: String,
    pub status: String,
    pub channel: String,
    /// Local `YYYY-MM-DDTHH:mm`, read in the form's time zone.
    pub due_date: Option<String>,
    /// Staged attachment tokens.
    pub attachments: Vec<String>,
}

/// The New callback form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CallbackFormInput {
    pub name: String,
    pub phone: String,
    pub email: String,
    /// Plain words ("tomorrow 2pm") or a picker value `YYYY-MM-DDTHH:mm`.
    pub when: String,
    pub note: String,
}

/// A callback time as understood (or why not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhenReading {
    pub at: Option<DateTime<Utc>>,
    /// "Monday 30 November 2026, 14:00 (Europe/London)".
    pub display: Option<String>,
    pub error: Option<String>,
}

/// The contact part of a form, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckedContact {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Checks name, email and phone; `phone_required` for callbacks.
pub fn check_contact(
    name: &str,
    email: &str,
    phone: &str,
    phone_required: bool,
    region: Region,
    errors: &mut Vec<FieldError>,
) -> CheckedContact {
    let mut out = CheckedContact::default();
    if !name.trim().is_empty() {
        match parse_name(name) {
            Ok(n) => {
                out.first_name = n.first_name;
                out.last_name = n.last_name;
            }
            Err(e) => errors.push(FieldError::new(FormField::Name, e.to_string())),
        }
    }
    if !email.trim().is_empty() {
        match normalize_email(email) {
            Ok(e) => out.email = Some(e),
            Err(e) => errors.push(FieldError::new(FormField::Email, e.to_string())),
        }
    }
    if name.trim().is_empty() && email.trim().is_empty() {
        errors.push(FieldError::new(
            FormField::Name,
            "Enter the contact's name or email address (Zoho Desk needs one of them).",
        ));
    }
    if !phone.trim().is_empty() {
        match normalize_phone(phone, region) {
            Ok(p) => out.phone = Some(p),
            Err(e) => errors.push(FieldError::new(FormField::Phone, e.to_string())),
        }
    } else if phone_required {
        errors.push(FieldError::new(
            FormField::Phone,
            "Enter the phone number to call back.",
        ));
    }
    out
}

/// Subject: required, one line, at most 255 characters.
pub fn check_subject(subject: &str, errors: &mut Vec<FieldError>) {
    let n = subject.trim().chars().count();
    if n == 0 {
        errors.push(FieldError::new(
            FormField::Subject,
            "Enter a subject: a few words saying what it is about.",
        ));
    } else if n > SUBJECT_MAX_CHARS {
        errors.push(FieldError::new(
            FormField::Subject,
            format!("The subject is {n} characters long; Zoho Desk takes at most {SUBJECT_MAX_CHARS}. Shorten it."),
        ));
    }
}

/// One of `allowed`, compared ignoring case; the canonical spelling.
pub fn check_choice(
    value: &str,
    allowed: &[&str],
    default: &str,
    field: FormField,
    errors: &mut Vec<FieldError>,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        return default.to_owned();
    }
    match allowed.iter().find(|a| a.eq_ignore_ascii_case(value)) {
        Some(a) => (*a).to_owned(),
        None => {
            errors.push(FieldError::new(
                field,
                format!("Choose one of: {}.", allowed.join(", ")),
            ));
            default.to_owned()
        }
    }
}

/// The priority of a checked choice.
pub fn priority_of(text: &str) -> Priority {
    match text {
        "High" => Priority::High,
        "Low" => Priority::Low,
        _ => Priority::Medium,
    }
}

/// A Desk id: digits only.
pub fn is_desk_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 25 && id.bytes().all(|b| b.is_ascii_digit())
}

/// A picker value `YYYY-MM-DDTHH:mm` (seconds allowed) in `tz`.
pub fn parse_local_picker(text: &str, tz: Tz) -> Option<Result<DateTime<Utc>, String>> {
    let text = text.trim();
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())?;
    Some(match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => Ok(t.to_utc()),
        // Clocks going back: the earlier of the two, as the parser does.
        chrono::LocalResult::Ambiguous(a, _) => Ok(a.to_utc()),
        chrono::LocalResult::None => Err(format!(
            "{text} does not exist in {tz}: the clocks go forward then. Pick another time."
        )),
    })
}

/// A callback time from a picker value or plain words, in `tz`, after `now`.
pub fn read_when(text: &str, tz: Tz, now: DateTime<Utc>) -> WhenReading {
    let failed = |error: String| WhenReading {
        at: None,
        display: None,
        error: Some(error),
    };
    let local_now = now.with_timezone(&tz);
    let found = match parse_local_picker(text, tz) {
        Some(Ok(at)) if at <= now => {
            return failed(format!(
                "{} has already passed. Pick a time in the future.",
                format_when(&at.with_timezone(&tz))
            ));
        }
        Some(Ok(at)) => at.with_timezone(&tz),
        Some(Err(e)) => return failed(e),
        None => match parse_when(text, local_now) {
            Ok(at) => at,
            Err(e) => {
                return failed(format!(
                    "{e} Type a day and time such as \"tomorrow 2pm\" or \"Friday 10:30\", or pick one."
                ));
            }
        },
    };
    WhenReading {
        at: Some(found.to_utc()),
        display: Some(format_when(&found)),
        error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-28T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_picker_value_is_read_in_the_forms_zone_and_echoed_with_it() {
        let tz: Tz = "Europe/London".parse().unwrap();
        let r = read_when("2026-11-30T14:00", tz, now());
        assert_eq!(r.at.unwrap().to_rfc3339(), "2026-11-30T14:00:00+00:00");
        assert_eq!(
            r.display.unwrap(),
            "Monday 30 November 2026, 14:00 (Europe/London)"
        );
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let r = read_when("2026-11-30T14:00", berlin, now());
        assert_eq!(r.at.unwrap().to_rfc3339(), "2026-11-30T13:00:00+00:00");
    }

    #[test]
    fn plain_words_are_read_by_the_chats_parser_and_the_past_is_refused() {
        let tz: Tz = "Europe/London".parse().unwrap();
        let r = read_when("tomorrow 2pm", tz, now());
        assert_eq!(r.at.unwrap().to_rfc3339(), "2026-11-29T14:00:00+00:00");
        let past = read_when("2026-11-01T09:00", tz, now());
        assert!(past.error.unwrap().contains("already passed"));
        let nonsense = read_when("whenever", tz, now());
        assert!(nonsense.error.unwrap().contains("tomorrow 2pm"));
    }

    #[test]
    fn contact_checks_use_the_chat_validators() {
        let mut errors = Vec::new();
        let c = check_contact(
            "Ann Lee",
            " Ann@Example.com ",
            "+44 20 7946 0958",
            false,
            Region::GB,
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            (c.first_name.as_str(), c.last_name.as_str()),
            ("Ann", "Lee")
        );
        assert_eq!(c.phone.as_deref(), Some("+442079460958"));
        let mut errors = Vec::new();
        check_contact("", "not-an-email", "12", true, Region::GB, &mut errors);
        let fields: Vec<FormField> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, [FormField::Email, FormField::Phone]);
        let mut errors = Vec::new();
        check_contact("", "", "", false, Region::GB, &mut errors);
        assert_eq!(errors[0].field, FormField::Name);
    }

    #[test]
    fn choices_are_canonical_and_unknown_ones_refused() {
        let mut errors = Vec::new();
        assert_eq!(
            check_choice(
                "high",
                PRIORITIES,
                "Medium",
                FormField::Priority,
                &mut errors
            ),
            "High"
        );
        check_choice(
            "Urgent!",
            PRIORITIES,
            "Medium",
            FormField::Priority,
            &mut errors,
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, FormField::Priority);
    }

    #[test]
    fn form_fields_travel_in_camel_case() {
        assert_eq!(
            serde_json::to_value(FormField::DueDate).unwrap(),
            serde_json::json!("dueDate")
        );
    }
}
