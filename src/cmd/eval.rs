//! `gaztag eval`: score mentions against gold spans.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use gaztag::Tagger;
use gaztag::eval::{
    Gold, GoldFormat, GoldOptions, OffsetUnit, RowSpec, TypeMap, evaluate,
    read_spans_csv, tag_documents,
};

use super::GazetteerArgs;

/// Score entity mentions against gold spans: precision, recall and F1 per
/// type, with exact and overlap matching, plus the worst misses and false
/// alarms.
///
/// GOLD is a CSV file (doc_id,start,end,type; character offsets, end
/// exclusive), a re3d folder (documents.json + entities.json, or a folder of
/// such folders), or a CoNLL-style IOB file. Without MENTIONS.csv the gold
/// documents (re3d, CoNLL) are tagged with the selected gazetteers.
///
/// Rows (--row NAME=PREDICTED[:GOLD[:ALSO]], comma-separated types, case
/// ignored) replace or add to the defaults:
///   country=country::Location,LOC,Nationality
///   city=city::Location,LOC
///   organization=organization,organisation:Organisation,Organization,ORG
///   person=person:Person,PER
///   location=country,city,location,place,region,...:Location,LOC:Nationality
/// GOLD is the recall base; ALSO are gold types a prediction may match
/// without counting in recall. A row without GOLD has no recall (`-`).
///
/// Examples:
///   gaztag eval --gold ../shared/data/eval/re3d
///   gaztag eval --gold gold.csv out/mentions.csv
///   gaztag tag docs/ | gaztag eval --gold gold.csv -
///   gaztag eval --gold re3d/ --format csv > scores.csv
///   gaztag eval --gold re3d/ --row person=person,official:Person
///
/// Exit status: 0 scored, 2 bad input (the message names file and line).
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct EvalArgs {
    /// Gold spans: a CSV file, a re3d folder, or a CoNLL file.
    #[arg(long, value_name = "GOLD")]
    gold: PathBuf,
    /// Mentions to score (CSV with doc_id,start,end,type, as `gaztag tag`
    /// writes it; `-` is standard input). Default: tag the gold documents.
    #[arg(value_name = "MENTIONS.csv")]
    mentions: Option<PathBuf>,
    #[command(flatten)]
    gazetteers: GazetteerArgs,
    /// The gold layout; `auto` goes by folder or file extension.
    #[arg(long, value_enum, default_value_t = GoldFormatArg::Auto)]
    gold_format: GoldFormatArg,
    /// re3d: leave out gold entities with a lower confidence (re3d keeps
    /// rejected candidate labels with confidence 0).
    #[arg(long, default_value_t = 0.5, value_name = "X")]
    min_confidence: f64,
    /// re3d: the unit of begin/end; `auto` picks the one under which the
    /// entity values equal the text.
    #[arg(long, value_enum, default_value_t = OffsetsArg::Auto)]
    offsets: OffsetsArg,
    /// Replace or add a report row (repeatable); see above.
    #[arg(long = "row", value_name = "SPEC")]
    rows: Vec<RowSpec>,
    /// Entries shown in each list of misses and false alarms.
    #[arg(long, default_value_t = 15, value_name = "N")]
    top: usize,
    /// `table`: aligned text with the lists; `csv`: the scores only.
    #[arg(long, value_enum, default_value_t = OutputArg::Table)]
    format: OutputArg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum GoldFormatArg {
    Auto,
    Csv,
    Re3d,
    Conll,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OffsetsArg {
    Auto,
    Char,
    Utf16,
    Byte,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OutputArg {
    Table,
    Csv,
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let opts = GoldOptions {
        format: match args.gold_format {
            GoldFormatArg::Auto => GoldFormat::Auto,
            GoldFormatArg::Csv => GoldFormat::Csv,
            GoldFormatArg::Re3d => GoldFormat::Re3d,
            GoldFormatArg::Conll => GoldFormat::Conll,
        },
        min_confidence: args.min_confidence,
        offsets: match args.offsets {
            OffsetsArg::Auto => None,
            OffsetsArg::Char => Some(OffsetUnit::Char),
            OffsetsArg::Utf16 => Some(OffsetUnit::Utf16),
            OffsetsArg::Byte => Some(OffsetUnit::Byte),
        },
    };
    let gold = Gold::load(&args.gold, &opts)?;
    let mut map = TypeMap::re3d();
    for r in &args.rows {
        map.set(r.clone());
    }

    let mut header = Vec::new();
    header.push(describe_gold(&args, &gold));
    for c in &gold.offset_checks {
        let [ch, u16, by] = c.agree;
        let mut line = format!(
            "offsets in {}: read as {} ({}); of {} entity values, {} equal \
             the text at begin..end as characters, {} as UTF-16 units, {} as \
             bytes; {} mismatch(es)",
            c.source.display(),
            c.unit.name(),
            if c.detected { "detected" } else { "as asked" },
            c.entities,
            ch,
            u16,
            by,
            c.mismatches
        );
        if !c.examples.is_empty() {
            line.push_str(&format!(", e.g. {}", c.examples.join("; ")));
        }
        header.push(line);
    }

    let predicted = match &args.mentions {
        Some(path) => {
            let file = if path.as_os_str() == "-" {
                read_spans_csv(path, io::stdin().lock(), &gold.documents)?
            } else {
                let f = std::fs::File::open(path).with_context(|| {
                    format!("cannot open {}", path.display())
                })?;
                read_spans_csv(path, io::BufReader::new(f), &gold.documents)?
            };
            let mut line = format!(
                "predicted: {} mentions from {}",
                file.spans.len(),
                path.display()
            );
            if file.unknown_documents > 0 {
                line.push_str(&format!(
                    "; {} rows of documents not in the gold left out",
                    file.unknown_documents
                ));
                eprintln!(
                    "gaztag: {}: {} rows name documents that are not in the gold; left out",
                    path.display(),
                    file.unknown_documents
                );
            }
            header.push(line);
            file.spans
        }
        None => {
            anyhow::ensure!(
                !gold.documents.is_empty(),
                "{}: the gold holds no document text to tag; give a \
                 MENTIONS.csv to score",
                args.gold.display()
            );
            let set = match args.gazetteers.load() {
                Ok(set) => set,
                Err(err) => {
                    return super::report_gazetteer_error(
                        err,
                        "nothing was scored",
                    );
                }
            };
            let tagger = Tagger::new(&set)?;
            let spans = tag_documents(&tagger, &gold.documents);
            let names: usize = set.files().iter().map(|f| f.names).sum();
            header.push(format!(
                "predicted: {} mentions, tagged by gaztag with {} \
                 gazetteer files ({} entities, {} names{})",
                spans.len(),
                set.files().len(),
                set.entities().len(),
                names,
                if args.gazetteers.no_builtin {
                    ""
                } else {
                    ", built-ins included"
                }
            ));
            spans
        }
    };

    let report = evaluate(&gold.spans, &predicted, &map);
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        OutputArg::Table => {
            for line in &header {
                writeln!(out, "{line}")?;
            }
            writeln!(out)?;
            report.write_table(&mut out, args.top)?;
        }
        OutputArg::Csv => {
            for line in &header {
                eprintln!("{line}");
            }
            report.write_csv(&mut out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn describe_gold(args: &EvalArgs, gold: &Gold) -> String {
    let format = match gold.format {
        GoldFormat::Csv => "CSV",
        GoldFormat::Re3d => "re3d",
        GoldFormat::Conll => "CoNLL",
        GoldFormat::Auto => "auto",
    };
    let mut s = format!(
        "gold: {} ({format}): {} spans",
        args.gold.display(),
        gold.spans.len()
    );
    if !gold.documents.is_empty() {
        s.push_str(&format!(" in {} documents", gold.documents.len()));
    }
    if gold.format == GoldFormat::Re3d {
        s.push_str(&format!(
            "; {} entities with confidence below {} left out",
            gold.below_confidence, args.min_confidence
        ));
    }
    s
}
