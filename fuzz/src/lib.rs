//! Invariants shared by the fuzz targets.
//!
//! The same checks run as property tests in `tests/properties.rs`; a crash
//! found here is kept as a file under `tests/fuzz_regressions/`.

use gaztag::{Tagger, Tags, Via, fold_str};
use unicode_normalization::char::is_combining_mark;

/// The tagger's definition of a word character: a letter or digit in any
/// script, or a combining mark.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Tags `text` and checks every invariant of the result.
///
/// # Panics
/// When an invariant does not hold: that is what the fuzzer looks for.
pub fn tag_and_check(tagger: &Tagger, text: &str) -> Tags {
    let tags = tagger.tag(text);
    check(tagger, text, &tags);
    tags
}

/// Checks the mentions and topic labels found in `text`.
///
/// # Panics
/// When an invariant does not hold.
pub fn check(tagger: &Tagger, text: &str, tags: &Tags) {
    assert_eq!(tags.chars, text.chars().count(), "character count");
    let entities = tagger.entities();
    let mut prev: Option<(usize, usize)> = None;
    for m in &tags.mentions {
        assert!(m.start < m.end && m.end <= text.len(), "{m:?}");
        assert!(text.is_char_boundary(m.start), "{m:?}");
        assert!(text.is_char_boundary(m.end), "{m:?}");
        assert_eq!(m.char_start, text[..m.start].chars().count(), "{m:?}");
        assert_eq!(m.char_end, text[..m.end].chars().count(), "{m:?}");
        let span = &text[m.start..m.end];
        assert!(
            !span.starts_with(char::is_whitespace)
                && !span.ends_with(char::is_whitespace),
            "{span:?} starts or ends with white space"
        );
        let before = text[..m.start].chars().next_back();
        let after = text[m.end..].chars().next();
        assert!(!before.is_some_and(is_word_char), "{m:?} starts mid-word");
        assert!(!after.is_some_and(is_word_char), "{m:?} ends mid-word");
        // A name or alias found as such is one of the entity's names,
        // folded. (Partial names and acronyms defined in the text are not.)
        if matches!(
            m.via,
            Via::Name
                | Via::Alias
                | Via::Abbreviation
                | Via::Former
                | Via::Demonym
        ) {
            let span = fold_str(&text[m.start..m.end], true);
            let e = &entities[m.entity];
            let names = || e.names();
            assert!(
                names().any(|n| fold_str(n, true) == span),
                "{span:?} is not a name of {}",
                e.id
            );
        }
        for &a in &m.alternatives {
            assert!(a != m.entity && a < entities.len(), "{m:?}");
        }
        // Document order: by start, longest first, each span once.
        if let Some((s, e)) = prev {
            assert!(
                (s, std::cmp::Reverse(e))
                    < (m.start, std::cmp::Reverse(m.end))
            );
        }
        prev = Some((m.start, m.end));
    }
    let mut last = f64::INFINITY;
    for t in &tags.topics {
        assert!(t.topic < tagger.topics().len());
        assert!(t.score.is_finite() && t.score >= 0.0, "{t:?}");
        assert!(t.score <= last, "topics best first");
        last = t.score;
    }
}

/// Checks that mentions do not overlap (the default mode).
///
/// # Panics
/// When two mentions overlap.
pub fn check_disjoint(tags: &Tags) {
    for w in tags.mentions.windows(2) {
        assert!(w[0].end <= w[1].start, "{:?} overlaps {:?}", w[0], w[1]);
    }
}
