//! Keyword suggestions from labelled documents (`gaztag suggest`).
//!
//! Given documents that carry a label (a topic id, an IPTC code, a
//! category), this module finds the words and two-word phrases that best
//! separate one label's documents from the rest, so that a person can grow
//! a topic's `keywords` list from data instead of from memory.
//!
//! - **Terms.** A document is folded as the tagger folds it (lower case,
//!   accents dropped, see [`fold_str`]) and split into words: maximal
//!   runs of letters and digits in any script. A term is a
//!   word, or two words separated only by white space in the text (so that
//!   the phrase, pasted as a keyword, matches where it was seen). Numbers,
//!   one-letter words and stopwords ([`is_stopword`]) are left out; so is
//!   a phrase that starts or ends with a stopword (`of the`, `the
//!   quarterback`), which the word alone already covers. See [`terms`].
//! - **Counts.** [`LabelledCounts`] counts, for each term, the documents
//!   that contain it (document frequency), overall and per label.
//!   Documents without a label count in the background only: a term common
//!   there is less precise for every label.
//! - **Ranking.** For a label, each term with at least
//!   [`SuggestOptions::min_count`] documents in the label is scored by the
//!   z-score of its smoothed log-odds ratio ([`log_odds_z`]) in the 2×2
//!   table label/rest × with/without the term. The z-score rewards a term
//!   that is both distinctive and frequent; terms less common in the label
//!   than outside it are left out.
//! - **Weight.** The proposed weight grows with the term's precision
//!   `P(label | term)` in half steps from 0.5 to 3.0 ([`weight_for`]).
//!
//! # Example
//!
//! ```
//! use gaztag::suggest::{ExistingKeywords, LabelledCounts, SuggestOptions};
//!
//! let docs = [
//!     ("The quarterback threw a touchdown pass.", Some("sport")),
//!     ("A late touchdown by the quarterback.", Some("sport")),
//!     ("Shares fell as inflation rose.", Some("economy")),
//!     ("Inflation and shares again.", Some("economy")),
//! ];
//! let counts = LabelledCounts::from_documents(docs);
//! let opts = SuggestOptions { min_count: 2, ..SuggestOptions::default() };
//! let s = counts.suggest("sport", &opts, &ExistingKeywords::default());
//! let terms: Vec<&str> = s.iter().map(|s| s.term.as_str()).collect();
//! assert_eq!(terms, ["quarterback", "touchdown"]);
//! assert_eq!(s[0].weight, 3.0);
//! assert_eq!(
//!     s[0].toml_line(),
//!     "    {term = \"quarterback\", weight = 3.0},  # 2 of 2 docs in label"
//! );
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use crate::gazetteer::Topic;
use crate::normalize::{fold_str, is_word_char};

/// The smoothing added to each cell of the 2×2 table
/// (Haldane–Anscombe).
pub const SMOOTHING: f64 = 0.5;

/// Common English function words, never suggested on their own nor at
/// either end of a phrase. Lower case; includes the pieces that contractions
/// split into (`don` of `don't`).
const STOPWORDS: &str = "\
about above after again against all also am an and any are aren as at be \
because been before being below between both but by can could couldn did \
didn do does doesn doing don down during each even ever every few for from \
further get gets got had hadn has hasn have haven having he her here hers \
herself him himself his how if in into is isn it its itself just ll may me \
might more most much must my myself no nor not now of off on once one only \
or other our ours ourselves out over own re same shall she should shouldn \
so some such than that the their theirs them themselves then there these \
they this those through to too under until up upon us ve very was wasn we \
were weren what when where which while who whom why will with won would \
wouldn you your yours yourself yourselves";

/// [`STOPWORDS`] as a set.
static STOPWORD_SET: LazyLock<HashSet<&str>> =
    LazyLock::new(|| STOPWORDS.split_ascii_whitespace().collect());

/// Whether `word` (lower case) is one of the built-in stopwords.
pub fn is_stopword(word: &str) -> bool {
    STOPWORD_SET.contains(word)
}

