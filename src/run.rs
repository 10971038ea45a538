//! Runs a command and decides the exit status. Exit statuses are defined
//! here and nowhere else.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use jiff::civil::Date;

use crate::cli::{Cli, Command, Format, OutputArgs, RenderFormat, SummaryFormat};
use crate::codes::Code;
use crate::compile::{self, Compilation};
use crate::diagnostic::Severity;
use crate::render;
use crate::report::{self, Style};
use crate::summary;

/// The process's exit statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No errors (warnings allowed unless denied).
    Clean = 0,
    /// Problems were found in the plans.
    Problems = 1,
    /// planc could not run: bad arguments or an unusable path.
    CouldNotRun = 2,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

/// Output to a reader that may go away (`planc validate | head`): once the
/// pipe is closed, the rest of the output is dropped, and the run goes on to
/// the exit status its findings call for. A closed pipe never turns errors
/// into success.
struct Reader<W: Write> {
    inner: W,
    gone: bool,
}

impl<W: Write> Reader<W> {
    fn new(inner: W) -> Self {
        Reader { inner, gone: false }
    }
}

impl<W: Write> Write for Reader<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.gone {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.gone = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.inner.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.gone = true;
                Ok(())
            }
            _ if self.gone => Ok(()),
            other => other,
        }
    }
}

fn style() -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match (std::io::stderr().is_terminal(), no_color) {
        (true, false) => Style::Fancy,
        (true, true) => Style::Monochrome,
        (false, _) => Style::Plain,
    }
}

fn as_of(date: Option<&str>) -> anyhow::Result<Date> {
    match date {
        Some(text) => text.parse::<Date>().map_err(|e| {
            anyhow::anyhow!("--as-of {text}: not a date in the form YYYY-MM-DD ({e})")
        }),
        None => Ok(jiff::Zoned::now().date()),
    }
}

fn compile(paths: &[PathBuf], date: Option<&str>) -> anyhow::Result<Compilation> {
    Ok(compile::compile(paths, as_of(date)?)?)
}

pub fn run(cli: Cli) -> anyhow::Result<Status> {
    let mut out = Reader::new(std::io::stdout().lock());
    match cli.command {
        Command::Validate {
            paths,
            format,
            deny_warnings,
            as_of,
        } => {
            let compilation = compile(&paths, as_of.as_deref())?;
            let plans = compilation.plans.len();
            let diagnostics = compilation.diagnostics.into_sorted();
            match format {
                Format::Human => {
                    let text = report::human(&diagnostics, &compilation.sources, style());
                    let mut err = Reader::new(std::io::stderr().lock());
                    write!(err, "{text}")?;
                    writeln!(err, "{}", report::tally(&diagnostics, plans))?;
                }
                Format::Json => {
                    write!(out, "{}", report::json(&diagnostics, &compilation.sources))?
                }
                Format::Github => write!(
                    out,
                    "{}",
                    report::github(&diagnostics, &compilation.sources)
                )?,
                Format::Gitlab => write!(
                    out,
                    "{}",
                    report::gitlab(&diagnostics, &compilation.sources)
                )?,
                Format::Sarif => {
                    write!(out, "{}", report::sarif(&diagnostics, &compilation.sources))?
                }
            }
            let failing = |d: &&crate::diagnostic::Diagnostic| {
                d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
            };
            Ok(if diagnostics.iter().any(|d| failing(&d)) {
                Status::Problems
            } else {
                Status::Clean
            })
        }
        Command::Render {
            paths,
            format,
            output,
        } => {
            let format = match format {
                RenderFormat::Html => render::Format::Html,
                RenderFormat::Md => render::Format::Markdown,
                RenderFormat::Csv => render::Format::Csv,
                RenderFormat::Xlsx => render::Format::Xlsx,
            };
            build(&paths, vec![format], &output)
        }
        Command::Build { paths, output } => build(
            &paths,
            vec![
                render::Format::Html,
                render::Format::Markdown,
                render::Format::Csv,
            ],
            &output,
        ),
        Command::Summary {
            paths,
            format,
            as_of,
        } => {
            let compilation = compile(&paths, as_of.as_deref())?;
            let diagnostics = compilation.diagnostics.into_sorted();
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let pairs: Vec<_> = compilation
                .plans
                .iter()
                .map(|c| (&c.plan, &c.figures))
                .collect();
            let unreadable: Vec<String> = compilation
                .unreadable
                .iter()
                .map(|p| compile::display_path(p))
                .collect();
            let rollup = crate::figures::rollup(&pairs, &unreadable, &compilation.framework);
            match format {
                SummaryFormat::Text => {
                    for (i, plan) in compilation.plans.iter().enumerate() {
                        if i > 0 {
                            writeln!(out)?;
                        }
                        write!(out, "{}", summary::plan(plan, &compilation.framework))?;
                    }
                    if compilation.plans.len() + compilation.unreadable.len() > 1 {
                        writeln!(out)?;
                        write!(out, "{}", summary::rollup(&rollup, &compilation.plans))?;
                    }
                }
                SummaryFormat::Json => {
                    write!(out, "{}", summary::json(&compilation.plans, &rollup))?
                }
                SummaryFormat::Csv => out.write_all(&summary::csv(&compilation.plans, &rollup)?)?,
            }
            if errors > 0 {
                let mut err = Reader::new(std::io::stderr().lock());
                writeln!(
                    err,
                    "planc: {errors} error{} found: figures may be incomplete; run `planc validate` to see {}",
                    if errors == 1 { "" } else { "s" },
                    if errors == 1 { "it" } else { "them" }
                )?;
                return Ok(Status::Problems);
            }
            Ok(Status::Clean)
        }
        Command::Init { dir } => {
            for outcome in crate::init::init(&dir)? {
                match outcome {
                    crate::init::Outcome::Created(path) => {
                        writeln!(out, "created {}", path.display())?
                    }
                    crate::init::Outcome::Kept(path) => {
                        writeln!(out, "kept    {} (it exists)", path.display())?
                    }
                }
            }
            writeln!(out, "next: cd {} && planc validate", dir.display())?;
            Ok(Status::Clean)
        }
        Command::Diff {
            from,
            paths,
            to,
            format,
            exit_code,
            as_of: date,
        } => {
            let review = crate::diff::diff(&crate::diff::Request {
                from: &from,
                to: to.as_deref(),
                paths: &paths,
                markdown: format == crate::cli::DiffFormat::Md,
                as_of: as_of(date.as_deref())?,
            })?;
            write!(out, "{}", review.text)?;
            // Errors after the change fail the review, as `validate` would;
            // with --exit-code, so does any change in the figures.
            Ok(
                if review.errors_after > 0 || (exit_code && review.figures_differ) {
                    Status::Problems
                } else {
                    Status::Clean
                },
            )
        }
        Command::Schema => {
            write!(out, "{}", crate::schema::json())?;
            Ok(Status::Clean)
        }
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "planc", &mut out);
            Ok(Status::Clean)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command).render(&mut out)?;
            Ok(Status::Clean)
        }
        Command::Explain { code: None } => {
            write!(out, "{}", checks_table())?;
            Ok(Status::Clean)
        }
        Command::Explain { code: Some(code) } => {
            let Some(code) = Code::from_id(&code) else {
                let mut err = Reader::new(std::io::stderr().lock());
                writeln!(
                    err,
                    "planc: `{code}` is not a diagnostic code; the codes are:"
                )?;
                for code in Code::ALL {
                    writeln!(err, "  {}  {}", code.id(), code.info().summary)?;
                }
                return Ok(Status::CouldNotRun);
            };
            write!(out, "{}", explain(code))?;
            Ok(Status::Clean)
        }
    }
}

