//! End-to-end tests of the `gaztag` binary.

use crate::util::{Dir, csv_maps, fixture, root, stderr, stdout};

fn gaz_args() -> Vec<String> {
    vec![
        "--no-builtin".into(),
        "-g".into(),
        fixture("gaz").display().to_string(),
    ]
}

/// `extra[0]` (the subcommand), then the gazetteer flags, then the rest.
fn args<'a>(owned: &'a [String], extra: &[&'a str]) -> Vec<&'a str> {
    let (cmd, rest) = extra.split_first().expect("a subcommand");
    std::iter::once(*cmd)
        .chain(owned.iter().map(String::as_str))
        .chain(rest.iter().copied())
        .collect()
}

/// Reads the original text of a text document by its id (its path).
fn doc_text(id: &str) -> String {
    std::fs::read_to_string(id).unwrap()
}

/// Python-style character slice.
fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn tag_folder_writes_three_tables() {
    let dir = Dir::new();
    let g = gaz_args();
    let docs = fixture("docs").display().to_string();
    let out = dir.run(&args(&g, &["tag", &docs, "--out-dir", "out"]));
    // news.jsonl holds two bad lines, so the exit status is 1.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let documents = csv_maps(&dir.read("out/documents.csv"));
    let status: Vec<(String, String)> = documents
        .iter()
        .map(|r| (r["doc_id"].replace(&docs, "D"), r["status"].clone()))
        .collect();
    let want = [
        ("D/cricket.txt", "ok"),
        ("j1", "ok"),
        ("j2", "error"),
        ("D/news.jsonl:3", "error"),
        ("D/news.jsonl:4", "ok"),
        ("D/talks.txt", "ok"),
    ];
    let want: Vec<(String, String)> =
        want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(status, want);
    assert!(
        documents[2]["error"]
            .contains("news.jsonl:2: field `text` is a number")
    );
    assert!(documents[3]["error"].contains("news.jsonl:3: invalid JSON"));

    let mentions = csv_maps(&dir.read("out/mentions.csv"));
    // Offsets slice the original text exactly, in characters and bytes.
    for m in &mentions {
        let text = match m["doc_id"].as_str() {
            "j1" => {
                "Roast turkey in Türkiye and Côte d\u{2019}Ivoire.".to_string()
            }
            id if id.ends_with("news.jsonl:4") => {
                "Ivory Coast and TURKEY".to_string()
            }
            id => doc_text(id),
        };
        let (s, e): (usize, usize) =
            (m["start"].parse().unwrap(), m["end"].parse().unwrap());
        assert_eq!(slice(&text, s, e), m["text"], "{m:?}");
        let (bs, be): (usize, usize) =
            (m["byte_start"].parse().unwrap(), m["byte_end"].parse().unwrap());
        assert_eq!(&text[bs..be], m["text"]);
    }
    let talks: Vec<(&str, &str)> = mentions
        .iter()
        .filter(|m| m["doc_id"].ends_with("talks.txt"))
        .map(|m| (m["text"].as_str(), m["entity_id"].as_str()))
        .collect();
    assert_eq!(
        talks,
        [
            ("US", "USA"),
            ("PAKISTAN", "PAK"),
            ("US", "USA"),
            ("Pakistani", "PAK"),
            ("State\nDepartment", "state-dept"),
            ("Pakistan", "PAK"),
            ("Tehreek\u{2011}e\u{2011}Taliban Pakistan", "ttp"),
            ("TTP", "ttp"),
        ]
    );
    let j1: Vec<(&str, &str)> = mentions
        .iter()
        .filter(|m| m["doc_id"] == "j1")
        .map(|m| (m["text"].as_str(), m["entity_id"].as_str()))
        .collect();
    assert_eq!(j1, [("Türkiye", "TUR"), ("Côte d\u{2019}Ivoire", "CIV")]);
    let first = &mentions[0];
    assert_eq!(first["entity"], "Pakistan Cricket Board");
    assert_eq!(first["type"], "organization");
    assert_eq!(first["domain"], "cricket");

    let topics = csv_maps(&dir.read("out/topics.csv"));
    let labels: Vec<(String, &str)> = topics
        .iter()
        .map(|t| (t["doc_id"].replace(&docs, "D"), t["topic_id"].as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("D/cricket.txt".to_string(), "cricket"),
            ("D/talks.txt".to_string(), "terrorism")
        ]
    );
    assert_eq!(topics[1]["rank"], "1");
    assert!(
        topics[1]["evidence"].contains("entity ttp x2"),
        "{:?}",
        topics[1]
    );
    let score: f64 = topics[1]["score"].parse().unwrap();
    assert!(score >= 2.0);
}

#[test]
fn stdout_and_stdin() {
    let dir = Dir::new();
    let g = gaz_args();
    let out = dir.run_stdin(
        &args(&g, &["tag"]),
        "Pakistan’s envoy met US officials.".as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = csv_maps(&stdout(&out));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["doc_id"], "<stdin>");
    assert_eq!(rows[0]["text"], "Pakistan");
    assert_eq!(rows[1]["start"], "21");

    let out = dir.run_stdin(
        &args(&g, &["tag", "-", "--table", "documents", "-q"]),
        b"US",
    );
    let rows = csv_maps(&stdout(&out));
    assert_eq!(rows[0]["status"], "ok");
    assert_eq!(rows[0]["mentions"], "1");
    assert!(stderr(&out).is_empty());

    let jsonl = b"{\"id\":\"a\",\"body\":\"Afghans\"}\n";
    let out = dir.run_stdin(
        &args(
            &g,
            &[
                "tag",
                "--input-format",
                "jsonl",
                "--text-field",
                "body",
                "--no-header",
            ],
        ),
        jsonl,
    );
    assert_eq!(
        stdout(&out),
        "a,0,7,Afghans,AFG,Afghanistan,country,places,0,7,,alias,false,,\n"
    );
}

#[test]
fn csv_input_with_custom_fields() {
    let dir = Dir::new();
    dir.write(
        "news.csv",
        "url,body\nhttp://x/1,\"The TTP, again\"\n,Pakistanis\n",
    );
    let g = gaz_args();
    let out = dir.run(&args(
        &g,
        &["tag", "news.csv", "--id-field", "url", "--text-field", "body"],
    ));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = csv_maps(&stdout(&out));
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["doc_id"].as_str(), r["entity_id"].as_str()))
        .collect();
    assert_eq!(got, [("http://x/1", "ttp"), ("news.csv:3", "PAK")]);
}

