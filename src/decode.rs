//! Located tree → plan model. Every structural problem (unknown field, wrong
//! type, missing field, bad amount or date) becomes a diagnostic at the exact
//! place, and decoding goes on so that one run reports them all.

use crate::codes::Code;
use crate::config::{Config, FrameworkMode, MAX_FILE_BYTES_LIMIT};
use crate::date::{self, DateSpec};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::node::{Node, Value};
use crate::model::*;
use crate::money::{self, Money, MoneyError};
use crate::source::{FileId, Span};
use crate::suggest;

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
    what: &'static str,
    known: Vec<&'static str>,
}

impl<'n> Fields<'n> {
    fn get(&self, key: &str) -> Option<&'n Node> {
        self.node.get(key).filter(|n| n.value != Value::Null)
    }
}

pub const FILE_FIELDS: &[&str] = &["plan", "sources", "partners", "sections", "priorities"];
pub const PLAN_FIELDS: &[&str] = &[
    "id",
    "name",
    "kind",
    "authority",
    "fund_holder",
    "period",
    "status",
    "version",
    "currency",
    "review_interval",
    "must_balance",
    "default_source",
    "stated",
    "approval",
    "summary",
    "monitoring",
    "schools",
    "schools_to_join",
    "steering_group",
    "checks",
    "inferred",
];
pub const SOURCE_FIELDS: &[&str] = &[
    "id",
    "name",
    "amount",
    "start",
    "restricted_to",
    "note",
    "inferred",
];
pub const PARTNER_FIELDS: &[&str] = &["id", "name"];
pub const SECTION_FIELDS: &[&str] = &[
    "id",
    "title",
    "scope",
    "outcome",
    "source",
    "stated_total",
    "description",
    "priorities",
];
pub const PRIORITY_FIELDS: &[&str] = &[
    "id",
    "title",
    "section",
    "outcome",
    "aims",
    "cross_references",
    "core_offer",
    "needs",
    "baseline",
    "measures",
    "rationale",
    "national_indicators",
    "source",
    "stated_total",
    "activities",
    "further_actions",
    "checks",
];
pub const ACTIVITY_FIELDS: &[&str] = &[
    "id",
    "title",
    "description",
    "outcomes",
    "serves",
    "strand",
    "success_measures",
    "cost",
    "partners",
    "lead",
    "timescale",
    "sustainability",
    "national_indicators",
    "actions",
    "progress",
    "shared",
    "checks",
    "inferred",
];
pub const COST_FIELDS: &[&str] = &[
    "amount",
    "tbc",
    "not_applicable",
    "see",
    "met_by",
    "how",
    "source",
    "sources",
    "lines",
    "phasing",
    "approx",
    "note",
];
pub const PROGRESS_FIELDS: &[&str] = &["date", "rag", "status", "text", "mitigation", "completed"];

impl<'d> Decoder<'d> {
    pub fn new(diags: &'d mut Diagnostics) -> Self {
        Decoder {
            diags,
            money_errors: 0,
            lost: Vec::new(),
            lost_sources: Vec::new(),
        }
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    /// Checks that `node` is a mapping and that every key is known.
    fn fields<'n>(
        &mut self,
        node: &'n Node,
        what: &'static str,
        known: &[&'static str],
    ) -> Option<Fields<'n>> {
        let Some(entries) = node.entries() else {
            let mut d = Diagnostic::new(
                Code::WrongType,
                node.span,
                format!(
                    "{what} should be a mapping of fields, found {}",
                    node.kind()
                ),
            )
            .label("expected `field: value` lines here")
            .help(format!(
                "write the {what}'s fields, one `name: value` per line"
            ));
            // Figures in what cannot be read as fields may be money.
            if holds_figures(node) || carries_money(node) {
                self.lost.push(node.span);
                d = d.locked();
            }
            self.error(d);
            return None;
        };
        for entry in entries {
            if known.contains(&entry.key.as_str()) {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                Code::UnknownField,
                entry.key_span,
                format!("unknown field `{}` in {what}", entry.key),
            );
            if may_be_money(&entry.key, &entry.value, known) {
                // Money under a field planc does not know is money left out
                // of every total: never quieted by a level. An activity, a
                // cost or a source makes its own money unknown; elsewhere
                // the plan's totals are.
                self.money_errors += 1;
                if !matches!(
                    what,
                    "an activity"
                        | "a cost"
                        | "a cost line"
                        | "a source's share"
                        | "a funding source"
                ) {
                    self.lost.push(entry.value.span);
                }
                diagnostic = diagnostic.locked().with_secondary(
                    entry.value.span,
                    "this may be money, so the totals it belongs to are unknown",
                );
            }
            diagnostic = match suggest::nearest(&entry.key, known.iter().copied()) {
                Some(near) => diagnostic
                    .label(format!("did you mean `{near}`?"))
                    .help(format!("rename `{}` to `{near}`", entry.key)),
                None => diagnostic
                    .label("not a field of this")
                    .help(format!("the fields of {what} are: {}", known.join(", "))),
            };
            self.error(diagnostic);
        }
        Some(Fields {
            node,
            what,
            known: known.to_vec(),
        })
    }

