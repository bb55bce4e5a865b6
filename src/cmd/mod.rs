//! Subcommands and the arguments they share.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use gaztag::{ErrorKind, GazetteerLoader, GazetteerSet, Severity};

mod check;
mod eval;
mod tag;

/// Tag named entities and topics in text with TOML gazetteers.
#[derive(Parser, Debug)]
#[command(name = "gaztag", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Tag(tag::TagArgs),
    Check(check::CheckArgs),
    Eval(eval::EvalArgs),
}

/// Which gazetteers to load; shared by every subcommand.
#[derive(Args, Debug, Clone)]
pub struct GazetteerArgs {
    /// Add a gazetteer file, or every .toml file below a folder (repeatable).
    #[arg(short = 'g', long = "gazetteer", value_name = "PATH")]
    pub gazetteers: Vec<PathBuf>,
    /// Leave out the built-in gazetteers.
    #[arg(long)]
    pub no_builtin: bool,
}

impl GazetteerArgs {
    /// Loads and validates the selected gazetteers.
    pub fn load(&self) -> Result<GazetteerSet> {
        let mut loader = GazetteerLoader::new();
        if !self.no_builtin {
            loader.add_builtin();
        }
        for p in &self.gazetteers {
            loader.add_path(p).with_context(|| {
                format!("cannot read gazetteer {}", p.display())
            })?;
        }
        Ok(loader.load()?)
    }
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Tag(args) => tag::run(args),
        Command::Check(args) => check::run(args),
        Command::Eval(args) => eval::run(args),
    }
}

/// Whether `err` comes from writing into a closed pipe (`| head`), which
/// ends the program quietly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints every gazetteer problem (`file:line:col: error: ...`) and returns
/// exit code 2; other errors pass through.
pub fn report_gazetteer_error(
    err: anyhow::Error,
    outcome: &str,
) -> Result<ExitCode> {
    let Some(e) = err.downcast_ref::<gaztag::Error>() else { return Err(err) };
    let ErrorKind::Gazetteer(diags) = e.kind() else { return Err(err) };
    for d in diags {
        eprintln!("{d}");
    }
    let errors =
        diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.len() - errors;
    eprintln!("gaztag: {errors} error(s), {warnings} warning(s); {outcome}");
    Ok(ExitCode::from(2))
}
