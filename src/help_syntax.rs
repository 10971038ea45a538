//! Help texts are written once, with examples in YAML (`cost: 6666`). A
//! diagnostic about a TOML file shows them in TOML (`cost = 6666`), in its
//! help and its labels, so that what it says to write can be pasted where
//! the problem is.

use crate::diagnostic::Diagnostics;
use crate::source::SourceMap;

/// Rewrites the examples in the help of every diagnostic about a TOML file.
pub fn speak_the_files_syntax(diags: &mut Diagnostics, sources: &SourceMap) {
    for d in diags.iter_mut() {
        let file = d.primary.span.file;
        if !sources.contains(file) || !is_toml(&sources.get(file).path) {
            continue;
        }
        if let Some(help) = &d.help {
            d.help = Some(in_toml(help));
        }
        // Labels quote the file too (`no file of this plan starts with
        // `plan:``); those on another file keep that file's syntax.
        d.primary.message = in_toml(&d.primary.message);
        for label in &mut d.secondary {
            if sources.contains(label.span.file) && is_toml(&sources.get(label.span.file).path) {
                label.message = in_toml(&label.message);
            }
        }
    }
}

fn is_toml(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// Each example between backticks that is a `key: value` line becomes
/// `key = value` with the value in TOML; other text is kept.
pub fn in_toml(help: &str) -> String {
    let mut out = String::with_capacity(help.len());
    let mut rest = help;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else {
            break;
        };
        let snippet = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..=open]);
        out.push_str(&entry(snippet).unwrap_or_else(|| snippet.to_string()));
        out.push('`');
        rest = &rest[open + len + 2..];
    }
    out.push_str(rest);
    out
}

/// `key: value` → `key = value`; `key:` → `key =`; `None` if not an entry.
fn entry(snippet: &str) -> Option<String> {
    let (key, value) = match snippet.split_once(": ") {
        Some((key, value)) => (key, Some(value)),
        None => (snippet.strip_suffix(':')?, None),
    };
    if !is_bare_key(key) {
        return None;
    }
    Some(match value {
        Some(value) => format!("{key} = {}", toml_value(value.trim())),
        None => format!("{key} ="),
    })
}

fn is_bare_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A YAML value as TOML writes it: numbers, booleans, full dates, quoted
/// text and `...` as they are; flow lists and mappings item by item; any
/// other text quoted.
fn toml_value(value: &str) -> String {
    if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        let items: Vec<String> = split_top_level(inner)
            .iter()
            .map(|i| toml_value(i.trim()))
            .collect();
        return format!("[{}]", items.join(", "));
    }
    if let Some(inner) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
        let entries: Vec<String> = split_top_level(inner)
            .iter()
            .map(|e| entry(e.trim()).unwrap_or_else(|| e.trim().to_string()))
            .collect();
        return format!("{{ {} }}", entries.join(", "));
    }
    let is_number = {
        let digits = value.strip_prefix('-').unwrap_or(value);
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.chars().filter(|c| *c == '.').count() <= 1
            && !digits.starts_with('.')
            && !digits.ends_with('.')
    };
    let is_date = value.len() == 10
        && value.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    let quoted = value.len() >= 2 && value.starts_with('"') && value.ends_with('"');
    if is_number || is_date || quoted || matches!(value, "true" | "false" | "..." | "") {
        return value.to_string();
    }
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

/// Splits a flow list's or mapping's inside at its own commas.
fn split_top_level(inner: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '[' | '{' if !quoted => depth += 1,
            ']' | '}' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        parts.push(&inner[start..]);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::in_toml;

    #[test]
    fn yaml_examples_become_toml() {
        let cases = [
            ("rename `cots` to `cost`", "rename `cots` to `cost`"),
            ("write `cost: 6666`", "write `cost = 6666`"),
            (
                "add `amount: 1020`, or `tbc: true`, `not_stated: may be allocated locally`, `see: \"2.1\"`",
                "add `amount = 1020`, or `tbc = true`, `not_stated = \"may be allocated locally\"`, `see = \"2.1\"`",
            ),
            ("write `2008: 7000`", "write `2008 = 7000`"),
            (
                "name the source (`cost: { amount: ..., source: <id> }`, or `source:` on it)",
                "name the source (`cost = { amount = ..., source = \"<id>\" }`, or `source =` on it)",
            ),
            (
                "e.g. `completed: 2008-07-04` or `start: 2008-04`",
                "e.g. `completed = 2008-07-04` or `start = \"2008-04\"`",
            ),
            (
                "`outcomes: [1.1, be-healthy]`",
                "`outcomes = [1.1, \"be-healthy\"]`",
            ),
            ("`D002: allow`", "`D002 = \"allow\"`"),
            ("`a: say \"hi\"`", "`a = \"say \\\"hi\\\"\"`"),
            ("an unpaired ` backtick", "an unpaired ` backtick"),
            ("`Sept 2007` or `12:30`", "`Sept 2007` or `12:30`"),
        ];
        for (yaml, toml) in cases {
            assert_eq!(in_toml(yaml), toml, "{yaml}");
        }
    }
}
