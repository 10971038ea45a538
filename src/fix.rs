//! `planc fix`: applies the fixes diagnostics carry ([`Fix`]), editing each
//! file by span so that its formatting and comments stay as they were.
//!
//! A fix is attached only where planc knows the single right answer (an
//! amount with one reading, a key or id that is certainly a slip). Even so,
//! nothing is written on trust:
//!
//! * edits that overlap an edit already taken are left for another run;
//! * the edited text is parsed again and must read exactly as the original
//!   with the fixes made: same keys in the same order, same values, the
//!   renamed key renamed, the amount the same amount. Fixes that would make
//!   the file read otherwise are left out;
//! * a file is written only inside the repository, never through a
//!   symbolic link, only if it still holds what planc read, and atomically
//!   (a temporary file in the same directory renamed over it), keeping its
//!   permissions and its byte-order mark.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use rust_decimal::Decimal;

use crate::diagnostic::{Diagnostic, Edit, EditKind, Fix};
use crate::load::guard::lexical;
use crate::load::node::{Node, Value};
use crate::money::{self, Money};
use crate::source::{FileId, SourceFile, SourceMap};

/// An edit made: the byte range of the text it replaces, and what
/// replaces it.
type Change = (usize, usize, String);

/// Lines of context around each change in a diff.
const CONTEXT: usize = 3;

/// The amount `text` certainly means, and the token to write for it: only
/// for an amount with one reading. Thousands grouped by `'`, `’`, `_` or
/// spaces (`£36'000`, `36 000`), with pence after a dot (`£36'000.50`); or
/// a plain number times a thousand, a million or a billion (`15k`, `£2.5m`,
/// `£6.3 million`). Never for a doubled or misplaced separator (`£7,,000`,
/// `1,00`), a dot that may group thousands (`1.000`), an exponent, a
/// negative amount or words such as `about`: those are for a person.
pub fn certain_amount(text: &str) -> Option<(Money, String)> {
    let text = text.trim();
    let text = text.strip_prefix('£').unwrap_or(text).trim_start();
    let value = match multiplied(text) {
        Some((number, multiplier)) => {
            plain_decimal(number)?.checked_mul(Decimal::from(multiplier))?
        }
        None => grouped(text)?,
    };
    let value = value.normalize();
    let token = if value.scale() == 0 {
        value.to_string()
    } else if value.scale() <= 2 {
        format!("{value:.2}")
    } else {
        return None;
    };
    // The token reads as exactly this amount, and it is a valid one.
    (money::parse(&token).ok() == Some(value)).then_some((value, token))
}

/// `15k` → (`15`, 1000): a number and the multiplier its suffix names.
fn multiplied(text: &str) -> Option<(&str, i64)> {
    const SUFFIXES: &[(&str, i64)] = &[
        ("million", 1_000_000),
        ("mn", 1_000_000),
        ("bn", 1_000_000_000),
        ("m", 1_000_000),
        ("k", 1_000),
    ];
    let lower = text.to_ascii_lowercase();
    SUFFIXES.iter().find_map(|(suffix, multiplier)| {
        lower
            .ends_with(suffix)
            .then(|| (text[..text.len() - suffix.len()].trim_end(), *multiplier))
    })
}

/// Digits with an optional decimal part: `15`, `2.5`.
fn plain_decimal(text: &str) -> Option<Decimal> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (text.contains('.') && !digits(fraction)) {
        return None;
    }
    Decimal::from_str_exact(text).ok()
}

/// Thousands grouped by one separator, pence after a dot: `36'000`,
/// `1 250 000.50`.
fn grouped(text: &str) -> Option<Decimal> {
    const SEPARATORS: &[char] = &[
        '\'', '\u{2019}', '_', ' ', '\u{a0}', '\u{2009}', '\u{202f}', ',',
    ];
    let (whole, pence) = match text.split_once('.') {
        Some((whole, pence)) => (whole, Some(pence)),
        None => (text, None),
    };
    if let Some(pence) = pence
        && !(matches!(pence.len(), 1 | 2) && pence.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let separators: HashSet<char> = whole.chars().filter(|c| !c.is_ascii_digit()).collect();
    let [separator] = separators.into_iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    if !SEPARATORS.contains(&separator) {
        return None;
    }
    let mut groups = whole.split(separator);
    let first = groups.next()?;
    if !(1..=3).contains(&first.len()) || groups.clone().any(|g| g.len() != 3) {
        return None;
    }
    let digits: String = whole.chars().filter(char::is_ascii_digit).collect();
    let number = match pence {
        Some(pence) => format!("{digits}.{pence}"),
        None => digits,
    };
    Decimal::from_str_exact(&number).ok()
}

/// Which parser reads a file: `.toml` files are TOML, the rest YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Yaml,
    Toml,
}

impl Syntax {
    fn of(path: &Path) -> Syntax {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("toml") => Syntax::Toml,
            _ => Syntax::Yaml,
        }
    }

    fn parse(self, id: FileId, path: &Path, text: &str) -> Option<Node> {
        match self {
            Syntax::Toml => crate::load::toml::parse(id, text).ok(),
            Syntax::Yaml => {
                let source = SourceFile::new(path.to_path_buf(), text.to_string());
                crate::load::yaml::parse(id, &source).ok()
            }
        }
    }
}

/// One fix planned for a file: what it fixes and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub description: String,
    /// 1-based line and column of the first edit.
    pub line: usize,
    pub column: usize,
    /// How many diagnostics it fixes (the same fix may be carried by more
    /// than one).
    pub problems: usize,
}