    fn missing(&mut self, fields: &Fields, key: &str, example: &str) {
        // A missing `title` was already reported as the typo `titel`.
        let typo = fields.node.entries().unwrap_or_default().iter().any(|e| {
            !fields.known.contains(&e.key.as_str())
                && suggest::nearest(&e.key, fields.known.iter().copied()) == Some(key)
        });
        if typo {
            return;
        }
        self.error(
            Diagnostic::new(
                Code::MissingField,
                fields.node.span,
                format!("{} has no `{key}`", fields.what),
            )
            .label(format!("`{key}` is required here"))
            .help(format!("add `{key}: {example}`")),
        );
    }

    fn wrong_type(&mut self, node: &Node, key: &str, expected: &str) {
        let mut d = Diagnostic::new(
            Code::WrongType,
            node.span,
            format!("`{key}` should be {expected}, found {}", node.kind()),
        )
        .label(format!("expected {expected}"))
        .help(format!("write `{key}` as {expected}"));
        // A list or mapping holding figures where text or a list was
        // expected may be money planc cannot read: the plan's totals are
        // unknown, and no level quiets why.
        if matches!(node.value, Value::Map(_) | Value::Seq(_))
            && (holds_figures(node) || carries_money(node))
        {
            self.lost.push(node.span);
            d = d.locked();
        }
        self.error(d);
    }

    fn scalar(&mut self, node: &Node, key: &str) -> Option<Located<String>> {
        match node.scalar_text() {
            Some(text) => Some(Located::new(text.trim().to_string(), node.span)),
            None => {
                self.wrong_type(node, key, "text");
                None
            }
        }
    }

    fn string(&mut self, f: &Fields, key: &str) -> Option<Located<String>> {
        let node = f.get(key)?;
        self.scalar(node, key)
    }

    fn req_string(&mut self, f: &Fields, key: &str, example: &str) -> Option<Located<String>> {
        match f.get(key) {
            // An empty id names nothing: as if there were none.
            Some(node)
                if key == "id" && node.scalar_text().is_some_and(|t| t.trim().is_empty()) =>
            {
                self.error(
                    Diagnostic::new(
                        Code::MissingField,
                        node.span,
                        format!("{} has an empty `id`", f.what),
                    )
                    .label("empty")
                    .help(format!("give it an id, e.g. `id: {example}`")),
                );
                None
            }
            Some(node) => self.scalar(node, key),
            None => {
                self.missing(f, key, example);
                None
            }
        }
    }

    fn text(&mut self, f: &Fields, key: &str) -> Option<String> {
        self.string(f, key).map(|s| s.value)
    }

    /// A list of strings, or one string.
    fn strings(&mut self, f: &Fields, key: &str) -> Vec<String> {
        self.ids(f, key).into_iter().map(|s| s.value).collect()
    }

    /// A list of names or ids, or one.
    fn ids(&mut self, f: &Fields, key: &str) -> Vec<Id> {
        match f.get(key) {
            None => Vec::new(),
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => items.iter().filter_map(|n| self.scalar(n, key)).collect(),
            Some(node) => self.scalar(node, key).into_iter().collect(),
        }
    }

    fn list<T>(
        &mut self,
        f: &Fields,
        key: &str,
        mut item: impl FnMut(&mut Self, &Node) -> Option<T>,
    ) -> Vec<T> {
        match f.get(key) {
            None => Vec::new(),
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => items.iter().filter_map(|n| item(self, n)).collect(),
            Some(node) => {
                let mark = self.diags.len();
                self.wrong_type(node, key, "a list (lines starting with `- `)");
                if matches!(key, "activities" | "priorities" | "sections") {
                    self.lose(node, mark);
                } else if key == "sources" && f.what != "a cost" {
                    self.lost_sources.push(node.span);
                    self.diags.lock_since(mark);
                }
                Vec::new()
            }
        }
    }

    fn bool(&mut self, f: &Fields, key: &str) -> bool {
        match f.get(key) {
            None => false,
            Some(Node {
                value: Value::Bool(b),
                ..
            }) => *b,
            Some(node) => {
                self.wrong_type(node, key, "`true` or `false`");
                false
            }
        }
    }

