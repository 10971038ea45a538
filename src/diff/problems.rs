//! The problems a change adds and the ones it fixes. A problem is matched
//! between the sides by what it is, never by where: its file, code,
//! severity and message, so that lines added above it do not make it new.
//! Each such key is counted: a second copy of a problem is one added.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::compile::Compilation;
use crate::diagnostic::Severity;

use super::revision::lexical;
use super::table;

/// How a side names its files, so that both sides name a file alike: from
/// the repository's top.
pub(super) struct Naming {
    /// The working tree's top, links resolved, for a side read from disk:
    /// its paths may be absolute (from `planc.toml`) or from the current
    /// directory. `None` for a side read from git, named from the top.
    pub top: Option<PathBuf>,
    /// The current directory from the top.
    pub prefix: PathBuf,
}

impl Naming {
    pub fn path_text(&self, path: &Path) -> String {
        let from_top = match &self.top {
            None => lexical(path),
            Some(top) if path.is_absolute() => match path.strip_prefix(top) {
                Ok(rest) => lexical(rest),
                Err(_) => return path.display().to_string(),
            },
            Some(_) => lexical(&self.prefix.join(path)),
        };
        if from_top.as_os_str().is_empty() {
            ".".into()
        } else {
            from_top.display().to_string()
        }
    }

    /// A message with the working tree's absolute paths made relative to
    /// its top, as the other side says them.
    fn message(&self, message: &str) -> String {
        match &self.top {
            Some(top) => {
                let top = format!("{}/", top.display());
                message.replace(&top, "")
            }
            None => message.to_string(),
        }
    }
}

/// What a problem is, the same on both sides of a change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    path: String,
    code: Code,
    severity: Severity,
    message: String,
}

/// A problem on one side, and where it is on that side.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    key: Key,
    line: usize,
    column: usize,
}

impl Problem {
    fn place(&self) -> (&str, usize, usize) {
        (&self.key.path, self.line, self.column)
    }
}

/// A side's problems, taken out of its compilation; with `promote`
/// (`-D warnings`), every warning an error.
pub(super) fn problems(
    compilation: &mut Compilation,
    naming: &Naming,
    promote: bool,
) -> Vec<Problem> {
    std::mem::take(&mut compilation.diagnostics)
        .into_sorted()
        .into_iter()
        .map(|d| {
            let (path, line, column) = compilation.sources.locate(d.primary.span);
            let severity = match d.severity {
                Severity::Warning if promote => Severity::Error,
                other => other,
            };
            Problem {
                key: Key {
                    path: naming.path_text(path),
                    code: d.code,
                    severity,
                    message: naming.message(&d.message),
                },
                line,
                column,
            }
        })
        .collect()
}

/// The problems a change adds and fixes, and the errors it leaves.
#[derive(Debug, Default)]
pub(super) struct Changes {
    added: Vec<Problem>,
    fixed: Vec<Problem>,
    /// Errors on both sides.
    kept_errors: Vec<Problem>,
}

impl Changes {
    /// The errors after the change, added or kept.
    pub fn errors_after(&self) -> usize {
        self.kept_errors.len() + self.added_errors()
    }

    fn added_errors(&self) -> usize {
        self.added
            .iter()
            .filter(|p| p.key.severity == Severity::Error)
            .count()
    }

