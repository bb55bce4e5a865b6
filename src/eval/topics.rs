//! Scoring topic labels against labelled documents (`gaztag eval
//! --topics`).
//!
//! The gold file is JSON Lines: `id`, `text` and a label field holding a
//! topic id or an IPTC Media Topics code (`medtop:...`), or null for a
//! document whose label has no counterpart (kept: never right or wrong,
//! but what is predicted for it counts against precision). Predicted
//! topics are rolled up to the gold scheme: a topic's `iptc` attribute,
//! then up the IPTC tree to the nearest code that is a gold label (or to
//! the top level).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::BufRead;
use std::path::Path;

use rayon::prelude::*;

use crate::compile::Tagger;
use crate::error::{Error, Result};
use crate::tagger::Scratch;

/// The IPTC Media Topics tree (CC-BY-4.0, IPTC; `tools/gen_iptc_tree.py`).
const IPTC: &str = include_str!("../../data/iptc_mediatopics.tsv");

/// One labelled document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicGold {
    /// Its id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// Its label, or `None` when it has no counterpart.
    pub label: Option<String>,
}

/// Reads labelled documents from JSON Lines.
///
/// # Errors
/// An unreadable file, or a line that is not an object with a string
/// `text` (the error names the line).
pub fn read_topic_gold(
    path: &Path,
    reader: impl BufRead,
    label_field: &str,
) -> Result<Vec<TopicGold>> {
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let n = i as u64 + 1;
        let line =
            line.map_err(|e| Error::input(path, Some(n), e.to_string()))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| {
                Error::input(path, Some(n), format!("invalid JSON: {e}"))
            })?;
        let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
            return Err(Error::input(path, Some(n), "no string `text` field"));
        };
        let id = match v.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) if !other.is_null() => other.to_string(),
            _ => format!("{}:{n}", path.display()),
        };
        let label = match v.get(label_field) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) if s.is_empty() => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        };
        out.push(TopicGold { id, text: text.to_string(), label });
    }
    Ok(out)
}

/// The broader code of each IPTC code.
fn iptc_broader() -> HashMap<&'static str, String> {
    IPTC.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            let code = f.next()?;
            // The tree writes broader codes without their `medtop:` scheme.
            let broader = match f.next().unwrap_or("") {
                "" => String::new(),
                b if b.contains(':') => b.to_string(),
                b => format!("medtop:{b}"),
            };
            Some((code, broader))
        })
        .collect()
}

/// The scores of a topic evaluation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TopicReport {
    /// Documents read.
    pub documents: usize,
    /// Documents with a gold label.
    pub labelled: usize,
    /// Labelled documents given at least one topic.
    pub covered: usize,
    /// Labelled documents whose top-ranked topic is the gold label.
    pub top1: usize,
    /// Labelled documents with the gold label at any rank.
    pub any_rank: usize,
    /// Per label (gold or predicted): (true positives, false positives,
    /// false negatives) of the top-ranked topic.
    pub per_label: BTreeMap<String, (usize, usize, usize)>,
    /// (gold, top-ranked prediction) -> documents; `(none)` for no topic,
    /// `(unlabelled)` for no gold label.
    pub confusion: BTreeMap<(String, String), usize>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

impl TopicReport {
    /// Precision, recall and F1 of `label`.
    pub fn prf(&self, label: &str) -> (f64, f64, f64) {
        let (tp, fp, fn_) =
            self.per_label.get(label).copied().unwrap_or_default();
        let p = ratio(tp, tp + fp);
        let r = ratio(tp, tp + fn_);
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }

    /// The gold labels, sorted.
    pub fn gold_labels(&self) -> Vec<&str> {
        self.per_label
            .iter()
            .filter(|(_, (tp, _, fn_))| tp + fn_ > 0)
            .map(|(l, _)| l.as_str())
            .collect()
    }

    /// The mean F1 over the gold labels.
    pub fn macro_f1(&self) -> f64 {
        let labels = self.gold_labels();
        let sum: f64 = labels.iter().map(|l| self.prf(l).2).sum();
        ratio(1, 1)
            * if labels.is_empty() { 0.0 } else { sum / labels.len() as f64 }
    }

    /// Coverage, top-1 and any-rank accuracy over labelled documents.
    pub fn rates(&self) -> (f64, f64, f64) {
        (
            ratio(self.covered, self.labelled),
            ratio(self.top1, self.labelled),
            ratio(self.any_rank, self.labelled),
        )
    }
}

