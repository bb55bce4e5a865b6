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

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rayon::prelude::*;
use serde::Deserialize;

use crate::compile::Tagger;
use crate::tagger::Scratch;

/// A problem with an input file, with its path and, where known, line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    /// The file, as the user named it.
    path: String,
    /// 1-based line, when the problem is on one line.
    line: Option<u64>,
    /// What is wrong, lowercase.
    message: String,
}

impl EvalError {
    fn new(
        path: &Path,
        line: Option<u64>,
        message: impl Into<String>,
    ) -> Self {
        EvalError {
            path: path.display().to_string(),
            line,
            message: message.into(),
        }
    }

    /// The file the problem is in.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The 1-based line, when the problem is on one line.
    pub fn line(&self) -> Option<u64> {
        self.line
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => {
                write!(f, "{}:{}: {}", self.path, line, self.message)
            }
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for EvalError {}

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
    pub fn load(path: &Path, opts: &GoldOptions) -> Result<Gold, EvalError> {
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
                        return Err(EvalError::new(
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
                        return Err(EvalError::new(
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

fn open(path: &Path) -> Result<std::fs::File, EvalError> {
    std::fs::File::open(path)
        .map_err(|e| EvalError::new(path, None, format!("cannot open: {e}")))
}

/// Spans read from a CSV file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanFile {
    /// The spans kept, in file order.
    pub spans: Vec<Span>,
    /// Rows left out because their document is not among the given
    /// documents.
    pub unknown_documents: usize,
}

/// Reads spans from CSV with a header row naming at least `doc_id`, `start`,
/// `end` and `type` (character offsets, end exclusive; other columns are
/// ignored, `text` is kept). This reads gold CSV files and the
/// `mentions.csv` that `gaztag tag` writes.
///
/// When `documents` is not empty, rows of other documents are left out
/// (and counted), and the span text is taken from the document.
///
/// # Errors
/// Fails on a missing column, a malformed number, `start >= end`, or an
/// offset past the end of a known document; the error names `path` and the
/// line.
pub fn read_spans_csv<R: Read>(
    path: &Path,
    reader: R,
    documents: &[GoldDocument],
) -> Result<SpanFile, EvalError> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let csv_err = |e: csv::Error| {
        let line = e.position().map(|p| p.line());
        EvalError::new(path, line, format!("invalid CSV: {e}"))
    };
    let header = r.headers().map_err(csv_err)?.clone();
    let col = |name: &str| -> Result<usize, EvalError> {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                EvalError::new(
                    path,
                    Some(1),
                    format!(
                        "missing column `{name}` (the header must name \
                         doc_id, start, end and type)"
                    ),
                )
            })
    };
    let (c_doc, c_start, c_end, c_type) =
        (col("doc_id")?, col("start")?, col("end")?, col("type")?);
    let c_text = col("text").ok();
    let texts: HashMap<&str, CharIndex<'_>> = documents
        .iter()
        .map(|d| (d.id.as_str(), CharIndex::new(&d.text)))
        .collect();
    let mut out = SpanFile::default();
    let mut record = csv::StringRecord::new();
    while r.read_record(&mut record).map_err(csv_err)? {
        let line = record.position().map(|p| p.line());
        let field = |c: usize, name: &str| {
            record.get(c).ok_or_else(|| {
                EvalError::new(path, line, format!("missing field `{name}`"))
            })
        };
        let number = |c: usize, name: &str| -> Result<usize, EvalError> {
            let s = field(c, name)?;
            s.trim().parse().map_err(|_| {
                EvalError::new(
                    path,
                    line,
                    format!("`{name}` is not a non-negative integer: {s:?}"),
                )
            })
        };
        let doc_id = field(c_doc, "doc_id")?;
        let (start, end) = (number(c_start, "start")?, number(c_end, "end")?);
        if start >= end {
            return Err(EvalError::new(
                path,
                line,
                format!("start {start} is not before end {end}"),
            ));
        }
        let kind = field(c_type, "type")?.trim();
        let mut text =
            c_text.and_then(|c| record.get(c)).unwrap_or("").to_string();
        if !documents.is_empty() {
            let Some(index) = texts.get(doc_id) else {
                out.unknown_documents += 1;
                continue;
            };
            text = index.slice(start, end).map(str::to_string).ok_or_else(
                || {
                    EvalError::new(
                        path,
                        line,
                        format!(
                            "span {start}..{end} is past the end of document \
                             {doc_id:?} ({} characters)",
                            index.chars()
                        ),
                    )
                },
            )?;
        }
        out.spans.push(Span {
            doc_id: doc_id.to_string(),
            start,
            end,
            kind: kind.to_string(),
            text,
        });
    }
    Ok(out)
}

/// Character, UTF-16 and byte positions of a text, for converting offsets.
struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of each character, plus the text length.
    bytes: Vec<usize>,
    /// UTF-16 offset of each character, plus the total.
    utf16: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    fn new(text: &'a str) -> CharIndex<'a> {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        let mut utf16 = Vec::with_capacity(text.len() + 1);
        let mut u = 0;
        for (b, c) in text.char_indices() {
            bytes.push(b);
            utf16.push(u);
            u += c.len_utf16();
        }
        bytes.push(text.len());
        utf16.push(u);
        CharIndex { text, bytes, utf16 }
    }

    fn chars(&self) -> usize {
        self.bytes.len() - 1
    }

    /// The character offset of `offset` counted in `unit`, if it falls on a
    /// character boundary within the text.
    fn to_char(&self, unit: OffsetUnit, offset: usize) -> Option<usize> {
        match unit {
            OffsetUnit::Char => (offset <= self.chars()).then_some(offset),
            OffsetUnit::Utf16 => self.utf16.binary_search(&offset).ok(),
            OffsetUnit::Byte => self.bytes.binary_search(&offset).ok(),
        }
    }

    /// The text between two character offsets.
    fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        let text = self.text;
        (start <= end && end <= self.chars())
            .then(|| &text[self.bytes[start]..self.bytes[end]])
    }
}

/// The re3d folders below `path`: `path` itself if it holds
/// `entities.json`, else its sub-folders that do, sorted by name.
fn re3d_folders(path: &Path) -> Result<Vec<PathBuf>, EvalError> {
    if path.join("entities.json").is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let rd = std::fs::read_dir(path).map_err(|e| {
        EvalError::new(path, None, format!("cannot read folder: {e}"))
    })?;
    let mut dirs: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("entities.json").is_file())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(EvalError::new(
            path,
            None,
            "not a re3d folder: neither it nor its sub-folders hold \
             documents.json and entities.json",
        ));
    }
    Ok(dirs)
}