/// Whether a word may be a term or part of one: not a number, not a single
/// character, not a stopword.
fn content_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some()
        && chars.next().is_some()
        && !word.chars().all(char::is_numeric)
        && !is_stopword(word)
}

/// The distinct terms of a text, sorted: its content words and the pairs of
/// content words separated only by white space.
///
/// ```
/// let t = gaztag::suggest::terms("The Super Bowl: 2 teams, one Bowl.");
/// assert_eq!(t, ["bowl", "super", "super bowl", "teams"]);
/// ```
pub fn terms(text: &str) -> Vec<String> {
    let folded = fold_str(text, true);
    let mut out: Vec<String> = Vec::new();
    // The previous word, if it was a content word, and where it ended.
    let mut prev: Option<(usize, usize)> = None;
    let mut word_start: Option<usize> = None;
    let bytes_end = folded.len();
    let mut push_word =
        |start: usize, end: usize, prev: &mut Option<(usize, usize)>| {
            let word = &folded[start..end];
            if !content_word(word) {
                *prev = None;
                return;
            }
            out.push(word.to_string());
            if let Some((ps, pe)) = *prev
                && &folded[pe..start] == " "
            {
                out.push(folded[ps..end].to_string());
            }
            *prev = Some((start, end));
        };
    for (i, c) in folded.char_indices() {
        match (is_word_char(c), word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(s)) => {
                push_word(s, i, &mut prev);
                word_start = None;
                if c != ' ' {
                    prev = None;
                }
            }
            _ => {}
        }
    }
    if let Some(s) = word_start {
        push_word(s, bytes_end, &mut prev);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Document frequencies of one term.
#[derive(Clone, Debug, Default)]
struct TermDocs {
    /// Documents containing the term.
    total: usize,
    /// (label index, documents of that label containing the term), sorted
    /// by label index.
    by_label: Vec<(usize, usize)>,
}

impl TermDocs {
    fn in_label(&self, label: usize) -> usize {
        self.by_label
            .binary_search_by_key(&label, |&(l, _)| l)
            .map_or(0, |i| self.by_label[i].1)
    }
}

/// Document frequencies of terms, overall and per label.
#[derive(Clone, Debug, Default)]
pub struct LabelledCounts {
    documents: usize,
    /// Label -> its index in `label_docs`.
    label_index: HashMap<String, usize>,
    /// (label, documents with that label), in the order first seen.
    label_docs: Vec<(String, usize)>,
    terms: HashMap<String, TermDocs>,
}

impl LabelledCounts {
    /// No documents yet.
    pub fn new() -> LabelledCounts {
        LabelledCounts::default()
    }

    /// Counts the terms of every `(text, label)`.
    pub fn from_documents<'a>(
        docs: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    ) -> LabelledCounts {
        let mut c = LabelledCounts::new();
        for (text, label) in docs {
            c.add(text, label);
        }
        c
    }

    /// Counts one document; `None` is no label (background only).
    pub fn add(&mut self, text: &str, label: Option<&str>) {
        self.documents += 1;
        let label = label.map(|l| match self.label_index.get(l) {
            Some(&i) => i,
            None => {
                let i = self.label_docs.len();
                self.label_index.insert(l.to_string(), i);
                self.label_docs.push((l.to_string(), 0));
                i
            }
        });
        if let Some(l) = label {
            self.label_docs[l].1 += 1;
        }
        for term in terms(text) {
            let t = self.terms.entry(term).or_default();
            t.total += 1;
            if let Some(l) = label {
                match t.by_label.binary_search_by_key(&l, |&(x, _)| x) {
                    Ok(i) => t.by_label[i].1 += 1,
                    Err(i) => t.by_label.insert(i, (l, 1)),
                }
            }
        }
    }

    /// Documents counted, labelled or not.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// Every label with its number of documents, sorted by label.
    pub fn labels(&self) -> Vec<(&str, usize)> {
        let mut v: Vec<(&str, usize)> =
            self.label_docs.iter().map(|(l, n)| (l.as_str(), *n)).collect();
        v.sort_unstable();
        v
    }

    /// Documents with `label` (0 for an unknown label).
    pub fn label_documents(&self, label: &str) -> usize {
        self.label_index.get(label).map_or(0, |&i| self.label_docs[i].1)
    }

    /// Documents containing `term`: with `label`, or all with `None`.
    pub fn term_documents(&self, term: &str, label: Option<&str>) -> usize {
        let Some(t) = self.terms.get(term) else { return 0 };
        match label {
            None => t.total,
            Some(l) => self.label_index.get(l).map_or(0, |&i| t.in_label(i)),
        }
    }

    /// The best terms for `label`, best first (ties: more documents in the
    /// label first, then alphabetical).
    ///
    /// A term qualifies with at least `opts.min_count` documents in the
    /// label and a positive log-odds ratio; with `opts.new_only`, terms
    /// `existing` knows are left out. At most `opts.top` are returned.
    pub fn suggest(
        &self,
        label: &str,
        opts: &SuggestOptions,
        existing: &ExistingKeywords,
    ) -> Vec<Suggestion> {
        let Some(&li) = self.label_index.get(label) else {
            return Vec::new();
        };
        let n_label = self.label_docs[li].1;
        let n_rest = self.documents - n_label;
        let mut out: Vec<Suggestion> = self
            .terms
            .iter()
            .filter_map(|(term, t)| {
                let a = t.in_label(li);
                if a < opts.min_count.max(1) {
                    return None;
                }
                let b = t.total - a;
                // Positively associated only: a/n_label > b/n_rest.
                if a as u128 * n_rest as u128 <= b as u128 * n_label as u128 {
                    return None;
                }
                let existing_topics = existing.topics_of(term).to_vec();
                if opts.new_only && !existing_topics.is_empty() {
                    return None;
                }
                Some(Suggestion {
                    label: label.to_string(),
                    term: term.clone(),
                    docs_in_label: a,
                    docs_total: t.total,
                    precision: a as f64 / t.total as f64,
                    score: log_odds_z(a, n_label, b, n_rest),
                    weight: weight_for(a, t.total),
                    existing_topics,
                })
            })
            .collect();
        out.sort_by(|x, y| {
            y.score
                .total_cmp(&x.score)
                .then(y.docs_in_label.cmp(&x.docs_in_label))
                .then_with(|| x.term.cmp(&y.term))
        });
        out.truncate(opts.top);
        out
    }
}

