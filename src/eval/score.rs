//! Scoring predictions against gold spans: rows, type maps, one-to-one
//! matching, counts.

use super::*;

/// One row of the report: which predictions it counts and which gold spans
/// they are scored against.
///
/// Parsed from `NAME=PREDICTED[:GOLD[:ALSO]]`, each part a comma-separated
/// list of types: `location=country,city:Location:Nationality`. An empty
/// GOLD means the row has no recall base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowSpec {
    /// The row name.
    pub name: String,
    /// Predicted types counted in this row.
    pub predicted: Vec<String>,
    /// Gold types that form the recall base (and are correct matches).
    /// Empty: recall is not computed.
    pub gold: Vec<String>,
    /// Further gold types a prediction may match, not counted in recall.
    pub also: Vec<String>,
}

impl RowSpec {
    /// A row from its parts.
    pub fn new(
        name: &str,
        predicted: &[&str],
        gold: &[&str],
        also: &[&str],
    ) -> Self {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        RowSpec {
            name: name.to_string(),
            predicted: own(predicted),
            gold: own(gold),
            also: own(also),
        }
    }

    pub(super) fn predicts(&self, kind: &str) -> bool {
        self.predicted.iter().any(|t| t.eq_ignore_ascii_case(kind))
    }

    pub(super) fn in_base(&self, kind: &str) -> bool {
        self.gold.iter().any(|t| t.eq_ignore_ascii_case(kind))
    }

    pub(super) fn accepts(&self, kind: &str) -> bool {
        self.in_base(kind)
            || self.also.iter().any(|t| t.eq_ignore_ascii_case(kind))
    }
}

impl FromStr for RowSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<RowSpec, String> {
        let (name, rest) = s.split_once('=').ok_or_else(|| {
            format!("row {s:?} is not NAME=PREDICTED[:GOLD[:ALSO]]")
        })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("row {s:?} has no name"));
        }
        let mut parts = rest.split(':');
        let list = |p: Option<&str>| -> Vec<String> {
            p.unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect()
        };
        let row = RowSpec {
            name: name.to_string(),
            predicted: list(parts.next()),
            gold: list(parts.next()),
            also: list(parts.next()),
        };
        if parts.next().is_some() {
            return Err(format!("row {s:?} has more than three parts"));
        }
        if row.predicted.is_empty() {
            return Err(format!("row {s:?} names no predicted type"));
        }
        Ok(row)
    }
}

/// The rows of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeMap {
    /// The rows, in report order.
    pub rows: Vec<RowSpec>,
}

/// Predicted types that count as places besides `country` and `city`.
pub const PLACE_TYPES: &[&str] = &[
    "location",
    "place",
    "region",
    "state",
    "province",
    "territory",
    "continent",
    "district",
    "island",
    "sea",
    "ocean",
    "gpe",
];

impl TypeMap {
    /// The defaults, made for re3d (and CoNLL `LOC`/`ORG`/`PER` tags):
    ///
    /// | row | predicted | recall base | also correct |
    /// |---|---|---|---|
    /// | country | country | — | Location, Nationality |
    /// | city | city | — | Location |
    /// | organization | organization | Organisation, Organization, ORG | |
    /// | person | person | Person, PER | |
    /// | location | country, city, [`PLACE_TYPES`] | Location, LOC | Nationality |
    pub fn re3d() -> TypeMap {
        let mut place = vec!["country", "city"];
        place.extend_from_slice(PLACE_TYPES);
        TypeMap {
            rows: vec![
                RowSpec::new(
                    "country",
                    &["country"],
                    &[],
                    &["Location", "LOC", "Nationality"],
                ),
                RowSpec::new("city", &["city"], &[], &["Location", "LOC"]),
                RowSpec::new(
                    "organization",
                    &["organization", "organisation"],
                    &["Organisation", "Organization", "ORG"],
                    &[],
                ),
                RowSpec::new("person", &["person"], &["Person", "PER"], &[]),
                RowSpec::new(
                    "location",
                    &place,
                    &["Location", "LOC"],
                    &["Nationality"],
                ),
            ],
        }
    }

    /// Replaces the row of the same name, or appends `row`.
    pub fn set(&mut self, row: RowSpec) {
        match self.rows.iter_mut().find(|r| r.name == row.name) {
            Some(r) => *r = row,
            None => self.rows.push(row),
        }
    }
}

impl Default for TypeMap {
    fn default() -> TypeMap {
        TypeMap::re3d()
    }
}

/// Exact or overlapping spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchMode {
    /// Same start and end.
    Exact,
    /// At least one character in common.
    Overlap,
}

