//! Every Child Matters: outcome names, judgement codes and their titles,
//! cross-references, coverage of outcomes and of the core offer, aims and
//! National Indicators.

use std::collections::{BTreeSet, HashMap};

use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::figures;
use crate::framework::title_similarity;
use crate::model::{CoreOffer, Id, Located};
use crate::resolve;
use crate::source::Span;
use crate::suggest;

pub fn check(cx: &Context, diags: &mut Diagnostics) {
    outcome_names(cx, diags);
    judgements(cx, diags);
    cross_references(cx, diags);
    coverage(cx, diags);
    aims(cx, diags);
    national_indicators(cx, diags);
}

fn outcome_name(cx: &Context, name: &Id, diags: &mut Diagnostics) {
    if cx.framework.outcome(&name.value).is_some() {
        return;
    }
    let names = cx.framework.outcome_names();
    let mut d = Diagnostic::new(
        Code::UnknownOutcome,
        name.span,
        format!("`{}` is not an Every Child Matters outcome", name.value),
    );
    d = match suggest::nearest(&name.value, names.iter().copied()) {
        Some(near) => d.label(format!("did you mean `{near}`?")),
        None => d.label("unknown outcome"),
    };
    let keys: Vec<&str> = cx
        .framework
        .outcomes
        .iter()
        .map(|o| o.key.as_str())
        .collect();
    diags.push(d.help(format!("name an outcome by key: {}", keys.join(", "))));
}

fn outcome_names(cx: &Context, diags: &mut Diagnostics) {
    for section in &cx.plan.sections {
        if let Some(name) = &section.outcome {
            outcome_name(cx, name, diags);
        }
        for priority in &section.priorities {
            if let Some(name) = &priority.outcome {
                outcome_name(cx, name, diags);
            }
            for cross in &priority.cross_references {
                outcome_name(cx, &cross.outcome, diags);
            }
            for action in &priority.further_actions {
                for name in &action.outcomes {
                    outcome_name(cx, name, diags);
                }
            }
            for activity in &priority.activities {
                for name in &activity.serves {
                    outcome_name(cx, name, diags);
                }
            }
        }
    }
}

fn judgements(cx: &Context, diags: &mut Diagnostics) {
    // Code → the first title the plan gives it. Titles that share most of
    // their words are the same title worded differently.
    let mut titles: HashMap<String, &Located<String>> = HashMap::new();
    for (_, _, activity) in resolve::activities(cx.plan) {
        for outcome in &activity.outcomes {
            let code = &outcome.code;
            let Some(own_title) = cx.framework.judgement(&code.value) else {
                let codes: Vec<&str> = cx.framework.judgements.keys().map(String::as_str).collect();
                let near = codes
                    .iter()
                    .copied()
                    .filter(|c| code.value.starts_with(&format!("{c}.")))
                    .max_by_key(|c| c.len())
                    .or_else(|| suggest::nearest(&code.value, codes.iter().copied()));
                let mut d = Diagnostic::new(
                    Code::UnknownJudgement,
                    code.span,
                    format!("`{}` is not an outcome code of the framework", code.value),
                );
                // The codes of the outcome the code's first digit names.
                let outcome = code.value.split('.').next().unwrap_or("");
                let siblings: Vec<&str> = codes
                    .iter()
                    .copied()
                    .filter(|c| c.split('.').next() == Some(outcome))
                    .collect();
                let listed = if siblings.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; the codes of outcome {outcome} are {}",
                        siblings.join(", ")
                    )
                };
                d = match near {
                    Some(near) => d.label(format!("did you mean `{near}`?")).help(format!(
                        "`{near}` is \"{}\"{listed}; or add the code to the repository's framework file",
                        cx.framework.judgement(near).unwrap_or_default()
                    )),
                    None => d.label("unknown code").help(
                        "use a code of the framework, or add it to the repository's framework file",
                    ),
                };
                diags.push(d);
                continue;
            };
            let Some(title) = &outcome.title else {
                continue;
            };
            match titles.get(&code.value) {
                Some(first) if title_similarity(&first.value, &title.value) < 0.6 => {
                    diags.push(
                        Diagnostic::new(
                            Code::JudgementTitledTwice,
                            title.span,
                            format!("code `{}` is given two different titles in this plan", code.value),
                        )
                        .label(format!("titled \"{}\" here", title.value))
                        .with_secondary(first.span, format!("and \"{}\" here", first.value))
                        .help(format!(
                            "the framework's title of `{}` is \"{own_title}\": one of the two is probably the wrong code",
                            code.value
                        )),
                    );
                }
                Some(_) => {}
                None => {
                    titles.insert(code.value.clone(), title);
                }
            }
            if let Some((closest, similarity)) = cx.framework.closest_judgement(&title.value) {
                let own = title_similarity(&title.value, own_title);
                if closest != code.value && similarity >= 0.5 && similarity > own + 0.2 {
                    diags.push(
                        Diagnostic::new(
                            Code::TitleOfAnotherJudgement,
                            code.span,
                            format!(
                                "code `{}` is written with the title of `{closest}`",
                                code.value
                            ),
                        )
                        .label(format!("did you mean `{closest}`?"))
                        .with_secondary(title.span, "this is the title of another code")
                        .help(format!(
                            "`{closest}` is \"{}\"; `{}` is \"{own_title}\"",
                            cx.framework.judgement(closest).unwrap_or_default(),
                            code.value
                        )),
                    );
                }
            }
        }
    }
}

