//! What the roll-up's templates see: every plan, each kind of plan with
//! its totals, and the items counted once.

use super::*;

#[derive(Debug, Clone, Serialize)]
pub struct IndexPlan {
    pub slug: String,
    pub id: String,
    pub name: String,
    pub kind: String,
    pub authority: Option<String>,
    pub period: String,
    pub status: String,
    /// The plan's own figures, as its page shows them.
    pub totals: Amounts,
    pub countywide: String,
    pub tbc: usize,
    pub draft: bool,
    /// Shared items of this plan already counted under an earlier plan:
    /// the money not counted again, and the items.
    pub repeated: String,
    pub repeats: Vec<RepeatView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RepeatView {
    pub activity: String,
    pub shared: String,
    pub counted_in: String,
}

/// Totals of a group of plans, or of one authority's plans in it.
#[derive(Debug, Clone, Serialize)]
pub struct GroupTotals {
    pub plans: usize,
    pub available: String,
    pub available_plain: String,
    /// The plans' own money, shared items counted once.
    pub allocated: String,
    pub allocated_plain: String,
    pub allocated_known: bool,
    pub countywide: String,
    pub countywide_plain: String,
    pub countywide_known: bool,
    /// Money of shared countywide items not counted again (empty when
    /// none).
    pub repeated: String,
    pub unallocated: String,
    pub unallocated_plain: String,
    pub tbc: usize,
}

fn group_totals(t: &RollupTotals) -> GroupTotals {
    let c = &t.counted;
    // Why a figure is unknown: plans that could not be read, or amounts.
    let why = |unreadable: usize| {
        if t.missing > 0 {
            format!(
                "unknown ({} plan{} cannot be read)",
                t.missing,
                if t.missing == 1 { "" } else { "s" }
            )
        } else {
            unknown_text(unreadable)
        }
    };
    let shown =
        |value: Option<Money>, unreadable: usize| value.map_or_else(|| why(unreadable), format_gbp);
    GroupTotals {
        plans: t.plans,
        available: if t.missing > 0 {
            why(0)
        } else {
            availability_text(&t.availability)
        },
        // Only a total when every source states its amount.
        available_plain: opt_plain(t.available()),
        allocated: shown(t.allocated(), c.allocated_unreadable),
        allocated_plain: format_plain(c.allocated),
        allocated_known: t.allocated().is_some(),
        countywide: shown(t.countywide(), c.countywide_unreadable),
        countywide_plain: format_plain(c.countywide),
        countywide_known: t.countywide().is_some(),
        repeated: if c.repeated.is_zero() {
            String::new()
        } else {
            format_gbp(c.repeated)
        },
        unallocated: opt(t.unallocated()),
        unallocated_plain: opt_plain(t.unallocated()),
        tbc: t.tbc,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthorityView {
    /// The authority's name, or `No authority named`.
    pub name: String,
    pub totals: GroupTotals,
}

#[derive(Debug, Clone, Serialize)]
pub struct RollupOutcomeView {
    pub number: u8,
    pub title: String,
    pub allocated: String,
    pub activities: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RollupSourceView {
    pub name: String,
    pub plans: usize,
    pub available: String,
    pub allocated: String,
}

/// Plans of one kind, with their totals: cluster plans and county plans
/// are reported apart and never added together.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    /// `cluster` or `county`.
    pub kind: String,
    /// `Cluster plans`, `County plans`.
    pub title: String,
    /// What the group's money is.
    pub note: String,
    pub plans: Vec<IndexPlan>,
    /// Subtotals per local authority; empty when no plan names one.
    pub authorities: Vec<AuthorityView>,
    pub totals: GroupTotals,
    pub outcomes: Vec<RollupOutcomeView>,
    pub sources: Vec<RollupSourceView>,
    /// The plans' own money naming no source, counted once; empty if none.
    pub unsourced: String,
    /// Whether any activity of the group is linked to an ECM outcome, and
    /// the money linked to none (empty when none).
    pub outcomes_mapped: bool,
    pub unmapped: String,
    pub unsourced_plain: String,
    pub chart_outcomes: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub shared: Option<String>,
    pub title: String,
    pub amount: String,
    /// `countywide` or `local`.
    pub scope: String,
    pub kind: String,
    pub plans: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexView {
    /// Every plan, in order.
    pub plans: Vec<IndexPlan>,
    /// Cluster plans, then county plans: each kind with its own totals.
    pub groups: Vec<GroupView>,
    /// Countywide items and items several plans share, each counted once.
    pub items: Vec<ItemView>,
    /// Plans that could not be read, by path: every roll-up total is
    /// unknown while one is missing.
    pub unreadable: Vec<String>,
}

fn kind_key(kind: PlanKind) -> &'static str {
    match kind {
        PlanKind::Cluster => "cluster",
        PlanKind::County => "county",
    }
}

/// Why a group's figures are unknown.
fn group_unknown(g: &crate::figures::RollupGroup) -> String {
    if g.totals.missing > 0 {
        format!(
            "unknown ({} plan{} cannot be read)",
            g.totals.missing,
            if g.totals.missing == 1 { "" } else { "s" }
        )
    } else {
        unknown_text(g.lost.max(1))
    }
}

/// A part of a group's money (an outcome's, a source's): unknown when any
/// of its amounts, or anything of a plan in the group, could not be read.
fn breakdown(g: &crate::figures::RollupGroup, unreadable: usize, amount: Money) -> String {
    if g.totals.missing > 0 || g.lost > 0 {
        group_unknown(g)
    } else if unreadable > 0 {
        unknown_text(unreadable)
    } else {
        format_gbp(amount)
    }
}

/// What the index keeps of a plan's view: a build drops each plan's view
/// as soon as its pages are written, and keeps only this.
pub struct PlanHead {
    plan: IndexPlan,
    /// Its row of the roll-up, as the group's table shows it.
    row: Option<(String, Vec<RepeatView>)>,
}

impl PlanHead {
    /// `row` is the plan's row in the roll-up, if it is in a group.
    pub fn of(p: &PlanView, row: Option<&crate::figures::RollupPlan>) -> PlanHead {
        PlanHead {
            plan: IndexPlan {
                slug: p.slug.clone(),
                id: p.id.clone(),
                name: p.name.clone(),
                kind: p.kind.clone(),
                authority: p.authority.clone(),
                period: p.period.clone(),
                status: p.status.clone(),
                totals: p.totals.clone(),
                countywide: p.countywide.clone(),
                tbc: p.tbc.len(),
                draft: p.draft.is_some(),
                repeated: String::new(),
                repeats: Vec::new(),
            },
            row: row.map(|r| {
                let repeated = r.counted.repeated;
                let repeated = if repeated.is_zero() {
                    String::new()
                } else {
                    format_gbp(repeated)
                };
                let repeats = r
                    .repeats
                    .iter()
                    .filter_map(|(a, counted_in)| {
                        let activity = p.activity_ids.get(*a)?;
                        Some(RepeatView {
                            activity: activity.0.clone(),
                            shared: activity.1.clone().unwrap_or_default(),
                            counted_in: counted_in.clone(),
                        })
                    })
                    .collect();
                (repeated, repeats)
            }),
        }
    }

    /// The plan as the group's table shows it: with what it repeats.
    fn in_group(&self) -> IndexPlan {
        let (repeated, repeats) = self.row.clone().unwrap_or_default();
        IndexPlan {
            repeated,
            repeats,
            ..self.plan.clone()
        }
    }
}

/// Where each plan is in the roll-up's groups, by the plan's position.
pub fn rollup_rows(rollup: &Rollup, plans: usize) -> Vec<Option<&crate::figures::RollupPlan>> {
    let mut rows = vec![None; plans];
    for row in rollup.groups.iter().flat_map(|g| &g.plans) {
        if let Some(slot) = rows.get_mut(row.plan) {
            *slot = Some(row);
        }
    }
    rows
}

pub fn index_view(plans: &[PlanHead], rollup: &Rollup) -> IndexView {
    IndexView {
        plans: plans.iter().map(|p| p.plan.clone()).collect(),
        groups: rollup
            .groups
            .iter()
            .map(|g| GroupView {
                kind: kind_key(g.kind).into(),
                title: match g.kind {
                    PlanKind::Cluster => "Cluster plans",
                    PlanKind::County => "County plans",
                }
                .into(),
                note: match g.kind {
                    PlanKind::Cluster => "Each cluster's own allocation. Countywide items are county totals, counted once and kept apart from every cluster's own money.",
                    PlanKind::County => "County budgets, as the county plans state them: never added to the clusters' allocations.",
                }
                .into(),
                plans: g
                    .plans
                    .iter()
                    .filter_map(|r| plans.get(r.plan).map(PlanHead::in_group))
                    .collect(),
                authorities: g
                    .authorities
                    .iter()
                    .map(|a| AuthorityView {
                        name: a
                            .authority
                            .clone()
                            .unwrap_or_else(|| "No authority named".into()),
                        totals: group_totals(&a.totals),
                    })
                    .collect(),
                totals: group_totals(&g.totals),
                outcomes: g
                    .outcomes
                    .iter()
                    .map(|o| RollupOutcomeView {
                        number: o.number,
                        title: o.title.clone(),
                        allocated: breakdown(g, o.unreadable, o.allocated),
                        activities: o.activities,
                    })
                    .collect(),
                sources: g
                    .sources
                    .iter()
                    .map(|s| RollupSourceView {
                        name: s.name.clone(),
                        plans: s.plans,
                        available: if g.totals.missing > 0 {
                            group_unknown(g)
                        } else {
                            availability_text(&s.availability)
                        },
                        allocated: breakdown(g, s.unreadable, s.allocated),
                    })
                    .collect(),
                unsourced: if g.unsourced.is_zero() {
                    String::new()
                } else {
                    breakdown(g, 0, g.unsourced)
                },
                unsourced_plain: format_plain(g.unsourced),
                outcomes_mapped: g.mapped,
                unmapped: if g.unmapped.is_zero() {
                    String::new()
                } else {
                    breakdown(g, 0, g.unmapped)
                },
                chart_outcomes: chart::outcomes(
                    &g.outcomes
                        .iter()
                        .map(|o| {
                            let known = o.unreadable == 0 && g.lost == 0 && g.totals.missing == 0;
                            (o.title.as_str(), known.then_some(o.allocated))
                        })
                        .collect::<Vec<_>>(),
                ),
            })
            .collect(),
        unreadable: rollup.unreadable.clone(),
        items: rollup
            .items
            .iter()
            .map(|i| ItemView {
                shared: i.shared.clone(),
                title: i.title.clone(),
                amount: if i.unreadable {
                    "cannot be read".into()
                } else {
                    opt(i.amount)
                },
                scope: match i.scope {
                    Scope::Local => "local",
                    Scope::Countywide => "countywide",
                }
                .into(),
                kind: kind_key(i.kind).into(),
                plans: i.plans.clone(),
            })
            .collect(),
    }
}
