//! Loads arbitrary bytes as a gazetteer file. Loading must never panic;
//! when the file is accepted, the tagger must build and tag its own text
//! (and a few fixed sentences) with every invariant holding.

#![no_main]

use gaztag::{GazetteerLoader, Tagger};
use libfuzzer_sys::fuzz_target;

const TEXTS: &[&str] = &[
    "The US and Pakistan met in Côte d’Ivoire; TTP, İstanbul, Straße.",
    "a b c  d\te\nf — g’h 1 2 3",
];

fuzz_target!(|data: &[u8]| {
    // The loader takes text; non-UTF-8 files are refused before parsing
    // (a test covers that), so lossy decoding loses nothing here.
    let text = String::from_utf8_lossy(data);
    let mut loader = GazetteerLoader::new();
    loader.add_str("fuzz.toml", &text);
    let Ok(set) = loader.load() else { return };
    let tagger = Tagger::new(&set).expect("an accepted set builds");
    for t in TEXTS.iter().copied().chain([text.as_ref()]) {
        let tags = gaztag_fuzz::tag_and_check(&tagger, t);
        gaztag_fuzz::check_disjoint(&tags);
    }
});
