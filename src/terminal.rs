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
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// Whether a character of a source file needs showing visibly; line breaks
/// are the file's own.
pub fn is_active_in_source(c: char) -> bool {
    is_active(c) && c != '\n' && c != '\r'
}

/// Whether the character at `at` would start a command to a CI runner's
/// log: GitHub's `##[command]` anywhere in a line, or `::command::` where a
/// line starts (after spaces, which the runner ignores).
pub fn starts_log_command(text: &str, at: usize) -> bool {
    let rest = &text[at..];
    if rest.starts_with("##[") {
        return true;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    rest.starts_with("::") && text[line_start..at].chars().all(char::is_whitespace)
}

/// Whether `text` holds anything `visible` would change.
pub fn needs_care(text: &str) -> bool {
    text.chars().any(is_active) || text.contains("##[") || text.contains("::")
}

/// `text` with every active character written as `\u{..}`, on one line,
/// and no command a CI runner would obey in its log (`##[` and `::`, which
/// a wrapped line may start with, have their first character escaped).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !needs_care(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (at, c) in text.char_indices() {
        // Wrapping may start a line anywhere: every `::` is escaped.
        let command = match c {
            '#' => text[at..].starts_with("##["),
            ':' => text[at..].starts_with("::"),
            _ => false,
        };
        if is_active(c) || command {
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
        // Commands to a CI runner's log.
        assert_eq!(visible("t ##[error]fake"), "t \\u{23}#[error]fake");
        assert_eq!(visible("  ::error::x"), "  \\u{3a}:error\\u{3a}:x");
        assert_eq!(visible("a ::error::b"), "a \\u{3a}:error\\u{3a}:b");
        assert_eq!(visible("tag\u{E0041}"), "tag\\u{e0041}");
    }
}
