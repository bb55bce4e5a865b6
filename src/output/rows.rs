//! Rendering one document's rows: the cells of each table, formatted
//! once (numbers, evidence, JSON strings), into per-thread CSV, TSV or
//! JSON Lines buffers.

use super::*;

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
    let mut q = if digits <= 3 && shift < 64 {
        // m < 2^53 and 10^3 < 2^10: the product fits in 64 bits.
        let scaled = m * 10u64.pow(digits);
        let mut q = scaled >> shift;
        let rest = scaled & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        if rest > half || (rest == half && q & 1 == 1) {
            q += 1;
        }
        q
    } else {
        let scaled = u128::from(m) * 10u128.pow(digits);
        let mut q = scaled >> shift;
        let rest = scaled & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        if rest > half || (rest == half && q & 1 == 1) {
            q += 1;
        }
        // Fits in 64 bits unless `v` is large and `digits` over 3.
        let Ok(q) = u64::try_from(q) else {
            let _ = write!(out, "{v:.*}", digits as usize);
            return;
        };
        q
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
    // Only ASCII digits, '.' and '-' were written.
    out.push_str(std::str::from_utf8(&buf[at..]).unwrap_or_default());
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
    /// Whether the document is a file of a folder left out on purpose (a
    /// `skipped` row; not a failure).
    pub skipped: bool,
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
pub(super) const PIVOTS: usize = PIVOT_TYPES.len() + 1;

// A `documents.csv` row: id, status, error, six counts, the pivot cells,
// topic_ids, top_topic, all_countries and focus.
const _: () = assert!(DOCUMENT_COLUMNS.len() == 9 + PIVOTS + 4);

thread_local! {
    /// The buffers of [`render_as`] on this thread.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Buffers that [`render_as`] reuses from one document to the next (one
/// set per thread), so that a document costs little more than its bytes.
/// None of them carries anything from one document to the next.
#[derive(Default)]
pub(super) struct Scratch {
    /// Set while a document is rendered.
    pub(super) busy: bool,
    /// The CSV or TSV writers, for the delimited format last used.
    pub(super) delimited: Option<Delimited>,
    /// JSON Lines rows being written.
    pub(super) json: Vec<u8>,
    /// The entities of the mentions, sorted.
    pub(super) ids: Vec<usize>,
    /// Distinct entities with their mention counts.
    pub(super) counted: Vec<(usize, usize)>,
    /// The pivot cells of `documents.csv`.
    pub(super) by_type: [String; PIVOTS],
    /// The `alternatives` cell of a mention.
    pub(super) alts: String,
    /// The `topic_ids` cell of `documents.csv`.
    pub(super) topic_ids: String,
    /// The `score` cell of a topic.
    pub(super) score: String,
    /// The `evidence` cell of a topic.
    pub(super) evidence: String,
}

/// Renders one document with `s`'s buffers.
pub(super) fn render_in(
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
                    1 => Text(if doc.skipped { "skipped" } else { "error" }),
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
            if doc.skipped {
                out.skipped = true;
                return out;
            }
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
            let [b0, b1, b2, b3, b4, b5] = &mut itoa_buf;
            let (enclosing_start, enclosing_end) = match m.enclosing_chars {
                Some((s, e)) => (b4.format(s), b5.format(e)),
                None => ("", ""),
            };
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
                Num(enclosing_start),
                Num(enclosing_end),
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
        let focus = crate::focus::focus(entities, &tags.mentions, text).cell();
        let pivot: [Cow<'_, str>; PIVOTS] =
            std::array::from_fn(|i| neutralise(&by_type[i], raw));
        let topic_ids = neutralise(topic_ids, raw);
        let top_topic = neutralise(top_topic, raw);
        let all_countries = neutralise(&all_countries, raw);
        let focus = neutralise(&focus, raw);
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
            Text(&focus),
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
/// id, `|`-separated. `counted` holds each entity with its mentions. The
/// roll-up is [`country_of`](crate::focus::country_of), as for `focus`.
pub(super) fn all_countries(
    entities: &[Entity],
    counted: &[(usize, usize)],
) -> String {
    let mut by_country: Vec<(&str, usize)> = Vec::new();
    for &(e, n) in counted {
        let Some(code) = crate::focus::country_of(&entities[e]) else {
            continue;
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
pub(super) enum Cell<'a> {
    /// A string (already neutralised if it has to be).
    Text(&'a str),
    /// A number as written in CSV; empty for none.
    Num(&'a str),
    /// A boolean, `true` or `false` in CSV.
    Bool(bool),
}

impl Cell<'_> {
    /// The cell as CSV text.
    pub(super) fn as_str(&self) -> &str {
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
pub(super) struct Shared(Rc<RefCell<Vec<u8>>>);

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
pub(super) struct Delimited {
    /// CSV or TSV.
    pub(super) format: Format,
    /// Where the writers flush their rows.
    pub(super) out: Shared,
    /// One writer per table, in [`Table::ALL`] order: each checks that its
    /// rows all have the same length.
    pub(super) writers: [csv::Writer<Shared>; 3],
    /// The row being written.
    pub(super) record: csv::ByteRecord,
}

impl Delimited {
    pub(super) fn new(format: Format) -> Delimited {
        let out = Shared::default();
        // Large enough for most documents' rows, which then reach `out` in
        // one piece: a row that does not fit in what is left of the buffer
        // is written by the csv crate's slower path.
        let writers = Table::ALL.map(|_| writer(out.clone(), format, 1 << 14));
        Delimited { format, out, writers, record: csv::ByteRecord::new() }
    }
}

/// Writes rows of one table of one document, in one [`Format`].
pub(super) enum Rows<'a> {
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
pub(super) static JSON_KEYS: LazyLock<[Vec<Vec<u8>>; 3]> =
    LazyLock::new(|| {
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
pub(super) fn push_json_str(buf: &mut Vec<u8>, s: &str) {
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
    pub(super) fn new(
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
    pub(super) fn row(&mut self, cells: &[Cell<'_>]) {
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
    pub(super) fn finish(self) {
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

pub(super) fn writer<W: Write>(
    w: W,
    format: Format,
    capacity: usize,
) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .delimiter(if format == Format::Tsv { b'\t' } else { b',' })
        .buffer_capacity(capacity)
        .from_writer(w)
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
    for (i, e) in label.evidence.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        match e.source {
            EvidenceSource::Keyword { topic, keyword } => {
                out.push_str(&tagger.topics()[topic].keywords[keyword].term)
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
