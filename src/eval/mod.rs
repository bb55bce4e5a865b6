//! Scoring entity mentions against gold-standard spans.
//!
//! [`Gold::load`] reads labelled spans from a CSV file
//! (`doc_id,start,end,type`), from the re3d JSON layout (`documents.json`
//! and `entities.json` as written by `mongoexport`), or from a CoNLL-style
//! IOB token file. Predictions are [`Span`]s too: read from a mentions CSV
//! with [`read_spans_csv`], or made by tagging the gold documents with
//! [`tag_documents`]. [`evaluate`] then scores them, row by row of a
//! [`TypeMap`], and returns a [`Report`].
//!
//! # Offsets
//!
//! Every [`Span`] uses character offsets: Unicode scalar values, end
//! exclusive, as in the `start`/`end` columns of `mentions.csv`. re3d
//! offsets are checked against the document text in each unit
//! ([`OffsetUnit`]) and converted; the [`OffsetCheck`] says which unit
//! fitted and how many entity values disagree with the text.
//!
//! # Rows and type mapping
//!
//! A row of the report ([`RowSpec`]) names the predicted types it counts,
//! the gold types that make up its recall base, and further gold types that
//! a prediction may match without being counted in recall. Types are
//! compared without regard to case. The defaults ([`TypeMap::re3d`]) fit
//! re3d, whose gold has no country/city split: the `country` and `city`
//! rows have no recall base (their recall is not computed), and a predicted
//! country is correct if it matches a gold `Location` or `Nationality` span
//! (gaztag tags demonyms such as "Iraqi" as the country). The `all` row sums
//! the rows that have a recall base (micro-average).
//!
//! # Matching
//!
//! Within one document and one row, a prediction and a gold span match
//! *exactly* when they have the same start and end, and *overlap* when they
//! share at least one character. Each gold span and each prediction is used
//! at most once ([`match_one_to_one`]): candidate pairs are taken greedily,
//! largest overlap first, then the closest in length, then gold spans of
//! the recall base before the others, then by position, so the result does
//! not depend on input order.
//!
//! Precision is matched predictions / predictions; recall is matched gold
//! spans of the recall base / gold spans of the recall base; F1 is their
//! harmonic mean. Where a denominator is zero, or a row has no recall base,
//! the value is `None` (printed `-`).
//!
//! # Example
//!
//! ```
//! use gaztag::eval::{Span, TypeMap, evaluate};
//!
//! let gold = [
//!     Span::new("d1", 0, 4, "Location", "Iraq"),
//!     Span::new("d1", 10, 15, "Person", "Obama"),
//! ];
//! let predicted = [
//!     Span::new("d1", 0, 4, "country", "Iraq"),
//!     Span::new("d1", 20, 24, "country", "Iran"),
//! ];
//! let report = evaluate(&gold, &predicted, &TypeMap::re3d());
//! let country = report.row("country").unwrap();
//! assert_eq!(country.exact.precision(), Some(0.5));
//! assert_eq!(country.exact.recall(), None); // no country/city split in gold
//! let location = report.row("location").unwrap();
//! assert_eq!(location.exact.recall(), Some(1.0));
//! let person = report.row("person").unwrap();
//! assert_eq!(person.exact.recall(), Some(0.0));
//! ```

mod gold;
mod report;
mod score;
pub mod topics;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rayon::prelude::*;
use serde::Deserialize;

use crate::compile::Tagger;
use crate::error::{Error, Result};
use crate::tagger::Scratch;

pub use gold::*;
pub use report::*;
pub use score::*;

/// The error of reading gold files, before it became a kind of the
/// crate's error.
#[deprecated(note = "use gaztag::Error; these are ErrorKind::Input")]
pub type EvalError = Error;

