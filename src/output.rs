//! The CSV tables: the one place that knows their columns.
//!
//! Three tables, RFC 4180, UTF-8, each with a header row:
//!
//! - `mentions.csv`: [`MENTION_COLUMNS`], one row per entity mention.
//! - `topics.csv`: [`TOPIC_COLUMNS`], one row per topic label, best first.
//! - `documents.csv`: [`DOCUMENT_COLUMNS`], one row per input document,
//!   failed ones included.
//!
//! Rows are rendered per document into byte buffers ([`Rendered`]), in
//! parallel, and then written in input order by one thread.
//!
//! Text cells that a spreadsheet would read as a formula (starting with `=`,
//! `+`, `-`, `@`, tab or carriage return) get a leading `'` unless raw output
//! is asked for. Numeric columns are never altered.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::input::Document;
use crate::matcher::{Tagger, Tags};
use crate::topics::evidence_string;

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
];

/// Columns of `topics.csv`.
pub const TOPIC_COLUMNS: &[&str] =
    &["doc_id", "topic_id", "topic", "score", "rank", "evidence"];

/// Columns of `documents.csv`.
pub const DOCUMENT_COLUMNS: &[&str] = &[
    "doc_id", "status", "error", "chars", "mentions", "entities", "topics",
    "words", "bytes",
];

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

    /// The file name used with an output folder.
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Mentions => "mentions.csv",
            Table::Topics => "topics.csv",
            Table::Documents => "documents.csv",
        }
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
pub fn neutralise(cell: &str, raw: bool) -> std::borrow::Cow<'_, str> {
    if !raw && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The rows of one document for each table, as CSV bytes without headers.
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

/// Renders the rows of one tagged (or failed) document.
pub fn render(
    tagger: &Tagger,
    doc: &Document,
    tags: Option<&Tags>,
    opts: CsvOptions,
) -> Rendered {
    let mut out = Rendered::default();
    let id = neutralise(&doc.id, opts.raw);
    let text = match (&doc.text, tags) {
        (Ok(text), Some(tags)) => (text, tags),
        (result, _) => {
            let msg =
                result.as_ref().err().map_or("not tagged", String::as_str);
            let mut w = writer(&mut out.document);
            let _ = w.write_record([
                &*id,
                "error",
                &neutralise(msg, opts.raw),
                "",
                "",
                "",
                "",
                "",
                "",
            ]);
            drop(w);
            out.failed = true;
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
    ];
    {
        let mut w = writer(&mut out.mentions);
        let entities = tagger.entities();
        let mut alts = String::new();
        for m in &tags.mentions {
            let e = &entities[m.entity];
            alts.clear();
            for (i, &a) in m.alternatives.iter().enumerate() {
                if i > 0 {
                    alts.push('|');
                }
                alts.push_str(&entities[a].id);
            }
            let [b0, b1, b2, b3] = &mut itoa_buf;
            let _ = w.write_record([
                &*id,
                b0.format(m.char_start),
                b1.format(m.char_end),
                &neutralise(&text[m.start..m.end], opts.raw),
                &neutralise(&e.id, opts.raw),
                &neutralise(&e.name, opts.raw),
                &neutralise(&e.kind, opts.raw),
                &neutralise(&e.domain, opts.raw),
                b2.format(m.start),
                b3.format(m.end),
                &neutralise(&alts, opts.raw),
            ]);
        }
    }
    {
        let mut w = writer(&mut out.topics);
        let topics = tagger.topics();
        for (rank, label) in tags.topics.iter().enumerate() {
            let t = &topics[label.topic];
            let score = format!("{:.3}", label.score);
            let [b0, ..] = &mut itoa_buf;
            let _ = w.write_record([
                &*id,
                &neutralise(&t.id, opts.raw),
                &neutralise(&t.name, opts.raw),
                &score,
                b0.format(rank + 1),
                &neutralise(&evidence_string(tagger, label), opts.raw),
            ]);
        }
    }
    {
        let mut distinct: Vec<usize> =
            tags.mentions.iter().map(|m| m.entity).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut w = writer(&mut out.document);
        let [b0, b1, b2, b3] = &mut itoa_buf;
        let words = tags.words.to_string();
        let bytes = text.len().to_string();
        let _ = w.write_record([
            &*id,
            "ok",
            "",
            b0.format(tags.chars),
            b1.format(tags.mentions.len()),
            b2.format(distinct.len()),
            b3.format(tags.topics.len()),
            &words,
            &bytes,
        ]);
    }
    out
}

fn writer(buf: &mut Vec<u8>) -> csv::Writer<&mut Vec<u8>> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .buffer_capacity(1024)
        .from_writer(buf)
}

