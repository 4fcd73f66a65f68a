//! Overlong input: cut, never refused, so nothing typed is lost silently.

use unicode_segmentation::UnicodeSegmentation;

/// The most characters (Unicode scalar values) kept from one message.
pub const MAX_INPUT_CHARS: usize = 4_000;

/// Keeps at most [`MAX_INPUT_CHARS`] characters of `text`, cut between
/// grapheme clusters so that an emoji with modifiers, a flag or a letter with
/// its accents is kept whole or dropped whole, never split. Returns the kept
/// text and whether anything was cut.
pub fn limit_input(text: &str) -> (String, bool) {
    if text.chars().count() <= MAX_INPUT_CHARS {
        return (text.to_string(), false);
    }
    let mut kept = String::with_capacity(MAX_INPUT_CHARS * 2);
    let mut count = 0;
    for grapheme in text.graphemes(true) {
        let len = grapheme.chars().count();
        if count + len > MAX_INPUT_CHARS {
            break;
        }
        count += len;
        kept.push_str(grapheme);
    }
    (kept, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_as_is() {
        assert_eq!(limit_input("héllo 👋🏽"), ("héllo 👋🏽".to_string(), false));
    }

    #[test]
    fn long_text_is_cut_at_the_limit() {
        let text = "a".repeat(MAX_INPUT_CHARS + 10);
        let (kept, cut) = limit_input(&text);
        assert!(cut);
        assert_eq!(kept.chars().count(), MAX_INPUT_CHARS);
    }

    #[test]
    fn an_emoji_with_a_skin_tone_on_the_edge_is_not_split() {
        // 3,999 letters, then a two-scalar emoji that would straddle the limit.
        let text = format!("{}👋🏽 tail", "a".repeat(MAX_INPUT_CHARS - 1));
        let (kept, cut) = limit_input(&text);
        assert!(cut);
        assert_eq!(kept, "a".repeat(MAX_INPUT_CHARS - 1));
    }

    #[test]
    fn right_to_left_text_is_kept_intact() {
        let hebrew = "שלום, יש לי בעיה עם החשבונית";
        let text = hebrew.repeat(MAX_INPUT_CHARS / hebrew.chars().count() + 2);
        let (kept, cut) = limit_input(&text);
        assert!(cut);
        assert!(text.starts_with(&kept));
        assert!(kept.chars().count() <= MAX_INPUT_CHARS);
    }
}
