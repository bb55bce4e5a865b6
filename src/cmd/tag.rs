//! `gaztag tag`: tag documents and write the CSV tables.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use gaztag::Tagger;
use gaztag::input::{Documents, InputFormat, InputOptions};
use gaztag::output::{CsvOptions, Format, Sink, Style, Table};
use gaztag::pipeline::{self, RunOptions};

use super::{GazetteerArgs, progress};

/// Tag documents: entity mentions, topic labels, a status row per document.
///
/// Inputs are files, folders (recursive, sorted) or `-` for standard input
/// (the default). `.jsonl`/`.ndjson` files hold one JSON document per line,
/// `.csv` files one per record; anything else is one text document.
/// Below a folder, only text files are read: .txt .text .md .markdown
/// .jsonl .ndjson .csv .tsv .html .htm, and files without an extension
/// whose start is UTF-8 text; the others (.toml, images, ...) get a
/// `skipped` row in documents.csv with the reason. --include and --exclude
/// globs change which files are read.
///
/// On a terminal, a run that lasts over a second shows a progress bar on
/// standard error (documents, MB, rate, and the time left when the input
/// size is known). A one-line summary ends every run unless --quiet.
///
/// Examples:
///   gaztag tag examples/articles/               # mentions table on stdout
///   gaztag tag corpus/ news.jsonl --out-dir out/
///   cat article.txt | gaztag tag -
///   gaztag tag corpus/ -g my-gazetteers/ --out-dir out/
///   gaztag tag news.csv --text-field body --id-field url --table topics
///
/// Stream mode (--stream), for Spark `TRANSFORM ... USING`, `RDD.pipe` and
/// other streaming mappers: JSONL documents on standard input, one CSV
/// record per line on standard output, no header, in input order. The
/// first field is the row kind, followed by the columns of its table:
///   m,<mentions.csv columns>    one per mention
///   t,<topics.csv columns>      one per topic label
///   d,<documents.csv columns>   one per document, last; status ok|error
/// Inside every field, backslash, line feed, carriage return and tab are
/// written as \\, \n, \r and \t, so a record never spans two lines;
/// undo this to get the cells of the --out-dir tables. One thread unless -j.
///   gaztag tag --stream -q -g gaz < docs.jsonl > rows.csv
///
/// Exit status: 0 all documents tagged, 1 some failed (see documents.csv),
/// 2 usage or gazetteer error. With --stream: 0 when every document has its
/// `d` row (failed ones included), 2 when gaztag itself fails.
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct TagArgs {
    /// Files or folders to tag; `-` is standard input.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    gazetteers: GazetteerArgs,
    /// Write mentions.csv, topics.csv and documents.csv into this folder
    /// (created if missing; files appear only when complete).
    #[arg(short, long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Without --out-dir: the table written to standard output.
    #[arg(long, value_enum, default_value_t = TableArg::Mentions)]
    table: TableArg,
    /// How to read inputs; `auto` goes by file extension.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    input_format: FormatArg,
    /// JSONL/CSV field holding the document id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    id_field: String,
    /// JSONL/CSV field holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_field: String,
    /// Below a folder, read the files matching this glob (matched against
    /// the path relative to the folder and against the file name), instead
    /// of text files only (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// With --out-dir: also write the run's HTML report to this file (see
    /// `gaztag report`).
    #[arg(long, value_name = "FILE", requires = "out_dir")]
    report: Option<PathBuf>,
    /// Below a folder, leave out the files matching this glob (repeatable;
    /// wins over --include).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Report nested and overlapping mentions too.
    #[arg(long)]
    overlapping: bool,
    /// Keep place names found inside a longer name, known or not (`United
    /// States` in `United States Navy`, `Minsk` in `Dynamo Minsk`), marked
    /// `inside_name=true` with the longer name's span in `enclosing`; by
    /// default they are dropped.
    #[arg(long)]
    keep_inside_names: bool,
    /// Plain gazetteer matching: no partial-name or in-text acronym
    /// resolution, and place names inside longer names are kept.
    #[arg(long)]
    no_resolve: bool,
    /// Worker threads (0 = one per core; default 0, or 1 with --stream).
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
    /// Do not neutralise formula-like cells (=, +, -, @) with a leading '.
    #[arg(long)]
    raw_csv: bool,
    /// Table format: csv, tsv (tab-separated, quoted like CSV), or jsonl
    /// (one JSON object per row, no header, never neutralised). With
    /// --out-dir the files are named mentions.tsv, mentions.jsonl...
    #[arg(long, value_enum, default_value_t = OutputArg::Csv)]
    format: OutputArg,
    /// Start each CSV/TSV table with a UTF-8 byte-order mark, so that Excel
    /// reads it as UTF-8.
    #[arg(long)]
    bom: bool,
    /// Without --out-dir: leave out the header row.
    #[arg(long)]
    no_header: bool,
    /// No progress bar, summary or warnings on standard error.
    #[arg(short, long)]
    quiet: bool,
    /// Streaming mapper mode: JSONL on standard input, `m`/`t`/`d` rows on
    /// standard output, one record per line (see above).
    #[arg(long, conflicts_with_all = [
        "paths", "out_dir", "table", "input_format", "format", "bom",
    ])]
    stream: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OutputArg {
    Csv,
    Tsv,
    Jsonl,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum TableArg {
    Mentions,
    Topics,
    Documents,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormatArg {
    Auto,
    Text,
    Jsonl,
    Csv,
}

pub fn run(args: TagArgs) -> Result<ExitCode> {
    let docs_from_stdin = args.paths.is_empty()
        || args.paths.iter().any(|p| p.as_os_str() == "-");
    anyhow::ensure!(
        !(docs_from_stdin && args.gazetteers.reads_stdin()),
        "standard input cannot hold both a gazetteer (`-g -`) and the \
         documents; name the documents"
    );
    let super::Loaded { set, sources } = match args
        .gazetteers
        .load_with_sources()
    {
        Ok(loaded) => loaded,
        Err(err) => {
            return super::report_gazetteer_error(err, "nothing was tagged");
        }
    };
    if !args.quiet {
        let own: Vec<_> = set
            .warnings()
            .iter()
            .filter(|w| !w.location.path.starts_with("<builtin>"))
            .cloned()
            .collect();
        super::diag::eprint(&own, Some(&sources));
    }
    let tagger = Tagger::builder()
        .overlapping(args.overlapping)
        .keep_inside_names(args.keep_inside_names || args.no_resolve)
        .resolve_partial_names(!args.no_resolve)
        .resolve_acronyms(!args.no_resolve)
        .build_owned(set)?;
    if args.stream {
        return stream(&args, &tagger);
    }
    let input = input_options(&args);
    if let Err(e) = gaztag::input::check_globs(&input) {
        anyhow::bail!("{e}");
    }
    let style = Style {
        format: match args.format {
            OutputArg::Csv => Format::Csv,
            OutputArg::Tsv => Format::Tsv,
            OutputArg::Jsonl => Format::Jsonl,
        },
        bom: args.bom,
    };
    anyhow::ensure!(
        !(style.bom && style.format == Format::Jsonl),
        "--bom is for csv and tsv; JSON Lines must not start with a \
         byte-order mark"
    );
    let total = progress::input_size(&args.paths, &input);
    if docs_from_stdin && !args.quiet && io::stdin().is_terminal() {
        eprintln!(
            "gaztag: reading standard input (Ctrl-D to end, or pass files)"
        );
    }
    let docs = Documents::new(&args.paths, input);
    let mut sink = match &args.out_dir {
        Some(dir) => {
            remove_temp_files_on_signal();
            Sink::folder_with(dir, style).with_context(|| {
                format!("cannot create output files in {}", dir.display())
            })?
        }
        None => {
            let table = match args.table {
                TableArg::Mentions => Table::Mentions,
                TableArg::Topics => Table::Topics,
                TableArg::Documents => Table::Documents,
            };
            let out =
                Box::new(io::BufWriter::with_capacity(1 << 16, io::stdout()));
            Sink::stream_with(table, out, !args.no_header, style)
                .context("cannot write to standard output")?
        }
    };
    let opts = RunOptions {
        threads: args.threads.unwrap_or(0),
        csv: CsvOptions { raw: args.raw_csv },
        format: style.format,
        ..RunOptions::default()
    };
    let bar = (!args.quiet && io::stderr().is_terminal())
        .then(|| progress::Bar::new(total));
    let quiet = args.quiet;
    let summary = pipeline::run_reporting(
        &tagger,
        docs,
        &mut sink,
        &opts,
        &mut |s| {
            if let Some(bar) = &bar {
                bar.update(s);
            }
        },
        &mut |id, error| {
            // As ripgrep does: each failure on standard error as it
            // happens, above the progress bar.
            if !quiet {
                let line = if error.starts_with(id) {
                    format!("gaztag: {error}")
                } else {
                    format!("gaztag: {id}: {error}")
                };
                match &bar {
                    Some(bar) => bar.println(&line),
                    None => eprintln!("{line}"),
                }
            }
        },
    );
    if let Some(bar) = bar {
        bar.finish();
    }
    let summary = summary.context("cannot write output")?;
    sink.finish().context("cannot finish writing output")?;
    if !args.quiet {
        let secs = summary.elapsed.as_secs_f64();
        let mb = summary.bytes as f64 / 1e6;
        eprintln!(
            "gaztag: {} documents ({} failed{}), {} mentions, {:.1} MB in {:.2} s ({:.1} MB/s){}",
            summary.documents,
            summary.failed,
            match summary.skipped {
                0 => String::new(),
                n => format!(", {n} skipped"),
            },
            summary.mentions,
            mb,
            secs,
            if secs > 0.0 { mb / secs } else { 0.0 },
            match (&args.out_dir, summary.failed) {
                (Some(dir), f) if f > 0 =>
                    format!("; see {}/documents.csv", dir.display()),
                _ => String::new(),
            }
        );
    }
    if let (Some(report), Some(dir)) = (&args.report, &args.out_dir) {
        let opts = gaztag::report::ReportOptions {
            inputs: args.paths.clone(),
            input: input_options(&args),
            ..Default::default()
        };
        let code = super::report::write(dir, report, &opts)?;
        if code != ExitCode::SUCCESS {
            return Ok(code);
        }
    }
    Ok(if summary.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// How the inputs are read (and read again for the report).
fn input_options(args: &TagArgs) -> InputOptions {
    InputOptions {
        format: match args.input_format {
            FormatArg::Auto => InputFormat::Auto,
            FormatArg::Text => InputFormat::Text,
            FormatArg::Jsonl => InputFormat::Jsonl,
            FormatArg::Csv => InputFormat::Csv,
        },
        id_field: args.id_field.clone(),
        text_field: args.text_field.clone(),
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        ..InputOptions::default()
    }
}

/// `--stream`: JSONL on standard input, stream rows on standard output.
fn stream(args: &TagArgs, tagger: &Tagger) -> Result<ExitCode> {
    let input = InputOptions {
        format: InputFormat::Jsonl,
        id_field: args.id_field.clone(),
        text_field: args.text_field.clone(),
        ..InputOptions::default()
    };
    let docs = Documents::new(&[], input);
    let opts = gaztag::stream::StreamOptions {
        threads: args.threads.unwrap_or(1),
        csv: CsvOptions { raw: args.raw_csv },
        ..Default::default()
    };
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let summary = gaztag::stream::run(tagger, docs, &mut out, &opts)
        .context("cannot write output")?;
    if !args.quiet {
        eprintln!(
            "gaztag: {} documents ({} failed), {} mentions, {:.1} MB in {:.2} s",
            summary.documents,
            summary.failed,
            summary.mentions,
            summary.bytes as f64 / 1e6,
            summary.elapsed.as_secs_f64(),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// On SIGINT, SIGTERM or SIGHUP, removes the temporary files of the output
/// folder, then ends the process as the signal would have.
///
/// Without this, an interrupted `--out-dir` run would leave its hidden
/// `.mentions.csv.XXXXXX.tmp` files behind (the final names are safe either
/// way: they are only ever written by a rename). If the tables are being
/// renamed into place when the signal comes, the renames finish first, so
/// the folder never mixes tables of two runs.
fn remove_temp_files_on_signal() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    // Without a handler the default action still ends the process; only
    // the clean-up is lost.
    let Ok(mut signals) =
        signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
    else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            gaztag::output::abandon_temp_files();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}
