//! `planc summary`: the computed figures as terminal tables. Reads
//! `figures`; adds nothing up itself.

use crate::compile::CompiledPlan;
use crate::figures::{Availability, Cell, Rollup, RollupTotals, Sum};
use crate::framework::Framework;
use crate::model::{PlanKind, Scope};
use crate::money::{Money, format_gbp, format_plain};
use crate::render::inline;
use crate::render::view::{availability_text, total_text};
use crate::terminal::visible;
use std::sync::Arc;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// A plain-text table: header, rule, rows; numbers right-aligned. Plan text
/// in a cell has its control characters shown, not obeyed.
fn table(headers: &[(&str, Align)], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| visible(c).into_owned()).collect())
        .collect();
    let rows = &rows;
    let mut widths: Vec<usize> = headers.iter().map(|(h, _)| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            if i > 0 {
                out.push_str("  ");
            }
            match headers[i].1 {
                Align::Left => {
                    out.push_str(cell);
                    out.push_str(&" ".repeat(pad));
                }
                Align::Right => {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(cell);
                }
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.iter().map(|(h, _)| *h).collect());
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(rule.iter().map(String::as_str).collect()));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

fn opt_gbp(value: Option<Money>) -> String {
    value.map_or_else(|| "-".to_string(), format_gbp)
}

fn or_dash(text: String) -> String {
    if text.is_empty() { "-".into() } else { text }
}

/// At most `max` characters, control characters shown first, so that a cut
/// never falls inside an escape sequence.
fn truncate(text: &str, max: usize) -> String {
    let text = visible(text);
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{cut}…")
}

pub fn plan(compiled: &CompiledPlan, framework: &Framework) -> String {
    let plan = &compiled.plan;
    let figures = &compiled.figures;
    let mut out = format!("{} ({})\n", visible(&plan.name), visible(&plan.id.value));
    let inferred = crate::figures::inferred_count(plan);
    if inferred > 0 {
        out.push_str(&format!(
            "Values inferred by the transcriber, not read in the source plan: {inferred}\n"
        ));
    }
    if plan.kind == PlanKind::County {
        out.push_str("County plan: its figures are county budgets, not a cluster's allocation.\n");
    }
    if let Some(period) = &plan.period {
        out.push_str(&format!(
            "Period: {} to {}\n",
            period.start.value.display(),
            period.end.value.display()
        ));
    }
    out.push('\n');

    let mut rows: Vec<Vec<String>> = figures
        .sources
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                if s.unreadable {
                    "unknown".into()
                } else {
                    opt_gbp(s.available)
                },
                total_text(&s.allocated),
                opt_gbp(s.unallocated),
            ]
        })
        .collect();
    if figures.unsourced.value() != Some(Money::ZERO) {
        rows.push(vec![
            "(no source named)".into(),
            "-".into(),
            total_text(&figures.unsourced),
            "-".into(),
        ]);
    }
    if !figures.unattributed.parts.is_empty() {
        rows.push(vec![
            "(split between sources unknown)".into(),
            "-".into(),
            total_text(&figures.unattributed),
            "-".into(),
        ]);
    }
    rows.push(vec![
        "Total".into(),
        or_dash(availability_text(&figures.availability)),
        total_text(&figures.allocated),
        opt_gbp(figures.unallocated),
    ]);
    out.push_str(&table(
        &[
            ("Funding source", Align::Left),
            ("Available", Align::Right),
            ("Allocated", Align::Right),
            ("Unallocated", Align::Right),
        ],
        &rows,
    ));
    out.push('\n');

    let rows: Vec<Vec<String>> = figures
        .sections
        .iter()
        .map(|s| {
            vec![
                truncate(&inline::plain(&s.title), 60),
                match s.scope {
                    Scope::Local => "local".into(),
                    Scope::Countywide => "countywide".into(),
                },
                crate::render::view::total_or_tbc(&s.total, s.tbc),
                s.tbc.to_string(),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            ("Section", Align::Left),
            ("Scope", Align::Left),
            ("Total", Align::Right),
            ("TBC", Align::Right),
        ],
        &rows,
    ));
    out.push_str(&format!(
        "Plan total (own allocation): {}\n",
        total_text(&figures.allocated)
    ));
    if !figures.countywide.parts.is_empty() || figures.countywide.lost > 0 {
        out.push_str(&format!(
            "Countywide (not in the plan total): {}\n",
            total_text(&figures.countywide)
        ));
    }
    out.push('\n');

    if figures.mapped == 0 {
        out.push_str(&format!(
            "Outcomes not mapped: no activity is linked to an ECM outcome ({} of the plan's own money not mapped).\n",
            total_text(&figures.unmapped)
        ));
    } else {
        let mut rows: Vec<Vec<String>> = figures
            .outcomes
            .iter()
            .map(|o| {
                vec![
                    format!("{} {}", o.number, o.title),
                    total_text(&o.local),
                    total_text(&o.countywide),
                    o.activities.to_string(),
                ]
            })
            .collect();
        if !figures.unmapped.parts.is_empty() || !figures.unmapped_countywide.parts.is_empty() {
            rows.push(vec![
                "(not mapped to an outcome)".into(),
                total_text(&figures.unmapped),
                total_text(&figures.unmapped_countywide),
                String::new(),
            ]);
        }
        out.push_str(&table(
            &[
                ("ECM outcome", Align::Left),
                ("Local", Align::Right),
                ("Countywide", Align::Right),
                ("Activities", Align::Right),
            ],
            &rows,
        ));
    }
    let tbc = figures.tbc_ids();
    out.push_str(&format!(
        "Costs to be confirmed: {}{}\n\n",
        tbc.len(),
        if tbc.is_empty() {
            String::new()
        } else {
            format!(" ({})", tbc.join(", "))
        }
    ));

    let mut headers: Vec<(String, Align)> = vec![
        ("Activity".to_string(), Align::Left),
        ("Title".to_string(), Align::Left),
    ];
    headers.extend(
        framework
            .outcomes
            .iter()
            .map(|o| (o.number.to_string(), Align::Left)),
    );
    let rows: Vec<Vec<String>> = figures
        .activities
        .iter()
        .map(|a| {
            let mut row = vec![a.id.clone(), truncate(&inline::plain(&a.title), 40)];
            row.extend(a.cells.iter().map(|c| {
                match c {
                    Cell::Primary => "#",
                    Cell::Also => "+",
                    Cell::None => ".",
                }
                .to_string()
            }));
            row
        })
        .collect();
    let header_refs: Vec<(&str, Align)> = headers.iter().map(|(h, a)| (h.as_str(), *a)).collect();
    if figures.mapped == 0 {
        out.push_str("Outcome matrix: outcomes not mapped.\n");
    } else {
        out.push_str("Outcome matrix (# the area's outcome, + also serves):\n");
        out.push_str(&table(&header_refs, &rows));
    }
    out
}