#[derive(Deserialize)]
struct Re3dDocument {
    #[serde(rename = "_id")]
    id: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Re3dEntity {
    document_id: String,
    begin: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: String,
    value: String,
    confidence: Option<f64>,
}

/// Reads a mongoexport file: one JSON object per line, or one JSON array.
/// Returns each record with its 1-based line (`None` inside an array).
fn read_json_records<T: for<'de> Deserialize<'de>>(
    path: &Path,
) -> Result<Vec<(Option<u64>, T)>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        EvalError::new(path, None, format!("cannot read: {e}"))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim_start().starts_with('[') {
        let all: Vec<T> = serde_json::from_str(text).map_err(|e| {
            EvalError::new(
                path,
                Some(e.line() as u64),
                format!("invalid JSON: {e}"),
            )
        })?;
        return Ok(all.into_iter().map(|r| (None, r)).collect());
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let rec = serde_json::from_str(line).map_err(|e| {
            EvalError::new(
                path,
                Some(i as u64 + 1),
                format!("invalid record: {e}"),
            )
        })?;
        out.push((Some(i as u64 + 1), rec));
    }
    Ok(out)
}

fn read_re3d_folder(
    dir: &Path,
    opts: &GoldOptions,
    gold: &mut Gold,
) -> Result<(), EvalError> {
    let docs_path = dir.join("documents.json");
    let ents_path = dir.join("entities.json");
    let docs: Vec<(Option<u64>, Re3dDocument)> =
        read_json_records(&docs_path)?;
    let ents: Vec<(Option<u64>, Re3dEntity)> = read_json_records(&ents_path)?;
    let first_doc = gold.documents.len();
    gold.documents.extend(
        docs.into_iter().map(|(_, d)| GoldDocument { id: d.id, text: d.text }),
    );
    let documents = &gold.documents[first_doc..];
    let by_id: HashMap<&str, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let index: Vec<CharIndex<'_>> =
        documents.iter().map(|d| CharIndex::new(&d.text)).collect();
    let mut resolved = Vec::with_capacity(ents.len());
    for (line, e) in &ents {
        let Some(&d) = by_id.get(e.document_id.as_str()) else {
            return Err(EvalError::new(
                &ents_path,
                *line,
                format!(
                    "documentId {:?} is not in {}",
                    e.document_id,
                    docs_path.display()
                ),
            ));
        };
        if e.begin >= e.end {
            return Err(EvalError::new(
                &ents_path,
                *line,
                format!("begin {} is not before end {}", e.begin, e.end),
            ));
        }
        resolved.push(d);
    }
    // Which unit makes `text[begin..end] == value`?
    let char_span = |d: usize, unit: OffsetUnit, e: &Re3dEntity| {
        let ix = &index[d];
        Some((ix.to_char(unit, e.begin)?, ix.to_char(unit, e.end)?))
    };
    let mut agree = [0; 3];
    for ((_, e), &d) in ents.iter().zip(&resolved) {
        for (k, unit) in OffsetUnit::ALL.into_iter().enumerate() {
            if let Some((s, t)) = char_span(d, unit, e)
                && index[d].slice(s, t) == Some(e.value.as_str())
            {
                agree[k] += 1;
            }
        }
    }
    let (unit, detected) = match opts.offsets {
        Some(u) => (u, false),
        None => {
            let best =
                (0..3).max_by_key(|&k| (agree[k], Reverse(k))).unwrap_or(0);
            (OffsetUnit::ALL[best], true)
        }
    };
    let mut check = OffsetCheck {
        source: ents_path.clone(),
        unit,
        detected,
        entities: ents.len(),
        agree,
        mismatches: 0,
        examples: Vec::new(),
    };
    for ((line, e), &d) in ents.iter().zip(&resolved) {
        let doc = &documents[d];
        let Some((start, end)) = char_span(d, unit, e) else {
            return Err(EvalError::new(
                &ents_path,
                *line,
                format!(
                    "offsets {}..{} do not fall on character boundaries of \
                     document {:?} read as {}",
                    e.begin,
                    e.end,
                    doc.id,
                    unit.name()
                ),
            ));
        };
        let text = index[d].slice(start, end).unwrap_or_default();
        if text != e.value {
            check.mismatches += 1;
            if check.examples.len() < 3 {
                check.examples.push(format!("{:?} vs {:?}", e.value, text));
            }
        }
        if e.confidence.is_some_and(|c| c < opts.min_confidence) {
            gold.below_confidence += 1;
            continue;
        }
        gold.spans.push(Span {
            doc_id: doc.id.clone(),
            start,
            end,
            kind: e.kind.clone(),
            text: text.to_string(),
        });
    }
    gold.offset_checks.push(check);
    Ok(())
}

