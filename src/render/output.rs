//! Writing a render: everything goes to a temporary directory beside
//! `--out`, which then takes `--out`'s place in one rename. A render that
//! fails or is killed leaves the previous outputs as they were; leftovers of
//! a killed run are cleaned up (or restored) by the next.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Marks a directory as planc's own output, which planc may replace.
pub const MARKER: &str = ".planc-output";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "--out {0}: is, or contains, the plans being rendered; choose a separate directory such as `out/`"
    )]
    ContainsSources(PathBuf),
    #[error(
        "--out {0}: exists and holds files planc did not write; choose an empty or new directory"
    )]
    NotOurs(PathBuf),
    #[error("--out {0}: another planc is writing it now; run again when that one has finished")]
    Busy(PathBuf),
    #[error("--out {0}: is a symbolic link; name the directory itself")]
    Link(PathBuf),
    #[error("--out {path}: its directory is {target}, outside the repository")]
    Outside { path: PathBuf, target: PathBuf },
    #[error("--out {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The absolute form of a path that may not exist yet.
fn absolute(path: &Path) -> PathBuf {
    match fs::canonicalize(path) {
        Ok(p) => p,
        Err(_) => {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            let base = parent.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let base = fs::canonicalize(&base).unwrap_or(base);
            base.join(path.file_name().unwrap_or_default())
        }
    }
}

/// Names of the temporary and old directories beside `out`.
fn siblings(out: &Path) -> (PathBuf, String, String) {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = out
        .file_name()
        .map_or_else(|| "out".to_string(), |n| n.to_string_lossy().into_owned());
    (
        parent,
        format!(".{name}.planc-tmp-"),
        format!(".{name}.planc-old-"),
    )
}

/// Cleans up after a run that was killed: restores a previous output that
/// was moved aside, and removes unfinished temporary directories.
fn recover(out: &Path) -> Result<(), OutputError> {
    let (parent, tmp_prefix, old_prefix) = siblings(out);
    let Ok(entries) = fs::read_dir(&parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        // Only planc's own directories: a link or file of that name (one a
        // pull request committed, say) is never renamed into `out`.
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if name.starts_with(&tmp_prefix) {
            fs::remove_dir_all(&path).map_err(io(&path))?;
        } else if name.starts_with(&old_prefix) {
            if out.exists() {
                fs::remove_dir_all(&path).map_err(io(&path))?;
            } else {
                fs::rename(&path, out).map_err(io(&path))?;
            }
        }
    }
    Ok(())
}

/// Replaces `out` with exactly `files` (relative paths → contents). See
/// [`Staging`].
pub fn write(
    out: &Path,
    files: &BTreeMap<PathBuf, Vec<u8>>,
    inputs: &[PathBuf],
    root: &Path,
) -> Result<(), OutputError> {
    let staging = Staging::begin(out, inputs, root)?;
    for (relative, contents) in files {
        staging.add(relative, contents)?;
    }
    staging.commit()
}

/// A render being written: files go into a temporary directory beside
/// `out` as they are made, and `commit` puts it in `out`'s place in one
/// rename. Dropped without `commit` (an error, a panic), it removes what it
/// wrote and `out` is as it was. `out` may not be a link, nor lie in the
/// repository at `root` and resolve out of it. While it exists, planc
/// holds a lock on `out`'s directory: a second planc writing there at the
/// same time stops with a message instead of removing the first one's
/// files.
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    tmp: PathBuf,
    old_prefix: String,
    committed: bool,
    _lock: fs::File,
}

