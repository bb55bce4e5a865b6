//! The output tables: the one place that knows their columns.
//!
//! Three tables, UTF-8, each in one of three [`Format`]s (RFC 4180 CSV with
//! a header row by default, TSV, or JSON Lines):
//!
//! - `mentions.csv`: [`MENTION_COLUMNS`], one row per entity mention.
//! - `topics.csv`: [`TOPIC_COLUMNS`], one row per topic label, best first.
//! - `documents.csv`: [`DOCUMENT_COLUMNS`], one row per input document,
//!   failed ones included.
//!
//! Rows are rendered per document into byte buffers ([`Rendered`]), in
//! parallel, and then written in input order by one thread.
//!
//! In CSV and TSV, text cells that a spreadsheet would read as a formula
//! (starting with `=`, `+`, `-`, `@`, tab or carriage return) get a leading
//! `'` unless raw output is asked for. Numeric columns are never altered.
//! JSON Lines is for programs, not spreadsheets: its strings are always
//! written as they are, and numeric columns are JSON numbers.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

use crate::compile::Tagger;
use crate::gazetteer::Entity;
use crate::input::Document;
use crate::record::{EvidenceSource, Tags, TopicLabel};

/// Columns of `mentions.csv`.
pub const MENTION_COLUMNS: &[&str] = &[
    "doc_id",
    "start",
    "end",
    "text",
    "entity_id",
    "entity",
    "type",
    "domain",
    "byte_start",
    "byte_end",
    "alternatives",
    "via",
    "inside_name",
];

/// Columns of `topics.csv`.
pub const TOPIC_COLUMNS: &[&str] =
    &["doc_id", "topic_id", "topic", "score", "rank", "evidence"];

/// Columns of `documents.csv`.
///
/// After the counts come the pivot columns: the document's entity ids by
/// type ([`PIVOT_TYPES`], then `other_entities` for any other type), most
/// mentioned first (ties by id), `|`-separated; then its topic ids, best
/// first, and the best one alone.
pub const DOCUMENT_COLUMNS: &[&str] = &[
    "doc_id",
    "status",
    "error",
    "chars",
    "mentions",
    "entities",
    "topics",
    "words",
    "bytes",
    "countries",
    "regions",
    "cities",
    "organizations",
    "people",
    "other_entities",
    "topic_ids",
    "top_topic",
    "all_countries",
];

/// Entity types with their own `documents.csv` column, and that column.
/// Entities of any other type go to `other_entities`.
pub const PIVOT_TYPES: &[(&str, &str)] = &[
    ("country", "countries"),
    ("region", "regions"),
    ("city", "cities"),
    ("organization", "organizations"),
    ("person", "people"),
];

/// Which columns of each table are numbers (JSON numbers in JSON Lines).
fn is_numeric(column: &str) -> bool {
    matches!(
        column,
        "start"
            | "end"
            | "byte_start"
            | "byte_end"
            | "score"
            | "rank"
            | "chars"
            | "mentions"
            | "entities"
            | "topics"
            | "words"
            | "bytes"
    )
}

/// The file format of the tables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// RFC 4180 CSV with a header row (`.csv`).
    #[default]
    Csv,
    /// The same with tabs between cells (`.tsv`). A cell holding a tab, a
    /// line break or a double quote is quoted as in CSV.
    Tsv,
    /// JSON Lines (`.jsonl`): one object per row, keys in column order,
    /// numeric columns as numbers (`null` when empty), `inside_name` as a
    /// boolean, everything else as strings written unchanged. No header.
    Jsonl,
}

impl Format {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Jsonl => "jsonl",
        }
    }

    /// Whether rows are delimited text (CSV or TSV) with a header row.
    pub fn is_delimited(self) -> bool {
        self != Format::Jsonl
    }
}

/// How the tables are written as files or streams.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// The file format. Default CSV.
    pub format: Format,
    /// Start each CSV or TSV table with a UTF-8 byte-order mark, which Excel
    /// needs to read the file as UTF-8. Never written for JSON Lines.
    /// Default `false`.
    pub bom: bool,
}

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One of the three tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    /// `mentions.csv`.
    Mentions,
    /// `topics.csv`.
    Topics,
    /// `documents.csv`.
    Documents,
}

impl Table {
    /// All tables, in file order.
    pub const ALL: [Table; 3] =
        [Table::Mentions, Table::Topics, Table::Documents];

    /// The file name used with an output folder, for CSV.
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Mentions => "mentions.csv",
            Table::Topics => "topics.csv",
            Table::Documents => "documents.csv",
        }
    }

    /// The name without extension: `mentions`, `topics` or `documents`.
    pub fn stem(self) -> &'static str {
        match self {
            Table::Mentions => "mentions",
            Table::Topics => "topics",
            Table::Documents => "documents",
        }
    }

    /// The file name used with an output folder, for `format`
    /// (`mentions.tsv`, `topics.jsonl`...).
    pub fn file_name_for(self, format: Format) -> String {
        format!("{}.{}", self.stem(), format.extension())
    }

    /// The header row.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Mentions => MENTION_COLUMNS,
            Table::Topics => TOPIC_COLUMNS,
            Table::Documents => DOCUMENT_COLUMNS,
        }
    }
}

