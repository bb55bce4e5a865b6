//! The country focus of a document: its main countries, decided from every
//! mention that names a country or stands for one.
//!
//! Each mention is rolled up to a country by [`country_of`]: a country is
//! its own id, any other entity (city, region, organisation, official)
//! counts for its `country` attribute; entities without one give nothing.
//! Mentions inside a longer name (`inside_name`, kept by
//! `--keep-inside-names`) and mentions nested in another mention (with
//! `--overlapping`) do not count, so the focus is the same whatever those
//! options.
//!
//! Every distinct entity `e` behind a country, mentioned `n` times, adds
//!
//! ```text
//! weight(type of e) × position(first mention of e) × (1 + ln n) × dateline
//! ```
//!
//! - `weight` ([`type_weight`]): 1.0 for a country (its name, an alias, a
//!   demonym), 0.8 for a sub-national place (`region`, `state`, `province`,
//!   `territory`), 0.7 for a city or other place, 0.5 for anything else
//!   (an organisation, an official, a company);
//! - `position` ([`position_factor`]): 1.5 when the entity is first
//!   mentioned in the first tenth of the text, 0.05 less for each later
//!   tenth, down to 1.05 in the last;
//! - `1 + ln n`: repeated mentions add less and less, as in the topic
//!   scores;
//! - `dateline`: [`DATELINE_FACTOR`] (3) when a mention of the entity is a
//!   place in the document's dateline (see [`datelines`]), else 1.
//!
//! A country's score is the sum over its entities. Countries are ranked by
//! score, then by their earliest mention, then by code, so ties are broken
//! the same way every time. The focus is the best [`FOCUS_MAX`] (3) of
//! those with at least [`FOCUS_SHARE`] (1/3) of the best score.

use std::ops::Range;

use crate::compile::PLACE_TYPES;
use crate::gazetteer::Entity;
use crate::record::Mention;

/// At most this many countries make the focus.
pub const FOCUS_MAX: usize = 3;

/// A country needs this share of the best country's score to be in the
/// focus.
pub const FOCUS_SHARE: f64 = 1.0 / 3.0;

/// A place named in the dateline counts this many times more.
pub const DATELINE_FACTOR: f64 = 3.0;

/// How much more a first mention at the very start of the text weighs
/// than one at the very end (`position` goes from `1 + POSITION_BONUS`
/// down to `1 + POSITION_BONUS / 10`).
pub const POSITION_BONUS: f64 = 0.5;

/// Datelines are looked for in this many first non-empty lines.
pub const DATELINE_LINES: usize = 3;

/// How far (in bytes) after the dateline's first place its dash or
/// parenthesis may come (`ISLAMABAD, March 3 —`, `LONDON (Reuters) -`).
pub const DATELINE_HEAD_BYTES: usize = 60;

/// The country an entity stands for: a country's own id, or the `country`
/// attribute of any other entity (a city, region, organisation, official);
/// `None` when it has neither. This is the roll-up behind both the
/// `all_countries` and the `focus` columns.
pub fn country_of(e: &Entity) -> Option<&str> {
    if e.kind == "country" {
        return Some(e.id.as_str());
    }
    match e.attributes.get("country") {
        Some(c) if !c.is_empty() => Some(c.as_str()),
        _ => None,
    }
}

/// How much a mention of an entity of type `kind` says about its country:
/// a country 1.0, a sub-national place 0.8, a city or other place 0.7,
/// anything else 0.5.
pub fn type_weight(kind: &str) -> f64 {
    let is =
        |names: &[&str]| names.iter().any(|n| kind.eq_ignore_ascii_case(n));
    if is(&["country"]) {
        1.0
    } else if is(&["region", "state", "province", "territory"]) {
        0.8
    } else if is(&["city", "location", "place"]) {
        0.7
    } else {
        0.5
    }
}

/// The position factor of a first mention at byte `start` of a text of
/// `len` bytes: `1 + POSITION_BONUS × (1 − tenth / 10)`, where `tenth`
/// (0 to 9) is the tenth of the text the mention starts in.
pub fn position_factor(start: usize, len: usize) -> f64 {
    let tenth = (start * 10).checked_div(len).unwrap_or(0).min(9);
    1.0 + POSITION_BONUS * (1.0 - tenth as f64 / 10.0)
}

