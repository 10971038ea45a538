//! Resolve: index every id of a plan, report duplicates, and check that every
//! reference (activity, partner, funding source) names something declared.

use std::collections::HashMap;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Diagnostics, Edit, EditKind};
use crate::model::{Activity, Cost, CostKind, Id, Plan, Priority, Section};
use crate::source::Span;
use crate::suggest;

/// Where an activity sits in its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityPath {
    pub section: usize,
    pub priority: usize,
    pub activity: usize,
}

/// Every id of one plan, by its exact text.
#[derive(Debug, Default)]
pub struct Index {
    pub activities: HashMap<String, ActivityPath>,
    pub sources: HashMap<String, usize>,
    pub partners: HashMap<String, usize>,
    pub sections: HashMap<String, usize>,
    pub priorities: HashMap<String, (usize, usize)>,
}

/// The form under which two ids count as the same: case, spaces and
/// look-alike letters (Cyrillic `а` for Latin `a`, full-width digits) ignored.
fn fold(id: &str) -> String {
    id.chars()
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .flat_map(char::to_lowercase)
        .map(look_alike)
        .collect()
}

/// Zero-width and other invisible characters that make two ids look equal.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// The Latin letter or ASCII character a look-alike stands for.
fn look_alike(c: char) -> char {
    match c {
        // Full-width ASCII.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        // Cyrillic.
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' => 'e',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        // Greek.
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'u',
        'χ' => 'x',
        // Dashes and dots that look like `-` and `.`.
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{2024}' => '.',
        c => c,
    }
}

/// Records ids of one kind, reporting any declared twice.
struct Ids<'a, T> {
    what: &'static str,
    seen: HashMap<String, Span>,
    map: &'a mut HashMap<String, T>,
}

impl<'a, T> Ids<'a, T> {
    fn new(what: &'static str, map: &'a mut HashMap<String, T>) -> Self {
        Ids {
            what,
            seen: HashMap::new(),
            map,
        }
    }

    fn add(&mut self, id: &Id, value: T, diags: &mut Diagnostics) {
        let key = fold(&id.value);
        if let Some(first) = self.seen.get(&key) {
            let look_alike = !id.value.is_ascii();
            diags.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    id.span,
                    if look_alike {
                        format!(
                            "{} id `{}` looks the same as one declared before ({})",
                            self.what,
                            id.value,
                            id.value.escape_unicode()
                        )
                    } else {
                        format!("{} id `{}` is used twice", self.what, id.value)
                    },
                )
                .label("second use")
                .with_secondary(*first, "first declared here")
                .help(format!("give each {} its own id", self.what)),
            );
            return;
        }
        self.seen.insert(key, id.span);
        self.map.insert(id.value.clone(), value);
    }
}

impl Index {
    pub fn build(plan: &Plan, diags: &mut Diagnostics) -> Index {
        let mut index = Index::default();
        let mut sources = Ids::new("funding source", &mut index.sources);
        for (i, source) in plan.sources.iter().enumerate() {
            sources.add(&source.id, i, diags);
        }
        let mut partners = Ids::new("partner", &mut index.partners);
        for (i, partner) in plan.partners.iter().enumerate() {
            partners.add(&partner.id, i, diags);
        }
        let mut sections = Ids::new("section", &mut index.sections);
        for (i, section) in plan.sections.iter().enumerate() {
            sections.add(&section.id, i, diags);
        }
        let mut priorities = Ids::new("priority", &mut index.priorities);
        for (s, section) in plan.sections.iter().enumerate() {
            for (p, priority) in section.priorities.iter().enumerate() {
                priorities.add(&priority.id, (s, p), diags);
            }
        }
        let mut activities = Ids::new("activity", &mut index.activities);
        for (s, section) in plan.sections.iter().enumerate() {
            for (p, priority) in section.priorities.iter().enumerate() {
                for (a, activity) in priority.activities.iter().enumerate() {
                    let path = ActivityPath {
                        section: s,
                        priority: p,
                        activity: a,
                    };
                    activities.add(&activity.id, path, diags);
                }
            }
        }
        index
    }

