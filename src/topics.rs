//! Topic scoring: weighted keyword and entity evidence, normalised for
//! document length.
//!
//! For each topic, every distinct piece of evidence `e` found `n_e` times
//! contributes `w_e × (1 + ln n_e)`: the first occurrence counts fully,
//! repeats add less and less. The sum is divided by a length factor
//! `max(1, sqrt(words / 250))`, so a long document needs proportionally more
//! evidence than a short news item. A topic is assigned when its score
//! reaches the topic's `threshold` (default 2.0) and at least `min_evidence`
//! distinct keywords or entities (default 2) were found, so no single word
//! labels a document on its own.

use crate::compile::Tagger;
use crate::record::{Evidence, EvidenceSource, Mention, TopicLabel};

/// Documents up to this many words are not penalised for length.
pub const LENGTH_NORM_WORDS: f64 = 250.0;

/// Marks an entity (not a keyword) in the evidence key.
const ENTITY_BIT: u32 = 1 << 31;

/// The length factor for a document of `words` words.
pub fn length_factor(words: usize) -> f64 {
    (words as f64 / LENGTH_NORM_WORDS).sqrt().max(1.0)
}

/// Scores every topic with evidence in the document; returns those that are
/// assigned, best first (ties by topic id).
pub(crate) fn score(
    tagger: &Tagger,
    mentions: &[Mention],
    keyword_hits: &[(u32, u32)],
    words: usize,
) -> Vec<TopicLabel> {
    let mut hits: Vec<(u32, u32)> = keyword_hits.to_vec();
    for m in mentions {
        for &(topic, _) in tagger.entity_topics(m.entity) {
            hits.push((topic, ENTITY_BIT | m.entity as u32));
        }
    }
    if hits.is_empty() {
        return Vec::new();
    }
    hits.sort_unstable();
    let factor = length_factor(words);
    let topics = tagger.topics();
    let mut labels = Vec::new();
    let mut i = 0;
    while i < hits.len() {
        let topic = hits[i].0;
        let t = &topics[topic as usize];
        let mut evidence = Vec::new();
        let mut raw = 0.0;
        while i < hits.len() && hits[i].0 == topic {
            let key = hits[i].1;
            let mut n = 0u32;
            while i < hits.len() && hits[i] == (topic, key) {
                n += 1;
                i += 1;
            }
            let (source, weight) = if key & ENTITY_BIT != 0 {
                let e = (key & !ENTITY_BIT) as usize;
                let id = &tagger.entities()[e].id;
                let w = t
                    .entities
                    .iter()
                    .filter(|(x, _)| x == id)
                    .map(|(_, w)| *w)
                    .fold(0.0, f64::max);
                (EvidenceSource::Entity(e), w)
            } else {
                (
                    EvidenceSource::Keyword(key as usize),
                    t.keywords[key as usize].weight,
                )
            };
            let contribution = weight * (1.0 + f64::from(n).ln());
            raw += contribution;
            evidence.push(Evidence { source, count: n, contribution });
        }
        let score = raw / factor;
        if score >= t.threshold && evidence.len() >= t.min_evidence as usize {
            evidence.sort_by(|a, b| {
                b.contribution
                    .total_cmp(&a.contribution)
                    .then(a.source.cmp(&b.source))
            });
            labels.push(TopicLabel { topic: topic as usize, score, evidence });
        }
    }
    labels.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| topics[a.topic].id.cmp(&topics[b.topic].id))
    });
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
id = "terrorism"
name = "Terrorism"
keywords = ["terrorism", "terrorist", "militants", {term = "suicide bombing", weight = 3}]
entities = ["ttp"]

[[topic]]
id = "economy"
name = "Economy"
keywords = ["loan", "inflation", "bailout", "economy"]
entities = [{id = "imf", weight = 2}]

[[topic]]
id = "sport"
name = "Sport"
keywords = ["wickets", "bowlers", "Test", "innings"]
"#;

    fn tagger() -> Tagger {
        Tagger::new(&GazetteerSet::from_toml("t.toml", SRC).unwrap()).unwrap()
    }

    fn labels(text: &str) -> Vec<(String, f64)> {
        let t = tagger();
        t.tag(text)
            .topics
            .iter()
            .map(|l| {
                (
                    t.topics()[l.topic].id.clone(),
                    (l.score * 1000.0).round() / 1000.0,
                )
            })
            .collect()
    }

    #[test]
    fn keywords_and_entities_score() {
        // terrorism x2 -> 1 + ln 2; TTP x1 -> 1; militants x1 -> 1
        let got =
            labels("The TTP militants claimed terrorism; terrorism again.");
        assert_eq!(got, vec![("terrorism".to_string(), 3.693)]);
    }

    #[test]
    fn one_piece_of_evidence_is_not_enough() {
        assert!(labels("terrorism terrorism terrorism terrorism").is_empty());
    }

    #[test]
    fn cricket_and_imf_are_not_terrorism() {
        let got = labels(
            "The bowlers took nine wickets as the Test ended; a Pakistani attack.",
        );
        assert_eq!(
            got.iter().map(|l| l.0.as_str()).collect::<Vec<_>>(),
            ["sport"]
        );
        let got = labels("The IMF approved a loan as inflation eased.");
        assert_eq!(
            got.iter().map(|l| l.0.as_str()).collect::<Vec<_>>(),
            ["economy"]
        );
        // smart case: "test" in lower case is not the cricket Test
        assert!(labels("a test of bowlers").is_empty());
    }

    #[test]
    fn long_documents_need_more_evidence() {
        let short = "militants and terrorism";
        assert_eq!(labels(short).len(), 1);
        let long = format!("{short} {}", "word ".repeat(2000));
        assert!(labels(&long).is_empty());
        assert_eq!(length_factor(100), 1.0);
        assert_eq!(length_factor(1000), 2.0);
    }
}
