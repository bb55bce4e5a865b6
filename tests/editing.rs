//! Editing gazetteers for a new domain: `import`, risk warnings, `check
//! --sample`, `diff`, `suggest`, and the README's walk-through run as
//! written.

use crate::util::{Dir, csv_maps, root, stderr, stdout};

/// The README's "Build a domain in five minutes" commands, run one by one
/// with a shell in a folder that holds a copy of `examples/domain`.
#[test]
fn the_readme_walk_through_works_as_written() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("## Build a domain in five minutes")
        .nth(1)
        .expect("the walk-through section");
    let block =
        section.split("```sh\n").nth(1).unwrap().split("```").next().unwrap();
    let commands: Vec<String> =
        block.replace("\\\n", " ").lines().map(str::to_string).collect();
    assert_eq!(commands.len(), 7, "{commands:?}");
    let dir = Dir::new();
    let src = root().join("examples/domain");
    for entry in walk(&src) {
        let rel = entry.strip_prefix(root()).unwrap();
        dir.write(rel.to_str().unwrap(), std::fs::read(&entry).unwrap());
    }
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_gaztag"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut outputs = Vec::new();
    for cmd in &commands {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .current_dir(dir.path())
            .env("PATH", &path)
            .output()
            .unwrap();
        let want = if cmd.contains("--deny warnings") { 2 } else { 0 };
        assert_eq!(out.status.code(), Some(want), "{cmd}\n{}", stderr(&out));
        outputs.push(out);
    }
    // Import: the row without a name is reported and left out.
    let err = stderr(&outputs[0]);
    assert!(
        err.contains(
            "examples/domain/companies.csv:10: row left out: no name"
        ),
        "{err}"
    );
    let toml = dir.read("my-gazetteers/companies.toml");
    assert!(toml.contains("id = \"companies:apple-inc\""), "{toml}");
    // Check: risk warnings with locations.
    let err = stderr(&outputs[1]);
    for want in [
        "alias `Apple` of `companies:apple-inc`: a common English word",
        "alias `Next` of `companies:next-plc`: a common English word",
        "name `National Bank of Pakistan` of `companies:national-bank-of-pakistan`: it holds a name of `PAK`",
    ] {
        assert!(err.contains(want), "missing {want:?} in\n{err}");
    }
    // Sample: counts and contexts.
    let out = stdout(&outputs[2]);
    assert!(out.contains("\"next\" -> companies:next-plc: 2 in 2"), "{out}");
    assert!(out.contains("[Next], they searched the dunes"), "{out}");
    // Diff: the two mentions of Next are lost, nothing else changes.
    let out = stdout(&outputs[5]);
    assert!(
        out.starts_with("- companies:next-plc (Next plc): 2 mention(s) lost in 2 document(s)\n"),
        "{out}"
    );
    assert!(
        out.ends_with("diff: 3 documents, 0 mentions gained, 2 lost, 1 entities changed\n"),
        "{out}"
    );
    // Deny: the warnings left fail the check.
    assert!(stderr(&outputs[6]).contains("denied by --deny warnings"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A sheet with a BOM, CRLF line ends, quoted cells with commas, quotes
/// and line breaks, and bad rows: the good rows are written, each bad one
/// reported with its line, and the file passes `check`.
#[test]
fn import_a_hostile_sheet() {
    let dir = Dir::new();
    dir.write(
        "clubs.csv",
        "\u{FEFF}club,city,aka\r\n\
         \"Kenya Rangers, FC\",Nairobi,\"Rangers KE|\"\"The Rangers\"\"\"\r\n\
         ,Mombasa,\r\n\
         \"Lake\r\nSide United\",Kisumu,\r\n\
         Coast Stars,Mombasa,\"--|Stars\"\r\n\
         Coast Stars,Malindi,\r\n\
         Coast Stars,Lamu,\r\n",
    );
    let out = dir.run(&[
        "import",
        "clubs.csv",
        "-o",
        "out/clubs.toml",
        "--name",
        "club",
        "--aliases",
        "aka",
        "--attr",
        "city",
        "--type",
        "team",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("clubs.csv:3: row left out: no name"), "{err}");
    assert!(
        err.contains(
            "clubs.csv:6: row left out: alias `--` has no letter or digit"
        ),
        "{err}"
    );
    assert!(
        err.ends_with("wrote out/clubs.toml: 4 entities, 2 rows left out\n"),
        "{err}"
    );
    let out = dir.run(&["check", "--no-builtin", "-g", "out/clubs.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = dir.run_stdin(
        &["tag", "-", "--no-builtin", "-g", "out/clubs.toml", "-q"],
        "Kenya Rangers, FC beat Coast Stars; \"The Rangers\" won again."
            .as_bytes(),
    );
    let rows = csv_maps(&stdout(&out));
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["text"].as_str(), r["entity_id"].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Kenya Rangers, FC", "clubs:kenya-rangers-fc"),
            ("Coast Stars", "clubs:coast-stars"),
            // The sheet's doubled quotes are quotes of the alias.
            ("\"The Rangers\"", "clubs:kenya-rangers-fc"),
        ]
    );
    // Same name twice: the second gets its own stable id.
    let toml = dir.read("out/clubs.toml");
    assert!(toml.contains("id = \"clubs:coast-stars-2\""), "{toml}");
    // A line break inside a quoted cell stays in the name (matching
    // treats it as a space).
    let set = gaztag::GazetteerSet::from_toml("clubs.toml", &toml).unwrap();
    assert_eq!(set.entities()[1].name, "Lake\r\nSide United");
    assert_eq!(set.entities()[1].kind, "team");
    // Unknown columns are one clear error.
    let out =
        dir.run(&["import", "clubs.csv", "-o", "x.toml", "--name", "team"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "clubs.csv:1: no column `team` (columns: club, city, aka)"
        )
    );
}

#[test]
fn diff_as_csv() {
    let dir = Dir::new();
    dir.write("old.toml", "[[entity]]\nid = \"a\"\ntype = \"organization\"\nname = \"Acme Corp\"\naliases = [\"Acme\"]\n");
    dir.write("new.toml", "[[entity]]\nid = \"a\"\ntype = \"organization\"\nname = \"Acme Corp\"\n\n[[entity]]\nid = \"b\"\ntype = \"organization\"\nname = \"=Bolt Ltd\"\n");
    dir.write("docs/one.txt", "Acme met =Bolt Ltd and Acme Corp.");
    let out = dir.run(&[
        "diff",
        "old.toml",
        "new.toml",
        "--sample",
        "docs",
        "--no-builtin",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = csv_maps(&stdout(&out));
    let got: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["change"].as_str(),
                r["entity_id"].as_str(),
                r["start"].as_str(),
                r["text"].as_str(),
            )
        })
        .collect();
    // Spreadsheet-safe cells, as in the tables.
    assert_eq!(
        got,
        [("lost", "a", "0", "Acme"), ("gained", "b", "9", "'=Bolt Ltd")]
    );
    assert!(stderr(&out).contains(
        "diff: 1 documents, 1 mentions gained, 1 lost, 2 entities changed"
    ));
}

/// `suggest` on a small labelled JSONL file: the TOML lines (which paste
/// into a topic that `check` accepts), existing keywords marked or left
/// out, CSV, and an unknown label.
#[test]
fn suggest_keywords_from_labelled_documents() {
    let dir = Dir::new();
    dir.write(
        "t.toml",
        "[[topic]]\nid = \"football\"\nname = \"Football\"\nkeywords = [\"goal\", \"striker\"]\n",
    );
    let docs = [
        ("Match report: a goal, then the coach spoke.", "\"sport\""),
        ("The match ended without a goal; league table.", "\"sport\""),
        ("Coach says the match was a goal fest.", "\"sport\""),
        ("League match, coach, market value.", "\"sport\""),
        ("Shares fell on the market.", "\"economy\""),
        ("Shares and the match of supply.", "\"economy\""),
        ("Market shares, coach class.", "\"economy\""),
        ("Market coach goal.", "null"),
    ];
    let jsonl: String = docs
        .iter()
        .enumerate()
        .map(|(i, (text, label))| {
            format!("{{\"id\": \"d{i}\", \"text\": \"{text}\", \"topic\": {label}}}\n")
        })
        .collect();
    dir.write("gold.jsonl", jsonl);
    let base = [
        "suggest",
        "--gold",
        "gold.jsonl",
        "--label-field",
        "topic",
        "--no-builtin",
        "-g",
        "t.toml",
    ];
    let mut args = base.to_vec();
    args.extend(["--label", "sport"]);
    let out = dir.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    let lines: Vec<&str> =
        s.lines().filter(|l| l.starts_with("    {")).collect();
    assert_eq!(
        lines,
        [
            "    {term = \"match\", weight = 2.5},  # 4 of 5 docs in label",
            "    {term = \"goal\", weight = 2.0},  # 3 of 4 docs in label; already in topic football",
            "    {term = \"coach\", weight = 2.0},  # 3 of 5 docs in label",
        ],
        "{s}"
    );
    assert!(
        s.contains("# sport: 4 documents, 3 terms\nkeywords = [\n"),
        "{s}"
    );
    // The block pastes into a topic that validates.
    let block = s.split("\n\n").nth(1).unwrap();
    dir.write(
        "new.toml",
        format!("[[topic]]\nid = \"sport\"\nname = \"Sport\"\n{block}"),
    );
    let check = dir.run(&["check", "--no-builtin", "-g", "new.toml"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));

    // --new-only drops goal; every label without --label.
    let mut args = base.to_vec();
    args.extend(["--new-only", "--min-count", "2"]);
    let s = stdout(&dir.run(&args));
    assert!(s.contains("# economy: 3 documents, 2 terms"), "{s}");
    assert!(s.contains("# sport: 4 documents, 3 terms"), "{s}");
    assert!(!s.contains("\"goal\""), "{s}");
    assert!(s.contains("{term = \"league\", weight = 3.0},  # 2 of 2"), "{s}");

    // CSV.
    let mut args = base.to_vec();
    args.extend(["--format", "csv", "--label", "sport", "--top", "2"]);
    let s = stdout(&dir.run(&args));
    assert_eq!(
        s,
        "label,term,docs_in_label,docs_total,precision,score,weight,existing_topic\n\
         sport,match,4,5,0.800,1.709,2.5,\n\
         sport,goal,3,4,0.750,1.228,2.0,football\n"
    );
    let rows = csv_maps(&s);
    assert_eq!(rows[1]["existing_topic"], "football");

    // An unknown label names the labels there are.
    let mut args = base.to_vec();
    args.extend(["--label", "politics"]);
    let out = dir.run(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "no document has topic = \"politics\"; its labels: economy, sport"
        ),
        "{}",
        stderr(&out)
    );
}
