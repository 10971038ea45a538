//! Across plans: items several plans share. A shared id names one item with
//! one figure; countywide items that look alike but are not linked would be
//! counted once per plan, so they are pointed out with both places.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::codes::Code;
use crate::compile::CompiledPlan;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::framework::normalise;
use crate::model::{Activity, CostKind, PlanKind, Scope, SharedItem};
use crate::money::{Money, format_gbp};
use crate::resolve;
use crate::source::Span;
use crate::suggest;

/// One activity of one plan, as the cross-plan checks see it.
struct Item<'a> {
    /// Which plan, by position: plans may share an id (X005).
    index: usize,
    plan: &'a str,
    kind: PlanKind,
    activity: &'a Activity,
    scope: Scope,
    amount: Option<(Money, Span)>,
}

/// The activities the checks across plans look at: those citing a shared
/// id, and countywide ones.
fn items(plans: &[Arc<CompiledPlan>]) -> Vec<Item<'_>> {
    plans
        .iter()
        .enumerate()
        .flat_map(|(index, c)| {
            resolve::activities(&c.plan)
                .filter(|(section, _, activity)| {
                    activity.shared.is_some() || section.scope == Scope::Countywide
                })
                .map(move |(section, _, activity)| Item {
                    index,
                    plan: c.plan.id.value.as_str(),
                    kind: c.plan.kind,
                    activity,
                    scope: section.scope,
                    amount: match activity.cost.as_ref().map(|c| &c.kind) {
                        Some(CostKind::Amount(a)) => Some((a.value, a.span)),
                        _ => None,
                    },
                })
        })
        .collect()
}

pub fn check(plans: &[Arc<CompiledPlan>], register: &[SharedItem], diags: &mut Diagnostics) {
    duplicate_plans(plans, diags);
    let items = items(plans);
    linked(&items, register, diags);
    look_alikes(&items, diags);
}

/// Two plans with one id: their rows in the CSV files and the roll-up could
/// not be told apart.
fn duplicate_plans(plans: &[Arc<CompiledPlan>], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for compiled in plans {
        let id = &compiled.plan.id;
        match seen.get(id.value.as_str()) {
            Some(first) => diags.push(
                Diagnostic::new(
                    Code::DuplicatePlanId,
                    id.span,
                    format!("two plans have the id `{}`", id.value),
                )
                .label("second plan with this id")
                .with_secondary(*first, "first plan with this id")
                .help("give each plan its own id: reports and spreadsheets name plans by it"),
            ),
            None => {
                seen.insert(id.value.as_str(), id.span);
            }
        }
    }
}

/// Items citing a shared id: declared, cited once per plan, with one figure.
fn linked(items: &[Item], register: &[SharedItem], diags: &mut Diagnostics) {
    // Ids are compared without case or spacing: `Coh` is `coh`.
    let declared: BTreeMap<String, &SharedItem> = register
        .iter()
        .map(|s| (normalise(&s.id.value), s))
        .collect();
    let declared_names: Vec<&str> = register.iter().map(|s| s.id.value.as_str()).collect();
    // The first citation of each id, and of each id in each plan.
    let mut first: BTreeMap<String, &Item> = BTreeMap::new();
    let mut in_plan: BTreeSet<(usize, String)> = BTreeSet::new();
    for item in items {
        let Some(id) = &item.activity.shared else {
            continue;
        };
        let name = id.value.as_str();
        let key = normalise(name);
        if !register.is_empty() && !declared.contains_key(&key) {
            let mut d = Diagnostic::new(
                Code::UnknownSharedItem,
                id.span,
                format!("`{name}` is not in the register of shared items"),
            )
            .label("not declared in planc.toml's `[[shared]]`");
            d = match suggest::nearest(name, declared_names.iter().copied()) {
                Some(near) => d.help(format!("did you mean `{near}`?")).with_secondary(
                    declared[&normalise(near)].id.span,
                    format!("`{near}` is declared here"),
                ),
                None => d.help(format!(
                    "declare it in planc.toml: [[shared]] id = \"{name}\", title, amount"
                )),
            };
            diags.push(d);
            continue;
        }
        if !in_plan.insert((item.index, key.clone())) {
            let earlier = items
                .iter()
                .find(|i| {
                    i.index == item.index
                        && i.activity
                            .shared
                            .as_ref()
                            .is_some_and(|s| normalise(&s.value) == key)
                })
                .map_or(id.span, |i| i.activity.id.span);
            diags.push(
                Diagnostic::new(
                    Code::SharedItemRepeated,
                    id.span,
                    format!(
                        "plan `{}` cites shared item `{name}` twice",
                        item.plan
                    ),
                )
                .label("second citation")
                .with_secondary(earlier, "first citation in this plan")
                .help("a shared id names one item: remove it from the activity that is a different item"),
            );
            continue;
        }
        // A countywide item is one county figure that every plan restates;
        // a plan's own money in a shared project is its own contribution.
        let Some((amount, span)) = item.amount.filter(|_| item.scope == Scope::Countywide) else {
            continue;
        };
        let expected = match declared.get(&key).and_then(|s| s.amount.as_ref()) {
            Some(stated) => Some((stated.value, stated.span, "the register".to_string())),
            None => first
                .get(&key)
                .and_then(|f| f.amount.map(|(a, s)| (a, s, format!("plan `{}`", f.plan)))),
        };
        if let Some((figure, figure_span, whose)) = expected
            && figure != amount
        {
            diags.push(
                Diagnostic::new(
                    Code::SharedFigureMismatch,
                    span,
                    format!(
                        "shared item `{name}` costs {} in plan `{}` but {} in {whose}",
                        format_gbp(amount),
                        item.plan,
                        format_gbp(figure)
                    ),
                )
                .label(format!("{} here", format_gbp(amount)))
                .with_secondary(figure_span, format!("{} in {whose}", format_gbp(figure)))
                .help("a shared item has one figure: correct this cost, or the other figure if it is the wrong one"),
            );
        }
        first.entry(key).or_insert(item);
    }
}

