//! Load: find plan files, read them within limits, parse each into the
//! located tree. Every file is read and every parse error reported; a file
//! that does not parse is left out of the later stages.

pub mod guard;
pub mod node;
pub mod toml;
pub mod yaml;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::config::{self, Config};
use crate::decode::Decoder;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use guard::{Guard, Refusal};
use node::Node;

/// How deep planc looks for plan directories below a path.
const MAX_DIR_DEPTH: usize = 16;

/// A path the user named that cannot be used at all: planc cannot run.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    #[error("{path}: not a plan file (expected .yaml, .yml or .toml)")]
    NotAPlanFile { path: PathBuf },
}

/// One plan's files, parsed.
#[derive(Debug)]
pub struct PlanFiles {
    /// The file or directory the plan was found at.
    pub path: PathBuf,
    pub files: Vec<(FileId, Node)>,
    /// Some file of the plan could not be read or parsed.
    pub incomplete: bool,
}

/// A diagnostic about a path as a whole: a directory, or a file that
/// cannot be read.
pub fn path_diagnostic(
    sources: &mut SourceMap,
    path: &Path,
    code: Code,
    message: String,
) -> Diagnostic {
    let file = sources.add(path.to_path_buf(), String::new());
    Diagnostic::new(code, Span::file_start(file), message)
}

/// Settings files of other tools that a plan repository may hold at any
/// level (a documentation site's `mkdocs.yml`, a CI action): never plans,
/// and never the reason a directory is taken for a plan.
const OTHER_TOOLS_FILES: &[&str] = &[
    "mkdocs.yml",
    "mkdocs.yaml",
    "action.yml",
    "action.yaml",
    "cargo.toml",
    "pyproject.toml",
    "netlify.toml",
    "book.toml",
    "typos.toml",
    "_typos.toml",
    "rustfmt.toml",
    "docker-compose.yml",
    "docker-compose.yaml",
    "compose.yml",
    "compose.yaml",
    "codecov.yml",
    "_config.yml",
    "environment.yml",
];

pub fn is_plan_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.')
        || name == config::FILE_NAME
        || OTHER_TOOLS_FILES.contains(&name.to_ascii_lowercase().as_str())
    {
        return false;
    }
    // `PLAN.YAML` is a plan file too: left out, its money would vanish.
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "toml"))
}

/// Finds `planc.toml` in `start` or the nearest directory above it.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(config::FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Reads `planc.toml`; its problems are diagnostics like any file's.
pub fn read_config(path: &Path, sources: &mut SourceMap, diags: &mut Diagnostics) -> Config {
    let root = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut config = Config::new(root);
    // planc.toml may not point out of its own directory either.
    let guard = Guard::only(&config.root);
    if let Some((_, node)) =
        read_and_parse(path, config::DEFAULT_MAX_FILE_BYTES, &guard, sources, diags)
    {
        Decoder::new(diags).config(&node, &mut config);
    }
    config
}

/// A plan found on disk: where, and its files in order.
#[derive(Debug)]
pub struct FoundPlan {
    pub path: PathBuf,
    pub files: Vec<PathBuf>,
    /// Each file's canonical path, which tells a file reached twice (by
    /// overlapping paths, or a link) from two files.
    identities: Vec<PathBuf>,
}

