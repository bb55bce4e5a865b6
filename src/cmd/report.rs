//! `gaztag report`: one self-contained HTML page of a run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use gaztag::input::InputOptions;
use gaztag::report::{ReportOptions, build};

/// Write one self-contained HTML page of a run: an overview (counts,
/// mentions by type, top entities, topics, a world map of the countries
/// mentioned) and every document with its mentions highlighted.
///
/// OUT_DIR holds the tables `gaztag tag --out-dir` wrote (CSV, TSV or JSON
/// Lines). The documents' texts are read from their ids when those are
/// file paths, or from the INPUTS given again (needed for JSONL and CSV
/// inputs). Counts and charts cover every document; the text of at most
/// --max-docs documents is embedded (the first readable ones), and the
/// page says so. The page needs no network: styles, script, data and map
/// are inside it; any name or text in it is shown as text, never run.
///
/// Examples:
///   gaztag tag examples/articles/ -o out/ && gaztag report out/
///   gaztag report out/ news.jsonl -o news-report.html --max-docs 500
///   gaztag tag examples/articles/ -o out/ --report report.html
///
/// Exit status: 0 written, 2 the tables cannot be read or the page
/// cannot be written.
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ReportArgs {
    /// The folder of the run's tables.
    out_dir: PathBuf,
    /// The documents again, to read their texts (files, folders, JSONL,
    /// CSV).
    inputs: Vec<PathBuf>,
    /// Where to write the page.
    #[arg(short, long, value_name = "FILE", default_value = "report.html")]
    output: PathBuf,
    /// The most documents whose text is embedded.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    max_docs: usize,
    /// The page title.
    #[arg(long, default_value = "gaztag report")]
    title: String,
    /// JSONL/CSV field holding the document id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    id_field: String,
    /// JSONL/CSV field holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_field: String,
}

pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let opts = ReportOptions {
        max_docs: args.max_docs,
        inputs: args.inputs.clone(),
        input: InputOptions {
            id_field: args.id_field.clone(),
            text_field: args.text_field.clone(),
            ..InputOptions::default()
        },
        title: args.title.clone(),
    };
    write(&args.out_dir, &args.output, &opts)
}

/// Builds the page of the run in `out_dir` and writes it to `output`.
pub fn write(
    out_dir: &Path,
    output: &Path,
    opts: &ReportOptions,
) -> Result<ExitCode> {
    let html = match build(out_dir, opts) {
        Ok(html) => html,
        Err(e) => {
            eprintln!("gaztag: cannot make the report: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    std::fs::write(output, html)
        .with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!("gaztag: wrote {}", output.display());
    Ok(ExitCode::SUCCESS)
}
