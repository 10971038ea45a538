//! One set of figures in every output and across plans: the same totals in
//! the summary's JSON, the HTML and Markdown pages, the CSV files and the
//! workbooks (their SUM formulas evaluated); shared items counted once;
//! county plans apart; money never dropped, whatever the settings.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use planc::money::format_gbp;
use rust_decimal::Decimal;
use serde_json::Value;

mod common;
use common::*;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn summary_json(dir: &Path, paths: &[&str]) -> Value {
    let mut args = vec!["summary", "--format", "json", "--as-of", AS_OF];
    args.extend(paths);
    let output = planc_in(dir, &args);
    serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("summary JSON: {e}\n{}\n{}", output.stdout, output.stderr))
}

fn money(value: &Value) -> Option<Decimal> {
    value.as_str().map(|s| s.parse().expect("a decimal"))
}

/// A figure as the pages show it: `£1,020`, or `unknown (...)` when null.
fn shown(value: &Value) -> String {
    money(value).map_or_else(|| "unknown".to_string(), format_gbp)
}

fn select(html: &scraper::Html, css: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(css).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The cells of a workbook's sheets: for each sheet, by cell reference, the
/// number (for numbers and cached formula results) and the formula.
struct Sheet {
    name: String,
    numbers: BTreeMap<(String, u32), f64>,
    formulas: Vec<(String, u32, String, f64)>,
}

fn split_ref(reference: &str) -> (String, u32) {
    let column: String = reference
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let row = reference[column.len()..].parse().expect("a row number");
    (column, row)
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

fn workbook(path: &Path) -> Vec<Sheet> {
    let mut archive = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut read = |part: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(part).unwrap(), &mut text).unwrap();
        text
    };
    let book = read("xl/workbook.xml");
    let names: Vec<String> = book
        .split("<sheet ")
        .skip(1)
        .map(|t| attribute(&format!(" {t}"), "name").unwrap().to_string())
        .collect();
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let xml = read(&format!("xl/worksheets/sheet{}.xml", i + 1));
            let mut sheet = Sheet {
                name: name.replace("&amp;", "&"),
                numbers: BTreeMap::new(),
                formulas: Vec::new(),
            };
            for cell in xml.split("<c ").skip(1) {
                let tag = format!(" {}", &cell[..cell.find('>').unwrap()]);
                let reference = attribute(&tag, "r").unwrap();
                let (column, row) = split_ref(reference);
                let kind = attribute(&tag, "t");
                let value = between(cell, "<v>", "</v>").and_then(|v| v.parse::<f64>().ok());
                match (between(cell, "<f>", "</f>"), value) {
                    (Some(formula), Some(v)) => {
                        sheet.formulas.push((column, row, formula.to_string(), v))
                    }
                    (Some(formula), None) => {
                        panic!("{reference}: formula {formula} without a cached result")
                    }
                    (None, Some(v)) if kind.is_none() || kind == Some("n") => {
                        sheet.numbers.insert((column, row), v);
                    }
                    _ => {}
                }
            }
            sheet
        })
        .collect()
}

/// Evaluates every `SUM(Xa:Xb)` of every sheet from the cells on the sheet
/// and checks it equals the cached result; returns the results by sheet and
/// column.
fn evaluated_sums(path: &Path) -> BTreeMap<(String, String), f64> {
    let mut sums = BTreeMap::new();
    for sheet in workbook(path) {
        for (column, row, formula, cached) in &sheet.formulas {
            let range = formula
                .strip_prefix("SUM(")
                .and_then(|f| f.strip_suffix(')'))
                .unwrap_or_else(|| {
                    panic!(
                        "{}: only SUM formulas are expected, found {formula}",
                        sheet.name
                    )
                });
            let (from, to) = range.split_once(':').unwrap();
            let ((c1, r1), (c2, r2)) = (split_ref(from), split_ref(to));
            assert_eq!((&c1, &c2), (column, column), "{formula}");
            assert!(r2 < *row, "{formula} covers its own row");
            let value: f64 = sheet
                .numbers
                .range((c1.clone(), r1)..=(c1.clone(), r2))
                .map(|(_, v)| v)
                .sum::<f64>()
                + 0.0;
            assert_eq!(
                format!("{value:.2}"),
                format!("{cached:.2}"),
                "{} {}{row}: {formula} gives {value} but its cached result is {cached}",
                path.display(),
                sheet.name
            );
            sums.insert((sheet.name.clone(), column.clone()), *cached);
        }
    }
    sums
}

fn column_of(sheet_header: &[&str], title: &str, with_plan: bool) -> String {
    let index = sheet_header.iter().position(|t| *t == title).unwrap() + usize::from(with_plan);
    ((b'A' + index as u8) as char).to_string()
}

const ACTIVITY_HEADER: &[&str] = &[
    "Section",
    "Scope",
    "Priority",
    "Id",
    "Title",
    "Outcome codes",
    "Own cost",
    "Countywide cost",
];
const FUNDING_HEADER: &[&str] = &["Source", "Available", "Allocated", "Unallocated"];

fn plain(value: Option<Decimal>) -> String {
    value.map_or_else(String::new, |v| format!("{v:.2}"))
}

fn assert_sum(
    sums: &BTreeMap<(String, String), f64>,
    sheet: &str,
    column: &str,
    expected: Option<Decimal>,
    what: &str,
) {
    let Some(expected) = expected else { return };
    let Some(found) = sums.get(&(sheet.to_string(), column.to_string())) else {
        // A sheet with no rows has no total row: only right for nothing.
        assert!(
            expected.is_zero(),
            "{what}: no total in {sheet} column {column}: {sums:?}"
        );
        return;
    };
    assert_eq!(
        format!("{found:.2}"),
        format!("{expected:.2}"),
        "{what}: {sheet} {column}"
    );
}

