//! Property tests: random gazetteers and texts, with non-ASCII letters,
//! combining marks, curly apostrophes, dashes and runs of white space.
//!
//! - every mention's offsets lie on character boundaries and slice to its
//!   text, in bytes and in characters;
//! - the characters just before and after a mention are not letters or
//!   digits (the boundary rule), and a name found as such folds to one of
//!   the entity's names;
//! - the tables are byte-identical with 1 and 4 threads;
//! - folding a document in parallel pieces (`Normalized::fold_par`) gives
//!   exactly what folding it whole gives;
//! - every CSV row reads back with the csv crate into the same fields.
//!
//! The case counts are modest so that `cargo test` stays quick in a debug
//! build; `PROPTEST_CASES=5000 cargo test --release --test tests properties`
//! runs more.
//!
//! The crashes found by fuzzing (`fuzz/`) are kept under
//! `tests/fuzz_regressions/` and checked here too.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use gaztag::input::{Document, Documents, InputOptions};
use gaztag::output::{
    CsvOptions, DOCUMENT_COLUMNS, MENTION_COLUMNS, Sink, TOPIC_COLUMNS, Table,
    neutralise, render,
};
use gaztag::pipeline::{self, RunOptions};
use gaztag::{GazetteerSet, Normalized, Tagger, Tags, Via, fold_str};
use proptest::prelude::*;
use unicode_normalization::char::is_combining_mark;

/// The tagger's word characters: letters and digits of any script, and
/// combining marks.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Checks every invariant of `tags`, found in `text`. The same checks run
/// in the fuzz targets (`fuzz/src/lib.rs`).
pub fn check(tagger: &Tagger, text: &str, tags: &Tags, overlapping: bool) {
    assert_eq!(tags.chars, text.chars().count(), "character count");
    let entities = tagger.entities();
    let mut prev: Option<(usize, usize)> = None;
    for m in &tags.mentions {
        assert!(m.start < m.end && m.end <= text.len(), "{m:?}");
        assert!(text.is_char_boundary(m.start), "{m:?}");
        assert!(text.is_char_boundary(m.end), "{m:?}");
        assert_eq!(m.char_start, text[..m.start].chars().count(), "{m:?}");
        assert_eq!(m.char_end, text[..m.end].chars().count(), "{m:?}");
        let by_chars: String = text
            .chars()
            .skip(m.char_start)
            .take(m.char_end - m.char_start)
            .collect();
        assert_eq!(by_chars, &text[m.start..m.end]);
        let span = &text[m.start..m.end];
        assert!(
            !span.starts_with(char::is_whitespace)
                && !span.ends_with(char::is_whitespace),
            "{span:?} starts or ends with white space"
        );
        let before = text[..m.start].chars().next_back();
        let after = text[m.end..].chars().next();
        assert!(
            !before.is_some_and(is_word_char),
            "{m:?} starts mid-word in {text:?}"
        );
        assert!(
            !after.is_some_and(is_word_char),
            "{m:?} ends mid-word in {text:?}"
        );
        if matches!(
            m.via,
            Via::Name
                | Via::Alias
                | Via::Abbreviation
                | Via::Former
                | Via::Demonym
        ) {
            let span = fold_str(&text[m.start..m.end], true);
            let e = &entities[m.entity];
            assert!(
                e.names().any(|n| fold_str(n, true) == span),
                "{span:?} is not a name of {}",
                e.id
            );
        }
        for &a in &m.alternatives {
            assert!(a != m.entity && a < entities.len(), "{m:?}");
        }
        if let Some((s, e)) = prev {
            assert!(
                (s, std::cmp::Reverse(e))
                    < (m.start, std::cmp::Reverse(m.end)),
                "mentions out of order"
            );
            if !overlapping {
                assert!(e <= m.start, "mentions overlap");
            }
        }
        prev = Some((m.start, m.end));
    }
    let mut last = f64::INFINITY;
    for t in &tags.topics {
        assert!(t.topic < tagger.topics().len());
        assert!(t.score.is_finite() && t.score >= 0.0, "{t:?}");
        assert!(t.score <= last, "topics best first");
        last = t.score;
    }
}