/// Tags the documents and scores their topics against the gold labels.
pub fn evaluate_topics(tagger: &Tagger, gold: &[TopicGold]) -> TopicReport {
    let broader = iptc_broader();
    let labels: BTreeSet<&str> =
        gold.iter().filter_map(|g| g.label.as_deref()).collect();
    let topics = tagger.topics();
    // A predicted topic in the gold scheme: its id when the gold uses
    // topic ids; else its IPTC code rolled up to the nearest gold label or
    // to the top level.
    let scheme = |topic: usize| -> String {
        let t = &topics[topic];
        if labels.contains(t.id.as_str()) {
            return t.id.clone();
        }
        let Some(mut code) = t.attributes.get("iptc").map(String::as_str)
        else {
            return t.id.clone();
        };
        loop {
            if labels.contains(code) {
                return code.to_string();
            }
            match broader.get(code) {
                Some(b) if !b.is_empty() => code = b.as_str(),
                _ => return code.to_string(),
            }
        }
    };
    let predicted: Vec<Vec<String>> = gold
        .par_iter()
        .map_init(Scratch::new, |scratch, g| {
            let tags = tagger.tag_with(scratch, &g.text);
            let mut seen = Vec::new();
            for l in &tags.topics {
                let s = scheme(l.topic);
                if !seen.contains(&s) {
                    seen.push(s);
                }
            }
            seen
        })
        .collect();
    let mut r =
        TopicReport { documents: gold.len(), ..TopicReport::default() };
    for (g, p) in gold.iter().zip(&predicted) {
        let top = p.first().cloned();
        let pred = top.clone().unwrap_or_else(|| "(none)".into());
        match &g.label {
            None => {
                if let Some(t) = &top {
                    r.per_label.entry(t.clone()).or_default().1 += 1;
                }
                *r.confusion
                    .entry(("(unlabelled)".into(), pred))
                    .or_default() += 1;
            }
            Some(label) => {
                r.labelled += 1;
                r.covered += usize::from(!p.is_empty());
                r.any_rank += usize::from(p.contains(label));
                if top.as_deref() == Some(label.as_str()) {
                    r.top1 += 1;
                    r.per_label.entry(label.clone()).or_default().0 += 1;
                } else {
                    r.per_label.entry(label.clone()).or_default().2 += 1;
                    if let Some(t) = &top {
                        r.per_label.entry(t.clone()).or_default().1 += 1;
                    }
                }
                *r.confusion.entry((label.clone(), pred)).or_default() += 1;
            }
        }
    }
    r
}

/// The label of an IPTC code, for reports (`medtop:04000000` ->
/// `economy, business and finance`); other labels as they are.
pub fn label_name(label: &str) -> String {
    IPTC.lines()
        .find_map(|l| {
            let mut f = l.split('\t');
            (f.next() == Some(label))
                .then(|| f.nth(1).unwrap_or("").to_string())
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GazetteerSet;

    /// A hand-worked example: two topics, one a level-2 IPTC code that
    /// rolls up to its level-1 parent.
    #[test]
    fn hand_worked() {
        let src = r#"
[[topic]]
id = "football"
name = "Football"
keywords = ["goal", "striker", "penalty"]
min_evidence = 1
threshold = 1.0
[topic.attributes]
iptc = "medtop:20001065"

[[topic]]
id = "economy"
name = "Economy"
keywords = ["inflation", "shares", "profit"]
min_evidence = 1
threshold = 1.0
[topic.attributes]
iptc = "medtop:04000000"
"#;
        let t = Tagger::new(&GazetteerSet::from_toml("t.toml", src).unwrap())
            .unwrap();
        let jsonl = r#"{"id": "a", "text": "A late penalty and a goal from the striker.", "iptc": "medtop:15000000"}
{"id": "b", "text": "Inflation rose and shares fell.", "iptc": "medtop:04000000"}
{"id": "c", "text": "Profit fell; the striker scored a goal.", "iptc": "medtop:04000000"}
{"id": "d", "text": "Nothing to see here.", "iptc": "medtop:15000000"}
{"id": "e", "text": "Shares and inflation again.", "iptc": null}
"#;
        let gold =
            read_topic_gold(Path::new("g.jsonl"), jsonl.as_bytes(), "iptc")
                .unwrap();
        let r = evaluate_topics(&t, &gold);
        // football (soccer, medtop:20001065) rolls up two levels to sport
        // (medtop:15000000).
        assert_eq!(
            (r.documents, r.labelled, r.covered, r.top1, r.any_rank),
            (5, 4, 3, 2, 3)
        );
        // sport: a right; d missed. economy: b right; c ranked football
        // first (two keywords against one); e unlabelled but predicted.
        assert_eq!(r.per_label["medtop:15000000"], (1, 1, 1));
        assert_eq!(r.per_label["medtop:04000000"], (1, 1, 1));
        assert_eq!(
            r.confusion[&("medtop:04000000".into(), "medtop:15000000".into())],
            1
        );
        assert_eq!(
            r.confusion[&("medtop:15000000".into(), "(none)".into())],
            1
        );
        assert_eq!(
            r.confusion[&("(unlabelled)".into(), "medtop:04000000".into())],
            1
        );
        let (p, rec, f) = r.prf("medtop:15000000");
        assert_eq!((p, rec, f), (0.5, 0.5, 0.5));
        assert_eq!(r.macro_f1(), 0.5);
        assert_eq!(
            label_name("medtop:04000000"),
            "economy, business and finance"
        );
        let e = read_topic_gold(
            Path::new("g.jsonl"),
            "{\"id\": 1}\n".as_bytes(),
            "iptc",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "g.jsonl:1: no string `text` field");
    }
}
