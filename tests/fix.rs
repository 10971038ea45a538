//! `planc fix` and `planc validate --fix` on plans in a scratch repository:
//! the fixes planc is certain of are made, each file edited only in the
//! tokens fixed (comments, key order and indentation kept byte for byte),
//! `--diff` writes nothing, and nothing ambiguous, nothing through a link
//! and nothing outside the repository is ever written.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

mod common;
use common::*;

/// A YAML plan with `£36'000`, `cots:` for `cost:` and a misspelt source
/// id; balanced and clean once those three are fixed.
const YAML: &str = r#"# Druids Heath cluster: transcribed from the 2008 plan.
plan:
  id: dh
  name: Druids Heath   # short name
  period: { start: 2008-04-01, end: 2009-03-31 }

sources:
  - id: extended-services
    name: Extended services grant
    amount: £36'000     # as written in the seed

sections:
  - id: main
    title: Action plan
    source: extended-services
    priorities:
      - id: safety
        title: Stay safe
        activities:
          - id: "1.1"
            title: Cycle training
            cots: 6000          # typo of cost

            # a comment between activities
          - id: "1.2"
            title: Youth club
            cost:   {  amount: 30000,   source: "extended-servces"  }
"#;

/// The same three slips in TOML: a quoted amount, a key, a literal string.
const TOML: &str = r#"# Stoke cluster 3, transcribed.
[plan]
id    = "stoke"
name  = "Stoke"     # short
period = { start = 2008-04-01, end = 2009-03-31 }

[[sources]]
id     = "lsf-grant"
name   = "LSF"
amount = "£36'000"   # quoted in the seed

[[sections]]
id = "main"
title = "Action plan"

  [[sections.priorities]]
  id = "p"
  title = "Priority"

    [[sections.priorities.activities]]
    id = "a1"
    title = "One"
    cots = { amount = 6000, source = "lsf-grant" }

    [[sections.priorities.activities]]
    id = "a2"
    title = "Two"
    cost = { amount = 30000, source = 'lsf-grnat' }  # literal string
"#;

/// `text` with each (token, replacement) made once, at the token's only
/// place: what a fix may change, and nothing else.
fn edited(text: &str, edits: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (token, replacement) in edits {
        assert_eq!(
            out.matches(token).count(),
            1,
            "`{token}` is in the text once"
        );
        out = out.replacen(token, replacement, 1);
    }
    out
}

fn yaml_fixed() -> String {
    edited(
        YAML,
        &[
            ("£36'000", "36000"),
            ("cots:", "cost:"),
            ("\"extended-servces\"", "\"extended-services\""),
        ],
    )
}

fn toml_fixed() -> String {
    edited(
        TOML,
        &[
            ("\"£36'000\"", "36000"),
            ("cots =", "cost ="),
            ("'lsf-grnat'", "'lsf-grant'"),
        ],
    )
}

/// A repository with the two plans, each in its own directory.
fn repository() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let plans = temp.path().join("plans");
    fs::create_dir_all(plans.join("druids-heath")).unwrap();
    fs::create_dir_all(plans.join("stoke")).unwrap();
    fs::write(plans.join("druids-heath/plan.yaml"), YAML).unwrap();
    fs::write(plans.join("stoke/plan.toml"), TOML).unwrap();
    temp
}

fn read(repo: &Path, file: &str) -> String {
    fs::read_to_string(repo.join(file)).unwrap()
}

