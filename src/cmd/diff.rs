//! `gaztag diff`: what an edit of gazetteers changes on a sample.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use gaztag::input::{Documents, InputOptions};
use gaztag::sample::{CONTEXTS, Change, diff};
use gaztag::{GazetteerLoader, Tagger};

/// Show the mentions an edit of gazetteers gains and loses on a sample.
///
/// OLD and NEW are gazetteer files or folders (the file before and after
/// an edit, say); each is loaded with the built-ins unless --no-builtin.
/// Both tag the documents of --sample, and the mentions only one of them
/// finds are listed, grouped by entity, with their contexts, then a
/// one-line summary. A mention is the same when its span and entity id
/// are. --format csv writes one row per changed mention, for review in a
/// spreadsheet.
///
/// Examples:
///   cp my-gazetteers/companies.toml /tmp/old.toml   # before editing
///   gaztag diff /tmp/old.toml my-gazetteers/companies.toml --sample articles/
///   gaztag diff old/ new/ --sample articles/ --format csv > changes.csv
///
/// Exit status: 0 (with or without changes), 2 usage or gazetteer error.
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct DiffArgs {
    /// The gazetteers before the edit (a file or a folder).
    old: PathBuf,
    /// The gazetteers after the edit (a file or a folder).
    new: PathBuf,
    /// The documents to compare on (a folder or a file).
    #[arg(long, value_name = "PATH", required = true)]
    sample: Vec<PathBuf>,
    /// Leave out the built-in gazetteers on both sides.
    #[arg(long)]
    no_builtin: bool,
    /// Output: text for reading, csv for a spreadsheet.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Text,
    Csv,
}

fn tagger(
    path: &std::path::Path,
    no_builtin: bool,
) -> Result<Result<Tagger, ExitCode>> {
    let mut loader = GazetteerLoader::new();
    if !no_builtin {
        loader.add_builtin();
    }
    loader
        .add_path(path)
        .map_err(|e| anyhow::anyhow!("cannot read gazetteer {e}"))?;
    match loader.load() {
        Ok(set) => Ok(Ok(Tagger::new(&set)?)),
        Err(e) => {
            let code = super::report_gazetteer_error(
                e.into(),
                &format!("{} refused", path.display()),
            )?;
            Ok(Err(code))
        }
    }
}

pub fn run(args: DiffArgs) -> Result<ExitCode> {
    let old = match tagger(&args.old, args.no_builtin)? {
        Ok(t) => t,
        Err(code) => return Ok(code),
    };
    let new = match tagger(&args.new, args.no_builtin)? {
        Ok(t) => t,
        Err(code) => return Ok(code),
    };
    let docs = Documents::new(&args.sample, InputOptions::default());
    let (n, changes) = diff(&old, &new, docs);
    let mut out = io::stdout().lock();
    match args.format {
        DiffFormat::Csv => write_csv(&mut out, &changes)?,
        DiffFormat::Text => write_text(&mut out, &changes)?,
    }
    let gained = changes.iter().filter(|c| c.gained).count();
    let entities: std::collections::BTreeSet<&str> =
        changes.iter().map(|c| c.entity_id.as_str()).collect();
    let summary = format!(
        "diff: {n} documents, {gained} mentions gained, {} lost, {} entities changed",
        changes.len() - gained,
        entities.len()
    );
    if args.format == DiffFormat::Text {
        writeln!(out, "{summary}")?;
    } else {
        eprintln!("gaztag: {summary}");
    }
    out.flush().context("cannot write output")?;
    Ok(ExitCode::SUCCESS)
}

fn write_text(out: &mut impl Write, changes: &[Change]) -> Result<()> {
    // By entity: gained first, then lost; entities by id.
    let mut by: BTreeMap<(bool, &str), Vec<&Change>> = BTreeMap::new();
    for c in changes {
        by.entry((!c.gained, c.entity_id.as_str())).or_default().push(c);
    }
    for ((lost, id), list) in &by {
        let sign = if *lost { '-' } else { '+' };
        let docs: std::collections::BTreeSet<&str> =
            list.iter().map(|c| c.doc_id.as_str()).collect();
        writeln!(
            out,
            "{sign} {id} ({}): {} mention(s) {} in {} document(s)",
            list[0].entity,
            list.len(),
            if *lost { "lost" } else { "gained" },
            docs.len()
        )?;
        for c in list.iter().take(CONTEXTS) {
            writeln!(out, "    {}:{}: {}", c.doc_id, c.start, c.context)?;
        }
    }
    Ok(())
}

fn write_csv(out: &mut impl Write, changes: &[Change]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "change",
        "entity_id",
        "entity",
        "doc_id",
        "start",
        "end",
        "text",
        "context",
    ])?;
    for c in changes {
        let cells = [
            if c.gained { "gained" } else { "lost" }.to_string(),
            c.entity_id.clone(),
            c.entity.clone(),
            c.doc_id.clone(),
            c.start.to_string(),
            c.end.to_string(),
            c.text.clone(),
            c.context.clone(),
        ];
        // Spreadsheet-safe, as the tables are.
        w.write_record(
            cells
                .iter()
                .map(|s| gaztag::output::neutralise(s, false).into_owned()),
        )?;
    }
    w.flush()?;
    Ok(())
}
