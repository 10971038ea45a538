//! Distribution and packaging: what `cargo package` ships, the minimum Rust
//! version, the manual pages, the README's plan snippets, and the files
//! `planc init` writes, checked with the tools that read them (actionlint,
//! shellcheck, pre-commit).
//!
//! The external tools come from `scripts/install-test-tools.sh`. A test that
//! needs one that is not on the PATH is skipped with a message, unless
//! `PLANC_TEST_TOOLS=1` is set (as in `.ci/run`): then it fails.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn report(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr)
    )
}

fn planc_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planc"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("planc runs")
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Cargo.toml's `[package]` table.
fn package() -> toml::Table {
    let manifest: toml::Table = toml::from_str(&read(&root().join("Cargo.toml"))).unwrap();
    manifest["package"].as_table().unwrap().clone()
}

fn package_field(name: &str) -> String {
    package()[name]
        .as_str()
        .unwrap_or_else(|| panic!("Cargo.toml has no package.{name}"))
        .to_string()
}

/// A YAML file as JSON values, to look into its structure.
fn yaml(path: &Path) -> serde_json::Value {
    serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An external tool from the PATH; `None` (after saying so) when it is
/// missing, unless PLANC_TEST_TOOLS=1 makes that a failure.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        let required = std::env::var("PLANC_TEST_TOOLS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "{name} is not on the PATH and PLANC_TEST_TOOLS=1: \
             run `export PATH=\"$(bash scripts/install-test-tools.sh):$PATH\"`"
        );
        eprintln!(
            "SKIPPED: {name} is not installed, so this check did not run. \
             `bash scripts/install-test-tools.sh` installs it; PLANC_TEST_TOOLS=1 \
             makes its absence a failure."
        );
    }
    found
}

/// A fresh repository scaffolded by `planc init`.
fn initialised() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("repo");
    let output = planc_in(temp.path(), &["init", "repo"]);
    assert!(output.status.success(), "{}", report(&output));
    (temp, repo)
}

// ---------------------------------------------------------------- package

#[test]
fn the_licence_is_the_one_cargo_toml_names() {
    assert_eq!(package_field("license"), "MIT");
    let licence = read(&root().join("LICENSE"));
    assert!(licence.starts_with("MIT License\n"), "{licence}");
    assert!(licence.contains("Copyright (c) 2026 the planc authors"));
    assert!(licence.contains("THE SOFTWARE IS PROVIDED \"AS IS\""));
}

/// What `cargo package` would ship: every file is a regular file (a
/// symbolic link, above all a broken one, makes packaging fail), and the
/// files planc is built from are there. `.ci/run` runs the full
/// `cargo package`, which builds the packaged crate too.
#[test]
fn the_package_holds_regular_files_and_what_planc_is_built_from() {
    let output = cargo()
        .current_dir(root())
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "{}", report(&output));
    let listed: BTreeSet<String> = text(&output.stdout).lines().map(String::from).collect();
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "LICENSE",
        "README.md",
        "src/main.rs",
        "src/framework/ecm.toml",
        "src/init/github-workflow.yml",
        "examples/quickstart.yaml",
        "templates/plan.html",
    ] {
        assert!(listed.contains(file), "the package lacks {file}");
    }
    for file in &listed {
        // Files cargo writes itself.
        if matches!(file.as_str(), ".cargo_vcs_info.json" | "Cargo.toml.orig") {
            continue;
        }
        let meta = fs::symlink_metadata(root().join(file))
            .unwrap_or_else(|e| panic!("the package lists {file}, which cannot be read: {e}"));
        assert!(
            meta.is_file(),
            "{file} is packaged but is not a regular file"
        );
    }
    // Every file the source embeds is packaged.
    let mut pending = vec![root().join("src")];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let source = read(&path);
            for piece in source.split("include_str!(\"").skip(1) {
                let relative = piece.split('"').next().unwrap();
                let embedded = path.parent().unwrap().join(relative);
                let embedded = embedded.canonicalize().unwrap();
                let embedded = embedded
                    .strip_prefix(root().canonicalize().unwrap())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                assert!(
                    listed.contains(&embedded),
                    "{} embeds {embedded}, which is not packaged",
                    path.display()
                );
            }
        }
    }
    // The integration tests and their fixtures (symbolic links among them)
    // are not packaged: only the plan the unit tests embed.
    let tests: Vec<&String> = listed.iter().filter(|f| f.starts_with("tests/")).collect();
    assert_eq!(
        tests,
        [
            "tests/every-field/plan.yaml",
            "tests/every-field/planc.toml"
        ]
    );
}

