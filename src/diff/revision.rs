//! One side of a comparison read from a git commit: the plans as planc
//! would find them on disk, compiled with that commit's own `planc.toml`
//! (where the plans are, the levels in `[checks]`, the framework, the
//! `[[shared]]` register, the currency and the file-size limit).
//! Everything is read through `git`'s hardened functions by object id,
//! never from the working tree, and nothing outside the repository: links
//! stored in git are followed only while they stay inside it.
//!
//! The stages are those of `compile::Session::compile`, called here
//! (`compile_plan`, `finish`), fed from git instead of the file system;
//! `tests/diff.rs` checks that both give the same problems for the same
//! files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use crate::check;
use crate::codes::Code;
use crate::compile::{self, Compilation};
use crate::config::{self, Config};
use crate::decode::Decoder;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::framework::Framework;
use crate::git::{self, Entry, GitError};
use crate::load::{self, PlanFiles, is_plan_file};
use crate::model::{Id, Level};
use crate::source::{SourceFile, SourceMap, Span};

use super::DiffError;

/// How many stored links planc follows from one path.
const MAX_HOPS: usize = 8;

/// The largest stored link target read.
const MAX_LINK_BYTES: u64 = 4096;

/// What a path at a commit holds, links followed.
enum Stored {
    /// A file's bytes.
    File(Vec<u8>),
    /// A link that leads out of the repository: where it points.
    Outside(PathBuf),
    /// Nothing, a directory, or a link to one of those.
    Missing,
}

/// The file at `path` (from the repository's top) at `commit`, links
/// followed inside the repository; a file over `limit` bytes is an error,
/// not read.
fn stored(commit: &str, path: &Path, limit: u64) -> Result<Stored, GitError> {
    let mut path = path.to_path_buf();
    for _ in 0..=MAX_HOPS {
        let entries = git::ls_tree_from_top(commit, std::slice::from_ref(&path), false)?;
        let Some(entry) = entries.into_iter().find(|e| e.path == path) else {
            return Ok(Stored::Missing);
        };
        if entry.mode == "120000" {
            let target = git::blob(&entry, commit, MAX_LINK_BYTES)?;
            match git::link_target(&entry.path, &target) {
                Some(next) => path = next,
                None => return Ok(Stored::Outside(bytes_path(&target))),
            }
            continue;
        }
        if entry.kind != "blob" {
            return Ok(Stored::Missing);
        }
        return Ok(Stored::File(git::blob(&entry, commit, limit)?));
    }
    Ok(Stored::Missing)
}

#[cfg(unix)]
fn bytes_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn bytes_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// What reading a missing file on disk fails with (ENOENT on Unix,
/// ERROR_FILE_NOT_FOUND on Windows), so that a file missing at a revision
/// is said as the working tree says it.
fn not_found() -> std::io::Error {
    std::io::Error::from_raw_os_error(2)
}

/// A stored link to nothing, at the link, as `load` reports a broken link
/// on disk (which the file system reports as not found).
fn broken_link(sources: &mut SourceMap, path: &Path) -> Diagnostic {
    load::path_diagnostic(
        sources,
        path,
        Code::UnreadableFile,
        format!("cannot read {}: {}", path.display(), not_found()),
    )
    .label("cannot be read")
    .help("fix or remove the broken link")
}

/// A file's bytes as text, as `load` reads it from disk: a byte-order mark
/// dropped, and anything but UTF-8 a problem at the first bad byte.
fn decode_text(
    path: &Path,
    bytes: Vec<u8>,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<String> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bad = e.as_bytes().get(valid).copied().unwrap_or(0);
            let hint = if bad == 0xA3 {
                " (0xA3 is a pound sign in Windows-1252 or Latin-1)"
            } else {
                ""
            };
            let file = sources.push(SourceFile::new(
                path.to_path_buf(),
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
            ));
            diags.push(
                Diagnostic::new(
                    Code::NotUtf8,
                    Span::new(file, valid, valid + 1),
                    format!(
                        "{} is not UTF-8: byte 0x{bad:02X} at offset {valid}{hint}",
                        path.display()
                    ),
                )
                .label("not UTF-8")
                .help("re-save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)"),
            );
            None
        }
    }
}