/// One entity's evidence for a country.
#[derive(Clone, Debug, PartialEq)]
pub struct FocusEvidence {
    /// Index of the entity in [`Tagger::entities`](crate::Tagger::entities).
    pub entity: usize,
    /// How many of its mentions counted.
    pub count: u32,
    /// Byte offset of its first counted mention.
    pub first: usize,
    /// [`type_weight`] of its type.
    pub weight: f64,
    /// [`position_factor`] of its first mention.
    pub position: f64,
    /// Whether one of its mentions is in the dateline.
    pub dateline: bool,
    /// `weight × position × (1 + ln count)`, times [`DATELINE_FACTOR`] for
    /// a dateline.
    pub contribution: f64,
}

/// A country with evidence in a document.
#[derive(Clone, Debug, PartialEq)]
pub struct FocusCountry<'a> {
    /// The country code (a country entity's id).
    pub code: &'a str,
    /// The sum of the contributions of its evidence.
    pub score: f64,
    /// Byte offset of its earliest counted mention.
    pub first: usize,
    /// Its evidence, largest contribution first (ties by entity id).
    pub evidence: Vec<FocusEvidence>,
}

/// Every country with evidence in a document, best first; the first
/// [`chosen`](Focus::chosen) of them are its focus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Focus<'a> {
    /// Countries by score, then earliest mention, then code.
    pub countries: Vec<FocusCountry<'a>>,
    /// How many of `countries` (a prefix) make the focus.
    pub chosen: usize,
}

impl<'a> Focus<'a> {
    /// The focus: at most [`FOCUS_MAX`] countries, best first.
    pub fn main(&self) -> &[FocusCountry<'a>] {
        &self.countries[..self.chosen]
    }

    /// The `focus` cell: the codes of [`main`](Focus::main), `|`-separated.
    pub fn cell(&self) -> String {
        let mut out = String::new();
        for (i, c) in self.main().iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            out.push_str(c.code);
        }
        out
    }
}

/// Whether a mention counts: not inside a longer name, and not nested in
/// an earlier mention. `cover` is the furthest end of the mentions before.
fn counts(m: &Mention, cover: usize) -> bool {
    !m.inside_name && m.end > cover
}

/// The byte ranges of the text's datelines. In each of the first
/// [`DATELINE_LINES`] non-empty lines, a dateline is a place mention
/// (of type `country`, `city`, `region`, `state`, `province`,
/// `territory`, `location` or `place`) that starts the line (after spaces), is
/// followed (after spaces) by `,`, `(`, `/` or a dash, and either is
/// written in capitals (`ISLAMABAD`), or starts the text's first
/// non-empty line, or has a dash after it within
/// [`DATELINE_HEAD_BYTES`] on the line (`Islamabad, March 3 —`). The
/// range runs from the place to that dash or to a `(` within the same
/// distance (so `WASHINGTON/BEIJING (Reuters) -` and `ATLANTA, Ga. —`
/// hold two places), else to the end of the place.
///
/// `mentions` are in document order; only those that count are looked at.
pub fn datelines(
    entities: &[Entity],
    mentions: &[Mention],
    text: &str,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    let mut seen = 0;
    while seen < DATELINE_LINES && line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let indent = line.len() - line.trim_start().len();
        if line.trim().is_empty() {
            line_start = line_end + 1;
            continue;
        }
        let first_line = seen == 0;
        seen += 1;
        let at = line_start + indent;
        let place = mentions.iter().find(|m| {
            m.start == at
                && !m.inside_name
                && PLACE_TYPES
                    .iter()
                    .any(|t| entities[m.entity].kind.eq_ignore_ascii_case(t))
        });
        if let Some(head) =
            place.and_then(|m| dateline_head(text, m, line_end, first_line))
        {
            out.push(head);
        }
        line_start = line_end + 1;
    }
    out
}

