//! Embeds every `gazetteers/*.toml` file in the binary, in sorted order,
//! together with what reading it gives, so that start-up does not parse
//! TOML (see `Builtin` in `src/gazetteer/builtin.rs`).
//!
//! Only what the serde layer of `src/gazetteer/schema.rs` would accept is read
//! here: known keys with values of the right type. A file with anything
//! else (an unknown key, a wrong type, a syntax error) is left to the TOML
//! parser at run time, which reports it as it would any other file. A test
//! in `src/gazetteer/mod.rs` checks that both ways give the same result.

use std::fmt::Write;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from("&[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy();
        let read = std::fs::read_to_string(f).ok().and_then(|t| file(&t));
        if read.is_none() {
            println!(
                "cargo:warning=built-in gazetteer {name} is parsed at run time"
            );
        }
        writeln!(
            out,
            "Builtin {{ name: {:?}, text: include_str!({:?}), read: {} }},",
            name,
            f.display().to_string(),
            read.map_or("None".to_string(), |r| format!("Some({r})"))
        )
        .unwrap();
    }
    out.push(']');
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("builtin.rs"), out).unwrap();
    // For a test in src/gazetteer/mod.rs.
    let mut samples = String::from("&[\n");
    for (name, text) in SAMPLES {
        let read =
            file(text).map_or("None".to_string(), |r| format!("Some({r})"));
        writeln!(
            samples,
            "Builtin {{ name: {name:?}, text: {text:?}, read: {read} }},"
        )
        .unwrap();
    }
    samples.push(']');
    let dest = Path::new(&out_dir).join("builtin_samples.rs");
    std::fs::write(dest, samples).unwrap();
}

/// Gazetteers that use everything read here, for a test in
/// `src/gazetteer/entry.rs`: the built-in files may not.
const SAMPLES: &[(&str, &str)] = &[
    (
        "sample.toml",
        r#"[domain]
name = "d"
type = "thing"
case = "exact"

[[entity]]
id = " e1 "
name = "\u00c9a \"q\""
type = "person"
aliases = ["A", "a", "", "A", 'lit\eral', """
multi"""]
acronyms = ["EQ", "A", "", "--"]
former_names = ["Old \u00c9a", "eq"]
demonyms = ["Ean", "Eans", "a", " "]
case = "ignore"
attributes = {country = "X", "odd key" = "v"}

[[entity.context]]
names = ["A", "Nope"]
require_words = ["w", "--"]
require_entities = ["e2", "zz"]
exclude_words = ["x"]
exclude_entities = ["e2"]
window = 40
not_before_capitalized = true

[[entity.context]]

[[entity]]
id = "e2"
name = "B"

[[entity]]
id = "e3"
name = "C"
type = " "

[[topic]]
id = "t"
name = "T"
keywords = ["k", {term = "l", weight = 2}, {term = "m", weight = 0.5}, "K",
  {term = "n", weight = 0}]
entities = ["e2", {id = "e1", weight = 1.5}, {id = "q", weight = -1}]
threshold = 3
min_evidence = 1
attributes = {iptc = "1"}

[[topic]]
id = "u"
name = "U"
threshold = -0.5
min_evidence = 0x10
parent = "u"

[[topic]]
id = "v"
name = "V"
keywords = [{term = "x", ambiguous = true}, {term = "z"}]
parent = "w"
"#,
    ),
    ("empty.toml", "# nothing\n"),
    (
        "clean-a.toml",
        r#"[domain]
type = "place"
case = "smart"

[[entity]]
id = "a"
name = "Alpha"
aliases = ["Alfa", "ALPHA", "A.L."]
acronyms = ["AL", "A.L.P."]
former_names = ["Olpha"]
demonyms = ["Alphan", "Alphans"]
attributes = {country = "a"}

[[entity.context]]
names = ["Alfa", "Alphans"]
require_words = ["greek"]
exclude_entities = ["b"]
window = 0

[[entity]]
id = "b"
name = "Beta"
type = "person"
case = "exact"

[[topic]]
id = "letters"
name = "Letters"
keywords = ["alphabet", {term = "glyph", weight = 1e1},
  {term = "rune", ambiguous = true}, {term = "sign", weight = 0.5, ambiguous = false}]
entities = ["a", {id = "b", weight = 2}]
threshold = 1.25

[[topic]]
id = "vowels"
name = "Vowels"
parent = "letters"
keywords = ["vowel"]
"#,
    ),
    (
        "clean-b.toml",
        r#"[[entity]]
id = "c"
name = "Alpha"
type = "x"

[[entity.context]]
not_before_capitalized = true
"#,
    ),
];

