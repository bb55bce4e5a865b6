//! The tagger: one Aho-Corasick automaton over every folded alias, keyword
//! and context word, plus the rules that turn raw matches into mentions.
//!
//! The semantics are written up in `DESIGN.md`. In short:
//!
//! 1. The document is folded ([`Normalized`]) and searched once
//!    (`src/search.rs`) for every occurrence of every alias that starts
//!    where a word may start, overlapping ones included.
//! 2. Each raw match is mapped back to the original text and kept only if it
//!    starts and ends on a word boundary and its case agrees with the alias
//!    ([`CaseMode`]). Context rules and the longer-name check then apply to
//!    these candidates.
//! 3. Among the surviving candidates, the leftmost-longest non-overlapping
//!    ones become mentions; partial person names resolve against full names
//!    found in the same document. A longer match rejected in step 2 therefore
//!    never hides a valid shorter one.
//! 4. Acronyms defined in parentheses (`Pakistan Cricket Board (PCB)`) tag
//!    later uses of the acronym in the document.

use hashbrown::HashMap;
use std::cmp::Reverse;
use std::ops::Range;

use rayon::prelude::*;

use crate::error::Result;
use crate::gazetteer::{CaseMode, ContextRule, Entity, GazetteerSet, Topic};
use crate::normalize::{
    Normalized, fold_char, fold_str, is_invisible, is_space, is_word_char,
};
use crate::resolve;
use crate::search::{Searcher, Starts};
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

/// Documents at least this long (in bytes) are folded and searched in
/// pieces on every thread of the current rayon pool. (Smaller in unit
/// tests, so that they cross many piece boundaries quickly.)
const PARALLEL_MIN_BYTES: usize = if cfg!(test) { 64 << 10 } else { 4 << 20 };

/// The size of those pieces.
const PARALLEL_CHUNK_BYTES: usize = if cfg!(test) { 4 << 10 } else { 1 << 20 };

/// Entity types that the longer-name check applies to.
const PLACE_TYPES: &[&str] = &[
    "country",
    "city",
    "location",
    "place",
    "region",
    "state",
    "province",
    "territory",
];

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
#[derive(Clone, Debug)]
pub struct TaggerBuilder {
    overlapping: bool,
    kind: AutomatonKind,
    keep_inside_names: bool,
    resolve_partial_names: bool,
    resolve_acronyms: bool,
}

impl Default for TaggerBuilder {
    fn default() -> TaggerBuilder {
        TaggerBuilder {
            overlapping: false,
            kind: AutomatonKind::Auto,
            keep_inside_names: false,
            resolve_partial_names: true,
            resolve_acronyms: true,
        }
    }
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

    /// Keep place names found inside a longer capitalised name (`Madrid`
    /// in `Real Madrid`), marked with [`Mention::inside_name`]. Default:
    /// `false` (they are dropped).
    pub fn keep_inside_names(&mut self, yes: bool) -> &mut TaggerBuilder {
        self.keep_inside_names = yes;
        self
    }

    /// Resolve later surnames, title + surname and first + last name to a
    /// person named in full earlier in the document. Default: `true`.
    pub fn resolve_partial_names(&mut self, yes: bool) -> &mut TaggerBuilder {
        self.resolve_partial_names = yes;
        self
    }

    /// Tag later uses of an acronym defined in parentheses after a mention.
    /// Default: `true`.
    pub fn resolve_acronyms(&mut self, yes: bool) -> &mut TaggerBuilder {
        self.resolve_acronyms = yes;
        self
    }

    /// Compiles every entity name, alias, partial person name, topic
    /// keyword and context word of `set` into one automaton.
    ///
    /// # Errors
    /// Fails if the automaton exceeds the implementation's size limits.
    pub fn build(&self, set: &GazetteerSet) -> Result<Tagger> {
        self.build_parts(set.entities().to_vec(), set.topics().to_vec())
    }

    /// Like [`build`](TaggerBuilder::build), but takes the set, so its
    /// entities and topics move into the tagger instead of being copied.
    ///
    /// # Errors
    /// See [`build`](TaggerBuilder::build).
    pub fn build_owned(&self, set: GazetteerSet) -> Result<Tagger> {
        let (entities, topics) = set.into_parts();
        self.build_parts(entities, topics)
    }

