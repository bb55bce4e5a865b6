//! The tagger: one Aho-Corasick automaton over every folded alias and
//! keyword, plus the rules that turn raw matches into mentions.
//!
//! The semantics are written up in `DESIGN.md`. In short:
//!
//! 1. The document is folded ([`Normalized`]) and searched once with
//!    *overlapping* matches, so every alias occurrence is seen.
//! 2. Each raw match is mapped back to the original text and kept only if it
//!    starts and ends on a word boundary and its case agrees with the alias
//!    ([`CaseMode`]).
//! 3. Among the surviving candidates, the leftmost-longest non-overlapping
//!    ones become mentions. A longer match rejected in step 2 therefore never
//!    hides a valid shorter one.

use std::cmp::Reverse;
use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::error::{Error, Result};
use crate::gazetteer::{CaseMode, Entity, GazetteerSet, Topic};
use crate::normalize::{
    Normalized, fold_char, fold_str, is_space, is_word_char,
};
use crate::topics::{self, TopicLabel};

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

/// Alias counts up to which [`AutomatonKind::Auto`] builds a DFA.
const AUTO_DFA_MAX_PATTERNS: usize = 5_000;

/// Builds a [`Tagger`] from a [`GazetteerSet`].
///
/// ```
/// use gaztag::{GazetteerSet, Tagger};
/// let set = GazetteerSet::from_toml("t.toml", r#"
/// [[entity]]
/// id = "pak"
/// name = "Pakistan"
/// type = "country"
/// "#).unwrap();
/// let tagger = Tagger::builder().overlapping(false).build(&set).unwrap();
/// let tags = tagger.tag("Pakistan’s envoy");
/// assert_eq!(tags.mentions.len(), 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct TaggerBuilder {
    overlapping: bool,
    kind: AutomatonKind,
}

impl TaggerBuilder {
    /// A builder with the defaults.
    pub fn new() -> TaggerBuilder {
        TaggerBuilder::default()
    }

    /// Report nested and overlapping mentions too, instead of only the
    /// leftmost-longest non-overlapping ones. Default: `false`.
    pub fn overlapping(&mut self, yes: bool) -> &mut TaggerBuilder {
        self.overlapping = yes;
        self
    }

    /// The automaton implementation. Default: [`AutomatonKind::Auto`].
    pub fn automaton(&mut self, kind: AutomatonKind) -> &mut TaggerBuilder {
        self.kind = kind;
        self
    }

    /// Compiles every entity name, alias and topic keyword of `set` into one
    /// automaton.
    ///
    /// # Errors
    /// Fails if the automaton exceeds the implementation's size limits.
    pub fn build(&self, set: &GazetteerSet) -> Result<Tagger> {
        let mut patterns: Vec<String> = Vec::new();
        let mut index: HashMap<String, u32> = HashMap::new();
        // Entries per pattern, gathered first, flattened below.
        let mut per_pattern: Vec<Vec<Entry>> = Vec::new();
        let mut add = |term: &str, entry: Entry| {
            let folded = fold_str(term, true);
            let p = *index.entry(folded).or_insert_with_key(|k| {
                patterns.push(k.clone());
                per_pattern.push(Vec::new());
                (patterns.len() - 1) as u32
            });
            let list = &mut per_pattern[p as usize];
            if !list.contains(&entry) {
                list.push(entry);
            }
        };
        for (ei, e) in set.entities().iter().enumerate() {
            let target = Target::Entity(ei as u32);
            add(
                &e.name,
                Entry {
                    target,
                    rule: CaseRule::new(&e.name, e.case),
                    canonical: true,
                },
            );
            for a in &e.aliases {
                add(
                    a,
                    Entry {
                        target,
                        rule: CaseRule::new(a, e.case),
                        canonical: false,
                    },
                );
            }
        }
        for (ti, t) in set.topics().iter().enumerate() {
            for (ki, k) in t.keywords.iter().enumerate() {
                let target =
                    Target::Keyword { topic: ti as u32, keyword: ki as u32 };
                add(
                    &k.term,
                    Entry {
                        target,
                        rule: CaseRule::new(&k.term, CaseMode::Smart),
                        canonical: false,
                    },
                );
            }
        }
        let mut entry_starts = Vec::with_capacity(per_pattern.len() + 1);
        let mut entries = Vec::new();
        for list in per_pattern {
            entry_starts.push(entries.len() as u32);
            entries.extend(list);
        }
        entry_starts.push(entries.len() as u32);

        let kind = match self.kind {
            AutomatonKind::Auto if patterns.len() <= AUTO_DFA_MAX_PATTERNS => {
                AhoCorasickKind::DFA
            }
            AutomatonKind::Auto => AhoCorasickKind::ContiguousNFA,
            AutomatonKind::Dfa => AhoCorasickKind::DFA,
            AutomatonKind::ContiguousNfa => AhoCorasickKind::ContiguousNFA,
            AutomatonKind::NoncontiguousNfa => {
                AhoCorasickKind::NoncontiguousNFA
            }
        };
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&patterns)
            .map_err(|e| Error::build(e.to_string()))?;

