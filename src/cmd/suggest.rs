//! `gaztag suggest`: keywords for a topic from labelled documents.

use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use gaztag::eval::topics::{label_name, read_topic_gold};
use gaztag::suggest::{
    CSV_HEADER, ExistingKeywords, LabelledCounts, SuggestOptions,
};

use super::GazetteerArgs;

/// Suggest keywords for a topic from labelled documents: the words and
/// two-word phrases that best separate a label's documents from the rest,
/// as lines to paste into a `[[topic]]` `keywords = [...]` array.
///
/// GOLD is JSON Lines (`id`, `text` and a label field, as for `eval
/// --topics`); documents with a null label count only as the rest. Terms
/// are folded (lower case, no accents); numbers, one-letter words and
/// stopwords are left out, and so are phrases that start or end with a
/// stopword. A term needs --min-count documents in the label; terms are
/// ranked by the z-score of their smoothed log-odds ratio (label against
/// the rest), and the proposed weight grows with the share of the term's
/// documents that have the label: 0.5 below 20 %, then 0.5 more per 20 %,
/// 3.0 when every one has it.
///
/// Terms that are keywords of a topic in the selected gazetteers already
/// (the built-ins unless --no-builtin) are marked `already in topic ID`,
/// or left out with --new-only.
///
/// Examples:
///   gaztag suggest --gold labelled.jsonl --label sport
///   gaztag suggest --gold ../shared/data/topics/huffpost/train.jsonl \
///       --label-field iptc --label medtop:15000000 --top 20
///   gaztag suggest --gold labelled.jsonl --format csv > terms.csv
///
/// Exit status: 0 written, 2 bad input or an unknown --label.
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct SuggestArgs {
    /// Labelled documents: JSON Lines with `id`, `text` and a label (`-`
    /// is standard input).
    #[arg(long, value_name = "GOLD")]
    gold: PathBuf,
    /// The field holding the label.
    #[arg(long, default_value = "label", value_name = "NAME")]
    label_field: String,
    /// The label to suggest terms for; default: every label, each in a
    /// block of its own.
    #[arg(long, value_name = "VALUE")]
    label: Option<String>,
    /// Documents of the label a term needs at least.
    #[arg(long, default_value_t = 3, value_name = "N")]
    min_count: usize,
    /// Terms per label.
    #[arg(long, default_value_t = 40, value_name = "N")]
    top: usize,
    /// Leave out terms that are keywords of a topic already.
    #[arg(long)]
    new_only: bool,
    /// `toml`: lines for a `keywords` array; `csv`: label, term,
    /// docs_in_label, docs_total, precision, score, weight, existing_topic.
    #[arg(long, value_enum, default_value_t = FormatArg::Toml)]
    format: FormatArg,
    #[command(flatten)]
    gazetteers: GazetteerArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormatArg {
    Toml,
    Csv,
}

pub fn run(args: SuggestArgs) -> Result<ExitCode> {
    let reader: Box<dyn BufRead> = if args.gold.as_os_str() == "-" {
        anyhow::ensure!(
            !args.gazetteers.reads_stdin(),
            "standard input can be read once: give --gold or -g a file"
        );
        Box::new(io::BufReader::new(io::stdin().lock()))
    } else {
        let f = std::fs::File::open(&args.gold)
            .with_context(|| format!("cannot open {}", args.gold.display()))?;
        Box::new(io::BufReader::new(f))
    };
    let gold = match read_topic_gold(&args.gold, reader, &args.label_field) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("gaztag: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let counts = LabelledCounts::from_documents(
        gold.iter().map(|g| (g.text.as_str(), g.label.as_deref())),
    );
    let all = counts.labels();
    let labels: Vec<(&str, usize)> = match &args.label {
        None => all.clone(),
        Some(l) => match all.iter().find(|(x, _)| x == l) {
            Some(&found) => vec![found],
            None => {
                let mut known: Vec<&str> =
                    all.iter().take(20).map(|(l, _)| *l).collect();
                if all.len() > known.len() {
                    known.push("...");
                }
                eprintln!(
                    "gaztag: {}: no document has {} = {l:?}; its labels: {}",
                    args.gold.display(),
                    args.label_field,
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                );
                return Ok(ExitCode::from(2));
            }
        },
    };
    let set = match args.gazetteers.load() {
        Ok(set) => set,
        Err(e) => {
            return super::report_gazetteer_error(e, "nothing was suggested");
        }
    };
    let existing = ExistingKeywords::from_topics(set.topics());
    let opts = SuggestOptions {
        min_count: args.min_count,
        top: args.top,
        new_only: args.new_only,
    };

    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        FormatArg::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(CSV_HEADER)?;
            for (label, _) in &labels {
                for s in counts.suggest(label, &opts, &existing) {
                    w.write_record(s.csv_record())?;
                }
            }
            w.flush()?;
        }
        FormatArg::Toml => {
            let labelled: usize = all.iter().map(|(_, n)| n).sum();
            writeln!(
                out,
                "# gaztag suggest: {}: {} documents, {} labelled ({} labels \
                 in `{}`); terms in at least {} documents of the label, \
                 best first",
                args.gold.display(),
                counts.documents(),
                labelled,
                all.len(),
                args.label_field,
                args.min_count
            )?;
            for (label, n) in &labels {
                let found = counts.suggest(label, &opts, &existing);
                let name = label_name(label);
                writeln!(out)?;
                writeln!(
                    out,
                    "# {label}{}: {n} documents, {} terms",
                    if name.is_empty() {
                        String::new()
                    } else {
                        format!(" ({name})")
                    },
                    found.len()
                )?;
                writeln!(out, "keywords = [")?;
                for s in &found {
                    writeln!(out, "{}", s.toml_line())?;
                }
                writeln!(out, "]")?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
