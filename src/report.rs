//! Diagnostics out: human-readable through miette, or JSON. Each renderer
//! reads the same diagnostic data.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use serde::Serialize;

use crate::compile::display_path;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::terminal::{self, visible};

/// Lines longer than this are shown cut to a window around the marked
/// place, so that a minified one-line file prints a readable excerpt.
const WIDE_LINE: usize = 240;
/// Characters kept on each side of a mark in a cut line.
const WINDOW: usize = 60;
/// Files larger than this are shown by excerpts.
const LARGE_FILE: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unicode and colour, for a terminal.
    Fancy,
    /// Unicode without colour (`NO_COLOR` on a terminal).
    Monochrome,
    /// ASCII without colour, for logs, pipes and tests.
    Plain,
}

/// The text a diagnostic points into: the whole file, or, for a file with
/// very long lines or characters a terminal would obey, an excerpt of the
/// lines around the marks, cut and made visible.
#[derive(Debug)]
enum Code {
    Whole(String, Arc<String>),
    Excerpt(Excerpt),
}

/// The column, in characters from the start of its line, of a byte offset
/// (miette counts bytes, which puts a column after `£` one too far).
fn char_column(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text.get(start..offset)
        .map_or(offset - start, |s| s.chars().count())
}

#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    /// The 0-based line of the file the excerpt starts at.
    first_line: usize,
    /// Per line of the excerpt, the characters cut from its start, less
    /// the `…` shown for them: added to a column to give the file's.
    shifts: Vec<usize>,
}

impl SourceCode for Code {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (name, text, first_line, shift) = match self {
            Code::Whole(name, text) => (name, text.as_str(), 0, 0),
            Code::Excerpt(excerpt) => {
                let line = excerpt.text[..span.offset().min(excerpt.text.len())]
                    .matches('\n')
                    .count();
                let shift = excerpt.shifts.get(line).copied().unwrap_or(0);
                (
                    &excerpt.name,
                    excerpt.text.as_str(),
                    excerpt.first_line,
                    shift,
                )
            }
        };
        let inner = text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + first_line,
            char_column(text, span.offset()) + shift,
            inner.line_count(),
        )))
    }
}

/// Whether a file needs excerpts: a very long line, or an active character.
fn needs_excerpt(file: &SourceFile) -> bool {
    let text = &file.text;
    // A large file too: miette reads a whole file from its start for each
    // diagnostic, an excerpt only the lines it shows.
    text.len() > LARGE_FILE
        || text.chars().any(terminal::is_active_in_source)
        || text.contains("##[")
        || text.lines().any(|l| l.trim_start().starts_with("::"))
        || text.split('\n').any(|line| line.len() > WIDE_LINE)
}

/// The lines around `spans` (all in `file`), each cut to a window around
/// the marks on it and with active characters made visible; and `spans`
/// moved into the excerpt.
fn excerpt(file: &SourceFile, name: String, spans: &[Span]) -> (Excerpt, Vec<(usize, usize)>) {
    let first = spans
        .iter()
        .map(|s| file.line_of(s.start as usize))
        .min()
        .unwrap_or(0);
    let last = spans
        .iter()
        .map(|s| file.line_of(s.end as usize))
        .max()
        .unwrap_or(0);
    let first = first.saturating_sub(1);
    let mut text = String::new();
    // Where each span's start and end land in the excerpt.
    let mut moved: Vec<(Option<usize>, Option<usize>)> = vec![(None, None); spans.len()];
    let mut shifts = Vec::new();
    for line in file.line_ranges(first, last + 1) {
        let marks: Vec<usize> = spans
            .iter()
            .flat_map(|s| [s.start as usize, s.end as usize])
            .filter(|o| line.contains(o) || *o == line.end)
            .collect();
        let window = if line.len() > WIDE_LINE {
            let low = marks.iter().min().copied().unwrap_or(line.start);
            let high = marks.iter().max().copied().unwrap_or(line.start);
            let back = |o: usize, n: usize| {
                file.text[line.start..o]
                    .char_indices()
                    .rev()
                    .nth(n)
                    .map_or(line.start, |(i, _)| line.start + i)
            };
            let ahead = |o: usize, n: usize| {
                file.text[o..line.end]
                    .char_indices()
                    .nth(n)
                    .map_or(line.end, |(i, _)| o + i)
            };
            let start = back(low, WINDOW);
            // A mark wider than the window is cut too: its start is kept.
            let end = ahead(high.min(ahead(low, WINDOW * 2)), WINDOW);
            start..end
        } else {
            line.clone()
        };
        if window.start > line.start {
            // The characters cut, less the one `…` that stands for them.
            text.push('…');
            shifts.push(file.line_col(window.start).1 - 2);
        } else {
            shifts.push(0);
        }
        let at = |offset: usize, text: &String, moved: &mut Vec<(Option<usize>, Option<usize>)>| {
            for (i, s) in spans.iter().enumerate() {
                let clamp = |o: usize| o.clamp(window.start, window.end);
                if (s.start as usize) >= line.start
                    && (s.start as usize) <= line.end
                    && clamp(s.start as usize) == offset
                    && moved[i].0.is_none()
                {
                    moved[i].0 = Some(text.len());
                }
                if (s.end as usize) >= line.start
                    && (s.end as usize) <= line.end
                    && clamp(s.end as usize) == offset
                    && moved[i].1.is_none()
                {
                    moved[i].1 = Some(text.len());
                }
            }
        };
        let shown = &file.text[line.start..window.end];
        for (i, c) in file.text[window.clone()].char_indices() {
            at(window.start + i, &text, &mut moved);
            if terminal::is_active(c)
                || (matches!(c, '#' | ':')
                    && terminal::starts_log_command(shown, window.start - line.start + i))
            {
                text.push_str(&terminal::escape(c));
            } else {
                text.push(c);
            }
        }
        at(window.end, &text, &mut moved);
        if window.end < line.end {
            text.push('…');
        }
        text.push('\n');
    }
    let spans = moved
        .into_iter()
        .map(|(start, end)| {
            let start = start.unwrap_or(0);
            (start, end.unwrap_or(start).max(start))
        })
        .collect();
    (
        Excerpt {
            name,
            text,
            first_line: first,
            shifts,
        },
        spans,
    )
}

