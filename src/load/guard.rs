//! What planc may read. Plan files, templates, the framework file and
//! `planc.toml` come from repositories planc does not trust: a file there
//! may be a link to `/etc/passwd`, to `/proc/self/environ` or to `/`, or a
//! named pipe. Every path is resolved, links followed, and must stay inside
//! the repository root (or inside a path named on the command line); a
//! file is opened without blocking, and the opened handle, not the path,
//! must be a regular file. Links inside the repository are fine.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Component, Path, PathBuf};

/// Why a path is not read.
#[derive(Debug)]
pub enum Refusal {
    /// The path resolves outside every root: `target` is where it points.
    Outside {
        target: PathBuf,
    },
    /// The opened file is a directory, pipe, socket or device.
    NotRegular {
        kind: &'static str,
    },
    Io(io::Error),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Outside { target } => write!(
                f,
                "it points to {}, outside the repository",
                crate::terminal::visible(&target.display().to_string())
            ),
            Refusal::NotRegular { kind } => write!(f, "it is {kind}, not a regular file"),
            Refusal::Io(e) => write!(f, "{e}"),
        }
    }
}

/// The directories planc may read below.
#[derive(Debug, Clone)]
pub struct Guard {
    roots: Vec<PathBuf>,
}

/// `path` made absolute and normalised without touching the file system.
pub fn lexical(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

impl Guard {
    /// A guard for the repository at `root`. Each path in `named` (named by
    /// the person running planc) is a root too, unless it lies in the
    /// repository and points out of it: a link there is the repository's,
    /// not theirs.
    pub fn new(root: &Path, named: &[PathBuf]) -> Guard {
        let root = fs::canonicalize(root).unwrap_or_else(|_| lexical(root));
        let mut roots = vec![root.clone()];
        for path in named {
            let Ok(resolved) = fs::canonicalize(path) else {
                continue;
            };
            if resolved.starts_with(&root) || lexical(path).starts_with(&root) {
                continue;
            }
            let resolved = if resolved.is_dir() {
                resolved
            } else {
                resolved
                    .parent()
                    .map_or(resolved.clone(), Path::to_path_buf)
            };
            roots.push(resolved);
        }
        Guard { roots }
    }

    /// A guard for one directory alone.
    pub fn only(dir: &Path) -> Guard {
        Guard {
            roots: vec![fs::canonicalize(dir).unwrap_or_else(|_| lexical(dir))],
        }
    }

    /// A guard allowing this one's roots and `dir`.
    pub fn with(&self, dir: &Path) -> Guard {
        let mut roots = self.roots.clone();
        roots.push(fs::canonicalize(dir).unwrap_or_else(|_| lexical(dir)));
        Guard { roots }
    }

    /// Inside a root, and not inside a `.git` directory below it: git's
    /// own files (its config, with a remote's credentials) are not plans.
    fn inside(&self, path: &Path) -> bool {
        self.roots.iter().any(|root| {
            path.strip_prefix(root).is_ok_and(|rest| {
                !rest
                    .components()
                    .any(|c| c.as_os_str().eq_ignore_ascii_case(".git"))
            })
        })
    }

    /// The path with every link followed, if it stays inside.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, Refusal> {
        match fs::canonicalize(path) {
            Ok(resolved) if self.inside(&resolved) => Ok(resolved),
            // Where the link says it points, not where that leads: the
            // message tells nothing of the machine outside.
            Ok(resolved) => Err(Refusal::Outside {
                target: fs::read_link(path).unwrap_or(resolved),
            }),
            Err(e) => {
                // A link to nothing: where it points is still worth saying
                // when that is outside.
                if let Ok(target) = fs::read_link(path) {
                    let base = path.parent().unwrap_or(Path::new(""));
                    let target = lexical(&base.join(target));
                    if !self.inside(&target) {
                        return Err(Refusal::Outside { target });
                    }
                }
                Err(Refusal::Io(e))
            }
        }
    }

    /// Opens a file to read: resolved inside, opened without blocking and
    /// without following a last link, and checked by its handle to be a
    /// regular file, so that swapping it for a pipe or a link after the
    /// check gains nothing.
    pub fn open(&self, path: &Path) -> Result<File, Refusal> {
        let resolved = self.resolve(path)?;
        let mut options = OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY);
        }
        let file = options.open(&resolved).map_err(Refusal::Io)?;
        let kind = file.metadata().map_err(Refusal::Io)?.file_type();
        if !kind.is_file() {
            return Err(Refusal::NotRegular {
                kind: kind_name(&kind),
            });
        }
        // The file actually opened: a directory on the way may have been
        // swapped for a link after the path was resolved.
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            if let Ok(opened) = fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))
                && !self.inside(&opened)
            {
                return Err(Refusal::Outside { target: opened });
            }
        }
        Ok(file)
    }
}

fn kind_name(kind: &fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_and_pipes_are_refused_links_inside_are_fine() {
        let temp = tempfile::tempdir().unwrap();
        let repo = temp.path().join("repo");
        fs::create_dir_all(repo.join("plans")).unwrap();
        fs::write(repo.join("plans/a.yaml"), "plan: {}").unwrap();
        fs::write(temp.path().join("secret"), "token").unwrap();
        std::os::unix::fs::symlink("a.yaml", repo.join("plans/inside.yaml")).unwrap();
        std::os::unix::fs::symlink(temp.path().join("secret"), repo.join("plans/out.yaml"))
            .unwrap();
        std::os::unix::fs::symlink("/nowhere/at/all", repo.join("plans/dangling.yaml")).unwrap();
        let fifo = repo.join("plans/pipe.yaml");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let guard = Guard::new(&repo, &[]);
        assert!(guard.open(&repo.join("plans/a.yaml")).is_ok());
        assert!(guard.open(&repo.join("plans/inside.yaml")).is_ok());
        assert!(matches!(
            guard.open(&repo.join("plans/out.yaml")),
            Err(Refusal::Outside { .. })
        ));
        match guard.open(&repo.join("plans/dangling.yaml")) {
            Err(Refusal::Outside { target }) => assert_eq!(target, Path::new("/nowhere/at/all")),
            other => panic!("{other:?}"),
        }
        // Opening a pipe does not wait for a writer.
        assert!(matches!(
            guard.open(&fifo),
            Err(Refusal::NotRegular {
                kind: "a named pipe"
            })
        ));
        // A path named on the command line outside the repository is a root
        // of its own; a link in the repository pointing there is not.
        let elsewhere = temp.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("b.yaml"), "x").unwrap();
        let guard = Guard::new(&repo, std::slice::from_ref(&elsewhere));
        assert!(guard.open(&elsewhere.join("b.yaml")).is_ok());
        std::os::unix::fs::symlink(&elsewhere, repo.join("linked")).unwrap();
        let guard = Guard::new(&repo, &[repo.join("linked")]);
        assert!(guard.open(&repo.join("linked/b.yaml")).is_err());
    }
}
