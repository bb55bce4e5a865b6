//! Writes the generated benchmark data into a folder:
//!
//! - `gaz-SIZE.toml`: a gazetteer of SIZE names (`--sizes 1k,20k,200k,1m`),
//!   `gaz-SIZE.d/`: the same split into files of `--split` entities, and
//!   `aliases-SIZE.txt`: the same names, one per line;
//! - `corpus.jsonl`: news-like documents (`{"id": .., "text": ..}` per
//!   line) of about `--corpus-mb` MB, including `--long-docs` documents of
//!   `--long-mb` MB each;
//! - `long.txt`: one document of about `--single-mb` MB;
//! - `docs/`: about `--folder-mb` MB of short documents, one `.txt` each;
//! - `meta.json`: sizes, counts and the number of planted names each
//!   gazetteer knows.
//!
//! Usage: datagen --out DIR [--seed N] [--sizes 1k,20k] [--split 100]
//!        [--corpus-mb 100] [--long-docs 4] [--long-mb 4] [--single-mb 64]
//!        [--folder-mb 16]
//!
//! A size of 0 MB leaves that output out.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

#[path = "../../../support/datagen.rs"]
#[allow(dead_code)]
mod datagen;

use datagen::{CorpusSpec, CorpusWriter, Gazetteer, Universe};

struct Args {
    out: PathBuf,
    seed: u64,
    sizes: Vec<(String, usize)>,
    corpus_mb: f64,
    long_docs: usize,
    long_mb: f64,
    single_mb: f64,
    folder_mb: f64,
    split: usize,
}

fn size(label: &str) -> usize {
    let l = label.to_ascii_lowercase();
    let (num, mul) = match l.strip_suffix('k') {
        Some(n) => (n, 1_000),
        None => match l.strip_suffix('m') {
            Some(n) => (n, 1_000_000),
            None => (l.as_str(), 1),
        },
    };
    num.parse::<usize>().unwrap_or_else(|_| die(&format!("bad size {label}")))
        * mul
}

fn die(msg: &str) -> ! {
    eprintln!("datagen: {msg}");
    std::process::exit(2)
}

fn parse() -> Args {
    let mut a = Args {
        out: PathBuf::new(),
        seed: datagen::SEED,
        sizes: ["1k", "20k", "200k", "1m"]
            .iter()
            .map(|s| (s.to_string(), size(s)))
            .collect(),
        corpus_mb: 100.0,
        long_docs: 4,
        long_mb: 4.0,
        single_mb: 64.0,
        folder_mb: 16.0,
        split: 100,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || {
            it.next().unwrap_or_else(|| die(&format!("{flag} needs a value")))
        };
        let num = |v: String| -> f64 {
            v.parse().unwrap_or_else(|_| die(&format!("bad number {v}")))
        };
        match flag.as_str() {
            "--out" => a.out = PathBuf::from(val()),
            "--seed" => a.seed = num(val()) as u64,
            "--sizes" => {
                a.sizes = val()
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| (s.to_ascii_lowercase(), size(s)))
                    .collect()
            }
            "--corpus-mb" => a.corpus_mb = num(val()),
            "--long-docs" => a.long_docs = num(val()) as usize,
            "--long-mb" => a.long_mb = num(val()),
            "--single-mb" => a.single_mb = num(val()),
            "--folder-mb" => a.folder_mb = num(val()),
            "--split" => a.split = num(val()) as usize,
            "-h" | "--help" => {
                println!(
                    "datagen --out DIR [--seed N] [--sizes 1k,20k,200k,1m] [--split 100] [--corpus-mb 100] \
                     [--long-docs 4] [--long-mb 4] [--single-mb 64] [--folder-mb 16]"
                );
                std::process::exit(0)
            }
            other => die(&format!("unknown argument {other}")),
        }
    }
    if a.out.as_os_str().is_empty() {
        die("--out DIR is required");
    }
    a
}

fn mb(x: f64) -> usize {
    (x * 1e6) as usize
}

