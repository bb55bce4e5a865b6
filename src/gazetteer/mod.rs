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

mod builtin;
mod entry;
mod load;
mod schema;
mod validate;

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
use crate::record::Via;

use builtin::*;
use entry::*;
use load::*;
use schema::*;
use validate::*;

/// The longest alias or keyword accepted, in characters.
pub const MAX_ALIAS_CHARS: usize = 256;

/// The default minimum score for a topic label.
pub const DEFAULT_THRESHOLD: f64 = 2.0;

/// The default number of distinct pieces of evidence a topic label needs.
pub const DEFAULT_MIN_EVIDENCE: u32 = 2;

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
    /// Acronyms and abbreviations (`US`, `U.S.`, `UAE`): matched like
    /// aliases, a mention found through one has [`Via::Abbreviation`].
    pub acronyms: Vec<String>,
    /// Names the entity had before (`Burma` for Myanmar): matched like
    /// aliases, a mention found through one has [`Via::Former`].
    pub former_names: Vec<String>,
    /// Words for its people or things, singular and plural (`Afghan`,
    /// `Afghans`): matched like aliases, a mention found through one has
    /// [`Via::Demonym`].
    pub demonyms: Vec<String>,
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

impl Entity {
    /// Every form the entity is found by, with how a mention found
    /// through it is marked: the name, then its aliases, acronyms, former
    /// names and demonyms, each in file order.
    pub fn forms(&self) -> impl Iterator<Item = (&str, Via)> + '_ {
        fn of(v: &[String], via: Via) -> impl Iterator<Item = (&str, Via)> {
            v.iter().map(move |n| (n.as_str(), via))
        }
        std::iter::once((self.name.as_str(), Via::Name))
            .chain(of(&self.aliases, Via::Alias))
            .chain(of(&self.acronyms, Via::Abbreviation))
            .chain(of(&self.former_names, Via::Former))
            .chain(of(&self.demonyms, Via::Demonym))
    }

    /// Every form the entity is found by ([`Entity::forms`] without how).
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.forms().map(|(n, _)| n)
    }
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
    /// An ambiguous term counts only when the topic has other evidence in
    /// the same document (`court`: tennis or law).
    pub ambiguous: bool,
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
    /// Minimum number of distinct keywords and entities found, in a
    /// document longer than a short item.
    pub min_evidence: u32,
    /// The broader topic this one rolls up to: its evidence also counts for
    /// the parent (`elections` → `politics`).
    pub parent: Option<String>,
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
            Keyword { term: "bailout".into(), weight: 2.5, ambiguous: false }
        );
        assert_eq!(t.entities[1], ("imf".to_string(), 2.0));
        assert_eq!(t.threshold, 1.5);
        assert_eq!(t.min_evidence, 1);
        assert_eq!(set.entities()[0].attributes["acronym"], "IMF");
    }

    #[test]
    fn ambiguous_keywords_and_parents() {
        let src = r#"
[[topic]]
id = "politics"
name = "Politics"
keywords = ["parliament"]

[[topic]]
id = "elections"
name = "Elections"
parent = "politics"
keywords = ["ballot", {term = "race", ambiguous = true}]
"#;
        let set = GazetteerSet::from_toml("p.toml", src).unwrap();
        let t = &set.topics()[1];
        assert_eq!(t.parent.as_deref(), Some("politics"));
        assert_eq!(
            t.keywords[1],
            Keyword { term: "race".into(), weight: 1.0, ambiguous: true }
        );
        assert_eq!(set.topics()[0].parent, None);
    }

    #[test]
    fn unknown_parents_and_cycles_are_refused() {
        let src = r#"[[topic]]
id = "a"
name = "A"
keywords = ["x"]
parent = "b"

[[topic]]
id = "b"
name = "B"
keywords = ["y"]
parent = "a"

[[topic]]
id = "c"
name = "C"
keywords = ["z"]
parent = "politcs"

[[topic]]
id = "d"
name = "D"
keywords = ["w"]
parent = "d"
"#;
        let err = GazetteerSet::from_toml("c.toml", src).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(
                "c.toml:5:10: error: topic `a`: its parents lead back to itself"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "c.toml:11:10: error: topic `b`: its parents lead back to itself"
            ),
            "{text}"
        );
        assert!(
            text.contains("c.toml:17:10: error: topic `c`: parent names unknown topic id `politcs`"),
            "{text}"
        );
        assert!(
            text.contains(
                "c.toml:23:10: error: topic `d` names itself as its parent"
            ),
            "{text}"
        );
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

    /// Acronyms, former names and demonyms are checked like aliases,
    /// against every other form of the entity.
    #[test]
    fn forms_are_checked_like_aliases() {
        let src = "[[entity]]\nid = \"b\"\nname = \"Bee\"\ntype = \"t\"\naliases = [\"Bea\"]\nacronyms = [\"B.E.\", \"\"]\nformer_names = [\"Bea\", \"--\"]\ndemonyms = [\"Bean\", \"bean\", \"Bean\", \"B.E.\"]\n";
        let d = diags(&[("f.toml", src)]);
        let want = [
            "f.toml:6:21: error: acronym is empty",
            "f.toml:7:17: warning: entity `b`: former name `Bea` repeats a name it already has",
            "f.toml:7:24: error: former name `--` has no letter or digit",
            "f.toml:8:21: warning: entity `b`: demonym `bean` repeats a name it already has",
            "f.toml:8:29: warning: entity `b`: demonym `Bean` repeats a name it already has",
            "f.toml:8:37: warning: entity `b`: demonym `B.E.` repeats a name it already has",
        ];
        assert_eq!(d, want);
        // Without the errors: each form in its field, a repeat in another
        // case kept (it matters for the case rule).
        let src = src.replace(", \"\"]", "]").replace(", \"--\"", "");
        let set = GazetteerSet::from_toml("f.toml", &src).unwrap();
        let e = &set.entities()[0];
        assert_eq!(e.aliases, ["Bea"]);
        assert_eq!(e.acronyms, ["B.E."]);
        assert!(e.former_names.is_empty());
        assert_eq!(e.demonyms, ["Bean", "bean"]);
        assert_eq!(set.files()[0].names, 5);
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
        for part in ["\"A.L.P.\"", "\"Olpha\"", "\"Alphans\""] {
            assert!(want.contains(part), "{want}");
        }
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
