//! Render: compiled plans into HTML, Markdown and CSV. Builds the view
//! model from the figures, fills the templates, and hands the files to
//! `output` to be written in one step.

pub mod chart;
pub mod csv;
pub mod inert;
pub mod inline;
pub mod output;
pub mod revision;
pub mod templates;
pub mod view;
pub mod xlsx;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use minijinja::value::Serde;
use minijinja::{Value, context};
use rayon::prelude::*;

use crate::compile::{Compilation, display_path};
use crate::diagnostic::Diagnostic;
use crate::figures;
use view::{Draft, PlanView, Problem};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Html,
    Markdown,
    Csv,
    Xlsx,
}

pub struct Request {
    pub formats: Vec<Format>,
    /// Counts pages as they are rendered; hidden unless on a terminal.
    pub progress: indicatif::ProgressBar,
    pub templates: Option<PathBuf>,
    /// The version text for footers; by default read from git.
    pub revision: Option<String>,
    /// A live preview: every plan with problems shows them, as a draft.
    pub preview: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Not a `#[from]`: the engine's error is the message, said once.
    #[error("template {0}")]
    Template(minijinja::Error),
    #[error("CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error(
        "{page}: the template wrote {what}; pages carry no active content, so a template may not write it"
    )]
    Active { page: String, what: String },
    #[error(transparent)]
    Output(#[from] output::OutputError),
}

/// Renders a template into a buffer of limited size, and checks that the
/// page carries no active content.
fn page(
    env: &minijinja::Environment<'_>,
    name: &str,
    context: Value,
    shown_as: &str,
) -> Result<Vec<u8>, RenderError> {
    let mut buffer = inert::Capped::new(inert::MAX_PAGE_BYTES);
    env.get_template(name)?
        .render_captured_to(context, &mut buffer)?;
    let text = String::from_utf8_lossy(&buffer.bytes);
    let active = if name.ends_with(".html") {
        inert::html(&text)
    } else {
        inert::markdown(&text)
    };
    if let Some(what) = active {
        return Err(RenderError::Active {
            page: shown_as.to_string(),
            what,
        });
    }
    Ok(buffer.bytes)
}

impl From<minijinja::Error> for RenderError {
    fn from(e: minijinja::Error) -> Self {
        RenderError::Template(e)
    }
}

/// File names the roll-up writes; no plan's pages may take them.
const RESERVED: &[&str] = &["index", "activities", "funding", "outcomes"];

/// A file name for each plan: its id, made safe, unique, and never one of
/// the roll-up's names.
fn slugs(ids: &[&str]) -> Vec<String> {
    let mut seen: BTreeSet<String> = RESERVED.iter().map(|r| r.to_string()).collect();
    ids.iter()
        .map(|id| {
            let base: String = id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            // No name starts with `-`, which tools would take for an option.
            let base = base.trim_start_matches('-');
            let base = if base.trim_matches('-').is_empty() {
                "plan".to_string()
            } else {
                base.to_string()
            };
            let mut slug = base.clone();
            let mut n = 2;
            // Compared without case: `INDEX.html` is `index.html` on the
            // file systems of Windows and macOS.
            while !seen.insert(slug.to_lowercase()) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            slug
        })
        .collect()
}

/// A string for a CSS `content:` value inside a `<style>` element. Every
/// character but letters, digits, spaces and plain punctuation is written
/// as a CSS escape (`\\22 `), so that no text can end the string (a quote,
/// a line break, a form feed), close the element (`<`) or add rules.
fn css_string(text: &str) -> String {
    text.chars()
        .map(|c| {
            let plain = c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    ' ' | '.' | ',' | ':' | '-' | '_' | '(' | ')' | '/' | '+' | '#'
                )
                || (!c.is_ascii() && !crate::terminal::is_active(c));
            if plain {
                c.to_string()
            } else {
                format!("\\{:x} ", u32::from(c))
            }
        })
        .collect()
}

/// What a build keeps of one plan once its pages are written.
struct Rendered {
    head: view::PlanHead,
    /// Its rows of the CSV files, when they are asked for.
    rows: Option<csv::PlanRows>,
    /// The whole view, only when the county workbook (which lists every
    /// activity of every plan) is asked for.
    view: Option<PlanView>,
}

