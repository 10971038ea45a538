//! TOML files into the located value tree.

use toml::de::{DeTable, DeValue};

use super::node::{Entry, Node, Value};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

pub fn parse(file: FileId, text: &str) -> Result<Node, Diagnostic> {
    match DeTable::parse(text) {
        Ok(table) => {
            let span = Span::new(file, 0, text.len());
            Ok(Node {
                span,
                value: table_value(file, table.get_ref()),
            })
        }
        Err(err) => {
            let range = err.span().unwrap_or(0..0);
            let message = err.message().trim().to_string();
            let code = if message.contains("duplicate key") {
                Code::DuplicateKey
            } else {
                Code::Syntax
            };
            let help = if code == Code::DuplicateKey {
                "remove one of the two entries, or rename it"
            } else {
                "fix the TOML syntax at the marked place (quotes around text, `key = value`, \
                 `[[table]]` for list items)"
            };
            Err(Diagnostic::new(
                code,
                Span::new(file, range.start, range.end),
                format!("invalid TOML: {message}"),
            )
            .label(message)
            .help(help))
        }
    }
}

fn table_value(file: FileId, table: &DeTable<'_>) -> Value {
    Value::Map(
        table
            .iter()
            .map(|(key, value)| {
                let key_span = key.span();
                Entry {
                    key: key.get_ref().to_string(),
                    key_span: Span::new(file, key_span.start, key_span.end),
                    value: node(file, value.span(), value.get_ref()),
                }
            })
            .collect(),
    )
}

fn node(file: FileId, range: std::ops::Range<usize>, value: &DeValue<'_>) -> Node {
    let value = match value {
        DeValue::String(s) => Value::Str(s.to_string()),
        // With its radix prefix (`0x10`), so that money never reads a
        // hexadecimal, octal or binary integer as decimal digits.
        DeValue::Integer(i) => Value::Number(i.to_string()),
        DeValue::Float(f) => Value::Number(f.as_str().to_string()),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Date(d.to_string()),
        DeValue::Array(items) => Value::Seq(
            items
                .iter()
                .map(|item| node(file, item.span(), item.get_ref()))
                .collect(),
        ),
        DeValue::Table(table) => table_value(file, table),
    };
    Node {
        span: Span::new(file, range.start, range.end),
        value,
    }
}
