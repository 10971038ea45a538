//! The fast path against granit-parser: on every text it reads, the same
//! events with the same spans, or it bails.

use std::path::{Path, PathBuf};

use super::agrees;

fn check(name: &str, text: &str) -> bool {
    agrees(text).unwrap_or_else(|why| panic!("{name}: {text:?}\n{why}"))
}

/// The YAML files below `dir` (every file, for `all`), without following
/// symbolic links.
fn files(dir: &Path, all: bool, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            files(&path, all, found);
        } else if kind.is_file()
            && (all || path.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        {
            found.push(path);
        }
    }
}

/// The repository's YAML: bundled plans, tests, examples, init templates
/// and fuzz inputs, each with its path.
fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in ["plans", "tests", "examples", "src/init", "fuzz/corpus"] {
        files(&root.join(dir), false, &mut found);
    }
    files(&root.join("fuzz/regressions"), true, &mut found);
    found.sort();
    found
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            Some((name, text))
        })
        .collect()
}

/// Two plans from `bench/generate.py`, if python3 is there to run it.
fn generated() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let ran = std::process::Command::new("python3")
        .arg(root.join("bench/generate.py"))
        .args(["2".as_ref(), out.path().as_os_str()])
        .output();
    if !ran.is_ok_and(|r| r.status.success()) {
        eprintln!("python3 bench/generate.py did not run: no generated plans checked");
        return Vec::new();
    }
    let mut found = Vec::new();
    files(&out.path().join("plans"), false, &mut found);
    found.sort();
    found
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect()
}

/// Texts the fast path must read, each for a rule it follows.
const READ: &[&str] = &[
    "a: 1\n",
    "a: 1",
    "a:\n",
    "a:",
    "a: \nb:   \n",
    "a:\n  b:\nc: 1\n",
    "a: b # comment\nc: d\n",
    "a: b#c\nd: e #f\n",
    "a: it's \"quoted\" inside\n",
    "a: key:value\nb: 10:30\nc: http://x.y/z?q=1\n",
    "a: trailing   \nb: c  \n",
    "a   : spaced\n\"q\" : 'r'\n",
    "k:\n- a\n- b\nl: c\n",
    "k:\n- a\n-\n- # c\n  q: 1\n- - x\n  - y\nz: ok\n",
    "- - x\n  - y\n- z\n",
    "- a: 1\n  b: 2\n- c: 3\n",
    "-\n  a: 1\n-\n- b\n",
    "1: one\n2.5: two\n-3: three\n",
    "é: ü\nclé: « valeur »\n\"日本\": 語\n",
    "a: [1, \"b\", 'c', {d: e}]\nf: {g: [h], i: j}\n",
    "a: []\nb: {}\nc: [ ]\nd: { }\n",
    "a: [x, ]\nb: {c: d, }\nc: {e: , f:}\n",
    "a: 'it''s'\nb: \"say \\\"hi\\\"\\n\\\\\"\nc: ''\nd: \"\"\n",
    "# c\n\n  # d\na:\n    # e\n  b: 1\n# f\n",
    "a: >-\n  one\n  two\n\n  three\n\n# end\nb: |\n  x\n  \n \n  y\nc: >\n  z\n",
    "a:\n  - >-\n    folded\n    text\n  - |-\n    literal\n",
    "a: >-\n  last\n  ",
    "a: |-\n  x\n\n\n",
    "a: >\n  x\n \n",
    "a: > # c\n  x\n  # more\n  y\n# c\n",
    "a: |\n  last",
    "  a: indented root\n  b: 2\n",
    "<<: x\n~: null\n",
    "a: -1\nb: -x\nc: ?x\nd: :x\ne: x:y\n",
    "a:\n  b:\n    c:\n      d: deep\n",
];

/// Texts the fast path may bail on, or read.
const MAY_BAIL: &[&str] = &[
    "",
    "\n",
    "# only\n",
    "a",
    "a: b: c\n",
    "a: 'b\n  c'\n",
    "a: b\n  c\n",
    "a: \"b\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "? a\n: b\n",
    "%YAML 1.2\n---\na: 1\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "a: 1\r\nb: 2\r\n",
    "a:\tb\n",
    "\ta: b\n",
    "\u{feff}a: b\n",
    "a: @x\n",
    "a: `x`\n",
    "a: [1,\n  2]\n",
    "a: [a, , b]\n",
    "a: [a: b]\n",
    "a: {b}\n",
    "a: {\"b\":c}\n",
    "a: [a:b]\n",
    "a: \"\\x41\\u00e9\"\n",
    "a: b\n- c\n",
    "- a\nb: c\n",
    "a:\n  - b\n  c: d\n",
    "a: 1\n a2: 2\n",
    "a:\nb\n",
    "a: >+\n  keep\n\n",
    "a: >2\n   x\n",
    "a: |\n\n  x\n",
    "a: |\n   x\n  y\n",
    "a: |\n  x\n    y\n",
    "a: [x]]\n",
    "a: b #c\n  d\n",
    "a: 'x'y\n",
    "a: \"x\"#c\n",
    "a: [x]#c\n",
    "a: -\n",
    "a: - b\n",
    "--- a: 1\n",
    "a: 1\n--- b: 2\n",
    "a: 1\n... # c\n",
];