/// A typed span of a document: a gold annotation or a prediction.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// The document id.
    pub doc_id: String,
    /// Character offset of the first character (Unicode scalar values).
    pub start: usize,
    /// Character offset just past the last character (exclusive).
    pub end: usize,
    /// The type, as written in the source (`Location`, `country`, ...).
    pub kind: String,
    /// The text of the span; used only to list misses and false alarms.
    /// Empty when unknown.
    pub text: String,
}

impl Span {
    /// A span from its parts.
    pub fn new(
        doc_id: &str,
        start: usize,
        end: usize,
        kind: &str,
        text: &str,
    ) -> Span {
        Span {
            doc_id: doc_id.to_string(),
            start,
            end,
            kind: kind.to_string(),
            text: text.to_string(),
        }
    }

    /// The number of characters both spans cover (0 if they are disjoint or
    /// in different documents).
    pub fn overlap(&self, other: &Span) -> usize {
        if self.doc_id != other.doc_id {
            return 0;
        }
        self.end.min(other.end).saturating_sub(self.start.max(other.start))
    }

    /// The text to show in lists: the span's text, or `doc:start-end` when
    /// the text is unknown.
    fn label(&self) -> String {
        if self.text.is_empty() {
            format!("{}:{}-{}", self.doc_id, self.start, self.end)
        } else {
            self.text.clone()
        }
    }
}

/// A document whose text is known (re3d, CoNLL), so that it can be tagged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldDocument {
    /// The document id (re3d: the document's `_id`).
    pub id: String,
    /// The text.
    pub text: String,
}

/// The unit in which a file counts offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OffsetUnit {
    /// Unicode scalar values (Python `str` indices, Rust `chars()`).
    Char,
    /// UTF-16 code units (Java, JavaScript); equal to [`OffsetUnit::Char`]
    /// for text without characters beyond U+FFFF.
    Utf16,
    /// UTF-8 bytes.
    Byte,
}

impl OffsetUnit {
    /// All units, in the order preferred when several fit equally well.
    pub const ALL: [OffsetUnit; 3] =
        [OffsetUnit::Char, OffsetUnit::Utf16, OffsetUnit::Byte];

    /// A short lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            OffsetUnit::Char => "characters",
            OffsetUnit::Utf16 => "UTF-16 code units",
            OffsetUnit::Byte => "bytes",
        }
    }
}

/// What checking the offsets of one re3d folder against its text found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetCheck {
    /// The `entities.json` file checked.
    pub source: PathBuf,
    /// The unit the offsets were read in.
    pub unit: OffsetUnit,
    /// Whether the unit was detected (rather than given).
    pub detected: bool,
    /// Entities checked (all of the file, whatever their type or
    /// confidence).
    pub entities: usize,
    /// How many entity values equal the text at `begin..end`, read in each
    /// unit of [`OffsetUnit::ALL`], in that order.
    pub agree: [usize; 3],
    /// Entities whose value differs from the text in the chosen unit.
    pub mismatches: usize,
    /// A few of those, as `value` vs the text found, for the report.
    pub examples: Vec<String>,
}

/// The layout of a gold file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GoldFormat {
    /// Folder: re3d; `.csv`: CSV; `.conll`, `.iob`, `.bio`, `.txt`: CoNLL.
    #[default]
    Auto,
    /// A CSV file with a header naming at least `doc_id`, `start`, `end`
    /// and `type` (character offsets, end exclusive). An optional `text`
    /// column is shown in the lists of misses.
    Csv,
    /// A re3d folder (`documents.json` + `entities.json`), or a folder of
    /// such folders.
    Re3d,
    /// A CoNLL-style token file: one token per line, the tag (`O`, `B-X`,
    /// `I-X`) in the last column, blank lines between sentences and
    /// `-DOCSTART-` lines between documents. The document text is rebuilt
    /// by joining tokens with spaces and sentences with newlines.
    Conll,
}

