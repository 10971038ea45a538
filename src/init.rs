//! `planc init`: scaffolds a plan repository. Never overwrites a file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Where planc's source is: the generated CI installs planc from here.
/// Cargo.toml's `repository`, so that it is written in one place.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The release the generated CI installs: the git tag of this version.
pub const PIN: &str = concat!("v", env!("CARGO_PKG_VERSION"));

/// Where `planc.toml` is documented: the README's section, at this release.
pub const CONFIG_DOCS: &str = concat!(
    env!("CARGO_PKG_REPOSITORY"),
    "/blob/v",
    env!("CARGO_PKG_VERSION"),
    "/README.md#repository-configuration-planctoml"
);

/// The line `planc --help` ends with.
pub const HELP_CONFIG: &str = concat!(
    "Settings: planc.toml at the root of a repository of plans (where the plans\n\
     are, check levels, shared items); `planc init` writes one. Every setting:\n",
    env!("CARGO_PKG_REPOSITORY"),
    "/blob/v",
    env!("CARGO_PKG_VERSION"),
    "/README.md#repository-configuration-planctoml"
);

/// Editors validate and complete plan files against `planc.schema.json`:
/// VS Code's YAML extension through this setting, Taplo through `.taplo.toml`.
const VSCODE_SETTINGS: &str = r#"{
  "yaml.schemas": {
    "./planc.schema.json": ["plans/**/*.yaml", "plans/**/*.yml"]
  },
  "evenBetterToml.schema.associations": {
    ".*/plans/.*\\.toml$": "./planc.schema.json"
  }
}
"#;

const TAPLO: &str = r#"# Taplo (TOML language server) checks plan files against planc's schema.
[[rule]]
include = ["plans/**/*.toml"]
schema.path = "./planc.schema.json"
"#;

/// `planc build` writes `out/` by default: rendered output, not source.
const GITIGNORE: &str = "# What `planc build` renders.\nout/\n";

/// Each file `init` writes, and what it holds, before `@NAME@` placeholders
/// are filled in by [`fill`].
const FILES: &[(&str, &str)] = &[
    (".vscode/settings.json", VSCODE_SETTINGS),
    (".taplo.toml", TAPLO),
    ("planc.toml", include_str!("init/planc.toml")),
    (
        "plans/example-cluster/plan.yaml",
        include_str!("../examples/quickstart.yaml"),
    ),
    (
        "templates/README.md",
        include_str!("init/templates-README.md"),
    ),
    (
        ".github/workflows/planc.yml",
        include_str!("init/github-workflow.yml"),
    ),
    (".gitlab-ci.yml", include_str!("init/gitlab-ci.yml")),
    (
        ".pre-commit-config.yaml",
        include_str!("init/pre-commit-config.yaml"),
    ),
    (".gitignore", GITIGNORE),
];

/// What happened to one file.
pub enum Outcome {
    Created(PathBuf),
    Kept(PathBuf),
    /// An existing `.gitignore` that does not ignore `out/`: kept as it is.
    KeptWithoutOut(PathBuf),
}

/// A file `init` could not write.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot create the directory {path}: {source}")]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
}

/// The GitHub `owner/name` of [`REPOSITORY`], as `uses:` names an action.
pub fn action() -> &'static str {
    REPOSITORY
        .strip_prefix("https://github.com/")
        .unwrap_or(REPOSITORY)
        .trim_end_matches('/')
}

/// A file's contents with the repository, the pinned release and the
/// documentation address filled in.
pub fn fill(contents: &str) -> String {
    contents
        .replace("@REPOSITORY@", REPOSITORY)
        .replace("@ACTION@", action())
        .replace("@PIN@", PIN)
        .replace("@CONFIG_DOCS@", CONFIG_DOCS)
}

/// Whether a `.gitignore` ignores the `out/` directory at the root.
fn ignores_out(gitignore: &str) -> bool {
    gitignore
        .lines()
        .map(str::trim)
        .any(|line| matches!(line, "out" | "out/" | "/out" | "/out/" | "out/*" | "/out/*"))
}

pub fn init(dir: &Path) -> Result<Vec<Outcome>, Error> {
    let mut outcomes = Vec::new();
    let schema = crate::schema::json();
    let files = FILES
        .iter()
        .map(|&(relative, contents)| (relative, fill(contents)))
        .chain(std::iter::once(("planc.schema.json", schema)));
    for (relative, contents) in files {
        let path = dir.join(relative);
        if path.exists() {
            if relative == ".gitignore" {
                let existing = fs::read_to_string(&path).map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?;
                if !ignores_out(&existing) {
                    outcomes.push(Outcome::KeptWithoutOut(path));
                    continue;
                }
            }
            outcomes.push(Outcome::Kept(path));
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        // `create_new` so that a file appearing meanwhile is not overwritten.
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| io::Write::write_all(&mut file, contents.as_bytes()))
            .map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        outcomes.push(Outcome::Created(path));
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_filled() {
        for (name, contents) in FILES {
            let filled = fill(contents);
            assert!(
                !filled.contains("@REPOSITORY@")
                    && !filled.contains("@ACTION@")
                    && !filled.contains("@PIN@")
                    && !filled.contains("@CONFIG_DOCS@"),
                "{name} keeps a placeholder"
            );
        }
    }

    #[test]
    fn the_pin_and_the_action_come_from_cargo_toml() {
        assert_eq!(PIN, format!("v{}", env!("CARGO_PKG_VERSION")));
        assert!(REPOSITORY.starts_with("https://"), "{REPOSITORY}");
        assert_eq!(action().matches('/').count(), 1, "{}", action());
        assert!(HELP_CONFIG.ends_with(CONFIG_DOCS));
    }

    #[test]
    fn out_is_recognised_however_it_is_written() {
        for text in ["out/\n", "target\n/out\n", "  out  \n", "/out/"] {
            assert!(ignores_out(text), "{text:?}");
        }
        for text in ["", "output/\n", "# out/\n", "src/out/\n"] {
            assert!(!ignores_out(text), "{text:?}");
        }
    }
}
