//! `planc diff` as a review tool: each side compiled with its own
//! planc.toml, the problems a change adds and fixes matched across line
//! shifts, the exit statuses, and Markdown that plan text cannot break.
//! Each test builds a small git repository in a temporary directory.

use std::fs;
use std::path::Path;

mod common;
use common::*;

/// `planc diff ARGS --as-of AS_OF` in `dir`.
fn diff(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--as-of", AS_OF]);
    planc_in(dir, &all)
}

fn git(dir: &Path, args: &[&str]) {
    let output = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=planc tests",
            "-c",
            "user.email=planc@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", message]);
}

/// A one-plan repository whose planc.toml keeps the plans in `budget/`
/// (there is no `plans/`), committed once. `activities` are the plan's
/// activity lines.
fn repo(activities: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    write(&dir.join("planc.toml"), "plans = [\"budget\"]\n");
    write(&dir.join("budget/p/plan.yaml"), &plan(activities));
    git(dir, &["init", "-q"]);
    commit(dir, "plan");
    temp
}

fn plan(activities: &str) -> String {
    format!(
        "plan: {{ id: p, name: P, period: {{ start: 2009-04-01, end: 2010-03-31 }}, default_source: s }}
sources: [{{ id: s, name: S, amount: 1000 }}]
sections:
  - id: main
    title: Main
    priorities:
      - id: x
        title: X
        activities:
{activities}"
    )
}

const BALANCED: &str = "          - { id: a, title: A, cost: 1000 }\n";

/// Activity `a` citing an outcome code no framework has: error E002.
const UNKNOWN_CODE: &str = "          - { id: a, title: A, cost: 1000, outcomes: [\"9.9\"] }\n";

/// The rows of the problems table, from the human output.
fn problem_rows(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with("Problems: "))
        .skip(2)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn diff_reads_the_plans_where_planc_toml_keeps_them() {
    let temp = repo(BALANCED);
    let dir = temp.path();
    assert!(!dir.join("plans").exists());
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert_eq!(output.stdout, "Plan p (P): no change\n\n");

    // A figure changes and leaves a warning: shown, added, and no failure
    // without --exit-code.
    let file = dir.join("budget/p/plan.yaml");
    edit(&file, "cost: 1000", "cost: 900");
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(
        output
            .stdout
            .contains("re-costed  a         A      £1,000 → £900"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("Problems: 1 added, 0 fixed"),
        "{}",
        output.stdout
    );
    assert_eq!(
        problem_rows(&output.stdout),
        [
            "added warning F002 budget/p/plan.yaml:2:17 funding source `s` has £100 unallocated: £900 allocated of £1,000 available"
        ]
    );
    assert!(!output.stdout.contains("After the change"));

    // From a directory below the top, planc.toml is found above it, on
    // both sides, and the files are named alike.
    let below = diff(&dir.join("budget"), &["HEAD"]);
    assert_eq!(below.status, 0, "{}", below.stderr);
    assert_eq!(below.stdout, output.stdout);

    // Named paths still win over planc.toml's.
    let named = diff(dir, &["HEAD", "budget/p"]);
    assert_eq!(named.stdout, output.stdout);
}

#[test]
fn exit_code_fails_on_any_change_in_the_figures() {
    let temp = repo(BALANCED);
    let dir = temp.path();
    let output = diff(dir, &["HEAD", "--exit-code"]);
    assert_eq!(output.status, 0, "no change: {}", output.stdout);
    edit(&dir.join("budget/p/plan.yaml"), "cost: 1000", "cost: 999");
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 0, "{}", output.stdout);
    let output = diff(dir, &["HEAD", "--exit-code"]);
    assert_eq!(output.status, 1, "{}", output.stdout);
    assert!(output.stdout.contains("£1,000 → £999"), "{}", output.stdout);
    // Between two revisions too.
    commit(dir, "cheaper");
    let output = diff(dir, &["HEAD~1", "--to", "HEAD", "--exit-code"]);
    assert_eq!(output.status, 1, "{}", output.stdout);
    let output = diff(dir, &["HEAD", "--exit-code"]);
    assert_eq!(output.status, 0, "{}", output.stdout);
    // A comment changes no figure.
    fs::write(
        dir.join("budget/p/plan.yaml"),
        format!(
            "# reviewed\n{}",
            fs::read_to_string(dir.join("budget/p/plan.yaml")).unwrap()
        ),
    )
    .unwrap();
    let output = diff(dir, &["HEAD", "--exit-code"]);
    assert_eq!(output.status, 0, "{}", output.stdout);
}

