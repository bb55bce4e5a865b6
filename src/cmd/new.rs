//! `gaztag new`: write a commented starter gazetteer.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::schema::SCHEMA;

/// The schema's file name, as the starter file's `#:schema` line names it.
const SCHEMA_FILE: &str = "gazetteer.schema.json";

/// Start a gazetteer: write a commented example to edit into your own.
///
/// DIR/DOMAIN.toml passes `gaztag check` as written. It has a [domain], two entities with aliases and attributes, a context
/// rule (commented out) and a topic. Its first line, `#:schema
/// ./gazetteer.schema.json`, lets editors that understand TOML schemas
/// (taplo, Even Better TOML) complete keys and flag mistakes; the schema is
/// written beside it unless one is there already.
///
/// Examples:
///   gaztag new cricket                    # my-gazetteers/cricket.toml
///   gaztag new cricket --dir domains/
///   gaztag check --no-builtin -g my-gazetteers/cricket.toml
///   gaztag tag -g my-gazetteers/ corpus/
///
/// gaztag refuses to write into a folder that holds the built-in
/// gazetteers (the repository's `gazetteers/`): a build would embed the new
/// file, and `-g` on that folder would load every built-in twice. --force
/// overrides this.
///
/// Exit status: 0 written, 2 the file exists (see --force) or cannot be
/// written.
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct NewArgs {
    /// The domain name: letters, digits, `-` and `_`; it names the file.
    #[arg(value_name = "DOMAIN")]
    domain: String,
    /// The folder to write into (created if missing).
    #[arg(long, value_name = "DIR", default_value = "my-gazetteers")]
    dir: PathBuf,
    /// Overwrite DIR/DOMAIN.toml (and the schema) if they exist, and write
    /// into the built-in gazetteers' folder.
    #[arg(long)]
    force: bool,
}

pub fn run(args: NewArgs) -> Result<ExitCode> {
    if let Err(why) = check_domain(&args.domain) {
        eprintln!("gaztag: invalid domain name `{}`: {why}", args.domain);
        return Ok(ExitCode::from(2));
    }
    if !args.force
        && let Some(builtin) = builtin_in(&args.dir)
    {
        eprintln!(
            "gaztag: {} holds the built-in gazetteers ({builtin}); write your \
             domain elsewhere (the default is my-gazetteers/, or --dir), or \
             pass --force",
            args.dir.display()
        );
        return Ok(ExitCode::from(2));
    }
    let path = args.dir.join(format!("{}.toml", args.domain));
    std::fs::create_dir_all(&args.dir).with_context(|| {
        format!("cannot create folder {}", args.dir.display())
    })?;
    let text = starter(&args.domain, &path);
    match write(&path, &text, args.force) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            eprintln!(
                "gaztag: {} already exists; pass --force to overwrite it",
                path.display()
            );
            return Ok(ExitCode::from(2));
        }
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot write {}", path.display()));
        }
    }
    eprintln!("wrote {}", path.display());
    let schema = args.dir.join(SCHEMA_FILE);
    match write(&schema, SCHEMA, args.force) {
        Ok(()) => eprintln!("wrote {} (for editors)", schema.display()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => {
            return Err(e).with_context(|| {
                format!("cannot write {}", schema.display())
            });
        }
    }
    eprintln!(
        "next: edit it, then run `gaztag check --no-builtin -g {}`",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The name of a built-in gazetteer that `dir` holds a copy of, if any:
/// then `dir` is (a copy of) the built-in folder.
fn builtin_in(dir: &Path) -> Option<&'static str> {
    std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "toml") {
            gaztag::GazetteerLoader::builtin_named(&std::fs::read(&p).ok()?)
        } else {
            None
        }
    })
}

/// Writes `text` to a new file at `path`; an existing file is an
/// `AlreadyExists` error unless `force`.
fn write(path: &Path, text: &str, force: bool) -> io::Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true);
    if force {
        opts.create(true).truncate(true);
    } else {
        // Atomic: no window between a check and the write.
        opts.create_new(true);
    }
    let mut f = opts.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

/// Domain names become file names and ids, so they are kept plain.
fn check_domain(domain: &str) -> Result<(), &'static str> {
    let mut chars = domain.chars();
    match chars.next() {
        None => Err("it is empty"),
        Some(c) if !c.is_alphanumeric() => {
            Err("it must start with a letter or digit")
        }
        _ if !chars.all(|c| c.is_alphanumeric() || c == '-' || c == '_') => {
            Err("use only letters, digits, `-` and `_`")
        }
        _ => Ok(()),
    }
}

