//! Input sources: files, folders, standard input; text, JSONL and CSV.
//!
//! [`Documents`] turns a list of paths into a lazy stream of [`Document`]s,
//! one at a time, so memory does not grow with the corpus. A document that
//! cannot be read is still yielded, carrying its error, so that every input
//! is accounted for downstream.
//!
//! - A text file is one document; its id is the path as given (below a
//!   folder: the folder joined with the relative path).
//! - In a JSONL file every non-blank line is a document; in a CSV file every
//!   record is. The id is the `--id-field` value, or `FILE:LINE` when absent.
//! - Folders are walked recursively in sorted order (by file name, byte by
//!   byte, so the order never depends on the file system). Hidden entries
//!   (names starting with `.`) are skipped. Symbolic links to files are
//!   read, wherever they point (outside the folder too); symbolic links to
//!   folders are not followed and are reported as errors, so a link loop
//!   cannot hang the walk. A dangling or self-referencing link is an error.
//! - Inside a folder, anything that is not a file or a folder (a FIFO, a
//!   socket, a device) is an error, never opened: a FIFO without a writer
//!   would block the run. Named by the user, a FIFO is read (like `cat`
//!   would), but a device is still refused (`/dev/zero` never ends).
//! - Every folder is listed when the stream is created; each file is opened
//!   only when its turn comes, so a file deleted in between is an error.
//! - A document (a text file, a JSONL line) larger than
//!   [`InputOptions::max_document_bytes`] is refused without being held in
//!   memory; a text file is read into a buffer of its own size.

mod folders;
use folders::{Filter, expand};
pub use folders::{TEXT_EXTENSIONS, check_globs, is_text_path};

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::de::{
    DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};

/// The id given to a document read from standard input as text.
pub const STDIN_ID: &str = "<stdin>";

/// How to read a source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InputFormat {
    /// By file extension: `.jsonl`/`.ndjson` are JSONL, `.csv` is CSV,
    /// anything else (and standard input) is text.
    #[default]
    Auto,
    /// The whole source is one document.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// A CSV file with a header row.
    Csv,
}

/// Options for reading documents.
#[derive(Clone, Debug)]
pub struct InputOptions {
    /// How to read each source.
    pub format: InputFormat,
    /// JSONL/CSV field holding the document id. Default `id`.
    pub id_field: String,
    /// JSONL/CSV field holding the text. Default `text`.
    pub text_field: String,
    /// Documents larger than this many bytes are refused (an `error` row).
    /// Default 1 GiB.
    pub max_document_bytes: u64,
    /// Globs naming the files to read below a folder, instead of the
    /// default rule ([`is_text_path`]); matched against the path relative
    /// to the folder given (`2024/*.txt`) and against the file name alone
    /// (`*.txt`). Files named on their own are always read.
    pub include: Vec<String>,
    /// Globs naming files below a folder not to read, as `include`;
    /// exclusion wins.
    pub exclude: Vec<String>,
}

impl Default for InputOptions {
    fn default() -> InputOptions {
        InputOptions {
            format: InputFormat::Auto,
            id_field: "id".to_string(),
            text_field: "text".to_string(),
            max_document_bytes: 1 << 30,
            include: Vec::new(),
            exclude: Vec::new(),
        }
    }
}

/// One input document: its id and its text, or why it could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The document id (`doc_id` in every table).
    pub id: String,
    /// The text, or an error message naming the file (and line), or why
    /// the file was skipped.
    pub text: Result<String, String>,
    /// A file found in a folder and left out on purpose (not a text
    /// document, or excluded by a glob): a `skipped` row, not a failure.
    pub skipped: bool,
}

impl Document {
    fn ok(id: String, text: String) -> Document {
        Document { id, text: Ok(text), skipped: false }
    }

    fn err(id: String, msg: String) -> Document {
        Document { id, text: Err(msg), skipped: false }
    }

    fn skip(id: String, why: String) -> Document {
        Document { id, text: Err(why), skipped: true }
    }
}

