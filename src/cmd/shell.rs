//! `gaztag completions` and `gaztag man`: shell integration.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;

/// Print a shell completion script.
///
/// Examples:
///   gaztag completions bash > ~/.local/share/bash-completion/completions/gaztag
///   gaztag completions zsh > ~/.zfunc/_gaztag    # with fpath+=~/.zfunc
///   gaztag completions fish > ~/.config/fish/completions/gaztag.fish
///   gaztag completions powershell >> $PROFILE
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

pub fn completions(args: CompletionsArgs) -> Result<ExitCode> {
    let mut out = io::stdout().lock();
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "gaztag",
        &mut out,
    );
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Print the manual page (roff), or write one page per subcommand.
///
/// Examples:
///   gaztag man | man -l -
///   gaztag man > ~/.local/share/man/man1/gaztag.1
///   gaztag man --dir ~/.local/share/man/man1/   # gaztag.1, gaztag-tag.1, ...
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {
    /// Write gaztag.1 and a gaztag-SUBCOMMAND.1 page for each subcommand
    /// into this folder (created if missing) instead.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn man(args: ManArgs) -> Result<ExitCode> {
    let cmd = Cli::command();
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .and_then(|()| clap_mangen::generate_to(cmd, &dir))
                .with_context(|| {
                    format!("cannot write manual pages into {}", dir.display())
                })?;
        }
        None => {
            let mut out = io::stdout().lock();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
