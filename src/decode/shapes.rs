//! Every mapping of the plan format, declared once: what a message calls
//! it, the schema definition that mirrors it, and its field names. The
//! decoder reads a mapping only through its shape (`Decoder::fields`), and
//! a test decodes a plan holding every field to prove that the keys each
//! decoder asks for are exactly the declared ones and the schema's.

/// One kind of mapping in a plan file or planc.toml.
#[derive(Debug)]
pub struct Shape {
    /// How messages name it: "unknown field `x` in an activity".
    pub what: &'static str,
    /// Its definition in `planc schema` (`None`: the top level of a plan
    /// file is the schema's root; planc.toml has no schema).
    pub schema: Schema,
    pub fields: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    Root,
    Def(&'static str),
    NotInSchema,
}

macro_rules! shapes {
    ($($name:ident = $what:literal, $schema:expr, [$($field:literal),* $(,)?];)*) => {
        $(pub const $name: Shape = Shape { what: $what, schema: $schema, fields: &[$($field),*] };)*
        /// Every shape, for the tests that tie them to the decoder and the schema.
        #[cfg(test)]
        pub const ALL: &[&Shape] = &[$(&$name),*];
    };
}

use Schema::{Def, NotInSchema, Root};

shapes! {
    CONFIG = "planc.toml", NotInSchema,
        ["plans", "framework", "framework_mode", "currency", "max_file_bytes", "checks", "shared"];
    SHARED_ITEM = "a shared item", NotInSchema, ["id", "title", "amount", "note"];
    FILE = "a plan file", Root, ["plan", "sources", "partners", "sections", "priorities"];
    HEADER = "the plan header", Def("Header"), [
        "id", "name", "kind", "authority", "fund_holder", "period", "status", "version",
        "currency", "review_interval", "must_balance", "default_source", "stated", "approval",
        "summary", "monitoring", "schools", "schools_to_join", "steering_group", "checks",
        "inferred",
    ];
    PERIOD = "the plan period", Def("Period"), ["start", "end"];
    STATED = "the stated totals", Def("StatedTotals"),
        ["funds", "allocated", "unallocated", "countywide"];
    APPROVAL = "the approval", Def("Approval"), ["body", "date", "note"];
    SOURCE = "a funding source", Def("Source"),
        ["id", "name", "amount", "start", "restricted_to", "note", "inferred"];
    PARTNER = "a partner", Def("Partner"), ["id", "name"];
    SECTION = "a section", Def("Section"), [
        "id", "title", "scope", "outcome", "source", "stated_total", "description", "priorities",
    ];
    PRIORITY = "a priority", Def("Priority"), [
        "id", "title", "section", "outcome", "aims", "cross_references", "core_offer", "needs",
        "baseline", "measures", "rationale", "national_indicators", "source", "stated_total",
        "activities", "further_actions", "checks",
    ];
    NEEDS = "needs", Def("Needs"), ["data", "consultation", "other"];
    CROSS_REFERENCE = "a cross-reference", Def("CrossReference"), ["activity", "outcome", "note"];
    FURTHER_ACTION = "a further action", Def("FurtherAction"),
        ["need", "outcomes", "plan", "partners"];
    ACTIVITY = "an activity", Def("Activity"), [
        "id", "title", "description", "outcomes", "serves", "strand", "success_measures",
        "cost", "partners", "lead", "timescale", "sustainability", "national_indicators",
        "actions", "progress", "shared", "checks", "inferred",
    ];
    PARTNER_ROLES = "an activity's partners", Def("PartnerRoles"),
        ["lead", "existing", "to_approach"];
    OUTCOME_CODE = "an outcome code", Def("TitledCode"), ["code", "title"];
    TIMESCALE = "a timescale", Def("TimescaleDates"), ["start", "end", "text"];
    ACTION = "an action", Def("ActionWithProgress"), ["text", "success_measures", "progress"];
    PROGRESS = "a progress update", Def("Progress"),
        ["date", "rag", "status", "text", "mitigation", "completed"];
    COST = "a cost", Def("CostDetails"), [
        "amount", "tbc", "not_applicable", "not_stated", "see", "met_by", "how", "source",
        "sources", "lines", "phasing", "approx", "note",
    ];
    COST_LINE = "a cost line", Def("Line"), ["item", "amount", "success_measures"];
    SHARE = "a source's share", Def("Share"), ["source", "amount"];
}

#[cfg(test)]
thread_local! {
    /// The keys each shape's decoder asked for, in this test thread.
    static ASKED: std::cell::RefCell<std::collections::BTreeMap<&'static str, std::collections::BTreeSet<String>>> =
        Default::default();
}

#[cfg(test)]
pub(super) fn record_asked(shape: &'static Shape, key: &str) {
    ASKED.with(|asked| {
        asked
            .borrow_mut()
            .entry(shape.what)
            .or_default()
            .insert(key.to_string());
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::decode::Decoder;
    use crate::diagnostic::Diagnostics;
    use crate::load::{toml, yaml};
    use crate::source::{FileId, SourceFile};
    use std::collections::BTreeSet;

    const PLAN: &str = include_str!("../../tests/every-field/plan.yaml");
    const CONFIG: &str = include_str!("../../tests/every-field/planc.toml");

    fn schema_properties(schema: &serde_json::Value, which: Schema) -> Option<BTreeSet<String>> {
        let node = match which {
            Schema::Root => schema,
            Schema::Def(name) => &schema["$defs"][name],
            Schema::NotInSchema => return None,
        };
        let properties = node["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{which:?} has properties in the schema"));
        Some(properties.keys().cloned().collect())
    }

    /// Decodes a plan and a planc.toml holding every field: each shape's
    /// decoder must ask for exactly its declared fields (a field declared
    /// but never read, or read but not declared, fails), and the schema
    /// must describe exactly those fields.
    #[test]
    fn the_decoders_the_declarations_and_the_schema_agree() {
        let mut diags = Diagnostics::default();
        let plan = SourceFile::new("plan.yaml".into(), PLAN.to_string());
        let root = yaml::parse(FileId(0), &plan).expect("valid YAML");
        Decoder::new(&mut diags).file(&root, FileId(0));
        let root = toml::parse(FileId(1), CONFIG).expect("valid TOML");
        let mut config = Config::new(".".into());
        Decoder::new(&mut diags).config(&root, &mut config);
        let problems: Vec<String> = diags
            .into_sorted()
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert!(
            problems.is_empty(),
            "the fixture decodes cleanly: {problems:?}"
        );

        let schema = serde_json::to_value(schemars::schema_for!(crate::schema::PlanFile)).unwrap();
        let asked = ASKED.with(|asked| asked.borrow().clone());
        let mut whats = BTreeSet::new();
        for shape in ALL {
            assert!(
                whats.insert(shape.what),
                "two shapes are called {}",
                shape.what
            );
            let declared: BTreeSet<String> = shape.fields.iter().map(|f| f.to_string()).collect();
            assert_eq!(
                declared.len(),
                shape.fields.len(),
                "{} declares a field twice",
                shape.what
            );
            let asked = asked.get(shape.what).cloned().unwrap_or_default();
            assert_eq!(
                asked, declared,
                "the keys the decoder of {} asks for",
                shape.what
            );
            if let Some(properties) = schema_properties(&schema, shape.schema) {
                assert_eq!(properties, declared, "the schema of {}", shape.what);
            }
        }
    }
}