#[test]
fn a_change_that_adds_an_error_exits_1_and_lists_it_as_added() {
    let temp = repo(BALANCED);
    let dir = temp.path();
    let file = dir.join("budget/p/plan.yaml");
    write(&file, &plan(UNKNOWN_CODE));
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 1, "{}", output.stdout);
    assert_eq!(
        problem_rows(&output.stdout),
        ["added error E002 budget/p/plan.yaml:10:55 `9.9` is not an outcome code of the framework"]
    );
    assert!(
        output.stdout.ends_with(
            "After the change the plans have 1 error: 1 added by it, 0 already present before it.\n"
        ),
        "{}",
        output.stdout
    );
    // The error stays; another is added: one added, one already present.
    commit(dir, "unknown code");
    write(
        &file,
        &plan(&format!(
            "{UNKNOWN_CODE}          - {{ id: b, title: B, cost: 0, outcomes: [\"8.8\"] }}\n"
        )),
    );
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 1, "{}", output.stdout);
    assert_eq!(
        problem_rows(&output.stdout),
        [
            "added error E002 budget/p/plan.yaml:11:52 `8.8` is not an outcome code of the framework",
            "already present error E002 budget/p/plan.yaml:10:55 `9.9` is not an outcome code of the framework",
        ]
    );
    assert!(
        output.stdout.contains(
            "After the change the plans have 2 errors: 1 added by it, 1 already present before it."
        ),
        "{}",
        output.stdout
    );
    // Markdown says the same, for a pull-request comment.
    let output = diff(dir, &["HEAD", "--format", "md"]);
    assert_eq!(output.status, 1);
    assert!(
        output.stdout.contains(
            "| added | error | E002 | budget/p/plan.yaml:11:52 | \\`8.8\\` is not an outcome code of the framework |"
        ),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .contains("| already present | error | E002 | budget/p/plan.yaml:10:55 |"),
        "{}",
        output.stdout
    );
}

#[test]
fn a_change_that_fixes_an_error_lists_it_as_fixed_and_exits_0() {
    let temp = repo(UNKNOWN_CODE);
    let dir = temp.path();
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 1, "errors already there: {}", output.stdout);
    assert_eq!(
        problem_rows(&output.stdout),
        [
            "already present error E002 budget/p/plan.yaml:10:55 `9.9` is not an outcome code of the framework"
        ]
    );
    // Fixed, with two lines added above: the fixed error is shown where it
    // was, before the change.
    write(
        &dir.join("budget/p/plan.yaml"),
        &format!("# Reviewed\n# by the cluster\n{}", plan(BALANCED)),
    );
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 0, "{}", output.stdout);
    assert!(
        output.stdout.contains("Problems: 0 added, 1 fixed"),
        "{}",
        output.stdout
    );
    assert_eq!(
        problem_rows(&output.stdout),
        ["fixed error E002 budget/p/plan.yaml:10:55 `9.9` is not an outcome code of the framework"]
    );
    assert!(!output.stdout.contains("After the change"));
    let output = diff(dir, &["HEAD", "--format", "md"]);
    assert_eq!(output.status, 0);
    assert!(
        output
            .stdout
            .contains("| fixed | error | E002 | budget/p/plan.yaml:10:55 |"),
        "{}",
        output.stdout
    );
}

