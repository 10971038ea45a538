//! A fast path for the plain YAML that plan files are written in: a
//! line-oriented scanner that gives exactly the events, with exactly the
//! spans, that granit-parser gives for the same text, at several times its
//! speed.
//!
//! It takes one document whose root is a block mapping or sequence, with:
//! indentation of spaces; blank and comment lines; block mappings whose keys
//! are plain or quoted scalars on one line; block sequences (`- x`,
//! `- key: v`, `- - x`, `-` before a nested block, and the indentless
//! `key:\n- x`); empty values; one-line plain scalars, single-quoted ones
//! and double-quoted ones whose escapes are one character (`\"`, `\n`, ...);
//! folded and literal block scalars (`>`, `>-`, `|`, `|-`) whose lines all
//! start at one indentation; and flow sequences and mappings on one line.
//!
//! On anything else, or anything it is not sure of, it bails: it returns
//! `None` and granit-parser reads the file instead, so that every syntax
//! error is still found, and worded, by granit-parser. It bails on tabs,
//! carriage returns, a byte-order mark or other unusual characters,
//! anchors, aliases, tags, directives, document markers, `?` keys, plain or
//! quoted scalars that go on to another line, flow collections that do, and
//! indentation it does not expect. Its events reach the builder only once
//! the whole file is read, so that the builder never sees part of a file
//! from here and the rest from granit-parser.

use std::borrow::Cow;

use granit_parser::{Event, Marker, ScalarStyle, Span, StructureStyle};

mod flow;
mod scalar;

#[cfg(test)]
mod tests;

/// Nesting deeper than this is left to granit-parser and its limits.
const MAX_NESTING: usize = 48;

/// Keys longer than this are left to granit-parser: it gives up looking
/// for a key's `:` after 1,024 characters.
const MAX_KEY_BYTES: usize = 1000;

/// The events, with their spans, that granit-parser gives for `text`, or
/// `None` if `text` is not in the subset this scanner reads.
pub(super) fn events(text: &str) -> Option<Vec<(Event<'_>, Span)>> {
    let ascii = plain_characters(text)?;
    let mut scanner = Scanner::new(text, ascii);
    scanner.document().ok()?;
    Some(scanner.events)
}

/// The scanner gives the file back to granit-parser.
struct Bail;

type Scan<T = ()> = Result<T, Bail>;

/// Whether all of `text` is ASCII, if it has printable characters and line
/// feeds only: no tab, carriage return, byte-order mark or next-line
/// (U+0085), whose handling this scanner leaves to granit-parser.
fn plain_characters(text: &str) -> Option<bool> {
    // Chunks checked whole, without stopping early, are vectorized.
    let plain_ascii = |chunk: &[u8]| {
        chunk.iter().fold(true, |plain, &b| {
            plain & ((b == b'\n') | (b.wrapping_sub(b' ') <= b'~' - b' '))
        })
    };
    if text.as_bytes().chunks(64).all(plain_ascii) {
        return Some(true);
    }
    let plain = text.chars().all(|c| {
        matches!(c as u32,
            0x0A | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFEFE | 0xFF00..=0xFFFD | 0x1_0000..)
    });
    plain.then_some(false)
}

/// A scalar as written: its value, style and the bytes it spans.
struct Written<'t> {
    value: Cow<'t, str>,
    style: ScalarStyle,
    from: usize,
    to: usize,
}