/// How to read gold spans.
#[derive(Clone, Debug, PartialEq)]
pub struct GoldOptions {
    /// The layout. Default: [`GoldFormat::Auto`].
    pub format: GoldFormat,
    /// re3d: leave out entities with a lower `confidence`. re3d keeps the
    /// candidate labels that its annotators rejected, with confidence 0
    /// (`Jordan` as a Location inside `the Jordan Armed Forces`). Default
    /// 0.5.
    pub min_confidence: f64,
    /// re3d: the offset unit, or `None` to pick the unit under which most
    /// entity values equal the text (ties go to characters). Default `None`.
    pub offsets: Option<OffsetUnit>,
}

impl Default for GoldOptions {
    fn default() -> GoldOptions {
        GoldOptions {
            format: GoldFormat::Auto,
            min_confidence: 0.5,
            offsets: None,
        }
    }
}

/// Gold spans, and the documents' text where the format holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gold {
    /// The layout that was read (never [`GoldFormat::Auto`]).
    pub format: GoldFormat,
    /// The gold spans, in file order.
    pub spans: Vec<Span>,
    /// The documents (re3d, CoNLL); empty for CSV.
    pub documents: Vec<GoldDocument>,
    /// re3d: one offset check per folder.
    pub offset_checks: Vec<OffsetCheck>,
    /// re3d: entities left out for their confidence.
    pub below_confidence: usize,
}