/// The z-score of the smoothed log-odds ratio of a term for a label.
///
/// `a` of the `n_label` documents of the label contain the term, and `b`
/// of the `n_rest` other documents. With `s` = [`SMOOTHING`] added to each
/// cell of the table, the log-odds ratio is
/// `ln((a+s)(n_rest−b+s) / ((n_label−a+s)(b+s)))`, and its standard error
/// `sqrt(1/(a+s) + 1/(n_label−a+s) + 1/(b+s) + 1/(n_rest−b+s))`.
pub fn log_odds_z(a: usize, n_label: usize, b: usize, n_rest: usize) -> f64 {
    let s = SMOOTHING;
    let a_in = a as f64 + s;
    let a_out = (n_label - a) as f64 + s;
    let b_in = b as f64 + s;
    let b_out = (n_rest - b) as f64 + s;
    let ratio = (a_in * b_out / (a_out * b_in)).ln();
    let se = (1.0 / a_in + 1.0 / a_out + 1.0 / b_in + 1.0 / b_out).sqrt();
    ratio / se
}

/// The proposed weight of a term found in `docs_in_label` of its
/// `docs_total` documents: `0.5 + 0.5 × floor(5 × precision)`, so below 20 %
/// 0.5, from 20 % 1.0, 40 % 1.5, 60 % 2.0, 80 % 2.5, and 3.0 only for a term
/// never seen outside the label.
pub fn weight_for(docs_in_label: usize, docs_total: usize) -> f64 {
    if docs_total == 0 {
        return 0.5;
    }
    let steps = (5 * docs_in_label.min(docs_total)) / docs_total;
    0.5 + 0.5 * steps as f64
}