/// The starter file for `domain`, to be written at `path`.
fn starter(domain: &str, path: &Path) -> String {
    let path = path.display();
    format!(
        r##"#:schema ./{SCHEMA_FILE}
# Gazetteer of the `{domain}` domain. Replace the examples with your own.
#
# Check it:  gaztag check --no-builtin -g {path}
# Use it:    gaztag tag -g {path} corpus/
# See why:   gaztag explain -g {path} article.txt
#
# The first line lets editors (taplo, Even Better TOML) check keys as you
# type against the schema beside this file (`gaztag schema` prints it).

[domain]
name = "{domain}"
# The type of the entities below that set none: country, organization,
# person, city, ...
type = "organization"
# How the case of the text must agree with a name:
#   "smart" (the default): an all-capitals acronym such as "EXO" matches
#           only in capitals; a name that starts with a capital needs a
#           capital in the text; other names match in any case.
#   "exact": the same case as written.   "ignore": any case.
# case = "smart"

# One [[entity]] table per thing to find. The id must be unique across all
# the gazetteers you load; starting it with the domain keeps it so.
[[entity]]
id = "{domain}:example-organisation"
name = "Example Organisation"
# Other names. Matching ignores accents, spacing and hyphen styles, and
# needs whole words: "EXO" does not match inside "EXOTIC".
aliases = ["Example Org", "EXO"]

# A context rule (all must hold for a match to count). This one would accept
# "EXO" only with one of the words within 200 characters of it:
# [[entity.context]]
# names = ["EXO"]
# require_words = ["organisation", "board", "members"]
# window = 200

# Free string attributes, carried along for your own use.
[entity.attributes]
country = "GB"
website = "https://example.org"

[[entity]]
id = "{domain}:alex-example"
name = "Alex Example"
type = "person"   # this entity's own type, instead of the [domain] one
aliases = ["A. Example"]

[entity.attributes]
role = "chair"

# One [[topic]] table per label; topic ids are shared with the built-in
# topics, so pick one they do not use. Each keyword or entity found adds
# its weight (default 1; repeats add less and less), divided by a length
# factor; a document gets the label when the score reaches `threshold`,
# and beyond 100 words with at least `min_evidence` distinct keywords or
# entities found. An `ambiguous` keyword counts only beside other
# evidence; `parent = "politics"` would also count this topic's evidence
# for a broader topic.
[[topic]]
id = "{domain}-example"
name = "Example topic"
keywords = [
    "example",
    "examples",
    {{ term = "worked example", weight = 2.0 }},
    {{ term = "sample", ambiguous = true }},
]
entities = ["{domain}:example-organisation"]
threshold = 2.0
min_evidence = 2

[topic.attributes]
note = "replace with a code of your own, such as an IPTC subject"
"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_is_a_valid_gazetteer_without_warnings() {
        for domain in ["cricket", "my_domain-2", "économie"] {
            let path = PathBuf::from(format!("g/{domain}.toml"));
            let text = starter(domain, &path);
            let set = gaztag::GazetteerSet::from_toml(
                &path.display().to_string(),
                &text,
            )
            .unwrap_or_else(|e| panic!("{domain}: {e}"));
            assert!(set.warnings().is_empty(), "{:?}", set.warnings());
            assert_eq!(set.entities().len(), 2);
            assert_eq!(set.topics().len(), 1);
            assert_eq!(set.entities()[0].domain, domain);
            assert_eq!(set.entities()[1].kind, "person");
        }
    }

    /// The commented-out context rule is valid once uncommented.
    #[test]
    fn context_rule_example_is_valid() {
        let text = starter("x", Path::new("x.toml"))
            .replace("# [[entity.context]]", "[[entity.context]]")
            .replace("# names = ", "names = ")
            .replace("# require_words", "require_words")
            .replace("# window", "window");
        let set = gaztag::GazetteerSet::from_toml("x.toml", &text).unwrap();
        assert_eq!(set.entities()[0].context.len(), 1);
    }

    #[test]
    fn domain_names() {
        assert!(check_domain("cricket").is_ok());
        assert!(check_domain("a-b_c9").is_ok());
        for bad in ["", "-x", "a/b", "../x", "a b", ".hidden"] {
            assert!(check_domain(bad).is_err(), "{bad}");
        }
    }
}
