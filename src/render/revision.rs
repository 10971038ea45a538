//! The version text of page footers: the last commit that touched a plan's
//! files, as `commit 1a2b3c4 of 2026-11-20`, noting uncommitted changes.
//!
//! Found for every plan of a build at once, in a fixed number of git runs
//! (one `log`, and `ls-tree` and `hash-object` per few thousand files), not
//! three runs per plan. Git runs in the repository root, never in a plan's
//! own directory (which a pull request could make a git repository of its
//! own), and changes are found by hashing the files without git's filters,
//! so that no command a repository configures is run.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Paths per git run: well within any system's argument-length limit.
const PATHS_PER_RUN: usize = 2_000;

const NOT_IN_GIT: &str = "not in a git repository";

pub struct Revisions {
    root: Option<PathBuf>,
    /// Each file's last commit: (commit time, short hash, date).
    last: HashMap<PathBuf, (u64, String, String)>,
    /// Files whose contents differ from HEAD's, or that HEAD lacks.
    changed: std::collections::HashSet<PathBuf>,
    /// Whether git answered at all.
    in_git: bool,
}

impl Revisions {
    /// Asks git about every file in `files` (paths as planc read them).
    pub fn new(root: &Path, files: &[&Path]) -> Revisions {
        let mut revisions = Revisions {
            root: std::fs::canonicalize(root).ok(),
            last: HashMap::new(),
            changed: std::collections::HashSet::new(),
            in_git: false,
        };
        let Some(root) = revisions.root.clone() else {
            return revisions;
        };
        let relative: Vec<PathBuf> = files.iter().filter_map(|f| relative_to(&root, f)).collect();
        if relative.is_empty() {
            return revisions;
        }
        for chunk in relative.chunks(PATHS_PER_RUN) {
            let Some(log) = git(
                &root,
                &[
                    "log",
                    "--no-show-signature",
                    "--relative",
                    "-z",
                    "--name-only",
                    "--format=%x01%h %ct %cs",
                ],
                chunk,
            ) else {
                return revisions;
            };
            revisions.in_git = true;
            for record in log.split('\u{1}').filter(|r| !r.is_empty()) {
                let (header, names) = record.split_once('\0').unwrap_or((record, ""));
                let mut fields = header.split_whitespace();
                let (Some(hash), Some(time), Some(date)) =
                    (fields.next(), fields.next(), fields.next())
                else {
                    continue;
                };
                let time = time.parse().unwrap_or(0);
                for name in names.split('\0').map(|n| n.trim_start_matches('\n')) {
                    if name.is_empty() {
                        continue;
                    }
                    // The log runs newest first: a file's first commit is
                    // its last.
                    revisions
                        .last
                        .entry(PathBuf::from(name))
                        .or_insert_with(|| (time, hash.to_string(), date.to_string()));
                }
            }
            // Each file's blob at HEAD against its contents as they are now.
            let committed: HashMap<PathBuf, String> = git(&root, &["ls-tree", "-z", "HEAD"], chunk)
                .unwrap_or_default()
                .split('\0')
                .filter_map(|entry| {
                    let (meta, path) = entry.split_once('\t')?;
                    let blob = meta.split_whitespace().nth(2)?;
                    Some((PathBuf::from(path), blob.to_string()))
                })
                .collect();
            let current: Vec<String> = git(&root, &["hash-object", "--no-filters"], chunk)
                .unwrap_or_default()
                .lines()
                .map(str::to_string)
                .collect();
            for (i, path) in chunk.iter().enumerate() {
                let same = current
                    .get(i)
                    .is_some_and(|blob| committed.get(path) == Some(blob));
                if !same {
                    revisions.changed.insert(path.clone());
                }
            }
        }
        revisions
    }

    /// The version text for a page made of `files`.
    pub fn text(&self, files: &[&Path]) -> String {
        let Some(root) = &self.root else {
            return NOT_IN_GIT.into();
        };
        let relative: Vec<PathBuf> = files.iter().filter_map(|f| relative_to(root, f)).collect();
        if relative.is_empty() || !self.in_git {
            return NOT_IN_GIT.into();
        }
        let Some((_, hash, date)) = relative
            .iter()
            .filter_map(|f| self.last.get(f))
            .max_by_key(|(time, _, _)| *time)
        else {
            return "not yet committed to git".into();
        };
        let changed = relative.iter().any(|f| self.changed.contains(f));
        let hash = crate::terminal::visible(hash);
        format!(
            "commit {hash} of {date}{}",
            if changed {
                ", with uncommitted changes"
            } else {
                ""
            }
        )
    }
}

fn relative_to(root: &Path, file: &Path) -> Option<PathBuf> {
    let file = std::fs::canonicalize(file).ok()?;
    file.strip_prefix(root).ok().map(Path::to_path_buf)
}

/// Runs git in `root` with `args -- paths`; its output, if it succeeded.
fn git(root: &Path, args: &[&str], paths: &[PathBuf]) -> Option<String> {
    let mut all: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    all.push(OsStr::new("--"));
    all.extend(paths.iter().map(|p| p.as_os_str()));
    crate::git::run(Some(root), &all)
        .ok()
        .map(|out| String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git_in(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn each_plan_gets_its_own_last_commit_and_changes() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path();
        git_in(root, &["init", "-q"]);
        for name in ["a", "b"] {
            std::fs::create_dir_all(root.join(name)).unwrap();
            std::fs::write(root.join(name).join("plan.yaml"), "x: 1\n").unwrap();
        }
        git_in(root, &["add", "."]);
        git_in(root, &["commit", "-q", "-m", "first"]);
        std::fs::write(root.join("b/plan.yaml"), "x: 2\n").unwrap();
        std::fs::write(root.join("a/new.yaml"), "y: 1\n").unwrap();
        let a = root.join("a/plan.yaml");
        let b = root.join("b/plan.yaml");
        let new = root.join("a/new.yaml");
        let all = [a.as_path(), b.as_path(), new.as_path()];
        let revisions = Revisions::new(root, &all);
        let clean = revisions.text(&[a.as_path()]);
        assert!(
            clean.starts_with("commit ") && !clean.contains("uncommitted"),
            "{clean}"
        );
        assert!(
            revisions
                .text(&[b.as_path()])
                .ends_with(", with uncommitted changes")
        );
        assert!(
            revisions
                .text(&[a.as_path(), new.as_path()])
                .ends_with(", with uncommitted changes")
        );
        assert_eq!(revisions.text(&[new.as_path()]), "not yet committed to git");
        let outside = Revisions::new(&root.join("a"), &[b.as_path()]);
        assert_eq!(outside.text(&[b.as_path()]), NOT_IN_GIT);
    }
}
