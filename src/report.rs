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
            let (file, line, column, end_line, end_column) = place(d, sources);
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

/// Where a diagnostic is, for the CI formats: path, line, column, end line,
/// end column.
fn place(d: &Diagnostic, sources: &SourceMap) -> (String, usize, usize, usize, usize) {
    let (path, line, column) = sources.locate(d.primary.span);
    let end = Span::new(
        d.primary.span.file,
        d.primary.span.end as usize,
        d.primary.span.end as usize,
    );
    let (_, end_line, end_column) = sources.locate(end);
    (display_path(path), line, column, end_line, end_column)
}

/// GitHub Actions workflow commands: one `::error` / `::warning` /
/// `::notice` line per diagnostic, shown on the file's line in the pull
/// request.
pub fn github(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    // Workflow-command escaping: data escapes %, CR and LF; properties also
    // `:` and `,`.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in diagnostics {
        let (path, line, column, end_line, end_column) = place(d, sources);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}\n",
            property(&path),
            property(&format!("{} {}", d.code.id(), d.code.info().name)),
            data(&message)
        ));
    }
    out
}

/// A stable fingerprint (FNV-1a, 64 bits) for GitLab to tell findings apart
/// between runs.
fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// GitLab Code Quality report: a JSON array of findings.
pub fn gitlab(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let (path, line, _, _, _) = place(d, sources);
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Note => "info",
            };
            serde_json::json!({
                "description": format!("{} {}", d.code.id(), d.message),
                "check_name": d.code.id(),
                "fingerprint": fingerprint(&[d.code.id(), &path, &line.to_string(), &d.message]),
                "severity": severity,
                "location": { "path": path, "lines": { "begin": line } },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

/// SARIF 2.1.0: the rules planc has, and one result per diagnostic.
pub fn sarif(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let rules: Vec<serde_json::Value> = crate::codes::Code::ALL
        .iter()
        .map(|code| {
            let info = code.info();
            serde_json::json!({
                "id": info.id,
                "name": info.name,
                "shortDescription": { "text": info.summary },
                "fullDescription": { "text": info.explanation },
                "help": { "text": format!("Wrong:\n{}\n\nRight:\n{}", info.wrong, info.right) },
                "defaultConfiguration": { "level": level(info.severity) },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let (path, line, column, end_line, end_column) = place(d, sources);
            let rule_index = crate::codes::Code::ALL.iter().position(|c| *c == d.code);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(" Help: ");
                message.push_str(help);
            }
            serde_json::json!({
                "ruleId": d.code.id(),
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": path.replace('\\', "/") },
                        "region": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        }
                    }
                }],
            })
        })
        .collect();
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "planc",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}
