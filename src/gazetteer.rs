//! Gazetteer files: the TOML schema, loading and validation.
//!
//! A gazetteer file describes one domain:
//!
//! ```toml
//! [domain]                  # optional
//! name = "cricket"          # defaults to the file stem
//! type = "organization"     # default type for this file's entities
//!
//! [[entity]]
//! id = "pcb"
//! name = "Pakistan Cricket Board"
//! aliases = ["PCB"]
//!
//! [[topic]]
//! id = "cricket"
//! name = "Cricket"
//! keywords = ["wickets", "bowlers", {term = "Test match", weight = 2.0}]
//! ```
//!
//! Loading happens in two layers: serde structs that mirror the TOML
//! (unknown keys refused), then validated [`Entity`] and [`Topic`] values.
//! Each `[[entity]]` and `[[topic]]` table is deserialised on its own, so
//! one bad table does not hide the problems of the next: every problem of
//! every file is reported, each with its `file:line:col`.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::ops::Range;
use std::path::{Path, PathBuf};

use hashbrown::{DefaultHashBuilder, HashMap, HashTable};
use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::error::{Diagnostic, Error, Location, Result, Severity};
use crate::normalize::{fold_str, is_word_char};

/// The longest alias or keyword accepted, in characters.
pub const MAX_ALIAS_CHARS: usize = 256;

/// The default minimum score for a topic label.
pub const DEFAULT_THRESHOLD: f64 = 2.0;

/// The default number of distinct pieces of evidence a topic label needs.
pub const DEFAULT_MIN_EVIDENCE: u32 = 2;

/// The built-in gazetteers, embedded at compile time from `gazetteers/`.
/// Each is read at build time too (see `build.rs`), so that start-up does
/// not parse TOML.
static BUILTIN: &[Builtin] = include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// How the case of the text must agree with the case of an alias.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseMode {
    /// Acronyms (aliases whose letters are all capitals, such as `US`) match
    /// only in exactly that case. Other aliases match in any case, but an
    /// alias that starts with a capital needs a capital in the text too.
    #[default]
    Smart,
    /// The text must have the same case as the alias.
    Exact,
    /// Case is ignored.
    Ignore,
}

/// A named thing to find: a country, an organisation, a person...
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// Canonical id, unique across all loaded gazetteers.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Type (`country`, `organization`, `person`, ...).
    pub kind: String,
    /// The domain (file) it comes from.
    pub domain: String,
    /// Other names, in file order. The canonical name is not repeated here.
    pub aliases: Vec<String>,
    /// The case rule for the name and all aliases.
    pub case: CaseMode,
    /// Free string attributes (`iso2`, `role`, `country`, ...).
    pub attributes: BTreeMap<String, String>,
    /// Context rules: conditions on the surrounding text for a match of
    /// this entity to count. All rules must hold.
    pub context: Vec<ContextRule>,
    /// Where the entity is defined.
    pub location: Location,
}

/// A condition on the text around a match (`[[entity.context]]`).
///
/// `require_*` lists: at least one of the words or entities must occur;
/// `exclude_*` lists: none may occur. Occurrences are looked for within
/// `window` characters either side of the match, or in the whole document
/// when `window` is not set. Words are matched like aliases (folded, smart
/// case, whole words); entities count when any of their names is found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContextRule {
    /// The names of the entity the rule applies to; empty means all.
    pub names: Vec<String>,
    /// At least one of these words must occur.
    pub require_words: Vec<String>,
    /// At least one of these entities must occur.
    pub require_entities: Vec<String>,
    /// None of these words may occur.
    pub exclude_words: Vec<String>,
    /// None of these entities may occur.
    pub exclude_entities: Vec<String>,
    /// Characters either side of the match; `None` is the whole document.
    pub window: Option<usize>,
    /// Reject the match when the next word starts with a capital letter
    /// (a surname-like context: `Jordan Henderson`).
    pub not_before_capitalized: bool,
}

/// One keyword of a topic with its weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    /// The term as written in the gazetteer.
    pub term: String,
    /// Weight of one occurrence (before the sub-linear count factor).
    pub weight: f64,
}

/// A topic label and the evidence that supports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Topic {
    /// Topic id, unique among topics.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The domain (file) it comes from.
    pub domain: String,
    /// Keywords and their weights.
    pub keywords: Vec<Keyword>,
    /// Entity ids that count as evidence, with weights.
    pub entities: Vec<(String, f64)>,
    /// Minimum score for the label to be assigned.
    pub threshold: f64,
    /// Minimum number of distinct keywords and entities found.
    pub min_evidence: u32,
    /// Free string attributes (`iptc`, ...).
    pub attributes: BTreeMap<String, String>,
    /// Where the topic is defined.
    pub location: Location,
}

/// A summary of one loaded file, for `gaztag check`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSummary {
    /// The file.
    pub path: String,
    /// The domain name.
    pub domain: String,
    /// Entities defined.
    pub entities: usize,
    /// Aliases defined (names included).
    pub names: usize,
    /// Topics defined.
    pub topics: usize,
}

/// A validated set of gazetteers, ready to compile into a
/// [`Tagger`](crate::Tagger).
#[derive(Clone, Debug, Default)]
pub struct GazetteerSet {
    entities: Vec<Entity>,
    topics: Vec<Topic>,
    warnings: Vec<Diagnostic>,
    files: Vec<FileSummary>,
}

impl GazetteerSet {
    /// Loads only the built-in gazetteers.
    ///
    /// # Errors
    /// Fails if the built-in files are invalid (a build defect).
    pub fn builtin() -> Result<GazetteerSet> {
        let mut loader = GazetteerLoader::new();
        loader.add_builtin();
        loader.load()
    }

    /// Parses a single gazetteer from a string; `path` names it in
    /// diagnostics and gives the default domain name.
    ///
    /// # Errors
    /// Fails with every problem found.
    pub fn from_toml(path: &str, text: &str) -> Result<GazetteerSet> {
        let mut loader = GazetteerLoader::new();
        loader.add_str(path, text);
        loader.load()
    }

    /// All entities, in load order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// All topics, in load order.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// Warnings found while loading (the set was still accepted).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// One summary per file loaded.
    pub fn files(&self) -> &[FileSummary] {
        &self.files
    }

    /// Takes the entities and topics out of the set, without copying them:
    /// for building a [`Tagger`](crate::Tagger) that keeps them.
    pub fn into_parts(self) -> (Vec<Entity>, Vec<Topic>) {
        (self.entities, self.topics)
    }
}

/// Collects gazetteer sources and validates them together.
///
/// Ids must be unique across everything loaded, so validation happens once,
/// in [`GazetteerLoader::load`], over all sources.
#[derive(Debug, Default)]
pub struct GazetteerLoader {
    sources: Vec<Source>,
    diagnostics: Vec<Diagnostic>,
    pieces: Pieces,
}

impl GazetteerLoader {
    /// Creates an empty loader.
    pub fn new() -> GazetteerLoader {
        GazetteerLoader::default()
    }

    /// Adds the built-in gazetteers.
    pub fn add_builtin(&mut self) -> &mut GazetteerLoader {
        for b in BUILTIN {
            self.sources.push(Source {
                name: format!("<builtin>/{}", b.name),
                bytes: Cow::Borrowed(b.text.as_bytes()),
                read: b.read.as_ref(),
            });
        }
        self
    }

    /// The files added so far (not as built-ins) that are copies of a
    /// built-in gazetteer, with that built-in's file name: loading both
    /// would give every id twice.
    pub fn builtin_copies(&self) -> Vec<(&str, &'static str)> {
        self.sources
            .iter()
            .filter(|s| s.read.is_none() && !s.name.starts_with("<builtin>/"))
            .filter_map(|s| {
                Self::builtin_named(&s.bytes).map(|b| (s.name.as_str(), b))
            })
            .collect()
    }

    /// The file name of the built-in gazetteer whose text is exactly
    /// `bytes`, if any.
    pub fn builtin_named(bytes: &[u8]) -> Option<&'static str> {
        BUILTIN.iter().find(|b| b.text.as_bytes() == bytes).map(|b| b.name)
    }

    /// Adds one gazetteer given as text.
    pub fn add_str(&mut self, path: &str, text: &str) -> &mut GazetteerLoader {
        let text = Cow::Owned(text.as_bytes().to_vec());
        self.sources.push(Source::new(path.to_string(), text));
        self
    }

    /// Adds a file, or every `*.toml` file below a folder (recursively, in
    /// sorted order).
    ///
    /// # Errors
    /// Fails when the path cannot be read. A folder without any `.toml` file
    /// is reported as a diagnostic by [`GazetteerLoader::load`].
    pub fn add_path(&mut self, path: &Path) -> Result<&mut GazetteerLoader> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            collect_toml(path, &mut files, 0)?;
            files.sort();
            if files.is_empty() {
                self.diagnostics.push(Diagnostic::error(
                    Location {
                        path: path.display().to_string(),
                        line: 1,
                        col: 1,
                    },
                    "folder holds no .toml gazetteer file".to_string(),
                ));
            }
            for f in files {
                let bytes = std::fs::read(&f).map_err(|e| Error::io(&f, e))?;
                let name = f.display().to_string();
                self.sources.push(Source::new(name, bytes.into()));
            }
        } else {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            let name = path.display().to_string();
            self.sources.push(Source::new(name, bytes.into()));
        }
        Ok(self)
    }

    /// The text of the source that diagnostics name `path` (their
    /// [`Location::path`]), for showing the lines they point at; `None`
    /// when no source has that name or it is not UTF-8.
    pub fn source(&self, path: &str) -> Option<&str> {
        self.sources
            .iter()
            .find(|s| s.name == path)
            .and_then(|s| std::str::from_utf8(&s.bytes).ok())
    }

    /// Validates every source together.
    ///
    /// # Errors
    /// Fails with [`ErrorKind::Gazetteer`](crate::ErrorKind::Gazetteer)
    /// holding every problem (and warning) when any error was found.
    pub fn load(&self) -> Result<GazetteerSet> {
        // See "The validation layer" below.
        let sources = &self.sources;
        let paths = sources.iter().map(|s| s.name.as_str());
        let mut v = Validator::new(paths, self.pieces.bytes);
        v.diags.extend(self.diagnostics.iter().cloned());
        // Small files are read in parallel, a run at a time, while the
        // previous run is checked; a big file is read in pieces.
        let big = |s: &Source| {
            s.read.is_none() && s.bytes.len() >= self.pieces.min_file
        };
        let mut pending = Vec::new();
        let mut i = 0;
        while i < sources.len() {
            if big(&sources[i]) {
                v.add_files(&mut pending);
                let s = &sources[i];
                v.read_big(file_number(i), &s.name, &s.bytes);
                i += 1;
                continue;
            }
            let mut end = i;
            let mut bytes = 0;
            while end < sources.len()
                && !big(&sources[end])
                && bytes < SMALL_FILES_ROUND
            {
                bytes += sources[end].bytes.len();
                end += 1;
            }
            let ((), read) = rayon::join(
                || v.add_files(&mut pending),
                || {
                    (i..end)
                        .into_par_iter()
                        .map(|k| {
                            let file = file_number(k);
                            let s = &sources[k];
                            let read = match s.read {
                                Some(read) => read_builtin(file, s, read),
                                None => read_file(file, &s.name, &s.bytes),
                            };
                            (file, read)
                        })
                        .collect()
                },
            );
            pending = read;
            i = end;
        }
        v.add_files(&mut pending);
        v.cross_checks();
        let mut diags = v.diags;
        diags.sort_by(|a, b| {
            (&a.location.path, a.location.line, a.location.col, a.severity)
                .cmp(&(
                    &b.location.path,
                    b.location.line,
                    b.location.col,
                    b.severity,
                ))
        });
        if diags.iter().any(|d| d.severity == Severity::Error) {
            return Err(Error::gazetteer(diags));
        }
        // Large lists give back what they grew beyond their length.
        v.entities.shrink_to_fit();
        v.topics.shrink_to_fit();
        Ok(GazetteerSet {
            entities: v.entities,
            topics: v.topics,
            warnings: diags,
            files: v.files,
        })
    }
}