    pub fn activity<'p>(&self, plan: &'p Plan, id: &str) -> Option<&'p Activity> {
        let path = self.activities.get(id)?;
        Some(&plan.sections[path.section].priorities[path.priority].activities[path.activity])
    }
}

/// Every activity of a plan with its section and priority, in plan order.
pub fn activities(plan: &Plan) -> impl Iterator<Item = (&Section, &Priority, &Activity)> {
    plan.sections.iter().flat_map(|section| {
        section.priorities.iter().flat_map(move |priority| {
            priority
                .activities
                .iter()
                .map(move |activity| (section, priority, activity))
        })
    })
}

/// The source a cost draws on when it names none itself: the priority's,
/// the section's, or the plan's default.
pub fn effective_source<'p>(
    plan: &'p Plan,
    section: &'p Section,
    priority: &'p Priority,
    cost: &'p Cost,
) -> Option<&'p Id> {
    cost.source
        .as_ref()
        .or(priority.source.as_ref())
        .or(section.source.as_ref())
        .or(plan.default_source.as_ref())
}

/// The declared names of one kind, for reporting references to others.
struct Declared<'a> {
    names: Vec<(&'a str, Span)>,
    spans: HashMap<&'a str, Span>,
    suggester: suggest::Suggester<'a>,
}

