//! One plan from the fragments of its files.

use super::*;

/// Puts one plan's fragments together: exactly one header, then its sources,
/// partners and sections, and each priority under its section.
pub fn assemble(
    path: &std::path::Path,
    fragments: Vec<(FileId, Fragment)>,
    diags: &mut Diagnostics,
) -> Option<Plan> {
    let mut plan: Option<Plan> = None;
    let mut loose_priorities = Vec::new();
    let mut rest = Vec::new();
    let first_file = fragments.first().map(|(f, _)| *f);
    let mut lost = Vec::new();
    let mut lost_sources = Vec::new();
    for (file, fragment) in fragments {
        lost.extend(fragment.lost);
        lost_sources.extend(fragment.lost_sources);
        if let Some((header, span)) = fragment.header {
            match &plan {
                Some(existing) => diags.push(
                    Diagnostic::new(
                        Code::PlanHeader,
                        span,
                        format!(
                            "plan `{}` has a second `plan:` header",
                            existing.id.value
                        ),
                    )
                    .label("second header")
                    .with_secondary(existing.header_span, "first header")
                    .help("keep one `plan:` header per plan; other files add sources, sections and priorities"),
                ),
                None => plan = Some(header),
            }
        }
        rest.push((file, fragment.sources, fragment.partners, fragment.sections));
        loose_priorities.extend(fragment.priorities);
    }
    let Some(mut plan) = plan else {
        if let Some(file) = first_file {
            diags.push(
                Diagnostic::new(
                    Code::PlanHeader,
                    Span::file_start(file),
                    format!("{} has no `plan:` header", path.display()),
                )
                .label("no file of this plan starts with `plan:`")
                .help(
                    "add `plan:` with the plan's `id`, `name` and `period` to one file of the plan",
                ),
            );
        }
        return None;
    };
    for (file, sources, partners, sections) in rest {
        if !plan.files.contains(&file) {
            plan.files.push(file);
        }
        plan.sources.extend(sources);
        plan.partners.extend(partners);
        plan.sections.extend(sections);
    }
    if plan.sections.is_empty() && !loose_priorities.is_empty() {
        plan.sections.push(Section {
            id: plan.id.clone(),
            title: plan.name.clone(),
            scope: Scope::Local,
            outcome: None,
            source: None,
            stated_total: None,
            description: None,
            priorities: Vec::new(),
            span: plan.header_span,
        });
    }
    for priority in loose_priorities {
        let index = match &priority.section {
            Some(section) => {
                let found = plan
                    .sections
                    .iter()
                    .position(|s| s.id.value == section.value);
                if found.is_none() {
                    let names: Vec<&str> =
                        plan.sections.iter().map(|s| s.id.value.as_str()).collect();
                    let mut d = Diagnostic::new(
                        Code::UnknownSection,
                        section.span,
                        format!("unknown section `{}`", section.value),
                    )
                    .label("no section has this id")
                    .locked();
                    d = match suggest::nearest(&section.value, names.iter().copied()) {
                        Some(near) => {
                            let declared = plan
                                .sections
                                .iter()
                                .find(|s| s.id.value == near)
                                .map_or(plan.header_span, |s| s.id.span);
                            d.help(format!("did you mean `{near}`?"))
                                .with_secondary(declared, format!("`{near}` is declared here"))
                        }
                        None => d
                            .help(format!("the plan's sections are: {}", names.join(", ")))
                            .with_secondary(plan.header_span, "the plan's header"),
                    };
                    diags.push(d);
                }
                found
            }
            None if plan.sections.len() == 1 => Some(0),
            None => {
                diags.push(
                    Diagnostic::new(
                        Code::MissingField,
                        priority.span,
                        format!(
                            "priority `{}` does not say which section it is in",
                            priority.id.value
                        ),
                    )
                    .label("`section` is required here")
                    .help("the plan has several sections: add `section: <section id>`")
                    .locked(),
                );
                None
            }
        };
        match index {
            Some(index) => plan.sections[index].priorities.push(priority),
            None if priority.activities.iter().any(|a| a.cost.is_some()) => {
                lost.push(priority.span)
            }
            None => {}
        }
    }
    plan.lost = lost;
    plan.lost_sources = lost_sources;
    Some(plan)
}
