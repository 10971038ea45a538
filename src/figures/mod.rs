//! The one place that computes every figure: funds per source, totals per
//! section, priority and ECM outcome, TBC costs and the outcome matrix.
//! Checks and reports read these; nothing else adds money up.

use std::collections::{BTreeMap, BTreeSet};

use crate::framework::Framework;
use crate::model::{CostKind, Plan, PlanKind, Scope};
use crate::money::Money;
use crate::resolve::{self, Index};
use crate::source::Span;

mod rollup;

pub use rollup::*;

/// One part of a total: an activity's amount, or its share of a source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Part {
    /// Index into `PlanFigures::activities`.
    pub activity: usize,
    /// `None` when the amount was written but could not be read.
    pub amount: Option<Money>,
}

/// A computed total and the parts that make it up, so that every figure can
/// be traced to the lines of the plan files it comes from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sum {
    pub parts: Vec<Part>,
    /// Items carrying money that could not be decoded at all.
    pub lost: usize,
}

impl Sum {
    fn add(&mut self, activity: usize, amount: Option<Money>) {
        self.parts.push(Part { activity, amount });
    }

    /// The sum of the parts that could be read.
    pub fn known(&self) -> Money {
        self.parts.iter().filter_map(|p| p.amount).sum()
    }

    /// How many parts could not be read.
    pub fn unreadable(&self) -> usize {
        self.parts.iter().filter(|p| p.amount.is_none()).count() + self.lost
    }

    /// The total, when every part of it is known.
    pub fn value(&self) -> Option<Money> {
        (self.unreadable() == 0).then(|| self.known())
    }
}

/// What the funding sources say they hold: a total only when every source
/// states a readable amount.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Availability {
    /// The sum of the amounts that are stated and readable.
    pub stated: Money,
    /// Sources that state a readable amount.
    pub sources_stated: usize,
    pub sources: usize,
    /// Sources whose amount could not be read.
    pub unreadable: usize,
}

impl Availability {
    /// The money available, when every source states it.
    pub fn known(&self) -> Option<Money> {
        (self.sources > 0 && self.sources_stated == self.sources).then_some(self.stated)
    }

    /// Some sources state an amount, not all.
    pub fn partial(&self) -> bool {
        self.sources_stated > 0 && self.sources_stated < self.sources
    }

