//! The command line as people meet it: diagnostics, the gazetteer schema,
//! `new`, `explain`, help, completions, man page, exit codes.
//!
//! Terminal-only behaviour (colour, the progress bar) is tested from its
//! other side here: without a terminal, or with `NO_COLOR`, output is plain.

use std::path::{Path, PathBuf};

use crate::util::{Dir, fixture, root, stderr, stdout};

const ESC: char = '\x1b';

fn broken() -> String {
    fixture("broken").display().to_string()
}

#[test]
fn check_shows_each_problem_with_its_line_and_a_caret() {
    let dir = Dir::new();
    let b = broken();
    let out = dir.run(&["check", "--no-builtin", "-g", &b]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out).replace(&b, "B");
    let want = "\
B/a.toml:7:1: error: in [[entity]]: unknown key `alias` (did you mean `aliases`?) (expected one of: id, name, type, aliases, acronyms, former_names, demonyms, case, attributes, context)
  |
7 | alias = [\"PCB\"]
  | ^^^^^ did you mean `aliases`?

B/a.toml:12:19: error: alias is empty
   |
12 | aliases = [\"IMF\", \"\"]
   |                   ^^

B/a.toml:17:24: error: keyword is empty
   |
17 | keywords = [\"wickets\", \"\"]
   |                        ^^

B/b.toml:6:10: error: toml syntax: unclosed array table, expected `]`
  |
6 | [[entity]
  |          ^

gaztag: 4 error(s), 0 warning(s); gazetteers refused
";
    assert_eq!(err, want);
    assert!(!err.contains(ESC), "colour without a terminal");
}

#[test]
fn colour_is_forced_by_clicolor_force_and_refused_by_no_color() {
    let dir = Dir::new();
    let a = fixture("broken/a.toml").display().to_string();
    let args = ["check", "--no-builtin", "-g", &a];
    let out = dir.cmd(&args).env("CLICOLOR_FORCE", "1").output().unwrap();
    assert!(stderr(&out).contains(ESC), "{}", stderr(&out));
    let out = dir
        .cmd(&args)
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stderr(&out).contains(ESC), "{}", stderr(&out));
    assert!(stderr(&out).contains("7 | alias = [\"PCB\"]"));
}

#[test]
fn tag_shows_diagnostics_the_same_way() {
    let dir = Dir::new();
    let b = broken();
    let out = dir.run_stdin(&["tag", "--no-builtin", "-g", &b], b"x");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out).replace(&b, "B");
    assert!(
        err.contains(
            "7 | alias = [\"PCB\"]\n  | ^^^^^ did you mean `aliases`?\n"
        ),
        "{err}"
    );
    assert!(
        err.ends_with(
            "gaztag: 4 error(s), 0 warning(s); nothing was tagged\n"
        ),
        "{err}"
    );
}

#[test]
fn warnings_show_their_line_too() {
    let dir = Dir::new();
    dir.write(
        "g.toml",
        "[[entity]]\nid = \"x\"\nname = \"X\"\ntype = \"t\"\naliases = [\"Why\", \"why\"]\n",
    );
    let out = dir.run(&["check", "--no-builtin", "-g", "g.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("g.toml:5:19: warning: entity `x`: alias `why` repeats a name it already has\n  |\n5 | aliases = [\"Why\", \"why\"]\n  |                   ^^^^^\n\n"),
        "{err}"
    );
    // Risk warnings point at the name too, and say what the matcher does.
    assert!(
        err.contains("g.toml:3:8: warning: name `X` of `x`: a single letter or digit; its case rule matches only `X` in capitals, so ALL-CAPS headlines still match [single-character; silence with attribute allow = \"single-character\"]\n  |\n3 | name = \"X\"\n  |        ^^^\n"),
        "{err}"
    );
    assert!(
        err.contains(
            "g.toml:5:12: warning: alias `Why` of `x`: a common English word"
        ),
        "{err}"
    );
    // The repeated name is warned about once.
    assert_eq!(err.matches("alias `why` of `x`").count(), 0, "{err}");
    assert!(stdout(&out).contains(", 3 warnings;"), "{}", stdout(&out));
    // For CI, warnings can fail the check; `allow` silences a risk.
    let out = dir.run(&[
        "check",
        "--no-builtin",
        "-g",
        "g.toml",
        "--deny",
        "warnings",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .ends_with("gaztag: 3 warning(s), denied by --deny warnings\n")
    );
    dir.write(
        "g.toml",
        "[[entity]]\nid = \"x\"\nname = \"X Corp\"\ntype = \"t\"\naliases = [\"Why\"]\n[entity.attributes]\nallow = \"common-word:Why\"\n",
    );
    let out = dir.run(&[
        "check",
        "--no-builtin",
        "-g",
        "g.toml",
        "--deny",
        "warnings",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn gazetteer_from_standard_input() {
    let dir = Dir::new();
    let text = std::fs::read(fixture("broken/a.toml")).unwrap();
    let out = dir.run_stdin(&["check", "--no-builtin", "-g", "-"], &text);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(
            "<stdin>:7:1: error: in [[entity]]: unknown key `alias`"
        ),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("7 | alias = [\"PCB\"]"));

    let good = std::fs::read(fixture("gaz/places.toml")).unwrap();
    let out = dir.run_stdin(&["check", "--no-builtin", "-g", "-"], &good);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("<stdin>: domain `<stdin>`: 7 entities"),
        "{}",
        stdout(&out)
    );

    // Documents would come from standard input too: refused.
    let out = dir.run(&["tag", "--no-builtin", "-g", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("standard input cannot hold both"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------
// The JSON Schema.

fn schema() -> serde_json::Value {
    let text =
        std::fs::read_to_string(root().join("gazetteer.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validator() -> jsonschema::Validator {
    let schema = schema();
    jsonschema::meta::validate(&schema).expect("a valid draft-07 schema");
    jsonschema::draft7::new(&schema).unwrap()
}

fn toml_value(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The errors, one line each, for an assertion message.
fn schema_errors(
    v: &jsonschema::Validator,
    value: &serde_json::Value,
) -> Vec<String> {
    v.iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    files
}

#[test]
fn schema_command_prints_the_shipped_schema() {
    let dir = Dir::new();
    let out = dir.run(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let shipped =
        std::fs::read_to_string(root().join("gazetteer.schema.json")).unwrap();
    assert_eq!(stdout(&out), shipped);
}

#[test]
fn builtin_gazetteers_and_fixtures_match_the_schema() {
    let v = validator();
    let mut files = toml_files(&root().join("gazetteers"));
    files.extend(toml_files(&fixture("gaz")));
    assert!(files.len() >= 2);
    for f in files {
        let value = toml_value(&f);
        let errors = schema_errors(&v, &value);
        assert!(errors.is_empty(), "{}:\n{}", f.display(), errors.join("\n"));
    }
}

#[test]
fn schema_refuses_what_check_refuses() {
    let v = validator();
    let value = toml_value(&fixture("broken/a.toml"));
    let errors = schema_errors(&v, &value);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("/entity/0:") && e.contains("alias")),
        "{errors:?}"
    );
    for bad in [
        "[domain]\ncase = \"smrt\"\n",
        "[domian]\ntype = \"x\"\n",
        "[[entity]]\nid = \"x\"\n",
        "[[entity]]\nid = \"x\"\nname = \"X\"\naliases = \"X\"\n",
        "[[entity]]\nid = \"x\"\nname = \"X\"\ndemonyms = \"Xian\"\n",
        "[[entity]]\nid = \"x\"\nname = \"X\"\nformer_names = [\"\"]\n",
        "[[entity]]\nid = \"x\"\nname = \"X\"\nacronyms = [1]\n",
        "[[entity]]\nid = \"x\"\nname = \"X\"\ndemonym = [\"Xian\"]\n",
        "[[entity]]\nid = \"x\"\nname = \"X\"\n[entity.attributes]\nn = 1\n",
        "[[entity]]\nid = \"x\"\nname = \"X\"\n[[entity.context]]\nwindow = -1\n",
        "[[entity]]\nid = \"x\"\nname = \"X\"\n[[entity.context]]\nrequire_word = [\"a\"]\n",
        "[[topic]]\nid = \"t\"\nname = \"T\"\nkeywords = [{term = \"a\", weight = 0}]\n",
        "[[topic]]\nid = \"t\"\nname = \"T\"\nkeywords = [{term = \"a\", ambiguous = \"yes\"}]\n",
        "[[topic]]\nid = \"t\"\nname = \"T\"\nkeywords = [{weight = 2}]\n",
        "[[topic]]\nid = \"t\"\nname = \"T\"\nparent = \"\"\n",
        "[[topic]]\nid = \"t\"\nname = \"T\"\nentities = [{id = \"a\", weight = 1, x = 2}]\n",
        "[[topic]]\nid = \"t\"\nname = \"T\"\nthreshold = -1.0\n",
        "[[topic]]\nid = \"t\"\nname = \"T\"\nmin_evidence = 1.5\n",
    ] {
        let value: serde_json::Value = toml::from_str(bad).unwrap();
        assert!(!v.is_valid(&value), "accepted:\n{bad}");
    }
    // Everything the format has, accepted.
    let full = r#"
[domain]
name = "d"
type = "organization"
case = "exact"

[[entity]]
id = "x"
name = "X Corp"
type = "company"
aliases = ["XC"]
acronyms = ["XCO", "X.C."]
former_names = ["Ex Corp"]
demonyms = ["Xian", "Xians"]
case = "ignore"
[entity.attributes]
anything = "goes"
[[entity.context]]
names = ["XC"]
require_words = ["shares"]
require_entities = ["y"]
exclude_words = ["river"]
exclude_entities = ["z"]
window = 100
not_before_capitalized = true

[[topic]]
id = "t"
name = "T"
keywords = ["a", {term = "b", weight = 2}, {term = "c", ambiguous = true},
  {term = "d", weight = 0.5, ambiguous = false}]
entities = ["x", {id = "x", weight = 0.5}]
threshold = 1.5
min_evidence = 1
parent = "p"
[topic.attributes]
iptc = "04000000"
"#;
    let value: serde_json::Value = toml::from_str(full).unwrap();
    assert_eq!(schema_errors(&v, &value), Vec::<String>::new());
}

// ---------------------------------------------------------------------------
// `gaztag new`.

#[test]
fn new_writes_a_starter_that_passes_check() {
    let dir = Dir::new();
    let out = dir.run(&["new", "cricket"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = dir.read("my-gazetteers/cricket.toml");
    assert!(text.starts_with("#:schema ./gazetteer.schema.json\n"), "{text}");
    assert_eq!(
        dir.read("my-gazetteers/gazetteer.schema.json"),
        std::fs::read_to_string(root().join("gazetteer.schema.json")).unwrap()
    );
    let out = dir.run(&[
        "check",
        "--no-builtin",
        "-g",
        "my-gazetteers/cricket.toml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "no warnings");
    assert!(
        stdout(&out).starts_with(
            "my-gazetteers/cricket.toml: domain `cricket`: 2 entities"
        ),
        "{}",
        stdout(&out)
    );
    let errors = schema_errors(
        &validator(),
        &toml_value(&dir.path().join("my-gazetteers/cricket.toml")),
    );
    assert!(errors.is_empty(), "{errors:?}");

    // No overwriting without --force.
    std::fs::write(dir.path().join("my-gazetteers/cricket.toml"), "# mine\n")
        .unwrap();
    let out = dir.run(&["new", "cricket"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "gaztag: my-gazetteers/cricket.toml already exists; pass --force to overwrite it\n"
    );
    assert_eq!(dir.read("my-gazetteers/cricket.toml"), "# mine\n");
    let out = dir.run(&["new", "cricket", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(dir.read("my-gazetteers/cricket.toml"), text);

    let out = dir.run(&["new", "sport", "--dir", "mine"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.read("mine/sport.toml").contains("name = \"sport\""));

    let out = dir.run(&["new", "../escape"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid domain name `../escape`"),
        "{}",
        stderr(&out)
    );
}

/// A copy of the built-in folder (as in a clone of this repository):
/// `new` does not write into it, and `-g` on it is one clear error.
#[test]
fn the_builtin_folder_is_not_a_place_for_new_domains() {
    let dir = Dir::new();
    std::fs::create_dir_all(dir.path().join("gazetteers")).unwrap();
    for e in std::fs::read_dir(root().join("gazetteers")).unwrap() {
        let p = e.unwrap().path();
        let to = dir.path().join("gazetteers").join(p.file_name().unwrap());
        std::fs::copy(&p, to).unwrap();
    }
    let out = dir.run(&["new", "football", "--dir", "gazetteers"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("holds the built-in gazetteers"), "{err}");
    assert!(!dir.path().join("gazetteers/football.toml").exists());
    let out = dir.run(&["new", "football", "--dir", "gazetteers", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = dir.run_stdin(&["tag", "-g", "gazetteers", "-"], b"Kenya");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("is the built-in gazetteer")
            && err.contains("--no-builtin"),
        "{err}"
    );
    let out = dir.run_stdin(
        &["tag", "--no-builtin", "-g", "gazetteers", "-", "-q"],
        b"Kenya",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(",KEN,"));
}

// ---------------------------------------------------------------------------
// `gaztag explain`.

fn gaz_args() -> [String; 3] {
    ["--no-builtin".into(), "-g".into(), fixture("gaz").display().to_string()]
}

#[test]
fn explain_marks_mentions_and_gives_reasons() {
    let dir = Dir::new();
    let g = gaz_args();
    let doc = fixture("docs/talks.txt").display().to_string();
    let mut args = vec!["explain", &doc];
    args.extend(g.iter().map(String::as_str));
    let out = dir.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(!s.contains(ESC), "{s}");
    assert!(s.starts_with(&format!("{doc}: ")), "{s}");
    for want in [
        "[TTP](organization:ttp)",
        "[Pakistani](country:PAK)",
        "\nentities: 8 mentions of 4 entities\n",
        "  ttp Tehreek-e-Taliban Pakistan (organization) x2: ",
        "\ntopics: 1\n  terrorism (Terrorism): score ",
        "entity ttp x2 +",
        "\ndropped: ",
    ] {
        assert!(s.contains(want), "missing {want:?} in:\n{s}");
    }

    // Standard input, and a reason for a dropped candidate.
    let mut args = vec!["explain", "-"];
    args.extend(g.iter().map(String::as_str));
    let out = dir.run_stdin(&args, "Let us see: US officials.".as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(s.starts_with("<stdin>: 25 characters, 5 words"), "{s}");
    assert!(s.contains("Let us see: [US](country:USA) officials."), "{s}");
    assert!(
        s.contains("dropped: 1 candidate\n  1:5 \"us\" USA (country): case"),
        "{s}"
    );

    // The type is shown once, also for ids that start with it.
    let out = dir.run_stdin(&["explain", "-"], b"Flights to Atlanta.");
    let s = stdout(&out);
    assert!(s.contains("Flights to [Atlanta](city:USA:atlanta)."), "{s}");
    assert!(!s.contains("city:city:"), "{s}");

    let out =
        dir.run(&["explain", "missing.txt", "--no-builtin", "-g", &g[2]]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("missing.txt"), "{}", stderr(&out));
}

/// A gazetteer with acronyms, former names and demonyms passes `check`,
/// a bad one fails it with the form named, and `explain` says how each
/// mention was found.
#[test]
fn check_and_explain_acronyms_former_names_and_demonyms() {
    let dir = Dir::new();
    dir.write(
        "g/forms.toml",
        "[[entity]]\nid = \"MMR\"\nname = \"Myanmar\"\ntype = \"country\"\nformer_names = [\"Burma\"]\ndemonyms = [\"Burmese\"]\n\n[[entity]]\nid = \"USA\"\nname = \"United States\"\ntype = \"country\"\nacronyms = [\"U.S.\"]\n",
    );
    let out = dir.run(&["check", "--no-builtin", "-g", "g"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(s.contains("2 entities, 5 names"), "{s}");
    dir.write(
        "bad/forms.toml",
        "[[entity]]\nid = \"MMR\"\nname = \"Myanmar\"\ntype = \"country\"\nformer_names = [\"\"]\ndemonym = [\"Burmese\"]\n",
    );
    let out = dir.run(&["check", "--no-builtin", "-g", "bad"]);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(e.contains("former name is empty"), "{e}");
    assert!(e.contains("did you mean `demonyms`?"), "{e}");
    let out = dir.run_stdin(
        &["explain", "-", "--no-builtin", "-g", "g"],
        b"Burma's Burmese rulers met U.S. envoys in Myanmar.",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    for want in [
        "  MMR Myanmar (country) x3: \"Burma\" (former), \"Burmese\" (demonym), \"Myanmar\"\n",
        "  USA United States (country) x1: \"U.S.\" (abbreviation)\n",
    ] {
        assert!(s.contains(want), "missing {want:?} in:\n{s}");
    }
}

// ---------------------------------------------------------------------------
// Progress and summary without a terminal.

#[test]
fn tag_without_a_terminal_prints_failures_and_the_summary() {
    let dir = Dir::new();
    let g = gaz_args();
    let docs = fixture("docs").display().to_string();
    let mut args = vec!["tag", &docs, "-o", "out"];
    args.extend(g.iter().map(String::as_str));
    let out = dir.run(&args);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // One line per failed document, as it happens, then the summary.
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(!err.contains('\r') && !err.contains(ESC), "{err:?}");
    for failed in &lines[..2] {
        assert!(
            failed.starts_with("gaztag: ")
                && failed.contains(&format!("{docs}/news.jsonl:")),
            "{err}"
        );
    }
    assert!(
        lines[2].starts_with("gaztag: 6 documents (2 failed), ")
            && lines[2].contains(" MB/s)"),
        "{err}"
    );
}

#[test]
fn tag_says_why_each_document_failed_without_out_dir() {
    let dir = Dir::new();
    let g = gaz_args();
    let mut args = vec!["tag", "nosuch.txt"];
    args.extend(g.iter().map(String::as_str));
    let out = dir.run(&args);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("gaztag: nosuch.txt: No such file or directory"),
        "{err}"
    );
    assert!(err.contains("1 documents (1 failed)"), "{err}");
    // -q keeps standard error empty; the row still says why.
    args.push("-q");
    args.extend(["--table", "documents"]);
    let out = dir.run(&args);
    assert_eq!(stderr(&out), "");
    assert!(stdout(&out).contains("No such file or directory"));
}

/// Runs `gaztag args` with a terminal (a pseudo-terminal made by Python's
/// `pty` module) as standard input, types `typed`, then Ctrl-D; returns
/// standard error.
fn run_on_terminal(dir: &Dir, args: &[&str], typed: &str) -> String {
    let script = r#"
import os, pty, subprocess, sys
m, s = pty.openpty()
p = subprocess.Popen(sys.argv[2:], stdin=s, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, cwd=sys.argv[1])
os.close(s)
os.write(m, sys.stdin.buffer.read() + b"\n\x04")
out, err = p.communicate(timeout=60)
sys.stderr.buffer.write(err)
"#;
    let mut c = std::process::Command::new("python3");
    c.arg("-c").arg(script).arg(dir.path());
    c.arg(env!("CARGO_BIN_EXE_gaztag")).args(args);
    c.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().expect("python3 runs");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(typed.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

#[test]
fn tag_on_a_terminal_says_it_reads_standard_input() {
    let dir = Dir::new();
    let g = gaz_args();
    let mut args = vec!["tag"];
    args.extend(g.iter().map(String::as_str));
    let err = run_on_terminal(&dir, &args, "Talks with Pakistan.");
    assert!(
        err.starts_with(
            "gaztag: reading standard input (Ctrl-D to end, or pass files)\n"
        ),
        "{err}"
    );
    assert!(err.contains("1 documents (0 failed), 1 mentions"), "{err}");
    // Not from a pipe, and not with -q.
    let out = dir.run_stdin(&args, b"Talks with Pakistan.");
    assert!(!stderr(&out).contains("reading standard input"));
    args.push("-q");
    assert_eq!(run_on_terminal(&dir, &args, "Pakistan."), "");
}

// ---------------------------------------------------------------------------
// Shell conventions.

const SUBCOMMANDS: [&str; 13] = [
    "tag",
    "report",
    "import",
    "diff",
    "check",
    "explain",
    "new",
    "schema",
    "columns",
    "eval",
    "suggest",
    "completions",
    "man",
];

#[test]
fn every_subcommand_has_examples_in_its_help() {
    let dir = Dir::new();
    for cmd in std::iter::once(None).chain(SUBCOMMANDS.map(Some)) {
        let args: Vec<&str> = cmd.into_iter().chain(["--help"]).collect();
        let out = dir.run(&args);
        assert_eq!(out.status.code(), Some(0), "{cmd:?}");
        assert!(
            stdout(&out).contains("\nExamples:\n"),
            "{cmd:?}:\n{}",
            stdout(&out)
        );
    }
    // `help --help` is help too, not an unknown subcommand.
    for args in [&["help", "--help"][..], &["help", "-h"], &["help"]] {
        let out = dir.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(stdout(&out).contains("Usage: gaztag"), "{args:?}");
    }
    let out = dir.run(&["help", "tag", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Usage: gaztag tag"));
    let out = dir.run(&["--help"]);
    assert!(
        stdout(&out).contains(
            "Exit status:\n  0  success\n  1  some documents failed"
        )
    );
}

#[test]
fn version_completions_and_man_page() {
    let dir = Dir::new();
    let out = dir.run(&["--version"]);
    assert_eq!(
        stdout(&out),
        format!("gaztag {}\n", env!("CARGO_PKG_VERSION"))
    );

    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef gaztag"),
        ("fish", "complete -c gaztag"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion"),
    ] {
        let out = dir.run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let s = stdout(&out);
        assert!(s.contains(marker), "{shell}: {s}");
        assert!(s.contains("explain"), "{shell}");
    }
    let out = dir.run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));

    let out = dir.run(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let s = stdout(&out);
    assert!(
        s.starts_with(".ie \\n(.g .ds Aq") || s.contains(".TH gaztag 1"),
        "{s}"
    );
    assert!(s.contains(".TH gaztag 1"), "{s}");
    assert!(s.contains("Exit status"), "{s}");

    let out = dir.run(&["man", "--dir", "man1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for page in
        ["gaztag.1", "gaztag-tag.1", "gaztag-explain.1", "gaztag-new.1"]
    {
        assert!(dir.read(&format!("man1/{page}")).contains(".TH"), "{page}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = Dir::new();
    for args in [&["tag", "--no-such-flag"][..], &["frobnicate"], &["explain"]]
    {
        let out = dir.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// `gaztag columns --json` gives the library's columns, which the Spark
/// example reads instead of listing them again.
#[test]
fn columns_come_from_the_library() {
    use gaztag::output::{DOCUMENT_COLUMNS, MENTION_COLUMNS, TOPIC_COLUMNS};
    let dir = Dir::new();
    let out = dir.run(&["columns", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for (table, kind, cols) in [
        ("mentions", "m", MENTION_COLUMNS),
        ("topics", "t", TOPIC_COLUMNS),
        ("documents", "d", DOCUMENT_COLUMNS),
    ] {
        assert_eq!(v[table]["stream_kind"], kind);
        let got: Vec<&str> = v[table]["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(got, cols, "{table}");
    }
    let out = dir.run(&["columns"]);
    assert!(stdout(&out).starts_with("mentions.csv: doc_id,start,end,text,"));
    // No copy of the columns in the Spark example.
    let spark =
        std::fs::read_to_string(root().join("examples/spark/tag_corpus.py"))
            .unwrap();
    assert!(!spark.contains("\"byte_start\""), "columns listed twice");
    assert!(spark.contains("\"columns\", \"--json\""));
}