/// The roll-up of several plans as text: each kind of plan apart.
pub fn rollup(rollup: &Rollup, plans: &[Arc<CompiledPlan>]) -> String {
    let mut out = String::from("Roll-up\n\n");
    if !rollup.unreadable.is_empty() {
        out.push_str(&format!(
            "Plans that could not be read, so every total below is unknown: {}\n\n",
            visible(&rollup.unreadable.join(", "))
        ));
    }
    for group in &rollup.groups {
        let title = match group.kind {
            PlanKind::Cluster => "Cluster plans",
            PlanKind::County => "County plans (county budgets)",
        };
        let mut rows: Vec<Vec<String>> = group
            .plans
            .iter()
            .map(|r| {
                let p = &plans[r.plan];
                vec![
                    p.plan.id.value.clone(),
                    or_dash(availability_text(&p.figures.availability)),
                    total_text(&p.figures.allocated),
                    total_text(&p.figures.countywide),
                ]
            })
            .collect();
        let t = &group.totals;
        if !t.counted.repeated.is_zero() {
            rows.push(vec![
                "(shared items counted once)".into(),
                "-".into(),
                "-".into(),
                format!("-{}", format_gbp(t.counted.repeated)),
            ]);
        }
        for a in &group.authorities {
            rows.push(vec![
                match &a.authority {
                    Some(name) => format!("{name} (authority)"),
                    None => "(no authority named)".into(),
                },
                available_text(&a.totals),
                counted_text(
                    a.totals.allocated(),
                    a.totals.counted.allocated_unreadable,
                    a.totals.missing,
                ),
                counted_text(
                    a.totals.countywide(),
                    a.totals.counted.countywide_unreadable,
                    a.totals.missing,
                ),
            ]);
        }
        rows.push(vec![
            "All".into(),
            available_text(t),
            counted_text(t.allocated(), t.counted.allocated_unreadable, t.missing),
            counted_text(t.countywide(), t.counted.countywide_unreadable, t.missing),
        ]);
        out.push_str(&format!("{title}\n"));
        out.push_str(&table(
            &[
                ("Plan", Align::Left),
                ("Available", Align::Right),
                ("Allocated", Align::Right),
                ("Countywide", Align::Right),
            ],
            &rows,
        ));
        out.push('\n');
    }
    out
}

