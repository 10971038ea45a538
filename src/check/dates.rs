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
        milestones_after_deadline(activity, timescale, diags);
        let Some(p) = period else { continue };
        // Work wholly outside the plan's period: the plan cannot fund it.
        if let Some(end) = &timescale.end
            && end.value.last < p.start.value.first
        {
            wholly_outside(
                &what,
                end,
                "ends",
                "before the plan starts",
                &p.start,
                diags,
            );
            continue;
        }
        if let Some(start) = &timescale.start
            && start.value.first > p.end.value.last
        {
            wholly_outside(&what, start, "starts", "after the plan ends", &p.end, diags);
            continue;
        }
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

fn wholly_outside(
    what: &str,
    date: &Located<DateSpec>,
    verb: &str,
    relation: &str,
    bound: &Located<DateSpec>,
    diags: &mut Diagnostics,
) {
    diags.push(
        Diagnostic::new(
            Code::WhollyOutsidePeriod,
            date.span,
            format!(
                "{what} {verb} in {}, {relation} ({})",
                date.value.display(),
                bound.value.display()
            ),
        )
        .label("wholly outside the plan's period")
        .with_secondary(bound.span, "the plan's period")
        .help("check the year: the plan cannot fund work that is over before it starts, or starts after it ends"),
    );
}

/// Months written in plan text: `December 2011`, `Dec 2011`, `Sept 2010`.
fn months_in(text: &str) -> Vec<(usize, DateSpec)> {
    // Most texts name no year: that is seen before their words are split.
    let mut digits = 0;
    let names_a_year = text.bytes().any(|b| {
        digits = if b.is_ascii_digit() { digits + 1 } else { 0 };
        digits == 4
    });
    if !names_a_year {
        return Vec::new();
    }
    let words: Vec<(usize, &str)> = text
        .split_inclusive(|c: char| {
            c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')'
        })
        .scan(0, |at, w| {
            let start = *at;
            *at += w.len();
            Some((start, w.trim_matches(|c: char| !c.is_alphanumeric())))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    words
        .windows(2)
        .filter(|pair| pair[0].1.chars().next().is_some_and(char::is_alphabetic))
        .filter(|pair| pair[1].1.len() == 4 && pair[1].1.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|pair| {
            let spec = crate::date::parse(&format!("{} {}", pair[0].1, pair[1].1)).ok()?;
            (spec.precision == crate::date::Precision::Month).then_some((pair[0].0, spec))
        })
        .collect()
}

/// Milestones and targets in an activity's measures or description later
/// than its own deadline: "a further 51 schools by December 2011" in an
/// action due in January 2011.
fn milestones_after_deadline(
    activity: &crate::model::Activity,
    timescale: &crate::model::Timescale,
    diags: &mut Diagnostics,
) {
    let Some(deadline) = &timescale.end else {
        return;
    };
    let texts = activity
        .success_measures
        .iter()
        .chain(activity.description.iter());
    let late: Vec<String> = texts
        .flat_map(|t| months_in(t))
        .filter(|(_, month)| month.first > deadline.value.last)
        .map(|(_, month)| month.display())
        .collect();
    let Some(latest) = late.last() else {
        return;
    };
    let mut seen: Vec<&String> = Vec::new();
    for month in &late {
        if !seen.contains(&month) {
            seen.push(month);
        }
    }
    let listed: Vec<&str> = seen.iter().map(|s| s.as_str()).collect();
    diags.push(
        Diagnostic::new(
            Code::MilestoneAfterDeadline,
            deadline.span,
            format!(
                "`{}` is due by {}, but its measures name {} as a milestone or target",
                activity.id.value,
                deadline.value.display(),
                listed.join(", ")
            ),
        )
        .label(format!("deadline before {latest}"))
        .with_secondary(activity.id.span, "the activity")
        .help("move the deadline to the last milestone, or correct the milestone's date"),
    );
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
