//! Progress: red statuses need mitigation, completed work a completion date,
//! and running plans fresh updates.

use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Progress, Rag, WorkStatus};
use crate::resolve;

fn update(id: &str, progress: &Progress, diags: &mut Diagnostics) {
    if progress.rag == Some(Rag::Red) && progress.mitigation.is_none() {
        diags.push(
            Diagnostic::new(
                Code::RedWithoutMitigation,
                progress.span,
                format!(
                    "`{id}` is rated red on {} with no mitigation",
                    progress.date.value.display()
                ),
            )
            .label("red, with nothing said about it")
            .help("add `mitigation:` saying what is being done to bring it back on track"),
        );
    }
    if progress.status == Some(WorkStatus::Complete) && progress.completed.is_none() {
        diags.push(
            Diagnostic::new(
                Code::CompleteWithoutDate,
                progress.span,
                format!("`{id}` is marked complete without a completion date"),
            )
            .label("complete, but when?")
            .help("add `completed:` with the date the work finished, e.g. `completed: 2008-07-04`"),
        );
    }
}

pub fn check(cx: &Context, diags: &mut Diagnostics) {
    for (_, _, activity) in resolve::activities(cx.plan) {
        let id = &activity.id.value;
        let updates: Vec<&Progress> = activity
            .progress
            .iter()
            .chain(activity.actions.iter().flat_map(|a| &a.progress))
            .collect();
        for progress in &updates {
            update(id, progress, diags);
        }
        stale(cx, activity, &updates, diags);
    }
}

/// In a plan running on the as-of date, the newest update must be no older
/// than the review interval.
fn stale(
    cx: &Context,
    activity: &crate::model::Activity,
    updates: &[&Progress],
    diags: &mut Diagnostics,
) {
    let (Some(period), Some(interval)) = (&cx.plan.period, cx.plan.review_interval) else {
        return;
    };
    let running = period.start.value.first <= cx.as_of && cx.as_of <= period.end.value.last;
    if !running {
        return;
    }
    let newest = updates.iter().map(|p| p.date.value.last).max();
    let since = newest.unwrap_or(period.start.value.first);
    let Ok(due) = since.checked_add(jiff::Span::new().months(interval.months())) else {
        return;
    };
    if due >= cx.as_of {
        return;
    }
    let what = match newest {
        Some(date) => format!("was last updated on {date}"),
        None => "has had no progress update since the plan started".to_string(),
    };
    diags.push(
        Diagnostic::new(
            Code::StaleStatus,
            activity.id.span,
            format!(
                "`{}` {what}; an update was due by {due} (reviews are every {} month{})",
                activity.id.value,
                interval.months(),
                if interval.months() == 1 { "" } else { "s" }
            ),
        )
        .label("status out of date")
        .help(format!(
            "add a progress update dated on or before {} with the current RAG status",
            cx.as_of
        )),
    );
}