/// How cells are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Leave formula-like text cells as they are. Default `false`.
    pub raw: bool,
}

/// Prefixes `'` to a text cell a spreadsheet would evaluate as a formula.
#[inline]
pub fn neutralise(cell: &str, raw: bool) -> std::borrow::Cow<'_, str> {
    // The six characters are ASCII, so the first byte decides: in UTF-8 an
    // ASCII byte is never part of a longer character.
    let formula = matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if formula && !raw {
        std::borrow::Cow::Owned(quoted(cell))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// `cell` with a leading `'`; kept out of line, as few cells need it.
#[cold]
fn quoted(cell: &str) -> String {
    let mut owned = String::with_capacity(cell.len() + 1);
    owned.push('\'');
    owned.push_str(cell);
    owned
}

/// Appends `v` with `digits` decimals (at most 9), exactly as
/// `write!(out, "{v:.digits$}")` would: the binary value rounded to the
/// nearest, ties to even, with the sign of a negative value (zero too).
///
/// The standard formatter often falls back to bignum arithmetic to round
/// exactly; for the numbers of the tables (neither huge nor tiny) this
/// does the same exactly in 128-bit integers, and hands anything else to
/// the formatter.
pub(crate) fn push_fixed(out: &mut String, v: f64, digits: u32) {
    debug_assert!(digits <= 9);
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    // `v` is `m / 2^shift`; zero, subnormals, infinities, NaN, values from
    // 2^52 up and below 2^-67 are left to the formatter.
    let shift = 1075 - biased;
    if biased == 0 || biased == 0x7ff || !(1..=120).contains(&shift) {
        let _ = write!(out, "{v:.*}", digits as usize);
        return;
    }
    let m = (bits & ((1 << 52) - 1)) | (1 << 52);
    let scaled = u128::from(m) * 10u128.pow(digits);
    let mut q = scaled >> shift;
    let rest = scaled & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    if rest > half || (rest == half && q & 1 == 1) {
        q += 1;
    }
    // Fits in 64 bits unless `v` is large and `digits` over 3.
    let Ok(mut q) = u64::try_from(q) else {
        let _ = write!(out, "{v:.*}", digits as usize);
        return;
    };
    // The digits from the last, with the point `digits` from the end and
    // at least one digit before it.
    let mut buf = [0u8; 32];
    let mut at = buf.len();
    let mut put = |b: u8| {
        at -= 1;
        buf[at] = b;
    };
    for _ in 0..digits {
        put(b'0' + (q % 10) as u8);
        q /= 10;
    }
    if digits > 0 {
        put(b'.');
    }
    loop {
        put(b'0' + (q % 10) as u8);
        q /= 10;
        if q == 0 {
            break;
        }
    }
    if bits >> 63 == 1 {
        put(b'-');
    }
    out.extend(buf[at..].iter().map(|&b| char::from(b)));
}

/// The rows of one document for each table, as bytes in the chosen
/// [`Format`], without headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Rows for `mentions.csv`.
    pub mentions: Vec<u8>,
    /// Rows for `topics.csv`.
    pub topics: Vec<u8>,
    /// The row for `documents.csv`.
    pub document: Vec<u8>,
    /// Whether the document failed.
    pub failed: bool,
    /// For a failed document: its id and why it failed, as in its
    /// `documents.csv` row (before any formula neutralising).
    pub failure: Option<(String, String)>,
    /// Mentions found.
    pub mention_count: usize,
    /// Bytes of text tagged.
    pub bytes: usize,
}

impl Rendered {
    /// The bytes for `table`.
    pub fn table(&self, table: Table) -> &[u8] {
        match table {
            Table::Mentions => &self.mentions,
            Table::Topics => &self.topics,
            Table::Documents => &self.document,
        }
    }
}

/// Renders the rows of one tagged (or failed) document as CSV.
pub fn render(
    tagger: &Tagger,
    doc: &Document,
    tags: Option<&Tags>,
    opts: CsvOptions,
) -> Rendered {
    render_as(tagger, doc, tags, opts, Format::Csv)
}

/// Renders the rows of one tagged (or failed) document in `format`.
///
/// `opts.raw` is implied for JSON Lines.
pub fn render_as(
    tagger: &Tagger,
    doc: &Document,
    tags: Option<&Tags>,
    opts: CsvOptions,
    format: Format,
) -> Rendered {
    let render = |s: &mut Scratch| {
        // Found busy, the last render on this thread panicked half-way:
        // start afresh rather than trust its buffers.
        if std::mem::replace(&mut s.busy, true) {
            *s = Scratch { busy: true, ..Scratch::default() };
        }
        let out = render_in(s, tagger, doc, tags, opts, format);
        s.busy = false;
        out
    };
    SCRATCH
        .try_with(|s| match s.try_borrow_mut() {
            Ok(mut s) => render(&mut s),
            Err(_) => render(&mut Scratch::default()),
        })
        .unwrap_or_else(|_| render(&mut Scratch::default()))
}

