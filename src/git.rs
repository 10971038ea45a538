//! Git, run with a fixed and hardened configuration: a repository under
//! review cannot make planc run its commands (no fsmonitor, hooks, pager,
//! external diff, credential or terminal prompt), listings are `-z` (names
//! as they are, never quoted), and blobs are read as stored, size first.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("git {args}: {message}")]
    Failed { args: String, message: String },
    #[error("{path} at {revision} is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        path: String,
        revision: String,
        size: u64,
        limit: u64,
    },
}

/// `git` with planc's settings, in `dir` when given.
pub fn command(dir: Option<&Path>) -> Command {
    let mut command = Command::new("git");
    if let Some(dir) = dir {
        command.arg("-C").arg(dir);
    }
    command
        .args([
            "--no-pager",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "core.pager=cat",
            "-c",
            "core.untrackedCache=false",
            "-c",
            "core.quotePath=false",
            "-c",
            "diff.external=",
            "-c",
            "credential.helper=",
            "-c",
            "protocol.allow=never",
            // A bare repository a pull request puts in a plan directory is
            // never used; nor signatures checked with a configured program.
            "-c",
            "safe.bareRepository=explicit",
            "-c",
            "log.showSignature=false",
            "-c",
            "gpg.program=false",
        ])
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_EXTERNAL_DIFF")
        .env_remove("GIT_PAGER")
        .stdin(Stdio::null());
    command
}

/// Runs git and returns what it printed, or why it failed.
pub fn run(dir: Option<&Path>, args: &[&OsStr]) -> Result<Vec<u8>, GitError> {
    let shown = || {
        args.iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let output = command(dir)
        .args(args)
        .output()
        .map_err(|e| GitError::Failed {
            args: shown(),
            message: e.to_string(),
        })?;
    if !output.status.success() {
        return Err(GitError::Failed {
            args: shown(),
            message: crate::terminal::visible(String::from_utf8_lossy(&output.stderr).trim())
                .into_owned(),
        });
    }
    Ok(output.stdout)
}

/// One entry of a tree listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub mode: String,
    pub kind: String,
    pub object: String,
    pub size: Option<u64>,
    pub path: PathBuf,
}

/// `git ls-tree -r -l -z`: every blob below `paths` at `revision`, named
/// from the current directory.
pub fn ls_tree(revision: &str, paths: &[PathBuf]) -> Result<Vec<Entry>, GitError> {
    let head = ["ls-tree", "-r", "-l", "-z", revision, "--"];
    let mut args: Vec<&OsStr> = head.iter().map(OsStr::new).collect();
    args.extend(paths.iter().map(|p| p.as_os_str()));
    Ok(parse_listing(&run(None, &args)?))
}

/// The commit `revision` names, as its object id: both sides of a
/// comparison read one fixed tree however the names move meanwhile. A
/// revision that reads as an option is refused, never passed on.
pub fn commit(revision: &str) -> Result<String, GitError> {
    if revision.starts_with('-') {
        return Err(GitError::Failed {
            args: format!("rev-parse {revision}"),
            message: "a revision cannot start with `-`".into(),
        });
    }
    let spec = format!("{revision}^{{commit}}");
    let id = run(
        None,
        &[
            OsStr::new("rev-parse"),
            OsStr::new("--verify"),
            OsStr::new("--quiet"),
            OsStr::new(&spec),
        ],
    )
    .map_err(|_| GitError::Failed {
        args: format!("rev-parse {revision}"),
        message: format!("`{revision}` is not a commit in this repository"),
    })?;
    Ok(String::from_utf8_lossy(&id).trim().to_string())
}

/// The top of the working tree (as git has it, links resolved) and the
/// current directory's path below it (empty at the top).
pub fn top_and_prefix() -> Result<(PathBuf, PathBuf), GitError> {
    let output = run(
        None,
        &[
            OsStr::new("rev-parse"),
            OsStr::new("--show-toplevel"),
            OsStr::new("--show-prefix"),
        ],
    )?;
    let mut lines = output.split(|b| *b == b'\n');
    let top = path_from_bytes(lines.next().unwrap_or_default());
    let prefix = path_from_bytes(lines.next().unwrap_or_default());
    Ok((top, prefix))
}

