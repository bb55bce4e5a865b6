//! Reading gold spans: a CSV of spans, the re3d JSON layout, CoNLL IOB.

use super::*;

pub(super) fn open(path: &Path) -> Result<std::fs::File> {
    std::fs::File::open(path)
        .map_err(|e| Error::input(path, None, format!("cannot open: {e}")))
}

/// Spans read from a CSV file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanFile {
    /// The spans kept, in file order.
    pub spans: Vec<Span>,
    /// The `via` column of each span (as `gaztag tag` writes it), empty
    /// when the file has none.
    pub vias: Vec<String>,
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
) -> Result<SpanFile> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let csv_err = |e: csv::Error| {
        let line = e.position().map(|p| p.line());
        Error::input(path, line, format!("invalid CSV: {e}"))
    };
    let header = r.headers().map_err(csv_err)?.clone();
    let col = |name: &str| -> Result<usize> {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                Error::input(
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
    let c_via = col("via").ok();
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
                Error::input(path, line, format!("missing field `{name}`"))
            })
        };
        let number = |c: usize, name: &str| -> Result<usize> {
            let s = field(c, name)?;
            s.trim().parse().map_err(|_| {
                Error::input(
                    path,
                    line,
                    format!("`{name}` is not a non-negative integer: {s:?}"),
                )
            })
        };
        let doc_id = field(c_doc, "doc_id")?;
        let (start, end) = (number(c_start, "start")?, number(c_end, "end")?);
        if start >= end {
            return Err(Error::input(
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
                    Error::input(
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
        let via = c_via.and_then(|c| record.get(c)).unwrap_or("");
        out.vias.push(via.trim().to_string());
    }
    Ok(out)
}

/// Character, UTF-16 and byte positions of a text, for converting offsets.
pub(super) struct CharIndex<'a> {
    pub(super) text: &'a str,
    /// Byte offset of each character, plus the text length.
    pub(super) bytes: Vec<usize>,
    /// UTF-16 offset of each character, plus the total.
    pub(super) utf16: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    pub(super) fn new(text: &'a str) -> CharIndex<'a> {
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

    pub(super) fn chars(&self) -> usize {
        self.bytes.len() - 1
    }

    /// The character offset of `offset` counted in `unit`, if it falls on a
    /// character boundary within the text.
    pub(super) fn to_char(
        &self,
        unit: OffsetUnit,
        offset: usize,
    ) -> Option<usize> {
        match unit {
            OffsetUnit::Char => (offset <= self.chars()).then_some(offset),
            OffsetUnit::Utf16 => self.utf16.binary_search(&offset).ok(),
            OffsetUnit::Byte => self.bytes.binary_search(&offset).ok(),
        }
    }

    /// The text between two character offsets.
    pub(super) fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        let text = self.text;
        (start <= end && end <= self.chars())
            .then(|| &text[self.bytes[start]..self.bytes[end]])
    }
}

/// The re3d folders below `path`: `path` itself if it holds
/// `entities.json`, else its sub-folders that do, sorted by name.
pub(super) fn re3d_folders(path: &Path) -> Result<Vec<PathBuf>> {
    if path.join("entities.json").is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let rd = std::fs::read_dir(path).map_err(|e| {
        Error::input(path, None, format!("cannot read folder: {e}"))
    })?;
    let mut dirs: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("entities.json").is_file())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(Error::input(
            path,
            None,
            "not a re3d folder: neither it nor its sub-folders hold \
             documents.json and entities.json",
        ));
    }
    Ok(dirs)
}

#[derive(Deserialize)]
pub(super) struct Re3dDocument {
    #[serde(rename = "_id")]
    pub(super) id: String,
    pub(super) text: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Re3dEntity {
    pub(super) document_id: String,
    pub(super) begin: usize,
    pub(super) end: usize,
    #[serde(rename = "type")]
    pub(super) kind: String,
    pub(super) value: String,
    pub(super) confidence: Option<f64>,
}

/// Reads a mongoexport file: one JSON object per line, or one JSON array.
/// Returns each record with its 1-based line (`None` inside an array).
pub(super) fn read_json_records<T: for<'de> Deserialize<'de>>(
    path: &Path,
) -> Result<Vec<(Option<u64>, T)>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::input(path, None, format!("cannot read: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim_start().starts_with('[') {
        let all: Vec<T> = serde_json::from_str(text).map_err(|e| {
            Error::input(
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
            Error::input(
                path,
                Some(i as u64 + 1),
                format!("invalid record: {e}"),
            )
        })?;
        out.push((Some(i as u64 + 1), rec));
    }
    Ok(out)
}

pub(super) fn read_re3d_folder(
    dir: &Path,
    opts: &GoldOptions,
    gold: &mut Gold,
) -> Result<()> {
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
            return Err(Error::input(
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
            return Err(Error::input(
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
            return Err(Error::input(
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
) -> Result<(Vec<GoldDocument>, Vec<Span>)> {
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
            Error::input(path, lineno, format!("cannot read: {e}"))
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
            return Err(Error::input(
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
                return Err(Error::input(
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
pub(super) fn conll_span(
    id: &str,
    text: &str,
    start: usize,
    end: usize,
    kind: String,
) -> Span {
    let s: String = text.chars().skip(start).take(end - start).collect();
    Span { doc_id: id.to_string(), start, end, kind, text: s }
}
