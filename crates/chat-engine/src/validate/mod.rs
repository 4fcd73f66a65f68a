//! Checking and normalising what a person typed, one field per file. Each
//! check is a pure function whose error `Display` is the reason shown in the
//! chat before the question is asked again.

mod email;
mod input;
mod issue;
mod name;
mod phone;
mod ticket_number;

pub use email::{COMMON_EMAIL_DOMAINS, EmailError, normalize_email, suggest_email};
pub use input::{MAX_INPUT_CHARS, limit_input};
pub use issue::{IssueError, MIN_ISSUE_WORDS, validate_issue};
pub use name::{MAX_NAME_CHARS, NameError, PersonName, parse_name};
pub use phone::{PhoneError, normalize_phone};
pub use ticket_number::{TicketNumberError, parse_ticket_number};