/// What follows a scalar on its line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    /// Nothing, or a comment.
    End,
    /// The `:` (at this byte) that makes it a key.
    Colon(usize),
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    ascii: bool,
    /// The line being read: its first byte, its end (its `\n`, or the end
    /// of the text), its number (from 1), the characters before it, and
    /// its indentation. Past the last line, `start` is beyond the text.
    start: usize,
    end: usize,
    line: usize,
    chars_before: usize,
    indent: usize,
    /// Where the text ends, as granit-parser marks it: set on leaving the
    /// last line.
    end_of_text: Marker,
    depth: usize,
    events: Vec<(Event<'t>, Span)>,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str, ascii: bool) -> Self {
        let mut scanner = Scanner {
            text,
            bytes: text.as_bytes(),
            ascii,
            start: 0,
            end: 0,
            line: 1,
            chars_before: 0,
            indent: 0,
            end_of_text: Marker::default(),
            depth: 0,
            // Plan files have an event every 15 bytes or more.
            events: Vec::with_capacity(text.len() / 12),
        };
        scanner.enter_line();
        scanner
    }

    fn done(&self) -> bool {
        self.start > self.text.len()
    }

    /// Finds the end and indentation of the line that starts at `start`.
    fn enter_line(&mut self) {
        self.end = self.text[self.start..]
            .find('\n')
            .map_or(self.text.len(), |i| self.start + i);
        self.indent = self.bytes[self.start..self.end]
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
    }

    fn next_line(&mut self) {
        if self.end == self.text.len() {
            self.end_of_text = self.mark(self.end);
            self.start = self.text.len() + 1;
            return;
        }
        self.chars_before = self.mark(self.end).index() + 1;
        self.start = self.end + 1;
        self.line += 1;
        self.enter_line();
    }

    /// Moves to the next line with content, if any: not blank, not only a
    /// comment.
    fn skip_blank_lines(&mut self) -> Scan {
        while !self.done() {
            let first = self.start + self.indent;
            if first < self.end && self.bytes[first] != b'#' {
                return if self.indent == 0 && self.document_marker() {
                    Err(Bail)
                } else {
                    Ok(())
                };
            }
            self.next_line();
        }
        Ok(())
    }

    /// A `---` or `...` line, which starts or ends a document.
    fn document_marker(&self) -> bool {
        let line = &self.bytes[self.start..self.end];
        (line.starts_with(b"---") || line.starts_with(b"..."))
            && line.get(3).is_none_or(|&b| b == b' ')
    }

    /// The marker of a byte of the current line, or of its end.
    fn mark(&self, at: usize) -> Marker {
        let col = if self.ascii {
            at - self.start
        } else {
            self.text[self.start..at].chars().count()
        };
        Marker::new(self.chars_before + col, self.line, col).with_byte_offset(Some(at))
    }

    fn point(&self, at: usize) -> Span {
        Span::empty(self.mark(at))
    }

    fn range(&self, from: usize, to: usize) -> Span {
        Span::new(self.mark(from), self.mark(to))
    }

    /// Where granit-parser closes the block collections that end here: at
    /// the next token, or at the end of the text.
    fn next_token(&self) -> Span {
        if self.done() {
            Span::empty(self.end_of_text)
        } else {
            self.point(self.start + self.indent)
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        (at < self.end).then(|| self.bytes[at])
    }

    /// The first byte from `at` on the current line that is a `stop`, or
    /// the end of the line.
    fn find(&self, at: usize, stop: impl Fn(u8) -> bool) -> usize {
        self.bytes[at..self.end]
            .iter()
            .position(|&b| stop(b))
            .map_or(self.end, |i| at + i)
    }

    fn skip_spaces(&self, mut at: usize) -> usize {
        while self.byte(at) == Some(b' ') {
            at += 1;
        }
        at
    }

    /// A block sequence entry's `-` at `at`.
    fn is_entry(&self, at: usize) -> bool {
        self.byte(at) == Some(b'-') && matches!(self.byte(at + 1), None | Some(b' '))
    }

    fn push(&mut self, event: Event<'t>, span: Span) {
        self.events.push((event, span));
    }

    fn push_scalar(&mut self, scalar: Written<'t>, span: Span) {
        self.push(Event::Scalar(scalar.value, scalar.style, 0, None), span);
    }

    /// An empty value, which granit-parser gives as a plain `~`.
    fn push_null(&mut self, span: Span) {
        self.push(
            Event::Scalar(Cow::Borrowed("~"), ScalarStyle::Plain, 0, None),
            span,
        );
    }

    fn nest(&mut self) -> Scan {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Bail);
        }
        Ok(())
    }

    fn document(&mut self) -> Scan {
        self.push(Event::StreamStart, self.point(0));
        self.skip_blank_lines()?;
        if self.done() {
            return Err(Bail);
        }
        let root = self.start + self.indent;
        self.push(Event::DocumentStart(false, None), self.point(root));
        self.block_collection(root)?;
        if !self.done() {
            return Err(Bail);
        }
        let end = Span::empty(self.end_of_text);
        self.push(Event::DocumentEnd, end);
        self.push(Event::StreamEnd, end);
        Ok(())
    }

    /// A block sequence or mapping that starts at `at` on the current line.
    fn block_collection(&mut self, at: usize) -> Scan {
        if self.is_entry(at) {
            return self.block_sequence(at, false);
        }
        match self.scalar(at)? {
            (key, After::Colon(colon)) => self.block_mapping(key, colon),
            (_, After::End) => Err(Bail),
        }
    }

    /// A block mapping, from its first key (already read, not yet pushed).
    /// Everything before a block collection on its line is spaces and `- `,
    /// so its column in bytes is its column in characters.
    fn block_mapping(&mut self, first: Written<'t>, colon: usize) -> Scan {
        self.nest()?;
        let col = first.from - self.start;
        self.push(
            Event::MappingStart(StructureStyle::Block, 0, None),
            self.point(first.from),
        );
        let (mut key, mut colon) = (first, colon);
        loop {
            if colon - key.from > MAX_KEY_BYTES {
                return Err(Bail);
            }
            let span = self.range(key.from, key.to).with_indent(Some(col));
            self.push_scalar(key, span);
            self.mapping_value(colon, col)?;
            if self.done() || self.indent < col {
                break;
            }
            let at = self.start + col;
            // A deeper line would continue a plain scalar, or be an error.
            if self.indent > col || self.is_entry(at) {
                return Err(Bail);
            }
            (key, colon) = match self.scalar(at)? {
                (key, After::Colon(colon)) => (key, colon),
                (_, After::End) => return Err(Bail),
            };
        }
        self.push(Event::MappingEnd, self.next_token());
        self.depth -= 1;
        Ok(())
    }

    /// The value after a key's `:`, in a mapping at column `col`; leaves the
    /// current line at the next line with content.
    fn mapping_value(&mut self, colon: usize, col: usize) -> Scan {
        let at = self.skip_spaces(colon + 1);
        if at < self.end && self.bytes[at] != b'#' {
            return self.value(at, col, false);
        }
        // Granit-parser places an empty value at the `:`.
        let empty = self.point(colon);
        self.next_line();
        self.skip_blank_lines()?;
        if self.done() || self.indent < col {
            self.push_null(empty);
            return Ok(());
        }
        let next = self.start + self.indent;
        if self.indent > col {
            self.block_collection(next)
        } else if self.is_entry(next) {
            self.block_sequence(next, true)
        } else {
            self.push_null(empty);
            Ok(())
        }
    }

    /// A block sequence whose first `-` is at `dash`. An indentless one is
    /// a mapping's value, its entries in the mapping's column.
    fn block_sequence(&mut self, mut dash: usize, indentless: bool) -> Scan {
        self.nest()?;
        let col = dash - self.start;
        if !indentless {
            self.push(
                Event::SequenceStart(StructureStyle::Block, 0, None),
                self.point(dash),
            );
        }
        let mut first = true;
        loop {
            let at = self.skip_spaces(dash + 1);
            let bare = at == self.end || self.bytes[at] == b'#';
            // Granit-parser marks an entry after its `-` and the spaces or
            // comment that follow it.
            let entry = self.point(if bare { self.end } else { at });
            if indentless && first {
                self.push(Event::SequenceStart(StructureStyle::Block, 0, None), entry);
            }
            first = false;
            if bare {
                self.next_line();
                self.skip_blank_lines()?;
                if !self.done() && self.indent > col {
                    self.block_collection(self.start + self.indent)?;
                } else {
                    self.push_null(entry);
                }
            } else {
                self.value(at, col, true)?;
            }
            if self.done() || self.indent < col {
                break;
            }
            let next = self.start + col;
            if self.indent == col && !self.is_entry(next) && indentless {
                break;
            }
            if self.indent > col || !self.is_entry(next) {
                return Err(Bail);
            }
            dash = next;
        }
        self.push(Event::SequenceEnd, self.next_token());
        self.depth -= 1;
        Ok(())
    }

    /// A value that starts at `at`, on the line of its key or `-`, in a
    /// collection at column `col`; a sequence's entry may be a compact
    /// collection. Leaves the current line at the next line with content.
    fn value(&mut self, at: usize, col: usize, entry: bool) -> Scan {
        match self.bytes[at] {
            b'[' | b'{' => {
                let end = self.flow(at)?;
                self.end_of_line(end)?;
                self.skip_blank_lines()
            }
            b'|' | b'>' => {
                self.block_scalar(at, col)?;
                self.skip_blank_lines()
            }
            _ if entry && self.is_entry(at) => self.block_sequence(at, false),
            _ => match self.scalar(at)? {
                (key, After::Colon(colon)) if entry => self.block_mapping(key, colon),
                (_, After::Colon(_)) => Err(Bail),
                (scalar, After::End) => {
                    let span = self.range(scalar.from, scalar.to);
                    self.push_scalar(scalar, span);
                    self.next_line();
                    self.skip_blank_lines()
                }
            },
        }
    }

    /// Only spaces, or spaces and a comment, from `at` to the end of the line.
    fn end_of_line(&mut self, at: usize) -> Scan {
        let rest = self.skip_spaces(at);
        if rest == self.end || (rest > at && self.bytes[rest] == b'#') {
            self.next_line();
            Ok(())
        } else {
            Err(Bail)
        }
    }
}

/// Whether the fast path reads `text`, having checked that it then gives
/// what granit-parser gives: each event, its span (markers, with their
/// character index, line and column, and indentation hint) and its bytes.
/// An `Err` says where they part. For the tests and the `yaml_fast_path`
/// fuzz target.
pub(super) fn agrees(text: &str) -> Result<bool, String> {
    let Some(fast) = events(text) else {
        return Ok(false);
    };
    let mut parser =
        granit_parser::Parser::new_from_str_with_options(text, super::build::parser_options());
    let mut slow = Vec::new();
    while let Some(next) = parser.next_event() {
        match next {
            Ok(event) => slow.push(event),
            Err(_) => {
                return Err("the fast path reads a text that granit-parser refuses".to_string());
            }
        }
    }
    for (i, (f, s)) in fast.iter().zip(&slow).enumerate() {
        if f.0 != s.0 || f.1 != s.1 || f.1.byte_range() != s.1.byte_range() {
            return Err(format!("event {i}: fast {f:?}\n granit {s:?}"));
        }
    }
    if fast.len() != slow.len() {
        return Err(format!(
            "{} events, granit-parser {}",
            fast.len(),
            slow.len()
        ));
    }
    Ok(true)
}