/// Pairs gold spans with predictions one to one and returns the pairs as
/// `(gold index, prediction index)`, sorted by gold index.
///
/// Spans pair only within the same document, and only if they match under
/// `mode`; types are not looked at (filter them first). Pairs are taken
/// greedily: largest overlap first, then the smallest difference in length,
/// then gold spans for which `preferred` holds, then by position and index.
pub fn match_one_to_one(
    gold: &[&Span],
    predicted: &[&Span],
    mode: MatchMode,
    preferred: &dyn Fn(&Span) -> bool,
) -> Vec<(usize, usize)> {
    let mut cands = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pi, p) in predicted.iter().enumerate() {
            let ok = match mode {
                MatchMode::Exact => {
                    g.doc_id == p.doc_id
                        && g.start == p.start
                        && g.end == p.end
                }
                MatchMode::Overlap => g.overlap(p) > 0,
            };
            if ok {
                let len_diff = (g.end - g.start).abs_diff(p.end - p.start);
                cands.push((
                    Reverse(g.overlap(p)),
                    len_diff,
                    !preferred(g),
                    (g.start, g.end, p.start, p.end),
                    gi,
                    pi,
                ));
            }
        }
    }
    cands.sort_unstable();
    let mut gold_used = vec![false; gold.len()];
    let mut pred_used = vec![false; predicted.len()];
    let mut pairs = Vec::new();
    for (.., gi, pi) in cands {
        if !gold_used[gi] && !pred_used[pi] {
            gold_used[gi] = true;
            pred_used[pi] = true;
            pairs.push((gi, pi));
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Counts for one row under one matching mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Gold spans in the recall base; `None` when the row has none.
    pub gold: Option<usize>,
    /// Predictions counted in the row.
    pub predicted: usize,
    /// Gold spans of the recall base that matched a prediction.
    pub matched_gold: usize,
    /// Predictions that matched an accepted gold span.
    pub matched_predicted: usize,
}

impl Counts {
    /// Matched predictions / predictions; `None` without predictions.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.matched_predicted, self.predicted)
    }

    /// Matched gold spans / gold spans; `None` without a recall base or
    /// without gold spans.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.matched_gold, self.gold?)
    }

    /// The harmonic mean of precision and recall; `None` if either is.
    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        Some(if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) })
    }

    pub(super) fn add(&mut self, other: &Counts) {
        self.gold = match (self.gold, other.gold) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        self.predicted += other.predicted;
        self.matched_gold += other.matched_gold;
        self.matched_predicted += other.matched_predicted;
    }
}

pub(super) fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// The scores of one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowScore {
    /// The row name (`all` for the micro-average).
    pub name: String,
    /// Scores with exact matching.
    pub exact: Counts,
    /// Scores with overlap matching.
    pub overlap: Counts,
}

/// A string that was missed (or wrongly predicted, or matched only in part)
/// this many times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    /// The type of the spans (gold type for misses, predicted type for
    /// false alarms).
    pub kind: String,
    /// The text (misses, false alarms), or `gold text → predicted text`
    /// (partial matches).
    pub text: String,
    /// How often.
    pub count: usize,
    /// Misses: the type most often predicted over the missed spans (a type
    /// confusion); false alarms: the gold type most often found under the
    /// predictions. Empty when nothing overlaps.
    pub overlapping: String,
}

/// Counts of texts with the types that overlap them, for one list.
#[derive(Default)]
pub(super) struct Tallies {
    pub(super) map:
        BTreeMap<(String, String), (usize, BTreeMap<String, usize>)>,
}

impl Tallies {
    pub(super) fn add(
        &mut self,
        kind: &str,
        text: String,
        overlapping: Option<&str>,
    ) {
        let e = self.map.entry((kind.to_string(), text)).or_default();
        e.0 += 1;
        if let Some(o) = overlapping {
            *e.1.entry(o.to_string()).or_default() += 1;
        }
    }

    pub(super) fn finish(self) -> Vec<Tally> {
        let mut v: Vec<Tally> = self
            .map
            .into_iter()
            .map(|((kind, text), (count, over))| {
                let overlapping = over
                    .into_iter()
                    .max_by_key(|(k, n)| (*n, Reverse(k.clone())))
                    .map(|(k, _)| k)
                    .unwrap_or_default();
                Tally { kind, text, count, overlapping }
            })
            .collect();
        v.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| (&a.kind, &a.text).cmp(&(&b.kind, &b.text)))
        });
        v
    }
}

/// The type of the span in `others` that overlaps `s` most (ties: the
/// first), if any.
pub(super) fn most_overlapping<'a>(
    s: &Span,
    others: &[&'a Span],
) -> Option<&'a str> {
    others
        .iter()
        .filter(|o| s.overlap(o) > 0)
        .max_by_key(|o| (s.overlap(o), Reverse((o.start, o.end))))
        .map(|o| o.kind.as_str())
}