#[test]
fn lines_moved_above_a_problem_do_not_make_it_added_or_fixed() {
    // The same unknown code twice: two copies of one problem.
    let twice =
        format!("{UNKNOWN_CODE}          - {{ id: b, title: B, cost: 0, outcomes: [\"9.9\"] }}\n");
    let temp = repo(&twice);
    let dir = temp.path();
    let file = dir.join("budget/p/plan.yaml");
    // Lines added above both, and the plan's lines reflowed.
    let shifted = plan(&twice).replace(
        "sources: [{ id: s, name: S, amount: 1000 }]\n",
        "# Funding\n\nsources:\n  - { id: s, name: S, amount: 1000 }\n",
    );
    write(&file, &shifted);
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 1, "the errors remain: {}", output.stdout);
    assert!(
        output.stdout.contains("Problems: 0 added, 0 fixed"),
        "{}",
        output.stdout
    );
    assert_eq!(
        problem_rows(&output.stdout),
        [
            "already present error E002 budget/p/plan.yaml:13:55 `9.9` is not an outcome code of the framework",
            "already present error E002 budget/p/plan.yaml:14:52 `9.9` is not an outcome code of the framework",
        ]
    );
    // A third copy is one added; duplicates are counted, not merged.
    write(
        &file,
        &shifted.replace(
            "cost: 0, outcomes: [\"9.9\"] }\n",
            "cost: 0, outcomes: [\"9.9\"] }\n          - { id: c, title: C, cost: 0, outcomes: [\"9.9\"] }\n",
        ),
    );
    let output = diff(dir, &["HEAD"]);
    assert!(
        output.stdout.contains("Problems: 1 added, 0 fixed"),
        "{}",
        output.stdout
    );
    assert_eq!(
        problem_rows(&output.stdout)
            .iter()
            .filter(|r| r.starts_with("already present"))
            .count(),
        2
    );
    // Taking one copy away fixes one.
    write(&file, &plan(UNKNOWN_CODE));
    let output = diff(dir, &["HEAD"]);
    assert!(
        output.stdout.contains("Problems: 0 added, 1 fixed"),
        "{}",
        output.stdout
    );
}

#[test]
fn each_side_is_checked_with_its_own_planc_toml() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    // Its own framework (with judgement 5.9), a level that allows £100
    // left unallocated (F002), and a register of shared items.
    write(
        &dir.join("planc.toml"),
        "plans = [\"budget\"]\nframework = \"framework.toml\"\n\n[checks]\nF002 = \"allow\"\n\n\
         [[shared]]\nid = \"cohesion\"\ntitle = \"Community cohesion\"\namount = 900\n",
    );
    write(
        &dir.join("framework.toml"),
        "[judgements]\n\"5.9\" = \"A local judgement\"\n",
    );
    write(
        &dir.join("budget/p/plan.yaml"),
        &plan(
            "          - { id: a, title: A, cost: 900, outcomes: [\"5.9\"], shared: cohesion }\n",
        ),
    );
    git(dir, &["init", "-q"]);
    commit(dir, "plan");
    let validate = planc_in(dir, &["validate", "--as-of", AS_OF]);
    assert_eq!(validate.status, 0, "{}", validate.stderr);
    assert!(validate.stderr.contains("0 errors, 0 warnings"));
    // The revision compiled with its planc.toml finds what the working
    // tree does: nothing.
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 0, "{}", output.stdout);
    assert_eq!(output.stdout, "Plan p (P): no change\n\n");

    // Without the framework and the level, and with another register, the
    // same plan has three problems more: each added by the new planc.toml.
    write(
        &dir.join("planc.toml"),
        "plans = [\"budget\"]\n\n[[shared]]\nid = \"unity\"\ntitle = \"Unity\"\namount = 900\n",
    );
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 1, "{}", output.stdout);
    let rows = problem_rows(&output.stdout);
    assert_eq!(rows.len(), 3, "{}", output.stdout);
    assert!(rows.iter().all(|r| r.starts_with("added ")), "{rows:?}");
    for code in ["E002", "F002", "X00"] {
        assert!(rows.iter().any(|r| r.contains(code)), "{code}: {rows:?}");
    }
    // Between revisions, each read from its own commit.
    commit(dir, "plain planc.toml");
    let forward = diff(dir, &["HEAD~1", "--to", "HEAD"]);
    assert_eq!(forward.stdout, output.stdout);
    assert_eq!(forward.status, 1);
    let back = diff(dir, &["HEAD", "--to", "HEAD~1"]);
    assert_eq!(back.status, 0, "{}", back.stdout);
    assert!(
        back.stdout.contains("Problems: 0 added, 3 fixed"),
        "{}",
        back.stdout
    );

    // A revision's planc.toml naming another plans directory is followed
    // at that revision.
    fs::rename(dir.join("budget"), dir.join("cluster")).unwrap();
    edit(&dir.join("planc.toml"), "[\"budget\"]", "[\"cluster\"]");
    let output = diff(dir, &["HEAD"]);
    assert!(
        output.stdout.starts_with("Plan p (P): no change"),
        "{}",
        output.stdout
    );
    // Every problem is in a file of another name: fixed in one, added in
    // the other.
    assert!(
        output.stdout.contains("Problems: 3 added, 3 fixed"),
        "{}",
        output.stdout
    );
}