/// Finds the plans at `paths`: each file is a plan; a directory holding plan
/// files is a plan of all the files below it; any other directory is
/// searched for such directories. Nothing is read yet.
pub fn find(
    paths: &[PathBuf],
    guard: &Guard,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<Vec<FoundPlan>, LoadError> {
    let mut found = Vec::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|_| LoadError::NotFound { path: path.clone() })?;
        if let Err(Refusal::Outside { target }) = guard.resolve(path) {
            diags.push(outside(sources, path, &target));
            continue;
        }
        if meta.is_file() {
            if !is_plan_file(path) {
                return Err(LoadError::NotAPlanFile { path: path.clone() });
            }
            found.push(FoundPlan {
                path: path.clone(),
                files: vec![path.clone()],
                identities: vec![fs::canonicalize(path).unwrap_or_else(|_| path.clone())],
            });
        } else {
            let before = found.len();
            let mut seen = BTreeSet::new();
            find_plans(path, None, 0, guard, &mut seen, sources, diags, &mut found);
            if found.len() == before {
                diags.push(
                    path_diagnostic(
                        sources,
                        path,
                        Code::NoPlanFiles,
                        format!("no plan files in {}", path.display()),
                    )
                    .label("no .yaml, .yml or .toml files here")
                    .help("name a plan file, or a directory of plan files such as `plans/`"),
                );
            }
        }
    }
    // A plan named twice (`plans` and `plans/a`, overlapping paths in
    // planc.toml) is read once: each file belongs to the first plan found
    // with it.
    let mut claimed = HashSet::new();
    for plan in &mut found {
        let mut identities = std::mem::take(&mut plan.identities).into_iter();
        plan.files
            .retain(|_| identities.next().is_some_and(|i| claimed.insert(i)));
    }
    found.retain(|plan| !plan.files.is_empty());
    Ok(found)
}

/// Reads and parses one found plan's files, the first as file `first`, the
/// rest numbered on from it. Touches nothing shared, so that plans can be
/// read in parallel; the caller adds the files to the source map in order.
pub fn read_plan(
    plan: FoundPlan,
    first: u32,
    max_bytes: u64,
    guard: &Guard,
    diags: &mut Diagnostics,
) -> (Vec<SourceFile>, PlanFiles) {
    let mut sources = Vec::with_capacity(plan.files.len());
    let mut files = PlanFiles {
        path: plan.path,
        files: Vec::new(),
        incomplete: false,
    };
    for (i, path) in plan.files.iter().enumerate() {
        let id = FileId(first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX)));
        let (source, result) = parse_file(id, path, max_bytes, guard);
        match result {
            Ok(node) => files.files.push((id, node)),
            Err(diagnostic) => {
                diags.push(diagnostic);
                files.incomplete = true;
            }
        }
        sources.push(source);
    }
    (sources, files)
}

/// Finds the plans below `dir`: a directory holding plan files is a plan of
/// all the files below it; any other directory is searched further.
#[expect(
    clippy::too_many_arguments,
    reason = "the walk's state, passed down as it recurses"
)]
fn find_plans(
    dir: &Path,
    canonical: Option<&Path>,
    depth: usize,
    guard: &Guard,
    seen: &mut BTreeSet<PathBuf>,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
    found: &mut Vec<FoundPlan>,
) {
    let Some((files, subdirs)) = list_dir(dir, canonical, guard, seen, sources, diags) else {
        return;
    };
    if files.is_empty() {
        if depth < MAX_DIR_DEPTH {
            for (sub, canonical) in subdirs {
                find_plans(
                    &sub,
                    Some(&canonical),
                    depth + 1,
                    guard,
                    seen,
                    sources,
                    diags,
                    found,
                );
            }
        }
        return;
    }
    let mut all_files = files;
    // A plan's own directories, as deep as a plan is ever laid out: deeper
    // ones are reported, not walked (each level costs a path resolution).
    let mut pending: Vec<(Listed, usize)> = subdirs.into_iter().map(|d| (d, 1)).collect();
    while let Some(((sub, canonical), level)) = pending.pop() {
        if level > MAX_DIR_DEPTH {
            diags.push(
                path_diagnostic(
                    sources,
                    &sub,
                    Code::InputBudget,
                    format!(
                        "{} is more than {MAX_DIR_DEPTH} directories deep in its plan; it is not read",
                        sub.display()
                    ),
                )
                .label("too deep")
                .help("keep a plan's files within a few directories of its own"),
            );
            continue;
        }
        if let Some((files, subdirs)) =
            list_dir(&sub, Some(&canonical), guard, seen, sources, diags)
        {
            all_files.extend(files);
            pending.extend(subdirs.into_iter().map(|d| (d, level + 1)));
        }
    }
    all_files.sort();
    let (files, identities) = all_files.into_iter().unzip();
    found.push(FoundPlan {
        path: dir.to_path_buf(),
        files,
        identities,
    });
}