/// `git ls-tree -l -z --full-tree`, recursive or not: the entries at
/// `paths`, each a path from the repository's top, at `revision`. The
/// paths are taken literally (no pathspec magic such as `:(top)` or
/// globs): a name in a plan repository's `planc.toml` picks out nothing
/// but itself.
pub fn ls_tree_from_top(
    revision: &str,
    paths: &[PathBuf],
    recursive: bool,
) -> Result<Vec<Entry>, GitError> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let mut args: Vec<&OsStr> = vec![OsStr::new("--literal-pathspecs"), OsStr::new("ls-tree")];
    if recursive {
        args.push(OsStr::new("-r"));
    }
    let options = ["-l", "-z", "--full-tree", revision, "--"];
    args.extend(options.iter().map(OsStr::new));
    // The top itself is `.`: git refuses an empty pathspec.
    let dot = PathBuf::from(".");
    args.extend(paths.iter().map(|p| {
        if p.as_os_str().is_empty() {
            dot.as_os_str()
        } else {
            p.as_os_str()
        }
    }));
    Ok(parse_listing(&run(None, &args)?))
}

fn parse_listing(listing: &[u8]) -> Vec<Entry> {
    listing
        .split(|b| *b == 0)
        .filter(|record| !record.is_empty())
        .filter_map(|record| {
            let tab = record.iter().position(|b| *b == b'\t')?;
            let meta = String::from_utf8_lossy(&record[..tab]);
            let mut fields = meta.split_whitespace();
            Some(Entry {
                mode: fields.next()?.to_string(),
                kind: fields.next()?.to_string(),
                object: fields.next()?.to_string(),
                size: fields.next().and_then(|s| s.parse().ok()),
                path: path_from_bytes(&record[tab + 1..]),
            })
        })
        .collect()
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// A blob's bytes, refused when larger than `limit`.
pub fn blob(entry: &Entry, revision: &str, limit: u64) -> Result<Vec<u8>, GitError> {
    let size = match entry.size {
        Some(size) => size,
        None => {
            let text = run(
                None,
                &[
                    OsStr::new("cat-file"),
                    OsStr::new("-s"),
                    OsStr::new(&entry.object),
                ],
            )?;
            String::from_utf8_lossy(&text)
                .trim()
                .parse()
                .unwrap_or(u64::MAX)
        }
    };
    if size > limit {
        return Err(GitError::TooLarge {
            path: entry.path.display().to_string(),
            revision: revision.to_string(),
            size,
            limit,
        });
    }
    run(
        None,
        &[
            OsStr::new("cat-file"),
            OsStr::new("blob"),
            OsStr::new(&entry.object),
        ],
    )
}

/// Where a symbolic link stored in git points, as a path from the
/// repository's top, if it stays inside the repository.
pub fn link_target(link: &Path, target: &[u8]) -> Option<PathBuf> {
    let target = path_from_bytes(target);
    if target.is_absolute() {
        return None;
    }
    let mut resolved = PathBuf::new();
    for component in link
        .parent()
        .unwrap_or(Path::new(""))
        .join(target)
        .components()
    {
        match component {
            Component::Normal(part) => resolved.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !resolved.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_only_inside_the_repository() {
        assert_eq!(
            link_target(Path::new("plans"), b"cluster-plans"),
            Some(PathBuf::from("cluster-plans"))
        );
        assert_eq!(
            link_target(Path::new("plans/a.yaml"), b"../shared/a.yaml"),
            Some(PathBuf::from("shared/a.yaml"))
        );
        assert_eq!(link_target(Path::new("plans"), b"/etc"), None);
        assert_eq!(link_target(Path::new("plans"), b"../../etc"), None);
    }
}
