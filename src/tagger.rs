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

use std::cmp::Reverse;

use rayon::prelude::*;

use crate::compile::{Tagger, TaggerBuilder};
use crate::error::Result;
use crate::focus::{self, Focus};
use crate::gazetteer::GazetteerSet;
use crate::normalize::Normalized;
use crate::record::{Dropped, Explanation, Mention, Tags};
use crate::resolve;
use crate::search::Starts;
use crate::select::{self, Cand};
use crate::topics;

/// Documents at least this long (in bytes) are folded and searched in
/// pieces on every thread of the current rayon pool. (Smaller in unit
/// tests, so that they cross many piece boundaries quickly.)
const PARALLEL_MIN_BYTES: usize = if cfg!(test) { 64 << 10 } else { 4 << 20 };

/// The size of those pieces.
const PARALLEL_CHUNK_BYTES: usize = if cfg!(test) { 4 << 10 } else { 1 << 20 };

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

/// Fills in character offsets and returns the document's character count.
fn set_char_offsets(text: &str, mentions: &mut [Mention]) -> usize {
    if text.is_ascii() {
        for m in mentions.iter_mut() {
            m.char_start = m.start;
            m.char_end = m.end;
            m.enclosing_chars = m.enclosing;
        }
        return text.len();
    }
    let mut points: Vec<usize> = Vec::with_capacity(mentions.len() * 2 + 1);
    for m in mentions.iter() {
        points.push(m.start);
        points.push(m.end);
        if let Some((s, e)) = m.enclosing {
            points.push(s);
            points.push(e);
        }
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
        m.enclosing_chars = m.enclosing.map(|(s, e)| (at(s), at(e)));
    }
    chars
}

