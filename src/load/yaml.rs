//! YAML files into the located value tree, through serde-saphyr.
//!
//! serde-saphyr gives each node its location; numbers are re-read from the
//! source text at that location so that money is never rounded through `f64`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, DuplicateKeyPolicy, Location, Options, Spanned};

use super::node::{Entry, Node, Value};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceFile, Span};

/// Input limits for one YAML file. They admit a plan file of more than
/// 100,000 activities and still stop an alias bomb or a stack-deep nesting
/// within milliseconds. Documented in the README.
pub const MAX_DEPTH: usize = 64;
pub const MAX_ALIASES: usize = 1_000;
/// Events that aliases may replay in all: an alias bomb is stopped here.
pub const MAX_ALIAS_EVENTS: usize = 100_000;
pub const MAX_NODES: usize = 20_000_000;
pub const MAX_EVENTS: usize = 40_000_000;

fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_aliases = MAX_ALIASES;
    budget.max_anchors = MAX_ALIASES;
    budget.max_recorded_anchor_events = MAX_ALIAS_EVENTS;
    budget.max_nodes = MAX_NODES;
    budget.max_events = MAX_EVENTS;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = usize::MAX;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = MAX_ALIAS_EVENTS;
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.strict_booleans = true;
    options.with_snippet = false;
    options
}

pub fn parse(file: FileId, source: &SourceFile) -> Result<Node, Diagnostic> {
    let text = source.text.as_str();
    if text.trim_start_matches('\u{feff}').trim().is_empty() || only_comments(text) {
        return Ok(Node {
            span: Span::new(file, 0, 0),
            value: Value::Null,
        });
    }
    match serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options()) {
        Ok(root) => Ok(to_node(file, source, root)),
        Err(err) => Err(error_diagnostic(file, source, &err)),
    }
}

fn only_comments(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

fn error_diagnostic(file: FileId, source: &SourceFile, err: &serde_saphyr::Error) -> Diagnostic {
    let span = err.location().map_or(Span::new(file, 0, 0), |loc| {
        location_span(file, source, &loc)
    });
    let message = without_location(&first_line(&err.to_string()));
    let budget = matches!(err, serde_saphyr::Error::Budget { .. })
        || message.contains("budget breached")
        || message.contains("recursion limit");
    let duplicate = match err {
        serde_saphyr::Error::DuplicateMappingKey { key, .. } => Some(key.clone()),
        _ => None,
    };
    let (code, message, label, help) = if let Some(key) = duplicate {
        let key = key.map_or_else(|| "a key".to_string(), |k| format!("key `{k}`"));
        (
            Code::DuplicateKey,
            format!("{key} appears twice in one mapping"),
            "second time".to_string(),
            "remove one of the two entries, or rename it: one of the two values would be lost"
                .to_string(),
        )
    } else if budget && message.contains("Documents") {
        (
            Code::Syntax,
            "a plan file holds one YAML document, and this one holds more".to_string(),
            "a second document starts here".to_string(),
            "remove the `---` line, or split the file in two".to_string(),
        )
    } else if budget {
        let what = if message.contains("Depth") || message.contains("recursion") {
            format!("the file nests deeper than {MAX_DEPTH} levels")
        } else if message.contains("Alias")
            || message.contains("Anchor")
            || message.contains("Replay")
        {
            "the file's YAML aliases expand to more than planc reads (an alias bomb?)".to_string()
        } else {
            "the file is larger than planc's YAML input limits".to_string()
        };
        (
            Code::InputBudget,
            what,
            message,
            format!(
                "plan files need no YAML anchors or aliases and at most {MAX_DEPTH} levels of \
                 nesting: write the values out"
            ),
        )
    } else {
        let help = if message.contains("document") {
            "keep one YAML document per file: remove the `---` line, or split the file in two"
        } else if source.text.contains('\t') && message.to_lowercase().contains("tab") {
            "YAML does not allow tabs for indentation: indent with spaces"
        } else {
            "check the indentation and that every key is followed by `: `"
        };
        (
            Code::Syntax,
            format!("invalid YAML: {message}"),
            message,
            help.to_string(),
        )
    };
    Diagnostic::new(code, span, message).label(label).help(help)
}

/// serde-saphyr ends messages with " at line N, column M"; planc shows the
/// place itself.
fn without_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_string()
}

fn location_span(file: FileId, source: &SourceFile, loc: &Location) -> Span {
    let span = loc.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(start), Some(len)) => {
            let start = usize::try_from(start)
                .unwrap_or(usize::MAX)
                .min(source.text.len());
            let end = start.saturating_add(usize::try_from(len).unwrap_or(0));
            Span::new(file, start, end.min(source.text.len()))
        }
        _ => {
            let line = usize::try_from(loc.line()).unwrap_or(0);
            let column = usize::try_from(loc.column()).unwrap_or(0);
            let start = source.offset_of(line, column);
            Span::new(file, start, start)
        }
    }
}

/// A YAML value as serde-saphyr hands it over, before spans are resolved.
enum Raw {
    Null,
    Bool(bool),
    Number,
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

fn to_node(file: FileId, source: &SourceFile, raw: Spanned<Raw>) -> Node {
    let span = location_span(file, source, &raw.referenced);
    let value = match raw.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Number => Value::Number(source.slice(span).trim().to_string()),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(
            items
                .into_iter()
                .map(|item| to_node(file, source, item))
                .collect(),
        ),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| {
                    let key = to_node(file, source, key);
                    Entry {
                        key: key.scalar_text().unwrap_or_default().to_string(),
                        key_span: key.span,
                        value: to_node(file, source, value),
                    }
                })
                .collect(),
        ),
    };
    Node { span, value }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Raw, E> {
        Ok(Raw::Number)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Raw, E> {
        Ok(Raw::Number)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Raw, E> {
        Ok(Raw::Number)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Raw, E> {
        Ok(Raw::Number)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Raw, E> {
        Ok(Raw::Number)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Raw>>()? {
            let value = map.next_value::<Spanned<Raw>>()?;
            entries.push((key, value));
        }
        Ok(Raw::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Node, Diagnostic> {
        let source = SourceFile::new("t.yaml".into(), text.to_string());
        parse(FileId(0), &source)
    }

    #[test]
    fn numbers_keep_their_written_text_and_span() {
        let text = "cost:\n  amount: 4462.20\n  years: {2009: 11000}\n";
        let node = load(text).unwrap();
        let amount = node.get("cost").unwrap().get("amount").unwrap();
        assert_eq!(amount.value, Value::Number("4462.20".into()));
        assert_eq!(
            &text[amount.span.start as usize..amount.span.end as usize],
            "4462.20"
        );
        let years = node.get("cost").unwrap().get("years").unwrap();
        assert_eq!(years.entries().unwrap()[0].key, "2009");
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second_key() {
        let err = load("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.code, Code::DuplicateKey);
        assert_eq!(err.primary.span.start, 10);
    }

    #[test]
    fn alias_bomb_is_stopped() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            let refs = vec![format!("*a{prev}"); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let err = load(&text).unwrap_err();
        assert_eq!(err.code, Code::InputBudget, "{}", err.message);
    }

    #[test]
    fn empty_and_comment_only_files_are_null() {
        assert_eq!(load("").unwrap().value, Value::Null);
        assert_eq!(load("# nothing yet\n").unwrap().value, Value::Null);
    }
}
