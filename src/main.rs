//! The `gaztag` command line: parses arguments and dispatches to the
//! library. Exit codes: 0 success, 1 some documents failed, 2 usage or
//! gazetteer error.

use std::process::ExitCode;

use clap::Parser;

mod cmd;

fn main() -> ExitCode {
    let args = cmd::Cli::parse_from(help_args(std::env::args_os()));
    match cmd::run(args) {
        Ok(code) => code,
        Err(err) => {
            if cmd::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("gaztag: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// The arguments with `--help`/`-h` dropped after the `help` subcommand, so
/// that `gaztag help --help` prints the help (exit 0) as `gaztag help` does
/// instead of failing as an unknown subcommand.
fn help_args(
    args: impl Iterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    let args: Vec<_> = args.collect();
    if args.get(1).is_some_and(|a| a == "help") {
        args.into_iter()
            .enumerate()
            .filter(|(i, a)| *i < 2 || (a != "--help" && a != "-h"))
            .map(|(_, a)| a)
            .collect()
    } else {
        args
    }
}