type Value<'a> = Spanned<DeValue<'a>>;

/// A `BuiltinRead` for a gazetteer file, as Rust; `None` when it is to be
/// parsed at run time.
fn file(text: &str) -> Option<String> {
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return None;
    }
    let table = table.into_inner();
    let mut domain = "None".to_string();
    let (mut entities, mut topics) = (String::new(), String::new());
    for (key, value) in &table {
        match key.get_ref().as_ref() {
            "domain" => domain = format!("Some({})", domain_table(value)?),
            "entity" => {
                for item in value.get_ref().as_array()? {
                    writeln!(entities, "{},", entity(item)?).unwrap();
                }
            }
            "topic" => {
                for item in value.get_ref().as_array()? {
                    writeln!(topics, "{},", topic(item)?).unwrap();
                }
            }
            _ => return None,
        }
    }
    let has_entries =
        table.contains_key("entity") || table.contains_key("topic");
    Some(format!(
        "BuiltinRead {{ domain: {domain}, has_entries: {has_entries}, \
         entities: &[\n{entities}], topics: &[\n{topics}] }}"
    ))
}

/// The table `value`, if it has no key but `keys`.
fn table<'a, 'i>(
    value: &'a Value<'i>,
    keys: &[&str],
) -> Option<&'a DeTable<'i>> {
    let t = value.get_ref().as_table()?;
    t.keys().all(|k| keys.contains(&k.get_ref().as_ref())).then_some(t)
}

/// `(start, end)`
fn span(value: &Value<'_>) -> String {
    format!("({}, {})", value.span().start, value.span().end)
}

/// `("text", start, end)`
fn string(value: &Value<'_>) -> Option<String> {
    let s = value.get_ref().as_str()?;
    Some(format!("({s:?}, {}, {})", value.span().start, value.span().end))
}

