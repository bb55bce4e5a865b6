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
use std::sync::{Mutex, MutexGuard, PoisonError};

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
    "via",
    "inside_name",
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
                m.via.as_str(),
                if m.inside_name { "true" } else { "false" },
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
    fn create(dir: &Path) -> io::Result<Folder> {
        std::fs::create_dir_all(dir)?;
        // On an error below, dropping `folder` takes the files created so
        // far off the pending list and removes them.
        let mut folder = Folder { dir: dir.to_path_buf(), files: Vec::new() };
        for t in Table::ALL {
            let tmp = tempfile::Builder::new()
                .prefix(&format!(".{}.", t.file_name()))
                .suffix(".tmp")
                .tempfile_in(dir)?;
            let w = io::BufWriter::with_capacity(
                1 << 16,
                tmp.as_file().try_clone()?,
            );
            pending().push(tmp.path().to_path_buf());
            folder.files.push(TempTable {
                path: dir.join(t.file_name()),
                tmp,
                w,
            });
        }
        for (t, f) in Table::ALL.iter().zip(folder.files.iter_mut()) {
            f.w.write_all(&header(*t)).map_err(|e| f.context(e))?;
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
        mut out: Box<dyn Write + Send>,
        header_row: bool,
    ) -> io::Result<Sink> {
        if header_row {
            out.write_all(&header(table))?;
        }
        Ok(Sink { inner: Inner::Stream { table, out } })
    }

    /// A sink writing all tables into `dir`, created if missing.
    ///
    /// # Errors
    /// Fails if the folder or the temporary files cannot be created.
    pub fn folder(dir: &Path) -> io::Result<Sink> {
        Ok(Sink { inner: Inner::Folder(Folder::create(dir)?) })
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
}
