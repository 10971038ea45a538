//! The Every Child Matters framework: outcomes with their aims and aliases,
//! and the numbered inspection judgements. Built in from `framework/ecm.toml`;
//! a repository can extend or replace it.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The framework compiled into the binary.
pub const BUILT_IN: &str = include_str!("framework/ecm.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aim {
    pub key: String,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub number: u8,
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub aims: Vec<Aim>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
    /// Judgement code → title.
    #[serde(default)]
    pub judgements: BTreeMap<String, String>,
}

/// Case, punctuation, spacing and `&` vs `and` do not matter in names.
pub fn normalise(name: &str) -> String {
    name.to_lowercase()
        .replace('&', "and")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

impl Framework {
    pub fn built_in() -> Framework {
        toml::from_str(BUILT_IN).unwrap_or_else(|e| panic!("built-in framework is invalid: {e}"))
    }

    /// Adds or replaces outcomes (by number) and judgements (by code).
    pub fn extend(&mut self, other: Framework) {
        for outcome in other.outcomes {
            match self
                .outcomes
                .iter_mut()
                .find(|o| o.number == outcome.number)
            {
                Some(existing) => {
                    existing.aliases.extend(outcome.aliases);
                    existing.aims.extend(outcome.aims);
                    existing.title = outcome.title;
                    existing.key = outcome.key;
                }
                None => self.outcomes.push(outcome),
            }
        }
        self.outcomes.sort_by_key(|o| o.number);
        self.judgements.extend(other.judgements);
    }

    /// An outcome by key, number, title or alias.
    pub fn outcome(&self, name: &str) -> Option<&Outcome> {
        let wanted = normalise(name);
        self.outcomes.iter().find(|o| {
            o.number.to_string() == wanted
                || normalise(&o.key) == wanted
                || normalise(&o.title) == wanted
                || o.aliases.iter().any(|a| normalise(a) == wanted)
        })
    }

    pub fn outcome_by_number(&self, number: u8) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.number == number)
    }

    /// Every name an outcome answers to, for suggestions.
    pub fn outcome_names(&self) -> Vec<&str> {
        self.outcomes
            .iter()
            .flat_map(|o| {
                std::iter::once(o.key.as_str())
                    .chain(std::iter::once(o.title.as_str()))
                    .chain(o.aliases.iter().map(String::as_str))
            })
            .collect()
    }

    pub fn judgement(&self, code: &str) -> Option<&str> {
        self.judgements.get(code).map(String::as_str)
    }

    /// The outcome a judgement code belongs to: its first digit.
    pub fn judgement_outcome(&self, code: &str) -> Option<&Outcome> {
        let first = code.split('.').next()?.parse().ok()?;
        self.outcome_by_number(first)
    }

    /// The judgement whose title is most like `title`, with the similarity
    /// (0 to 1) of the two.
    pub fn closest_judgement(&self, title: &str) -> Option<(&str, f64)> {
        self.judgements
            .iter()
            .map(|(code, t)| (code.as_str(), title_similarity(title, t)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))
    }
}

/// Word-set similarity of two titles: shared words over all words.
pub fn title_similarity(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> std::collections::BTreeSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(|w| w.to_lowercase())
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_answer_to_their_aliases() {
        let framework = Framework::built_in();
        for name in ["Be Safe", "Safety", "stay-safe", "STAYING SAFE", "2"] {
            assert_eq!(framework.outcome(name).unwrap().key, "stay-safe", "{name}");
        }
        assert_eq!(framework.outcome("Economic Well-Being").unwrap().number, 5);
        assert_eq!(framework.outcome("Enjoy & Achieve").unwrap().number, 3);
        assert!(framework.outcome("Be Happy").is_none());
        assert!(framework.outcomes.iter().all(|o| o.aims.len() == 5));
    }

    #[test]
    fn judgement_titles_point_at_their_codes() {
        let framework = Framework::built_in();
        let (code, _) = framework
            .closest_judgement("Healthy lifestyles are promoted for children and young people")
            .unwrap();
        assert_eq!(code, "1.2");
        assert_eq!(framework.judgement_outcome("4.3").unwrap().number, 4);
    }
}
