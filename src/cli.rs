//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "planc",
    version,
    about = "Compile cluster action plans: validate their figures, references and outcome codes",
    long_about = None,
    after_help = crate::init::HELP_CONFIG,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print errors only: no warnings, notes or closing summary line.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Colour in messages: `auto` colours a terminal unless NO_COLOR is set
    /// (CLICOLOR_FORCE colours any output).
    #[arg(long, value_enum, global = true, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The planc.toml to use, instead of the one found in or above the plans'
    /// directory; its directory is the repository.
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,
    /// Allow a check (a code or name, e.g. D002) for this run; repeatable.
    /// Levels on the command line replace planc.toml's; a plan's own
    /// levels and allow comments still apply.
    #[arg(short = 'A', long = "allow", value_name = "CODE", global = true)]
    pub allow: Vec<String>,
    /// Report a check as a warning for this run; repeatable.
    #[arg(short = 'W', long = "warn", value_name = "CODE", global = true)]
    pub warn: Vec<String>,
    /// Report a check as an error for this run; repeatable. `-D warnings`
    /// makes every warning an error.
    #[arg(short = 'D', long = "deny", value_name = "CODE", global = true)]
    pub deny: Vec<String>,
    /// The name messages give a plan read from standard input (`-`); a
    /// name ending in `.toml` reads it as TOML.
    #[arg(long, value_name = "NAME", global = true, default_value = "stdin.yaml")]
    pub stdin_filename: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Tables for people.
    Text,
    /// Every figure of every plan and of the roll-up; money as exact
    /// decimal strings, `null` where unknown.
    Json,
    /// The headline figures: a row per plan, per authority and per kind.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Messages for people, with the lines they point at.
    Human,
    /// One JSON object per diagnostic, in an array.
    Json,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// The printable action plan, one page per plan, and index.html.
    Html,
    /// GitHub-flavoured Markdown, one file per plan, and index.md.
    Md,
    /// activities.csv, funding.csv and outcomes.csv across all plans.
    Csv,
    /// An Excel workbook per plan and index.xlsx for all plans.
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Md,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// The directory to write; it is replaced whole
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Render plans with errors too, under a "DRAFT" banner listing them.
    #[arg(long)]
    pub draft: bool,
    /// Templates overriding the built-in ones [default: the repository's templates/]
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Version text for page footers [default: the plan's last git commit]
    #[arg(long, value_name = "TEXT")]
    pub revision: Option<String>,
    /// Judge status freshness as of this date (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check plans: totals, references, outcome codes, dates and progress.
    Validate {
        /// Plan files or directories [default: the plans planc.toml names, else ./plans]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit 1 on warnings as well as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Judge status freshness as of this date (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Validate again whenever a plan file, planc.toml or the framework
        /// changes, rechecking only the plans that changed.
        #[arg(long)]
        watch: bool,
        /// Apply the fixes planc is certain of first, as `planc fix` does.
        #[arg(long, conflicts_with = "watch")]
        fix: bool,
    },
    /// Apply the fixes planc is certain of, then validate again.
    ///
    /// Only unambiguous fixes are made: an amount with one reading
    /// (`£36'000` → `36000`), a misspelt field name or id with exactly one
    /// near match (`cots` → `cost`). No fix changes a figure's value.
    /// Each file is edited in place, its comments and layout kept; files
    /// that are links, lie outside the repository or changed since they
    /// were read are not written.
    ///
    /// Exit status: 0 when no errors remain, 1 when some do or a file
    /// could not be written. With --diff: 0 when there is nothing to fix,
    /// 1 when there are fixes to apply.
    Fix {
        /// Plan files or directories [default: the plans planc.toml names, else ./plans]
        paths: Vec<PathBuf>,
        /// Print the changes as a unified diff and write nothing; exit 1 if
        /// there are fixes to apply, 0 if there are none.
        #[arg(long)]
        diff: bool,
        /// Judge status freshness as of this date (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Preview the printable plans in a browser: every page is served from
    /// memory and updates by itself when a file is saved.
    Serve {
        /// Plan files or directories [default: the plans planc.toml names, else ./plans]
        paths: Vec<PathBuf>,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// The address to listen on. Only this machine can reach the
        /// default; another address shows the plans to the network.
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Templates overriding the built-in ones [default: the repository's templates/]
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Judge status freshness as of this date (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Render plans in one format into a directory.
    Render {
        /// Plan files or directories [default: the plans planc.toml names, else ./plans]
        paths: Vec<PathBuf>,
        /// What to write.
        #[arg(long, value_enum)]
        format: RenderFormat,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Validate, then render every format (HTML, Markdown, CSV) into a directory.
    Build {
        /// Plan files or directories [default: the plans planc.toml names, else ./plans]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Print each plan's funds, section and outcome totals and outcome matrix.
    Summary {
        /// Plan files or directories [default: the plans planc.toml names, else ./plans]
        paths: Vec<PathBuf>,
        /// How to print the figures
        #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
        format: SummaryFormat,
        /// Judge status freshness as of this date (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Scaffold a plan repository: planc.toml, a starter plan, CI for GitHub
    /// and GitLab, a pre-commit hook. Existing files are never overwritten.
    Init {
        /// Where [default: the current directory]
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Compare the plans at a git revision with the working tree (or with
    /// the revision given with --to): funds, sections and activities.
    Diff {
        /// The revision to compare from, e.g. HEAD~1 or main.
        from: String,
        /// Plan files or directories [default: plans]
        paths: Vec<PathBuf>,
        /// Compare with this revision instead of the working tree.
        #[arg(long, value_name = "REV")]
        to: Option<String>,
        /// `human` for a terminal, `md` for a pull-request comment.
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
        /// Judge status freshness as of this date (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Print the JSON Schema of plan files (for editors and validators).
    Schema,
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print planc's manual page (roff), e.g. `planc man > planc.1`; with
    /// --dir, write a page for planc and one for each command.
    Man {
        /// Write planc.1 and planc-<command>.1 for every command into DIR
        /// (pages of those names are replaced).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Explain a diagnostic code, with a wrong and a right example; without
    /// a code, list them all.
    Explain {
        /// A code such as F003, or its name such as stated-total-mismatch.
        code: Option<String>,
    },
}
