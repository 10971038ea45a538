//! The located value tree: what YAML and TOML files are both parsed into.
//!
//! YAML (built from the parser's events) and TOML (through toml's
//! `Spanned`) are both parsed into this one tree, whose every node keeps its
//! byte span, so the model is decoded once for both formats.

use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number exactly as written, so money is never rounded through a float.
    Number(String),
    Str(String),
    /// A date or date-time TOML wrote without quotes, as written.
    Date(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// The kind of value, as a user would name it in an error message.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Number(_) => "a number",
            Value::Str(_) => "text",
            Value::Date(_) => "a date",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// A scalar's text: strings, numbers and dates as written.
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) | Value::Number(s) | Value::Date(s) => Some(s),
            _ => None,
        }
    }

    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.value)
    }
}