// ---------------------------------------------------------------------------
// Generators

/// Letters, including ones that fold: accents, ß, İ, ligatures, other
/// scripts.
const LETTERS: &[&str] = &[
    "a", "b", "e", "k", "n", "s", "t", "A", "K", "S", "é", "É", "ü", "ß", "İ",
    "ı", "ø", "Æ", "œ", "ﬁ", "σ", "Σ", "ж", "東", "ا", "5",
];

/// Pieces that go between words, or inside names.
const JOINERS: &[&str] = &[
    " ", "  ", "\t", "\n", "\u{a0}", "-", "\u{2011}", "–", "—", "'", "’", ".",
    "\u{301}", "\u{308}", "\u{ad}", "\u{200b}",
];

fn word() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(LETTERS), 1..5)
        .prop_map(|v| v.concat())
}

/// A name: one to three words joined by spaces, dashes or apostrophes,
/// sometimes with a combining mark.
fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            word(),
            prop::sample::select(&[" ", "-", "’", "'", "\u{301}", " "][..]),
        ),
        1..4,
    )
    .prop_map(|parts| {
        let mut s = String::new();
        for (i, (w, j)) in parts.iter().enumerate() {
            if i > 0 {
                s.push_str(j);
            }
            s.push_str(w);
        }
        s
    })
}

/// TOML basic-string escaping.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A gazetteer: up to six entities with up to three aliases each, and a
/// topic whose keywords are some of the same words.
fn gazetteer() -> impl Strategy<Value = (String, Vec<String>)> {
    prop::collection::vec((name(), prop::collection::vec(name(), 0..3)), 1..7)
        .prop_flat_map(|ents| {
            let names: Vec<String> = ents
                .iter()
                .flat_map(|(n, a)| std::iter::once(n.clone()).chain(a.iter().cloned()))
                .collect();
            (Just(ents), prop::collection::vec(word(), 1..4), Just(names))
        })
        .prop_map(|(ents, keywords, names)| {
            let mut src = String::from("[domain]\ntype = \"thing\"\n\n");
            for (i, (n, aliases)) in ents.iter().enumerate() {
                let aliases: Vec<String> = aliases.iter().map(|a| toml_str(a)).collect();
                src.push_str(&format!(
                    "[[entity]]\nid = \"e{i}\"\nname = {}\naliases = [{}]\n\n",
                    toml_str(n),
                    aliases.join(", ")
                ));
            }
            let kws: Vec<String> = keywords.iter().map(|k| toml_str(k)).collect();
            src.push_str(&format!(
                "[[topic]]\nid = \"t\"\nname = \"T\"\nkeywords = [{}]\nentities = [\"e0\"]\nthreshold = 0.5\nmin_evidence = 1\n",
                kws.join(", ")
            ));
            (src, names)
        })
}

/// A text made of the gazetteer's names (in changed case, with white space
/// runs and curly apostrophes), random words and joiners.
fn text(names: Vec<String>) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => (prop::sample::select(names), 0..4u8).prop_map(|(n, how)| match how {
            0 => n,
            1 => n.to_uppercase(),
            2 => n.to_lowercase(),
            _ => n.replace(' ', " \n\t").replace('\'', "’"),
        }),
        2 => word(),
        3 => prop::sample::select(JOINERS).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// A gazetteer that loads (or `None`), a tagger, and texts for it.
fn case() -> impl Strategy<Value = (String, Vec<String>)> {
    gazetteer().prop_flat_map(|(src, names)| {
        (Just(src), prop::collection::vec(text(names), 1..5))
    })
}