fn outcome_number(cx: &Context, name: &Id) -> Option<u8> {
    cx.framework.outcome(&name.value).map(|o| o.number)
}

fn outcome_title(cx: &Context, number: u8) -> String {
    cx.framework
        .outcome_by_number(number)
        .map_or_else(|| number.to_string(), |o| o.title.clone())
}

fn cross_references(cx: &Context, diags: &mut Diagnostics) {
    for section in &cx.plan.sections {
        for priority in &section.priorities {
            let Some(area) = priority
                .outcome
                .as_ref()
                .or(section.outcome.as_ref())
                .and_then(|o| outcome_number(cx, o))
            else {
                continue;
            };
            let declared: Vec<(Option<&str>, u8, Span)> = priority
                .cross_references
                .iter()
                .filter_map(|c| {
                    let n = outcome_number(cx, &c.outcome)?;
                    Some((c.activity.as_ref().map(|a| a.value.as_str()), n, c.span))
                })
                .collect();
            let mut served_in_area: BTreeSet<u8> = BTreeSet::new();
            for activity in &priority.activities {
                let served = figures::served_outcomes(activity, cx.framework);
                served_in_area.extend(&served);
                for &outcome in served.iter().filter(|&&o| o != area) {
                    let covered = declared
                        .iter()
                        .any(|(a, n, _)| *n == outcome && a.is_none_or(|a| a == activity.id.value));
                    if covered {
                        continue;
                    }
                    let span = activity
                        .outcomes
                        .iter()
                        .find(|o| {
                            cx.framework
                                .judgement_outcome(&o.code.value)
                                .is_some_and(|f| f.number == outcome)
                        })
                        .map(|o| o.code.span)
                        .or_else(|| {
                            activity
                                .serves
                                .iter()
                                .find(|s| outcome_number(cx, s) == Some(outcome))
                                .map(|s| s.span)
                        })
                        .unwrap_or(activity.id.span);
                    let key = cx
                        .framework
                        .outcome_by_number(outcome)
                        .map_or("", |o| o.key.as_str());
                    diags.push(
                        Diagnostic::new(
                            Code::UndeclaredCrossReference,
                            span,
                            format!(
                                "activity `{}` in the {} area also serves {}, but the area declares no cross-reference to it",
                                activity.id.value,
                                outcome_title(cx, area),
                                outcome_title(cx, outcome)
                            ),
                        )
                        .label(format!("serves {}", outcome_title(cx, outcome)))
                        .help(format!(
                            "add `{{ activity: \"{}\", outcome: {key} }}` to the area's `cross_references`",
                            activity.id.value
                        )),
                    );
                }
            }
            for cross in &priority.cross_references {
                let Some(outcome) = outcome_number(cx, &cross.outcome) else {
                    continue;
                };
                let supported = match &cross.activity {
                    Some(id) => cx.index.activity(cx.plan, &id.value).is_none_or(|a| {
                        figures::served_outcomes(a, cx.framework).contains(&outcome)
                    }),
                    None => served_in_area.contains(&outcome),
                };
                if supported {
                    continue;
                }
                let title = outcome_title(cx, outcome);
                let message = match &cross.activity {
                    Some(a) => format!(
                        "activity `{}` is declared to serve {title}, but none of its outcome codes is of {title}",
                        a.value
                    ),
                    None => format!(
                        "the area is declared to serve {title}, but no activity of the area has an outcome code of it"
                    ),
                };
                diags.push(
                    Diagnostic::new(Code::UnsupportedCrossReference, cross.outcome.span, message)
                    .label("cross-reference declared here")
                    .help(format!(
                        "add a code of {} (or `serves: [{}]`) to the activity, or drop the cross-reference",
                        outcome_title(cx, outcome),
                        cx.framework.outcome_by_number(outcome).map_or("", |o| o.key.as_str())
                    )),
                );
            }
        }
    }
}