fn main() -> std::io::Result<()> {
    let args = parse();
    fs::create_dir_all(&args.out)?;
    let universe = Universe::new(args.seed);
    let mut meta = String::from("{\n");
    let _ = writeln!(meta, "  \"seed\": {},", args.seed);

    // Gazetteers: build the largest, write prefixes.
    let largest = args.sizes.iter().map(|s| s.1).max().unwrap_or(0);
    let all = Gazetteer::new(&universe, largest);
    let mut gazetteers = Vec::new();
    for (label, n) in &args.sizes {
        let g = all.prefix(*n);
        fs::write(args.out.join(format!("gaz-{label}.toml")), g.to_toml())?;
        let dir = args.out.join(format!("gaz-{label}.d"));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        if args.split > 0 {
            fs::create_dir_all(&dir)?;
            let n = g.entities.len();
            for (i, from) in (0..n).step_by(args.split).enumerate() {
                let to = (from + args.split).min(n);
                fs::write(
                    dir.join(format!("{i:05}.toml")),
                    g.toml_range(from, to),
                )?;
            }
        }
        fs::write(
            args.out.join(format!("aliases-{label}.txt")),
            g.alias_lines(),
        )?;
        eprintln!(
            "datagen: gaz-{label}.toml: {} entities, {} names",
            g.entities.len(),
            g.names
        );
        gazetteers.push((label.clone(), g));
    }

    // corpus.jsonl: short documents with the long ones spread among them.
    let spec = CorpusSpec {
        seed: args.seed ^ 0xc0,
        short_bytes: mb(args.corpus_mb)
            .saturating_sub(args.long_docs * mb(args.long_mb)),
        long_docs: if args.corpus_mb > 0.0 { args.long_docs } else { 0 },
        long_bytes: mb(args.long_mb),
        ..CorpusSpec::default()
    };
    let mut planted = Vec::new();
    let mut w = CorpusWriter::new(&universe, &spec);
    let mut out = BufWriter::with_capacity(
        1 << 20,
        fs::File::create(args.out.join("corpus.jsonl"))?,
    );
    let (mut docs, mut bytes, mut short) = (0usize, 0usize, 0usize);

    let every = spec.short_bytes / (spec.long_docs + 1);
    let mut next_long = every;
    let mut long_left = spec.long_docs;
    let mut line = String::new();
    while short < spec.short_bytes || long_left > 0 {
        let text = if long_left > 0
            && (short >= next_long || short >= spec.short_bytes)
        {
            long_left -= 1;
            next_long += every;
            w.document(spec.long_bytes, &mut planted)
        } else {
            let t = w.short_length();
            let d = w.document(t, &mut planted);
            short += d.len();
            d
        };
        docs += 1;
        bytes += text.len();
        line.clear();
        let _ = write!(line, "{{\"id\":\"n{docs:07}\",\"text\":");
        datagen::json_string(&text, &mut line);
        line.push_str("}\n");
        out.write_all(line.as_bytes())?;
    }
    out.flush()?;
    let _ = writeln!(
        meta,
        "  \"corpus_docs\": {docs},\n  \"corpus_bytes\": {bytes},"
    );
    let _ = writeln!(meta, "  \"corpus_planted\": {},", planted.len());
    meta.push_str("  \"corpus_planted_in\": {");
    for (i, (label, g)) in gazetteers.iter().enumerate() {
        let n = planted.iter().filter(|&&p| u64::from(p) < g.covers).count();
        let _ =
            write!(meta, "{}\"{label}\": {n}", if i > 0 { ", " } else { "" });
    }
    meta.push_str("},\n");
    eprintln!(
        "datagen: corpus.jsonl: {docs} documents, {bytes} bytes, {} names planted",
        planted.len()
    );

    // long.txt: one large document.
    let spec_long = CorpusSpec { seed: args.seed ^ 0x10, ..spec.clone() };
    let mut planted_long = Vec::new();
    if args.single_mb > 0.0 {
        let text = CorpusWriter::new(&universe, &spec_long)
            .document(mb(args.single_mb), &mut planted_long);
        fs::write(args.out.join("long.txt"), &text)?;
        let _ = writeln!(meta, "  \"long_bytes\": {},", text.len());
    }

    // docs/: a folder of short text files.
    let dir = args.out.join("docs");
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::create_dir_all(&dir)?;
    let spec_dir = CorpusSpec { seed: args.seed ^ 0xd0, ..spec.clone() };
    let mut w = CorpusWriter::new(&universe, &spec_dir);
    let (mut n, mut dbytes) = (0usize, 0usize);
    let mut sink = Vec::new();
    while dbytes < mb(args.folder_mb) {
        let t = w.short_length();
        let d = w.document(t, &mut sink);
        n += 1;
        dbytes += d.len();
        fs::write(dir.join(format!("{n:06}.txt")), d)?;
    }
    let _ = writeln!(
        meta,
        "  \"folder_docs\": {n},\n  \"folder_bytes\": {dbytes}\n}}"
    );
    fs::write(args.out.join("meta.json"), meta)?;
    eprintln!(
        "datagen: long.txt and docs/ ({n} files) written to {}",
        args.out.display()
    );
    Ok(())
}
