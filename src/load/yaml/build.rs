//! The located tree, built straight from granit-parser's events.
//!
//! One pass over the events, with an explicit stack of open collections (so
//! no input can exhaust the call stack), and planc's input limits counted
//! as the events arrive: an alias bomb or a deep nesting stops at the event
//! that crosses a limit, having built no more than that.
//!
//! The rules follow what planc's YAML files meant when they were read
//! through serde-saphyr: scalars typed as in [`super::scalar`], `<<` merge
//! keys merged (keys written in the mapping win, then earlier merges), a
//! key written twice refused, and every node copied from an alias or a
//! merge located at the alias or merge that brought it in.

use std::borrow::Cow;

use granit_parser::{
    ErrorKind, Event, Options, Parser, ScalarStyle, ScanError, Span as ParserSpan, Tag,
};

use super::fast;
use super::keys::{Entries, KeyId, KeyRef};
use super::problem::{Breach, Problem};
use super::scalar::{self, Fingerprint, Identity, Invalid, KeyTag, NodeKind, Scalar, TagKind};
use super::{
    MAX_ALIAS_BYTES, MAX_ALIAS_EVENTS, MAX_ALIASES, MAX_DEPTH, MAX_EVENTS, MAX_MERGE_KEYS,
    MAX_NODES,
};
use crate::load::node::{Entry, Node, Value};
use crate::source::{FileId, SourceFile, Span};

/// Parses one YAML document into the located tree: with the fast path if
/// the file is in its subset, else with granit-parser.
pub(super) fn build(file: FileId, source: &SourceFile) -> Result<Node, Problem> {
    let mut builder = Builder::new(file, source);
    if let Some(events) = fast::events(&source.text) {
        for (event, span) in events {
            builder.event(event, &span)?;
        }
        return builder.finish();
    }
    let mut parser = Parser::new_from_str_with_options(&source.text, parser_options());
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| builder.scan_error(&e))?;
        builder.event(event, &span)?;
    }
    builder.finish()
}

/// How planc asks granit-parser to read YAML.
pub(super) fn parser_options() -> Options {
    granit_parser::options! {
        emit_comments: false,
        simple_key_max_lookahead: 1024,
        flow_nesting_limit: 255,
        block_nesting_limit: 255,
    }
}

/// An anchored node, kept for the aliases that copy it.
struct Anchored {
    node: Node,
    /// The events it was written with, each replayed by an alias.
    profile: Vec<Step>,
    /// The bytes of text an alias copies.
    bytes: usize,
    fingerprint: Fingerprint,
    /// A mapping's keys in entry order, for merging it.
    keys: Vec<Fingerprint>,
    /// A scalar `<<` (plain, or tagged `!!merge`): a merge key as a key.
    merge_key: bool,
    /// A null scalar: merging it adds nothing.
    null: bool,
    /// A scalar's text, for naming it as a duplicate key.
    text: Option<String>,
}

/// One event of an anchored node, as an alias replays it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Scalar,
    Start,
    End,
}

/// A key whose value is still to come.
struct PendingKey {
    text: String,
    span: Span,
    merge: bool,
    id: KeyId,
}

/// An entry a `<<` key brings in.
struct Merged {
    entry: Entry,
    key: Fingerprint,
    /// What is wrong in it, reported only if the entry is not overridden.
    error: Option<Box<Problem>>,
}

type Batch = Vec<Merged>;

/// Problems that are reported only once the key or merged entry they are
/// in is read, as serde-saphyr read keys and `<<` values whole first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Deferral {
    /// A scalar that cannot be read, a recursive alias: later in a key or
    /// a merged entry.
    Reading,
    /// A key written twice, a `<<` value that is not a mapping: later in
    /// a key only.
    Structure,
}

#[expect(
    clippy::large_enum_variant,
    reason = "only the open collections' frames, at most MAX_DEPTH, hold one"
)]
enum Kind {
    Seq(Vec<Node>),
    Map {
        entries: Entries,
        key: Option<PendingKey>,
        /// What each `<<` key brought in, in order: added at the end.
        merges: Vec<Batch>,
    },
}

