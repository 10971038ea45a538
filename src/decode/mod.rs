//! Located tree → plan model. Every structural problem (unknown field, wrong
//! type, missing field, bad amount or date) becomes a diagnostic at the exact
//! place, and decoding goes on so that one run reports them all.
//!
//! Three jobs, a file each: the field machinery (`fields.rs`: keys checked
//! against the known names, text, keywords, money, dates, levels), the
//! decoders per part of the model (`items.rs`, `cost.rs`), and putting a
//! plan together from its files (`assemble.rs`).

mod assemble;
mod cost;
mod fields;
mod items;
pub mod shapes;

pub use assemble::assemble;

use crate::codes::Code;
use crate::config::{Config, FrameworkMode, MAX_FILE_BYTES_LIMIT};
use crate::date::{self, DateSpec};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::node::{Node, Value};
use crate::model::*;
use crate::money::{self, Money, MoneyError};
use crate::source::{FileId, Span};
use crate::suggest;
use shapes::Shape;

/// What one file contributes to a plan.
#[derive(Debug, Default)]
pub struct Fragment {
    pub header: Option<(Plan, Span)>,
    pub sources: Vec<Source>,
    pub partners: Vec<Partner>,
    pub sections: Vec<Section>,
    pub priorities: Vec<Priority>,
    /// Items carrying money that could not be decoded.
    pub lost: Vec<Span>,
    /// Funding sources that could not be decoded.
    pub lost_sources: Vec<Span>,
}

pub struct Decoder<'d> {
    diags: &'d mut Diagnostics,
    /// How many amounts could not be read so far. An item whose decoding
    /// raises the count holds money that is unknown.
    money_errors: usize,
    lost: Vec<Span>,
    lost_sources: Vec<Span>,
}

/// Keys whose values are money, or lists and tables of money.
const MONEY_KEYS: &[&str] = &[
    "cost",
    "amount",
    "lines",
    "sources",
    "phasing",
    "stated_total",
    "stated",
    "funds",
    "allocated",
    "unallocated",
    "countywide",
];

/// Whether a node holds any money: a money key at any depth.
fn carries_money(node: &Node) -> bool {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .any(|e| MONEY_KEYS.contains(&e.key.as_str()) || carries_money(&e.value)),
        Value::Seq(items) => items.iter().any(carries_money),
        _ => false,
    }
}

/// Keys that say which source pays: a misspelling sends money to the
/// wrong source.
const SOURCE_KEYS: &[&str] = &["source", "sources", "default_source", "restricted_to"];

/// Whether a value holds anything that may be money: a number, or text
/// with a digit in it (`700 GBP`, `£5000 for theatre events`), at any depth.
fn holds_figures(value: &Node) -> bool {
    match &value.value {
        Value::Number(_) => true,
        Value::Str(s) => s.chars().any(|c| c.is_ascii_digit()),
        Value::Seq(items) => items.iter().any(holds_figures),
        Value::Map(entries) => entries.iter().any(|e| holds_figures(&e.value)),
        Value::Null | Value::Bool(_) | Value::Date(_) => false,
    }
}

/// Whether an unknown field may be money or say where money goes: a value
/// holding figures, or a near miss of a money or source key (`cots`,
/// `amout`, `soruce`).
fn may_be_money(key: &str, value: &Node, known: &[&str]) -> bool {
    let folded = key.to_lowercase();
    let near = suggest::nearest(key, known.iter().copied())
        .is_some_and(|near| MONEY_KEYS.contains(&near) || SOURCE_KEYS.contains(&near));
    let names_a_source = SOURCE_KEYS.contains(&folded.as_str())
        || suggest::nearest(&folded, SOURCE_KEYS.iter().copied()).is_some();
    near || names_a_source || holds_figures(value) || carries_money(value)
}

/// A mapping whose keys have been checked against the known field names.
struct Fields<'n> {
    node: &'n Node,
    shape: &'static Shape,
}