/// One entry of the work list.
enum Source {
    /// A path given by the user, or found in a folder.
    Path(PathBuf),
    /// Standard input.
    Stdin,
    /// A path that failed before it could be opened.
    Failed(String, String),
    /// A file of a folder that is not read, and why.
    Skipped(String, String),
}

/// A source being read record by record.
enum Open {
    Jsonl {
        name: String,
        reader: Box<dyn BufRead + Send>,
        line: u64,
    },
    Csv {
        name: String,
        reader: csv::Reader<Box<dyn Read + Send>>,
        id_col: Option<usize>,
        text_col: usize,
    },
}

/// A lazy stream of documents from a list of paths.
pub struct Documents {
    queue: VecDeque<Source>,
    open: Option<Open>,
    opts: InputOptions,
    buf: Vec<u8>,
}

impl Documents {
    /// Documents from `paths` in order; `-` (or an empty list) is standard
    /// input.
    pub fn new(paths: &[PathBuf], opts: InputOptions) -> Documents {
        let mut queue = VecDeque::new();
        if paths.is_empty() {
            queue.push_back(Source::Stdin);
        }
        let filter = match Filter::new(&opts.include, &opts.exclude) {
            Ok(f) => f,
            Err(msg) => {
                queue.push_front(Source::Failed("<options>".into(), msg));
                Filter::default()
            }
        };
        for p in paths {
            if p.as_os_str() == "-" {
                queue.push_back(Source::Stdin);
            } else {
                expand(p, &filter, &mut queue);
            }
        }
        Documents { queue, open: None, opts, buf: Vec::new() }
    }

    fn format_of(&self, path: Option<&Path>) -> InputFormat {
        match self.opts.format {
            InputFormat::Auto => {
                let ext = path
                    .and_then(|p| p.extension())
                    .map(|e| e.to_string_lossy().to_ascii_lowercase());
                match ext.as_deref() {
                    Some("jsonl" | "ndjson") => InputFormat::Jsonl,
                    Some("csv") => InputFormat::Csv,
                    _ => InputFormat::Text,
                }
            }
            f => f,
        }
    }

