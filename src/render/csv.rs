//! CSV for spreadsheets: activities, funding and the outcome matrix across
//! all plans. Money as plain decimals; cells a spreadsheet would run as a
//! formula are neutralised.

use super::inline::plain;
use super::view::{Amounts, PlanView};

/// Cells starting with these characters are formulas to Excel and
/// LibreOffice; a leading apostrophe makes them text.
fn neutralise(cell: &str) -> String {
    // Plain decimals (money, counts) stay numbers.
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    if !digits.is_empty()
        && digits.split('.').count() <= 2
        && digits
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return cell.to_string();
    }
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

pub fn write(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, csv::Error> {
    // A byte-order mark, so that Excel reads the file as UTF-8 (the £ sign).
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row.iter().map(|c| neutralise(c)))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

pub fn activities(plans: &[PlanView]) -> Result<Vec<u8>, csv::Error> {
    let mut rows = Vec::new();
    for plan in plans {
        for section in &plan.sections {
            for priority in &section.priorities {
                for a in &priority.activities {
                    let partners = a.all_partners();
                    rows.push(vec![
                        plan.id.clone(),
                        plain(&section.title),
                        if section.countywide {
                            "countywide"
                        } else {
                            "local"
                        }
                        .to_string(),
                        plain(&priority.title),
                        a.id.clone(),
                        plain(&a.title),
                        a.outcomes
                            .iter()
                            .map(|o| o.code.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                        a.ecm_outcomes.join("; "),
                        a.cost.amount_plain.clone(),
                        a.cost.kind.clone(),
                        a.cost.sources.join("; "),
                        partners.join("; "),
                        a.lead.clone().unwrap_or_default(),
                        a.start_iso.clone(),
                        a.end_iso.clone(),
                        a.status.as_ref().map_or_else(String::new, |s| {
                            [s.rag_text.as_str(), s.status.as_str()]
                                .iter()
                                .filter(|t| !t.is_empty())
                                .copied()
                                .collect::<Vec<_>>()
                                .join(", ")
                        }),
                        a.shared.clone().unwrap_or_default(),
                        a.inferred
                            .iter()
                            .map(|i| i.field.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                    ]);
                }
            }
        }
    }
    write(
        &[
            "plan",
            "section",
            "scope",
            "priority",
            "id",
            "title",
            "outcome_codes",
            "ecm_outcomes",
            "cost",
            "cost_kind",
            "source",
            "partners",
            "lead",
            "start",
            "end",
            "status",
            "shared",
            "inferred",
        ],
        rows,
    )
}

/// An allocation, left empty when part of it cannot be read.
fn known(amounts: &Amounts) -> String {
    if amounts.allocated_known {
        amounts.allocated_plain.clone()
    } else {
        String::new()
    }
}

pub fn funding(plans: &[PlanView]) -> Result<Vec<u8>, csv::Error> {
    let mut rows = Vec::new();
    for plan in plans {
        for source in &plan.sources {
            rows.push(vec![
                plan.id.clone(),
                source.id.clone(),
                source.name.clone(),
                source.amounts.available_plain.clone(),
                known(&source.amounts),
                source.amounts.unallocated_plain.clone(),
            ]);
        }
        // Every row the total covers is in the file.
        if !plan.unsourced.is_empty() {
            rows.push(vec![
                plan.id.clone(),
                String::new(),
                "No source named".into(),
                String::new(),
                plan.unsourced_plain.clone(),
                plan.unsourced_unallocated_plain.clone(),
            ]);
        }
        if !plan.unattributed.is_empty() {
            rows.push(vec![
                plan.id.clone(),
                String::new(),
                "Split between sources unknown".into(),
                String::new(),
                plan.unattributed_plain.clone(),
                String::new(),
            ]);
        }
        rows.push(vec![
            plan.id.clone(),
            String::new(),
            "Total".into(),
            plan.totals.available_plain.clone(),
            known(&plan.totals),
            plan.totals.unallocated_plain.clone(),
        ]);
    }
    write(
        &[
            "plan",
            "source_id",
            "source",
            "available",
            "allocated",
            "unallocated",
        ],
        rows,
    )
}

pub fn outcomes(plans: &[PlanView]) -> Result<Vec<u8>, csv::Error> {
    let titles = plans
        .first()
        .map(|p| p.outcome_titles.clone())
        .unwrap_or_default();
    let mut header = vec!["plan".to_string(), "activity".into(), "title".into()];
    header.extend(titles);
    let mut rows = Vec::new();
    for plan in plans {
        for row in &plan.matrix {
            let mut cells = vec![plan.id.clone(), row.id.clone(), plain(&row.title)];
            cells.extend(row.cells.iter().cloned());
            rows.push(cells);
        }
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    write(&header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-1+1"), "'-1+1");
        assert_eq!(neutralise("-180.00"), "-180.00");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("1020.00"), "1020.00");
        assert_eq!(neutralise("Café £5"), "Café £5");
    }
}
