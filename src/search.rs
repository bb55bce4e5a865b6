//! The automaton and the searches that find candidate matches.
//!
//! Every pattern must start on a word boundary, so matches that start
//! inside a word (`us` in `thus`) are never wanted. How they are avoided
//! depends on the automaton:
//!
//! - An NFA is walked, anchored, from each position where a match could
//!   start, until it dies; an anchored walk never follows a failure
//!   transition, which is where an NFA's unanchored search spends its time.
//! - A DFA has no failure transitions to avoid (each byte is one table
//!   lookup), and its unanchored overlapping search is a tighter loop than
//!   any per-position walk; matches starting inside an ASCII word are
//!   dropped as they are reported.
//!
//! A walk from position `p` reports every pattern that starts at `p`: a
//! state's match list (with `MatchKind::Standard`) also holds patterns that
//! are suffixes of the path walked, which start later and are found by the
//! walk from their own start; they are skipped by comparing the pattern's
//! length with the distance walked.

use std::ops::Range;

/// Which automaton implementation to search with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AutomatonKind {
    /// Pick by size: a DFA for small sets, a contiguous NFA for large ones.
    #[default]
    Auto,
    /// A DFA: fastest search, slowest build, most memory.
    Dfa,
    /// A contiguous NFA: fast to build, compact, a little slower to search.
    ContiguousNfa,
    /// A non-contiguous NFA: fastest to build, slowest to search.
    NoncontiguousNfa,
}

use aho_corasick::automaton::OverlappingState;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::{contiguous, noncontiguous};
use aho_corasick::{Anchored, Input, MatchKind, StartKind, dfa};

use crate::error::{Error, Result};

/// An automaton and what the searches precompute from it.
#[derive(Clone, Debug)]
pub(crate) struct Searcher {
    engine: Engine,
    /// For each byte: the state after it from the anchored start (NFAs).
    first: Box<[StateID; 256]>,
    /// For each byte: `WORD` if it is an ASCII letter or digit, plus
    /// `STARTS` if some pattern starts with it (NFAs).
    class: [u8; 256],
}

/// The automaton implementation, chosen when building.
#[derive(Clone, Debug)]
enum Engine {
    Dfa(dfa::DFA),
    Contiguous(contiguous::NFA),
    Noncontiguous(noncontiguous::NFA),
}

/// Pattern counts up to which [`AutomatonKind::Auto`] builds a DFA.
const AUTO_DFA_MAX_PATTERNS: usize = 5_000;

/// Where walks start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Starts {
    /// Only where a match could start on a word boundary (a superset of
    /// those positions; the caller still checks the boundary in the
    /// original text).
    WordStarts,
    /// At every character boundary: every occurrence of every pattern, as
    /// an unanchored overlapping search would report them.
    Everywhere,
}

impl Searcher {
    /// Builds an anchored automaton over `patterns` (pattern `i` gets id
    /// `i`).
    pub(crate) fn build(
        patterns: &[String],
        kind: AutomatonKind,
    ) -> Result<Searcher> {
        let kind = match kind {
            AutomatonKind::Auto if patterns.len() <= AUTO_DFA_MAX_PATTERNS => {
                AutomatonKind::Dfa
            }
            AutomatonKind::Auto => AutomatonKind::ContiguousNfa,
            k => k,
        };
        let nfa = noncontiguous::Builder::new()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(patterns)
            .map_err(|e| Error::build(e.to_string()))?;
        let engine = match kind {
            AutomatonKind::Dfa => Engine::Dfa(
                dfa::Builder::new()
                    .match_kind(MatchKind::Standard)
                    .start_kind(StartKind::Unanchored)
                    .prefilter(false)
                    .build_from_noncontiguous(&nfa)
                    .map_err(|e| Error::build(e.to_string()))?,
            ),
            AutomatonKind::ContiguousNfa | AutomatonKind::Auto => {
                Engine::Contiguous(
                    contiguous::Builder::new()
                        .match_kind(MatchKind::Standard)
                        .prefilter(false)
                        .build_from_noncontiguous(&nfa)
                        .map_err(|e| Error::build(e.to_string()))?,
                )
            }
            AutomatonKind::NoncontiguousNfa => Engine::Noncontiguous(nfa),
        };
        let first = match &engine {
            Engine::Dfa(_) => Box::new([StateID::ZERO; 256]),
            Engine::Contiguous(a) => first_states(a),
            Engine::Noncontiguous(a) => first_states(a),
        };
        let class = std::array::from_fn(|b| {
            let word =
                if (b as u8).is_ascii_alphanumeric() { WORD } else { 0 };
            let starts = match &engine {
                Engine::Dfa(_) => STARTS,
                Engine::Contiguous(a) => starts_bit(a, first[b]),
                Engine::Noncontiguous(a) => starts_bit(a, first[b]),
            };
            word | starts
        });
        Ok(Searcher { engine, first, class })
    }

