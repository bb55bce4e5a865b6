//! `gaztag import`: a spreadsheet of entities to a gazetteer file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use gaztag::import::{ImportOptions, TypeSpec, import};

/// Import a spreadsheet (CSV, TSV or JSON Lines) as a gazetteer file.
///
/// Each row is an entity. The output is a commented TOML file in the
/// layout `gaztag new` writes, which passes `gaztag check`; each entity
/// notes the line of its row. Ids come from --id, or are made from the
/// names (`<domain>:<slug>`, unique in row order, so the same sheet gives
/// the same ids). Rows with no name, a duplicate id or an alias without a
/// letter or digit are reported as file:line and left out; the rest is
/// written. A byte-order mark, CRLF line ends and quoted cells are fine.
///
/// --type takes a column name, or else a value for every entity.
///
/// Examples:
///   gaztag import companies.csv -o my-gazetteers/companies.toml \
///       --name company --aliases aka --attr ticker --attr sector
///   gaztag import clubs.tsv -o clubs.toml --type club --domain football
///   gaztag import people.jsonl -o people.toml --type person --id qid
///
/// Exit status: 0 written (rows may have been left out), 2 the sheet or
/// the options are unusable, or the output cannot be written.
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ImportArgs {
    /// The sheet: .csv, .tsv, .jsonl/.ndjson.
    file: PathBuf,
    /// Where to write the gazetteer (`-` for standard output).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// The column of names.
    #[arg(long, value_name = "COL", default_value = "name")]
    name: String,
    /// The column of ids (default: made from the names).
    #[arg(long, value_name = "COL")]
    id: Option<String>,
    /// The column of aliases, several in a cell split by --sep.
    #[arg(long, value_name = "COL")]
    aliases: Option<String>,
    /// The column of acronyms (`via = abbreviation`), split by --sep.
    #[arg(long, value_name = "COL")]
    acronyms: Option<String>,
    /// The column of demonyms (`via = demonym`), split by --sep.
    #[arg(long, value_name = "COL")]
    demonyms: Option<String>,
    /// The column of former names (`via = former`), split by --sep.
    #[arg(long = "former-names", value_name = "COL")]
    former_names: Option<String>,
    /// What separates aliases (and the other forms) in a cell.
    #[arg(long, value_name = "SEP", default_value = "|")]
    sep: String,
    /// The type: a column name, or else the type of every entity.
    #[arg(
        long = "type",
        value_name = "COL|VALUE",
        default_value = "organization"
    )]
    kind: String,
    /// A column to copy as an attribute (repeatable).
    #[arg(long = "attr", value_name = "COL")]
    attributes: Vec<String>,
    /// The domain name (default: the sheet's file name).
    #[arg(long, value_name = "NAME")]
    domain: Option<String>,
}

pub fn run(args: ImportArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    // A --type that names a column is a column.
    let header = text.lines().next().unwrap_or("");
    let is_column = header
        .trim_start_matches('\u{FEFF}')
        .split([',', '\t'])
        .any(|h| h.trim().trim_matches('"') == args.kind)
        || header.contains(&format!("\"{}\":", args.kind));
    let opts = ImportOptions {
        domain: args.domain.clone(),
        id: args.id.clone(),
        name: args.name.clone(),
        aliases: args.aliases.clone(),
        acronyms: args.acronyms.clone(),
        demonyms: args.demonyms.clone(),
        former_names: args.former_names.clone(),
        sep: args.sep.clone(),
        kind: if is_column {
            TypeSpec::Column(args.kind.clone())
        } else {
            TypeSpec::Value(args.kind.clone())
        },
        attributes: args.attributes.clone(),
    };
    let got = match import(&args.file, &text, &opts) {
        Ok(got) => got,
        Err(e) => {
            eprintln!("gaztag: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    for s in &got.skipped {
        eprintln!(
            "{}:{}: row left out: {}",
            args.file.display(),
            s.line,
            s.message
        );
    }
    if let Some(dir) =
        args.output.parent().filter(|d| !d.as_os_str().is_empty())
        && args.output.as_os_str() != "-"
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
    }
    if args.output.as_os_str() == "-" {
        std::io::stdout().lock().write_all(got.toml.as_bytes())?;
    } else {
        std::fs::write(&args.output, &got.toml).with_context(|| {
            format!("cannot write {}", args.output.display())
        })?;
    }
    eprintln!(
        "gaztag: wrote {}: {} entities, {} rows left out",
        args.output.display(),
        got.entities,
        got.skipped.len()
    );
    Ok(ExitCode::SUCCESS)
}
