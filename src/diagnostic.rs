//! Diagnostics as data. Checks produce them; `report` renders them.

use crate::codes::Code;
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A place in a file and what to say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is.
    pub primary: Label,
    /// Related places, e.g. where a name is declared.
    pub secondary: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
    /// Levels set in planc.toml or a plan cannot change or quiet it: money
    /// that cannot be read, funds that do not balance.
    pub locked: bool,
    /// The change that certainly fixes it, when there is exactly one:
    /// `planc fix` applies it (see `crate::fix`). Boxed: most diagnostics
    /// have none, and a diagnostic stays small.
    pub fix: Option<Box<Fix>>,
}

/// A machine-applicable fix: edits to the file a diagnostic is about.
/// Attached only where planc knows the single right answer, and never one
/// that changes a figure's value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    /// What it does, for people: "rename `cots` to `cost`".
    pub description: String,
    pub edits: Vec<Edit>,
}

/// One token of a file replaced.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    /// The whole token: a key, or a scalar with its quotes if it has any.
    pub span: Span,
    /// The new token, or for [`EditKind::Text`] the text it must read as.
    pub replacement: String,
    pub kind: EditKind,
}

/// What an edit replaces, which says how the new token is written and what
/// the file must read as afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EditKind {
    /// A mapping's key, renamed to `replacement`: a bare name such as
    /// `cost`, valid as a YAML key and a TOML bare key.
    Key,
    /// A scalar that is an amount, written as `replacement`: plain digits
    /// such as `36000` or `4462.20`, a number in YAML and in TOML. The file
    /// must read the same amount there afterwards.
    Amount,
    /// A scalar that is text (an id), to read as `replacement`: written in
    /// the token's own style, quoted or plain, as the file's syntax needs.
    Text,
}

impl Edit {
    pub fn new(span: Span, kind: EditKind, replacement: impl Into<String>) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
            kind,
        }
    }
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.info().severity,
            message: message.into(),
            primary: Label::new(span, ""),
            secondary: Vec::new(),
            help: None,
            locked: !code.adjustable(),
            fix: None,
        }
    }

    /// Attaches a fix that replaces one token.
    pub fn with_fix(mut self, description: impl Into<String>, edit: Edit) -> Self {
        self.fix = Some(Box::new(Fix {
            description: description.into(),
            edits: vec![edit],
        }));
        self
    }

    pub fn locked(mut self) -> Self {
        self.locked = true;
        self
    }

    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.message = text.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label::new(span, text));
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(text.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// Where checks put what they find. Checks never print.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// How many diagnostics there are so far: a mark for `lock_since`.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Locks every diagnostic pushed since `mark`: they are why money is
    /// unknown, so no level may quiet them.
    pub fn lock_since(&mut self, mark: usize) {
        for d in self.items.iter_mut().skip(mark) {
            d.locked = true;
            if d.severity != Severity::Error {
                d.severity = Severity::Error;
            }
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Diagnostic> {
        self.items.iter_mut()
    }

    /// Stable order for output: by file, position, then code.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (a.primary.span, a.code, &a.message).cmp(&(b.primary.span, b.code, &b.message))
        });
        self.items.dedup();
        self.items
    }
}
