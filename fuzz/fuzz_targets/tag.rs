//! Tags arbitrary bytes (as UTF-8, lossily) with a fixed gazetteer full of
//! tricky names, and checks every invariant of the mentions, in both the
//! default and the overlapping mode, and of the CSV rows.

#![no_main]

use std::sync::LazyLock;

use gaztag::input::Document;
use gaztag::output::{CsvOptions, render};
use gaztag::{GazetteerSet, Tagger};
use libfuzzer_sys::fuzz_target;

/// Names that exercise folding: accents, ß, İ, ligatures, curly
/// apostrophes, non-breaking hyphens, other scripts, acronyms, digits.
const GAZETTEER: &str = include_str!("../tricky.toml");

static TAGGERS: LazyLock<(Tagger, Tagger)> = LazyLock::new(|| {
    let set = GazetteerSet::from_toml("tricky.toml", GAZETTEER)
        .expect("the fuzz gazetteer is valid");
    let plain = Tagger::new(&set).expect("builds");
    let overlapping =
        Tagger::builder().overlapping(true).build(&set).expect("builds");
    (plain, overlapping)
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (plain, overlapping) = &*TAGGERS;
    let tags = gaztag_fuzz::tag_and_check(plain, &text);
    gaztag_fuzz::check_disjoint(&tags);
    let all = gaztag_fuzz::tag_and_check(overlapping, &text);
    // The default mentions are a subset of the overlapping ones.
    for m in &tags.mentions {
        assert!(
            all.mentions.iter().any(|o| (o.start, o.end) == (m.start, m.end)),
            "{m:?} missing in overlapping mode"
        );
    }
    // Rows read back with one field per column.
    let doc = Document {
        id: text.chars().take(40).collect(),
        text: Ok(text.to_string()),
        skipped: false,
    };
    let r = render(plain, &doc, Some(&tags), CsvOptions::default());
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(r.mentions.as_slice());
    let mut rows = 0;
    for rec in rd.records() {
        let rec = rec.expect("valid CSV");
        assert_eq!(rec.len(), gaztag::output::MENTION_COLUMNS.len());
        rows += 1;
    }
    assert_eq!(rows, tags.mentions.len());
});