/// Where a side's plans and settings are, as paths from the repository's
/// top.
pub(super) struct Found<'a> {
    /// The plan paths named; none for those planc.toml names.
    pub named: &'a [PathBuf],
    /// The planc.toml named with `--config`.
    pub config: Option<&'a Path>,
    /// Where planc.toml is looked for from, upwards, when none is named.
    pub start: &'a Path,
}

/// The planc.toml `found` names, else the one in `start` or the nearest
/// directory above it up to the repository's top, read and decoded;
/// without one, the defaults with the top as root.
fn config_at(
    commit: &str,
    found: &Found,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<Config, DiffError> {
    let candidates: Vec<PathBuf> = match found.config {
        Some(path) => vec![path.to_path_buf()],
        None => found
            .start
            .ancestors()
            .map(|dir| dir.join(config::FILE_NAME))
            .collect(),
    };
    let present: BTreeSet<PathBuf> = git::ls_tree_from_top(commit, &candidates, false)?
        .into_iter()
        .map(|e| e.path)
        .collect();
    for path in candidates.iter().filter(|c| present.contains(*c)) {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut config = Config::new(root);
        match stored(commit, path, config::DEFAULT_MAX_FILE_BYTES)? {
            Stored::Missing => continue,
            Stored::Outside(target) => diags.push(load::outside(sources, path, &target)),
            Stored::File(bytes) => {
                if let Some(node) = decode_text(path, bytes, sources, diags)
                    .and_then(|text| load::parse_text(path, text, sources, diags))
                    .map(|(_, node)| node)
                {
                    Decoder::new(diags).config(&node, &mut config);
                }
            }
        }
        return Ok(config);
    }
    match found.config {
        Some(path) => Err(DiffError::ConfigMissing {
            path: path.to_path_buf(),
            revision: commit.to_string(),
        }),
        None => Ok(Config::new(PathBuf::new())),
    }
}

/// The framework `config` names, read from `commit`, extending or
/// replacing the built-in one; problems with it are diagnostics.
fn framework_at(
    commit: &str,
    config: &Config,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<Framework, GitError> {
    let framework = Framework::built_in();
    let Some(path) = &config.framework else {
        return Ok(framework);
    };
    let path = lexical(path);
    let bytes = match stored(commit, &path, config.max_file_bytes)? {
        Stored::File(bytes) => bytes,
        Stored::Outside(target) => {
            diags.push(load::outside(sources, &path, &target));
            return Ok(framework);
        }
        Stored::Missing => {
            diags.push(
                load::path_diagnostic(
                    sources,
                    &path,
                    Code::UnreadableFile,
                    format!(
                        "the framework file: cannot read {}: {}",
                        path.display(),
                        not_found()
                    ),
                )
                .label("cannot be read")
                .help("check the `framework` path in planc.toml"),
            );
            return Ok(framework);
        }
    };
    let Some(text) = decode_text(&path, bytes, sources, diags) else {
        return Ok(framework);
    };
    Ok(crate::compile::framework_from_text(
        config, &path, text, sources, diags,
    ))
}

/// `path` with `.` dropped and `..` applied, never climbing above its
/// start: a path from the repository's top stays one.
pub(super) fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    out
}

/// Whether a name below a plan path is one `load` passes over on disk: a
/// hidden file or directory, or a `templates` directory.
fn passed_over(below: &Path) -> bool {
    below.components().any(|c| match c {
        Component::Normal(name) => name.to_string_lossy().starts_with('.') || name == "templates",
        _ => false,
    })
}

/// The plan files under each of `paths` (from the repository's top) at
/// `commit`, with their bytes, named as planc would name them on disk: a
/// file reached through a stored link is named through the link. Links are
/// followed a few hops while they stay inside the repository; each path is
/// listed once and each file taken once, by the first path that reaches
/// it; a blob over `limit` bytes, or more than sixteen times `limit` in
/// all, is an error, not read.
fn files_at(
    commit: &str,
    paths: &[PathBuf],
    limit: u64,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<Vec<(PathBuf, Files)>, GitError> {
    let mut found = Vec::new();
    let mut taken: BTreeSet<PathBuf> = BTreeSet::new();
    let mut read: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut budget = limit.saturating_mul(16);
    for path in paths {
        let mut files = Vec::new();
        let mut listed: BTreeSet<PathBuf> = BTreeSet::new();
        // (where the files are, what they are called, links followed)
        let mut pending: Vec<(PathBuf, PathBuf, usize)> = vec![(path.clone(), path.clone(), 0)];
        while let Some((real, shown, hops)) = pending.pop() {
            if !listed.insert(real.clone()) {
                continue;
            }
            let entries = git::ls_tree_from_top(commit, std::slice::from_ref(&real), true)?;
            if hops > 0 && entries.is_empty() {
                diags.push(broken_link(sources, &shown));
            }
            let mut links = Vec::new();
            for entry in entries {
                let Ok(below) = entry.path.strip_prefix(&real) else {
                    continue;
                };
                if passed_over(below) {
                    continue;
                }
                let name = if below.as_os_str().is_empty() {
                    shown.clone()
                } else {
                    shown.join(below)
                };
                if entry.mode == "120000" {
                    let target = git::blob(&entry, commit, MAX_LINK_BYTES)?;
                    match git::link_target(&entry.path, &target) {
                        Some(target) if hops < MAX_HOPS => links.push((target, name, hops + 1)),
                        Some(_) => {}
                        None => diags.push(load::outside(sources, &name, &bytes_path(&target))),
                    }
                    continue;
                }
                if entry.kind != "blob" || !is_plan_file(&name) || !taken.insert(entry.path.clone())
                {
                    continue;
                }
                let bytes = read_counted(&entry, commit, limit, &mut budget, &mut read)?;
                files.push((name, bytes));
            }
            // Links after the files listed directly: a file is named by its
            // own path before any link's.
            pending.extend(links.into_iter().rev());
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files.dedup_by(|a, b| a.0 == b.0);
        found.push((path.clone(), files));
    }
    Ok(found)
}

/// A blob's bytes, each blob read once however many names it has, every
/// name's bytes counted against `budget`.
fn read_counted(
    entry: &Entry,
    commit: &str,
    limit: u64,
    budget: &mut u64,
    read: &mut BTreeMap<String, Vec<u8>>,
) -> Result<Vec<u8>, GitError> {
    let size = entry.size.unwrap_or(0);
    if size > *budget {
        return Err(GitError::TooLarge {
            path: entry.path.display().to_string(),
            revision: commit.to_string(),
            size,
            limit: *budget,
        });
    }
    let bytes = match read.get(&entry.object) {
        Some(bytes) => bytes.clone(),
        None => {
            let bytes = git::blob(entry, commit, limit)?;
            read.insert(entry.object.clone(), bytes.clone());
            bytes
        }
    };
    *budget = budget.saturating_sub(bytes.len() as u64);
    Ok(bytes)
}

/// A path's files, each named, with its bytes.
type Files = Vec<(PathBuf, Vec<u8>)>;

/// Groups the files found under `named` into plans by the rule `load`
/// uses: a named file is a plan; below a directory, the shallowest
/// directory that directly holds plan files is a plan of every file below
/// it.
fn group<T>(named: &Path, files: Vec<(PathBuf, T)>) -> Vec<(PathBuf, Vec<(PathBuf, T)>)> {
    if files.len() == 1 && files[0].0 == named {
        return vec![(named.to_path_buf(), files)];
    }
    let holders: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|(p, _)| p.parent().map(Path::to_path_buf))
        .collect();
    let mut plans: BTreeMap<PathBuf, Vec<(PathBuf, T)>> = BTreeMap::new();
    for (path, text) in files {
        let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let plan_dir = parent
            .ancestors()
            .filter(|a| holders.contains(*a))
            .last()
            .map_or(parent.clone(), Path::to_path_buf);
        // The repository's top, shown as on disk.
        let plan_dir = if plan_dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            plan_dir
        };
        plans.entry(plan_dir).or_default().push((path, text));
    }
    plans.into_iter().collect()
}

/// The plans at `commit`: those named, else those its `planc.toml` names,
/// else `plans`; `levels` (from the command line) over planc.toml's.
pub(super) fn compile_at(
    commit: &str,
    found: &Found,
    levels: &[(Id, Level)],
    as_of: Date,
) -> Result<Compilation, DiffError> {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let mut config = config_at(commit, found, &mut sources, &mut diags)?;
    config.checks.extend(levels.iter().cloned());
    let framework = framework_at(commit, &config, &mut sources, &mut diags)?;
    let paths: Vec<PathBuf> = if !found.named.is_empty() {
        found.named.to_vec()
    } else if !config.plans.is_empty() {
        config.plans.iter().map(|p| lexical(p)).collect()
    } else {
        vec![lexical(&config.root.join("plans"))]
    };
    let files = files_at(
        commit,
        &paths,
        config.max_file_bytes,
        &mut sources,
        &mut diags,
    )?;
    let mut plans = Vec::new();
    let mut unreadable = Vec::new();
    let plans_found = files
        .into_iter()
        .flat_map(|(named, files)| group(&named, files));
    for (path, texts) in plans_found {
        let mut plan = PlanFiles {
            path,
            files: Vec::new(),
            incomplete: false,
        };
        for (file, bytes) in texts {
            match decode_text(&file, bytes, &mut sources, &mut diags)
                .and_then(|text| load::parse_text(&file, text, &mut sources, &mut diags))
            {
                Some(parsed) => plan.files.push(parsed),
                None => plan.incomplete = true,
            }
        }
        let path = plan.path.clone();
        match compile::compile_plan(plan, &config, &framework, as_of, &mut diags) {
            Some(compiled) => plans.push(Arc::new(compiled)),
            None => unreadable.push(path),
        }
    }
    let allows = check::allow::scan_all(&sources, &mut diags);
    Ok(compile::finish(
        config, framework, sources, diags, plans, unreadable, &allows,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_paths_never_climb_above_the_top() {
        assert_eq!(lexical(Path::new("./a/../b/c")), PathBuf::from("b/c"));
        assert_eq!(lexical(Path::new("../../a")), PathBuf::from("a"));
        assert_eq!(
            lexical(Path::new("/etc/passwd")),
            PathBuf::from("etc/passwd")
        );
        assert_eq!(lexical(Path::new("")), PathBuf::new());
    }

    #[test]
    fn hidden_and_template_names_below_a_plan_path_are_passed_over() {
        assert!(passed_over(Path::new(".git/x.yaml")));
        assert!(passed_over(Path::new("a/templates/plan.md")));
        assert!(!passed_over(Path::new("a/plan.yaml")));
        assert!(!passed_over(Path::new("")));
    }

    #[test]
    fn files_group_into_plans_by_their_shallowest_holding_directory() {
        let files = vec![
            (PathBuf::from("plans/a/plan.yaml"), ()),
            (PathBuf::from("plans/a/more/s.yaml"), ()),
            (PathBuf::from("plans/b/plan.yaml"), ()),
        ];
        let plans: Vec<(PathBuf, usize)> = group(Path::new("plans"), files)
            .into_iter()
            .map(|(p, f)| (p, f.len()))
            .collect();
        assert_eq!(
            plans,
            [(PathBuf::from("plans/a"), 2), (PathBuf::from("plans/b"), 1),]
        );
        // A named file is a plan; files at the top are one plan, `.`.
        let one = vec![(PathBuf::from("top.yaml"), ())];
        assert_eq!(
            group(Path::new("top.yaml"), one.clone())[0].0,
            PathBuf::from("top.yaml")
        );
        assert_eq!(group(Path::new(""), one)[0].0, PathBuf::from("."));
    }
}
