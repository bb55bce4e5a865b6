//! `gaztag check`: validate gazetteers and print what they hold.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use gaztag::Tagger;

use super::GazetteerArgs;

/// Validate gazetteers and print what they hold.
///
/// Every problem is shown at once, each as file:line:col with the
/// offending line underlined and a hint where there is one.
///
/// Examples:
///   gaztag check                      # the built-in gazetteers
///   gaztag check -g my-gazetteers/    # built-ins plus a folder of your own
///   gaztag check --no-builtin -g cricket.toml
///   gaztag check --no-builtin -g - < cricket.toml
///
/// Exit status: 0 valid (warnings allowed), 2 invalid or unreadable.
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    #[command(flatten)]
    gazetteers: GazetteerArgs,
}

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let reading = Instant::now();
    let super::Loaded { set, sources } = match args
        .gazetteers
        .load_with_sources()
    {
        Ok(loaded) => loaded,
        Err(err) => {
            return super::report_gazetteer_error(err, "gazetteers refused");
        }
    };
    let loaded = reading.elapsed();
    for f in set.files() {
        println!(
            "{}: domain `{}`: {} entities, {} names, {} topics",
            f.path, f.domain, f.entities, f.names, f.topics
        );
    }
    super::diag::eprint(set.warnings(), Some(&sources));
    let names: usize = set.files().iter().map(|f| f.names).sum();
    let summary = format!(
        "{} files, {} entities, {} names, {} topics, {} warnings; read and checked in {:.0} ms",
        set.files().len(),
        set.entities().len(),
        names,
        set.topics().len(),
        set.warnings().len(),
        loaded.as_secs_f64() * 1000.0,
    );
    let started = Instant::now();
    let tagger = Tagger::builder().build_owned(set)?;
    let built = started.elapsed();
    println!(
        "ok: {summary}; automaton of {} patterns ({:.1} MiB) built in {:.0} ms",
        tagger.pattern_count(),
        tagger.automaton_bytes() as f64 / (1 << 20) as f64,
        built.as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}