/// A fix left out of a file, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub description: String,
    pub line: usize,
    pub column: usize,
    pub why: Why,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// It overlaps a fix taken before it: another run may apply it.
    Overlaps,
    /// The file would not read as intended with it.
    WouldNotRead,
}

/// The fixes for one file, and the text they make.
#[derive(Debug)]
pub struct FileFix {
    pub file: FileId,
    pub path: PathBuf,
    /// The text planc read (without a byte-order mark).
    pub before: String,
    pub after: String,
    pub applied: Vec<Applied>,
    pub left_out: Vec<LeftOut>,
    /// The edits made, in the order of the file, as byte ranges of
    /// `before` and what replaces each.
    edits: Vec<Change>,
}

impl FileFix {
    /// How many diagnostics the applied fixes fix.
    pub fn problems(&self) -> usize {
        self.applied.iter().map(|a| a.problems).sum()
    }
}

/// What `planc fix` would do: per file, the fixes that apply.
#[derive(Debug, Default)]
pub struct Planned {
    /// Files with at least one fix to apply, or one left out.
    pub files: Vec<FileFix>,
}

impl Planned {
    pub fn problems(&self) -> usize {
        self.files.iter().map(FileFix::problems).sum()
    }

    /// Files that change.
    pub fn changed(&self) -> impl Iterator<Item = &FileFix> {
        self.files.iter().filter(|f| !f.applied.is_empty())
    }

    pub fn left_out(&self, why: Why) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.left_out)
            .filter(|l| l.why == why)
            .count()
    }
}

/// A fix with the diagnostics carrying it, its edits' ranges checked.
struct Candidate<'d> {
    fix: &'d Fix,
    problems: usize,
    /// (start, end) of each edit, sorted.
    ranges: Vec<(usize, usize)>,
}

/// Plans the fixes carried by `diagnostics` on the files of `sources`.
pub fn plan(diagnostics: &[Diagnostic], sources: &SourceMap) -> Planned {
    let mut by_file: BTreeMap<FileId, Vec<Candidate>> = BTreeMap::new();
    let mut seen: HashMap<&Fix, usize> = HashMap::new();
    for d in diagnostics {
        let Some(fix) = d.fix.as_deref() else {
            continue;
        };
        let Some(first) = fix.edits.first() else {
            continue;
        };
        let file = first.span.file;
        if !sources.contains(file) || fix.edits.iter().any(|e| e.span.file != file) {
            continue;
        }
        let candidates = by_file.entry(file).or_default();
        // The same fix carried by two diagnostics is made once.
        if let Some(&i) = seen.get(fix) {
            candidates[i].problems += 1;
            continue;
        }
        seen.insert(fix, candidates.len());
        let mut ranges: Vec<(usize, usize)> = fix
            .edits
            .iter()
            .map(|e| (e.span.start as usize, e.span.end as usize))
            .collect();
        ranges.sort_unstable();
        candidates.push(Candidate {
            fix,
            problems: 1,
            ranges,
        });
    }
    let mut planned = Planned::default();
    for (file, mut candidates) in by_file {
        candidates.sort_by_key(|c| c.ranges.clone());
        let source = sources.get(file);
        planned.files.push(plan_file(file, source, candidates));
    }
    planned
        .files
        .retain(|f| !f.applied.is_empty() || !f.left_out.is_empty());
    planned
}

fn plan_file(file: FileId, source: &SourceFile, candidates: Vec<Candidate>) -> FileFix {
    let syntax = Syntax::of(&source.path);
    let text = source.text.as_str();
    let mut out = FileFix {
        file,
        path: source.path.clone(),
        before: text.to_string(),
        after: text.to_string(),
        applied: Vec::new(),
        left_out: Vec::new(),
        edits: Vec::new(),
    };
    let at = |fix: &Fix| {
        let start = fix.edits.first().map_or(0, |e| e.span.start as usize);
        source.line_col(start)
    };
    let Some(original) = syntax.parse(file, &source.path, text) else {
        for c in candidates {
            let (line, column) = at(c.fix);
            out.left_out.push(LeftOut {
                description: c.fix.description.clone(),
                line,
                column,
                why: Why::WouldNotRead,
            });
        }
        return out;
    };
    // The first of overlapping fixes is taken; the rest wait for a run on
    // the fixed file.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut chosen: Vec<Chosen> = Vec::new();
    for c in &candidates {
        let (line, column) = at(c.fix);
        let left_out = |why| LeftOut {
            description: c.fix.description.clone(),
            line,
            column,
            why,
        };
        // Taken ranges do not overlap: of those starting before a range
        // ends, the last reaches furthest.
        let overlaps = c.ranges.windows(2).any(|w| w[0].1 > w[1].0)
            || c.ranges.iter().any(|r| {
                taken
                    .range(..r.1.max(r.0 + 1))
                    .next_back()
                    .is_some_and(|(_, end)| *end > r.0)
            });
        if overlaps {
            out.left_out.push(left_out(Why::Overlaps));
            continue;
        }
        match rendered(c.fix, text, syntax) {
            Some(edits) => {
                taken.extend(c.ranges.iter().copied());
                chosen.push((c, edits));
            }
            None => out.left_out.push(left_out(Why::WouldNotRead)),
        }
    }
    // All at once if the result reads as intended; else halves, and so
    // on down to single fixes, each group kept only if the file still
    // reads as intended with it. Parses are counted: a file with many
    // fixes that do not read is not parsed without end.
    let mut check = Check {
        original: &original,
        syntax,
        source,
        fixes: Vec::new(),
        edits: Vec::new(),
        parses: 0,
    };
    let mut accepted = vec![false; chosen.len()];
    check.accept(&chosen, 0, &mut accepted);
    for ((c, edits), ok) in chosen.into_iter().zip(accepted) {
        let (line, column) = at(c.fix);
        if ok {
            out.applied.push(Applied {
                description: c.fix.description.clone(),
                line,
                column,
                problems: c.problems,
            });
            out.edits.extend(edits);
        } else {
            out.left_out.push(LeftOut {
                description: c.fix.description.clone(),
                line,
                column,
                why: Why::WouldNotRead,
            });
        }
    }
    out.edits.sort_by_key(|e| e.0);
    out.after = apply(text, &out.edits);
    out
}

