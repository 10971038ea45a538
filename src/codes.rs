//! The catalogue of diagnostic codes: one place for each code's id,
//! default severity, summary, explanation and examples. The README's list of
//! checks and `planc explain` both read it.

use crate::diagnostic::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // Loading files.
    UnreadableFile,
    NotUtf8,
    FileTooLarge,
    Syntax,
    InputBudget,
    DuplicateKey,
    NoPlanFiles,
    OutsideRepository,
    // Structure of plan files.
    UnknownField,
    WrongType,
    MissingField,
    DuplicateId,
    PlanHeader,
    InvalidValue,
    // Money.
    UncleanAmount,
    NegativeAmount,
    TooManyDecimals,
    AmountOutOfRange,
    // References.
    UnknownActivity,
    UnknownPartner,
    UnknownSource,
    UnknownSection,
    // Funds.
    OverAllocated,
    Unallocated,
    StatedTotalMismatch,
    BreakdownMismatch,
    PhasingMismatch,
    RestrictedFunds,
    SplitFundingMismatch,
    CostsToBeConfirmed,
    UnfundedCosts,
    ProbableDoubleCount,
    // Every Child Matters.
    UnknownOutcome,
    UnknownJudgement,
    JudgementTitledTwice,
    TitleOfAnotherJudgement,
    UndeclaredCrossReference,
    UnsupportedCrossReference,
    OutcomeWithoutActivity,
    CoreOfferUnserved,
    UnknownAim,
    BadNationalIndicator,
    // Dates.
    BadDate,
    OutsidePeriod,
    EndBeforeStart,
    WhollyOutsidePeriod,
    MilestoneAfterDeadline,
    // Progress.
    RedWithoutMitigation,
    CompleteWithoutDate,
    StaleStatus,
    // Across plans.
    SharedFigureMismatch,
    UnlinkedSharedItem,
    UnknownSharedItem,
    SharedItemRepeated,
    DuplicatePlanId,
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