/// The header row of `table` as CSV bytes.
pub fn header(table: Table) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut w = writer(&mut buf);
    w.write_record(table.columns()).expect("writing to memory");
    drop(w);
    buf
}

/// Where the tables go.
pub enum Sink {
    /// One table to a stream (standard output), others dropped.
    Stream {
        /// The table written.
        table: Table,
        /// The stream.
        out: Box<dyn Write + Send>,
    },
    /// All three tables into a folder. Each file is written under a
    /// temporary name in the same folder and renamed into place by
    /// [`Sink::finish`], so a final name never holds a partial table.
    Folder {
        /// The folder.
        dir: PathBuf,
        /// Open temporary files, in [`Table::ALL`] order.
        files: Vec<(tempfile::NamedTempFile, io::BufWriter<std::fs::File>)>,
    },
}

impl Sink {
    /// A sink writing `table` to `out`, with its header.
    ///
    /// # Errors
    /// Fails if the header cannot be written.
    pub fn stream(
        table: Table,
        mut out: Box<dyn Write + Send>,
        header_row: bool,
    ) -> io::Result<Sink> {
        if header_row {
            out.write_all(&header(table))?;
        }
        Ok(Sink::Stream { table, out })
    }

    /// A sink writing all tables into `dir`, created if missing.
    ///
    /// # Errors
    /// Fails if the folder or the temporary files cannot be created.
    pub fn folder(dir: &Path) -> io::Result<Sink> {
        std::fs::create_dir_all(dir)?;
        let mut files = Vec::new();
        for t in Table::ALL {
            let tmp = tempfile::Builder::new()
                .prefix(&format!(".{}.", t.file_name()))
                .suffix(".tmp")
                .tempfile_in(dir)?;
            let mut w = io::BufWriter::with_capacity(
                1 << 16,
                tmp.as_file().try_clone()?,
            );
            w.write_all(&header(t))?;
            files.push((tmp, w));
        }
        Ok(Sink::Folder { dir: dir.to_path_buf(), files })
    }

    /// Appends one document's rows.
    ///
    /// # Errors
    /// Fails on a write error (a closed pipe, a full disk).
    pub fn write(&mut self, r: &Rendered) -> io::Result<()> {
        match self {
            Sink::Stream { table, out } => out.write_all(r.table(*table)),
            Sink::Folder { files, .. } => {
                for (t, (_, w)) in Table::ALL.iter().zip(files.iter_mut()) {
                    w.write_all(r.table(*t))?;
                }
                Ok(())
            }
        }
    }

    /// Flushes, and with a folder moves every table to its final name.
    ///
    /// # Errors
    /// Fails if flushing, syncing or renaming fails; then no final file is
    /// replaced by a partial one.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Sink::Stream { mut out, .. } => out.flush(),
            Sink::Folder { dir, files } => {
                let mut ready = Vec::new();
                for (tmp, mut w) in files {
                    w.flush()?;
                    w.get_ref().sync_all()?;
                    ready.push(tmp);
                }
                for (t, tmp) in Table::ALL.iter().zip(ready) {
                    tmp.persist(dir.join(t.file_name()))
                        .map_err(|e| e.error)?;
                }
                Ok(())
            }
        }
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
    }

    #[test]
    fn headers_are_stable() {
        assert_eq!(
            String::from_utf8(header(Table::Mentions)).unwrap(),
            "doc_id,start,end,text,entity_id,entity,type,domain,byte_start,byte_end,alternatives\n"
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
}
