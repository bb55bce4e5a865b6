//! `gaztag check`: validate gazetteers and print what they hold.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use gaztag::Tagger;

use super::GazetteerArgs;

/// Validate gazetteers: list every problem as file:line:col, print counts.
///
/// Examples:
///   gaztag check                      # the built-in gazetteers
///   gaztag check -g my-gazetteers/    # built-ins plus a folder of your own
///   gaztag check --no-builtin -g cricket.toml
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    #[command(flatten)]
    gazetteers: GazetteerArgs,
}

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let set = match args.gazetteers.load() {
        Ok(set) => set,
        Err(err) => {
            return super::report_gazetteer_error(err, "gazetteers refused");
        }
    };
    for f in set.files() {
        println!(
            "{}: domain `{}`: {} entities, {} names, {} topics",
            f.path, f.domain, f.entities, f.names, f.topics
        );
    }
    for w in set.warnings() {
        eprintln!("{w}");
    }
    let started = Instant::now();
    let tagger = Tagger::new(&set)?;
    let built = started.elapsed();
    let names: usize = set.files().iter().map(|f| f.names).sum();
    println!(
        "ok: {} files, {} entities, {} names, {} topics, {} warnings; automaton of {} patterns ({:.1} MiB) built in {:.0} ms",
        set.files().len(),
        set.entities().len(),
        names,
        set.topics().len(),
        set.warnings().len(),
        tagger.pattern_count(),
        tagger.automaton_bytes() as f64 / (1 << 20) as f64,
        built.as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}
