//! "Did you mean" for names: the nearest candidate, if it is near enough.
//!
//! Bounded for hostile input: candidates are indexed by length and a name
//! is compared only with those of nearly its length (a typo changes a
//! name's length by a character or two), names longer than any real id get
//! no suggestion, each lookup compares at most a fixed number of
//! candidates, and a name asked about twice is answered from memory. The
//! work grows with the number of names, not with its square.

use std::collections::{BTreeMap, HashMap};

/// Names longer than this are not typos of an id: no suggestion.
const MAX_NAME: usize = 80;
/// How far a candidate's length may be from the name's.
const LENGTH_SLACK: usize = 3;
/// The most candidates compared for one name.
const MAX_COMPARISONS: usize = 500;
/// The most comparisons one set of candidates answers in all: past it,
/// names get no suggestion (the help lists declared names instead).
const BUDGET: usize = 1_000_000;

/// Candidates, indexed for repeated lookups.
pub struct Suggester<'a> {
    /// Folded candidates by their length in characters.
    by_length: BTreeMap<usize, Vec<(String, &'a str)>>,
    count: usize,
    answers: HashMap<String, Answer<'a>>,
    budget: usize,
}

/// What a lookup found: the nearest candidate, and whether it is the only
/// one near enough to be meant.
#[derive(Debug, Clone, Copy)]
struct Answer<'a> {
    nearest: Option<&'a str>,
    /// The nearest, when no other candidate is near enough and the two
    /// names have the same digits: a fix may write it in.
    certain: Option<&'a str>,
}

/// The score from which a candidate is near enough to suggest.
const NEAR: f64 = 0.8;

impl<'a> Suggester<'a> {
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut by_length: BTreeMap<usize, Vec<(String, &'a str)>> = BTreeMap::new();
        for candidate in candidates {
            let folded = fold(candidate);
            let length = folded.chars().count();
            if length <= MAX_NAME + LENGTH_SLACK {
                by_length
                    .entry(length)
                    .or_default()
                    .push((folded, candidate));
            }
        }
        Suggester {
            count: by_length.values().map(Vec::len).sum(),
            by_length,
            answers: HashMap::new(),
            budget: BUDGET,
        }
    }

    /// The candidate closest to `word`, when the two are similar enough
    /// that the writer probably meant it.
    pub fn nearest(&mut self, word: &str) -> Option<&'a str> {
        self.answer(word).nearest
    }

    /// The candidate `word` is certainly a slip for: the nearest, when it
    /// is the only candidate near enough and has the same digits as `word`
    /// (`lsf-2008` is not a slip for `lsf-2009`, nor `1.3` for `1.1`).
    /// What a fix may write in place of `word`.
    pub fn certain(&mut self, word: &str) -> Option<&'a str> {
        self.answer(word).certain
    }

    fn answer(&mut self, word: &str) -> Answer<'a> {
        if let Some(answer) = self.answers.get(word) {
            return *answer;
        }
        let folded = fold(word);
        let length = folded.chars().count();
        let answer = if length > MAX_NAME || self.budget == 0 {
            Answer {
                nearest: None,
                certain: None,
            }
        } else {
            let allowed = MAX_COMPARISONS.min(self.budget);
            // A few candidates are all compared; among many, only those of
            // nearly the name's length.
            let lengths = if self.count <= MAX_COMPARISONS {
                0..=usize::MAX
            } else {
                length.saturating_sub(LENGTH_SLACK)..=length + LENGTH_SLACK
            };
            let candidates: Vec<&(String, &'a str)> = self
                .by_length
                .range(lengths)
                .flat_map(|(_, candidates)| candidates)
                .take(allowed)
                .collect();
            self.budget -= candidates.len();
            let near: Vec<(f64, &'a str)> = candidates
                .into_iter()
                .map(|(c, original)| (strsim::jaro_winkler(&folded, c), *original))
                .filter(|(score, _)| *score >= NEAR)
                .collect();
            let nearest = near
                .iter()
                .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
                .map(|(_, c)| *c);
            let digits = |s: &str| s.chars().filter(|c| c.is_numeric()).collect::<String>();
            // A name declared twice is still one name.
            let distinct: std::collections::BTreeSet<&str> = near.iter().map(|(_, c)| *c).collect();
            let certain = match (distinct.len(), nearest) {
                (1, Some(only)) if digits(only) == digits(word) => Some(only),
                _ => None,
            };
            Answer { nearest, certain }
        };
        // Remembered only while memory stays small.
        if self.answers.len() < 100_000 && word.len() <= MAX_NAME * 4 {
            self.answers.insert(word.to_string(), answer);
        }
        answer
    }
}

