//! Topic scoring: weighted keyword and entity evidence, normalised for
//! document length, rolled up to broader topics.
//!
//! For each topic, every distinct piece of evidence `e` found `n_e` times
//! contributes `w_e × (1 + ln n_e)`: the first occurrence counts fully,
//! repeats add less and less. A topic's evidence includes that of its
//! descendants (`parent`), so `elections` evidence also counts for
//! `politics`. An `ambiguous` keyword counts only when the topic has other
//! evidence in the document: an unambiguous piece, or a second ambiguous
//! one (`court` alone is nothing; `court` and `verdict` are law).
//!
//! The sum is divided by the length factor
//! `max(0.5, sqrt(words / 250))` ([`length_factor`]): a 250-word story is
//! the unit, a long feature needs proportionally more evidence, and a
//! headline of up to 62 words counts double, so one ordinary keyword
//! (weight 1) reaches the default threshold 2.0. A topic is assigned when
//! its score reaches its `threshold`; in a document longer than
//! [`SHORT_WORDS`] words it also needs `min_evidence` distinct keywords or
//! entities (default 2), so no single word labels a long document.
//!
//! Topics are ranked by score, then by distinct evidence, then broader
//! before narrower, then by id. The first is the document's top topic. A
//! further topic outside the top topic's family is kept only when it has at
//! least [`SECONDARY_SHARE`] of the top score, so a single stray word does
//! not add a label to a document full of another topic's vocabulary.

use crate::compile::Tagger;
use crate::record::{Evidence, EvidenceSource, Mention, TopicLabel};

/// The length, in words, of the unit document (length factor 1).
pub const LENGTH_NORM_WORDS: f64 = 250.0;

/// Documents up to this many words are short items: one piece of evidence
/// may label them.
pub const SHORT_WORDS: usize = 100;

/// A topic outside the top topic's family needs this share of its score.
pub const SECONDARY_SHARE: f64 = 0.25;

/// Marks an entity (not a keyword) in the evidence key.
const ENTITY_BIT: u64 = 1 << 63;

/// The length factor for a document of `words` words.
pub fn length_factor(words: usize) -> f64 {
    (words as f64 / LENGTH_NORM_WORDS).sqrt().max(0.5)
}

/// One piece of evidence for a topic, before grouping.
#[derive(Clone, Copy)]
struct Hit {
    topic: u32,
    /// `ENTITY_BIT | entity`, or `origin topic << 32 | keyword`.
    key: u64,
}

