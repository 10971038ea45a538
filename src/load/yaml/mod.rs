//! YAML files into the located value tree, built from granit-parser's
//! events.
//!
//! Each node keeps its byte span; numbers keep the text they were written
//! with, so that money is never rounded through `f64`. Scalars are typed,
//! merge keys merged and input limits counted as serde-saphyr did when
//! planc read YAML through it (see [`scalar`] and [`build`]), in one pass
//! with no intermediate values.

mod build;
mod scalar;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceFile, Span};
use build::Problem;

use super::node::Node;
#[cfg(test)]
use super::node::Value;

/// Input limits for one YAML file. They admit a plan file of more than
/// 100,000 activities and still stop an alias bomb or a stack-deep nesting
/// within milliseconds. Documented in the README.
pub const MAX_DEPTH: usize = 64;
pub const MAX_ALIASES: usize = 1_000;
/// Events that aliases may replay in all, and that anchors may record: an
/// alias bomb is stopped here.
pub const MAX_ALIAS_EVENTS: usize = 100_000;
/// Bytes of text that anchors and aliases may copy in all: a long string
/// aliased many times is stopped here.
pub const MAX_ALIAS_BYTES: usize = 64 * 1024 * 1024;
pub const MAX_NODES: usize = 20_000_000;
pub const MAX_EVENTS: usize = 40_000_000;
/// `<<` merge keys in one file.
pub const MAX_MERGE_KEYS: usize = 10_000;

pub fn parse(file: FileId, source: &SourceFile) -> Result<Node, Diagnostic> {
    let text = source.text.as_str();
    if text.trim_start_matches('\u{feff}').trim().is_empty() || only_comments(text) {
        return Ok(Node {
            span: Span::new(file, 0, 0),
            value: super::node::Value::Null,
        });
    }
    build::build(file, source).map_err(|problem| diagnostic(source, problem))
}

fn only_comments(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

fn diagnostic(source: &SourceFile, problem: Problem) -> Diagnostic {
    let (code, span, message, label, help) = match problem {
        Problem::Duplicate { key, at } => {
            let key = key.map_or_else(|| "a key".to_string(), |k| format!("key `{k}`"));
            (
                Code::DuplicateKey,
                at,
                format!("{key} appears twice in one mapping"),
                "second time".to_string(),
                "remove one of the two entries, or rename it: one of the two values would be lost"
                    .to_string(),
            )
        }
        Problem::Documents { at } => (
            Code::Syntax,
            at,
            "a plan file holds one YAML document, and this one holds more".to_string(),
            "a second document starts here".to_string(),
            "remove the `---` line, or split the file in two".to_string(),
        ),
        Problem::Limit { breach, at } => {
            let what = if breach.is_depth() {
                Exceeded::Depth
            } else if breach.is_alias() {
                Exceeded::Aliases
            } else {
                Exceeded::Size
            };
            budget(at, what, breach.to_string())
        }
        // The parser's own nesting limit, in its words.
        Problem::Syntax { message, at } if message.contains("recursion limit") => {
            budget(at, Exceeded::Depth, first_line(&message).to_string())
        }
        Problem::Syntax { message, at } => syntax(source, at, &message),
        Problem::Invalid { why, at } => syntax(source, at, &why.to_string()),
    };
    Diagnostic::new(code, span, message).label(label).help(help)
}

/// Which kind of input limit a file crossed.
enum Exceeded {
    Depth,
    Aliases,
    Size,
}

fn budget(at: Span, what: Exceeded, label: String) -> (Code, Span, String, String, String) {
    let what = match what {
        Exceeded::Depth => format!("the file nests deeper than {MAX_DEPTH} levels"),
        Exceeded::Aliases => {
            "the file's YAML aliases expand to more than planc reads (an alias bomb?)".to_string()
        }
        Exceeded::Size => "the file is larger than planc's YAML input limits".to_string(),
    };
    (
        Code::InputBudget,
        at,
        what,
        label,
        format!(
            "plan files need no YAML anchors or aliases and at most {MAX_DEPTH} levels of \
             nesting: write the values out"
        ),
    )
}

/// A message's first line, without a trailing location (planc shows the
/// place itself).
fn first_line(message: &str) -> &str {
    let message = message.lines().next().unwrap_or("").trim();
    message.find(" at line ").map_or(message, |i| &message[..i])
}

fn syntax(source: &SourceFile, at: Span, message: &str) -> (Code, Span, String, String, String) {
    let message = first_line(message);
    let help = if message.contains("document") {
        "keep one YAML document per file: remove the `---` line, or split the file in two"
    } else if source.text.contains('\t') && message.to_lowercase().contains("tab") {
        "YAML does not allow tabs for indentation: indent with spaces"
    } else {
        "check the indentation and that every key is followed by `: `"
    };
    (
        Code::Syntax,
        at,
        format!("invalid YAML: {message}"),
        message.to_string(),
        help.to_string(),
    )
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
