//! `gaztag eval`: score mentions against gold spans.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use gaztag::Tagger;
use gaztag::eval::{
    Gold, GoldFormat, GoldOptions, OffsetUnit, RowSpec, TypeMap, evaluate,
    read_spans_csv, tag_documents_skipping,
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
///   gaztag eval --topics --gold ../shared/data/topics/huffpost/dev.jsonl --label-field iptc
///
/// With --topics, GOLD is JSON Lines of labelled documents (`id`, `text`,
/// and a label field holding a topic id or an IPTC Media Topics code;
/// null = no counterpart: never right or wrong, but its predictions count
/// against precision). The documents are tagged, each predicted topic is
/// rolled up to the gold scheme (through its `iptc` attribute and the IPTC
/// tree), and the report gives coverage, top-1 and any-rank accuracy,
/// precision, recall and F1 per label and their macro mean, and the
/// confusions of the top-ranked topic.
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
    /// `table`: aligned text with the lists; `csv`: the scores only;
    /// `json` (with --topics): every figure.
    #[arg(long, value_enum, default_value_t = OutputArg::Table)]
    format: OutputArg,
    /// Score topic labels instead of mentions: GOLD is JSON Lines with
    /// `id`, `text` and a label (a topic id or an IPTC code, or null).
    #[arg(long)]
    topics: bool,
    /// With --topics: the field holding the label.
    #[arg(long, default_value = "label", value_name = "NAME")]
    label_field: String,
    /// Leave out predicted mentions found through this form (repeatable):
    /// `demonym`, `abbreviation`, `former`, `alias`, ... (the `via`
    /// column), for a gold set that does not mark demonyms as places.
    #[arg(long = "skip-via", value_name = "VIA")]
    skip_via: Vec<String>,
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
    Json,
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    if args.topics {
        return topics(&args);
    }
    anyhow::ensure!(
        !matches!(args.format, OutputArg::Json),
        "--format json is for --topics; mention scores come as table or csv"
    );
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
            let mut spans = file.spans;
            if !args.skip_via.is_empty() {
                let mut vias = file.vias.iter();
                spans.retain(|_| {
                    let via = vias.next().map_or("", String::as_str);
                    !args.skip_via.iter().any(|v| v == via)
                });
            }
            spans
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
            let spans = tag_documents_skipping(
                &tagger,
                &gold.documents,
                &args.skip_via,
            );
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
        OutputArg::Csv | OutputArg::Json => {
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

/// `eval --topics`.
fn topics(args: &EvalArgs) -> Result<ExitCode> {
    use gaztag::eval::topics::{evaluate_topics, label_name, read_topic_gold};
    let file = std::fs::File::open(&args.gold)
        .with_context(|| format!("cannot open {}", args.gold.display()))?;
    let gold = match read_topic_gold(
        &args.gold,
        io::BufReader::new(file),
        &args.label_field,
    ) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("gaztag: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let set = match args.gazetteers.load_with_sources() {
        Ok(l) => l.set,
        Err(e) => {
            return super::report_gazetteer_error(e, "nothing was scored");
        }
    };
    let tagger = Tagger::builder().build_owned(set)?;
    let r = evaluate_topics(&tagger, &gold);
    let (coverage, top1, any) = r.rates();
    let mut out = io::stdout().lock();
    match args.format {
        OutputArg::Json => {
            let labels: Vec<serde_json::Value> = r
                .per_label
                .keys()
                .map(|l| {
                    let (p, rec, f) = r.prf(l);
                    let (tp, fp, fn_) = r.per_label[l];
                    serde_json::json!({"label": l, "name": label_name(l), "precision": p,
                        "recall": rec, "f1": f, "tp": tp, "fp": fp, "fn": fn_})
                })
                .collect();
            let confusion: Vec<serde_json::Value> = r
                .confusion
                .iter()
                .map(|((g, p), n)| serde_json::json!({"gold": g, "predicted": p, "documents": n}))
                .collect();
            let v = serde_json::json!({
                "documents": r.documents, "labelled": r.labelled,
                "coverage": coverage, "top1": top1, "any_rank": any,
                "macro_f1": r.macro_f1(), "labels": labels, "confusion": confusion,
            });
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        OutputArg::Csv => {
            writeln!(out, "label,name,precision,recall,f1,tp,fp,fn")?;
            let mut w = csv::Writer::from_writer(&mut out);
            for l in r.per_label.keys() {
                let (p, rec, f) = r.prf(l);
                let (tp, fp, fn_) = r.per_label[l];
                w.write_record([
                    l.clone(),
                    label_name(l),
                    format!("{p:.3}"),
                    format!("{rec:.3}"),
                    format!("{f:.3}"),
                    tp.to_string(),
                    fp.to_string(),
                    fn_.to_string(),
                ])?;
            }
            w.write_record([
                "(all)".to_string(), format!("coverage {coverage:.3}; top-1 {top1:.3}; any rank {any:.3}"),
                String::new(), String::new(), format!("{:.3}", r.macro_f1()),
                String::new(), String::new(), String::new(),
            ])?;
            w.flush()?;
        }
        OutputArg::Table => {
            writeln!(
                out,
                "gold: {}: {} documents, {} labelled ({} labels)\n",
                args.gold.display(),
                r.documents,
                r.labelled,
                r.gold_labels().len()
            )?;
            writeln!(out, "coverage (a topic at all)  {coverage:.3}")?;
            writeln!(out, "top-1 accuracy             {top1:.3}")?;
            writeln!(out, "accuracy at any rank       {any:.3}")?;
            writeln!(out, "macro F1 (gold labels)     {:.3}\n", r.macro_f1())?;
            writeln!(
                out,
                "{:<18} {:<38} {:>6} {:>6} {:>6} {:>6}",
                "label", "name", "P", "R", "F1", "gold"
            )?;
            for l in r.per_label.keys() {
                let (p, rec, f) = r.prf(l);
                let (tp, _, fn_) = r.per_label[l];
                let mut name = label_name(l);
                name.truncate(38);
                writeln!(
                    out,
                    "{l:<18} {name:<38} {p:>6.3} {rec:>6.3} {f:>6.3} {:>6}",
                    tp + fn_
                )?;
            }
            let mut conf: Vec<_> =
                r.confusion.iter().filter(|((g, p), _)| g != p).collect();
            conf.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            writeln!(
                out,
                "\nlargest confusions (gold -> top-ranked prediction), top {}:",
                args.top
            )?;
            for ((g, p), n) in conf.into_iter().take(args.top) {
                writeln!(out, "  {n:>6}  {g} -> {p}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