#[test]
fn markdown_escapes_plan_text() {
    let temp = repo(BALANCED);
    let dir = temp.path();
    let hostile = "<img src=x onerror=alert(1)> | **bold** [click](https://evil.example) `x`";
    write(
        &dir.join("budget/p/plan.yaml"),
        &plan(&format!(
            "          - {{ id: a, title: A, cost: 900 }}\n          - {{ id: \"<b>\", title: \"{hostile}\", cost: 100, outcomes: [\"<script>|9\"] }}\n"
        )),
    );
    let output = diff(dir, &["HEAD", "--format", "md"]);
    assert_eq!(output.status, 1, "{}", output.stdout);
    let md = &output.stdout;
    assert!(
        md.contains(
            "| added | &lt;b&gt; | &lt;img src=x onerror=alert(1)&gt; \\| \\*\\*bold\\*\\* \\[click\\](https://evil.example) \\`x\\` | £100 |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| added | error | E002 | budget/p/plan.yaml:11:")
            && md.contains("| \\`&lt;script&gt;\\|9\\` is not an outcome code of the framework |"),
        "{md}"
    );
    for raw in ["<img", "<script>", "<b>", "**bold**", "[click]("] {
        assert!(!md.contains(raw), "{raw} unescaped:\n{md}");
    }
    // Every table row has its columns: no cell was split by a `|`.
    for line in md.lines().filter(|l| l.starts_with("| added | error")) {
        assert_eq!(line.replace("\\|", "").matches('|').count(), 6, "{line}");
    }
}

#[test]
fn what_cannot_be_compared_exits_2() {
    let temp = repo(BALANCED);
    let dir = temp.path();
    for args in [
        vec!["diff", "no-such-revision"],
        vec!["diff", "HEAD", "--to", "no-such-revision"],
        vec!["diff", "HEAD", "../elsewhere"],
        // A revision that git would read as an option is refused.
        vec!["diff", "--", "--output=x"],
        vec!["diff", "HEAD", "--to=--output=x"],
    ] {
        let output = planc_in(dir, &args);
        assert_eq!(output.status, 2, "{args:?}: {}", output.stdout);
        assert!(
            output.stderr.starts_with("planc: "),
            "{args:?}: {}",
            output.stderr
        );
        assert!(output.stdout.is_empty(), "{args:?}: {}", output.stdout);
    }
    assert!(!dir.join("x").exists());
}

#[cfg(unix)]
fn link(target: &str, at: &Path) {
    fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, at).unwrap();
}

/// The revision is read through git, the working tree from disk: for the
/// same files both must find the same problems, or an unchanged problem
/// would show as added and fixed.
#[cfg(unix)]
#[test]
fn a_revision_and_the_working_tree_find_the_same_problems_in_the_same_files() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    // A framework file that is not there.
    write(
        &dir.join("planc.toml"),
        "plans = [\"budget\", \"other\"]\nframework = \"missing.toml\"\n",
    );
    // `budget` is a stored link to the real directory; in it, a plan with
    // an error, a link out of the repository and a link to nothing.
    write(&dir.join("cluster/q/plan.yaml"), &plan(UNKNOWN_CODE));
    link("cluster", &dir.join("budget"));
    link("/etc/passwd", &dir.join("cluster/q/passwd.yaml"));
    link("missing.yaml", &dir.join("cluster/q/gone.yaml"));
    // A plan that is not UTF-8; hidden and template files, never read.
    fs::create_dir_all(dir.join("other")).unwrap();
    fs::write(
        dir.join("other/plan.yaml"),
        b"plan: { id: r, name: R }\nnote: \"\xa3 5\"\n",
    )
    .unwrap();
    write(&dir.join("other/.hidden/x.yaml"), "plan: [");
    write(&dir.join("other/templates/x.yaml"), "plan: [");
    git(dir, &["init", "-q"]);
    commit(dir, "plans");
    let validate = planc_in(dir, &["validate", "--as-of", AS_OF]);
    assert_eq!(validate.status, 1);
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 1, "{}", output.stdout);
    assert!(
        output.stdout.contains("Problems: 0 added, 0 fixed"),
        "{}",
        output.stdout
    );
    let rows = problem_rows(&output.stdout);
    let codes: Vec<&str> = rows
        .iter()
        .map(|r| r.split(' ').nth(3).unwrap_or(""))
        .collect();
    assert_eq!(codes, ["L001", "L008", "E002", "L001", "L002"], "{rows:?}");
    for row in &rows {
        assert!(row.starts_with("already present error"), "{row}");
        // Named through the link, as validate names them.
        let place = row.split(' ').nth(4).unwrap();
        let file = place.split(':').next().unwrap();
        assert!(
            validate.stderr.contains(file),
            "{file}: {}",
            validate.stderr
        );
    }
}

