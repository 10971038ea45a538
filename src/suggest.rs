//! "Did you mean" for names: the nearest candidate, if it is near enough.

/// The candidate closest to `word`, when the two are similar enough that the
/// writer probably meant it.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = fold(word);
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &fold(c)), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
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
}
