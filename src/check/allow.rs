//! Allow comments: `# planc: allow D002` quiets a check where it is
//! written, as `# noqa` does for ruff. At the end of a line it covers that
//! line; on a line of its own, the item that follows it (a YAML line and
//! every line indented under it, a TOML table up to the next header).
//! Diagnostics that say why money cannot be read, or that funds do not
//! balance, are never quieted.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::source::{FileId, SourceFile, SourceMap, Span};

const MARKER: &str = "planc:";

/// One allow comment: the codes it names and the lines (1-based) it covers.
#[derive(Debug, Clone, PartialEq)]
struct Allow {
    codes: BTreeSet<Code>,
    lines: RangeInclusive<usize>,
}

/// The allow comments of one file.
#[derive(Debug, Clone)]
pub struct FileAllows {
    file: FileId,
    allows: Vec<Allow>,
}

/// Reads the allow comments of a file (while its text is at hand),
/// reporting those that name no check or one whose level cannot change.
pub fn scan(file: FileId, source: &SourceFile, diags: &mut Diagnostics) -> Option<FileAllows> {
    if !source.text.contains(MARKER) {
        return None;
    }
    let toml = source
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let mut allows = Vec::new();
    for (allow, problems) in comments(file, source, toml) {
        allows.extend(allow);
        for problem in problems {
            diags.push(problem);
        }
    }
    (!allows.is_empty()).then_some(FileAllows { file, allows })
}

/// The allow comments of every file of `sources`, for compilations that
/// keep every text to the end.
pub fn scan_all(sources: &SourceMap, diags: &mut Diagnostics) -> Vec<FileAllows> {
    sources
        .files()
        .iter()
        .enumerate()
        .filter_map(|(i, file)| scan(FileId(u32::try_from(i).unwrap_or(u32::MAX)), file, diags))
        .collect()
}

/// Drops the diagnostics an allow comment covers.
pub fn apply(allows: &[FileAllows], sources: &SourceMap, diags: &mut Diagnostics) {
    if allows.is_empty() {
        return;
    }
    diags.retain(|d| {
        if d.locked {
            return true;
        }
        let span = d.primary.span;
        let Some(file) = sources.files().get(span.file.0 as usize) else {
            return true;
        };
        let line = file.line_of(span.start as usize) + 1;
        !allows.iter().filter(|f| f.file == span.file).any(|f| {
            f.allows
                .iter()
                .any(|allow| allow.codes.contains(&d.code) && allow.lines.contains(&line))
        })
    });
}

type Found = (Option<Allow>, Vec<Diagnostic>);

/// The allow comments of one file, each with the problems in it.
fn comments(file: FileId, source: &SourceFile, toml: bool) -> Vec<Found> {
    let lines: Vec<&str> = source.text.lines().collect();
    let mut offset = 0;
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let start = offset;
        offset += line.len() + 1;
        let Some((hash, words)) = allow_comment(line) else {
            continue;
        };
        let span = Span::new(file, start + hash, start + line.len());
        let (codes, problems) = codes(words, span);
        let own_line = line[..hash].trim().is_empty();
        let number = index + 1;
        let covered = if own_line {
            following_item(&lines, index, toml)
        } else {
            Some(number..=number)
        };
        let allow = covered
            .filter(|_| !codes.is_empty())
            .map(|lines| Allow { codes, lines });
        found.push((allow, problems));
    }
    found
}

/// `# planc: allow D002, E007` → where the `#` is and `D002, E007`.
fn allow_comment(line: &str) -> Option<(usize, &str)> {
    let mut from = 0;
    while let Some(at) = line[from..].find('#') {
        let hash = from + at;
        let rest = line[hash + 1..].trim_start();
        if let Some(rest) = rest.strip_prefix(MARKER) {
            let rest = rest.trim_start();
            if let Some(words) = rest.strip_prefix("allow") {
                return Some((hash, words.trim()));
            }
        }
        from = hash + 1;
    }
    None
}

