//! The promises of docs/security.md, each tried as an attacker would in a
//! pull request: planc reads only the repository, never hangs or panics,
//! writes outputs that carry no active content, and exits with the truth.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const AS_OF: &str = "2008-06-30";

struct Output {
    status: i32,
    stdout: String,
    stderr: String,
}

/// The planc under test; PLANC_TEST_BIN names another build, to show that
/// these tests fail on a planc without the protections.
fn planc_bin() -> PathBuf {
    std::env::var_os("PLANC_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| assert_cmd::cargo::cargo_bin("planc"))
}

/// Runs planc in `dir`, killed after `limit`: a run that hangs fails the
/// test instead of the whole suite.
fn planc_within(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(planc_bin())
        .current_dir(dir)
        .args(args)
        .env("PLANC_TEST_SECRET", "s3cr3t-token-value")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("planc runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        stdout.read_to_end(&mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        stderr.read_to_end(&mut s).ok();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            panic!("planc {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    }
}

fn planc(dir: &Path, args: &[&str]) -> Output {
    planc_within(dir, args, Duration::from_secs(120))
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const PLAN: &str =
    "plan: { id: p, name: P, period: { start: 2009-04-01, end: 2010-03-31 }, default_source: s }
sources: [{ id: s, name: S, amount: 1000 }]
sections:
  - id: main
    title: Main
    priorities:
      - { id: x, title: X, activities: [{ id: a, title: A, cost: 1000 }] }
";

/// A repository with one good plan.
fn repo() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    write(&temp.path().join("plans/p/plan.yaml"), PLAN);
    temp
}

#[cfg(unix)]
fn link(target: impl AsRef<Path>, at: &Path) {
    fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, at).unwrap();
}

#[cfg(unix)]
#[test]
fn links_out_of_the_repository_are_refused_at_the_link_and_never_read() {
    for target in ["/etc/passwd", "/proc/self/environ", "/proc/kmsg", "/"] {
        let temp = repo();
        link(target, &temp.path().join("plans/p/extra.yaml"));
        let output = planc_within(
            temp.path(),
            &["validate", "--as-of", AS_OF],
            Duration::from_secs(60),
        );
        assert_eq!(output.status, 1, "{target}: {}", output.stderr);
        assert!(
            output.stderr.contains("error[L008]"),
            "{target}: {}",
            output.stderr
        );
        assert!(
            output.stderr.contains("outside the repository"),
            "{}",
            output.stderr
        );
        for secret in ["root:", "s3cr3t-token-value", "PATH="] {
            assert!(
                !output.stderr.contains(secret),
                "{target} leaked: {}",
                output.stderr
            );
        }
    }
    // A directory link to the file system's root is not walked.
    let temp = repo();
    link("/", &temp.path().join("plans/everything"));
    let output = planc_within(
        temp.path(),
        &["validate", "--as-of", AS_OF],
        Duration::from_secs(60),
    );
    assert!(
        output.stderr.contains("plans/everything: error[L008]"),
        "{}",
        output.stderr
    );
    // Links inside the repository are fine.
    let temp = repo();
    write(
        &temp.path().join("shared/more.yaml"),
        "partners: [{ id: police, name: Police }]\n",
    );
    link(
        "../../shared/more.yaml",
        &temp.path().join("plans/p/more.yaml"),
    );
    let output = planc(temp.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
}

#[cfg(unix)]
#[test]
fn templates_framework_and_config_that_lead_out_are_refused() {
    // A template that is a link to /etc/passwd is not copied into out/.
    let temp = repo();
    link("/etc/passwd", &temp.path().join("templates/plan.html"));
    let out = temp.path().join("out");
    let output = planc(
        temp.path(),
        &["build", "--out", out.to_str().unwrap(), "--as-of", AS_OF],
    );
    assert_ne!(output.status, 0);
    assert!(
        output
            .stderr
            .contains("points to /etc/passwd, outside the repository"),
        "{}",
        output.stderr
    );
    assert!(
        !out.exists()
            || !fs::read_dir(&out).unwrap().any(|e| {
                fs::read_to_string(e.unwrap().path())
                    .unwrap_or_default()
                    .contains("root:")
            })
    );
    // A framework file linked to a system file.
    let temp = repo();
    link("/etc/passwd", &temp.path().join("framework.toml"));
    write(
        &temp.path().join("planc.toml"),
        "framework = \"framework.toml\"\n",
    );
    let output = planc(temp.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 1);
    assert!(output.stderr.contains("error[L008]"), "{}", output.stderr);
    assert!(!output.stderr.contains("root:"), "{}", output.stderr);
    // planc.toml itself.
    let temp = repo();
    link("/etc/passwd", &temp.path().join("planc.toml"));
    let output = planc(temp.path(), &["validate", "--as-of", AS_OF]);
    assert!(!output.stderr.contains("root:"), "{}", output.stderr);
    assert!(output.stderr.contains("error[L008]"), "{}", output.stderr);
    // --out through a link.
    let temp = repo();
    let elsewhere = tempfile::tempdir().unwrap();
    link(elsewhere.path(), &temp.path().join("reports"));
    let output = planc(
        temp.path(),
        &["build", "--out", "reports/out", "--as-of", AS_OF],
    );
    assert_eq!(output.status, 2, "{}", output.stderr);
    assert!(
        output.stderr.contains("outside the repository"),
        "{}",
        output.stderr
    );
    assert!(fs::read_dir(elsewhere.path()).unwrap().next().is_none());
}

#[cfg(unix)]
#[test]
fn a_named_pipe_never_hangs_planc() {
    let temp = repo();
    let fifo = temp.path().join("plans/p/pipe.yaml");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    let output = planc_within(
        temp.path(),
        &["validate", "--as-of", AS_OF],
        Duration::from_secs(30),
    );
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(output.stderr.contains("pipe.yaml"), "{}", output.stderr);
}

/// A file swapped for a named pipe between planc's look at it and its
/// open: the opened handle is checked, so planc never waits on the pipe.
#[cfg(unix)]
#[test]
fn a_file_swapped_for_a_pipe_mid_run_never_hangs_planc() {
    let temp = repo();
    let dir = temp.path().join("plans/p");
    let (file, pipe, target) = (dir.join(".file"), dir.join(".pipe"), dir.join("x.yaml"));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                fs::write(&file, "partners: []\n").unwrap();
                fs::rename(&file, &target).unwrap();
                let name = std::ffi::CString::new(pipe.to_str().unwrap()).unwrap();
                unsafe { libc::mkfifo(name.as_ptr(), 0o600) };
                fs::rename(&pipe, &target).unwrap();
            }
        })
    };
    for _ in 0..30 {
        let output = planc_within(
            temp.path(),
            &["validate", "--as-of", AS_OF],
            Duration::from_secs(30),
        );
        assert!(
            output.status == 0 || output.status == 1,
            "{}",
            output.stderr
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    swapper.join().unwrap();
}

#[test]
fn a_diagnostic_past_column_65535_is_shown_as_an_excerpt() {
    let temp = tempfile::tempdir().unwrap();
    let line = format!(
        "{{plan: {{ id: p, name: \"{}\", period: {{ start: 2009-04-01, end: 2010-03-31 }} }}, sections: [{{ id: s, title: S, priorities: [{{ id: q, title: Q, activities: [{{ id: a, title: A, cost: 15k }}] }}] }}]}}\n",
        "x".repeat(70_000)
    );
    write(&temp.path().join("plan.yaml"), &line);
    let output = planc(temp.path(), &["validate", "plan.yaml", "--as-of", AS_OF]);
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(
        output.stderr.contains("plan.yaml:1:70177: error[M001]"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("[plan.yaml:1:70177]"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("…"), "{}", output.stderr);
    assert!(
        output.stderr.len() < 5_000,
        "the excerpt is cut: {} bytes",
        output.stderr.len()
    );
}

#[test]
fn plan_text_reaches_the_terminal_visible_never_obeyed() {
    let temp = tempfile::tempdir().unwrap();
    write(
        &temp.path().join("plans/p/plan.yaml"),
        &PLAN
            .replace(
                "name: P,",
                "name: \"\\e[2J\\e[1;1Hplanc: 0 errors\\e]8;;http://evil\\aclick\\e]8;;\\a\",",
            )
            .replace(
                "title: A, cost: 1000",
                "title: \"A\\u202e\\e[31m\", \"co\\e[2Jst\": 1, cost: 1000",
            ),
    );
    for args in [
        vec!["validate", "--as-of", AS_OF],
        vec!["summary", "--as-of", AS_OF],
        vec!["validate", "--format", "github", "--as-of", AS_OF],
    ] {
        let output = planc(temp.path(), &args);
        let all = format!("{}{}", output.stdout, output.stderr);
        assert!(
            !all.contains('\u{1b}'),
            "{args:?} printed a raw escape: {all:?}"
        );
        assert!(
            !all.contains('\u{202e}'),
            "{args:?} printed a bidi override"
        );
        assert!(!all.contains('\u{7}'), "{args:?} printed a bell");
    }
    let output = planc(temp.path(), &["validate", "--as-of", AS_OF]);
    assert!(output.stderr.contains("\\u{1b}[2J"), "{}", output.stderr);
    let summary = planc(temp.path(), &["summary", "--as-of", AS_OF]).stdout;
    assert!(
        summary.contains("\\u{1b}[2J\\u{1b}[1;1Hplanc: 0 errors"),
        "{summary}"
    );
}

#[test]
fn outputs_carry_no_active_content() {
    let temp = tempfile::tempdir().unwrap();
    write(
        &temp.path().join("plans/p/plan.yaml"),
        &PLAN
            .replace("name: P,", "name: \"P\\f}body{content:'x'} @page{@bottom-left{content:\\\"Total allocated £999,999\\\"}}\",")
            .replace(
                "title: A, cost: 1000 }",
                "title: \"<script>alert(1)</script> | a [x](javascript:alert(1)) ![t](http://evil.example/p.png) <iframe src=x>\", description: \"line\\n# Injected heading\\n\\n![img](http://evil.example/i.png) <img src=http://evil.example/j.png>\", cost: 1000 }",
            ),
    );
    let out = temp.path().join("out");
    let output = planc(
        temp.path(),
        &["build", "--out", out.to_str().unwrap(), "--as-of", AS_OF],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    let html = fs::read_to_string(out.join("p.html")).unwrap();
    // The print footer's CSS string: no raw form feed, quote or brace.
    let footer = html
        .lines()
        .find(|l| l.starts_with("@media print { @page { @bottom-left"))
        .expect("a print footer");
    assert!(
        !footer.contains('\u{c}') && !footer.contains("content:'x'") && !footer.contains("}body{"),
        "{footer}"
    );
    assert_eq!(footer.matches('"').count(), 2, "{footer}");
    // Parsed as a browser would: no element that runs or loads anything.
    let page = scraper::Html::parse_document(&html);
    for element in [
        "script", "iframe", "img", "object", "embed", "link", "[src]", "[style]",
    ] {
        let selector = scraper::Selector::parse(element).unwrap();
        assert_eq!(page.select(&selector).count(), 0, "HTML has {element}");
    }
    let links = scraper::Selector::parse("a[href]").unwrap();
    for a in page.select(&links) {
        let href = a.value().attr("href").unwrap();
        assert!(
            !href.trim().to_lowercase().starts_with("javascript:"),
            "{href}"
        );
    }
    let md = fs::read_to_string(out.join("p.md")).unwrap();
    // Markdown acts on `](` and `![` only when not escaped with `\\`.
    let unescaped = |needle: &str| {
        md.match_indices(needle)
            .any(|(i, _)| i == 0 || md.as_bytes()[i - 1] != b'\\')
    };
    for active in [
        "<script",
        "<iframe",
        "](javascript:",
        "![",
        "\n# Injected",
        "<img",
    ] {
        assert!(!unescaped(active), "Markdown carries {active:?}:\n{md}");
    }
    // The activity's title stays in one heading line.
    assert!(
        md.lines()
            .any(|l| l.starts_with("#### a ") && l.contains("\\|")),
        "{md}"
    );
    let csv = fs::read_to_string(out.join("activities.csv")).unwrap();
    assert!(
        !csv.contains(",=") && !csv.contains(",+") && !csv.contains(",@"),
        "{csv}"
    );
}

#[test]
fn suggestions_stay_near_linear_on_hostile_input() {
    // 20,000 dangling references among 20,000 activities, and a 200 KB id.
    let temp = tempfile::tempdir().unwrap();
    let mut plan = String::from(
        "plan: { id: p, name: P, period: { start: 2009-04-01, end: 2010-03-31 } }\nsections:\n  - id: s\n    title: S\n    priorities:\n      - id: q\n        title: Q\n        activities:\n",
    );
    for i in 0..20_000 {
        plan.push_str(&format!(
            "          - {{ id: a{i:05}, title: T, cost: {{ see: b{i:05} }} }}\n"
        ));
    }
    let long = "z".repeat(200_000);
    plan.push_str(&format!(
        "          - {{ id: {long}x, title: T, cost: {{ see: {long}y }} }}\n"
    ));
    write(&temp.path().join("plan.yaml"), &plan);
    // A generous limit: this guards against minutes of quadratic search,
    // it does not time planc.
    let output = planc_within(
        temp.path(),
        &[
            "validate",
            "plan.yaml",
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ],
        Duration::from_secs(120),
    );
    assert_eq!(output.status, 1);
    assert_eq!(output.stdout.matches("\"R001\"").count(), 20_001);
}

#[test]
fn templates_frameworks_and_settings_are_bounded() {
    // A template that loops for ever runs out of fuel.
    let temp = repo();
    write(
        &temp.path().join("templates/plan.html"),
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    );
    let output = planc_within(
        temp.path(),
        &["build", "--out", "out", "--as-of", AS_OF],
        Duration::from_secs(120),
    );
    assert_eq!(output.status, 2, "{}", output.stderr);
    assert!(
        output.stderr.contains("ran out of fuel"),
        "{}",
        output.stderr
    );
    assert!(!temp.path().join("out").exists());
    // A framework file larger than the file limit is not read.
    let temp = repo();
    write(
        &temp.path().join("planc.toml"),
        "framework = \"framework.toml\"\nmax_file_bytes = 1000\n",
    );
    write(
        &temp.path().join("framework.toml"),
        &format!("# {}\n", "x".repeat(5000)),
    );
    let output = planc(temp.path(), &["validate", "--as-of", AS_OF]);
    assert!(output.stderr.contains("error[L003]"), "{}", output.stderr);
    // A limit that would wrap around is refused, not read as 0.
    let temp = repo();
    write(
        &temp.path().join("planc.toml"),
        "max_file_bytes = 18446744073709551615\n",
    );
    let output = planc(temp.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(
        output.stderr.contains("from 1 to 1073741824"),
        "{}",
        output.stderr
    );
    assert!(!output.stderr.contains("L003"), "{}", output.stderr);
}

#[test]
fn a_closed_pipe_never_turns_errors_into_success() {
    let temp = tempfile::tempdir().unwrap();
    let mut plan = String::from(
        "plan: { id: p, name: P, period: { start: 2009-04-01, end: 2010-03-31 } }\nsections: [{ id: s, title: S, priorities: [{ id: q, title: Q, activities: [\n",
    );
    for i in 0..3_000 {
        plan.push_str(&format!("  {{ id: a{i}, title: A, cost: 15k }},\n"));
    }
    plan.push_str("]}]}]\n");
    write(&temp.path().join("plan.yaml"), &plan);
    for format in ["human", "json"] {
        // The reader goes away at once, like `| head -1`.
        let mut child = Command::new(planc_bin())
            .current_dir(temp.path())
            .args(["validate", "plan.yaml", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(1), "{format}");
    }
}

#[cfg(unix)]
#[test]
fn a_second_build_into_the_same_out_stops_with_a_message() {
    let temp = repo();
    let held = fs::File::open(temp.path()).unwrap();
    held.lock().unwrap();
    let output = planc(temp.path(), &["build", "--out", "out", "--as-of", AS_OF]);
    assert_eq!(output.status, 2, "{}", output.stderr);
    assert!(
        output.stderr.contains("another planc is writing it now"),
        "{}",
        output.stderr
    );
    drop(held);
    let output = planc(temp.path(), &["build", "--out", "out", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=planc",
            "-c",
            "user.email=planc@example.invalid",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[cfg(unix)]
#[test]
fn git_is_run_hardened() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    // A plan under a directory whose name git would quote, and the plans
    // directory itself a link.
    write(&dir.join("cluster-plans/café/plan.yaml"), PLAN);
    link("cluster-plans", &dir.join("plans"));
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "plans"]);
    // The repository's own fsmonitor command must not run.
    let marker = dir.join("fsmonitor-ran");
    let hook = dir.join("fsmonitor.sh");
    write(&hook, &format!("#!/bin/sh\ntouch {}\n", marker.display()));
    Command::new("chmod").arg("+x").arg(&hook).status().unwrap();
    git(dir, &["config", "core.fsmonitor", hook.to_str().unwrap()]);
    let output = planc(dir, &["diff", "HEAD", "plans"]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(output.stdout.contains("no change"), "{}", output.stdout);
    assert!(!output.stdout.contains("added"), "{}", output.stdout);
    let output = planc(dir, &["build", "plans", "--out", "out", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(
        fs::read_to_string(dir.join("out/p.html"))
            .unwrap()
            .contains("commit ")
    );
    assert!(
        !marker.exists(),
        "planc ran the repository's fsmonitor command"
    );
    // A blob over the file limit in history is not read.
    write(
        &dir.join("cluster-plans/big/plan.yaml"),
        &format!("# {}\n{PLAN}", "x".repeat(17 * 1024 * 1024)),
    );
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "big"]);
    let output = planc(dir, &["diff", "HEAD", "plans"]);
    assert_eq!(output.status, 2, "{}", output.stderr);
    assert!(
        output.stderr.contains("over the limit"),
        "{}",
        output.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_git_repository_or_git_files_in_the_pull_request_run_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let src = temp.path().join("src");
    write(&src.join("plans/q/plan.yaml"), PLAN);
    write(&src.join(".gitattributes"), "*.yaml filter=x\n");
    let marker = temp.path().join("PWNED");
    // A bare repository inside a plan directory, whose config runs a
    // command for every file git reads through its filter.
    git(&src, &["init", "-q", "--bare", "plans/q"]);
    git(&src, &["--git-dir=plans/q", "config", "core.bare", "false"]);
    git(
        &src,
        &["--git-dir=plans/q", "config", "core.worktree", "../.."],
    );
    git(
        &src,
        &[
            "--git-dir=plans/q",
            "config",
            "filter.x.clean",
            &format!("sh -c 'touch {}; cat'", marker.display()),
        ],
    );
    git(
        &src,
        &[
            "--git-dir=plans/q",
            "--work-tree=.",
            "add",
            "plans/q/plan.yaml",
        ],
    );
    git(
        &src,
        &["--git-dir=plans/q", "--work-tree=.", "commit", "-qm", "i"],
    );
    fs::remove_file(&marker).ok();
    git(&src, &["init", "-q", "."]);
    git(&src, &["add", "-A"]);
    git(&src, &["commit", "-qm", "pull request"]);
    let clone = temp.path().join("clone");
    git(
        temp.path(),
        &[
            "clone",
            "-q",
            src.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    let output = planc(&clone, &["build", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(!marker.exists(), "a command from the pull request ran");
    // A link into .git is outside the repository's plans.
    let temp = repo();
    git(temp.path(), &["init", "-q"]);
    link(
        "../../.git/config",
        &temp.path().join("plans/p/config.toml"),
    );
    let output = planc(temp.path(), &["validate", "--as-of", AS_OF]);
    assert!(output.stderr.contains("error[L008]"), "{}", output.stderr);
    assert!(
        !output.stderr.contains("repositoryformatversion"),
        "{}",
        output.stderr
    );
    // A committed link named like a killed build's leftovers never becomes
    // `out`.
    let temp = repo();
    link("/etc", &temp.path().join(".out.planc-old-1"));
    planc(temp.path(), &["build", "--out", "out", "--as-of", AS_OF]);
    assert!(
        !fs::symlink_metadata(temp.path().join("out")).is_ok_and(|m| m.file_type().is_symlink())
    );
}

#[test]
fn plan_text_sends_no_command_to_a_ci_log() {
    let temp = tempfile::tempdir().unwrap();
    write(
        &temp.path().join("plans/p/plan.yaml"),
        &PLAN
            .replace("title: A, cost: 1000", "title: \"t ##[error]Fake annotation\", cost: 1000")
            .replace("sources: [{ id: s, name: S, amount: 1000 }]", "sources: [{ id: s, name: S, amount: 1000 }, { id: \"qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq ::error::INJECTED\", name: X }]")
            .replace("cost: 1000 }", "cost: { amount: 1000, source: nosuch } }"),
    );
    for args in [
        vec!["validate", "--as-of", AS_OF],
        vec!["summary", "--as-of", AS_OF],
    ] {
        let output = planc(temp.path(), &args);
        for line in output.stderr.lines().chain(output.stdout.lines()) {
            assert!(!line.contains("##["), "{args:?}: {line}");
            assert!(!line.trim_start().starts_with("::"), "{args:?}: {line}");
        }
    }
}

#[test]
fn a_repository_template_cannot_write_active_content() {
    let temp = repo();
    write(
        &temp.path().join("templates/plan.html"),
        "<script>alert(document.cookie)</script><img src=\"https://evil.example/p.png\">",
    );
    let output = planc(temp.path(), &["build", "--out", "out", "--as-of", AS_OF]);
    assert_eq!(output.status, 2, "{}", output.stderr);
    assert!(
        output.stderr.contains("pages carry no active content"),
        "{}",
        output.stderr
    );
    assert!(!temp.path().join("out").exists());
    write(&temp.path().join("templates/plan.html"), "{{ 'x' }}");
    write(
        &temp.path().join("templates/plan.md"),
        "[click](javascript:alert(1)) ![p](https://evil.example/p.png)",
    );
    let output = planc(temp.path(), &["build", "--out", "out", "--as-of", AS_OF]);
    assert_eq!(output.status, 2, "{}", output.stderr);
}

#[cfg(unix)]
#[test]
fn stored_links_in_history_are_followed_once() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    write(&dir.join("plans/plan.yaml"), PLAN);
    for l in ["l1", "l2", "l3", "l4"] {
        link(".", &dir.join("plans").join(l));
    }
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "x"]);
    let output = planc_within(dir, &["diff", "HEAD"], Duration::from_secs(60));
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(output.stdout.contains("no change"), "{}", output.stdout);
}
