//! The plan model: what a plan says, with the place each value came from.
//! Built from the located tree by `decode`; read by `resolve`, the checks,
//! `figures` and the renderers.

use crate::date::DateSpec;
use crate::money::Money;
use crate::source::{FileId, Span};

/// A value the transcriber inferred rather than read in the source plan:
/// which field, and how it was inferred.
#[derive(Debug, Clone, PartialEq)]
pub struct Inferred {
    pub field: Located<String>,
    pub note: String,
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Located<T> {
    pub fn new(value: T, span: Span) -> Self {
        Located { value, span }
    }
}

pub type Id = Located<String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanKind {
    Cluster,
    County,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStatus {
    Draft,
    Submitted,
    Approved,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewInterval {
    Monthly,
    Quarterly,
    Termly,
    SixMonthly,
    Yearly,
}

impl ReviewInterval {
    pub fn months(self) -> i8 {
        match self {
            ReviewInterval::Monthly => 1,
            ReviewInterval::Quarterly => 3,
            ReviewInterval::Termly => 4,
            ReviewInterval::SixMonthly => 6,
            ReviewInterval::Yearly => 12,
        }
    }
}

/// Whose money a section's figures are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// The plan's own allocation.
    Local,
    /// County totals across all clusters, reported apart from the plan's own.
    Countywide,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CoreOffer {
    Childcare,
    Activities,
    Parenting,
    Referral,
    CommunityAccess,
}

impl CoreOffer {
    pub const ALL: [CoreOffer; 5] = [
        CoreOffer::Childcare,
        CoreOffer::Activities,
        CoreOffer::Parenting,
        CoreOffer::Referral,
        CoreOffer::CommunityAccess,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CoreOffer::Childcare => "childcare",
            CoreOffer::Activities => "activities",
            CoreOffer::Parenting => "parenting",
            CoreOffer::Referral => "referral",
            CoreOffer::CommunityAccess => "community-access",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            CoreOffer::Childcare => "Childcare",
            CoreOffer::Activities => "Varied menu of activities",
            CoreOffer::Parenting => "Parenting support and family learning",
            CoreOffer::Referral => "Swift and easy referral to specialist support",
            CoreOffer::CommunityAccess => "Community access to facilities",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rag {
    Red,
    Amber,
    Green,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkStatus {
    NotStarted,
    InProgress,
    Complete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerRole {
    Lead,
    Existing,
    ToApproach,
    /// A plain list of partners: the plan states no role.
    Unstated,
}

/// How a cost is met when it is not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetBy {
    InKind,
    StaffTime,
    OtherFund,
}

/// A severity chosen in configuration for one check code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Allow,
    Note,
    Warning,
    Error,
}

/// A total typed into the plan by hand: an amount, or "TBC".
#[derive(Debug, Clone, PartialEq)]
pub enum Stated {
    Amount(Money),
    Tbc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    pub start: Located<DateSpec>,
    pub end: Located<DateSpec>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatedTotals {
    pub funds: Option<Located<Stated>>,
    pub allocated: Option<Located<Stated>>,
    pub unallocated: Option<Located<Stated>>,
    pub countywide: Option<Located<Stated>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub body: String,
    pub date: Option<Located<DateSpec>>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: Id,
    pub name: String,
    pub kind: PlanKind,
    pub authority: Option<String>,
    pub fund_holder: Option<String>,
    pub period: Option<Period>,
    pub status: Option<PlanStatus>,
    pub version: Option<String>,
    pub currency: Option<String>,
    pub review_interval: Option<ReviewInterval>,
    pub must_balance: bool,
    pub default_source: Option<Id>,
    pub stated: StatedTotals,
    pub approval: Option<Approval>,
    pub summary: Option<String>,
    pub monitoring: Option<String>,
    pub schools: Vec<String>,
    pub schools_to_join: Vec<String>,
    pub steering_group: Vec<String>,
    pub checks: Vec<(Id, Level)>,
    /// Header fields the transcriber inferred.
    pub inferred: Vec<Inferred>,
    pub sources: Vec<Source>,
    pub partners: Vec<Partner>,
    pub sections: Vec<Section>,
    /// Where the `plan:` header is.
    pub header_span: Span,
    /// Every file the plan was read from, in load order.
    pub files: Vec<FileId>,
    /// Items carrying money (activities with a cost, sources with an
    /// amount) that could not be decoded at all: the plan's totals are
    /// unknown while any is left.
    pub lost: Vec<Span>,
    /// Funding sources that could not be decoded: what the plan has
    /// available is unknown.
    pub lost_sources: Vec<Span>,
}

/// Where the items of a plan lie in its files: each from where it starts
/// to where the next item of its level or above starts in the same file (a
/// mapping's span marks where it starts, not where it ends).
#[derive(Debug, Default)]
pub struct Extents {
    /// Every priority, in plan order.
    pub priorities: Vec<Span>,
    /// Every activity, in plan order.
    pub activities: Vec<Span>,
}

impl Plan {
    pub fn extents(&self) -> Extents {
        let priorities: Vec<&Priority> = self.sections.iter().flat_map(|s| &s.priorities).collect();
        let outer: Vec<Span> = self
            .sections
            .iter()
            .map(|s| s.span)
            .chain(priorities.iter().map(|p| p.span))
            .collect();
        let inner: Vec<Span> = priorities
            .iter()
            .flat_map(|p| p.activities.iter().map(|a| a.span))
            .chain(outer.iter().copied())
            .collect();
        // Starts sorted by file and offset: the next start is found by
        // binary search, so a plan of 100,000 activities takes no longer
        // than its reading.
        let sorted = |spans: &[Span]| {
            let mut starts: Vec<(u32, u32)> = spans.iter().map(|s| (s.file.0, s.start)).collect();
            starts.sort_unstable();
            starts
        };
        let (outer, inner) = (sorted(&outer), sorted(&inner));
        let extent = |start: Span, starts: &[(u32, u32)]| {
            let next = starts.partition_point(|&s| s <= (start.file.0, start.start));
            let end = starts
                .get(next)
                .filter(|(file, _)| *file == start.file.0)
                .map_or(u32::MAX, |(_, offset)| *offset);
            Span {
                file: start.file,
                start: start.start,
                end,
            }
        };
        Extents {
            priorities: priorities.iter().map(|p| extent(p.span, &outer)).collect(),
            activities: priorities
                .iter()
                .flat_map(|p| &p.activities)
                .map(|a| extent(a.span, &inner))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: Id,
    pub name: String,
    pub amount: Option<Located<Money>>,
    pub start: Option<Located<DateSpec>>,
    pub restricted_to: Vec<Id>,
    pub note: Option<String>,
    /// An amount was written but could not be read: what the source holds
    /// is unknown.
    pub unreadable: bool,
    pub inferred: Vec<Inferred>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    pub id: Id,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: Id,
    pub title: String,
    pub scope: Scope,
    pub outcome: Option<Id>,
    pub source: Option<Id>,
    pub stated_total: Option<Located<Stated>>,
    pub description: Option<String>,
    pub priorities: Vec<Priority>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Needs {
    pub data: Vec<String>,
    pub consultation: Vec<String>,
    pub other: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CrossReference {
    pub activity: Option<Id>,
    pub outcome: Id,
    pub note: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FurtherAction {
    pub need: Option<String>,
    pub outcomes: Vec<Id>,
    pub plan: String,
    pub partners: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    pub id: Id,
    pub title: String,
    /// The section this priority belongs to, when written in its own file.
    pub section: Option<Id>,
    pub outcome: Option<Id>,
    pub aims: Vec<Id>,
    pub cross_references: Vec<CrossReference>,
    pub core_offer: Vec<Located<CoreOffer>>,
    pub needs: Needs,
    pub baseline: Option<String>,
    pub measures: Option<String>,
    pub rationale: Option<String>,
    pub national_indicators: Vec<Id>,
    pub source: Option<Id>,
    pub stated_total: Option<Located<Stated>>,
    pub activities: Vec<Activity>,
    pub further_actions: Vec<FurtherAction>,
    /// Check levels for the priority's diagnostics and its activities'.
    pub checks: Vec<(Id, Level)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeCode {
    pub code: Id,
    /// The title the plan writes beside the code, if any.
    pub title: Option<Located<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PartnerRef {
    pub id: Id,
    pub role: PartnerRole,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timescale {
    pub start: Option<Located<DateSpec>>,
    pub end: Option<Located<DateSpec>>,
    pub text: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub date: Located<DateSpec>,
    pub rag: Option<Rag>,
    pub status: Option<WorkStatus>,
    pub text: Option<String>,
    pub mitigation: Option<String>,
    pub completed: Option<Located<DateSpec>>,
    pub span: Span,
}

/// One step of an activity, with its own progress updates.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub text: String,
    /// Success criteria of this step alone.
    pub success_measures: Vec<String>,
    pub progress: Vec<Progress>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: Id,
    pub title: String,
    pub description: Option<String>,
    pub outcomes: Vec<OutcomeCode>,
    /// ECM outcomes served beyond those the outcome codes imply.
    pub serves: Vec<Id>,
    pub strand: Option<String>,
    pub success_measures: Vec<String>,
    pub cost: Option<Cost>,
    pub partners: Vec<PartnerRef>,
    pub lead: Option<String>,
    pub timescale: Option<Timescale>,
    pub sustainability: Option<String>,
    pub national_indicators: Vec<Id>,
    pub actions: Vec<Action>,
    pub progress: Vec<Progress>,
    /// The id of an item several plans carry (a countywide project), so
    /// that a roll-up counts it once.
    pub shared: Option<Id>,
    /// Check levels for this activity's diagnostics alone: one justified
    /// exception does not switch a check off for the whole plan.
    pub checks: Vec<(Id, Level)>,
    /// Fields the transcriber inferred rather than read in the source plan.
    pub inferred: Vec<Inferred>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CostKind {
    Amount(Located<Money>),
    Tbc,
    NotApplicable,
    /// Costed under another activity ("see 2.1").
    See(Id),
    /// Met elsewhere: in kind, staff time or another fund.
    Met {
        by: String,
        how: MetBy,
    },
    /// An amount was written but could not be read: the totals it belongs
    /// to are unknown until it is fixed.
    Unreadable,
    /// The plan states no cost ("resources may be allocated locally"),
    /// with its words: no amount, and none expected.
    NotStated(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CostLine {
    pub item: String,
    pub amount: Located<Money>,
    /// Success criteria of what this line pays for.
    pub success_measures: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    pub year: Located<DateSpec>,
    pub amount: Located<Money>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceShare {
    pub source: Id,
    pub amount: Located<Money>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cost {
    pub kind: CostKind,
    pub source: Option<Id>,
    pub shares: Vec<SourceShare>,
    pub lines: Vec<CostLine>,
    pub phasing: Vec<Phase>,
    pub approx: bool,
    pub note: Option<String>,
    /// A line or year of the breakdown could not be read: the amount
    /// stands, but the checks that the breakdown adds up are skipped.
    pub incomplete: bool,
    pub span: Span,
}

impl Cost {
    /// A cost of one kind and nothing more: no source, lines or phasing.
    pub fn simple(kind: CostKind, span: Span) -> Cost {
        Cost {
            kind,
            source: None,
            shares: Vec::new(),
            lines: Vec::new(),
            phasing: Vec::new(),
            approx: false,
            note: None,
            incomplete: false,
            span,
        }
    }

    /// A cost that was written but could not be read.
    pub fn unreadable(span: Span) -> Cost {
        Cost::simple(CostKind::Unreadable, span)
    }
}

/// An item several plans carry, declared once in planc.toml's `[[shared]]`
/// register: the id plans cite, the title and the figure they must agree
/// on.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedItem {
    pub id: Id,
    pub title: String,
    pub amount: Option<Located<Money>>,
    pub note: Option<String>,
}
