//! The catalogue of diagnostic codes. Each code is declared once, in the
//! `declare_codes!` invocation below, with its id, name, default severity,
//! whether a level may change that severity, summary, explanation and a
//! wrong and a right example. The `Code` enum, `Code::ALL`, `Code::info`,
//! `Code::adjustable` and `docs/codes.md` are all derived from it; the
//! README's list of checks, `planc explain` and the SARIF rules read it.

use crate::diagnostic::Severity;

/// Declares the diagnostic codes, family by family, each with its
/// catalogue entry, and derives from the one declaration:
///
/// - the `Code` enum, one variant per code, in declaration order;
/// - `Code::ALL`, in the same order (it fixes the SARIF rule indices and
///   the order `planc explain` lists the codes in, so new codes go at the
///   end of their family and nothing is reordered lightly);
/// - `Code::info`, the entry as a `CodeInfo`;
/// - `Code::adjustable`, whether a level may change the code's severity;
/// - `Code::family`, the family's heading in `docs/codes.md`.
///
/// Every code of a family has ids with the same letter (a test checks it).
macro_rules! declare_codes {
    ($(
        family $family:literal {
            $(
                $variant:ident {
                    id: $id:literal,
                    name: $name:literal,
                    severity: $severity:ident,
                    adjustable: $adjustable:literal,
                    summary: $summary:literal,
                    explanation: $explanation:literal,
                    wrong: $wrong:literal,
                    right: $right:literal $(,)?
                }
            ),* $(,)?
        }
    )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(
                #[doc = concat!($id, " ", $name, ": ", $summary, ".")]
                $variant,
            )*)*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$($(Code::$variant,)*)*];

            pub fn info(self) -> CodeInfo {
                match self {
                    $($(
                        Code::$variant => CodeInfo {
                            id: $id,
                            name: $name,
                            severity: Severity::$severity,
                            summary: $summary,
                            explanation: $explanation,
                            wrong: $wrong,
                            right: $right,
                        },
                    )*)*
                }
            }

            /// Whether a level in planc.toml or a plan may change this code's
            /// severity. Reading money and funds that do not balance are never
            /// quieted: a total must not go wrong silently.
            pub fn adjustable(self) -> bool {
                match self {
                    $($(Code::$variant => $adjustable,)*)*
                }
            }

            /// The heading of the family the code is declared in.
            fn family(self) -> &'static str {
                match self {
                    $($(Code::$variant)|* => $family,)*
                }
            }
        }
    };
}

/// What the catalogue knows about a code.
pub struct CodeInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
    pub wrong: &'static str,
    pub right: &'static str,
}

