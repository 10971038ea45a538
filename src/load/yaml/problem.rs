//! Why a YAML file is not read: the problems the builder finds.

use super::scalar::Invalid;
use super::{MAX_ALIAS_BYTES, MAX_ALIAS_EVENTS};
use crate::source::Span;

/// Why a YAML file is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::load::yaml) enum Problem {
    /// The parser's own complaint, in its words.
    Syntax { message: String, at: Span },
    /// Well-formed YAML that planc cannot take.
    Invalid { why: Invalid, at: Span },
    /// A key written twice in one mapping: `at` is the second.
    Duplicate { key: Option<String>, at: Span },
    /// A second document, starting at `at`.
    Documents { at: Span },
    /// An input limit crossed at `at`.
    Limit { breach: Breach, at: Span },
}

/// The input limit a file crossed, and the count that crossed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::load::yaml) enum Breach {
    Events(usize),
    Nodes(usize),
    Depth(usize),
    Aliases(usize),
    Anchors(usize),
    MergeKeys(usize),
    AliasAnchorRatio {
        aliases: usize,
        anchors: usize,
    },
    /// Nodes recorded under anchors, each anchor counting its own copy.
    RecordedAnchorEvents(usize),
    /// Nodes copied out by aliases.
    Replayed(usize),
    /// Bytes of text copied by anchors and aliases.
    AliasBytes(usize),
}

impl Breach {
    pub(in crate::load::yaml) fn is_depth(self) -> bool {
        matches!(self, Breach::Depth(_))
    }

    pub(in crate::load::yaml) fn is_alias(self) -> bool {
        matches!(
            self,
            Breach::Aliases(_)
                | Breach::Anchors(_)
                | Breach::AliasAnchorRatio { .. }
                | Breach::RecordedAnchorEvents(_)
                | Breach::Replayed(_)
                | Breach::AliasBytes(_)
        )
    }
}

/// The label under an input limit, in the words planc has always shown.
impl std::fmt::Display for Breach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Breach::Events(events) => write!(f, "budget breached: Events {{ events: {events} }}"),
            Breach::Nodes(nodes) => write!(f, "budget breached: Nodes {{ nodes: {nodes} }}"),
            Breach::Depth(depth) => write!(f, "budget breached: Depth {{ depth: {depth} }}"),
            Breach::Aliases(aliases) => {
                write!(f, "budget breached: Aliases {{ aliases: {aliases} }}")
            }
            Breach::Anchors(anchors) => {
                write!(f, "budget breached: Anchors {{ anchors: {anchors} }}")
            }
            Breach::MergeKeys(merge_keys) => {
                write!(
                    f,
                    "budget breached: MergeKeys {{ merge_keys: {merge_keys} }}"
                )
            }
            Breach::AliasAnchorRatio { aliases, anchors } => write!(
                f,
                "budget breached: AliasAnchorRatio {{ aliases: {aliases}, anchors: {anchors} }}"
            ),
            Breach::RecordedAnchorEvents(n) => write!(
                f,
                "budget breached: RecordedAnchorEvents {{ recorded_anchor_events: {n} }}"
            ),
            Breach::Replayed(n) => write!(
                f,
                "alias replay limit exceeded: total_replayed_events={n} > {MAX_ALIAS_EVENTS}"
            ),
            Breach::AliasBytes(n) => write!(
                f,
                "anchors and aliases copy {n} bytes of text, more than {MAX_ALIAS_BYTES}"
            ),
        }
    }
}