    /// Heap memory used by the automaton, in bytes.
    pub(crate) fn memory_usage(&self) -> usize {
        match &self.engine {
            Engine::Dfa(a) => a.memory_usage(),
            Engine::Contiguous(a) => a.memory_usage(),
            Engine::Noncontiguous(a) => a.memory_usage(),
        }
    }

    /// Calls `hit(pattern, start, end)` for every pattern occurrence in
    /// `hay` that starts inside `starts` at a position chosen by `which`.
    /// Walks may read past `starts.end`, so splitting a text into adjacent
    /// ranges neither loses nor repeats an occurrence.
    pub(crate) fn for_each(
        &self,
        hay: &[u8],
        starts: Range<usize>,
        which: Starts,
        hit: &mut impl FnMut(u32, usize, usize),
    ) {
        match &self.engine {
            Engine::Dfa(a) => scan(a, hay, starts, which, hit),
            Engine::Contiguous(a) => self.walk_all(a, hay, starts, which, hit),
            Engine::Noncontiguous(a) => {
                self.walk_all(a, hay, starts, which, hit)
            }
        }
    }

    /// Walks `a` from every start position in `starts`.
    fn walk_all<A: Automaton>(
        &self,
        a: &A,
        hay: &[u8],
        starts: Range<usize>,
        which: Starts,
        hit: &mut impl FnMut(u32, usize, usize),
    ) {
        let range = starts.start.min(hay.len())..starts.end.min(hay.len());
        let base = range.start;
        let (first, class) = (&self.first, &self.class);
        match which {
            Starts::Everywhere => {
                for (i, &b) in hay[range].iter().enumerate() {
                    if class[usize::from(b)] & STARTS != 0 {
                        walk(a, first[usize::from(b)], hay, base + i, hit);
                    }
                }
            }
            Starts::WordStarts => {
                let mut prev_word = range.start > 0
                    && class[usize::from(hay[range.start - 1])] & WORD != 0;
                for (i, &b) in hay[range].iter().enumerate() {
                    let c = class[usize::from(b)];
                    let word = c & WORD != 0;
                    if c & STARTS != 0 && !(word && prev_word) {
                        walk(a, first[usize::from(b)], hay, base + i, hit);
                    }
                    prev_word = word;
                }
            }
        }
    }
}

/// Runs an unanchored overlapping search (the fastest way through a DFA,
/// whose every state is one table lookup away) and keeps the matches that
/// start inside `starts` and, for [`Starts::WordStarts`], not inside an
/// ASCII word.
fn scan<A: Automaton>(
    a: &A,
    hay: &[u8],
    starts: Range<usize>,
    which: Starts,
    hit: &mut impl FnMut(u32, usize, usize),
) {
    let from = starts.start.min(hay.len());
    let to = starts.end.min(hay.len());
    if from >= to {
        return;
    }
    // A match starting before `to` ends before `to + max_pattern_len`.
    let span_end = to.saturating_add(a.max_pattern_len()).min(hay.len());
    let input = Input::new(hay).span(from..span_end);
    let mut state = OverlappingState::start();
    loop {
        a.try_find_overlapping(&input, &mut state)
            .expect("unanchored search on an unanchored automaton");
        let Some(m) = state.get_match() else { return };
        let s = m.start();
        if s >= to {
            continue;
        }
        if which == Starts::WordStarts
            && s > 0
            && hay[s].is_ascii_alphanumeric()
            && hay[s - 1].is_ascii_alphanumeric()
        {
            continue;
        }
        hit(m.pattern().as_u32(), s, m.end());
    }
}

/// The state after each byte from the anchored start.
fn first_states<A: Automaton>(a: &A) -> Box<[StateID; 256]> {
    let start =
        a.start_state(Anchored::Yes).expect("built for anchored searches");
    Box::new(std::array::from_fn(|b| {
        a.next_state(Anchored::Yes, start, b as u8)
    }))
}

/// `STARTS` unless `sid` (the state after a first byte) is dead.
fn starts_bit<A: Automaton>(a: &A, sid: StateID) -> u8 {
    if a.is_dead(sid) { 0 } else { STARTS }
}

/// Class bit: an ASCII letter or digit. A walk starts only at the first of
/// a run of them; other bytes (ASCII punctuation, every non-ASCII
/// character, whose letters are not told apart from punctuation here) may
/// start a walk anywhere. The caller checks boundaries in the original
/// text.
const WORD: u8 = 1;

/// Class bit: some pattern starts with this byte. None starts with a space
/// or a UTF-8 continuation byte.
const STARTS: u8 = 2;