/// A gazetteer to load.
#[derive(Debug)]
struct Source {
    /// What diagnostics call it.
    name: String,
    /// Its text; a built-in one is not copied.
    bytes: Cow<'static, [u8]>,
    /// What reading a built-in one gives, found at build time.
    read: Option<&'static BuiltinRead>,
}

impl Source {
    fn new(name: String, bytes: Cow<'static, [u8]>) -> Source {
        Source { name, bytes, read: None }
    }
}

/// Recursively lists `*.toml` files below `dir`. Symbolic links to folders
/// are not followed, so a link loop cannot hang the walk.
fn collect_toml(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    depth: usize,
) -> Result<()> {
    if depth > 64 {
        return Ok(());
    }
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in rd {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let ft = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if ft.is_dir() {
            collect_toml(&path, out, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The serde layer: mirrors the TOML exactly.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    name: Option<Spanned<String>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    case: Option<CaseMode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    id: Spanned<String>,
    name: Spanned<String>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    case: Option<CaseMode>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    #[serde(default)]
    context: Vec<Spanned<RawContext>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContext {
    #[serde(default)]
    names: Vec<Spanned<String>>,
    #[serde(default)]
    require_words: Vec<Spanned<String>>,
    #[serde(default)]
    require_entities: Vec<Spanned<String>>,
    #[serde(default)]
    exclude_words: Vec<Spanned<String>>,
    #[serde(default)]
    exclude_entities: Vec<Spanned<String>>,
    window: Option<usize>,
    #[serde(default)]
    not_before_capitalized: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawKeyword {
    Plain(String),
    Weighted { term: String, weight: f64 },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawEvidence {
    Plain(String),
    Weighted { id: String, weight: f64 },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    id: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    keywords: Vec<Spanned<RawKeyword>>,
    #[serde(default)]
    entities: Vec<Spanned<RawEvidence>>,
    threshold: Option<Spanned<f64>>,
    min_evidence: Option<Spanned<u32>>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
}

// ---------------------------------------------------------------------------
// The validation layer.
//
// It works in two steps. First every file is read on its own, files in
// parallel: parsed, deserialised and checked entry by entry, which gives
// each file a list of events (problems, entity and topic drafts) in the
// order a reading of the whole file finds them. Then the events of all
// files are replayed in load order by one thread, which checks what needs
// the other entries: duplicate ids, names shared between entities.
//
// A big file is not parsed as one TOML document: the tree of a 65 MB
// document takes gigabytes. It is cut before `[[entity]]` and `[[topic]]`
// header lines into pieces that are parsed on their own (in parallel).
// This reads the same as the whole document when every piece parses
// without error and holds nothing but `entity` and `topic` arrays of
// tables, and the part before the first piece holds neither: in a TOML
// document a `[[entity]]` header only appends a table to the `entity`
// array, and what follows it up to the next header lands in that table.
// When anything else is found, the whole file is parsed as one document
// instead, so that its problems are reported exactly as they always were.

/// When a file is read in pieces.
#[derive(Clone, Copy, Debug)]
struct Pieces {
    /// Files smaller than this are parsed as one document.
    min_file: usize,
    /// The size from which a run of tables becomes a piece of its own.
    bytes: usize,
}

impl Default for Pieces {
    fn default() -> Pieces {
        Pieces { min_file: 128 * 1024, bytes: 32 * 1024 }
    }
}

/// Pieces read at once, per thread.
const PIECES_PER_ROUND: usize = 4;

/// Bytes of small files read at once.
const SMALL_FILES_ROUND: usize = 1 << 20;

/// The number of the `i`th source, as [`Pos`] holds it.
fn file_number(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32 gazetteer files")
}

/// A byte offset in one of the sources, made into a [`Location`] only when
/// a message needs it.
#[derive(Clone, Copy, Debug)]
struct Pos {
    file: u32,
    offset: usize,
}

/// The byte offset at which each line of a text starts, so that locating an
/// offset is a binary search, not a scan from the top.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        let newlines = memchr::memchr_iter(b'\n', text.as_bytes());
        Lines(std::iter::once(0).chain(newlines.map(|i| i + 1)).collect())
    }

    /// The 1-based line and column (in characters) of byte `offset` of
    /// `text`, clamped like [`Location::from_offset`].
    fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.0.partition_point(|&s| s <= offset);
        let start = self.0[line - 1];
        (line, text[start..offset].chars().count() + 1)
    }
}

/// The text being read: a whole file, or a piece of one that starts at the
/// start of a line. Spans found in it are relative to its start.
struct Cx<'a> {
    path: &'a str,
    file: u32,
    text: &'a str,
    /// Byte offset of `text` in the file.
    base: usize,
    /// Lines of the file before `text`.
    lines_before: usize,
    lines: Lines,
}

impl<'a> Cx<'a> {
    fn new(
        path: &'a str,
        file: u32,
        text: &'a str,
        base: usize,
        lines_before: usize,
    ) -> Cx<'a> {
        Cx { path, file, text, base, lines_before, lines: Lines::new(text) }
    }

    fn loc(&self, offset: usize) -> Location {
        let (line, col) = self.lines.line_col(self.text, offset);
        Location {
            path: self.path.to_string(),
            line: self.lines_before + line,
            col,
        }
    }

    /// `span` as a range of the file.
    fn span(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.base..span.end + self.base
    }

    fn pos(&self, offset: usize) -> Pos {
        Pos { file: self.file, offset: self.base + offset }
    }

    /// A diagnostic about the text at `span`.
    fn diag(
        &self,
        severity: Severity,
        span: Range<usize>,
        message: String,
    ) -> Diagnostic {
        let d = Diagnostic::error(self.loc(span.start), message);
        Diagnostic { severity, ..d.with_span(self.span(span)) }
    }
}

/// What a file's `[domain]` table gives its entities.
struct Defaults {
    domain: String,
    kind: Option<String>,
    case: CaseMode,
}

/// What reading one file found, in the order a reading of the whole file
/// finds it.
enum Event {
    Diag(Diagnostic),
    Entity(EntityDraft),
    Topic(TopicDraft),
}

/// A topic evidence or context rule entity id to resolve once every file
/// is read: the id, where it is written, and what names it.
type Ref = (String, Location, Range<usize>, &'static str);

/// An entity checked on its own; [`Validator::add_entity`] checks it
/// against the others.
struct EntityDraft {
    entity: Entity,
    /// The id as written.
    id_pos: Pos,
    id_span: Range<usize>,
    /// The folded name and aliases, each with its span in the file (the
    /// order they are checked in does not matter: each has its own span).
    name_folded: (String, Range<usize>),
    aliases_folded: Vec<(String, Range<usize>)>,
    /// Problems found; the first `before_names` come before those about
    /// names shared with other entities, the others after.
    diags: Vec<Diagnostic>,
    before_names: usize,
    refs: Vec<Ref>,
    /// Whether the id, type, name and aliases are valid.
    ok: bool,
    /// Whether the context rules are valid.
    context_ok: bool,
}

/// A topic checked on its own; [`Validator::add_topic`] checks it against
/// the others.
struct TopicDraft {
    topic: Topic,
    id_pos: Pos,
    id_span: Range<usize>,
    diags: Vec<Diagnostic>,
    refs: Vec<Ref>,
    ok: bool,
}

/// One file read on its own.
struct ReadFile {
    events: Vec<Event>,
    /// `None` when the file could not be read at all (not UTF-8, TOML
    /// syntax errors).
    summary: Option<FileSummary>,
}

/// Reads one file as a whole; also gives its text (empty when it is not
/// UTF-8).
fn read_file<'a>(
    file: u32,
    path: &str,
    bytes: &'a [u8],
) -> (&'a str, ReadFile) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text, read_whole(file, path, text)),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()])
                .expect("valid prefix");
            let loc = Location::from_offset(path, valid, valid.len());
            let msg = format!(
                "file is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            );
            let events = vec![Event::Diag(Diagnostic::error(loc, msg))];
            ("", ReadFile { events, summary: None })
        }
    }
}

/// A built-in gazetteer: its file name and text, and what `build.rs` read
/// from it.
struct Builtin {
    name: &'static str,
    text: &'static str,
    /// `None` when the file has something `build.rs` leaves to the TOML
    /// parser at run time (anything unexpected, errors included).
    read: Option<BuiltinRead>,
}

/// What `build.rs` read from a built-in file: exactly what the serde layer
/// gives, and nothing else (no unknown key, no value of the wrong type).
/// A string is its value and the byte range of its TOML text.
#[derive(Debug)]
struct BuiltinRead {
    domain: Option<BuiltinDomain>,
    /// Whether the file has an `entity` or `topic` key.
    has_entries: bool,
    entities: &'static [BuiltinEntity],
    topics: &'static [BuiltinTopic],
}