/// The dateline starting with `m`, if `m` opens one (see [`datelines`]).
fn dateline_head(
    text: &str,
    m: &Mention,
    line_end: usize,
    first_line: bool,
) -> Option<Range<usize>> {
    // A mention across a line break opens no dateline.
    let after = text.get(m.end..line_end)?;
    let next = after.trim_start_matches([' ', '\t']).chars().next()?;
    if !matches!(next, ',' | '(' | '/' | '-' | '–' | '—') {
        return None;
    }
    let mut near = (DATELINE_HEAD_BYTES).min(after.len());
    while !after.is_char_boundary(near) {
        near -= 1;
    }
    let near = &after[..near];
    let dash = [" - ", " -- ", "–", "—"]
        .iter()
        .filter_map(|d| near.find(d))
        .min()
        .or_else(|| near.starts_with('-').then_some(0));
    let paren = near.find('(');
    let span = &text[m.start..m.end];
    let capitals = span.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !span.chars().any(char::is_lowercase);
    if !(capitals || first_line || dash.is_some()) {
        return None;
    }
    let end = match (dash, paren) {
        (Some(d), Some(p)) => m.end + d.min(p),
        (Some(x), None) | (None, Some(x)) => m.end + x,
        (None, None) => m.end,
    };
    Some(m.start..end)
}

/// The focus of a document: its countries with their evidence, scored as
/// the module documentation says. `mentions` are a document's mentions
/// in document order ([`Tags::mentions`](crate::Tags::mentions)),
/// `entities` the tagger's.
pub fn focus<'a>(
    entities: &'a [Entity],
    mentions: &[Mention],
    text: &str,
) -> Focus<'a> {
    let heads = datelines(entities, mentions, text);
    // (entity, start, in a dateline) of every mention that counts.
    let mut hits: Vec<(usize, usize, bool)> = Vec::new();
    let mut cover = 0;
    for m in mentions {
        let counted = counts(m, cover);
        cover = cover.max(m.end);
        if !counted || country_of(&entities[m.entity]).is_none() {
            continue;
        }
        let dateline = heads.iter().any(|h| h.contains(&m.start))
            && PLACE_TYPES
                .iter()
                .any(|t| entities[m.entity].kind.eq_ignore_ascii_case(t));
        hits.push((m.entity, m.start, dateline));
    }
    // By entity, first mention first.
    hits.sort_unstable_by_key(|&(e, start, _)| (e, start));
    let mut countries: Vec<FocusCountry<'a>> = Vec::new();
    for group in hits.chunk_by(|a, b| a.0 == b.0) {
        let (entity, first, _) = group[0];
        let e = &entities[entity];
        let Some(code) = country_of(e) else { continue };
        let count = group.len() as u32;
        let dateline = group.iter().any(|h| h.2);
        let weight = type_weight(&e.kind);
        let position = position_factor(first, text.len());
        let mut contribution =
            weight * position * (1.0 + f64::from(count).ln());
        if dateline {
            contribution *= DATELINE_FACTOR;
        }
        let evidence = FocusEvidence {
            entity,
            count,
            first,
            weight,
            position,
            dateline,
            contribution,
        };
        match countries.iter_mut().find(|c| c.code == code) {
            Some(c) => {
                c.first = c.first.min(first);
                c.evidence.push(evidence);
            }
            None => countries.push(FocusCountry {
                code,
                score: 0.0,
                first,
                evidence: vec![evidence],
            }),
        }
    }
    for c in &mut countries {
        c.evidence.sort_by(|a, b| {
            b.contribution.total_cmp(&a.contribution).then_with(|| {
                entities[a.entity].id.cmp(&entities[b.entity].id)
            })
        });
        // Summed in that order, so the score does not depend on entity
        // indices.
        c.score = c.evidence.iter().map(|e| e.contribution).sum();
    }
    countries.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.first.cmp(&b.first))
            .then(a.code.cmp(b.code))
    });
    let top = countries.first().map_or(0.0, |c| c.score);
    let chosen = countries
        .iter()
        .take(FOCUS_MAX)
        .take_while(|c| c.score >= top * FOCUS_SHARE)
        .count();
    Focus { countries, chosen }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GazetteerSet;
    use crate::compile::Tagger;

    const GAZ: &str = r#"
[[entity]]
id = "PAK"
type = "country"
name = "Pakistan"
aliases = ["Pakistani", "PAKISTAN"]

[[entity]]
id = "IND"
type = "country"
name = "India"
aliases = ["Indian"]

[[entity]]
id = "USA"
type = "country"
name = "United States"
aliases = ["US"]

[[entity]]
id = "GBR"
type = "country"
name = "United Kingdom"
aliases = ["Britain"]

