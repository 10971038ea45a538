//! The roll-up of many plans: each kind of plan apart, per authority,
//! shared countywide items counted once.

use super::*;

/// What a roll-up counts of one plan's own and countywide money: shared
/// items already counted under an earlier plan are not counted again.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Counted {
    pub allocated: Money,
    pub allocated_unreadable: usize,
    pub countywide: Money,
    pub countywide_unreadable: usize,
    /// The money of shared countywide items counted under an earlier
    /// plan, and so not again.
    pub repeated: Money,
}

impl Counted {
    fn merge(&mut self, other: &Counted) {
        self.allocated += other.allocated;
        self.allocated_unreadable += other.allocated_unreadable;
        self.countywide += other.countywide;
        self.countywide_unreadable += other.countywide_unreadable;
        self.repeated += other.repeated;
    }
}

/// One plan in a roll-up.
#[derive(Debug, Clone, PartialEq)]
pub struct RollupPlan {
    /// Index into the plans the roll-up was made of.
    pub plan: usize,
    pub authority: Option<String>,
    pub counted: Counted,
    /// Activities (by index) that are shared items counted under an
    /// earlier plan, with that plan's id.
    pub repeats: Vec<(usize, String)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RollupTotals {
    pub plans: usize,
    pub counted: Counted,
    pub availability: Availability,
    /// The plans' unallocated money added up, when every plan's is known.
    pub unallocated: Option<Money>,
    pub tbc: usize,
    /// Plans that could not be read: their money is missing, so every
    /// total here is unknown.
    pub missing: usize,
}

impl RollupTotals {
    /// The plans' own money, when every part of it is known.
    pub fn allocated(&self) -> Option<Money> {
        (self.counted.allocated_unreadable == 0 && self.missing == 0)
            .then_some(self.counted.allocated)
    }

    /// Countywide money, each shared item once, when known.
    pub fn countywide(&self) -> Option<Money> {
        (self.counted.countywide_unreadable == 0 && self.missing == 0)
            .then_some(self.counted.countywide)
    }

    /// Money available, when every source of every plan states it.
    pub fn available(&self) -> Option<Money> {
        self.availability
            .known()
            .filter(|_| self.availability.unreadable == 0 && self.missing == 0)
    }

    pub fn unallocated(&self) -> Option<Money> {
        self.unallocated.filter(|_| self.missing == 0)
    }

