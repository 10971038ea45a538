//! `planc diff`: the plans at a git revision against the working tree (or
//! another revision): funds per source and section before and after, and
//! activities added, removed, re-costed, re-scheduled or re-rated. Reads the
//! revision through `git`, never touching the working tree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::compile::{self, Compilation};
use crate::config::DEFAULT_MAX_FILE_BYTES;
use crate::figures::{PlanFigures, Sum};
use crate::git;
use crate::load::is_plan_file;
use crate::model::{CostKind, Plan, Rag};
use crate::money::{Money, format_gbp};
use crate::render::view::total_text;

/// The plan files under `paths` at `revision`, with their text, as planc
/// would find them on disk. Links stored in git are followed while they
/// stay inside the repository; a blob over `limit` bytes is an error, not
/// read.
fn files_at(
    revision: &str,
    paths: &[PathBuf],
    limit: u64,
) -> Result<Vec<(PathBuf, String)>, git::GitError> {
    let mut files = Vec::new();
    // Each path is listed once, however many stored links lead to it; each
    // blob is read once, however many paths hold it; and all the blobs read
    // stay within a budget of bytes.
    let mut listed: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    let mut read: BTreeMap<String, String> = BTreeMap::new();
    let mut budget = limit.saturating_mul(16);
    let mut pending: Vec<(PathBuf, usize)> = paths.iter().map(|p| (p.clone(), 0)).collect();
    while let Some((path, hops)) = pending.pop() {
        if !listed.insert(path.clone()) {
            continue;
        }
        for entry in git::ls_tree(revision, std::slice::from_ref(&path))? {
            if entry.mode == "120000" {
                // A link: followed a few hops, inside the repository only.
                let target = git::blob(&entry, revision, 4096)?;
                if let Some(target) = git::link_target(&entry.path, &target)
                    && hops < 8
                {
                    pending.push((target, hops + 1));
                }
                continue;
            }
            let path = &entry.path;
            if entry.kind != "blob"
                || !is_plan_file(path)
                || path.components().any(|c| c.as_os_str() == "templates")
            {
                continue;
            }
            // The budget counts every file's text, read or repeated.
            let size = entry.size.unwrap_or(0);
            if size > budget {
                return Err(git::GitError::TooLarge {
                    path: path.display().to_string(),
                    revision: revision.to_string(),
                    size,
                    limit: budget,
                });
            }
            let text = match read.get(&entry.object) {
                Some(text) => text.clone(),
                None => {
                    let text =
                        String::from_utf8_lossy(&git::blob(&entry, revision, limit)?).into_owned();
                    read.insert(entry.object.clone(), text.clone());
                    text
                }
            };
            budget = budget.saturating_sub(text.len() as u64);
            files.push((path.clone(), text));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    Ok(files)
}

/// Groups files into plans by the rule `load` uses: the shallowest directory
/// that directly holds plan files is a plan of every file below it.
fn group(files: Vec<(PathBuf, String)>) -> Vec<(PathBuf, Vec<(PathBuf, String)>)> {
    let holders: std::collections::BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|(p, _)| p.parent().map(Path::to_path_buf))
        .collect();
    let mut plans: BTreeMap<PathBuf, Vec<(PathBuf, String)>> = BTreeMap::new();
    for (path, text) in files {
        let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let plan_dir = parent
            .ancestors()
            .filter(|a| holders.contains(*a))
            .last()
            .map_or_else(|| parent.clone(), Path::to_path_buf);
        let key = if plan_dir.as_os_str().is_empty() {
            path.clone()
        } else {
            plan_dir
        };
        plans.entry(key).or_default().push((path, text));
    }
    plans.into_iter().collect()
}

/// The compiled plans on one side of the comparison.
fn side(revision: Option<&str>, paths: &[PathBuf], as_of: Date) -> anyhow::Result<Compilation> {
    match revision {
        None => Ok(compile::compile(paths, as_of)?),
        Some(rev) => Ok(compile::compile_texts(
            group(files_at(rev, paths, DEFAULT_MAX_FILE_BYTES)?),
            as_of,
        )),
    }
}

struct Side<'a> {
    plan: &'a Plan,
    figures: &'a PlanFigures,
}

fn by_id(compilation: &Compilation) -> BTreeMap<String, Side<'_>> {
    compilation
        .plans
        .iter()
        .map(|c| {
            let side = Side {
                plan: &c.plan,
                figures: &c.figures,
            };
            (c.plan.id.value.clone(), side)
        })
        .collect()
}

fn opt(value: Option<Money>) -> String {
    value.map_or_else(|| "–".to_string(), format_gbp)
}

fn sum(value: Option<&Sum>) -> String {
    value.map_or_else(|| "–".to_string(), total_text)
}

/// A source's amount as a side shows it: not stated, or cannot be read.
fn available(source: Option<&crate::figures::SourceFigures>) -> String {
    match source {
        Some(s) if s.unreadable => "unknown".into(),
        other => opt(other.and_then(|s| s.available)),
    }
}

