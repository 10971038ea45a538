//! Check: the rules, one module per family. Checks read the model, the index
//! and the computed figures, and push diagnostics; they never print.

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
    let levels: Vec<(Code, Level)> = repository
        .iter()
        .chain(&plan.checks)
        .filter_map(|(id, level)| Code::from_id(&id.value).map(|c| (c, *level)))
        .collect();
    if levels.is_empty() {
        return;
    }
    let level_of = |code: Code| {
        levels
            .iter()
            .rev()
            .find(|(c, _)| *c == code)
            .map(|(_, l)| *l)
    };
    let adjustable =
        |d: &crate::diagnostic::Diagnostic| !d.locked && plan.files.contains(&d.primary.span.file);
    diags.retain(|d| !(adjustable(d) && level_of(d.code) == Some(Level::Allow)));
    for d in diags.iter_mut() {
        if !adjustable(d) {
            continue;
        }
        d.severity = match level_of(d.code) {
            Some(Level::Error) => Severity::Error,
            Some(Level::Warning) => Severity::Warning,
            Some(Level::Note) => Severity::Note,
            Some(Level::Allow) | None => d.severity,
        };
    }
}
