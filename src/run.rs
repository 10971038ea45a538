//! Runs a command and decides the exit status. Exit statuses are defined
//! here and nowhere else.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use jiff::civil::Date;

use crate::cli::{
    Cli, ColorChoice, Command, Format, GlobalArgs, OutputArgs, RenderFormat, SummaryFormat,
};
use crate::codes::Code;
use crate::compile::{self, Compilation};
use crate::diagnostic::Severity;
use crate::model::Level;
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

/// What the options every command takes mean for this run.
struct Run {
    quiet: bool,
    style: Style,
    settings: compile::Settings,
    /// `-D warnings`: every warning is an error.
    warnings_are_errors: bool,
    stdin_filename: PathBuf,
}

impl Run {
    fn new(global: &GlobalArgs) -> anyhow::Result<Run> {
        let mut levels = Vec::new();
        let mut warnings_are_errors = false;
        for (names, level) in [
            (&global.allow, Level::Allow),
            (&global.warn, Level::Warning),
            (&global.deny, Level::Error),
        ] {
            for name in names {
                if level == Level::Error && name == "warnings" {
                    warnings_are_errors = true;
                    continue;
                }
                levels.push(command_line_level(name, level)?);
            }
        }
        if let Some(path) = &global.config
            && !path.is_file()
        {
            anyhow::bail!("--config {}: no such file", path.display());
        }
        Ok(Run {
            quiet: global.quiet,
            style: style(global.color, std::io::stderr().is_terminal()),
            settings: compile::Settings {
                config: global.config.clone(),
                levels,
                stdin: None,
            },
            warnings_are_errors,
            stdin_filename: global.stdin_filename.clone(),
        })
    }
}

/// A level given on the command line, for a code that exists and may
/// change.
fn command_line_level(name: &str, level: Level) -> anyhow::Result<(crate::model::Id, Level)> {
    let Some(code) = Code::from_id(name) else {
        let ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        let hint = crate::suggest::nearest(&name.to_uppercase(), ids.iter().copied()).map_or_else(
            || "`planc explain` lists them".to_string(),
            |near| format!("did you mean {near}?"),
        );
        anyhow::bail!("`{name}` is not a check code: {hint}");
    };
    if !code.adjustable() {
        anyhow::bail!(
            "the level of {} cannot be changed: a figure that cannot be read or funds that do not balance are always errors",
            code.id()
        );
    }
    let nowhere = crate::source::Span::file_start(crate::source::FileId(0));
    Ok((
        crate::model::Located::new(code.id().to_string(), nowhere),
        level,
    ))
}

/// How messages look: `--color`, then NO_COLOR and CLICOLOR_FORCE.
fn style(choice: ColorChoice, terminal: bool) -> Style {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    let uncoloured = if terminal {
        Style::Monochrome
    } else {
        Style::Plain
    };
    match choice {
        ColorChoice::Always => Style::Fancy,
        ColorChoice::Never => uncoloured,
        ColorChoice::Auto if set("NO_COLOR") => uncoloured,
        ColorChoice::Auto if terminal || set("CLICOLOR_FORCE") => Style::Fancy,
        ColorChoice::Auto => Style::Plain,
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

fn compile(run: &Run, paths: &[PathBuf], date: Option<&str>) -> anyhow::Result<Compilation> {
    Ok(promote(run, session(run, paths, date)?.compile()?))
}

/// `-D warnings`: every warning an error.
fn promote(run: &Run, mut compilation: Compilation) -> Compilation {
    if run.warnings_are_errors {
        for d in compilation.diagnostics.iter_mut() {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
            }
        }
    }
    compilation
}

/// The diagnostics to print for people: with `--quiet`, the errors alone.
fn shown(
    run: &Run,
    diagnostics: &[crate::diagnostic::Diagnostic],
) -> Vec<crate::diagnostic::Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| !run.quiet || d.severity == Severity::Error)
        .cloned()
        .collect()
}