/// Renders `paths` (relative to `dir`) to every format and checks each
/// total against the summary's JSON. Returns how many plans were checked.
fn assert_every_format_agrees(dir: &Path, paths: &[&str]) -> usize {
    let mut args = vec!["summary", "--format", "json", "--as-of", AS_OF];
    args.extend(paths);
    let output = planc_in(dir, &args);
    if output.status == 2 {
        // planc could not run (a path that is not there, say): nothing to
        // compare.
        assert!(output.stdout.is_empty(), "{}", output.stdout);
        return 0;
    }
    let json: Value = serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("{}: summary JSON: {e}\n{}", dir.display(), output.stderr));
    let plans = json["plans"].as_array().unwrap();
    if plans.is_empty() {
        return 0;
    }
    let temp = tempfile::tempdir().unwrap();
    let (html_md_csv, xlsx) = (temp.path().join("out"), temp.path().join("xlsx"));
    for (out, extra) in [
        (&html_md_csv, vec!["build"]),
        (&xlsx, vec!["render", "--format", "xlsx"]),
    ] {
        let mut args = extra;
        args.extend([
            "--draft",
            "--revision",
            "test",
            "--as-of",
            AS_OF,
            "--out",
            out.to_str().unwrap(),
        ]);
        args.extend(paths);
        let output = planc_in(dir, &args);
        assert!(
            out.join("index.html").exists() || out.join("index.xlsx").exists(),
            "{}",
            output.stderr
        );
    }
    let index =
        scraper::Html::parse_document(&fs::read_to_string(html_md_csv.join("index.html")).unwrap());
    let funding = fs::read_to_string(html_md_csv.join("funding.csv")).unwrap();
    let rollup_sums = evaluated_sums(&xlsx.join("index.xlsx"));
    let index_md = fs::read_to_string(html_md_csv.join("index.md")).unwrap();
    let by_id: BTreeMap<&str, &Value> = plans
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    for group in json["rollup"]["groups"].as_array().unwrap() {
        let kind = group["kind"].as_str().unwrap();
        let totals = &group["totals"];
        let title = if kind == "county" {
            "County"
        } else {
            "Cluster"
        };
        let slugs: Vec<String> = {
            let selector =
                scraper::Selector::parse(&format!("#{kind} table.plans tbody th a")).unwrap();
            index
                .select(&selector)
                .map(|a| {
                    a.value()
                        .attr("href")
                        .unwrap()
                        .trim_end_matches(".html")
                        .to_string()
                })
                .collect()
        };
        let ids: Vec<&str> = group["plans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(slugs.len(), ids.len(), "{kind} plans on the index");
        // The roll-up: index page, index.md and index.xlsx against JSON.
        let allocated = &totals["allocated"];
        if !allocated.is_null() {
            assert_eq!(
                select(&index, &format!("#{kind}-allocated")),
                [shown(allocated)],
                "{kind}"
            );
            let row = format!("| **All {} plans** |", title.to_lowercase());
            let line = index_md
                .lines()
                .find(|l| l.starts_with(&row))
                .unwrap_or_else(|| panic!("{row} in index.md"));
            assert!(
                line.contains(&format!("**{}**", shown(allocated))),
                "{line}"
            );
        }
        if !totals["countywide"].is_null() {
            assert_eq!(
                select(&index, &format!("#{kind}-countywide")),
                [shown(&totals["countywide"])]
            );
        }
        let sheet = format!("{title} Funding");
        assert_sum(
            &rollup_sums,
            &sheet,
            &column_of(FUNDING_HEADER, "Allocated", true),
            money(allocated),
            "roll-up allocated",
        );
        assert_sum(
            &rollup_sums,
            &format!("{title} Activities"),
            &column_of(ACTIVITY_HEADER, "Own cost", true),
            money(allocated),
            "roll-up own costs",
        );
        assert_sum(
            &rollup_sums,
            &format!("{title} Activities"),
            &column_of(ACTIVITY_HEADER, "Countywide cost", true),
            money(&totals["countywide"]),
            "roll-up countywide",
        );
        assert_sum(
            &rollup_sums,
            &sheet,
            &column_of(FUNDING_HEADER, "Unallocated", true),
            money(&totals["unallocated"]),
            "roll-up unallocated",
        );
        if totals["available"]["sources_stating_amount"].as_u64() > Some(0) {
            assert_sum(
                &rollup_sums,
                &sheet,
                &column_of(FUNDING_HEADER, "Available", true),
                money(&totals["available"]["total"]),
                "roll-up available",
            );
        }
        // Each plan: its page, its Markdown, funding.csv and its workbook.
        for (slug, id) in slugs.iter().zip(&ids) {
            let plan = by_id[id];
            let what = format!(
                "{} plan {id}",
                dir.join(paths.first().unwrap_or(&".")).display()
            );
            let page = scraper::Html::parse_document(
                &fs::read_to_string(html_md_csv.join(format!("{slug}.html"))).unwrap(),
            );
            let allocated = &plan["allocated"];
            let html_allocated = select(&page, "#total-allocated");
            assert!(
                html_allocated[0].starts_with(&shown(allocated)),
                "{what}: {html_allocated:?} vs {allocated}"
            );
            let available = &plan["available"];
            let html_available = &select(&page, "#total-available")[0];
            match money(&available["total"]) {
                Some(total) => assert_eq!(html_available, &format_gbp(total), "{what}"),
                None if available["sources_stating_amount"].as_u64() > Some(0)
                    && available["unreadable"] == 0 =>
                {
                    let expected = format!(
                        "{} stated for {} of {} sources",
                        format_gbp(money(&available["stated"]).unwrap()),
                        available["sources_stating_amount"],
                        available["sources"]
                    );
                    assert_eq!(html_available, &expected, "{what}");
                }
                None => {}
            }
            assert_eq!(
                select(&page, "#total-unallocated"),
                [money(&plan["unallocated"]).map_or("–".into(), format_gbp)],
                "{what}"
            );
            if let Some(countywide) = money(&plan["countywide"]).filter(|c| !c.is_zero()) {
                assert_eq!(
                    select(&page, "#total-countywide"),
                    [format_gbp(countywide)],
                    "{what}"
                );
            }
            let md = fs::read_to_string(html_md_csv.join(format!("{slug}.md"))).unwrap();
            let total_row = md.lines().find(|l| l.starts_with("| **Total** |")).unwrap();
            assert!(
                total_row.contains(&format!("**{}", shown(allocated))),
                "{what}: {total_row}"
            );
            // funding.csv: the Total row, and the rows above it add up to it.
            let rows: Vec<Vec<String>> = funding
                .trim_start_matches('\u{feff}')
                .lines()
                .skip(1)
                .map(|l| {
                    let mut reader = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .from_reader(l.as_bytes());
                    reader
                        .records()
                        .next()
                        .unwrap()
                        .unwrap()
                        .iter()
                        .map(str::to_string)
                        .collect()
                })
                .filter(|r: &Vec<String>| r[0] == *id)
                .collect();
            let total = rows.iter().find(|r| r[2] == "Total").unwrap();
            assert_eq!(
                total[4],
                plain(money(allocated)),
                "{what}: funding.csv total"
            );
            // Two plans with one id (X005) cannot be told apart in the CSV.
            let unique = ids.iter().filter(|i| *i == id).count() == 1;
            if let Some(allocated) = money(allocated).filter(|_| unique) {
                let parts: Decimal = rows
                    .iter()
                    .filter(|r| r[2] != "Total")
                    .map(|r| r[4].parse::<Decimal>().unwrap_or_default())
                    .sum();
                assert_eq!(parts, allocated, "{what}: funding.csv rows");
            }
            let sums = evaluated_sums(&xlsx.join(format!("{slug}.xlsx")));
            assert_sum(
                &sums,
                "Funding",
                &column_of(FUNDING_HEADER, "Allocated", false),
                money(allocated),
                &what,
            );
            assert_sum(
                &sums,
                "Activities",
                &column_of(ACTIVITY_HEADER, "Own cost", false),
                money(allocated),
                &what,
            );
            assert_sum(
                &sums,
                "Activities",
                &column_of(ACTIVITY_HEADER, "Countywide cost", false),
                money(&plan["countywide"]),
                &what,
            );
            assert_sum(
                &sums,
                "Funding",
                &column_of(FUNDING_HEADER, "Unallocated", false),
                money(&plan["unallocated"]),
                &what,
            );
        }
    }
    plans.len()
}