/// What a collection being built is to the one around it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Value,
    Key,
    /// The value of a `<<` key, or an item of such a sequence.
    Merge,
}

struct Frame {
    span: Span,
    anchor: usize,
    role: Role,
    kind: Kind,
    /// Under `<<`: the entries gathered from the items so far.
    batch: Batch,
    /// Under `<<`: where what it brings in is located. The value of `<<`
    /// and each of its items are located at themselves; what sequences
    /// nested deeper bring in, at the item they are in.
    merge_at: Span,
    /// Under `<<`: 0 for the value of `<<`, 1 for its items, and so on.
    merge_level: u32,
    /// A key's or a merged entry's first problem, reported later.
    deferred: Option<Box<Problem>>,
    /// A mapping under `<<`: its first structural problem, reported once
    /// it is read whole.
    structure: Option<Box<Problem>>,
    /// A mapping under `<<`: each entry's problem.
    entry_errors: Vec<Option<Box<Problem>>>,
    /// Anchored: the events it is written with so far.
    profile: Vec<Step>,
    /// The tag it is compared under as (part of) a key.
    key_tag: Option<KeyTag>,
    /// Its items' fingerprints (a mapping's keys and values in turn), when
    /// its own will be needed: in a key, or under an anchor.
    fingerprints: Option<Vec<Fingerprint>>,
}

impl Frame {
    fn fingerprint(&mut self) -> Option<Fingerprint> {
        let items = self.fingerprints.take()?;
        let tag = self.key_tag.take()?;
        Some(match self.kind {
            Kind::Seq(_) => Fingerprint::Seq { tag, items },
            Kind::Map { .. } => {
                let mut entries = Vec::with_capacity(items.len() / 2);
                let mut items = items.into_iter();
                while let (Some(k), Some(v)) = (items.next(), items.next()) {
                    entries.push((k, v));
                }
                entries.sort();
                Fingerprint::Map { tag, entries }
            }
        })
    }
}

/// A finished node on its way to the collection around it.
struct Done {
    node: Node,
    /// Its fingerprint, when the collection around it keeps them.
    fingerprint: Option<Fingerprint>,
    /// As a key: how it is told from the others.
    key: Option<KeyId>,
    /// As a key: a `<<` merge key.
    merge_key: bool,
    /// As the value of a `<<` key: the entries it brings in.
    merged: Option<Batch>,
}

struct Builder<'t> {
    file: FileId,
    source: &'t SourceFile,
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: Vec<Option<Anchored>>,
    /// Anchored collections still open: each records a copy of every event.
    recording: usize,
    /// Open frames that want their items' fingerprints.
    tracking: usize,
    events: usize,
    nodes: usize,
    aliases: usize,
    anchors_defined: usize,
    merge_keys: usize,
    recorded: usize,
    replayed: usize,
    alias_bytes: usize,
    documents: usize,
    last: Span,
}

impl<'t> Builder<'t> {
    fn new(file: FileId, source: &'t SourceFile) -> Self {
        Builder {
            file,
            source,
            stack: Vec::new(),
            root: None,
            anchors: Vec::new(),
            recording: 0,
            tracking: 0,
            events: 0,
            nodes: 0,
            aliases: 0,
            anchors_defined: 0,
            merge_keys: 0,
            recorded: 0,
            replayed: 0,
            alias_bytes: 0,
            documents: 0,
            last: Span::new(file, 0, 0),
        }
    }

    fn span(&self, span: &ParserSpan) -> Span {
        let len = self.source.text.len();
        match span.byte_range() {
            Some(range) => {
                let start = range.start.min(len);
                Span::new(self.file, start, range.end.clamp(start, len))
            }
            None => self.point(span.start.line(), span.start.col()),
        }
    }

    /// A zero-width span at a line (from 1) and column (from 0).
    fn point(&self, line: usize, col: usize) -> Span {
        let at = self.source.offset_of(line, col + 1);
        Span::new(self.file, at, at)
    }

