//! Dates: periods that end before they start, and timescales outside the
//! plan's period.

use super::Context;
use crate::codes::Code;
use crate::date::DateSpec;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Located;
use crate::resolve;

fn end_before_start(
    what: &str,
    start: &Located<DateSpec>,
    end: &Located<DateSpec>,
    diags: &mut Diagnostics,
) {
    if end.value.last < start.value.first {
        diags.push(
            Diagnostic::new(
                Code::EndBeforeStart,
                end.span,
                format!(
                    "{what} ends ({}) before it starts ({})",
                    end.value.display(),
                    start.value.display()
                ),
            )
            .label("end")
            .with_secondary(start.span, "start")
            .help("swap the dates, or correct the year"),
        );
    }
}

pub fn check(cx: &Context, diags: &mut Diagnostics) {
    let period = cx.plan.period.as_ref();
    if let Some(p) = period {
        end_before_start("the plan's period", &p.start, &p.end, diags);
    }
    for (_, _, activity) in resolve::activities(cx.plan) {
        let Some(timescale) = &activity.timescale else {
            continue;
        };
        let what = format!("the timescale of `{}`", activity.id.value);
        if let (Some(start), Some(end)) = (&timescale.start, &timescale.end) {
            end_before_start(&what, start, end, diags);
        }
        let Some(p) = period else { continue };
        if let Some(start) = &timescale.start
            && start.value.first < p.start.value.first
        {
            outside(
                &what,
                start,
                "starts",
                "before the plan starts",
                &p.start,
                diags,
            );
        }
        if let Some(end) = &timescale.end
            && end.value.last > p.end.value.last
        {
            outside(&what, end, "ends", "after the plan ends", &p.end, diags);
        }
    }
}

fn outside(
    what: &str,
    date: &Located<DateSpec>,
    verb: &str,
    relation: &str,
    bound: &Located<DateSpec>,
    diags: &mut Diagnostics,
) {
    let (label, secondary, help) = if verb == "starts" {
        (
            "before the plan's period",
            "the plan starts here",
            "check the year; work before the plan starts cannot be funded by it",
        )
    } else {
        (
            "after the plan's period",
            "the plan ends here",
            "check the year, or record the rest as a further action beyond the plan",
        )
    };
    diags.push(
        Diagnostic::new(
            Code::OutsidePeriod,
            date.span,
            format!(
                "{what} {verb} in {}, {relation} ({})",
                date.value.display(),
                bound.value.display()
            ),
        )
        .label(label)
        .with_secondary(bound.span, secondary)
        .help(help),
    );
}