/// One anchored walk from `p`, in state `sid` after the byte at `p`.
#[inline(always)]
fn walk<A: Automaton>(
    a: &A,
    mut sid: StateID,
    hay: &[u8],
    p: usize,
    hit: &mut impl FnMut(u32, usize, usize),
) {
    let mut end = p + 1;
    loop {
        if a.is_special(sid) {
            if a.is_dead(sid) {
                return;
            }
            if a.is_match(sid) {
                let len = end - p;
                for k in 0..a.match_len(sid) {
                    let pid = a.match_pattern(sid, k);
                    if a.pattern_len(pid) == len {
                        hit(pid.as_u32(), p, end);
                    }
                }
            }
        }
        let Some(&b) = hay.get(end) else { return };
        sid = a.next_state(Anchored::Yes, sid, b);
        end += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(
        patterns: &[&str],
        hay: &str,
        kind: AutomatonKind,
        which: Starts,
    ) -> Vec<(u32, usize, usize)> {
        let patterns: Vec<String> =
            patterns.iter().map(|p| p.to_string()).collect();
        let s = Searcher::build(&patterns, kind).unwrap();
        let mut out = Vec::new();
        s.for_each(hay.as_bytes(), 0..hay.len(), which, &mut |p, a, b| {
            out.push((p, a, b))
        });
        out.sort_unstable();
        out
    }

    const KINDS: [AutomatonKind; 3] = [
        AutomatonKind::Dfa,
        AutomatonKind::ContiguousNfa,
        AutomatonKind::NoncontiguousNfa,
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            ..Default::default()
        })]

        /// Every kind, searching from word starts, finds exactly the
        /// occurrences an unanchored overlapping search finds, minus those
        /// that start inside an ASCII word; and splitting the text into
        /// pieces changes nothing.
        #[test]
        fn word_starts_are_everywhere_minus_inside_words(
            patterns in proptest::collection::vec("[abé ж.-]{1,4}", 1..8),
            hay in "[abé ж.-]{0,40}",
            cut in 0usize..48,
        ) {
            let ac = aho_corasick::AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .unwrap();
            let b = hay.as_bytes();
            let mut want: Vec<(u32, usize, usize)> = ac
                .find_overlapping_iter(&hay)
                .map(|m| (m.pattern().as_u32(), m.start(), m.end()))
                .filter(|&(_, s, _)| {
                    s == 0
                        || !(b[s].is_ascii_alphanumeric()
                            && b[s - 1].is_ascii_alphanumeric())
                })
                .collect();
            want.sort_unstable();
            let cut = cut.min(hay.len());
            for kind in KINDS {
                let s = Searcher::build(&patterns, kind).unwrap();
                let mut got = Vec::new();
                for r in [0..cut, cut..hay.len()] {
                    s.for_each(b, r, Starts::WordStarts, &mut |p, x, y| {
                        got.push((p, x, y))
                    });
                }
                got.sort_unstable();
                proptest::prop_assert_eq!(&got, &want, "{:?}", kind);
            }
        }
    }

    #[test]
    fn everywhere_equals_overlapping_search() {
        let patterns = ["us", "thus", "art", "art deco", "s", "deco", "é"];
        let hay = "thus art deco, arts; us é deco";
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(patterns)
            .unwrap();
        let mut want: Vec<(u32, usize, usize)> = ac
            .find_overlapping_iter(hay)
            .map(|m| (m.pattern().as_u32(), m.start(), m.end()))
            .collect();
        want.sort_unstable();
        for kind in KINDS {
            assert_eq!(hits(&patterns, hay, kind, Starts::Everywhere), want);
        }
    }

    #[test]
    fn word_starts_skip_the_inside_of_words() {
        let patterns = ["us", "thus", "art", "art deco", "-x", "ž"];
        let hay = "thus us art deco. -x a-x žž";
        for kind in KINDS {
            let got = hits(&patterns, hay, kind, Starts::WordStarts);
            // `us` in `thus` is skipped; `-x` is found at both places (the
            // boundary before `-` is the caller's check); every `ž` is a
            // start (non-ASCII is never skipped).
            assert_eq!(
                got,
                [
                    (0, 5, 7),
                    (1, 0, 4),
                    (2, 8, 11),
                    (3, 8, 16),
                    (4, 18, 20),
                    (4, 22, 24),
                    (5, 25, 27),
                    (5, 27, 29),
                ],
                "{kind:?}"
            );
        }
    }

    #[test]
    fn ranges_split_without_loss_or_repeats() {
        let patterns = ["art deco", "deco", "art", "co"];
        let hay = "art deco art deco";
        for kind in KINDS {
            let whole = hits(&patterns, hay, kind, Starts::WordStarts);
            let s = Searcher::build(
                &patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
                kind,
            )
            .unwrap();
            for cut in 0..=hay.len() {
                let mut got = Vec::new();
                for r in [0..cut, cut..hay.len()] {
                    s.for_each(
                        hay.as_bytes(),
                        r,
                        Starts::WordStarts,
                        &mut |p, a, b| got.push((p, a, b)),
                    );
                }
                got.sort_unstable();
                assert_eq!(got, whole, "{kind:?} cut at {cut}");
            }
        }
    }
}