fn load(src: &str) -> Option<GazetteerSet> {
    // Random names may be refused (a name made of combining marks only,
    // say); those cases are skipped.
    GazetteerSet::from_toml("p.toml", src).ok()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(config())]

    /// Offsets lie on character boundaries, slice to the mention's text,
    /// and satisfy the boundary rule, in both modes.
    #[test]
    fn mentions_are_well_formed((src, texts) in case()) {
        let Some(set) = load(&src) else { return Ok(()) };
        for overlapping in [false, true] {
            let tagger = Tagger::builder().overlapping(overlapping).build(&set).unwrap();
            for t in &texts {
                let tags = tagger.tag(t);
                check(&tagger, t, &tags, overlapping);
            }
        }
    }

    /// Rows read back with the csv crate into exactly the fields written,
    /// whatever the document id holds (quotes, commas, line breaks,
    /// formula characters).
    #[test]
    fn csv_rows_read_back(
        (src, texts) in case(),
        id in "[=+@\t\r\n\",; a-zé’-]{0,12}",
        raw in any::<bool>(),
    ) {
        let Some(set) = load(&src) else { return Ok(()) };
        let tagger = Tagger::new(&set).unwrap();
        let opts = CsvOptions { raw };
        for t in &texts {
            let tags = tagger.tag(t);
            let doc = Document {
                id: id.clone(),
                text: Ok(t.clone()),
                skipped: false,
            };
            let r = render(&tagger, &doc, Some(&tags), opts);
            let rows = read_csv(&r.mentions);
            prop_assert_eq!(rows.len(), tags.mentions.len());
            let cell = |s: &str| neutralise(s, raw).into_owned();
            for (row, m) in rows.iter().zip(&tags.mentions) {
                prop_assert_eq!(row.len(), MENTION_COLUMNS.len());
                let col = |name: &str| &row[MENTION_COLUMNS.iter().position(|c| *c == name).unwrap()];
                let e = &tagger.entities()[m.entity];
                prop_assert_eq!(col("doc_id"), &cell(&id));
                prop_assert_eq!(col("start"), &m.char_start.to_string());
                prop_assert_eq!(col("end"), &m.char_end.to_string());
                prop_assert_eq!(col("text"), &cell(&t[m.start..m.end]));
                prop_assert_eq!(col("entity_id"), &cell(&e.id));
                prop_assert_eq!(col("entity"), &cell(&e.name));
                prop_assert_eq!(col("byte_start"), &m.start.to_string());
                prop_assert_eq!(col("byte_end"), &m.end.to_string());
            }
            let rows = read_csv(&r.topics);
            prop_assert_eq!(rows.len(), tags.topics.len());
            for (rank, (row, label)) in rows.iter().zip(&tags.topics).enumerate() {
                prop_assert_eq!(row.len(), TOPIC_COLUMNS.len());
                prop_assert_eq!(&row[0], &cell(&id));
                prop_assert_eq!(&row[1], &cell(&tagger.topics()[label.topic].id));
                prop_assert_eq!(&row[4], &(rank + 1).to_string());
            }
            let rows = read_csv(&r.document);
            prop_assert_eq!(rows.len(), 1);
            prop_assert_eq!(rows[0].len(), DOCUMENT_COLUMNS.len());
            prop_assert_eq!(&rows[0][0], &cell(&id));
            prop_assert_eq!(&rows[0][1], "ok");
            prop_assert_eq!(&rows[0][3], &t.chars().count().to_string());
            prop_assert_eq!(&rows[0][4], &tags.mentions.len().to_string());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..config() })]

    /// The tables are byte-identical with 1 and 4 threads, and with
    /// batches of one document or of all of them.
    #[test]
    fn output_does_not_depend_on_threads((src, texts) in case()) {
        let Some(set) = load(&src) else { return Ok(()) };
        let tagger = Tagger::new(&set).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            // Each text three times, as separate documents.
            for k in 0..3 {
                let p = dir.path().join(format!("{i}-{k}.txt"));
                std::fs::write(&p, t).unwrap();
                paths.push(p);
            }
        }
        let one = run_all(&tagger, &paths, 1, 1);
        let four = run_all(&tagger, &paths, 4, 4096);
        prop_assert_eq!(&one, &four);
        let four_small = run_all(&tagger, &paths, 4, 1);
        prop_assert_eq!(&one, &four_small);
    }
}

