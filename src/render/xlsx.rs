//! Excel workbooks for finance: one per plan and one for the roll-up, with
//! sheets for activities, funding and outcomes, money as numbers in a £
//! format, totals as live SUM formulas, frozen headers, filters and fitted
//! columns. Amounts become binary floating point only here, because that is
//! how a spreadsheet cell holds a number.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError,
};

use super::inline::plain;
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
/// recalculate on opening (LibreOffice, by default) show, and they equal
/// what the formulas give, because every row a total covers is on the
/// sheet. A column whose figure is `None` gets no formula.
fn sheet(
    worksheet: &mut Worksheet,
    name: &str,
    columns: &[Column],
    rows: &[Vec<Cell>],
    total_label: &str,
    totals: &[Option<&str>],
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
        worksheet.write_string_with_format(total_row, 0, total_label, &bold)?;
        widths[0] = widths[0].max(total_label.chars().count());
        let money_columns = columns.iter().enumerate().filter(|(_, c)| c.money);
        for (i, (c, _)) in money_columns.enumerate() {
            let Some(Some(figure)) = totals.get(i) else {
                continue;
            };
            let letter = rust_xlsxwriter::utility::column_number_to_name(c as u16);
            let formula =
                Formula::new(format!("=SUM({letter}2:{letter}{})", last + 1)).set_result(*figure);
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

/// A plan, and for a roll-up, the activities of it that are shared items
/// counted under an earlier plan (by id, with that plan).
struct Member<'a> {
    plan: &'a PlanView,
    repeats: Vec<(&'a str, &'a str)>,
}

fn activity_rows(members: &[Member], with_plan: bool) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for member in members {
        let plan = member.plan;
        for section in &plan.sections {
            for priority in &section.priorities {
                for a in &priority.activities {
                    let counted_in = member
                        .repeats
                        .iter()
                        .find(|(id, _)| *id == a.id)
                        .map(|(_, plan)| *plan);
                    let mut row = Vec::new();
                    if with_plan {
                        row.push(Cell::Text(plan.id.clone()));
                    }
                    let partners = a.all_partners();
                    let counted = if counted_in.is_some() {
                        ""
                    } else {
                        a.cost.amount_plain.as_str()
                    };
                    let (own, countywide) = if section.countywide {
                        ("", counted)
                    } else {
                        (counted, "")
                    };
                    row.extend([
                        Cell::Text(plain(&section.title)),
                        Cell::Text(
                            if section.countywide {
                                "countywide"
                            } else {
                                "local"
                            }
                            .into(),
                        ),
                        Cell::Text(plain(&priority.title)),
                        Cell::Text(a.id.clone()),
                        Cell::Text(plain(&a.title)),
                        Cell::Text(
                            a.outcomes
                                .iter()
                                .map(|o| o.code.as_str())
                                .collect::<Vec<_>>()
                                .join("; "),
                        ),
                        money(own),
                        money(countywide),
                        Cell::Text(a.cost.text.clone()),
                        Cell::Text(a.shared.clone().unwrap_or_default()),
                        Cell::Text(
                            counted_in.map_or_else(String::new, |p| format!("counted under {p}")),
                        ),
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
const ACTIVITY_COLUMNS: [(&str, bool); 16] = [
    ("Section", false),
    ("Scope", false),
    ("Priority", false),
    ("Id", false),
    ("Title", false),
    ("Outcome codes", false),
    ("Own cost", true),
    ("Countywide cost", true),
    ("Cost as written", false),
    ("Shared item", false),
    ("Counted", false),
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

/// Every source of every plan, the money naming no source, and for a
/// roll-up the shared items not counted again: every row the totals cover.
fn funding_rows(members: &[Member], with_plan: bool) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for member in members {
        let plan = member.plan;
        let mut push = |cells: [Cell; 4]| {
            let mut row = Vec::new();
            if with_plan {
                row.push(Cell::Text(plan.id.clone()));
            }
            row.extend(cells);
            rows.push(row);
        };
        for source in &plan.sources {
            // A row whose allocation is only partly known says so.
            let name = if source.amounts.allocated_known {
                source.name.clone()
            } else {
                format!("{} (allocated: {})", source.name, source.amounts.allocated)
            };
            push([
                Cell::Text(name),
                money(&source.amounts.available_plain),
                money(&source.amounts.allocated_plain),
                money(&source.amounts.unallocated_plain),
            ]);
        }
        // Money no source covers comes off what is unallocated.
        if !plan.unsourced.is_empty() {
            push([
                Cell::Text("No source named".into()),
                Cell::Money(None),
                money(&plan.unsourced_plain),
                money(&plan.unsourced_unallocated_plain),
            ]);
        }
        if !plan.unattributed.is_empty() {
            push([
                Cell::Text("Split between sources unknown".into()),
                Cell::Money(None),
                money(&plan.unattributed_plain),
                Cell::Money(None),
            ]);
        }
    }
    rows
}

/// planc's totals for a workbook's money columns: the activities' own and
/// countywide costs, and the sources' available, allocated and unallocated.
struct Totals<'a> {
    own: &'a str,
    own_known: bool,
    countywide: &'a str,
    countywide_known: bool,
    available: &'a str,
    unallocated: &'a str,
}

fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// "Total", or what keeps it from being the whole figure.
fn total_label(known: bool) -> &'static str {
    if known {
        "Total"
    } else {
        "Total of the amounts that can be read"
    }
}

fn prefixed(columns: &[(&str, bool)], with_plan: bool) -> Vec<Column> {
    let mut all = Vec::new();
    if with_plan {
        all.push(col("Plan", false));
    }
    all.extend(columns.iter().map(|(title, money)| col(title, *money)));
    all
}

fn money_sheets(
    workbook: &mut Workbook,
    prefix: &str,
    members: &[Member],
    with_plan: bool,
    totals: &Totals,
) -> Result<(), XlsxError> {
    sheet(
        workbook.add_worksheet(),
        &format!("{prefix}Activities"),
        &prefixed(&ACTIVITY_COLUMNS, with_plan),
        &activity_rows(members, with_plan),
        total_label(totals.own_known && totals.countywide_known),
        &[Some(totals.own), Some(totals.countywide)],
    )?;
    sheet(
        workbook.add_worksheet(),
        &format!("{prefix}Funding"),
        &prefixed(&FUNDING_COLUMNS, with_plan),
        &funding_rows(members, with_plan),
        total_label(totals.own_known),
        &[
            non_empty(totals.available),
            Some(totals.own),
            non_empty(totals.unallocated),
        ],
    )
}

fn outcome_sheet(
    workbook: &mut Workbook,
    plans: &[&PlanView],
    with_plan: bool,
) -> Result<(), XlsxError> {
    let titles = plans
        .first()
        .map(|p| p.outcome_titles.clone())
        .unwrap_or_default();
    let mut outcome_columns = prefixed(&[("Activity", false), ("Title", false)], with_plan);
    outcome_columns.extend(titles.iter().map(|t| col(t, false)));
    let mut rows = Vec::new();
    for plan in plans {
        for m in &plan.matrix {
            let mut row = Vec::new();
            if with_plan {
                row.push(Cell::Text(plan.id.clone()));
            }
            row.push(Cell::Text(m.id.clone()));
            row.push(Cell::Text(plain(&m.title)));
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
        "Total",
        &[],
    )
}

fn new_workbook(title: &str) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    // A fixed creation date, so that the same plans give the same bytes.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title(title),
    );
    Ok(workbook)
}

/// For a plan rendered with errors (`--draft`), a first sheet that says
/// so and lists the problems: the figures after it are not validated.
fn draft_sheet(workbook: &mut Workbook, plan: &PlanView) -> Result<(), XlsxError> {
    let Some(draft) = &plan.draft else {
        return Ok(());
    };
    let rows: Vec<Vec<Cell>> = draft
        .problems
        .iter()
        .map(|p| {
            vec![
                Cell::Text(p.location.clone()),
                Cell::Text(p.severity.clone()),
                Cell::Text(p.code.clone()),
                Cell::Text(p.message.clone()),
            ]
        })
        .collect();
    sheet(
        workbook.add_worksheet(),
        "DRAFT",
        &[
            col("Where (DRAFT: figures not validated)", false),
            col("Severity", false),
            col("Code", false),
            col("Problem", false),
        ],
        &rows,
        "Total",
        &[],
    )
}

pub fn plan(plan: &PlanView) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = new_workbook(&format!("{} – action plan", plan.name))?;
    draft_sheet(&mut workbook, plan)?;
    let totals = Totals {
        own: &plan.totals.allocated_plain,
        own_known: plan.totals.allocated_known,
        countywide: &plan.countywide_plain,
        countywide_known: plan.countywide_known,
        available: &plan.totals.available_plain,
        unallocated: &plan.totals.unallocated_plain,
    };
    let member = Member {
        plan,
        repeats: Vec::new(),
    };
    money_sheets(&mut workbook, "", &[member], false, &totals)?;
    outcome_sheet(&mut workbook, &[plan], false)?;
    workbook.save_to_buffer()
}

/// The roll-up: for each kind of plan its own activities and funding
/// sheets, whose totals are the roll-up's (shared items counted once), and
/// the outcome matrix of every plan.
pub fn rollup(plans: &[PlanView], index: &IndexView) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = new_workbook("Action plans – county roll-up")?;
    // Plans that could not be read, or have errors: the figures after this
    // sheet are not validated.
    let mut problems: Vec<Vec<Cell>> = index
        .unreadable
        .iter()
        .map(|path| {
            vec![
                Cell::Text(path.clone()),
                Cell::Text("could not be read: every roll-up total is unknown".into()),
            ]
        })
        .collect();
    problems.extend(plans.iter().filter_map(|p| {
        let draft = p.draft.as_ref()?;
        Some(vec![
            Cell::Text(p.id.clone()),
            Cell::Text(format!(
                "{} error{}: figures not validated",
                draft.errors,
                if draft.errors == 1 { "" } else { "s" }
            )),
        ])
    }));
    if !problems.is_empty() {
        sheet(
            workbook.add_worksheet(),
            "DRAFT",
            &[col("Plan (DRAFT)", false), col("Problem", false)],
            &problems,
            "Total",
            &[],
        )?;
    }
    let by_slug: std::collections::HashMap<&str, &PlanView> =
        plans.iter().map(|p| (p.slug.as_str(), p)).collect();
    for group in &index.groups {
        let members: Vec<Member> = group
            .plans
            .iter()
            .filter_map(|ip| {
                let plan = by_slug.get(ip.slug.as_str())?;
                Some(Member {
                    plan,
                    repeats: ip
                        .repeats
                        .iter()
                        .map(|r| (r.activity.as_str(), r.counted_in.as_str()))
                        .collect(),
                })
            })
            .collect();
        let t = &group.totals;
        let totals = Totals {
            own: &t.allocated_plain,
            own_known: t.allocated_known,
            countywide: &t.countywide_plain,
            countywide_known: t.countywide_known,
            available: &t.available_plain,
            unallocated: &t.unallocated_plain,
        };
        let prefix = match group.kind.as_str() {
            "county" => "County ",
            _ => "Cluster ",
        };
        money_sheets(&mut workbook, prefix, &members, true, &totals)?;
    }
    let all: Vec<&PlanView> = plans.iter().collect();
    outcome_sheet(&mut workbook, &all, true)?;
    workbook.save_to_buffer()
}