    fn scan_error(&self, e: &ScanError) -> Problem {
        let message = match e.kind() {
            ErrorKind::UnknownAnchor => "alias references unknown anchor".to_string(),
            ErrorKind::MultipleDocumentsUnsupported => {
                "multiple YAML documents detected; only one document is supported in this context"
                    .to_string()
            }
            _ => e.info(),
        };
        Problem::Syntax {
            message,
            at: self.point(e.marker().line(), e.marker().col()),
        }
    }

    fn count_event(&mut self, at: Span) -> Result<(), Problem> {
        self.events += 1;
        if self.events > MAX_EVENTS {
            return Err(limit(Breach::Events(self.events), at));
        }
        Ok(())
    }

    fn count_node(&mut self, at: Span) -> Result<(), Problem> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(limit(Breach::Nodes(self.nodes), at));
        }
        Ok(())
    }

    fn count_anchor(&mut self, anchor: usize, at: Span) -> Result<(), Problem> {
        if anchor != 0 {
            self.anchors_defined += 1;
            if self.anchors_defined > MAX_ALIASES {
                return Err(limit(Breach::Anchors(self.anchors_defined), at));
            }
        }
        Ok(())
    }

    /// Each open anchor records the event, and a new anchored scalar
    /// (`own`) its own copy: copies counted, and their text.
    fn record(&mut self, step: Step, own: usize, bytes: usize, at: Span) -> Result<(), Problem> {
        let copies = self.recording + own;
        if copies == 0 {
            return Ok(());
        }
        self.recorded += copies;
        if self.recorded > MAX_ALIAS_EVENTS {
            return Err(limit(
                Breach::RecordedAnchorEvents(MAX_ALIAS_EVENTS + 1),
                at,
            ));
        }
        self.copy_bytes(bytes.saturating_mul(copies), at)?;
        if self.recording > 0 {
            for frame in self.stack.iter_mut().filter(|f| f.anchor != 0) {
                frame.profile.push(step);
            }
        }
        Ok(())
    }

    fn copy_bytes(&mut self, bytes: usize, at: Span) -> Result<(), Problem> {
        self.alias_bytes = self.alias_bytes.saturating_add(bytes);
        if self.alias_bytes > MAX_ALIAS_BYTES {
            return Err(limit(Breach::AliasBytes(self.alias_bytes), at));
        }
        Ok(())
    }

    /// Whether the next node is a key of the mapping it is in.
    fn at_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                kind: Kind::Map { key: None, .. },
                ..
            })
        )
    }

    /// Whether the next node is the value of a `<<` key, or an item of
    /// such a sequence.
    fn at_merge(&self) -> bool {
        match self.stack.last() {
            Some(Frame {
                kind: Kind::Map { key: Some(key), .. },
                ..
            }) => key.merge,
            Some(Frame {
                role: Role::Merge,
                kind: Kind::Seq(_),
                ..
            }) => true,
            _ => false,
        }
    }

    fn event(&mut self, event: Event<'_>, span: &ParserSpan) -> Result<(), Problem> {
        let at = self.span(span);
        self.last = at;
        match event {
            Event::DocumentStart(..) => {
                self.count_event(at)?;
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Problem::Documents { at });
                }
                Ok(())
            }
            Event::Scalar(value, style, anchor, tag) => {
                self.scalar(value, style, anchor, tag.as_deref(), at)
            }
            Event::SequenceStart(_, anchor, tag) => {
                self.start(NodeKind::Seq, anchor, tag.as_deref(), at)
            }
            Event::MappingStart(_, anchor, tag) => {
                self.start(NodeKind::Map, anchor, tag.as_deref(), at)
            }
            Event::SequenceEnd | Event::MappingEnd => self.end(at),
            Event::Alias(id) => self.alias(id, at),
            // Anchor names, comments and unresolved aliases are not asked
            // for; the stream's and documents' other marks count as events.
            _ => self.count_event(at),
        }
    }

    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        at: Span,
    ) -> Result<(), Problem> {
        self.count_event(at)?;
        self.count_node(at)?;
        self.count_anchor(anchor, at)?;
        let kind = TagKind::of(tag);
        let at_key = self.at_key();
        let merge_key = value == "<<"
            && (kind == TagKind::Merge || (kind == TagKind::None && style == ScalarStyle::Plain));
        if at_key && merge_key {
            self.merge_keys += 1;
            if self.merge_keys > MAX_MERGE_KEYS {
                return Err(limit(Breach::MergeKeys(self.merge_keys), at));
            }
        }
        if kind.requires().is_some_and(|k| k != NodeKind::Scalar) {
            return Err(unsupported(tag, at));
        }
        self.record(Step::Scalar, usize::from(anchor != 0), value.len(), at)?;
        let null = scalar::is_null(kind, &value, style);
        if self.at_merge() {
            if !null {
                self.defer(invalid(Invalid::MergeValue, at), Deferral::Structure)?;
            }
            return self.deliver(Done {
                node: Node {
                    span: at,
                    value: Value::Null,
                },
                fingerprint: None,
                key: None,
                merge_key: false,
                merged: Some(Vec::new()),
            });
        }
        let wants_fingerprint = self.tracking > 0 || anchor != 0;
        let identity =
            (at_key || wants_fingerprint).then(|| scalar::identity(&value, style, kind, tag));
        // Its text names a duplicate: a key tagged as a number, say, has none.
        let named = || kind.allows_text().then(|| value.to_string());
        if at_key
            && !merge_key
            && let Some(identity) = &identity
            && let Err(problem) = self.check_duplicate(KeyRef::from(identity), named, at)
        {
            self.defer(problem, Deferral::Structure)?;
        }
        let resolved = match scalar::resolve(&value, style, kind) {
            Ok(resolved) => resolved,
            Err(why) => {
                self.defer(invalid(why, at), Deferral::Reading)?;
                Scalar::Null
            }
        };
        let text = named();
        let (key, fingerprint) = match &identity {
            None => (None, None),
            Some(identity) => {
                let same_text = match (identity, &resolved) {
                    (Identity::Text(_), Scalar::Str) => true,
                    (Identity::Text(t), Scalar::Number) => self.source.slice(at).trim() == *t,
                    _ => false,
                };
                let key = at_key.then(|| {
                    if same_text {
                        KeyId::Text
                    } else {
                        KeyId::Full(identity.to_fingerprint())
                    }
                });
                (key, wants_fingerprint.then(|| identity.to_fingerprint()))
            }
        };
        drop(identity);
        let node_value = match resolved {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Number => Value::Number(self.source.slice(at).trim().to_string()),
            Scalar::Str => Value::Str(value.into_owned()),
            Scalar::Decoded(s) => Value::Str(s),
        };
        let node = Node {
            span: at,
            value: node_value,
        };
        if anchor != 0
            && let Some(fp) = &fingerprint
        {
            self.define(
                anchor,
                Anchored {
                    bytes: text_bytes(&node),
                    node: node.clone(),
                    profile: vec![Step::Scalar],
                    fingerprint: fp.clone(),
                    keys: Vec::new(),
                    merge_key,
                    null,
                    text,
                },
            );
        }
        self.deliver(Done {
            node,
            fingerprint,
            key,
            merge_key,
            merged: None,
        })
    }

    fn start(
        &mut self,
        kind: NodeKind,
        anchor: usize,
        tag: Option<&Tag>,
        at: Span,
    ) -> Result<(), Problem> {
        self.count_event(at)?;
        self.count_node(at)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(limit(Breach::Depth(self.stack.len() + 1), at));
        }
        self.count_anchor(anchor, at)?;
        let tag_kind = TagKind::of(tag);
        if tag_kind.requires().is_some_and(|k| k != kind) {
            return Err(if tag_kind == TagKind::Include {
                invalid(Invalid::Include, at)
            } else {
                unsupported(tag, at)
            });
        }
        self.record(Step::Start, usize::from(anchor != 0), 0, at)?;
        if anchor != 0 {
            self.recording += 1;
        }
        let role = if self.at_merge() {
            Role::Merge
        } else if self.at_key() {
            Role::Key
        } else {
            Role::Value
        };
        let (merge_at, merge_level) = match self.stack.last() {
            Some(parent) if role == Role::Merge && parent.role == Role::Merge => {
                let level = parent.merge_level + 1;
                (if level > 1 { parent.merge_at } else { at }, level)
            }
            _ => (at, 0),
        };
        let track = self.tracking > 0 || role == Role::Key || anchor != 0;
        if track {
            self.tracking += 1;
        }
        let implicit = match kind {
            NodeKind::Seq => TagKind::Seq,
            _ => TagKind::Map,
        };
        self.stack.push(Frame {
            span: at,
            anchor,
            role,
            kind: match kind {
                NodeKind::Seq => Kind::Seq(Vec::new()),
                _ => Kind::Map {
                    entries: Entries::default(),
                    key: None,
                    merges: Vec::new(),
                },
            },
            batch: Vec::new(),
            merge_at,
            merge_level,
            deferred: None,
            structure: None,
            entry_errors: Vec::new(),
            profile: if anchor != 0 {
                vec![Step::Start]
            } else {
                Vec::new()
            },
            key_tag: track.then(|| KeyTag::new(tag_kind, tag, implicit)),
            fingerprints: track.then(Vec::new),
        });
        Ok(())
    }

    fn end(&mut self, at: Span) -> Result<(), Problem> {
        self.count_event(at)?;
        self.record(Step::End, 0, 0, at)?;
        let Some(mut frame) = self.stack.pop() else {
            return Ok(());
        };
        if frame.anchor != 0 {
            self.recording -= 1;
        }
        if frame.fingerprints.is_some() {
            self.tracking -= 1;
        }
        if let Some(problem) = frame.structure.take() {
            self.defer(*problem, Deferral::Structure)?;
        }
        let fingerprint = frame.fingerprint();
        let (value, keys, merged) = match frame.kind {
            Kind::Seq(items) => {
                let merged = (frame.role == Role::Merge).then_some(frame.batch);
                (Value::Seq(items), Vec::new(), merged)
            }
            Kind::Map {
                mut entries,
                key: _,
                merges,
            } => {
                for merged in merges.into_iter().flatten() {
                    if entries.contains(KeyRef::of(&merged.key)) {
                        continue;
                    }
                    if frame.role == Role::Merge {
                        frame.entry_errors.push(merged.error);
                    } else if let Some(problem) = merged.error {
                        self.defer(*problem, Deferral::Reading)?;
                    }
                    let id = KeyId::new(&merged.entry.key, merged.key);
                    entries.push(merged.entry, id);
                }
                let keys: Vec<Fingerprint> = if frame.anchor != 0 || frame.role == Role::Merge {
                    (0..entries.entries.len())
                        .map(|i| entries.key(i).to_owned())
                        .collect()
                } else {
                    Vec::new()
                };
                let merged = (frame.role == Role::Merge).then(|| {
                    let mut errors = std::mem::take(&mut frame.entry_errors).into_iter();
                    entries
                        .entries
                        .iter()
                        .zip(keys.iter())
                        .map(|(e, k)| Merged {
                            entry: relocated_entry(e, frame.merge_at),
                            key: k.clone(),
                            error: errors.next().flatten(),
                        })
                        .collect()
                });
                (Value::Map(entries.entries), keys, merged)
            }
        };
        let node = Node {
            span: frame.span,
            value,
        };
        if frame.role == Role::Key {
            if let Some(fp) = &fingerprint
                && let Err(problem) = self.check_duplicate(KeyRef::of(fp), || None, frame.span)
            {
                self.defer(problem, Deferral::Structure)?;
            }
            if let Some(problem) = frame.deferred.take() {
                self.defer(*problem, Deferral::Reading)?;
            }
        }
        if frame.anchor != 0
            && let Some(fp) = &fingerprint
        {
            self.define(
                frame.anchor,
                Anchored {
                    bytes: text_bytes(&node),
                    node: node.clone(),
                    profile: std::mem::take(&mut frame.profile),
                    fingerprint: fp.clone(),
                    keys,
                    merge_key: false,
                    null: false,
                    text: None,
                },
            );
        }
        let key = (frame.role == Role::Key)
            .then(|| fingerprint.clone().map(KeyId::Full))
            .flatten();
        self.deliver(Done {
            node,
            fingerprint,
            key,
            merge_key: false,
            merged,
        })
    }

    fn define(&mut self, anchor: usize, anchored: Anchored) {
        if self.anchors.len() <= anchor {
            self.anchors.resize_with(anchor + 1, || None);
        }
        self.anchors[anchor] = Some(anchored);
    }

    fn alias(&mut self, id: usize, at: Span) -> Result<(), Problem> {
        self.count_event(at)?;
        self.aliases += 1;
        if self.aliases > MAX_ALIASES {
            return Err(limit(Breach::Aliases(self.aliases), at));
        }
        if self.stack.iter().any(|f| f.anchor == id) {
            self.defer(invalid(Invalid::Recursive, at), Deferral::Reading)?;
            let merged = self.at_merge().then(Vec::new);
            return self.deliver(Done {
                node: Node {
                    span: at,
                    value: Value::Null,
                },
                fingerprint: None,
                key: None,
                merge_key: false,
                merged,
            });
        }
        // Taken out while it is copied, and put back.
        let Some(anchored) = self.anchors.get_mut(id).and_then(Option::take) else {
            return Err(Problem::Syntax {
                message: "alias references unknown anchor".to_string(),
                at,
            });
        };
        let result = self.copy_alias(&anchored, at);
        self.anchors[id] = Some(anchored);
        let done = result?;
        self.deliver(done)
    }

    fn copy_alias(&mut self, anchored: &Anchored, at: Span) -> Result<Done, Problem> {
        let merging = self.at_merge();
        let at_key = self.at_key();
        let node = self.replay(anchored, at)?;
        let merged = if merging {
            let batch = match &node.value {
                Value::Null if anchored.null => Ok(Vec::new()),
                Value::Map(entries) => Ok(entries
                    .iter()
                    .zip(anchored.keys.iter())
                    .map(|(entry, key)| Merged {
                        entry: entry.clone(),
                        key: key.clone(),
                        error: None,
                    })
                    .collect()),
                Value::Seq(items) => merge_items(items, at),
                _ => Err(invalid(Invalid::MergeValue, at)),
            };
            Some(match batch {
                Ok(batch) => batch,
                Err(problem) => {
                    self.defer(problem, Deferral::Structure)?;
                    Vec::new()
                }
            })
        } else {
            None
        };
        if at_key
            && !anchored.merge_key
            && let Err(problem) = self.check_duplicate(
                KeyRef::of(&anchored.fingerprint),
                || anchored.text.clone(),
                at,
            )
        {
            self.defer(problem, Deferral::Structure)?;
        }
        let fingerprint = (self.tracking > 0).then(|| anchored.fingerprint.clone());
        let key = at_key.then(|| {
            KeyId::new(
                node.scalar_text().unwrap_or_default(),
                anchored.fingerprint.clone(),
            )
        });
        Ok(Done {
            node,
            fingerprint,
            key,
            merge_key: anchored.merge_key,
            merged,
        })
    }

    /// A copy of an anchored node with every part located at the alias,
    /// counted as the events that wrote it.
    fn replay(&mut self, anchored: &Anchored, at: Span) -> Result<Node, Problem> {
        let mut depth = self.stack.len();
        for &step in &anchored.profile {
            self.replayed += 1;
            if self.replayed > MAX_ALIAS_EVENTS {
                return Err(limit(Breach::Replayed(self.replayed), at));
            }
            self.count_event(at)?;
            match step {
                Step::Scalar => self.count_node(at)?,
                Step::Start => {
                    self.count_node(at)?;
                    if depth >= MAX_DEPTH {
                        return Err(limit(Breach::Depth(depth + 1), at));
                    }
                    depth += 1;
                }
                Step::End => depth = depth.saturating_sub(1),
            }
            self.record(step, 0, 0, at)?;
        }
        self.copy_bytes(anchored.bytes.saturating_mul(1 + self.recording), at)?;
        Ok(relocated(&anchored.node, at))
    }

    /// Reports a problem now, or keeps it for when the key or merged entry
    /// it is in is read.
    fn defer(&mut self, problem: Problem, deferral: Deferral) -> Result<(), Problem> {
        // Whether the problem is deeper than the entries of the collection
        // looked at: in a merged entry's value, it waits for that entry.
        let mut nested = false;
        for i in (0..self.stack.len()).rev() {
            let frame = &self.stack[i];
            match (frame.role, &frame.kind) {
                (Role::Key, _) => {}
                (Role::Merge, Kind::Map { .. }) if nested || deferral == Deferral::Reading => {}
                (Role::Merge, _) => return self.hold(i, problem),
                _ => {
                    nested = true;
                    continue;
                }
            }
            self.stack[i].deferred.get_or_insert(Box::new(problem));
            return Ok(());
        }
        Err(problem)
    }

    /// A structural problem in the value of a `<<` key, found in frame
    /// `i`: serde-saphyr read such a value whole (or, for a sequence, each
    /// of its items whole) before looking into it, so the problem waits
    /// for that.
    fn hold(&mut self, i: usize, problem: Problem) -> Result<(), Problem> {
        let mut outer = i;
        while outer > 0 && self.stack[outer].role == Role::Merge && {
            let parent = &self.stack[outer - 1];
            parent.role == Role::Merge
        } {
            outer -= 1;
        }
        let holder = match self.stack[outer].kind {
            Kind::Map { .. } => outer,
            // An item of the sequence: read whole first. The sequence's own
            // items are read as they come.
            Kind::Seq(_) if outer < i => outer + 1,
            Kind::Seq(_) => return Err(problem),
        };
        let frame = &mut self.stack[holder];
        // Its own `<<` values are read as they come, its keys compared
        // once it is read whole.
        let first = match (&frame.structure, &problem) {
            (None, _) => true,
            (Some(kept), Problem::Invalid { .. }) => matches!(**kept, Problem::Duplicate { .. }),
            _ => false,
        };
        if first {
            frame.structure = Some(Box::new(problem));
        }
        Ok(())
    }

    /// A key already in the mapping being built is refused at `at`.
    fn check_duplicate(
        &self,
        key: KeyRef<'_>,
        named: impl FnOnce() -> Option<String>,
        at: Span,
    ) -> Result<(), Problem> {
        if let Some(Frame {
            kind: Kind::Map { entries, .. },
            ..
        }) = self.stack.last()
            && entries.contains(key)
        {
            return Err(Problem::Duplicate { key: named(), at });
        }
        Ok(())
    }

    /// Hands a finished node to the collection around it.
    fn deliver(&mut self, done: Done) -> Result<(), Problem> {
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(done.node);
            }
            return Ok(());
        };
        if let Some(fingerprints) = &mut frame.fingerprints
            && let Some(fp) = &done.fingerprint
        {
            fingerprints.push(fp.clone());
        }
        match &mut frame.kind {
            Kind::Seq(items) => {
                if frame.role == Role::Merge {
                    match done.merged {
                        Some(batch) if frame.merge_level > 0 => {
                            let at = frame.merge_at;
                            frame.batch.extend(batch.into_iter().map(|mut m| {
                                m.entry = relocated_entry(&m.entry, at);
                                m
                            }));
                        }
                        Some(batch) => frame.batch.extend(batch),
                        None => {
                            let at = done.node.span;
                            return self
                                .defer(invalid(Invalid::MergeValue, at), Deferral::Structure);
                        }
                    }
                }
                items.push(done.node);
            }
            Kind::Map {
                entries,
                key,
                merges,
            } => match key.take() {
                None => {
                    // The key's text moves from its node into the entry.
                    let text = match done.node.value {
                        Value::Str(s) | Value::Number(s) | Value::Date(s) => s,
                        _ => String::new(),
                    };
                    let id = done.key.unwrap_or(KeyId::Text);
                    *key = Some(PendingKey {
                        text,
                        span: done.node.span,
                        merge: done.merge_key,
                        id,
                    });
                }
                Some(pending) if pending.merge => {
                    if let Some(batch) = done.merged
                        && !batch.is_empty()
                    {
                        merges.push(batch);
                    }
                }
                Some(pending) => {
                    entries.push(
                        Entry {
                            key: pending.text,
                            key_span: pending.span,
                            value: done.node,
                        },
                        pending.id,
                    );
                    if frame.role == Role::Merge {
                        frame.entry_errors.push(frame.deferred.take());
                    }
                }
            },
        }
        Ok(())
    }

    fn finish(self) -> Result<Node, Problem> {
        if self.aliases >= 100
            && (self.anchors_defined == 0 || self.aliases > 10 * self.anchors_defined)
        {
            return Err(limit(
                Breach::AliasAnchorRatio {
                    aliases: self.aliases,
                    anchors: self.anchors_defined,
                },
                self.last,
            ));
        }
        Ok(self.root.unwrap_or(Node {
            span: self.last,
            value: Value::Null,
        }))
    }
}

