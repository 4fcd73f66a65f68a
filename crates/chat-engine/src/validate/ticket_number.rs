//! A Desk ticket number as a person types it: "123", "#123", "ticket 123".

/// Longest ticket number accepted (Desk numbers are far shorter).
const MAX_DIGITS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TicketNumberError {
    #[error("I didn't get a ticket number there.")]
    Empty,
    #[error("A ticket number is just digits, like 1234 or #1234.")]
    NotANumber,
}

/// Words that may stand around the number: "ticket #123", "it's number 123".
const AROUND: &[&str] = &[
    "ticket", "tickets", "case", "number", "no", "nr", "num", "my", "is", "it's", "its", "the",
    "id", "request",
];

/// Returns the digits of a ticket number; `#`, a colon or full stop and the
/// words above around it are ignored. Exactly one run of ASCII digits.
pub fn parse_ticket_number(text: &str) -> Result<String, TicketNumberError> {
    let cleaned: String = text
        .chars()
        .map(|c| if "#:.,".contains(c) { ' ' } else { c })
        .collect();
    let mut number = None;
    let mut words = 0;
    for word in cleaned.split_whitespace() {
        words += 1;
        if word.bytes().all(|b| b.is_ascii_digit()) {
            if number.is_some() || word.len() > MAX_DIGITS {
                return Err(TicketNumberError::NotANumber);
            }
            number = Some(word.to_string());
        } else if !AROUND.contains(&word.to_lowercase().as_str()) {
            return Err(TicketNumberError::NotANumber);
        }
    }
    match number {
        Some(n) => Ok(n),
        None if words == 0 => Err(TicketNumberError::Empty),
        None => Err(TicketNumberError::NotANumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_number_however_it_is_written() {
        for typed in [
            "123",
            "#123",
            " # 123 ",
            "ticket 123",
            "Ticket #123.",
            "it's number 123",
        ] {
            assert_eq!(parse_ticket_number(typed), Ok("123".to_string()), "{typed}");
        }
    }

    #[test]
    fn refuses_anything_else() {
        assert_eq!(parse_ticket_number(""), Err(TicketNumberError::Empty));
        assert_eq!(parse_ticket_number("#"), Err(TicketNumberError::Empty));
        for typed in ["abc", "12a", "123 456", "١٢٣", "ticket", &"9".repeat(21)] {
            assert_eq!(
                parse_ticket_number(typed),
                Err(TicketNumberError::NotANumber),
                "{typed}"
            );
        }
    }
}