    fn build_parts(
        &self,
        entities: Vec<Entity>,
        topics: Vec<Topic>,
    ) -> Result<Tagger> {
        let ids: HashMap<&str, usize> = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();

        let mut patterns: Vec<String> = Vec::new();
        let mut index: HashMap<String, u32> =
            HashMap::with_capacity(entities.len() * 2);
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

        // Context rules and their words.
        let mut rules: Vec<CompiledRule> = Vec::new();
        let mut words: HashMap<String, u32> = HashMap::new();
        let mut word_terms: Vec<String> = Vec::new();
        let mut word_id = |w: &str| -> u32 {
            let key = fold_str(w, false);
            *words.entry(key).or_insert_with(|| {
                word_terms.push(w.to_string());
                (word_terms.len() - 1) as u32
            })
        };
        let mut rules_of: Vec<Vec<(u32, Vec<String>)>> =
            vec![Vec::new(); entities.len()];
        for (ei, e) in entities.iter().enumerate() {
            for rule in &e.context {
                let r = compile_rule(rule, &ids, &mut word_id);
                rules.push(r);
                let folded_names =
                    rule.names.iter().map(|n| fold_str(n, true)).collect();
                rules_of[ei].push(((rules.len() - 1) as u32, folded_names));
            }
        }
        let rules_for = |ei: usize, name: &str| -> Box<[u32]> {
            if rules_of[ei].is_empty() {
                return Box::new([]);
            }
            let folded = fold_str(name, true);
            rules_of[ei]
                .iter()
                .filter(|(_, names)| {
                    names.is_empty() || names.contains(&folded)
                })
                .map(|(r, _)| *r)
                .collect()
        };

        let mut is_person = vec![false; entities.len()];
        for (ei, e) in entities.iter().enumerate() {
            let target = Target::Entity(ei as u32);
            for (k, name) in
                std::iter::once(&e.name).chain(&e.aliases).enumerate()
            {
                add(
                    name,
                    Entry {
                        target,
                        rule: CaseRule::new(name, e.case),
                        via: if k == 0 { Via::Name } else { Via::Alias },
                        rules: rules_for(ei, name),
                    },
                );
            }
            is_person[ei] = e.kind.eq_ignore_ascii_case("person");
            if is_person[ei] && self.resolve_partial_names {
                let surname = e.attributes.get("surname").map(String::as_str);
                for partial in resolve::person_partials(&e.name, surname) {
                    add(
                        &partial,
                        Entry {
                            target: Target::Partial(ei as u32),
                            rule: CaseRule::Initial,
                            via: Via::Partial,
                            rules: Box::new([]),
                        },
                    );
                }
            }
        }
        for (ti, t) in topics.iter().enumerate() {
            for (ki, k) in t.keywords.iter().enumerate() {
                let target =
                    Target::Keyword { topic: ti as u32, keyword: ki as u32 };
                add(
                    &k.term,
                    Entry {
                        target,
                        rule: CaseRule::new(&k.term, CaseMode::Smart),
                        via: Via::Name,
                        rules: Box::new([]),
                    },
                );
            }
        }
        for (wi, w) in word_terms.iter().enumerate() {
            add(
                w,
                Entry {
                    target: Target::Word(wi as u32),
                    rule: CaseRule::new(w, CaseMode::Smart),
                    via: Via::Name,
                    rules: Box::new([]),
                },
            );
        }
        let mut entry_starts = Vec::with_capacity(per_pattern.len() + 1);
        let mut entries = Vec::new();
        for list in per_pattern {
            entry_starts.push(entries.len() as u32);
            entries.extend(list);
        }
        entry_starts.push(entries.len() as u32);

        let searcher = Searcher::build(&patterns, self.kind)?;

        let mut entity_topics = vec![Vec::new(); entities.len()];
        for (ti, t) in topics.iter().enumerate() {
            for (id, w) in &t.entities {
                if let Some(&ei) = ids.get(id.as_str()) {
                    entity_topics[ei].push((ti as u32, *w));
                }
            }
        }
        // Evidence groups for shared aliases: the country an entity belongs
        // to (its `country` attribute, or itself for a country), and its
        // domain.
        let mut groups: HashMap<&str, u32> = HashMap::new();
        let mut domains: HashMap<&str, u32> = HashMap::new();
        let mut country_group = Vec::with_capacity(entities.len());
        let mut domain_group = Vec::with_capacity(entities.len());
        for e in &entities {
            let key = e.attributes.get("country").map(String::as_str).or_else(
                || {
                    e.kind
                        .eq_ignore_ascii_case("country")
                        .then_some(e.id.as_str())
                },
            );
            let n = groups.len() as u32;
            country_group.push(key.map(|k| *groups.entry(k).or_insert(n)));
            let n = domains.len() as u32;
            domain_group.push(*domains.entry(e.domain.as_str()).or_insert(n));
        }
        let is_place = entities
            .iter()
            .map(|e| {
                PLACE_TYPES.iter().any(|t| e.kind.eq_ignore_ascii_case(t))
            })
            .collect();
        let has_partials =
            entries.iter().any(|e| matches!(e.target, Target::Partial(_)));
        let is_subnational: Vec<bool> = entities
            .iter()
            .map(|e| {
                let kind = e.attributes.get("kind").map_or("", String::as_str);
                SUBNATIONAL_KINDS.contains(&kind)
                    && e.attributes
                        .get("country")
                        .is_some_and(|c| !c.is_empty())
            })
            .collect();
        let mut state_codes: Vec<(Box<str>, u32)> = Vec::new();
        for (n, e) in entities.iter().enumerate() {
            if !is_subnational[n] {
                continue;
            }
            for key in ["postal", "abbreviation"] {
                for code in e
                    .attributes
                    .get(key)
                    .into_iter()
                    .flat_map(|v| v.split('|'))
                {
                    let code = code.trim();
                    if !code.is_empty() {
                        state_codes.push((code.into(), n as u32));
                    }
                }
            }
        }
        state_codes.sort_unstable();
        state_codes.dedup();
        // A code of two entities (`WA`: Washington, Western Australia)
        // says nothing.
        let shared: Vec<Box<str>> = state_codes
            .windows(2)
            .filter(|w| w[0].0 == w[1].0)
            .map(|w| w[0].0.clone())
            .collect();
        state_codes.retain(|(c, _)| !shared.contains(c));
        let is_state_body: Vec<bool> = entities
            .iter()
            .map(|e| {
                let kind = e.attributes.get("kind").map_or("", String::as_str);
                STATE_BODY_KINDS.contains(&kind)
                    && e.attributes
                        .get("country")
                        .is_some_and(|c| !c.is_empty())
            })
            .collect();
        // The maps borrow the entities, which move into the tagger.
        drop((ids, groups, domains));
        Ok(Tagger {
            searcher,
            patterns: patterns.len(),
            entry_starts,
            entries,
            topics,
            entity_topics,
            rules,
            country_group,
            domain_group,
            is_place,
            is_person,
            is_subnational,
            state_codes,
            is_state_body,
            has_partials,
            entities,
            opts: self.clone(),
        })
    }
}

/// The `kind` attributes of states, provinces and territories: the second
/// half of `<town>, <state>`.
const SUBNATIONAL_KINDS: &[&str] =
    &["us_state", "state", "province", "territory"];

/// The `kind` attributes of the bodies of a country's state: the
/// organisations that [`Tagger::bodies_of_other_countries`] checks.
const STATE_BODY_KINDS: &[&str] = &[
    "agency",
    "central_bank",
    "committee",
    "court",
    "defence_ministry",
    "election_commission",
    "executive_office",
    "federal_agency",
    "finance_ministry",
    "foreign_ministry",
    "intelligence",
    "interior_ministry",
    "justice_ministry",
    "legislature_chamber",
    "military",
    "ministry",
    "parliament",
    "police",
    "regulator",
    "security_service",
];

/// Resolves a context rule's words and entity ids.
fn compile_rule(
    rule: &ContextRule,
    ids: &HashMap<&str, usize>,
    word_id: &mut impl FnMut(&str) -> u32,
) -> CompiledRule {
    let ents = |v: &[String]| -> Vec<u32> {
        v.iter()
            .filter_map(|id| ids.get(id.as_str()))
            .map(|&i| i as u32)
            .collect()
    };
    CompiledRule {
        require_words: rule.require_words.iter().map(|w| word_id(w)).collect(),
        exclude_words: rule.exclude_words.iter().map(|w| word_id(w)).collect(),
        require_entities: ents(&rule.require_entities),
        exclude_entities: ents(&rule.exclude_entities),
        window: rule.window,
        not_before_capitalized: rule.not_before_capitalized,
    }
}