/// The most look-alike groups kept for one amount.
const MAX_GROUPS: usize = 200;

/// Close titles: most words of the shorter title are in the longer one.
fn close(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let (common, shorter) = suggest::words_in_common(a, b);
    shorter > 0 && common * 3 >= shorter * 2
}

/// Countywide items without a shared id that look like an item of another
/// plan: same amount, close titles. Each is reported once, against the
/// first such item of an earlier plan. Items are grouped by amount and each
/// compared with one representative per look-alike group, so the work
/// grows with the number of items, not its square.
fn look_alikes(items: &[Item], diags: &mut Diagnostics) {
    struct Representative<'a> {
        item: &'a Item<'a>,
        words: BTreeSet<String>,
    }
    let mut by_amount: BTreeMap<(bool, Money), Vec<Representative>> = BTreeMap::new();
    for item in items {
        if item.scope != Scope::Countywide {
            continue;
        }
        let Some((amount, _)) = item.amount else {
            continue;
        };
        let words = suggest::title_words(&item.activity.title);
        // Plans of different kinds are never added together.
        let group = by_amount
            .entry((item.kind == PlanKind::County, amount))
            .or_default();
        let found = group
            .iter()
            .find(|r| r.item.plan != item.plan && close(&r.words, &words));
        let Some(earlier) = found else {
            // Only an item of a new look-alike group needs to be compared
            // with again, and only so many groups per amount: past them,
            // items that all differ are not compared (bounded work).
            if group.len() < MAX_GROUPS && !group.iter().any(|r| close(&r.words, &words)) {
                group.push(Representative { item, words });
            }
            continue;
        };
        let (ours, theirs) = (&item.activity.shared, &earlier.item.activity.shared);
        if ours.is_some() && theirs.is_some() {
            continue;
        }
        let suggestion = theirs
            .as_ref()
            .or(ours.as_ref())
            .map_or_else(|| slug(&earlier.item.activity.title), |s| s.value.clone());
        diags.push(
            Diagnostic::new(
                Code::UnlinkedSharedItem,
                item.activity.id.span,
                format!(
                    "countywide item `{}` of plan `{}` looks like `{}` of plan `{}` ({} each, close titles) but they are not linked: a roll-up counts it twice",
                    item.activity.id.value,
                    item.plan,
                    earlier.item.activity.id.value,
                    earlier.item.plan,
                    format_gbp(amount)
                ),
            )
            .label("not linked to the item in the other plan")
            .with_secondary(
                earlier.item.activity.id.span,
                format!("the look-alike in plan `{}`", earlier.item.plan),
            )
            .help(format!(
                "if they are one project, add `shared: {suggestion}` to both and declare it under [[shared]] in planc.toml, so that it is counted once; if they are different projects, word their titles apart"
            )),
        );
    }
}

/// An id from a title: its first words, lower case, joined by hyphens.
fn slug(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(4)
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_titles_are_the_same_project_worded_differently() {
        let w = |t: &str| suggest::title_words(t);
        assert!(close(
            &w("Community cohesion strategy"),
            &w("Support a community cohesion strategy so that schools meet the new duty")
        ));
        assert!(close(&w("Transport (north)"), &w("Transport north")));
        assert!(close(
            &w("Develop school leaders as community leaders"),
            &w("School leaders as community leaders")
        ));
        assert!(!close(
            &w("Information areas for parents"),
            &w("Develop school leaders as community leaders")
        ));
        assert!(!close(&w("Transport north"), &w("Transport south")));
        assert_eq!(
            slug("Information areas for parents in schools"),
            "information-areas-for-parents"
        );
    }
}