    /// Starts reading one source; text sources yield their one document
    /// directly.
    fn start(&mut self, source: Source) -> Option<Document> {
        let (name, path) = match source {
            Source::Failed(id, msg) => return Some(Document::err(id, msg)),
            Source::Skipped(id, why) => return Some(Document::skip(id, why)),
            Source::Stdin => (STDIN_ID.to_string(), None),
            Source::Path(p) => (p.display().to_string(), Some(p)),
        };
        let format = self.format_of(path.as_deref());
        let mut size_hint = 0;
        let reader: Box<dyn Read + Send> = match &path {
            None => Box::new(io::stdin()),
            Some(p) => match open_file(p) {
                Ok((f, len)) => {
                    size_hint = len;
                    Box::new(f)
                }
                Err(msg) => {
                    return Some(Document::err(
                        name.clone(),
                        format!("{name}: {msg}"),
                    ));
                }
            },
        };
        match format {
            InputFormat::Text | InputFormat::Auto => {
                Some(self.read_text(name, reader, size_hint))
            }
            InputFormat::Jsonl => {
                let reader =
                    Box::new(BufReader::with_capacity(1 << 16, reader));
                self.open = Some(Open::Jsonl { name, reader, line: 0 });
                None
            }
            InputFormat::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .flexible(false)
                    .from_reader(reader);
                let headers = match reader.headers() {
                    Ok(h) => h.clone(),
                    Err(e) => {
                        return Some(Document::err(
                            name.clone(),
                            format!("{name}: cannot read CSV header: {e}"),
                        ));
                    }
                };
                let col = |f: &str| headers.iter().position(|h| h.trim() == f);
                let Some(text_col) = col(&self.opts.text_field) else {
                    let cols: Vec<&str> = headers.iter().collect();
                    return Some(Document::err(
                        name.clone(),
                        format!(
                            "{name}: no `{}` column (columns: {}); no record of this file was read",
                            self.opts.text_field,
                            cols.join(", ")
                        ),
                    ));
                };
                let id_col = col(&self.opts.id_field);
                self.open = Some(Open::Csv { name, reader, id_col, text_col });
                None
            }
        }
    }

    /// Reads a whole source as one document. `size_hint` is the file's
    /// length when known: reserving it up front keeps the peak memory of a
    /// large document at its size, instead of up to twice that while a
    /// growing buffer is copied.
    fn read_text(
        &mut self,
        name: String,
        reader: Box<dyn Read + Send>,
        size_hint: u64,
    ) -> Document {
        let limit = self.opts.max_document_bytes;
        // One byte more than the file, so that reaching the end needs no
        // growth; a file that grows while read still works.
        let reserve = size_hint.min(limit).saturating_add(1);
        let mut bytes =
            Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
        match reader.take(limit + 1).read_to_end(&mut bytes) {
            Ok(_) => {}
            Err(e) => {
                return Document::err(name.clone(), format!("{name}: {e}"));
            }
        }
        if bytes.len() as u64 > limit {
            return Document::err(
                name.clone(),
                format!("{name}: document is larger than {limit} bytes"),
            );
        }
        if let Some(at) = memchr_nul(&bytes) {
            return Document::err(
                name.clone(),
                format!("{name}: binary data (NUL byte at byte {at})"),
            );
        }
        match String::from_utf8(bytes) {
            Ok(text) => Document::ok(name, text),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                Document::err(
                    name.clone(),
                    format!("{name}: invalid UTF-8 at byte {at}"),
                )
            }
        }
    }

    /// The next record of the open JSONL or CSV source, if any.
    fn next_record(&mut self) -> Option<Document> {
        let opts = &self.opts;
        match self.open.as_mut()? {
            Open::Jsonl { name, reader, line } => loop {
                *line += 1;
                let at = *line;
                let limit = opts.max_document_bytes;
                let parsed =
                    read_line_with(reader, &mut self.buf, limit, |bytes| {
                        if bytes.iter().all(u8::is_ascii_whitespace) {
                            None
                        } else {
                            Some(jsonl_record(name, at, bytes, opts))
                        }
                    });
                match parsed {
                    // The end of the source.
                    Ok(None) => {
                        self.open = None;
                        return None;
                    }
                    // A blank line.
                    Ok(Some(None)) => continue,
                    Ok(Some(Some(doc))) => return Some(doc),
                    Err(e) => {
                        let id = format!("{name}:{line}");
                        let doc =
                            Document::err(id.clone(), format!("{id}: {e}"));
                        self.open = None;
                        return Some(doc);
                    }
                }
            },
            Open::Csv { name, reader, id_col, text_col } => {
                let mut record = csv::ByteRecord::new();
                match reader.read_byte_record(&mut record) {
                    Ok(false) => {
                        self.open = None;
                        None
                    }
                    Ok(true) => {
                        let line = record.position().map_or(0, |p| p.line());
                        let fallback = format!("{name}:{line}");
                        let id = id_col
                            .and_then(|c| record.get(c))
                            .filter(|v| !v.is_empty())
                            .map(|v| String::from_utf8_lossy(v).into_owned())
                            .unwrap_or_else(|| fallback.clone());
                        let text = match record
                            .get(*text_col)
                            .map(|t| std::str::from_utf8(t))
                        {
                            Some(Ok(t)) => Ok(t.to_string()),
                            Some(Err(e)) => Err(format!(
                                "{fallback}: invalid UTF-8 in field `{}` at byte {}",
                                opts.text_field,
                                e.valid_up_to()
                            )),
                            None => Err(format!(
                                "{fallback}: record has no `{}` field",
                                opts.text_field
                            )),
                        };
                        Some(Document { id, text, skipped: false })
                    }
                    Err(e) => {
                        let line = e.position().map_or(0, |p| p.line());
                        let id = format!("{name}:{line}");
                        let msg = match e.kind() {
                            csv::ErrorKind::UnequalLengths {
                                expected_len,
                                len,
                                ..
                            } => {
                                format!(
                                    "{id}: record has {len} fields, the header has {expected_len}"
                                )
                            }
                            _ => format!("{id}: {e}"),
                        };
                        // A broken stream cannot be resumed; a ragged record
                        // can.
                        if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                            self.open = None;
                        }
                        Some(Document::err(id, msg))
                    }
                }
            }
        }
    }
}

