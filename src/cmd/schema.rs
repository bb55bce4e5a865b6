//! `gaztag schema`: print the JSON Schema of the gazetteer format.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

/// The JSON Schema of gazetteer files, as shipped at the top of the
/// repository.
pub const SCHEMA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/gazetteer.schema.json"
));

/// Print the JSON Schema (draft-07) of the gazetteer format.
///
/// Editors that validate TOML against a schema (taplo, Even Better TOML for
/// VS Code) then complete keys and flag mistakes as you type: save the
/// schema beside your gazetteers and start each file with the line
///   #:schema ./gazetteer.schema.json
/// `gaztag new` writes both for you. The schema checks the shape of a file;
/// `gaztag check` also checks its meaning (unique ids, known entity ids).
///
/// Examples:
///   gaztag schema > gazetteers/gazetteer.schema.json
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct SchemaArgs {}

pub fn run(_args: SchemaArgs) -> Result<ExitCode> {
    let mut out = io::stdout().lock();
    out.write_all(SCHEMA.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
