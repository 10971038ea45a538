//! `planc summary`: the computed figures as terminal tables. Reads
//! `figures`; adds nothing up itself.

use crate::compile::CompiledPlan;
use crate::figures::Cell;
use crate::framework::Framework;
use crate::model::Scope;
use crate::money::{Money, format_gbp};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// A plain-text table: header, rule, rows; numbers right-aligned.
fn table(headers: &[(&str, Align)], rows: &[Vec<String>]) -> String {
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

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{cut}…")
}

pub fn plan(compiled: &CompiledPlan, framework: &Framework) -> String {
    let plan = &compiled.plan;
    let figures = &compiled.figures;
    let mut out = format!("{} ({})\n", plan.name, plan.id.value);
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
                opt_gbp(s.available),
                format_gbp(s.allocated),
                opt_gbp(s.unallocated),
            ]
        })
        .collect();
    if !figures.unsourced.is_zero() {
        rows.push(vec![
            "(no source named)".into(),
            "-".into(),
            format_gbp(figures.unsourced),
            "-".into(),
        ]);
    }
    rows.push(vec![
        "Total".into(),
        opt_gbp(figures.available),
        format_gbp(figures.allocated),
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
                truncate(&s.title, 60),
                match s.scope {
                    Scope::Local => "local".into(),
                    Scope::Countywide => "countywide".into(),
                },
                format_gbp(s.total),
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
        format_gbp(figures.allocated)
    ));
    if !figures.countywide.is_zero() {
        out.push_str(&format!(
            "Countywide (not in the plan total): {}\n",
            format_gbp(figures.countywide)
        ));
    }
    out.push('\n');

    let rows: Vec<Vec<String>> = figures
        .outcomes
        .iter()
        .map(|o| {
            vec![
                format!("{} {}", o.number, o.title),
                format_gbp(o.local),
                format_gbp(o.countywide),
                o.activities.to_string(),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            ("ECM outcome", Align::Left),
            ("Local", Align::Right),
            ("Countywide", Align::Right),
            ("Activities", Align::Right),
        ],
        &rows,
    ));
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
            let mut row = vec![a.id.clone(), truncate(&a.title, 40)];
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
    out.push_str("Outcome matrix (# the area's outcome, + also serves):\n");
    out.push_str(&table(&header_refs, &rows));
    out
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