type BStr = (&'static str, usize, usize);

type BSpan = (usize, usize);

#[derive(Debug)]
struct BuiltinDomain {
    name: Option<BStr>,
    kind: Option<BStr>,
    case: Option<CaseMode>,
}

#[derive(Debug)]
struct BuiltinEntity {
    span: BSpan,
    id: BStr,
    name: BStr,
    kind: Option<BStr>,
    aliases: &'static [BStr],
    case: Option<CaseMode>,
    attributes: &'static [(&'static str, &'static str)],
    context: &'static [BuiltinContext],
}

#[derive(Debug)]
struct BuiltinContext {
    span: BSpan,
    names: &'static [BStr],
    require_words: &'static [BStr],
    require_entities: &'static [BStr],
    exclude_words: &'static [BStr],
    exclude_entities: &'static [BStr],
    window: Option<usize>,
    not_before_capitalized: bool,
}

#[derive(Debug)]
struct BuiltinTopic {
    span: BSpan,
    id: BStr,
    name: BStr,
    keywords: &'static [BuiltinTerm],
    entities: &'static [BuiltinTerm],
    threshold: Option<(f64, usize, usize)>,
    min_evidence: Option<(u32, usize, usize)>,
    attributes: &'static [(&'static str, &'static str)],
}

/// A keyword or a piece of evidence: the term or entity id, the weight
/// when it is written as a table, and its span.
#[derive(Debug)]
struct BuiltinTerm {
    term: &'static str,
    weight: Option<f64>,
    span: BSpan,
}

/// Reads a built-in file from what `build.rs` read: the events
/// [`read_whole`] gives, without parsing TOML.
fn read_builtin<'a>(
    file: u32,
    source: &'a Source,
    read: &BuiltinRead,
) -> (&'a str, ReadFile) {
    let path = &source.name;
    let text = std::str::from_utf8(&source.bytes).expect("built-in text");
    let cx = &Cx::new(path, file, text, 0, 0);
    let string =
        |&(s, start, end): &BStr| Spanned::new(start..end, s.to_string());
    let strings = |v: &[BStr]| v.iter().map(string).collect::<Vec<_>>();
    let span = |&(start, end): &BSpan| start..end;
    let attributes = |v: &[(&str, &str)]| {
        v.iter().map(|&(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let mut out = Vec::new();
    let defaults = match &read.domain {
        Some(d) => {
            let d = RawDomain {
                name: d.name.as_ref().map(string),
                kind: d.kind.as_ref().map(string),
                case: d.case,
            };
            domain(cx, d, path, &mut out)
        }
        None => {
            Defaults { domain: stem(path), kind: None, case: CaseMode::Smart }
        }
    };
    for e in read.entities {
        let raw = RawEntity {
            id: string(&e.id),
            name: string(&e.name),
            kind: e.kind.as_ref().map(string),
            aliases: strings(e.aliases),
            case: e.case,
            attributes: attributes(e.attributes),
            context: e
                .context
                .iter()
                .map(|c| {
                    let rule = RawContext {
                        names: strings(c.names),
                        require_words: strings(c.require_words),
                        require_entities: strings(c.require_entities),
                        exclude_words: strings(c.exclude_words),
                        exclude_entities: strings(c.exclude_entities),
                        window: c.window,
                        not_before_capitalized: c.not_before_capitalized,
                    };
                    Spanned::new(span(&c.span), rule)
                })
                .collect(),
        };
        out.push(Event::Entity(entity(cx, raw, span(&e.span), &defaults)));
    }
    for t in read.topics {
        let raw = RawTopic {
            id: string(&t.id),
            name: string(&t.name),
            keywords: (t.keywords.iter())
                .map(|k| {
                    let term = k.term.to_string();
                    let k2 = match k.weight {
                        None => RawKeyword::Plain(term),
                        Some(weight) => RawKeyword::Weighted { term, weight },
                    };
                    Spanned::new(span(&k.span), k2)
                })
                .collect(),
            entities: (t.entities.iter())
                .map(|e| {
                    let id = e.term.to_string();
                    let e2 = match e.weight {
                        None => RawEvidence::Plain(id),
                        Some(weight) => RawEvidence::Weighted { id, weight },
                    };
                    Spanned::new(span(&e.span), e2)
                })
                .collect(),
            threshold: t.threshold.map(|(v, a, b)| Spanned::new(a..b, v)),
            min_evidence: t
                .min_evidence
                .map(|(v, a, b)| Spanned::new(a..b, v)),
            attributes: attributes(t.attributes),
        };
        out.push(Event::Topic(topic(
            cx,
            raw,
            span(&t.span),
            &defaults.domain,
        )));
    }
    if !read.has_entries {
        let msg = "file defines no entity and no topic".to_string();
        out.push(Event::Diag(Diagnostic::warning(cx.loc(0), msg)));
    }
    let summary = Some(summary(path, &defaults.domain));
    (text, ReadFile { events: out, summary })
}

/// The default domain name: the file stem.
fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// Reads a file as one TOML document.
fn read_whole(file: u32, path: &str, text: &str) -> ReadFile {
    let cx = &Cx::new(path, file, text, 0, 0);
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let events = errors
            .into_iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                let msg = format!("toml syntax: {}", e.message().trim());
                Event::Diag(cx.diag(Severity::Error, span, msg))
            })
            .collect();
        return ReadFile { events, summary: None };
    }
    let mut table = table.into_inner();
    let mut out = Vec::new();
    let has_entries =
        table.contains_key("entity") || table.contains_key("topic");
    // [domain] first: it sets defaults for the entities.
    let defaults = read_domain(cx, table.remove("domain"), path, &mut out);
    for (key, value) in table {
        match key.get_ref().as_ref() {
            "entity" => read_entities(cx, value, &defaults, &mut out),
            "topic" => read_topics(cx, value, &defaults, &mut out),
            other => out.push(Event::Diag(unknown_key(cx, &key, other))),
        }
    }
    if !has_entries {
        let loc = cx.loc(0);
        let msg = "file defines no entity and no topic".to_string();
        out.push(Event::Diag(Diagnostic::warning(loc, msg)));
    }
    let summary = Some(summary(path, &defaults.domain));
    ReadFile { events: out, summary }
}

/// Whether a line starts a piece: `[[entity]]` or `[[topic]]`.
fn is_header(line: &[u8]) -> bool {
    line.starts_with(b"[[entity]]") || line.starts_with(b"[[topic]]")
}

/// Where the pieces of a file start, with the number of lines before each:
/// at `[[entity]]` and `[[topic]]` header lines, at least `piece_bytes`
/// apart.
fn piece_starts(text: &str, piece_bytes: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    if is_header(bytes) {
        starts.push((0, 0));
    }
    let mut last = 0;
    for (line, nl) in memchr::memchr_iter(b'\n', bytes).enumerate() {
        let at = nl + 1;
        if (at - last >= piece_bytes || starts.is_empty())
            && is_header(&bytes[at..])
        {
            starts.push((at, line + 1));
            last = at;
        }
    }
    starts
}

/// Reads a piece that starts with an `[[entity]]` or `[[topic]]` header:
/// the entity events and the topic events. `None` when the piece does not
/// parse, or holds anything but `entity` and `topic` arrays of tables.
fn read_piece(
    cx: &Cx<'_>,
    defaults: &Defaults,
) -> Option<(Vec<Event>, Vec<Event>)> {
    let (table, errors) = DeTable::parse_recoverable(cx.text);
    if !errors.is_empty() {
        return None;
    }
    let (mut entities, mut topics) = (Vec::new(), Vec::new());
    for (key, value) in table.into_inner() {
        // Only arrays of tables: `[entity.x]` after `[[topic]]` makes a
        // table, which in the whole document would add to an entity.
        value.get_ref().as_array()?;
        match key.get_ref().as_ref() {
            "entity" => read_entities(cx, value, defaults, &mut entities),
            "topic" => read_topics(cx, value, defaults, &mut topics),
            _ => return None,
        }
    }
    Some((entities, topics))
}

/// The summary of a file, before its entries are counted.
fn summary(path: &str, domain: &str) -> FileSummary {
    FileSummary {
        path: path.to_string(),
        domain: domain.to_string(),
        entities: 0,
        names: 0,
        topics: 0,
    }
}

/// ``unknown top-level key `x` ``
fn unknown_key(
    cx: &Cx<'_>,
    key: &Spanned<std::borrow::Cow<'_, str>>,
    name: &str,
) -> Diagnostic {
    let like = suggest(name, ["domain", "entity", "topic"]);
    cx.diag(
        Severity::Error,
        key.span(),
        format!("unknown top-level key `{name}`{}", hint(like)),
    )
    .with_help(like.map(did_you_mean))
}

/// Reads the `[domain]` table.
fn read_domain(
    cx: &Cx<'_>,
    value: Option<Spanned<DeValue<'_>>>,
    path: &str,
    out: &mut Vec<Event>,
) -> Defaults {
    match value.and_then(|v| typed::<RawDomain>(cx, v, "[domain]", out)) {
        Some(d) => domain(cx, d, path, out),
        None => {
            Defaults { domain: stem(path), kind: None, case: CaseMode::Smart }
        }
    }
}

/// Checks the `[domain]` table.
fn domain(
    cx: &Cx<'_>,
    d: RawDomain,
    path: &str,
    out: &mut Vec<Event>,
) -> Defaults {
    let mut defaults =
        Defaults { domain: stem(path), kind: None, case: CaseMode::Smart };
    if let Some(n) = d.name {
        if n.get_ref().trim().is_empty() {
            let msg = "domain name is empty".to_string();
            out.push(Event::Diag(cx.diag(Severity::Error, n.span(), msg)));
        } else {
            defaults.domain = n.into_inner();
        }
    }
    if let Some(k) = d.kind {
        if k.get_ref().trim().is_empty() {
            let msg = "domain type is empty".to_string();
            out.push(Event::Diag(cx.diag(Severity::Error, k.span(), msg)));
        } else {
            defaults.kind = Some(k.into_inner());
        }
    }
    defaults.case = d.case.unwrap_or_default();
    defaults
}

/// The elements of `[[name]]`, reporting a value of the wrong shape.
fn array_of_tables<'i>(
    cx: &Cx<'_>,
    value: Spanned<DeValue<'i>>,
    name: &str,
    out: &mut Vec<Event>,
) -> Vec<Spanned<DeValue<'i>>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => items.into_iter().collect(),
        _ => {
            let msg = format!(
                "`{name}` must be an array of tables, written [[{name}]]"
            );
            out.push(Event::Diag(cx.diag(Severity::Error, span, msg)));
            Vec::new()
        }
    }
}