declare_codes! {
    family "Loading files" {
        UnreadableFile {
            id: "L001", name: "unreadable-file", severity: Error, adjustable: true,
            summary: "a plan file or directory cannot be read",
            explanation:
                "planc could not open or read a file it was asked to load: it is missing, \
                 unreadable, a broken link, or part of a symbolic-link loop.",
            wrong: "planc validate plans/missing-plan/",
            right: "planc validate plans/druids-heath/",
        },
        NotUtf8 {
            id: "L002", name: "not-utf8", severity: Error, adjustable: true,
            summary: "a plan file is not UTF-8 text",
            explanation:
                "Plan files must be UTF-8. Files saved by old editors as Windows-1252 or \
                 Latin-1 show a pound sign as a single byte 0xA3. Re-save the file as UTF-8.",
            wrong: "amount: \"\\xA3500\"   # saved as Windows-1252",
            right: "amount: \"£500\"       # saved as UTF-8",
        },
        FileTooLarge {
            id: "L003", name: "file-too-large", severity: Error, adjustable: true,
            summary: "a plan file is larger than the size limit",
            explanation:
                "A single plan file may be at most 16 MiB (the largest real plan is a few \
                 hundred KiB). Split the plan into several files in one directory, or raise \
                 the limit with `max_file_bytes` in planc.toml.",
            wrong: "a 50 MB file pasted from a spreadsheet",
            right: "one file per priority area in the plan's directory",
        },
        Syntax {
            id: "L004", name: "syntax", severity: Error, adjustable: true,
            summary: "a file is not valid YAML or TOML",
            explanation:
                "The file could not be parsed. Common causes: a tab used for indentation in \
                 YAML, a missing colon after a key, an unclosed quote or bracket, or a \
                 second YAML document (`---`) in one file.",
            wrong: "title Community facilities",
            right: "title: Community facilities",
        },
        InputBudget {
            id: "L005", name: "input-budget", severity: Error, adjustable: true,
            summary: "a YAML file exceeds the parser's input limits",
            explanation:
                "YAML anchors and aliases can make a small file expand into a huge one (a \
                 'billion laughs' file), and very deep nesting can exhaust the stack. planc \
                 stops such files before they use the machine's memory. Real plans need no \
                 aliases at all: write the values out.",
            wrong: "a: &a [x, x, x]\nb: &b [*a, *a, *a]   # ... nine levels deep",
            right: "partners: [police, schools]",
        },
        DuplicateKey {
            id: "L006", name: "duplicate-key", severity: Error, adjustable: true,
            summary: "a key appears twice in one mapping",
            explanation:
                "A key written twice in the same mapping means one of the two values would be \
                 silently lost. Remove or rename one of them.",
            wrong: "cost: 1020\ncost: 1000",
            right: "cost: 1020",
        },
        NoPlanFiles {
            id: "L007", name: "no-plan-files", severity: Error, adjustable: true,
            summary: "a path holds no plan files",
            explanation:
                "A plan is a `.yaml`, `.yml` or `.toml` file, or a directory of them. The \
                 path given holds none.",
            wrong: "planc validate docs/",
            right: "planc validate plans/",
        },
        OutsideRepository {
            id: "L008", name: "outside-repository", severity: Error, adjustable: true,
            summary: "a file or link leads outside the repository",
            explanation:
                "planc runs on pull requests from people the repository does not control, \
                 so it reads only files inside the repository (and inside paths named on \
                 its command line). A plan file, directory, template, framework file or \
                 planc.toml that is a symbolic link to a place outside (`/etc/passwd`, \
                 `/proc/self/environ`, `/`) is not read. Links inside the repository are fine.",
            wrong: "plans/cluster/plan.yaml -> /etc/passwd",
            right: "plans/cluster/plan.yaml   (the file itself, or a link to ../shared/plan.yaml)",
        },
    }
    family "Structure of plan files" {
        UnknownField {
            id: "S001", name: "unknown-field", severity: Error, adjustable: true,
            summary: "a field name is not one planc knows",
            explanation:
                "Every field of a plan file has a fixed name. An unknown name is usually a \
                 typo; planc suggests the nearest known field.",
            wrong: "activities:\n  - id: \"1.1\"\n    titel: Community facilities",
            right: "activities:\n  - id: \"1.1\"\n    title: Community facilities",
        },
        WrongType {
            id: "S002", name: "wrong-type", severity: Error, adjustable: true,
            summary: "a field has the wrong kind of value",
            explanation:
                "A field expects text, a number, a list or a mapping, and got something else.",
            wrong: "partners: police",
            right: "partners: [police]",
        },
        MissingField {
            id: "S003", name: "missing-field", severity: Error, adjustable: true,
            summary: "a required field is missing",
            explanation:
                "Some fields must be given: every plan needs an id, a name and a period; \
                 every activity an id and a title; every funding source an id and a name.",
            wrong: "activities:\n  - title: Road safety",
            right: "activities:\n  - id: \"1.4\"\n    title: Road safety",
        },
        DuplicateId {
            id: "S004", name: "duplicate-id", severity: Error, adjustable: false,
            summary: "two things of the same kind share an id",
            explanation:
                "Ids of activities, partners, funding sources, sections and priorities must \
                 be unique within a plan, or references to them are ambiguous. Ids that \
                 differ only in letter case, spacing or look-alike characters count as the \
                 same.",
            wrong: "- id: \"3.2\"\n  title: Out of hours\n- id: \"3.2\"\n  title: Inclusion",
            right: "- id: \"3.2\"\n  title: Out of hours\n- id: \"3.3\"\n  title: Inclusion",
        },
        PlanHeader {
            id: "S005", name: "plan-header", severity: Error, adjustable: false,
            summary: "a plan has no header, or more than one",
            explanation:
                "Exactly one file of each plan has a top-level `plan:` mapping with the \
                 plan's id, name and period. Other files of the plan add sources, partners, \
                 sections and priorities.",
            wrong: "# two files both starting with `plan:`",
            right: "# plan.yaml has `plan:`; safety.yaml has only `priorities:`",
        },
        InvalidValue {
            id: "S006", name: "invalid-value", severity: Error, adjustable: true,
            summary: "a field's value is not one of the allowed values",
            explanation:
                "Fields such as `scope`, `rag`, `status`, `role` and `core_offer` take one \
                 of a fixed set of words.",
            wrong: "rag: orange",
            right: "rag: amber",
        },
    }
    family "Money" {
        UncleanAmount {
            id: "M001", name: "unclean-amount", severity: Error, adjustable: false,
            summary: "an amount of money is not a clean number",
            explanation:
                "Amounts are exact numbers of pounds and pence: `1020`, `4462.20`, `\"£62,150\"`. \
                 Doubled or misplaced separators, apostrophes, `k`, `million` and words such \
                 as `about` are rejected, because a typo in a figure must never pass \
                 silently. planc suggests the number it probably means; use `approx: true` \
                 for an estimate.",
            wrong: "amount: \"£7,,000\"",
            right: "amount: 7000",
        },
        NegativeAmount {
            id: "M002", name: "negative-amount", severity: Error, adjustable: false,
            summary: "an amount of money is negative",
            explanation:
                "Costs and funds are never negative. Record a saving or underspend as a \
                 funding source.",
            wrong: "amount: -500",
            right: "amount: 500",
        },
        TooManyDecimals {
            id: "M003", name: "too-many-decimals", severity: Error, adjustable: false,
            summary: "an amount has more than two decimal places",
            explanation:
                "Money is exact to the penny. A third decimal place is a typo or a rounding \
                 left over from a spreadsheet.",
            wrong: "amount: 0.001",
            right: "amount: 0.01",
        },
        AmountOutOfRange {
            id: "M004", name: "amount-out-of-range", severity: Error, adjustable: false,
            summary: "an amount is too large to be a real figure",
            explanation:
                "Amounts above one hundred billion pounds are rejected: no action plan holds \
                 them, and they are always a typo.",
            wrong: "amount: 99999999999999999999999999999",
            right: "amount: 99999",
        },
    }
    family "References" {
        UnknownActivity {
            id: "R001", name: "unknown-activity", severity: Error, adjustable: true,
            summary: "a reference names an activity that does not exist",
            explanation:
                "`see:` costs, cross-references and source restrictions name activities by \
                 id. The id must be declared in the same plan (in any of its files).",
            wrong: "cost:\n  see: \"2.9\"",
            right: "cost:\n  see: \"2.1\"",
        },
        UnknownPartner {
            id: "R002", name: "unknown-partner", severity: Error, adjustable: true,
            summary: "a reference names a partner that does not exist",
            explanation:
                "Activities name partners by the ids declared under `partners:`.",
            wrong: "partners:\n  existing: [polise]",
            right: "partners:\n  existing: [police]",
        },
        UnknownSource {
            id: "R003", name: "unknown-source", severity: Error, adjustable: false,
            summary: "a reference names a funding source that does not exist",
            explanation:
                "Costs, sections and priorities name funding sources by the ids declared \
                 under `sources:`.",
            wrong: "source: sure-strat",
            right: "source: sure-start",
        },
        UnknownSection {
            id: "R004", name: "unknown-section", severity: Error, adjustable: true,
            summary: "a priority names a section that does not exist",
            explanation:
                "A priority in its own file names its section by the id declared under \
                 `sections:` in the plan's header file.",
            wrong: "priorities:\n  - id: safety\n    section: acton-plan",
            right: "priorities:\n  - id: safety\n    section: action-plan",
        },
    }
    family "Funds" {
        OverAllocated {
            id: "F001", name: "over-allocated", severity: Error, adjustable: false,
            summary: "more is allocated from a funding source than it holds",
            explanation:
                "The costs drawn from a source add up to more than the source's amount. \
                 Reduce the costs, move some to another source, or correct the amount.",
            wrong: "sources:\n  - id: action-plan\n    amount: 11650\n# activities drawing 11,700",
            right: "# activities drawing 11,650",
        },
        Unallocated {
            id: "F002", name: "unallocated", severity: Warning, adjustable: true,
            summary: "part of a funding source is not allocated",
            explanation:
                "A source holds more than the costs drawn from it. This is reported as a \
                 warning; it is an error where the plan says `must_balance: true`.",
            wrong: "sources:\n  - id: afi\n    amount: 10000\n# nothing drawn from afi",
            right: "activities:\n  - id: \"3.3\"\n    cost: { amount: 10000, source: afi }",
        },
        StatedTotalMismatch {
            id: "F003", name: "stated-total-mismatch", severity: Error, adjustable: true,
            summary: "a total typed into the plan differs from the sum of its parts",
            explanation:
                "Totals typed by hand (`stated_total`, the plan's `stated` figures) are \
                 recomputed from the costs. A mismatch means a cost or the total is wrong; \
                 both figures are shown.",
            wrong: "stated_total: 25000   # the costs add up to 25,500",
            right: "stated_total: 25500",
        },
        BreakdownMismatch {
            id: "F004", name: "breakdown-mismatch", severity: Error, adjustable: true,
            summary: "cost lines do not add up to the cost",
            explanation:
                "Where a cost is broken into `lines`, their amounts must add up to the \
                 cost's `amount`.",
            wrong: "amount: 20000\nlines:\n  - { item: Training, amount: 8000 }\n  - { item: Resources, amount: 4000 }",
            right: "amount: 12000\nlines:\n  - { item: Training, amount: 8000 }\n  - { item: Resources, amount: 4000 }",
        },
        PhasingMismatch {
            id: "F005", name: "phasing-mismatch", severity: Error, adjustable: true,
            summary: "yearly phasing does not add up to the cost",
            explanation:
                "Where a cost is phased over years (`phasing`), the yearly amounts must add \
                 up to the cost's `amount`.",
            wrong: "amount: 20000\nphasing: { \"2009\": 11000, \"2010\": 7000 }",
            right: "amount: 20000\nphasing: { \"2009\": 11000, \"2010\": 7000, \"2011\": 2000 }",
        },
        RestrictedFunds {
            id: "F006", name: "restricted-funds", severity: Error, adjustable: true,
            summary: "money from a restricted source pays for something outside its restriction",
            explanation:
                "A source with `restricted_to` may pay only for the sections, priorities or \
                 activities it names (the Sure Start grant pays only for the co-ordinator \
                 and admin).",
            wrong: "cost: { amount: 580, source: sure-start }   # activity 3.5",
            right: "cost: { amount: 580, source: action-plan }",
        },
        SplitFundingMismatch {
            id: "F007", name: "split-funding-mismatch", severity: Error, adjustable: false,
            summary: "the amounts drawn from several sources do not add up to the cost",
            explanation:
                "A cost funded from several sources lists each source's share under \
                 `sources:`; the shares must add up to the cost's `amount`.",
            wrong: "amount: 1000\nsources:\n  - { source: a, amount: 600 }\n  - { source: b, amount: 300 }",
            right: "amount: 1000\nsources:\n  - { source: a, amount: 600 }\n  - { source: b, amount: 400 }",
        },
        CostsToBeConfirmed {
            id: "F008", name: "costs-tbc", severity: Note, adjustable: true,
            summary: "some costs are still to be confirmed",
            explanation:
                "Costs written `tbc` are counted and listed so that nobody mistakes an \
                 unknown cost for a free one. Replace them with amounts when known.",
            wrong: "cost: tbc",
            right: "cost: 1500",
        },
        UnfundedCosts {
            id: "F009", name: "unfunded-costs", severity: Warning, adjustable: false,
            summary: "costs draw on no funding source while the sources state what they hold",
            explanation:
                "A cost with no `source` (and none on its priority, section or as the \
                 plan's `default_source`) is money the plan spends without saying where it \
                 comes from. When the plan's sources state their amounts, such costs are \
                 not covered by any of them, and the plan is over-committed by that much. \
                 An error when the plan says `must_balance: true`.",
            wrong: "sources:\n  - { id: grant, name: Grant, amount: 10000 }\n...\n- { id: \"2\", title: Two, cost: 7000 }   # no source",
            right: "- { id: \"2\", title: Two, cost: { amount: 7000, source: grant } }",
        },
        ProbableDoubleCount {
            id: "F010", name: "probable-double-count", severity: Warning, adjustable: true,
            summary: "two activities look like one budget written twice",
            explanation:
                "Two activities of one plan with the same amount and the same lead or \
                 partners, and titles alike (or both lead and partners the same), are \
                 probably one budget entered twice (the CYPP's BH1.1 and BH1.6 both state \
                 £115,000 for the Healthy Schools programme), and the plan's total counts \
                 it twice. Keep it under one activity and let the other say `see:`.",
            wrong: "- { id: BH1.1, title: Healthy Schools status, cost: 115000, lead: Healthy Lifestyles Manager }\n- { id: BH1.6, title: Healthy Schools enhancement, cost: 115000, lead: Healthy Lifestyles Manager }",
            right: "- { id: BH1.6, title: Healthy Schools enhancement, cost: { see: BH1.1 }, lead: Healthy Lifestyles Manager }",
        },
    }
    family "Every Child Matters" {
        UnknownOutcome {
            id: "E001", name: "unknown-outcome", severity: Error, adjustable: true,
            summary: "an Every Child Matters outcome name is not recognised",
            explanation:
                "Outcomes are named by key (`be-healthy`, `stay-safe`, `enjoy-achieve`, \
                 `positive-contribution`, `economic-well-being`), by number (1-5) or by a \
                 known alias (`Be Safe`, `Safety`, `Economic Well-Being`...).",
            wrong: "outcome: Be Happy",
            right: "outcome: Be Healthy",
        },
        UnknownJudgement {
            id: "E002", name: "unknown-judgement", severity: Error, adjustable: true,
            summary: "an inspection judgement code is not in the framework",
            explanation:
                "Outcome codes such as `2.2` are the numbered judgements of the ECM \
                 inspection framework. The first digit is the outcome. A repository can add \
                 codes in its own framework file.",
            wrong: "outcomes: [\"4.3.4\"]",
            right: "outcomes: [\"4.3\"]",
        },
        JudgementTitledTwice {
            id: "E003", name: "code-titled-twice", severity: Warning, adjustable: true,
            summary: "one judgement code is given two different titles in a plan",
            explanation:
                "The same code written with two different titles means one of them is \
                 probably the wrong code.",
            wrong: "- { code: \"1.3\", title: Physical health is promoted }\n- { code: \"1.3\", title: Healthy lifestyles are promoted }",
            right: "- { code: \"1.3\", title: Physical health is promoted }\n- { code: \"1.2\", title: Healthy lifestyles are promoted }",
        },
        TitleOfAnotherJudgement {
            id: "E004", name: "title-of-another-code", severity: Warning, adjustable: true,
            summary: "a judgement code is given the title of a different code",
            explanation:
                "The title written beside a code matches another code's title in the \
                 framework better than its own: the code is probably wrong.",
            wrong: "{ code: \"1.3\", title: Healthy lifestyles are promoted }",
            right: "{ code: \"1.2\", title: Healthy lifestyles are promoted }",
        },
        UndeclaredCrossReference {
            id: "E005", name: "undeclared-cross-reference", severity: Warning, adjustable: true,
            summary: "an activity serves another outcome without a declared cross-reference",
            explanation:
                "An activity whose outcome codes belong to an outcome other than its \
                 priority area's should be listed under the area's `cross_references`, so \
                 that the plan's ECM matrix is complete.",
            wrong: "# in the Safety area\n- id: \"1.4\"\n  outcomes: [\"1.3\"]",
            right: "cross_references:\n  - { activity: \"1.4\", outcome: be-healthy }",
        },
        UnsupportedCrossReference {
            id: "E006", name: "unsupported-cross-reference", severity: Warning, adjustable: true,
            summary: "a declared cross-reference is supported by no activity",
            explanation:
                "A cross-reference says an activity (or the area) also serves another \
                 outcome, but no outcome code or `serves` entry of that activity (or of any \
                 activity in the area) belongs to that outcome.",
            wrong: "cross_references:\n  - { activity: \"3.2\", outcome: be-healthy }\n# 3.2 has only 3.x codes",
            right: "# add a be-healthy code to 3.2, or drop the cross-reference",
        },
        OutcomeWithoutActivity {
            id: "E007", name: "outcome-without-activity", severity: Warning, adjustable: true,
            summary: "an Every Child Matters outcome has no activity in the plan",
            explanation:
                "Every plan should serve all five ECM outcomes. No activity of this plan \
                 serves the outcome named.",
            wrong: "# no activity serves economic-well-being",
            right: "# add an activity with a 5.x code or `serves: [economic-well-being]`",
        },
        CoreOfferUnserved {
            id: "E008", name: "core-offer-unserved", severity: Warning, adjustable: true,
            summary: "an element of the extended-schools core offer is served by no priority",
            explanation:
                "Each priority area ticks the core-offer elements it serves (childcare, \
                 activities, parenting, referral, community-access). An element no area \
                 ticks is a gap in the cluster's offer.",
            wrong: "core_offer: [activities]   # in every area",
            right: "core_offer: [childcare, activities]",
        },
        UnknownAim {
            id: "E009", name: "unknown-aim", severity: Error, adjustable: true,
            summary: "an ECM aim is not one of the outcome's aims",
            explanation:
                "Priority areas list the ECM aims (specific outcomes) they pursue by key; \
                 each outcome has five aims.",
            wrong: "aims: [safe-from-accidents]",
            right: "aims: [safe-from-accidental-injury]",
        },
        BadNationalIndicator {
            id: "E010", name: "bad-national-indicator", severity: Error, adjustable: true,
            summary: "a National Indicator reference is malformed or out of range",
            explanation:
                "National Indicators are written `NI` and a number from 1 to 198.",
            wrong: "national_indicators: [NI 555]",
            right: "national_indicators: [NI55]",
        },
    }
    family "Dates" {
        BadDate {
            id: "D001", name: "bad-date", severity: Error, adjustable: true,
            summary: "a date cannot be understood",
            explanation:
                "Dates are written `2007-09-01`, `Sept 2007`, `March 2008` or a UK financial \
                 year `2009/10` (April to March). Seasons and vague words go in the \
                 timescale's `text`, not in `start` or `end`.",
            wrong: "start: Autumn 2007",
            right: "start: 2007-09\ntext: Autumn 2007",
        },
        OutsidePeriod {
            id: "D002", name: "outside-period", severity: Warning, adjustable: true,
            summary: "a timescale falls outside the plan's period",
            explanation:
                "An activity that starts before the plan starts or ends after it ends is \
                 usually a typo in the year, or work the plan cannot fund.",
            wrong: "period: { start: 2007-09-01, end: 2008-03-31 }\n...\nstart: Jan 2007",
            right: "start: Jan 2008",
        },
        EndBeforeStart {
            id: "D003", name: "end-before-start", severity: Error, adjustable: true,
            summary: "an end date is before its start date",
            explanation:
                "A period or timescale ends before it starts; one of the dates is wrong.",
            wrong: "start: 2008-03\nend: 2007-09",
            right: "start: 2007-09\nend: 2008-03",
        },
        WhollyOutsidePeriod {
            id: "D004", name: "wholly-outside-period", severity: Error, adjustable: true,
            summary: "an activity's timescale lies wholly outside the plan's period",
            explanation:
                "An activity that ends before the plan starts, or starts after it ends, is \
                 no part of the plan: usually a typo in the year (`June 2007` in a 2008-09 \
                 plan). Unlike D002, no part of the work falls in the plan's period.",
            wrong: "period: { start: 2008-04-01, end: 2009-03-31 }\n...\ntimescale: { end: June 2007 }",
            right: "timescale: { end: June 2008 }",
        },
        MilestoneAfterDeadline {
            id: "D005", name: "milestone-after-deadline", severity: Warning, adjustable: true,
            summary: "a milestone or target in an activity's measures is later than its deadline",
            explanation:
                "The measures or description of an activity name a month after the \
                 activity's own deadline (its timescale's end): \"a further 51 schools by \
                 December 2011\" in an action due in January 2011. Either the deadline or \
                 the milestone is wrong.",
            wrong: "timescale: { end: Jan 2011 }\nsuccess_measures: [\"a further 51 schools by December 2011\"]",
            right: "timescale: { end: Dec 2011 }",
        },
    }
    family "Progress" {
        RedWithoutMitigation {
            id: "P001", name: "red-without-mitigation", severity: Error, adjustable: true,
            summary: "a red RAG status has no mitigation note",
            explanation:
                "An activity rated red must say what is being done about it, in the \
                 progress update's `mitigation`.",
            wrong: "progress:\n  - { date: 2008-06-30, rag: red }",
            right: "progress:\n  - { date: 2008-06-30, rag: red, mitigation: New provider sought }",
        },
        CompleteWithoutDate {
            id: "P002", name: "complete-without-date", severity: Error, adjustable: true,
            summary: "an activity is marked complete without a completion date",
            explanation:
                "A progress update with `status: complete` needs `completed` (the date the \
                 work finished), so that reviews can tell when it was done.",
            wrong: "progress:\n  - { date: June 2008, status: complete }",
            right: "progress:\n  - { date: June 2008, status: complete, completed: 2008-07-04 }",
        },
        StaleStatus {
            id: "P003", name: "stale-status", severity: Warning, adjustable: true,
            summary: "a running activity's status has not been updated within the review interval",
            explanation:
                "In a plan still running on the `--as-of` date (default: today), each \
                 activity's latest progress update must be no older than the plan's \
                 `review_interval` (monthly, quarterly, termly, six-monthly or yearly).",
            wrong: "review_interval: quarterly\nprogress:\n  - { date: 2008-01-15, rag: green }   # as of 2008-06-30",
            right: "progress:\n  - { date: 2008-06-01, rag: green }",
        },
    }
    family "Across plans" {
        SharedFigureMismatch {
            id: "X001", name: "shared-figure-mismatch", severity: Error, adjustable: true,
            summary: "plans give a shared item different figures",
            explanation:
                "An item several plans carry (a countywide project) is one item with one \
                 figure. When a plan's cost for it differs from the figure in planc.toml's \
                 `[[shared]]` register, or from another plan's, one of them is wrong, and a \
                 roll-up cannot know which to count. Correct the plan, or the register.",
            wrong: "# planc.toml\n[[shared]]\nid = \"cohesion\"\ntitle = \"Community cohesion\"\namount = 5000\n# a plan\n- { id: \"16.1\", title: Cohesion, shared: cohesion, cost: 6000 }",
            right: "- { id: \"16.1\", title: Cohesion, shared: cohesion, cost: 5000 }",
        },
        UnlinkedSharedItem {
            id: "X002", name: "unlinked-shared-item", severity: Warning, adjustable: true,
            summary: "countywide items in two plans look like one project but are not linked",
            explanation:
                "Every cluster plan of a county may carry the same countywide projects, each \
                 clerk wording the titles a little differently. Items with the same amount \
                 and close titles in different plans are probably one project: without a \
                 shared id a roll-up counts it once per plan. Give both the same `shared` \
                 id (declared in planc.toml's `[[shared]]` register) so that it is counted \
                 once; if they are different projects, word their titles apart. Items \
                 within one plan are never merged.",
            wrong: "# plan a\n- { id: \"16.1\", title: Community cohesion strategy, cost: 5000 }\n# plan b\n- { id: C1, title: Support the community cohesion strategy, cost: 5000 }",
            right: "# plan a\n- { id: \"16.1\", title: Community cohesion strategy, cost: 5000, shared: cohesion }\n# plan b\n- { id: C1, title: Support the community cohesion strategy, cost: 5000, shared: cohesion }",
        },
        UnknownSharedItem {
            id: "X003", name: "unknown-shared-item", severity: Error, adjustable: true,
            summary: "an activity cites a shared item the register does not declare",
            explanation:
                "When planc.toml declares a `[[shared]]` register, every `shared` id a plan \
                 cites must be declared in it, so that a typo cannot split one item in two.",
            wrong: "- { id: \"16.1\", title: Cohesion, shared: cohesoin, cost: 5000 }",
            right: "- { id: \"16.1\", title: Cohesion, shared: cohesion, cost: 5000 }",
        },
        SharedItemRepeated {
            id: "X004", name: "shared-item-repeated", severity: Error, adjustable: true,
            summary: "one plan cites the same shared item twice",
            explanation:
                "A shared id names one item. Two activities of one plan citing it would be \
                 counted as one in a roll-up and twice in the plan's own total; one of them \
                 names the wrong item.",
            wrong: "- { id: \"16.1\", title: Cohesion, shared: cohesion, cost: 5000 }\n- { id: \"16.2\", title: Cohesion network, shared: cohesion, cost: 5000 }",
            right: "- { id: \"16.1\", title: Cohesion, shared: cohesion, cost: 5000 }\n- { id: \"16.2\", title: Cohesion network, cost: 5000 }",
        },
        DuplicatePlanId {
            id: "X005", name: "duplicate-plan-id", severity: Error, adjustable: false,
            summary: "two plans have the same id",
            explanation:
                "Every plan of a repository needs its own id: the roll-up, the CSV files \
                 and the workbooks name plans by it, and two plans with one id could not \
                 be told apart (a copied plan whose id was not changed).",
            wrong: "# plans/north/plan.yaml\nplan: { id: cluster, ... }\n# plans/south/plan.yaml\nplan: { id: cluster, ... }",
            right: "plan: { id: north-cluster, ... }\nplan: { id: south-cluster, ... }",
        },
    }
}