// ------------------------------------------------------------ rust-version

fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.trim().split('.').map(|p| {
        p.parse::<u64>()
            .unwrap_or_else(|_| panic!("{text} is not a version"))
    });
    (
        parts.next().unwrap(),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[test]
fn the_stated_minimum_rust_is_the_true_one() {
    let declared = package_field("rust-version");
    let readme = read(&root().join("README.md"));
    let stated: Vec<&str> = readme
        .match_indices("with Rust (")
        .map(|(at, prefix)| {
            let rest = &readme[at + prefix.len()..];
            rest.split(" or later)").next().unwrap()
        })
        .collect();
    assert_eq!(
        stated,
        [declared.as_str()],
        "the README states the minimum Rust once, as Cargo.toml's rust-version"
    );

    let output = cargo()
        .current_dir(root())
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "{}", report(&output));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    assert!(packages.len() > 100, "{} packages", packages.len());
    let needed = packages
        .iter()
        .filter(|p| p["name"] != "planc")
        .filter_map(|p| {
            let rust = p["rust_version"].as_str()?;
            let name = p["name"].as_str().unwrap_or("?");
            let number = p["version"].as_str().unwrap_or("?");
            Some((version(rust), format!("{name} {number}")))
        })
        .max()
        .expect("some locked package states a rust-version");
    assert!(
        version(&declared) >= needed.0,
        "rust-version {declared} is below what {} needs ({:?})",
        needed.1,
        needed.0
    );
    // The least version that builds: no lower minimum would do either.
    assert_eq!(
        version(&declared),
        needed.0,
        "rust-version {declared} is above what the locked packages need ({:?}, {})",
        needed.0,
        needed.1
    );
}

// ------------------------------------------------------------- man pages

/// The `planc-x` names a roff page refers to as `planc-x(1)`.
fn references(page: &str) -> BTreeSet<String> {
    let page = page.replace("\\-", "-");
    let mut found = BTreeSet::new();
    for (at, _) in page.match_indices("planc-") {
        let name: String = page[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if page[at + name.len()..].starts_with("(1)") {
            found.insert(name);
        }
    }
    found
}

#[test]
fn every_command_has_a_manual_page_and_every_page_named_exists() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("man/man1");
    let output = planc_in(temp.path(), &["man", "--dir", "man/man1"]);
    assert!(output.status.success(), "{}", report(&output));
    let pages: BTreeSet<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();

    let command = <planc::cli::Cli as clap::CommandFactory>::command();
    let mut expected = BTreeSet::from(["planc.1".to_string()]);
    for sub in command.get_subcommands() {
        expected.insert(format!("planc-{}.1", sub.get_name()));
    }
    assert!(expected.len() >= 11, "{expected:?}");
    assert_eq!(pages, expected);
    assert!(
        text(&output.stderr).contains(&format!("wrote {} manual pages", expected.len())),
        "{}",
        report(&output)
    );

    let mut named = BTreeSet::new();
    for page in &pages {
        let roff = read(&dir.join(page));
        let name = page.trim_end_matches(".1");
        assert!(roff.contains(&format!(".TH {name} 1")), "{page}:\n{roff}");
        named.extend(references(&roff));
    }
    assert!(named.contains("planc-validate"), "{named:?}");
    for name in &named {
        assert!(
            pages.contains(&format!("{name}.1")),
            "a page refers to {name}(1), which has no page"
        );
    }

    // `planc man` alone prints the top-level page, the same as planc.1.
    let stdout = planc_in(temp.path(), &["man"]);
    assert!(stdout.status.success(), "{}", report(&stdout));
    assert_eq!(text(&stdout.stdout), read(&dir.join("planc.1")));
    let validate = read(&dir.join("planc-validate.1"));
    assert!(validate.contains("deny"), "{validate}");
    // The top-level page tells of planc.toml, as `planc --help` does.
    assert!(read(&dir.join("planc.1")).contains("planc.toml"));
}

// --------------------------------------------------------- README plans