/// The candidate closest to `word`, for a one-off question.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    Suggester::new(candidates).nearest(word)
}

/// The candidate `word` is certainly a slip for, for a one-off question:
/// see [`Suggester::certain`].
pub fn certain<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    Suggester::new(candidates).certain(word)
}

/// Words of a title that tell projects apart: lower case, without small
/// words and plural endings.
pub fn title_words(title: &str) -> std::collections::BTreeSet<String> {
    const SMALL: &[&str] = &[
        "a", "an", "the", "and", "of", "for", "to", "in", "on", "at", "by", "with", "so", "that",
        "all", "our", "their", "its", "is", "are", "be",
    ];
    title
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !SMALL.contains(&w.as_str()))
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.chars().count() >= 3 => stem.to_string(),
            _ => w,
        })
        .collect()
}

/// How many words two titles share, and how many the shorter has.
pub fn words_in_common(
    a: &std::collections::BTreeSet<String>,
    b: &std::collections::BTreeSet<String>,
) -> (usize, usize) {
    (a.intersection(b).count(), a.len().min(b.len()))
}

/// A name as a message quotes it: at most 60 characters, so that a huge
/// id cannot make every message that lists it huge too.
pub fn short(name: &str) -> std::borrow::Cow<'_, str> {
    match name.char_indices().nth(60) {
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &name[..cut])),
        None => std::borrow::Cow::Borrowed(name),
    }
}

/// Names as a message lists them: the first ten, shortened, and how many
/// more there are.
pub fn listed<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let mut shown: Vec<String> = names
        .iter()
        .take(10)
        .map(|n| short(n).into_owned())
        .collect();
    if names.len() > 10 {
        shown.push(format!("and {} more", names.len() - 10));
    }
    shown.join(", ")
}

/// Case, `_` and `-` do not matter when comparing names.
fn fold(s: &str) -> String {
    s.to_lowercase().replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_name() {
        let fields = ["title", "timescale", "partners", "cost"];
        assert_eq!(nearest("titel", fields), Some("title"));
        assert_eq!(nearest("Partners", fields), Some("partners"));
        assert_eq!(nearest("time_scale", fields), Some("timescale"));
        assert_eq!(nearest("zzz", fields), None);
    }

    #[test]
    fn certain_only_when_one_candidate_is_near_and_digits_agree() {
        let fields = [
            "title",
            "timescale",
            "partners",
            "cost",
            "source",
            "sources",
        ];
        assert_eq!(certain("cots", fields), Some("cost"));
        assert_eq!(certain("Titel", fields), Some("title"));
        // `sorce` is near both `source` and `sources`: no fix, only advice.
        assert_eq!(nearest("sorce", fields), Some("source"));
        assert_eq!(certain("sorce", fields), None);
        assert_eq!(certain("zzz", fields), None);
        // A different number is a different thing, not a slip.
        let ids = ["lsf-2008", "extended-services"];
        assert_eq!(nearest("lsf-2009", ids), Some("lsf-2008"));
        assert_eq!(certain("lsf-2009", ids), None);
        assert_eq!(certain("lsf-2008", ["lsf-2008"]), Some("lsf-2008"));
        assert_eq!(certain("1.3", ["1.1"]), None);
        assert_eq!(certain("extended-servces", ids), Some("extended-services"));
    }

    #[test]
    fn hostile_sizes_stay_cheap() {
        // A 200 KB name against another: no comparison at all.
        let long = "a".repeat(200_000);
        let other = format!("{long}b");
        assert_eq!(nearest(&long, [other.as_str()]), None);
        // Many candidates of one length: a bounded number compared.
        let names: Vec<String> = (0..50_000).map(|i| format!("id-{i:06}")).collect();
        let mut suggester = Suggester::new(names.iter().map(String::as_str));
        let start = std::time::Instant::now();
        for i in 0..20_000 {
            suggester.nearest(&format!("ix-{i:06}"));
        }
        // Not a timing test: a guard against quadratic work, with a wide
        // margin (the whole budget runs in well under a second).
        assert!(start.elapsed().as_secs() < 60);
        assert_eq!(suggester.budget, 0);
    }
}
