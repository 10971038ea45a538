//! `planc diff`: the plans at a git revision against the working tree (or
//! another revision), as a review: funds per source and section before and
//! after, activities added, removed, re-costed, re-scheduled or re-rated,
//! and the problems the change adds and fixes. Each side is compiled with
//! its own `planc.toml`: a revision's read from the revision, through
//! `git`, never touching the working tree.

mod figures;
mod problems;
mod revision;

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::compile::{self, Compilation};
use crate::git::{self, GitError};
use crate::load::LoadError;

use problems::Naming;

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("{path}: outside the git repository; diff compares plans inside it")]
    Outside { path: PathBuf },
    #[error("--config {path}: not a file at {revision}")]
    ConfigMissing { path: PathBuf, revision: String },
}

/// A comparison, and what the exit status is made of.
#[derive(Debug)]
pub struct Review {
    pub text: String,
    /// Errors in the plans after the change, added by it or not.
    pub errors_after: usize,
    /// A plan was added or removed, or a source's, section's or activity's
    /// figures changed.
    pub figures_differ: bool,
}

/// What to compare.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The revision before the change.
    pub from: &'a str,
    /// The revision after it; `None` for the working tree.
    pub to: Option<&'a str>,
    /// The plan paths named, from the current directory; none for those
    /// each side's `planc.toml` names, else `plans`.
    pub paths: &'a [PathBuf],
    /// Markdown for a pull-request comment, else text for a terminal.
    pub markdown: bool,
    pub as_of: Date,
    /// The options every command takes, as a comparison uses them on both
    /// sides: `--config` names the planc.toml at that path on each side,
    /// levels from the command line go over each side's planc.toml.
    pub settings: &'a compile::Settings,
    /// `-D warnings`: every warning an error, on both sides.
    pub warnings_are_errors: bool,
    /// `--quiet`: errors only.
    pub quiet: bool,
}

/// `path`, named from the current directory, as a path from the
/// repository's top (`prefix` is the current directory's); `None` when it
/// lies outside.
fn from_top(top: &Path, prefix: &Path, path: &Path) -> Option<PathBuf> {
    let joined = if path.is_absolute() {
        let top = std::fs::canonicalize(top).unwrap_or_else(|_| top.to_path_buf());
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        path.strip_prefix(&top).ok()?.to_path_buf()
    } else {
        prefix.join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::Normal(part) => out.push(part),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            std::path::Component::RootDir | std::path::Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// One side compiled, and how it names its files.
struct Side {
    compilation: Compilation,
    naming: Naming,
}

pub fn diff(request: &Request) -> Result<Review, DiffError> {
    let (top, prefix) = git::top_and_prefix()?;
    let named = request
        .paths
        .iter()
        .map(|p| from_top(&top, &prefix, p).ok_or_else(|| DiffError::Outside { path: p.clone() }))
        .collect::<Result<Vec<PathBuf>, DiffError>>()?;
    // Which planc.toml: the one named, else the nearest in or above the
    // first path (or the current directory), as `compile` finds it on disk.
    let config = match &request.settings.config {
        Some(path) => Some(
            from_top(&top, &prefix, path)
                .ok_or_else(|| DiffError::Outside { path: path.clone() })?,
        ),
        None => None,
    };
    let start = named.first().cloned().unwrap_or_else(|| prefix.clone());
    let at = |revision: &str| -> Result<Side, DiffError> {
        let commit = git::commit(revision)?;
        let found = revision::Found {
            named: &named,
            config: config.as_deref(),
            start: &start,
        };
        let compilation =
            revision::compile_at(&commit, &found, &request.settings.levels, request.as_of)
                .map_err(|e| match e {
                    DiffError::ConfigMissing { path, .. } => DiffError::ConfigMissing {
                        path,
                        revision: revision.to_string(),
                    },
                    other => other,
                })?;
        Ok(Side {
            compilation,
            naming: Naming {
                top: None,
                prefix: prefix.clone(),
            },
        })
    };
    let mut before = at(request.from)?;
    let mut after = match request.to {
        Some(revision) => at(revision)?,
        None => Side {
            compilation: compile::Session::new(request.paths.to_vec(), request.as_of)
                .with_settings(request.settings.clone())
                .compile()?,
            naming: Naming {
                top: Some(std::fs::canonicalize(&top).unwrap_or(top.clone())),
                prefix: prefix.clone(),
            },
        },
    };
    let promote = request.warnings_are_errors;
    let mut problems = problems::compare(
        problems::problems(&mut before.compilation, &before.naming, promote),
        problems::problems(&mut after.compilation, &after.naming, promote),
    );
    if request.quiet {
        problems.keep_errors_only();
    }
    let unreadable = |side: &Side| -> Vec<String> {
        side.compilation
            .unreadable
            .iter()
            .map(|p| side.naming.path_text(p))
            .collect()
    };
    let (before_unreadable, after_unreadable) = (unreadable(&before), unreadable(&after));
    let (mut text, figures_differ) = figures::compare(
        &before.compilation,
        &after.compilation,
        [&before_unreadable, &after_unreadable],
        request.markdown,
    );
    // Said whenever the change changes anything or leaves errors; a
    // comparison of equal plans stays one line a plan.
    if figures_differ || !problems.is_empty() {
        if !request.markdown && !text.ends_with("\n\n") {
            text.push('\n');
        }
        text.push_str(&problems::render(&problems, request.markdown));
    }
    Ok(Review {
        text,
        errors_after: problems.errors_after(),
        figures_differ,
    })
}

/// A table as Markdown, or as aligned text for a terminal.
fn table(markdown: bool, headers: &[&str], rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    if markdown {
        let mut out = format!(
            "| {} |\n|{}\n",
            headers.join(" | "),
            " --- |".repeat(headers.len())
        );
        for row in rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| crate::render::templates::markdown_cell(c))
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        return out + "\n";
    }
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| crate::terminal::visible(c).into_owned())
                .collect()
        })
        .collect();
    let rows = &rows;
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::from("  ");
        for (i, c) in cells.iter().enumerate() {
            s.push_str(c);
            s.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out + "\n"
}