impl Iterator for Documents {
    type Item = Document;

    fn next(&mut self) -> Option<Document> {
        loop {
            if self.open.is_some() {
                if let Some(doc) = self.next_record() {
                    return Some(without_bom(doc));
                }
                continue;
            }
            let source = self.queue.pop_front()?;
            if let Some(doc) = self.start(source) {
                return Some(without_bom(doc));
            }
        }
    }
}

/// The document with a leading byte-order mark (U+FEFF) removed from its
/// text, so that offsets count from the first real character, as they do
/// for anyone who reads the file with `utf-8-sig` (pandas, Excel exports).
fn without_bom(mut doc: Document) -> Document {
    if let Ok(text) = &mut doc.text
        && text.starts_with('\u{FEFF}')
    {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    doc
}

/// Reads one line (through its `\n`) and passes it to `f`, keeping at most
/// `limit + 1` bytes of it: the rest of a longer line is read and dropped,
/// so one huge line cannot use more memory than the document limit.
///
/// A line that lies whole in the reader's buffer is passed from there;
/// only a line spread over several reads is copied into `buf` first.
/// Returns `None` at the end of the input.
fn read_line_with<T>(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
    f: impl FnOnce(&[u8]) -> T,
) -> io::Result<Option<T>> {
    let keep = usize::try_from(limit).unwrap_or(usize::MAX).saturating_add(1);
    buf.clear();
    let mut total = 0;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((total > 0).then(|| f(buf)));
        }
        let (used, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if done && total == 0 {
            let out = f(&chunk[..used.min(keep)]);
            reader.consume(used);
            return Ok(Some(out));
        }
        let room = keep.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..used.min(room)]);
        reader.consume(used);
        total += used;
        if done {
            return Ok(Some(f(buf)));
        }
    }
}

/// Parses one JSONL line into a document.
fn jsonl_record(
    name: &str,
    line: u64,
    bytes: &[u8],
    opts: &InputOptions,
) -> Document {
    let fallback = || format!("{name}:{line}");
    if bytes.len() as u64 > opts.max_document_bytes {
        let fallback = fallback();
        let msg = format!(
            "{fallback}: line is larger than {} bytes",
            opts.max_document_bytes
        );
        return Document::err(fallback, msg);
    }
    // A byte-order mark may open the file (a JSONL export from Windows).
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) if line == 1 => rest,
        _ => bytes,
    };
    let seed = LineSeed { id: &opts.id_field, text: &opts.text_field };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = seed.deserialize(&mut de).and_then(|line| {
        de.end()?;
        Ok(line)
    });
    let (id, text) = match parsed {
        Ok(Line::Object { id, text }) => (id, text),
        Ok(Line::NotObject) => {
            let fallback = fallback();
            return Document::err(
                fallback.clone(),
                format!("{fallback}: not a JSON object"),
            );
        }
        Err(e) => {
            let fallback = fallback();
            return Document::err(
                fallback.clone(),
                format!("{fallback}: invalid JSON: {e}"),
            );
        }
    };
    // With the same name for both, the one value is both.
    let id_value = if opts.id_field == opts.text_field {
        text.as_ref()
    } else {
        id.as_ref()
    };
    let id = match id_value {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => fallback(),
    };
    match text {
        Some(serde_json::Value::String(s)) => Document::ok(id, s),
        Some(other) => {
            let kind = match other {
                serde_json::Value::Null => "null",
                serde_json::Value::Bool(_) => "a boolean",
                serde_json::Value::Number(_) => "a number",
                serde_json::Value::Array(_) => "an array",
                serde_json::Value::Object(_) => "an object",
                serde_json::Value::String(_) => "a string",
            };
            Document::err(
                id,
                format!(
                    "{}: field `{}` is {kind}, not a string",
                    fallback(),
                    opts.text_field
                ),
            )
        }
        None => Document::err(
            id,
            format!("{}: no `{}` field", fallback(), opts.text_field),
        ),
    }
}