/// `Some(f(value))` for a key that is there, `None` for one that is not.
fn optional(
    t: &DeTable<'_>,
    key: &str,
    f: impl Fn(&Value<'_>) -> Option<String>,
) -> Option<String> {
    match t.get(key) {
        Some(v) => Some(format!("Some({})", f(v)?)),
        None => Some("None".to_string()),
    }
}

/// `&[f(item), ...]` for an array, `&[]` for a key that is not there.
fn list(
    t: &DeTable<'_>,
    key: &str,
    f: impl Fn(&Value<'_>) -> Option<String>,
) -> Option<String> {
    let mut s = String::from("&[");
    if let Some(v) = t.get(key) {
        for item in v.get_ref().as_array()? {
            write!(s, "{}, ", f(item)?).unwrap();
        }
    }
    s.push(']');
    Some(s)
}

/// `&[("key", "value"), ...]` for a table of strings.
fn attributes(t: &DeTable<'_>) -> Option<String> {
    let mut s = String::from("&[");
    if let Some(v) = t.get("attributes") {
        for (k, v) in v.get_ref().as_table()? {
            write!(s, "({:?}, {:?}), ", k.get_ref(), v.get_ref().as_str()?)
                .unwrap();
        }
    }
    s.push(']');
    Some(s)
}

fn case(value: &Value<'_>) -> Option<String> {
    let mode = match value.get_ref().as_str()? {
        "smart" => "Smart",
        "exact" => "Exact",
        "ignore" => "Ignore",
        _ => return None,
    };
    Some(format!("CaseMode::{mode}"))
}

/// A number as serde gives an `f64`: an integer or a finite float.
fn number(value: &Value<'_>) -> Option<f64> {
    match value.get_ref() {
        DeValue::Integer(i) => {
            Some(i64::from_str_radix(i.as_str(), i.radix()).ok()? as f64)
        }
        DeValue::Float(f) => {
            f.as_str().parse().ok().filter(|f: &f64| f.is_finite())
        }
        _ => None,
    }
}

/// An integer that is not negative.
fn unsigned(value: &Value<'_>) -> Option<u64> {
    let i = value.get_ref().as_integer()?;
    u64::from_str_radix(i.as_str(), i.radix()).ok()
}

/// An `f64` as a Rust expression that gives exactly it.
fn float(f: f64) -> String {
    format!("f64::from_bits({:#x})", f.to_bits())
}

fn domain_table(value: &Value<'_>) -> Option<String> {
    let t = table(value, &["name", "type", "case"])?;
    Some(format!(
        "BuiltinDomain {{ name: {}, kind: {}, case: {} }}",
        optional(t, "name", string)?,
        optional(t, "type", string)?,
        optional(t, "case", case)?,
    ))
}

fn entity(value: &Value<'_>) -> Option<String> {
    let keys = [
        "id",
        "name",
        "type",
        "aliases",
        "acronyms",
        "former_names",
        "demonyms",
        "case",
        "attributes",
        "context",
    ];
    let t = table(value, &keys)?;
    Some(format!(
        "BuiltinEntity {{ span: {}, id: {}, name: {}, kind: {}, aliases: {}, \
         acronyms: {}, former_names: {}, demonyms: {}, \
         case: {}, attributes: {}, context: {} }}",
        span(value),
        string(t.get("id")?)?,
        string(t.get("name")?)?,
        optional(t, "type", string)?,
        list(t, "aliases", string)?,
        list(t, "acronyms", string)?,
        list(t, "former_names", string)?,
        list(t, "demonyms", string)?,
        optional(t, "case", case)?,
        attributes(t)?,
        list(t, "context", context)?,
    ))
}

fn context(value: &Value<'_>) -> Option<String> {
    let keys = [
        "names",
        "require_words",
        "require_entities",
        "exclude_words",
        "exclude_entities",
        "window",
        "not_before_capitalized",
    ];
    let t = table(value, &keys)?;
    let window = |v: &Value<'_>| {
        usize::try_from(unsigned(v)?).ok().map(|n| n.to_string())
    };
    let capitalized = match t.get("not_before_capitalized") {
        Some(v) => v.get_ref().as_bool()?,
        None => false,
    };
    Some(format!(
        "BuiltinContext {{ span: {}, names: {}, require_words: {}, \
         require_entities: {}, exclude_words: {}, exclude_entities: {}, \
         window: {}, not_before_capitalized: {capitalized} }}",
        span(value),
        list(t, "names", string)?,
        list(t, "require_words", string)?,
        list(t, "require_entities", string)?,
        list(t, "exclude_words", string)?,
        list(t, "exclude_entities", string)?,
        optional(t, "window", window)?,
    ))
}

fn topic(value: &Value<'_>) -> Option<String> {
    let keys = [
        "id",
        "name",
        "keywords",
        "entities",
        "threshold",
        "min_evidence",
        "parent",
        "attributes",
    ];
    let t = table(value, &keys)?;
    let threshold = |v: &Value<'_>| {
        let (s, e) = (v.span().start, v.span().end);
        Some(format!("({}, {s}, {e})", float(number(v)?)))
    };
    let min_evidence = |v: &Value<'_>| {
        let n = u32::try_from(unsigned(v)?).ok()?;
        Some(format!("({n}, {}, {})", v.span().start, v.span().end))
    };
    Some(format!(
        "BuiltinTopic {{ span: {}, id: {}, name: {}, keywords: {}, \
         entities: {}, threshold: {}, min_evidence: {}, parent: {}, \
         attributes: {} }}",
        span(value),
        string(t.get("id")?)?,
        string(t.get("name")?)?,
        list(t, "keywords", |v| term(v, "term"))?,
        list(t, "entities", |v| term(v, "id"))?,
        optional(t, "threshold", threshold)?,
        optional(t, "min_evidence", min_evidence)?,
        optional(t, "parent", |v| {
            let s = v.get_ref().as_str()?;
            Some(format!("({s:?}, {}, {})", v.span().start, v.span().end))
        })?,
        attributes(t)?,
    ))
}

/// A keyword or a piece of evidence: a string, or a table of the string
/// (under `key`) and a weight.
fn term(value: &Value<'_>, key: &str) -> Option<String> {
    let (term, weight, ambiguous) = match value.get_ref().as_str() {
        Some(s) => (s, "None".to_string(), false),
        None => {
            let keys: &[&str] = if key == "term" {
                &[key, "weight", "ambiguous"]
            } else {
                &[key, "weight"]
            };
            let t = table(value, keys)?;
            let s = t.get(key)?.get_ref().as_str()?;
            let weight = match t.get("weight") {
                Some(w) => format!("Some({})", float(number(w)?)),
                // Only a keyword may leave its weight out.
                None if key == "term" => "Some(1.0)".to_string(),
                None => return None,
            };
            let ambiguous = match t.get("ambiguous") {
                Some(a) => a.get_ref().as_bool()?,
                None => false,
            };
            (s, weight, ambiguous)
        }
    };
    Some(format!(
        "BuiltinTerm {{ term: {term:?}, weight: {weight}, \
         ambiguous: {ambiguous}, span: {} }}",
        span(value)
    ))
}