impl Code {
    pub fn id(self) -> &'static str {
        self.info().id
    }

    pub fn from_id(id: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.id().eq_ignore_ascii_case(id) || c.info().name == id)
    }
}

/// The catalogue as a Markdown reference, family by family: what
/// `docs/codes.md` holds. A test keeps that file equal to this output;
/// `PLANC_BLESS=1 cargo test --lib codes` rewrites it.
pub fn catalogue_markdown() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\
         \n\
         <!-- Generated from src/codes.rs by catalogue_markdown(); do not edit. \
         Regenerate with `PLANC_BLESS=1 cargo test --lib codes`. -->\n\
         \n\
         Every check planc makes has a stable code, a name and a default severity. \
         `planc explain CODE` prints one of these entries in the terminal. A level \
         in planc.toml's `[checks]`, or in a plan's, priority's or activity's \
         `checks:`, changes a code's severity where the entry says levels may \
         change it; for the others a level is ignored with a warning. Some \
         diagnostics of codes that levels may change are still fixed case by case \
         (see the README's *Repository configuration*).\n\
         \n\
         | Code | Name | Default severity | Levels may change it |\n\
         | --- | --- | --- | --- |\n",
    );
    for code in Code::ALL {
        let info = code.info();
        out.push_str(&format!(
            "| [{}](#{}-{}) | {} | {} | {} |\n",
            info.id,
            info.id.to_ascii_lowercase(),
            info.name,
            info.name,
            info.severity.as_str(),
            yes_no(code.adjustable())
        ));
    }
    let mut family = "";
    for code in Code::ALL {
        let info = code.info();
        if code.family() != family {
            family = code.family();
            out.push_str(&format!("\n## {}: {}\n", &info.id[..1], family));
        }
        out.push_str(&format!(
            "\n### {} {}\n\n{}.\n\n- Default severity: {}\n- Levels may change it: {}\n\n{}\n\n\
             Wrong:\n\n{}\nRight:\n\n{}",
            info.id,
            info.name,
            capitalise(info.summary),
            info.severity.as_str(),
            yes_no(code.adjustable()),
            info.explanation,
            fenced(info.wrong),
            fenced(info.right)
        ));
    }
    out
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// An example in a fenced code block: a command line as shell, anything
/// else as YAML (the language of plan files).
fn fenced(example: &str) -> String {
    let language = if example.starts_with("planc ") {
        "sh"
    } else {
        "yaml"
    };
    format!("```{language}\n{example}\n```\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_and_names_are_unique_and_round_trip() {
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for &code in Code::ALL {
            let info = code.info();
            assert!(ids.insert(info.id), "duplicate id {}", info.id);
            assert!(names.insert(info.name), "duplicate name {}", info.name);
            assert_eq!(Code::from_id(info.id), Some(code));
            assert_eq!(Code::from_id(&info.id.to_lowercase()), Some(code));
        }
    }

    #[test]
    fn each_family_has_one_id_letter_of_its_own() {
        let mut letters: Vec<(char, &str)> = Vec::new();
        for &code in Code::ALL {
            let id = code.id();
            let letter = id.chars().next().expect("an id");
            assert!(
                id.len() == 4
                    && letter.is_ascii_uppercase()
                    && id[1..].bytes().all(|b| b.is_ascii_digit()),
                "{id} is not a letter and three digits"
            );
            match letters.last() {
                Some(&(l, family)) if family == code.family() => {
                    assert_eq!(l, letter, "{id} is in family {family} of letter {l}")
                }
                _ => {
                    assert!(
                        letters
                            .iter()
                            .all(|&(l, f)| l != letter && f != code.family()),
                        "{id}: family {} or letter {letter} is declared twice",
                        code.family()
                    );
                    letters.push((letter, code.family()));
                }
            }
        }
    }

    #[test]
    fn examples_fit_in_a_fenced_block() {
        for &code in Code::ALL {
            let info = code.info();
            for example in [info.wrong, info.right] {
                assert!(!example.contains("```"), "{}: {example}", info.id);
            }
        }
    }

    /// docs/codes.md is `catalogue_markdown()`, so that it cannot drift
    /// from the catalogue. `PLANC_BLESS=1` rewrites it.
    #[test]
    fn docs_codes_md_is_the_catalogue() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/codes.md");
        let expected = catalogue_markdown();
        if std::env::var_os("PLANC_BLESS").is_some_and(|v| v == "1") {
            std::fs::write(&path, &expected).expect("write docs/codes.md");
            return;
        }
        let on_disk = std::fs::read_to_string(&path)
            .unwrap_or_default()
            .replace("\r\n", "\n");
        if on_disk != expected {
            let line = on_disk
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| on_disk.lines().count().min(expected.lines().count()));
            panic!(
                "docs/codes.md differs from catalogue_markdown() from line {}; \
                 regenerate it with `PLANC_BLESS=1 cargo test --lib codes`",
                line + 1
            );
        }
    }
}