/// What a JSONL line holds, as far as a document goes.
enum Line {
    /// Valid JSON, but not an object.
    NotObject,
    /// An object, with the values of its id and text fields if present.
    Object {
        /// The id field's value (unset when it has the text field's name).
        id: Option<serde_json::Value>,
        /// The text field's value.
        text: Option<serde_json::Value>,
    },
}

/// Reads a JSONL line keeping only the id and text fields.
///
/// It accepts and refuses exactly what deserializing a
/// [`serde_json::Value`] would, with the same errors, and gives the same
/// id and text (the last of duplicate keys wins, as in a `Value` map):
/// the two fields are deserialized as `Value`s, and every other value is
/// checked by [`Check`] without being kept.
#[derive(Clone, Copy)]
struct LineSeed<'a> {
    /// The id field's name.
    id: &'a str,
    /// The text field's name.
    text: &'a str,
}

impl<'de> DeserializeSeed<'de> for LineSeed<'_> {
    type Value = Line;

    fn deserialize<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> Result<Line, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LineSeed<'_> {
    type Value = Line;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<Line, A::Error> {
        let (mut id, mut text) = (None, None);
        while let Some(key) = map.next_key_seed(KeySeed(self))? {
            match key {
                Key::Text => text = Some(map.next_value()?),
                Key::Id => id = Some(map.next_value()?),
                Key::Other => map.next_value_seed(Check)?,
            }
        }
        Ok(Line::Object { id, text })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Line, A::Error> {
        Check.visit_seq(seq).map(|()| Line::NotObject)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Line, E> {
        Ok(Line::NotObject)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Line, E> {
        Ok(Line::NotObject)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Line, E> {
        Ok(Line::NotObject)
    }

    fn visit_i128<E>(self, _: i128) -> Result<Line, E> {
        Ok(Line::NotObject)
    }

    fn visit_u128<E>(self, _: u128) -> Result<Line, E> {
        Ok(Line::NotObject)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Line, E> {
        Ok(Line::NotObject)
    }

    fn visit_str<E>(self, _: &str) -> Result<Line, E> {
        Ok(Line::NotObject)
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<Line, E> {
        Ok(Line::NotObject)
    }

    fn visit_unit<E>(self) -> Result<Line, E> {
        Ok(Line::NotObject)
    }

    fn visit_none<E>(self) -> Result<Line, E> {
        Ok(Line::NotObject)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Line, D::Error> {
        Check.deserialize(d).map(|()| Line::NotObject)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> Result<Line, D::Error> {
        Check.deserialize(d).map(|()| Line::NotObject)
    }
}

/// Which field a key names.
enum Key {
    /// The text field (also when the id field has the same name).
    Text,
    /// The id field.
    Id,
    /// Any other field.
    Other,
}

/// Reads an object key and tells which field it names, without keeping it.
struct KeySeed<'a>(LineSeed<'a>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        // As a `Value` map reads its keys.
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Key, E> {
        Ok(if key == self.0.text {
            Key::Text
        } else if key == self.0.id {
            Key::Id
        } else {
            Key::Other
        })
    }
}

/// Checks one JSON value the way deserializing a [`serde_json::Value`]
/// does (strings must be valid, numbers in range, nesting within the
/// recursion limit), without building it.
///
/// [`serde::de::IgnoredAny`] would not do: `serde_json` skips it without
/// checking the UTF-8 of strings or the range of numbers.
#[derive(Clone, Copy)]
struct Check;

impl<'de> DeserializeSeed<'de> for Check {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Keys are strings, checked like any string.
        while map.next_key_seed(Check)?.is_some() {
            map.next_value_seed(Check)?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Check)?.is_some() {}
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_i128<E>(self, _: i128) -> Result<(), E> {
        Ok(())
    }

    fn visit_u128<E>(self, _: u128) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> Result<(), D::Error> {
        self.deserialize(d)
    }
}

/// Opens a path for reading, refusing what is not a file or a FIFO.
/// Returns the file and its length (0 for a FIFO).
fn open_file(p: &Path) -> Result<(File, u64), String> {
    let meta = std::fs::metadata(p).map_err(|e| e.to_string())?;
    let ft = meta.file_type();
    if ft.is_dir() {
        return Err("is a folder".to_string());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_block_device() || ft.is_char_device() {
            return Err("is a device, not a file".to_string());
        }
        if ft.is_socket() {
            return Err("is a socket, not a file".to_string());
        }
    }
    let len = if ft.is_file() { meta.len() } else { 0 };
    let file = File::open(p).map_err(|e| e.to_string())?;
    Ok((file, len))
}

/// The offset of the first NUL byte, if any.
fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(paths: &[PathBuf]) -> Vec<Document> {
        Documents::new(paths, InputOptions::default()).collect()
    }

    #[test]
    fn text_jsonl_and_csv() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("b.txt"), "Beta text").unwrap();
        std::fs::write(d.join("a.txt"), "Alpha text").unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/c.jsonl"), "{\"id\": \"x1\", \"text\": \"one\"}\n\n{\"text\": \"two\"}\n{bad\n{\"id\": 7, \"text\": 3}\n").unwrap();
        std::fs::write(
            d.join("sub/d.csv"),
            "id,text\nr1,\"multi\nline\"\nr2,two,extra\n,three\n",
        )
        .unwrap();
        std::fs::write(d.join(".hidden"), "x").unwrap();
        let got = docs(&[d.to_path_buf()]);
        let show: Vec<(String, Result<String, String>)> = got
            .into_iter()
            .map(|doc| {
                let rel = doc.id.replace(&d.display().to_string(), "D");
                let text = doc
                    .text
                    .map_err(|e| e.replace(&d.display().to_string(), "D"));
                (rel, text)
            })
            .collect();
        let want: Vec<(&str, Result<&str, &str>)> = vec![
            ("D/a.txt", Ok("Alpha text")),
            ("D/b.txt", Ok("Beta text")),
            ("x1", Ok("one")),
            ("D/sub/c.jsonl:3", Ok("two")),
            (
                "D/sub/c.jsonl:4",
                Err(
                    "D/sub/c.jsonl:4: invalid JSON: key must be a string at line 1 column 2",
                ),
            ),
            (
                "7",
                Err("D/sub/c.jsonl:5: field `text` is a number, not a string"),
            ),
            ("r1", Ok("multi\nline")),
            (
                "D/sub/d.csv:4",
                Err("D/sub/d.csv:4: record has 3 fields, the header has 2"),
            ),
            ("D/sub/d.csv:5", Ok("three")),
        ];
        let want: Vec<(String, Result<String, String>)> = want
            .into_iter()
            .map(|(a, b)| {
                (a.to_string(), b.map(str::to_string).map_err(str::to_string))
            })
            .collect();
        assert_eq!(show, want);
    }

    #[test]
    fn bad_files_become_error_documents() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("bad.txt"), b"ok \xff\xfe then").unwrap();
        std::fs::write(d.join("bin.txt"), [0u8; 64]).unwrap();
        std::fs::write(d.join("empty.txt"), b"").unwrap();
        std::fs::write(d.join("nocol.csv"), b"id,body\n1,x\n").unwrap();
        let missing = d.join("missing.txt");
        let got = docs(&[d.to_path_buf(), missing]);
        let errs: Vec<String> = got
            .iter()
            .map(|d| d.text.clone().err().unwrap_or_default())
            .collect();
        assert!(
            errs[0].ends_with("bad.txt: invalid UTF-8 at byte 3"),
            "{errs:?}"
        );
        assert!(
            errs[1].ends_with("bin.txt: binary data (NUL byte at byte 0)"),
            "{errs:?}"
        );
        assert_eq!(got[2].text, Ok(String::new()));
        assert!(
            errs[3].contains("no `text` column (columns: id, body)"),
            "{errs:?}"
        );
        assert!(errs[4].contains("missing.txt: No such file"), "{errs:?}");
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_crash() {
        let line = format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let doc = jsonl_record(
            "f.jsonl",
            1,
            line.as_bytes(),
            &InputOptions::default(),
        );
        assert!(doc.text.unwrap_err().contains("recursion limit"));
    }

    /// The line parser before `LineSeed`: a whole `serde_json::Value`.
    fn reference(
        name: &str,
        line: u64,
        bytes: &[u8],
        o: &InputOptions,
    ) -> Document {
        use serde_json::Value;
        let fallback = format!("{name}:{line}");
        let value: Value = match serde_json::from_slice(bytes) {
            Ok(v) => v,
            Err(e) => {
                return Document::err(
                    fallback.clone(),
                    format!("{fallback}: invalid JSON: {e}"),
                );
            }
        };
        let Value::Object(mut obj) = value else {
            return Document::err(
                fallback.clone(),
                format!("{fallback}: not a JSON object"),
            );
        };
        let id = match obj.get(&o.id_field) {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => fallback.clone(),
        };
        let kind = match obj.remove(&o.text_field) {
            Some(Value::String(s)) => return Document::ok(id, s),
            None => {
                let msg = format!("{fallback}: no `{}` field", o.text_field);
                return Document::err(id, msg);
            }
            Some(Value::Null) => "null",
            Some(Value::Bool(_)) => "a boolean",
            Some(Value::Number(_)) => "a number",
            Some(Value::Array(_)) => "an array",
            Some(Value::Object(_)) => "an object",
        };
        let msg = format!(
            "{fallback}: field `{}` is {kind}, not a string",
            o.text_field
        );
        Document::err(id, msg)
    }

    #[test]
    fn jsonl_records_are_read_as_a_json_value_would_be() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let mut lines: Vec<Vec<u8>> = [
            r#"{"id":"a","text":"x"}"#,
            r#"{"id":"a","text":"x","text":"y"}"#,
            r#"{"id":"a","text":"x","text":5}"#,
            r#"{"id":"a","text":5,"text":"x"}"#,
            r#"{"id":"a","id":"b","id":7,"text":"x"}"#,
            r#"{"id":7,"id":"","text":"x"}"#,
            r#"{"id":"","text":"x"}"#,
            r#"{"id":-0,"text":"x"}"#,
            r#"{"id":1.5e3,"text":"x"}"#,
            r#"{"id":123456789012345678901234567890,"text":"x"}"#,
            r#"{"id":18446744073709551615,"text":"x"}"#,
            r#"{"id":-9223372036854775808,"text":"x"}"#,
            r#"{"id":1e400,"text":"x"}"#,
            r#"{"n":1e400,"text":"x"}"#,
            r#"{"n":[1,{"m":-1e999}],"text":"x"}"#,
            r#"{"n":01,"text":"x"}"#,
            r#"{"n":tru,"text":"x"}"#,
            r#"{"id":true,"text":"x"}"#,
            r#"{"id":null,"text":"x"}"#,
            r#"{"id":["a"],"text":"x"}"#,
            r#"{"id":{"a":1},"text":"x"}"#,
            r#"{"id":"a","text":true}"#,
            r#"{"id":"a","text":[1]}"#,
            r#"{"id":"a","text":{"b":"c"}}"#,
            r#"{"id":"a","text":null}"#,
            r#"{"id":"a","text":2.5}"#,
            r#"{"id":"a"}"#,
            r#"{}"#,
            r#"[1,2]"#,
            r#"[1,1e400]"#,
            r#""text""#,
            r#"42"#,
            r#"null"#,
            r#"true"#,
            r#"{"id":"a","text":"x"} trailing"#,
            r#"{"id":"a","text":"x",}"#,
            r#"{"id":"a","text":"x""#,
            r#"{"id":"a","text":"\n\"\u00e9\ud83d\ude00\t"}"#,
            r#"{"id":"a","text":"lone \ud800"}"#,
            r#"{"id":"a","n":"lone \ud800","text":"x"}"#,
            r#"{"id":"a","n":"bad \q","text":"x"}"#,
            r#"{"i\u0064":"esc","te\u0078t":"x"}"#,
            r#"{"id" : "a" ,	"text" :
"x"}"#,
            r#"{1:2}"#,
            "",
            "  \r\n",
        ]
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .collect();
        lines.push(
            b"{\"id\":\"a\",\"n\":\"bad \xff\",\"text\":\"x\"}".to_vec(),
        );
        lines.push(b"{\"id\":\"a\",\"text\":\"bad \xfe\"}".to_vec());
        lines.push(b"{\"\xff\":1,\"text\":\"x\"}".to_vec());
        lines.push(b"\xef\xbb\xbf{\"text\":\"x\"}".to_vec());
        lines.push(
            b"{\"id\":\"a\",\"n\":\"ctl \x01\",\"text\":\"x\"}".to_vec(),
        );
        for n in [126, 127, 128, 129, 100_000] {
            lines.push(
                format!(r#"{{"id":"a","n":{},"text":"x"}}"#, deep(n))
                    .into_bytes(),
            );
            lines.push(
                format!(r#"{{"id":"a","text":{}}}"#, deep(n)).into_bytes(),
            );
            lines.push(deep(n).into_bytes());
        }
        let fields =
            [("id", "text"), ("text", "text"), ("text", "id"), ("n", "id")];
        for (id, text) in fields {
            let o = InputOptions {
                id_field: id.to_string(),
                text_field: text.to_string(),
                ..InputOptions::default()
            };
            for l in &lines {
                assert_eq!(
                    jsonl_record("f.jsonl", 3, l, &o),
                    reference("f.jsonl", 3, l, &o),
                    "{id}/{text}: {}",
                    String::from_utf8_lossy(&l[..l.len().min(200)]),
                );
            }
        }
    }

    #[test]
    fn long_jsonl_lines_are_refused_without_holding_them() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("long.jsonl");
        let long = format!("{{\"text\": \"{}\"}}", "x".repeat(10_000));
        std::fs::write(&p, format!("{long}\n{{\"text\": \"ok\"}}\n{long}"))
            .unwrap();
        let opts = InputOptions {
            max_document_bytes: 100,
            ..InputOptions::default()
        };
        let mut docs = Documents::new(&[p], opts);
        let first = docs.next().unwrap();
        assert!(
            first
                .text
                .unwrap_err()
                .ends_with(":1: line is larger than 100 bytes")
        );
        // At most the limit plus one byte of the line was kept.
        assert!(docs.buf.capacity() < 1000);
        assert_eq!(docs.next().unwrap().text, Ok("ok".to_string()));
        assert!(docs.next().unwrap().text.is_err());
        assert!(docs.next().is_none());
    }

    #[test]
    fn read_line_with_keeps_the_head_and_skips_the_rest() {
        let mut r = io::BufReader::with_capacity(4, &b"abcdefgh\nij\nk"[..]);
        let mut buf = Vec::new();
        let mut line = |r: &mut io::BufReader<&[u8]>| {
            read_line_with(r, &mut buf, 2, <[u8]>::to_vec).unwrap()
        };
        // Spread over several reads: copied, cut at the limit.
        assert_eq!(line(&mut r).as_deref(), Some(&b"abc"[..]));
        // Whole in the buffer: passed from there, cut at the limit too.
        assert_eq!(line(&mut r).as_deref(), Some(&b"ij\n"[..]));
        assert_eq!(line(&mut r).as_deref(), Some(&b"k"[..]));
        assert_eq!(line(&mut r), None);
        let mut r = io::BufReader::with_capacity(64, &b"abcdefgh\nij"[..]);
        assert_eq!(line(&mut r).as_deref(), Some(&b"abc"[..]));
        assert_eq!(line(&mut r).as_deref(), Some(&b"ij"[..]));
        assert_eq!(line(&mut r), None);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_and_folder_links_do_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.txt"), "a").unwrap();
        std::os::unix::fs::symlink(d, d.join("loop")).unwrap();
        std::os::unix::fs::symlink(d.join("x"), d.join("x")).unwrap();
        std::os::unix::fs::symlink(d.join("a.txt"), d.join("link.txt"))
            .unwrap();
        let got = docs(&[d.to_path_buf()]);
        assert_eq!(got.len(), 4);
        assert_eq!(got[1].text, Ok("a".to_string()));
        assert!(
            got[2]
                .text
                .as_ref()
                .unwrap_err()
                .contains("symbolic link to a folder")
        );
        assert!(got[3].text.is_err());
    }
}