fn limit(breach: Breach, at: Span) -> Problem {
    Problem::Limit { breach, at }
}

fn invalid(why: Invalid, at: Span) -> Problem {
    Problem::Invalid { why, at }
}

fn unsupported(tag: Option<&Tag>, at: Span) -> Problem {
    invalid(
        Invalid::UnsupportedTag(tag.map(Tag::original).unwrap_or_default()),
        at,
    )
}

/// The entries of the mappings in a sequence copied under `<<`, in turn.
fn merge_items(items: &[Node], at: Span) -> Result<Batch, Problem> {
    let mut batch = Vec::new();
    for item in items {
        match &item.value {
            Value::Null => {}
            Value::Map(entries) => batch.extend(entries.iter().map(|e| Merged {
                entry: e.clone(),
                key: copied_key(&e.key),
                error: None,
            })),
            Value::Seq(inner) => batch.extend(merge_items(inner, at)?),
            _ => return Err(invalid(Invalid::MergeValue, at)),
        }
    }
    Ok(batch)
}

/// A copied key's identity, from its text: the tag it was written with
/// is not kept in the tree.
fn copied_key(text: &str) -> Fingerprint {
    match scalar::integer_identity(text) {
        Some((negative, magnitude)) => Fingerprint::Integer {
            negative,
            magnitude,
        },
        None => Fingerprint::Scalar {
            value: text.to_string(),
            tag: KeyTag::TEXT,
        },
    }
}

/// The bytes of text in a node, keys included.
fn text_bytes(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => items.iter().map(text_bytes).sum(),
        Value::Map(entries) => entries
            .iter()
            .map(|e| e.key.len() + text_bytes(&e.value))
            .sum(),
        _ => node.scalar_text().map_or(0, str::len),
    }
}

/// An entry brought in by a merge, every part located at the merge.
fn relocated_entry(entry: &Entry, at: Span) -> Entry {
    Entry {
        key: entry.key.clone(),
        key_span: at,
        value: relocated(&entry.value, at),
    }
}

fn relocated(node: &Node, at: Span) -> Node {
    let value = match &node.value {
        Value::Seq(items) => Value::Seq(items.iter().map(|n| relocated(n, at)).collect()),
        Value::Map(entries) => Value::Map(entries.iter().map(|e| relocated_entry(e, at)).collect()),
        other => other.clone(),
    };
    Node { span: at, value }
}
