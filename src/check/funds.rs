//! Funds: sources against allocations, stated totals against computed ones,
//! breakdowns, phasing, split funding, restrictions and TBC costs.

use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::figures::{ActivityFigures, Sum};
use crate::model::{CostKind, Located, Stated};
use crate::money::{Money, format_gbp};
use crate::resolve;
use crate::source::Span;

pub fn check(cx: &Context, diags: &mut Diagnostics) {
    sources(cx, diags);
    unfunded(cx, diags);
    double_counts(cx, diags);
    stated_totals(cx, diags);
    costs(cx, diags);
    tbc(cx, diags);
}

fn sources(cx: &Context, diags: &mut Diagnostics) {
    for source in &cx.figures.sources {
        let Some(available) = source.available else {
            continue;
        };
        // Amounts that could not be read only add to what is drawn: what
        // is known already over-allocates, or it is not yet known.
        let known = source.allocated.known();
        let unreadable = source.allocated.unreadable();
        if known > available {
            diags.push(
                Diagnostic::new(
                    Code::OverAllocated,
                    source.span,
                    format!(
                        "funding source `{}` is over-allocated: {}{} allocated of {} available",
                        source.id,
                        if unreadable > 0 { "at least " } else { "" },
                        format_gbp(known),
                        format_gbp(available)
                    ),
                )
                .label(format!(
                    "{} more is allocated than this source holds",
                    format_gbp(known - available)
                ))
                .help("reduce the costs drawn from this source, move some to another source, or correct its amount"),
            );
        } else if known < available && unreadable == 0 {
            let mut d = Diagnostic::new(
                Code::Unallocated,
                source.span,
                format!(
                    "funding source `{}` has {} unallocated: {} allocated of {} available",
                    source.id,
                    format_gbp(available - known),
                    format_gbp(known),
                    format_gbp(available)
                ),
            )
            .label(format!("{} not allocated", format_gbp(available - known)))
            .help("allocate the rest to activities, or reduce the source's amount");
            if cx.plan.must_balance {
                // A plan that must balance and does not is a funds error no
                // level can quiet.
                d = d
                    .severity(Severity::Error)
                    .locked()
                    .with_secondary(cx.plan.header_span, "the plan says `must_balance: true`");
            } else {
                d = d.severity(Severity::Warning);
            }
            diags.push(d);
        }
    }
}

/// Costs that draw on no source, in a plan whose sources state what they
/// hold: money spent that no source covers.
fn unfunded(cx: &Context, diags: &mut Diagnostics) {
    let figures = cx.figures;
    if figures.availability.sources_stated == 0 {
        return;
    }
    let unsourced = &figures.unsourced;
    let known = unsourced.known();
    if known <= Money::ZERO && unsourced.unreadable() == 0 {
        return;
    }
    let ids: Vec<&str> = unsourced
        .parts
        .iter()
        .map(|p| figures.activities[p.activity].id.as_str())
        .collect();
    let Some(first) = unsourced.parts.first() else {
        return;
    };
    let mut d = Diagnostic::new(
        Code::UnfundedCosts,
        figures.activities[first.activity].span,
        format!(
            "{} of plan `{}` draw{} on no funding source: {} not covered by the {} its sources state",
            if ids.len() == 1 {
                format!("cost `{}`", ids[0])
            } else {
                format!("{} costs ({})", ids.len(), ids.join(", "))
            },
            cx.plan.id.value,
            if ids.len() == 1 { "s" } else { "" },
            format_gbp(known),
            format_gbp(figures.availability.stated)
        ),
    )
    .label("no `source` here, on its priority or section, nor a `default_source`")
    .help("name the source that pays (`cost: { amount: ..., source: <id> }`, or `source:` on the priority or section), or add the source that does");
    // Spending more than the plan has is an error; so is any money no
    // source covers in a plan that must balance.
    let overspent = figures.unallocated.is_some_and(|u| u < Money::ZERO);
    if overspent {
        d = d.severity(Severity::Error).with_secondary(
            cx.plan.header_span,
            format!(
                "the plan spends {} more than its sources hold",
                format_gbp(-figures.unallocated.unwrap_or_default())
            ),
        );
    } else if cx.plan.must_balance {
        d = d
            .severity(Severity::Error)
            .with_secondary(cx.plan.header_span, "the plan says `must_balance: true`");
    }
    diags.push(d);
}

