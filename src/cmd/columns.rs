//! `gaztag columns`: print the columns of the three tables.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use gaztag::output::Table;

/// Print the columns of mentions.csv, topics.csv and documents.csv.
///
/// The columns are defined once, in the library; programs that read
/// gaztag's tables (the Spark example, a loader of your own) ask for them
/// here instead of listing them again. With --json: one object holding,
/// per table, its stream row kind (the first field of a `tag --stream`
/// record) and its columns in order.
///
/// Examples:
///   gaztag columns
///   gaztag columns --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["mentions"]["columns"])'
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ColumnsArgs {
    /// Print JSON instead of one line per table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ColumnsArgs) -> Result<ExitCode> {
    let mut out = io::stdout().lock();
    if args.json {
        let tables: serde_json::Map<String, serde_json::Value> = Table::ALL
            .iter()
            .map(|&t| {
                let v = serde_json::json!({
                    "file": t.file_name(),
                    "stream_kind": gaztag::stream::kind(t),
                    "columns": t.columns(),
                });
                (t.stem().to_string(), v)
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &tables)?;
        writeln!(out)?;
    } else {
        for t in Table::ALL {
            writeln!(out, "{}: {}", t.file_name(), t.columns().join(","))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
