//! Check: the rules, one module per family. Checks read the model, the index
//! and the computed figures, and push diagnostics; they never print.

pub mod allow;
mod dates;
mod ecm;
mod funds;
mod progress;
pub mod shared;

use jiff::civil::Date;

use crate::codes::Code;
use crate::diagnostic::{Diagnostics, Severity};
use crate::figures::PlanFigures;
use crate::framework::Framework;
use crate::model::{Id, Level, Plan};
use crate::resolve::Index;

/// What every check can read.
pub struct Context<'a> {
    pub plan: &'a Plan,
    pub index: &'a Index,
    pub figures: &'a PlanFigures,
    pub framework: &'a Framework,
    /// The day status freshness is judged on.
    pub as_of: Date,
}

/// Runs every family of checks on one plan. A field that could not be
/// decoded stops none of them: figures it would have changed are unknown,
/// and the funds checks judge only what is known.
pub fn run(cx: &Context, diags: &mut Diagnostics) {
    funds::check(cx, diags);
    ecm::check(cx, diags);
    dates::check(cx, diags);
    progress::check(cx, diags);
}

/// Applies severities chosen in `planc.toml` and then in the plan's own
/// `checks:` to the diagnostics in the plan's files; `allow` drops them.
pub fn apply_levels(plan: &Plan, repository: &[(Id, Level)], diags: &mut Diagnostics) {
    let codes = |levels: &[(Id, Level)]| -> Vec<(Code, Level)> {
        levels
            .iter()
            .filter_map(|(id, level)| Code::from_id(&id.value).map(|c| (c, *level)))
            .collect()
    };
    let plan_levels = codes(
        &repository
            .iter()
            .chain(&plan.checks)
            .cloned()
            .collect::<Vec<_>>(),
    );
    let priorities: Vec<&crate::model::Priority> =
        plan.sections.iter().flat_map(|s| &s.priorities).collect();
    let has_own_levels = priorities
        .iter()
        .any(|p| !p.checks.is_empty() || p.activities.iter().any(|a| !a.checks.is_empty()));
    if plan_levels.is_empty() && !has_own_levels {
        return;
    }
    // Priorities and activities with levels of their own, innermost last.
    let mut scoped: Vec<(crate::source::Span, Vec<(Code, Level)>)> = Vec::new();
    let extents = match has_own_levels {
        true => plan.extents(),
        false => crate::model::Extents::default(),
    };
    let mut activity_extents = extents.activities.iter();
    for (priority, extent) in priorities.iter().zip(&extents.priorities) {
        if !priority.checks.is_empty() {
            scoped.push((*extent, codes(&priority.checks)));
        }
        for (activity, extent) in priority.activities.iter().zip(activity_extents.by_ref()) {
            if !activity.checks.is_empty() {
                scoped.push((*extent, codes(&activity.checks)));
            }
        }
    }
    let within = |outer: crate::source::Span, inner: crate::source::Span| {
        outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
    };
    // The level set nearest the diagnostic: its activity's, its
    // priority's, the plan's, then the repository's.
    let level_of = |d: &crate::diagnostic::Diagnostic| {
        scoped
            .iter()
            .rev()
            .filter(|(span, _)| within(*span, d.primary.span))
            .find_map(|(_, levels)| levels.iter().rev().find(|(c, _)| *c == d.code))
            .or_else(|| plan_levels.iter().rev().find(|(c, _)| *c == d.code))
            .map(|(_, l)| *l)
    };
    let adjustable =
        |d: &crate::diagnostic::Diagnostic| !d.locked && plan.files.contains(&d.primary.span.file);
    diags.retain(|d| !(adjustable(d) && level_of(d) == Some(Level::Allow)));
    for d in diags.iter_mut() {
        if !adjustable(d) {
            continue;
        }
        d.severity = match level_of(d) {
            Some(Level::Error) => Severity::Error,
            Some(Level::Warning) => Severity::Warning,
            Some(Level::Note) => Severity::Note,
            Some(Level::Allow) | None => d.severity,
        };
    }
}