fn coverage(cx: &Context, diags: &mut Diagnostics) {
    let areas_name_outcomes = cx
        .figures
        .sections
        .iter()
        .any(|s| s.priorities.iter().any(|p| p.outcome.is_some()));
    if areas_name_outcomes {
        for outcome in &cx.figures.outcomes {
            if outcome.activities > 0 {
                continue;
            }
            diags.push(
                Diagnostic::new(
                    Code::OutcomeWithoutActivity,
                    cx.plan.id.span,
                    format!(
                        "no activity of plan `{}` serves {}",
                        cx.plan.id.value, outcome.title
                    ),
                )
                .label("this plan")
                .help(format!(
                    "add an activity with a {}.x outcome code, or with `serves: [{}]`",
                    outcome.number,
                    cx.framework
                        .outcome_by_number(outcome.number)
                        .map_or("", |o| o.key.as_str())
                )),
            );
        }
    }
    let priorities: Vec<_> = cx
        .plan
        .sections
        .iter()
        .flat_map(|s| &s.priorities)
        .collect();
    if priorities.iter().all(|p| p.core_offer.is_empty()) {
        return;
    }
    for element in CoreOffer::ALL {
        if priorities
            .iter()
            .any(|p| p.core_offer.iter().any(|c| c.value == element))
        {
            continue;
        }
        diags.push(
            Diagnostic::new(
                Code::CoreOfferUnserved,
                cx.plan.id.span,
                format!(
                    "no priority area of plan `{}` serves the core-offer element \"{}\"",
                    cx.plan.id.value,
                    element.title()
                ),
            )
            .label("this plan")
            .help(format!(
                "tick `{}` in the `core_offer` of the area that serves it",
                element.key()
            )),
        );
    }
}

fn aims(cx: &Context, diags: &mut Diagnostics) {
    for section in &cx.plan.sections {
        for priority in &section.priorities {
            let outcome = priority
                .outcome
                .as_ref()
                .or(section.outcome.as_ref())
                .and_then(|o| cx.framework.outcome(&o.value));
            let aims: Vec<&crate::framework::Aim> = match outcome {
                Some(o) => o.aims.iter().collect(),
                None => cx.framework.outcomes.iter().flat_map(|o| &o.aims).collect(),
            };
            let keys: Vec<&str> = aims.iter().map(|a| a.key.as_str()).collect();
            for aim in &priority.aims {
                if keys.contains(&aim.value.as_str()) {
                    continue;
                }
                let mut d = Diagnostic::new(
                    Code::UnknownAim,
                    aim.span,
                    match outcome {
                        Some(o) => format!("`{}` is not an aim of {}", aim.value, o.title),
                        None => format!("`{}` is not an ECM aim", aim.value),
                    },
                );
                d = match suggest::nearest(&aim.value, keys.iter().copied()) {
                    Some(near) => d.label(format!("did you mean `{near}`?")),
                    None => d.label("unknown aim"),
                };
                let listed: Vec<String> = aims
                    .iter()
                    .map(|a| format!("`{}` ({})", a.key, a.title))
                    .collect();
                diags.push(d.help(format!("the aims are: {}", listed.join("; "))));
            }
        }
    }
}

/// `NI55` or `NI 55`, 1 to 198.
fn national_indicator(id: &Id, diags: &mut Diagnostics) {
    let text = id.value.trim();
    let number = text
        .strip_prefix("NI")
        .map(|rest| rest.strip_prefix(' ').unwrap_or(rest))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse::<u32>().ok());
    let problem = match number {
        None => format!("`{text}` is not a National Indicator reference"),
        Some(n) if !(1..=198).contains(&n) => {
            format!("`{text}` is out of range: National Indicators run from NI1 to NI198")
        }
        Some(_) => return,
    };
    diags.push(
        Diagnostic::new(Code::BadNationalIndicator, id.span, problem)
            .label("not NI1 to NI198")
            .help("write a National Indicator as `NI` and its number, e.g. `NI55`"),
    );
}

fn national_indicators(cx: &Context, diags: &mut Diagnostics) {
    for priority in cx.plan.sections.iter().flat_map(|s| &s.priorities) {
        for id in &priority.national_indicators {
            national_indicator(id, diags);
        }
        for activity in &priority.activities {
            for id in &activity.national_indicators {
                national_indicator(id, diags);
            }
        }
    }
}