/// The change in a total; `unknown` when a side cannot be read, never
/// `gone`.
fn sum_change(before: Option<&Sum>, after: Option<&Sum>) -> String {
    let unknown = |s: Option<&Sum>| s.is_some_and(|s| s.value().is_none());
    if unknown(before) || unknown(after) {
        return "unknown".into();
    }
    change(before.and_then(Sum::value), after.and_then(Sum::value))
}

fn change(before: Option<Money>, after: Option<Money>) -> String {
    match (before, after) {
        (Some(b), Some(a)) if a != b => {
            let d = a - b;
            if d.is_sign_negative() {
                format!("-{}", format_gbp(-d))
            } else {
                format!("+{}", format_gbp(d))
            }
        }
        (None, Some(_)) => "new".into(),
        (Some(_), None) => "gone".into(),
        _ => String::new(),
    }
}

/// One activity's cost, timescale and RAG as words, for comparison.
fn activity_facts(plan: &Plan) -> BTreeMap<String, (String, String, String, String)> {
    let mut facts = BTreeMap::new();
    for (_, _, a) in crate::resolve::activities(plan) {
        let cost = match a.cost.as_ref().map(|c| &c.kind) {
            Some(CostKind::Amount(m)) => format_gbp(m.value),
            Some(CostKind::Tbc) => "TBC".into(),
            Some(CostKind::NotApplicable) => "N/A".into(),
            Some(CostKind::NotStated(words)) => format!("no cost stated: {words}"),
            Some(CostKind::See(id)) => format!("see {}", id.value),
            Some(CostKind::Met { by, .. }) => format!("met by {by}"),
            Some(CostKind::Unreadable) => "cannot be read".into(),
            None => "–".into(),
        };
        let timescale = a.timescale.as_ref().map_or_else(String::new, |t| {
            let start = t
                .start
                .as_ref()
                .map_or_else(String::new, |d| d.value.display());
            let end = t
                .end
                .as_ref()
                .map_or_else(String::new, |d| d.value.display());
            format!("{start}–{end}")
        });
        let rag = a
            .progress
            .iter()
            .chain(a.actions.iter().flat_map(|x| &x.progress))
            .max_by_key(|p| p.date.value.last)
            .and_then(|p| p.rag)
            .map_or("", |r| match r {
                Rag::Red => "red",
                Rag::Amber => "amber",
                Rag::Green => "green",
            });
        facts.insert(
            a.id.value.clone(),
            (a.title.clone(), cost, timescale, rag.to_string()),
        );
    }
    facts
}

/// A table as Markdown, or as aligned text for a terminal.
fn table(markdown: bool, headers: &[&str], rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    if markdown {
        let mut out = format!(
            "| {} |\n|{}\n",
            headers.join(" | "),
            " --- |".repeat(headers.len())
        );
        for row in rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| crate::render::templates::markdown_cell(c))
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        return out + "\n";
    }
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| crate::terminal::visible(c).into_owned())
                .collect()
        })
        .collect();
    let rows = &rows;
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::from("  ");
        for (i, c) in cells.iter().enumerate() {
            s.push_str(c);
            s.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out + "\n"
}