/// What [`LabelledCounts::suggest`] takes into account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestOptions {
    /// A term needs at least this many documents in the label (default 3).
    pub min_count: usize,
    /// At most this many terms per label (default 40).
    pub top: usize,
    /// Leave out terms that are keywords of a topic already.
    pub new_only: bool,
}

impl Default for SuggestOptions {
    fn default() -> SuggestOptions {
        SuggestOptions { min_count: 3, top: 40, new_only: false }
    }
}

/// One suggested keyword.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The label it is suggested for.
    pub label: String,
    /// The term, folded (lower case).
    pub term: String,
    /// Documents of the label containing it.
    pub docs_in_label: usize,
    /// Documents containing it, labelled or not.
    pub docs_total: usize,
    /// `docs_in_label / docs_total`.
    pub precision: f64,
    /// The ranking score ([`log_odds_z`]).
    pub score: f64,
    /// The proposed weight ([`weight_for`]).
    pub weight: f64,
    /// Ids of the topics that have the term as a keyword already.
    pub existing_topics: Vec<String>,
}

/// The columns of [`Suggestion::csv_record`].
pub const CSV_HEADER: [&str; 8] = [
    "label",
    "term",
    "docs_in_label",
    "docs_total",
    "precision",
    "score",
    "weight",
    "existing_topic",
];

impl Suggestion {
    /// The suggestion as an element of a TOML `keywords` array, with its
    /// counts (and the topics that have it already) in a comment:
    /// `    {term = "quarterback", weight = 2.5},  # 41 of 45 docs in label`.
    pub fn toml_line(&self) -> String {
        let mut line = format!(
            "    {{term = {}, weight = {:.1}}},  # {} of {} docs in label",
            toml_string(&self.term),
            self.weight,
            self.docs_in_label,
            self.docs_total
        );
        if !self.existing_topics.is_empty() {
            line.push_str("; already in topic ");
            line.push_str(&self.existing_topics.join(", "));
        }
        line
    }

