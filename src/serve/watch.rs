//! Watching a repository for the edits that change what planc compiles:
//! plan files, planc.toml, a framework file, templates. Bursts of events
//! (an editor's save is several) are gathered into one change.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{RecursiveMode, Watcher as _};

/// How long the files must be quiet before a burst of events counts as one
/// change: long enough for an editor's write-rename-chmod, short enough
/// that a page updates well within a second.
const QUIET: Duration = Duration::from_millis(60);

pub struct Watcher {
    // Kept alive: dropping it stops the events.
    _inner: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot watch {path}: {source}")]
pub struct WatchError {
    path: String,
    source: notify::Error,
}

impl Watcher {
    /// Watches everything below `root`.
    pub fn new(root: &Path) -> Result<Self, WatchError> {
        let (sender, events) = channel();
        let error = |source| WatchError {
            path: root.display().to_string(),
            source,
        };
        let mut inner = notify::recommended_watcher(sender).map_err(error)?;
        inner.watch(root, RecursiveMode::Recursive).map_err(error)?;
        Ok(Watcher {
            _inner: inner,
            events,
        })
    }

    /// Blocks until something planc reads has changed, then returns the
    /// paths of the burst; `None` when the watcher has stopped.
    pub fn next_change(&self) -> Option<Vec<PathBuf>> {
        let mut changed = Vec::new();
        // The first relevant event...
        loop {
            let event = self.events.recv().ok()?;
            collect(event, &mut changed);
            if !changed.is_empty() {
                break;
            }
        }
        // ...and every one that follows it closely.
        loop {
            match self.events.recv_timeout(QUIET) {
                Ok(event) => collect(event, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        changed.sort();
        changed.dedup();
        Some(changed)
    }
}

fn collect(event: notify::Result<notify::Event>, changed: &mut Vec<PathBuf>) {
    let Ok(event) = event else { return };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return;
    }
    changed.extend(event.paths.into_iter().filter(|p| relevant(p)));
}

/// Whether a path may be something planc reads: not inside `.git`, a Rust
/// build directory or a dependency cache, and a plan, settings or template file,
/// or a directory (a plan directory added or removed).
fn relevant(path: &Path) -> bool {
    let ignored = path.components().any(|c| {
        matches!(
            c.as_os_str().to_str(),
            Some(".git" | "target" | "node_modules")
        )
    });
    if ignored {
        return false;
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) => matches!(
            ext.to_ascii_lowercase().as_str(),
            "yaml" | "yml" | "toml" | "html" | "md" | "css"
        ),
        // A directory, or a file without an extension, which planc never
        // reads but whose directory may be a plan.
        None => !path.is_file(),
    }
}

#[cfg(test)]
mod tests {
    use super::relevant;
    use std::path::Path;

    #[test]
    fn only_what_planc_reads_is_a_change() {
        assert!(relevant(Path::new("plans/a/plan.yaml")));
        assert!(relevant(Path::new("planc.toml")));
        assert!(relevant(Path::new("templates/plan.html")));
        assert!(!relevant(Path::new(".git/index")));
        assert!(!relevant(Path::new("plans/a/.plan.yaml.swp")));
        assert!(!relevant(Path::new("target/debug/planc.d")));
    }
}