    fn add_plan(&mut self, figures: &PlanFigures, counted: &Counted) {
        self.unallocated = if self.plans == 0 {
            figures.unallocated
        } else {
            self.unallocated
                .zip(figures.unallocated)
                .map(|(a, b)| a + b)
        };
        self.plans += 1;
        self.counted.merge(counted);
        self.availability.merge(&figures.availability);
        self.tbc += figures.tbc_ids().len();
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuthorityTotals {
    /// `None` for the plans that name no authority.
    pub authority: Option<String>,
    pub totals: RollupTotals,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RollupOutcome {
    pub number: u8,
    pub title: String,
    pub allocated: Money,
    pub unreadable: usize,
    pub activities: usize,
}

/// A funding source across plans, grouped by name.
#[derive(Debug, Clone, PartialEq)]
pub struct RollupSource {
    pub name: String,
    pub plans: usize,
    pub availability: Availability,
    pub allocated: Money,
    pub unreadable: usize,
}

/// Plans of one kind: cluster plans spend their allocations, county plans
/// county budgets, and the two are never added together.
#[derive(Debug, Clone, PartialEq)]
pub struct RollupGroup {
    pub kind: PlanKind,
    pub plans: Vec<RollupPlan>,
    /// Subtotals per local authority, when any plan names one.
    pub authorities: Vec<AuthorityTotals>,
    pub totals: RollupTotals,
    pub outcomes: Vec<RollupOutcome>,
    pub sources: Vec<RollupSource>,
    /// The plans' own money that names no source, counted once.
    pub unsourced: Money,
    /// Items of the group's plans that could not be decoded: which outcome
    /// or source their money belongs to is unknown.
    pub lost: usize,
    /// The plans' own money linked to no ECM outcome, counted once.
    pub unmapped: Money,
    /// Whether any activity of the group's plans is linked to an outcome.
    pub mapped: bool,
}

/// An item of a roll-up that is not a plan's own money: a countywide item,
/// or any item several plans share by id. Listed once per id; items
/// without an id once per plan and activity.
#[derive(Debug, Clone, PartialEq)]
pub struct RollupItem {
    pub shared: Option<String>,
    pub title: String,
    pub amount: Option<Money>,
    pub unreadable: bool,
    pub scope: Scope,
    pub kind: PlanKind,
    /// The plans that carry it, by id.
    pub plans: Vec<String>,
}

/// The roll-up of many plans: one group per kind of plan, and the items
/// counted once across plans.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollup {
    pub groups: Vec<RollupGroup>,
    pub items: Vec<RollupItem>,
    /// Plans that could not be read, by path.
    pub unreadable: Vec<String>,
}

/// The roll-up of `plans`. `unreadable` plans could not be compiled: every
/// total of the roll-up is unknown while one is missing.
pub fn rollup(
    plans: &[(&Plan, &PlanFigures)],
    unreadable: &[String],
    framework: &Framework,
) -> Rollup {
    let mut groups = Vec::new();
    let mut items: Vec<RollupItem> = Vec::new();
    for kind in [PlanKind::Cluster, PlanKind::County] {
        let members: Vec<usize> = (0..plans.len())
            .filter(|&i| plans[i].0.kind == kind)
            .collect();
        if members.is_empty() {
            continue;
        }
        let mut group = RollupGroup {
            kind,
            plans: Vec::new(),
            authorities: Vec::new(),
            totals: RollupTotals::default(),
            outcomes: framework
                .outcomes
                .iter()
                .map(|o| RollupOutcome {
                    number: o.number,
                    title: o.title.clone(),
                    allocated: Money::ZERO,
                    unreadable: 0,
                    activities: 0,
                })
                .collect(),
            sources: Vec::new(),
            unsourced: Money::ZERO,
            lost: 0,
            unmapped: Money::ZERO,
            mapped: false,
        };
        // Shared ids counted so far in this group, with the plan counting
        // them and their place in `items`.
        // Shared ids (compared without case) counted so far: the plan
        // counting each, by position and id, and its place in `items`.
        let mut counted_ids: BTreeMap<String, (usize, String, usize)> = BTreeMap::new();
        for i in members {
            let (plan, figures) = plans[i];
            let mut row = RollupPlan {
                plan: i,
                authority: plan.authority.clone(),
                counted: Counted::default(),
                repeats: Vec::new(),
            };
            for source in &figures.sources {
                let key = crate::framework::normalise(&source.name);
                let position = group
                    .sources
                    .iter()
                    .position(|s| crate::framework::normalise(&s.name) == key);
                let total = match position {
                    Some(p) => &mut group.sources[p],
                    None => {
                        group.sources.push(RollupSource {
                            name: source.name.clone(),
                            plans: 0,
                            availability: Availability::default(),
                            allocated: Money::ZERO,
                            unreadable: 0,
                        });
                        group.sources.last_mut().expect("just pushed")
                    }
                };
                total.plans += 1;
                total.availability.merge(&Availability {
                    stated: source.available.unwrap_or(Money::ZERO),
                    sources_stated: usize::from(source.available.is_some()),
                    sources: 1,
                    unreadable: usize::from(source.unreadable),
                });
            }
            for (a, activity) in figures.activities.iter().enumerate() {
                let Some(part) = activity.part() else {
                    continue;
                };
                // A shared countywide item is one county figure that every
                // plan restates: counted under the first plan citing it. A
                // plan's own money is its own, shared id or not, and two
                // items of one plan are never merged.
                let shared = activity
                    .shared
                    .as_ref()
                    .filter(|_| activity.scope == Scope::Countywide);
                if let Some(id) = shared {
                    let id = crate::framework::normalise(id);
                    if let Some((first_plan, first, item)) = counted_ids.get(&id)
                        && *first_plan != i
                    {
                        let item = &mut items[*item];
                        item.plans.push(plan.id.value.clone());
                        // Plans that disagree on the figure (X001) leave it
                        // unknown.
                        if item.amount != part || item.unreadable {
                            if !item.unreadable {
                                row.counted.countywide_unreadable += 1;
                            }
                            item.unreadable = true;
                        }
                        row.counted.repeated += part.unwrap_or(Money::ZERO);
                        row.repeats.push((a, first.clone()));
                        continue;
                    }
                    counted_ids
                        .entry(id)
                        .or_insert((i, plan.id.value.clone(), items.len()));
                }
                if shared.is_some() || activity.scope == Scope::Countywide {
                    items.push(RollupItem {
                        shared: activity.shared.clone(),
                        title: activity.title.clone(),
                        amount: activity.amount,
                        unreadable: activity.unreadable,
                        scope: activity.scope,
                        kind,
                        plans: vec![plan.id.value.clone()],
                    });
                }
                match activity.scope {
                    Scope::Countywide => match part {
                        Some(amount) => row.counted.countywide += amount,
                        None => row.counted.countywide_unreadable += 1,
                    },
                    Scope::Local => {
                        match part {
                            Some(amount) => row.counted.allocated += amount,
                            None => row.counted.allocated_unreadable += 1,
                        }
                        if let (false, Some(amount)) = (activity.mapped(), part) {
                            group.unmapped += amount;
                        }
                        if let Some(o) = group
                            .outcomes
                            .iter_mut()
                            .find(|o| Some(o.number) == activity.area)
                        {
                            match part {
                                Some(amount) => o.allocated += amount,
                                None => o.unreadable += 1,
                            }
                        }
                        let mut drawn = Money::ZERO;
                        for (source, share) in &activity.shares {
                            let Some(name) = figures
                                .sources
                                .iter()
                                .find(|s| &s.id == source)
                                .map(|s| &s.name)
                            else {
                                continue;
                            };
                            let key = crate::framework::normalise(name);
                            if let Some(total) = group
                                .sources
                                .iter_mut()
                                .find(|s| crate::framework::normalise(&s.name) == key)
                            {
                                match part {
                                    Some(_) => total.allocated += *share,
                                    None => total.unreadable += 1,
                                }
                                drawn += *share;
                            }
                        }
                        if let Some(amount) = part {
                            group.unsourced += amount - drawn;
                        }
                    }
                }
                for (o, cell) in group.outcomes.iter_mut().zip(&activity.cells) {
                    o.activities += usize::from(*cell != Cell::None);
                }
            }
            group.lost += figures.allocated.lost;
            group.mapped |= figures.mapped > 0;
            // Money lost in decoding leaves the plan's totals unknown.
            row.counted.allocated_unreadable += figures.allocated.lost;
            row.counted.countywide_unreadable += figures.countywide.lost;
            group.totals.add_plan(figures, &row.counted);
            // Authorities named alike (`Worcestershire`, `worcestershire `)
            // are one authority, shown as first written.
            let authority = plan.authority.as_deref().map(crate::framework::normalise);
            match group
                .authorities
                .iter_mut()
                .find(|t| t.authority.as_deref().map(crate::framework::normalise) == authority)
            {
                Some(t) => t.totals.add_plan(figures, &row.counted),
                None => {
                    let mut totals = RollupTotals::default();
                    totals.add_plan(figures, &row.counted);
                    group.authorities.push(AuthorityTotals {
                        authority: plan.authority.clone(),
                        totals,
                    });
                }
            }
            group.plans.push(row);
        }
        group.authorities.sort_by(|a, b| {
            (a.authority.is_none(), &a.authority).cmp(&(b.authority.is_none(), &b.authority))
        });
        if group.authorities.iter().all(|a| a.authority.is_none()) {
            group.authorities.clear();
        }
        groups.push(group);
    }
    for group in &mut groups {
        for totals in std::iter::once(&mut group.totals)
            .chain(group.authorities.iter_mut().map(|a| &mut a.totals))
        {
            totals.missing = unreadable.len();
        }
    }
    Rollup {
        groups,
        items,
        unreadable: unreadable.to_vec(),
    }
}