/// Scores `predicted` against `gold`, row by row of `map`; see the module
/// docs for the rules.
pub fn evaluate(gold: &[Span], predicted: &[Span], map: &TypeMap) -> Report {
    // Spans by document, in a fixed order.
    let mut docs: BTreeMap<&str, (Vec<&Span>, Vec<&Span>)> = BTreeMap::new();
    for g in gold {
        docs.entry(&g.doc_id).or_default().0.push(g);
    }
    for p in predicted {
        docs.entry(&p.doc_id).or_default().1.push(p);
    }
    let mut report = Report::default();
    let mut all = RowScore {
        name: "all".to_string(),
        exact: Counts::default(),
        overlap: Counts::default(),
    };
    let mut misses = Tallies::default();
    let mut false_alarms = Tallies::default();
    let mut partial = Tallies::default();
    for row in &map.rows {
        let mut score = RowScore {
            name: row.name.clone(),
            exact: Counts::default(),
            overlap: Counts::default(),
        };
        let has_base = !row.gold.is_empty();
        for (g_all, p_all) in docs.values() {
            let g: Vec<&Span> = g_all
                .iter()
                .copied()
                .filter(|s| row.accepts(&s.kind))
                .collect();
            let p: Vec<&Span> = p_all
                .iter()
                .copied()
                .filter(|s| row.predicts(&s.kind))
                .collect();
            let base = g.iter().filter(|s| row.in_base(&s.kind)).count();
            let preferred = |s: &Span| row.in_base(&s.kind);
            for (mode, counts) in [
                (MatchMode::Exact, &mut score.exact),
                (MatchMode::Overlap, &mut score.overlap),
            ] {
                let pairs = match_one_to_one(&g, &p, mode, &preferred);
                if has_base {
                    *counts.gold.get_or_insert(0) += base;
                }
                counts.predicted += p.len();
                counts.matched_predicted += pairs.len();
                counts.matched_gold += pairs
                    .iter()
                    .filter(|(gi, _)| row.in_base(&g[*gi].kind))
                    .count();
                if mode == MatchMode::Overlap && has_base {
                    let mut g_hit = vec![false; g.len()];
                    let mut p_hit = vec![false; p.len()];
                    for &(gi, pi) in &pairs {
                        g_hit[gi] = true;
                        p_hit[pi] = true;
                        let (a, b) = (g[gi], p[pi]);
                        if (a.start, a.end) != (b.start, b.end) {
                            partial.add(
                                &a.kind,
                                format!("{} → {}", a.label(), b.label()),
                                None,
                            );
                        }
                    }
                    for (gi, s) in g.iter().enumerate() {
                        if !g_hit[gi] && row.in_base(&s.kind) {
                            misses.add(
                                &s.kind,
                                s.label(),
                                most_overlapping(s, p_all),
                            );
                        }
                    }
                    for (pi, s) in p.iter().enumerate() {
                        if !p_hit[pi] {
                            false_alarms.add(
                                &s.kind,
                                s.label(),
                                most_overlapping(s, g_all),
                            );
                        }
                    }
                }
            }
        }
        if has_base {
            all.exact.add(&score.exact);
            all.overlap.add(&score.overlap);
        }
        report.rows.push(score);
    }
    report.rows.push(all);
    for p in predicted {
        if !map.rows.iter().any(|r| r.predicts(&p.kind)) {
            *report.unmapped.entry(p.kind.clone()).or_default() += 1;
        }
    }
    report.misses = misses.finish();
    report.false_alarms = false_alarms.finish();
    report.partial = partial.finish();
    report.notes = notes(map, gold);
    report
}

/// Explains the rows, naming only gold types that occur in `gold`.
pub(super) fn notes(map: &TypeMap, gold: &[Span]) -> Vec<String> {
    let present: BTreeSet<String> =
        gold.iter().map(|s| s.kind.to_lowercase()).collect();
    let shown = |types: &[String]| -> String {
        let v: Vec<&str> = types
            .iter()
            .filter(|t| present.contains(&t.to_lowercase()))
            .map(String::as_str)
            .collect();
        if v.is_empty() {
            "(none present)".to_string()
        } else {
            v.join(" or ")
        }
    };
    let mut out = Vec::new();
    let no_base: Vec<&RowSpec> =
        map.rows.iter().filter(|r| r.gold.is_empty()).collect();
    for r in &no_base {
        out.push(format!(
            "{}: correct if it matches a gold {} span; the gold has no {} type of its own, so recall and F1 are not computed (-).",
            r.name,
            shown(&r.also),
            r.name
        ));
    }
    for r in map.rows.iter().filter(|r| !r.gold.is_empty()) {
        let mut line =
            format!("{}: recall over gold {}", r.name, shown(&r.gold));
        if !r.also.is_empty() {
            line.push_str(&format!(
                "; a prediction matching {} also counts as correct",
                shown(&r.also)
            ));
        }
        line.push('.');
        out.push(line);
    }
    let in_all: Vec<&str> = map
        .rows
        .iter()
        .filter(|r| !r.gold.is_empty())
        .map(|r| r.name.as_str())
        .collect();
    out.push(format!("all: micro-average of {}.", in_all.join(", ")));
    out
}