/// A path as listed, and its canonical path.
type Listed = (PathBuf, PathBuf);

/// The plan files (each with its canonical path) and subdirectories of
/// `dir`, sorted; `None` when the directory cannot be read or was seen
/// before (a symbolic-link loop). Entries are told apart by the type the
/// directory listing gives, and only links are resolved: a walk of a
/// national repository (10,800 files) runs again on every save in
/// `planc serve`.
fn list_dir(
    dir: &Path,
    canonical: Option<&Path>,
    guard: &Guard,
    seen: &mut BTreeSet<PathBuf>,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<(Vec<Listed>, Vec<Listed>)> {
    let unreadable = |sources: &mut SourceMap, diags: &mut Diagnostics, why: String| {
        diags.push(
            path_diagnostic(sources, dir, Code::UnreadableFile, why)
                .label("cannot be read")
                .help("check that the directory exists and is readable, and remove link loops"),
        );
    };
    // A directory that is no link is where its parent's canonical path says.
    let opened = canonical
        .map_or_else(|| fs::canonicalize(dir), |c| Ok(c.to_path_buf()))
        .and_then(|c| Ok((c, fs::read_dir(dir)?)));
    let (canonical, entries) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            unreadable(
                sources,
                diags,
                format!("cannot read {}: {e}", dir.display()),
            );
            return None;
        }
    };
    if seen.contains(&canonical) {
        return None;
    }
    seen.insert(canonical.clone());
    let mut files = Vec::new();
    let mut subdirs = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "templates" {
            continue;
        }
        let kind = entry.file_type();
        let linked = kind.as_ref().is_ok_and(fs::FileType::is_symlink);
        let identity = if linked {
            // A link is followed only while it stays inside the repository.
            match guard.resolve(&path) {
                Err(Refusal::Outside { target }) => {
                    diags.push(outside(sources, &path, &target));
                    continue;
                }
                Ok(resolved) => resolved,
                Err(_) => path.clone(),
            }
        } else {
            canonical.join(&*name)
        };
        match kind {
            Ok(kind) if kind.is_dir() => {
                subdirs.push((path, identity));
                continue;
            }
            Ok(kind) if kind.is_file() => {
                if is_plan_file(&path) {
                    files.push((path, identity));
                }
                continue;
            }
            _ => {}
        }
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => subdirs.push((path, identity)),
            Ok(meta) if meta.is_file() && is_plan_file(&path) => files.push((path, identity)),
            Ok(_) if is_plan_file(&path) => diags.push(
                path_diagnostic(
                    sources,
                    &path,
                    Code::UnreadableFile,
                    format!("{} is not a regular file", path.display()),
                )
                .label("a device, socket or pipe")
                .help("plan files are ordinary files: remove or rename this one"),
            ),
            Ok(_) => {}
            Err(e) if is_plan_file(&path) || fs::symlink_metadata(&path).is_ok() => {
                diags.push(
                    path_diagnostic(
                        sources,
                        &path,
                        Code::UnreadableFile,
                        format!("cannot read {}: {e}", path.display()),
                    )
                    .label("cannot be read")
                    .help("fix or remove the broken link"),
                );
            }
            Err(_) => {}
        }
    }
    files.sort();
    subdirs.sort();
    Some((files, subdirs))
}

/// Reads one file within the size limit, checks it is UTF-8, and parses it
/// by its extension. Problems become diagnostics; `None` means the file is
/// left out of the later stages.
pub fn read_and_parse(
    path: &Path,
    max_bytes: u64,
    guard: &Guard,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<(FileId, Node)> {
    let (source, result) = parse_file(sources.next_id(), path, max_bytes, guard);
    let file = sources.push(source);
    match result {
        Ok(node) => Some((file, node)),
        Err(diagnostic) => {
            diags.push(diagnostic);
            None
        }
    }
}

/// Reads and parses one file as file `id`, touching nothing shared, so that
/// files can be parsed in parallel.
fn parse_file(
    id: FileId,
    path: &Path,
    max_bytes: u64,
    guard: &Guard,
) -> (SourceFile, Result<Node, Diagnostic>) {
    match read_text(path, max_bytes, guard) {
        Ok(text) => {
            let source = SourceFile::new(path.to_path_buf(), text);
            let result = parse_source(id, path, &source);
            (source, result)
        }
        Err(ReadError {
            code,
            message,
            offset,
            help,
            text,
        }) => {
            let label = if code == Code::NotUtf8 {
                "not UTF-8"
            } else {
                "here"
            };
            let diagnostic = Diagnostic::new(code, Span::new(id, offset, offset + 1), message)
                .label(label)
                .help(help);
            (SourceFile::new(path.to_path_buf(), text), Err(diagnostic))
        }
    }
}

fn parse_source(id: FileId, path: &Path, source: &SourceFile) -> Result<Node, Diagnostic> {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("toml") => toml::parse(id, &source.text),
        _ => yaml::parse(id, source),
    }
}