/// Every check as a Markdown table: the README's list of checks is this
/// output, and a test keeps the two the same.
fn checks_table() -> String {
    let mut out =
        String::from("| Code | Name | Severity | What it finds |\n| --- | --- | --- | --- |\n");
    for code in Code::ALL {
        let info = code.info();
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            info.id,
            info.name,
            info.severity.as_str(),
            capitalise(info.summary)
        ));
    }
    out
}

/// Validates, reports, and renders into `--out` unless a plan has errors
/// and `--draft` was not given.
fn build(
    paths: &[PathBuf],
    formats: Vec<render::Format>,
    args: &OutputArgs,
) -> anyhow::Result<Status> {
    let mut compilation = compile(paths, args.as_of.as_deref())?;
    let diagnostics = std::mem::take(&mut compilation.diagnostics).into_sorted();
    let mut err = Reader::new(std::io::stderr().lock());
    write!(
        err,
        "{}",
        report::human(&diagnostics, &compilation.sources, style())
    )?;
    writeln!(
        err,
        "{}",
        report::tally(&diagnostics, compilation.plans.len())
    )?;
    let errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    if errors && !args.draft {
        writeln!(
            err,
            "planc: nothing rendered: fix the errors above, or use --draft to render with a DRAFT banner"
        )?;
        return Ok(Status::Problems);
    }
    // Release stderr: the progress bar draws on it from other threads.
    drop(err);
    // A progress bar for many plans on a terminal; nothing in logs and pipes.
    let progress = if std::io::stderr().is_terminal() && compilation.plans.len() >= 20 {
        let pages = formats
            .iter()
            .filter(|f| matches!(f, render::Format::Html | render::Format::Markdown))
            .count()
            * compilation.plans.len();
        let bar = indicatif::ProgressBar::new(pages as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} pages")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message("rendering");
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let request = render::Request {
        progress: progress.clone(),
        formats,
        templates: args
            .templates
            .clone()
            .or_else(|| render::templates::repository_templates(&compilation.root)),
        revision: args.revision.clone(),
    };
    let files = render::render(&compilation, &diagnostics, &request)?;
    progress.finish_and_clear();
    let inputs: Vec<PathBuf> = if paths.is_empty() {
        vec![compilation.root.clone()]
    } else {
        paths.to_vec()
    };
    render::output::write(&args.out, &files, &inputs, &compilation.root)?;
    writeln!(
        Reader::new(std::io::stderr()),
        "planc: wrote {} file{} to {}",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        args.out.display()
    )?;
    Ok(if errors {
        Status::Problems
    } else {
        Status::Clean
    })
}

fn explain(code: Code) -> String {
    let info = code.info();
    let indent = |text: &str| {
        text.lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    };
    format!(
        "{} {} ({})\n\n{}.\n\n{}\n\nWrong:\n\n{}\nRight:\n\n{}",
        info.id,
        info.name,
        info.severity.as_str(),
        capitalise(info.summary),
        textwrap(info.explanation),
        indent(info.wrong),
        indent(info.right)
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Wraps prose at 78 columns.
fn textwrap(text: &str) -> String {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > 78 {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines.join("\n")
}