#[test]
fn an_allow_comment_quiets_a_problem_on_the_side_that_has_it() {
    let temp = repo("          - { id: a, title: A, cost: 900 }\n");
    let dir = temp.path();
    let file = dir.join("budget/p/plan.yaml");
    edit(&file, "sources:", "# planc: allow F002\nsources:");
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.status, 0, "{}", output.stdout);
    assert_eq!(
        problem_rows(&output.stdout),
        [
            "fixed warning F002 budget/p/plan.yaml:2:17 funding source `s` has £100 unallocated: £900 allocated of £1,000 available"
        ]
    );
    // Committed, the revision obeys it too: nothing to say.
    commit(dir, "allow F002");
    let output = diff(dir, &["HEAD"]);
    assert_eq!(output.stdout, "Plan p (P): no change\n\n");
    let output = diff(dir, &["HEAD~1", "--to", "HEAD"]);
    assert!(
        output.stdout.contains("Problems: 0 added, 1 fixed"),
        "{}",
        output.stdout
    );
}

#[test]
fn the_options_every_command_takes_apply_to_both_sides() {
    let temp = repo(BALANCED);
    let dir = temp.path();
    // Leaves £100 unallocated: warning F002, added.
    edit(&dir.join("budget/p/plan.yaml"), "cost: 1000", "cost: 900");
    let warned = diff(dir, &["HEAD"]);
    assert_eq!(warned.status, 0);
    assert!(warned.stdout.contains("Problems: 1 added, 0 fixed"));
    // -D warnings: an error after the change.
    let output = diff(dir, &["HEAD", "-D", "warnings"]);
    assert_eq!(output.status, 1, "{}", output.stdout);
    assert_eq!(
        problem_rows(&output.stdout),
        [
            "added error F002 budget/p/plan.yaml:2:17 funding source `s` has £100 unallocated: £900 allocated of £1,000 available"
        ]
    );
    // -A F002: nothing on either side; only the figures changed.
    let output = diff(dir, &["HEAD", "-A", "F002"]);
    assert_eq!(output.status, 0);
    assert!(
        output.stdout.contains("Problems: 0 added, 0 fixed"),
        "{}",
        output.stdout
    );
    // --quiet: errors only.
    let output = diff(dir, &["HEAD", "--quiet"]);
    assert!(
        output.stdout.contains("Problems: 0 added, 0 fixed"),
        "{}",
        output.stdout
    );
    // --config: the file at that path on each side. At HEAD it allows
    // F002; in the working tree it does not.
    write(
        &dir.join("planc.ci.toml"),
        "plans = [\"budget\"]\n[checks]\nF002 = \"allow\"\n",
    );
    commit(dir, "ci settings");
    edit(&dir.join("planc.ci.toml"), "\"allow\"", "\"error\"");
    let output = diff(dir, &["HEAD", "--config", "planc.ci.toml"]);
    assert_eq!(output.status, 1, "{}", output.stdout);
    assert_eq!(
        problem_rows(&output.stdout),
        [
            "added error F002 budget/p/plan.yaml:2:17 funding source `s` has £100 unallocated: £900 allocated of £1,000 available"
        ]
    );
    // Named but not in the revision: nothing to compare with.
    let output = diff(dir, &["HEAD~1", "--config", "planc.ci.toml"]);
    assert_eq!(output.status, 2, "{}", output.stdout);
    assert!(
        output
            .stderr
            .contains("--config planc.ci.toml: not a file at HEAD~1"),
        "{}",
        output.stderr
    );
}
