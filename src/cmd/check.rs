//! `gaztag check`: validate gazetteers and print what they hold.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use gaztag::Tagger;
use gaztag::input::Documents;
use gaztag::sample::{SampleReport, sample};

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
///   gaztag check -g my-gazetteers/ --sample articles/   # what they find
///   gaztag check -g my-gazetteers/ --deny warnings       # for CI
///
/// Besides the errors, check warns about risky names in your files (not
/// the built-ins): an alias of one letter or digit, an everyday English
/// word (`May`, `Apple`), a person's first name alone, a name that holds
/// another entity's name (a country inside an organisation's name), and a
/// name two entities share; each warning says what the matcher will do.
/// An entity silences a risk it takes knowingly with the attribute
///   allow = "common-word"          (or "common-word:Apple" for one name)
///
/// With --sample DIR, the gazetteers tag the documents there and check
/// reports, for your entities, the mentions and documents per entity and
/// per alias, the contexts of the noisiest aliases, and the aliases found
/// mostly inside longer capitalised names or at sentence starts.
///
/// Exit status: 0 valid (warnings allowed unless --deny warnings), 2
/// invalid, unreadable, or warnings denied.
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    #[command(flatten)]
    gazetteers: GazetteerArgs,
    /// Treat warnings as errors (exit 2), for CI.
    #[arg(long, value_name = "WHAT", value_parser = ["warnings"])]
    deny: Option<String>,
    /// Tag the documents of this folder or file and report what your
    /// entities find there.
    #[arg(long, value_name = "PATH")]
    sample: Option<std::path::PathBuf>,
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
    let risks = gaztag::lint::lint(&set, &sources, |p| !is_builtin(p));
    super::diag::eprint(&risks, Some(&sources));
    let warnings = set.warnings().len() + risks.len();
    let names: usize = set.files().iter().map(|f| f.names).sum();
    let summary = format!(
        "{} files, {} entities, {} names, {} topics, {} warnings; read and checked in {:.0} ms",
        set.files().len(),
        set.entities().len(),
        names,
        set.topics().len(),
        warnings,
        loaded.as_secs_f64() * 1000.0,
    );
    let mine: Vec<bool> =
        set.entities().iter().map(|e| !is_builtin(&e.location.path)).collect();
    let started = Instant::now();
    let tagger = Tagger::builder().build_owned(set)?;
    let built = started.elapsed();
    println!(
        "ok: {summary}; automaton of {} patterns ({:.1} MiB) built in {:.0} ms",
        tagger.pattern_count(),
        tagger.automaton_bytes() as f64 / (1 << 20) as f64,
        built.as_secs_f64() * 1000.0
    );
    if let Some(dir) = &args.sample {
        let docs = Documents::new(
            std::slice::from_ref(dir),
            gaztag::input::InputOptions::default(),
        );
        // Your entities; all of them when only the built-ins are loaded.
        let any_mine = mine.iter().any(|&m| m);
        let report = sample(&tagger, docs, |e| !any_mine || mine[e]);
        print_sample(&tagger, &report);
    }
    if warnings > 0 && args.deny.is_some() {
        eprintln!("gaztag: {warnings} warning(s), denied by --deny warnings");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

fn is_builtin(path: &str) -> bool {
    path.starts_with("<builtin>/")
}

/// How many aliases the sample report lists, and shows contexts for.
const TOP_ALIASES: usize = 20;
const NOISIEST: usize = 5;

fn print_sample(tagger: &Tagger, r: &SampleReport) {
    let entities = tagger.entities();
    let mentions: usize = r.aliases.iter().map(|a| a.mentions).sum();
    let per_entity = r.entities(tagger);
    println!(
        "\nsample: {} documents ({} unreadable), {} mentions of {} entities",
        r.documents,
        r.failed,
        mentions,
        per_entity.len()
    );
    println!("\nentities: mentions in documents");
    for (e, m, d) in per_entity.iter().take(TOP_ALIASES) {
        let e = &entities[*e];
        println!("  {} ({}): {m} in {d}", e.id, e.name);
    }
    println!("\ntop aliases: mentions in documents");
    for a in r.aliases.iter().take(TOP_ALIASES) {
        let mut flags = Vec::new();
        if a.mostly_inside_names() {
            flags.push("mostly inside longer capitalised names");
        }
        if a.mostly_sentence_starts() {
            flags.push("mostly at sentence starts");
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!("  <- {}", flags.join("; "))
        };
        println!(
            "  \"{}\" -> {}: {} in {}{flags}",
            a.alias, entities[a.entity].id, a.mentions, a.documents
        );
    }
    if !r.aliases.is_empty() {
        println!("\nnoisiest aliases, in context:");
    }
    for a in r.aliases.iter().take(NOISIEST) {
        println!("  \"{}\" -> {}:", a.alias, entities[a.entity].id);
        for (doc, ctx) in &a.contexts {
            println!("    {doc}: {ctx}");
        }
    }
}
