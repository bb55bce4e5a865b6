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

mod rows;

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
use crate::record::is_numeric;
pub use crate::record::{
    DOCUMENT_COLUMNS, MENTION_COLUMNS, PIVOT_TYPES, TOPIC_COLUMNS,
};
use crate::record::{EvidenceSource, Tags, TopicLabel};
pub use rows::*;

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
            "doc_id,start,end,text,entity_id,entity,type,domain,byte_start,byte_end,alternatives,via,inside_name,enclosing_start,enclosing_end\n"
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