/// The number of pivot cells in `documents.csv`: one per type in
/// [`PIVOT_TYPES`], then `other_entities`.
const PIVOTS: usize = PIVOT_TYPES.len() + 1;

// A `documents.csv` row: id, status, error, six counts, the pivot cells,
// topic_ids, top_topic and all_countries.
const _: () = assert!(DOCUMENT_COLUMNS.len() == 9 + PIVOTS + 3);

thread_local! {
    /// The buffers of [`render_as`] on this thread.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Buffers that [`render_as`] reuses from one document to the next (one
/// set per thread), so that a document costs little more than its bytes.
/// None of them carries anything from one document to the next.
#[derive(Default)]
struct Scratch {
    /// Set while a document is rendered.
    busy: bool,
    /// The CSV or TSV writers, for the delimited format last used.
    delimited: Option<Delimited>,
    /// JSON Lines rows being written.
    json: Vec<u8>,
    /// The entities of the mentions, sorted.
    ids: Vec<usize>,
    /// Distinct entities with their mention counts.
    counted: Vec<(usize, usize)>,
    /// The pivot cells of `documents.csv`.
    by_type: [String; PIVOTS],
    /// The `alternatives` cell of a mention.
    alts: String,
    /// The `topic_ids` cell of `documents.csv`.
    topic_ids: String,
    /// The `score` cell of a topic.
    score: String,
    /// The `evidence` cell of a topic.
    evidence: String,
}

/// Renders one document with `s`'s buffers.
fn render_in(
    s: &mut Scratch,
    tagger: &Tagger,
    doc: &Document,
    tags: Option<&Tags>,
    opts: CsvOptions,
    format: Format,
) -> Rendered {
    use Cell::{Bool, Num, Text};
    let Scratch {
        delimited,
        json,
        ids,
        counted,
        by_type,
        alts,
        topic_ids,
        score,
        evidence,
        ..
    } = s;
    let raw = opts.raw || !format.is_delimited();
    let mut out = Rendered::default();
    let id = neutralise(&doc.id, raw);
    let text = match (&doc.text, tags) {
        (Ok(text), Some(tags)) => (text, tags),
        (result, _) => {
            let msg =
                result.as_ref().err().map_or("not tagged", String::as_str);
            let msg = neutralise(msg, raw);
            // Counts are empty (JSON null); pivot cells empty strings.
            let row: [Cell<'_>; DOCUMENT_COLUMNS.len()] =
                std::array::from_fn(|i| match i {
                    0 => Text(&id),
                    1 => Text("error"),
                    2 => Text(&msg),
                    _ if is_numeric(DOCUMENT_COLUMNS[i]) => Num(""),
                    _ => Text(""),
                });
            let mut w = Rows::new(
                delimited,
                json,
                &mut out.document,
                format,
                Table::Documents,
            );
            w.row(&row);
            w.finish();
            out.failed = true;
            out.failure = Some((
                doc.id.clone(),
                result
                    .as_ref()
                    .err()
                    .map_or("not tagged", String::as_str)
                    .to_owned(),
            ));
            return out;
        }
    };
    let (text, tags) = text;
    out.bytes = text.len();
    out.mention_count = tags.mentions.len();
    let mut itoa_buf = [
        itoa::Buffer::new(),
        itoa::Buffer::new(),
        itoa::Buffer::new(),
        itoa::Buffer::new(),
        itoa::Buffer::new(),
        itoa::Buffer::new(),
    ];
    let entities = tagger.entities();
    {
        let mut w = Rows::new(
            delimited,
            json,
            &mut out.mentions,
            format,
            Table::Mentions,
        );
        for m in &tags.mentions {
            let e = &entities[m.entity];
            alts.clear();
            for (i, &a) in m.alternatives.iter().enumerate() {
                if i > 0 {
                    alts.push('|');
                }
                alts.push_str(&entities[a].id);
            }
            let [b0, b1, b2, b3, ..] = &mut itoa_buf;
            w.row(&[
                Text(&id),
                Num(b0.format(m.char_start)),
                Num(b1.format(m.char_end)),
                Text(&neutralise(&text[m.start..m.end], raw)),
                Text(&neutralise(&e.id, raw)),
                Text(&neutralise(&e.name, raw)),
                Text(&neutralise(&e.kind, raw)),
                Text(&neutralise(&e.domain, raw)),
                Num(b2.format(m.start)),
                Num(b3.format(m.end)),
                Text(&neutralise(alts, raw)),
                Text(m.via.as_str()),
                Bool(m.inside_name),
            ]);
        }
        w.finish();
    }
    let topics = tagger.topics();
    {
        let mut w =
            Rows::new(delimited, json, &mut out.topics, format, Table::Topics);
        for (rank, label) in tags.topics.iter().enumerate() {
            let t = &topics[label.topic];
            score.clear();
            push_fixed(score, label.score, 3);
            evidence.clear();
            push_evidence(evidence, tagger, label);
            let [b0, ..] = &mut itoa_buf;
            w.row(&[
                Text(&id),
                Text(&neutralise(&t.id, raw)),
                Text(&neutralise(&t.name, raw)),
                Num(score),
                Num(b0.format(rank + 1)),
                Text(&neutralise(evidence, raw)),
            ]);
        }
        w.finish();
    }
    {
        // Distinct entities with their mention counts.
        ids.clear();
        ids.extend(tags.mentions.iter().map(|m| m.entity));
        ids.sort_unstable();
        counted.clear();
        for &e in ids.iter() {
            match counted.last_mut() {
                Some((last, n)) if *last == e => *n += 1,
                _ => counted.push((e, 1)),
            }
        }
        let distinct = counted.len();
        // Entities are distinct, so only two with the same id can tie,
        // and which of them comes first does not change the cells.
        counted.sort_unstable_by(|(a, na), (b, nb)| {
            nb.cmp(na).then_with(|| entities[*a].id.cmp(&entities[*b].id))
        });
        for cell in by_type.iter_mut() {
            cell.clear();
        }
        for (e, _) in counted.iter() {
            let e = &entities[*e];
            let slot = PIVOT_TYPES
                .iter()
                .position(|(kind, _)| *kind == e.kind)
                .unwrap_or(PIVOT_TYPES.len());
            let cell = &mut by_type[slot];
            if !cell.is_empty() {
                cell.push('|');
            }
            cell.push_str(&e.id);
        }
        topic_ids.clear();
        for (i, label) in tags.topics.iter().enumerate() {
            if i > 0 {
                topic_ids.push('|');
            }
            topic_ids.push_str(&topics[label.topic].id);
        }
        let top_topic =
            tags.topics.first().map_or("", |l| topics[l.topic].id.as_str());
        let all_countries = all_countries(entities, counted);
        let pivot: [Cow<'_, str>; PIVOTS] =
            std::array::from_fn(|i| neutralise(&by_type[i], raw));
        let topic_ids = neutralise(topic_ids, raw);
        let top_topic = neutralise(top_topic, raw);
        let all_countries = neutralise(&all_countries, raw);
        let [b0, b1, b2, b3, b4, b5] = &mut itoa_buf;
        let row: [Cell<'_>; DOCUMENT_COLUMNS.len()] = [
            Text(&id),
            Text("ok"),
            Text(""),
            Num(b0.format(tags.chars)),
            Num(b1.format(tags.mentions.len())),
            Num(b2.format(distinct)),
            Num(b3.format(tags.topics.len())),
            Num(b4.format(tags.words)),
            Num(b5.format(text.len())),
            Text(&pivot[0]),
            Text(&pivot[1]),
            Text(&pivot[2]),
            Text(&pivot[3]),
            Text(&pivot[4]),
            Text(&pivot[5]),
            Text(&topic_ids),
            Text(&top_topic),
            Text(&all_countries),
        ];
        let mut w = Rows::new(
            delimited,
            json,
            &mut out.document,
            format,
            Table::Documents,
        );
        w.row(&row);
        w.finish();
    }
    out
}

/// The `all_countries` cell: the country of every mention, whether the
/// mention is of a country (its id) or of an entity with a `country`
/// attribute (an organisation, official, city, region), by mentions then
/// id, `|`-separated. `counted` holds each entity with its mentions.
fn all_countries(entities: &[Entity], counted: &[(usize, usize)]) -> String {
    let mut by_country: Vec<(&str, usize)> = Vec::new();
    for &(e, n) in counted {
        let e = &entities[e];
        let code = if e.kind == "country" {
            e.id.as_str()
        } else {
            match e.attributes.get("country") {
                Some(c) if !c.is_empty() => c.as_str(),
                _ => continue,
            }
        };
        match by_country.iter_mut().find(|(c, _)| *c == code) {
            Some((_, total)) => *total += n,
            None => by_country.push((code, n)),
        }
    }
    by_country.sort_unstable_by(|(a, na), (b, nb)| nb.cmp(na).then(a.cmp(b)));
    let mut cell = String::new();
    for (i, (code, _)) in by_country.iter().enumerate() {
        if i > 0 {
            cell.push('|');
        }
        cell.push_str(code);
    }
    cell
}

/// One cell of a row.
#[derive(Clone, Copy, Debug)]
enum Cell<'a> {
    /// A string (already neutralised if it has to be).
    Text(&'a str),
    /// A number as written in CSV; empty for none.
    Num(&'a str),
    /// A boolean, `true` or `false` in CSV.
    Bool(bool),
}

impl Cell<'_> {
    /// The cell as CSV text.
    fn as_str(&self) -> &str {
        match self {
            Cell::Text(s) | Cell::Num(s) => s,
            Cell::Bool(true) => "true",
            Cell::Bool(false) => "false",
        }
    }
}

/// A buffer that several CSV writers append to, and that is emptied after
/// each table of each document.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// CSV or TSV writers for the three tables, kept from one document to the
/// next, and the record that carries each row to them.
struct Delimited {
    /// CSV or TSV.
    format: Format,
    /// Where the writers flush their rows.
    out: Shared,
    /// One writer per table, in [`Table::ALL`] order: each checks that its
    /// rows all have the same length.
    writers: [csv::Writer<Shared>; 3],
    /// The row being written.
    record: csv::ByteRecord,
}

impl Delimited {
    fn new(format: Format) -> Delimited {
        let out = Shared::default();
        // Large enough for most documents' rows, which then reach `out` in
        // one piece: a row that does not fit in what is left of the buffer
        // is written by the csv crate's slower path.
        let writers = Table::ALL.map(|_| writer(out.clone(), format, 1 << 14));
        Delimited { format, out, writers, record: csv::ByteRecord::new() }
    }
}

/// Writes rows of one table of one document, in one [`Format`].
enum Rows<'a> {
    /// CSV or TSV, through a reused writer.
    Delimited {
        /// The writers.
        d: &'a mut Delimited,
        /// Which of them.
        table: usize,
        /// Where the rows go.
        out: &'a mut Vec<u8>,
    },
    /// JSON Lines, with the table's columns as keys.
    Json {
        /// The rows being written, in a reused buffer.
        buf: &'a mut Vec<u8>,
        /// What comes before each cell.
        keys: &'static [Vec<u8>],
        /// Where the rows go.
        out: &'a mut Vec<u8>,
    },
}

/// What comes before each cell of a JSON Lines row (`{"doc_id":`,
/// `,"start":`...), for each table in [`Table::ALL`] order.
static JSON_KEYS: LazyLock<[Vec<Vec<u8>>; 3]> = LazyLock::new(|| {
    Table::ALL.map(|t| {
        let columns = t.columns().iter().enumerate();
        columns
            .map(|(i, column)| {
                let mut key =
                    if i == 0 { b"{".to_vec() } else { b",".to_vec() };
                // Column names are plain ASCII words.
                key.push(b'"');
                key.extend_from_slice(column.as_bytes());
                key.extend_from_slice(b"\":");
                key
            })
            .collect()
    })
});

/// Appends `s` as a JSON string, as `serde_json` writes it.
fn push_json_str(buf: &mut Vec<u8>, s: &str) {
    // serde_json escapes control characters, `"` and `\`, nothing else:
    // a string without them is written as it is, between quotes. (No early
    // exit, so that the check runs on many bytes at a time.)
    let plain = !s.bytes().fold(false, |escape, b| {
        escape | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        buf.reserve(s.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        serde_json::to_writer(&mut *buf, s).expect("writing to memory");
    }
}

impl<'a> Rows<'a> {
    /// Rows of `table` to be added to `buf`.
    fn new(
        delimited: &'a mut Option<Delimited>,
        json: &'a mut Vec<u8>,
        buf: &'a mut Vec<u8>,
        format: Format,
        table: Table,
    ) -> Rows<'a> {
        let table = Table::ALL.iter().position(|&t| t == table);
        let table = table.expect("every table is in Table::ALL");
        match format {
            Format::Csv | Format::Tsv => {
                if delimited.as_ref().is_none_or(|d| d.format != format) {
                    *delimited = Some(Delimited::new(format));
                }
                let d = delimited.as_mut().expect("set above");
                Rows::Delimited { d, table, out: buf }
            }
            Format::Jsonl => {
                json.clear();
                Rows::Json { buf: json, keys: &JSON_KEYS[table], out: buf }
            }
        }
    }

    /// Appends one row; `cells` are in column order.
    fn row(&mut self, cells: &[Cell<'_>]) {
        match self {
            Rows::Delimited { d, table, .. } => {
                let Delimited { writers, record, .. } = &mut **d;
                record.clear();
                for cell in cells {
                    record.push_field(cell.as_str().as_bytes());
                }
                // The csv crate quotes the fields; with a `ByteRecord` it
                // takes its fast path when the row fits in its buffer.
                let _ = writers[*table].write_byte_record(record);
            }
            Rows::Json { buf, keys, .. } => {
                debug_assert_eq!(cells.len(), keys.len());
                for (key, cell) in keys.iter().zip(cells) {
                    buf.extend_from_slice(key);
                    match cell {
                        Cell::Text(s) => push_json_str(buf, s),
                        Cell::Num("") => buf.extend_from_slice(b"null"),
                        // Integers, or a score written with `{:.3}`: valid
                        // JSON numbers as they are.
                        Cell::Num(s) => buf.extend_from_slice(s.as_bytes()),
                        Cell::Bool(b) => buf.extend_from_slice(if *b {
                            b"true"
                        } else {
                            b"false"
                        }),
                    }
                }
                buf.extend_from_slice(b"}\n");
            }
        }
    }

    /// Moves the rows written into the buffer given to [`Rows::new`].
    fn finish(self) {
        let (d, table, out) = match self {
            Rows::Delimited { d, table, out } => (d, table, out),
            Rows::Json { buf, out, .. } => {
                out.extend_from_slice(buf);
                buf.clear();
                return;
            }
        };
        let _ = d.writers[table].flush();
        let mut rows = d.out.0.borrow_mut();
        if out.is_empty() {
            // The buffer itself, not a copy; `rows` starts again empty.
            std::mem::swap(out, &mut *rows);
        } else {
            out.extend_from_slice(&rows);
        }
        rows.clear();
    }
}

fn writer<W: Write>(w: W, format: Format, capacity: usize) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .delimiter(if format == Format::Tsv { b'\t' } else { b',' })
        .buffer_capacity(capacity)
        .from_writer(w)
}

/// The header row of `table` as CSV bytes.
pub fn header(table: Table) -> Vec<u8> {
    header_as(table, Format::Csv)
}

/// The header row of `table` in `format` (none for JSON Lines).
pub fn header_as(table: Table, format: Format) -> Vec<u8> {
    let mut buf = Vec::new();
    if format.is_delimited() {
        let mut w = writer(&mut buf, format, 1024);
        w.write_record(table.columns()).expect("writing to memory");
        drop(w);
    }
    buf
}

/// What starts a table in `style` before its header: the byte-order mark
/// if asked for (CSV and TSV only).
fn preamble(style: Style) -> &'static [u8] {
    if style.bom && style.format.is_delimited() { BOM } else { b"" }
}

/// Temporary files of the folder sinks not yet finished, so that an
/// interrupted run can remove them ([`abandon_temp_files`]).
///
/// The lock is also held while [`Sink::finish`] renames its files into
/// place, so an interruption either sees every table renamed or none.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The pending list; a panic elsewhere must not stop the clean-up.
fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes the temporary files of every unfinished folder [`Sink`] and
/// returns how many were removed.
///
/// This is meant for a signal handler (`gaztag tag` calls it on SIGINT,
/// SIGTERM and SIGHUP) just before the process ends. If a sink is renaming
/// its tables into place, this waits until it is done, so the output folder
/// holds either every table of the run or none of them. A sink whose files
/// were abandoned fails in [`Sink::finish`] and renames nothing.
pub fn abandon_temp_files() -> usize {
    let mut list = pending();
    let mut removed = 0;
    for p in list.drain(..) {
        if std::fs::remove_file(&p).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Where the tables go: one table to a stream, or all three into a folder.
///
/// With a folder, each table is written under a temporary name in that
/// folder (`.mentions.csv.XXXXXX.tmp`) and renamed into place by
/// [`Sink::finish`], once every table is complete and synced to disk. A final
/// name therefore never holds a partial table: a failed or interrupted run
/// leaves the previous files (if any) untouched. The temporary files are
/// removed when the sink is dropped unfinished, and by
/// [`abandon_temp_files`] on an interruption; only a process killed outright
/// (SIGKILL, a power cut) can leave one behind.
pub struct Sink {
    inner: Inner,
}

/// The two kinds of [`Sink`].
enum Inner {
    /// One table to a stream (standard output), others dropped.
    Stream {
        /// The table written.
        table: Table,
        /// The stream.
        out: Box<dyn Write + Send>,
    },
    /// All three tables into a folder.
    Folder(Folder),
}

/// The tables of a folder sink, under their temporary names.
struct Folder {
    /// The output folder.
    dir: PathBuf,
    /// One temporary file per table, in [`Table::ALL`] order.
    files: Vec<TempTable>,
}

/// A table being written under a temporary name.
struct TempTable {
    /// The final name.
    path: PathBuf,
    /// The temporary file; removed when dropped unless persisted.
    tmp: tempfile::NamedTempFile,
    /// A buffered writer on a clone of `tmp`'s handle.
    w: io::BufWriter<std::fs::File>,
}

impl TempTable {
    /// Adds the final file name to an I/O error, keeping its kind (a closed
    /// pipe is still recognised as one).
    fn context(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("{}: {e}", self.path.display()))
    }
}

/// Takes `files` off the pending list (their temporary files are removed
/// when they are dropped, or renamed).
fn forget(list: &mut Vec<PathBuf>, files: &[TempTable]) {
    list.retain(|p| !files.iter().any(|f| f.tmp.path() == p));
}

impl Drop for Folder {
    fn drop(&mut self) {
        // Runs before the fields are dropped, which removes the files.
        if !self.files.is_empty() {
            forget(&mut pending(), &self.files);
        }
    }
}

impl Folder {
    /// Creates the temporary files in `dir`, each with its header row.
    fn create(dir: &Path, style: Style) -> io::Result<Folder> {
        std::fs::create_dir_all(dir)?;
        // On an error below, dropping `folder` takes the files created so
        // far off the pending list and removes them.
        let mut folder = Folder { dir: dir.to_path_buf(), files: Vec::new() };
        for t in Table::ALL {
            let name = t.file_name_for(style.format);
            // Held from creating the file until it is on the list, so an
            // interruption in between still finds (and removes) it.
            let mut list = pending();
            let tmp = tempfile::Builder::new()
                .prefix(&format!(".{name}."))
                .suffix(".tmp")
                .tempfile_in(dir)?;
            let w = io::BufWriter::with_capacity(
                1 << 16,
                tmp.as_file().try_clone()?,
            );
            list.push(tmp.path().to_path_buf());
            drop(list);
            folder.files.push(TempTable { path: dir.join(name), tmp, w });
        }
        for (t, f) in Table::ALL.iter().zip(folder.files.iter_mut()) {
            f.w.write_all(preamble(style))
                .and_then(|()| f.w.write_all(&header_as(*t, style.format)))
                .map_err(|e| f.context(e))?;
        }
        Ok(folder)
    }

    /// Flushes and syncs every table, then renames them all into place.
    fn finish(mut self) -> io::Result<()> {
        // Taken out, so that `Folder::drop` has nothing left to do.
        let mut files = std::mem::take(&mut self.files);
        for i in 0..files.len() {
            let f = &mut files[i];
            let synced = f.w.flush().and_then(|()| f.w.get_ref().sync_all());
            if let Err(e) = synced {
                let e = files[i].context(e);
                forget(&mut pending(), &files);
                return Err(e);
            }
        }
        let mut list = pending();
        let abandoned =
            files.iter().any(|f| !list.iter().any(|p| p == f.tmp.path()));
        forget(&mut list, &files);
        if abandoned {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                format!(
                    "{}: interrupted; no table was written",
                    self.dir.display()
                ),
            ));
        }
        // The renames happen while `PENDING` is locked, so a signal handler
        // calling `abandon_temp_files` cannot end the run between two of
        // them.
        for TempTable { path, tmp, w } in files {
            drop(w);
            tmp.persist(&path).map_err(|e| {
                io::Error::new(
                    e.error.kind(),
                    format!("{}: {}", path.display(), e.error),
                )
            })?;
        }
        drop(list);
        // Make the renames durable too. Not every file system can sync a
        // folder, so a failure here is not an error.
        if let Ok(d) = std::fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Sink {
    /// A sink writing `table` to `out`, with its header unless `header_row`
    /// is false.
    ///
    /// # Errors
    /// Fails if the header cannot be written.
    pub fn stream(
        table: Table,
        out: Box<dyn Write + Send>,
        header_row: bool,
    ) -> io::Result<Sink> {
        Sink::stream_with(table, out, header_row, Style::default())
    }

    /// A sink writing `table` to `out` in `style`: the byte-order mark if
    /// asked for, then the header unless `header_row` is false (JSON Lines
    /// has none).
    ///
    /// # Errors
    /// Fails if the byte-order mark or the header cannot be written.
    pub fn stream_with(
        table: Table,
        mut out: Box<dyn Write + Send>,
        header_row: bool,
        style: Style,
    ) -> io::Result<Sink> {
        out.write_all(preamble(style))?;
        if header_row {
            out.write_all(&header_as(table, style.format))?;
        }
        Ok(Sink { inner: Inner::Stream { table, out } })
    }

    /// A sink writing all tables into `dir` as CSV, created if missing.
    ///
    /// # Errors
    /// Fails if the folder or the temporary files cannot be created.
    pub fn folder(dir: &Path) -> io::Result<Sink> {
        Sink::folder_with(dir, Style::default())
    }

    /// A sink writing all tables into `dir` in `style`, created if missing;
    /// the file names take the format's extension (`mentions.tsv`).
    ///
    /// # Errors
    /// Fails if the folder or the temporary files cannot be created.
    pub fn folder_with(dir: &Path, style: Style) -> io::Result<Sink> {
        Ok(Sink { inner: Inner::Folder(Folder::create(dir, style)?) })
    }

    /// Appends one document's rows.
    ///
    /// # Errors
    /// Fails on a write error (a closed pipe, a full disk); with a folder,
    /// the message names the table.
    pub fn write(&mut self, r: &Rendered) -> io::Result<()> {
        match &mut self.inner {
            Inner::Stream { table, out } => out.write_all(r.table(*table)),
            Inner::Folder(folder) => {
                for (t, f) in Table::ALL.iter().zip(folder.files.iter_mut()) {
                    f.w.write_all(r.table(*t)).map_err(|e| f.context(e))?;
                }
                Ok(())
            }
        }
    }

    /// Flushes, and with a folder moves every table to its final name.
    ///
    /// Every table is flushed and synced before the first rename, and the
    /// renames happen together, under the lock that [`abandon_temp_files`]
    /// takes.
    ///
    /// # Errors
    /// Fails if flushing, syncing or renaming fails, or if the temporary
    /// files were abandoned; no final file is then replaced by a partial
    /// one.
    pub fn finish(self) -> io::Result<()> {
        match self.inner {
            Inner::Stream { mut out, .. } => out.flush(),
            Inner::Folder(folder) => folder.finish(),
        }
    }
}

/// Renders a label's evidence for the `evidence` column:
/// `terrorism x3 +2.10; entity group:ttp x1 +1.00`.
pub fn evidence_string(tagger: &Tagger, label: &TopicLabel) -> String {
    let mut out = String::new();
    push_evidence(&mut out, tagger, label);
    out
}

/// Appends [`evidence_string`] to `out`.
pub(crate) fn push_evidence(
    out: &mut String,
    tagger: &Tagger,
    label: &TopicLabel,
) {
    let topic = &tagger.topics()[label.topic];
    for (i, e) in label.evidence.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        match e.source {
            EvidenceSource::Keyword(k) => {
                out.push_str(&topic.keywords[k].term)
            }
            EvidenceSource::Entity(n) => {
                out.push_str("entity ");
                out.push_str(&tagger.entities()[n].id);
            }
        }
        // As `write!(out, " x{} +{:.2}", e.count, e.contribution)`.
        out.push_str(" x");
        out.push_str(itoa::Buffer::new().format(e.count));
        out.push_str(" +");
        push_fixed(out, e.contribution, 2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for s in ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(s, false), format!("'{s}"));
            assert_eq!(neutralise(s, true), s);
        }
        assert_eq!(neutralise("Pakistan", false), "Pakistan");
        assert_eq!(neutralise("", false), "");
        for s in ["x=1", " =1", "\u{ff1d}1", "é", "'=1", "\n=1"] {
            assert!(matches!(neutralise(s, false), Cow::Borrowed(_)), "{s:?}");
        }
    }

    /// `push_fixed` against the standard formatter.
    fn check_fixed(v: f64) {
        for digits in 0..=4 {
            let mut got = String::new();
            push_fixed(&mut got, v, digits);
            let want = format!("{v:.*}", digits as usize);
            assert_eq!(got, want, "{v:?} ({:#x}) with {digits}", v.to_bits());
        }
    }

    #[test]
    fn fixed_decimals_are_those_of_the_formatter() {
        for v in [
            0.0,
            -0.0,
            0.125,
            0.375,
            2.5,
            3.5,
            1.005,
            2.675,
            0.0625,
            -0.125,
            -0.001,
            0.005,
            0.015,
            0.045,
            9.995,
            99.9995,
            999.9995,
            1e-300,
            1e300,
            4503599627370495.5,
            4503599627370496.0,
            1.5e-20,
            2.0e-21,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            0.1,
            0.7,
            1.0 / 3.0,
            23.377,
        ] {
            check_fixed(v);
            check_fixed(-v);
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            // Any bits; a number of thousandths and its neighbours; a
            // multiple of a power of two (exact ties).
            let r = next();
            check_fixed(f64::from_bits(r));
            let k = (r >> 11) % 10_000_000;
            let near = k as f64 / 1000.0 + 0.0005;
            for v in [near, near.next_up(), near.next_down()] {
                check_fixed(v);
            }
            let tie = (k % 100_000) as f64 / f64::from(1 << (r % 12));
            check_fixed(tie);
            check_fixed(f64::from(r as u32) * 1e-9);
        }
    }

    #[test]
    fn json_strings_are_those_of_serde_json() {
        let mut all: String = (0..0x80u8).map(char::from).collect();
        all.push_str("é’\u{2028}\u{feff}😀");
        for s in [
            "",
            "plain",
            "Côte d’Ivoire",
            "\"",
            "\\",
            "a\nb",
            "\t\r",
            "\u{7f}",
            "\u{0}",
            "\u{1f}",
            " ",
            "/",
            "=1",
            &all,
        ] {
            let mut got = b"x".to_vec();
            push_json_str(&mut got, s);
            let want = serde_json::to_vec(s).unwrap();
            assert_eq!(got[1..], want, "{s:?}");
        }
    }

    #[test]
    fn headers_are_stable() {
        assert_eq!(
            String::from_utf8(header(Table::Mentions)).unwrap(),
            "doc_id,start,end,text,entity_id,entity,type,domain,byte_start,byte_end,alternatives,via,inside_name\n"
        );
        assert_eq!(
            String::from_utf8(header(Table::Topics)).unwrap(),
            "doc_id,topic_id,topic,score,rank,evidence\n"
        );
        assert!(
            String::from_utf8(header(Table::Documents)).unwrap().starts_with(
                "doc_id,status,error,chars,mentions,entities,topics"
            )
        );
    }

    /// The `evidence` cell: each piece of evidence with its count and
    /// contribution, largest first.
    #[test]
    fn evidence_is_explained() {
        let src = r#"
[[entity]]
id = "ttp"
type = "organization"
name = "TTP"

[[topic]]
id = "terrorism"
name = "Terrorism"
keywords = ["terrorism", "militants"]
entities = ["ttp"]
"#;
        let set = crate::GazetteerSet::from_toml("t.toml", src).unwrap();
        let t = Tagger::new(&set).unwrap();
        let tags = t.tag("TTP militants; terrorism, terrorism.");
        let s = evidence_string(&t, &tags.topics[0]);
        assert_eq!(
            s,
            "terrorism x2 +1.69; militants x1 +1.00; entity ttp x1 +1.00"
        );
    }
}