/// The most parses one file's fixes may take to be checked.
const MAX_PARSES: usize = 64;

/// Fixes found to read as intended so far, for checking more.
struct Check<'a> {
    original: &'a Node,
    syntax: Syntax,
    source: &'a SourceFile,
    fixes: Vec<&'a Fix>,
    edits: Vec<Change>,
    parses: usize,
}

type Chosen<'c> = (&'c Candidate<'c>, Vec<Change>);

impl<'a> Check<'a> {
    /// Marks in `accepted` the fixes of `group` (from `offset` on) that
    /// read as intended with those taken before.
    fn accept(&mut self, group: &[Chosen<'a>], offset: usize, accepted: &mut [bool]) {
        if group.is_empty() || self.parses >= MAX_PARSES {
            return;
        }
        let mut fixes = self.fixes.clone();
        fixes.extend(group.iter().map(|(c, _)| c.fix));
        let mut edits = self.edits.clone();
        edits.extend(group.iter().flat_map(|(_, e)| e.iter().cloned()));
        self.parses += 1;
        if reads_as_intended(self.original, &fixes, &edits, self.syntax, self.source) {
            self.fixes = fixes;
            self.edits = edits;
            accepted[offset..offset + group.len()].fill(true);
        } else if group.len() > 1 {
            let half = group.len() / 2;
            self.accept(&group[..half], offset, accepted);
            self.accept(&group[half..], offset + half, accepted);
        }
    }
}

/// Each edit of a fix as a byte range and the token that replaces it, if
/// every range is a whole token on one line that can be replaced.
fn rendered(fix: &Fix, text: &str, syntax: Syntax) -> Option<Vec<Change>> {
    fix.edits
        .iter()
        .map(|edit| {
            let (start, end) = (edit.span.start as usize, edit.span.end as usize);
            let token = text.get(start..end)?;
            if token.is_empty() || token.contains(['\n', '\r']) {
                return None;
            }
            // A YAML alias (`*a`) stands for a value written elsewhere: the
            // token is not the value, and is not replaced by one.
            if syntax == Syntax::Yaml && token.starts_with('*') {
                return None;
            }
            let replacement = match edit.kind {
                EditKind::Key if is_bare_name(&edit.replacement) => edit.replacement.clone(),
                EditKind::Amount if is_amount_token(&edit.replacement) => edit.replacement.clone(),
                EditKind::Text => scalar_in_style(token, &edit.replacement, syntax),
                _ => return None,
            };
            Some((start, end, replacement))
        })
        .collect()
}

/// A key that YAML and TOML both read as itself unquoted.
fn is_bare_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `36000` or `4462.20`: a number in YAML and in TOML.
fn is_amount_token(token: &str) -> bool {
    let (whole, pence) = token.split_once('.').unwrap_or((token, "00"));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && (whole == "0" || !whole.starts_with('0'))
        && pence.len() == 2
        && pence.bytes().all(|b| b.is_ascii_digit())
}

/// `value` as a scalar written in the style of `token`, the scalar it
/// replaces: double-quoted, single-quoted or plain as that one was, when
/// `value` can be written so; else double-quoted, which YAML and TOML read
/// alike.
fn scalar_in_style(token: &str, value: &str, syntax: Syntax) -> String {
    let control = value.chars().any(char::is_control);
    match token.chars().next() {
        Some('"') => double_quoted(value),
        Some('\'') if !control && syntax == Syntax::Yaml => {
            format!("'{}'", value.replace('\'', "''"))
        }
        Some('\'') if !control && !value.contains('\'') => format!("'{value}'"),
        Some(c) if syntax == Syntax::Yaml && !matches!(c, '"' | '\'') && is_plain_text(value) => {
            value.to_string()
        }
        _ => double_quoted(value),
    }
}

/// A double-quoted string with the escapes YAML and TOML share.
fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text YAML reads as that text when written plain: a letter, then
/// letters, digits and `-_./`, and not a word YAML reads as true, false,
/// null or a number.
fn is_plain_text(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf", "infinity",
    ];
    value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
        && !WORDS.contains(&value.to_ascii_lowercase().as_str())
}

/// `text` with `edits` (sorted, not overlapping) made, from the end back.
fn apply(text: &str, edits: &[Change]) -> String {
    let mut out = text.to_string();
    for (start, end, replacement) in edits.iter().rev() {
        out.replace_range(*start..*end, replacement);
    }
    out
}

/// Whether `text` with `edits` parses and reads as `original` with `fixes`
/// made: every key and value the same, in the same order, except the keys
/// renamed and the values replaced, and each edit found exactly where it
/// was meant to be.
fn reads_as_intended(
    original: &Node,
    fixes: &[&Fix],
    edits: &[Change],
    syntax: Syntax,
    source: &SourceFile,
) -> bool {
    let mut sorted = edits.to_vec();
    sorted.sort_by_key(|e| e.0);
    let text = apply(&source.text, &sorted);
    let Some(fixed) = syntax.parse(original.span.file, &source.path, &text) else {
        return false;
    };
    let mut expect = Expected::default();
    for edit in fixes.iter().flat_map(|f| &f.edits) {
        let at = (edit.span.start, edit.span.end);
        match edit.kind {
            EditKind::Key => expect.keys.insert(at, edit),
            EditKind::Amount | EditKind::Text => expect.values.insert(at, edit),
        };
    }
    let wanted = expect.keys.len() + expect.values.len();
    same(original, &fixed, &mut expect) && expect.found.len() == wanted
}

