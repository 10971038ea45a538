//! Plan text on a terminal or in a log: every control character, and every
//! character that reorders or hides text (bidirectional overrides, zero-width
//! joiners), is shown as a visible escape such as `\u{1b}`. A plan file can
//! then clear no screen, fake no `planc: 0 errors` line, hide no link and
//! reorder no code.

use std::borrow::Cow;

/// Whether a character would act on a terminal or hide itself instead of
/// being shown. Tabs are text.
pub fn is_active(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Whether a character of a source file needs showing visibly; line breaks
/// are the file's own.
pub fn is_active_in_source(c: char) -> bool {
    is_active(c) && c != '\n' && c != '\r'
}

/// `text` with every active character written as `\u{..}`, on one line.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_active) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_active(c) {
            out.push_str(&escape(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The visible form of one active character.
pub fn escape(c: char) -> String {
    format!("\\u{{{:x}}}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_line_breaks_are_shown_not_obeyed() {
        assert_eq!(
            visible("plain £5 text\twith tab"),
            "plain £5 text\twith tab"
        );
        assert_eq!(visible("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(visible("x\nplanc: 0 errors"), "x\\u{a}planc: 0 errors");
        assert_eq!(
            visible("\u{1b}]8;;http://evil\u{7}link\u{1b}]8;;\u{7}"),
            "\\u{1b}]8;;http://evil\\u{7}link\\u{1b}]8;;\\u{7}"
        );
        assert_eq!(visible("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(visible("\u{9b}2J"), "\\u{9b}2J");
    }
}
