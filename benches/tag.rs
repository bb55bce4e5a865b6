//! Criterion benchmarks: automaton build (`build`) and tagging (`tag`) with
//! generated gazetteers of about 1k, 20k and 200k aliases.
//!
//! The data comes from `support/datagen.rs` (seeded, nothing to download):
//! the same universe of invented people, organisations and places as
//! `benches/compare.sh`, and a corpus of about 4.5 MB of news-like prose
//! (short articles, one long document, some Russian and Greek text).
//!
//! Every measured iteration checks the number of mentions it found against
//! the count from the first untimed run, and that count against the names
//! the generator planted, so a broken matcher cannot look fast.
//!
//! ```text
//! cargo bench --bench tag              # everything, a few minutes
//! cargo bench --bench tag -- tag/20k   # one benchmark
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use gaztag::{GazetteerLoader, GazetteerSet, Scratch, Tagger};

#[path = "support/datagen.rs"]
#[allow(dead_code)]
mod datagen;

use datagen::{Corpus, CorpusSpec, Gazetteer, Universe};

/// Gazetteer sizes, in names (canonical names and aliases).
const SIZES: &[(&str, usize)] =
    &[("1k", 1_000), ("20k", 20_000), ("200k", 200_000)];

/// Entities per generated file: the gazetteer is loaded as a folder of
/// small files would be.
const ENTITIES_PER_FILE: usize = 100;

struct Data {
    gazetteers: Vec<(&'static str, Gazetteer)>,
    corpus: Corpus,
}

fn data() -> Data {
    let universe = Universe::new(datagen::SEED);
    let largest = SIZES.iter().map(|s| s.1).max().unwrap_or(0);
    let all = Gazetteer::new(&universe, largest);
    let gazetteers =
        SIZES.iter().map(|&(label, n)| (label, all.prefix(n))).collect();
    let corpus = Corpus::new(&universe, &CorpusSpec::default());
    Data { gazetteers, corpus }
}

fn load(g: &Gazetteer) -> GazetteerSet {
    let mut loader = GazetteerLoader::new();
    let n = g.entities.len();
    for (i, from) in (0..n).step_by(ENTITIES_PER_FILE).enumerate() {
        let to = (from + ENTITIES_PER_FILE).min(n);
        loader.add_str(&format!("bench/{i:05}.toml"), &g.toml_range(from, to));
    }
    loader.load().expect("the generated gazetteer is valid")
}

fn count_mentions(
    tagger: &Tagger,
    scratch: &mut Scratch,
    docs: &[String],
) -> usize {
    docs.iter().map(|d| tagger.tag_with(scratch, d).mentions.len()).sum()
}

fn benches(c: &mut Criterion) {
    let data = data();
    let sets: Vec<(&str, GazetteerSet)> =
        data.gazetteers.iter().map(|(label, g)| (*label, load(g))).collect();

    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    for (label, set) in &sets {
        let slow = *label == "200k";
        group.warm_up_time(Duration::from_millis(if slow { 1 } else { 500 }));
        group.measurement_time(Duration::from_secs(if slow { 20 } else { 5 }));
        group.bench_with_input(
            BenchmarkId::from_parameter(label),
            set,
            |b, set| {
                b.iter_with_large_drop(|| {
                    let t = Tagger::new(black_box(set)).expect("builds");
                    assert!(t.pattern_count() >= set.entities().len());
                    t
                })
            },
        );
    }
    group.finish();

    let bytes = data.corpus.bytes() as u64;
    let mut group = c.benchmark_group("tag");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    for ((label, set), (_, g)) in sets.iter().zip(&data.gazetteers) {
        let tagger = Tagger::new(set).expect("builds");
        let mut scratch = Scratch::new();
        let expected =
            count_mentions(&tagger, &mut scratch, &data.corpus.docs);
        let planted = data.corpus.planted_in(g);
        // Each planted name the gazetteer knows is one mention (a longer
        // alias may cover it); within-document resolution may add a few.
        assert!(
            expected >= planted * 9 / 10
                && expected <= data.corpus.planted.len() * 2,
            "{label}: {expected} mentions for {planted} planted names"
        );
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(4));
        group.bench_function(BenchmarkId::from_parameter(label), |b| {
            b.iter(|| {
                let n = count_mentions(
                    &tagger,
                    &mut scratch,
                    black_box(&data.corpus.docs),
                );
                assert_eq!(n, expected, "{label}: mention count changed");
                n
            })
        });
    }
    group.finish();
}

criterion_group!(tag, benches);
criterion_main!(tag);
