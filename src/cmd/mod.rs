//! Subcommands and the arguments they share.

use std::fmt;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use gaztag::{ErrorKind, GazetteerLoader, GazetteerSet, Severity};

mod check;
mod columns;
mod diag;
mod diff;
mod eval;
mod explain;
mod import;
mod new;
mod progress;
mod report;
mod schema;
mod shell;
mod suggest;
mod tag;

/// Tag named entities and topics in text with TOML gazetteers.
#[derive(Parser, Debug)]
#[command(
    name = "gaztag",
    version,
    about,
    long_about = None,
    after_help = AFTER_HELP,
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The end of `gaztag --help`: examples and exit codes.
const AFTER_HELP: &str = "\
Examples:
  gaztag tag corpus/ --out-dir out/       # mentions, topics, documents CSV
  gaztag explain article.txt              # why each mention and topic
  gaztag new cricket                      # start my-gazetteers/cricket.toml
  gaztag check --no-builtin -g my-gazetteers/cricket.toml

Exit status:
  0  success
  1  some documents failed (each has an `error` row in documents.csv)
  2  usage error, unreadable or invalid gazetteer, or output error";

#[derive(Subcommand, Debug)]
enum Command {
    Tag(tag::TagArgs),
    Check(check::CheckArgs),
    Explain(explain::ExplainArgs),
    New(new::NewArgs),
    Schema(schema::SchemaArgs),
    Columns(columns::ColumnsArgs),
    Diff(diff::DiffArgs),
    Import(import::ImportArgs),
    Report(report::ReportArgs),
    Eval(eval::EvalArgs),
    Suggest(suggest::SuggestArgs),
    Completions(shell::CompletionsArgs),
    Man(shell::ManArgs),
}

/// Which gazetteers to load; shared by every subcommand.
#[derive(Args, Debug, Clone)]
pub struct GazetteerArgs {
    /// Add a gazetteer file, or every .toml file below a folder; `-` is
    /// standard input (repeatable).
    #[arg(short = 'g', long = "gazetteer", value_name = "PATH")]
    pub gazetteers: Vec<PathBuf>,
    /// Leave out the built-in gazetteers.
    #[arg(long)]
    pub no_builtin: bool,
}

/// The name diagnostics give a gazetteer read from standard input.
const STDIN_GAZETTEER: &str = "<stdin>";

/// A validated set plus the texts it was read from, for showing the lines
/// that warnings point at.
pub struct Loaded {
    pub set: GazetteerSet,
    pub sources: GazetteerLoader,
}

/// Gazetteers that failed validation: every diagnostic, plus the texts, so
/// that [`report_gazetteer_error`] can show the offending lines.
#[derive(Debug)]
struct Refused {
    error: gaztag::Error,
    sources: GazetteerLoader,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Refused {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl GazetteerArgs {
    /// Whether a gazetteer is to be read from standard input.
    pub fn reads_stdin(&self) -> bool {
        self.gazetteers.iter().any(|p| p.as_os_str() == "-")
    }

    /// Loads and validates the selected gazetteers.
    pub fn load(&self) -> Result<GazetteerSet> {
        self.load_with_sources().map(|l| l.set)
    }

    /// Loads and validates the selected gazetteers, keeping their texts.
    ///
    /// An invalid set fails with an error that [`report_gazetteer_error`]
    /// shows with the offending lines.
    pub fn load_with_sources(&self) -> Result<Loaded> {
        let mut loader = GazetteerLoader::new();
        if !self.no_builtin {
            loader.add_builtin();
        }
        let mut stdin_read = false;
        for p in &self.gazetteers {
            if p.as_os_str() == "-" {
                anyhow::ensure!(
                    !stdin_read,
                    "`-g -` can be given only once: standard input is read \
                     once"
                );
                stdin_read = true;
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).context(
                    "cannot read a UTF-8 gazetteer from standard input",
                )?;
                loader.add_str(STDIN_GAZETTEER, &text);
                continue;
            }
            // The error names the path and the cause already; as a
            // context it would print the cause twice.
            loader
                .add_path(p)
                .map_err(|e| anyhow::anyhow!("cannot read gazetteer {e}"))?;
        }
        if !self.no_builtin
            && let Some((path, name)) = loader.builtin_copies().first()
        {
            anyhow::bail!(
                "{path} is the built-in gazetteer {name}, which is loaded \
                 already; pass --no-builtin to use the files of a copied \
                 built-in folder instead"
            );
        }
        match loader.load() {
            Ok(set) => Ok(Loaded { set, sources: loader }),
            Err(error) => Err(Refused { error, sources: loader }.into()),
        }
    }
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Tag(args) => tag::run(args),
        Command::Check(args) => check::run(args),
        Command::Explain(args) => explain::run(args),
        Command::New(args) => new::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Columns(args) => columns::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Import(args) => import::run(args),
        Command::Report(args) => report::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Suggest(args) => suggest::run(args),
        Command::Completions(args) => shell::completions(args),
        Command::Man(args) => shell::man(args),
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

/// Shows every gazetteer problem (`file:line:col: error: ...`, then the
/// line with the offending text underlined) and returns exit code 2; other
/// errors pass through.
pub fn report_gazetteer_error(
    err: anyhow::Error,
    outcome: &str,
) -> Result<ExitCode> {
    let (error, sources) = match err.downcast_ref::<Refused>() {
        Some(r) => (&r.error, Some(&r.sources)),
        None => match err.downcast_ref::<gaztag::Error>() {
            Some(e) => (e, None),
            None => return Err(err),
        },
    };
    let ErrorKind::Gazetteer(diags) = error.kind() else { return Err(err) };
    diag::eprint(diags, sources);
    let errors =
        diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.len() - errors;
    eprintln!("gaztag: {errors} error(s), {warnings} warning(s); {outcome}");
    Ok(ExitCode::from(2))
}
