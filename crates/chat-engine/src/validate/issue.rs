//! The issue: free text, several lines allowed, at least a few words.

use unicode_segmentation::UnicodeSegmentation;

/// The fewest words an issue may have ("my invoice is wrong" has four).
pub const MIN_ISSUE_WORDS: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssueError {
    #[error("I didn't get a description there.")]
    Empty,
    #[error("Could you say a bit more? A sentence or two helps our team a lot.")]
    TooShort,
}

/// Trims the ends and unifies line endings; keeps every line and the text as
/// typed. Words are counted by Unicode word boundaries (UAX #29), so text in
/// scripts written without spaces counts too.
pub fn validate_issue(text: &str) -> Result<String, IssueError> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(IssueError::Empty);
    }
    if text.unicode_words().count() < MIN_ISSUE_WORDS {
        return Err(IssueError::TooShort);
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_is_an_issue_and_keeps_its_lines() {
        assert_eq!(
            validate_issue("  My invoice is wrong.\r\nIt shows 3 seats.  "),
            Ok("My invoice is wrong.\nIt shows 3 seats.".to_string())
        );
    }

    #[test]
    fn too_few_words_are_asked_again() {
        assert_eq!(validate_issue("help"), Err(IssueError::TooShort));
        assert_eq!(validate_issue("it broke"), Err(IssueError::TooShort));
        assert_eq!(validate_issue("  \n "), Err(IssueError::Empty));
    }

    #[test]
    fn scripts_without_spaces_count_their_words() {
        assert!(validate_issue("我的发票错了").is_ok());
        assert!(validate_issue("الفاتورة غير صحيحة اليوم").is_ok());
    }
}