    fn merge(&mut self, other: &Availability) {
        self.stated += other.stated;
        self.sources_stated += other.sources_stated;
        self.sources += other.sources;
        self.unreadable += other.unreadable;
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceFigures {
    pub id: String,
    pub name: String,
    /// The amount the source holds, when stated and readable.
    pub available: Option<Money>,
    /// The source's amount was written but could not be read.
    pub unreadable: bool,
    pub allocated: Sum,
    /// Available less allocated, when both are known.
    pub unallocated: Option<Money>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PriorityFigures {
    pub id: String,
    pub title: String,
    pub outcome: Option<u8>,
    pub total: Sum,
    pub tbc: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionFigures {
    pub id: String,
    pub title: String,
    pub scope: Scope,
    pub total: Sum,
    pub tbc: usize,
    pub priorities: Vec<PriorityFigures>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeFigures {
    pub number: u8,
    pub title: String,
    /// The plan's own money spent in priorities under this outcome.
    pub local: Sum,
    pub countywide: Sum,
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
    /// An amount was written but could not be read.
    pub unreadable: bool,
    /// What each source pays, in order.
    pub shares: Vec<(String, Money)>,
    pub tbc: bool,
    /// The ECM outcome number of the activity's priority area.
    pub area: Option<u8>,
    /// Outcome numbers 1-5 and how the activity serves each.
    pub cells: Vec<Cell>,
    /// The id of the item several plans share, if the plan gives one.
    pub shared: Option<String>,
    pub span: Span,
    /// Where its amount is written, for costs that are amounts.
    pub amount_span: Option<Span>,
}

impl ActivityFigures {
    /// The activity's part of a total: its amount, unknown when unreadable,
    /// nothing when it has no amount (TBC, N/A, met elsewhere).
    fn part(&self) -> Option<Option<Money>> {
        if self.unreadable {
            Some(None)
        } else {
            self.amount.map(Some)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanFigures {
    pub sources: Vec<SourceFigures>,
    /// The plan's own costs, or parts of them, that name no source.
    pub unsourced: Sum,
    /// The plan's own costs split between sources by shares that do not
    /// add up to the cost (F007): known in total, not by source.
    pub unattributed: Sum,
    /// The plan's own money allocated: every local amount.
    pub allocated: Sum,
    /// Countywide figures, kept out of `allocated`.
    pub countywide: Sum,
    pub availability: Availability,
    /// The plan's unallocated money: what its sources hold less what it
    /// spends (negative when it spends more), when every figure of it is
    /// known.
    pub unallocated: Option<Money>,
    pub sections: Vec<SectionFigures>,
    pub outcomes: Vec<OutcomeFigures>,
    /// Money of activities linked to no ECM outcome (no outcome on their
    /// priority area or section, no judgement code, no `serves`): the
    /// plan's own, and countywide.
    pub unmapped: Sum,
    pub unmapped_countywide: Sum,
    /// Activities linked to at least one ECM outcome.
    pub mapped: usize,
    pub activities: Vec<ActivityFigures>,
}

impl ActivityFigures {
    /// Whether the activity is linked to any ECM outcome.
    pub fn mapped(&self) -> bool {
        self.cells.iter().any(|c| *c != Cell::None)
    }
}

impl PlanFigures {
    pub fn tbc_ids(&self) -> Vec<&str> {
        self.activities
            .iter()
            .filter(|a| a.tbc)
            .map(|a| a.id.as_str())
            .collect()
    }

    /// The money available, when every source states it.
    pub fn available(&self) -> Option<Money> {
        self.availability.known()
    }
}

/// How many values of a plan the transcriber inferred rather than read.
pub fn inferred_count(plan: &Plan) -> usize {
    plan.inferred.len()
        + plan.sources.iter().map(|s| s.inferred.len()).sum::<usize>()
        + resolve::activities(plan)
            .map(|(_, _, a)| a.inferred.len())
            .sum::<usize>()
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

fn activity_figures(
    plan: &Plan,
    section: &crate::model::Section,
    priority: &crate::model::Priority,
    activity: &crate::model::Activity,
    area: Option<u8>,
    framework: &Framework,
) -> ActivityFigures {
    let mut figures = ActivityFigures {
        id: activity.id.value.clone(),
        title: activity.title.clone(),
        section: section.id.value.clone(),
        priority: priority.id.value.clone(),
        scope: section.scope,
        amount: None,
        unreadable: false,
        shares: Vec::new(),
        tbc: false,
        area,
        cells: Vec::new(),
        shared: activity.shared.as_ref().map(|s| s.value.clone()),
        span: activity.id.span,
        amount_span: None,
    };
    if let Some(cost) = &activity.cost {
        match &cost.kind {
            CostKind::Amount(amount) => {
                figures.amount = Some(amount.value);
                figures.amount_span = Some(amount.span);
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
            CostKind::Unreadable => {
                figures.unreadable = true;
                // Which sources it draws on is still known; how much is not.
                figures.shares = if cost.shares.is_empty() {
                    resolve::effective_source(plan, section, priority, cost)
                        .map(|s| vec![(s.value.clone(), Money::ZERO)])
                        .unwrap_or_default()
                } else {
                    cost.shares
                        .iter()
                        .map(|s| (s.source.value.clone(), Money::ZERO))
                        .collect()
                };
            }
            CostKind::Tbc => figures.tbc = true,
            CostKind::NotApplicable
            | CostKind::NotStated(_)
            | CostKind::See(_)
            | CostKind::Met { .. } => {}
        }
    }
    let served = served_outcomes(activity, framework);
    figures.cells = framework
        .outcomes
        .iter()
        .map(|o| {
            if area == Some(o.number) {
                Cell::Primary
            } else if served.contains(&o.number) {
                Cell::Also
            } else {
                Cell::None
            }
        })
        .collect();
    figures
}

pub fn compute(plan: &Plan, index: &Index, framework: &Framework) -> PlanFigures {
    let mut sources: Vec<SourceFigures> = plan
        .sources
        .iter()
        .map(|s| SourceFigures {
            id: s.id.value.clone(),
            name: s.name.clone(),
            available: s.amount.as_ref().filter(|_| !s.unreadable).map(|a| a.value),
            unreadable: s.unreadable,
            allocated: Sum::default(),
            unallocated: None,
            span: s.id.span,
        })
        .collect();
    let mut unsourced = Sum::default();
    let mut unattributed = Sum::default();
    let mut outcomes: Vec<OutcomeFigures> = framework
        .outcomes
        .iter()
        .map(|o| OutcomeFigures {
            number: o.number,
            title: o.title.clone(),
            local: Sum::default(),
            countywide: Sum::default(),
            activities: 0,
        })
        .collect();
    let mut allocated = Sum::default();
    let mut countywide = Sum::default();
    let mut unmapped = Sum::default();
    let mut unmapped_countywide = Sum::default();
    let mut sections = Vec::new();
    let mut activities: Vec<ActivityFigures> = Vec::new();

    for section in &plan.sections {
        let mut section_figures = SectionFigures {
            id: section.id.value.clone(),
            title: section.title.clone(),
            scope: section.scope,
            total: Sum::default(),
            tbc: 0,
            priorities: Vec::new(),
        };
        for priority in &section.priorities {
            let area = priority
                .outcome
                .as_ref()
                .or(section.outcome.as_ref())
                .and_then(|o| framework.outcome(&o.value))
                .map(|o| o.number);
            let mut priority_figures = PriorityFigures {
                id: priority.id.value.clone(),
                title: priority.title.clone(),
                outcome: area,
                total: Sum::default(),
                tbc: 0,
            };
            for activity in &priority.activities {
                let i = activities.len();
                let figures = activity_figures(plan, section, priority, activity, area, framework);
                priority_figures.tbc += usize::from(figures.tbc);
                if let Some(part) = figures.part() {
                    priority_figures.total.add(i, part);
                    match section.scope {
                        Scope::Local => {
                            allocated.add(i, part);
                            // Shares that do not add up to the cost (F007)
                            // leave what each source pays unknown.
                            let shared_out: Money = figures.shares.iter().map(|(_, s)| *s).sum();
                            let split_known = figures.shares.is_empty() || part == Some(shared_out);
                            let mut drawn = Money::ZERO;
                            let mut drawn_named = false;
                            for (source, share) in &figures.shares {
                                if let Some(&s) = index.sources.get(source) {
                                    let share = part.filter(|_| split_known).map(|_| *share);
                                    sources[s].allocated.add(i, share);
                                    drawn += share.unwrap_or(Money::ZERO);
                                    drawn_named = true;
                                }
                            }
                            match part {
                                Some(amount) if !split_known => unattributed.add(i, Some(amount)),
                                Some(amount) if amount != drawn => {
                                    unsourced.add(i, Some(amount - drawn))
                                }
                                None if !drawn_named => unsourced.add(i, None),
                                _ => {}
                            }
                        }
                        Scope::Countywide => countywide.add(i, part),
                    }
                }
                if let (false, Some(part)) = (figures.mapped(), figures.part()) {
                    match section.scope {
                        Scope::Local => unmapped.add(i, part),
                        Scope::Countywide => unmapped_countywide.add(i, part),
                    }
                }
                for (outcome, cell) in outcomes.iter_mut().zip(&figures.cells) {
                    if *cell != Cell::None {
                        outcome.activities += 1;
                    }
                    if let (Cell::Primary, Some(part)) = (cell, figures.part()) {
                        match section.scope {
                            Scope::Local => outcome.local.add(i, part),
                            Scope::Countywide => outcome.countywide.add(i, part),
                        }
                    }
                }
                activities.push(figures);
            }
            section_figures.tbc += priority_figures.tbc;
            section_figures
                .total
                .parts
                .extend(&priority_figures.total.parts);
            section_figures.priorities.push(priority_figures);
        }
        sections.push(section_figures);
    }
    // Money lost in decoding belongs to some total of the plan: which one
    // is unknown, so every total of the plan is.
    let lost = plan.lost.len();
    if lost > 0 {
        let sums = sources
            .iter_mut()
            .map(|s| &mut s.allocated)
            .chain([
                &mut allocated,
                &mut countywide,
                &mut unsourced,
                &mut unattributed,
                &mut unmapped,
                &mut unmapped_countywide,
            ])
            .chain(
                outcomes
                    .iter_mut()
                    .flat_map(|o| [&mut o.local, &mut o.countywide]),
            )
            .chain(sections.iter_mut().flat_map(|s| {
                std::iter::once(&mut s.total).chain(s.priorities.iter_mut().map(|p| &mut p.total))
            }));
        for sum in sums {
            sum.lost = lost;
        }
    }
    for source in &mut sources {
        source.unallocated = source
            .available
            .zip(source.allocated.value())
            .map(|(a, b)| a - b);
    }
    let availability = Availability {
        stated: sources.iter().filter_map(|s| s.available).sum(),
        sources_stated: sources.iter().filter(|s| s.available.is_some()).count(),
        sources: sources.len() + plan.lost_sources.len(),
        unreadable: sources.iter().filter(|s| s.unreadable).count() + plan.lost_sources.len(),
    };
    PlanFigures {
        // What the plan has less what it spends, costs that name no source
        // included: over-committed money shows as a negative amount, never
        // as a balance.
        unallocated: availability
            .known()
            .filter(|_| availability.unreadable == 0 && unattributed.parts.is_empty())
            .zip(allocated.value())
            .map(|(available, spent)| available - spent),
        availability,
        allocated,
        countywide,
        sources,
        unsourced,
        unattributed,
        sections,
        outcomes,
        unmapped,
        unmapped_countywide,
        mapped: activities.iter().filter(|a| a.mapped()).count(),
        activities,
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
        let fragment = Decoder::new(&mut diags).file(&root, FileId(0));
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
        assert_eq!(f.sources[0].allocated.value(), Some(money("500")));
        assert_eq!(f.sources[0].unallocated, Some(money("500")));
        assert_eq!(f.sources[1].allocated.value(), Some(money("500.50")));
        assert_eq!(f.sources[1].unallocated, Some(money("0")));
        assert_eq!(f.allocated.value(), Some(money("1000.50")));
        assert_eq!(f.available(), Some(money("1500.50")));
        assert_eq!(f.unallocated, Some(money("500")));
        // Countywide money is kept out of the plan's own total and sources.
        assert_eq!(f.countywide.value(), Some(money("90000")));
        assert_eq!(f.unsourced.value(), Some(Money::ZERO));
        assert_eq!(f.tbc_ids(), ["z"]);
        let safe = &f.outcomes[1];
        assert_eq!(
            (safe.local.value(), safe.activities),
            (Some(money("1000.50")), 4)
        );
        let healthy = &f.outcomes[0];
        assert_eq!(
            (healthy.local.value(), healthy.countywide.value()),
            (Some(Money::ZERO), Some(money("90000")))
        );
        // x serves Be healthy through code 1.3, besides its area's Stay safe.
        assert_eq!(f.activities[0].cells[..2], [Cell::Also, Cell::Primary]);
        assert_eq!(healthy.activities, 2);
        // Every total knows the activities it is made of.
        let parts: Vec<&str> = f
            .allocated
            .parts
            .iter()
            .map(|p| f.activities[p.activity].id.as_str())
            .collect();
        assert_eq!(parts, ["x", "y"]);
    }

    #[test]
    fn availability_stated_for_some_sources_is_not_a_balance() {
        let f = figures(&PLAN.replace("{ id: b, name: B, amount: 500.50 }", "{ id: b, name: B }"));
        assert_eq!(f.available(), None);
        assert!(f.availability.partial());
        assert_eq!(
            (f.availability.sources_stated, f.availability.sources),
            (1, 2)
        );
        assert_eq!(f.unallocated, None);
    }
}