#[test]
fn reads_its_subset_as_granit_parser_does() {
    for text in READ {
        assert!(check("READ", text), "the fast path bails on {text:?}");
    }
    for text in MAY_BAIL {
        check("MAY_BAIL", text);
    }
    // Granit-parser looks for a key's `:` no further than 1,024 characters.
    let long = "k".repeat(1100);
    for text in [
        format!("{long}: x\n"),
        format!("- {long}: x\n"),
        format!("a: {{{long}: x}}\n"),
        format!("a: {long}\nb: '{long}'\nc: [{long}]\n"),
        format!("- {long}\n- '{long}'\n"),
    ] {
        check("long", &text);
    }
}

#[test]
fn reads_the_repository_s_yaml_as_granit_parser_does() {
    let mut plans = (0, 0);
    let mut all = (0, 0);
    for (name, text) in corpus() {
        let read = check(&name, &text);
        all = (all.0 + usize::from(read), all.1 + 1);
        if name.starts_with("plans/") {
            plans = (plans.0 + usize::from(read), plans.1 + 1);
        }
    }
    eprintln!(
        "fast path: {} of {} files in plans/, {} of {} in all",
        plans.0, plans.1, all.0, all.1
    );
    assert!(plans.1 > 0 && plans.0 + 2 >= plans.1, "plans/: {plans:?}");
    let generated = generated();
    for (name, text) in &generated {
        assert!(check(name, text), "the fast path bails on {name}");
    }
    eprintln!("fast path: all {} generated plan files", generated.len());
}

/// A small fixed-seed generator (xorshift64*), so that failures repeat.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
}

/// Bytes that mean something to YAML, and some that do not.
const ALPHABET: &[u8] = b" \n -:#'\"[]{},>|&*!?%@`\\.x0~\t\r";

/// Tokens, and what comes between them.
const SNIPPETS: &[&str] = &[
    "- ", ": ", " #", "---", "...", "  ", "\n  ", "\n- ", ">-", "|", "''", "\\\"", "[", "]", "{",
    "}", ", ", "é", "\u{2028}",
];

/// A random character boundary of `text`.
fn boundary(text: &str, random: &mut Random) -> usize {
    let mut at = random.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(text: &mut String, random: &mut Random) {
    let byte = char::from(ALPHABET[random.below(ALPHABET.len())]);
    let at = boundary(text, random);
    let next = text[at..].chars().next();
    match random.below(7) {
        0 => text.insert(at, byte),
        1 => text.insert_str(at, SNIPPETS[random.below(SNIPPETS.len())]),
        2 => {
            if let Some(c) = next {
                text.remove(at);
                if random.below(2) == 0 {
                    text.insert(at, byte);
                } else if let Some(d) = text[at..].chars().next() {
                    // Swap with the next character.
                    text.remove(at);
                    text.insert(at, c);
                    text.insert(at, d);
                }
            }
        }
        3 => {
            // Indent or dedent a line.
            let line = text[..at].rfind('\n').map_or(0, |i| i + 1);
            if text[line..].starts_with(' ') && random.below(2) == 0 {
                text.remove(line);
            } else {
                text.insert(line, ' ');
            }
        }
        4 => {
            // Repeat a line.
            let line = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
            let copy = text[line..end].to_string();
            text.insert_str(end, &copy);
        }
        5 => {
            // Drop the rest of the line.
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            text.replace_range(at..end, "");
        }
        _ => {
            if next.is_some() {
                text.remove(at);
            }
        }
    }
}

/// Checks `cases` mutated windows of the test texts and the repository's
/// YAML; returns how many of them the fast path read.
fn mutations(seed: u64, cases: usize) -> usize {
    let mut bases: Vec<String> = READ.iter().chain(MAY_BAIL).map(|t| t.to_string()).collect();
    bases.extend(corpus().into_iter().map(|(_, text)| text));
    let mut random = Random(seed);
    let mut read = 0;
    for case in 0..cases {
        let base = &bases[random.below(bases.len())];
        // A window of lines keeps most cases small.
        let lines: Vec<&str> = base.split_inclusive('\n').collect();
        let from = random.below(lines.len());
        let most = if random.below(8) == 0 { 400 } else { 24 };
        let to = (from + 1 + random.below(most)).min(lines.len());
        let mut text = lines[from..to].concat();
        for _ in 0..=random.below(3) {
            mutate(&mut text, &mut random);
        }
        if check(&format!("seed {seed:#x}, case {case}"), &text) {
            read += 1;
        }
    }
    read
}

#[test]
fn mutated_texts_are_read_as_granit_parser_reads_them_or_given_back() {
    let cases = 6000;
    let read = mutations(0x9e37_79b9_7f4a_7c15, cases);
    eprintln!("fast path: read {read} of {cases} mutated texts");
    assert!(
        read > cases / 5,
        "too few mutated texts read to tell: {read}"
    );
}
