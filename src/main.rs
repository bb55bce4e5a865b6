//! The `gaztag` command line: parses arguments and dispatches to the
//! library. Exit codes: 0 success, 1 some documents failed, 2 usage or
//! gazetteer error.

use std::process::ExitCode;

use clap::Parser;

mod cmd;

fn main() -> ExitCode {
    let args = cmd::Cli::parse();
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
