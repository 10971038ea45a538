//! Decoders per part of the model: planc.toml, a file's top level, the
//! plan header, sources, partners, sections, priorities, activities and
//! their parts.

use super::*;

impl Decoder<'_> {
    /// `planc.toml`.
    pub fn config(&mut self, root: &Node, config: &mut Config) {
        let Some(f) = self.fields(root, &shapes::CONFIG) else {
            return;
        };
        config.shared = self.list(&f, "shared", |d, n| {
            let item = d.fields(n, &shapes::SHARED_ITEM)?;
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
    pub(super) fn inside_repository(&mut self, path: &Located<String>) -> Option<String> {
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
        let Some(f) = self.fields(root, &shapes::FILE) else {
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
    pub(super) fn lose(&mut self, node: &Node, mark: usize) {
        self.lost.push(node.span);
        self.diags.lock_since(mark);
    }

    pub(super) fn plan(&mut self, node: &Node, file: FileId) -> Option<Plan> {
        let f = self.fields(node, &shapes::HEADER)?;
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
            Some(node) => match self.fields(node, &shapes::STATED) {
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
            .and_then(|node| self.fields(node, &shapes::APPROVAL))
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

    pub(super) fn period(&mut self, node: &Node) -> Option<Period> {
        let f = self.fields(node, &shapes::PERIOD)?;
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
    pub(super) fn currency(&mut self, f: &Fields) -> Option<String> {
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

    pub(super) fn source(&mut self, node: &Node) -> Option<Source> {
        let before = self.money_errors;
        let mark = self.diags.len();
        let Some(f) = self.fields(node, &shapes::SOURCE) else {
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

    pub(super) fn partner(&mut self, node: &Node) -> Option<Partner> {
        let f = self.fields(node, &shapes::PARTNER)?;
        let id = self.req_string(&f, "id", "police");
        let name = self.req_string(&f, "name", "West Midlands Police");
        Some(Partner {
            id: id?,
            name: name?.value,
        })
    }

    pub(super) fn section(&mut self, node: &Node) -> Option<Section> {
        let mark = self.diags.len();
        let section = self.section_fields(node);
        if section.is_none() {
            self.lose(node, mark);
        }
        section
    }

    pub(super) fn section_fields(&mut self, node: &Node) -> Option<Section> {
        let f = self.fields(node, &shapes::SECTION)?;
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

    pub(super) fn priority(&mut self, node: &Node) -> Option<Priority> {
        let mark = self.diags.len();
        let priority = self.priority_fields(node);
        if priority.is_none() {
            self.lose(node, mark);
        }
        priority
    }

    pub(super) fn priority_fields(&mut self, node: &Node) -> Option<Priority> {
        let f = self.fields(node, &shapes::PRIORITY)?;
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
            Some(node) => match self.fields(node, &shapes::NEEDS) {
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

    pub(super) fn cross_reference(&mut self, node: &Node) -> Option<CrossReference> {
        let f = self.fields(node, &shapes::CROSS_REFERENCE)?;
        let outcome = self.req_string(&f, "outcome", "be-healthy");
        Some(CrossReference {
            activity: self.string(&f, "activity"),
            note: self.text(&f, "note"),
            span: node.span,
            outcome: outcome?,
        })
    }

    pub(super) fn further_action(&mut self, node: &Node) -> Option<FurtherAction> {
        let f = self.fields(node, &shapes::FURTHER_ACTION)?;
        let plan = self.req_string(&f, "plan", "Drug awareness workshops");
        Some(FurtherAction {
            need: self.text(&f, "need"),
            outcomes: self.ids(&f, "outcomes"),
            partners: self.text(&f, "partners"),
            plan: plan?.value,
        })
    }

    pub(super) fn activity(&mut self, node: &Node) -> Option<Activity> {
        let mark = self.diags.len();
        let activity = self.activity_fields(node);
        if activity.is_none() {
            self.lose(node, mark);
        }
        activity
    }

    pub(super) fn activity_fields(&mut self, node: &Node) -> Option<Activity> {
        let before = self.money_errors;
        let f = self.fields(node, &shapes::ACTIVITY)?;
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
            ) => self.partner_refs(node, "partners", PartnerRole::Unstated),
            Some(node) => match self.fields(node, &shapes::PARTNER_ROLES) {
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

    pub(super) fn partner_refs(
        &mut self,
        node: &Node,
        key: &str,
        role: PartnerRole,
    ) -> Vec<PartnerRef> {
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

    pub(super) fn outcome_code(&mut self, node: &Node) -> Option<OutcomeCode> {
        if node.scalar_text().is_some() {
            return Some(OutcomeCode {
                code: self.scalar(node, "outcomes")?,
                title: None,
            });
        }
        let f = self.fields(node, &shapes::OUTCOME_CODE)?;
        let code = self.req_string(&f, "code", "\"2.2\"");
        Some(OutcomeCode {
            title: self.string(&f, "title"),
            code: code?,
        })
    }

    pub(super) fn timescale(&mut self, node: &Node) -> Option<Timescale> {
        if let Some(text) = node.scalar_text() {
            return Some(Timescale {
                start: None,
                end: None,
                text: Some(text.to_string()),
                span: node.span,
            });
        }
        let f = self.fields(node, &shapes::TIMESCALE)?;
        Some(Timescale {
            start: self.date(&f, "start"),
            end: self.date(&f, "end"),
            text: self.text(&f, "text"),
            span: node.span,
        })
    }

    pub(super) fn action(&mut self, node: &Node) -> Option<Action> {
        if let Some(text) = node.scalar_text() {
            return Some(Action {
                text: text.to_string(),
                success_measures: Vec::new(),
                progress: Vec::new(),
            });
        }
        let f = self.fields(node, &shapes::ACTION)?;
        let text = self.req_string(&f, "text", "Set up a focus group");
        Some(Action {
            success_measures: self.strings(&f, "success_measures"),
            progress: self.list(&f, "progress", Self::progress),
            text: text?.value,
        })
    }

    pub(super) fn progress(&mut self, node: &Node) -> Option<Progress> {
        let f = self.fields(node, &shapes::PROGRESS)?;
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
}
