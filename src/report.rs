//! Diagnostics out: human-readable through miette, or JSON. Each renderer
//! reads the same diagnostic data.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use serde::Serialize;

use crate::compile::display_path;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceMap, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unicode and colour, for a terminal.
    Fancy,
    /// Unicode without colour (`NO_COLOR` on a terminal).
    Monochrome,
    /// ASCII without colour, for logs, pipes and tests.
    Plain,
}

/// One diagnostic as miette wants it.
#[derive(Debug)]
struct Rendered {
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Option<NamedSource<Arc<String>>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

struct Sources<'a> {
    map: &'a SourceMap,
    shared: HashMap<FileId, Arc<String>>,
}

impl Sources<'_> {
    fn named(&mut self, file: FileId) -> Option<NamedSource<Arc<String>>> {
        let source = self.map.get(file);
        if source.text.is_empty() {
            return None;
        }
        let text = self
            .shared
            .entry(file)
            .or_insert_with(|| Arc::new(source.text.clone()))
            .clone();
        Some(NamedSource::new(display_path(&source.path), text))
    }
}

fn labeled(span: Span, label: &Label) -> LabeledSpan {
    let text = (!label.message.is_empty()).then(|| label.message.clone());
    LabeledSpan::new(text, span.start as usize, span.width())
}

fn rendered(d: &Diagnostic, sources: &mut Sources) -> Rendered {
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    };
    let file = d.primary.span.file;
    let source = sources.named(file);
    let mut labels = Vec::new();
    let mut related = Vec::new();
    if source.is_some() {
        labels.push(labeled(d.primary.span, &d.primary));
    }
    for secondary in &d.secondary {
        if secondary.span.file == file && source.is_some() {
            labels.push(labeled(secondary.span, secondary));
        } else if let Some(other) = sources.named(secondary.span.file) {
            related.push(Rendered {
                severity: miette::Severity::Advice,
                message: secondary.message.clone(),
                help: None,
                source: Some(other),
                labels: vec![labeled(secondary.span, secondary)],
                related: Vec::new(),
            });
        }
    }
    Rendered {
        severity,
        message: d.message.clone(),
        help: d.help.clone(),
        source,
        labels,
        related,
    }
}

/// The diagnostics for a person, then one line that counts them.
pub fn human(diagnostics: &[Diagnostic], sources: &SourceMap, style: Style) -> String {
    let theme = match style {
        Style::Fancy => GraphicalTheme::unicode(),
        Style::Monochrome => GraphicalTheme::unicode_nocolor(),
        Style::Plain => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_context_lines(1);
    let mut sources = Sources {
        map: sources,
        shared: HashMap::new(),
    };
    let mut out = String::new();
    for d in diagnostics {
        let (path, line, column) = sources.map.locate(d.primary.span);
        let whole_file = sources.map.get(d.primary.span.file).text.is_empty();
        let place = if whole_file {
            display_path(path)
        } else {
            format!("{}:{line}:{column}", display_path(path))
        };
        out.push_str(&format!(
            "{place}: {}[{}]\n",
            d.severity.as_str(),
            d.code.id(),
        ));
        let report = rendered(d, &mut sources);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("  {}\n", d.message));
        }
        out.push('\n');
    }
    out
}

/// The closing count: `2 errors, 1 warning in 4 plans`.
pub fn tally(diagnostics: &[Diagnostic], plans: usize) -> String {
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "planc: {}, {}, {} in {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Note), "note"),
        plural(plans, "plan")
    )
}

#[derive(Serialize)]
struct JsonLabel {
    file: String,
    line: usize,
    column: usize,
    message: String,
}

#[derive(Serialize)]
struct JsonDiagnostic {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: String,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    label: String,
    help: Option<String>,
    related: Vec<JsonLabel>,
}

/// One JSON object per diagnostic, in an array.
pub fn json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let locate = |span: Span| {
        let (path, line, column) = sources.locate(span);
        (display_path(path), line, column)
    };
    let items: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| {
            let (file, line, column) = locate(d.primary.span);
            let end = Span::new(
                d.primary.span.file,
                d.primary.span.end as usize,
                d.primary.span.end as usize,
            );
            let (_, end_line, end_column) = locate(end);
            JsonDiagnostic {
                code: d.code.id(),
                name: d.code.info().name,
                severity: d.severity.as_str(),
                message: d.message.clone(),
                file,
                line,
                column,
                end_line,
                end_column,
                label: d.primary.message.clone(),
                help: d.help.clone(),
                related: d
                    .secondary
                    .iter()
                    .map(|s| {
                        let (file, line, column) = locate(s.span);
                        JsonLabel {
                            file,
                            line,
                            column,
                            message: s.message.clone(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}
