//! `planc init`: scaffolds a plan repository. Never overwrites a file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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

/// Each file `init` writes, and what it holds.
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
];

/// What happened to one file.
pub enum Outcome {
    Created(PathBuf),
    Kept(PathBuf),
}

pub fn init(dir: &Path) -> io::Result<Vec<Outcome>> {
    let mut outcomes = Vec::new();
    let schema = crate::schema::json();
    let files = FILES
        .iter()
        .copied()
        .chain(std::iter::once(("planc.schema.json", schema.as_str())));
    for (relative, contents) in files {
        let path = dir.join(relative);
        if path.exists() {
            outcomes.push(Outcome::Kept(path));
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        // `create_new` so that a file appearing meanwhile is not overwritten.
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        io::Write::write_all(&mut file, contents.as_bytes())?;
        outcomes.push(Outcome::Created(path));
    }
    Ok(outcomes)
}
