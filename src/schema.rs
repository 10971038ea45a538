//! `planc schema`: the JSON Schema (draft 2020-12) of plan files, for editors
//! (YAML language server, Taplo) and other validators. Generated with
//! schemars from these types, which mirror what `decode` reads; a test
//! checks that every mapping here has exactly the decoder's field names.
#![allow(dead_code)] // The types exist to be described, never built.

use std::collections::BTreeMap;

use schemars::JsonSchema;

/// An amount of money in pounds and pence: `1020`, `4462.20` or `"£62,150"`.
#[derive(JsonSchema)]
#[schemars(untagged)]
enum Amount {
    Number(f64),
    Text(String),
}

/// A date: `2007-09-01`, `2007-09`, `Sept 2007`, `2009` or a UK financial
/// year `2009/10`.
#[derive(JsonSchema)]
struct Date(String);

/// A total typed by hand: an amount, or `TBC`.
#[derive(JsonSchema)]
#[schemars(untagged)]
enum Stated {
    Amount(Amount),
}

/// A plan file: one file of a plan holds `plan:`; the others add sources,
/// partners, sections and priorities.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, title = "planc plan file")]
pub struct PlanFile {
    /// The plan's header (exactly one file of each plan has it).
    plan: Option<Header>,
    /// Funding sources.
    sources: Option<Vec<Source>>,
    /// Partner organisations, referred to by id.
    partners: Option<Vec<Partner>>,
    /// Sections of the plan (cluster allocation, countywide ...).
    sections: Option<Vec<Section>>,
    /// Priority areas written in their own file; each names its `section`.
    priorities: Option<Vec<Priority>>,
}

/// From the plan period to the sign-off.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Header {
    /// The plan's id.
    id: String,
    /// Fields the transcriber inferred rather than read in the source
    /// plan, each with how it was inferred: `{ title: "..." }`.
    inferred: Option<BTreeMap<String, String>>,
    /// The cluster's or county's name.
    name: String,
    /// `cluster` (default) or `county`.
    kind: Option<Kind>,
    /// Local authority.
    authority: Option<String>,
    /// The organisation holding the funds.
    fund_holder: Option<String>,
    /// The period the plan covers.
    period: Period,
    /// Approval status.
    status: Option<PlanStatus>,
    /// A version label.
    version: Option<String>,
    /// Currency code; default GBP.
    currency: Option<String>,
    /// How often progress is reviewed.
    review_interval: Option<ReviewInterval>,
    /// Unallocated money is an error, not a warning.
    must_balance: Option<bool>,
    /// The source costs draw on when nothing nearer names one.
    default_source: Option<String>,
    /// Totals typed by hand, each checked against the computed one.
    stated: Option<StatedTotals>,
    /// Who approved the plan, and when.
    approval: Option<Approval>,
    /// A summary (Markdown).
    summary: Option<String>,
    /// How the plan is monitored and evaluated (Markdown).
    monitoring: Option<String>,
    /// Schools in the cluster.
    schools: Option<Vec<String>>,
    /// Schools to join later.
    schools_to_join: Option<Vec<String>>,
    /// Organisations on the steering group.
    steering_group: Option<Vec<String>>,
    /// A level per check code: allow, note, warning or error.
    checks: Option<BTreeMap<String, Level>>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    Cluster,
    County,
}

#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum PlanStatus {
    Draft,
    Submitted,
    Approved,
    Closed,
}

#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum ReviewInterval {
    Monthly,
    Quarterly,
    Termly,
    SixMonthly,
    Yearly,
}

#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum Level {
    Allow,
    Note,
    Warning,
    Error,
}

/// The plan period.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Period {
    /// First day.
    start: Date,
    /// Last day.
    end: Date,
}

/// Totals typed into the plan, checked against the computed ones.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct StatedTotals {
    /// Total funds.
    funds: Option<Stated>,
    /// Total allocated.
    allocated: Option<Stated>,
    /// Unallocated funds.
    unallocated: Option<Stated>,
    /// Countywide total.
    countywide: Option<Stated>,
}

/// Sign-off.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Approval {
    /// The approving body.
    body: String,
    /// When it approved the plan.
    date: Option<Date>,
    /// A note.
    note: Option<String>,
}