impl Staging {
    pub fn begin(out: &Path, inputs: &[PathBuf], root: &Path) -> Result<Staging, OutputError> {
        if fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(OutputError::Link(out.to_path_buf()));
        }
        let (parent, _, _) = siblings(out);
        fs::create_dir_all(&parent).map_err(io(&parent))?;
        let guard = crate::load::guard::Guard::new(root, std::slice::from_ref(&parent));
        if let Err(crate::load::guard::Refusal::Outside { target }) = guard.resolve(&parent) {
            return Err(OutputError::Outside {
                path: out.to_path_buf(),
                target,
            });
        }
        let lock = fs::File::open(&parent).map_err(io(&parent))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(OutputError::Busy(out.to_path_buf()));
            }
            Err(fs::TryLockError::Error(e)) => return Err(io(&parent)(e)),
        }
        let out_abs = absolute(out);
        for input in inputs {
            let input_abs = absolute(input);
            if input_abs.starts_with(&out_abs) {
                return Err(OutputError::ContainsSources(out.to_path_buf()));
            }
        }
        recover(out)?;
        if out.exists() {
            let ours = out.join(MARKER).is_file();
            let empty = fs::read_dir(out).map_err(io(out))?.next().is_none();
            if !ours && !empty {
                return Err(OutputError::NotOurs(out.to_path_buf()));
            }
        }
        let (parent, tmp_prefix, old_prefix) = siblings(out);
        let tmp = parent.join(format!("{tmp_prefix}{}", std::process::id()));
        fs::create_dir(&tmp).map_err(io(&tmp))?;
        Ok(Staging {
            out: out.to_path_buf(),
            parent,
            tmp,
            old_prefix,
            committed: false,
            _lock: lock,
        })
    }

    /// Writes one file of the render. Safe from several threads at once,
    /// each writing its own files.
    pub fn add(&self, relative: &Path, contents: &[u8]) -> Result<(), OutputError> {
        let path = self.tmp.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        fs::write(&path, contents).map_err(io(&path))
    }

    /// Writes one file of the render from its parts in order, each freed
    /// once written: a national CSV file is never whole in memory.
    pub fn add_parts(&self, relative: &Path, parts: Vec<Vec<u8>>) -> Result<(), OutputError> {
        use std::io::Write;
        let path = self.tmp.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let mut file = std::io::BufWriter::new(fs::File::create(&path).map_err(io(&path))?);
        for part in parts {
            file.write_all(&part).map_err(io(&path))?;
        }
        file.into_inner().map_err(|e| io(&path)(e.into_error()))?;
        Ok(())
    }

    /// Puts the render in `out`'s place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let marker = self.tmp.join(MARKER);
        fs::write(
            &marker,
            "This directory is written by planc and replaced whole on each render.\n",
        )
        .map_err(io(&marker))?;
        let out = self.out.clone();
        if out.exists() {
            let old = self
                .parent
                .join(format!("{}{}", self.old_prefix, std::process::id()));
            fs::rename(&out, &old).map_err(io(&out))?;
            if let Err(e) = fs::rename(&self.tmp, &out) {
                let _ = fs::rename(&old, &out);
                return Err(io(&out)(e));
            }
            self.committed = true;
            fs::remove_dir_all(&old).map_err(io(&old))?;
        } else {
            fs::rename(&self.tmp, &out).map_err(io(&out))?;
            self.committed = true;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<PathBuf, Vec<u8>> {
        pairs
            .iter()
            .map(|(p, c)| (PathBuf::from(p), c.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn replaces_its_own_output_and_refuses_other_directories() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("out");
        write(
            &out,
            &files(&[("a.html", "1"), ("csv/b.csv", "2")]),
            &[],
            temp.path(),
        )
        .unwrap();
        assert_eq!(fs::read_to_string(out.join("csv/b.csv")).unwrap(), "2");
        write(&out, &files(&[("c.html", "3")]), &[], temp.path()).unwrap();
        assert!(!out.join("a.html").exists());
        assert_eq!(fs::read_to_string(out.join("c.html")).unwrap(), "3");
        let leftovers: Vec<_> = fs::read_dir(temp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only out/ remains");

        let docs = temp.path().join("docs");
        fs::create_dir(&docs).unwrap();
        fs::write(docs.join("notes.md"), "mine").unwrap();
        let refused = write(&docs, &files(&[]), &[], temp.path());
        assert!(
            matches!(refused, Err(OutputError::NotOurs(_))),
            "{refused:?}"
        );
        assert_eq!(fs::read_to_string(docs.join("notes.md")).unwrap(), "mine");

        let plans = temp.path().join("plans");
        fs::create_dir(&plans).unwrap();
        assert!(matches!(
            write(temp.path(), &files(&[]), &[plans], temp.path()),
            Err(OutputError::ContainsSources(_))
        ));
    }

    #[test]
    fn a_killed_run_is_recovered() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("out");
        write(&out, &files(&[("a.html", "1")]), &[], temp.path()).unwrap();
        // As if killed between the two renames, with a half-written tmp.
        fs::rename(&out, temp.path().join(".out.planc-old-999")).unwrap();
        fs::create_dir(temp.path().join(".out.planc-tmp-999")).unwrap();
        write(&out, &files(&[("b.html", "2")]), &[], temp.path()).unwrap();
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "2");
        let names: Vec<String> = fs::read_dir(temp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["out"]);
    }

    #[test]
    fn a_second_writer_stops_and_links_are_refused() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("out");
        let held = fs::File::open(temp.path()).unwrap();
        held.lock().unwrap();
        assert!(matches!(
            write(&out, &files(&[("a.html", "1")]), &[], temp.path()),
            Err(OutputError::Busy(_))
        ));
        drop(held);
        write(&out, &files(&[("a.html", "1")]), &[], temp.path()).unwrap();
        #[cfg(unix)]
        {
            let elsewhere = tempfile::tempdir().unwrap();
            let link = temp.path().join("linked");
            std::os::unix::fs::symlink(elsewhere.path(), &link).unwrap();
            assert!(matches!(
                write(&link, &files(&[]), &[], temp.path()),
                Err(OutputError::Link(_))
            ));
            assert!(matches!(
                write(&link.join("out"), &files(&[]), &[], temp.path()),
                Err(OutputError::Outside { .. })
            ));
        }
    }
}