/// Counts the characters of valid UTF-8 bytes: every byte that is not a
/// continuation byte starts one.
#[inline]
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
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

    /// The country focus of a document tagged by this tagger: every
    /// country with evidence, scored, and the main ones (see
    /// [`focus`](crate::focus)).
    pub fn focus<'a>(&'a self, text: &str, tags: &Tags) -> Focus<'a> {
        focus::focus(self.entities(), &tags.mentions, text)
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
            select::candidates(self, text, norm, all, which, cands, &mut drop);
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
                    select::candidates(
                        self,
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
        select::check_candidates(self, text, cands, &mut drop);

        let selected = select::select(self, text, cands, &mut drop);
        let (mut mentions, keyword_hits) = selected;
        resolve::towns_in_states(self, text, &mut mentions, &mut drop);
        resolve::bodies_of_other_countries(
            self,
            text,
            &mut mentions,
            &mut drop,
        );
        if self.opts.resolve_acronyms {
            resolve::defined_acronyms(text, &mut mentions);
        }
        let chars = set_char_offsets(text, &mut mentions);
        let words = norm.words();
        let topics = topics::score(self, &mentions, &keyword_hits, words);
        Tags { mentions, topics, words, chars }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::fold_eq;
    use crate::record::DropReason;
    use crate::search::AutomatonKind;

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

    // --- forms: acronyms, former names, demonyms -------------------------

    const FORMS: &str = r#"
[domain]
type = "country"

[[entity]]
id = "MMR"
name = "Myanmar"
former_names = ["Burma"]
demonyms = ["Burmese"]

[[entity]]
id = "USA"
name = "United States"
aliases = ["America"]
acronyms = ["US", "U.S."]
demonyms = ["American", "Americans"]

[[entity]]
id = "SUHH"
name = "Soviet Union"
acronyms = ["USSR"]
demonyms = ["Soviet", "Soviets"]
[entity.attributes]
status = "former"
period = "1922-1991"
successors = "RUS|UKR"

[[entity]]
id = "GEO"
name = "Georgia"
demonyms = ["Georgian", "Georgians"]

[[entity]]
id = "lang:georgian"
name = "Georgian"
type = "language"

[[entity]]
id = "pcb"
name = "Pakistan Cricket Board"
type = "organization"
"#;

    /// `(text, entity id, via)` of each mention, the same for every
    /// automaton kind.
    fn via_of(text: &str) -> Vec<(String, String, &'static str)> {
        let set = GazetteerSet::from_toml("forms.toml", FORMS).unwrap();
        let mut got = None;
        for kind in KINDS {
            let t = Tagger::builder().automaton(kind).build(&set).unwrap();
            let tags = t.tag(text);
            let found: Vec<_> = tags
                .mentions
                .iter()
                .map(|m| {
                    (
                        text[m.start..m.end].to_string(),
                        t.entities()[m.entity].id.clone(),
                        m.via.as_str(),
                    )
                })
                .collect();
            assert_eq!(t.explain(text).tags, tags, "{kind:?}");
            assert!(got.is_none_or(|g| g == found), "{kind:?}");
            got = Some(found);
        }
        got.unwrap()
    }

    macro_rules! v {
        ($name:ident, $text:expr, $want:expr) => {
            #[test]
            fn $name() {
                let want: Vec<(String, String, &str)> = $want
                    .iter()
                    .map(|&(a, b, c): &(&str, &str, &str)| {
                        (a.to_string(), b.to_string(), c)
                    })
                    .collect();
                assert_eq!(via_of($text), want, "text: {:?}", $text);
            }
        };
    }

    v!(
        via_former_name,
        "Burma, now Myanmar, voted.",
        &[("Burma", "MMR", "former"), ("Myanmar", "MMR", "name")]
    );
    v!(
        via_demonym_singular_and_plural,
        "Burmese and American troops; Americans left.",
        &[
            ("Burmese", "MMR", "demonym"),
            ("American", "USA", "demonym"),
            ("Americans", "USA", "demonym")
        ]
    );
    v!(
        via_abbreviation_with_and_without_dots,
        "US and U.S. envoys went to America.",
        &[
            ("US", "USA", "abbreviation"),
            ("U.S.", "USA", "abbreviation"),
            ("America", "USA", "alias")
        ]
    );
    // Acronyms keep the smart case rule of aliases: `us` is no country.
    v!(via_abbreviation_case_rule, "Tell us more.", &[]);
    // So do demonyms: a capital in the name needs one in the text.
    v!(via_demonym_case_rule, "a soviet of workers", &[]);
    v!(
        via_former_country,
        "The USSR, the Soviet Union; Soviet tanks.",
        &[
            ("USSR", "SUHH", "abbreviation"),
            ("Soviet Union", "SUHH", "name"),
            ("Soviet", "SUHH", "demonym")
        ]
    );
    // The longer-name check applies to every form of a place.
    v!(via_demonym_inside_a_name, "the Supreme Soviet met", &[]);
    // A name beats a demonym of another entity at the same span.
    v!(
        via_name_beats_demonym,
        "Georgian is hard to learn.",
        &[("Georgian", "lang:georgian", "name")]
    );
    // An acronym defined in the text keeps via = acronym.
    v!(
        via_acronym_defined_in_text,
        "The Pakistan Cricket Board (PCB) met; the PCB said no.",
        &[
            ("Pakistan Cricket Board", "pcb", "name"),
            ("PCB", "pcb", "acronym"),
            ("PCB", "pcb", "acronym")
        ]
    );

    #[test]
    fn forms_are_listed_with_how_they_are_found() {
        let set = GazetteerSet::from_toml("forms.toml", FORMS).unwrap();
        let usa = &set.entities()[1];
        let forms: Vec<(&str, &str)> =
            usa.forms().map(|(n, via)| (n, via.as_str())).collect();
        assert_eq!(
            forms,
            [
                ("United States", "name"),
                ("America", "alias"),
                ("US", "abbreviation"),
                ("U.S.", "abbreviation"),
                ("American", "demonym"),
                ("Americans", "demonym"),
            ]
        );
        let t = Tagger::new(&set).unwrap();
        let tags = t.tag("Georgian wine");
        assert_eq!(t.entities()[tags.mentions[0].entity].id, "lang:georgian");
        let alts: Vec<&str> = (tags.mentions[0].alternatives.iter())
            .map(|&a| t.entities()[a].id.as_str())
            .collect();
        assert_eq!(alts, ["GEO"]);
    }

    // --- nested names (`--keep-inside-names`) ----------------------------

    const NESTED: &str = r#"
[[entity]]
id = "navy"
type = "organization"
name = "United States Navy"

[[entity]]
id = "pcb"
type = "organization"
name = "Pakistan Cricket Board"

[[entity]]
id = "sbp"
type = "organization"
name = "State Bank of Pakistan"

[[entity]]
id = "real"
type = "organization"
name = "Real Madrid"

[[entity]]
id = "henderson"
type = "person"
name = "Jordan Henderson"

[[entity]]
id = "USA"
type = "country"
name = "United States"

[[entity]]
id = "PAK"
type = "country"
name = "Pakistan"

[[entity]]
id = "COD"
type = "country"
name = "Democratic Republic of the Congo"

[[entity]]
id = "COG"
type = "country"
name = "Congo"

[[entity]]
id = "JOR"
type = "country"
name = "Jordan"

[[entity]]
id = "MAD"
type = "city"
name = "Madrid"

[[entity]]
id = "SEV"
type = "city"
name = "Sevilla"
"#;

    /// `(text, keep inside names, overlapping, [(mention text, entity id,
    /// inside_name, enclosing text)])`.
    type NestedCase = (
        &'static str,
        bool,
        bool,
        &'static [(&'static str, &'static str, bool, &'static str)],
    );

    const NESTED_CASES: &[NestedCase] = &[
        // A country inside a known organisation: only with the option.
        (
            "the United States Navy said",
            false,
            false,
            &[("United States Navy", "navy", false, "")],
        ),
        (
            "the United States Navy said",
            true,
            false,
            &[
                ("United States Navy", "navy", false, ""),
                ("United States", "USA", true, "United States Navy"),
            ],
        ),
        (
            "The Pakistan Cricket Board met.",
            false,
            false,
            &[("Pakistan Cricket Board", "pcb", false, "")],
        ),
        (
            "The Pakistan Cricket Board met.",
            true,
            false,
            &[
                ("Pakistan Cricket Board", "pcb", false, ""),
                ("Pakistan", "PAK", true, "Pakistan Cricket Board"),
            ],
        ),
        // Inside, not only at the start.
        (
            "the State Bank of Pakistan said",
            true,
            false,
            &[
                ("State Bank of Pakistan", "sbp", false, ""),
                ("Pakistan", "PAK", true, "State Bank of Pakistan"),
            ],
        ),
        // A known club, and an unknown name (the capitalised run).
        (
            "Real Madrid beat Sevilla.",
            true,
            false,
            &[
                ("Real Madrid", "real", false, ""),
                ("Madrid", "MAD", true, "Real Madrid"),
                ("Sevilla", "SEV", false, ""),
            ],
        ),
        (
            "fans of Real Madrid cheered",
            false,
            false,
            &[("Real Madrid", "real", false, "")],
        ),
        ("fans of Atletico Madrid cheered", false, false, &[]),
        (
            "fans of Atletico Madrid cheered",
            true,
            false,
            &[("Madrid", "MAD", true, "Atletico Madrid")],
        ),
        (
            "He spoke on Radio Pakistan today",
            true,
            false,
            &[("Pakistan", "PAK", true, "Radio Pakistan")],
        ),
        // A place inside another place's name, or a person's, is not kept.
        (
            "the Democratic Republic of the Congo said",
            true,
            false,
            &[("Democratic Republic of the Congo", "COD", false, "")],
        ),
        (
            "Jordan Henderson scored",
            true,
            false,
            &[("Jordan Henderson", "henderson", false, "")],
        ),
        // With `--overlapping` every candidate is reported; the option
        // marks the nested places and gives their enclosing name.
        (
            "the United States Navy said",
            false,
            true,
            &[
                ("United States Navy", "navy", false, ""),
                ("United States", "USA", false, ""),
            ],
        ),
        (
            "the United States Navy said",
            true,
            true,
            &[
                ("United States Navy", "navy", false, ""),
                ("United States", "USA", true, "United States Navy"),
            ],
        ),
        // ... but a place inside another place's name stays unmarked.
        (
            "the Democratic Republic of the Congo said",
            true,
            true,
            &[
                ("Democratic Republic of the Congo", "COD", false, ""),
                ("Congo", "COG", false, ""),
            ],
        ),
        // Offsets are characters: the enclosing span too.
        (
            "Für die United States Navy",
            true,
            false,
            &[
                ("United States Navy", "navy", false, ""),
                ("United States", "USA", true, "United States Navy"),
            ],
        ),
    ];

    #[test]
    fn nested_names_table() {
        let set = GazetteerSet::from_toml("nested.toml", NESTED).unwrap();
        for &(text, keep, overlapping, want) in NESTED_CASES {
            let t = Tagger::builder()
                .keep_inside_names(keep)
                .overlapping(overlapping)
                .build(&set)
                .unwrap();
            let chars: Vec<char> = text.chars().collect();
            let slice =
                |s: usize, e: usize| chars[s..e].iter().collect::<String>();
            let tags = t.tag(text);
            let got: Vec<(String, &str, bool, String)> = tags
                .mentions
                .iter()
                .map(|m| {
                    assert_eq!(
                        m.enclosing.is_some(),
                        m.enclosing_chars.is_some()
                    );
                    let enclosing =
                        m.enclosing.map_or(String::new(), |(s, e)| {
                            let by_chars = m.enclosing_chars.unwrap();
                            let by_chars = slice(by_chars.0, by_chars.1);
                            assert_eq!(by_chars, &text[s..e], "{text:?}");
                            by_chars
                        });
                    (
                        slice(m.char_start, m.char_end),
                        t.entities()[m.entity].id.as_str(),
                        m.inside_name,
                        enclosing,
                    )
                })
                .collect();
            let want: Vec<(String, &str, bool, String)> = want
                .iter()
                .map(|&(a, b, c, d)| (a.to_string(), b, c, d.to_string()))
                .collect();
            assert_eq!(
                got, want,
                "{text:?} keep={keep} overlap={overlapping}"
            );
            // Explaining finds the same.
            assert_eq!(t.explain(text).tags, tags, "{text:?}");
        }
    }
}