/// A funding source.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Source {
    /// Id, referred to by costs.
    id: String,
    /// Fields the transcriber inferred rather than read in the source
    /// plan, each with how it was inferred: `{ title: "..." }`.
    inferred: Option<BTreeMap<String, String>>,
    /// Name.
    name: String,
    /// Money available.
    amount: Option<Amount>,
    /// When the money starts.
    start: Option<Date>,
    /// Sections, priorities or activities the money may pay for.
    restricted_to: Option<Vec<String>>,
    /// A note.
    note: Option<String>,
}

/// A partner organisation.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Partner {
    /// Id, referred to by activities.
    id: String,
    /// Name.
    name: String,
}

/// A section of the plan.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Section {
    /// Id.
    id: String,
    /// Title.
    title: String,
    /// `local` (the plan's own money) or `countywide` (county totals, kept apart).
    scope: Option<Scope>,
    /// Default ECM outcome of its priorities.
    outcome: Option<String>,
    /// Default funding source of its costs.
    source: Option<String>,
    /// Its total typed by hand.
    stated_total: Option<Stated>,
    /// Description (Markdown).
    description: Option<String>,
    /// Its priority areas.
    priorities: Option<Vec<Priority>>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum Scope {
    Local,
    Countywide,
}

#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum CoreOffer {
    Childcare,
    Activities,
    Parenting,
    Referral,
    CommunityAccess,
}

/// A priority area, objective or working group.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Priority {
    /// Id.
    id: String,
    /// Check levels for this priority's own diagnostics and its activities'.
    checks: Option<BTreeMap<String, Level>>,
    /// Title.
    title: String,
    /// The section it belongs to, when written in its own file.
    section: Option<String>,
    /// ECM outcome, by key, number or alias.
    outcome: Option<String>,
    /// ECM aims (specific outcomes), by key.
    aims: Option<Vec<String>>,
    /// Other outcomes its activities also serve.
    cross_references: Option<Vec<CrossReference>>,
    /// Core-offer elements it serves.
    core_offer: Option<Vec<CoreOffer>>,
    /// Needs it meets.
    needs: Option<Needs>,
    /// Baseline.
    baseline: Option<String>,
    /// Measures.
    measures: Option<String>,
    /// Rationale.
    rationale: Option<String>,
    /// National Indicators, `NI55`.
    national_indicators: Option<Vec<String>>,
    /// Default funding source of its costs.
    source: Option<String>,
    /// Its total typed by hand.
    stated_total: Option<Stated>,
    /// Its activities.
    activities: Option<Vec<Activity>>,
    /// Further action beyond the life of the plan.
    further_actions: Option<Vec<FurtherAction>>,
}

/// A declared cross-reference to another outcome.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct CrossReference {
    /// The activity (omit for the whole area).
    activity: Option<String>,
    /// The other outcome.
    outcome: String,
    /// A note.
    note: Option<String>,
}

/// Needs the area meets.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Needs {
    /// From data.
    data: Option<Vec<String>>,
    /// From consultation.
    consultation: Option<Vec<String>>,
    /// Other.
    other: Option<Vec<String>>,
}

/// Further action beyond the plan.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct FurtherAction {
    /// The need.
    need: Option<String>,
    /// ECM outcomes.
    outcomes: Option<Vec<String>>,
    /// What would be planned.
    plan: String,
    /// Partners and support envisaged.
    partners: Option<String>,
}

/// An activity.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Activity {
    /// Id, e.g. `"1.1"` (quoted in YAML).
    id: String,
    /// Title.
    title: String,
    /// Description (Markdown).
    description: Option<String>,
    /// Judgement codes, `"2.2"` or `{ code, title }`.
    outcomes: Option<Vec<OutcomeCode>>,
    /// Further ECM outcomes served.
    serves: Option<Vec<String>>,
    /// Strand, e.g. `narrow-the-gap`.
    strand: Option<String>,
    /// Success measures.
    success_measures: Option<Vec<String>>,
    /// Cost.
    cost: Option<Cost>,
    /// Partner ids, or `{ lead, existing, to_approach }`.
    partners: Option<Partners>,
    /// Lead officer's role.
    lead: Option<String>,
    /// When.
    timescale: Option<Timescale>,
    /// Sustainability or exit strategy.
    sustainability: Option<String>,
    /// National Indicators.
    national_indicators: Option<Vec<String>>,
    /// Steps, with their own progress.
    actions: Option<Vec<Action>>,
    /// Progress updates.
    progress: Option<Vec<Progress>>,
    /// Fields the transcriber inferred rather than read in the source
    /// plan, each with how it was inferred: `{ title: "..." }`.
    inferred: Option<BTreeMap<String, String>>,
    /// Check levels for this activity's diagnostics alone.
    checks: Option<BTreeMap<String, Level>>,
    /// Id of an item several plans carry (a countywide project), declared
    /// in the register named by `shared` in planc.toml: a roll-up counts it
    /// once.
    shared: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(untagged)]