#[test]
fn check_lists_every_problem() {
    let dir = Dir::new();
    let broken = fixture("broken").display().to_string();
    let out = dir.run(&["check", "--no-builtin", "-g", &broken]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out).replace(&broken, "B");
    for want in [
        "B/a.toml:7:1: error: in [[entity]]: unknown key `alias` (did you mean `aliases`?)",
        "B/a.toml:12:19: error: alias is empty",
        "B/a.toml:17:24: error: keyword is empty",
        "B/b.toml:6:",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert!(err.contains("toml syntax"), "{err}");
    // `tag` refuses the same set, with the same list, and exit status 2.
    let out = dir.run_stdin(&["tag", "--no-builtin", "-g", &broken], b"x");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown key `alias`"));
    assert!(stdout(&out).is_empty());
}

#[test]
fn duplicate_ids_across_files_are_refused() {
    let dir = Dir::new();
    dir.write(
        "g/one.toml",
        "[[entity]]\nid = \"x\"\nname = \"X\"\ntype = \"t\"\n",
    );
    dir.write(
        "g/two.toml",
        "\n[[entity]]\nid = \"x\"\nname = \"Y\"\ntype = \"t\"\n",
    );
    let out = dir.run(&["check", "--no-builtin", "-g", "g"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("g/two.toml:3:6: error: duplicate entity id `x` (first defined at g/one.toml:2:6)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_passes_on_builtins_and_prints_counts() {
    let dir = Dir::new();
    let out = dir.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(s.contains("countries.toml"), "{s}");
    assert!(s.lines().last().unwrap().starts_with("ok: "), "{s}");
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let dir = Dir::new();
    let sentences = [
        "The US and Pakistan met. ",
        "Côte d’Ivoire and Türkiye signed a deal. ",
        "The TTP claimed an attack; militants and terrorism. ",
        "Bowlers took wickets in the Test. ",
        "No entity here at all. ",
    ];
    for i in 0..300 {
        let mut text = String::new();
        for j in 0..(i % 7 + 1) {
            text.push_str(sentences[(i * 3 + j) % sentences.len()]);
        }
        dir.write(&format!("c/{:03}/{i}.txt", i % 13), text);
    }
    let g = gaz_args();
    let one = dir.run(&args(&g, &["tag", "c", "-j", "1", "-o", "one", "-q"]));
    let two = dir.run(&args(&g, &["tag", "c", "-j", "2", "-o", "two", "-q"]));
    let four =
        dir.run(&args(&g, &["tag", "c", "-j", "4", "-o", "four", "-q"]));
    for o in [&one, &two, &four] {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    }
    for t in ["mentions.csv", "topics.csv", "documents.csv"] {
        let a = dir.read(&format!("one/{t}"));
        assert_eq!(a, dir.read(&format!("two/{t}")), "{t}");
        assert_eq!(a, dir.read(&format!("four/{t}")), "{t}");
    }
    assert_eq!(csv_maps(&dir.read("one/documents.csv")).len(), 300);
}

#[test]
fn nested_names_are_identical_for_any_thread_count() {
    let dir = Dir::new();
    let sentences = [
        "The United States Navy said. ",
        "The Pakistan Cricket Board met in Lahore. ",
        "Real Madrid beat Sevilla. ",
        "Für die Pakistan Cricket Board: Zürich. ",
        "Kenya and the US agreed. ",
    ];
    for i in 0..60 {
        let mut text = String::new();
        for j in 0..(i % 5 + 1) {
            text.push_str(sentences[(i * 3 + j) % sentences.len()]);
        }
        dir.write(&format!("c/{i:02}.txt"), text);
    }
    for extra in [&[][..], &["--overlapping"][..]] {
        let run = |j: &str, out: &str| {
            let mut a = vec!["tag", "c", "--keep-inside-names", "-j", j];
            a.extend_from_slice(extra);
            a.extend_from_slice(&["-o", out, "-q"]);
            let o = dir.run(&a);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            dir.read(&format!("{out}/mentions.csv"))
        };
        let one = run("1", "one");
        assert_eq!(one, run("2", "two"), "{extra:?}");
        let rows = csv_maps(&one);
        assert!(rows.iter().any(|r| r["inside_name"] == "true"
            && r["entity_id"] == "USA"
            && r["enclosing_start"] == "4"
            && r["enclosing_end"] == "22"));
        // Every inside_name row has an enclosing span around it; no
        // other row has one.
        for r in &rows {
            let inside = r["inside_name"] == "true";
            assert_eq!(inside, !r["enclosing_start"].is_empty(), "{r:?}");
            assert_eq!(inside, !r["enclosing_end"].is_empty(), "{r:?}");
            if inside {
                let s: usize = r["enclosing_start"].parse().unwrap();
                let e: usize = r["enclosing_end"].parse().unwrap();
                let start: usize = r["start"].parse().unwrap();
                let end: usize = r["end"].parse().unwrap();
                assert!(s <= start && end <= e && e - s > end - start);
            }
        }
    }
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = Dir::new();
    let line = "The US and Pakistan met. ".repeat(50) + "\n";
    dir.write("big.txt", line.repeat(4000));
    let bin = env!("CARGO_BIN_EXE_gaztag");
    let out = std::process::Command::new("bash")
        .current_dir(dir.path())
        .args([
            "-o",
            "pipefail",
            "-c",
            &format!(
                "{bin} tag big.txt --no-builtin -g {} | head -1",
                crate::util::fixture("gaz").display()
            ),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "doc_id,start,end,text,entity_id,entity,type,domain,byte_start,byte_end,alternatives,via,inside_name,enclosing_start,enclosing_end\n"
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn formula_cells_are_neutralised() {
    let dir = Dir::new();
    dir.write(
        "x.jsonl",
        "{\"id\": \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\", \"text\": \"+cmd|' /C calc'!A0 in Pakistan\"}\n",
    );
    let g = gaz_args();
    let out = dir.run(&args(&g, &["tag", "x.jsonl"]));
    let rows = csv_maps(&stdout(&out));
    assert_eq!(rows[0]["doc_id"], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(rows[0]["start"], "22");
    let out = dir.run(&args(&g, &["tag", "x.jsonl", "--raw-csv"]));
    let rows = csv_maps(&stdout(&out));
    assert_eq!(rows[0]["doc_id"], "=HYPERLINK(\"http://x\",\"y\")");
}

/// The README's quick start tags a folder that holds the sample articles
/// and nothing else (no scripts or READMEs to tag by mistake).
#[test]
fn quick_start_folder_holds_only_articles() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo run --release -- tag "))
        .expect("a quick-start tag command");
    let folder = line.split_whitespace().nth(5).unwrap();
    let files: Vec<_> = std::fs::read_dir(root().join(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(files.len() >= 3, "{files:?}");
    for f in files {
        assert!(
            f.is_file() && f.extension().is_some_and(|e| e == "txt"),
            "{} is not an article",
            f.display()
        );
    }
}

#[test]
fn examples_with_builtin_gazetteers() {
    let dir = Dir::new();
    let examples = root().join("examples/articles").display().to_string();
    let out = dir.run(&["tag", &examples, "-o", "out", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mentions = csv_maps(&dir.read("out/mentions.csv"));
    let in_doc = |doc: &str| -> Vec<(String, String)> {
        mentions
            .iter()
            .filter(|m| m["doc_id"].ends_with(doc))
            .map(|m| (m["text"].clone(), m["entity_id"].clone()))
            .collect()
    };
    let seed = in_doc("us-pakistan-security-dialogue.txt");
    for (text, id) in [
        ("State Department", "org:us-state-department"),
        ("Vedant Patel", "person:vedant-patel"),
        ("Sardar Masood Khan", "person:sardar-masood-khan"),
        ("Tehrik-i-Taliban Pakistan", "group:ttp"),
        ("TTP", "group:ttp"),
        ("Pakistani", "PAK"),
        ("United States", "USA"),
        ("U.S.", "USA"),
        ("Islamabad", "city:PAK:islamabad"),
    ] {
        assert!(
            seed.iter().any(|(t, i)| t == text && i == id),
            "{text} -> {id} missing in {seed:?}"
        );
    }
    // "Let us" is not the United States; the headline's PAKISTAN is Pakistan.
    assert!(!seed.iter().any(|(t, _)| t == "us"));
    assert!(seed.iter().any(|(t, i)| t == "PAKISTAN" && i == "PAK"));

    let topics = csv_maps(&dir.read("out/topics.csv"));
    let top = |doc: &str| -> Vec<String> {
        topics
            .iter()
            .filter(|t| t["doc_id"].ends_with(doc))
            .map(|t| t["topic_id"].clone())
            .collect()
    };
    assert!(
        top("us-pakistan-security-dialogue.txt")
            .contains(&"terrorism".to_string())
    );
    assert_eq!(
        top("imf-loan-review.txt").first().map(String::as_str),
        Some("economy")
    );
    assert_eq!(
        top("cricket-test-report.txt").first().map(String::as_str),
        Some("sport")
    );
    for doc in ["imf-loan-review.txt", "cricket-test-report.txt"] {
        assert!(
            !top(doc).contains(&"terrorism".to_string()),
            "{doc}: {:?}",
            top(doc)
        );
    }
}

/// `gaztag tag DIR` reads text files only; the others get a `skipped` row
/// with the reason, and `--include`/`--exclude` globs change the choice.
/// Files named on their own are always read.
#[test]
fn folders_are_read_for_text_files_only() {
    let dir = Dir::new();
    dir.write("in/a.txt", "Kenya and Chad.");
    dir.write("in/notes", "Peru, without an extension.");
    dir.write("in/sub/b.md", "Iran.");
    dir.write("in/gaz.toml", "[[entity]]\nid = \"x\"\n");
    dir.write("in/photo.PNG", b"\x89PNG\r\n\x1a\n\0\0\0");
    dir.write("in/blob", b"\0\x01\x02binary");
    let docs = |args: &[&str]| {
        let mut all = vec!["tag", "--table", "documents", "-q"];
        all.extend(args);
        let out = dir.run(&all);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        csv_maps(&stdout(&out))
            .into_iter()
            .map(|r| {
                (r["doc_id"].clone(), r["status"].clone(), r["error"].clone())
            })
            .collect::<Vec<_>>()
    };
    let got = docs(&["in"]);
    let status: Vec<(&str, &str)> =
        got.iter().map(|(d, s, _)| (d.as_str(), s.as_str())).collect();
    assert_eq!(
        status,
        [
            ("in/a.txt", "ok"),
            ("in/blob", "skipped"),
            ("in/gaz.toml", "skipped"),
            ("in/notes", "ok"),
            ("in/photo.PNG", "skipped"),
            ("in/sub/b.md", "ok"),
        ]
    );
    assert!(got[2].2.contains("not a text document (.toml)"), "{got:?}");
    assert!(got[1].2.contains("binary content"), "{got:?}");
    // The summary counts them apart from failures; the exit status is 0.
    let out = dir.run(&["tag", "in", "-o", "out"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).starts_with("gaztag: 6 documents (0 failed, 3 skipped)"),
        "{}",
        stderr(&out)
    );
    // Globs: relative to the folder or on the file name; exclude wins.
    let got = docs(&["in", "--include", "*.toml", "--include", "sub/*.md"]);
    let ok: Vec<&str> =
        got.iter().filter(|r| r.1 == "ok").map(|r| r.0.as_str()).collect();
    assert_eq!(ok, ["in/gaz.toml", "in/sub/b.md"]);
    let got = docs(&["in", "--exclude", "sub/*"]);
    assert!(
        got.iter()
            .any(|r| r.0 == "in/sub/b.md" && r.2 == "excluded by --exclude")
    );
    // A file named on its own is read whatever its extension.
    let got = docs(&["in/gaz.toml"]);
    assert_eq!(got[0].1, "ok");
    // A bad glob is a usage error.
    let out = dir.run(&["tag", "in", "--include", "["]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid glob `[`"), "{}", stderr(&out));
}
