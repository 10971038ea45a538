//! The command-line conventions people know from ruff, cargo and rustc:
//! `-` for standard input, `--quiet`, `--color`, `--config`, levels on the
//! command line (`-A`/`-W`/`-D`), allow comments in plan files.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

mod common;
use common::{AS_OF, Output};

fn planc(dir: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut command = Command::cargo_bin("planc").unwrap();
    command
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    if let Some(text) = stdin {
        command.write_stdin(text);
    }
    Output::from(command.output().unwrap())
}

/// A plan overspent by £50 (an error) whose activity ends after the plan
/// (a warning, D002).
const PLAN: &str = "plan: { id: p, name: P, period: { start: 2008-04-01, end: 2009-03-31 } }
sources: [{ id: grant, name: Grant, amount: 100 }]
sections:
  - id: main
    title: Main
    source: grant
    priorities:
      - id: p
        title: P
        activities:
          - id: a
            title: A
            cost: 150
            timescale: { end: 2010-03 }
";

fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = temp.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    temp
}

/// The `severity[CODE]` of each message, in order.
fn codes(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.rsplit_once(": ").map(|(_, rest)| rest))
        .filter(|rest| {
            ["error[", "warning[", "note["]
                .iter()
                .any(|s| rest.starts_with(s))
                && rest.ends_with(']')
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn a_plan_on_standard_input_is_named_in_messages() {
    let temp = repo(&[]);
    let out = planc(
        temp.path(),
        &["validate", "-", "--as-of", AS_OF],
        Some(PLAN),
        &[],
    );
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("stdin.yaml:2:17: error[F001]"),
        "{}",
        out.stderr
    );
    let toml = "[plan]\nid = \"p\"\nname = \"P\"\nperiod = { start = 2008-04-01, end = 2009-03-31 }\ncots = 5\n";
    let out = planc(
        temp.path(),
        &[
            "validate",
            "--stdin-filename",
            "budget/plan.toml",
            "-",
            "--as-of",
            AS_OF,
        ],
        Some(toml),
        &[],
    );
    assert!(
        out.stderr.contains("budget/plan.toml:5:1"),
        "{}",
        out.stderr
    );
    // planc.toml's levels apply to it as to any plan.
    let temp = repo(&[("planc.toml", "[checks]\nD002 = \"allow\"\n")]);
    let out = planc(
        temp.path(),
        &["summary", "-", "--as-of", AS_OF],
        Some(PLAN),
        &[],
    );
    assert!(out.stdout.contains("£150"), "{}", out.stdout);
    let out = planc(
        temp.path(),
        &["validate", "-", "--as-of", AS_OF],
        Some(PLAN),
        &[],
    );
    assert_eq!(codes(&out.stderr), ["error[F001]"], "{}", out.stderr);
    let out = planc(temp.path(), &["validate", "-", "plans"], Some(PLAN), &[]);
    assert_eq!(out.status, 2, "{}", out.stderr);
}

#[test]
fn quiet_prints_the_errors_alone() {
    let temp = repo(&[("plans/p/plan.yaml", PLAN)]);
    let out = planc(
        temp.path(),
        &["validate", "-q", "--as-of", AS_OF],
        None,
        &[],
    );
    assert_eq!(out.status, 1);
    assert_eq!(codes(&out.stderr), ["error[F001]"], "{}", out.stderr);
    assert!(!out.stderr.contains("planc: 1 error"), "{}", out.stderr);
    let clean = repo(&[("plans/p/plan.yaml", &PLAN.replace("cost: 150", "cost: 100"))]);
    let out = planc(
        clean.path(),
        &["validate", "--quiet", "--as-of", AS_OF],
        None,
        &[],
    );
    assert_eq!((out.status, out.stderr.as_str()), (0, ""));
}

#[test]
fn color_follows_the_flag_then_no_color_and_clicolor_force() {
    let temp = repo(&[("plans/p/plan.yaml", PLAN)]);
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["validate", "--as-of", AS_OF];
        all.extend_from_slice(args);
        planc(temp.path(), &all, None, env)
            .stderr
            .contains("\u{1b}[")
    };
    assert!(!run(&[], &[]), "a pipe is not coloured");
    assert!(run(&["--color", "always"], &[]));
    assert!(run(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!run(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(run(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!run(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
}

#[test]
fn config_names_the_settings_file_to_use() {
    let temp = repo(&[
        ("plans/p/plan.yaml", PLAN),
        ("strict.toml", "[checks]\nD002 = \"error\"\n"),
    ]);
    let out = planc(
        temp.path(),
        &["validate", "--config", "strict.toml", "--as-of", AS_OF],
        None,
        &[],
    );
    assert_eq!(
        codes(&out.stderr),
        ["error[F001]", "error[D002]"],
        "{}",
        out.stderr
    );
    let out = planc(
        temp.path(),
        &["validate", "--config", "nope.toml"],
        None,
        &[],
    );
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("--config nope.toml: no such file"));
}

#[test]
fn levels_on_the_command_line() {
    let temp = repo(&[("plans/p/plan.yaml", PLAN)]);
    let run = |args: &[&str]| {
        let mut all = vec!["validate", "--as-of", AS_OF];
        all.extend_from_slice(args);
        planc(temp.path(), &all, None, &[])
    };
    let out = run(&[]);
    assert_eq!(codes(&out.stderr), ["error[F001]", "warning[D002]"]);
    assert_eq!(codes(&run(&["-A", "D002"]).stderr), ["error[F001]"]);
    assert_eq!(
        codes(&run(&["--deny", "outside-period"]).stderr),
        ["error[F001]", "error[D002]"]
    );
    assert_eq!(
        codes(&run(&["-D", "warnings"]).stderr),
        ["error[F001]", "error[D002]"]
    );
    // A plan's own level is more specific than the command line.
    let own = repo(&[(
        "plans/p/plan.yaml",
        &PLAN.replace(
            "end: 2009-03-31 }",
            "end: 2009-03-31 }, checks: { D002: note }",
        ),
    )]);
    let out = planc(
        own.path(),
        &["validate", "-D", "D002", "--as-of", AS_OF],
        None,
        &[],
    );
    assert_eq!(codes(&out.stderr), ["error[F001]", "note[D002]"]);
    // Money and balances are never quieted; unknown codes are not guessed.
    let out = run(&["-A", "F001"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("the level of F001 cannot be changed"));
    let out = run(&["-W", "D02"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("did you mean D002?"), "{}", out.stderr);
}

#[test]
fn allow_comments_quiet_a_check_where_they_are() {
    let trailing = PLAN.replace(
        "timescale: { end: 2010-03 }",
        "timescale: { end: 2010-03 }  # planc: allow D002 (funded from next year's grant)",
    );
    let item = PLAN.replace(
        "          - id: a\n",
        "          # planc: allow outside-period, F001\n          - id: a\n",
    );
    for (text, expected) in [
        (trailing.as_str(), vec!["error[F001]"]),
        // F001 cannot be allowed: the comment says so, and it stays.
        (item.as_str(), vec!["error[F001]", "warning[S006]"]),
    ] {
        let temp = repo(&[("plans/p/plan.yaml", text)]);
        let out = planc(temp.path(), &["validate", "--as-of", AS_OF], None, &[]);
        assert_eq!(codes(&out.stderr), expected, "{}", out.stderr);
    }
    let toml = "[plan]
id = \"p\"
name = \"P\"
period = { start = 2008-04-01, end = 2009-03-31 }

[[sections]]
id = \"main\"
title = \"Main\"

[[sections.priorities]]
id = \"p\"
title = \"P\"

# planc: allow D002
[[sections.priorities.activities]]
id = \"a\"
title = \"A\"
timescale = { end = \"2010-03\" }

[[sections.priorities.activities]]
id = \"b\"
title = \"B\"
timescale = { end = \"2010-03\" }
";
    let temp = repo(&[("plans/p/plan.toml", toml)]);
    let out = planc(temp.path(), &["validate", "--as-of", AS_OF], None, &[]);
    // The comment covers activity a's table only.
    assert_eq!(codes(&out.stderr), ["warning[D002]"], "{}", out.stderr);
    assert!(out.stderr.contains("plan.toml:23:21"), "{}", out.stderr);
}

#[test]
fn small_truths() {
    let temp = repo(&[
        ("plans/p/plan.yaml", &PLAN.replace("cost: 150", "cost: 100")),
        ("mkdocs.yml", "site_name: Our plans\n"),
    ]);
    // Another tool's settings file does not make the repository one plan.
    let out = planc(temp.path(), &["validate", ".", "--as-of", AS_OF], None, &[]);
    assert!(out.stderr.contains("in 1 plan"), "{}", out.stderr);
    assert_eq!(out.status, 0, "{}", out.stderr);
    // A templates directory that does not exist is an error, not ignored.
    let out = planc(
        temp.path(),
        &["build", "--templates", "my-templates", "--as-of", AS_OF],
        None,
        &[],
    );
    assert_eq!(out.status, 2);
    assert!(
        out.stderr
            .contains("--templates my-templates: no such directory"),
        "{}",
        out.stderr
    );
    // A template error is said once.
    fs::create_dir_all(temp.path().join("templates")).unwrap();
    fs::write(temp.path().join("templates/plan.html"), "{% if %}broken").unwrap();
    let out = planc(temp.path(), &["build", "--as-of", AS_OF], None, &[]);
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("unexpected end of block").count(),
        1,
        "{}",
        out.stderr
    );
    // --out's help shows its default once.
    let help = planc(temp.path(), &["build", "--help"], None, &[]).stdout;
    let out_line = help.lines().find(|l| l.contains("--out")).unwrap();
    assert_eq!(help.matches("default: out").count(), 1, "{help}");
    assert!(!out_line.is_empty());
}