/// Reads a CoNLL-style IOB file; see [`GoldFormat::Conll`].
///
/// Documents are named `<file name>#<n>`, counting from 1. Tags may be
/// IOB1 or IOB2 (`I-X` after `O` or another type starts a span), and
/// BIOES (`S-X`, `E-X`) is read too.
///
/// # Errors
/// Fails on a line with a tag that is not `O` or `B-`/`I-`/`E-`/`S-`
/// followed by a type.
pub fn read_conll<R: BufRead>(
    path: &Path,
    reader: R,
) -> Result<(Vec<GoldDocument>, Vec<Span>), EvalError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut docs: Vec<GoldDocument> = Vec::new();
    let mut spans = Vec::new();
    let mut text = String::new();
    let mut chars = 0usize;
    // The open span: start character, type.
    let mut open: Option<(usize, String)> = None;
    // Whether the previous token ended a sentence (or the document began).
    let mut sentence_start = true;
    let ended_doc = |text: &mut String,
                     chars: &mut usize,
                     open: &mut Option<(usize, String)>,
                     spans: &mut Vec<Span>,
                     docs: &mut Vec<GoldDocument>| {
        let id = format!("{name}#{}", docs.len() + 1);
        if let Some((s, kind)) = open.take() {
            spans.push(conll_span(&id, text, s, *chars, kind));
        }
        let n = spans.iter().rev().take_while(|s| s.doc_id.is_empty()).count();
        let len = spans.len();
        for s in &mut spans[len - n..] {
            s.doc_id = id.clone();
        }
        if !text.trim().is_empty() {
            docs.push(GoldDocument { id, text: std::mem::take(text) });
        } else {
            text.clear();
        }
        *chars = 0;
    };
    for (i, line) in reader.lines().enumerate() {
        let lineno = Some(i as u64 + 1);
        let line = line.map_err(|e| {
            EvalError::new(path, lineno, format!("cannot read: {e}"))
        })?;
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.first() == Some(&"-DOCSTART-") {
            ended_doc(&mut text, &mut chars, &mut open, &mut spans, &mut docs);
            sentence_start = true;
            continue;
        }
        if cols.is_empty() {
            if let Some((s, kind)) = open.take() {
                spans.push(conll_span("", &text, s, chars, kind));
            }
            sentence_start = true;
            continue;
        }
        if cols.len() < 2 {
            return Err(EvalError::new(
                path,
                lineno,
                format!("expected a token and a tag, found {line:?}"),
            ));
        }
        let (token, tag) = (cols[0], cols[cols.len() - 1]);
        let (prefix, kind) = match tag.split_once('-') {
            _ if tag == "O" => ("O", ""),
            Some((p @ ("B" | "I" | "E" | "S"), k)) if !k.is_empty() => (p, k),
            _ => {
                return Err(EvalError::new(
                    path,
                    lineno,
                    format!("tag {tag:?} is not O, B-X, I-X, E-X or S-X"),
                ));
            }
        };
        if !text.is_empty() {
            text.push(if sentence_start { '\n' } else { ' ' });
            chars += 1;
        }
        sentence_start = false;
        let start = chars;
        text.push_str(token);
        chars += token.chars().count();
        let continues = matches!(prefix, "I" | "E")
            && open.as_ref().is_some_and(|(_, k)| k == kind);
        if !continues {
            if let Some((s, k)) = open.take() {
                spans.push(conll_span("", &text, s, start - 1, k));
            }
            if prefix != "O" {
                open = Some((start, kind.to_string()));
            }
        }
        if matches!(prefix, "E" | "S")
            && let Some((s, k)) = open.take()
        {
            spans.push(conll_span("", &text, s, chars, k));
        }
    }
    ended_doc(&mut text, &mut chars, &mut open, &mut spans, &mut docs);
    Ok((docs, spans))
}