    /// `--quiet`: the errors alone.
    pub fn keep_errors_only(&mut self) {
        for list in [&mut self.added, &mut self.fixed] {
            list.retain(|p| p.key.severity == Severity::Error);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.fixed.is_empty() && self.kept_errors.is_empty()
    }
}

fn by_key(problems: Vec<Problem>) -> BTreeMap<Key, Vec<Problem>> {
    let mut keyed: BTreeMap<Key, Vec<Problem>> = BTreeMap::new();
    for problem in problems {
        keyed.entry(problem.key.clone()).or_default().push(problem);
    }
    for copies in keyed.values_mut() {
        copies.sort_by_key(|p| (p.line, p.column));
    }
    keyed
}

/// Matches the problems of both sides by key: as many copies as both
/// sides have are the same problems, the rest of the new side's are added,
/// the rest of the old side's fixed.
pub(super) fn compare(before: Vec<Problem>, after: Vec<Problem>) -> Changes {
    let (before, after) = (by_key(before), by_key(after));
    let mut changes = Changes::default();
    for (key, copies) in &after {
        let kept = before.get(key).map_or(0, Vec::len).min(copies.len());
        if key.severity == Severity::Error {
            changes.kept_errors.extend(copies[..kept].iter().cloned());
        }
        changes.added.extend(copies[kept..].iter().cloned());
    }
    for (key, copies) in &before {
        let kept = after.get(key).map_or(0, Vec::len).min(copies.len());
        changes.fixed.extend(copies[kept..].iter().cloned());
    }
    for list in [
        &mut changes.added,
        &mut changes.fixed,
        &mut changes.kept_errors,
    ] {
        list.sort_by(|a, b| {
            (a.place(), a.key.code, &a.key.message).cmp(&(b.place(), b.key.code, &b.key.message))
        });
    }
    changes
}

/// The problems section: what the change adds and fixes, each at its
/// place on its own side (an added problem after the change, a fixed one
/// before it), and the errors it leaves.
pub(super) fn render(changes: &Changes, markdown: bool) -> String {
    let mut out = String::new();
    let heading = format!(
        "Problems: {} added, {} fixed",
        changes.added.len(),
        changes.fixed.len()
    );
    if markdown {
        out.push_str(&format!("### {heading}\n\n"));
    } else {
        out.push_str(&format!("{heading}\n"));
    }
    let row = |change: &str, p: &Problem| {
        vec![
            change.to_string(),
            p.key.severity.as_str().to_string(),
            p.key.code.id().to_string(),
            format!("{}:{}:{}", p.key.path, p.line, p.column),
            p.key.message.clone(),
        ]
    };
    let rows: Vec<Vec<String>> = changes
        .added
        .iter()
        .map(|p| row("added", p))
        .chain(changes.fixed.iter().map(|p| row("fixed", p)))
        .chain(
            changes
                .kept_errors
                .iter()
                .map(|p| row("already present", p)),
        )
        .collect();
    out.push_str(&table(
        markdown,
        &["Change", "Severity", "Code", "Where", "Problem"],
        &rows,
    ));
    let errors = changes.errors_after();
    if errors > 0 {
        let added = changes.added_errors();
        let sentence = format!(
            "After the change the plans have {} {}: {added} added by it, {} already present before it.",
            errors,
            if errors == 1 { "error" } else { "errors" },
            errors - added,
        );
        if markdown {
            out.push_str(&format!("**{sentence}**\n"));
        } else {
            out.push_str(&format!("{sentence}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(path: &str, line: usize, code: Code, message: &str) -> Problem {
        Problem {
            key: Key {
                path: path.into(),
                code,
                severity: code.info().severity,
                message: message.into(),
            },
            line,
            column: 1,
        }
    }

    #[test]
    fn problems_match_by_what_they_are_not_where() {
        let before = vec![
            problem("a.yaml", 3, Code::Syntax, "bad"),
            problem("a.yaml", 9, Code::Syntax, "gone"),
        ];
        let after = vec![
            problem("a.yaml", 7, Code::Syntax, "bad"),
            problem("a.yaml", 12, Code::Syntax, "bad"),
            problem("b.yaml", 7, Code::Syntax, "gone"),
        ];
        let changes = compare(before, after);
        let places = |list: &[Problem]| -> Vec<(String, usize)> {
            list.iter().map(|p| (p.key.path.clone(), p.line)).collect()
        };
        // The first copy of `bad` is the old one, moved down; the second
        // is new. `gone` moved to another file: fixed in one, added in
        // the other.
        assert_eq!(
            places(&changes.added),
            [("a.yaml".to_string(), 12), ("b.yaml".to_string(), 7)]
        );
        assert_eq!(places(&changes.fixed), [("a.yaml".to_string(), 9)]);
        assert_eq!(places(&changes.kept_errors), [("a.yaml".to_string(), 7)]);
        assert_eq!(changes.errors_after(), 3);
    }

    #[test]
    fn the_working_tree_is_named_from_the_top() {
        let disk = Naming {
            top: Some(PathBuf::from("/repo")),
            prefix: PathBuf::from("sub"),
        };
        assert_eq!(
            disk.path_text(Path::new("/repo/budget/a.yaml")),
            "budget/a.yaml"
        );
        assert_eq!(disk.path_text(Path::new("./a.yaml")), "sub/a.yaml");
        assert_eq!(
            disk.path_text(Path::new("/elsewhere/a.yaml")),
            "/elsewhere/a.yaml"
        );
        assert_eq!(
            disk.message("no plan files in /repo/budget"),
            "no plan files in budget"
        );
        let git = Naming {
            top: None,
            prefix: PathBuf::from("sub"),
        };
        assert_eq!(git.path_text(Path::new("budget/a.yaml")), "budget/a.yaml");
        assert_eq!(git.path_text(Path::new("")), ".");
    }
}