#[test]
fn every_total_agrees_across_every_format() {
    let mut checked = assert_every_format_agrees(root(), &["plans"]);
    checked += assert_every_format_agrees(root(), &["examples/quickstart.yaml"]);
    for group in ["examples/broken", "tests/cases", "tests/bad"] {
        let mut dirs: Vec<PathBuf> = fs::read_dir(root().join(group))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            // Each case as a repository of its own, with its own planc.toml.
            checked += assert_every_format_agrees(&dir, &["."]);
        }
    }
    assert!(checked >= 60, "only {checked} plans were checked");
}

/// A repository with two Worcestershire cluster plans, each carrying the
/// countywide section with titles worded its own way.
fn two_clusters(linked: bool) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let plans = temp.path().join("plans");
    copy_dir(&root().join("plans/bromsgrove"), &plans.join("bromsgrove"));
    copy_dir(&root().join("plans/bromsgrove"), &plans.join("redditch"));
    let header = plans.join("redditch/plan.toml");
    let text = fs::read_to_string(&header).unwrap();
    fs::write(
        &header,
        text.replace("id = \"bromsgrove\"", "id = \"redditch\"")
            .replace(
                "name = \"Bromsgrove Community and School Cluster\"",
                "name = \"Redditch cluster\"",
            ),
    )
    .unwrap();
    let section = plans.join("redditch/section-3.toml");
    let text = fs::read_to_string(&section)
        .unwrap()
        .replace("Support a community cohesion strategy so that Worcestershire schools meet the new duty", "Community cohesion strategy for schools")
        .replace("Develop school leaders as community leaders", "School leaders as community leaders")
        .replace("Information areas for parents in schools and community venues", "Parent information areas in schools");
    fs::write(&section, text).unwrap();
    let mut config = String::from("plans = [\"plans\"]\n");
    if linked {
        config.push_str(
            "[[shared]]\nid = \"cohesion\"\ntitle = \"Community cohesion strategy\"\namount = 5000\n\n\
             [[shared]]\nid = \"community-leaders\"\ntitle = \"School leaders as community leaders\"\namount = 20000\n\n\
             [[shared]]\nid = \"parent-information\"\ntitle = \"Information areas for parents\"\namount = 65000\n",
        );
        for plan in ["bromsgrove", "redditch"] {
            let path = plans.join(plan).join("section-3.toml");
            let text = fs::read_to_string(&path).unwrap();
            let text = text
                .replace("id = \"16.1\"", "id = \"16.1\"\nshared = \"cohesion\"")
                .replace(
                    "id = \"17.1\"",
                    "id = \"17.1\"\nshared = \"community-leaders\"",
                )
                .replace(
                    "id = \"18.1\"",
                    "id = \"18.1\"\nshared = \"parent-information\"",
                );
            fs::write(&path, text).unwrap();
        }
    }
    write(&temp.path().join("planc.toml"), &config);
    temp
}

fn cluster_totals(json: &Value) -> &Value {
    &json["rollup"]["groups"][0]["totals"]
}

#[test]
fn shared_countywide_items_count_once_when_linked_and_are_pointed_out_when_not() {
    // Unlinked: counted once per plan, and each look-alike is a warning that
    // names both places and how to link them.
    let temp = two_clusters(false);
    let output = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert_eq!(
        output.stderr.matches("warning[X002]").count(),
        3,
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("plans/redditch/section-3.toml"),
        "{}",
        output.stderr
    );
    assert!(
        output.stderr.contains("plans/bromsgrove/section-3.toml"),
        "{}",
        output.stderr
    );
    // Bromsgrove is TOML: the help is written as TOML.
    assert!(
        output.stderr.contains("add `shared = "),
        "{}",
        output.stderr
    );
    let json = summary_json(temp.path(), &[]);
    assert_eq!(cluster_totals(&json)["countywide"], "180000.00");
    assert_eq!(cluster_totals(&json)["allocated"], "380716.00");
    assert_every_format_agrees(temp.path(), &[]);

    // Linked by id: counted once, no warning; each plan keeps its own figure.
    let temp = two_clusters(true);
    let output = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(!output.stderr.contains("X002"), "{}", output.stderr);
    let json = summary_json(temp.path(), &[]);
    assert_eq!(cluster_totals(&json)["countywide"], "90000.00");
    assert_eq!(
        cluster_totals(&json)["shared_not_counted_again"],
        "90000.00"
    );
    assert_eq!(json["plans"][1]["countywide"], "90000.00");
    assert_eq!(json["rollup"]["items"].as_array().unwrap().len(), 3);
    assert_eq!(
        json["rollup"]["items"][0]["plans"],
        serde_json::json!(["bromsgrove", "redditch"])
    );
    assert_every_format_agrees(temp.path(), &[]);
    let out = temp.path().join("out");
    planc_in(
        temp.path(),
        &["build", "--out", out.to_str().unwrap(), "--as-of", AS_OF],
    );
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("counted under bromsgrove"), "{index}");

    // A figure that differs from the register is an error naming both.
    let section = temp.path().join("plans/redditch/section-3.toml");
    let text = fs::read_to_string(&section)
        .unwrap()
        .replace("amount = \"£20,000\"", "amount = \"£25,000\"");
    fs::write(&section, text).unwrap();
    let output = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(output.stderr.contains("error[X001]"), "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("£25,000 in plan `redditch` but £20,000 in the register"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("planc.toml:"), "{}", output.stderr);
}

