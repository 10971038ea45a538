//! YAML files into the located value tree, built from granit-parser's
//! events.
//!
//! Each node keeps its byte span; numbers keep the text they were written
//! with, so that money is never rounded through `f64`. Scalars are typed,
//! merge keys merged and input limits counted as serde-saphyr did when
//! planc read YAML through it (see [`scalar`] and [`build`]), in one pass
//! with no intermediate values.

mod build;
mod fast;
mod keys;
mod problem;
mod scalar;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceFile, Span};
use problem::Problem;

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

/// Whether the fast path reads `text` and then gives exactly what
/// granit-parser gives (an `Err` says where they part): the fuzz target
/// `yaml_fast_path` looks for a text where they part.
pub fn fast_path_agrees(text: &str) -> Result<bool, String> {
    fast::agrees(text)
}

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

    fn text_at(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn spans_cover_what_they_always_covered() {
        let text = "a: 1\nb: [x, \"y\", {c: d}]\nc:\n  - 1\nd: |\n  lit\n? [k]\n: v\n";
        let root = load(text).unwrap();
        assert_eq!(root.span, Span::new(FileId(0), 0, 0));
        let entries = root.entries().unwrap();
        assert_eq!(text_at(text, entries[1].key_span), "b");
        let b = &entries[1].value;
        assert_eq!(text_at(text, b.span), "[");
        let Value::Seq(items) = &b.value else {
            panic!()
        };
        assert_eq!(text_at(text, items[1].span), "\"y\"");
        assert_eq!(items[1].value, Value::Str("y".into()));
        assert_eq!(text_at(text, items[2].span), "{");
        // A block sequence starts, zero-wide, at its first `-`.
        let c = &entries[2].value;
        assert_eq!((c.span.start, c.span.end), (30, 30));
        // A literal block is located at its text, after the `|`.
        assert_eq!(text_at(text, entries[3].value.span), "lit\n");
        // A key that is not a scalar has no text.
        assert_eq!(entries[4].key, "");
        assert_eq!(text_at(text, entries[4].key_span), "[");
    }

    #[test]
    fn aliases_and_merges_are_copied_and_located_where_they_are_used() {
        let text = "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nn: *b\n";
        let root = load(text).unwrap();
        let m = root.get("m").unwrap().entries().unwrap();
        // Keys written in the mapping first, then what the merge adds.
        assert_eq!(
            m.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
            ["y", "x"]
        );
        assert_eq!(text_at(text, m[1].key_span), "*b");
        assert_eq!(text_at(text, m[1].value.span), "*b");
        // A copied number keeps the text it was written with.
        assert_eq!(m[1].value.value, Value::Number("1".into()));
        let n = root.get("n").unwrap();
        assert_eq!(text_at(text, n.span), "*b");
        assert_eq!(n.get("y").unwrap().value, Value::Number("2".into()));
    }

    #[test]
    fn keys_are_told_apart_as_before() {
        // `1` and `0x1` are one integer; `"1"` is text.
        assert_eq!(load("1: a\n0x1: b\n").unwrap_err().code, Code::DuplicateKey);
        assert!(load("1: a\n\"1\": b\n").is_ok());
        // `true` as a key is compared by its text.
        let err = load("true: 1\n\"true\": 2\n").unwrap_err();
        assert_eq!(err.message, "key `true` appears twice in one mapping");
        assert_eq!(err.primary.span.start, 8);
        // Keys that are collections compare by content, in any order.
        let err = load("? {a: 1, b: 2}\n: x\n? {b: 2, a: 1}\n: y\n").unwrap_err();
        assert_eq!(err.message, "a key appears twice in one mapping");
        // A merged key that is already there is dropped, not refused.
        let root = load("a: &a {k: 1}\nb: {k: 2, <<: *a}\n").unwrap();
        assert_eq!(root.get("b").unwrap().entries().unwrap().len(), 1);
        // Many keys: looked up by hash, still found.
        let mut many: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        assert!(load(&many).is_ok());
        many.push_str("k57: again\n");
        assert_eq!(load(&many).unwrap_err().code, Code::DuplicateKey);
    }

    #[test]
    fn what_is_wrong_inside_a_key_waits_for_the_key() {
        // serde-saphyr read a complex key whole before reading its parts:
        // a syntax error later in the key comes first.
        let err = load("? {a: .inf, b: [\n").unwrap_err();
        assert_eq!(err.code, Code::Syntax);
        assert!(!err.message.contains("non-finite"), "{}", err.message);
        // A merged entry that is overridden is never read.
        assert!(load("m: {a: 1, <<: {a: .inf}}\n").is_ok());
        let err = load("m: {<<: {a: .inf}, b: .nan}\n").unwrap_err();
        assert!(err.message.contains(".nan"), "{}", err.message);
        // A `<<` value was read whole before its keys were compared: a bad
        // nested `<<` comes before a duplicate key written earlier, ...
        let err = load("m: {<<: {a: 1, a: 2, <<: 5}}\n").unwrap_err();
        assert_eq!((err.code, err.primary.span.start), (Code::Syntax, 25));
        // ... and each item of a `<<` sequence is read whole in turn.
        let err = load("m: {<<: [{a: 1, <<: [5]}, {b: 1, b: 2}]}\n").unwrap_err();
        assert_eq!((err.code, err.primary.span.start), (Code::Syntax, 21));
    }

    #[test]
    fn scalars_are_typed_as_before() {
        let root = load(
            "a: ~\nb: true\nc: 0x1F\nd: 1_000\ne: '12'\nf: !!str 12\ng: yes\nh: 0123\ni: !!binary aGVsbG8=\n",
        )
        .unwrap();
        let value = |k: &str| root.get(k).unwrap().value.clone();
        assert_eq!(value("a"), Value::Null);
        assert_eq!(value("b"), Value::Bool(true));
        assert_eq!(value("c"), Value::Number("0x1F".into()));
        assert_eq!(value("d"), Value::Number("1_000".into()));
        assert_eq!(value("e"), Value::Str("12".into()));
        assert_eq!(value("f"), Value::Str("12".into()));
        assert_eq!(value("g"), Value::Str("yes".into()));
        assert_eq!(value("h"), Value::Number("0123".into()));
        assert_eq!(value("i"), Value::Str("hello".into()));
        for (text, message) in [
            (
                "a: .inf\n",
                "invalid YAML: non-finite float `.inf` rejected by the configured policy",
            ),
            ("a: !!int x\n", "invalid YAML: invalid u64"),
            ("a: !!map [1]\n", "invalid YAML: unsupported tag `!!map`"),
            (
                "a: &a [*a]\n",
                "invalid YAML: recursive references require weak recursion types",
            ),
            (
                "m: {<<: 5}\n",
                "invalid YAML: YAML merge value must be mapping or sequence of mappings",
            ),
            ("a: *b\n", "invalid YAML: alias references unknown anchor"),
        ] {
            let err = load(text).unwrap_err();
            assert_eq!(
                (err.code, err.message.as_str()),
                (Code::Syntax, message),
                "{text:?}"
            );
        }
    }

    #[test]
    fn one_document_per_file() {
        let err = load("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.code, Code::Syntax);
        assert_eq!(err.primary.message, "a second document starts here");
        assert_eq!((err.primary.span.start, err.primary.span.end), (5, 8));
        assert!(load("a: 1\n...\n").is_ok());
    }

    #[test]
    fn limits_stop_the_file_where_it_crosses_them() {
        let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
        let err = load(&deep).unwrap_err();
        assert_eq!(err.code, Code::InputBudget);
        assert_eq!(err.primary.message, "budget breached: Depth { depth: 65 }");
        assert_eq!(err.primary.span.start, 64);
        // Deeper still, the parser's own limit.
        let err = load(&"[".repeat(300)).unwrap_err();
        assert_eq!(err.code, Code::InputBudget);
        // Many aliases to one big anchor: the replay limit, at the alias.
        let mut text = format!("a: &a [{}]\nb: [", vec!["x"; 1000].join(", "));
        text.push_str(&vec!["*a"; 150].join(", "));
        text.push_str("]\n");
        let err = load(&text).unwrap_err();
        assert_eq!(err.code, Code::InputBudget);
        assert_eq!(
            err.primary.message,
            "alias replay limit exceeded: total_replayed_events=100001 > 100000"
        );
        assert_eq!(text_at(&text, err.primary.span), "*a");
        // A long string aliased many times: stopped by the bytes copied,
        // at once and in little memory.
        let text = format!(
            "a: &a \"{}\"\nb: [{}]\n",
            "x".repeat(2_000_000),
            vec!["*a"; 900].join(", ")
        );
        let started = std::time::Instant::now();
        let err = load(&text).unwrap_err();
        assert_eq!(err.code, Code::InputBudget);
        assert!(err.primary.message.starts_with("anchors and aliases copy"));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