fn read_entities(
    cx: &Cx<'_>,
    value: Spanned<DeValue<'_>>,
    defaults: &Defaults,
    out: &mut Vec<Event>,
) {
    let mut failed = 0;
    for (i, item) in
        array_of_tables(cx, value, "entity", out).into_iter().enumerate()
    {
        let table = item.span();
        let raw =
            typed::<RawEntity>(cx, item, "[[entity]]", out).or_else(|| {
                failed += 1;
                (failed <= MAX_LENIENT)
                    .then(|| lenient(cx.text, "entity", i))
                    .flatten()
            });
        if let Some(raw) = raw {
            out.push(Event::Entity(entity(cx, raw, table, defaults)));
        }
    }
}

/// How many entries of one kind per file (or piece) that failed to
/// deserialise are read again leniently, so that their other problems are
/// reported in the same run.
const MAX_LENIENT: usize = 100;

/// Entry `index` of the `[[key]]` array in `text`, read again without the
/// keys that made it fail (an unknown key, a value of the wrong type), so
/// that the rest of it can still be checked: its id for duplicates, its
/// aliases, its topic evidence. Its own errors were reported already and
/// make the set invalid, so what is read here is only ever checked, never
/// tagged with. `None` when a required key is what is missing or wrong.
fn lenient<T: for<'de> Deserialize<'de>>(
    text: &str,
    key: &str,
    index: usize,
) -> Option<T> {
    let (table, _) = DeTable::parse_recoverable(text);
    let (_, value) =
        table.into_inner().into_iter().find(|(k, _)| k.get_ref() == key)?;
    let DeValue::Array(items) = value.into_inner() else { return None };
    let item = items.into_iter().nth(index)?;
    let span = item.span();
    let DeValue::Table(mut fields) = item.into_inner() else { return None };
    let within = |outer: &Range<usize>, inner: &Range<usize>| {
        outer.start <= inner.start && inner.end <= outer.end
    };
    for _ in 0..=fields.len() {
        let value = Spanned::new(span.clone(), DeValue::Table(fields.clone()));
        match T::deserialize(ValueDeserializer::from(value)) {
            Ok(t) => return Some(t),
            Err(e) => {
                let at = e.span()?;
                let bad = fields.iter().position(|(k, v)| {
                    within(&k.span(), &at) || within(&v.span(), &at)
                })?;
                // A scalar of the wrong type (`name = 5`) is read as the
                // text it is written as, so that a required key stays;
                // anything else is left out.
                fields = fields
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, (k, v))| {
                        if i != bad {
                            return Some((k, v));
                        }
                        let scalar = matches!(
                            v.get_ref(),
                            DeValue::Integer(_)
                                | DeValue::Float(_)
                                | DeValue::Boolean(_)
                                | DeValue::Datetime(_)
                        );
                        let written = text.get(v.span())?;
                        scalar.then(|| {
                            let span = v.span();
                            (
                                k,
                                Spanned::new(
                                    span,
                                    DeValue::String(Cow::Borrowed(written)),
                                ),
                            )
                        })
                    })
                    .collect();
            }
        }
    }
    None
}

fn read_topics(
    cx: &Cx<'_>,
    value: Spanned<DeValue<'_>>,
    defaults: &Defaults,
    out: &mut Vec<Event>,
) {
    let mut failed = 0;
    for (i, item) in
        array_of_tables(cx, value, "topic", out).into_iter().enumerate()
    {
        let table = item.span();
        let raw =
            typed::<RawTopic>(cx, item, "[[topic]]", out).or_else(|| {
                failed += 1;
                (failed <= MAX_LENIENT)
                    .then(|| lenient(cx.text, "topic", i))
                    .flatten()
            });
        if let Some(raw) = raw {
            out.push(Event::Topic(topic(cx, raw, table, &defaults.domain)));
        }
    }
}

/// Deserialises one table, reporting serde's error with its location.
fn typed<T: for<'de> Deserialize<'de>>(
    cx: &Cx<'_>,
    value: Spanned<DeValue<'_>>,
    what: &str,
    out: &mut Vec<Event>,
) -> Option<T> {
    let whole = value.span();
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(t) => Some(t),
        Err(e) => {
            let span = e.span().unwrap_or(whole);
            let (msg, help) = improve_serde_message(e.message());
            let d = cx
                .diag(Severity::Error, span, format!("in {what}: {msg}"))
                .with_help(help);
            out.push(Event::Diag(d));
            None
        }
    }
}

/// `s` without its leading and trailing white space.
fn trimmed(s: String) -> String {
    if !may_trim(&s) || s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_string()
    }
}

/// Whether `s` may start or end with white space: false when its first
/// and last bytes are printable ASCII other than space (all white space
/// is space, ASCII controls, or beyond ASCII).
fn may_trim(s: &str) -> bool {
    let printable = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7f);
    !(printable(s.as_bytes().first()) && printable(s.as_bytes().last()))
}

/// The folded names of one entity seen so far, each with the span of its
/// last occurrence: its name, then the aliases that fold differently.
/// Most entities have no alias, and then nothing is allocated here.
struct Seen {
    name: (String, Range<usize>),
    aliases: Vec<(String, Range<usize>)>,
    /// Where each alias is in `aliases`, once there are many.
    index: HashMap<String, usize>,
}

impl Seen {
    /// Beyond this many aliases, finding one uses the index.
    const SCAN: usize = 16;

    fn new(name: String, span: Range<usize>) -> Seen {
        Seen { name: (name, span), aliases: Vec::new(), index: HashMap::new() }
    }

    /// The name or alias folded as `folded`.
    fn find(&mut self, folded: &str) -> Option<&mut (String, Range<usize>)> {
        if self.name.0 == folded {
            return Some(&mut self.name);
        }
        let i = if self.aliases.len() <= Seen::SCAN {
            self.aliases.iter().position(|(f, _)| f == folded)
        } else {
            self.index.get(folded).copied()
        }?;
        Some(&mut self.aliases[i])
    }

    fn insert(&mut self, folded: String, span: Range<usize>) {
        if let Some(seen) = self.find(&folded) {
            seen.1 = span;
            return;
        }
        self.aliases.push((folded, span));
        let n = self.aliases.len();
        if n == Seen::SCAN + 1 {
            let names = self.aliases.iter().map(|(f, _)| f.clone());
            self.index = names.zip(0..).collect();
        } else if n > Seen::SCAN + 1 {
            self.index.insert(self.aliases[n - 1].0.clone(), n - 1);
        }
    }
}

/// Checks one entity on its own.
fn entity(
    cx: &Cx<'_>,
    raw: RawEntity,
    table: Range<usize>,
    defaults: &Defaults,
) -> EntityDraft {
    let mut diags = Vec::new();
    let mut ok = true;
    let id_span = raw.id.span();
    let id = trimmed(raw.id.into_inner());
    if id.is_empty() {
        let msg = "entity id is empty".to_string();
        diags.push(cx.diag(Severity::Error, id_span.clone(), msg));
        ok = false;
    }
    let kind = match (raw.kind, &defaults.kind) {
        (Some(k), _) if k.get_ref().trim().is_empty() => {
            let msg = format!("entity `{id}`: type is empty");
            diags.push(cx.diag(Severity::Error, k.span(), msg));
            ok = false;
            String::new()
        }
        (Some(k), _) => trimmed(k.into_inner()),
        (None, Some(d)) => d.clone(),
        (None, None) => {
            let msg = format!(
                "entity `{id}` has no `type` and the file's [domain] sets none"
            );
            diags.push(cx.diag(Severity::Error, table.clone(), msg));
            ok = false;
            String::new()
        }
    };
    let case = raw.case.unwrap_or(defaults.case);
    ok &= check_term(cx, &mut diags, &raw.name, "entity name");
    let name_span = raw.name.span();
    let name = raw.name.into_inner();
    let mut seen = Seen::new(fold_str(&name, true), cx.span(name_span));
    let mut aliases: Vec<String> = Vec::with_capacity(raw.aliases.len());
    for a in raw.aliases {
        if !check_term(cx, &mut diags, &a, "alias") {
            ok = false;
            continue;
        }
        let span = a.span();
        let a = a.into_inner();
        let folded = fold_str(&a, true);
        if seen.find(&folded).is_some() {
            let msg = format!(
                "entity `{id}`: alias `{a}` repeats a name it already has"
            );
            diags.push(cx.diag(Severity::Warning, span.clone(), msg));
            // Repeats differing only in case still matter for the case
            // rule, so keep them.
            if aliases.contains(&a) || a == name {
                continue;
            }
        }
        seen.insert(folded, cx.span(span));
        aliases.push(a);
    }
    let before_names = diags.len();
    let mut refs = Vec::new();
    let mut context = Vec::new();
    let mut context_ok = true;
    for rule in &raw.context {
        let r = context_rule(
            cx, &mut diags, &mut refs, &id, &name, &aliases, rule,
        );
        match r {
            Some(r) => context.push(r),
            None => context_ok = false,
        }
    }
    EntityDraft {
        entity: Entity {
            id,
            name,
            kind,
            domain: defaults.domain.clone(),
            aliases,
            case,
            attributes: raw.attributes,
            context,
            location: cx.loc(table.start),
        },
        id_pos: cx.pos(id_span.start),
        id_span: cx.span(id_span),
        name_folded: seen.name,
        aliases_folded: seen.aliases,
        diags,
        before_names,
        refs,
        ok,
        context_ok,
    }
}

/// Checks one `[[entity.context]]` rule.
fn context_rule(
    cx: &Cx<'_>,
    diags: &mut Vec<Diagnostic>,
    refs: &mut Vec<Ref>,
    id: &str,
    name: &str,
    aliases: &[String],
    rule: &Spanned<RawContext>,
) -> Option<ContextRule> {
    let raw = rule.get_ref();
    let mut ok = true;
    let own: Vec<String> = std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .map(|n| fold_str(n, true))
        .collect();
    for n in &raw.names {
        if !own.contains(&fold_str(n.get_ref(), true)) {
            let msg = format!(
                "context rule of `{id}` names `{}`, which is not a name of `{id}`",
                n.get_ref()
            );
            diags.push(cx.diag(Severity::Error, n.span(), msg));
            ok = false;
        }
    }
    for w in raw.require_words.iter().chain(&raw.exclude_words) {
        ok &= check_term(cx, diags, w, "context word");
    }
    for e in raw.require_entities.iter().chain(&raw.exclude_entities) {
        refs.push((
            e.get_ref().clone(),
            cx.loc(e.span().start),
            cx.span(e.span()),
            "context rule",
        ));
    }
    let empty = raw.require_words.is_empty()
        && raw.require_entities.is_empty()
        && raw.exclude_words.is_empty()
        && raw.exclude_entities.is_empty()
        && !raw.not_before_capitalized;
    if empty {
        let msg = format!("context rule of `{id}` sets no condition");
        diags.push(cx.diag(Severity::Error, rule.span(), msg));
        ok = false;
    }
    let strings = |v: &[Spanned<String>]| -> Vec<String> {
        v.iter().map(|s| s.get_ref().clone()).collect()
    };
    ok.then(|| ContextRule {
        names: strings(&raw.names),
        require_words: strings(&raw.require_words),
        require_entities: strings(&raw.require_entities),
        exclude_words: strings(&raw.exclude_words),
        exclude_entities: strings(&raw.exclude_entities),
        window: raw.window,
        not_before_capitalized: raw.not_before_capitalized,
    })
}