enum OutcomeCode {
    Code(String),
    Titled(TitledCode),
}

/// A judgement code with the title the plan gives it.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct TitledCode {
    /// The code.
    code: String,
    /// The plan's title for it.
    title: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(untagged)]
enum Partners {
    Ids(Vec<String>),
    Roles(PartnerRoles),
}

/// Partners by role.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct PartnerRoles {
    /// Leading.
    lead: Option<Vec<String>>,
    /// Existing partners.
    existing: Option<Vec<String>>,
    /// Partners to be approached.
    to_approach: Option<Vec<String>>,
}

#[derive(JsonSchema)]
#[schemars(untagged)]
enum Timescale {
    Text(String),
    Dates(TimescaleDates),
}

/// Dates and words.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct TimescaleDates {
    /// Start.
    start: Option<Date>,
    /// End.
    end: Option<Date>,
    /// Free text, e.g. `throughout the year`.
    text: Option<String>,
}

#[derive(JsonSchema)]
#[schemars(untagged)]
enum Action {
    Text(String),
    WithProgress(ActionWithProgress),
}

/// A step with progress updates.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct ActionWithProgress {
    /// What is done.
    text: String,
    /// Success criteria of this step alone.
    success_measures: Option<Vec<String>>,
    /// Progress updates.
    progress: Option<Vec<Progress>>,
}

/// A progress update.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Progress {
    /// When.
    date: Date,
    /// Red, amber or green.
    rag: Option<RagStatus>,
    /// Work status.
    status: Option<WorkStatus>,
    /// What happened.
    text: Option<String>,
    /// What is done about a red status.
    mitigation: Option<String>,
    /// When the work was completed.
    completed: Option<Date>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum RagStatus {
    Red,
    Amber,
    Green,
}

#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum WorkStatus {
    NotStarted,
    InProgress,
    Complete,
}

#[derive(JsonSchema)]
#[schemars(untagged)]
enum Cost {
    /// An amount, or `tbc` / `n/a`.
    Simple(Amount),
    Details(Box<CostDetails>),
}

/// A cost in full: one of amount, tbc, not_applicable, see, met_by; with an
/// amount, optionally source(s), lines and phasing.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct CostDetails {
    /// The amount.
    amount: Option<Amount>,
    /// To be confirmed: `true` or a note.
    tbc: Option<serde_json::Value>,
    /// Not applicable.
    not_applicable: Option<bool>,
    /// No cost stated: `true`, or the plan's words (`may be allocated
    /// locally`).
    not_stated: Option<serde_json::Value>,
    /// Costed under another activity.
    see: Option<String>,
    /// Met elsewhere, e.g. `NRF funding`.
    met_by: Option<String>,
    /// How it is met: in-kind, staff-time or other-fund.
    how: Option<String>,
    /// The one source it draws on.
    source: Option<String>,
    /// Several sources with their shares.
    sources: Option<Vec<Share>>,
    /// A breakdown.
    lines: Option<Vec<Line>>,
    /// Amounts by year (`"2009"` or `"2009/10"`).
    phasing: Option<BTreeMap<String, Amount>>,
    /// An estimate.
    approx: Option<bool>,
    /// A note.
    note: Option<String>,
}

/// A source's share of a cost.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Share {
    /// The source.
    source: String,
    /// Its share.
    amount: Amount,
}

/// A cost line.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Line {
    /// What it is for.
    item: String,
    /// Its amount.
    amount: Amount,
    /// Success criteria of what this line pays for.
    success_measures: Option<Vec<String>>,
}

/// The schema as pretty JSON.
pub fn json() -> String {
    let schema = schemars::schema_for!(PlanFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

// The schema's properties are compared with the decoder's declared
// fields, shape by shape, in `decode::shapes`' tests.