/// Parses a file's text by its extension (`.toml`, else YAML).
pub fn parse_text(
    path: &Path,
    text: String,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<(FileId, Node)> {
    let source = SourceFile::new(path.to_path_buf(), text);
    let result = parse_source(sources.next_id(), path, &source);
    let file = sources.push(source);
    match result {
        Ok(node) => Some((file, node)),
        Err(diagnostic) => {
            diags.push(diagnostic);
            None
        }
    }
}

const OUTSIDE_HELP: &str = "planc reads only files inside the repository: replace the link with \
     the file itself, or point it inside the repository";

/// A link that leads out of the repository, at the link.
pub(crate) fn outside(sources: &mut SourceMap, path: &Path, target: &Path) -> Diagnostic {
    path_diagnostic(
        sources,
        path,
        Code::OutsideRepository,
        format!(
            "{} is not read: {}",
            path.display(),
            Refusal::Outside {
                target: target.to_path_buf()
            }
        ),
    )
    .label("a link out of the repository")
    .help(OUTSIDE_HELP)
}

pub struct ReadError {
    code: Code,
    message: String,
    offset: usize,
    help: String,
    /// What can be shown of the file, for locating the problem.
    text: String,
}

impl ReadError {
    pub fn code(&self) -> Code {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Reads a text file through `guard`, at most `max_bytes` of it.
pub fn read_text(path: &Path, max_bytes: u64, guard: &Guard) -> Result<String, ReadError> {
    let io_error = |e: std::io::Error| ReadError {
        code: Code::UnreadableFile,
        message: format!("cannot read {}: {e}", path.display()),
        offset: 0,
        help: "check that the file exists and that you may read it".to_string(),
        text: String::new(),
    };
    let file = match guard.open(path) {
        Ok(file) => file,
        Err(Refusal::Io(e)) => return Err(io_error(e)),
        Err(refusal @ Refusal::NotRegular { .. }) => {
            return Err(ReadError {
                code: Code::UnreadableFile,
                message: format!("{} is not read: {refusal}", path.display()),
                offset: 0,
                help: "plan files are ordinary files: remove or rename this one".to_string(),
                text: String::new(),
            });
        }
        Err(refusal @ Refusal::Outside { .. }) => {
            return Err(ReadError {
                code: Code::OutsideRepository,
                message: format!("{} is not read: {refusal}", path.display()),
                offset: 0,
                help: OUTSIDE_HELP.to_string(),
                text: String::new(),
            });
        }
    };
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadError {
            code: Code::FileTooLarge,
            message: format!(
                "{} is larger than the limit of {max_bytes} bytes",
                path.display()
            ),
            offset: 0,
            help: "split the plan into several files in one directory, or raise \
                   `max_file_bytes` in planc.toml"
                .to_string(),
            text: String::new(),
        });
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bad = e.as_bytes().get(valid).copied().unwrap_or(0);
        let hint = if bad == 0xA3 {
            " (0xA3 is a pound sign in Windows-1252 or Latin-1)"
        } else {
            ""
        };
        ReadError {
            code: Code::NotUtf8,
            message: format!(
                "{} is not UTF-8: byte 0x{bad:02X} at offset {valid}{hint}",
                path.display()
            ),
            offset: valid,
            help: "re-save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)"
                .to_string(),
            text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    })
}