[[entity]]
id = "city:PAK:islamabad"
type = "city"
name = "Islamabad"
attributes = { country = "PAK" }

[[entity]]
id = "city:GBR:london"
type = "city"
name = "London"
attributes = { country = "GBR" }

[[entity]]
id = "city:IND:mumbai"
type = "city"
name = "Mumbai"
attributes = { country = "IND" }

[[entity]]
id = "city:USA:atlanta"
type = "city"
name = "Atlanta"
attributes = { country = "USA" }

[[entity]]
id = "region:us-georgia"
type = "region"
name = "Georgia"
attributes = { country = "USA", kind = "us_state", abbreviation = "Ga." }

[[entity]]
id = "person:finance-minister"
type = "person"
name = "Nirmala Example"
attributes = { country = "IND" }

[[entity]]
id = "org:islamabad-board"
type = "organization"
name = "Islamabad Water Board"
attributes = { country = "PAK" }

[[entity]]
id = "org:water-board"
type = "organization"
name = "Water Board"
attributes = { country = "GBR" }

[[entity]]
id = "org:un"
type = "organization"
name = "United Nations"
"#;

    fn tagger() -> Tagger {
        let set = GazetteerSet::from_toml("t.toml", GAZ).unwrap();
        Tagger::new(&set).unwrap()
    }

    /// The focus cell of a text, and every country's score rounded to
    /// two decimals.
    fn run(tagger: &Tagger, text: &str) -> (String, Vec<(String, String)>) {
        let tags = tagger.tag(text);
        let f = focus(tagger.entities(), &tags.mentions, text);
        let scores = f
            .countries
            .iter()
            .map(|c| (c.code.to_string(), format!("{:.2}", c.score)))
            .collect();
        (f.cell(), scores)
    }

    #[test]
    fn table() {
        let tagger = tagger();
        let cases: &[(&str, &str, &str)] = &[
            ("empty document", "", ""),
            ("no places", "Nothing happened here today.", ""),
            ("an entity without a country", "The United Nations met.", ""),
            (
                "a dateline in capitals outweighs later mentions",
                "ISLAMABAD, March 3 — India said on Monday that it wants \
                 talks with India's neighbours.",
                "PAK|IND",
            ),
            (
                "a wire dateline",
                "Headline here\n\nLONDON (Reuters) - The United States \
                 said talks would go on.",
                "GBR|USA",
            ),
            ("a city alone", "Rain fell on Mumbai for a week.", "IND"),
            (
                "an official alone",
                "Nirmala Example presented the budget.",
                "IND",
            ),
            (
                "a tie goes to the earlier mention",
                "Pakistan and India held talks.",
                "PAK|IND",
            ),
            (
                "the same tie the other way",
                "India and Pakistan held talks.",
                "IND|PAK",
            ),
            (
                "a minor country is left out",
                "Pakistan said Pakistan and Pakistani officials met in \
                 Islamabad. Pakistan will host again. Islamabad agreed. \
                 Pakistani papers noted it. Pakistan thanked everyone. \
                 Pakistan and Islamabad are ready. An Indian guest came.",
                "PAK",
            ),
            (
                "city and state roll up to one country",
                "Atlanta, Georgia — Storms hit the city; Pakistan sent \
                 condolences.",
                "USA",
            ),
        ];
        for (what, text, want) in cases {
            let (got, scores) = run(&tagger, text);
            assert_eq!(&got, want, "{what}: {text:?} {scores:?}");
        }
    }

    #[test]
    fn evidence_is_explained() {
        let tagger = tagger();
        let text = "ISLAMABAD, March 3 — Pakistan and India met in \
                    Islamabad. Pakistan spoke first.";
        let tags = tagger.tag(text);
        let f = focus(tagger.entities(), &tags.mentions, text);
        assert_eq!(f.cell(), "PAK");
        let pak = &f.countries[0];
        let ids: Vec<&str> = pak
            .evidence
            .iter()
            .map(|e| tagger.entities()[e.entity].id.as_str())
            .collect();
        assert_eq!(ids, ["city:PAK:islamabad", "PAK"]);
        let city = &pak.evidence[0];
        assert!(city.dateline && city.count == 2 && city.first == 0);
        // 0.7 × 1.5 × (1 + ln 2) × 3
        let want = 0.7 * 1.5 * (1.0 + 2f64.ln()) * 3.0;
        assert!((city.contribution - want).abs() < 1e-12);
        let country = &pak.evidence[1];
        assert!(!country.dateline && country.count == 2);
        assert_eq!(country.weight, 1.0);
        // India has 1.0 × 1.5 against Pakistan's ~7.8: not in the focus.
        assert_eq!(f.countries[1].code, "IND");
        assert_eq!(f.chosen, 1);
    }

    #[test]
    fn datelines_need_a_place_at_a_line_start_and_punctuation() {
        let tagger = tagger();
        fn heads<'t>(tagger: &Tagger, text: &'t str) -> Vec<&'t str> {
            let tags = tagger.tag(text);
            datelines(tagger.entities(), &tags.mentions, text)
                .into_iter()
                .map(|r| &text[r])
                .collect()
        }
        let cases: &[(&str, &[&str])] = &[
            ("ISLAMABAD, March 3 — Talks began.", &["ISLAMABAD, March 3 "]),
            ("LONDON (Reuters) - Talks.", &["LONDON "]),
            ("Islamabad, March 3 — Talks began.", &["Islamabad, March 3 "]),
            ("Islamabad, the capital, is calm.", &["Islamabad"]),
            ("Title\nIslamabad, the capital, is calm.", &[]),
            ("Title\nISLAMABAD, the capital, is calm.", &["ISLAMABAD"]),
            ("Title\nIslamabad, March 3 - Talks.", &["Islamabad, March 3"]),
            ("Islamabad is calm.", &[]),
            ("Talks in Islamabad, March 3 — began.", &[]),
            ("Nirmala Example, March 3 — spoke.", &[]),
            ("a\nb\nc\nISLAMABAD, March 3 — late.", &[]),
            ("", &[]),
            // A name across a line break (the panic of a first draft).
            ("United\nStates, March 3 — x", &[]),
            ("UNITED\r\nSTATES, March 3 — x", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(&heads(&tagger, text), want, "{text:?}");
        }
    }

    #[test]
    fn nested_and_inside_name_mentions_do_not_count() {
        let set = GazetteerSet::from_toml("t.toml", GAZ).unwrap();
        let plain = Tagger::new(&set).unwrap();
        let keep =
            Tagger::builder().keep_inside_names(true).build(&set).unwrap();
        let text = "Mumbai Indians beat Britain. Britain lost.";
        let a = plain.tag(text);
        let b = keep.tag(text);
        assert!(b.mentions.iter().any(|m| m.inside_name));
        assert_eq!(
            focus(plain.entities(), &a.mentions, text),
            focus(keep.entities(), &b.mentions, text)
        );
        // With `--overlapping`, the other board inside the Islamabad
        // board's name is a mention too, but only the enclosing one counts.
        let all = Tagger::builder().overlapping(true).build(&set).unwrap();
        let text = "The Islamabad Water Board met. Britain sent a letter.";
        let a = plain.tag(text);
        let b = all.tag(text);
        // The other board, and the city (next to a candidate, so not
        // inside a name).
        assert_eq!(b.mentions.len(), a.mentions.len() + 2);
        let (fa, fb) = (
            focus(plain.entities(), &a.mentions, text),
            focus(all.entities(), &b.mentions, text),
        );
        assert_eq!(fa, fb);
        // Britain (a country, 1.0 × 1.3) outweighs the board (0.5 × 1.5),
        // and each has one piece of evidence.
        assert_eq!(fa.cell(), "GBR|PAK");
        assert!(fa.countries.iter().all(|c| c.evidence.len() == 1));
    }

    #[test]
    fn weights_and_positions() {
        assert_eq!(type_weight("country"), 1.0);
        assert_eq!(type_weight("Region"), 0.8);
        assert_eq!(type_weight("city"), 0.7);
        assert_eq!(type_weight("organization"), 0.5);
        assert_eq!(type_weight("person"), 0.5);
        let cases = [(0, 0, 1.5), (0, 100, 1.5), (9, 100, 1.5)];
        let cases =
            cases.into_iter().chain([(10, 100, 1.45), (99, 100, 1.05)]);
        for (start, len, want) in cases {
            let got = position_factor(start, len);
            assert!((got - want).abs() < 1e-12, "{start}/{len}: {got}");
        }
    }
}