/// Two activities with one amount and the same lead or partners, and
/// titles alike (or both lead and partners the same): probably one budget
/// written twice. Activities are grouped by amount, so only those with
/// equal amounts are compared.
fn double_counts(cx: &Context, diags: &mut Diagnostics) {
    let mut by_amount: std::collections::BTreeMap<Money, Vec<&crate::model::Activity>> =
        std::collections::BTreeMap::new();
    for (_, _, activity) in resolve::activities(cx.plan) {
        if let Some(CostKind::Amount(amount)) = activity.cost.as_ref().map(|c| &c.kind)
            && amount.value > Money::ZERO
        {
            by_amount.entry(amount.value).or_default().push(activity);
        }
    }
    fn partners(a: &crate::model::Activity) -> Vec<&str> {
        let mut ids: Vec<&str> = a.partners.iter().map(|p| p.id.value.as_str()).collect();
        ids.sort_unstable();
        ids
    }
    for (amount, group) in by_amount {
        // Past a few dozen equal amounts (a plan of £580 activities), the
        // pairs are too many to mean anything.
        if group.len() < 2 || group.len() > 50 {
            continue;
        }
        for (i, later) in group.iter().enumerate().skip(1) {
            let found = group[..i].iter().find(|earlier| {
                let same_lead = later.lead.is_some()
                    && later.lead.as_deref().map(str::to_lowercase)
                        == earlier.lead.as_deref().map(str::to_lowercase);
                let same_partners =
                    !later.partners.is_empty() && partners(later) == partners(earlier);
                let (common, shorter) = crate::suggest::words_in_common(
                    &crate::suggest::title_words(&later.title),
                    &crate::suggest::title_words(&earlier.title),
                );
                let alike = shorter > 0 && common * 2 >= shorter;
                (same_lead && same_partners) || ((same_lead || same_partners) && alike)
            });
            if let Some(earlier) = found {
                diags.push(
                    Diagnostic::new(
                        Code::ProbableDoubleCount,
                        later.id.span,
                        format!(
                            "`{}` and `{}` both cost {} with the same lead or partners: probably one budget written twice",
                            earlier.id.value,
                            later.id.value,
                            format_gbp(amount)
                        ),
                    )
                    .label("the second")
                    .with_secondary(earlier.id.span, "the first")
                    .help(format!(
                        "if it is one budget, keep the amount on one and write `cost: {{ see: \"{}\" }}` on the other; if they are two, say so in each description",
                        earlier.id.value
                    )),
                );
            }
        }
    }
}

/// Compares a total typed into the plan with the computed one; when they
/// differ, points at the costs that may make the difference (`parts`:
/// the activities the total adds up, when it adds up activities).
fn compare(
    what: &str,
    stated: &Located<Stated>,
    computed: Money,
    parts: Option<(&Sum, &[ActivityFigures])>,
    tbc_count: usize,
    diags: &mut Diagnostics,
) {
    let mismatch = match &stated.value {
        Stated::Amount(amount) if *amount != computed => Some(format!(
            "{what} is stated as {} but adds up to {}",
            format_gbp(*amount),
            format_gbp(computed)
        )),
        Stated::Tbc if !computed.is_zero() || tbc_count == 0 => Some(format!(
            "{what} is stated as TBC but its costs add up to {}",
            format_gbp(computed)
        )),
        _ => None,
    };
    let Some(message) = mismatch else { return };
    let difference = match &stated.value {
        Stated::Amount(amount) => format!(
            "stated {}, computed {} (a difference of {})",
            format_gbp(*amount),
            format_gbp(computed),
            format_gbp((*amount - computed).abs())
        ),
        Stated::Tbc => format!("stated TBC, computed {}", format_gbp(computed)),
    };
    let mut diagnostic = Diagnostic::new(Code::StatedTotalMismatch, stated.span, message)
        .label(difference)
        .help("correct the stated total, or the cost that makes the difference");
    if let (Stated::Amount(amount), Some((sum, activities))) = (&stated.value, parts) {
        let costs: Vec<(&ActivityFigures, Money, Span)> = sum
            .parts
            .iter()
            .filter_map(|p| {
                let a = &activities[p.activity];
                Some((a, p.amount?, a.amount_span?))
            })
            .collect();
        let (labels, help) = suspects(*amount, computed, &costs);
        for (span, text) in labels {
            diagnostic = diagnostic.with_secondary(span, text);
        }
        if let Some(help) = help {
            diagnostic = diagnostic.help(help);
        }
    }
    diags.push(diagnostic);
}

/// Most costs a label each, or the few that may make the difference.
const MAX_LABELLED_COSTS: usize = 8;