impl<'n> Fields<'n> {
    fn get(&self, key: &str) -> Option<&'n Node> {
        debug_assert!(
            self.shape.fields.contains(&key),
            "`{key}` is not declared in the shape of {}",
            self.shape.what
        );
        #[cfg(test)]
        shapes::record_asked(self.shape, key);
        self.node.get(key).filter(|n| n.value != Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml;
    use crate::source::SourceFile;

    fn decode(text: &str) -> (Fragment, Vec<Diagnostic>) {
        let source = SourceFile::new("t.yaml".into(), text.to_string());
        let root = yaml::parse(FileId(0), &source).expect("valid YAML");
        let mut diags = Diagnostics::default();
        let fragment = Decoder::new(&mut diags).file(&root, FileId(0));
        (fragment, diags.into_sorted())
    }

    #[test]
    fn unknown_field_suggests_the_near_name() {
        let (_, diags) = decode("priorities:\n  - id: p\n    titel: Safety\n");
        // The missing `title` is the typo, reported once.
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::UnknownField]);
        assert_eq!(diags[0].primary.message, "did you mean `title`?");
    }

    #[test]
    fn cost_forms() {
        let (fragment, diags) = decode(
            "priorities:\n  - id: p\n    title: P\n    activities:\n\
             \x20     - { id: a, title: A, cost: 1020 }\n\
             \x20     - { id: b, title: B, cost: tbc }\n\
             \x20     - { id: c, title: C, cost: { see: a } }\n\
             \x20     - { id: d, title: D, cost: { met_by: NRF funding } }\n\
             \x20     - id: e\n        title: E\n        cost:\n          lines:\n\
             \x20           - { item: x, amount: 8000 }\n            - { item: y, amount: 4000.50 }\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let kinds: Vec<&CostKind> = fragment.priorities[0]
            .activities
            .iter()
            .map(|a| &a.cost.as_ref().unwrap().kind)
            .collect();
        assert!(matches!(kinds[0], CostKind::Amount(m) if m.value == Money::from(1020)));
        assert_eq!(kinds[1], &CostKind::Tbc);
        assert!(matches!(kinds[2], CostKind::See(id) if id.value == "a"));
        assert!(matches!(
            kinds[3],
            CostKind::Met {
                how: MetBy::OtherFund,
                ..
            }
        ));
        assert!(
            matches!(kinds[4], CostKind::Amount(m) if m.value == "12000.50".parse::<Money>().unwrap())
        );
    }

    #[test]
    fn money_that_cannot_be_read_leaves_its_cost_unknown_never_smaller() {
        let (fragment, diags) = decode(
            "priorities:\n  - id: p\n    title: P\n    activities:\n\
             \x20     - { id: a, title: A, cost: 15k }\n\
             \x20     - { id: b, title: B, cost: { lines: [{ item: x, amount: 8000 }, { item: y, amount: 4k }] } }\n\
             \x20     - { id: c, title: C, cost: { amount: 20000, phasing: { \"2009\": 13000, \"2010\": \"£7,,000\" } } }\n\
             \x20     - { id: d, title: D, cost: { amount: 600, sources: [{ source: s, amount: 300 }, { source: t, amount: x }] } }\n\
             \x20     - { id: e, title: E, cots: 50000 }\n\
             \x20     - { id: f, title: F, cost: { amount: 10, tbc: true } }\n\
             \x20     - { title: G, cost: 500 }\n",
        );
        assert!(!diags.is_empty());
        let activities = &fragment.priorities[0].activities;
        let kind = |i: usize| &activities[i].cost.as_ref().unwrap().kind;
        // An amount, a breakdown's line, a share or money under a misspelt
        // field that cannot be read: the cost is unknown.
        for i in [0, 1, 3, 4, 5] {
            assert_eq!(kind(i), &CostKind::Unreadable, "{}", activities[i].id.value);
        }
        // A year of the phasing that cannot be read leaves the amount, and
        // the phasing is not checked against it.
        assert!(matches!(kind(2), CostKind::Amount(m) if m.value == Money::from(20000)));
        assert!(activities[2].cost.as_ref().unwrap().incomplete);
        // An activity that cannot be decoded at all is lost with its money.
        assert_eq!(activities.len(), 6);
        assert_eq!(fragment.lost.len(), 1);
    }

    #[test]
    fn two_cost_forms_are_rejected() {
        let (_, diags) = decode(
            "priorities:\n  - id: p\n    title: P\n    activities:\n\
             \x20     - { id: a, title: A, cost: { amount: 5, tbc: true } }\n",
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::InvalidValue);
    }

    #[test]
    fn bad_amount_and_date_are_located() {
        let text =
            "sources:\n  - id: s\n    name: S\n    amount: \"£7,,000\"\n    start: Autumn 2007\n";
        let (_, diags) = decode(text);
        assert_eq!(diags[0].code, Code::UncleanAmount);
        assert_eq!(diags[0].primary.message, "probably £7,000");
        assert_eq!(
            &text[diags[0].primary.span.start as usize..diags[0].primary.span.end as usize],
            "\"£7,,000\""
        );
        assert_eq!(diags[1].code, Code::BadDate);
    }
}
