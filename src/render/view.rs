//! What templates see: each plan and the roll-up as plain data, with money
//! already formatted. Figures come from `figures`; nothing here adds up.
//! The variables are documented in `templates/README.md`.

use serde::Serialize;

use crate::compile::CompiledPlan;
use crate::diagnostic::{Diagnostic, Severity};
use crate::figures::{Cell, PlanFigures, Rollup};
use crate::framework::Framework;
use crate::model::*;
use crate::money::{Money, format_gbp, format_plain};
use crate::resolve;

use super::chart;

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub location: String,
    pub code: String,
    pub severity: String,
    pub message: String,
}

impl Problem {
    pub fn new(d: &Diagnostic, location: String) -> Problem {
        Problem {
            location,
            code: d.code.id().to_string(),
            severity: d.severity.as_str().to_string(),
            message: d.message.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub errors: usize,
    pub problems: Vec<Problem>,
}

impl Draft {
    pub fn new(problems: Vec<Problem>) -> Draft {
        Draft {
            errors: problems
                .iter()
                .filter(|p| p.severity == Severity::Error.as_str())
                .count(),
            problems,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Amounts {
    pub available: String,
    pub allocated: String,
    pub unallocated: String,
    /// Plain decimals, for machine-readable outputs.
    pub available_plain: String,
    pub allocated_plain: String,
    pub unallocated_plain: String,
}

fn opt(value: Option<Money>) -> String {
    value.map_or_else(String::new, format_gbp)
}

fn opt_plain(value: Option<Money>) -> String {
    value.map_or_else(String::new, format_plain)
}

fn amounts(available: Option<Money>, allocated: Money, unallocated: Option<Money>) -> Amounts {
    Amounts {
        available: opt(available),
        allocated: format_gbp(allocated),
        unallocated: opt(unallocated),
        available_plain: opt_plain(available),
        allocated_plain: format_plain(allocated),
        unallocated_plain: opt_plain(unallocated),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub id: String,
    pub name: String,
    pub note: Option<String>,
    pub restricted_to: Vec<String>,
    pub amounts: Amounts,
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
}

impl ActivityView {
    /// Every partner's name, leads first.
    pub fn all_partners(&self) -> Vec<&str> {
        self.partners_lead
            .iter()
            .chain(&self.partners_existing)
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
    pub sources: Vec<SourceView>,
    pub unsourced: String,
    pub totals: Amounts,
    pub countywide: String,
    /// Every activity cost, the plan's own and countywide, as a plain decimal.
    pub all_costs_plain: String,
    pub tbc: Vec<String>,
    pub sections: Vec<SectionView>,
    pub outcome_titles: Vec<String>,
    pub outcome_totals: Vec<OutcomeTotal>,
    pub matrix: Vec<MatrixRow>,
    pub core_offer_titles: Vec<String>,
    pub core_offer: Vec<CoreOfferRow>,
    pub chart_outcomes: String,
    pub chart_sources: String,
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
        CostKind::See(id) => ("see", format!("see {}", id.value), String::new()),
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
            .map(|l| line(l.item.clone(), l.amount.value))
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
                progress: a.progress.iter().map(status_view).collect(),
            })
            .collect(),
        status: latest.map(status_view),
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
    slug: String,
    revision: String,
    draft: Option<Draft>,
) -> PlanView {
    let plan = &compiled.plan;
    let figures: &PlanFigures = &compiled.figures;
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
                total: format_gbp(pf.total),
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
                    .map(|a| activity_view(plan, section, priority, a, framework))
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
            total: format_gbp(section_figures.total),
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
        sources: figures
            .sources
            .iter()
            .zip(&plan.sources)
            .map(|(f, s)| SourceView {
                id: f.id.clone(),
                name: f.name.clone(),
                note: s.note.clone(),
                restricted_to: s.restricted_to.iter().map(|r| r.value.clone()).collect(),
                amounts: amounts(f.available, f.allocated, f.unallocated),
            })
            .collect(),
        unsourced: if figures.unsourced.is_zero() {
            String::new()
        } else {
            format_gbp(figures.unsourced)
        },
        totals: amounts(figures.available, figures.allocated, figures.unallocated),
        countywide: if figures.countywide.is_zero() {
            String::new()
        } else {
            format_gbp(figures.countywide)
        },
        all_costs_plain: format_plain(figures.all_costs),
        tbc: figures.tbc_ids().iter().map(|s| s.to_string()).collect(),
        sections,
        outcome_titles: figures.outcomes.iter().map(|o| o.title.clone()).collect(),
        outcome_totals: figures
            .outcomes
            .iter()
            .map(|o| OutcomeTotal {
                number: o.number,
                title: o.title.clone(),
                local: format_gbp(o.local),
                countywide: format_gbp(o.countywide),
                activities: o.activities,
            })
            .collect(),
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
        chart_outcomes: chart::outcomes(&figures.outcomes),
        chart_sources: chart::sources(&figures.sources),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexPlan {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub authority: Option<String>,
    pub period: String,
    pub status: String,
    pub totals: Amounts,
    pub countywide: String,
    pub tbc: usize,
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RollupSourceView {
    pub name: String,
    pub plans: usize,
    pub available: String,
    pub allocated: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountywideView {
    pub title: String,
    pub amount: String,
    pub plans: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexView {
    pub plans: Vec<IndexPlan>,
    /// All plans' sources added up.
    pub totals: Amounts,
    /// Every activity cost of every plan, as a plain decimal.
    pub all_costs_plain: String,
    pub allocated: String,
    pub countywide: String,
    pub tbc: usize,
    pub outcomes: Vec<OutcomeTotal>,
    pub sources: Vec<RollupSourceView>,
    pub countywide_items: Vec<CountywideView>,
    pub chart_outcomes: String,
}

pub fn index_view(plans: &[PlanView], rollup: &Rollup) -> IndexView {
    IndexView {
        plans: plans
            .iter()
            .map(|p| IndexPlan {
                slug: p.slug.clone(),
                name: p.name.clone(),
                kind: p.kind.clone(),
                authority: p.authority.clone(),
                period: p.period.clone(),
                status: p.status.clone(),
                totals: p.totals.clone(),
                countywide: p.countywide.clone(),
                tbc: p.tbc.len(),
                draft: p.draft.is_some(),
            })
            .collect(),
        totals: amounts(rollup.available, rollup.allocated, rollup.unallocated),
        all_costs_plain: format_plain(rollup.all_costs),
        allocated: format_gbp(rollup.allocated),
        countywide: format_gbp(rollup.countywide),
        tbc: rollup.tbc,
        outcomes: rollup
            .outcomes
            .iter()
            .map(|o| OutcomeTotal {
                number: o.number,
                title: o.title.clone(),
                local: format_gbp(o.local),
                countywide: String::new(),
                activities: o.activities,
            })
            .collect(),
        sources: rollup
            .sources
            .iter()
            .map(|s| RollupSourceView {
                name: s.name.clone(),
                plans: s.plans,
                available: opt(s.available),
                allocated: format_gbp(s.allocated),
            })
            .collect(),
        countywide_items: rollup
            .countywide_items
            .iter()
            .map(|i| CountywideView {
                title: i.title.clone(),
                amount: opt(i.amount),
                plans: i.plans.clone(),
            })
            .collect(),
        chart_outcomes: chart::outcomes(&rollup.outcomes),
    }
}
