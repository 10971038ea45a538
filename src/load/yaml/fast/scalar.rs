//! Scalars in block context: plain, quoted and block scalars.

use std::borrow::Cow;

use granit_parser::{Event, ScalarStyle, Span};

use super::{After, Bail, Scan, Scanner, Written};

/// Whether a plain scalar may start with `first`, followed by `next`
/// (`None` at the end of the line). Indicators start other tokens, or
/// errors; `-`, `?` and `:` start a plain scalar only before a non-blank
/// (in flow context, this scanner leaves `?` and `:` to granit-parser).
pub(super) fn plain_start(first: u8, next: Option<u8>, in_flow: bool) -> bool {
    match first {
        b'-' => next.is_some_and(|n| n != b' ' && !(in_flow && is_flow(n))),
        b'?' | b':' => !in_flow && next.is_some_and(|n| n != b' '),
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' => false,
        _ => true,
    }
}

pub(super) fn is_flow(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

impl<'t> Scanner<'t> {
    /// A plain or quoted scalar in block context at `at`, and what follows
    /// it: the rest of the line, or a key's `: `.
    pub(super) fn scalar(&self, at: usize) -> Scan<(Written<'t>, After)> {
        let first = self.bytes[at];
        if first == b'"' || first == b'\'' {
            let scalar = self.quoted(at)?;
            let rest = self.skip_spaces(scalar.to);
            let after = match self.byte(rest) {
                None => After::End,
                Some(b'#') if rest > scalar.to => After::End,
                Some(b':') if matches!(self.byte(rest + 1), None | Some(b' ')) => {
                    After::Colon(rest)
                }
                _ => return Err(Bail),
            };
            return Ok((scalar, after));
        }
        if !plain_start(first, self.byte(at + 1), false) {
            return Err(Bail);
        }
        Ok(self.plain(at))
    }

    /// A plain scalar in block context, on one line: words up to the end of
    /// the line, a comment, or a key's `: `.
    fn plain(&self, at: usize) -> (Written<'t>, After) {
        let mut word = at;
        loop {
            // A word ends at a space, or at a `:` before a space or the end
            // of the line.
            word = self.find(word, |b| b == b' ' || b == b':');
            while self.byte(word) == Some(b':') && self.byte(word + 1).is_some_and(|b| b != b' ') {
                word = self.find(word + 1, |b| b == b' ' || b == b':');
            }
            let next = self.skip_spaces(word);
            let after = match self.byte(next) {
                None => After::End,
                Some(b'#') if next > word => After::End,
                Some(b':') if matches!(self.byte(next + 1), None | Some(b' ')) => {
                    After::Colon(next)
                }
                _ => {
                    word = next;
                    continue;
                }
            };
            let scalar = Written {
                value: Cow::Borrowed(&self.text[at..word]),
                style: ScalarStyle::Plain,
                from: at,
                to: word,
            };
            return (scalar, after);
        }
    }

    /// A single- or double-quoted scalar that closes on its line.
    pub(super) fn quoted(&self, at: usize) -> Scan<Written<'t>> {
        let quote = self.bytes[at];
        let mut owned: Option<String> = None;
        let mut run = at + 1;
        let mut i = run;
        loop {
            i = self.find(i, |b| b == quote || (b == b'\\' && quote == b'"'));
            let escaped = match (self.byte(i).ok_or(Bail)?, self.byte(i + 1)) {
                (b'\'', Some(b'\'')) if quote == b'\'' => '\'',
                (b'\\', next) => next.and_then(escape).ok_or(Bail)?,
                _ => break,
            };
            let value = owned.get_or_insert_with(String::new);
            value.push_str(&self.text[run..i]);
            value.push(escaped);
            i += 2;
            run = i;
        }
        let value = match owned {
            None => Cow::Borrowed(&self.text[at + 1..i]),
            Some(mut value) => {
                value.push_str(&self.text[run..i]);
                Cow::Owned(value)
            }
        };
        let style = if quote == b'"' {
            ScalarStyle::DoubleQuoted
        } else {
            ScalarStyle::SingleQuoted
        };
        Ok(Written {
            value,
            style,
            from: at,
            to: i + 1,
        })
    }

    /// A folded (`>`) or literal (`|`) block scalar, clipped or stripped
    /// (`-`), whose lines all start at the indentation of its first, in a
    /// collection at column `parent`. Leaves the current line at the line
    /// where granit-parser ends it.
    pub(super) fn block_scalar(&mut self, at: usize, parent: usize) -> Scan {
        let literal = self.bytes[at] == b'|';
        let strip = self.byte(at + 1) == Some(b'-');
        let header = at + 1 + usize::from(strip);
        let rest = self.skip_spaces(header);
        if !(rest == self.end || (rest > header && self.bytes[rest] == b'#')) {
            return Err(Bail);
        }
        self.next_line();
        let indent = self.indent;
        // An empty scalar, or blank lines before its first: bail.
        if self.done() || indent <= parent || self.start + indent == self.end {
            return Err(Bail);
        }
        let from = self.mark(self.start + indent);
        let mut value = String::new();
        let to = loop {
            value.push_str(&self.text[self.start + indent..self.end]);
            if self.end == self.text.len() {
                let to = self.mark(self.end);
                self.next_line();
                break to;
            }
            self.next_line();
            let mut blank_lines = 0;
            while self.start + self.indent == self.end {
                if self.indent > indent {
                    // Spaces beyond the indentation are content.
                    return Err(Bail);
                }
                if self.end == self.text.len() {
                    break;
                }
                blank_lines += 1;
                self.next_line();
            }
            if self.start + self.indent == self.end || self.indent < indent {
                let to = self.mark(self.start + self.indent.min(indent));
                if self.end == self.text.len() && self.start + self.indent == self.end {
                    self.next_line();
                }
                break to;
            }
            if self.indent > indent {
                return Err(Bail);
            }
            let breaks = if literal {
                blank_lines + 1
            } else {
                blank_lines
            };
            if breaks == 0 {
                value.push(' ');
            }
            value.extend(std::iter::repeat_n('\n', breaks));
        };
        if !strip {
            value.push('\n');
        }
        let blank = value.trim().is_empty();
        let span = Span::new(from, to).with_indent((!blank).then_some(indent));
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        self.push(Event::Scalar(Cow::Owned(value), style, 0, None), span);
        Ok(())
    }
}

/// The character a one-character escape in a double-quoted scalar stands
/// for; the others (`\x`, `\u`, `\U`, a line break) are left to
/// granit-parser.
fn escape(b: u8) -> Option<char> {
    Some(match b {
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        _ => return None,
    })
}