#[derive(Default)]
struct Expected<'e> {
    keys: HashMap<(u32, u32), &'e Edit>,
    values: HashMap<(u32, u32), &'e Edit>,
    found: HashSet<(bool, u32, u32)>,
}

/// Whether `fixed` is `original` with the expected edits made.
fn same(original: &Node, fixed: &Node, expect: &mut Expected) -> bool {
    let at = (original.span.start, original.span.end);
    if let Some(edit) = expect.values.get(&at) {
        let ok = match edit.kind {
            EditKind::Amount => match (&fixed.value, money::parse(&edit.replacement)) {
                (Value::Number(t) | Value::Str(t), Ok(amount)) => {
                    money::parse(t) == Ok(amount) && original_amount(original) == Some(amount)
                }
                _ => false,
            },
            _ => matches!(&fixed.value, Value::Number(t) | Value::Str(t) if *t == edit.replacement),
        };
        expect.found.insert((false, at.0, at.1));
        return ok;
    }
    match (&original.value, &fixed.value) {
        (Value::Map(a), Value::Map(b)) => {
            a.len() == b.len()
                && a.iter().zip(b).all(|(a, b)| {
                    let at = (a.key_span.start, a.key_span.end);
                    let key_ok = match expect.keys.get(&at) {
                        Some(edit) => {
                            expect.found.insert((true, at.0, at.1));
                            b.key == edit.replacement
                        }
                        None => a.key == b.key,
                    };
                    key_ok && same(&a.value, &b.value, expect)
                })
        }
        (Value::Seq(a), Value::Seq(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b, expect))
        }
        (a, b) => a == b,
    }
}

/// The amount an unclean scalar certainly means: what a fix of it must
/// keep.
fn original_amount(node: &Node) -> Option<Money> {
    certain_amount(node.scalar_text()?).map(|(value, _)| value)
}

/// A unified diff of the planned changes, one file after another.
pub fn unified_diff(planned: &Planned) -> String {
    let mut out = String::new();
    for file in planned.changed() {
        let name = crate::compile::display_path(&file.path);
        let name = crate::terminal::visible(&name);
        out.push_str(&format!("--- a/{name}\n+++ b/{name}\n"));
        out.push_str(&hunks(&file.before, &file.edits));
    }
    out
}

/// The hunks of a diff of `text` with `edits` (sorted) made.
fn hunks(text: &str, edits: &[Change]) -> String {
    let source = SourceFile::new(PathBuf::new(), text.to_string());
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut starts = Vec::with_capacity(lines.len() + 1);
    starts.push(0);
    for l in &lines {
        starts.push(starts.last().copied().unwrap_or(0) + l.len());
    }
    // Changed blocks of lines: the old lines an edit touches, merged where
    // edits share a line or are on neighbouring lines, and the new text of
    // those lines.
    // (first line, last line, the edits on them)
    let mut blocks: Vec<(usize, usize, Vec<&Change>)> = Vec::new();
    for edit in edits {
        let first = source.line_of(edit.0);
        let last = source.line_of(edit.1.saturating_sub(1).max(edit.0));
        match blocks.last_mut() {
            Some((_, end, members)) if first <= *end + 1 => {
                *end = (*end).max(last);
                members.push(edit);
            }
            _ => blocks.push((first, last, vec![edit])),
        }
    }
    let start_of = |line: usize| starts[line.min(lines.len())];
    // (first line, last line, their new text)
    let blocks: Vec<(usize, usize, String)> = blocks
        .into_iter()
        .map(|(first, last, members)| {
            let base = start_of(first);
            let end = start_of(last + 1);
            let moved: Vec<Change> = members
                .into_iter()
                .map(|(s, e, r)| (s - base, e - base, r.clone()))
                .collect();
            (first, last, apply(&text[base..end], &moved))
        })
        .collect();
    let mut out = String::new();
    let mut delta: isize = 0;
    let mut i = 0;
    while i < blocks.len() {
        // Blocks close enough to share context make one hunk.
        let mut j = i;
        while j + 1 < blocks.len() && blocks[j + 1].0 <= blocks[j].1 + 2 * CONTEXT + 1 {
            j += 1;
        }
        let from = blocks[i].0.saturating_sub(CONTEXT);
        let to = (blocks[j].1 + CONTEXT).min(lines.len().saturating_sub(1));
        let mut body = String::new();
        let (mut old_count, mut new_count) = (0usize, 0usize);
        let mut line = from;
        for (first, last, new) in &blocks[i..=j] {
            for l in &lines[line..*first] {
                body.push_str(&diff_line(' ', l));
            }
            old_count += first - line;
            new_count += first - line;
            for l in &lines[*first..=*last] {
                body.push_str(&diff_line('-', l));
                old_count += 1;
            }
            for l in new.split_inclusive('\n') {
                body.push_str(&diff_line('+', l));
                new_count += 1;
            }
            line = last + 1;
        }
        for l in &lines[line..=to] {
            body.push_str(&diff_line(' ', l));
        }
        old_count += to + 1 - line;
        new_count += to + 1 - line;
        let new_from = (from as isize + delta).max(0) as usize;
        out.push_str(&format!(
            "@@ -{},{old_count} +{},{new_count} @@\n",
            from + 1,
            new_from + 1
        ));
        out.push_str(&body);
        delta += new_count as isize - old_count as isize;
        i = j + 1;
    }
    out
}

