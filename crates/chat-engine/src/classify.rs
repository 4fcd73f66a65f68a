//! What a free-text opening message is asking for.
//!
//! Simple keyword rules, checked in this order on the lower-cased text with
//! punctuation turned into spaces:
//!
//! 1. **Callback**: it contains "call me", "call back", "callback", "ring me",
//!    "phone me" or "give me a call". The words after that phrase are kept as
//!    a possible time ("call me back tomorrow at 2pm" -> "tomorrow at 2pm").
//! 2. **Check a ticket**: it contains "status", "check", "track", "progress",
//!    "update on", "any news", "follow up" or "where is my" together with
//!    "ticket", "case", "request" or a number; or it is just a ticket number
//!    written with "#" or "ticket" ("#123", "ticket 123"). The number, if any,
//!    is kept.
//! 3. **Ticket, no issue yet**: it asks for a ticket ("open a ticket", "new
//!    case", "create ticket") or only for help ("help", "I need help", "I have
//!    a problem").
//! 4. **Hello / thanks**: the whole message is a greeting or a thank-you.
//! 5. **Ticket with its issue**: anything else of at least
//!    [`MIN_ISSUE_WORDS`](crate::validate::MIN_ISSUE_WORDS) words ("my invoice
//!    is wrong"); the text is kept as the issue so it is not asked again.
//! 6. Otherwise unclear: the menu is offered again.

use crate::validate::{parse_ticket_number, validate_issue};

/// What an opening message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Ticket { issue: Option<String> },
    Callback { when: Option<String> },
    Check { number: Option<String> },
    Hello,
    Thanks,
    Unclear,
}

const CALLBACK_PHRASES: &[&str] = &[
    "give me a call back",
    "give me a call",
    "give me a ring",
    "call me back",
    "ring me back",
    "phone me back",
    "call me",
    "call back",
    "callback",
    "ring me",
    "phone me",
];

const CHECK_WORDS: &[&str] = &[
    "status",
    "check",
    "track",
    "progress",
    "update on",
    "any news",
    "follow up",
    "where is my",
];

const TICKET_NOUNS: &[&str] = &["ticket", "case", "request"];

const CREATE_VERBS: &[&str] = &[
    "new", "create", "open", "raise", "file", "submit", "log", "make", "start",
];

const HELP_ONLY: &[&str] = &[
    "help",
    "help me",
    "i need help",
    "need help",
    "i need support",
    "support",
    "problem",
    "issue",
    "i have a problem",
    "i have an issue",
    "i have a question",
];

const HELLOS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "hallo",
    "hola",
    "good morning",
    "good afternoon",
    "good evening",
    "hi there",
    "hello there",
];

const THANKS: &[&str] = &[
    "thanks",
    "thank you",
    "thank you very much",
    "thanks a lot",
    "thx",
    "ty",
    "cheers",
    "great",
    "ok",
    "okay",
    "bye",
    "goodbye",
    "ok thanks",
    "great thanks",
    "no thanks",
    "no",
    "nope",
    "that's all",
    "thats all",
];

/// Lower case, punctuation (except `#`, `'`, `:`, `/`, `-`) as spaces, single spaces.
fn normalise(text: &str) -> String {
    let spaced: String = text
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "#'’:/-".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn contains_phrase(haystack: &str, phrase: &str) -> Option<usize> {
    let padded = format!(" {haystack} ");
    padded
        .find(&format!(" {phrase} "))
        .map(|at| at + phrase.len())
}

/// Classifies an opening message; see the module doc for the rules.
pub fn classify(text: &str) -> Intent {
    let norm = normalise(text);
    if norm.is_empty() {
        return Intent::Unclear;
    }
    for phrase in CALLBACK_PHRASES {
        if let Some(end) = contains_phrase(&norm, phrase) {
            let rest = norm.get(end..).unwrap_or("").trim();
            let when = (!rest.is_empty()).then(|| rest.to_string());
            return Intent::Callback { when };
        }
    }
    let has_noun = TICKET_NOUNS
        .iter()
        .any(|n| contains_phrase(&norm, n).is_some());
    let number = norm
        .split(' ')
        .map(|w| w.trim_start_matches('#'))
        .find(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string);
    let asks_check = CHECK_WORDS
        .iter()
        .any(|w| contains_phrase(&norm, w).is_some());
    let just_a_number = parse_ticket_number(&norm).is_ok()
        && (norm.contains('#') || contains_phrase(&norm, "ticket").is_some());
    if (asks_check && (has_noun || number.is_some())) || just_a_number {
        return Intent::Check { number };
    }
    let asks_ticket = has_noun
        && CREATE_VERBS
            .iter()
            .any(|v| contains_phrase(&norm, v).is_some());
    let trimmed = norm
        .trim_end_matches(" please")
        .trim_start_matches("please ");
    if HELP_ONLY.contains(&trimmed) || (asks_ticket && norm.split(' ').count() <= 6) {
        return Intent::Ticket { issue: None };
    }
    if HELLOS.contains(&trimmed) {
        return Intent::Hello;
    }
    if THANKS.contains(&trimmed) {
        return Intent::Thanks;
    }
    match validate_issue(text) {
        Ok(issue) => Intent::Ticket { issue: Some(issue) },
        Err(_) => Intent::Unclear,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples_are_classified() {
        let table = [
            (
                "call me back tomorrow",
                Intent::Callback {
                    when: Some("tomorrow".into()),
                },
            ),
            (
                "Could you call me at 2pm tomorrow?",
                Intent::Callback {
                    when: Some("at 2pm tomorrow".into()),
                },
            ),
            ("I'd like a callback", Intent::Callback { when: None }),
            (
                "status of ticket 123",
                Intent::Check {
                    number: Some("123".into()),
                },
            ),
            ("check my ticket", Intent::Check { number: None }),
            (
                "#4711",
                Intent::Check {
                    number: Some("4711".into()),
                },
            ),
            (
                "Any news on my request #88?",
                Intent::Check {
                    number: Some("88".into()),
                },
            ),
            ("I want to open a ticket", Intent::Ticket { issue: None }),
            ("help", Intent::Ticket { issue: None }),
            ("I need help please", Intent::Ticket { issue: None }),
            (
                "my invoice is wrong",
                Intent::Ticket {
                    issue: Some("my invoice is wrong".into()),
                },
            ),
            (
                "The app crashes when I export\nto PDF",
                Intent::Ticket {
                    issue: Some("The app crashes when I export\nto PDF".into()),
                },
            ),
            ("Hello!", Intent::Hello),
            ("thanks", Intent::Thanks),
            ("blah", Intent::Unclear),
            ("", Intent::Unclear),
        ];
        for (text, expected) in table {
            assert_eq!(classify(text), expected, "{text}");
        }
    }
}