#[test]
fn the_plans_have_the_problems_to_fix() {
    let repo = repository();
    let output = planc_in(repo.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 1);
    for finding in [
        "plans/druids-heath/plan.yaml:10:13: error[M001]",
        "plans/druids-heath/plan.yaml:22:13: error[S001]",
        "plans/druids-heath/plan.yaml:27:49: error[R003]",
        "plans/stoke/plan.toml:10:10: error[M001]",
        "plans/stoke/plan.toml:23:5: error[S001]",
        "plans/stoke/plan.toml:28:39: error[R003]",
    ] {
        assert!(
            output.stderr.contains(finding),
            "{finding}\n{}",
            output.stderr
        );
    }
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let repo = repository();
    let output = planc_in(repo.path(), &["fix", "--diff", "--as-of", AS_OF]);
    assert_eq!(output.status, 1, "fixes are pending: {}", output.stderr);
    assert_eq!(
        output.stdout,
        r#"--- a/plans/druids-heath/plan.yaml
+++ b/plans/druids-heath/plan.yaml
@@ -7,7 +7,7 @@
 sources:
   - id: extended-services
     name: Extended services grant
-    amount: £36'000     # as written in the seed
+    amount: 36000     # as written in the seed
 
 sections:
   - id: main
@@ -19,9 +19,9 @@
         activities:
           - id: "1.1"
             title: Cycle training
-            cots: 6000          # typo of cost
+            cost: 6000          # typo of cost
 
             # a comment between activities
           - id: "1.2"
             title: Youth club
-            cost:   {  amount: 30000,   source: "extended-servces"  }
+            cost:   {  amount: 30000,   source: "extended-services"  }
--- a/plans/stoke/plan.toml
+++ b/plans/stoke/plan.toml
@@ -7,7 +7,7 @@
 [[sources]]
 id     = "lsf-grant"
 name   = "LSF"
-amount = "£36'000"   # quoted in the seed
+amount = 36000   # quoted in the seed
 
 [[sections]]
 id = "main"
@@ -20,9 +20,9 @@
     [[sections.priorities.activities]]
     id = "a1"
     title = "One"
-    cots = { amount = 6000, source = "lsf-grant" }
+    cost = { amount = 6000, source = "lsf-grant" }
 
     [[sections.priorities.activities]]
     id = "a2"
     title = "Two"
-    cost = { amount = 30000, source = 'lsf-grnat' }  # literal string
+    cost = { amount = 30000, source = 'lsf-grant' }  # literal string
"#
    );
    assert!(
        output
            .stderr
            .contains("planc: 6 problems can be fixed in 2 files: run `planc fix` to apply them"),
        "{}",
        output.stderr
    );
    assert_eq!(read(repo.path(), "plans/druids-heath/plan.yaml"), YAML);
    assert_eq!(read(repo.path(), "plans/stoke/plan.toml"), TOML);
    let names: Vec<_> = fs::read_dir(repo.path().join("plans/stoke"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["plan.toml"], "no temporary file left behind");
}

#[test]
fn fix_rewrites_only_the_fixed_tokens_and_validates_again() {
    let repo = repository();
    let output = planc_in(repo.path(), &["fix", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    for line in [
        "planc: plans/druids-heath/plan.yaml:10:13: fixed: write `£36'000` as `36000`",
        "planc: plans/druids-heath/plan.yaml:22:13: fixed: rename `cots` to `cost`",
        "planc: plans/druids-heath/plan.yaml:27:49: fixed: replace `extended-servces` with `extended-services`",
        "planc: plans/stoke/plan.toml:10:10: fixed: write `£36'000` as `36000`",
        "planc: plans/stoke/plan.toml:23:5: fixed: rename `cots` to `cost`",
        "planc: plans/stoke/plan.toml:28:39: fixed: replace `lsf-grnat` with `lsf-grant`",
        "planc: fixed 6 problems in 2 files",
        // Validated again, as `planc validate` would.
        "planc: 0 errors, 0 warnings, 0 notes in 2 plans",
    ] {
        assert!(output.stderr.contains(line), "{line}\n{}", output.stderr);
    }
    assert!(!output.stderr.contains("run `planc fix` again"));
    // Byte for byte the same but for the fixed tokens.
    assert_eq!(
        read(repo.path(), "plans/druids-heath/plan.yaml"),
        yaml_fixed()
    );
    assert_eq!(read(repo.path(), "plans/stoke/plan.toml"), toml_fixed());

    let again = planc_in(repo.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(again.status, 0, "{}", again.stderr);
    let diff = planc_in(repo.path(), &["fix", "--diff", "--as-of", AS_OF]);
    assert_eq!(diff.status, 0, "nothing left to fix: {}", diff.stderr);
    assert_eq!(diff.stdout, "");
    assert!(diff.stderr.contains("planc: nothing to fix"));
    // Nothing to fix: nothing written, nothing changed.
    let once_more = planc_in(repo.path(), &["fix", "--as-of", AS_OF]);
    assert_eq!(once_more.status, 0);
    assert!(
        once_more
            .stderr
            .contains("planc: fixed 0 problems in 0 files")
    );
    assert_eq!(read(repo.path(), "plans/stoke/plan.toml"), toml_fixed());
}

#[test]
fn validate_fix_is_the_same_engine() {
    let repo = repository();
    let output = planc_in(
        repo.path(),
        &[
            "validate",
            "--fix",
            "plans/stoke",
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(output.stderr.contains("planc: fixed 3 problems in 1 file"));
    let remaining: serde_json::Value = serde_json::from_str(&output.stdout).expect("JSON");
    assert_eq!(remaining, serde_json::json!([]));
    assert_eq!(read(repo.path(), "plans/stoke/plan.toml"), toml_fixed());
    // Only the plan named was fixed.
    assert_eq!(read(repo.path(), "plans/druids-heath/plan.yaml"), YAML);
}

#[test]
fn fixes_found_once_others_are_made_are_announced() {
    let repo = repository();
    // The source's id is checked only once the cost's amount can be read.
    let text = YAML.replace("amount: 30000,", "amount: \"£30'000\",");
    fs::write(repo.path().join("plans/druids-heath/plan.yaml"), &text).unwrap();
    let first = planc_in(
        repo.path(),
        &["fix", "plans/druids-heath", "--as-of", AS_OF],
    );
    assert_eq!(first.status, 1, "{}", first.stderr);
    assert!(first.stderr.contains("planc: fixed 3 problems in 1 file"));
    assert!(
        first
            .stderr
            .contains("planc: 1 more problem can be fixed now: run `planc fix` again"),
        "{}",
        first.stderr
    );
    let second = planc_in(
        repo.path(),
        &["fix", "plans/druids-heath", "--as-of", AS_OF],
    );
    assert_eq!(second.status, 0, "{}", second.stderr);
    assert_eq!(
        read(repo.path(), "plans/druids-heath/plan.yaml"),
        yaml_fixed()
    );
}

#[test]
fn ambiguous_problems_are_not_fixed() {
    let temp = tempfile::tempdir().unwrap();
    fs::create_dir(temp.path().join("plans")).unwrap();
    // `1.000`: a thousand, or one pound? `£7,,000`: seven thousand, or a
    // digit missing? `sorce`: `source` or `sources`? `lsf-2009`: a slip for
    // `lsf-2008`, or another year's grant? `schol`: `school` or `schools`?
    let text = r#"plan:
  id: x
  name: X
  period: { start: 2008-04-01, end: 2009-03-31 }
sources:
  - { id: lsf-2008, name: LSF, amount: 1000 }
partners:
  - { id: school, name: One school }
  - { id: schools, name: All schools }
sections:
  - id: main
    title: Main
    priorities:
      - id: p
        title: P
        activities:
          - { id: a1, title: A, cost: '1.000' }
          - { id: a2, title: B, cost: "£7,,000" }
          - { id: a3, title: C, cost: { amount: 5, sorce: lsf-2008 } }
          - { id: a4, title: D, cost: { amount: 5, source: lsf-2009 } }
          - { id: a5, title: E, partners: { lead: [schol] } }
          - { id: a6, title: F, cost: about 5000 }
"#;
    let path = temp.path().join("plans/plan.yaml");
    fs::write(&path, text).unwrap();
    let before = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
    for code in ["M003", "M001", "S001", "R003", "R002"] {
        assert!(
            before.stderr.contains(&format!("[{code}]")),
            "{code}\n{}",
            before.stderr
        );
    }
    let diff = planc_in(temp.path(), &["fix", "--diff", "--as-of", AS_OF]);
    assert_eq!(diff.status, 0, "{}", diff.stderr);
    assert_eq!(diff.stdout, "");
    let output = planc_in(temp.path(), &["fix", "--as-of", AS_OF]);
    assert_eq!(output.status, 1, "the errors remain");
    assert!(output.stderr.contains("planc: fixed 0 problems in 0 files"));
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[cfg(unix)]
#[test]
fn a_plan_that_is_a_link_is_not_written_through() {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("repo");
    fs::create_dir_all(repo.join("plans/druids-heath")).unwrap();
    fs::create_dir_all(repo.join("kept")).unwrap();
    // A link to a file inside the repository: read, never written through.
    fs::write(repo.join("kept/plan.yaml"), YAML).unwrap();
    let link = repo.join("plans/druids-heath/plan.yaml");
    std::os::unix::fs::symlink("../../kept/plan.yaml", &link).unwrap();
    // A link out of the repository: not even read.
    fs::create_dir_all(repo.join("plans/stoke")).unwrap();
    let outside = temp.path().join("outside.toml");
    fs::write(&outside, TOML).unwrap();
    std::os::unix::fs::symlink(&outside, repo.join("plans/stoke/plan.toml")).unwrap();

    let diff = planc_in(&repo, &["fix", "--diff", "--as-of", AS_OF]);
    assert!(diff.stdout.contains("+++ b/plans/druids-heath/plan.yaml"));
    assert!(!diff.stdout.contains("stoke"), "{}", diff.stdout);

    let output = planc_in(&repo, &["fix", "--as-of", AS_OF]);
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(
        output.stderr.contains(
            "planc: plans/druids-heath/plan.yaml: not fixed: it is a symbolic link or is \
             reached through one"
        ),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("planc: fixed 0 problems in 0 files"));
    assert_eq!(
        fs::read_to_string(repo.join("kept/plan.yaml")).unwrap(),
        YAML
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&outside).unwrap(), TOML);
    let leftovers: Vec<_> = fs::read_dir(repo.join("plans/druids-heath"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["plan.yaml"]);
}

#[test]
fn a_file_named_outside_the_repository_is_not_written() {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    fs::write(repo.join("planc.toml"), "").unwrap();
    let elsewhere = temp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("plan.yaml"), YAML).unwrap();
    // Named on the command line from inside the repository: read, as
    // planc validate would, but outside the repository, so not written.
    let output = planc_in(&repo, &["fix", "../elsewhere/plan.yaml", "--as-of", AS_OF]);
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("plan.yaml: not fixed: it is outside the repository"),
        "{}",
        output.stderr
    );
    assert_eq!(
        fs::read_to_string(elsewhere.join("plan.yaml")).unwrap(),
        YAML
    );
}

#[test]
fn help_explains_the_exit_statuses() {
    let output = planc_in(Path::new(env!("CARGO_MANIFEST_DIR")), &["fix", "--help"]);
    assert_eq!(output.status, 0);
    assert!(output.stdout.contains("--diff"));
    assert!(
        output
            .stdout
            .contains("0 when there is nothing to fix, 1 when there are fixes to apply"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_plan_on_standard_input_is_shown_fixed_never_written() {
    let repo = repository();
    let run = |args: &[&str]| {
        let output = Command::cargo_bin("planc")
            .unwrap()
            .current_dir(repo.path())
            .args(args)
            .write_stdin(YAML)
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (status, stdout, stderr) = run(&["fix", "--diff", "-", "--as-of", AS_OF]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stdout.starts_with("--- a/stdin.yaml\n+++ b/stdin.yaml\n"),
        "{stdout}"
    );
    assert!(stdout.contains("+            cost: 6000          # typo of cost\n"));
    for args in [
        &["fix", "-", "--as-of", AS_OF][..],
        &["validate", "--fix", "-", "--as-of", AS_OF][..],
    ] {
        let (status, _, stderr) = run(args);
        assert_eq!(status, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("cannot fix standard input"), "{stderr}");
    }
    assert!(!repo.path().join("stdin.yaml").exists());
}