        let entities = set.entities().to_vec();
        let ids: HashMap<&str, usize> = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let mut entity_topics = vec![Vec::new(); entities.len()];
        for (ti, t) in set.topics().iter().enumerate() {
            for (id, w) in &t.entities {
                if let Some(&ei) = ids.get(id.as_str()) {
                    entity_topics[ei].push((ti as u32, *w));
                }
            }
        }
        Ok(Tagger {
            ac,
            patterns: patterns.len(),
            entry_starts,
            entries,
            entities,
            topics: set.topics().to_vec(),
            entity_topics,
            overlapping: self.overlapping,
        })
    }
}

/// What a pattern stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// A name or alias of entity `n`.
    Entity(u32),
    /// Keyword `keyword` of topic `topic`.
    Keyword { topic: u32, keyword: u32 },
}

/// One meaning of a pattern: its target and the case rule of the alias it
/// came from (two aliases that fold alike may differ in case).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    target: Target,
    rule: CaseRule,
    /// Whether this is the entity's canonical name (preferred on ties).
    canonical: bool,
}

/// How the case of a matched text must agree with the alias.
#[derive(Clone, Debug, PartialEq, Eq)]
enum CaseRule {
    /// Any case.
    Ignore,
    /// The first character of the match must be upper case.
    Initial,
    /// The match, folded but with its case kept, equals this.
    Exact(Box<str>),
}

impl CaseRule {
    fn new(alias: &str, mode: CaseMode) -> CaseRule {
        match mode {
            CaseMode::Ignore => CaseRule::Ignore,
            CaseMode::Exact => CaseRule::Exact(fold_str(alias, false).into()),
            CaseMode::Smart => {
                let mut letters =
                    alias.chars().filter(|c| c.is_alphabetic()).peekable();
                let acronym = letters.peek().is_some()
                    && letters.all(|c| c.is_uppercase());
                if acronym {
                    CaseRule::Exact(fold_str(alias, false).into())
                } else if alias
                    .trim_start()
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
                {
                    CaseRule::Initial
                } else {
                    CaseRule::Ignore
                }
            }
        }
    }

    /// Lower is stricter; used to prefer the more specific alias on ties.
    fn strictness(&self) -> u8 {
        match self {
            CaseRule::Exact(_) => 0,
            CaseRule::Initial => 1,
            CaseRule::Ignore => 2,
        }
    }

    #[inline]
    fn accepts(&self, span: &str) -> bool {
        match self {
            CaseRule::Ignore => true,
            CaseRule::Initial => {
                span.chars().next().is_some_and(char::is_uppercase)
            }
            CaseRule::Exact(want) => fold_eq(span, want),
        }
    }
}

/// Whether `span`, folded with its case kept, equals `want`; allocation
/// free.
fn fold_eq(span: &str, want: &str) -> bool {
    let mut want = want.chars();
    let mut pending_space = false;
    let mut started = false;
    for c in span.chars() {
        if is_space(c) {
            pending_space = started;
            continue;
        }
        if pending_space {
            if want.next() != Some(' ') {
                return false;
            }
            pending_space = false;
        }
        started = true;
        let mut ok = true;
        fold_char(c, false, &mut |f| ok &= want.next() == Some(f));
        if !ok {
            return false;
        }
    }
    want.next().is_none()
}

/// An entity mention found in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset of the first byte, in the original document.
    pub start: usize,
    /// Byte offset just past the last byte (exclusive).
    pub end: usize,
    /// Offset of the first character, counted in Unicode scalar values.
    pub char_start: usize,
    /// Character offset just past the end (exclusive).
    pub char_end: usize,
    /// Index of the entity in [`Tagger::entities`].
    pub entity: usize,
    /// Other entities that have the same alias at this span, by index, in
    /// id order. Empty when the mention is unambiguous.
    pub alternatives: Vec<usize>,
}