#[test]
fn items_of_one_plan_are_never_merged() {
    let temp = tempfile::tempdir().unwrap();
    write(
        &temp.path().join("plans/p.yaml"),
        "plan: { id: p, name: P, period: { start: 2009-04-01, end: 2010-03-31 } }
sections:
  - id: own
    title: Own
    priorities:
      - { id: o, title: O, activities: [{ id: o1, title: Staff, cost: 1400 }] }
  - id: county
    title: County
    scope: countywide
    priorities:
      - id: t
        title: Transport
        activities:
          - { id: t1, title: Transport (north), cost: 500 }
          - { id: t2, title: Transport north, cost: 500 }
",
    );
    let output = planc_in(temp.path(), &["validate", "plans", "--as-of", AS_OF]);
    assert!(!output.stderr.contains("X002"), "{}", output.stderr);
    let json = summary_json(temp.path(), &["plans"]);
    assert_eq!(json["plans"][0]["countywide"], "1000.00");
    assert_eq!(cluster_totals(&json)["countywide"], "1000.00");
    assert_eq!(json["rollup"]["items"].as_array().unwrap().len(), 2);
    assert_every_format_agrees(temp.path(), &["plans"]);
}

#[test]
fn county_plans_are_totalled_apart_and_partial_availability_says_so() {
    let json = summary_json(root(), &["plans"]);
    let groups = json["rollup"]["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["kind"], "cluster");
    assert_eq!(groups[1]["kind"], "county");
    assert_eq!(
        groups[1]["plans"],
        serde_json::json!(["worcestershire-cypp"])
    );
    // Each kind's total is the sum of its own plans, and nothing adds the two.
    for group in groups {
        let sum: Decimal = group["plans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| {
                let plan = json["plans"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["id"] == *id)
                    .unwrap();
                money(&plan["allocated"]).unwrap()
            })
            .sum();
        assert_eq!(money(&group["totals"]["allocated"]), Some(sum));
    }
    // Stoke states the amount of one source of five: no balance is shown.
    let stoke = json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "stoke-cluster-3")
        .unwrap();
    assert_eq!(stoke["available"]["total"], Value::Null);
    assert_eq!(stoke["available"]["stated"], "4462.20");
    assert_eq!(
        (
            stoke["available"]["sources_stating_amount"].as_u64(),
            stoke["available"]["sources"].as_u64()
        ),
        (Some(1), Some(5))
    );
    assert_eq!(stoke["unallocated"], Value::Null);
    let text = planc_in(
        root(),
        &["summary", "plans/stoke-cluster-3", "--as-of", AS_OF],
    )
    .stdout;
    assert!(
        text.contains("£4,462.20 stated for 1 of 5 sources"),
        "{text}"
    );
    let county = planc_in(
        root(),
        &["summary", "plans/worcestershire-cypp", "--as-of", AS_OF],
    )
    .stdout;
    assert!(
        county.contains("County plan: its figures are county budgets"),
        "{county}"
    );
    let csv = planc_in(
        root(),
        &["summary", "plans", "--format", "csv", "--as-of", AS_OF],
    )
    .stdout;
    assert!(csv.contains("all,county,,,"), "{csv}");
    assert!(
        csv.contains("plan,cluster,stoke-cluster-3,Stoke-on-Trent,,4462.20,1,5,"),
        "{csv}"
    );
}

/// A plan in a temporary repository, with `planc.toml` if given.
fn plan_repo(plan: &str, file: &str, config: Option<&str>) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    write(&temp.path().join("plans/p").join(file), plan);
    if let Some(config) = config {
        write(&temp.path().join("planc.toml"), config);
    }
    temp
}

const SMALL: &str =
    "plan: { id: p, name: P, period: { start: 2009-04-01, end: 2010-03-31 }, default_source: s }
sources:
  - { id: s, name: S, amount: 1000 }
sections:
  - id: main
    title: Main
    priorities:
      - id: x
        title: X
        activities:
          - { id: a, title: A, cost: 1000 }
";

#[test]
fn no_level_lets_money_vanish() {
    // An amount that cannot be read: an error whatever `checks` says, and the
    // totals it belongs to are unknown, not smaller.
    for level in ["allow", "note", "warning"] {
        let plan = SMALL.replace(
            "cost: 1000 }",
            "cost: 1000 }\n          - { id: b, title: B, cost: 15k }",
        );
        let temp = plan_repo(
            &plan,
            "plan.yaml",
            Some(&format!("[checks]\nM001 = \"{level}\"\n")),
        );
        let output = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
        assert_eq!(output.status, 1, "M001: {level}\n{}", output.stderr);
        assert!(output.stderr.contains("error[M001]"), "{}", output.stderr);
        assert!(
            output
                .stderr
                .contains("the level of M001 cannot be changed"),
            "{}",
            output.stderr
        );
        let json = summary_json(temp.path(), &[]);
        assert_eq!(json["plans"][0]["allocated"], Value::Null, "{json}");
        assert_eq!(json["plans"][0]["unreadable"], 1);
    }
    // A level on the plan itself is ignored the same way, and the funds
    // checks still judge what is known: £900,000 drawn from £1,000.
    let plan = SMALL
        .replace(
            "default_source: s }",
            "default_source: s, checks: { M001: warning } }",
        )
        .replace(
            "cost: 1000 }",
            "cost: 900000 }\n          - { id: b, title: B, cost: \"£6.3 million\" }",
        );
    let temp = plan_repo(&plan, "plan.yaml", None);
    let output = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(output.stderr.contains("error[F001]"), "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("at least £900,000 allocated of £1,000"),
        "{}",
        output.stderr
    );
    // A misspelt field holding money is an error whatever S001's level.
    let plan = SMALL.replace(
        "{ id: a, title: A, cost: 1000 }",
        "{ id: a, title: A, cost: 1000 }\n          - { id: b, title: B, cots: 50000 }",
    );
    let temp = plan_repo(&plan, "plan.yaml", Some("[checks]\nS001 = \"allow\"\n"));
    let output = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(output.stderr.contains("error[S001]"), "{}", output.stderr);
    assert!(
        output.stderr.contains("this may be money"),
        "{}",
        output.stderr
    );
    assert_eq!(
        summary_json(temp.path(), &[])["plans"][0]["allocated"],
        Value::Null
    );
    // An activity that cannot be decoded at all takes its money with it:
    // the plan's totals are unknown.
    let plan = SMALL.replace("{ id: a, title: A, cost: 1000 }", "{ id: a, cost: 1000 }");
    let temp = plan_repo(&plan, "plan.yaml", None);
    let json = summary_json(temp.path(), &[]);
    assert_eq!(json["plans"][0]["allocated"], Value::Null, "{json}");
    assert_every_format_agrees(temp.path(), &[]);
}

