//! A person's name, split into the first and last name Desk's contact wants.

use serde::{Deserialize, Serialize};

/// The longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// A name as Desk's contact holds it. Desk requires a last name, so a
/// one-word name ("Madonna") is the last name and the first name is empty.
/// Otherwise the last word is the last name and the words before it the
/// first name ("Ludwig van Beethoven" -> "Ludwig van" + "Beethoven"): a
/// simple rule, and the summary shows the split before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    pub first_name: String,
    pub last_name: String,
}

impl PersonName {
    /// The name as one line, as the person typed it (spaces tidied).
    pub fn full(&self) -> String {
        if self.first_name.is_empty() {
            self.last_name.clone()
        } else {
            format!("{} {}", self.first_name, self.last_name)
        }
    }

    /// What to call the person in a reply: the first name, else the whole name.
    pub fn greeting_name(&self) -> &str {
        if self.first_name.is_empty() {
            &self.last_name
        } else {
            self.first_name
                .split(' ')
                .next()
                .unwrap_or(&self.first_name)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("I didn't get a name there.")]
    Empty,
    #[error("That name is a bit long. Please keep it under {MAX_NAME_CHARS} characters.")]
    TooLong,
    #[error("That looks like an email address. I'll ask for that next.")]
    LooksLikeEmail,
    #[error("A name shouldn't contain digits or symbols.")]
    NotAName,
}

/// Lead-ins people type before their name, lower case.
const LEAD_INS: &[&str] = &[
    "my name is",
    "my name's",
    "my name’s",
    "i am",
    "i'm",
    "i’m",
    "this is",
    "name:",
    "it's",
    "it’s",
];

/// Checks a name and splits it. Lead-ins such as "my name is" are skipped,
/// spaces tidied and a final full stop or exclamation mark dropped. Letters of
/// any script, combining marks, joiners, spaces, hyphens, apostrophes and
/// dots ("J. R. Smith") are allowed; digits and other symbols are not.
pub fn parse_name(text: &str) -> Result<PersonName, NameError> {
    let mut text = text.trim();
    'again: loop {
        for lead in LEAD_INS {
            if let Some(head) = text.get(..lead.len())
                && head.eq_ignore_ascii_case(lead)
                && (text.len() == lead.len() || text[lead.len()..].starts_with(char::is_whitespace))
            {
                text = text[lead.len()..].trim_start();
                continue 'again;
            }
        }
        break;
    }
    let text = text.trim_end_matches(['.', '!', ',']).trim();
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some((last, first)) = words.split_last() else {
        return Err(NameError::Empty);
    };
    if text.contains('@') {
        return Err(NameError::LooksLikeEmail);
    }
    if !text.chars().all(name_char) || !text.chars().any(char::is_alphabetic) {
        return Err(NameError::NotAName);
    }
    let name = PersonName {
        first_name: first.join(" "),
        last_name: (*last).to_string(),
    };
    if name.full().chars().count() > MAX_NAME_CHARS {
        return Err(NameError::TooLong);
    }
    Ok(name)
}

fn name_char(c: char) -> bool {
    // Letter-numbers such as U+3021 "〡" are alphabetic too: refuse every
    // numeric character first.
    if c.is_numeric() {
        return false;
    }
    c.is_alphabetic()
        || c.is_whitespace()
        || matches!(c, '-' | '\'' | '’' | '.' | '\u{200C}' | '\u{200D}')
        || is_combining_mark(c)
}

/// The combining diacritical mark blocks (accents typed as separate marks).
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(first: &str, last: &str) -> PersonName {
        PersonName {
            first_name: first.into(),
            last_name: last.into(),
        }
    }

    #[test]
    fn splits_into_first_and_last_name() {
        let table = [
            ("Ann Lee", name("Ann", "Lee")),
            ("  ann   lee ", name("ann", "lee")),
            ("Madonna", name("", "Madonna")),
            ("Ludwig van Beethoven", name("Ludwig van", "Beethoven")),
            ("My name is Ann Lee.", name("Ann", "Lee")),
            ("I'm Zoë O'Brien-Smith", name("Zoë", "O'Brien-Smith")),
            ("J. R. Smith", name("J. R.", "Smith")),
            ("محمد علي", name("محمد", "علي")),
            ("李小龙", name("", "李小龙")),
        ];
        for (typed, expected) in table {
            assert_eq!(parse_name(typed), Ok(expected), "{typed}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_name_with_a_reason() {
        assert_eq!(parse_name("  "), Err(NameError::Empty));
        assert_eq!(parse_name("my name is"), Err(NameError::Empty));
        assert_eq!(
            parse_name("ann@example.com"),
            Err(NameError::LooksLikeEmail)
        );
        assert_eq!(parse_name("R2D2"), Err(NameError::NotAName));
        assert_eq!(parse_name("〡"), Err(NameError::NotAName));
        assert_eq!(parse_name("Ann ٣"), Err(NameError::NotAName));
        assert_eq!(parse_name("<b>Ann</b>"), Err(NameError::NotAName));
        assert_eq!(parse_name("---"), Err(NameError::NotAName));
        assert_eq!(parse_name(&"a".repeat(81)), Err(NameError::TooLong));
    }
}