/// The costs that may explain a stated total's difference: one that is the
/// difference itself (counted when it should not be), one whose digits are
/// one slip from the amount that would balance (`45000` for `4500`), or,
/// failing those, every cost that makes the total when there are few.
fn suspects(
    stated: Money,
    computed: Money,
    costs: &[(&ActivityFigures, Money, Span)],
) -> (Vec<(Span, String)>, Option<String>) {
    let excess = computed - stated;
    let mut labels = Vec::new();
    for (activity, amount, span) in costs {
        let balancing = *amount - excess;
        if *amount == excess.abs() && excess > Money::ZERO {
            labels.push((
                *span,
                format!(
                    "{} ({}) is exactly the difference: is it counted here by mistake?",
                    activity.id,
                    format_gbp(*amount)
                ),
            ));
        } else if balancing > Money::ZERO && one_slip_apart(*amount, balancing) {
            labels.push((
                *span,
                format!(
                    "{} is {}: with {} the total would match",
                    activity.id,
                    format_gbp(*amount),
                    format_gbp(balancing)
                ),
            ));
        }
    }
    if !labels.is_empty() {
        let help = "check the marked cost against the source plan; correct it, or the stated total";
        return (labels, Some(help.into()));
    }
    if costs.len() <= MAX_LABELLED_COSTS {
        let labels = costs
            .iter()
            .map(|(activity, amount, span)| {
                (*span, format!("{}: {}", activity.id, format_gbp(*amount)))
            })
            .collect();
        return (labels, None);
    }
    (
        Vec::new(),
        Some(format!(
            "correct the stated total, or the cost that makes the difference: `planc summary` \
             and the HTML's unfolding totals list the {} costs it adds up",
            costs.len()
        )),
    )
}

