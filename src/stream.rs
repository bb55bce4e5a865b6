//! Stream mode: JSONL documents in, one CSV record per line out, for use as
//! a streaming mapper (Spark `TRANSFORM ... USING`, `RDD.pipe`, Hadoop
//! streaming, `xargs`-style shells).
//!
//! One output stream carries all three tables. Every row starts with its
//! kind, followed by the columns of its table, in the same order and with
//! the same cell values as the files written by `gaztag tag --out-dir`:
//!
//! | kind | row | columns after the kind |
//! |---|---|---|
//! | `m` | a mention | [`MENTION_COLUMNS`](crate::output::MENTION_COLUMNS) |
//! | `t` | a topic label | [`TOPIC_COLUMNS`](crate::output::TOPIC_COLUMNS) |
//! | `d` | a document status | [`DOCUMENT_COLUMNS`](crate::output::DOCUMENT_COLUMNS) |
//!
//! Each document gives its `m` rows, then its `t` rows, then exactly one `d`
//! row (`status` = `ok` or `error`), so a document is never missing and the
//! `d` row marks its end. Documents come out in input order.
//!
//! **One record per line, always.** Inside every field, before CSV quoting,
//! four characters are escaped with a backslash:
//!
//! | in the cell | written as |
//! |---|---|
//! | `\` (backslash) | `\\` |
//! | line feed (U+000A) | `\n` |
//! | carriage return (U+000D) | `\r` |
//! | tab (U+0009) | `\t` |
//!
//! No other character is changed, so a record never holds a line break (a
//! mapper's output is split into records at `\n`, and Java readers also
//! split at `\r`) nor a tab (Spark's `TRANSFORM` splits its output lines
//! into columns at tabs). [`unescape`] reverses it exactly; a field without
//! a backslash needs no unescaping. The CSV quoting is RFC 4180 (`"` doubled
//! inside quoted fields), the record terminator is `\n`, and there is no
//! header row. Formula-like cells are neutralised as in the tables unless
//! [`CsvOptions::raw`] is set.

use std::borrow::Cow;
use std::io::{self, Write};
use std::time::Instant;

use rayon::prelude::*;

use crate::compile::Tagger;
use crate::input::Document;
use crate::output::{CsvOptions, Rendered, Table};
use crate::pipeline::{Summary, tag_one};
use crate::tagger::Scratch;

/// The first field of a mention row.
pub const KIND_MENTION: &str = "m";
/// The first field of a topic row.
pub const KIND_TOPIC: &str = "t";
/// The first field of a document status row.
pub const KIND_DOCUMENT: &str = "d";

/// The row kind that introduces rows of `table`.
pub fn kind(table: Table) -> &'static str {
    match table {
        Table::Mentions => KIND_MENTION,
        Table::Topics => KIND_TOPIC,
        Table::Documents => KIND_DOCUMENT,
    }
}

/// The table whose rows start with `kind`, if any.
pub fn table_of_kind(kind: &str) -> Option<Table> {
    Table::ALL.into_iter().find(|&t| self::kind(t) == kind)
}

/// Options for [`run`].
#[derive(Clone, Debug)]
pub struct StreamOptions {
    /// Worker threads; 0 means one per core. Default 1: a streaming mapper
    /// usually runs as one process per core already.
    pub threads: usize,
    /// Documents read before a batch is tagged and written. Default 256.
    pub batch_docs: usize,
    /// Bytes of text read before a batch is tagged and written. Default
    /// 8 MiB.
    pub batch_bytes: usize,
    /// How CSV cells are written.
    pub csv: CsvOptions,
}

impl Default for StreamOptions {
    fn default() -> StreamOptions {
        StreamOptions {
            threads: 1,
            batch_docs: 256,
            batch_bytes: 8 << 20,
            csv: CsvOptions::default(),
        }
    }
}

