//! A cost in any of its forms: an amount, TBC, N/A, see another activity,
//! met elsewhere, lines, shares between sources, yearly phasing.

use super::*;

impl Decoder<'_> {
    pub(super) fn cost(&mut self, node: &Node) -> Option<Cost> {
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
        let f = self.fields(node, &shapes::COST)?;
        let unknown_money = self.money_errors > before;
        // How many lines, shares or years were written, to tell whether
        // every one of them could be read.
        let written = |key: &str| match f.get(key).map(|n| &n.value) {
            Some(Value::Seq(items)) => items.len(),
            Some(Value::Map(entries)) => entries.len(),
            _ => 0,
        };
        let lines = self.list(&f, "lines", |d, n| {
            let l = d.fields(n, &shapes::COST_LINE)?;
            let item = d.req_string(&l, "item", "External training");
            let amount = match l.get("amount") {
                Some(a) => d.money(a, "amount"),
                None => {
                    d.missing(&l, "amount", "8000");
                    None
                }
            };
            Some(CostLine {
                success_measures: d.strings(&l, "success_measures"),
                item: item?.value,
                amount: amount?,
            })
        });
        let shares = self.list(&f, "sources", |d, n| {
            let s = d.fields(n, &shapes::SHARE)?;
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
                        let amount = self.money(&e.value, &e.key);
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
        let forms: Vec<&str> = [
            "amount",
            "tbc",
            "not_applicable",
            "not_stated",
            "see",
            "met_by",
        ]
        .into_iter()
        .filter(|k| f.get(k).is_some())
        .collect();
        let kind = match forms.as_slice() {
            ["amount"] => CostKind::Amount(self.money_field(&f, "amount")?),
            ["tbc"] => CostKind::Tbc,
            ["not_applicable"] => CostKind::NotApplicable,
            ["not_stated"] => CostKind::NotStated(match f.get("not_stated").map(|n| &n.value) {
                Some(Value::Bool(_)) => String::new(),
                _ => self.text(&f, "not_stated").unwrap_or_default(),
            }),
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
            // A note alone is the plan's words for a cost it does not state.
            [] if f.get("note").is_some() && lines.is_empty() && shares.is_empty() => {
                CostKind::NotStated(self.text(&f, "note").unwrap_or_default())
            }
            [] => {
                self.error(
                    Diagnostic::new(Code::MissingField, node.span, "a cost says nothing about its amount")
                        .label("no `amount`, `tbc`, `not_applicable`, `not_stated`, `see` or `met_by`")
                        .help("add `amount: 1020`, or `tbc: true`, `not_applicable: true`, `not_stated: may be allocated locally`, `see: \"2.1\"` or `met_by: NRF funding`"),
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
