//! Times a bare automaton over a corpus: the ceiling for gaztag's design.
//!
//! Usage: scan ENGINE ALIASES.txt CORPUS [REPEAT]
//!
//! ENGINE is `ac-dfa`, `ac-cnfa`, `ac-nnfa` (aho-corasick 1.x) or
//! `daac-byte`, `daac-char` (daachorse). Aliases (one per line) and the
//! documents (CORPUS is a `.jsonl` file with a `text` field, or a text
//! file) are lower-cased before timing; the automaton is case-sensitive
//! (`ascii_case_insensitive` off). The scan reports every overlapping match
//! (`MatchKind::Standard`) and keeps those on word boundaries (the
//! characters around the match are not letters or digits), as gaztag does.
//! Prints one JSON object: build time and heap size, then the best of
//! REPEAT (default 3) scans, wall clock, in-process.

use std::time::Instant;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use daachorse::{CharwiseDoubleArrayAhoCorasick, DoubleArrayAhoCorasick};

fn is_word_char(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() }
}

#[inline]
fn on_boundaries(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let before = match start.checked_sub(1).map(|i| b[i]) {
        None => false,
        Some(x) if x < 0x80 => x.is_ascii_alphanumeric(),
        Some(_) => text[..start].chars().next_back().is_some_and(is_word_char),
    };
    let after = match b.get(end) {
        None => false,
        Some(x) if *x < 0x80 => x.is_ascii_alphanumeric(),
        Some(_) => text[end..].chars().next().is_some_and(is_word_char),
    };
    !before && !after
}

enum Engine {
    Ac(AhoCorasick),
    Byte(DoubleArrayAhoCorasick<u32>),
    Char(CharwiseDoubleArrayAhoCorasick<u32>),
}

impl Engine {
    fn count(&self, text: &str) -> u64 {
        let mut n = 0;
        match self {
            Engine::Ac(ac) => {
                for m in ac.find_overlapping_iter(text) {
                    n += u64::from(on_boundaries(text, m.start(), m.end()));
                }
            }
            Engine::Byte(d) => {
                for m in d.find_overlapping_iter(text) {
                    n += u64::from(on_boundaries(text, m.start(), m.end()));
                }
            }
            Engine::Char(d) => {
                for m in d.find_overlapping_iter(text) {
                    n += u64::from(on_boundaries(text, m.start(), m.end()));
                }
            }
        }
        n
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Engine::Ac(ac) => ac.memory_usage(),
            Engine::Byte(d) => d.heap_bytes(),
            Engine::Char(d) => d.heap_bytes(),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: scan ENGINE ALIASES.txt CORPUS [REPEAT]");
        std::process::exit(2);
    }
    let (engine, aliases, corpus) = (&args[1], &args[2], &args[3]);
    let repeat: usize = args.get(4).map_or(3, |r| r.parse().expect("REPEAT"));

    let mut patterns: Vec<String> = std::fs::read_to_string(aliases)
        .expect("read aliases")
        .lines()
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    patterns.sort_unstable();
    patterns.dedup();

    let raw = std::fs::read_to_string(corpus).expect("read corpus");
    let docs: Vec<String> = if corpus.ends_with(".jsonl") {
        raw.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: serde_json::Value =
                    serde_json::from_str(l).expect("JSON line");
                v["text"].as_str().expect("text field").to_lowercase()
            })
            .collect()
    } else {
        vec![raw.to_lowercase()]
    };
    drop(raw);
    let bytes: usize = docs.iter().map(String::len).sum();

    let started = Instant::now();
    let ac = |kind| {
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&patterns)
            .map(Engine::Ac)
            .map_err(|e| e.to_string())
    };
    let built = match engine.as_str() {
        "ac-dfa" => ac(AhoCorasickKind::DFA),
        "ac-cnfa" => ac(AhoCorasickKind::ContiguousNFA),
        "ac-nnfa" => ac(AhoCorasickKind::NoncontiguousNFA),
        "daac-byte" => DoubleArrayAhoCorasick::new(&patterns)
            .map(Engine::Byte)
            .map_err(|e| e.to_string()),
        "daac-char" => CharwiseDoubleArrayAhoCorasick::new(&patterns)
            .map(Engine::Char)
            .map_err(|e| e.to_string()),
        other => Err(format!("unknown engine {other}")),
    };
    let engine_obj = match built {
        Ok(e) => e,
        Err(e) => {
            println!(
                "{{\"engine\":\"{engine}\",\"error\":{}}}",
                serde_json::Value::String(e)
            );
            return;
        }
    };
    let build_s = started.elapsed().as_secs_f64();

    let mut best = f64::INFINITY;
    let mut matches = 0;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let n: u64 = docs.iter().map(|d| engine_obj.count(d)).sum();
        best = best.min(t.elapsed().as_secs_f64());
        matches = n;
    }
    println!(
        "{{\"engine\":\"{engine}\",\"patterns\":{},\"build_s\":{build_s:.4},\"heap_bytes\":{},\"bytes\":{bytes},\"scan_s\":{best:.4},\"matches\":{matches},\"mbps\":{:.1}}}",
        patterns.len(),
        engine_obj.heap_bytes(),
        bytes as f64 / 1e6 / best
    );
}