fn counted_text(value: Option<Money>, unreadable: usize, missing: usize) -> String {
    match value {
        Some(amount) => format_gbp(amount),
        None if missing > 0 => format!(
            "unknown ({missing} plan{} cannot be read)",
            if missing == 1 { "" } else { "s" }
        ),
        None => format!("unknown ({unreadable} cannot be read)"),
    }
}

/// What a roll-up's plans have available, or why it is unknown.
fn available_text(t: &RollupTotals) -> String {
    if t.missing > 0 {
        counted_text(None, 0, t.missing)
    } else {
        or_dash(availability_text(&t.availability))
    }
}

fn plain(value: Option<Money>) -> serde_json::Value {
    value.map_or(serde_json::Value::Null, |v| format_plain(v).into())
}

fn sum_json(sum: &Sum) -> serde_json::Value {
    plain(sum.value())
}

fn kind_key(kind: PlanKind) -> &'static str {
    match kind {
        PlanKind::Cluster => "cluster",
        PlanKind::County => "county",
    }
}

fn availability_json(a: &Availability) -> serde_json::Value {
    serde_json::json!({
        "total": plain(if a.unreadable > 0 { None } else { a.known() }),
        "stated": format_plain(a.stated),
        "sources_stating_amount": a.sources_stated,
        "sources": a.sources,
        "unreadable": a.unreadable,
    })
}

fn totals_json(t: &RollupTotals) -> serde_json::Value {
    let c = &t.counted;
    let mut available = availability_json(&t.availability);
    available["total"] = plain(t.available());
    serde_json::json!({
        "plans": t.plans,
        "available": available,
        "allocated": plain(t.allocated()),
        "countywide": plain(t.countywide()),
        "unreadable": c.allocated_unreadable + c.countywide_unreadable,
        "plans_missing": t.missing,
        "shared_not_counted_again": format_plain(c.repeated),
        "unallocated": plain(t.unallocated()),
        "tbc": t.tbc,
    })
}