/// One diagnostic as miette wants it.
#[derive(Debug)]
struct Rendered {
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Option<Code>,
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
        self.source.as_ref().map(|s| s as &dyn SourceCode)
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
    /// Files that are shown by excerpts.
    cut: HashMap<FileId, bool>,
}

impl Sources<'_> {
    /// The text `spans` point into (all in `file`), and the spans as they
    /// fall in it.
    fn code(&mut self, file: FileId, spans: &[Span]) -> Option<(Code, Vec<(usize, usize)>)> {
        let source = self.map.get(file);
        if source.text.is_empty() {
            return None;
        }
        let name = visible(&display_path(&source.path)).into_owned();
        if *self
            .cut
            .entry(file)
            .or_insert_with(|| needs_excerpt(source))
        {
            let (excerpt, spans) = excerpt(source, name, spans);
            return Some((Code::Excerpt(excerpt), spans));
        }
        let text = self
            .shared
            .entry(file)
            .or_insert_with(|| Arc::new(source.text.clone()))
            .clone();
        let spans = spans
            .iter()
            .map(|s| (s.start as usize, s.end as usize))
            .collect();
        Some((Code::Whole(name, text), spans))
    }
}

fn labeled((start, end): (usize, usize), label: &Label) -> LabeledSpan {
    let text = (!label.message.is_empty()).then(|| visible(&label.message).into_owned());
    LabeledSpan::new(text, start, end - start)
}

fn rendered(d: &Diagnostic, sources: &mut Sources) -> Rendered {
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    };
    let file = d.primary.span.file;
    let here: Vec<&Label> = std::iter::once(&d.primary)
        .chain(d.secondary.iter().filter(|s| s.span.file == file))
        .collect();
    let spans: Vec<Span> = here.iter().map(|l| l.span).collect();
    let (source, labels) = match sources.code(file, &spans) {
        Some((code, moved)) => (
            Some(code),
            here.iter()
                .zip(moved)
                .map(|(label, span)| labeled(span, label))
                .collect(),
        ),
        None => (None, Vec::new()),
    };
    let mut related = Vec::new();
    for secondary in &d.secondary {
        if secondary.span.file == file && source.is_some() {
            continue;
        }
        if let Some((other, moved)) = sources.code(secondary.span.file, &[secondary.span]) {
            related.push(Rendered {
                severity: miette::Severity::Advice,
                message: visible(&secondary.message).into_owned(),
                help: None,
                source: Some(other),
                labels: vec![labeled(moved[0], secondary)],
                related: Vec::new(),
            });
        }
    }
    Rendered {
        severity,
        message: visible(&d.message).into_owned(),
        help: d.help.as_deref().map(|h| visible(h).into_owned()),
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
        cut: HashMap::new(),
    };
    let mut out = String::new();
    for d in diagnostics {
        let (path, line, column) = sources.map.locate(d.primary.span);
        let whole_file = sources.map.get(d.primary.span.file).text.is_empty();
        let shown = visible(&display_path(path)).into_owned();
        let place = if whole_file {
            shown
        } else {
            format!("{shown}:{line}:{column}")
        };
        out.push_str(&format!(
            "{place}: {}[{}]\n",
            d.severity.as_str(),
            d.code.id(),
        ));
        let report = rendered(d, &mut sources);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("  {}\n", visible(&d.message)));
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
    let property = |s: &str| data(&visible(s)).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in diagnostics {
        let (path, line, column, end_line, end_column) = place(d, sources);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        // Plan text in the log shows its control characters, not obeys them.
        let mut message = visible(&d.message).into_owned();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&visible(help));
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