impl Gold {
    /// Reads gold spans from `path` (a file or a folder).
    ///
    /// # Errors
    /// Fails if a file cannot be read or holds a malformed record; the
    /// error names the file and line.
    pub fn load(path: &Path, opts: &GoldOptions) -> Result<Gold> {
        let format = match opts.format {
            GoldFormat::Auto if path.is_dir() => GoldFormat::Re3d,
            GoldFormat::Auto => {
                let ext = path
                    .extension()
                    .map(|e| e.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                match ext.as_str() {
                    "csv" => GoldFormat::Csv,
                    "conll" | "iob" | "bio" | "txt" => GoldFormat::Conll,
                    _ => {
                        return Err(Error::input(
                            path,
                            None,
                            "cannot tell the gold format from the name \
                             (expected a folder, .csv, .conll, .iob, .bio or \
                             .txt); name it with --gold-format",
                        ));
                    }
                }
            }
            f => f,
        };
        let mut gold = Gold { format, ..Gold::default() };
        match format {
            GoldFormat::Csv => {
                let file = open(path)?;
                gold.spans = read_spans_csv(path, file, &[])?.spans;
            }
            GoldFormat::Re3d => {
                let folders = re3d_folders(path)?;
                for dir in folders {
                    read_re3d_folder(&dir, opts, &mut gold)?;
                }
                let mut seen = BTreeSet::new();
                for d in &gold.documents {
                    if !seen.insert(d.id.as_str()) {
                        return Err(Error::input(
                            path,
                            None,
                            format!("document id {:?} appears twice", d.id),
                        ));
                    }
                }
            }
            GoldFormat::Conll => {
                let file = open(path)?;
                let (docs, spans) =
                    read_conll(path, io::BufReader::new(file))?;
                gold.documents = docs;
                gold.spans = spans;
            }
            GoldFormat::Auto => unreachable!("resolved above"),
        }
        Ok(gold)
    }
}

/// Tags every document with `tagger` and returns the mentions as spans
/// (type = the entity's type), in document order. Documents are tagged in
/// parallel; the result does not depend on the thread count.
pub fn tag_documents(
    tagger: &Tagger,
    documents: &[GoldDocument],
) -> Vec<Span> {
    tag_documents_skipping(tagger, documents, &[])
}

/// As [`tag_documents`], leaving out mentions found through the given
/// forms (`via` values such as `demonym`).
pub fn tag_documents_skipping(
    tagger: &Tagger,
    documents: &[GoldDocument],
    skip_via: &[String],
) -> Vec<Span> {
    let per_doc: Vec<Vec<Span>> = documents
        .par_iter()
        .map_init(Scratch::new, |scratch, doc| {
            let tags = tagger.tag_with(scratch, &doc.text);
            tags.mentions
                .iter()
                .filter(|m| !skip_via.iter().any(|v| v == m.via.as_str()))
                .map(|m| Span {
                    doc_id: doc.id.clone(),
                    start: m.char_start,
                    end: m.char_end,
                    kind: tagger.entities()[m.entity].kind.clone(),
                    text: doc.text[m.start..m.end].to_string(),
                })
                .collect()
        })
        .collect();
    per_doc.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(doc: &str, start: usize, end: usize, kind: &str) -> Span {
        Span::new(doc, start, end, kind, "")
    }

    fn refs(v: &[Span]) -> Vec<&Span> {
        v.iter().collect()
    }

    /// (name, gold, predicted, mode, expected pairs)
    type MatchCase =
        (&'static str, Vec<Span>, Vec<Span>, MatchMode, Vec<(usize, usize)>);

    #[test]
    fn matching_table() {
        use MatchMode::{Exact, Overlap};
        let cases: Vec<MatchCase> = vec![
            (
                "exact same span",
                vec![s("d", 0, 4, "G")],
                vec![s("d", 0, 4, "P")],
                Exact,
                vec![(0, 0)],
            ),
            (
                "exact needs both ends",
                vec![s("d", 0, 4, "G")],
                vec![s("d", 0, 5, "P")],
                Exact,
                vec![],
            ),
            (
                "overlap one char",
                vec![s("d", 0, 4, "G")],
                vec![s("d", 3, 9, "P")],
                Overlap,
                vec![(0, 0)],
            ),
            (
                "touching is no overlap",
                vec![s("d", 0, 4, "G")],
                vec![s("d", 4, 9, "P")],
                Overlap,
                vec![],
            ),
            (
                "other document",
                vec![s("d", 0, 4, "G")],
                vec![s("e", 0, 4, "P")],
                Overlap,
                vec![],
            ),
            (
                "one gold, two predictions: the larger overlap wins",
                vec![s("d", 0, 10, "G")],
                vec![s("d", 0, 3, "P"), s("d", 4, 10, "P")],
                Overlap,
                vec![(0, 1)],
            ),
            (
                "one prediction, two gold: used once",
                vec![s("d", 0, 5, "G"), s("d", 6, 10, "G")],
                vec![s("d", 0, 10, "P")],
                Overlap,
                vec![(0, 0)],
            ),
            (
                "nested gold: exact pair preferred",
                vec![s("d", 0, 19, "G"), s("d", 14, 19, "G")],
                vec![s("d", 14, 19, "P")],
                Overlap,
                vec![(1, 0)],
            ),
            (
                "greedy keeps both when possible",
                vec![s("d", 0, 10, "G"), s("d", 12, 20, "G")],
                vec![s("d", 2, 8, "P"), s("d", 9, 14, "P")],
                Overlap,
                vec![(0, 0), (1, 1)],
            ),
            (
                "duplicate predictions: one matches",
                vec![s("d", 0, 4, "G")],
                vec![s("d", 0, 4, "P"), s("d", 0, 4, "P")],
                Exact,
                vec![(0, 0)],
            ),
        ];
        let mut names = BTreeSet::new();
        for (name, gold, pred, mode, want) in cases {
            assert!(names.insert(name), "duplicate case name {name}");
            let got =
                match_one_to_one(&refs(&gold), &refs(&pred), mode, &|_| true);
            assert_eq!(got, want, "{name}");
            // Input order must not matter: the same spans pair up.
            let spans = |g: &[Span], p: &[Span], pairs: &[(usize, usize)]| {
                let mut v: Vec<(Span, Span)> = pairs
                    .iter()
                    .map(|&(gi, pi)| (g[gi].clone(), p[pi].clone()))
                    .collect();
                v.sort_by_key(|(a, b)| (a.start, a.end, b.start, b.end));
                v
            };
            let mut rg = gold.clone();
            rg.reverse();
            let mut rp = pred.clone();
            rp.reverse();
            let got_rev =
                match_one_to_one(&refs(&rg), &refs(&rp), mode, &|_| true);
            assert_eq!(
                spans(&rg, &rp, &got_rev),
                spans(&gold, &pred, &want),
                "{name} (reversed input)"
            );
        }
    }

    #[test]
    fn preferred_gold_wins_ties() {
        let gold = [s("d", 0, 4, "Nationality"), s("d", 0, 4, "Location")];
        let pred = [s("d", 0, 4, "country")];
        let pairs = match_one_to_one(
            &refs(&gold),
            &refs(&pred),
            MatchMode::Exact,
            &|g| g.kind == "Location",
        );
        assert_eq!(pairs, [(1, 0)]);
    }

    /// (name, gold, predicted, row, exact (P, R), overlap (P, R))
    type ScoreCase = (
        &'static str,
        Vec<Span>,
        Vec<Span>,
        &'static str,
        (Option<f64>, Option<f64>),
        (Option<f64>, Option<f64>),
    );

    #[test]
    fn type_mapping_table() {
        let cases: Vec<ScoreCase> = vec![
            (
                "country matches Location",
                vec![s("d", 0, 4, "Location")],
                vec![s("d", 0, 4, "country")],
                "country",
                (Some(1.0), None),
                (Some(1.0), None),
            ),
            (
                "country matches Nationality",
                vec![s("d", 0, 5, "Nationality")],
                vec![s("d", 0, 5, "country")],
                "country",
                (Some(1.0), None),
                (Some(1.0), None),
            ),
            (
                "country against Organisation is wrong",
                vec![s("d", 0, 4, "Organisation")],
                vec![s("d", 0, 4, "country")],
                "country",
                (Some(0.0), None),
                (Some(0.0), None),
            ),
            (
                "city does not match Nationality",
                vec![s("d", 0, 5, "Nationality")],
                vec![s("d", 0, 5, "city")],
                "city",
                (Some(0.0), None),
                (Some(0.0), None),
            ),
            (
                "location: country and city against Location",
                vec![s("d", 0, 4, "Location"), s("d", 10, 15, "Location")],
                vec![s("d", 0, 4, "country"), s("d", 10, 14, "city")],
                "location",
                (Some(0.5), Some(0.5)),
                (Some(1.0), Some(1.0)),
            ),
            (
                "location: a demonym is correct but not in recall",
                vec![s("d", 0, 5, "Nationality"), s("d", 9, 13, "Location")],
                vec![s("d", 0, 5, "country")],
                "location",
                (Some(1.0), Some(0.0)),
                (Some(1.0), Some(0.0)),
            ),
            (
                "location counts other place types",
                vec![s("d", 0, 6, "Location")],
                vec![s("d", 0, 6, "region")],
                "location",
                (Some(1.0), Some(1.0)),
                (Some(1.0), Some(1.0)),
            ),
            (
                "organization: British spelling in gold, case ignored",
                vec![s("d", 0, 4, "ORGANISATION")],
                vec![s("d", 0, 4, "Organization")],
                "organization",
                (Some(1.0), Some(1.0)),
                (Some(1.0), Some(1.0)),
            ),
            (
                "person: CoNLL tag",
                vec![s("d", 0, 4, "PER"), s("d", 5, 9, "PER")],
                vec![s("d", 0, 4, "person")],
                "person",
                (Some(1.0), Some(0.5)),
                (Some(1.0), Some(0.5)),
            ),
            (
                "no predictions: precision undefined",
                vec![s("d", 0, 4, "Person")],
                vec![],
                "person",
                (None, Some(0.0)),
                (None, Some(0.0)),
            ),
            (
                "all: sums location, organization, person",
                vec![
                    s("d", 0, 4, "Location"),
                    s("d", 5, 9, "Person"),
                    s("d", 10, 14, "Organisation"),
                ],
                vec![
                    s("d", 0, 4, "country"),
                    s("d", 5, 9, "person"),
                    s("d", 20, 24, "organization"),
                ],
                "all",
                (Some(2.0 / 3.0), Some(2.0 / 3.0)),
                (Some(2.0 / 3.0), Some(2.0 / 3.0)),
            ),
        ];
        let map = TypeMap::re3d();
        let mut names = BTreeSet::new();
        for (name, gold, pred, row, exact, overlap) in cases {
            assert!(names.insert(name), "duplicate case name {name}");
            let report = evaluate(&gold, &pred, &map);
            let r = report.row(row).unwrap();
            assert_eq!(
                (r.exact.precision(), r.exact.recall()),
                exact,
                "{name}: exact"
            );
            assert_eq!(
                (r.overlap.precision(), r.overlap.recall()),
                overlap,
                "{name}: overlap"
            );
        }
    }

    #[test]
    fn f1_and_lists() {
        let gold = vec![
            Span::new("d", 0, 4, "Location", "Iraq"),
            Span::new("d", 10, 18, "Location", "Karrada"),
            Span::new("d", 20, 33, "Organisation", "United States"),
            Span::new("e", 0, 4, "Location", "Iraq"),
        ];
        let pred = vec![
            Span::new("d", 0, 4, "country", "Iraq"),
            Span::new("d", 24, 33, "country", "States"),
            Span::new("e", 0, 4, "country", "Iraq"),
            Span::new("e", 9, 13, "country", "Chad"),
            Span::new("e", 20, 25, "event", "Games"),
        ];
        let report = evaluate(&gold, &pred, &TypeMap::re3d());
        let loc = report.row("location").unwrap();
        assert_eq!(loc.exact.gold, Some(3));
        assert_eq!(loc.exact.predicted, 4);
        assert_eq!(loc.exact.precision(), Some(0.5));
        assert_eq!(loc.exact.recall(), Some(2.0 / 3.0));
        let f1 = loc.exact.f1().unwrap();
        assert!((f1 - 4.0 / 7.0).abs() < 1e-12);
        assert_eq!(report.misses[0].text, "Karrada");
        assert_eq!(report.false_alarms.len(), 2);
        let states =
            report.false_alarms.iter().find(|t| t.text == "States").unwrap();
        assert_eq!(states.overlapping, "Organisation");
        assert_eq!(report.unmapped.get("event"), Some(&1));
        let mut table = Vec::new();
        report.write_table(&mut table, 15).unwrap();
        let table = String::from_utf8(table).unwrap();
        assert!(table.contains("country"), "{table}");
        let mut csv_out = Vec::new();
        report.write_csv(&mut csv_out).unwrap();
        let csv_out = String::from_utf8(csv_out).unwrap();
        assert!(csv_out.starts_with("type,gold,predicted,"));
        assert!(csv_out.contains("\ncountry,,4,"), "{csv_out}");
    }

    #[test]
    fn row_spec_parses() {
        let r: RowSpec =
            "location=country, city:Location:Nationality".parse().unwrap();
        assert_eq!(
            r,
            RowSpec::new(
                "location",
                &["country", "city"],
                &["Location"],
                &["Nationality"]
            )
        );
        let r: RowSpec = "country=country::Location".parse().unwrap();
        assert!(r.gold.is_empty());
        assert_eq!(r.also, ["Location"]);
        for bad in ["country", "=x", "a=", "a=b:c:d:e"] {
            assert!(bad.parse::<RowSpec>().is_err(), "{bad}");
        }
        let mut map = TypeMap::re3d();
        map.set("person=person,official:Person".parse().unwrap());
        map.set("misc=event:MISC".parse().unwrap());
        assert_eq!(map.rows.len(), 6);
        assert_eq!(map.rows[3].predicted, ["person", "official"]);
    }

    #[test]
    fn char_index_converts_units() {
        // "é" is 2 bytes, "😀" is 4 bytes and 2 UTF-16 units.
        let text = "é😀ab";
        let ix = CharIndex::new(text);
        assert_eq!(ix.to_char(OffsetUnit::Char, 2), Some(2));
        assert_eq!(ix.to_char(OffsetUnit::Utf16, 3), Some(2));
        assert_eq!(ix.to_char(OffsetUnit::Utf16, 2), None); // inside a pair
        assert_eq!(ix.to_char(OffsetUnit::Byte, 6), Some(2));
        assert_eq!(ix.to_char(OffsetUnit::Byte, 1), None);
        assert_eq!(ix.to_char(OffsetUnit::Char, 5), None);
        assert_eq!(ix.slice(2, 4), Some("ab"));
    }

    #[test]
    fn csv_spans_are_checked() {
        let p = Path::new("m.csv");
        let ok = "doc_id,start,end,text,type\nd,0,4,Iraq,country\n";
        let f = read_spans_csv(p, ok.as_bytes(), &[]).unwrap();
        assert_eq!(f.spans, [Span::new("d", 0, 4, "country", "Iraq")]);
        let docs =
            [GoldDocument { id: "d".into(), text: "Iraq and Syria".into() }];
        let two = "doc_id,start,end,type\nd,9,14,country\nx,0,1,city\n";
        let f = read_spans_csv(p, two.as_bytes(), &docs).unwrap();
        assert_eq!(f.spans[0].text, "Syria");
        assert_eq!(f.unknown_documents, 1);
        for (bad, want) in [
            ("doc_id,start,type\nd,0,x\n", "m.csv:1: missing column `end`"),
            (
                "doc_id,start,end,type\nd,0,4,x\nd,a,4,x\n",
                "m.csv:3: `start` is not",
            ),
            (
                "doc_id,start,end,type\nd,4,4,x\n",
                "m.csv:2: start 4 is not before end 4",
            ),
        ] {
            let e = read_spans_csv(p, bad.as_bytes(), &[]).unwrap_err();
            assert!(e.to_string().starts_with(want), "{e}");
        }
        let e = read_spans_csv(
            p,
            "doc_id,start,end,type\nd,0,40,x\n".as_bytes(),
            &docs,
        )
        .unwrap_err();
        assert!(e.to_string().contains("past the end"), "{e}");
    }

    #[test]
    fn conll_builds_text_and_spans() {
        let src = "-DOCSTART- O\n\nEU B-ORG\nrejects O\nGerman B-MISC\ncall O\n. O\n\n\
                   Peter B-PER\nBlackburn I-PER\n\n-DOCSTART- O\n\nIn O\nNew I-LOC\nYork I-LOC\n";
        let (docs, spans) =
            read_conll(Path::new("x.conll"), src.as_bytes()).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "EU rejects German call .\nPeter Blackburn");
        assert_eq!(docs[1].id, "x.conll#2");
        let got: Vec<(&str, usize, usize, &str, &str)> = spans
            .iter()
            .map(|s| {
                (
                    s.doc_id.as_str(),
                    s.start,
                    s.end,
                    s.kind.as_str(),
                    s.text.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("x.conll#1", 0, 2, "ORG", "EU"),
                ("x.conll#1", 11, 17, "MISC", "German"),
                ("x.conll#1", 25, 40, "PER", "Peter Blackburn"),
                ("x.conll#2", 3, 11, "LOC", "New York"),
            ]
        );
        let e =
            read_conll(Path::new("x.conll"), "a B-\n".as_bytes()).unwrap_err();
        let crate::ErrorKind::Input { path, line, .. } = e.kind() else {
            panic!("not an input error: {e}")
        };
        assert_eq!((path.as_str(), *line), ("x.conll", Some(1)));
    }
}
