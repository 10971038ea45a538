//! What templates see: each plan and the roll-up as plain data, with money
//! already formatted. Figures come from `figures`; nothing here adds up.
//! The variables are documented in `templates/README.md`.

use serde::Serialize;

use crate::compile::CompiledPlan;
use crate::diagnostic::Diagnostic;
use crate::figures::{ActivityFigures, Availability, Cell, PlanFigures, Rollup, RollupTotals, Sum};
use crate::framework::Framework;
use crate::model::*;
use crate::money::{Money, format_gbp, format_plain};
use crate::resolve;
use crate::source::Span;

use super::chart;

mod index;

pub use index::*;

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub location: String,
    pub code: String,
    pub severity: String,
    pub message: String,
    /// Where it is, to show it beside the item it is about.
    #[serde(skip)]
    pub span: Span,
}

impl Problem {
    pub fn new(d: &Diagnostic, location: String) -> Problem {
        Problem {
            location,
            code: d.code.id().to_string(),
            severity: d.severity.as_str().to_string(),
            message: d.message.clone(),
            span: d.primary.span,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub errors: usize,
    /// Every problem of the plan, errors first.
    pub problems: Vec<Problem>,
    /// A live preview (`planc serve`) rather than a `--draft` build.
    pub preview: bool,
    /// Indices into `problems` by file and place.
    #[serde(skip)]
    by_place: Vec<usize>,
}

impl Draft {
    pub fn new(mut problems: Vec<Problem>, preview: bool) -> Draft {
        let rank = |p: &Problem| match p.severity.as_str() {
            "error" => 0,
            "warning" => 1,
            _ => 2,
        };
        problems.sort_by_key(rank);
        let mut by_place: Vec<usize> = (0..problems.len()).collect();
        by_place.sort_by_key(|&i| (problems[i].span.file.0, problems[i].span.start));
        Draft {
            errors: problems.iter().filter(|p| rank(p) == 0).count(),
            problems,
            preview,
            by_place,
        }
    }

    /// The problems within `extent`: shown beside the item they are about.
    fn within(&self, extent: Span) -> Vec<Problem> {
        let key = |p: &Problem| (p.span.file.0, p.span.start);
        let from = self
            .by_place
            .partition_point(|&i| key(&self.problems[i]) < (extent.file.0, extent.start));
        self.by_place[from..]
            .iter()
            .map(|&i| &self.problems[i])
            .take_while(|p| key(p) < (extent.file.0, extent.end))
            .cloned()
            .collect()
    }
}

/// One line that makes up a total: where it is written, so that an
/// auditor can check a figure without opening the plan files.
#[derive(Debug, Clone, Serialize)]
pub struct TraceLine {
    pub id: String,
    pub title: String,
    /// The amount this line adds, or that it cannot be read.
    pub amount: String,
    /// `file:line`.
    pub location: String,
}

/// Finds where figures came from: the activities a total is made of, and
/// the place of any span.
pub struct Tracer<'a> {
    pub activities: &'a [ActivityFigures],
    pub locate: &'a (dyn Fn(Span) -> String + Sync),
}

impl Tracer<'_> {
    pub fn lines(&self, sum: &Sum) -> Vec<TraceLine> {
        let mut lines: Vec<TraceLine> = sum
            .parts
            .iter()
            .map(|part| {
                let a = &self.activities[part.activity];
                TraceLine {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    amount: part
                        .amount
                        .map_or_else(|| "cannot be read".to_string(), format_gbp),
                    location: (self.locate)(a.span),
                }
            })
            .collect();
        if sum.lost > 0 {
            lines.push(TraceLine {
                id: String::new(),
                title: format!(
                    "{} item{} with money that could not be read",
                    sum.lost,
                    if sum.lost == 1 { "" } else { "s" }
                ),
                amount: "unknown".into(),
                location: String::new(),
            });
        }
        lines
    }
}

