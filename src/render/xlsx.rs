//! Excel workbooks for finance: one per plan and one for the roll-up, with
//! sheets for activities, funding and outcomes, money as numbers in a £
//! format, totals as live SUM formulas, frozen headers, filters and fitted
//! columns. Amounts become binary floating point only here, because that is
//! how a spreadsheet cell holds a number.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError,
};

use super::view::{IndexView, PlanView};

/// One column's header, and whether it holds money.
struct Column {
    title: String,
    money: bool,
}

fn col(title: &str, money: bool) -> Column {
    Column {
        title: title.to_string(),
        money,
    }
}

enum Cell {
    Text(String),
    Money(Option<f64>),
}

fn money(plain: &str) -> Cell {
    Cell::Money(plain.parse::<f64>().ok())
}

/// Writes a sheet: header, rows, a total row of SUM formulas under the money
/// columns, frozen header, filter and column widths.
/// `totals` are planc's own figures for the money columns, in order: they
/// are the formulas' cached results, which applications that do not
/// recalculate on opening (LibreOffice, by default) show.
fn sheet(
    worksheet: &mut Worksheet,
    name: &str,
    columns: &[Column],
    rows: &[Vec<Cell>],
    totals: &[&str],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let pounds = Format::new().set_num_format("£#,##0.00");
    let total = Format::new().set_bold().set_num_format("£#,##0.00");
    worksheet.set_name(name)?;
    let mut widths: Vec<usize> = columns.iter().map(|c| c.title.chars().count()).collect();
    for (c, column) in columns.iter().enumerate() {
        worksheet.write_string_with_format(0, c as u16, &column.title, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(text) => {
                    widths[c] = widths[c].max(text.chars().count());
                    worksheet.write_string(r, c as u16, text)?;
                }
                Cell::Money(Some(value)) => {
                    widths[c] = widths[c].max(14);
                    worksheet.write_number_with_format(r, c as u16, *value, &pounds)?;
                }
                Cell::Money(None) => {}
            }
        }
    }
    let last = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    if columns.iter().any(|c| c.money) && !rows.is_empty() {
        let total_row = last + 1;
        worksheet.write_string_with_format(total_row, 0, "Total", &bold)?;
        let money_columns = columns.iter().enumerate().filter(|(_, c)| c.money);
        for (i, (c, _)) in money_columns.enumerate() {
            let letter = rust_xlsxwriter::utility::column_number_to_name(c as u16);
            let formula = Formula::new(format!("=SUM({letter}2:{letter}{})", last + 1))
                .set_result(totals.get(i).copied().unwrap_or(""));
            worksheet.write_formula_with_format(total_row, c as u16, formula, &total)?;
        }
    }
    worksheet.set_freeze_panes(1, 0)?;
    worksheet.autofilter(
        0,
        0,
        last,
        u16::try_from(columns.len().saturating_sub(1)).unwrap_or(0),
    )?;
    for (c, width) in widths.iter().enumerate() {
        worksheet.set_column_width(c as u16, (*width).clamp(6, 60) as f64 + 2.0)?;
    }
    Ok(())
}

fn activity_rows(plans: &[&PlanView], with_plan: bool) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for plan in plans {
        for section in &plan.sections {
            for priority in &section.priorities {
                for a in &priority.activities {
                    let mut row = Vec::new();
                    if with_plan {
                        row.push(Cell::Text(plan.id.clone()));
                    }
                    let partners = a.all_partners();
                    row.extend([
                        Cell::Text(section.title.clone()),
                        Cell::Text(
                            if section.countywide {
                                "countywide"
                            } else {
                                "local"
                            }
                            .into(),
                        ),
                        Cell::Text(priority.title.clone()),
                        Cell::Text(a.id.clone()),
                        Cell::Text(a.title.clone()),
                        Cell::Text(
                            a.outcomes
                                .iter()
                                .map(|o| o.code.as_str())
                                .collect::<Vec<_>>()
                                .join("; "),
                        ),
                        money(&a.cost.amount_plain),
                        Cell::Text(a.cost.text.clone()),
                        Cell::Text(a.cost.sources.join("; ")),
                        Cell::Text(partners.join("; ")),
                        Cell::Text(a.lead.clone().unwrap_or_default()),
                        Cell::Text(a.start_iso.clone()),
                        Cell::Text(a.end_iso.clone()),
                    ]);
                    rows.push(row);
                }
            }
        }
    }
    rows
}