/// Every figure of every plan and of the roll-up, as JSON. Money is a
/// string of exact pounds and pence (`"62150.00"`); a total with a part
/// that cannot be read is `null`.
pub fn json(plans: &[Arc<CompiledPlan>], rollup: &Rollup) -> String {
    let plans_json: Vec<serde_json::Value> = plans
        .iter()
        .map(|c| {
            let (plan, f) = (&c.plan, &c.figures);
            serde_json::json!({
                "id": plan.id.value,
                "name": plan.name,
                "kind": kind_key(plan.kind),
                "authority": plan.authority,
                "available": availability_json(&f.availability),
                "allocated": sum_json(&f.allocated),
                "countywide": sum_json(&f.countywide),
                "unsourced": sum_json(&f.unsourced),
                "unattributed": sum_json(&f.unattributed),
                "unmapped": sum_json(&f.unmapped),
                "unmapped_countywide": sum_json(&f.unmapped_countywide),
                "mapped_activities": f.mapped,
                "inferred_values": crate::figures::inferred_count(&c.plan),
                "unallocated": plain(f.unallocated),
                "unreadable": f.activities.iter().filter(|a| a.unreadable).count()
                    + c.plan.lost.len()
                    + c.plan.lost_sources.len(),
                "tbc": f.tbc_ids(),
                "sources": f.sources.iter().map(|s| serde_json::json!({
                    "id": s.id,
                    "name": s.name,
                    "available": plain(s.available),
                    "allocated": sum_json(&s.allocated),
                    "unallocated": plain(s.unallocated),
                })).collect::<Vec<_>>(),
                "sections": f.sections.iter().map(|s| serde_json::json!({
                    "id": s.id,
                    "title": s.title,
                    "scope": match s.scope { Scope::Local => "local", Scope::Countywide => "countywide" },
                    "total": sum_json(&s.total),
                    "tbc": s.tbc,
                    "priorities": s.priorities.iter().map(|p| serde_json::json!({
                        "id": p.id,
                        "title": p.title,
                        "total": sum_json(&p.total),
                        "tbc": p.tbc,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "outcomes": f.outcomes.iter().map(|o| serde_json::json!({
                    "number": o.number,
                    "title": o.title,
                    "local": sum_json(&o.local),
                    "countywide": sum_json(&o.countywide),
                    "activities": o.activities,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let groups: Vec<serde_json::Value> = rollup
        .groups
        .iter()
        .map(|g| {
            serde_json::json!({
                "kind": kind_key(g.kind),
                "plans": g.plans.iter().map(|r| plans[r.plan].plan.id.value.clone()).collect::<Vec<_>>(),
                "totals": totals_json(&g.totals),
                "authorities": g.authorities.iter().map(|a| serde_json::json!({
                    "authority": a.authority,
                    "totals": totals_json(&a.totals),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let items: Vec<serde_json::Value> = rollup
        .items
        .iter()
        .map(|i| {
            serde_json::json!({
                "shared": i.shared,
                "title": i.title,
                "amount": plain(if i.unreadable { None } else { i.amount }),
                "scope": match i.scope { Scope::Local => "local", Scope::Countywide => "countywide" },
                "kind": kind_key(i.kind),
                "plans": i.plans,
            })
        })
        .collect();
    let value = serde_json::json!({
        "plans": plans_json,
        "rollup": { "groups": groups, "items": items, "unreadable_plans": rollup.unreadable },
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// The headline figures as CSV: a row per plan, per authority and per kind
/// of plan. Money as plain decimals; empty where a figure is unknown.
pub fn csv(plans: &[Arc<CompiledPlan>], rollup: &Rollup) -> Result<Vec<u8>, ::csv::Error> {
    let text = |v: Option<Money>| v.map_or_else(String::new, format_plain);
    let mut rows = Vec::new();
    for group in &rollup.groups {
        let kind = kind_key(group.kind).to_string();
        for r in &group.plans {
            let c = &plans[r.plan];
            let f = &c.figures;
            rows.push(vec![
                "plan".into(),
                kind.clone(),
                c.plan.id.value.clone(),
                c.plan.authority.clone().unwrap_or_default(),
                text(f.available().filter(|_| f.availability.unreadable == 0)),
                format_plain(f.availability.stated),
                f.availability.sources_stated.to_string(),
                f.availability.sources.to_string(),
                text(f.allocated.value()),
                text(f.countywide.value()),
                format_plain(r.counted.repeated),
                text(f.unallocated),
                f.tbc_ids().len().to_string(),
                (f.activities.iter().filter(|a| a.unreadable).count()
                    + c.plan.lost.len()
                    + f.availability.unreadable)
                    .to_string(),
                "0".into(),
            ]);
        }
        let mut total = |level: &str, authority: String, t: &RollupTotals| {
            rows.push(vec![
                level.into(),
                kind.clone(),
                String::new(),
                authority,
                text(t.available()),
                format_plain(t.availability.stated),
                t.availability.sources_stated.to_string(),
                t.availability.sources.to_string(),
                text(t.allocated()),
                text(t.countywide()),
                format_plain(t.counted.repeated),
                text(t.unallocated()),
                t.tbc.to_string(),
                (t.counted.allocated_unreadable
                    + t.counted.countywide_unreadable
                    + t.availability.unreadable)
                    .to_string(),
                t.missing.to_string(),
            ]);
        };
        for a in &group.authorities {
            total(
                "authority",
                a.authority.clone().unwrap_or_default(),
                &a.totals,
            );
        }
        total("all", String::new(), &group.totals);
    }
    crate::render::csv::write(
        &[
            "row",
            "kind",
            "plan",
            "authority",
            "available",
            "available_stated",
            "sources_stating_amount",
            "sources",
            "allocated",
            "countywide",
            "shared_not_counted_again",
            "unallocated",
            "tbc",
            "unreadable",
            "plans_missing",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns() {
        let text = table(
            &[("Name", Align::Left), ("Amount", Align::Right)],
            &[
                vec!["Action plan".into(), "£11,650".into()],
                vec!["AfI".into(), "£0".into()],
            ],
        );
        assert_eq!(
            text,
            "Name          Amount\n-----------  -------\nAction plan  £11,650\nAfI               £0\n"
        );
    }
}