/// Checks a name, alias or keyword: not empty, has a letter or digit,
/// not absurdly long.
fn check_term(
    cx: &Cx<'_>,
    diags: &mut Vec<Diagnostic>,
    term: &Spanned<String>,
    what: &str,
) -> bool {
    let s = term.get_ref();
    let span = term.span();
    // Characters are counted only when the bytes are over the limit.
    let n = if s.len() > MAX_ALIAS_CHARS { s.chars().count() } else { 0 };
    let msg = if may_trim(s) && s.trim().is_empty() {
        format!("{what} is empty")
    } else if n > MAX_ALIAS_CHARS {
        format!(
            "{what} is {n} characters long; the limit is {MAX_ALIAS_CHARS}"
        )
    } else if !s.chars().any(is_word_char) {
        format!("{what} `{s}` has no letter or digit")
    } else {
        return true;
    };
    diags.push(cx.diag(Severity::Error, span, msg));
    false
}

/// Checks one topic on its own.
fn topic(
    cx: &Cx<'_>,
    raw: RawTopic,
    table: Range<usize>,
    domain: &str,
) -> TopicDraft {
    let mut diags = Vec::new();
    let mut refs = Vec::new();
    let mut ok = true;
    let id_span = raw.id.span();
    let id = trimmed(raw.id.into_inner());
    if id.is_empty() {
        let msg = "topic id is empty".to_string();
        diags.push(cx.diag(Severity::Error, id_span.clone(), msg));
        ok = false;
    }
    if raw.name.get_ref().trim().is_empty() {
        let msg = format!("topic `{id}`: name is empty");
        diags.push(cx.diag(Severity::Error, raw.name.span(), msg));
        ok = false;
    }
    let mut keywords = Vec::new();
    let mut seen = HashMap::new();
    for k in &raw.keywords {
        let (term, weight) = match k.get_ref() {
            RawKeyword::Plain(t) => (t.clone(), 1.0),
            RawKeyword::Weighted { term, weight } => (term.clone(), *weight),
        };
        let spanned = Spanned::new(k.span(), term.clone());
        if !check_term(cx, &mut diags, &spanned, "keyword") {
            ok = false;
            continue;
        }
        if !(weight.is_finite() && weight > 0.0) {
            let msg = format!(
                "keyword `{term}`: weight must be a positive number, not {weight}"
            );
            diags.push(cx.diag(Severity::Error, k.span(), msg));
            ok = false;
            continue;
        }
        if seen.insert(fold_str(&term, false), ()).is_some() {
            let msg =
                format!("topic `{id}`: keyword `{term}` is listed twice");
            diags.push(cx.diag(Severity::Warning, k.span(), msg));
            continue;
        }
        keywords.push(Keyword { term, weight });
    }
    let mut entities = Vec::new();
    for e in &raw.entities {
        let (eid, weight) = match e.get_ref() {
            RawEvidence::Plain(t) => (t.clone(), 1.0),
            RawEvidence::Weighted { id, weight } => (id.clone(), *weight),
        };
        if !(weight.is_finite() && weight > 0.0) {
            let msg = format!(
                "evidence `{eid}`: weight must be a positive number, not {weight}"
            );
            diags.push(cx.diag(Severity::Error, e.span(), msg));
            ok = false;
            continue;
        }
        refs.push((
            eid.clone(),
            cx.loc(e.span().start),
            cx.span(e.span()),
            "topic evidence",
        ));
        entities.push((eid, weight));
    }
    if keywords.is_empty() && entities.is_empty() {
        let msg = format!("topic `{id}` has no keywords and no entities");
        diags.push(cx.diag(Severity::Error, table.clone(), msg));
        ok = false;
    } else if keywords.is_empty() {
        let msg = format!("topic `{id}` has no keywords");
        diags.push(cx.diag(Severity::Warning, table.clone(), msg));
    }
    let threshold = match raw.threshold {
        Some(t) if !(t.get_ref().is_finite() && *t.get_ref() >= 0.0) => {
            let msg =
                format!("threshold must be zero or more, not {}", t.get_ref());
            diags.push(cx.diag(Severity::Error, t.span(), msg));
            ok = false;
            0.0
        }
        Some(t) => *t.get_ref(),
        None => DEFAULT_THRESHOLD,
    };
    let min_evidence =
        raw.min_evidence.map_or(DEFAULT_MIN_EVIDENCE, |m| *m.get_ref());
    TopicDraft {
        topic: Topic {
            id,
            name: raw.name.into_inner(),
            domain: domain.to_string(),
            keywords,
            entities,
            threshold,
            min_evidence,
            attributes: raw.attributes,
            location: cx.loc(table.start),
        },
        id_pos: cx.pos(id_span.start),
        id_span: cx.span(id_span),
        diags,
        refs,
        ok,
    }
}

/// A set of ids, each with where it was first defined; an id is known by
/// its number, in order of definition.
#[derive(Default)]
struct Ids {
    list: Vec<(String, Pos)>,
    /// The hash and number of each id: growing the table does not read
    /// the ids again.
    table: HashTable<(u64, u32)>,
    hasher: DefaultHashBuilder,
}

impl Ids {
    fn find(&self, id: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(id);
        let same =
            |&(h, i): &(u64, u32)| h == hash && self.list[i as usize].0 == id;
        self.table.find(hash, same).map(|&(_, i)| i)
    }

    /// Adds an id not in the set.
    fn insert(&mut self, id: String, pos: Pos) -> u32 {
        let n = file_number(self.list.len());
        let hash = self.hasher.hash_one(id.as_str());
        self.table.insert_unique(hash, (hash, n), |&(h, _)| h);
        self.list.push((id, pos));
        n
    }

    fn reserve(&mut self, more: usize) {
        self.table.reserve(more, |&(h, _)| h);
        self.list.reserve(more);
    }

    /// Forgets the ids numbered `n` and above.
    fn truncate(&mut self, n: usize) {
        self.table.retain(|&mut (_, i)| (i as usize) < n);
        self.list.truncate(n);
    }

    fn get(&self, n: u32) -> &(String, Pos) {
        &self.list[n as usize]
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|(id, _)| id.as_str())
    }
}

/// The first owner of each folded name: an entity id number, and where
/// the name is.
#[derive(Default)]
struct Owners {
    /// Each name with its hash, so that growing the table does not read
    /// the names again.
    table: HashTable<(u64, String, u32, Pos)>,
    hasher: DefaultHashBuilder,
}

impl Owners {
    fn hash(&self, name: &str) -> u64 {
        self.hasher.hash_one(name)
    }

    /// The first owner of `name`, whose hash is `hash`.
    fn get(&self, hash: u64, name: &str) -> Option<(u32, Pos)> {
        let same = |e: &(u64, String, u32, Pos)| e.0 == hash && e.1 == name;
        self.table.find(hash, same).map(|&(_, _, owner, pos)| (owner, pos))
    }

    /// Makes `owner` the first owner of `name`, which has none.
    fn insert(&mut self, hash: u64, name: String, owner: u32, pos: Pos) {
        self.table.insert_unique(hash, (hash, name, owner, pos), |e| e.0);
    }

    fn reserve(&mut self, more: usize) {
        self.table.reserve(more, |e| e.0);
    }

    /// Forgets the names of entity ids numbered `n` and above.
    fn truncate(&mut self, n: u32) {
        self.table.retain(|e| e.2 < n);
    }
}

/// Checks entries against each other, in load order.
struct Validator<'a> {
    /// The name of each source, and its text once it is being read (empty
    /// when not UTF-8).
    texts: Vec<(&'a str, &'a str)>,
    /// Line starts of each source, made when first needed.
    lines: Vec<OnceCell<Lines>>,
    diags: Vec<Diagnostic>,
    entities: Vec<Entity>,
    topics: Vec<Topic>,
    files: Vec<FileSummary>,
    entity_ids: Ids,
    topic_ids: Ids,
    /// Topic evidence and context rule ids to resolve once every file is
    /// read.
    evidence_refs: Vec<Ref>,
    /// Folded name -> (entity id, where) of its first owner.
    alias_owner: Owners,
    /// See [`Pieces::bytes`].
    piece_bytes: usize,
}

/// How much a [`Validator`] held, to go back to.
struct Mark {
    diags: usize,
    entities: usize,
    topics: usize,
    entity_ids: usize,
    topic_ids: usize,
    evidence_refs: usize,
}