/// Escapes backslash, line feed, carriage return and tab (see the module
/// documentation); borrows when there is nothing to escape.
pub fn escape(field: &str) -> Cow<'_, str> {
    match escape_bytes(field.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(field),
        Cow::Owned(b) => {
            Cow::Owned(String::from_utf8(b).expect("ASCII-only replacements"))
        }
    }
}

fn escape_bytes(field: &[u8]) -> Cow<'_, [u8]> {
    let special = |b: &u8| matches!(b, b'\\' | b'\n' | b'\r' | b'\t');
    let Some(first) = field.iter().position(special) else {
        return Cow::Borrowed(field);
    };
    let mut out = Vec::with_capacity(field.len() + 8);
    out.extend_from_slice(&field[..first]);
    for &b in &field[first..] {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b => out.push(b),
        }
    }
    Cow::Owned(out)
}

/// Reverses [`escape`].
///
/// # Errors
/// Fails on a backslash that does not start one of the four escapes
/// (`\\`, `\n`, `\r`, `\t`), which [`escape`] never writes.
pub fn unescape(field: &str) -> Result<Cow<'_, str>, String> {
    if !field.contains('\\') {
        return Ok(Cow::Borrowed(field));
    }
    let mut out = String::with_capacity(field.len());
    let mut chars = field.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, 'r')) => out.push('\r'),
            Some((_, 't')) => out.push('\t'),
            _ => return Err(format!("invalid escape at byte {i}")),
        }
    }
    Ok(Cow::Owned(out))
}

/// Appends the stream rows of one rendered document to `out`: its `m`
/// rows, its `t` rows, then its `d` row, each on one line.
///
/// The rows are those of [`crate::output::render`], so a stream row holds
/// exactly the cells of the matching table row, escaped.
pub fn write_rows(r: &Rendered, out: &mut Vec<u8>) {
    let mut cell = Vec::new();
    for table in Table::ALL {
        let mut rest = r.table(table);
        while !rest.is_empty() {
            out.extend_from_slice(kind(table).as_bytes());
            // One record of RFC 4180 CSV, as the csv crate writes it.
            loop {
                cell.clear();
                let mut i = 0;
                if rest.first() == Some(&b'"') {
                    i = 1;
                    while i < rest.len() {
                        if rest[i] == b'"' {
                            if rest.get(i + 1) == Some(&b'"') {
                                cell.push(b'"');
                                i += 2;
                                continue;
                            }
                            i += 1;
                            break;
                        }
                        cell.push(rest[i]);
                        i += 1;
                    }
                } else {
                    while i < rest.len() && !matches!(rest[i], b',' | b'\n') {
                        i += 1;
                    }
                    cell.extend_from_slice(&rest[..i]);
                }
                out.push(b',');
                push_cell(&escape_bytes(&cell), out);
                // `i` is at the separator after the cell (or the end).
                let sep = rest.get(i).copied();
                rest = rest.get(i + 1..).unwrap_or_default();
                if sep != Some(b',') {
                    break;
                }
            }
            out.push(b'\n');
        }
    }
}