/// Everything found in one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tags {
    /// Entity mentions in document order (by start, then longest first).
    pub mentions: Vec<Mention>,
    /// Topic labels, best first.
    pub topics: Vec<TopicLabel>,
    /// Number of words in the document.
    pub words: usize,
    /// Number of characters in the document.
    pub chars: usize,
}

/// Reusable per-thread buffers for [`Tagger::tag_with`].
#[derive(Debug, Default)]
pub struct Scratch {
    norm: Normalized,
    cands: Vec<Cand>,
}

impl Scratch {
    /// Empty buffers.
    pub fn new() -> Scratch {
        Scratch::default()
    }
}

/// A match that passed the boundary and case rules.
#[derive(Clone, Copy, Debug)]
struct Cand {
    start: usize,
    end: usize,
    entry: u32,
}

/// A compiled set of gazetteers. Cheap to share across threads.
#[derive(Clone, Debug)]
pub struct Tagger {
    ac: AhoCorasick,
    patterns: usize,
    /// `entries[entry_starts[p]..entry_starts[p + 1]]` are pattern p's.
    entry_starts: Vec<u32>,
    entries: Vec<Entry>,
    entities: Vec<Entity>,
    topics: Vec<Topic>,
    /// For each entity, the topics it is evidence for, with weights.
    entity_topics: Vec<Vec<(u32, f64)>>,
    overlapping: bool,
}

impl Tagger {
    /// A builder with the defaults.
    pub fn builder() -> TaggerBuilder {
        TaggerBuilder::new()
    }

    /// Builds a tagger with the default options.
    ///
    /// # Errors
    /// See [`TaggerBuilder::build`].
    pub fn new(set: &GazetteerSet) -> Result<Tagger> {
        TaggerBuilder::new().build(set)
    }

    /// All entities, indexed by [`Mention::entity`].
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// All topics, indexed by [`TopicLabel::topic`].
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// Number of distinct folded patterns in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.patterns
    }

    /// Heap memory used by the automaton, in bytes.
    pub fn automaton_bytes(&self) -> usize {
        self.ac.memory_usage()
    }

    /// Tags one document.
    pub fn tag(&self, text: &str) -> Tags {
        self.tag_with(&mut Scratch::new(), text)
    }

    /// Tags one document, reusing `scratch`'s buffers.
    pub fn tag_with(&self, scratch: &mut Scratch, text: &str) -> Tags {
        let Scratch { norm, cands } = scratch;
        norm.fold(text);
        cands.clear();
        for m in self.ac.find_overlapping_iter(norm.as_str()) {
            let (Some(start), Some(end)) =
                (norm.to_original(m.start()), norm.to_original(m.end()))
            else {
                continue;
            };
            if !on_word_boundaries(text, start, end) {
                continue;
            }
            let span = &text[start..end];
            let p = m.pattern().as_usize();
            let range = self.entry_starts[p]..self.entry_starts[p + 1];
            for ei in range {
                if self.entries[ei as usize].rule.accepts(span) {
                    cands.push(Cand { start, end, entry: ei });
                }
            }
        }
        cands.sort_unstable_by_key(|c| (c.start, Reverse(c.end), c.entry));

        let mut mentions = Vec::new();
        let mut keyword_hits: Vec<(u32, u32)> = Vec::new();
        let mut entity_end = 0;
        let mut keyword_end = 0;
        let mut i = 0;
        while i < cands.len() {
            let (start, end) = (cands[i].start, cands[i].end);
            let mut j = i;
            while j < cands.len()
                && cands[j].start == start
                && cands[j].end == end
            {
                j += 1;
            }
            let group = &cands[i..j];
            i = j;
            if self.overlapping || start >= entity_end {
                if let Some(m) = self.pick_entity(group, start, end) {
                    entity_end = entity_end.max(end);
                    mentions.push(m);
                }
            }
            if start >= keyword_end {
                let before = keyword_hits.len();
                for c in group {
                    if let Target::Keyword { topic, keyword } =
                        self.entries[c.entry as usize].target
                    {
                        keyword_hits.push((topic, keyword));
                    }
                }
                if keyword_hits.len() > before {
                    keyword_end = end;
                }
            }
        }
        let chars = set_char_offsets(text, &mut mentions);
        let words = norm.words();
        let topics = topics::score(self, &mentions, &keyword_hits, words);
        Tags { mentions, topics, words, chars }
    }

    /// Chooses among the entities that share one span: the canonical name
    /// over an alias, a stricter case rule over a looser one, then the
    /// smallest id. Never depends on load order.
    fn pick_entity(
        &self,
        group: &[Cand],
        start: usize,
        end: usize,
    ) -> Option<Mention> {
        let mut found: Vec<(bool, u8, &str, usize)> = group
            .iter()
            .filter_map(|c| {
                let e = &self.entries[c.entry as usize];
                match e.target {
                    Target::Entity(n) => Some((
                        !e.canonical,
                        e.rule.strictness(),
                        self.entities[n as usize].id.as_str(),
                        n as usize,
                    )),
                    Target::Keyword { .. } => None,
                }
            })
            .collect();
        if found.is_empty() {
            return None;
        }
        found.sort_unstable();
        let entity = found[0].3;
        let mut alternatives: Vec<(&str, usize)> = found[1..]
            .iter()
            .filter(|f| f.3 != entity)
            .map(|f| (f.2, f.3))
            .collect();
        alternatives.sort_unstable();
        alternatives.dedup();
        Some(Mention {
            start,
            end,
            char_start: 0,
            char_end: 0,
            entity,
            alternatives: alternatives.into_iter().map(|a| a.1).collect(),
        })
    }

    /// The topics entity `n` is evidence for.
    pub(crate) fn entity_topics(&self, n: usize) -> &[(u32, f64)] {
        &self.entity_topics[n]
    }
}

