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

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

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
static BUILTIN: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

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
}

/// Collects gazetteer sources and validates them together.
///
/// Ids must be unique across everything loaded, so validation happens once,
/// in [`GazetteerLoader::load`], over all sources.
#[derive(Debug, Default)]
pub struct GazetteerLoader {
    sources: Vec<(String, Vec<u8>)>,
    diagnostics: Vec<Diagnostic>,
}

impl GazetteerLoader {
    /// Creates an empty loader.
    pub fn new() -> GazetteerLoader {
        GazetteerLoader::default()
    }

    /// Adds the built-in gazetteers.
    pub fn add_builtin(&mut self) -> &mut GazetteerLoader {
        for (path, text) in BUILTIN {
            self.sources
                .push((format!("<builtin>/{path}"), text.as_bytes().to_vec()));
        }
        self
    }

    /// Adds one gazetteer given as text.
    pub fn add_str(&mut self, path: &str, text: &str) -> &mut GazetteerLoader {
        self.sources.push((path.to_string(), text.as_bytes().to_vec()));
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
                self.sources.push((f.display().to_string(), bytes));
            }
        } else {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            self.sources.push((path.display().to_string(), bytes));
        }
        Ok(self)
    }

    /// The text of the source that diagnostics name `path` (their
    /// [`Location::path`]), for showing the lines they point at; `None`
    /// when no source has that name or it is not UTF-8.
    pub fn source(&self, path: &str) -> Option<&str> {
        self.sources
            .iter()
            .find(|(p, _)| p == path)
            .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
    }

    /// Validates every source together.
    ///
    /// # Errors
    /// Fails with [`ErrorKind::Gazetteer`](crate::ErrorKind::Gazetteer)
    /// holding every problem (and warning) when any error was found.
    pub fn load(&self) -> Result<GazetteerSet> {
        let mut v = Validator::default();
        v.diags.extend(self.diagnostics.iter().cloned());
        for (path, bytes) in &self.sources {
            v.file(path, bytes);
        }
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
        Ok(GazetteerSet {
            entities: v.entities,
            topics: v.topics,
            warnings: diags,
            files: v.files,
        })
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

#[derive(Default)]
struct Validator {
    diags: Vec<Diagnostic>,
    entities: Vec<Entity>,
    topics: Vec<Topic>,
    files: Vec<FileSummary>,
    /// Where each entity id was first defined.
    entity_ids: HashMap<String, Location>,
    topic_ids: HashMap<String, Location>,
    /// Topic evidence and context rule ids to resolve once every file is
    /// read: the id, where it is written, and what names it.
    evidence_refs: Vec<(String, Location, Range<usize>, &'static str)>,
    /// Folded alias -> (entity id, where) of its first owner.
    alias_owner: HashMap<String, (String, Location)>,
}

/// One file being validated: its path and text, for locations.
struct FileCtx<'a> {
    path: &'a str,
    text: &'a str,
    /// Byte offset of the start of each line, so that locating an offset
    /// is a binary search, not a scan from the top of the file.
    line_starts: Vec<usize>,
}

impl<'a> FileCtx<'a> {
    fn new(path: &'a str, text: &'a str) -> FileCtx<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        FileCtx { path, text, line_starts }
    }

    fn loc(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let col = self.text[start..offset].chars().count() + 1;
        Location { path: self.path.to_string(), line, col }
    }

    /// A diagnostic about the text at `span`.
    fn diag(
        &self,
        severity: Severity,
        span: Range<usize>,
        message: String,
    ) -> Diagnostic {
        let d = Diagnostic::error(self.loc(span.start), message);
        Diagnostic { severity, ..d.with_span(span) }
    }
}

impl Validator {
    fn err(&mut self, loc: Location, msg: String) {
        self.diags.push(Diagnostic::error(loc, msg));
    }

    fn warn(&mut self, loc: Location, msg: String) {
        self.diags.push(Diagnostic::warning(loc, msg));
    }

    /// An error about the text at `span` of the file being read.
    fn err_at(&mut self, cx: &FileCtx<'_>, span: Range<usize>, msg: String) {
        self.diags.push(cx.diag(Severity::Error, span, msg));
    }

    /// A warning about the text at `span` of the file being read.
    fn warn_at(&mut self, cx: &FileCtx<'_>, span: Range<usize>, msg: String) {
        self.diags.push(cx.diag(Severity::Warning, span, msg));
    }

