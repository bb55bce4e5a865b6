//! Compiling a gazetteer set into a [`Tagger`]: one automaton over every
//! folded name, alias, keyword and context word, and the tables the later
//! steps read (what each pattern stands for, case rules, context rules,
//! evidence groups).

use hashbrown::HashMap;

use crate::error::Result;
use crate::gazetteer::{CaseMode, ContextRule, Entity, GazetteerSet, Topic};
use crate::names;
use crate::normalize::{fold_char, fold_str, is_space};
use crate::record::Via;
use crate::search::{AutomatonKind, Searcher};

/// Entity types that the longer-name check applies to.
pub(crate) const PLACE_TYPES: &[&str] = &[
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
    pub(crate) overlapping: bool,
    pub(crate) kind: AutomatonKind,
    pub(crate) keep_inside_names: bool,
    pub(crate) resolve_partial_names: bool,
    pub(crate) resolve_acronyms: bool,
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

    /// Keep place names found inside a longer name, marked with
    /// [`Mention::inside_name`](crate::Mention::inside_name) and the
    /// longer name's span in [`Mention::enclosing`](crate::Mention::enclosing):
    /// a capitalised name no gazetteer knows (`Minsk` in `Dynamo Minsk`), or
    /// a longer mention of a known non-place, non-person entity, which is
    /// kept too (`United States` in `United States Navy`). Default: `false`
    /// (they are dropped).
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
            for (name, via) in e.forms() {
                add(
                    name,
                    Entry {
                        target,
                        rule: CaseRule::new(name, e.case),
                        via,
                        rules: rules_for(ei, name),
                    },
                );
                // `U.S.` is also found as `U.S`, its last period eaten by
                // a sentence end or a tokeniser.
                if let Some(short) = without_final_period(name) {
                    add(
                        short,
                        Entry {
                            target,
                            rule: CaseRule::new(short, e.case),
                            via,
                            rules: rules_for(ei, name),
                        },
                    );
                }
            }
            is_person[ei] = e.kind.eq_ignore_ascii_case("person");
            if is_person[ei] && self.resolve_partial_names {
                let surname = e.attributes.get("surname").map(String::as_str);
                for partial in names::person_partials(&e.name, surname) {
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

        let topic_ancestors = ancestors(&topics);
        // An entity that is evidence for a topic is evidence for its
        // ancestors too, with the same weight (the largest when listed
        // more than once in a family).
        let mut entity_topics: Vec<Vec<(u32, f64)>> =
            vec![Vec::new(); entities.len()];
        for (ti, t) in topics.iter().enumerate() {
            for (id, w) in &t.entities {
                if let Some(&ei) = ids.get(id.as_str()) {
                    let list = &mut entity_topics[ei];
                    for &topic in std::iter::once(&(ti as u32))
                        .chain(&topic_ancestors[ti])
                    {
                        match list.iter_mut().find(|(x, _)| *x == topic) {
                            Some(e) => e.1 = e.1.max(*w),
                            None => list.push((topic, *w)),
                        }
                    }
                }
            }
        }
        for list in &mut entity_topics {
            list.sort_unstable_by_key(|e| e.0);
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
                let coded = e
                    .attributes
                    .get("iso_3166_2")
                    .is_some_and(|c| !c.is_empty());
                (SUBNATIONAL_KINDS.contains(&kind) || coded)
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
            topic_ancestors,
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
/// half of `<town>, <state>`. Any entity with an `iso_3166_2` attribute (a
/// first-level subdivision: `land`, `prefecture`, `autonomous_community`,
/// ...) counts too.
pub(crate) const SUBNATIONAL_KINDS: &[&str] =
    &["us_state", "state", "province", "territory"];

/// The `kind` attributes of the bodies of a country's state: the
/// organisations that `resolve::bodies_of_other_countries` checks.
pub(crate) const STATE_BODY_KINDS: &[&str] = &[
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
pub(crate) fn compile_rule(
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
pub(crate) struct CompiledRule {
    pub(crate) require_words: Vec<u32>,
    pub(crate) exclude_words: Vec<u32>,
    pub(crate) require_entities: Vec<u32>,
    pub(crate) exclude_entities: Vec<u32>,
    pub(crate) window: Option<usize>,
    pub(crate) not_before_capitalized: bool,
}

/// What a pattern stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    /// A name or alias of entity `n`.
    Entity(u32),
    /// A partial name (surname, first + last) of person `n`.
    Partial(u32),
    /// Keyword `keyword` of topic `topic`.
    Keyword { topic: u32, keyword: u32 },
    /// Context word `n` of some context rule.
    Word(u32),
}

/// One meaning of a pattern: its target and the case rule of the alias it
/// came from (two aliases that fold alike may differ in case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) target: Target,
    pub(crate) rule: CaseRule,
    pub(crate) via: Via,
    /// Context rules that apply to this name.
    pub(crate) rules: Box<[u32]>,
}

/// How the case of a matched text must agree with the alias.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CaseRule {
    /// Any case.
    Ignore,
    /// The first character of the match must be upper case.
    Initial,
    /// The match, folded but with its case kept, equals this.
    Exact(Box<str>),
}

impl CaseRule {
    pub(crate) fn new(alias: &str, mode: CaseMode) -> CaseRule {
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
    pub(crate) fn strictness(&self) -> u8 {
        match self {
            CaseRule::Exact(_) => 0,
            CaseRule::Initial => 1,
            CaseRule::Ignore => 2,
        }
    }

    #[inline]
    pub(crate) fn accepts(&self, span: &str) -> bool {
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
pub(crate) fn fold_eq(span: &str, want: &str) -> bool {
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

/// A compiled set of gazetteers. Cheap to share across threads.
#[derive(Clone, Debug)]
pub struct Tagger {
    pub(crate) searcher: Searcher,
    pub(crate) patterns: usize,
    /// `entries[entry_starts[p]..entry_starts[p + 1]]` are pattern p's.
    pub(crate) entry_starts: Vec<u32>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) entities: Vec<Entity>,
    pub(crate) topics: Vec<Topic>,
    /// For each topic, its parent, the parent's parent and so on.
    pub(crate) topic_ancestors: Vec<Vec<u32>>,
    /// For each entity, the topics it is evidence for (their ancestors
    /// included), with weights, by topic.
    pub(crate) entity_topics: Vec<Vec<(u32, f64)>>,
    pub(crate) rules: Vec<CompiledRule>,
    /// For each entity, its country group (for shared-alias evidence).
    pub(crate) country_group: Vec<Option<u32>>,
    /// For each entity, its domain as a number.
    pub(crate) domain_group: Vec<u32>,
    pub(crate) is_place: Vec<bool>,
    pub(crate) is_person: Vec<bool>,
    /// For each entity, whether it is a state, province or territory of a
    /// country (its `kind` attribute), for the `<town>, <state>` rule.
    pub(crate) is_subnational: Vec<bool>,
    /// Postal codes and dateline abbreviations of states and provinces
    /// (their `postal` and `abbreviation` attributes), sorted, with the
    /// entity; a code that several entities share is left out.
    pub(crate) state_codes: Vec<(Box<str>, u32)>,
    /// For each entity, whether it is a body of one country's state (a
    /// ministry, parliament, army, court...: its `kind` attribute) with a
    /// `country` attribute.
    pub(crate) is_state_body: Vec<bool>,
    pub(crate) has_partials: bool,
    pub(crate) opts: TaggerBuilder,
}

impl Tagger {
    /// All entities, indexed by [`Mention::entity`](crate::Mention::entity).
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// All topics, indexed by [`TopicLabel::topic`](crate::TopicLabel::topic).
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

    /// The entity an entry names, if any.
    #[inline]
    pub(crate) fn entity_of(&self, entry: u32) -> Option<usize> {
        match self.entries[entry as usize].target {
            Target::Entity(n) | Target::Partial(n) => Some(n as usize),
            _ => None,
        }
    }

    /// The topics entity `n` is evidence for, ancestors included.
    pub(crate) fn entity_topics(&self, n: usize) -> &[(u32, f64)] {
        &self.entity_topics[n]
    }

    /// Topic `n`'s parent, the parent's parent and so on.
    pub fn topic_ancestors(&self, n: usize) -> &[u32] {
        &self.topic_ancestors[n]
    }
}

/// For each topic, the indices of its ancestors, nearest first. The loader
/// refuses unknown parents and cycles; a chain is cut anyway at the first
/// repeat, so a set built by hand cannot loop.
fn ancestors(topics: &[Topic]) -> Vec<Vec<u32>> {
    let index: HashMap<&str, u32> = topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i as u32))
        .collect();
    topics
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut out = Vec::new();
            let mut at = t.parent.as_deref();
            while let Some(&p) = at.and_then(|id| index.get(id)) {
                if p as usize == i || out.contains(&p) {
                    break;
                }
                out.push(p);
                at = topics[p as usize].parent.as_deref();
            }
            out
        })
        .collect()
}

/// A dotted abbreviation of two letters or more (`U.S.`, `U.A.E.`) without
/// its final period (`U.S`); `None` for any other name.
pub(crate) fn without_final_period(name: &str) -> Option<&str> {
    let short = name.strip_suffix('.')?;
    let mut letters = 0;
    for (i, part) in short.split('.').enumerate() {
        let mut chars = part.chars();
        let one_letter = chars.next().is_some_and(char::is_alphabetic)
            && chars.next().is_none();
        if !one_letter {
            return None;
        }
        letters = i + 1;
    }
    (letters >= 2).then_some(short)
}

#[cfg(test)]
mod tests {
    use super::without_final_period as f;

    #[test]
    fn dotted_abbreviations_without_their_last_period() {
        assert_eq!(f("U.S."), Some("U.S"));
        assert_eq!(f("U.A.E."), Some("U.A.E"));
        assert_eq!(f("Jr."), None);
        assert_eq!(f("St."), None);
        assert_eq!(f("U."), None);
        assert_eq!(f("U.S"), None);
        assert_eq!(f("Ph.D."), None);
    }
}