/// Whether the characters just before `start` and just at `end` are not
/// word characters (letters or digits in any script).
#[inline]
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// Fills in character offsets and returns the document's character count.
fn set_char_offsets(text: &str, mentions: &mut [Mention]) -> usize {
    if text.is_ascii() {
        for m in mentions.iter_mut() {
            m.char_start = m.start;
            m.char_end = m.end;
        }
        return text.len();
    }
    let mut points: Vec<usize> = Vec::with_capacity(mentions.len() * 2 + 1);
    for m in mentions.iter() {
        points.push(m.start);
        points.push(m.end);
    }
    points.push(text.len());
    points.sort_unstable();
    points.dedup();
    let mut counts = Vec::with_capacity(points.len());
    let (mut pos, mut chars) = (0, 0);
    for &p in &points {
        chars += count_chars(&text.as_bytes()[pos..p]);
        pos = p;
        counts.push(chars);
    }
    let at =
        |b: usize| counts[points.binary_search(&b).expect("point recorded")];
    for m in mentions.iter_mut() {
        m.char_start = at(m.start);
        m.char_end = at(m.end);
    }
    chars
}

/// Counts the characters of valid UTF-8 bytes: every byte that is not a
/// continuation byte starts one.
#[inline]
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a tagger from `(id, name, aliases)` triples of type `t`.
    fn tagger(
        entities: &[(&str, &str, &[&str])],
        overlapping: bool,
    ) -> Tagger {
        let mut src = String::new();
        for (id, name, aliases) in entities {
            src.push_str(&format!(
                "[[entity]]\nid = {id:?}\nname = {name:?}\ntype = \"t\"\naliases = {aliases:?}\n\n"
            ));
        }
        let set = GazetteerSet::from_toml("t.toml", &src).unwrap();
        Tagger::builder().overlapping(overlapping).build(&set).unwrap()
    }

    /// `(entity id, char start, char end)` of each mention.
    fn found(t: &Tagger, text: &str) -> Vec<(String, usize, usize)> {
        let tags = t.tag(text);
        let chars: Vec<char> = text.chars().collect();
        for m in &tags.mentions {
            // Offsets slice the original text exactly, in bytes and chars.
            let by_chars: String =
                chars[m.char_start..m.char_end].iter().collect();
            assert_eq!(by_chars, &text[m.start..m.end]);
        }
        tags.mentions
            .iter()
            .map(|m| {
                (t.entities()[m.entity].id.clone(), m.char_start, m.char_end)
            })
            .collect()
    }

    macro_rules! t {
        ($name:ident, $entities:expr, $text:expr, $want:expr) => {
            t!($name, $entities, $text, $want, false);
        };
        ($name:ident, $entities:expr, $text:expr, $want:expr, $overlap:expr) => {
            #[test]
            fn $name() {
                let tg = tagger($entities, $overlap);
                let want: Vec<(String, usize, usize)> = $want
                    .iter()
                    .map(|&(id, s, e): &(&str, usize, usize)| {
                        (id.to_string(), s, e)
                    })
                    .collect();
                assert_eq!(found(&tg, $text), want, "text: {:?}", $text);
            }
        };
    }

    const US: &[(&str, &str, &[&str])] = &[
        ("USA", "United States", &["US", "U.S.", "America"]),
        ("PAK", "Pakistan", &["Pakistani", "Pakistanis"]),
    ];

    // --- word boundaries -------------------------------------------------
    t!(boundary_not_inside_word, US, "USB sticks", &[]);
    t!(boundary_possessive_straight, US, "Pakistan's envoy", &[("PAK", 0, 8)]);
    t!(
        boundary_possessive_curly,
        US,
        "Pakistan\u{2019}s envoy",
        &[("PAK", 0, 8)]
    );
    t!(
        boundary_hyphen_joins_two,
        US,
        "US-Pakistan talks",
        &[("USA", 0, 2), ("PAK", 3, 11)]
    );
    t!(
        boundary_non_breaking_hyphen,
        US,
        "US\u{2011}Pakistan",
        &[("USA", 0, 2), ("PAK", 3, 11)]
    );
    t!(
        boundary_unicode_letters,
        US,
        "éPakistan Pakistanä Pakistan",
        &[("PAK", 20, 28)]
    );
    t!(boundary_digits, US, "US2 2US US", &[("USA", 8, 10)]);
    t!(boundary_cjk, US, "在Pakistan的", &[]);
    t!(
        boundary_plural_needs_alias,
        US,
        "Pakistanis and Pakistaniss",
        &[("PAK", 0, 10)]
    );
    t!(
        boundary_combining_mark_is_word,
        US,
        "Pakistan\u{0301}x Pakistan",
        &[("PAK", 11, 19)]
    );
    t!(
        boundary_trailing_mark_is_kept,
        US,
        "Pakistan\u{0301}, US",
        &[("PAK", 0, 9), ("USA", 11, 13)]
    );

    // --- a rejected longer candidate never hides a shorter one -----------
    t!(
        rejected_longer_keeps_shorter,
        &[("art", "art", &[]), ("art-deco", "art-deco", &[])],
        "The art-decor shop sold art-deco lamps and modern art.",
        &[("art", 4, 7), ("art-deco", 24, 32), ("art", 50, 53)]
    );
    t!(
        rejected_case_keeps_shorter,
        &[("sd", "State Department", &[]), ("st", "State", &[])],
        "State department",
        &[("sd", 0, 16)]
    );

    // --- case ------------------------------------------------------------
    t!(
        case_acronym_exact,
        US,
        "let us talk; told us; US says",
        &[("USA", 22, 24)]
    );
    t!(case_acronym_dotted, US, "the U.S. and u.s. mail", &[("USA", 4, 8)]);
    t!(
        case_initial_capital,
        &[("TUR", "Turkey", &["Türkiye"])],
        "roast turkey; Turkey's; TURKEY; tÜrkiye; Turkiye",
        &[("TUR", 14, 20), ("TUR", 24, 30), ("TUR", 41, 48)]
    );
    t!(
        case_headline_all_caps,
        US,
        "PAKISTAN, US HOLD TALKS",
        &[("PAK", 0, 8), ("USA", 10, 12)]
    );
    t!(
        case_lowercase_alias_any_case,
        &[("aq", "al-Qaida", &["al-Qaeda"])],
        "Al-Qaida and AL-QAEDA and al qaida",
        &[("aq", 0, 8), ("aq", 13, 21)]
    );

    // --- normalisation ---------------------------------------------------
    t!(
        norm_line_break_inside_name,
        &[("sd", "State Department", &[])],
        "the State\nDepartment and State \u{00A0}\r\n Department",
        &[("sd", 4, 20), ("sd", 25, 45)]
    );
    t!(
        norm_diacritics_both_ways,
        &[("CIV", "Côte d'Ivoire", &[])],
        "Côte d’Ivoire, Cote d'Ivoire, COTE D'IVOIRE",
        &[("CIV", 0, 13), ("CIV", 15, 28), ("CIV", 30, 43)]
    );
    t!(
        norm_decomposed_accents,
        &[("CIV", "Côte d'Ivoire", &[])],
        "Co\u{0302}te d'Ivoire!",
        &[("CIV", 0, 14)]
    );
    t!(
        norm_dash_variants,
        &[("ttp", "Tehreek-e-Taliban Pakistan", &[])],
        "Tehreek\u{2010}e\u{2013}Taliban Pakistan",
        &[("ttp", 0, 26)]
    );
    t!(
        norm_offsets_after_astral_chars,
        US,
        "😀😀 Pakistan",
        &[("PAK", 3, 11)]
    );

    // --- overlaps --------------------------------------------------------
    t!(
        overlap_longest_wins,
        &[
            ("ttp", "Tehreek-e-Taliban Pakistan", &["TTP"]),
            ("PAK", "Pakistan", &[])
        ],
        "the Tehreek-e-Taliban Pakistan (TTP) in Pakistan",
        &[("ttp", 4, 30), ("ttp", 32, 35), ("PAK", 40, 48)]
    );
    t!(
        overlap_drc_not_congo,
        &[
            ("COD", "Democratic Republic of the Congo", &[]),
            ("COG", "Congo", &[])
        ],
        "the Democratic Republic of the Congo",
        &[("COD", 4, 36)]
    );
    t!(
        overlap_reports_nested,
        &[
            ("ttp", "Tehreek-e-Taliban Pakistan", &[]),
            ("PAK", "Pakistan", &[])
        ],
        "Tehreek-e-Taliban Pakistan",
        &[("ttp", 0, 26), ("PAK", 18, 26)],
        true
    );
    t!(
        overlap_leftmost_first,
        &[("ab", "alpha beta", &[]), ("bc", "beta gamma delta", &[])],
        "alpha beta gamma delta",
        &[("ab", 0, 10)]
    );

    #[test]
    fn shared_alias_is_deterministic() {
        let a = tagger(
            &[("b-state", "Georgia", &[]), ("a-country", "Georgia", &[])],
            false,
        );
        let b = tagger(
            &[("a-country", "Georgia", &[]), ("b-state", "Georgia", &[])],
            false,
        );
        for t in [&a, &b] {
            let tags = t.tag("Georgia");
            let m = &tags.mentions[0];
            assert_eq!(t.entities()[m.entity].id, "a-country");
            let alts: Vec<&str> = m
                .alternatives
                .iter()
                .map(|&i| t.entities()[i].id.as_str())
                .collect();
            assert_eq!(alts, ["b-state"]);
        }
    }

    #[test]
    fn canonical_name_beats_alias() {
        let t =
            tagger(&[("a", "Alpha", &["Beta"]), ("b", "Beta", &[])], false);
        let tags = t.tag("Beta");
        assert_eq!(t.entities()[tags.mentions[0].entity].id, "b");
    }

    #[test]
    fn exact_case_mode() {
        let src = "[[entity]]\nid = \"x\"\nname = \"Chad\"\ntype = \"c\"\ncase = \"exact\"\n";
        let set = GazetteerSet::from_toml("t.toml", src).unwrap();
        let t = Tagger::new(&set).unwrap();
        assert_eq!(t.tag("CHAD Chad chad").mentions.len(), 1);
        let src = src.replace("exact", "ignore");
        let set = GazetteerSet::from_toml("t.toml", &src).unwrap();
        let t = Tagger::new(&set).unwrap();
        assert_eq!(t.tag("CHAD Chad chad").mentions.len(), 3);
    }

    #[test]
    fn automaton_kinds_agree() {
        let src = "[[entity]]\nid = \"x\"\nname = \"Islamabad\"\ntype = \"city\"\naliases = [\"ISB\"]\n";
        let set = GazetteerSet::from_toml("t.toml", src).unwrap();
        let text = "Islamabad (ISB) and islamabad, ISLAMABAD.";
        let mut results = Vec::new();
        for k in [
            AutomatonKind::Dfa,
            AutomatonKind::ContiguousNfa,
            AutomatonKind::NoncontiguousNfa,
        ] {
            let t = Tagger::builder().automaton(k).build(&set).unwrap();
            results.push(t.tag(text).mentions);
        }
        assert_eq!(results[0].len(), 3);
        assert!(results.windows(2).all(|w| w[0] == w[1]));
    }

    #[test]
    fn fold_eq_compares_with_case() {
        assert!(fold_eq("U.S.", "U.S."));
        assert!(!fold_eq("u.s.", "U.S."));
        assert!(fold_eq("TÜRKIYE", "TURKIYE"));
        assert!(fold_eq("A \n B", "A B"));
        assert!(!fold_eq("AB", "A B"));
    }

    #[test]
    fn tagger_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Tagger>();
    }
}