/// A context rule with words and entities resolved to indexes.
#[derive(Clone, Debug)]
struct CompiledRule {
    require_words: Vec<u32>,
    exclude_words: Vec<u32>,
    require_entities: Vec<u32>,
    exclude_entities: Vec<u32>,
    window: Option<usize>,
    not_before_capitalized: bool,
}

/// What a pattern stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    /// A name or alias of entity `n`.
    Entity(u32),
    /// A partial name (surname, first + last) of person `n`.
    Partial(u32),
    /// Keyword `keyword` of topic `topic`.
    Keyword { topic: u32, keyword: u32 },
    /// Context word `n` of some context rule.
    Word(u32),
}

/// How a mention was found.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum Via {
    /// The entity's canonical name.
    #[default]
    Name,
    /// One of its aliases.
    Alias,
    /// A partial person name resolved to a full name earlier in the
    /// document (`Patel`, `Mr Patel`, `Sardar Khan`).
    Partial,
    /// An acronym defined in the document (`... Board (PCB)`).
    Acronym,
}

impl Via {
    /// The value written in the `via` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Name => "name",
            Via::Alias => "alias",
            Via::Partial => "partial",
            Via::Acronym => "acronym",
        }
    }
}

/// One meaning of a pattern: its target and the case rule of the alias it
/// came from (two aliases that fold alike may differ in case).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    target: Target,
    rule: CaseRule,
    via: Via,
    /// Context rules that apply to this name.
    rules: Box<[u32]>,
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
    /// How the mention was found.
    pub via: Via,
    /// A place name inside a longer capitalised name, kept because
    /// [`TaggerBuilder::keep_inside_names`] is on.
    pub inside_name: bool,
}

/// Why a candidate did not become a mention (see [`Tagger::explain`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DropReason {
    /// A letter or digit stands right before or after it.
    Boundary,
    /// Its case does not agree with the alias (`us` for `US`).
    Case,
    /// A context rule of the entity failed.
    Context,
    /// A place name inside a longer capitalised name (`Real Madrid`).
    InsideName,
    /// It overlaps a longer or earlier mention.
    Overlap,
    /// A partial name with no full name of the person earlier in the
    /// document.
    Unresolved,
    /// A partial name shared by several people named in the document.
    Ambiguous,
    /// A town named after a place of another country, written as
    /// `<town>, <state>` (`Jordan, Minnesota`, `Paris, Texas`).
    TownInState,
    /// A state body of one country named right after another country
    /// (`South Korea's Joint Chiefs of Staff` is not the US one).
    OtherCountry,
}

impl DropReason {
    /// A short name for the reason.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Boundary => "boundary",
            DropReason::Case => "case",
            DropReason::Context => "context rule",
            DropReason::InsideName => "inside a longer name",
            DropReason::Overlap => "overlap",
            DropReason::Unresolved => {
                "partial name without an earlier full name"
            }
            DropReason::Ambiguous => "partial name shared by several people",
            DropReason::TownInState => "a town in a state of another country",
            DropReason::OtherCountry => "a body of another country's state",
        }
    }
}

/// A candidate that was dropped, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// Byte offset of the start, in the original document.
    pub start: usize,
    /// Byte offset of the end (exclusive).
    pub end: usize,
    /// The entity it would have been.
    pub entity: usize,
    /// Why it was dropped.
    pub reason: DropReason,
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
    /// Still eligible after context rules and the longer-name check.
    keep: bool,
    /// A place name inside a longer capitalised name.
    inside_name: bool,
}

/// A compiled set of gazetteers. Cheap to share across threads.
#[derive(Clone, Debug)]
pub struct Tagger {
    searcher: Searcher,
    patterns: usize,
    /// `entries[entry_starts[p]..entry_starts[p + 1]]` are pattern p's.
    entry_starts: Vec<u32>,
    entries: Vec<Entry>,
    entities: Vec<Entity>,
    topics: Vec<Topic>,
    /// For each entity, the topics it is evidence for, with weights.
    entity_topics: Vec<Vec<(u32, f64)>>,
    rules: Vec<CompiledRule>,
    /// For each entity, its country group (for shared-alias evidence).
    country_group: Vec<Option<u32>>,
    /// For each entity, its domain as a number.
    domain_group: Vec<u32>,
    is_place: Vec<bool>,
    is_person: Vec<bool>,
    /// For each entity, whether it is a state, province or territory of a
    /// country (its `kind` attribute), for the `<town>, <state>` rule.
    is_subnational: Vec<bool>,
    /// Postal codes and dateline abbreviations of states and provinces
    /// (their `postal` and `abbreviation` attributes), sorted, with the
    /// entity; a code that several entities share is left out.
    state_codes: Vec<(Box<str>, u32)>,
    /// For each entity, whether it is a body of one country's state (a
    /// ministry, parliament, army, court...: its `kind` attribute) with a
    /// `country` attribute.
    is_state_body: Vec<bool>,
    has_partials: bool,
    opts: TaggerBuilder,
}