/// One line of a diff, its characters that would act on a terminal shown
/// as escapes; a last line without a line break says so.
fn diff_line(mark: char, line: &str) -> String {
    let (content, newline) = match line.strip_suffix('\n') {
        Some(content) => (content.strip_suffix('\r').unwrap_or(content), true),
        None => (line, false),
    };
    let mut out = format!("{mark}{}\n", crate::terminal::visible(content));
    if !newline {
        out.push_str("\\ No newline at end of file\n");
    }
    out
}

/// A file's path as messages show it.
fn shown(path: &Path) -> String {
    crate::terminal::visible(&crate::compile::display_path(path)).into_owned()
}

fn counted(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn counted_fixes(n: usize) -> String {
    format!("{n} fix{}", if n == 1 { "" } else { "es" })
}

/// A line per fix made in `file`: `planc: plan.yaml:12:5: fixed: rename …`.
pub fn applied_lines(file: &FileFix) -> String {
    let name = shown(&file.path);
    file.applied
        .iter()
        .map(|a| {
            format!(
                "planc: {name}:{}:{}: fixed: {}\n",
                a.line,
                a.column,
                crate::terminal::visible(&a.description)
            )
        })
        .collect()
}

/// A line per fix left out, and what to do about them.
pub fn left_out_lines(planned: &Planned) -> String {
    let mut out = String::new();
    for file in &planned.files {
        let name = shown(&file.path);
        for l in &file.left_out {
            let why = match l.why {
                Why::Overlaps => "left for the next run, as it overlaps another fix",
                Why::WouldNotRead => "not fixed, as the file would not read as intended with it",
            };
            out.push_str(&format!(
                "planc: {name}:{}:{}: {why}: {}\n",
                l.line,
                l.column,
                crate::terminal::visible(&l.description)
            ));
        }
    }
    let overlapping = planned.left_out(Why::Overlaps);
    if overlapping > 0 {
        out.push_str(&format!(
            "planc: {} overlapping others left for the next run: run `planc fix` again\n",
            counted_fixes(overlapping)
        ));
    }
    out
}

/// `fixed 3 problems in 2 files`.
pub fn tally(problems: usize, files: usize) -> String {
    format!(
        "fixed {} in {}",
        counted(problems, "problem"),
        counted(files, "file")
    )
}

/// `3 problems can be fixed in 2 files`, for `--diff`.
pub fn pending(planned: &Planned) -> String {
    format!(
        "{} can be fixed in {}",
        counted(planned.problems(), "problem"),
        counted(planned.changed().count(), "file")
    )
}

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("it is outside the repository")]
    Outside,
    #[error(
        "it is a symbolic link or is reached through one, and planc writes through no link; \
         fix it by hand"
    )]
    Link,
    #[error("it is not a regular file")]
    NotRegular,
    #[error("it changed on disk since planc read it; run planc again")]
    Changed,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Writes the fixed text of `file` over the file, inside the repository at
/// `root` only.
pub fn write(root: &Path, file: &FileFix) -> Result<(), WriteError> {
    atomic::replace(root, &file.path, &file.before, &file.after)
}

/// The repository's directory (canonical) and the names from it to
/// `path`, as the path names them: every name below the repository is to
/// be opened without following a link. `None` if `path` is not below it,
/// or goes through a `.git` directory.
fn below_root(root: &Path, path: &Path) -> Result<(PathBuf, Vec<std::ffi::OsString>), WriteError> {
    let root = std::fs::canonicalize(root)?;
    let named = lexical(path);
    // The deepest directory of the path that is the repository's: what
    // lies above it (a link to the repository, say) is the user's own.
    let base = named
        .ancestors()
        .skip(1)
        .find(|a| std::fs::canonicalize(a).is_ok_and(|c| c == root))
        .ok_or(WriteError::Outside)?;
    let names: Vec<std::ffi::OsString> = named
        .strip_prefix(base)
        .map_err(|_| WriteError::Outside)?
        .components()
        .map(|c| match c {
            Component::Normal(name) => Ok(name.to_os_string()),
            _ => Err(WriteError::Outside),
        })
        .collect::<Result<_, _>>()?;
    if names.is_empty() || names.iter().any(|n| n.eq_ignore_ascii_case(".git")) {
        return Err(WriteError::Outside);
    }
    Ok((root, names))
}

/// What was on disk is what planc read: the text, after a byte-order mark
/// or not. The mark, if any, is kept.
fn unchanged<'b>(on_disk: &'b [u8], read: &str) -> Option<&'b [u8]> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let body = on_disk.strip_prefix(BOM).unwrap_or(on_disk);
    (body == read.as_bytes()).then(|| &on_disk[..on_disk.len() - body.len()])
}

#[cfg(unix)]
mod atomic {
    //! Replacing a file by a walk of directory handles: each directory
    //! below the repository, and the file, is opened without following a
    //! link, so that no link (even one swapped in while planc runs) leads
    //! the write elsewhere.

    use std::ffi::{CString, OsStr};
    use std::fs::File;
    use std::io::{Read, Write};
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    use std::path::Path;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{WriteError, below_root, unchanged};

    fn c_name(name: &OsStr) -> Result<CString, WriteError> {
        CString::new(name.as_bytes()).map_err(|_| WriteError::Outside)
    }

    fn last_error() -> std::io::Error {
        std::io::Error::last_os_error()
    }