/// The fenced ```yaml and ```toml blocks of a Markdown text.
fn fenced_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        match current.as_mut() {
            None => {
                if let Some(lang) = line.strip_prefix("```") {
                    current = Some((lang.trim().to_string(), String::new()));
                }
            }
            Some((_, body)) => {
                if line.starts_with("```") {
                    blocks.push(current.take().unwrap());
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    assert!(current.is_none(), "an unclosed code block");
    blocks
}

#[test]
fn every_plan_in_the_readme_validates_on_its_own() {
    let readme = read(&root().join("README.md"));
    let mut checked = 0;
    for (lang, body) in fenced_blocks(&readme) {
        let is_plan = match lang.as_str() {
            "yaml" => body.lines().any(|l| l.starts_with("plan:")),
            "toml" => body.lines().any(|l| l.trim() == "[plan]"),
            _ => false,
        };
        if !is_plan {
            continue;
        }
        let temp = tempfile::tempdir().unwrap();
        let file = format!("plan.{lang}");
        fs::write(temp.path().join(&file), &body).unwrap();
        let output = planc_in(temp.path(), &["validate", &file, "--as-of", "2009-06-30"]);
        assert!(
            output.status.success(),
            "this README block does not validate:\n{body}\n{}",
            report(&output)
        );
        checked += 1;
    }
    assert!(checked >= 1, "no plan found in the README");
}

// ------------------------------------------------------- the README on CI

#[test]
fn the_readme_installs_the_release_init_pins() {
    let readme = read(&root().join("README.md"));
    let install = format!(
        "cargo install --locked --git {} --tag v{} planc",
        package_field("repository"),
        package_field("version")
    );
    assert!(readme.contains(&install), "the README lacks `{install}`");
    assert!(readme.contains("action.yml"));
    assert!(readme.contains(&format!(
        "uses: {}@v{}",
        planc::init::action(),
        package_field("version")
    )));
}

// ------------------------------------------------------------ planc init

#[test]
fn init_pins_one_release_from_the_repository_cargo_toml_names() {
    let (_temp, repo) = initialised();
    let repository = package_field("repository");
    let pin = format!("v{}", package_field("version"));
    assert_eq!(planc::init::REPOSITORY, repository);
    assert_eq!(planc::init::PIN, pin);
    let install = format!("cargo install --locked --git {repository} --tag {pin} --root");

    let github = read(&repo.join(".github/workflows/planc.yml"));
    assert!(github.contains(&install), "{github}");
    assert!(github.contains(&format!("key: planc-{pin}-")), "{github}");
    assert!(github.contains("planc validate --format github"));
    // The action, pinned alike, as the one-step alternative.
    assert!(
        github.contains(&format!("uses: {}@{pin}", planc::init::action())),
        "{github}"
    );
    let workflow = yaml(&repo.join(".github/workflows/planc.yml"));
    let steps = workflow["jobs"]["validate"]["steps"].as_array().unwrap();
    let cache = steps
        .iter()
        .find(|s| s["uses"] == "actions/cache@v4")
        .expect("a cache step");
    let install_step = steps
        .iter()
        .find(|s| s["name"] == "Install planc")
        .expect("an install step");
    assert_eq!(
        install_step["if"],
        format!(
            "steps.{}.outputs.cache-hit != 'true'",
            cache["id"].as_str().unwrap()
        )
    );

    let gitlab = read(&repo.join(".gitlab-ci.yml"));
    assert!(gitlab.contains(&install), "{gitlab}");
    let job = &yaml(&repo.join(".gitlab-ci.yml"))["planc"];
    assert_eq!(job["cache"]["key"], format!("planc-{pin}"));
    assert_eq!(job["cache"]["paths"][0], ".planc/");
    assert!(
        job["script"][0]
            .as_str()
            .unwrap()
            .starts_with("test -x .planc/bin/planc ||")
    );

    for file in [".github/workflows/planc.yml", ".gitlab-ci.yml"] {
        let contents = read(&repo.join(file));
        assert!(
            !contents.contains("cargo install --locked planc"),
            "{file} installs planc from crates.io, where it is not"
        );
    }
}

/// GitHub's slug of a Markdown heading: the anchor a link to it uses.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn planc_toml_and_help_point_to_where_planc_toml_is_documented() {
    let (_temp, repo) = initialised();
    let config = read(&repo.join("planc.toml"));
    let docs = planc::init::CONFIG_DOCS;
    assert!(config.contains(docs), "{config}");
    assert!(!config.contains("planc --help"), "{config}");
    let (page, anchor) = docs.split_once('#').unwrap();
    assert!(page.ends_with("/README.md"), "{docs}");
    let readme = read(&root().join("README.md"));
    let anchors: Vec<String> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(slug)
        .collect();
    assert!(
        anchors.iter().any(|a| a == anchor),
        "no README heading has the anchor {anchor}: {anchors:?}"
    );
    let section = readme
        .split("\n## ")
        .find(|s| slug(s.lines().next().unwrap()) == anchor)
        .unwrap();
    assert!(section.contains("plans = [\"plans\"]"), "{section}");

    // The generated file is one planc reads.
    let validate = planc_in(&repo, &["validate", "--as-of", "2009-06-30"]);
    assert!(validate.status.success(), "{}", report(&validate));

    let help = planc_in(&repo, &["--help"]);
    assert!(help.status.success(), "{}", report(&help));
    let help = text(&help.stdout);
    assert!(help.contains("planc.toml"), "{help}");
    assert!(help.contains(docs), "{help}");
}

#[test]
fn init_ignores_out_and_keeps_a_gitignore_that_does_not() {
    let (temp, repo) = initialised();
    assert!(read(&repo.join(".gitignore")).lines().any(|l| l == "out/"));
    // git agrees that what `planc build` writes is ignored.
    let git = |dir: &Path, args: &[&str]| {
        Command::new("git")
            .current_dir(dir)
            .args(args)
            .output()
            .expect("git runs")
    };
    assert!(git(&repo, &["init", "-q"]).status.success());
    let build = planc_in(&repo, &["build", "--as-of", "2009-06-30"]);
    assert!(build.status.success(), "{}", report(&build));
    assert!(repo.join("out/index.html").is_file());
    let ignored = git(&repo, &["check-ignore", "-q", "out/index.html"]);
    assert!(ignored.status.success(), "out/ is not ignored");
    let status = git(&repo, &["status", "--porcelain", "--untracked-files=all"]);
    assert!(
        !text(&status.stdout).contains("out/"),
        "{}",
        report(&status)
    );

    // An existing .gitignore without out/ is kept, and init says so.
    let mine = temp.path().join("mine");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join(".gitignore"), "*.tmp\n").unwrap();
    let output = planc_in(temp.path(), &["init", "mine"]);
    assert!(output.status.success(), "{}", report(&output));
    assert_eq!(read(&mine.join(".gitignore")), "*.tmp\n");
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("kept    mine/.gitignore (it exists; it does not ignore out/"),
        "{stdout}"
    );

    // One that ignores out/ is simply kept.
    let again = planc_in(temp.path(), &["init", "repo"]);
    assert!(
        text(&again.stdout).contains("kept    repo/.gitignore (it exists)\n"),
        "{}",
        report(&again)
    );
}