/// A CoNLL span of the document being read; its id is set when the
/// document ends.
fn conll_span(
    id: &str,
    text: &str,
    start: usize,
    end: usize,
    kind: String,
) -> Span {
    let s: String = text.chars().skip(start).take(end - start).collect();
    Span { doc_id: id.to_string(), start, end, kind, text: s }
}

/// Tags every document with `tagger` and returns the mentions as spans
/// (type = the entity's type), in document order. Documents are tagged in
/// parallel; the result does not depend on the thread count.
pub fn tag_documents(
    tagger: &Tagger,
    documents: &[GoldDocument],
) -> Vec<Span> {
    let per_doc: Vec<Vec<Span>> = documents
        .par_iter()
        .map_init(Scratch::new, |scratch, doc| {
            let tags = tagger.tag_with(scratch, &doc.text);
            tags.mentions
                .iter()
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

    fn predicts(&self, kind: &str) -> bool {
        self.predicted.iter().any(|t| t.eq_ignore_ascii_case(kind))
    }

    fn in_base(&self, kind: &str) -> bool {
        self.gold.iter().any(|t| t.eq_ignore_ascii_case(kind))
    }

    fn accepts(&self, kind: &str) -> bool {
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

    fn add(&mut self, other: &Counts) {
        self.gold = match (self.gold, other.gold) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        self.predicted += other.predicted;
        self.matched_gold += other.matched_gold;
        self.matched_predicted += other.matched_predicted;
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
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

/// The result of [`evaluate`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// One score per row of the [`TypeMap`], then `all`.
    pub rows: Vec<RowScore>,
    /// Gold spans of a recall base that no prediction of the row overlaps,
    /// most frequent first.
    pub misses: Vec<Tally>,
    /// Predictions of a row with a recall base that overlap no accepted
    /// gold span, most frequent first.
    pub false_alarms: Vec<Tally>,
    /// Overlap matches whose boundaries differ, most frequent first.
    pub partial: Vec<Tally>,
    /// Predictions whose type no row counts, by type.
    pub unmapped: BTreeMap<String, usize>,
    /// What the rows without a recall base accept, for the notes.
    pub notes: Vec<String>,
}

impl Report {
    /// The row named `name`.
    pub fn row(&self, name: &str) -> Option<&RowScore> {
        self.rows.iter().find(|r| r.name == name)
    }

    /// Writes the aligned table, the notes, and the top `top` entries of
    /// each list.
    ///
    /// # Errors
    /// Fails on a write error.
    pub fn write_table(
        &self,
        w: &mut dyn Write,
        top: usize,
    ) -> io::Result<()> {
        // Laid out with padding, then written without trailing spaces.
        let mut buf = Vec::new();
        self.layout_table(&mut buf, top)?;
        for line in String::from_utf8_lossy(&buf).lines() {
            writeln!(w, "{}", line.trim_end())?;
        }
        Ok(())
    }

    fn layout_table(&self, w: &mut dyn Write, top: usize) -> io::Result<()> {
        let width =
            self.rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(4);
        let num =
            |n: Option<usize>| n.map_or("-".to_string(), |n| n.to_string());
        let f =
            |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.3}"));
        writeln!(
            w,
            "{:width$}  {:>6}  {:>6}  {:^22}  {:^22}",
            "", "", "", "exact", "overlap"
        )?;
        writeln!(
            w,
            "{:width$}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}",
            "type", "gold", "pred", "P", "R", "F1", "P", "R", "F1"
        )?;
        for r in &self.rows {
            writeln!(
                w,
                "{:width$}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}",
                r.name,
                num(r.exact.gold),
                r.exact.predicted,
                f(r.exact.precision()),
                f(r.exact.recall()),
                f(r.exact.f1()),
                f(r.overlap.precision()),
                f(r.overlap.recall()),
                f(r.overlap.f1()),
            )?;
        }
        writeln!(w)?;
        for n in &self.notes {
            writeln!(w, "{n}")?;
        }
        if !self.unmapped.is_empty() {
            let list: Vec<String> = self
                .unmapped
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            writeln!(
                w,
                "predictions of types no row counts (left out): {}",
                list.join(", ")
            )?;
        }
        let lists: [(&str, &[Tally], &str); 3] = [
            (
                "worst misses (gold spans no prediction of the row overlaps)",
                &self.misses,
                "predicted over it",
            ),
            (
                "false alarms (predictions overlapping no accepted gold span)",
                &self.false_alarms,
                "gold under it",
            ),
            (
                "partial matches (overlap but different boundaries): gold → predicted",
                &self.partial,
                "",
            ),
        ];
        for (title, list, extra) in lists {
            writeln!(w, "\n{title}, top {}:", top.min(list.len()))?;
            let shown = &list[..top.min(list.len())];
            let kw = shown
                .iter()
                .map(|t| t.kind.chars().count())
                .max()
                .unwrap_or(0)
                .max(4);
            let tw = shown
                .iter()
                .map(|t| t.text.chars().count())
                .max()
                .unwrap_or(0)
                .max(4);
            if !shown.is_empty() {
                writeln!(
                    w,
                    "  {:>5}  {:kw$}  {:tw$}  {}",
                    "count", "type", "text", extra
                )?;
            }
            for t in shown {
                writeln!(
                    w,
                    "  {:>5}  {}  {}  {}",
                    t.count,
                    pad(&t.kind, kw),
                    pad(&t.text, tw),
                    t.overlapping
                )?;
            }
        }
        Ok(())
    }

    /// Writes the table as CSV: `type,gold,predicted`, then for `exact` and
    /// `overlap` the matched counts, precision, recall and F1. Values that
    /// cannot be computed are empty cells.
    ///
    /// # Errors
    /// Fails on a write error.
    pub fn write_csv(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record([
            "type",
            "gold",
            "predicted",
            "exact_matched_gold",
            "exact_matched_predicted",
            "exact_precision",
            "exact_recall",
            "exact_f1",
            "overlap_matched_gold",
            "overlap_matched_predicted",
            "overlap_precision",
            "overlap_recall",
            "overlap_f1",
        ])?;
        let f =
            |x: Option<f64>| x.map_or(String::new(), |x| format!("{x:.4}"));
        for r in &self.rows {
            let mut rec = vec![
                r.name.clone(),
                r.exact.gold.map_or(String::new(), |n| n.to_string()),
                r.exact.predicted.to_string(),
            ];
            for c in [&r.exact, &r.overlap] {
                rec.push(if c.gold.is_some() {
                    c.matched_gold.to_string()
                } else {
                    String::new()
                });
                rec.push(c.matched_predicted.to_string());
                rec.push(f(c.precision()));
                rec.push(f(c.recall()));
                rec.push(f(c.f1()));
            }
            out.write_record(&rec)?;
        }
        out.flush()
    }
}

/// `s` padded with spaces to `width` characters.
fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

/// Counts of texts with the types that overlap them, for one list.
#[derive(Default)]
struct Tallies {
    map: BTreeMap<(String, String), (usize, BTreeMap<String, usize>)>,
}

impl Tallies {
    fn add(&mut self, kind: &str, text: String, overlapping: Option<&str>) {
        let e = self.map.entry((kind.to_string(), text)).or_default();
        e.0 += 1;
        if let Some(o) = overlapping {
            *e.1.entry(o.to_string()).or_default() += 1;
        }
    }

    fn finish(self) -> Vec<Tally> {
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
fn most_overlapping<'a>(s: &Span, others: &[&'a Span]) -> Option<&'a str> {
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
fn notes(map: &TypeMap, gold: &[Span]) -> Vec<String> {
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
        assert_eq!(e.line(), Some(1));
    }
}