/// Whether two amounts' digits are one typing slip apart: one digit
/// changed, added or dropped, or two neighbours swapped.
fn one_slip_apart(a: Money, b: Money) -> bool {
    let digits = |m: Money| -> Vec<char> {
        crate::money::format_plain(m)
            .trim_end_matches(".00")
            .chars()
            .filter(char::is_ascii_digit)
            .collect()
    };
    let (a, b) = (digits(a), digits(b));
    if a == b {
        return false;
    }
    match a.len().abs_diff(b.len()) {
        0 => {
            let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match differ.as_slice() {
                [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 => {
            let (long, short) = if a.len() > b.len() {
                (&a, &b)
            } else {
                (&b, &a)
            };
            (0..long.len()).any(|skip| {
                long.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != skip)
                    .map(|(_, c)| c)
                    .eq(short.iter())
            })
        }
        _ => false,
    }
}

fn stated_totals(cx: &Context, diags: &mut Diagnostics) {
    let figures = cx.figures;
    let stated = &cx.plan.stated;
    let availability = &figures.availability;
    // With some sources stating no amount, the sources' sum is not the
    // plan's funds, nor what is left of them: said so, rather than compared.
    if availability.partial() && availability.unreadable == 0 {
        for (what, s) in [
            ("total funds", &stated.funds),
            ("unallocated funds", &stated.unallocated),
        ] {
            let Some(s) = s else { continue };
            diags.push(
                Diagnostic::new(
                    Code::StatedTotalMismatch,
                    s.span,
                    format!(
                        "the plan's {what} are stated, but only {} of its {} sources state an amount ({} between them)",
                        availability.sources_stated,
                        availability.sources,
                        format_gbp(availability.stated)
                    ),
                )
                .label("cannot be checked")
                .help("give every source its `amount`, so that the stated total can be checked"),
            );
        }
    }
    // A computed total with a part that could not be read is unknown: the
    // error at that part says so, and nothing is compared with it.
    let activities = figures.activities.as_slice();
    let mut check = |what: &str,
                     s: &Option<Located<Stated>>,
                     computed: Option<Money>,
                     sum: Option<&Sum>,
                     tbc| {
        if let (Some(s), Some(computed)) = (s, computed) {
            compare(
                what,
                s,
                computed,
                sum.map(|sum| (sum, activities)),
                tbc,
                diags,
            );
        }
    };
    let available =
        (availability.unreadable == 0 && !availability.partial()).then_some(availability.stated);
    check("the plan's total funds", &stated.funds, available, None, 0);
    check(
        "the plan's total allocated",
        &stated.allocated,
        figures.allocated.value(),
        Some(&figures.allocated),
        0,
    );
    check(
        "the plan's unallocated funds",
        &stated.unallocated,
        figures
            .unallocated
            .or((availability.sources_stated == 0).then_some(Money::ZERO)),
        None,
        0,
    );
    check(
        "the plan's countywide total",
        &stated.countywide,
        figures.countywide.value(),
        Some(&figures.countywide),
        0,
    );
    for (section, section_figures) in cx.plan.sections.iter().zip(&figures.sections) {
        let what = format!("the total of section `{}`", section.id.value);
        check(
            &what,
            &section.stated_total,
            section_figures.total.value(),
            Some(&section_figures.total),
            section_figures.tbc,
        );
        for (priority, priority_figures) in
            section.priorities.iter().zip(&section_figures.priorities)
        {
            let what = format!("the total of `{}`", priority.id.value);
            check(
                &what,
                &priority.stated_total,
                priority_figures.total.value(),
                Some(&priority_figures.total),
                priority_figures.tbc,
            );
        }
    }
}

fn costs(cx: &Context, diags: &mut Diagnostics) {
    for (section, priority, activity) in resolve::activities(cx.plan) {
        let Some(cost) = &activity.cost else { continue };
        let CostKind::Amount(amount) = &cost.kind else {
            continue;
        };
        let id = &activity.id.value;
        // A breakdown with a line that cannot be read is reported there.
        if !cost.lines.is_empty() && !cost.incomplete {
            let sum: Money = cost.lines.iter().map(|l| l.amount.value).sum();
            if sum != amount.value {
                diags.push(
                    Diagnostic::new(
                        Code::BreakdownMismatch,
                        amount.span,
                        format!(
                            "the cost lines of `{id}` add up to {}, not its cost of {}",
                            format_gbp(sum),
                            format_gbp(amount.value)
                        ),
                    )
                    .label(format!(
                        "cost {}, lines {}",
                        format_gbp(amount.value),
                        format_gbp(sum)
                    ))
                    .help("correct a line or the cost so that they agree"),
                );
            }
        }
        if !cost.phasing.is_empty() && !cost.incomplete {
            let sum: Money = cost.phasing.iter().map(|p| p.amount.value).sum();
            if sum != amount.value {
                let first = cost.phasing[0].year.span;
                diags.push(
                    Diagnostic::new(
                        Code::PhasingMismatch,
                        amount.span,
                        format!(
                            "the yearly phasing of `{id}` adds up to {}, not its cost of {}",
                            format_gbp(sum),
                            format_gbp(amount.value)
                        ),
                    )
                    .label(format!(
                        "cost {}, phasing {}",
                        format_gbp(amount.value),
                        format_gbp(sum)
                    ))
                    .with_secondary(first, "phasing starts here")
                    .help("correct a year's amount or the cost so that they agree"),
                );
            }
        }
        if !cost.shares.is_empty() {
            let sum: Money = cost.shares.iter().map(|s| s.amount.value).sum();
            if sum != amount.value {
                diags.push(
                    Diagnostic::new(
                        Code::SplitFundingMismatch,
                        amount.span,
                        format!(
                            "the sources of `{id}` pay {}, not its cost of {}",
                            format_gbp(sum),
                            format_gbp(amount.value)
                        ),
                    )
                    .label(format!(
                        "cost {}, sources {}",
                        format_gbp(amount.value),
                        format_gbp(sum)
                    ))
                    .help("correct a source's share or the cost so that they agree"),
                );
            }
        }
        let drawn: Vec<&crate::model::Id> = if cost.shares.is_empty() {
            resolve::effective_source(cx.plan, section, priority, cost)
                .into_iter()
                .collect()
        } else {
            cost.shares.iter().map(|s| &s.source).collect()
        };
        for source_id in drawn {
            let Some(&i) = cx.index.sources.get(&source_id.value) else {
                continue;
            };
            let source = &cx.plan.sources[i];
            if source.restricted_to.is_empty() {
                continue;
            }
            let allowed = source.restricted_to.iter().any(|t| {
                t.value == activity.id.value
                    || t.value == priority.id.value
                    || t.value == section.id.value
            });
            if !allowed {
                let names =
                    crate::suggest::listed(source.restricted_to.iter().map(|t| t.value.as_str()));
                diags.push(
                    Diagnostic::new(
                        Code::RestrictedFunds,
                        source_id.span,
                        format!(
                            "`{id}` is paid from `{}`, which may pay only for {}",
                            source.id.value, names
                        ),
                    )
                    .label("restricted source")
                    .with_secondary(source.id.span, "restriction declared with this source")
                    .help("pay for this activity from an unrestricted source"),
                );
            }
        }
    }
}

fn tbc(cx: &Context, diags: &mut Diagnostics) {
    let ids = cx.figures.tbc_ids();
    if ids.is_empty() {
        return;
    }
    let first = cx
        .figures
        .activities
        .iter()
        .find(|a| a.tbc)
        .map_or(cx.plan.header_span, |a| a.span);
    diags.push(
        Diagnostic::new(
            Code::CostsToBeConfirmed,
            first,
            format!(
                "plan `{}` has {} cost{} to be confirmed: {}",
                cx.plan.id.value,
                ids.len(),
                if ids.len() == 1 { "" } else { "s" },
                ids.join(", ")
            ),
        )
        .label("first cost to be confirmed")
        .help("replace `tbc` with amounts when they are known; totals leave them out until then"),
    );
}