// ------------------------------------------------ the tools that read them

#[test]
fn actionlint_accepts_the_generated_workflow() {
    let Some(actionlint) = tool("actionlint") else {
        return;
    };
    let (_temp, repo) = initialised();
    let workflow = ".github/workflows/planc.yml";
    let lint = |dir: &Path| {
        Command::new(&actionlint)
            .current_dir(dir)
            .arg(workflow)
            .output()
            .expect("actionlint runs")
    };
    let output = lint(&repo);
    assert!(output.status.success(), "{}", report(&output));

    // The same check fails on a workflow with a mistake, so it checks.
    let broken = read(&repo.join(workflow)).replace("path: ~/.planc", "paths: ~/.planc");
    fs::write(repo.join(workflow), broken).unwrap();
    let output = lint(&repo);
    assert!(!output.status.success(), "{}", report(&output));
    assert!(
        text(&output.stdout).contains("paths") || text(&output.stderr).contains("paths"),
        "{}",
        report(&output)
    );
}

/// Writes a shell script for shellcheck: GitHub's `${{ ... }}` expressions
/// become a word, as the runner substitutes them before the shell runs.
fn shell_script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let mut script = String::from("#!/usr/bin/env bash\n");
    let mut rest = body;
    while let Some(start) = rest.find("${{") {
        script.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("a closed expression") + start + 2;
        script.push_str("expression");
        rest = &rest[end..];
    }
    script.push_str(rest);
    script.push('\n');
    let path = dir.join(name);
    fs::write(&path, script).unwrap();
    path
}