    /// Opens `name` in `dir` with `flags`, never following a link.
    fn open_at(dir: &OwnedFd, name: &CString, flags: libc::c_int) -> Result<OwnedFd, WriteError> {
        let flags = flags | libc::O_NOFOLLOW | libc::O_CLOEXEC;
        let fd = unsafe { libc::openat(dir.as_raw_fd(), name.as_ptr(), flags, 0o600) };
        if fd < 0 {
            let e = last_error();
            return Err(match e.raw_os_error() {
                Some(libc::ELOOP) => WriteError::Link,
                Some(libc::ENOTDIR) => WriteError::Link,
                _ => WriteError::Io(e),
            });
        }
        // SAFETY: a descriptor just opened, owned by nothing else.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    /// Reads the file `name` in `dir`: its bytes and metadata.
    fn read_at(dir: &OwnedFd, name: &CString) -> Result<(Vec<u8>, std::fs::Metadata), WriteError> {
        let fd = open_at(
            dir,
            name,
            libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOCTTY,
        )?;
        let mut file = File::from(fd);
        let meta = file.metadata()?;
        if !meta.file_type().is_file() {
            return Err(WriteError::NotRegular);
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        Ok((bytes, meta))
    }

    static COUNTER: AtomicUsize = AtomicUsize::new(0);

    pub fn replace(root: &Path, path: &Path, before: &str, after: &str) -> Result<(), WriteError> {
        let (root, names) = below_root(root, path)?;
        let root = File::open(&root)?;
        let mut dir = OwnedFd::from(root);
        let (file_name, dirs) = names.split_last().ok_or(WriteError::Outside)?;
        for name in dirs {
            dir = open_at(&dir, &c_name(name)?, libc::O_RDONLY | libc::O_DIRECTORY)?;
        }
        let name = c_name(file_name)?;
        let (bytes, meta) = read_at(&dir, &name)?;
        // The file planc read by its path is this one, reached without a
        // link: no link on the way led elsewhere.
        let read = std::fs::metadata(path)?;
        if (read.dev(), read.ino()) != (meta.dev(), meta.ino()) {
            return Err(WriteError::Link);
        }
        let bom = unchanged(&bytes, before).ok_or(WriteError::Changed)?;
        let mut contents = bom.to_vec();
        contents.extend_from_slice(after.as_bytes());
        let temp_name = {
            let mut n = b".".to_vec();
            n.extend_from_slice(file_name.as_bytes());
            n.extend_from_slice(
                format!(
                    ".planc-fix-{}-{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                )
                .as_bytes(),
            );
            CString::new(n).map_err(|_| WriteError::Outside)?
        };
        let temp = open_at(
            &dir,
            &temp_name,
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL,
        )?;
        let remove_temp = || unsafe {
            libc::unlinkat(dir.as_raw_fd(), temp_name.as_ptr(), 0);
        };
        let written = (|| -> Result<(), WriteError> {
            let mut temp = File::from(temp);
            temp.write_all(&contents)?;
            temp.set_permissions(meta.permissions())?;
            temp.sync_all()?;
            // Checked again at the last moment: an edit made meanwhile is
            // never overwritten.
            let (now, again) = read_at(&dir, &name)?;
            if unchanged(&now, before).is_none() || again.ino() != meta.ino() {
                return Err(WriteError::Changed);
            }
            let renamed = unsafe {
                libc::renameat(
                    dir.as_raw_fd(),
                    temp_name.as_ptr(),
                    dir.as_raw_fd(),
                    name.as_ptr(),
                )
            };
            if renamed != 0 {
                return Err(WriteError::Io(last_error()));
            }
            Ok(())
        })();
        if written.is_err() {
            remove_temp();
            return written;
        }
        // The rename itself made durable; a failure here loses nothing.
        let _ = File::from(dir).sync_all();
        Ok(())
    }
}

#[cfg(not(unix))]
mod atomic {
    //! Replacing a file by paths, each name below the repository checked
    //! not to be a link.

    use std::fs;
    use std::io::Write;
    use std::path::Path;

    use super::{WriteError, below_root, unchanged};

    pub fn replace(root: &Path, path: &Path, before: &str, after: &str) -> Result<(), WriteError> {
        let (root, names) = below_root(root, path)?;
        let mut target = root;
        for name in &names {
            target.push(name);
            if fs::symlink_metadata(&target)?.file_type().is_symlink() {
                return Err(WriteError::Link);
            }
        }
        let meta = fs::metadata(&target)?;
        if !meta.is_file() {
            return Err(WriteError::NotRegular);
        }
        let bytes = fs::read(&target)?;
        let bom = unchanged(&bytes, before).ok_or(WriteError::Changed)?;
        let mut contents = bom.to_vec();
        contents.extend_from_slice(after.as_bytes());
        let file_name = names.last().ok_or(WriteError::Outside)?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(file_name);
        temp_name.push(format!(".planc-fix-{}", std::process::id()));
        let temp = target.with_file_name(temp_name);
        let written = (|| -> Result<(), WriteError> {
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)?;
            file.write_all(&contents)?;
            file.set_permissions(meta.permissions())?;
            file.sync_all()?;
            drop(file);
            if unchanged(&fs::read(&target)?, before).is_none() {
                return Err(WriteError::Changed);
            }
            fs::rename(&temp, &target)?;
            Ok(())
        })();
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;
    use crate::source::Span;

    #[test]
    fn amounts_with_one_reading() {
        let sure = |text: &str| certain_amount(text).map(|(_, token)| token);
        for (text, token) in [
            ("£36'000", "36000"),
            ("£36’000", "36000"),
            ("36_000", "36000"),
            ("36 000", "36000"),
            ("£1'250'000.5", "1250000.50"),
            ("£ 36'000.75", "36000.75"),
            ("15k", "15000"),
            ("£37K", "37000"),
            ("2.5k", "2500"),
            ("£6.3 million", "6300000"),
            ("£2.5m", "2500000"),
            ("1.2345k", "1234.50"),
        ] {
            assert_eq!(sure(text).as_deref(), Some(token), "{text}");
        }
        for text in [
            "1.000",
            "£1.000",
            "1,00",
            "£7,,000",
            "36'00",
            "3'6000",
            "1'000,000",
            "about 5000",
            "~5000",
            "1e6",
            "twelve",
            "-£36'000",
            "1.234567k",
            "£36'000.505",
            "k",
            "",
            "1,5k",
            "36'000.",
            "0x10",
            "£200bn",
        ] {
            assert_eq!(sure(text), None, "{text}");
        }
    }

    #[test]
    fn text_keeps_the_quoting_of_the_token_it_replaces() {
        use Syntax::{Toml, Yaml};
        assert_eq!(scalar_in_style("lsf-grnat", "lsf-grant", Yaml), "lsf-grant");
        assert_eq!(scalar_in_style("\"x\"", "lsf-grant", Yaml), "\"lsf-grant\"");
        assert_eq!(scalar_in_style("'x'", "o'brien", Yaml), "'o''brien'");
        assert_eq!(scalar_in_style("'x'", "o'brien", Toml), "\"o'brien\"");
        assert_eq!(scalar_in_style("'x'", "lsf grant", Toml), "'lsf grant'");
        assert_eq!(
            scalar_in_style("\"x\"", "a \"b\" \\ c", Toml),
            r#""a \"b\" \\ c""#
        );
        // Plain only where YAML reads it as the same text.
        assert_eq!(scalar_in_style("x", "yes", Yaml), "\"yes\"");
        assert_eq!(scalar_in_style("x", "1.1", Yaml), "\"1.1\"");
        assert_eq!(scalar_in_style("x", "a: b", Yaml), "\"a: b\"");
        assert_eq!(scalar_in_style("x", "a\u{1b}b", Yaml), "\"a\\u001Bb\"");
    }

    fn source_map(name: &str, text: &str) -> (SourceMap, FileId) {
        let mut sources = SourceMap::default();
        let file = sources.add(PathBuf::from(name), text.to_string());
        (sources, file)
    }

    /// A diagnostic carrying one edit of the first `token` in `text`.
    fn fixing(file: FileId, text: &str, token: &str, kind: EditKind, new: &str) -> Diagnostic {
        let start = text.find(token).expect("the token is in the text");
        let span = Span::new(file, start, start + token.len());
        Diagnostic::new(Code::UnknownField, span, "test")
            .with_fix(format!("{token} → {new}"), Edit::new(span, kind, new))
    }

    #[test]
    fn fixes_apply_by_span_and_keep_everything_else() {
        let text =
            "# comment\nplan:   # header\n  cots:   \"£36'000\" # money\n  b: [x, 'lsf-grnat']\n";
        let (sources, file) = source_map("p.yaml", text);
        let diags = [
            fixing(file, text, "cots", EditKind::Key, "cost"),
            fixing(file, text, "\"£36'000\"", EditKind::Amount, "36000"),
            fixing(file, text, "'lsf-grnat'", EditKind::Text, "lsf-grant"),
        ];
        let planned = plan(&diags, &sources);
        assert_eq!(planned.problems(), 3);
        assert_eq!(
            planned.files[0].after,
            "# comment\nplan:   # header\n  cost:   36000 # money\n  b: [x, 'lsf-grant']\n"
        );
        assert!(planned.files[0].left_out.is_empty());
    }

    #[test]
    fn a_fix_that_would_not_read_as_intended_is_left_out() {
        let text = "a: 1\ncots: £36'000\nlist: [x, y]\n";
        let (sources, file) = source_map("p.yaml", text);
        let diags = [
            // The name is there already: the file would not parse.
            fixing(file, text, "cots", EditKind::Key, "a"),
            // A different amount is never a fix.
            fixing(file, text, "£36'000", EditKind::Amount, "3600"),
            // Half a token.
            fixing(file, text, "x, y", EditKind::Text, "z"),
            // Replacing a token with one that is not a name.
            fixing(file, text, "list", EditKind::Key, "a b"),
        ];
        let planned = plan(&diags, &sources);
        assert_eq!(planned.problems(), 0);
        assert_eq!(planned.left_out(Why::WouldNotRead), 4);
        assert_eq!(planned.changed().count(), 0);

        // The good ones among bad ones are kept.
        let diags = [
            fixing(file, text, "cots", EditKind::Key, "cost"),
            fixing(file, text, "£36'000", EditKind::Amount, "3600"),
            fixing(file, text, "y", EditKind::Text, "z"),
        ];
        let planned = plan(&diags, &sources);
        assert_eq!(planned.problems(), 2);
        assert_eq!(
            planned.files[0].after,
            "a: 1\ncost: £36'000\nlist: [x, z]\n"
        );
    }

    #[test]
    fn an_alias_is_not_replaced_by_a_value() {
        let text = "a: &x £36'000\nb: *x\n";
        let (sources, file) = source_map("p.yaml", text);
        let diags = [
            fixing(file, text, "£36'000", EditKind::Amount, "36000"),
            fixing(file, text, "*x", EditKind::Amount, "36000"),
        ];
        let planned = plan(&diags, &sources);
        // The alias is left as it is; and fixing the anchored value alone
        // would change what the alias reads too.
        assert_eq!(planned.problems(), 0);
        assert_eq!(planned.left_out(Why::WouldNotRead), 2);
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_run() {
        let text = "cots = 1\n";
        let (sources, file) = source_map("p.toml", text);
        let first = fixing(file, text, "cots", EditKind::Key, "cost");
        let same = first.clone();
        let other = fixing(file, text, "cots", EditKind::Key, "coats");
        let planned = plan(&[first, same, other], &sources);
        assert_eq!(planned.problems(), 2, "one fix, carried twice");
        assert_eq!(planned.left_out(Why::Overlaps), 1);
        assert_eq!(planned.files[0].after, "cost = 1\n");
        assert!(left_out_lines(&planned).contains("run `planc fix` again"));
    }

    #[test]
    fn toml_strings_are_replaced_whole() {
        let text = "[a]\nx = \"£36'000\"  # q\ny = 'lsf grnt'\n";
        let (sources, file) = source_map("p.toml", text);
        let diags = [
            fixing(file, text, "\"£36'000\"", EditKind::Amount, "36000"),
            fixing(file, text, "'lsf grnt'", EditKind::Text, "lsf grant"),
        ];
        let planned = plan(&diags, &sources);
        assert_eq!(
            planned.files[0].after,
            "[a]\nx = 36000  # q\ny = 'lsf grant'\n"
        );
    }

    #[test]
    fn a_unified_diff_of_the_changed_lines() {
        let text = "1\n2\n3\n4\nkey: a\n6\n7\n8\n9\n10\n11\n12\n13\nlast: b";
        let a = text.find("a\n").unwrap();
        let b = text.rfind('b').unwrap();
        let diff = hunks(
            text,
            &[(a, a + 1, "A".to_string()), (b, b + 1, "B".to_string())],
        );
        assert_eq!(
            diff,
            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-key: a\n+key: A\n 6\n 7\n 8\n\
             @@ -11,4 +11,4 @@\n 11\n 12\n 13\n-last: b\n\\ No newline at end of file\n\
             +last: B\n\\ No newline at end of file\n"
        );
        // Neighbouring lines make one block; CR LF line ends are shown
        // as line ends, and characters a terminal would obey are escaped.
        let text = "x: a\r\ny: b\u{1b}[2J\r\n";
        let diff = hunks(text, &[(3, 4, "A".into()), (9, 10, "B".into())]);
        assert_eq!(
            diff,
            "@@ -1,2 +1,2 @@\n-x: a\n-y: b\\u{1b}[2J\n+x: A\n+y: B\\u{1b}[2J\n"
        );
    }

    #[cfg(unix)]
    mod writing {
        use super::super::*;
        use std::fs;
        use std::os::unix::fs::PermissionsExt;

        fn file_fix(path: &Path, before: &str, after: &str) -> FileFix {
            FileFix {
                file: FileId(0),
                path: path.to_path_buf(),
                before: before.to_string(),
                after: after.to_string(),
                applied: Vec::new(),
                left_out: Vec::new(),
                edits: Vec::new(),
            }
        }

        fn leftovers(dir: &Path) -> Vec<String> {
            let mut names: Vec<String> = fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains("planc-fix"))
                .collect();
            names.sort();
            names
        }

        #[test]
        fn writes_in_place_keeping_the_mark_and_permissions() {
            let temp = tempfile::tempdir().unwrap();
            let repo = temp.path();
            fs::create_dir(repo.join("plans")).unwrap();
            let path = repo.join("plans/a.yaml");
            fs::write(&path, b"\xEF\xBB\xBFcots: 1\n").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
            write(repo, &file_fix(&path, "cots: 1\n", "cost: 1\n")).unwrap();
            assert_eq!(fs::read(&path).unwrap(), b"\xEF\xBB\xBFcost: 1\n");
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
            assert!(leftovers(&repo.join("plans")).is_empty());
        }

        #[test]
        fn refuses_links_changed_files_and_the_outside() {
            let temp = tempfile::tempdir().unwrap();
            let repo = temp.path().join("repo");
            let plans = repo.join("plans");
            fs::create_dir_all(&plans).unwrap();
            let outside = temp.path().join("outside.yaml");
            fs::write(&outside, "cots: 1\n").unwrap();
            let inside = plans.join("real.yaml");
            fs::write(&inside, "cots: 1\n").unwrap();
            let fix = |path: &Path| file_fix(path, "cots: 1\n", "cost: 1\n");

            // A link to a file outside, and one to a file inside.
            let out_link = plans.join("out.yaml");
            std::os::unix::fs::symlink(&outside, &out_link).unwrap();
            assert!(matches!(
                write(&repo, &fix(&out_link)),
                Err(WriteError::Link)
            ));
            let in_link = plans.join("in.yaml");
            std::os::unix::fs::symlink("real.yaml", &in_link).unwrap();
            assert!(matches!(
                write(&repo, &fix(&in_link)),
                Err(WriteError::Link)
            ));
            // A directory reached through a link.
            std::os::unix::fs::symlink(&plans, repo.join("linked")).unwrap();
            let through = repo.join("linked/real.yaml");
            assert!(matches!(
                write(&repo, &fix(&through)),
                Err(WriteError::Link)
            ));
            // Outside the repository, named directly.
            assert!(matches!(
                write(&repo, &fix(&outside)),
                Err(WriteError::Outside)
            ));
            for path in [&outside, &inside] {
                assert_eq!(fs::read_to_string(path).unwrap(), "cots: 1\n");
            }
            assert!(fs::symlink_metadata(&out_link).unwrap().is_symlink());
            assert!(fs::symlink_metadata(&in_link).unwrap().is_symlink());

            // Edited since planc read it: kept as the person left it.
            fs::write(&inside, "cots: 2\n").unwrap();
            assert!(matches!(
                write(&repo, &fix(&inside)),
                Err(WriteError::Changed)
            ));
            assert_eq!(fs::read_to_string(&inside).unwrap(), "cots: 2\n");
            assert!(leftovers(&plans).is_empty());
        }
    }
}