/// Where rendered files go, each as soon as it is made (from several
/// threads): a map in memory, or the staging directory of `--out`.
pub trait Sink: Sync {
    fn put(&self, path: PathBuf, bytes: Vec<u8>) -> Result<(), RenderError>;

    /// A file made of parts in order (a CSV file, plan by plan).
    fn put_parts(&self, path: PathBuf, parts: Vec<Vec<u8>>) -> Result<(), RenderError> {
        self.put(path, parts.concat())
    }
}

impl Sink for std::sync::Mutex<BTreeMap<PathBuf, Vec<u8>>> {
    fn put(&self, path: PathBuf, bytes: Vec<u8>) -> Result<(), RenderError> {
        self.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path, bytes);
        Ok(())
    }
}

impl Sink for output::Staging {
    fn put(&self, path: PathBuf, bytes: Vec<u8>) -> Result<(), RenderError> {
        Ok(self.add(&path, &bytes)?)
    }

    fn put_parts(&self, path: PathBuf, parts: Vec<Vec<u8>>) -> Result<(), RenderError> {
        Ok(self.add_parts(&path, parts)?)
    }
}

/// Every output file, by path relative to `--out`, in memory.
pub fn render(
    compilation: &Compilation,
    diagnostics: &[Diagnostic],
    request: &Request,
) -> Result<BTreeMap<PathBuf, Vec<u8>>, RenderError> {
    let files = std::sync::Mutex::new(BTreeMap::new());
    render_into(compilation, diagnostics, request, &files)?;
    Ok(files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// Renders every output file into `sink`, each as soon as it is made, so
/// that no more than the pages being rendered are held at once. Returns
/// how many files were written.
pub fn render_into(
    compilation: &Compilation,
    diagnostics: &[Diagnostic],
    request: &Request,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let guard = match &request.templates {
        Some(dir) => crate::load::guard::Guard::new(&compilation.root, std::slice::from_ref(dir)),
        None => crate::load::guard::Guard::new(&compilation.root, &[]),
    };
    let env = templates::environment(request.templates.clone(), guard);
    let locate = |span: crate::source::Span| {
        let (path, line, _) = compilation.sources.locate(span);
        format!("{}:{line}", display_path(path))
    };
    let ids: Vec<&str> = compilation
        .plans
        .iter()
        .map(|p| p.plan.id.value.as_str())
        .collect();
    // Git is asked once about every plan file, not once per plan.
    let plan_files: Vec<&Path> = compilation
        .plans
        .iter()
        .flat_map(|c| &c.plan.files)
        .map(|f| compilation.sources.get(*f).path.as_path())
        .collect();
    let revisions = match &request.revision {
        Some(_) => revision::Revisions::new(&compilation.root, &[]),
        None => revision::Revisions::new(&compilation.root, &plan_files),
    };
    let written = std::sync::atomic::AtomicUsize::new(0);
    let put = |path: PathBuf, bytes: Vec<u8>| {
        written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        sink.put(path, bytes)
    };
    let wants = |format| request.formats.contains(&format);
    let pairs: Vec<_> = compilation
        .plans
        .iter()
        .map(|c| (&c.plan, &c.figures))
        .collect();
    let rollup = figures::rollup(
        &pairs,
        &compilation.unreadable_paths(),
        &compilation.framework,
    );
    let rows_of = view::rollup_rows(&rollup, compilation.plans.len());
    // Each plan's view lives while its pages are written; what the index,
    // the CSV files and the county workbook need of it is kept.
    let rendered: Vec<Rendered> = compilation
        .plans
        .par_iter()
        .zip(slugs(&ids))
        .zip(&rows_of)
        .map(|((compiled, slug), row)| {
            let plan = &compiled.plan;
            let problems: Vec<Problem> = diagnostics
                .iter()
                .filter(|d| plan.files.contains(&d.primary.span.file))
                .map(|d| {
                    let (path, line, column) = compilation.sources.locate(d.primary.span);
                    Problem::new(d, format!("{}:{line}:{column}", display_path(path)))
                })
                .collect();
            let has_errors = problems.iter().any(|p| p.severity == "error");
            // A preview shows every problem; a build, a plan with errors.
            let shown = has_errors || (request.preview && !problems.is_empty());
            let draft = shown.then(|| Draft::new(problems, request.preview));
            let revision = request.revision.clone().unwrap_or_else(|| {
                let files: Vec<&Path> = plan
                    .files
                    .iter()
                    .map(|f| compilation.sources.get(*f).path.as_path())
                    .collect();
                revisions.text(&files)
            });
            let view = view::plan_view(
                compiled,
                &compilation.framework,
                &locate,
                slug,
                revision,
                draft,
            );
            // The view as the templates read it, made once for every page.
            let mut value = None;
            for format in &request.formats {
                let ext = match format {
                    Format::Html => "html",
                    Format::Markdown => "md",
                    Format::Xlsx => {
                        put(
                            PathBuf::from(format!("{}.xlsx", view.slug)),
                            xlsx::plan(&view)?,
                        )?;
                        continue;
                    }
                    Format::Csv => continue,
                };
                let footer = Value::from_safe_string(css_string(&format!(
                    "{} · {}",
                    view.name, view.revision
                )));
                let file = format!("{}.{ext}", view.slug);
                let bytes = page(
                    &env,
                    &format!("plan.{ext}"),
                    context! {
                        plan => value.get_or_insert_with(|| Value::from(Serde(&view))).clone(),
                        footer_css => footer,
                    },
                    &file,
                )?;
                request.progress.inc(1);
                put(PathBuf::from(file), bytes)?;
            }
            Ok(Rendered {
                head: view::PlanHead::of(&view, *row),
                rows: wants(Format::Csv)
                    .then(|| csv::PlanRows::of(&view))
                    .transpose()?,
                view: wants(Format::Xlsx).then_some(view),
            })
        })
        .collect::<Result<_, RenderError>>()?;
    let mut heads = Vec::with_capacity(rendered.len());
    let mut rows = Vec::new();
    let mut views = Vec::new();
    for plan in rendered {
        heads.push(plan.head);
        rows.extend(plan.rows);
        views.extend(plan.view);
    }
    let index = view::index_view(&heads, &rollup);
    let index_revision = request
        .revision
        .clone()
        .unwrap_or_else(|| revisions.text(&plan_files));
    for format in &request.formats {
        match format {
            Format::Html | Format::Markdown => {
                let ext = if *format == Format::Html {
                    "html"
                } else {
                    "md"
                };
                let file = format!("index.{ext}");
                let bytes = page(
                    &env,
                    &file,
                    context! {
                        index => Value::from(Serde(&index)),
                        revision => index_revision.clone(),
                    },
                    &file,
                )?;
                put(PathBuf::from(file), bytes)?;
            }
            Format::Xlsx => {
                put(PathBuf::from("index.xlsx"), xlsx::rollup(&views, &index)?)?;
            }
            Format::Csv => {
                for (name, parts) in csv::files(std::mem::take(&mut rows))? {
                    written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    sink.put_parts(PathBuf::from(name), parts)?;
                }
            }
        }
    }
    Ok(written.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_unique() {
        assert_eq!(
            slugs(&[
                "druids-heath",
                "a/../b",
                "druids-heath",
                "",
                "index",
                "INDEX"
            ]),
            [
                "druids-heath",
                "a----b",
                "druids-heath-2",
                "plan",
                "index-2",
                "INDEX-3"
            ]
        );
    }

    #[test]
    fn css_strings_cannot_close_the_style_element() {
        assert_eq!(css_string("a\"b</style>"), "a\\22 b\\3c /style\\3e ");
        // A form feed, a line break or a backslash cannot end the string.
        assert_eq!(css_string("x\u{c}y\nz\\"), "x\\c y\\a z\\5c ");
        assert_eq!(
            css_string("Druids Heath · commit 1a2b of 2026-11-20"),
            "Druids Heath · commit 1a2b of 2026-11-20"
        );
        assert_eq!(
            css_string("a;}body{content:'x'"),
            "a\\3b \\7d body\\7b content:\\27 x\\27 "
        );
    }
}