    fn keyword<T: Copy>(
        &mut self,
        f: &Fields,
        key: &str,
        choices: &[(&'static str, T)],
    ) -> Option<Located<T>> {
        let text = self.string(f, key)?;
        self.keyword_of(&text, key, choices)
    }

    fn keyword_of<T: Copy>(
        &mut self,
        text: &Located<String>,
        key: &str,
        choices: &[(&'static str, T)],
    ) -> Option<Located<T>> {
        let folded = text.value.to_lowercase().replace(['_', ' '], "-");
        if let Some((_, value)) = choices.iter().find(|(name, _)| *name == folded) {
            return Some(Located::new(*value, text.span));
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        let mut diagnostic = Diagnostic::new(
            Code::InvalidValue,
            text.span,
            format!("`{}` is not a valid `{key}`", text.value),
        );
        diagnostic = match suggest::nearest(&text.value, names.iter().copied()) {
            Some(near) => diagnostic
                .label(format!("did you mean `{near}`?"))
                .help(format!("`{key}` is one of: {}", names.join(", "))),
            None => diagnostic
                .label("not one of the allowed values")
                .help(format!("`{key}` is one of: {}", names.join(", "))),
        };
        self.error(diagnostic);
        None
    }

    pub fn money(&mut self, node: &Node, key: &str) -> Option<Located<Money>> {
        let text = match &node.value {
            Value::Number(s) | Value::Str(s) => s,
            _ => {
                self.money_errors += 1;
                self.wrong_type(node, key, "an amount such as `1020` or `\"£4,462.20\"`");
                return None;
            }
        };
        self.money_errors += usize::from(money::parse(text).is_err());
        let span = node.span;
        let diagnostic = match money::parse(text) {
            Ok(value) => return Some(Located::new(value, span)),
            Err(MoneyError::Unclean { suggestion }) => {
                let d = Diagnostic::new(
                    Code::UncleanAmount,
                    span,
                    format!("`{text}` is not a clean amount of money"),
                );
                match suggestion {
                    Some(s) => d
                        .label(format!("probably {}", money::format_gbp(s)))
                        .help(format!(
                            "write `{key}: {}`; for an estimate add `approx: true`",
                            money::format_plain(s).trim_end_matches(".00")
                        )),
                    None => d.label("not a number").help(
                        "write the amount in pounds and pence, e.g. `1020` or `4462.20`; \
                         for an unknown cost write `tbc`",
                    ),
                }
            }
            Err(MoneyError::Negative { value }) => Diagnostic::new(
                Code::NegativeAmount,
                span,
                format!("amount {} is negative", money::format_gbp(value)),
            )
            .label("negative amount")
            .help("costs and funds are never negative: record an underspend as a funding source"),
            Err(MoneyError::TooManyDecimals { value }) => Diagnostic::new(
                Code::TooManyDecimals,
                span,
                format!("amount `{text}` has more than two decimal places"),
            )
            .label("more than two decimal places")
            .help(match text.trim().trim_start_matches('£').split_once('.') {
                // `1.000`: a thousands separator, or pounds and pence?
                Some((whole, pence))
                    if pence.len() == 3
                        && !whole.contains(',')
                        && !whole.trim_start_matches('0').is_empty() =>
                {
                    format!(
                    "if the dot separates thousands, write `{key}: {whole}{pence}`; for pounds and pence write two places: `{}`",
                    money::format_plain(value)
                )
                },
                _ => format!("round it to pence: `{}`", money::format_plain(value)),
            }),
            Err(MoneyError::OutOfRange) => Diagnostic::new(
                Code::AmountOutOfRange,
                span,
                format!("amount `{text}` is too large to be a real figure"),
            )
            .label("over £100,000,000,000")
            .help("check the number of digits"),
            Err(MoneyError::NotDecimal { form }) => Diagnostic::new(
                Code::UncleanAmount,
                span,
                format!("`{text}` is {form}, not an amount of money"),
            )
            .label(form)
            .help(format!(
                "write the amount in pounds and pence as decimal digits, e.g. `{key}: 1020`"
            )),
        };
        self.error(diagnostic);
        None
    }

    fn money_field(&mut self, f: &Fields, key: &str) -> Option<Located<Money>> {
        let node = f.get(key)?;
        self.money(node, key)
    }

    fn date_node(&mut self, node: &Node, key: &str) -> Option<Located<DateSpec>> {
        let text = self.scalar(node, key)?;
        match date::parse(&text.value) {
            Ok(spec) => Some(Located::new(spec, text.span)),
            Err(err) => {
                let mut d =
                    Diagnostic::new(Code::BadDate, text.span, err.message).label("not a date");
                if let Some(s) = err.suggestion {
                    d = d.help(s);
                }
                self.error(d);
                None
            }
        }
    }

    fn date(&mut self, f: &Fields, key: &str) -> Option<Located<DateSpec>> {
        let node = f.get(key)?;
        self.date_node(node, key)
    }

    fn stated(&mut self, f: &Fields, key: &str) -> Option<Located<Stated>> {
        let node = f.get(key)?;
        if let Some(text) = node.scalar_text()
            && text.trim().eq_ignore_ascii_case("tbc")
        {
            return Some(Located::new(Stated::Tbc, node.span));
        }
        self.money(node, key)
            .map(|m| Located::new(Stated::Amount(m.value), m.span))
    }

    /// `planc.toml`.
    pub fn config(&mut self, root: &Node, config: &mut Config) {
        let Some(f) = self.fields(
            root,
            "planc.toml",
            &[
                "plans",
                "framework",
                "framework_mode",
                "currency",
                "max_file_bytes",
                "checks",
                "shared",
            ],
        ) else {
            return;
        };
        config.shared = self.list(&f, "shared", |d, n| {
            let item = d.fields(n, "a shared item", &["id", "title", "amount", "note"])?;
            let id = d.req_string(&item, "id", "community-cohesion");
            let title = d.req_string(&item, "title", "Community cohesion strategy");
            Some(SharedItem {
                amount: d.money_field(&item, "amount"),
                note: d.text(&item, "note"),
                id: id?,
                title: title?.value,
            })
        });
        let base = config.root.clone();
        config.plans = self
            .ids(&f, "plans")
            .into_iter()
            .filter_map(|p| self.inside_repository(&p))
            .map(|p| base.join(p))
            .collect();
        config.framework = self
            .string(&f, "framework")
            .and_then(|p| self.inside_repository(&p))
            .map(|p| base.join(p));
        if let Some(mode) = self.keyword(
            &f,
            "framework_mode",
            &[
                ("extend", FrameworkMode::Extend),
                ("replace", FrameworkMode::Replace),
            ],
        ) {
            config.framework_mode = mode.value;
        }
        if let Some(currency) = self.currency(&f) {
            config.currency = currency;
        }
        if let Some(node) = f.get("max_file_bytes") {
            match node.scalar_text().and_then(|t| t.parse::<u64>().ok()) {
                Some(n) if n > 0 && n <= MAX_FILE_BYTES_LIMIT => config.max_file_bytes = n,
                _ => self.wrong_type(
                    node,
                    "max_file_bytes",
                    "a whole number of bytes from 1 to 1073741824 (1 GiB)",
                ),
            }
        }
        config.checks = self.checks(&f);
    }

    /// A path from `planc.toml`, if it stays inside the repository: relative,
    /// with no `..`.
    fn inside_repository(&mut self, path: &Located<String>) -> Option<String> {
        let p = std::path::Path::new(&path.value);
        let escapes = p.is_absolute()
            || p.components().any(|c| {
                matches!(
                    c,
                    std::path::Component::ParentDir | std::path::Component::Prefix(_)
                )
            });
        if escapes {
            self.error(
                Diagnostic::new(
                    Code::InvalidValue,
                    path.span,
                    format!("`{}` is outside the plan repository", path.value),
                )
                .label("absolute, or climbs out with `..`")
                .help("name files and directories relative to planc.toml, inside the repository"),
            );
            return None;
        }
        Some(path.value.clone())
    }

    /// One file's top level.
    pub fn file(&mut self, root: &Node, file: FileId) -> Fragment {
        let mut fragment = Fragment::default();
        if root.value == Value::Null {
            return fragment;
        }
        let Some(f) = self.fields(root, "a plan file", FILE_FIELDS) else {
            return fragment;
        };
        if let Some(header) = f.get("plan") {
            fragment.header = self.plan(header, file).map(|p| (p, header.span));
        }
        fragment.sources = self.list(&f, "sources", Self::source);
        fragment.partners = self.list(&f, "partners", Self::partner);
        fragment.sections = self.list(&f, "sections", Self::section);
        fragment.priorities = self.list(&f, "priorities", Self::priority);
        fragment.lost = std::mem::take(&mut self.lost);
        fragment.lost_sources = std::mem::take(&mut self.lost_sources);
        fragment
    }

    /// Notes an activity, priority or section that could not be decoded:
    /// whatever money it held is unknown, so the plan's totals are, and the
    /// diagnostics since `mark` say why and cannot be quieted.
    fn lose(&mut self, node: &Node, mark: usize) {
        self.lost.push(node.span);
        self.diags.lock_since(mark);
    }

    fn plan(&mut self, node: &Node, file: FileId) -> Option<Plan> {
        let f = self.fields(node, "the plan header", PLAN_FIELDS)?;
        let id = self.req_string(&f, "id", "druids-heath");
        let name = self.req_string(&f, "name", "The Real Link – Druids Heath");
        // Which roll-up the plan's money goes to: a typo is never quieted.
        let mark = self.diags.len();
        let kind = self
            .keyword(
                &f,
                "kind",
                &[("cluster", PlanKind::Cluster), ("county", PlanKind::County)],
            )
            .map_or(PlanKind::Cluster, |k| k.value);
        self.diags.lock_since(mark);
        let period = match f.get("period") {
            Some(p) => self.period(p),
            None => {
                self.missing(&f, "period", "{ start: 2007-09-01, end: 2008-03-31 }");
                None
            }
        };
        let status = self
            .keyword(
                &f,
                "status",
                &[
                    ("draft", PlanStatus::Draft),
                    ("submitted", PlanStatus::Submitted),
                    ("approved", PlanStatus::Approved),
                    ("closed", PlanStatus::Closed),
                ],
            )
            .map(|s| s.value);
        let review_interval = self
            .keyword(
                &f,
                "review_interval",
                &[
                    ("monthly", ReviewInterval::Monthly),
                    ("quarterly", ReviewInterval::Quarterly),
                    ("termly", ReviewInterval::Termly),
                    ("six-monthly", ReviewInterval::SixMonthly),
                    ("yearly", ReviewInterval::Yearly),
                ],
            )
            .map(|s| s.value);
        let stated = match f.get("stated") {
            Some(node) => match self.fields(
                node,
                "the stated totals",
                &["funds", "allocated", "unallocated", "countywide"],
            ) {
                Some(s) => StatedTotals {
                    funds: self.stated(&s, "funds"),
                    allocated: self.stated(&s, "allocated"),
                    unallocated: self.stated(&s, "unallocated"),
                    countywide: self.stated(&s, "countywide"),
                },
                None => StatedTotals::default(),
            },
            None => StatedTotals::default(),
        };
        let approval = f
            .get("approval")
            .and_then(|node| self.fields(node, "the approval", &["body", "date", "note"]))
            .and_then(|a| {
                let body = self.req_string(&a, "body", "Steering group")?;
                Some(Approval {
                    body: body.value,
                    date: self.date(&a, "date"),
                    note: self.text(&a, "note"),
                })
            });
        let checks = self.checks(&f);
        let plan = Plan {
            id: id?,
            name: name?.value,
            kind,
            authority: self.text(&f, "authority"),
            fund_holder: self.text(&f, "fund_holder"),
            period,
            status,
            version: self.text(&f, "version"),
            currency: self.currency(&f),
            review_interval,
            must_balance: self.bool(&f, "must_balance"),
            default_source: self.string(&f, "default_source"),
            stated,
            approval,
            summary: self.text(&f, "summary"),
            monitoring: self.text(&f, "monitoring"),
            schools: self.strings(&f, "schools"),
            schools_to_join: self.strings(&f, "schools_to_join"),
            steering_group: self.strings(&f, "steering_group"),
            checks,
            inferred: self.inferred(&f),
            sources: Vec::new(),
            partners: Vec::new(),
            sections: Vec::new(),
            header_span: node.span,
            files: vec![file],
            lost: Vec::new(),
            lost_sources: Vec::new(),
        };
        Some(plan)
    }

    /// `checks: { D002: allow }`: a severity per check code.
    pub fn checks_of(&mut self, node: &Node) -> Vec<(Id, Level)> {
        let Some(entries) = node.entries() else {
            self.wrong_type(node, "checks", "a mapping of check codes to levels");
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in entries {
            if let Some(code) = Code::from_id(&entry.key)
                && !code.adjustable()
            {
                self.error(
                    Diagnostic::new(
                        Code::InvalidValue,
                        entry.key_span,
                        format!("the level of {} cannot be changed", code.id()),
                    )
                    .severity(crate::diagnostic::Severity::Warning)
                    .label("this setting is ignored")
                    .help(format!(
                        "remove this line: {} ({}) is always an error, because a figure \
                         that cannot be read or funds that do not balance must never pass \
                         unnoticed",
                        code.id(),
                        code.info().summary
                    )),
                );
                continue;
            }
            if Code::from_id(&entry.key).is_none() {
                let ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
                self.error(
                    Diagnostic::new(
                        Code::InvalidValue,
                        entry.key_span,
                        format!("`{}` is not a check code", entry.key),
                    )
                    .label("unknown check code")
                    .help(format!("check codes are: {}", ids.join(", "))),
                );
                continue;
            }
            let Some(level) = self.scalar(&entry.value, "level") else {
                continue;
            };
            let level = self.keyword_of(
                &level,
                "level",
                &[
                    ("allow", Level::Allow),
                    ("note", Level::Note),
                    ("warning", Level::Warning),
                    ("error", Level::Error),
                ],
            );
            if let Some(level) = level {
                out.push((
                    Located::new(entry.key.to_uppercase(), entry.key_span),
                    level.value,
                ));
            }
        }
        out
    }

    /// `inferred: { field: how it was inferred }`: the fields of this item
    /// that the transcriber inferred rather than read in the source plan.
    fn inferred(&mut self, f: &Fields) -> Vec<Inferred> {
        let Some(node) = f.get("inferred") else {
            return Vec::new();
        };
        let Some(entries) = node.entries() else {
            self.wrong_type(
                node,
                "inferred",
                "a mapping of field names to how each was inferred",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in entries {
            if entry.key == "inferred" || !f.known.contains(&entry.key.as_str()) {
                let names: Vec<&str> = f
                    .known
                    .iter()
                    .copied()
                    .filter(|k| *k != "inferred")
                    .collect();
                self.error(
                    Diagnostic::new(
                        Code::InvalidValue,
                        entry.key_span,
                        format!("`{}` is not a field of {}", entry.key, f.what),
                    )
                    .label("not a field here")
                    .help(format!(
                        "`inferred` names fields of {}: {}",
                        f.what,
                        names.join(", ")
                    )),
                );
                continue;
            }
            let Some(note) = self.scalar(&entry.value, "inferred") else {
                continue;
            };
            out.push(Inferred {
                field: Located::new(entry.key.clone(), entry.key_span),
                note: note.value,
            });
        }
        out
    }

    fn checks(&mut self, f: &Fields) -> Vec<(Id, Level)> {
        match f.get("checks") {
            Some(node) => self.checks_of(node),
            None => Vec::new(),
        }
    }

    fn period(&mut self, node: &Node) -> Option<Period> {
        let f = self.fields(node, "the plan period", &["start", "end"])?;
        let start = self.date(&f, "start");
        let end = self.date(&f, "end");
        if f.get("start").is_none() {
            self.missing(&f, "start", "2007-09-01");
        }
        if f.get("end").is_none() {
            self.missing(&f, "end", "2008-03-31");
        }
        Some(Period {
            start: start?,
            end: end?,
        })
    }

    /// A plan's currency. planc adds and prints money in pounds sterling,
    /// so any other currency is an error, not figures added to pounds.
    fn currency(&mut self, f: &Fields) -> Option<String> {
        let currency = self.string(f, "currency")?;
        if !currency.value.eq_ignore_ascii_case("GBP") {
            self.error(
                Diagnostic::new(
                    Code::InvalidValue,
                    currency.span,
                    format!("planc reports money in pounds sterling, not `{}`", currency.value),
                )
                .label("only GBP")
                .help("write the plan's amounts in pounds and `currency: GBP`, or leave `currency` out")
                .locked(),
            );
        }
        Some(currency.value.to_uppercase())
    }

    fn source(&mut self, node: &Node) -> Option<Source> {
        let before = self.money_errors;
        let mark = self.diags.len();
        let Some(f) = self.fields(node, "a funding source", SOURCE_FIELDS) else {
            self.lost_sources.push(node.span);
            self.diags.lock_since(mark);
            return None;
        };
        let id = self.req_string(&f, "id", "sure-start");
        let name = self.req_string(&f, "name", "Sure Start Grant");
        let amount = self.money_field(&f, "amount");
        let (Some(id), Some(name)) = (id, name) else {
            self.lost_sources.push(node.span);
            self.diags.lock_since(mark);
            return None;
        };
        let unreadable = self.money_errors > before;
        if unreadable {
            self.diags.lock_since(mark);
        }
        Some(Source {
            amount,
            start: self.date(&f, "start"),
            restricted_to: self.ids(&f, "restricted_to"),
            note: self.text(&f, "note"),
            inferred: self.inferred(&f),
            unreadable,
            id,
            name: name.value,
        })
    }

    fn partner(&mut self, node: &Node) -> Option<Partner> {
        let f = self.fields(node, "a partner", PARTNER_FIELDS)?;
        let id = self.req_string(&f, "id", "police");
        let name = self.req_string(&f, "name", "West Midlands Police");
        Some(Partner {
            id: id?,
            name: name?.value,
        })
    }

    fn section(&mut self, node: &Node) -> Option<Section> {
        let mark = self.diags.len();
        let section = self.section_fields(node);
        if section.is_none() {
            self.lose(node, mark);
        }
        section
    }

    fn section_fields(&mut self, node: &Node) -> Option<Section> {
        let f = self.fields(node, "a section", SECTION_FIELDS)?;
        let id = self.req_string(&f, "id", "action-plan");
        let title = self.req_string(&f, "title", "Action plan");
        // Whose money the section's figures are: a typo is never quieted.
        let mark = self.diags.len();
        let scope = self
            .keyword(
                &f,
                "scope",
                &[("local", Scope::Local), ("countywide", Scope::Countywide)],
            )
            .map_or(Scope::Local, |s| s.value);
        self.diags.lock_since(mark);
        Some(Section {
            scope,
            outcome: self.string(&f, "outcome"),
            source: self.string(&f, "source"),
            stated_total: self.stated(&f, "stated_total"),
            description: self.text(&f, "description"),
            priorities: self.list(&f, "priorities", Self::priority),
            span: node.span,
            id: id?,
            title: title?.value,
        })
    }

    fn priority(&mut self, node: &Node) -> Option<Priority> {
        let mark = self.diags.len();
        let priority = self.priority_fields(node);
        if priority.is_none() {
            self.lose(node, mark);
        }
        priority
    }

    fn priority_fields(&mut self, node: &Node) -> Option<Priority> {
        let f = self.fields(node, "a priority", PRIORITY_FIELDS)?;
        let id = self.req_string(&f, "id", "safety");
        let title = self.req_string(&f, "title", "Safety");
        let core_offer = self
            .ids(&f, "core_offer")
            .iter()
            .filter_map(|word| {
                let choices: Vec<(&'static str, CoreOffer)> =
                    CoreOffer::ALL.iter().map(|c| (c.key(), *c)).collect();
                self.keyword_of(word, "core_offer", &choices)
            })
            .collect();
        let needs = match f.get("needs") {
            Some(node) => match self.fields(node, "needs", &["data", "consultation", "other"]) {
                Some(n) => Needs {
                    data: self.strings(&n, "data"),
                    consultation: self.strings(&n, "consultation"),
                    other: self.strings(&n, "other"),
                },
                None => Needs::default(),
            },
            None => Needs::default(),
        };
        Some(Priority {
            section: self.string(&f, "section"),
            outcome: self.string(&f, "outcome"),
            aims: self.ids(&f, "aims"),
            cross_references: self.list(&f, "cross_references", Self::cross_reference),
            core_offer,
            needs,
            baseline: self.text(&f, "baseline"),
            measures: self.text(&f, "measures"),
            rationale: self.text(&f, "rationale"),
            national_indicators: self.ids(&f, "national_indicators"),
            source: self.string(&f, "source"),
            stated_total: self.stated(&f, "stated_total"),
            activities: self.list(&f, "activities", Self::activity),
            further_actions: self.list(&f, "further_actions", Self::further_action),
            checks: self.checks(&f),
            span: node.span,
            id: id?,
            title: title?.value,
        })
    }

    fn cross_reference(&mut self, node: &Node) -> Option<CrossReference> {
        let f = self.fields(node, "a cross-reference", &["activity", "outcome", "note"])?;
        let outcome = self.req_string(&f, "outcome", "be-healthy");
        Some(CrossReference {
            activity: self.string(&f, "activity"),
            note: self.text(&f, "note"),
            span: node.span,
            outcome: outcome?,
        })
    }

    fn further_action(&mut self, node: &Node) -> Option<FurtherAction> {
        let f = self.fields(
            node,
            "a further action",
            &["need", "outcomes", "plan", "partners"],
        )?;
        let plan = self.req_string(&f, "plan", "Drug awareness workshops");
        Some(FurtherAction {
            need: self.text(&f, "need"),
            outcomes: self.ids(&f, "outcomes"),
            partners: self.text(&f, "partners"),
            plan: plan?.value,
        })
    }

    fn activity(&mut self, node: &Node) -> Option<Activity> {
        let mark = self.diags.len();
        let activity = self.activity_fields(node);
        if activity.is_none() {
            self.lose(node, mark);
        }
        activity
    }

    fn activity_fields(&mut self, node: &Node) -> Option<Activity> {
        let before = self.money_errors;
        let f = self.fields(node, "an activity", ACTIVITY_FIELDS)?;
        // Money under a misspelt field of the activity: its cost is unknown.
        let unknown_money = self.money_errors > before;
        let id = self.req_string(&f, "id", "\"1.1\"");
        let title = self.req_string(&f, "title", "Community facilities");
        let outcomes = self.list(&f, "outcomes", Self::outcome_code);
        let cost_mark = self.diags.len();
        let mut cost = f.get("cost").map(|c| {
            match self.cost(c) {
                Some(cost) => cost,
                None => {
                    // A cost written but not understood is money unknown,
                    // whatever the reason.
                    self.money_errors += 1;
                    Cost::unreadable(c.span)
                }
            }
        });
        if unknown_money {
            let span = f.get("cost").map_or(node.span, |c| c.span);
            let cost = cost.get_or_insert_with(|| Cost::unreadable(span));
            cost.kind = CostKind::Unreadable;
        }
        // What made the cost unknown is an error no level quiets.
        if cost
            .as_ref()
            .is_some_and(|c| c.kind == CostKind::Unreadable)
        {
            self.diags.lock_since(cost_mark);
        }
        let partners = match f.get("partners") {
            None => Vec::new(),
            Some(
                node @ Node {
                    value: Value::Seq(_),
                    ..
                },
            ) => self.partner_refs(node, "partners", PartnerRole::Existing),
            Some(node) => match self.fields(
                node,
                "an activity's partners",
                &["lead", "existing", "to_approach"],
            ) {
                Some(p) => {
                    let mut refs = Vec::new();
                    for (key, role) in [
                        ("lead", PartnerRole::Lead),
                        ("existing", PartnerRole::Existing),
                        ("to_approach", PartnerRole::ToApproach),
                    ] {
                        if let Some(list) = p.get(key) {
                            refs.extend(self.partner_refs(list, key, role));
                        }
                    }
                    refs
                }
                None => Vec::new(),
            },
        };
        let timescale = f.get("timescale").and_then(|t| self.timescale(t));
        let actions = self.list(&f, "actions", Self::action);
        let progress = self.list(&f, "progress", Self::progress);
        Some(Activity {
            description: self.text(&f, "description"),
            outcomes,
            serves: self.ids(&f, "serves"),
            strand: self.text(&f, "strand"),
            success_measures: self.strings(&f, "success_measures"),
            cost,
            partners,
            lead: self.text(&f, "lead"),
            timescale,
            sustainability: self.text(&f, "sustainability"),
            national_indicators: self.ids(&f, "national_indicators"),
            actions,
            progress,
            shared: self.string(&f, "shared"),
            checks: self.checks(&f),
            inferred: self.inferred(&f),
            span: node.span,
            id: id?,
            title: title?.value,
        })
    }

    fn partner_refs(&mut self, node: &Node, key: &str, role: PartnerRole) -> Vec<PartnerRef> {
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        items
            .into_iter()
            .filter_map(|n| self.scalar(n, key))
            .map(|id| PartnerRef { id, role })
            .collect()
    }

    fn outcome_code(&mut self, node: &Node) -> Option<OutcomeCode> {
        if node.scalar_text().is_some() {
            return Some(OutcomeCode {
                code: self.scalar(node, "outcomes")?,
                title: None,
            });
        }
        let f = self.fields(node, "an outcome code", &["code", "title"])?;
        let code = self.req_string(&f, "code", "\"2.2\"");
        Some(OutcomeCode {
            title: self.string(&f, "title"),
            code: code?,
        })
    }

    fn timescale(&mut self, node: &Node) -> Option<Timescale> {
        if let Some(text) = node.scalar_text() {
            return Some(Timescale {
                start: None,
                end: None,
                text: Some(text.to_string()),
                span: node.span,
            });
        }
        let f = self.fields(node, "a timescale", &["start", "end", "text"])?;
        Some(Timescale {
            start: self.date(&f, "start"),
            end: self.date(&f, "end"),
            text: self.text(&f, "text"),
            span: node.span,
        })
    }

    fn action(&mut self, node: &Node) -> Option<Action> {
        if let Some(text) = node.scalar_text() {
            return Some(Action {
                text: text.to_string(),
                progress: Vec::new(),
            });
        }
        let f = self.fields(node, "an action", &["text", "progress"])?;
        let text = self.req_string(&f, "text", "Set up a focus group");
        Some(Action {
            progress: self.list(&f, "progress", Self::progress),
            text: text?.value,
        })
    }

    fn progress(&mut self, node: &Node) -> Option<Progress> {
        let f = self.fields(node, "a progress update", PROGRESS_FIELDS)?;
        let date = match f.get("date") {
            Some(d) => self.date_node(d, "date"),
            None => {
                self.missing(&f, "date", "2008-06-30");
                None
            }
        };
        let rag = self
            .keyword(
                &f,
                "rag",
                &[
                    ("red", Rag::Red),
                    ("amber", Rag::Amber),
                    ("green", Rag::Green),
                ],
            )
            .map(|r| r.value);
        let status = self
            .keyword(
                &f,
                "status",
                &[
                    ("not-started", WorkStatus::NotStarted),
                    ("in-progress", WorkStatus::InProgress),
                    ("complete", WorkStatus::Complete),
                ],
            )
            .map(|s| s.value);
        Some(Progress {
            rag,
            status,
            text: self.text(&f, "text"),
            mitigation: self.text(&f, "mitigation"),
            completed: self.date(&f, "completed"),
            span: node.span,
            date: date?,
        })
    }

    fn cost(&mut self, node: &Node) -> Option<Cost> {
        let simple = |kind| Cost::simple(kind, node.span);
        if let Some(text) = node.scalar_text() {
            let word = text.trim().to_lowercase();
            return match word.as_str() {
                "tbc" | "tba" | "to be confirmed" => Some(simple(CostKind::Tbc)),
                "n/a" | "na" | "none" | "not applicable" => Some(simple(CostKind::NotApplicable)),
                _ => self
                    .money(node, "cost")
                    .map(|m| simple(CostKind::Amount(m))),
            };
        }
        let before = self.money_errors;
        let f = self.fields(node, "a cost", COST_FIELDS)?;
        let unknown_money = self.money_errors > before;
        // How many lines, shares or years were written, to tell whether
        // every one of them could be read.
        let written = |key: &str| match f.get(key).map(|n| &n.value) {
            Some(Value::Seq(items)) => items.len(),
            Some(Value::Map(entries)) => entries.len(),
            _ => 0,
        };
        let lines = self.list(&f, "lines", |d, n| {
            let l = d.fields(n, "a cost line", &["item", "amount"])?;
            let item = d.req_string(&l, "item", "External training");
            let amount = match l.get("amount") {
                Some(a) => d.money(a, "amount"),
                None => {
                    d.missing(&l, "amount", "8000");
                    None
                }
            };
            Some(CostLine {
                item: item?.value,
                amount: amount?,
            })
        });
        let shares = self.list(&f, "sources", |d, n| {
            let s = d.fields(n, "a source's share", &["source", "amount"])?;
            let source = d.req_string(&s, "source", "action-plan");
            let amount = match s.get("amount") {
                Some(a) => d.money(a, "amount"),
                None => {
                    d.missing(&s, "amount", "600");
                    None
                }
            };
            Some(SourceShare {
                source: source?,
                amount: amount?,
            })
        });
        let phasing = match f.get("phasing") {
            None => Vec::new(),
            Some(p) => match p.entries() {
                Some(entries) => entries
                    .iter()
                    .filter_map(|e| {
                        let year_node = Node {
                            span: e.key_span,
                            value: Value::Str(e.key.clone()),
                        };
                        let year = self.date_node(&year_node, "phasing year");
                        let amount = self.money(&e.value, "amount");
                        Some(Phase {
                            year: year?,
                            amount: amount?,
                        })
                    })
                    .collect(),
                None => {
                    self.wrong_type(p, "phasing", "a mapping of years to amounts");
                    Vec::new()
                }
            },
        };
        let lines_incomplete = lines.len() < written("lines");
        let breakdown_incomplete = lines_incomplete || phasing.len() < written("phasing");
        // Without every share, what each source pays is unknown.
        let split_unknown = shares.len() < written("sources");
        let forms: Vec<&str> = ["amount", "tbc", "not_applicable", "see", "met_by"]
            .into_iter()
            .filter(|k| f.get(k).is_some())
            .collect();
        let kind = match forms.as_slice() {
            ["amount"] => CostKind::Amount(self.money_field(&f, "amount")?),
            ["tbc"] => CostKind::Tbc,
            ["not_applicable"] => CostKind::NotApplicable,
            ["see"] => CostKind::See(self.string(&f, "see")?),
            [_] => {
                let how = self
                    .keyword(
                        &f,
                        "how",
                        &[
                            ("in-kind", MetBy::InKind),
                            ("staff-time", MetBy::StaffTime),
                            ("other-fund", MetBy::OtherFund),
                        ],
                    )
                    .map_or(MetBy::OtherFund, |h| h.value);
                CostKind::Met {
                    by: self.text(&f, "met_by")?,
                    how,
                }
            }
            [] if !lines.is_empty() && lines_incomplete => CostKind::Unreadable,
            [] if !lines.is_empty() => {
                let total = lines.iter().map(|l| l.amount.value).sum();
                let span = f.get("lines").map_or(node.span, |n| n.span);
                CostKind::Amount(Located::new(total, span))
            }
            [] => {
                self.error(
                    Diagnostic::new(Code::MissingField, node.span, "a cost says nothing about its amount")
                        .label("no `amount`, `tbc`, `see` or `met_by`")
                        .help("add `amount: 1020`, or `tbc: true`, `see: \"2.1\"` or `met_by: NRF funding`"),
                );
                return None;
            }
            [_, second, ..] => {
                let span = f.get(second).map_or(node.span, |n| n.span);
                self.error(
                    Diagnostic::new(
                        Code::InvalidValue,
                        span,
                        format!(
                            "a cost is either {} or the other, not both",
                            forms.join(" or ")
                        ),
                    )
                    .label("second kind of cost")
                    .help("keep one of `amount`, `tbc`, `not_applicable`, `see` and `met_by`"),
                );
                return None;
            }
        };
        let tbc_note = match f.get("tbc").map(|n| &n.value) {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        };
        if let (Some(one), false) = (f.get("source"), shares.is_empty()) {
            self.error(
                Diagnostic::new(
                    Code::InvalidValue,
                    one.span,
                    "a cost names both `source` and `sources`",
                )
                .label("which source pays is unclear")
                .help("keep `sources` with each source's share, or `source` alone")
                .locked(),
            );
        }
        let kind = if unknown_money || split_unknown {
            CostKind::Unreadable
        } else {
            kind
        };
        Some(Cost {
            kind,
            incomplete: breakdown_incomplete,
            source: self.string(&f, "source"),
            shares,
            lines,
            phasing,
            approx: self.bool(&f, "approx"),
            note: self.text(&f, "note").or(tbc_note),
            span: node.span,
        })
    }
}

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