/// Pieces of documents for folding: ASCII letters, digits, punctuation and
/// white space, accented and stroked letters, Greek and Cyrillic, combining
/// marks, soft hyphens, no-break and zero-width spaces, curly quotes and
/// dashes.
const FOLD_PIECES: &[&str] = &[
    "a",
    "Z",
    "q",
    "7",
    "Côte",
    "ÉTÉ",
    "ß",
    "Æ",
    "ø",
    "ǅ",
    "İ",
    "Москва",
    "ЁЖ",
    "Ελλάδα",
    "ΐ",
    "東京",
    "\u{301}",
    "\u{308}\u{327}",
    "\u{ad}",
    "\u{a0}",
    "\u{200b}",
    "\u{2009}",
    "\u{feff}",
    "\u{2019}",
    "—",
    " ",
    "  ",
    "   ",
    "\n",
    "\n\n",
    " \n\t",
    "\r\n",
    ".",
    ",",
    "'",
    "-",
    "(",
];

/// A document of up to 60 pieces, with now and then any character at all.
fn fold_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        9 => prop::sample::select(FOLD_PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..config() })]

    /// `fold_par` at any chunk size gives what `fold` gives: the folded
    /// text, the word count and every offset mapped back.
    #[test]
    fn parallel_fold_is_identical(text in fold_text(), chunk in 0..80usize) {
        let mut whole = Normalized::new();
        whole.fold(&text);
        let mut pieces = Normalized::new();
        pieces.fold_par(&text, chunk);
        prop_assert_eq!(pieces.as_str(), whole.as_str());
        prop_assert_eq!(pieces.words(), whole.words());
        prop_assert_eq!(pieces.original_len(), text.len());
        for pos in 0..=whole.as_bytes().len() {
            prop_assert_eq!(pieces.to_original(pos), whole.to_original(pos));
        }
        prop_assert_eq!(&pieces, &whole);
    }
}

/// Parses headerless CSV bytes into rows of fields.
fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

/// A `Write` into a shared buffer.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every table of a run over `paths`, with `threads` threads and batches of
/// `batch_docs` documents.
fn run_all(
    tagger: &Tagger,
    paths: &[PathBuf],
    threads: usize,
    batch_docs: usize,
) -> Vec<Vec<u8>> {
    Table::ALL
        .iter()
        .map(|&table| {
            let buf = Shared::default();
            let mut sink =
                Sink::stream(table, Box::new(buf.clone()), true).unwrap();
            let docs = Documents::new(paths, InputOptions::default());
            let opts =
                RunOptions { threads, batch_docs, ..RunOptions::default() };
            pipeline::run(tagger, docs, &mut sink, &opts, &mut |_| {})
                .unwrap();
            sink.finish().unwrap();
            buf.0.lock().unwrap().clone()
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Crashes found by fuzzing, kept as tests.

/// The gazetteer of the `tag` fuzz target.
const TRICKY: &str = include_str!("../fuzz/tricky.toml");

/// Every file under `tests/fuzz_regressions/tag/` is tagged with the fuzz
/// gazetteer, and every file under `tests/fuzz_regressions/gazetteer/` is
/// loaded as a gazetteer, with the fuzz targets' checks.
#[test]
fn fuzz_regressions() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions");
    let set = GazetteerSet::from_toml("tricky.toml", TRICKY).unwrap();
    let taggers = [false, true]
        .map(|o| Tagger::builder().overlapping(o).build(&set).unwrap());
    let files = |sub: &str| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(root.join(sub))
            .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    for p in files("tag") {
        let bytes = std::fs::read(&p).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for (tagger, overlapping) in taggers.iter().zip([false, true]) {
            let tags = tagger.tag(&text);
            check(tagger, &text, &tags, overlapping);
        }
    }
    for p in files("gazetteer") {
        let bytes = std::fs::read(&p).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let Ok(set) = GazetteerSet::from_toml("fuzz.toml", &text) else {
            continue;
        };
        let tagger = Tagger::new(&set).unwrap();
        for t in [
            "The US and Pakistan met in Côte d’Ivoire; TTP, İstanbul, Straße.",
            &text,
        ] {
            let tags = tagger.tag(t);
            check(&tagger, t, &tags, false);
        }
    }
}