/// A total of costs that are all to be confirmed reads `TBC`, as plans
/// write it, not `£0`.
pub fn total_or_tbc(sum: &Sum, tbc: usize) -> String {
    if sum.parts.is_empty() && sum.lost == 0 && tbc > 0 {
        "TBC".into()
    } else {
        total_text(sum)
    }
}

/// A total as a person reads it: `£1,020`, or why it is unknown.
pub fn total_text(sum: &Sum) -> String {
    match sum.value() {
        Some(value) => format_gbp(value),
        None => unknown_text(sum.unreadable()),
    }
}

fn unknown_text(unreadable: usize) -> String {
    format!(
        "unknown ({unreadable} amount{} cannot be read)",
        if unreadable == 1 { "" } else { "s" }
    )
}

/// Money available as a person reads it: a total only when every source
/// states its amount.
pub fn availability_text(a: &Availability) -> String {
    if a.unreadable > 0 {
        return unknown_text(a.unreadable);
    }
    match a.known() {
        Some(value) => format_gbp(value),
        None if a.partial() => format!(
            "{} stated for {} of {} sources",
            format_gbp(a.stated),
            a.sources_stated,
            a.sources
        ),
        None => String::new(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Amounts {
    /// Empty when no source states an amount; partly stated availability
    /// says so (`£4,462.20 stated for 1 of 5 sources`).
    pub available: String,
    pub allocated: String,
    /// Empty unless every amount it depends on is known.
    pub unallocated: String,
    /// Plain decimals, for machine-readable outputs: the stated amounts,
    /// the known part of the allocation, the unallocated amount.
    pub available_plain: String,
    pub allocated_plain: String,
    pub unallocated_plain: String,
    /// Whether the allocation is known in full.
    pub allocated_known: bool,
    /// The lines that make up the allocation, and the available money.
    pub allocated_trace: Vec<TraceLine>,
    pub available_trace: Vec<TraceLine>,
}

fn opt(value: Option<Money>) -> String {
    value.map_or_else(String::new, format_gbp)
}

fn opt_plain(value: Option<Money>) -> String {
    value.map_or_else(String::new, format_plain)
}

/// A value the transcriber inferred: which field, and how.
#[derive(Debug, Clone, Serialize)]
pub struct InferredView {
    pub field: String,
    pub note: String,
}

fn inferred_views(inferred: &[Inferred]) -> Vec<InferredView> {
    inferred
        .iter()
        .map(|i| InferredView {
            field: i.field.value.clone(),
            note: i.note.clone(),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub id: String,
    pub name: String,
    pub note: Option<String>,
    pub restricted_to: Vec<String>,
    pub amounts: Amounts,
    pub inferred: Vec<InferredView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeView {
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    pub item: String,
    pub amount: String,
    pub amount_plain: String,
    /// Success criteria of this line (cost lines only).
    pub success_measures: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostView {
    /// `amount`, `tbc`, `not-applicable`, `see`, `in-kind`, `staff-time`,
    /// `other-fund`, or `none` when the plan gives no cost.
    pub kind: String,
    /// As a person reads it: `£1,020`, `TBC`, `see 2.1`, `met by NRF funding`.
    pub text: String,
    pub amount_plain: String,
    pub approx: bool,
    pub note: Option<String>,
    pub sources: Vec<String>,
    pub lines: Vec<LineView>,
    pub phasing: Vec<LineView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub date: String,
    /// `red`, `amber`, `green` or empty.
    pub rag: String,
    /// `Red`, `Amber`, `Green`: the status in words, never colour alone.
    pub rag_text: String,
    pub status: String,
    pub text: Option<String>,
    pub mitigation: Option<String>,
    pub completed: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub text: String,
    pub success_measures: Vec<String>,
    pub progress: Vec<StatusView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityView {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub outcomes: Vec<CodeView>,
    pub serves: Vec<String>,
    pub strand: Option<String>,
    pub success_measures: Vec<String>,
    pub cost: CostView,
    pub partners_lead: Vec<String>,
    pub partners_existing: Vec<String>,
    /// Partners of a plain list: no role is stated, none is shown.
    pub partners: Vec<String>,
    pub partners_to_approach: Vec<String>,
    pub lead: Option<String>,
    pub start: String,
    pub end: String,
    pub start_iso: String,
    pub end_iso: String,
    pub timescale: String,
    pub sustainability: Option<String>,
    pub national_indicators: Vec<String>,
    pub actions: Vec<ActionView>,
    pub status: Option<StatusView>,
    pub ecm_outcomes: Vec<String>,
    /// The id of the item several plans share, if any.
    pub shared: Option<String>,
    /// Fields the transcriber inferred, each with how.
    pub inferred: Vec<InferredView>,
    /// In a draft or a preview, the problems found in this activity.
    pub problems: Vec<Problem>,
}

impl ActivityView {
    /// Every partner's name, leads first.
    pub fn all_partners(&self) -> Vec<&str> {
        self.partners_lead
            .iter()
            .chain(&self.partners_existing)
            .chain(&self.partners)
            .chain(&self.partners_to_approach)
            .map(String::as_str)
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CrossReferenceView {
    pub activity: Option<String>,
    pub outcome: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FurtherActionView {
    pub need: Option<String>,
    pub outcomes: Vec<String>,
    pub plan: String,
    pub partners: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriorityView {
    pub id: String,
    pub title: String,
    pub outcome: Option<String>,
    pub total: String,
    pub total_trace: Vec<TraceLine>,
    pub tbc: usize,
    pub aims: Vec<String>,
    pub core_offer: Vec<String>,
    pub cross_references: Vec<CrossReferenceView>,
    pub needs_data: Vec<String>,
    pub needs_consultation: Vec<String>,
    pub needs_other: Vec<String>,
    pub baseline: Option<String>,
    pub measures: Option<String>,
    pub rationale: Option<String>,
    pub national_indicators: Vec<String>,
    pub activities: Vec<ActivityView>,
    pub further_actions: Vec<FurtherActionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub id: String,
    pub title: String,
    pub countywide: bool,
    pub total: String,
    pub total_trace: Vec<TraceLine>,
    pub tbc: usize,
    pub description: Option<String>,
    pub priorities: Vec<PriorityView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeTotal {
    pub number: u8,
    pub title: String,
    pub local: String,
    pub countywide: String,
    pub local_trace: Vec<TraceLine>,
    pub countywide_trace: Vec<TraceLine>,
    pub activities: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub id: String,
    pub title: String,
    /// Per outcome: `primary`, `also` or empty.
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoreOfferRow {
    pub priority: String,
    pub ticks: Vec<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub id: String,
    /// The plan's output file name without extension.
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub authority: Option<String>,
    pub fund_holder: Option<String>,
    pub period: String,
    pub status: String,
    pub version: Option<String>,
    /// Where the plan's files are in git: commit and date, or a note.
    pub revision: String,
    pub currency: String,
    pub review_interval: Option<String>,
    pub summary: Option<String>,
    pub monitoring: Option<String>,
    pub schools: Vec<String>,
    pub schools_to_join: Vec<String>,
    pub steering_group: Vec<String>,
    pub approval: Option<ApprovalView>,
    pub draft: Option<Draft>,
    /// Header fields the transcriber inferred, and how many values of the
    /// whole plan are inferred.
    pub inferred: Vec<InferredView>,
    pub inferred_count: usize,
    pub sources: Vec<SourceView>,
    /// The plan's own money that names no source; empty when none.
    pub unsourced: String,
    pub unsourced_plain: String,
    /// What money no source covers takes off the unallocated money, when
    /// the sources state what they hold: `-7000.00`; else empty.
    pub unsourced_unallocated_plain: String,
    pub unsourced_trace: Vec<TraceLine>,
    /// Money split between sources by shares that do not add up to the
    /// cost: known in total, not by source (empty when none).
    pub unattributed: String,
    pub unattributed_plain: String,
    pub unattributed_trace: Vec<TraceLine>,
    pub totals: Amounts,
    /// Countywide figures; empty when the plan has none.
    pub countywide: String,
    pub countywide_plain: String,
    pub countywide_known: bool,
    pub countywide_trace: Vec<TraceLine>,
    pub tbc: Vec<String>,
    pub sections: Vec<SectionView>,
    pub outcome_titles: Vec<String>,
    pub outcome_totals: Vec<OutcomeTotal>,
    /// Whether any activity is linked to an ECM outcome: when none is, the
    /// outputs say "outcomes not mapped" instead of a table of £0.
    pub outcomes_mapped: bool,
    /// The plan's own and countywide money linked to no outcome (empty
    /// when none), with its lines.
    pub unmapped: String,
    pub unmapped_countywide: String,
    pub unmapped_trace: Vec<TraceLine>,
    pub matrix: Vec<MatrixRow>,
    pub core_offer_titles: Vec<String>,
    pub core_offer: Vec<CoreOfferRow>,
    pub chart_outcomes: String,
    pub chart_sources: String,
    /// Each activity's id and shared id, in the order of the figures.
    #[serde(skip)]
    pub activity_ids: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApprovalView {
    pub body: String,
    pub date: String,
    pub note: Option<String>,
}

fn date_text(date: &Option<Located<crate::date::DateSpec>>) -> String {
    date.as_ref()
        .map_or_else(String::new, |d| d.value.display())
}

fn outcome_title(framework: &Framework, name: &str) -> String {
    framework
        .outcome(name)
        .map_or_else(|| name.to_string(), |o| o.title.clone())
}

fn status_view(p: &Progress) -> StatusView {
    let (rag, rag_text) = match p.rag {
        Some(Rag::Red) => ("red", "Red"),
        Some(Rag::Amber) => ("amber", "Amber"),
        Some(Rag::Green) => ("green", "Green"),
        None => ("", ""),
    };
    StatusView {
        date: p.date.value.display(),
        rag: rag.into(),
        rag_text: rag_text.into(),
        status: match p.status {
            Some(WorkStatus::NotStarted) => "Not started",
            Some(WorkStatus::InProgress) => "In progress",
            Some(WorkStatus::Complete) => "Complete",
            None => "",
        }
        .into(),
        text: p.text.clone(),
        mitigation: p.mitigation.clone(),
        completed: date_text(&p.completed),
    }
}

fn cost_view(plan: &Plan, section: &Section, priority: &Priority, cost: Option<&Cost>) -> CostView {
    let Some(cost) = cost else {
        return CostView {
            kind: "none".into(),
            text: String::new(),
            amount_plain: String::new(),
            approx: false,
            note: None,
            sources: Vec::new(),
            lines: Vec::new(),
            phasing: Vec::new(),
        };
    };
    let source_name = |id: &str| {
        plan.sources
            .iter()
            .find(|s| s.id.value == id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    let (kind, text, amount_plain) = match &cost.kind {
        CostKind::Amount(a) => (
            "amount",
            format!(
                "{}{}",
                if cost.approx { "about " } else { "" },
                format_gbp(a.value)
            ),
            format_plain(a.value),
        ),
        CostKind::Tbc => ("tbc", "TBC".to_string(), String::new()),
        CostKind::NotApplicable => ("not-applicable", "N/A".to_string(), String::new()),
        CostKind::NotStated(words) if words.is_empty() => {
            ("not-stated", "no cost stated".to_string(), String::new())
        }
        CostKind::NotStated(words) => (
            "not-stated",
            format!("no cost stated: {words}"),
            String::new(),
        ),
        CostKind::See(id) => ("see", format!("see {}", id.value), String::new()),
        CostKind::Unreadable => ("unreadable", "cannot be read".to_string(), String::new()),
        CostKind::Met { by, how } => (
            match how {
                MetBy::InKind => "in-kind",
                MetBy::StaffTime => "staff-time",
                MetBy::OtherFund => "other-fund",
            },
            format!("met by {by}"),
            String::new(),
        ),
    };
    let sources = if cost.shares.is_empty() {
        match &cost.kind {
            CostKind::Amount(_) => resolve::effective_source(plan, section, priority, cost)
                .map(|s| vec![source_name(&s.value)])
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    } else {
        cost.shares
            .iter()
            .map(|s| {
                format!(
                    "{} ({})",
                    source_name(&s.source.value),
                    format_gbp(s.amount.value)
                )
            })
            .collect()
    };
    let line = |item: String, amount: Money| LineView {
        item,
        amount: format_gbp(amount),
        amount_plain: format_plain(amount),
        success_measures: Vec::new(),
    };
    CostView {
        kind: kind.into(),
        text,
        amount_plain,
        approx: cost.approx,
        note: cost.note.clone(),
        sources,
        lines: cost
            .lines
            .iter()
            .map(|l| LineView {
                success_measures: l.success_measures.clone(),
                ..line(l.item.clone(), l.amount.value)
            })
            .collect(),
        phasing: cost
            .phasing
            .iter()
            .map(|p| line(p.year.value.display(), p.amount.value))
            .collect(),
    }
}

fn activity_view(
    plan: &Plan,
    section: &Section,
    priority: &Priority,
    activity: &Activity,
    framework: &Framework,
) -> ActivityView {
    let partner_names = |role: PartnerRole| -> Vec<String> {
        activity
            .partners
            .iter()
            .filter(|p| p.role == role)
            .map(|p| {
                plan.partners
                    .iter()
                    .find(|d| d.id.value == p.id.value)
                    .map_or_else(|| p.id.value.clone(), |d| d.name.clone())
            })
            .collect()
    };
    let timescale = activity.timescale.as_ref();
    let start = timescale.and_then(|t| t.start.as_ref());
    let end = timescale.and_then(|t| t.end.as_ref());
    let mut when = Vec::new();
    match (start, end) {
        (Some(s), Some(e)) => when.push(format!("{} to {}", s.value.display(), e.value.display())),
        (Some(s), None) => when.push(format!("from {}", s.value.display())),
        (None, Some(e)) => when.push(format!("by {}", e.value.display())),
        (None, None) => {}
    }
    if let Some(text) = timescale.and_then(|t| t.text.as_ref()) {
        when.push(text.clone());
    }
    let latest = activity
        .progress
        .iter()
        .chain(activity.actions.iter().flat_map(|a| &a.progress))
        .max_by_key(|p| p.date.value.last);
    let served = crate::figures::served_outcomes(activity, framework);
    ActivityView {
        id: activity.id.value.clone(),
        title: activity.title.clone(),
        description: activity.description.clone(),
        outcomes: activity
            .outcomes
            .iter()
            .map(|o| CodeView {
                code: o.code.value.clone(),
                title: framework
                    .judgement(&o.code.value)
                    .map(str::to_string)
                    .or_else(|| o.title.as_ref().map(|t| t.value.clone()))
                    .unwrap_or_default(),
            })
            .collect(),
        serves: activity
            .serves
            .iter()
            .map(|s| outcome_title(framework, &s.value))
            .collect(),
        strand: activity.strand.clone(),
        success_measures: activity.success_measures.clone(),
        cost: cost_view(plan, section, priority, activity.cost.as_ref()),
        partners_lead: partner_names(PartnerRole::Lead),
        partners_existing: partner_names(PartnerRole::Existing),
        partners: partner_names(PartnerRole::Unstated),
        partners_to_approach: partner_names(PartnerRole::ToApproach),
        lead: activity.lead.clone(),
        start: start.map_or_else(String::new, |d| d.value.display()),
        end: end.map_or_else(String::new, |d| d.value.display()),
        start_iso: start.map_or_else(String::new, |d| d.value.first.to_string()),
        end_iso: end.map_or_else(String::new, |d| d.value.last.to_string()),
        timescale: when.join("; "),
        sustainability: activity.sustainability.clone(),
        national_indicators: activity
            .national_indicators
            .iter()
            .map(|n| n.value.clone())
            .collect(),
        actions: activity
            .actions
            .iter()
            .map(|a| ActionView {
                text: a.text.clone(),
                success_measures: a.success_measures.clone(),
                progress: a.progress.iter().map(status_view).collect(),
            })
            .collect(),
        status: latest.map(status_view),
        shared: activity.shared.as_ref().map(|s| s.value.clone()),
        inferred: inferred_views(&activity.inferred),
        problems: Vec::new(),
        ecm_outcomes: served
            .iter()
            .filter_map(|n| framework.outcome_by_number(*n))
            .map(|o| o.title.clone())
            .collect(),
    }
}

pub fn plan_view(
    compiled: &CompiledPlan,
    framework: &Framework,
    locate: &(dyn Fn(Span) -> String + Sync),
    slug: String,
    revision: String,
    draft: Option<Draft>,
) -> PlanView {
    let plan = &compiled.plan;
    let figures: &PlanFigures = &compiled.figures;
    let tracer = Tracer {
        activities: &figures.activities,
        locate,
    };
    // Where each activity lies, to place its problems beside it.
    let extents: std::collections::HashMap<(u32, u32), Span> = match &draft {
        Some(_) => crate::resolve::activities(plan)
            .map(|(_, _, a)| (a.span.file.0, a.span.start))
            .zip(plan.extents().activities)
            .collect(),
        None => std::collections::HashMap::new(),
    };
    let extent_of = |span: Span| extents.get(&(span.file.0, span.start)).copied();
    let mut sections = Vec::new();
    for (section, section_figures) in plan.sections.iter().zip(&figures.sections) {
        let priorities = section
            .priorities
            .iter()
            .zip(&section_figures.priorities)
            .map(|(priority, pf)| PriorityView {
                id: priority.id.value.clone(),
                title: priority.title.clone(),
                outcome: pf
                    .outcome
                    .and_then(|n| framework.outcome_by_number(n))
                    .map(|o| o.title.clone()),
                total: total_or_tbc(&pf.total, pf.tbc),
                total_trace: tracer.lines(&pf.total),
                tbc: pf.tbc,
                aims: priority
                    .aims
                    .iter()
                    .map(|a| {
                        framework
                            .outcomes
                            .iter()
                            .flat_map(|o| &o.aims)
                            .find(|x| x.key == a.value)
                            .map_or_else(|| a.value.clone(), |x| x.title.clone())
                    })
                    .collect(),
                core_offer: priority
                    .core_offer
                    .iter()
                    .map(|c| c.value.title().to_string())
                    .collect(),
                cross_references: priority
                    .cross_references
                    .iter()
                    .map(|c| CrossReferenceView {
                        activity: c.activity.as_ref().map(|a| a.value.clone()),
                        outcome: outcome_title(framework, &c.outcome.value),
                        note: c.note.clone(),
                    })
                    .collect(),
                needs_data: priority.needs.data.clone(),
                needs_consultation: priority.needs.consultation.clone(),
                needs_other: priority.needs.other.clone(),
                baseline: priority.baseline.clone(),
                measures: priority.measures.clone(),
                rationale: priority.rationale.clone(),
                national_indicators: priority
                    .national_indicators
                    .iter()
                    .map(|n| n.value.clone())
                    .collect(),
                activities: priority
                    .activities
                    .iter()
                    .map(|a| {
                        let mut view = activity_view(plan, section, priority, a, framework);
                        if let (Some(draft), Some(extent)) = (&draft, extent_of(a.span)) {
                            view.problems = draft.within(extent);
                        }
                        view
                    })
                    .collect(),
                further_actions: priority
                    .further_actions
                    .iter()
                    .map(|f| FurtherActionView {
                        need: f.need.clone(),
                        outcomes: f
                            .outcomes
                            .iter()
                            .map(|o| outcome_title(framework, &o.value))
                            .collect(),
                        plan: f.plan.clone(),
                        partners: f.partners.clone(),
                    })
                    .collect(),
            })
            .collect();
        sections.push(SectionView {
            id: section.id.value.clone(),
            title: section.title.clone(),
            countywide: section.scope == Scope::Countywide,
            total: total_or_tbc(&section_figures.total, section_figures.tbc),
            total_trace: tracer.lines(&section_figures.total),
            tbc: section_figures.tbc,
            description: section.description.clone(),
            priorities,
        });
    }
    let all_priorities: Vec<&Priority> = plan.sections.iter().flat_map(|s| &s.priorities).collect();
    let core_offer = if all_priorities.iter().any(|p| !p.core_offer.is_empty()) {
        all_priorities
            .iter()
            .map(|p| CoreOfferRow {
                priority: p.title.clone(),
                ticks: CoreOffer::ALL
                    .iter()
                    .map(|e| p.core_offer.iter().any(|c| c.value == *e))
                    .collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    PlanView {
        id: plan.id.value.clone(),
        slug,
        name: plan.name.clone(),
        kind: match plan.kind {
            PlanKind::Cluster => "Cluster",
            PlanKind::County => "County",
        }
        .into(),
        authority: plan.authority.clone(),
        fund_holder: plan.fund_holder.clone(),
        period: plan.period.as_ref().map_or_else(String::new, |p| {
            format!("{} to {}", p.start.value.display(), p.end.value.display())
        }),
        status: match plan.status {
            Some(PlanStatus::Draft) => "Draft",
            Some(PlanStatus::Submitted) => "Submitted",
            Some(PlanStatus::Approved) => "Approved",
            Some(PlanStatus::Closed) => "Closed",
            None => "",
        }
        .into(),
        version: plan.version.clone(),
        revision,
        currency: plan.currency.clone().unwrap_or_else(|| "GBP".into()),
        review_interval: plan.review_interval.map(|r| {
            match r {
                ReviewInterval::Monthly => "monthly",
                ReviewInterval::Quarterly => "quarterly",
                ReviewInterval::Termly => "termly",
                ReviewInterval::SixMonthly => "six-monthly",
                ReviewInterval::Yearly => "yearly",
            }
            .to_string()
        }),
        summary: plan.summary.clone(),
        monitoring: plan.monitoring.clone(),
        schools: plan.schools.clone(),
        schools_to_join: plan.schools_to_join.clone(),
        steering_group: plan.steering_group.clone(),
        approval: plan.approval.as_ref().map(|a| ApprovalView {
            body: a.body.clone(),
            date: date_text(&a.date),
            note: a.note.clone(),
        }),
        draft,
        inferred: inferred_views(&plan.inferred),
        inferred_count: crate::figures::inferred_count(plan),
        sources: figures
            .sources
            .iter()
            .zip(&plan.sources)
            .map(|(f, s)| SourceView {
                id: f.id.clone(),
                name: f.name.clone(),
                note: s.note.clone(),
                restricted_to: s.restricted_to.iter().map(|r| r.value.clone()).collect(),
                inferred: inferred_views(&s.inferred),
                amounts: Amounts {
                    available: if f.unreadable {
                        unknown_text(1)
                    } else {
                        opt(f.available)
                    },
                    allocated: total_text(&f.allocated),
                    unallocated: opt(f.unallocated),
                    available_plain: opt_plain(f.available),
                    allocated_plain: format_plain(f.allocated.known()),
                    unallocated_plain: opt_plain(f.unallocated),
                    allocated_known: f.allocated.value().is_some(),
                    allocated_trace: tracer.lines(&f.allocated),
                    available_trace: Vec::new(),
                },
            })
            .collect(),
        unsourced: if figures.unsourced.parts.is_empty()
            || figures.unsourced.value() == Some(Money::ZERO)
        {
            String::new()
        } else {
            total_text(&figures.unsourced)
        },
        unsourced_plain: format_plain(figures.unsourced.known()),
        unsourced_unallocated_plain: if figures.availability.sources_stated > 0 {
            format_plain(-figures.unsourced.known())
        } else {
            String::new()
        },
        unsourced_trace: tracer.lines(&figures.unsourced),
        unattributed: if figures.unattributed.parts.is_empty() {
            String::new()
        } else {
            total_text(&figures.unattributed)
        },
        unattributed_plain: format_plain(figures.unattributed.known()),
        unattributed_trace: tracer.lines(&figures.unattributed),
        totals: Amounts {
            available: availability_text(&figures.availability),
            allocated: total_text(&figures.allocated),
            unallocated: opt(figures.unallocated),
            // A total only when every source states its amount.
            available_plain: opt_plain(
                figures
                    .available()
                    .filter(|_| figures.availability.unreadable == 0),
            ),
            allocated_plain: format_plain(figures.allocated.known()),
            unallocated_plain: opt_plain(figures.unallocated),
            allocated_known: figures.allocated.value().is_some(),
            allocated_trace: tracer.lines(&figures.allocated),
            available_trace: plan
                .sources
                .iter()
                .zip(&figures.sources)
                .map(|(s, f)| TraceLine {
                    id: f.id.clone(),
                    title: f.name.clone(),
                    amount: if f.unreadable {
                        "cannot be read".into()
                    } else {
                        f.available.map_or_else(|| "not stated".into(), format_gbp)
                    },
                    location: locate(s.amount.as_ref().map_or(s.id.span, |a| a.span)),
                })
                .collect(),
        },
        countywide: if figures.countywide.parts.is_empty() && figures.countywide.lost == 0 {
            String::new()
        } else {
            total_text(&figures.countywide)
        },
        countywide_plain: format_plain(figures.countywide.known()),
        countywide_known: figures.countywide.value().is_some(),
        countywide_trace: tracer.lines(&figures.countywide),
        tbc: figures.tbc_ids().iter().map(|s| s.to_string()).collect(),
        sections,
        outcome_titles: figures.outcomes.iter().map(|o| o.title.clone()).collect(),
        outcome_totals: figures
            .outcomes
            .iter()
            .map(|o| OutcomeTotal {
                number: o.number,
                title: o.title.clone(),
                local: total_text(&o.local),
                countywide: total_text(&o.countywide),
                local_trace: tracer.lines(&o.local),
                countywide_trace: tracer.lines(&o.countywide),
                activities: o.activities,
            })
            .collect(),
        outcomes_mapped: figures.mapped > 0,
        unmapped: if figures.unmapped.parts.is_empty() {
            String::new()
        } else {
            total_text(&figures.unmapped)
        },
        unmapped_countywide: if figures.unmapped_countywide.parts.is_empty() {
            String::new()
        } else {
            total_text(&figures.unmapped_countywide)
        },
        unmapped_trace: tracer.lines(&figures.unmapped),
        matrix: figures
            .activities
            .iter()
            .map(|a| MatrixRow {
                id: a.id.clone(),
                title: a.title.clone(),
                cells: a
                    .cells
                    .iter()
                    .map(|c| {
                        match c {
                            Cell::Primary => "primary",
                            Cell::Also => "also",
                            Cell::None => "",
                        }
                        .to_string()
                    })
                    .collect(),
            })
            .collect(),
        core_offer_titles: CoreOffer::ALL
            .iter()
            .map(|c| c.title().to_string())
            .collect(),
        core_offer,
        chart_outcomes: chart::outcomes(
            &figures
                .outcomes
                .iter()
                .map(|o| (o.title.as_str(), o.local.value()))
                .collect::<Vec<_>>(),
        ),
        activity_ids: figures
            .activities
            .iter()
            .map(|a| (a.id.clone(), a.shared.clone()))
            .collect(),
        chart_sources: chart::sources(
            &figures
                .sources
                .iter()
                .map(|s| (s.name.as_str(), s.available, s.allocated.value()))
                .collect::<Vec<_>>(),
        ),
    }
}