fn codes(words: &str, span: Span) -> (BTreeSet<Code>, Vec<Diagnostic>) {
    let mut codes = BTreeSet::new();
    let mut problems = Vec::new();
    // Codes first; the first word that is not one starts the reason.
    let names: Vec<&str> = words
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .take_while(|w| looks_like_a_code(w))
        .collect();
    if names.is_empty() {
        problems.push(
            Diagnostic::new(Code::InvalidValue, span, "an allow comment names no check")
                .severity(Severity::Warning)
                .label("which check?")
                .help("name the codes it allows, e.g. `# planc: allow D002`"),
        );
    }
    for name in names {
        match Code::from_id(name) {
            Some(code) if code.adjustable() => {
                codes.insert(code);
            }
            Some(code) => problems.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    span,
                    format!("the level of {} cannot be changed", code.id()),
                )
                .severity(Severity::Warning)
                .label("this comment is ignored")
                .help(format!(
                    "remove it: {} ({}) is always reported, because a figure that cannot be \
                     read or funds that do not balance must never pass unnoticed",
                    code.id(),
                    code.info().summary
                )),
            ),
            None => {
                let ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
                let near = crate::suggest::nearest(&name.to_uppercase(), ids.iter().copied());
                problems.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        span,
                        format!("`{name}` in an allow comment is not a check code"),
                    )
                    .severity(Severity::Warning)
                    .label("unknown check code")
                    .help(match near {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "`planc explain` lists the check codes".to_string(),
                    }),
                );
            }
        }
    }
    (codes, problems)
}

/// `D002`, `d2`, or a check's name: a letter and digits, or a name.
fn looks_like_a_code(word: &str) -> bool {
    let mut chars = word.chars();
    let letter_and_digits = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.clone().next().is_some()
        && chars.all(|c| c.is_ascii_digit());
    letter_and_digits || Code::ALL.iter().any(|c| c.info().name == word)
}

/// The lines of the item after an allow comment on a line of its own.
fn following_item(lines: &[&str], comment: usize, toml: bool) -> Option<RangeInclusive<usize>> {
    let significant = |l: &&str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let first = (comment + 1..lines.len()).find(|&i| significant(&lines[i]))?;
    let head = lines[first];
    let last = if toml && head.trim_start().starts_with('[') {
        // A table: to the line before the next header.
        (first + 1..lines.len())
            .find(|&i| lines[i].trim_start().starts_with('['))
            .map_or(lines.len() - 1, |next| next - 1)
    } else {
        // A YAML line and every line indented deeper than it.
        let indent = |l: &str| l.len() - l.trim_start().len();
        let own = indent(head);
        let mut last = first;
        for (i, line) in lines.iter().enumerate().skip(first + 1) {
            if line.trim().is_empty() {
                continue;
            }
            if indent(line) <= own {
                break;
            }
            last = i;
        }
        last
    };
    Some(first + 1..=last + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(text: &str, toml: bool) -> Vec<(Vec<&'static str>, RangeInclusive<usize>)> {
        let source = SourceFile::new("t".into(), text.to_string());
        comments(FileId(0), &source, toml)
            .into_iter()
            .filter_map(|(a, _)| a)
            .map(|a| (a.codes.iter().map(|c| c.id()).collect(), a.lines))
            .collect()
    }

    #[test]
    fn a_comment_covers_its_line_or_the_item_after_it() {
        let yaml = "activities:\n  # planc: allow D002 because the grant runs on\n  - id: a\n    timescale: { end: 2011 }\n\n    cost: 5\n  - id: b  # planc: allow E007, unlinked-shared-item\n";
        assert_eq!(
            allows(yaml, false),
            [(vec!["D002"], 3..=6), (vec!["E007", "X002"], 7..=7)]
        );
        let toml = "# planc: allow D002\n[[sections.priorities.activities]]\nid = \"a\"\n\n[[sections.priorities.activities]]\nid = \"b\"\n";
        assert_eq!(allows(toml, true), [(vec!["D002"], 2..=4)]);
    }

    #[test]
    fn unknown_and_locked_codes_are_reported_not_obeyed() {
        let source = SourceFile::new(
            "t".into(),
            "a: 1 # planc: allow D02, F001\nb: 2 # planc: allow\n".into(),
        );
        let found = comments(FileId(0), &source, false);
        let messages: Vec<String> = found
            .iter()
            .flat_map(|(_, p)| p.iter().map(|d| d.message.clone()))
            .collect();
        assert_eq!(
            messages,
            [
                "`D02` in an allow comment is not a check code",
                "the level of F001 cannot be changed",
                "an allow comment names no check"
            ]
        );
        assert!(found.iter().all(|(a, _)| a.is_none()));
    }
}
