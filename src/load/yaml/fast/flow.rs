//! Flow collections that open and close on one line: `[a, "b", {c: d}]`.

use std::borrow::Cow;

use granit_parser::{Event, ScalarStyle, StructureStyle};

use super::scalar::{is_flow, plain_start};
use super::{Bail, MAX_KEY_BYTES, Scan, Scanner, Written};

impl<'t> Scanner<'t> {
    /// The flow sequence or mapping that opens at `at`; returns where it
    /// closes.
    pub(super) fn flow(&mut self, at: usize) -> Scan<usize> {
        self.nest()?;
        let end = if self.bytes[at] == b'[' {
            self.flow_sequence(at)?
        } else {
            self.flow_mapping(at)?
        };
        self.depth -= 1;
        Ok(end)
    }

    fn flow_sequence(&mut self, open: usize) -> Scan<usize> {
        self.push(
            Event::SequenceStart(StructureStyle::Flow, 0, None),
            self.range(open, open + 1),
        );
        let mut at = self.skip_spaces(open + 1);
        loop {
            if self.byte(at) == Some(b']') {
                self.push(Event::SequenceEnd, self.range(at, at + 1));
                return Ok(at + 1);
            }
            let end = self.flow_node(at)?;
            at = self.skip_spaces(end);
            match self.byte(at) {
                Some(b',') => at = self.skip_spaces(at + 1),
                Some(b']') => {}
                // A `:` would make a one-entry mapping of the entry.
                _ => return Err(Bail),
            }
        }
    }

    fn flow_mapping(&mut self, open: usize) -> Scan<usize> {
        self.push(
            Event::MappingStart(StructureStyle::Flow, 0, None),
            self.range(open, open + 1),
        );
        let mut at = self.skip_spaces(open + 1);
        loop {
            if self.byte(at) == Some(b'}') {
                self.push(Event::MappingEnd, self.range(at, at + 1));
                return Ok(at + 1);
            }
            let key = self.flow_scalar(at)?;
            let colon = self.skip_spaces(key.to);
            if self.byte(colon) != Some(b':') || colon - key.from > MAX_KEY_BYTES {
                return Err(Bail);
            }
            let span = self.range(key.from, key.to);
            self.push_scalar(key, span);
            let value = self.skip_spaces(colon + 1);
            let end = match self.byte(value) {
                // Granit-parser places an empty value at the `:`.
                Some(b',' | b'}') => {
                    self.push_null(self.point(colon));
                    value
                }
                Some(_) if value > colon + 1 => self.flow_node(value)?,
                _ => return Err(Bail),
            };
            at = self.skip_spaces(end);
            match self.byte(at) {
                Some(b',') => at = self.skip_spaces(at + 1),
                Some(b'}') => {}
                _ => return Err(Bail),
            }
        }
    }

    /// An entry of a flow collection, or a value of a flow mapping; returns
    /// where it ends.
    fn flow_node(&mut self, at: usize) -> Scan<usize> {
        if matches!(self.byte(at), Some(b'[' | b'{')) {
            return self.flow(at);
        }
        let scalar = self.flow_scalar(at)?;
        let end = scalar.to;
        let span = self.range(scalar.from, end);
        self.push_scalar(scalar, span);
        Ok(end)
    }

    fn flow_scalar(&self, at: usize) -> Scan<Written<'t>> {
        match self.byte(at) {
            Some(b'"' | b'\'') => self.quoted(at),
            Some(first) if plain_start(first, self.byte(at + 1), true) => self.plain_in_flow(at),
            _ => Err(Bail),
        }
    }

    /// A plain scalar in flow context: words up to a flow indicator, a `:`
    /// or a comment.
    fn plain_in_flow(&self, at: usize) -> Scan<Written<'t>> {
        let mut word = at;
        loop {
            word = self.find(word, |b| b == b' ' || b == b':' || is_flow(b));
            if self.byte(word) == Some(b':')
                && self
                    .byte(word + 1)
                    .is_some_and(|b| b != b' ' && !is_flow(b))
            {
                // `a:b` is one scalar to granit-parser.
                return Err(Bail);
            }
            let next = self.skip_spaces(word);
            match self.byte(next) {
                Some(b) if next > word && b != b'#' && b != b':' && !is_flow(b) => word = next,
                _ => break,
            }
        }
        Ok(Written {
            value: Cow::Borrowed(&self.text[at..word]),
            style: ScalarStyle::Plain,
            from: at,
            to: word,
        })
    }
}