impl<'a> Validator<'a> {
    fn new(
        paths: impl Iterator<Item = &'a str>,
        piece_bytes: usize,
    ) -> Validator<'a> {
        let texts: Vec<_> = paths.map(|p| (p, "")).collect();
        Validator {
            lines: texts.iter().map(|_| OnceCell::new()).collect(),
            texts,
            diags: Vec::new(),
            entities: Vec::new(),
            topics: Vec::new(),
            files: Vec::new(),
            entity_ids: Ids::default(),
            topic_ids: Ids::default(),
            evidence_refs: Vec::new(),
            alias_owner: Owners::default(),
            piece_bytes,
        }
    }

    /// Whether file `file` is a built-in gazetteer.
    fn is_builtin(&self, file: u32) -> bool {
        self.texts[file as usize].0.starts_with("<builtin>/")
    }

    fn loc(&self, pos: Pos) -> Location {
        let (path, text) = self.texts[pos.file as usize];
        let lines =
            self.lines[pos.file as usize].get_or_init(|| Lines::new(text));
        let (line, col) = lines.line_col(text, pos.offset);
        Location { path: path.to_string(), line, col }
    }

    fn mark(&self) -> Mark {
        Mark {
            diags: self.diags.len(),
            entities: self.entities.len(),
            topics: self.topics.len(),
            entity_ids: self.entity_ids.list.len(),
            topic_ids: self.topic_ids.list.len(),
            evidence_refs: self.evidence_refs.len(),
        }
    }

    /// Forgets everything taken in since `mark`.
    fn rollback(&mut self, mark: Mark) {
        self.diags.truncate(mark.diags);
        self.entities.truncate(mark.entities);
        self.topics.truncate(mark.topics);
        self.evidence_refs.truncate(mark.evidence_refs);
        self.entity_ids.truncate(mark.entity_ids);
        self.topic_ids.truncate(mark.topic_ids);
        // Names taken since belong to entity ids numbered from the mark.
        let ids = file_number(mark.entity_ids);
        self.alias_owner.truncate(ids);
    }

    /// Takes in files read as a whole, in order.
    fn add_files(&mut self, read: &mut Vec<(u32, (&'a str, ReadFile))>) {
        for (file, (text, read)) in read.drain(..) {
            self.texts[file as usize].1 = text;
            let mut summary = read.summary;
            self.add_events(read.events, summary.as_mut());
            self.files.extend(summary);
        }
    }

    /// Takes in what reading (part of) a file found.
    fn add_events(
        &mut self,
        events: Vec<Event>,
        mut summary: Option<&mut FileSummary>,
    ) {
        for event in events {
            match event {
                Event::Diag(d) => self.diags.push(d),
                Event::Entity(draft) => {
                    let summary = summary.as_deref_mut().expect("a read file");
                    self.add_entity(draft, summary);
                }
                Event::Topic(draft) => {
                    let summary = summary.as_deref_mut().expect("a read file");
                    self.add_topic(draft, summary);
                }
            }
        }
    }

    /// Reads and takes in a big file: in pieces when it can (see the top
    /// of this section), else whole.
    fn read_big(&mut self, file: u32, path: &'a str, bytes: &'a [u8]) {
        let read_whole = |v: &mut Validator<'a>| {
            let mut read = vec![(file, read_file(file, path, bytes))];
            v.add_files(&mut read);
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            return read_whole(self);
        };
        let mark = self.mark();
        if !self.read_in_pieces(file, path, text) {
            self.rollback(mark);
            read_whole(self);
        }
    }

    /// Reads and takes in a file in pieces; `false` when it must be read
    /// whole instead, leaving what was taken in to roll back.
    fn read_in_pieces(
        &mut self,
        file: u32,
        path: &'a str,
        text: &'a str,
    ) -> bool {
        let starts = piece_starts(text, self.piece_bytes);
        let Some(&(first, _)) = starts.first() else { return false };
        let cx = &Cx::new(path, file, &text[..first], 0, 0);
        let (table, errors) = DeTable::parse_recoverable(cx.text);
        let mut table = table.into_inner();
        if !errors.is_empty()
            || table.contains_key("entity")
            || table.contains_key("topic")
        {
            return false;
        }
        self.texts[file as usize].1 = text;
        let mut head = Vec::new();
        let defaults =
            read_domain(cx, table.remove("domain"), path, &mut head);
        // Other keys, reported where a reading of the whole document would
        // meet them: in key order, around `entity` and `topic`.
        let (mut middle, mut tail) = (Vec::new(), Vec::new());
        for (key, _) in table {
            let name: &str = key.get_ref();
            let out = match name {
                n if n < "entity" => &mut head,
                n if n < "topic" => &mut middle,
                _ => &mut tail,
            };
            out.push(Event::Diag(unknown_key(cx, &key, name)));
        }
        let mut summary = summary(path, &defaults.domain);
        self.add_events(head, Some(&mut summary));
        // Room for the entities to come (and as many names), so that the
        // tables are not grown again and again.
        let headers =
            memchr::memmem::find_iter(text.as_bytes(), "\n[[entity]]").count();
        self.entities.reserve(headers);
        self.entity_ids.reserve(headers);
        self.alias_owner.reserve(headers);
        // Entities are taken in while the next pieces are read; topics
        // wait for the last entity.
        let read_round = |round: Range<usize>| -> Option<Vec<_>> {
            round
                .into_par_iter()
                .map(|i| {
                    let (start, lines_before) = starts[i];
                    let end = starts.get(i + 1).map_or(text.len(), |s| s.0);
                    let piece = &text[start..end];
                    let cx = Cx::new(path, file, piece, start, lines_before);
                    read_piece(&cx, &defaults)
                })
                .collect()
        };
        let per_round = PIECES_PER_ROUND * rayon::current_num_threads();
        let mut topics = Vec::new();
        let mut pending: Vec<(Vec<Event>, Vec<Event>)> = Vec::new();
        let mut at = 0;
        loop {
            let round = at..(at + per_round).min(starts.len());
            let last = round.is_empty();
            let ((), read) = rayon::join(
                || {
                    for (entities, t) in pending.drain(..) {
                        self.add_events(entities, Some(&mut summary));
                        topics.push(t);
                    }
                },
                || {
                    if last {
                        Some(Vec::new())
                    } else {
                        read_round(round.clone())
                    }
                },
            );
            let Some(read) = read else { return false };
            if last {
                break;
            }
            pending = read;
            at = round.end;
        }
        self.add_events(middle, Some(&mut summary));
        for t in topics {
            self.add_events(t, Some(&mut summary));
        }
        self.add_events(tail, Some(&mut summary));
        self.files.push(summary);
        true
    }

    fn add_entity(&mut self, draft: EntityDraft, summary: &mut FileSummary) {
        let EntityDraft { entity, mut diags, mut ok, .. } = draft;
        let mut me = None;
        if !entity.id.is_empty() {
            match self.entity_ids.find(&entity.id) {
                Some(first) => {
                    let first = self.loc(self.entity_ids.get(first).1);
                    let msg = format!(
                        "duplicate entity id `{}` (first defined at {first})",
                        entity.id
                    );
                    let d = Diagnostic::error(self.loc(draft.id_pos), msg)
                        .with_span(draft.id_span);
                    self.diags.push(d);
                    ok = false;
                }
                None => {
                    let id = entity.id.clone();
                    me = Some(self.entity_ids.insert(id, draft.id_pos));
                }
            }
        }
        let after = diags.split_off(draft.before_names);
        self.diags.append(&mut diags);
        if ok && let Some(me) = me {
            // Shared names: warn, once per pair, naming the first owner.
            let file = draft.id_pos.file;
            let names = std::iter::once(draft.name_folded);
            for (folded, span) in names.chain(draft.aliases_folded) {
                let hash = self.alias_owner.hash(&folded);
                match self.alias_owner.get(hash, &folded) {
                    Some((owner, _)) if owner == me => {}
                    // The built-ins share a few names on purpose (`Georgia`
                    // the country and the US state): the matcher decides
                    // from the document and lists the other reading.
                    Some((_, first))
                        if self.is_builtin(first.file)
                            && self.is_builtin(file) => {}
                    Some((owner, first)) => {
                        let msg = format!(
                            "`{folded}` is a name of both `{}` ({}) and `{}`",
                            self.entity_ids.get(owner).0,
                            self.loc(first),
                            entity.id
                        );
                        let loc = self.loc(Pos { file, offset: span.start });
                        let d = Diagnostic::warning(loc, msg).with_span(span);
                        self.diags.push(d);
                    }
                    None => {
                        let pos = Pos { file, offset: span.start };
                        self.alias_owner.insert(hash, folded, me, pos);
                    }
                }
            }
        }
        self.diags.extend(after);
        self.evidence_refs.extend(draft.refs);
        if ok && draft.context_ok {
            summary.entities += 1;
            summary.names += 1 + entity.aliases.len();
            self.entities.push(entity);
        }
    }

    fn add_topic(&mut self, draft: TopicDraft, summary: &mut FileSummary) {
        let TopicDraft { topic, mut ok, .. } = draft;
        if !topic.id.is_empty() {
            match self.topic_ids.find(&topic.id) {
                Some(first) => {
                    let first = self.loc(self.topic_ids.get(first).1);
                    let msg = format!(
                        "duplicate topic id `{}` (first defined at {first})",
                        topic.id
                    );
                    let d = Diagnostic::error(self.loc(draft.id_pos), msg)
                        .with_span(draft.id_span);
                    self.diags.push(d);
                    ok = false;
                }
                None => {
                    self.topic_ids.insert(topic.id.clone(), draft.id_pos);
                }
            }
        }
        self.diags.extend(draft.diags);
        self.evidence_refs.extend(draft.refs);
        if ok {
            summary.topics += 1;
            self.topics.push(topic);
        }
    }

    /// Checks that need every file: topic evidence must name known entities.
    fn cross_checks(&mut self) {
        let refs = std::mem::take(&mut self.evidence_refs);
        for (id, loc, span, what) in refs {
            if self.entity_ids.find(&id).is_none() {
                let like = suggest(&id, self.entity_ids.names());
                let msg = format!(
                    "{what} names unknown entity id `{id}`{}",
                    hint(like)
                );
                let d = Diagnostic::error(loc, msg)
                    .with_span(span)
                    .with_help(like.map(did_you_mean));
                self.diags.push(d);
            }
        }
    }
}

/// Rewrites serde's messages where a plainer one helps, and adds a "did you
/// mean" hint to unknown fields; returns the message and the hint alone.
fn improve_serde_message(msg: &str) -> (String, Option<String>) {
    let msg = msg.trim();
    if let Some(rest) = msg.strip_prefix("unknown field `")
        && let Some((field, expected)) = rest.split_once('`')
    {
        let candidates: Vec<&str> = expected
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        let like = suggest(field, candidates.iter().copied());
        let msg = format!(
            "unknown key `{field}`{} (expected one of: {})",
            hint(like),
            candidates.join(", ")
        );
        return (msg, like.map(did_you_mean));
    }
    if msg.starts_with(
        "data did not match any variant of untagged enum RawKeyword",
    ) {
        let msg = "a keyword must be a string or {term = \"...\", weight = N}";
        return (msg.into(), None);
    }
    if msg.starts_with(
        "data did not match any variant of untagged enum RawEvidence",
    ) {
        let msg = "an evidence entry must be an entity id or {id = \"...\", weight = N}";
        return (msg.into(), None);
    }
    (msg.to_string(), None)
}