pub fn diff(
    from: &str,
    to: Option<&str>,
    paths: &[PathBuf],
    markdown: bool,
    as_of: Date,
) -> anyhow::Result<String> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from("plans")]
    } else {
        paths.to_vec()
    };
    let before = side(Some(from), &paths, as_of)?;
    let after = side(to, &paths, as_of)?;
    let (before_plans, after_plans) = (by_id(&before), by_id(&after));
    let mut ids: Vec<&String> = before_plans.keys().chain(after_plans.keys()).collect();
    ids.sort();
    ids.dedup();
    let mut out = String::new();
    let heading = |text: String| {
        if markdown {
            format!("### {}\n\n", crate::render::templates::markdown_text(&text))
        } else {
            format!("{}\n", crate::terminal::visible(&text))
        }
    };
    for id in ids {
        let (b, a) = (before_plans.get(id), after_plans.get(id));
        let name = a.or(b).map_or("", |s| s.plan.name.as_str());
        match (b, a) {
            (None, Some(_)) => out.push_str(&heading(if before.unreadable.is_empty() {
                format!("Plan {id} ({name}): added")
            } else {
                format!("Plan {id} ({name}): not found before the change, where a plan could not be read")
            })),
            (Some(_), None) => out.push_str(&heading(if after.unreadable.is_empty() {
                format!("Plan {id} ({name}): removed")
            } else {
                format!(
                    "Plan {id} ({name}): not found after the change, where a plan could not be read"
                )
            })),
            (Some(b), Some(a)) => {
                let mut sources = Vec::new();
                let mut names: Vec<&str> =
                    b.figures.sources.iter().map(|s| s.id.as_str()).collect();
                for s in &a.figures.sources {
                    if !names.contains(&s.id.as_str()) {
                        names.push(&s.id);
                    }
                }
                for source in names {
                    let sb = b.figures.sources.iter().find(|s| s.id == source);
                    let sa = a.figures.sources.iter().find(|s| s.id == source);
                    let label = sa.or(sb).map_or(source, |s| s.name.as_str());
                    sources.push(vec![
                        label.to_string(),
                        available(sb),
                        available(sa),
                        sum(sb.map(|s| &s.allocated)),
                        sum(sa.map(|s| &s.allocated)),
                        if sa.is_none() && !a.plan.lost_sources.is_empty() {
                            "not read".into()
                        } else {
                            sum_change(sb.map(|s| &s.allocated), sa.map(|s| &s.allocated))
                        },
                    ]);
                }
                let mut sections = Vec::new();
                let mut section_ids: Vec<&str> =
                    b.figures.sections.iter().map(|s| s.id.as_str()).collect();
                for s in &a.figures.sections {
                    if !section_ids.contains(&s.id.as_str()) {
                        section_ids.push(&s.id);
                    }
                }
                for section in section_ids {
                    let sb = b.figures.sections.iter().find(|s| s.id == section);
                    let sa = a.figures.sections.iter().find(|s| s.id == section);
                    sections.push(vec![
                        sa.or(sb).map_or(section, |s| s.title.as_str()).to_string(),
                        sum(sb.map(|s| &s.total)),
                        sum(sa.map(|s| &s.total)),
                        sum_change(sb.map(|s| &s.total), sa.map(|s| &s.total)),
                    ]);
                }
                let (fb, fa) = (activity_facts(b.plan), activity_facts(a.plan));
                let mut activities = Vec::new();
                for (aid, facts) in &fb {
                    match fa.get(aid) {
                        // Missing from a plan that lost items in decoding:
                        // not read, not necessarily removed.
                        None if !a.plan.lost.is_empty() => activities.push(vec![
                            "not read".into(),
                            aid.clone(),
                            facts.0.clone(),
                            facts.1.clone(),
                        ]),
                        None => activities.push(vec![
                            "removed".into(),
                            aid.clone(),
                            facts.0.clone(),
                            facts.1.clone(),
                        ]),
                        Some(now) => {
                            for (what, was, is) in [
                                ("re-costed", &facts.1, &now.1),
                                ("re-scheduled", &facts.2, &now.2),
                                ("re-rated", &facts.3, &now.3),
                            ] {
                                if was != is {
                                    activities.push(vec![
                                        what.into(),
                                        aid.clone(),
                                        now.0.clone(),
                                        format!("{was} → {is}"),
                                    ]);
                                }
                            }
                        }
                    }
                }
                for (aid, facts) in &fa {
                    if !fb.contains_key(aid) {
                        activities.push(vec![
                            "added".into(),
                            aid.clone(),
                            facts.0.clone(),
                            facts.1.clone(),
                        ]);
                    }
                }
                let unchanged = activities.is_empty()
                    && sources.iter().all(|r| r[1] == r[2] && r[3] == r[4])
                    && sections.iter().all(|r| r[1] == r[2]);
                if unchanged {
                    out.push_str(&heading(format!("Plan {id} ({name}): no change")));
                    if markdown {
                        continue;
                    }
                    out.push('\n');
                    continue;
                }
                let total_change =
                    sum_change(Some(&b.figures.allocated), Some(&a.figures.allocated));
                out.push_str(&heading(format!(
                    "Plan {id} ({name}): allocated {} → {}{}",
                    total_text(&b.figures.allocated),
                    total_text(&a.figures.allocated),
                    if total_change.is_empty() {
                        String::new()
                    } else {
                        format!(" ({total_change})")
                    }
                )));
                out.push_str(&table(
                    markdown,
                    &[
                        "Source",
                        "Available before",
                        "after",
                        "Allocated before",
                        "after",
                        "change",
                    ],
                    &sources,
                ));
                out.push_str(&table(
                    markdown,
                    &["Section", "Total before", "after", "change"],
                    &sections,
                ));
                if activities.is_empty() {
                    out.push_str(if markdown {
                        "No activity changed.\n\n"
                    } else {
                        "  No activity changed.\n\n"
                    });
                } else {
                    out.push_str(&table(
                        markdown,
                        &["Change", "Activity", "Title", "Detail"],
                        &activities,
                    ));
                }
            }
            (None, None) => {}
        }
    }
    // A plan that cannot be read is not a plan removed.
    for (side, compilation) in [("before", &before), ("after", &after)] {
        for path in compilation.unreadable_paths() {
            out.push_str(&heading(format!(
                "Plan at {path}: could not be read {side} the change (run `planc validate`)"
            )));
        }
    }
    if out.is_empty() {
        out.push_str("No plans found on either side.\n");
    }
    Ok(out)
}