#[test]
fn toml_number_forms_that_are_not_amounts_are_errors_at_their_place() {
    for (written, message) in [
        (
            "0x10",
            "`0x10` is a hexadecimal number, not an amount of money",
        ),
        (
            "0o777",
            "`0o777` is an octal number, not an amount of money",
        ),
        (
            "0b1000",
            "`0b1000` is a binary number, not an amount of money",
        ),
        ("inf", "`inf` is infinity, not an amount of money"),
        ("nan", "`nan` is not a number (nan), not an amount of money"),
        ("1e3", "`1e3` is not a clean amount of money"),
        (
            "100.000000000000000000000000001",
            "has more than two decimal places",
        ),
        (
            "1234567890123456789012345678901",
            "is too large to be a real figure",
        ),
    ] {
        let plan = format!(
            "[plan]\nid = \"p\"\nname = \"P\"\nperiod = {{ start = 2009-04-01, end = 2010-03-31 }}\n\n[[sections]]\nid = \"main\"\ntitle = \"Main\"\n\n[[sections.priorities]]\nid = \"x\"\ntitle = \"X\"\n\n[[sections.priorities.activities]]\nid = \"a\"\ntitle = \"A\"\ncost = {written}\n"
        );
        let temp = plan_repo(&plan, "plan.toml", None);
        let output = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
        assert_eq!(output.status, 1, "{written}: {}", output.stderr);
        assert!(
            output.stderr.contains(message),
            "{written}: {}",
            output.stderr
        );
        assert!(
            output.stderr.contains("plans/p/plan.toml:17:8"),
            "{written}: {}",
            output.stderr
        );
        assert_eq!(
            summary_json(temp.path(), &[])["plans"][0]["allocated"],
            Value::Null,
            "{written}"
        );
    }
    // `-0` is zero, and prints as zero.
    let plan = SMALL.replace(
        "cost: 1000 }",
        "cost: 1000 }\n          - { id: z, title: Z, cost: \"-0\" }",
    );
    let temp = plan_repo(&plan, "plan.yaml", None);
    let out = temp.path().join("out");
    planc_in(
        temp.path(),
        &["build", "--out", out.to_str().unwrap(), "--as-of", AS_OF],
    );
    let activities = fs::read_to_string(out.join("activities.csv")).unwrap();
    assert!(activities.contains(",0.00,"), "{activities}");
    assert!(!activities.contains("-0.00"), "{activities}");
}

#[test]
fn a_bad_field_leaves_the_funds_checks_running() {
    let plan = SMALL.replace(
        "cost: 1000 }",
        "cost: 1500, timescale: { start: Autumn 2009 } }",
    );
    let temp = plan_repo(&plan, "plan.yaml", None);
    let output = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(output.status, 1);
    assert!(output.stderr.contains("error[D001]"), "{}", output.stderr);
    assert!(output.stderr.contains("error[F001]"), "{}", output.stderr);
}

