//! "Did you mean ...?" for misspelt ids and names.

/// The candidate closest to `word`, if one is close enough to be a likely typo.
pub(super) fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|candidate| (distance(word, candidate), candidate))
        .filter(|(d, candidate)| *d <= (candidate.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

/// A help line: "did you mean `x`?" when one candidate is close, else the full list.
pub(super) fn help(word: &str, what: &str, candidates: &[&str]) -> String {
    match closest(word, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("the known {what} are: {}", candidates.join(", ")),
    }
}

/// Levenshtein distance, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let ids = ["secret.exists", "trail.exists", "sns.topic"];
        assert_eq!(closest("secret.exist", ids), Some("secret.exists"));
        assert_eq!(closest("sns.topci", ids), Some("sns.topic"));
        assert_eq!(closest("alarm.fired", ids), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn help_lists_everything_when_nothing_is_close() {
        assert_eq!(
            help("zzz", "checks", &["a.b", "c.d"]),
            "the known checks are: a.b, c.d"
        );
        assert_eq!(
            help("a.c", "checks", &["a.b", "c.d"]),
            "did you mean `a.b`?"
        );
    }
}
