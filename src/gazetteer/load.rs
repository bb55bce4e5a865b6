//! Reading gazetteer files: sources (files, folders, standard input,
//! built-ins), big files cut into pieces parsed in parallel, and the
//! events (entities, topics, diagnostics) each file gives.

use super::*;

/// A gazetteer to load.
#[derive(Debug)]
pub(super) struct Source {
    /// What diagnostics call it.
    pub(super) name: String,
    /// Its text; a built-in one is not copied.
    pub(super) bytes: Cow<'static, [u8]>,
    /// What reading a built-in one gives, found at build time.
    pub(super) read: Option<&'static BuiltinRead>,
}

impl Source {
    pub(super) fn new(name: String, bytes: Cow<'static, [u8]>) -> Source {
        Source { name, bytes, read: None }
    }
}

/// Recursively lists `*.toml` files below `dir`. Symbolic links to folders
/// are not followed, so a link loop cannot hang the walk.
pub(super) fn collect_toml(
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
pub(super) struct Pieces {
    /// Files smaller than this are parsed as one document.
    pub(super) min_file: usize,
    /// The size from which a run of tables becomes a piece of its own.
    pub(super) bytes: usize,
}

impl Default for Pieces {
    fn default() -> Pieces {
        Pieces { min_file: 128 * 1024, bytes: 32 * 1024 }
    }
}

/// Pieces read at once, per thread.
pub(super) const PIECES_PER_ROUND: usize = 4;

/// Bytes of small files read at once.
pub(super) const SMALL_FILES_ROUND: usize = 1 << 20;

/// The number of the `i`th source, as [`Pos`] holds it.
pub(super) fn file_number(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32 gazetteer files")
}

/// A byte offset in one of the sources, made into a [`Location`] only when
/// a message needs it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pos {
    pub(super) file: u32,
    pub(super) offset: usize,
}

/// The byte offset at which each line of a text starts, so that locating an
/// offset is a binary search, not a scan from the top.
pub(super) struct Lines(Vec<usize>);

impl Lines {
    pub(super) fn new(text: &str) -> Lines {
        let newlines = memchr::memchr_iter(b'\n', text.as_bytes());
        Lines(std::iter::once(0).chain(newlines.map(|i| i + 1)).collect())
    }

    /// The 1-based line and column (in characters) of byte `offset` of
    /// `text`, clamped like [`Location::from_offset`].
    pub(super) fn line_col(
        &self,
        text: &str,
        offset: usize,
    ) -> (usize, usize) {
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
pub(super) struct Cx<'a> {
    pub(super) path: &'a str,
    pub(super) file: u32,
    pub(super) text: &'a str,
    /// Byte offset of `text` in the file.
    pub(super) base: usize,
    /// Lines of the file before `text`.
    pub(super) lines_before: usize,
    pub(super) lines: Lines,
}

impl<'a> Cx<'a> {
    pub(super) fn new(
        path: &'a str,
        file: u32,
        text: &'a str,
        base: usize,
        lines_before: usize,
    ) -> Cx<'a> {
        Cx { path, file, text, base, lines_before, lines: Lines::new(text) }
    }

    pub(super) fn loc(&self, offset: usize) -> Location {
        let (line, col) = self.lines.line_col(self.text, offset);
        Location {
            path: self.path.to_string(),
            line: self.lines_before + line,
            col,
        }
    }

    /// `span` as a range of the file.
    pub(super) fn span(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.base..span.end + self.base
    }

    pub(super) fn pos(&self, offset: usize) -> Pos {
        Pos { file: self.file, offset: self.base + offset }
    }

    /// A diagnostic about the text at `span`.
    pub(super) fn diag(
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
pub(super) struct Defaults {
    pub(super) domain: String,
    pub(super) kind: Option<String>,
    pub(super) case: CaseMode,
}

/// What reading one file found, in the order a reading of the whole file
/// finds it.
pub(super) enum Event {
    Diag(Diagnostic),
    Entity(EntityDraft),
    Topic(TopicDraft),
}

/// A topic evidence or context rule entity id to resolve once every file
/// is read: the id, where it is written, and what names it.
pub(super) type Ref = (String, Location, Range<usize>, &'static str);

/// An entity checked on its own; [`Validator::add_entity`] checks it
/// against the others.
pub(super) struct EntityDraft {
    pub(super) entity: Entity,
    /// The id as written.
    pub(super) id_pos: Pos,
    pub(super) id_span: Range<usize>,
    /// The folded name and aliases, each with its span in the file (the
    /// order they are checked in does not matter: each has its own span).
    pub(super) name_folded: (String, Range<usize>),
    pub(super) aliases_folded: Vec<(String, Range<usize>)>,
    /// Problems found; the first `before_names` come before those about
    /// names shared with other entities, the others after.
    pub(super) diags: Vec<Diagnostic>,
    pub(super) before_names: usize,
    pub(super) refs: Vec<Ref>,
    /// Whether the id, type, name and aliases are valid.
    pub(super) ok: bool,
    /// Whether the context rules are valid.
    pub(super) context_ok: bool,
}

/// A topic checked on its own; [`Validator::add_topic`] checks it against
/// the others.
pub(super) struct TopicDraft {
    pub(super) topic: Topic,
    pub(super) id_pos: Pos,
    pub(super) id_span: Range<usize>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) refs: Vec<Ref>,
    /// The parent topic as written, checked once every topic is known.
    pub(super) parent_ref: Option<(String, Location, Range<usize>)>,
    pub(super) ok: bool,
}

/// One file read on its own.
pub(super) struct ReadFile {
    pub(super) events: Vec<Event>,
    /// `None` when the file could not be read at all (not UTF-8, TOML
    /// syntax errors).
    pub(super) summary: Option<FileSummary>,
}

/// Reads one file as a whole; also gives its text (empty when it is not
/// UTF-8).
pub(super) fn read_file<'a>(
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

/// The default domain name: the file stem.
pub(super) fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// Reads a file as one TOML document.
pub(super) fn read_whole(file: u32, path: &str, text: &str) -> ReadFile {
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
pub(super) fn is_header(line: &[u8]) -> bool {
    line.starts_with(b"[[entity]]") || line.starts_with(b"[[topic]]")
}

/// Where the pieces of a file start, with the number of lines before each:
/// at `[[entity]]` and `[[topic]]` header lines, at least `piece_bytes`
/// apart.
pub(super) fn piece_starts(
    text: &str,
    piece_bytes: usize,
) -> Vec<(usize, usize)> {
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
pub(super) fn read_piece(
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
pub(super) fn summary(path: &str, domain: &str) -> FileSummary {
    FileSummary {
        path: path.to_string(),
        domain: domain.to_string(),
        entities: 0,
        names: 0,
        topics: 0,
    }
}