fn shellcheck(shellcheck: &Path, script: &Path) {
    let output = Command::new(shellcheck)
        .args(["--shell", "bash", "--severity", "style"])
        .arg(script)
        .output()
        .expect("shellcheck runs");
    assert!(
        output.status.success(),
        "{}:\n{}\n{}",
        script.display(),
        read(script),
        report(&output)
    );
}

/// The `run:` scripts of a list of GitHub steps.
fn runs(steps: &serde_json::Value) -> Vec<String> {
    steps
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str().map(String::from))
        .collect()
}

#[test]
fn shellcheck_accepts_every_script_in_the_ci_files_and_the_action() {
    let Some(shellcheck_path) = tool("shellcheck") else {
        return;
    };
    let (temp, repo) = initialised();
    let mut scripts = Vec::new();
    let workflow = yaml(&repo.join(".github/workflows/planc.yml"));
    scripts.extend(runs(&workflow["jobs"]["validate"]["steps"]));
    let action = yaml(&root().join("action.yml"));
    scripts.extend(runs(&action["runs"]["steps"]));
    let gitlab = yaml(&repo.join(".gitlab-ci.yml"));
    let lines: Vec<&str> = gitlab["planc"]["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    scripts.push(lines.join("\n"));
    assert!(scripts.len() >= 8, "{scripts:?}");
    for (i, body) in scripts.iter().enumerate() {
        let script = shell_script(temp.path(), &format!("script-{i}.sh"), body);
        shellcheck(&shellcheck_path, &script);
    }
    // It checks: an unquoted expansion is reported.
    let script = shell_script(temp.path(), "bad.sh", "cd $GITHUB_ACTION_PATH");
    let output = Command::new(&shellcheck_path)
        .arg(&script)
        .output()
        .unwrap();
    assert!(!output.status.success(), "{}", report(&output));
}

#[test]
fn pre_commit_accepts_the_generated_config_and_runs_the_hook() {
    let Some(pre_commit) = tool("pre-commit") else {
        return;
    };
    let (temp, repo) = initialised();
    let home = temp.path().join("pre-commit-home");
    let bin = Path::new(env!("CARGO_BIN_EXE_planc")).parent().unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin.to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let run = |dir: &Path, args: &[&str]| {
        Command::new(&pre_commit)
            .current_dir(dir)
            .env("PRE_COMMIT_HOME", &home)
            .env("PATH", &path)
            .args(args)
            .output()
            .expect("pre-commit runs")
    };
    let output = run(&repo, &["validate-config", ".pre-commit-config.yaml"]);
    assert!(output.status.success(), "{}", report(&output));
    // The hook this repository offers other repositories.
    let output = run(root(), &["validate-manifest", ".pre-commit-hooks.yaml"]);
    assert!(output.status.success(), "{}", report(&output));

    // The hook runs planc, which passes on the starter plan...
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .current_dir(&repo)
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {}", report(&output));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    let output = run(&repo, &["run", "--all-files"]);
    assert!(output.status.success(), "{}", report(&output));
    assert!(
        text(&output.stdout).contains("Passed"),
        "{}",
        report(&output)
    );

    // ...and fails on a plan with an error.
    let plan = repo.join("plans/example-cluster/plan.yaml");
    fs::write(&plan, read(&plan).replace("cost: 1500", "cost: 1600")).unwrap();
    git(&["add", "-A"]);
    let output = run(&repo, &["run", "--all-files"]);
    assert!(!output.status.success(), "{}", report(&output));
    assert!(text(&output.stdout).contains("F003"), "{}", report(&output));
    // A config with a mistake is refused, so the check checks.
    fs::write(
        repo.join(".pre-commit-config.yaml"),
        read(&repo.join(".pre-commit-config.yaml")).replace("entry:", "entri:"),
    )
    .unwrap();
    let output = run(&repo, &["validate-config", ".pre-commit-config.yaml"]);
    assert!(!output.status.success(), "{}", report(&output));
}

// ------------------------------------------------------------ action.yml

/// The step of action.yml with this name.
fn action_step(name: &str) -> serde_json::Value {
    let action = yaml(&root().join("action.yml"));
    action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("action.yml has no step {name:?}"))
        .clone()
}