#[test]
fn every_figure_unfolds_to_its_lines_and_markdown_carries_the_plan() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let output = planc_in(
        root(),
        &[
            "build",
            "plans",
            "--out",
            out.to_str().unwrap(),
            "--revision",
            "test",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    let page =
        scraper::Html::parse_document(&fs::read_to_string(out.join("druids-heath.html")).unwrap());
    // The total allocated unfolds to every activity, each with file:line.
    let lines = select(&page, "tfoot details.trace tr");
    assert!(
        lines.iter().any(|l| l.starts_with("1.1")
            && l.contains("£1,020")
            && l.contains("plans/druids-heath/1-safety.yaml:")),
        "{lines:?}"
    );
    let available = select(&page, "tfoot td:nth-child(2) details.trace tr");
    assert_eq!(available.len(), 3, "{available:?}");
    assert!(
        available
            .iter()
            .all(|l| l.contains("plans/druids-heath/plan.yaml:")),
        "{available:?}"
    );
    // Section and priority totals unfold too.
    assert!(select(&page, "article.priority details.trace").len() >= 6);
    // Markdown carries what the HTML shows: measures, cost lines, actions,
    // notes, descriptions.
    let md = fs::read_to_string(out.join("stoke-cluster-3.md")).unwrap();
    assert!(md.contains("  - External training: £8,000"), "{md}");
    assert!(md.contains("- Measured by:"), "{md}");
    let bromsgrove = fs::read_to_string(out.join("bromsgrove.md")).unwrap();
    assert!(bromsgrove.contains("- Actions:"), "{bromsgrove}");
    assert!(
        bromsgrove.contains("Approximate figure to support all 250 schools"),
        "{bromsgrove}"
    );
    let cypp = fs::read_to_string(out.join("worcestershire-cypp.md")).unwrap();
    assert!(
        cypp.contains("A county plan: its figures are county budgets"),
        "{cypp}"
    );
}

#[test]
fn a_plan_cannot_take_the_roll_ups_file_names() {
    let plan = SMALL.replace("id: p,", "id: index,");
    let temp = plan_repo(&plan, "plan.yaml", None);
    let out = temp.path().join("out");
    let output = planc_in(
        temp.path(),
        &["build", "--out", out.to_str().unwrap(), "--as-of", AS_OF],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    assert!(
        fs::read_to_string(out.join("index-2.html"))
            .unwrap()
            .contains("<h1>P</h1>")
    );
    assert!(
        fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("Action plans")
    );
    assert!(out.join("index-2.md").exists());
}

/// LibreOffice, told to recalculate every formula on loading, shows the
/// totals `planc summary` prints: the cached results are what the formulas
/// give. A copy of a workbook whose cached results were replaced by 1 shows
/// that the recalculation really happens. Runs where LibreOffice is
/// installed: `.ci/run` installs it and sets PLANC_TEST_LIBREOFFICE=1, which
/// makes a missing LibreOffice a failure.
#[test]
fn libreoffice_recalculating_the_workbooks_gets_plancs_totals() {
    let required = std::env::var_os("PLANC_TEST_LIBREOFFICE").is_some();
    let found = std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        assert!(
            !required,
            "PLANC_TEST_LIBREOFFICE is set but soffice is not installed"
        );
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let output = planc_in(
        root(),
        &[
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
        ],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    // A copy with every cached formula result replaced by 1.
    let tampered = temp.path().join("tampered.xlsx");
    {
        let mut source =
            zip::ZipArchive::new(fs::File::open(out.join("druids-heath.xlsx")).unwrap()).unwrap();
        let mut copy = zip::ZipWriter::new(fs::File::create(&tampered).unwrap());
        for i in 0..source.len() {
            let mut entry = source.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut text).unwrap();
            if name.starts_with("xl/worksheets/sheet") {
                let xml = String::from_utf8(text).unwrap();
                let mut replaced = String::new();
                let mut rest = xml.as_str();
                while let Some(at) = rest.find("</f><v>") {
                    let (head, tail) = rest.split_at(at + "</f><v>".len());
                    replaced.push_str(head);
                    replaced.push('1');
                    rest = &tail[tail.find("</v>").unwrap()..];
                }
                replaced.push_str(rest);
                text = replaced.into_bytes();
            }
            copy.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut copy, &text).unwrap();
        }
        copy.finish().unwrap();
    }
    fs::copy(&tampered, out.join("tampered.xlsx")).unwrap();
    // A LibreOffice profile that recalculates Excel files on loading.
    let profile = temp.path().join("lo-profile");
    write(
        &profile.join("user/registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    );
    let status = std::process::Command::new("soffice")
        .current_dir(&out)
        .args([
            "--headless",
            &format!("-env:UserInstallation=file://{}", profile.display()),
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            "csv",
            "druids-heath.xlsx",
            "bromsgrove.xlsx",
            "index.xlsx",
            "tampered.xlsx",
        ])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let total = |file: &str| {
        let text = fs::read_to_string(out.join("csv").join(file)).unwrap();
        text.lines()
            .find(|l| l.starts_with("Total"))
            .unwrap_or_else(|| panic!("{file}: {text}"))
            .to_string()
    };
    assert_eq!(total("druids-heath-Funding.csv"), "Total,62150,62150,0");
    assert_eq!(total("tampered-Funding.csv"), "Total,62150,62150,0");
    // Bromsgrove states no available amount: no total is claimed for it.
    assert_eq!(total("bromsgrove-Funding.csv"), "Total,,190358,");
    assert!(total("bromsgrove-Activities.csv").contains(",190358,90000,"));
    // The roll-up: cluster plans and the county plan on sheets of their own.
    let json = summary_json(root(), &["plans"]);
    let groups = json["rollup"]["groups"].as_array().unwrap();
    let figure = |g: usize, key: &str| {
        let value = money(&groups[g]["totals"][key]).unwrap();
        value.normalize().to_string()
    };
    // Four of the cluster plans' nine sources state an amount: no total of
    // what is available is claimed.
    assert_eq!(
        total("index-Cluster Funding.csv"),
        format!("Total,,,{},", figure(0, "allocated"))
    );
    assert!(total("index-Cluster Activities.csv").contains(&format!(
        ",{},{},",
        figure(0, "allocated"),
        figure(0, "countywide")
    )));
    assert_eq!(
        total("index-County Funding.csv"),
        format!("Total,,,{},", figure(1, "allocated"))
    );
}

/// The summary's JSON for one plan file in a fresh repository.
fn plan_json(plan: &str, config: Option<&str>) -> (Output, Value) {
    let temp = plan_repo(plan, "plan.yaml", config);
    let output = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
    let json = summary_json(temp.path(), &[]);
    (output, json)
}

#[test]
fn spending_no_source_covers_is_never_a_balance() {
    let plan = "plan: { id: p, name: P, must_balance: true, period: { start: 2009-04-01, end: 2010-03-31 } }
sources: [{ id: s, name: Grant, amount: 10000 }]
sections:
  - { id: a, title: Funded, source: s, priorities: [{ id: p1, title: P1, activities: [{ id: '1', title: One, cost: 10000 }] }] }
  - { id: b, title: Forgot, priorities: [{ id: p2, title: P2, activities: [{ id: '2', title: Two, cost: 7000 }] }] }
";
    // Whatever the levels say.
    let (output, json) = plan_json(plan, Some("[checks]\nF009 = \"allow\"\n"));
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(output.stderr.contains("error[F009]"), "{}", output.stderr);
    assert_eq!(json["plans"][0]["unallocated"], "-7000.00");
    // A misspelt source on a cost is not quieted either.
    let plan = SMALL.replace("cost: 1000 }", "cost: { amount: 1000, source: ss } }");
    let (output, _) = plan_json(&plan, Some("[checks]\nR003 = \"allow\"\n"));
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(output.stderr.contains("error[R003]"), "{}", output.stderr);
}

#[test]
fn a_plan_that_cannot_be_read_leaves_the_roll_up_unknown() {
    let temp = tempfile::tempdir().unwrap();
    write(&temp.path().join("plans/a/plan.yaml"), SMALL);
    write(
        &temp.path().join("plans/b/plan.yaml"),
        &SMALL.replace("id: p,", "id: b,").replace(
            "title: A, cost: 1000 }",
            "title: A, cost: 1000 }\n  bad: [unclosed",
        ),
    );
    let json = summary_json(temp.path(), &[]);
    let group = &json["rollup"]["groups"][0]["totals"];
    assert_eq!(group["allocated"], Value::Null, "{json}");
    assert_eq!(group["plans_missing"], 1);
    assert_eq!(
        json["rollup"]["unreadable_plans"],
        serde_json::json!(["plans/b"])
    );
    let out = temp.path().join("out");
    planc_in(
        temp.path(),
        &[
            "build",
            "--draft",
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            AS_OF,
        ],
    );
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("DRAFT — 1 plan could not be read"),
        "{index}"
    );
    assert!(index.contains("unknown (1 plan cannot be read)"), "{index}");
}

#[test]
fn every_plan_file_is_read_once() {
    let temp = tempfile::tempdir().unwrap();
    write(&temp.path().join("plans/a/plan.yaml"), SMALL);
    // An upper-case extension is a plan file too.
    write(
        &temp.path().join("plans/a/more.YAML"),
        "priorities:\n  - { id: q, title: Q, section: main, activities: [{ id: b, title: B, cost: 4000 }] }\n",
    );
    let json = summary_json(temp.path(), &["plans"]);
    assert_eq!(json["plans"][0]["allocated"], "5000.00");
    // Paths that overlap name the plan once.
    let json = summary_json(temp.path(), &["plans", "plans/a"]);
    assert_eq!(json["plans"].as_array().unwrap().len(), 1);
    assert_eq!(cluster_totals(&json)["allocated"], "5000.00");
}

#[test]
fn what_cannot_be_decoded_leaves_every_total_it_touches_unknown() {
    let base = "plan: { id: p, name: P, period: { start: 2009-04-01, end: 2010-03-31 }, default_source: s }
sources:
  - { id: s, name: S, amount: 10000 }
  - { id: t, name: T, amount: 5000 }
sections:
  - id: main
    title: Main
    priorities:
      - { id: p1, title: P1, outcome: be-healthy, activities: [{ id: '1', title: One, cost: 1000 }] }
      - { id: p2, title: P2, outcome: be-healthy, activities: [{ id: '2', title: Two, cost: 2000 }] }
";
    let levels = "[checks]\nS001 = \"allow\"\nS002 = \"allow\"\nS003 = \"allow\"\nR004 = \"allow\"\nS006 = \"allow\"\n";
    for (what, from, to) in [
        (
            "a priority as text",
            "      - { id: p2, title: P2, outcome: be-healthy, activities: [{ id: '2', title: Two, cost: 2000 }] }",
            "      - \"p2: Second, £2000\"",
        ),
        (
            "activities as a mapping",
            "activities: [{ id: '2', title: Two, cost: 2000 }]",
            "activities: { id: '2', title: Two, cost: 2000 }",
        ),
        (
            "an activity as text",
            "[{ id: '2', title: Two, cost: 2000 }]",
            "[\"2 Two £2000\"]",
        ),
        (
            "a priority without its id",
            "{ id: p2, title: P2,",
            "{ idd: p2, title: P2,",
        ),
        (
            "an activity without a title",
            "{ id: '2', title: Two, cost: 2000 }",
            "{ id: '2', cost: 2000 }",
        ),
        ("a wrong-typed cost", "cost: 2000 }", "cost: [2000] }"),
        (
            "money in a list under a misspelt field",
            "cost: 2000 }",
            "costs: [2000, 500] }",
        ),
    ] {
        let (output, json) = plan_json(&base.replace(from, to), Some(levels));
        assert_eq!(output.status, 1, "{what}: {}", output.stderr);
        let plan = &json["plans"][0];
        assert_eq!(plan["allocated"], Value::Null, "{what}: {plan}");
        assert_eq!(plan["unallocated"], Value::Null, "{what}: {plan}");
        assert_eq!(
            plan["sources"][0]["allocated"],
            Value::Null,
            "{what}: {plan}"
        );
    }
    // A source that cannot be decoded: what the plan has is unknown.
    for (what, from, to) in [
        (
            "a source as text",
            "  - { id: t, name: T, amount: 5000 }",
            "  - \"t: T £5000\"",
        ),
        (
            "a source without its name",
            "{ id: t, name: T, amount: 5000 }",
            "{ id: t, amount: 5000 }",
        ),
        ("an unreadable amount", "amount: 5000 }", "amount: 5k }"),
    ] {
        let (output, json) = plan_json(&base.replace(from, to), Some(levels));
        assert_eq!(output.status, 1, "{what}: {}", output.stderr);
        let plan = &json["plans"][0];
        assert_eq!(plan["available"]["total"], Value::Null, "{what}: {plan}");
        assert_eq!(plan["unallocated"], Value::Null, "{what}: {plan}");
    }
    // A mistyped scope or kind puts money in the wrong roll-up: an error
    // whatever the levels.
    for (from, to) in [
        (
            "    title: Main\n",
            "    title: Main\n    scope: county-wide\n",
        ),
        ("id: p,", "id: p, kind: County Council,"),
    ] {
        let (output, _) = plan_json(&base.replace(from, to), Some(levels));
        assert_eq!(output.status, 1, "{to}: {}", output.stderr);
        assert!(output.stderr.contains("error[S006]"), "{}", output.stderr);
    }
}

#[test]
fn three_decimal_places_are_never_read_as_pounds_and_pence() {
    for written in ["1.000", "\"£1.000\"", "2.500", "5000.000"] {
        let (output, json) = plan_json(
            &SMALL.replace("cost: 1000", &format!("cost: {written}")),
            None,
        );
        assert!(
            output.stderr.contains("error[M003]"),
            "{written}: {}",
            output.stderr
        );
        assert_eq!(json["plans"][0]["allocated"], Value::Null);
    }
    let (output, _) = plan_json(&SMALL.replace("cost: 1000", "cost: \"£1.000\""), None);
    assert!(
        output
            .stderr
            .contains("if the dot separates thousands, write `cost: 1000`"),
        "{}",
        output.stderr
    );
}

#[test]
fn shared_figures_that_disagree_leave_the_roll_up_unknown_and_authorities_fold() {
    let plan = |id: &str, authority: &str, amount: u32| {
        format!(
            "plan: {{ id: {id}, name: {id}, authority: \"{authority}\", period: {{ start: 2009-04-01, end: 2010-03-31 }} }}
sections:
  - id: county
    title: County
    scope: countywide
    priorities:
      - {{ id: c, title: C, activities: [{{ id: c1, title: Cohesion, shared: cohesion, cost: {amount} }}] }}
"
        )
    };
    let temp = tempfile::tempdir().unwrap();
    write(
        &temp.path().join("plans/a/plan.yaml"),
        &plan("a", "Worcestershire", 5000),
    );
    write(
        &temp.path().join("plans/b/plan.yaml"),
        &plan("b", "worcestershire ", 6000),
    );
    let json = summary_json(temp.path(), &[]);
    let group = &json["rollup"]["groups"][0];
    assert_eq!(group["totals"]["countywide"], Value::Null, "{json}");
    assert_eq!(group["authorities"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(group["authorities"][0]["authority"], "Worcestershire");
}

#[test]
fn a_split_that_does_not_add_up_is_known_in_total_not_by_source() {
    let plan = SMALL.replace(
        "cost: 1000 }",
        "cost: { amount: 1000, sources: [{ source: s, amount: 800 }, { source: s, amount: 400 }] } }",
    );
    let (output, json) = plan_json(&plan, None);
    assert!(output.stderr.contains("error[F007]"), "{}", output.stderr);
    let plan_figures = &json["plans"][0];
    assert_eq!(plan_figures["allocated"], "1000.00");
    assert_eq!(plan_figures["unattributed"], "1000.00");
    assert_eq!(plan_figures["sources"][0]["allocated"], Value::Null);
    assert_eq!(plan_figures["unallocated"], Value::Null);
    let (output, _) = plan_json(
        &SMALL.replace(
            "cost: 1000 }",
            "cost: { amount: 1000, source: s, sources: [{ source: s, amount: 1000 }] } }",
        ),
        Some("[checks]\nS006 = \"allow\"\n"),
    );
    assert!(
        output
            .stderr
            .contains("a cost names both `source` and `sources`"),
        "{}",
        output.stderr
    );
    assert_eq!(output.status, 1);
}

#[test]
fn no_level_quiets_what_leaves_money_unread_second_audit() {
    let two_sections = SMALL.replace(
        "sections:\n",
        "sections:\n  - { id: other, title: Other, priorities: [] }\n",
    );
    for (what, plan, extra, levels) in [
        ("money in a mapping under a misspelt field", SMALL.replace("cost: 1000 }", "cost: 1000 }\n          - { id: b, title: B, budget: { total: 700 } }"), None, "S001 = \"allow\""),
        ("money with words under a misspelt field", SMALL.replace("cost: 1000 }", "cost: 1000 }\n          - { id: b, title: B, financial_resource: \"700 GBP\" }"), None, "S001 = \"allow\""),
        ("money in a mapping where text is expected", SMALL.replace("cost: 1000 }", "cost: 1000, actions: { text: Book the hall, cost: 700 } }"), None, "S002 = \"warning\""),
        ("a misspelt source", SMALL.replace("cost: 1000 }", "cost: { amount: 1000, soruce: s } }"), None, "S001 = \"allow\""),
        ("a split that does not add up", SMALL.replace("cost: 1000 }", "cost: { amount: 1000, sources: [{ source: s, amount: 600 }, { source: s, amount: 900 }] } }"), None, "F007 = \"allow\""),
        ("a source declared twice", SMALL.replace("sources:\n", "sources:\n  - { id: s, name: S again, amount: 1000 }\n"), None, "S004 = \"allow\""),
        ("a priority file naming no section", two_sections.clone(), Some("priorities:\n  - { id: q, title: Q, activities: [{ id: b, title: B, cost: 9000 }] }\n"), "S003 = \"warning\""),
    ] {
        let temp = plan_repo(&plan, "plan.yaml", Some(&format!("[checks]\n{levels}\n")));
        if let Some(extra) = extra {
            write(&temp.path().join("plans/p/more.yaml"), extra);
        }
        let output = planc_in(temp.path(), &["validate", "--as-of", AS_OF]);
        assert_eq!(output.status, 1, "{what}: {}", output.stderr);
    }
    // A currency other than pounds in planc.toml.
    let temp = plan_repo(SMALL, "plan.yaml", Some("currency = \"EUR\"\n"));
    assert_eq!(
        planc_in(temp.path(), &["validate", "--as-of", AS_OF]).status,
        1
    );
}

#[test]
fn spending_more_than_the_sources_hold_is_an_error() {
    let plan = SMALL.replace(
        "cost: 1000 }",
        "cost: 1000 }\n      - { id: y, title: Y, activities: [{ id: b, title: B, cost: { amount: 900, source: none } }] }",
    );
    let plan = plan.replace("default_source: s }", "}");
    let plan = plan.replace(
        "{ id: a, title: A, cost: 1000 }",
        "{ id: a, title: A, cost: { amount: 1000, source: s } }",
    );
    let plan = plan
        .replace("source: none", "source: s")
        .replace("{ amount: 900, source: s }", "900");
    let (output, json) = plan_json(&plan, Some("[checks]\nF009 = \"warning\"\n"));
    assert_eq!(output.status, 1, "{}", output.stderr);
    assert!(output.stderr.contains("error[F009]"), "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("spends £900 more than its sources hold"),
        "{}",
        output.stderr
    );
    assert_eq!(json["plans"][0]["unallocated"], "-900.00");
}

#[test]
fn shared_ids_are_one_id_whatever_their_case() {
    let plan = |id: &str, shared: &str| {
        format!(
            "plan: {{ id: {id}, name: {id}, period: {{ start: 2009-04-01, end: 2010-03-31 }} }}
sections:
  - {{ id: c, title: C, scope: countywide, priorities: [{{ id: q, title: Q, activities: [{{ id: c1, title: Cohesion, shared: {shared}, cost: 5000 }}] }}] }}
"
        )
    };
    let temp = tempfile::tempdir().unwrap();
    write(&temp.path().join("plans/a/plan.yaml"), &plan("a", "coh"));
    write(&temp.path().join("plans/b/plan.yaml"), &plan("b", "Coh"));
    let json = summary_json(temp.path(), &[]);
    assert_eq!(cluster_totals(&json)["countywide"], "5000.00", "{json}");
}

#[test]
fn roll_up_breakdowns_are_unknown_when_a_plan_lost_money() {
    let plan = SMALL.replace(
        "      - id: x\n",
        "      - \"p2: Second priority, £2000\"\n      - id: x\n",
    );
    let temp = plan_repo(&plan, "plan.yaml", None);
    let out = temp.path().join("out");
    planc_in(
        temp.path(),
        &[
            "build",
            "--draft",
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            AS_OF,
        ],
    );
    let index = fs::read_to_string(out.join("index.md")).unwrap();
    let outcomes: Vec<&str> = index
        .lines()
        .filter(|l| l.starts_with("| 1. Be healthy"))
        .collect();
    assert!(outcomes.iter().all(|l| l.contains("unknown")), "{index}");
    let sources: Vec<&str> = index.lines().filter(|l| l.starts_with("| S |")).collect();
    assert!(
        !sources.is_empty() && sources.iter().all(|l| l.contains("unknown")),
        "{index}"
    );
}

#[test]
fn a_plan_that_maps_no_outcomes_says_so() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let output = planc_in(
        root(),
        &[
            "build",
            "plans/bromsgrove",
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    let html = fs::read_to_string(out.join("bromsgrove.html")).unwrap();
    assert!(html.contains("Outcomes not mapped."), "no word of it");
    assert!(
        !html.contains("outcome-totals"),
        "a table of £0 per outcome"
    );
    let md = fs::read_to_string(out.join("bromsgrove.md")).unwrap();
    assert!(
        md.contains("**Outcomes not mapped.**") && md.contains("£190,358 of its own money"),
        "{md}"
    );
    let summary = planc_in(root(), &["summary", "plans/bromsgrove", "--as-of", AS_OF]).stdout;
    assert!(
        summary.contains("Outcomes not mapped: no activity is linked to an ECM outcome (£190,358"),
        "{summary}"
    );
    let index = fs::read_to_string(out.join("index.md")).unwrap();
    assert!(
        index.contains("| Not mapped to an outcome | £190,358 |"),
        "{index}"
    );
}

#[test]
fn values_the_transcriber_inferred_are_marked_in_every_output() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let output = planc_in(
        root(),
        &[
            "build",
            "plans",
            "--out",
            out.to_str().unwrap(),
            "--revision",
            "test",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(output.status, 0, "{}", output.stderr);
    let html = fs::read_to_string(out.join("druids-heath.html")).unwrap();
    assert!(
        html.contains("Inferred by the transcriber</span> id: The seed"),
        "no mark on 2.2"
    );
    assert!(
        html.contains("4 values inferred by the transcriber"),
        "no count"
    );
    let md = fs::read_to_string(out.join("druids-heath.md")).unwrap();
    assert!(
        md.contains(
            "- Inferred by the transcriber: title (The seed's text conversion lost the title"
        ),
        "{md}"
    );
    let csv = fs::read_to_string(out.join("activities.csv")).unwrap();
    assert!(
        csv.lines()
            .any(|l| l.starts_with("druids-heath,") && l.ends_with(",id; title")),
        "{csv}"
    );
    let json = summary_json(root(), &["plans"]);
    let counts: Vec<u64> = json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["inferred_values"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [1, 4, 2, 1]);
    // Only fields of the item can be marked.
    let (output, _) = plan_json(
        &SMALL.replace(
            "cost: 1000 }",
            "cost: 1000, inferred: { colour: guessed } }",
        ),
        None,
    );
    assert!(
        output
            .stderr
            .contains("`colour` is not a field of an activity"),
        "{}",
        output.stderr
    );
}