/// The outcome of [`Tagger::explain`]: the tags plus every dropped
/// candidate.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explanation {
    /// What [`Tagger::tag`] returns.
    pub tags: Tags,
    /// Entity candidates that did not become mentions, in text order.
    pub dropped: Vec<Dropped>,
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
        self.searcher.memory_usage()
    }

    /// Tags one document.
    pub fn tag(&self, text: &str) -> Tags {
        self.tag_with(&mut Scratch::new(), text)
    }

    /// Tags one document, reusing `scratch`'s buffers.
    pub fn tag_with(&self, scratch: &mut Scratch, text: &str) -> Tags {
        self.run(scratch, text, None)
    }

    /// Tags one document and also reports every entity candidate that was
    /// dropped, with the rule that dropped it.
    pub fn explain(&self, text: &str) -> Explanation {
        let mut dropped = Vec::new();
        let tags = self.run(&mut Scratch::new(), text, Some(&mut dropped));
        dropped.sort_by_key(|d| (d.start, Reverse(d.end), d.entity, d.reason));
        dropped.dedup();
        Explanation { tags, dropped }
    }

    /// The entity an entry names, if any.
    #[inline]
    fn entity_of(&self, entry: u32) -> Option<usize> {
        match self.entries[entry as usize].target {
            Target::Entity(n) | Target::Partial(n) => Some(n as usize),
            _ => None,
        }
    }

    fn run(
        &self,
        scratch: &mut Scratch,
        text: &str,
        mut dropped: Option<&mut Vec<Dropped>>,
    ) -> Tags {
        let Scratch { norm, cands } = scratch;
        cands.clear();
        let explaining = dropped.is_some();
        let mut drop = |start, end, entity, reason| {
            if let Some(d) = dropped.as_deref_mut() {
                d.push(Dropped { start, end, entity, reason });
            }
        };
        let parallel = !explaining
            && text.len() >= PARALLEL_MIN_BYTES
            && rayon::current_num_threads() >= 2;
        if !parallel {
            norm.fold(text);
            let all = 0..norm.as_bytes().len();
            // Explaining searches from every position, so that matches
            // inside words are reported as dropped by the boundary rule.
            let which = if explaining {
                Starts::Everywhere
            } else {
                Starts::WordStarts
            };
            self.candidates(text, norm, all, which, cands, &mut drop);
        } else {
            // A very large document: fold and search it in pieces on every
            // thread. Each piece searches from the positions inside it and
            // may read past its end, so no match is lost or found twice;
            // candidates are sorted below, so the result does not depend on
            // the number of threads.
            norm.fold_par(text, PARALLEL_CHUNK_BYTES);
            let n = norm.as_bytes().len();
            let norm = &*norm;
            let parts: Vec<Vec<Cand>> = (0..n.div_ceil(PARALLEL_CHUNK_BYTES))
                .into_par_iter()
                .map(|i| {
                    let from = i * PARALLEL_CHUNK_BYTES;
                    let piece = from..(from + PARALLEL_CHUNK_BYTES).min(n);
                    let mut part = Vec::new();
                    self.candidates(
                        text,
                        norm,
                        piece,
                        Starts::WordStarts,
                        &mut part,
                        &mut |_, _, _, _| {},
                    );
                    part
                })
                .collect();
            for part in parts {
                cands.extend(part);
            }
        }
        cands.sort_unstable_by_key(|c| (c.start, Reverse(c.end), c.entry));
        self.check_candidates(text, cands, &mut drop);

        let selected = self.select(text, cands, &mut drop);
        let (mut mentions, keyword_hits) = selected;
        self.towns_in_states(text, &mut mentions, &mut drop);
        self.bodies_of_other_countries(text, &mut mentions, &mut drop);
        if self.opts.resolve_acronyms {
            self.defined_acronyms(text, &mut mentions);
        }
        let chars = set_char_offsets(text, &mut mentions);
        let words = norm.words();
        let topics = topics::score(self, &mentions, &keyword_hits, words);
        Tags { mentions, topics, words, chars }
    }

    /// Searches the folded text from the positions in `starts` and pushes
    /// every match that passes the boundary and case rules onto `cands`.
    fn candidates(
        &self,
        text: &str,
        norm: &Normalized,
        starts: Range<usize>,
        which: Starts,
        cands: &mut Vec<Cand>,
        drop: &mut impl FnMut(usize, usize, usize, DropReason),
    ) {
        let explaining = which == Starts::Everywhere;
        let hay = norm.as_bytes();
        self.searcher.for_each(hay, starts, which, &mut |p, s, e| {
            let p = p as usize;
            let range = self.entry_starts[p]..self.entry_starts[p + 1];
            let (Some(start), Some(end)) =
                (norm.to_original(s), norm.to_original(e))
            else {
                return;
            };
            if !on_word_boundaries(text, start, end) {
                if explaining {
                    for ei in range {
                        if let Some(e) = self.entity_of(ei) {
                            drop(start, end, e, DropReason::Boundary);
                        }
                    }
                }
                return;
            }
            let span = &text[start..end];
            for ei in range {
                if self.entries[ei as usize].rule.accepts(span) {
                    cands.push(Cand {
                        start,
                        end,
                        entry: ei,
                        keep: true,
                        inside_name: false,
                    });
                } else if let Some(e) = self.entity_of(ei) {
                    drop(start, end, e, DropReason::Case);
                }
            }
        });
    }

    /// Applies context rules and the longer-name check to entity
    /// candidates, clearing `keep` (or setting `inside_name`).
    fn check_candidates(
        &self,
        text: &str,
        cands: &mut [Cand],
        drop: &mut impl FnMut(usize, usize, usize, DropReason),
    ) {
        let needs_rules = cands
            .iter()
            .any(|c| !self.entries[c.entry as usize].rules.is_empty());
        let needs_places = cands.iter().any(|c| {
            match self.entries[c.entry as usize].target {
                Target::Entity(n) => self.is_place[n as usize],
                _ => false,
            }
        });
        if !needs_rules && !needs_places {
            return;
        }
        // Where entity candidates start and end, for the longer-name check.
        let mut ends: Vec<usize> = Vec::new();
        if needs_places {
            ends = cands
                .iter()
                .filter(|c| self.entity_of(c.entry).is_some())
                .map(|c| c.end)
                .collect();
            ends.sort_unstable();
        }
        let starts: Vec<usize> = if needs_places {
            let mut s: Vec<usize> = cands
                .iter()
                .filter(|c| self.entity_of(c.entry).is_some())
                .map(|c| c.start)
                .collect();
            s.dedup();
            s
        } else {
            Vec::new()
        };
        // Context facts: (word or entity, position).
        let mut word_hits: Vec<(u32, usize)> = Vec::new();
        let mut entity_hits: Vec<(u32, usize)> = Vec::new();
        if needs_rules {
            for c in cands.iter() {
                match self.entries[c.entry as usize].target {
                    Target::Word(w) => word_hits.push((w, c.start)),
                    Target::Entity(n) => entity_hits.push((n, c.start)),
                    _ => {}
                }
            }
        }
        for cand in cands.iter_mut() {
            let c = *cand;
            let entry = &self.entries[c.entry as usize];
            let Target::Entity(n) = entry.target else { continue };
            let n = n as usize;
            for &r in entry.rules.iter() {
                let rule = &self.rules[r as usize];
                if !rule_holds(
                    text,
                    rule,
                    c.start,
                    c.end,
                    &word_hits,
                    &entity_hits,
                ) {
                    cand.keep = false;
                    drop(c.start, c.end, n, DropReason::Context);
                    break;
                }
            }
            if cand.keep && self.is_place[n] {
                let inside = resolve::inside_longer_name(
                    text,
                    c.start,
                    c.end,
                    |p| starts.binary_search(&p).is_ok(),
                    |p| ends.binary_search(&p).is_ok(),
                );
                if inside {
                    if self.opts.keep_inside_names {
                        cand.inside_name = true;
                    } else {
                        cand.keep = false;
                        drop(c.start, c.end, n, DropReason::InsideName);
                    }
                }
            }
        }
    }

    /// Selects mentions (leftmost-longest, resolving partial names) and
    /// topic keyword hits from sorted candidates.
    fn select(
        &self,
        text: &str,
        cands: &[Cand],
        drop: &mut impl FnMut(usize, usize, usize, DropReason),
    ) -> (Vec<Mention>, Vec<(u32, u32)>) {
        // People named in full, with where they are first named.
        let mut first_full: Vec<(u32, usize)> = Vec::new();
        if self.has_partials {
            for c in cands {
                if let Target::Entity(n) =
                    self.entries[c.entry as usize].target
                    && c.keep
                    && self.is_person[n as usize]
                {
                    first_full.push((n, c.start));
                }
            }
            first_full.sort_unstable();
            first_full.dedup_by_key(|f| f.0);
        }
        // Distinct entities with candidates: evidence for shared aliases.
        let mut present: Option<Vec<u32>> = None;

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
            let has_entity = group.iter().any(|c| {
                c.keep
                    && matches!(
                        self.entries[c.entry as usize].target,
                        Target::Entity(_)
                    )
            });
            if has_entity {
                if self.overlapping_ok(start, entity_end) {
                    let present = present
                        .get_or_insert_with(|| self.present_entities(cands));
                    let m = self.pick_entity(group, start, end, present);
                    entity_end = entity_end.max(end);
                    mentions.push(m);
                } else {
                    for c in group.iter().filter(|c| c.keep) {
                        if let Target::Entity(n) =
                            self.entries[c.entry as usize].target
                        {
                            drop(start, end, n as usize, DropReason::Overlap);
                        }
                    }
                }
            } else if let Some(m) = self.resolve_partial(
                text,
                group,
                start,
                end,
                entity_end,
                &first_full,
                drop,
            ) {
                entity_end = entity_end.max(m.end);
                mentions.push(m);
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
        (mentions, keyword_hits)
    }

    /// The `<town>, <state>` rule (DESIGN.md, "Towns in states"): a state
    /// or province written as a postal code or dateline abbreviation after
    /// a comma becomes a mention (`Jordan, Minn.`); a place before a comma
    /// and a state of another country is a town of that state, not the
    /// place (`Jordan, Minnesota` is not Jordan); a country name after a
    /// town of another country is read as the state of the same name
    /// (`Athens, Georgia`), with the country as the alternative.
    fn towns_in_states(
        &self,
        text: &str,
        mentions: &mut Vec<Mention>,
        drop: &mut impl FnMut(usize, usize, usize, DropReason),
    ) {
        if !self.state_codes.is_empty() && text.contains(", ") {
            let mut added = Vec::new();
            for comma in memchr::memchr_iter(b',', text.as_bytes()) {
                let Some((start, end, n, postal)) =
                    resolve::state_code_after(text, comma, |code| {
                        self.state_codes
                            .binary_search_by(|(c, _)| (**c).cmp(code))
                            .ok()
                            .map(|i| self.state_codes[i].1 as usize)
                    })
                else {
                    continue;
                };
                // A postal code needs a known place before the comma; a
                // dateline abbreviation (`Minn.`) a capitalised word.
                let place_before = mentions
                    .iter()
                    .any(|m| m.end == comma && self.is_place[m.entity]);
                if (postal && !place_before)
                    || mentions.iter().any(|m| m.start < end && start < m.end)
                {
                    continue;
                }
                added.push(Mention {
                    start,
                    end,
                    char_start: 0,
                    char_end: 0,
                    entity: n,
                    alternatives: Vec::new(),
                    via: Via::Alias,
                    inside_name: false,
                });
            }
            if !added.is_empty() {
                mentions.extend(added);
                mentions.sort_by_key(|m| (m.start, Reverse(m.end)));
            }
        }
        let mut towns: Vec<usize> = Vec::new();
        for i in 1..mentions.len() {
            let (head, tail) = mentions.split_at_mut(i);
            let (town, state) = (&head[i - 1], &mut tail[0]);
            if !self.is_place[town.entity]
                || !resolve::comma_between(text, town.end, state.start)
                || resolve::list_goes_on(text, state.end)
            {
                continue;
            }
            let Some(group) = self.country_group[town.entity] else {
                continue;
            };
            // `Athens, Georgia`: the state of that name, not the country.
            if !self.is_subnational[state.entity]
                && self.entities[state.entity].kind == "country"
                && self.country_group[state.entity] != Some(group)
            {
                let subnational = |&&a: &&usize| self.is_subnational[a];
                let alt = state
                    .alternatives
                    .iter()
                    .filter(subnational)
                    .find(|&&a| self.country_group[a] == Some(group))
                    .or_else(|| state.alternatives.iter().find(subnational))
                    .copied();
                if let Some(alt) = alt {
                    let was = std::mem::replace(&mut state.entity, alt);
                    state.alternatives.retain(|&a| a != alt);
                    state.alternatives.push(was);
                    let entities = &self.entities;
                    state.alternatives.sort_unstable_by(|&a, &b| {
                        entities[a].id.cmp(&entities[b].id)
                    });
                }
            }
            if self.is_subnational[state.entity]
                && self.country_group[state.entity] != Some(group)
            {
                towns.push(i - 1);
                drop(
                    town.start,
                    town.end,
                    town.entity,
                    DropReason::TownInState,
                );
            }
        }
        if !towns.is_empty() {
            let mut i = 0;
            mentions.retain(|_| {
                i += 1;
                towns.binary_search(&(i - 1)).is_err()
            });
        }
    }

    /// A state body whose name other countries use too (`Joint Chiefs of
    /// Staff`, `Congress`) is not that body when another country is named
    /// right before it, as a possessive or an adjective (`South Korea's
    /// Joint Chiefs of Staff`, `the Indian Congress`): the mention is
    /// dropped rather than given the wrong country.
    fn bodies_of_other_countries(
        &self,
        text: &str,
        mentions: &mut Vec<Mention>,
        drop: &mut impl FnMut(usize, usize, usize, DropReason),
    ) {
        let mut other = Vec::new();
        for i in 1..mentions.len() {
            let (country, body) = (&mentions[i - 1], &mentions[i]);
            if self.is_state_body[body.entity]
                && self.entities[country.entity].kind == "country"
                && self.country_group[country.entity]
                    != self.country_group[body.entity]
                && resolve::names_owner(text, country.end, body.start)
            {
                other.push(i);
                drop(
                    body.start,
                    body.end,
                    body.entity,
                    DropReason::OtherCountry,
                );
            }
        }
        if !other.is_empty() {
            let mut i = 0;
            mentions.retain(|_| {
                i += 1;
                other.binary_search(&(i - 1)).is_err()
            });
        }
    }

    #[inline]
    fn overlapping_ok(&self, start: usize, entity_end: usize) -> bool {
        self.opts.overlapping || start >= entity_end
    }

    /// Sorted distinct entities that have a kept candidate.
    fn present_entities(&self, cands: &[Cand]) -> Vec<u32> {
        let mut v: Vec<u32> = cands
            .iter()
            .filter(|c| c.keep)
            .filter_map(|c| match self.entries[c.entry as usize].target {
                Target::Entity(n) => Some(n),
                _ => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Evidence for entity `n` in a document: other entities present of the
    /// same country (2 points each) or the same domain (1 point each).
    fn evidence(&self, n: usize, present: &[u32]) -> u32 {
        let group = self.country_group[n];
        let domain = self.domain_group[n];
        let mut score = 0;
        for &p in present {
            let p = p as usize;
            if p == n {
                continue;
            }
            if group.is_some() && self.country_group[p] == group {
                score += 2;
            }
            if self.domain_group[p] == domain {
                score += 1;
            }
        }
        score
    }

    /// Chooses among the entities that share one span: the most evidence in
    /// the document, then the canonical name over an alias, then the
    /// stricter case rule, then the smallest id. Never depends on load
    /// order.
    fn pick_entity(
        &self,
        group: &[Cand],
        start: usize,
        end: usize,
        present: &[u32],
    ) -> Mention {
        let mut found: Vec<Choice<'_>> = group
            .iter()
            .filter(|c| c.keep)
            .filter_map(|c| {
                let e = &self.entries[c.entry as usize];
                match e.target {
                    Target::Entity(n) => Some((e, n as usize, c.inside_name)),
                    _ => None,
                }
            })
            .map(|(e, n, inside)| {
                (
                    Reverse(0),
                    e.via,
                    e.rule.strictness(),
                    self.entities[n].id.as_str(),
                    n,
                    inside,
                )
            })
            .collect();
        let distinct = found.iter().any(|f| f.4 != found[0].4);
        if distinct {
            for f in found.iter_mut() {
                f.0 = Reverse(self.evidence(f.4, present));
            }
        }
        found.sort_unstable();
        let (_, via, _, _, entity, inside_name) = found[0];
        let mut alternatives: Vec<(&str, usize)> = found[1..]
            .iter()
            .filter(|f| f.4 != entity)
            .map(|f| (f.3, f.4))
            .collect();
        alternatives.sort_unstable();
        alternatives.dedup();
        Mention {
            start,
            end,
            char_start: 0,
            char_end: 0,
            entity,
            alternatives: alternatives.into_iter().map(|a| a.1).collect(),
            via,
            inside_name,
        }
    }

    /// Resolves a partial person name to the one person named in full
    /// earlier in the document; a title before it (`Ambassador Khan`) joins
    /// the mention and, when several people share the name, picks the one
    /// whose `role` names that title.
    #[allow(clippy::too_many_arguments)]
    fn resolve_partial(
        &self,
        text: &str,
        group: &[Cand],
        start: usize,
        end: usize,
        entity_end: usize,
        first_full: &[(u32, usize)],
        drop: &mut impl FnMut(usize, usize, usize, DropReason),
    ) -> Option<Mention> {
        let people: Vec<u32> = group
            .iter()
            .filter_map(|c| match self.entries[c.entry as usize].target {
                Target::Partial(n) => Some(n),
                _ => None,
            })
            .collect();
        if people.is_empty() {
            return None;
        }
        if !self.overlapping_ok(start, entity_end) {
            for &n in &people {
                drop(start, end, n as usize, DropReason::Overlap);
            }
            return None;
        }
        // People sharing this name who are named in full in the document.
        let named: Vec<(u32, usize)> = people
            .iter()
            .filter_map(|n| {
                first_full
                    .binary_search_by_key(n, |f| f.0)
                    .ok()
                    .map(|i| first_full[i])
            })
            .collect();
        let title = resolve::title_before(text, start)
            .filter(|(s, _)| *s >= entity_end);
        let chosen = match named.as_slice() {
            [] => None,
            [one] => Some(*one),
            several => title.and_then(|(_, t)| {
                let t = t.trim_end_matches('.').to_lowercase();
                let fits: Vec<&(u32, usize)> = several
                    .iter()
                    .filter(|(n, _)| {
                        self.entities[*n as usize]
                            .attributes
                            .get("role")
                            .is_some_and(|r| r.to_lowercase().contains(&t))
                    })
                    .collect();
                (fits.len() == 1).then(|| *fits[0])
            }),
        };
        match chosen {
            Some((n, first)) if first < start => Some(Mention {
                start: title.map_or(start, |(s, _)| s),
                end,
                char_start: 0,
                char_end: 0,
                entity: n as usize,
                alternatives: Vec::new(),
                via: Via::Partial,
                inside_name: false,
            }),
            _ => {
                let reason = if named.len() > 1 {
                    DropReason::Ambiguous
                } else {
                    DropReason::Unresolved
                };
                for &n in &people {
                    drop(start, end, n as usize, reason);
                }
                None
            }
        }
    }

    /// Tags later uses of acronyms defined in parentheses right after a
    /// mention (`Pakistan Cricket Board (PCB)`), when the acronym's letters
    /// are initials of the name. A definition overrides a gazetteer alias
    /// of another entity for the rest of the document.
    fn defined_acronyms(&self, text: &str, mentions: &mut Vec<Mention>) {
        let mut defs: Vec<(usize, usize, usize)> = Vec::new();
        for m in mentions.iter() {
            if m.via == Via::Partial || m.via == Via::Acronym {
                continue;
            }
            if let Some((s, e)) = resolve::acronym_after(text, m.end)
                && resolve::initials_match(&text[m.start..m.end], &text[s..e])
            {
                defs.push((s, e, m.entity));
            }
        }
        if defs.is_empty() {
            return;
        }
        let mut added = Vec::new();
        for &(s, e, entity) in &defs {
            let acronym = &text[s..e];
            let mut from = s;
            while let Some(off) = text[from..].find(acronym) {
                let (ms, me) = (from + off, from + off + acronym.len());
                from = me;
                if !on_word_boundaries(text, ms, me) {
                    continue;
                }
                if let Some(existing) =
                    mentions.iter_mut().find(|m| m.start == ms && m.end == me)
                {
                    if existing.entity != entity {
                        existing.entity = entity;
                        existing.alternatives.clear();
                        existing.via = Via::Acronym;
                    }
                    continue;
                }
                let overlaps =
                    mentions.iter().any(|m| m.start < me && ms < m.end);
                if !overlaps {
                    added.push(Mention {
                        start: ms,
                        end: me,
                        char_start: 0,
                        char_end: 0,
                        entity,
                        alternatives: Vec::new(),
                        via: Via::Acronym,
                        inside_name: false,
                    });
                }
            }
        }
        if !added.is_empty() {
            added.sort_by_key(|m| (m.start, m.entity));
            added.dedup_by_key(|m| m.start);
            mentions.extend(added);
            mentions.sort_by_key(|m| (m.start, Reverse(m.end), m.entity));
        }
    }

    /// The topics entity `n` is evidence for.
    pub(crate) fn entity_topics(&self, n: usize) -> &[(u32, f64)] {
        &self.entity_topics[n]
    }
}

/// A candidate entity of a shared span, in preference order: evidence,
/// how it matched, case strictness, id; then its index and whether it is
/// inside a longer name.
type Choice<'a> = (Reverse<u32>, Via, u8, &'a str, usize, bool);

/// Whether context rule `rule` holds for a match at `start..end`.
fn rule_holds(
    text: &str,
    rule: &CompiledRule,
    start: usize,
    end: usize,
    word_hits: &[(u32, usize)],
    entity_hits: &[(u32, usize)],
) -> bool {
    if rule.not_before_capitalized && resolve::next_word_capitalized(text, end)
    {
        return false;
    }
    let near = |pos: usize| -> bool {
        let Some(w) = rule.window else { return true };
        let (a, b) =
            if pos < start { (pos, start) } else { (end, pos.max(end)) };
        // Cheap byte test first: a character is at most four bytes.
        if b - a > w * 4 {
            return false;
        }
        text[a..b].chars().count() <= w
    };
    let any_word = |ids: &[u32]| {
        word_hits.iter().any(|(w, p)| ids.contains(w) && near(*p))
    };
    let any_entity = |ids: &[u32]| {
        entity_hits.iter().any(|(e, p)| {
            ids.contains(e) && (*p < start || *p >= end) && near(*p)
        })
    };
    if any_word(&rule.exclude_words) || any_entity(&rule.exclude_entities) {
        return false;
    }
    let requires =
        !rule.require_words.is_empty() || !rule.require_entities.is_empty();
    !requires
        || any_word(&rule.require_words)
        || any_entity(&rule.require_entities)
}

/// Whether the characters just before `start` and just at `end` are not
/// word characters (letters or digits in any script). Invisible characters
/// (a soft hyphen) are looked through, as folding drops them.
#[inline]
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().rev().find(|&c| !is_invisible(c));
    let after = text[end..].chars().find(|&c| !is_invisible(c));
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
        tagger_kind(entities, overlapping, AutomatonKind::Auto)
    }

    /// The three automaton kinds (DFA: unanchored search; NFAs: anchored
    /// walks).
    const KINDS: [AutomatonKind; 3] = [
        AutomatonKind::Dfa,
        AutomatonKind::ContiguousNfa,
        AutomatonKind::NoncontiguousNfa,
    ];

    fn tagger_kind(
        entities: &[(&str, &str, &[&str])],
        overlapping: bool,
        kind: AutomatonKind,
    ) -> Tagger {
        let mut src = String::new();
        for (id, name, aliases) in entities {
            src.push_str(&format!(
                "[[entity]]\nid = {id:?}\nname = {name:?}\ntype = \"t\"\naliases = {aliases:?}\n\n"
            ));
        }
        let set = GazetteerSet::from_toml("t.toml", &src).unwrap();
        Tagger::builder()
            .overlapping(overlapping)
            .automaton(kind)
            .build(&set)
            .unwrap()
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
                let want: Vec<(String, usize, usize)> = $want
                    .iter()
                    .map(|&(id, s, e): &(&str, usize, usize)| {
                        (id.to_string(), s, e)
                    })
                    .collect();
                for kind in KINDS {
                    let tg = tagger_kind($entities, $overlap, kind);
                    assert_eq!(
                        found(&tg, $text),
                        want,
                        "text: {:?}, {kind:?}",
                        $text
                    );
                    // Explaining searches everywhere, yet finds the same.
                    assert_eq!(tg.explain($text).tags, tg.tag($text));
                }
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
    t!(
        boundary_looks_through_soft_hyphens,
        US,
        "Paki\u{AD}stan a\u{AD}US US\u{AD}b \u{AD}US\u{AD}",
        &[("PAK", 0, 9), ("USA", 21, 24)]
    );
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
    fn large_documents_tag_the_same_on_any_number_of_threads() {
        // Over PARALLEL_MIN_BYTES, with names, curly apostrophes, accents
        // and runs of spaces across the piece boundaries.
        let unit = "The US envoy met Pakistani officials in Islamabad.  \
                    Pakistan\u{2019}s  minister, thus used   Türkiye’s \
                    US-Pakistan channel; PAKISTAN.\n";
        let text = unit.repeat(PARALLEL_MIN_BYTES / unit.len() + 7);
        for kind in KINDS {
            let t = tagger_kind(US, false, kind);
            let run = |threads| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap()
                    .install(|| t.tag(&text))
            };
            let one = run(1);
            assert!(one.mentions.len() > 1000, "{kind:?}");
            assert_eq!(one, run(3), "{kind:?}");
        }
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

    // --- within-document resolution ----------------------------------------

    const PEOPLE: &str = r#"
[domain]
type = "person"

[[entity]]
id = "patel"
name = "Vedant Patel"
[entity.attributes]
role = "State Department spokesperson"

[[entity]]
id = "smk"
name = "Sardar Masood Khan"
[entity.attributes]
role = "Ambassador of Pakistan to the United States"

[[entity]]
id = "imran"
name = "Imran Khan"
[entity.attributes]
role = "Prime Minister of Pakistan"

[[entity]]
id = "sharif"
name = "Shehbaz Sharif"

[[entity]]
id = "pcb"
type = "organization"
name = "Pakistan Cricket Board"

[[entity]]
id = "ttp"
type = "organization"
name = "Tehreek-e-Taliban Pakistan"

[[entity]]
id = "PAK"
type = "country"
name = "Pakistan"
aliases = ["Pakistani"]

[[entity]]
id = "GEO"
type = "country"
name = "Georgia"
[[entity.context]]
exclude_words = ["Atlanta", "Savannah"]
exclude_entities = ["USA"]
window = 60

[[entity]]
id = "USA"
type = "country"
name = "United States"
aliases = ["US"]

[[entity]]
id = "JOR"
type = "country"
name = "Jordan"
case = "exact"
[[entity.context]]
not_before_capitalized = true

[[entity]]
id = "city:USA:washington"
type = "city"
name = "Washington"
[entity.attributes]
country = "USA"

[[entity]]
id = "person:washington"
type = "person"
name = "Washington"
[entity.attributes]
country = "ZZZ"

[[entity]]
id = "MAD"
type = "city"
name = "Madrid"
"#;

    fn people() -> Tagger {
        let set = GazetteerSet::from_toml("people.toml", PEOPLE).unwrap();
        Tagger::new(&set).unwrap()
    }

    /// `(text, entity id, via)` of each mention.
    fn resolved(
        t: &Tagger,
        text: &str,
    ) -> Vec<(String, String, &'static str)> {
        t.tag(text)
            .mentions
            .iter()
            .map(|m| {
                (
                    text[m.start..m.end].to_string(),
                    t.entities()[m.entity].id.clone(),
                    m.via.as_str(),
                )
            })
            .collect()
    }

    macro_rules! r {
        ($name:ident, $text:expr, $want:expr) => {
            #[test]
            fn $name() {
                let t = people();
                let want: Vec<(String, String, &str)> = $want
                    .iter()
                    .map(|&(a, b, c): &(&str, &str, &str)| {
                        (a.to_string(), b.to_string(), c)
                    })
                    .collect();
                assert_eq!(resolved(&t, $text), want, "text: {:?}", $text);
            }
        };
    }

    r!(
        surname_after_full_name,
        "Vedant Patel spoke. Later Patel said no, and Mr Patel left.",
        &[
            ("Vedant Patel", "patel", "name"),
            ("Patel", "patel", "partial"),
            ("Mr Patel", "patel", "partial")
        ]
    );
    r!(surname_alone_is_not_tagged, "Patel said the talks went well.", &[]);
    r!(
        surname_before_full_name_is_not_tagged,
        "Patel spoke first. Then Vedant Patel added more.",
        &[("Vedant Patel", "patel", "name")]
    );
    r!(
        first_and_last_name,
        "Sardar Masood Khan arrived; Sardar Khan then met Khan's aides.",
        &[
            ("Sardar Masood Khan", "smk", "name"),
            ("Sardar Khan", "smk", "partial"),
            ("Khan", "smk", "partial"),
        ]
    );
    r!(
        shared_surname_is_not_guessed,
        "Sardar Masood Khan and Imran Khan met. Khan said little.",
        &[
            ("Sardar Masood Khan", "smk", "name"),
            ("Imran Khan", "imran", "name")
        ]
    );
    r!(
        title_picks_among_shared_surnames,
        "Sardar Masood Khan and Imran Khan met. Ambassador Khan said little.",
        &[
            ("Sardar Masood Khan", "smk", "name"),
            ("Imran Khan", "imran", "name"),
            ("Ambassador Khan", "smk", "partial"),
        ]
    );
    r!(
        title_and_surname,
        "Shehbaz Sharif flew in. Prime Minister Sharif then spoke.",
        &[
            ("Shehbaz Sharif", "sharif", "name"),
            ("Prime Minister Sharif", "sharif", "partial")
        ]
    );
    r!(
        acronym_defined_in_text,
        "The Pakistan Cricket Board (PCB) met. The PCB said yes; PCBs no.",
        &[
            ("Pakistan Cricket Board", "pcb", "name"),
            ("PCB", "pcb", "acronym"),
            ("PCB", "pcb", "acronym"),
        ]
    );
    r!(
        acronym_must_fit_initials,
        "The Pakistan Cricket Board (PTI) met. PTI said yes.",
        &[("Pakistan Cricket Board", "pcb", "name")]
    );
    r!(
        acronym_with_hyphenated_name,
        "the Tehreek-e-Taliban Pakistan (TTP) struck; the TTP denied it",
        &[
            ("Tehreek-e-Taliban Pakistan", "ttp", "name"),
            ("TTP", "ttp", "acronym"),
            ("TTP", "ttp", "acronym"),
        ]
    );
    r!(
        context_rule_keeps,
        "Georgia and Armenia signed a deal in Tbilisi.",
        &[("Georgia", "GEO", "name")]
    );
    r!(context_rule_drops_near_word, "Atlanta, Georgia saw storms.", &[]);
    r!(
        context_rule_drops_near_entity,
        "In the United States, Georgia voted.",
        &[("United States", "USA", "name")]
    );
    r!(
        context_rule_window,
        &format!("Georgia signed. {} Atlanta won.", "word ".repeat(20)),
        &[("Georgia", "GEO", "name")]
    );
    r!(
        context_rule_not_before_name,
        "Jordan Henderson scored. Jordan agreed.",
        &[("Jordan", "JOR", "name")]
    );
    r!(
        shared_alias_by_country_evidence,
        "The United States said Washington would act.",
        &[
            ("United States", "USA", "name"),
            ("Washington", "city:USA:washington", "name")
        ]
    );
    r!(
        inside_longer_name_dropped,
        "fans of Real Madrid cheered in Madrid.",
        &[("Madrid", "MAD", "name")]
    );
    r!(
        inside_name_not_for_sentence_start,
        "Madrid won. Pakistani fans cheered.",
        &[("Madrid", "MAD", "name"), ("Pakistani", "PAK", "alias")]
    );

    #[test]
    fn shared_alias_alternatives_are_listed() {
        let t = people();
        let tags = t.tag("Washington said.");
        let m = &tags.mentions[0];
        let alts: Vec<&str> = m
            .alternatives
            .iter()
            .map(|&i| t.entities()[i].id.as_str())
            .collect();
        assert_eq!(alts, ["person:washington"]);
    }

    #[test]
    fn inside_names_kept_with_flag() {
        let set = GazetteerSet::from_toml("people.toml", PEOPLE).unwrap();
        let t = Tagger::builder().keep_inside_names(true).build(&set).unwrap();
        let tags = t.tag("fans of Real Madrid cheered");
        assert_eq!(tags.mentions.len(), 1);
        assert!(tags.mentions[0].inside_name);
    }

    #[test]
    fn explain_reports_dropped_candidates() {
        let t = people();
        let e = t.explain(
            "Patel left; fans of Real Madrid; jordan; Atlanta, Georgia",
        );
        let reasons: Vec<(&str, DropReason)> = e
            .dropped
            .iter()
            .map(|d| (t.entities()[d.entity].id.as_str(), d.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                ("patel", DropReason::Unresolved),
                ("MAD", DropReason::InsideName),
                ("JOR", DropReason::Case),
                ("GEO", DropReason::Context),
            ]
        );
        assert!(e.tags.mentions.is_empty());
    }
}
