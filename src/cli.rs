//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "planc",
    version,
    about = "Compile cluster action plans: validate their figures, references and outcome codes",
    long_about = None,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Messages for people, with the lines they point at.
    Human,
    /// One JSON object per diagnostic, in an array.
    Json,
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
    },
    /// Print each plan's funds, section and outcome totals and outcome matrix.
    Summary {
        /// Plan files or directories [default: the plans planc.toml names, else ./plans]
        paths: Vec<PathBuf>,
        /// Judge status freshness as of this date (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Explain a diagnostic code, with a wrong and a right example; without
    /// a code, list them all.
    Explain {
        /// A code such as F003, or its name such as stated-total-mismatch.
        code: Option<String>,
    },
}