/// Scores every topic with evidence in the document; returns those that are
/// assigned, best first.
pub(crate) fn score(
    tagger: &Tagger,
    mentions: &[Mention],
    keyword_hits: &[(u32, u32)],
    words: usize,
) -> Vec<TopicLabel> {
    let mut hits: Vec<Hit> = Vec::with_capacity(keyword_hits.len() * 2);
    for &(topic, keyword) in keyword_hits {
        let key = u64::from(topic) << 32 | u64::from(keyword);
        hits.push(Hit { topic, key });
        for &a in tagger.topic_ancestors(topic as usize) {
            hits.push(Hit { topic: a, key });
        }
    }
    for m in mentions {
        for &(topic, _) in tagger.entity_topics(m.entity) {
            hits.push(Hit { topic, key: ENTITY_BIT | m.entity as u64 });
        }
    }
    if hits.is_empty() {
        return Vec::new();
    }
    hits.sort_unstable_by_key(|h| (h.topic, h.key));
    let factor = length_factor(words);
    let topics = tagger.topics();
    let mut labels = Vec::new();
    let mut evidence: Vec<(Evidence, bool)> = Vec::new();
    let mut i = 0;
    while i < hits.len() {
        let topic = hits[i].topic;
        let t = &topics[topic as usize];
        evidence.clear();
        while i < hits.len() && hits[i].topic == topic {
            let key = hits[i].key;
            let mut n = 0u32;
            while i < hits.len()
                && hits[i].topic == topic
                && hits[i].key == key
            {
                n += 1;
                i += 1;
            }
            let (source, weight, ambiguous) = if key & ENTITY_BIT != 0 {
                let e = (key & !ENTITY_BIT) as usize;
                let w = tagger
                    .entity_topics(e)
                    .iter()
                    .find(|x| x.0 == topic)
                    .map_or(0.0, |x| x.1);
                (EvidenceSource::Entity(e), w, false)
            } else {
                let origin = (key >> 32) as usize;
                let keyword = (key & u64::from(u32::MAX)) as usize;
                let k = &topics[origin].keywords[keyword];
                (
                    EvidenceSource::Keyword { topic: origin, keyword },
                    k.weight,
                    k.ambiguous,
                )
            };
            let contribution = weight * (1.0 + f64::from(n).ln());
            evidence.push((
                Evidence { source, count: n, contribution },
                ambiguous,
            ));
        }
        // Ambiguous terms count only beside other evidence of the topic:
        // an unambiguous piece, or a second ambiguous one.
        if evidence.len() < 2 && !evidence.iter().any(|e| !e.1) {
            continue;
        }
        let raw: f64 = evidence.iter().map(|e| e.0.contribution).sum();
        let score = raw / factor;
        let enough =
            words <= SHORT_WORDS || evidence.len() >= t.min_evidence as usize;
        if score >= t.threshold && enough {
            let mut ev: Vec<Evidence> =
                evidence.iter().map(|e| e.0.clone()).collect();
            ev.sort_by(|a, b| {
                b.contribution
                    .total_cmp(&a.contribution)
                    .then(a.source.cmp(&b.source))
            });
            labels.push(TopicLabel {
                topic: topic as usize,
                score,
                evidence: ev,
            });
        }
    }
    let depth = |n: usize| tagger.topic_ancestors(n).len();
    labels.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.evidence.len().cmp(&a.evidence.len()))
            .then_with(|| depth(a.topic).cmp(&depth(b.topic)))
            .then_with(|| topics[a.topic].id.cmp(&topics[b.topic].id))
    });
    if let Some(top) = labels.first() {
        let (top_topic, floor) = (top.topic, top.score * SECONDARY_SHARE);
        let family = |n: usize| {
            n == top_topic
                || tagger.topic_ancestors(n).contains(&(top_topic as u32))
                || tagger.topic_ancestors(top_topic).contains(&(n as u32))
        };
        labels.retain(|l| l.score >= floor || family(l.topic));
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GazetteerSet;

    const SRC: &str = r#"
[[entity]]
id = "ttp"
name = "Tehreek-e-Taliban Pakistan"
type = "organization"
aliases = ["TTP"]

[[entity]]
id = "imf"
name = "International Monetary Fund"
type = "organization"
aliases = ["IMF"]

[[topic]]
id = "crime"
name = "Crime"
keywords = ["arrested", {term = "court", ambiguous = true}]
entities = [{id = "ttp", weight = 0.5}]

[[topic]]
id = "terrorism"
name = "Terrorism"
parent = "crime"
keywords = ["terrorism", "terrorist", "militants", {term = "suicide bombing", weight = 3}]
entities = ["ttp"]

[[topic]]
id = "economy"
name = "Economy"
keywords = ["loan", "inflation", "bailout", "economy", {term = "charges", ambiguous = true}]
entities = [{id = "imf", weight = 2}]

[[topic]]
id = "sport"
name = "Sport"
keywords = ["wickets", "bowlers", "Test", "innings", {term = "court", ambiguous = true},
  {term = "serve", ambiguous = true}]
"#;

    fn tagger() -> Tagger {
        Tagger::new(&GazetteerSet::from_toml("t.toml", SRC).unwrap()).unwrap()
    }

    /// (topic id, score rounded to 3 places, pieces of evidence), best
    /// first.
    fn labels(text: &str) -> Vec<(String, f64, usize)> {
        let t = tagger();
        t.tag(text)
            .topics
            .iter()
            .map(|l| {
                (
                    t.topics()[l.topic].id.clone(),
                    (l.score * 1000.0).round() / 1000.0,
                    l.evidence.len(),
                )
            })
            .collect()
    }

    fn ids(text: &str) -> Vec<String> {
        labels(text).into_iter().map(|l| l.0).collect()
    }

    #[test]
    fn keywords_and_entities_score_and_roll_up() {
        // 7 words: factor 0.5. terrorism x2 -> 1 + ln 2; TTP -> 1;
        // militants -> 1. The parent `crime` gets the same evidence, with
        // TTP at its larger (child's) weight, and ranks first as the
        // broader topic.
        let got =
            labels("The TTP militants claimed terrorism; terrorism again.");
        assert_eq!(
            got,
            vec![
                ("crime".to_string(), 7.386, 3),
                ("terrorism".to_string(), 7.386, 3)
            ]
        );
    }

    #[test]
    fn one_keyword_labels_a_short_item_not_a_long_document() {
        assert_eq!(
            ids("Police said terrorism was suspected."),
            ["crime", "terrorism"]
        );
        // 400 words: two pieces of evidence are needed, and repeats alone
        // do not make two.
        let long =
            format!("{} {}", "terrorism ".repeat(10), "word ".repeat(390));
        assert!(labels(&long).is_empty());
        let long = format!(
            "{} {}",
            "terrorism militants ".repeat(5),
            "word ".repeat(390)
        );
        assert_eq!(ids(&long), ["crime", "terrorism"]);
    }

    #[test]
    fn ambiguous_terms_need_support() {
        // `court` alone is neither crime nor sport.
        assert!(labels("The court was busy on Monday.").is_empty());
        // With an unambiguous crime word it counts for crime only.
        assert_eq!(
            labels("He was arrested and taken to court."),
            vec![("crime".to_string(), 4.0, 2)]
        );
        // With a sport word it counts for sport.
        assert_eq!(ids("The bowlers left the court."), ["sport"]);
        assert!(labels("The charges were dropped.").is_empty());
        // Two ambiguous terms of one topic support each other.
        assert_eq!(ids("Her serve hit the court."), ["sport"]);
    }

    #[test]
    fn cricket_and_imf_are_not_terrorism() {
        assert_eq!(
            ids(
                "The bowlers took nine wickets as the Test ended; a Pakistani attack."
            ),
            ["sport"]
        );
        assert_eq!(
            ids("The IMF approved a loan as inflation eased."),
            ["economy"]
        );
        // smart case: "test" in lower case is not the cricket Test
        assert_eq!(
            labels("a test of the bowlers"),
            vec![("sport".to_string(), 2.0, 1)]
        );
    }

    #[test]
    fn a_stray_word_does_not_add_a_label() {
        // Economy: IMF 2 + loan + inflation + bailout + economy = 6, x2 for
        // the short text = 12; one crime word scores 2 < 12 / 4.
        let text = "The IMF loan, the bailout, inflation and the economy; \
                    one man arrested.";
        assert_eq!(ids(text), ["economy"]);
        // A second topic with enough evidence stays.
        let text = "The IMF loan and the bailout; two men arrested and \
                    militants held over terrorism.";
        assert_eq!(ids(text), ["economy", "crime", "terrorism"]);
    }

    #[test]
    fn long_documents_need_more_evidence() {
        let short = "militants and terrorism";
        assert_eq!(labels(short).len(), 2);
        let long = format!("{short} {}", "word ".repeat(2000));
        assert!(labels(&long).is_empty());
        assert_eq!(length_factor(10), 0.5);
        assert_eq!(length_factor(250), 1.0);
        assert_eq!(length_factor(1000), 2.0);
    }
}