impl Code {
    pub const ALL: &'static [Code] = &[
        Code::UnreadableFile,
        Code::NotUtf8,
        Code::FileTooLarge,
        Code::Syntax,
        Code::InputBudget,
        Code::DuplicateKey,
        Code::NoPlanFiles,
        Code::OutsideRepository,
        Code::UnknownField,
        Code::WrongType,
        Code::MissingField,
        Code::DuplicateId,
        Code::PlanHeader,
        Code::InvalidValue,
        Code::UncleanAmount,
        Code::NegativeAmount,
        Code::TooManyDecimals,
        Code::AmountOutOfRange,
        Code::UnknownActivity,
        Code::UnknownPartner,
        Code::UnknownSource,
        Code::UnknownSection,
        Code::OverAllocated,
        Code::Unallocated,
        Code::StatedTotalMismatch,
        Code::BreakdownMismatch,
        Code::PhasingMismatch,
        Code::RestrictedFunds,
        Code::SplitFundingMismatch,
        Code::CostsToBeConfirmed,
        Code::UnfundedCosts,
        Code::ProbableDoubleCount,
        Code::UnknownOutcome,
        Code::UnknownJudgement,
        Code::JudgementTitledTwice,
        Code::TitleOfAnotherJudgement,
        Code::UndeclaredCrossReference,
        Code::UnsupportedCrossReference,
        Code::OutcomeWithoutActivity,
        Code::CoreOfferUnserved,
        Code::UnknownAim,
        Code::BadNationalIndicator,
        Code::BadDate,
        Code::OutsidePeriod,
        Code::EndBeforeStart,
        Code::WhollyOutsidePeriod,
        Code::MilestoneAfterDeadline,
        Code::RedWithoutMitigation,
        Code::CompleteWithoutDate,
        Code::StaleStatus,
        Code::SharedFigureMismatch,
        Code::UnlinkedSharedItem,
        Code::UnknownSharedItem,
        Code::SharedItemRepeated,
        Code::DuplicatePlanId,
    ];

    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// Whether a level in planc.toml or a plan may change this code's
    /// severity. Reading money and funds that do not balance are never
    /// quieted: a total must not go wrong silently.
    pub fn adjustable(self) -> bool {
        !matches!(
            self,
            Code::UncleanAmount
                | Code::NegativeAmount
                | Code::TooManyDecimals
                | Code::AmountOutOfRange
                | Code::OverAllocated
                | Code::UnknownSource
                | Code::UnfundedCosts
                | Code::SplitFundingMismatch
                | Code::DuplicateId
                | Code::PlanHeader
                | Code::DuplicatePlanId
        )
    }

    pub fn from_id(id: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.id().eq_ignore_ascii_case(id) || c.info().name == id)
    }

    pub fn info(self) -> CodeInfo {
        use Severity::{Error, Note, Warning};
        let (id, name, severity, summary, explanation, wrong, right) = match self {
            Code::UnreadableFile => (
                "L001",
                "unreadable-file",
                Error,
                "a plan file or directory cannot be read",
                "planc could not open or read a file it was asked to load: it is missing, \
                 unreadable, a broken link, or part of a symbolic-link loop.",
                "planc validate plans/missing-plan/",
                "planc validate plans/druids-heath/",
            ),
            Code::NotUtf8 => (
                "L002",
                "not-utf8",
                Error,
                "a plan file is not UTF-8 text",
                "Plan files must be UTF-8. Files saved by old editors as Windows-1252 or \
                 Latin-1 show a pound sign as a single byte 0xA3. Re-save the file as UTF-8.",
                "amount: \"\\xA3500\"   # saved as Windows-1252",
                "amount: \"£500\"       # saved as UTF-8",
            ),
            Code::FileTooLarge => (
                "L003",
                "file-too-large",
                Error,
                "a plan file is larger than the size limit",
                "A single plan file may be at most 16 MiB (the largest real plan is a few \
                 hundred KiB). Split the plan into several files in one directory, or raise \
                 the limit with `max_file_bytes` in planc.toml.",
                "a 50 MB file pasted from a spreadsheet",
                "one file per priority area in the plan's directory",
            ),
            Code::Syntax => (
                "L004",
                "syntax",
                Error,
                "a file is not valid YAML or TOML",
                "The file could not be parsed. Common causes: a tab used for indentation in \
                 YAML, a missing colon after a key, an unclosed quote or bracket, or a \
                 second YAML document (`---`) in one file.",
                "title Community facilities",
                "title: Community facilities",
            ),
            Code::InputBudget => (
                "L005",
                "input-budget",
                Error,
                "a YAML file exceeds the parser's input limits",
                "YAML anchors and aliases can make a small file expand into a huge one (a \
                 'billion laughs' file), and very deep nesting can exhaust the stack. planc \
                 stops such files before they use the machine's memory. Real plans need no \
                 aliases at all: write the values out.",
                "a: &a [x, x, x]\nb: &b [*a, *a, *a]   # ... nine levels deep",
                "partners: [police, schools]",
            ),
            Code::DuplicateKey => (
                "L006",
                "duplicate-key",
                Error,
                "a key appears twice in one mapping",
                "A key written twice in the same mapping means one of the two values would be \
                 silently lost. Remove or rename one of them.",
                "cost: 1020\ncost: 1000",
                "cost: 1020",
            ),
            Code::NoPlanFiles => (
                "L007",
                "no-plan-files",
                Error,
                "a path holds no plan files",
                "A plan is a `.yaml`, `.yml` or `.toml` file, or a directory of them. The \
                 path given holds none.",
                "planc validate docs/",
                "planc validate plans/",
            ),
            Code::OutsideRepository => (
                "L008",
                "outside-repository",
                Error,
                "a file or link leads outside the repository",
                "planc runs on pull requests from people the repository does not control, \
                 so it reads only files inside the repository (and inside paths named on \
                 its command line). A plan file, directory, template, framework file or \
                 planc.toml that is a symbolic link to a place outside (`/etc/passwd`, \
                 `/proc/self/environ`, `/`) is not read. Links inside the repository are fine.",
                "plans/cluster/plan.yaml -> /etc/passwd",
                "plans/cluster/plan.yaml   (the file itself, or a link to ../shared/plan.yaml)",
            ),
            Code::UnknownField => (
                "S001",
                "unknown-field",
                Error,
                "a field name is not one planc knows",
                "Every field of a plan file has a fixed name. An unknown name is usually a \
                 typo; planc suggests the nearest known field.",
                "activities:\n  - id: \"1.1\"\n    titel: Community facilities",
                "activities:\n  - id: \"1.1\"\n    title: Community facilities",
            ),
            Code::WrongType => (
                "S002",
                "wrong-type",
                Error,
                "a field has the wrong kind of value",
                "A field expects text, a number, a list or a mapping, and got something else.",
                "partners: police",
                "partners: [police]",
            ),
            Code::MissingField => (
                "S003",
                "missing-field",
                Error,
                "a required field is missing",
                "Some fields must be given: every plan needs an id, a name and a period; \
                 every activity an id and a title; every funding source an id and a name.",
                "activities:\n  - title: Road safety",
                "activities:\n  - id: \"1.4\"\n    title: Road safety",
            ),
            Code::DuplicateId => (
                "S004",
                "duplicate-id",
                Error,
                "two things of the same kind share an id",
                "Ids of activities, partners, funding sources, sections and priorities must \
                 be unique within a plan, or references to them are ambiguous. Ids that \
                 differ only in letter case, spacing or look-alike characters count as the \
                 same.",
                "- id: \"3.2\"\n  title: Out of hours\n- id: \"3.2\"\n  title: Inclusion",
                "- id: \"3.2\"\n  title: Out of hours\n- id: \"3.3\"\n  title: Inclusion",
            ),
            Code::PlanHeader => (
                "S005",
                "plan-header",
                Error,
                "a plan has no header, or more than one",
                "Exactly one file of each plan has a top-level `plan:` mapping with the \
                 plan's id, name and period. Other files of the plan add sources, partners, \
                 sections and priorities.",
                "# two files both starting with `plan:`",
                "# plan.yaml has `plan:`; safety.yaml has only `priorities:`",
            ),
            Code::InvalidValue => (
                "S006",
                "invalid-value",
                Error,
                "a field's value is not one of the allowed values",
                "Fields such as `scope`, `rag`, `status`, `role` and `core_offer` take one \
                 of a fixed set of words.",
                "rag: orange",
                "rag: amber",
            ),
            Code::UncleanAmount => (
                "M001",
                "unclean-amount",
                Error,
                "an amount of money is not a clean number",
                "Amounts are exact numbers of pounds and pence: `1020`, `4462.20`, `\"£62,150\"`. \
                 Doubled or misplaced separators, apostrophes, `k`, `million` and words such \
                 as `about` are rejected, because a typo in a figure must never pass \
                 silently. planc suggests the number it probably means; use `approx: true` \
                 for an estimate.",
                "amount: \"£7,,000\"",
                "amount: 7000",
            ),
            Code::NegativeAmount => (
                "M002",
                "negative-amount",
                Error,
                "an amount of money is negative",
                "Costs and funds are never negative. Record a saving or underspend as a \
                 funding source.",
                "amount: -500",
                "amount: 500",
            ),
            Code::TooManyDecimals => (
                "M003",
                "too-many-decimals",
                Error,
                "an amount has more than two decimal places",
                "Money is exact to the penny. A third decimal place is a typo or a rounding \
                 left over from a spreadsheet.",
                "amount: 0.001",
                "amount: 0.01",
            ),
            Code::AmountOutOfRange => (
                "M004",
                "amount-out-of-range",
                Error,
                "an amount is too large to be a real figure",
                "Amounts above one hundred billion pounds are rejected: no action plan holds \
                 them, and they are always a typo.",
                "amount: 99999999999999999999999999999",
                "amount: 99999",
            ),
            Code::UnknownActivity => (
                "R001",
                "unknown-activity",
                Error,
                "a reference names an activity that does not exist",
                "`see:` costs, cross-references and source restrictions name activities by \
                 id. The id must be declared in the same plan (in any of its files).",
                "cost:\n  see: \"2.9\"",
                "cost:\n  see: \"2.1\"",
            ),
            Code::UnknownPartner => (
                "R002",
                "unknown-partner",
                Error,
                "a reference names a partner that does not exist",
                "Activities name partners by the ids declared under `partners:`.",
                "partners:\n  existing: [polise]",
                "partners:\n  existing: [police]",
            ),
            Code::UnknownSource => (
                "R003",
                "unknown-source",
                Error,
                "a reference names a funding source that does not exist",
                "Costs, sections and priorities name funding sources by the ids declared \
                 under `sources:`.",
                "source: sure-strat",
                "source: sure-start",
            ),
            Code::UnknownSection => (
                "R004",
                "unknown-section",
                Error,
                "a priority names a section that does not exist",
                "A priority in its own file names its section by the id declared under \
                 `sections:` in the plan's header file.",
                "priorities:\n  - id: safety\n    section: acton-plan",
                "priorities:\n  - id: safety\n    section: action-plan",
            ),
            Code::OverAllocated => (
                "F001",
                "over-allocated",
                Error,
                "more is allocated from a funding source than it holds",
                "The costs drawn from a source add up to more than the source's amount. \
                 Reduce the costs, move some to another source, or correct the amount.",
                "sources:\n  - id: action-plan\n    amount: 11650\n# activities drawing 11,700",
                "# activities drawing 11,650",
            ),
            Code::Unallocated => (
                "F002",
                "unallocated",
                Warning,
                "part of a funding source is not allocated",
                "A source holds more than the costs drawn from it. This is reported as a \
                 warning; it is an error where the plan says `must_balance: true`.",
                "sources:\n  - id: afi\n    amount: 10000\n# nothing drawn from afi",
                "activities:\n  - id: \"3.3\"\n    cost: { amount: 10000, source: afi }",
            ),
            Code::StatedTotalMismatch => (
                "F003",
                "stated-total-mismatch",
                Error,
                "a total typed into the plan differs from the sum of its parts",
                "Totals typed by hand (`stated_total`, the plan's `stated` figures) are \
                 recomputed from the costs. A mismatch means a cost or the total is wrong; \
                 both figures are shown.",
                "stated_total: 25000   # the costs add up to 25,500",
                "stated_total: 25500",
            ),
            Code::BreakdownMismatch => (
                "F004",
                "breakdown-mismatch",
                Error,
                "cost lines do not add up to the cost",
                "Where a cost is broken into `lines`, their amounts must add up to the \
                 cost's `amount`.",
                "amount: 20000\nlines:\n  - { item: Training, amount: 8000 }\n  - { item: Resources, amount: 4000 }",
                "amount: 12000\nlines:\n  - { item: Training, amount: 8000 }\n  - { item: Resources, amount: 4000 }",
            ),
            Code::PhasingMismatch => (
                "F005",
                "phasing-mismatch",
                Error,
                "yearly phasing does not add up to the cost",
                "Where a cost is phased over years (`phasing`), the yearly amounts must add \
                 up to the cost's `amount`.",
                "amount: 20000\nphasing: { \"2009\": 11000, \"2010\": 7000 }",
                "amount: 20000\nphasing: { \"2009\": 11000, \"2010\": 7000, \"2011\": 2000 }",
            ),
            Code::RestrictedFunds => (
                "F006",
                "restricted-funds",
                Error,
                "money from a restricted source pays for something outside its restriction",
                "A source with `restricted_to` may pay only for the sections, priorities or \
                 activities it names (the Sure Start grant pays only for the co-ordinator \
                 and admin).",
                "cost: { amount: 580, source: sure-start }   # activity 3.5",
                "cost: { amount: 580, source: action-plan }",
            ),
            Code::SplitFundingMismatch => (
                "F007",
                "split-funding-mismatch",
                Error,
                "the amounts drawn from several sources do not add up to the cost",
                "A cost funded from several sources lists each source's share under \
                 `sources:`; the shares must add up to the cost's `amount`.",
                "amount: 1000\nsources:\n  - { source: a, amount: 600 }\n  - { source: b, amount: 300 }",
                "amount: 1000\nsources:\n  - { source: a, amount: 600 }\n  - { source: b, amount: 400 }",
            ),
            Code::CostsToBeConfirmed => (
                "F008",
                "costs-tbc",
                Note,
                "some costs are still to be confirmed",
                "Costs written `tbc` are counted and listed so that nobody mistakes an \
                 unknown cost for a free one. Replace them with amounts when known.",
                "cost: tbc",
                "cost: 1500",
            ),
            Code::UnfundedCosts => (
                "F009",
                "unfunded-costs",
                Warning,
                "costs draw on no funding source while the sources state what they hold",
                "A cost with no `source` (and none on its priority, section or as the \
                 plan's `default_source`) is money the plan spends without saying where it \
                 comes from. When the plan's sources state their amounts, such costs are \
                 not covered by any of them, and the plan is over-committed by that much. \
                 An error when the plan says `must_balance: true`.",
                "sources:\n  - { id: grant, name: Grant, amount: 10000 }\n...\n- { id: \"2\", title: Two, cost: 7000 }   # no source",
                "- { id: \"2\", title: Two, cost: { amount: 7000, source: grant } }",
            ),
            Code::ProbableDoubleCount => (
                "F010",
                "probable-double-count",
                Warning,
                "two activities look like one budget written twice",
                "Two activities of one plan with the same amount and the same lead or \
                 partners, and titles alike (or both lead and partners the same), are \
                 probably one budget entered twice (the CYPP's BH1.1 and BH1.6 both state \
                 £115,000 for the Healthy Schools programme), and the plan's total counts \
                 it twice. Keep it under one activity and let the other say `see:`.",
                "- { id: BH1.1, title: Healthy Schools status, cost: 115000, lead: Healthy Lifestyles Manager }\n- { id: BH1.6, title: Healthy Schools enhancement, cost: 115000, lead: Healthy Lifestyles Manager }",
                "- { id: BH1.6, title: Healthy Schools enhancement, cost: { see: BH1.1 }, lead: Healthy Lifestyles Manager }",
            ),
            Code::UnknownOutcome => (
                "E001",
                "unknown-outcome",
                Error,
                "an Every Child Matters outcome name is not recognised",
                "Outcomes are named by key (`be-healthy`, `stay-safe`, `enjoy-achieve`, \
                 `positive-contribution`, `economic-well-being`), by number (1-5) or by a \
                 known alias (`Be Safe`, `Safety`, `Economic Well-Being`...).",
                "outcome: Be Happy",
                "outcome: Be Healthy",
            ),
            Code::UnknownJudgement => (
                "E002",
                "unknown-judgement",
                Error,
                "an inspection judgement code is not in the framework",
                "Outcome codes such as `2.2` are the numbered judgements of the ECM \
                 inspection framework. The first digit is the outcome. A repository can add \
                 codes in its own framework file.",
                "outcomes: [\"4.3.4\"]",
                "outcomes: [\"4.3\"]",
            ),
            Code::JudgementTitledTwice => (
                "E003",
                "code-titled-twice",
                Warning,
                "one judgement code is given two different titles in a plan",
                "The same code written with two different titles means one of them is \
                 probably the wrong code.",
                "- { code: \"1.3\", title: Physical health is promoted }\n- { code: \"1.3\", title: Healthy lifestyles are promoted }",
                "- { code: \"1.3\", title: Physical health is promoted }\n- { code: \"1.2\", title: Healthy lifestyles are promoted }",
            ),
            Code::TitleOfAnotherJudgement => (
                "E004",
                "title-of-another-code",
                Warning,
                "a judgement code is given the title of a different code",
                "The title written beside a code matches another code's title in the \
                 framework better than its own: the code is probably wrong.",
                "{ code: \"1.3\", title: Healthy lifestyles are promoted }",
                "{ code: \"1.2\", title: Healthy lifestyles are promoted }",
            ),
            Code::UndeclaredCrossReference => (
                "E005",
                "undeclared-cross-reference",
                Warning,
                "an activity serves another outcome without a declared cross-reference",
                "An activity whose outcome codes belong to an outcome other than its \
                 priority area's should be listed under the area's `cross_references`, so \
                 that the plan's ECM matrix is complete.",
                "# in the Safety area\n- id: \"1.4\"\n  outcomes: [\"1.3\"]",
                "cross_references:\n  - { activity: \"1.4\", outcome: be-healthy }",
            ),
            Code::UnsupportedCrossReference => (
                "E006",
                "unsupported-cross-reference",
                Warning,
                "a declared cross-reference is supported by no activity",
                "A cross-reference says an activity (or the area) also serves another \
                 outcome, but no outcome code or `serves` entry of that activity (or of any \
                 activity in the area) belongs to that outcome.",
                "cross_references:\n  - { activity: \"3.2\", outcome: be-healthy }\n# 3.2 has only 3.x codes",
                "# add a be-healthy code to 3.2, or drop the cross-reference",
            ),
            Code::OutcomeWithoutActivity => (
                "E007",
                "outcome-without-activity",
                Warning,
                "an Every Child Matters outcome has no activity in the plan",
                "Every plan should serve all five ECM outcomes. No activity of this plan \
                 serves the outcome named.",
                "# no activity serves economic-well-being",
                "# add an activity with a 5.x code or `serves: [economic-well-being]`",
            ),
            Code::CoreOfferUnserved => (
                "E008",
                "core-offer-unserved",
                Warning,
                "an element of the extended-schools core offer is served by no priority",
                "Each priority area ticks the core-offer elements it serves (childcare, \
                 activities, parenting, referral, community-access). An element no area \
                 ticks is a gap in the cluster's offer.",
                "core_offer: [activities]   # in every area",
                "core_offer: [childcare, activities]",
            ),
            Code::UnknownAim => (
                "E009",
                "unknown-aim",
                Error,
                "an ECM aim is not one of the outcome's aims",
                "Priority areas list the ECM aims (specific outcomes) they pursue by key; \
                 each outcome has five aims.",
                "aims: [safe-from-accidents]",
                "aims: [safe-from-accidental-injury]",
            ),
            Code::BadNationalIndicator => (
                "E010",
                "bad-national-indicator",
                Error,
                "a National Indicator reference is malformed or out of range",
                "National Indicators are written `NI` and a number from 1 to 198.",
                "national_indicators: [NI 555]",
                "national_indicators: [NI55]",
            ),
            Code::BadDate => (
                "D001",
                "bad-date",
                Error,
                "a date cannot be understood",
                "Dates are written `2007-09-01`, `Sept 2007`, `March 2008` or a UK financial \
                 year `2009/10` (April to March). Seasons and vague words go in the \
                 timescale's `text`, not in `start` or `end`.",
                "start: Autumn 2007",
                "start: 2007-09\ntext: Autumn 2007",
            ),
            Code::OutsidePeriod => (
                "D002",
                "outside-period",
                Warning,
                "a timescale falls outside the plan's period",
                "An activity that starts before the plan starts or ends after it ends is \
                 usually a typo in the year, or work the plan cannot fund.",
                "period: { start: 2007-09-01, end: 2008-03-31 }\n...\nstart: Jan 2007",
                "start: Jan 2008",
            ),
            Code::EndBeforeStart => (
                "D003",
                "end-before-start",
                Error,
                "an end date is before its start date",
                "A period or timescale ends before it starts; one of the dates is wrong.",
                "start: 2008-03\nend: 2007-09",
                "start: 2007-09\nend: 2008-03",
            ),
            Code::WhollyOutsidePeriod => (
                "D004",
                "wholly-outside-period",
                Error,
                "an activity's timescale lies wholly outside the plan's period",
                "An activity that ends before the plan starts, or starts after it ends, is \
                 no part of the plan: usually a typo in the year (`June 2007` in a 2008-09 \
                 plan). Unlike D002, no part of the work falls in the plan's period.",
                "period: { start: 2008-04-01, end: 2009-03-31 }\n...\ntimescale: { end: June 2007 }",
                "timescale: { end: June 2008 }",
            ),
            Code::MilestoneAfterDeadline => (
                "D005",
                "milestone-after-deadline",
                Warning,
                "a milestone or target in an activity's measures is later than its deadline",
                "The measures or description of an activity name a month after the \
                 activity's own deadline (its timescale's end): \"a further 51 schools by \
                 December 2011\" in an action due in January 2011. Either the deadline or \
                 the milestone is wrong.",
                "timescale: { end: Jan 2011 }\nsuccess_measures: [\"a further 51 schools by December 2011\"]",
                "timescale: { end: Dec 2011 }",
            ),
            Code::RedWithoutMitigation => (
                "P001",
                "red-without-mitigation",
                Error,
                "a red RAG status has no mitigation note",
                "An activity rated red must say what is being done about it, in the \
                 progress update's `mitigation`.",
                "progress:\n  - { date: 2008-06-30, rag: red }",
                "progress:\n  - { date: 2008-06-30, rag: red, mitigation: New provider sought }",
            ),
            Code::CompleteWithoutDate => (
                "P002",
                "complete-without-date",
                Error,
                "an activity is marked complete without a completion date",
                "A progress update with `status: complete` needs `completed` (the date the \
                 work finished), so that reviews can tell when it was done.",
                "progress:\n  - { date: June 2008, status: complete }",
                "progress:\n  - { date: June 2008, status: complete, completed: 2008-07-04 }",
            ),
            Code::StaleStatus => (
                "P003",
                "stale-status",
                Warning,
                "a running activity's status has not been updated within the review interval",
                "In a plan still running on the `--as-of` date (default: today), each \
                 activity's latest progress update must be no older than the plan's \
                 `review_interval` (monthly, quarterly, termly, six-monthly or yearly).",
                "review_interval: quarterly\nprogress:\n  - { date: 2008-01-15, rag: green }   # as of 2008-06-30",
                "progress:\n  - { date: 2008-06-01, rag: green }",
            ),
            Code::SharedFigureMismatch => (
                "X001",
                "shared-figure-mismatch",
                Error,
                "plans give a shared item different figures",
                "An item several plans carry (a countywide project) is one item with one \
                 figure. When a plan's cost for it differs from the figure in planc.toml's \
                 `[[shared]]` register, or from another plan's, one of them is wrong, and a \
                 roll-up cannot know which to count. Correct the plan, or the register.",
                "# planc.toml\n[[shared]]\nid = \"cohesion\"\ntitle = \"Community cohesion\"\namount = 5000\n# a plan\n- { id: \"16.1\", title: Cohesion, shared: cohesion, cost: 6000 }",
                "- { id: \"16.1\", title: Cohesion, shared: cohesion, cost: 5000 }",
            ),
            Code::UnlinkedSharedItem => (
                "X002",
                "unlinked-shared-item",
                Warning,
                "countywide items in two plans look like one project but are not linked",
                "Every cluster plan of a county may carry the same countywide projects, each \
                 clerk wording the titles a little differently. Items with the same amount \
                 and close titles in different plans are probably one project: without a \
                 shared id a roll-up counts it once per plan. Give both the same `shared` \
                 id (declared in planc.toml's `[[shared]]` register) so that it is counted \
                 once; if they are different projects, word their titles apart. Items \
                 within one plan are never merged.",
                "# plan a\n- { id: \"16.1\", title: Community cohesion strategy, cost: 5000 }\n# plan b\n- { id: C1, title: Support the community cohesion strategy, cost: 5000 }",
                "# plan a\n- { id: \"16.1\", title: Community cohesion strategy, cost: 5000, shared: cohesion }\n# plan b\n- { id: C1, title: Support the community cohesion strategy, cost: 5000, shared: cohesion }",
            ),
            Code::UnknownSharedItem => (
                "X003",
                "unknown-shared-item",
                Error,
                "an activity cites a shared item the register does not declare",
                "When planc.toml declares a `[[shared]]` register, every `shared` id a plan \
                 cites must be declared in it, so that a typo cannot split one item in two.",
                "- { id: \"16.1\", title: Cohesion, shared: cohesoin, cost: 5000 }",
                "- { id: \"16.1\", title: Cohesion, shared: cohesion, cost: 5000 }",
            ),
            Code::SharedItemRepeated => (
                "X004",
                "shared-item-repeated",
                Error,
                "one plan cites the same shared item twice",
                "A shared id names one item. Two activities of one plan citing it would be \
                 counted as one in a roll-up and twice in the plan's own total; one of them \
                 names the wrong item.",
                "- { id: \"16.1\", title: Cohesion, shared: cohesion, cost: 5000 }\n- { id: \"16.2\", title: Cohesion network, shared: cohesion, cost: 5000 }",
                "- { id: \"16.1\", title: Cohesion, shared: cohesion, cost: 5000 }\n- { id: \"16.2\", title: Cohesion network, cost: 5000 }",
            ),
            Code::DuplicatePlanId => (
                "X005",
                "duplicate-plan-id",
                Error,
                "two plans have the same id",
                "Every plan of a repository needs its own id: the roll-up, the CSV files \
                 and the workbooks name plans by it, and two plans with one id could not \
                 be told apart (a copied plan whose id was not changed).",
                "# plans/north/plan.yaml\nplan: { id: cluster, ... }\n# plans/south/plan.yaml\nplan: { id: cluster, ... }",
                "plan: { id: north-cluster, ... }\nplan: { id: south-cluster, ... }",
            ),
        };
        CodeInfo {
            id,
            name,
            severity,
            summary,
            explanation,
            wrong,
            right,
        }
    }
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
}