/// The candidate closest to `word`, if one is close enough to be a likely
/// misspelling.
fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        if d <= 2.max(word.len() / 4)
            && best.is_none_or(|(bd, bc)| (d, c) < (bd, bc))
        {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// ``did you mean `x`?``
fn did_you_mean(candidate: &str) -> String {
    format!("did you mean `{candidate}`?")
}

/// The hint as appended to a message: `` (did you mean `x`?)``, or
/// nothing.
fn hint(candidate: Option<&str>) -> String {
    candidate.map_or(String::new(), |c| format!(" ({})", did_you_mean(c)))
}

/// Levenshtein distance, on characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn diags(files: &[(&str, &str)]) -> Vec<String> {
        let mut l = GazetteerLoader::new();
        for (p, t) in files {
            l.add_str(p, t);
        }
        match l.load() {
            Ok(set) => set.warnings().iter().map(|d| d.to_string()).collect(),
            Err(e) => match e.into_kind() {
                ErrorKind::Gazetteer(d) => {
                    d.iter().map(|d| d.to_string()).collect()
                }
                k => panic!("unexpected {k:?}"),
            },
        }
    }

    const GOOD: &str = r#"
[domain]
name = "cricket"
type = "organization"

[[entity]]
id = "pcb"
name = "Pakistan Cricket Board"
aliases = ["PCB"]