/// A compilation session for the paths; `-` alone reads one plan from
/// standard input.
fn session(run: &Run, paths: &[PathBuf], date: Option<&str>) -> anyhow::Result<compile::Session> {
    let mut settings = run.settings.clone();
    let stdin = paths.iter().any(|p| p.as_os_str() == "-");
    if stdin {
        if paths.len() > 1 {
            anyhow::bail!("`-` (a plan on standard input) cannot be given with other paths");
        }
        let limit = crate::config::DEFAULT_MAX_FILE_BYTES;
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > limit {
            anyhow::bail!("standard input: more than {limit} bytes, the limit for a plan file");
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("standard input: not UTF-8 text"))?;
        settings.stdin = Some((run.stdin_filename.clone(), text));
    }
    let paths = if stdin { Vec::new() } else { paths.to_vec() };
    Ok(compile::Session::new(paths, as_of(date)?).with_settings(settings))
}

pub fn run(cli: Cli) -> anyhow::Result<Status> {
    let run = Run::new(&cli.global)?;
    let run = &run;
    let mut out = Reader::new(std::io::stdout().lock());
    match cli.command {
        Command::Validate {
            paths,
            format,
            deny_warnings,
            as_of,
            watch,
            fix,
        } => {
            if watch {
                return watch_validate(run, &paths, as_of.as_deref(), format, deny_warnings);
            }
            if fix {
                return validate_fixing(
                    run,
                    &paths,
                    as_of.as_deref(),
                    format,
                    deny_warnings,
                    &mut out,
                );
            }
            let compilation = compile(run, &paths, as_of.as_deref())?;
            report_validation(run, compilation, format, deny_warnings, &mut out)
        }
        Command::Serve {
            paths,
            port,
            bind,
            templates,
            as_of,
        } => {
            if let Some(dir) = &templates {
                ensure_directory(dir, "--templates")?;
            }
            let options = crate::serve::Options {
                session: session(run, &paths, as_of.as_deref())?,
                paths,
                address: std::net::SocketAddr::new(bind, port),
                templates,
            };
            crate::serve::serve(options, |address| {
                eprintln!("planc: serving the plans at http://{address}/ (Ctrl-C to stop)");
            })?;
            Ok(Status::Clean)
        }
        Command::Fix {
            paths,
            diff: true,
            as_of,
        } => fix_diff(run, &paths, as_of.as_deref(), &mut out),
        // The same as `validate --fix`: the fixes, then validation again.
        Command::Fix {
            paths,
            diff: false,
            as_of,
        } => validate_fixing(
            run,
            &paths,
            as_of.as_deref(),
            Format::Human,
            false,
            &mut out,
        ),
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
            build(run, &paths, vec![format], &output)
        }
        Command::Build { paths, output } => build(
            run,
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
            let compilation = compile(run, &paths, as_of.as_deref())?;
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
                    crate::init::Outcome::KeptWithoutOut(path) => writeln!(
                        out,
                        "kept    {} (it exists; it does not ignore out/, where `planc build` writes: add a line `out/` to it)",
                        path.display()
                    )?,
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
                settings: &run.settings,
                warnings_are_errors: run.warnings_are_errors,
                quiet: run.quiet,
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
        Command::Man { dir: None } => {
            // No `help` subcommand in the pages: every planc-x(1) a page
            // names is one `planc man --dir` writes.
            let command = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
            clap_mangen::Man::new(command).render(&mut out)?;
            Ok(Status::Clean)
        }
        Command::Man { dir: Some(dir) } => {
            use anyhow::Context as _;
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let mut command =
                <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
            command.build();
            // planc.1, then planc-<command>.1 for each command, at any depth.
            let mut pending = vec![command];
            let mut written = 0;
            while let Some(command) = pending.pop() {
                pending.extend(
                    command
                        .get_subcommands()
                        .filter(|c| !c.is_hide_set())
                        .cloned(),
                );
                let page = clap_mangen::Man::new(command);
                let path = dir.join(page.get_filename());
                page.generate_to(&dir)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                written += 1;
            }
            writeln!(
                Reader::new(std::io::stderr()),
                "planc: wrote {written} manual pages to {}",
                dir.display()
            )?;
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

/// Reports a compilation's diagnostics in `format` and decides the status.
fn report_validation(
    run: &Run,
    compilation: Compilation,
    format: Format,
    deny_warnings: bool,
    out: &mut impl Write,
) -> anyhow::Result<Status> {
    let plans = compilation.plans.len();
    // A national repository's model is freed on the other core while the
    // report is written (about a tenth of a second of 108,000 activities'
    // strings and vectors); a process that ends does not wait for it.
    let model = compilation.plans;
    std::thread::spawn(move || drop(model));
    let diagnostics = compilation.diagnostics.into_sorted();
    match format {
        Format::Human => {
            let shown = shown(run, &diagnostics);
            let text = report::human(&shown, &compilation.sources, run.style);
            let mut err = Reader::new(std::io::stderr().lock());
            write!(err, "{text}")?;
            if !run.quiet {
                writeln!(err, "{}", report::tally(&diagnostics, plans))?;
            }
        }
        Format::Json => write!(out, "{}", report::json(&diagnostics, &compilation.sources))?,
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
        Format::Sarif => write!(out, "{}", report::sarif(&diagnostics, &compilation.sources))?,
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

/// `validate --watch`: validates, then again after every change, until
/// stopped. Only the plans whose files changed are compiled again.
fn watch_validate(
    run: &Run,
    paths: &[PathBuf],
    date: Option<&str>,
    format: Format,
    deny_warnings: bool,
) -> anyhow::Result<Status> {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        anyhow::bail!("--watch watches files: it cannot read standard input");
    }
    let root = compile::repository_root(paths);
    let watcher = crate::serve::watch::Watcher::new(&root)?;
    let mut session = session(run, paths, date)?;
    let terminal = std::io::stderr().is_terminal();
    loop {
        if terminal {
            // A fresh screen for each run, as cargo-watch and bacon do.
            eprint!("\x1b[2J\x1b[H");
        }
        match session.compile() {
            Ok(compilation) => {
                let mut out = Reader::new(std::io::stdout().lock());
                report_validation(
                    run,
                    promote(run, compilation),
                    format,
                    deny_warnings,
                    &mut out,
                )?;
                out.flush()?;
            }
            Err(e) => eprintln!("planc: {e}"),
        }
        eprintln!("planc: watching for changes (Ctrl-C to stop)");
        if watcher.next_change().is_none() {
            return Ok(Status::CouldNotRun);
        }
    }
}

/// A directory option must name a directory: a typo is an error, not a
/// silent fallback to the defaults.
fn ensure_directory(dir: &std::path::Path, option: &str) -> anyhow::Result<()> {
    if !dir.is_dir() {
        anyhow::bail!("{option} {}: no such directory", compile::display_path(dir));
    }
    Ok(())
}

/// What `--fix` did not do.
#[derive(Debug, Clone, Copy)]
struct Fixed {
    /// Files that needed fixing and could not be written.
    unwritten: usize,
    /// Fixes another run would not make either: in files not written, or
    /// left out as the file would not read as intended with them.
    stuck: usize,
}

/// `--fix`: a plan read from standard input has no file to write.
fn refuse_stdin(paths: &[PathBuf], what: &str) -> anyhow::Result<()> {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        anyhow::bail!(
            "{what} writes plan files: it cannot fix standard input (`planc fix --diff -` shows the fixes)"
        );
    }
    Ok(())
}

/// `validate --fix` and `planc fix`: makes the fixes planc is certain of,
/// then validates again and reports as `validate` does. A file that could
/// not be written fails the run.
fn validate_fixing(
    run: &Run,
    paths: &[PathBuf],
    date: Option<&str>,
    format: Format,
    deny_warnings: bool,
    out: &mut impl Write,
) -> anyhow::Result<Status> {
    refuse_stdin(paths, "fixing")?;
    let fixed = apply_fixes(run, paths, date)?;
    let mut compilation = compile(run, paths, date)?;
    let fixable = compilation
        .diagnostics
        .iter_mut()
        .filter(|d| d.fix.is_some())
        .count();
    let status = report_validation(run, compilation, format, deny_warnings, out)?;
    // Fixes found only now (a source's id is checked once its cost's
    // amount reads), or left as they overlapped others.
    let more = fixable.saturating_sub(fixed.stuck);
    if more > 0 && !run.quiet {
        writeln!(
            Reader::new(std::io::stderr().lock()),
            "planc: {more} more problem{} can be fixed now: run `planc fix` again",
            if more == 1 { "" } else { "s" }
        )?;
    }
    Ok(if fixed.unwritten > 0 {
        Status::Problems
    } else {
        status
    })
}

/// Makes the fixes planc is certain of and says what it did.
fn apply_fixes(run: &Run, paths: &[PathBuf], date: Option<&str>) -> anyhow::Result<Fixed> {
    let compilation = compile(run, paths, date)?;
    let diagnostics = compilation.diagnostics.into_sorted();
    let planned = crate::fix::plan(&diagnostics, &compilation.sources);
    let mut err = Reader::new(std::io::stderr().lock());
    let (mut problems, mut files, mut unwritten) = (0, 0, 0);
    let mut stuck = planned.left_out(crate::fix::Why::WouldNotRead);
    for file in planned.changed() {
        match crate::fix::write(&compilation.root, file) {
            Ok(()) => {
                if !run.quiet {
                    write!(err, "{}", crate::fix::applied_lines(file))?;
                }
                problems += file.problems();
                files += 1;
            }
            Err(e) => {
                unwritten += 1;
                stuck += file.applied.len();
                writeln!(
                    err,
                    "planc: {}: not fixed: {e}",
                    crate::terminal::visible(&compile::display_path(&file.path))
                )?;
            }
        }
    }
    if !run.quiet {
        write!(err, "{}", crate::fix::left_out_lines(&planned))?;
        writeln!(err, "planc: {}", crate::fix::tally(problems, files))?;
    }
    Ok(Fixed { unwritten, stuck })
}

/// `fix --diff`: the fixes as a unified diff; nothing written.
fn fix_diff(
    run: &Run,
    paths: &[PathBuf],
    date: Option<&str>,
    out: &mut impl Write,
) -> anyhow::Result<Status> {
    let compilation = compile(run, paths, date)?;
    let diagnostics = compilation.diagnostics.into_sorted();
    let planned = crate::fix::plan(&diagnostics, &compilation.sources);
    write!(out, "{}", crate::fix::unified_diff(&planned))?;
    let mut err = Reader::new(std::io::stderr().lock());
    if !run.quiet {
        write!(err, "{}", crate::fix::left_out_lines(&planned))?;
    }
    if planned.problems() == 0 {
        if !run.quiet {
            writeln!(err, "planc: nothing to fix")?;
        }
        return Ok(Status::Clean);
    }
    if !run.quiet {
        writeln!(
            err,
            "planc: {}: run `planc fix` to apply them",
            crate::fix::pending(&planned)
        )?;
    }
    Ok(Status::Problems)
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
    run: &Run,
    paths: &[PathBuf],
    formats: Vec<render::Format>,
    args: &OutputArgs,
) -> anyhow::Result<Status> {
    if let Some(dir) = &args.templates {
        ensure_directory(dir, "--templates")?;
    }
    let mut compilation = compile(run, paths, args.as_of.as_deref())?;
    let diagnostics = std::mem::take(&mut compilation.diagnostics).into_sorted();
    let mut err = Reader::new(std::io::stderr().lock());
    write!(
        err,
        "{}",
        report::human(&shown(run, &diagnostics), &compilation.sources, run.style)
    )?;
    if !run.quiet {
        writeln!(
            err,
            "{}",
            report::tally(&diagnostics, compilation.plans.len())
        )?;
    }
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
        preview: false,
    };
    let inputs: Vec<PathBuf> = if paths.is_empty() {
        vec![compilation.root.clone()]
    } else {
        paths.to_vec()
    };
    // Each page goes to disk as it is rendered; `out` changes only when
    // every one is written.
    let staging = render::output::Staging::begin(&args.out, &inputs, &compilation.root)?;
    let written = render::render_into(&compilation, &diagnostics, &request, &staging)?;
    // Freed on the other core while the output is swapped in (see
    // `report_validation`).
    std::thread::spawn(move || drop(compilation));
    staging.commit()?;
    progress.finish_and_clear();
    if run.quiet {
        return Ok(if errors {
            Status::Problems
        } else {
            Status::Clean
        });
    }
    writeln!(
        Reader::new(std::io::stderr()),
        "planc: wrote {} file{} to {}",
        written,
        if written == 1 { "" } else { "s" },
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