impl<'a> Declared<'a> {
    fn new(names: Vec<(&'a str, Span)>) -> Self {
        Declared {
            spans: names.iter().copied().collect(),
            suggester: suggest::Suggester::new(names.iter().map(|(n, _)| *n)),
            names,
        }
    }
}

/// Reports a reference to an id that is not declared. `wider`, when a
/// reference may also name ids of other kinds, holds all it may name: a fix
/// is attached only if the suggestion is certain among those too.
fn unknown(
    code: Code,
    what: &str,
    id: &Id,
    declared: &mut Declared,
    wider: Option<&mut suggest::Suggester>,
    diags: &mut Diagnostics,
) {
    let mut d = Diagnostic::new(code, id.span, format!("unknown {what} `{}`", id.value))
        .label(format!("no {what} has this id"));
    let candidates = &declared.names;
    match declared.suggester.nearest(&id.value) {
        Some(near) => {
            let span = declared.spans.get(near).copied();
            d = d.help(format!("did you mean `{near}`?"));
            if let Some(span) = span {
                d = d.with_secondary(span, format!("`{near}` is declared here"));
            }
            let certain = declared.suggester.certain(&id.value) == Some(near)
                && wider.is_none_or(|wider| wider.certain(&id.value) == Some(near));
            if certain {
                d = d.with_fix(
                    format!("replace `{}` with `{near}`", id.value),
                    Edit::new(id.span, EditKind::Text, near),
                );
            }
        }
        None if candidates.is_empty() => {
            d = d.help(format!("declare it first: the plan has no {what}s"));
        }
        None => {
            d = d
                .help(format!(
                    "known {what}s include: {}",
                    suggest::listed(candidates.iter().map(|(c, _)| *c))
                ))
                .with_secondary(candidates[0].1, format!("{what}s are declared here"));
        }
    }
    diags.push(d);
}

/// Reports references to activities, partners and sources that do not exist.
pub fn check_references(plan: &Plan, index: &Index, diags: &mut Diagnostics) {
    let mut source_names = Declared::new(
        plan.sources
            .iter()
            .map(|s| (s.id.value.as_str(), s.id.span))
            .collect(),
    );
    let mut partner_names = Declared::new(
        plan.partners
            .iter()
            .map(|p| (p.id.value.as_str(), p.id.span))
            .collect(),
    );
    let mut activity_names = Declared::new(
        activities(plan)
            .map(|(_, _, a)| (a.id.value.as_str(), a.id.span))
            .collect(),
    );
    // What `restricted_to` may name: activities, priorities and sections;
    // indexed when first needed.
    let mut restrictable = None;
    let all_restrictable = || {
        suggest::Suggester::new(
            activities(plan)
                .map(|(_, _, a)| a.id.value.as_str())
                .chain(
                    plan.sections
                        .iter()
                        .flat_map(|s| &s.priorities)
                        .map(|p| p.id.value.as_str()),
                )
                .chain(plan.sections.iter().map(|s| s.id.value.as_str())),
        )
    };
    let mut check_source = |id: &Id, diags: &mut Diagnostics| {
        if !index.sources.contains_key(&id.value) {
            unknown(
                Code::UnknownSource,
                "funding source",
                id,
                &mut source_names,
                None,
                diags,
            );
        }
    };
    let check_activity = |id: &Id, names: &mut Declared, diags: &mut Diagnostics| {
        if !index.activities.contains_key(&id.value) {
            unknown(Code::UnknownActivity, "activity", id, names, None, diags);
        }
    };
    if let Some(id) = &plan.default_source {
        check_source(id, diags);
    }
    for section in &plan.sections {
        if let Some(id) = &section.source {
            check_source(id, diags);
        }
        for priority in &section.priorities {
            if let Some(id) = &priority.source {
                check_source(id, diags);
            }
        }
    }
    for source in &plan.sources {
        for target in &source.restricted_to {
            let known = index.activities.contains_key(&target.value)
                || index.priorities.contains_key(&target.value)
                || index.sections.contains_key(&target.value);
            if !known {
                unknown(
                    Code::UnknownActivity,
                    "activity, priority or section",
                    target,
                    &mut activity_names,
                    Some(restrictable.get_or_insert_with(all_restrictable)),
                    diags,
                );
            }
        }
    }
    for (_, _, activity) in activities(plan) {
        if let Some(cost) = &activity.cost {
            if let Some(id) = &cost.source {
                check_source(id, diags);
            }
            for share in &cost.shares {
                check_source(&share.source, diags);
            }
            if let CostKind::See(target) = &cost.kind {
                check_activity(target, &mut activity_names, diags);
            }
        }
        for partner in &activity.partners {
            if !index.partners.contains_key(&partner.id.value) {
                unknown(
                    Code::UnknownPartner,
                    "partner",
                    &partner.id,
                    &mut partner_names,
                    None,
                    diags,
                );
            }
        }
    }
    for priority in plan.sections.iter().flat_map(|s| &s.priorities) {
        for cross in &priority.cross_references {
            if let Some(target) = &cross.activity {
                check_activity(target, &mut activity_names, diags);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;

    /// The diagnostics of unknown references in a plan file, with the text
    /// their fixes replace.
    fn references(text: &str) -> Vec<(Diagnostic, Vec<String>)> {
        let date = jiff::civil::date(2008, 6, 30);
        let compiled = crate::compile::compile_text("p.yaml", text, date);
        let sources = compiled.sources;
        compiled
            .diagnostics
            .into_sorted()
            .into_iter()
            .filter(|d| {
                matches!(
                    d.code,
                    Code::UnknownSource | Code::UnknownPartner | Code::UnknownActivity
                )
            })
            .map(|d| {
                let replaced = d
                    .fix
                    .iter()
                    .flat_map(|f| &f.edits)
                    .map(|e| sources.get(e.span.file).slice(e.span).to_string())
                    .collect();
                (d, replaced)
            })
            .collect()
    }

    const PLAN: &str = "plan: { id: x, name: X, period: { start: 2008-04-01, end: 2009-03-31 } }
sources:
  - { id: extended-services, name: E, amount: 100 }
  - { id: lsf-2008, name: L, amount: 100, restricted_to: [REF_R] }
partners:
  - { id: schools, name: S }
sections:
  - id: main
    title: M
    priorities:
      - id: p
        title: P
        activities:
          - { id: a1, title: A, cost: { amount: 100, source: REF_S }, partners: { lead: [REF_P] } }
          - { id: a2, title: B, cost: { see: REF_A } }
          - { id: a3, title: C, cost: { amount: 100, source: lsf-2008 } }
          - { id: youth-club, title: D }
";

    fn plan(source: &str, partner: &str, activity: &str, restricted: &str) -> String {
        PLAN.replace("REF_S", source)
            .replace("REF_P", partner)
            .replace("REF_A", activity)
            .replace("REF_R", restricted)
    }

    #[test]
    fn a_reference_with_one_near_id_is_fixed_in_its_own_quoting() {
        let found = references(&plan("\"extended-servces\"", "schols", "'a3'", "a3"));
        let fixes: Vec<(Code, String, &str, EditKind)> = found
            .iter()
            .map(|(d, replaced)| {
                let fix = d.fix.as_ref().expect("a fix");
                (
                    d.code,
                    replaced.concat(),
                    fix.edits[0].replacement.as_str(),
                    fix.edits[0].kind,
                )
            })
            .collect();
        assert_eq!(
            fixes,
            [
                (
                    Code::UnknownSource,
                    "\"extended-servces\"".to_string(),
                    "extended-services",
                    EditKind::Text
                ),
                (
                    Code::UnknownPartner,
                    "schols".to_string(),
                    "schools",
                    EditKind::Text
                ),
            ]
        );
        let (d, _) = references(&plan("extended-services", "schools", "a4", "a3"))
            .pop()
            .expect("a4 is unknown");
        assert_eq!(d.code, Code::UnknownActivity);
        assert!(d.fix.is_none(), "a4 and a3 differ by a digit: {d:?}");
        // Short ids are near each other: `a-3` is near `a1`, `a2` and `a3`.
        let (d, _) = references(&plan("extended-services", "schools", "a-3", "a3"))
            .pop()
            .expect("a-3 is unknown");
        assert!(d.fix.is_none(), "{d:?}");
        let (d, _) = references(&plan("extended-services", "schools", "yuoth-club", "a3"))
            .pop()
            .expect("yuoth-club is unknown");
        assert_eq!(d.fix.expect("a fix").edits[0].replacement, "youth-club");
    }

    #[test]
    fn no_fix_where_the_id_is_not_certain() {
        // A different year is a different source.
        let found = references(&plan("lsf-2009", "schools", "a3", "a3"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.help.as_deref(), Some("did you mean `lsf-2008`?"));
        assert!(found[0].0.fix.is_none());
        // Near two declared ids.
        let text = plan("extended-services", "schools", "a3", "a3").replace(
            "  - { id: schools, name: S }",
            "  - { id: schools, name: S }\n  - { id: schoolz, name: Z }",
        );
        let text = text.replace("lead: [schools]", "lead: [schoolx]");
        let found = references(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.fix.is_none());
        // `restricted_to` may name priorities and sections too: a fix only
        // when the id is certain among all of them.
        let found = references(&plan("extended-services", "schools", "a3", "youth-clb"));
        let (d, _) = &found[0];
        assert_eq!(d.code, Code::UnknownActivity);
        let fixed = d.fix.as_ref().map(|f| f.edits[0].replacement.as_str());
        assert_eq!(fixed, Some("youth-club"));
        let text = plan("extended-services", "schools", "a3", "youth-clb")
            .replace("      - id: p\n", "      - id: youth-clubs\n");
        let found = references(&text);
        let (d, _) = &found[0];
        assert_eq!(d.help.as_deref(), Some("did you mean `youth-club`?"));
        assert!(
            d.fix.is_none(),
            "the priority `youth-clubs` is near too: {d:?}"
        );
    }

    #[test]
    fn look_alike_ids_fold_together() {
        assert_eq!(fold("1.1"), fold("１.１"));
        assert_eq!(fold("safety"), fold("ѕаfety"));
        assert_eq!(fold("Sure-Start"), fold("sure\u{2011}start"));
        assert_eq!(fold("a b"), fold("ab\u{200B}"));
        assert_ne!(fold("1.1"), fold("1.2"));
    }
}