    fn file(&mut self, path: &str, bytes: &[u8]) {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = std::str::from_utf8(&bytes[..e.valid_up_to()])
                    .expect("valid prefix");
                let loc = Location::from_offset(path, valid, valid.len());
                self.err(
                    loc,
                    format!(
                        "file is not valid UTF-8 (invalid byte at offset {})",
                        e.valid_up_to()
                    ),
                );
                return;
            }
        };
        let cx = &FileCtx::new(path, text);
        let (table, errors) = DeTable::parse_recoverable(text);
        let had_syntax_errors = !errors.is_empty();
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            self.err_at(
                cx,
                span,
                format!("toml syntax: {}", e.message().trim()),
            );
        }
        if had_syntax_errors {
            return;
        }
        let stem = Path::new(path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string());
        let table = table.into_inner();
        let mut domain = stem;
        let mut default_kind: Option<String> = None;
        let mut default_case = CaseMode::Smart;
        // [domain] first: it sets defaults for the entities.
        if let Some(v) = table.get("domain")
            && let Some(d) = self.typed::<RawDomain>(cx, v, "[domain]")
        {
            if let Some(n) = d.name {
                if n.get_ref().trim().is_empty() {
                    self.err_at(cx, n.span(), "domain name is empty".into());
                } else {
                    domain = n.into_inner();
                }
            }
            if let Some(k) = d.kind {
                if k.get_ref().trim().is_empty() {
                    self.err_at(cx, k.span(), "domain type is empty".into());
                } else {
                    default_kind = Some(k.into_inner());
                }
            }
            default_case = d.case.unwrap_or_default();
        }
        let mut summary = FileSummary {
            path: path.to_string(),
            domain: domain.clone(),
            entities: 0,
            names: 0,
            topics: 0,
        };
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "domain" => {}
                "entity" => {
                    for item in self.array_of_tables(cx, value, "entity") {
                        let Some(raw) =
                            self.typed::<RawEntity>(cx, item, "[[entity]]")
                        else {
                            continue;
                        };
                        if let Some(e) = self.entity(
                            cx,
                            raw,
                            item.span(),
                            &domain,
                            default_kind.as_deref(),
                            default_case,
                        ) {
                            summary.entities += 1;
                            summary.names += 1 + e.aliases.len();
                            self.entities.push(e);
                        }
                    }
                }
                "topic" => {
                    for item in self.array_of_tables(cx, value, "topic") {
                        let Some(raw) =
                            self.typed::<RawTopic>(cx, item, "[[topic]]")
                        else {
                            continue;
                        };
                        if let Some(t) =
                            self.topic(cx, raw, item.span(), &domain)
                        {
                            summary.topics += 1;
                            self.topics.push(t);
                        }
                    }
                }
                other => {
                    let like = suggest(other, ["domain", "entity", "topic"]);
                    let d = cx
                        .diag(
                            Severity::Error,
                            key.span(),
                            format!(
                                "unknown top-level key `{other}`{}",
                                hint(like)
                            ),
                        )
                        .with_help(like.map(did_you_mean));
                    self.diags.push(d);
                }
            }
        }
        if !table.contains_key("entity") && !table.contains_key("topic") {
            self.warn(cx.loc(0), "file defines no entity and no topic".into());
        }
        self.files.push(summary);
    }

    /// The elements of `[[name]]`, reporting a value of the wrong shape.
    fn array_of_tables<'v, 'i>(
        &mut self,
        cx: &FileCtx<'_>,
        value: &'v Spanned<DeValue<'i>>,
        name: &str,
    ) -> Vec<&'v Spanned<DeValue<'i>>> {
        match value.get_ref().as_array() {
            Some(items) => items.iter().collect(),
            None => {
                self.err_at(cx, value.span(),
                    format!(
                        "`{name}` must be an array of tables, written [[{name}]]"
                    ),
                );
                Vec::new()
            }
        }
    }

    /// Deserialises one table, reporting serde's error with its location.
    fn typed<T: for<'de> Deserialize<'de>>(
        &mut self,
        cx: &FileCtx<'_>,
        value: &Spanned<DeValue<'_>>,
        what: &str,
    ) -> Option<T> {
        match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(t) => Some(t),
            Err(e) => {
                let span = e.span().unwrap_or_else(|| value.span());
                let (msg, help) = improve_serde_message(e.message());
                let d = cx
                    .diag(Severity::Error, span, format!("in {what}: {msg}"))
                    .with_help(help);
                self.diags.push(d);
                None
            }
        }
    }

    fn entity(
        &mut self,
        cx: &FileCtx<'_>,
        raw: RawEntity,
        table: Range<usize>,
        domain: &str,
        default_kind: Option<&str>,
        default_case: CaseMode,
    ) -> Option<Entity> {
        let mut ok = true;
        let id = raw.id.get_ref().trim().to_string();
        if id.is_empty() {
            self.err_at(cx, raw.id.span(), "entity id is empty".into());
            ok = false;
        } else if let Some(first) = self.entity_ids.get(&id) {
            let msg = format!(
                "duplicate entity id `{id}` (first defined at {first})"
            );
            self.err_at(cx, raw.id.span(), msg);
            ok = false;
        } else {
            self.entity_ids.insert(id.clone(), cx.loc(raw.id.span().start));
        }
        let kind = match (&raw.kind, default_kind) {
            (Some(k), _) if k.get_ref().trim().is_empty() => {
                self.err_at(
                    cx,
                    k.span(),
                    format!("entity `{id}`: type is empty"),
                );
                ok = false;
                String::new()
            }
            (Some(k), _) => k.get_ref().trim().to_string(),
            (None, Some(d)) => d.to_string(),
            (None, None) => {
                self.err_at(
                    cx,
                    table.clone(),
                    format!(
                        "entity `{id}` has no `type` and the file's [domain] sets none"
                    ),
                );
                ok = false;
                String::new()
            }
        };
        let case = raw.case.unwrap_or(default_case);
        ok &= self.check_term(cx, &raw.name, "entity name");
        let name = raw.name.get_ref().clone();
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        seen.insert(fold_str(&name, true), raw.name.span());
        let mut aliases = Vec::new();
        for a in &raw.aliases {
            if !self.check_term(cx, a, "alias") {
                ok = false;
                continue;
            }
            let folded = fold_str(a.get_ref(), true);
            if seen.contains_key(&folded) {
                let msg = format!(
                    "entity `{id}`: alias `{}` repeats a name it already has",
                    a.get_ref()
                );
                self.warn_at(cx, a.span(), msg);
                // Repeats differing only in case still matter for the
                // case rule, so keep them.
                if aliases.contains(a.get_ref()) || a.get_ref() == &name {
                    continue;
                }
            }
            seen.insert(folded, a.span());
            aliases.push(a.get_ref().clone());
        }
        if ok {
            // Shared aliases: warn, once per pair, naming the first owner.
            let mut names: Vec<(&String, &Range<usize>)> =
                seen.iter().collect();
            names.sort_by_key(|&(k, span)| (k, span.start));
            for (folded, span) in names {
                match self.alias_owner.get(folded) {
                    Some((owner, loc)) if owner != &id => {
                        let msg = format!(
                            "`{folded}` is a name of both `{owner}` ({loc}) and `{id}`"
                        );
                        self.warn_at(cx, span.clone(), msg);
                    }
                    Some(_) => {}
                    None => {
                        self.alias_owner.insert(
                            folded.clone(),
                            (id.clone(), cx.loc(span.start)),
                        );
                    }
                }
            }
        }
        let mut context = Vec::new();
        for rule in &raw.context {
            match self.context_rule(cx, &id, &name, &aliases, rule) {
                Some(r) => context.push(r),
                None => ok = false,
            }
        }
        ok.then(|| Entity {
            id,
            name,
            kind,
            domain: domain.to_string(),
            aliases,
            case,
            attributes: raw.attributes,
            context,
            location: cx.loc(table.start),
        })
    }

    /// Validates one `[[entity.context]]` rule.
    fn context_rule(
        &mut self,
        cx: &FileCtx<'_>,
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
                self.err_at(cx, n.span(),
                    format!(
                        "context rule of `{id}` names `{}`, which is not a name of `{id}`",
                        n.get_ref()
                    ),
                );
                ok = false;
            }
        }
        for w in raw.require_words.iter().chain(&raw.exclude_words) {
            ok &= self.check_term(cx, w, "context word");
        }
        for e in raw.require_entities.iter().chain(&raw.exclude_entities) {
            self.evidence_refs.push((
                e.get_ref().clone(),
                cx.loc(e.span().start),
                e.span(),
                "context rule",
            ));
        }
        let empty = raw.require_words.is_empty()
            && raw.require_entities.is_empty()
            && raw.exclude_words.is_empty()
            && raw.exclude_entities.is_empty()
            && !raw.not_before_capitalized;
        if empty {
            self.err_at(
                cx,
                rule.span(),
                format!("context rule of `{id}` sets no condition"),
            );
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
        &mut self,
        cx: &FileCtx<'_>,
        term: &Spanned<String>,
        what: &str,
    ) -> bool {
        let s = term.get_ref();
        let span = term.span();
        if s.trim().is_empty() {
            self.err_at(cx, span, format!("{what} is empty"));
            return false;
        }
        let n = s.chars().count();
        if n > MAX_ALIAS_CHARS {
            self.err_at(
                cx,
                span,
                format!(
                    "{what} is {n} characters long; the limit is {MAX_ALIAS_CHARS}"
                ),
            );
            return false;
        }
        if !s.chars().any(is_word_char) {
            self.err_at(
                cx,
                span,
                format!("{what} `{s}` has no letter or digit"),
            );
            return false;
        }
        true
    }

    fn topic(
        &mut self,
        cx: &FileCtx<'_>,
        raw: RawTopic,
        table: Range<usize>,
        domain: &str,
    ) -> Option<Topic> {
        let mut ok = true;
        let id = raw.id.get_ref().trim().to_string();
        if id.is_empty() {
            self.err_at(cx, raw.id.span(), "topic id is empty".into());
            ok = false;
        } else if let Some(first) = self.topic_ids.get(&id) {
            let msg = format!(
                "duplicate topic id `{id}` (first defined at {first})"
            );
            self.err_at(cx, raw.id.span(), msg);
            ok = false;
        } else {
            self.topic_ids.insert(id.clone(), cx.loc(raw.id.span().start));
        }
        if raw.name.get_ref().trim().is_empty() {
            self.err_at(
                cx,
                raw.name.span(),
                format!("topic `{id}`: name is empty"),
            );
            ok = false;
        }
        let mut keywords = Vec::new();
        let mut seen = HashMap::new();
        for k in &raw.keywords {
            let (term, weight) = match k.get_ref() {
                RawKeyword::Plain(t) => (t.clone(), 1.0),
                RawKeyword::Weighted { term, weight } => {
                    (term.clone(), *weight)
                }
            };
            let spanned = Spanned::new(k.span(), term.clone());
            if !self.check_term(cx, &spanned, "keyword") {
                ok = false;
                continue;
            }
            if !(weight.is_finite() && weight > 0.0) {
                self.err_at(cx, k.span(),
                    format!("keyword `{term}`: weight must be a positive number, not {weight}"),
                );
                ok = false;
                continue;
            }
            if seen.insert(fold_str(&term, false), ()).is_some() {
                self.warn_at(
                    cx,
                    k.span(),
                    format!("topic `{id}`: keyword `{term}` is listed twice"),
                );
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
                self.err_at(cx, e.span(),
                    format!("evidence `{eid}`: weight must be a positive number, not {weight}"),
                );
                ok = false;
                continue;
            }
            self.evidence_refs.push((
                eid.clone(),
                cx.loc(e.span().start),
                e.span(),
                "topic evidence",
            ));
            entities.push((eid, weight));
        }
        if keywords.is_empty() && entities.is_empty() {
            self.err_at(
                cx,
                table.clone(),
                format!("topic `{id}` has no keywords and no entities"),
            );
            ok = false;
        } else if keywords.is_empty() {
            self.warn_at(
                cx,
                table.clone(),
                format!("topic `{id}` has no keywords"),
            );
        }
        let threshold = match raw.threshold {
            Some(t) if !(t.get_ref().is_finite() && *t.get_ref() >= 0.0) => {
                self.err_at(
                    cx,
                    t.span(),
                    format!(
                        "threshold must be zero or more, not {}",
                        t.get_ref()
                    ),
                );
                ok = false;
                0.0
            }
            Some(t) => *t.get_ref(),
            None => DEFAULT_THRESHOLD,
        };
        let min_evidence =
            raw.min_evidence.map_or(DEFAULT_MIN_EVIDENCE, |m| *m.get_ref());
        ok.then(|| Topic {
            id,
            name: raw.name.into_inner(),
            domain: domain.to_string(),
            keywords,
            entities,
            threshold,
            min_evidence,
            attributes: raw.attributes,
            location: cx.loc(table.start),
        })
    }

    /// Checks that need every file: topic evidence must name known entities.
    fn cross_checks(&mut self) {
        let refs = std::mem::take(&mut self.evidence_refs);
        for (id, loc, span, what) in refs {
            if !self.entity_ids.contains_key(&id) {
                let like =
                    suggest(&id, self.entity_ids.keys().map(String::as_str));
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
        l.sources.push((
            "bad.toml".into(),
            b"[[entity]]\nid = \"\xff\"\n".to_vec(),
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

    #[test]
    fn line_index_agrees_with_scan() {
        let text = "a\nbé c\n\nd";
        let cx = FileCtx::new("f", text);
        for off in 0..=text.len() + 2 {
            assert_eq!(
                cx.loc(off),
                Location::from_offset("f", text, off),
                "{off}"
            );
        }
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