    /// The values of the [`CSV_HEADER`] columns; `existing_topic` joins
    /// several topic ids with spaces.
    pub fn csv_record(&self) -> [String; 8] {
        [
            self.label.clone(),
            self.term.clone(),
            self.docs_in_label.to_string(),
            self.docs_total.to_string(),
            format!("{:.3}", self.precision),
            format!("{:.3}", self.score),
            format!("{:.1}", self.weight),
            self.existing_topics.join(" "),
        ]
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The keywords topics have already, folded as [`terms`] are.
#[derive(Clone, Debug, Default)]
pub struct ExistingKeywords {
    /// Folded keyword -> ids of the topics that list it, in topic order.
    by_term: BTreeMap<String, Vec<String>>,
}

impl ExistingKeywords {
    /// The keywords of `topics`.
    pub fn from_topics(topics: &[Topic]) -> ExistingKeywords {
        let mut by_term: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for t in topics {
            for k in &t.keywords {
                let ids = by_term.entry(fold_str(&k.term, true)).or_default();
                if !ids.contains(&t.id) {
                    ids.push(t.id.clone());
                }
            }
        }
        ExistingKeywords { by_term }
    }

    /// Ids of the topics that have `term` (folded) as a keyword.
    pub fn topics_of(&self, term: &str) -> &[String] {
        self.by_term.get(term).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GazetteerSet;

    #[test]
    fn stopwords_are_sorted() {
        let words: Vec<&str> = STOPWORDS.split_ascii_whitespace().collect();
        assert!(words.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(words.len(), STOPWORD_SET.len());
        assert!(is_stopword("the") && !is_stopword("goal"));
    }

    #[test]
    fn terms_of_a_text() {
        // Case and accents folded; numbers, one-letter words and stopwords
        // out; a phrase only across white space, never across punctuation
        // nor around a word left out.
        assert_eq!(
            terms("Pelé's  FIFA World Cup, 1970: a goal-kick of the year"),
            [
                "cup",
                "fifa",
                "fifa world",
                "goal",
                "kick",
                "pele",
                "world",
                "world cup",
                "year"
            ]
        );
        // A line break is white space, as it is to the tagger.
        assert_eq!(
            terms("Élan vital\nÉLAN"),
            ["elan", "elan vital", "vital", "vital elan"]
        );
        assert!(terms("a 12 of the I").is_empty());
        assert!(terms("").is_empty());
    }

    #[test]
    fn weights_grow_with_precision() {
        assert_eq!(weight_for(1, 10), 0.5);
        assert_eq!(weight_for(2, 10), 1.0);
        assert_eq!(weight_for(3, 5), 2.0);
        assert_eq!(weight_for(41, 45), 2.5);
        assert_eq!(weight_for(4, 5), 2.5);
        assert_eq!(weight_for(5, 5), 3.0);
        assert_eq!(weight_for(0, 0), 0.5);
    }

    /// Eight documents worked by hand: four sport, three economy, one
    /// without a label.
    ///
    /// ```text
    /// term        sport  economy  none  total
    /// match         4       1      0      5
    /// goal          3       0      1      4
    /// league        2       0      0      2
    /// coach         3       1      1      5
    /// shares        0       3      0      3
    /// market        1       2      1      4
    /// ```
    fn counts() -> LabelledCounts {
        LabelledCounts::from_documents([
            ("Match report: a goal, then the coach spoke.", Some("sport")),
            ("The match ended without a goal; league table.", Some("sport")),
            ("Coach says the match was a goal fest.", Some("sport")),
            ("League match, coach, market value.", Some("sport")),
            ("Shares fell on the market.", Some("economy")),
            ("Shares and the match of supply.", Some("economy")),
            ("Market shares, coach class.", Some("economy")),
            ("Market coach goal.", None),
        ])
    }

    #[test]
    fn hand_worked_counts() {
        let c = counts();
        assert_eq!(c.documents(), 8);
        assert_eq!(c.labels(), [("economy", 3), ("sport", 4)]);
        assert_eq!(c.label_documents("sport"), 4);
        assert_eq!(c.label_documents("nothing"), 0);
        let df = |t: &str| {
            (
                c.term_documents(t, Some("sport")),
                c.term_documents(t, Some("economy")),
                c.term_documents(t, None),
            )
        };
        assert_eq!(df("match"), (4, 1, 5));
        assert_eq!(df("goal"), (3, 0, 4));
        assert_eq!(df("league"), (2, 0, 2));
        assert_eq!(df("coach"), (3, 1, 5));
        assert_eq!(df("shares"), (0, 3, 3));
        assert_eq!(df("market"), (1, 2, 4));
        // Phrases across white space only: "match report" but not
        // "report goal" (a colon and a stopword between).
        assert_eq!(df("match report"), (1, 0, 1));
        assert_eq!(df("league match"), (1, 0, 1));
        assert_eq!(df("market coach"), (0, 0, 1));
        assert_eq!(df("coach goal"), (0, 0, 1));
        assert_eq!(df("report goal"), (0, 0, 0));
        assert_eq!(df("the"), (0, 0, 0));
    }

    #[test]
    fn hand_worked_ranking() {
        let c = counts();
        let none = ExistingKeywords::default();
        let s = c.suggest("sport", &SuggestOptions::default(), &none);
        let got: Vec<(&str, usize, usize, f64)> = s
            .iter()
            .map(|s| {
                (s.term.as_str(), s.docs_in_label, s.docs_total, s.weight)
            })
            .collect();
        // sport: 4 documents, 4 others. league has 2 < 3 sport documents.
        assert_eq!(
            got,
            [("match", 4, 5, 2.5), ("goal", 3, 4, 2.0), ("coach", 3, 5, 2.0)]
        );
        // By hand, cells + 0.5:
        // match 4.5, 0.5 | 1.5, 3.5: ln(4.5·3.5 / (0.5·1.5)) = ln 21 =
        //   3.0445, se = sqrt(1/4.5 + 1/0.5 + 1/1.5 + 1/3.5) = 1.7817,
        //   z = 1.7087;
        // goal 3.5, 1.5 | 1.5, 3.5: ln(49/9) = 1.6946, se = 1.3801,
        //   z = 1.2279;
        // coach 3.5, 1.5 | 2.5, 2.5: ln(7/3) = 0.8473, se = 1.3238,
        //   z = 0.6401.
        let z = 21f64.ln()
            / (1.0 / 4.5 + 1.0 / 0.5 + 1.0 / 1.5 + 1.0 / 3.5f64).sqrt();
        assert!((s[0].score - z).abs() < 1e-12);
        let scores: Vec<f64> =
            s.iter().map(|s| (s.score * 1e4).round() / 1e4).collect();
        assert_eq!(scores, [1.7087, 1.2279, 0.6401]);
        assert_eq!(s[0].precision, 0.8);
        assert_eq!(s[1].precision, 0.75);

        // min_count 2 lets league in (2.5, 2.5 | 0.5, 4.5: ln 9 = 2.1972,
        // se = 1.7385, z = 1.2639): never outside sport, it passes goal.
        let two = SuggestOptions { min_count: 2, ..SuggestOptions::default() };
        let s = c.suggest("sport", &two, &none);
        let order: Vec<&str> = s.iter().map(|s| s.term.as_str()).collect();
        assert_eq!(order, ["match", "league", "goal", "coach"]);
        assert_eq!(s[1].weight, 3.0);
        // top cuts the list.
        let top = SuggestOptions { top: 1, ..two.clone() };
        assert_eq!(c.suggest("sport", &top, &none).len(), 1);

        // economy (3 documents, 5 others): shares 3 of 3, none outside,
        // z = ln 77 / 2.1137 = 2.0551; market 2 of 3 against 2 of 5,
        // z = 0.6401. match (1 of 3 against 4 of 5) is below min_count and
        // rarer in the label than outside.
        let s = c.suggest("economy", &two, &none);
        let got: Vec<(&str, f64)> = s
            .iter()
            .map(|s| (s.term.as_str(), (s.score * 1e4).round() / 1e4))
            .collect();
        assert_eq!(got, [("shares", 2.0551), ("market", 0.6401)]);
        assert!(c.suggest("nothing", &two, &none).is_empty());
    }

    #[test]
    fn existing_keywords_are_marked_or_left_out() {
        let set = GazetteerSet::from_toml(
            "t.toml",
            "[[topic]]\nid = \"football\"\nname = \"Football\"\nkeywords = [\"Goal\", {term = \"MATCH\", weight = 2.0}]\n",
        )
        .unwrap();
        let existing = ExistingKeywords::from_topics(set.topics());
        assert_eq!(existing.topics_of("goal"), ["football"]);
        let c = counts();
        let s = c.suggest("sport", &SuggestOptions::default(), &existing);
        assert_eq!(s[0].existing_topics, ["football"]);
        assert_eq!(
            s[0].toml_line(),
            "    {term = \"match\", weight = 2.5},  # 4 of 5 docs in label; already in topic football"
        );
        assert_eq!(
            s[2].toml_line(),
            "    {term = \"coach\", weight = 2.0},  # 3 of 5 docs in label"
        );
        assert_eq!(
            s[0].csv_record(),
            ["sport", "match", "4", "5", "0.800", "1.709", "2.5", "football"]
        );
        let new_only =
            SuggestOptions { new_only: true, ..SuggestOptions::default() };
        let s = c.suggest("sport", &new_only, &existing);
        let order: Vec<&str> = s.iter().map(|s| s.term.as_str()).collect();
        assert_eq!(order, ["coach"]);
        assert_eq!(toml_string("a\"b\\"), "\"a\\\"b\\\\\"");
    }
}