/// Activity columns; `true` marks money.
const ACTIVITY_COLUMNS: [(&str, bool); 13] = [
    ("Section", false),
    ("Scope", false),
    ("Priority", false),
    ("Id", false),
    ("Title", false),
    ("Outcome codes", false),
    ("Cost", true),
    ("Cost as written", false),
    ("Source", false),
    ("Partners", false),
    ("Lead", false),
    ("Start", false),
    ("End", false),
];

const FUNDING_COLUMNS: [(&str, bool); 4] = [
    ("Source", false),
    ("Available", true),
    ("Allocated", true),
    ("Unallocated", true),
];

fn funding_rows(plans: &[&PlanView], with_plan: bool) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for plan in plans {
        for source in &plan.sources {
            let mut row = Vec::new();
            if with_plan {
                row.push(Cell::Text(plan.id.clone()));
            }
            row.extend([
                Cell::Text(source.name.clone()),
                money(&source.amounts.available_plain),
                money(&source.amounts.allocated_plain),
                money(&source.amounts.unallocated_plain),
            ]);
            rows.push(row);
        }
    }
    rows
}

/// planc's totals for a workbook's money columns: the activities' costs, and
/// the sources' available, allocated and unallocated.
struct Totals<'a> {
    costs: &'a str,
    available: &'a str,
    allocated: &'a str,
    unallocated: &'a str,
}

fn workbook(plans: &[&PlanView], with_plan: bool, totals: Totals) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    // A fixed creation date, so that the same plans give the same bytes.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let prefixed = |columns: &[(&str, bool)]| -> Vec<Column> {
        let mut all = Vec::new();
        if with_plan {
            all.push(col("Plan", false));
        }
        all.extend(columns.iter().map(|(title, money)| col(title, *money)));
        all
    };
    sheet(
        workbook.add_worksheet(),
        "Activities",
        &prefixed(&ACTIVITY_COLUMNS),
        &activity_rows(plans, with_plan),
        &[totals.costs],
    )?;
    sheet(
        workbook.add_worksheet(),
        "Funding",
        &prefixed(&FUNDING_COLUMNS),
        &funding_rows(plans, with_plan),
        &[totals.available, totals.allocated, totals.unallocated],
    )?;
    let titles = plans
        .first()
        .map(|p| p.outcome_titles.clone())
        .unwrap_or_default();
    let mut outcome_columns = prefixed(&[("Activity", false), ("Title", false)]);
    outcome_columns.extend(titles.iter().map(|t| col(t, false)));
    let mut rows = Vec::new();
    for plan in plans {
        for m in &plan.matrix {
            let mut row = Vec::new();
            if with_plan {
                row.push(Cell::Text(plan.id.clone()));
            }
            row.push(Cell::Text(m.id.clone()));
            row.push(Cell::Text(m.title.clone()));
            row.extend(m.cells.iter().map(|c| {
                Cell::Text(
                    match c.as_str() {
                        "primary" => "area's outcome",
                        "also" => "also serves",
                        _ => "",
                    }
                    .into(),
                )
            }));
            rows.push(row);
        }
    }
    sheet(
        workbook.add_worksheet(),
        "Outcomes",
        &outcome_columns,
        &rows,
        &[],
    )?;
    workbook.save_to_buffer()
}

pub fn plan(plan: &PlanView) -> Result<Vec<u8>, XlsxError> {
    let totals = Totals {
        costs: &plan.all_costs_plain,
        available: &plan.totals.available_plain,
        allocated: &plan.totals.allocated_plain,
        unallocated: &plan.totals.unallocated_plain,
    };
    workbook(&[plan], false, totals)
}

pub fn rollup(plans: &[PlanView], index: &IndexView) -> Result<Vec<u8>, XlsxError> {
    let all: Vec<&PlanView> = plans.iter().collect();
    let totals = Totals {
        costs: &index.all_costs_plain,
        available: &index.totals.available_plain,
        allocated: &index.totals.allocated_plain,
        unallocated: &index.totals.unallocated_plain,
    };
    workbook(&all, true, totals)
}