/// Appends an escaped cell, quoted if it holds a comma or a quote.
fn push_cell(cell: &[u8], out: &mut Vec<u8>) {
    if cell.iter().any(|&b| b == b',' || b == b'"') {
        out.push(b'"');
        for &b in cell {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(cell);
    }
}

/// Tags every document of `docs` and writes its stream rows to `out`, in
/// input order, flushing after every batch so a consumer sees rows as soon
/// as they are ready. Memory is bounded by the batch size.
///
/// # Errors
/// Fails only on an output error (closed pipe, full disk) or if the thread
/// pool cannot start; failed documents are `d` rows with status `error`.
pub fn run(
    tagger: &Tagger,
    docs: impl Iterator<Item = Document>,
    out: &mut dyn Write,
    opts: &StreamOptions,
) -> io::Result<Summary> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(io::Error::other)?;
    let started = Instant::now();
    let mut summary = Summary::default();
    let mut docs = docs.peekable();
    let mut batch: Vec<Document> = Vec::new();
    let mut scratch = Scratch::new();
    while docs.peek().is_some() {
        batch.clear();
        let mut bytes = 0;
        while batch.len() < opts.batch_docs.max(1) && bytes < opts.batch_bytes
        {
            let Some(doc) = docs.next() else { break };
            bytes += doc.text.as_ref().map_or(0, String::len);
            batch.push(doc);
        }
        let render = |scratch: &mut Scratch, doc: &Document| {
            let r = tag_one(tagger, scratch, doc, opts.csv);
            let mut rows = Vec::with_capacity(
                r.mentions.len() + r.topics.len() + r.document.len() + 64,
            );
            write_rows(&r, &mut rows);
            (r, rows)
        };
        let rendered: Vec<(Rendered, Vec<u8>)> = if opts.threads == 1 {
            batch.iter().map(|doc| render(&mut scratch, doc)).collect()
        } else {
            pool.install(|| {
                batch
                    .par_iter()
                    .with_max_len(1)
                    .map_init(Scratch::new, render)
                    .collect()
            })
        };
        for (r, rows) in &rendered {
            out.write_all(rows)?;
            summary.documents += 1;
            summary.failed += u64::from(r.failed);
            summary.mentions += r.mention_count as u64;
            summary.bytes += r.bytes as u64;
        }
        out.flush()?;
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_round_trips() {
        for s in [
            "",
            "plain",
            "a\nb",
            "\\n",
            "\\",
            "x\r\n\ty\\\\z",
            "Côte d’Ivoire\n",
            "\\\n",
        ] {
            let e = escape(s);
            assert!(!e.contains(['\n', '\r', '\t']), "{e:?}");
            assert_eq!(unescape(&e).unwrap(), s);
        }
        assert_eq!(escape("a\nb\\c"), "a\\nb\\\\c");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert!(unescape("bad\\x").is_err());
        assert!(unescape("bad\\").is_err());
    }

    #[test]
    fn kinds_map_to_tables() {
        for t in Table::ALL {
            assert_eq!(table_of_kind(kind(t)), Some(t));
        }
        assert_eq!(table_of_kind("x"), None);
    }

    #[test]
    fn rows_carry_kind_and_escaped_cells() {
        let r = Rendered {
            mentions: b"d1,0,3,\"a\nb\",x,X,t,dom,0,3,,name,false\n".to_vec(),
            topics: Vec::new(),
            document: b"d1,ok,,3,1,1,0,1,3\n".to_vec(),
            failed: false,
            skipped: false,
            mention_count: 1,
            bytes: 3,
            failure: None,
        };
        let mut out = Vec::new();
        write_rows(&r, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "m,d1,0,3,a\\nb,x,X,t,dom,0,3,,name,false\nd,d1,ok,,3,1,1,0,1,3\n"
        );
    }

    #[test]
    fn rows_round_trip_through_a_csv_reader() {
        let cells =
            ["a,b", "q\"uote\"", "", "line\r\nbreak", "back\\", "\"", ","];
        let mut table = Vec::new();
        let mut w =
            csv::WriterBuilder::new().flexible(true).from_writer(&mut table);
        w.write_record(cells).unwrap();
        w.write_record(["x", "", ""]).unwrap();
        drop(w);
        let r = Rendered { topics: table, ..Rendered::default() };
        let mut out = Vec::new();
        write_rows(&r, &mut out);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        let mut rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let got: Vec<Vec<String>> = rows
            .records()
            .map(|r| {
                r.unwrap()
                    .iter()
                    .map(|c| unescape(c).unwrap().into_owned())
                    .collect()
            })
            .collect();
        let mut want: Vec<String> = vec!["t".into()];
        want.extend(cells.iter().map(|c| c.to_string()));
        assert_eq!(got[0], want);
        assert_eq!(got[1], ["t", "x", "", ""]);
    }
}
