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

/// One plan's rows of the three CSV files, already written as CSV: a
/// build keeps these, not the plan's view, until every plan is rendered.
pub struct PlanRows {
    activities: Vec<u8>,
    funding: Vec<u8>,
    outcomes: Vec<u8>,
    /// The outcome matrix's column titles, as this plan's figures name them.
    outcome_titles: Vec<String>,
}

impl PlanRows {
    pub fn of(plan: &PlanView) -> Result<PlanRows, csv::Error> {
        Ok(PlanRows {
            activities: records(activity_rows(plan))?,
            funding: records(funding_rows(plan))?,
            outcomes: records(outcome_rows(plan))?,
            outcome_titles: plan.outcome_titles.clone(),
        })
    }
}

/// A file's bytes in parts, written in order.
pub type Parts = Vec<Vec<u8>>;

/// `activities.csv`, `funding.csv` and `outcomes.csv` of the plans, each as
/// its parts: the header, then each plan's rows in order. A build writes
/// the parts one by one and never holds a whole national file.
pub fn files(plans: Vec<PlanRows>) -> Result<[(&'static str, Parts); 3], csv::Error> {
    let titles = plans
        .first()
        .map(|p| p.outcome_titles.clone())
        .unwrap_or_default();
    let mut outcome_header = vec!["plan", "activity", "title"];
    outcome_header.extend(titles.iter().map(String::as_str));
    let mut activities = vec![head(ACTIVITY_HEADER)?];
    let mut funding = vec![head(FUNDING_HEADER)?];
    let mut outcomes = vec![head(&outcome_header)?];
    for plan in plans {
        activities.push(plan.activities);
        funding.push(plan.funding);
        outcomes.push(plan.outcomes);
    }
    Ok([
        ("activities.csv", activities),
        ("funding.csv", funding),
        ("outcomes.csv", outcomes),
    ])
}

/// A whole file of a header and rows.
pub fn write(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, csv::Error> {
    let mut out = head(header)?;
    out.extend(records(rows)?);
    Ok(out)
}

/// The start of a file: a byte-order mark, so that Excel reads it as UTF-8
/// (the £ sign), and the header.
fn head(header: &[&str]) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend(records(vec![
        header.iter().map(ToString::to_string).collect(),
    ])?);
    Ok(out)
}

/// Rows written as CSV records, their cells neutralised.
fn records(rows: Vec<Vec<String>>) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::new();
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        for row in rows {
            writer.write_record(row.iter().map(|c| neutralise(c)))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

const ACTIVITY_HEADER: &[&str] = &[
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
];

fn activity_rows(plan: &PlanView) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
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
    rows
}

/// An allocation, left empty when part of it cannot be read.
fn known(amounts: &Amounts) -> String {
    if amounts.allocated_known {
        amounts.allocated_plain.clone()
    } else {
        String::new()
    }
}

const FUNDING_HEADER: &[&str] = &[
    "plan",
    "source_id",
    "source",
    "available",
    "allocated",
    "unallocated",
];

fn funding_rows(plan: &PlanView) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
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
    rows
}

fn outcome_rows(plan: &PlanView) -> Vec<Vec<String>> {
    plan.matrix
        .iter()
        .map(|row| {
            let mut cells = vec![plan.id.clone(), row.id.clone(), plain(&row.title)];
            cells.extend(row.cells.iter().cloned());
            cells
        })
        .collect()
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