[[topic]]
id = "cricket"
name = "Cricket"
keywords = ["wickets", "bowlers", "batsmen", "Test"]
"#;

    #[test]
    fn minimal_schema_loads() {
        let set = GazetteerSet::from_toml("cricket.toml", GOOD).unwrap();
        let e = &set.entities()[0];
        assert_eq!(e.id, "pcb");
        assert_eq!(e.kind, "organization");
        assert_eq!(e.domain, "cricket");
        assert_eq!(e.aliases, vec!["PCB"]);
        assert_eq!(e.case, CaseMode::Smart);
        let t = &set.topics()[0];
        assert_eq!(t.keywords.len(), 4);
        assert_eq!(t.threshold, DEFAULT_THRESHOLD);
        assert!(set.warnings().is_empty());
    }

    #[test]
    fn domain_defaults_to_file_stem() {
        let src = "[[entity]]\nid = \"x\"\nname = \"X\"\ntype = \"thing\"\n";
        let set = GazetteerSet::from_toml("dir/places.toml", src).unwrap();
        assert_eq!(set.entities()[0].domain, "places");
    }

    #[test]
    fn weighted_keywords_and_evidence() {
        let src = r#"
[[entity]]
id = "imf"
name = "International Monetary Fund"
type = "organization"
[entity.attributes]
acronym = "IMF"

[[topic]]
id = "economy"
name = "Economy"
keywords = ["loan", {term = "bailout", weight = 2.5}]
entities = ["imf", {id = "imf", weight = 2}]
threshold = 1.5
min_evidence = 1
"#;
        let set = GazetteerSet::from_toml("e.toml", src).unwrap();
        let t = &set.topics()[0];
        assert_eq!(
            t.keywords[1],
            Keyword { term: "bailout".into(), weight: 2.5 }
        );
        assert_eq!(t.entities[1], ("imf".to_string(), 2.0));
        assert_eq!(t.threshold, 1.5);
        assert_eq!(t.min_evidence, 1);
        assert_eq!(set.entities()[0].attributes["acronym"], "IMF");
    }

    /// Every problem is listed, each with file:line:col.
    #[test]
    fn every_problem_is_listed_with_location() {
        let a = r#"[[entity]]
id = "x"
name = "X"
type = "t"
alias = ["oops"]

[[entity]]
id = "y"
name = "Y"
type = "t"
aliases = ["", "  "]

[[topic]]
id = "t"
name = "T"
keywords = ["ok", ""]
"#;
        let b = "[[entity]]\nid = \"y\"\nname = \"Why\"\ntype = \"t\"\n";
        let d = diags(&[("a.toml", a), ("b.toml", b)]);
        let want = [
            "a.toml:5:1: error: in [[entity]]: unknown key `alias` (did you mean `aliases`?)",
            "a.toml:11:12: error: alias is empty",
            "a.toml:11:16: error: alias is empty",
            "a.toml:16:19: error: keyword is empty",
            "b.toml:2:6: error: duplicate entity id `y` (first defined at a.toml:8:6)",
        ];
        for w in want {
            assert!(
                d.iter().any(|x| x.starts_with(w)),
                "missing {w:?} in {d:#?}"
            );
        }
        assert_eq!(d.len(), want.len(), "{d:#?}");
    }

    /// Diagnostics carry the byte range of the offending text and the
    /// An unknown key or a value of the wrong type does not hide the other
    /// problems of the file, nor those of the same entry: all in one run.
    #[test]
    fn every_problem_in_one_run_after_a_schema_error() {
        let cases: &[(&str, &[&str])] = &[
            (
                "[domain]\ntype = \"org\"\n\n[[entity]]\nid = \"a\"\nname = \"A\"\nalias = [\"x\"]\n\n\
                 [[entity]]\nid = \"a\"\nname = \"B\"\naliases = [\"\"]\n",
                &[
                    "s.toml:7:1: error: in [[entity]]: unknown key `alias`",
                    "s.toml:10:6: error: duplicate entity id `a`",
                    "s.toml:12:12: error: alias is empty",
                ],
            ),
            (
                "[domain]\ntype = \"org\"\n\n[[entity]]\nid = \"a\"\nname = \"A\"\n\n\
                 [[entity]]\nid = \"a\"\nname = 5\naliases = [\"\"]\n\n\
                 [[topic]]\nid = \"t\"\nname = \"T\"\nkeywords = 3\n\
                 entities = [\"nosuch\"]\n",
                &[
                    "s.toml:9:6: error: duplicate entity id `a`",
                    "s.toml:10:8: error: in [[entity]]: invalid type: integer `5`",
                    "s.toml:11:12: error: alias is empty",
                    // Its keywords could not be read: it has none.
                    "s.toml:13:1: warning: topic `t` has no keywords",
                    "s.toml:16:12: error: in [[topic]]: invalid type: integer `3`",
                    "s.toml:17:13: error: topic evidence names unknown entity id `nosuch`",
                ],
            ),
        ];
        for &(src, want) in cases {
            let err = GazetteerSet::from_toml("s.toml", src).unwrap_err();
            let ErrorKind::Gazetteer(d) = err.into_kind() else {
                panic!("not a gazetteer error")
            };
            let got: Vec<String> = d.iter().map(ToString::to_string).collect();
            assert_eq!(got.len(), want.len(), "{got:#?}");
            for (g, w) in got.iter().zip(want) {
                assert!(g.starts_with(w), "{g:?} does not start with {w:?}");
            }
        }
    }

    /// hint on its own; the loader hands back the text to show.
    #[test]
    fn spans_hints_and_source_text() {
        let src = r#"[[entity]]
id = "x"
name = "X"
type = "t"

[[entity]]
id = "y"
name = "Y"
alias = ["z"]

[[topic]]
id = "t"
name = "T"
entities = ["X"]
"#;
        let mut l = GazetteerLoader::new();
        l.add_str("s.toml", src);
        assert_eq!(l.source("s.toml"), Some(src));
        assert_eq!(l.source("other.toml"), None);
        let ErrorKind::Gazetteer(d) = l.load().unwrap_err().into_kind() else {
            panic!("not a gazetteer error")
        };
        let shown: Vec<(&str, Option<&str>)> = d
            .iter()
            .map(|d| (&src[d.span.clone().unwrap()], d.help.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                // `y` has no type either: found although it has an
                // unknown key.
                ("[[entity]]", None),
                ("alias", Some("did you mean `aliases`?")),
                ("[[topic]]", None),
                ("\"X\"", Some("did you mean `x`?")),
            ],
            "{d:#?}"
        );
    }

    #[test]
    fn syntax_and_type_errors() {
        let d = diags(&[("s.toml", "[[entity]\nid = 1\n")]);
        assert!(d[0].starts_with("s.toml:1:"), "{d:?}");
        assert!(d[0].contains("toml syntax"), "{d:?}");
        let d = diags(&[(
            "t.toml",
            "[[entity]]\nid = \"x\"\nname = \"X\"\ntype = \"t\"\naliases = \"x\"\n",
        )]);
        assert!(
            d[0].starts_with(
                "t.toml:5:11: error: in [[entity]]: invalid type"
            ),
            "{d:?}"
        );
    }

    #[test]
    fn non_utf8_is_refused_with_location() {
        let mut l = GazetteerLoader::new();
        l.sources.push(Source::new(
            "bad.toml".into(),
            b"[[entity]]\nid = \"\xff\"\n".to_vec().into(),
        ));
        let e = l.load().unwrap_err();
        let s = e.to_string();
        assert!(
            s.contains("bad.toml:2:7: error: file is not valid UTF-8"),
            "{s}"
        );
    }

    #[test]
    fn limits_and_semantics() {
        let long = "a".repeat(MAX_ALIAS_CHARS + 1);
        let src = format!(
            "[[entity]]\nid = \"x\"\nname = \"X\"\naliases = [\"{long}\", \"--\"]\n\n[[topic]]\nid = \"t\"\nname = \"T\"\nentities = [\"nope\"]\n[[topic]]\nid = \"u\"\nname = \"U\"\n"
        );
        let d = diags(&[("l.toml", &src)]);
        let joined = d.join("\n");
        assert!(joined.contains("has no `type`"), "{joined}");
        assert!(
            joined.contains("characters long; the limit is 256"),
            "{joined}"
        );
        assert!(
            joined.contains("alias `--` has no letter or digit"),
            "{joined}"
        );
        assert!(joined.contains("unknown entity id `nope`"), "{joined}");
        assert!(
            joined.contains("topic `u` has no keywords and no entities"),
            "{joined}"
        );
    }

    #[test]
    fn shared_alias_is_a_warning() {
        let a =
            "[[entity]]\nid = \"a\"\nname = \"Georgia\"\ntype = \"country\"\n";
        let b =
            "[[entity]]\nid = \"b\"\nname = \"Georgia\"\ntype = \"state\"\n";
        let d = diags(&[("a.toml", a), ("b.toml", b)]);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].contains("warning: `georgia` is a name of both `a`"),
            "{d:?}"
        );
    }

    #[test]
    fn builtins_load_cleanly() {
        let set = GazetteerSet::builtin().unwrap();
        assert!(set.entities().len() > 10);
        assert!(!set.topics().is_empty());
    }

    /// What build.rs read from the built-in files is what parsing them at
    /// run time gives, and it read all of them.
    #[test]
    fn builtins_read_at_build_time_like_at_run_time() {
        let whole = |l: &mut GazetteerLoader| {
            l.pieces.min_file = usize::MAX;
            match l.load() {
                Ok(set) => format!(
                    "{:#?}\n{:#?}\n{:#?}\n{:#?}",
                    set.entities, set.topics, set.files, set.warnings
                ),
                Err(e) => format!("{e}"),
            }
        };
        let mut built = GazetteerLoader::new();
        built.add_builtin();
        let mut parsed = GazetteerLoader::new();
        for b in BUILTIN {
            assert!(b.read.is_some(), "{} is parsed at run time", b.name);
            parsed.add_str(&format!("<builtin>/{}", b.name), b.text);
        }
        assert!(parsed.sources.iter().all(|s| s.read.is_none()));
        assert_eq!(whole(&mut built), whole(&mut parsed));
    }

    /// Gazetteers that use everything build.rs reads, read by build.rs.
    static SAMPLES: &[Builtin] =
        include!(concat!(env!("OUT_DIR"), "/builtin_samples.rs"));

    /// The same holds for files that use everything build.rs reads, after
    /// another file.
    #[test]
    fn build_time_reading_covers_every_field() {
        let first = "[[entity]]\nid = \"e2\"\nname = \"Bee\"\ntype = \"t\"\n";
        let mut built = GazetteerLoader::new();
        let mut parsed = GazetteerLoader::new();
        built.add_str("first.toml", first);
        parsed.add_str("first.toml", first);
        for b in SAMPLES {
            let read = b.read.as_ref();
            assert!(read.is_some(), "{} is parsed at run time", b.name);
            let bytes = Cow::Borrowed(b.text.as_bytes());
            let name = b.name.to_string();
            built.sources.push(Source { name, bytes, read });
            parsed.add_str(b.name, b.text);
        }
        let outcome = |l: &GazetteerLoader| match l.load() {
            Ok(set) => format!("{:#?}", set.warnings),
            Err(e) => match e.into_kind() {
                ErrorKind::Gazetteer(d) => format!("{d:#?}"),
                k => panic!("unexpected {k:?}"),
            },
        };
        let want = outcome(&parsed);
        assert_eq!(outcome(&built), want);
        for part in ["unknown entity id `zz`", "no entity and no topic"] {
            assert!(want.contains(part), "{want}");
        }
        // And with the errors taken out, the sets are the same.
        let (mut built, mut parsed) =
            (GazetteerLoader::new(), GazetteerLoader::new());
        for b in SAMPLES.iter().filter(|b| b.name.starts_with("clean")) {
            let bytes = Cow::Borrowed(b.text.as_bytes());
            let name = b.name.to_string();
            built.sources.push(Source { name, bytes, read: b.read.as_ref() });
            parsed.add_str(b.name, b.text);
        }
        let set = |l: &mut GazetteerLoader| {
            let set = l.load().unwrap();
            format!(
                "{:#?}\n{:#?}\n{:#?}\n{:#?}",
                set.entities, set.topics, set.files, set.warnings
            )
        };
        let want = set(&mut parsed);
        assert_eq!(set(&mut built), want);
        assert!(want.contains("not_before_capitalized: true"), "{want}");
    }

    #[test]
    fn line_index_agrees_with_scan() {
        let text = "a\nbé c\n\nd";
        let cx = Cx::new("f", 0, text, 0, 0);
        for off in 0..=text.len() + 2 {
            assert_eq!(
                cx.loc(off),
                Location::from_offset("f", text, off),
                "{off}"
            );
        }
        // A piece that starts at a line start agrees too.
        let base = text.find('b').unwrap();
        let piece = Cx::new("f", 0, &text[base..], base, 1);
        for off in 0..=text.len() - base {
            assert_eq!(
                piece.loc(off),
                Location::from_offset("f", text, base + off),
                "{off}"
            );
        }
    }

    /// Loads `files` with the given piece sizes; the outcome as text:
    /// every entity, topic, file summary and diagnostic, spans included.
    fn outcome(
        files: &[(&str, &str)],
        min_file: usize,
        bytes: usize,
    ) -> String {
        let mut l = GazetteerLoader::new();
        l.pieces = Pieces { min_file, bytes };
        for (p, t) in files {
            l.add_str(p, t);
        }
        match l.load() {
            Ok(set) => format!(
                "{:#?}\n{:#?}\n{:#?}\n{:#?}",
                set.entities, set.topics, set.files, set.warnings
            ),
            Err(e) => match e.into_kind() {
                ErrorKind::Gazetteer(d) => format!("{d:#?}"),
                k => panic!("unexpected {k:?}"),
            },
        }
    }

    /// Runs of whole lines of TOML that the tests below put together. A
    /// document is a head, then a body of entries, with now and then an
    /// odd fragment anywhere: something a piece could read differently
    /// from the whole document.
    const HEAD: &[&str] = &[
        "[domain]\nname = \"d\"\ntype = \"thing\"\n",
        "[domain]\ncase = \"exact\"\nnom = 1\n",
        "junk = 1\n",
        "[zz]\nx = 1\n",
        "[aa]\n",
        "[f]\n",
        "\n# a comment\n\n",
    ];
    const BODY: &[&str] = &[
        "[[entity]]\nid = \"a{n}\"\nname = \"Alpha {n}\"\n",
        "[[entity]]\nid = \"b{n}\"\nname = \"Bé {n}\"\ntype = \"x\"\naliases = [\"Shared\", \"B{n}\"]\n",
        "[[entity]]\nid = \"dup\"\nname = \"Dup\"\naliases = [\"\", \"Shared\", \"shared\"]\n",
        "[entity.attributes]\ncountry = \"x\"\n",
        "[[entity.context]]\nrequire_words = [\"w\"]\nrequire_entities = [\"a1\", \"nope\"]\n",
        "[[entity.context]]\n",
        "[[topic]]\nid = \"t{n}\"\nname = \"T\"\nkeywords = [\"k\", \"K\", \"\"]\nentities = [\"a1\", \"nope\", {id = \"b1\", weight = -1}]\n",
        "[[topic]]\nid = \"t\"\nname = \"\"\n",
        "[topic.attributes]\niptc = \"1\"\n",
        "s = \"\"\"\n[[entity]]\nid = \"in-string\"\n\"\"\"\n",
        "  [[entity]]\nid = \"in{n}\"\nname = \"Indented\"\n",
        "[[entity]] # a comment\nid = \"c{n}\"\nname = \"Commented\"\ntype = \"x\"\n",
        "\n# a comment\n\n",
        "[[entity]]\nid = \"u{n}\"\nname = \"Ünïcödé {n}\"\nalias = [\"x\"]\n",
        "[[entity]]\r\nid = \"r{n}\"\r\nname = \"Crlf {n}\"\r\naliases = \"no\"\r\n",
        "[[entity]]\nid = \"\"\nname = \"--\"\ncase = \"loud\"\n",
        "[[entity]]\nid = \"a1\"\nname = \"Alpha again\"\n",
        "[[topic]]\nid = \"t1\"\nname = \"T\"\nkeywords = [\"again\"]\n",
    ];
    const ODD: &[&str] = &[
        "[domain]\nname = \"late\"\n",
        "[zz]\nx = 1\n",
        "[entity]\nid = \"x\"\n",
        "s = \"\"\"\n[[entity]]\nid = \"in-string\"\n",
        "\"\"\"\n",
        "[[entity]\n",
        "entity = []\n",
        "topic = 3\n",
        "[[topic.x]]\n",
        "[entity.y]\n",
        "[[\"entity\"]]\nid = \"q{n}\"\nname = \"Quoted\"\n",
    ];

    /// A document of up to `n` fragments picked by `next`.
    fn document(next: &mut impl FnMut() -> usize, n: usize) -> String {
        let mut doc = String::new();
        if next().is_multiple_of(8) {
            doc.push('\u{feff}');
        }
        let heads = next() % 3;
        let mut pick = |from: &[&'static str], i: usize| {
            let odd = ODD[next() % ODD.len()];
            let f = if next().is_multiple_of(16) {
                odd
            } else {
                from[next() % from.len()]
            };
            doc.push_str(&f.replace("{n}", &i.to_string()));
        };
        for i in 0..heads {
            pick(HEAD, i);
        }
        for i in 0..n {
            pick(BODY, i);
        }
        doc
    }

    /// Reading in pieces gives exactly what reading whole documents gives,
    /// whatever the documents hold, including when a file must be read
    /// whole after some of its pieces were taken in.
    #[test]
    fn pieces_read_like_whole_documents() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 33) as usize
        };
        for case in 0..400 {
            let (na, nb) = (1 + next() % 12, 1 + next() % 12);
            let a = document(&mut next, na);
            let b = document(&mut next, nb);
            let files = [("a.toml", a.as_str()), ("dir/b.toml", b.as_str())];
            let whole = outcome(&files, usize::MAX, 0);
            let bytes = [1, 20, 60, 200][next() % 4];
            let pieces = outcome(&files, 0, bytes);
            assert_eq!(
                pieces, whole,
                "case {case}, pieces of {bytes}:\n{a}\n---\n{b}"
            );
        }
    }

    /// Clean documents are read in pieces (the test above would pass if
    /// they never were).
    #[test]
    fn clean_documents_are_read_in_pieces() {
        let mut doc = String::from("[domain]\ntype = \"t\"\n# x\n");
        for i in 0..50 {
            doc.push_str(&format!(
                "[[entity]]\nid = \"e{i}\"\nname = \"E {i}\"\n"
            ));
            doc.push_str("[entity.attributes]\nk = \"v\"\n");
            if i % 7 == 0 {
                doc.push_str(&format!("[[topic]]\nid = \"t{i}\"\nname = \"T\"\nkeywords = [\"k\"]\n"));
            }
        }
        let starts = piece_starts(&doc, 100);
        assert!(starts.len() > 10, "{starts:?}");
        assert_eq!(&doc[starts[0].0..][..10], "[[entity]]");
        for &(at, lines) in &starts {
            assert_eq!(doc[..at].matches('\n').count(), lines);
        }
        let mut v = Validator::new(["p.toml"].into_iter(), 100);
        assert!(v.read_in_pieces(0, "p.toml", &doc));
        assert_eq!(v.entities.len(), 50);
        assert_eq!(v.files[0].topics, 8);
        let whole = outcome(&[("p.toml", &doc)], usize::MAX, 0);
        assert_eq!(outcome(&[("p.toml", &doc)], 0, 100), whole);
    }

    #[test]
    fn edit_distance_works() {
        assert_eq!(edit_distance("alias", "aliases"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(suggest("entiy", ["entity", "topic"]), Some("entity"));
        assert_eq!(hint(Some("entity")), " (did you mean `entity`?)");
        assert_eq!(suggest("zzz", ["entity"]), None);
    }
}
