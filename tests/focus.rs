//! The country focus on a small labelled set: short made-up news items
//! (`tests/fixtures/focus/news.jsonl`, each with the country a reader
//! would call its main one) tagged with the built-in gazetteers. The best
//! country of `focus` must be the labelled one for at least 90% of them.

use gaztag::{GazetteerSet, Tagger};

use crate::util::{Dir, fixture};

/// The labelled items: (id, text, main country).
fn items() -> Vec<(String, String, String)> {
    let path = fixture("focus/news.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let field = |k: &str| v[k].as_str().unwrap().to_string();
            (field("id"), field("text"), field("focus"))
        })
        .collect()
}

#[test]
fn focus_finds_the_main_country_of_labelled_news() {
    let items = items();
    assert!(items.len() >= 30, "{} items", items.len());
    let set = GazetteerSet::builtin().unwrap();
    let tagger = Tagger::new(&set).unwrap();
    let mut misses = Vec::new();
    for (id, text, want) in &items {
        let tags = tagger.tag(text);
        let focus = tagger.focus(text, &tags);
        let got = focus.main().first().map_or("", |c| c.code);
        if got != want {
            misses.push(format!("{id}: want {want}, got {}", focus.cell()));
        }
    }
    let accuracy = 1.0 - misses.len() as f64 / items.len() as f64;
    println!(
        "focus top-1 accuracy {accuracy:.3} ({} of {}); misses: {misses:?}",
        items.len() - misses.len(),
        items.len()
    );
    assert!(accuracy >= 0.9, "accuracy {accuracy:.3}; misses: {misses:#?}");
}

/// `documents.csv` carries the library's focus, the same for any number
/// of threads.
#[test]
fn the_focus_column_is_the_library_focus_for_any_thread_count() {
    let dir = Dir::new();
    let path = fixture("focus/news.jsonl");
    let path = path.to_str().unwrap();
    let run = |threads: &str| {
        let out = dir.run(&[
            "tag",
            path,
            "--table",
            "documents",
            "--format",
            "jsonl",
            "-q",
            "-j",
            threads,
        ]);
        assert_eq!(out.status.code(), Some(0));
        out.stdout
    };
    let one = run("1");
    assert_eq!(one, run("4"));
    let set = GazetteerSet::builtin().unwrap();
    let tagger = Tagger::new(&set).unwrap();
    let rows: Vec<serde_json::Value> = std::str::from_utf8(&one)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let items = items();
    assert_eq!(rows.len(), items.len());
    for (row, (id, text, _)) in rows.iter().zip(&items) {
        assert_eq!(row["doc_id"], *id);
        let tags = tagger.tag(text);
        assert_eq!(row["focus"], tagger.focus(text, &tags).cell(), "{id}");
    }
}
