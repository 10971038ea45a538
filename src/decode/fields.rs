//! The field machinery: a mapping's keys checked against the known field
//! names (money under an unknown one is never dropped silently), and the
//! readers of text, lists, keywords, amounts, dates and check levels.

use super::*;
use crate::diagnostic::{Edit, EditKind};

impl<'d> Decoder<'d> {
    pub fn new(diags: &'d mut Diagnostics) -> Self {
        Decoder {
            diags,
            money_errors: 0,
            lost: Vec::new(),
            lost_sources: Vec::new(),
        }
    }

    pub(super) fn error(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    /// Checks that `node` is a mapping and that every key is known.
    pub(super) fn fields<'n>(
        &mut self,
        node: &'n Node,
        shape: &'static Shape,
    ) -> Option<Fields<'n>> {
        let (what, known) = (shape.what, shape.fields);
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
        // The name each unknown key is certainly a slip for, if any: a fix
        // renames it only if the mapping does not have that name already
        // and no other key here would take it too.
        let certain: Vec<Option<&str>> = entries
            .iter()
            .map(|e| {
                if known.contains(&e.key.as_str()) {
                    None
                } else {
                    suggest::certain(&e.key, known.iter().copied())
                }
            })
            .collect();
        for (entry, sure) in entries.iter().zip(&certain) {
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
            if let Some(near) = *sure
                && !entries.iter().any(|e| e.key == near)
                && certain.iter().filter(|c| **c == Some(near)).count() == 1
            {
                diagnostic = diagnostic.with_fix(
                    format!("rename `{}` to `{near}`", entry.key),
                    Edit::new(entry.key_span, EditKind::Key, near),
                );
            }
            self.error(diagnostic);
        }
        Some(Fields { node, shape })
    }

    pub(super) fn missing(&mut self, fields: &Fields, key: &str, example: &str) {
        // A missing `title` was already reported as the typo `titel`.
        let typo = fields.node.entries().unwrap_or_default().iter().any(|e| {
            !fields.shape.fields.contains(&e.key.as_str())
                && suggest::nearest(&e.key, fields.shape.fields.iter().copied()) == Some(key)
        });
        if typo {
            return;
        }
        self.error(
            Diagnostic::new(
                Code::MissingField,
                fields.node.span,
                format!("{} has no `{key}`", fields.shape.what),
            )
            .label(format!("`{key}` is required here"))
            .help(format!("add `{key}: {example}`")),
        );
    }

    pub(super) fn wrong_type(&mut self, node: &Node, key: &str, expected: &str) {
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

    pub(super) fn scalar(&mut self, node: &Node, key: &str) -> Option<Located<String>> {
        match node.scalar_text() {
            Some(text) => Some(Located::new(text.trim().to_string(), node.span)),
            None => {
                self.wrong_type(node, key, "text");
                None
            }
        }
    }

    pub(super) fn string(&mut self, f: &Fields, key: &str) -> Option<Located<String>> {
        let node = f.get(key)?;
        self.scalar(node, key)
    }

    pub(super) fn req_string(
        &mut self,
        f: &Fields,
        key: &str,
        example: &str,
    ) -> Option<Located<String>> {
        match f.get(key) {
            // An empty id names nothing: as if there were none.
            Some(node)
                if key == "id" && node.scalar_text().is_some_and(|t| t.trim().is_empty()) =>
            {
                self.error(
                    Diagnostic::new(
                        Code::MissingField,
                        node.span,
                        format!("{} has an empty `id`", f.shape.what),
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

    pub(super) fn text(&mut self, f: &Fields, key: &str) -> Option<String> {
        self.string(f, key).map(|s| s.value)
    }

    /// A list of strings, or one string.
    pub(super) fn strings(&mut self, f: &Fields, key: &str) -> Vec<String> {
        self.ids(f, key).into_iter().map(|s| s.value).collect()
    }

    /// A list of names or ids, or one.
    pub(super) fn ids(&mut self, f: &Fields, key: &str) -> Vec<Id> {
        match f.get(key) {
            None => Vec::new(),
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => items.iter().filter_map(|n| self.scalar(n, key)).collect(),
            Some(node) => self.scalar(node, key).into_iter().collect(),
        }
    }

    pub(super) fn list<T>(
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
                } else if key == "sources" && f.shape.what != "a cost" {
                    self.lost_sources.push(node.span);
                    self.diags.lock_since(mark);
                }
                Vec::new()
            }
        }
    }

    pub(super) fn bool(&mut self, f: &Fields, key: &str) -> bool {
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

    pub(super) fn keyword<T: Copy>(
        &mut self,
        f: &Fields,
        key: &str,
        choices: &[(&'static str, T)],
    ) -> Option<Located<T>> {
        let text = self.string(f, key)?;
        self.keyword_of(&text, key, choices)
    }

    pub(super) fn keyword_of<T: Copy>(
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
                    Some(s) => {
                        let d = d
                            .label(format!("probably {}", money::format_gbp(s)))
                            .help(format!(
                                "write `{key}: {}`; for an estimate add `approx: true`",
                                money::format_plain(s).trim_end_matches(".00")
                            ));
                        // Only when the amount can be read one way alone
                        // (`£36'000`, `15k`), and as that same amount.
                        match crate::fix::certain_amount(text) {
                            Some((value, token)) if value == s => d.with_fix(
                                format!("write `{}` as `{token}`", suggest::short(text.trim())),
                                Edit::new(span, EditKind::Amount, token),
                            ),
                            _ => d,
                        }
                    }
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

    pub(super) fn money_field(&mut self, f: &Fields, key: &str) -> Option<Located<Money>> {
        let node = f.get(key)?;
        self.money(node, key)
    }

    pub(super) fn date_node(&mut self, node: &Node, key: &str) -> Option<Located<DateSpec>> {
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

    pub(super) fn date(&mut self, f: &Fields, key: &str) -> Option<Located<DateSpec>> {
        let node = f.get(key)?;
        self.date_node(node, key)
    }

    pub(super) fn stated(&mut self, f: &Fields, key: &str) -> Option<Located<Stated>> {
        let node = f.get(key)?;
        if let Some(text) = node.scalar_text()
            && text.trim().eq_ignore_ascii_case("tbc")
        {
            return Some(Located::new(Stated::Tbc, node.span));
        }
        self.money(node, key)
            .map(|m| Located::new(Stated::Amount(m.value), m.span))
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
    pub(super) fn inferred(&mut self, f: &Fields) -> Vec<Inferred> {
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
            if entry.key == "inferred" || !f.shape.fields.contains(&entry.key.as_str()) {
                let names: Vec<&str> = f
                    .shape
                    .fields
                    .iter()
                    .copied()
                    .filter(|k| *k != "inferred")
                    .collect();
                self.error(
                    Diagnostic::new(
                        Code::InvalidValue,
                        entry.key_span,
                        format!("`{}` is not a field of {}", entry.key, f.shape.what),
                    )
                    .label("not a field here")
                    .help(format!(
                        "`inferred` names fields of {}: {}",
                        f.shape.what,
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

    pub(super) fn checks(&mut self, f: &Fields) -> Vec<(Id, Level)> {
        match f.get("checks") {
            Some(node) => self.checks_of(node),
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Fix;
    use crate::load::{toml, yaml};
    use crate::source::SourceFile;

    /// The fixes the decoder attaches to a file, with the text each edit
    /// replaces.
    fn fixes(name: &str, text: &str) -> Vec<(Code, Fix, String)> {
        let source = SourceFile::new(name.into(), text.to_string());
        let root = if name.ends_with(".toml") {
            toml::parse(FileId(0), text)
        } else {
            yaml::parse(FileId(0), &source)
        }
        .expect("parses");
        let mut diags = Diagnostics::default();
        Decoder::new(&mut diags).file(&root, FileId(0));
        diags
            .into_sorted()
            .into_iter()
            .filter_map(|d| {
                let fix = d.fix?;
                let replaced = fix.edits.iter().map(|e| source.slice(e.span)).collect();
                Some((d.code, *fix, replaced))
            })
            .collect()
    }

    const ACTIVITY: &str = "sections:\n  - id: s\n    title: S\n    priorities:\n      - id: p\n        title: P\n        activities:\n";

    #[test]
    fn an_unknown_field_with_one_near_name_is_renamed_by_its_key_alone() {
        let text = format!(
            "{ACTIVITY}          - id: a\n            title: A\n            cots: 100  # typo\n"
        );
        let found = fixes("p.yaml", &text);
        assert_eq!(found.len(), 1, "{found:?}");
        let (code, fix, replaced) = &found[0];
        assert_eq!(*code, Code::UnknownField);
        assert_eq!(replaced, "cots");
        assert_eq!(fix.edits[0].replacement, "cost");
        assert_eq!(fix.edits[0].kind, EditKind::Key);
        assert_eq!(fix.description, "rename `cots` to `cost`");
        // A quoted key is replaced whole, quotes and all.
        let text = "[plan]\nid = \"x\"\n\"nmae\" = \"X\"\n";
        let found = fixes("p.toml", text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1.edits[0].replacement, "name");
        assert_eq!(found[0].2, "\"nmae\"");
    }

    #[test]
    fn no_rename_when_the_name_is_there_or_not_certain() {
        // `cost` is there already: renaming `cots` would lose one of them.
        let text = format!(
            "{ACTIVITY}          - id: a\n            title: A\n            cost: 5\n            cots: 100\n"
        );
        assert!(fixes("p.yaml", &text).is_empty());
        // Two keys that would both become `cost`.
        let text = format!(
            "{ACTIVITY}          - id: a\n            title: A\n            cots: 5\n            csot: 100\n"
        );
        assert!(fixes("p.yaml", &text).is_empty());
        // `sorce` is near both `source` and `sources` of a cost.
        let text = format!(
            "{ACTIVITY}          - id: a\n            title: A\n            cost: {{ amount: 5, sorce: x }}\n"
        );
        assert!(fixes("p.yaml", &text).is_empty());
        // Nothing near at all.
        let text =
            format!("{ACTIVITY}          - id: a\n            title: A\n            zzz: 5\n");
        assert!(fixes("p.yaml", &text).is_empty());
    }

    #[test]
    fn an_amount_with_one_reading_is_rewritten_as_the_same_amount() {
        for (written, token, replaced) in [
            ("\"£36'000\"", "36000", "\"£36'000\""),
            ("£36'000", "36000", "£36'000"),
            ("'£36''000.5'", "36000.50", "'£36''000.5'"),
            ("15k", "15000", "15k"),
            ("\"£6.3 million\"", "6300000", "\"£6.3 million\""),
        ] {
            let text = format!("{ACTIVITY}          - {{ id: a, title: A, cost: {written} }}\n");
            let found = fixes("p.yaml", &text);
            assert_eq!(found.len(), 1, "{written}: {found:?}");
            let (code, fix, seen) = &found[0];
            assert_eq!(*code, Code::UncleanAmount);
            assert_eq!(fix.edits[0].kind, EditKind::Amount);
            assert_eq!(fix.edits[0].replacement, token, "{written}");
            assert_eq!(seen, replaced, "the whole token, quotes included");
        }
        let text = "[[sources]]\nid = \"s\"\nname = \"S\"\namount = \"£36,000.00.\"\n\n[[sources]]\nid = \"t\"\nname = \"T\"\namount = \"£36'000\"\n";
        let found = fixes("p.toml", text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2, "\"£36'000\"");
        assert_eq!(found[0].1.edits[0].replacement, "36000");
    }

    #[test]
    fn no_fix_for_an_amount_that_may_be_read_two_ways() {
        for written in [
            "'1.000'",
            "'1,00'",
            "'£7,,000'",
            "about 5000",
            "'1e6'",
            "twelve",
            "'-£36''000'",
            "'£4,462.20'",
        ] {
            let text = format!("{ACTIVITY}          - {{ id: a, title: A, cost: {written} }}\n");
            assert!(fixes("p.yaml", &text).is_empty(), "{written}");
        }
    }
}
