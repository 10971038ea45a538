//! The one place that computes every figure: funds per source, totals per
//! section, priority and ECM outcome, TBC costs and the outcome matrix.
//! Checks and reports read these; nothing else adds money up.

use std::collections::BTreeSet;

use crate::framework::Framework;
use crate::model::{CostKind, Plan, Scope};
use crate::money::Money;
use crate::resolve::{self, Index};
use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct SourceFigures {
    pub id: String,
    pub name: String,
    pub available: Option<Money>,
    pub allocated: Money,
    /// Available less allocated, when the source states its amount.
    pub unallocated: Option<Money>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PriorityFigures {
    pub id: String,
    pub title: String,
    pub outcome: Option<u8>,
    pub total: Money,
    pub tbc: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionFigures {
    pub id: String,
    pub title: String,
    pub scope: Scope,
    pub total: Money,
    pub tbc: usize,
    pub priorities: Vec<PriorityFigures>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeFigures {
    pub number: u8,
    pub title: String,
    /// The plan's own money spent in priorities under this outcome.
    pub local: Money,
    pub countywide: Money,
    /// Activities serving the outcome, as their area's or through a
    /// cross-reference.
    pub activities: usize,
}

/// How an activity relates to one ECM outcome in the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    None,
    /// The outcome of the activity's priority area.
    Primary,
    /// Another outcome the activity serves.
    Also,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFigures {
    pub id: String,
    pub title: String,
    pub section: String,
    pub priority: String,
    pub scope: Scope,
    /// The amount, for costs that are amounts.
    pub amount: Option<Money>,
    /// What each source pays, in order.
    pub shares: Vec<(String, Money)>,
    pub tbc: bool,
    /// Outcome numbers 1-5 and how the activity serves each.
    pub cells: Vec<Cell>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanFigures {
    pub sources: Vec<SourceFigures>,
    /// The plan's own costs that name no source.
    pub unsourced: Money,
    /// The plan's own money allocated: every local amount.
    pub allocated: Money,
    /// Countywide figures, kept out of `allocated`.
    pub countywide: Money,
    /// Every amount in the plan, its own and countywide: the sum of its
    /// activities' costs.
    pub all_costs: Money,
    /// Sum of the sources' stated amounts, if any states one.
    pub available: Option<Money>,
    /// Sum of the sources' unallocated amounts, where they state one.
    pub unallocated: Option<Money>,
    pub sections: Vec<SectionFigures>,
    pub outcomes: Vec<OutcomeFigures>,
    pub activities: Vec<ActivityFigures>,
}

impl PlanFigures {
    pub fn tbc_ids(&self) -> Vec<&str> {
        self.activities
            .iter()
            .filter(|a| a.tbc)
            .map(|a| a.id.as_str())
            .collect()
    }
}

/// The ECM outcome numbers an activity serves, from its judgement codes and
/// its `serves` list.
pub fn served_outcomes(activity: &crate::model::Activity, framework: &Framework) -> BTreeSet<u8> {
    let from_codes = activity
        .outcomes
        .iter()
        .filter_map(|o| framework.judgement_outcome(&o.code.value))
        .map(|o| o.number);
    let from_serves = activity
        .serves
        .iter()
        .filter_map(|name| framework.outcome(&name.value))
        .map(|o| o.number);
    from_codes.chain(from_serves).collect()
}

/// The sum of the amounts that are stated, or `None` when none is.
fn sum_known(values: Vec<Option<Money>>) -> Option<Money> {
    let known: Vec<Money> = values.into_iter().flatten().collect();
    (!known.is_empty()).then(|| known.into_iter().sum())
}

pub fn compute(plan: &Plan, index: &Index, framework: &Framework) -> PlanFigures {
    let mut sources: Vec<SourceFigures> = plan
        .sources
        .iter()
        .map(|s| SourceFigures {
            id: s.id.value.clone(),
            name: s.name.clone(),
            available: s.amount.as_ref().map(|a| a.value),
            allocated: Money::ZERO,
            unallocated: None,
            span: s.id.span,
        })
        .collect();
    let mut unsourced = Money::ZERO;
    let mut outcomes: Vec<OutcomeFigures> = framework
        .outcomes
        .iter()
        .map(|o| OutcomeFigures {
            number: o.number,
            title: o.title.clone(),
            local: Money::ZERO,
            countywide: Money::ZERO,
            activities: 0,
        })
        .collect();
    let mut sections = Vec::new();
    let mut activities = Vec::new();

    for section in &plan.sections {
        let mut section_figures = SectionFigures {
            id: section.id.value.clone(),
            title: section.title.clone(),
            scope: section.scope,
            total: Money::ZERO,
            tbc: 0,
            priorities: Vec::new(),
        };
        for priority in &section.priorities {
            let area_outcome = priority
                .outcome
                .as_ref()
                .or(section.outcome.as_ref())
                .and_then(|o| framework.outcome(&o.value))
                .map(|o| o.number);
            let mut priority_figures = PriorityFigures {
                id: priority.id.value.clone(),
                title: priority.title.clone(),
                outcome: area_outcome,
                total: Money::ZERO,
                tbc: 0,
            };
            for activity in &priority.activities {
                let mut figures = ActivityFigures {
                    id: activity.id.value.clone(),
                    title: activity.title.clone(),
                    section: section.id.value.clone(),
                    priority: priority.id.value.clone(),
                    scope: section.scope,
                    amount: None,
                    shares: Vec::new(),
                    tbc: false,
                    cells: Vec::new(),
                    span: activity.id.span,
                };
                if let Some(cost) = &activity.cost {
                    match &cost.kind {
                        CostKind::Amount(amount) => {
                            figures.amount = Some(amount.value);
                            figures.shares = if cost.shares.is_empty() {
                                resolve::effective_source(plan, section, priority, cost)
                                    .map(|s| vec![(s.value.clone(), amount.value)])
                                    .unwrap_or_default()
                            } else {
                                cost.shares
                                    .iter()
                                    .map(|s| (s.source.value.clone(), s.amount.value))
                                    .collect()
                            };
                        }
                        CostKind::Tbc => figures.tbc = true,
                        CostKind::NotApplicable | CostKind::See(_) | CostKind::Met { .. } => {}
                    }
                }
                let amount = figures.amount.unwrap_or(Money::ZERO);
                priority_figures.total += amount;
                priority_figures.tbc += usize::from(figures.tbc);
                if section.scope == Scope::Local {
                    let mut drawn = Money::ZERO;
                    for (source, share) in &figures.shares {
                        if let Some(&i) = index.sources.get(source) {
                            sources[i].allocated += *share;
                            drawn += *share;
                        }
                    }
                    unsourced += amount - drawn;
                }
                let served = served_outcomes(activity, framework);
                for outcome in &mut outcomes {
                    let cell = if area_outcome == Some(outcome.number) {
                        Cell::Primary
                    } else if served.contains(&outcome.number) {
                        Cell::Also
                    } else {
                        Cell::None
                    };
                    if cell != Cell::None {
                        outcome.activities += 1;
                    }
                    if cell == Cell::Primary {
                        match section.scope {
                            Scope::Local => outcome.local += amount,
                            Scope::Countywide => outcome.countywide += amount,
                        }
                    }
                    figures.cells.push(cell);
                }
                activities.push(figures);
            }
            section_figures.total += priority_figures.total;
            section_figures.tbc += priority_figures.tbc;
            section_figures.priorities.push(priority_figures);
        }
        sections.push(section_figures);
    }
    for source in &mut sources {
        source.unallocated = source.available.map(|a| a - source.allocated);
    }
    let total = |scope| {
        sections
            .iter()
            .filter(|s| s.scope == scope)
            .map(|s| s.total)
            .sum::<Money>()
    };
    PlanFigures {
        all_costs: total(Scope::Local) + total(Scope::Countywide),
        available: sum_known(sources.iter().map(|s| s.available).collect()),
        unallocated: sum_known(sources.iter().map(|s| s.unallocated).collect()),
        allocated: total(Scope::Local),
        countywide: total(Scope::Countywide),
        sources,
        unsourced,
        sections,
        outcomes,
        activities,
    }
}

/// A funding source across plans, grouped by name.
#[derive(Debug, Clone, PartialEq)]
pub struct RollupSource {
    pub name: String,
    pub plans: usize,
    pub available: Option<Money>,
    pub allocated: Money,
}

/// A countywide item, listed once however many plans repeat it.
#[derive(Debug, Clone, PartialEq)]
pub struct CountywideItem {
    pub title: String,
    pub amount: Option<Money>,
    pub plans: Vec<String>,
}

/// The county roll-up: every plan's own money added up, countywide items
/// once each.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollup {
    pub allocated: Money,
    /// Sum of the plans' available funds, where they state any.
    pub available: Option<Money>,
    /// Sum of the plans' unallocated funds, where they state any.
    pub unallocated: Option<Money>,
    /// Every activity cost of every plan, countywide ones included.
    pub all_costs: Money,
    pub countywide: Money,
    pub tbc: usize,
    pub outcomes: Vec<OutcomeFigures>,
    pub sources: Vec<RollupSource>,
    pub countywide_items: Vec<CountywideItem>,
}

pub fn rollup(plans: &[(&Plan, &PlanFigures)]) -> Rollup {
    let mut outcomes: Vec<OutcomeFigures> = Vec::new();
    let mut sources: Vec<RollupSource> = Vec::new();
    let mut items: Vec<CountywideItem> = Vec::new();
    let mut allocated = Money::ZERO;
    let mut tbc = 0;
    for (plan, figures) in plans {
        allocated += figures.allocated;
        tbc += figures.tbc_ids().len();
        for outcome in &figures.outcomes {
            match outcomes.iter_mut().find(|o| o.number == outcome.number) {
                Some(total) => {
                    total.local += outcome.local;
                    total.activities += outcome.activities;
                }
                None => outcomes.push(OutcomeFigures {
                    countywide: Money::ZERO,
                    ..outcome.clone()
                }),
            }
        }
        for source in &figures.sources {
            let key = crate::framework::normalise(&source.name);
            match sources
                .iter_mut()
                .find(|s| crate::framework::normalise(&s.name) == key)
            {
                Some(total) => {
                    total.plans += 1;
                    total.allocated += source.allocated;
                    total.available = match (total.available, source.available) {
                        (Some(a), Some(b)) => Some(a + b),
                        (a, b) => a.or(b),
                    };
                }
                None => sources.push(RollupSource {
                    name: source.name.clone(),
                    plans: 1,
                    available: source.available,
                    allocated: source.allocated,
                }),
            }
        }
        for activity in figures
            .activities
            .iter()
            .filter(|a| a.scope == Scope::Countywide)
        {
            let key = (
                crate::framework::normalise(&activity.title),
                activity.amount,
            );
            match items
                .iter_mut()
                .find(|i| (crate::framework::normalise(&i.title), i.amount) == key)
            {
                Some(item) => item.plans.push(plan.id.value.clone()),
                None => items.push(CountywideItem {
                    title: activity.title.clone(),
                    amount: activity.amount,
                    plans: vec![plan.id.value.clone()],
                }),
            }
        }
    }
    Rollup {
        available: sum_known(plans.iter().map(|(_, f)| f.available).collect()),
        unallocated: sum_known(plans.iter().map(|(_, f)| f.unallocated).collect()),
        all_costs: plans.iter().map(|(_, f)| f.all_costs).sum(),
        allocated,
        countywide: items.iter().filter_map(|i| i.amount).sum(),
        tbc,
        outcomes,
        sources,
        countywide_items: items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{self, Decoder};
    use crate::diagnostic::Diagnostics;
    use crate::load::yaml;
    use crate::source::{FileId, SourceFile};

    fn figures(text: &str) -> PlanFigures {
        let source = SourceFile::new("t.yaml".into(), text.to_string());
        let root = yaml::parse(FileId(0), &source).expect("valid YAML");
        let mut diags = Diagnostics::default();
        let fragment = Decoder { diags: &mut diags }.file(&root, FileId(0));
        let plan = decode::assemble(
            std::path::Path::new("t.yaml"),
            vec![(FileId(0), fragment)],
            &mut diags,
        )
        .expect("a plan");
        let index = Index::build(&plan, &mut diags);
        assert!(diags.into_sorted().is_empty());
        compute(&plan, &index, &Framework::built_in())
    }

    const PLAN: &str = "plan: { id: p, name: P, period: { start: 2009-04-01, end: 2010-03-31 }, default_source: a }
sources:
  - { id: a, name: A, amount: 1000 }
  - { id: b, name: B, amount: 500.50 }
sections:
  - id: local
    title: Local
    priorities:
      - id: p1
        title: P1
        outcome: stay-safe
        activities:
          - { id: x, title: X, cost: 300, outcomes: [\"2.1\", \"1.3\"] }
          - { id: y, title: Y, cost: { amount: 700.50, sources: [{ source: a, amount: 200 }, { source: b, amount: 500.50 }] } }
          - { id: z, title: Z, cost: tbc }
          - { id: w, title: W, cost: { see: x } }
  - id: county
    title: County
    scope: countywide
    priorities:
      - id: p2
        title: P2
        outcome: be-healthy
        activities:
          - { id: c, title: C, cost: 90000 }
";

    #[test]
    fn sources_sections_and_outcomes_add_up() {
        let f = figures(PLAN);
        let money = |s: &str| s.parse::<Money>().unwrap();
        assert_eq!(f.sources[0].allocated, money("500"));
        assert_eq!(f.sources[0].unallocated, Some(money("500")));
        assert_eq!(f.sources[1].allocated, money("500.50"));
        assert_eq!(f.sources[1].unallocated, Some(money("0")));
        assert_eq!(f.allocated, money("1000.50"));
        assert_eq!(f.available, Some(money("1500.50")));
        assert_eq!(f.unallocated, Some(money("500")));
        // Countywide money is kept out of the plan's own total and sources.
        assert_eq!(f.countywide, money("90000"));
        assert_eq!(f.unsourced, Money::ZERO);
        assert_eq!(f.tbc_ids(), ["z"]);
        let safe = &f.outcomes[1];
        assert_eq!((safe.local, safe.activities), (money("1000.50"), 4));
        let healthy = &f.outcomes[0];
        assert_eq!(
            (healthy.local, healthy.countywide),
            (Money::ZERO, money("90000"))
        );
        // x serves Be healthy through code 1.3, besides its area's Stay safe.
        assert_eq!(f.activities[0].cells[..2], [Cell::Also, Cell::Primary]);
        assert_eq!(healthy.activities, 2);
    }
}