#[test]
fn the_action_is_composite_with_the_inputs_the_workflow_names() {
    let action = yaml(&root().join("action.yml"));
    assert_eq!(action["runs"]["using"], "composite");
    let inputs: BTreeSet<&str> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(inputs, BTreeSet::from(["paths", "deny-warnings"]));
    for input in &inputs {
        assert!(
            !action["inputs"][input]["description"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
    for step in action["runs"]["steps"].as_array().unwrap() {
        if step.get("run").is_some() {
            assert_eq!(step["shell"], "bash", "{step}");
        }
    }
    // The one-step alternative in the generated workflow uses these inputs.
    let (_temp, repo) = initialised();
    let workflow = read(&repo.join(".github/workflows/planc.yml"));
    for input in &inputs {
        assert!(
            workflow.contains(&format!("#       {input}: ")),
            "{workflow}"
        );
    }
    // It installs the source it comes with, and caches it.
    let install = action_step("Install planc");
    assert!(
        install["run"]
            .as_str()
            .unwrap()
            .contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\"")
    );
    assert_eq!(action_step("Cache planc")["with"]["path"], "~/.planc");
}

/// Runs one of action.yml's scripts as the runner does (`bash -e -o
/// pipefail`), with these environment variables.
fn run_action_step(name: &str, dir: &Path, env: &[(&str, &str)]) -> Output {
    let step = action_step(name);
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c"])
        .arg(step["run"].as_str().unwrap())
        .current_dir(dir);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("bash runs")
}

#[test]
fn the_action_keys_its_cache_on_the_version_and_source() {
    let temp = tempfile::tempdir().unwrap();
    let output_file = temp.path().join("output");
    fs::write(&output_file, "").unwrap();
    let output = run_action_step(
        "Key the cache on planc's version and source",
        temp.path(),
        &[
            ("GITHUB_ACTION_PATH", root().to_str().unwrap()),
            ("GITHUB_OUTPUT", output_file.to_str().unwrap()),
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
        ],
    );
    assert!(output.status.success(), "{}", report(&output));
    let written = read(&output_file);
    let key = written
        .trim_end()
        .strip_prefix("key=")
        .unwrap_or_else(|| panic!("{written:?}"));
    let prefix = format!("planc-v{}-", package_field("version"));
    let digest = key
        .strip_prefix(&prefix)
        .and_then(|k| k.strip_suffix("-Linux-X64"))
        .unwrap_or_else(|| panic!("{key}"));
    assert_eq!(digest.len(), 16, "{key}");
    assert!(digest.chars().all(|c| c.is_ascii_hexdigit()), "{key}");
}

#[test]
fn the_action_validates_the_paths_it_is_given() {
    let (temp, repo) = initialised();
    // The runner's home, with planc where the install step puts it.
    let home = temp.path().join("home");
    fs::create_dir_all(home.join(".planc/bin")).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_planc"), home.join(".planc/bin/planc")).unwrap();
    let home = home.to_str().unwrap();
    let validate = |paths: &str, deny: &str| {
        run_action_step(
            "Validate the plans",
            &repo,
            &[
                ("HOME", home),
                ("PLANC_PATHS", paths),
                ("PLANC_DENY_WARNINGS", deny),
            ],
        )
    };
    let output = validate("", "false");
    assert!(output.status.success(), "{}", report(&output));

    // A second plan with a warning (money left unallocated), named with
    // the first on two lines.
    let second = repo.join("plans/second");
    fs::create_dir_all(&second).unwrap();
    fs::write(
        second.join("plan.yaml"),
        "plan:\n  id: second\n  name: Second\n  period: { start: 2009-04-01, end: 2010-03-31 }\n\
         sources:\n  - { id: grant, name: Grant, amount: 100 }\n",
    )
    .unwrap();
    let output = validate("plans/example-cluster\n  plans/second", "false");
    assert!(output.status.success(), "{}", report(&output));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("::warning file=plans/second/plan.yaml"),
        "{}",
        report(&output)
    );
    assert!(!stdout.contains("example-cluster"), "{}", report(&output));

    let output = validate("plans/second", "true");
    assert_eq!(output.status.code(), Some(1), "{}", report(&output));
    let output = validate("plans/example-cluster", "true");
    assert!(output.status.success(), "{}", report(&output));

    let output = validate("", "yes");
    assert_eq!(output.status.code(), Some(2), "{}", report(&output));
    assert!(
        text(&output.stdout).contains("::error::deny-warnings is `yes`"),
        "{}",
        report(&output)
    );
}
